//! Reads framework JSON into the model, collecting every problem with its JSON path and
//! line:column instead of stopping at the first. Knows nothing about the browser; never panics
//! on any input (a property test feeds it arbitrary bytes).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::domain::framework::doc::{CellDoc, FrameworkDoc, IndicatorDoc, RuleDoc, ThresholdDoc, FORMAT_V1};
use crate::domain::framework::model::{
    Cell, Choice, Comparator, Condition, Criterion, Dimension, DimensionValue, Framework, Group, Indicator,
    Kind, LegalBasis, NotAssessed, Part, Plausible, Provenance, Rule, Threshold,
};
use crate::domain::json_pos::{self, JsonPath, Pos, Seg};
use crate::domain::text::Lang;

/// Largest framework file accepted (bytes).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// Deepest nesting of arrays/objects accepted.
pub const MAX_DEPTH: usize = 32;
/// At most this many problems are reported; the rest are counted.
pub const MAX_ISSUES: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The file is refused.
    Error,
    /// Reported, but the file is usable (e.g. an unknown field).
    Warning,
}

/// One problem found in a framework file, where it is, and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadIssue {
    pub severity: Severity,
    pub path: JsonPath,
    pub pos: Option<Pos>,
    pub kind: IssueKind,
}

/// What is wrong. Each variant's message is given in Vietnamese and English by `message`.
#[derive(Debug, Clone, PartialEq)]
pub enum IssueKind {
    /// The file is bigger than `MAX_BYTES`.
    TooLarge { bytes: usize, limit: usize },
    /// The file is not UTF-8 text.
    NotUtf8,
    /// Arrays/objects nest deeper than `MAX_DEPTH`.
    TooDeep { limit: usize },
    /// Not valid JSON (serde_json's own description).
    Malformed { detail: String },
    /// A value has the wrong type or a required field is missing.
    Shape { detail: String },
    /// `format` is not one this release reads.
    UnknownFormat { found: String },
    /// `kind` is not one of the known indicator kinds.
    UnknownKind { found: String },
    /// `provenance` is not `official`, `secondary` or `not_found`.
    UnknownProvenance { found: String },
    /// An id is used twice where it must be unique.
    DuplicateId { id: String, first: JsonPath },
    /// An id is empty or has characters not allowed in ids.
    BadId { id: String },
    /// A threshold lists some dimension values but not this one.
    MissingThreshold { indicator: String, value: String },
    /// A threshold names a dimension value that the framework does not declare.
    DanglingReference { what: &'static str, id: String },
    /// A field is present that does not apply to this kind (e.g. a comparator on yes/no).
    FieldNotForKind { field: &'static str, kind: String },
    /// A field that this kind needs is missing.
    FieldRequired { field: &'static str, kind: String },
    /// The comparator text is not one of ≥ ≤ > < =.
    BadComparator { found: String },
    /// A number is out of its sensible range (e.g. a percentage above 100, a negative maximum).
    OutOfRange { detail: String },
    /// A choice's pass set or a rule count that cannot be satisfied / refers to nothing.
    Inconsistent { detail: String },
    /// A field that this release does not know; ignored.
    UnknownField { field: String },
    /// More problems than `MAX_ISSUES`; the rest are not listed.
    Truncated { more: usize },
}

impl LoadIssue {
    /// The located message: `groups[0].criteria[1] (12:7): …`.
    pub fn message(&self, lang: Lang) -> String {
        let at = match self.pos {
            Some(p) => format!("{} ({})", self.path, p),
            None => self.path.to_string(),
        };
        format!("{at}: {}", self.kind.message(lang))
    }
}

impl IssueKind {
    pub fn message(&self, lang: Lang) -> String {
        use IssueKind::*;
        let vi = lang == Lang::Vi;
        match self {
            TooLarge { bytes, limit } => {
                if vi {
                    format!("tệp quá lớn ({bytes} byte; tối đa {limit} byte)")
                } else {
                    format!("file too large ({bytes} bytes; limit {limit} bytes)")
                }
            }
            NotUtf8 => {
                if vi {
                    "tệp không phải văn bản UTF-8".into()
                } else {
                    "file is not UTF-8 text".into()
                }
            }
            TooDeep { limit } => {
                if vi {
                    format!("lồng nhau quá sâu (tối đa {limit} cấp)")
                } else {
                    format!("nested too deeply (limit {limit} levels)")
                }
            }
            Malformed { detail } => {
                if vi {
                    format!("JSON không hợp lệ: {}", serde_detail_vi(detail))
                } else {
                    format!("malformed JSON: {detail}")
                }
            }
            Shape { detail } => {
                if vi {
                    format!("sai cấu trúc: {}", serde_detail_vi(detail))
                } else {
                    format!("wrong structure: {detail}")
                }
            }
            UnknownFormat { found } => {
                if vi {
                    format!("định dạng “{found}” không được hỗ trợ (cần “{FORMAT_V1}”)")
                } else {
                    format!("format “{found}” is not supported (expected “{FORMAT_V1}”)")
                }
            }
            UnknownProvenance { found } => {
                if vi {
                    format!("nguồn “{found}” không hợp lệ (official, secondary, not_found)")
                } else {
                    format!("unknown provenance “{found}” (official, secondary, not_found)")
                }
            }
            UnknownKind { found } => {
                if vi {
                    format!("loại chỉ tiêu không xác định “{found}” (yes_no, number, ratio, choice, checklist, points, roster)")
                } else {
                    format!("unknown indicator kind “{found}” (yes_no, number, ratio, choice, checklist, points, roster)")
                }
            }
            DuplicateId { id, first } => {
                if vi {
                    format!("mã “{id}” bị trùng (đã dùng tại {first})")
                } else {
                    format!("duplicate id “{id}” (first used at {first})")
                }
            }
            BadId { id } => {
                if vi {
                    format!("mã “{id}” không hợp lệ (không được rỗng, chỉ dùng chữ, số, . - _)")
                } else {
                    format!("invalid id “{id}” (must be non-empty; letters, digits, . - _ only)")
                }
            }
            MissingThreshold { indicator, value } => {
                if vi {
                    format!("chỉ tiêu {indicator} thiếu ngưỡng cho “{value}” (ghi null nếu chưa rõ)")
                } else {
                    format!("indicator {indicator} has no threshold for “{value}” (write null if unknown)")
                }
            }
            DanglingReference { what, id } => {
                if vi {
                    format!("tham chiếu tới {what} không tồn tại: “{id}”")
                } else {
                    format!("reference to a {what} that does not exist: “{id}”")
                }
            }
            FieldNotForKind { field, kind } => {
                if vi {
                    format!("trường “{field}” không áp dụng cho loại “{kind}”")
                } else {
                    format!("field “{field}” does not fit kind “{kind}”")
                }
            }
            FieldRequired { field, kind } => {
                if vi {
                    format!("loại “{kind}” cần trường “{field}”")
                } else {
                    format!("kind “{kind}” needs field “{field}”")
                }
            }
            BadComparator { found } => {
                if vi {
                    format!("phép so sánh “{found}” không hợp lệ (>=, <=, >, <, =)")
                } else {
                    format!("invalid comparator “{found}” (>=, <=, >, <, =)")
                }
            }
            OutOfRange { detail } => {
                if vi {
                    format!("giá trị ngoài phạm vi: {detail}")
                } else {
                    format!("value out of range: {detail}")
                }
            }
            Inconsistent { detail } => {
                if vi {
                    format!("không nhất quán: {detail}")
                } else {
                    format!("inconsistent: {detail}")
                }
            }
            UnknownField { field } => {
                if vi {
                    format!("trường không xác định “{field}” (bỏ qua)")
                } else {
                    format!("unknown field “{field}” (ignored)")
                }
            }
            Truncated { more } => {
                if vi {
                    format!("còn {more} lỗi khác không liệt kê")
                } else {
                    format!("{more} more problems not listed")
                }
            }
        }
    }
}

/// The outcome of reading a file: the framework when nothing is an error, and every issue.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub framework: Option<Framework>,
    pub issues: Vec<LoadIssue>,
}

impl Loaded {
    pub fn errors(&self) -> impl Iterator<Item = &LoadIssue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }
    pub fn warnings(&self) -> impl Iterator<Item = &LoadIssue> {
        self.issues.iter().filter(|i| i.severity == Severity::Warning)
    }
}

/// A file refused for one reason.
fn refused(path: JsonPath, pos: Option<Pos>, kind: IssueKind) -> Loaded {
    Loaded { framework: None, issues: vec![LoadIssue { severity: Severity::Error, path, pos, kind }] }
}

fn too_large(bytes: usize) -> Loaded {
    refused(JsonPath::root(), None, IssueKind::TooLarge { bytes, limit: MAX_BYTES })
}

/// Reads a framework from raw bytes (a file, a paste, a bundled asset).
pub fn load_bytes(bytes: &[u8]) -> Loaded {
    if bytes.len() > MAX_BYTES {
        return too_large(bytes.len());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => load_checked_size(text),
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            refused(JsonPath::root(), Some(json_pos::pos_of_offset(valid, valid.len())), IssueKind::NotUtf8)
        }
    }
}

