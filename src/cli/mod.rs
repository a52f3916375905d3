//! The `aspen` command line: one file per group of subcommands. Only this module
//! knows clap.

mod apple_ids;
mod audit;
mod copy;
mod ctx;
mod done;
mod entries;
mod export;
mod git;
mod hints;
mod import;
mod limit;
mod meta;
pub(crate) mod out;
mod prompt;
mod recovery;
mod report;
mod revoke;
mod setup;
mod sync;
mod table;
mod tui_cmd;
mod vault_cmds;
mod verify;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use jiff::civil::Date;

pub use ctx::Ctx;
pub use hints::hint;

use crate::error::Result;

#[derive(Debug, Parser)]
#[command(
    name = "aspen",
    version,
    about = "A terminal vault for Apple app-specific passwords",
    long_about = "aspen keeps your Apple app-specific passwords in an encrypted vault, shows each \
                  Apple ID's 25 slots, flags what needs regenerating, and turns an Apple ID \
                  password reset into a checklist."
)]
pub struct Cli {
    /// The vault file [default: $XDG_DATA_HOME/aspen/vault.aspen]
    #[arg(long, global = true, env = "ASPEN_VAULT", value_name = "PATH")]
    pub vault: Option<PathBuf>,
    /// The config file [default: $XDG_CONFIG_HOME/aspen/config.ron]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Read the passphrase from the first line of this file instead of the terminal
    #[arg(long, global = true, env = "ASPEN_PASSPHRASE_FILE", value_name = "PATH")]
    pub passphrase_file: Option<PathBuf>,
    /// Save over a vault older than a version of it this machine has seen
    #[arg(long, global = true)]
    pub accept_older: bool,
    /// Unlock a vault that asks for a key derivation far costlier than this machine ran for it
    #[arg(long, global = true)]
    pub accept_cost: bool,
    /// The TUI's theme (default, light, high-contrast, gruvbox, catppuccin-mocha, or your own)
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the terminal UI (what bare `aspen` does)
    Tui(tui_cmd::TuiArgs),
    /// Create a new vault (asks for a passphrase twice)
    Init(vault_cmds::InitArgs),
    /// Store a new app-specific password
    Add(entries::AddArgs),
    /// List entries (never shows passwords)
    List(report::ListArgs),
    /// Show one entry in full, without its password
    Show(entries::ShowArgs),
    /// What to type into the app besides the password: servers, ports, user names
    Setup(setup::SetupArgs),
    /// Print an entry's password alone on stdout, for piping
    Reveal(entries::RevealArgs),
    /// Copy an entry's password to the clipboard; cleared after a while if unchanged
    Copy(copy::CopyArgs),
    /// Change an entry's label, Apple ID, apps, notes or created date
    Edit(entries::EditArgs),
    /// Delete an entry for good
    Rm(entries::RmArgs),
    /// Record that a password was revoked at Apple
    Revoke(revoke::RevokeArgs),
    /// A revoked entry's apps no longer need a password (or, with --app, one app fewer)
    Retire(revoke::RetireArgs),
    /// Undo retire: the revoked entry's apps need a password again
    Unretire(Select),
    /// Record Apple's "Revoke All" for an Apple ID
    RevokeAll(revoke::RevokeAllArgs),
    /// Record an Apple ID password reset and print the checklist of apps to fix
    Reset(revoke::ResetArgs),
    /// Store the new password Apple generated for an existing label
    Regenerate(entries::RegenerateArgs),
    /// Rename an Apple ID typed wrong, forget one no entry uses, or name one
    AppleId(apple_ids::AppleIdArgs),
    /// Check aspen's list of an Apple ID against Apple's page, and record what differs
    Audit(audit::AuditArgs),
    /// Sign in to iCloud with stored passwords, as their apps do, to see whether Apple accepts them
    Verify(verify::VerifyArgs),
    /// Merge other copies of the vault (a sync tool's conflict copies, any aspen vault) into it
    Merge(sync::MergeArgs),
    /// Set up the git repository holding the vault to merge and diff it (merge driver, textconv)
    GitSetup,
    /// Internal: git's merge driver (`aspen git-setup` registers it)
    #[command(hide = true)]
    MergeDriver(git::MergeDriverArgs),
    /// Internal: the vault as text for `git diff`, never a password
    #[command(hide = true)]
    Textconv(git::TextconvArgs),
    /// List what merges left to decide (exit 1 if anything)
    Conflicts(sync::ConflictsArgs),
    /// Decide a conflict a merge left: keep this machine's value or the other's
    Resolve(sync::ResolveArgs),
    /// Per Apple ID: active, to regenerate and free of Apple's 25 slots
    Slots(report::SlotsArgs),
    /// Report what needs attention; exit 1 if anything does (for cron)
    Check(report::CheckArgs),
    /// Print the vault's age identity (AGE-SECRET-KEY-1…)
    Identity,
    /// Bring in the app-specific passwords of another tool's export (previewed first)
    Import(import::ImportArgs),
    /// Write the entries as CSV or JSON (without passwords), or the vault as an age file
    Export(vault_cmds::ExportArgs),
    /// Change the vault's passphrase
    Passwd(vault_cmds::PasswdArgs),
    /// Make, list or remove a recovery key: a key kept on paper that opens the vault without the passphrase
    RecoveryKey(recovery::RecoveryKeyArgs),
    /// Open the vault with a recovery key and give it a new passphrase
    Recover(recovery::RecoverArgs),
    /// Print shell completions
    Completions(meta::CompletionsArgs),
    /// Print the man page (roff)
    Man,
    /// Internal: serves a copied password until its deadline (started by `aspen copy`)
    #[command(name = crate::clipboard::HOLDER_SUBCOMMAND, hide = true)]
    ClipboardHolder(copy::HolderArgs),
}

