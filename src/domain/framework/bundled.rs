//! The national criteria sets shipped inside the app, so that a first run works offline.
//! The JSON files live in `assets/frameworks/`; tests load each and require zero errors.

use crate::domain::framework::load::{load_str, Loaded};

/// (file name, JSON text) of the set a new assessment starts with, which the home page shows.
pub const DEFAULT: (&str, &str) =
    ("ntm-xa-2016-2020.json", include_str!("../../../assets/frameworks/ntm-xa-2016-2020.json"));

/// The other bundled sets. The app reads them only when a page or a listed assessment needs
/// them, so the first screen neither carries nor parses them (they move to a chunk with the
/// code that reads them).
pub const OTHERS: &[(&str, &str)] = &[
    // 51/2025 at criterion level only, flagged provisional: its 47 indicators were not found.
    (
        "ntm-xa-2026-2030-khung-tam.json",
        include_str!("../../../assets/frameworks/ntm-xa-2026-2030-khung-tam.json"),
    ),
    // 318/2022 likewise: its indicator table was not found (about 13 seen are in the notes).
    (
        "ntm-xa-2021-2025-khung-tam.json",
        include_str!("../../../assets/frameworks/ntm-xa-2021-2025-khung-tam.json"),
    ),
];

/// (file name, JSON text) of every bundled framework, the default first.
pub const BUNDLED: &[(&str, &str)] = &[DEFAULT, OTHERS[0], OTHERS[1]];

/// The framework a new assessment starts with.
pub const DEFAULT_FRAMEWORK_ID: &str = "ntm-xa-2016-2020";

/// Reads bundled sets the fast way (start-up), keeping those today's rules accept.
fn read(sets: &[(&str, &str)]) -> Vec<crate::domain::framework::Framework> {
    sets.iter()
        .filter_map(|(_, text)| crate::domain::framework::load::load_trusted(text))
        .filter(|(_, errors)| *errors == 0)
        .map(|(fw, _)| fw)
        .collect()
}

/// Every bundled framework that today's rules accept, read the fast way.
pub fn frameworks() -> Vec<crate::domain::framework::Framework> {
    read(BUNDLED)
}

/// The default set alone (what start-up reads).
pub fn default_framework() -> Vec<crate::domain::framework::Framework> {
    read(&[DEFAULT])
}

/// The other bundled sets (read when first needed).
pub fn others() -> Vec<crate::domain::framework::Framework> {
    read(OTHERS)
}

/// Puts the bundled sets read later into the list read at start-up, whose first `at` are the
/// bundled sets read then: the bundled sets stay first, in the order of `BUNDLED`, and the rest
/// (imported) keep theirs. A bundled set replaces a set with the same `id@version` imported
/// here, as it did when every bundled set was read at start-up.
pub fn merge<F: std::ops::Deref<Target = crate::domain::framework::Framework>>(
    list: &mut Vec<F>,
    at: usize,
    later: Vec<F>,
) {
    let at = at.min(list.len());
    let rest: Vec<F> = list.drain(at..).filter(|f| !later.iter().any(|l| l.key() == f.key())).collect();
    list.extend(later);
    list.extend(rest);
}

/// Loads every bundled framework, with every issue located.
pub fn load_all() -> Vec<(&'static str, Loaded)> {
    BUNDLED.iter().map(|(name, text)| (*name, load_str(text))).collect()
}
