//! The bundled 1980/QĐ-TTg set against the cells that `../shared/domain/ANNEX.md` (from FACTS.md)
//! gives cleanly, transcribed here by hand from that file, not derived from the data under test:
//! a wrong number, comparator or region column in `assets/frameworks/ntm-xa-2016-2020.json`
//! fails this test.
#![cfg(not(target_arch = "wasm32"))]

use tieuchi::domain::framework::model::Resolved;
use tieuchi::domain::framework::{bundled, Framework, Kind};

/// Column order of the ANNEX table: Chung, TDMNPB, ĐBSH, BTB, DHNTB, TN, ĐNB, ĐBSCL.
const REGIONS: [&str; 7] = ["tdmnpb", "dbsh", "btb", "dhntb", "tn", "dnb", "dbscl"];

/// ANNEX.md, 1980/QĐ-TTg table, rows with the national value and all seven regions clean.
const CLEAN_ROWS: &[(&str, [&str; 8])] = &[
    ("1.1", ["Đạt", "Đạt", "Đạt", "Đạt", "Đạt", "Đạt", "Đạt", "Đạt"]),
    ("1.2", ["Đạt", "Đạt", "Đạt", "Đạt", "Đạt", "Đạt", "Đạt", "Đạt"]),
    ("10", ["≥45", "≥36", "≥50", "≥36", "≥41", "≥41", "≥59", "≥50"]),
    ("14.1", ["Đạt", "Đạt", "Đạt", "Đạt", "Đạt", "Đạt", "Đạt", "Đạt"]),
    ("14.2", ["≥85%", "≥70%", "≥90%", "≥85%", "≥85%", "≥70%", "≥90%", "≥80%"]),
    ("14.3", ["≥40%", "≥25%", "≥40%", "≥40%", "≥40%", "≥25%", "≥45%", "≥25%"]),
    ("15.1", ["≥85%", "≥85%", "≥85%", "≥85%", "≥85%", "≥85%", "≥85%", "≥85%"]),
    ("15.2", ["Đạt", "Đạt", "Đạt", "Đạt", "Đạt", "Đạt", "Đạt", "Đạt"]),
    ("15.3", ["≤21,8%", "≤26,7%", "≤13,9%", "≤24,2%", "≤24,2%", "≤31,4%", "≤14,3%", "≤20,5%"]),
];

/// ANNEX.md, rows that give the national value (and for 5 the ĐBSCL value) only.
const NATIONAL_ROWS: &[(&str, &str)] = &[
    ("4.2", "≥98%"),
    ("5", "≥80%"),
    ("9.2", "≥80%"),
    ("12", "≥90%"),
    ("16", "≥70%"),
    ("17.6", "≥85%"),
    ("17.8", "≥100%"),
];

fn set() -> Framework {
    bundled::load_all()
        .into_iter()
        .find_map(|(_, l)| l.framework.filter(|f| f.id == "ntm-xa-2016-2020"))
        .expect("the 1980 set loads")
}

/// "≥21,8%" → ("≥", 21.8).
fn cell(text: &str) -> (&'static str, f64) {
    let (op, rest) = if let Some(r) = text.strip_prefix('≥') {
        ("≥", r)
    } else if let Some(r) = text.strip_prefix('≤') {
        ("≤", r)
    } else {
        panic!("no comparator in {text}")
    };
    let v = rest.trim_end_matches('%').replace(',', ".").parse().expect("a number");
    (op, v)
}

/// What the bundled set says for `id` in `column` ("" = national): comparator and value, or
/// "Đạt" for a yes/no indicator.
fn bundled_cell(fw: &Framework, id: &str, column: &str) -> Option<(&'static str, f64)> {
    let ind = fw.indicator(id).unwrap_or_else(|| panic!("{id} is in the set"));
    let (cmp, threshold) = match &ind.kind {
        Kind::Number { cmp, threshold, .. } | Kind::Ratio { cmp, threshold, .. } => (cmp, threshold),
        _ => return None,
    };
    let value = if column.is_empty() {
        threshold.national.as_ref().map(|c| c.value)
    } else {
        match threshold.resolve(column) {
            Resolved::Exact(c) => Some(c.value),
            _ => None,
        }
    };
    value.map(|v| (cmp.symbol(), v))
}

