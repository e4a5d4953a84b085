//! Cadre standards: each title group × rule period × exception (difficult area, transition,
//! titles no longer counted), the 18.1 count, gap wording, and CSV import/export.
#![cfg(not(target_arch = "wasm32"))]

use tieuchi::domain::roster::{self, Cadre, Confirmation, Roster, Standing, Undecided};
use tieuchi::domain::roster_csv::{self, needs_csv, Need};
use tieuchi::domain::text::Lang;

fn standards() -> roster::Standards {
    roster::bundled().expect("bundled standards parse")
}

fn person(title: &str, levels: &[(&str, &str)], appointed: &str, difficult: bool) -> Cadre {
    Cadre {
        id: "p".into(),
        name: "Nguyễn Văn A".into(),
        title: title.into(),
        levels: levels.iter().map(|(s, l)| (s.to_string(), l.to_string())).collect(),
        appointed: appointed.into(),
        difficult_area: difficult,
        ..Default::default()
    }
}

/// Checks the standing of `p` on `date`, by its gap descriptions (Vietnamese).
fn check(p: &Cadre, date: &str, want: &str) {
    let s = standards();
    let got = match s.standing(p, date) {
        Standing::Meets => "meets".to_string(),
        Standing::Gaps(g) => {
            format!("gaps: {}", g.iter().map(|g| s.describe_gap(g, Lang::Vi)).collect::<Vec<_>>().join("; "))
        }
        Standing::Transition { gaps, deadline, counts } => format!(
            "transition until {deadline} (counts: {counts}): {}",
            gaps.iter().map(|g| s.describe_gap(g, Lang::Vi)).collect::<Vec<_>>().join("; ")
        ),
        Standing::NotCounted { rule } => {
            assert!(rule.vi.contains("NĐ 33/2023"), "the rule that takes the title out is named");
            "not counted".into()
        }
        Standing::Unknown => "unknown".into(),
        Standing::OldTitle => "old title".into(),
        Standing::Confirmed { met, basis } => format!("confirmed {met} by {basis}"),
    };
    assert_eq!(got, want, "{} on {date}", p.title);
}

const FULL: &[(&str, &str)] =
    &[("general", "thpt"), ("professional", "dai_hoc"), ("political", "trung_cap"), ("it", "co_ban")];

#[test]
fn periods_are_chosen_by_date() {
    let s = standards();
    assert_eq!(s.period_on("2018-06-30").map(|p| p.id.as_str()), Some("nd112-2011"));
    assert_eq!(s.period_on("2019-12-25").map(|p| p.id.as_str()), Some("tt13-2019"));
    assert_eq!(s.period_on("2023-07-31").map(|p| p.id.as_str()), Some("tt13-2019"));
    assert_eq!(s.period_on("2023-08-01").map(|p| p.id.as_str()), Some("nd33-2023"));
    assert_eq!(s.period_on("2011-01-01"), None);
    // Law 80/2025 and Decree 170/2025 from 01/07/2025: Decree 33/2023 closes on 30/06/2025.
    assert_eq!(s.period_on("2025-06-30").map(|p| p.id.as_str()), Some("nd33-2023"));
    assert_eq!(s.period_on("2025-07-01").map(|p| p.id.as_str()), Some("2025-vi-tri-viec-lam"));
    assert_eq!(s.period_on("2026-12-06").map(|p| p.id.as_str()), Some("2025-vi-tri-viec-lam"));
}

/// A university graduate in an old title (Công chức Địa chính – Xây dựng), as many 2026
/// rosters are typed from last year's lists.
const GRADUATE: &[(&str, &str)] = &[("general", "thpt"), ("professional", "dai_hoc"), ("it", "co_ban")];

