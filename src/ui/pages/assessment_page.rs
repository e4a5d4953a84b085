//! Filling an assessment: criteria navigation with progress, one input per indicator, and live
//! verdicts with their explanation for indicator, criterion and commune on every keystroke.

use std::sync::Arc;

use leptos::prelude::*;

use crate::ui::components::help::HelpLink;

use crate::domain::answer::{
    choose_reading, choose_rescaled, fmt_grouped, number_field, reading, ParseAnswerError, RawAnswer,
};
use crate::domain::assessment::{Assessment, Entry};
use crate::domain::framework::Framework;
use crate::domain::roster::Roster;
use crate::domain::score::{explain, CriterionResult, Evaluation, IndicatorResult, IndicatorState, Verdict};
use crate::domain::workflow::Workflow;
use crate::state::{actions, use_app_state, Route};
use crate::ui::components::framework_notes::UnverifiedCensus;
use crate::ui::components::indicator_input::IndicatorInput;
use crate::ui::components::record_state::RecordState;
use crate::ui::components::verdict::{UnverifiedFlag, VerdictBadge};
use crate::ui::components::workflow_panel::{ReviewBox, WorkflowPanel};
use crate::ui::i18n::{t, text, tr};
use crate::ui::pages::roster_page::RosterGaps;

/// The assessment with id `id`.
#[component]
pub fn AssessmentPage(
    /// The assessment id.
    id: String,
) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let found = state
        .assessments()
        .with_untracked(|m| m.get(&id).map(|a| (a.framework_id.clone(), a.framework_version.clone())));
    let Some((fw_id, fw_version)) = found else {
        return view! { <p data-testid="not-found">{t("fill.not_found")}</p> }.into_any();
    };
    let Some(fw) = state.framework(&fw_id, &fw_version) else {
        return view! {
            <p class="ca-error">{t("fill.framework_missing")} " " {format!("{fw_id}@{fw_version}")}</p>
        }
        .into_any();
    };
    crate::state::tabs::open_assessment(state, id.clone());
    let closing = id.clone();
    on_cleanup(move || crate::state::tabs::close_assessment(state, &closing));
    let id = StoredValue::new(id);
    // Once this tab holds the assessment, a draft's 18.1 follows what its roster decides today.
    Effect::new(move |_| {
        if state.blocked_by().get().is_none() {
            actions::refresh_derived(state, &id.get_value());
        }
    });
    // Per keystroke only what the keystroke changed is done (see `LiveEvaluation`). The parts
    // the page shows besides the answers are signals that one effect below sets, only when they
    // differ: the stored assessments then have that one subscriber on this page, and a keystroke
    // does not reach the hundred rows that read `readonly` or the workflow.
    let Some((head, workflow, roster, live)) = state.assessments().with_untracked(|m| {
        m.get(&id.get_value()).map(|a| {
            (
                RwSignal::new(Head::of(a)),
                RwSignal::new(a.workflow.clone()),
                RwSignal::new(a.roster.clone()),
                crate::domain::score::LiveEvaluation::new(&fw, a),
            )
        })
    }) else {
        return ().into_any();
    };
    let summary = RwSignal::new(Summary::of(&fw, &live));
    let live = StoredValue::new(live);
    // Another tab holds this assessment (`Some("")` while the lock is being asked for: read-only
    // without a banner, for the few milliseconds that takes).
    let other_tab = Signal::derive(move || state.blocked_by().get().is_some_and(|b| !b.is_empty()));
    let locked = Memo::new(move |_| state.blocked_by().get().is_some());
    let newer_schema = Memo::new(move |_| head.with(|h| h.newer_schema));
    let stage_readonly = Memo::new(move |_| head.with(|h| !h.stage.answers_editable()));
    let readonly: Signal<bool> =
        Memo::new(move |_| locked.get() || newer_schema.get().is_some() || stage_readonly.get()).into();
    // A tab that is read-only because another tab edits this assessment does not review either.
    let reviewable: Signal<bool> = Memo::new(move |_| {
        !locked.get() && newer_schema.get().is_none() && head.with(|h| h.stage.reviewable())
    })
    .into();
    let conflicts =
        Memo::new(move |_| state.conflicts().with(|c| c.get(&id.get_value()).map_or(0, Vec::len)));
    let stale = state.stale_frameworks().with_untracked(|s| s.get(&fw.key()).copied());
    let (confirm_trash, set_confirm_trash) = signal(false);
    let (trash_error, set_trash_error) = signal(None::<String>);
    let (selected, set_selected) = signal(0usize);
    let (only_unmet, set_only_unmet) = signal(false);

    // Fan-out: one signal per criterion and one per indicator row on screen, refreshed by a single
    // effect from what the refresh says changed. An edit then wakes only what changed. (A memo
    // per row would put every row on the assessment's subscriber list, and each keystroke would
    // re-run and re-subscribe all of them: with 5,000 indicators that churn was most of the edit.)
    let criteria: Vec<RwSignal<Option<CriterionResult>>> =
        live.with_value(|l| l.evaluation().criteria.iter().map(|c| RwSignal::new(Some(c.clone()))).collect());
    let criteria = StoredValue::new(criteria);
    let rows: StoredValue<Vec<(usize, RwSignal<RowData>)>> = StoredValue::new(Vec::new());
    let fw_rows = fw.clone();
    Effect::new(move |_| {
        state.assessments().with(|m| {
            let Some(a) = id.with_value(|id| m.get(id)) else { return };
            let locked_rows = !a.roster.people.is_empty();
            set_if_changed(head, Head::of(a));
            set_if_differs(workflow, &a.workflow);
            set_if_differs(roster, &a.roster);
            let Some(changed) = live.try_update_value(|l| l.refresh(&fw_rows, a)) else { return };
            live.with_value(|l| {
                let e = l.evaluation();
                criteria.with_value(|cs| {
                    for &c in &changed.criteria {
                        set_if_changed(cs[c], Some(e.criteria[c].clone()));
                    }
                });
                rows.with_value(|rs| {
                    for (i, sig) in rs {
                        // A row whose entry changed, or every row once the roster decides 18.1.
                        let due = changed.all
                            || changed.indicators.binary_search(i).is_ok()
                            || sig.try_with_untracked(|d| d.roster_locked != locked_rows) == Some(true);
                        if due {
                            set_if_changed(*sig, RowData::of(&fw_rows, a, e, *i));
                        }
                    }
                });
                if changed.all || !changed.indicators.is_empty() {
                    set_if_changed(summary, Summary::of(&fw_rows, l));
                }
            })
        })
    });

    let fw_next = fw.clone();
    let next_unanswered = move |_| {
        let start = fw_next.criteria[selected.get_untracked()].indicators.start;
        let found = live.with_value(|l| {
            let ev = l.evaluation();
            let n = ev.indicators.len();
            (0..n).map(|k| (start + k) % n).find(|&i| !ev.indicators[i].is_answered())
        });
        if let Some(i) = found {
            set_only_unmet.set(false);
            set_selected.set(fw_next.indicators[i].criterion);
            let dom = format!("ind-{}", fw_next.indicators[i].id.replace('.', "-"));
            request_animation_frame(move || focus_first_input(&dom));
        }
    };

    let header_fw = fw.clone();
    let commune_line = move || {
        head.with(|h| {
            let dim = header_fw
                .dimension_value(&h.dimension_value)
                .map(|v| v.title.get(lang()).to_string())
                .unwrap_or_default();
            format!("{}, {} · {} · {}", h.commune.name, h.commune.province, h.round, dim)
        })
    };
    let commune_verdict = Signal::derive(move || summary.with(|s| s.commune));
    let progress = move || summary.with(|s| Some((s.answered, s.total, s.criteria_met, s.criteria)));
    // Never a bare "đạt chuẩn" while a deciding value is not from the official text.
    let provisional = Memo::new(move |_| summary.with(|s| s.provisional));
    let verdict_text = move || {
        let key = match (commune_verdict.get(), provisional.get().is_some()) {
            (Verdict::Met, true) => "verdict.commune.met_provisional",
            (Verdict::Met, false) => "verdict.commune.met",
            (Verdict::NotMet, _) => "verdict.commune.not_met",
            (Verdict::Pending, _) => "verdict.commune.pending",
        };
        tr(lang(), key)
    };
    // The commune's verdict stays in view while filling: it heads the (sticky) criteria list.
    let nav_summary = Signal::derive(move || {
        let (_, _, met, total) = progress().unwrap_or_default();
        format!("{} · {met}/{total} {}", verdict_text(), tr(lang(), "fill.criteria_met"))
    });
    let fw_title = fw.short_title.clone();
    let nav_fw = fw.clone();
    let body_fw = fw.clone();
    let census_fw = fw.clone();
    let census_dimension = Signal::derive(move || head.with(|h| h.dimension_value.clone()));

    view! {
        <section class="ca-assess">
            // On paper only: this page prints the criterion open on screen, not the dossier.
            <p class="ca-print-only ca-banner" data-testid="print-use-report">{t("fill.print_use_report")}</p>
            <header class="ca-assess__head">
                <div>
                    {crate::domain::demo::is_demo(&id.get_value()).then(|| view! {
                        <p class="ca-banner" data-testid="demo-label">{t("demo.label")}</p>
                    })}
                    <h1 data-testid="assessment-title">{commune_line}</h1>
                    <RecordState id=id.get_value() stage=Signal::derive(move || head.with(|h| h.stage)) />
                    <p class="ca-muted">{text(fw_title)}</p>
                    <UnverifiedCensus framework=census_fw dimension=census_dimension />
                    <a class="ca-link" data-testid="report-link" href=move || Route::Report(id.get_value()).href()>
                        {t("report.link")} " →"
                    </a>
                    " · "
                    <a class="ca-link" data-testid="compare-link" href=move || Route::Compare(id.get_value()).href()>
                        {t("compare.link")} " →"
                    </a>
                    " · "
                    <a class="ca-link" data-testid="roster-header-link" href=move || Route::Roster(id.get_value()).href()>
                        {t("roster.link")} " →"
                    </a>
                </div>
                <div class="ca-assess__summary" data-testid="commune-summary">
                    <VerdictBadge verdict=commune_verdict />
                    <strong data-testid="commune-verdict">{verdict_text}</strong>
                    {move || {
                        provisional
                            .get()
                            .filter(|_| commune_verdict.get() != Verdict::Pending)
                            .map(|p| view! { <span class="ca-muted" data-testid="provisional-reason">{format!("{}: {}", tr(lang(), "verdict.provisional"), p.reason(lang()))} <HelpLink term="tam-tinh" /></span> })
                    }}
                    <span data-testid="progress">
                        {move || {
                            progress()
                                .map(|(a, t, m, c)| {
                                    format!(
                                        "{} {a}/{t} · {m}/{c} {}",
                                        tr(lang(), "fill.progress"),
                                        tr(lang(), "fill.criteria_met"),
                                    )
                                })
                        }}
                    </span>
                </div>
            </header>
            <Show when=move || other_tab.get()>
                <p class="ca-banner" role="alert" data-testid="other-tab">
                    {t("fill.other_tab")} " "
                    <button
                        class="ca-button ca-button--ghost"
                        data-testid="take-over"
                        on:click=move |_| crate::state::tabs::take_over(state)
                    >
                        {t("fill.take_over")}
                    </button>
                </p>
            </Show>
            <Show when=move || stage_readonly.get()>
                <p class="ca-banner" role="status" data-testid="readonly">
                    {move || {
                        let recognised = head.with(|h| h.stage == crate::domain::workflow::Stage::Recognised);
                        tr(lang(), if recognised { "fill.readonly.recognised" } else { "fill.readonly" })
                    }}
                </p>
            </Show>
            {move || newer_schema.get().map(|v| view! {
                <p class="ca-banner" role="alert" data-testid="newer-schema">
                    {format!("{} (schema {v})", tr(lang(), "fill.newer_schema"))}
                </p>
            })}
            {stale.map(|n| view! {
                <p class="ca-banner" role="status" data-testid="stale-framework">
                    {format!("⚠ {} ({n})", tr(lang(), "fill.stale_framework"))}
                </p>
            })}
            <Show when=move || { conflicts.get() > 0 }>
                <p class="ca-banner ca-banner--alert" role="alert" data-testid="conflict-banner">
                    {move || format!("{} ({})", tr(lang(), "conflict.banner"), conflicts.get())} " "
                    <a class="ca-button" data-testid="conflict-open" href=move || Route::Conflict(id.get_value()).href()>
                        {t("conflict.open")}
                    </a>
                </p>
            </Show>
            <div class="ca-assess__tools">
                <button class="ca-button ca-button--ghost" data-testid="next-unanswered" on:click=next_unanswered>
                    {t("fill.next_unanswered")}
                </button>
                <label class="ca-check">
                    <input
                        type="checkbox"
                        data-testid="only-unmet"
                        prop:checked=only_unmet
                        on:change:target=move |ev| set_only_unmet.set(ev.target().checked())
                    />
                    {t("fill.only_unmet")}
                </label>
            </div>
            <div class="ca-assess__body">
                <CriteriaNav framework=nav_fw criteria=criteria selected=selected set_selected=set_selected summary=nav_summary />
                <div class="ca-assess__criterion">
                    {move || {
                        let c = selected.get();
                        let fw = body_fw.clone();
                        let criterion = fw.criteria[c].clone();
                        let title = criterion.title.clone();
                        let note = criterion.note.clone();
                        let crit = criteria.with_value(|cs| cs[c]);
                        let result = Signal::derive(move || crit.with(|r| r.as_ref().map_or(Verdict::Pending, |r| r.verdict)));
                        // The rows of this criterion, registered for the refresh effect. Their
                        // signals belong to this closure's owner and go when it re-runs.
                        let row_data: Vec<(usize, RwSignal<RowData>)> = state.assessments().with_untracked(|m| {
                            let a = id.with_value(|id| m.get(id));
                            live.with_value(|l| {
                                criterion
                                    .indicators
                                    .clone()
                                    .map(|i| {
                                        let d = a.map_or_else(RowData::default, |a| RowData::of(&fw, a, l.evaluation(), i));
                                        (i, RwSignal::new(d))
                                    })
                                    .collect()
                            })
                        });
                        let dimension = head.with_untracked(|h| h.dimension_value.clone());
                        rows.set_value(row_data.clone());
                        view! {
                            <h2 data-testid="criterion-title">
                                {criterion.id.clone()} ". " {text(title)} " "
                                <VerdictBadge verdict=result />
                            </h2>
                            {note.map(|n| view! { <p class="ca-note">{text(n)}</p> })}
                            {row_data
                                .into_iter()
                                .map(|(i, data)| {
                                    view! {
                                        <IndicatorRow
                                            framework=fw.clone()
                                            index=i
                                            aid=id.get_value()
                                            dimension=dimension.clone()
                                            workflow=workflow
                                            roster=roster
                                            head=head
                                            data=data
                                            only_unmet=only_unmet
                                            readonly=readonly
                                            reviewable=reviewable
                                        />
                                    }
                                })
                                .collect_view()}
                        }
                    }}
                </div>
            </div>
            <WorkflowPanel id=id.get_value() workflow=workflow framework=Some(fw.clone()) newer_schema=Signal::derive(move || newer_schema.get().is_some()) />
            <MoveToVersion id=id.get_value() readonly=readonly />
            <section class="ca-section" data-testid="handover-section">
                <h2>{t("handover.title")} <HelpLink term="dong-bo" /> <HelpLink term="xung-dot" /></h2>
                <p class="ca-muted">{t("handover.explain")}</p>
                <button class="ca-button ca-button--ghost" data-testid="handover-export"
                    on:click=move |_| {
                        if let Err(e) = crate::state::data::export_handover(state, &[id.get_value()]) {
                            set_trash_error.set(Some(e));
                        }
                    }>
                    {t("handover.export")}
                </button>
            </section>
            <section class="ca-section" data-testid="trash-section">
                <Show
                    when=move || confirm_trash.get()
                    fallback=move || view! {
                        <button class="ca-button ca-button--ghost" data-testid="trash-assessment"
                            disabled=move || locked.get() || newer_schema.get().is_some()
                            on:click=move |_| set_confirm_trash.set(true)>
                            {t("trash.move")}
                        </button>
                    }
                >
                    <p role="alert">
                        {t("trash.move_confirm")} " "
                        <button class="ca-button" data-testid="trash-assessment-confirm" on:click=move |_| {
                            match actions::trash_assessment(state, &id.get_value()) {
                                Ok(()) => crate::state::browser::navigate(&Route::Home),
                                Err(e) => set_trash_error.set(Some(e.message(lang()))),
                            }
                        }>
                            {t("trash.move")}
                        </button>
                        " "
                        <button class="ca-button ca-button--ghost" on:click=move |_| set_confirm_trash.set(false)>
                            {t("common.cancel")}
                        </button>
                    </p>
                </Show>
                {move || trash_error.get().map(|e| view! { <p class="ca-error" role="alert">{tr(lang(), "trash.failed")} " " {e}</p> })}
            </section>
        </section>
    }
    .into_any()
}

