//! Autosave in the browser: an edit (`Core::mark_dirty`) restarts a debounce (300 ms) that
//! writes the dirty records (`Core::flush`); `pagehide`/`visibilitychange` flush at once. A
//! failed write keeps the edit in memory and says why; nothing is discarded.

use std::time::Duration;

use leptos::prelude::*;

use crate::io::nav;
use crate::state::AppState;

/// Debounce between the last keystroke and the write.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// (Re)starts the debounce timer.
pub fn schedule(state: AppState) {
    if let Some(h) = state.timer.get_value() {
        h.clear();
    }
    let handle = set_timeout_with_handle(move || flush(state), DEBOUNCE).ok();
    state.timer.set_value(handle);
}

/// Writes every dirty assessment now. The writer lives in the records' chunk: until it is
/// loaded nothing can have been edited (every page that edits waits for it), so there is
/// nothing to write.
pub fn flush(state: AppState) {
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
    state.act(|c| c.flush(state.env()));
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
        state.peek(|c| c.has_unsaved())
    });
}