#[test]
fn from_july_2025_an_old_title_is_asked_to_be_placed_never_judged_by_the_old_rule() {
    let s = standards();
    let old = person("dia_chinh", GRADUATE, "2015-03-01", false);
    // Before the reform Decree 33/2023 judges the title.
    check(&old, "2025-06-30", "meets");
    // After it, the title is no position: asked, not a pass.
    check(&old, "2026-03-01", "old title");
    let roster = Roster { people: vec![old.clone()] };
    let d = roster::decide(&s, &roster, "2026-03-01");
    assert!(!d.is_decided());
    assert_eq!(d.answer(), None, "nothing derived while someone is unplaced");
    assert!(matches!(d.undecided.as_slice(), [(_, _, t, Undecided::OldTitle)] if t == "dia_chinh"));
    assert!(Undecided::OldTitle.message(Lang::Vi).contains("chọn vị trí việc làm"));
    // Placed in a professional position of the Economic Department: judged under 2025's rule.
    let placed = Cadre { title: "cc_kinh_te".into(), ..old };
    check(&placed, "2026-03-01", "meets");
    let d = roster::decide(&s, &Roster { people: vec![placed] }, "2026-03-01");
    assert_eq!((d.met, d.total), (1, 1));
}

#[test]
fn a_professional_position_needs_a_degree_with_five_years_in_difficult_areas_to_july_2030() {
    let college = &[("general", "thpt"), ("professional", "cao_dang")];
    // In post when the new commune was formed, in an ethnic-minority / especially difficult area.
    let difficult = person("cc_vhxh", college, "2020-05-01", true);
    check(
        &difficult,
        "2026-12-06",
        "transition until 2030-07-01 (counts: true): Chuyên môn, nghiệp vụ: Cao đẳng < Đại học",
    );
    check(&difficult, "2030-07-01", "gaps: Chuyên môn, nghiệp vụ: Cao đẳng < Đại học");
    // Elsewhere, or recruited after the formation: no window.
    check(
        &person("cc_vhxh", college, "2020-05-01", false),
        "2026-12-06",
        "gaps: Chuyên môn, nghiệp vụ: Cao đẳng < Đại học",
    );
    check(
        &person("cc_vhxh", college, "2025-09-01", true),
        "2026-12-06",
        "gaps: Chuyên môn, nghiệp vụ: Cao đẳng < Đại học",
    );
}

#[test]
fn the_2025_period_says_where_each_standard_comes_from_and_invents_none() {
    let s = standards();
    let p = s.period_on("2026-12-06").expect("a period in force");
    assert!(!p.verified, "no official text of the 2025 standards was read");
    let titles = p.titles.as_ref().expect("the period lists its positions");
    for t in titles {
        assert!(s.title(t).is_some(), "{t} is a known title");
        let level = p.level_of(t);
        assert_ne!(level, "official", "{t}: nothing of 2025 was read in the official text");
        // A value in the data has a source level; no value means not found, never a guess.
        assert_eq!(level == "not_found", !p.requirements.contains_key(t), "{t}");
        assert!(
            p.standard_sources.get(t).is_some_and(|s| !s.source.trim().is_empty()),
            "{t} names its source"
        );
    }
    // Leaders: the values were not found, so the app asks for a confirmation with its document.
    check(&person("ct_ubnd", GRADUATE, "2021-06-01", false), "2026-12-06", "unknown");
    let c = p.census();
    assert_eq!(c.official + c.secondary + c.not_found, titles.len());
    assert!(!p.required.iter().all(|r| r.verified), "the required positions are flagged as not found");
}

#[test]
fn civil_servant_under_each_period() {
    let trung_cap = person(
        "tu_phap_ho_tich",
        &[("general", "thpt"), ("professional", "trung_cap"), ("it", "co_ban")],
        "2015-03-01",
        false,
    );
    // 112/2011: intermediate is enough.
    check(&trung_cap, "2018-12-31", "meets");
    // 13/2019: university needed, but appointed before 25/12/2019 → 5 years, until 25/12/2024.
    check(
        &trung_cap,
        "2020-12-31",
        "transition until 2024-12-25 (counts: true): Chuyên môn, nghiệp vụ: Trung cấp < Đại học",
    );
    // Under 33/2023 (from 01/08/2023) the 13/2019 five years still run to 25/12/2024 (its own
    // transitional provisions were not found: flagged in the data), then a gap.
    check(
        &trung_cap,
        "2024-06-30",
        "transition until 2024-12-25 (counts: true): Chuyên môn, nghiệp vụ: Trung cấp < Đại học",
    );
    check(&trung_cap, "2024-12-31", "gaps: Chuyên môn, nghiệp vụ: Trung cấp < Đại học");
    // Appointed after 25/12/2019: no transition under 13/2019.
    let late = person(
        "tu_phap_ho_tich",
        &[("general", "thpt"), ("professional", "trung_cap"), ("it", "co_ban")],
        "2020-05-01",
        false,
    );
    check(&late, "2021-12-31", "gaps: Chuyên môn, nghiệp vụ: Trung cấp < Đại học");
    // Difficult-area exception: intermediate accepted (13/2019 and 33/2023), not under 112/2011 rules' IT.
    let da = person(
        "van_hoa_xa_hoi",
        &[("general", "thpt"), ("professional", "trung_cap"), ("it", "co_ban")],
        "2021-01-01",
        true,
    );
    check(&da, "2021-12-31", "meets");
    check(&da, "2025-06-30", "meets");
    // From 01/07/2025 the title is gone: the person is placed in a position, not judged by 33/2023.
    check(&da, "2025-12-31", "old title");
    // Missing IT certificate under 13/2019.
    let no_it =
        person("tai_chinh_ke_toan", &[("general", "thpt"), ("professional", "dai_hoc")], "2021-01-01", false);
    check(&no_it, "2022-12-31", "gaps: Tin học: chưa có < Chứng chỉ A / chuẩn kỹ năng CNTT cơ bản");
    check(&no_it, "2024-12-31", "meets");
}

