//! One sync pass with a CouchDB database, over storage: push every unsynced assessment (and
//! imported frameworks), then pull the changes since the checkpoint, page by page. Decisions
//! are `domain::sync`'s; writes go through `state::records` (compare-and-set on the revision
//! read). The server is behind the `Couch` trait: `io::couch` in the browser, a fake in the
//! native tests. No signals here.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::domain::assessment::Assessment;
use crate::domain::json_rows::RowProblem;
use crate::domain::persist;
use crate::domain::revision::Rev;
use crate::domain::sync::{
    self, Blocked, Checkpoint, Config, DocState, Failure, OnConflict, OnPull, PageRow, PushContext, PushRow,
    Rejected, ServerDoc,
};
use crate::io::kv::{KeyValue, StorageError};
use crate::state::records;

pub use crate::io::server::Couch;

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Assessments the server accepted.
    pub pushed: usize,
    /// Assessments stored here from the server (new, newer, or merged).
    pub pulled: usize,
    /// Merged by themselves (both sides changed different fields).
    pub merged: usize,
    /// Assessment ids now waiting for the officer (both changed the same fields).
    pub conflicts: Vec<String>,
    /// Refused by the server: (id, reason).
    pub blocked: Vec<(String, String)>,
    /// Assessment ids written here (to reload into the page).
    pub changed: BTreeSet<String>,
    /// Imported frameworks stored here from the server (their keys).
    pub frameworks: Vec<String>,
    /// Deleted on the server while edited here.
    pub deleted_elsewhere: Vec<String>,
    /// Documents the server sent that were not taken (id, why); kept in storage too.
    pub rejected: Vec<(String, RowProblem)>,
    /// Why the pass stopped early, if it did.
    pub failure: Option<Failure>,
    /// Storage was full: the pull stopped before the first document it could not store.
    pub storage_full: bool,
    /// The database behind the address is not the one this device synced with (deleted and
    /// created again, or another server): read again from the start, this device's records
    /// offered again.
    pub recreated: bool,
}

fn doc_state(kv: &dyn KeyValue, id: &str) -> Option<DocState> {
    kv.get(&persist::sync_doc_key(id)).ok().flatten().and_then(|t| serde_json::from_str(&t).ok())
}

/// Stores what is known of `id` on the server. The hidden leaves already brought here are kept
/// whatever else changes (each is brought once).
fn set_doc_state(kv: &dyn KeyValue, id: &str, s: &DocState) -> Result<(), StorageError> {
    let mut s = s.clone();
    if let Some(old) = doc_state(kv, id) {
        for l in old.losers {
            if !s.losers.contains(&l) {
                s.losers.push(l);
            }
        }
    }
    kv.set(&persist::sync_doc_key(id), &serde_json::to_string(&s).unwrap_or_default())
}

fn stored(kv: &dyn KeyValue, id: &str) -> Option<(String, Assessment)> {
    let raw = kv.get(&persist::assessment_key(id)).ok().flatten()?;
    let a = persist::read_assessment(&raw).ok()?;
    Some((raw, a))
}

fn base(kv: &dyn KeyValue, id: &str) -> Option<Assessment> {
    kv.get(&persist::sync_base_key(id)).ok().flatten().and_then(|t| persist::read_assessment(&t).ok())
}

fn drop_base(kv: &dyn KeyValue, id: &str) {
    let key = persist::sync_base_key(id);
    if kv.get(&key).ok().flatten().is_some() {
        let _ = kv.remove(&key);
    }
}

fn in_conflict(kv: &dyn KeyValue, id: &str) -> bool {
    kv.keys(&format!("{}/", persist::conflict_key(id))).is_ok_and(|k| !k.is_empty())
}

/// Ids of the stored assessments with changes the server does not have (for the status line).
pub fn unsynced(kv: &dyn KeyValue) -> Vec<(String, f64)> {
    unsynced_of(kv, records::load(kv).assessments.values())
}

