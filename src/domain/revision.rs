//! Revisions of a stored record: a version vector (an edit counter per device, the device named
//! by a random id). Comparing two revisions says whether one copy descends from the other or
//! both were edited since they parted, which no clock can say: a tablet whose clock runs ahead
//! cannot make its old copy look newer.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How two revisions of one record relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The same revision.
    Same,
    /// The first descends from the second: it has every edit of the second and more.
    Descends,
    /// The second descends from the first.
    Precedes,
    /// Both were edited since their last common revision.
    Diverged,
}

/// Device id → number of writes that device made to the record.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Rev(pub BTreeMap<String, u64>);

impl Rev {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The revision after one more write by `device`.
    pub fn bumped(&self, device: &str) -> Rev {
        let mut next = self.clone();
        *next.0.entry(device.to_string()).or_insert(0) += 1;
        next
    }

    /// The least revision that descends from both (what a resolved conflict starts from).
    pub fn join(&self, other: &Rev) -> Rev {
        let mut out = self.clone();
        for (d, n) in &other.0 {
            let e = out.0.entry(d.clone()).or_insert(0);
            *e = (*e).max(*n);
        }
        out
    }

    /// How `self` relates to `other`.
    pub fn relation(&self, other: &Rev) -> Relation {
        let mut ahead = false;
        let mut behind = false;
        for d in self.0.keys().chain(other.0.keys()) {
            let a = self.0.get(d).copied().unwrap_or(0);
            let b = other.0.get(d).copied().unwrap_or(0);
            match a.cmp(&b) {
                Ordering::Greater => ahead = true,
                Ordering::Less => behind = true,
                Ordering::Equal => {}
            }
        }
        match (ahead, behind) {
            (false, false) => Relation::Same,
            (true, false) => Relation::Descends,
            (false, true) => Relation::Precedes,
            (true, true) => Relation::Diverged,
        }
    }

    /// Total number of writes (for display: "bản 12").
    pub fn count(&self) -> u64 {
        self.0.values().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations() {
        let base = Rev::default().bumped("a").bumped("a");
        let mine = base.bumped("a");
        let theirs = base.bumped("b");
        assert_eq!(base.relation(&base), Relation::Same);
        assert_eq!(mine.relation(&base), Relation::Descends);
        assert_eq!(base.relation(&mine), Relation::Precedes);
        assert_eq!(mine.relation(&theirs), Relation::Diverged);
        let joined = mine.join(&theirs).bumped("a");
        assert_eq!(joined.relation(&mine), Relation::Descends);
        assert_eq!(joined.relation(&theirs), Relation::Descends);
        assert_eq!(joined.count(), 5);
        // A record from before revisions (empty) precedes any written one.
        assert_eq!(Rev::default().relation(&base), Relation::Precedes);
    }
}
