//! Units as data in 2026: the commune group of 51/2025 per unit (with its basis and level),
//! wards outside the commune set, and the communes a merged commune was formed from, with their
//! records side by side and nothing inherited. Expected values are transcribed by hand from
//! `../shared/domain/FACTS-2026.md` §1.3 and `baclieu_to_camau_20250701.csv`.
#![cfg(not(target_arch = "wasm32"))]

use tieuchi::domain::assessment::{Assessment, Commune};
use tieuchi::domain::compare::predecessors;
use tieuchi::domain::framework::bundled;
use tieuchi::domain::geography::{bundled as units, parse_units, UnitList};
use tieuchi::domain::workflow::Stage;

fn camau() -> UnitList {
    units().into_iter().find(|l| l.id == "camau-2025").expect("Cà Mau's list is shipped")
}

#[test]
fn a_camau_commune_carries_its_group_where_the_sources_place_it_and_unknown_elsewhere() {
    let l = camau();
    let note = l.groups.as_ref().expect("the list says how groups were found");
    assert!(note.note.vi.contains("02354/QĐ-UBND") && note.note.vi.contains("CHƯA TÌM THẤY"));
    // The 2026 set is judged by that dimension, and has the group value.
    let sets = bundled::load_all();
    let fw = sets
        .iter()
        .find_map(|(_, l)| l.framework.as_ref().filter(|f| f.id == "ntm-xa-2026-2030"))
        .expect("the 2026 set");
    assert_eq!(fw.dimension.id, note.dimension);
    // FACTS-2026 §1.3 [D11]: a secondary summary of QĐ 02354 lists these as especially difficult.
    for name in ["Xã Vĩnh Hậu", "Xã Hưng Hội", "Xã Ninh Thạnh Lợi"] {
        let g =
            l.find_unit(name).and_then(|u| u.group.clone()).unwrap_or_else(|| panic!("{name} has a group"));
        assert_eq!(g.value, "nhom3", "{name}");
        assert_eq!(g.level, "unverified", "{name}: the source does not say khu vực III");
        assert!(fw.dimension_value(&g.value).is_some());
    }
    // Not in any source: unknown, picked by the officer.
    assert_eq!(l.find_unit("Xã Tân Thuận").and_then(|u| u.group.clone()), None);
}

#[test]
fn wards_are_outside_the_commune_set_but_found() {
    let l = camau();
    assert!(l.communes().all(|u| u.kind == "xã"));
    let w = l.find_unit("Phường Vĩnh Trạch").expect("the ward is in the list");
    assert_eq!(w.kind, "phường");
    assert_eq!(l.find_unit("vĩnh trạch").map(|u| u.name.as_str()), Some("Phường Vĩnh Trạch"), "typed bare");
    assert!(l.non_communes().any(|u| u.name == "Phường Hiệp Thành"));
}

#[test]
fn a_province_file_may_give_each_commune_its_group() {
    let csv = "tinh,ma,ten,loai,nhom\nCà Mau,1,Xã A,xã,3\nCà Mau,2,Xã B,xã,Nhóm 1\nCà Mau,3,Xã C,xã,\n";
    let l = parse_units(csv).expect("reads");
    let g = |n: &str| l.find_unit(n).and_then(|u| u.group.clone()).map(|g| g.value);
    assert_eq!((g("Xã A"), g("Xã B"), g("Xã C")), (Some("nhom3".into()), Some("nhom1".into()), None));
    let bad = parse_units("tinh,ten,loai,nhom\nCà Mau,Xã A,xã,4\n").expect_err("group 4 does not exist");
    assert!(bad[0].0.contains("Dòng 2, cột “nhom”"), "{bad:?}");
}

fn record(id: &str, code: Option<&str>, name: &str, province: &str, round: u16, stage: Stage) -> Assessment {
    let commune = Commune {
        code: code.map(str::to_string),
        name: name.into(),
        province: province.into(),
        district: None,
    };
    let mut a = Assessment::new(id.into(), ("ntm-xa-2021-2025", "x"), commune, round, "dbscl", 0.0);
    a.workflow.stage = stage;
    a
}

