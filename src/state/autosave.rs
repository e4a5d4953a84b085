//! Autosave: edits mark their assessment dirty; a debounce (300 ms) writes the dirty ones, and
//! `pagehide`/`visibilitychange` flush at once. A failed write keeps the edit in memory and says
//! why in `AppState::save`; nothing is discarded.

use std::time::Duration;

use leptos::prelude::*;

use crate::domain::persist;
use crate::io::{nav, storage};
use crate::state::{AppState, SaveStatus};

/// Debounce between the last keystroke and the write.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

pub fn mark_dirty(state: AppState, id: &str) {
    state.dirty.update_value(|d| {
        d.insert(id.to_string());
    });
    if !matches!(state.save.get_untracked(), SaveStatus::MemoryOnly | SaveStatus::QuotaExceeded) {
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

/// Writes every dirty assessment now.
pub fn flush(state: AppState) {
    if let Some(h) = state.timer.get_value() {
        h.clear();
        state.timer.set_value(None);
    }
    let dirty = state.dirty.get_value();
    if dirty.is_empty() {
        return;
    }
    let now = nav::now_ms();
    let mut failure = None;
    let mut written = Vec::new();
    state.assessments.with_untracked(|m| {
        for id in &dirty {
            let Some(a) = m.get(id) else {
                written.push(id.clone());
                continue;
            };
            match storage::set(&persist::assessment_key(id), &persist::write_assessment(a, now)) {
                Ok(()) => written.push(id.clone()),
                Err(e) => failure = Some(e),
            }
        }
    });
    state.dirty.update_value(|d| {
        for id in &written {
            d.remove(id);
        }
    });
    state.save.set(match failure {
        None => SaveStatus::Saved(now),
        Some(storage::StorageError::QuotaExceeded) => SaveStatus::QuotaExceeded,
        Some(storage::StorageError::Unavailable) => SaveStatus::MemoryOnly,
        Some(storage::StorageError::Other(m)) => SaveStatus::Failed(m),
    });
}

/// Flushes when the page is hidden or closed.
pub fn install_page_hide_flush(state: AppState) {
    nav::on_page_hide(move || {
        flush(state);
        crate::state::actions::remember_place(state);
    });
}
