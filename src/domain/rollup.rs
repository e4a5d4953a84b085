//! Province-to-nation roll-up: the small summary each assessment document carries on the server
//! (`summary`), the CouchDB views over it (`couchdb/rollup.js`), and the figures a dashboard
//! draws from their aggregated rows, so a province or the nation reads counts, never records.
//! Pure: the page fetches the rows through `io::couch`, the guard checks the summary's shape.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::assessment::Assessment;
use crate::domain::framework::Framework;
use crate::domain::score::{evaluate, provisional, Verdict};
use crate::domain::workflow::Stage;

/// `summary.v`: bumped when the shape changes (the guard and the views know each version).
pub const SUMMARY_VERSION: u32 = 1;
/// The design document holding the views (`couchdb/rollup.js`).
pub const DESIGN: &str = "_design/rollup";

/// What the views read of one assessment. Every field but `met`, `all_met` and `provisional`
/// repeats the record's own (the guard refuses a summary that differs from them); those three
/// are the app's scoring of the record against its set when it was sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub v: u32,
    /// `framework_id@framework_version`.
    pub set: String,
    pub round: u16,
    /// The commune's province as written on the record ("Tỉnh Cà Mau").
    pub province: String,
    /// The commune's unit code, when it has one.
    #[serde(default)]
    pub commune: Option<String>,
    /// The commune group or region the record was assessed in.
    pub group: String,
    pub stage: Stage,
    /// Ids of the criteria met, in the set's order.
    pub met: Vec<String>,
    /// Every criterion of the set, in its order: the `communes` view sums, criterion by criterion
    /// in this order, the records meeting each.
    pub criteria: Vec<String>,
    /// Every criterion met (not recognition: that is `stage`).
    pub all_met: bool,
    /// A verdict rests on a value that is not from the official text (or the set is provisional).
    pub provisional: bool,
}

/// The summary of `a` scored against `fw` (its own set).
pub fn summary(fw: &Framework, a: &Assessment) -> Summary {
    let ev = evaluate(fw, a);
    let met = fw
        .criteria
        .iter()
        .zip(&ev.criteria)
        .filter(|(_, r)| r.verdict == Verdict::Met)
        .map(|(c, _)| c.id.clone())
        .collect();
    Summary {
        v: SUMMARY_VERSION,
        set: format!("{}@{}", a.framework_id, a.framework_version),
        round: a.round,
        province: a.commune.province.clone(),
        commune: a.commune.code.clone(),
        group: a.dimension_value.clone(),
        stage: a.workflow.stage,
        met,
        criteria: fw.criteria.iter().map(|c| c.id.clone()).collect(),
        all_met: ev.commune == Verdict::Met,
        provisional: fw.provisional || provisional(fw, &ev, &a.dimension_value).is_some(),
    }
}

/// One aggregated row of the `communes` view at its full group level: key `[set, round,
/// province, group, stage]`, value `[records, all met, provisional, then for each criterion of the
/// set in its order the records meeting it]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CommuneRow {
    pub round: u16,
    pub province: String,
    pub group: String,
    pub stage: Stage,
    pub records: u64,
    pub all_met: u64,
    pub provisional: u64,
    /// Aligned with the set's criteria.
    pub met: Vec<u64>,
}

/// Why a view answer cannot be drawn. Nothing stored changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowsError {
    NotJson(String),
    /// `rows[i]` is not what the view gives (a changed design document, or not a view).
    Row(usize, &'static str),
}

impl RowsError {
    pub fn message(&self, lang: crate::domain::text::Lang) -> String {
        use crate::domain::text::Lang;
        match (self, lang) {
            (RowsError::NotJson(d), Lang::Vi) => format!("Máy chủ trả lời không phải JSON: {d}"),
            (RowsError::NotJson(d), Lang::En) => format!("The server's answer is not JSON: {d}"),
            (RowsError::Row(i, what), Lang::Vi) => {
                format!("Dòng {} của bảng tổng hợp trên máy chủ không đúng dạng ({what})", i + 1)
            }
            (RowsError::Row(i, what), Lang::En) => {
                format!("Row {} of the server's roll-up is not in the expected shape ({what})", i + 1)
            }
        }
    }
}

