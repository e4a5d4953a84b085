//! What the sync status line and page show, and how each event changes it — a session answered
//! or out of reach, a pass started or done, the counts read from storage — without signals or a
//! browser: `sync` keeps one `Status` in a signal and calls these.

use std::collections::BTreeMap;

use crate::domain::assessment::Assessment;
use crate::domain::sync::{self, Failure};
use crate::domain::text::Lang;
use crate::io::kv::KeyValue;
use crate::state::sync_engine::{self, Report};

/// Every minute while signed in a pass runs, and a few seconds after an edit is saved.
pub const PERIOD_MS: f64 = 60_000.0;
pub const EDIT_DELAY_MS: f64 = 5_000.0;

/// What the status line and the sync page show.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Status {
    pub running: bool,
    /// This tab is the one that syncs (another tab may be).
    pub leader: bool,
    pub signed_in: Option<String>,
    /// The server has answered whether this browser's session is signed in (`signed_in` then
    /// says who, or nobody). Until then — an offline start, a server out of reach — the
    /// officer is not told "signed out": the session is asked again until the server answers.
    pub session_known: bool,
    pub checking_session: bool,
    /// Session checks in a row that reached no server, and when the next may run.
    pub session_failures: u32,
    pub next_session_check: Option<f64>,
    /// Records this device holds with changes the server does not have: (id, last edit).
    pub unsynced_ids: Vec<(String, f64)>,
    /// The database behind the address was created again (when this device found out).
    pub recreated_at: Option<f64>,
    pub last_sync: Option<f64>,
    pub last_error: Option<String>,
    pub unsynced: usize,
    pub oldest_unsynced_days: Option<f64>,
    /// (assessment id, the server's reason).
    pub blocked: Vec<(String, String)>,
    /// Documents the server sent that this device did not take, with why (from storage).
    pub rejected: Vec<crate::domain::sync::Rejected>,
    pub deleted_elsewhere: Vec<String>,
    /// The last pass, in one line.
    pub summary: Option<String>,
    pub failures: u32,
    pub next_try: Option<f64>,
    pub last_attempt: Option<f64>,
    /// Passes finished since the page loaded.
    pub passes: u32,
}

impl Status {
    /// Whether the timer's tick at `now` starts a pass: after a failure not before the backoff
    /// says; otherwise every minute, and soon after an edit is saved — in the syncing tab, signed
    /// in, with automatic sync on, and none running.
    pub fn pass_due(&self, now: f64, auto: bool) -> bool {
        let due = match self.next_try {
            Some(t) => now >= t,
            None => {
                let since = now - self.last_attempt.unwrap_or(0.0);
                since >= PERIOD_MS || (self.unsynced > 0 && since >= EDIT_DELAY_MS)
            }
        };
        self.leader && self.signed_in.is_some() && due && !self.running && auto
    }

    /// Whether to ask the session again: the server has not answered it, this is the syncing
    /// tab, the device is online, and the backoff allows.
    pub fn session_due(&self, now: f64, online: bool) -> bool {
        let due = self.next_session_check.is_none_or(|t| now >= t);
        self.leader && !self.session_known && !self.checking_session && due && online
    }

    /// The server answered the session: signed in as `name`, or nobody.
    pub fn session_answered(&mut self, name: Option<String>) {
        self.signed_in = name;
        self.session_known = true;
        self.checking_session = false;
        self.session_failures = 0;
        self.next_session_check = None;
    }

    /// No server answered the session (offline, the server down): asked again with backoff
    /// (`random` in 0..1 spreads the tablets), and at once when the device is back online.
    pub fn session_unreachable(&mut self, now: f64, random: f64) {
        self.checking_session = false;
        self.session_failures += 1;
        self.next_session_check = Some(now + sync::backoff_ms(self.session_failures, random));
    }

    /// The server said who is signed in (after signing in): errors and backoff are forgotten.
    pub fn signed_in_as(&mut self, who: String) {
        self.signed_in = Some(who);
        self.session_known = true;
        self.last_error = None;
        self.failures = 0;
        self.next_try = None;
    }

    /// The server answered that nobody is signed in (a wrong password, signing out).
    pub fn signed_out(&mut self) {
        self.signed_in = None;
        self.session_known = true;
    }

    pub fn pass_started(&mut self, now: f64) {
        self.running = true;
        self.last_attempt = Some(now);
    }

    /// A pass ended with `report`: its summary, the time of a good one, or its failure with the
    /// backoff for a transient one (`random` in 0..1).
    pub fn pass_done(&mut self, report: &Report, lang: Lang, now: f64, random: f64) {
        self.running = false;
        self.passes += 1;
        self.summary = Some(summary(report, lang));
        if report.recreated {
            self.recreated_at = Some(now);
        }
        match &report.failure {
            None if !report.storage_full => {
                self.last_sync = Some(now);
                self.last_error = None;
                self.failures = 0;
                self.next_try = None;
            }
            None => self.last_error = Some(full_message(lang)),
            Some(Failure::Unauthorized) => {
                self.signed_out();
                self.last_error = Some(Failure::Unauthorized.message(lang));
            }
            Some(f) => {
                self.last_error = Some(f.message(lang));
                if f.is_transient() {
                    self.failures += 1;
                    self.next_try = Some(now + sync::backoff_ms(self.failures, random));
                }
            }
        }
    }

    /// Recounts what is unsynced (from the records this page holds, kept current across tabs)
    /// and every open question (read from what is stored per record, so it outlives the pass
    /// that raised it and a reload).
    pub fn recount(&mut self, kv: &dyn KeyValue, records: &BTreeMap<String, Assessment>, now: f64) {
        let unsynced = sync_engine::unsynced_of(kv, records.values());
        let (blocked, deleted) = sync_engine::open_questions(kv);
        self.blocked = blocked.into_iter().map(|(id, b)| (id, b.reason)).collect();
        self.unsynced = unsynced.len();
        self.oldest_unsynced_days = sync::oldest_unsynced_days(unsynced.iter().map(|(_, t)| *t), now);
        self.rejected = sync_engine::rejected(kv);
        self.deleted_elsewhere = deleted;
        self.unsynced_ids = unsynced;
    }
}

fn full_message(lang: Lang) -> String {
    if lang == Lang::Vi {
        "bộ nhớ của trình duyệt đã đầy: đã dừng nhận hồ sơ trước hồ sơ chưa lưu được; hãy sao lưu rồi xoá bớt hồ sơ cũ (Dữ liệu → Thùng rác), sau đó đồng bộ lại".into()
    } else {
        "the browser's storage is full: receiving stopped before the first record it could not store; back up, remove old records (Data → Trash), then sync again".into()
    }
}

fn summary(r: &Report, lang: Lang) -> String {
    let n = [r.pushed, r.pulled, r.merged, r.conflicts.len(), r.blocked.len(), r.rejected.len()];
    if lang == Lang::Vi {
        format!(
            "đã gửi {}, đã nhận {}, tự gộp {}, xung đột {}, bị từ chối {}, không nhận {}",
            n[0], n[1], n[2], n[3], n[4], n[5]
        )
    } else {
        format!(
            "sent {}, received {}, merged {}, conflicts {}, refused {}, not taken {}",
            n[0], n[1], n[2], n[3], n[4], n[5]
        )
    }
}
