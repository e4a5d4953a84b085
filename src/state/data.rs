//! Whole-data actions: storage usage, the backup (every stored record as stored, with edits
//! held only in memory in place of their stored copy), restore (planned per record by
//! revision, applied by `records::apply_restore`, every failure reported), and the request for
//! persistent storage.

use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::backup::{parse_backup, plan_restore, Backup, RestorePlan};
use crate::domain::framework::load_str_accepted;
use crate::domain::persist;
use crate::domain::text::Lang;
use crate::io::storage::LocalStorage;
use crate::io::{download, nav, storage};
use crate::state::records::{self, RestoreReport};
use crate::state::{AppState, Quarantined};

/// localStorage gives each origin about 5 MiB (Chromium, Firefox, Safari); it cannot be queried.
pub const QUOTA_ESTIMATE: usize = 5 * 1024 * 1024;

/// Bytes used in this origin's localStorage, by the app and anything else (UTF-16, as browsers
/// count against the per-origin quota).
pub fn usage() -> usize {
    storage::bytes_used("")
}

/// The backup of everything stored, with unsaved edits in place of their stored copies.
pub fn backup_json(state: AppState) -> String {
    let dirty = state.dirty.get_value();
    let unsaved: Vec<_> =
        state.assessments.with_untracked(|m| dirty.iter().filter_map(|id| m.get(id).cloned()).collect());
    let now = nav::now_ms();
    let records = records::snapshot(&LocalStorage, &unsaved.iter().collect::<Vec<_>>(), now);
    serde_json::to_string_pretty(&Backup::new(records, now)).unwrap_or_default()
}

/// Offers a hand-over file of assessments `ids` (for another device without a server: USB,
/// chat). It is a backup file holding only them and their imported frameworks.
pub fn export_handover(state: AppState, ids: &[String]) -> Result<(), String> {
    let dirty = state.dirty.get_value();
    let unsaved: Vec<_> =
        state.assessments.with_untracked(|m| dirty.iter().filter_map(|id| m.get(id).cloned()).collect());
    let now = nav::now_ms();
    let records = records::handover(&LocalStorage, ids, &unsaved.iter().collect::<Vec<_>>(), now);
    let commune = state.assessments.with_untracked(|m| {
        ids.first().and_then(|id| m.get(id)).map(|a| file_part(&a.commune.name)).unwrap_or_default()
    });
    let name = format!("tieuchi-chuyen-giao-{commune}-{}.json", nav::date(now).replace('/', "-"));
    let text = serde_json::to_string_pretty(&Backup::new(records, now)).unwrap_or_default();
    download::download(&name, "application/json", &text)
}

