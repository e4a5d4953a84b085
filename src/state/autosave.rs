//! Autosave: edits mark their assessment dirty; a debounce (300 ms) writes the dirty ones, and
//! `pagehide`/`visibilitychange` flush at once. A failed write keeps the edit in memory and says
//! why in `AppState::save`; nothing is discarded.

use std::time::Duration;

use leptos::prelude::*;

use crate::io::nav;
use crate::io::storage::LocalStorage;
use crate::state::{session, AppState, SaveStatus};

/// Debounce between the last keystroke and the write.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

pub fn mark_dirty(state: AppState, id: &str) {
    // Each keystroke comes here: signals are set only when their value changes, so the header
    // is not redrawn on every key.
    if state.unsaved_exported.get_untracked() {
        state.unsaved_exported.set(false);
    }
    state.dirty.update_value(|d| {
        d.insert(id.to_string());
    });
    if !matches!(
        state.save.get_untracked(),
        SaveStatus::MemoryOnly | SaveStatus::QuotaExceeded | SaveStatus::Pending
    ) {
        state.save.set(SaveStatus::Pending);
    }
}

/// Marks `id` dirty and writes at once: for steps that must not wait for the debounce (a new
/// assessment, a signed workflow step).
pub fn save_now(state: AppState, id: &str) {
    mark_dirty(state, id);
    flush(state);
}

/// (Re)starts the debounce timer.
pub fn schedule(state: AppState) {
    if let Some(h) = state.timer.get_value() {
        h.clear();
    }
    let handle = set_timeout_with_handle(move || flush(state), DEBOUNCE).ok();
    state.timer.set_value(handle);
}

/// Writes every dirty assessment now, through the one writer (`records::save`): a copy that
/// another writer changed meanwhile is not overwritten (ours is kept as a conflict copy and
/// this tab shows the stored one); any other failure keeps the edit in memory and says why.
pub fn flush(state: AppState) {
    // The writer lives in the records' chunk: until it is loaded nothing can have been edited
    // (every page that edits waits for it), so there is nothing to write.
    if let Some(hooks) = state.hooks.get_value() {
        hooks.flush(state);
    }
}

/// The body of [`flush`], in the records' chunk (`state::store` installs it).
pub(crate) fn flush_now(state: AppState) {
    if let Some(h) = state.timer.get_value() {
        h.clear();
        state.timer.set_value(None);
    }
    let dirty = state.dirty.get_value();
    if dirty.is_empty() {
        return;
    }
    let now = nav::now_ms();
    let device = state.device.get_value();
    let out = state.assessments.with_untracked(|m| session::flush(&LocalStorage, &device, now, &dirty, m));
    // The revision is bookkeeping: set without waking every view of the assessment.
    state.assessments.update_untracked(|m| {
        for (id, rev) in &out.revs {
            if let Some(a) = m.get_mut(id) {
                a.rev = rev.clone();
            }
        }
    });
    if !out.conflicts.is_empty() {
        state.assessments.update(|m| {
            for (stored, _, _) in &out.conflicts {
                m.insert(stored.id.clone(), stored.clone());
            }
        });
        state.conflicts.update(|c| {
            for (stored, key, ours) in &out.conflicts {
                c.entry(stored.id.clone()).or_default().push((key.clone(), ours.clone()));
            }
        });
    }
    state.dirty.update_value(|d| {
        for id in &out.done {
            d.remove(id);
        }
    });
    state.save.set(out.status);
}

/// Whether edits are held only in memory (not written, and not exported since the last one).
pub fn has_unsaved(state: AppState) -> bool {
    !state.dirty.with_value(|d| d.is_empty()) && !state.unsaved_exported.get_untracked()
}

/// Flushes when the page is hidden or closed, and asks before closing while edits are held
/// only in memory (storage full or unavailable).
pub fn install_page_hide_flush(state: AppState) {
    nav::on_page_hide(move || {
        flush(state);
        crate::state::actions::remember_place(state);
    });
    nav::on_before_unload(move || {
        flush(state);
        has_unsaved(state)
    });
}
