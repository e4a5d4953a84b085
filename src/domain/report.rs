//! What leaves the app, pure: the rows of a commune's printed report (each indicator's value as
//! typed and as read, its threshold and where it comes from, the verdict and why, the evidence,
//! the reviewer's word), the gap to "đạt" with its distance ("15.1: thiếu 1 942 … để đạt 85%"),
//! and the results as CSV that Excel opens with Vietnamese intact.

use crate::domain::answer::{fmt_grouped, fmt_num, number_field, reading, RawAnswer};
use crate::domain::assessment::Assessment;
use crate::domain::csv;
use crate::domain::framework::model::{Level, Resolved, Threshold};
use crate::domain::framework::{Comparator, Framework, Indicator, Kind};
use crate::domain::score::{explain, Evaluation, IndicatorResult, IndicatorState, Measure, Verdict};
use crate::domain::text::Lang;

/// One indicator of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub criterion: String,
    pub indicator: String,
    pub title: String,
    /// The answer as typed ("10.500 / 11.800"); empty when unanswered.
    pub typed: String,
    /// How the numbers were read ("10 500 / 11 800"), when that differs from what was typed.
    pub read: Option<String>,
    /// "≥ 85%" in the commune's column (or the national value standing in).
    pub threshold: String,
    pub level: Level,
    pub verdict: Verdict,
    pub explanation: String,
    pub note: String,
    pub source_ref: String,
    /// The reviewer's comment, with an override and its reason.
    pub review: Option<String>,
    /// What is still missing to reach "đạt", when not met.
    pub gap: Option<String>,
    /// "Không xem xét", as the framework allows for this indicator.
    pub not_assessed: bool,
}

/// The rows of every indicator of `a`, in the framework's order.
pub fn rows(fw: &Framework, a: &Assessment, ev: &Evaluation, lang: Lang) -> Vec<Row> {
    fw.indicators
        .iter()
        .zip(&ev.indicators)
        .map(|(ind, r)| {
            let entry = a.entries.get(&ind.id);
            let raw = entry.and_then(|e| e.answer.as_ref());
            let review = a.workflow.reviews.get(&ind.id).map(|rv| {
                let ov = match (rv.override_met, lang) {
                    (Some(true), Lang::Vi) => " — ghi nhận: đạt",
                    (Some(false), Lang::Vi) => " — ghi nhận: chưa đạt",
                    (Some(true), Lang::En) => " — recorded: met",
                    (Some(false), Lang::En) => " — recorded: not met",
                    (None, _) => "",
                };
                format!("{} ({}): {}{ov}", rv.by.name, rv.by.title, rv.comment)
            });
            Row {
                criterion: fw.criteria[ind.criterion].id.clone(),
                indicator: ind.id.clone(),
                title: ind.title.get(lang).to_string(),
                // "Không xem xét" is what the officer recorded; an answer kept under it is not shown.
                typed: if r.not_assessed {
                    (if lang == Lang::Vi { "Không xem xét" } else { "Not assessed" }).to_string()
                } else {
                    raw.map(|r| typed(ind, r, lang)).unwrap_or_default()
                },
                read: raw.filter(|_| !r.not_assessed).and_then(|r| read(ind, r, lang)),
                threshold: threshold_text(ind, fw.threshold_column(&a.dimension_value)),
                level: fw.level_of(ind, &a.dimension_value),
                verdict: r.verdict(),
                explanation: explain(fw, ind, r, &a.dimension_value, lang),
                note: entry.map(|e| e.note.clone()).unwrap_or_default(),
                source_ref: entry.map(|e| e.source_ref.clone()).unwrap_or_default(),
                review,
                gap: gap(ind, raw, r, fw.threshold_column(&a.dimension_value), lang),
                not_assessed: r.not_assessed,
            }
        })
        .collect()
}