#[test]
fn cadres_under_each_period() {
    let ct = person(
        "ct_hdnd",
        &[("general", "thpt"), ("professional", "cao_dang"), ("political", "so_cap")],
        "2016-06-01",
        false,
    );
    check(&ct, "2018-12-31", "gaps: Lý luận chính trị: Sơ cấp < Trung cấp");
    // The 13/2019 transition is for civil servants only, not for cadres.
    check(&ct, "2020-12-31", "gaps: Lý luận chính trị: Sơ cấp < Trung cấp");
    check(
        &ct,
        "2024-12-31",
        "gaps: Chuyên môn, nghiệp vụ: Cao đẳng < Đại học; Lý luận chính trị: Sơ cấp < Trung cấp",
    );
    let ubnd = person("ct_ubnd", FULL, "2021-06-01", false);
    check(&ubnd, "2018-12-31", "unknown"); // QĐ 04/2004 text for this title not found
    check(&ubnd, "2024-12-31", "meets");
    let da = person(
        "pct_ubnd",
        &[("general", "thpt"), ("professional", "trung_cap"), ("political", "trung_cap")],
        "2021-06-01",
        true,
    );
    check(&da, "2024-12-31", "meets");
}

#[test]
fn police_chief_is_not_counted_from_august_2023() {
    let ca = person("truong_cong_an", FULL, "2018-01-01", false);
    check(&ca, "2023-08-01", "not counted");
    check(&ca, "2022-12-31", "unknown");
}

#[test]
fn the_181_count() {
    let s = standards();
    let roster = Roster {
        people: vec![
            person("tu_phap_ho_tich", FULL, "2021-01-01", false),
            person(
                "van_hoa_xa_hoi",
                &[("general", "thpt"), ("professional", "trung_cap")],
                "2021-01-01",
                false,
            ),
            person("ct_ubnd", FULL, "2021-01-01", false),
            person("truong_cong_an", FULL, "2018-01-01", false),
        ],
    };
    assert_eq!(roster::summary(&s, &roster, &roster::round_date(2024)), (2, 3));
}

