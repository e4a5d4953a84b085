//! The validated framework model: groups → criteria → indicators, stored flat with index ranges
//! so that scoring and rendering walk plain slices. Built only by `load`; never deserialised.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use crate::domain::text::Text;

#[derive(Debug, Clone, PartialEq)]
pub struct Framework {
    pub id: String,
    pub version: String,
    pub title: Text,
    pub short_title: Text,
    pub period: (u16, u16),
    pub legal: LegalBasis,
    pub dimension: Dimension,
    pub groups: Vec<Group>,
    pub criteria: Vec<Criterion>,
    pub indicators: Vec<Indicator>,
    pub notes: Vec<Text>,
    /// Recognition conditions beyond the criteria; all must be confirmed before recognition.
    pub conditions: Vec<Condition>,
    /// A provisional set (indicator tables missing): every verdict from it is provisional.
    pub provisional: bool,
    pub(crate) by_id: HashMap<String, usize>,
}

/// Where a fact in the data comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provenance {
    /// The decision or its annex, cited by article or row.
    Official,
    /// A restatement (press, Q&A sites), cited by URL and date: to check against the text.
    Secondary,
    /// Not found in any source reachable when the data was made.
    NotFound,
}

impl Provenance {
    pub fn parse(s: &str) -> Option<Provenance> {
        match s {
            "official" => Some(Provenance::Official),
            "secondary" => Some(Provenance::Secondary),
            "not_found" => Some(Provenance::NotFound),
            _ => None,
        }
    }
}

/// A condition of recognition other than the criteria (e.g. no outstanding basic-construction
/// debt), confirmed by the appraiser.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub id: String,
    pub title: Text,
    pub source: String,
    pub provenance: Provenance,
    pub note: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LegalBasis {
    pub decision: String,
    pub signed: String,
    pub in_force: String,
    pub replaces: Vec<String>,
    pub amended_by: Vec<String>,
    pub source: Option<String>,
}

/// What thresholds vary by: the 7 regions (2016–2025) or the commune groups (2026–2030).
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    pub id: String,
    pub title: Text,
    pub values: Vec<DimensionValue>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DimensionValue {
    pub id: String,
    pub title: Text,
    pub note: Option<Text>,
    /// Thresholds are read from this value's column instead (resolved, never chained).
    pub uses: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: String,
    pub title: Text,
    pub criteria: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    pub id: String,
    pub title: Text,
    pub rule: Rule,
    pub group: usize,
    pub indicators: Range<usize>,
    pub note: Option<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// Every indicator met.
    All,
    /// At least `n` indicators met.
    AtLeast(usize),
    /// Indicators are `Points`; the total must reach `min_total` and each indicator must reach
    /// `min_part_share` (0–1) of its maximum.
    Score { min_total: f64, min_part_share: f64 },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: String,
    pub title: Text,
    pub kind: Kind,
    pub source: String,
    pub verified: bool,
    /// Where the wording and thresholds come from: `Official` only when the data says so (the
    /// decision's text, cited by article or row); otherwise a secondary source, or not found.
    pub provenance: Provenance,
    pub note: Option<Text>,
    pub criterion: usize,
    /// Where guidance lets the indicator be not assessed ("không xem xét"), and how it then counts.
    pub not_assessed: Option<NotAssessed>,
}

/// "Không xem xét": the case in which guidance says the indicator is not assessed (QĐ 4800/QĐ-BCT:
/// a commune with no rural commercial infrastructure in its plan is not assessed on criterion 7),
/// with its source. Such an indicator counts as met for its criterion and the commune (the
/// criterion is not held against it); its explanation, the report's value and the CSV's result
/// say "không xem xét", with the source.
#[derive(Debug, Clone, PartialEq)]
pub struct NotAssessed {
    pub when: Text,
    pub source: String,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    Ge,
    Le,
    Gt,
    Lt,
    Eq,
}

