//! Commands on the vault as a whole: init, passwd, identity, export.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::{Ctx, out};
use crate::app::{self, NewVaultCost};
use crate::error::{Error, Result};
use crate::text::shown_path;
use crate::vault_file::{self, Cost, FLOOR, INSECURE};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Argon2id memory in MiB (at least 64)
    #[arg(long, value_name = "MIB")]
    pub kdf_memory: Option<u32>,
    /// Argon2id passes (at least 3)
    #[arg(long, value_name = "N")]
    pub kdf_time: Option<u32>,
    /// Argon2id lanes (at least 4)
    #[arg(long, value_name = "N")]
    pub kdf_parallelism: Option<u32>,
    /// Calibrate Argon2id to take about this many seconds [default: from config, 1]
    #[arg(long, value_name = "SECS", conflicts_with_all = ["kdf_memory", "kdf_time", "kdf_parallelism"])]
    pub unlock_time: Option<f64>,
    /// Allow a cost below RFC 9106's recommendation; without explicit values, use a
    /// trivially cheap one. For throwaway test vaults only.
    #[arg(long)]
    pub insecure_kdf: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// A standard age file (ASCII armor), readable with `age -d -i IDENTITY`
    Age,
    /// A spreadsheet: one row per entry, without passwords (formulas neutralised)
    Csv,
    /// JSON for scripts: one object per entry, without passwords
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write to this file (refuses to overwrite) [default: stdout]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With csv or json: add each password in clear; only to a new file (-o), made 0600
    #[arg(long, requires = "output")]
    pub with_passwords: bool,
}

#[derive(Debug, Args)]
pub struct PasswdArgs {
    /// Read the new passphrase from the first line of this file
    #[arg(long, value_name = "PATH")]
    pub new_passphrase_file: Option<PathBuf>,
}

/// The cost the options ask for, checked before any passphrase is typed: explicit
/// values, or the insecure test cost. `None` means "calibrate".
fn requested_cost(args: &InitArgs) -> Result<Option<Cost>> {
    let explicit = args.kdf_memory.is_some() || args.kdf_time.is_some() || args.kdf_parallelism.is_some();
    if !explicit {
        return Ok(args.insecure_kdf.then_some(INSECURE));
    }
    let cost = Cost {
        memory_kib: args
            .kdf_memory
            .unwrap_or(FLOOR.memory_kib / 1024)
            .saturating_mul(1024),
        passes: args.kdf_time.unwrap_or(FLOOR.passes),
        lanes: args.kdf_parallelism.unwrap_or(FLOOR.lanes),
    };
    if !cost.within_limits() {
        return Err(crate::refusal::Refusal::CostOutOfRange {
            cost: cost.describe(),
        }
        .into());
    }
    if !cost.meets_floor() && !args.insecure_kdf {
        return Err(Error::WeakKdf {
            cost: cost.describe(),
        });
    }
    Ok(Some(cost))
}

pub fn init(ctx: &Ctx, args: &InitArgs) -> Result<i32> {
    // Before any passphrase is typed: nothing at the path, no backup to put at risk.
    ctx.paths.store().check_free_for_new_vault()?;
    let requested = requested_cost(args)?;
    if let Some(t) = args.unlock_time
        && !(0.1..=60.0).contains(&t)
    {
        return Err(crate::refusal::Refusal::UnlockTimeOutOfRange.into());
    }
    let passphrase = ctx.new_passphrase(None)?;
    let cost = match requested {
        Some(cost) => NewVaultCost::Explicit(cost),
        None => {
            let target = args.unlock_time.unwrap_or(ctx.config.unlock_time_secs);
            crate::say!("Calibrating Argon2id to about {target:.1} s on this machine…");
            NewVaultCost::Calibrate(Duration::from_secs_f64(target))
        }
    };
    let created = app::create_vault(&ctx.paths, &passphrase, cost)?;
    if !created.cost.meets_floor() {
        crate::say!(
            "warning: insecure key derivation ({}); use this vault for tests only",
            created.cost.describe()
        );
    }
    crate::say!("Created {}.", shown_path(ctx.paths.vault()));
    crate::say!(
        "Argon2id: {}; unlocking takes {:.2} s here.",
        created.cost.describe(),
        created.unlock_took.as_secs_f64()
    );
    Ok(0)
}

pub fn identity(ctx: &Ctx) -> Result<i32> {
    let opened = ctx.open()?;
    crate::say!(
        "warning: this is the vault's secret key: anyone with it can read every password. Keep it offline."
    );
    out::secret_line(opened.key.identity_string().expose())?;
    Ok(0)
}

pub fn export(ctx: &Ctx, args: &ExportArgs) -> Result<i32> {
    match args.format {
        ExportFormat::Csv | ExportFormat::Json => return super::export::entries(ctx, args),
        ExportFormat::Age if args.with_passwords => {
            return Err(Error::BadInput {
                what: "--with-passwords".to_owned(),
                problem: "it is for csv and json; the age export holds the passwords already, \
                          encrypted"
                    .to_owned(),
            });
        }
        ExportFormat::Age => {}
    }
    // Unlock first: an export is only made of a vault the passphrase opens.
    let opened = ctx.open()?;
    let (_, payload) = vault_file::split(&opened.bytes).map_err(|e| ctx.paths.store().format_error(e))?;
    match &args.output {
        None => out::print_bytes(payload)?,
        Some(path) => {
            crate::app::export::write_new(path, payload)?;
            crate::say!(
                "Wrote {}. Decrypt it with `age -d -i IDENTITY_FILE`, where IDENTITY_FILE holds `aspen identity`.",
                shown_path(path)
            );
        }
    }
    Ok(0)
}

pub fn passwd(ctx: &Ctx, args: &PasswdArgs) -> Result<i32> {
    let new = || ctx.new_passphrase_only(args.new_passphrase_file.as_deref());
    app::change_passphrase(&ctx.paths, ctx.today, ctx.consent()?, || ctx.passphrase(), new)?;
    crate::say!("Changed the passphrase of {}.", shown_path(ctx.paths.vault()));
    crate::say!(
        "note: the backup {} still opens with the old passphrase, and later saves keep it \
         (as {}.N), since the new passphrase does not open it; delete those yourself if the \
         old passphrase leaked.",
        shown_path(&ctx.paths.backup()),
        shown_path(&ctx.paths.backup())
    );
    Ok(0)
}