/// `unsynced` over records already read: only each one's sync state is read from storage.
/// Sample data never syncs, so it is never counted.
pub fn unsynced_of<'a>(
    kv: &dyn KeyValue,
    assessments: impl Iterator<Item = &'a Assessment>,
) -> Vec<(String, f64)> {
    assessments
        .filter(|a| !crate::domain::demo::is_demo(&a.id))
        .filter(|a| sync::is_unsynced(a, doc_state(kv, &a.id).as_ref()))
        .map(|a| (a.id.clone(), a.updated_at))
        .collect()
}

/// What this device knows of every record on the server, by id (one storage listing).
fn doc_states(kv: &dyn KeyValue) -> impl Iterator<Item = (String, DocState)> + '_ {
    let prefix = persist::sync_doc_key("");
    kv.keys(&prefix).unwrap_or_default().into_iter().filter_map(move |k| {
        let id = k.strip_prefix(&prefix)?.to_string();
        let state = doc_state(kv, &id)?;
        Some((id, state))
    })
}

/// The refused records with the server's reasons, and the records deleted on the server while
/// edited here: the officer's open questions, read in one listing of the stored states.
pub fn open_questions(kv: &dyn KeyValue) -> (Vec<(String, Blocked)>, Vec<String>) {
    let (mut blocked, mut deleted) = (Vec::new(), Vec::new());
    for (id, s) in doc_states(kv) {
        if s.deleted_on_server {
            deleted.push(id.clone());
        }
        if let Some(b) = s.blocked {
            blocked.push((id, b));
        }
    }
    (blocked, deleted)
}

/// The refused records and the server's reasons.
pub fn blocked(kv: &dyn KeyValue) -> Vec<(String, Blocked)> {
    open_questions(kv).0
}

