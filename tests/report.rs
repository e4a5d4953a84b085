//! The commune report and the results CSV: each row's value as typed and as read, threshold and
//! source level, the gap to "đạt" with its distance computed from the counts typed, and a CSV
//! that reads back with the same values and diacritics, BOM first, CRLF line ends.
#![cfg(not(target_arch = "wasm32"))]

use tieuchi::domain::answer::RawAnswer;
use tieuchi::domain::assessment::{Assessment, Commune};
use tieuchi::domain::framework::model::Level;
use tieuchi::domain::framework::{bundled, Framework};
use tieuchi::domain::report::{results_csv, rows, CSV_COLUMNS};
use tieuchi::domain::score::{evaluate, Verdict};
use tieuchi::domain::text::Lang;

fn set_1980() -> Framework {
    bundled::load_all()
        .into_iter()
        .find_map(|(_, l)| l.framework.filter(|f| f.id == "ntm-xa-2016-2020"))
        .expect("1980")
}

fn assessment(fw: &Framework) -> Assessment {
    let commune = Commune {
        code: Some("31882".into()),
        name: "Xã Vĩnh Thanh".into(),
        province: "Tỉnh Bạc Liêu".into(),
        ..Default::default()
    };
    let mut a = Assessment::new("r".into(), (&fw.id, &fw.version), commune, 2019, "dbscl", 0.0);
    // 15.1: 10.500 of 14.600 people insured = 71,9% < 85%: 12 410 needed, 1 910 short.
    a.set_answer("15.1", Some(RawAnswer::Pair("10.500".into(), "14.600".into())), 1.0);
    // 10: income 41,5 < 50 million.
    a.set_answer("10", Some(RawAnswer::Text("41,5".into())), 1.0);
    // 17.1: hygienic 96% met, clean 60% < 65%: 500 households short of clean water.
    a.set_answer("17.1", Some(RawAnswer::Triple("9.600".into(), "10.000".into(), "6.000".into())), 1.0);
    a.set_answer("1.1", Some(RawAnswer::Flag(true)), 1.0);
    a.entries.get_mut("1.1").expect("1.1").source_ref = "QĐ 12/QĐ-UBND ngày 05/3/2018".into();
    a
}

#[test]
fn report_rows_say_what_was_typed_how_it_was_read_and_what_is_missing() {
    let fw = set_1980();
    let a = assessment(&fw);
    let ev = evaluate(&fw, &a);
    let rows = rows(&fw, &a, &ev, Lang::Vi);
    assert_eq!(rows.len(), 49);
    let row = |id: &str| rows.iter().find(|r| r.indicator == id).expect(id);
    let r = row("15.1");
    assert_eq!(r.typed, "10.500 / 14.600");
    assert_eq!(r.read.as_deref(), Some("10\u{a0}500 / 14\u{a0}600"));
    assert_eq!(r.threshold, "≥ 85%");
    assert_eq!(r.verdict, Verdict::NotMet);
    assert_eq!(r.gap.as_deref(), Some("thiếu 1\u{a0}910 (số người có BHYT) để đạt 85%"));
    let r = row("10");
    assert_eq!(r.gap.as_deref(), Some("còn thiếu 8,5 triệu đồng/người/năm để đạt 50"));
    let r = row("17.1");
    assert_eq!(r.threshold, "≥ 95% (trong đó ≥ 65%)");
    assert_eq!(r.gap.as_deref(), Some("thiếu 500 (trong đó: số hộ dùng nước sạch) để đạt 65%"));
    assert_eq!(r.level, Level::Flagged);
    let r = row("1.1");
    assert_eq!(
        (r.verdict, r.gap.as_deref(), r.source_ref.as_str()),
        (Verdict::Met, None, "QĐ 12/QĐ-UBND ngày 05/3/2018")
    );
    assert_eq!(row("2.1").gap.as_deref(), Some("chưa nhập"));
}

