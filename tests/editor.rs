//! The framework editor and its spreadsheet template: every bundled set round-trips through
//! the CSV template unchanged; an edited threshold imports as exactly that change; a broken row
//! is located and changes nothing; editor operations keep the set loadable or say why; and a
//! province set derived from 51/2025 with real indicators scores a nhóm 2 commune, official and
//! not-found values told apart.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use tieuchi::domain::answer::RawAnswer;
use tieuchi::domain::assessment::{Assessment, Commune};
use tieuchi::domain::framework::bundled::BUNDLED;
use tieuchi::domain::framework::diff::diff;
use tieuchi::domain::framework::doc::FrameworkDoc;
use tieuchi::domain::framework::edit::{self, check, doc_of, Editor, Op, Target};
use tieuchi::domain::framework::model::Level;
use tieuchi::domain::framework::{template, Framework};
use tieuchi::domain::score::{evaluate, provisional, Verdict};

fn bundled(name: &str) -> FrameworkDoc {
    let (_, text) = BUNDLED.iter().find(|(n, _)| n.starts_with(name)).expect(name);
    doc_of(text).expect("bundled set reads as a document")
}

fn model(doc: &FrameworkDoc) -> Framework {
    let loaded = check(doc);
    let errors: Vec<String> = loaded
        .errors()
        .map(|e| format!("{}: {}", e.path, e.message(tieuchi::domain::text::Lang::En)))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    loaded.framework.expect("loads")
}

#[test]
fn every_bundled_set_round_trips_through_the_template_unchanged() {
    for (name, text) in BUNDLED {
        let doc = doc_of(text).expect(name);
        let csv = template::export(&doc);
        assert!(csv.starts_with("\u{feff}\"nhom\";\"tieu_chi\""), "{name}: BOM and header first");
        let rows = csv.matches("\r\n").count() - 1;
        let indicators: usize = doc.groups.iter().flat_map(|g| &g.criteria).map(|c| c.indicators.len()).sum();
        assert_eq!(rows, indicators, "{name}: one row per indicator");
        let back = template::import(&doc, &csv).unwrap_or_else(|e| panic!("{name}: {:?}", e));
        assert_eq!(model(&back), model(&doc), "{name}: the same set");
        // And the published JSON reads back as the same document.
        assert_eq!(doc_of(&edit::to_json(&back)).expect("json"), back);
    }
}

