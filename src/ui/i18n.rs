//! UI strings from `locales/vi.json` and `locales/en.json` (flat key → text maps). A native
//! test checks both files have the same keys and that every key used in `src/ui` exists.

use std::collections::HashMap;
use std::sync::OnceLock;

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

/// The text for `key` in `lang`; the key itself if missing (a test prevents that).
pub fn tr(lang: Lang, key: &str) -> String {
    map(lang).get(key).cloned().unwrap_or_else(|| key.to_string())
}
