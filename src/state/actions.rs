//! Actions: the only way components change state. Each runs one `Core` method (the rules live
//! there) on its host and asks the host for what the method cannot do itself: the save's
//! debounce, the document's language, the scroll position. Generic over [`Host`], so the same
//! code runs in the app (`AppState`) and in the native tests; the browser-only ones (the URL,
//! the service worker, the chunks) are in `state::browser`.

use std::sync::Arc;

use crate::domain::answer::RawAnswer;
use crate::domain::assessment::{Commune, Entry, Person};
use crate::domain::framework::Framework;
use crate::domain::records::{Field, Side};
use crate::domain::text::Lang;
use crate::domain::workflow::{RecognitionDecision, Step, WorkflowError};
use crate::state::host::Host;
use crate::state::ActionError;

pub use crate::state::core::{open_conditions, NewAssessment};

/// Resolves the conflict between assessment `id` here and its copy at `conflict_key`.
pub fn resolve_conflict(
    host: impl Host,
    id: &str,
    conflict_key: &str,
    choices: &std::collections::BTreeMap<Field, Side>,
) -> Result<(), ActionError> {
    host.act(|c| c.resolve_conflict(host.env(), id, conflict_key, choices))
}

/// Switches the UI language and remembers the choice.
pub fn set_lang(host: impl Host, lang: Lang) {
    host.act(|c| c.set_lang(lang));
    host.set_document_lang(lang.tag());
    remember_place(host);
}

/// Who signs a step here (see `Core::signer_for_steps`).
pub fn signer(host: impl Host) -> Person {
    host.peek(|c| c.signer_for_steps(host.env().kv))
}

/// Remembers who signs on this tablet.
pub fn set_signer(host: impl Host, signer: Person) {
    host.act(|c| c.set_signer(signer));
    remember_place(host);
}

/// Forgets a signer remembered on this device for `role` (`Core::forget_signer`).
pub fn forget_signer(host: impl Host, role: crate::domain::workflow::Role, person: &Person) {
    host.act(|c| c.forget_signer(host.env().kv, role, person));
}

/// Dismisses the first-start welcome on this device (`Core::dismiss_welcome`).
pub fn dismiss_welcome(host: impl Host) {
    host.act(|c| c.dismiss_welcome(host.env().kv));
}

/// Keeps the settings with the current page and scroll position.
pub fn remember_place(host: impl Host) {
    let scroll = host.scroll_y();
    // Best effort: the place is a convenience, and storage may be full.
    let _ = host.peek(|c| c.save_settings(host.env().kv, scroll));
}

/// Creates an assessment, stores it at once, and returns its id.
pub fn create_assessment(host: impl Host, spec: NewAssessment) -> String {
    host.act(|c| c.create_assessment(host.env(), spec))
}

/// Whether this tab may change assessment `id` (`Core::writable`).
pub fn writable(host: impl Host, id: &str) -> bool {
    host.peek(|c| c.writable(id))
}

/// Other assessments of the same commune and round, most advanced first.
pub fn duplicates_of(
    host: impl Host,
    commune: &Commune,
    round: u16,
) -> Vec<crate::domain::assessment::Assessment> {
    host.peek(|c| c.duplicates_of(commune, round))
}

/// Moves an assessment to the trash, its unsaved edits saved first.
pub fn trash_assessment(host: impl Host, id: &str) -> Result<(), ActionError> {
    host.act(|c| c.trash_assessment(host.env(), id))
}

/// Puts a trashed assessment back.
pub fn untrash(host: impl Host, key: &str) -> Result<(), ActionError> {
    host.act(|c| c.untrash(host.env().kv, key))
}

/// Deletes the trashed assessments for good.
pub fn empty_trash(host: impl Host) -> Result<usize, ActionError> {
    host.act(|c| c.empty_trash(host.env().kv))
}

