//! The framework editor's actions: start a draft from a set (bundled or imported) or empty,
//! keep it in localStorage after every change, publish it as a new immutable version through
//! the same path as an import (so it syncs like one), and move an assessment to another
//! version of its set with the verdict changes listed first.

use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::assessment::Assessment;
use crate::domain::framework::edit::{self, doc_of, publishable, Draft, PublishRefusal};
use crate::domain::framework::{bundled, Framework};
use crate::domain::persist;
use crate::domain::score::{evaluate, Verdict};
use crate::io::{nav, storage};
use crate::state::{actions, ActionError, AppState};

/// The JSON of a set known here by `key` (`id@version`): imported, or bundled.
pub fn framework_json(key: &str) -> Option<String> {
    if let Ok(Some(text)) = storage::get(&persist::framework_key(key)) {
        return Some(text);
    }
    bundled::BUNDLED.iter().find_map(|(_, text)| {
        let doc = doc_of(text).ok()?;
        (format!("{}@{}", doc.id, doc.version) == key).then(|| text.to_string())
    })
}

/// Starts a draft: a province's own copy of `base` (or an empty set), stored at once.
pub fn start(base: Option<&str>) -> Result<String, String> {
    let now = nav::now_ms();
    let id = nav::new_id();
    let doc = match base {
        Some(key) => {
            let text =
                framework_json(key).ok_or_else(|| format!("{key}: không tìm thấy bộ này / set not found"))?;
            let doc = doc_of(&text)?;
            edit::derive(&doc, &format!("{}-tinh", doc.id), "1")
        }
        None => edit::empty("bo-tieu-chi-moi", "1"),
    };
    save(&Draft::new(id.clone(), base.map(str::to_string), doc, now)).map_err(|e| {
        use crate::domain::text::Lang;
        format!("{} / {}", e.message(Lang::Vi), e.message(Lang::En))
    })?;
    Ok(id)
}

/// Stores `draft` (every change is kept at once: a tablet may close at any moment).
pub fn save(draft: &Draft) -> Result<(), ActionError> {
    let text = serde_json::to_string(draft).unwrap_or_default();
    Ok(storage::set(&persist::framework_draft_key(&draft.id), &text)?)
}

/// Stores `draft` over the copy this page last wrote or read (saved at `expected`): refused,
/// with nothing written, when another tab has saved this draft since, so an older tab never
/// overwrites newer work. The page keeps its own edits in memory and says so.
pub fn save_over(draft: &Draft, expected: f64) -> Result<(), ActionError> {
    if let Some(stored) = load(&draft.id) {
        if stored.saved_at != expected {
            return Err(ActionError::Stale);
        }
    }
    save(draft)
}

pub fn load(id: &str) -> Option<Draft> {
    let text = storage::get(&persist::framework_draft_key(id)).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Every draft stored here, the latest first.
pub fn list() -> Vec<Draft> {
    let prefix = persist::framework_draft_key("");
    let mut v: Vec<Draft> = storage::keys_with_prefix(&prefix)
        .unwrap_or_default()
        .iter()
        .filter_map(|k| load(&k[prefix.len()..]))
        .collect();
    v.sort_by(|a, b| b.saved_at.total_cmp(&a.saved_at));
    v
}

pub fn remove(id: &str) -> Result<(), ActionError> {
    Ok(storage::remove(&persist::framework_draft_key(id))?)
}

/// Publishes `draft` as `id@version`: refused while the loader finds errors or when that
/// version exists. Stored like an imported set (so backups, hand-over and sync carry it).
pub fn publish(state: AppState, draft: &Draft) -> Result<Arc<Framework>, PublishRefusal> {
    // Taken here or in storage (another tab may have published it since this page started).
    let taken = |k: &str| {
        state.framework_by_key(k).is_some()
            || storage::get(&persist::framework_key(k)).ok().flatten().is_some()
    };
    let fw = publishable(&draft.doc, &taken)?;
    let json = edit::to_json(&draft.doc);
    actions::import_framework(state, &json, fw)
        .map_err(|e| PublishRefusal::Storage(e.message(state.lang.get_untracked())))
}

/// One verdict that changes when an assessment moves to another version of its set.
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictChange {
    /// A criterion id, or "" for the commune's verdict.
    pub criterion: String,
    pub before: Verdict,
    pub after: Verdict,
}

/// What moving `a` from `old` to `new` changes: the commune's verdict and each criterion's
/// (criteria matched by id; one only in `new` counts from "chưa xác định").
pub fn verdict_changes(a: &Assessment, old: &Framework, new: &Framework) -> Vec<VerdictChange> {
    let (eo, en) = (evaluate(old, a), evaluate(new, a));
    let mut out = Vec::new();
    if eo.commune != en.commune {
        out.push(VerdictChange { criterion: String::new(), before: eo.commune, after: en.commune });
    }
    for (c, r) in new.criteria.iter().zip(&en.criteria) {
        let before = old
            .criteria
            .iter()
            .position(|o| o.id == c.id)
            .map_or(Verdict::Pending, |k| eo.criteria[k].verdict);
        if before != r.verdict {
            out.push(VerdictChange { criterion: c.id.clone(), before, after: r.verdict });
        }
    }
    out
}

/// Moves assessment `id` to `new` (another version of its set), only while its answers may
/// be changed by this tab; the answers stay under their indicator codes, and the step is
/// written in the audit trail.
pub fn move_to(
    state: AppState,
    id: &str,
    new: &Framework,
    by: &crate::domain::assessment::Person,
) -> Result<(), ActionError> {
    // Not while another tab holds it, nor once signed (answers are frozen outside draft).
    let editable =
        state.assessments.with_untracked(|m| m.get(id).is_some_and(|a| a.workflow.stage.answers_editable()));
    if !actions::writable(state, id) || !editable {
        return Err(ActionError::ReadOnly);
    }
    let now = nav::now_ms();
    state.assessments.update(|m| {
        if let Some(a) = m.get_mut(id) {
            let from = format!("{}@{}", a.framework_id, a.framework_version);
            a.framework_id = new.id.clone();
            a.framework_version = new.version.clone();
            a.workflow.note_framework_change(&from, &new.key(), by, now);
            a.touch(now);
        }
    });
    // Kept at once, then the page is drawn again with the new set.
    crate::state::autosave::save_now(state, id);
    state.route.set(crate::state::Route::Assessment(id.to_string()));
    Ok(())
}
