//! Talking to other tabs of the app on this device: a BroadcastChannel for "who edits which
//! assessment", and the `storage` event that tells when another tab wrote a key.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

thread_local! {
    static CHANNEL: RefCell<Option<web_sys::BroadcastChannel>> = const { RefCell::new(None) };
}

/// Opens the channel and calls `on_message` with each JSON message from other tabs.
pub fn open(on_message: impl Fn(String) + 'static) {
    let Ok(ch) = web_sys::BroadcastChannel::new("tieuchi") else { return };
    let cb = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        if let Some(s) = ev.data().as_string() {
            on_message(s);
        }
    });
    ch.set_onmessage(Some(cb.as_ref().unchecked_ref()));
    cb.forget();
    CHANNEL.with(|c| *c.borrow_mut() = Some(ch));
}

/// Sends a JSON message to every other tab.
pub fn post(message: &str) {
    CHANNEL.with(|c| {
        if let Some(ch) = c.borrow().as_ref() {
            let _ = ch.post_message(&JsValue::from_str(message));
        }
    });
}

/// Calls `f(key)` whenever another tab changes a localStorage key.
pub fn on_storage_change(f: impl Fn(String) + 'static) {
    let Some(w) = web_sys::window() else { return };
    let cb = Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |ev: web_sys::StorageEvent| {
        if let Some(k) = ev.key() {
            f(k);
        }
    });
    let _ = w.add_event_listener_with_callback("storage", cb.as_ref().unchecked_ref());
    cb.forget();
}

/// Asks the browser not to evict this origin's storage under pressure (best effort).
pub fn request_persistent_storage() {
    let Some(w) = web_sys::window() else { return };
    if let Ok(p) = w.navigator().storage().persist() {
        // The answer only matters to the browser; nothing to do with it here.
        let _ = p;
    }
}
