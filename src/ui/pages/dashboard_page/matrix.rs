//! The tables: every province × criteria (how many communes meet each), one province's
//! communes × criteria (each cell a verdict, a mark and a spoken label), and from the server the
//! provinces × criteria of the roll-up. Static cells (no reactive parts per cell), communes a
//! hundred at a time; the columns share the width so every criterion shows without scrolling
//! sideways at 1366 px. And the sample data's buttons.

use leptos::prelude::*;

use crate::domain::dashboard::Matrix;
use crate::domain::framework::Framework;
use crate::domain::rollup::Figures;
use crate::domain::score::Verdict;
use crate::domain::text::Lang;
use crate::domain::workflow::Stage;
use crate::state::{use_app_state, Route};
use crate::ui::components::verdict::badge;
use crate::ui::i18n::{t, tr};

use super::PAGE;

/// This tablet's table: provinces × criteria when several provinces are shown, else the
/// communes × criteria of the one shown.
pub(super) fn tables(
    fw: &Framework,
    m: &Matrix,
    province: ReadSignal<String>,
    set_province: WriteSignal<String>,
    shown: ReadSignal<usize>,
    set_shown: WriteSignal<usize>,
    l: Lang,
) -> impl IntoView {
    let fw = fw.clone();
    let n = m.rows.len();
    let provinces = m.by_province();
    let fw_head = fw.clone();
    // The first column's title, and the columns after the criteria.
    let header = move |first: &'static str, tail: &'static [&'static str]| {
        view! {
            <thead>
                <tr>
                    <th scope="col">{tr(l, first)}</th>
                    {fw_head.criteria.iter().map(|c| view! {
                        <th scope="col" title=c.title.get(l).to_string()>{c.id.clone()}</th>
                    }).collect_view()}
                    {tail.iter().map(|k| view! { <th scope="col">{tr(l, k)}</th> }).collect_view()}
                </tr>
            </thead>
        }
    };
    let table = if province.get().is_empty() && provinces.len() > 1 {
        // Every province: how many of its communes meet each criterion.
        view! {
            <table class="ca-matrix" data-testid="dash-provinces">
                <caption class="ca-visually-hidden">{tr(l, "dash.title")}</caption>
                {header("dash.province", &["dash.communes_met_short", "dash.recognised_short"])}
                <tbody>
                    {provinces.into_iter().map(|p| {
                        let name = p.province.clone();
                        view! {
                            <tr data-testid="dash-province-row">
                                <th scope="row">
                                    <button class="ca-link ca-button--link" on:click=move |_| set_province.set(name.clone())>
                                        {p.province.clone()}
                                    </button>
                                    <span class="ca-muted">{format!(" · {} {}", p.communes, tr(l, "dash.communes"))}</span>
                                </th>
                                {p.met_per_criterion.iter().map(|k| {
                                    let (cls, label) = share(*k, p.communes);
                                    view! { <td class=cls title=label>{format!("{k}/{}", p.communes)}</td> }
                                }).collect_view()}
                                <td>{format!("{}/{}", p.communes_met, p.communes)}</td>
                                <td>{format!("{}/{}", p.recognised, p.communes)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }.into_any()
    } else {
        let limit = shown.get();
        let more = n.saturating_sub(limit);
        view! {
            <table class="ca-matrix" data-testid="dash-matrix">
                <caption class="ca-visually-hidden">{tr(l, "dash.title")}</caption>
                {header("dash.commune", &["common.criteria", "dash.verdict"])}
                <tbody>
                    {m.rows.iter().take(limit).map(|r| {
                        let (class, verdict) = match (r.verdict, r.stage) {
                            (Verdict::Met, Stage::Recognised) => badge(Verdict::Met, l),
                            // Every criterion met, not recognised (yet): never a bare "đạt chuẩn".
                            (Verdict::Met, _) => ("ca-badge ca-badge--pending", tr(l, "dash.meets_not_recognised")),
                            (v, _) => badge(v, l),
                        };
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
            {(more > 0).then(|| view! {
                <button class="ca-button ca-button--ghost" data-testid="dash-more" on:click=move |_| set_shown.update(|s| *s += PAGE)>
                    {format!("{} ({more})", tr(l, "dash.more"))}
                </button>
            })}
        }.into_any()
    };
    view! { <div class="ca-matrix__wrap">{table}</div> }
}

/// The server's roll-up as provinces × criteria: how many records of each province meet each.
pub(super) fn province_table(fw: &Framework, f: &Figures, l: Lang) -> impl IntoView {
    let ids: Vec<String> = f.per_criterion.iter().map(|(id, _)| id.clone()).collect();
    view! {
        <div class="ca-matrix__wrap">
            <table class="ca-matrix" data-testid="dash-server-provinces">
                <caption class="ca-visually-hidden">{tr(l, "dash.title")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(l, "dash.province")}</th>
                        {ids.iter().map(|id| {
                            let title = fw.criteria.iter().find(|c| &c.id == id).map(|c| c.title.get(l).to_string()).unwrap_or_default();
                            view! { <th scope="col" title=title>{id.clone()}</th> }
                        }).collect_view()}
                        <th scope="col">{tr(l, "dash.communes_met_short")}</th>
                        <th scope="col">{tr(l, "dash.recognised_short")}</th>
                    </tr>
                </thead>
                <tbody>
                    {f.by_province.iter().map(|p| {
                        let n = usize::try_from(p.records).unwrap_or(usize::MAX);
                        view! {
                            <tr data-testid="dash-server-province">
                                <th scope="row">{p.province.clone()}<span class="ca-muted">{format!(" · {} {}", p.records, tr(l, "dash.communes"))}</span></th>
                                {p.per_criterion.iter().map(|k| {
                                    let (cls, label) = share(usize::try_from(*k).unwrap_or(0), n);
                                    view! { <td class=cls title=label>{format!("{k}/{n}")}</td> }
                                }).collect_view()}
                                <td>{format!("{}/{n}", p.all_met)}</td>
                                <td>{format!("{}/{n}", p.recognised)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
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

/// The class and spoken label of a "k of n communes" cell, shaded by share.
fn share(k: usize, n: usize) -> (&'static str, String) {
    let pct = (k * 100).checked_div(n).unwrap_or(0);
    let cls = match pct {
        100 => "ca-cell ca-cell--met",
        50..=99 => "ca-cell ca-cell--half",
        _ => "ca-cell ca-cell--low",
    };
    (cls, format!("{pct}%"))
}

/// "Dữ liệu mẫu": load the labelled sample in one click, remove it in one click (real records
/// are never touched); while it is loaded the page says so.
#[component]
pub fn DemoControls() -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let loaded = Memo::new(move |_| {
        state.assessments().with(|m| m.keys().filter(|k| crate::domain::demo::is_demo(k)).count())
    });
    // What the last button did, said in the language shown now (switching the language after
    // loading re-reads it; a message frozen in the language of the moment stayed Vietnamese).
    enum Done {
        Loaded(usize),
        Removed(usize),
        Failed(String),
        RemoveFailed(crate::state::ActionError),
    }
    let (message, set_message) = signal(None::<Done>);
    let said = move || {
        message.with(|m| {
            m.as_ref().map(|m| match m {
                Done::Loaded(n) => format!("{} {n}", tr(lang(), "demo.loaded")),
                Done::Removed(n) => format!("{} {n}", tr(lang(), "demo.removed")),
                Done::Failed(e) => e.clone(),
                Done::RemoveFailed(e) => e.message(lang()),
            })
        })
    };
    view! {
        <div class="ca-demo" data-testid="demo">
            {move || (loaded.get() > 0).then(|| view! {
                <p class="ca-banner" data-testid="demo-banner">{format!("{} ({})", tr(lang(), "demo.shown"), loaded.get())}</p>
            })}
            <span class="ca-noprint">
            <button class="ca-button ca-button--ghost" data-testid="demo-load" disabled=move || { loaded.get() > 0 }
                on:click=move |_| set_message.set(Some(match crate::state::data::load_demo(state) {
                    Ok(n) => Done::Loaded(n),
                    Err(e) => Done::Failed(e),
                }))>
                {t("demo.load")}
            </button>
            " "
            <button class="ca-button ca-button--ghost" data-testid="demo-remove" disabled=move || loaded.get() == 0
                on:click=move |_| set_message.set(Some(match crate::state::data::remove_demo(state) {
                    Ok(n) => Done::Removed(n),
                    Err(e) => Done::RemoveFailed(e),
                }))>
                {t("demo.remove")}
            </button>
            {move || said().map(|m| view! { <span class="ca-muted" role="status" data-testid="demo-message">" " {m}</span> })}
            </span>
        </div>
    }
}