/// Picks one entry by its label, and by Apple ID when the label is used under several.
#[derive(Debug, Args)]
pub struct Select {
    /// The entry's label, as typed at Apple
    pub label: String,
    /// The Apple ID, when the label exists under several
    #[arg(long, value_name = "ID")]
    pub apple_id: Option<String>,
}

/// Parses `YYYY-MM-DD` for clap, with a message that names the expected form.
pub fn parse_date(s: &str) -> std::result::Result<Date, String> {
    crate::model::parse_date(s)
}

/// Runs a parsed command line; returns the exit status.
pub fn run(cli: Cli) -> Result<i32> {
    let command = cli.command.unwrap_or(Command::Tui(tui_cmd::TuiArgs::default()));
    if let Command::Completions(args) = &command {
        meta::completions(args)?;
        return Ok(0);
    }
    if let Command::Man = &command {
        meta::man()?;
        return Ok(0);
    }
    // Needs no vault or config: it only serves what it is given on stdin.
    if let Command::ClipboardHolder(args) = &command {
        return Ok(copy::holder(args));
    }
    let mut ctx = Ctx::new(cli.vault, cli.config.as_deref(), cli.passphrase_file)?;
    ctx.accept_older = cli.accept_older;
    ctx.accept_cost = cli.accept_cost;
    // `check` reports them as findings, the TUI on its screen; git's helpers work on
    // the files git hands over, not on the vault.
    let about_vault = !matches!(
        command,
        Command::Check(_) | Command::Tui(_) | Command::MergeDriver(_) | Command::Textconv(_)
    );
    if about_vault {
        for warning in ctx.paths.store().permission_warnings() {
            crate::say!("warning: {}", crate::text::escape_control(&warning.to_string()));
        }
        if !matches!(command, Command::Merge(_) | Command::Init(_)) {
            sync::warn_about_copies(&ctx.paths);
        }
    }
    match command {
        Command::Tui(a) => tui_cmd::tui(ctx, cli.config.as_deref(), cli.theme, &a),
        Command::Init(a) => vault_cmds::init(&ctx, &a),
        Command::Add(a) => entries::add(&ctx, a),
        Command::List(a) => report::list(&ctx, &a),
        Command::Show(a) => entries::show(&ctx, &a),
        Command::Reveal(a) => entries::reveal(&ctx, &a),
        Command::Setup(a) => setup::setup(&ctx, &a),
        Command::Copy(a) => copy::copy(&ctx, &a),
        Command::Edit(a) => entries::edit(&ctx, a),
        Command::Rm(a) => entries::rm(&ctx, &a),
        Command::Revoke(a) => revoke::revoke(&ctx, &a),
        Command::Retire(a) => revoke::retire(&ctx, &a),
        Command::Unretire(a) => revoke::unretire(&ctx, &a),
        Command::RevokeAll(a) => revoke::revoke_all(&ctx, &a),
        Command::Reset(a) => revoke::reset(&ctx, &a),
        Command::Regenerate(a) => entries::regenerate(&ctx, &a),
        Command::AppleId(a) => apple_ids::apple_id(&ctx, &a),
        Command::Audit(a) => audit::audit(&ctx, &a),
        Command::Verify(a) => verify::verify(&ctx, &a),
        Command::Merge(a) => sync::merge(&ctx, &a),
        Command::Conflicts(a) => sync::conflicts(&ctx, &a),
        Command::GitSetup => git::setup(&ctx),
        Command::MergeDriver(a) => git::merge_driver(&ctx, &a),
        Command::Textconv(a) => git::textconv(&ctx, &a),
        Command::Resolve(a) => sync::resolve(&ctx, &a),
        Command::Slots(a) => report::slots(&ctx, &a),
        Command::Check(a) => report::check(&ctx, &a),
        Command::Identity => vault_cmds::identity(&ctx),
        Command::Import(a) => import::import(&ctx, &a),
        Command::Export(a) => vault_cmds::export(&ctx, &a),
        Command::Passwd(a) => vault_cmds::passwd(&ctx, &a),
        Command::RecoveryKey(a) => recovery::recovery_key(&ctx, &a),
        Command::Recover(a) => recovery::recover(&ctx, &a),
        Command::Completions(_) | Command::Man | Command::ClipboardHolder(_) => {
            unreachable!("handled above")
        }
    }
}
