//! Wire types that mirror the framework JSON (`tieuchi-framework/1`) field for field.
//! Only these types are deserialised from outside data; `load` turns them into the model.
//! Documented in `docs/framework-format.md`; schema in `docs/framework.schema.json`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::text::Text;

/// The `format` value this release reads.
pub const FORMAT_V1: &str = "tieuchi-framework/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameworkDoc {
    pub format: String,
    pub id: String,
    pub version: String,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_title: Option<Text>,
    /// Years the framework applies to, e.g. `[2016, 2020]`.
    pub period: (u16, u16),
    pub legal_basis: LegalBasisDoc,
    pub dimension: DimensionDoc,
    pub groups: Vec<GroupDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
    /// What recognition requires beyond the criteria (no outstanding debt, residents'
    /// satisfaction…), each cited or marked not found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recognition_conditions: Vec<ConditionDoc>,
    /// A provisional set (its indicator tables were not found).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionDoc {
    pub id: String,
    pub title: Text,
    pub source: String,
    /// `official` (the decision's text, cited by article), `secondary` (a restatement, cited by
    /// URL and date) or `not_found`.
    pub provenance: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegalBasisDoc {
    pub decision: String,
    pub signed: String,
    pub in_force: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaces: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amended_by: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionDoc {
    pub id: String,
    pub title: Text,
    pub values: Vec<DimensionValueDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionValueDoc {
    pub id: String,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// This value uses the thresholds of another value (e.g. especially difficult communes use
    /// the northern-mountain column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uses: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupDoc {
    pub id: String,
    pub title: Text,
    pub criteria: Vec<CriterionDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionDoc {
    pub id: String,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleDoc>,
    pub indicators: Vec<IndicatorDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// How a criterion's indicators combine. Absent means `all`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RuleDoc {
    All,
    AtLeast { count: u32 },
    Score { min_total: f64, min_part_share: f64 },
}

/// An indicator. `kind` selects which of the optional fields apply; `load` reports a field that
/// does not fit the kind (e.g. a comparator on a yes/no indicator) as an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorDoc {
    pub id: String,
    pub title: Text,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<ThresholdDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numerator: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<OptionDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<OptionDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_met: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_points: Option<f64>,
    /// number/ratio: the values are counts (whole numbers; "10.500" is ten thousand five hundred).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whole: Option<bool>,
    /// ratio: a second condition on a subset of the numerator ("trong đó ≥ 65% nước sạch").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<PartDoc>,
    /// number: the range a real value falls in; a value outside it is asked about, not scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plausible: Option<PlausibleDoc>,
    /// Any kind: the case in which guidance lets the indicator be not assessed (“không xem
    /// xét”), and its source; scored as `scored_as` says (only `met` is known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_assessed: Option<NotAssessedDoc>,
    /// `official`, `secondary` or `not_found` (absent: `secondary` — seen in a source, not
    /// checked against the decision's text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
    pub source: String,
    pub verified: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// Every indicator kind the loader knows, as written in the `kind` field.
pub const KINDS: [&str; 7] = ["yes_no", "number", "ratio", "choice", "checklist", "points", "roster"];

impl IndicatorDoc {
    /// An indicator with only its code, wording and kind, every kind-specific field empty.
    pub fn blank(id: String, title: Text, kind: String) -> IndicatorDoc {
        IndicatorDoc {
            id,
            title,
            kind: String::new(),
            unit: None,
            comparator: None,
            threshold: None,
            numerator: None,
            denominator: None,
            options: None,
            pass: None,
            items: None,
            min_met: None,
            max_points: None,
            whole: None,
            part: None,
            plausible: None,
            not_assessed: None,
            provenance: None,
            source: String::new(),
            verified: false,
            note: None,
        }
        .with_kind(kind)
    }

    /// The same indicator as another kind: code, wording, source, level and note kept, the
    /// fields of the old kind dropped (the loader refuses a field that does not fit the kind).
    pub fn with_kind(self, kind: String) -> IndicatorDoc {
        IndicatorDoc {
            kind,
            unit: None,
            comparator: None,
            threshold: None,
            numerator: None,
            denominator: None,
            options: None,
            pass: None,
            items: None,
            min_met: None,
            max_points: None,
            whole: None,
            part: None,
            plausible: None,
            ..self
        }
    }
}

/// The "trong đó" condition of a ratio: what the subset is, and its threshold (a share of the
/// same denominator, compared like the main share).
/// `plausible` of a number indicator: `{"min": 1, "max": 1000, "scale": 1000000,
/// "scale_unit": {"vi": "đồng", "en": "dong"}, "source": "…"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlausibleDoc {
    pub min: f64,
    pub max: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_unit: Option<Text>,
    pub source: String,
}

/// `not_assessed` of an indicator: `{"when": {"vi": …, "en": …}, "scored_as": "met",
/// "source": "…", "provenance": "secondary"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotAssessedDoc {
    pub when: Text,
    pub scored_as: String,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartDoc {
    pub title: Text,
    pub threshold: ThresholdDoc,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionDoc {
    pub id: String,
    pub title: Text,
}

/// A threshold: a national value and, optionally, one per dimension value. In `by`, `null`
/// means "this column is not known": the national value is used and flagged as unverified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national: Option<CellDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<BTreeMap<String, Option<CellDoc>>>,
}

/// A threshold value: a bare number (verified as the indicator is) or an object with its own flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CellDoc {
    Value(f64),
    Detailed {
        value: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        verified: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// Where this one value comes from (document, article or row, URL or page).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<String>,
        /// `official`, `secondary` or `not_found`, for this value alone (absent: as its
        /// indicator).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        provenance: Option<String>,
    },
}
