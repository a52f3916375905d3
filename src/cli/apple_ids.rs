//! `aspen apple-id rename OLD NEW`, `forget ID` and `name ID NAME`: fixing an Apple
//! ID typed wrong, dropping one nothing uses any more, telling several apart.

use clap::{Args, Subcommand};

use super::Ctx;
use crate::error::Result;
use crate::model::normalise_apple_id;

#[derive(Debug, Args)]
pub struct AppleIdArgs {
    #[command(subcommand)]
    pub command: AppleIdCommand,
}

#[derive(Debug, Subcommand)]
pub enum AppleIdCommand {
    /// Rename an Apple ID (fix a typo); its entries and resets move with it, and
    /// into an Apple ID already in the vault when NEW is one
    Rename {
        /// The Apple ID as the vault has it now
        old: String,
        /// The Apple ID as it should be
        new: String,
    },
    /// Remove an Apple ID that no entry uses any more
    Forget {
        /// The Apple ID to remove
        apple_id: String,
    },
    /// Give an Apple ID a name shown beside it ("me", "family", "work"; "" removes it)
    Name {
        /// The Apple ID
        apple_id: String,
        /// The name
        name: String,
    },
}

pub fn apple_id(ctx: &Ctx, args: &AppleIdArgs) -> Result<i32> {
    let today = ctx.today;
    let done = match &args.command {
        AppleIdCommand::Rename { old, new } => {
            // Checked before the passphrase is asked for.
            let target = normalise_apple_id(new)?;
            let moved = ctx.modify(|vault| Ok(vault.rename_apple_id(old, new, today)?))?;
            format!(
                "Renamed {} to {target}; {moved} entr{} moved.",
                normalise_apple_id(old)?,
                if moved == 1 { "y" } else { "ies" }
            )
        }
        AppleIdCommand::Forget { apple_id } => {
            let apple_id = normalise_apple_id(apple_id)?;
            ctx.modify(|vault| Ok(vault.forget_apple_id(&apple_id)?))?;
            format!("Forgot {apple_id}.")
        }
        AppleIdCommand::Name { apple_id, name } => {
            let apple_id = normalise_apple_id(apple_id)?;
            let name = crate::model::validate_name(name)?;
            ctx.modify(|vault| Ok(vault.name_apple_id(&apple_id, &name)?))?;
            if name.is_empty() {
                format!("{apple_id} has no name now.")
            } else {
                format!(
                    "{apple_id} is now shown as \"{}\".",
                    crate::text::escape_control(&name)
                )
            }
        }
    };
    crate::say!("{done}");
    Ok(0)
}