impl Comparator {
    pub fn parse(s: &str) -> Option<Comparator> {
        Some(match s {
            ">=" | "≥" => Comparator::Ge,
            "<=" | "≤" => Comparator::Le,
            ">" => Comparator::Gt,
            "<" => Comparator::Lt,
            "=" | "==" => Comparator::Eq,
            _ => return None,
        })
    }
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Ge => "≥",
            Comparator::Le => "≤",
            Comparator::Gt => ">",
            Comparator::Lt => "<",
            Comparator::Eq => "=",
        }
    }
    /// The symbol of the comparison that failed, for explanations ("83% < 85%").
    pub fn negated_symbol(self) -> &'static str {
        match self {
            Comparator::Ge => "<",
            Comparator::Le => ">",
            Comparator::Gt => "≤",
            Comparator::Lt => "≥",
            Comparator::Eq => "≠",
        }
    }
    pub fn holds(self, actual: f64, threshold: f64) -> bool {
        // Values are entered with at most a few decimals; compare with a tolerance so that
        // 85.0 typed as "85" and 17/20 computed as 85.00000000001 agree.
        const EPS: f64 = 1e-9;
        match self {
            Comparator::Ge => actual >= threshold - EPS,
            Comparator::Le => actual <= threshold + EPS,
            Comparator::Gt => actual > threshold + EPS,
            Comparator::Lt => actual < threshold - EPS,
            Comparator::Eq => (actual - threshold).abs() <= EPS,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Đạt / Không đạt.
    YesNo,
    /// A number with a unit compared against a threshold; `whole`: a count (dots group
    /// thousands, decimals refused).
    /// `plausible`: the range a real value falls in, so that a value typed in the wrong unit
    /// ("45.000.000" đồng where the unit is millions) is asked about, never scored.
    Number { unit: Text, cmp: Comparator, threshold: Threshold, whole: bool, plausible: Option<Plausible> },
    /// Numerator and denominator entered; the percentage is compared; `whole`: both are counts
    /// (people, households), read as whole numbers with dots grouping thousands.
    /// `part`: a second condition on a subset of the numerator ("≥ 95% hợp vệ sinh, trong đó
    /// ≥ 65% nước sạch"), its share also taken of the denominator; both must hold.
    Ratio {
        numerator: Text,
        denominator: Text,
        cmp: Comparator,
        threshold: Threshold,
        whole: bool,
        part: Option<Part>,
    },
    /// One option chosen; met when it is in `pass`.
    Choice { options: Vec<Choice>, pass: BTreeSet<String> },
    /// Items ticked; met when at least `min_met` are ticked (all, by default).
    Checklist { items: Vec<Choice>, min_met: usize },
    /// Points scored out of `max`, for criteria with a `Score` rule.
    Points { max: f64 },
    /// Derived from the cadre roster: everyone on it meets the standard of their title.
    /// Until a roster exists, the officer enters the counts.
    Roster,
}

impl Kind {
    pub fn name(&self) -> &'static str {
        match self {
            Kind::YesNo => "yes_no",
            Kind::Number { .. } => "number",
            Kind::Ratio { .. } => "ratio",
            Kind::Choice { .. } => "choice",
            Kind::Checklist { .. } => "checklist",
            Kind::Points { .. } => "points",
            Kind::Roster => "roster",
        }
    }
}

/// The range a real value of a number indicator falls in (the data's, with its source); a value
/// outside it is asked about. `scale`: how many of a smaller unit make one of the indicator's
/// (1 000 000 đồng in a million), so the question can offer the other reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Plausible {
    pub min: f64,
    pub max: f64,
    pub scale: Option<(f64, Text)>,
    pub source: String,
}

/// The "trong đó" condition of a ratio: how many of the numerator's units also meet a
/// stricter standard, as a share of the denominator, compared like the main share.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub title: Text,
    pub threshold: Threshold,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub id: String,
    pub title: Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: f64,
    pub verified: bool,
    pub note: Option<String>,
    /// Where this value comes from, when cited apart from its indicator.
    pub source: Option<String>,
    /// This value's own level, when given apart from its indicator.
    pub provenance: Option<Provenance>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Threshold {
    pub national: Option<Cell>,
    /// Per dimension value; `None` = column not known (national used, flagged).
    pub by: BTreeMap<String, Option<Cell>>,
}

/// Which threshold applies to a commune, and how sure we are of it.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved<'a> {
    /// The column for the commune's dimension value (or the national value when thresholds do
    /// not vary).
    Exact(&'a Cell),
    /// The column is not known; the national value stands in and is flagged.
    NationalFallback(&'a Cell),
    /// No value is known at all: no verdict can be given.
    Unknown,
}

impl Threshold {
    pub fn resolve(&self, dimension_value: &str) -> Resolved<'_> {
        if self.by.is_empty() {
            return self.national.as_ref().map_or(Resolved::Unknown, Resolved::Exact);
        }
        match self.by.get(dimension_value) {
            Some(Some(cell)) => Resolved::Exact(cell),
            _ => self.national.as_ref().map_or(Resolved::Unknown, Resolved::NationalFallback),
        }
    }
}

