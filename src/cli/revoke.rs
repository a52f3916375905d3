//! Recording what happened at Apple: revoke, revoke-all, and an Apple ID reset.

use clap::Args;
use jiff::civil::Date;

use super::{Ctx, Select, parse_date};
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
    #[arg(long)]
    pub replace: bool,
}

#[derive(Debug, Args)]
pub struct RevokeAllArgs {
    /// The Apple ID whose passwords were all revoked at Apple
    #[arg(long, value_name = "ID")]
    pub apple_id: String,
    /// The day they were revoked [default: today]
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub date: Option<Date>,
}

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// The Apple ID whose password was changed or reset
    #[arg(long, value_name = "ID")]
    pub apple_id: String,
    /// The day of the reset [default: today]
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub date: Option<Date>,
}

pub fn revoke(ctx: &Ctx, args: &RevokeArgs) -> Result<i32> {
    let today = ctx.today;
    let on = args.date.unwrap_or(today);
    ctx.modify(|vault| {
        let id = vault.find(&args.select.label, args.select.apple_id.as_deref())?;
        vault.revoke(&id, on, args.replace, today)?;
        let e = vault.entry(&id).expect("still there");
        if args.replace {
            eprintln!(
                "Revoked \"{}\"; it now waits to be regenerated for: {}.",
                escape_control(&e.label),
                escape_control(&e.apps.join(", "))
            );
        } else {
            eprintln!(
                "Revoked \"{}\"; its apps are marked retired.",
                escape_control(&e.label)
            );
        }
        Ok(())
    })?;
    Ok(0)
}

/// The checklist of entries to regenerate, one line each.
fn print_checklist(vault: &Vault, ids: &[EntryId]) {
    for id in ids {
        if let Some(e) = vault.entry(id) {
            println!(
                "  [ ] {} — {}",
                escape_control(&e.label),
                escape_control(&e.apps.join(", "))
            );
        }
    }
}

fn print_steps(count: usize) {
    println!(
        "For each of these {count}: at account.apple.com → Sign-In and Security → App-Specific \
         Passwords, generate a new one with the same label, enter it in its apps, then run \
         `aspen regenerate LABEL`."
    );
}

pub fn revoke_all(ctx: &Ctx, args: &RevokeAllArgs) -> Result<i32> {
    let today = ctx.today;
    let on = args.date.unwrap_or(today);
    ctx.modify(|vault| {
        let ids = vault.revoke_all(&args.apple_id, on, today)?;
        println!(
            "Revoked all {} active passwords of {} on {on}.",
            ids.len(),
            escape_control(&args.apple_id.trim().to_lowercase())
        );
        print_steps(ids.len());
        print_checklist(vault, &ids);
        Ok(())
    })?;
    Ok(0)
}

pub fn reset(ctx: &Ctx, args: &ResetArgs) -> Result<i32> {
    let today = ctx.today;
    let on = args.date.unwrap_or(today);
    ctx.modify(|vault| {
        let ids = vault.reset(&args.apple_id, on, today)?;
        let apple_id = escape_control(&args.apple_id).trim().to_lowercase();
        println!("Recorded the Apple ID password reset of {apple_id} on {on}.");
        if ids.is_empty() {
            println!("No active entry was created on or before that day: nothing to regenerate.");
            return Ok(());
        }
        println!(
            "Apple revoked {} app-specific password{}.",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" }
        );
        print_steps(ids.len());
        print_checklist(vault, &ids);
        Ok(())
    })?;
    Ok(0)
}
