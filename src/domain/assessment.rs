//! One assessment: a commune, a round (year), a framework version and the answers entered.
//! The framework itself is never embedded, only referenced by id and version (as SurveyJS keeps
//! `survey.data` apart from the survey definition).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::answer::RawAnswer;
use crate::domain::persist::Kept;
use crate::domain::revision::Rev;
use crate::domain::workflow::Workflow;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub id: String,
    pub framework_id: String,
    pub framework_version: String,
    pub commune: Commune,
    /// The assessment year.
    pub round: u16,
    /// The dimension value (region or commune group) that selects thresholds.
    pub dimension_value: String,
    /// The date of assessment (YYYY-MM-DD): what the cadre roster is judged on. Empty on
    /// records made before it existed: 31/12 of the round is used for them.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub assessed_on: String,
    #[serde(default)]
    pub assessors: Vec<Person>,
    /// Keyed by indicator id.
    #[serde(default)]
    pub entries: BTreeMap<String, Entry>,
    /// Cadres and civil servants of the commune for this round (indicator 18.1).
    #[serde(default, skip_serializing_if = "crate::domain::assessment::roster_is_empty")]
    pub roster: crate::domain::roster::Roster,
    /// Recognition workflow: stage, reviewers' notes, audit trail.
    #[serde(default)]
    pub workflow: Workflow,
    /// Milliseconds since the Unix epoch.
    pub created_at: f64,
    pub updated_at: f64,
    /// The revision this copy was read or last written at (see `revision`); "newer" between
    /// two copies is decided by it, never by `updated_at`.
    #[serde(default, skip_serializing_if = "Rev::is_empty")]
    pub rev: Rev,
    /// Unknown fields and a newer schema, as read (see `persist::Kept`); not serialised here.
    #[serde(skip)]
    pub kept: Kept,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Commune {
    /// The statistics office code, when the commune is in a shipped units list.
    #[serde(default)]
    pub code: Option<String>,
    pub name: String,
    pub province: String,
    /// The district (before 07/2025) or other context, free text.
    #[serde(default)]
    pub district: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub title: String,
}

/// What was entered for one indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Entry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<RawAnswer>,
    /// Evidence: what the officer saw or was told.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The document that proves it (number and date).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source_ref: String,
    /// For an indicator the cadre roster decides (18.1): the answer typed by hand before the
    /// roster had anyone. Kept while the roster decides, and given back if it is emptied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typed: Option<RawAnswer>,
    /// "Không xem xét": the officer says the case in which guidance lets this indicator be not
    /// assessed holds (only where the framework allows it). Any answer is kept, not scored.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_assessed: bool,
}

impl Assessment {
    /// A new, empty assessment of `commune` for `round`, made at `now`, never written yet.
    pub fn new(
        id: String,
        framework: (&str, &str),
        commune: Commune,
        round: u16,
        dimension_value: &str,
        now: f64,
    ) -> Assessment {
        Assessment {
            id,
            framework_id: framework.0.to_string(),
            framework_version: framework.1.to_string(),
            commune,
            round,
            dimension_value: dimension_value.to_string(),
            assessed_on: String::new(),
            assessors: Vec::new(),
            entries: BTreeMap::new(),
            roster: Default::default(),
            workflow: Default::default(),
            created_at: now,
            updated_at: now,
            rev: Rev::default(),
            kept: Kept::default(),
        }
    }

    /// Whether the officer marked `indicator` "không xem xét".
    pub fn not_assessed(&self, indicator: &str) -> bool {
        self.entries.get(indicator).is_some_and(|e| e.not_assessed)
    }

    pub fn answer(&self, indicator: &str) -> Option<&RawAnswer> {
        self.entries.get(indicator).and_then(|e| e.answer.as_ref())
    }

    /// Sets (or clears, with `None`) the answer of one indicator, keeping its note and source.
    pub fn set_answer(&mut self, indicator: &str, answer: Option<RawAnswer>, now: f64) {
        let entry = self.entries.entry(indicator.to_string()).or_default();
        entry.answer = answer;
        self.touch(now);
    }

    /// The date the cadre roster is judged on: the date of assessment, or 31/12 of the round.
    pub fn judged_on(&self) -> String {
        if self.assessed_on.is_empty() {
            crate::domain::roster::round_date(self.round)
        } else {
            self.assessed_on.clone()
        }
    }

    /// Written by a newer release: shown, never changed or written by this one.
    pub fn read_only_schema(&self) -> Option<u32> {
        self.kept.newer_schema
    }

    /// The same content, whatever the revisions.
    pub fn same_content(&self, other: &Assessment) -> bool {
        let mut a = self.clone();
        a.rev = other.rev.clone();
        a == *other
    }

    pub fn touch(&mut self, now: f64) {
        // Never go back in time, even if the tablet's clock does.
        self.updated_at = self.updated_at.max(now);
    }
}

fn roster_is_empty(r: &crate::domain::roster::Roster) -> bool {
    r.people.is_empty()
}

/// The date of assessment a new assessment gets unless the officer sets one: today while the
/// round is this year or last year (dossiers are made in October–November and into the next
/// year), else 31/12 of the round (entering an older round after the fact).
pub fn default_assessment_date(round: u16, today: &str) -> String {
    let year: u16 = today.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    if year == round || year == round + 1 {
        today.to_string()
    } else {
        crate::domain::roster::round_date(round)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_of_assessment_defaults_to_today_for_a_current_round() {
        assert_eq!(default_assessment_date(2026, "2026-11-05"), "2026-11-05");
        assert_eq!(default_assessment_date(2025, "2026-01-20"), "2026-01-20");
        assert_eq!(default_assessment_date(2020, "2026-12-01"), "2020-12-31");
    }
}
