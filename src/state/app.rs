//! The reactive shell over the signal-free `Core`: one change trigger per part, read-only views
//! for `ui`, provided once as context.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::assessment::Assessment;
use crate::domain::framework::Framework;
use crate::domain::text::Lang;
use crate::state::core::{Changed, Core, Env, Part, PARTS};
use crate::state::{Quarantined, Route};

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

pub use crate::state::core::HomeRow;

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

/// The whole reactive state, provided once by `<App/>` and read with `use_app_state()`: the
/// signal-free [`Core`] and one change trigger per [`Part`]. `ui` reads through the getters
/// (tracked per part) and changes it only through `state`'s named actions.
#[derive(Clone, Copy)]
pub struct AppState {
    core: StoredValue<Core>,
    parts: [Trigger; PARTS],
    /// What the records' chunk provides once loaded (`state::store`); `None` before.
    pub(crate) hooks: StoredValue<Option<&'static dyn RecordsChunk>>,
    /// The browser's handles of this tab's record lock (`state::tabs`).
    pub(crate) lock: StoredValue<crate::state::one_writer::Handles, leptos::prelude::LocalStorage>,
    /// The autosave debounce running, if one is.
    pub(crate) timer: StoredValue<Option<leptos::leptos_dom::helpers::TimeoutHandle>>,
}

/// A part of the state as `ui` sees it: read, tracked, never written.
pub struct Read<T: 'static> {
    part: Trigger,
    core: StoredValue<Core>,
    project: fn(&Core) -> &T,
}

impl<T: 'static> Clone for Read<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Read<T> {}

impl<T: 'static> Read<T> {
    #[inline]
    pub fn with<U>(&self, f: impl FnOnce(&T) -> U) -> U {
        self.part.track();
        self.with_untracked(f)
    }
    #[inline]
    pub fn with_untracked<U>(&self, f: impl FnOnce(&T) -> U) -> U {
        let project = self.project;
        self.core.with_value(|c| f(project(c)))
    }
    #[inline]
    pub fn track(&self) {
        self.part.track()
    }
}

impl<T: Clone + 'static> Read<T> {
    #[inline]
    pub fn get(&self) -> T {
        self.with(T::clone)
    }
    #[inline]
    pub fn get_untracked(&self) -> T {
        self.with_untracked(T::clone)
    }
}

impl AppState {
    fn read<T>(&self, p: Part, project: fn(&Core) -> &T) -> Read<T> {
        Read { part: self.parts[p as usize], core: self.core, project }
    }

    /// Runs `f` on the core, then wakes the pages that watch what it changed.
    pub(in crate::state) fn act<R>(&self, f: impl FnOnce(&mut Core) -> R) -> R {
        let (out, changed) = self
            .core
            .try_update_value(|c| {
                let out = f(c);
                (out, c.take_changed())
            })
            .expect("the app's state lives as long as the app");
        self.wake(changed);
        out
    }

    fn wake(&self, changed: Changed) {
        if changed.is_empty() {
            return;
        }
        for (i, t) in self.parts.iter().enumerate() {
            if changed.has_index(i) {
                t.notify();
            }
        }
    }

    /// Reads the core without tracking (in `state` only; `ui` reads parts).
    pub(in crate::state) fn peek<R>(&self, f: impl FnOnce(&Core) -> R) -> R {
        self.core.with_value(f)
    }
}

/// Read-only views of the state for `ui`, one per part: only `state`'s named actions change it.
macro_rules! parts {
    ($($name:ident: $part:ident -> $t:ty),* $(,)?) => {
        impl AppState {
            $(pub fn $name(&self) -> Read<$t> {
                self.read(Part::$part, Core::$name)
            })*
        }
    };
}

parts! {
    lang: Lang -> Lang,
    signer: Signer -> crate::domain::assessment::Person,
    route: Route -> Route,
    frameworks: Frameworks -> Vec<Arc<Framework>>,
    assessments: Assessments -> BTreeMap<String, Assessment>,
    units: Units -> Vec<crate::domain::geography::UnitList>,
    save: Save -> SaveStatus,
    quarantine: Quarantine -> Vec<Quarantined>,
    trash: Trash -> BTreeMap<String, Assessment>,
    conflicts: Conflicts -> BTreeMap<String, Vec<(String, Assessment)>>,
    stale_frameworks: StaleFrameworks -> BTreeMap<String, usize>,
    unsaved_exported: UnsavedExported -> bool,
    reload_refused: ReloadRefused -> bool,
    editing: Editing -> Option<String>,
    blocked_by: BlockedBy -> Option<String>,
    store_ready: StoreReady -> bool,
    store_failed: StoreFailed -> bool,
    online: Online -> bool,
    update_ready: UpdateReady -> bool,
}

impl AppState {
    /// The people remembered on this device for `role`, the most recent first (reactive).
    pub fn known_signers_for(
        &self,
        role: crate::domain::workflow::Role,
    ) -> Vec<crate::domain::assessment::Person> {
        self.parts[Part::Signer as usize].track();
        let kv = self.env().kv;
        self.peek(|c| c.known_signers(kv).for_role(role).cloned().collect())
    }

    /// The first-start welcome was dismissed on this device (`Core::welcomed`; read once).
    pub fn welcomed(&self) -> bool {
        self.peek(Core::welcomed)
    }

    /// Assessments were stored when the app started (home says "loading" rather than "none").
    pub fn records_at_start(&self) -> bool {
        self.peek(Core::records_at_start)
    }
    /// This browser's device id (revisions).
    pub fn device(&self) -> String {
        self.peek(|c| c.device().to_string())
    }
    /// What a page reads and writes besides the state: the browser's storage and clock.
    pub fn env(&self) -> Env<'static> {
        Env { kv: &crate::io::storage::LocalStorage, clock: &crate::io::clock::BrowserClock }
    }
}

impl AppState {
    pub fn framework(&self, id: &str, version: &str) -> Option<Arc<Framework>> {
        self.parts[Part::Frameworks as usize].track();
        self.peek(|c| c.framework(id, version))
    }
    pub fn framework_by_key(&self, key: &str) -> Option<Arc<Framework>> {
        self.parts[Part::Frameworks as usize].track();
        self.peek(|c| c.framework_by_key(key))
    }
}

/// Creates the state from what is stored and provides it as context.
pub fn provide_app_state() -> AppState {
    let core = crate::state::browser::load_initial();
    let state = AppState {
        core: StoredValue::new(core),
        parts: std::array::from_fn(|_| Trigger::new()),
        hooks: StoredValue::new(None),
        lock: StoredValue::new_local(Default::default()),
        timer: StoredValue::new(None),
    };
    provide_context(state);
    state
}

pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}
