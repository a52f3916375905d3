//! The TUI's two wordings of what a change did (the model's [`Done`]): the status
//! line once it is stored, and the name `u` gives it when it is taken back. Both
//! match every kind of change, so a new one is a compile error here until worded.

use jiff::civil::Date;

use crate::model::{Done, ResetKind};
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::keymap::{Keymap, Mode};

fn q(label: &str) -> String {
    format!("\"{}\"", escape_control(label))
}

fn names(labels: &[String]) -> String {
    labels.iter().map(|l| q(l)).collect::<Vec<_>>().join(", ")
}

fn record(kind: ResetKind) -> &'static str {
    match kind {
        ResetKind::PasswordReset => "the password reset",
        ResetKind::RevokeAll => "the Revoke All",
    }
}

/// What a stored change did, in the user's words and keys.
pub(super) fn said(done: &Done, keys: &Keymap) -> String {
    match done {
        Done::Added {
            label,
            apple_id,
            revoked_by_reset,
            ..
        } => added(label, apple_id, *revoked_by_reset),
        Done::Edited { .. } => "Saved your changes.".to_owned(),
        Done::Joined { label, apps, .. } => {
            format!(
                "Added {} to {}; no new entry.",
                escape_control(&apps.join(", ")),
                q(label)
            )
        }
        Done::Deleted { label } => format!("Deleted {}.", q(label)),
        Done::Revoked {
            label,
            still_needed,
            on,
            ..
        } => revoked(label, *still_needed, *on, keys),
        Done::Retired { label, app, .. } => retired(label, app.as_deref()),
        Done::Unretired { label, .. } => format!("{} waits to be regenerated again.", q(label)),
        Done::Recorded {
            kind, apple_id, on, ..
        } => format!("Recorded {} of {apple_id} on {on}.", record(*kind)),
        Done::Regenerated { label, old_live, .. } => regenerated(label, *old_live),
        Done::RevokedOld { label, .. } => format!(
            "Recorded the old password of {} revoked at Apple; it takes no slot now.",
            q(label)
        ),
        Done::Withdrew {
            kind,
            apple_id,
            on,
            restored,
            changed_since,
            uncertain,
        } => withdrew(
            format!("{} of {apple_id} on {on}", record(*kind)),
            restored,
            (changed_since, uncertain),
        ),
        Done::WithdrewRevoke { label, .. } => {
            format!("Withdrew the revoke of {}; it is active again.", q(label))
        }
        Done::RenamedAppleId { old, new, moved } => {
            let entries = if *moved == 1 { "entry" } else { "entries" };
            format!("Renamed {old} to {new}; {moved} {entries} moved.")
        }
        Done::ForgotAppleId { apple_id } => format!("Forgot {apple_id}."),
        Done::NamedAppleId { apple_id, name } => named(apple_id, name),
        Done::SetMail { apple_id, mail } => mail_set(apple_id, mail),
        Done::Resolved {
            label,
            theirs,
            deleted,
        } => resolved(label, *theirs, *deleted),
        Done::Audited {
            apple_id, outcome, ..
        } => format!(
            "Checked {apple_id} against Apple's page: {}.",
            escape_control(outcome)
        ),
        Done::Verified { noted } => super::verified::said(noted, keys),
        Done::Imported(outcome) => imported(outcome.added.len(), outcome.skipped.len()),
        Done::AddedRecoveryKey { recipient } => format!("Added the recovery key {recipient}."),
        Done::RemovedRecoveryKey { recipient, .. } => {
            format!("Removed the recovery key {recipient}; copies saved before still open with it.")
        }
    }
}

fn added(label: &str, apple_id: &str, revoked_by_reset: Option<jiff::civil::Date>) -> String {
    match revoked_by_reset {
        None => format!("Added {} for {apple_id}.", q(label)),
        Some(on) => format!(
            "Added {} for {apple_id} as revoked by the reset or Revoke All of {on}: it was \
             created before it, so Apple revoked it then. It takes no slot and waits to be \
             regenerated; if it was created later, correct its date.",
            q(label)
        ),
    }
}

fn imported(added: usize, skipped: usize) -> String {
    let entries = if added == 1 { "entry" } else { "entries" };
    match skipped {
        0 => format!("Imported {added} {entries}."),
        n => format!("Imported {added} {entries}; {n} left out by the vault's rules."),
    }
}

fn retired(label: &str, app: Option<&str>) -> String {
    match app {
        None => format!("Retired {}: no app needs it, nothing to regenerate.", q(label)),
        Some(app) => format!(
            "Retired the app {} of {}; its other apps still need a password.",
            q(app),
            q(label)
        ),
    }
}

