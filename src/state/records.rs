//! The one writer of stored records. Every assessment write goes through `save`, which writes
//! only over the revision this copy was read at (compare-and-set): a copy another writer (an
//! older tab, a restore) changed meanwhile is never overwritten; ours is kept beside it as a
//! conflict. Also: start-up reading with quarantine, the trash, conflict copies, the backup
//! snapshot and applying a restore plan. No signals here, so it is tested natively over
//! `io::kv::MemoryKv`.

use std::collections::BTreeMap;

use crate::domain::assessment::Assessment;
use crate::domain::backup::{self, Action, RestorePlan};
use crate::domain::framework::Framework;
use crate::domain::persist;
use crate::domain::revision::Rev;
use crate::io::kv::{KeyValue, StorageError};

/// A stored value that could not be read; kept raw in storage, listed, exportable.
#[derive(Debug, Clone, PartialEq)]
pub struct Quarantined {
    pub key: String,
    pub raw: String,
    pub error: String,
}

/// Why a save did not write.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SaveError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// Another writer stored a different copy since this one was read. The stored copy stays;
    /// ours was kept as a conflict copy under `kept_as` (or, if that failed, only in memory).
    #[error("changed elsewhere since it was opened")]
    Conflict { stored: Box<Assessment>, kept_as: Option<String> },
    /// What is stored under the key cannot be read: it is never overwritten.
    #[error("the stored copy cannot be read and is kept")]
    StoredUnreadable,
    /// Written by a newer release (schema N): this release never writes it.
    #[error("written by a newer release (schema {0})")]
    NewerSchema(u32),
}

/// What start-up reads.
#[derive(Debug, Default)]
pub struct Stored {
    pub assessments: BTreeMap<String, Assessment>,
    /// Trashed assessments by trash key.
    pub trash: BTreeMap<String, Assessment>,
    /// Conflict copies by assessment id: (key, the other copy).
    pub conflicts: BTreeMap<String, Vec<(String, Assessment)>>,
    pub quarantine: Vec<Quarantined>,
}

fn read_keys(
    kv: &dyn KeyValue,
    keys: &[String],
    prefix: &str,
    quarantine: &mut Vec<Quarantined>,
) -> Vec<(String, Assessment)> {
    let mut out = Vec::new();
    for key in keys.iter().filter(|k| k.starts_with(prefix)) {
        let raw = kv.get(key).ok().flatten().unwrap_or_default();
        match persist::read_assessment(&raw) {
            Ok(a) => match a.workflow.verify() {
                Ok(()) => out.push((key.clone(), a)),
                // Kept apart, as it is: never counted, opened or sent as the stage it claims.
                Err(e) => quarantine.push(Quarantined { key: key.clone(), raw, error: invalid_chain(&e) }),
            },
            Err(e) => quarantine.push(Quarantined { key: key.clone(), raw, error: e.to_string() }),
        }
    }
    out
}

/// Why a record whose trail does not prove its stage is kept apart, in both languages.
pub fn invalid_chain(e: &crate::domain::workflow::ChainError) -> String {
    use crate::domain::text::Lang;
    format!(
        "Hồ sơ không hợp lệ: các bước ký không khớp — {} / Invalid dossier: the signed steps do not match — {}",
        e.message(Lang::Vi),
        e.message(Lang::En)
    )
}

/// Reads every assessment, trashed assessment and conflict copy; unreadable ones are listed
/// in `quarantine` and left untouched in storage. The keys are listed once (each listing
/// crosses into the browser once per stored key).
pub fn load(kv: &dyn KeyValue) -> Stored {
    load_from(kv, &kv.keys(persist::PREFIX).unwrap_or_default())
}

/// As `load`, over the app's keys already listed (`kv.keys(persist::PREFIX)`).
pub fn load_from(kv: &dyn KeyValue, keys: &[String]) -> Stored {
    let mut s = Stored::default();
    for (_, a) in read_keys(kv, keys, &persist::assessment_key(""), &mut s.quarantine) {
        s.assessments.insert(a.id.clone(), a);
    }
    s.trash = read_keys(kv, keys, &persist::trash_key(""), &mut s.quarantine).into_iter().collect();
    for (key, a) in read_keys(kv, keys, &persist::conflict_key(""), &mut s.quarantine) {
        s.conflicts.entry(a.id.clone()).or_default().push((key, a));
    }
    s
}

