//! What the native tests of `state` share: a page (a tab's core over leaked 'static storage,
//! a clock and a lock manager, as the app's `AppState` has them) that is the actions' host and
//! the one-writer flow's tab, a new assessment made the way the form makes it, and a
//! `block_on` for futures whose fakes answer at once.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::task::{Context, Poll, Waker};

use tieuchi::domain::assessment::Commune;
use tieuchi::domain::framework::bundled;
use tieuchi::domain::persist;
use tieuchi::io::clock::TestClock;
use tieuchi::io::kv::{KeyValue, MemoryKv};
use tieuchi::io::lock::{LockManager, Mode, OnGranted, Pending};
use tieuchi::state::core::{Core, Env, NewAssessment};
use tieuchi::state::host::Host;
use tieuchi::state::one_writer::{Handles, Tab};

/// Runs a future whose every await is ready (the fakes answer at once).
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the fake server never waits"),
    }
}

/// A browser without locks.
pub struct NoLocks;

impl LockManager for NoLocks {
    fn available(&self) -> bool {
        false
    }
    fn request(&self, _: &str, _: Mode, _: OnGranted, _: Box<dyn FnOnce()>) -> Option<Box<dyn Pending>> {
        None
    }
}

/// One tab of the app: its core, its lock handles, and what the page did.
pub struct Page {
    pub core: RefCell<Core>,
    pub handles: RefCell<Handles>,
    pub kv: &'static MemoryKv,
    pub clock: &'static TestClock,
    pub locks: &'static dyn LockManager,
    /// How many times the save's debounce was (re)started.
    pub debounces: Cell<u32>,
    pub document_lang: RefCell<String>,
    pub scroll: Cell<f64>,
}

/// A tab's core that has read what `kv` stores, as the store's chunk does.
pub fn read_tab(kv: &MemoryKv, name: &str) -> Core {
    let (mut core, _) = Core::start(kv, "#/", true, name.into(), || "dev-a".into());
    let keys = kv.keys(persist::PREFIX).expect("keys");
    core.load_records(kv, &keys, bundled::default_framework());
    core.take_changed();
    core
}

impl Page {
    /// A tab that has read what `kv` stores, as the store's chunk does.
    pub fn open(
        name: &str,
        kv: &'static MemoryKv,
        clock: &'static TestClock,
        locks: &'static dyn LockManager,
    ) -> &'static Page {
        Box::leak(Box::new(Page {
            core: RefCell::new(read_tab(kv, name)),
            handles: RefCell::new(Handles::default()),
            kv,
            clock,
            locks,
            debounces: Cell::new(0),
            document_lang: RefCell::new("vi".into()),
            scroll: Cell::new(0.0),
        }))
    }

    /// A page alone on a fresh tablet without locks.
    pub fn alone() -> &'static Page {
        let kv = Box::leak(Box::new(MemoryKv::new()));
        let clock = Box::leak(Box::new(TestClock::at(1_790_000_000_000.0)));
        Page::open("t", kv, clock, &NoLocks)
    }
}

impl Host for &'static Page {
    fn act<R>(self, f: impl FnOnce(&mut Core) -> R) -> R {
        f(&mut self.core.borrow_mut())
    }
    fn peek<R>(self, f: impl FnOnce(&Core) -> R) -> R {
        f(&self.core.borrow())
    }
    fn env(self) -> Env<'static> {
        Env { kv: self.kv, clock: self.clock }
    }
    fn flush(self) {
        let env = self.env();
        self.core.borrow_mut().flush(env);
    }
    fn schedule_flush(self) {
        self.debounces.set(self.debounces.get() + 1);
    }
    fn scroll_y(self) -> f64 {
        self.scroll.get()
    }
    fn set_document_lang(self, tag: &str) {
        *self.document_lang.borrow_mut() = tag.to_string();
    }
}

impl Tab for &'static Page {
    fn reload(self, id: &str) {
        self.core.borrow_mut().reload_if_clean(self.kv, id);
    }
    fn locks(self) -> &'static dyn LockManager {
        self.locks
    }
    fn handles<R>(self, f: impl FnOnce(&mut Handles) -> R) -> R {
        f(&mut self.handles.borrow_mut())
    }
}

/// A new assessment of `commune` (Cà Mau) under the default set, as the form makes it.
pub fn new_assessment(core: &mut Core, env: Env, commune: &str, round: u16) -> String {
    let framework = core.framework("ntm-xa-2016-2020", "1980/2016").expect("the default set is read");
    let commune = Commune { name: commune.into(), province: "Cà Mau".into(), ..Default::default() };
    core.create_assessment(
        env,
        NewAssessment {
            framework,
            commune,
            round,
            dimension_value: "dbscl".into(),
            assessors: vec![],
            assessed_on: format!("{round}-11-20"),
        },
    )
}
