//! Two rounds of one commune side by side, pure: which criteria and indicators are newly met,
//! newly lost, or still the same, and which values changed. Indicators are matched by id, so a
//! round under another set compares what both sets share (and lists the rest as only in one).

use crate::domain::assessment::Assessment;
use crate::domain::framework::Framework;
use crate::domain::report::typed;
use crate::domain::score::{evaluate, Verdict};
use crate::domain::text::Lang;

/// How one indicator or criterion moved from the earlier round to the later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    NewlyMet,
    NewlyLost,
    StillMet,
    StillNotMet,
    /// Undecided in one of the two rounds.
    Undecided,
    OnlyEarlier,
    OnlyLater,
}

impl Movement {
    fn of(before: Option<Verdict>, after: Option<Verdict>) -> Movement {
        match (before, after) {
            (None, Some(_)) => Movement::OnlyLater,
            (Some(_), None) => Movement::OnlyEarlier,
            (Some(Verdict::Met), Some(Verdict::Met)) => Movement::StillMet,
            (Some(Verdict::NotMet), Some(Verdict::NotMet)) => Movement::StillNotMet,
            (Some(Verdict::NotMet), Some(Verdict::Met)) => Movement::NewlyMet,
            (Some(Verdict::Met), Some(Verdict::NotMet)) => Movement::NewlyLost,
            _ => Movement::Undecided,
        }
    }
    pub fn label(self, lang: Lang) -> &'static str {
        let vi = lang == Lang::Vi;
        match self {
            Movement::NewlyMet => {
                if vi {
                    "mới đạt"
                } else {
                    "newly met"
                }
            }
            Movement::NewlyLost => {
                if vi {
                    "không còn đạt"
                } else {
                    "no longer met"
                }
            }
            Movement::StillMet => {
                if vi {
                    "vẫn đạt"
                } else {
                    "still met"
                }
            }
            Movement::StillNotMet => {
                if vi {
                    "vẫn chưa đạt"
                } else {
                    "still not met"
                }
            }
            Movement::Undecided => {
                if vi {
                    "chưa xác định ở một lần"
                } else {
                    "undecided in one round"
                }
            }
            Movement::OnlyEarlier => {
                if vi {
                    "chỉ có ở lần trước"
                } else {
                    "only in the earlier round"
                }
            }
            Movement::OnlyLater => {
                if vi {
                    "chỉ có ở lần sau"
                } else {
                    "only in the later round"
                }
            }
        }
    }
}

/// One line of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The criterion id, or the indicator id.
    pub id: String,
    pub is_criterion: bool,
    pub title: String,
    pub before: Option<Verdict>,
    pub after: Option<Verdict>,
    pub movement: Movement,
    /// The values as typed, when they differ.
    pub values: Option<(String, String)>,
}

/// The comparison of `earlier` (under `fw_a`) with `later` (under `fw_b`): every criterion,
/// then every indicator, in the later set's order, then what only the earlier set has.
pub fn compare(
    fw_a: &Framework,
    earlier: &Assessment,
    fw_b: &Framework,
    later: &Assessment,
    lang: Lang,
) -> Vec<Line> {
    let (ev_a, ev_b) = (evaluate(fw_a, earlier), evaluate(fw_b, later));
    let mut out = Vec::new();
    for (i, c) in fw_b.criteria.iter().enumerate() {
        let before = fw_a.criteria.iter().position(|x| x.id == c.id).map(|j| ev_a.criteria[j].verdict);
        let after = Some(ev_b.criteria[i].verdict);
        out.push(Line {
            id: c.id.clone(),
            is_criterion: true,
            title: c.title.get(lang).to_string(),
            before,
            after,
            movement: Movement::of(before, after),
            values: None,
        });
    }
    for (i, ind) in fw_b.indicators.iter().enumerate() {
        let j = fw_a.indicator_index(&ind.id);
        let before = j.map(|j| ev_a.indicators[j].verdict());
        let after = Some(ev_b.indicators[i].verdict());
        let show = |a: &Assessment, fw: &Framework| {
            let ind = fw.indicator(&ind.id)?;
            a.answer(&ind.id).map(|r| typed(ind, r, lang))
        };
        let (va, vb) = (show(earlier, fw_a).unwrap_or_default(), show(later, fw_b).unwrap_or_default());
        out.push(Line {
            id: ind.id.clone(),
            is_criterion: false,
            title: ind.title.get(lang).to_string(),
            before,
            after,
            movement: Movement::of(before, after),
            values: (j.is_some() && va != vb).then_some((va, vb)),
        });
    }
    for (j, ind) in fw_a.indicators.iter().enumerate() {
        if fw_b.indicator(&ind.id).is_none() {
            let before = Some(ev_a.indicators[j].verdict());
            out.push(Line {
                id: ind.id.clone(),
                is_criterion: false,
                title: ind.title.get(lang).to_string(),
                before,
                after: None,
                movement: Movement::OnlyEarlier,
                values: None,
            });
        }
    }
    out
}

