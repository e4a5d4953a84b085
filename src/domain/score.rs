//! Scoring: indicator → criterion → commune verdicts for one assessment, each with a one-line
//! explanation ("15.1: 83% < 85% (Đồng bằng sông Cửu Long) → chưa đạt"). A pure function of the
//! framework and the answers; no clock, no I/O.

use std::collections::BTreeMap;

use crate::domain::answer::{fmt_num, parse, Answer, ParseAnswerError, RawAnswer};
use crate::domain::assessment::{Assessment, Entry};
use crate::domain::framework::model::{Comparator, Framework, Indicator, Kind, Resolved, Rule};
use crate::domain::text::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    Met,
    NotMet,
    /// Not decided yet: something is unanswered, invalid, or has no known threshold.
    Pending,
}

/// The state of one indicator.
#[derive(Debug, Clone, PartialEq)]
pub enum IndicatorState {
    Unanswered,
    /// The input does not parse; no verdict is given from it.
    Invalid(ParseAnswerError),
    /// Answered, but no threshold is known for this commune: cannot decide.
    NoThreshold,
    Decided(Verdict),
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorResult {
    pub state: IndicatorState,
    /// What the answer was compared with, for the explanation.
    pub detail: Option<Comparison>,
    /// The threshold used is the national value standing in for an unknown column, or the
    /// threshold/indicator itself is not verified against the official text.
    pub unverified: bool,
    /// A reviewer recorded a different verdict (with a reason); `state` holds the reviewer's.
    pub overridden: Option<Verdict>,
    /// "Không xem xét": not assessed, as the framework allows; counted as its source says (met).
    pub not_assessed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub actual: Measure,
    pub cmp: Comparator,
    pub threshold: Measure,
    pub held: bool,
    /// The national value stood in for the commune's column.
    pub fallback: bool,
    /// The "trong đó" condition of a ratio with two (17.1), compared the same way.
    pub part: Option<PartCheck>,
}

/// The second condition of a ratio: the part's share of the denominator against its threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartCheck {
    pub actual: f64,
    pub threshold: f64,
    pub held: bool,
    pub fallback: bool,
    pub verified: bool,
}

/// A compared quantity. Kept as numbers: scoring allocates nothing per indicator, and only
/// `explain` (for the rows on screen) formats them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    Value(f64),
    Percent(f64),
    /// "k/n", e.g. checklist items met or cadres meeting the standard.
    Fraction(usize, usize),
}

impl std::fmt::Display for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Measure::Value(v) => f.write_str(&fmt_num(*v)),
            Measure::Percent(v) => write!(f, "{}%", fmt_num(*v)),
            Measure::Fraction(k, n) => write!(f, "{k}/{n}"),
        }
    }
}

impl IndicatorResult {
    pub fn verdict(&self) -> Verdict {
        match self.state {
            IndicatorState::Decided(v) => v,
            _ => Verdict::Pending,
        }
    }
    pub fn is_answered(&self) -> bool {
        !matches!(self.state, IndicatorState::Unanswered)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CriterionResult {
    pub verdict: Verdict,
    pub answered: usize,
    pub met: usize,
    pub total: usize,
    /// For score rules: the points total.
    pub points: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Aligned with `Framework::indicators`.
    pub indicators: Vec<IndicatorResult>,
    /// Aligned with `Framework::criteria`.
    pub criteria: Vec<CriterionResult>,
    pub commune: Verdict,
    pub criteria_met: usize,
    pub answered: usize,
    pub total: usize,
}

/// Scores an assessment against its framework.
pub fn evaluate(fw: &Framework, a: &Assessment) -> Evaluation {
    let column = fw.threshold_column(&a.dimension_value);
    let indicators: Vec<IndicatorResult> = fw
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            // One look-up of the entry for both its answer and its "không xem xét".
            let e = a.entries.get(&ind.id);
            let (answer, not_assessed) =
                (e.and_then(|e| e.answer.as_ref()), e.is_some_and(|e| e.not_assessed));
            score_at(fw, i, answer, not_assessed, override_of(a, &ind.id), column)
        })
        .collect();
    let criteria: Vec<CriterionResult> =
        (0..fw.criteria.len()).map(|c| combine_at(fw, c, &indicators)).collect();
    summarise(indicators, criteria)
}

