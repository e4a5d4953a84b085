//! Actions: the only way components change state. Each one updates signals and, where data
//! must persist, hands the change to `autosave`.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::answer::RawAnswer;
use crate::domain::assessment::{Assessment, Commune, Entry, Person};
use crate::domain::framework::{bundled, Framework};
use crate::domain::persist;
use crate::domain::text::Lang;
use crate::io::storage::LocalStorage;
use crate::io::{nav, storage};
use crate::state::ActionError;
use crate::state::{autosave, records, AppState, Quarantined, Route, SaveStatus};

#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Settings {
    #[serde(default)]
    lang: Lang,
    /// The person who signs workflow steps and reviews on this tablet (remembered).
    #[serde(default)]
    signer: Person,
    /// Where the person was when the app was last hidden, to return there on reopening.
    #[serde(default)]
    last_path: Option<String>,
    #[serde(default)]
    last_scroll: f64,
}

/// The language saved in the settings (Vietnamese if none or unreadable).
pub fn saved_lang() -> Lang {
    read_settings().lang
}

fn read_settings() -> Settings {
    storage::get(persist::SETTINGS_KEY)
        .ok()
        .flatten()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

/// Reads settings and frameworks from storage. Unreadable entries are listed in `quarantine`
/// and left untouched in storage. The records are read right after, by `state::store`.
pub fn load_initial() -> AppState {
    let storage_ok = storage::available();
    let settings = read_settings();
    nav::set_document_lang(settings.lang.tag());
    // Reopening the app with no page in the URL returns to where the person was (an explicit
    // `#/` is the home page and stays there).
    if nav::hash().is_empty() {
        if let Some(path) = settings.last_path.as_deref().filter(|p| *p != "/") {
            nav::set_hash(path);
            let y = settings.last_scroll;
            // About three seconds of frames: the page's chunk and records arrive first.
            crate::io::nav::scroll_to_when_reachable(y, 180);
        }
    }

    let kv = LocalStorage;
    // The frameworks and records are read by the store's chunk (`state::store`), which lists the
    // keys again then: another tab may have written meanwhile.
    let app_keys = storage::keys_with_prefix(persist::PREFIX).unwrap_or_default();
    let device = records::device_id(&kv, || nav::random_hex(8));
    let records_at_start = app_keys.iter().any(|k| k.starts_with(&persist::assessment_key("")));

    AppState {
        lang: RwSignal::new(settings.lang),
        signer: RwSignal::new(settings.signer),
        route: RwSignal::new(Route::parse(&nav::hash())),
        frameworks: RwSignal::new(Vec::new()),
        assessments: RwSignal::new(BTreeMap::new()),
        units: RwSignal::new(Vec::new()),
        units_loaded: StoredValue::new(false),
        bundled_later: StoredValue::new(Some(0)),
        save: RwSignal::new(if storage_ok { SaveStatus::Idle } else { SaveStatus::MemoryOnly }),
        quarantine: RwSignal::new(Vec::new()),
        trash: RwSignal::new(BTreeMap::new()),
        conflicts: RwSignal::new(BTreeMap::new()),
        stale_frameworks: RwSignal::new(BTreeMap::new()),
        device: StoredValue::new(device),
        unsaved_exported: RwSignal::new(false),
        reload_refused: RwSignal::new(false),
        tab_id: StoredValue::new(crate::state::tabs::new_tab_id()),
        editing: RwSignal::new(None),
        seat: StoredValue::new(Default::default()),
        blocked_by: RwSignal::new(None),
        store_ready: RwSignal::new(false),
        store_failed: RwSignal::new(false),
        records_at_start,
        hooks: StoredValue::new(None),
        online: RwSignal::new(true),
        update_ready: RwSignal::new(false),
        dirty: StoredValue::new(Default::default()),
        timer: StoredValue::new(None),
    }
}

/// Takes the language and signer from restored settings text (not written again).
pub fn adopt_settings(state: AppState, text: &str) {
    if let Ok(s) = serde_json::from_str::<Settings>(text) {
        state.lang.set(s.lang);
        nav::set_document_lang(s.lang.tag());
        state.signer.set(s.signer);
    }
}

/// Follows the browser for the app's life: the URL hash (the page), page hide and close (flush
/// the edits), the other tabs (one writer per record), the network (online or not).
pub fn follow_the_browser(state: AppState) {
    nav::on_hash_change(move |h| {
        state.route.set(Route::parse(&h));
        remember_place(state);
    });
    autosave::install_page_hide_flush(state);
    crate::state::tabs::install(state);
    crate::io::tabs::request_persistent_storage();
    crate::io::network::watch(move |up| state.online.set(up));
}

/// The strings of the page's language arrived (their own chunk): the page is drawn again in them.
pub fn strings_arrived(state: AppState) {
    state.lang.update(|_| {});
}

/// Registers the service worker; a newer release waiting to take over is shown as such.
pub fn register_service_worker(state: AppState) {
    crate::io::sw::register(move || state.update_ready.set(true));
}

/// Resolves the conflict between assessment `id` here and its copy at `conflict_key`, field by
/// field as chosen; the audit trail keeps every signed step of both.
pub fn resolve_conflict(
    state: AppState,
    id: &str,
    conflict_key: &str,
    choices: &BTreeMap<crate::domain::records::Field, crate::domain::records::Side>,
) -> Result<(), ActionError> {
    if !writable(state, id) {
        return Err(ActionError::ReadOnly);
    }
    autosave::flush(state);
    let here = state.assessments.with_untracked(|m| m.get(id).cloned()).ok_or(ActionError::NotFound)?;
    let theirs = state
        .conflicts
        .with_untracked(|c| {
            c.get(id).and_then(|v| v.iter().find(|(k, _)| k == conflict_key).map(|(_, a)| a.clone()))
        })
        .ok_or(ActionError::NotFound)?;
    let now = nav::now_ms();
    let resolved = crate::domain::records::resolve(&here, &theirs, choices, &state.device.get_value(), now);
    records::write_resolved(&LocalStorage, &resolved, &here.rev, conflict_key, now)?;
    state.assessments.update(|m| {
        m.insert(id.to_string(), resolved);
    });
    state.conflicts.update(|c| {
        if let Some(v) = c.get_mut(id) {
            v.retain(|(k, _)| k != conflict_key);
            if v.is_empty() {
                c.remove(id);
            }
        }
    });
    if state.save.get_untracked() == SaveStatus::Conflict {
        state.save.set(SaveStatus::Saved(now));
    }
    Ok(())
}

/// Switches the UI language and remembers the choice.
pub fn set_lang(state: AppState, lang: Lang) {
    state.lang.set(lang);
    nav::set_document_lang(lang.tag());
    save_settings(state);
}

/// Who signs a step here: the province's list entry for the account signed in on this device
/// (the server accepts no other name from it), else the name and title typed on this tablet.
pub fn signer(state: AppState) -> Person {
    crate::state::sync::signing_identity().1.unwrap_or_else(|| state.signer.get_untracked())
}

/// Remembers who signs on this tablet.
pub fn set_signer(state: AppState, signer: Person) {
    state.signer.set(signer);
    save_settings(state);
}

/// Remembers the current page and scroll position (called when the page is hidden).
pub fn remember_place(state: AppState) {
    save_settings(state);
}

fn save_settings(state: AppState) {
    let settings = Settings {
        lang: state.lang.get_untracked(),
        signer: state.signer.get_untracked(),
        last_path: Some(state.route.get_untracked().path()),
        last_scroll: crate::io::nav::scroll_y(),
    };
    let json = serde_json::to_string(&settings).unwrap_or_default();
    if let Err(e) = storage::set(persist::SETTINGS_KEY, &json) {
        leptos::logging::warn!("settings not saved: {e}");
    }
}

pub fn navigate(route: &Route) {
    nav::set_hash(&route.path());
}

/// What the "new assessment" form collects.
pub struct NewAssessment {
    pub framework: Arc<Framework>,
    pub commune: Commune,
    pub round: u16,
    pub dimension_value: String,
    pub assessors: Vec<Person>,
    /// The date of assessment (YYYY-MM-DD).
    pub assessed_on: String,
}

/// Creates an assessment, stores it at once, and returns its id.
pub fn create_assessment(state: AppState, spec: NewAssessment) -> String {
    let now = nav::now_ms();
    let mut a = Assessment::new(
        nav::new_id(),
        (&spec.framework.id, &spec.framework.version),
        spec.commune,
        spec.round,
        &spec.dimension_value,
        now,
    );
    a.assessors = spec.assessors;
    a.assessed_on = spec.assessed_on;
    let id = a.id.clone();
    state.assessments.update(|m| {
        m.insert(id.clone(), a);
    });
    autosave::save_now(state, &id);
    id
}

/// Whether this tab may change assessment `id`: not while another tab edits it here, and never
/// a record written by a newer release. Every action that changes an assessment asks first;
/// the UI's disabled controls only mirror it.
pub fn writable(state: AppState, id: &str) -> bool {
    let editing = state.editing.get_untracked();
    let blocked = state.blocked_by.get_untracked().is_some();
    state
        .assessments
        .with_untracked(|m| crate::state::session::writable(id, editing.as_deref(), blocked, m.get(id)))
}

/// Other assessments of the same commune and round (same unit code, or the same name and
/// province however written: "Hoà"/"Hòa", NFC/NFD), most advanced first: a second one is created only when confirmed.
pub fn duplicates_of(state: AppState, commune: &Commune, round: u16) -> Vec<Assessment> {
    let norm = crate::domain::text::name_key;
    let mut out: Vec<Assessment> = state.assessments.with_untracked(|m| {
        m.values()
            .filter(|a| a.round == round)
            .filter(|a| match (&a.commune.code, &commune.code) {
                (Some(x), Some(y)) => x == y,
                _ => {
                    norm(&a.commune.name) == norm(&commune.name)
                        && norm(&a.commune.province) == norm(&commune.province)
                }
            })
            .cloned()
            .collect()
    });
    out.sort_by(|a, b| b.workflow.stage.cmp(&a.workflow.stage).then(b.entries.len().cmp(&a.entries.len())));
    out
}

/// Moves an assessment to the trash (restorable until the trash is emptied). Unsaved edits
/// are saved first, so the trashed copy is the latest.
pub fn trash_assessment(state: AppState, id: &str) -> Result<(), ActionError> {
    // Not while another tab edits it, nor a record a newer release wrote (the UI's disabled
    // button only mirrors this).
    if !writable(state, id) {
        return Err(ActionError::ReadOnly);
    }
    autosave::flush(state);
    if state.dirty.with_value(|d| d.contains(id)) {
        return Err(ActionError::Unsaved);
    }
    let key = records::trash(&LocalStorage, id)?;
    let mut moved = None;
    state.assessments.update(|m| moved = m.remove(id));
    if let Some(a) = moved {
        state.trash.update(|t| {
            t.insert(key, a);
        });
    }
    Ok(())
}

/// Puts a trashed assessment back.
pub fn untrash(state: AppState, key: &str) -> Result<(), ActionError> {
    let a = records::untrash(&LocalStorage, key).map_err(|e| match e {
        records::UntrashError::Occupied => ActionError::Occupied,
        records::UntrashError::Storage(s) => ActionError::Storage(s),
    })?;
    state.trash.update(|t| {
        t.remove(key);
    });
    state.assessments.update(|m| {
        m.insert(a.id.clone(), a);
    });
    Ok(())
}

/// Deletes the trashed assessments for good.
pub fn empty_trash(state: AppState) -> Result<usize, ActionError> {
    let n = records::empty_trash(&LocalStorage)?;
    state.trash.set(Default::default());
    Ok(n)
}

/// Changes one indicator's entry of an assessment and schedules the save.
pub fn edit_entry(state: AppState, assessment: &str, indicator: &str, f: impl FnOnce(&mut Entry)) {
    // Answers (and "không xem xét") change only in a draft: a signed dossier's are frozen here
    // too, not only by the page's disabled inputs (the server's guard freezes them as well).
    let draft = state
        .assessments
        .with_untracked(|m| m.get(assessment).is_some_and(|a| a.workflow.stage.answers_editable()));
    if !writable(state, assessment) || !draft {
        return;
    }
    let now = nav::now_ms();
    state.assessments.update(|m| {
        if let Some(a) = m.get_mut(assessment) {
            f(a.entries.entry(indicator.to_string()).or_default());
            a.touch(now);
        }
    });
    autosave::mark_dirty(state, assessment);
    autosave::schedule(state);
}

/// Sets one indicator's answer.
pub fn set_answer(state: AppState, assessment: &str, indicator: &str, answer: Option<RawAnswer>) {
    edit_entry(state, assessment, indicator, |e| e.answer = answer);
}

/// Stores an imported framework (`text`, which `load_str` read as `fw`) and adds it to the list.
/// Nothing is changed when storing fails.
pub fn import_framework(state: AppState, text: &str, fw: Framework) -> Result<Arc<Framework>, ActionError> {
    storage::set(&persist::framework_key(&fw.key()), text)?;
    let fw = Arc::new(fw);
    state.frameworks.update(|fs| {
        if !fs.iter().any(|f| f.key() == fw.key()) {
            fs.push(fw.clone());
        }
    });
    Ok(fw)
}

/// Takes a workflow step on an assessment, signed by `by`. On refusal nothing changes and the
/// reason is returned for display.
pub fn workflow_step(
    state: AppState,
    id: &str,
    step: crate::domain::workflow::Step,
    by: &Person,
) -> Result<(), crate::domain::workflow::WorkflowError> {
    sign(state, id, |w, now, met, open| w.apply_with(step, by, now, met, open))
}

/// Recognises an assessment, signed by `by`, recording the chair's decision (number and date).
pub fn recognise(
    state: AppState,
    id: &str,
    by: &Person,
    decision: crate::domain::workflow::RecognitionDecision,
) -> Result<(), crate::domain::workflow::WorkflowError> {
    sign(state, id, |w, now, met, open| w.apply_recognition(by, now, met, open, decision))
}

/// A signed step on `id`'s workflow, given the commune's verdict (with reviewers' overrides)
/// and how many recognition conditions are still open, as recognition requires both.
fn sign(
    state: AppState,
    id: &str,
    step: impl FnOnce(
        &crate::domain::workflow::Workflow,
        f64,
        bool,
        usize,
    ) -> Result<crate::domain::workflow::Workflow, crate::domain::workflow::WorkflowError>,
) -> Result<(), crate::domain::workflow::WorkflowError> {
    change_workflow(state, id, |a, now| {
        let fw = state.framework(&a.framework_id, &a.framework_version);
        let met = fw.as_ref().is_some_and(|fw| {
            crate::domain::score::evaluate(fw, a).commune == crate::domain::score::Verdict::Met
        });
        let open = fw.as_ref().map_or(0, |fw| open_conditions(fw, &a.workflow));
        step(&a.workflow, now, met, open)
    })
}

/// How many of the framework's recognition conditions the workflow `w` has not confirmed.
pub fn open_conditions(fw: &Framework, w: &crate::domain::workflow::Workflow) -> usize {
    fw.conditions.iter().filter(|c| !w.conditions.contains(&c.id)).count()
}

/// Confirms (or withdraws) one recognition condition, signed by `by`.
pub fn check_condition(
    state: AppState,
    id: &str,
    condition: &str,
    met: bool,
    by: &Person,
) -> Result<(), crate::domain::workflow::WorkflowError> {
    change_workflow(state, id, |a, now| a.workflow.check_condition(condition, met, by, now))
}

/// Records a reviewer's comment (and optional verdict override) on one indicator.
pub fn review_indicator(
    state: AppState,
    id: &str,
    indicator: &str,
    comment: &str,
    override_met: Option<bool>,
    by: &Person,
) -> Result<(), crate::domain::workflow::WorkflowError> {
    change_workflow(state, id, |a, now| a.workflow.review(indicator, comment, override_met, by, now))
}

/// Replaces an assessment's workflow with what `f` returns and saves at once; an error changes
/// nothing.
fn change_workflow(
    state: AppState,
    id: &str,
    f: impl FnOnce(
        &Assessment,
        f64,
    ) -> Result<crate::domain::workflow::Workflow, crate::domain::workflow::WorkflowError>,
) -> Result<(), crate::domain::workflow::WorkflowError> {
    if !writable(state, id) {
        return Err(crate::domain::workflow::WorkflowError::ReadOnly);
    }
    let now = nav::now_ms();
    let account = crate::state::sync::signing_identity().0;
    let mut result = Ok(());
    state.assessments.update(|m| {
        let Some(a) = m.get_mut(id) else { return };
        match f(a, now) {
            Ok(mut w) => {
                // What this device adds is written with the account signed in here: the server
                // accepts it only from that account.
                if let Some(account) = &account {
                    w.stamp_account(a.workflow.audit.len(), account);
                }
                a.workflow = w;
                a.touch(now);
            }
            Err(e) => result = Err(e),
        }
    });
    if result.is_ok() {
        autosave::save_now(state, id);
    }
    result
}

/// Reads the bundled sets other than the default the first time something needs them: every
/// page but home waits for them (`ui::chunks::lazy_page`), and home asks for them when a listed
/// assessment uses a set not read yet. Their text and their reading live in a chunk of their
/// own; `Err` when it cannot be fetched (offline before the app was cached).
pub async fn ensure_bundled_sets(state: AppState) -> Result<(), crate::state::ChunkFailed> {
    if state.bundled_later.get_value().is_none() {
        return Ok(());
    }
    // They go after the default set, which the store reads: merged once both are in.
    let (sets, store) = futures::future::join(other_bundled_sets(), crate::state::store::ensure(state)).await;
    store?;
    let sets = sets?;
    // Another caller may have merged them while this one waited.
    if let Some(at) = state.bundled_later.get_value() {
        state.bundled_later.set_value(None);
        state.frameworks.update(|fs| bundled::merge(fs, at, sets.into_iter().map(Arc::new).collect()));
    }
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
/// screen. An imported list that no longer reads is quarantined then, and left in storage.
pub fn units(state: AppState) -> RwSignal<Vec<crate::domain::geography::UnitList>> {
    if !state.units_loaded.get_value() {
        state.units_loaded.set_value(true);
        let mut units = crate::domain::geography::bundled();
        let mut quarantine = Vec::new();
        for key in storage::keys_with_prefix(&persist::units_key("")).unwrap_or_default() {
            let raw = storage::get(&key).ok().flatten().unwrap_or_default();
            match crate::domain::geography::parse_units(&raw) {
                Ok(list) => units.push(list),
                Err(_) => quarantine.push(Quarantined { key, raw, error: "units list does not load".into() }),
            }
        }
        state.units.set(units);
        if !quarantine.is_empty() {
            state.quarantine.update(|q| {
                q.extend(quarantine);
                q.sort_by(|a, b| a.key.cmp(&b.key));
            });
        }
    }
    state.units
}

/// Imports a units list (CSV or JSON) and stores it; replaces an earlier import of the same
/// province. On any error nothing is stored and the located messages are returned.
pub fn import_units(state: AppState, text: &str, lang: Lang) -> Result<usize, Vec<String>> {
    let list = crate::domain::geography::parse_units(text).map_err(|e| {
        e.into_iter().map(|(vi, en)| if lang == Lang::Vi { vi } else { en }).collect::<Vec<_>>()
    })?;
    let json = serde_json::to_string(&list).unwrap_or_default();
    storage::set(&persist::units_key(&list.id), &json).map_err(|e| vec![e.message(lang)])?;
    let all = units(state);
    let index = all.with_untracked(|u| u.len());
    all.update(|u| {
        u.retain(|l| l.id != list.id || l.source != "imported");
        u.push(list);
    });
    Ok(index.min(state.units.with_untracked(|u| u.len()) - 1))
}

/// Saves every pending edit, then lets the new release take over (the page reloads). Refused
/// while edits are held only in memory (storage full or unavailable) and not exported: the
/// reload would wipe them.
pub fn apply_update(state: AppState) {
    if saved_for_reload(state) {
        crate::io::sw::apply_update();
    }
}

/// Before this tab reloads: saves every pending edit and the place, and says whether nothing is
/// left only in memory. If something is, the reload is refused (`reload_refused`, which shows
/// the export button) and must not happen.
fn saved_for_reload(state: AppState) -> bool {
    autosave::flush(state);
    let unsaved = autosave::has_unsaved(state);
    state.reload_refused.set(unsaved);
    if !unsaved {
        remember_place(state);
    }
    !unsaved
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
        if running == published {
            return;
        }
        if saved_for_reload(state) {
            crate::io::sw::reload_once_for(&published);
        }
    });
}

/// Tries the current page again (a chunk's failed load is not remembered).
pub fn retry_page(state: AppState) {
    state.route.update(|_| {});
}

/// Saves the draft, then reloads; refuses (and says so) while the draft cannot be saved.
pub fn reload_saved(state: AppState) {
    if saved_for_reload(state) {
        crate::io::sw::reload();
    }
}
