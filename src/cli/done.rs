//! The command line's words for what a change did (the model's [`Done`]), said once
//! the change is saved. One match over every kind of change: a new kind is a
//! compile error here until it is worded.

use jiff::civil::Date;

use crate::model::{Done, Entry, EntryId, ImportOutcome, Noted, ResetKind, Vault, slots};
use crate::text::escape_control;

/// What `rm` saw of an entry under the lock just before deleting it: the model's
/// [`Done::Deleted`] names only its label.
pub struct Gone {
    pub apple_id: String,
    pub active: bool,
}

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
    said_of(vault, done, None)
}

/// [`said`] for `rm`, which saw the entry it deleted.
pub fn said_deleted(vault: &Vault, done: &Done, gone: &Gone) -> String {
    said_of(vault, done, Some(gone))
}

fn said_of(vault: &Vault, done: &Done, gone: Option<&Gone>) -> String {
    match done {
        Done::Added {
            id,
            label,
            apple_id,
            revoked_by_reset,
        } => added(vault, id, label, apple_id, *revoked_by_reset),
        Done::Joined { id, label, apps } => joined(vault, id, label, apps),
        Done::Edited { id, label } => lines(
            format!("Updated {}{}.", q(label), of_apple_id(vault, id)),
            vault.entry(id).and_then(|e| slot_note(vault, &e.apple_id)),
        ),
        Done::Regenerated {
            id,
            label,
            was_active,
            old_live,
        } => regenerated(vault, id, label, (*was_active, *old_live)),
        Done::RevokedOld { label, apple_id, .. } => revoked_old(vault, label, apple_id),
        Done::Deleted { label } => deleted(label, gone),
        Done::Revoked {
            id,
            label,
            still_needed,
            ..
        } => revoked(vault, id, label, *still_needed),
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
            apple_id,
            on,
            restored,
            changed_since,
            uncertain,
        } => withdrew((*kind, apple_id, *on), restored, (changed_since, uncertain)),
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
        Done::SetMail { apple_id, mail } => mail_set(apple_id, mail),
        Done::Resolved {
            label, deleted: true, ..
        } => format!("Resolved: {} is deleted, as the copy merged in did.", q(label)),
        Done::Resolved { label, .. } => format!("Resolved {}.", q(label)),
        Done::Audited {
            apple_id,
            on,
            outcome,
            ..
        } => format!(
            "Recorded the audit of {apple_id} on {on}: {}.",
            escape_control(outcome)
        ),
        Done::Verified { noted } => verified(noted),
        Done::Imported(outcome) => imported(vault, outcome),
        Done::AddedRecoveryKey { recipient } => key_added(recipient),
        Done::RemovedRecoveryKey { recipient, added } => key_removed(recipient, *added),
    }
}

/// What an import added, what the rules left out under the lock (another aspen may
/// have changed the vault since the preview), and the slots of each Apple ID.
fn imported(vault: &Vault, outcome: &ImportOutcome) -> String {
    let n = outcome.added.len();
    let names: Vec<String> = outcome
        .added
        .iter()
        .map(|a| format!("{} ({})", q(&a.label), a.apple_id))
        .collect();
    let what = if n == 1 {
        "app-specific password"
    } else {
        "app-specific passwords"
    };
    let mut more = Vec::new();
    for a in &outcome.added {
        if let (Some(on), Some(e)) = (a.revoked_by_reset, vault.entry(&a.id)) {
            more.push(before_reset(
                &a.label,
                &a.apple_id,
                e.created,
                (on, by_revoke_all(e)),
            ));
        }
    }
    for s in &outcome.skipped {
        more.push(format!(
            "note: left out {}: {}",
            q(&s.label),
            crate::import::words::why_not(&s.why, crate::import::words::Front::Cli)
        ));
    }
    let mut apple_ids: Vec<&str> = outcome.added.iter().map(|a| a.apple_id.as_str()).collect();
    apple_ids.sort_unstable();
    apple_ids.dedup();
    more.extend(apple_ids.iter().filter_map(|id| slot_note(vault, id)));
    lines(format!("Imported {n} {what}: {}.", names.join(", ")), more)
}

fn revoked(vault: &Vault, id: &EntryId, label: &str, still_needed: bool) -> String {
    match still_needed {
        true => format!(
            "Revoked {}; it now waits to be regenerated for: {}.",
            q(label),
            apps_of(vault, id)
        ),
        false => format!("Revoked {}; its apps are marked retired.", q(label)),
    }
}

fn key_added(recipient: &str) -> String {
    format!(
        "Added the recovery key {recipient}: the vault opens with it as with the passphrase, from \
         this save on."
    )
}

