//! Full backup: every stored record, as the exact text stored under its key, in one JSON file;
//! and the plan for restoring one. Restore is decided per record before anything is written:
//! assessments by revision (`records::reconcile`: an older copy never replaces a newer or
//! signed one, a divergence is a conflict kept for the officer), other records added when
//! absent and never replacing what differs here; the settings (preferences, not records) are
//! taken from the backup only where no signer has been set up. Backup → clear → restore gives byte-identical
//! storage, quarantined (unreadable) entries included.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::assessment::Assessment;
use crate::domain::persist::{self, ReadError};
use crate::domain::records::{reconcile, Reconcile};
use crate::domain::text::Lang;

pub const BACKUP_FORMAT: &str = "tieuchi-backup/2";
const BACKUP_FORMAT_V1: &str = "tieuchi-backup/1";

/// The backup file (`tieuchi-backup/2`): storage key → the exact text stored under it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    pub format: String,
    pub created_at: f64,
    pub records: BTreeMap<String, String>,
}

impl Backup {
    pub fn new(records: BTreeMap<String, String>, now: f64) -> Backup {
        Backup { format: BACKUP_FORMAT.into(), created_at: now, records }
    }
}

/// Whether a key is backed up: every record of the app except this browser's device id and
/// its sync state (which describe this browser, not the records), and sample data.
pub fn backed_up(key: &str) -> bool {
    key.starts_with(persist::PREFIX)
        && key != persist::DEVICE_KEY
        // Who signed on this device is this device's: a backup restored elsewhere does not
        // offer those names there.
        && key != persist::SIGNERS_KEY
        && !key.starts_with(persist::SYNC_PREFIX)
        && !key.strip_prefix(&persist::assessment_key("")).is_some_and(crate::domain::demo::is_demo)
}

/// Either format, read in one pass: `records` (2), or the release-1 envelopes, framework
/// texts and settings.
#[derive(Deserialize)]
struct AnyBackup {
    #[serde(default)]
    format: String,
    #[serde(default)]
    records: Option<BTreeMap<String, String>>,
    #[serde(default)]
    assessments: Vec<Value>,
    #[serde(default)]
    frameworks: Vec<String>,
    #[serde(default)]
    settings: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BackupError {
    #[error("empty file")]
    Empty,
    /// Not JSON, or JSON that is not a backup: where (line and column, 0 when not known) and
    /// serde_json's reason (shown in Vietnamese through `serde_detail_vi`).
    #[error("not a backup file: line {line}, column {column}: {detail}")]
    NotJson { line: usize, column: usize, detail: String },
    /// JSON of the backup format without its records.
    #[error("a backup without records")]
    NoRecords,
    #[error("unknown backup format “{0}”")]
    Format(String),
    /// Over `MAX_BACKUP_BYTES`.
    #[error("the file is too large ({0} bytes)")]
    TooLarge(usize),
}

/// A backup holds at most a browser's storage (about 5 MB, as UTF-16: 10 MB of text, with
/// JSON escaping well under 4×): a file over this is refused before it is parsed.
pub const MAX_BACKUP_BYTES: usize = 40 * 1024 * 1024;

impl BackupError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (BackupError::Empty, Lang::Vi) => "tệp rỗng".into(),
            (BackupError::Empty, Lang::En) => "the file is empty".into(),
            (BackupError::NotJson { line, column, detail }, Lang::Vi) => format!(
                "không phải tệp sao lưu của Tiêu chí (tệp .json tải về từ trang Dữ liệu){} {}",
                where_(*line, *column, Lang::Vi),
                crate::domain::framework::load::serde_detail_vi(detail)
            ),
            (BackupError::NotJson { line, column, detail }, Lang::En) => format!(
                "not a Tiêu chí backup file (the .json file saved from the Data page){} {detail}",
                where_(*line, *column, Lang::En)
            ),
            (BackupError::NoRecords, Lang::Vi) => "tệp sao lưu không có hồ sơ nào (thiếu “records”)".into(),
            (BackupError::NoRecords, Lang::En) => "the backup holds no records (“records” is missing)".into(),
            (BackupError::Format(f), Lang::Vi) => format!("không nhận ra định dạng sao lưu “{f}”"),
            (BackupError::Format(f), Lang::En) => format!("unknown backup format “{f}”"),
            (BackupError::TooLarge(n), Lang::Vi) => {
                format!("tệp quá lớn ({} MB; tối đa {} MB)", n / 1_048_576, MAX_BACKUP_BYTES / 1_048_576)
            }
            (BackupError::TooLarge(n), Lang::En) => {
                format!(
                    "the file is too large ({} MB; at most {} MB)",
                    n / 1_048_576,
                    MAX_BACKUP_BYTES / 1_048_576
                )
            }
        }
    }
}

