//! Sync in the browser: the settings (no password), signing in, the one tab that syncs (a Web
//! Lock), the passes (`sync_engine::sync_once`) now, every minute and after a backoff, and what
//! the status line shows: unsynced count, last sync, last error, refused records, the age of
//! the oldest unsynced edit. After a pass, what it stored is read back into the page.

use leptos::prelude::*;

use crate::domain::sync::{Config, Problem, PushContext};
use crate::io::clock::BrowserClock;
use crate::io::couch::{self, HttpAccount, HttpCouch};
use crate::io::storage::LocalStorage;
use crate::io::{locks, nav};
use crate::state::core::read_sync_config;
use crate::state::sync_engine::{self, Report};
use crate::state::sync_session::{self, SyncHome};
use crate::state::AppState;

pub use crate::state::sync_status::Status;

/// The sync part of the app state.
#[derive(Clone, Copy)]
pub struct SyncState {
    pub(in crate::state) config: RwSignal<Config>,
    pub(in crate::state) status: RwSignal<Status>,
}

/// Read-only views for `ui`: only `state`'s actions change them.
impl SyncState {
    pub fn config(&self) -> ReadSignal<Config> {
        self.config.read_only()
    }
    pub fn status(&self) -> ReadSignal<Status> {
        self.status.read_only()
    }
}

/// The sync state `install` provided (with `<App/>`): a component outside the app's tree is a
/// mistake shown at once, never a silent second set of signals that nothing updates.
pub fn use_sync() -> SyncState {
    expect_context::<SyncState>()
}

/// Reads the settings, becomes the syncing tab when no other is, and starts the timer.
pub fn install(state: AppState) -> SyncState {
    let config = read_sync_config(&LocalStorage);
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
        if state.online().get() {
            sync.status.update(|s| s.next_session_check = None);
            recheck_session(state, sync);
        }
    });
    let tick = move || {
        refresh_counts(state, sync);
        recheck_session(state, sync);
        let auto = sync.config.with_untracked(|c| c.auto);
        if sync.status.with_untracked(|s| s.pass_due(nav::now_ms(), auto)) {
            run(state, sync);
        }
    };
    let _ = set_interval_with_handle(tick, std::time::Duration::from_secs(5));
    sync
}

impl SyncHome for SyncState {
    fn config(&self) -> Config {
        self.config.get_untracked()
    }
    fn set_config(&self, config: Config) {
        self.config.set(config);
    }
    fn status(&self, f: &mut dyn FnMut(&mut Status)) {
        self.status.update(|s| f(s));
    }
}

/// Keeps the settings (never a password).
pub fn save_config(sync: SyncState, config: Config) -> Result<(), crate::state::ActionError> {
    sync_session::keep_config(&sync, &LocalStorage, config)
}

/// Asks the session again while the server has not answered it, in the syncing tab, when the
/// device is online and the backoff allows.
fn recheck_session(state: AppState, sync: SyncState) {
    let online = state.online().get_untracked();
    if sync.status.with_untracked(|s| s.session_due(nav::now_ms(), online)) {
        check_session(state, sync);
    }
}

fn check_session(state: AppState, sync: SyncState) {
    if !sync_session::begin_session_check(&sync) {
        return;
    }
    let account = HttpAccount::new(&sync.config.get_untracked());
    leptos::task::spawn_local(async move {
        let random = js_sys::Math::random();
        if sync_session::session_check(&sync, &account, &LocalStorage, &BrowserClock, random).await {
            run(state, sync);
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
    let account = HttpAccount::new(&sync.config.get_untracked());
    let who = sync_session::sign_in(&sync, &account, &LocalStorage, &name, &password).await?;
    if sync.status.with_untracked(|s| s.leader) {
        run(state, sync);
    }
    Ok(who)
}

pub async fn sign_out(sync: SyncState) {
    couch::sign_out(&sync.config.get_untracked().server).await;
    sync.status.update(|s| s.signed_out());
}

/// Recounts what is unsynced and refused (`Status::recount`), once the records are read.
pub fn refresh_counts(state: AppState, sync: SyncState) {
    if !sync.config.with_untracked(Config::is_set) || !state.store_ready().get_untracked() {
        return;
    }
    let now = nav::now_ms();
    state.assessments().with_untracked(|m| sync.status.update(|s| s.recount(&LocalStorage, m, now)));
}

/// Runs one pass now (in this tab only if it is the syncing one).
pub fn run(state: AppState, sync: SyncState) {
    let ready = state.store_ready().get_untracked();
    let Some((config, ctx)) = sync_session::begin_pass(&sync, ready, &state.device(), nav::now_ms()) else {
        return;
    };
    crate::state::autosave::flush(state);
    leptos::task::spawn_local(async move {
        // Every set read, so each record's summary is scored against its own (one that cannot be
        // read now goes without one, counted by no roll-up view until a later pass).
        let _ = crate::state::browser::ensure_bundled_sets(state).await;
        let mut ctx = ctx;
        ctx.frameworks = state.peek(|c| c.frameworks().clone());
        let report = pass(config, ctx).await;
        if let Some(hooks) = state.hooks.get_value() {
            hooks.adopt(state, &report);
        }
        let lang = state.lang().get_untracked();
        sync.status.update(|s| s.pass_done(&report, lang, nav::now_ms(), js_sys::Math::random()));
        refresh_counts(state, sync);
    });
}

/// Deleted on the server while edited here: keep it (it is sent again as a new document) or
/// let it go (to the trash here, where it can still be restored).
pub fn decide_deleted(state: AppState, sync: SyncState, id: &str, keep: bool) {
    if !state.act(|c| c.decide_deleted(&LocalStorage, id, keep)) {
        return;
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
        Err(crate::state::ChunkFailed) => {
            Report { failure: Some(crate::domain::sync::Failure::Network), ..Report::default() }
        }
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
