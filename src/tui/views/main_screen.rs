//! The main screen: slot gauges, the table of entries, the selected entry's
//! details, and the footer.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::{mask, spinner, tone_style};
use crate::model::{Attention, AttentionSet, Entry, SLOT_LIMIT, Slots, Status, days_between};
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::state::{Hitboxes, Session, State};
use crate::tui::style::Styles;

/// How many Apple IDs get a gauge line before "+N more".
const MAX_GAUGES: usize = 4;

pub fn render(frame: &mut Frame, area: Rect, state: &State, styles: &Styles) {
    let Some(session) = &state.session else {
        return;
    };
    let all_slots = &session.slots;
    let gauge_lines = all_slots.len().clamp(1, MAX_GAUGES) as u16 + u16::from(all_slots.len() > MAX_GAUGES);
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(gauge_lines + 1),
        Constraint::Min(5),
        Constraint::Length(2),
    ])
    .areas(area);
    render_header(frame, header, state, all_slots, styles);
    let wide = body.width >= 140;
    let (table_area, detail_area) = if wide {
        let [t, d] = Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(body);
        (t, d)
    } else {
        let [t, d] = Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body);
        (t, d)
    };
    render_table(frame, table_area, state, session, styles);
    render_detail(frame, detail_area, state, session, styles);
    render_footer(frame, footer, state, session, styles);
}

/// `me@icloud.com  ███████░░░  17/25  3 to regenerate`
pub fn gauge_line<'a>(s: &Slots, width: u16, styles: &Styles) -> Line<'a> {
    let cells = usize::from(width.clamp(10, 25));
    let filled = (s.active.min(SLOT_LIMIT) * cells).div_ceil(SLOT_LIMIT);
    let style = if s.active >= SLOT_LIMIT || s.regeneration_overflows() {
        styles.danger()
    } else if s.active >= 23 {
        styles.warning()
    } else {
        styles.ok()
    };
    let mut spans = vec![
        Span::styled(format!("{:<28} ", escape_control(&s.apple_id)), styles.text()),
        Span::styled("█".repeat(filled), style),
        Span::styled("░".repeat(cells - filled), styles.gauge_empty()),
        Span::styled(format!("  {:>2}/{}", s.active, s.limit), style),
    ];
    if s.to_regenerate > 0 {
        spans.push(Span::styled(
            format!("  {} to regenerate", s.to_regenerate),
            styles.warning(),
        ));
    }
    if s.regeneration_overflows() {
        spans.push(Span::styled("  (won't all fit)", styles.danger()));
    }
    Line::from(spans)
}

