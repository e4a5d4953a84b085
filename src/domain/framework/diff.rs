//! What changed between two versions of a framework: indicators added and removed, and
//! thresholds changed, so a new version is reviewed before it is accepted.

use crate::domain::framework::model::{Framework, Kind, Threshold};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FrameworkDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// (indicator id, old threshold text, new threshold text)
    pub changed: Vec<(String, String, String)>,
}

impl FrameworkDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

fn describe(kind: &Kind) -> String {
    let t = |cmp: &str, t: &Threshold| {
        let mut s = format!("{cmp} {}", t.national.as_ref().map_or("—".into(), |c| c.value.to_string()));
        for (k, v) in &t.by {
            s.push_str(&format!("; {k}: {}", v.as_ref().map_or("—".into(), |c| c.value.to_string())));
        }
        s
    };
    match kind {
        Kind::Ratio { cmp, threshold, part: Some(part), .. } => {
            format!(
                "{} ({}: {})",
                t(cmp.symbol(), threshold),
                part.title.vi,
                t(cmp.symbol(), &part.threshold)
            )
        }
        Kind::Number { cmp, threshold, .. } | Kind::Ratio { cmp, threshold, .. } => {
            t(cmp.symbol(), threshold)
        }
        other => other.name().to_string(),
    }
}

/// Compares `new` against `old` by indicator id.
pub fn diff(old: &Framework, new: &Framework) -> FrameworkDiff {
    let mut d = FrameworkDiff::default();
    for ind in &new.indicators {
        match old.indicator(&ind.id) {
            None => d.added.push(ind.id.clone()),
            Some(o) => {
                let (a, b) = (describe(&o.kind), describe(&ind.kind));
                if a != b {
                    d.changed.push((ind.id.clone(), a, b));
                }
            }
        }
    }
    for ind in &old.indicators {
        if new.indicator(&ind.id).is_none() {
            d.removed.push(ind.id.clone());
        }
    }
    d
}
