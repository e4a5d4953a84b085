//! Actions: the only way components change state. Each runs one `Core` method (the rules live
//! there, tested natively) and does in the browser what that method asks: the document's
//! language, the URL, the debounce, the locks' callbacks, the service worker.

use std::sync::Arc;

use crate::domain::answer::RawAnswer;
use crate::domain::assessment::{Commune, Entry, Person};
use crate::domain::framework::{bundled, Framework};
use crate::domain::records::{Field, Side};
use crate::domain::text::Lang;
use crate::domain::workflow::{RecognitionDecision, Step, WorkflowError};
use crate::io::storage::LocalStorage;
use crate::io::{nav, storage};
use crate::state::core::{self, Core};
use crate::state::{autosave, ActionError, AppState, Route};

pub use crate::state::core::NewAssessment;

/// The language saved in the settings (Vietnamese if none or unreadable).
pub fn saved_lang() -> Lang {
    core::read_settings(&LocalStorage).lang
}

/// The state at start: settings, the page, this browser's device id. The records are read
/// right after, by `state::store`; with no page in the URL, the person returns where they were.
pub fn load_initial() -> Core {
    let (core, place) = Core::start(
        &LocalStorage,
        &nav::hash(),
        storage::available(),
        crate::state::tabs::new_tab_id(),
        || nav::random_hex(8),
    );
    nav::set_document_lang(core.lang().tag());
    if let Some(place) = place {
        nav::set_hash(&place.path);
        // About three seconds of frames: the page's chunk and records arrive first.
        nav::scroll_to_when_reachable(place.scroll, 180);
    }
    core
}

/// Follows the browser for the app's life: the URL hash (the page), page hide and close (flush
/// the edits), the other tabs (one writer per record), the network (online or not).
pub fn follow_the_browser(state: AppState) {
    nav::on_hash_change(move |h| {
        state.act(|c| c.set_route(Route::parse(&h)));
        remember_place(state);
    });
    autosave::install_page_hide_flush(state);
    crate::state::tabs::install(state);
    crate::io::tabs::request_persistent_storage();
    crate::io::network::watch(move |up| state.act(|c| c.set_online(up)));
}

/// The strings of the page's language arrived (their own chunk): the page is drawn again in them.
pub fn strings_arrived(state: AppState) {
    state.act(|c| c.touch(core::Part::Lang));
}

/// Registers the service worker; a newer release waiting to take over is shown as such.
pub fn register_service_worker(state: AppState) {
    crate::io::sw::register(move || state.act(Core::set_update_ready));
}

/// Resolves the conflict between assessment `id` here and its copy at `conflict_key`.
pub fn resolve_conflict(
    state: AppState,
    id: &str,
    conflict_key: &str,
    choices: &std::collections::BTreeMap<Field, Side>,
) -> Result<(), ActionError> {
    state.act(|c| c.resolve_conflict(state.env(), id, conflict_key, choices))
}

/// Switches the UI language and remembers the choice.
pub fn set_lang(state: AppState, lang: Lang) {
    state.act(|c| c.set_lang(lang));
    nav::set_document_lang(lang.tag());
    remember_place(state);
}

/// Who signs a step here (see `Core::signer_for_steps`).
pub fn signer(state: AppState) -> Person {
    state.peek(|c| c.signer_for_steps(&LocalStorage))
}

/// Remembers who signs on this tablet.
pub fn set_signer(state: AppState, signer: Person) {
    state.act(|c| c.set_signer(signer));
    remember_place(state);
}

/// Keeps the settings with the current page and scroll position.
pub fn remember_place(state: AppState) {
    if let Err(e) = state.peek(|c| c.save_settings(&LocalStorage, nav::scroll_y())) {
        leptos::logging::warn!("settings not saved: {e}");
    }
}

pub fn navigate(route: &Route) {
    nav::set_hash(&route.path());
}

/// Creates an assessment, stores it at once, and returns its id.
pub fn create_assessment(state: AppState, spec: NewAssessment) -> String {
    state.act(|c| c.create_assessment(state.env(), spec))
}

/// Whether this tab may change assessment `id` (`Core::writable`).
pub fn writable(state: AppState, id: &str) -> bool {
    state.peek(|c| c.writable(id))
}

