//! The framework editor's model, pure: a set as its JSON document, changed by operations that
//! each either apply or say why not (a number that does not read), with undo and redo, and
//! checked after every change by the same loader that checks imports. A set with errors can be
//! kept as a draft; only a set with none is published, as a new `id@version`.

use std::collections::BTreeMap;

use crate::domain::answer::{parse_number, parse_number_as, NumberField};
use crate::domain::framework::doc::{
    CellDoc, ConditionDoc, CriterionDoc, FrameworkDoc, GroupDoc, IndicatorDoc, LegalBasisDoc, OptionDoc,
    RuleDoc, ThresholdDoc, FORMAT_V1,
};
use crate::domain::framework::load::{load_str, Loaded};
use crate::domain::text::Text;

/// Where an operation applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Group(usize),
    Criterion(usize, usize),
    Indicator(usize, usize, usize),
    Condition(usize),
    Note(usize),
}

/// A set-level field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meta {
    Id,
    Version,
    Title,
    TitleEn,
    ShortTitle,
    Decision,
    Signed,
    InForce,
    LegalSource,
    PeriodFrom,
    PeriodTo,
    /// "true" while the set still lacks its tables (every verdict from it is provisional).
    Provisional,
}

/// One change to the set being edited.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Meta(Meta, String),
    /// A blank item inserted at the target's position (its last index may be the length).
    Add(Target),
    Remove(Target),
    /// To another position under the same parent.
    Move(Target, usize),
    /// A named field of the target (see `FIELDS`), as typed.
    Set(Target, &'static str, String),
    /// A threshold value: `column` `None` for the national value; `part` for the "trong đó"
    /// condition of a ratio. An empty value clears the cell ("?" marks it unknown).
    Cell {
        at: Target,
        part: bool,
        column: Option<String>,
        value: String,
        level: String,
        source: String,
    },
    /// Every column of the dimension takes the national value (and its level and source).
    SameForAll {
        at: Target,
        part: bool,
    },
}

/// The fields `Op::Set` accepts, per target.
pub const FIELDS: &[(&str, &[&str])] = &[
    ("group", &["id", "title", "title_en"]),
    ("criterion", &["id", "title", "title_en", "rule", "note"]),
    (
        "indicator",
        &[
            "id",
            "title",
            "title_en",
            "kind",
            "unit",
            "comparator",
            "whole",
            "numerator",
            "denominator",
            "options",
            "pass",
            "min_met",
            "max_points",
            "source",
            "provenance",
            "verified",
            "note",
        ],
    ),
    ("condition", &["id", "title", "source", "provenance"]),
    ("note", &["vi", "en"]),
];

/// Why an operation was not applied, in both languages.
#[derive(Debug, Clone, PartialEq)]
pub struct EditError {
    pub vi: String,
    pub en: String,
}

fn err<T>(vi: impl Into<String>, en: impl Into<String>) -> Result<T, EditError> {
    Err(EditError { vi: vi.into(), en: en.into() })
}

/// The set being edited, with its history.
#[derive(Debug, Clone, PartialEq)]
pub struct Editor {
    pub doc: FrameworkDoc,
    undo: Vec<FrameworkDoc>,
    redo: Vec<FrameworkDoc>,
}

/// How many changes can be undone.
pub const UNDO_DEPTH: usize = 200;

