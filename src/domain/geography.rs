//! Administrative units as data: the current units of a province and historical lists for
//! earlier rounds (e.g. former Bạc Liêu 2019–2025, merged into Cà Mau on 01/07/2025).

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
pub struct UnitList {
    pub format: String,
    pub id: String,
    pub province: Province,
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: Option<String>,
    pub source: String,
    /// How the units' commune groups (`Unit::group`) were found, and what was not: shown beside
    /// the group on the new-assessment page. Absent: the list carries no groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<GroupsNote>,
    pub units: Vec<Unit>,
}

/// What a units list says about commune groups as a whole: the framework dimension its groups
/// are values of (`commune_group` of 51/2025), their legal basis, and what was not found.
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
pub struct GroupsNote {
    pub dimension: String,
    pub note: crate::domain::text::Text,
}

/// A unit's commune group (a value of the framework's dimension, e.g. `nhom3`), with its legal
/// basis and the level the sources support (`official`, `secondary`, `unverified`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
pub struct UnitGroup {
    pub value: String,
    pub level: String,
    pub basis: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
pub struct Province {
    pub code: String,
    pub name: String,
    /// The NTM region of the province (a dimension value id such as `dbscl`), which selects the
    /// regional thresholds by default; absent: the officer chooses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
pub struct Unit {
    #[serde(default)]
    pub code: Option<String>,
    pub name: String,
    /// "xã", "phường" or "thị trấn". Only communes (xã) are assessed for NTM.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub district: Option<String>,
    #[serde(default)]
    pub former: Vec<String>,
    #[serde(default)]
    pub formed_from: Option<String>,
    /// The commune group the sources place it in; absent: not known, the officer picks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<UnitGroup>,
    /// The unit codes of the units it was formed from (01/07/2025 merger), where known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub predecessors: Vec<String>,
}

impl UnitList {
    /// Whether the list was in force during some part of `year` (`valid_from` to `valid_to`,
    /// ISO dates; an empty `valid_from` or no `valid_to` leaves that side open). A 2026 round
    /// picked from a list that ended on 30/06/2025 names communes that no longer exist.
    pub fn in_force_in(&self, year: u16) -> bool {
        let year_of = |d: &str| d.get(..4).and_then(|y| y.parse::<u16>().ok());
        year_of(&self.valid_from).is_none_or(|from| from <= year)
            && self.valid_to.as_deref().and_then(year_of).is_none_or(|to| to >= year)
    }

    /// Whether the list is in force on `date` (ISO `YYYY-MM-DD`; its own dates are ISO too, so
    /// they compare as text). Bạc Liêu's ends on 2025-06-30, Cà Mau's starts on 2025-07-01.
    pub fn in_force_on(&self, date: &str) -> bool {
        self.valid_from.as_str() <= date && self.valid_to.as_deref().is_none_or(|to| date <= to)
    }

    /// The period in force as people read it: "11/09/2019 – 30/06/2025", `open` for no end.
    pub fn period_text(&self, open: &str) -> String {
        let dmy = |d: &str| match (d.get(..4), d.get(5..7), d.get(8..10)) {
            (Some(y), Some(m), Some(day)) => format!("{day}/{m}/{y}"),
            _ => d.to_string(),
        };
        let to = self.valid_to.as_deref().map_or_else(|| open.to_string(), dmy);
        format!("{} – {to}", dmy(&self.valid_from))
    }

    /// The rural communes (xã), the units NTM criteria apply to.
    pub fn communes(&self) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(|u| u.kind == "xã")
    }

    /// What identifies commune `u` in this list: its name, or its unit code when another
    /// commune of the list has the same name (two "Xã Vĩnh Thanh" in two former districts).
    pub fn pick_key(&self, u: &Unit) -> String {
        let same_name = self.communes().filter(|o| o.name == u.name).count();
        match &u.code {
            Some(code) if same_name > 1 => code.clone(),
            _ => u.name.clone(),
        }
    }

    /// The commune that `pick_key` gave `key`.
    pub fn find_commune(&self, key: &str) -> Option<&Unit> {
        self.communes()
            .find(|u| u.code.as_deref() == Some(key))
            .or_else(|| self.communes().find(|u| u.name == key))
    }

