//! UI strings from `locales/vi.json` and `locales/en.json` (flat key → text maps). A native
//! test checks both files have the same keys and that every key used in `src/ui` exists.

use std::collections::HashMap;
use std::sync::OnceLock;

use leptos::prelude::*;

use crate::domain::text::Lang;

static VI: OnceLock<HashMap<String, String>> = OnceLock::new();
static EN: OnceLock<HashMap<String, String>> = OnceLock::new();

fn map(lang: Lang) -> &'static HashMap<String, String> {
    match lang {
        Lang::Vi => {
            VI.get_or_init(|| serde_json::from_str(include_str!("../../locales/vi.json")).unwrap_or_default())
        }
        Lang::En => {
            EN.get_or_init(|| serde_json::from_str(include_str!("../../locales/en.json")).unwrap_or_default())
        }
    }
}

/// The text for `key` in the current language, for a view: it follows language changes. Every
/// call site gets the same closure type, so the renderer is compiled once rather than once per
/// string (a hundred `move || tr(lang(), "…")` closures each compiled their own).
pub fn t(key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let lang = crate::state::use_app_state().lang;
    move || tr(lang.get(), key)
}

/// A bilingual data text (a title from a framework file) in the current language, for a view;
/// one closure type for every call site, like `t`.
pub fn text(value: crate::domain::text::Text) -> impl Fn() -> String + Send + Sync + 'static {
    let lang = crate::state::use_app_state().lang;
    move || value.get(lang.get()).to_string()
}

/// The text for `key` in `lang`; the key itself if missing (a test prevents that).
pub fn tr(lang: Lang, key: &str) -> String {
    map(lang).get(key).cloned().unwrap_or_else(|| key.to_string())
}
