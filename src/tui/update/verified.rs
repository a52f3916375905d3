//! The words for what a verification came to: the message at a run's end (counts
//! of each result, the passwords Apple rejected and what to do about them, what was
//! not recorded), and the name `u` gives the change that recorded its answers.

use crate::model::{Done, NotRecorded, Noted};
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::hints;
use crate::tui::keymap::{Keymap, Mode};
use crate::tui::verify::Summary;

fn q(label: &str) -> String {
    format!("\"{}\"", escape_control(label))
}

/// "1 works", "2 work".
fn count(n: usize, one: &str, many: &str) -> Option<String> {
    match n {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    }
}

/// The message at a run's end; `done` is the model's account of recording its
/// answers, when there were any. On the overview (`overview`) it names only keys
/// that work there.
pub(super) fn finished(summary: &Summary, done: Option<&Done>, keys: &Keymap, overview: bool) -> String {
    let counts: Vec<String> = [
        count(summary.works, "works", "work"),
        count(summary.rejected, "rejected", "rejected"),
        count(summary.unreachable, "unreachable", "unreachable"),
        count(summary.tls_failures, "TLS failure", "TLS failures"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let lead = if summary.stopped {
        "Verification stopped"
    } else {
        "Verified"
    };
    let mut text = match counts.is_empty() {
        true => format!("{lead}: no answer came"),
        false => format!("{lead}: {}", counts.join(", ")),
    };
    if let Some(why) = &summary.why_none {
        text.push_str(&format!(" ({})", escape_control(why)));
    }
    if let Some(skipped) = count(summary.skipped, "skipped", "skipped") {
        text.push_str(&format!("; {skipped} (no password held, or revoked)"));
    }
    if let Some(not_tried) = count(summary.not_tried, "not tried", "not tried") {
        text.push_str(&format!("; {not_tried}"));
    }
    text.push('.');
    if summary.abandoned {
        text.push_str(" The sign-in under way was not waited for: its answer is not recorded.");
    }
    let noted = match done {
        Some(Done::Verified { noted }) => noted.as_slice(),
        _ => &[],
    };
    text.push_str(&rejected(noted, keys, overview));
    text.push_str(&missed(noted));
    if !noted.iter().any(|n| n.missed.is_none()) {
        text.push_str(" Nothing was recorded.");
    }
    text
}

/// The passwords Apple rejected, now flagged, and what to do about them: with the
/// list's keys, or on the overview, where they do not work, the way back to it.
fn rejected(noted: &[Noted], keys: &Keymap, overview: bool) -> String {
    let labels: Vec<String> = noted
        .iter()
        .filter(|n| !n.answer.accepted && n.missed.is_none())
        .map(|n| q(&n.label))
        .collect();
    if labels.is_empty() {
        return String::new();
    }
    if overview {
        return format!(
            " Apple rejected {}: revoked outside aspen? Flagged; the list says what to do about \
             each ({}).",
            labels.join(", "),
            hints::key_in(keys, Mode::Overview, Action::Back, "go back to it"),
        );
    }
    format!(
        " Apple rejected {}: revoked outside aspen? Flagged; {} (dated today unless you know the day), \
         generate a new one at Apple, then {}. After a password reset, {} instead.",
        labels.join(", "),
        hints::key(keys, Action::Revoke, "record the revoke"),
        hints::key(keys, Action::Regenerate, "store it"),
        hints::key(keys, Action::Reset, "record the reset"),
    )
}

/// The answers that could not be recorded, and why.
fn missed(noted: &[Noted]) -> String {
    let mut text = String::new();
    for n in noted {
        match n.missed {
            Some(NotRecorded::PasswordChanged) => text.push_str(&format!(
                " Not recorded for {}: a new password was stored meanwhile.",
                q(&n.label)
            )),
            Some(NotRecorded::Deleted) => text.push_str(" Not recorded for an entry deleted meanwhile."),
            None => {}
        }
    }
    text
}

/// A stored [`Done::Verified`] said without its run (only the answers are known).
pub(super) fn said(noted: &[Noted], keys: &Keymap) -> String {
    let summary = Summary {
        works: noted.iter().filter(|n| n.answer.accepted).count(),
        rejected: noted.iter().filter(|n| !n.answer.accepted).count(),
        ..Summary::default()
    };
    let done = Done::Verified {
        noted: noted.to_vec(),
    };
    finished(&summary, Some(&done), keys, false)
}

/// How `u` names the change that recorded a verification's answers.
pub(super) fn undo_name(noted: &[Noted]) -> String {
    match noted {
        [one] => format!("verification of {}", q(&one.label)),
        many => format!("verification of {} passwords", many.len()),
    }
}