/// The documents the server sent that were not taken, with why.
pub fn rejected(kv: &dyn KeyValue) -> Vec<Rejected> {
    kv.get(persist::SYNC_REJECTED_KEY)
        .ok()
        .flatten()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Notes that `id` was not taken, for `problem`.
fn reject(kv: &dyn KeyValue, id: &str, problem: RowProblem, ctx: &PushContext, report: &mut Report) {
    let mut list = rejected(kv);
    sync::note_rejected(&mut list, id, problem.clone(), ctx.now);
    let _ = kv.set(persist::SYNC_REJECTED_KEY, &serde_json::to_string(&list).unwrap_or_default());
    report.rejected.push((id.to_string(), problem));
}

/// A copy of `id` was taken: it is no longer listed as refused.
fn accepted(kv: &dyn KeyValue, id: &str) {
    let mut list = rejected(kv);
    let before = list.len();
    list.retain(|r| r.id != id);
    if list.len() != before {
        let _ = kv.set(persist::SYNC_REJECTED_KEY, &serde_json::to_string(&list).unwrap_or_default());
    }
}

/// A server copy this device may take: readable, and its signed steps prove its stage.
fn readable(server: &ServerDoc) -> Result<Assessment, RowProblem> {
    let a = persist::read_assessment(&server.envelope).map_err(|_| RowProblem::WrongShape)?;
    a.workflow.verify().map_err(|e| RowProblem::InvalidChain {
        vi: e.message(crate::domain::text::Lang::Vi),
        en: e.message(crate::domain::text::Lang::En),
    })?;
    Ok(a)
}

/// The ids of records this device holds whose document was deleted on the server while they
/// were edited here: a question for the officer, kept until answered (from storage, so it
/// survives passes and reloads).
pub fn deleted_on_server(kv: &dyn KeyValue) -> Vec<String> {
    open_questions(kv).1
}

/// Makes sure the database is the one this device synced with, by the marker it holds
/// (`domain::sync::identity`). A different one: the checkpoint goes back to the start and what
/// this device knew of each document is forgotten, so every record here is offered again (the
/// server keeps one copy per id; a copy already there meets it as any write does).
async fn check_identity<C: Couch>(
    kv: &dyn KeyValue,
    couch: &C,
    config: &Config,
    ctx: &PushContext,
    report: &mut Report,
) -> Result<Option<String>, Failure> {
    let stored_cp =
        kv.get(persist::SYNC_CHECKPOINT_KEY).ok().flatten().and_then(|t| serde_json::from_str(&t).ok());
    let mut cp = Checkpoint::for_config(stored_cp, config);
    let on_server = couch.marker().await?;
    let server_marker =
        on_server.as_ref().and_then(|d| d.get("marker")).and_then(Value::as_str).map(String::from);
    let decision = sync::identity(server_marker.as_deref(), cp.marker.as_deref());
    let marker = match &decision {
        sync::Identity::Same => return Ok(None),
        sync::Identity::Adopt(m) => m.clone(),
        sync::Identity::Mark | sync::Identity::MarkRecreated => {
            let m = format!("{}-{}", ctx.device, ctx.now as u64);
            match couch.put_marker(&serde_json::json!({ "marker": m })).await {
                Ok(()) => m,
                // Not signed in, or the network: the pass stops as any request would stop it.
                Err(f @ (Failure::Unauthorized | Failure::Network | Failure::Timeout)) => return Err(f),
                // Written by another device meanwhile (conflict), or refused: the next pass
                // reads the marker that is there.
                Err(_) => return Ok(None),
            }
        }
        sync::Identity::Recreated(m) => m.clone(),
    };
    if matches!(decision, sync::Identity::Recreated(_) | sync::Identity::MarkRecreated) {
        for key in kv.keys(&persist::sync_doc_key("")).unwrap_or_default() {
            kv.remove(&key).map_err(|_| Failure::Network)?;
        }
        for key in kv.keys(&persist::sync_base_key("")).unwrap_or_default() {
            let _ = kv.remove(&key);
        }
        let _ = kv.remove(persist::SYNC_FRAMEWORKS_KEY);
        cp.since = Value::from(0);
        report.recreated = true;
    }
    if report.recreated {
        // Written at once: what this device knew of the old database is gone already.
        cp.marker = Some(marker);
        let _ = kv.set(persist::SYNC_CHECKPOINT_KEY, &serde_json::to_string(&cp).unwrap_or_default());
        return Ok(None);
    }
    // Kept with the checkpoint when the pull next moves it (a failed pass changes nothing here).
    Ok(Some(marker))
}

/// One pass: push, then pull. Stops at the first failure that is not about one document.
pub async fn sync_once<C: Couch>(kv: &dyn KeyValue, couch: &C, config: &Config, ctx: &PushContext) -> Report {
    let mut report = Report::default();
    let marker = match check_identity(kv, couch, config, ctx, &mut report).await {
        Ok(m) => m,
        Err(f) => {
            report.failure = Some(f);
            return report;
        }
    };
    // A conflict answered by "send again" or a merge is sent in the next round of the pass.
    for _ in 0..3 {
        let sent = push(kv, couch, ctx, &mut report).await;
        if report.failure.is_some() || sent == 0 {
            break;
        }
    }
    if report.failure.is_none() {
        pull(kv, couch, config, ctx, marker, &mut report).await;
    }
    report
}

/// Sends every record to push; returns how many were sent.
async fn push<C: Couch>(kv: &dyn KeyValue, couch: &C, ctx: &PushContext, report: &mut Report) -> usize {
    push_frameworks(kv, couch, report).await;
    if report.failure.is_some() {
        return 0;
    }
    let loaded = records::load(kv);
    // Listed once: asking storage per record would cross into the browser once per key per
    // record (a first pull of 1,500 spent most of its time there).
    let conflicted: BTreeSet<&String> = loaded.conflicts.keys().collect();
    let queue: Vec<(String, Assessment)> = loaded
        .assessments
        .values()
        .filter(|a| sync::to_push(a, doc_state(kv, &a.id).as_ref(), conflicted.contains(&a.id)))
        .filter_map(|a| stored(kv, &a.id))
        .collect();
    let mut sent = 0;
    let mut batch = sync::BATCH;
    let mut rest = &queue[..];
    while !rest.is_empty() {
        let take = batch.min(rest.len());
        let (chunk, later) = rest.split_at(take);
        let docs: Vec<Value> =
            chunk.iter().map(|(raw, a)| sync::to_doc(raw, a, doc_state(kv, &a.id).as_ref(), ctx)).collect();
        match couch.bulk_docs(&docs).await {
            Err(Failure::TooLarge) if take > 1 => {
                batch = take / 2;
                continue;
            }
            Err(Failure::TooLarge) => {
                let (_, a) = &chunk[0];
                block(kv, a, "too_large", &Failure::TooLarge.message(crate::domain::text::Lang::Vi), report);
            }
            Err(f) => {
                report.failure = Some(f);
                return sent;
            }
            Ok(body) => {
                let rows = match sync::parse_bulk(&body) {
                    Ok(r) => r,
                    Err(f) => {
                        report.failure = Some(f);
                        return sent;
                    }
                };
                for (doc_id, row) in rows {
                    let Some((raw, a)) = chunk.iter().find(|(_, a)| sync::doc_id(&a.id) == doc_id) else {
                        continue;
                    };
                    sent += 1;
                    match row {
                        PushRow::Ok { rev } => pushed(kv, a, raw, rev, report),
                        PushRow::Conflict => {
                            if let Err(f) = conflict(kv, couch, a, ctx, report).await {
                                report.failure = Some(f);
                                return sent;
                            }
                        }
                        PushRow::Refused { error, reason } => block(kv, a, &error, &reason, report),
                        // Not signed in (an expired session makes the writes anonymous): nothing
                        // is marked; the records wait for the officer to sign in again.
                        PushRow::Unauthorized { .. } => report.failure = Some(Failure::Unauthorized),
                    }
                }
                if report.failure.is_some() {
                    return sent;
                }
            }
        }
        rest = later;
    }
    sent
}

/// The server accepted `a` (sent as `raw`) as `rev`.
fn pushed(kv: &dyn KeyValue, a: &Assessment, raw: &str, rev: String, report: &mut Report) {
    report.pushed += 1;
    let _ = set_doc_state(
        kv,
        &a.id,
        &DocState { server_rev: Some(rev), rev: a.rev.clone(), ..Default::default() },
    );
    // Edited again while the write was on its way: what was sent is now the common base.
    match stored(kv, &a.id) {
        Some((_, now)) if now.rev != a.rev => {
            let _ = kv.set(&persist::sync_base_key(&a.id), raw);
        }
        _ => drop_base(kv, &a.id),
    }
}

fn block(kv: &dyn KeyValue, a: &Assessment, error: &str, reason: &str, report: &mut Report) {
    let mut s = doc_state(kv, &a.id).unwrap_or_default();
    s.blocked = Some(Blocked { rev: a.rev.clone(), error: error.into(), reason: reason.into() });
    let _ = set_doc_state(kv, &a.id, &s);
    report.blocked.push((a.id.clone(), reason.into()));
}

/// The server said `conflict` to our write of `a`: read its copy and decide.
async fn conflict<C: Couch>(
    kv: &dyn KeyValue,
    couch: &C,
    a: &Assessment,
    ctx: &PushContext,
    report: &mut Report,
) -> Result<(), Failure> {
    let doc = couch.get(&sync::doc_id(&a.id)).await?;
    let Some(server) = doc.as_ref().and_then(sync::from_doc) else {
        // Gone from the server (deleted there) while edited here: the officer decides.
        let mut s = doc_state(kv, &a.id).unwrap_or_default();
        s.server_rev = None;
        s.deleted_on_server = true;
        let _ = set_doc_state(kv, &a.id, &s);
        report.deleted_elsewhere.push(a.id.clone());
        return Ok(());
    };
    diverged(kv, a, server, ctx, report);
    Ok(())
}

/// The copy here and the server's copy are both known: decide and store what that means.
fn diverged(kv: &dyn KeyValue, here: &Assessment, server: ServerDoc, ctx: &PushContext, report: &mut Report) {
    let theirs = match readable(&server) {
        Ok(a) => a,
        Err(problem) => {
            // Never merged with, never stored: ours stays as it is, and the server's copy is
            // listed for an administrator.
            reject(kv, &sync::doc_id(&here.id), problem, ctx, report);
            return;
        }
    };
    let previous = doc_state(kv, &here.id).unwrap_or_default();
    let known =
        |rev: Rev| DocState { server_rev: Some(server.server_rev.clone()), rev, ..Default::default() };
    match sync::on_conflict(here, &theirs, base(kv, &here.id).as_ref(), &ctx.device, ctx.now) {
        OnConflict::Ours => {
            let _ = set_doc_state(kv, &here.id, &known(theirs.rev.clone()));
            if stored(kv, &here.id).is_some_and(|(_, now)| now.rev == theirs.rev) {
                drop_base(kv, &here.id);
            }
        }
        OnConflict::TakeServer => store_server(kv, here, &server, &theirs, report),
        OnConflict::SendAgain => {
            // The server's copy is behind ours: it is the common base now.
            let _ = set_doc_state(kv, &here.id, &known(theirs.rev.clone()));
            let _ = kv.set(&persist::sync_base_key(&here.id), &server.envelope);
        }
        OnConflict::Merged(merged) => {
            if records::replace(kv, &here.id, &here.rev, &persist::write_assessment(&merged, ctx.now))
                == Ok(true)
            {
                let _ = set_doc_state(kv, &here.id, &known(theirs.rev.clone()));
                let _ = kv.set(&persist::sync_base_key(&here.id), &server.envelope);
                report.merged += 1;
                report.changed.insert(here.id.clone());
            }
        }
        OnConflict::Ask(_) => {
            // Keep the server's copy beside ours; nothing of it is sent until resolved, and the
            // resolution is sent over the server's revision.
            if records::keep_conflict_text(kv, &here.id, &server.envelope).is_ok() {
                let _ = set_doc_state(
                    kv,
                    &here.id,
                    &DocState {
                        server_rev: Some(server.server_rev.clone()),
                        rev: previous.rev,
                        ..Default::default()
                    },
                );
                report.conflicts.push(here.id.clone());
                report.changed.insert(here.id.clone());
            }
        }
    }
}

fn store_server(
    kv: &dyn KeyValue,
    here: &Assessment,
    server: &ServerDoc,
    theirs: &Assessment,
    report: &mut Report,
) {
    if records::replace(kv, &here.id, &here.rev, &server.envelope) == Ok(true) {
        let _ = set_doc_state(
            kv,
            &here.id,
            &DocState {
                server_rev: Some(server.server_rev.clone()),
                rev: theirs.rev.clone(),
                ..Default::default()
            },
        );
        drop_base(kv, &here.id);
        report.pulled += 1;
        report.changed.insert(here.id.clone());
    }
}

/// Imported frameworks go to the server once, create-only (a `conflict` means it is there).
async fn push_frameworks<C: Couch>(kv: &dyn KeyValue, couch: &C, report: &mut Report) {
    let mut done: BTreeSet<String> = kv
        .get(persist::SYNC_FRAMEWORKS_KEY)
        .ok()
        .flatten()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let prefix = persist::framework_key("");
    let todo: Vec<(String, String)> = kv
        .keys(&prefix)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|k| {
            let key = k.strip_prefix(&prefix)?.to_string();
            (!done.contains(&key)).then(|| Some((key, kv.get(&k).ok().flatten()?)))?
        })
        .collect();
    if todo.is_empty() {
        return;
    }
    let docs: Vec<Value> = todo.iter().map(|(k, t)| sync::framework_doc(k, t)).collect();
    match couch.bulk_docs(&docs).await {
        Ok(body) => {
            for (id, row) in sync::parse_bulk(&body).unwrap_or_default() {
                let key = id.strip_prefix(sync::FRAMEWORK_PREFIX).unwrap_or_default().to_string();
                match row {
                    PushRow::Ok { .. } | PushRow::Conflict => {
                        done.insert(key);
                    }
                    PushRow::Refused { reason, .. } | PushRow::Unauthorized { reason } => {
                        report.blocked.push((id, reason));
                    }
                }
            }
            let _ = kv.set(persist::SYNC_FRAMEWORKS_KEY, &serde_json::to_string(&done).unwrap_or_default());
        }
        Err(f) => report.failure = Some(f),
    }
}

