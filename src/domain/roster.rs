//! The cadre roster of a commune and indicator 18.1: each cadre (cán bộ) and civil servant
//! (công chức) is checked against the standard of their title under the rules in force for the
//! round; every gap is named, with the deadline where a transition period applies. The
//! standards are data (`assets/standards/*.json`), never code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::text::{fold, Lang, Text};

/// An ordered qualification scale (e.g. general education, professional level).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Scale {
    pub id: String,
    pub title: Text,
    /// Lowest first.
    pub levels: Vec<Level>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Level {
    pub id: String,
    pub title: Text,
}

/// The standards file: scales, titles, and the rule periods with their requirements.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Standards {
    pub format: String,
    pub scales: Vec<Scale>,
    pub titles: Vec<TitleDef>,
    pub periods: Vec<Period>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TitleDef {
    pub id: String,
    pub title: Text,
    /// "can_bo" or "cong_chuc".
    pub group: String,
    /// Other ways officers write the title ("Chỉ huy trưởng quân sự" for "Chỉ huy trưởng Ban
    /// Chỉ huy quân sự"), matched as the title is.
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl TitleDef {
    /// Whether `written` names this title: its id, its Vietnamese or English title or an alias,
    /// compared folded (case, tones, punctuation), with or without a trailing "xã" / "cấp xã" /
    /// "phường".
    pub fn matches(&self, written: &str) -> bool {
        let f = fold(written);
        if f.is_empty() {
            return false;
        }
        let bare = ["_cap_xa", "_xa", "_phuong"].iter().find_map(|s| f.strip_suffix(s)).unwrap_or(&f);
        let names = [self.title.vi.as_str(), self.title.en.as_str()]
            .into_iter()
            .chain(self.aliases.iter().map(String::as_str));
        self.id == f
            || names.map(fold).any(|n| {
                let n_bare =
                    ["_cap_xa", "_xa", "_phuong"].iter().find_map(|s| n.strip_suffix(s)).unwrap_or(&n);
                n == f || n == bare || n_bare == bare
            })
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Period {
    pub id: String,
    pub title: Text,
    /// First day in force (YYYY-MM-DD).
    pub from: String,
    /// Last day in force, if replaced.
    #[serde(default)]
    pub to: Option<String>,
    pub source: String,
    pub verified: bool,
    /// Requirements per title id: scale id → minimum level id.
    pub requirements: BTreeMap<String, BTreeMap<String, String>>,
    /// Titles that are not commune cadres/civil servants in this period (not counted for 18.1),
    /// each with the rule that says so.
    #[serde(default)]
    pub not_counted: Vec<NotCounted>,
    /// The titles every commune has in this period: a roster without one of them is incomplete
    /// and cannot decide 18.1.
    #[serde(default)]
    pub required: Vec<Required>,
    #[serde(default)]
    pub transition: Option<Transition>,
    /// In difficult areas the province may lower these requirements (scale → minimum level).
    #[serde(default)]
    pub difficult_area: BTreeMap<String, String>,
    #[serde(default)]
    pub note: Option<Text>,
    /// The titles (job positions) that exist in this period; a person holding another (a title
    /// of an earlier period) is asked to be placed in one of them. Absent: every title.
    #[serde(default)]
    pub titles: Option<Vec<String>>,
    /// Where each title's standard in this period comes from, and at what level (`official`,
    /// `secondary`, `not_found`), as the framework cells say it.
    #[serde(default)]
    pub standard_sources: BTreeMap<String, StandardSource>,
}

/// The source of one title's standard in a period.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StandardSource {
    /// `official`, `secondary` or `not_found`.
    pub level: String,
    pub source: String,
}

/// How many titles of a period have a standard from the official text, from a secondary
/// source, or none found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Census {
    pub official: usize,
    pub secondary: usize,
    pub not_found: usize,
}

impl Period {
    /// Whether `title` is a title (job position) of this period.
    pub fn has_title(&self, title: &str) -> bool {
        self.titles.as_ref().is_none_or(|t| t.iter().any(|x| x == title))
    }

    /// The level of `title`'s standard here: its stated level; `not_found` where the period has
    /// no requirement for it; else `official` for a verified period, `secondary` otherwise.
    pub fn level_of(&self, title: &str) -> &str {
        match self.standard_sources.get(title) {
            Some(s) => s.level.as_str(),
            None if !self.requirements.contains_key(title) => "not_found",
            None if self.verified => "official",
            None => "secondary",
        }
    }

    /// The census of the period's titles by the level of their standard (`titles`, or every
    /// title with a requirement when the period does not list them).
    pub fn census(&self) -> Census {
        let ids: Vec<&String> = match &self.titles {
            Some(t) => t.iter().collect(),
            None => self.requirements.keys().collect(),
        };
        let mut c = Census::default();
        for id in ids {
            match self.level_of(id) {
                "official" => c.official += 1,
                "not_found" => c.not_found += 1,
                _ => c.secondary += 1,
            }
        }
        c
    }
}

/// A title not counted for 18.1 in a period, and the rule that takes it out.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NotCounted {
    pub title: String,
    pub rule: Text,
}

