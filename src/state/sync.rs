//! Sync in the browser: the settings (no password), signing in, the one tab that syncs (a Web
//! Lock), the passes (`sync_engine::sync_once`) now, every minute and after a backoff, and what
//! the status line shows: unsynced count, last sync, last error, refused records, the age of
//! the oldest unsynced edit. After a pass, what it stored is read back into the page.

use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::persist;
use crate::domain::sync::{self, Config, Failure, Problem, PushContext};
use crate::domain::text::Lang;
use crate::io::couch::{self, HttpCouch};
use crate::io::storage::{self, LocalStorage};
use crate::io::{locks, nav};
use crate::state::records;
use crate::state::sync_engine::{self, Report};
use crate::state::AppState;

/// Every minute while signed in a pass runs, and a few seconds after an edit is saved.
const PERIOD_MS: f64 = 60_000.0;
const EDIT_DELAY_MS: f64 = 5_000.0;

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

/// The sync part of the app state.
#[derive(Clone, Copy)]
pub struct SyncState {
    pub(in crate::state) config: RwSignal<Config>,
    pub(in crate::state) status: RwSignal<Status>,
}

/// Read-only views for `ui`: only `state`'s actions change them.
impl SyncState {
    pub fn config(&self) -> crate::state::Read<Config> {
        crate::state::Read::new(self.config)
    }
    pub fn status(&self) -> crate::state::Read<Status> {
        crate::state::Read::new(self.status)
    }
}

/// The sync state `install` provided (with `<App/>`): a component outside the app's tree is a
/// mistake shown at once, never a silent second set of signals that nothing updates.
pub fn use_sync() -> SyncState {
    expect_context::<SyncState>()
}

/// Reads the settings, becomes the syncing tab when no other is, and starts the timer.
pub fn install(state: AppState) -> SyncState {
    let config: Config = storage::get(persist::SYNC_CONFIG_KEY)
        .ok()
        .flatten()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let sync = SyncState { config: RwSignal::new(config), status: RwSignal::new(Status::default()) };
    provide_context(sync);
    refresh_counts(state, sync);
    // One tab syncs: the lock goes to the next tab when this one closes.
    let _ = locks::request(
        "tieuchi-sync",
        locks::Mode::Wait,
        move |held| {
            if let Some(h) = held {
                std::mem::forget(h);
                sync.status.update(|s| s.leader = true);
                check_session(state, sync);
            }
        },
        || {},
    );
    if !locks::available() {
        sync.status.update(|s| s.leader = true);
        check_session(state, sync);
    }
    // Back online: ask the session at once (an offline start, a server outage).
    Effect::new(move |_| {
        if state.online.get() {
            sync.status.update(|s| s.next_session_check = None);
            recheck_session(state, sync);
        }
    });
    let tick = move || {
        refresh_counts(state, sync);
        recheck_session(state, sync);
        let s = sync.status.get_untracked();
        let now = nav::now_ms();
        // After a failure, not before the backoff says; otherwise every minute, and soon after
        // an edit is saved.
        let due = match s.next_try {
            Some(t) => now >= t,
            None => {
                let since = now - s.last_attempt.unwrap_or(0.0);
                since >= PERIOD_MS || (s.unsynced > 0 && since >= EDIT_DELAY_MS)
            }
        };
        if s.leader && s.signed_in.is_some() && due && !s.running && sync.config.with_untracked(|c| c.auto) {
            run(state, sync);
        }
    };
    let _ = set_interval_with_handle(tick, std::time::Duration::from_secs(5));
    sync
}

/// Keeps the settings (never a password).
pub fn save_config(sync: SyncState, config: Config) -> Result<(), crate::state::ActionError> {
    storage::set(persist::SYNC_CONFIG_KEY, &serde_json::to_string(&config).unwrap_or_default())?;
    sync.config.set(config);
    Ok(())
}

