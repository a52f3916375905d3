//! `aspen apple-id rename OLD NEW`, `forget ID` and `name ID NAME`: fixing an Apple
//! ID typed wrong, dropping one nothing uses any more, telling several apart.

use clap::{Args, Subcommand};

use super::Ctx;
use crate::error::Result;
use crate::model::{Change, normalise_apple_id};

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
    // What can be checked is checked before the passphrase is asked for.
    let change = match &args.command {
        AppleIdCommand::Rename { old, new } => {
            normalise_apple_id(new)?;
            Change::RenameAppleId {
                old: normalise_apple_id(old)?,
                new: new.clone(),
            }
        }
        AppleIdCommand::Forget { apple_id } => Change::ForgetAppleId(normalise_apple_id(apple_id)?),
        AppleIdCommand::Name { apple_id, name } => Change::NameAppleId {
            apple_id: normalise_apple_id(apple_id)?,
            name: crate::model::validate_name(name)?,
        },
    };
    let done = ctx.apply(|_| Ok(change), super::done::said)?;
    crate::say!("{done}");
    Ok(0)
}