#[test]
fn an_edited_threshold_imports_as_exactly_that_change() {
    let doc = bundled("ntm-xa-2016-2020");
    let csv = template::export(&doc);
    let header: Vec<&str> = csv.lines().next().expect("header").split(';').collect();
    let col = header.iter().position(|h| *h == "\"dbscl\"").expect("dbscl column");
    // 15.1 (health insurance) for the Mekong delta: 85 → 87,5 typed the Vietnamese way.
    let edited: String = csv
        .split("\r\n")
        .map(|line| {
            let mut f: Vec<String> = line.split(';').map(str::to_string).collect();
            if f.get(3).map(String::as_str) == Some("\"15.1\"") {
                assert_eq!(f[col], "\"85\"", "the value before the edit");
                f[col] = "\"87,5\"".into();
            }
            f.join(";")
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    let back = template::import(&doc, &edited).expect("imports");
    let (old, new) = (model(&doc), model(&back));
    let d = diff(&old, &new);
    assert!(d.added.is_empty() && d.removed.is_empty());
    assert_eq!(d.changed.len(), 1, "{d:?}");
    assert_eq!(d.changed[0].0, "15.1");
    assert!(d.changed[0].2.contains("dbscl: 87.5"), "{}", d.changed[0].2);
    // The same change made in the editor gives the same set.
    let mut e = Editor::new(doc.clone());
    let (g, c, i) = position(&doc, "15.1");
    e.apply(Op::Cell {
        at: Target::Indicator(g, c, i),
        part: false,
        column: Some("dbscl".into()),
        value: "87,5".into(),
        level: String::new(),
        source: String::new(),
    })
    .expect("applies");
    let by_editor = model(&e.doc);
    let ind = |fw: &Framework| fw.indicator("15.1").cloned().expect("15.1");
    assert!(format!("{:?}", ind(&by_editor).kind).contains("value: 87.5"));
    assert_eq!(diff(&new, &by_editor).changed.len(), 0, "editor and template agree on the value");
}

fn position(doc: &FrameworkDoc, id: &str) -> (usize, usize, usize) {
    for (g, grp) in doc.groups.iter().enumerate() {
        for (c, crit) in grp.criteria.iter().enumerate() {
            if let Some(i) = crit.indicators.iter().position(|x| x.id == id) {
                return (g, c, i);
            }
        }
    }
    panic!("{id} not found")
}

#[test]
fn a_broken_row_is_located_and_changes_nothing() {
    let doc = bundled("ntm-xa-2016-2020");
    let before = doc.clone();
    let csv = template::export(&doc);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    let row_of = |id: &str| {
        lines.iter().position(|l| l.split(';').nth(3) == Some(&format!("\"{id}\""))).expect(id) + 1
    };
    let replace = |id: &str, col: usize, value: &str| -> String {
        lines
            .iter()
            .map(|l| {
                let mut f: Vec<String> = l.split(';').map(str::to_string).collect();
                if f.get(3).map(String::as_str) == Some(&format!("\"{id}\"")) {
                    f[col] = format!("\"{value}\"");
                }
                f.join(";")
            })
            .collect::<Vec<_>>()
            .join("\r\n")
    };
    let header = template::header(&doc);
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    // A value that is not a number.
    let errs = template::import(&doc, &replace("15.1", col("dbscl"), "tám lăm")).expect_err("refused");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!((errs[0].row, errs[0].column.as_deref()), (row_of("15.1"), Some("dbscl")));
    assert_eq!(
        errs[0].message(tieuchi::domain::text::Lang::Vi),
        format!("Dòng {}, cột “dbscl”: “tám lăm” không phải là số.", row_of("15.1"))
    );
    // An ambiguous one says both readings.
    let errs = template::import(&doc, &replace("15.1", col("dbscl"), "10.500")).expect_err("refused");
    assert!(errs[0].vi.contains("10500") && errs[0].vi.contains("10,5"), "{}", errs[0].vi);
    // A kind that does not exist, a level that does not exist, a code twice.
    let errs = template::import(&doc, &replace("2.1", col("loai"), "so")).expect_err("refused");
    assert_eq!((errs[0].row, errs[0].column.as_deref()), (row_of("2.1"), Some("loai")));
    let errs = template::import(&doc, &replace("15.1", col("dbscl_muc"), "chắc chắn")).expect_err("refused");
    assert_eq!(errs[0].column.as_deref(), Some("dbscl_muc"));
    let errs = template::import(&doc, &replace("2.2", col("chi_tieu"), "2.1")).expect_err("refused");
    assert!(errs[0].vi.contains(&format!("đã có ở dòng {}", row_of("2.1"))), "{}", errs[0].vi);
    // A percentage above 100, found by the loader, located back to its row and column.
    let errs = template::import(&doc, &replace("15.1", col("dbscl"), "185")).expect_err("refused");
    assert_eq!((errs[0].row, errs[0].column.as_deref()), (row_of("15.1"), Some("dbscl")), "{errs:?}");
    // A column the set does not have.
    let bad_head = csv.replacen("\"dbscl\"", "\"dbscl_x\"", 1);
    let errs = template::import(&doc, &bad_head).expect_err("refused");
    assert_eq!((errs[0].row, errs[0].column.as_deref()), (1, Some("dbscl_x")));
    assert_eq!(doc, before, "the set is untouched");
}

#[test]
fn editor_operations_keep_the_set_loadable_and_undo_restores_it() {
    let doc = bundled("ntm-xa-2026-2030");
    let mut e = Editor::new(doc.clone());
    e.apply(Op::Add(Target::Indicator(0, 0, 1))).expect("add");
    assert_eq!(e.doc.groups[0].criteria[0].indicators.len(), 2);
    assert!(check(&e.doc).errors().next().is_none(), "a new indicator is a loadable yes/no");
    e.apply(Op::Set(Target::Indicator(0, 0, 1), "kind", "ratio".into())).expect("kind");
    e.apply(Op::Cell {
        at: Target::Indicator(0, 0, 1),
        part: false,
        column: None,
        value: "80".into(),
        level: "official".into(),
        source: "QĐ 51/2025, PL I, dòng 1.2".into(),
    })
    .expect("national");
    e.apply(Op::SameForAll { at: Target::Indicator(0, 0, 1), part: false }).expect("same for all");
    let fw = model(&e.doc);
    let ind = fw.indicator(&e.doc.groups[0].criteria[0].indicators[1].id).expect("new");
    for v in ["nhom1", "nhom2", "nhom3"] {
        assert_eq!(fw.level_of(ind, v), Level::Official, "{v}: the copied official value");
    }
    // A number that does not read is refused and nothing changes.
    let before = e.doc.clone();
    let refused = e.apply(Op::Cell {
        at: Target::Indicator(0, 0, 1),
        part: false,
        column: Some("nhom2".into()),
        value: "tám mươi".into(),
        level: String::new(),
        source: String::new(),
    });
    assert_eq!(refused.expect_err("refused").vi, "“tám mươi” không phải là số.");
    assert_eq!(e.doc, before);
    // Two indicators with one code: the loader says where.
    e.apply(Op::Set(Target::Indicator(0, 0, 1), "id", "TC1".into())).expect("set");
    let loaded = check(&e.doc);
    let errors: Vec<String> = loaded.errors().map(|i| i.path.to_string()).collect();
    assert_eq!(errors, ["groups[0].criteria[0].indicators[1].id"]);
    // Moved, removed, then every step undone back to the start.
    e.apply(Op::Move(Target::Indicator(0, 0, 1), 0)).expect("move");
    assert_eq!(e.doc.groups[0].criteria[0].indicators[0].kind, "ratio");
    e.apply(Op::Remove(Target::Criterion(0, 9))).expect("remove");
    assert_eq!(e.doc.groups[0].criteria.len(), 9);
    while e.undo() {}
    assert_eq!(e.doc, doc);
    assert!(e.redo());
}

/// The e2e flow, natively: a province derives its set from 51/2025 and replaces criterion 1's
/// stand-in check by two real indicators per commune group, one value cited from the official
/// text and one not found; a nhóm 2 commune is scored on it.
#[test]
fn a_province_set_from_51_2025_scores_a_group_2_commune_and_flags_the_value_not_found() {
    let base = bundled("ntm-xa-2026-2030");
    let mut e = Editor::new(edit::derive(&base, "ntm-xa-2026-2030-tinh-camau", "1"));
    let at = |i| Target::Indicator(0, 0, i);
    e.apply(Op::Add(at(1))).expect("add");
    e.apply(Op::Remove(at(0))).expect("remove the stand-in");
    e.apply(Op::Add(at(1))).expect("add");
    for (i, (id, kind)) in [("1.1", "yes_no"), ("1.2", "ratio")].into_iter().enumerate() {
        e.apply(Op::Set(at(i), "id", id.into())).expect("id");
        e.apply(Op::Set(at(i), "kind", kind.into())).expect("kind");
        e.apply(Op::Set(at(i), "provenance", "official".into())).expect("provenance");
        e.apply(Op::Set(at(i), "verified", "true".into())).expect("verified");
    }
    e.apply(Op::Set(at(0), "title", "Có quy hoạch chung xã được phê duyệt".into())).expect("title");
    e.apply(Op::Set(at(1), "title", "Tỷ lệ thôn có quy hoạch chi tiết".into())).expect("title");
    for (col, value, level) in
        [("nhom1", "100", "official"), ("nhom2", "90", "not_found"), ("nhom3", "80", "official")]
    {
        e.apply(Op::Cell {
            at: at(1),
            part: false,
            column: Some(col.into()),
            value: value.into(),
            level: level.into(),
            source: "QĐ 51/2025/QĐ-TTg, Phụ lục I".into(),
        })
        .expect("cell");
    }
    let fw = model(&e.doc);
    assert_eq!(fw.key(), "ntm-xa-2026-2030-tinh-camau@1");
    let d = diff(&model(&base), &fw);
    assert_eq!(
        (d.added.clone(), d.removed.clone()),
        (vec!["1.1".to_string(), "1.2".to_string()], vec!["TC1".to_string()])
    );
    let commune =
        Commune { name: "Xã Tân Thành".into(), province: "Tỉnh Cà Mau".into(), ..Default::default() };
    let mut a = Assessment::new("r".into(), (&fw.id, &fw.version), commune, 2026, "nhom2", 0.0);
    a.set_answer("1.1", Some(RawAnswer::Flag(true)), 1.0);
    a.set_answer("1.2", Some(RawAnswer::Pair("9".into(), "10".into())), 1.0);
    let ev = evaluate(&fw, &a);
    let i12 = fw.indicator_index("1.2").expect("1.2");
    assert_eq!(ev.indicators[i12].verdict(), Verdict::Met, "9/10 = 90% ≥ 90%");
    assert!(ev.indicators[i12].unverified, "the not-found value is flagged");
    assert_eq!(fw.level_of(&fw.indicators[i12], "nhom2"), Level::NotFound);
    assert_eq!(fw.level_of(&fw.indicators[i12], "nhom3"), Level::Official);
    assert_eq!(fw.level_of(fw.indicator("1.1").expect("1.1"), "nhom2"), Level::Official);
    assert_eq!(ev.criteria[0].verdict, Verdict::Met);
    let p = provisional(&fw, &ev, "nhom2").expect("provisional");
    assert_eq!(p.not_official, 1, "only 1.2's not-found value (the others are unanswered)");
    // 8/10 fails the nhóm 2 value.
    a.set_answer("1.2", Some(RawAnswer::Pair("8".into(), "10".into())), 2.0);
    assert_eq!(evaluate(&fw, &a).criteria[0].verdict, Verdict::NotMet);
}

/// Operations the property test draws.
fn op() -> impl Strategy<Value = Op> {
    let target = (0usize..2, 0usize..12, 0usize..4).prop_map(|(g, c, i)| Target::Indicator(g, c, i));
    let crit = (0usize..2, 0usize..12).prop_map(|(g, c)| Target::Criterion(g, c));
    let kinds = prop::sample::select(vec!["yes_no", "number", "ratio", "choice", "checklist", "points"]);
    let columns = prop::sample::select(vec![None, Some("nhom1"), Some("nhom2"), Some("nhom3")]);
    let values = prop::sample::select(vec!["", "?", "80", "83,5", "10.500", "x", "100"]);
    let levels = prop::sample::select(vec!["", "official", "secondary", "not_found"]);
    prop_oneof![
        target.clone().prop_map(Op::Add),
        target.clone().prop_map(Op::Remove),
        crit.clone().prop_map(Op::Add),
        crit.prop_map(Op::Remove),
        (target.clone(), 0usize..4).prop_map(|(t, to)| Op::Move(t, to)),
        (target.clone(), kinds).prop_map(|(t, k)| Op::Set(t, "kind", k.to_string())),
        (target.clone(), prop::sample::select(vec!["1.1", "TC1", "x", ""])).prop_map(|(t, id)| Op::Set(
            t,
            "id",
            id.to_string()
        )),
        (target.clone(), columns, values, levels).prop_map(|(at, column, value, level)| Op::Cell {
            at,
            part: false,
            column: column.map(str::to_string),
            value: value.to_string(),
            level: level.to_string(),
            source: if level.is_empty() { String::new() } else { "QĐ 51/2025".to_string() },
        }),
        target.prop_map(|at| Op::SameForAll { at, part: false }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    /// Any sequence of operations: each applies or is refused with nothing changed; the set
    /// always either loads or the loader says why at a path; its JSON reads back as itself; and
    /// a set that loads goes through the template and back unchanged.
    #[test]
    fn any_sequence_of_edits_exports_and_loads_as_the_same_set(ops in prop::collection::vec(op(), 1..25)) {
        let mut e = Editor::new(bundled("ntm-xa-2026-2030"));
        for op in ops {
            let before = e.doc.clone();
            if e.apply(op).is_err() {
                prop_assert_eq!(&e.doc, &before);
            }
            let loaded = check(&e.doc);
            prop_assert!(loaded.framework.is_some() || loaded.errors().next().is_some());
            prop_assert_eq!(doc_of(&edit::to_json(&e.doc)).expect("json"), e.doc.clone());
            if loaded.errors().next().is_none() {
                let fw = loaded.framework.expect("loads");
                let back = template::import(&e.doc, &template::export(&e.doc));
                let back = back.map_err(|i| format!("{i:?}")).expect("template reads back");
                prop_assert_eq!(check(&back).framework.expect("loads"), fw);
            }
        }
    }
}
