//! The cadre roster of one assessment (indicator 18.1): each person's qualifications, whether
//! they meet the standard of their title under the rules in force for the round, each gap named,
//! transition deadlines, and CSV import with located errors and a preview.

use leptos::prelude::*;

use crate::ui::components::help::HelpTerms;
use leptos::task::spawn_local;

use crate::domain::roster::{self, Cadre, Confirmation, Standing};
use crate::domain::roster_csv::{self, COLUMNS};
use crate::io::{download, file::read_text};
use crate::state::actions::{add_person, edit_roster};
use crate::state::roster::standards;
use crate::state::{use_app_state, Route};
use crate::ui::components::file_picker::FilePicker;
use crate::ui::components::verdict::UnverifiedFlag;
use crate::ui::i18n::{t, text, tr};

/// The roster of assessment `id`.
#[component]
pub fn RosterPage(
    /// The assessment id.
    id: String,
) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    // Edits here write the same assessment: claim it like the assessment page does, so two tabs
    // never both write it.
    crate::state::tabs::open_assessment(state, id.clone());
    let closing = id.clone();
    on_cleanup(move || crate::state::tabs::close_assessment(state, &closing));
    let aid = StoredValue::new(id.clone());
    let assessment = Memo::new(move |_| state.assessments().with(|m| m.get(&aid.get_value()).cloned()));
    if assessment.get_untracked().is_none() {
        return view! { <p>{t("fill.not_found")}</p> }.into_any();
    }
    let s = standards();
    let date = Memo::new(move |_| assessment.with(|a| a.as_ref().map(|a| a.judged_on()).unwrap_or_default()));
    let readonly = Signal::derive(move || {
        state.blocked_by().get().is_some()
            || assessment.with(|a| a.as_ref().is_some_and(|a| a.read_only_schema().is_some()))
            || assessment.with(|a| a.as_ref().is_some_and(|a| !a.workflow.stage.answers_editable()))
    });
    let period = move || s.period_on(&date.get()).cloned();
    let decision = Memo::new(move |_| {
        assessment.with(|a| a.as_ref().map(|a| roster::decide(s, &a.roster, &date.get())).unwrap_or_default())
    });
    let people = move || assessment.with(|a| a.as_ref().map(|a| a.roster.people.clone()).unwrap_or_default());
    // The framework's indicator the roster decides (18.1 in 1980), if the set has one.
    let bound = Memo::new(move |_| {
        assessment.with(|a| {
            a.as_ref()
                .and_then(|a| state.framework(&a.framework_id, &a.framework_version))
                .and_then(|fw| crate::state::roster::bound_indicator(&fw))
        })
    });

    // CSV import: errors (nothing imported) or a preview awaiting confirmation.
    let (csv_issues, set_csv_issues) = signal(Vec::<String>::new());
    let (preview, set_preview) = signal(None::<Vec<Cadre>>);
    let on_file = move |file: web_sys::File| {
        spawn_local(async move {
            let text = match read_text(file).await {
                Ok(t) => t,
                Err(e) => {
                    set_preview.set(None);
                    set_csv_issues.set(vec![e.message(lang())]);
                    return;
                }
            };
            match roster_csv::parse(&text, s) {
                Ok(people) => {
                    set_csv_issues.set(vec![]);
                    set_preview.set(Some(people));
                }
                Err(issues) => {
                    set_preview.set(None);
                    set_csv_issues.set(issues.iter().map(|i| i.message(lang())).collect());
                }
            }
        });
    };
    let confirm_import = move |_| {
        if let Some(people) = preview.get_untracked() {
            edit_roster(state, &aid.get_value(), |r| r.people = people);
            set_preview.set(None);
        }
    };
    let template = move |_| {
        let header: Vec<&str> = COLUMNS.iter().map(|(_, vi)| *vi).collect();
        let csv = format!("\u{feff}{}\r\n", header.join(","));
        let _ = download::download("danh-sach-can-bo-mau.csv", "text/csv;charset=utf-8", &csv);
    };

    view! {
        <section class="ca-section">
            <a class="ca-link" href=move || Route::Assessment(aid.get_value()).href()>
                "← " {t("common.back")}
            </a>
            <h1>
                {t("roster.title")} ": "
                {move || assessment.with(|a| a.as_ref().map(|a| format!("{}, {}", a.commune.name, a.round)))}
            </h1>
            <HelpTerms terms=&["doi-ngu", "nguon", "chua-xac-minh", "tham-tra"] />
            <p data-testid="roster-date">{t("roster.judged_on")} ": " {move || date.get()}</p>
            <p data-testid="roster-period">
                {t("roster.period")} ": "
                {move || period().map(|p| p.title.get(lang()).to_string())} " — "
                {move || period().map(|p| p.source.clone())}
                {move || period().filter(|p| !p.verified).map(|_| view! { " " <UnverifiedFlag /> })}
            </p>
            {move || period().and_then(|p| p.note).map(|n| view! { <p class="ca-note">{n.get(lang()).to_string()}</p> })}
            {move || period().map(|p| {
                let c = p.census();
                view! {
                    <p class="ca-muted" data-testid="roster-census">
                        {tr(lang(), "roster.census")} ": "
                        {format!(
                            "{} {} · {} {} · {} {}",
                            c.official, tr(lang(), "roster.census.official"),
                            c.secondary, tr(lang(), "roster.census.secondary"),
                            c.not_found, tr(lang(), "roster.census.not_found"),
                        )}
                    </p>
                }
            })}
            {move || bound.get().is_none().then(|| view! { <p class="ca-note" data-testid="roster-unbound">{t("roster.summary.unbound")}</p> })}
            <p class="ca-roster-summary" data-testid="roster-summary">
                <strong>
                    {move || bound.get().unwrap_or_else(|| tr(lang(), "roster.summary.generic").to_string())} ": "
                    {move || decision.with(|d| format!("{}/{} {}", d.met, d.total, tr(lang(), "roster.meet")))}
                </strong>
            </p>
            <RosterGaps decision=decision.into() />
        </section>
        <section class="ca-section">
            <div class="ca-table-wrap">
                <table class="ca-table ca-roster" data-testid="roster-table">
                    <thead>
                        <tr>
                            <th scope="col">{t("roster.name")}</th>
                            <th scope="col">{t("roster.position")}</th>
                            <th scope="col">{t("roster.standing")}</th>
                            {s.scales.iter().map(|sc| { let t = sc.title.clone(); view! { <th scope="col">{text(t)}</th> } }).collect_view()}
                            <th scope="col">{t("roster.appointed")}</th>
                            <th scope="col">{t("roster.difficult")}</th>
                            <th scope="col"><span class="ca-visually-hidden">{t("roster.remove")}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=people
                            key=|p| p.id.clone()
                            children=move |p: Cadre| {
                                let pid = StoredValue::new(p.id.clone());
                                let me = Memo::new(move |_| people().into_iter().find(|x| x.id == pid.get_value()));
                                let edit = move |f: Box<dyn FnOnce(&mut Cadre)>| {
                                    edit_roster(state, &aid.get_value(), |r| {
                                        if let Some(c) = r.people.iter_mut().find(|c| c.id == pid.get_value()) {
                                            f(c);
                                        }
                                    });
                                };
                                let standing = move || me.get().map(|c| s.standing(&c, &date.get()));
                                let label = format!("{} {}", tr(lang(), "roster.name"), p.name);
                                view! {
                                    <tr data-testid="roster-row">
                                        <td>
                                            <input class="ca-input" aria-label=label.clone() data-testid="roster-name" disabled=readonly
                                                prop:value=move || me.get().map(|c| c.name).unwrap_or_default()
                                                on:change:target=move |ev| { let v = ev.target().value(); edit(Box::new(move |c| c.name = v)) } />
                                        </td>
                                        <td>
                                            <select class="ca-input ca-roster__title" aria-label=t("roster.position") disabled=readonly
                                                on:change:target=move |ev| { let v = ev.target().value(); edit(Box::new(move |c| c.title = v)) }>
                                                // The positions of the period in force, and the person's own title
                                                // if it is an earlier one (marked, to be replaced).
                                                {move || {
                                                    let current = me.get().map(|c| c.title).unwrap_or_default();
                                                    let p = period();
                                                    s.titles.iter()
                                                        .filter(|t| p.as_ref().is_none_or(|p| p.has_title(&t.id)) || t.id == current)
                                                        .map(|t| {
                                                            let old = p.as_ref().is_some_and(|p| !p.has_title(&t.id));
                                                            let label = if old {
                                                                format!("{} {}", t.title.get(lang()), tr(lang(), "roster.old_title.option"))
                                                            } else {
                                                                t.title.get(lang()).to_string()
                                                            };
                                                            view! { <option value=t.id.clone() selected=t.id == current>{label}</option> }
                                                        })
                                                        .collect_view()
                                                }}
                                            </select>
                                        </td>
                                        <td data-testid="roster-standing">
                                            {move || standing().map(|st| match st {
                                                Standing::Meets => view! { <span class="ca-badge ca-badge--met">"✓ " {tr(lang(), "verdict.met")}</span> }.into_any(),
                                                Standing::Gaps(g) => view! {
                                                    <span class="ca-badge ca-badge--not-met">"✗ " {tr(lang(), "verdict.not_met")}</span>
                                                    <ul class="ca-gaps">{g.iter().map(|g| view! { <li>{s.describe_gap(g, lang())}</li> }).collect_view()}</ul>
                                                }.into_any(),
                                                Standing::Transition { gaps, deadline, .. } => view! {
                                                    <span class="ca-badge ca-badge--pending">"⏳ " {tr(lang(), "roster.transition")} " " {deadline}</span>
                                                    <ul class="ca-gaps">{gaps.iter().map(|g| view! { <li>{s.describe_gap(g, lang())}</li> }).collect_view()}</ul>
                                                }.into_any(),
                                                Standing::NotCounted { rule } => view! {
                                                    <span class="ca-muted">{tr(lang(), "roster.not_counted")}</span>
                                                    <div class="ca-muted ca-small" data-testid="roster-rule">{rule.get(lang()).to_string()}</div>
                                                }.into_any(),
                                                Standing::Unknown => view! { <span class="ca-flag">"⚠ " {tr(lang(), "roster.unknown")}</span> }.into_any(),
                                                Standing::OldTitle => view! { <span class="ca-flag" data-testid="roster-old-title">"⚠ " {tr(lang(), "roster.old_title")}</span> }.into_any(),
                                                Standing::Confirmed { met, basis } => view! {
                                                    <span class=if met { "ca-badge ca-badge--met" } else { "ca-badge ca-badge--not-met" }>
                                                        {if met { "✓ " } else { "✗ " }} {tr(lang(), if met { "verdict.met" } else { "verdict.not_met" })}
                                                    </span>
                                                    <div class="ca-muted ca-small">{tr(lang(), "roster.confirmed_by")} " " {basis}</div>
                                                }.into_any(),
                                            })}
                                            // Where the standard in force comes from, when not the official text.
                                            {move || {
                                                let c = me.get()?;
                                                let p = period()?;
                                                if !p.has_title(&c.title) {
                                                    return None;
                                                }
                                                let key = match p.level_of(&c.title) {
                                                    "official" => return None,
                                                    "not_found" => "roster.level.not_found",
                                                    _ => "roster.level.secondary",
                                                };
                                                let source = p.standard_sources.get(&c.title).map(|x| x.source.clone()).unwrap_or_default();
                                                Some(view! { <div class="ca-flag ca-small" data-testid="roster-level" title=source>"⚠ " {tr(lang(), key)}</div> })
                                            }}
                                            // Where no standard is sourced: the standing as the competent body
                                            // confirmed it, with the document (never guessed by the app).
                                            {move || {
                                                let open = matches!(standing(), Some(Standing::Unknown | Standing::Confirmed { .. }));
                                                open.then(|| {
                                                    let choice = move || me.get().and_then(|c| c.confirmed).map(|c| if c.met { "met" } else { "not_met" }).unwrap_or("");
                                                    view! {
                                                        <div class="ca-confirm" data-testid="roster-confirm">
                                                            <select class="ca-input" aria-label=t("roster.confirm") disabled=readonly data-testid="roster-confirm-choice"
                                                                on:change:target=move |ev| {
                                                                    let v = ev.target().value();
                                                                    edit(Box::new(move |c| {
                                                                        c.confirmed = match v.as_str() {
                                                                            "met" | "not_met" => Some(Confirmation { met: v == "met", basis: c.confirmed.take().map(|k| k.basis).unwrap_or_default() }),
                                                                            _ => None,
                                                                        }
                                                                    }))
                                                                }>
                                                                <option value="" selected=move || choice().is_empty()>{t("roster.confirm")}</option>
                                                                <option value="met" selected=move || choice() == "met">{t("roster.confirm.met")}</option>
                                                                <option value="not_met" selected=move || choice() == "not_met">{t("roster.confirm.not_met")}</option>
                                                            </select>
                                                            <input class="ca-input" aria-label=t("roster.confirm.basis") placeholder=t("roster.confirm.basis") disabled=readonly data-testid="roster-confirm-basis"
                                                                prop:value=move || me.get().and_then(|c| c.confirmed).map(|c| c.basis).unwrap_or_default()
                                                                on:change:target=move |ev| {
                                                                    let v = ev.target().value();
                                                                    edit(Box::new(move |c| {
                                                                        let met = c.confirmed.as_ref().is_none_or(|k| k.met);
                                                                        c.confirmed = Some(Confirmation { met, basis: v });
                                                                    }))
                                                                } />
                                                        </div>
                                                    }
                                                })
                                            }}
                                        </td>
                                        {s.scales.iter().map(|sc| {
                                            let scale = sc.id.clone();
                                            let scale2 = sc.id.clone();
                                            let st = sc.title.clone();
                                            view! {
                                                <td>
                                                    <select class="ca-input" aria-label=move || st.get(lang()).to_string() disabled=readonly
                                                        data-testid=format!("roster-{}", sc.id)
                                                        on:change:target=move |ev| {
                                                            let v = ev.target().value();
                                                            let sc = scale2.clone();
                                                            edit(Box::new(move |c| { if v.is_empty() { c.levels.remove(&sc); } else { c.levels.insert(sc, v); } }))
                                                        }>
                                                        <option value="">"—"</option>
                                                        {sc.levels.iter().map(|l| {
                                                            let lid = l.id.clone();
                                                            let sc3 = scale.clone();
                                                            let lt = l.title.clone();
                                                            view! { <option value=l.id.clone() selected=move || me.get().is_some_and(|c| c.levels.get(&sc3) == Some(&lid))>{text(lt)}</option> }
                                                        }).collect_view()}
                                                    </select>
                                                </td>
                                            }
                                        }).collect_view()}
                                        <td>
                                            <input class="ca-input" type="date" aria-label=t("roster.appointed") disabled=readonly
                                                prop:value=move || me.get().map(|c| c.appointed).unwrap_or_default()
                                                on:change:target=move |ev| { let v = ev.target().value(); edit(Box::new(move |c| c.appointed = v)) } />
                                        </td>
                                        <td>
                                            <input type="checkbox" aria-label=t("roster.difficult") disabled=readonly
                                                prop:checked=move || me.get().is_some_and(|c| c.difficult_area)
                                                on:change:target=move |ev| { let v = ev.target().checked(); edit(Box::new(move |c| c.difficult_area = v)) } />
                                        </td>
                                        <td>
                                            <button class="ca-button ca-button--ghost" disabled=readonly aria-label=t("roster.remove")
                                                on:click=move |_| edit_roster(state, &aid.get_value(), |r| r.people.retain(|c| c.id != pid.get_value()))>
                                                "✕"
                                            </button>
                                        </td>
                                    </tr>
                                }
                            }
                        />
                    </tbody>
                </table>
            </div>
            <button class="ca-button" data-testid="roster-add" disabled=readonly on:click=move |_| add_person(state, &aid.get_value())>
                {t("roster.add")}
            </button>
        </section>
        <section class="ca-section">
            <h2>{t("roster.import")}</h2>
            <FilePicker label="import.pick" accept=".csv,text/csv" testid="roster-csv" on_file=Callback::new(on_file) disabled=readonly />
            " "
            <button class="ca-button ca-button--ghost" on:click=template>{t("roster.template")}</button>
            <Show when=move || !csv_issues.get().is_empty()>
                <h3 class="ca-error">{t("roster.import.errors")}</h3>
                <ul class="ca-issues" data-testid="roster-csv-errors">
                    {move || csv_issues.get().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
            </Show>
            {move || preview.get().map(|p| view! {
                <div data-testid="roster-preview">
                    <p>{tr(lang(), "roster.import.preview")} ": " {p.len()}</p>
                    <ul>{p.iter().map(|c| view! { <li>{c.name.clone()} " — " {s.title(&c.title).map(|t| t.title.get(lang()).to_string())}</li> }).collect_view()}</ul>
                    <button class="ca-button" data-testid="roster-import-confirm" on:click=confirm_import>{tr(lang(), "roster.import.confirm")}</button>
                </div>
            })}
        </section>
    }
    .into_any()
}