/// An answer as the officer typed it, in one line.
pub fn typed(ind: &Indicator, raw: &RawAnswer, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    match raw {
        RawAnswer::Flag(true) => (if vi { "Đạt" } else { "Met" }).into(),
        RawAnswer::Flag(false) => (if vi { "Không đạt" } else { "Not met" }).into(),
        RawAnswer::Text(s) => s.trim().to_string(),
        RawAnswer::Pair(a, b) => format!("{} / {}", a.trim(), b.trim()),
        RawAnswer::Triple(a, b, c) => {
            format!("{} / {} ({} {})", a.trim(), b.trim(), if vi { "trong đó" } else { "of which" }, c.trim())
        }
        RawAnswer::Choice(c) => match &ind.kind {
            Kind::Choice { options, .. } => {
                options.iter().find(|o| &o.id == c).map_or(c.clone(), |o| o.title.get(lang).to_string())
            }
            _ => c.clone(),
        },
        RawAnswer::Checks(set) => match &ind.kind {
            Kind::Checklist { items, .. } => {
                let n = items.iter().filter(|i| set.contains(&i.id)).count();
                format!("{n}/{}", items.len())
            }
            _ => set.len().to_string(),
        },
    }
}

/// How the numbers of an answer were read, when that is worth showing (thousands spaced).
fn read(ind: &Indicator, raw: &RawAnswer, lang: Lang) -> Option<String> {
    let f = number_field(&ind.kind)?;
    let r = |s: &str| reading(s, f).unwrap_or_else(|| s.trim().to_string());
    let shown = match raw {
        RawAnswer::Text(s) => reading(s, f)?,
        RawAnswer::Pair(a, b) => format!("{} / {}", r(a), r(b)),
        RawAnswer::Triple(a, b, c) => {
            format!(
                "{} / {} ({} {})",
                r(a),
                r(b),
                if lang == Lang::Vi { "trong đó" } else { "of which" },
                r(c)
            )
        }
        _ => return None,
    };
    (shown != typed(ind, raw, lang)).then_some(shown)
}

fn cell_text(t: &Threshold, column: &str, pct: &str) -> Option<(f64, String)> {
    match t.resolve(column) {
        Resolved::Exact(c) | Resolved::NationalFallback(c) => {
            Some((c.value, format!("{}{pct}", fmt_num(c.value))))
        }
        Resolved::Unknown => None,
    }
}

/// "≥ 85%", "≥ 95% (trong đó ≥ 65%)", or "Đạt" for a yes/no indicator; "—" when unknown.
pub fn threshold_text(ind: &Indicator, column: &str) -> String {
    match &ind.kind {
        Kind::Number { cmp, threshold, .. } => {
            cell_text(threshold, column, "").map_or("—".into(), |(_, t)| format!("{} {t}", cmp.symbol()))
        }
        Kind::Ratio { cmp, threshold, part, .. } => {
            let main = cell_text(threshold, column, "%")
                .map_or("—".into(), |(_, t)| format!("{} {t}", cmp.symbol()));
            match part.as_ref().and_then(|p| cell_text(&p.threshold, column, "%")) {
                Some((_, p)) => format!("{main} (trong đó {} {p})", cmp.symbol()),
                None => main,
            }
        }
        Kind::Checklist { items, min_met } => format!("≥ {min_met}/{}", items.len()),
        Kind::Points { max } => format!("/ {}", fmt_num(*max)),
        Kind::Roster => "100%".into(),
        Kind::YesNo | Kind::Choice { .. } => "Đạt".into(),
    }
}

