//! Data-driven tests of the framework loader: every class of bad file gives its located error
//! (JSON path and line:column), unknown fields only warn, and bundled sets load cleanly.
#![cfg(not(target_arch = "wasm32"))]

use tieuchi::domain::framework::bundled;
use tieuchi::domain::framework::{load_bytes, load_str, IssueKind, Severity};
use tieuchi::domain::text::Lang;

const MINIMAL: &str = include_str!("fixtures/frameworks/minimal.json");

/// 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> u32 {
    let at = text.find(needle).unwrap_or_else(|| panic!("fixture lacks {needle:?}"));
    text[..at].matches('\n').count() as u32 + 1
}

/// Loads `text`, expects exactly one error matching `want`, at `path`, on the line of `marker`.
fn check_error(text: &str, want: fn(&IssueKind) -> bool, path: &str, marker: Option<&str>) {
    let loaded = load_str(text);
    assert!(loaded.framework.is_none(), "a file with errors must be refused");
    let errors: Vec<_> = loaded.errors().collect();
    let hit = errors
        .iter()
        .find(|i| want(&i.kind))
        .unwrap_or_else(|| panic!("expected error not found; got {:#?}", errors));
    assert_eq!(hit.path.to_string(), path, "path of {:?}", hit.kind);
    if let Some(marker) = marker {
        let pos = hit.pos.expect("located");
        assert_eq!(pos.line, line_of(text, marker), "line of {:?}", hit.kind);
    }
    // Every message exists in both languages and names the place.
    let vi = hit.message(Lang::Vi);
    let en = hit.message(Lang::En);
    assert!(vi.starts_with(path) && en.starts_with(path), "{vi} / {en}");
    assert_ne!(vi, en);
}

#[test]
fn minimal_fixture_loads_without_issues() {
    let loaded = load_str(MINIMAL);
    assert!(loaded.issues.is_empty(), "{:#?}", loaded.issues);
    let fw = loaded.framework.expect("loads");
    assert_eq!(fw.criteria.len(), 3);
    assert_eq!(fw.indicators.len(), 11);
    assert_eq!(fw.threshold_column("special"), "a");
}

#[test]
fn malformed_json_is_located() {
    let text = MINIMAL.replacen("\"version\": \"1\",", "\"version\": \"1\"", 1);
    let loaded = load_str(&text);
    let e = loaded.errors().next().expect("error");
    assert!(matches!(e.kind, IssueKind::Malformed { .. }), "{:?}", e.kind);
    assert_eq!(e.pos.expect("pos").line, line_of(&text, "\"title\": {\"vi\": \"Bộ mẫu\""));
    assert!(e.message(Lang::Vi).contains("JSON không hợp lệ"));
}

#[test]
fn truncated_file_is_malformed() {
    let loaded = load_str(&MINIMAL[..MINIMAL.len() / 2]);
    assert!(matches!(loaded.errors().next().map(|e| &e.kind), Some(IssueKind::Malformed { .. })));
}

#[test]
fn wrong_type_is_a_located_shape_error() {
    let text = MINIMAL.replacen("\"period\": [2020, 2025]", "\"period\": \"2020\"", 1);
    check_error(&text, |k| matches!(k, IssueKind::Shape { .. }), "period", Some("\"period\""));
}

#[test]
fn unknown_kind() {
    let text = MINIMAL.replacen("\"kind\": \"roster\"", "\"kind\": \"rooster\"", 1);
    check_error(
        &text,
        |k| matches!(k, IssueKind::UnknownKind { found } if found == "rooster"),
        "groups[0].criteria[0].indicators[5].kind",
        Some("rooster"),
    );
}

#[test]
fn duplicate_indicator_id() {
    let text = MINIMAL.replacen("\"id\": \"2.2\"", "\"id\": \"2.1\"", 1);
    check_error(
        &text,
        |k| matches!(k, IssueKind::DuplicateId { id, .. } if id == "2.1"),
        "groups[0].criteria[1].indicators[1].id",
        Some("\"title\": {\"vi\": \"b\"}"),
    );
}

