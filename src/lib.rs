//! aspen: a terminal vault for Apple app-specific passwords.
//!
//! The core (model, vault file, storage, config) knows nothing of screens; the CLI in
//! `cli` and the binary are thin layers on top.

pub mod action;
pub mod app;
pub mod cli;
pub mod clipboard;
pub mod config;
pub mod error;
pub mod hardening;
pub mod import;
pub mod model;
pub mod qr;
pub mod refusal;
pub mod remedy;
pub mod secret;
pub mod storage;
pub mod text;
pub mod theme;
pub mod tui;
pub mod vault_file;
pub mod verify;

// What `say!` and `say_inline!` expand to; the binary uses them too.
#[doc(hidden)]
pub use cli::out::say_fmt as __say_fmt;
