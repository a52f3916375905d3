//! What aspen has to say (an error, a result, progress, a copy's countdown), wrapped
//! over as many lines as it needs: a message is never cut off at the screen's edge.
//! One too long for the room a screen has left opens in a box over the screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::wrap::wrapped;
use super::{spinner, tone_style};
use crate::text::escape_control;
use crate::tui::state::{State, Tone};
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
        return wrapped(&m.text, width, tone_style(styles, m.tone));
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

/// The message in a box over `area`, for when the screen has no room for it below.
pub fn message_box(frame: &mut Frame, area: Rect, state: &State, styles: &Styles) {
    let Some(m) = &state.message else {
        return;
    };
    let title = match m.tone {
        Tone::Error => "Error",
        Tone::Warning => "Warning",
        Tone::Info | Tone::Good => "aspen",
    };
    let style = tone_style(styles, m.tone);
    let lines = wrapped(&m.text, super::popup_inner_width(area), style);
    super::popup(frame, area, title, &lines, &[], style, styles);
}
