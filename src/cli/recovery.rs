//! `aspen recovery-key add|list|remove` and `aspen recover`: a key kept on paper
//! that opens the vault when the passphrase is lost, and opening with it.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Subcommand};
use serde::Serialize;
use zeroize::Zeroizing;

use super::{Ctx, done, out, prompt};
use crate::app::{self, Consent, RecoverCost};
use crate::error::{Error, Result};
use crate::model::Change;
use crate::refusal::Refusal;
use crate::text::shown_path;
use crate::vault_file::RecoveryIdentity;

#[derive(Debug, Args)]
pub struct RecoveryKeyArgs {
    #[command(subcommand)]
    pub command: RecoveryKeyCommand,
}

#[derive(Debug, Subcommand)]
pub enum RecoveryKeyCommand {
    /// Make a recovery key, show it once (as text and as a QR code), and encrypt the
    /// vault to it too: it then opens the vault without the passphrase
    Add {
        /// Write the key to this new file (mode 0600) instead of showing it
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// List the recovery keys the vault is encrypted to
    List {
        #[arg(long)]
        json: bool,
    },
    /// Stop encrypting the vault to a recovery key; copies saved before still open with it
    Remove {
        /// The key's age1… recipient, or its number in `aspen recovery-key list`
        key: String,
    },
}

#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// The file holding the recovery key (AGE-SECRET-KEY-1…), as `recovery-key add
    /// --output` or age-keygen writes it, or the key alone typed back from paper
    #[arg(long, value_name = "FILE")]
    pub identity: PathBuf,
    /// Read the new passphrase from the first line of this file
    #[arg(long, value_name = "PATH")]
    pub new_passphrase_file: Option<PathBuf>,
    /// Derive the new passphrase's key at a trivially cheap cost: for test vaults only
    #[arg(long)]
    pub insecure_kdf: bool,
}

pub fn recovery_key(ctx: &Ctx, args: &RecoveryKeyArgs) -> Result<i32> {
    match &args.command {
        RecoveryKeyCommand::Add { output } => add(ctx, output.as_deref()),
        RecoveryKeyCommand::List { json } => list(ctx, *json),
        RecoveryKeyCommand::Remove { key } => remove(ctx, key),
    }
}

fn add(ctx: &Ctx, output: Option<&Path>) -> Result<i32> {
    // Before the passphrase is typed: where the key goes must be usable.
    match output {
        None if !(std::io::stdout().is_terminal() && std::io::stdin().is_terminal()) => {
            return Err(Refusal::RecoveryKeyNeedsTerminal.into());
        }
        Some(path) if std::fs::symlink_metadata(path).is_ok() => {
            return Err(Error::OutputExists {
                path: path.to_path_buf(),
            });
        }
        _ => {}
    }
    let key = app::new_recovery_key()?;
    let written = std::cell::Cell::new(false);
    let said = ctx.apply_asked(
        |_| {
            let kept = hand_over(&key, output, ctx)?;
            written.set(output.is_some());
            Ok(kept.then_some(()))
        },
        |_, ()| Ok((Change::AddRecoveryKey(key.listed(ctx.today)), ())),
        |vault, done, ()| done::said(vault, done),
    );
    let said = match (said, output) {
        (Err(e), Some(path)) if written.get() => {
            // The key in it opens nothing: the vault was not saved.
            let _ = std::fs::remove_file(path);
            return Err(e);
        }
        (said, _) => said?,
    };
    let Some(said) = said else {
        crate::say!("No recovery key was added; the key shown opens nothing.");
        return Ok(0);
    };
    crate::say!("{said}");
    crate::say!(
        "Keep it offline, away from the passphrase: whoever holds it can read every password and \
         save the vault. If it may have been seen, remove it (`aspen recovery-key remove`)."
    );
    Ok(0)
}

/// Gives the key to the user: into a new file, or shown once on the terminal, then
/// asked whether it was kept. `false`: it was not, and nothing is saved.
fn hand_over(key: &RecoveryIdentity, output: Option<&Path>, ctx: &Ctx) -> Result<bool> {
    let secret = key.secret();
    if let Some(path) = output {
        let mut text = Zeroizing::new(format!(
            "# aspen recovery key\n# created: {}\n# public key: {}\n",
            ctx.today,
            key.recipient()
        ));
        text.push_str(secret.expose());
        text.push('\n');
        crate::storage::write_new_file(path, text.as_bytes())?;
        crate::say!("Wrote the recovery key to {} (mode 0600).", shown_path(path));
        return Ok(true);
    }
    crate::say!(
        "Your recovery key, shown only this once. Write it down or photograph the code, and keep it \
         offline: it opens the vault without the passphrase."
    );
    out::print(&qr_code(secret.expose(), std::env::var_os("NO_COLOR").is_none()))?;
    out::secret_line(secret.expose())?;
    crate::say!("It stays in this terminal's scrollback until you clear it.");
    prompt::confirm("Have you kept the key? The vault is encrypted to it only if you have")
}

