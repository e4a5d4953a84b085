//! Criteria frameworks: the JSON wire format (`doc`), the validated model (`model`), the loader
//! that turns one into the other with located issues (`load`), and the bundled national sets.

pub mod bundled;
pub mod current;
pub mod diff;
pub mod doc;
pub mod edit;
pub mod load;
pub mod model;
pub mod outline;
pub mod template;

pub use load::{
    load_bytes, load_str, load_str_accepted, load_trusted, IssueKind, LoadIssue, Loaded, Severity,
};
pub use model::{
    Comparator, Condition, Criterion, Framework, Indicator, Kind, Part, Plausible, Provenance, Rule,
};
