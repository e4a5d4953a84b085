//! The persisted format: round trips are the identity, every old schema version has a fixture
//! that still reads, and unreadable values give an error instead of a panic or a silent default.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use tieuchi::domain::answer::RawAnswer;
use tieuchi::domain::assessment::{Assessment, Commune, Entry, Person};
use tieuchi::domain::persist::{read_assessment, write_assessment, ReadError};

#[test]
fn schema_v1_fixture_reads() {
    let raw = include_str!("fixtures/persist/assessment-v1.json");
    let a = read_assessment(raw).expect("v1 fixture");
    assert_eq!(a.commune.name, "Xã Vĩnh Thanh");
    assert_eq!(a.answer("15.1"), Some(&RawAnswer::Pair("83".into(), "100".into())));
    assert_eq!(a.entries["10"].note, "Báo cáo UBND xã");
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

fn raw_answer() -> impl Strategy<Value = RawAnswer> {
    prop_oneof![
        any::<bool>().prop_map(RawAnswer::Flag),
        ".{0,12}".prop_map(RawAnswer::Text),
        (".{0,6}", ".{0,6}").prop_map(|(a, b)| RawAnswer::Pair(a, b)),
        "[a-z]{0,4}".prop_map(RawAnswer::Choice),
        proptest::collection::btree_set("[a-z]{1,3}", 0..4).prop_map(RawAnswer::Checks),
    ]
}

proptest! {
    /// Writing then reading an assessment gives back exactly the same assessment.
    #[test]
    fn round_trip_is_identity(
        name in ".{0,30}",
        entries in proptest::collection::btree_map("[0-9]{1,2}\\.[0-9]", (proptest::option::of(raw_answer()), ".{0,20}"), 0..20),
        round in 2000u16..2100,
        t in 0.0f64..4e12,
    ) {
        let a = Assessment {
            id: "x".into(),
            framework_id: "f".into(),
            framework_version: "1".into(),
            commune: Commune { code: Some("31834".into()), name, province: "Cà Mau".into(), district: None },
            round,
            dimension_value: "dbscl".into(),
            assessors: vec![Person { name: "Nguyễn Văn A".into(), title: "Cán bộ".into() }],
            entries: entries.into_iter().map(|(k, (answer, note))| (k, Entry { answer, note, ..Default::default() })).collect(),
            workflow: Default::default(),
            roster: Default::default(),
            created_at: t,
            updated_at: t,
        };
        let back = read_assessment(&write_assessment(&a, t)).expect("reads back");
        prop_assert_eq!(back, a);
    }
}
