//! Whole-data actions in the browser: storage usage, offering the backup and hand-over files,
//! restore and the sample data (their rules are `Core`'s: `backup_json`, `handover_file`,
//! `apply_restore`, `load_demo`).

use leptos::prelude::*;

use crate::domain::backup::RestorePlan;
use crate::domain::text::Lang;
use crate::io::storage::LocalStorage;
use crate::io::{download, nav, storage};
use crate::state::records::RestoreReport;
use crate::state::AppState;

pub use crate::state::core::file_part;

/// localStorage gives each origin about 5 MiB (Chromium, Firefox, Safari); it cannot be queried.
pub const QUOTA_ESTIMATE: usize = 5 * 1024 * 1024;

/// Bytes used in this origin's localStorage, by the app and anything else (UTF-16, as browsers
/// count against the per-origin quota).
pub fn usage() -> usize {
    storage::bytes_used("")
}

/// The backup of everything stored, with unsaved edits in place of their stored copies.
pub fn backup_json(state: AppState) -> String {
    state.peek(|c| c.backup_json(state.env()))
}

/// Offers a hand-over file of assessments `ids` (for another device without a server).
pub fn export_handover(state: AppState, ids: &[String]) -> Result<(), String> {
    let (name, text) = state.peek(|c| c.handover_file(state.env(), ids, &nav::date(nav::now_ms())));
    download::download(&name, "application/json", &text)
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
    state.act(|c| c.mark_exported());
    Ok(())
}

/// Compares a backup file with what is stored, record by record.
pub fn plan(text: &str, lang: Lang) -> Result<RestorePlan, String> {
    crate::state::core::plan(&LocalStorage, text, lang)
}

/// Applies a restore plan (edits saved first) and reads what it wrote into the app.
pub fn apply(state: AppState, plan: &RestorePlan) -> RestoreReport {
    crate::state::autosave::flush(state);
    let report = state.act(|c| c.apply_restore(&LocalStorage, plan));
    nav::set_document_lang(state.lang().get_untracked().tag());
    report
}

/// Loads the sample data through the one writer; returns how many records.
pub fn load_demo(state: AppState) -> Result<usize, String> {
    state.act(|c| c.load_demo(state.env()))
}

/// Removes every sample record, and only them.
pub fn remove_demo(state: AppState) -> Result<usize, crate::state::ActionError> {
    state.act(|c| c.remove_demo(&LocalStorage))
}