/// The reviewer's verdict on one indicator, when one was recorded.
fn override_of(a: &Assessment, indicator: &str) -> Option<bool> {
    a.workflow.reviews.get(indicator).and_then(|rv| rv.override_met)
}

/// Scores the framework's `i`-th indicator: its answer against the commune's threshold column,
/// a points indicator by its criterion's score rule, then the reviewer's override.
fn score_at(
    fw: &Framework,
    i: usize,
    raw: Option<&RawAnswer>,
    not_assessed: bool,
    override_met: Option<bool>,
    column: &str,
) -> IndicatorResult {
    let ind = &fw.indicators[i];
    // "Không xem xét", where the framework allows it: counted as met (QĐ 4800/QĐ-BCT: the
    // criterion is not held against the commune), and said so; the answer is kept, not scored.
    if let (true, Some(n)) = (not_assessed, &ind.not_assessed) {
        let mut r = IndicatorResult {
            state: IndicatorState::Decided(Verdict::Met),
            detail: None,
            unverified: !ind.verified
                || n.provenance != crate::domain::framework::model::Provenance::Official,
            overridden: None,
            not_assessed: true,
        };
        if let Some(met) = override_met {
            r.overridden = Some(Verdict::Met);
            r.state = IndicatorState::Decided(if met { Verdict::Met } else { Verdict::NotMet });
        }
        return r;
    }
    let mut r = evaluate_indicator(ind, raw, column);
    // A points indicator is met as its criterion's score rule says: at least the share
    // of its maximum that each part needs (so "3.2: 19/40" is not met when 50% is).
    if let (Kind::Points { max }, Rule::Score { min_part_share, .. }) =
        (&ind.kind, fw.criteria[ind.criterion].rule)
    {
        if let Some(Comparison { actual: Measure::Value(p), .. }) = r.detail {
            let need = min_part_share * max;
            let held = p + 1e-9 >= need;
            r.state = IndicatorState::Decided(if held { Verdict::Met } else { Verdict::NotMet });
            r.detail = Some(Comparison {
                actual: Measure::Value(p),
                cmp: Comparator::Ge,
                threshold: Measure::Value(need),
                held,
                fallback: false,
                part: None,
            });
        }
    }
    if let Some(met) = override_met {
        // The reviewer's verdict replaces the computed one; the computed one is kept.
        r.overridden = Some(r.verdict());
        r.state = IndicatorState::Decided(if met { Verdict::Met } else { Verdict::NotMet });
    }
    r
}

/// The `c`-th criterion's result from its indicators' results.
fn combine_at(fw: &Framework, c: usize, indicators: &[IndicatorResult]) -> CriterionResult {
    let range = fw.criteria[c].indicators.clone();
    combine(fw.criteria[c].rule, &fw.indicators[range.clone()], &indicators[range])
}

/// The commune's verdict and the counts, from the indicators' and criteria's results.
fn summarise(indicators: Vec<IndicatorResult>, criteria: Vec<CriterionResult>) -> Evaluation {
    let criteria_met = criteria.iter().filter(|c| c.verdict == Verdict::Met).count();
    let commune = if criteria.iter().any(|c| c.verdict == Verdict::NotMet) {
        Verdict::NotMet
    } else if criteria_met == criteria.len() && !criteria.is_empty() {
        Verdict::Met
    } else {
        Verdict::Pending
    };
    let answered = indicators.iter().filter(|r| r.is_answered()).count();
    Evaluation { total: indicators.len(), indicators, criteria, commune, criteria_met, answered }
}

/// An evaluation kept in step with an assessment edit by edit, for the page being filled: each
/// refresh walks the assessment's entries and reviews beside the copies it last scored (both
/// in key order, no lookups), scores again only the indicators that differ, then their criteria
/// and the totals. Always equal to `evaluate` (and `provisional`) of the same assessment.
#[derive(Debug, Clone)]
pub struct LiveEvaluation {
    dimension: String,
    /// The entries and the reviewers' overrides last scored.
    entries: BTreeMap<String, Entry>,
    overrides: BTreeMap<String, Option<bool>>,
    evaluation: Evaluation,
    /// Aligned with `Framework::indicators`: its value for this commune is not from the
    /// official text (see `provisional`).
    not_official: Vec<bool>,
    /// Decided indicators whose value is not from the official text.
    decided_not_official: usize,
}

