//! Reads a CouchDB `_changes` answer one row at a time, without trusting any row: the answer is
//! cut into its rows by an iterative scan (no recursion, so a document nested 10,000 levels deep
//! cannot stop it), and each row is then parsed on its own. A row that cannot be read is set
//! aside with its id and why; the rows around it are taken.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::text::Lang;

/// A row's text above this is set aside unread (the server's guard refuses documents over
/// 262,144 characters; four bytes a character at most).
pub const MAX_ROW_BYTES: usize = 4 * 262_144;

/// A `_changes` answer cut into rows: each row's text as sent, and the page's `last_seq`.
#[derive(Debug, Clone, PartialEq)]
pub struct RawChanges<'a> {
    pub rows: Vec<&'a str>,
    pub last_seq: Value,
}

/// Why the answer as a whole cannot be read (nothing of it is applied).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotChanges;

/// Why one row was set aside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RowProblem {
    /// Over `MAX_ROW_BYTES`.
    TooLarge { bytes: usize },
    /// Nested deeper than any record (a parser's limit: 128 levels).
    TooDeep,
    /// Not JSON (broken), with where the parser stopped.
    Unreadable { detail: String },
    /// JSON, but not a change row or not a document of the kind its id says.
    WrongShape,
    /// An assessment whose signed steps do not prove its stage.
    InvalidChain { vi: String, en: String },
    /// A criteria set that does not load.
    BadFramework,
}

impl RowProblem {
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            RowProblem::TooLarge { bytes } => {
                if vi {
                    format!("tài liệu quá lớn ({} KB)", bytes / 1024)
                } else {
                    format!("document too large ({} KB)", bytes / 1024)
                }
            }
            RowProblem::TooDeep => {
                if vi {
                    "tài liệu lồng quá nhiều tầng (hơn 128), không phải một hồ sơ".into()
                } else {
                    "the document is nested too deep (over 128 levels): not a record".into()
                }
            }
            RowProblem::Unreadable { detail } => {
                if vi {
                    format!("không đọc được: JSON hỏng ({detail})")
                } else {
                    format!("cannot be read: broken JSON ({detail})")
                }
            }
            RowProblem::WrongShape => {
                if vi {
                    "không đúng dạng một bản đánh giá hay bộ tiêu chí".into()
                } else {
                    "not the shape of an assessment or a criteria set".into()
                }
            }
            RowProblem::InvalidChain { vi: v, en } => {
                if vi {
                    format!("hồ sơ không hợp lệ: các bước ký không khớp — {v}")
                } else {
                    format!("invalid dossier: the signed steps do not match — {en}")
                }
            }
            RowProblem::BadFramework => {
                if vi {
                    "bộ tiêu chí không đọc được".into()
                } else {
                    "the criteria set does not load".into()
                }
            }
        }
    }
}

fn ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// The index just after the string starting at `i` (a `"`).
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The index just after the JSON value starting at `i`, found by counting brackets (strings
/// skipped), never by recursion. Not a validator: each row is parsed afterwards.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

/// The members of the object at `i`: (key, value text), in order, one level only.
fn members(text: &str, i: usize) -> Option<(Vec<(String, &str)>, usize)> {
    let b = text.as_bytes();
    let mut i = ws(b, i);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let mut out = Vec::new();
    i = ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return Some((out, i + 1));
    }
    loop {
        i = ws(b, i);
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let k_end = string_end(b, i)?;
        let key: String = serde_json::from_str(&text[i..k_end]).ok()?;
        i = ws(b, k_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = ws(b, i + 1);
        let v_end = value_end(b, i)?;
        out.push((key, &text[i..v_end]));
        i = ws(b, v_end);
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b'}') => return Some((out, i + 1)),
            _ => return None,
        }
    }
}