impl Editor {
    pub fn new(doc: FrameworkDoc) -> Editor {
        Editor { doc, undo: Vec::new(), redo: Vec::new() }
    }
    /// Applies `op`; on refusal nothing changes. `Ok(false)`: it changed nothing (the same
    /// value again), so there is nothing to keep or undo.
    pub fn apply(&mut self, op: Op) -> Result<bool, EditError> {
        let mut next = self.doc.clone();
        apply(&mut next, op)?;
        if next == self.doc {
            return Ok(false);
        }
        self.undo.push(std::mem::replace(&mut self.doc, next));
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(true)
    }
    /// Replaces the whole set (a template read back), as one undoable change.
    pub fn replace(&mut self, doc: FrameworkDoc) {
        if doc != self.doc {
            self.undo.push(std::mem::replace(&mut self.doc, doc));
            self.redo.clear();
        }
    }
    pub fn undo(&mut self) -> bool {
        match self.undo.pop() {
            Some(prev) => {
                self.redo.push(std::mem::replace(&mut self.doc, prev));
                true
            }
            None => false,
        }
    }
    pub fn redo(&mut self) -> bool {
        match self.redo.pop() {
            Some(next) => {
                self.undo.push(std::mem::replace(&mut self.doc, next));
                true
            }
            None => false,
        }
    }
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

/// The set as the documented JSON (what is stored, published and shared).
pub fn to_json(doc: &FrameworkDoc) -> String {
    serde_json::to_string_pretty(doc).unwrap_or_default()
}

/// The loader's verdict on the set as it stands: the framework, or every problem at its path.
pub fn check(doc: &FrameworkDoc) -> Loaded {
    load_str(&to_json(doc))
}

/// A province's own set started from `base`: a new id and version, the same content, not
/// provisional once its tables are complete (the loader and the levels say what is not).
pub fn derive(base: &FrameworkDoc, id: &str, version: &str) -> FrameworkDoc {
    let mut d = base.clone();
    d.id = id.into();
    d.version = version.into();
    d.title = Text::new(format!("{} (bản của tỉnh)", base.title.vi), "");
    // The base's short name and English title describe the base, not this set.
    d.short_title = None;
    d
}

/// An empty set: one group, one criterion with one yes/no indicator, to fill.
pub fn empty(id: &str, version: &str) -> FrameworkDoc {
    FrameworkDoc {
        format: FORMAT_V1.into(),
        id: id.into(),
        version: version.into(),
        title: Text::new("Bộ tiêu chí mới", "New criteria set"),
        short_title: None,
        period: (2026, 2030),
        legal_basis: LegalBasisDoc {
            decision: String::new(),
            signed: String::new(),
            in_force: String::new(),
            replaces: Vec::new(),
            amended_by: Vec::new(),
            source: None,
        },
        dimension: crate::domain::framework::doc::DimensionDoc {
            id: "commune_group".into(),
            title: Text::new("Nhóm xã", "Commune group"),
            values: Vec::new(),
        },
        groups: vec![blank_group(0)],
        notes: Vec::new(),
        recognition_conditions: Vec::new(),
        provisional: false,
    }
}

fn blank_indicator(n: usize) -> IndicatorDoc {
    IndicatorDoc::blank(format!("moi{}", n + 1), Text::new("Chỉ tiêu mới", "New indicator"), "yes_no".into())
}

fn blank_criterion(n: usize) -> CriterionDoc {
    CriterionDoc {
        id: format!("{}", n + 1),
        title: Text::new("Tiêu chí mới", "New criterion"),
        rule: None,
        indicators: vec![blank_indicator(0)],
        note: None,
    }
}

fn blank_group(n: usize) -> GroupDoc {
    GroupDoc {
        id: format!("N{}", n + 1),
        title: Text::new("Nhóm mới", "New group"),
        criteria: vec![blank_criterion(0)],
    }
}

/// An id not used yet among `ids`, from `stem` (`stem`, `stem-2`, …).
fn fresh(stem: String, ids: &[&str]) -> String {
    if !ids.contains(&stem.as_str()) {
        return stem;
    }
    (2..).map(|k| format!("{stem}-{k}")).find(|s| !ids.contains(&s.as_str())).unwrap_or(stem)
}

fn all_indicator_ids(doc: &FrameworkDoc) -> Vec<String> {
    doc.groups.iter().flat_map(|g| &g.criteria).flat_map(|c| &c.indicators).map(|i| i.id.clone()).collect()
}

fn out_of_range<T>() -> Result<T, EditError> {
    err("Không có mục này (đã bị xoá?).", "No such item (removed?).")
}

fn indicator_mut(doc: &mut FrameworkDoc, t: Target) -> Result<&mut IndicatorDoc, EditError> {
    match t {
        Target::Indicator(g, c, i) => doc
            .groups
            .get_mut(g)
            .and_then(|g| g.criteria.get_mut(c))
            .and_then(|c| c.indicators.get_mut(i))
            .map_or_else(out_of_range, Ok),
        _ => out_of_range(),
    }
}

/// Moves item `from` of `v` to `to`.
fn shift<T>(v: &mut Vec<T>, from: usize, to: usize) -> Result<(), EditError> {
    if from >= v.len() || to >= v.len() {
        return out_of_range();
    }
    let x = v.remove(from);
    v.insert(to, x);
    Ok(())
}

fn insert<T>(v: &mut Vec<T>, at: usize, x: T) -> Result<(), EditError> {
    if at > v.len() {
        return out_of_range();
    }
    v.insert(at, x);
    Ok(())
}

fn take<T>(v: &mut Vec<T>, at: usize) -> Result<(), EditError> {
    if at >= v.len() {
        return out_of_range();
    }
    v.remove(at);
    Ok(())
}

/// A text edited in Vietnamese: its English goes with the old wording (shown in Vietnamese
/// until translated again).
fn vi_text(old: Option<Text>, vi: &str) -> Text {
    match old {
        Some(t) if t.vi == vi => t,
        _ => Text::new(vi, ""),
    }
}

/// An optional note: none once its wording is cleared.
fn opt_note(old: Option<Text>, vi: &str) -> Option<Text> {
    (!vi.trim().is_empty()).then(|| vi_text(old, vi))
}

/// Applies one operation to `doc`.
pub fn apply(doc: &mut FrameworkDoc, op: Op) -> Result<(), EditError> {
    match op {
        Op::Meta(field, v) => {
            let year = |s: &str| -> Result<u16, EditError> {
                s.trim().parse::<u16>().ok().filter(|y| (1990..=2100).contains(y)).map_or_else(
                    || {
                        err(
                            format!("“{s}” không phải là năm (1990–2100)."),
                            format!("“{s}” is not a year (1990–2100)."),
                        )
                    },
                    Ok,
                )
            };
            let l = &mut doc.legal_basis;
            match field {
                Meta::Id => doc.id = v.trim().into(),
                Meta::Version => doc.version = v.trim().into(),
                Meta::Title => doc.title.vi = v,
                Meta::TitleEn => doc.title.en = v,
                Meta::ShortTitle => doc.short_title = (!v.is_empty()).then(|| Text::new(v, "")),
                Meta::Decision => l.decision = v,
                Meta::Signed => l.signed = v.trim().into(),
                Meta::InForce => l.in_force = v.trim().into(),
                Meta::LegalSource => l.source = (!v.is_empty()).then_some(v),
                Meta::PeriodFrom => doc.period.0 = year(&v)?,
                Meta::PeriodTo => doc.period.1 = year(&v)?,
                Meta::Provisional => doc.provisional = v == "true",
            }
        }
        Op::Add(t) => {
            let used = all_indicator_ids(doc);
            let used: Vec<&str> = used.iter().map(String::as_str).collect();
            match t {
                Target::Group(g) => {
                    let ids: Vec<&str> = doc.groups.iter().map(|x| x.id.as_str()).collect();
                    let mut x = blank_group(doc.groups.len());
                    x.id = fresh(x.id, &ids);
                    x.criteria[0].indicators[0].id = fresh("moi".into(), &used);
                    insert(&mut doc.groups, g, x)?
                }
                Target::Criterion(g, c) => {
                    let n: usize = doc.groups.iter().map(|g| g.criteria.len()).sum();
                    let group = doc.groups.get_mut(g).map_or_else(out_of_range, Ok)?;
                    let ids: Vec<String> = group.criteria.iter().map(|x| x.id.clone()).collect();
                    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                    let mut x = blank_criterion(n);
                    x.id = fresh(x.id, &ids);
                    x.indicators[0].id = fresh(format!("{}.1", x.id), &used);
                    insert(&mut group.criteria, c, x)?
                }
                Target::Indicator(g, c, i) => {
                    let crit = doc
                        .groups
                        .get_mut(g)
                        .and_then(|g| g.criteria.get_mut(c))
                        .map_or_else(out_of_range, Ok)?;
                    let mut x = blank_indicator(crit.indicators.len());
                    x.id = fresh(format!("{}.{}", crit.id, crit.indicators.len() + 1), &used);
                    insert(&mut crit.indicators, i, x)?
                }
                Target::Condition(k) => {
                    let ids: Vec<&str> = doc.recognition_conditions.iter().map(|x| x.id.as_str()).collect();
                    let x = ConditionDoc {
                        id: fresh(format!("dk{}", ids.len() + 1), &ids),
                        title: Text::new("Điều kiện mới", "New condition"),
                        source: String::new(),
                        provenance: "not_found".into(),
                        note: None,
                    };
                    insert(&mut doc.recognition_conditions, k, x)?
                }
                Target::Note(k) => insert(&mut doc.notes, k, Text::default())?,
            }
        }
        Op::Remove(t) => match t {
            Target::Group(g) => take(&mut doc.groups, g)?,
            Target::Criterion(g, c) => {
                take(&mut doc.groups.get_mut(g).map_or_else(out_of_range, Ok)?.criteria, c)?
            }
            Target::Indicator(g, c, i) => take(
                &mut doc
                    .groups
                    .get_mut(g)
                    .and_then(|g| g.criteria.get_mut(c))
                    .map_or_else(out_of_range, Ok)?
                    .indicators,
                i,
            )?,
            Target::Condition(k) => take(&mut doc.recognition_conditions, k)?,
            Target::Note(k) => take(&mut doc.notes, k)?,
        },
        Op::Move(t, to) => match t {
            Target::Group(g) => shift(&mut doc.groups, g, to)?,
            Target::Criterion(g, c) => {
                shift(&mut doc.groups.get_mut(g).map_or_else(out_of_range, Ok)?.criteria, c, to)?
            }
            Target::Indicator(g, c, i) => shift(
                &mut doc
                    .groups
                    .get_mut(g)
                    .and_then(|g| g.criteria.get_mut(c))
                    .map_or_else(out_of_range, Ok)?
                    .indicators,
                i,
                to,
            )?,
            Target::Condition(k) => shift(&mut doc.recognition_conditions, k, to)?,
            Target::Note(k) => shift(&mut doc.notes, k, to)?,
        },
        Op::Set(t, field, v) => set_field(doc, t, field, v)?,
        Op::Cell { at, part, column, value, level, source } => {
            let ind = indicator_mut(doc, at)?;
            if !matches!(ind.kind.as_str(), "number" | "ratio") {
                return err(
                    "Chỉ tiêu này không có ngưỡng (chọn loại số hoặc tỷ lệ).",
                    "This indicator has no threshold (choose a number or ratio kind).",
                );
            }
            let field = if ind.whole == Some(true) && ind.kind == "number" {
                NumberField::Whole
            } else {
                NumberField::Decimal
            };
            let cell = cell_of(&value, &level, &source, field)?;
            let threshold = if part {
                if ind.kind != "ratio" {
                    return err(
                        "Chỉ tỷ lệ mới có điều kiện “trong đó”.",
                        "Only a ratio has a “trong đó” condition.",
                    );
                }
                let p = ind.part.get_or_insert_with(|| crate::domain::framework::doc::PartDoc {
                    title: Text::new("trong đó", "of which"),
                    threshold: ThresholdDoc { national: None, by: None },
                });
                &mut p.threshold
            } else {
                ind.threshold.get_or_insert(ThresholdDoc { national: None, by: None })
            };
            match column {
                None => threshold.national = cell.flatten(),
                Some(col) => {
                    let by = threshold.by.get_or_insert_with(BTreeMap::new);
                    match cell {
                        // Cleared: the column is no longer given (its national value applies).
                        None => {
                            by.remove(&col);
                        }
                        Some(c) => {
                            by.insert(col, c);
                        }
                    }
                    if by.is_empty() {
                        threshold.by = None;
                    }
                }
            }
        }
        Op::SameForAll { at, part } => {
            let columns: Vec<String> =
                doc.dimension.values.iter().filter(|v| v.uses.is_none()).map(|v| v.id.clone()).collect();
            let ind = indicator_mut(doc, at)?;
            let threshold = match (part, &mut ind.part, &mut ind.threshold) {
                (true, Some(p), _) => &mut p.threshold,
                (false, _, Some(t)) => t,
                _ => return err("Chưa có giá trị chung để chép.", "There is no national value to copy."),
            };
            let Some(national) = threshold.national.clone() else {
                return err(
                    "Nhập giá trị chung trước, rồi chép cho mọi cột.",
                    "Type the national value first, then copy it to every column.",
                );
            };
            threshold.by = (!columns.is_empty())
                .then(|| columns.into_iter().map(|c| (c, Some(national.clone()))).collect());
        }
    }
    Ok(())
}

/// A threshold cell from what was typed: `None` to clear it, `Some(None)` for "unknown" ("?").
fn cell_of(
    value: &str,
    level: &str,
    source: &str,
    field: NumberField,
) -> Result<Option<Option<CellDoc>>, EditError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v == "?" {
        return Ok(Some(None));
    }
    let x = parse_number_as(v, field).or_else(|e| match e {
        crate::domain::answer::ParseAnswerError::Ambiguous { .. } => err(
            format!("“{v}” có thể là nghìn hoặc thập phân: ghi không có dấu chấm (10500) hoặc dùng dấu phẩy (10,5)."),
            format!("“{v}” could be thousands or a decimal: write it without the dot (10500) or with a comma (10,5)."),
        ),
        _ => err(format!("“{v}” không phải là số."), format!("“{v}” is not a number.")),
    })?;
    let provenance = match level {
        "" => None,
        "official" | "secondary" | "not_found" => Some(level.to_string()),
        other => {
            return err(
                format!("Mức nguồn “{other}” không hợp lệ."),
                format!("Level “{other}” is not valid."),
            )
        }
    };
    let source = source.trim();
    Ok(Some(Some(if provenance.is_none() && source.is_empty() {
        CellDoc::Value(x)
    } else {
        CellDoc::Detailed {
            value: x,
            verified: None,
            note: None,
            source: (!source.is_empty()).then(|| source.to_string()),
            provenance,
        }
    })))
}