/// Reads a framework from text. A leading byte-order mark is ignored.
pub fn load_str(text: &str) -> Loaded {
    if text.len() > MAX_BYTES {
        return too_large(text.len());
    }
    load_checked_size(text)
}

/// Reads a framework that was accepted at import: the framework is built even if today's
/// rules find errors in it (a later release may be stricter), so the assessments made with it
/// stay usable; the errors are listed for the person to see. `None` only if it does not parse.
pub fn load_str_accepted(text: &str) -> Loaded {
    if text.len() > MAX_BYTES {
        return too_large(text.len());
    }
    load_checked(text, true)
}

/// Reads a framework that was already accepted (bundled with this release, or stored at
/// import) the fast way, for start-up: one plain parse and the same checks, without the walk
/// for unknown fields, the positions or the messages, which only the import and editor pages
/// show (and whose code then stays in their chunk). Gives the framework, built even when
/// today's rules find errors in it (as `load_str_accepted`), and how many errors they find;
/// `None` when it does not parse.
pub fn load_trusted(text: &str) -> Option<(Framework, usize)> {
    if text.len() > MAX_BYTES {
        return None;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if json_pos::nesting_exceeds(text, MAX_DEPTH).is_some() {
        return None;
    }
    let doc: FrameworkDoc = serde_json::from_str(text).ok()?;
    let mut b = Builder { issues: Vec::new() };
    let framework = b.framework(doc);
    let errors = b.issues.iter().filter(|i| i.severity == Severity::Error).count();
    Some((framework, errors))
}

/// `load_str` once the size is known to be within the limit.
fn load_checked_size(text: &str) -> Loaded {
    load_checked(text, false)
}

fn load_checked(text: &str, accepted: bool) -> Loaded {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(offset) = json_pos::nesting_exceeds(text, MAX_DEPTH) {
        let pos = Some(json_pos::pos_of_offset(text, offset));
        return refused(JsonPath::root(), pos, IssueKind::TooDeep { limit: MAX_DEPTH });
    }

    // One parse, noting unknown fields on the way; a failure is located from its position.
    let mut unknown: Vec<JsonPath> = Vec::new();
    let parsed = {
        let mut de = serde_json::Deserializer::from_str(text);
        let mut on_unknown = |p: serde_ignored::Path<'_>| unknown.push(ignored_path(&p));
        let parsed =
            serde::Deserialize::deserialize(serde_ignored::Deserializer::new(&mut de, &mut on_unknown));
        parsed.and_then(|d: FrameworkDoc| de.end().map(|()| d))
    };
    let doc = match parsed {
        Ok(d) => d,
        Err(e) => return located_parse_error(text, &e),
    };

    let mut b = Builder { issues: Vec::new() };
    for path in unknown {
        let field = match path.0.last() {
            Some(Seg::Key(k)) => k.to_string(),
            _ => path.to_string(),
        };
        // A field present on a kind that does not take it is an error, reported by `indicator`.
        b.warn(path, IssueKind::UnknownField { field });
    }
    let framework = b.framework(doc);

    // Locate every issue in one pass over the text.
    let paths: Vec<JsonPath> = b.issues.iter().map(|i| i.path.clone()).collect();
    let found = json_pos::locate(text, &paths);
    for issue in &mut b.issues {
        issue.pos = found.get(&issue.path).copied();
    }
    b.issues.sort_by(|a, c| {
        a.severity.cmp(&c.severity).then_with(|| {
            let key = |i: &LoadIssue| i.pos.map(|p| (p.line, p.column)).unwrap_or((0, 0));
            key(a).cmp(&key(c))
        })
    });
    if b.issues.len() > MAX_ISSUES {
        let more = b.issues.len() - MAX_ISSUES;
        b.issues.truncate(MAX_ISSUES);
        b.issues.push(LoadIssue {
            severity: Severity::Warning,
            path: JsonPath::root(),
            pos: None,
            kind: IssueKind::Truncated { more },
        });
    }
    let has_error = b.issues.iter().any(|i| i.severity == Severity::Error);
    Loaded { framework: if has_error && !accepted { None } else { Some(framework) }, issues: b.issues }
}

/// Says where (JSON path and line:column) and why a file does not parse: serde_json gives the
/// position and the reason; the path is the value found at that position.
fn located_parse_error(text: &str, err: &serde_json::Error) -> Loaded {
    let pos = (err.line() > 0).then(|| Pos { line: err.line() as u32, column: err.column() as u32 });
    let path = match pos {
        Some(_) => json_pos::path_at(text, json_pos::offset_of_pos(text, err.line(), err.column())),
        None => JsonPath::root(),
    };
    let detail = strip_position(&err.to_string());
    let kind = if err.is_syntax() || err.is_eof() {
        IssueKind::Malformed { detail }
    } else {
        IssueKind::Shape { detail }
    };
    refused(path, pos, kind)
}

fn ignored_path(p: &serde_ignored::Path<'_>) -> JsonPath {
    use serde_ignored::Path as P;
    fn walk(p: &P<'_>, out: &mut Vec<Seg>) {
        match p {
            P::Root => {}
            P::Seq { parent, index } => {
                walk(parent, out);
                out.push(Seg::Index(*index));
            }
            P::Map { parent, key } => {
                walk(parent, out);
                out.push(Seg::Key(key.clone().into()));
            }
            P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
                walk(parent, out)
            }
        }
    }
    let mut segs = Vec::new();
    walk(p, &mut segs);
    JsonPath(segs)
}

