//! aspen's integration tests, one binary: each module below was its own test crate,
//! and each linked all of aspen; now aspen is linked once. `cargo test --test it
//! MODULE::` runs one module (`cargo test --test it torture_crash::`).
//!
//! Tests that drive real system tools (tmux, Xvfb, sway, age) start their own
//! instance on a private socket or display, so they run side by side.
#![allow(clippy::unwrap_used, clippy::disallowed_methods, clippy::disallowed_macros)]

// Shared helpers.
mod clipboard;
mod common;
mod harness;

mod age_interop;
mod apple_count;
mod apple_ids_joined;
mod apple_oracle;
mod audit_by_day;
mod census_cli;
mod census_tui;
mod cli_audit_tty;
mod cli_errors;
mod cli_export;
mod cli_import;
mod cli_notary;
mod cli_stories;
mod cli_truth;
mod cli_year;
mod clipboard_osc52;
mod clipboard_wayland;
mod clipboard_x11;
mod fit_props;
mod format_vector;
mod format_vector_v3;
mod hostile_folder;
mod icloud_mail;
mod layers;
mod merge_accounts;
mod merge_rules;
mod merge_safety;
mod model_rules;
mod old_data;
mod overlap;
mod overlap_repros;
mod parser_props;
mod planted;
mod recovery;
mod revert_rules;
mod review_day;
mod rollback;
mod ron_subset;
mod secret_hygiene;
mod storage;
mod sync;
mod sync_forks;
mod sync_sim;
mod torture_crash;
mod torture_damage;
mod torture_disk;
mod tui_snapshots;
mod tui_tmux;
mod tui_update;
mod vault_file;
mod verify;
mod verify_servers;
