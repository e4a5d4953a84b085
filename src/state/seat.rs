//! The one-writer rule of a tab, without signals or browser locks: which record this tab shows,
//! how many of its pages show it, and whether it holds the record's lock. `tabs` turns browser
//! events into calls here and does what comes back (ask for a lock, save, turn read-only).

/// What a tab's pages are doing with one record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seat {
    editing: Option<String>,
    /// Pages of this tab that show `editing` (the assessment and its roster page both do).
    openers: usize,
    /// This tab holds the record's lock: it is the one writer.
    holding: bool,
}

/// What to do when a page shows a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnOpen {
    /// Another page of this tab already shows it: nothing changes.
    AlreadyOpen,
    /// Let go of any earlier record's lock, then ask for this one (read-only until granted).
    Ask,
}

/// What to do when the lock is granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnGranted {
    /// Keep it: take the stored copy (the previous writer may have saved), become writable.
    Keep,
    /// The person left the record meanwhile: release it at once.
    Release,
}

impl Seat {
    pub fn editing(&self) -> Option<&str> {
        self.editing.as_deref()
    }

    /// The record shown, as stored (for read-only views of it).
    pub fn editing_slot(&self) -> &Option<String> {
        &self.editing
    }

    /// Whether this tab is the one writer of `id`.
    pub fn holds(&self, id: &str) -> bool {
        self.holding && self.editing.as_deref() == Some(id)
    }

    /// A page shows `id`.
    pub fn open(&mut self, id: &str) -> OnOpen {
        if self.editing.as_deref() == Some(id) {
            self.openers += 1;
            return OnOpen::AlreadyOpen;
        }
        *self = Seat { editing: Some(id.to_string()), openers: 1, holding: false };
        OnOpen::Ask
    }

    /// A page showing `id` is removed. `true` when it was the last one: save what was typed,
    /// let go of the lock; the tab edits nothing now.
    pub fn close(&mut self, id: &str) -> bool {
        if self.editing.as_deref() != Some(id) {
            return false;
        }
        self.openers = self.openers.saturating_sub(1);
        if self.openers > 0 {
            return false;
        }
        *self = Seat::default();
        true
    }

    /// The lock of `id` was granted.
    pub fn granted(&mut self, id: &str) -> OnGranted {
        if self.editing.as_deref() != Some(id) {
            return OnGranted::Release;
        }
        self.holding = true;
        OnGranted::Keep
    }

    /// Another tab took the lock of `id` (a take-over). `true` when this tab held it: save at
    /// once, turn read-only, and wait for it back.
    pub fn stolen(&mut self, id: &str) -> bool {
        let held = self.holds(id);
        if held {
            self.holding = false;
        }
        held
    }

    /// Another tab announces it takes `id` over: `true` when this tab must save now.
    pub fn takeover_announced(&self, id: &str) -> bool {
        self.holds(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_writer_per_record_and_a_take_over_saves_first() {
        let mut seat = Seat::default();
        assert_eq!(seat.open("a"), OnOpen::Ask);
        assert!(!seat.holds("a"), "read-only until granted");
        // The roster page of the same record opens beside it.
        assert_eq!(seat.open("a"), OnOpen::AlreadyOpen);
        assert_eq!(seat.granted("a"), OnGranted::Keep);
        assert!(seat.holds("a"));
        // Another tab takes over: this one saves first, then turns read-only.
        assert!(seat.takeover_announced("a"));
        assert!(seat.stolen("a"));
        assert!(!seat.holds("a") && !seat.takeover_announced("a"));
        assert!(!seat.stolen("a"), "nothing to save twice");
        // Granted back later.
        assert_eq!(seat.granted("a"), OnGranted::Keep);
        // One of the two pages closes: the lock stays; the last one lets it go.
        assert!(!seat.close("a"));
        assert!(seat.holds("a"));
        assert!(seat.close("a"));
        assert_eq!(seat.editing(), None);
        assert!(!seat.holds("a"));
    }

    #[test]
    fn a_lock_granted_after_the_person_left_is_released() {
        let mut seat = Seat::default();
        seat.open("a");
        seat.open("b");
        assert_eq!(seat.granted("a"), OnGranted::Release, "a was left for b");
        assert!(!seat.holds("a") && !seat.holds("b"));
        assert!(!seat.close("a"), "closing a page of a record not shown changes nothing");
        assert_eq!(seat.editing(), Some("b"));
    }
}
