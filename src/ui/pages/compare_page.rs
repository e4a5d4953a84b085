//! Two rounds of one commune side by side (`#/a/<id>/compare`): criteria and indicators newly
//! met, newly lost, and values changed since the earlier round chosen. Printable like the report.

use leptos::prelude::*;

use crate::domain::compare::{compare, earlier_rounds, Movement};
use crate::domain::score::Verdict;
use crate::io::nav;
use crate::state::{use_app_state, Route};
use crate::ui::components::predecessors::Predecessors;
use crate::ui::components::verdict::badge_view;
use crate::ui::i18n::{t, tr};

#[component]
pub fn ComparePage(
    /// The later assessment's id.
    id: String,
) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let Some(later) = state.assessments().with_untracked(|m| m.get(&id).cloned()) else {
        return view! { <p>{t("fill.not_found")}</p> }.into_any();
    };
    let earlier: Vec<_> = state
        .assessments()
        .with_untracked(|m| earlier_rounds(&later, m.values()).into_iter().cloned().collect());
    let back = Route::Assessment(id.clone()).href();
    if earlier.is_empty() {
        return view! {
            <section class="ca-section">
                <a class="ca-link" href=back>"← " {t("common.back")}</a>
                <p data-testid="compare-none">{t("compare.none")}</p>
            </section>
            <Predecessors id=id.clone() />
        }
        .into_any();
    }
    let (chosen, set_chosen) = signal(earlier[0].id.clone());
    let options = earlier.clone();
    let list = StoredValue::new(earlier);
    let later = StoredValue::new(later);
    let verdict = move |v: Option<Verdict>| match v {
        Some(v) => badge_view(v, lang()).into_any(),
        None => view! { <span class="ca-muted">"—"</span> }.into_any(),
    };
    view! {
        <div class="ca-report-tools ca-noprint">
            <a class="ca-link" href=back>"← " {t("common.back")}</a>
            <label class="ca-field">
                <span class="ca-field__label">{t("compare.with")}</span>
                <select class="ca-input" data-testid="compare-with" on:change:target=move |ev| set_chosen.set(ev.target().value())>
                    {options.into_iter().map(|a| {
                        let label = format!("{} · {}", a.round, a.framework_version);
                        view! { <option value=a.id.clone()>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <button class="ca-button" on:click=move |_| nav::print()>{t("report.print")}</button>
        </div>
        {move || {
            let l = lang();
            let b = later.get_value();
            let a = list.with_value(|v| v.iter().find(|x| x.id == chosen.get()).cloned())?;
            let fw_a = state.framework(&a.framework_id, &a.framework_version)?;
            let fw_b = state.framework(&b.framework_id, &b.framework_version)?;
            let lines = compare(&fw_a, &a, &fw_b, &b, l);
            let count = |m: Movement| lines.iter().filter(|x| !x.is_criterion && x.movement == m).count();
            let summary = format!(
                "{} {} · {} {} · {} {}",
                count(Movement::NewlyMet), Movement::NewlyMet.label(l),
                count(Movement::NewlyLost), Movement::NewlyLost.label(l),
                lines.iter().filter(|x| x.values.is_some()).count(), tr(l, "compare.changed"),
            );
            Some(view! {
                <article class="ca-report" data-testid="compare">
                    <p class="ca-report__kicker">{t("compare.kicker")}</p>
                    <h1>{format!("{}, {}: {} → {}", b.commune.name, b.commune.province, a.round, b.round)}</h1>
                    <p data-testid="compare-summary">{summary}</p>
                    <table class="ca-table ca-report__table">
                        <thead><tr>
                            <th scope="col">"#"</th><th scope="col">{t("report.col.indicator")}</th>
                            <th scope="col">{a.round}</th><th scope="col">{b.round}</th><th scope="col">{t("compare.movement")}</th>
                        </tr></thead>
                        <tbody>
                            {lines.into_iter().filter(|x| x.movement != Movement::StillMet || x.values.is_some() || x.is_criterion).map(|x| {
                                let (va, vb) = x.values.clone().unwrap_or_default();
                                view! {
                                    <tr class="ca-report__row" class:ca-report__crit-row=x.is_criterion data-testid="compare-row" data-movement=format!("{:?}", x.movement)>
                                        <td class="ca-code">{x.id.clone()}</td>
                                        <td>{x.title.clone()}</td>
                                        <td>{verdict(x.before)} <div class="ca-small">{va}</div></td>
                                        <td>{verdict(x.after)} <div class="ca-small">{vb}</div></td>
                                        <td>{x.movement.label(l)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </article>
            })
        }}
        <Predecessors id=later.with_value(|b| b.id.clone()) />
    }
    .into_any()
}