/// " — dòng 1, cột 2:" (or nothing where serde_json gave no position).
fn where_(line: usize, column: usize, lang: Lang) -> String {
    match (line, lang) {
        (0, _) => ":".into(),
        (_, Lang::Vi) => format!(" — dòng {line}, cột {column}:"),
        (_, Lang::En) => format!(" — line {line}, column {column}:"),
    }
}

/// Reads a backup file of either format into storage key → text. A damaged file is refused
/// whole; single records that do not read are restored as they are (they were quarantined
/// where the backup was made, and stay so).
pub fn parse_backup(text: &str) -> Result<BTreeMap<String, String>, BackupError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(BackupError::Empty);
    }
    if text.len() > MAX_BACKUP_BYTES {
        return Err(BackupError::TooLarge(text.len()));
    }
    let b: AnyBackup = serde_json::from_str(text).map_err(|e| BackupError::NotJson {
        line: e.line(),
        column: e.column(),
        detail: crate::domain::framework::load::strip_position(&e.to_string()),
    })?;
    match b.format.as_str() {
        BACKUP_FORMAT => match b.records {
            Some(records) => Ok(records.into_iter().filter(|(k, _)| backed_up(k)).collect()),
            None => Err(BackupError::NoRecords),
        },
        BACKUP_FORMAT_V1 => {
            let mut out = BTreeMap::new();
            for (i, env) in b.assessments.iter().enumerate() {
                let id = env
                    .pointer("/assessment/id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("unreadable-{i}"));
                out.insert(persist::assessment_key(&id), env.to_string());
            }
            for (i, fw) in b.frameworks.into_iter().enumerate() {
                let key = serde_json::from_str::<Value>(&fw)
                    .ok()
                    .and_then(|v| Some(format!("{}@{}", v.get("id")?.as_str()?, v.get("version")?.as_str()?)))
                    .unwrap_or_else(|| format!("unreadable-{i}"));
                out.insert(persist::framework_key(&key), fw);
            }
            if let Some(s) = b.settings {
                out.insert(persist::SETTINGS_KEY.into(), s.to_string());
            }
            Ok(out)
        }
        other => Err(BackupError::Format(other.to_string())),
    }
}

/// What restoring does with one record.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Not stored here: written as it is in the backup.
    Add,
    /// Stored here identically.
    Same,
    /// The backup's copy descends from the one here (a later revision): it replaces it.
    Update,
    /// Kept as it is here, for the reason given; the backup's copy is not written.
    KeepHere(Keep),
    /// Both changed since they parted: the backup's copy is kept beside this one as a
    /// conflict for the officer to resolve.
    Conflict,
    /// The file's copy says a stage its signed steps do not prove (a dossier "recognised" with
    /// no signatures, a step the procedure does not have): not written, whatever is here.
    Invalid(crate::domain::workflow::ChainError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The copy here is a later revision of the backup's (or has its signed steps and more).
    NewerHere,
    /// The record here cannot be read (quarantined): it is never overwritten.
    UnreadableHere,
    /// The backup's copy of an assessment cannot be read while one here can.
    UnreadableInBackup,
    /// A framework, units list or setting that differs here: the one here stays.
    DiffersHere,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub key: String,
    pub text: String,
    pub action: Action,
}

/// What restoring would do, decided before anything is written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RestorePlan {
    pub items: Vec<Item>,
}

impl RestorePlan {
    pub fn count(&self, f: impl Fn(&Action) -> bool) -> usize {
        self.items.iter().filter(|i| f(&i.action)).count()
    }
}

/// Plans a restore of `records` over what is stored (`here(key)` = the text stored under it).
pub fn plan_restore(records: BTreeMap<String, String>, here: &dyn Fn(&str) -> Option<String>) -> RestorePlan {
    let assessment_prefix = persist::assessment_key("");
    let items = records
        .into_iter()
        .map(|(key, text)| {
            let invalid = key
                .starts_with(&assessment_prefix)
                .then(|| persist::read_assessment(&text).ok())
                .flatten()
                .and_then(|a| a.workflow.verify().err());
            let action = match (invalid, here(&key)) {
                (Some(e), _) => Action::Invalid(e),
                (None, None) => Action::Add,
                (None, Some(h)) if h == text => Action::Same,
                (None, Some(h)) if key.starts_with(&assessment_prefix) => assessment_action(&h, &text),
                // Preferences (language, who signs), not records: taken from the backup on a
                // tablet where no one has set up a signer yet, kept on one where someone has.
                (None, Some(h)) if key == persist::SETTINGS_KEY && no_signer(&h) => Action::Update,
                (None, Some(_)) => Action::KeepHere(Keep::DiffersHere),
            };
            Item { key, text, action }
        })
        .collect();
    RestorePlan { items }
}

