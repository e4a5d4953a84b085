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
pub const SCHEMA_VERSION: u32 = 6;

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
/// The signers remembered on this device (`domain::signers::KnownSigners`), apart from the
/// settings so that the first screen does not read them.
pub const SIGNERS_KEY: &str = "tieuchi/v1/signers";
/// Everything this browser knows of a sync server (not backed up: it describes this device's
/// relation to the server, and is rebuilt from the revisions if lost).
pub const SYNC_PREFIX: &str = "tieuchi/v1/sync/";
pub const SYNC_CONFIG_KEY: &str = "tieuchi/v1/sync/config";
pub const SYNC_CHECKPOINT_KEY: &str = "tieuchi/v1/sync/checkpoint";
/// Documents the server sent that were not taken here, with why (`sync::Rejected`).
pub const SYNC_REJECTED_KEY: &str = "tieuchi/v1/sync/rejected";
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

/// The schema, save time and revision of a stored envelope, read without building the record:
/// a save over the copy it was read at needs only these.
pub fn peek_rev(text: &str) -> Option<(u32, f64, crate::domain::revision::Rev)> {
    #[derive(Deserialize)]
    struct Record {
        #[serde(default)]
        rev: crate::domain::revision::Rev,
    }
    #[derive(Deserialize)]
    struct Head {
        schema_version: u32,
        #[serde(default)]
        saved_at: f64,
        assessment: Record,
    }
    serde_json::from_str::<Head>(text).ok().map(|h| (h.schema_version, h.saved_at, h.assessment.rev))
}

#[derive(Deserialize)]
struct Current {
    schema_version: u32,
    /// Rewritten on every save; read to tell whether the text is exactly what this release
    /// writes (then nothing in it is unknown).
    #[serde(default, rename = "saved_at")]
    _saved_at: f64,
    assessment: Assessment,
}

/// Reads `text` as an envelope. Fields the struct does not take are found afterwards, by
/// [`with_unknown`], and only when the text is not what this release would write.
fn parse(text: &str) -> Result<Current, serde_json::Error> {
    serde_json::from_str(text)
}

/// Whether every migration from `version` up to the current one leaves the record's shape as
/// it is (only the version number changes), so the record is read straight into the struct.
fn shape_compatible_from(version: u32) -> bool {
    // 1 → 2 added `rev` (absent = never revised) and nothing else; 2 → 3 added an answer
    // shape that no older record has; 3 → 4 an audit line (moved to another version of the
    // set) that no older record has; 4 → 5 the server account on audit lines and reviews
    // (absent = signed with no account); 5 → 6 an entry's "không xem xét" and the recognition
    // decision on an audit line (absent on every older record).
    (version..SCHEMA_VERSION).all(|v| (1..=5).contains(&v))
}

/// Reads a stored assessment of any schema version: older ones are migrated, a newer one is
/// read as far as this release understands it and marked `newer_schema` (never written).
pub fn read_assessment(raw: &str) -> Result<Assessment, ReadError> {
    // Straight into the struct in one pass when the shape allows it (the current version, an
    // older one whose migrations change no field, or a newer one read as far as known).
    if let Ok(c) = parse(raw) {
        let v = c.schema_version;
        if v == SCHEMA_VERSION || (v < SCHEMA_VERSION && shape_compatible_from(v)) {
            return Ok(with_unknown(c.assessment, raw, c._saved_at, None));
        }
        if v > SCHEMA_VERSION {
            return Ok(with_unknown(c.assessment, raw, c._saved_at, Some(v)));
        }
    }
    let value: Value = serde_json::from_str(raw).map_err(|e| ReadError::NotJson(e.to_string()))?;
    let version = value.get("schema_version").and_then(Value::as_u64).ok_or(ReadError::NoVersion)? as u32;
    if version > SCHEMA_VERSION {
        return Err(ReadError::TooNew(version));
    }
    let current = migrate(version, value)?.to_string();
    let c =
        parse(&current).map_err(|e| ReadError::Shape { version: SCHEMA_VERSION, detail: e.to_string() })?;
    Ok(with_unknown(c.assessment, &current, c._saved_at, None))
}

/// The text to store for an envelope received from elsewhere: a sync server returns a record
/// with its keys in another order, which start-up would otherwise walk key by key on every
/// launch. It is what this release writes for that record when that holds everything the text
/// holds (the current schema, no unknown field); otherwise the text as received.
pub fn stored_form(text: &str) -> String {
    let Ok(c) = parse(text) else { return text.to_owned() };
    if c.schema_version != SCHEMA_VERSION {
        return text.to_owned();
    }
    let saved_at = c._saved_at;
    let a = with_unknown(c.assessment, text, saved_at, None);
    if a.kept.unknown.is_empty() {
        write_assessment(&a, saved_at)
    } else {
        text.to_owned()
    }
}

