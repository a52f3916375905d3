//! What the typed dialogs say: titles and lines worded from their data, with the
//! user's keys where they name one.

use crate::text::escape_control;
use crate::tui::action::Action;
use jiff::civil::Date;

use crate::tui::dialogs::{
    Checklist, DeleteConfirm, ForgetConfirm, JoinConfirm, OldPassword, Question, ResetKind, ResetPreview,
    UndoConfirm, UnretireConfirm, Withdrawal,
};
use crate::tui::hints;
use crate::tui::keymap::Keymap;

/// A question's title, its lines, and what its two answers do.
pub fn question(q: &Question) -> (String, Vec<String>, (&'static str, &'static str)) {
    let (title, lines) = match q {
        Question::Delete(d) => delete(d),
        Question::Reset(p) => reset_preview(p),
        Question::Unretire(c) => unretire(c),
        Question::ForgetAppleId(c) => forget(c),
        Question::Withdraw(w) => withdraw(w),
        Question::Undo(c) => undo(c),
        Question::Join(c) => return (join(c).0, join(c).1, ("add the apps to it", "back to the form")),
        Question::OldRevoked(o) => return (old_revoked(o).0, old_revoked(o).1, ("it is revoked", "not yet")),
        Question::Verify(c) => {
            let (title, lines) = super::verifying::question(c);
            return (title, lines, ("sign in", "cancel"));
        }
        Question::RecoveryKey(ask) => {
            return (recovery_key(ask).0, recovery_key(ask).1, ("make it", "cancel"));
        }
        Question::Export(ask) => return (export(ask).0, export(ask).1, ("write it", "back to the form")),
    };
    (title, lines, ("confirm", "cancel"))
}

/// Before an export holds every password in clear: what that means.
fn export(ask: &crate::tui::dialogs::ExportAsk) -> (String, Vec<String>) {
    let file = crate::text::shown_path(&ask.request.path);
    let stored = match ask.passwords {
        1 => "the 1 password the vault stores".to_owned(),
        n => format!("the {n} passwords the vault stores"),
    };
    let lines = vec![
        format!(
            "{file} will hold every password in clear ({stored}): anyone who can read it can \
             sign in to these Apple IDs' mail, calendars and contacts."
        ),
        "It is made readable by you alone (mode 0600). Keep it safe, off synced and backed-up \
         folders, and delete it after use."
            .to_owned(),
    ];
    ("Write every password in clear?".to_owned(), lines)
}

/// Before a recovery key is made: what it is, and what to do with it.
fn recovery_key(ask: &crate::tui::dialogs::RecoveryKeyAsk) -> (String, Vec<String>) {
    let mut lines = vec![
        "It opens the vault without the passphrase, for the day the passphrase is forgotten; \
         keep it on paper, offline, away from the passphrase: whoever holds it can read every \
         password."
            .to_owned(),
        "The vault is saved encrypted to it too; then it is shown once, as text and as a QR code, \
         to write down or photograph."
            .to_owned(),
    ];
    match ask.existing {
        0 => {}
        1 => lines.push("The vault has one already; this makes another beside it.".to_owned()),
        n => lines.push(format!(
            "The vault has {n} already; this makes another beside them."
        )),
    }
    lines.push("To remove a key later, run `aspen recovery-key remove` in a terminal.".to_owned());
    ("Make a recovery key?".to_owned(), lines)
}

/// Whether the old password a regeneration left live was revoked at Apple.
fn old_revoked(o: &OldPassword) -> (String, Vec<String>) {
    let label = escape_control(&o.label);
    let days: Vec<String> = o.created.iter().map(ToString::to_string).collect();
    let lines = vec![
        format!(
            "The password \"{label}\" had before (created {}) is still active at Apple: it takes a \
             slot beside the new one, and Apple lists the label twice, until you revoke it at \
             account.apple.com.",
            days.join(", ")
        ),
        "Revoked it there already? Yes records it revoked; not yet leaves it counted, to \
         record later from the entry's revoke key."
            .to_owned(),
    ];
    (format!("Revoked the old password of \"{label}\"?"), lines)
}

fn delete(d: &DeleteConfirm) -> (String, Vec<String>) {
    let (label, apple_id) = (escape_control(&d.label), &d.apple_id);
    let mut lines = vec![match d.stored {
        true => format!("\"{label}\" ({apple_id}) and its password will be gone for good."),
        false => format!("\"{label}\" ({apple_id}) will be gone; aspen holds no password for it."),
    }];
    if d.active {
        lines.push("It may still be active at Apple: revoke it there if its app is gone.".to_owned());
    }
    ("Delete this entry?".to_owned(), lines)
}

/// An entry's apps for a list ("Thunderbird, K-9 Mail"), or "apps unknown" as
/// `aspen check` says, never a dangling "— ".
pub fn apps(apps: &[String]) -> String {
    if apps.is_empty() {
        "apps unknown".to_owned()
    } else {
        escape_control(&apps.join(", ")).into_owned()
    }
}