/// What a refresh changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Refreshed {
    /// Everything was scored again (the commune's dimension changed).
    pub all: bool,
    /// Indicators whose entry (answer, note, source…) or override changed, in framework order.
    pub indicators: Vec<usize>,
    /// Criteria whose result changed.
    pub criteria: Vec<usize>,
}

impl LiveEvaluation {
    pub fn new(fw: &Framework, a: &Assessment) -> LiveEvaluation {
        let evaluation = evaluate(fw, a);
        let not_official: Vec<bool> = fw
            .indicators
            .iter()
            .map(|ind| {
                fw.level_of(ind, &a.dimension_value) != crate::domain::framework::model::Level::Official
            })
            .collect();
        let decided_not_official = evaluation
            .indicators
            .iter()
            .zip(&not_official)
            .filter(|(r, n)| **n && matches!(r.state, IndicatorState::Decided(_)))
            .count();
        LiveEvaluation {
            dimension: a.dimension_value.clone(),
            entries: a.entries.clone(),
            overrides: overrides(a),
            evaluation,
            not_official,
            decided_not_official,
        }
    }

    pub fn evaluation(&self) -> &Evaluation {
        &self.evaluation
    }

    /// The same as `provisional(fw, self.evaluation(), dimension)`, from a count kept up to date.
    pub fn provisional(&self, fw: &Framework) -> Option<Provisional> {
        provisional_of(fw, self.decided_not_official)
    }

    /// Brings the evaluation up to `a` (the same framework it was made with).
    pub fn refresh(&mut self, fw: &Framework, a: &Assessment) -> Refreshed {
        if a.dimension_value != self.dimension || self.not_official.len() != fw.indicators.len() {
            *self = LiveEvaluation::new(fw, a);
            return Refreshed {
                all: true,
                indicators: (0..fw.indicators.len()).collect(),
                criteria: (0..fw.criteria.len()).collect(),
            };
        }
        // Per indicator: 1 its entry or override changed, 2 its answer or override did (scored
        // again). Marks, not a sorted list: the entries come in key order, not the framework's.
        let mut marks = vec![0u8; fw.indicators.len()];
        let mut changed_entries: Vec<(String, Option<Entry>)> = Vec::new();
        for (id, old, new) in differing(&self.entries, &a.entries) {
            changed_entries.push((id.clone(), new.cloned()));
            if let Some(i) = fw.indicator_index(id) {
                let answer_changed = old.and_then(|e| e.answer.as_ref())
                    != new.and_then(|e| e.answer.as_ref())
                    || old.is_some_and(|e| e.not_assessed) != new.is_some_and(|e| e.not_assessed);
                marks[i] = marks[i].max(if answer_changed { 2 } else { 1 });
            }
        }
        let now_overrides = if a.workflow.reviews.is_empty() && self.overrides.is_empty() {
            BTreeMap::new()
        } else {
            overrides(a)
        };
        for (id, old, new) in differing(&self.overrides, &now_overrides) {
            // A comment without an override scores nothing.
            if old.copied().flatten() == new.copied().flatten() {
                continue;
            }
            if let Some(i) = fw.indicator_index(id) {
                marks[i] = 2;
            }
        }
        for (id, new) in changed_entries {
            match new {
                Some(e) => self.entries.insert(id, e),
                None => self.entries.remove(&id),
            };
        }
        self.overrides = now_overrides;
        let touched: Vec<usize> = (0..marks.len()).filter(|&i| marks[i] > 0).collect();
        if touched.is_empty() {
            return Refreshed::default();
        }
        let column = fw.threshold_column(&a.dimension_value);
        let mut dirty_criteria: Vec<usize> = Vec::new();
        for &i in touched.iter().filter(|&&i| marks[i] == 2) {
            let ind = &fw.indicators[i];
            let over = self.overrides.get(&ind.id).copied().flatten();
            let r = score_at(fw, i, a.answer(&ind.id), a.not_assessed(&ind.id), over, column);
            let old = &self.evaluation.indicators[i];
            if r == *old {
                continue;
            }
            if self.not_official[i] {
                let was = matches!(old.state, IndicatorState::Decided(_));
                let is = matches!(r.state, IndicatorState::Decided(_));
                self.decided_not_official = self.decided_not_official + usize::from(is) - usize::from(was);
            }
            self.evaluation.indicators[i] = r;
            if dirty_criteria.last() != Some(&ind.criterion) {
                dirty_criteria.push(ind.criterion);
            }
        }
        let mut out = Refreshed { all: false, indicators: touched, criteria: Vec::new() };
        if dirty_criteria.is_empty() {
            return out;
        }
        for c in dirty_criteria {
            let r = combine_at(fw, c, &self.evaluation.indicators);
            if r != self.evaluation.criteria[c] {
                self.evaluation.criteria[c] = r;
                out.criteria.push(c);
            }
        }
        let indicators = std::mem::take(&mut self.evaluation.indicators);
        let criteria = std::mem::take(&mut self.evaluation.criteria);
        self.evaluation = summarise(indicators, criteria);
        out
    }
}