fn key_removed(recipient: &str, added: Date) -> String {
    format!(
        "Removed the recovery key {recipient} (added {added}): the vault as saved now no longer \
         opens with it; copies saved before still do."
    )
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

/// `first`, and `more` on a line of its own when there is one.
fn lines(first: String, more: impl IntoIterator<Item = String>) -> String {
    std::iter::once(first).chain(more).collect::<Vec<_>>().join("\n")
}

fn joined(vault: &Vault, id: &EntryId, label: &str, apps: &[String]) -> String {
    format!(
        "Added {} to {}{}; no new entry. Its apps: {}.",
        escape_control(&apps.join(", ")),
        q(label),
        of_apple_id(vault, id),
        apps_of(vault, id)
    )
}

/// " (APPLE ID)" of the entry `id`, as saved.
fn of_apple_id(vault: &Vault, id: &EntryId) -> String {
    vault
        .entry(id)
        .map(|e| format!(" ({})", e.apple_id))
        .unwrap_or_default()
}

fn added(vault: &Vault, id: &EntryId, label: &str, apple_id: &str, revoked_by_reset: Option<Date>) -> String {
    let entry = vault.entry(id);
    let first = match entry.is_some_and(Entry::password_stored) {
        true => format!("Added {} for {apple_id}.", q(label)),
        false => format!(
            "Recorded {} for {apple_id} as listed at Apple, without its password: it counts toward the \
             25; revoke it at Apple if no app uses it, or regenerate it to store a new one.",
            q(label)
        ),
    };
    let malformed = entry
        .and_then(|e| e.password.as_ref())
        .is_some_and(|p| !p.is_well_formed());
    let mut more = Vec::new();
    if malformed {
        more.push("note: stored as given; it will show as malformed".to_owned());
    }
    if let (Some(on), Some(e)) = (revoked_by_reset, entry) {
        more.push(before_reset(label, apple_id, e.created, (on, by_revoke_all(e))));
    }
    more.extend(slot_note(vault, apple_id));
    lines(first, more)
}

/// Whether `e` was revoked by a Revoke All (else a reset).
fn by_revoke_all(e: &Entry) -> bool {
    matches!(
        e.status,
        crate::model::Status::Revoked {
            reason: crate::model::RevokeReason::RevokeAll,
            ..
        }
    )
}

/// Added as revoked by a reset it predates: why, and the two ways out of it.
fn before_reset(label: &str, apple_id: &str, created: Date, (on, revoke_all): (Date, bool)) -> String {
    use crate::text::shell_quote;
    let (what, short, undo) = match revoke_all {
        true => ("Revoke All", "Revoke All", "revoke-all"),
        false => ("Apple ID password reset", "reset", "reset"),
    };
    format!(
        "warning: created {created}, before the {what} of {on} recorded for {apple_id}, so Apple \
         revoked it then: it is recorded as revoked by that {short}, takes no slot, and waits to \
         be regenerated. If it was created after the {short}, correct the date (`aspen edit {} \
         --apple-id {} --created DATE`); if there was no {short}, withdraw it (`aspen {undo} \
         --undo --apple-id {} --date {on}`).",
        shell_quote(&escape_control(label)),
        shell_quote(apple_id),
        shell_quote(apple_id),
    )
}

/// A note when an Apple ID is close to Apple's limit after a change, or a warning
/// when what waits to be regenerated would no longer fit beside what is active.
fn slot_note(vault: &Vault, apple_id: &str) -> Option<String> {
    let s = slots(vault).into_iter().find(|s| s.apple_id == apple_id)?;
    if let Some(w) = super::limit::warning(&s) {
        return Some(format!("warning: {w}"));
    }
    (s.free <= 2).then(|| {
        format!(
            "note: {} now uses {} of its {} slots",
            s.apple_id, s.active, s.limit
        )
    })
}

fn regenerated(vault: &Vault, id: &EntryId, label: &str, (was_active, old_live): (bool, bool)) -> String {
    let apps = match vault.entry(id) {
        Some(e) if !e.apps.is_empty() => apps_of(vault, id),
        _ => "the apps that use it".to_owned(),
    };
    let note = match (was_active, old_live) {
        (_, true) => Some(format!(
            "note: the old password is still active at Apple and takes a slot there, beside the \
             new one; once you revoke it at account.apple.com, run `aspen revoke {} --old`",
            crate::text::shell_quote(label)
        )),
        // Apple issues no 26th password: the old one was revoked to make room.
        (true, false) => Some(
            "note: the Apple ID was full, so the old password was revoked at Apple to make room; \
             aspen counts it revoked"
                .to_owned(),
        ),
        (false, false) => None,
    };
    lines(
        format!(
            "Stored the new password for {}{}; enter it in {apps}.",
            q(label),
            of_apple_id(vault, id)
        ),
        note,
    )
}

fn revoked_old(vault: &Vault, label: &str, apple_id: &str) -> String {
    lines(
        format!(
            "Recorded the old password of {} revoked at Apple; it takes no slot of {apple_id} now.",
            q(label)
        ),
        slot_note(vault, apple_id),
    )
}

/// "Deleted", with the Apple ID and a note when rm saw it active.
fn deleted(label: &str, gone: Option<&Gone>) -> String {
    let Some(gone) = gone else {
        return format!("Deleted {}.", q(label));
    };
    let note = "note: it may still be active at Apple; revoke it at account.apple.com if its app is gone";
    lines(
        format!("Deleted {} ({}).", q(label), gone.apple_id),
        gone.active.then(|| note.to_owned()),
    )
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
    (kind, apple_id, on): (ResetKind, &str, jiff::civil::Date),
    restored: &[String],
    (changed_since, uncertain): (&[String], &[String]),
) -> String {
    let what = match kind {
        ResetKind::PasswordReset => format!("the Apple ID password reset of {apple_id} on {on}"),
        ResetKind::RevokeAll => format!("the Revoke All of {apple_id} on {on}"),
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

fn mail_set(apple_id: &str, mail: &str) -> String {
    if mail.is_empty() {
        format!(
            "{apple_id} has no iCloud Mail address recorded now: its mail entries are verified over \
             CalDAV."
        )
    } else {
        format!(
            "Recorded {mail} as the iCloud Mail address of {apple_id}: `aspen setup` shows it as the \
             mail user name, and `aspen verify` signs in over IMAP with it."
        )
    }
}
