//! Recording what happened at Apple: revoke, revoke-all, and an Apple ID reset.

use clap::Args;
use jiff::civil::Date;

use super::{Ctx, Select, done, out, parse_date};
use crate::error::Result;
use crate::model::{Change, EntryId, ResetKind, Vault};

#[derive(Debug, Args)]
pub struct RevokeArgs {
    #[command(flatten)]
    pub select: Select,
    /// When it was revoked [default: today]
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub date: Option<Date>,
    /// Its apps still need a password: mark it to be regenerated
    #[arg(long, conflicts_with = "undo")]
    pub replace: bool,
    /// Withdraw a revoke recorded by mistake: the entry is active again
    #[arg(long, conflicts_with = "date")]
    pub undo: bool,
    /// The old password a regeneration left active at Apple was revoked there: it
    /// takes no slot any more (the entry's current password stays active)
    #[arg(long, conflicts_with_all = ["undo", "replace", "date"])]
    pub old: bool,
}

#[derive(Debug, Args)]
pub struct RevokeAllArgs {
    /// The Apple ID whose passwords were all revoked at Apple
    #[arg(long, value_name = "ID")]
    pub apple_id: String,
    /// The day they were revoked [default: today; with --undo, the latest]
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub date: Option<Date>,
    /// Withdraw a Revoke All recorded by mistake (the one on --date, or the latest)
    #[arg(long)]
    pub undo: bool,
}

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// The Apple ID whose password was changed or reset
    #[arg(long, value_name = "ID")]
    pub apple_id: String,
    /// The day of the reset [default: today; with --undo, the latest]
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub date: Option<Date>,
    /// Withdraw a reset recorded by mistake (the one on --date, or the latest)
    #[arg(long)]
    pub undo: bool,
}

#[derive(Debug, Args)]
pub struct RetireArgs {
    #[command(flatten)]
    pub select: Select,
    /// Only this app stopped using it; the entry's other apps keep it
    #[arg(long, value_name = "APP")]
    pub app: Option<String>,
}

/// The entry `select` names, as it is in `vault`.
fn find(vault: &Vault, select: &Select) -> Result<EntryId> {
    Ok(vault.find(&select.label, select.apple_id.as_deref())?.id.clone())
}

fn say(text: &str) -> Result<i32> {
    crate::say!("{text}");
    Ok(0)
}

/// `aspen retire`: no app (or one app fewer) needs the password any more.
pub fn retire(ctx: &Ctx, args: &RetireArgs) -> Result<i32> {
    let app = args.app.clone();
    say(&ctx.apply(
        |vault| {
            Ok(Change::Retire {
                id: find(vault, &args.select)?,
                app,
            })
        },
        done::said,
    )?)
}

/// `aspen unretire`: the revoked entry's apps need a password again after all.
pub fn unretire(ctx: &Ctx, select: &Select) -> Result<i32> {
    say(&ctx.apply(|vault| Ok(Change::Unretire(find(vault, select)?)), done::said)?)
}

pub fn revoke(ctx: &Ctx, args: &RevokeArgs) -> Result<i32> {
    if args.old {
        return say(&ctx.apply(
            |vault| Ok(Change::RevokeOld(find(vault, &args.select)?)),
            done::said,
        )?);
    }
    if args.undo {
        return say(&ctx.apply(
            |vault| Ok(Change::WithdrawRevoke(find(vault, &args.select)?)),
            done::said,
        )?);
    }
    let on = args.date.unwrap_or(ctx.today);
    let still_needed = args.replace;
    say(&ctx.apply(
        |vault| {
            let id = find(vault, &args.select)?;
            Ok(Change::Revoke { id, on, still_needed })
        },
        done::said,
    )?)
}

/// A password reset or Revoke All of `apple_id`, recorded or withdrawn (`--undo`);
/// the checklist is printed only once the change is saved.
fn record_or_withdraw(
    ctx: &Ctx,
    kind: ResetKind,
    apple_id: &str,
    date: Option<Date>,
    undo: bool,
) -> Result<i32> {
    let apple_id = apple_id.to_owned();
    let change = match undo {
        true => Change::Withdraw {
            kind,
            apple_id,
            on: date,
        },
        false => Change::Record {
            kind,
            apple_id,
            on: date.unwrap_or(ctx.today),
        },
    };
    let text = ctx.apply(|_| Ok(change), done::said)?;
    match undo {
        true => say(&text),
        false => {
            out::print(&text)?;
            Ok(0)
        }
    }
}

pub fn revoke_all(ctx: &Ctx, args: &RevokeAllArgs) -> Result<i32> {
    record_or_withdraw(ctx, ResetKind::RevokeAll, &args.apple_id, args.date, args.undo)
}

pub fn reset(ctx: &Ctx, args: &ResetArgs) -> Result<i32> {
    record_or_withdraw(
        ctx,
        ResetKind::PasswordReset,
        &args.apple_id,
        args.date,
        args.undo,
    )
}
