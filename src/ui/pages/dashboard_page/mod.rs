//! The leaders' room: the headline figures first (recognised, meeting every criterion, by stage,
//! by commune group), the charts beside them, the filters in one bar, then the communes ×
//! criteria matrix; from this tablet's records or from a province's or the national roll-up on
//! the server (`state::rollup`); and a present mode for the projector (`present`).

mod figures;
mod matrix;
mod present;

use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::dashboard::{matrix, Matrix};
use crate::domain::framework::Framework;
use crate::domain::rollup::{self, Fetched, Figures};
use crate::io::download;
use crate::state::{use_app_state, AppState};
use crate::ui::components::help::HelpTerms;
use crate::ui::i18n::{t, tr};

pub use matrix::DemoControls;

/// Communes shown before "show more".
const PAGE: usize = 100;

/// Where the figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The records on this tablet.
    Tablet,
    /// The province database this tablet syncs with.
    Province,
    /// The national database (`tieuchi_national`).
    Nation,
}

impl Source {
    fn id(self) -> &'static str {
        match self {
            Source::Tablet => "tablet",
            Source::Province => "province",
            Source::Nation => "nation",
        }
    }
    fn from_id(id: &str) -> Source {
        match id {
            "province" => Source::Province,
            "nation" => Source::Nation,
            _ => Source::Tablet,
        }
    }
}

/// What the server source gives for one database and set (`for_`): the figures fetched now, or
/// why not and the last ones kept.
#[derive(Clone, PartialEq)]
struct Served {
    for_: (String, String),
    got: Got,
}

#[derive(Clone, PartialEq)]
enum Got {
    Fresh(Fetched),
    Unreachable(String, Option<Fetched>),
}

/// What the page draws, whatever the source.
#[derive(Clone, PartialEq)]
pub(super) struct Drawn {
    pub fw: Arc<Framework>,
    pub figures: Figures,
    /// This tablet's matrix (the communes), when the source is this tablet; shared, not copied,
    /// by the parts that draw it.
    pub matrix: Option<Arc<Matrix>>,
    pub provisional: bool,
    pub demo: bool,
    /// What is counted: the province (or all), the round (or each commune's latest), the source.
    pub scope: String,
    /// Records on the server whose summary does not fit this set, not counted (`rollup::Communes`).
    pub left_out: u64,
}

