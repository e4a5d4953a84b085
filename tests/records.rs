//! The one writer (`state::records`) over the in-memory store: a copy changed by another
//! writer is never overwritten, unreadable and newer-schema records are never written, a full
//! store changes nothing, restore never moves a signed record backwards, backup → clear →
//! restore is byte-identical for every kind of record, and the trash gives records back.
#![cfg(not(target_arch = "wasm32"))]

use tieuchi::domain::answer::RawAnswer;
use tieuchi::domain::assessment::{Assessment, Commune, Person};
use tieuchi::domain::backup::{parse_backup, plan_restore, Action, Backup, Keep};
use tieuchi::domain::persist::{self, read_assessment};
use tieuchi::domain::revision::Relation;
use tieuchi::domain::workflow::{Stage, Step};
use tieuchi::io::kv::{KeyValue, MemoryKv, StorageError};
use tieuchi::state::records::{self, SaveError};

fn new_assessment(id: &str) -> Assessment {
    let commune =
        Commune { name: "Xã Vĩnh Thanh".into(), province: "Cà Mau".into(), ..Default::default() };
    Assessment::new(id.into(), ("ntm-xa-2016-2020", "1980/2016"), commune, 2020, "dbscl", 1.0)
}

/// Saves `a` and records the new revision on it, as autosave does.
fn save(kv: &MemoryKv, device: &str, a: &mut Assessment) {
    a.rev = records::save(kv, device, a, 10.0).expect("saved");
}

fn stored(kv: &MemoryKv, id: &str) -> Assessment {
    read_assessment(&kv.get(&persist::assessment_key(id)).expect("get").expect("stored")).expect("reads")
}

fn sign_to_recognised(kv: &MemoryKv, device: &str, a: &mut Assessment) {
    for (i, step) in [Step::Submit, Step::Review, Step::Appraise, Step::Recognise].into_iter().enumerate() {
        let by = Person { name: format!("Người ký {i}"), title: "Chuyên viên".into() };
        a.workflow = a.workflow.apply(step, &by, 20.0 + i as f64, true).expect("step");
        save(kv, device, a);
    }
}

#[test]
fn an_older_tab_cannot_erase_an_audit_trail() {
    let kv = MemoryKv::new();
    let mut a = new_assessment("a1");
    save(&kv, "dev", &mut a);
    // Two tabs read the same copy; the younger signs every step, the older edits an answer.
    let mut older = a.clone();
    sign_to_recognised(&kv, "dev", &mut a);
    older.set_answer("10", Some(RawAnswer::Text("58".into())), 30.0);
    let err = records::save(&kv, "dev", &older, 30.0).expect_err("refused");
    let SaveError::Conflict { stored: there, kept_as } = err else { panic!("a conflict, not {err:?}") };
    assert_eq!(there.workflow.stage, Stage::Recognised);
    let here = stored(&kv, "a1");
    assert_eq!(here.workflow.audit.len(), 4, "the audit trail is intact");
    assert_eq!(here, a);
    // The older tab's edit is kept beside it, not dropped.
    let kept = kept_as.expect("conflict copy stored");
    let copy = read_assessment(&kv.get(&kept).expect("get").expect("kept")).expect("reads");
    assert_eq!(copy.answer("10"), Some(&RawAnswer::Text("58".into())));
    assert_eq!(records::load(&kv).conflicts["a1"].len(), 1);
}

#[test]
fn unreadable_newer_schema_and_full_stores_are_never_written() {
    let kv = MemoryKv::new();
    let key = persist::assessment_key("q");
    kv.set(&key, "{\"schema_version\":2,\"assessment\":{\"id\":").expect("set");
    let err = records::save(&kv, "dev", &new_assessment("q"), 1.0).expect_err("refused");
    assert_eq!(err, SaveError::StoredUnreadable);
    assert_eq!(kv.get(&key).expect("get").as_deref(), Some("{\"schema_version\":2,\"assessment\":{\"id\":"));
    assert_eq!(records::load(&kv).quarantine.len(), 1);

    let mut newer = new_assessment("n");
    save(&kv, "dev", &mut newer);
    let raw = kv.get(&persist::assessment_key("n")).expect("get").expect("stored");
    let (now, next) = (persist::SCHEMA_VERSION, persist::SCHEMA_VERSION + 1);
    let bumped = raw.replacen(&format!("\"schema_version\":{now}"), &format!("\"schema_version\":{next}"), 1);
    assert_ne!(bumped, raw);
    kv.set(&persist::assessment_key("n"), &bumped).expect("set");
    let read = records::load(&kv).assessments["n"].clone();
    assert_eq!(read.read_only_schema(), Some(next));
    assert_eq!(records::save(&kv, "dev", &read, 2.0), Err(SaveError::NewerSchema(next)));
    assert_eq!(kv.get(&persist::assessment_key("n")).expect("get"), Some(bumped));

    let full = MemoryKv::new();
    let mut a = new_assessment("f");
    save(&full, "dev", &mut a);
    let before = full.map.borrow().clone();
    full.quota.set(Some(1));
    a.set_answer("10", Some(RawAnswer::Text("61".into())), 3.0);
    assert_eq!(records::save(&full, "dev", &a, 3.0), Err(SaveError::Storage(StorageError::QuotaExceeded)));
    assert_eq!(*full.map.borrow(), before, "nothing stored changed");
}