/// Why the roster does not decide 18.1 yet: the required titles nobody holds and each person
/// still undecided, by name and reason. Shown on the roster page and under 18.1.
#[component]
pub fn RosterGaps(decision: Signal<roster::Decision>) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let s = standards();
    let title =
        move |id: &str| s.title(id).map_or_else(|| id.to_string(), |t| t.title.get(lang()).to_string());
    move || {
        decision.with(|d| {
            (d.total > 0 || !d.undecided.is_empty()).then(|| {
                let missing = (!d.missing.is_empty()).then(|| {
                    let names = d.missing.iter().map(|m| title(m)).collect::<Vec<_>>().join(", ");
                    view! {
                        <p class="ca-error" data-testid="roster-missing">
                            {tr(lang(), "roster.missing")} ": " {names}
                            {(!d.required_verified).then(|| view! { " " <UnverifiedFlag /> })}
                        </p>
                    }
                });
                let undecided = (!d.undecided.is_empty()).then(|| {
                    view! {
                        <div data-testid="roster-undecided">
                            <p class="ca-error">{tr(lang(), "roster.undecided")} ": " {d.undecided.len()}</p>
                            <ul class="ca-gaps">
                                {d.undecided.iter().map(|(_, name, t, why)| {
                                    let name = if name.trim().is_empty() { tr(lang(), "roster.no_name") } else { name.clone() };
                                    view! { <li>{name} " (" {title(t)} "): " {why.message(lang())}</li> }
                                }).collect_view()}
                            </ul>
                        </div>
                    }
                });
                let confirmed = (d.confirmed > 0).then(|| view! {
                    <p class="ca-muted" data-testid="roster-confirmed-count">{format!("{} {}", d.confirmed, tr(lang(), "roster.confirmed_count"))}</p>
                });
                view! { {missing} {undecided} {confirmed} }
            })
        })
    }
}