/// `#/dashboard`.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let state = use_app_state();
    let sync = crate::state::sync::use_sync();
    let lang = move || state.lang().get();
    // The sets that have assessments here: the one in force this year first, then the most used.
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
        let year = crate::domain::date::year_of_ms(crate::io::nav::now_ms());
        let mut sets: Vec<(Arc<Framework>, usize)> =
            counts.into_iter().filter_map(|(k, n)| state.framework_by_key(&k).map(|f| (f, n))).collect();
        sets.sort_by(|(a, n), (b, m)| {
            let now = |f: &Framework| (f.period.0..=f.period.1).contains(&year);
            now(b).cmp(&now(a)).then(m.cmp(n)).then_with(|| a.key().cmp(&b.key()))
        });
        sets.into_iter().map(|(f, _)| f).collect::<Vec<_>>()
    });
    let (source, set_source) = signal(Source::Tablet);
    let (chosen, set_chosen) = signal(None::<String>);
    // The server knows sets this tablet has no record of: every set held here can be chosen then.
    let choices = Memo::new(move |_| {
        if source.get() == Source::Tablet {
            used.get()
        } else {
            let mut all = used.get();
            let year = crate::domain::date::year_of_ms(crate::io::nav::now_ms());
            let mut rest: Vec<Arc<Framework>> = state
                .frameworks()
                .get()
                .iter()
                .filter(|f| !all.iter().any(|g| g.key() == f.key()))
                .cloned()
                .collect();
            // The set in force first when this tablet has no record of it.
            rest.sort_by_key(|f| !(f.period.0..=f.period.1).contains(&year));
            if all.is_empty() {
                all = rest;
            } else {
                all.extend(rest);
            }
            all
        }
    });
    let framework = Memo::new(move |_| {
        let list = choices.get();
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
    let (presenting, set_presenting) = signal(false);
    // The matrix of this tablet's records.
    let local = Memo::new(move |_| {
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
    // The database the source names, and the set: what the server's answer must be for (an
    // answer still on its way for another source or set is never drawn as this one's).
    let wanted = Memo::new(move |_| {
        let db = match source.get() {
            Source::Tablet => return None,
            Source::Province => sync.config().with(|c| c.db.clone()),
            Source::Nation => crate::state::rollup::NATIONAL_DB.to_string(),
        };
        Some((db, framework.get()?.key()))
    });
    // The server's roll-up of the chosen set, fetched again when the source or the set changes
    // (or on "Lấy lại").
    let served = LocalResource::new(move || {
        let wanted = wanted.get();
        let criteria = framework.with(|f| f.as_ref().map_or(0, |f| f.criteria.len()));
        let server = sync.config().with(|c| c.server.clone());
        async move {
            let (db, set) = wanted?;
            let kv = crate::io::storage::LocalStorage;
            let now = crate::io::nav::now_ms();
            let got = match crate::state::rollup::fetch(&kv, &server, &db, &set, criteria, now).await {
                Ok(f) => Got::Fresh(f),
                Err(e) => Got::Unreachable(
                    e.message(state.lang().get_untracked()),
                    crate::state::rollup::last(&kv, &db, &set),
                ),
            };
            Some(Served { for_: (db, set), got })
        }
    });
    // The answer for the source and set shown now, if it has come.
    let current = Memo::new(move |_| {
        let want = wanted.get()?;
        served.get().flatten().filter(|s| s.for_ == want).map(|s| s.got)
    });
    // The server's rows, read and checked.
    let served_rows = Memo::new(move |_| {
        let f = match current.get()? {
            Got::Fresh(f) | Got::Unreachable(_, Some(f)) => f,
            Got::Unreachable(_, None) => return None,
        };
        let criteria = framework.with(|f| f.as_ref().map(|f| f.criteria.len()))?;
        Some(rollup::parse_communes(&f.communes, criteria))
    });
    let drawn = Memo::new(move |_| -> Option<Result<Drawn, String>> {
        let fw = framework.get()?;
        let provisional = fw.provisional
            || fw.indicators.iter().any(|i| i.provenance != crate::domain::framework::Provenance::Official);
        let l = lang();
        let place = match province.get() {
            p if p.is_empty() => tr(l, "dash.all_provinces"),
            p => p,
        };
        let scope = |round: Option<u16>, from: String| {
            let round = round.map_or_else(|| tr(l, "dash.latest_round"), |r| r.to_string());
            format!("{place} · {round} · {from}")
        };
        if source.get() == Source::Tablet {
            let (fw, m) = local.get()?;
            let demo = m.rows.iter().any(|r| crate::domain::demo::is_demo(&r.assessment_id));
            let scope = scope(round_f.get().parse().ok(), tr(l, "dash.source.tablet"));
            return Some(Ok(Drawn {
                figures: rollup::figures_of(&m, &fw),
                fw,
                matrix: Some(Arc::new(m)),
                provisional,
                demo,
                scope,
                left_out: 0,
            }));
        }
        let rows = served_rows.get()?;
        Some(match rows {
            Err(e) => Err(e.message(lang())),
            Ok(rollup::Communes { rows: communes, left_out }) => {
                // No round chosen: the newest the server holds (a leader asks about this year).
                let round =
                    round_f.get().parse::<u16>().ok().or_else(|| rollup::rounds(&communes).first().copied());
                let stage = stage_f.get();
                let stage = crate::domain::dashboard::STAGES
                    .into_iter()
                    .find(|s| format!("{s:?}").to_lowercase() == stage);
                let filter = rollup::Filter { round, province: province.get(), group: group_f.get(), stage };
                let ids: Vec<String> = fw.criteria.iter().map(|c| c.id.clone()).collect();
                let figures = rollup::figures(&communes, &ids, &filter);
                let provisional = provisional || figures.provisional > 0;
                let db = if source.get() == Source::Nation {
                    tr(l, "dash.source.nation")
                } else {
                    format!("{} ({})", tr(l, "dash.source.province"), sync.config().with(|c| c.db.clone()))
                };
                let scope = scope(round, db);
                Ok(Drawn { fw, figures, matrix: None, provisional, demo: false, scope, left_out })
            }
        })
    });
    let provinces = Memo::new(move |_| {
        let mut v: Vec<String> = if source.get() == Source::Tablet {
            state.assessments().with(|m| m.values().map(|a| a.commune.province.clone()).collect())
        } else {
            match served_rows.get() {
                Some(Ok(c)) => c.rows.iter().map(|r| r.province.clone()).collect(),
                _ => Vec::new(),
            }
        };
        v.sort();
        v.dedup();
        v
    });
    let rounds = Memo::new(move |_| {
        if source.get() == Source::Tablet {
            let fw = framework.get();
            let mut rounds: Vec<u16> = state.assessments().with(|m| {
                m.values()
                    .filter(|a| {
                        fw.as_ref()
                            .is_some_and(|f| a.framework_id == f.id && a.framework_version == f.version)
                    })
                    .map(|a| a.round)
                    .collect()
            });
            rounds.sort_unstable_by(|a, b| b.cmp(a));
            rounds.dedup();
            rounds
        } else {
            match served_rows.get() {
                Some(Ok(c)) => rollup::rounds(&c.rows),
                _ => Vec::new(),
            }
        }
    });

    #[derive(Clone, Copy)]
    enum Export {
        Xlsx,
        Csv,
        Data,
    }
    // The results of the communes the filters show, one line per indicator: `Xlsx` and `Csv`
    // for people (words, dd/mm/yyyy, numbers as numbers), `Data` the machine CSV with stable
    // codes (docs/data-formats.md). Only from this tablet's records.
    let export = move |kind: Export| {
        let Some((fw, m)) = local.get_untracked() else { return };
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
    let reset_filters = move || {
        set_shown.set(PAGE);
        set_round_f.set(String::new());
        set_province.set(String::new());
        set_stage_f.set(String::new());
    };
    let synced = move || sync.config().with(crate::domain::sync::Config::is_set);

    view! {
        <section class="ca-dash" data-testid="dash">
            <div class="ca-dash__head">
                <h1 class="ca-dash__title">{t("dash.heading")}</h1>
                <HelpTerms terms=&["tam-tinh", "tham-tra", "nhom-xa"] />
                <span class="ca-dash__spacer"></span>
                <button
                    class="ca-button ca-button--primary ca-noprint"
                    data-testid="present-open"
                    disabled=move || !matches!(drawn.get(), Some(Ok(_)))
                    on:click=move |_| {
                        set_presenting.set(true);
                        crate::io::nav::full_screen(true);
                    }
                >
                    "▶ " {t("present.open")}
                </button>
            </div>
            <Show
                when=move || framework.with(Option::is_some) || synced()
                fallback=move || view! { <p data-testid="dash-empty">{t("dash.empty")}</p> <DemoControls /> }
            >
                <div class="ca-dash__bar ca-noprint" role="group" aria-label=move || tr(lang(), "dash.source")>
                    <label class="ca-field">
                        <span class="ca-field__label">{t("dash.source")}</span>
                        <select
                            class="ca-input"
                            data-testid="dash-source"
                            on:change:target=move |ev| {
                                reset_filters();
                                set_source.set(Source::from_id(&ev.target().value()));
                            }
                        >
                            {move || {
                                let now = source.get();
                                let on = synced();
                                let db = sync.config().with(|c| c.db.clone());
                                [
                                    (Source::Tablet, tr(lang(), "dash.source.tablet")),
                                    (Source::Province, format!("{} ({db})", tr(lang(), "dash.source.province"))),
                                    (Source::Nation, tr(lang(), "dash.source.nation")),
                                ]
                                .into_iter()
                                .map(|(s, label)| {
                                    let disabled = s != Source::Tablet && !on;
                                    view! { <option value=s.id() selected=s == now disabled=disabled>{label}</option> }
                                })
                                .collect_view()
                            }}
                        </select>
                    </label>
                    <label class="ca-field">
                        <span class="ca-field__label">{t("new.framework")}</span>
                        <select
                            class="ca-input"
                            data-testid="dash-framework"
                            on:change:target=move |ev| {
                                reset_filters();
                                set_group_f.set(String::new());
                                set_chosen.set(Some(ev.target().value()));
                            }
                        >
                            {move || {
                                let current = framework.get().map(|f| f.key());
                                choices.get()
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
                        <span class="ca-field__label">{t("report.round")}</span>
                        <select class="ca-input" data-testid="dash-round" on:change:target=move |ev| { set_shown.set(PAGE); set_round_f.set(ev.target().value()) }>
                            <option value="" selected=move || round_f.get().is_empty()>{t("dash.latest_round")}</option>
                            {move || rounds.get().into_iter().map(|r| view! { <option value=r.to_string() selected=move || round_f.get() == r.to_string()>{r}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="ca-field">
                        <span class="ca-field__label">{t("dash.province")}</span>
                        <select
                            class="ca-input"
                            data-testid="dash-province"
                            on:change:target=move |ev| { set_shown.set(PAGE); set_province.set(ev.target().value()) }
                        >
                            <option value="">{t("dash.all_provinces")}</option>
                            {move || {
                                let current = province.get();
                                provinces.get().into_iter().map(|p| {
                                    let selected = p == current;
                                    view! { <option value=p.clone() selected=selected>{p.clone()}</option> }
                                }).collect_view()
                            }}
                        </select>
                    </label>
                    <label class="ca-field">
                        <span class="ca-field__label">{t("dash.group")}</span>
                        <select class="ca-input" data-testid="dash-group" on:change:target=move |ev| { set_shown.set(PAGE); set_group_f.set(ev.target().value()) }>
                            <option value="">{t("dash.all")}</option>
                            {move || framework.get().map(|fw| fw.dimension.values.iter().map(|v| {
                                let (id, title) = (v.id.clone(), v.title.get(lang()).to_string());
                                let selected = group_f.get_untracked() == id;
                                view! { <option value=id selected=selected>{title}</option> }
                            }).collect_view())}
                        </select>
                    </label>
                    <label class="ca-field">
                        <span class="ca-field__label">{t("dash.stage")}</span>
                        <select
                            class="ca-input"
                            data-testid="dash-stage"
                            on:change:target=move |ev| { set_shown.set(PAGE); set_stage_f.set(ev.target().value()) }
                        >
                            <option value="" selected=move || stage_f.get().is_empty()>{t("dash.all")}</option>
                            {crate::domain::dashboard::STAGES.iter().map(|st| {
                                let v = format!("{st:?}").to_lowercase();
                                let id = v.clone();
                                view! { <option value=v selected=move || stage_f.get() == id>{move || st.label(lang())}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <details class="ca-dash__tools">
                        <summary class="ca-button ca-button--ghost" data-testid="dash-tools">{t("dash.tools")}</summary>
                        <div class="ca-dash__tools-menu">
                            <button class="ca-button ca-button--ghost" data-testid="dash-print" on:click=move |_| crate::io::nav::print()>{t("dash.print")}</button>
                            <button class="ca-button ca-button--ghost" data-testid="dash-xlsx" disabled=move || source.get() != Source::Tablet on:click=move |_| export(Export::Xlsx)>{t("dash.xlsx")}</button>
                            <button class="ca-button ca-button--ghost" data-testid="dash-csv" disabled=move || source.get() != Source::Tablet on:click=move |_| export(Export::Csv)>{t("dash.csv")}</button>
                            <button class="ca-button ca-button--ghost" data-testid="dash-csv-data" disabled=move || source.get() != Source::Tablet title=move || tr(lang(), "report.csv_data.hint") on:click=move |_| export(Export::Data)>{t("dash.csv_data")}</button>
                        </div>
                    </details>
                </div>
                {move || (!synced()).then(|| view! { <p class="ca-muted ca-noprint ca-dash__hint">{t("dash.source.no_sync")}</p> })}
                <SourceLine source=source current=current refresh=Callback::new(move |()| served.refetch()) />
                {move || match drawn.get() {
                    // Still on its way (an answer with nothing kept is said by the source line).
                    None if source.get() != Source::Tablet && current.with(Option::is_none) => view! { <p class="ca-muted" role="status" data-testid="dash-loading">{t("dash.source.loading")}</p> }.into_any(),
                    None if framework.with(Option::is_none) => view! { <p data-testid="dash-empty">{t("dash.empty")}</p> }.into_any(),
                    None => ().into_any(),
                    Some(Err(e)) => view! { <p class="ca-error" role="alert" data-testid="dash-error">{e}</p> }.into_any(),
                    Some(Ok(d)) => {
                        let l = lang();
                        let rounds_view = d.matrix.as_ref().map(|m| figures::rounds_chart(state, &d.fw, m, &province.get_untracked(), &group_f.get_untracked(), l));
                        view! {
                            {d.demo.then(|| view! { <p class="ca-banner" data-testid="dash-demo-label">{tr(l, "demo.label")}</p> })}
                            <figures::Headline drawn=d.clone() lang=l />
                            {d.matrix.as_ref().map(|m| view! { <p class="ca-dash__summary" data-testid="dash-summary"><strong>{figures::summary_line(m, l)}</strong></p> })}
                            <figures::Charts drawn=d.clone() lang=l rounds=rounds_view />
                            {match d.matrix {
                                Some(m) => {
                                    let fw = d.fw.clone();
                                    // "Show more" draws the table again, nothing above it.
                                    (move || matrix::tables(&fw, &m, province, set_province, shown, set_shown, l)).into_any()
                                }
                                None => matrix::province_table(&d.fw, &d.figures, l).into_any(),
                            }}
                        }.into_any()
                    }
                }}
                {move || presenting.get().then(|| {
                    let close = Callback::new(move |()| {
                        set_presenting.set(false);
                        crate::io::nav::full_screen(false);
                    });
                    view! { <present::Present drawn=drawn close=close state=state /> }
                })}
                <DemoControls />
            </Show>
        </section>
    }
}

/// Where the figures shown come from, and when: this tablet; or the server's database with the
/// account signed in, the time they were fetched and the latest change they count; out of reach,
/// why, and the last figures kept, dated.
#[component]
fn SourceLine(
    source: ReadSignal<Source>,
    current: Memo<Option<Got>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let state = use_app_state();
    let sync = crate::state::sync::use_sync();
    let lang = move || state.lang().get();
    let when = |ms: f64| format!("{} {}", crate::io::nav::hh_mm(ms), crate::io::nav::date(ms));
    move || {
        let l = lang();
        if source.get() == Source::Tablet {
            return view! { <p class="ca-dash__source" data-testid="dash-source-line">{tr(l, "dash.source.tablet_note")}</p> }.into_any();
        }
        let user = sync.config().with(|c| c.user.clone());
        let who = if user.is_empty() {
            String::new()
        } else {
            format!(" · {} {user}", tr(l, "dash.source.account"))
        };
        let described = |f: &Fetched| {
            let newest = f
                .newest
                .map(|n| format!(" · {} {}", tr(l, "dash.source.newest"), when(n)))
                .unwrap_or_default();
            format!("{}{who} · {} KB{newest}", f.db, f.bytes.div_ceil(1024))
        };
        let line = match current.get() {
            None => return view! { <p class="ca-dash__source" data-testid="dash-source-line">{tr(l, "dash.source.loading")}</p> }.into_any(),
            Some(Got::Fresh(f)) => view! {
                <p class="ca-dash__source" data-testid="dash-source-line">
                    {format!("{} {} · {}", tr(l, "dash.source.as_of"), when(f.fetched_at), described(&f))}
                    <span class="ca-muted">" " {tr(l, "dash.source.per_record")}</span>
                </p>
            }
            .into_any(),
            Some(Got::Unreachable(why, kept)) => {
                let kept = match kept {
                    Some(f) => format!("{} {} ({})", tr(l, "dash.source.kept"), when(f.fetched_at), described(&f)),
                    None => tr(l, "dash.source.none_kept"),
                };
                view! {
                    <p class="ca-dash__source ca-dash__source--stale" role="status" data-testid="dash-source-line">
                        <strong>{format!("{}: {why}. ", tr(l, "dash.source.offline"))}</strong>
                        {kept}
                    </p>
                }
                .into_any()
            }
        };
        view! {
            <div class="ca-dash__source-row">
                {line}
                <button class="ca-button ca-button--ghost ca-noprint" data-testid="dash-refresh" on:click=move |_| refresh.run(())>
                    {tr(l, "dash.source.refresh")}
                </button>
            </div>
        }
        .into_any()
    }
}

/// The state a present-mode page needs (re-exported for the submodules).
pub(super) type State = AppState;
