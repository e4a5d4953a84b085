//! Browser tests (wasm-bindgen-test in headless Chromium): the app mounts and renders the
//! default criteria set, an assessment survives a real localStorage round trip, and the one
//! writer keeps a copy changed elsewhere.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use tieuchi::domain::answer::RawAnswer;
use tieuchi::domain::assessment::{Assessment, Commune};
use tieuchi::domain::persist;
use tieuchi::io::storage;

wasm_bindgen_test_configure!(run_in_browser);

fn assessment(id: &str) -> Assessment {
    let commune =
        Commune {
            name: "Xã Vĩnh Trạch".into(), province: "Tỉnh Bạc Liêu".into(), ..Default::default()
        };
    Assessment::new(id.into(), ("ntm-xa-2016-2020", "1980/2016"), commune, 2020, "dbscl", 1.0)
}

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("document")
}

#[wasm_bindgen_test]
async fn app_mounts_and_lists_the_criteria_of_the_set_in_force() {
    let _ = storage::remove(persist::SETTINGS_KEY);
    tieuchi::io::nav::set_hash("/");
    let root = document().create_element("section").expect("section");
    document().body().expect("body").append_child(&root).expect("append");
    let _handle = leptos::mount::mount_to(root.clone().unchecked_into(), tieuchi::ui::app::App);
    leptos::task::tick().await;
    // The home lists the set in force on the browser's day: whichever that is (the rule that
    // picks it is tested on fixed days in tests/framework_load.rs), its every criterion is shown,
    // titled in Vietnamese, then in English after the switch. Not tied to today's date.
    let today = tieuchi::io::nav::iso_date(tieuchi::io::nav::now_ms());
    let set = tieuchi::domain::framework::outline::in_force_on(&today);
    let criteria: Vec<_> = set.groups.iter().flat_map(|g| g.criteria.iter()).collect();
    let items = root.query_selector_all("[data-testid=criterion]").expect("query");
    assert_eq!(items.length() as usize, criteria.len(), "every criterion of {}", set.key());
    assert!(criteria.len() >= 10, "a whole set, not a stub");
    let text = root.text_content().unwrap_or_default();
    let last = criteria.last().expect("a criterion");
    assert!(text.contains(last.title[0]), "Vietnamese criteria titles are shown");
    assert_ne!(last.title[0], last.title[1]);
    let button: web_sys::HtmlElement =
        root.query_selector("[data-testid=lang-switch]").expect("query").expect("switch").unchecked_into();
    button.click();
    leptos::task::tick().await;
    assert!(root.text_content().unwrap_or_default().contains(last.title[1]));
    // The choice was stored.
    let settings = storage::get(persist::SETTINGS_KEY).expect("storage").expect("settings saved");
    assert!(settings.contains("\"en\""));
    let _ = storage::remove(persist::SETTINGS_KEY);
}

#[wasm_bindgen_test]
fn assessment_round_trips_through_local_storage() {
    let mut a = assessment("web-test");
    a.set_answer("15.1", Some(RawAnswer::Pair("83,5".into(), "100".into())), 2.0);
    let key = persist::assessment_key(&a.id);
    storage::set(&key, &persist::write_assessment(&a, 2.0)).expect("write");
    let raw = storage::get(&key).expect("read").expect("present");
    assert_eq!(persist::read_assessment(&raw).expect("parses"), a);
    storage::remove(&key).expect("remove");
    assert_eq!(storage::get(&key).expect("read"), None);
}

/// The one writer over the real localStorage: a copy read before another writer's save is not
/// written over it; it is kept beside it as a conflict copy.
#[wasm_bindgen_test]
fn the_one_writer_refuses_to_overwrite_a_copy_changed_elsewhere() {
    use tieuchi::io::storage::LocalStorage;
    use tieuchi::state::records::{self, SaveError};
    let mut a = assessment("web-cas");
    a.rev = records::save(&LocalStorage, "dev", &a, 1.0).expect("first save");
    let stale = a.clone();
    a.set_answer("10", Some(RawAnswer::Text("55".into())), 2.0);
    a.rev = records::save(&LocalStorage, "dev", &a, 2.0).expect("second save");
    let mut older = stale;
    older.set_answer("10", Some(RawAnswer::Text("40".into())), 3.0);
    let err = records::save(&LocalStorage, "dev", &older, 3.0).expect_err("refused");
    let SaveError::Conflict { kept_as: Some(kept), .. } = err else {
        panic!("conflict expected, got {err:?}")
    };
    let key = persist::assessment_key("web-cas");
    let raw = storage::get(&key).expect("read").expect("present");
    assert_eq!(
        persist::read_assessment(&raw).expect("parses").answer("10"),
        Some(&RawAnswer::Text("55".into()))
    );
    assert!(storage::get(&kept).expect("read").is_some());
    storage::remove(&key).expect("remove");
    storage::remove(&kept).expect("remove");
}
