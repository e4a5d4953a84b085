//! A set's outline (its groups, their criteria, how many indicators each has): what the home
//! page lists of the default set. The default set's outline is generated at build time from its
//! JSON (`build.rs`), so a new tablet's first screen needs neither the framework loader nor the
//! set's data; a test holds it equal to what the loader reads.

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

include!(concat!(env!("OUT_DIR"), "/default_outline.rs"));