/// Keeps the fields of `text` that `a` (read from it) does not hold, with their values.
///
/// A record this release wrote with nothing unknown is exactly what it writes again, which one
/// serialisation checks (the usual case). Otherwise (an older schema, a copy pulled by sync
/// and stored in another key order, a newer release's fields) the keys of the text are walked
/// beside the keys of what this release writes, without building either tree: every key the
/// first has and the second lacks is kept, at its path (inside tagged variants too). Only
/// when there are some is the text read as a JSON tree, for their values. A known field that
/// is written only when set (an absent `Option`, an empty note) and was stored explicitly is
/// kept as well; written back, it reads the same.
fn with_unknown(mut a: Assessment, text: &str, saved_at: f64, newer_schema: Option<u32>) -> Assessment {
    a.kept.newer_schema = newer_schema;
    let written = write_assessment(&a, saved_at);
    if written == text {
        return a;
    }
    let (Ok(stored), Ok(mut known)) =
        (serde_json::from_str::<Shape>(text), serde_json::from_str::<Shape>(&written))
    else {
        return a;
    };
    let mut paths = Vec::new();
    unknown_paths(&stored, &mut known, &mut Vec::new(), &mut paths);
    if paths.is_empty() {
        return a;
    }
    let Ok(tree) = serde_json::from_str::<Value>(text) else { return a };
    a.kept.unknown = paths.into_iter().filter_map(|p| get_at(&tree, &p).cloned().map(|v| (p, v))).collect();
    a
}

/// The keys and nesting of a JSON text, without its values (keys borrowed where unescaped).
enum Shape<'a> {
    Leaf,
    List(Vec<Shape<'a>>),
    Object(Vec<(std::borrow::Cow<'a, str>, Shape<'a>)>),
}

struct Key<'a>(std::borrow::Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(v.into()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(v.to_owned().into()))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for Shape<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Shape<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Shape<'de>, E> {
                Ok(Shape::Leaf)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Shape<'de>, E> {
                Ok(Shape::Leaf)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Shape<'de>, E> {
                Ok(Shape::Leaf)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Shape<'de>, E> {
                Ok(Shape::Leaf)
            }
            fn visit_str<E>(self, _: &str) -> Result<Shape<'de>, E> {
                Ok(Shape::Leaf)
            }
            fn visit_unit<E>(self) -> Result<Shape<'de>, E> {
                Ok(Shape::Leaf)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Shape<'de>, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Shape::List(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Shape<'de>, A::Error> {
                let mut fields = Vec::new();
                while let Some((Key(k), v)) = map.next_entry()? {
                    fields.push((k, v));
                }
                Ok(Shape::Object(fields))
            }
        }
        d.deserialize_any(V)
    }
}

/// The paths of the keys `stored` has and `known` lacks (`known`'s objects are sorted here
/// for the lookups: an entries map may hold thousands of keys).
fn unknown_paths<'a>(
    stored: &'a Shape,
    known: &mut Shape,
    path: &mut Vec<Step<'a>>,
    out: &mut Vec<Vec<PathSeg>>,
) {
    match (stored, known) {
        (Shape::Object(s), Shape::Object(k)) => {
            k.sort_unstable_by(|x, y| x.0.cmp(&y.0));
            for (key, value) in s {
                path.push(Step::Key(key));
                match k.binary_search_by(|x| x.0.as_ref().cmp(key.as_ref())) {
                    Ok(i) => unknown_paths(value, &mut k[i].1, path, out),
                    Err(_) => out.push(
                        path.iter()
                            .map(|s| match s {
                                Step::Key(k) => PathSeg::Key(k.to_string()),
                                Step::Index(i) => PathSeg::Index(*i),
                            })
                            .collect(),
                    ),
                }
                path.pop();
            }
        }
        (Shape::List(s), Shape::List(k)) => {
            for (index, (value, kv)) in s.iter().zip(k.iter_mut()).enumerate() {
                path.push(Step::Index(index));
                unknown_paths(value, kv, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// A step of the path being walked, borrowed from the text's keys.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn get_at<'v>(tree: &'v Value, path: &[PathSeg]) -> Option<&'v Value> {
    path.iter().try_fold(tree, |node, seg| match (seg, node) {
        (PathSeg::Key(k), Value::Object(m)) => m.get(k),
        (PathSeg::Index(i), Value::Array(v)) => v.get(*i),
        _ => None,
    })
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
            4 => migrate_4_to_5(value),
            5 => migrate_5_to_6(value),
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

/// 4 → 5: an audit line and a review may carry the server `account` that signed it (the
/// guard checks it); absent on every version-4 record, which means signed with no account.
fn migrate_4_to_5(mut value: Value) -> Value {
    if let Some(m) = value.as_object_mut() {
        m.insert("schema_version".into(), Value::from(5));
    }
    value
}

/// 5 → 6: an entry may be marked "không xem xét" (`not_assessed`) and a recognition line may
/// carry the chair's `decision`; no version-5 record has either, so nothing changes. A release
/// of schema 5 shows a version-6 record read-only rather than dropping them on a write.
fn migrate_5_to_6(mut value: Value) -> Value {
    if let Some(m) = value.as_object_mut() {
        m.insert("schema_version".into(), Value::from(6));
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
