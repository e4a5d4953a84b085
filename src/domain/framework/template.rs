//! The spreadsheet template of a criteria set, pure: one row per indicator, one value column
//! per region or commune group with its level and source beside it, exported as CSV for Excel
//! and read back onto the set it came from. The columns carry what a provincial office types
//! from an annex table; what they do not carry (English wording beyond the title, choice
//! options, a ratio's "trong đó" part, cell notes) is kept from the set for indicators whose
//! code is unchanged. Every problem is located by row and column, and refuses the whole file.

use std::collections::BTreeMap;

use crate::domain::answer::{parse_number_as, NumberField, ParseAnswerError};
use crate::domain::framework::doc::{
    CellDoc, CriterionDoc, FrameworkDoc, GroupDoc, IndicatorDoc, ThresholdDoc, KINDS,
};
use crate::domain::framework::load::load_str;
use crate::domain::json_pos::Seg;
use crate::domain::roster_csv::{rows, CsvIssue};
use crate::domain::text::{Lang, Text};

/// The fixed columns, before the national value and one triple per column of the dimension.
pub const FIXED: [&str; 15] = [
    "nhom",
    "tieu_chi",
    "ten_tieu_chi",
    "chi_tieu",
    "noi_dung",
    "noi_dung_en",
    "loai",
    "don_vi",
    "so_sanh",
    "so_nguyen",
    "tu_so",
    "mau_so",
    "nguon",
    "muc",
    "xac_minh",
];

/// The level tokens of a value or an indicator, as the template writes them.
const OFFICIAL: &str = "van_ban_goc";
const SECONDARY: &str = "thu_cap";
const SECONDARY_UNVERIFIED: &str = "thu_cap_chua_xac_minh";
const NOT_FOUND: &str = "khong_tim_thay";
const VERIFIED: &str = "xac_minh";
const UNVERIFIED: &str = "chua_xac_minh";

/// The columns thresholds vary by: the dimension's values that do not read another's column.
pub fn value_columns(doc: &FrameworkDoc) -> Vec<String> {
    doc.dimension.values.iter().filter(|v| v.uses.is_none()).map(|v| v.id.clone()).collect()
}

/// Every header of the template of `doc`, in order.
pub fn header(doc: &FrameworkDoc) -> Vec<String> {
    let mut h: Vec<String> = FIXED.iter().map(|s| s.to_string()).collect();
    for c in std::iter::once("chung".to_string()).chain(value_columns(doc)) {
        h.push(c.clone());
        h.push(format!("{c}_muc"));
        h.push(format!("{c}_nguon"));
    }
    h
}

/// A number as the template writes it: shortest exact form, decimal comma ("83,5").
fn number(v: f64) -> String {
    format!("{v}").replace('.', ",")
}

fn provenance_token(p: Option<&str>) -> &'static str {
    match p {
        Some("official") => OFFICIAL,
        Some("secondary") => SECONDARY,
        Some("not_found") => NOT_FOUND,
        _ => "",
    }
}

/// (value, level, source) of one cell; `null` (known to be unknown) is "?".
fn cell_fields(cell: Option<&Option<CellDoc>>, indicator_verified: bool) -> [String; 3] {
    match cell {
        None => Default::default(),
        Some(None) => ["?".into(), String::new(), String::new()],
        Some(Some(CellDoc::Value(v))) => [number(*v), String::new(), String::new()],
        Some(Some(CellDoc::Detailed { value, verified, source, provenance, .. })) => {
            let v = verified.unwrap_or(indicator_verified);
            let level = match provenance.as_deref() {
                Some("official") => OFFICIAL,
                Some("not_found") => NOT_FOUND,
                Some(_) if v => SECONDARY,
                Some(_) => SECONDARY_UNVERIFIED,
                None if v == indicator_verified => "",
                None if v => VERIFIED,
                None => UNVERIFIED,
            };
            [number(*value), level.into(), source.clone().unwrap_or_default()]
        }
    }
}