fn render_header(frame: &mut Frame, area: Rect, state: &State, all: &[Slots], styles: &Styles) {
    let mut lines = vec![Line::from(vec![
        Span::styled(" aspen ", styles.selected()),
        Span::styled(
            format!("  {}", escape_control(&state.vault_path.display().to_string())),
            styles.muted(),
        ),
    ])];
    if all.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                "No Apple IDs yet: {} your first app-specific password.",
                crate::tui::hints::key(&state.keymap, Action::Add, "add")
            ),
            styles.muted(),
        )));
    }
    for s in all.iter().take(MAX_GAUGES) {
        lines.push(gauge_line(s, 25, styles));
    }
    if all.len() > MAX_GAUGES {
        lines.push(Line::from(Span::styled(
            format!(
                "+{} more Apple IDs ({})",
                all.len() - MAX_GAUGES,
                crate::tui::hints::key(&state.keymap, Action::Overview, "see them all")
            ),
            styles.muted(),
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// "14 mo", "3 d", "2 y".
pub fn age(days: i64) -> String {
    match days {
        d if d < 0 => "future".to_owned(),
        d if d < 60 => format!("{d} d"),
        d if d < 730 => format!("{} mo", d / 30),
        d => format!("{} y", d / 365),
    }
}

fn attention_cell(a: AttentionSet) -> String {
    let mut reasons = a.iter();
    match (reasons.next(), reasons.count()) {
        (None, _) => String::new(),
        (Some(first), 0) => first.name().to_owned(),
        (Some(first), more) => format!("{} +{more}", first.name()),
    }
}

fn status_badge<'a>(e: &Entry, a: AttentionSet, styles: &Styles) -> Span<'a> {
    match e.status {
        _ if a.needs_action() => Span::styled("● attention", styles.warning()),
        Status::Active => Span::styled("● active", styles.ok()),
        Status::Revoked { .. } => Span::styled("○ revoked", styles.muted()),
    }
}

/// The label with the search's matched characters highlighted.
fn label_cell<'a>(session: &Session, i: usize, styles: &Styles, base: Style) -> Line<'a> {
    let label = &session.loaded.vault.entries[i].label;
    let hits = session.search.borrow_mut().label_matches(&session.index, i);
    if hits.is_empty() {
        return Line::from(Span::styled(escape_control(label).into_owned(), base));
    }
    let spans: Vec<Span> = label
        .chars()
        .enumerate()
        .map(|(n, c)| {
            let text = escape_control(&c.to_string()).into_owned();
            if hits.binary_search(&n).is_ok() {
                Span::styled(text, styles.matched())
            } else {
                Span::styled(text, base)
            }
        })
        .collect();
    Line::from(spans)
}

fn render_table(frame: &mut Frame, area: Rect, state: &State, session: &Session, styles: &Styles) {
    let title = format!(
        " {} of {} · sort: {} · show: {} ",
        session.rows.len(),
        session.loaded.vault.entries.len(),
        session.sort.name(),
        session.filter.name()
    );
    let block = Block::bordered()
        .title(Span::styled(title, styles.title()))
        .border_style(styles.border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = usize::from(inner.height.saturating_sub(1)).max(1);
    // Keep the selection visible, moving the window only when it leaves it.
    let mut offset = session.offset.get();
    if session.selected < offset {
        offset = session.selected;
    } else if session.selected >= offset + height {
        offset = session.selected + 1 - height;
    }
    offset = offset.min(session.rows.len().saturating_sub(height));
    session.offset.set(offset);
    state.hitboxes.set(Hitboxes {
        table_rows: Rect {
            y: inner.y + 1,
            height: inner.height.saturating_sub(1),
            ..inner
        },
    });
    if session.rows.is_empty() {
        let key = |action, word| crate::tui::hints::key(&state.keymap, action, word);
        let text = if session.loaded.vault.entries.is_empty() {
            format!(
                "The vault is empty. To add an app-specific password, {}.",
                key(Action::Add, "add")
            )
        } else {
            format!(
                "Nothing matches. Esc clears the search; to change which statuses show, {}.",
                key(Action::CycleFilter, "cycle the filter")
            )
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text, styles.muted())).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let today = state.today;
    // Only the visible rows are built: the table stays fast at 100,000 entries.
    let rows: Vec<Row> = session.rows[offset..(offset + height).min(session.rows.len())]
        .iter()
        .map(|&i| {
            let e = &session.loaded.vault.entries[i];
            let a = session.attention[i];
            Row::new(vec![
                Cell::from(label_cell(session, i, styles, styles.text())),
                Cell::from(Span::styled(
                    escape_control(&e.apps.join(", ")).into_owned(),
                    styles.text(),
                )),
                Cell::from(Span::styled(
                    escape_control(&e.apple_id).into_owned(),
                    styles.muted(),
                )),
                Cell::from(Span::styled(e.created.to_string(), styles.muted())),
                Cell::from(Span::styled(age(days_between(e.created, today)), styles.muted())),
                Cell::from(status_badge(e, a, styles)),
                Cell::from(Span::styled(attention_cell(a), styles.warning())),
            ])
        })
        .collect();
    let header = Row::new([
        "Label",
        "Apps",
        "Apple ID",
        "Created",
        "Age",
        "Status",
        "Attention",
    ])
    .style(styles.accent());
    let widths = [
        Constraint::Fill(3),
        Constraint::Fill(3),
        Constraint::Fill(3),
        Constraint::Length(10),
        Constraint::Length(5),
        Constraint::Length(11),
        Constraint::Fill(2),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(styles.selected());
    let mut table_state = TableState::default().with_selected(Some(session.selected - offset));
    frame.render_stateful_widget(table, inner, &mut table_state);
}

fn render_detail(frame: &mut Frame, area: Rect, state: &State, session: &Session, styles: &Styles) {
    let block = Block::bordered()
        .title(Span::styled(" Details ", styles.title()))
        .border_style(styles.border());
    let Some(i) = session.selected_index() else {
        frame.render_widget(block, area);
        return;
    };
    let e = &session.loaded.vault.entries[i];
    let a = session.attention[i];
    let field = |name: &'static str, value: String| {
        Line::from(vec![
            Span::styled(format!("{name:<10}"), styles.muted()),
            Span::styled(value, styles.text()),
        ])
    };
    let revealed = session
        .revealed
        .as_ref()
        .is_some_and(|(id, until)| *id == e.id && *until > state.now);
    // Borrowed, not copied: an owned String would leave an unzeroized copy of the
    // password behind on every frame it is shown.
    let password = if revealed {
        Span::styled(e.password.expose(), styles.warning())
    } else {
        Span::styled(mask(e.password.expose()), styles.text())
    };
    let mut lines = vec![
        field("Label", escape_control(&e.label).into_owned()),
        field("Apple ID", escape_control(&e.apple_id).into_owned()),
        field("Apps", escape_control(&e.apps.join(", ")).into_owned()),
        field(
            "Created",
            format!(
                "{} ({} old)",
                e.created,
                age(days_between(e.created, state.today))
            ),
        ),
        Line::from(vec![
            Span::styled(format!("{:<10}", "Password"), styles.muted()),
            password,
        ]),
    ];
    let status = match e.status {
        Status::Active => Span::styled("active", styles.ok()),
        Status::Revoked {
            on,
            reason,
            needs_replacement,
        } => Span::styled(
            format!(
                "revoked {on}, {}{}",
                reason.describe(),
                if needs_replacement {
                    "; apps still need one"
                } else {
                    "; apps retired"
                }
            ),
            styles.muted(),
        ),
    };
    lines.push(Line::from(vec![
        Span::styled(format!("{:<10}", "Status"), styles.muted()),
        status,
    ]));
    for (n, note) in e.notes.lines().enumerate() {
        lines.push(field(
            if n == 0 { "Notes" } else { "" },
            escape_control(note).into_owned(),
        ));
    }
    // Why it needs attention, then its history: beside the fields when there is
    // room, below them otherwise.
    let mut more: Vec<Line> = Vec::new();
    for reason in a.iter() {
        more.push(Line::from(vec![
            Span::styled(format!("{}: ", reason.name()), styles.warning()),
            Span::styled(advice(state, reason), styles.text()),
        ]));
    }
    if !more.is_empty() {
        more.push(Line::raw(""));
    }
    more.push(Line::from(Span::styled("History", styles.accent())));
    for h in e.history.iter().rev() {
        more.push(Line::from(vec![
            Span::styled(format!("{}  ", h.date), styles.muted()),
            Span::styled(escape_control(&h.event.describe()).into_owned(), styles.text()),
        ]));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width >= 90 {
        let [left, right] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
            .spacing(2)
            .areas(inner);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), left);
        frame.render_widget(Paragraph::new(more).wrap(Wrap { trim: false }), right);
    } else {
        lines.push(Line::raw(""));
        lines.extend(more);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

/// An attention reason's explanation, ending in the key that resolves it here (the
/// command line names its command instead).
fn advice(state: &State, reason: Attention) -> String {
    let mut text = reason.explain().to_owned();
    if reason.regenerates() {
        text.push_str(": ");
        text.push_str(&crate::tui::hints::key(
            &state.keymap,
            Action::Regenerate,
            "regenerate",
        ));
    }
    text
}

fn render_footer(frame: &mut Frame, area: Rect, state: &State, session: &Session, styles: &Styles) {
    let [status, keys] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let line = if session.searching || session.search.borrow().is_active() {
        let query = escape_control(session.search.borrow().query()).into_owned();
        Line::from(vec![
            Span::styled("/", styles.key()),
            Span::styled(query, styles.input()),
            Span::styled(if session.searching { "▏" } else { "" }, styles.input()),
            Span::styled(
                if session.searching {
                    "   Enter keep · Esc clear"
                } else {
                    "   Esc clears the search"
                },
                styles.muted(),
            ),
        ])
    } else if let Some(b) = &state.busy {
        Line::from(Span::styled(
            format!("{} {}…", spinner(state, b.since), b.text),
            styles.accent(),
        ))
    } else if let Some(m) = &state.message {
        Line::from(Span::styled(m.text.clone(), tone_style(styles, m.tone)))
    } else if let Some(c) = &state.copy {
        let text = match c.deadline {
            Some(d) => format!(
                "Copied {} — clears in {} s",
                escape_control(&c.label),
                d.saturating_duration_since(state.now).as_secs_f32().ceil() as u64
            ),
            None => format!("Copied {} (stays until replaced)", escape_control(&c.label)),
        };
        Line::from(Span::styled(text, styles.ok()))
    } else {
        Line::raw("")
    };
    frame.render_widget(Paragraph::new(line), status);
    frame.render_widget(Paragraph::new(hints(state, styles)), keys);
}

/// The footer's key hints, read from the keymap so they follow user overrides.
fn hints<'a>(state: &State, styles: &Styles) -> Line<'a> {
    let wanted = [
        (Action::Help, "help"),
        (Action::Search, "search"),
        (Action::Copy, "copy"),
        (Action::Add, "add"),
        (Action::Revoke, "revoke"),
        (Action::Reset, "reset"),
        (Action::Regenerate, "regen"),
        (Action::Overview, "overview"),
        (Action::Lock, "lock"),
        (Action::Quit, "quit"),
    ];
    let mut spans = Vec::new();
    for (action, word) in wanted {
        if let Some(k) = state.keymap.key_for(Mode::Main, action) {
            spans.push(Span::styled(k.to_string(), styles.key()));
            spans.push(Span::styled(format!(" {word}  "), styles.muted()));
        }
    }
    Line::from(spans)
}
