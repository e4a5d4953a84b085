//! The printable commune report (`#/a/<id>/report`): heading, every criterion and indicator with
//! the value as typed and as read, threshold and where it comes from, verdict and why, evidence
//! and document, the reviewer's word and the gap to "đạt"; the roster for 18.1; the values not
//! from the official text; the signature of each stage and the audit trail. Print CSS makes
//! Ctrl+P print the same (A4 portrait, rows never split), and the results export as CSV.

use leptos::prelude::*;

use crate::ui::components::help::{HelpLink, HelpTerms};

use crate::domain::framework::model::Level;
use crate::domain::report::{people_csv, people_xlsx, results_csv, rows};
use crate::domain::roster::{self, Standing};
use crate::domain::score::{evaluate, provisional, Verdict};
use crate::domain::workflow::{AuditKind, Step};
use crate::io::{download, nav};
use crate::state::{use_app_state, Route};
use crate::ui::components::predecessors::Predecessors;
use crate::ui::components::verdict::badge_view;
use crate::ui::components::workflow_panel::audit_what;
use crate::ui::i18n::{t, tr};

#[component]
pub fn ReportPage(
    /// The assessment id.
    id: String,
) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let Some(a) = state.assessments().with_untracked(|m| m.get(&id).cloned()) else {
        return view! { <p>{t("fill.not_found")}</p> }.into_any();
    };
    let Some(fw) = state.framework(&a.framework_id, &a.framework_version) else {
        return view! { <p class="ca-error">{t("fill.framework_missing")}</p> }.into_any();
    };
    let back = Route::Assessment(id.clone()).href();
    let file_name = {
        let a = a.clone();
        move |ext: &str, data: bool| {
            format!(
                "{}-{}-{}.{ext}",
                if data { "du-lieu" } else { "ket-qua" },
                a.commune.name.split_whitespace().collect::<Vec<_>>().join("-"),
                a.round
            )
        }
    };
    // For people: Vietnamese (or English) headings and words, dates dd/mm/yyyy, numbers as numbers.
    let (a2, fw2, name2) = (a.clone(), fw.clone(), file_name.clone());
    let export_people_csv = move |_| {
        let csv = people_csv([(&a2, &*fw2)], lang());
        let _ = download::download(&name2("csv", false), "text/csv;charset=utf-8", &csv);
    };
    let (a3, fw3, name3) = (a.clone(), fw.clone(), file_name.clone());
    let export_xlsx = move |_| {
        let _ = download::download_bytes(
            &name3("xlsx", false),
            download::XLSX,
            &people_xlsx([(&a3, &*fw3)], lang()),
        );
    };
    // For data exchange: the stable codes of docs/data-formats.md, comma-separated.
    let (a4, fw4) = (a.clone(), fw.clone());
    let export_data = move |_| {
        let csv = results_csv([(&a4, &*fw4)], ',', lang());
        let _ = download::download(&file_name("csv", true), "text/csv;charset=utf-8", &csv);
    };
    view! {
        <div class="ca-report-tools ca-noprint">
            <a class="ca-link" href=back>"← " {t("common.back")}</a>
            " "
            <button class="ca-button" data-testid="report-print" on:click=move |_| nav::print()>{t("report.print")}</button>
            " "
            <button class="ca-button ca-button--ghost" data-testid="report-xlsx" on:click=export_xlsx>{t("report.xlsx")}</button>
            " "
            <button class="ca-button ca-button--ghost" data-testid="report-csv" on:click=export_people_csv>{t("report.csv_people")}</button>
            " "
            <button class="ca-button ca-button--ghost" data-testid="report-csv-data" title=move || tr(lang(), "report.csv_data.hint") on:click=export_data>{t("report.csv_data")}</button>
        </div>
        {move || {
            let l = lang();
            let ev = evaluate(&fw, &a);
            let table = rows(&fw, &a, &ev, l);
            let prov = provisional(&fw, &ev, &a.dimension_value);
            let dim = fw.dimension_value(&a.dimension_value).map(|v| v.title.get(l).to_string()).unwrap_or_else(|| a.dimension_value.clone());
            let judged = a.judged_on();
            let headline = match ev.commune {
                Verdict::Met if prov.is_some() => tr(l, "verdict.commune.met_provisional"),
                Verdict::Met => tr(l, "verdict.commune.met"),
                Verdict::NotMet => tr(l, "verdict.commune.not_met"),
                Verdict::Pending => tr(l, "verdict.commune.pending"),
            };
            let not_official: Vec<_> = table.iter().filter(|r| r.level != Level::Official).map(|r| (r.indicator.clone(), r.level.label(l))).collect();
            let s = crate::state::roster::standards();
            let decision = roster::decide(s, &a.roster, &judged);
            let roster_label = fw
                .indicators
                .iter()
                .find(|i| matches!(i.kind, crate::domain::framework::Kind::Roster))
                .map_or_else(|| tr(l, "roster.summary.generic").to_string(), |i| i.id.clone());
            view! {
                <article class="ca-report" data-testid="report">
                    <header class="ca-report__head">
                        {crate::domain::demo::is_demo(&a.id).then(|| view! { <p class="ca-banner" data-testid="demo-label">{t("demo.label")}</p> })}
                        <p class="ca-report__kicker">{t("report.kicker")}</p>
                        <h1 data-testid="report-title">{format!("{}, {}", a.commune.name, a.commune.province)}</h1>
                        <HelpTerms terms=&["tam-tinh", "tham-tra", "nguon", "khong-xem-xet", "chua-xac-minh", "nhom-xa"] />
                        <dl class="ca-facts">
                            <dt>{t("report.framework")}</dt><dd>{format!("{} ({})", fw.title.get(l), fw.legal.decision.clone())}</dd>
                            <dt>{t("report.round")}</dt><dd>{a.round}</dd>
                            <dt>{t("report.region")}</dt><dd>{dim}</dd>
                            <dt>{t("report.date")}</dt><dd data-testid="report-date">{crate::domain::date::dmy(&judged)}</dd>
                            <dt>{t("report.stage")}</dt><dd data-testid="report-stage">{a.workflow.stage.label(l)}</dd>
                            <dt>{t("report.result")}</dt><dd data-testid="report-result"><strong>{headline}</strong> {format!(" — {}/{} {}", ev.criteria_met, fw.criteria.len(), tr(l, "report.criteria_met"))}</dd>
                        </dl>
                        {prov.map(|p| view! { <p class="ca-note" data-testid="report-provisional">{tr(l, "verdict.provisional")} ": " {p.reason(l)}</p> })}
                    </header>
                    <h2>{t("report.indicators")}</h2>
                    <table class="ca-table ca-report__table" data-testid="report-table">
                        <thead>
                            <tr>
                                <th scope="col">"#"</th>
                                <th scope="col">{t("report.col.indicator")}</th>
                                <th scope="col">{t("report.col.value")}</th>
                                <th scope="col">{t("report.col.threshold")}</th>
                                <th scope="col">{t("report.col.verdict")}</th>
                                <th scope="col">{t("report.col.evidence")}</th>
                            </tr>
                        </thead>
                        {fw.criteria.iter().enumerate().map(|(ci, c)| {
                            let cr = &ev.criteria[ci];
                            let title = format!("{} {} — {}", tr(l, "report.criterion"), c.id, c.title.get(l));
                            let body = table.iter().filter(|r| r.criterion == c.id).map(|r| view! {
                                <tr class="ca-report__row" data-testid="report-row">
                                    <td class="ca-code">{r.indicator.clone()}</td>
                                    <td>{r.title.clone()}</td>
                                    <td>{r.typed.clone()} {r.read.clone().map(|x| view! { <div class="ca-muted ca-small">{format!("= {x}")}</div> })}</td>
                                    <td>{r.threshold.clone()} <div class="ca-muted ca-small">{r.level.label(l)}</div></td>
                                    <td>{badge_view(r.verdict, l)} <div class="ca-small">{r.explanation.clone()}</div>
                                        {r.gap.clone().map(|g| view! { <div class="ca-small ca-report__gap">{format!("{}: {g}", tr(l, "report.gap"))}</div> })}</td>
                                    <td class="ca-small">{r.note.clone()} {(!r.source_ref.is_empty()).then(|| view! { <div>{format!("{}: {}", tr(l, "fill.source_ref"), r.source_ref)}</div> })}
                                        {r.review.clone().map(|x| view! { <div class="ca-report__review">{format!("{}: {x}", tr(l, "report.review"))}</div> })}</td>
                                </tr>
                            }).collect_view();
                            view! {
                                <tbody class="ca-report__criterion">
                                    <tr class="ca-report__crit-row"><th colspan="6" scope="rowgroup">{title} " · " {badge_view(cr.verdict, l)}</th></tr>
                                    {body}
                                </tbody>
                            }
                        }).collect_view()}
                    </table>
                    {(!a.roster.people.is_empty()).then(|| view! {
                        <section class="ca-report__section" data-testid="report-roster">
                            <h2>{t("report.roster")}</h2>
                            <p>{format!("{}: {}/{} {}", roster_label, decision.met, decision.total, tr(l, "roster.meet"))}
                                {(!decision.missing.is_empty()).then(|| format!(" · {}: {}", tr(l, "roster.missing"), decision.missing.iter().map(|m| s.title(m).map_or(m.clone(), |t| t.title.get(l).to_string())).collect::<Vec<_>>().join(", ")))}</p>
                            <ul class="ca-small">
                                {a.roster.people.iter().map(|p| {
                                    let title = s.title(&p.title).map_or(p.title.clone(), |t| t.title.get(l).to_string());
                                    let standing = match s.standing(p, &judged) {
                                        Standing::Meets => tr(l, "verdict.met"),
                                        Standing::Gaps(g) | Standing::Transition { gaps: g, .. } => g.iter().map(|g| s.describe_gap(g, l)).collect::<Vec<_>>().join("; "),
                                        Standing::NotCounted { rule } => format!("{} — {}", tr(l, "roster.not_counted"), rule.get(l)),
                                        Standing::Unknown => tr(l, "roster.unknown"),
                                        Standing::OldTitle => tr(l, "roster.old_title"),
                                        Standing::Confirmed { met, basis } => format!("{} ({} {basis})", tr(l, if met { "verdict.met" } else { "verdict.not_met" }), tr(l, "roster.confirmed_by")),
                                    };
                                    view! { <li>{format!("{} ({title}): {standing}", p.name)}</li> }
                                }).collect_view()}
                            </ul>
                        </section>
                    })}
                    <section class="ca-report__section" data-testid="report-sources">
                        <h2>{t("report.not_official")} <HelpLink term="nguon" /> <HelpLink term="chua-xac-minh" /></h2>
                        <p class="ca-small">{format!("{} {}/{}", tr(l, "report.not_official.count"), not_official.len(), table.len())}</p>
                        <p class="ca-small">{not_official.iter().map(|(i, lv)| format!("{i} ({lv})")).collect::<Vec<_>>().join(", ")}</p>
                    </section>
                    <section class="ca-report__section ca-report__signatures" data-testid="report-signatures">
                        <h2>{t("report.signatures")}</h2>
                        <div class="ca-report__sign-grid">
                            {sign_cards(&a.workflow, l).into_iter().map(|c| view! {
                                <div class="ca-report__sign" data-testid="report-sign">
                                    <p class="ca-small">{c.what}</p>
                                    <p><strong>{c.name}</strong></p>
                                    {c.decision.map(|d| view! { <p class="ca-small" data-testid="report-decision">{d}</p> })}
                                    {c.reason.map(|r| view! { <p class="ca-small" data-testid="report-return-reason">{r}</p> })}
                                    <p class="ca-small">{c.title}</p>
                                    <p class="ca-small">{c.date}</p>
                                </div>
                            }).collect_view()}
                        </div>
                    </section>
                    <section class="ca-report__section" data-testid="report-audit">
                        <h2>{t("wf.audit")}</h2>
                        <ol class="ca-small">
                            {a.workflow.audit.iter().map(|e| {
                                let what = audit_what(e, &a.workflow, Some(&fw), l);
                                view! { <li>{format!("{} {} · {} ({}) · {what}", nav::date(e.at), nav::hh_mm(e.at), e.by.name, e.by.title)}</li> }
                            }).collect_view()}
                        </ol>
                    </section>
                    <Predecessors id=a.id.clone() />
                    <footer class="ca-report__foot ca-small">{format!("{} {} {}", tr(l, "report.printed"), nav::date(nav::now_ms()), nav::hh_mm(nav::now_ms()))}</footer>
                </article>
            }
        }}
    }
    .into_any()
}

