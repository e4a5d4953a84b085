//! Fetches the guide's text (`guide.<lang>.md`, beside index.html, in the worker's precache):
//! only when the guide or a "?" is opened, never on the first screen.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The guide in `lang` ("vi" or "en"), relative to the page (so it works under a sub-path);
/// `None` when it cannot be read (offline before the worker cached it, or the file is missing).
pub async fn fetch(lang: &str) -> Option<String> {
    let w = web_sys::window()?;
    let res: web_sys::Response =
        JsFuture::from(w.fetch_with_str(&format!("./guide.{lang}.md"))).await.ok()?.dyn_into().ok()?;
    if !res.ok() {
        return None;
    }
    // Decoded as UTF-8 by the browser (`Response.text`), whatever the server says it is.
    JsFuture::from(res.text().ok()?).await.ok()?.as_string()
}