/// A serde_json message ("EOF while parsing a value", "invalid type: string \"x\", expected
/// struct Text") in Vietnamese; one it does not know is kept, marked as technical detail.
pub(crate) fn serde_detail_vi(detail: &str) -> String {
    fn tick(s: &str) -> String {
        s.trim().trim_matches('`').to_string()
    }
    fn what(s: &str) -> String {
        let s = s.trim();
        let (kind, rest) = s.split_once(' ').unwrap_or((s, ""));
        let v = rest.trim().trim_matches('`');
        match kind {
            "string" => format!("chuỗi {v}"),
            "integer" => format!("số nguyên {v}"),
            "floating" => format!("số {}", v.trim_start_matches("point").trim().trim_matches('`')),
            "boolean" => format!("giá trị {v}"),
            "map" => "một đối tượng {…}".into(),
            "sequence" => "một danh sách […]".into(),
            "null" => "null".into(),
            _ => s.to_string(),
        }
    }
    fn expected(s: &str) -> String {
        let s = s.trim();
        match s {
            "struct Text" => "một văn bản song ngữ {\"vi\": \"…\", \"en\": \"…\"}".into(),
            "a string" => "một chuỗi".into(),
            "a sequence" => "một danh sách […]".into(),
            "a boolean" => "true hoặc false".into(),
            "f64" | "f32" => "một số".into(),
            "u8" | "u16" | "u32" | "u64" | "usize" => "một số nguyên không âm".into(),
            "a tuple of size 2" => "hai giá trị [a, b]".into(),
            _ if s.starts_with("struct ") || s.starts_with("a map") => "một đối tượng {…}".into(),
            _ if s.starts_with("one of ") => format!("một trong {}", &s[7..]),
            _ => s.to_string(),
        }
    }
    let d = detail.trim();
    if let Some(rest) = d.strip_prefix("EOF while parsing") {
        let inside = match rest.trim() {
            "a list" => " (trong một danh sách […])",
            "an object" => " (trong một đối tượng {…})",
            "a string" => " (trong một chuỗi)",
            _ => "",
        };
        return format!("tệp kết thúc giữa chừng{inside} — thiếu phần cuối");
    }
    if let Some(f) = d.strip_prefix("missing field ") {
        return format!("thiếu trường “{}”", tick(f));
    }
    if let Some(f) = d.strip_prefix("duplicate field ") {
        return format!("trường “{}” xuất hiện hai lần", tick(f));
    }
    if let Some(rest) = d.strip_prefix("unknown variant ") {
        let (v, exp) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("giá trị “{}” không hợp lệ (cần {})", tick(v), expected(exp));
    }
    for (prefix, vi) in [("invalid type: ", "sai kiểu"), ("invalid value: ", "giá trị không hợp lệ")]
    {
        if let Some(rest) = d.strip_prefix(prefix) {
            let (got, exp) = rest.split_once(", expected ").unwrap_or((rest, ""));
            return format!("{vi}: gặp {}, cần {}", what(got), expected(exp));
        }
    }
    if let Some(rest) = d.strip_prefix("invalid length ") {
        let (n, exp) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("độ dài {n} không hợp lệ, cần {}", expected(exp));
    }
    let known = [
        ("expected `:`", "thiếu dấu “:” sau tên trường"),
        ("expected `,` or `]`", "thiếu dấu “,” hoặc “]” trong danh sách"),
        ("expected `,` or `}`", "thiếu dấu “,” hoặc “}” trong đối tượng"),
        ("expected value", "cần một giá trị"),
        ("expected ident", "từ khoá không hợp lệ (true, false hoặc null)"),
        ("key must be a string", "tên trường phải là chuỗi trong dấu ngoặc kép"),
        ("trailing comma", "thừa dấu “,” ở cuối"),
        ("trailing characters", "còn ký tự thừa sau khi hết JSON"),
        ("invalid escape", "ký tự thoát “\\” không hợp lệ"),
        ("invalid number", "số không hợp lệ"),
        ("number out of range", "số quá lớn"),
        ("recursion limit exceeded", "lồng nhau quá sâu"),
    ];
    for (en, vi) in known {
        if d.starts_with(en) {
            return vi.to_string();
        }
    }
    if d.starts_with("control character") {
        return "có ký tự điều khiển trong chuỗi (xuống dòng phải viết là \\n)".into();
    }
    format!("(chi tiết kỹ thuật: {d})")
}