/// The `rows` of a grouped view answer, each checked: `key` an array of `n` parts, `value` as given.
fn rows(text: &str, n: usize) -> Result<Vec<(Vec<Value>, Value)>, RowsError> {
    let body: Value = serde_json::from_str(text).map_err(|e| RowsError::NotJson(e.to_string()))?;
    let list = body.get("rows").and_then(Value::as_array).ok_or(RowsError::Row(0, "rows"))?;
    list.iter()
        .enumerate()
        .map(|(i, r)| {
            let key = r.get("key").and_then(Value::as_array).filter(|k| k.len() == n);
            let key = key.ok_or(RowsError::Row(i, "key"))?;
            Ok((key.clone(), r.get("value").cloned().unwrap_or(Value::Null)))
        })
        .collect()
}

fn part_str(key: &[Value], at: usize, i: usize) -> Result<String, RowsError> {
    key.get(at).and_then(Value::as_str).map(String::from).ok_or(RowsError::Row(i, "key"))
}

fn part_round(key: &[Value], i: usize) -> Result<u16, RowsError> {
    key.get(1).and_then(Value::as_u64).and_then(|r| u16::try_from(r).ok()).ok_or(RowsError::Row(i, "round"))
}

/// The `communes` view's rows for one set, and the records left out of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Communes {
    pub rows: Vec<CommuneRow>,
    /// Records whose summary lists another number of criteria than the set has (a summary written
    /// against another version, or by hand): counted apart, never summed into the set's figures.
    pub left_out: u64,
}

/// Reads the `communes` view grouped at level 6 (`[set, round, province, group, stage, number of
/// criteria]`), for a set of `criteria` criteria. Rows keyed by another number of criteria are
/// left out and counted (one such record must not stop a nation's dashboard); a row keyed by the
/// set's number must carry exactly one count per criterion.
pub fn parse_communes(text: &str, criteria: usize) -> Result<Communes, RowsError> {
    let mut out = Communes::default();
    for (i, (key, value)) in rows(text, 6)?.into_iter().enumerate() {
        let n = key[5].as_u64().ok_or(RowsError::Row(i, "key"))?;
        if usize::try_from(n).ok() != Some(criteria) {
            let records = value.get(0).and_then(Value::as_u64).ok_or(RowsError::Row(i, "value"))?;
            out.left_out = out.left_out.saturating_add(records);
            continue;
        }
        let stage: Stage = serde_json::from_value(key[4].clone()).map_err(|_| RowsError::Row(i, "stage"))?;
        let nums: Vec<u64> = value
            .as_array()
            .and_then(|v| v.iter().map(Value::as_u64).collect::<Option<Vec<u64>>>())
            .filter(|v| v.len() == 3 + criteria)
            .ok_or(RowsError::Row(i, "value"))?;
        out.rows.push(CommuneRow {
            round: part_round(&key, i)?,
            province: part_str(&key, 2, i)?,
            group: part_str(&key, 3, i)?,
            stage,
            records: nums[0],
            all_met: nums[1],
            provisional: nums[2],
            met: nums[3..].to_vec(),
        });
    }
    Ok(out)
}

/// The filters a leader set: empty strings are "all".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub round: Option<u16>,
    pub province: String,
    pub group: String,
    pub stage: Option<Stage>,
}

impl Filter {
    fn keeps(&self, r: &CommuneRow) -> bool {
        self.round.is_none_or(|x| x == r.round)
            && (self.province.is_empty() || self.province == r.province)
            && (self.group.is_empty() || self.group == r.group)
            && self.stage.is_none_or(|s| s == r.stage)
    }
}

/// What a dashboard draws from the server's rows (or from this tablet's records: the same shape).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub records: u64,
    pub all_met: u64,
    pub provisional: u64,
    /// Aligned with `dashboard::STAGES`.
    pub by_stage: [u64; 5],
    /// (group, records, all met), in the order first seen (sorted).
    pub by_group: Vec<(String, u64, u64)>,
    /// (criterion id, records meeting it), in the order of `criteria`.
    pub per_criterion: Vec<(String, u64)>,
    /// (province, records, all met, recognised, met per criterion aligned with `criteria`).
    pub by_province: Vec<ProvinceFigures>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProvinceFigures {
    pub province: String,
    pub records: u64,
    pub all_met: u64,
    pub recognised: u64,
    pub per_criterion: Vec<u64>,
}

/// The rounds the rows hold, newest first.
pub fn rounds(communes: &[CommuneRow]) -> Vec<u16> {
    let mut r: Vec<u16> = communes.iter().map(|c| c.round).collect();
    r.sort_unstable_by(|a, b| b.cmp(a));
    r.dedup();
    r
}

