//! The leaders' view: communes × criteria of one framework version, the latest round of each
//! commune, with how many communes meet each criterion. Pure; the page only renders it.

use crate::domain::assessment::Assessment;
use crate::domain::framework::Framework;
use crate::domain::score::{evaluate, Verdict};
use crate::domain::text::natural_cmp;
use crate::domain::workflow::Stage;

/// One commune's line.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixRow {
    pub assessment_id: String,
    pub commune: String,
    pub province: String,
    pub round: u16,
    pub stage: Stage,
    /// The region or commune group the commune was assessed in.
    pub dimension_value: String,
    /// Aligned with `Framework::criteria`.
    pub criteria: Vec<Verdict>,
    pub criteria_met: usize,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matrix {
    /// Sorted by province, then commune.
    pub rows: Vec<MatrixRow>,
    /// For each criterion, how many of the rows meet it.
    pub met_per_criterion: Vec<usize>,
    /// Rows whose commune meets every criterion (at whatever stage: not yet "đạt chuẩn").
    pub communes_met: usize,
    /// Rows recognised (công nhận): the only communes that are "đạt chuẩn".
    pub recognised: usize,
    /// How many rows are at each stage, in the procedure's order (draft … recognised).
    pub by_stage: [usize; 5],
}

/// One province's line: how many of its communes meet each criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvinceRow {
    pub province: String,
    pub communes: usize,
    pub met_per_criterion: Vec<usize>,
    pub communes_met: usize,
    pub recognised: usize,
}

/// The index of `stage` in `Matrix::by_stage`.
pub fn stage_index(stage: Stage) -> usize {
    match stage {
        Stage::Draft => 0,
        Stage::Submitted => 1,
        Stage::Reviewed => 2,
        Stage::Appraised => 3,
        Stage::Recognised => 4,
    }
}

/// Every stage in the procedure's order.
pub const STAGES: [Stage; 5] =
    [Stage::Draft, Stage::Submitted, Stage::Reviewed, Stage::Appraised, Stage::Recognised];

impl Matrix {
    /// The rows summed per province (rows are sorted by province already).
    pub fn by_province(&self) -> Vec<ProvinceRow> {
        let mut out: Vec<ProvinceRow> = Vec::new();
        for r in &self.rows {
            if out.last().is_none_or(|p| p.province != r.province) {
                out.push(ProvinceRow {
                    province: r.province.clone(),
                    communes: 0,
                    met_per_criterion: vec![0; r.criteria.len()],
                    communes_met: 0,
                    recognised: 0,
                });
            }
            if let Some(p) = out.last_mut() {
                p.communes += 1;
                p.communes_met += usize::from(r.verdict == Verdict::Met);
                p.recognised += usize::from(r.stage == Stage::Recognised);
                for (n, v) in p.met_per_criterion.iter_mut().zip(&r.criteria) {
                    *n += usize::from(*v == Verdict::Met);
                }
            }
        }
        out
    }
}

/// Which of two assessments of one commune stands for it: the later round; within a round the
/// one furthest along the procedure, then the one with more answers, then the later edit (so an
/// empty second assessment made by mistake never hides the real result).
fn standing(a: &Assessment) -> (u16, crate::domain::workflow::Stage, usize, f64) {
    let answered = a.entries.values().filter(|e| e.answer.is_some()).count();
    (a.round, a.workflow.stage, answered, a.updated_at)
}

/// The matrix of `fw` over `assessments` made with it (others are skipped), keeping the
/// standing assessment of each commune (see `standing`), optionally in one province only. Rows are in
/// reading order of province, then commune ("Phường 2" before "Phường 11").
pub fn matrix<'a>(
    fw: &Framework,
    assessments: impl IntoIterator<Item = &'a Assessment>,
    province: Option<&str>,
) -> Matrix {
    let mut latest: std::collections::BTreeMap<(String, String), &Assessment> = Default::default();
    for a in assessments {
        if a.framework_id != fw.id || a.framework_version != fw.version {
            continue;
        }
        if province.is_some_and(|p| {
            crate::domain::text::name_key(p) != crate::domain::text::name_key(&a.commune.province)
        }) {
            continue;
        }
        let key = commune_key(a);
        let newer = latest.get(&key).is_none_or(|b| standing(a) > standing(b));
        if newer {
            latest.insert(key, a);
        }
    }
    let mut m = Matrix { met_per_criterion: vec![0; fw.criteria.len()], ..Default::default() };
    for a in latest.into_values() {
        let ev = evaluate(fw, a);
        let criteria: Vec<Verdict> = ev.criteria.iter().map(|c| c.verdict).collect();
        for (n, v) in m.met_per_criterion.iter_mut().zip(&criteria) {
            *n += usize::from(*v == Verdict::Met);
        }
        m.communes_met += usize::from(ev.commune == Verdict::Met);
        m.recognised += usize::from(a.workflow.stage == Stage::Recognised);
        m.by_stage[stage_index(a.workflow.stage)] += 1;
        m.rows.push(MatrixRow {
            assessment_id: a.id.clone(),
            commune: a.commune.name.clone(),
            province: a.commune.province.clone(),
            round: a.round,
            stage: a.workflow.stage,
            dimension_value: a.dimension_value.clone(),
            criteria,
            criteria_met: ev.criteria_met,
            verdict: ev.commune,
        });
    }
    m.rows.sort_by(|a, b| {
        natural_cmp(&a.province, &b.province).then_with(|| natural_cmp(&a.commune, &b.commune))
    });
    m
}

