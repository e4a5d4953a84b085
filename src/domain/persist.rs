//! The persisted format: a versioned envelope around each stored record, and pure migrations
//! from every older schema version to the current one. Knows nothing about localStorage; `io`
//! stores the strings this module produces.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::assessment::Assessment;

/// The schema version this release writes.
pub const SCHEMA_VERSION: u32 = 1;

/// Key prefix of everything the app stores.
pub const PREFIX: &str = "tieuchi/v1/";

pub fn assessment_key(id: &str) -> String {
    format!("{PREFIX}assessment/{id}")
}
pub fn framework_key(framework_key: &str) -> String {
    format!("{PREFIX}framework/{framework_key}")
}
pub fn units_key(id: &str) -> String {
    format!("{PREFIX}units/{id}")
}
pub const SETTINGS_KEY: &str = "tieuchi/v1/settings";

#[derive(Debug, Serialize)]
struct Envelope<T> {
    schema_version: u32,
    saved_at: f64,
    #[serde(flatten)]
    body: T,
}

#[derive(Debug, Serialize)]
struct AssessmentBody<'a> {
    assessment: &'a Assessment,
}

/// Why a stored value could not be read. The raw value is kept by the caller (quarantined),
/// never deleted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("no schema_version")]
    NoVersion,
    #[error("schema_version {0} is newer than this release reads ({SCHEMA_VERSION})")]
    TooNew(u32),
    #[error("does not match schema {version}: {detail}")]
    Shape { version: u32, detail: String },
}

/// Serialises an assessment in the current envelope.
pub fn write_assessment(a: &Assessment, saved_at: f64) -> String {
    let env = Envelope { schema_version: SCHEMA_VERSION, saved_at, body: AssessmentBody { assessment: a } };
    serde_json::to_string(&env).expect("an assessment always serialises: plain data, string keys")
}

/// Reads a stored assessment of any known schema version, migrating it to the current one.
pub fn read_assessment(raw: &str) -> Result<Assessment, ReadError> {
    // The current version is read straight into the struct; start-up reads every stored
    // assessment, and a JSON tree first would double the work.
    #[derive(Deserialize)]
    struct Current {
        schema_version: u32,
        assessment: Assessment,
    }
    if let Ok(Current { schema_version: SCHEMA_VERSION, assessment }) = serde_json::from_str(raw) {
        return Ok(assessment);
    }
    // Otherwise: which version is it, migrate the JSON tree, and read the result as text again
    // (one deserializer for `Assessment` in the binary, not two).
    let value: Value = serde_json::from_str(raw).map_err(|e| ReadError::NotJson(e.to_string()))?;
    let version = value.get("schema_version").and_then(Value::as_u64).ok_or(ReadError::NoVersion)? as u32;
    if version > SCHEMA_VERSION {
        return Err(ReadError::TooNew(version));
    }
    let current = migrate(version, value)?.to_string();
    serde_json::from_str::<Current>(&current)
        .map(|c| c.assessment)
        .map_err(|e| ReadError::Shape { version: SCHEMA_VERSION, detail: e.to_string() })
}

/// Applies migrations one version at a time up to `SCHEMA_VERSION`. Each step is a pure function
/// of the JSON value; each old version has a fixture test in `tests/persist.rs`.
fn migrate(version: u32, value: Value) -> Result<Value, ReadError> {
    // Version 1 is the first release, so there is nothing to migrate yet. A future version N adds
    // `N-1 => migrate_to_N(value)?` here and a fixture of version N-1 to `tests/persist.rs`.
    match version {
        SCHEMA_VERSION => Ok(value),
        v => Err(ReadError::Shape { version: v, detail: "no migration from this version".into() }),
    }
}
