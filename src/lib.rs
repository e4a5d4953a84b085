//! Tiêu chí: an offline-first web app with which field officers assess communes against the
//! national New Rural Development (Nông thôn mới) criteria. `domain` is pure and native-tested;
//! `io`, `state` and `ui` exist only in the browser build (see ARCHITECTURE.md).

pub mod domain;

#[cfg(target_arch = "wasm32")]
pub mod io;
#[cfg(target_arch = "wasm32")]
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod ui;
