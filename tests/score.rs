//! Scoring tests: one fixture per indicator kind and criterion rule, the explanation format,
//! a verdict path for every indicator of every bundled set, and property tests.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use proptest::prelude::*;
use tieuchi::domain::answer::RawAnswer;
use tieuchi::domain::assessment::{Assessment, Commune};
use tieuchi::domain::framework::{bundled, load_str, Framework, Kind};
use tieuchi::domain::score::{evaluate, explain, IndicatorState, Verdict};
use tieuchi::domain::text::Lang;

const MINIMAL: &str = include_str!("fixtures/frameworks/minimal.json");

fn minimal() -> Framework {
    load_str(MINIMAL).framework.expect("fixture loads")
}

fn assessment(fw: &Framework, dim: &str) -> Assessment {
    let commune = Commune { name: "Xã Thử".into(), province: "Cà Mau".into(), ..Default::default() };
    Assessment::new("t".into(), (&fw.id, &fw.version), commune, 2020, dim, 0.0)
}

fn text(s: &str) -> Option<RawAnswer> {
    Some(RawAnswer::Text(s.into()))
}
fn pair(a: &str, b: &str) -> Option<RawAnswer> {
    Some(RawAnswer::Pair(a.into(), b.into()))
}

/// Sets the answers, evaluates, and compares each named indicator's verdict.
fn check(dim: &str, answers: &[(&str, Option<RawAnswer>)], want: &[(&str, Option<Verdict>)]) {
    let fw = minimal();
    let mut a = assessment(&fw, dim);
    for (id, ans) in answers {
        a.set_answer(id, ans.clone(), 1.0);
    }
    let ev = evaluate(&fw, &a);
    for (id, v) in want {
        let i = fw.indicator_index(id).expect("indicator");
        let got = match &ev.indicators[i].state {
            IndicatorState::Decided(v) => Some(*v),
            _ => None,
        };
        assert_eq!(got, *v, "{id}: {:?}", ev.indicators[i]);
    }
}

#[test]
fn each_kind_decides() {
    use Verdict::*;
    check("a", &[("1.1", Some(RawAnswer::Flag(true)))], &[("1.1", Some(Met))]);
    check("a", &[("1.1", Some(RawAnswer::Flag(false)))], &[("1.1", Some(NotMet))]);
    // Region a: threshold 36; region b: column unknown → national 45 (flagged).
    check("a", &[("1.2", text("40"))], &[("1.2", Some(Met))]);
    check("b", &[("1.2", text("40"))], &[("1.2", Some(NotMet))]);
    check("special", &[("1.2", text("40"))], &[("1.2", Some(Met))]);
    check("a", &[("1.2", text("36,0"))], &[("1.2", Some(Met))]);
    // Ratio ≤ 20%.
    check("a", &[("1.3", pair("2", "10"))], &[("1.3", Some(Met))]);
    check("a", &[("1.3", pair("3", "10"))], &[("1.3", Some(NotMet))]);
    check("a", &[("1.4", Some(RawAnswer::Choice("x".into())))], &[("1.4", Some(Met))]);
    check("a", &[("1.4", Some(RawAnswer::Choice("y".into())))], &[("1.4", Some(NotMet))]);
    let checks = |ids: &[&str]| Some(RawAnswer::Checks(ids.iter().map(|s| s.to_string()).collect()));
    check("a", &[("1.5", checks(&["p", "q"]))], &[("1.5", Some(Met))]);
    check("a", &[("1.5", checks(&["p"]))], &[("1.5", Some(NotMet))]);
    check("a", &[("1.6", pair("14", "14"))], &[("1.6", Some(Met))]);
    check("a", &[("1.6", pair("12", "14"))], &[("1.6", Some(NotMet))]);
}

#[test]
fn invalid_input_never_gives_a_verdict() {
    for bad in [pair("-1", "10"), pair("11", "10"), pair("1", "0"), pair("a", "10"), pair("1", "")] {
        check("a", &[("1.3", bad)], &[("1.3", None)]);
    }
    check("a", &[("1.2", text("bốn mươi"))], &[("1.2", None)]);
    check("a", &[("1.6", pair("1,5", "3"))], &[("1.6", None)]);
    check("a", &[("1.2", text("   "))], &[("1.2", None)]);
}