impl Framework {
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.by_id.get(id).map(|&i| &self.indicators[i])
    }
    pub fn indicator_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }
    pub fn dimension_value(&self, id: &str) -> Option<&DimensionValue> {
        self.dimension.values.iter().find(|v| v.id == id)
    }
    /// The column a dimension value reads its thresholds from (itself, or the one it `uses`).
    pub fn threshold_column<'a>(&'a self, id: &'a str) -> &'a str {
        self.dimension_value(id).and_then(|v| v.uses.as_deref()).unwrap_or(id)
    }
    /// `id@version`, the key under which a framework version is stored and referenced.
    pub fn key(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }
    /// Counts of thresholds (indicator × column) that are verified, flagged, or unknown.
    /// The values that decide each indicator for communes of `dimension_value` (its threshold
    /// cell, or the wording of a yes/no, choice, checklist or roster indicator), counted by
    /// where they come from.
    pub fn census_for(&self, dimension_value: &str) -> ColumnCensus {
        let mut c = ColumnCensus::default();
        for ind in &self.indicators {
            match self.level_of(ind, dimension_value) {
                Level::Official => c.official += 1,
                Level::Secondary => c.secondary += 1,
                Level::Flagged => c.flagged += 1,
                Level::NotFound => c.not_found += 1,
            }
        }
        c
    }

    /// Where the values deciding `ind` for communes of `dimension_value` come from (its
    /// threshold cells, or its wording); an indicator with two cells is as sure as the weaker.
    pub fn level_of(&self, ind: &Indicator, dimension_value: &str) -> Level {
        let column = self.threshold_column(dimension_value);
        let official = ind.provenance == Provenance::Official;
        let cell_level = |threshold: &Threshold| match threshold.resolve(column) {
            // A value cited on its own says its own level.
            Resolved::Exact(Cell { provenance: Some(Provenance::Official), .. }) => Level::Official,
            Resolved::Exact(Cell { provenance: Some(Provenance::NotFound), .. }) => Level::NotFound,
            Resolved::Exact(cell) if official && cell.verified => Level::Official,
            Resolved::Exact(cell) if cell.verified && ind.verified => Level::Secondary,
            Resolved::Exact(_) => Level::Flagged,
            // The national value stands in: this column's own value was not found.
            Resolved::NationalFallback(_) | Resolved::Unknown => Level::NotFound,
        };
        match &ind.kind {
            Kind::Ratio { threshold, part: Some(part), .. } => {
                cell_level(threshold).max(cell_level(&part.threshold))
            }
            Kind::Number { threshold, .. } | Kind::Ratio { threshold, .. } => cell_level(threshold),
            _ if ind.provenance == Provenance::NotFound => Level::NotFound,
            _ if official => Level::Official,
            _ if ind.verified => Level::Secondary,
            _ => Level::Flagged,
        }
    }

    pub fn threshold_census(&self) -> ThresholdCensus {
        let mut c = ThresholdCensus::default();
        for ind in &self.indicators {
            let cells: Vec<Option<&Cell>> = match &ind.kind {
                Kind::Number { threshold, .. } | Kind::Ratio { threshold, .. } => {
                    let mut v = vec![threshold.national.as_ref()];
                    v.extend(threshold.by.values().map(|c| c.as_ref()));
                    if let Kind::Ratio { part: Some(part), .. } = &ind.kind {
                        v.push(part.threshold.national.as_ref());
                        v.extend(part.threshold.by.values().map(|c| c.as_ref()));
                    }
                    v
                }
                _ => {
                    c.indicators_without_threshold += 1;
                    if ind.verified {
                        c.verified_indicators += 1;
                    }
                    continue;
                }
            };
            if ind.verified {
                c.verified_indicators += 1;
            }
            for cell in cells {
                match cell {
                    Some(cell) if cell.verified && ind.verified => c.verified += 1,
                    Some(_) => c.flagged += 1,
                    None => c.unknown += 1,
                }
            }
        }
        c
    }
}

/// Where a deciding value comes from, ordered from surest to least sure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// The decision's text, cited by article or row.
    Official,
    /// A secondary source, cited, not flagged.
    Secondary,
    /// A secondary source that leaves it uncertain ("chưa xác minh").
    Flagged,
    /// Not found for this region or group.
    NotFound,
}

impl Level {
    pub fn label(self, lang: crate::domain::text::Lang) -> &'static str {
        use crate::domain::text::Lang::*;
        match (self, lang) {
            (Level::Official, Vi) => "văn bản gốc",
            (Level::Secondary, Vi) => "nguồn thứ cấp",
            (Level::Flagged, Vi) => "nguồn thứ cấp, chưa xác minh",
            (Level::NotFound, Vi) => "chưa tìm thấy",
            (Level::Official, En) => "official text",
            (Level::Secondary, En) => "secondary source",
            (Level::Flagged, En) => "secondary source, unverified",
            (Level::NotFound, En) => "not found",
        }
    }
    /// A stable id for exports.
    pub fn id(self) -> &'static str {
        match self {
            Level::Official => "official",
            Level::Secondary => "secondary",
            Level::Flagged => "flagged",
            Level::NotFound => "not_found",
        }
    }
}

/// How the values deciding each indicator for one region or commune group are sourced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColumnCensus {
    /// From the decision's text, cited by article or row.
    pub official: usize,
    /// From a secondary source (cited), not flagged.
    pub secondary: usize,
    /// From a secondary source that leaves it uncertain (flagged "chưa xác minh").
    pub flagged: usize,
    /// Not found for this column (the national value stands in, or nothing is known).
    pub not_found: usize,
}

impl ColumnCensus {
    pub fn total(&self) -> usize {
        self.official + self.secondary + self.flagged + self.not_found
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThresholdCensus {
    pub verified: usize,
    pub flagged: usize,
    pub unknown: usize,
    pub indicators_without_threshold: usize,
    pub verified_indicators: usize,
}
