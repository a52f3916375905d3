//! Pure renders of [`State`]: they read it and draw, nothing else.

mod checks;
mod choices;
mod details;
pub mod fit;
mod footer;
mod gauge;
mod import;
mod lock_screens;
mod main_screen;
mod overlays;
mod overview;
mod recovery;
pub mod status;
mod table;
pub mod verifying;
mod words;
pub mod wrap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::action::Action;
use super::state::{self as tui_state, Screen, State, Tone, View};
use super::style::Styles;

/// Below this the screen shows only a "make the window bigger" message.
pub const MIN_SIZE: (u16, u16) = (60, 16);

/// Draws `state` and says where it drew what input needs (the table's rows): a
/// render reads the state and changes nothing.
pub fn render(frame: &mut Frame, state: &State) -> tui_state::Layout {
    let styles = Styles::new(&state.theme, state.no_color);
    let area = frame.area();
    frame.render_widget(Block::default().style(styles.base()), area);
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        let quits = state
            .keymap
            .hint(state.mode(), Action::Quit, 1)
            .map(|k| format!(" {k} quits."))
            .unwrap_or_default();
        let text = vec![
            Line::from(Span::styled("aspen needs a bigger window", styles.warning())),
            Line::from(format!(
                "at least {}×{}; this one is {}×{}.{quits}",
                MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
            )),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return tui_state::Layout::default();
    }
    let mut table = None;
    match &state.screen {
        Screen::Welcome(w) => lock_screens::welcome(frame, area, state, w, &styles),
        Screen::Unlock(u) => lock_screens::unlock(frame, area, state, u, &styles),
        Screen::CannotOpen(problem) => lock_screens::cannot_open(frame, area, state, problem, &styles),
        Screen::Open(_, View::Main) => table = main_screen::render(frame, area, state, &styles),
        Screen::Open(_, View::Overview) => overview::render(frame, area, state, &styles),
    }
    if let Some(overlay) = state.dialogs.top() {
        overlays::render(frame, area, state, overlay, &styles);
    }
    tui_state::Layout { table }
}

pub use overlays::help_scroll_limit;

/// How far an import's preview scrolls at the window's size (none when no preview
/// is open).
pub fn import_scroll_limit(state: &State) -> u16 {
    import::scroll_limit(state)
}

/// How wide a dialog box over `area` is.
fn popup_width(area: Rect) -> u16 {
    76.min(area.width.saturating_sub(4))
}

/// The width of a dialog box's text (inside its border and padding).
pub fn popup_inner_width(area: Rect) -> u16 {
    popup_width(area).saturating_sub(4)
}

/// How many lines of text a dialog box over `area` can hold.
pub fn popup_inner_height(area: Rect) -> u16 {
    // A margin above and below when there is room for one.
    let margin = if area.height > 20 { 2 } else { 0 };
    area.height.saturating_sub(margin + 2)
}

/// A centred box over `area`: `body`, then `foot` (what to do: an error, the keys),
/// each wrapped to the box's width and the box as tall as they need. When they do
/// not fit, the body's end gives way, never the foot.
pub fn popup(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    body: &[Line],
    foot: &[Line],
    border: ratatui::style::Style,
    styles: &Styles,
) {
    let inner_w = popup_inner_width(area);
    let room = usize::from(popup_inner_height(area));
    let foot = wrap::wrap_lines(foot, inner_w);
    let title = crate::text::escape_control(title);
    // A title too long for the border (it may end in a date) opens the box instead.
    let long_title = wrap::width_of(&title) + 2 > usize::from(popup_width(area).saturating_sub(4));
    let mut lines = if long_title {
        let mut lines = wrap::wrapped(&title, inner_w, styles.title());
        lines.push(Line::raw(""));
        lines
    } else {
        Vec::new()
    };
    lines.extend(wrap::wrap_lines(body, inner_w));
    if lines.len() + foot.len() > room {
        lines.truncate(room.saturating_sub(foot.len() + 1));
        lines.push(Line::from(Span::styled(
            "… (more than fits: make the window taller)",
            styles.muted(),
        )));
    }
    lines.extend(foot);
    let rect = centered(area, popup_width(area), lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let shown_title = if long_title {
        String::new()
    } else {
        format!(" {title} ")
    };
    let block = Block::bordered()
        .title(Span::styled(shown_title, styles.title()))
        .border_style(border)
        .style(styles.base())
        .padding(ratatui::widgets::Padding::horizontal(1));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// A centred box of at most `w`×`h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

pub fn tone_style(styles: &Styles, tone: Tone) -> ratatui::style::Style {
    match tone {
        Tone::Info => styles.accent(),
        Tone::Good => styles.ok(),
        Tone::Warning => styles.warning(),
        Tone::Error => styles.danger(),
    }
}

/// A spinner frame for busy work, from the time since it started.
pub fn spinner(state: &State, since: std::time::Instant) -> char {
    const FRAMES: [char; 8] = ['⣾', '⣽', '⣻', '⢿', '⡿', '⣟', '⣯', '⣷'];
    let ms = state.now.saturating_duration_since(since).as_millis();
    FRAMES[(ms / 125) as usize % FRAMES.len()]
}

/// A line of key hints: each key (from the keymap) in the key style, then what it
/// does; an action no key is bound to is left out.
pub fn hint_line(pairs: &[(Option<String>, &str)], styles: &Styles) -> Line<'static> {
    let bound: Vec<(&String, &str)> = pairs
        .iter()
        .filter_map(|(key, what)| Some((key.as_ref()?, *what)))
        .collect();
    let mut spans = Vec::with_capacity(bound.len() * 2);
    for (i, (key, what)) in bound.iter().enumerate() {
        let gap = if i + 1 < bound.len() { "   " } else { "" };
        spans.push(Span::styled((*key).clone(), styles.key()));
        spans.push(Span::styled(format!(" {what}{gap}"), styles.muted()));
    }
    Line::from(spans)
}

/// "•" for each character typed in a secret field.
pub fn mask(s: &str) -> String {
    "•".repeat(s.chars().count())
}
