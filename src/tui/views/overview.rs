//! The overview: every Apple ID's gauge, entries by age, and the reset timeline.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph};

use super::footer::{self, Hint};
use super::gauge::{columns, gauge_line};
use super::status;
use crate::model::{RevokeReason, Status, days_between};
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::state::State;
use crate::tui::style::Styles;

/// Age buckets of active entries, in months.
const BUCKETS: [(&str, i64, i64); 6] = [
    ("<3 mo", 0, 90),
    ("3-6 mo", 90, 182),
    ("6-12", 182, 365),
    ("1-2 y", 365, 730),
    ("2-3 y", 730, 1095),
    (">3 y", 1095, i64::MAX),
];

pub fn render(frame: &mut Frame, area: Rect, state: &State, styles: &Styles) {
    let Some(session) = state.session() else {
        return;
    };
    let all = &session.slots;
    // One line per Apple ID, and the selected one's iCloud Mail address and last
    // audit, wrapped whole.
    let audit = session
        .loaded
        .vault
        .accounts
        .get(session.overview)
        .map(|a| {
            let width = area.width.saturating_sub(2);
            let mut lines = mail_lines(a, state, width, styles);
            lines.extend(audit_lines(a, width, styles));
            lines
        })
        .unwrap_or_default();
    let gauges_height = all.len() as u16 + 2 + audit.len().max(1) as u16;
    let mut footer = status::lines(state, area.width, styles);
    // The keys take one or two lines, whatever the charts leave.
    let spare = area.height.saturating_sub(gauges_height + MIN_MIDDLE);
    let keys = hints(state, area.width, usize::from(spare.clamp(1, 2)), styles);
    let room = spare.saturating_sub(keys.len() as u16);
    // Too long for the room below the charts: the message opens in a box instead.
    let boxed = footer.len() > usize::from(room);
    if boxed {
        footer.clear();
    }
    footer.extend(keys);
    let [gauges, middle, footer_area] = Layout::vertical([
        Constraint::Length(gauges_height),
        Constraint::Min(MIN_MIDDLE),
        Constraint::Length(footer.len() as u16),
    ])
    .areas(area);
    render_gauges(frame, gauges, state, audit, styles);
    let [chart_area, timeline_area] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(middle);
    render_ages(frame, chart_area, state, &session.loaded.vault, styles);
    render_resets(frame, timeline_area, &session.loaded.vault, styles);
    frame.render_widget(Paragraph::new(footer), footer_area);
    if boxed {
        status::message_box(frame, area, state, styles);
    }
}

/// The charts need at least this many lines.
const MIN_MIDDLE: u16 = 8;

/// The overview's keys in at most `lines` lines, ranked by how much they are
/// needed: help, back and quit stay; withdrawing only when a reset is on record,
/// undoing only when there is a change to undo.
fn hints(state: &State, width: u16, lines: usize, styles: &Styles) -> Vec<Line<'static>> {
    let key = |action| state.keymap.hint(Mode::Overview, action, 1);
    // Only where there is an address to record: not for an iCloud address.
    let mail = state
        .session()
        .and_then(|s| s.loaded.vault.accounts.get(s.overview))
        .filter(|a| !a.mail.is_empty() || crate::model::icloud_mail_address(&a.apple_id).is_none())
        .and_then(|_| key(Action::MailAppleId));
    let session = state.session();
    let undo = session.is_some_and(|s| !s.undo.is_empty());
    let recovery = session.is_some_and(|s| s.loaded.vault.has_recovery_key());
    let resets = session.is_some_and(|s| {
        let v = &s.loaded.vault;
        v.accounts.iter().any(|a| !a.resets.is_empty())
            || v.entries.iter().any(|e| {
                matches!(
                    e.status,
                    Status::Revoked {
                        reason: RevokeReason::RevokeAll,
                        ..
                    }
                )
            })
    });
    let hints = [
        Hint::new(
            state.keymap.pair_hint(Mode::Overview, Action::Up, Action::Down),
            "Apple ID",
            3,
        ),
        Hint::new(key(Action::Audit), "audit", 5),
        Hint::new(key(Action::Verify), "verify all", 8),
        Hint::new(key(Action::NameAppleId), "name", 5),
        Hint::new(mail, "iCloud Mail", 6),
        Hint::new(key(Action::RenameAppleId), "rename", 6),
        Hint::new(key(Action::ForgetAppleId), "forget", 7),
        Hint::new(key(Action::Withdraw), "withdraw", if resets { 4 } else { 9 }),
        Hint::new(key(Action::Undo), "undo", if undo { 2 } else { 7 }),
        // Wanted while only the passphrase opens the vault.
        Hint::new(
            key(Action::RecoveryKey),
            "recovery key",
            if recovery { 9 } else { 4 },
        ),
        Hint::new(key(Action::Back), "back", 1),
        Hint::new(key(Action::Help), "help", footer::HELP),
        Hint::new(key(Action::Quit), "quit", 2),
    ];
    footer::ranked(&hints, width, lines, styles)
}

