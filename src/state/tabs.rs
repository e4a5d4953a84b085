//! Two tabs on one assessment: the tab that opened it first edits; a later tab becomes read-only
//! and says so, and may take over (the other tab saves and turns read-only). When another tab
//! writes an assessment this tab shows, the fresh copy is loaded, so no tab overwrites another.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::persist;
use crate::io::{nav, storage, tabs};
use crate::state::{autosave, AppState};

#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Msg {
    /// "I am opening this assessment."
    Claim { id: String, tab: String },
    /// "I am already editing it."
    Busy { id: String, tab: String },
    /// "I take over editing; you save and become read-only."
    Takeover { id: String, tab: String },
}

/// Starts listening to other tabs.
pub fn install(state: AppState) {
    tabs::open(move |raw| {
        let Ok(msg) = serde_json::from_str::<Msg>(&raw) else { return };
        let me = state.tab_id.get_value();
        let editing = state.editing.get_untracked();
        match msg {
            Msg::Claim { id, .. }
                if editing.as_deref() == Some(&id) && state.blocked_by.get_untracked().is_none() =>
            {
                send(&Msg::Busy { id, tab: me });
            }
            // The older tab (smaller id) keeps editing; this also settles two tabs opened together.
            Msg::Busy { id, tab } if editing.as_deref() == Some(&id) && tab < me => {
                state.blocked_by.set(Some(tab));
            }
            Msg::Takeover { id, tab } if editing.as_deref() == Some(&id) => {
                autosave::flush(state);
                state.blocked_by.set(Some(tab));
            }
            _ => {}
        }
    });
    tabs::on_storage_change(move |key| {
        // Another tab saved an assessment: take its copy unless this tab has unsaved edits of it.
        if let Some(id) = key.strip_prefix(&persist::assessment_key("")) {
            reload_if_clean(state, id);
        }
    });
}

/// This tab opens assessment `id` (or leaves it with `None`).
pub fn open_assessment(state: AppState, id: Option<String>) {
    state.blocked_by.set(None);
    state.editing.set(id.clone());
    if let Some(id) = id {
        send(&Msg::Claim { id, tab: state.tab_id.get_value() });
    }
}

/// This tab takes over editing from the tab that blocks it.
pub fn take_over(state: AppState) {
    let Some(id) = state.editing.get_untracked() else { return };
    send(&Msg::Takeover { id: id.clone(), tab: state.tab_id.get_value() });
    state.blocked_by.set(None);
    // Load what the other tab saved so far. Edits it still had pending are written when it gets
    // the message and arrive here through the storage event (taken while this tab has no
    // unsaved edits of its own; see `install`).
    reload_if_clean(state, &id);
}

/// Replaces the in-memory copy of `id` with the stored one, unless this tab has unsaved edits.
fn reload_if_clean(state: AppState, id: &str) {
    if state.dirty.with_value(|d| d.contains(id)) {
        return;
    }
    if let Ok(Some(raw)) = storage::get(&persist::assessment_key(id)) {
        if let Ok(a) = persist::read_assessment(&raw) {
            state.assessments.update(|m| {
                m.insert(a.id.clone(), a);
            });
        }
    }
}

fn send(msg: &Msg) {
    if let Ok(s) = serde_json::to_string(msg) {
        tabs::post(&s);
    }
}

/// A tab id that orders tabs by opening time.
pub fn new_tab_id() -> String {
    format!("{:016x}-{}", nav::now_ms() as u64, nav::new_id())
}
