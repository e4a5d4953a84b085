//! The signal-free state core (`state::core::Core`) run natively, as a tab runs it, over the
//! in-memory store and a settable clock: start-up and the place to return to, a keystroke's
//! path to storage, the trash, two tabs in conflict, a take-over with a lock manager twin,
//! signing with the account, a reload refused while edits live only in memory, restore, units,
//! and the sync status line — each checked against what is stored, not against the core itself.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::{BTreeMap, VecDeque};

use common::{new_assessment, read_tab};

use proptest::prelude::*;
use tieuchi::domain::answer::RawAnswer;
use tieuchi::domain::assessment::Person;
use tieuchi::domain::persist::{self, read_assessment};
use tieuchi::domain::records::{Field, Side};
use tieuchi::domain::text::Lang;
use tieuchi::domain::workflow::{Stage, Step, WorkflowError};
use tieuchi::io::clock::TestClock;
use tieuchi::io::kv::{KeyValue, MemoryKv};
use tieuchi::state::core::{Core, Env, Part, OTHER_TAB};
use tieuchi::state::seat::OnGranted;
use tieuchi::state::session::SaveStatus;
use tieuchi::state::sync_status::Status;
use tieuchi::state::{ActionError, Route};

const T0: f64 = 1_790_000_000_000.0;

fn new_record(core: &mut Core, env: Env) -> String {
    new_assessment(core, env, "Xã Vĩnh Hậu", 2020)
}

fn stored_answer(kv: &MemoryKv, id: &str, indicator: &str) -> Option<RawAnswer> {
    let raw = kv.get(&persist::assessment_key(id)).expect("get").expect("stored");
    read_assessment(&raw).expect("reads").entries.get(indicator).and_then(|e| e.answer.clone())
}

fn text(s: &str) -> Option<RawAnswer> {
    Some(RawAnswer::Text(s.into()))
}

fn officer() -> Person {
    Person { name: "Nguyễn Văn An".into(), title: "Chủ tịch UBND xã".into() }
}

#[test]
fn a_tab_reopens_where_the_person_was_unless_the_url_names_a_page() {
    let kv = MemoryKv::new();
    let settings = r##"{"lang":"en","signer":{"name":"Lê Thị Bình","title":"Công chức"},"last_path":"/a/x1","last_scroll":640.0}"##;
    kv.set(persist::SETTINGS_KEY, settings).expect("set");
    let (core, place) = Core::start(&kv, "", true, "t".into(), || "dev-1".into());
    assert_eq!(core.route(), &Route::Assessment("x1".into()));
    assert_eq!(place.map(|p| (p.path, p.scroll)), Some(("/a/x1".into(), 640.0)));
    assert_eq!(core.lang(), &Lang::En);
    assert_eq!(core.signer().name, "Lê Thị Bình");
    // An explicit `#/` is the home page and stays there; the device id is made once.
    let (core, place) = Core::start(&kv, "#/", true, "t".into(), || "dev-2".into());
    assert_eq!((core.route(), place), (&Route::Home, None));
    assert_eq!(core.device(), "dev-1");
    // No storage: the app says at once that it works in memory only.
    let (core, _) = Core::start(&MemoryKv::new(), "", false, "t".into(), || "d".into());
    assert_eq!(core.save(), &SaveStatus::MemoryOnly);
}