/// Every reviewer's override, by indicator id (`None`: a comment without one).
fn overrides(a: &Assessment) -> BTreeMap<String, Option<bool>> {
    // Inserted one by one: `collect` into a map sorts first, which costs the wasm a sort.
    let mut out = BTreeMap::new();
    for (id, r) in &a.workflow.reviews {
        out.insert(id.clone(), r.override_met);
    }
    out
}

/// The keys whose values differ between two maps, with both sides, walking both in key order.
fn differing<'a, V: PartialEq>(
    old: &'a BTreeMap<String, V>,
    new: &'a BTreeMap<String, V>,
) -> Vec<(&'a String, Option<&'a V>, Option<&'a V>)> {
    let mut out = Vec::new();
    let (mut o, mut n) = (old.iter().peekable(), new.iter().peekable());
    loop {
        match (o.peek(), n.peek()) {
            (None, None) => return out,
            (Some((k, v)), None) => {
                out.push((*k, Some(*v), None));
                o.next();
            }
            (None, Some((k, v))) => {
                out.push((*k, None, Some(*v)));
                n.next();
            }
            (Some((ko, vo)), Some((kn, vn))) => match ko.cmp(kn) {
                std::cmp::Ordering::Less => {
                    out.push((*ko, Some(*vo), None));
                    o.next();
                }
                std::cmp::Ordering::Greater => {
                    out.push((*kn, None, Some(*vn)));
                    n.next();
                }
                std::cmp::Ordering::Equal => {
                    if vo != vn {
                        out.push((*ko, Some(*vo), Some(*vn)));
                    }
                    o.next();
                    n.next();
                }
            },
        }
    }
}

