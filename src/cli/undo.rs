//! `--undo` on revoke, revoke-all and reset: withdrawing what was recorded by
//! mistake. Entries that changed since are named and left alone.

use jiff::civil::Date;

use super::{Ctx, Select};
use crate::error::Result;
use crate::model::{Undone, Vault};
use crate::text::escape_control;

/// What a withdrawal restored, and what it left alone, one line each.
fn report(vault: &Vault, what: &str, undone: &Undone) -> Vec<String> {
    let labels = |ids: &[crate::model::EntryId]| -> String {
        ids.iter()
            .filter_map(|id| vault.entry(id))
            .map(|e| format!("\"{}\"", escape_control(&e.label)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut lines = vec![match undone.restored.len() {
        0 => format!("Withdrew {what}; no entry needed restoring."),
        1 => format!("Withdrew {what}; active again: {}.", labels(&undone.restored)),
        n => format!(
            "Withdrew {what}; these {n} are active again: {}.",
            labels(&undone.restored)
        ),
    }];
    if !undone.changed_since.is_empty() {
        lines.push(format!(
            "note: left as they are, since they changed after it (regenerated, retired or edited): {}",
            labels(&undone.changed_since)
        ));
    }
    lines
}

fn say(lines: &[String]) -> i32 {
    for line in lines {
        crate::say!("{line}");
    }
    0
}

pub fn reset(ctx: &Ctx, apple_id: &str, on: Option<Date>) -> Result<i32> {
    let today = ctx.today;
    let lines = ctx.modify(|vault| {
        let (day, undone) = vault.undo_reset(apple_id, on, today)?;
        Ok(report(
            vault,
            &format!("the Apple ID password reset of {day}"),
            &undone,
        ))
    })?;
    Ok(say(&lines))
}

pub fn revoke_all(ctx: &Ctx, apple_id: &str, on: Option<Date>) -> Result<i32> {
    let today = ctx.today;
    let lines = ctx.modify(|vault| {
        let (day, undone) = vault.undo_revoke_all(apple_id, on, today)?;
        Ok(report(vault, &format!("the Revoke All of {day}"), &undone))
    })?;
    Ok(say(&lines))
}

pub fn revoke(ctx: &Ctx, select: &Select) -> Result<i32> {
    let today = ctx.today;
    let label = ctx.modify(|vault| {
        let id = vault.find(&select.label, select.apple_id.as_deref())?;
        vault.undo_revoke(&id, today)?;
        Ok(vault.entry(&id).map(|e| e.label.clone()).unwrap_or_default())
    })?;
    crate::say!(
        "Withdrew the revoke of \"{}\"; it is active again.",
        escape_control(&label)
    );
    Ok(0)
}
