//! What an officer entered for one indicator, kept exactly as typed (`RawAnswer`), and its
//! parsed form (`Answer`). Raw input is what is stored, so nothing typed is ever lost even when it
//! does not parse; parsing happens at scoring time and yields a located, bilingual message.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::domain::framework::model::Kind;
use crate::domain::text::{Lang, Text};

/// The input as entered. Which variant is used depends on the indicator's kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub enum RawAnswer {
    /// Yes/no: `true` = Đạt.
    Flag(bool),
    /// A number as typed ("83,5").
    Text(String),
    /// Numerator and denominator as typed (ratio; roster counts met/total).
    Pair(String, String),
    /// Numerator, denominator and the "trong đó" part as typed, for a ratio with a second
    /// condition (17.1: hygienic water, households, of which clean water). Schema 3.
    Triple(String, String, String),
    /// The chosen option id.
    Choice(String),
    /// The ticked item ids.
    Checks(BTreeSet<String>),
}

impl RawAnswer {
    /// True when nothing has actually been entered (empty text fields, nothing ticked counts as
    /// an answer for checklists only once touched, so `Checks` is always an answer).
    pub fn is_blank(&self) -> bool {
        match self {
            RawAnswer::Text(s) | RawAnswer::Choice(s) => s.trim().is_empty(),
            RawAnswer::Pair(a, b) => a.trim().is_empty() && b.trim().is_empty(),
            RawAnswer::Triple(a, b, c) => [a, b, c].iter().all(|s| s.trim().is_empty()),
            RawAnswer::Flag(_) | RawAnswer::Checks(_) => false,
        }
    }
}

/// A parsed answer, ready to compare against a threshold.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Flag(bool),
    Number(f64),
    /// Percentage computed from numerator/denominator.
    Ratio {
        num: f64,
        den: f64,
        /// The "trong đó" subset of `num`, for a ratio with a second condition.
        part: Option<f64>,
    },
    Choice(String),
    Checks(BTreeSet<String>),
    Points(f64),
    Counts {
        met: u32,
        total: u32,
    },
}

impl Answer {
    pub fn percent(num: f64, den: f64) -> f64 {
        num / den * 100.0
    }
}

/// Why an input does not parse. Shown inline next to the input; never turned into a verdict.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseAnswerError {
    #[error("not a number")]
    NotANumber(String),
    #[error("negative")]
    Negative,
    #[error("denominator is zero")]
    ZeroDenominator,
    #[error("numerator greater than denominator")]
    NumeratorTooLarge,
    #[error("one of the two values is missing")]
    HalfPair,
    /// A ratio with a "trong đó" condition needs its part too.
    #[error("the part (of which) is missing")]
    MissingPart,
    #[error("the part is greater than the numerator")]
    PartTooLarge,
    #[error("above the maximum")]
    AboveMax(f64),
    #[error("not a whole number")]
    NotWhole,
    #[error("unknown option")]
    UnknownOption(String),
    /// "10.500" in a decimal field: ten thousand five hundred, or ten and a half? The officer
    /// chooses; nothing is guessed.
    #[error("ambiguous: thousands or decimal")]
    Ambiguous { typed: String, thousands: f64, decimal: f64 },
    #[error("answer does not fit this indicator")]
    WrongShape,
    /// A value outside the indicator's plausible range: typed in another unit ("45.000.000"
    /// đồng where the unit is millions)? `rescaled`: the value read in the indicator's unit,
    /// when that reading falls in the range; the officer chooses, nothing is scored meanwhile.
    #[error("outside the plausible range")]
    Implausible(Box<Implausible>),
}

/// A value outside an indicator's plausible range (boxed: errors stay small).
#[derive(Debug, Clone, PartialEq)]
pub struct Implausible {
    pub value: f64,
    pub min: f64,
    pub max: f64,
    /// The indicator's unit ("triệu đồng/người/năm").
    pub unit: Text,
    /// The value read in the indicator's unit, with the smaller unit's name, when in range.
    pub rescaled: Option<(f64, Text)>,
}

