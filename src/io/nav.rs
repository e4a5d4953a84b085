//! The URL hash (`#/a/<id>`), which carries the current page. Hash routes work from any
//! sub-path and offline without server rewrites. Also a clock and visibility/pagehide hooks.

use wasm_bindgen::prelude::*;

/// The current hash without the leading `#`.
pub fn hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Navigates to `#<path>` (adds a history entry).
pub fn set_hash(path: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(path);
    }
}

/// Calls `f` with the new hash whenever it changes. The listener lives as long as the page.
pub fn on_hash_change(f: impl Fn(String) + 'static) {
    let Some(w) = web_sys::window() else { return };
    let cb = Closure::<dyn Fn()>::new(move || f(hash()));
    let _ = w.add_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
    cb.forget();
}

/// Calls `f` when the page is hidden or being unloaded: the moment to flush unsaved edits.
pub fn on_page_hide(f: impl Fn() + 'static) {
    let Some(w) = web_sys::window() else { return };
    let f = std::rc::Rc::new(f);
    let f2 = f.clone();
    let hide = Closure::<dyn Fn()>::new(move || f());
    let _ = w.add_event_listener_with_callback("pagehide", hide.as_ref().unchecked_ref());
    hide.forget();
    if let Some(doc) = w.document() {
        let vis = Closure::<dyn Fn()>::new(move || {
            let hidden = web_sys::window()
                .and_then(|w| w.document())
                .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
            if hidden {
                f2();
            }
        });
        let _ = doc.add_event_listener_with_callback("visibilitychange", vis.as_ref().unchecked_ref());
        vis.forget();
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Local time as "hh:mm".
pub fn hh_mm(ms: f64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(ms));
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

/// A random id (time + randomness), unique enough for assessments made on one tablet and
/// merged with others.
pub fn new_id() -> String {
    format!("{:x}-{}", now_ms() as u64, random_hex(5))
}

/// `bytes` random bytes from `crypto.getRandomValues`, as hex (device ids, record ids).
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut buf).is_ok());
    if !filled {
        // No Web Crypto (very old browser): the clock's sub-millisecond digits, never Math.random.
        let t = web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0);
        buf.iter_mut().enumerate().for_each(|(i, b)| *b = ((t * 1e6) as u64 >> (i * 8 % 56)) as u8);
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// Calls `unsaved()` when the page is about to be unloaded; if it says edits would be lost,
/// the browser asks the person to confirm leaving.
pub fn on_before_unload(unsaved: impl Fn() -> bool + 'static) {
    let Some(w) = web_sys::window() else { return };
    let cb = Closure::<dyn Fn(web_sys::BeforeUnloadEvent)>::new(move |ev: web_sys::BeforeUnloadEvent| {
        if unsaved() {
            ev.prevent_default();
            ev.set_return_value("unsaved");
        }
    });
    let _ = w.add_event_listener_with_callback("beforeunload", cb.as_ref().unchecked_ref());
    cb.forget();
}

/// Sets `<html lang>` so screen readers and hyphenation use the right language.
pub fn set_document_lang(tag: &str) {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = el.set_attribute("lang", tag);
    }
}

/// Local date as "dd/mm/yyyy".
pub fn date(ms: f64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(ms));
    format!("{:02}/{:02}/{}", d.get_date(), d.get_month() + 1, d.get_full_year())
}

/// Vertical scroll position of the page.
pub fn scroll_y() -> f64 {
    web_sys::window().and_then(|w| w.scroll_y().ok()).unwrap_or(0.0)
}

/// Scrolls the page to `y`.
pub fn scroll_to(y: f64) {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, y);
    }
}

/// Scrolls to `y` once the page is tall enough to get there (the page it returns to is drawn
/// after its chunk arrives), checking once a frame for up to `frames` frames: no guessed delay.
pub fn scroll_to_when_reachable(y: f64, frames: u32) {
    let Some(w) = web_sys::window() else { return };
    let reachable = w
        .document()
        .and_then(|d| d.document_element())
        .map(|e| f64::from(e.scroll_height()) - w.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0))
        .is_some_and(|max| max >= y - 1.0);
    if reachable || frames == 0 {
        w.scroll_to_with_x_and_y(0.0, y);
        return;
    }
    let next = Closure::once_into_js(move || scroll_to_when_reachable(y, frames - 1));
    let _ = w.request_animation_frame(next.unchecked_ref());
}

/// Moves keyboard focus to the first element matching one of `selectors` (in order), so a
/// keyboard user skips the header and navigation.
pub fn focus_first(selectors: &[&str]) {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    for sel in selectors {
        if let Some(el) =
            doc.query_selector(sel).ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
            return;
        }
    }
}

/// Local date as "yyyy-mm-dd" (the value of a date input).
pub fn iso_date(ms: f64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(ms));
    format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

/// Scrolls the element with `id` to the top of the view and moves the focus there (a heading
/// gets `tabindex=-1` so a screen reader reads from it).
pub fn scroll_into_view(id: &str) {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(el) = doc.get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        el.scroll_into_view();
        let _ = el.set_attribute("tabindex", "-1");
        let _ = el.focus();
    }
}

/// Marks `target` (an element) as where the focus returns to, clearing any earlier mark.
pub fn mark_return_point(target: Option<web_sys::EventTarget>) {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Ok(Some(old)) = doc.query_selector("[data-return-point]") {
        let _ = old.remove_attribute("data-return-point");
    }
    if let Some(el) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
        let _ = el.set_attribute("data-return-point", "");
    }
}

/// Opens the browser's print dialog (the page's print CSS decides what is printed).
pub fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// Runs `f` once the page has painted its next frame (the frame, then a task).
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    let Some(w) = web_sys::window() else { return };
    let task = Closure::once_into_js(move || {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                Closure::once_into_js(f).unchecked_ref(),
                0,
            );
        }
    });
    let _ = w.request_animation_frame(task.unchecked_ref());
}

/// Asks the browser to show the page full screen (a projector), or leaves full screen. A browser
/// that refuses (no user gesture, or not allowed) leaves the page as it is.
pub fn full_screen(on: bool) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if on {
        if let Some(el) = doc.document_element() {
            // A promise in current browsers; its refusal needs no answer here.
            let _ = el.request_fullscreen();
        }
    } else if doc.fullscreen_element().is_some() {
        doc.exit_fullscreen();
    }
}
