//! Criteria sets: the list of every set and version, and one set's groups, criteria and
//! indicators with their thresholds per region/group and "unverified" flags.

use std::sync::Arc;

use leptos::prelude::*;

use crate::ui::components::help::HelpTerms;

use crate::domain::answer::fmt_num;
use crate::domain::framework::model::{Cell, DimensionValue, Threshold};
use crate::domain::framework::{Framework, Kind};
use crate::state::{use_app_state, Route};
use crate::ui::components::framework_notes::FrameworkNotes;
use crate::ui::components::verdict::UnverifiedFlag;
use crate::ui::i18n::{t, text, tr};

/// Every framework version known to the app.
#[component]
pub fn FrameworksPage() -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let (start_error, set_start_error) = signal(None::<String>);
    view! {
        <section class="ca-section">
            <h1>{t("nav.frameworks")}</h1>
            <HelpTerms terms=&["khung-tam", "chua-xac-minh", "nguon", "tam-tinh"] />
            <ul class="ca-cards" data-testid="framework-list">
                {move || {
                    state
                        .frameworks()
                        .get()
                        .into_iter()
                        .map(|fw| {
                            let census = fw.threshold_census();
                            let fw2 = fw.clone();
                            view! {
                                <li class="ca-card">
                                    <a href=Route::Framework(fw.key()).href()>
                                        <strong>{move || fw2.title.get(lang()).to_string()}</strong>
                                    </a>
                                    <span>
                                        {fw.legal.decision.clone()} " · " {fw.period.0} "–" {fw.period.1}
                                    </span>
                                    <span>
                                        {fw.criteria.len()} " " {t("common.criteria")} ", "
                                        {fw.indicators.len()} " " {t("common.indicators")}
                                    </span>
                                    <span title=t("fw.census")>
                                        {t("fw.census")} ": " {census.verified} " / "
                                        {census.flagged} " / " {census.unknown}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <p>
                <button class="ca-button ca-button--ghost" data-testid="fw-new-empty" on:click=move |_| {
                    match crate::state::editor::start(state.env().kv, state.env().clock, None) {
                        Ok(id) => crate::io::nav::set_hash(&Route::FrameworkEdit(id).path()),
                        Err(e) => set_start_error.set(Some(e)),
                    }
                }>{t("fw.edit_empty")}</button>
            </p>
            {move || start_error.get().map(|e| view! { <p class="ca-error" role="alert">{e}</p> })}
            {move || {
                let drafts = crate::state::editor::list(state.env().kv);
                (!drafts.is_empty()).then(|| view! {
                    <h2>{t("fw.drafts")}</h2>
                    <ul class="ca-cards" data-testid="draft-list">
                        {drafts.into_iter().map(|d| view! {
                            <li class="ca-card">
                                <a href=Route::FrameworkEdit(d.id.clone()).href()>
                                    <strong>{d.doc.title.get(lang()).to_string()}</strong>
                                </a>
                                <span>{format!("{}@{} · {}", d.doc.id, d.doc.version, crate::io::nav::date(d.saved_at))}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}

/// One framework in full.
#[component]
pub fn FrameworkPage(
    /// `id@version` of the framework.
    key: String,
) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    match state.framework_by_key(&key) {
        None => view! { <p>{t("fw.not_found")} " " {key.clone()}</p> }.into_any(),
        Some(fw) => {
            let f = fw.clone();
            let provisional = fw.provisional;
            let key2 = key.clone();
            let (start_error, set_start_error) = signal(None::<String>);
            let start =
                move |_| match crate::state::editor::start(state.env().kv, state.env().clock, Some(&key2)) {
                    Ok(id) => crate::io::nav::set_hash(&Route::FrameworkEdit(id).path()),
                    Err(e) => set_start_error.set(Some(e)),
                };
            view! {
                <section class="ca-section">
                    <h1>{move || f.title.get(lang()).to_string()}</h1>
                    {provisional.then(|| view! { <p class="ca-banner" data-testid="fw-complete-why">{t("fw.edit_complete_why")}</p> })}
                    <p>
                        <button class="ca-button" data-testid="fw-edit" on:click=start>
                            {move || tr(lang(), if provisional { "fw.edit_complete" } else { "fw.edit_derive" })}
                        </button>
                    </p>
                    {move || start_error.get().map(|e| view! { <p class="ca-error" role="alert">{e}</p> })}
                    <LegalBasisLine framework=fw.clone() />
                    <FrameworkNotes framework=fw.clone() />
                    <IndicatorTable framework=fw.clone() />
                </section>
            }
            .into_any()
        }
    }
}

#[component]
fn LegalBasisLine(framework: Arc<Framework>) -> impl IntoView {
    let l = framework.legal.clone();
    let replaces = l.replaces.join(", ");
    view! {
        <p class="ca-legal">
            {t("fw.legal")} ": " <strong>{l.decision.clone()}</strong> ", "
            {t("fw.signed")} " " {l.signed.clone()} ", "
            {t("fw.in_force")} " " {l.in_force.clone()}
            {(!replaces.is_empty())
                .then(|| view! { "; " {t("fw.replaces")} " " {replaces.clone()} })}
        </p>
    }
}

fn cell_text(c: Option<&Option<Cell>>, national: Option<&Cell>) -> (String, bool) {
    match c {
        Some(Some(cell)) => (fmt_num(cell.value), !cell.verified),
        Some(None) => ("—".into(), true),
        None => (national.map(|n| fmt_num(n.value)).unwrap_or_else(|| "—".into()), false),
    }
}

/// The national cell and one cell per column of a threshold, as shown ("≥50%", flagged when not
/// verified or not known).
fn threshold_cells(
    threshold: Option<&Threshold>,
    cmp: &str,
    pct: &str,
    columns: &[DimensionValue],
) -> ((String, bool), Vec<(String, bool)>) {
    let national = threshold
        .map(|t| {
            let (s, flag) = match &t.national {
                Some(c) => (fmt_num(c.value), !c.verified),
                None => ("—".into(), true),
            };
            (format!("{cmp}{s}{pct}"), flag)
        })
        .unwrap_or_else(|| (String::new(), false));
    let cells = columns
        .iter()
        .map(|v| match threshold {
            Some(t) if !t.by.is_empty() => {
                let (s, flag) = cell_text(t.by.get(&v.id), t.national.as_ref());
                (if s == "—" { s } else { format!("{cmp}{s}{pct}") }, flag)
            }
            Some(_) => (national.0.clone(), national.1),
            None => (String::new(), false),
        })
        .collect();
    (national, cells)
}

/// Every indicator with its kind, comparator and threshold per column.
#[component]
fn IndicatorTable(framework: Arc<Framework>) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let fw = framework;
    let columns: Vec<_> = fw.dimension.values.iter().filter(|v| v.uses.is_none()).cloned().collect();
    let head = columns.clone();
    view! {
        <div class="ca-table-wrap">
            <table class="ca-table" data-testid="indicator-table">
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">{t("common.indicators")}</th>
                        <th scope="col">{t("fw.threshold.national")}</th>
                        {head
                            .into_iter()
                            .map(|v| view! { <th scope="col">{move || v.title.get(lang()).to_string()}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {fw.indicators
                        .iter()
                        .map(|ind| {
                            let (cmp, threshold, part) = match &ind.kind {
                                Kind::Ratio { cmp, threshold, part, .. } => {
                                    (cmp.symbol(), Some(threshold), part.as_ref().map(|p| &p.threshold))
                                }
                                Kind::Number { cmp, threshold, .. } => (cmp.symbol(), Some(threshold), None),
                                _ => ("", None, None),
                            };
                            let pct = if matches!(ind.kind, Kind::Ratio { .. }) { "%" } else { "" };
                            let kind_key = format!("fw.kind.{}", ind.kind.name());
                            let title = ind.title.clone();
                            let (national, cells) = threshold_cells(threshold, cmp, pct, &columns);
                            // "≥95% (trong đó ≥65%)": a ratio's second condition in the same cell.
                            let (national, cells) = match part {
                                None => (national, cells),
                                Some(p) => {
                                    let (pn, pc) = threshold_cells(Some(p), cmp, pct, &columns);
                                    let of_which = tr(lang(), "fill.of_which");
                                    let join = |(a, fa): (String, bool), (b, fb): (String, bool)| {
                                        (format!("{a} ({of_which} {b})"), fa || fb)
                                    };
                                    let cells = cells.into_iter().zip(pc).map(|(a, b)| join(a, b)).collect();
                                    (join(national, pn), cells)
                                }
                            };
                            let source = ind.source.clone();
                            view! {
                                <tr data-testid="indicator-row">
                                    <td class="ca-code">{ind.id.clone()}</td>
                                    <td>
                                        {text(title)}
                                        {(!ind.verified).then(|| view! { " " <UnverifiedFlag /> })}
                                        <div class="ca-muted">
                                            {move || tr(lang(), &kind_key)} " · "
                                            {t("fw.source")} ": " {source.clone()}
                                        </div>
                                    </td>
                                    <td>
                                        {national.0.clone()}
                                        {(national.1 && !national.0.is_empty()).then_some(view! { " ⚠" })}
                                    </td>
                                    {cells
                                        .into_iter()
                                        .map(|(s, flag)| {
                                            view! {
                                                <td class:ca-cell--flag=flag>
                                                    {s} {flag.then_some(view! { " ⚠" })}
                                                </td>
                                            }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
