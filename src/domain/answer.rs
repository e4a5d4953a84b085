//! What an officer entered for one indicator, kept exactly as typed (`RawAnswer`), and its
//! parsed form (`Answer`). Raw input is what is stored, so nothing typed is ever lost even when it
//! does not parse; parsing happens at scoring time and yields a located, bilingual message.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::domain::framework::model::Kind;
use crate::domain::text::Lang;

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
    #[error("above the maximum")]
    AboveMax(f64),
    #[error("not a whole number")]
    NotWhole,
    #[error("unknown option")]
    UnknownOption(String),
    #[error("answer does not fit this indicator")]
    WrongShape,
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
            AboveMax(m) => {
                if vi {
                    format!("vượt quá tối đa {}", fmt_num(*m))
                } else {
                    format!("above the maximum {}", fmt_num(*m))
                }
            }
            NotWhole => {
                if vi {
                    "phải là số nguyên".into()
                } else {
                    "must be a whole number".into()
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
        }
    }
}

/// Parses a number as officers type it: "83,5" or "83.5", spaces ignored. A value with both a
/// comma and a dot is refused rather than guessed (is "1.234,5" 1234.5 or a typo?).
pub fn parse_number(s: &str) -> Result<f64, ParseAnswerError> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let bad = || ParseAnswerError::NotANumber(s.trim().to_string());
    if t.is_empty() || (t.contains(',') && t.contains('.')) || t.matches([',', '.']).count() > 1 {
        return Err(bad());
    }
    let t = t.replace(',', ".");
    if !t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+') {
        return Err(bad());
    }
    let v: f64 = t.parse().map_err(|_| bad())?;
    if !v.is_finite() {
        return Err(bad());
    }
    Ok(v)
}

/// Formats a number the Vietnamese way (decimal comma), trimming trailing zeros.
pub fn fmt_num(v: f64) -> String {
    let s = format!("{:.2}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', ",")
}

fn non_negative(s: &str) -> Result<f64, ParseAnswerError> {
    let v = parse_number(s)?;
    if v < 0.0 {
        Err(ParseAnswerError::Negative)
    } else {
        Ok(v)
    }
}

fn whole(s: &str) -> Result<u32, ParseAnswerError> {
    let v = non_negative(s)?;
    if v.fract() != 0.0 || v > u32::MAX as f64 {
        return Err(ParseAnswerError::NotWhole);
    }
    Ok(v as u32)
}

/// Parses a raw answer for an indicator of `kind`.
pub fn parse(kind: &Kind, raw: &RawAnswer) -> Result<Answer, ParseAnswerError> {
    match (kind, raw) {
        (Kind::YesNo, RawAnswer::Flag(b)) => Ok(Answer::Flag(*b)),
        (Kind::Number { .. }, RawAnswer::Text(s)) => parse_number(s).map(Answer::Number),
        (Kind::Ratio { .. }, RawAnswer::Pair(n, d)) => {
            if n.trim().is_empty() || d.trim().is_empty() {
                return Err(ParseAnswerError::HalfPair);
            }
            let (num, den) = (non_negative(n)?, non_negative(d)?);
            if den == 0.0 {
                return Err(ParseAnswerError::ZeroDenominator);
            }
            if num > den {
                return Err(ParseAnswerError::NumeratorTooLarge);
            }
            Ok(Answer::Ratio { num, den })
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
            let v = non_negative(s)?;
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

    #[test]
    fn numbers_accept_comma_or_dot_and_refuse_ambiguity() {
        assert_eq!(parse_number("83,5"), Ok(83.5));
        assert_eq!(parse_number(" 83.5 "), Ok(83.5));
        assert_eq!(parse_number("1 000"), Ok(1000.0));
        assert!(parse_number("1.234,5").is_err());
        assert!(parse_number("12a").is_err());
        assert!(parse_number("").is_err());
        assert!(parse_number("NaN").is_err());
        assert!(parse_number("inf").is_err());
        assert_eq!(fmt_num(83.5), "83,5");
        assert_eq!(fmt_num(85.0), "85");
    }
}
