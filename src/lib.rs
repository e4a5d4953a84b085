//! Tiêu chí: an offline-first web app with which field officers assess communes against the
//! national New Rural Development (Nông thôn mới) criteria. `domain` is pure and native-tested;
//! `ui` and most of `io` and `state` exist only in the browser build (the record store,
//! `state::records` over `io::kv`, is tested natively too) (see ARCHITECTURE.md).

pub mod domain;

pub mod io;
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod ui;