/// Sums the rows that `filter` keeps; `criteria` are the set's criterion ids in order (the
/// rows' counts are aligned with them).
pub fn figures(communes: &[CommuneRow], criteria: &[String], filter: &Filter) -> Figures {
    use std::collections::BTreeMap;
    let mut f =
        Figures { per_criterion: criteria.iter().map(|id| (id.clone(), 0)).collect(), ..Default::default() };
    let mut groups: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut provinces: BTreeMap<String, ProvinceFigures> = BTreeMap::new();
    for c in communes.iter().filter(|c| filter.keeps(c)) {
        f.records += c.records;
        f.all_met += c.all_met;
        f.provisional += c.provisional;
        f.by_stage[crate::domain::dashboard::stage_index(c.stage)] += c.records;
        let g = groups.entry(c.group.clone()).or_default();
        g.0 += c.records;
        g.1 += c.all_met;
        let p = provinces.entry(c.province.clone()).or_insert_with(|| ProvinceFigures {
            province: c.province.clone(),
            per_criterion: vec![0; criteria.len()],
            ..Default::default()
        });
        p.records += c.records;
        p.all_met += c.all_met;
        p.recognised += if c.stage == Stage::Recognised { c.records } else { 0 };
        for (i, k) in c.met.iter().enumerate().take(criteria.len()) {
            f.per_criterion[i].1 += k;
            p.per_criterion[i] += k;
        }
    }
    f.by_group = groups.into_iter().map(|(g, (n, m))| (g, n, m)).collect();
    f.by_province = provinces.into_values().collect();
    f.by_province.sort_by(|a, b| crate::domain::text::natural_cmp(&a.province, &b.province));
    f
}

/// The same figures from this tablet's records: one row per commune's standing record in the
/// matrix (so the server's view and this tablet's agree on the same records).
pub fn figures_of(m: &crate::domain::dashboard::Matrix, fw: &Framework) -> Figures {
    let communes: Vec<CommuneRow> = m
        .rows
        .iter()
        .map(|r| CommuneRow {
            round: r.round,
            province: r.province.clone(),
            group: r.dimension_value.clone(),
            stage: r.stage,
            records: 1,
            all_met: u64::from(r.verdict == Verdict::Met),
            provisional: 0,
            met: r.criteria.iter().map(|v| u64::from(*v == Verdict::Met)).collect(),
        })
        .collect();
    let ids: Vec<String> = fw.criteria.iter().map(|c| c.id.clone()).collect();
    figures(&communes, &ids, &Filter::default())
}

/// The figures last fetched from a server, kept on this tablet with when they were fetched and
/// the newest change they include, so that offline the dashboard still shows them, dated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fetched {
    /// The database read ("tieuchi_p96", "tieuchi_national").
    pub db: String,
    pub set: String,
    /// Milliseconds since the epoch.
    pub fetched_at: f64,
    /// The newest `sync.saved_at` among the records counted, if the server said.
    #[serde(default)]
    pub newest: Option<f64>,
    /// The `communes` view's answer as received (read again on every draw).
    pub communes: String,
    /// Bytes received for the two views.
    #[serde(default)]
    pub bytes: u64,
}

/// The newest `sync.saved_at` from the `saved` view (`_stats`, not grouped): its `max`.
pub fn parse_newest(text: &str) -> Option<f64> {
    let body: Value = serde_json::from_str(text).ok()?;
    body.get("rows")?.as_array()?.first()?.get("value")?.get("max")?.as_f64()
}