fn regenerated(label: &str, old_live: bool) -> String {
    let mut text = format!("Stored the new password for {}.", q(label));
    if old_live {
        text.push_str(" The old one still takes a slot at Apple until you revoke it there.");
    }
    text
}

fn named(apple_id: &str, name: &str) -> String {
    if name.is_empty() {
        format!("{apple_id} has no name now.")
    } else {
        format!(
            "{apple_id} is now shown as {apple_id} ({}).",
            escape_control(name)
        )
    }
}

fn mail_set(apple_id: &str, mail: &str) -> String {
    if mail.is_empty() {
        format!(
            "{apple_id} has no iCloud Mail address recorded now: its mail entries are verified over \
             CalDAV."
        )
    } else {
        format!("The iCloud Mail address of {apple_id} is {mail}: the setup card and verifying use it.")
    }
}

fn resolved(label: &str, theirs: bool, deleted: bool) -> String {
    match (theirs, deleted) {
        (_, true) => format!("Deleted {}, as the copy merged in did.", q(label)),
        (false, false) => format!("Kept this vault's values of {}.", q(label)),
        (true, false) => format!("Took the merged copy's values of {}.", q(label)),
    }
}

fn revoked(label: &str, still_needed: bool, on: Date, keys: &Keymap) -> String {
    let then = match (still_needed, keys.key_for(Mode::Main, Action::Regenerate)) {
        (true, Some(key)) => format!("it waits to be regenerated ({key})"),
        (true, None) => "it waits to be regenerated".to_owned(),
        (false, _) => "its apps are retired".to_owned(),
    };
    format!("Revoked {} on {on}; {then}.", q(label))
}

fn withdrew(what: String, restored: &[String], (changed_since, uncertain): (&[String], &[String])) -> String {
    let mut text = format!("Withdrew {what}");
    match restored.len() {
        0 => text.push_str("; nothing became active again"),
        _ => text.push_str(&format!("; active again: {}", names(restored))),
    }
    if !changed_since.is_empty() {
        text.push_str(&format!(
            "; changed since, left as they are: {}",
            names(changed_since)
        ));
    }
    if !uncertain.is_empty() {
        text.push_str(&format!(
            "; marked to check at Apple (an earlier reset that day may have revoked them): {}",
            names(uncertain)
        ));
    }
    text.push('.');
    text
}

/// How `u` names the change when it takes it back ("Undid: revoke of \"Mail\"").
pub(super) fn undo_name(done: &Done) -> String {
    let kind = |kind: &ResetKind| match kind {
        ResetKind::PasswordReset => "password reset",
        ResetKind::RevokeAll => "Revoke All",
    };
    match done {
        Done::Added { label, .. } => format!("add of {}", q(label)),
        Done::Edited { label, .. } => format!("edit of {}", q(label)),
        Done::Joined { label, .. } => format!("apps added to {}", q(label)),
        Done::Deleted { label } => format!("deletion of {}", q(label)),
        Done::Revoked { label, .. } => format!("revoke of {}", q(label)),
        Done::Retired { label, app: None, .. } => format!("retire of {}", q(label)),
        Done::Retired {
            label,
            app: Some(app),
            ..
        } => format!("retire of the app {} of {}", q(app), q(label)),
        Done::Unretired { label, .. } => format!("unretire of {}", q(label)),
        Done::Regenerated { label, .. } => format!("new password of {}", q(label)),
        Done::RevokedOld { label, .. } => format!("revoke of the old password of {}", q(label)),
        Done::Recorded {
            kind: k,
            apple_id,
            on,
            ..
        } => format!("{} of {apple_id} on {on}", kind(k)),
        Done::Withdrew {
            kind: k,
            apple_id,
            on,
            ..
        } => format!("withdrawal of the {} of {apple_id} on {on}", kind(k)),
        Done::WithdrewRevoke { label, .. } => format!("withdrawal of the revoke of {}", q(label)),
        Done::RenamedAppleId { old, new, .. } => format!("rename of {old} to {new}"),
        Done::ForgotAppleId { apple_id } => format!("forgetting of {apple_id}"),
        Done::NamedAppleId { apple_id, .. } => format!("name of {apple_id}"),
        Done::SetMail { apple_id, .. } => format!("iCloud Mail address of {apple_id}"),
        Done::Resolved { label, .. } => format!("conflict choice of {}", q(label)),
        Done::Audited { apple_id, .. } => format!("audit of {apple_id}"),
        Done::Verified { noted } => super::verified::undo_name(noted),
        Done::Imported(outcome) => format!("import of {} entries", outcome.added.len()),
        Done::AddedRecoveryKey { .. } => "recovery key added".to_owned(),
        Done::RemovedRecoveryKey { .. } => "removal of a recovery key".to_owned(),
    }
}