fn focus_first_input(dom_id: &str) {
    let doc = web_sys::window().and_then(|w| w.document());
    if let Some(el) =
        doc.and_then(|d| d.query_selector(&format!("#{dom_id} input, #{dom_id} select")).ok().flatten())
    {
        use wasm_bindgen::JsCast;
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
            el.scroll_into_view();
        }
    }
}

/// The list of criteria with verdict and progress; selecting one shows its indicators.
#[component]
fn CriteriaNav(
    framework: Arc<Framework>,
    criteria: StoredValue<Vec<RwSignal<Option<CriterionResult>>>>,
    selected: ReadSignal<usize>,
    set_selected: WriteSignal<usize>,
    /// The commune's verdict and criteria met, in one line.
    summary: Signal<String>,
) -> impl IntoView {
    view! {
        <nav class="ca-assess__nav" aria-label=t("fill.criteria_nav")>
            <p class="ca-assess__nav-verdict"><span data-testid="nav-verdict" aria-live="polite">{summary}</span> <HelpLink term="tam-tinh" /></p>
            <ol>
                {framework
                    .criteria
                    .iter()
                    .enumerate()
                    .map(|(c, crit)| {
                        let t = crit.title.clone();
                        let result = criteria.with_value(|cs| cs[c]);
                        let verdict =
                            Signal::derive(move || result.with(|r| r.as_ref().map_or(Verdict::Pending, |r| r.verdict)));
                        let count = move || result.with(|r| r.as_ref().map(|r| format!("{}/{}", r.answered, r.total)));
                        view! {
                            <li>
                                <button
                                    class="ca-nav-item"
                                    class:ca-nav-item--on=move || selected.get() == c
                                    aria-current=move || (selected.get() == c).then_some("true")
                                    data-testid=format!("criterion-{}", crit.id)
                                    on:click=move |_| set_selected.set(c)
                                >
                                    <span class="ca-code">{crit.id.clone()}</span>
                                    <span class="ca-nav-item__title">{text(t)}</span>
                                    <span class="ca-muted">{count}</span>
                                    <VerdictBadge verdict=verdict />
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

/// One indicator: title, input, verdict and its explanation, evidence note and source.
#[component]
fn IndicatorRow(
    framework: Arc<Framework>,
    index: usize,
    /// The assessment's id.
    aid: String,
    /// The commune's dimension value, as when the row was made (for the explanation).
    dimension: String,
    workflow: RwSignal<Workflow>,
    roster: RwSignal<Roster>,
    head: RwSignal<Head>,
    /// This row's slice of the assessment and its evaluation (see `RowData`).
    data: RwSignal<RowData>,
    only_unmet: ReadSignal<bool>,
    readonly: Signal<bool>,
    reviewable: Signal<bool>,
) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let ind = framework.indicators[index].clone();
    let ind_id = StoredValue::new(ind.id.clone());
    let result = Memo::new(move |_| data.with(|d| d.result.clone()));
    let answer: Signal<Option<RawAnswer>> = Memo::new(move |_| data.with(|d| d.entry.answer.clone())).into();
    let entry_text = move |f: fn(&Entry) -> &String| data.with(|d| f(&d.entry).clone());
    let fw = framework.clone();
    let ind_explain = ind.clone();
    let explanation = move || {
        let r = result.get()?;
        // A roster that has people but cannot decide yet says so (the reasons follow below).
        if matches!(ind_explain.kind, crate::domain::framework::Kind::Roster)
            && matches!(r.state, IndicatorState::Unanswered)
            && data.with(|d| d.roster_locked)
        {
            return Some(format!("{}: {}", ind_explain.id, tr(lang(), "roster.incomplete")));
        }
        Some(explain(&fw, &ind_explain, &r, &dimension, lang()))
    };
    let verdict =
        Signal::derive(move || result.with(|r| r.as_ref().map_or(Verdict::Pending, |r| r.verdict())));
    let invalid =
        move || result.with(|r| matches!(r.as_ref().map(|r| &r.state), Some(IndicatorState::Invalid(_))));
    let unverified = move || result.with(|r| r.as_ref().is_some_and(|r| r.unverified));
    let hidden = move || only_unmet.get() && verdict.get() == Verdict::Met;
    let dom_id = format!("ind-{}", ind.id.replace('.', "-"));
    let title = ind.title.clone();
    let (aid_note, aid_src, aid_link, aid_choose, aid_review) =
        (aid.clone(), aid.clone(), aid.clone(), aid.clone(), aid.clone());
    // How a typed number was read ("= 10 500"), and the two readings of an ambiguous one.
    let field = number_field(&ind.kind);
    let reading_line = move || {
        let f = field?;
        data.with(|d| match &d.entry.answer {
            Some(RawAnswer::Text(s)) => reading(s, f).map(|r| format!("= {r}")),
            Some(RawAnswer::Pair(a, b)) => {
                let (ra, rb) = (reading(a, f), reading(b, f));
                (ra.is_some() || rb.is_some()).then(|| {
                    format!(
                        "= {} / {}",
                        ra.unwrap_or_else(|| a.trim().into()),
                        rb.unwrap_or_else(|| b.trim().into())
                    )
                })
            }
            Some(RawAnswer::Triple(a, b, c)) => {
                let (ra, rb, rc) = (reading(a, f), reading(b, f), reading(c, f));
                (ra.is_some() || rb.is_some() || rc.is_some()).then(|| {
                    format!(
                        "= {} / {} ({} {})",
                        ra.unwrap_or_else(|| a.trim().into()),
                        rb.unwrap_or_else(|| b.trim().into()),
                        tr(lang(), "fill.of_which"),
                        rc.unwrap_or_else(|| c.trim().into())
                    )
                })
            }
            _ => None,
        })
    };
    let ambiguous = move || {
        result.with(|r| match r.as_ref().map(|r| &r.state) {
            Some(IndicatorState::Invalid(ParseAnswerError::Ambiguous { thousands, decimal, .. })) => {
                Some((*thousands, *decimal))
            }
            _ => None,
        })
    };
    let choose = move |aid: &str, as_thousands: bool| {
        let raw = data.with_untracked(|d| d.entry.answer.clone());
        if let Some(next) = raw.as_ref().and_then(|r| choose_reading(r, as_thousands)) {
            actions::set_answer(state, aid, &ind_id.get_value(), Some(next));
        }
    };
    // A value outside the plausible range, offered in the indicator's own unit (45.000.000 đồng → 45).
    let rescaled = move || {
        result.with(|r| match r.as_ref().map(|r| &r.state) {
            Some(IndicatorState::Invalid(ParseAnswerError::Implausible(b))) => {
                b.rescaled.as_ref().map(|(v, _)| format!("= {} {}", fmt_grouped(*v), b.unit.get(lang())))
            }
            _ => None,
        })
    };
    let kind_for_rescale = StoredValue::new(ind.kind.clone());
    let aid_rescale = aid_choose.clone();
    let take_rescaled = move |aid: &str| {
        let raw = data.with_untracked(|d| d.entry.answer.clone());
        let next = kind_for_rescale.with_value(|k| raw.as_ref().and_then(|r| choose_rescaled(k, r)));
        if let Some(next) = next {
            actions::set_answer(state, aid, &ind_id.get_value(), Some(next));
        }
    };
    // A roster-derived indicator (18.1) is computed from the roster once it has people.
    let roster_kind = matches!(ind.kind, crate::domain::framework::Kind::Roster);
    // "Không xem xét", where the set allows it: the answer is kept but not scored, so not edited.
    let not_assessed_rule = ind.not_assessed.clone();
    let not_assessed = move || data.with(|d| d.entry.not_assessed);
    let input_readonly = Signal::derive(move || {
        readonly.get()
            || (roster_kind && data.with(|d| d.roster_locked))
            || (not_assessed_rule.is_some() && not_assessed())
    });
    let aid_na = aid.clone();
    view! {
        <article
            class="ca-indicator"
            class:ca-indicator--invalid=invalid
            id=dom_id.clone()
            data-testid=format!("indicator-{}", ind.id)
            hidden=hidden
        >
            <h3 class="ca-indicator__title" id=format!("{dom_id}-title")>
                <span class="ca-code">{ind.id.clone()}</span>
                {text(title)}
                <Show when=unverified>" " <UnverifiedFlag /></Show>
            </h3>
            {roster_kind.then(|| {
                let href = Route::Roster(aid_link.clone()).href();
                view! {
                    <a class="ca-link" href=href data-testid="roster-link">
                        {t("roster.link")} " →"
                    </a>
                }
            })}
            <IndicatorInput assessment=aid indicator=ind.clone() answer=answer readonly=input_readonly />
            {ind.not_assessed.clone().map(|n| {
                let when = n.when.clone();
                view! {
                    <label class="ca-check ca-small" data-testid=format!("not-assessed-{}", ind_id.get_value())>
                        <input type="checkbox" disabled=readonly prop:checked=not_assessed
                            on:change:target=move |ev| {
                                let v = ev.target().checked();
                                actions::edit_entry(state, &aid_na, &ind_id.get_value(), |e| e.not_assessed = v);
                            } />
                        " " {t("fill.not_assessed")} ": " {move || when.get(lang()).to_string()}
                    </label>
                    <HelpLink term="khong-xem-xet" />
                    <p class="ca-muted ca-small">{t("fill.not_assessed.source")} ": " {n.source.clone()}</p>
                }
            })}
            {move || reading_line().map(|r| view! { <p class="ca-muted ca-reading" data-testid=format!("reading-{}", ind_id.get_value())>{r}</p> })}
            {move || ambiguous().map(|(thousands, decimal)| {
                let (aid_t, aid_d) = (aid_choose.clone(), aid_choose.clone());
                view! {
                    <p class="ca-choose" role="group" data-testid=format!("choose-{}", ind_id.get_value())>
                        <button class="ca-button ca-button--ghost" data-testid=format!("read-thousands-{}", ind_id.get_value())
                            disabled=input_readonly
                            on:click=move |_| choose(&aid_t, true)>
                            {format!("= {}", fmt_grouped(thousands))}
                        </button>
                        " "
                        <button class="ca-button ca-button--ghost" data-testid=format!("read-decimal-{}", ind_id.get_value())
                            disabled=input_readonly
                            on:click=move |_| choose(&aid_d, false)>
                            {format!("= {}", fmt_grouped(decimal))}
                        </button>
                    </p>
                }
            })}
            {move || rescaled().map(|label| {
                let aid_r = aid_rescale.clone();
                view! {
                    <p class="ca-choose" role="group">
                        <button class="ca-button ca-button--ghost" data-testid=format!("read-rescaled-{}", ind_id.get_value())
                            disabled=input_readonly
                            on:click=move |_| take_rescaled(&aid_r)>
                            {label}
                        </button>
                    </p>
                }
            })}
            {move || {
                data.with(|d| match &d.entry.typed {
                    Some(RawAnswer::Pair(met, total)) if d.roster_locked => {
                        Some(
                            view! {
                                <p class="ca-muted" data-testid="typed-kept">
                                    {format!("{} {met}/{total}", tr(lang(), "roster.typed_kept"))}
                                </p>
                            },
                        )
                    }
                    _ => None,
                })
            }}
            <p
                class="ca-explain"
                class:ca-explain--invalid=invalid
                data-testid=format!("explain-{}", ind.id)
                role=move || invalid().then_some("alert")
            >
                <VerdictBadge verdict=verdict />
                " "
                {explanation}
            </p>
            {roster_kind.then(|| {
                let decision = Memo::new(move |_| {
                    let on = head.with(|h| h.judged_on.clone());
                    roster.with(|r| {
                        if r.people.is_empty() {
                            Default::default()
                        } else {
                            crate::domain::roster::decide(crate::state::roster::standards(), r, &on)
                        }
                    })
                });
                view! { <RosterGaps decision=decision.into() /> }
            })}
            <details class="ca-evidence">
                <summary>{t("fill.note")}</summary>
                <label class="ca-field">
                    <span class="ca-field__label">{t("fill.note")}</span>
                    <textarea
                        class="ca-input"
                        disabled=readonly
                        prop:value=move || entry_text(|e| &e.note)
                        on:input:target=move |ev| {
                            let v = ev.target().value();
                            actions::edit_entry(state, &aid_note, &ind_id.get_value(), |e| e.note = v)
                        }
                    ></textarea>
                </label>
                <label class="ca-field">
                    <span class="ca-field__label">{t("fill.source_ref")}</span>
                    <input
                        class="ca-input"
                        disabled=readonly
                        prop:value=move || entry_text(|e| &e.source_ref)
                        on:input:target=move |ev| {
                            let v = ev.target().value();
                            actions::edit_entry(state, &aid_src, &ind_id.get_value(), |e| e.source_ref = v)
                        }
                    />
                </label>
            </details>
            <Show when=move || reviewable.get()>
                <ReviewBox id=aid_review.clone() workflow=workflow indicator=ind_id.get_value() />
            </Show>
        </article>
    }
}

/// What one indicator row shows: its entry, its result, and whether a roster decides it.
#[derive(Clone, PartialEq, Default)]
struct RowData {
    entry: Entry,
    result: Option<IndicatorResult>,
    /// The roster has people, so 18.1 is derived from it and not typed.
    roster_locked: bool,
}

impl RowData {
    fn of(fw: &Framework, a: &Assessment, e: &Evaluation, index: usize) -> RowData {
        RowData {
            entry: a.entries.get(&fw.indicators[index].id).cloned().unwrap_or_default(),
            result: e.indicators.get(index).cloned(),
            roster_locked: !a.roster.people.is_empty(),
        }
    }
}

/// What the page shows of an assessment besides its answers and workflow: read on every change
/// (a few short strings), it wakes the header and the read-only rules only when it differs.
#[derive(Clone, PartialEq, Default)]
struct Head {
    commune: crate::domain::assessment::Commune,
    round: u16,
    dimension_value: String,
    judged_on: String,
    stage: crate::domain::workflow::Stage,
    newer_schema: Option<u32>,
}

impl Head {
    fn of(a: &Assessment) -> Head {
        Head {
            commune: a.commune.clone(),
            round: a.round,
            dimension_value: a.dimension_value.clone(),
            judged_on: a.judged_on(),
            stage: a.workflow.stage,
            newer_schema: a.read_only_schema(),
        }
    }
}

/// The commune's line: its verdict, the counts, and why the verdict is provisional.
#[derive(Clone, PartialEq)]
struct Summary {
    commune: Verdict,
    answered: usize,
    total: usize,
    criteria_met: usize,
    criteria: usize,
    provisional: Option<crate::domain::score::Provisional>,
}

impl Summary {
    fn of(fw: &Framework, live: &crate::domain::score::LiveEvaluation) -> Summary {
        let e = live.evaluation();
        Summary {
            commune: e.commune,
            answered: e.answered,
            total: e.total,
            criteria_met: e.criteria_met,
            criteria: e.criteria.len(),
            provisional: live.provisional(fw),
        }
    }
}

/// Sets `sig` to a copy of `value` only when they differ: compared in place, copied only then
/// (a keystroke does not copy the workflow or the roster).
fn set_if_differs<T: Clone + PartialEq + Send + Sync + 'static>(sig: RwSignal<T>, value: &T) {
    if sig.try_with_untracked(|old| old != value) == Some(true) {
        sig.set(value.clone());
    }
}

/// Sets a signal only when the value differs, so its subscribers wake only on a real change.
/// A signal whose row is gone (disposed) is skipped.
fn set_if_changed<T: PartialEq + Send + Sync + 'static>(sig: RwSignal<T>, value: T) {
    if sig.try_with_untracked(|old| old != &value) == Some(true) {
        sig.set(value);
    }
}

/// Other versions of this assessment's set: the verdicts that would change, then an explicit
/// move (only while its answers may be changed).
#[component]
fn MoveToVersion(id: String, readonly: Signal<bool>) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let Some(a) = state.assessments().with_untracked(|m| m.get(&id).cloned()) else { return ().into_any() };
    let Some(current) = state.framework(&a.framework_id, &a.framework_version) else { return ().into_any() };
    let others = Memo::new(move |_| {
        state.frameworks().with(|fs| {
            fs.iter()
                .filter(|f| f.id == current.id && f.version != current.version)
                .map(|f| f.key())
                .collect::<Vec<_>>()
        })
    });
    let (shown, set_shown) = signal(None::<String>);
    let (error, set_error) = signal(None::<String>);
    let id = StoredValue::new(id);
    view! {
        <Show when=move || !others.with(Vec::is_empty) && !readonly.get()>
            <section class="ca-section" data-testid="move-section">
                <h2>{t("move.title")}</h2>
                {move || others.get().into_iter().map(|key| {
                    let k2 = key.clone();
                    view! {
                        <p><button class="ca-button ca-button--ghost" data-testid="move-preview" on:click=move |_| set_shown.set(Some(k2.clone()))>{format!("{} {key}…", tr(lang(), "move.confirm"))}</button></p>
                    }
                }).collect_view()}
                {move || shown.get().and_then(|k| state.framework_by_key(&k)).map(|new| {
                    let l = lang();
                    let (a, old) = state.assessments().with_untracked(|m| (m.get(&id.get_value()).cloned(), state.framework(&new.id, &m.get(&id.get_value()).map(|a| a.framework_version.clone()).unwrap_or_default())));
                    let (Some(a), Some(old)) = (a, old) else { return ().into_any() };
                    let changes = crate::state::editor::verdict_changes(&a, &old, &new);
                    let new2 = new.clone();
                    view! {
                        <p>{t("move.explain")}</p>
                        <ul data-testid="move-changes">
                            {if changes.is_empty() { view! { <li>{tr(l, "move.none")}</li> }.into_any() } else {
                                changes.into_iter().map(|c| {
                                    let what = if c.criterion.is_empty() { tr(l, "move.commune") } else { format!("{} {}", tr(l, "report.criterion"), c.criterion) };
                                    view! { <li data-testid="move-change">{format!("{what}: {} → {}", c.before.label(l), c.after.label(l))}</li> }
                                }).collect_view().into_any()
                            }}
                        </ul>
                        <button class="ca-button" data-testid="move-confirm" on:click=move |_| {
                            let by = state.signer().get_untracked();
                            if by.name.trim().is_empty() {
                                set_error.set(Some(crate::domain::workflow::WorkflowError::NoName.message(lang())));
                                return;
                            }
                            if let Err(e) = actions::move_to(state, &id.get_value(), &new2, &by) {
                                set_error.set(Some(e.message(lang())));
                            }
                        }>{format!("{} {}", tr(l, "move.confirm"), new.key())}</button>
                    }.into_any()
                })}
                {move || error.get().map(|e| view! { <p class="ca-error" role="alert">{e}</p> })}
            </section>
        </Show>
    }
    .into_any()
}