/// A commune name as part of a file name ("Xã Vĩnh Thanh" → "Xã-Vĩnh-Thanh").
pub fn file_part(name: &str) -> String {
    name.split_whitespace()
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Offers the backup from the header's and the chunk notice's buttons, which are in the main
/// module: through the store's chunk, which holds the code (and has read the records by then,
/// since an edit that could not be written is what shows these buttons).
pub fn export_backup_from_main(state: AppState) {
    leptos::task::spawn_local(async move {
        if crate::state::store::ensure(state).await.is_ok() {
            if let Some(hooks) = state.hooks.get_value() {
                let _ = hooks.export(state);
            }
        }
    });
}

/// Offers the backup as a file download. Edits held only in memory count as kept once exported.
pub fn export_backup(state: AppState) -> Result<(), String> {
    let name = format!("tieuchi-backup-{}.json", nav::date(nav::now_ms()).replace('/', "-"));
    download::download(&name, "application/json", &backup_json(state))?;
    state.unsaved_exported.set(true);
    Ok(())
}

/// Compares a backup file with what is stored, record by record.
pub fn plan(text: &str, lang: Lang) -> Result<RestorePlan, String> {
    let records = parse_backup(text).map_err(|e| e.message(lang))?;
    Ok(plan_restore(records, &|key| storage::get(key).ok().flatten()))
}

/// Applies a restore plan and reloads what it wrote into the app. Nothing stored is replaced
/// except by a later revision of itself; conflicts are kept beside the record.
pub fn apply(state: AppState, plan: &RestorePlan) -> RestoreReport {
    crate::state::autosave::flush(state);
    let report = records::apply_restore(&LocalStorage, plan);
    let stored = records::load(&LocalStorage);
    let a_prefix = persist::assessment_key("");
    let written_ids: Vec<String> =
        report.written.iter().filter_map(|k| k.strip_prefix(&a_prefix).map(str::to_string)).collect();
    // Edits this tab still holds only in memory (the flush above failed) are not replaced:
    // their next save meets the restored revision and is kept as a conflict copy.
    let dirty = state.dirty.get_value();
    state.assessments.update(|m| {
        for id in written_ids.iter().filter(|id| !dirty.contains(*id)) {
            if let Some(a) = stored.assessments.get(id) {
                m.insert(id.clone(), a.clone());
            }
        }
    });
    state.trash.set(stored.trash);
    state.conflicts.set(stored.conflicts);
    let mut quarantine = stored.quarantine;
    for key in &report.written {
        if let Some(fw_key) = key.strip_prefix(&persist::framework_key("")) {
            let text = storage::get(key).ok().flatten().unwrap_or_default();
            match load_str_accepted(&text).framework {
                Some(fw) if state.framework_by_key(&fw.key()).is_none() => {
                    state.frameworks.update(|fs| fs.push(Arc::new(fw)));
                }
                Some(_) => {}
                None => quarantine.push(Quarantined {
                    key: key.clone(),
                    raw: text,
                    error: format!("framework {fw_key} does not load"),
                }),
            }
        } else if key.starts_with(&persist::units_key("")) && state.units_loaded.get_value() {
            // Lists not read yet are read with this one when a page first needs them.
            let text = storage::get(key).ok().flatten().unwrap_or_default();
            if let Ok(list) = crate::domain::geography::parse_units(&text) {
                state.units.update(|u| u.push(list));
            }
        }
    }
    if report.written.iter().any(|k| k == persist::SETTINGS_KEY) {
        if let Ok(Some(text)) = storage::get(persist::SETTINGS_KEY) {
            crate::state::actions::adopt_settings(state, &text);
        }
    }
    // Keep the quarantine entries of the other kinds (frameworks, units) read at start-up.
    let kept: Vec<Quarantined> = state.quarantine.with_untracked(|q| {
        q.iter().filter(|x| !quarantine.iter().any(|y| y.key == x.key)).cloned().collect()
    });
    quarantine.extend(kept);
    quarantine.sort_by(|a, b| a.key.cmp(&b.key));
    state.quarantine.set(quarantine);
    report
}

/// Loads the sample data ("dữ liệu mẫu": former Bạc Liêu communes, 2016–2020, 1980 set) through
/// the one writer; returns how many records. Real records are not touched.
pub fn load_demo(state: AppState) -> Result<usize, String> {
    let fw = state.framework("ntm-xa-2016-2020", "1980/2016").ok_or("1980 set missing")?;
    let units = crate::domain::geography::bundled()
        .into_iter()
        .find(|u| u.id.starts_with("baclieu"))
        .ok_or("Bạc Liêu list missing")?;
    let now = nav::now_ms();
    let sample = crate::domain::demo::sample(&fw, &units, 40, now);
    let device = state.device.get_value();
    let mut written = Vec::new();
    for a in sample {
        if state.assessments.with_untracked(|m| m.contains_key(&a.id)) {
            continue;
        }
        match records::save(&LocalStorage, &device, &a, now) {
            Ok(rev) => {
                let mut a = a;
                a.rev = rev;
                written.push(a);
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    let n = written.len();
    state.assessments.update(|m| {
        for a in written {
            m.insert(a.id.clone(), a);
        }
    });
    Ok(n)
}

/// Removes every sample record, and only them.
pub fn remove_demo(state: AppState) -> Result<usize, crate::state::ActionError> {
    let n = records::remove_demo(&LocalStorage)?;
    state.assessments.update(|m| m.retain(|id, _| !crate::domain::demo::is_demo(id)));
    Ok(n)
}
