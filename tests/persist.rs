//! The persisted format: round trips are the identity (roster, workflow, typed counts and
//! document references included), every old schema version has a fixture that still reads,
//! fields this release does not know survive a read and a write, a record of a newer schema is
//! marked read-only, and the serialized field names are pinned to the schema version.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::Value;
use tieuchi::domain::answer::RawAnswer;
use tieuchi::domain::assessment::{Assessment, Commune, Entry, Person};
use tieuchi::domain::persist::{read_assessment, write_assessment, ReadError, SCHEMA_VERSION};
use tieuchi::domain::revision::Rev;
use tieuchi::domain::roster::{Cadre, Confirmation, Roster};
use tieuchi::domain::workflow::{AuditEvent, AuditKind, Review, Role, Stage, Step, Workflow};

#[test]
fn schema_v1_fixture_reads() {
    let raw = include_str!("fixtures/persist/assessment-v1.json");
    let a = read_assessment(raw).expect("v1 fixture");
    assert_eq!(a.commune.name, "Xã Vĩnh Thanh");
    assert_eq!(a.answer("15.1"), Some(&RawAnswer::Pair("83".into(), "100".into())));
    assert_eq!(a.entries["10"].note, "Báo cáo UBND xã");
    assert!(a.rev.is_empty(), "a record from before revisions has none");
}

/// A version-2 record (as the release before the `triple` answer wrote it) reads unchanged, and
/// is written back as version 3 with the same content.
#[test]
fn schema_v2_fixture_reads_and_writes_back_as_the_current_version() {
    let raw = include_str!("fixtures/persist/assessment-v2.json");
    let a = read_assessment(raw).expect("v2 fixture");
    assert_eq!(a.commune.name, "Xã Vĩnh Thanh");
    assert_eq!(a.answer("15.1"), Some(&RawAnswer::Pair("10500".into(), "11800".into())));
    assert!(!a.rev.is_empty());
    assert!(a.read_only_schema().is_none());
    let written = write_assessment(&a, 9.0);
    assert!(written.starts_with(&format!("{{\"schema_version\":{SCHEMA_VERSION},")));
    assert_eq!(read_assessment(&written).expect("reads back"), a);
}

/// A version-3 record (before the audit could say an assessment moved to another version of
/// its set) reads unchanged, and is written back as the current version with the same content.
#[test]
fn schema_v3_fixture_reads_and_writes_back_as_the_current_version() {
    let raw = include_str!("fixtures/persist/assessment-v3.json");
    let a = read_assessment(raw).expect("v3 fixture");
    assert_eq!(a.commune.name, "Xã Vĩnh Thanh");
    assert_eq!(a.answer("17.1"), Some(&RawAnswer::Triple("9.600".into(), "10.000".into(), "6.500".into())));
    assert!(a.read_only_schema().is_none());
    let written = write_assessment(&a, 9.0);
    assert!(written.starts_with(&format!("{{\"schema_version\":{SCHEMA_VERSION},")));
    assert_eq!(read_assessment(&written).expect("reads back"), a);
}

/// A version-4 record (before audit lines and reviews carried the server account) reads
/// unchanged, with no account on any line, and is written back as the current version.
#[test]
fn schema_v4_fixture_reads_and_writes_back_as_the_current_version() {
    let raw = include_str!("fixtures/persist/assessment-v4.json");
    let a = read_assessment(raw).expect("v4 fixture");
    assert_eq!(a.workflow.audit.len(), 4);
    assert!(a.workflow.audit.iter().all(|e| e.account.is_none()));
    assert!(a.workflow.reviews.values().all(|r| r.account.is_none()));
    assert!(a.read_only_schema().is_none());
    let written = write_assessment(&a, 9.0);
    assert!(written.starts_with(&format!("{{\"schema_version\":{SCHEMA_VERSION},")));
    assert!(!written.contains("\"account\""));
    assert_eq!(read_assessment(&written).expect("reads back"), a);
}

