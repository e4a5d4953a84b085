//! The stored records and criteria sets read into the page right after the first screen, by
//! code in a chunk of its own: the framework loader and the default set's data, the record
//! parser, the one writer, scoring for the home page's list and the sync pass's reading-back
//! are not part of the first screen.
//!
//! `ensure` fetches the chunk (once) and reads the criteria sets (the default bundled one and
//! every imported one), every assessment, the trash and the conflict copies; it then installs the [`RecordsChunk`] through which the main module's synchronous paths
//! (saving when the page is hidden, another tab's save, a finished sync pass, the home list)
//! reach that code, and sets `store_ready`. Every page but home waits for it
//! (`ui::chunks::lazy_page`), so nothing can be edited, and nothing needs saving, before it.

use leptos::prelude::*;

use crate::domain::framework::bundled;
use crate::domain::persist;
use crate::io::kv::KeyValue;
use crate::io::storage::LocalStorage;
use crate::state::core::Core;
use crate::state::{AppState, ChunkFailed, HomeRow, RecordsChunk};

/// The records' chunk as the main module reaches it.
struct Chunk;

impl RecordsChunk for Chunk {
    fn flush(&self, state: AppState) {
        crate::state::autosave::flush_now(state)
    }
    fn reload(&self, state: AppState, id: &str) {
        state.act(|c| c.reload_if_clean(&LocalStorage, id))
    }
    fn adopt(&self, state: AppState, report: &crate::state::sync_engine::Report) {
        state.act(|c| c.adopt_pass(&LocalStorage, report))
    }
    fn home_rows(&self, state: AppState, limit: usize) -> Vec<HomeRow> {
        state.assessments().track();
        state.frameworks().track();
        state.peek(|c| c.home_rows(limit))
    }
    fn export(&self, state: AppState) -> Result<(), String> {
        crate::state::data::export_backup(state)
    }
}

static CHUNK: Chunk = Chunk;

/// Reads the records into the page once; `Err` when their chunk cannot be fetched.
pub async fn ensure(state: AppState) -> Result<(), ChunkFailed> {
    if state.peek(|c| *c.store_ready()) {
        return Ok(());
    }
    let loaded = load_in_chunk(state).await;
    state.act(|c| c.set_store_failed(loaded.is_err()));
    loaded
}

/// The reading, in its chunk. The macro expands to the `extern` import and `no_mangle` export
/// that wasm-split rewires; no unsafe code is written here.
#[cfg(feature = "split")]
#[allow(unsafe_code)]
#[leptos::wasm_split::wasm_split(store, wasm_split_path = ::leptos::wasm_split, fallible)]
fn load_in_chunk(state: AppState) -> Result<(), ChunkFailed> {
    load(state);
    Ok(())
}

#[cfg(not(feature = "split"))]
async fn load_in_chunk(state: AppState) -> Result<(), ChunkFailed> {
    load(state);
    Ok(())
}

/// Reads every record (unreadable ones quarantined, left in storage) and installs the hooks,
/// in one synchronous step: another tab's save that arrives after it is read through the hook.
fn load(state: AppState) {
    // Two callers may both have waited for the chunk: the first one reads.
    if state.peek(|c| *c.store_ready()) {
        return;
    }
    // One listing of the keys for both (each listing crosses into the browser once per key).
    let keys = LocalStorage.keys(persist::PREFIX).unwrap_or_default();
    state.hooks.set_value(Some(&CHUNK));
    state.act(|c: &mut Core| c.load_records(&LocalStorage, &keys, bundled::default_framework()));
}