#[test]
fn a_merged_commune_lists_its_predecessors_latest_records_and_inherits_nothing() {
    let lists = units();
    let mut new = record("new", Some("31927"), "Xã Vĩnh Hậu", "Tỉnh Cà Mau", 2026, Stage::Draft);
    new.assessed_on = "2026-12-06".into();
    let old = [
        record("a", Some("31930"), "Xã Vĩnh Hậu A", "Tỉnh Bạc Liêu", 2022, Stage::Recognised),
        record("b", Some("31936"), "Xã Vĩnh Thịnh", "Tỉnh Bạc Liêu", 2020, Stage::Recognised),
        record("c", Some("31936"), "Xã Vĩnh Thịnh", "Tỉnh Bạc Liêu", 2023, Stage::Submitted),
        record("d", Some("31945"), "Xã Khác", "Tỉnh Bạc Liêu", 2024, Stage::Recognised),
    ];
    let all: Vec<&Assessment> = old.iter().chain([&new]).collect();
    let p = predecessors(&new, &lists, &all);
    // baclieu_to_camau_20250701.csv: 31927, 31930 and 31936 became Xã Vĩnh Hậu (31927).
    let names: Vec<(&str, Option<&str>)> =
        p.iter().map(|x| (x.name.as_str(), x.record.map(|r| r.id.as_str()))).collect();
    assert_eq!(
        names,
        vec![("Xã Vĩnh Hậu", None), ("Xã Vĩnh Hậu A", Some("a")), ("Xã Vĩnh Thịnh", Some("c"))]
    );
    // Nothing is inherited: the new commune's own record is untouched (still a draft).
    assert_eq!(new.workflow.stage, Stage::Draft);
    assert!(new.entries.is_empty());
}

#[test]
fn a_commune_without_codes_finds_its_predecessors_by_the_names_it_was_formed_from() {
    let lists = units();
    let mut new = record("new", None, "Xã Tạ An Khương", "Cà Mau", 2026, Stage::Draft);
    new.assessed_on = "2026-03-01".into();
    let old = record("o", None, "Xã Tạ An Khương Nam", "Cà Mau", 2024, Stage::Recognised);
    let after = record("later", None, "Xã Tạ An Khương Nam", "Cà Mau", 2026, Stage::Draft);
    let all = vec![&old, &after, &new];
    let p = predecessors(&new, &lists, &all);
    let names: Vec<&str> = p.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, vec!["Xã Tạ An Khương Đông", "Xã Tạ An Khương Nam", "Xã Tạ An Khương"]);
    assert_eq!(
        p[1].record.map(|r| r.id.as_str()),
        Some("o"),
        "a record from after the merger is not a predecessor's"
    );
}

/// The history by round splits a round across the 01/07/2025 merger by the units list in force
/// on each assessment's date: the former Bạc Liêu communes and the new Cà Mau ones are never
/// counted as one round of one set of communes.
#[test]
fn the_history_by_round_splits_a_round_across_the_merger() {
    use tieuchi::domain::dashboard::by_round;
    let sets = bundled::load_all();
    let fw = sets
        .iter()
        .find_map(|(_, l)| l.framework.as_ref().filter(|f| f.id == "ntm-xa-2021-2025"))
        .expect("the 2021–2025 set");
    let lists = units();
    let at = |id: &str, code: &str, name: &str, province: &str, round: u16, date: &str| {
        let commune =
            Commune { code: Some(code.into()), name: name.into(), province: province.into(), district: None };
        let mut a = Assessment::new(id.into(), (&fw.id, &fw.version), commune, round, "dbscl", 0.0);
        a.assessed_on = date.into();
        a
    };
    let all = [
        at("old1", "31930", "Xã Vĩnh Hậu A", "Tỉnh Bạc Liêu", 2025, "2025-03-01"),
        at("old2", "31936", "Xã Vĩnh Thịnh", "Tỉnh Bạc Liêu", 2025, "2025-04-01"),
        at("new1", "31927", "Xã Vĩnh Hậu", "Tỉnh Cà Mau", 2025, "2025-10-01"),
        at("prev", "31930", "Xã Vĩnh Hậu A", "Tỉnh Bạc Liêu", 2024, "2024-06-01"),
    ];
    let lines = by_round(fw, all.iter(), &Default::default(), &lists);
    let got: Vec<(u16, Option<&str>, usize)> =
        lines.iter().map(|l| (l.round, l.units.as_deref(), l.assessed)).collect();
    assert_eq!(
        got,
        vec![
            (2024, Some("baclieu-2019-2025"), 1),
            (2025, Some("baclieu-2019-2025"), 2),
            (2025, Some("camau-2025"), 1)
        ]
    );
}