#[test]
fn missing_threshold_for_declared_region() {
    let text = MINIMAL.replacen("\"by\": {\"a\": 36, \"b\": null}", "\"by\": {\"a\": 36}", 1);
    check_error(
        &text,
        |k| matches!(k, IssueKind::MissingThreshold { value, .. } if value == "b"),
        "groups[0].criteria[0].indicators[1].threshold.by",
        Some("\"by\": {\"a\": 36}"),
    );
}

#[test]
fn comparator_on_yes_no_does_not_fit() {
    let text = MINIMAL.replacen(
        "\"kind\": \"yes_no\", \"source\": \"t\", \"verified\": true}",
        "\"kind\": \"yes_no\", \"comparator\": \">=\", \"source\": \"t\", \"verified\": true}",
        1,
    );
    check_error(
        &text,
        |k| matches!(k, IssueKind::FieldNotForKind { field: "comparator", .. }),
        "groups[0].criteria[0].indicators[0].comparator",
        Some("\"comparator\": \">=\", \"source\""),
    );
}

#[test]
fn bad_comparator_text() {
    let text = MINIMAL.replacen("\"comparator\": \"<=\"", "\"comparator\": \"=<\"", 1);
    check_error(
        &text,
        |k| matches!(k, IssueKind::BadComparator { .. }),
        "groups[0].criteria[0].indicators[2].comparator",
        Some("=<"),
    );
}

#[test]
fn dangling_pass_option_and_dimension_value() {
    let text = MINIMAL.replacen("\"pass\": [\"x\"]", "\"pass\": [\"z\"]", 1);
    check_error(
        &text,
        |k| matches!(k, IssueKind::DanglingReference { id, .. } if id == "z"),
        "groups[0].criteria[0].indicators[3].pass[0]",
        Some("\"pass\": [\"z\"]"),
    );
    let text = MINIMAL.replacen("\"b\": null}", "\"b\": null, \"c\": 1}", 1);
    check_error(
        &text,
        |k| matches!(k, IssueKind::DanglingReference { id, .. } if id == "c"),
        "groups[0].criteria[0].indicators[1].threshold.by.c",
        Some("\"c\": 1"),
    );
    let text = MINIMAL.replacen("\"uses\": \"a\"", "\"uses\": \"zz\"", 1);
    check_error(
        &text,
        |k| matches!(k, IssueKind::DanglingReference { id, .. } if id == "zz"),
        "dimension.values[2].uses",
        Some("\"uses\""),
    );
}

#[test]
fn percentage_threshold_out_of_range() {
    let text = MINIMAL.replacen("\"national\": 20}", "\"national\": 120}", 1);
    check_error(
        &text,
        |k| matches!(k, IssueKind::OutOfRange { .. }),
        "groups[0].criteria[0].indicators[2].threshold.national",
        Some("\"national\": 120"),
    );
}

#[test]
fn unsatisfiable_rules() {
    let text = MINIMAL.replacen("\"count\": 2", "\"count\": 4", 1);
    check_error(
        &text,
        |k| matches!(k, IssueKind::Inconsistent { .. }),
        "groups[0].criteria[1].rule.count",
        Some("\"count\": 4"),
    );
    let text = MINIMAL.replacen("\"min_total\": 80", "\"min_total\": 180", 1);
    check_error(
        &text,
        |k| matches!(k, IssueKind::OutOfRange { .. }),
        "groups[0].criteria[2].rule.min_total",
        Some("\"min_total\": 180"),
    );
}

#[test]
fn wrong_format_version() {
    let text = MINIMAL.replacen("tieuchi-framework/1", "tieuchi-framework/9", 1);
    check_error(&text, |k| matches!(k, IssueKind::UnknownFormat { .. }), "format", Some("\"format\""));
}

