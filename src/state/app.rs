//! The reactive application state: the signals every page reads, provided once as context.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::assessment::Assessment;
use crate::domain::framework::Framework;
use crate::domain::text::Lang;
use crate::state::{actions, Quarantined, Route};

pub use crate::state::session::SaveStatus;

/// A chunk of the app (a page, the records, the bundled sets, a sync pass, the English strings)
/// could not be fetched or instantiated: offline before the app was cached, or an old tab whose
/// files an update removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkFailed;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkFailed {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkFailed
    }
}

/// One line of the home page's list of assessments.
#[derive(Clone, PartialEq)]
pub struct HomeRow {
    pub id: String,
    pub title: String,
    pub province: String,
    pub verdict: crate::domain::score::Verdict,
    /// A verdict resting on a value not from the official text, or on a provisional set: never
    /// shown as a bare "Đạt" (as on the assessment page).
    pub provisional: bool,
    /// Criteria met out of all, or "—" when the framework is not on this tablet (or not read
    /// yet: the bundled sets other than the default are read when first needed).
    pub criteria: String,
    pub set_missing: bool,
    pub stage: crate::domain::workflow::Stage,
}

/// The code of the records' chunk that the main module calls synchronously (a page being hidden
/// must save at once): one trait object, installed by `state::store` when the records are read;
/// before that nothing can be edited, so there is nothing to save or reload.
pub(crate) trait RecordsChunk: Send + Sync {
    /// Writes every edited assessment through the one writer.
    fn flush(&self, state: AppState);
    /// Takes the stored copy of an assessment another tab saved, unless edited here.
    fn reload(&self, state: AppState, id: &str);
    /// Reads what a sync pass stored back into the page.
    fn adopt(&self, state: AppState, report: &crate::state::sync_engine::Report);
    /// The first `limit` rows of the home page's list, newest first, scored.
    fn home_rows(&self, state: AppState, limit: usize) -> Vec<HomeRow>;
    /// Offers the backup file (`data::export_backup`).
    fn export(&self, state: AppState) -> Result<(), String>;
}

/// The whole reactive state, provided once by `<App/>` and read with `use_app_state()`.
#[derive(Clone, Copy)]
pub struct AppState {
    pub(in crate::state) lang: RwSignal<Lang>,
    /// Who signs workflow steps and reviews on this tablet.
    pub(in crate::state) signer: RwSignal<crate::domain::assessment::Person>,
    pub(in crate::state) route: RwSignal<Route>,
    /// Bundled and imported frameworks, every version (the bundled sets other than the default
    /// once `actions::ensure_bundled_sets` has read them).
    pub(in crate::state) frameworks: RwSignal<Vec<Arc<Framework>>>,
    pub(in crate::state) assessments: RwSignal<BTreeMap<String, Assessment>>,
    /// Administrative unit lists: shipped (Cà Mau 2025, former Bạc Liêu) and imported. Empty
    /// until `actions::units` first reads them.
    pub(in crate::state) units: RwSignal<Vec<crate::domain::geography::UnitList>>,
    pub(crate) units_loaded: StoredValue<bool>,
    /// `Some(n)` until the bundled sets other than the default are read (`n`: how many bundled
    /// sets start-up read, first in `frameworks`); `None` once they are.
    pub(crate) bundled_later: StoredValue<Option<usize>>,
    pub(in crate::state) save: RwSignal<SaveStatus>,
    pub(in crate::state) quarantine: RwSignal<Vec<Quarantined>>,
    /// Assessments moved to the trash, by trash key (restorable until the trash is emptied).
    pub(in crate::state) trash: RwSignal<BTreeMap<String, Assessment>>,
    /// The other copies of assessments in conflict, by assessment id: (storage key, copy).
    pub(in crate::state) conflicts: RwSignal<BTreeMap<String, Vec<(String, Assessment)>>>,
    /// Imported frameworks that today's loader would refuse: key → number of errors. They stay
    /// usable for the assessments made with them, and are flagged.
    pub(in crate::state) stale_frameworks: RwSignal<BTreeMap<String, usize>>,
    /// This browser's device id (revisions).
    pub device: StoredValue<String>,
    /// Unsaved edits were exported to a file after the last edit (a reload may then proceed).
    pub(in crate::state) unsaved_exported: RwSignal<bool>,
    /// Why the last reload for an update was refused, if it was.
    pub(in crate::state) reload_refused: RwSignal<bool>,
    /// This tab's id (orders tabs by opening time).
    pub tab_id: StoredValue<String>,
    /// The assessment this tab shows, if any.
    pub(in crate::state) editing: RwSignal<Option<String>>,
    /// The one-writer rule's bookkeeping for this tab (`state::seat`); `editing` mirrors it.
    pub(in crate::state) seat: StoredValue<crate::state::seat::Seat>,
    /// Another tab edits the same assessment: this tab is read-only (holds that tab's id).
    pub(in crate::state) blocked_by: RwSignal<Option<String>>,
    /// The stored records (assessments, trash, conflict copies) have been read. They are read
    /// right after the first screen, by code in a chunk of its own (`state::store`); every page
    /// but home waits for it, and home lists the assessments once it is true.
    pub(in crate::state) store_ready: RwSignal<bool>,
    /// The records' chunk could not be fetched (offline before the app was cached).
    pub(in crate::state) store_failed: RwSignal<bool>,
    /// Assessments were stored when the app started (home says "loading" rather than "none").
    pub records_at_start: bool,
    /// What the records' chunk provides once loaded (`state::store`); `None` before.
    pub(crate) hooks: StoredValue<Option<&'static dyn RecordsChunk>>,
    /// The app's host answers (not just `navigator.onLine`).
    pub(in crate::state) online: RwSignal<bool>,
    /// A new release is installed and waiting for the person to reload.
    pub(in crate::state) update_ready: RwSignal<bool>,
    /// Ids edited but not yet written.
    pub(crate) dirty: StoredValue<std::collections::BTreeSet<String>>,
    pub(crate) timer: StoredValue<Option<leptos::leptos_dom::helpers::TimeoutHandle>>,
}

