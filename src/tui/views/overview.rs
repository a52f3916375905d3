//! The overview: every Apple ID's gauge, entries by age, and the reset timeline.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph};

use super::main_screen::gauge_line;
use crate::model::days_between;
use crate::text::escape_control;
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
    let vault = &session.loaded.vault;
    let all = &session.slots;
    let [gauges, middle, footer] = Layout::vertical([
        Constraint::Length(all.len().max(1) as u16 + 2),
        Constraint::Min(8),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut lines: Vec<Line> = all.iter().map(|s| gauge_line(s, 25, styles)).collect();
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("No Apple IDs yet.", styles.muted())));
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(Span::styled(" Slots per Apple ID ", styles.title()))
                .border_style(styles.border()),
        ),
        gauges,
    );

    let [chart_area, timeline_area] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(middle);
    let mut counts = [0u64; BUCKETS.len()];
    for e in vault.entries.iter().filter(|e| e.is_active()) {
        let d = days_between(e.created, state.today);
        if let Some(b) = BUCKETS.iter().position(|(_, lo, hi)| d >= *lo && d < *hi) {
            counts[b] += 1;
        }
    }
    let bars: Vec<Bar> = BUCKETS
        .iter()
        .zip(counts)
        .enumerate()
        .map(|(i, ((label, _, _), n))| {
            // Older buckets are the ones to rotate: warm them up.
            let style = if i >= 3 { styles.warning() } else { styles.accent() };
            Bar::default()
                .value(n)
                .label(Line::from(*label))
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
        .bar_width(6)
        .bar_gap(1);
    frame.render_widget(chart, chart_area);

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
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(Span::styled(" Resets, newest first ", styles.title()))
                .border_style(styles.border()),
        ),
        timeline_area,
    );
    frame.render_widget(
        Paragraph::new(super::hint_line(
            &[("Esc", "back"), ("?", "help"), ("q", "quit")],
            styles,
        )),
        footer,
    );
}