/// A version-5 record (before "không xem xét" and the recognition decision) reads unchanged,
/// its accounts kept, and is written back as the current version without either new field.
#[test]
fn schema_v5_fixture_reads_and_writes_back_as_the_current_version() {
    let raw = include_str!("fixtures/persist/assessment-v5.json");
    let a = read_assessment(raw).expect("v5 fixture");
    assert_eq!(a.workflow.audit[0].account.as_deref(), Some("xa1"));
    assert_eq!(a.workflow.reviews["15.1"].account.as_deref(), Some("tt1"));
    assert!(a.entries.values().all(|e| !e.not_assessed));
    assert!(a.workflow.audit.iter().all(|e| e.decision.is_none()));
    assert!(a.read_only_schema().is_none());
    let written = write_assessment(&a, 9.0);
    assert!(written.starts_with(&format!("{{\"schema_version\":{SCHEMA_VERSION},")));
    assert!(!written.contains("\"not_assessed\"") && !written.contains("\"decision\""));
    assert_eq!(read_assessment(&written).expect("reads back"), a);
}

/// Every record an earlier release wrote still proves its stage by its signed steps (none is
/// kept apart as invalid after this release's check at start-up).
#[test]
fn every_fixture_of_an_earlier_release_proves_its_stage() {
    for raw in [
        include_str!("fixtures/persist/assessment-v1.json"),
        include_str!("fixtures/persist/assessment-v1-signed.json"),
        include_str!("fixtures/persist/assessment-v2.json"),
        include_str!("fixtures/persist/assessment-v3.json"),
        include_str!("fixtures/persist/assessment-v4.json"),
        include_str!("fixtures/persist/assessment-v5.json"),
    ] {
        let a = read_assessment(raw).expect("reads");
        assert_eq!(a.workflow.verify(), Ok(()), "{}", a.id);
    }
}

/// A real v1 record with the fields that were added in place within schema 1 (workflow with a
/// recognised audit trail, roster, a typed 18.1 count, a document reference): all of them come
/// through the migration, and writing it back keeps them.
#[test]
fn schema_v1_signed_record_migrates_with_its_audit_trail_and_roster() {
    let raw = include_str!("fixtures/persist/assessment-v1-signed.json");
    let a = read_assessment(raw).expect("v1 signed fixture");
    assert_eq!(a.workflow.stage, Stage::Recognised);
    assert_eq!(a.workflow.audit.len(), 5);
    assert_eq!(a.workflow.reviews["15.1"].comment, "Đã đối chiếu danh sách BHXH");
    assert_eq!(a.roster.people[0].name, "Lê Văn C");
    assert_eq!(a.entries["18.1"].typed, Some(RawAnswer::Pair("9".into(), "10".into())));
    assert!(a.entries["15.1"].source_ref.starts_with("Báo cáo BHXH"));
    let written = write_assessment(&a, 1.0);
    assert!(written.starts_with(&format!("{{\"schema_version\":{SCHEMA_VERSION},")));
    assert_eq!(read_assessment(&written).expect("reads back"), a);
}

