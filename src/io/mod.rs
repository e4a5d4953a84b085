//! The only code that touches browser I/O: localStorage, the URL hash, timers on `window`,
//! file downloads, and navigator. Thin wrappers with typed errors; no business decisions.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

pub mod download;
pub mod file;
pub mod nav;
pub mod network;
pub mod storage;
pub mod sw;
pub mod tabs;
