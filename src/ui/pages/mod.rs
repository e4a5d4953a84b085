//! Routed screens, one per file.

pub mod assessment_page;
pub mod compare_page;
pub mod conflict_page;
pub mod dashboard_page;
pub mod data_page;
pub mod editor_page;
pub mod framework_page;
pub mod gaps_page;
pub mod guide_page;
pub mod home_page;
pub mod import_page;
pub mod new_page;
pub mod report_page;
pub mod roster_page;
pub mod sync_page;
pub mod training_page;
