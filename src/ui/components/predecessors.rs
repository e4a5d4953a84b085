//! The communes a merged commune was formed from (01/07/2025), each with its latest result
//! before the merger, side by side with the new commune's: shown on compare and report pages.
//! Nothing is inherited; the table says so.

use leptos::prelude::*;

use crate::domain::compare::predecessors;
use crate::domain::score::evaluate;
use crate::state::{use_app_state, Route};
use crate::ui::i18n::{t, tr};

/// One predecessor's line: its name, and its latest record (id, round, set, stage, criteria met).
type Line = (String, Option<(String, u16, String, String, String)>);

/// The predecessors table of assessment `id`; nothing when the commune was not merged.
#[component]
pub fn Predecessors(id: String) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let units = crate::state::browser::units(state);
    move || {
        let l = lang();
        let rows: Vec<Line> = state.assessments().with(|m| {
            let a = m.get(&id)?;
            let all: Vec<_> = m.values().collect();
            let lists = units.get();
            let preds = predecessors(a, &lists, &all);
            Some(
                preds
                    .into_iter()
                    .map(|p| {
                        let label = match &p.district {
                            Some(d) => format!("{} ({d})", p.name),
                            None => p.name.clone(),
                        };
                        let rec = p.record.map(|r| {
                            let result = state
                                .framework(&r.framework_id, &r.framework_version)
                                .map(|fw| {
                                    let ev = evaluate(&fw, r);
                                    format!("{}/{}", ev.criteria_met, fw.criteria.len())
                                })
                                .unwrap_or_default();
                            (
                                r.id.clone(),
                                r.round,
                                r.framework_version.clone(),
                                r.workflow.stage.label(l).to_string(),
                                result,
                            )
                        });
                        (label, rec)
                    })
                    .collect(),
            )
        })?;
        (!rows.is_empty()).then(|| {
            view! {
                <section class="ca-report__section" data-testid="predecessors">
                    <h2>{t("pred.title")}</h2>
                    <p class="ca-note">{t("pred.not_inherited")}</p>
                    <table class="ca-table">
                        <thead><tr>
                            <th scope="col">{t("pred.commune")}</th>
                            <th scope="col">{t("common.round")}</th>
                            <th scope="col">{t("pred.set")}</th>
                            <th scope="col">{t("pred.stage")}</th>
                            <th scope="col">{t("pred.criteria_met")}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|(name, rec)| match rec {
                                Some((rid, round, set, stage, result)) => view! {
                                    <tr data-testid="predecessor-row">
                                        <td><a class="ca-link" href=Route::Assessment(rid).href()>{name}</a></td>
                                        <td>{round}</td><td>{set}</td><td>{stage}</td><td>{result}</td>
                                    </tr>
                                }.into_any(),
                                None => view! {
                                    <tr data-testid="predecessor-row">
                                        <td>{name}</td>
                                        <td colspan="4" class="ca-muted">{tr(l, "pred.no_record")}</td>
                                    </tr>
                                }.into_any(),
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            }
        })
    }
}
