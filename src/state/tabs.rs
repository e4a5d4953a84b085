//! One writer per assessment across tabs. The tab that holds the assessment's Web Lock edits;
//! any other tab that opens it, before or after, is read-only and waits for the lock, which the
//! browser grants when the editing tab leaves the assessment, closes or crashes (the waiting
//! tab then loads the stored copy and edits). Take-over asks the holder to save (over the
//! BroadcastChannel), then steals the lock; the holder turns read-only and waits in turn.
//! When another tab writes an assessment this tab shows, the fresh copy is loaded. Should two
//! tabs write anyway (no Web Locks in this browser), the one writer's compare-and-set keeps
//! both copies (`records::save`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::persist;
use crate::io::locks::{self, Held, Mode, Pending};
use crate::io::{nav, tabs};
use crate::state::seat::OnGranted;
use crate::state::{autosave, AppState};

pub use crate::state::core::{CHECKING, OTHER_TAB};

/// The browser's handles of this tab's record lock (kept in `AppState`).
#[derive(Default)]
pub struct TabLock {
    /// The lock this tab holds.
    held: Option<Held>,
    /// A request waiting for the lock.
    waiting: Option<Pending>,
}

fn take_held(state: AppState) -> Option<Held> {
    state.lock.try_update_value(|l| l.held.take()).flatten()
}

fn take_waiting(state: AppState) -> Option<Pending> {
    state.lock.try_update_value(|l| l.waiting.take()).flatten()
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Msg {
    /// "I take over editing this assessment: save what you have now."
    Takeover { id: String, tab: String },
}

fn lock_name(id: &str) -> String {
    format!("tieuchi/assessment/{id}")
}

/// Releases the lock this tab holds and withdraws its waiting request.
fn let_go(state: AppState) {
    if let Some(held) = take_held(state) {
        held.release();
    }
    if let Some(pending) = take_waiting(state) {
        pending.abort();
    }
}

/// Starts listening to other tabs.
pub fn install(state: AppState) {
    tabs::open(move |raw| {
        let Ok(Msg::Takeover { id, .. }) = serde_json::from_str::<Msg>(&raw) else { return };
        if state.peek(|c| c.seat().takeover_announced(&id)) {
            // Save, then hand the lock over at once: the tab asking waits for it, so no timer
            // guesses when this tab is done. This tab turns read-only and waits for it back.
            autosave::flush(state);
            state.act(|c| c.lock_lost(&id));
            if let Some(held) = take_held(state) {
                held.release();
            }
            acquire(state, id, Mode::Wait);
        }
    });
    tabs::on_storage_change(move |key| {
        // Another tab saved an assessment: take its copy unless this tab has unsaved edits of it.
        if let Some(id) = key.strip_prefix(&persist::assessment_key("")) {
            reload_if_clean(state, id);
        }
    });
}

/// A page of this tab shows assessment `id` (the assessment and its roster page both do; a
/// page shown while the other is being removed counts once more, so the lock is kept).
pub fn open_assessment(state: AppState, id: String) {
    let locks = locks::available();
    if state.act(|c| c.open_record(&id, locks)) {
        let_go(state);
        if locks {
            acquire(state, id, Mode::IfAvailable);
        }
    }
}

/// A page showing assessment `id` is removed; the last one saves and lets the lock go.
pub fn close_assessment(state: AppState, id: &str) {
    if state.act(|c| c.close_record(id)) {
        autosave::flush(state);
        let_go(state);
    }
}

fn acquire(state: AppState, id: String, mode: Mode) {
    let granted_id = id.clone();
    let lost_id = id.clone();
    let pending = locks::request(
        &lock_name(&id),
        mode,
        move |held| match held {
            Some(held) => {
                if state.act(|c| c.lock_granted(&granted_id)) == OnGranted::Release {
                    held.release(); // the person left the assessment meanwhile
                    return;
                }
                state.lock.update_value(|l| {
                    l.waiting = None;
                    l.held = Some(held);
                });
                // The previous editor may have saved since this tab read the record.
                reload_if_clean(state, &granted_id);
            }
            None => {
                state.act(|c| c.lock_held_elsewhere());
                acquire(state, granted_id, Mode::Wait);
            }
        },
        move || {
            // Stolen by a tab that took over: save, turn read-only, and wait for it back.
            if state.peek(|c| c.seat().holds(&lost_id)) {
                take_held(state);
                autosave::flush(state);
                state.act(|c| c.lock_lost(&lost_id));
                acquire(state, lost_id, Mode::Wait);
            }
        },
    );
    if mode == Mode::Wait {
        if let Some(p) = pending {
            state.lock.update_value(|l| l.waiting = Some(p));
        }
    }
}

/// This tab takes over editing from the tab that holds the assessment.
pub fn take_over(state: AppState) {
    let Some(id) = state.editing().get_untracked() else { return };
    send(&Msg::Takeover { id: id.clone(), tab: state.peek(|c| c.tab_id().to_string()) });
    // The holder saves and releases when the message arrives; this tab's waiting request is
    // granted then, and the stored copy is loaded. A holder that never answers (a frozen tab)
    // is overtaken after a while: its lock is stolen, as the person asked.
    set_timeout(
        move || {
            if state.peek(|c| c.takeover_unanswered(&id)) {
                if let Some(pending) = take_waiting(state) {
                    pending.abort();
                }
                acquire(state, id, Mode::Steal);
            }
        },
        std::time::Duration::from_secs(3),
    );
}

/// Replaces the in-memory copy of `id` with the stored one, unless this tab has unsaved edits.
/// Before the records are read there is no copy to replace: reading them takes the stored one.
fn reload_if_clean(state: AppState, id: &str) {
    if let Some(hooks) = state.hooks.get_value() {
        hooks.reload(state, id);
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
