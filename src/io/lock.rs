//! Exclusive locks between the tabs of one browser, as the one-writer rule needs them, behind a
//! small trait: the browser's Web Locks (`io::locks::WebLocks`) in the app, a lock manager twin
//! in the native tests.

/// How to ask for a lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Only if no one holds it (the answer comes at once: `None` if held elsewhere).
    IfAvailable,
    /// Wait until it is free.
    Wait,
    /// Take it from the tab that holds it (that tab's `on_lost` is called).
    Steal,
}

/// A lock held by this tab, until released (or the tab closes).
pub trait Held {
    fn release(self: Box<Self>);
}

/// A request made; `abort` withdraws it while it still waits (no effect once granted).
pub trait Pending {
    fn abort(self: Box<Self>);
}

/// What a lock is granted with: `Some(held)`, or `None` when `IfAvailable` finds it held.
pub type OnGranted = Box<dyn FnOnce(Option<Box<dyn Held>>)>;

/// The browser's lock manager, as far as the one-writer rule uses it.
pub trait LockManager {
    /// Whether this browser has locks at all.
    fn available(&self) -> bool;
    /// Asks for lock `name`: `on_granted` when held (or refused, for `IfAvailable`); `on_lost`
    /// when another tab steals it. `None` when there are no locks.
    fn request(
        &self,
        name: &str,
        mode: Mode,
        on_granted: OnGranted,
        on_lost: Box<dyn FnOnce()>,
    ) -> Option<Box<dyn Pending>>;
}