fn no_signer(settings: &str) -> bool {
    serde_json::from_str::<Value>(settings)
        .ok()
        .and_then(|v| v.pointer("/signer/name").and_then(Value::as_str).map(|n| n.trim().is_empty()))
        .unwrap_or(true)
}

fn assessment_action(here: &str, incoming: &str) -> Action {
    let here: Result<Assessment, ReadError> = persist::read_assessment(here);
    let Ok(here) = here else { return Action::KeepHere(Keep::UnreadableHere) };
    let Ok(incoming) = persist::read_assessment(incoming) else {
        return Action::KeepHere(Keep::UnreadableInBackup);
    };
    match reconcile(&here, &incoming) {
        Reconcile::Same => Action::Same,
        Reconcile::KeepHere => Action::KeepHere(Keep::NewerHere),
        Reconcile::TakeIncoming => Action::Update,
        Reconcile::Conflict => Action::Conflict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_backups_are_refused_whole() {
        assert_eq!(parse_backup(""), Err(BackupError::Empty));
        assert!(matches!(parse_backup("{"), Err(BackupError::NotJson { .. })));
        assert!(matches!(parse_backup(r#"{"format":"x"}"#), Err(BackupError::Format(_))));
        assert_eq!(parse_backup(r#"{"format":"tieuchi-backup/2"}"#), Err(BackupError::NoRecords));
    }

    #[test]
    fn a_file_that_is_not_a_backup_is_told_where_and_why_in_vietnamese() {
        // What officers pick by mistake: a CSV, a hand-edited backup with a trailing comma.
        let e = parse_backup("ma_xa;ten_xa\n1;A\n").expect_err("refused");
        assert_eq!(
            e.message(Lang::Vi),
            "không phải tệp sao lưu của Tiêu chí (tệp .json tải về từ trang Dữ liệu) — dòng 1, cột 1: cần một giá trị"
        );
        let e = parse_backup(r#"{"format":"tieuchi-backup/2","records":{"a":"b",}}"#).expect_err("refused");
        let vi = e.message(Lang::Vi);
        assert!(vi.ends_with("— dòng 1, cột 49: thừa dấu “,” ở cuối"), "{vi}");
        assert!(!vi.contains("trailing"), "no parser English in the Vietnamese message: {vi}");
        let en = e.message(Lang::En);
        assert!(en.starts_with("not a Tiêu chí backup file") && en.contains("line 1, column 49"), "{en}");
        let e = parse_backup("{ tieuchi }").expect_err("refused");
        assert!(!e.message(Lang::Vi).contains("expected"), "{}", e.message(Lang::Vi));
    }

    #[test]
    fn a_release_1_backup_reads_into_keys() {
        let v1 = r#"{"format":"tieuchi-backup/1","created_at":0,
            "assessments":[{"schema_version":1,"assessment":{"id":"x1"}}],
            "frameworks":["{\"id\":\"f\",\"version\":\"2\"}"],"settings":{"lang":"en"}}"#;
        let keys: Vec<String> = parse_backup(v1).expect("v1").into_keys().collect();
        assert_eq!(
            keys,
            ["tieuchi/v1/assessment/x1", "tieuchi/v1/framework/f@2", "tieuchi/v1/settings"].map(String::from)
        );
    }

    #[test]
    fn other_records_never_replace_what_differs_here() {
        let records = BTreeMap::from([
            ("tieuchi/v1/settings".to_string(), "{\"lang\":\"en\"}".to_string()),
            ("tieuchi/v1/units/x".to_string(), "u".to_string()),
            ("tieuchi/v1/framework/f@1".to_string(), "{\"id\":\"f\"}".to_string()),
            ("tieuchi/v1/assessment/q".to_string(), "{broken".to_string()),
        ]);
        let here = |k: &str| match k {
            "tieuchi/v1/settings" => Some("{\"lang\":\"vi\"}".to_string()),
            "tieuchi/v1/assessment/q" => Some("{also broken".to_string()),
            "tieuchi/v1/framework/f@1" => Some("{\"id\":\"f\",\"v\":2}".to_string()),
            _ => None,
        };
        let plan = plan_restore(records, &here);
        let actions: Vec<_> = plan.items.iter().map(|i| i.action.clone()).collect();
        // Sorted by key: assessment, framework, settings, units.
        assert_eq!(
            actions,
            [
                Action::KeepHere(Keep::UnreadableHere),
                Action::KeepHere(Keep::DiffersHere),
                Action::Update,
                Action::Add
            ]
        );
    }
}
