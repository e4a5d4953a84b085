//! The one-writer flow (`state::one_writer`) as the browser runs it, natively: tabs over one
//! in-memory store and a lock manager twin that answers like Web Locks (callbacks run later, in
//! order; a release grants the next waiting request; a steal tells the holder). Checked against
//! what is stored and what each tab may write.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::cell::RefCell;
use std::collections::VecDeque;

use common::{new_assessment, Page};

use tieuchi::domain::answer::RawAnswer;
use tieuchi::domain::persist::{self, read_assessment};
use tieuchi::io::clock::TestClock;
use tieuchi::io::kv::{KeyValue, MemoryKv};
use tieuchi::io::lock::{Held, LockManager, Mode, OnGranted, Pending};
use tieuchi::state::core::OTHER_TAB;
use tieuchi::state::host::Host;
use tieuchi::state::one_writer;

type Lost = Box<dyn FnOnce()>;

/// Web Locks for one lock name at a time, as these tests use them.
#[derive(Default)]
struct Locks {
    /// (request number, on_lost) of the holder.
    holder: RefCell<Option<(u32, Option<Lost>)>>,
    /// (request number, on_granted, on_lost) waiting, in order.
    waiting: RefCell<VecDeque<(u32, OnGranted, Lost)>>,
    /// Callbacks the browser has queued.
    events: RefCell<VecDeque<Box<dyn FnOnce()>>>,
    next: RefCell<u32>,
    off: bool,
}

struct Lease(&'static Locks, u32);
struct Ask(&'static Locks, u32);

impl Held for Lease {
    fn release(self: Box<Self>) {
        self.0.release(self.1);
    }
}

impl Pending for Ask {
    fn abort(self: Box<Self>) {
        let (locks, n) = (self.0, self.1);
        locks.waiting.borrow_mut().retain(|(m, _, _)| *m != n);
    }
}

impl Locks {
    fn leak(off: bool) -> &'static Locks {
        Box::leak(Box::new(Locks { off, ..Locks::default() }))
    }
    fn later(&self, f: impl FnOnce() + 'static) {
        self.events.borrow_mut().push_back(Box::new(f));
    }
    /// Runs what the browser queued, until nothing is left.
    fn settle(&self) {
        loop {
            let next = self.events.borrow_mut().pop_front();
            match next {
                Some(f) => f(),
                None => return,
            }
        }
    }
    fn grant(&'static self, n: u32, on_granted: OnGranted, on_lost: Lost) {
        *self.holder.borrow_mut() = Some((n, Some(on_lost)));
        self.later(move || on_granted(Some(Box::new(Lease(self, n)))));
    }
    fn release(&'static self, n: u32) {
        let mine = self.holder.borrow().as_ref().is_some_and(|(m, _)| *m == n);
        if !mine {
            return;
        }
        *self.holder.borrow_mut() = None;
        let next = self.waiting.borrow_mut().pop_front();
        if let Some((m, on_granted, on_lost)) = next {
            self.grant(m, on_granted, on_lost);
        }
    }
    fn held_by(&self) -> Option<u32> {
        self.holder.borrow().as_ref().map(|(n, _)| *n)
    }
}

impl LockManager for &'static Locks {
    fn available(&self) -> bool {
        !self.off
    }
    fn request(
        &self,
        _name: &str,
        mode: Mode,
        on_granted: OnGranted,
        on_lost: Lost,
    ) -> Option<Box<dyn Pending>> {
        let locks: &'static Locks = self;
        let n = {
            let mut next = locks.next.borrow_mut();
            *next += 1;
            *next
        };
        let free = locks.holder.borrow().is_none();
        match mode {
            Mode::IfAvailable if !free => locks.later(move || on_granted(None)),
            Mode::Wait if !free => locks.waiting.borrow_mut().push_back((n, on_granted, on_lost)),
            Mode::Steal if !free => {
                let old = locks.holder.borrow_mut().take();
                if let Some((_, Some(lost))) = old {
                    locks.later(lost);
                }
                locks.grant(n, on_granted, on_lost);
            }
            _ => locks.grant(n, on_granted, on_lost),
        }
        Some(Box::new(Ask(locks, n)))
    }
}

struct World {
    kv: &'static MemoryKv,
    clock: &'static TestClock,
    locks: &'static &'static Locks,
}

impl World {
    fn new(locks_off: bool) -> World {
        World {
            kv: Box::leak(Box::new(MemoryKv::new())),
            clock: Box::leak(Box::new(TestClock::at(1_790_000_000_000.0))),
            locks: Box::leak(Box::new(Locks::leak(locks_off))),
        }
    }
    fn tab(&self, name: &str) -> &'static Page {
        Page::open(name, self.kv, self.clock, self.locks)
    }
    fn record(&self, tab: &'static Page) -> String {
        let env = tab.env();
        tab.act(|c| new_assessment(c, env, "Xã Tân Thuận", 2026))
    }
    fn stored(&self, id: &str, indicator: &str) -> Option<RawAnswer> {
        let raw = self.kv.get(&persist::assessment_key(id)).expect("get").expect("stored");
        read_assessment(&raw).expect("reads").entries.get(indicator).and_then(|e| e.answer.clone())
    }
}