/// One gauge per Apple ID, the selected one marked: the one the keys act on; under
/// them, when the selected one was last checked against Apple's page.
fn render_gauges(frame: &mut Frame, area: Rect, state: &State, audit: Vec<Line<'static>>, styles: &Styles) {
    let Some(session) = state.session() else {
        return;
    };
    let selected = session.overview;
    let all = &session.slots;
    let columns = columns(all, area.width.saturating_sub(4), styles);
    let mut lines: Vec<Line> = all
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut line = gauge_line(s, columns, styles);
            let mark = if i == selected {
                Span::styled("▸ ", styles.accent())
            } else {
                Span::raw("  ")
            };
            line.spans.insert(0, mark);
            line
        })
        .collect();
    if audit.is_empty() {
        lines.push(Line::from(Span::styled("No Apple IDs yet.", styles.muted())));
    }
    lines.extend(audit);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(Span::styled(" Slots per Apple ID ", styles.title()))
                .title_bottom(recovery_title(&session.loaded.vault, styles))
                .border_style(styles.border()),
        ),
        area,
    );
}

/// "▸ iCloud Mail address: jane.doe@icloud.com" (or not recorded) for an Apple ID
/// that is not one itself; nothing for one that is.
fn mail_lines(
    account: &crate::model::AppleAccount,
    state: &State,
    width: u16,
    styles: &Styles,
) -> Vec<Line<'static>> {
    if crate::model::icloud_mail_address(&account.apple_id).is_some() {
        return Vec::new();
    }
    let text = if account.mail.is_empty() {
        let record = match state.keymap.hint(Mode::Overview, Action::MailAppleId, 1) {
            Some(k) => format!(" ({k} records it)"),
            None => String::new(),
        };
        format!("iCloud Mail address: not recorded{record}")
    } else {
        format!("iCloud Mail address: {}", escape_control(&account.mail))
    };
    arrowed(&text, width, styles)
}

/// `text` wrapped to `width` under a "▸ ".
fn arrowed(text: &str, width: u16, styles: &Styles) -> Vec<Line<'static>> {
    let mut lines = super::wrap::wrapped(text, width.saturating_sub(4), styles.muted());
    for (n, line) in lines.iter_mut().enumerate() {
        let lead = if n == 0 { "  ▸ " } else { "    " };
        line.spans.insert(0, Span::styled(lead, styles.muted()));
    }
    lines
}

/// Whether a recovery key opens the vault besides the passphrase, on the gauges'
/// bottom border.
fn recovery_title(vault: &crate::model::Vault, styles: &Styles) -> Line<'static> {
    let (text, style) = match vault.recovery.len() {
        0 => (" no recovery key ".to_owned(), styles.muted()),
        1 => (" recovery key kept ".to_owned(), styles.ok()),
        n => (format!(" {n} recovery keys "), styles.ok()),
    };
    Line::from(Span::styled(text, style)).right_aligned()
}

/// "▸ last checked against Apple's page on 2026-11-20: matches Apple's page", or
/// never; wrapped under its arrow to `width`.
fn audit_lines(account: &crate::model::AppleAccount, width: u16, styles: &Styles) -> Vec<Line<'static>> {
    let text = match account.last_audit() {
        Some(a) => format!(
            "last checked against Apple's page on {}: {}",
            a.date,
            escape_control(&a.outcome)
        ),
        None => "never checked against Apple's page".to_owned(),
    };
    arrowed(&text, width, styles)
}

