//! The leaders' dashboard: communes × criteria of one criteria set, each cell a verdict, with
//! how many communes meet each criterion. Rendered as static cells (no reactive parts per cell)
//! so hundreds of communes show at once.

use leptos::prelude::*;

use crate::domain::dashboard::matrix;
use crate::domain::score::Verdict;
use crate::state::{use_app_state, Route};
use crate::ui::components::verdict::badge;
use crate::ui::i18n::tr;

/// `#/dashboard`.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang.get();
    // The sets that have assessments, the most used first.
    let used = Memo::new(move |_| {
        let mut counts: Vec<(String, usize)> = Vec::new();
        state.assessments.with(|m| {
            for a in m.values() {
                let key = format!("{}@{}", a.framework_id, a.framework_version);
                match counts.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((key, 1)),
                }
            }
        });
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts.into_iter().filter_map(|(k, _)| state.framework_by_key(&k)).collect::<Vec<_>>()
    });
    let (chosen, set_chosen) = signal(None::<String>);
    let framework = Memo::new(move |_| {
        let list = used.get();
        chosen
            .get()
            .and_then(|k| list.iter().find(|f| f.key() == k).cloned())
            .or_else(|| list.first().cloned())
    });
    let (province, set_province) = signal(String::new());
    let provinces = Memo::new(move |_| {
        let mut v: Vec<String> =
            state.assessments.with(|m| m.values().map(|a| a.commune.province.clone()).collect());
        v.sort();
        v.dedup();
        v
    });
    let data = Memo::new(move |_| {
        let fw = framework.get()?;
        let p = province.get();
        let m = state.assessments.with(|m| matrix(&fw, m.values(), (!p.is_empty()).then_some(p.as_str())));
        Some((fw, m))
    });

    view! {
        <section class="ca-section">
            <h1>{move || tr(lang(), "dash.title")}</h1>
            <Show
                when=move || framework.with(Option::is_some)
                fallback=move || view! { <p data-testid="dash-empty">{move || tr(lang(), "dash.empty")}</p> }
            >
                <div class="ca-form ca-form--inline">
                    <label class="ca-field">
                        <span class="ca-field__label">{move || tr(lang(), "new.framework")}</span>
                        <select
                            class="ca-input"
                            data-testid="dash-framework"
                            on:change:target=move |ev| set_chosen.set(Some(ev.target().value()))
                        >
                            {move || {
                                let current = framework.get().map(|f| f.key());
                                used.get()
                                    .into_iter()
                                    .map(|f| {
                                        let k = f.key();
                                        let selected = current.as_deref() == Some(k.as_str());
                                        view! { <option value=k selected=selected>{f.short_title.get(lang()).to_string()}</option> }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                    <label class="ca-field">
                        <span class="ca-field__label">{move || tr(lang(), "dash.province")}</span>
                        <select
                            class="ca-input"
                            data-testid="dash-province"
                            on:change:target=move |ev| set_province.set(ev.target().value())
                        >
                            <option value="">{move || tr(lang(), "dash.all_provinces")}</option>
                            {move || {
                                provinces
                                    .get()
                                    .into_iter()
                                    .map(|p| view! { <option value=p.clone()>{p.clone()}</option> })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                </div>
                {move || data.get().map(|(fw, m)| {
                    let l = lang();
                    let n = m.rows.len();
                    let summary = format!("{}/{n} {}", m.communes_met, tr(l, "dash.communes_met"));
                    view! {
                        <p class="ca-dash__summary" data-testid="dash-summary"><strong>{summary}</strong></p>
                        <div class="ca-matrix__wrap">
                            <table class="ca-matrix" data-testid="dash-matrix">
                                <caption class="ca-visually-hidden">{tr(l, "dash.title")}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{tr(l, "dash.commune")}</th>
                                        {fw.criteria.iter().map(|c| view! {
                                            <th scope="col" title=c.title.get(l).to_string()>{c.id.clone()}</th>
                                        }).collect_view()}
                                        <th scope="col">{tr(l, "common.criteria")}</th>
                                        <th scope="col">{tr(l, "dash.verdict")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {m.rows.iter().map(|r| {
                                        let (class, verdict) = badge(r.verdict, l);
                                        view! {
                                            <tr data-testid="dash-row">
                                                <th scope="row">
                                                    <a class="ca-link" href=Route::Assessment(r.assessment_id.clone()).href()>{r.commune.clone()}</a>
                                                    <span class="ca-muted">{format!(" {} · {} · {}", r.province, r.round, r.stage.label(l))}</span>
                                                </th>
                                                {r.criteria.iter().zip(&fw.criteria).map(|(v, c)| {
                                                    let (mark, cls) = cell(*v);
                                                    let label = format!("{} {}: {}", tr(l, "dash.criterion"), c.id, v.label(l));
                                                    view! { <td class=cls title=label.clone() aria-label=label>{mark}</td> }
                                                }).collect_view()}
                                                <td>{format!("{}/{}", r.criteria_met, fw.criteria.len())}</td>
                                                <td><span class=class>{verdict}</span></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                                <tfoot>
                                    <tr data-testid="dash-totals">
                                        <th scope="row">{tr(l, "dash.met_per_criterion")}</th>
                                        {m.met_per_criterion.iter().map(|k| view! { <td>{format!("{k}/{n}")}</td> }).collect_view()}
                                        <td></td>
                                        <td></td>
                                    </tr>
                                </tfoot>
                            </table>
                        </div>
                    }
                })}
            </Show>
        </section>
    }
}

/// The mark and class of one cell; the mark is never colour alone.
fn cell(v: Verdict) -> (&'static str, &'static str) {
    match v {
        Verdict::Met => ("✓", "ca-cell ca-cell--met"),
        Verdict::NotMet => ("✗", "ca-cell ca-cell--not-met"),
        Verdict::Pending => ("…", "ca-cell ca-cell--pending"),
    }
}
