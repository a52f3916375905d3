//! The first-run welcome and the unlock screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding, Paragraph, Wrap};

use super::{centered, mask, spinner};
use crate::text::escape_control;
use crate::tui::state::{State, Unlock, Welcome};
use crate::tui::style::Styles;

fn strength(passphrase: &str) -> u8 {
    if passphrase.is_empty() {
        return 0;
    }
    u8::from(zxcvbn::zxcvbn(passphrase, &["aspen", "apple", "icloud"]).score())
}

fn meter<'a>(score: u8, empty: bool, styles: &Styles) -> Line<'a> {
    let (word, style) = match score {
        _ if empty => ("", styles.muted()),
        0 | 1 => ("weak", styles.danger()),
        2 => ("fair", styles.warning()),
        3 => ("good", styles.ok()),
        _ => ("strong", styles.ok()),
    };
    let filled = if empty { 0 } else { usize::from(score) + 1 };
    Line::from(vec![
        Span::styled("Strength  ", styles.muted()),
        Span::styled("■".repeat(filled * 3), style),
        Span::styled("□".repeat((5 - filled) * 3), styles.gauge_empty()),
        Span::raw("  "),
        Span::styled(word, style),
    ])
}

fn field_line<'a>(label: &'a str, value: &str, focused: bool, styles: &Styles) -> Line<'a> {
    let cursor = if focused { "▏" } else { " " };
    Line::from(vec![
        Span::styled(
            format!("{label:<18}"),
            if focused { styles.accent() } else { styles.muted() },
        ),
        Span::styled(format!("{}{cursor}", mask(value)), styles.input()),
    ])
}

fn busy_line<'a>(state: &State, styles: &Styles) -> Option<Line<'a>> {
    state.busy.as_ref().map(|b| {
        let secs = state.now.saturating_duration_since(b.since).as_secs_f32();
        Line::from(Span::styled(
            format!("{} {}… {secs:.1} s", spinner(state, b.since), b.text),
            styles.accent(),
        ))
    })
}

/// The bottom line of a lock screen: progress, else the error, else a message, else
/// the keys.
fn status_line<'a>(state: &State, error: Option<&str>, keys: &[(&str, &str)], styles: &Styles) -> Line<'a> {
    if let Some(busy) = busy_line(state, styles) {
        busy
    } else if let Some(e) = error {
        Line::from(Span::styled(e.to_owned(), styles.danger()))
    } else if let Some(m) = &state.message {
        Line::from(Span::styled(m.text.clone(), super::tone_style(styles, m.tone)))
    } else {
        super::hint_line(keys, styles)
    }
}

pub fn welcome(frame: &mut Frame, area: Rect, state: &State, w: &Welcome, styles: &Styles) {
    let box_area = centered(area, 76, 20);
    let block = Block::bordered()
        .title(Span::styled(" Welcome to aspen ", styles.title()))
        .border_style(styles.border())
        .padding(Padding::horizontal(1));
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    let score = strength(&w.first.0);
    let mut lines = vec![
        Line::from(Span::styled(
            "aspen keeps your Apple app-specific passwords in an encrypted vault, one per app, \
             with each Apple ID's 25 slots in view.",
            styles.text(),
        )),
        Line::from(Span::styled(
            "When you reset your Apple ID password it tells you exactly which apps need a new one.",
            styles.text(),
        )),
        Line::raw(""),
        Line::from(Span::styled(
            format!(
                "New vault: {}",
                escape_control(&state.vault_path.display().to_string())
            ),
            styles.muted(),
        )),
        Line::raw(""),
        Line::from(Span::styled(
            "Choose a passphrase. It is the only key: nobody can recover it for you.",
            styles.text(),
        )),
        Line::raw(""),
        field_line("Passphrase", &w.first.0, w.focus == 0, styles),
        field_line("Repeat it", &w.second.0, w.focus == 1, styles),
        Line::raw(""),
        meter(score, w.first.0.is_empty(), styles),
        Line::raw(""),
    ];
    if w.insecure_kdf {
        lines.push(Line::from(Span::styled(
            "--insecure-kdf: this vault's key derivation is far too cheap for real passwords.",
            styles.danger(),
        )));
    }
    lines.push(status_line(
        state,
        w.error.as_deref(),
        &[
            ("Enter", "next / create"),
            ("Tab", "switch field"),
            ("Ctrl-c", "quit"),
        ],
        styles,
    ));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

pub fn unlock(frame: &mut Frame, area: Rect, state: &State, u: &Unlock, styles: &Styles) {
    let box_area = centered(area, 72, 12);
    let block = Block::bordered()
        .title(Span::styled(" aspen — locked ", styles.title()))
        .border_style(styles.border())
        .padding(Padding::horizontal(1));
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    let [top, rest] = Layout::vertical([Constraint::Length(3), Constraint::Min(0)]).areas(inner);
    let path = escape_control(&state.vault_path.display().to_string()).into_owned();
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(path, styles.muted())),
            Line::raw(""),
            field_line("Passphrase", &u.input.0, state.busy.is_none(), styles),
        ]),
        top,
    );
    let mut lines = vec![Line::raw("")];
    lines.push(status_line(
        state,
        u.error.as_deref(),
        &[("Enter", "unlock"), ("Esc", "clear"), ("Ctrl-c", "quit")],
        styles,
    ));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), rest);
}