/// A whole commune's roster in 2024 (NĐ 33/2023): the cadres whose standard no source gives
/// (Party secretary, Front, mass organisations, military commander) are undecided until their
/// standing is confirmed with a document; then 18.1 is decided. Before, one such person left
/// 18.1 unanswered whatever else the roster said.
#[test]
fn a_full_roster_decides_181_once_every_person_is_decided() {
    let s = standards();
    let date = "2024-10-15";
    let mut people: Vec<Cadre> = [
        "bi_thu",
        "ct_hdnd",
        "ct_ubnd",
        "pct_ubnd",
        "ct_mttq",
        "bi_thu_doan",
        "ct_hlhpn",
        "ct_hnd",
        "ct_hccb",
        "cht_quan_su",
        "van_phong_thong_ke",
        "dia_chinh",
        "tai_chinh_ke_toan",
        "tu_phap_ho_tich",
        "van_hoa_xa_hoi",
        "truong_cong_an",
    ]
    .iter()
    .enumerate()
    .map(|(i, t)| Cadre { id: format!("p{i}"), ..person(t, FULL, "2021-01-01", false) })
    .collect();
    let d = roster::decide(&s, &Roster { people: people.clone() }, date);
    let undecided: Vec<&str> = d.undecided.iter().map(|(_, _, t, _)| t.as_str()).collect();
    assert_eq!(
        undecided,
        ["bi_thu", "ct_mttq", "bi_thu_doan", "ct_hlhpn", "ct_hnd", "ct_hccb", "cht_quan_su"],
        "exactly the titles with no sourced standard"
    );
    assert!(d.undecided.iter().all(|u| u.3 == Undecided::NoStandard));
    assert!(d.missing.is_empty(), "{:?}", d.missing);
    assert_eq!(d.answer(), None);
    // A confirmation without its document does not decide.
    people[0].confirmed = Some(Confirmation { met: true, basis: "  ".into() });
    let d = roster::decide(&s, &Roster { people: people.clone() }, date);
    assert_eq!(d.undecided[0].3, Undecided::NoBasis);
    for p in people.iter_mut().filter(|p| d.undecided.iter().any(|u| u.0 == p.id)) {
        p.confirmed = Some(Confirmation { met: true, basis: "CV 12/BTCHU ngày 05/10/2024".into() });
    }
    let d = roster::decide(&s, &Roster { people: people.clone() }, date);
    assert!(d.is_decided(), "{d:?}");
    // 16 people; the police chief is not counted since 08/2023.
    assert_eq!((d.met, d.total, d.confirmed), (15, 15, 7));
    assert_eq!(d.answer(), Some(tieuchi::domain::answer::RawAnswer::Pair("15".into(), "15".into())));
    // One confirmed as not meeting it: decided, not met.
    people[9].confirmed = Some(Confirmation { met: false, basis: "CV 12/BTCHU".into() });
    let d = roster::decide(&s, &Roster { people }, date);
    assert_eq!((d.met, d.total), (14, 15));
}

/// Five specialists who all meet the standard are not the commune's roster: the required
/// cadres and the military commander are missing, so 18.1 stays undecided (it passed "4/4").
#[test]
fn a_partial_roster_is_incomplete_never_a_pass() {
    let s = standards();
    let people =
        ["van_phong_thong_ke", "dia_chinh", "tai_chinh_ke_toan", "tu_phap_ho_tich", "van_hoa_xa_hoi"]
            .iter()
            .enumerate()
            .map(|(i, t)| Cadre { id: format!("p{i}"), ..person(t, FULL, "2021-01-01", false) })
            .collect();
    let d = roster::decide(&s, &Roster { people }, "2024-10-15");
    assert_eq!((d.met, d.total), (5, 5));
    assert!(d.undecided.is_empty());
    assert_eq!(
        d.missing,
        [
            "cht_quan_su",
            "bi_thu",
            "ct_hdnd",
            "ct_ubnd",
            "ct_mttq",
            "bi_thu_doan",
            "ct_hlhpn",
            "ct_hnd",
            "ct_hccb"
        ]
    );
    assert!(!d.required_verified, "the list of commune cadres is not quoted in any source: flagged");
    assert_eq!(d.answer(), None);
    // One of them below the standard: not met already, whatever the missing titles would be.
    let mut people = (0..5)
        .map(|i| Cadre { id: format!("p{i}"), ..person("dia_chinh", FULL, "2021-01-01", false) })
        .collect::<Vec<_>>();
    people[0].levels.insert("professional".into(), "trung_cap".into());
    let d = roster::decide(&s, &Roster { people }, "2024-10-15");
    assert_eq!(d.answer(), Some(tieuchi::domain::answer::RawAnswer::Pair("4".into(), "5".into())));
}

#[test]
fn csv_import_accepts_bom_semicolons_and_vietnamese_names() {
    let s = standards();
    let text =
        "\u{feff}Họ và tên;Chức danh;Năm sinh;Chuyên môn;Lý luận chính trị;Ngày bổ nhiệm;Vùng khó khăn\r\n\
                Nguyễn Thị Hoa;Tư pháp – hộ tịch;1990;Đại học;Trung cấp;01/03/2020;không\r\n\
                \"Lê Văn, Bình\";ct_ubnd;1975;dai_hoc;trung_cap;2021-06-01;có\r\n";
    let people = roster_csv::parse(text, &s).expect("parses");
    assert_eq!(people.len(), 2);
    assert_eq!(people[0].title, "tu_phap_ho_tich");
    assert_eq!(people[0].levels["professional"], "dai_hoc");
    assert_eq!(people[0].appointed, "2020-03-01");
    assert_eq!(people[1].name, "Lê Văn, Bình");
    assert!(people[1].difficult_area);
}

