//! Sample data and the dashboard's charts: the sample is the same every time, varied in results
//! and stages, marked, never pushed, never backed up or handed over, and removed without touching
//! a real record; the charts' bars add up to the matrix they are drawn from.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use tieuchi::domain::assessment::{Assessment, Commune};
use tieuchi::domain::backup::backed_up;
use tieuchi::domain::dashboard::{by_round, matrix};
use tieuchi::domain::demo::{is_demo, sample};
use tieuchi::domain::framework::{bundled, Framework};
use tieuchi::domain::persist;
use tieuchi::domain::workflow::Stage;
use tieuchi::io::kv::{KeyValue, MemoryKv};
use tieuchi::state::records;

fn set_1980() -> Framework {
    bundled::load_all()
        .into_iter()
        .find_map(|(_, l)| l.framework.filter(|f| f.id == "ntm-xa-2016-2020"))
        .expect("1980")
}

fn bac_lieu() -> tieuchi::domain::geography::UnitList {
    tieuchi::domain::geography::bundled().into_iter().find(|u| u.id.starts_with("baclieu")).expect("Bạc Liêu")
}

#[test]
fn the_sample_is_stable_varied_and_marked() {
    let fw = set_1980();
    let a = sample(&fw, &bac_lieu(), 40, 1.0);
    assert_eq!(a, sample(&fw, &bac_lieu(), 40, 1.0), "the same every time");
    assert!(a.len() >= 60, "{} records", a.len());
    assert!(a.iter().all(|x| is_demo(&x.id) && (2016..=2020).contains(&x.round)));
    let stages: BTreeSet<Stage> = a.iter().map(|x| x.workflow.stage).collect();
    assert!(stages.len() >= 3, "varied stages: {stages:?}");
    let m = matrix(&fw, &a, None);
    let met: BTreeSet<usize> = m.rows.iter().map(|r| r.criteria_met).collect();
    assert!(met.len() >= 4, "varied results: {met:?}");
    assert!(m.recognised > 0 && m.recognised < m.rows.len());
}

#[test]
fn chart_totals_equal_the_matrix_totals() {
    let fw = set_1980();
    let a = sample(&fw, &bac_lieu(), 40, 1.0);
    let m = matrix(&fw, &a, None);
    let d = m.distribution(fw.criteria.len());
    assert_eq!(d.iter().map(|b| b.value).sum::<usize>(), m.rows.len(), "every commune in one band");
    assert_eq!(d[0].label, "19/19");
    assert_eq!(d[0].value, m.communes_met);
    assert_eq!(
        d.iter().map(|b| b.label.as_str()).collect::<Vec<_>>(),
        ["19/19", "14–18", "9–13", "4–8", "0–3"]
    );
    assert_eq!(m.by_stage.iter().sum::<usize>(), m.rows.len());
    let lists = tieuchi::domain::geography::bundled();
    let rounds = by_round(&fw, a.iter(), &m, &lists);
    assert_eq!(
        rounds,
        by_round(&fw, a.iter(), &Default::default(), &lists),
        "the same with nothing known before"
    );
    assert_eq!(rounds.iter().map(|r| r.round).collect::<Vec<_>>(), [2016, 2017, 2018, 2019, 2020]);
    for r in rounds {
        let (round, communes, met) = (r.round, r.assessed, r.met);
        let by_hand: Vec<&Assessment> = a.iter().filter(|x| x.round == round).collect();
        assert_eq!(communes, by_hand.len(), "one assessment per commune and round");
        assert_eq!(met, matrix(&fw, by_hand, None).communes_met);
    }
}

