//! Not a benchmark: the vault generator `benches/compare.sh` uses. Fills an empty
//! vault made by `aspen init` with N generated entries (the same vaults the benches
//! use) and saves it the way aspen does, keeping the vault's KDF cost and salt.
//!
//! `cargo bench --bench gen_vault -- --vault PATH --passphrase-file PATH --entries N`
//!
//! Run by a plain `cargo bench` (no arguments), it does nothing.

// A tool run by hand from a script: a panic on a closed stderr would not matter.
#![allow(clippy::disallowed_macros)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use aspen::secret::SecretString;
use aspen::storage::VaultPaths;

mod common;

fn main() -> ExitCode {
    // `cargo bench` passes `--bench` to every bench target.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if args.is_empty() {
        eprintln!("gen_vault: a helper for benches/compare.sh; nothing to measure");
        return ExitCode::SUCCESS;
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_vault: {e}");
            ExitCode::from(2)
        }
    }
}

fn value<'a>(args: &'a [String], name: &str) -> Result<&'a str, String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
        .ok_or_else(|| format!("missing {name} VALUE"))
}

fn run(args: &[String]) -> Result<(), String> {
    let vault = PathBuf::from(value(args, "--vault")?);
    let pass_file = value(args, "--passphrase-file")?;
    let n: usize = value(args, "--entries")?
        .parse()
        .map_err(|e| format!("--entries: {e}"))?;
    let text = std::fs::read_to_string(pass_file).map_err(|e| format!("{pass_file}: {e}"))?;
    let passphrase = SecretString::from(text.lines().next().unwrap_or_default());
    let paths = VaultPaths::new(vault);
    let lock = paths
        .store()
        .lock(Duration::from_secs(2))
        .map_err(|e| e.to_string())?;
    let loaded = paths.store().open(&passphrase).map_err(|e| e.to_string())?;
    if !loaded.vault.entries.is_empty() {
        return Err("the vault is not empty".to_owned());
    }
    let generated = common::vault(n);
    paths
        .store()
        .save(&generated, &loaded.key, &loaded.fingerprint, &lock)
        .map_err(|e| e.to_string())?;
    eprintln!(
        "gen_vault: {} entries under {} Apple IDs in {}",
        generated.entries.len(),
        generated.accounts.len(),
        paths.vault().display()
    );
    Ok(())
}
