//! Reusable widgets: verdict badges, the indicator input (one per kind), unverified flags.

pub mod charts;
pub mod file_picker;
pub mod framework_notes;
pub mod help;
pub mod indicator_input;
pub mod predecessors;
pub mod record_state;
pub mod verdict;
pub mod workflow_panel;
