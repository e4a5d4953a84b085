//! Web Locks (`navigator.locks`): an exclusive lock per assessment, held by the tab that edits
//! it. The browser grants it to one tab at a time whatever the order the tabs opened in, and
//! releases it when that tab closes or crashes; a waiting request is granted then.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A lock held by this tab, until `release` (or the tab closes).
pub struct Held {
    resolve: js_sys::Function,
}

impl Held {
    pub fn release(self) {
        let _ = self.resolve.call0(&JsValue::NULL);
    }
}

pub use crate::io::lock::Mode;

fn manager() -> Option<(JsValue, js_sys::Function)> {
    let nav = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&nav, &"locks".into()).ok().filter(|l| !l.is_undefined())?;
    let request = js_sys::Reflect::get(&locks, &"request".into()).ok()?.dyn_into().ok()?;
    Some((locks, request))
}

/// Whether this browser has Web Locks.
pub fn available() -> bool {
    manager().is_some()
}

/// Asks for lock `name`. `on_granted(Some(held))` when held, `on_granted(None)` when
/// `IfAvailable` finds it held elsewhere; `on_lost` when another tab steals it. Returns an
/// handle that withdraws a request still waiting; `None` if there are no Web Locks.
pub fn request(
    name: &str,
    mode: Mode,
    on_granted: impl FnOnce(Option<Held>) + 'static,
    on_lost: impl FnOnce() + 'static,
) -> Option<Pending> {
    let (locks, request) = manager()?;
    let opts = js_sys::Object::new();
    let controller = web_sys::AbortController::new().ok();
    match mode {
        Mode::IfAvailable => {
            let _ = js_sys::Reflect::set(&opts, &"ifAvailable".into(), &JsValue::TRUE);
        }
        Mode::Steal => {
            let _ = js_sys::Reflect::set(&opts, &"steal".into(), &JsValue::TRUE);
        }
        Mode::Wait => {
            if let Some(c) = &controller {
                let _ = js_sys::Reflect::set(&opts, &"signal".into(), &c.signal());
            }
        }
    }
    let granted = Rc::new(RefCell::new(Some(on_granted)));
    let callback = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        let Some(f) = granted.borrow_mut().take() else { return JsValue::UNDEFINED };
        if lock.is_null() || lock.is_undefined() {
            f(None);
            return JsValue::UNDEFINED;
        }
        // Held until this promise settles: its resolve function is the release.
        let mut resolve = None;
        let promise = js_sys::Promise::new(&mut |res, _rej| resolve = Some(res));
        if let Some(resolve) = resolve {
            f(Some(Held { resolve }));
        }
        promise.into()
    });
    let result = request.call3(&locks, &JsValue::from_str(name), &opts, &callback).ok()?;
    let promise: js_sys::Promise = result.dyn_into().ok()?;
    let on_lost = Rc::new(RefCell::new(Some(on_lost)));
    let lost = Closure::once(move |err: JsValue| {
        // AbortError: stolen by another tab, or our own abort of a waiting request.
        let stolen = js_sys::Reflect::get(&err, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .is_some_and(|n| n == "AbortError");
        if stolen {
            if let Some(f) = on_lost.borrow_mut().take() {
                f();
            }
        }
    });
    let _ = promise.catch(&lost);
    lost.forget();
    Some(Pending { controller: (mode == Mode::Wait).then_some(controller).flatten() })
}

/// A request made; `abort` withdraws it while it still waits (no effect once granted).
pub struct Pending {
    controller: Option<web_sys::AbortController>,
}

impl Pending {
    pub fn abort(&self) {
        if let Some(c) = &self.controller {
            c.abort();
        }
    }
}

impl crate::io::lock::Held for Held {
    fn release(self: Box<Self>) {
        Held::release(*self)
    }
}

impl crate::io::lock::Pending for Pending {
    fn abort(self: Box<Self>) {
        Pending::abort(&self)
    }
}

/// The browser's Web Locks as the one-writer rule uses them.
pub struct WebLocks;

impl crate::io::lock::LockManager for WebLocks {
    fn available(&self) -> bool {
        available()
    }
    fn request(
        &self,
        name: &str,
        mode: Mode,
        on_granted: crate::io::lock::OnGranted,
        on_lost: Box<dyn FnOnce()>,
    ) -> Option<Box<dyn crate::io::lock::Pending>> {
        let pending = request(
            name,
            mode,
            move |held| on_granted(held.map(|h| Box::new(h) as Box<dyn crate::io::lock::Held>)),
            on_lost,
        )?;
        Some(Box::new(pending))
    }
}