#[test]
fn a_keystroke_marks_the_record_and_the_save_line_once_and_the_flush_stores_it() {
    let kv = MemoryKv::new();
    let clock = TestClock::at(T0);
    let env = Env { kv: &kv, clock: &clock };
    let mut a = read_tab(&kv, "a");
    let id = new_record(&mut a, env);
    assert_eq!(a.save(), &SaveStatus::Saved(T0), "a new assessment is stored at once");
    a.take_changed();

    clock.advance(1_000.0);
    assert!(a.set_answer(clock.now.get(), &id, "1.1", text("8")));
    let first = a.take_changed();
    assert!(first.has(Part::Assessments) && first.has(Part::Save));
    assert_eq!(a.save(), &SaveStatus::Pending);
    // The next keys change the record, not the header's save line.
    assert!(a.set_answer(clock.now.get(), &id, "1.1", text("83")));
    assert!(a.set_answer(clock.now.get(), &id, "1.1", text("83,5")));
    let next = a.take_changed();
    assert!(next.has(Part::Assessments) && !next.has(Part::Save) && !next.has(Part::UnsavedExported));
    assert_eq!(stored_answer(&kv, &id, "1.1"), None, "not written before the debounce ends");

    clock.advance(300.0);
    a.flush(env);
    assert_eq!(stored_answer(&kv, &id, "1.1"), text("83,5"));
    assert_eq!(a.save(), &SaveStatus::Saved(T0 + 1_300.0));
    assert!(a.dirty().is_empty() && !a.has_unsaved());
    let stored = read_assessment(&kv.get(&persist::assessment_key(&id)).expect("get").expect("stored"))
        .expect("reads");
    assert_eq!(a.assessments()[&id].rev, stored.rev, "the copy here knows the revision it wrote");
}

#[test]
fn answers_change_only_in_a_draft_this_tab_may_write() {
    let kv = MemoryKv::new();
    let clock = TestClock::at(T0);
    let env = Env { kv: &kv, clock: &clock };
    let mut a = read_tab(&kv, "a");
    let id = new_record(&mut a, env);
    a.set_answer(T0, &id, "1.1", text("9"));
    a.workflow_step(env, &id, Step::Submit, &officer()).expect("a draft is submitted");
    assert_eq!(stored_answer(&kv, &id, "1.1"), text("9"), "signing writes at once, with the answers");
    a.take_changed();
    assert!(!a.set_answer(T0, &id, "1.1", text("10")), "a submitted dossier's answers are frozen");
    assert!(a.take_changed().is_empty() && a.dirty().is_empty());
    assert_eq!(a.assessments()[&id].entries["1.1"].answer, text("9"));
    assert!(!a.set_answer(T0, "no-such-record", "1.1", text("1")));
}

#[test]
fn the_roster_decides_its_indicator_and_is_frozen_once_signed() {
    let kv = MemoryKv::new();
    let clock = TestClock::at(T0);
    let env = Env { kv: &kv, clock: &clock };
    let mut a = read_tab(&kv, "a");
    let id = new_record(&mut a, env);
    // Counts typed before a roster are set aside while it has people, and given back after.
    let typed = Some(RawAnswer::Pair("3".into(), "5".into()));
    assert!(a.set_answer(T0, &id, "18.1", typed.clone()));
    assert!(a.add_person(T0, &id, "p1".into()));
    assert_eq!(a.assessments()[&id].entries["18.1"].typed, typed);
    assert!(a.edit_roster(T0, &id, |r| r.people.clear()));
    assert_eq!(a.assessments()[&id].entries["18.1"].answer, typed, "given back with the last person gone");
    assert!(a.add_person(T0, &id, "p1".into()));
    assert!(a.edit_roster(T0, &id, |r| {
        r.people[0].name = "Phạm Văn Em".into();
        r.people.push(tieuchi::domain::roster::Cadre {
            id: "p2".into(),
            title: "chu_tich_ubnd".into(),
            ..Default::default()
        });
    }));
    let record = &a.assessments()[&id];
    let fw = a.framework("ntm-xa-2016-2020", "1980/2016").expect("set");
    let bound = tieuchi::state::roster::bound_indicator(&fw).expect("1980 has a roster indicator");
    assert_eq!(bound, "18.1");
    let decided = tieuchi::domain::roster::derived_answer(
        tieuchi::state::roster::standards(),
        &record.roster,
        &record.judged_on(),
    );
    assert_eq!(record.entries.get("18.1").and_then(|e| e.answer.clone()), decided, "18.1 follows the roster");
    assert!(!a.refresh_derived(T0, &id), "already up to date");
    a.flush(env);
    a.workflow_step(env, &id, Step::Submit, &officer()).expect("submitted");
    let before = kv.get(&persist::assessment_key(&id)).expect("get");
    assert!(!a.add_person(T0, &id, "p3".into()), "a submitted roster is frozen");
    assert!(!a.edit_roster(T0, &id, |r| r.people.clear()));
    assert_eq!(a.assessments()[&id].roster.people.len(), 2);
    a.flush(env);
    assert_eq!(kv.get(&persist::assessment_key(&id)).expect("get"), before);
}

