//! Administrative units as data: the current units of a province and historical lists for
//! earlier rounds (e.g. former Bạc Liêu 2019–2025, merged into Cà Mau on 01/07/2025).

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UnitList {
    pub format: String,
    pub id: String,
    pub province: Province,
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: Option<String>,
    pub source: String,
    pub units: Vec<Unit>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Province {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
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
}

impl UnitList {
    /// The rural communes (xã), the units NTM criteria apply to.
    pub fn communes(&self) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(|u| u.kind == "xã")
    }
}

/// The shipped unit lists, current first.
pub const BUNDLED: &[&str] = &[
    include_str!("../../assets/geography/camau-2025.json"),
    include_str!("../../assets/geography/baclieu-2019-2025.json"),
];

pub fn bundled() -> Vec<UnitList> {
    BUNDLED.iter().filter_map(|t| serde_json::from_str(t).ok()).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn shipped_lists_parse_with_expected_counts() {
        let lists = super::bundled();
        assert_eq!(lists.len(), 2);
        assert_eq!(lists[0].units.len(), 64);
        assert_eq!(lists[0].communes().count(), 55);
        assert_eq!(lists[1].units.len(), 64);
        assert_eq!(lists[1].communes().count(), 49);
    }
}
