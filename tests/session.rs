//! The signal-free editing core (`state::session`), natively over the in-memory store: who may
//! write a record, and what one flush of the edited records does — written with their revision,
//! a copy changed elsewhere kept as a conflict and never overwritten, a full or missing storage
//! saying so with every edit kept dirty in memory.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use tieuchi::domain::answer::RawAnswer;
use tieuchi::domain::assessment::{Assessment, Commune};
use tieuchi::domain::persist::{self, read_assessment};
use tieuchi::io::kv::{KeyValue, MemoryKv, StorageError};
use tieuchi::state::session::{flush, writable, SaveStatus};

fn record(id: &str) -> Assessment {
    let commune =
        Commune { name: "Xã Vĩnh Thanh".into(), province: "Bạc Liêu".into(), ..Default::default() };
    Assessment::new(id.into(), ("ntm-xa-2016-2020", "1980/2016"), commune, 2020, "dbscl", 1.0)
}

fn here(list: &[&Assessment]) -> BTreeMap<String, Assessment> {
    list.iter().map(|a| (a.id.clone(), (*a).clone())).collect()
}

fn stored(kv: &MemoryKv, id: &str) -> Assessment {
    read_assessment(&kv.get(&persist::assessment_key(id)).expect("get").expect("stored")).expect("reads")
}

fn ids(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_record_is_writable_here_unless_another_tab_holds_it_or_a_newer_release_wrote_it() {
    let a = record("a");
    assert!(writable("a", None, false, Some(&a)));
    assert!(writable("a", Some("a"), false, Some(&a)), "this tab holds it");
    assert!(!writable("a", Some("a"), true, Some(&a)), "another tab holds the one open here");
    assert!(writable("a", Some("b"), true, Some(&a)), "another record is blocked, not this one");
    assert!(!writable("a", None, false, None), "not here");
    let mut newer = a.clone();
    newer.kept.newer_schema = Some(99);
    assert!(!writable("a", None, false, Some(&newer)));
}

#[test]
fn a_flush_writes_every_edited_record_with_its_next_revision() {
    let kv = MemoryKv::new();
    let (mut a, b) = (record("a"), record("b"));
    a.set_answer("1.1", Some(RawAnswer::Flag(true)), 2.0);
    let out = flush(&kv, "dev1", 5.0, &ids(&["a", "b", "gone"]), &here(&[&a, &b]));
    assert_eq!(out.status, SaveStatus::Saved(5.0));
    assert_eq!(
        out.done,
        vec!["a".to_string(), "b".into(), "gone".into()],
        "a record no longer here is not kept dirty"
    );
    assert_eq!(out.revs.len(), 2);
    let written = stored(&kv, "a");
    assert_eq!(written.answer("1.1"), Some(&RawAnswer::Flag(true)));
    assert_eq!(written.rev, out.revs[0].1, "the revision returned is the one stored");
    // Written again with that revision: the next one, no conflict.
    a.rev = out.revs[0].1.clone();
    a.set_answer("1.1", Some(RawAnswer::Flag(false)), 6.0);
    let again = flush(&kv, "dev1", 7.0, &ids(&["a"]), &here(&[&a]));
    assert_eq!(again.status, SaveStatus::Saved(7.0));
    assert!(again.conflicts.is_empty());
}

#[test]
fn a_copy_changed_elsewhere_is_never_overwritten_and_ours_is_kept_beside_it() {
    let kv = MemoryKv::new();
    let mut ours = record("a");
    let first = flush(&kv, "tab1", 2.0, &ids(&["a"]), &here(&[&ours]));
    ours.rev = first.revs[0].1.clone();
    // Another tab writes the same record from the same revision.
    let mut theirs = ours.clone();
    theirs.set_answer("2.1", Some(RawAnswer::Flag(true)), 3.0);
    flush(&kv, "tab2", 3.0, &ids(&["a"]), &here(&[&theirs]));
    // Our edit, from the older revision.
    ours.set_answer("1.1", Some(RawAnswer::Flag(false)), 4.0);
    let out = flush(&kv, "tab1", 5.0, &ids(&["a"]), &here(&[&ours]));
    assert_eq!(out.status, SaveStatus::Conflict);
    let [(kept_stored, key, kept)] = out.conflicts.as_slice() else {
        panic!("one conflict: {:?}", out.conflicts)
    };
    assert_eq!(kept_stored.answer("2.1"), Some(&RawAnswer::Flag(true)), "the stored copy stays");
    assert_eq!(kept.answer("1.1"), Some(&RawAnswer::Flag(false)), "ours is kept");
    assert!(kv.get(key).expect("get").is_some(), "and stored as a conflict copy under {key}");
    assert_eq!(stored(&kv, "a").answer("1.1"), None, "never overwritten");
}

#[test]
fn full_or_missing_storage_keeps_every_edit_dirty_and_says_which() {
    let kv = MemoryKv::new();
    kv.quota.set(Some(10));
    let a = record("a");
    let out = flush(&kv, "dev", 2.0, &ids(&["a"]), &here(&[&a]));
    assert_eq!(out.status, SaveStatus::QuotaExceeded);
    assert!(out.done.is_empty(), "still dirty: written at the next flush");
    assert_eq!(kv.get(&persist::assessment_key("a")), Ok(None), "nothing half-written");
    let off = MemoryKv::new();
    off.unavailable.set(true);
    let out = flush(&off, "dev", 2.0, &ids(&["a"]), &here(&[&a]));
    assert_eq!(out.status, SaveStatus::MemoryOnly);
    assert!(out.done.is_empty());
    // A failure is rendered in the page's language, not as a code word.
    let failed = SaveStatus::Failed(StorageError::Other("SecurityError".into()));
    let SaveStatus::Failed(e) = failed else { unreachable!() };
    assert!(e.message(tieuchi::domain::text::Lang::Vi).starts_with("Lỗi khi lưu dữ liệu"));
}