/// The key range of set `set` in every view: `startkey` and `endkey`, as JSON.
pub fn set_range(set: &str) -> (String, String) {
    (serde_json::json!([set]).to_string(), serde_json::json!([set, {}]).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_rows_are_read_and_checked() {
        let text = r#"{"rows":[
          {"key":["s@1",2026,"Tỉnh Cà Mau","nhom2","draft",2],"value":[3,1,0,2,1]},
          {"key":["s@1",2026,"Tỉnh Cà Mau","nhom2","recognised",2],"value":[2,2,0,2,2]},
          {"key":["s@1",2026,"Tỉnh Cà Mau","nhom2","recognised",3],"value":[7,0,0,1,1,1]},
          {"key":["s@1",2025,"Tỉnh Cà Mau","nhom1","draft",2],"value":[5,0,0,5,0]},
          {"key":["s@1",2026,"Thành phố Cần Thơ","nhom1","submitted",2],"value":[4,1,1,0,3]}]}"#;
        let Communes { rows: c, left_out } = parse_communes(text, 2).expect("rows");
        assert_eq!(c.len(), 4);
        assert_eq!(left_out, 7, "a summary of three criteria for a set of two is counted apart");
        assert_eq!(rounds(&c), [2026, 2025]);
        let ids = vec!["1".to_string(), "2".to_string()];
        let f = figures(&c, &ids, &Filter { round: Some(2026), ..Default::default() });
        assert_eq!((f.records, f.all_met, f.provisional), (9, 4, 1));
        assert_eq!(f.by_stage, [3, 4, 0, 0, 2]);
        assert_eq!(f.per_criterion, [("1".to_string(), 4), ("2".to_string(), 6)]);
        assert_eq!(f.by_group, [("nhom1".to_string(), 4, 1), ("nhom2".to_string(), 5, 3)]);
        let names: Vec<&str> = f.by_province.iter().map(|p| p.province.as_str()).collect();
        assert_eq!(names, ["Thành phố Cần Thơ", "Tỉnh Cà Mau"]);
        assert_eq!((f.by_province[1].records, f.by_province[1].recognised), (5, 2));
        assert_eq!(f.by_province[1].per_criterion, [4, 3]);
        let one = figures(
            &c,
            &ids,
            &Filter {
                round: Some(2025), province: "Tỉnh Cà Mau".into(), group: String::new(), stage: None
            },
        );
        assert_eq!((one.records, one.per_criterion[0].1), (5, 5));
        let recognised = figures(&c, &ids, &Filter { stage: Some(Stage::Recognised), ..Default::default() });
        assert_eq!((recognised.records, recognised.per_criterion[1].1), (2, 2));
    }

    #[test]
    fn a_hostile_answer_is_refused_with_its_row() {
        assert!(matches!(parse_communes("<html>", 2), Err(RowsError::NotJson(_))));
        assert_eq!(
            parse_communes(r#"{"rows":[{"key":["s",1,"p","g","draft"],"value":[1,0,0,0,0]}]}"#, 2),
            Err(RowsError::Row(0, "key"))
        );
        let bad_stage = r#"{"rows":[{"key":["s",2026,"p","g","draft",2],"value":[1,0,0,0,0]},{"key":["s",2026,"p","g","signed",2],"value":[1,0,0,0,0]}]}"#;
        assert_eq!(parse_communes(bad_stage, 2), Err(RowsError::Row(1, "stage")));
        assert_eq!(
            parse_communes(r#"{"rows":[{"key":["s",70000,"p","g","draft",2],"value":[1,0,0,0,0]}]}"#, 2),
            Err(RowsError::Row(0, "round"))
        );
        // Counts for three criteria keyed as two (a hostile server), a negative or fractional count.
        assert_eq!(
            parse_communes(r#"{"rows":[{"key":["s",2026,"p","g","draft",2],"value":[1,0,0,0,0,1]}]}"#, 2),
            Err(RowsError::Row(0, "value"))
        );
        assert_eq!(
            parse_communes(r#"{"rows":[{"key":["s",2026,"p","g","draft",2],"value":[1,0,0,-1,0]}]}"#, 2),
            Err(RowsError::Row(0, "value"))
        );
        assert_eq!(
            parse_communes(r#"{"rows":[{"key":["s",2026,"p","g","draft",2],"value":[1,0,0,0.5,0]}]}"#, 2),
            Err(RowsError::Row(0, "value"))
        );
        assert_eq!(
            parse_communes(r#"{"rows":[{"key":["s",2026,"p","g","draft","2"],"value":[1,0,0,0,0]}]}"#, 2),
            Err(RowsError::Row(0, "key"))
        );
        assert!(RowsError::Row(1, "stage").message(crate::domain::text::Lang::Vi).starts_with("Dòng 2"));
    }

    #[test]
    fn newest_change_from_stats() {
        assert_eq!(
            parse_newest(r#"{"rows":[{"key":null,"value":{"sum":3,"count":2,"min":1,"max":2,"sumsqr":5}}]}"#),
            Some(2.0)
        );
        assert_eq!(parse_newest(r#"{"rows":[]}"#), None);
    }
}