#[test]
fn the_results_csv_opens_in_excel_and_reads_back_the_same() {
    let fw = set_1980();
    let a = assessment(&fw);
    let csv = results_csv([(&a, &fw)], ';', Lang::Vi);
    assert!(csv.starts_with('\u{feff}'), "BOM first");
    assert_eq!(&csv.as_bytes()[..3], &[0xef, 0xbb, 0xbf]);
    let lines: Vec<&str> =
        csv.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 1 + 49, "a header and one line per indicator");
    assert!(!csv.replace("\r\n", "").contains('\n'), "CRLF only");
    let parse = |l: &str| -> Vec<String> {
        l.split("\";\"").map(|f| f.trim_matches('"').replace("\"\"", "\"")).collect()
    };
    assert_eq!(parse(lines[0]), CSV_COLUMNS.to_vec());
    let row = lines.iter().map(|l| parse(l)).find(|f| f[6] == "15.1").expect("15.1 line");
    assert_eq!(
        &row[..7],
        ["31882", "Xã Vĩnh Thanh", "Tỉnh Bạc Liêu", "2019", "ntm-xa-2016-2020@1980/2016", "15", "15.1"]
    );
    assert_eq!(
        (row[7].as_str(), row[9].as_str(), row[11].as_str(), row[12].as_str()),
        ("10.500 / 14.600", "≥ 85%", "chua_dat", "draft")
    );
    let comma = results_csv([(&a, &fw)], ',', Lang::Vi);
    assert!(comma.lines().nth(1).expect("line").contains("\",\""));
}

/// Two rounds with known differences show exactly those: 15.1 newly met, 10 lost, 1.1 still met
/// with no change listed; an earlier round of another commune is never offered.
#[test]
fn two_rounds_compare_to_exactly_their_differences() {
    use tieuchi::domain::compare::{compare, earlier_rounds, Movement};
    let fw = set_1980();
    let mut before = assessment(&fw);
    before.id = "r2018".into();
    before.round = 2018;
    before.set_answer("15.1", Some(RawAnswer::Pair("80".into(), "100".into())), 1.0);
    before.set_answer("10", Some(RawAnswer::Text("55".into())), 1.0);
    let mut after = assessment(&fw);
    after.set_answer("15.1", Some(RawAnswer::Pair("90".into(), "100".into())), 1.0);
    after.set_answer("10", Some(RawAnswer::Text("45".into())), 1.0);
    let lines = compare(&fw, &before, &fw, &after, Lang::Vi);
    let line = |id: &str| lines.iter().find(|l| !l.is_criterion && l.id == id).expect(id);
    assert_eq!(line("15.1").movement, Movement::NewlyMet);
    assert_eq!(line("15.1").values, Some(("80 / 100".into(), "90 / 100".into())));
    assert_eq!(line("10").movement, Movement::NewlyLost);
    assert_eq!(line("1.1").movement, Movement::StillMet);
    assert_eq!(line("1.1").values, None);
    let changed: Vec<&str> = lines.iter().filter(|l| l.values.is_some()).map(|l| l.id.as_str()).collect();
    assert_eq!(changed, ["10", "15.1"]);
    let mut other = before.clone();
    other.id = "o".into();
    other.commune.code = Some("99999".into());
    other.commune.name = "Xã Khác".into();
    let all = [before.clone(), other, after.clone()];
    let offered: Vec<&str> = earlier_rounds(&after, all.iter()).iter().map(|a| a.id.as_str()).collect();
    assert_eq!(offered, ["r2018"]);
}

/// The gap list holds exactly the indicators not met, each with its distance, and exports them.
#[test]
fn the_gap_list_is_what_is_not_met_with_its_distance() {
    use tieuchi::domain::report::{gap_list, gaps_csv};
    let fw = set_1980();
    let a = assessment(&fw);
    let ev = evaluate(&fw, &a);
    let lines = gap_list([(&a, &fw)], Lang::Vi);
    let not_met = ev.indicators.iter().filter(|r| r.verdict() != Verdict::Met).count();
    assert_eq!(lines.len(), not_met);
    assert!(!lines.iter().any(|l| l.indicator == "1.1"), "a met indicator is not a gap");
    let l = lines.iter().find(|l| l.indicator == "15.1").expect("15.1");
    assert_eq!(l.gap, "thiếu 1\u{a0}910 (số người có BHYT) để đạt 85%");
    let csv = gaps_csv(&lines, ';', Lang::Vi);
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(
        csv.trim_start_matches('\u{feff}').split("\r\n").filter(|x| !x.is_empty()).count(),
        1 + lines.len()
    );
    assert!(csv.contains("\"31882\";\"Xã Vĩnh Thanh\";\"Tỉnh Bạc Liêu\";\"2019\";\"15\";\"15.1\""));
    // For people: headings and results in words, not codes.
    assert!(csv.trim_start_matches('\u{feff}').starts_with("\"Mã xã\";\"Tên xã\""), "{}", &csv[..80]);
    assert!(csv.contains("\"Chưa đạt\"") && !csv.contains("chua_dat"));
}

