//! The command line's words for what a change did (the model's [`Done`]), said once
//! the change is saved. One match over every kind of change: a new kind is a
//! compile error here until it is worded.

use crate::model::{Done, EntryId, Noted, ResetKind, Vault};
use crate::text::escape_control;

fn q(label: &str) -> String {
    format!("\"{}\"", escape_control(label))
}

fn apps_of(vault: &Vault, id: &EntryId) -> String {
    vault
        .entry(id)
        .map(|e| escape_control(&e.apps.join(", ")).into_owned())
        .unwrap_or_default()
}

/// What to print once `done` is saved; `vault` is the vault as saved.
pub fn said(vault: &Vault, done: &Done) -> String {
    match done {
        Done::Added { label, apple_id, .. } => format!("Added {} for {apple_id}.", q(label)),
        Done::Joined { id, label, apps } => format!(
            "Added {} to {}; no new entry. Its apps: {}.",
            escape_control(&apps.join(", ")),
            q(label),
            apps_of(vault, id)
        ),
        Done::Edited { label, .. } => format!("Updated {}.", q(label)),
        Done::Regenerated { id, label, .. } => format!(
            "Stored the new password for {}; enter it in {}.",
            q(label),
            apps_of(vault, id)
        ),
        Done::Deleted { label } => format!("Deleted {}.", q(label)),
        Done::Revoked {
            id,
            label,
            still_needed: true,
            ..
        } => format!(
            "Revoked {}; it now waits to be regenerated for: {}.",
            q(label),
            apps_of(vault, id)
        ),
        Done::Revoked { label, .. } => format!("Revoked {}; its apps are marked retired.", q(label)),
        Done::Retired { id, label, app } => retired(vault, id, label, app.as_deref()),
        Done::Unretired { id, label } => format!(
            "{} waits to be regenerated again for: {}.",
            q(label),
            apps_of(vault, id)
        ),
        Done::Recorded {
            kind,
            apple_id,
            on,
            revoked,
        } => recorded(vault, *kind, apple_id, *on, revoked),
        Done::Withdrew {
            kind,
            on,
            restored,
            changed_since,
            uncertain,
            ..
        } => withdrew(*kind, *on, restored, (changed_since, uncertain)),
        Done::WithdrewRevoke { label, .. } => {
            format!("Withdrew the revoke of {}; it is active again.", q(label))
        }
        Done::RenamedAppleId { old, new, moved } => {
            let entries = if *moved == 1 { "entry" } else { "entries" };
            format!("Renamed {old} to {new}; {moved} {entries} moved.")
        }
        Done::ForgotAppleId { apple_id } => format!("Forgot {apple_id}."),
        Done::NamedAppleId { apple_id, name } if name.is_empty() => format!("{apple_id} has no name now."),
        Done::NamedAppleId { apple_id, name } => format!("{apple_id} is now shown as {}.", q(name)),
        Done::Resolved {
            label, deleted: true, ..
        } => format!("Resolved: {} is deleted, as the copy merged in did.", q(label)),
        Done::Resolved { label, .. } => format!("Resolved {}.", q(label)),
        Done::Audited {
            apple_id, outcome, ..
        } => format!("Recorded the audit of {apple_id}: {}.", escape_control(outcome)),
        Done::Verified { noted } => verified(noted),
    }
}

/// The answers of `verify` recorded: how many Apple accepted, which it rejected.
fn verified(noted: &[Noted]) -> String {
    let recorded: Vec<&Noted> = noted.iter().filter(|n| n.missed.is_none()).collect();
    let accepted = recorded.iter().filter(|n| n.answer.accepted).count();
    let rejected: Vec<String> = recorded
        .iter()
        .filter(|n| !n.answer.accepted)
        .map(|n| q(&n.label))
        .collect();
    let mut text = format!("Recorded {} sign-in answers: {accepted} accepted", recorded.len());
    if !rejected.is_empty() {
        text.push_str(&format!(", rejected: {}", rejected.join(", ")));
    }
    let missed = noted.len() - recorded.len();
    if missed > 0 {
        text.push_str(&format!(
            "; {missed} not recorded (a new password was stored, or the entry deleted, meanwhile)"
        ));
    }
    text.push('.');
    text
}

fn retired(vault: &Vault, id: &EntryId, label: &str, app: Option<&str>) -> String {
    let still_used = vault
        .entry(id)
        .is_some_and(|e| e.needs_replacement() || e.is_active());
    match app {
        Some(app) if still_used => format!(
            "{} no longer counts {} among its apps; still used by: {}.",
            q(label),
            q(app.trim()),
            apps_of(vault, id)
        ),
        _ => format!(
            "Retired {}: no app waits for a new password. `aspen unretire` undoes it.",
            q(label)
        ),
    }
}

fn recorded(
    vault: &Vault,
    kind: ResetKind,
    apple_id: &str,
    on: jiff::civil::Date,
    revoked: &[EntryId],
) -> String {
    let apple_id = escape_control(apple_id);
    match kind {
        ResetKind::RevokeAll => {
            let what = match revoked.len() {
                1 => "the one active password".to_owned(),
                n => format!("all {n} active passwords"),
            };
            format!(
                "Revoked {what} of {apple_id} on {on}.\n{}",
                checklist(vault, revoked)
            )
        }
        ResetKind::PasswordReset if revoked.is_empty() => format!(
            "Recorded the Apple ID password reset of {apple_id} on {on}.\nNo active entry was created \
             on or before that day: nothing to regenerate.\n"
        ),
        ResetKind::PasswordReset => format!(
            "Recorded the Apple ID password reset of {apple_id} on {on}.\nApple revoked {} \
             app-specific password{}.\n{}",
            revoked.len(),
            if revoked.len() == 1 { "" } else { "s" },
            checklist(vault, revoked)
        ),
    }
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

/// What a withdrawal restored, and what it left alone, one line each.
fn withdrew(
    kind: ResetKind,
    on: jiff::civil::Date,
    restored: &[String],
    (changed_since, uncertain): (&[String], &[String]),
) -> String {
    let what = match kind {
        ResetKind::PasswordReset => format!("the Apple ID password reset of {on}"),
        ResetKind::RevokeAll => format!("the Revoke All of {on}"),
    };
    let labels = |labels: &[String]| labels.iter().map(|l| q(l)).collect::<Vec<_>>().join(", ");
    let mut text = match restored.len() {
        0 => format!("Withdrew {what}; no entry needed restoring."),
        1 => format!("Withdrew {what}; active again: {}.", labels(restored)),
        n => format!(
            "Withdrew {what}; these {n} are active again: {}.",
            labels(restored)
        ),
    };
    if !changed_since.is_empty() {
        text.push_str(&format!(
            "\nnote: left as they are, since they changed after it (regenerated, retired or edited): {}",
            labels(changed_since)
        ));
    }
    if !uncertain.is_empty() {
        text.push_str(&format!(
            "\nnote: an earlier reset that day may have revoked these, or not; each is left revoked \
             with a conflict: check Apple's page, then `aspen resolve LABEL`: {}",
            labels(uncertain)
        ));
    }
    text
}
