//! The persisted format: a versioned envelope around each stored record, and pure migrations
//! from every older schema version to the current one. Fields this release does not know (a
//! newer release added them) are kept and written back where they were; a record of a newer
//! schema is read for display but marked so that it is never written. Knows nothing about
//! localStorage; `io` stores the strings this module produces.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::assessment::Assessment;

/// The schema version this release writes. Version 2 added `rev` (revisions) and made
/// `workflow`, `roster` and `entries.*.typed` part of the schema (they were added in place
/// within version 1, which older readers dropped on their next write). Version 3 added the
/// answer shape `triple` (a ratio with a "trong đó" part, 17.1), which a version-2 reader
/// cannot read: it must show such a record read-only instead of failing on it.
pub const SCHEMA_VERSION: u32 = 4;

/// Key prefix of everything the app stores. (Not the schema version: keys never change.)
pub const PREFIX: &str = "tieuchi/v1/";

pub fn assessment_key(id: &str) -> String {
    format!("{PREFIX}assessment/{id}")
}
pub fn framework_key(framework_key: &str) -> String {
    format!("{PREFIX}framework/{framework_key}")
}
/// A criteria set being edited (`domain::framework::edit::Draft`), backed up like a record.
pub fn framework_draft_key(id: &str) -> String {
    format!("{PREFIX}framework-draft/{id}")
}
pub fn units_key(id: &str) -> String {
    format!("{PREFIX}units/{id}")
}
/// An assessment moved to the trash (same envelope as a stored one).
pub fn trash_key(id: &str) -> String {
    format!("{PREFIX}trash/{id}")
}
/// The other side of a conflict on assessment `id`, kept until the officer resolves it.
pub fn conflict_key(id: &str) -> String {
    format!("{PREFIX}conflict/{id}")
}
pub const SETTINGS_KEY: &str = "tieuchi/v1/settings";
/// Everything this browser knows of a sync server (not backed up: it describes this device's
/// relation to the server, and is rebuilt from the revisions if lost).
pub const SYNC_PREFIX: &str = "tieuchi/v1/sync/";
pub const SYNC_CONFIG_KEY: &str = "tieuchi/v1/sync/config";
pub const SYNC_CHECKPOINT_KEY: &str = "tieuchi/v1/sync/checkpoint";
/// Imported frameworks already on the server (a JSON list of `id@version`).
pub const SYNC_FRAMEWORKS_KEY: &str = "tieuchi/v1/sync/frameworks";
/// What this device knows of assessment `id` on the server (`domain::sync::DocState`).
pub fn sync_doc_key(id: &str) -> String {
    format!("{SYNC_PREFIX}doc/{id}")
}
/// The last copy of assessment `id` both this device and the server had (the base of a
/// three-way merge), kept only while it has unsynced edits.
pub fn sync_base_key(id: &str) -> String {
    format!("{SYNC_PREFIX}base/{id}")
}
/// This browser's device id (revisions). Not part of a backup: another tablet has its own.
pub const DEVICE_KEY: &str = "tieuchi/v1/device";

/// What reading kept beside the struct: fields this release does not know, and the schema
/// version of a record newer than this release.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Kept {
    /// Unknown fields by their path from the envelope's root, with their values.
    pub unknown: Unknown,
    /// `Some(v)`: written by a newer release (schema `v`): shown, never written.
    pub newer_schema: Option<u32>,
}

/// Fields a release does not know: (path from the envelope's root, value).
pub type Unknown = Vec<(Vec<PathSeg>, Value)>;

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSeg {
    Key(String),
    Index(usize),
}

#[derive(Debug, Serialize)]
struct Envelope<'a> {
    schema_version: u32,
    saved_at: f64,
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

/// Serialises an assessment in the current envelope, with the unknown fields it was read with
/// back in their places.
pub fn write_assessment(a: &Assessment, saved_at: f64) -> String {
    let env = Envelope { schema_version: SCHEMA_VERSION, saved_at, assessment: a };
    if a.kept.unknown.is_empty() {
        return serde_json::to_string(&env).unwrap_or_default();
    }
    // Through text, not `to_value`: one serializer for the record in the binary, not two.
    let text = serde_json::to_string(&env).unwrap_or_default();
    let Ok(mut tree) = serde_json::from_str::<Value>(&text) else { return text };
    for (path, value) in &a.kept.unknown {
        insert_at(&mut tree, path, value.clone());
    }
    tree.to_string()
}

/// Puts `value` at `path` if its parent exists and the place is free.
fn insert_at(tree: &mut Value, path: &[PathSeg], value: Value) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut node = tree;
    for seg in parents {
        node = match (seg, node) {
            (PathSeg::Key(k), Value::Object(m)) => match m.get_mut(k) {
                Some(n) => n,
                None => return,
            },
            (PathSeg::Index(i), Value::Array(v)) => match v.get_mut(*i) {
                Some(n) => n,
                None => return,
            },
            _ => return,
        };
    }
    if let (PathSeg::Key(k), Value::Object(m)) = (last, node) {
        m.entry(k.clone()).or_insert(value);
    }
}

#[derive(Deserialize)]
struct Current {
    schema_version: u32,
    /// Rewritten on every save; read so that it is not taken for an unknown field.
    #[serde(default, rename = "saved_at")]
    _saved_at: f64,
    assessment: Assessment,
}

