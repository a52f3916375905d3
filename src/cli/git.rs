//! A vault in a git repository: `aspen git-setup` registers a merge driver and a
//! textconv, so that `git pull` merges two clones' changes entry by entry and
//! `git diff` / `git log -p` show what changed (never a password).

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use clap::Args;

use super::Ctx;
use crate::error::{Error, Result};
use crate::model::{Vault, merge};
use crate::refusal::Refusal;
use crate::secret::SecretString;
use crate::storage::VaultPaths;
use crate::text::{escape_control, shown_path};
use crate::vault_file::{self, FormatError, VaultKey};

#[derive(Debug, Args)]
pub struct MergeDriverArgs {
    /// The common ancestor (git's %O)
    pub base: PathBuf,
    /// This side; the merged vault is written here (git's %A)
    pub ours: PathBuf,
    /// The other side (git's %B)
    pub theirs: PathBuf,
}

#[derive(Debug, Args)]
pub struct TextconvArgs {
    /// The vault file git hands over
    pub file: PathBuf,
}

fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let out = Process::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| Refusal::GitMissing {
            detail: e.to_string(),
        })?;
    if !out.status.success() {
        return Err(Refusal::GitFailed {
            command: args.join(" "),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        }
        .into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// `aspen git-setup`: run where the vault is inside a git repository.
pub fn setup(ctx: &Ctx) -> Result<i32> {
    let root = toplevel(&ctx.paths.dir()).ok_or_else(|| Refusal::NotInGitRepo {
        path: ctx.paths.vault().to_path_buf(),
    })?;
    let exe = std::env::current_exe().map_err(|e| Refusal::OwnPathUnknown {
        detail: e.to_string(),
    })?;
    let exe = crate::text::quoted_path(&exe);
    let attributes = root.join(".gitattributes");
    let line = "*.aspen merge=aspen diff=aspen";
    let wrote = add_attribute(&attributes, line)?;
    let settings = [
        ("merge.aspen.name", "aspen vault: merge entry by entry".to_owned()),
        ("merge.aspen.driver", format!("{exe} merge-driver %O %A %B")),
        ("diff.aspen.textconv", format!("{exe} textconv")),
    ];
    for (key, value) in &settings {
        git(&root, &["config", key, value])?;
    }
    let done = if wrote { "Wrote to" } else { "Already in" };
    crate::say!("{done} {}: {line}", shown_path(&attributes));
    crate::say!("Set in {}/.git/config:", shown_path(&root));
    for (key, value) in &settings {
        crate::say!("  {key} = {value}");
    }
    crate::say!(
        "Commit .gitattributes; each clone runs `aspen git-setup` once (git config is not shared). \
         The driver asks for the passphrase on the terminal, or reads ASPEN_PASSPHRASE_FILE."
    );
    Ok(0)
}

/// The top of the work tree holding `dir`, byte for byte (a path need not be
/// UTF-8); `None` outside a repository or when git cannot run.
fn toplevel(dir: &Path) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    let out = Process::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--show-toplevel"])
        .output()
        .ok()
        .filter(|out| out.status.success())?;
    let mut path = out.stdout;
    while path.last() == Some(&b'\n') {
        path.pop();
    }
    Some(PathBuf::from(std::ffi::OsString::from_vec(path)))
}

/// Adds `line` to the repository's `.gitattributes` unless it is there; true when
/// it wrote. The file is read like the vault's own (see
/// [`crate::storage::files::read_text_to_edit`]): a link, a FIFO, a huge or a
/// non-UTF-8 file is refused, not replaced. It is rewritten whole, atomically,
/// keeping its mode.
fn add_attribute(path: &Path, line: &str) -> Result<bool> {
    let (mut text, mode) = match crate::storage::files::read_text_to_edit(path, ".gitattributes")? {
        Some(found) => (found.text, found.mode),
        // Committed and read by everyone's git: not a secret.
        None => (String::new(), 0o644),
    };
    if text.lines().any(|l| l.trim() == line) {
        return Ok(false);
    }
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(line);
    text.push('\n');
    crate::storage::replace_file_with_mode(path, text.as_bytes(), mode)?;
    Ok(true)
}

/// Reads a file git hands over; an empty one (no ancestor) is `None`.
fn read(path: &Path) -> Result<Option<Vec<u8>>> {
    let bytes = crate::storage::files::read_regular(path, crate::storage::MAX_VAULT_BYTES, "vault")
        .map_err(|e| e.into_error("read", path))?;
    Ok((!bytes.is_empty()).then_some(bytes))
}

/// Opens `bytes` with `key` when it was saved under it, else derives its own key,
/// within the cost of `key` unless the user accepted more.
fn open_with(
    ctx: &Ctx,
    path: &Path,
    bytes: &[u8],
    key: &VaultKey,
    passphrase: &SecretString,
) -> Result<Vault> {
    let paths = VaultPaths::new(path.to_path_buf());
    match vault_file::decode_with_key(bytes, key) {
        Ok(v) => Ok(v),
        Err(FormatError::WrongPassphrase) => {
            if let Some(jump) = crate::app::copy_cost_jump(bytes, key).filter(|_| !ctx.accept_cost) {
                return Err(crate::app::costlier(path, jump));
            }
            paths.store().decode(bytes, passphrase).map(|(v, _)| v)
        }
        Err(e) => Err(paths.store().format_error(e)),
    }
}

/// Refuses a file git hands over whose header asks past what aspen derives without
/// consent for a file it has no record of (see [`crate::app::over_ceiling`]).
fn check_ceiling(ctx: &Ctx, path: &Path, bytes: &[u8]) -> Result<()> {
    match crate::app::over_ceiling(bytes).filter(|_| !ctx.accept_cost) {
        Some(jump) => Err(crate::app::costlier(path, jump)),
        None => Ok(()),
    }
}

/// `aspen merge-driver %O %A %B`: git's three versions; the result replaces %A.
/// Exits 1 when the merge left conflicts, so git stops and the user decides them in
/// the (openable) merged vault. A merge that brings nothing leaves %A as it is.
pub fn merge_driver(ctx: &Ctx, args: &MergeDriverArgs) -> Result<i32> {
    let ours_bytes = read(&args.ours)?.ok_or(Refusal::EmptyGitVersion)?;
    check_ceiling(ctx, &args.ours, &ours_bytes)?;
    let passphrase = ctx.passphrase_for("the vault git is merging")?;
    let ours_paths = VaultPaths::new(args.ours.clone());
    let (ours, key) = ours_paths.store().decode(&ours_bytes, &passphrase)?;
    let theirs = match read(&args.theirs)? {
        Some(bytes) => open_with(ctx, &args.theirs, &bytes, &key, &passphrase)?,
        None => return Ok(0),
    };
    let base = match read(&args.base)? {
        Some(bytes) => Some(open_with(ctx, &args.base, &bytes, &key, &passphrase)?),
        None => None,
    };
    let before = vault_file::duplicate(&ours);
    let (mut merged, report) = merge(base.as_ref(), ours, theirs);
    if merged != before {
        crate::app::stamp_for_save(&ctx.paths, &before, &mut merged, ctx.today)?;
        let bytes = vault_file::encode(&merged, &key).map_err(|e| Error::encode(&args.ours, e))?;
        crate::storage::replace_file(&args.ours, &bytes)?;
    }
    crate::say!("aspen: merged the vault: {}.", escape_control(&report.summary()));
    if report.conflicts.is_empty() {
        return Ok(0);
    }
    crate::say!(
        "aspen: the merged vault opens; decide its conflicts with `aspen conflicts` and `aspen resolve`, \
         then `git add` it and commit."
    );
    Ok(1)
}

/// `aspen textconv FILE`: the vault as text for `git diff`: labels, Apple IDs,
/// dates and statuses, never a password.
pub fn textconv(ctx: &Ctx, args: &TextconvArgs) -> Result<i32> {
    let Some(bytes) = read(&args.file)? else {
        return Ok(0);
    };
    check_ceiling(ctx, &args.file, &bytes)?;
    let passphrase = ctx.passphrase_for(&format!("{} (git diff)", shown_path(&args.file)))?;
    let (vault, _) = VaultPaths::new(args.file.clone())
        .store()
        .decode(&bytes, &passphrase)?;
    let mut lines: Vec<String> = vault
        .entries
        .iter()
        .map(|e| {
            format!(
                "{} | {} | created {} | {}{}{} | {}",
                escape_control(&e.apple_id),
                escape_control(&e.label),
                e.created,
                e.status.name(),
                match &e.status {
                    crate::model::Status::Revoked { on, .. } => format!(" on {on}"),
                    crate::model::Status::Active => String::new(),
                },
                if e.password_stored() {
                    ""
                } else {
                    ", password not stored"
                },
                escape_control(&e.apps.join(", "))
            )
        })
        .collect();
    lines.sort();
    for a in &vault.accounts {
        for r in &a.resets {
            lines.push(format!("{} | reset on {}", escape_control(&a.apple_id), r.date));
        }
    }
    let mut text = lines.join("\n");
    text.push('\n');
    super::out::print(&text)?;
    Ok(0)
}
