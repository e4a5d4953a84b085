//! Sample data ("dữ liệu mẫu") for demonstrations: today's Cà Mau communes assessed in 2026 under
//! the set in force (51/2025/QĐ-TTg, by commune group), and as history the former Bạc Liêu
//! communes assessed in rounds 2016–2020 under 1980/QĐ-TTg, with varied results and stages,
//! generated the same way every time. Sample records carry the id prefix `mau-`: they are marked wherever shown, never synced,
//! never in a backup or a hand-over file, and removed in one step without touching real records.
//! The values are invented for the demonstration and say nothing about the real communes.

use crate::domain::answer::RawAnswer;
use crate::domain::assessment::{Assessment, Commune, Person};
use crate::domain::framework::{Framework, Kind};
use crate::domain::geography::UnitList;
use crate::domain::revision::Rev;
use crate::domain::workflow::{AuditEvent, AuditKind, Role, Stage, Step};

pub const PREFIX: &str = "mau-";

/// Whether assessment `id` is sample data.
pub fn is_demo(id: &str) -> bool {
    id.starts_with(PREFIX)
}

/// A small deterministic hash (FNV-1a), so the sample is the same on every tablet.
fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// The sample: up to `communes` communes (xã) of `units` (the Bạc Liêu list), two or three
/// rounds each between 2016 and 2020, under `fw` (the 1980 set).
pub fn sample(fw: &Framework, units: &UnitList, communes: usize, now: f64) -> Vec<Assessment> {
    let mut out = Vec::new();
    for u in units.units.iter().filter(|u| u.kind == "xã").take(communes) {
        let code = u.code.clone().unwrap_or_else(|| u.name.clone());
        let h = hash(&code);
        // A commune's "strength" decides how many indicators it meets; it grows by round.
        let strength = (h % 100) as f64 / 100.0;
        let first = 2016 + (h % 3) as u16;
        for round in (first..=2020).step_by(2) {
            let growth = f64::from(round - 2016) * 0.06;
            let commune = Commune {
                code: u.code.clone(),
                name: u.name.clone(),
                province: units.province.name.clone(),
                district: u.district.clone(),
            };
            let id = format!("{PREFIX}{code}-{round}");
            let mut a = Assessment::new(id.clone(), (&fw.id, &fw.version), commune, round, "dbscl", now);
            a.assessed_on = format!("{round}-10-15");
            for (i, ind) in fw.indicators.iter().enumerate() {
                let roll = (hash(&format!("{id}/{i}")) % 1000) as f64 / 1000.0;
                let meet = roll < (0.62 + strength * 0.33 + growth).min(0.995);
                if let Some(raw) = answer(&ind.kind, meet, "dbscl") {
                    a.entries.entry(ind.id.clone()).or_default().answer = Some(raw);
                }
            }
            let ev = crate::domain::score::evaluate(fw, &a);
            let all = ev.commune == crate::domain::score::Verdict::Met;
            let latest = round + 2 > 2020;
            let stage = match (all, latest, h % 4) {
                (true, false, _) => Stage::Recognised,
                (true, true, 0 | 1) => Stage::Recognised,
                (true, true, 2) => Stage::Appraised,
                (true, true, _) => Stage::Reviewed,
                (false, _, 0) => Stage::Draft,
                (false, _, _) => Stage::Submitted,
            };
            sign_up_to(&mut a, stage, round);
            a.rev = Rev::default().bumped("mau");
            out.push(a);
        }
    }
    out
}

/// Today's communes (xã) of `units` (Cà Mau since 01/07/2025) assessed in round 2026 under `fw`
/// (the set in force, 51/2025): each in the commune group its units list gives it, or (not known:
/// the sample invents one) mostly group 2; a first year under the new set, so most dossiers are
/// still on their way and few are recognised.
pub fn sample_in_force(fw: &Framework, units: &UnitList, now: f64) -> Vec<Assessment> {
    let groups: Vec<&str> = fw.dimension.values.iter().map(|v| v.id.as_str()).collect();
    let mut out = Vec::new();
    for u in units.units.iter().filter(|u| u.kind == "xã") {
        let code = u.code.clone().unwrap_or_else(|| u.name.clone());
        let h = hash(&format!("2026/{code}"));
        let group = match &u.group {
            Some(g) => g.value.clone(),
            None => {
                let pick = usize::from(!h.is_multiple_of(7));
                groups.get(pick).or(groups.first()).map_or_else(String::new, |g| (*g).to_string())
            }
        };
        let commune = Commune {
            code: u.code.clone(),
            name: u.name.clone(),
            province: units.province.name.clone(),
            district: None,
        };
        let id = format!("{PREFIX}{code}-2026");
        let mut a = Assessment::new(id.clone(), (&fw.id, &fw.version), commune, 2026, &group, now);
        a.assessed_on = "2026-10-15".into();
        let strength = (h % 100) as f64 / 100.0;
        let column = fw.threshold_column(&group).to_string();
        for (i, ind) in fw.indicators.iter().enumerate() {
            let roll = (hash(&format!("{id}/{i}")) % 1000) as f64 / 1000.0;
            let meet = roll < (0.55 + strength * 0.5).min(0.995);
            if let Some(raw) = answer(&ind.kind, meet, &column) {
                a.entries.entry(ind.id.clone()).or_default().answer = Some(raw);
            }
        }
        let all = crate::domain::score::evaluate(fw, &a).commune == crate::domain::score::Verdict::Met;
        let stage = match (all, h % 5) {
            (true, 0 | 1) => Stage::Recognised,
            (true, 2) => Stage::Appraised,
            (true, 3) => Stage::Reviewed,
            (false, 3) => Stage::Draft,
            _ => Stage::Submitted,
        };
        sign_up_to(&mut a, stage, 2026);
        a.rev = Rev::default().bumped("mau");
        out.push(a);
    }
    out
}

