//! Roster import from CSV (UTF-8 with or without BOM, comma or semicolon) with row- and
//! column-located errors, and the training-needs export as CSV that Excel opens with Vietnamese
//! intact (UTF-8 BOM, CRLF).

use crate::domain::roster::{Cadre, Standards};
use crate::domain::text::Lang;

/// The columns, in the order of the template. Header names are matched without accents/case.
pub const COLUMNS: &[(&str, &str)] = &[
    ("ho_ten", "Họ và tên"),
    ("chuc_danh", "Chức danh"),
    ("nam_sinh", "Năm sinh"),
    ("van_hoa", "Giáo dục phổ thông"),
    ("chuyen_mon", "Chuyên môn"),
    ("nganh", "Ngành"),
    ("ly_luan_chinh_tri", "Lý luận chính trị"),
    ("tin_hoc", "Tin học"),
    ("qlnn", "Quản lý nhà nước"),
    ("ngay_bo_nhiem", "Ngày bổ nhiệm"),
    ("vung_kho_khan", "Vùng khó khăn"),
];

/// A problem in one cell (1-based row as a spreadsheet shows it, header = row 1).
#[derive(Debug, Clone, PartialEq)]
pub struct CsvIssue {
    pub row: usize,
    pub column: Option<String>,
    pub vi: String,
    pub en: String,
}

impl CsvIssue {
    pub fn message(&self, lang: Lang) -> String {
        let text = if lang == Lang::Vi { &self.vi } else { &self.en };
        match (&self.column, lang) {
            (Some(c), Lang::Vi) => format!("Dòng {}, cột “{c}”: {text}", self.row),
            (Some(c), Lang::En) => format!("Row {}, column “{c}”: {text}", self.row),
            (None, Lang::Vi) => format!("Dòng {}: {text}", self.row),
            (None, Lang::En) => format!("Row {}: {text}", self.row),
        }
    }
}

/// The one folding of Vietnamese text to lower-case ASCII (`text::fold`), for headers and values.
pub use crate::domain::text::fold;

/// The most a CSV import reads: bytes of the file, rows, fields in a row, characters in a
/// field. A roster has tens of rows and a template a few hundred; each bound is far above what
/// a real file holds, and below what makes the page stop answering (500,000 combining accents
/// in one field, or 500,000 separators in the header, take seconds to fold).
pub const MAX_CSV_BYTES: usize = 2 * 1024 * 1024;
pub const MAX_CSV_ROWS: usize = 10_000;
pub const MAX_CSV_FIELDS: usize = 200;
pub const MAX_CSV_FIELD_CHARS: usize = 2_000;

/// Rows of a CSV text: BOM removed, separator (',' ';' or a tab, as Excel's "Unicode Text"
/// saves) detected from the first line: the one it has most of. A file over the bounds above
/// is refused with where it first goes over, before any field is folded or read.
pub fn rows(text: &str) -> Result<Vec<Vec<String>>, CsvIssue> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > MAX_CSV_BYTES {
        return Err(CsvIssue {
            row: 1,
            column: None,
            vi: format!("tệp quá lớn ({} KB; tối đa {} KB)", text.len() / 1024, MAX_CSV_BYTES / 1024),
            en: format!(
                "the file is too large ({} KB; at most {} KB)",
                text.len() / 1024,
                MAX_CSV_BYTES / 1024
            ),
        });
    }
    let first_line = text.lines().next().unwrap_or("");
    let sep = [',', ';', '\t'].into_iter().max_by_key(|c| first_line.matches(*c).count()).unwrap_or(',');
    let mut rows = split(text, sep);
    for (i, r) in rows.iter().enumerate() {
        if r.len() > MAX_CSV_FIELDS {
            return Err(CsvIssue {
                row: i + 1,
                column: None,
                vi: format!("dòng có {} cột; tối đa {MAX_CSV_FIELDS}", r.len()),
                en: format!("the row has {} columns; at most {MAX_CSV_FIELDS}", r.len()),
            });
        }
        if let Some(c) = r.iter().position(|f| f.chars().nth(MAX_CSV_FIELD_CHARS).is_some()) {
            return Err(CsvIssue {
                row: i + 1,
                column: Some(format!("{}", c + 1)),
                vi: format!("ô quá dài (hơn {MAX_CSV_FIELD_CHARS} ký tự)"),
                en: format!("the cell is too long (over {MAX_CSV_FIELD_CHARS} characters)"),
            });
        }
    }
    // Blank lines (and lines of empty fields) are not rows.
    rows.retain(|r| r.iter().any(|f| !f.trim().is_empty()));
    if rows.len() > MAX_CSV_ROWS {
        return Err(CsvIssue {
            row: MAX_CSV_ROWS + 1,
            column: None,
            vi: format!("tệp có {} dòng; tối đa {MAX_CSV_ROWS}", rows.len()),
            en: format!("the file has {} rows; at most {MAX_CSV_ROWS}", rows.len()),
        });
    }
    Ok(rows)
}

