//! The application state: a signal-free core (`core` and the modules it uses: `session`,
//! `seat`, `records`, `roster`, `editor`, `route`, `sync_engine`, `sync_status`), compiled and
//! tested natively over the storage and clock traits, and a thin reactive shell for the browser
//! (`app`, `actions`, `autosave`, `tabs`, `store`, `data`, `sync`) that holds it in one value,
//! wakes the pages that watch what an action changed, and does what only a browser can.

pub mod actions;
pub mod core;
pub mod editor;
pub mod error;
pub mod host;
pub mod one_writer;
pub mod records;
pub mod rollup;
pub mod roster;
pub mod route;
pub mod seat;
pub mod session;
pub mod sync_engine;
pub mod sync_session;
pub mod sync_status;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
pub mod autosave;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod data;
#[cfg(target_arch = "wasm32")]
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod sync;
#[cfg(target_arch = "wasm32")]
pub mod tabs;

#[cfg(target_arch = "wasm32")]
pub use app::*;
pub use error::ActionError;
pub use records::Quarantined;
pub use route::Route;
