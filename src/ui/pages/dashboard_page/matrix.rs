//! The leaders' dashboard: provinces × criteria (how many communes meet each), and for one
//! province its communes × criteria, each cell a verdict. Static cells (no reactive parts per
//! cell), and communes a hundred at a time, so a thousand assessments still show at once.

use leptos::prelude::*;

use crate::ui::components::help::HelpTerms;

use crate::domain::dashboard::{matrix, Bar};
use crate::domain::score::Verdict;
use crate::domain::workflow::Stage;
use crate::io::download;
use crate::state::{use_app_state, Route};
use crate::ui::components::charts::BarChart;
use crate::ui::components::verdict::badge;
use crate::ui::i18n::{t, tr};

/// Communes shown before "show more".
const PAGE: usize = 100;

/// `#/dashboard`.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let l_now = move || state.lang().get_untracked();
    // The units lists, to split a round across the 01/07/2025 merger.
    let units = crate::state::browser::units(state);
    // The sets that have assessments, the most used first.
    let used = Memo::new(move |_| {
        let mut counts: Vec<(String, usize)> = Vec::new();
        state.assessments().with(|m| {
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
    let (stage_f, set_stage_f) = signal(String::new());
    let (round_f, set_round_f) = signal(String::new());
    let (group_f, set_group_f) = signal(String::new());
    let (shown, set_shown) = signal(PAGE);
    let provinces = Memo::new(move |_| {
        let mut v: Vec<String> =
            state.assessments().with(|m| m.values().map(|a| a.commune.province.clone()).collect());
        v.sort();
        v.dedup();
        v
    });
    let data = Memo::new(move |_| {
        let fw = framework.get()?;
        let p = province.get();
        let round = round_f.get();
        let m = state.assessments().with(|m| {
            let picked = m.values().filter(|a| round.is_empty() || a.round.to_string() == round);
            matrix(&fw, picked, (!p.is_empty()).then_some(p.as_str()))
        });
        let (stage, group) = (stage_f.get(), group_f.get());
        let m = if stage.is_empty() && group.is_empty() {
            m
        } else {
            m.filtered(|r| {
                (stage.is_empty() || format!("{:?}", r.stage).to_lowercase() == stage)
                    && (group.is_empty() || r.dimension_value == group)
            })
        };
        Some((fw, m))
    });
    // The results of the communes the filters show, one line per indicator.
    // `Export::Xlsx` and `Export::Csv` are for people (words, dd/mm/yyyy, numbers as numbers);
    // `Export::Data` is the machine CSV with stable codes (docs/data-formats.md).
    #[derive(Clone, Copy)]
    enum Export {
        Xlsx,
        Csv,
        Data,
    }
    let export = move |kind: Export| {
        let Some((fw, m)) = data.get_untracked() else { return };
        let l = lang();
        let day = crate::io::nav::date(crate::io::nav::now_ms()).replace('/', "-");
        state.assessments().with_untracked(|all| {
            let items = || m.rows.iter().filter_map(|r| all.get(&r.assessment_id)).map(|a| (a, &*fw));
            let _ = match kind {
                Export::Xlsx => {
                    let bytes = crate::domain::report::people_xlsx(items(), l);
                    download::download_bytes(&format!("ket-qua-{day}.xlsx"), download::XLSX, &bytes)
                }
                Export::Csv => {
                    let csv = crate::domain::report::people_csv(items(), l);
                    download::download(&format!("ket-qua-{day}.csv"), "text/csv;charset=utf-8", &csv)
                }
                Export::Data => {
                    let csv = crate::domain::report::results_csv(items(), ',', l);
                    download::download(&format!("du-lieu-{day}.csv"), "text/csv;charset=utf-8", &csv)
                }
            };
        });
    };

    view! {
        <section class="ca-section">
            <h1>{t("dash.title")}</h1>
            <HelpTerms terms=&["tam-tinh", "tham-tra", "nhom-xa"] />
            <DemoControls />
            <Show
                when=move || framework.with(Option::is_some)
                fallback=move || view! { <p data-testid="dash-empty">{t("dash.empty")}</p> }
            >
                <div class="ca-form ca-form--inline ca-noprint">
                    <label class="ca-field">
                        <span class="ca-field__label">{t("new.framework")}</span>
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
                        <span class="ca-field__label">{t("dash.province")}</span>
                        <select
                            class="ca-input"
                            data-testid="dash-province"
                            prop:value=province
                            on:change:target=move |ev| {
                                set_shown.set(PAGE);
                                set_province.set(ev.target().value())
                            }
                        >
                            <option value="">{t("dash.all_provinces")}</option>
                            {move || {
                                let current = province.get();
                                provinces
                                    .get()
                                    .into_iter()
                                    .map(|p| {
                                        let selected = p == current;
                                        view! { <option value=p.clone() selected=selected>{p.clone()}</option> }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                    <label class="ca-field">
                        <span class="ca-field__label">{t("report.round")}</span>
                        <select class="ca-input" data-testid="dash-round" on:change:target=move |ev| { set_shown.set(PAGE); set_round_f.set(ev.target().value()) }>
                            <option value="">{t("dash.latest_round")}</option>
                            {move || {
                                let fw = framework.get();
                                let mut rounds: Vec<u16> = state.assessments().with(|m| m.values()
                                    .filter(|a| fw.as_ref().is_some_and(|f| a.framework_id == f.id && a.framework_version == f.version))
                                    .map(|a| a.round).collect());
                                rounds.sort_unstable();
                                rounds.dedup();
                                rounds.into_iter().rev().map(|r| view! { <option value=r.to_string()>{r}</option> }).collect_view()
                            }}
                        </select>
                    </label>
                    <label class="ca-field">
                        <span class="ca-field__label">{t("dash.stage")}</span>
                        <select class="ca-input" data-testid="dash-stage" on:change:target=move |ev| { set_shown.set(PAGE); set_stage_f.set(ev.target().value()) }>
                            <option value="">{t("dash.all")}</option>
                            {crate::domain::dashboard::STAGES.iter().map(|st| {
                                let v = format!("{st:?}").to_lowercase();
                                view! { <option value=v>{move || st.label(lang())}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="ca-field">
                        <span class="ca-field__label">{t("dash.group")}</span>
                        <select class="ca-input" data-testid="dash-group" on:change:target=move |ev| { set_shown.set(PAGE); set_group_f.set(ev.target().value()) }>
                            <option value="">{t("dash.all")}</option>
                            {move || framework.get().map(|fw| fw.dimension.values.iter().map(|v| {
                                let (id, title) = (v.id.clone(), v.title.get(lang()).to_string());
                                view! { <option value=id>{title}</option> }
                            }).collect_view())}
                        </select>
                    </label>
                    <button class="ca-button ca-button--ghost" data-testid="dash-print" on:click=move |_| crate::io::nav::print()>{t("dash.print")}</button>
                    <button class="ca-button ca-button--ghost" data-testid="dash-xlsx" on:click=move |_| export(Export::Xlsx)>{t("dash.xlsx")}</button>
                    <button class="ca-button ca-button--ghost" data-testid="dash-csv" on:click=move |_| export(Export::Csv)>{t("dash.csv")}</button>
                    <button class="ca-button ca-button--ghost" data-testid="dash-csv-data" title=move || tr(lang(), "report.csv_data.hint") on:click=move |_| export(Export::Data)>{t("dash.csv_data")}</button>
                </div>
                // The matrix is computed when the set or province changes; paging only renders.
                {move || data.get().map(|(fw, m)| {
                    let l = lang();
                    let n = m.rows.len();
                    // "Đạt chuẩn" only for recognised communes; the others meeting every
                    // criterion are said apart, and every stage is counted.
                    let stages = crate::domain::dashboard::STAGES
                        .iter()
                        .zip(m.by_stage)
                        .map(|(s, k)| format!("{}: {k}", s.label(l)))
                        .collect::<Vec<_>>()
                        .join(" · ");
                    let summary = format!(
                        "{}/{n} {} · {}/{n} {} · {stages}",
                        m.recognised,
                        tr(l, "dash.recognised"),
                        m.communes_met,
                        tr(l, "dash.communes_met"),
                    );
                    let provinces = m.by_province();
                    let fw_head = fw.clone();
                    // The first column's title, and the columns after the criteria.
                    let header = move |first: &'static str, tail: &'static [&'static str]| view! {
                        <thead>
                            <tr>
                                <th scope="col">{tr(l, first)}</th>
                                {fw_head.criteria.iter().map(|c| view! {
                                    <th scope="col" title=c.title.get(l).to_string()>{c.id.clone()}</th>
                                }).collect_view()}
                                {tail.iter().map(|k| view! { <th scope="col">{tr(l, k)}</th> }).collect_view()}
                            </tr>
                        </thead>
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
                    // Charts drawn from the same matrix, so their totals are the table's.
                    let n_criteria = fw.criteria.len();
                    // Every value deciding these results that is not from the official text makes them provisional.
                    let provisional = fw.provisional
                        || fw.indicators.iter().any(|i| i.provenance != crate::domain::framework::Provenance::Official);
                    let note = if provisional { tr(l, "dash.chart.provisional") } else { String::new() };
                    let distribution = m.distribution(n_criteria).into_iter().map(|b| Bar { label: format!("{} {}", b.label, tr(l, "dash.chart.criteria")), value: b.value }).collect::<Vec<_>>();
                    let stage_bars = crate::domain::dashboard::STAGES.iter().zip(m.by_stage).map(|(s, k)| Bar { label: s.label(l).to_string(), value: k }).collect::<Vec<_>>();
                    let crit_bars = fw.criteria.iter().zip(&m.met_per_criterion).map(|(c, k)| Bar { label: format!("{} {}", tr(l, "report.criterion"), c.id), value: *k }).collect::<Vec<_>>();
                    let province_now = province.get_untracked();
                    let group_now = group_f.get_untracked();
                    let rounds = state.assessments().with(|all| {
                        let p = province_now.clone();
                        let g = group_now.clone();
                        let picked = all.values().filter(move |a| {
                            (p.is_empty() || crate::domain::text::name_key(&a.commune.province) == crate::domain::text::name_key(&p))
                                && (g.is_empty() || a.dimension_value == g)
                        });
                        units.with(|lists| crate::domain::dashboard::by_round(&fw, picked, &m, lists))
                    });
                    // A round split by the merger names the units list of each part.
                    let round_bars = rounds
                        .iter()
                        .map(|r| {
                            let split = rounds.iter().filter(|o| o.round == r.round).count() > 1;
                            let label = match (&r.units, split) {
                                (Some(id), true) => units.with(|lists| {
                                    lists.iter().find(|l| &l.id == id).map_or_else(
                                        || format!("{} · {id}", r.round),
                                        |l| format!("{} · {} ({})", r.round, l.province.name, l.period_text(&tr(l_now(), "new.units.now"))),
                                    )
                                }),
                                (None, true) => format!("{} · {}", r.round, tr(l_now(), "dash.rounds.other_units")),
                                _ => r.round.to_string(),
                            };
                            Bar { label, value: r.met }
                        })
                        .collect::<Vec<_>>();
                    view! {
                        <p class="ca-dash__summary" data-testid="dash-summary"><strong>{summary}</strong></p>
                        <div class="ca-charts" data-testid="dash-charts">
                            <BarChart title=tr(l, "dash.chart.distribution") bars=distribution total=n testid="chart-distribution" note=note.clone() />
                            <BarChart title=tr(l, "dash.chart.stages") bars=stage_bars total=n testid="chart-stages" />
                            <BarChart title=tr(l, "dash.chart.criteria_share") bars=crit_bars total=n testid="chart-criteria" note=note.clone() />
                            <BarChart title=tr(l, "dash.chart.rounds") bars=round_bars testid="chart-rounds" note=note />
                        </div>
                        <div class="ca-matrix__wrap">{table}</div>
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
fn DemoControls() -> impl IntoView {
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