#[test]
fn unknown_field_is_only_a_warning() {
    let text = MINIMAL.replacen("\"version\": \"1\",", "\"version\": \"1\", \"colour\": \"red\",", 1);
    let loaded = load_str(&text);
    assert!(loaded.framework.is_some(), "{:#?}", loaded.issues);
    let w: Vec<_> = loaded.warnings().collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].severity, Severity::Warning);
    assert_eq!(w[0].path.to_string(), "colour");
    assert_eq!(w[0].pos.expect("pos").line, line_of(&text, "colour"));
}

#[test]
fn size_depth_and_encoding_limits() {
    let big = format!("{{\"x\": \"{}\"}}", "a".repeat(tieuchi::domain::framework::load::MAX_BYTES));
    assert!(matches!(load_str(&big).issues[0].kind, IssueKind::TooLarge { .. }));
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let loaded = load_str(&deep);
    assert!(matches!(loaded.issues[0].kind, IssueKind::TooDeep { .. }));
    assert_eq!(loaded.issues[0].pos.expect("pos").column, 33);
    let loaded = load_bytes(b"{\"id\": \"\xff\"}");
    assert!(matches!(loaded.issues[0].kind, IssueKind::NotUtf8));
    assert_eq!(loaded.issues[0].pos.expect("pos").column, 9);
}

#[test]
fn markup_in_titles_is_kept_as_plain_text() {
    // The loader does not interpret markup; the UI renders titles as text nodes (see e2e test).
    let text = MINIMAL.replacen("Bộ mẫu", "<img src=x onerror=alert(1)>", 1);
    let fw = load_str(&text).framework.expect("loads");
    assert_eq!(fw.title.vi, "<img src=x onerror=alert(1)>");
}

#[test]
fn every_bundled_framework_loads_with_zero_errors() {
    for (name, loaded) in bundled::load_all() {
        let errors: Vec<String> = loaded.errors().map(|e| e.message(Lang::En)).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        let warnings: Vec<String> = loaded
            .warnings()
            .filter(|w| !matches!(w.kind, IssueKind::Inconsistent { .. }))
            .map(|e| e.message(Lang::En))
            .collect();
        assert!(warnings.is_empty(), "{name}: {warnings:#?}");
        assert!(loaded.framework.is_some());
    }
}

/// The bundled framework shipped in `file`.
fn bundled_set(file: &str) -> tieuchi::domain::framework::Framework {
    bundled::load_all()
        .into_iter()
        .find(|(n, _)| *n == file)
        .and_then(|(_, l)| l.framework)
        .unwrap_or_else(|| panic!("bundled {file}"))
}

#[test]
fn the_1980_set_has_19_criteria_and_49_indicators() {
    let fw = bundled_set("ntm-xa-2016-2020.json");
    assert_eq!(fw.criteria.len(), 19);
    assert_eq!(fw.indicators.len(), 49);
    assert_eq!(fw.dimension.values.len(), 7);
}

#[test]
fn the_2026_set_ships_as_a_flagged_criterion_level_frame() {
    let fw = bundled_set("ntm-xa-2026-2030-khung-tam.json");
    assert_eq!(fw.legal.decision, "51/2025/QĐ-TTg");
    assert_eq!(fw.criteria.len(), 10);
    assert_eq!(
        fw.dimension.values.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(),
        ["nhom1", "nhom2", "nhom3"]
    );
    // Nothing in it is verified, and it says so in its title and notes.
    assert!(fw.indicators.iter().all(|i| !i.verified));
    assert!(fw.title.vi.contains("KHUNG TẠM") && fw.notes[0].vi.contains("47 chỉ tiêu"));
}

#[test]
fn the_2021_set_ships_as_a_flagged_criterion_level_frame() {
    let fw = bundled_set("ntm-xa-2021-2025-khung-tam.json");
    assert_eq!(fw.legal.decision, "318/QĐ-TTg");
    assert_eq!(fw.criteria.len(), 19);
    assert_eq!(fw.legal.amended_by, ["211/QĐ-TTg (01/3/2024)"]);
    // Seven regions, and the special communes borrow the northern-mountain column.
    assert_eq!(fw.threshold_column("dac_biet"), "tdmnpb");
    assert!(fw.indicators.iter().all(|i| !i.verified));
    assert!(fw.title.vi.contains("KHUNG TẠM") && fw.notes[0].vi.contains("số chỉ tiêu: chưa tìm thấy nguồn"));
}