/// The earlier rounds of the same commune as `a` (same unit code, or the same name and
/// province however written), latest first.
pub fn earlier_rounds<'a>(a: &Assessment, all: impl Iterator<Item = &'a Assessment>) -> Vec<&'a Assessment> {
    let same = |b: &Assessment| match (&a.commune.code, &b.commune.code) {
        (Some(x), Some(y)) => x == y,
        _ => {
            crate::domain::text::name_key(&a.commune.name) == crate::domain::text::name_key(&b.commune.name)
                && crate::domain::text::name_key(&a.commune.province)
                    == crate::domain::text::name_key(&b.commune.province)
        }
    };
    let mut v: Vec<&Assessment> = all.filter(|b| b.id != a.id && b.round < a.round && same(b)).collect();
    v.sort_by(|x, y| y.round.cmp(&x.round).then(y.workflow.stage.cmp(&x.workflow.stage)));
    v
}

/// A unit a merged commune was formed from (01/07/2025), and that unit's latest record from
/// before the merger, if any. Shown beside the new commune's results; nothing is inherited.
#[derive(Debug, Clone, PartialEq)]
pub struct Predecessor<'a> {
    pub code: Option<String>,
    pub name: String,
    pub district: Option<String>,
    pub record: Option<&'a Assessment>,
}

/// The predecessors of `a`'s commune as the units list in force on its date says them (the
/// `predecessors` unit codes, named from the earlier lists; else the names in `formed_from`),
/// each with its latest record dated before that list took effect (latest round, then the
/// furthest stage). Empty when the commune was not formed by a merger the data knows.
pub fn predecessors<'a>(
    a: &Assessment,
    lists: &[crate::domain::geography::UnitList],
    all: &[&'a Assessment],
) -> Vec<Predecessor<'a>> {
    use crate::domain::text::name_key;
    let Some(list) = crate::domain::geography::list_in_force(lists, &a.commune.province, &a.judged_on())
        .map(|i| &lists[i])
    else {
        return Vec::new();
    };
    let unit = list
        .units
        .iter()
        .find(|u| u.code.is_some() && u.code == a.commune.code)
        .or_else(|| list.units.iter().find(|u| name_key(&u.name) == name_key(&a.commune.name)));
    let Some(unit) = unit else { return Vec::new() };
    let mut preds: Vec<Predecessor<'a>> = if unit.predecessors.is_empty() {
        // "xã Tân Đức và xã Tân Thuận", "… và một phần … của xã Tạ An Khương".
        unit.formed_from
            .as_deref()
            .unwrap_or_default()
            .split([',', ';'])
            .flat_map(|p| p.split(" và "))
            .filter_map(|part| {
                let lower = part.to_lowercase();
                let at = ["thị trấn ", "phường ", "xã "].iter().filter_map(|k| lower.rfind(k)).max()?;
                let name = part.get(at..)?.trim();
                let mut c = name.chars();
                let name = c.next().map(|f| f.to_uppercase().chain(c).collect::<String>())?;
                Some(Predecessor { code: None, name, district: None, record: None })
            })
            .collect()
    } else {
        unit.predecessors
            .iter()
            .map(|code| {
                let old = lists
                    .iter()
                    .filter(|l| l.valid_to.as_deref().is_some_and(|to| to < list.valid_from.as_str()))
                    .flat_map(|l| &l.units)
                    .find(|u| u.code.as_deref() == Some(code.as_str()));
                Predecessor {
                    code: Some(code.clone()),
                    name: old.map_or_else(|| code.clone(), |u| u.name.clone()),
                    district: old.and_then(|u| u.district.clone()),
                    record: None,
                }
            })
            .collect()
    };
    preds.dedup_by(|x, y| x.name == y.name && x.code == y.code);
    for p in &mut preds {
        let is_it = |b: &Assessment| match (&p.code, &b.commune.code) {
            (Some(x), Some(y)) => x == y,
            _ => {
                name_key(&b.commune.name) == name_key(&p.name)
                    && match (&p.district, &b.commune.district) {
                        (Some(x), Some(y)) => name_key(x) == name_key(y),
                        _ => true,
                    }
            }
        };
        p.record = all
            .iter()
            .copied()
            .filter(|b| b.id != a.id && b.judged_on().as_str() < list.valid_from.as_str() && is_it(b))
            .max_by(|x, y| x.round.cmp(&y.round).then(x.workflow.stage.cmp(&y.workflow.stage)));
    }
    preds
}
