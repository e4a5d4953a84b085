//! UI strings from `locales/vi.json` and `locales/en.json` (flat key → text maps). A native
//! test checks both files have the same keys and that every key used in `src/ui` exists.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::domain::text::Lang;

static VI: OnceLock<HashMap<String, String>> = OnceLock::new();
/// Set once the English strings have arrived (they live in a chunk of their own, so the first
/// screen of a Vietnamese officer, the usual case, does not carry them).
static EN: OnceLock<HashMap<String, String>> = OnceLock::new();

fn parse(text: &str) -> HashMap<String, String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn map(lang: Lang) -> &'static HashMap<String, String> {
    let vi = || VI.get_or_init(|| parse(include_str!("../../locales/vi.json")));
    match lang {
        Lang::Vi => vi(),
        // Not loaded (yet): Vietnamese, never a key.
        Lang::En => EN.get().unwrap_or_else(vi),
    }
}

/// Whether the strings of `lang` are here.
pub fn loaded(lang: Lang) -> bool {
    lang == Lang::Vi || EN.get().is_some()
}

/// Fetches the strings of `lang` if they are not here yet; false if their chunk could not be
/// fetched (offline before the app was cached): the app then stays in Vietnamese.
pub async fn load(lang: Lang) -> bool {
    if loaded(lang) {
        return true;
    }
    match crate::ui::chunks::english_strings().await {
        Ok(text) => {
            let _ = EN.set(parse(text));
            true
        }
        Err(_) => false,
    }
}

/// The text for `key` in the current language, for a view: it follows language changes. Every
/// call site gets the same closure type, so the renderer is compiled once rather than once per
/// string (a hundred `move || tr(lang(), "…")` closures each compiled their own).
pub fn t(key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let lang = crate::state::use_app_state().lang();
    move || tr(lang.get(), key)
}

/// A bilingual data text (a title from a framework file) in the current language, for a view;
/// one closure type for every call site, like `t`.
pub fn text(value: crate::domain::text::Text) -> impl Fn() -> String + Send + Sync + 'static {
    let lang = crate::state::use_app_state().lang();
    move || value.get(lang.get()).to_string()
}

/// As `text`, for a title generated at build time (`domain::framework::outline`).
pub fn static_text(
    value: crate::domain::framework::outline::StaticText,
) -> impl Fn() -> String + Send + Sync + 'static {
    let lang = crate::state::use_app_state().lang();
    move || crate::domain::framework::outline::get(value, lang.get()).to_string()
}

/// The key of the word after a count of indicators ("1 indicator", "2 indicators").
pub fn indicators_key(n: usize) -> &'static str {
    if n == 1 {
        "common.indicator"
    } else {
        "common.indicators"
    }
}

/// The text for `key` in `lang`; the key itself if missing (a test prevents that).
pub fn tr(lang: Lang, key: &str) -> String {
    map(lang).get(key).cloned().unwrap_or_else(|| key.to_string())
}
