//! The screens before the vault is open: the first-run welcome, the unlock prompt,
//! and what stands at the vault path when aspen can do neither. Each box is as tall
//! as its text; on a short window the explanations give way, never the fields or
//! what went wrong.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding, Paragraph};

use super::wrap::wrapped;
use super::{centered, mask, spinner};
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::state::{State, Unlock, Welcome};
use crate::tui::style::Styles;

/// The widest a lock screen's box gets.
const BOX_WIDTH: u16 = 76;

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

/// The bottom of a lock screen: progress, else the error, else a message, else the
/// keys; wrapped to `width`, whole.
fn status_lines(
    state: &State,
    error: Option<&str>,
    keys: &[(Action, &str)],
    width: u16,
    styles: &Styles,
) -> Vec<Line<'static>> {
    if let Some(b) = &state.busy {
        let secs = state.now.saturating_duration_since(b.since).as_secs_f32();
        // A no-break space: the unit stays with its number when the line wraps.
        let text = format!("{} {}… {secs:.1}\u{a0}s", spinner(state, b.since), b.text);
        wrapped(&text, width, styles.accent())
    } else if let Some(e) = error {
        wrapped(e, width, styles.danger())
    } else if let Some(m) = &state.message {
        wrapped(&m.text, width, super::tone_style(styles, m.tone))
    } else {
        let keys: Vec<(Option<String>, &str)> = keys
            .iter()
            .map(|(action, what)| (state.keymap.hint(Mode::Unlock, *action, 1), *what))
            .collect();
        super::wrap::wrap_line(&super::hint_line(&keys, styles), width)
    }
}

/// The inner width of a lock screen's box on `area`.
fn inner_width(area: Rect) -> u16 {
    BOX_WIDTH.min(area.width).saturating_sub(4)
}

/// Draws a lock screen's box: `sections` top to bottom as long as they fit (the
/// first ones give way when they do not), then `bottom`, always whole.
fn lock_box(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    sections: Vec<Vec<Line>>,
    bottom: Vec<Line>,
    styles: &Styles,
) {
    let room = usize::from(area.height.saturating_sub(2)).saturating_sub(bottom.len());
    let mut kept: Vec<Vec<Line>> = Vec::new();
    let mut used = 0;
    for section in sections.into_iter().rev() {
        if used + section.len() > room {
            break;
        }
        used += section.len();
        kept.push(section);
    }
    let mut lines: Vec<Line> = kept.into_iter().rev().flatten().collect();
    lines.extend(bottom);
    let box_area = centered(area, BOX_WIDTH, lines.len() as u16 + 2);
    let block = Block::bordered()
        .title(Span::styled(title.to_owned(), styles.title()))
        .border_style(styles.border())
        .padding(Padding::horizontal(1));
    frame.render_widget(Paragraph::new(lines).block(block), box_area);
}

fn blank() -> Vec<Line<'static>> {
    vec![Line::raw("")]
}

fn path_lines(state: &State, prefix: &str, width: u16, style: Style) -> Vec<Line<'static>> {
    let path = escape_control(&state.vault_path.display().to_string()).into_owned();
    wrapped(&format!("{prefix}{path}"), width, style)
}

pub fn welcome(frame: &mut Frame, area: Rect, state: &State, w: &Welcome, styles: &Styles) {
    let width = inner_width(area);
    let score = strength(&w.first.0);
    let mut intro = wrapped(
        "aspen keeps your Apple app-specific passwords in an encrypted vault, one per app, \
         with each Apple ID's 25 slots in view.",
        width,
        styles.text(),
    );
    intro.extend(wrapped(
        "When you reset your Apple ID password it tells you exactly which apps need a new one.",
        width,
        styles.text(),
    ));
    intro.push(Line::raw(""));
    let mut fields = vec![
        Line::raw(""),
        field_line("Passphrase", &w.first.0, w.focus == 0, styles),
        field_line("Repeat it", &w.second.0, w.focus == 1, styles),
        Line::raw(""),
        meter(score, w.first.0.is_empty(), styles),
        Line::raw(""),
    ];
    if w.insecure_kdf {
        fields.extend(wrapped(
            "--insecure-kdf: this vault's key derivation is far too cheap for real passwords.",
            width,
            styles.danger(),
        ));
    }
    let mut offer = wrapped(
        "Keeping them in 1Password, Bitwarden, KeePassXC or the Passwords app already? Once the \
         vault is created, you can import them from that app's export.",
        width,
        styles.text(),
    );
    offer.push(Line::raw(""));
    let sections = vec![
        intro,
        offer,
        path_lines(state, "New vault: ", width, styles.muted()),
        blank(),
        wrapped(
            "Choose a passphrase. It is the only key: nobody can recover it for you.",
            width,
            styles.text(),
        ),
        fields,
    ];
    let bottom = status_lines(
        state,
        w.error.as_deref(),
        &[
            (Action::Confirm, "next / create"),
            (Action::NextField, "switch field"),
            (Action::Quit, "quit"),
        ],
        width,
        styles,
    );
    lock_box(frame, area, " Welcome to aspen ", sections, bottom, styles);
}

pub fn unlock(frame: &mut Frame, area: Rect, state: &State, u: &Unlock, styles: &Styles) {
    let width = inner_width(area);
    let sections = vec![
        path_lines(state, "", width, styles.muted()),
        vec![
            Line::raw(""),
            field_line("Passphrase", &u.input.0, state.busy.is_none(), styles),
            Line::raw(""),
        ],
    ];
    let bottom = status_lines(
        state,
        u.error.as_deref(),
        &[
            (Action::Confirm, "unlock"),
            (Action::Back, "clear"),
            (Action::Quit, "quit"),
        ],
        width,
        styles,
    );
    lock_box(frame, area, " aspen — locked ", sections, bottom, styles);
}

/// What stands at the vault path instead of a vault, and what to do about it.
pub fn cannot_open(frame: &mut Frame, area: Rect, state: &State, problem: &str, styles: &Styles) {
    let width = inner_width(area);
    let mut bottom = wrapped(problem, width, styles.danger());
    bottom.push(Line::raw(""));
    bottom.extend(status_lines(
        state,
        None,
        &[(Action::Confirm, "check again"), (Action::Quit, "quit")],
        width,
        styles,
    ));
    let sections = vec![path_lines(state, "", width, styles.muted()), blank()];
    lock_box(
        frame,
        area,
        " aspen — cannot open the vault ",
        sections,
        bottom,
        styles,
    );
}
