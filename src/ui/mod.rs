//! Leptos components and pages. They render state and call `state::actions`; they never touch
//! storage or the network themselves, and every string comes from `locales/` through `i18n`.

pub mod app;
pub mod chunks;
pub mod components;
pub mod i18n;
pub mod pages;

/// Mounts the app on `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(app::App);
}