fn typed(tab: &'static Page, id: &str, v: &str) -> bool {
    let now = tab.clock.now.get();
    tab.act(|c| c.set_answer(now, id, "1.1", Some(RawAnswer::Text(v.into()))))
}

fn blocked(tab: &'static Page) -> Option<String> {
    tab.peek(|c| c.blocked_by().clone())
}

#[test]
fn the_second_tab_waits_read_only_and_a_take_over_carries_the_last_key_across() {
    let w = World::new(false);
    let a = w.tab("a");
    let id = w.record(a);
    let b = w.tab("b");

    one_writer::open(a, &id);
    assert_eq!(blocked(a).as_deref(), Some(""), "read-only while the browser answers");
    w.locks.settle();
    assert_eq!(blocked(a), None);
    one_writer::open(b, &id);
    w.locks.settle();
    assert_eq!(blocked(b).as_deref(), Some(OTHER_TAB), "held by a: b waits, read-only");
    assert!(!typed(b, &id, "1"));

    // a types; before its debounce ends, b asks to take over: a saves, hands over, waits.
    assert!(typed(a, &id, "75,5"));
    one_writer::takeover_asked(a, &id);
    w.locks.settle();
    assert_eq!(w.stored(&id, "1.1"), Some(RawAnswer::Text("75,5".into())), "a saved first");
    assert_eq!(blocked(a).as_deref(), Some(OTHER_TAB));
    assert_eq!(blocked(b), None);
    assert_eq!(
        b.peek(|c| c.assessments()[&id].entries["1.1"].answer.clone()),
        Some(RawAnswer::Text("75,5".into())),
        "b read the stored copy when granted"
    );
    assert!(typed(b, &id, "80") && !typed(a, &id, "81"));
    // No steal is needed: b holds it when the timer fires.
    one_writer::steal_if_unanswered(b, &id);
    w.locks.settle();
    assert_eq!(blocked(b), None);

    // b leaves: it saves and lets go; a, waiting, gets the record back with b's answer.
    one_writer::close(b, &id);
    w.locks.settle();
    assert_eq!(w.stored(&id, "1.1"), Some(RawAnswer::Text("80".into())));
    assert_eq!(blocked(a), None);
    assert_eq!(
        a.peek(|c| c.assessments()[&id].entries["1.1"].answer.clone()),
        Some(RawAnswer::Text("80".into()))
    );
    assert!(typed(a, &id, "82"));
}

#[test]
fn a_frozen_holder_is_overtaken_and_saves_when_it_wakes() {
    let w = World::new(false);
    let a = w.tab("a");
    let id = w.record(a);
    let b = w.tab("b");
    one_writer::open(a, &id);
    w.locks.settle();
    one_writer::open(b, &id);
    w.locks.settle();
    assert!(typed(a, &id, "12"));
    // a is frozen: the take-over message is never handled. After the wait, b steals the lock.
    one_writer::steal_if_unanswered(b, &id);
    w.locks.settle();
    assert_eq!(blocked(b), None, "b writes now");
    assert_eq!(blocked(a).as_deref(), Some(OTHER_TAB), "a, told its lock was stolen, turned read-only");
    assert_eq!(w.stored(&id, "1.1"), Some(RawAnswer::Text("12".into())), "and saved what it held");
    assert!(!typed(a, &id, "13"));
}

#[test]
fn the_roster_page_beside_the_assessment_keeps_the_lock_until_both_close() {
    let w = World::new(false);
    let a = w.tab("a");
    let id = w.record(a);
    one_writer::open(a, &id);
    one_writer::open(a, &id); // the roster page of the same record
    w.locks.settle();
    let holder = w.locks.held_by();
    assert!(holder.is_some());
    one_writer::close(a, &id);
    w.locks.settle();
    assert_eq!(w.locks.held_by(), holder, "one page still shows it");
    one_writer::close(a, &id);
    w.locks.settle();
    assert_eq!(w.locks.held_by(), None, "let go with the last page");
    assert!(a.peek(|c| c.editing().is_none()));
}

#[test]
fn without_locks_every_tab_writes_and_compare_and_set_keeps_both_copies() {
    let w = World::new(true);
    let a = w.tab("a");
    let id = w.record(a);
    let b = w.tab("b");
    one_writer::open(a, &id);
    one_writer::open(b, &id);
    w.locks.settle();
    assert_eq!((blocked(a), blocked(b)), (None, None));
    assert!(typed(a, &id, "1") && typed(b, &id, "2"));
    Host::flush(a);
    Host::flush(b);
    assert_eq!(w.stored(&id, "1.1"), Some(RawAnswer::Text("1".into())));
    assert_eq!(b.peek(|c| c.conflicts()[&id].len()), 1, "b's copy kept beside it, not lost");
}