/// One bar of a chart: its label and its count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: usize,
}

impl Matrix {
    /// How many communes meet how many criteria, in bands from "all" down ("19/19", "14–18",
    /// …, "0–3"): every row in exactly one band.
    pub fn distribution(&self, criteria: usize) -> Vec<Bar> {
        let width = criteria.div_ceil(4).max(1);
        let mut bands: Vec<(usize, usize)> = vec![(criteria, criteria)];
        let mut hi = criteria;
        while hi > 0 {
            let lo = hi.saturating_sub(width);
            bands.push((lo, hi - 1));
            hi = lo;
        }
        bands
            .into_iter()
            .map(|(lo, hi)| Bar {
                label: if lo == hi { format!("{hi}/{criteria}") } else { format!("{lo}–{hi}") },
                value: self.rows.iter().filter(|r| (lo..=hi).contains(&r.criteria_met)).count(),
            })
            .collect()
    }
}

impl Matrix {
    /// The rows that `keep`, with every total counted again over them (so a filtered table and
    /// its charts still add up).
    pub fn filtered(&self, keep: impl Fn(&MatrixRow) -> bool) -> Matrix {
        let mut m = Matrix { met_per_criterion: vec![0; self.met_per_criterion.len()], ..Default::default() };
        for r in self.rows.iter().filter(|r| keep(r)) {
            for (n, v) in m.met_per_criterion.iter_mut().zip(&r.criteria) {
                *n += usize::from(*v == Verdict::Met);
            }
            m.communes_met += usize::from(r.verdict == Verdict::Met);
            m.recognised += usize::from(r.stage == Stage::Recognised);
            m.by_stage[stage_index(r.stage)] += 1;
            m.rows.push(r.clone());
        }
        m
    }
}

/// One bar of the history: a round, under one units list (the communes that existed then).
#[derive(Debug, Clone, PartialEq)]
pub struct RoundLine {
    pub round: u16,
    /// The units list in force on the assessments' date ("camau-2025"), when one of `lists`
    /// covers their province: a round across the 01/07/2025 merger is split, never mixed.
    pub units: Option<String>,
    pub assessed: usize,
    pub met: usize,
}

/// Communes of `fw` meeting every criterion, round by round (each commune's standing
/// assessment in that round), each round split by the units list in force on the assessment's
/// date (old communes before the merger, new ones after). `latest` is the matrix already
/// computed over the same assessments: its rows are not evaluated again.
pub fn by_round<'a>(
    fw: &Framework,
    assessments: impl IntoIterator<Item = &'a Assessment>,
    latest: &Matrix,
    lists: &[crate::domain::geography::UnitList],
) -> Vec<RoundLine> {
    let known: std::collections::HashMap<&str, Verdict> =
        latest.rows.iter().map(|r| (r.assessment_id.as_str(), r.verdict)).collect();
    // (round, units list, commune key) → the standing assessment of that commune in that round.
    // Lists in the order they took effect (Bạc Liêu's before Cà Mau's).
    type Key = (u16, Option<(String, usize)>, (String, String));
    let mut standing_in: std::collections::BTreeMap<Key, &Assessment> = Default::default();
    for a in assessments {
        if a.framework_id != fw.id || a.framework_version != fw.version {
            continue;
        }
        let units = units_of(a, lists).map(|i| (lists[i].valid_from.clone(), i));
        let key = (a.round, units, commune_key(a));
        if standing_in.get(&key).is_none_or(|b| standing(a) > standing(b)) {
            standing_in.insert(key, a);
        }
    }
    let mut out: Vec<RoundLine> = Vec::new();
    for ((round, units, _), a) in standing_in {
        let met = match known.get(a.id.as_str()) {
            Some(v) => *v == Verdict::Met,
            None => evaluate(fw, a).commune == Verdict::Met,
        };
        let units = units.map(|(_, i)| lists[i].id.clone());
        match out.last_mut() {
            Some(last) if last.round == round && last.units == units => {
                last.assessed += 1;
                last.met += usize::from(met);
            }
            _ => out.push(RoundLine { round, units, assessed: 1, met: usize::from(met) }),
        }
    }
    out
}