/// The criteria sets a tablet starts with.
#[derive(Debug, Default)]
pub struct StoredFrameworks {
    /// The bundled sets read at start (the first `bundled`), then the imported ones.
    pub list: Vec<Framework>,
    pub bundled: usize,
    /// Imported sets that today's loader finds errors in, by key: still usable for the
    /// assessments made with them, flagged with their error count.
    pub stale: BTreeMap<String, usize>,
    pub quarantine: Vec<Quarantined>,
}

/// Reads the `bundled` sets (the default; the others are read when first needed), then every
/// imported set among `keys`, the fast way (`load_trusted`: the located checks are the import
/// page's). An imported set with a bundled set's `id@version` is not read over it; one that no
/// longer loads at all is quarantined and left in storage.
pub fn load_frameworks(kv: &dyn KeyValue, keys: &[String], bundled: Vec<Framework>) -> StoredFrameworks {
    let mut s = StoredFrameworks { bundled: bundled.len(), list: bundled, ..Default::default() };
    let prefix = persist::framework_key("");
    for key in keys.iter().filter(|k| k.starts_with(&prefix)) {
        let raw = kv.get(key).ok().flatten().unwrap_or_default();
        match crate::domain::framework::load_trusted(&raw) {
            Some((fw, errors)) if !s.list.iter().any(|f| f.key() == fw.key()) => {
                if errors > 0 {
                    s.stale.insert(fw.key(), errors);
                }
                s.list.push(fw);
            }
            Some(_) => {}
            None => s.quarantine.push(Quarantined {
                key: key.clone(),
                raw,
                error: "framework does not load".into(),
            }),
        }
    }
    s
}

/// This browser's device id, made once with `random` and kept.
pub fn device_id(kv: &dyn KeyValue, random: impl FnOnce() -> String) -> String {
    if let Ok(Some(id)) = kv.get(persist::DEVICE_KEY) {
        if !id.is_empty() {
            return id;
        }
    }
    let id = random();
    let _ = kv.set(persist::DEVICE_KEY, &id);
    id
}

/// Writes `a` over the revision it was read at, as the next revision by `device`; returns that
/// revision (the caller records it on its copy). Nothing is written over a copy that another
/// writer changed, that cannot be read, or that a newer release wrote.
pub fn save(kv: &dyn KeyValue, device: &str, a: &Assessment, now: f64) -> Result<Rev, SaveError> {
    if let Some(v) = a.read_only_schema() {
        return Err(SaveError::NewerSchema(v));
    }
    let key = persist::assessment_key(&a.id);
    if let Some(raw) = kv.get(&key)? {
        // The usual case — the stored copy is the one this copy was read at, in this release's
        // schema — needs only its schema and revision, not the whole record parsed again.
        let read_at =
            persist::peek_rev(&raw).filter(|(v, _, rev)| *v == persist::SCHEMA_VERSION && *rev == a.rev);
        if let Some((_, saved_at, rev)) = read_at {
            // Unchanged: nothing written, the revision kept (what this release wrote for it).
            if persist::write_assessment(a, saved_at) == raw {
                return Ok(rev);
            }
        } else {
            let stored = persist::read_assessment(&raw).map_err(|_| SaveError::StoredUnreadable)?;
            if let Some(v) = stored.read_only_schema() {
                return Err(SaveError::NewerSchema(v));
            }
            if stored.rev != a.rev {
                if stored.same_content(a) {
                    return Ok(stored.rev);
                }
                let kept_as = keep_conflict(kv, a, now).ok();
                return Err(SaveError::Conflict { stored: Box::new(stored), kept_as });
            }
            if stored == *a {
                return Ok(stored.rev);
            }
        }
        // Best effort: without a base a later merge asks about every differing field.
        let _ = keep_sync_base(kv, &a.id, &a.rev, &raw);
    }
    let mut next = a.clone();
    next.rev = a.rev.bumped(device);
    kv.set(&key, &persist::write_assessment(&next, now))?;
    Ok(next.rev)
}

