//! Pure renders of [`State`]: they read it and draw, nothing else.

mod lock_screens;
mod main_screen;
mod overlays;
mod overview;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::state::{Screen, State, Tone};
use super::style::Styles;
use super::update::MIN_SIZE;

pub fn render(frame: &mut Frame, state: &State) {
    let styles = Styles::new(&state.theme, state.no_color);
    let area = frame.area();
    frame.render_widget(Block::default().style(styles.base()), area);
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        let text = vec![
            Line::from(Span::styled("aspen needs a bigger window", styles.warning())),
            Line::from(format!(
                "at least {}×{}; this one is {}×{}. Ctrl-c quits.",
                MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
            )),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    match &state.screen {
        Screen::Welcome(w) => lock_screens::welcome(frame, area, state, w, &styles),
        Screen::Unlock(u) => lock_screens::unlock(frame, area, state, u, &styles),
        Screen::Main => main_screen::render(frame, area, state, &styles),
        Screen::Overview => overview::render(frame, area, state, &styles),
    }
    if let Some(overlay) = &state.overlay {
        overlays::render(frame, area, state, overlay, &styles);
    }
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

/// A line of key hints: each key in the key style, then what it does.
pub fn hint_line(pairs: &[(&str, &str)], styles: &Styles) -> Line<'static> {
    let mut spans = Vec::with_capacity(pairs.len() * 2);
    for (i, (key, what)) in pairs.iter().enumerate() {
        let gap = if i + 1 < pairs.len() { "   " } else { "" };
        spans.push(Span::styled((*key).to_owned(), styles.key()));
        spans.push(Span::styled(format!(" {what}{gap}"), styles.muted()));
    }
    Line::from(spans)
}

/// "•" for each character typed in a secret field.
pub fn mask(s: &str) -> String {
    "•".repeat(s.chars().count())
}
