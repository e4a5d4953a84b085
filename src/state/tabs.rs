//! One writer per assessment across tabs. The tab that holds the assessment's Web Lock edits;
//! any other tab that opens it, before or after, is read-only and waits for the lock, which the
//! browser grants when the editing tab leaves the assessment, closes or crashes (the waiting
//! tab then loads the stored copy and edits). Take-over asks the holder to save (over the
//! BroadcastChannel), then steals the lock; the holder turns read-only and waits in turn.
//! When another tab writes an assessment this tab shows, the fresh copy is loaded. Should two
//! tabs write anyway (no Web Locks in this browser), the one writer's compare-and-set keeps
//! both copies (`records::save`).

use std::cell::RefCell;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::persist;
use crate::io::locks::{self, Held, Mode, Pending};
use crate::io::{nav, storage, tabs};
use crate::state::seat::{OnGranted, OnOpen};
use crate::state::{autosave, AppState};

/// `blocked_by` while the lock is being asked for: read-only, no banner yet.
pub const CHECKING: &str = "";
/// `blocked_by` when another tab holds the lock.
pub const OTHER_TAB: &str = "other";

thread_local! {
    /// The lock this tab holds: (assessment id, lock).
    static HELD: RefCell<Option<(String, Held)>> = const { RefCell::new(None) };
    /// A request waiting for the lock: (assessment id, request).
    static WAITING: RefCell<Option<(String, Pending)>> = const { RefCell::new(None) };
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
fn let_go() {
    if let Some((_, held)) = HELD.with(|h| h.borrow_mut().take()) {
        held.release();
    }
    if let Some((_, pending)) = WAITING.with(|w| w.borrow_mut().take()) {
        pending.abort();
    }
}

/// Starts listening to other tabs.
pub fn install(state: AppState) {
    tabs::open(move |raw| {
        let Ok(Msg::Takeover { id, .. }) = serde_json::from_str::<Msg>(&raw) else { return };
        if state.seat.with_value(|s| s.takeover_announced(&id)) {
            // Save, then hand the lock over at once: the tab asking waits for it, so no timer
            // guesses when this tab is done. This tab turns read-only and waits for it back.
            autosave::flush(state);
            state.seat.update_value(|s| {
                s.stolen(&id);
            });
            if let Some((_, held)) = HELD.with(|h| h.borrow_mut().take()) {
                held.release();
            }
            state.blocked_by.set(Some(OTHER_TAB.into()));
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
    let mut on_open = OnOpen::AlreadyOpen;
    state.seat.update_value(|s| on_open = s.open(&id));
    if on_open == OnOpen::AlreadyOpen {
        return;
    }
    let_go();
    state.editing.set(Some(id.clone()));
    if !locks::available() {
        state.blocked_by.set(None);
        return;
    }
    state.blocked_by.set(Some(CHECKING.into()));
    acquire(state, id, Mode::IfAvailable);
}

/// A page showing assessment `id` is removed; the last one lets the lock go.
pub fn close_assessment(state: AppState, id: &str) {
    let mut last = false;
    state.seat.update_value(|s| last = s.close(id));
    if last {
        autosave::flush(state);
        let_go();
        state.editing.set(None);
        state.blocked_by.set(None);
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
                let mut on_granted = OnGranted::Release;
                state.seat.update_value(|s| on_granted = s.granted(&granted_id));
                if on_granted == OnGranted::Release {
                    held.release(); // the person left the assessment meanwhile
                    return;
                }
                WAITING.with(|w| w.borrow_mut().take());
                HELD.with(|h| *h.borrow_mut() = Some((granted_id.clone(), held)));
                // The previous editor may have saved since this tab read the record.
                reload_if_clean(state, &granted_id);
                state.blocked_by.set(None);
            }
            None => {
                state.blocked_by.set(Some(OTHER_TAB.into()));
                acquire(state, granted_id, Mode::Wait);
            }
        },
        move || {
            // Stolen by a tab that took over: save, turn read-only, and wait for it back.
            let mut was_writer = false;
            state.seat.update_value(|s| was_writer = s.stolen(&lost_id));
            if was_writer {
                HELD.with(|h| h.borrow_mut().take());
                autosave::flush(state);
                state.blocked_by.set(Some(OTHER_TAB.into()));
                acquire(state, lost_id, Mode::Wait);
            }
        },
    );
    if mode == Mode::Wait {
        if let Some(p) = pending {
            WAITING.with(|w| *w.borrow_mut() = Some((id, p)));
        }
    }
}

/// This tab takes over editing from the tab that holds the assessment.
pub fn take_over(state: AppState) {
    let Some(id) = state.editing.get_untracked() else { return };
    send(&Msg::Takeover { id: id.clone(), tab: state.tab_id.get_value() });
    // The holder saves and releases when the message arrives; this tab's waiting request is
    // granted then, and the stored copy is loaded. A holder that never answers (a frozen tab)
    // is overtaken after a while: its lock is stolen, as the person asked.
    set_timeout(
        move || {
            let granted = state.seat.with_value(|s| s.holds(&id));
            if !granted && state.seat.with_value(|s| s.editing() == Some(id.as_str())) {
                if let Some((_, pending)) = WAITING.with(|w| w.borrow_mut().take()) {
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

/// The body of `reload_if_clean`, in the records' chunk (`state::store` installs it).
pub(crate) fn reload_now(state: AppState, id: &str) {
    if state.dirty.with_value(|d| d.contains(id)) {
        return;
    }
    if let Ok(Some(raw)) = storage::get(&persist::assessment_key(id)) {
        if let Ok(a) = persist::read_assessment(&raw) {
            let changed = state.assessments.with_untracked(|m| m.get(&a.id) != Some(&a));
            if changed {
                state.assessments.update(|m| {
                    m.insert(a.id.clone(), a);
                });
            }
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
