//! The browser's side of one writer per assessment: the tab as `one_writer` sees it (its core,
//! the records' chunk, Web Locks), the BroadcastChannel that carries a take-over and the
//! storage events that carry another tab's save, and the take-over's timer. Should two tabs
//! write anyway (no Web Locks in this browser), the one writer's compare-and-set keeps both
//! copies (`records::save`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::persist;
use crate::io::lock::LockManager;
use crate::io::{nav, tabs};
use crate::state::one_writer::{self, Handles, Tab};
use crate::state::AppState;

pub use crate::state::core::{CHECKING, OTHER_TAB};

#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Msg {
    /// "I take over editing this assessment: save what you have now."
    Takeover { id: String, tab: String },
}

impl Tab for AppState {
    fn reload(self, id: &str) {
        // Before the records are read there is no copy to replace: reading them takes the
        // stored one.
        if let Some(hooks) = self.hooks.get_value() {
            hooks.reload(self, id);
        }
    }
    fn locks(self) -> &'static dyn LockManager {
        &crate::io::locks::WebLocks
    }
    fn handles<R>(self, f: impl FnOnce(&mut Handles) -> R) -> R {
        self.lock.try_update_value(f).expect("the app's state lives as long as the app")
    }
}

/// Starts listening to other tabs.
pub fn install(state: AppState) {
    tabs::open(move |raw| {
        if let Ok(Msg::Takeover { id, .. }) = serde_json::from_str::<Msg>(&raw) {
            one_writer::takeover_asked(state, &id);
        }
    });
    tabs::on_storage_change(move |key| {
        // Another tab saved an assessment: take its copy unless this tab has unsaved edits of it.
        if let Some(id) = key.strip_prefix(&persist::assessment_key("")) {
            Tab::reload(state, id);
        }
    });
}

/// A page of this tab shows assessment `id`.
pub fn open_assessment(state: AppState, id: String) {
    one_writer::open(state, &id);
}

/// A page showing assessment `id` is removed.
pub fn close_assessment(state: AppState, id: &str) {
    one_writer::close(state, id);
}

/// This tab takes over editing from the tab that holds the assessment: the holder saves and
/// hands the lock over when the message arrives; one that never answers is overtaken after a
/// while.
pub fn take_over(state: AppState) {
    let Some(id) = state.editing().get_untracked() else { return };
    let msg = Msg::Takeover { id: id.clone(), tab: state.peek(|c| c.tab_id().to_string()) };
    if let Ok(s) = serde_json::to_string(&msg) {
        tabs::post(&s);
    }
    set_timeout(move || one_writer::steal_if_unanswered(state, &id), std::time::Duration::from_secs(3));
}

/// A tab id that orders tabs by opening time.
pub fn new_tab_id() -> String {
    format!("{:016x}-{}", nav::now_ms() as u64, nav::new_id())
}
