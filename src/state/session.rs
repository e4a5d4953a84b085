//! The signal-free core of editing: whether this tab may change a record, and what one flush of
//! the edited records does, over the storage trait (`KeyValue`), so that it runs and is tested
//! natively. `autosave` and `actions` only read their signals, call these, and set what comes back.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::assessment::Assessment;
use crate::domain::persist;
use crate::domain::revision::Rev;
use crate::io::kv::{KeyValue, StorageError};
use crate::state::records::{self, SaveError};

/// Whether the latest edits are safely stored.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveStatus {
    /// Nothing edited since the app opened.
    Idle,
    /// Edits are waiting for the debounce to write them.
    Pending,
    /// Everything was written at this time (ms since epoch).
    Saved(f64),
    /// Storage is full: edits are kept in memory only until exported or space is freed.
    QuotaExceeded,
    /// localStorage is unavailable: the app works in memory only.
    MemoryOnly,
    /// Another storage failure (rendered in the page's language by the header).
    Failed(StorageError),
    /// Another writer changed the stored copy first; ours was kept beside it as a conflict.
    Conflict,
}

/// Whether this tab may change assessment `id`: not while another tab edits it here (`editing`
/// is the record this tab has open, `blocked` whether another tab holds it), and never a record
/// written by a newer release, nor one that is not here.
pub fn writable(id: &str, editing: Option<&str>, blocked: bool, record: Option<&Assessment>) -> bool {
    !(blocked && editing == Some(id)) && record.is_some_and(|a| a.read_only_schema().is_none())
}

/// What one flush did.
#[derive(Debug, Clone, PartialEq)]
pub struct Flushed {
    /// No longer dirty: written, gone from memory, or settled as a conflict.
    pub done: Vec<String>,
    /// The revision each written record now has.
    pub revs: Vec<(String, Rev)>,
    /// (the stored copy that stays, the key ours was kept under — or in memory only —, ours).
    pub conflicts: Vec<(Assessment, String, Assessment)>,
    pub status: SaveStatus,
}

/// Writes every dirty record through the one writer (`records::save`). A copy another writer
/// changed meanwhile is never overwritten: the stored one stays and ours is kept as a conflict
/// copy (in memory under `…/unsaved` if even that could not be stored). Any other failure keeps
/// the record dirty, so nothing typed is dropped, and says why.
pub fn flush(
    kv: &dyn KeyValue,
    device: &str,
    now: f64,
    dirty: &BTreeSet<String>,
    records_here: &BTreeMap<String, Assessment>,
) -> Flushed {
    let mut out =
        Flushed { done: Vec::new(), revs: Vec::new(), conflicts: Vec::new(), status: SaveStatus::Saved(now) };
    let mut failure = None;
    for id in dirty {
        let Some(a) = records_here.get(id) else {
            out.done.push(id.clone());
            continue;
        };
        match records::save(kv, device, a, now) {
            Ok(rev) => {
                out.done.push(id.clone());
                out.revs.push((id.clone(), rev));
            }
            Err(SaveError::Conflict { stored, kept_as }) => {
                out.done.push(id.clone());
                let key = kept_as.unwrap_or_else(|| format!("{}/unsaved", persist::conflict_key(&a.id)));
                out.conflicts.push((*stored, key, a.clone()));
            }
            Err(SaveError::Storage(e)) => failure = Some(e),
            Err(e) => failure = Some(StorageError::Other(e.to_string())),
        }
    }
    out.status = match failure {
        None if !out.conflicts.is_empty() => SaveStatus::Conflict,
        None => SaveStatus::Saved(now),
        Some(StorageError::QuotaExceeded) => SaveStatus::QuotaExceeded,
        Some(StorageError::Unavailable) => SaveStatus::MemoryOnly,
        Some(e) => SaveStatus::Failed(e),
    };
    out
}
