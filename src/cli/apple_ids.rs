//! `aspen apple-id rename OLD NEW`, `forget ID`, `name ID NAME` and `mail ID ADDRESS`:
//! fixing an Apple ID typed wrong, dropping one nothing uses any more, telling several
//! apart, recording the iCloud Mail address its mail apps sign in with.

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
    /// Record the iCloud Mail address of an Apple ID that is not one itself: the
    /// mail user name `aspen setup` shows and `aspen verify` signs in over IMAP with
    Mail {
        /// The Apple ID
        apple_id: String,
        /// Its iCloud Mail address (@icloud.com, @me.com or @mac.com; "" removes it)
        #[arg(required_unless_present = "clear", conflicts_with = "clear")]
        address: Option<String>,
        /// Remove the address recorded
        #[arg(long)]
        clear: bool,
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
        AppleIdCommand::Mail {
            apple_id, address, ..
        } => mail_change(apple_id, address.as_deref())?,
    };
    let done = ctx.apply(|_| Ok(change), super::done::said)?;
    crate::say!("{done}");
    Ok(0)
}

/// `apple-id mail`'s change, checked as far as it can be without the vault.
fn mail_change(apple_id: &str, address: Option<&str>) -> Result<Change> {
    let apple_id = normalise_apple_id(apple_id)?;
    let mail = crate::model::validate_icloud_mail(address.unwrap_or_default())?;
    if !mail.is_empty() && crate::model::icloud_mail_address(&apple_id).is_some() {
        return Err(crate::model::ModelError::OwnIcloudMail { apple_id }.into());
    }
    Ok(Change::SetMail { apple_id, mail })
}
