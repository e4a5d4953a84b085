//! Reactive application state (Leptos signals) and the actions that change it. Components read
//! signals and call the functions here; only `io` is called for storage, and only from here.

pub mod error;
pub mod records;
pub mod seat;
pub mod session;
pub mod sync_engine;

#[cfg(target_arch = "wasm32")]
pub mod actions;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
pub mod autosave;
#[cfg(target_arch = "wasm32")]
pub mod data;
#[cfg(target_arch = "wasm32")]
pub mod editor;
#[cfg(target_arch = "wasm32")]
pub mod roster;
pub mod route;
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
