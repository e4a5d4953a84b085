//! Whether the app can reach its host. `navigator.onLine` only says a network interface is up,
//! so it is confirmed by fetching `version.json` past the service worker and every cache.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Calls `report(online)` now, on every online/offline event, and every 30 s.
pub fn watch(report: impl Fn(bool) + 'static) {
    let Some(w) = web_sys::window() else { return };
    let report: Rc<dyn Fn(bool)> = Rc::new(report);
    let busy = Rc::new(RefCell::new(false));
    let check = {
        let report = report.clone();
        move || {
            if *busy.borrow() {
                return;
            }
            *busy.borrow_mut() = true;
            let (report, busy) = (report.clone(), busy.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let ok = probe().await;
                *busy.borrow_mut() = false;
                report(ok);
            });
        }
    };
    // The first probe once the first screen is painted: a request and its answer are work the
    // first screen does not need (`online` starts true; going offline is believed at once).
    crate::io::nav::after_next_paint(check.clone());
    let on_event = Closure::<dyn Fn()>::new(check.clone());
    let _ = w.add_event_listener_with_callback("online", on_event.as_ref().unchecked_ref());
    let _ =
        w.set_interval_with_callback_and_timeout_and_arguments_0(on_event.as_ref().unchecked_ref(), 30_000);
    on_event.forget();
    // Going offline is believed at once; coming back online is confirmed by the probe.
    let off = Closure::<dyn Fn()>::new(move || report(false));
    let _ = w.add_event_listener_with_callback("offline", off.as_ref().unchecked_ref());
    off.forget();
}

async fn probe() -> bool {
    let Some(w) = web_sys::window() else { return false };
    if !w.navigator().on_line() {
        return false;
    }
    let init = web_sys::RequestInit::new();
    init.set_cache(web_sys::RequestCache::NoStore);
    let url = format!("./version.json?probe={}", js_sys::Date::now() as u64);
    match JsFuture::from(w.fetch_with_str_and_init(&url, &init)).await {
        Ok(resp) => resp.dyn_into::<web_sys::Response>().map(|r| r.ok()).unwrap_or(false),
        Err(_) => false,
    }
}