fn set_field(doc: &mut FrameworkDoc, t: Target, field: &str, v: String) -> Result<(), EditError> {
    let unknown = || err(format!("Không có trường “{field}”."), format!("No field “{field}”."));
    match t {
        Target::Group(g) => {
            let x = doc.groups.get_mut(g).map_or_else(out_of_range, Ok)?;
            match field {
                "id" => x.id = v.trim().into(),
                "title" => x.title.vi = v,
                "title_en" => x.title.en = v,
                _ => return unknown(),
            }
        }
        Target::Criterion(g, c) => {
            let x =
                doc.groups.get_mut(g).and_then(|g| g.criteria.get_mut(c)).map_or_else(out_of_range, Ok)?;
            match field {
                "id" => x.id = v.trim().into(),
                "title" => x.title.vi = v,
                "title_en" => x.title.en = v,
                "note" => x.note = opt_note(x.note.take(), &v),
                "rule" => {
                    x.rule = match v.trim() {
                        "" | "all" => None,
                        s => match s
                            .strip_prefix("at_least")
                            .map(str::trim)
                            .and_then(|n| n.parse::<u32>().ok())
                        {
                            Some(count) => Some(RuleDoc::AtLeast { count }),
                            None => {
                                return err(
                                    format!("Quy tắc “{s}”: dùng “all” hoặc “at_least 2”."),
                                    format!("Rule “{s}”: use “all” or “at_least 2”."),
                                )
                            }
                        },
                    }
                }
                _ => return unknown(),
            }
        }
        Target::Indicator(..) => {
            let x = indicator_mut(doc, t)?;
            match field {
                "id" => x.id = v.trim().into(),
                "title" => x.title.vi = v,
                "title_en" => x.title.en = v,
                "kind" => set_kind(x, v.trim())?,
                "unit" => x.unit = Some(vi_text(x.unit.take(), &v)),
                "numerator" => x.numerator = Some(vi_text(x.numerator.take(), &v)),
                "denominator" => x.denominator = Some(vi_text(x.denominator.take(), &v)),
                "comparator" => {
                    if crate::domain::framework::Comparator::parse(v.trim()).is_none() {
                        return err(
                            format!("“{v}”: dùng ≥, ≤, >, < hoặc =."),
                            format!("“{v}”: use ≥, ≤, >, < or =."),
                        );
                    }
                    x.comparator = Some(v.trim().into())
                }
                "whole" => x.whole = (v == "true").then_some(true),
                "options" => {
                    // One option per line: "code: wording".
                    let opts: Vec<OptionDoc> = v
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .enumerate()
                        .map(|(n, l)| match l.split_once(':') {
                            Some((id, title)) => {
                                OptionDoc { id: id.trim().into(), title: Text::new(title.trim(), "") }
                            }
                            None => OptionDoc { id: format!("{}", n + 1), title: Text::new(l, "") },
                        })
                        .collect();
                    match x.kind.as_str() {
                        "checklist" => x.items = Some(opts),
                        _ => x.options = Some(opts),
                    }
                }
                "pass" => {
                    x.pass = Some(
                        v.split([',', ';']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
                    )
                }
                "min_met" => {
                    x.min_met = match v.trim() {
                        "" => None,
                        s => Some(s.parse().map_or_else(
                            |_| {
                                err(
                                    format!("“{s}” không phải số nguyên."),
                                    format!("“{s}” is not a whole number."),
                                )
                            },
                            Ok,
                        )?),
                    }
                }
                "max_points" => {
                    x.max_points = Some(parse_number(&v).map_or_else(
                        |_| err(format!("“{v}” không phải là số."), format!("“{v}” is not a number.")),
                        Ok,
                    )?)
                }
                "source" => x.source = v,
                "provenance" => {
                    x.provenance = match v.as_str() {
                        "" => None,
                        "official" | "secondary" | "not_found" => Some(v),
                        other => {
                            return err(
                                format!("Mức nguồn “{other}” không hợp lệ."),
                                format!("Level “{other}” is not valid."),
                            )
                        }
                    }
                }
                "verified" => x.verified = v == "true",
                "note" => x.note = opt_note(x.note.take(), &v),
                _ => return unknown(),
            }
        }
        Target::Condition(k) => {
            let x = doc.recognition_conditions.get_mut(k).map_or_else(out_of_range, Ok)?;
            match field {
                "id" => x.id = v.trim().into(),
                "title" => x.title.vi = v,
                "source" => x.source = v,
                "provenance" => x.provenance = v,
                _ => return unknown(),
            }
        }
        Target::Note(k) => {
            let x = doc.notes.get_mut(k).map_or_else(out_of_range, Ok)?;
            match field {
                "vi" => x.vi = v,
                "en" => x.en = v,
                _ => return unknown(),
            }
        }
    }
    Ok(())
}

/// Changes an indicator's kind, giving it what the new kind needs and dropping what it does
/// not use (a comparator on a yes/no indicator would be refused by the loader).
fn set_kind(x: &mut IndicatorDoc, kind: &str) -> Result<(), EditError> {
    if x.kind == kind {
        return Ok(());
    }
    if !crate::domain::framework::doc::KINDS.contains(&kind) {
        return err(format!("Loại “{kind}” không có."), format!("No kind “{kind}”."));
    }
    let keep_threshold = matches!(kind, "number" | "ratio") && matches!(x.kind.as_str(), "number" | "ratio");
    let threshold = if keep_threshold { x.threshold.take() } else { None };
    let comparator = x.comparator.take();
    *x = x.clone().with_kind(kind.into());
    match kind {
        "number" => {
            x.comparator = comparator.or(Some("≥".into()));
            x.threshold = threshold.or(Some(ThresholdDoc { national: None, by: None }));
            x.unit = Some(Text::new("", ""));
        }
        "ratio" => {
            x.comparator = comparator.or(Some("≥".into()));
            x.threshold = threshold.or(Some(ThresholdDoc { national: None, by: None }));
            x.numerator = Some(Text::new("Tử số", "Numerator"));
            x.denominator = Some(Text::new("Mẫu số", "Denominator"));
        }
        "choice" => {
            x.options = Some(vec![
                OptionDoc { id: "dat".into(), title: Text::new("Đạt", "Met") },
                OptionDoc { id: "chua_dat".into(), title: Text::new("Chưa đạt", "Not met") },
            ]);
            x.pass = Some(vec!["dat".into()]);
        }
        "checklist" => {
            x.items = Some(vec![OptionDoc { id: "1".into(), title: Text::new("Nội dung 1", "Item 1") }])
        }
        "points" => x.max_points = Some(10.0),
        _ => {}
    }
    Ok(())
}

/// Reads a stored or bundled set's JSON into the editor's document.
pub fn doc_of(json: &str) -> Result<FrameworkDoc, String> {
    serde_json::from_str(json.strip_prefix('\u{feff}').unwrap_or(json)).map_err(|e| e.to_string())
}

/// The `format` of a stored draft.
pub const DRAFT_FORMAT: &str = "tieuchi-framework-draft/1";

/// A set being edited, as stored between sessions (`tieuchi/v1/framework-draft/<id>`): the
/// document, and the published set it started from (for the diff before publishing).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    pub format: String,
    pub id: String,
    /// `id@version` of the set it was started from; `None` for a set started empty.
    pub base: Option<String>,
    pub doc: FrameworkDoc,
    pub saved_at: f64,
}