impl ParseAnswerError {
    pub fn message(&self, lang: Lang) -> String {
        use ParseAnswerError::*;
        let vi = lang == Lang::Vi;
        match self {
            NotANumber(s) => {
                if vi {
                    format!("“{s}” không phải là số")
                } else {
                    format!("“{s}” is not a number")
                }
            }
            Negative => {
                if vi {
                    "không được âm".into()
                } else {
                    "must not be negative".into()
                }
            }
            ZeroDenominator => {
                if vi {
                    "mẫu số phải lớn hơn 0".into()
                } else {
                    "denominator must be greater than 0".into()
                }
            }
            NumeratorTooLarge => {
                if vi {
                    "tử số lớn hơn mẫu số".into()
                } else {
                    "numerator is greater than denominator".into()
                }
            }
            HalfPair => {
                if vi {
                    "cần nhập cả hai giá trị".into()
                } else {
                    "enter both values".into()
                }
            }
            MissingPart => {
                if vi {
                    "cần nhập cả số “trong đó”".into()
                } else {
                    "enter the “of which” value too".into()
                }
            }
            PartTooLarge => {
                if vi {
                    "số “trong đó” lớn hơn tử số".into()
                } else {
                    "the “of which” value is greater than the numerator".into()
                }
            }
            AboveMax(m) => {
                if vi {
                    format!("vượt quá tối đa {}", fmt_num(*m))
                } else {
                    format!("above the maximum {}", fmt_num(*m))
                }
            }
            NotWhole => {
                if vi {
                    "phải là số nguyên (tách nghìn bằng dấu chấm: 10.500)".into()
                } else {
                    "must be a whole number (thousands may be separated by dots: 10.500)".into()
                }
            }
            Ambiguous { typed, thousands, decimal } => {
                if vi {
                    format!(
                        "“{typed}” là {} hay {}? Chọn cách đọc đúng",
                        fmt_grouped(*thousands),
                        fmt_grouped(*decimal)
                    )
                } else {
                    format!(
                        "is “{typed}” {} or {}? Choose the right reading",
                        fmt_grouped(*thousands),
                        fmt_grouped(*decimal)
                    )
                }
            }
            UnknownOption(o) => {
                if vi {
                    format!("lựa chọn “{o}” không có trong danh sách")
                } else {
                    format!("option “{o}” is not in the list")
                }
            }
            WrongShape => {
                if vi {
                    "câu trả lời không khớp loại chỉ tiêu".into()
                } else {
                    "answer does not fit this indicator".into()
                }
            }
            Implausible(b) => {
                let self::Implausible { value, min, max, unit, rescaled } = b.as_ref();
                let unit = unit.get(lang);
                let range = format!("{} – {} {unit}", fmt_grouped(*min), fmt_grouped(*max));
                match (rescaled, vi) {
                    (Some((v, small)), true) => format!(
                        "{} nằm ngoài khoảng hợp lý ({range}): có phải {} {} = {} {unit}? Chọn nếu đúng, hoặc sửa lại",
                        fmt_grouped(*value),
                        fmt_grouped(*value),
                        small.get(lang),
                        fmt_grouped(*v)
                    ),
                    (Some((v, small)), false) => format!(
                        "{} is outside the plausible range ({range}): is it {} {} = {} {unit}? Choose it if so, or correct the value",
                        fmt_grouped(*value),
                        fmt_grouped(*value),
                        small.get(lang),
                        fmt_grouped(*v)
                    ),
                    (None, true) => format!(
                        "{} nằm ngoài khoảng hợp lý ({range}): kiểm tra đơn vị và sửa lại",
                        fmt_grouped(*value)
                    ),
                    (None, false) => format!(
                        "{} is outside the plausible range ({range}): check the unit and correct the value",
                        fmt_grouped(*value)
                    ),
                }
            }
        }
    }
}

/// How a number field is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberField {
    /// A quantity that may have decimals (income, area, a rate): "83,5" and "83.5" are 83,5;
    /// dots group thousands ("1.234.567", "52.500.000,5"); a lone dot followed by exactly three
    /// digits ("10.500") is ambiguous and must be confirmed.
    Decimal,
    /// A count (people, households, schools): a whole number; dots group thousands ("10.500"
    /// is ten thousand five hundred); a decimal comma is refused.
    Whole,
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `1.234.567` → 1234567, when every group after the first has exactly three digits and the
/// first has one to three and does not start with 0 ("0.500" is no thousands grouping).
fn grouped(s: &str) -> Option<f64> {
    let mut parts = s.split('.');
    let first = parts.next()?;
    if !digits(first) || first.len() > 3 || first.starts_with('0') {
        return None;
    }
    let mut all = first.to_string();
    for p in parts {
        if p.len() != 3 || !digits(p) {
            return None;
        }
        all.push_str(p);
    }
    all.parse().ok()
}