/// Scores one indicator given its raw answer and the threshold column of the commune.
pub fn evaluate_indicator(
    ind: &Indicator,
    raw: Option<&crate::domain::answer::RawAnswer>,
    column: &str,
) -> IndicatorResult {
    let base_unverified = !ind.verified;
    let raw = match raw {
        Some(r) if !r.is_blank() => r,
        _ => {
            return IndicatorResult {
                state: IndicatorState::Unanswered,
                detail: None,
                unverified: base_unverified,
                overridden: None,
                not_assessed: false,
            }
        }
    };
    let answer = match parse(&ind.kind, raw) {
        Ok(a) => a,
        Err(e) => {
            return IndicatorResult {
                state: IndicatorState::Invalid(e),
                detail: None,
                unverified: base_unverified,
                overridden: None,
                not_assessed: false,
            }
        }
    };
    let decided = |met: bool| IndicatorState::Decided(if met { Verdict::Met } else { Verdict::NotMet });
    match (&ind.kind, &answer) {
        (Kind::YesNo, Answer::Flag(b)) => IndicatorResult {
            state: decided(*b),
            detail: None,
            unverified: base_unverified,
            overridden: None,
            not_assessed: false,
        },
        (Kind::Number { cmp, threshold, .. }, Answer::Number(_))
        | (Kind::Ratio { cmp, threshold, .. }, Answer::Ratio { .. }) => {
            let (actual, shown) = match answer {
                Answer::Ratio { num, den, .. } => {
                    let p = Answer::percent(num, den);
                    (p, Measure::Percent(p))
                }
                Answer::Number(v) => (v, Measure::Value(v)),
                _ => unreachable!("matched above"),
            };
            // "≥ 95% hợp vệ sinh, trong đó ≥ 65% nước sạch": the part's own share and cell.
            let part = match (&ind.kind, &answer) {
                (Kind::Ratio { part: Some(p), .. }, Answer::Ratio { den, part: Some(n), .. }) => {
                    let (cell, fallback) = match p.threshold.resolve(column) {
                        Resolved::Exact(c) => (Some(c), false),
                        Resolved::NationalFallback(c) => (Some(c), true),
                        Resolved::Unknown => (None, false),
                    };
                    match cell {
                        None => {
                            return IndicatorResult {
                                state: IndicatorState::NoThreshold,
                                detail: None,
                                unverified: true,
                                overridden: None,
                                not_assessed: false,
                            }
                        }
                        Some(c) => {
                            let actual = Answer::percent(*n, *den);
                            Some(PartCheck {
                                actual,
                                threshold: c.value,
                                held: cmp.holds(actual, c.value),
                                fallback,
                                verified: c.verified,
                            })
                        }
                    }
                }
                _ => None,
            };
            let (cell, fallback) = match threshold.resolve(column) {
                Resolved::Exact(c) => (c, false),
                Resolved::NationalFallback(c) => (c, true),
                Resolved::Unknown => {
                    return IndicatorResult {
                        state: IndicatorState::NoThreshold,
                        detail: None,
                        unverified: true,
                        overridden: None,
                        not_assessed: false,
                    }
                }
            };
            let held = cmp.holds(actual, cell.value);
            let both = held && part.is_none_or(|p| p.held);
            IndicatorResult {
                state: decided(both),
                detail: Some(Comparison {
                    actual: shown,
                    cmp: *cmp,
                    threshold: match shown {
                        Measure::Percent(_) => Measure::Percent(cell.value),
                        _ => Measure::Value(cell.value),
                    },
                    held,
                    fallback,
                    part,
                }),
                unverified: base_unverified
                    || fallback
                    || !cell.verified
                    || part.is_some_and(|p| p.fallback || !p.verified),
                overridden: None,
                not_assessed: false,
            }
        }
        (Kind::Choice { pass, .. }, Answer::Choice(c)) => IndicatorResult {
            state: decided(pass.contains(c)),
            detail: None,
            unverified: base_unverified,
            overridden: None,
            not_assessed: false,
        },
        (Kind::Checklist { items, min_met }, Answer::Checks(set)) => {
            let n = items.iter().filter(|i| set.contains(&i.id)).count();
            IndicatorResult {
                state: decided(n >= *min_met),
                detail: Some(Comparison {
                    actual: Measure::Value(n as f64),
                    cmp: Comparator::Ge,
                    threshold: Measure::Fraction(*min_met, items.len()),
                    held: n >= *min_met,
                    fallback: false,
                    part: None,
                }),
                unverified: base_unverified,
                overridden: None,
                not_assessed: false,
            }
        }
        (Kind::Points { max }, Answer::Points(p)) => IndicatorResult {
            // A points indicator on its own is "met" when it reaches its maximum share is decided
            // by the criterion's score rule; alone it counts as met when scored above zero.
            state: decided(*p > 0.0),
            detail: Some(Comparison {
                actual: Measure::Value(*p),
                cmp: Comparator::Le,
                threshold: Measure::Value(*max),
                held: true,
                fallback: false,
                part: None,
            }),
            unverified: base_unverified,
            overridden: None,
            not_assessed: false,
        },
        (Kind::Roster, Answer::Counts { met, total }) => IndicatorResult {
            state: decided(met == total),
            detail: Some(Comparison {
                actual: Measure::Fraction(*met as usize, *total as usize),
                cmp: Comparator::Eq,
                threshold: Measure::Fraction(*total as usize, *total as usize),
                held: met == total,
                fallback: false,
                part: None,
            }),
            unverified: base_unverified,
            overridden: None,
            not_assessed: false,
        },
        _ => IndicatorResult {
            state: IndicatorState::Invalid(ParseAnswerError::WrongShape),
            detail: None,
            unverified: base_unverified,
            overridden: None,
            not_assessed: false,
        },
    }
}