#[test]
fn unreadable_values_are_errors() {
    assert!(matches!(read_assessment("{not json"), Err(ReadError::NotJson(_))));
    assert!(matches!(read_assessment("{}"), Err(ReadError::NoVersion)));
    assert!(matches!(read_assessment(r#"{"schema_version": 99}"#), Err(ReadError::TooNew(99))));
    assert!(matches!(
        read_assessment(r#"{"schema_version": 1, "saved_at": 0}"#),
        Err(ReadError::Shape { .. })
    ));
}

/// What a newer release might add: a field on the record, on an entry, in the workflow, and
/// beside the envelope. This release keeps each where it was when it writes the record back.
#[test]
fn unknown_fields_survive_a_read_and_a_write() {
    let mut tree: Value = serde_json::from_str(&write_assessment(&full(), 5.0)).expect("json");
    tree["assessment"]["photos"] = serde_json::json!(["a.jpg"]);
    tree["assessment"]["entries"]["15.1"]["gps"] = serde_json::json!({"lat": 9.3, "lon": 105.7});
    tree["assessment"]["workflow"]["signatures"] = serde_json::json!([{"alg": "ed25519"}]);
    tree["origin"] = serde_json::json!("tinh");
    let a = read_assessment(&tree.to_string()).expect("reads");
    assert_eq!(a.kept.unknown.len(), 4);
    let mut edited = a.clone();
    edited.set_answer("1.1", Some(RawAnswer::Flag(false)), 9.0);
    let back: Value = serde_json::from_str(&write_assessment(&edited, 9.0)).expect("json");
    assert_eq!(back["assessment"]["photos"], tree["assessment"]["photos"]);
    assert_eq!(back["assessment"]["entries"]["15.1"]["gps"], tree["assessment"]["entries"]["15.1"]["gps"]);
    assert_eq!(back["assessment"]["workflow"]["signatures"], tree["assessment"]["workflow"]["signatures"]);
    assert_eq!(back["origin"], "tinh");
    assert_eq!(back["assessment"]["entries"]["1.1"]["answer"]["v"], false, "the edit is written too");
}

/// Inside tagged values too: a field a newer release adds to an audit line's kind (tagged by
/// `type`), to a step inside it, and to an answer (tagged by `t`) is kept where it was.
#[test]
fn unknown_fields_inside_tagged_values_survive_a_read_and_a_write() {
    let mut tree: Value = serde_json::from_str(&write_assessment(&full(), 5.0)).expect("json");
    tree["assessment"]["workflow"]["audit"][0]["kind"]["signature"] = serde_json::json!("MEUCIQ");
    tree["assessment"]["workflow"]["audit"][0]["kind"]["step"]["basis"] = serde_json::json!("TT 12");
    tree["assessment"]["entries"]["15.1"]["answer"]["unit"] = serde_json::json!("người");
    let a = read_assessment(&tree.to_string()).expect("reads");
    assert_eq!(a.kept.unknown.len(), 3);
    let mut edited = a.clone();
    edited.set_answer("1.1", Some(RawAnswer::Flag(false)), 9.0);
    let back: Value = serde_json::from_str(&write_assessment(&edited, 9.0)).expect("json");
    assert_eq!(back["assessment"]["workflow"]["audit"], tree["assessment"]["workflow"]["audit"]);
    assert_eq!(back["assessment"]["entries"]["15.1"], tree["assessment"]["entries"]["15.1"]);
    assert_eq!(back["assessment"]["entries"]["1.1"]["answer"]["v"], false);
}

/// What this release writes has nothing unknown in it, and a field written only when set
/// (an empty note, no revision) but stored explicitly reads, writes and reads again the same.
#[test]
fn fields_written_only_when_set_read_the_same_when_stored_explicitly() {
    let a = full();
    assert!(read_assessment(&write_assessment(&a, 5.0)).expect("reads").kept.unknown.is_empty());
    let mut tree: Value = serde_json::from_str(&write_assessment(&a, 5.0)).expect("json");
    tree["assessment"]["entries"]["1.1"]["note"] = Value::from("");
    tree["assessment"]["entries"]["1.1"]["typed"] = Value::Null;
    let read = read_assessment(&tree.to_string()).expect("reads");
    assert_eq!(read.entries, a.entries);
    let again = read_assessment(&write_assessment(&read, 5.0)).expect("reads again");
    assert_eq!(again.entries, a.entries);
    // An officer's note typed later is what is written, not the empty one stored before.
    let mut noted = read.clone();
    noted.entries.get_mut("1.1").expect("entry").note = "Biên bản 3".into();
    let back = read_assessment(&write_assessment(&noted, 6.0)).expect("reads");
    assert_eq!(back.entries["1.1"].note, "Biên bản 3");
}

#[test]
fn a_record_of_a_newer_schema_is_read_but_marked_read_only() {
    let mut tree: Value = serde_json::from_str(&write_assessment(&full(), 5.0)).expect("json");
    tree["schema_version"] = Value::from(SCHEMA_VERSION + 1);
    let a = read_assessment(&tree.to_string()).expect("reads what it knows");
    assert_eq!(a.read_only_schema(), Some(SCHEMA_VERSION + 1));
    assert_eq!(a.commune.name, "Xã Vĩnh Thanh");
    // Not even a shape this release can read: an error, kept raw by the caller.
    let other = format!(r#"{{"schema_version":{},"assessment":{{"id":1}}}}"#, SCHEMA_VERSION + 1);
    assert_eq!(read_assessment(&other), Err(ReadError::TooNew(SCHEMA_VERSION + 1)));
}

/// Every field a stored record can have, each set (the struct literals name every field, so a
/// new field does not compile here until it is given a value).
fn full() -> Assessment {
    let signer = Person { name: "Phạm Văn D".into(), title: "Chuyên viên".into() };
    let mut entries = BTreeMap::new();
    entries.insert(
        "15.1".to_string(),
        Entry {
            answer: Some(RawAnswer::Pair("10500".into(), "11800".into())),
            note: "Danh sách BHXH".into(),
            source_ref: "12/BC-BHXH".into(),
            typed: Some(RawAnswer::Text("89".into())),
            not_assessed: false,
        },
    );
    entries.insert(
        "1.1".to_string(),
        Entry {
            answer: Some(RawAnswer::Flag(true)),
            note: String::new(),
            source_ref: String::new(),
            typed: None,
            not_assessed: true,
        },
    );
    let audit = vec![
        AuditEvent {
            at: 1.0,
            by: signer.clone(),
            kind: AuditKind::Stage { from: Stage::Draft, to: Stage::Submitted, step: Step::Submit },
            role: Some(Role::Commune),
            account: Some("xa1".into()),
            // Only a recognition carries one; here to pin the field's name.
            decision: Some(tieuchi::domain::workflow::RecognitionDecision {
                number: "12/QĐ-UBND".into(),
                date: "2026-11-20".into(),
            }),
        },
        AuditEvent {
            at: 2.0,
            by: signer.clone(),
            kind: AuditKind::Review {
                indicator: "15.1".into(),
                comment: "ok".into(),
                override_met: Some(true),
            },
            role: None,
            account: None,
            decision: None,
        },
        AuditEvent {
            at: 2.5,
            by: signer.clone(),
            kind: AuditKind::Condition { id: "no_debt".into(), met: true },
            role: None,
            account: None,
            decision: None,
        },
    ];
    Assessment {
        id: "x".into(),
        framework_id: "ntm-xa-2016-2020".into(),
        framework_version: "1980/2016".into(),
        commune: Commune {
            code: Some("31882".into()),
            name: "Xã Vĩnh Thanh".into(),
            province: "Cà Mau".into(),
            district: Some("Huyện Phước Long".into()),
        },
        round: 2020,
        dimension_value: "dbscl".into(),
        assessed_on: "2020-10-15".into(),
        assessors: vec![signer.clone()],
        entries,
        roster: Roster {
            people: vec![Cadre {
                id: "p1".into(),
                name: "Lê Văn C".into(),
                title: "cong_chuc_dia_chinh".into(),
                birth_year: Some(1980),
                levels: BTreeMap::from([("professional".to_string(), "dai_hoc".to_string())]),
                field: "Quản lý đất đai".into(),
                appointed: "2016-06-01".into(),
                difficult_area: true,
                confirmed: Some(Confirmation { met: true, basis: "CV 12/BTCHU".into() }),
            }],
        },
        workflow: Workflow {
            stage: Stage::Submitted,
            reviews: BTreeMap::from([(
                "15.1".to_string(),
                Review {
                    comment: "ok".into(),
                    override_met: Some(true),
                    by: signer,
                    at: 2.0,
                    account: Some("tham_tra1".into()),
                },
            )]),
            audit,
            conditions: BTreeSet::from(["no_debt".to_string()]),
        },
        created_at: 1.0,
        updated_at: 2.0,
        rev: Rev::default().bumped("d1"),
        kept: Default::default(),
    }
}

fn field_paths(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                // Map keys that are data (indicator ids, scale ids, device ids) become `*`.
                let data_key = ["entries", "reviews", "levels", "rev"].iter().any(|p| prefix.ends_with(p));
                let path = format!("{prefix}.{}", if data_key { "*" } else { k });
                out.insert(path.clone());
                // The tags of tagged enums are part of the shape too: a reader that does not know
                // a tag cannot read the record.
                if let (true, Value::String(tag)) = (k == "t" || k == "type", child) {
                    out.insert(format!("{path}={tag}"));
                }
                field_paths(child, &path, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                field_paths(item, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

/// The serialized field names of schema N are pinned in `fixtures/persist/schema-N-fields.txt`.
/// Adding, renaming or removing a stored field fails this test until `SCHEMA_VERSION` is bumped
/// with a migration, an old-version fixture and a new snapshot: an older release must never
/// read a record whose fields it silently drops.
#[test]
fn serialized_field_names_are_pinned_to_the_schema_version() {
    let mut a = full();
    // Every other shape of the tagged enums, so their fields are seen too.
    a.entries.insert("2".into(), Entry { answer: Some(RawAnswer::Choice("a".into())), ..Default::default() });
    a.entries.insert(
        "3".into(),
        Entry { answer: Some(RawAnswer::Checks(BTreeSet::from(["x".to_string()]))), ..Default::default() },
    );
    for (id, answer) in [
        ("4", RawAnswer::Flag(true)),
        ("5", RawAnswer::Text("1".into())),
        ("6", RawAnswer::Pair("1".into(), "2".into())),
        ("7", RawAnswer::Triple("2".into(), "3".into(), "1".into())),
    ] {
        a.entries.insert(id.into(), Entry { answer: Some(answer), ..Default::default() });
    }
    a.workflow.audit.push(AuditEvent {
        role: Some(Role::Reviewer),
        account: Some("tham_tra1".into()),
        decision: None,
        at: 3.0,
        by: Person::default(),
        kind: AuditKind::Stage {
            from: Stage::Submitted,
            to: Stage::Draft,
            step: Step::Return { reason: "thiếu minh chứng".into() },
        },
    });
    a.workflow.audit.push(AuditEvent {
        role: None,
        account: None,
        decision: None,
        at: 4.0,
        by: Person::default(),
        kind: AuditKind::Framework { from: "a@1".into(), to: "a@2".into() },
    });
    let tree: Value = serde_json::from_str(&write_assessment(&a, 5.0)).expect("json");
    let mut paths = BTreeSet::new();
    field_paths(&tree, "", &mut paths);
    let found: Vec<&str> = paths.iter().map(String::as_str).collect();
    let file =
        format!("{}/tests/fixtures/persist/schema-{SCHEMA_VERSION}-fields.txt", env!("CARGO_MANIFEST_DIR"));
    let pinned = std::fs::read_to_string(&file).unwrap_or_else(|_| {
        panic!("{file} is missing: pin the field list of schema {SCHEMA_VERSION}, now:\n{}", found.join("\n"))
    });
    let pinned: Vec<&str> = pinned.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        found, pinned,
        "stored fields changed: bump SCHEMA_VERSION, add a migration and a fixture of the old version, and pin the new list"
    );
}

fn raw_answer() -> impl Strategy<Value = RawAnswer> {
    prop_oneof![
        any::<bool>().prop_map(RawAnswer::Flag),
        ".{0,12}".prop_map(RawAnswer::Text),
        (".{0,6}", ".{0,6}").prop_map(|(a, b)| RawAnswer::Pair(a, b)),
        (".{0,6}", ".{0,6}", ".{0,6}").prop_map(|(a, b, c)| RawAnswer::Triple(a, b, c)),
        "[a-z]{0,4}".prop_map(RawAnswer::Choice),
        proptest::collection::btree_set("[a-z]{1,3}", 0..4).prop_map(RawAnswer::Checks),
    ]
}

proptest! {
    /// Writing then reading an assessment gives back exactly the same assessment, with its
    /// roster, workflow, typed counts, document references and revision.
    #[test]
    fn round_trip_is_identity(
        name in ".{0,30}",
        entries in proptest::collection::btree_map(
            "[0-9]{1,2}\\.[0-9]",
            (proptest::option::of(raw_answer()), ".{0,20}", ".{0,12}", proptest::option::of(raw_answer())),
            0..20,
        ),
        round in 2000u16..2100,
        t in 0.0f64..4e12,
        writes in 0u64..50,
        cadre in ".{0,20}",
        stage_steps in 0usize..4,
    ) {
        let mut a = full();
        a.commune.name = name;
        a.round = round;
        a.created_at = t;
        a.updated_at = t;
        a.entries = entries
            .into_iter()
            .map(|(k, (answer, note, source_ref, typed))| (k, Entry { answer, note, source_ref, typed, not_assessed: false }))
            .collect();
        a.roster.people[0].name = cadre;
        a.rev = (0..writes).fold(Rev::default(), |r, i| r.bumped(if i % 3 == 0 { "a" } else { "b" }));
        a.workflow = Workflow::default();
        for (i, step) in [Step::Submit, Step::Review, Step::Appraise, Step::Recognise].into_iter().take(stage_steps).enumerate() {
            let by = Person { name: format!("Người ký {i}"), title: "B".into() };
            a.workflow = a.workflow.apply(step, &by, t, true).expect("step");
        }
        let back = read_assessment(&write_assessment(&a, t)).expect("reads back");
        prop_assert_eq!(back, a);
    }
}

/// Every object in a stored record, by path (keys and indices).
fn object_paths(v: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => {
            out.push(path.clone());
            for (k, child) in m {
                path.push(Value::from(k.as_str()));
                object_paths(child, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(Value::from(i));
                object_paths(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'v>(v: &'v mut Value, path: &[Value]) -> &'v mut Value {
    path.iter().fold(v, |node, seg| match seg {
        Value::String(k) => &mut node[k.as_str()],
        _ => &mut node[seg.as_u64().expect("index") as usize],
    })
}

proptest! {
    /// A field a newer release adds to any object of a record, at any depth, is written back
    /// where it was after this release reads the record and an officer edits it.
    #[test]
    fn an_unknown_field_anywhere_survives_an_edit(pick in 0usize..1000, value in ".{0,12}") {
        let mut tree: Value = serde_json::from_str(&write_assessment(&full(), 5.0)).expect("json");
        let mut paths = Vec::new();
        object_paths(&tree, &mut Vec::new(), &mut paths);
        let path = paths[pick % paths.len()].clone();
        at_mut(&mut tree, &path)["zz_added"] = Value::from(value.clone());
        // In a map (entries, reviews, levels, the revision) the key is data, not a field: the
        // record may not read then (an entry must be an object), and it is refused whole.
        let Ok(a) = read_assessment(&tree.to_string()) else {
            prop_assert!(matches!(path.last().and_then(Value::as_str), Some("entries" | "reviews" | "rev")), "{:?}", path);
            return Ok(());
        };
        let is_map = matches!(path.last().and_then(Value::as_str), Some("levels"));
        prop_assert_eq!(a.kept.unknown.len(), usize::from(!is_map), "{:?}", path);
        let mut edited = a.clone();
        edited.set_answer("1.1", Some(RawAnswer::Flag(false)), 9.0);
        let mut back: Value = serde_json::from_str(&write_assessment(&edited, 9.0)).expect("json");
        prop_assert_eq!(at_mut(&mut back, &path)["zz_added"].clone(), Value::from(value));
    }
}

#[test]
fn a_save_reads_the_stored_revision_without_the_record() {
    let commune =
        Commune { name: "Xã Vĩnh Hậu".into(), province: "Cà Mau".into(), ..Default::default() };
    let mut a = Assessment::new("p".into(), ("ntm-xa-2016-2020", "1980/2016"), commune, 2020, "dbscl", 1.0);
    a.rev = Rev::default().bumped("tablet").bumped("tablet");
    let text = write_assessment(&a, 1_790_000_000_123.5);
    let peeked = tieuchi::domain::persist::peek_rev(&text).expect("a stored envelope");
    assert_eq!(peeked, (SCHEMA_VERSION, 1_790_000_000_123.5, read_assessment(&text).expect("reads").rev));
    assert_eq!(peeked.2 .0["tablet"], 2);
    assert_eq!(
        tieuchi::domain::persist::peek_rev("{\"schema_version\": 6}"),
        None,
        "no record: the full reading decides"
    );
    assert_eq!(tieuchi::domain::persist::peek_rev("not json"), None);
}
