//! Sync decisions over a fake CouchDB (revisions, `conflict` on a stale `_rev`, `_changes`
//! with sequences, injected faults) and two in-memory tablets: pushing once, a lost reply
//! recognised as our own write, disjoint edits merged, the same field asked, refusals blocked
//! with the reason, failures changing nothing, the checkpoint never passing a document not
//! stored, and a property test over random interleavings.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};

use common::block_on;
use proptest::prelude::*;
use serde_json::{json, Value};
use tieuchi::domain::answer::RawAnswer;
use tieuchi::domain::assessment::{Assessment, Commune};
use tieuchi::domain::persist::{self, read_assessment};
use tieuchi::domain::records::{differences, resolve, Field, Side};
use tieuchi::domain::revision::Relation;
use tieuchi::domain::sync::{Config, Failure, PushContext};
use tieuchi::io::kv::{KeyValue, MemoryKv};
use tieuchi::state::records;
use tieuchi::state::sync_engine::{self, Couch, Report};

#[derive(Clone, Debug, PartialEq)]
enum Fault {
    /// The request fails before the server sees it.
    Before(Failure),
    /// The server applies the write, the answer is lost.
    LoseReply,
}

/// A CouchDB database in memory: each document's current `_rev` (generation-hash), refusal of a
/// stale `_rev` with `conflict`, a change feed by sequence, and a log of accepted writes.
#[derive(Default)]
struct FakeCouch {
    docs: RefCell<BTreeMap<String, (u64, String, Value, bool)>>,
    seq: Cell<u64>,
    /// (seq, id) of the last change of each document.
    last_change: RefCell<BTreeMap<String, u64>>,
    faults: RefCell<VecDeque<(&'static str, Fault)>>,
    /// Accepted writes: (id, edit id).
    writes: RefCell<Vec<(String, String)>>,
    /// Ids refused by the "validate_doc_update".
    refuse: RefCell<Vec<String>>,
    /// The session expired: writes are anonymous (pouchdb-server answers per-document
    /// `unauthorized` rows in a 201).
    anonymous: Cell<bool>,
    /// Losing leaves another writer left beside a document: id → (rev, body).
    leaves: RefCell<BTreeMap<String, Vec<(String, Value)>>>,
    /// Called inside `_bulk_docs` before it answers (an edit made while the write is on its way).
    during_bulk: RefCell<Option<Box<dyn Fn()>>>,
    /// Rows sent as they are in the change feed, by seq (a hostile or broken document).
    raw_rows: RefCell<BTreeMap<u64, String>>,
    /// The database's `_local/tieuchi-db` marker document.
    marker: RefCell<Option<Value>>,
}

impl FakeCouch {
    fn fault(&self, op: &'static str, f: Fault) {
        self.faults.borrow_mut().push_back((op, f));
    }
    fn take_fault(&self, op: &str) -> Option<Fault> {
        let mut q = self.faults.borrow_mut();
        let i = q.iter().position(|(o, _)| *o == op)?;
        q.remove(i).map(|(_, f)| f)
    }
    fn apply(&self, doc: &Value) -> Value {
        let id = doc["_id"].as_str().unwrap_or_default().to_string();
        if self.anonymous.get() {
            return json!({"id": id, "error": "unauthorized", "reason": "You are not authorized to access this db."});
        }
        if self.refuse.borrow().contains(&id) {
            return json!({"id": id, "error": "forbidden", "reason": "sai tỉnh / wrong province"});
        }
        let sent = doc.get("_rev").and_then(Value::as_str).map(String::from);
        let mut docs = self.docs.borrow_mut();
        let current = docs.get(&id).map(|(g, r, _, del)| (*g, r.clone(), *del));
        let ok = match (&current, &sent) {
            (None, None) => true,
            (Some((_, _, true)), None) => true,
            (Some((_, r, false)), Some(s)) => r == s,
            _ => false,
        };
        if !ok {
            return json!({"id": id, "error": "conflict", "reason": "Document update conflict."});
        }
        let generation = current.map_or(0, |c| c.0) + 1;
        let rev = format!("{generation}-{:08x}", self.seq.get() * 7919 + generation);
        let mut body = doc.clone();
        body["_rev"] = json!(rev);
        docs.insert(id.clone(), (generation, rev.clone(), body, false));
        drop(docs);
        self.seq.set(self.seq.get() + 1);
        self.last_change.borrow_mut().insert(id.clone(), self.seq.get());
        let edit = doc.pointer("/sync/edit_id").and_then(Value::as_str).unwrap_or_default().to_string();
        self.writes.borrow_mut().push((id.clone(), edit));
        json!({"ok": true, "id": id, "rev": rev})
    }
    /// A row in the feed at the next seq, sent exactly as `text` (`{seq}` replaced).
    fn raw_row(&self, text: &str) {
        self.seq.set(self.seq.get() + 1);
        self.raw_rows.borrow_mut().insert(self.seq.get(), text.replace("{seq}", &self.seq.get().to_string()));
    }
    /// Writes `f`'s change of the server's current copy of assessment `id`, as another writer
    /// (a forger) would, over the current `_rev`.
    fn tamper(&self, id: &str, f: impl FnOnce(&mut Value)) {
        let doc_id = format!("assessment:{id}");
        let mut body = self.docs.borrow()[&doc_id].2.clone();
        f(&mut body);
        let r = self.apply(&body);
        assert_eq!(r["ok"], true, "{r}");
    }
    /// The database deleted and created again (empty, no marker, sequences from the start).
    fn recreate(&self) {
        self.docs.borrow_mut().clear();
        self.last_change.borrow_mut().clear();
        self.leaves.borrow_mut().clear();
        self.raw_rows.borrow_mut().clear();
        *self.marker.borrow_mut() = None;
        self.seq.set(0);
    }
    fn delete(&self, id: &str) {
        let mut docs = self.docs.borrow_mut();
        if let Some(d) = docs.get_mut(id) {
            d.0 += 1;
            d.1 = format!("{}-deleted", d.0);
            d.3 = true;
        }
        drop(docs);
        self.seq.set(self.seq.get() + 1);
        self.last_change.borrow_mut().insert(id.to_string(), self.seq.get());
    }
    /// Another writer's revision beside the current one (as a replication leaves it).
    fn sibling(&self, id: &str, body: Value) {
        let rev = format!("9-sibling{}", self.leaves.borrow().len());
        let mut b = body;
        b["_rev"] = json!(rev.clone());
        self.leaves.borrow_mut().entry(id.to_string()).or_default().push((rev, b));
        self.seq.set(self.seq.get() + 1);
        self.last_change.borrow_mut().insert(id.to_string(), self.seq.get());
    }
    fn with_conflicts(&self, id: &str, mut body: Value) -> Value {
        if let Some(l) = self.leaves.borrow().get(id) {
            body["_conflicts"] = json!(l.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>());
        }
        body
    }
    fn doc(&self, id: &str) -> Option<Assessment> {
        let docs = self.docs.borrow();
        let (_, _, body, deleted) = docs.get(&format!("assessment:{id}"))?;
        if *deleted {
            return None;
        }
        let s = tieuchi::domain::sync::from_doc(body)?;
        read_assessment(&s.envelope).ok()
    }
}

impl Couch for FakeCouch {
    async fn bulk_docs(&self, docs: &[Value]) -> Result<Value, Failure> {
        match self.take_fault("bulk") {
            Some(Fault::Before(f)) => return Err(f),
            Some(Fault::LoseReply) => {
                for d in docs {
                    self.apply(d);
                }
                return Err(Failure::Network);
            }
            None => {}
        }
        let rows = Value::Array(docs.iter().map(|d| self.apply(d)).collect());
        if let Some(f) = self.during_bulk.borrow().as_ref() {
            f();
        }
        Ok(rows)
    }
    async fn get(&self, doc_id: &str) -> Result<Option<Value>, Failure> {
        if let Some(Fault::Before(f)) = self.take_fault("get") {
            return Err(f);
        }
        Ok(self.docs.borrow().get(doc_id).filter(|d| !d.3).map(|d| self.with_conflicts(doc_id, d.2.clone())))
    }
    async fn marker(&self) -> Result<Option<Value>, Failure> {
        if let Some(Fault::Before(f)) = self.take_fault("marker") {
            return Err(f);
        }
        Ok(self.marker.borrow().clone())
    }
    async fn put_marker(&self, doc: &Value) -> Result<(), Failure> {
        *self.marker.borrow_mut() = Some(doc.clone());
        Ok(())
    }
    async fn get_rev(&self, doc_id: &str, rev: &str) -> Result<Option<Value>, Failure> {
        let leaves = self.leaves.borrow();
        Ok(leaves.get(doc_id).and_then(|l| l.iter().find(|(r, _)| r == rev)).map(|(_, b)| b.clone()))
    }
    async fn changes(&self, since: &Value, limit: u32) -> Result<String, Failure> {
        if let Some(Fault::Before(f)) = self.take_fault("changes") {
            return Err(f);
        }
        let since = since.as_u64().unwrap_or(0);
        let mut rows: Vec<(u64, String)> = self
            .last_change
            .borrow()
            .iter()
            .filter(|(_, s)| **s > since)
            .map(|(id, s)| (*s, id.clone()))
            .collect();
        rows.sort();
        rows.truncate(limit as usize);
        let docs = self.docs.borrow();
        let results: Vec<Value> = rows
            .iter()
            .map(|(s, id)| {
                let (_, rev, body, deleted) = &docs[id];
                if *deleted {
                    json!({"seq": s, "id": id, "changes": [{"rev": rev}], "deleted": true})
                } else {
                    json!({"seq": s, "id": id, "changes": [{"rev": rev}], "doc": self.with_conflicts(id, body.clone())})
                }
            })
            .collect();
        let mut texts: Vec<(u64, String)> =
            rows.iter().map(|(s, _)| *s).zip(results.iter().map(Value::to_string)).collect();
        texts
            .extend(self.raw_rows.borrow().iter().filter(|(s, _)| **s > since).map(|(s, t)| (*s, t.clone())));
        texts.sort_by_key(|(s, _)| *s);
        texts.truncate(limit as usize);
        let last = texts.last().map_or(since, |r| r.0);
        let body: Vec<String> = texts.into_iter().map(|(_, t)| t).collect();
        Ok(format!(r#"{{"results":[{}],"last_seq":{last}}}"#, body.join(",")))
    }
}

struct Tablet {
    kv: MemoryKv,
    device: String,
}

impl Tablet {
    fn new(device: &str) -> Tablet {
        Tablet { kv: MemoryKv::new(), device: device.into() }
    }
    fn sync(&self, couch: &FakeCouch) -> Report {
        let config =
            Config { server: "http://127.0.0.1:1".into(), db: "tieuchi_p96".into(), ..Default::default() };
        let ctx = PushContext {
            device: self.device.clone(),
            user: "xa1".into(),
            province: "96".into(),
            now: 100.0,
            frameworks: vec![std::sync::Arc::new(set_1980())],
        };
        block_on(sync_engine::sync_once(&self.kv, couch, &config, &ctx))
    }
    fn stored(&self, id: &str) -> Option<Assessment> {
        read_assessment(&self.kv.get(&persist::assessment_key(id)).ok()??).ok()
    }
    /// The officer types `value` as the answer of `indicator`, saved through the one writer.
    fn edit(&self, id: &str, indicator: &str, value: &str) -> bool {
        let mut a = self.stored(id).unwrap_or_else(|| new_assessment(id));
        a.set_answer(indicator, Some(RawAnswer::Text(value.into())), 50.0);
        records::save(&self.kv, &self.device, &a, 50.0).is_ok()
    }
    fn conflicts(&self, id: &str) -> Vec<String> {
        self.kv.keys(&format!("{}/", persist::conflict_key(id))).unwrap_or_default()
    }
    fn unsynced(&self) -> usize {
        sync_engine::unsynced(&self.kv).len()
    }
}

fn new_assessment(id: &str) -> Assessment {
    let commune =
        Commune { name: "Xã Vĩnh Thanh".into(), province: "Cà Mau".into(), ..Default::default() };
    Assessment::new(id.into(), ("ntm-xa-2016-2020", "1980/2016"), commune, 2020, "dbscl", 1.0)
}

fn answer(a: &Assessment, indicator: &str) -> Option<String> {
    match a.answer(indicator)? {
        RawAnswer::Text(t) => Some(t.clone()),
        _ => None,
    }
}

fn set_1980() -> tieuchi::domain::framework::Framework {
    tieuchi::domain::framework::bundled::load_all()
        .into_iter()
        .find(|(n, _)| *n == "ntm-xa-2016-2020.json")
        .and_then(|(_, l)| l.framework)
        .expect("the bundled 1980 set")
}

/// The document sent carries the roll-up summary (set, round, province, group, stage, the criteria
/// met); it is the server's, never read back into the record.
#[test]
fn a_sent_record_carries_its_summary_and_reads_back_without_it() {
    let couch = FakeCouch::default();
    let t = Tablet::new("dA");
    // Criterion 1 of 1980 is met by 1.1 and 1.2 both "yes"; 10 (income) by a number.
    assert!(t.edit("a1", "10", "58"));
    let r = t.sync(&couch);
    assert_eq!(r.pushed, 1, "{r:?}");
    let (_, _, body, _) = couch.docs.borrow().get("assessment:a1").cloned().expect("sent");
    let s = &body["summary"];
    assert_eq!(s["v"], json!(1));
    assert_eq!(s["set"], json!("ntm-xa-2016-2020@1980/2016"));
    assert_eq!(s["round"], json!(2020));
    assert_eq!(s["province"], json!("Cà Mau"));
    assert_eq!(s["group"], json!("dbscl"));
    assert_eq!(s["stage"], json!("draft"));
    // The 19 criteria of 1980, in the set's order ("1" … "19").
    let ids: Vec<String> = (1..=19).map(|i| i.to_string()).collect();
    assert_eq!(s["criteria"], json!(ids));
    // 58 million VND a head in 2020 meets criterion 10 in the Mekong delta (≥ 50): the only one.
    assert_eq!(s["met"], json!(["10"]));
    assert_eq!(s["all_met"], json!(false));
    // Pulled back, the record has no `summary` (it is not part of the envelope).
    let doc = tieuchi::domain::sync::from_doc(&body).expect("an assessment document");
    assert!(!doc.envelope.contains("\"summary\""), "{}", doc.envelope);
}

#[test]
fn a_record_is_sent_once_under_its_own_id() {
    let couch = FakeCouch::default();
    let t = Tablet::new("dA");
    assert!(t.edit("a1", "10", "58"));
    assert_eq!(t.unsynced(), 1);
    let r = t.sync(&couch);
    assert_eq!((r.pushed, r.failure.clone()), (1, None), "{r:?}");
    assert_eq!(answer(&couch.doc("a1").expect("on the server"), "10").as_deref(), Some("58"));
    assert_eq!(t.unsynced(), 0);
    let r = t.sync(&couch);
    assert_eq!(r.pushed, 0);
    assert_eq!(couch.writes.borrow().len(), 1, "nothing sent twice");
}

/// T1/F1: the server applied the write but the answer was lost. The retry meets `conflict`,
/// reads the server's copy, sees its own revision there and adopts it: one write, no conflict.
#[test]
fn a_lost_reply_is_recognised_as_our_own_write() {
    let couch = FakeCouch::default();
    let t = Tablet::new("dA");
    t.edit("a1", "10", "58");
    couch.fault("bulk", Fault::LoseReply);
    let r = t.sync(&couch);
    assert_eq!(r.failure, Some(Failure::Network));
    assert_eq!(t.unsynced(), 1, "kept unsynced while the answer is unknown");
    let r = t.sync(&couch);
    assert_eq!(r.failure, None, "{r:?}");
    assert!(r.conflicts.is_empty() && t.conflicts("a1").is_empty());
    assert_eq!(t.unsynced(), 0);
    assert_eq!(couch.writes.borrow().len(), 1, "exactly one write reached the server");
    assert_eq!(couch.docs.borrow().len(), 1, "no duplicate document");
}

/// T3/F5: two tablets edit different indicators offline; the second to sync merges by itself,
/// and the first gets the merge on its next pull.
#[test]
fn disjoint_edits_merge_by_themselves() {
    let couch = FakeCouch::default();
    let (a, b) = (Tablet::new("dA"), Tablet::new("dB"));
    a.edit("x", "10", "58");
    a.sync(&couch);
    let r = b.sync(&couch);
    assert_eq!(r.pulled, 1);
    a.edit("x", "10", "61");
    b.edit("x", "14.1", "99");
    a.sync(&couch);
    let r = b.sync(&couch);
    assert_eq!((r.merged, r.conflicts.len()), (1, 0), "{r:?}");
    let server = couch.doc("x").expect("on the server");
    assert_eq!(answer(&server, "10").as_deref(), Some("61"));
    assert_eq!(answer(&server, "14.1").as_deref(), Some("99"));
    a.sync(&couch);
    let here = a.stored("x").expect("a");
    assert_eq!((answer(&here, "10").as_deref(), answer(&here, "14.1").as_deref()), (Some("61"), Some("99")));
    assert_eq!(a.unsynced() + b.unsynced(), 0);
}

/// T4: both edit the same indicator: the second tablet keeps the server's copy beside its own,
/// sends nothing of that record until the officer resolves, and the resolution reaches both.
#[test]
fn the_same_field_is_asked_and_the_resolution_reaches_both() {
    let couch = FakeCouch::default();
    let (a, b) = (Tablet::new("dA"), Tablet::new("dB"));
    a.edit("x", "10", "58");
    a.sync(&couch);
    b.sync(&couch);
    a.edit("x", "10", "61");
    b.edit("x", "10", "70");
    a.sync(&couch);
    let r = b.sync(&couch);
    assert_eq!(r.conflicts, vec!["x".to_string()], "{r:?}");
    assert_eq!(b.conflicts("x").len(), 1);
    let writes = couch.writes.borrow().len();
    b.sync(&couch);
    assert_eq!(couch.writes.borrow().len(), writes, "nothing pushed while unresolved");
    // The officer takes the server's value for 10.
    let here = b.stored("x").expect("here");
    let key = b.conflicts("x").remove(0);
    let theirs = read_assessment(&b.kv.get(&key).expect("get").expect("copy")).expect("reads");
    assert_eq!(differences(&here, &theirs), vec![Field::Entry("10".into())]);
    let resolved =
        resolve(&here, &theirs, &BTreeMap::from([(Field::Entry("10".into()), Side::Theirs)]), "dB", 60.0);
    records::write_resolved(&b.kv, &resolved, &here.rev, &key, 60.0).expect("resolved");
    let r = b.sync(&couch);
    assert_eq!((r.pushed, r.failure.clone()), (1, None), "{r:?}");
    a.sync(&couch);
    assert_eq!(answer(&a.stored("x").expect("a"), "10").as_deref(), Some("61"));
    assert_eq!(answer(&couch.doc("x").expect("server"), "10").as_deref(), Some("61"));
}

/// T6/F8: the server refuses one record of three: the other two are sent, the refused one shows
/// the server's reason and is not sent again until it is edited.
#[test]
fn a_refused_record_is_blocked_with_the_reason_and_the_others_go() {
    let couch = FakeCouch::default();
    let t = Tablet::new("dA");
    for id in ["r1", "r2", "r3"] {
        t.edit(id, "10", "58");
    }
    couch.refuse.borrow_mut().push("assessment:r2".into());
    let r = t.sync(&couch);
    assert_eq!(r.pushed, 2);
    assert_eq!(r.blocked, vec![("r2".to_string(), "sai tỉnh / wrong province".to_string())]);
    assert_eq!(sync_engine::blocked(&t.kv).len(), 1);
    let writes = couch.writes.borrow().len();
    t.sync(&couch);
    assert_eq!(couch.writes.borrow().len(), writes, "not retried at the same revision");
    couch.refuse.borrow_mut().clear();
    t.edit("r2", "10", "59");
    let r = t.sync(&couch);
    assert_eq!(r.pushed, 1);
}

/// T9: the session expired: the anonymous writes are refused row by row; nothing is marked
/// refused, the records wait, and go once signed in again.
#[test]
fn an_expired_session_keeps_the_outbox_unmarked() {
    let couch = FakeCouch::default();
    let t = Tablet::new("dA");
    t.edit("a1", "10", "58");
    couch.anonymous.set(true);
    let r = t.sync(&couch);
    assert_eq!(r.failure, Some(Failure::Unauthorized));
    assert!(sync_engine::blocked(&t.kv).is_empty(), "not marked refused");
    assert_eq!(t.unsynced(), 1);
    couch.anonymous.set(false);
    let r = t.sync(&couch);
    assert_eq!((r.pushed, r.failure), (1, None));
}

/// T11/T12: a 500, a timeout or a truncated `_changes` change nothing here, and the checkpoint
/// stays where it was.
#[test]
fn failures_change_nothing_and_keep_the_checkpoint() {
    let couch = FakeCouch::default();
    let (a, b) = (Tablet::new("dA"), Tablet::new("dB"));
    a.edit("x", "10", "58");
    a.sync(&couch);
    for f in [Failure::Server(500), Failure::Timeout, Failure::BadBody] {
        let before = b.kv.map.borrow().clone();
        couch.fault("changes", Fault::Before(f.clone()));
        let r = b.sync(&couch);
        assert_eq!(r.failure, Some(f));
        assert_eq!(*b.kv.map.borrow(), before, "nothing stored changed");
    }
    let r = b.sync(&couch);
    assert_eq!(r.pulled, 1);
    let before = a.kv.map.borrow().clone();
    a.edit("x", "10", "60");
    couch.fault("bulk", Fault::Before(Failure::Server(503)));
    let r = a.sync(&couch);
    assert_eq!(r.failure, Some(Failure::Server(503)));
    assert_ne!(*a.kv.map.borrow(), before);
    assert_eq!(a.unsynced(), 1, "the edit waits for the next try");
}

/// T13/F9: storage fills during a pull: the checkpoint stays before the first document not
/// stored; after space is freed, the next pull fetches it.
#[test]
fn a_full_store_stops_the_pull_before_the_first_document_not_stored() {
    let couch = FakeCouch::default();
    let a = Tablet::new("dA");
    for i in 0..5 {
        a.edit(&format!("p{i}"), "10", "58");
    }
    a.sync(&couch);
    let b = Tablet::new("dB");
    let one = a.kv.get(&persist::assessment_key("p0")).expect("get").expect("p0").len();
    b.kv.quota.set(Some(one * 2 * 5 + 600));
    let r = b.sync(&couch);
    assert!(r.storage_full, "{r:?}");
    let got = (0..5).filter(|i| b.stored(&format!("p{i}")).is_some()).count();
    assert!((1..5).contains(&got), "some stored, not all: {got}");
    b.kv.quota.set(None);
    let r = b.sync(&couch);
    assert!(!r.storage_full);
    assert_eq!((0..5).filter(|i| b.stored(&format!("p{i}")).is_some()).count(), 5);
}

/// T18: deleted on the server while edited here: kept here and marked, never lost; unedited,
/// it goes to the trash (which can give it back).
#[test]
fn deleted_elsewhere_while_edited_here_is_kept() {
    let couch = FakeCouch::default();
    let (a, b) = (Tablet::new("dA"), Tablet::new("dB"));
    a.edit("x", "10", "58");
    a.edit("y", "10", "58");
    a.sync(&couch);
    b.sync(&couch);
    b.edit("x", "10", "70");
    couch.delete("assessment:x");
    couch.delete("assessment:y");
    let r = b.sync(&couch);
    assert_eq!(r.deleted_elsewhere, vec!["x".to_string()], "{r:?}");
    assert_eq!(answer(&b.stored("x").expect("kept"), "10").as_deref(), Some("70"));
    assert!(b.stored("y").is_none());
    assert_eq!(records::load(&b.kv).trash.len(), 1, "the unedited one is in the trash");
}

#[derive(Debug, Clone)]
enum Op {
    Edit {
        tablet: usize,
        record: usize,
        indicator: usize,
        value: u8,
    },
    Sync {
        tablet: usize,
    },
    LostReply {
        tablet: usize,
    },
    ServerError {
        tablet: usize,
    },
    /// The officer resolves every conflict of a tablet, keeping their own values.
    Resolve {
        tablet: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..2usize, 0..2usize, 0..3usize, 0..50u8).prop_map(|(tablet, record, indicator, value)| Op::Edit { tablet, record, indicator, value }),
        3 => (0..2usize).prop_map(|tablet| Op::Sync { tablet }),
        1 => (0..2usize).prop_map(|tablet| Op::LostReply { tablet }),
        1 => (0..2usize).prop_map(|tablet| Op::ServerError { tablet }),
        1 => (0..2usize).prop_map(|tablet| Op::Resolve { tablet }),
    ]
}

const INDICATORS: [&str; 3] = ["10", "14.1", "15.2"];

fn resolve_all(t: &Tablet) {
    for (id, copies) in records::load(&t.kv).conflicts {
        for (key, theirs) in copies {
            let here = t.stored(&id).expect("here");
            let resolved = resolve(&here, &theirs, &BTreeMap::new(), &t.device, 70.0);
            records::write_resolved(&t.kv, &resolved, &here.rev, &key, 70.0).expect("resolved");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    /// Over any interleaving of edits, syncs, lost replies, server errors and resolutions on
    /// two tablets: what each tablet holds is on the server (or in a later revision there), or
    /// still unsynced, or in a conflict copy; no edit id is ever written twice; and once everyone
    /// resolves and syncs, both tablets and the server agree.
    #[test]
    fn no_edit_is_lost_and_none_is_written_twice(ops in proptest::collection::vec(op(), 1..40)) {
        let couch = FakeCouch::default();
        let tablets = [Tablet::new("dA"), Tablet::new("dB")];
        for op in &ops {
            match *op {
                Op::Edit { tablet, record, indicator, value } => {
                    tablets[tablet].edit(&format!("r{record}"), INDICATORS[indicator], &value.to_string());
                }
                Op::Sync { tablet } => { tablets[tablet].sync(&couch); }
                Op::LostReply { tablet } => { couch.fault("bulk", Fault::LoseReply); tablets[tablet].sync(&couch); }
                Op::ServerError { tablet } => { couch.fault("bulk", Fault::Before(Failure::Server(500))); tablets[tablet].sync(&couch); }
                Op::Resolve { tablet } => resolve_all(&tablets[tablet]),
            }
            couch.faults.borrow_mut().clear();
            // Invariant: what a tablet holds is on the server, or pending here.
            for t in &tablets {
                for (id, a) in records::load(&t.kv).assessments {
                    // On the server as it is, or already taken into a later revision there.
                    let on_server = couch.doc(&id).is_some_and(|s| {
                        s.same_content(&a) || a.rev.relation(&s.rev) == Relation::Precedes
                    });
                    let pending = sync_engine::unsynced(&t.kv).iter().any(|(u, _)| *u == id);
                    let in_conflict = !t.conflicts(&id).is_empty();
                    prop_assert!(on_server || pending || in_conflict, "{id} on {} is neither on the server nor pending", t.device);
                }
            }
        }
        let writes = couch.writes.borrow().clone();
        let mut seen = std::collections::BTreeSet::new();
        for w in &writes {
            prop_assert!(seen.insert(w.clone()), "edit {w:?} written twice");
        }
        // Everyone resolves and syncs until quiet: one truth.
        for _ in 0..4 {
            for t in &tablets { resolve_all(t); t.sync(&couch); }
        }
        for t in &tablets {
            prop_assert_eq!(t.unsynced(), 0, "{} has unsynced edits left", t.device);
            for (id, a) in records::load(&t.kv).assessments {
                let server = couch.doc(&id).expect("on the server");
                prop_assert!(server.same_content(&a), "{id} differs on {}", t.device);
            }
        }
    }
}

/// F6: a stage moved on one side only is taken with the other side's answers; moved on both
/// sides to different stages, it is asked, never picked.
#[test]
fn a_stage_moved_on_both_sides_is_never_decided_by_itself() {
    use tieuchi::domain::assessment::Person;
    use tieuchi::domain::workflow::{Stage, Step};
    let by = |n: &str| Person { name: n.into(), title: "Cán bộ".into() };
    let mut base = new_assessment("s");
    base.workflow = base.workflow.apply(Step::Submit, &by("Trần Thị B"), 2.0, true).expect("submit");
    base.rev = base.rev.bumped("dA");
    // The province returns it; the commune's device only edits a note meanwhile.
    let mut province = base.clone();
    province.workflow = province
        .workflow
        .apply(Step::Return { reason: "thiếu".into() }, &by("Lê Văn C"), 3.0, true)
        .expect("return");
    province.rev = province.rev.bumped("dB");
    let mut commune = base.clone();
    commune.entries.entry("10".into()).or_default().note = "biên bản".into();
    commune.rev = commune.rev.bumped("dA");
    let merged = tieuchi::domain::sync::merge3(Some(&base), &commune, &province, "dA", 4.0).expect("merges");
    assert_eq!(merged.workflow.stage, Stage::Draft, "the province's return is taken");
    assert_eq!(merged.entries["10"].note, "biên bản", "and the commune's note kept");
    // Both moved it: the province reviewed, while another reviewer's device returned it.
    let mut reviewed = base.clone();
    reviewed.workflow = reviewed.workflow.apply(Step::Review, &by("Lê Văn C"), 3.0, true).expect("review");
    reviewed.rev = reviewed.rev.bumped("dC");
    let asked =
        tieuchi::domain::sync::merge3(Some(&base), &reviewed, &province, "dC", 4.0).expect_err("asked");
    assert!(asked.contains(&Field::Workflow), "{asked:?}");
}

/// Imported frameworks go once, create-only: a framework already on the server is not an error,
/// and a tablet without it receives it with the assessments made with it.
#[test]
fn imported_frameworks_travel_once_and_arrive_where_missing() {
    let couch = FakeCouch::default();
    let (a, b) = (Tablet::new("dA"), Tablet::new("dB"));
    let text = include_str!("fixtures/frameworks/minimal.json");
    let fw = tieuchi::domain::framework::load_str(text).framework.expect("loads");
    let key = format!("{}@{}", fw.id, fw.version);
    a.kv.set(&persist::framework_key(&key), text).expect("set");
    a.edit("x", "1.1", "1");
    a.sync(&couch);
    a.sync(&couch);
    let fw_writes = couch.writes.borrow().iter().filter(|(id, _)| id.starts_with("framework:")).count();
    assert_eq!(fw_writes, 1, "sent once");
    let r = b.sync(&couch);
    assert_eq!(r.frameworks, vec![key.clone()]);
    assert_eq!(b.kv.get(&persist::framework_key(&key)).expect("get").as_deref(), Some(text));
}

/// T5/F7: another writer left a conflicting leaf on the server (CouchDB shows only the winner):
/// the pull brings it here once as a conflict copy; once resolved, the resolution is sent and
/// the leaf is not brought again.
#[test]
fn a_conflict_another_writer_left_on_the_server_is_not_hidden() {
    let couch = FakeCouch::default();
    let (a, b) = (Tablet::new("dA"), Tablet::new("dB"));
    a.edit("x", "10", "58");
    a.sync(&couch);
    let mut other = couch.docs.borrow()["assessment:x"].2.clone();
    other["assessment"]["entries"]["10"] = json!({"answer": {"t": "text", "v": "44"}});
    other["assessment"]["rev"] = json!({"dZ": 1});
    couch.sibling("assessment:x", other);
    let r = b.sync(&couch);
    assert_eq!(r.conflicts, vec!["x".to_string()], "{r:?}");
    assert_eq!(b.conflicts("x").len(), 1);
    let again = b.sync(&couch);
    assert!(again.conflicts.is_empty(), "brought once: {again:?}");
    resolve_all(&b);
    let r = b.sync(&couch);
    assert_eq!((r.pushed, r.conflicts.len()), (1, 0), "{r:?}");
    assert!(b.conflicts("x").is_empty());
}

/// T17: an edit saved while the write is on its way stays unsynced over the new server revision
/// and goes with the next push (the same pass sends again), without a conflict.
#[test]
fn an_edit_made_during_a_push_goes_with_the_next_one() {
    let couch = FakeCouch::default();
    let t = std::rc::Rc::new(Tablet::new("dA"));
    t.edit("x", "10", "58");
    let t2 = t.clone();
    *couch.during_bulk.borrow_mut() = Some(Box::new(move || {
        t2.edit("x", "14.1", "99");
    }));
    let r = t.sync(&couch);
    assert_eq!((r.pushed, r.conflicts.len(), r.merged, r.failure.clone()), (2, 0, 0, None), "{r:?}");
    let server = couch.doc("x").expect("server");
    assert_eq!(answer(&server, "10").as_deref(), Some("58"));
    assert_eq!(answer(&server, "14.1").as_deref(), Some("99"));
    assert_eq!(t.unsynced(), 0);
    assert_eq!(couch.writes.borrow().len(), 2, "the first write, then the one with the later edit");
}

/// F10: the server refuses the stored sequence (the database was recreated): the pull starts
/// again from the beginning; what is already here is recognised, nothing is duplicated.
#[test]
fn a_refused_sequence_restarts_the_pull_from_the_beginning_without_duplicates() {
    let couch = FakeCouch::default();
    let (a, b) = (Tablet::new("dA"), Tablet::new("dB"));
    a.edit("x", "10", "58");
    a.sync(&couch);
    b.sync(&couch);
    a.edit("y", "10", "60");
    a.sync(&couch);
    couch.fault("changes", Fault::Before(Failure::Server(400)));
    let r = b.sync(&couch);
    assert_eq!((r.failure.clone(), r.pulled, r.conflicts.len()), (None, 1, 0), "{r:?}");
    assert!(b.stored("y").is_some());
    assert_eq!(records::load(&b.kv).assessments.len(), 2);
    assert!(b.conflicts("x").is_empty());
}

/// A record pulled from the server is stored as this release writes it (the server returns it
/// with its keys in another order), so start-up reads it without walking its keys; it reads
/// exactly as the tablet that sent it has it.
#[test]
fn a_pulled_record_is_stored_as_this_release_writes_it() {
    let couch = FakeCouch::default();
    let (a, b) = (Tablet::new("dA"), Tablet::new("dB"));
    assert!(a.edit("a1", "10", "58"));
    a.sync(&couch);
    b.sync(&couch);
    let text = b.kv.get(&persist::assessment_key("a1")).ok().flatten().expect("pulled");
    let saved_at = serde_json::from_str::<serde_json::Value>(&text).expect("json")["saved_at"].as_f64();
    let read = read_assessment(&text).expect("reads");
    assert_eq!(persist::write_assessment(&read, saved_at.expect("saved_at")), text);
    assert_eq!(Some(read), a.stored("a1"));
}

/// #28: a dossier "recognised" with no signature, forged on the server, is never stored nor
/// merged here; the valid copy stays; the document is listed as not taken, with why.
#[test]
fn a_forged_stage_is_set_aside_and_replaces_nothing() {
    let couch = FakeCouch::default();
    let (a, b) = (Tablet::new("dA"), Tablet::new("dB"));
    a.edit("f1", "10", "58");
    a.sync(&couch);
    couch.tamper("f1", |doc| {
        doc["assessment"]["workflow"]["stage"] = json!("recognised");
        doc["assessment"]["rev"]["dX"] = json!(9);
    });
    let r = a.sync(&couch);
    assert_eq!(r.failure, None, "{r:?}");
    assert_eq!(r.rejected.len(), 1, "{r:?}");
    assert!(matches!(&r.rejected[0].1, tieuchi::domain::json_rows::RowProblem::InvalidChain { .. }), "{r:?}");
    assert_eq!(a.stored("f1").expect("kept").workflow.stage, tieuchi::domain::workflow::Stage::Draft);
    let listed = sync_engine::rejected(&a.kv);
    assert_eq!(listed.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(), ["assessment:f1"]);
    // A tablet that never had it does not take it either.
    let r = b.sync(&couch);
    assert!(b.stored("f1").is_none() && r.rejected.len() == 1, "{r:?}");
    // Handed over by file: the restore plan refuses it whatever is here.
    let raw = tieuchi::domain::sync::from_doc(&couch.docs.borrow()["assessment:f1"].2).expect("doc").envelope;
    let plan = tieuchi::domain::backup::plan_restore(
        BTreeMap::from([(persist::assessment_key("f1"), raw)]),
        &|_| None,
    );
    assert!(matches!(plan.items[0].action, tieuchi::domain::backup::Action::Invalid(_)), "{plan:?}");
}

/// #28: one document nested far deeper than any parser's limit, in the middle of a page, is
/// set aside by id; the rows around it are taken and the checkpoint moves past it.
#[test]
fn a_deep_document_never_stops_the_pull() {
    let couch = FakeCouch::default();
    let a = Tablet::new("dA");
    a.edit("d1", "10", "1");
    a.sync(&couch);
    couch.raw_row(&format!(
        r#"{{"seq":{{seq}},"id":"assessment:deep","changes":[],"doc":{{"_id":"assessment:deep","x":{}0{}}}}}"#,
        "[".repeat(300),
        "]".repeat(300)
    ));
    let b = Tablet::new("dB");
    b.edit("d2", "10", "2");
    b.sync(&couch);
    let c = Tablet::new("dC");
    let r = c.sync(&couch);
    assert_eq!(r.failure, None, "{r:?}");
    assert_eq!(r.pulled, 2, "both documents around the deep one: {r:?}");
    assert_eq!(r.rejected.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(), ["assessment:deep"]);
    assert!(c.stored("d1").is_some() && c.stored("d2").is_some());
    // The checkpoint moved past it: the next pass reads nothing again.
    let r = c.sync(&couch);
    assert_eq!((r.pulled, r.rejected.len()), (0, 0), "{r:?}");
    assert_eq!(sync_engine::rejected(&c.kv).len(), 1, "still listed for the administrator");
}

/// #28: a tablet that edited an answer offline while the dossier was a draft comes back after
/// the province signed it: its edit is a conflict the officer sees, never merged into the
/// signed dossier and never sent over it.
#[test]
fn an_offline_edit_never_lands_in_a_signed_dossier() {
    use tieuchi::domain::assessment::Person;
    use tieuchi::domain::workflow::{Stage, Step};
    let couch = FakeCouch::default();
    let (commune, province) = (Tablet::new("dA"), Tablet::new("dB"));
    commune.edit("s1", "10", "58");
    commune.sync(&couch);
    province.sync(&couch);
    // The province takes it through every step (its record, through the one writer).
    let mut a = province.stored("s1").expect("pulled");
    let p = |n: &str| Person { name: n.into(), title: "Chuyên viên".into() };
    let w = a.workflow.apply(Step::Submit, &p("A"), 60.0, true).expect("submit");
    let w = w.apply(Step::Review, &p("B"), 61.0, true).expect("review");
    let w = w.apply(Step::Appraise, &p("C"), 62.0, true).expect("appraise");
    a.workflow = w.apply(Step::Recognise, &p("D"), 63.0, true).expect("recognise");
    records::save(&province.kv, &province.device, &a, 63.0).expect("saved");
    province.sync(&couch);
    assert_eq!(couch.doc("s1").expect("server").workflow.stage, Stage::Recognised);
    // Meanwhile the commune tablet changed 3.1 while it still saw a draft.
    commune.edit("s1", "3.1", "99");
    let r = commune.sync(&couch);
    assert_eq!(r.merged, 0, "never merged by itself: {r:?}");
    assert_eq!(r.conflicts, ["s1"], "{r:?}");
    let server = couch.doc("s1").expect("server");
    assert_eq!(server.workflow.stage, Stage::Recognised);
    assert_eq!(answer(&server, "3.1"), None, "the signed dossier is as it was signed");
    // Whatever the officer picks, the resolved record keeps the signed answers.
    let here = commune.stored("s1").expect("here");
    let all_here: BTreeMap<Field, Side> =
        differences(&here, &server).into_iter().map(|f| (f, Side::Here)).collect();
    let resolved = resolve(&here, &server, &all_here, "dA", 200.0);
    assert_eq!(resolved.workflow.stage, Stage::Recognised);
    assert_eq!(answer(&resolved, "3.1"), None);
    assert_eq!(resolved.workflow.verify(), Ok(()));
}

/// #29: a database deleted and created again behind the same address is recognised by its
/// marker: the pull starts over, every record of this device is offered again (none dropped,
/// none twice), and a later edit of an old record is not taken for "deleted on the server".
#[test]
fn a_recreated_database_is_recognised_and_refilled() {
    let couch = FakeCouch::default();
    let t = Tablet::new("dA");
    for i in 0..5 {
        t.edit(&format!("r{i}"), "10", "58");
    }
    let r = t.sync(&couch);
    assert_eq!((r.pushed, r.recreated), (5, false), "{r:?}");
    let other = Tablet::new("dB");
    other.edit("b1", "10", "61");
    other.sync(&couch);
    t.sync(&couch);
    assert!(t.stored("b1").is_some());

    couch.recreate();
    // A new tablet is the first to sync with the new database: it marks it, nothing to redo.
    let fresh = Tablet::new("dC");
    fresh.edit("c1", "10", "63");
    let r = fresh.sync(&couch);
    assert!(!r.recreated, "{r:?}");
    // This tablet finds another database: reads from the start, offers its records again.
    let r = t.sync(&couch);
    assert!(r.recreated, "{r:?}");
    assert_eq!(r.failure, None);
    assert_eq!(r.pushed, 6, "its five and b1 offered again: {r:?}");
    assert!(r.deleted_elsewhere.is_empty(), "{r:?}");
    assert!(t.stored("c1").is_some(), "the new database's first change read");
    assert_eq!(couch.docs.borrow().len(), 7, "one copy per id");
    assert_eq!(t.unsynced(), 0);
    // The other tablet, which held the same records, offers them too: nothing twice.
    let r = other.sync(&couch);
    assert!(r.recreated && r.failure.is_none(), "{r:?}");
    assert_eq!(couch.docs.borrow().len(), 7, "still one copy per id");
    let writes = couch.writes.borrow().iter().filter(|(id, _)| id == "assessment:r1").count();
    assert_eq!(writes, 2, "r1: once before, once into the new database");
    // Later edits go as usual, and the next pass is quiet.
    t.edit("r0", "10", "70");
    let r = t.sync(&couch);
    assert_eq!((r.pushed, r.recreated, r.deleted_elsewhere.len()), (1, false, 0), "{r:?}");
    assert_eq!(answer(&couch.doc("r0").expect("server"), "10").as_deref(), Some("70"));
}

/// #29: "deleted on the server" while edited here is a question kept in storage: it is still
/// asked after more passes, until the officer answers it.
#[test]
fn deleted_on_the_server_is_asked_until_answered() {
    let couch = FakeCouch::default();
    let t = Tablet::new("dA");
    t.edit("d1", "10", "58");
    t.sync(&couch);
    couch.delete("assessment:d1");
    t.edit("d1", "10", "59");
    let r = t.sync(&couch);
    assert_eq!(r.deleted_elsewhere, ["d1"], "{r:?}");
    for _ in 0..3 {
        let r = t.sync(&couch);
        assert!(r.deleted_elsewhere.is_empty(), "asked once per pass at most: {r:?}");
        assert_eq!(sync_engine::deleted_on_server(&t.kv), ["d1"], "still a question");
    }
    assert_eq!(t.unsynced(), 1);
}