/// Other assessments of the same commune and round, most advanced first.
pub fn duplicates_of(
    state: AppState,
    commune: &Commune,
    round: u16,
) -> Vec<crate::domain::assessment::Assessment> {
    state.peek(|c| c.duplicates_of(commune, round))
}

/// Moves an assessment to the trash, its unsaved edits saved first.
pub fn trash_assessment(state: AppState, id: &str) -> Result<(), ActionError> {
    state.act(|c| c.trash_assessment(state.env(), id))
}

/// Puts a trashed assessment back.
pub fn untrash(state: AppState, key: &str) -> Result<(), ActionError> {
    state.act(|c| c.untrash(&LocalStorage, key))
}

/// Deletes the trashed assessments for good.
pub fn empty_trash(state: AppState) -> Result<usize, ActionError> {
    state.act(|c| c.empty_trash(&LocalStorage))
}

/// Changes one indicator's entry of an assessment and schedules the save.
pub fn edit_entry(state: AppState, assessment: &str, indicator: &str, f: impl FnOnce(&mut Entry)) {
    if state.act(|c| c.edit_entry(nav::now_ms(), assessment, indicator, f)) {
        autosave::schedule(state);
    }
}

/// Sets one indicator's answer.
pub fn set_answer(state: AppState, assessment: &str, indicator: &str, answer: Option<RawAnswer>) {
    edit_entry(state, assessment, indicator, |e| e.answer = answer);
}

/// Changes the roster of an assessment, re-derives 18.1, and schedules the save.
pub fn edit_roster(state: AppState, id: &str, f: impl FnOnce(&mut crate::domain::roster::Roster)) {
    if state.act(|c| c.edit_roster(nav::now_ms(), id, f)) {
        autosave::schedule(state);
    }
}

/// Adds an empty person to the roster.
pub fn add_person(state: AppState, id: &str) {
    let pid = nav::new_id();
    edit_roster(state, id, |r| {
        r.people.push(crate::domain::roster::Cadre {
            id: pid,
            title: "van_phong_thong_ke".into(),
            ..Default::default()
        })
    });
}

/// Brings a draft's roster-decided answers up to what its roster decides today.
pub fn refresh_derived(state: AppState, id: &str) {
    let stale = state.peek(|c| {
        let a = c.assessments().get(id)?;
        let fw = c.framework(&a.framework_id, &a.framework_version)?;
        Some(crate::state::roster::derived_is_stale(a, &fw))
    });
    if stale == Some(true) {
        edit_roster(state, id, |_| {});
    }
}

/// Stores an imported framework and adds it to the list; nothing changes when storing fails.
pub fn import_framework(state: AppState, text: &str, fw: Framework) -> Result<Arc<Framework>, ActionError> {
    state.act(|c| c.import_framework(&LocalStorage, text, fw))
}

/// Publishes a framework draft as a new version (`editor::publish`).
pub fn publish_draft(
    state: AppState,
    draft: &crate::domain::framework::edit::Draft,
) -> Result<Arc<Framework>, crate::domain::framework::edit::PublishRefusal> {
    state.act(|c| crate::state::editor::publish(c, &LocalStorage, draft))
}

/// Moves an assessment to another version of its set (`Core::move_to`).
pub fn move_to(state: AppState, id: &str, new: &Framework, by: &Person) -> Result<(), ActionError> {
    state.act(|c| c.move_to(state.env(), id, new, by))
}

/// Takes a workflow step on an assessment, signed by `by`; on refusal nothing changes.
pub fn workflow_step(state: AppState, id: &str, step: Step, by: &Person) -> Result<(), WorkflowError> {
    state.act(|c| c.workflow_step(state.env(), id, step, by))
}

/// Recognises an assessment, signed by `by`, recording the chair's decision.
pub fn recognise(
    state: AppState,
    id: &str,
    by: &Person,
    decision: RecognitionDecision,
) -> Result<(), WorkflowError> {
    state.act(|c| c.recognise(state.env(), id, by, decision))
}

pub use crate::state::core::open_conditions;