/// Recognition conditions beyond the criteria come with each bundled set, each cited or
/// marked not found (2026–2030: not found).
#[test]
fn bundled_sets_carry_their_recognition_conditions_with_provenance() {
    use tieuchi::domain::framework::{bundled, Provenance};
    let sets: Vec<_> = bundled::load_all().into_iter().filter_map(|(_, l)| l.framework).collect();
    let by_id = |id: &str| sets.iter().find(|f| f.id == id).expect(id);
    let ids = |id: &str| by_id(id).conditions.iter().map(|c| c.id.as_str()).collect::<Vec<_>>();
    assert_eq!(ids("ntm-xa-2016-2020"), ["registered", "no_debt"]);
    assert_eq!(ids("ntm-xa-2021-2025"), ["no_debt", "satisfaction", "security"]);
    assert_eq!(ids("ntm-xa-2026-2030"), ["other_conditions"]);
    assert!(by_id("ntm-xa-2026-2030").conditions.iter().all(|c| c.provenance == Provenance::NotFound));
    for f in &sets {
        for c in &f.conditions {
            assert!(!c.source.trim().is_empty(), "{} {}: a source or NOT FOUND", f.id, c.id);
            assert_ne!(
                c.provenance,
                Provenance::Official,
                "no official text was reachable: {} {}",
                f.id,
                c.id
            );
        }
    }
}

#[test]
fn an_unknown_provenance_is_a_located_error() {
    let text = include_str!("fixtures/frameworks/minimal.json").replacen(
        "\"groups\"",
        "\"recognition_conditions\": [{\"id\": \"x\", \"title\": {\"vi\": \"X\"}, \"source\": \"s\", \"provenance\": \"maybe\"}],\n  \"groups\"",
        1,
    );
    let loaded = tieuchi::domain::framework::load_str(&text);
    let e = loaded.errors().next().expect("an error");
    assert_eq!(e.path.to_string(), "recognition_conditions[0].provenance");
    assert!(e.message(tieuchi::domain::text::Lang::Vi).contains("nguồn “maybe” không hợp lệ"));
}

/// The 318 set names no indicator count: none was found in a source (FACTS/ANNEX).
#[test]
fn the_318_set_claims_no_unsourced_indicator_count() {
    let text = include_str!("../assets/frameworks/ntm-xa-2021-2025-khung-tam.json");
    assert!(!text.contains("57"), "an indicator count for 318 needs a source");
}

/// A refused file is explained in Vietnamese, not in serde's English.
#[test]
fn parse_and_shape_errors_read_in_vietnamese() {
    use tieuchi::domain::text::Lang;
    let minimal = include_str!("fixtures/frameworks/minimal.json");
    let cases = [
        (&minimal[..minimal.len() / 2], "tệp kết thúc giữa chừng"),
        (
            &*minimal.replacen(
                "\"title\": {\"vi\": \"Bộ mẫu\", \"en\": \"Sample\"}",
                "\"title\": \"Bộ mẫu\"",
                1,
            ),
            "sai kiểu: gặp chuỗi \"Bộ mẫu\", cần một văn bản song ngữ",
        ),
        (&*minimal.replacen("\"version\": \"1\",", "", 1), "thiếu trường “version”"),
        (&*minimal.replacen("\"version\": \"1\",", "\"version\": ,", 1), "cần một giá trị"),
        (&*minimal.replacen("\"version\": \"1\",", "\"version\": \"1\",,", 1), "tên trường phải là chuỗi"),
    ];
    for (text, want) in cases {
        let loaded = tieuchi::domain::framework::load_str(text);
        let e = loaded.errors().next().expect("refused");
        let vi = e.message(Lang::Vi);
        assert!(vi.contains(want), "{vi:?} should say {want:?}");
        for english in ["EOF", "expected", "invalid type", "missing field", "while parsing"] {
            assert!(!vi.contains(english), "{vi:?} has English in it");
        }
        assert!(
            e.message(Lang::En).is_ascii() || !e.message(Lang::En).contains("tệp"),
            "the English UI stays English"
        );
    }
}

