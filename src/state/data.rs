//! Whole-data actions: storage usage, backup export, restore (merge by id, asking before
//! replacing anything newer), and the request for persistent storage.

use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::backup::{plan_restore, Backup, RestorePlan};
use crate::domain::framework::load_str;
use crate::domain::persist;
use crate::io::{download, nav, storage};
use crate::state::{autosave, AppState};

/// localStorage gives each origin about 5 MiB (Chromium, Firefox, Safari); it cannot be queried.
pub const QUOTA_ESTIMATE: usize = 5 * 1024 * 1024;

/// Bytes used in this origin's localStorage, by the app and anything else (UTF-16, as browsers
/// count against the per-origin quota).
pub fn usage() -> usize {
    storage::bytes_used("")
}

/// The backup of everything in memory (which includes edits not yet written).
pub fn backup_json(state: AppState) -> String {
    let assessments: Vec<_> = state.assessments.with_untracked(|m| m.values().cloned().collect());
    let frameworks = storage::keys_with_prefix(&persist::framework_key(""))
        .unwrap_or_default()
        .iter()
        .filter_map(|k| storage::get(k).ok().flatten())
        .collect();
    let settings =
        storage::get(persist::SETTINGS_KEY).ok().flatten().and_then(|s| serde_json::from_str(&s).ok());
    let backup = Backup::new(&assessments, frameworks, settings, nav::now_ms());
    serde_json::to_string_pretty(&backup).unwrap_or_default()
}

/// Offers the backup as a file download.
pub fn export_backup(state: AppState) -> Result<(), String> {
    let name = format!("tieuchi-backup-{}.json", nav::date(nav::now_ms()).replace('/', "-"));
    download::download(&name, "application/json", &backup_json(state))
}

/// Compares a backup file with the current data.
pub fn plan(state: AppState, text: &str) -> Result<RestorePlan, String> {
    let current = state.assessments.get_untracked();
    plan_restore(text, &|id| current.get(id).cloned()).map_err(|e| e.to_string())
}

/// Applies a restore plan; `replace_newer` also replaces assessments that are newer here.
/// Everything is written at once; a failed write leaves the in-memory copy and says so.
pub fn apply(state: AppState, plan: RestorePlan, replace_newer: bool) {
    let mut changed = Vec::new();
    state.assessments.update(|m| {
        let take = plan.add.into_iter().chain(plan.update).chain(if replace_newer {
            plan.newer_here
        } else {
            vec![]
        });
        for a in take {
            changed.push(a.id.clone());
            m.insert(a.id.clone(), a);
        }
    });
    for text in plan.frameworks {
        if let Some(fw) = load_str(&text).framework {
            if state.framework_by_key(&fw.key()).is_none()
                && storage::set(&persist::framework_key(&fw.key()), &text).is_ok()
            {
                state.frameworks.update(|fs| fs.push(Arc::new(fw)));
            }
        }
    }
    for id in &changed {
        autosave::mark_dirty(state, id);
    }
    autosave::flush(state);
}