/// What is still missing to reach "đạt", with the distance where a number says it: for a ratio
/// the count of units to add to the numerator ("thiếu 1 942 … để đạt 85%"), for a number the
/// difference, for a checklist the items, for the roster the people below standard.
pub fn gap(
    ind: &Indicator,
    raw: Option<&RawAnswer>,
    r: &IndicatorResult,
    column: &str,
    lang: Lang,
) -> Option<String> {
    let vi = lang == Lang::Vi;
    match &r.state {
        IndicatorState::Decided(Verdict::Met) => return None,
        IndicatorState::Unanswered => {
            return Some(if vi { "chưa nhập" } else { "not answered" }.into());
        }
        IndicatorState::Invalid(e) => return Some(e.message(lang)),
        IndicatorState::NoThreshold => {
            return Some(if vi { "chưa có ngưỡng để chấm" } else { "no threshold to judge by" }.into());
        }
        IndicatorState::Decided(_) => {}
    }
    let parsed = raw.and_then(|raw| crate::domain::answer::parse(&ind.kind, raw).ok());
    use crate::domain::answer::Answer;
    let text = match (&ind.kind, parsed) {
        (Kind::Ratio { cmp, threshold, numerator, part, .. }, Some(Answer::Ratio { num, den, part: p })) => {
            // "thiếu 1 910 (số người có BHYT) để đạt 85%", for the main share and the part.
            let short = |t: &Threshold, n: f64, what: &str| {
                let (t, label) = cell_text(t, column, "%")?;
                let k = fmt_grouped(short_of(*cmp, n, den, t)?);
                let what = lower_first(what);
                Some(if vi {
                    format!("thiếu {k} ({what}) để đạt {label}")
                } else {
                    format!("{k} more ({what}) to reach {label}")
                })
            };
            let mut out: Vec<String> = short(threshold, num, numerator.get(lang)).into_iter().collect();
            if let (Some(part), Some(p)) = (part, p) {
                out.extend(short(&part.threshold, p, part.title.get(lang)));
            }
            out.join("; ")
        }
        (Kind::Number { cmp, threshold, unit, .. }, Some(Answer::Number(v))) => {
            match cell_text(threshold, column, "") {
                Some((t, label)) => {
                    let d = (t - v).abs();
                    let unit = unit.get(lang);
                    match (cmp, vi) {
                        (Comparator::Ge | Comparator::Gt, true) => {
                            format!("còn thiếu {} {unit} để đạt {label}", fmt_grouped(d))
                        }
                        (Comparator::Le | Comparator::Lt, true) => {
                            format!("vượt {} {unit} so với {label}", fmt_grouped(d))
                        }
                        (Comparator::Eq, true) => format!("cần bằng {label}"),
                        (Comparator::Ge | Comparator::Gt, false) => {
                            format!("{} {unit} short of {label}", fmt_grouped(d))
                        }
                        (Comparator::Le | Comparator::Lt, false) => {
                            format!("{} {unit} over {label}", fmt_grouped(d))
                        }
                        (Comparator::Eq, false) => format!("must equal {label}"),
                    }
                }
                None => String::new(),
            }
        }
        (Kind::Checklist { items, min_met }, Some(Answer::Checks(set))) => {
            let n = items.iter().filter(|i| set.contains(&i.id)).count();
            let k = min_met.saturating_sub(n);
            if vi {
                format!("còn thiếu {k} mục")
            } else {
                format!("{k} more items")
            }
        }
        (Kind::Roster, Some(Answer::Counts { met, total })) => {
            let k = total - met;
            if vi {
                format!("{k} người chưa đạt chuẩn")
            } else {
                format!("{k} people below standard")
            }
        }
        _ => String::new(),
    };
    Some(if text.is_empty() {
        if vi {
            "chưa đạt".into()
        } else {
            "not met".into()
        }
    } else {
        text
    })
}

/// "Số người có BHYT" → "số người có BHYT" (acronyms kept).
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
}

/// How many more units the numerator needs for `num/den` to satisfy `cmp t%` (`None` if it does,
/// or more units cannot help).
fn short_of(cmp: Comparator, num: f64, den: f64, t: f64) -> Option<f64> {
    let need = match cmp {
        Comparator::Ge => (t / 100.0 * den - 1e-9).ceil(),
        Comparator::Gt => (t / 100.0 * den).floor() + 1.0,
        _ => return None,
    };
    (need > num).then_some(need - num)
}

/// The stable columns of the results CSV (see docs/data-formats.md).
pub const CSV_COLUMNS: [&str; 14] = [
    "ma_xa",
    "ten_xa",
    "tinh",
    "nam",
    "bo_tieu_chi",
    "tieu_chi",
    "chi_tieu",
    "gia_tri_nhap",
    "gia_tri_doc",
    "nguong",
    "muc_nguon",
    "ket_qua",
    "giai_doan",
    "giai_thich",
];