/// The entries of a ZIP archive with stored members, read from its central directory the way
/// an unzipper does (independent of how the writer laid them out), each body checked against
/// the CRC the directory records.
fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]) as usize;
    let u32_at = |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]) as usize;
    let end = (0..=bytes.len() - 22).rev().find(|&i| u32_at(i) == 0x0605_4b50).expect("end of directory");
    let (count, mut at) = (u16_at(end + 10), u32_at(end + 16));
    let mut out = Vec::new();
    for _ in 0..count {
        assert_eq!(u32_at(at), 0x0201_4b50, "central entry");
        assert_eq!(u16_at(at + 10), 0, "stored");
        let (crc, size, name_len) = (u32_at(at + 16) as u32, u32_at(at + 24), u16_at(at + 28));
        let extra = u16_at(at + 30) + u16_at(at + 32);
        let name = String::from_utf8(bytes[at + 46..at + 46 + name_len].to_vec()).expect("utf-8 name");
        let local = u32_at(at + 42);
        assert_eq!(u32_at(local), 0x0403_4b50, "local header of {name}");
        let body_at = local + 30 + u16_at(local + 26) + u16_at(local + 28);
        let body = &bytes[body_at..body_at + size];
        assert_eq!(tieuchi::domain::xlsx::crc32(body), crc, "crc of {name}");
        out.push((name, String::from_utf8(body.to_vec()).expect("utf-8 body")));
        at += 46 + name_len + extra;
    }
    out
}