impl Draft {
    pub fn new(id: String, base: Option<String>, doc: FrameworkDoc, now: f64) -> Draft {
        Draft { format: DRAFT_FORMAT.into(), id, base, doc, saved_at: now }
    }
}

/// Why a set cannot be published.
#[derive(Debug, Clone, PartialEq)]
pub enum PublishRefusal {
    /// The loader finds this many errors (shown at their fields).
    Errors(usize),
    /// `id@version` is already published: versions never change once published.
    VersionTaken(String),
    /// The device's storage refused the write (full, disabled): nothing was published.
    Storage(String),
}

impl PublishRefusal {
    pub fn message(&self, lang: crate::domain::text::Lang) -> String {
        use crate::domain::text::Lang::*;
        match (self, lang) {
            (PublishRefusal::Errors(n), Vi) => {
                format!("Còn {n} lỗi: sửa hết lỗi rồi mới xuất bản được (bản nháp vẫn được lưu).")
            }
            (PublishRefusal::Errors(n), En) => {
                format!("{n} errors left: fix them all to publish (the draft is kept).")
            }
            (PublishRefusal::VersionTaken(k), Vi) => format!(
                "Đã có bộ {k}: một phiên bản đã xuất bản không bao giờ bị sửa; hãy đặt phiên bản mới."
            ),
            (PublishRefusal::VersionTaken(k), En) => {
                format!("{k} already exists: a published version never changes; give a new version.")
            }
            (PublishRefusal::Storage(e), Vi) => {
                format!("Chưa xuất bản được: bộ nhớ của máy không ghi được ({e}). Bản nháp vẫn còn.")
            }
            (PublishRefusal::Storage(e), En) => {
                format!("Not published: this device's storage refused the write ({e}). The draft is kept.")
            }
        }
    }
}

/// Whether `doc` may be published, given the keys already published: its framework if so.
pub fn publishable(
    doc: &FrameworkDoc,
    taken: &dyn Fn(&str) -> bool,
) -> Result<crate::domain::framework::Framework, PublishRefusal> {
    let loaded = check(doc);
    let errors = loaded.errors().count();
    match loaded.framework {
        Some(fw) if errors == 0 => {
            if taken(&fw.key()) {
                Err(PublishRefusal::VersionTaken(fw.key()))
            } else {
                Ok(fw)
            }
        }
        _ => Err(PublishRefusal::Errors(errors.max(1))),
    }
}