#[test]
fn the_trash_keeps_the_latest_typed_copy_and_refuses_what_it_cannot_save_first() {
    let kv = MemoryKv::new();
    let clock = TestClock::at(T0);
    let env = Env { kv: &kv, clock: &clock };
    let mut a = read_tab(&kv, "a");
    let id = new_record(&mut a, env);
    a.set_answer(T0, &id, "1.1", text("7")); // typed, not yet flushed

    // Storage fails: the edit cannot be written first, so nothing is moved.
    kv.unavailable.set(true);
    assert_eq!(a.trash_assessment(env, &id), Err(ActionError::Unsaved));
    assert!(a.assessments().contains_key(&id) && a.dirty().contains(&id));
    kv.unavailable.set(false);

    a.trash_assessment(env, &id).expect("trashed");
    assert!(!a.assessments().contains_key(&id));
    let (key, trashed) = a.trash().iter().next().expect("in the trash");
    assert_eq!(trashed.entries["1.1"].answer, text("7"), "the trashed copy is the latest");
    let stored_trash =
        read_assessment(&kv.get(key).expect("get").expect("stored in the trash")).expect("reads");
    assert_eq!(stored_trash.entries["1.1"].answer, text("7"));
    assert_eq!(kv.get(&persist::assessment_key(&id)).expect("get"), None);

    // While a record with the same id is stored again (a sync brought it back), the trashed
    // copy cannot come back over it, and stays in the trash.
    let key = key.clone();
    let trashed_text = kv.get(&key).expect("get").expect("stored");
    kv.set(&persist::assessment_key(&id), &trashed_text).expect("set");
    assert_eq!(a.untrash(&kv, &key), Err(ActionError::Occupied));
    assert!(kv.get(&key).expect("get").is_some() && a.trash().contains_key(&key));
    kv.remove(&persist::assessment_key(&id)).expect("remove");
    a.untrash(&kv, &key).expect("restored");
    assert_eq!(stored_answer(&kv, &id, "1.1"), text("7"));
    assert!(a.trash().is_empty() && a.assessments().contains_key(&id));
    a.trash_assessment(env, &id).expect("trashed again");
    assert_eq!(a.empty_trash(&kv), Ok(1));
    assert!(a.trash().is_empty());
    assert!(kv.keys(persist::PREFIX).expect("keys").iter().all(|k| !k.contains(&id)), "gone for good");
}

#[test]
fn two_tabs_that_edit_one_record_keep_both_copies_and_a_resolution_stores_the_chosen_one() {
    let kv = MemoryKv::new();
    let clock = TestClock::at(T0);
    let env = Env { kv: &kv, clock: &clock };
    let mut a = read_tab(&kv, "a");
    let id = new_record(&mut a, env);
    // A second tab, without locks (an old browser), reads the same record.
    let mut b = read_tab(&kv, "b");
    a.set_answer(T0, &id, "1.1", text("10"));
    b.set_answer(T0, &id, "1.1", text("20"));
    a.flush(env);
    b.flush(env);
    assert_eq!(stored_answer(&kv, &id, "1.1"), text("10"), "the first writer's copy is never overwritten");
    assert_eq!(b.save(), &SaveStatus::Conflict);
    assert_eq!(b.assessments()[&id].entries["1.1"].answer, text("10"), "b now shows the stored copy");
    let (key, ours) = b.conflicts()[&id].first().expect("ours kept as a conflict").clone();
    assert_eq!(ours.entries["1.1"].answer, text("20"));
    assert!(kv.get(&key).expect("get").is_some(), "and stored beside it");

    // The officer picks b's answer for the answers: it is stored, the conflict is gone.
    let choices: BTreeMap<Field, Side> = [(Field::Entry("1.1".into()), Side::Theirs)].into_iter().collect();
    b.resolve_conflict(env, &id, &key, &choices).expect("resolved");
    assert_eq!(stored_answer(&kv, &id, "1.1"), text("20"));
    assert!(b.conflicts().is_empty());
    assert!(matches!(b.save(), SaveStatus::Saved(_)));
    assert_eq!(b.resolve_conflict(env, &id, &key, &choices), Err(ActionError::NotFound));
}