/// A state signal as `ui` sees it: read, tracked, never written (only `state`'s named actions
/// change it). A thin wrapper over the signal itself, so no second signal type is compiled.
#[derive(Clone, Copy)]
pub struct Read<T: Send + Sync + 'static>(RwSignal<T>);

impl<T: Send + Sync + 'static> Read<T> {
    pub(in crate::state) fn new(signal: RwSignal<T>) -> Read<T> {
        Read(signal)
    }
    #[inline]
    pub fn with<U>(&self, f: impl FnOnce(&T) -> U) -> U {
        self.0.with(f)
    }
    #[inline]
    pub fn with_untracked<U>(&self, f: impl FnOnce(&T) -> U) -> U {
        self.0.with_untracked(f)
    }
    #[inline]
    pub fn track(&self) {
        self.0.track()
    }
}

impl<T: Clone + Send + Sync + 'static> Read<T> {
    #[inline]
    pub fn get(&self) -> T {
        self.0.get()
    }
    #[inline]
    pub fn get_untracked(&self) -> T {
        self.0.get_untracked()
    }
}

/// Read-only views of the state for `ui`: only `state`'s named actions change it.
impl AppState {
    pub fn lang(&self) -> Read<Lang> {
        Read(self.lang)
    }
    pub fn signer(&self) -> Read<crate::domain::assessment::Person> {
        Read(self.signer)
    }
    pub fn route(&self) -> Read<Route> {
        Read(self.route)
    }
    pub fn frameworks(&self) -> Read<Vec<Arc<Framework>>> {
        Read(self.frameworks)
    }
    pub fn assessments(&self) -> Read<BTreeMap<String, Assessment>> {
        Read(self.assessments)
    }
    pub fn units(&self) -> Read<Vec<crate::domain::geography::UnitList>> {
        Read(self.units)
    }
    pub fn save(&self) -> Read<SaveStatus> {
        Read(self.save)
    }
    pub fn quarantine(&self) -> Read<Vec<Quarantined>> {
        Read(self.quarantine)
    }
    pub fn trash(&self) -> Read<BTreeMap<String, Assessment>> {
        Read(self.trash)
    }
    pub fn conflicts(&self) -> Read<BTreeMap<String, Vec<(String, Assessment)>>> {
        Read(self.conflicts)
    }
    pub fn stale_frameworks(&self) -> Read<BTreeMap<String, usize>> {
        Read(self.stale_frameworks)
    }
    pub fn unsaved_exported(&self) -> Read<bool> {
        Read(self.unsaved_exported)
    }
    pub fn reload_refused(&self) -> Read<bool> {
        Read(self.reload_refused)
    }
    pub fn editing(&self) -> Read<Option<String>> {
        Read(self.editing)
    }
    pub fn blocked_by(&self) -> Read<Option<String>> {
        Read(self.blocked_by)
    }
    pub fn store_ready(&self) -> Read<bool> {
        Read(self.store_ready)
    }
    pub fn store_failed(&self) -> Read<bool> {
        Read(self.store_failed)
    }
    pub fn online(&self) -> Read<bool> {
        Read(self.online)
    }
    pub fn update_ready(&self) -> Read<bool> {
        Read(self.update_ready)
    }
}

impl AppState {
    pub fn framework(&self, id: &str, version: &str) -> Option<Arc<Framework>> {
        self.frameworks.with(|fs| fs.iter().find(|f| f.id == id && f.version == version).cloned())
    }
    pub fn framework_by_key(&self, key: &str) -> Option<Arc<Framework>> {
        self.frameworks.with(|fs| fs.iter().find(|f| f.key() == key).cloned())
    }
}

/// Creates the state from what is stored and provides it as context.
pub fn provide_app_state() -> AppState {
    let state = actions::load_initial();
    provide_context(state);
    state
}

pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}
