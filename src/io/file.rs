//! Reading a user-chosen or dropped file as text, the way offices save them: UTF-8 with or
//! without a byte-order mark, or Excel's "Unicode Text" (UTF-16 with its BOM), decoded by the
//! browser's `TextDecoder`; any other encoding (Windows-1258, TCVN3…) is refused with a message
//! saying how to save it, never guessed. The text is normalised to NFC (`String.normalize`), so
//! text from macOS or some exports (NFD) compares like text typed here. A file over 64 MB, or
//! with a letter carrying more combining marks than any language does, is refused before that.

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
    /// Over `MAX_FILE_BYTES` (not read at all).
    TooLarge(u64),
    /// A run of more combining marks than any written language puts on one letter, at this
    /// line: a broken or hostile file (normalising it would take the tab for seconds).
    TooManyMarks {
        line: usize,
    },
}

/// No file the app imports is larger (a backup of a full browser storage is under 40 MB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A Vietnamese letter carries at most two combining marks (a vowel mark and a tone); no
/// script needs more than a handful on one letter.
const MAX_MARK_RUN: usize = 16;

/// The line of the first run of more than `MAX_MARK_RUN` combining marks, if any.
fn long_mark_run(s: &str) -> Option<usize> {
    let mut line = 1;
    let mut run = 0;
    for c in s.chars() {
        if c == '\n' {
            line += 1;
        }
        let mark = matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F);
        run = if mark { run + 1 } else { 0 };
        if run > MAX_MARK_RUN {
            return Some(line);
        }
    }
    None
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
            (FileError::TooLarge(n), Lang::Vi) => {
                format!("tệp quá lớn ({} MB; tối đa {} MB)", n / 1_048_576, MAX_FILE_BYTES / 1_048_576)
            }
            (FileError::TooLarge(n), Lang::En) => {
                format!(
                    "the file is too large ({} MB; at most {} MB)",
                    n / 1_048_576,
                    MAX_FILE_BYTES / 1_048_576
                )
            }
            (FileError::TooManyMarks { line }, Lang::Vi) => {
                format!("dòng {line}: một chữ mang hơn {MAX_MARK_RUN} dấu liền nhau — tệp bị hỏng, không đọc")
            }
            (FileError::TooManyMarks { line }, Lang::En) => {
                format!("line {line}: one letter carries over {MAX_MARK_RUN} marks in a row — the file is broken, not read")
            }
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
    // `size` is a whole number of bytes, as a JavaScript number.
    let size = file.size() as u64;
    if size > MAX_FILE_BYTES {
        return Err(FileError::TooLarge(size));
    }
    let buffer =
        JsFuture::from(file.array_buffer()).await.map_err(|e| FileError::Unreadable(format!("{e:?}")))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let text = decode(&bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    if let Some(line) = long_mark_run(text) {
        return Err(FileError::TooManyMarks { line });
    }
    Ok(nfc(text))
}

/// `s` in Unicode normal form C, by the browser (no normalisation tables in the wasm).
pub fn nfc(s: &str) -> String {
    let js = js_sys::JsString::from(s);
    js.normalize("NFC").dyn_into::<js_sys::JsString>().map(String::from).unwrap_or_else(|_| s.to_string())
}