/// Splits CSV text into rows of fields (RFC 4180 quoting; `sep` is ',', ';' or a tab).
fn split(text: &str, sep: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            c if c == sep => row.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Parses a roster CSV. All rows are checked; any error refuses the whole file.
pub fn parse(text: &str, standards: &Standards) -> Result<Vec<Cadre>, Vec<CsvIssue>> {
    let rows = rows(text).map_err(|e| vec![e])?;
    let mut issues = Vec::new();
    let Some(header) = rows.first() else {
        return Err(vec![CsvIssue {
            row: 1, column: None, vi: "tệp rỗng".into(), en: "empty file".into()
        }]);
    };
    // Column index of each known column, matched by id or Vietnamese name.
    let find = |id: &str, vi: &str| header.iter().position(|h| fold(h) == id || fold(h) == fold(vi));
    let idx: Vec<Option<usize>> = COLUMNS.iter().map(|(id, vi)| find(id, vi)).collect();
    for (i, (id, vi)) in COLUMNS.iter().enumerate().take(2) {
        if idx[i].is_none() {
            issues.push(CsvIssue {
                row: 1,
                column: Some(vi.to_string()),
                vi: format!("thiếu cột bắt buộc ({id})"),
                en: format!("required column missing ({id})"),
            });
        }
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let level = |scale: &str, raw: &str| -> Option<Option<String>> {
        let f = fold(raw);
        if f.is_empty() || f == "khong" || f == "chua_co" {
            return Some(None);
        }
        let s = standards.scale(scale)?;
        s.levels
            .iter()
            .find(|l| l.id == f || fold(&l.title.vi) == f || fold(&l.title.en) == f)
            .map(|l| Some(l.id.clone()))
    };
    let mut people = Vec::new();
    for (r, row) in rows.iter().enumerate().skip(1) {
        let row_no = r + 1;
        let cell =
            |i: usize| idx[i].and_then(|c| row.get(c)).map(|s| s.trim().to_string()).unwrap_or_default();
        let mut p = Cadre { id: format!("r{row_no}"), name: cell(0), ..Default::default() };
        let col = |i: usize| Some(COLUMNS[i].1.to_string());
        if p.name.is_empty() {
            issues.push(CsvIssue {
                row: row_no,
                column: col(0),
                vi: "thiếu họ tên".into(),
                en: "name missing".into(),
            });
        }
        let title_raw = cell(1);
        match standards.titles.iter().find(|t| t.matches(&title_raw)) {
            Some(t) => p.title = t.id.clone(),
            None => issues.push(CsvIssue {
                row: row_no,
                column: col(1),
                vi: format!("chức danh “{title_raw}” không có trong danh mục"),
                en: format!("title “{title_raw}” is not in the list"),
            }),
        }
        let year = cell(2);
        if !year.is_empty() {
            match year.parse::<u16>() {
                Ok(y) if (1930..=2015).contains(&y) => p.birth_year = Some(y),
                _ => issues.push(CsvIssue {
                    row: row_no,
                    column: col(2),
                    vi: format!("năm sinh “{year}” không hợp lệ"),
                    en: format!("invalid year of birth “{year}”"),
                }),
            }
        }
        for (i, scale) in
            [(3, "general"), (4, "professional"), (6, "political"), (7, "it"), (8, "state_mgmt")]
        {
            let raw = cell(i);
            match level(scale, &raw) {
                Some(Some(l)) => {
                    p.levels.insert(scale.to_string(), l);
                }
                Some(None) => {}
                None => issues.push(CsvIssue {
                    row: row_no,
                    column: col(i),
                    vi: format!("trình độ “{raw}” không có trong thang"),
                    en: format!("level “{raw}” is not on the scale"),
                }),
            }
        }
        p.field = cell(5);
        let date = cell(9);
        if !date.is_empty() {
            match crate::domain::date::parse(&date) {
                Some(d) => p.appointed = d,
                None => issues.push(CsvIssue {
                    row: row_no,
                    column: col(9),
                    vi: format!("ngày “{date}” không hợp lệ (dd/mm/yyyy)"),
                    en: format!("invalid date “{date}” (dd/mm/yyyy)"),
                }),
            }
        }
        p.difficult_area = matches!(fold(&cell(10)).as_str(), "co" | "x" | "yes" | "1" | "true");
        people.push(p);
    }
    if issues.is_empty() {
        Ok(people)
    } else {
        Err(issues)
    }
}

/// One line of the training-needs list.
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    pub training: String,
    pub commune: String,
    pub name: String,
    pub title: String,
    pub have: String,
    pub deadline: String,
}

/// CSV (UTF-8 BOM, CRLF, every field quoted) that Excel opens with Vietnamese intact.
pub fn needs_csv(needs: &[Need]) -> String {
    let mut out = String::from(crate::domain::csv::BOM);
    out.push_str(&crate::domain::csv::line(
        ["Đào tạo cần", "Xã", "Họ và tên", "Chức danh", "Hiện có", "Thời hạn"],
        ',',
    ));
    for n in needs {
        out.push_str(&crate::domain::csv::line(
            [&n.training, &n.commune, &n.name, &n.title, &n.have, &n.deadline],
            ',',
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each bound refuses with the row (and column) where the file first goes over it, before
    /// any field is folded; a file within them reads.
    #[test]
    fn hostile_files_are_refused_where_they_go_over() {
        let header = "Họ và tên;Chức danh;Năm sinh";
        let at = |text: &str| rows(text).map(|_| ()).map_err(|e| (e.row, e.column, e.vi));
        let commas = format!("Họ và tên{}\r\n", ",".repeat(500_000));
        assert_eq!(at(&commas), Err((1, None, "dòng có 500001 cột; tối đa 200".into())));
        let blank_commas = format!("{}\r\n", ",".repeat(500_000));
        assert!(matches!(at(&blank_commas), Err((1, None, _))), "a line of empty fields is counted too");
        let long = format!("{header}\r\n{};Văn phòng;1985\r\n", "x".repeat(2_001));
        assert_eq!(at(&long), Err((2, Some("1".into()), "ô quá dài (hơn 2000 ký tự)".into())));
        let many = format!("{header}\r\n{}", "A;B;1\r\n".repeat(10_001));
        assert_eq!(at(&many).map_err(|e| e.0), Err(10_001));
        let big = format!("{header}\r\n{}", "x;y;1\r\n".repeat(400_000));
        assert!(matches!(at(&big), Err((1, None, m)) if m.starts_with("tệp quá lớn")));
        // Blank lines do not count as rows, and a real file reads.
        let ok = format!("{header}\r\n\r\n;;\r\nA;B;1\r\n");
        assert_eq!(rows(&ok).map(|r| r.len()), Ok(2));
    }
}
