//! One writer per assessment across tabs, as a flow over small traits: the tab ([`Tab`]: its
//! core, how it saves and re-reads a record) and the lock manager (`io::lock::LockManager`).
//! The tab that holds the assessment's lock edits; any other tab that opens it, before or
//! after, is read-only and waits for the lock, which is granted when the editing tab leaves
//! the assessment, closes or crashes (the waiting tab then reads the stored copy and edits).
//! A take-over asks the holder to save (`takeover_asked`), and the holder hands the lock over;
//! a holder that never answers is overtaken (`steal_if_unanswered`). The browser's side
//! (`state::tabs`) only passes messages and timers here; the native tests drive it with a lock
//! manager twin.

use crate::io::lock::{Held, LockManager, Mode, Pending};
use crate::state::host::Host;
use crate::state::seat::OnGranted;

/// The handles a tab keeps of its record's lock.
#[derive(Default)]
pub struct Handles {
    /// The lock this tab holds.
    held: Option<Box<dyn Held>>,
    /// A request waiting for the lock.
    waiting: Option<Box<dyn Pending>>,
}

/// A tab, as the one-writer rule sees it: the actions' host (a `Copy` handle, as the locks'
/// callbacks keep it), how it re-reads a record, its lock manager and lock handles.
pub trait Tab: Host {
    /// Takes the stored copy of `id`, unless it is edited here.
    fn reload(self, id: &str);
    fn locks(self) -> &'static dyn LockManager;
    fn handles<R>(self, f: impl FnOnce(&mut Handles) -> R) -> R;
}

fn lock_name(id: &str) -> String {
    format!("tieuchi/assessment/{id}")
}

/// Releases the lock this tab holds and withdraws its waiting request.
fn let_go(tab: impl Tab) {
    let (held, waiting) = tab.handles(|h| (h.held.take(), h.waiting.take()));
    if let Some(held) = held {
        held.release();
    }
    if let Some(pending) = waiting {
        pending.abort();
    }
}

/// A page of this tab shows assessment `id` (the assessment and its roster page both do; a
/// page shown while the other is being removed counts once more, so the lock is kept).
pub fn open(tab: impl Tab, id: &str) {
    let locks = tab.locks().available();
    if tab.act(|c| c.open_record(id, locks)) {
        let_go(tab);
        if locks {
            acquire(tab, id.to_string(), Mode::IfAvailable);
        }
    }
}

/// A page showing assessment `id` is removed; the last one saves and lets the lock go.
pub fn close(tab: impl Tab, id: &str) {
    if tab.act(|c| c.close_record(id)) {
        tab.flush();
        let_go(tab);
    }
}

/// Another tab asks to take `id` over. If this tab is its writer, it saves, then hands the lock
/// over at once (the asking tab waits for it, so no timer guesses when this one is done), turns
/// read-only and waits for it back.
pub fn takeover_asked(tab: impl Tab, id: &str) {
    if !tab.peek(|c| c.seat().takeover_announced(id)) {
        return;
    }
    tab.flush();
    tab.act(|c| c.lock_lost(id));
    if let Some(held) = tab.handles(|h| h.held.take()) {
        held.release();
    }
    acquire(tab, id.to_string(), Mode::Wait);
}

/// The holder did not answer a take-over (a frozen tab): its lock is stolen, as the person asked.
pub fn steal_if_unanswered(tab: impl Tab, id: &str) {
    if tab.peek(|c| c.takeover_unanswered(id)) {
        if let Some(pending) = tab.handles(|h| h.waiting.take()) {
            pending.abort();
        }
        acquire(tab, id.to_string(), Mode::Steal);
    }
}

fn acquire<T: Tab>(tab: T, id: String, mode: Mode) {
    let (granted_id, lost_id) = (id.clone(), id.clone());
    let on_granted = Box::new(move |held: Option<Box<dyn Held>>| match held {
        Some(held) => {
            if tab.act(|c| c.lock_granted(&granted_id)) == OnGranted::Release {
                held.release(); // the person left the assessment meanwhile
                return;
            }
            tab.handles(|h| {
                h.waiting = None;
                h.held = Some(held);
            });
            // The previous editor may have saved since this tab read the record.
            tab.reload(&granted_id);
        }
        None => {
            tab.act(|c| c.lock_held_elsewhere());
            acquire(tab, granted_id, Mode::Wait);
        }
    });
    let on_lost = Box::new(move || {
        // Stolen by a tab that took over: save, turn read-only, and wait for it back.
        if tab.peek(|c| c.seat().holds(&lost_id)) {
            tab.handles(|h| h.held.take());
            tab.flush();
            tab.act(|c| c.lock_lost(&lost_id));
            acquire(tab, lost_id, Mode::Wait);
        }
    });
    let pending = tab.locks().request(&lock_name(&id), mode, on_granted, on_lost);
    if mode == Mode::Wait {
        if let Some(p) = pending {
            tab.handles(|h| h.waiting = Some(p));
        }
    }
}
