//! The framework editor's rules, without signals: start a draft from a set (bundled or
//! imported) or empty, keep it in storage after every change (never over another tab's newer
//! save), publish it as a new immutable version through the same path as an import (so it
//! syncs like one), and list the verdicts that change when an assessment moves to another
//! version of its set (`Core::move_to` moves it).

use std::sync::Arc;

use crate::domain::assessment::Assessment;
use crate::domain::framework::edit::{self, doc_of, publishable, Draft, PublishRefusal};
use crate::domain::framework::{bundled, Framework};
use crate::domain::persist;
use crate::domain::score::{evaluate, Verdict};
use crate::io::clock::Clock;
use crate::io::kv::KeyValue;
use crate::state::core::Core;
use crate::state::ActionError;

/// The JSON of a set known here by `key` (`id@version`): imported, or bundled.
pub fn framework_json(kv: &dyn KeyValue, key: &str) -> Option<String> {
    if let Ok(Some(text)) = kv.get(&persist::framework_key(key)) {
        return Some(text);
    }
    bundled::BUNDLED.iter().find_map(|(_, text)| {
        let doc = doc_of(text).ok()?;
        (format!("{}@{}", doc.id, doc.version) == key).then(|| text.to_string())
    })
}

/// Starts a draft: a province's own copy of `base` (or an empty set), stored at once.
pub fn start(kv: &dyn KeyValue, clock: &dyn Clock, base: Option<&str>) -> Result<String, String> {
    let now = clock.now_ms();
    let id = clock.new_id();
    let doc = match base {
        Some(key) => {
            let text = framework_json(kv, key)
                .ok_or_else(|| format!("{key}: không tìm thấy bộ này / set not found"))?;
            let doc = doc_of(&text)?;
            edit::derive(&doc, &format!("{}-tinh", doc.id), "1")
        }
        None => edit::empty("bo-tieu-chi-moi", "1"),
    };
    save(kv, &Draft::new(id.clone(), base.map(str::to_string), doc, now)).map_err(|e| {
        use crate::domain::text::Lang;
        format!("{} / {}", e.message(Lang::Vi), e.message(Lang::En))
    })?;
    Ok(id)
}

/// Stores `draft` (every change is kept at once: a tablet may close at any moment).
pub fn save(kv: &dyn KeyValue, draft: &Draft) -> Result<(), ActionError> {
    let text = serde_json::to_string(draft).unwrap_or_default();
    Ok(kv.set(&persist::framework_draft_key(&draft.id), &text)?)
}

/// Stores `draft` over the copy this page last wrote or read (saved at `expected`): refused,
/// with nothing written, when another tab has saved this draft since, so an older tab never
/// overwrites newer work. The page keeps its own edits in memory and says so.
pub fn save_over(kv: &dyn KeyValue, draft: &Draft, expected: f64) -> Result<(), ActionError> {
    if let Some(stored) = load(kv, &draft.id) {
        if stored.saved_at != expected {
            return Err(ActionError::Stale);
        }
    }
    save(kv, draft)
}

pub fn load(kv: &dyn KeyValue, id: &str) -> Option<Draft> {
    let text = kv.get(&persist::framework_draft_key(id)).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Every draft stored here, the latest first.
pub fn list(kv: &dyn KeyValue) -> Vec<Draft> {
    let prefix = persist::framework_draft_key("");
    let mut v: Vec<Draft> =
        kv.keys(&prefix).unwrap_or_default().iter().filter_map(|k| load(kv, &k[prefix.len()..])).collect();
    v.sort_by(|a, b| b.saved_at.total_cmp(&a.saved_at));
    v
}

pub fn remove(kv: &dyn KeyValue, id: &str) -> Result<(), ActionError> {
    Ok(kv.remove(&persist::framework_draft_key(id))?)
}

/// Publishes `draft` as `id@version`: refused while the loader finds errors or when that
/// version exists. Stored like an imported set (so backups, hand-over and sync carry it).
pub fn publish(core: &mut Core, kv: &dyn KeyValue, draft: &Draft) -> Result<Arc<Framework>, PublishRefusal> {
    // Taken here or in storage (another tab may have published it since this page started).
    let taken = |k: &str| {
        core.framework_by_key(k).is_some() || kv.get(&persist::framework_key(k)).ok().flatten().is_some()
    };
    let fw = publishable(&draft.doc, &taken)?;
    let json = edit::to_json(&draft.doc);
    let lang = *core.lang();
    core.import_framework(kv, &json, fw).map_err(|e| PublishRefusal::Storage(e.message(lang)))
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
