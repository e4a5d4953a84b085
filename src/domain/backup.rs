//! Full backup: every assessment, imported framework and the settings in one JSON file, and the
//! plan for restoring one (merge by id; anything where the stored copy is newer is only replaced
//! when the person confirms).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::assessment::Assessment;
use crate::domain::persist::{self, ReadError};

pub const BACKUP_FORMAT: &str = "tieuchi-backup/1";

/// The backup file. Assessments are kept in their storage envelope (with `schema_version`), so
/// a backup made by an older release is migrated on restore exactly like stored data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    pub format: String,
    pub created_at: f64,
    pub assessments: Vec<Value>,
    /// Imported frameworks, as their original JSON text.
    #[serde(default)]
    pub frameworks: Vec<String>,
    #[serde(default)]
    pub settings: Option<Value>,
}

impl Backup {
    pub fn new(
        assessments: &[Assessment],
        frameworks: Vec<String>,
        settings: Option<Value>,
        now: f64,
    ) -> Backup {
        Backup {
            format: BACKUP_FORMAT.into(),
            created_at: now,
            assessments: assessments
                .iter()
                .map(|a| serde_json::from_str(&persist::write_assessment(a, now)).unwrap_or(Value::Null))
                .collect(),
            frameworks,
            settings,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BackupError {
    #[error("not a backup file: {0}")]
    NotJson(String),
    #[error("unknown backup format “{0}”")]
    Format(String),
    #[error("assessment #{index} cannot be read: {error}")]
    Assessment { index: usize, error: ReadError },
}

/// What restoring would do, decided before anything is written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RestorePlan {
    /// Not stored yet.
    pub add: Vec<Assessment>,
    /// Stored, but the backup's copy is newer: replaced.
    pub update: Vec<Assessment>,
    /// Stored and newer than the backup's copy: replaced only if confirmed.
    pub newer_here: Vec<Assessment>,
    /// Identical: nothing to do.
    pub same: usize,
    pub frameworks: Vec<String>,
}

/// Reads a backup and compares it with what is stored. Fails as a whole on any unreadable
/// assessment, so a restore never half-applies a damaged file.
pub fn plan_restore(
    text: &str,
    stored: &dyn Fn(&str) -> Option<Assessment>,
) -> Result<RestorePlan, BackupError> {
    let backup: Backup = serde_json::from_str(text).map_err(|e| BackupError::NotJson(e.to_string()))?;
    if backup.format != BACKUP_FORMAT {
        return Err(BackupError::Format(backup.format));
    }
    let mut plan = RestorePlan { frameworks: backup.frameworks, ..Default::default() };
    for (index, v) in backup.assessments.iter().enumerate() {
        let a = persist::read_assessment(&v.to_string())
            .map_err(|error| BackupError::Assessment { index, error })?;
        match stored(&a.id) {
            None => plan.add.push(a),
            Some(here) if here == a => plan.same += 1,
            Some(here) if here.updated_at > a.updated_at => plan.newer_here.push(a),
            Some(_) => plan.update.push(a),
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::assessment::Commune;

    fn a(id: &str, t: f64) -> Assessment {
        Assessment {
            id: id.into(),
            framework_id: "f".into(),
            framework_version: "1".into(),
            commune: Commune { name: format!("Xã {id}"), province: "Cà Mau".into(), ..Default::default() },
            round: 2020,
            dimension_value: "dbscl".into(),
            assessors: vec![],
            entries: Default::default(),
            workflow: Default::default(),
            roster: Default::default(),
            created_at: 0.0,
            updated_at: t,
        }
    }

    #[test]
    fn plan_merges_by_id_and_holds_back_newer_local_copies() {
        let backup = Backup::new(
            &[a("new", 5.0), a("older-here", 5.0), a("newer-here", 5.0), a("same", 5.0)],
            vec![],
            None,
            9.0,
        );
        let text = serde_json::to_string(&backup).expect("serialises");
        let stored = |id: &str| match id {
            "older-here" => Some(a(id, 1.0)),
            "newer-here" => Some(a(id, 8.0)),
            "same" => Some(a(id, 5.0)),
            _ => None,
        };
        let plan = plan_restore(&text, &stored).expect("plan");
        assert_eq!(plan.add.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["new"]);
        assert_eq!(plan.update.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["older-here"]);
        assert_eq!(plan.newer_here.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["newer-here"]);
        assert_eq!(plan.same, 1);
    }

    #[test]
    fn damaged_backups_are_refused_whole() {
        assert!(matches!(plan_restore("{", &|_| None), Err(BackupError::NotJson(_))));
        let bad = r#"{"format":"tieuchi-backup/1","created_at":0,"assessments":[{"schema_version":1}]}"#;
        assert!(matches!(plan_restore(bad, &|_| None), Err(BackupError::Assessment { index: 0, .. })));
        let other = r#"{"format":"x","created_at":0,"assessments":[]}"#;
        assert!(matches!(plan_restore(other, &|_| None), Err(BackupError::Format(_))));
    }
}