#[test]
fn revisions_count_writes_per_device() {
    let kv = MemoryKv::new();
    let mut a = new_assessment("r");
    save(&kv, "tablet", &mut a);
    a.set_answer("1.1", Some(RawAnswer::Flag(true)), 2.0);
    save(&kv, "tablet", &mut a);
    // Saving an unchanged copy writes nothing and keeps the revision.
    let rev = a.rev.clone();
    save(&kv, "tablet", &mut a);
    assert_eq!(a.rev, rev);
    assert_eq!(a.rev.0["tablet"], 2);
    assert_eq!(stored(&kv, "r").rev, rev);
    let id = records::device_id(&kv, || "d-1".into());
    assert_eq!(records::device_id(&kv, || "d-2".into()), id, "made once, then kept");
}

fn backup_of(kv: &MemoryKv) -> String {
    serde_json::to_string(&Backup::new(records::snapshot(kv, &[], 5.0), 5.0)).expect("backup")
}

fn restore(kv: &MemoryKv, text: &str) -> records::RestoreReport {
    let plan = plan_restore(parse_backup(text).expect("backup reads"), &|k| kv.get(k).ok().flatten());
    records::apply_restore(kv, &plan)
}

#[test]
fn restoring_an_old_backup_never_unrecognises_a_signed_assessment() {
    let kv = MemoryKv::new();
    let mut a = new_assessment("a1");
    a.set_answer("10", Some(RawAnswer::Text("55".into())), 2.0);
    save(&kv, "tablet", &mut a);
    let old = backup_of(&kv);
    sign_to_recognised(&kv, "tablet", &mut a);
    let before = kv.map.borrow().clone();
    let plan = plan_restore(parse_backup(&old).expect("reads"), &|k| kv.get(k).ok().flatten());
    assert_eq!(plan.items[0].action, Action::KeepHere(Keep::NewerHere));
    let report = records::apply_restore(&kv, &plan);
    assert_eq!(report.kept_here, 1);
    assert!(report.written.is_empty());
    assert_eq!(*kv.map.borrow(), before, "nothing stored changed");
    assert_eq!(stored(&kv, "a1").workflow.stage, Stage::Recognised);

    // The same old copy with its clock far ahead changes nothing either: revisions decide.
    let mut ahead =
        read_assessment(&parse_backup(&old).expect("reads")[&persist::assessment_key("a1")]).expect("a");
    ahead.updated_at = 9e15;
    let records_ahead = std::collections::BTreeMap::from([(
        persist::assessment_key("a1"),
        persist::write_assessment(&ahead, 9e15),
    )]);
    let plan = plan_restore(records_ahead, &|k| kv.get(k).ok().flatten());
    assert_eq!(plan.items[0].action, Action::KeepHere(Keep::NewerHere));

    // The other way round, a later revision in the backup updates the copy here.
    let fresh = MemoryKv::new();
    restore(&fresh, &old);
    let r = restore(&fresh, &backup_of(&kv));
    assert_eq!(r.written, [persist::assessment_key("a1")]);
    assert_eq!(stored(&fresh, "a1").workflow.stage, Stage::Recognised);
}

#[test]
fn a_divergent_backup_is_kept_as_a_conflict_beside_the_record() {
    let kv = MemoryKv::new();
    let mut a = new_assessment("a1");
    save(&kv, "tablet", &mut a);
    let other = MemoryKv::new();
    restore(&other, &backup_of(&kv));
    let mut theirs = stored(&other, "a1");
    theirs.set_answer("10", Some(RawAnswer::Text("61".into())), 3.0);
    save(&other, "desk", &mut theirs);
    a.set_answer("10", Some(RawAnswer::Text("57".into())), 3.0);
    save(&kv, "tablet", &mut a);
    assert_eq!(theirs.rev.relation(&a.rev), Relation::Diverged);
    let report = restore(&kv, &backup_of(&other));
    assert_eq!(report.conflicts.len(), 1);
    assert_eq!(stored(&kv, "a1"), a, "the copy here is unchanged");
    let loaded = records::load(&kv);
    assert_eq!(loaded.conflicts["a1"][0].1.answer("10"), Some(&RawAnswer::Text("61".into())));
    // Restoring the same file again adds no second copy.
    let again = restore(&kv, &backup_of(&other));
    assert!(again.conflicts.is_empty());
    assert_eq!(records::load(&kv).conflicts["a1"].len(), 1);
}