    /// Wards and towns (phường, thị trấn): outside the NTM commune set; assessing one is asked.
    pub fn non_communes(&self) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(|u| u.kind != "xã")
    }

    /// The unit `key` names, commune or not: by code, then by name (a typed name too, folded).
    pub fn find_unit(&self, key: &str) -> Option<&Unit> {
        let key = key.trim();
        self.find_commune(key).or_else(|| self.units.iter().find(|u| u.code.as_deref() == Some(key))).or_else(
            || {
                let folded = crate::domain::roster_csv::fold(key);
                self.units.iter().find(|u| {
                    let name = crate::domain::roster_csv::fold(&u.name);
                    name == folded || name.split_once('_').is_some_and(|(_, bare)| bare == folded)
                })
            },
        )
    }
}

/// The index of the list in `lists` in force on `date` (ISO) for `province`, however its name is
/// written ("Cà Mau" or "Tỉnh Cà Mau", "Hoà"/"Hòa").
pub fn list_in_force(lists: &[UnitList], province: &str, date: &str) -> Option<usize> {
    let province = crate::domain::text::name_key(province);
    lists.iter().position(|l| {
        let p = crate::domain::text::name_key(&l.province.name);
        (p == province || p.ends_with(&province) || province.ends_with(&p)) && l.in_force_on(date)
    })
}

