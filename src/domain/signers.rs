//! Who has signed on this device, by their part in the procedure: offered again in one tap at
//! the next step of that part, so an officer types a name and title once, not at every step.

use serde::{Deserialize, Serialize};

use crate::domain::assessment::Person;
use crate::domain::text::fold;
use crate::domain::workflow::Role;

/// At most this many people are remembered for each part (the most recent first).
pub const PER_ROLE: usize = 5;

/// One remembered signer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnownSigner {
    pub role: Role,
    pub person: Person,
}

/// The signers remembered on this device (stored with its settings; never synced).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KnownSigners(pub Vec<KnownSigner>);

impl KnownSigners {
    /// Remembers that `person` signed as `role`: first in that part's list (once, however the
    /// name is written: "trần thị  B" is "Trần Thị B"), the oldest beyond `PER_ROLE` forgotten.
    /// Returns whether anything changed. A person without a name is not remembered.
    pub fn remember(&mut self, role: Role, person: &Person) -> bool {
        if person.name.trim().is_empty() {
            return false;
        }
        let key = (fold(&person.name), fold(&person.title));
        let same = |k: &KnownSigner| k.role == role && (fold(&k.person.name), fold(&k.person.title)) == key;
        if self.0.iter().find(|k| k.role == role).is_some_and(|k| same(k) && k.person == *person) {
            return false;
        }
        self.0.retain(|k| !same(k));
        self.0.insert(0, KnownSigner { role, person: person.clone() });
        let mut kept = 0;
        self.0.retain(|k| {
            if k.role != role {
                return true;
            }
            kept += 1;
            kept <= PER_ROLE
        });
        true
    }

    /// Forgets `person` for `role` (a name typed wrong, someone who left).
    pub fn forget(&mut self, role: Role, person: &Person) -> bool {
        let before = self.0.len();
        self.0.retain(|k| !(k.role == role && k.person == *person));
        self.0.len() != before
    }

    /// The people remembered for `role`, the most recent first.
    pub fn for_role(&self, role: Role) -> impl Iterator<Item = &Person> {
        self.0.iter().filter(move |k| k.role == role).map(|k| &k.person)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, title: &str) -> Person {
        Person { name: name.into(), title: title.into() }
    }

    #[test]
    fn the_most_recent_first_once_each_at_most_five_per_part() {
        let mut k = KnownSigners::default();
        assert!(k.remember(Role::Commune, &p("Trần Thị B", "Công chức")));
        assert!(k.remember(Role::Reviewer, &p("Lê Văn C", "Chuyên viên Sở")));
        assert!(k.remember(Role::Commune, &p("Võ Văn D", "Phó Chủ tịch UBND xã")));
        // The same person written another way moves first, written as now.
        assert!(k.remember(Role::Commune, &p("trần thị  B", "công chức")));
        let names: Vec<&str> = k.for_role(Role::Commune).map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["trần thị  B", "Võ Văn D"]);
        assert!(!k.remember(Role::Commune, &p("trần thị  B", "công chức")), "nothing changed");
        assert!(!k.remember(Role::Commune, &p("  ", "x")), "no name, not remembered");
        for i in 0..7 {
            k.remember(Role::Appraiser, &p(&format!("Người {i}"), "Sở"));
        }
        let appraisers: Vec<&str> = k.for_role(Role::Appraiser).map(|p| p.name.as_str()).collect();
        assert_eq!(appraisers, ["Người 6", "Người 5", "Người 4", "Người 3", "Người 2"]);
        // Other parts are untouched by a full one.
        assert_eq!(k.for_role(Role::Reviewer).count(), 1);
        assert!(k.forget(Role::Reviewer, &p("Lê Văn C", "Chuyên viên Sở")));
        assert_eq!(k.for_role(Role::Reviewer).count(), 0);
        // Stored as a plain list.
        let text = serde_json::to_string(&k).expect("json");
        assert!(text.starts_with(r#"[{"role":"appraiser","person":{"name":"Người 6""#), "{text}");
        assert_eq!(serde_json::from_str::<KnownSigners>(&text).expect("read"), k);
    }
}