fn render_ages(frame: &mut Frame, area: Rect, state: &State, vault: &crate::model::Vault, styles: &Styles) {
    let mut counts = [0u64; BUCKETS.len()];
    for e in vault.entries.iter().filter(|e| e.is_active()) {
        let d = days_between(e.created, state.today);
        if let Some(b) = BUCKETS.iter().position(|(_, lo, hi)| d >= *lo && d < *hi) {
            counts[b] += 1;
        }
    }
    // Six bars and their labels must fit whole: narrower bars, shorter labels.
    let wide = area.width.saturating_sub(2) >= 6 * 6 + 5;
    let bar_width = if wide { 6 } else { 4 };
    let bars: Vec<Bar> = BUCKETS
        .iter()
        .zip(SHORT)
        .zip(counts)
        .enumerate()
        .map(|(i, (((label, _, _), short), n))| {
            // Older buckets are the ones to rotate: warm them up.
            let style = if i >= 3 { styles.warning() } else { styles.accent() };
            Bar::default()
                .value(n)
                .label(Line::from(if wide { *label } else { short }))
                .style(style)
                .value_style(styles.selected())
        })
        .collect();
    let chart = BarChart::default()
        .block(
            Block::bordered()
                .title(Span::styled(" Active entries by age ", styles.title()))
                .border_style(styles.border()),
        )
        .data(BarGroup::default().bars(&bars))
        .bar_width(bar_width)
        .bar_gap(1);
    frame.render_widget(chart, area);
}

/// The age buckets' labels where a bar is four cells wide.
const SHORT: [&str; 6] = ["<3m", "3-6m", "6-12", "1-2y", "2-3y", ">3y"];

/// One reset or Revoke All: its date, then what it was, wrapped right of the date
/// where the eye looks for it; under the date when a word (the Apple ID) would
/// not fit there whole.
fn record(date: &str, what: &str, width: u16, styles: &Styles) -> Vec<Line<'static>> {
    let lead = format!("{date}  ┤ ");
    let body = Line::from(Span::styled(what.to_owned(), styles.text()));
    let widest = what.split(' ').map(super::wrap::width_of).max().unwrap_or(0);
    let indent = super::wrap::width_of(&lead);
    if indent + widest <= usize::from(width) {
        return super::wrap::hanging(vec![Span::styled(lead, styles.accent())], &body, indent, width);
    }
    let mut lines = vec![Line::from(Span::styled(
        lead.trim_end().to_owned(),
        styles.accent(),
    ))];
    lines.extend(super::wrap::hanging(vec![Span::raw("  ")], &body, 2, width));
    lines
}

/// The resets and Revoke Alls on record, newest first: what the withdraw key offers.
fn render_resets(frame: &mut Frame, area: Rect, vault: &crate::model::Vault, styles: &Styles) {
    let mut timeline: Vec<(jiff::civil::Date, &str, String)> = vault
        .accounts
        .iter()
        .flat_map(|a| {
            a.resets
                .iter()
                .map(move |r| (r.date, "password reset", escape_control(&a.apple_id).into_owned()))
        })
        .collect();
    timeline.extend(vault.entries.iter().filter_map(|e| match e.status {
        Status::Revoked {
            on,
            reason: RevokeReason::RevokeAll,
            ..
        } => Some((on, "Revoke All", escape_control(&e.apple_id).into_owned())),
        _ => None,
    }));
    timeline.sort();
    timeline.dedup();
    let width = area.width.saturating_sub(2);
    let mut lines: Vec<Line> = timeline
        .iter()
        .rev()
        .flat_map(|(date, what, id)| record(&date.to_string(), &format!("{what} · {id}"), width, styles))
        .collect();
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "No password reset or Revoke All recorded.",
            styles.muted(),
        )));
    }
    frame.render_widget(
        Paragraph::new(super::wrap::wrap_lines(&lines, width)).block(
            Block::bordered()
                .title(Span::styled(" Resets and Revoke Alls ", styles.title()))
                .border_style(styles.border()),
        ),
        area,
    );
}