#[test]
fn criterion_rules_and_commune_verdict() {
    let fw = minimal();
    let mut a = assessment(&fw, "a");
    let ev = evaluate(&fw, &a);
    assert_eq!(ev.commune, Verdict::Pending);
    assert_eq!((ev.answered, ev.total), (0, 11));

    // at_least 2 of 3: two met decides Met even with one unanswered.
    a.set_answer("2.1", Some(RawAnswer::Flag(true)), 1.0);
    a.set_answer("2.2", Some(RawAnswer::Flag(true)), 1.0);
    assert_eq!(evaluate(&fw, &a).criteria[1].verdict, Verdict::Met);
    // two not met decides NotMet.
    a.set_answer("2.1", Some(RawAnswer::Flag(false)), 1.0);
    a.set_answer("2.2", Some(RawAnswer::Flag(false)), 1.0);
    assert_eq!(evaluate(&fw, &a).criteria[1].verdict, Verdict::NotMet);

    // score ≥ 80 with each part ≥ 50%.
    a.set_answer("3.1", text("55"), 1.0);
    assert_eq!(evaluate(&fw, &a).criteria[2].verdict, Verdict::Pending);
    a.set_answer("3.2", text("30"), 1.0);
    assert_eq!(evaluate(&fw, &a).criteria[2].verdict, Verdict::Met);
    a.set_answer("3.2", text("19"), 1.0); // 19 < 50% of 40
    assert_eq!(evaluate(&fw, &a).criteria[2].verdict, Verdict::NotMet);
    a.set_answer("3.1", text("60"), 1.0);
    a.set_answer("3.2", text("20"), 1.0); // 80 total, 20 = 50%
    assert_eq!(evaluate(&fw, &a).criteria[2].verdict, Verdict::Met);
    a.set_answer("3.1", text("20"), 1.0); // part 1 below half: decided without part 2
    a.set_answer("3.2", None, 1.0);
    assert_eq!(evaluate(&fw, &a).criteria[2].verdict, Verdict::NotMet);

    // Commune: any criterion not met → not met.
    assert_eq!(evaluate(&fw, &a).commune, Verdict::NotMet);
}

#[test]
fn commune_is_met_only_when_all_criteria_are() {
    let fw = minimal();
    let mut a = assessment(&fw, "a");
    let answers = [
        ("1.1", Some(RawAnswer::Flag(true))),
        ("1.2", text("50")),
        ("1.3", pair("1", "10")),
        ("1.4", Some(RawAnswer::Choice("x".into()))),
        ("1.5", Some(RawAnswer::Checks(["p", "q"].iter().map(|s| s.to_string()).collect()))),
        ("1.6", pair("5", "5")),
        ("2.1", Some(RawAnswer::Flag(true))),
        ("2.2", Some(RawAnswer::Flag(true))),
        ("3.1", text("60")),
        ("3.2", text("30")),
    ];
    for (id, ans) in answers {
        a.set_answer(id, ans, 1.0);
    }
    let ev = evaluate(&fw, &a);
    assert_eq!(ev.commune, Verdict::Met);
    assert_eq!(ev.criteria_met, 3);
    a.set_answer("1.3", pair("3", "10"), 2.0);
    assert_eq!(evaluate(&fw, &a).commune, Verdict::NotMet);
}

#[test]
fn explanation_names_value_threshold_and_region() {
    let fw = bundled::load_all().remove(0).1.framework.expect("1980");
    let mut a = assessment(&fw, "dbscl");
    a.set_answer("15.1", pair("83", "100"), 1.0);
    let ev = evaluate(&fw, &a);
    let i = fw.indicator_index("15.1").expect("15.1");
    let vi = explain(&fw, &fw.indicators[i], &ev.indicators[i], "dbscl", Lang::Vi);
    assert_eq!(vi, "15.1: 83% < 85% (Đồng bằng sông Cửu Long) → chưa đạt");
    let en = explain(&fw, &fw.indicators[i], &ev.indicators[i], "dbscl", Lang::En);
    assert_eq!(en, "15.1: 83% < 85% (Mekong Delta) → not met");
    // A column standing in for an unknown regional value says so.
    a.set_answer("4.2", pair("99", "100"), 1.0);
    let ev = evaluate(&fw, &a);
    let i = fw.indicator_index("4.2").expect("4.2");
    a.dimension_value = "dbsh".into();
    let ev2 = evaluate(&fw, &a);
    let vi = explain(&fw, &fw.indicators[i], &ev2.indicators[i], "dbsh", Lang::Vi);
    assert!(vi.contains("dùng ngưỡng chung"), "{vi}");
    assert!(ev2.indicators[i].unverified);
    // In ĐBSCL the column is known (from a secondary source, so still flagged): no fallback.
    let vi = explain(&fw, &fw.indicators[i], &ev.indicators[i], "dbscl", Lang::Vi);
    assert_eq!(vi, "4.2: 99% ≥ 98% (Đồng bằng sông Cửu Long) → đạt");
    assert!(ev.indicators[i].unverified);
}

