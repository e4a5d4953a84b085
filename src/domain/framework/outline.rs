//! A set's outline (its groups, their criteria, how many indicators each has, when it is in
//! force): what the home page lists of the set in force. Each bundled set's outline is generated
//! at build time from its JSON (`build.rs`), so a new tablet's first screen needs neither the
//! framework loader nor the sets' data; a test holds each equal to what the loader reads.

use crate::domain::text::{pick, Lang};

/// A title in Vietnamese and English (English may be empty).
pub type StaticText = [&'static str; 2];

/// The text of `t` in `lang` (Vietnamese when no English is given).
pub fn get(t: StaticText, lang: Lang) -> &'static str {
    pick(t[0], t[1], lang)
}

#[derive(Debug, PartialEq)]
pub struct Outline {
    pub id: &'static str,
    pub version: &'static str,
    pub title: StaticText,
    /// `legal_basis.in_force` (ISO date) and `period`, as in the set's JSON.
    pub in_force: &'static str,
    pub period: (u16, u16),
    pub groups: &'static [OutlineGroup],
}

#[derive(Debug, PartialEq)]
pub struct OutlineGroup {
    pub id: &'static str,
    pub title: StaticText,
    pub criteria: &'static [OutlineCriterion],
}

#[derive(Debug, PartialEq)]
pub struct OutlineCriterion {
    pub id: &'static str,
    pub title: StaticText,
    pub indicators: usize,
}

impl Outline {
    /// `id@version`, as `Framework::key`.
    pub fn key(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }
}

include!(concat!(env!("OUT_DIR"), "/outlines.rs"));
const _: () = assert!(!OUTLINES.is_empty(), "no bundled set in assets/frameworks");

/// The outline of the bundled set in force on `date` (ISO), by the rule a new assessment's set
/// is chosen by (`current::current_by`): 51/2025 from 15/02/2026.
pub fn in_force_on(date: &str) -> &'static Outline {
    let i = super::current::current_by(OUTLINES.iter().map(|o| (o.in_force, o.period)), date);
    &OUTLINES[i.unwrap_or(0)]
}
