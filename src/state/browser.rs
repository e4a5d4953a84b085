//! The app's side of the state that only a browser has: start-up from storage and the URL,
//! following the page's life (the hash, hiding, the network, other tabs), the service worker's
//! updates and reloads, the chunks of bundled sets and unit lists read when first needed, and
//! `AppState` as the actions' [`Host`].

use crate::domain::framework::{bundled, Framework};
use crate::domain::text::Lang;
use crate::io::storage::LocalStorage;
use crate::io::{nav, storage};
use crate::state::core::{self, Core, Env};
use crate::state::host::Host;
use crate::state::{actions, autosave, AppState, Route};

impl Host for AppState {
    fn act<R>(self, f: impl FnOnce(&mut Core) -> R) -> R {
        AppState::act(&self, f)
    }
    fn peek<R>(self, f: impl FnOnce(&Core) -> R) -> R {
        AppState::peek(&self, f)
    }
    fn env(self) -> Env<'static> {
        AppState::env(&self)
    }
    fn flush(self) {
        autosave::flush(self);
    }
    fn schedule_flush(self) {
        autosave::schedule(self);
    }
    fn scroll_y(self) -> f64 {
        nav::scroll_y()
    }
    fn set_document_lang(self, tag: &str) {
        nav::set_document_lang(tag);
    }
}

pub fn navigate(route: &Route) {
    nav::set_hash(&route.path());
}

/// The language saved in the settings (Vietnamese if none or unreadable).
pub fn saved_lang() -> Lang {
    core::read_settings(&LocalStorage).lang
}

/// The state at start: settings, the page, this browser's device id. The records are read
/// right after, by `state::store`; with no page in the URL, the person returns where they were.
pub fn load_initial() -> Core {
    let (core, place) = Core::start(
        &LocalStorage,
        &nav::hash(),
        storage::available(),
        crate::state::tabs::new_tab_id(),
        || nav::random_hex(8),
    );
    nav::set_document_lang(core.lang().tag());
    if let Some(place) = place {
        nav::set_hash(&place.path);
        // About three seconds of frames: the page's chunk and records arrive first.
        nav::scroll_to_when_reachable(place.scroll, 180);
    }
    core
}

/// Follows the browser for the app's life: the URL hash (the page), page hide and close (flush
/// the edits), the other tabs (one writer per record), the network (online or not).
pub fn follow_the_browser(state: AppState) {
    nav::on_hash_change(move |h| {
        state.act(|c| c.set_route(Route::parse(&h)));
        actions::remember_place(state);
    });
    autosave::install_page_hide_flush(state);
    crate::state::tabs::install(state);
    crate::io::tabs::request_persistent_storage();
    crate::io::network::watch(move |up| state.act(|c| c.set_online(up)));
}

/// The strings of the page's language arrived (their own chunk): the page is drawn again in them.
pub fn strings_arrived(state: AppState) {
    state.act(|c| c.touch(core::Part::Lang));
}

/// Registers the service worker; a newer release waiting to take over is shown as such.
///
/// Once per page life: after the first page the officer opened is usable (home once its records
/// are read, any other page once its chunk is in, or has failed), so that the worker's precache
/// never shares the line with the page's own files; it then takes what the page fetched from the
/// HTTP cache.
pub fn register_service_worker(state: AppState) {
    thread_local! {
        static DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if !DONE.with(|d| d.replace(true)) {
        crate::io::sw::register(move || state.act(Core::set_update_ready));
    }
}

/// Reads the bundled sets other than the default the first time something needs them: every
/// page but home waits for them (`ui::chunks::lazy_page`), and home asks for them when a listed
/// assessment uses a set not read yet. Their text and their reading come with the records'
/// chunk (`store`, which every page needs anyway: one chunk fewer and fewer shared pieces — on a
/// thin line each file costs a round trip), and are read only then; `Err` when it cannot be
/// fetched (offline before the app was cached).
pub async fn ensure_bundled_sets(state: AppState) -> Result<(), crate::state::ChunkFailed> {
    if state.peek(Core::bundled_later).is_none() {
        return Ok(());
    }
    // They go after the default set, which the store reads: merged once both are in.
    let (sets, store) = futures::future::join(other_bundled_sets(), crate::state::store::ensure(state)).await;
    store?;
    let sets = sets?;
    // Merged once, whoever waited longer.
    state.act(|c| c.merge_bundled(sets));
    Ok(())
}

/// The bundled sets other than the default, read in the records' chunk. The macro expands to the
/// `extern` import and `no_mangle` export that wasm-split rewires; no unsafe code is written here.
#[cfg(feature = "split")]
#[allow(unsafe_code)]
#[leptos::wasm_split::wasm_split(store, wasm_split_path = ::leptos::wasm_split, fallible)]
fn other_bundled_sets() -> Result<Vec<Framework>, crate::state::ChunkFailed> {
    Ok(bundled::others())
}

#[cfg(not(feature = "split"))]
async fn other_bundled_sets() -> Result<Vec<Framework>, crate::state::ChunkFailed> {
    Ok(bundled::others())
}

/// The administrative unit lists, read the first time a page needs them (the new-assessment
/// page, restore, the sample data): the shipped lists and the parser stay out of the first
/// screen.
pub fn units(state: AppState) -> crate::state::Read<Vec<crate::domain::geography::UnitList>> {
    if !state.peek(Core::units_loaded) {
        state.act(|c| c.ensure_units(&LocalStorage));
    }
    state.units()
}

/// Saves every pending edit, then lets the new release take over (the page reloads). Refused
/// while edits are held only in memory and not exported: the reload would wipe them.
pub fn apply_update(state: AppState) {
    if actions::saved_for_reload(state) {
        crate::io::sw::apply_update();
    }
}

/// A page's chunk did not load. If the server now publishes another build (this tab is older
/// than an update that removed its chunks), the draft is saved and the tab reloads into the new
/// release, once; if the draft cannot be saved it stays, with the notice and the export button.
pub fn on_chunk_failed(state: AppState) {
    leptos::task::spawn_local(async move {
        let (Some(running), Some(published)) =
            (crate::io::sw::running_build(), crate::io::sw::published_build().await)
        else {
            return;
        };
        if running != published && actions::saved_for_reload(state) {
            crate::io::sw::reload_once_for(&published);
        }
    });
}

/// Tries the current page again (a chunk's failed load is not remembered).
pub fn retry_page(state: AppState) {
    state.act(|c| c.touch(core::Part::Route));
}

/// Saves the draft, then reloads; refuses (and says so) while the draft cannot be saved.
pub fn reload_saved(state: AppState) {
    if actions::saved_for_reload(state) {
        crate::io::sw::reload();
    }
}