/// Cuts a `_changes` answer into its rows.
pub fn split_changes(text: &str) -> Result<RawChanges<'_>, NotChanges> {
    let (top, end) = members(text, 0).ok_or(NotChanges)?;
    if ws(text.as_bytes(), end) != text.len() {
        return Err(NotChanges);
    }
    let mut rows = None;
    let mut last_seq = None;
    for (key, value) in top {
        match key.as_str() {
            "results" => rows = Some(elements(value).ok_or(NotChanges)?),
            "last_seq" => last_seq = Some(serde_json::from_str(value).map_err(|_| NotChanges)?),
            _ => {}
        }
    }
    Ok(RawChanges { rows: rows.ok_or(NotChanges)?, last_seq: last_seq.ok_or(NotChanges)? })
}

/// The elements of the array `text`, each as sent.
fn elements(text: &str) -> Option<Vec<&str>> {
    let b = text.as_bytes();
    if b.first() != Some(&b'[') {
        return None;
    }
    let mut out = Vec::new();
    let mut i = ws(b, 1);
    if b.get(i) == Some(&b']') {
        return (ws(b, i + 1) == b.len()).then_some(out);
    }
    loop {
        i = ws(b, i);
        let end = value_end(b, i)?;
        out.push(&text[i..end]);
        i = ws(b, end);
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b']') => return Some(out),
            _ => return None,
        }
    }
}

/// The `id` and `seq` of a row, read from its top level only (for a row that cannot be parsed).
pub fn row_id_seq(row: &str) -> (Option<String>, Option<Value>) {
    let Some((m, _)) = members(row, 0) else { return (None, None) };
    let mut id = None;
    let mut seq = None;
    for (k, v) in m {
        match k.as_str() {
            "id" => id = serde_json::from_str::<String>(v).ok(),
            "seq" => seq = serde_json::from_str::<Value>(v).ok(),
            _ => {}
        }
    }
    (id, seq)
}

/// Parses one row's text; too large or unreadable rows give why.
pub fn parse_row(row: &str) -> Result<Value, RowProblem> {
    if row.len() > MAX_ROW_BYTES {
        return Err(RowProblem::TooLarge { bytes: row.len() });
    }
    serde_json::from_str(row).map_err(|e| {
        if e.to_string().starts_with("recursion limit exceeded") {
            RowProblem::TooDeep
        } else {
            RowProblem::Unreadable { detail: format!("{}:{}", e.line(), e.column()) }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_cut_without_trusting_any_of_them() {
        let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        let text = format!(
            r#"{{"results":[{{"seq":1,"id":"a","changes":[]}},
            {{"seq":"2-g","id":"deep","doc":{{"x":{deep},"s":"]}}\"["}}}} ,{{"seq":3,"id":"c"}}],
            "last_seq":"3-g","pending":0}}"#
        );
        let page = split_changes(&text).expect("cut");
        assert_eq!(page.rows.len(), 3);
        assert_eq!(page.last_seq, Value::from("3-g"));
        assert!(parse_row(page.rows[0]).is_ok());
        assert_eq!(parse_row(page.rows[1]), Err(RowProblem::TooDeep));
        assert!(matches!(parse_row(r#"{"id":"x","#), Err(RowProblem::Unreadable { .. })));
        assert_eq!(row_id_seq(page.rows[1]), (Some("deep".into()), Some(Value::from("2-g"))));
        assert_eq!(parse_row(page.rows[2]).expect("row")["id"], "c");
    }

    #[test]
    fn a_broken_answer_is_refused_whole() {
        for bad in [
            "",
            "[]",
            r#"{"results":[]}"#,
            r#"{"last_seq":1}"#,
            r#"{"results":[{"id":"a"}"#,
            r#"{"results":[{"id":"a"}],"last_seq":1} x"#,
            r#"{"results":{"id":"a"},"last_seq":1}"#,
        ] {
            assert_eq!(split_changes(bad), Err(NotChanges), "{bad}");
        }
        assert_eq!(split_changes(r#"{"results":[],"last_seq":0}"#).map(|p| p.rows.len()), Ok(0));
    }

    #[test]
    fn a_huge_row_is_set_aside_unread() {
        let row = format!(r#"{{"seq":9,"id":"big","doc":{{"note":"{}"}}}}"#, "x".repeat(MAX_ROW_BYTES));
        assert!(matches!(parse_row(&row), Err(RowProblem::TooLarge { .. })));
        assert_eq!(row_id_seq(&row).0.as_deref(), Some("big"));
    }
}