fn combine(rule: Rule, inds: &[Indicator], results: &[IndicatorResult]) -> CriterionResult {
    let total = results.len();
    let answered = results.iter().filter(|r| r.is_answered()).count();
    let met = results.iter().filter(|r| r.verdict() == Verdict::Met).count();
    let not_met = results.iter().filter(|r| r.verdict() == Verdict::NotMet).count();
    let undecided = total - met - not_met;
    let (verdict, points) = match rule {
        Rule::All => (
            if not_met > 0 {
                Verdict::NotMet
            } else if met == total {
                Verdict::Met
            } else {
                Verdict::Pending
            },
            None,
        ),
        Rule::AtLeast(k) => (
            if met >= k {
                Verdict::Met
            } else if met + undecided < k {
                Verdict::NotMet
            } else {
                Verdict::Pending
            },
            None,
        ),
        Rule::Score { min_total, min_part_share } => {
            // Points scored so far, and the most that could still be scored.
            let mut scored = 0.0;
            let mut possible = 0.0;
            let mut part_failed = false;
            let mut all_scored = true;
            for (ind, r) in inds.iter().zip(results) {
                let Kind::Points { max } = ind.kind else { continue };
                // The points entered (also under a reviewer's override, which decides the
                // indicator, not the score); absent when unanswered or invalid.
                match &r.detail {
                    Some(Comparison { actual: Measure::Value(p), .. }) => {
                        let p = *p;
                        scored += p;
                        possible += p;
                        if p + 1e-9 < min_part_share * max {
                            part_failed = true;
                        }
                    }
                    _ => {
                        all_scored = false;
                        possible += max;
                    }
                }
            }
            let verdict = if part_failed || possible + 1e-9 < min_total {
                Verdict::NotMet
            } else if all_scored {
                if scored + 1e-9 >= min_total {
                    Verdict::Met
                } else {
                    Verdict::NotMet
                }
            } else {
                Verdict::Pending
            };
            (verdict, Some(scored))
        }
    };
    CriterionResult { verdict, answered, met, total, points }
}

impl Verdict {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Verdict::Met, Lang::Vi) => "đạt",
            (Verdict::NotMet, Lang::Vi) => "chưa đạt",
            (Verdict::Pending, Lang::Vi) => "chưa xác định",
            (Verdict::Met, Lang::En) => "met",
            (Verdict::NotMet, Lang::En) => "not met",
            (Verdict::Pending, Lang::En) => "undecided",
        }
    }
}

