//! The recognition workflow on an assessment: current stage, the signer, the steps possible now
//! (return needs a reason), and the audit trail of every stage change and review.

use std::sync::Arc;

use leptos::prelude::*;

use crate::ui::components::help::HelpLink;

use crate::domain::assessment::Person;
use crate::domain::framework::{Framework, Provenance};
use crate::domain::workflow::{AuditKind, Role, Stage, Step, Workflow};
use crate::io::nav;
use crate::state::{actions, use_app_state};
use crate::ui::i18n::{t, tr};

/// The people who signed in `role` on this device before, each one tap from signing again
/// (the name and title fields below stay editable); "×" forgets one. Hidden when the account
/// signed in has its signer on the province's list (nobody else may sign from it).
#[component]
pub fn KnownSignerChips(
    /// The part of the next step.
    #[prop(into)]
    role: Signal<Option<Role>>,
) -> impl IntoView {
    let state = use_app_state();
    let sync = crate::state::sync::use_sync();
    let lang = move || state.lang().get();
    let listed = move || sync.config().with(|c| c.account().and(c.signer.clone()).is_some());
    let people = move || {
        let Some(role) = role.get() else { return Vec::new() };
        state.known_signers_for(role)
    };
    move || {
        let (Some(role), false) = (role.get(), listed()) else { return None };
        let people = people();
        (!people.is_empty()).then(|| {
            let current = state.signer().get();
            view! {
                <div class="ca-signers" data-testid="known-signers" role="group" aria-label=move || tr(lang(), "wf.signers.known")>
                    <span class="ca-field__label">{move || format!("{} ({})", tr(lang(), "wf.signers.known"), role.label(lang()))}</span>
                    <ul class="ca-signers__list">
                        {people.into_iter().enumerate().map(|(i, p)| {
                            let on = p == current;
                            let (pick, drop) = (p.clone(), p.clone());
                            let label = if p.title.is_empty() { p.name.clone() } else { format!("{} — {}", p.name, p.title) };
                            view! {
                                <li>
                                    <button type="button" class="ca-chip ca-signers__pick" class:ca-chip--on=on aria-pressed=on.to_string()
                                        data-testid=format!("known-signer-{i}")
                                        on:click=move |_| actions::set_signer(state, pick.clone())>
                                        {label.clone()}
                                    </button>
                                    <button type="button" class="ca-button ca-button--ghost ca-signers__forget"
                                        data-testid=format!("forget-signer-{i}")
                                        aria-label=format!("{} {}", tr(lang(), "wf.signers.forget"), p.name)
                                        on:click=move |_| actions::forget_signer(state, role, &drop)>
                                        "×"
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// The name and title of whoever signs on this tablet (remembered in settings); with sync, the
/// province's list entry of the account signed in, shown and not editable (the server accepts no
/// other name from that account).
#[component]
pub fn SignerFields() -> impl IntoView {
    let state = use_app_state();
    let sync = crate::state::sync::use_sync();
    let listed =
        move || sync.config().with(|c| c.account().and(c.signer.clone()).map(|p| (c.user.clone(), p)));
    let shown = move || listed().map(|(_, p)| p).unwrap_or_else(|| state.signer().get());
    view! {
        <div class="ca-row">
            <label class="ca-field">
                <span class="ca-field__label">{t("wf.signer.name")}</span>
                <input
                    class="ca-input"
                    data-testid="signer-name"
                    prop:value=move || shown().name
                    readonly=move || listed().is_some()
                    on:change:target=move |ev| {
                        let mut p = state.signer().get_untracked();
                        p.name = ev.target().value();
                        actions::set_signer(state, p);
                    }
                />
            </label>
            <label class="ca-field">
                <span class="ca-field__label">{t("wf.signer.title")}</span>
                <input
                    class="ca-input"
                    data-testid="signer-title"
                    prop:value=move || shown().title
                    readonly=move || listed().is_some()
                    on:change:target=move |ev| {
                        let mut p = state.signer().get_untracked();
                        p.title = ev.target().value();
                        actions::set_signer(state, p);
                    }
                />
            </label>
        </div>
        {move || match (listed(), sync.config().with(|c| c.account().map(String::from))) {
            (Some((account, _)), _) => Some(view! {
                <p class="ca-muted" data-testid="signer-listed">
                    {t("wf.signer.listed")} " " <code>{account}</code>
                </p>
            }.into_any()),
            (None, Some(account)) => Some(view! {
                <p class="ca-banner" data-testid="signer-unlisted">
                    {t("wf.signer.unlisted")} " " <code>{account}</code>
                </p>
            }.into_any()),
            _ => None,
        }}
    }
}

/// Stage, steps and audit trail of one assessment.
#[component]
pub fn WorkflowPanel(
    /// The assessment's id.
    id: String,
    /// Its workflow: a memo that wakes only when the workflow changes, not on every answer.
    workflow: RwSignal<Workflow>,
    /// Its framework, for the recognition conditions.
    framework: Option<Arc<Framework>>,
    /// Written by a newer release: shown, never changed.
    newer_schema: Signal<bool>,
) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let (reason, set_reason) = signal(String::new());
    // The chair's recognition decision, recorded with the recognition step.
    let (decision_number, set_decision_number) = signal(String::new());
    let (decision_date, set_decision_date) = signal(String::new());
    let (error, set_error) = signal(None::<String>);
    let id = StoredValue::new(id);
    let stage = move || workflow.with(|w| w.stage);
    // A tab that is read-only because another tab edits this assessment takes no steps either.
    let steps = Memo::new(move |_| {
        if state.blocked_by().get().is_some() || newer_schema.get() {
            return vec![];
        }
        workflow.with(|w| w.possible_steps())
    });
    let conditions_fw = framework.clone();
    let open_fw = framework.clone();
    // Recognition waits for every condition beyond the criteria.
    let open_conditions = Memo::new(move |_| {
        workflow.with(|w| open_fw.as_ref().map_or(0, |fw| actions::open_conditions(fw, w)))
    });
    let take = move |step: Step| {
        let id = id.get_value();
        let step = match step {
            Step::Return { .. } => Step::Return { reason: reason.get_untracked() },
            s => s,
        };
        let by: Person = actions::signer(state);
        let done = match step {
            Step::Recognise => actions::recognise(
                state,
                &id,
                &by,
                crate::domain::workflow::RecognitionDecision {
                    number: decision_number.get_untracked(),
                    date: decision_date.get_untracked(),
                },
            ),
            step => actions::workflow_step(state, &id, step, &by),
        };
        match done {
            Ok(()) => {
                set_error.set(None);
                set_reason.set(String::new());
            }
            Err(e) => set_error.set(Some(e.message(lang()))),
        }
    };
    view! {
        <section class="ca-section ca-workflow" data-testid="workflow">
            <h2>
                {t("wf.title")} ": "
                <span data-testid="wf-stage">{move || stage().label(lang())}</span>
                <HelpLink term="cong-nhan" />
                <HelpLink term="tham-tra" />
            </h2>
            // Who does what since the two-level government (01/07/2025), and what was not found.
            <p class="ca-muted ca-small" data-testid="wf-two-level">{t("wf.decision.who")}</p>
            <Show when=move || !steps.with(Vec::is_empty)>
                <KnownSignerChips role=Signal::derive(move || {
                    let stage = stage();
                    steps.with(|s| s.first().map(|step| Role::of(step, stage)))
                }) />
                <SignerFields />
                <Show when=move || steps.with(|s| s.iter().any(|s| matches!(s, Step::Return { .. })))>
                    <label class="ca-field">
                        <span class="ca-field__label">{t("wf.reason")}</span>
                        <textarea
                            class="ca-input"
                            data-testid="wf-reason"
                            prop:value=move || reason.get()
                            on:input:target=move |ev| set_reason.set(ev.target().value())
                        ></textarea>
                    </label>
                </Show>
                <Show when=move || steps.with(|s| s.iter().any(|s| matches!(s, Step::Recognise)))>
                    <div class="ca-row" data-testid="wf-decision">
                        <label class="ca-field">
                            <span class="ca-field__label">{t("wf.decision.number")}</span>
                            <input class="ca-input" data-testid="wf-decision-number" placeholder="1234/QĐ-UBND"
                                prop:value=move || decision_number.get()
                                on:input:target=move |ev| set_decision_number.set(ev.target().value()) />
                        </label>
                        <label class="ca-field">
                            <span class="ca-field__label">{t("wf.decision.date")}</span>
                            <input class="ca-input" type="date" data-testid="wf-decision-date"
                                prop:value=move || decision_date.get()
                                on:input:target=move |ev| set_decision_date.set(ev.target().value()) />
                        </label>
                    </div>
                </Show>
                <div class="ca-workflow__steps">
                    {move || {
                        steps
                            .get()
                            .into_iter()
                            .map(|s| {
                                let testid = match s {
                                    Step::Submit => "wf-submit",
                                    Step::Review => "wf-review",
                                    Step::Appraise => "wf-appraise",
                                    Step::Recognise => "wf-recognise",
                                    Step::Return { .. } => "wf-return",
                                };
                                let label = s.label(lang());
                                let ghost = matches!(s, Step::Return { .. });
                                let waits = matches!(s, Step::Recognise);
                                view! {
                                    <button
                                        class="ca-button"
                                        class:ca-button--ghost=ghost
                                        disabled=move || { waits && open_conditions.get() > 0 }
                                        data-testid=testid
                                        on:click=move |_| take(s.clone())
                                    >
                                        {label}
                                    </button>
                                }
                            })
                            .collect_view()
                    }}
                </div>
            </Show>
            {move || error.get().map(|e| view! { <p class="ca-error" role="alert" data-testid="wf-error">{e}</p> })}
            <Conditions id=id.get_value() workflow=workflow framework=framework newer_schema=newer_schema />
            <h3>{t("wf.audit")}</h3>
            <ol class="ca-audit" data-testid="audit">
                {move || {
                    let l = lang();
                    workflow.with(|w| {
                            w.audit
                                .iter()
                                .map(|e| {
                                    let what = audit_what(e, w, conditions_fw.as_deref(), l);
                                    let when = format!("{} {}", nav::date(e.at), nav::hh_mm(e.at));
                                    let role = e.role.map(|r| format!(" [{}]", r.label(l))).unwrap_or_default();
                                    view! {
                                        <li data-testid="audit-event">
                                            <time>{when}</time> " · " <strong>{e.by.name.clone()}</strong> " ("
                                            {e.by.title.clone()} ")" {role} " · " {what}
                                        </li>
                                    }
                                })
                                .collect_view()
                    })
                }}
            </ol>
        </section>
    }
}

/// The framework's recognition conditions beyond the criteria, each with its source or a "not
/// found" flag, confirmed by the reviewers while the dossier is with them; recognition waits for
/// all of them.
#[component]
fn Conditions(
    id: String,
    workflow: RwSignal<Workflow>,
    framework: Option<Arc<Framework>>,
    newer_schema: Signal<bool>,
) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let Some(fw) = framework.filter(|f| !f.conditions.is_empty()) else { return ().into_any() };
    let (error, set_error) = signal(None::<String>);
    let id = StoredValue::new(id);
    let editable = move || {
        state.blocked_by().get().is_none()
            && !newer_schema.get()
            && workflow.with(|w| w.stage == crate::domain::workflow::CONDITIONS_STAGE)
    };
    let open = {
        let fw = fw.clone();
        Memo::new(move |_| workflow.with(|w| actions::open_conditions(&fw, w)))
    };
    let rows = fw
        .conditions
        .iter()
        .map(|c| {
            let cid = StoredValue::new(c.id.clone());
            let title = c.title.clone();
            let flag = match c.provenance {
                Provenance::Official => None,
                Provenance::Secondary => Some(("wf.condition.secondary", c.source.clone())),
                Provenance::NotFound => Some(("wf.condition.not_found", c.source.clone())),
            };
            let note = c.note.clone();
            let checked =
                move || workflow.with(|w| w.conditions.contains(&cid.get_value()));
            view! {
                <li data-testid=format!("condition-{}", c.id)>
                    <label class="ca-check">
                        <input
                            type="checkbox"
                            data-testid=format!("condition-check-{}", c.id)
                            prop:checked=checked
                            disabled=move || !editable()
                            on:change:target=move |ev| {
                                let id = id.get_value();
                                let by = actions::signer(state);
                                match actions::check_condition(state, &id, &cid.get_value(), ev.target().checked(), &by) {
                                    Ok(()) => set_error.set(None),
                                    Err(e) => {
                                        ev.target().set_checked(!ev.target().checked());
                                        set_error.set(Some(e.message(state.lang().get_untracked())));
                                    }
                                }
                            }
                        />
                        {move || title.get(lang()).to_string()}
                    </label>
                    {flag.map(|(key, source)| view! {
                        <p class="ca-muted" data-testid="condition-source">"⚠ " {move || tr(lang(), key)} " — " {source}</p>
                    })}
                    {note.map(|n| view! { <p class="ca-note">{move || n.get(lang()).to_string()}</p> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="ca-conditions" data-testid="conditions">
            <h3>{t("wf.conditions")} <HelpLink term="nguon" /></h3>
            <ul class="ca-list">{rows}</ul>
            <p data-testid="conditions-open" class:ca-error=move || { open.get() > 0 }>
                {move || match open.get() {
                    0 => tr(lang(), "wf.conditions.all"),
                    n => format!("{} {n}", tr(lang(), "wf.conditions.open")),
                }}
            </p>
            {move || error.get().map(|e| view! { <p class="ca-error" role="alert">{e}</p> })}
        </section>
    }
    .into_any()
}

/// A reviewer's comment and optional verdict override on one indicator.
#[component]
pub fn ReviewBox(
    /// The assessment's id.
    id: String,
    /// Its workflow (reactive), where the reviews are.
    workflow: RwSignal<Workflow>,
    /// The indicator id.
    indicator: String,
) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let (comment, set_comment) = signal(String::new());
    let (choice, set_choice) = signal(String::new());
    let (error, set_error) = signal(None::<String>);
    let ind = StoredValue::new(indicator);
    let existing =
        move || workflow.with(|w| w.reviews.get(&ind.get_value()).map(|r| (w.stage_at(r.at), r.clone())));
    // Named for the step it belongs to: a comment made at review is the review's, not the appraisal's.
    let label_now = move || tr(lang(), comment_key(workflow.with(|w| w.stage)));
    let id = StoredValue::new(id);
    let save = move |_| {
        let id = id.get_value();
        let over = match choice.get_untracked().as_str() {
            "met" => Some(true),
            "not_met" => Some(false),
            _ => None,
        };
        let by = actions::signer(state);
        match actions::review_indicator(state, &id, &ind.get_value(), &comment.get_untracked(), over, &by) {
            Ok(()) => {
                set_error.set(None);
                set_comment.set(String::new());
            }
            Err(e) => set_error.set(Some(e.message(lang()))),
        }
    };
    let tid = ind.get_value();
    view! {
        <div class="ca-review" data-testid=format!("review-{tid}")>
            {move || {
                existing()
                    .map(|(stage, r)| {
                        view! {
                            <p class="ca-note" data-testid=format!("review-note-{}", ind.get_value())>
                                <strong>{tr(lang(), comment_key(stage))}</strong> " (" {r.by.name.clone()} "): "
                                {r.comment.clone()}
                            </p>
                        }
                    })
            }}
            <div class="ca-row">
                <label class="ca-field">
                    <span class="ca-field__label">{label_now}</span>
                    <input
                        class="ca-input"
                        data-testid=format!("review-comment-{tid}")
                        prop:value=move || comment.get()
                        on:input:target=move |ev| set_comment.set(ev.target().value())
                    />
                </label>
                <label class="ca-field">
                    <span class="ca-field__label">{t("wf.override")}</span>
                    <select
                        class="ca-input"
                        data-testid=format!("review-override-{tid}")
                        on:change:target=move |ev| set_choice.set(ev.target().value())
                    >
                        <option value="">{t("wf.override.none")}</option>
                        <option value="met">{t("verdict.met")}</option>
                        <option value="not_met">{t("verdict.not_met")}</option>
                    </select>
                </label>
            </div>
            <button class="ca-button ca-button--ghost" data-testid=format!("review-save-{tid}") on:click=save>
                {t("wf.comment.save")}
            </button>
            {move || error.get().map(|e| view! { <p class="ca-error" role="alert">{e}</p> })}
        </div>
    }
}

/// The label of a reviewer's comment made while the dossier stood at `stage`: at "submitted" it is
/// the review's (thẩm tra), at "reviewed" the appraisal's (thẩm định), at "appraised" the
/// recognition's.
pub fn comment_key(stage: Stage) -> &'static str {
    match stage {
        Stage::Reviewed => "wf.comment.appraisal",
        Stage::Appraised => "wf.comment.recognition",
        _ => "wf.comment.review",
    }
}

/// What one audit event of `workflow` did, in one line ("Nộp hồ sơ: Bản nháp → Đã nộp — Lý do:
/// …"), for the panel and the printed report alike.
pub fn audit_what(
    e: &crate::domain::workflow::AuditEvent,
    workflow: &Workflow,
    fw: Option<&crate::domain::framework::Framework>,
    l: crate::domain::text::Lang,
) -> String {
    match &e.kind {
        AuditKind::Stage { from, to, step } => {
            let mut s = format!("{}: {} → {}", step.label(l), from.label(l), to.label(l));
            if let Step::Return { reason } = step {
                s.push_str(&format!(" — {}: {reason}", tr(l, "wf.reason")));
            }
            if let Some(d) = &e.decision {
                s.push_str(&format!(
                    " — {} {}, {}",
                    tr(l, "wf.decision"),
                    d.number,
                    crate::domain::date::dmy(&d.date)
                ));
            }
            s
        }
        AuditKind::Condition { id, met } => {
            let title = fw
                .and_then(|fw| fw.conditions.iter().find(|c| &c.id == id))
                .map_or(id.clone(), |c| c.title.get(l).to_string());
            let key = if *met { "wf.condition.met" } else { "wf.condition.unmet" };
            format!("{}: {title}", tr(l, key))
        }
        AuditKind::Review { indicator, comment, override_met } => {
            let ov = match override_met {
                Some(true) => format!(" ({} {})", tr(l, "wf.override"), tr(l, "verdict.met")),
                Some(false) => format!(" ({} {})", tr(l, "wf.override"), tr(l, "verdict.not_met")),
                None => String::new(),
            };
            format!("{} {indicator}: {comment}{ov}", tr(l, comment_key(workflow.stage_at(e.at))))
        }
        AuditKind::Framework { from, to } => format!("{}: {from} → {to}", tr(l, "wf.framework_moved")),
    }
}