/// One card of the signature block.
struct SignCard {
    what: String,
    name: String,
    title: String,
    date: String,
    decision: Option<String>,
    reason: Option<String>,
}

/// A card for every signed stage step, in the order signed, returns included (with their
/// reason): a dossier submitted, returned and submitted again shows the return between the two
/// submissions, and a step signed more than once says which time ("lần 2").
fn sign_cards(w: &crate::domain::workflow::Workflow, l: crate::domain::text::Lang) -> Vec<SignCard> {
    let mut times: std::collections::HashMap<&'static str, usize> = std::collections::HashMap::new();
    w.audit
        .iter()
        .filter_map(|e| match &e.kind {
            AuditKind::Stage { step, to, .. } => {
                let label = step.label(l);
                let n = times.entry(label).or_default();
                *n += 1;
                let again =
                    if *n > 1 { format!(" ({} {n})", tr(l, "report.sign.time")) } else { String::new() };
                let reason = match step {
                    Step::Return { reason } => Some(format!("{}: {reason}", tr(l, "wf.reason"))),
                    _ => None,
                };
                Some(SignCard {
                    what: format!("{label}{again} → {}", to.label(l)),
                    name: e.by.name.clone(),
                    title: e.by.title.clone(),
                    date: nav::date(e.at),
                    decision: e.decision.as_ref().map(|d| {
                        format!(
                            "{} {}, {}",
                            tr(l, "wf.decision"),
                            d.number,
                            crate::domain::date::dmy(&d.date)
                        )
                    }),
                    reason,
                })
            }
            _ => None,
        })
        .collect()
}
