//! Roster actions: edit the cadre list of an assessment, keep indicator 18.1 derived from it,
//! and build the training-needs list across the communes of a province.

use std::sync::OnceLock;

use leptos::prelude::*;

use crate::domain::framework::Kind;
use crate::domain::roster::{self, Cadre, Roster, Standards, Standing};
use crate::domain::roster_csv::Need;
use crate::domain::text::Lang;
use crate::io::nav;
use crate::state::{autosave, AppState};

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

/// The indicator of `a`'s framework that the roster decides (kind `roster`), if the set has one:
/// 18.1 in 1980; none in the 2026 stand-in, whose criterion 9 indicators were not found.
pub fn bound_indicator(state: AppState, a: &crate::domain::assessment::Assessment) -> Option<String> {
    let fw = state.framework(&a.framework_id, &a.framework_version)?;
    fw.indicators.iter().find(|i| matches!(i.kind, Kind::Roster)).map(|i| i.id.clone())
}

/// Changes the roster of an assessment and re-derives its roster indicators (18.1).
pub fn edit_roster(state: AppState, id: &str, f: impl FnOnce(&mut Roster)) {
    if !crate::state::actions::writable(state, id) {
        return;
    }
    let now = nav::now_ms();
    state.assessments.update(|m| {
        let Some(a) = m.get_mut(id) else { return };
        let had_people = !a.roster.people.is_empty();
        f(&mut a.roster);
        let has_people = !a.roster.people.is_empty();
        let derived = roster::derived_answer(standards(), &a.roster, &a.judged_on());
        if let Some(fw) = state.framework(&a.framework_id, &a.framework_version) {
            for ind in fw.indicators.iter().filter(|i| matches!(i.kind, Kind::Roster)) {
                let entry = a.entries.entry(ind.id.clone()).or_default();
                roster::rederive(entry, had_people, derived.clone(), has_people);
            }
        }
        a.touch(now);
    });
    autosave::mark_dirty(state, id);
    autosave::schedule(state);
}

/// Brings a draft's roster-decided answers (18.1) up to what its roster decides today: the
/// standards data or the date of assessment may have changed since they were derived (a partial
/// roster once passed "5/5"). Only an editable draft is touched; a submitted or signed record
/// keeps what was signed.
pub fn refresh_derived(state: AppState, id: &str) {
    let stale = state.assessments.with_untracked(|m| {
        let Some(a) = m.get(id) else { return false };
        if a.roster.people.is_empty()
            || !a.workflow.stage.answers_editable()
            || a.read_only_schema().is_some()
        {
            return false;
        }
        let Some(fw) = state.framework(&a.framework_id, &a.framework_version) else { return false };
        let derived = roster::derived_answer(standards(), &a.roster, &a.judged_on());
        fw.indicators
            .iter()
            .filter(|i| matches!(i.kind, Kind::Roster))
            .any(|i| a.entries.get(&i.id).and_then(|e| e.answer.as_ref()) != derived.as_ref())
    });
    if stale {
        edit_roster(state, id, |_| {});
    }
}

/// Adds an empty person.
pub fn add_person(state: AppState, id: &str) {
    let pid = nav::new_id();
    edit_roster(state, id, |r| {
        r.people.push(Cadre { id: pid, title: "van_phong_thong_ke".into(), ..Default::default() })
    });
}

/// The training-needs list of every commune of `province` (latest round of each commune).
pub fn training_needs(state: AppState, province: &str, lang: Lang) -> Vec<Need> {
    let s = standards();
    let mut latest: std::collections::BTreeMap<String, crate::domain::assessment::Assessment> =
        Default::default();
    state.assessments.with_untracked(|m| {
        for a in m.values().filter(|a| a.commune.province == province && !a.roster.people.is_empty()) {
            let keep =
                latest.get(&a.commune.name).is_none_or(|b| (a.round, a.updated_at) > (b.round, b.updated_at));
            if keep {
                latest.insert(a.commune.name.clone(), a.clone());
            }
        }
    });
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