pub fn reset_preview(p: &ResetPreview) -> (String, Vec<String>) {
    let (apple_id, on) = (&p.apple_id, p.on);
    let title = match p.kind {
        ResetKind::PasswordReset => format!("Record the password reset of {apple_id} on {on}?"),
        ResetKind::RevokeAll => format!("Record Revoke All for {apple_id} on {on}?"),
    };
    let mut lines = vec![match p.revoked.len() {
        0 => "No active entry was created on or before that day: nothing becomes revoked.".to_owned(),
        1 => "This one becomes revoked and waits to be regenerated:".to_owned(),
        n => format!("These {n} become revoked and wait to be regenerated:"),
    }];
    lines.extend(
        p.revoked
            .iter()
            .map(|item| format!("  • {} — {}", escape_control(&item.label), apps(&item.apps))),
    );
    (title, lines)
}

pub fn unretire(c: &UnretireConfirm) -> (String, Vec<String>) {
    let title = format!("Does \"{}\" need a password again?", escape_control(&c.label));
    let lines = vec![format!(
        "It was retired. Unretired, it waits to be regenerated for {}.",
        escape_control(&c.apps.join(", "))
    )];
    (title, lines)
}

pub fn forget(c: &ForgetConfirm) -> (String, Vec<String>) {
    let mut lines = vec![format!(
        "No entry uses {}: it leaves the slot gauges and the lists of Apple IDs.",
        c.apple_id
    )];
    if c.resets > 0 {
        lines.push(format!(
            "Its {} recorded password reset{} go{} with it.",
            c.resets,
            if c.resets == 1 { "" } else { "s" },
            if c.resets == 1 { "es" } else { "" }
        ));
    }
    (format!("Forget {}?", c.apple_id), lines)
}

/// "2026-11-02  password reset · me@icloud.com"
pub fn record(kind: ResetKind, apple_id: &str, on: Date) -> String {
    let what = match kind {
        ResetKind::PasswordReset => "password reset",
        ResetKind::RevokeAll => "Revoke All",
    };
    format!("{on}  {what} · {}", escape_control(apple_id))
}

fn labels(labels: &[String]) -> String {
    labels
        .iter()
        .map(|l| format!("\"{}\"", escape_control(l)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What withdrawing a record brings back, in one sentence.
pub fn what_comes_back(w: &Withdrawal) -> String {
    if let Some(why) = &w.refused {
        return format!("It cannot be withdrawn now: {why}");
    }
    let mut text = match w.restored.len() {
        0 => "Nothing becomes active again".to_owned(),
        _ => format!("Active again: {}", labels(&w.restored)),
    };
    if !w.changed_since.is_empty() {
        text.push_str(&format!(
            "; changed since, left as they are: {}",
            labels(&w.changed_since)
        ));
    }
    text.push('.');
    text
}

pub fn withdraw(w: &Withdrawal) -> (String, Vec<String>) {
    let title = match w.kind {
        ResetKind::PasswordReset => format!("Withdraw the password reset of {} on {}?", w.apple_id, w.on),
        ResetKind::RevokeAll => format!("Withdraw the Revoke All of {} on {}?", w.apple_id, w.on),
    };
    let mut lines =
        vec!["Only if it did not happen at Apple: the passwords it revoked come back as active.".to_owned()];
    lines.push(what_comes_back(w));
    (title, lines)
}

pub fn undo(c: &UndoConfirm) -> (String, Vec<String>) {
    let lines = vec![
        format!(
            "The password of {} leaves the vault, and Apple never shows a password again.",
            labels(&c.losing)
        ),
        "The .bak backup keeps it until the next change.".to_owned(),
    ];
    (format!("Undo the {}?", c.what), lines)
}

/// Adding a password an active entry already has: join it, or back to the form.
pub fn join(c: &JoinConfirm) -> (String, Vec<String>) {
    let label = escape_control(&c.label);
    let apps = escape_control(&c.apps.join(", ")).into_owned();
    let yes = match c.apps.is_empty() {
        true => format!("Yes: no new entry; \"{label}\" already has these apps."),
        false => format!("Yes: add {apps} to \"{label}\", no new entry."),
    };
    let lines = vec![
        format!("That is the password of \"{label}\". Apple allows one password in several apps."),
        format!("{yes} No: back to the form; Apple counts one password once, so it is not stored twice."),
    ];
    (format!("Add to \"{label}\" instead?"), lines)
}

/// The checklist's title and the lines above its items.
pub fn checklist(list: &Checklist, keys: &Keymap) -> (String, Vec<String>) {
    let title = format!("To regenerate for {}", list.apple_id);
    let n = list.items.len();
    if n == 0 {
        let none = "Nothing to regenerate: no active entry was created on or before that day.";
        return (title, vec![none.to_owned()]);
    }
    let regenerate = hints::key(keys, Action::Regenerate, "regenerate");
    let lines = vec![
        if n == 1 {
            "Apple revoked 1 app-specific password. For it:".to_owned()
        } else {
            format!("Apple revoked {n} app-specific passwords. For each one:")
        },
        format!(
            "generate a new one with the same label and enter it in its apps; then close this list, select it and {regenerate}."
        ),
    ];
    (title, lines)
}
