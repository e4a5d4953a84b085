//! The one CSV writer of every export (results, gaps, training needs, the framework template):
//! UTF-8 with a BOM, CRLF, every field quoted, and every cell a spreadsheet would run as a
//! formula neutralised with a leading `'` (OWASP, CSV injection). The xlsx writer neutralises
//! its text cells with the same function.

use std::borrow::Cow;

/// A cell starting with one of these is read as a formula by Excel, LibreOffice or Sheets.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` as a spreadsheet shows it, never runs it: a leading `'` before a formula start.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_START) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// What `neutralise` wrote, read back (a template that went out to Excel and comes back).
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

/// One CSV line: each field neutralised, quoted (`"` doubled), joined by `sep`, ended by CRLF.
pub fn line<S: AsRef<str>>(fields: impl IntoIterator<Item = S>, sep: char) -> String {
    let mut out = String::new();
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        out.push('"');
        out.push_str(&neutralise(f.as_ref()).replace('"', "\"\""));
        out.push('"');
    }
    out.push_str("\r\n");
    out
}

/// The start of a CSV file Excel opens as UTF-8.
pub const BOM: &str = "\u{feff}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_shown_never_run() {
        for (cell, shown) in [
            ("=HYPERLINK(\"http://x\",\"Bấm\")", "'=HYPERLINK(\"http://x\",\"Bấm\")"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\r=1", "'\r=1"),
            ("Xã Tân Thành", "Xã Tân Thành"),
            ("83,5", "83,5"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(neutralise(cell), shown, "{cell:?}");
            assert_eq!(restore(&neutralise(cell)), cell, "{cell:?}");
        }
        assert_eq!(restore("'quoted"), "'quoted", "an apostrophe of the officer's own stays");
        assert_eq!(line(["=1", "a\"b", "x"], ';'), "\"'=1\";\"a\"\"b\";\"x\"\r\n");
    }
}