/// Pulls the changes since the checkpoint, a page at a time; the checkpoint moves after each
/// page, never past a document that was not stored.
async fn pull<C: Couch>(
    kv: &dyn KeyValue,
    couch: &C,
    config: &Config,
    ctx: &PushContext,
    marker: Option<String>,
    report: &mut Report,
) {
    let stored_cp =
        kv.get(persist::SYNC_CHECKPOINT_KEY).ok().flatten().and_then(|t| serde_json::from_str(&t).ok());
    let mut cp = Checkpoint::for_config(stored_cp, config);
    if marker.is_some() {
        cp.marker = marker;
    }
    let mut restarted = false;
    loop {
        let body = match couch.changes(&cp.since, sync::PAGE).await {
            Ok(b) => b,
            // CouchDB refuses a sequence it does not know (the database was recreated, or the
            // checkpoint is damaged): start again from the beginning, once. Applying a change
            // already here again changes nothing.
            Err(Failure::Server(400)) if !restarted && cp.since != 0 => {
                restarted = true;
                cp.since = Value::from(0);
                continue;
            }
            Err(f) => {
                report.failure = Some(f);
                return;
            }
        };
        let page = match sync::parse_changes(&body) {
            Ok(p) => p,
            Err(f) => {
                report.failure = Some(f);
                return;
            }
        };
        let mut applied = 0;
        for row in &page.rows {
            let done = match row {
                PageRow::Row(row) => apply_row(kv, couch, row, ctx, report).await,
                PageRow::SetAside { id, problem, .. } => {
                    reject(kv, id, problem.clone(), ctx, report);
                    Ok(())
                }
            };
            match done {
                Ok(()) => applied += 1,
                Err(_) => {
                    report.storage_full = true;
                    break;
                }
            }
        }
        cp.since = sync::checkpoint_after(&page, applied, &cp.since);
        if kv.set(persist::SYNC_CHECKPOINT_KEY, &serde_json::to_string(&cp).unwrap_or_default()).is_err() {
            report.storage_full = true;
        }
        if report.storage_full || page.rows.len() < sync::PAGE as usize {
            return;
        }
    }
}