/// The index of the units list in force on `a`'s date for its province, if one is known.
fn units_of(a: &Assessment, lists: &[crate::domain::geography::UnitList]) -> Option<usize> {
    crate::domain::geography::list_in_force(lists, &a.commune.province, &a.judged_on())
}

/// One commune however its name was written ("Hoà"/"Hòa"), by unit code where known.
fn commune_key(a: &Assessment) -> (String, String) {
    match &a.commune.code {
        Some(code) => (crate::domain::text::name_key(&a.commune.province), code.clone()),
        None => (
            crate::domain::text::name_key(&a.commune.province),
            crate::domain::text::name_key(&a.commune.name),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::answer::RawAnswer;
    use crate::domain::assessment::Commune;
    use crate::domain::framework::load_str;

    const FW: &str = r#"{"format": "tieuchi-framework/1", "id": "f", "version": "1",
      "title": {"vi": "F", "en": "F"}, "period": [2020, 2025],
      "legal_basis": {"decision": "X", "signed": "2020-01-01", "in_force": "2020-01-01"},
      "dimension": {"id": "d", "title": {"vi": "D", "en": "D"}, "values": [{"id": "a", "title": {"vi": "A", "en": "A"}}]},
      "groups": [{"id": "g", "title": {"vi": "G", "en": "G"}, "criteria": [
        {"id": "1", "title": {"vi": "C1", "en": "C1"}, "indicators": [{"id": "1.1", "title": {"vi": "I", "en": "I"}, "kind": "yes_no", "source": "s", "verified": true}]},
        {"id": "2", "title": {"vi": "C2", "en": "C2"}, "indicators": [{"id": "2.1", "title": {"vi": "I", "en": "I"}, "kind": "yes_no", "source": "s", "verified": true}]}]}]}"#;

    fn assessment(
        id: &str,
        commune: &str,
        province: &str,
        round: u16,
        answers: [Option<bool>; 2],
    ) -> Assessment {
        let commune = Commune { name: commune.into(), province: province.into(), ..Default::default() };
        let mut a = Assessment::new(id.into(), ("f", "1"), commune, round, "a", 0.0);
        for (ind, v) in ["1.1", "2.1"].iter().zip(answers) {
            a.set_answer(ind, v.map(RawAnswer::Flag), 1.0);
        }
        a
    }

    #[test]
    fn an_empty_duplicate_made_later_does_not_hide_the_result() {
        let fw = load_str(FW).framework.expect("fixture framework");
        let real = assessment("real", "Xã A", "P", 2020, [Some(true), Some(true)]);
        let mut empty = assessment("dup", "Xã A", "P", 2020, [None, None]);
        empty.updated_at = 99.0;
        let m = matrix(&fw, [&real, &empty], None);
        assert_eq!(m.rows.len(), 1);
        assert_eq!(m.rows[0].assessment_id, "real", "the answered assessment stands for the commune");
        assert_eq!(m.rows[0].criteria_met, 2);
    }

    #[test]
    fn latest_round_per_commune_and_counts_per_criterion() {
        let fw = load_str(FW).framework.expect("loads");
        let list = [
            assessment("x2020", "Xã X", "Cà Mau", 2020, [Some(false), Some(true)]),
            assessment("x2021", "Xã X", "Cà Mau", 2021, [Some(true), Some(true)]),
            assessment("y", "Xã Y", "Cà Mau", 2021, [Some(true), None]),
            assessment("z", "Xã Z", "An Giang", 2021, [Some(false), Some(false)]),
        ];
        let m = matrix(&fw, &list, None);
        let ids: Vec<&str> = m.rows.iter().map(|r| r.assessment_id.as_str()).collect();
        assert_eq!(ids, ["z", "x2021", "y"]);
        assert_eq!(m.met_per_criterion, [2, 1]);
        assert_eq!(m.communes_met, 1);
        assert_eq!(m.recognised, 0, "meeting every criterion in a draft is not recognition");
        assert_eq!(m.by_stage, [3, 0, 0, 0, 0]);
        assert_eq!(m.rows[2].criteria, [Verdict::Met, Verdict::Pending]);
        let provinces = m.by_province();
        assert_eq!(provinces.len(), 2);
        assert_eq!((provinces[1].province.as_str(), provinces[1].communes), ("Cà Mau", 2));
        assert_eq!((provinces[1].met_per_criterion.clone(), provinces[1].communes_met), (vec![2, 1], 1));
        assert_eq!(provinces[0].met_per_criterion, [0, 0]);
        let only = matrix(&fw, &list, Some("Cà Mau"));
        assert_eq!(only.rows.len(), 2);
        assert_eq!(only.met_per_criterion, [2, 1]);
    }
}
