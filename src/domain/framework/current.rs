//! Which criteria set and round a new assessment starts from on a given day, as the sets say.

use super::Framework;

/// The set an officer assesses against on `date` (ISO `YYYY-MM-DD`), read from the sets' own
/// data: of the sets in force by then (`legal.in_force` on or before it), the latest whose
/// period holds the date's year; if none holds it, the latest in force (a set applies until the
/// next takes effect: on 10/01/2026 that is still 318/QĐ-TTg, 51/2025 being in force from
/// 15/02/2026); if none is in force yet, the first. An index into `sets`; `None` when empty.
/// Ties keep list order. A set whose `in_force` is not an ISO date is never chosen this way.
pub fn current_index<'a>(sets: impl IntoIterator<Item = &'a Framework>, date: &str) -> Option<usize> {
    current_by(sets.into_iter().map(|fw| (fw.legal.in_force.as_str(), fw.period)), date)
}

/// `current_index`'s rule over each set's `(in_force, period)`: also what the home page's
/// outlines are chosen by (`outline::in_force_on`), before any set is loaded.
pub fn current_by<'a>(sets: impl IntoIterator<Item = (&'a str, (u16, u16))>, date: &str) -> Option<usize> {
    let year: Option<u16> = date.get(..4).and_then(|y| y.parse().ok());
    let mut in_force: Option<(usize, &str)> = None;
    let mut in_period: Option<(usize, &str)> = None;
    let mut any = false;
    for (i, (from, period)) in sets.into_iter().enumerate() {
        any = true;
        if !is_iso_date(from) || from > date {
            continue;
        }
        let later = |best: Option<(usize, &str)>| best.is_none_or(|(_, b)| from > b);
        if later(in_force) {
            in_force = Some((i, from));
        }
        if year.is_some_and(|y| period.0 <= y && y <= period.1) && later(in_period) {
            in_period = Some((i, from));
        }
    }
    in_period.or(in_force).map(|(i, _)| i).or(any.then_some(0))
}

/// The round a new assessment with a set of `period` starts at in `year`: this year while the
/// set's period lasts, else the period's last year (an old set is used for its last round).
pub fn default_round(period: (u16, u16), year: u16) -> u16 {
    if period.0 <= year && year <= period.1 {
        year
    } else {
        period.1
    }
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::framework::load_trusted;

    fn shipped() -> Vec<Framework> {
        [
            include_str!("../../../assets/frameworks/ntm-xa-2016-2020.json"),
            include_str!("../../../assets/frameworks/ntm-xa-2026-2030-khung-tam.json"),
            include_str!("../../../assets/frameworks/ntm-xa-2021-2025-khung-tam.json"),
        ]
        .iter()
        .map(|t| load_trusted(t).expect("a shipped set parses").0)
        .collect()
    }

    fn current(sets: &[Framework], date: &str) -> Option<String> {
        current_index(sets, date).map(|i| sets[i].legal.decision.clone())
    }

    #[test]
    fn the_set_in_force_on_a_day_is_chosen_by_its_own_dates() {
        let sets = shipped();
        // As the shipped sets say: 1980 in force from 01/12/2016, 318 from 08/03/2022, 51/2025
        // from 15/02/2026.
        assert_eq!(current(&sets, "2026-12-06").as_deref(), Some("51/2025/QĐ-TTg"));
        assert_eq!(current(&sets, "2026-02-15").as_deref(), Some("51/2025/QĐ-TTg"));
        // Before 51/2025 takes effect, 318 still applies although its period has ended.
        assert_eq!(current(&sets, "2026-02-14").as_deref(), Some("318/QĐ-TTg"));
        assert_eq!(current(&sets, "2023-05-01").as_deref(), Some("318/QĐ-TTg"));
        // In 2021 and early 2022, 1980 applied until 318 took effect.
        assert_eq!(current(&sets, "2022-01-01").as_deref(), Some("1980/QĐ-TTg"));
        assert_eq!(current(&sets, "2018-06-30").as_deref(), Some("1980/QĐ-TTg"));
        // Before any: the first in the list.
        assert_eq!(current(&sets, "2010-01-01").as_deref(), Some("1980/QĐ-TTg"));
        assert_eq!(current_index(&[] as &[Framework], "2026-12-06"), None);
    }

    #[test]
    fn list_order_does_not_change_the_choice_and_a_bad_date_is_never_chosen() {
        let mut sets = shipped();
        sets.reverse();
        assert_eq!(current(&sets, "2026-12-06").as_deref(), Some("51/2025/QĐ-TTg"));
        for fw in &mut sets {
            if fw.legal.decision.starts_with("51/2025") {
                fw.legal.in_force = "15/02/2026".into();
            }
        }
        assert_eq!(current(&sets, "2026-12-06").as_deref(), Some("318/QĐ-TTg"));
    }

    #[test]
    fn the_round_is_this_year_within_the_period_else_its_last_year() {
        assert_eq!(default_round((2026, 2030), 2026), 2026);
        assert_eq!(default_round((2026, 2030), 2030), 2030);
        assert_eq!(default_round((2016, 2020), 2026), 2020);
        assert_eq!(default_round((2026, 2030), 2025), 2030);
    }
}