#[test]
fn clean_cells_of_1980_match_the_annex_in_every_region() {
    let fw = set();
    for (id, cells) in CLEAN_ROWS {
        let ind = fw.indicator(id).unwrap_or_else(|| panic!("{id} is in the set"));
        for (i, text) in cells.iter().enumerate() {
            let column = if i == 0 { "" } else { REGIONS[i - 1] };
            if *text == "Đạt" {
                assert!(matches!(ind.kind, Kind::YesNo), "{id} is a yes/no indicator");
                continue;
            }
            let want = cell(text);
            let got = bundled_cell(&fw, id, column);
            let got = got.or_else(|| if column.is_empty() { None } else { bundled_cell(&fw, id, "") });
            assert_eq!(got, Some(want), "{id} in {}", if column.is_empty() { "chung" } else { column });
        }
    }
}

#[test]
fn national_values_of_1980_match_the_annex() {
    let fw = set();
    for (id, text) in NATIONAL_ROWS {
        assert_eq!(bundled_cell(&fw, id, ""), Some(cell(text)), "{id} chung");
    }
    // 5: ĐBSCL ≥ 70% (Sở GD&ĐT Vĩnh Long quoting the BNN handbook).
    assert_eq!(bundled_cell(&fw, "5", "dbscl"), Some(cell("≥70%")), "5 in dbscl");
}

/// ANNEX.md row 17.1, both conditions, transcribed: "≥95% (trong đó ≥65% nước sạch)" with the
/// regional columns ≥90 (≥50), ≥98 (≥65), ≥98 (≥60), ĐHNTB printed impossibly (unknown), ≥95
/// (≥50), ≥98 (≥65), ≥95 (≥65). The national clean-water share conflicts between sources (65 or
/// 60): the set carries 65 and flags it.
#[test]
fn water_17_1_has_both_conditions_in_every_region_as_the_annex_gives_them() {
    let fw = set();
    let ind = fw.indicator("17.1").expect("17.1");
    let Kind::Ratio { threshold, part: Some(part), .. } = &ind.kind else {
        panic!("17.1 is a ratio with a clean-water part")
    };
    let cell = |t: &tieuchi::domain::framework::model::Threshold, column: &str| match t.resolve(column) {
        Resolved::Exact(c) => Some(c.value),
        _ => None,
    };
    let rows: [(&str, Option<f64>, Option<f64>); 7] = [
        ("tdmnpb", Some(90.0), Some(50.0)),
        ("dbsh", Some(98.0), Some(65.0)),
        ("btb", Some(98.0), Some(60.0)),
        ("dhntb", None, None),
        ("tn", Some(95.0), Some(50.0)),
        ("dnb", Some(98.0), Some(65.0)),
        ("dbscl", Some(95.0), Some(65.0)),
    ];
    assert_eq!(threshold.national.as_ref().map(|c| c.value), Some(95.0));
    assert_eq!(part.threshold.national.as_ref().map(|c| c.value), Some(65.0));
    for (column, hygienic, clean) in rows {
        assert_eq!(cell(threshold, column), hygienic, "17.1 hygienic in {column}");
        assert_eq!(cell(&part.threshold, column), clean, "17.1 clean in {column}");
    }
    let all = std::iter::once(threshold.national.as_ref())
        .chain(threshold.by.values().map(Option::as_ref))
        .chain(std::iter::once(part.threshold.national.as_ref()))
        .chain(part.threshold.by.values().map(Option::as_ref));
    assert!(all.flatten().all(|c| !c.verified), "17.1 is read from Q&A mirrors with typos: never verified");
}
