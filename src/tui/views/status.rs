//! What aspen has to say (an error, a result, progress, a copy's countdown), wrapped
//! over as many lines as it needs: a message is never cut off at the screen's edge.
//! One longer than [`MAX_LINES`] collapses to a line naming the key that shows it
//! whole; without such a key, one too long for the room a screen has left opens in
//! a box over the screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::wrap::wrapped;
use super::{spinner, tone_style};
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::state::{Screen, State, Tone, View};
use crate::tui::style::Styles;

/// The status area's lines: a verification's progress, if one runs, above what
/// [`said`] says.
pub fn lines(state: &State, width: u16, styles: &Styles) -> Vec<Line<'static>> {
    let mut lines = super::verifying::progress(state, width, styles);
    lines.extend(said(state, width, styles));
    lines
}

/// Progress, else the message, else the copy countdown; empty when there is
/// nothing to say.
fn said(state: &State, width: u16, styles: &Styles) -> Vec<Line<'static>> {
    if let Some(b) = &state.busy {
        let text = format!("{} {}…", spinner(state, b.since), b.text);
        return wrapped(&text, width, styles.accent());
    }
    if let Some(m) = &state.message {
        let style = tone_style(styles, m.tone);
        let lines = wrapped(&m.text, width, style);
        return match read_key(state) {
            Some(key) if lines.len() > MAX_LINES => vec![collapsed(&m.text, &key, width, style, styles)],
            _ => lines,
        };
    }
    if let Some(c) = &state.copy {
        let text = match c.deadline {
            Some(d) => format!(
                "Copied {} — clears in {} s",
                escape_control(&c.label),
                d.saturating_duration_since(state.now).as_secs_f32().ceil() as u64
            ),
            None if c.through_terminal => format!(
                "Sent {} through the terminal (OSC 52); it stays until replaced",
                escape_control(&c.label)
            ),
            None => format!("Copied {} (stays until replaced)", escape_control(&c.label)),
        };
        return wrapped(&text, width, styles.ok());
    }
    Vec::new()
}

/// The most lines a message takes below a screen; a longer one collapses to one
/// line that names the key which shows it whole.
pub const MAX_LINES: usize = 2;

/// The key that shows a long message whole on the screen showing it; `None`
/// while a search is typed (its keys type) or when no key is bound to it.
fn read_key(state: &State) -> Option<String> {
    let mode = match &state.screen {
        Screen::Open(_, View::Main) if !state.session().is_some_and(|s| s.table.searching) => Mode::Main,
        Screen::Open(_, View::Overview) => Mode::Overview,
        _ => return None,
    };
    state.keymap.hint(mode, Action::ReadMessage, 1)
}

/// A long message as one line: its start, cut with "…", then "M shows all".
fn collapsed(text: &str, key: &str, width: u16, style: Style, styles: &Styles) -> Line<'static> {
    let line = Line::from(Span::styled(text.replace('\n', " "), style));
    let keep = Line::from(vec![
        Span::raw("  "),
        Span::styled(key.to_owned(), styles.key()),
        Span::styled(" shows all", styles.muted()),
    ]);
    super::fit::cut_line_before(&line, &keep, usize::from(width))
}

/// How a box with a message of `tone` is titled.
pub fn title(tone: Tone) -> &'static str {
    match tone {
        Tone::Error => "Error",
        Tone::Warning => "Warning",
        Tone::Info | Tone::Good => "aspen",
    }
}

/// The message in a box over `area`, for when the screen has no room for it below.
pub fn message_box(frame: &mut Frame, area: Rect, state: &State, styles: &Styles) {
    let Some(m) = &state.message else {
        return;
    };
    let style = tone_style(styles, m.tone);
    let lines = wrapped(&m.text, super::popup_inner_width(area), style);
    super::popup(frame, area, title(m.tone), &lines, &[], style, styles);
}
