//! What a state action needs from where it runs, as one small trait: the tab's core, storage
//! and the clock, the save debounce, and the two things of the page it touches (the scroll
//! position kept with the place, the document's language). `AppState` is the host in the app
//! (`state::browser`); the native tests bring their own.

use crate::state::core::{Core, Env};

pub trait Host: Copy + 'static {
    /// Runs an action on the core (and wakes the pages that watch what it changed).
    fn act<R>(self, f: impl FnOnce(&mut Core) -> R) -> R;
    /// Reads the core.
    fn peek<R>(self, f: impl FnOnce(&Core) -> R) -> R;
    /// Storage and the clock.
    fn env(self) -> Env<'static>;
    /// Writes every edited record now (through the records' chunk in the app).
    fn flush(self);
    /// (Re)starts the debounce after which edits are written.
    fn schedule_flush(self);
    /// The page's vertical scroll position.
    fn scroll_y(self) -> f64;
    /// Sets the document's language (`<html lang>`), for screen readers and hyphenation.
    fn set_document_lang(self, tag: &str);
}