/// Before the first edit after a sync, the copy stored is the last one the server has too:
/// keep it as the base of a later three-way merge (only while there are unsynced edits).
fn keep_sync_base(kv: &dyn KeyValue, id: &str, rev: &Rev, raw: &str) -> Result<(), StorageError> {
    let Some(state) = kv.get(&persist::sync_doc_key(id))? else { return Ok(()) };
    let synced = serde_json::from_str::<crate::domain::sync::DocState>(&state).is_ok_and(|s| s.rev == *rev);
    let key = persist::sync_base_key(id);
    if synced && kv.get(&key)?.is_none() {
        kv.set(&key, raw)?;
    }
    Ok(())
}

/// Writes the record a conflict was resolved to (its revision already descends from both
/// copies) over `base`, the revision of the copy here, and removes the conflict copy at
/// `conflict_key`. Refused like `save` if the stored copy changed meanwhile.
pub fn write_resolved(
    kv: &dyn KeyValue,
    resolved: &Assessment,
    base: &Rev,
    conflict_key: &str,
    now: f64,
) -> Result<(), SaveError> {
    let key = persist::assessment_key(&resolved.id);
    if let Some(raw) = kv.get(&key)? {
        let stored = persist::read_assessment(&raw).map_err(|_| SaveError::StoredUnreadable)?;
        if stored.rev != *base {
            return Err(SaveError::Conflict { stored: Box::new(stored), kept_as: None });
        }
    }
    kv.set(&key, &persist::write_assessment(resolved, now))?;
    if kv.get(conflict_key)?.is_some() {
        kv.remove(conflict_key)?;
    }
    Ok(())
}

/// Writes `text` (a stored envelope, e.g. a copy from the sync server) as assessment `id` over
/// the copy stored at revision `expected`. `Ok(false)`, writing nothing, when another writer
/// changed the stored copy meanwhile (its next sync sees both again).
pub fn replace(kv: &dyn KeyValue, id: &str, expected: &Rev, text: &str) -> Result<bool, StorageError> {
    let key = persist::assessment_key(id);
    if let Some(raw) = kv.get(&key)? {
        match persist::read_assessment(&raw) {
            Ok(stored) if stored.rev == *expected && stored.read_only_schema().is_none() => {}
            _ => return Ok(false),
        }
    }
    kv.set(&key, text)?;
    Ok(true)
}

/// Stores `a` as a conflict copy of its record under the first free conflict key.
pub fn keep_conflict(kv: &dyn KeyValue, a: &Assessment, now: f64) -> Result<String, StorageError> {
    keep_conflict_text(kv, &a.id, &persist::write_assessment(a, now))
}

/// Stores `text` (a stored envelope) as a conflict copy of assessment `id`.
pub fn keep_conflict_text(kv: &dyn KeyValue, id: &str, text: &str) -> Result<String, StorageError> {
    let key = free_key(kv, &persist::conflict_key(id))?;
    kv.set(&key, text)?;
    Ok(key)
}

/// `base/1`, `base/2`, …: the first that holds nothing.
fn free_key(kv: &dyn KeyValue, base: &str) -> Result<String, StorageError> {
    let taken = kv.keys(base)?;
    Ok((1..).map(|n| format!("{base}/{n}")).find(|k| !taken.contains(k)).unwrap_or_default())
}

/// Moves assessment `id` to the trash (its stored text, unchanged) and returns the trash key.
pub fn trash(kv: &dyn KeyValue, id: &str) -> Result<String, StorageError> {
    let key = persist::assessment_key(id);
    let raw = kv.get(&key)?.ok_or_else(|| StorageError::Other(format!("{key} is not stored")))?;
    let to = free_key(kv, &persist::trash_key(id))?;
    kv.set(&to, &raw)?;
    kv.remove(&key)?;
    Ok(to)
}

/// Why a trashed assessment could not be put back.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UntrashError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("an assessment with this id is stored again")]
    Occupied,
}

/// Puts a trashed assessment back (its text, unchanged) and returns it.
pub fn untrash(kv: &dyn KeyValue, trash_key: &str) -> Result<Assessment, UntrashError> {
    let raw = kv.get(trash_key)?.ok_or_else(|| StorageError::Other(format!("{trash_key} is not stored")))?;
    let a = persist::read_assessment(&raw).map_err(|e| StorageError::Other(e.to_string()))?;
    let key = persist::assessment_key(&a.id);
    if kv.get(&key)?.is_some() {
        return Err(UntrashError::Occupied);
    }
    kv.set(&key, &raw)?;
    kv.remove(trash_key)?;
    Ok(a)
}