/// Titles a commune must have, with where that comes from.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Required {
    pub titles: Vec<String>,
    pub source: String,
    pub verified: bool,
}

/// People appointed before `appointed_before` who fall short have `years` to meet the standard.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Transition {
    pub appointed_before: String,
    pub years: u32,
    /// Whether a person within the transition counts as meeting 18.1 meanwhile.
    pub counts_as_meeting: bool,
    pub verified: bool,
    /// The titles the transition applies to (empty = all).
    #[serde(default)]
    pub applies_to: Vec<String>,
    /// Only people working in a difficult area (ethnic-minority, especially difficult) have it.
    #[serde(default)]
    pub difficult_area_only: bool,
    /// The last day, where the rule names it (01/07/2030: five years from the new commune's
    /// formation); otherwise `appointed_before` plus `years`.
    #[serde(default)]
    pub deadline: Option<String>,
}

/// One person on the roster, as entered or imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Cadre {
    pub id: String,
    pub name: String,
    pub title: String,
    #[serde(default)]
    pub birth_year: Option<u16>,
    /// Scale id → level id (e.g. "professional" → "dai_hoc").
    #[serde(default)]
    pub levels: BTreeMap<String, String>,
    #[serde(default)]
    pub field: String,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub appointed: String,
    #[serde(default)]
    pub difficult_area: bool,
    /// For a title whose standard the app has no source for: whether the person meets it, as
    /// the competent body confirmed, and the document that says so. Ignored where a standard
    /// is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<Confirmation>,
}

/// A standing recorded by hand where no standard is sourced, with its basis (the document that
/// confirms it, e.g. "CV 12/BTCHU ngày 05/10/2020 của Ban Tổ chức Huyện ủy").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Confirmation {
    pub met: bool,
    #[serde(default)]
    pub basis: String,
}

/// The roster of one commune for one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Roster {
    pub people: Vec<Cadre>,
}

/// A requirement not met.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    pub scale: String,
    pub have: Option<String>,
    pub need: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Standing {
    Meets,
    /// Below the standard.
    Gaps(Vec<Gap>),
    /// Below the standard, but within a transition period ending on `deadline`.
    Transition {
        gaps: Vec<Gap>,
        deadline: String,
        counts: bool,
    },
    /// The title is not a commune cadre/civil servant in this period, by `rule`.
    NotCounted {
        rule: Text,
    },
    /// No requirement is known for this title in this period; nobody confirmed a standing.
    Unknown,
    /// The title is not a position of this period (a title from before the 2025 reform): the
    /// officer places the person in a position; never judged by the old rule.
    OldTitle,
    /// No requirement is known, and the standing was confirmed by hand with its basis.
    Confirmed {
        met: bool,
        basis: String,
    },
}

impl Standing {
    pub fn counts_as_meeting(&self) -> bool {
        matches!(
            self,
            Standing::Meets
                | Standing::Transition { counts: true, .. }
                | Standing::Confirmed { met: true, .. }
        )
    }
}

/// Why a person on the roster leaves 18.1 undecided.
#[derive(Debug, Clone, PartialEq)]
pub enum Undecided {
    /// No rule period covers the date of assessment.
    NoPeriod,
    /// No sourced standard for the title in this period, and no confirmation with its basis.
    NoStandard,
    /// A confirmation was chosen but its document is missing.
    NoBasis,
    /// The title is not one the standards know.
    UnknownTitle,
    /// The title belongs to an earlier period (e.g. "Công chức Địa chính" after 07/2025): the
    /// person must be placed in a job position of the period in force.
    OldTitle,
}

impl Undecided {
    pub fn message(&self, lang: Lang) -> &'static str {
        let vi = lang == Lang::Vi;
        match self {
            Undecided::NoPeriod => {
                if vi {
                    "không có quy định chuẩn nào áp dụng cho ngày đánh giá"
                } else {
                    "no standard applies on the date of assessment"
                }
            }
            Undecided::NoStandard => {
                if vi {
                    "chưa tìm thấy chuẩn của chức danh này trong văn bản; cần xác nhận đạt/chưa đạt kèm văn bản"
                } else {
                    "no sourced standard for this title; record whether they meet it, with the document"
                }
            }
            Undecided::NoBasis => {
                if vi {
                    "đã chọn xác nhận nhưng chưa ghi văn bản xác nhận"
                } else {
                    "a confirmation was chosen but its document is missing"
                }
            }
            Undecided::UnknownTitle => {
                if vi {
                    "chức danh không có trong danh mục"
                } else {
                    "the title is not in the list"
                }
            }
            Undecided::OldTitle => {
                if vi {
                    "chức danh trước ngày áp dụng quy định này: chọn vị trí việc làm tương ứng"
                } else {
                    "a title from before these rules: choose the corresponding job position"
                }
            }
        }
    }
}