/// The browser's lock manager as far as these tabs use it: one holder per record; a request
/// `IfAvailable` answers at once; `Wait` queues; releasing grants the next waiting tab.
#[derive(Default)]
struct Locks {
    holder: Option<&'static str>,
    waiting: VecDeque<&'static str>,
}

impl Locks {
    fn if_available(&mut self, tab: &'static str) -> bool {
        if self.holder.is_none() {
            self.holder = Some(tab);
            return true;
        }
        false
    }
    fn wait(&mut self, tab: &'static str) {
        self.waiting.push_back(tab);
    }
    /// Releases the lock; the next tab waiting is granted it (returned).
    fn release(&mut self) -> Option<&'static str> {
        self.holder = self.waiting.pop_front();
        self.holder
    }
}

#[test]
fn a_take_over_saves_the_holders_typing_first_and_hands_the_record_over() {
    let kv = MemoryKv::new();
    let clock = TestClock::at(T0);
    let env = Env { kv: &kv, clock: &clock };
    let mut locks = Locks::default();
    let mut a = read_tab(&kv, "a");
    let id = new_record(&mut a, env);

    // Tab a opens the assessment and is granted its lock.
    assert!(a.open_record(&id, true));
    assert_eq!(a.blocked_by().as_deref(), Some(""), "read-only while asking");
    assert!(locks.if_available("a"));
    assert_eq!(a.lock_granted(&id), OnGranted::Keep);
    assert!(a.writable(&id));
    // Tab b opens it too: the lock is held, so b is read-only and waits.
    let mut b = read_tab(&kv, "b");
    assert!(b.open_record(&id, true));
    assert!(!locks.if_available("b"));
    b.lock_held_elsewhere();
    locks.wait("b");
    assert_eq!(b.blocked_by().as_deref(), Some(OTHER_TAB));
    assert!(!b.set_answer(T0, &id, "1.1", text("1")), "b cannot type into a's record");

    // a types; before the debounce, b takes over.
    a.set_answer(T0, &id, "1.1", text("42"));
    assert!(a.seat().takeover_announced(&id));
    a.flush(env); // the holder saves first …
    assert!(a.lock_lost(&id)); // … turns read-only …
    locks.wait("a");
    assert_eq!(locks.release(), Some("b")); // … and lets go: b's waiting request is granted.
    assert_eq!(b.lock_granted(&id), OnGranted::Keep);
    b.reload_if_clean(&kv, &id);
    assert_eq!(b.assessments()[&id].entries["1.1"].answer, text("42"), "b took a's last key");
    assert!(b.writable(&id) && !a.writable(&id));
    assert!(b.set_answer(T0, &id, "1.1", text("43")));
    assert!(!a.set_answer(T0, &id, "1.1", text("44")));
    assert!(!b.takeover_unanswered(&id), "granted: no steal needed");

    // b leaves the record: it saves, lets go, and a (waiting) gets it back.
    assert!(b.close_record(&id));
    b.flush(env);
    assert_eq!(locks.release(), Some("a"));
    assert_eq!(a.lock_granted(&id), OnGranted::Keep);
    a.reload_if_clean(&kv, &id);
    assert_eq!(a.assessments()[&id].entries["1.1"].answer, text("43"));
    // A lock granted after the person left is let go.
    assert!(a.close_record(&id));
    assert_eq!(a.lock_granted(&id), OnGranted::Release);
}

#[test]
fn a_frozen_holder_is_overtaken_after_the_wait() {
    let kv = MemoryKv::new();
    let clock = TestClock::at(T0);
    let env = Env { kv: &kv, clock: &clock };
    let mut b = read_tab(&kv, "b");
    let id = new_record(&mut b, env);
    b.open_record(&id, true);
    b.lock_held_elsewhere();
    // The holder never answered the take-over: b still shows the record without holding it.
    assert!(b.takeover_unanswered(&id));
    assert_eq!(b.lock_granted(&id), OnGranted::Keep, "the stolen lock");
    assert!(!b.takeover_unanswered(&id) && b.writable(&id));
}