/// Asks the session again while the server has not answered it, in the syncing tab, when the
/// device is online and the backoff allows.
fn recheck_session(state: AppState, sync: SyncState) {
    let s = sync.status.get_untracked();
    let due = s.next_session_check.is_none_or(|t| nav::now_ms() >= t);
    if s.leader && !s.session_known && !s.checking_session && due && state.online.get_untracked() {
        check_session(state, sync);
    }
}

fn check_session(state: AppState, sync: SyncState) {
    let config = sync.config.get_untracked();
    if !config.is_set() || sync.status.get_untracked().checking_session {
        return;
    }
    sync.status.update(|s| s.checking_session = true);
    leptos::task::spawn_local(async move {
        match couch::session_name(&config.server).await {
            Ok(name) => {
                sync.status.update(|s| {
                    s.signed_in = name.clone();
                    s.session_known = true;
                    s.checking_session = false;
                    s.session_failures = 0;
                    s.next_session_check = None;
                });
                if let Some(who) = &name {
                    refresh_signer(sync, who).await;
                }
                if name.is_some() && sync.config.get_untracked().auto {
                    run(state, sync);
                }
            }
            // Out of reach (offline, the server down): asked again with backoff, and at once
            // when the device comes back online.
            Err(_) => sync.status.update(|s| {
                s.checking_session = false;
                s.session_failures += 1;
                s.next_session_check =
                    Some(nav::now_ms() + sync::backoff_ms(s.session_failures, js_sys::Math::random()));
            }),
        }
    });
}

/// Signs in; on success a pass runs at once.
pub async fn sign_in(
    state: AppState,
    sync: SyncState,
    name: String,
    password: String,
) -> Result<String, Problem> {
    let mut config = sync.config.get_untracked();
    let who = match couch::sign_in(&config.server, &name, &password).await {
        Ok(who) => who,
        Err(p) => {
            // The server answered (a wrong password, a locked account): nobody is signed in.
            if matches!(p, Problem::WrongPassword | Problem::Locked) {
                sync.status.update(|s| {
                    s.signed_in = None;
                    s.session_known = true;
                });
            }
            return Err(p);
        }
    };
    if config.user != who {
        config.signer = None;
    }
    config.user = who.clone();
    let _ = save_config(sync, config);
    refresh_signer(sync, &who).await;
    sync.status.update(|s| {
        s.signed_in = Some(who.clone());
        s.session_known = true;
        s.last_error = None;
        s.failures = 0;
        s.next_try = None;
    });
    if sync.status.get_untracked().leader {
        run(state, sync);
    }
    Ok(who)
}

/// Reads `who`'s entry in the province's signer list and keeps it with the settings: what this
/// device signs as from now on. Kept as it was when the server cannot be read.
async fn refresh_signer(sync: SyncState, who: &str) {
    let config = sync.config.get_untracked();
    if let Ok(listed) = couch::listed_signer(&config, who).await {
        let mut c = sync.config.get_untracked();
        if c.user == who && c.signer != listed {
            c.signer = listed;
            let _ = save_config(sync, c);
        }
    }
}

/// Who signs workflow steps on this device: the account last signed in (written on every step,
/// the server checks it), and the name and title the province's list gives that account.
pub fn signing_identity() -> (Option<String>, Option<crate::domain::assessment::Person>) {
    let config: Config = storage::get(persist::SYNC_CONFIG_KEY)
        .ok()
        .flatten()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let account = config.account().map(String::from);
    let listed = account.as_ref().and(config.signer);
    (account, listed)
}

pub async fn sign_out(sync: SyncState) {
    couch::sign_out(&sync.config.get_untracked().server).await;
    sync.status.update(|s| {
        s.signed_in = None;
        s.session_known = true;
    });
}

