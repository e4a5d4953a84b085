//! Leptos components and pages. They render state and call `state::actions`; they never touch
//! storage or the network themselves, and every string comes from `locales/` through `i18n`.

pub mod app;
pub mod chunks;
pub mod components;
pub mod i18n;
pub mod pages;

/// Mounts the app on `<body>`, once the saved language's strings are here (English comes from a
/// chunk of its own; Vietnamese is in the main module).
pub fn mount() {
    let lang = crate::state::browser::saved_lang();
    if i18n::loaded(lang) {
        mount_app();
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        i18n::load(lang).await;
        mount_app();
    });
}

/// Replaces index.html's static shell (`#boot`: the header and "Đang tải…") with the app, in
/// one task, so no frame shows both or neither.
fn mount_app() {
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