#[test]
fn each_signed_step_carries_the_account_signed_in_here() {
    let kv = MemoryKv::new();
    let clock = TestClock::at(T0);
    let env = Env { kv: &kv, clock: &clock };
    let config = r#"{"server":"http://127.0.0.1:5984","db":"tieuchi-camau","user":"xa.vinhhau","province":"Cà Mau","auto":true,"signer":{"name":"Trần Văn Cường","title":"Chủ tịch UBND xã"}}"#;
    kv.set(persist::SYNC_CONFIG_KEY, config).expect("set");
    let mut a = read_tab(&kv, "a");
    let id = new_record(&mut a, env);
    assert_eq!(a.signer_for_steps(&kv).name, "Trần Văn Cường", "the province's list names the signer");
    a.workflow_step(env, &id, Step::Submit, &a.signer_for_steps(&kv)).expect("submitted");
    let raw = kv.get(&persist::assessment_key(&id)).expect("get").expect("stored");
    let stored = read_assessment(&raw).expect("reads");
    assert_eq!(stored.workflow.stage, Stage::Submitted);
    let last = stored.workflow.audit.last().expect("the step is in the audit");
    assert_eq!((last.account.as_deref(), last.by.name.as_str()), (Some("xa.vinhhau"), "Trần Văn Cường"));
    // Refused steps change nothing, here or stored.
    let before = raw.clone();
    assert!(a.workflow_step(env, &id, Step::Appraise, &officer()).is_err());
    assert_eq!(kv.get(&persist::assessment_key(&id)).expect("get"), Some(before));
    // Another tab holding it: read-only.
    a.open_record(&id, true);
    a.lock_held_elsewhere();
    assert_eq!(a.workflow_step(env, &id, Step::Review, &officer()), Err(WorkflowError::ReadOnly));
}

#[test]
fn a_reload_is_refused_while_edits_live_only_in_memory_until_they_are_exported() {
    let kv = MemoryKv::new();
    let clock = TestClock::at(T0);
    let env = Env { kv: &kv, clock: &clock };
    let mut a = read_tab(&kv, "a");
    let id = new_record(&mut a, env);
    kv.quota.set(Some(kv.map.borrow().iter().map(|(k, v)| (k.len() + v.len()) * 2).sum::<usize>() + 16));
    a.set_answer(T0, &id, "1.1", text("123456789"));
    a.flush(env);
    assert_eq!(a.save(), &SaveStatus::QuotaExceeded);
    assert!(a.dirty().contains(&id), "the edit is kept in memory");
    assert!(!a.ready_to_reload(&kv, 0.0));
    assert!(*a.reload_refused());
    // Exported to a file: the reload may go on.
    assert!(a.backup_json(env).contains("123456789"), "the backup carries the unsaved edit");
    a.mark_exported();
    assert!(a.ready_to_reload(&kv, 0.0));
    assert!(!*a.reload_refused());
    // A new key after the export is unsaved again.
    a.set_answer(T0, &id, "1.1", text("1234567890"));
    assert!(a.has_unsaved());
    assert_eq!(a.save(), &SaveStatus::QuotaExceeded, "a new key does not hide that storage is full");
}

#[test]
fn a_restore_brings_back_records_and_settings_and_leaves_unsaved_edits_alone() {
    let kv = MemoryKv::new();
    let clock = TestClock::at(T0);
    let env = Env { kv: &kv, clock: &clock };
    let mut a = read_tab(&kv, "a");
    let id = new_record(&mut a, env);
    a.set_answer(T0, &id, "1.1", text("5"));
    a.flush(env);
    a.set_lang(Lang::En);
    a.save_settings(&kv, 0.0).expect("settings");
    let backup = a.backup_json(env);

    // A fresh tablet restores the file.
    let fresh = MemoryKv::new();
    let mut c = read_tab(&fresh, "c");
    let plan = tieuchi::state::core::plan(&fresh, &backup, Lang::Vi).expect("reads");
    let report = c.apply_restore(&fresh, &plan);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(c.assessments()[&id].entries["1.1"].answer, text("5"));
    assert_eq!(c.lang(), &Lang::En, "the settings are taken too");
    // A file that is not a backup: a located message, nothing stored changes.
    let before = fresh.map.borrow().clone();
    assert!(tieuchi::state::core::plan(&fresh, "{\"format\": 1,", Lang::Vi).is_err());
    assert_eq!(*fresh.map.borrow(), before);
}

