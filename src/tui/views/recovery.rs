//! The recovery key, shown once: its text and its QR code (the lines
//! [`crate::qr::lines`] made; drawn here, never cut). When the code does not fit the
//! window, the text alone is shown, and the user is told to make the window larger
//! to see the code.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph};

use super::wrap::{width_of, wrapped};
use super::{centered, hint_line, popup};
use crate::tui::action::Action;
use crate::tui::dialogs::RecoveryKeyDialog;
use crate::tui::keymap::Mode;
use crate::tui::state::State;
use crate::tui::style::Styles;

/// The narrowest the text beside the code may be.
const MIN_TEXT: u16 = 28;

const INTRO: &str = "Your recovery key, shown only this once. Write it down or photograph the \
                     code, and keep it offline, away from the passphrase: it opens the vault \
                     without it. Closing this wipes it from the screen.";

pub(super) fn render(frame: &mut Frame, area: Rect, state: &State, d: &RecoveryKeyDialog, styles: &Styles) {
    let Some(secret) = d.secret() else {
        let body = [Line::from(Span::styled(
            "Saving the vault encrypted to the new key…",
            styles.muted(),
        ))];
        popup(frame, area, "Recovery key", &body, &[], styles.accent(), styles);
        return;
    };
    let qr = d.qr();
    let qr_w = qr.first().map_or(0, |l| width_of(l)) as u16;
    let code: Vec<Line> = qr
        .iter()
        .map(|l| Line::from(Span::styled(l.clone(), styles.qr())))
        .collect();
    // Wide enough for the code and the key on one line beside it, where there is room.
    let width = (qr_w + 2 + width_of(secret) as u16 + 4).min(area.width);
    let inner_w = width.saturating_sub(4);
    let inner_h = usize::from(area.height.saturating_sub(2));
    // The code with the words beside it, else above them, else not at all.
    let text_w = inner_w.saturating_sub(qr_w + 2);
    let beside = words(state, secret, text_w, None, styles);
    if text_w >= MIN_TEXT && beside.len().max(code.len()) <= inner_h {
        draw_beside(frame, area, width, (code, qr_w), beside, styles);
        return;
    }
    let stacked = words(state, secret, inner_w, Some(code.clone()), styles);
    let lines = if qr_w <= inner_w && stacked.len() <= inner_h {
        stacked
    } else {
        // The size at which the code shows beside the words.
        let need_h = words(state, secret, MIN_TEXT, None, styles).len().max(code.len()) + 2;
        let larger = format!(
            "The QR code does not fit: make the terminal larger to see the QR code ({}×{need_h} \
             or more).",
            qr_w + 2 + MIN_TEXT + 4,
        );
        let larger = wrapped(&larger, inner_w, styles.warning());
        words(state, secret, inner_w, Some(larger), styles)
    };
    let rect = centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block(styles)), rect);
}

/// What the box says, `width` wide: what the key is, `between` (the code, or why it
/// is not drawn), the key, and the key that closes it.
fn words(
    state: &State,
    secret: &str,
    width: u16,
    between: Option<Vec<Line<'static>>>,
    styles: &Styles,
) -> Vec<Line<'static>> {
    let close = state
        .keymap
        .hint(Mode::Dialog, Action::Confirm, 1)
        .or_else(|| state.keymap.hint(Mode::Dialog, Action::Back, 1));
    let mut lines = wrapped(INTRO, width, styles.text());
    lines.push(Line::raw(""));
    if let Some(between) = between {
        lines.extend(between);
        lines.push(Line::raw(""));
    }
    lines.extend(key_lines(secret, width, styles));
    lines.push(Line::raw(""));
    let keys = hint_line(&[(close, "close: I have kept it")], styles);
    lines.extend(super::wrap::wrap_line(&keys, width));
    lines
}

/// The code on the left, the words on its right.
fn draw_beside(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    (code, qr_w): (Vec<Line>, u16),
    beside: Vec<Line>,
    styles: &Styles,
) {
    let height = beside.len().max(code.len()) as u16;
    let rect = centered(area, width, height + 2);
    frame.render_widget(Clear, rect);
    let block = block(styles);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let left = Rect { width: qr_w, ..inner };
    let right = Rect {
        x: inner.x + qr_w + 2,
        width: inner.width.saturating_sub(qr_w + 2),
        ..inner
    };
    frame.render_widget(Paragraph::new(code), left);
    frame.render_widget(Paragraph::new(beside), right);
}

fn block(styles: &Styles) -> Block<'static> {
    Block::bordered()
        .title(Span::styled(" Your recovery key ", styles.title()))
        .border_style(styles.danger())
        .style(styles.base())
        .padding(Padding::horizontal(1))
}

/// The key on one line when it fits; else in equal parts, said to be one line.
fn key_lines(secret: &str, width: u16, styles: &Styles) -> Vec<Line<'static>> {
    let chars: Vec<char> = secret.chars().collect();
    let width = usize::from(width).max(1);
    if chars.len() <= width {
        return vec![Line::from(Span::styled(secret.to_owned(), styles.accent()))];
    }
    let parts = chars.len().div_ceil(width);
    let each = chars.len().div_ceil(parts);
    let mut lines: Vec<Line> = chars
        .chunks(each)
        .map(|c| Line::from(Span::styled(c.iter().collect::<String>(), styles.accent())))
        .collect();
    lines.extend(wrapped(
        &format!(
            "(one line of {} characters, written here in {parts})",
            chars.len()
        ),
        width as u16,
        styles.muted(),
    ));
    lines
}