fn store_framework(
    kv: &dyn KeyValue,
    local: &str,
    key: &str,
    text: &str,
    report: &mut Report,
) -> Result<(), StorageError> {
    if kv.get(local)?.is_none() {
        kv.set(local, text)?;
        report.frameworks.push(key.to_string());
    }
    Ok(())
}

/// Applies one change here. `Err` only when storage refused a write (the row is not applied).
async fn apply_row<C: Couch>(
    kv: &dyn KeyValue,
    couch: &C,
    row: &sync::ChangeRow,
    ctx: &PushContext,
    report: &mut Report,
) -> Result<(), StorageError> {
    if let Some(key) = row.id.strip_prefix(sync::FRAMEWORK_PREFIX) {
        let local = persist::framework_key(key);
        let loads = |text: &str| crate::domain::framework::load_str_accepted(text).framework.is_some();
        match row.doc.as_ref().and_then(sync::framework_from_doc) {
            // Create-only here too: a set already stored under this key is never replaced.
            Some((_, text)) if loads(&text) => store_framework(kv, &local, key, &text, report)?,
            Some(_) => reject(kv, &row.id, RowProblem::BadFramework, ctx, report),
            None if !row.deleted => reject(kv, &row.id, RowProblem::WrongShape, ctx, report),
            None => {}
        }
        return Ok(());
    }
    let Some(id) = row.id.strip_prefix(sync::ASSESSMENT_PREFIX) else { return Ok(()) };
    let state = doc_state(kv, id);
    let here = stored(kv, id);
    if row.deleted {
        if state.as_ref().is_some_and(|s| s.deleted_on_server) {
            return Ok(());
        }
        match (&here, &state) {
            (Some((_, a)), s) if !sync::is_unsynced(a, s.as_ref()) => {
                records::trash(kv, id)?;
                kv.remove(&persist::sync_doc_key(id))?;
                report.changed.insert(id.to_string());
            }
            (Some(_), Some(s)) => {
                let mut s = s.clone();
                s.server_rev = None;
                s.deleted_on_server = true;
                set_doc_state(kv, id, &s)?;
                report.deleted_elsewhere.push(id.to_string());
            }
            _ => {}
        }
        return Ok(());
    }
    let Some(server) = row.doc.as_ref().and_then(sync::from_doc) else {
        reject(kv, &row.id, RowProblem::WrongShape, ctx, report);
        return Ok(());
    };
    // A copy that cannot be read, or whose signed steps do not prove its stage, is set aside:
    // never stored, never merged, never over a copy here.
    let theirs = match readable(&server) {
        Ok(a) => a,
        Err(problem) => {
            reject(kv, &row.id, problem, ctx, report);
            return Ok(());
        }
    };
    accepted(kv, &row.id);
    hidden_conflicts(kv, couch, id, &server, ctx, report).await?;
    // This server revision was seen already (our own write, or one the push just met): the
    // copy here has taken it into account.
    if state.as_ref().is_some_and(|s| s.server_rev.as_deref() == Some(server.server_rev.as_str()))
        && here.as_ref().is_some_and(|(_, a)| sync::is_unsynced(a, state.as_ref()) || in_conflict(kv, id))
    {
        return Ok(());
    }
    let known =
        |rev: Rev| DocState { server_rev: Some(server.server_rev.clone()), rev, ..Default::default() };
    match sync::on_pull(here.as_ref().map(|(_, a)| a), &theirs) {
        OnPull::Store => match &here {
            None => {
                kv.set(&persist::assessment_key(id), &persist::stored_form(&server.envelope))?;
                set_doc_state(kv, id, &known(theirs.rev.clone()))?;
                report.pulled += 1;
                report.changed.insert(id.to_string());
            }
            Some((_, a)) => {
                // Changed by another tab meanwhile: left as it is; its next push meets the
                // server's copy and is merged then.
                if !records::replace(kv, id, &a.rev, &persist::stored_form(&server.envelope))? {
                    return Ok(());
                }
                set_doc_state(kv, id, &known(theirs.rev.clone()))?;
                drop_base(kv, id);
                report.pulled += 1;
                report.changed.insert(id.to_string());
            }
        },
        OnPull::Known => set_doc_state(kv, id, &known(theirs.rev.clone()))?,
        OnPull::Keep => {
            // Ours descends from the server's copy: that copy is the base of our next write.
            set_doc_state(kv, id, &known(theirs.rev.clone()))?;
            if kv.get(&persist::sync_base_key(id))?.is_none() {
                let _ = kv.set(&persist::sync_base_key(id), &server.envelope);
            }
        }
        OnPull::Diverged => {
            if let Some((_, a)) = &here {
                diverged(kv, a, server, ctx, report);
            }
        }
    }
    Ok(())
}