/// The template of `doc` as CSV for Excel: UTF-8 with a BOM, `;`, CRLF, every field quoted.
pub fn export(doc: &FrameworkDoc) -> String {
    let line = |fields: &[String]| crate::domain::csv::line(fields, ';');
    let columns = value_columns(doc);
    let mut out = String::from(crate::domain::csv::BOM);
    out.push_str(&line(&header(doc)));
    for g in &doc.groups {
        for c in &g.criteria {
            for i in &c.indicators {
                let mut f = vec![
                    g.id.clone(),
                    c.id.clone(),
                    c.title.vi.clone(),
                    i.id.clone(),
                    i.title.vi.clone(),
                    i.title.en.clone(),
                    i.kind.clone(),
                    i.unit.as_ref().map(|u| u.vi.clone()).unwrap_or_default(),
                    i.comparator.clone().unwrap_or_default(),
                    if i.whole == Some(true) { "x".into() } else { String::new() },
                    i.numerator.as_ref().map(|t| t.vi.clone()).unwrap_or_default(),
                    i.denominator.as_ref().map(|t| t.vi.clone()).unwrap_or_default(),
                    i.source.clone(),
                    provenance_token(i.provenance.as_deref()).into(),
                    if i.verified { "x".into() } else { String::new() },
                ];
                let t = i.threshold.as_ref();
                let national = t.and_then(|t| t.national.clone());
                f.extend(cell_fields(national.map(Some).as_ref(), i.verified));
                for col in &columns {
                    f.extend(cell_fields(t.and_then(|t| t.by.as_ref()).and_then(|b| b.get(col)), i.verified));
                }
                out.push_str(&line(&f));
            }
        }
    }
    out
}

fn issue(row: usize, column: Option<&str>, vi: impl Into<String>, en: impl Into<String>) -> CsvIssue {
    CsvIssue { row, column: column.map(str::to_string), vi: vi.into(), en: en.into() }
}

