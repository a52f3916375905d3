//! What the typed dialogs say: titles and lines worded from their data, with the
//! user's keys where they name one.

use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::dialogs::{Checklist, DeleteConfirm, Replacement, ResetKind, ResetPreview, RevokeChoice};
use crate::tui::hints;
use crate::tui::keymap::Keymap;

pub fn delete(d: &DeleteConfirm) -> (String, Vec<String>) {
    let mut lines = vec![format!(
        "\"{}\" ({}) and its password will be gone for good.",
        escape_control(&d.label),
        d.apple_id
    )];
    if d.active {
        lines.push("It may still be active at Apple: revoke it there if its app is gone.".to_owned());
    }
    ("Delete this entry?".to_owned(), lines)
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
    lines.extend(p.revoked.iter().map(|item| {
        format!(
            "  • {} — {}",
            escape_control(&item.label),
            escape_control(&item.apps.join(", "))
        )
    }));
    (title, lines)
}

pub fn revoke_title(c: &RevokeChoice) -> String {
    format!(
        "Revoked \"{}\" at Apple today. Its apps:",
        escape_control(&c.label)
    )
}

pub fn replacement(r: Replacement) -> &'static str {
    match r {
        Replacement::Retired => "App retired — no new password needed",
        Replacement::StillNeeded => "Still needed — regenerate a new one",
    }
}

/// The checklist's title and lines, each marked when it is an item to do.
pub fn checklist(list: &Checklist, keys: &Keymap) -> (String, Vec<(bool, String)>) {
    let title = format!("To regenerate for {}", list.apple_id);
    let n = list.items.len();
    if n == 0 {
        let none = "Nothing to regenerate: no active entry was created on or before that day.";
        return (title, vec![(false, none.to_owned())]);
    }
    let regenerate = hints::key(keys, Action::Regenerate, "regenerate");
    let mut lines = vec![
        (
            false,
            format!(
                "Apple revoked {n} app-specific password{}. For each one:",
                if n == 1 { "" } else { "s" }
            ),
        ),
        (
            false,
            format!(
                "generate a new one with the same label, enter it in its apps, then select it here and {regenerate}."
            ),
        ),
        (false, String::new()),
    ];
    lines.extend(list.items.iter().map(|item| {
        let line = format!(
            "[ ] {} — {}",
            escape_control(&item.label),
            escape_control(&item.apps.join(", "))
        );
        (true, line)
    }));
    (title, lines)
}