/// Reads `text` as an envelope, noting the paths of the fields the struct does not take (in the
/// same pass: start-up reads every stored record, and a second pass or a JSON tree per record
/// made a home page of 1,000 assessments 15× slower).
fn parse_noting_unknown(text: &str) -> Result<(Current, Vec<Vec<PathSeg>>), serde_json::Error> {
    let mut unknown = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let c: Current = serde_ignored::deserialize(&mut de, |p| unknown.push(ignored_path(&p)))?;
    de.end()?;
    Ok((c, unknown))
}

/// Whether every migration from `version` up to the current one leaves the record's shape as
/// it is (only the version number changes), so the record is read straight into the struct.
fn shape_compatible_from(version: u32) -> bool {
    // 1 → 2 added `rev` (absent = never revised) and nothing else; 2 → 3 added an answer
    // shape that no older record has; 3 → 4 an audit line (moved to another version of the
    // set) that no older record has.
    (version..SCHEMA_VERSION).all(|v| v == 1 || v == 2 || v == 3)
}

/// Reads a stored assessment of any schema version: older ones are migrated, a newer one is
/// read as far as this release understands it and marked `newer_schema` (never written).
pub fn read_assessment(raw: &str) -> Result<Assessment, ReadError> {
    // Straight into the struct in one pass when the shape allows it (the current version, an
    // older one whose migrations change no field, or a newer one read as far as known).
    if let Ok((c, unknown)) = parse_noting_unknown(raw) {
        let v = c.schema_version;
        if v == SCHEMA_VERSION || (v < SCHEMA_VERSION && shape_compatible_from(v)) {
            return Ok(with_unknown(c.assessment, raw, unknown, None));
        }
        if v > SCHEMA_VERSION {
            return Ok(with_unknown(c.assessment, raw, unknown, Some(v)));
        }
    }
    let value: Value = serde_json::from_str(raw).map_err(|e| ReadError::NotJson(e.to_string()))?;
    let version = value.get("schema_version").and_then(Value::as_u64).ok_or(ReadError::NoVersion)? as u32;
    if version > SCHEMA_VERSION {
        return Err(ReadError::TooNew(version));
    }
    let current = migrate(version, value)?.to_string();
    let (c, unknown) = parse_noting_unknown(&current)
        .map_err(|e| ReadError::Shape { version: SCHEMA_VERSION, detail: e.to_string() })?;
    Ok(with_unknown(c.assessment, &current, unknown, None))
}

/// Keeps the values of the unknown fields (a JSON tree is read only when there are some).
fn with_unknown(
    mut a: Assessment,
    text: &str,
    unknown: Vec<Vec<PathSeg>>,
    newer_schema: Option<u32>,
) -> Assessment {
    a.kept.newer_schema = newer_schema;
    if unknown.is_empty() {
        return a;
    }
    let Ok(tree) = serde_json::from_str::<Value>(text) else { return a };
    a.kept.unknown = unknown.into_iter().filter_map(|p| get_at(&tree, &p).cloned().map(|v| (p, v))).collect();
    a
}

fn get_at<'v>(tree: &'v Value, path: &[PathSeg]) -> Option<&'v Value> {
    path.iter().try_fold(tree, |node, seg| match (seg, node) {
        (PathSeg::Key(k), Value::Object(m)) => m.get(k),
        (PathSeg::Index(i), Value::Array(v)) => v.get(*i),
        _ => None,
    })
}

fn ignored_path(p: &serde_ignored::Path<'_>) -> Vec<PathSeg> {
    use serde_ignored::Path as P;
    fn walk(p: &P<'_>, out: &mut Vec<PathSeg>) {
        match p {
            P::Root => {}
            P::Seq { parent, index } => {
                walk(parent, out);
                out.push(PathSeg::Index(*index));
            }
            P::Map { parent, key } => {
                walk(parent, out);
                out.push(PathSeg::Key(key.clone()));
            }
            P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
                walk(parent, out)
            }
        }
    }
    let mut segs = Vec::new();
    walk(p, &mut segs);
    segs
}

/// Applies migrations one version at a time up to `SCHEMA_VERSION`. Each step is a pure function
/// of the JSON value; each old version has a fixture test in `tests/persist.rs`.
fn migrate(version: u32, mut value: Value) -> Result<Value, ReadError> {
    let mut v = version;
    while v < SCHEMA_VERSION {
        value = match v {
            1 => migrate_1_to_2(value),
            2 => migrate_2_to_3(value),
            3 => migrate_3_to_4(value),
            other => {
                return Err(ReadError::Shape {
                    version: other,
                    detail: "no migration from this version".into(),
                })
            }
        };
        v += 1;
    }
    Ok(value)
}

/// 1 → 2: a record from before revisions has none (`rev` absent = never written with one;
/// it precedes every revised copy). `workflow`, `roster` and `typed` keep their v1 shape.
fn migrate_1_to_2(mut value: Value) -> Value {
    if let Some(m) = value.as_object_mut() {
        m.insert("schema_version".into(), Value::from(2));
    }
    value
}

/// 2 → 3: the `triple` answer shape is new; no version-2 record has one, so nothing changes.
fn migrate_2_to_3(mut value: Value) -> Value {
    if let Some(m) = value.as_object_mut() {
        m.insert("schema_version".into(), Value::from(3));
    }
    value
}

/// 3 → 4: the audit trail may say an assessment moved to another version of its set
/// (`type: "framework"`); no version-3 record has such a line.
fn migrate_3_to_4(mut value: Value) -> Value {
    if let Some(m) = value.as_object_mut() {
        m.insert("schema_version".into(), Value::from(4));
    }
    value
}