/// What the roster decides for 18.1 on one date: the count when every person is decided and
/// every required title is there; otherwise who is undecided and which titles are missing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Decision {
    pub met: u32,
    pub total: u32,
    /// People counted only by a confirmation by hand (no sourced standard).
    pub confirmed: u32,
    /// (person id, name, title id, why).
    pub undecided: Vec<(String, String, String, Undecided)>,
    /// Required titles nobody on the roster holds.
    pub missing: Vec<String>,
    /// Whether the required-titles list itself is verified.
    pub required_verified: bool,
}

impl Decision {
    pub fn is_decided(&self) -> bool {
        self.total > 0 && self.undecided.is_empty() && self.missing.is_empty()
    }
    /// The 18.1 answer (met/counted): when every person is decided and every required title is
    /// there; or, already, when someone decided falls short (no one else can make it a pass).
    /// An incomplete roster is never a pass.
    pub fn answer(&self) -> Option<crate::domain::answer::RawAnswer> {
        (self.is_decided() || self.met < self.total)
            .then(|| crate::domain::answer::RawAnswer::Pair(self.met.to_string(), self.total.to_string()))
    }
}

impl Standards {
    pub fn scale(&self, id: &str) -> Option<&Scale> {
        self.scales.iter().find(|s| s.id == id)
    }
    pub fn title(&self, id: &str) -> Option<&TitleDef> {
        self.titles.iter().find(|t| t.id == id)
    }
    fn rank(&self, scale: &str, level: &str) -> Option<usize> {
        self.scale(scale)?.levels.iter().position(|l| l.id == level)
    }
    pub fn level_title(&self, scale: &str, level: &str, lang: Lang) -> String {
        self.scale(scale)
            .and_then(|s| s.levels.iter().find(|l| l.id == level))
            .map_or_else(|| level.to_string(), |l| l.title.get(lang).to_string())
    }

    /// The rule period in force on `date` (YYYY-MM-DD; ISO dates compare as strings).
    pub fn period_on(&self, date: &str) -> Option<&Period> {
        self.periods
            .iter()
            .filter(|p| p.from.as_str() <= date && p.to.as_deref().is_none_or(|to| date <= to))
            .max_by(|a, b| a.from.cmp(&b.from))
    }

    /// How `person` stands against the standard in force on `date`.
    pub fn standing(&self, person: &Cadre, date: &str) -> Standing {
        let by_hand = || match &person.confirmed {
            Some(c) if !c.basis.trim().is_empty() => {
                Standing::Confirmed { met: c.met, basis: c.basis.trim().to_string() }
            }
            _ => Standing::Unknown,
        };
        let Some(period) = self.period_on(date) else { return Standing::Unknown };
        if !period.has_title(&person.title) {
            return Standing::OldTitle;
        }
        if let Some(n) = period.not_counted.iter().find(|n| n.title == person.title) {
            return Standing::NotCounted { rule: n.rule.clone() };
        }
        let Some(reqs) = period.requirements.get(&person.title) else { return by_hand() };
        let mut gaps = Vec::new();
        for (scale, need) in reqs {
            let need = match period.difficult_area.get(scale) {
                // The lower of the two applies in difficult areas.
                Some(lower) if person.difficult_area => {
                    match (self.rank(scale, lower), self.rank(scale, need)) {
                        (Some(l), Some(n)) if l < n => lower,
                        _ => need,
                    }
                }
                _ => need,
            };
            let have = person.levels.get(scale).filter(|l| !l.is_empty());
            let ok = match (have.and_then(|h| self.rank(scale, h)), self.rank(scale, need)) {
                (Some(h), Some(n)) => h >= n,
                _ => false,
            };
            if !ok {
                gaps.push(Gap { scale: scale.clone(), have: have.cloned(), need: need.clone() });
            }
        }
        if gaps.is_empty() {
            return Standing::Meets;
        }
        // In the order of the scales (general, professional, political, …), as forms list them.
        gaps.sort_by_key(|g| self.scales.iter().position(|s| s.id == g.scale));
        if let Some(t) = &period.transition {
            let applies = (t.applies_to.is_empty() || t.applies_to.contains(&person.title))
                && (!t.difficult_area_only || person.difficult_area);
            if applies && !person.appointed.is_empty() && person.appointed < t.appointed_before {
                let deadline = t.deadline.clone().unwrap_or_else(|| add_years(&t.appointed_before, t.years));
                if date < deadline.as_str() {
                    return Standing::Transition { gaps, deadline, counts: t.counts_as_meeting };
                }
            }
        }
        Standing::Gaps(gaps)
    }