/// The threshold an indicator has in `column`, and its comparator, read from the set's JSON text
/// by hand (not through the loader or `Threshold::resolve`, which this checks): the column's
/// own cell, else the national one standing in; `None` when neither is given.
fn raw_threshold(doc: &serde_json::Value, indicator: &str, column: &str) -> Option<(String, f64)> {
    let ind = doc["groups"]
        .as_array()?
        .iter()
        .flat_map(|g| g["criteria"].as_array().into_iter().flatten())
        .flat_map(|c| c["indicators"].as_array().into_iter().flatten())
        .find(|i| i["id"] == indicator)?;
    let cell = |v: &serde_json::Value| v.as_f64().or_else(|| v["value"].as_f64());
    let t = &ind["threshold"];
    let value = cell(&t["by"][column]).or_else(|| cell(&t["national"]))?;
    Some((ind["comparator"].as_str()?.to_string(), value))
}

/// The JSON of the bundled set `fw` was loaded from, parsed once.
fn raw_doc(fw: &Framework) -> &'static serde_json::Value {
    static DOCS: std::sync::OnceLock<Vec<serde_json::Value>> = std::sync::OnceLock::new();
    let docs = DOCS.get_or_init(|| {
        bundled::BUNDLED.iter().map(|(name, text)| serde_json::from_str(text).expect(name)).collect()
    });
    docs.iter()
        .find(|d| d["id"] == fw.id.as_str() && d["version"] == fw.version.as_str())
        .expect("a bundled set")
}

/// The column a dimension value reads, from the set's JSON (`uses`, else itself).
fn raw_column(doc: &serde_json::Value, value: &str) -> String {
    doc["dimension"]["values"]
        .as_array()
        .and_then(|vs| vs.iter().find(|v| v["id"] == value))
        .and_then(|v| v["uses"].as_str())
        .unwrap_or(value)
        .to_string()
}

/// A raw answer that meets (`true`) or misses (`false`) the indicator in this column, its
/// boundary taken from the set's JSON text (`raw`: comparator and value); `None` when no
/// threshold is known there, `Some(None)` when that side cannot happen.
fn answer_for(kind: &Kind, raw: Option<(String, f64)>, meet: bool) -> Option<Option<RawAnswer>> {
    Some(Some(match kind {
        Kind::YesNo => RawAnswer::Flag(meet),
        Kind::Number { .. } | Kind::Ratio { .. } => {
            let (cmp, cell) = raw?;
            let v = match (cmp.as_str(), meet) {
                (">=" | "≥" | "<=" | "≤" | "=", true) | (">" | "<", false) => cell,
                (">", true) | ("<=" | "≤" | "=", false) => cell + 1.0,
                ("<", true) | (">=" | "≥", false) => cell - 1.0,
                (other, _) => panic!("comparator {other} in the JSON"),
            };
            if v < 0.0 || (matches!(kind, Kind::Ratio { .. }) && v > 100.0) {
                // e.g. "≤ 100%" cannot be missed: nothing to test on that side.
                return Some(None);
            }
            // Typed as officers type: counts whole ("2680" of "10000" for 26,8%), other
            // values with a decimal comma.
            match kind {
                // Of which (17.1): all of them also meet the stricter standard, so the main share
                // decides (its threshold is the higher one).
                Kind::Ratio { whole: true, part: Some(_), .. } => {
                    let n = format!("{}", (v * 100.0).round());
                    RawAnswer::Triple(n.clone(), "10000".into(), n)
                }
                Kind::Ratio { whole: true, .. } => {
                    RawAnswer::Pair(format!("{}", (v * 100.0).round()), "10000".into())
                }
                Kind::Ratio { .. } => RawAnswer::Pair(format!("{v}").replace('.', ","), "100".into()),
                _ => RawAnswer::Text(format!("{v}").replace('.', ",")),
            }
        }
        Kind::Choice { options, pass } => {
            let Some(o) = options.iter().find(|o| pass.contains(&o.id) == meet) else { return Some(None) };
            RawAnswer::Choice(o.id.clone())
        }
        Kind::Checklist { items, min_met } => {
            let n = if meet { *min_met } else { min_met - 1 };
            RawAnswer::Checks(items.iter().take(n).map(|i| i.id.clone()).collect::<BTreeSet<_>>())
        }
        Kind::Points { max } => RawAnswer::Text(format!("{}", if meet { *max } else { 0.0 })),
        Kind::Roster => RawAnswer::Pair(if meet { "7" } else { "6" }.into(), "7".into()),
    }))
}

