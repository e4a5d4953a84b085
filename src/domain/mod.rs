//! The pure core of Tiêu chí: frameworks, answers, scoring, assessments and the persisted
//! format. Knows nothing about the browser or Leptos, does no I/O, and never panics on user
//! data; everything here is tested natively with `cargo test`.

pub mod answer;
pub mod assessment;
pub mod backup;
pub mod compare;
pub mod csv;
pub mod dashboard;
pub mod date;
pub mod demo;
pub mod framework;
pub mod geography;
pub mod guide;
pub mod json_pos;
pub mod json_rows;
pub mod persist;
pub mod records;
pub mod report;
pub mod revision;
pub mod rollup;
pub mod roster;
pub mod roster_csv;
pub mod score;
pub mod signers;
pub mod sync;
pub mod text;
pub mod workflow;
pub mod xlsx;