/// serde_json appends " at line L column C"; we show the position separately.
pub(crate) fn strip_position(s: &str) -> String {
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

struct Builder {
    issues: Vec<LoadIssue>,
}

impl Builder {
    fn error(&mut self, path: JsonPath, kind: IssueKind) {
        self.issues.push(LoadIssue { severity: Severity::Error, path, pos: None, kind });
    }
    fn warn(&mut self, path: JsonPath, kind: IssueKind) {
        self.issues.push(LoadIssue { severity: Severity::Warning, path, pos: None, kind });
    }

    fn check_id(&mut self, id: &str, path: JsonPath, seen: &mut HashMap<String, JsonPath>) {
        if !valid_id(id) {
            self.error(path, IssueKind::BadId { id: id.to_string() });
        } else if let Some(first) = seen.get(id) {
            let first = first.clone();
            self.error(path, IssueKind::DuplicateId { id: id.to_string(), first });
        } else {
            seen.insert(id.to_string(), path);
        }
    }

    fn framework(&mut self, doc: FrameworkDoc) -> Framework {
        let root = JsonPath::root();
        if doc.format != FORMAT_V1 {
            self.error(root.key("format"), IssueKind::UnknownFormat { found: doc.format.clone() });
        }
        if !valid_id(&doc.id) {
            self.error(root.key("id"), IssueKind::BadId { id: doc.id.clone() });
        }
        if doc.version.trim().is_empty() {
            self.error(root.key("version"), IssueKind::BadId { id: doc.version.clone() });
        }
        if doc.period.0 > doc.period.1 {
            self.error(
                root.key("period"),
                IssueKind::OutOfRange { detail: format!("{} > {}", doc.period.0, doc.period.1) },
            );
        }

        // Dimension values.
        let dim_path = root.key("dimension");
        let mut seen_values = HashMap::new();
        for (i, v) in doc.dimension.values.iter().enumerate() {
            self.check_id(&v.id, dim_path.key("values").index(i).key("id"), &mut seen_values);
        }
        if doc.dimension.values.is_empty() {
            self.error(
                dim_path.key("values"),
                IssueKind::Inconsistent { detail: "dimension.values is empty".into() },
            );
        }
        let value_ids: BTreeSet<String> = doc.dimension.values.iter().map(|v| v.id.clone()).collect();
        // Values that borrow another column (`uses`) need no threshold column of their own.
        let columns: BTreeSet<String> =
            doc.dimension.values.iter().filter(|v| v.uses.is_none()).map(|v| v.id.clone()).collect();
        for (i, v) in doc.dimension.values.iter().enumerate() {
            if let Some(u) = &v.uses {
                let target = doc.dimension.values.iter().find(|t| &t.id == u);
                match target {
                    None => self.error(
                        dim_path.key("values").index(i).key("uses"),
                        IssueKind::DanglingReference { what: "dimension value", id: u.clone() },
                    ),
                    Some(t) if t.uses.is_some() => self.error(
                        dim_path.key("values").index(i).key("uses"),
                        IssueKind::Inconsistent { detail: format!("“{u}” itself uses another value") },
                    ),
                    Some(_) => {}
                }
            }
        }
        let dimension = Dimension {
            id: doc.dimension.id,
            title: doc.dimension.title,
            values: doc
                .dimension
                .values
                .into_iter()
                .map(|v| DimensionValue { id: v.id, title: v.title, note: v.note, uses: v.uses })
                .collect(),
        };

        let mut groups = Vec::new();
        let mut criteria = Vec::new();
        let mut indicators = Vec::new();
        let mut seen_groups = HashMap::new();
        let mut seen_criteria = HashMap::new();
        let mut seen_indicators = HashMap::new();
        for (gi, g) in doc.groups.into_iter().enumerate() {
            let gpath = root.key("groups").index(gi);
            self.check_id(&g.id, gpath.key("id"), &mut seen_groups);
            let c_start = criteria.len();
            for (ci, c) in g.criteria.into_iter().enumerate() {
                let cpath = gpath.key("criteria").index(ci);
                self.check_id(&c.id, cpath.key("id"), &mut seen_criteria);
                let i_start = indicators.len();
                let criterion_index = criteria.len();
                let n_indicators = c.indicators.len();
                if n_indicators == 0 {
                    self.error(
                        cpath.key("indicators"),
                        IssueKind::Inconsistent { detail: format!("criterion {} has no indicators", c.id) },
                    );
                }
                for (ii, ind) in c.indicators.into_iter().enumerate() {
                    let ipath = cpath.key("indicators").index(ii);
                    self.check_id(&ind.id, ipath.key("id"), &mut seen_indicators);
                    if let Some(kind) = self.kind(&ind, &ipath, &value_ids, &columns) {
                        let provenance = match ind.provenance.as_deref() {
                            None => Provenance::Secondary,
                            Some(p) => Provenance::parse(p).unwrap_or_else(|| {
                                let path = ipath.key("provenance");
                                self.error(path, IssueKind::UnknownProvenance { found: p.to_string() });
                                Provenance::Secondary
                            }),
                        };
                        let not_assessed = ind.not_assessed.as_ref().map(|n| {
                            let path = ipath.key("not_assessed");
                            if n.scored_as != "met" {
                                self.error(
                                    path.key("scored_as"),
                                    IssueKind::Inconsistent {
                                        detail: format!("scored_as “{}”: only “met” is known", n.scored_as),
                                    },
                                );
                            }
                            if n.source.trim().is_empty() {
                                self.error(
                                    path.key("source"),
                                    IssueKind::FieldRequired { field: "source", kind: "not_assessed".into() },
                                );
                            }
                            let provenance = match n.provenance.as_deref() {
                                None => Provenance::Secondary,
                                Some(p) => Provenance::parse(p).unwrap_or_else(|| {
                                    self.error(
                                        path.key("provenance"),
                                        IssueKind::UnknownProvenance { found: p.to_string() },
                                    );
                                    Provenance::Secondary
                                }),
                            };
                            NotAssessed { when: n.when.clone(), source: n.source.clone(), provenance }
                        });
                        indicators.push(Indicator {
                            id: ind.id,
                            title: ind.title,
                            kind,
                            source: ind.source,
                            verified: ind.verified,
                            provenance,
                            note: ind.note,
                            criterion: criterion_index,
                            not_assessed,
                        });
                    }
                }
                let range = i_start..indicators.len();
                let rule = self.rule(c.rule, &cpath, &indicators[range.clone()], n_indicators);
                criteria.push(Criterion {
                    id: c.id,
                    title: c.title,
                    rule,
                    group: gi,
                    indicators: range,
                    note: c.note,
                });
            }
            groups.push(Group { id: g.id, title: g.title, criteria: c_start..criteria.len() });
        }
        if groups.is_empty() {
            self.error(root.key("groups"), IssueKind::Inconsistent { detail: "no groups".into() });
        }

        let by_id = indicators.iter().enumerate().map(|(i, ind)| (ind.id.clone(), i)).collect();
        let short_title = doc.short_title.unwrap_or_else(|| doc.title.clone());
        let mut seen_conditions = HashMap::new();
        let mut conditions = Vec::new();
        for (i, c) in doc.recognition_conditions.into_iter().enumerate() {
            let cpath = root.key("recognition_conditions").index(i);
            self.check_id(&c.id, cpath.key("id"), &mut seen_conditions);
            let provenance = Provenance::parse(&c.provenance).unwrap_or_else(|| {
                self.error(
                    cpath.key("provenance"),
                    IssueKind::UnknownProvenance { found: c.provenance.clone() },
                );
                Provenance::NotFound
            });
            conditions.push(Condition {
                id: c.id,
                title: c.title,
                source: c.source,
                provenance,
                note: c.note,
            });
        }
        Framework {
            id: doc.id,
            version: doc.version,
            title: doc.title,
            short_title,
            period: doc.period,
            legal: LegalBasis {
                decision: doc.legal_basis.decision,
                signed: doc.legal_basis.signed,
                in_force: doc.legal_basis.in_force,
                replaces: doc.legal_basis.replaces,
                amended_by: doc.legal_basis.amended_by,
                source: doc.legal_basis.source,
            },
            dimension,
            groups,
            criteria,
            indicators,
            notes: doc.notes,
            conditions,
            provisional: doc.provisional,
            by_id,
        }
    }

    fn rule(&mut self, rule: Option<RuleDoc>, cpath: &JsonPath, inds: &[Indicator], n: usize) -> Rule {
        let rpath = cpath.key("rule");
        match rule {
            None | Some(RuleDoc::All) => Rule::All,
            Some(RuleDoc::AtLeast { count }) => {
                if count == 0 || count as usize > n {
                    self.error(
                        rpath.key("count"),
                        IssueKind::Inconsistent { detail: format!("at_least {count} of {n} indicators") },
                    );
                }
                Rule::AtLeast(count as usize)
            }
            Some(RuleDoc::Score { min_total, min_part_share }) => {
                if !(0.0..=1.0).contains(&min_part_share) {
                    self.error(
                        rpath.key("min_part_share"),
                        IssueKind::OutOfRange { detail: format!("{min_part_share} ∉ [0, 1]") },
                    );
                }
                let mut max_total = 0.0;
                for ind in inds {
                    match ind.kind {
                        Kind::Points { max } => max_total += max,
                        _ => self.error(
                            rpath.clone(),
                            IssueKind::Inconsistent {
                                detail: format!(
                                    "score rule needs points indicators; {} is {}",
                                    ind.id,
                                    ind.kind.name()
                                ),
                            },
                        ),
                    }
                }
                if !min_total.is_finite() || min_total < 0.0 || min_total > max_total + 1e-9 {
                    self.error(
                        rpath.key("min_total"),
                        IssueKind::OutOfRange { detail: format!("{min_total} > {max_total}") },
                    );
                }
                Rule::Score { min_total, min_part_share }
            }
        }
    }

    /// Builds the kind, reporting fields that do not fit it. `None` when the kind is unknown.
    fn kind(
        &mut self,
        d: &IndicatorDoc,
        ipath: &JsonPath,
        value_ids: &BTreeSet<String>,
        columns: &BTreeSet<String>,
    ) -> Option<Kind> {
        let kind_name = d.kind.as_str();
        let present: [(&'static str, bool); 13] = [
            ("unit", d.unit.is_some()),
            ("comparator", d.comparator.is_some()),
            ("threshold", d.threshold.is_some()),
            ("numerator", d.numerator.is_some()),
            ("denominator", d.denominator.is_some()),
            ("options", d.options.is_some()),
            ("pass", d.pass.is_some()),
            ("items", d.items.is_some()),
            ("min_met", d.min_met.is_some()),
            ("max_points", d.max_points.is_some()),
            ("whole", d.whole.is_some()),
            ("part", d.part.is_some()),
            ("plausible", d.plausible.is_some()),
        ];
        let allowed: &[&str] = match kind_name {
            "yes_no" | "roster" => &[],
            "number" => &["unit", "comparator", "threshold", "whole", "plausible"],
            "ratio" => &["comparator", "threshold", "numerator", "denominator", "unit", "whole", "part"],
            "choice" => &["options", "pass"],
            "checklist" => &["items", "min_met"],
            "points" => &["max_points"],
            other => {
                self.error(ipath.key("kind"), IssueKind::UnknownKind { found: other.to_string() });
                return None;
            }
        };
        for (field, is) in present {
            if is && !allowed.contains(&field) {
                self.error(ipath.key(field), IssueKind::FieldNotForKind { field, kind: kind_name.into() });
            }
        }
        let required = |b: &mut Builder, field: &'static str, ok: bool| {
            if !ok {
                b.error(ipath.key(field), IssueKind::FieldRequired { field, kind: kind_name.into() });
            }
        };
        Some(match kind_name {
            "yes_no" => Kind::YesNo,
            "roster" => Kind::Roster,
            "number" | "ratio" => {
                required(self, "comparator", d.comparator.is_some());
                required(self, "threshold", d.threshold.is_some());
                let cmp = match d.comparator.as_deref().map(|c| (c, Comparator::parse(c))) {
                    Some((_, Some(c))) => c,
                    Some((raw, None)) => {
                        self.error(ipath.key("comparator"), IssueKind::BadComparator { found: raw.into() });
                        Comparator::Ge
                    }
                    None => Comparator::Ge,
                };
                let percent = kind_name == "ratio";
                let threshold = d
                    .threshold
                    .as_ref()
                    .map(|t| {
                        let p = ipath.key("threshold");
                        self.threshold(t, &d.id, &p, (value_ids, columns), percent, d.verified)
                    })
                    .unwrap_or_default();
                if percent {
                    if cmp == Comparator::Eq {
                        self.error(
                            ipath.key("comparator"),
                            IssueKind::FieldNotForKind { field: "comparator", kind: "ratio (=)".into() },
                        );
                    }
                    let part = d.part.as_ref().map(|p| {
                        let path = ipath.key("part").key("threshold");
                        let threshold = self.threshold(
                            &p.threshold,
                            &d.id,
                            &path,
                            (value_ids, columns),
                            true,
                            d.verified,
                        );
                        Part { title: p.title.clone(), threshold }
                    });
                    Kind::Ratio {
                        numerator: d.numerator.clone().unwrap_or_default(),
                        denominator: d.denominator.clone().unwrap_or_default(),
                        cmp,
                        threshold,
                        whole: d.whole.unwrap_or(false),
                        part,
                    }
                } else {
                    required(self, "unit", d.unit.is_some());
                    let unit = d.unit.clone().unwrap_or_default();
                    let plausible = d.plausible.as_ref().map(|p| self.plausible(p, &ipath.key("plausible")));
                    Kind::Number { unit, cmp, threshold, whole: d.whole.unwrap_or(false), plausible }
                }
            }
            "choice" => {
                required(self, "options", d.options.is_some());
                required(self, "pass", d.pass.is_some());
                let options = self.choices(d.options.as_deref().unwrap_or(&[]), &ipath.key("options"));
                let pass: BTreeSet<String> = d.pass.clone().unwrap_or_default().into_iter().collect();
                for (i, p) in d.pass.iter().flatten().enumerate() {
                    if !options.iter().any(|o| &o.id == p) {
                        self.error(
                            ipath.key("pass").index(i),
                            IssueKind::DanglingReference { what: "option", id: p.clone() },
                        );
                    }
                }
                if d.pass.as_ref().is_some_and(|p| p.is_empty()) {
                    self.error(
                        ipath.key("pass"),
                        IssueKind::Inconsistent { detail: "pass set is empty".into() },
                    );
                }
                Kind::Choice { options, pass }
            }
            "checklist" => {
                required(self, "items", d.items.is_some());
                let items = self.choices(d.items.as_deref().unwrap_or(&[]), &ipath.key("items"));
                let min_met = d.min_met.map_or(items.len(), |m| m as usize);
                if min_met == 0 || min_met > items.len() {
                    self.error(
                        ipath.key(if d.min_met.is_some() { "min_met" } else { "items" }),
                        IssueKind::Inconsistent { detail: format!("{min_met} of {} items", items.len()) },
                    );
                }
                Kind::Checklist { items, min_met }
            }
            "points" => {
                required(self, "max_points", d.max_points.is_some());
                let max = d.max_points.unwrap_or(0.0);
                if d.max_points.is_some() && !(max.is_finite() && max > 0.0) {
                    self.error(
                        ipath.key("max_points"),
                        IssueKind::OutOfRange { detail: format!("{max} ≤ 0") },
                    );
                }
                Kind::Points { max }
            }
            _ => unreachable!("kinds are matched above"),
        })
    }

    /// A number's plausible range: finite, `min < max`; a scale above 1 with the smaller unit's name.
    fn plausible(&mut self, p: &crate::domain::framework::doc::PlausibleDoc, path: &JsonPath) -> Plausible {
        if !(p.min.is_finite() && p.max.is_finite() && p.min >= 0.0 && p.min < p.max) {
            self.error(path.clone(), IssueKind::OutOfRange { detail: format!("{} – {}", p.min, p.max) });
        }
        let scale = match (p.scale, &p.scale_unit) {
            (Some(f), Some(u)) if f.is_finite() && f > 1.0 => Some((f, u.clone())),
            (None, None) => None,
            (Some(f), _) if !(f.is_finite() && f > 1.0) => {
                self.error(path.key("scale"), IssueKind::OutOfRange { detail: format!("{f} ≤ 1") });
                None
            }
            _ => {
                self.error(
                    path.clone(),
                    IssueKind::Inconsistent { detail: "scale and scale_unit go together".into() },
                );
                None
            }
        };
        Plausible { min: p.min, max: p.max, scale, source: p.source.clone() }
    }

    fn choices(&mut self, docs: &[crate::domain::framework::doc::OptionDoc], path: &JsonPath) -> Vec<Choice> {
        let mut seen = HashMap::new();
        if docs.is_empty() {
            self.error(path.clone(), IssueKind::Inconsistent { detail: "empty list".into() });
        }
        docs.iter()
            .enumerate()
            .map(|(i, o)| {
                self.check_id(&o.id, path.index(i).key("id"), &mut seen);
                Choice { id: o.id.clone(), title: o.title.clone() }
            })
            .collect()
    }

    fn threshold(
        &mut self,
        t: &ThresholdDoc,
        indicator: &str,
        path: &JsonPath,
        (value_ids, columns): (&BTreeSet<String>, &BTreeSet<String>),
        percent: bool,
        indicator_verified: bool,
    ) -> Threshold {
        // The path is built only for an error: building it for every cell was a fifth of the
        // time to check a large file.
        let cell = |b: &mut Builder, c: &CellDoc, p: &dyn Fn() -> JsonPath| -> Cell {
            let (value, verified, note, source, provenance) = match c {
                CellDoc::Value(v) => (*v, indicator_verified, None, None, None),
                CellDoc::Detailed { value, verified, note, source, provenance } => {
                    let provenance = match provenance.as_deref().map(|s| (s, Provenance::parse(s))) {
                        None => None,
                        Some((_, Some(p))) => Some(p),
                        Some((found, None)) => {
                            b.error(
                                p().key("provenance"),
                                IssueKind::UnknownProvenance { found: found.into() },
                            );
                            None
                        }
                    };
                    // A value cited from the official text is verified; one not found never is.
                    let verified = match provenance {
                        Some(Provenance::Official) => true,
                        Some(Provenance::NotFound) => false,
                        _ => verified.unwrap_or(indicator_verified),
                    };
                    (*value, verified, note.clone(), source.clone(), provenance)
                }
            };
            if !value.is_finite() || (percent && !(0.0..=100.0).contains(&value)) {
                b.error(p(), IssueKind::OutOfRange { detail: format!("{value}%") });
            }
            Cell { value, verified, note, source, provenance }
        };
        let national = t.national.as_ref().map(|c| cell(self, c, &|| path.key("national")));
        let mut by = BTreeMap::new();
        if let Some(map) = &t.by {
            for (k, v) in map {
                if !value_ids.contains(k) {
                    self.error(
                        path.key("by").key(k.clone()),
                        IssueKind::DanglingReference { what: "dimension value", id: k.clone() },
                    );
                }
                let c = v.as_ref().map(|c| cell(self, c, &|| path.key("by").key(k.clone())));
                by.insert(k.clone(), c);
            }
            for value in columns {
                if !map.contains_key(value) {
                    self.error(
                        path.key("by"),
                        IssueKind::MissingThreshold { indicator: indicator.into(), value: value.clone() },
                    );
                }
            }
        }
        if national.is_none() && by.values().all(|c| c.is_none()) {
            // Nothing known: allowed (the indicator shows "threshold unknown"), but say so.
            self.warn(
                path.clone(),
                IssueKind::Inconsistent { detail: format!("no threshold value known for {indicator}") },
            );
        }
        Threshold { national, by }
    }
}
