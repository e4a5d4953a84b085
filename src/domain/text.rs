//! Bilingual text (Vietnamese first, English second) and the UI language choice.
//! Pure data: the domain never decides which language is shown, it only carries both.

use serde::{Deserialize, Serialize};

/// The language a person reads the app in. Vietnamese is the default everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Tiếng Việt.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag, used for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Parses a stored tag; anything unknown falls back to Vietnamese.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Vi
        }
    }
}

/// A string in both languages. English may be empty; then Vietnamese is shown.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Text {
    pub vi: String,
    #[serde(default)]
    pub en: String,
}

impl Text {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Text {
        Text { vi: vi.into(), en: en.into() }
    }

    /// The text in `lang`, falling back to Vietnamese when no English is given.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.en.trim().is_empty() => &self.en,
            _ => &self.vi,
        }
    }
}