/// Every bundled indicator in every column decides on the right side of the boundary its set's
/// JSON gives, read by hand from the text: a loader or resolver that read another number,
/// column or comparator fails here (the numbers themselves are held against the sources by
/// `tests/facts.rs`).
#[test]
fn every_bundled_indicator_has_a_tested_verdict_path_in_every_column() {
    for (name, text) in bundled::BUNDLED {
        let doc: serde_json::Value = serde_json::from_str(text).expect(name);
        let fw = load_str(text).framework.expect(name);
        for dim in &fw.dimension.values {
            let column = raw_column(&doc, &dim.id);
            for (i, ind) in fw.indicators.iter().enumerate() {
                for meet in [true, false] {
                    let mut a = assessment(&fw, &dim.id);
                    let raw = match answer_for(&ind.kind, raw_threshold(&doc, &ind.id, &column), meet) {
                        Some(Some(raw)) => raw,
                        Some(None) => continue,
                        None => {
                            // No threshold known in this column: the verdict must stay undecided.
                            let mut a = assessment(&fw, &dim.id);
                            let raw = match ind.kind {
                                Kind::Ratio { .. } => RawAnswer::Pair("1".into(), "2".into()),
                                _ => RawAnswer::Text("1".into()),
                            };
                            a.set_answer(&ind.id, Some(raw), 1.0);
                            let ev = evaluate(&fw, &a);
                            assert!(
                                matches!(ev.indicators[i].state, IndicatorState::NoThreshold),
                                "{name} {} {}",
                                ind.id,
                                dim.id
                            );
                            continue;
                        }
                    };
                    a.set_answer(&ind.id, Some(raw), 1.0);
                    let ev = evaluate(&fw, &a);
                    let want = if meet { Verdict::Met } else { Verdict::NotMet };
                    assert_eq!(ev.indicators[i].verdict(), want, "{name} {} in {}", ind.id, dim.id);
                    let line = explain(&fw, ind, &ev.indicators[i], &dim.id, Lang::Vi);
                    assert!(
                        line.starts_with(&format!("{}:", ind.id)) && line.ends_with(want.label(Lang::Vi)),
                        "{line}"
                    );
                }
            }
        }
    }
}

proptest! {
    /// Answering more never lowers the answered count.
    #[test]
    fn answering_more_never_lowers_answered(values in proptest::collection::vec(0u32..200, 1..11)) {
        let fw = minimal();
        let mut a = assessment(&fw, "a");
        let mut last = 0;
        for (ind, v) in fw.indicators.iter().zip(values) {
            let raw = match ind.kind {
                Kind::YesNo => RawAnswer::Flag(v % 2 == 0),
                Kind::Ratio { .. } | Kind::Roster => RawAnswer::Pair(v.to_string(), "100".into()),
                Kind::Choice { .. } => RawAnswer::Choice(if v % 2 == 0 { "x" } else { "y" }.into()),
                Kind::Checklist { .. } => RawAnswer::Checks(BTreeSet::new()),
                _ => RawAnswer::Text(v.to_string()),
            };
            a.set_answer(&ind.id, Some(raw), 1.0);
            let ev = evaluate(&fw, &a);
            prop_assert!(ev.answered > last);
            prop_assert!(ev.answered <= ev.total);
            last = ev.answered;
        }
    }

    /// A verdict flips only when the value crosses its threshold (≥ 36 in region a).
    #[test]
    fn verdict_flips_only_at_the_threshold(x in 0.0f64..100.0, y in 0.0f64..100.0) {
        let fw = minimal();
        let verdict = |v: f64| {
            let mut a = assessment(&fw, "a");
            // Typed the Vietnamese way, with a decimal comma ("12,481": "12.481" would be
            // ambiguous and asked about).
            a.set_answer("1.2", Some(RawAnswer::Text(format!("{v:.3}").replace('.', ","))), 1.0);
            evaluate(&fw, &a).indicators[1].verdict()
        };
        let (vx, vy) = (verdict(x), verdict(y));
        let side = |v: f64| format!("{v:.3}").parse::<f64>().unwrap_or(v) >= 36.0;
        prop_assert_eq!(vx == vy, side(x) == side(y));
    }

    /// The loader never panics, whatever the bytes.
    #[test]
    fn loader_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = tieuchi::domain::framework::load_bytes(&bytes);
    }

    /// Nor on mutations of a valid file (truncations and single-byte edits).
    #[test]
    fn loader_never_panics_on_mutated_fixture(cut in 0usize..4000, at in 0usize..4000, b in any::<u8>()) {
        let mut bytes = MINIMAL.as_bytes().to_vec();
        let at = at % bytes.len();
        bytes[at] = b;
        bytes.truncate(cut.max(1).min(bytes.len()));
        let loaded = tieuchi::domain::framework::load_bytes(&bytes);
        for issue in &loaded.issues {
            let _ = issue.message(Lang::Vi);
        }
    }
}