/// Deletes every trashed assessment for good; returns how many.
pub fn empty_trash(kv: &dyn KeyValue) -> Result<usize, StorageError> {
    let keys = kv.keys(&persist::trash_key(""))?;
    for k in &keys {
        kv.remove(k)?;
    }
    Ok(keys.len())
}

/// Every backed-up record as stored, with `unsaved` (id → copy held only in memory) in place
/// of the stored text of those assessments.
pub fn snapshot(kv: &dyn KeyValue, unsaved: &[&Assessment], now: f64) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = kv
        .keys(persist::PREFIX)
        .unwrap_or_default()
        .into_iter()
        .filter(|k| backup::backed_up(k))
        .filter_map(|k| kv.get(&k).ok().flatten().map(|v| (k, v)))
        .collect();
    for a in unsaved {
        if a.read_only_schema().is_none() {
            out.insert(persist::assessment_key(&a.id), persist::write_assessment(a, now));
        }
    }
    out
}

/// A hand-over file's records: the chosen assessments as stored (unsaved edits in their place)
/// and the imported frameworks they were made with, so the receiving device can score them.
/// Read back by the same restore: same revisions, same conflict screen.
pub fn handover(
    kv: &dyn KeyValue,
    ids: &[String],
    unsaved: &[&Assessment],
    now: f64,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for id in ids.iter().filter(|id| !crate::domain::demo::is_demo(id)) {
        let key = persist::assessment_key(id);
        let text = match unsaved.iter().find(|a| &a.id == id && a.read_only_schema().is_none()) {
            Some(a) => Some(persist::write_assessment(a, now)),
            None => kv.get(&key).ok().flatten(),
        };
        let Some(text) = text else { continue };
        if let Ok(a) = persist::read_assessment(&text) {
            let fw = persist::framework_key(&format!("{}@{}", a.framework_id, a.framework_version));
            if let Some(fw_text) = kv.get(&fw).ok().flatten() {
                out.insert(fw, fw_text);
            }
        }
        out.insert(key, text);
    }
    out
}

/// Removes every sample record (`demo::PREFIX`) and nothing else; returns how many.
pub fn remove_demo(kv: &dyn KeyValue) -> Result<usize, StorageError> {
    let prefix = persist::assessment_key(crate::domain::demo::PREFIX);
    let keys = kv.keys(&prefix)?;
    for k in &keys {
        kv.remove(k)?;
    }
    Ok(keys.len())
}

/// What a restore did, record by record.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RestoreReport {
    pub written: Vec<String>,
    /// Conflict copies kept (storage keys), one per diverged assessment.
    pub conflicts: Vec<String>,
    pub kept_here: usize,
    pub same: usize,
    /// Records whose signed steps do not prove their stage: not written (key, why).
    pub invalid: Vec<(String, crate::domain::workflow::ChainError)>,
    pub failed: Vec<(String, StorageError)>,
}

/// Writes what the plan says, each record on its own; every failure is reported.
pub fn apply_restore(kv: &dyn KeyValue, plan: &RestorePlan) -> RestoreReport {
    let mut r = RestoreReport::default();
    for item in &plan.items {
        match &item.action {
            Action::Add | Action::Update => match kv.set(&item.key, &item.text) {
                Ok(()) => r.written.push(item.key.clone()),
                Err(e) => r.failed.push((item.key.clone(), e)),
            },
            Action::Conflict => {
                let id = item.key.trim_start_matches(&persist::assessment_key(""));
                let base = persist::conflict_key(id);
                let known = kv
                    .keys(&base)
                    .unwrap_or_default()
                    .iter()
                    .any(|k| kv.get(k).ok().flatten().as_deref() == Some(item.text.as_str()));
                if known {
                    r.same += 1;
                    continue;
                }
                match keep_conflict_text(kv, id, &item.text) {
                    Ok(k) => r.conflicts.push(k),
                    Err(e) => r.failed.push((item.key.clone(), e)),
                }
            }
            Action::KeepHere(_) => r.kept_here += 1,
            Action::Same => r.same += 1,
            Action::Invalid(e) => r.invalid.push((item.key.clone(), e.clone())),
        }
    }
    r
}