/// The key as a QR code ([`crate::qr::lines`]). In colour (black on white) it reads
/// on a dark or a light terminal alike; without colour the light modules are drawn,
/// for a dark terminal.
fn qr_code(secret: &str, colour: bool) -> Zeroizing<String> {
    let lines = crate::qr::lines(secret, colour);
    let mut out = Zeroizing::new(String::with_capacity(lines.iter().map(|l| l.len() + 16).sum()));
    for line in lines.iter() {
        if colour {
            out.push_str("\x1b[30;107m");
            out.push_str(line);
            out.push_str("\x1b[0m\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[derive(Serialize)]
struct KeyView<'a> {
    recipient: &'a str,
    added: String,
}

fn list(ctx: &Ctx, json: bool) -> Result<i32> {
    let opened = ctx.open()?;
    let keys = &opened.vault.recovery;
    if json {
        let views: Vec<KeyView> = keys
            .iter()
            .map(|k| KeyView {
                recipient: &k.recipient,
                added: k.added.to_string(),
            })
            .collect();
        out::json(&views)?;
        return Ok(0);
    }
    if keys.is_empty() {
        crate::say!(
            "No recovery key: only the passphrase opens the vault. `aspen recovery-key add` makes one."
        );
        return Ok(0);
    }
    let mut text = String::new();
    for (n, k) in keys.iter().enumerate() {
        text.push_str(&format!("{}  {}  added {}\n", n + 1, k.recipient, k.added));
    }
    out::print(&text)?;
    Ok(0)
}

fn remove(ctx: &Ctx, which: &str) -> Result<i32> {
    let said = ctx.apply(|_| Ok(Change::RemoveRecoveryKey(which.to_owned())), done::said)?;
    crate::say!("{said}");
    crate::say!(
        "note: the backup {} and any copy saved before (your own backups, a sync service's \
         history) still open with it; the backup is replaced by the next save. If the key was \
         seen, change the passwords it could reach.",
        shown_path(&ctx.paths.backup())
    );
    Ok(0)
}

pub fn recover(ctx: &Ctx, args: &RecoverArgs) -> Result<i32> {
    // Read before anything is asked: a missing or refused file says so at once.
    let key = app::read_recovery_key(&args.identity)?;
    let cost = if args.insecure_kdf {
        RecoverCost::Insecure
    } else {
        RecoverCost::KeepOrCalibrate(Duration::from_secs_f64(ctx.config.unlock_time_secs))
    };
    // The header's key derivation is never run, so its cost needs no consent.
    let consent = Consent {
        older: ctx.accept_older,
        ..Consent::default()
    };
    let new = || ctx.new_passphrase_only(args.new_passphrase_file.as_deref());
    let done = app::recover(&ctx.paths, ctx.today, consent, &key, new, cost)?;
    let vault = shown_path(ctx.paths.vault());
    crate::say!("Recovered {vault}: it opens with the new passphrase now, and no longer with the old one.");
    if !done.cost.meets_floor() {
        crate::say!(
            "warning: insecure key derivation ({}); use this vault for tests only",
            done.cost.describe()
        );
    }
    crate::say!(
        "note: the backup {} still opens with the old passphrase; later saves keep it (as .bak.N). \
         Delete it yourself if the old passphrase may be known to someone else.",
        shown_path(&ctx.paths.backup())
    );
    if done.own_key {
        crate::say!("The key given was the vault's passphrase key: it no longer opens the vault.");
    }
    if !done.keys.is_empty() {
        crate::say!("These recovery keys still open the vault; remove any you do not know:");
        for (n, k) in done.keys.iter().enumerate() {
            crate::say!("  {}  {}  added {}", n + 1, k.recipient, k.added);
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each line of the code, in black on bright white when in colour.
    #[test]
    fn the_qr_code_is_the_shared_drawing_in_colour_or_not() {
        let secret = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";
        let plain = crate::qr::lines(secret, false);
        assert_eq!(qr_code(secret, false).as_str(), format!("{}\n", plain.join("\n")));
        let dark = crate::qr::lines(secret, true);
        let coloured = qr_code(secret, true);
        let lines: Vec<&str> = coloured.lines().collect();
        assert_eq!(lines.len(), dark.len());
        for (shown, line) in lines.iter().zip(dark.iter()) {
            assert_eq!(*shown, format!("\x1b[30;107m{line}\x1b[0m"));
        }
    }
}