/// Reads a units list from JSON (`tieuchi-units/1`) or CSV with the columns
/// `tinh` (province), `ma` (code), `ten` (name), `loai` (xã/phường/thị trấn) and optional
/// `huyen` (district). Errors name the row and column, in Vietnamese and English.
pub fn parse_units(text: &str) -> Result<UnitList, Vec<(String, String)>> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        return match serde_json::from_str::<UnitList>(trimmed) {
            Ok(l) if l.format == "tieuchi-units/1" && !l.units.is_empty() => Ok(l),
            Ok(l) => Err(vec![(
                format!("định dạng “{}” không được hỗ trợ hoặc danh sách rỗng", l.format),
                format!("format “{}” not supported, or the list is empty", l.format),
            )]),
            Err(e) => Err(vec![(format!("JSON không hợp lệ: {e}"), format!("malformed JSON: {e}"))]),
        };
    }
    use crate::domain::roster_csv::{fold, rows};
    let rows = rows(text)
        .map_err(|e| vec![(format!("dòng {}: {}", e.row, e.vi), format!("row {}: {}", e.row, e.en))])?;
    let Some(header) = rows.first() else {
        return Err(vec![("tệp rỗng".into(), "empty file".into())]);
    };
    let col = |names: &[&str]| header.iter().position(|h| names.contains(&fold(h).as_str()));
    let (prov, code, name, kind, district) = (
        col(&["tinh", "province"]),
        col(&["ma", "code"]),
        col(&["ten", "name"]),
        col(&["loai", "type"]),
        col(&["huyen", "district"]),
    );
    let region_col = col(&["vung", "region"]);
    // The commune group of 51/2025 (1, 2 or 3), as the province decided it; optional.
    let group_col = col(&["nhom", "nhom_xa", "group"]);
    let mut errors = Vec::new();
    for (c, vi, en) in [(prov, "tinh", "province"), (name, "ten", "name"), (kind, "loai", "type")] {
        if c.is_none() {
            errors.push((format!("Dòng 1: thiếu cột “{vi}”"), format!("Row 1: column “{en}” missing")));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let get = |r: &Vec<String>, c: Option<usize>| {
        c.and_then(|c| r.get(c)).map(|s| s.trim().to_string()).unwrap_or_default()
    };
    let mut units = Vec::new();
    let province_name = rows.get(1).map(|r| get(r, prov)).unwrap_or_default();
    // The NTM region (id or name, as the framework's dimension says it), from the first row.
    let region = rows.get(1).map(|r| get(r, region_col)).filter(|r| !r.is_empty());
    for (i, r) in rows.iter().enumerate().skip(1) {
        let row = i + 1;
        let k = fold(&get(r, kind));
        let kind = match k.as_str() {
            "xa" => "xã",
            "phuong" => "phường",
            "thi_tran" => "thị trấn",
            _ => {
                errors.push((
                    format!("Dòng {row}, cột “loai”: “{}” không phải xã/phường/thị trấn", get(r, kind)),
                    format!("Row {row}, column “type”: “{}” is not xã/phường/thị trấn", get(r, kind)),
                ));
                continue;
            }
        };
        if get(r, name).is_empty() {
            errors.push((
                format!("Dòng {row}, cột “ten”: thiếu tên"),
                format!("Row {row}, column “name”: name missing"),
            ));
        }
        if get(r, prov) != province_name {
            errors.push((
                format!("Dòng {row}, cột “tinh”: một tệp chỉ chứa một tỉnh"),
                format!("Row {row}, column “province”: one file holds one province"),
            ));
        }
        let group = match fold(&get(r, group_col)).trim_start_matches("nhom").trim_start_matches('_') {
            "" => None,
            n @ ("1" | "2" | "3") => Some(UnitGroup {
                value: format!("nhom{n}"),
                level: "imported".into(),
                basis: "tệp danh sách đơn vị của tỉnh / the province's units file".into(),
            }),
            _ => {
                errors.push((
                    format!("Dòng {row}, cột “nhom”: “{}” không phải nhóm 1, 2 hoặc 3", get(r, group_col)),
                    format!("Row {row}, column “group”: “{}” is not group 1, 2 or 3", get(r, group_col)),
                ));
                continue;
            }
        };
        units.push(Unit {
            code: Some(get(r, code)).filter(|c| !c.is_empty()),
            name: get(r, name),
            kind: kind.into(),
            district: Some(get(r, district)).filter(|d| !d.is_empty()),
            former: vec![],
            formed_from: None,
            group,
            predecessors: vec![],
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(UnitList {
        format: "tieuchi-units/1".into(),
        id: fold(&province_name),
        province: Province { code: String::new(), name: province_name, region },
        valid_from: String::new(),
        valid_to: None,
        source: "imported".into(),
        groups: group_col.map(|_| GroupsNote {
            dimension: "commune_group".into(),
            note: crate::domain::text::Text::new(
                "Nhóm xã theo tệp tỉnh nhập vào (cột “nhom”).",
                "Commune groups as the province's file gives them (column “nhom”).",
            ),
        }),
        units,
    })
}

/// The shipped unit lists, current first.
pub const BUNDLED: &[&str] = &[
    include_str!("../../assets/geography/camau-2025.json"),
    include_str!("../../assets/geography/baclieu-2019-2025.json"),
];

/// The dimension value of `fw` that a province's `region` (an id or a title) names, if any.
pub fn region_value<'f>(fw: &'f crate::domain::framework::Framework, region: &str) -> Option<&'f str> {
    use crate::domain::roster_csv::fold;
    let want = fold(region);
    fw.dimension
        .values
        .iter()
        .find(|v| {
            v.id == region
                || fold(v.title.get(crate::domain::text::Lang::Vi)) == want
                || fold(v.title.get(crate::domain::text::Lang::En)) == want
        })
        .map(|v| v.id.as_str())
}

pub fn bundled() -> Vec<UnitList> {
    BUNDLED.iter().filter_map(|t| serde_json::from_str(t).ok()).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_list_is_in_force_in_the_years_its_dates_cover() {
        let lists = super::bundled();
        let by_id = |id: &str| lists.iter().find(|l| l.id == id).expect(id);
        let (bac_lieu, ca_mau) = (by_id("baclieu-2019-2025"), by_id("camau-2025"));
        // Bạc Liêu's list ended on 30/06/2025; Cà Mau's (with the former Bạc Liêu) began on 01/07/2025.
        assert!(bac_lieu.in_force_in(2020) && bac_lieu.in_force_in(2025));
        assert!(!bac_lieu.in_force_in(2026) && !bac_lieu.in_force_in(2018));
        assert!(ca_mau.in_force_in(2025) && ca_mau.in_force_in(2030));
        assert!(!ca_mau.in_force_in(2020));
        // On a day: the last day of one is not the first of the other.
        assert!(bac_lieu.in_force_on("2025-06-30") && !ca_mau.in_force_on("2025-06-30"));
        assert!(!bac_lieu.in_force_on("2025-07-01") && ca_mau.in_force_on("2025-07-01"));
        assert!(ca_mau.in_force_on("2026-12-06") && !bac_lieu.in_force_on("2019-09-10"));
        assert_eq!(bac_lieu.period_text("nay"), "11/09/2019 – 30/06/2025");
        assert_eq!(ca_mau.period_text("nay"), "01/07/2025 – nay");
    }

    #[test]
    fn shipped_lists_parse_with_expected_counts() {
        let lists = super::bundled();
        assert_eq!(lists.len(), 2);
        assert_eq!(lists[0].units.len(), 64);
        assert_eq!(lists[0].communes().count(), 55);
        assert_eq!(lists[1].units.len(), 64);
        assert_eq!(lists[1].communes().count(), 49);
    }

    #[test]
    fn units_import_from_csv_with_located_errors() {
        let ok = "\u{feff}Tỉnh;Huyện;Mã;Tên;Loại\nTỉnh Hậu Giang;Huyện Long Mỹ;31471;Xã Vĩnh Viễn;Xã\nTỉnh Hậu Giang;Huyện Long Mỹ;;Thị trấn Vĩnh Viễn;Thị trấn\n";
        let l = super::parse_units(ok).expect("parses");
        assert_eq!(l.province.name, "Tỉnh Hậu Giang");
        assert_eq!(l.communes().count(), 1);
        assert_eq!(l.units[0].code.as_deref(), Some("31471"));
        let bad = "Tỉnh,Tên,Loại\nTỉnh Hậu Giang,Xã A,Xã\nTỉnh Hậu Giang,Xã B,Ấp\n";
        let e = super::parse_units(bad).expect_err("refused");
        assert_eq!(e[0].0, "Dòng 3, cột “loai”: “Ấp” không phải xã/phường/thị trấn");
        let json = super::BUNDLED[1];
        assert_eq!(super::parse_units(json).expect("json").units.len(), 64);
    }
}

#[cfg(test)]
mod region_tests {
    use super::*;

    #[test]
    fn two_communes_of_one_name_are_told_apart_by_their_code() {
        let csv = "Tỉnh;Huyện;Mã;Tên;Loại\nTỉnh X;Huyện A;001;Xã Vĩnh Thanh;xã\nTỉnh X;Huyện B;002;Xã Vĩnh Thanh;xã\nTỉnh X;Huyện B;003;Xã Khác;xã\n";
        let list = parse_units(csv).expect("parses");
        let keys: Vec<String> = list.communes().map(|u| list.pick_key(u)).collect();
        assert_eq!(keys, ["001", "002", "Xã Khác"]);
        assert_eq!(list.find_commune("002").and_then(|u| u.district.as_deref()), Some("Huyện B"));
        assert_eq!(list.find_commune("Xã Khác").and_then(|u| u.code.as_deref()), Some("003"));
    }

    #[test]
    fn an_imported_province_carries_its_region_and_shipped_ones_are_in_the_mekong_delta() {
        let csv = "Tỉnh;Tên;Loại;Mã;Vùng\nTỉnh Lào Cai;Xã Bản Lầu;xã;02800;Trung du miền núi phía Bắc\n";
        let list = parse_units(csv).expect("parses");
        assert_eq!(list.province.region.as_deref(), Some("Trung du miền núi phía Bắc"));
        let fw = crate::domain::framework::bundled::load_all()
            .into_iter()
            .find_map(|(_, l)| l.framework.filter(|f| f.id == "ntm-xa-2016-2020"))
            .expect("1980");
        assert_eq!(region_value(&fw, "Trung du miền núi phía Bắc"), Some("tdmnpb"));
        assert_eq!(region_value(&fw, "dbscl"), Some("dbscl"));
        assert_eq!(region_value(&fw, "Sao Hỏa"), None);
        let without = parse_units("Tỉnh;Tên;Loại\nTỉnh X;Xã Y;xã\n").expect("parses");
        assert_eq!(without.province.region, None, "no region: the officer chooses");
        for l in bundled() {
            assert_eq!(l.province.region.as_deref(), Some("dbscl"), "{}", l.id);
        }
    }
}
