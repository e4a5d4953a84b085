//! The roster's rules over an assessment, without signals: the bundled cadre standards, which
//! indicator the roster decides (18.1), keeping it derived as the list changes, and the
//! training-needs list across the communes of a province.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::domain::assessment::Assessment;
use crate::domain::framework::{Framework, Kind};
use crate::domain::roster::{self, Roster, Standards, Standing};
use crate::domain::roster_csv::Need;
use crate::domain::text::Lang;

/// The bundled cadre standards (parsed once).
pub fn standards() -> &'static Standards {
    static S: OnceLock<Standards> = OnceLock::new();
    S.get_or_init(|| {
        roster::bundled().unwrap_or(Standards {
            format: String::new(),
            scales: vec![],
            titles: vec![],
            periods: vec![],
        })
    })
}

/// The indicator of a set that the roster decides (kind `roster`), if it has one: 18.1 in
/// 1980; none in the 2026 stand-in, whose criterion 9 indicators were not found.
pub fn bound_indicator(fw: &Framework) -> Option<String> {
    fw.indicators.iter().find(|i| matches!(i.kind, Kind::Roster)).map(|i| i.id.clone())
}

/// Changes the roster of `a` with `f` and re-derives its roster indicators (18.1) under `fw`.
pub fn edit(a: &mut Assessment, fw: Option<&Framework>, f: impl FnOnce(&mut Roster)) {
    let had_people = !a.roster.people.is_empty();
    f(&mut a.roster);
    let has_people = !a.roster.people.is_empty();
    let derived = roster::derived_answer(standards(), &a.roster, &a.judged_on());
    for ind in fw.iter().flat_map(|fw| fw.indicators.iter()).filter(|i| matches!(i.kind, Kind::Roster)) {
        let entry = a.entries.entry(ind.id.clone()).or_default();
        roster::rederive(entry, had_people, derived.clone(), has_people);
    }
}

/// Whether a draft's roster-decided answers (18.1) differ from what its roster decides today:
/// the standards data or the date of assessment may have changed since they were derived. A
/// submitted or signed record keeps what was signed, and is never stale here.
pub fn derived_is_stale(a: &Assessment, fw: &Framework) -> bool {
    if a.roster.people.is_empty() || !a.workflow.stage.answers_editable() || a.read_only_schema().is_some() {
        return false;
    }
    let derived = roster::derived_answer(standards(), &a.roster, &a.judged_on());
    fw.indicators
        .iter()
        .filter(|i| matches!(i.kind, Kind::Roster))
        .any(|i| a.entries.get(&i.id).and_then(|e| e.answer.as_ref()) != derived.as_ref())
}

/// The training-needs list of every commune of `province` (latest round of each commune).
pub fn training_needs(assessments: &BTreeMap<String, Assessment>, province: &str, lang: Lang) -> Vec<Need> {
    let s = standards();
    let mut latest: BTreeMap<&str, &Assessment> = BTreeMap::new();
    for a in assessments.values().filter(|a| a.commune.province == province && !a.roster.people.is_empty()) {
        let keep = latest
            .get(a.commune.name.as_str())
            .is_none_or(|b| (a.round, a.updated_at) > (b.round, b.updated_at));
        if keep {
            latest.insert(&a.commune.name, a);
        }
    }
    let mut needs = Vec::new();
    for a in latest.values() {
        let date = a.judged_on();
        for p in &a.roster.people {
            let (gaps, deadline) = match s.standing(p, &date) {
                Standing::Gaps(g) => (g, String::new()),
                Standing::Transition { gaps, deadline, .. } => (gaps, deadline),
                _ => continue,
            };
            for g in gaps {
                let scale = s.scale(&g.scale).map_or(g.scale.clone(), |sc| sc.title.get(lang).to_string());
                needs.push(Need {
                    training: format!("{scale}: {}", s.level_title(&g.scale, &g.need, lang)),
                    commune: a.commune.name.clone(),
                    name: p.name.clone(),
                    title: s.title(&p.title).map_or(p.title.clone(), |t| t.title.get(lang).to_string()),
                    have: g.have.as_ref().map_or_else(String::new, |h| s.level_title(&g.scale, h, lang)),
                    deadline: deadline.clone(),
                });
            }
        }
    }
    needs.sort_by(|a, b| (&a.training, &a.commune, &a.name).cmp(&(&b.training, &b.commune, &b.name)));
    needs
}
