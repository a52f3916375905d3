//! A vault kept on several machines: `aspen merge FILE…` (a sync tool's conflict
//! copy, or any other aspen vault), `aspen conflicts` and `aspen resolve`, and the
//! warning about conflict copies every command prints.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::{Ctx, Select, out, prompt};
use crate::error::{Error, Result};
use crate::model::Keep;
use crate::storage::{ConflictCopy, VaultPaths};
use crate::text::{escape_control, quoted_path, shown_path};

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The other vaults: conflict copies a sync tool left, or any aspen vault
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Read the other files' passphrase from this file when the vault's does not open them
    #[arg(long, value_name = "PATH")]
    pub other_passphrase_file: Option<PathBuf>,
    /// Merge a file although it is a copy of another vault (its vault id differs)
    #[arg(long)]
    pub other_vault: bool,
}

#[derive(Debug, Args)]
pub struct ConflictsArgs {
    /// Print JSON for scripts
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Side {
    /// The value the entry shows
    Ours,
    /// The value the merge set aside
    Theirs,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    #[command(flatten)]
    pub select: Select,
    /// Which value to keep
    #[arg(long, value_enum)]
    pub keep: Side,
}

/// One line per conflict copy, for every command's stderr.
pub fn warn_about_copies(paths: &VaultPaths) {
    for copy in paths.store().conflict_copies() {
        crate::say!("warning: {}", copy_warning(&copy));
    }
}

/// What every command and `check` say about a conflict copy. The name is a sync
/// tool's, and partly anyone's (Dropbox puts the other machine owner's name in it):
/// it is shown escaped, and the suggested command quotes it so that pasting it
/// names that very file (see [`quoted_path`]).
pub fn copy_warning(copy: &ConflictCopy) -> String {
    let mut line = format!(
        "{} left a conflicting copy of the vault: {}; `aspen merge {}` merges it in",
        copy.tool.name(),
        shown_path(&copy.path),
        quoted_path(&copy.path)
    );
    if copy.path.to_str().is_none_or(crate::text::has_hidden) {
        line.push_str(
            " (its path holds control or invisible characters, or bytes that are not UTF-8: shown \
             escaped, and written as $'\\ooo' in the command, which bash and zsh read; check who made \
             this copy)",
        );
    }
    line
}

pub fn merge(ctx: &Ctx, args: &MergeArgs) -> Result<i32> {
    let vault = std::fs::canonicalize(ctx.paths.vault()).unwrap_or_else(|_| ctx.paths.vault().to_path_buf());
    let copies = ctx.paths.store().conflict_copies();
    let is_copy = |file: &PathBuf| {
        let file = std::fs::canonicalize(file).ok();
        copies
            .iter()
            .any(|c| file.is_some() && std::fs::canonicalize(&c.path).ok() == file)
    };
    // A copy is moved aside after its merge is saved: where it goes is checked
    // first, before any passphrase is asked, so a refusal leaves everything as it was.
    if args.files.iter().any(is_copy) {
        ctx.paths.store().check_merged_dir()?;
    }
    let passphrase = ctx.passphrase()?;
    let mut conflicts = 0;
    for file in &args.files {
        if std::fs::canonicalize(file).is_ok_and(|f| f == vault) {
            return Err(crate::refusal::Refusal::MergeWithItself { path: file.clone() }.into());
        }
        let other = || match &args.other_passphrase_file {
            Some(path) => prompt::first_line_of(path, "passphrase"),
            None => prompt::hidden(&format!("Passphrase for {}: ", shown_path(file)), "passphrase"),
        };
        let merged = merge_one(ctx, args, &passphrase, other, file)?;
        conflicts += merged.report.conflicts.len();
        if merged.written {
            crate::say!(
                "Merged {}: {}.",
                shown_path(file),
                escape_control(&merged.report.summary())
            );
        } else {
            crate::say!("Nothing new in {}: the vault was not written.", shown_path(file));
        }
        for key in &merged.new_recovery_keys {
            crate::say!(
                "note: the merged copy listed the recovery key {key}: the vault opens with it too \
                 now. If it is not yours, `aspen recovery-key remove {key}`."
            );
        }
        if is_copy(file) {
            let moved = ctx.paths.store().set_aside(file)?;
            crate::say!("Moved the merged copy to {}.", shown_path(&moved));
        }
    }
    if conflicts > 0 {
        crate::say!(
            "`aspen conflicts` lists what to decide; `aspen resolve LABEL --keep ours|theirs` decides it."
        );
    }
    Ok(0)
}

/// One file merged in. A copy asking for a far costlier key derivation than this
/// vault is confirmed on a terminal first (or with --accept-cost).
fn merge_one(
    ctx: &Ctx,
    args: &MergeArgs,
    passphrase: &crate::secret::SecretString,
    other: impl Fn() -> Result<crate::secret::SecretString>,
    file: &std::path::Path,
) -> Result<crate::app::Merged> {
    let mut consent = ctx.consent()?;
    consent.other_vault = args.other_vault;
    match crate::app::merge_from(&ctx.paths, ctx.today, consent, passphrase, &other, file) {
        Err(Error::CostlierKdf { path, detail })
            if path == file && std::io::IsTerminal::is_terminal(&std::io::stdin()) =>
        {
            let asked = format!(
                "Warning: {} asks for {detail}. A planted or damaged copy can do this. Derive anyway?",
                shown_path(file)
            );
            if !prompt::confirm(&asked)? {
                return Err(Error::CostlierKdf { path, detail });
            }
            consent.costlier = true;
            crate::app::merge_from(&ctx.paths, ctx.today, consent, passphrase, &other, file)
        }
        done => done,
    }
}

#[derive(Serialize)]
struct ConflictView {
    label: String,
    apple_id: String,
    conflicts: Vec<String>,
}

pub fn conflicts(ctx: &Ctx, args: &ConflictsArgs) -> Result<i32> {
    let opened = ctx.open()?;
    let views: Vec<ConflictView> = opened
        .vault
        .conflicted()
        .map(|e| ConflictView {
            label: e.label.clone(),
            apple_id: e.apple_id.clone(),
            conflicts: e.conflicts.iter().map(|c| c.describe()).collect(),
        })
        .collect();
    let status = i32::from(!views.is_empty());
    let printed = if args.json {
        out::json(&views)
    } else if views.is_empty() {
        crate::say!("No conflicts: every merge so far decided everything.");
        Ok(())
    } else {
        let mut text = String::new();
        for v in &views {
            text.push_str(&format!(
                "\"{}\" ({})\n",
                escape_control(&v.label),
                escape_control(&v.apple_id)
            ));
            for c in &v.conflicts {
                text.push_str(&format!("  {}\n", escape_control(c)));
            }
        }
        text.push_str(
            "Keep what the entry shows with `aspen resolve LABEL --keep ours`, the merged copy's \
             with `--keep theirs`; `aspen reveal LABEL --other` prints a password set aside.\n",
        );
        out::print(&text)
    };
    match printed {
        // The status is the answer, as for `check`: a reader that stopped early
        // does not change it.
        Ok(()) | Err(Error::OutputClosed) => Ok(status),
        Err(e) => Err(e),
    }
}

pub fn resolve(ctx: &Ctx, args: &ResolveArgs) -> Result<i32> {
    let keep = match args.keep {
        Side::Ours => Keep::Ours,
        Side::Theirs => Keep::Theirs,
    };
    let select = &args.select;
    let done = ctx.apply(
        |vault| {
            let id = vault.find(&select.label, select.apple_id.as_deref())?.id.clone();
            Ok(crate::model::Change::Resolve { id, keep })
        },
        super::done::said,
    )?;
    crate::say!("{done}");
    Ok(0)
}