/// Parses a number as Vietnamese officers type it (see `NumberField`); spaces are ignored, a
/// sign is kept (the kinds refuse negatives). "1,234.5" (English style) is refused, not guessed.
pub fn parse_number_as(s: &str, field: NumberField) -> Result<f64, ParseAnswerError> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let bad = || ParseAnswerError::NotANumber(s.trim().to_string());
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(&t)),
    };
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        return Err(bad());
    }
    let commas = body.matches(',').count();
    let dots = body.matches('.').count();
    let value = match (commas, dots) {
        (0, 0) => body.parse::<f64>().map_err(|_| bad())?,
        (1, _) => {
            let (int, frac) = body.split_once(',').ok_or_else(bad)?;
            if !digits(frac) {
                return Err(bad());
            }
            if field == NumberField::Whole {
                return Err(ParseAnswerError::NotWhole);
            }
            let int = if dots == 0 && digits(int) { int.parse::<f64>().ok() } else { grouped(int) };
            let int = int.ok_or_else(bad)?;
            int + format!("0.{frac}").parse::<f64>().map_err(|_| bad())?
        }
        (0, 1) => {
            let (int, frac) = body.split_once('.').ok_or_else(bad)?;
            if !digits(frac) || !digits(int) {
                return Err(bad());
            }
            let thousands = grouped(body);
            match (field, thousands) {
                (NumberField::Whole, Some(v)) => v,
                (NumberField::Whole, None) => return Err(ParseAnswerError::NotWhole),
                (NumberField::Decimal, Some(v)) => {
                    let sign = if negative { -1.0 } else { 1.0 };
                    let decimal: f64 = body.parse().map_err(|_| bad())?;
                    return Err(ParseAnswerError::Ambiguous {
                        typed: s.trim().to_string(),
                        thousands: sign * v,
                        decimal: sign * decimal,
                    });
                }
                (NumberField::Decimal, None) => body.parse::<f64>().map_err(|_| bad())?,
            }
        }
        (0, _) => grouped(body).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    if !value.is_finite() {
        return Err(bad());
    }
    if field == NumberField::Whole && value.fract() != 0.0 {
        return Err(ParseAnswerError::NotWhole);
    }
    Ok(if negative { -value } else { value })
}

/// A decimal number as officers type it (see `NumberField::Decimal`).
pub fn parse_number(s: &str) -> Result<f64, ParseAnswerError> {
    parse_number_as(s, NumberField::Decimal)
}

/// How a typed number was read, with thousands spaced ("10 500", "83,5"), shown under the
/// input when the text had separators, so the officer sees what will be compared.
pub fn reading(s: &str, field: NumberField) -> Option<String> {
    let typed = s.trim();
    let v = parse_number_as(typed, field).ok()?;
    (typed.contains(['.', ',', ' ']) || v.abs() >= 10_000.0).then(|| fmt_grouped(v))
}

