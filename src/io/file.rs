//! Reading a user-chosen or dropped file as text, the way offices save them: UTF-8 with or
//! without a byte-order mark, or Excel's "Unicode Text" (UTF-16 with its BOM), decoded by the
//! browser's `TextDecoder`; any other encoding (Windows-1258, TCVN3…) is refused with a message
//! saying how to save it, never guessed. The text is normalised to NFC (`String.normalize`), so
//! text from macOS or some exports (NFD) compares like text typed here.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::domain::text::Lang;

/// Why a file could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// Not UTF-8 or UTF-16 with a BOM.
    NotUtf8,
    Empty,
    /// The browser could not read it, with its message.
    Unreadable(String),
}

impl FileError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (FileError::NotUtf8, Lang::Vi) => {
                "tệp không phải UTF-8 — trong Excel chọn Lưu dạng “CSV UTF-8 (*.csv)”".into()
            }
            (FileError::NotUtf8, Lang::En) => {
                "the file is not UTF-8 — in Excel choose Save as “CSV UTF-8 (*.csv)”".into()
            }
            (FileError::Empty, Lang::Vi) => "tệp rỗng".into(),
            (FileError::Empty, Lang::En) => "the file is empty".into(),
            (FileError::Unreadable(m), Lang::Vi) => format!("không đọc được tệp ({m})"),
            (FileError::Unreadable(m), Lang::En) => format!("the file cannot be read ({m})"),
        }
    }
}

/// Decodes `bytes` as UTF-16 when they start with its BOM, else as strict UTF-8.
fn decode(bytes: &[u8]) -> Result<String, FileError> {
    let utf16 = match bytes {
        [0xFF, 0xFE, ..] => Some("utf-16le"),
        [0xFE, 0xFF, ..] => Some("utf-16be"),
        _ => None,
    };
    match utf16 {
        Some(label) => {
            let decoder = web_sys::TextDecoder::new_with_label(label)
                .map_err(|e| FileError::Unreadable(format!("{e:?}")))?;
            decoder.decode_with_u8_array(bytes).map_err(|_| FileError::NotUtf8)
        }
        None => String::from_utf8(bytes.to_vec()).map_err(|_| FileError::NotUtf8),
    }
}

/// The whole file as NFC text (a leading BOM removed).
pub async fn read_text(file: web_sys::File) -> Result<String, FileError> {
    let buffer =
        JsFuture::from(file.array_buffer()).await.map_err(|e| FileError::Unreadable(format!("{e:?}")))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let text = decode(&bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    Ok(nfc(text))
}

/// `s` in Unicode normal form C, by the browser (no normalisation tables in the wasm).
pub fn nfc(s: &str) -> String {
    let js = js_sys::JsString::from(s);
    js.normalize("NFC").dyn_into::<js_sys::JsString>().map(String::from).unwrap_or_else(|_| s.to_string())
}