/// The one-line explanation of an indicator's verdict, e.g.
/// "15.1: 83% < 85% (Đồng bằng sông Cửu Long) → chưa đạt".
pub fn explain(
    fw: &Framework,
    ind: &Indicator,
    r: &IndicatorResult,
    dimension_value: &str,
    lang: Lang,
) -> String {
    let vi = lang == Lang::Vi;
    let dim = fw
        .dimension_value(dimension_value)
        .map(|v| v.title.get(lang).to_string())
        .unwrap_or_else(|| dimension_value.to_string());
    let id = &ind.id;
    if let (Some(computed), IndicatorState::Decided(v)) = (r.overridden, &r.state) {
        return format!(
            "{id}: {} → {} ({} {})",
            if vi {
                "người thẩm tra/thẩm định ghi nhận khác"
            } else {
                "reviewer recorded a different verdict"
            },
            v.label(lang),
            if vi { "kết quả tính:" } else { "computed:" },
            computed.label(lang)
        );
    }
    if let (true, Some(n), IndicatorState::Decided(v)) = (r.not_assessed, &ind.not_assessed, &r.state) {
        return if vi {
            format!("{id}: không xem xét — {} → tính là {} ({})", n.when.get(lang), v.label(lang), n.source)
        } else {
            format!("{id}: not assessed — {} → counted as {} ({})", n.when.get(lang), v.label(lang), n.source)
        };
    }
    match &r.state {
        IndicatorState::Unanswered => {
            format!("{id}: {}", if vi { "chưa nhập" } else { "not answered" })
        }
        IndicatorState::Invalid(e) => format!("{id}: {} → {}", e.message(lang), Verdict::Pending.label(lang)),
        IndicatorState::NoThreshold => format!(
            "{id}: {} ({dim}) → {}",
            if vi { "chưa có ngưỡng đã xác minh" } else { "no known threshold" },
            Verdict::Pending.label(lang)
        ),
        IndicatorState::Decided(v) => match &r.detail {
            Some(c) if matches!(ind.kind, Kind::Number { .. } | Kind::Ratio { .. }) => {
                let op = if c.held { c.cmp.symbol() } else { c.cmp.negated_symbol() };
                let column = if c.fallback {
                    if vi {
                        format!("{dim}; dùng ngưỡng chung vì ngưỡng vùng chưa xác minh")
                    } else {
                        format!("{dim}; national value used, regional value unverified")
                    }
                } else {
                    dim
                };
                let part = match (&ind.kind, c.part) {
                    (Kind::Ratio { part: Some(p), .. }, Some(pc)) => {
                        let op = if pc.held { c.cmp.symbol() } else { c.cmp.negated_symbol() };
                        let fb = match (pc.fallback, vi) {
                            (false, _) => "",
                            (true, true) => ", ngưỡng chung",
                            (true, false) => ", national value",
                        };
                        format!(
                            "; {} {} {op} {}{fb}",
                            p.title.get(lang),
                            Measure::Percent(pc.actual),
                            Measure::Percent(pc.threshold)
                        )
                    }
                    _ => String::new(),
                };
                format!("{id}: {} {op} {}{part} ({column}) → {}", c.actual, c.threshold, v.label(lang))
            }
            Some(c) if matches!(ind.kind, Kind::Checklist { .. }) => format!(
                "{id}: {} {} {} → {}",
                c.actual,
                if vi { "mục đạt, cần" } else { "items met, needs" },
                c.threshold,
                v.label(lang)
            ),
            Some(c) if matches!(ind.kind, Kind::Points { .. }) => {
                let op = if c.held { c.cmp.symbol() } else { c.cmp.negated_symbol() };
                let max = match ind.kind {
                    Kind::Points { max } => max,
                    _ => 0.0,
                };
                let part = if vi {
                    "điểm tối thiểu của phần, tối đa"
                } else {
                    "points this part needs, of"
                };
                format!(
                    "{id}: {} {op} {} ({part} {}) → {}",
                    c.actual,
                    c.threshold,
                    fmt_num(max),
                    v.label(lang)
                )
            }
            Some(c) if matches!(ind.kind, Kind::Roster) => format!(
                "{id}: {} {} → {}",
                c.actual,
                if vi { "đạt chuẩn" } else { "meet the standard" },
                v.label(lang)
            ),
            Some(c) => format!("{id}: {} / {} → {}", c.actual, c.threshold, v.label(lang)),
            None => format!("{id}: {}", v.label(lang)),
        },
    }
}

/// Why a commune verdict is provisional: how many decided indicators rest on values not taken
/// from the official text, and whether the set itself is provisional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Provisional {
    pub not_official: usize,
    pub provisional_set: bool,
}

/// `Some` when any value that decided a verdict is not from the official text, or the set is
/// provisional: the headline then never says a bare "đạt chuẩn".
pub fn provisional(fw: &Framework, ev: &Evaluation, dimension_value: &str) -> Option<Provisional> {
    let not_official = fw
        .indicators
        .iter()
        .zip(&ev.indicators)
        .filter(|(ind, r)| {
            matches!(r.state, IndicatorState::Decided(_))
                && fw.level_of(ind, dimension_value) != crate::domain::framework::model::Level::Official
        })
        .count();
    provisional_of(fw, not_official)
}

/// `Some` when the set is provisional or `not_official` deciding values are not official.
fn provisional_of(fw: &Framework, not_official: usize) -> Option<Provisional> {
    (fw.provisional || not_official > 0)
        .then_some(Provisional { not_official, provisional_set: fw.provisional })
}

impl Provisional {
    pub fn reason(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let mut parts = Vec::new();
        if self.not_official > 0 {
            parts.push(if vi {
                format!(
                    "{} chỉ tiêu quyết định kết quả có nội dung, ngưỡng chưa đối chiếu được với văn bản gốc",
                    self.not_official
                )
            } else {
                format!(
                    "{} deciding indicators have wording or thresholds not checked against the official text",
                    self.not_official
                )
            });
        }
        if self.provisional_set {
            parts.push(if vi {
                "bộ tiêu chí tạm, thiếu bảng chỉ tiêu".to_string()
            } else {
                "a provisional set without its indicator table".to_string()
            });
        }
        parts.join("; ")
    }
}