#[test]
fn a_reviewer_override_replaces_the_verdict_and_says_so() {
    use tieuchi::domain::assessment::Person;
    use tieuchi::domain::workflow::Step;
    let fw = minimal();
    let mut a = assessment(&fw, "a");
    a.set_answer("1.1", Some(RawAnswer::Flag(true)), 1.0);
    let reviewer = Person { name: "Lê Văn C".into(), title: "Chuyên viên Sở".into() };
    a.workflow = a.workflow.apply(Step::Submit, &reviewer, 2.0, false).expect("submit");
    a.workflow = a.workflow.review("1.1", "Biên bản chưa ký", Some(false), &reviewer, 3.0).expect("review");
    let ev = evaluate(&fw, &a);
    assert_eq!(ev.indicators[0].verdict(), Verdict::NotMet);
    assert_eq!(ev.indicators[0].overridden, Some(Verdict::Met));
    let line = explain(&fw, &fw.indicators[0], &ev.indicators[0], "a", Lang::Vi);
    assert_eq!(line, "1.1: người thẩm tra/thẩm định ghi nhận khác → chưa đạt (kết quả tính: đạt)");
    // A comment without an override leaves the computed verdict.
    a.workflow = a.workflow.review("1.1", "Đã xem", None, &reviewer, 4.0).expect("review");
    assert_eq!(evaluate(&fw, &a).indicators[0].verdict(), Verdict::Met);
}

/// A points indicator's verdict agrees with the score rule that uses it: each part needs half
/// its maximum in the fixture (3.2: 19 of 40 is not met, and the criterion fails on it).
#[test]
fn a_points_indicator_is_met_as_its_score_rule_says() {
    let fw = minimal();
    let mut a = assessment(&fw, "a");
    a.set_answer("3.1", text("60"), 1.0);
    a.set_answer("3.2", text("19"), 1.0);
    let ev = evaluate(&fw, &a);
    let (i1, i2) = (fw.indicator_index("3.1").expect("3.1"), fw.indicator_index("3.2").expect("3.2"));
    assert_eq!(ev.indicators[i1].verdict(), Verdict::Met);
    assert_eq!(ev.indicators[i2].verdict(), Verdict::NotMet);
    assert_eq!(ev.criteria[2].verdict, Verdict::NotMet);
    let line = explain(&fw, &fw.indicators[i2], &ev.indicators[i2], "a", Lang::Vi);
    assert_eq!(line, "3.2: 19 < 20 (điểm tối thiểu của phần, tối đa 40) → chưa đạt");
    a.set_answer("3.2", text("20"), 2.0);
    let ev = evaluate(&fw, &a);
    assert_eq!(ev.indicators[i2].verdict(), Verdict::Met);
    assert_eq!(ev.criteria[2].verdict, Verdict::Met);
}

/// No bundled value is from the official text today: a commune meeting every criterion is a
/// provisional result, with the reason; a value marked official in the data is not counted.
#[test]
fn verdicts_from_values_not_in_the_official_text_are_provisional() {
    use tieuchi::domain::score::provisional;
    let fw = minimal();
    let mut a = assessment(&fw, "a");
    a.set_answer("1.1", Some(RawAnswer::Flag(true)), 1.0);
    let ev = evaluate(&fw, &a);
    let p = provisional(&fw, &ev, &a.dimension_value).expect("provisional");
    assert_eq!((p.not_official, p.provisional_set), (1, false));
    assert_eq!(
        p.reason(Lang::Vi),
        "1 chỉ tiêu quyết định kết quả có nội dung, ngưỡng chưa đối chiếu được với văn bản gốc"
    );
    let official = MINIMAL.replacen(
        "\"kind\": \"yes_no\", \"source\": \"t\"",
        "\"kind\": \"yes_no\", \"provenance\": \"official\", \"source\": \"t\"",
        1,
    );
    let fw = load_str(&official).framework.expect("loads");
    let ev = evaluate(&fw, &a);
    assert_eq!(provisional(&fw, &ev, &a.dimension_value), None, "decided only by an official value");
    for (name, loaded) in bundled::load_all() {
        let fw = loaded.framework.expect(name);
        assert!(
            fw.indicators.iter().all(|i| i.provenance != tieuchi::domain::framework::Provenance::Official),
            "{name}: no official text was reachable"
        );
    }
}

