//! The overview: every Apple ID's gauge, entries by age, and the reset timeline.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph};

use super::gauge::{columns, gauge_line};
use super::status;
use crate::model::days_between;
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
    let Some(session) = &state.session else {
        return;
    };
    let all = &session.slots;
    let gauges_height = all.len().max(1) as u16 + 2;
    let mut footer = status::lines(state, area.width, styles);
    let room = area.height.saturating_sub(gauges_height + MIN_MIDDLE + 1);
    // Too long for the room below the charts: the message opens in a box instead.
    let boxed = footer.len() > usize::from(room);
    if boxed {
        footer.clear();
    }
    let key = |action| state.keymap.hint(Mode::Overview, action, 1);
    footer.push(super::hint_line(
        &[
            (key(Action::Back), "back"),
            (key(Action::Help), "help"),
            (key(Action::Quit), "quit"),
        ],
        styles,
    ));
    let [gauges, middle, footer_area] = Layout::vertical([
        Constraint::Length(gauges_height),
        Constraint::Min(MIN_MIDDLE),
        Constraint::Length(footer.len() as u16),
    ])
    .areas(area);
    render_gauges(frame, gauges, all, styles);
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

fn render_gauges(frame: &mut Frame, area: Rect, all: &[crate::model::Slots], styles: &Styles) {
    let columns = columns(all, area.width.saturating_sub(2), styles);
    let mut lines: Vec<Line> = all.iter().map(|s| gauge_line(s, columns, styles)).collect();
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("No Apple IDs yet.", styles.muted())));
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(Span::styled(" Slots per Apple ID ", styles.title()))
                .border_style(styles.border()),
        ),
        area,
    );
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

fn render_resets(frame: &mut Frame, area: Rect, vault: &crate::model::Vault, styles: &Styles) {
    let mut timeline: Vec<(jiff::civil::Date, String)> = vault
        .accounts
        .iter()
        .flat_map(|a| {
            a.resets
                .iter()
                .map(move |r| (r.date, escape_control(&a.apple_id).into_owned()))
        })
        .collect();
    timeline.sort();
    let mut lines: Vec<Line> = timeline
        .iter()
        .rev()
        .map(|(date, id)| {
            Line::from(vec![
                Span::styled(format!("{date}  ┤ "), styles.accent()),
                Span::styled(format!("password reset · {id}"), styles.text()),
            ])
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "No Apple ID password resets recorded.",
            styles.muted(),
        )));
    }
    let width = area.width.saturating_sub(2);
    frame.render_widget(
        Paragraph::new(super::wrap::wrap_lines(&lines, width)).block(
            Block::bordered()
                .title(Span::styled(" Resets, newest first ", styles.title()))
                .border_style(styles.border()),
        ),
        area,
    );
}
