//! The only code that touches browser I/O: localStorage, the URL hash, timers on `window`,
//! file downloads, and navigator. Thin wrappers with typed errors; no business decisions.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

pub mod clock;
pub mod kv;
pub mod lock;
pub mod server;

#[cfg(target_arch = "wasm32")]
pub mod couch;
#[cfg(target_arch = "wasm32")]
pub mod download;
#[cfg(target_arch = "wasm32")]
pub mod file;
#[cfg(target_arch = "wasm32")]
pub mod guide;
#[cfg(target_arch = "wasm32")]
pub mod locks;
#[cfg(target_arch = "wasm32")]
pub mod nav;
#[cfg(target_arch = "wasm32")]
pub mod network;
#[cfg(target_arch = "wasm32")]
pub mod storage;
#[cfg(target_arch = "wasm32")]
pub mod sw;
#[cfg(target_arch = "wasm32")]
pub mod tabs;
