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

use std::sync::Arc;

use crate::domain::framework::bundled;
use crate::domain::persist;
use crate::domain::score::{self, evaluate, Verdict};
use crate::io::kv::KeyValue;
use crate::io::storage::LocalStorage;
use crate::state::{records, AppState, ChunkFailed, HomeRow, RecordsChunk};

/// The records' chunk as the main module reaches it.
struct Chunk;

impl RecordsChunk for Chunk {
    fn flush(&self, state: AppState) {
        crate::state::autosave::flush_now(state)
    }
    fn reload(&self, state: AppState, id: &str) {
        crate::state::tabs::reload_now(state, id)
    }
    fn adopt(&self, state: AppState, report: &crate::state::sync_engine::Report) {
        crate::state::sync::adopt(state, report)
    }
    fn home_rows(&self, state: AppState, limit: usize) -> Vec<HomeRow> {
        home_rows(state, limit)
    }
    fn export(&self, state: AppState) -> Result<(), String> {
        crate::state::data::export_backup(state)
    }
}

static CHUNK: Chunk = Chunk;

/// Reads the records into the page once; `Err` when their chunk cannot be fetched.
pub async fn ensure(state: AppState) -> Result<(), ChunkFailed> {
    if state.store_ready.get_untracked() {
        return Ok(());
    }
    let loaded = load_in_chunk(state).await;
    state.store_failed.set(loaded.is_err());
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
    if state.store_ready.get_untracked() {
        return;
    }
    // One listing of the keys for both (each listing crosses into the browser once per key).
    let kv = LocalStorage;
    let keys = kv.keys(persist::PREFIX).unwrap_or_default();
    let sets = records::load_frameworks(&kv, &keys, bundled::default_framework());
    let stored = records::load_from(&kv, &keys);
    // Bundled sets read before this (`ensure_bundled_sets` waits for it) go after the default.
    if state.bundled_later.get_value().is_some() {
        state.bundled_later.set_value(Some(sets.bundled));
    }
    state.frameworks.set(sets.list.into_iter().map(Arc::new).collect());
    state.stale_frameworks.set(sets.stale);
    state.assessments.set(stored.assessments);
    state.trash.set(stored.trash);
    state.conflicts.set(stored.conflicts);
    let mut quarantine = sets.quarantine;
    quarantine.extend(stored.quarantine);
    if !quarantine.is_empty() {
        state.quarantine.update(|q| {
            q.extend(quarantine);
            q.sort_by(|a, b| a.key.cmp(&b.key));
        });
    }
    state.hooks.set_value(Some(&CHUNK));
    state.store_ready.set(true);
}

/// The home page's first `limit` assessments, newest first, each scored against its set (only
/// those shown are scored; none is cloned).
fn home_rows(state: AppState, limit: usize) -> Vec<HomeRow> {
    state.assessments.with(|m| {
        let mut order: Vec<(f64, &String)> = m.values().map(|a| (a.updated_at, &a.id)).collect();
        order.sort_by(|a, b| b.0.total_cmp(&a.0));
        order
            .into_iter()
            .take(limit)
            .filter_map(|(_, id)| m.get(id))
            .map(|a| {
                let fw = state.framework(&a.framework_id, &a.framework_version);
                let set_missing = fw.is_none();
                let (verdict, provisional, criteria) = match fw {
                    Some(fw) => {
                        let ev = evaluate(&fw, a);
                        let flagged = score::provisional(&fw, &ev, &a.dimension_value).is_some();
                        (ev.commune, flagged, format!("{}/{}", ev.criteria_met, ev.criteria.len()))
                    }
                    None => (Verdict::Pending, false, "—".into()),
                };
                HomeRow {
                    id: a.id.clone(),
                    title: format!("{} — {}", a.commune.name, a.round),
                    province: a.commune.province.clone(),
                    verdict,
                    provisional,
                    criteria,
                    set_missing,
                    stage: a.workflow.stage,
                }
            })
            .collect()
    })
}