/// The results of `assessments`, one line per indicator, as CSV for Excel: UTF-8 with a BOM,
/// CRLF line ends, fields quoted, separated by `sep` (`;` where Excel uses a comma for decimals,
/// as in Vietnamese settings, or `,`).
pub fn results_csv<'a>(
    items: impl IntoIterator<Item = (&'a Assessment, &'a Framework)>,
    sep: char,
    lang: Lang,
) -> String {
    let mut out = String::from(csv::BOM);
    out.push_str(&csv::line(CSV_COLUMNS, sep));
    for fields in results_table(items, lang) {
        out.push_str(&csv::line(&fields, sep));
    }
    out
}

/// The same results as an Excel workbook (one sheet, the same columns, the year as a number).
pub fn results_xlsx<'a>(
    items: impl IntoIterator<Item = (&'a Assessment, &'a Framework)>,
    lang: Lang,
) -> Vec<u8> {
    use crate::domain::xlsx::{workbook, Cell};
    let rows: Vec<Vec<Cell>> = results_table(items, lang)
        .into_iter()
        .map(|fields| {
            fields
                .into_iter()
                .enumerate()
                .map(|(i, f)| match (i, f.parse::<f64>()) {
                    (3, Ok(year)) => Cell::Number(year),
                    _ => Cell::Text(f),
                })
                .collect()
        })
        .collect();
    let widths = [10, 28, 14, 6, 18, 8, 9, 18, 18, 12, 12, 14, 12, 60];
    workbook("ket_qua", &CSV_COLUMNS, &rows, &widths)
}

/// The lines of the results, one per indicator of each assessment, in `CSV_COLUMNS` order.
pub fn results_table<'a>(
    items: impl IntoIterator<Item = (&'a Assessment, &'a Framework)>,
    lang: Lang,
) -> Vec<[String; 14]> {
    let mut out = Vec::new();
    for (a, fw) in items {
        let ev = crate::domain::score::evaluate(fw, a);
        // Sample data never passes for real: its name says so in every line (the data CSV keeps
        // the Vietnamese mark whatever the language, as its codes do).
        let name = commune_label(&a.id, &a.commune.name, Lang::Vi);
        for row in rows(fw, a, &ev, lang) {
            out.push([
                a.commune.code.clone().unwrap_or_default(),
                name.clone(),
                a.commune.province.clone(),
                a.round.to_string(),
                fw.key(),
                row.criterion,
                row.indicator,
                row.typed,
                row.read.unwrap_or_default(),
                row.threshold,
                row.level.id().to_string(),
                match row.verdict {
                    Verdict::Met if row.not_assessed => "khong_xem_xet",
                    Verdict::Met => "dat",
                    Verdict::NotMet => "chua_dat",
                    Verdict::Pending => "chua_xac_dinh",
                }
                .to_string(),
                format!("{:?}", a.workflow.stage).to_lowercase(),
                row.explanation,
            ]);
        }
    }
    out
}

/// The column headings of the results for people (Excel, a desk officer, a printout), in the
/// language shown. The machine CSV (`CSV_COLUMNS`) keeps its stable codes for data exchange.
pub fn people_columns(lang: Lang) -> [&'static str; 18] {
    match lang {
        Lang::Vi => [
            "Mã xã",
            "Tên xã",
            "Tỉnh/thành phố",
            "Năm đánh giá",
            "Bộ tiêu chí",
            "Tiêu chí",
            "Chỉ tiêu",
            "Nội dung chỉ tiêu",
            "Giá trị nhập",
            "Giá trị đo",
            "Đơn vị đo",
            "Ngưỡng",
            "Kết quả",
            "Nguồn của ngưỡng",
            "Giai đoạn hồ sơ",
            "Ngày đánh giá",
            "Giải thích",
            "Còn thiếu",
        ],
        Lang::En => [
            "Commune code",
            "Commune",
            "Province",
            "Year assessed",
            "Criteria set",
            "Criterion",
            "Indicator",
            "Indicator title",
            "Value typed",
            "Value measured",
            "Unit",
            "Threshold",
            "Result",
            "Source of the threshold",
            "Dossier stage",
            "Assessed on",
            "Explanation",
            "Still missing",
        ],
    }
}