#[test]
fn an_imported_units_list_replaces_the_earlier_import_of_its_province_and_a_bad_one_changes_nothing() {
    let kv = MemoryKv::new();
    let mut a = read_tab(&kv, "a");
    a.ensure_units(&kv);
    let shipped = a.units().len();
    assert!(shipped >= 2, "the shipped lists are read");
    let csv = "tinh,ma,ten,loai,nhom\nTỉnh Thử,99001,Xã Thử Một,xã,\n";
    let first = a.import_units(&kv, csv, Lang::Vi).expect("imported");
    let again = a.import_units(&kv, csv, Lang::Vi).expect("imported again");
    assert_eq!(first, again);
    assert_eq!(a.units().len(), shipped + 1, "the same province's import is replaced, not added");
    let keys = kv.keys(&persist::units_key("")).expect("keys");
    assert_eq!(keys.len(), 1);
    let before = kv.map.borrow().clone();
    let errors =
        a.import_units(&kv, "tinh,ma,ten,loai,nhom\nTỉnh Thử,99001,,xã,7\n", Lang::Vi).expect_err("refused");
    assert!(!errors.is_empty());
    assert_eq!(*kv.map.borrow(), before);
    assert_eq!(a.units().len(), shipped + 1);
}

#[test]
fn the_sync_line_waits_for_the_backoff_and_signs_out_only_when_the_server_says_so() {
    let mut s = Status { leader: true, signed_in: Some("xa.vinhhau".into()), ..Status::default() };
    assert!(s.pass_due(T0, true), "never synced: due");
    assert!(!s.pass_due(T0, false), "automatic sync off");
    s.pass_started(T0);
    assert!(!s.pass_due(T0 + 120_000.0, true), "one pass at a time");
    let offline = tieuchi::state::sync_engine::Report {
        failure: Some(tieuchi::domain::sync::Failure::Network),
        ..Default::default()
    };
    s.pass_done(&offline, Lang::Vi, T0 + 1_000.0, 0.5);
    let next = s.next_try.expect("a backoff after a transient failure");
    assert!(next > T0 + 1_000.0);
    assert!(!s.pass_due(next - 1.0, true) && s.pass_due(next, true));
    assert_eq!(s.signed_in.as_deref(), Some("xa.vinhhau"), "out of reach is not signed out");
    let refused = tieuchi::state::sync_engine::Report {
        failure: Some(tieuchi::domain::sync::Failure::Unauthorized),
        ..Default::default()
    };
    s.pass_started(next);
    s.pass_done(&refused, Lang::Vi, next + 10.0, 0.5);
    assert_eq!((s.signed_in.as_deref(), s.session_known), (None, true));
    assert!(!s.pass_due(next + 120_000.0, true), "signed out: no pass");

    // An offline start: the session is asked again after a backoff, never called signed out.
    let mut s = Status { leader: true, ..Status::default() };
    assert!(s.session_due(T0, true) && !s.session_due(T0, false));
    s.session_unreachable(T0, 0.5);
    assert!(!s.session_known && s.signed_in.is_none());
    let again = s.next_session_check.expect("asked again later");
    assert!(!s.session_due(again - 1.0, true) && s.session_due(again, true));
    s.session_answered(Some("xa.vinhhau".into()));
    assert!(s.session_known && !s.session_due(again, true));
}

#[derive(Debug, Clone)]
enum Op {
    Type(u8, u8),
    Flush,
    StorageDown(bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u8..3, 0u8..100).prop_map(|(i, v)| Op::Type(i, v)),
        2 => Just(Op::Flush),
        1 => any::<bool>().prop_map(Op::StorageDown),
    ]
}