/// Recounts what is unsynced and refused (from storage: every tab's edits count).
pub fn refresh_counts(state: AppState, sync: SyncState) {
    // Counted from the records this page holds: not before they are read.
    if !sync.config.get_untracked().is_set() || !state.store_ready.get_untracked() {
        return;
    }
    let kv = LocalStorage;
    // From the records this page already holds (kept current across tabs), not by reading and
    // parsing every stored record again every few seconds.
    let unsynced = state.assessments.with_untracked(|m| sync_engine::unsynced_of(&kv, m.values()));
    // Every question for the officer is read from what is stored per record, so it outlives
    // the pass that raised it and a reload.
    let (blocked, deleted) = sync_engine::open_questions(&kv);
    let blocked: Vec<(String, String)> = blocked.into_iter().map(|(id, b)| (id, b.reason)).collect();
    let oldest = sync::oldest_unsynced_days(unsynced.iter().map(|(_, t)| *t), nav::now_ms());
    let rejected = sync_engine::rejected(&kv);
    sync.status.update(|s| {
        s.unsynced = unsynced.len();
        s.oldest_unsynced_days = oldest;
        s.blocked = blocked;
        s.rejected = rejected;
        s.deleted_elsewhere = deleted;
        s.unsynced_ids = unsynced;
    });
}

/// Runs one pass now (in this tab only if it is the syncing one).
pub fn run(state: AppState, sync: SyncState) {
    let status = sync.status.get_untracked();
    if status.running || !status.leader {
        return;
    }
    let config = sync.config.get_untracked();
    // Not before the records are read: what a pass stores is then read into the page.
    if !config.is_set() || !state.store_ready.get_untracked() {
        return;
    }
    crate::state::autosave::flush(state);
    sync.status.update(|s| {
        s.running = true;
        s.last_attempt = Some(nav::now_ms());
    });
    let ctx = PushContext {
        device: state.device.get_value(),
        user: config.user.clone(),
        province: config.province.clone(),
        now: nav::now_ms(),
    };
    leptos::task::spawn_local(async move {
        let report = pass(config, ctx).await;
        if let Some(hooks) = state.hooks.get_value() {
            hooks.adopt(state, &report);
        }
        let lang = state.lang.get_untracked();
        let now = nav::now_ms();
        sync.status.update(|s| {
            s.running = false;
            s.passes += 1;
            s.summary = Some(summary(&report, lang));
            if report.recreated {
                s.recreated_at = Some(now);
            }
            match &report.failure {
                None if !report.storage_full => {
                    s.last_sync = Some(now);
                    s.last_error = None;
                    s.failures = 0;
                    s.next_try = None;
                }
                None => s.last_error = Some(full_message(lang)),
                Some(Failure::Unauthorized) => {
                    s.signed_in = None;
                    s.session_known = true;
                    s.last_error = Some(Failure::Unauthorized.message(lang));
                }
                Some(f) => {
                    s.last_error = Some(f.message(lang));
                    if f.is_transient() {
                        s.failures += 1;
                        s.next_try = Some(now + sync::backoff_ms(s.failures, js_sys::Math::random()));
                    }
                }
            }
        });
        refresh_counts(state, sync);
    });
}

fn full_message(lang: Lang) -> String {
    if lang == Lang::Vi {
        "bộ nhớ của trình duyệt đã đầy: đã dừng nhận hồ sơ trước hồ sơ chưa lưu được; hãy sao lưu rồi xoá bớt hồ sơ cũ (Dữ liệu → Thùng rác), sau đó đồng bộ lại".into()
    } else {
        "the browser's storage is full: receiving stopped before the first record it could not store; back up, remove old records (Data → Trash), then sync again".into()
    }
}

fn summary(r: &Report, lang: Lang) -> String {
    if lang == Lang::Vi {
        format!(
            "đã gửi {}, đã nhận {}, tự gộp {}, xung đột {}, bị từ chối {}, không nhận {}",
            r.pushed,
            r.pulled,
            r.merged,
            r.conflicts.len(),
            r.blocked.len(),
            r.rejected.len()
        )
    } else {
        format!(
            "sent {}, received {}, merged {}, conflicts {}, refused {}, not taken {}",
            r.pushed,
            r.pulled,
            r.merged,
            r.conflicts.len(),
            r.blocked.len(),
            r.rejected.len()
        )
    }
}