/// A verdict as a person reads it ("Đạt", "Chưa đạt", "Chưa xác định", "Không xem xét").
pub fn verdict_label(verdict: Verdict, not_assessed: bool, lang: Lang) -> &'static str {
    match (verdict, not_assessed, lang) {
        (Verdict::Met, true, Lang::Vi) => "Không xem xét",
        (Verdict::Met, true, Lang::En) => "Not assessed",
        (Verdict::Met, false, Lang::Vi) => "Đạt",
        (Verdict::Met, false, Lang::En) => "Met",
        (Verdict::NotMet, _, Lang::Vi) => "Chưa đạt",
        (Verdict::NotMet, _, Lang::En) => "Not met",
        (Verdict::Pending, _, Lang::Vi) => "Chưa xác định",
        (Verdict::Pending, _, Lang::En) => "Not decided",
    }
}

/// "nguồn thứ cấp" → "Nguồn thứ cấp".
fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The results of `items` for people, one line per indicator in `people_columns` order: words
/// instead of codes, dates dd/mm/yyyy, the measured value a number (`Cell::Number`), the unit
/// beside it ("%" for a ratio).
pub fn results_people<'a>(
    items: impl IntoIterator<Item = (&'a Assessment, &'a Framework)>,
    lang: Lang,
) -> Vec<Vec<crate::domain::xlsx::Cell>> {
    use crate::domain::xlsx::Cell;
    let mut out = Vec::new();
    for (a, fw) in items {
        let ev = crate::domain::score::evaluate(fw, a);
        let name = commune_label(&a.id, &a.commune.name, lang);
        let set = format!("{} ({})", fw.short_title.get(lang), fw.legal.decision);
        let judged = crate::domain::date::dmy(&a.judged_on());
        for ((row, ind), r) in rows(fw, a, &ev, lang).into_iter().zip(&fw.indicators).zip(&ev.indicators) {
            let measured = r.detail.as_ref().filter(|_| !r.not_assessed).and_then(|d| match d.actual {
                Measure::Value(v) => Some((
                    v,
                    match &ind.kind {
                        Kind::Number { unit, .. } => unit.get(lang).to_string(),
                        _ => String::new(),
                    },
                )),
                Measure::Percent(p) => Some((p, "%".to_string())),
                Measure::Fraction(..) => None,
            });
            let (value, unit) = match measured {
                // Two decimals, as the page shows a percentage (85,71%).
                Some((v, u)) => (Cell::Number((v * 100.0).round() / 100.0), Cell::Text(u)),
                None => (Cell::Text(String::new()), Cell::Text(String::new())),
            };
            out.push(vec![
                Cell::Text(a.commune.code.clone().unwrap_or_default()),
                Cell::Text(name.clone()),
                Cell::Text(a.commune.province.clone()),
                Cell::Number(f64::from(a.round)),
                Cell::Text(set.clone()),
                Cell::Text(row.criterion),
                Cell::Text(row.indicator),
                Cell::Text(row.title),
                Cell::Text(row.typed),
                value,
                unit,
                Cell::Text(row.threshold),
                Cell::Text(verdict_label(row.verdict, row.not_assessed, lang).to_string()),
                Cell::Text(upper_first(row.level.label(lang))),
                Cell::Text(a.workflow.stage.label(lang).to_string()),
                Cell::Text(judged.clone()),
                Cell::Text(row.explanation),
                Cell::Text(row.gap.unwrap_or_default()),
            ]);
        }
    }
    out
}

/// The results for people as a workbook: Vietnamese (or English) headings and words, numbers
/// as numbers.
pub fn people_xlsx<'a>(
    items: impl IntoIterator<Item = (&'a Assessment, &'a Framework)>,
    lang: Lang,
) -> Vec<u8> {
    let widths = [10, 28, 16, 8, 30, 8, 9, 48, 18, 12, 10, 14, 14, 22, 22, 12, 60, 40];
    let sheet = if lang == Lang::Vi { "Kết quả" } else { "Results" };
    crate::domain::xlsx::workbook(sheet, &people_columns(lang), &results_people(items, lang), &widths)
}

