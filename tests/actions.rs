//! The actions `ui` calls (`state::actions`), natively on a test host: a keystroke schedules the
//! save and a refused one does not; switching the language sets the document's and keeps the
//! place; a reload saves first and is refused while edits live only in memory; a units import
//! and a trash go through storage. The same generic code runs in the app with `AppState`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{new_assessment, Page};
use tieuchi::domain::answer::RawAnswer;
use tieuchi::domain::assessment::Person;
use tieuchi::domain::persist::{self, read_assessment};
use tieuchi::domain::text::Lang;
use tieuchi::domain::workflow::Step;
use tieuchi::io::kv::KeyValue;
use tieuchi::state::actions;
use tieuchi::state::core::read_settings;
use tieuchi::state::host::Host;
use tieuchi::state::session::SaveStatus;
use tieuchi::state::ActionError;

fn new_record(p: &'static Page) -> String {
    let env = p.env();
    p.act(|c| new_assessment(c, env, "Xã Khánh Bình", 2020))
}

fn stored_answer(p: &'static Page, id: &str) -> Option<RawAnswer> {
    let raw = p.kv.get(&persist::assessment_key(id)).expect("get").expect("stored");
    read_assessment(&raw).expect("reads").entries.get("1.1").and_then(|e| e.answer.clone())
}

#[test]
fn a_key_schedules_the_save_and_a_refused_key_does_not() {
    let p = Page::alone();
    let id = new_record(p);
    actions::set_answer(p, &id, "1.1", Some(RawAnswer::Text("10.500".into())));
    assert_eq!(p.debounces.get(), 1);
    assert_eq!(stored_answer(p, &id), None, "written when the debounce ends, not on the key");
    Host::flush(p);
    assert_eq!(stored_answer(p, &id), Some(RawAnswer::Text("10.500".into())));
    assert_eq!(
        actions::workflow_step(p, &id, Step::Submit, &actions::signer(p)),
        Err(tieuchi::domain::workflow::WorkflowError::NoName),
        "nobody named signs nothing"
    );
    let chair = Person { name: "Đỗ Văn Phúc".into(), title: "Chủ tịch UBND xã".into() };
    actions::set_signer(p, chair.clone());
    assert_eq!(read_settings(p.kv).signer, chair, "the signer is remembered");
    actions::workflow_step(p, &id, Step::Submit, &actions::signer(p)).expect("submitted");
    actions::set_answer(p, &id, "1.1", Some(RawAnswer::Text("1".into())));
    assert_eq!(p.debounces.get(), 1, "a frozen answer schedules nothing");
    assert_eq!(stored_answer(p, &id), Some(RawAnswer::Text("10.500".into())));
}

#[test]
fn switching_the_language_sets_the_documents_and_keeps_the_place() {
    let p = Page::alone();
    p.scroll.set(320.0);
    actions::set_lang(p, Lang::En);
    assert_eq!(p.document_lang.borrow().as_str(), "en");
    let kept = read_settings(p.kv);
    assert_eq!((kept.lang, kept.last_path.as_deref(), kept.last_scroll), (Lang::En, Some("/"), 320.0));
}

#[test]
fn a_reload_saves_first_and_is_refused_while_edits_live_only_in_memory() {
    let p = Page::alone();
    let id = new_record(p);
    actions::set_answer(p, &id, "1.1", Some(RawAnswer::Text("7".into())));
    assert!(actions::saved_for_reload(p), "saved, so the reload may go on");
    assert_eq!(stored_answer(p, &id), Some(RawAnswer::Text("7".into())));
    p.kv.unavailable.set(true);
    actions::set_answer(p, &id, "1.1", Some(RawAnswer::Text("8".into())));
    assert!(!actions::saved_for_reload(p), "the reload would wipe the 8");
    assert!(p.peek(|c| *c.reload_refused()));
    assert_eq!(p.peek(|c| c.save().clone()), SaveStatus::MemoryOnly);
    p.kv.unavailable.set(false);
    assert!(actions::saved_for_reload(p));
    assert_eq!(stored_answer(p, &id), Some(RawAnswer::Text("8".into())));
}

#[test]
fn trash_refusals_come_back_as_kinds_the_page_can_name() {
    let p = Page::alone();
    let id = new_record(p);
    assert_eq!(
        actions::trash_assessment(p, "gone"),
        Err(ActionError::ReadOnly),
        "not here: nothing to trash"
    );
    actions::set_answer(p, &id, "1.1", Some(RawAnswer::Text("3".into())));
    p.kv.unavailable.set(true);
    let refused = actions::trash_assessment(p, &id).expect_err("cannot save first");
    assert_eq!(refused, ActionError::Unsaved);
    assert!(refused.message(Lang::Vi).chars().any(|c| "ăâđêôơư".contains(c)), "said in Vietnamese");
    p.kv.unavailable.set(false);
    actions::trash_assessment(p, &id).expect("trashed");
    assert_eq!(actions::empty_trash(p), Ok(1));
}