#[test]
fn csv_import_knows_the_ways_officers_write_a_title() {
    let s = standards();
    // Short forms seen on real rosters, and a trailing "xã": the military commander was refused
    // as "not in the list" while the list calls him "Chỉ huy trưởng Ban Chỉ huy quân sự".
    let text = "Họ và tên;Chức danh\n\
                A;Chỉ huy trưởng quân sự\n\
                B;CHT Ban CHQS\n\
                C;Chủ tịch UBND xã\n\
                D;Phó Chủ tịch Ủy ban nhân dân\n\
                E;Trưởng Công an\n\
                F;Bí thư Đoàn Thanh niên\n";
    let people = roster_csv::parse(text, &s).expect("parses");
    let titles: Vec<&str> = people.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(
        titles,
        ["cht_quan_su", "cht_quan_su", "ct_ubnd", "pct_ubnd", "truong_cong_an", "bi_thu_doan"]
    );
    // A deputy is not the chair, and a title that is not there is still refused, located.
    let issues =
        roster_csv::parse("Họ và tên;Chức danh\nG;Phó Chỉ huy trưởng quân sự\n", &s).expect_err("refused");
    assert_eq!(
        issues[0].message(Lang::Vi),
        "Dòng 2, cột “Chức danh”: chức danh “Phó Chỉ huy trưởng quân sự” không có trong danh mục"
    );
}

#[test]
fn csv_import_reads_tabs_and_nfd_text() {
    let s = standards();
    // Excel's "Unicode Text" is tab-separated; text from a Mac is NFD ("ọ" = "o" + U+0323).
    let text = "Ho\u{323} va\u{300} te\u{302}n\tChu\u{301}c danh\nNguye\u{302}\u{303}n Thi\u{323} Hoa\tTu\u{31b} pha\u{301}p – ho\u{323} ti\u{323}ch\n";
    let people = roster_csv::parse(text, &s).expect("parses");
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].title, "tu_phap_ho_tich");
}

#[test]
fn csv_errors_are_located_and_refuse_the_file() {
    let s = standards();
    let text = "Họ và tên,Chức danh,Năm sinh,Chuyên môn\nA,Tư pháp – hộ tịch,1990,Đại học\n,Kế toán trưởng,19x0,Tiến sĩ\n";
    let issues = roster_csv::parse(text, &s).expect_err("refused");
    let msgs: Vec<String> = issues.iter().map(|i| i.message(Lang::Vi)).collect();
    assert_eq!(
        msgs,
        [
            "Dòng 3, cột “Họ và tên”: thiếu họ tên",
            "Dòng 3, cột “Chức danh”: chức danh “Kế toán trưởng” không có trong danh mục",
            "Dòng 3, cột “Năm sinh”: năm sinh “19x0” không hợp lệ",
            "Dòng 3, cột “Chuyên môn”: trình độ “Tiến sĩ” không có trong thang",
        ]
    );
    // A day the calendar does not have is refused, as everywhere else (it was read as 2020-02-31).
    let bad_day =
        roster_csv::parse("Họ và tên,Chức danh,Ngày bổ nhiệm\nA,Tư pháp – hộ tịch,31/02/2020\n", &s)
            .expect_err("31/02 refused");
    assert!(
        bad_day[0].message(Lang::Vi).starts_with("Dòng 2, cột “Ngày bổ nhiệm”:"),
        "{:?}",
        bad_day[0].message(Lang::Vi)
    );
    let missing = roster_csv::parse("Tên\nA\n", &s).expect_err("no required columns");
    assert_eq!(missing[0].message(Lang::En), "Row 1, column “Họ và tên”: required column missing (ho_ten)");
}