/// The results for people as CSV for Excel (BOM, CRLF, `;`, the decimal comma "83,5" and no
/// thousands separator in the measured value, as Excel reads them in Vietnamese settings).
pub fn people_csv<'a>(
    items: impl IntoIterator<Item = (&'a Assessment, &'a Framework)>,
    lang: Lang,
) -> String {
    use crate::domain::xlsx::Cell;
    let mut out = String::from(csv::BOM);
    out.push_str(&csv::line(people_columns(lang), ';'));
    for cells in results_people(items, lang) {
        let fields: Vec<String> = cells
            .into_iter()
            .map(|c| match c {
                Cell::Text(t) => t,
                Cell::Number(n) if lang == Lang::Vi => n.to_string().replace('.', ","),
                Cell::Number(n) => n.to_string(),
            })
            .collect();
        out.push_str(&csv::line(&fields, ';'));
    }
    out
}

/// The commune's name on a line of an export: marked "[DỮ LIỆU MẪU]" ("[SAMPLE DATA]") when the
/// assessment `id` is sample data, so it never passes for real.
fn commune_label(id: &str, name: &str, lang: Lang) -> String {
    if !crate::domain::demo::is_demo(id) {
        return name.to_string();
    }
    format!("[{}] {name}", if lang == Lang::Vi { "DỮ LIỆU MẪU" } else { "SAMPLE DATA" })
}

/// One line of a gap list: an indicator a commune does not meet yet, and what is missing.
#[derive(Debug, Clone, PartialEq)]
pub struct GapLine {
    pub assessment_id: String,
    pub code: String,
    pub commune: String,
    pub province: String,
    pub round: u16,
    pub criterion: String,
    pub indicator: String,
    pub title: String,
    pub verdict: Verdict,
    pub gap: String,
}

/// The gap list of `items`: every indicator not met (or not decided), with what is missing,
/// commune by commune in the framework's order.
pub fn gap_list<'a>(
    items: impl IntoIterator<Item = (&'a Assessment, &'a Framework)>,
    lang: Lang,
) -> Vec<GapLine> {
    let mut out = Vec::new();
    for (a, fw) in items {
        let ev = crate::domain::score::evaluate(fw, a);
        for row in rows(fw, a, &ev, lang) {
            if row.verdict == Verdict::Met {
                continue;
            }
            out.push(GapLine {
                assessment_id: a.id.clone(),
                code: a.commune.code.clone().unwrap_or_default(),
                commune: a.commune.name.clone(),
                province: a.commune.province.clone(),
                round: a.round,
                criterion: row.criterion,
                indicator: row.indicator,
                title: row.title,
                verdict: row.verdict,
                gap: row.gap.unwrap_or_default(),
            });
        }
    }
    out
}

/// A gap list as CSV for Excel (BOM, CRLF, quoted, `sep`), for people: headings and results in
/// `lang` ("Mã xã", …, "Kết quả" = "Chưa đạt", "Còn thiếu").
pub fn gaps_csv(lines: &[GapLine], sep: char, lang: Lang) -> String {
    let head = match lang {
        Lang::Vi => [
            "Mã xã",
            "Tên xã",
            "Tỉnh/thành phố",
            "Năm đánh giá",
            "Tiêu chí",
            "Chỉ tiêu",
            "Nội dung chỉ tiêu",
            "Kết quả",
            "Còn thiếu",
        ],
        Lang::En => [
            "Commune code",
            "Commune",
            "Province",
            "Year assessed",
            "Criterion",
            "Indicator",
            "Indicator title",
            "Result",
            "Still missing",
        ],
    };
    let mut out = String::from(csv::BOM);
    out.push_str(&csv::line(head, sep));
    for g in lines {
        let name = commune_label(&g.assessment_id, &g.commune, lang);
        let verdict = verdict_label(g.verdict, false, lang);
        let fields = [
            &g.code,
            &name,
            &g.province,
            &g.round.to_string(),
            &g.criterion,
            &g.indicator,
            &g.title,
            &verdict.to_string(),
            &g.gap,
        ];
        out.push_str(&csv::line(fields, sep));
    }
    out
}