/// Reads a filled template back onto `base` (the set it was exported from, or the set being
/// edited): the rows give the groups, criteria and indicators in their order, with what the
/// columns say; the rest is kept from `base`. The result is checked by the loader; any problem
/// is returned located, and `base` is untouched either way.
pub fn import(base: &FrameworkDoc, text: &str) -> Result<FrameworkDoc, Vec<CsvIssue>> {
    // Cells that went out neutralised (`'=…`) come back as they were.
    let table: Vec<Vec<String>> = rows(text)
        .map_err(|e| vec![e])?
        .into_iter()
        .map(|r| r.into_iter().map(|c| crate::domain::csv::restore(&c).to_string()).collect())
        .collect();
    let Some((head, body)) = table.split_first() else {
        return Err(vec![issue(1, None, "Tệp trống.", "The file is empty.")]);
    };
    let mut issues = Vec::new();
    let head: Vec<String> =
        head.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase()).collect();
    let known = header(base);
    for (n, h) in head.iter().enumerate() {
        if !known.contains(h) {
            issues.push(issue(
                1,
                Some(h),
                format!("cột thứ {} không có trong mẫu của bộ này (các cột: {}).", n + 1, known.join(", ")),
                format!("column {} is not in this set's template (columns: {}).", n + 1, known.join(", ")),
            ));
        }
    }
    for required in ["tieu_chi", "chi_tieu", "loai"] {
        if !head.iter().any(|h| h == required) {
            issues.push(issue(1, Some(required), "thiếu cột này.", "this column is missing."));
        }
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let at = |name: &str| head.iter().position(|h| h == name);
    let columns = value_columns(base);

    // Indicators of the base by code, to keep what the columns do not carry.
    let mut base_ind: BTreeMap<&str, &IndicatorDoc> = BTreeMap::new();
    let mut base_crit: BTreeMap<(&str, &str), &CriterionDoc> = BTreeMap::new();
    for g in &base.groups {
        for c in &g.criteria {
            base_crit.insert((g.id.as_str(), c.id.as_str()), c);
            for i in &c.indicators {
                base_ind.insert(i.id.as_str(), i);
            }
        }
    }
    let default_group = base.groups.first().map(|g| g.id.clone()).unwrap_or_else(|| "PL1".into());

    let mut groups: Vec<GroupDoc> = Vec::new();
    // (group, criterion) → the row that named the criterion first.
    let mut first_row: BTreeMap<(String, String), (usize, String)> = BTreeMap::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    // Doc position (group, criterion, indicator) → spreadsheet row, to locate the loader's issues.
    let mut row_of: BTreeMap<(usize, usize, usize), usize> = BTreeMap::new();
    for (k, r) in body.iter().enumerate() {
        let row = k + 2;
        let get =
            |name: &str| at(name).and_then(|i| r.get(i)).map(|s| s.trim().to_string()).unwrap_or_default();
        let group = Some(get("nhom")).filter(|s| !s.is_empty()).unwrap_or_else(|| default_group.clone());
        let (crit, id, kind) = (get("tieu_chi"), get("chi_tieu"), get("loai"));
        if crit.is_empty() {
            issues.push(issue(row, Some("tieu_chi"), "thiếu mã tiêu chí.", "the criterion code is missing."));
        }
        if id.is_empty() {
            issues.push(issue(row, Some("chi_tieu"), "thiếu mã chỉ tiêu.", "the indicator code is missing."));
            continue;
        }
        if let Some(prev) = seen.insert(id.clone(), row) {
            issues.push(issue(
                row,
                Some("chi_tieu"),
                format!("mã chỉ tiêu “{id}” đã có ở dòng {prev}."),
                format!("indicator code “{id}” is already on row {prev}."),
            ));
            continue;
        }
        if !KINDS.contains(&kind.as_str()) {
            issues.push(issue(
                row,
                Some("loai"),
                format!("loại “{kind}” không hợp lệ; dùng một trong: {}.", KINDS.join(", ")),
                format!("kind “{kind}” is not valid; use one of: {}.", KINDS.join(", ")),
            ));
            continue;
        }
        let crit_title = get("ten_tieu_chi");
        let key = (group.clone(), crit.clone());
        match first_row.get(&key) {
            Some((r0, t0)) if !crit_title.is_empty() && *t0 != crit_title => issues.push(issue(
                row,
                Some("ten_tieu_chi"),
                format!("tên tiêu chí {crit} khác với dòng {r0} (“{t0}”)."),
                format!("criterion {crit}'s name differs from row {r0} (“{t0}”)."),
            )),
            Some(_) => {}
            None => {
                first_row.insert(key.clone(), (row, crit_title.clone()));
            }
        }

        // The indicator: what the base had under this code, the columns over it.
        let old = base_ind.get(id.as_str()).copied();
        let mut ind =
            old.cloned().unwrap_or_else(|| IndicatorDoc::blank(id.clone(), Text::default(), kind.clone()));
        if ind.kind != kind {
            // Another kind: the fields of the old one no longer apply.
            ind = ind.with_kind(kind.clone());
        }
        // Required by its kind, so present even when empty (the loader judges the wording).
        let text_of = |old: Option<&Text>, vi: String| -> Option<Text> {
            Some(Text { en: old.filter(|t| t.vi == vi).map(|t| t.en.clone()).unwrap_or_default(), vi })
        };
        if at("noi_dung").is_some() {
            ind.title.vi = get("noi_dung");
        }
        if at("noi_dung_en").is_some() {
            ind.title.en = get("noi_dung_en");
        }
        let numeric = matches!(kind.as_str(), "number" | "ratio");
        if at("don_vi").is_some() {
            ind.unit = if kind == "number" { text_of(ind.unit.as_ref(), get("don_vi")) } else { None };
        }
        if at("tu_so").is_some() {
            ind.numerator =
                if kind == "ratio" { text_of(ind.numerator.as_ref(), get("tu_so")) } else { None };
        }
        if at("mau_so").is_some() {
            ind.denominator =
                if kind == "ratio" { text_of(ind.denominator.as_ref(), get("mau_so")) } else { None };
        }
        if at("so_sanh").is_some() {
            let s = get("so_sanh");
            ind.comparator = if numeric {
                if crate::domain::framework::Comparator::parse(&s).is_none() {
                    issues.push(issue(
                        row,
                        Some("so_sanh"),
                        format!("“{s}” không phải phép so sánh; dùng ≥, ≤, >, < hoặc =."),
                        format!("“{s}” is not a comparison; use ≥, ≤, >, < or =."),
                    ));
                }
                Some(s)
            } else {
                None
            };
        }
        if at("so_nguyen").is_some() {
            let s = get("so_nguyen");
            ind.whole = match (numeric, s.as_str()) {
                (false, _) => None,
                (true, "") => old.and_then(|o| o.whole).filter(|w| !w).map(|_| false),
                (true, "x" | "X" | "có" | "co") => Some(true),
                (true, other) => {
                    issues.push(issue(
                        row,
                        Some("so_nguyen"),
                        format!("“{other}”: ghi “x” nếu là số đếm (người, hộ), để trống nếu không."),
                        format!(
                            "“{other}”: write “x” for a count (people, households), leave empty otherwise."
                        ),
                    ));
                    None
                }
            };
        }
        if at("nguon").is_some() {
            ind.source = get("nguon");
        }
        if at("muc").is_some() {
            ind.provenance = match level(&get("muc")) {
                Ok(Level { provenance, .. }) => provenance.map(str::to_string),
                Err(()) => {
                    issues.push(bad_level(row, "muc", &get("muc")));
                    None
                }
            };
        }
        if at("xac_minh").is_some() {
            ind.verified = matches!(get("xac_minh").as_str(), "x" | "X" | "có" | "co");
        }
        if numeric {
            let field = if ind.whole == Some(true) && kind == "number" {
                NumberField::Whole
            } else {
                NumberField::Decimal
            };
            let old_t = ind.threshold.take();
            let mut cell = |name: &str, allow_null: bool| -> Option<Option<CellDoc>> {
                let (v, l, s) = (get(name), get(&format!("{name}_muc")), get(&format!("{name}_nguon")));
                let old_cell = old_t.as_ref().and_then(|t| {
                    if name == "chung" {
                        t.national.clone()
                    } else {
                        t.by.as_ref()?.get(name).cloned().flatten()
                    }
                });
                let note = match old_cell {
                    Some(CellDoc::Detailed { note, .. }) => note,
                    _ => None,
                };
                let lv = match level(&l) {
                    Ok(lv) => lv,
                    Err(()) => {
                        issues.push(bad_level(row, &format!("{name}_muc"), &l));
                        return None;
                    }
                };
                if v.is_empty() || v == "?" {
                    if !allow_null || (v.is_empty() && l.is_empty() && s.is_empty()) {
                        return None;
                    }
                    if !s.is_empty() || (lv.provenance.is_some() && lv.provenance != Some("not_found")) {
                        issues.push(issue(row, Some(name), "ô không có giá trị thì chỉ ghi mức “khong_tim_thay” (hoặc để trống), không ghi nguồn.", "a cell without a value takes only the level “khong_tim_thay” (or none), no source."));
                    }
                    return Some(None);
                }
                let value = match parse_number_as(&v, field) {
                    Ok(x) => x,
                    Err(e) => {
                        let (vi, en) = number_problem(&e, &v);
                        issues.push(issue(row, Some(name), vi, en));
                        return None;
                    }
                };
                if l.is_empty() && s.is_empty() && note.is_none() {
                    return Some(Some(CellDoc::Value(value)));
                }
                Some(Some(CellDoc::Detailed {
                    value,
                    verified: lv.verified,
                    note,
                    source: (!s.is_empty()).then_some(s),
                    provenance: lv.provenance.map(str::to_string),
                }))
            };
            let national = cell("chung", false).flatten();
            let by: BTreeMap<String, Option<CellDoc>> =
                columns.iter().filter_map(|c| cell(c, true).map(|v| (c.clone(), v))).collect();
            let by = if by.is_empty() {
                None
            } else {
                // One column filled: every column is part of the table; an empty one is unknown.
                Some(columns.iter().map(|c| (c.clone(), by.get(c).cloned().flatten())).collect())
            };
            ind.threshold = Some(ThresholdDoc { national, by });
        } else {
            ind.threshold = None;
        }

        // Into its group and criterion, in the order the rows name them.
        let gi = match groups.iter().position(|g| g.id == group) {
            Some(gi) => gi,
            None => {
                let title = base
                    .groups
                    .iter()
                    .find(|g| g.id == group)
                    .map(|g| g.title.clone())
                    .unwrap_or_else(|| Text::new(group.clone(), ""));
                groups.push(GroupDoc { id: group.clone(), title, criteria: Vec::new() });
                groups.len() - 1
            }
        };
        let g = &mut groups[gi];
        let ci = match g.criteria.iter().position(|c| c.id == crit) {
            Some(ci) => ci,
            None => {
                let mut c = base_crit
                    .get(&(group.as_str(), crit.as_str()))
                    .map(|c| CriterionDoc { indicators: Vec::new(), ..(*c).clone() })
                    .unwrap_or_else(|| CriterionDoc {
                        id: crit.clone(),
                        title: Text::default(),
                        rule: None,
                        indicators: Vec::new(),
                        note: None,
                    });
                if !crit_title.is_empty() && c.title.vi != crit_title {
                    c.title = Text::new(crit_title.clone(), "");
                }
                g.criteria.push(c);
                g.criteria.len() - 1
            }
        };
        g.criteria[ci].indicators.push(ind);
        row_of.insert((gi, ci, g.criteria[ci].indicators.len() - 1), row);
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let doc = FrameworkDoc { groups, ..base.clone() };
    // The loader's own checks (thresholds per column, ids, ranges), located back to their row.
    let json = serde_json::to_string(&doc).unwrap_or_default();
    let loaded = load_str(&json);
    let located: Vec<CsvIssue> = loaded
        .errors()
        .map(|e| {
            let segs = &e.path.0;
            let idx = |n: usize| match segs.get(n) {
                Some(Seg::Index(i)) => Some(*i),
                _ => None,
            };
            let row = match (idx(1), idx(3), idx(5)) {
                (Some(g), Some(c), Some(i)) => row_of.get(&(g, c, i)).copied(),
                (Some(g), Some(c), None) => {
                    row_of.iter().find(|((a, b, _), _)| (*a, *b) == (g, c)).map(|(_, r)| *r)
                }
                _ => None,
            };
            let column = segs.iter().rev().find_map(|s| match s {
                Seg::Key(k) if columns.iter().any(|c| c == k.as_ref()) => Some(k.to_string()),
                _ => None,
            });
            issue(row.unwrap_or(1), column.as_deref(), e.message(Lang::Vi), e.message(Lang::En))
        })
        .collect();
    if located.is_empty() {
        Ok(doc)
    } else {
        Err(located)
    }
}

/// What a level token says: the provenance it sets and the verified flag it carries.
struct Level {
    provenance: Option<&'static str>,
    verified: Option<bool>,
}

fn level(token: &str) -> Result<Level, ()> {
    let t = crate::domain::roster_csv::fold(token);
    let (provenance, verified) = match t.as_str() {
        "" => (None, None),
        "van_ban_goc" | "official" => (Some("official"), None),
        "thu_cap" | "secondary" => (Some("secondary"), Some(true)),
        "thu_cap_chua_xac_minh" => (Some("secondary"), Some(false)),
        "khong_tim_thay" | "not_found" => (Some("not_found"), None),
        "xac_minh" | "verified" => (None, Some(true)),
        "chua_xac_minh" | "unverified" => (None, Some(false)),
        _ => return Err(()),
    };
    Ok(Level { provenance, verified })
}

fn bad_level(row: usize, column: &str, found: &str) -> CsvIssue {
    let list = [OFFICIAL, SECONDARY, SECONDARY_UNVERIFIED, NOT_FOUND, VERIFIED, UNVERIFIED].join(", ");
    issue(
        row,
        Some(column),
        format!("mức nguồn “{found}” không hợp lệ; dùng một trong: {list} (hoặc để trống)."),
        format!("level “{found}” is not valid; use one of: {list} (or leave it empty)."),
    )
}

fn number_problem(e: &ParseAnswerError, typed: &str) -> (String, String) {
    match e {
        ParseAnswerError::Ambiguous { thousands, decimal, .. } => (
            format!(
                "“{typed}” có thể là {thousands} hoặc {decimal}: ghi {} hoặc {}.",
                number(*thousands),
                number(*decimal)
            ),
            format!(
                "“{typed}” could be {thousands} or {decimal}: write {} or {}.",
                number(*thousands),
                number(*decimal)
            ),
        ),
        ParseAnswerError::NotWhole => (
            format!("“{typed}”: chỉ tiêu số đếm cần số nguyên."),
            format!("“{typed}”: a count needs a whole number."),
        ),
        _ => (format!("“{typed}” không phải là số."), format!("“{typed}” is not a number.")),
    }
}
