//! The service worker: registration (relative URL, so any sub-path works), detection of a new
//! release waiting to take over, and applying it (the page reloads once the new worker controls).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn container() -> Option<web_sys::ServiceWorkerContainer> {
    let w = web_sys::window()?;
    let nav = w.navigator();
    // Absent on insecure origins and in some embedded browsers.
    js_sys::Reflect::has(&nav, &"serviceWorker".into()).ok()?.then(|| nav.service_worker())
}

/// Registers `./sw.js` once the first screen is painted; calls `on_update` when a new release
/// is installed and waiting. On a first visit the worker precaches every file of the app: begun
/// at once, that work delayed the first screen's layout and paint on a throttled CPU.
pub fn register(on_update: impl Fn() + Clone + 'static) {
    let Some(c) = container() else { return };
    crate::io::nav::after_next_paint(move || register_now(c, on_update));
}

fn register_now(c: web_sys::ServiceWorkerContainer, on_update: impl Fn() + Clone + 'static) {
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(reg) = JsFuture::from(c.register("./sw.js")).await else { return };
        let reg: web_sys::ServiceWorkerRegistration = reg.unchecked_into();
        let has_controller = move || container().and_then(|c| c.controller()).is_some();
        if reg.waiting().is_some() && has_controller() {
            on_update();
        }
        let reg2 = reg.clone();
        let found = Closure::<dyn Fn()>::new(move || {
            let Some(worker) = reg2.installing() else { return };
            let w2 = worker.clone();
            let on_update = on_update.clone();
            let changed = Closure::<dyn Fn()>::new(move || {
                if w2.state() == web_sys::ServiceWorkerState::Installed && has_controller() {
                    on_update();
                }
            });
            worker.set_onstatechange(Some(changed.as_ref().unchecked_ref()));
            changed.forget();
        });
        reg.set_onupdatefound(Some(found.as_ref().unchecked_ref()));
        found.forget();
        // Look for a new release now and every 10 minutes while the app is open.
        check_for_update(&reg);
        let reg3 = reg.clone();
        let tick = Closure::<dyn Fn()>::new(move || check_for_update(&reg3));
        if let Some(w) = web_sys::window() {
            let _ = w.set_interval_with_callback_and_timeout_and_arguments_0(
                tick.as_ref().unchecked_ref(),
                600_000,
            );
        }
        tick.forget();
    });
}

/// Asks the server for a newer worker. Offline, or with the server out of reach, the check
/// fails: that is the normal state of a tablet in the field, not an error, so the promise's
/// rejection is awaited here and dropped (left alone it reached the console as an uncaught
/// "Failed to update a ServiceWorker"); the next check tries again.
fn check_for_update(reg: &web_sys::ServiceWorkerRegistration) {
    if let Ok(p) = reg.update() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(p).await;
        });
    }
}

/// Asks the waiting worker to take over, and reloads the page when it has.
pub fn apply_update() {
    let Some(c) = container() else { return };
    let reload = Closure::<dyn Fn()>::new(|| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    c.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(ready) = c.ready() else { return };
        let Ok(reg) = JsFuture::from(ready).await else { return };
        let reg: web_sys::ServiceWorkerRegistration = reg.unchecked_into();
        if let Some(w) = reg.waiting() {
            let _ = w.post_message(&JsValue::from_str("SKIP_WAITING"));
        }
    });
}

/// The build this page runs: `scripts/post-build.mjs` writes it into index.html's
/// `<meta name="tieuchi-build">` (a hash of the main module), and into `version.json`.
pub fn running_build() -> Option<String> {
    let doc = web_sys::window()?.document()?;
    doc.query_selector("meta[name=tieuchi-build]").ok()??.get_attribute("content")
}

/// The build the server publishes now (`version.json`, never from a cache); `None` offline.
pub async fn published_build() -> Option<String> {
    let w = web_sys::window()?;
    let init = web_sys::RequestInit::new();
    init.set_cache(web_sys::RequestCache::NoStore);
    let req = web_sys::Request::new_with_str_and_init("./version.json", &init).ok()?;
    let res: web_sys::Response = JsFuture::from(w.fetch_with_request(&req)).await.ok()?.dyn_into().ok()?;
    if !res.ok() {
        return None;
    }
    let json = JsFuture::from(res.json().ok()?).await.ok()?;
    js_sys::Reflect::get(&json, &"build".into()).ok()?.as_string()
}

/// Reloads the page once for `build`: true if it reloads, false if it already did in this tab
/// (so a chunk that keeps failing shows its message instead of looping).
pub fn reload_once_for(build: &str) -> bool {
    let Some(w) = web_sys::window() else { return false };
    let key = "tieuchi/chunk-reload";
    if let Ok(Some(s)) = w.session_storage() {
        if s.get_item(key).ok().flatten().as_deref() == Some(build) {
            return false;
        }
        let _ = s.set_item(key, build);
    }
    w.location().reload().is_ok()
}

/// Reloads the page.
pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}