#[test]
fn backup_clear_restore_is_byte_identical_for_every_kind_of_record() {
    let kv = MemoryKv::new();
    let mut a = new_assessment("a1");
    a.set_answer("15.1", Some(RawAnswer::Pair("10500".into(), "11800".into())), 2.0);
    save(&kv, "dev", &mut a);
    let mut b = new_assessment("b2");
    save(&kv, "dev", &mut b);
    records::trash(&kv, "b2").expect("trashed");
    let mut c = new_assessment("c3");
    save(&kv, "dev", &mut c);
    c.set_answer("10", Some(RawAnswer::Text("1".into())), 4.0);
    records::keep_conflict(&kv, &c, 4.0).expect("conflict kept");
    kv.set(&persist::framework_key("tinh-x@1"), "{\"format\":\"tieuchi-framework/1\",\"id\":\"tinh-x\"}")
        .expect("fw");
    kv.set(&persist::units_key("96"), "{\"format\":\"tieuchi-units/1\"}").expect("units");
    kv.set(persist::SETTINGS_KEY, "{\"lang\":\"en\",\"signer\":{\"name\":\"A\",\"title\":\"B\"}}")
        .expect("settings");
    kv.set(&persist::assessment_key("broken"), "{\"schema_version\":1,\"assessment\":{\"id\":").expect("raw");
    records::device_id(&kv, || "this-tablet".into());
    kv.set("other-app/key", "not ours").expect("other");

    let file = backup_of(&kv);
    let ours = |kv: &MemoryKv| {
        kv.map
            .borrow()
            .iter()
            .filter(|(k, _)| k.starts_with(persist::PREFIX) && k.as_str() != persist::DEVICE_KEY)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    let before = ours(&kv);
    assert_eq!(before.len(), 8);
    let fresh = MemoryKv::new();
    let report = restore(&fresh, &file);
    assert!(report.failed.is_empty());
    assert_eq!(ours(&fresh), before, "byte-identical, quarantined entry included");
    assert_eq!(fresh.get(persist::DEVICE_KEY).expect("get"), None, "the device id stays with its tablet");
    // Restoring over itself changes nothing.
    let again = restore(&fresh, &file);
    assert_eq!(again.written.len(), 0);
    assert_eq!(ours(&fresh), before);
}

#[test]
fn restore_reports_every_failure_and_never_overwrites_a_quarantined_record() {
    let kv = MemoryKv::new();
    let mut a = new_assessment("a1");
    save(&kv, "dev", &mut a);
    kv.set(&persist::framework_key("f@1"), "{}").expect("fw");
    let file = backup_of(&kv);
    let target = MemoryKv::new();
    target.set(&persist::assessment_key("a1"), "{garbled").expect("raw");
    target.quota.set(Some(60));
    let report = restore(&target, &file);
    assert_eq!(report.kept_here, 1, "the unreadable record here is kept");
    assert_eq!(target.get(&persist::assessment_key("a1")).expect("get").as_deref(), Some("{garbled"));
    assert_eq!(report.failed.len(), 1, "the framework did not fit and is reported");
    assert_eq!(report.failed[0].0, persist::framework_key("f@1"));
    assert_eq!(report.failed[0].1, StorageError::QuotaExceeded);
}

#[test]
fn the_trash_gives_records_back_until_it_is_emptied() {
    let kv = MemoryKv::new();
    let mut a = new_assessment("a1");
    a.set_answer("10", Some(RawAnswer::Text("55".into())), 2.0);
    save(&kv, "dev", &mut a);
    let raw = kv.get(&persist::assessment_key("a1")).expect("get").expect("stored");
    let key = records::trash(&kv, "a1").expect("trash");
    assert!(records::load(&kv).assessments.is_empty());
    assert_eq!(records::load(&kv).trash.len(), 1);
    let back = records::untrash(&kv, &key).expect("untrash");
    assert_eq!(back, a);
    assert_eq!(kv.get(&persist::assessment_key("a1")).expect("get"), Some(raw), "byte-identical");
    records::trash(&kv, "a1").expect("trash again");
    let mut same_id = new_assessment("a1");
    save(&kv, "dev", &mut same_id);
    let key = records::load(&kv).trash.keys().next().cloned().expect("trashed");
    assert!(matches!(records::untrash(&kv, &key), Err(records::UntrashError::Occupied)));
    assert_eq!(records::empty_trash(&kv).expect("emptied"), 1);
    assert!(records::load(&kv).trash.is_empty());
    assert_eq!(records::load(&kv).assessments.len(), 1);
}

/// A hand-over file holds only the chosen assessments (unsaved edits in place of their stored
/// copy) and the imported framework they were made with; restoring it on another tablet adds
/// them, and a second hand-over after edits on both sides is kept as a conflict, not applied.
#[test]
fn a_hand_over_file_carries_the_chosen_records_and_restores_by_revision() {
    let here = MemoryKv::new();
    let mut a = new_assessment("h1");
    save(&here, "dA", &mut a);
    let mut b = new_assessment("h2");
    save(&here, "dA", &mut b);
    here.set(&persist::framework_key("ntm-xa-2016-2020@1980/2016"), "{\"imported\":true}").expect("set");
    let mut unsaved = a.clone();
    unsaved.set_answer("10", Some(RawAnswer::Text("58".into())), 3.0);
    let file = records::handover(&here, &["h1".to_string()], &[&unsaved], 4.0);
    assert_eq!(
        file.keys().cloned().collect::<Vec<_>>(),
        vec![persist::assessment_key("h1"), persist::framework_key("ntm-xa-2016-2020@1980/2016")]
    );
    let there = MemoryKv::new();
    let plan = plan_restore(file.clone(), &|k| there.get(k).ok().flatten());
    assert!(plan.items.iter().all(|i| i.action == Action::Add));
    records::apply_restore(&there, &plan);
    assert_eq!(stored(&there, "h1").answer("10"), Some(&RawAnswer::Text("58".into())));
    // Both edit the record apart; the next hand-over is a conflict on the receiving tablet.
    let mut theirs = stored(&there, "h1");
    theirs.set_answer("10", Some(RawAnswer::Text("70".into())), 5.0);
    save(&there, "dB", &mut theirs);
    let mut mine = stored(&here, "h1");
    mine.set_answer("14.1", Some(RawAnswer::Text("99".into())), 5.0);
    save(&here, "dA", &mut mine);
    let again = records::handover(&here, &["h1".to_string()], &[], 6.0);
    let plan = plan_restore(again, &|k| there.get(k).ok().flatten());
    let item = plan.items.iter().find(|i| i.key == persist::assessment_key("h1")).expect("h1");
    assert_eq!(item.action, Action::Conflict);
    let report = records::apply_restore(&there, &plan);
    assert_eq!(report.conflicts.len(), 1);
    assert_eq!(stored(&there, "h1").answer("10"), Some(&RawAnswer::Text("70".into())), "nothing replaced");
}

/// The store's chunk reads the criteria sets with the records: the bundled default first, then
/// each imported set; one imported under a bundled set's `id@version` is not read over it, and
/// one that no longer loads is listed in quarantine and left in storage untouched.
#[test]
fn imported_sets_are_read_after_the_default_and_a_broken_one_is_quarantined() {
    use tieuchi::domain::framework::bundled;
    let kv = MemoryKv::new();
    let [(_, provisional_2026), ..] = bundled::OTHERS else { panic!("bundled sets") };
    let imported = provisional_2026.replacen("\"ntm-xa-2026-2030\"", "\"tinh-ca-mau-2026\"", 1);
    assert_ne!(imported, *provisional_2026, "the id was replaced");
    let (_, default_text) = bundled::DEFAULT;
    // Same id@version as the bundled default, different title: the bundled one wins.
    let shadow = default_text.replacen("Bộ tiêu chí quốc gia", "Bản sao", 1);
    let broken = "{\"format\": \"tieuchi-framework/1\", \"id\": ";
    kv.set(&persist::framework_key("tinh-ca-mau-2026@51/2025-khung-tam"), &imported).expect("set");
    kv.set(&persist::framework_key("ntm-xa-2016-2020@1980/2016"), &shadow).expect("set");
    kv.set(&persist::framework_key("hong@1"), broken).expect("set");
    let keys = kv.keys(persist::PREFIX).expect("keys");

    let sets = records::load_frameworks(&kv, &keys, bundled::default_framework());

    let ids: Vec<&str> = sets.list.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["ntm-xa-2016-2020", "tinh-ca-mau-2026"]);
    assert_eq!(sets.bundled, 1);
    assert!(sets.list[0].title.vi.starts_with("Bộ tiêu chí quốc gia"), "{}", sets.list[0].title.vi);
    assert_eq!(sets.quarantine.len(), 1);
    assert_eq!(sets.quarantine[0].key, persist::framework_key("hong@1"));
    assert_eq!(sets.quarantine[0].raw, broken);
    assert_eq!(kv.get(&persist::framework_key("hong@1")).expect("get").as_deref(), Some(broken));
    assert!(sets.stale.is_empty());
}