/// Changes one indicator's entry of an assessment and schedules the save.
pub fn edit_entry(host: impl Host, assessment: &str, indicator: &str, f: impl FnOnce(&mut Entry)) {
    if host.act(|c| c.edit_entry(host.env().clock.now_ms(), assessment, indicator, f)) {
        host.schedule_flush();
    }
}

/// Sets one indicator's answer.
pub fn set_answer(host: impl Host, assessment: &str, indicator: &str, answer: Option<RawAnswer>) {
    edit_entry(host, assessment, indicator, |e| e.answer = answer);
}

/// Changes the roster of an assessment, re-derives 18.1, and schedules the save.
pub fn edit_roster(host: impl Host, id: &str, f: impl FnOnce(&mut crate::domain::roster::Roster)) {
    if host.act(|c| c.edit_roster(host.env().clock.now_ms(), id, f)) {
        host.schedule_flush();
    }
}

/// Adds an empty person to the roster (`Core::add_person`).
pub fn add_person(host: impl Host, id: &str) {
    if host.act(|c| c.add_person(host.env().clock.now_ms(), id, host.env().clock.new_id())) {
        host.schedule_flush();
    }
}

/// Brings a draft's roster-decided answers up to date (`Core::refresh_derived`).
pub fn refresh_derived(host: impl Host, id: &str) {
    if host.act(|c| c.refresh_derived(host.env().clock.now_ms(), id)) {
        host.schedule_flush();
    }
}

/// Stores an imported framework and adds it to the list; nothing changes when storing fails.
pub fn import_framework(host: impl Host, text: &str, fw: Framework) -> Result<Arc<Framework>, ActionError> {
    host.act(|c| c.import_framework(host.env().kv, text, fw))
}

/// Publishes a framework draft as a new version (`editor::publish`).
pub fn publish_draft(
    host: impl Host,
    draft: &crate::domain::framework::edit::Draft,
) -> Result<Arc<Framework>, crate::domain::framework::edit::PublishRefusal> {
    host.act(|c| crate::state::editor::publish(c, host.env().kv, draft))
}

/// Moves an assessment to another version of its set (`Core::move_to`).
pub fn move_to(host: impl Host, id: &str, new: &Framework, by: &Person) -> Result<(), ActionError> {
    host.act(|c| c.move_to(host.env(), id, new, by))
}

/// Takes a workflow step on an assessment, signed by `by`; on refusal nothing changes.
pub fn workflow_step(host: impl Host, id: &str, step: Step, by: &Person) -> Result<(), WorkflowError> {
    host.act(|c| c.workflow_step(host.env(), id, step, by))
}

/// Recognises an assessment, signed by `by`, recording the chair's decision.
pub fn recognise(
    host: impl Host,
    id: &str,
    by: &Person,
    decision: RecognitionDecision,
) -> Result<(), WorkflowError> {
    host.act(|c| c.recognise(host.env(), id, by, decision))
}

/// Confirms (or withdraws) one recognition condition, signed by `by`.
pub fn check_condition(
    host: impl Host,
    id: &str,
    condition: &str,
    met: bool,
    by: &Person,
) -> Result<(), WorkflowError> {
    host.act(|c| c.check_condition(host.env(), id, condition, met, by))
}

/// Records a reviewer's comment (and optional verdict override) on one indicator.
pub fn review_indicator(
    host: impl Host,
    id: &str,
    indicator: &str,
    comment: &str,
    override_met: Option<bool>,
    by: &Person,
) -> Result<(), WorkflowError> {
    host.act(|c| c.review_indicator(host.env(), id, indicator, comment, override_met, by))
}

/// Imports a units list (CSV or JSON) and stores it (`Core::import_units`).
pub fn import_units(host: impl Host, text: &str, lang: Lang) -> Result<usize, Vec<String>> {
    host.act(|c| c.import_units(host.env().kv, text, lang))
}

/// Before this tab reloads: saves every pending edit and the place (`Core::ready_to_reload`).
pub fn saved_for_reload(host: impl Host) -> bool {
    host.flush();
    host.act(|c| c.ready_to_reload(host.env().kv, host.scroll_y()))
}
