//! The dialogs that check aspen against the world: the audit against Apple's page,
//! and the choice a merge with another copy of the vault left open.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::choices::{List, choose, dialog_key, render};
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::dialogs::{AuditDialog, AuditStep, Mark, ResolveDialog, audit_apple_date};
use crate::tui::keymap::Mode;
use crate::tui::state::State;
use crate::tui::style::Styles;

pub fn resolve(frame: &mut Frame, area: Rect, state: &State, d: &ResolveDialog, styles: &Styles) {
    let mut intro = vec!["A merge with another copy left this open:".to_owned()];
    intro.extend(d.conflicts.iter().map(|c| format!("• {}", escape_control(c))));
    let items = vec![
        (
            "Keep this vault's values (what the list shows)".to_owned(),
            styles.text(),
        ),
        if d.deleted_elsewhere {
            (
                "Do as the copy merged in did: delete it".to_owned(),
                styles.danger(),
            )
        } else {
            ("Take the merged copy's values".to_owned(), styles.text())
        },
    ];
    let list = List {
        title: format!("Conflict on \"{}\"", escape_control(&d.label)),
        intro,
        items,
        selected: d.selected,
        note: Vec::new(),
        said: d.refused.clone().map(|r| (true, r)),
        keys: vec![
            (choose(state), "choose"),
            (dialog_key(state, Action::Confirm), "keep it"),
            (dialog_key(state, Action::Back), "cancel"),
        ],
        border: styles.warning(),
    };
    render(frame, area, list, styles);
}

/// Steps 1, 2 and 4 of the audit; step 3 is a form, drawn as forms are.
pub fn audit(frame: &mut Frame, area: Rect, state: &State, d: &AuditDialog, styles: &Styles) {
    let apple_id = escape_control(&d.apple_id);
    let rows = |marks: bool| rows(d, marks, styles);
    let list = match d.step {
        AuditStep::Open => List {
            title: format!("Audit {apple_id} (1/4)"),
            intro: vec![
                "Open Apple's page: sign in at account.apple.com → Sign-In and Security → \
                 App-Specific Passwords. It should list these, newest first:"
                    .to_owned(),
            ],
            items: if d.rows.is_empty() {
                vec![(
                    "(none: aspen holds no active password for it)".to_owned(),
                    styles.muted(),
                )]
            } else {
                rows(false)
            },
            // A cursor, so that a list longer than the window scrolls.
            selected: d.selected,
            note: Vec::new(),
            said: None,
            keys: vec![
                (dialog_key(state, Action::Confirm), "next"),
                (dialog_key(state, Action::Back), "cancel"),
            ],
            border: styles.accent(),
        },
        AuditStep::Mark => List {
            title: format!("Audit {apple_id} (2/4)"),
            intro: vec!["Does Apple's page list each of these?".to_owned()],
            items: rows(true),
            selected: d.selected,
            note: Vec::new(),
            said: None,
            keys: vec![
                (choose(state), "move"),
                (
                    state
                        .keymap
                        .pair_hint(Mode::Dialog, Action::ChoicePrev, Action::ChoiceNext),
                    "listed / not",
                ),
                (dialog_key(state, Action::Confirm), "next"),
                (dialog_key(state, Action::Back), "back"),
            ],
            border: styles.accent(),
        },
        AuditStep::Unlisted => return,
        AuditStep::Confirm => List {
            title: format!("Audit {apple_id} (4/4): record this?"),
            intro: d.change.as_ref().map(|p| p.lines.clone()).unwrap_or_default(),
            items: Vec::new(),
            selected: 0,
            note: Vec::new(),
            said: None,
            keys: vec![
                (dialog_key(state, Action::Confirm), "record"),
                (dialog_key(state, Action::Back), "back"),
            ],
            border: styles.danger(),
        },
    };
    render(frame, area, list, styles);
}

/// The labels Apple should list, each with its date as Apple writes it; with
/// `marks`, what the user saw for each.
fn rows(d: &AuditDialog, marks: bool, styles: &Styles) -> Vec<(String, ratatui::style::Style)> {
    d.rows
        .iter()
        .map(|r| {
            let old = if r.old { "  (old password)" } else { "" };
            let shown = format!(
                "{}  {}{old}",
                escape_control(&r.label),
                audit_apple_date(r.created)
            );
            let mark = match (r.old, r.mark) {
                (true, Mark::Listed) | (false, _) => r.mark.describe(),
                (true, _) => "not listed, revoked at Apple",
            };
            match (marks, r.mark) {
                (false, _) => (shown, styles.text()),
                (true, Mark::Listed) => (format!("[{mark}] {shown}"), styles.text()),
                (true, _) => (format!("[{mark}] {shown}"), styles.warning()),
            }
        })
        .collect()
}