/// A number with its thousands spaced and a decimal comma: 1234567.5 → "1 234 567,5".
pub fn fmt_grouped(v: f64) -> String {
    let text = fmt_exact(v.abs());
    let (int, frac) = text.split_once(',').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
    if v < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// Up to 6 decimals, trailing zeros trimmed, decimal comma.
fn fmt_exact(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', ",")
}

/// Formats a number the Vietnamese way (decimal comma), trimming trailing zeros.
pub fn fmt_num(v: f64) -> String {
    let s = format!("{:.2}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', ",")
}

fn non_negative(s: &str, field: NumberField) -> Result<f64, ParseAnswerError> {
    let v = parse_number_as(s, field)?;
    if v < 0.0 {
        Err(ParseAnswerError::Negative)
    } else {
        Ok(v)
    }
}

fn whole(s: &str) -> Result<u32, ParseAnswerError> {
    let v = non_negative(s, NumberField::Whole)?;
    if v.fract() != 0.0 || v > u32::MAX as f64 {
        return Err(ParseAnswerError::NotWhole);
    }
    Ok(v as u32)
}

fn field(whole: bool) -> NumberField {
    if whole {
        NumberField::Whole
    } else {
        NumberField::Decimal
    }
}

/// The answer of a number indicator read in its own unit, as the officer chose when asked
/// about an implausible value ("45.000.000" đồng → "45" million). `None` if nothing is asked.
pub fn choose_rescaled(kind: &Kind, raw: &RawAnswer) -> Option<RawAnswer> {
    match parse(kind, raw) {
        Err(ParseAnswerError::Implausible(b)) if b.rescaled.is_some() => {
            let v = b.rescaled.as_ref().map_or(0.0, |(v, _)| *v);
            Some(RawAnswer::Text(fmt_exact(v)))
        }
        _ => None,
    }
}

/// The answer with its first ambiguous number ("10.500" in a decimal field) rewritten as the
/// officer chose: as thousands ("10500") or as a decimal ("10,5"). `None` if nothing is
/// ambiguous. The rewrite is the officer's explicit choice, so what is stored stays unambiguous.
pub fn choose_reading(raw: &RawAnswer, as_thousands: bool) -> Option<RawAnswer> {
    let pick = |s: &str| match parse_number_as(s, NumberField::Decimal) {
        Err(ParseAnswerError::Ambiguous { thousands, decimal, .. }) => {
            Some(fmt_exact(if as_thousands { thousands } else { decimal }))
        }
        _ => None,
    };
    match raw {
        RawAnswer::Text(s) => pick(s).map(RawAnswer::Text),
        RawAnswer::Pair(a, b) => match (pick(a), pick(b)) {
            (Some(a), _) => Some(RawAnswer::Pair(a, b.clone())),
            (None, Some(b)) => Some(RawAnswer::Pair(a.clone(), b)),
            (None, None) => None,
        },
        RawAnswer::Triple(a, b, c) => match (pick(a), pick(b), pick(c)) {
            (Some(a), _, _) => Some(RawAnswer::Triple(a, b.clone(), c.clone())),
            (None, Some(b), _) => Some(RawAnswer::Triple(a.clone(), b, c.clone())),
            (None, None, Some(c)) => Some(RawAnswer::Triple(a.clone(), b.clone(), c)),
            (None, None, None) => None,
        },
        _ => None,
    }
}

/// How the number fields of an indicator of `kind` are read, if it has any.
pub fn number_field(kind: &Kind) -> Option<NumberField> {
    match kind {
        Kind::Number { whole, .. } | Kind::Ratio { whole, .. } => Some(field(*whole)),
        Kind::Roster => Some(NumberField::Whole),
        Kind::Points { .. } => Some(NumberField::Decimal),
        _ => None,
    }
}

/// Parses a raw answer for an indicator of `kind`.
pub fn parse(kind: &Kind, raw: &RawAnswer) -> Result<Answer, ParseAnswerError> {
    match (kind, raw) {
        (Kind::YesNo, RawAnswer::Flag(b)) => Ok(Answer::Flag(*b)),
        // No NTM quantity is negative (income, area, rates, counts).
        (Kind::Number { whole, plausible, unit, .. }, RawAnswer::Text(s)) => {
            let value = non_negative(s, field(*whole))?;
            match plausible {
                Some(p) if !(p.min..=p.max).contains(&value) => {
                    let rescaled = p
                        .scale
                        .as_ref()
                        .map(|(f, small)| (value / f, small.clone()))
                        .filter(|(v, _)| (p.min..=p.max).contains(v));
                    Err(ParseAnswerError::Implausible(Box::new(Implausible {
                        value,
                        min: p.min,
                        max: p.max,
                        unit: unit.clone(),
                        rescaled,
                    })))
                }
                _ => Ok(Answer::Number(value)),
            }
        }
        (Kind::Ratio { whole, part, .. }, RawAnswer::Pair(n, d) | RawAnswer::Triple(n, d, _)) => {
            if n.trim().is_empty() || d.trim().is_empty() {
                return Err(ParseAnswerError::HalfPair);
            }
            let (num, den) = (non_negative(n, field(*whole))?, non_negative(d, field(*whole))?);
            if den == 0.0 {
                return Err(ParseAnswerError::ZeroDenominator);
            }
            if num > den {
                return Err(ParseAnswerError::NumeratorTooLarge);
            }
            let typed_part = match raw {
                RawAnswer::Triple(_, _, p) if !p.trim().is_empty() => Some(p),
                _ => None,
            };
            let part = match (part, typed_part) {
                (None, _) => None,
                (Some(_), None) => return Err(ParseAnswerError::MissingPart),
                (Some(_), Some(p)) => {
                    let p = non_negative(p, field(*whole))?;
                    if p > num {
                        return Err(ParseAnswerError::PartTooLarge);
                    }
                    Some(p)
                }
            };
            Ok(Answer::Ratio { num, den, part })
        }
        (Kind::Roster, RawAnswer::Pair(m, t)) => {
            if m.trim().is_empty() || t.trim().is_empty() {
                return Err(ParseAnswerError::HalfPair);
            }
            let (met, total) = (whole(m)?, whole(t)?);
            if total == 0 {
                return Err(ParseAnswerError::ZeroDenominator);
            }
            if met > total {
                return Err(ParseAnswerError::NumeratorTooLarge);
            }
            Ok(Answer::Counts { met, total })
        }
        (Kind::Choice { options, .. }, RawAnswer::Choice(c)) => {
            if options.iter().any(|o| &o.id == c) {
                Ok(Answer::Choice(c.clone()))
            } else {
                Err(ParseAnswerError::UnknownOption(c.clone()))
            }
        }
        (Kind::Checklist { items, .. }, RawAnswer::Checks(set)) => {
            match set.iter().find(|id| !items.iter().any(|i| &i.id == *id)) {
                Some(bad) => Err(ParseAnswerError::UnknownOption(bad.clone())),
                None => Ok(Answer::Checks(set.clone())),
            }
        }
        (Kind::Points { max }, RawAnswer::Text(s)) => {
            let v = non_negative(s, NumberField::Decimal)?;
            if v > *max + 1e-9 {
                Err(ParseAnswerError::AboveMax(*max))
            } else {
                Ok(Answer::Points(v))
            }
        }
        _ => Err(ParseAnswerError::WrongShape),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use NumberField::{Decimal, Whole};

    #[test]
    fn decimal_fields_read_the_vietnamese_way() {
        assert_eq!(parse_number_as("83,5", Decimal), Ok(83.5));
        assert_eq!(
            parse_number_as(" 83.5 ", Decimal),
            Ok(83.5),
            "a dot not before three digits is a decimal point"
        );
        assert_eq!(parse_number_as("10.25", Decimal), Ok(10.25));
        assert_eq!(parse_number_as("1 000", Decimal), Ok(1000.0));
        assert_eq!(parse_number_as("1.234.567", Decimal), Ok(1_234_567.0));
        assert_eq!(parse_number_as("52.500.000", Decimal), Ok(52_500_000.0));
        assert_eq!(parse_number_as("52.500.000,5", Decimal), Ok(52_500_000.5));
        assert_eq!(parse_number_as("1234,5", Decimal), Ok(1234.5));
        assert_eq!(parse_number_as("0.500", Decimal), Ok(0.5), "no thousands group starts with 0");
        assert_eq!(parse_number_as("-5", Decimal), Ok(-5.0), "the sign is read; the kinds refuse it");
    }

    #[test]
    fn a_lone_dot_before_three_digits_in_a_decimal_field_is_asked_not_guessed() {
        assert_eq!(
            parse_number_as("10.500", Decimal),
            Err(ParseAnswerError::Ambiguous { typed: "10.500".into(), thousands: 10_500.0, decimal: 10.5 })
        );
        assert!(matches!(parse_number_as("1.234", Decimal), Err(ParseAnswerError::Ambiguous { .. })));
        let msg = parse_number_as("10.500", Decimal).expect_err("ambiguous").message(Lang::Vi);
        assert_eq!(msg, "“10.500” là 10\u{a0}500 hay 10,5? Chọn cách đọc đúng");
    }

    #[test]
    fn count_fields_read_dots_as_thousands() {
        assert_eq!(parse_number_as("10.500", Whole), Ok(10_500.0));
        assert_eq!(parse_number_as("1.234", Whole), Ok(1_234.0));
        assert_eq!(parse_number_as("52.500.000", Whole), Ok(52_500_000.0));
        assert_eq!(parse_number_as("1.234.567", Whole), Ok(1_234_567.0));
        assert_eq!(parse_number_as("11 800", Whole), Ok(11_800.0));
        assert_eq!(parse_number_as("10,5", Whole), Err(ParseAnswerError::NotWhole));
        assert_eq!(parse_number_as("10.5", Whole), Err(ParseAnswerError::NotWhole));
        assert!(matches!(parse_number_as("1.23.456", Whole), Err(ParseAnswerError::NotANumber(_))));
    }

    #[test]
    fn what_is_not_a_number_is_refused() {
        for bad in ["", "12a", "NaN", "inf", "1,234.5", "1,2,3", "1..2", ".5,", "1.2345.678", "--5", "5-"] {
            assert!(parse_number_as(bad, Decimal).is_err(), "{bad:?} should be refused");
        }
        assert!(matches!(parse_number_as("1.2345.678", Whole), Err(ParseAnswerError::NotANumber(_))));
    }

    #[test]
    fn an_ambiguous_number_is_rewritten_only_as_chosen() {
        let typed = RawAnswer::Text("10.500".into());
        assert_eq!(choose_reading(&typed, true), Some(RawAnswer::Text("10500".into())));
        assert_eq!(choose_reading(&typed, false), Some(RawAnswer::Text("10,5".into())));
        let pair = RawAnswer::Pair("83,5".into(), "1.250".into());
        assert_eq!(choose_reading(&pair, true), Some(RawAnswer::Pair("83,5".into(), "1250".into())));
        assert_eq!(choose_reading(&RawAnswer::Text("83,5".into()), true), None);
    }

    #[test]
    fn kinds_refuse_negatives_and_a_numerator_above_its_denominator() {
        use crate::domain::framework::model::{Comparator, Threshold};
        let number = Kind::Number {
            unit: Default::default(),
            cmp: Comparator::Ge,
            threshold: Threshold::default(),
            whole: false,
            plausible: None,
        };
        assert_eq!(parse(&number, &RawAnswer::Text("-5".into())), Err(ParseAnswerError::Negative));
        let counts = Kind::Ratio {
            numerator: Default::default(),
            denominator: Default::default(),
            cmp: Comparator::Ge,
            threshold: Threshold::default(),
            whole: true,
            part: None,
        };
        assert_eq!(
            parse(&counts, &RawAnswer::Pair("10.500".into(), "11.800".into())),
            Ok(Answer::Ratio { num: 10_500.0, den: 11_800.0, part: None })
        );
        assert_eq!(
            parse(&counts, &RawAnswer::Pair("-1".into(), "10".into())),
            Err(ParseAnswerError::Negative)
        );
        assert_eq!(
            parse(&counts, &RawAnswer::Pair("12.000".into(), "11.800".into())),
            Err(ParseAnswerError::NumeratorTooLarge)
        );
        assert_eq!(
            parse(&counts, &RawAnswer::Pair("10,5".into(), "20".into())),
            Err(ParseAnswerError::NotWhole)
        );
        assert_eq!(
            parse(&Kind::Roster, &RawAnswer::Pair("1.000".into(), "1.200".into())),
            Ok(Answer::Counts { met: 1000, total: 1200 })
        );
    }

    #[test]
    fn a_ratio_with_a_part_reads_all_three_counts_and_keeps_part_within_numerator() {
        use crate::domain::framework::model::{Comparator, Part, Threshold};
        let water = Kind::Ratio {
            numerator: Default::default(),
            denominator: Default::default(),
            cmp: Comparator::Ge,
            threshold: Threshold::default(),
            whole: true,
            part: Some(Part { title: Default::default(), threshold: Threshold::default() }),
        };
        let t = |a: &str, b: &str, c: &str| RawAnswer::Triple(a.into(), b.into(), c.into());
        assert_eq!(
            parse(&water, &t("9.600", "10.000", "7.000")),
            Ok(Answer::Ratio { num: 9_600.0, den: 10_000.0, part: Some(7_000.0) })
        );
        assert_eq!(parse(&water, &t("9.600", "10.000", "")), Err(ParseAnswerError::MissingPart));
        assert_eq!(
            parse(&water, &RawAnswer::Pair("9.600".into(), "10.000".into())),
            Err(ParseAnswerError::MissingPart),
            "an answer typed before the set had the part is not decided without it"
        );
        assert_eq!(parse(&water, &t("9.600", "10.000", "9.601")), Err(ParseAnswerError::PartTooLarge));
        assert_eq!(parse(&water, &t("9.600", "10.000", "-1")), Err(ParseAnswerError::Negative));
        assert_eq!(parse(&water, &t("9.600", "10.000", "70,5")), Err(ParseAnswerError::NotWhole));
        assert!(t("", " ", "").is_blank());
        assert_eq!(
            choose_reading(&t("1", "2", "1.500"), true),
            Some(t("1", "2", "1500")),
            "the part's ambiguous reading is chosen like the others"
        );
    }

    #[test]
    fn readings_space_the_thousands() {
        assert_eq!(reading("10.500", Whole).as_deref(), Some("10\u{a0}500"));
        assert_eq!(reading("52.500.000,5", Decimal).as_deref(), Some("52\u{a0}500\u{a0}000,5"));
        assert_eq!(reading("83,5", Decimal).as_deref(), Some("83,5"));
        assert_eq!(reading("58", Decimal), None, "nothing to show for a plain small number");
        assert_eq!(reading("10.500", Decimal), None, "ambiguous: the error asks instead");
        assert_eq!(fmt_num(83.5), "83,5");
        assert_eq!(fmt_num(85.0), "85");
        assert_eq!(fmt_grouped(-1234.25), "-1\u{a0}234,25");
    }

    /// Income in millions of đồng per person per year, read as an officer often writes it.
    fn income() -> Kind {
        use crate::domain::framework::model::{Comparator, Plausible, Threshold};
        Kind::Number {
            unit: Text::new("triệu đồng/người/năm", "million đồng/person/year"),
            cmp: Comparator::Ge,
            threshold: Threshold::default(),
            whole: false,
            plausible: Some(Plausible {
                min: 1.0,
                max: 1000.0,
                scale: Some((1_000_000.0, Text::new("đồng", "đồng"))),
                source: String::new(),
            }),
        }
    }

    #[test]
    fn a_value_a_million_times_the_unit_is_asked_with_both_readings_never_scored() {
        let kind = income();
        let typed = RawAnswer::Text("45.000.000".into());
        let err = parse(&kind, &typed).expect_err("45 000 000 million đồng is not an income");
        assert!(
            matches!(&err, ParseAnswerError::Implausible(b) if b.rescaled.as_ref().is_some_and(|(v, _)| *v == 45.0))
        );
        assert_eq!(
            err.message(Lang::Vi),
            "45\u{a0}000\u{a0}000 nằm ngoài khoảng hợp lý (1 – 1\u{a0}000 triệu đồng/người/năm): \
             có phải 45\u{a0}000\u{a0}000 đồng = 45 triệu đồng/người/năm? Chọn nếu đúng, hoặc sửa lại"
        );
        assert_eq!(choose_rescaled(&kind, &typed), Some(RawAnswer::Text("45".into())));
        assert_eq!(parse(&kind, &RawAnswer::Text("45".into())), Ok(Answer::Number(45.0)));
        let big = parse(&kind, &RawAnswer::Text("52.500.000".into())).expect_err("asked");
        assert!(
            matches!(&big, ParseAnswerError::Implausible(b) if b.rescaled.as_ref().is_some_and(|(v, _)| *v == 52.5))
        );
        // 1 234,5 million: neither reading is plausible; asked to check the unit, nothing offered.
        let odd = parse(&kind, &RawAnswer::Text("1.234,5".into())).expect_err("asked");
        assert!(matches!(&odd, ParseAnswerError::Implausible(b) if b.rescaled.is_none()));
        assert_eq!(choose_rescaled(&kind, &RawAnswer::Text("1.234,5".into())), None);
        assert!(odd.message(Lang::En).contains("check the unit"));
        // In the range: scored as typed, at both ends.
        assert_eq!(parse(&kind, &RawAnswer::Text("52,5".into())), Ok(Answer::Number(52.5)));
        assert_eq!(parse(&kind, &RawAnswer::Text("1.000".into())).ok(), None, "10.500-style still asked");
        assert_eq!(parse(&kind, &RawAnswer::Text("1000".into())), Ok(Answer::Number(1000.0)));
    }
}