#[test]
fn the_crc_and_column_names_are_the_standard_ones() {
    use tieuchi::domain::xlsx::{column, crc32};
    // The CRC-32 check value every implementation publishes.
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(crc32(b""), 0);
    let names: Vec<String> = [0, 25, 26, 27, 51, 52, 701, 702].into_iter().map(column).collect();
    assert_eq!(names, ["A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
}

#[test]
fn the_results_workbook_holds_the_csv_lines_with_their_diacritics() {
    use tieuchi::domain::report::results_xlsx;
    let fw = set_1980();
    let mut a = assessment(&fw);
    a.commune.province = "Tỉnh Cà Mau <Bạc Liêu & \"Cà Mau\">".into();
    let bytes = results_xlsx([(&a, &fw)], Lang::Vi);
    let files = unzip(&bytes);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[0], "[Content_Types].xml", "the content types come first");
    for part in [
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
    ] {
        assert!(names.contains(&part), "{part} in {names:?}");
    }
    let sheet = &files.iter().find(|(n, _)| n == "xl/worksheets/sheet1.xml").expect("sheet").1;
    // A header row and the 49 indicators.
    assert_eq!(sheet.matches("<row ").count(), 50);
    assert!(sheet.contains(r#"<c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">ma_xa</t></is></c>"#));
    assert!(
        sheet.contains(r#"<c r="B2" t="inlineStr"><is><t xml:space="preserve">Xã Vĩnh Thanh</t></is></c>"#)
    );
    assert!(sheet.contains(r#"<c r="D2"><v>2019</v></c>"#), "the year is a number");
    assert!(sheet.contains(">10.500 / 14.600<"), "the value as typed");
    assert!(sheet.contains(r#"<autoFilter ref="A1:N50"/>"#));
    assert!(sheet.contains(">Tỉnh Cà Mau &lt;Bạc Liêu &amp; &quot;Cà Mau&quot;&gt;<"), "text is escaped");
    // Same bytes for the same table: nothing depends on the clock.
    assert_eq!(results_xlsx([(&a, &fw)], Lang::Vi), bytes);
    // Every text the CSV holds is in the sheet, escaped.
    let csv = results_csv([(&a, &fw)], ';', Lang::Vi);
    for line in csv.trim_start_matches('\u{feff}').split("\r\n").skip(1).filter(|l| !l.is_empty()) {
        let explanation =
            line.rsplit("\";\"").next().expect("field").trim_end_matches('"').replace("\"\"", "\"");
        let escaped = explanation
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        assert!(explanation.is_empty() || sheet.contains(&escaped), "{explanation}");
    }
}

/// The export for people: Vietnamese headings and words a desk officer reads ("Chưa đạt",
/// "Bản nháp", "Nguồn thứ cấp, chưa xác minh"), the date dd/mm/yyyy, the measured value a number
/// (a number cell in the workbook, "71,92" with a decimal comma in the CSV) with its unit.
#[test]
fn the_export_for_people_reads_as_words_dates_and_numbers() {
    use tieuchi::domain::report::{people_columns, people_csv, people_xlsx};
    let fw = set_1980();
    let mut a = assessment(&fw);
    a.assessed_on = "2019-11-20".into();
    let csv = people_csv([(&a, &fw)], Lang::Vi);
    let lines: Vec<&str> =
        csv.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 50);
    let parse =
        |l: &str| -> Vec<String> { l.split("\";\"").map(|f| f.trim_matches('"').to_string()).collect() };
    let head = parse(lines[0]);
    assert_eq!(head[..4], ["Mã xã", "Tên xã", "Tỉnh/thành phố", "Năm đánh giá"]);
    assert!(
        !lines[0].contains("ma_xa") && !lines[0].contains("ket_qua"),
        "no codes in the headings: {}",
        lines[0]
    );
    let col = |name: &str| head.iter().position(|h| h == name).expect(name);
    let row = |id: &str| lines.iter().map(|l| parse(l)).find(|f| f[col("Chỉ tiêu")] == id).expect(id);
    let r = row("15.1");
    assert_eq!(r[col("Kết quả")], "Chưa đạt");
    assert_eq!(r[col("Giai đoạn hồ sơ")], "Bản nháp");
    assert_eq!(r[col("Ngày đánh giá")], "20/11/2019");
    assert_eq!((r[col("Giá trị đo")].as_str(), r[col("Đơn vị đo")].as_str()), ("71,92", "%"));
    assert_eq!(r[col("Còn thiếu")], "thiếu 1\u{a0}910 (số người có BHYT) để đạt 85%");
    let r = row("10");
    assert_eq!((r[col("Giá trị đo")].as_str(), r[col("Kết quả")].as_str()), ("41,5", "Chưa đạt"));
    assert_eq!(row("17.1")[col("Nguồn của ngưỡng")], "Nguồn thứ cấp, chưa xác minh");
    assert_eq!(row("1.1")[col("Kết quả")], "Đạt");
    assert_eq!(row("2.1")[col("Kết quả")], "Chưa xác định");
    // No code anywhere a person reads: not in a result, a stage or a source level.
    for code in ["chua_dat", "\"dat\"", "draft", "flagged", "secondary", "khong_xem_xet"] {
        assert!(!csv.contains(code), "“{code}” in the export for people");
    }
    // English headings in English.
    assert_eq!(people_columns(Lang::En)[12], "Result");
    assert!(people_csv([(&a, &fw)], Lang::En).contains("\"Not met\""));

    let sheet = unzip(&people_xlsx([(&a, &fw)], Lang::Vi))
        .into_iter()
        .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
        .expect("sheet")
        .1;
    assert!(sheet.contains(r#"<t xml:space="preserve">Kết quả</t>"#), "Vietnamese headings");
    let line = |id: &str| -> String {
        let at = sheet.find(&format!(r#"<t xml:space="preserve">{id}</t>"#)).expect(id);
        let start = sheet[..at].rfind("<row ").expect("row");
        let end = at + sheet[at..].find("</row>").expect("end");
        sheet[start..end].to_string()
    };
    // The measured value is a number cell Excel can sum (column J), the year too (column D).
    assert!(line("15.1").contains("<v>71.92</v>"), "{}", line("15.1"));
    assert!(line("10").contains("<v>41.5</v>"));
    assert!(line("15.1").contains("<v>2019</v>"));
    assert!(sheet.contains(">20/11/2019<"));
}