/// Reads what a pass stored back into the page: assessments it wrote (not those this tab still
/// holds unsaved), conflict copies, the trash, frameworks it received. In the records' chunk
/// (`state::store` installs it; a pass runs only once the records are read).
pub(crate) fn adopt(state: AppState, report: &Report) {
    if report.changed.is_empty() && report.frameworks.is_empty() {
        return;
    }
    let stored = records::load(&LocalStorage);
    let dirty = state.dirty.get_value();
    state.assessments.update(|m| {
        for id in report.changed.iter().filter(|id| !dirty.contains(*id)) {
            match stored.assessments.get(id) {
                Some(a) => {
                    m.insert(id.clone(), a.clone());
                }
                None => {
                    m.remove(id);
                }
            }
        }
    });
    state.conflicts.set(stored.conflicts);
    state.trash.set(stored.trash);
    for key in &report.frameworks {
        let text = storage::get(&persist::framework_key(key)).ok().flatten().unwrap_or_default();
        // Read as at start-up (`load_trusted`): the pulled set was checked where it was made.
        if let Some((fw, _)) = crate::domain::framework::load_trusted(&text) {
            if state.framework_by_key(&fw.key()).is_none() {
                state.frameworks.update(|fs| fs.push(Arc::new(fw)));
            }
        }
    }
}

/// Deleted on the server while edited here: keep it (it is sent again as a new document) or
/// let it go (to the trash here, where it can still be restored).
pub fn decide_deleted(state: AppState, sync: SyncState, id: &str, keep: bool) {
    // Like every other action: not while another tab edits it or a newer release wrote it.
    if !crate::state::actions::writable(state, id) {
        return;
    }
    let kv = LocalStorage;
    let key = persist::sync_doc_key(id);
    if keep {
        let _ = storage::remove(&key);
    } else if records::trash(&kv, id).is_ok() {
        let _ = storage::remove(&key);
        let stored = records::load(&kv);
        state.assessments.update(|m| {
            m.remove(id);
        });
        state.trash.set(stored.trash);
    }
    sync.status.update(|s| s.deleted_elsewhere.retain(|d| d != id));
    refresh_counts(state, sync);
    run(state, sync);
}

/// One sync pass. Its code (pull, push, merge) lives in the records chunk with the sync page: the
/// first screen does not carry it. A chunk that cannot be fetched (offline before the app was
/// cached) is a pass that reached no one, retried with the usual backoff.
#[cfg(feature = "split")]
async fn pass(config: Config, ctx: PushContext) -> Report {
    match pass_in_chunk(config, ctx).await {
        Ok(pass) => pass.await,
        Err(crate::state::ChunkFailed) => Report { failure: Some(Failure::Network), ..Report::default() },
    }
}

#[cfg(not(feature = "split"))]
async fn pass(config: Config, ctx: PushContext) -> Report {
    pass_now(config, ctx).await
}

/// The pass itself, against the configured server.
async fn pass_now(config: Config, ctx: PushContext) -> Report {
    let couch = HttpCouch::new(&config);
    sync_engine::sync_once(&LocalStorage, &couch, &config, &ctx).await
}

/// The split point: returns the pass as a boxed future, so its state machine is built (and its
/// code placed) in the chunk. The macro expands to the `extern` import and `no_mangle` export
/// that wasm-split rewires; no unsafe code is written here.
#[cfg(feature = "split")]
#[allow(unsafe_code)]
#[leptos::wasm_split::wasm_split(records, wasm_split_path = ::leptos::wasm_split, fallible)]
fn pass_in_chunk(
    config: Config,
    ctx: PushContext,
) -> Result<std::pin::Pin<Box<dyn std::future::Future<Output = Report>>>, crate::state::ChunkFailed> {
    Ok(Box::pin(pass_now(config, ctx)))
}
