//! Recording what happened at Apple: revoke, revoke-all, and an Apple ID reset.

use clap::Args;
use jiff::civil::Date;

use super::{Ctx, Select, out, parse_date};
use crate::error::Result;
use crate::model::{EntryId, Vault};
use crate::text::escape_control;

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

/// `aspen retire`: no app (or one app fewer) needs the password any more.
pub fn retire(ctx: &Ctx, args: &RetireArgs) -> Result<i32> {
    let today = ctx.today;
    let done = ctx.modify(|vault| {
        let id = vault.find(&args.select.label, args.select.apple_id.as_deref())?;
        let retired_whole = match &args.app {
            Some(app) => {
                vault.retire_app(&id, app, today)?;
                vault
                    .entry(&id)
                    .is_some_and(|e| !e.is_active() && !e.needs_replacement())
            }
            None => {
                vault.retire(&id, today)?;
                true
            }
        };
        let e = vault.entry(&id).expect("still there");
        Ok(match (&args.app, retired_whole) {
            (Some(app), false) => format!(
                "\"{}\" no longer counts \"{}\" among its apps; still used by: {}.",
                escape_control(&e.label),
                escape_control(app.trim()),
                escape_control(&e.apps.join(", "))
            ),
            _ => format!(
                "Retired \"{}\": no app waits for a new password. `aspen unretire` undoes it.",
                escape_control(&e.label)
            ),
        })
    })?;
    crate::say!("{done}");
    Ok(0)
}

/// `aspen unretire`: the revoked entry's apps need a password again after all.
pub fn unretire(ctx: &Ctx, select: &Select) -> Result<i32> {
    let today = ctx.today;
    let done = ctx.modify(|vault| {
        let id = vault.find(&select.label, select.apple_id.as_deref())?;
        vault.unretire(&id, today)?;
        let e = vault.entry(&id).expect("still there");
        Ok(format!(
            "\"{}\" waits to be regenerated again for: {}.",
            escape_control(&e.label),
            escape_control(&e.apps.join(", "))
        ))
    })?;
    crate::say!("{done}");
    Ok(0)
}

pub fn revoke(ctx: &Ctx, args: &RevokeArgs) -> Result<i32> {
    if args.undo {
        return super::undo::revoke(ctx, &args.select);
    }
    let today = ctx.today;
    let on = args.date.unwrap_or(today);
    let done = ctx.modify(|vault| {
        let id = vault.find(&args.select.label, args.select.apple_id.as_deref())?;
        vault.revoke(&id, on, args.replace, today)?;
        let e = vault.entry(&id).expect("still there");
        Ok(if args.replace {
            format!(
                "Revoked \"{}\"; it now waits to be regenerated for: {}.",
                escape_control(&e.label),
                escape_control(&e.apps.join(", "))
            )
        } else {
            format!(
                "Revoked \"{}\"; its apps are marked retired.",
                escape_control(&e.label)
            )
        })
    })?;
    crate::say!("{done}");
    Ok(0)
}

/// What to do next and the checklist of entries to regenerate, one line each.
fn checklist(vault: &Vault, ids: &[EntryId]) -> String {
    use std::fmt::Write;
    let which = match ids.len() {
        1 => "For this one".to_owned(),
        n => format!("For each of these {n}"),
    };
    let mut text = format!(
        "{which}: at account.apple.com → Sign-In and Security → App-Specific \
         Passwords, generate a new one with the same label, enter it in its apps, then run \
         `aspen regenerate LABEL`.\n"
    );
    for item in crate::app::checklist(vault, ids) {
        let _ = writeln!(
            text,
            "  [ ] {} — {}",
            escape_control(&item.label),
            escape_control(&item.apps.join(", "))
        );
    }
    text
}

pub fn revoke_all(ctx: &Ctx, args: &RevokeAllArgs) -> Result<i32> {
    if args.undo {
        return super::undo::revoke_all(ctx, &args.apple_id, args.date);
    }
    let today = ctx.today;
    let on = args.date.unwrap_or(today);
    // Printed once saved: the checklist must not appear for a change that failed.
    let report = ctx.modify(|vault| {
        let ids = vault.revoke_all(&args.apple_id, on, today)?;
        let what = match ids.len() {
            1 => "the one active password".to_owned(),
            n => format!("all {n} active passwords"),
        };
        Ok(format!(
            "Revoked {what} of {} on {on}.\n{}",
            escape_control(&args.apple_id.trim().to_lowercase()),
            checklist(vault, &ids)
        ))
    })?;
    out::print(&report)?;
    Ok(0)
}

pub fn reset(ctx: &Ctx, args: &ResetArgs) -> Result<i32> {
    if args.undo {
        return super::undo::reset(ctx, &args.apple_id, args.date);
    }
    let today = ctx.today;
    let on = args.date.unwrap_or(today);
    let report = ctx.modify(|vault| {
        let ids = vault.reset(&args.apple_id, on, today)?;
        let apple_id = escape_control(&args.apple_id).trim().to_lowercase();
        let recorded = format!("Recorded the Apple ID password reset of {apple_id} on {on}.\n");
        if ids.is_empty() {
            return Ok(
                recorded + "No active entry was created on or before that day: nothing to regenerate.\n"
            );
        }
        Ok(format!(
            "{recorded}Apple revoked {} app-specific password{}.\n{}",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" },
            checklist(vault, &ids)
        ))
    })?;
    out::print(&report)?;
    Ok(0)
}