/// Confirms (or withdraws) one recognition condition, signed by `by`.
pub fn check_condition(
    state: AppState,
    id: &str,
    condition: &str,
    met: bool,
    by: &Person,
) -> Result<(), WorkflowError> {
    state.act(|c| c.check_condition(state.env(), id, condition, met, by))
}

/// Records a reviewer's comment (and optional verdict override) on one indicator.
pub fn review_indicator(
    state: AppState,
    id: &str,
    indicator: &str,
    comment: &str,
    override_met: Option<bool>,
    by: &Person,
) -> Result<(), WorkflowError> {
    state.act(|c| c.review_indicator(state.env(), id, indicator, comment, override_met, by))
}

/// Reads the bundled sets other than the default the first time something needs them: every
/// page but home waits for them (`ui::chunks::lazy_page`), and home asks for them when a listed
/// assessment uses a set not read yet. Their text and their reading live in a chunk of their
/// own; `Err` when it cannot be fetched (offline before the app was cached).
pub async fn ensure_bundled_sets(state: AppState) -> Result<(), crate::state::ChunkFailed> {
    if state.peek(Core::bundled_later).is_none() {
        return Ok(());
    }
    // They go after the default set, which the store reads: merged once both are in.
    let (sets, store) = futures::future::join(other_bundled_sets(), crate::state::store::ensure(state)).await;
    store?;
    let sets = sets?;
    // Merged once, whoever waited longer.
    state.act(|c| c.merge_bundled(sets));
    Ok(())
}

/// The bundled sets other than the default, read in their chunk. The macro expands to the
/// `extern` import and `no_mangle` export that wasm-split rewires; no unsafe code is written here.
#[cfg(feature = "split")]
#[allow(unsafe_code)]
#[leptos::wasm_split::wasm_split(sets, wasm_split_path = ::leptos::wasm_split, fallible)]
fn other_bundled_sets() -> Result<Vec<Framework>, crate::state::ChunkFailed> {
    Ok(bundled::others())
}

#[cfg(not(feature = "split"))]
async fn other_bundled_sets() -> Result<Vec<Framework>, crate::state::ChunkFailed> {
    Ok(bundled::others())
}

/// The administrative unit lists, read the first time a page needs them (the new-assessment
/// page, restore, the sample data): the shipped lists and the parser stay out of the first
/// screen.
pub fn units(state: AppState) -> crate::state::Read<Vec<crate::domain::geography::UnitList>> {
    if !state.peek(Core::units_loaded) {
        state.act(|c| c.ensure_units(&LocalStorage));
    }
    state.units()
}

/// Imports a units list (CSV or JSON) and stores it (`Core::import_units`).
pub fn import_units(state: AppState, text: &str, lang: Lang) -> Result<usize, Vec<String>> {
    state.act(|c| c.import_units(&LocalStorage, text, lang))
}

/// Saves every pending edit, then lets the new release take over (the page reloads). Refused
/// while edits are held only in memory and not exported: the reload would wipe them.
pub fn apply_update(state: AppState) {
    if saved_for_reload(state) {
        crate::io::sw::apply_update();
    }
}

/// Before this tab reloads: saves every pending edit and the place (`Core::ready_to_reload`).
fn saved_for_reload(state: AppState) -> bool {
    autosave::flush(state);
    state.act(|c| c.ready_to_reload(&LocalStorage, nav::scroll_y()))
}

/// A page's chunk did not load. If the server now publishes another build (this tab is older
/// than an update that removed its chunks), the draft is saved and the tab reloads into the new
/// release, once; if the draft cannot be saved it stays, with the notice and the export button.
pub fn on_chunk_failed(state: AppState) {
    leptos::task::spawn_local(async move {
        let (Some(running), Some(published)) =
            (crate::io::sw::running_build(), crate::io::sw::published_build().await)
        else {
            return;
        };
        if running != published && saved_for_reload(state) {
            crate::io::sw::reload_once_for(&published);
        }
    });
}

/// Tries the current page again (a chunk's failed load is not remembered).
pub fn retry_page(state: AppState) {
    state.act(|c| c.touch(core::Part::Route));
}

/// Saves the draft, then reloads; refuses (and says so) while the draft cannot be saved.
pub fn reload_saved(state: AppState) {
    if saved_for_reload(state) {
        crate::io::sw::reload();
    }
}