/// 17.1 "≥ 95% hợp vệ sinh, trong đó ≥ 65% nước sạch" (ĐBSCL column): both shares decide.
#[test]
fn water_17_1_needs_both_the_hygienic_and_the_clean_share() {
    let fw = bundled::load_all()
        .into_iter()
        .find_map(|(_, l)| l.framework.filter(|f| f.id == "ntm-xa-2016-2020"))
        .expect("1980");
    let i = fw.indicator_index("17.1").expect("17.1");
    let run = |answer: RawAnswer, dim: &str| {
        let mut a = assessment(&fw, dim);
        a.set_answer("17.1", Some(answer), 1.0);
        let ev = evaluate(&fw, &a);
        let r = ev.indicators[i].clone();
        (r.state.clone(), explain(&fw, fw.indicator("17.1").expect("17.1"), &r, dim, Lang::Vi))
    };
    let triple = |a: &str, b: &str, c: &str| RawAnswer::Triple(a.into(), b.into(), c.into());
    // 96% hygienic, 70% clean: met.
    let (state, why) = run(triple("9.600", "10.000", "7.000"), "dbscl");
    assert_eq!(state, IndicatorState::Decided(Verdict::Met), "{why}");
    assert!(why.contains("96% ≥ 95%") && why.contains("70% ≥ 65%"), "{why}");
    // 96% hygienic but only 60% clean: not met, and the explanation says which.
    let (state, why) = run(triple("9.600", "10.000", "6.000"), "dbscl");
    assert_eq!(state, IndicatorState::Decided(Verdict::NotMet), "{why}");
    assert!(why.contains("96% ≥ 95%") && why.contains("60% < 65%"), "{why}");
    // The same 60% clean meets Tây Nguyên's 50% (its hygienic threshold is 95% too).
    let (state, _) = run(triple("9.600", "10.000", "6.000"), "tn");
    assert_eq!(state, IndicatorState::Decided(Verdict::Met));
    // Hygienic short: not met whatever the clean share.
    let (state, _) = run(triple("9.000", "10.000", "9.000"), "dbscl");
    assert_eq!(state, IndicatorState::Decided(Verdict::NotMet));
    // The part is required, and cannot exceed the hygienic count.
    let (state, why) = run(RawAnswer::Pair("9.600".into(), "10.000".into()), "dbscl");
    assert!(matches!(state, IndicatorState::Invalid(_)), "{state:?}");
    assert!(why.contains("trong đó"), "{why}");
    let (state, _) = run(triple("9.600", "10.000", "9.700"), "dbscl");
    assert!(matches!(state, IndicatorState::Invalid(_)), "{state:?}");
    // Duyên hải Nam Trung Bộ: both cells unknown, the national values stand in, flagged.
    let mut a = assessment(&fw, "dhntb");
    a.set_answer("17.1", Some(triple("9.600", "10.000", "7.000")), 1.0);
    let r = &evaluate(&fw, &a).indicators[i];
    assert_eq!(r.state, IndicatorState::Decided(Verdict::Met));
    assert!(r.unverified);
    let why = explain(&fw, fw.indicator("17.1").expect("17.1"), r, "dhntb", Lang::Vi);
    assert!(why.contains("ngưỡng chung"), "{why}");
}

/// One edit an officer or a reviewer makes on an assessment being filled.
#[derive(Debug, Clone)]
enum Edit {
    /// An answer that meets (or not) the indicator's threshold in the commune's column.
    Answer(usize, bool),
    /// Whatever was typed, numbers the Vietnamese way or not.
    Typed(usize, String),
    Clear(usize),
    Note(usize, String),
    Override(usize, Option<bool>),
    Dimension(usize),
    /// "Không xem xét" ticked or unticked (counts only where the set allows it).
    NotAssessed(usize, bool),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (0usize..200, any::<bool>()).prop_map(|(i, m)| Edit::Answer(i, m)),
        2 => (0usize..200, "[0-9.,]{0,7}").prop_map(|(i, s)| Edit::Typed(i, s)),
        1 => (0usize..200).prop_map(Edit::Clear),
        2 => (0usize..200, "[a-z ]{0,5}").prop_map(|(i, s)| Edit::Note(i, s)),
        1 => (0usize..200, proptest::option::of(any::<bool>())).prop_map(|(i, o)| Edit::Override(i, o)),
        1 => (0usize..8).prop_map(Edit::Dimension),
        1 => (0usize..200, any::<bool>()).prop_map(|(i, b)| Edit::NotAssessed(i, b)),
    ]
}

