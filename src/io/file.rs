//! Reading a user-chosen or dropped file as text.

use wasm_bindgen_futures::JsFuture;

/// The whole file as text (UTF-8), or a description of why it could not be read.
pub async fn read_text(file: web_sys::File) -> Result<String, String> {
    let v = JsFuture::from(file.text()).await.map_err(|e| format!("{e:?}"))?;
    v.as_string().ok_or_else(|| "not text".to_string())
}