/// Leaves another writer (a replication, a second server) left beside the winning revision on
/// the server: CouchDB shows only the winner, so each is fetched once and kept here as a
/// conflict copy for the officer, never left hidden. They stay on the server (deleting a leaf
/// is an administrator's step there).
async fn hidden_conflicts<C: Couch>(
    kv: &dyn KeyValue,
    couch: &C,
    id: &str,
    server: &ServerDoc,
    ctx: &PushContext,
    report: &mut Report,
) -> Result<(), StorageError> {
    let mut state = doc_state(kv, id).unwrap_or_default();
    let fresh: Vec<&String> = server.conflicts.iter().filter(|r| !state.losers.contains(r)).collect();
    if fresh.is_empty() {
        return Ok(());
    }
    for rev in fresh {
        let Ok(Some(doc)) = couch.get_rev(&sync::doc_id(id), rev).await else { continue };
        let Some(leaf) = sync::from_doc(&doc) else { continue };
        match readable(&leaf) {
            Ok(_) => {
                records::keep_conflict_text(kv, id, &leaf.envelope)?;
                report.conflicts.push(id.to_string());
                report.changed.insert(id.to_string());
            }
            Err(problem) => reject(kv, &format!("{} @ {rev}", sync::doc_id(id)), problem, ctx, report),
        }
        state.losers.push(rev.clone());
    }
    set_doc_state(kv, id, &state)
}