#[test]
fn sample_records_never_leave_as_real_and_go_in_one_step() {
    let fw = set_1980();
    let kv = MemoryKv::new();
    let commune = Commune { name: "Xã Thật".into(), province: "Cà Mau".into(), ..Default::default() };
    let real = Assessment::new("that-1".into(), (&fw.id, &fw.version), commune, 2020, "dbscl", 1.0);
    records::save(&kv, "d", &real, 1.0).expect("real");
    let demo = sample(&fw, &bac_lieu(), 3, 1.0);
    for a in &demo {
        records::save(&kv, "d", a, 1.0).expect("sample");
    }
    assert!(!backed_up(&persist::assessment_key(&demo[0].id)), "not in a backup");
    assert!(backed_up(&persist::assessment_key("that-1")));
    assert!(!tieuchi::domain::sync::to_push(&demo[0], None, false), "never pushed");
    let file = records::handover(&kv, &[demo[0].id.clone(), "that-1".into()], &[], 2.0);
    assert_eq!(file.keys().cloned().collect::<Vec<_>>(), [persist::assessment_key("that-1")]);
    let csv = tieuchi::domain::report::results_csv([(&demo[0], &fw)], ';', tieuchi::domain::text::Lang::Vi);
    assert!(csv.lines().skip(1).all(|l| l.contains("[DỮ LIỆU MẪU]")));
    let before = kv.get(&persist::assessment_key("that-1")).expect("get");
    assert_eq!(records::remove_demo(&kv).expect("removed"), demo.len());
    assert_eq!(records::load(&kv).assessments.keys().cloned().collect::<Vec<_>>(), ["that-1"]);
    assert_eq!(kv.get(&persist::assessment_key("that-1")).expect("get"), before, "the real record untouched");
}

/// A filtered matrix counts its totals again over the rows kept, so the charts still add up.
#[test]
fn a_filtered_matrix_adds_up_again() {
    let fw = set_1980();
    let a = sample(&fw, &bac_lieu(), 40, 1.0);
    let m = matrix(&fw, &a, None);
    let recognised = m.filtered(|r| r.stage == Stage::Recognised);
    assert_eq!(recognised.rows.len(), m.recognised);
    assert_eq!(recognised.by_stage[4], m.recognised);
    assert_eq!(recognised.by_stage.iter().sum::<usize>(), recognised.rows.len());
    assert_eq!(recognised.distribution(19).iter().map(|b| b.value).sum::<usize>(), recognised.rows.len());
    let by_hand = m
        .rows
        .iter()
        .filter(|r| r.stage == Stage::Recognised && r.criteria[0] == tieuchi::domain::score::Verdict::Met)
        .count();
    assert_eq!(recognised.met_per_criterion[0], by_hand);
    assert_eq!(
        m.filtered(|r| r.dimension_value == "dbscl").rows.len(),
        m.rows.len(),
        "the sample is all Mekong Delta"
    );
}

/// The sample a leader sees first in 2026: today's Cà Mau communes under the set in force, in
/// their commune groups (the five the units list places in group 3 stay there), varied, marked.
#[test]
fn the_sample_in_force_is_todays_communes_under_51_2025() {
    let fw = bundled::load_all()
        .into_iter()
        .find_map(|(_, l)| l.framework.filter(|f| f.id == "ntm-xa-2026-2030"))
        .expect("51/2025");
    let ca_mau =
        tieuchi::domain::geography::bundled().into_iter().find(|u| u.id == "camau-2025").expect("Cà Mau");
    let a = tieuchi::domain::demo::sample_in_force(&fw, &ca_mau, 1.0);
    assert_eq!(a, tieuchi::domain::demo::sample_in_force(&fw, &ca_mau, 1.0), "the same every time");
    let communes = ca_mau.units.iter().filter(|u| u.kind == "xã").count();
    assert_eq!(a.len(), communes, "one 2026 record per commune (xã), none for a phường");
    assert!(a.iter().all(|x| is_demo(&x.id) && x.round == 2026 && x.commune.province == "Tỉnh Cà Mau"));
    for u in ca_mau.units.iter().filter(|u| u.group.is_some()) {
        let rec = a.iter().find(|x| x.commune.name == u.name).expect("each commune");
        assert_eq!(rec.dimension_value, "nhom3", "{}", u.name);
    }
    let groups: BTreeSet<&str> = a.iter().map(|x| x.dimension_value.as_str()).collect();
    assert!(groups.len() >= 2, "{groups:?}");
    let m = matrix(&fw, &a, None);
    assert_eq!(m.rows.len(), communes);
    let stages: BTreeSet<Stage> = a.iter().map(|x| x.workflow.stage).collect();
    assert!(stages.len() >= 3, "varied stages: {stages:?}");
    assert!(m.communes_met > 0 && m.communes_met < communes, "some communes meet all 10: {}", m.communes_met);
    assert!(m.recognised <= m.communes_met);
}