#[test]
fn training_csv_opens_in_excel_with_vietnamese_intact() {
    let csv = needs_csv(&[Need {
        training: "Chuyên môn: Đại học".into(),
        commune: "Xã Vĩnh Thanh".into(),
        name: "Trần \"Út\" Em".into(),
        title: "Văn hóa – xã hội".into(),
        have: "Trung cấp".into(),
        deadline: String::new(),
    }]);
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("\"Trần \"\"Út\"\" Em\""));
    assert!(csv.ends_with("\r\n"));
    assert_eq!(csv.lines().count(), 2);
}

#[test]
fn counts_typed_before_a_roster_are_kept_and_come_back() {
    use tieuchi::domain::answer::RawAnswer;
    use tieuchi::domain::assessment::Entry;
    let typed = RawAnswer::Pair("3".into(), "4".into());
    let derived = Some(RawAnswer::Pair("1".into(), "2".into()));
    let mut e = Entry { answer: Some(typed.clone()), ..Default::default() };
    // The first person: the roster decides, the typed counts are set aside.
    roster::rederive(&mut e, false, derived.clone(), true);
    assert_eq!((e.answer.clone(), e.typed.clone()), (derived, Some(typed.clone())));
    // Further edits change only the derived answer.
    let later = Some(RawAnswer::Pair("2".into(), "2".into()));
    roster::rederive(&mut e, true, later.clone(), true);
    assert_eq!((e.answer.clone(), e.typed.clone()), (later, Some(typed.clone())));
    // A title with no known standard gives no derived answer; the typed one is still kept.
    roster::rederive(&mut e, true, None, true);
    assert_eq!((e.answer.clone(), e.typed.clone()), (None, Some(typed.clone())));
    // The last person removed: the typed counts are back.
    roster::rederive(&mut e, true, None, false);
    assert_eq!((e.answer, e.typed), (Some(typed), None));
}

/// A province completes the 2026 stand-in with a criterion-9 indicator bound to the roster
/// (kind `roster`): the roster of job positions, judged under the 2025 period, decides it.
#[test]
fn a_completed_2026_set_binds_its_criterion_9_indicator_to_the_roster_of_positions() {
    use tieuchi::domain::assessment::{Assessment, Commune};
    use tieuchi::domain::framework::{load_str, Kind};
    use tieuchi::domain::score::{evaluate, IndicatorState, Verdict};
    let stand_in = include_str!("../assets/frameworks/ntm-xa-2026-2030-khung-tam.json");
    let mut doc: serde_json::Value = serde_json::from_str(stand_in).expect("json");
    doc["version"] = "51/2025-tinh-ca-mau".into();
    let c9 = doc["groups"]
        .as_array_mut()
        .and_then(|g| {
            g.iter_mut()
                .flat_map(|g| g["criteria"].as_array_mut().into_iter().flatten())
                .find(|c| c["id"] == "9")
        })
        .expect("criterion 9");
    c9["indicators"] = serde_json::json!([{
        "id": "9.1", "kind": "roster", "source": "tỉnh (ví dụ kiểm thử)", "verified": false,
        "title": {"vi": "Cán bộ, công chức xã đạt chuẩn", "en": "Commune cadres and civil servants meet the standard"}
    }]);
    let fw = load_str(&doc.to_string()).framework.expect("the completed set loads");
    assert!(matches!(fw.indicators[fw.indicator_index("9.1").expect("9.1")].kind, Kind::Roster));
    let s = standards();
    let commune =
        Commune { name: "Xã Vĩnh Hậu".into(), province: "Cà Mau".into(), ..Default::default() };
    let mut a = Assessment::new("a".into(), (&fw.id, &fw.version), commune, 2026, "nhom2", 0.0);
    a.assessed_on = "2026-12-06".into();
    a.roster = Roster {
        people: vec![
            Cadre { id: "1".into(), ..person("cc_kinh_te", GRADUATE, "2020-01-01", false) },
            Cadre {
                id: "2".into(),
                ..person("cc_vhxh", &[("professional", "trung_cap")], "2020-01-01", false)
            },
        ],
    };
    let derived = roster::derived_answer(&s, &a.roster, &a.judged_on());
    a.set_answer("9.1", derived, 1.0);
    let ev = evaluate(&fw, &a);
    let state = &ev.indicators[fw.indicator_index("9.1").expect("9.1")].state;
    assert!(matches!(state, IndicatorState::Decided(Verdict::NotMet)), "1 of 2 meets: {state:?}");
}