    /// "lý luận chính trị: sơ cấp < trung cấp".
    pub fn describe_gap(&self, gap: &Gap, lang: Lang) -> String {
        let scale = self.scale(&gap.scale).map_or(gap.scale.clone(), |s| s.title.get(lang).to_string());
        let have = gap.have.as_ref().map_or_else(
            || if lang == Lang::Vi { "chưa có".to_string() } else { "none".to_string() },
            |h| self.level_title(&gap.scale, h, lang),
        );
        format!("{scale}: {have} < {}", self.level_title(&gap.scale, &gap.need, lang))
    }
}

/// `date` (YYYY-MM-DD) plus `years`.
fn add_years(date: &str, years: u32) -> String {
    let y: u32 = date.get(0..4).and_then(|s| s.parse().ok()).unwrap_or(0);
    format!("{:04}{}", y + years, date.get(4..).unwrap_or(""))
}

/// The count for 18.1: people who count as meeting the standard, of all who are counted.
pub fn summary(standards: &Standards, roster: &Roster, date: &str) -> (u32, u32) {
    let d = decide(standards, roster, date);
    (d.met, d.total)
}

/// What the roster decides for 18.1 on `date`: each person counted under a sourced standard,
/// confirmed by hand with a document, or not counted by a rule; the required titles present.
pub fn decide(standards: &Standards, roster: &Roster, date: &str) -> Decision {
    let mut d = Decision::default();
    let period = standards.period_on(date);
    for p in &roster.people {
        let why = if period.is_none() {
            Some(Undecided::NoPeriod)
        } else if standards.title(&p.title).is_none() {
            Some(Undecided::UnknownTitle)
        } else {
            None
        };
        let standing = standards.standing(p, date);
        let why = why.or(match (&standing, &p.confirmed) {
            (Standing::OldTitle, _) => Some(Undecided::OldTitle),
            (Standing::Unknown, Some(_)) => Some(Undecided::NoBasis),
            (Standing::Unknown, None) => Some(Undecided::NoStandard),
            _ => None,
        });
        if let Some(why) = why {
            d.undecided.push((p.id.clone(), p.name.clone(), p.title.clone(), why));
            continue;
        }
        match standing {
            Standing::NotCounted { .. } => {}
            s => {
                d.total += 1;
                if matches!(s, Standing::Confirmed { .. }) {
                    d.confirmed += 1;
                }
                if s.counts_as_meeting() {
                    d.met += 1;
                }
            }
        }
    }
    let required = period.map(|p| p.required.as_slice()).unwrap_or_default();
    d.required_verified = required.iter().all(|r| r.verified);
    for t in required.iter().flat_map(|r| &r.titles) {
        if !roster.people.iter().any(|p| &p.title == t) && !d.missing.contains(t) {
            d.missing.push(t.clone());
        }
    }
    d
}

/// The answer of a roster-derived indicator (18.1): people meeting the standard / all counted.
/// `None` while the roster is empty, or someone is undecided or a required title is missing and
/// everyone decided meets the standard (see `Decision::answer`).
pub fn derived_answer(
    standards: &Standards,
    roster: &Roster,
    date: &str,
) -> Option<crate::domain::answer::RawAnswer> {
    decide(standards, roster, date).answer()
}

/// Updates the answer of a roster-decided indicator after the roster changed: the roster's
/// counts while it has people; a hand-typed answer is set aside when the first person is added
/// and given back when the last one is removed, so nothing typed is lost.
pub fn rederive(
    entry: &mut crate::domain::assessment::Entry,
    had_people: bool,
    derived: Option<crate::domain::answer::RawAnswer>,
    has_people: bool,
) {
    match (had_people, has_people) {
        (false, true) => {
            entry.typed = entry.answer.take();
            entry.answer = derived;
        }
        (true, false) => entry.answer = entry.typed.take(),
        (_, true) => entry.answer = derived,
        (false, false) => {}
    }
}

/// 31/12 of the round: the date a roster is judged on when the assessment has no date of
/// assessment (records made before it existed).
pub fn round_date(round: u16) -> String {
    format!("{round:04}-12-31")
}

/// The bundled standards.
pub const BUNDLED: &str = include_str!("../../assets/standards/cadre-standards.json");

pub fn bundled() -> Option<Standards> {
    serde_json::from_str(BUNDLED).ok()
}