proptest! {
    /// Whatever the order of keys, flushes and storage failures, nothing typed is lost: once
    /// storage is back and a flush runs, what is stored is what the officer last typed.
    #[test]
    fn nothing_typed_is_ever_lost(ops in proptest::collection::vec(op(), 1..40)) {
        let kv = MemoryKv::new();
        let clock = TestClock::at(T0);
        let env = Env { kv: &kv, clock: &clock };
        let mut a = read_tab(&kv, "a");
        let id = new_record(&mut a, env);
        let indicators = ["1.1", "2.1", "3.1"];
        let mut typed: BTreeMap<&str, String> = BTreeMap::new();
        for op in ops {
            clock.advance(100.0);
            match op {
                Op::Type(i, v) => {
                    let ind = indicators[i as usize];
                    prop_assert!(a.set_answer(clock.now.get(), &id, ind, text(&v.to_string())));
                    typed.insert(ind, v.to_string());
                }
                Op::Flush => a.flush(env),
                Op::StorageDown(down) => kv.unavailable.set(down),
            }
            // In memory, always the last key.
            for (ind, v) in &typed {
                prop_assert_eq!(&a.assessments()[&id].entries[*ind].answer, &text(v));
            }
        }
        kv.unavailable.set(false);
        a.flush(env);
        prop_assert!(a.dirty().is_empty());
        for (ind, v) in &typed {
            prop_assert_eq!(stored_answer(&kv, &id, ind), text(v));
        }
    }
}

/// Who signed a step is offered again at the next step of the same part — on this device only:
/// kept in its storage apart from the records (read again by the next tab), not in the record
/// beyond the audit.
#[test]
fn a_signer_is_remembered_by_part_and_kept_in_this_devices_settings() {
    use tieuchi::domain::workflow::Role;
    let kv = MemoryKv::new();
    let clock = TestClock::at(T0);
    let env = Env { kv: &kv, clock: &clock };
    let mut a = read_tab(&kv, "a");
    let id = new_record(&mut a, env);
    let reviewer = Person {
        name: "Lê Văn C".into(),
        title: "Chuyên viên Sở Nông nghiệp và Môi trường".into(),
    };
    a.workflow_step(env, &id, Step::Submit, &officer()).expect("submitted");
    a.workflow_step(env, &id, Step::Return { reason: "Thiếu biên bản".into() }, &reviewer).expect("returned");
    a.workflow_step(env, &id, Step::Submit, &officer()).expect("submitted again");
    a.take_changed();
    a.workflow_step(env, &id, Step::Review, &reviewer).expect("reviewed");
    assert!(
        !a.take_changed().has(Part::Signer),
        "signing again as a known signer changes nothing remembered"
    );
    let names =
        |c: &Core, r: Role| c.known_signers(&kv).for_role(r).map(|p| p.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a, Role::Commune), ["Nguyễn Văn An"]);
    assert_eq!(names(&a, Role::Reviewer), ["Lê Văn C"], "the return was signed in the reviewer's part");
    assert!(names(&a, Role::Appraiser).is_empty());
    // A refused step remembers nobody.
    let stranger = Person { name: "Người lạ".into(), title: String::new() };
    assert!(a.workflow_step(env, &id, Step::Recognise, &stranger).is_err());
    assert!(names(&a, Role::Recogniser).is_empty());
    // Another tab, later, reads them from the stored settings; the record holds no such list.
    let b = read_tab(&kv, "b");
    assert_eq!(names(&b, Role::Reviewer), ["Lê Văn C"]);
    let stored = kv.get(&persist::assessment_key(&id)).expect("get").expect("stored");
    assert!(!stored.contains("\"signers\""), "nothing of the list travels with the record");
    // Not in a backup: a backup restored on another tablet offers nobody from this one.
    assert!(!tieuchi::domain::backup::backed_up(persist::SIGNERS_KEY));
    assert!(kv.get(persist::SIGNERS_KEY).expect("get").is_some_and(|t| t.contains("Lê Văn C")));
    // Forgotten, it stays forgotten.
    let mut b = b;
    b.forget_signer(&kv, Role::Reviewer, &reviewer);
    assert!(names(&read_tab(&kv, "c"), Role::Reviewer).is_empty());
}