fn apply(fw: &Framework, a: &mut Assessment, e: &Edit) {
    let n = fw.indicators.len();
    match e {
        Edit::Answer(i, meet) => {
            let ind = &fw.indicators[i % n];
            let doc = raw_doc(fw);
            let boundary = raw_threshold(doc, &ind.id, &raw_column(doc, &a.dimension_value));
            if let Some(Some(raw)) = answer_for(&ind.kind, boundary, *meet) {
                a.set_answer(&ind.id, Some(raw), 2.0);
            }
        }
        Edit::Typed(i, s) => {
            let ind = &fw.indicators[i % n];
            let raw = match ind.kind {
                Kind::Ratio { .. } | Kind::Roster => RawAnswer::Pair(s.clone(), "100".into()),
                _ => RawAnswer::Text(s.clone()),
            };
            a.set_answer(&ind.id, Some(raw), 2.0);
        }
        Edit::Clear(i) => a.set_answer(&fw.indicators[i % n].id, None, 2.0),
        Edit::Note(i, s) => a.entries.entry(fw.indicators[i % n].id.clone()).or_default().note = s.clone(),
        Edit::Override(i, over) => {
            let review = tieuchi::domain::workflow::Review {
                comment: "xem lại".into(),
                override_met: *over,
                by: Default::default(),
                at: 3.0,
                account: None,
            };
            a.workflow.reviews.insert(fw.indicators[i % n].id.clone(), review);
        }
        Edit::Dimension(k) => {
            let values = &fw.dimension.values;
            a.dimension_value = values[k % values.len()].id.clone();
        }
        Edit::NotAssessed(i, b) => {
            // Indicator 7 of 1980 allows it; aim at it half of the time.
            let id = if i % 2 == 0 && fw.indicator_index("7").is_some() {
                "7".to_string()
            } else {
                fw.indicators[i % n].id.clone()
            };
            a.entries.entry(id).or_default().not_assessed = *b;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// The page's live evaluation, refreshed after each edit, equals scoring from scratch, and
    /// it reports exactly the indicators whose entry or override the edit changed.
    #[test]
    fn live_evaluation_equals_scoring_from_scratch(set in 0usize..3, edits in proptest::collection::vec(edit(), 1..40)) {
        let (_, loaded) = bundled::load_all().remove(set);
        let fw = loaded.framework.expect("bundled set loads");
        let mut a = assessment(&fw, &fw.dimension.values[0].id);
        let mut live = tieuchi::domain::score::LiveEvaluation::new(&fw, &a);
        prop_assert_eq!(live.evaluation(), &evaluate(&fw, &a));
        for e in &edits {
            let before = a.clone();
            apply(&fw, &mut a, e);
            let got = live.refresh(&fw, &a);
            let want = evaluate(&fw, &a);
            prop_assert_eq!(live.evaluation(), &want, "after {:?}", e);
            prop_assert_eq!(
                live.provisional(&fw),
                tieuchi::domain::score::provisional(&fw, &want, &a.dimension_value),
                "after {:?}",
                e
            );
            if got.all {
                prop_assert_ne!(&before.dimension_value, &a.dimension_value);
            } else {
                let touched: Vec<usize> = fw
                    .indicators
                    .iter()
                    .enumerate()
                    .filter(|(_, ind)| {
                        before.entries.get(&ind.id) != a.entries.get(&ind.id)
                            || before.workflow.reviews.get(&ind.id).and_then(|r| r.override_met)
                                != a.workflow.reviews.get(&ind.id).and_then(|r| r.override_met)
                    })
                    .map(|(i, _)| i)
                    .collect();
                prop_assert_eq!(&got.indicators, &touched, "after {:?}", e);
                let old = evaluate(&fw, &before);
                let changed: Vec<usize> =
                    (0..fw.criteria.len()).filter(|&c| old.criteria[c] != want.criteria[c]).collect();
                prop_assert_eq!(&got.criteria, &changed, "after {:?}", e);
            }
        }
    }
}

/// QĐ 4800/QĐ-BCT (via FACTS-2026 §5): a commune with no rural commercial infrastructure in its
/// plan is not assessed on 1980 criterion 7. Before this, the officer had to type a false "no".
#[test]
fn an_indicator_not_assessed_where_guidance_allows_counts_as_its_source_says_and_says_so() {
    use tieuchi::domain::report::{results_csv, rows};
    use tieuchi::domain::score::LiveEvaluation;
    let sets = bundled::load_all();
    let fw = sets
        .iter()
        .find_map(|(_, l)| l.framework.as_ref().filter(|f| f.id == "ntm-xa-2016-2020"))
        .expect("1980 set");
    let i7 = fw.indicator_index("7").expect("indicator 7");
    let rule = fw.indicators[i7].not_assessed.as_ref().expect("7 may be not assessed");
    assert!(rule.source.contains("4800/QĐ-BCT"));
    let mut a = Assessment::new(
        "t".into(),
        (&fw.id, &fw.version),
        Commune { name: "Xã Thử".into(), province: "Cà Mau".into(), ..Default::default() },
        2020,
        "dbscl",
        0.0,
    );
    a.set_answer("7", Some(RawAnswer::Flag(false)), 1.0);
    let mut live = LiveEvaluation::new(fw, &a);
    assert_eq!(evaluate(fw, &a).indicators[i7].state, IndicatorState::Decided(Verdict::NotMet));
    a.entries.get_mut("7").expect("entry").not_assessed = true;
    let ev = evaluate(fw, &a);
    let r = &ev.indicators[i7];
    assert_eq!(r.state, IndicatorState::Decided(Verdict::Met));
    assert!(r.not_assessed && r.unverified, "a secondary source: flagged");
    let c7 = fw.criteria.iter().position(|c| c.id == "7").expect("criterion 7");
    assert_eq!(ev.criteria[c7].verdict, Verdict::Met, "the criterion is not held against the commune");
    let text = explain(fw, &fw.indicators[i7], r, "dbscl", Lang::Vi);
    assert!(
        text.starts_with("7: không xem xét — Xã không có cơ sở hạ tầng thương mại nông thôn trong quy hoạch → tính là đạt (QĐ 4800"),
        "{text}"
    );
    // The report and the CSV say "không xem xét", not the kept answer and not a bare "đạt".
    let row = rows(fw, &a, &ev, Lang::Vi).into_iter().find(|r| r.indicator == "7").expect("row");
    assert_eq!(row.typed, "Không xem xét");
    let csv = results_csv([(&a, fw)], ';', Lang::Vi);
    let line = csv.lines().find(|l| l.contains(";\"7\";\"7\";") || l.contains(";7;7;")).expect("line of 7");
    assert!(line.contains("Không xem xét") && line.contains("khong_xem_xet"), "{line}");
    // The answer typed before is kept, and the live evaluation agrees with scoring from scratch.
    assert_eq!(a.answer("7"), Some(&RawAnswer::Flag(false)));
    live.refresh(fw, &a);
    assert_eq!(live.evaluation(), &ev);
    // Where the set does not allow it, a tick changes nothing.
    a.set_answer("1.1", Some(RawAnswer::Flag(false)), 2.0);
    a.entries.get_mut("1.1").expect("entry").not_assessed = true;
    let i11 = fw.indicator_index("1.1").expect("1.1");
    assert_eq!(evaluate(fw, &a).indicators[i11].state, IndicatorState::Decided(Verdict::NotMet));
}

#[test]
fn not_assessed_in_a_framework_needs_its_source_and_a_known_scoring() {
    let mut doc: serde_json::Value = serde_json::from_str(MINIMAL).expect("json");
    let ind = &mut doc["groups"][0]["criteria"][0]["indicators"][0];
    ind["not_assessed"] =
        serde_json::json!({"when": {"vi": "x", "en": "x"}, "scored_as": "excluded", "source": ""});
    let loaded = load_str(&doc.to_string());
    let messages: Vec<String> = loaded.issues.iter().map(|i| i.message(Lang::En)).collect();
    assert!(loaded.framework.is_none(), "{messages:?}");
    assert!(
        messages.iter().any(|m| m.contains("not_assessed.scored_as") && m.contains("only “met” is known")),
        "{messages:?}"
    );
    assert!(messages.iter().any(|m| m.contains("not_assessed.source")), "{messages:?}");
}
