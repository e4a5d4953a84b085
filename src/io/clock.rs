//! The time and fresh ids the state reads, behind a small trait: the browser's clock and
//! `crypto.getRandomValues` in the app, a settable twin in native tests.

use std::cell::Cell;

/// Where `state` reads the time and gets new ids from.
pub trait Clock {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> f64;
    /// A new record id (time + randomness).
    fn new_id(&self) -> String;
}

/// The test twin: a time that moves only when told, ids numbered in order.
#[derive(Debug, Default)]
pub struct TestClock {
    pub now: Cell<f64>,
    next: Cell<u64>,
}

impl TestClock {
    pub fn at(now: f64) -> TestClock {
        TestClock { now: Cell::new(now), next: Cell::new(0) }
    }
    /// Moves the time on by `ms`.
    pub fn advance(&self, ms: f64) {
        self.now.set(self.now.get() + ms);
    }
}

impl Clock for TestClock {
    fn now_ms(&self) -> f64 {
        self.now.get()
    }
    fn new_id(&self) -> String {
        let n = self.next.get() + 1;
        self.next.set(n);
        format!("id-{n}")
    }
}

/// The browser's clock.
#[cfg(target_arch = "wasm32")]
pub struct BrowserClock;

#[cfg(target_arch = "wasm32")]
impl Clock for BrowserClock {
    fn now_ms(&self) -> f64 {
        crate::io::nav::now_ms()
    }
    fn new_id(&self) -> String {
        crate::io::nav::new_id()
    }
}