/// An answer that meets (or misses) an indicator of `kind` in threshold column `column`.
fn answer(kind: &Kind, meet: bool, column: &str) -> Option<RawAnswer> {
    Some(match kind {
        Kind::YesNo => RawAnswer::Flag(meet),
        Kind::Number { threshold, cmp, .. } | Kind::Ratio { threshold, cmp, .. } => {
            let cell = match threshold.resolve(column) {
                crate::domain::framework::model::Resolved::Exact(c)
                | crate::domain::framework::model::Resolved::NationalFallback(c) => c.value,
                crate::domain::framework::model::Resolved::Unknown => return None,
            };
            let low_is_good = matches!(
                cmp,
                crate::domain::framework::Comparator::Le | crate::domain::framework::Comparator::Lt
            );
            let v = match (meet, low_is_good) {
                (true, false) => cell + 2.0,
                (false, false) => (cell - 7.0).max(0.0),
                (true, true) => (cell - 1.0).max(0.0),
                (false, true) => cell + 3.0,
            };
            match kind {
                Kind::Ratio { part: Some(_), .. } => {
                    let n = (v.min(100.0) * 100.0).round();
                    RawAnswer::Triple(n.to_string(), "10000".into(), n.to_string())
                }
                Kind::Ratio { .. } => {
                    RawAnswer::Pair((v.min(100.0) * 100.0).round().to_string(), "10000".into())
                }
                _ => RawAnswer::Text(crate::domain::answer::fmt_num(v)),
            }
        }
        Kind::Choice { options, pass } => {
            RawAnswer::Choice(options.iter().find(|o| pass.contains(&o.id) == meet)?.id.clone())
        }
        Kind::Checklist { items, min_met } => {
            let n = if meet { *min_met } else { min_met.saturating_sub(1) };
            RawAnswer::Checks(items.iter().take(n).map(|i| i.id.clone()).collect())
        }
        Kind::Points { max } => {
            RawAnswer::Text(crate::domain::answer::fmt_num(if meet { *max } else { max / 4.0 }))
        }
        Kind::Roster => RawAnswer::Pair(if meet { "18" } else { "16" }.into(), "18".into()),
    })
}

/// The audit trail of a dossier that reached `stage`, signed by invented officers.
fn sign_up_to(a: &mut Assessment, stage: Stage, round: u16) {
    let steps = [
        (
            Step::Submit,
            Stage::Draft,
            Stage::Submitted,
            Role::Commune,
            "Cán bộ xã (mẫu)",
            "Công chức Văn phòng – thống kê",
        ),
        (
            Step::Review,
            Stage::Submitted,
            Stage::Reviewed,
            Role::Reviewer,
            "Chuyên viên thẩm tra (mẫu)",
            "Chuyên viên",
        ),
        (
            Step::Appraise,
            Stage::Reviewed,
            Stage::Appraised,
            Role::Appraiser,
            "Lãnh đạo Sở (mẫu)",
            "Phó Giám đốc Sở",
        ),
        (
            Step::Recognise,
            Stage::Appraised,
            Stage::Recognised,
            Role::Recogniser,
            "Lãnh đạo UBND tỉnh (mẫu)",
            "Phó Chủ tịch UBND tỉnh",
        ),
    ];
    let base = (f64::from(round) - 1970.0) * 365.25 * 86_400_000.0 + 300.0 * 86_400_000.0;
    for (i, (step, from, to, role, name, title)) in steps.into_iter().enumerate() {
        if stage < to {
            break;
        }
        a.workflow.audit.push(AuditEvent {
            at: base + i as f64 * 7.0 * 86_400_000.0,
            by: Person { name: name.into(), title: title.into() },
            role: Some(role),
            account: None,
            decision: None,
            kind: AuditKind::Stage { from, to, step },
        });
    }
    a.workflow.stage = stage;
}
