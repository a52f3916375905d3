//! What the TUI says about verifying: the question before it (what would be
//! contacted, the risk to the Apple ID), the progress line while it runs, and the
//! warning about a server that is not Apple's.

use ratatui::text::Line;

use super::spinner;
use super::wrap::wrapped;
use crate::app::verify::{Item, Planned, Target};
use crate::model::SignIn;
use crate::text::{escape_control, shown_path};
use crate::tui::action::Action;
use crate::tui::dialogs::{VerifyAbout, VerifyConfirm};
use crate::tui::keymap::Mode;
use crate::tui::state::State;
use crate::tui::style::Styles;
use crate::tui::verify::Summary;
use crate::verify::NotApple;

fn q(label: &str) -> String {
    format!("\"{}\"", escape_control(label))
}

/// The question's title and lines: the warnings first (they must not be cut off
/// when the list is long), then each entry and how it would be signed in with.
pub fn question(c: &VerifyConfirm) -> (String, Vec<String>) {
    let title = match &c.about {
        VerifyAbout::Entry { label, apple_id } => format!("Verify {} ({apple_id}) with Apple?", q(label)),
        VerifyAbout::AppleId(apple_id) => format!("Verify the passwords of {apple_id} with Apple?"),
    };
    let mut lines = vec![match c.tries() {
        1 => "aspen signs in once with the password, as its app does, and records whether Apple \
              accepts it."
            .to_owned(),
        n => format!(
            "aspen signs in once with each of {n} passwords, as their apps do, {} s apart, and \
             records whether Apple accepts each.",
            c.pause.as_secs_f64()
        ),
    }];
    lines.extend(c.not_apple.iter().map(|w| format!("Warning: {}.", not_apple(w))));
    let mut risk = "Repeated failed sign-ins can make Apple lock the Apple ID: a rejected password is \
                    never tried again."
        .to_owned();
    if c.tries() > 1 {
        risk.push_str(" After a suspected password reset, verify one entry first.");
    }
    lines.push(risk);
    lines.push(String::new());
    for p in &c.planned {
        lines.push(match p {
            Planned::Try(t) => format!("  • {}: {}", q(&t.label), how(t)),
            Planned::Skip { label, why, .. } => format!("  • {}: skipped, {}", q(label), why.describe()),
        });
    }
    (title, lines)
}

/// "CalDAV at https://caldav.icloud.com/ as me@icloud.com", as `--dry-run` says it.
fn how(t: &Target) -> String {
    let mut text = format!(
        "{} at {} as {}",
        t.over.describe(),
        escape_control(&t.address),
        escape_control(&t.user)
    );
    if t.mail_over_caldav {
        text.push_str(
            " (its apps use mail, but no iCloud Mail address is recorded for the Apple ID: record it \
             on the overview)",
        );
    }
    text
}

/// Said whenever the TUI starts with, and before it signs in with, a server or CA
/// of the config's instead of Apple's.
pub fn not_apple(warning: &NotApple) -> String {
    match warning {
        NotApple::Host { over, host } => format!(
            "{} sign-ins go to {} ({} in config.ron), which is not Apple's server: whoever runs it \
             receives the app-specific passwords sent",
            over.describe(),
            escape_control(host),
            match over {
                SignIn::Caldav => "verify_caldav_url",
                SignIn::Imap => "verify_imap_server",
            }
        ),
        NotApple::Roots { path } => format!(
            "servers are checked against the certificates in {} (verify_ca_file in config.ron) \
             instead of Mozilla's roots: whoever holds that CA's key can receive the app-specific \
             passwords sent",
            shown_path(path)
        ),
    }
}

/// The progress line while a run goes: which sign-in, what came so far, and the key
/// that stops it. Empty when none goes.
pub fn progress(state: &State, width: u16, styles: &Styles) -> Vec<Line<'static>> {
    let Some(r) = &state.verification.running else {
        return Vec::new();
    };
    let spin = spinner(state, r.since);
    let stop = state
        .keymap
        .hint(Mode::Main, Action::Back, 1)
        .map(|k| format!(" {k} stops it."))
        .unwrap_or_default();
    let so_far = so_far(&r.answered);
    let text = match &r.trying {
        Some(t) => format!(
            "{spin} Verifying {} of {}: {} over {} at {}…{so_far}{stop}",
            t.n,
            r.of,
            q(&t.label),
            t.over.describe(),
            escape_control(&t.address)
        ),
        None if r.answered.is_empty() => format!("{spin} Verifying: starting…{stop}"),
        None => format!(
            "{spin} Verifying: {} of {} done, a pause before the next…{so_far}{stop}",
            r.answered.len(),
            r.of
        ),
    };
    wrapped(&text, width, styles.accent())
}

/// " So far: 1 works, 1 rejected." from the answers in.
fn so_far(answered: &[Item]) -> String {
    let s = Summary::of(answered);
    let parts: Vec<String> = [
        (s.works, "works"),
        (s.rejected, "rejected"),
        (s.unreachable, "unreachable"),
        (s.tls_failures, "TLS failure"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    match parts.is_empty() {
        true => String::new(),
        false => format!(" So far: {}.", parts.join(", ")),
    }
}