/// The census of deciding values per region or commune group: every indicator is counted once,
/// and none is from the official text today (the annex PDFs were not reachable). Run with
/// `--nocapture` to see the table (it is in the closing note of the session that made it).
#[test]
fn census_per_column_counts_each_indicator_once_and_none_is_official() {
    use tieuchi::domain::framework::bundled;
    for (name, loaded) in bundled::load_all() {
        let fw = loaded.framework.expect(name);
        for v in &fw.dimension.values {
            let c = fw.census_for(&v.id);
            assert_eq!(c.total(), fw.indicators.len(), "{name} {}", v.id);
            assert_eq!(c.official, 0, "{name} {}", v.id);
            println!(
                "{name} {}: official {} · secondary {} · flagged {} · not found {}",
                v.id, c.official, c.secondary, c.flagged, c.not_found
            );
        }
    }
    // For ĐBSCL, 1980's unknown regional cells count as not found there (the national value
    // stands in), not as verified: more than the 21 indicators flagged as a whole.
    let fw = bundled::load_all()
        .into_iter()
        .find_map(|(_, l)| l.framework.filter(|f| f.id == "ntm-xa-2016-2020"))
        .expect("1980");
    let c = fw.census_for("dbscl");
    assert!(c.flagged + c.not_found > fw.indicators.iter().filter(|i| !i.verified).count());
}

/// Start-up's fast reading of an accepted framework agrees with the located loader.
fn agrees(text: &str) -> Result<(), String> {
    use tieuchi::domain::framework::{load_str_accepted, load_trusted};
    let located = load_str_accepted(text);
    let errors = located.issues.iter().filter(|i| i.severity == Severity::Error).count();
    match (load_trusted(text), located.framework) {
        (Some((fast, n)), Some(fw)) if fast == fw && n == errors => Ok(()),
        (None, None) => Ok(()),
        (fast, fw) => Err(format!(
            "fast: {:?} errors, located: {} errors, same framework: {}",
            fast.as_ref().map(|f| f.1),
            errors,
            fast.map(|f| f.0) == fw
        )),
    }
}

