//! Calendar dates as officers write them and as records store them: the one reader of
//! "25/12/2019" and "2019-12-25" (a real day of the calendar, or nothing) and the one writer of
//! "20/11/2026" for people.

/// A real calendar day written `dd/mm/yyyy` or `yyyy-mm-dd` (spaces around it ignored), as ISO
/// `yyyy-mm-dd`; `None` for anything else, 31/02 and 29/02 of a common year included.
pub fn parse(s: &str) -> Option<String> {
    let s = s.trim();
    let num = |p: &str| -> Option<u32> {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let parts: Vec<&str> = s.split(if s.contains('/') { '/' } else { '-' }).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    let (y, m, d) = if s.contains('/') {
        (c.len() == 4).then_some(())?;
        (num(c)?, num(b)?, num(a)?)
    } else {
        (a.len() == 4 && b.len() == 2 && c.len() == 2).then_some(())?;
        (num(a)?, num(b)?, num(c)?)
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1900..=2200).contains(&y) && (1..=days).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// Whether `date` is a real calendar day written exactly `yyyy-mm-dd` (as records store it).
pub fn is_iso(date: &str) -> bool {
    parse(date).as_deref() == Some(date)
}

/// An ISO date as people read it: "2026-11-20" → "20/11/2026"; anything else as it is.
pub fn dmy(date: &str) -> String {
    match (date.get(..4), date.get(5..7), date.get(8..10)) {
        (Some(y), Some(m), Some(d)) if date.len() == 10 => format!("{d}/{m}/{y}"),
        _ => date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_days_are_read_in_either_way_of_writing() {
        assert_eq!(parse("25/12/2019").as_deref(), Some("2019-12-25"));
        assert_eq!(parse(" 2019-12-25 ").as_deref(), Some("2019-12-25"));
        assert_eq!(parse("1/2/2020").as_deref(), Some("2020-02-01"));
        assert_eq!(parse("29/02/2024").as_deref(), Some("2024-02-29"));
        for bad in [
            "31/02/2020",
            "29/02/2023",
            "31/04/2021",
            "00/01/2020",
            "1/13/2020",
            "2020-2-1",
            "24-1-1",
            "1/1/20",
            "",
            "12/2020",
            "2020-01-01-01",
            "+1/1/2020",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert!(
            is_iso("2024-02-29") && !is_iso("2023-02-29") && !is_iso("29/02/2024") && !is_iso("2024-13-01")
        );
        assert_eq!(dmy("2026-11-20"), "20/11/2026");
        assert_eq!(dmy("x"), "x");
    }
}

/// The UTC year of `ms` milliseconds since the Unix epoch (days to civil date, Howard Hinnant's
/// algorithm): enough to tell which five-year set a moment falls in.
pub fn year_of_ms(ms: f64) -> u16 {
    let days = (ms / 86_400_000.0).floor() as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    u16::try_from(year.clamp(0, i64::from(u16::MAX))).unwrap_or(0)
}

#[cfg(test)]
mod year_tests {
    #[test]
    fn years_of_instants() {
        // 1970-01-01, 2025-12-31T23:59:59Z, 2026-01-01, 2026-12-07, 2000-02-29.
        assert_eq!(super::year_of_ms(0.0), 1970);
        assert_eq!(super::year_of_ms(1_767_225_599_000.0), 2025);
        assert_eq!(super::year_of_ms(1_767_225_600_000.0), 2026);
        assert_eq!(super::year_of_ms(1_796_601_600_000.0), 2026);
        assert_eq!(super::year_of_ms(951_782_400_000.0), 2000);
    }
}