#[test]
fn start_up_reads_every_bundled_set_as_the_located_loader_does() {
    for (name, text) in bundled::BUNDLED {
        agrees(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    assert_eq!(bundled::frameworks().len(), bundled::BUNDLED.len(), "every bundled set starts");
    // One with errors today (a duplicate id) is still built, with its errors counted.
    let dup = MINIMAL.replacen("\"id\": \"1.2\"", "\"id\": \"1.1\"", 1);
    assert_ne!(dup, MINIMAL);
    agrees(&dup).unwrap_or_else(|e| panic!("a set with errors: {e}"));
    let (_, errors) = tieuchi::domain::framework::load_trusted(&dup).expect("built");
    assert!(errors > 0);
}

proptest::proptest! {
    /// Whatever a stored framework became, start-up and the import page read it alike.
    #[test]
    fn start_up_agrees_with_the_located_loader_on_mutated_files(cut in 0usize..4000, at in 0usize..4000, b in proptest::prelude::any::<u8>()) {
        let mut bytes = MINIMAL.as_bytes().to_vec();
        let at = at % bytes.len();
        bytes[at] = b;
        bytes.truncate(cut.max(1).min(bytes.len()));
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let agreed = agrees(text);
            proptest::prop_assert!(agreed.is_ok(), "{:?}", agreed);
        }
    }
}

/// Start-up reads the default set only; the others, read later, join the list after it and
/// before the imported sets, and replace an imported copy of themselves (bundled sets won when
/// all were read at start-up).
#[test]
fn bundled_sets_read_later_join_after_the_default_and_replace_an_imported_copy() {
    use std::sync::Arc;
    let default = bundled::default_framework();
    assert_eq!(default.len(), 1);
    assert_eq!(default[0].id, bundled::DEFAULT_FRAMEWORK_ID);
    let others: Vec<Arc<_>> = bundled::others().into_iter().map(Arc::new).collect();
    assert_eq!(others.len(), bundled::OTHERS.len());
    let mut imported = load_str(MINIMAL).framework.expect("minimal loads");
    imported.id = "tinh-bac-lieu".into();
    let copy = Arc::new((*others[1]).clone());
    let mut list: Vec<Arc<_>> = default.into_iter().map(Arc::new).collect();
    list.push(Arc::new(imported));
    list.push(copy.clone());
    bundled::merge(&mut list, 1, others.clone());
    let keys: Vec<String> = list.iter().map(|f| f.key()).collect();
    let all: Vec<String> = bundled::frameworks().iter().map(|f| f.key()).collect();
    assert_eq!(keys[..3], all[..], "bundled first, in their order");
    assert_eq!(keys.len(), 4, "the imported copy is replaced, the other import kept: {keys:?}");
    assert!(keys[3].starts_with("tinh-bac-lieu@"));
    assert!(Arc::ptr_eq(&list[2], &others[1]) && !Arc::ptr_eq(&list[2], &copy));
    // Merging again changes nothing.
    let before = keys.clone();
    bundled::merge(&mut list, 1, others);
    assert_eq!(list.iter().map(|f| f.key()).collect::<Vec<_>>(), before);
}

/// A group as listed: id, title, and each criterion's id, title and indicator count.
type GroupRow = (String, String, Vec<(String, String, usize)>);

/// The home page lists the set in force from an outline generated at build time (so the first
/// screen carries neither the loader nor the sets' data): each must say what the loader reads.
#[test]
fn each_outline_is_what_the_loader_reads_of_its_set() {
    use tieuchi::domain::framework::outline::{get, OUTLINES};
    let sets: Vec<_> = bundled::load_all().into_iter().filter_map(|(_, l)| l.framework).collect();
    assert_eq!(OUTLINES.len(), sets.len(), "one outline per bundled set");
    for outline in OUTLINES {
        let fw = sets.iter().find(|f| f.key() == outline.key()).expect("the outline's set is bundled");
        assert_eq!((outline.in_force, outline.period), (fw.legal.in_force.as_str(), fw.period));
        for lang in [Lang::Vi, Lang::En] {
            assert_eq!(get(outline.title, lang), fw.title.get(lang));
            let from_loader: Vec<GroupRow> = fw
                .groups
                .iter()
                .map(|g| {
                    let criteria = fw.criteria[g.criteria.clone()]
                        .iter()
                        .map(|c| (c.id.clone(), c.title.get(lang).to_string(), c.indicators.len()))
                        .collect();
                    (g.id.clone(), g.title.get(lang).to_string(), criteria)
                })
                .collect();
            let from_outline: Vec<GroupRow> = outline
                .groups
                .iter()
                .map(|g| {
                    let criteria = g
                        .criteria
                        .iter()
                        .map(|c| (c.id.to_string(), get(c.title, lang).to_string(), c.indicators))
                        .collect();
                    (g.id.to_string(), get(g.title, lang).to_string(), criteria)
                })
                .collect();
            assert_eq!(from_outline, from_loader, "{} {lang:?}", outline.key());
        }
    }
}

/// The home lists the set a new assessment starts from, chosen by the same rule.
#[test]
fn the_home_lists_the_set_in_force_on_the_day() {
    use tieuchi::domain::framework::outline::in_force_on;
    assert_eq!(in_force_on("2026-12-06").key(), "ntm-xa-2026-2030@51/2025-khung-tam");
    assert_eq!(in_force_on("2026-02-14").key(), "ntm-xa-2021-2025@318/2022-khung-tam");
    assert_eq!(in_force_on("2019-10-01").key(), "ntm-xa-2016-2020@1980/2016");
}
