//! The main screen: slot gauges, the table of entries, the selected entry's
//! details, and the footer.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::wrap::width_of;
use super::{gauge, status};
use crate::model::{Attention, AttentionSet, Entry, Slots, Status, days_between};
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::state::{Session, State, TableLayout};
use crate::tui::style::Styles;

/// How many Apple IDs get a gauge line before "+N more".
const MAX_GAUGES: usize = 4;

/// The table and the details need at least this many lines between header and footer.
const MIN_BODY: u16 = 5;

/// Draws the main screen; says where the table's rows went.
pub fn render(frame: &mut Frame, area: Rect, state: &State, styles: &Styles) -> Option<TableLayout> {
    let session = state.session.as_ref()?;
    let all_slots = &session.slots;
    // A short window keeps room for the table: fewer gauges, the rest behind "+N more".
    let max_gauges = if area.height < 20 { 2 } else { MAX_GAUGES };
    let gauge_lines = all_slots.len().clamp(1, max_gauges) as u16 + u16::from(all_slots.len() > max_gauges);
    let header_height = gauge_lines + 1;
    let mut footer: Vec<Line> = search_line(state, session, styles).into_iter().collect();
    let said = status::lines(state, area.width, styles);
    let room = area.height.saturating_sub(header_height + MIN_BODY + 1);
    // Too long for the room below the table: the message opens in a box instead.
    let boxed = footer.len() + said.len() > usize::from(room);
    if !boxed {
        footer.extend(said);
    }
    let footer_height = footer.len().max(1) as u16 + 1;
    let [header, body, footer_area] = Layout::vertical([
        Constraint::Length(header_height),
        Constraint::Min(MIN_BODY),
        Constraint::Length(footer_height),
    ])
    .areas(area);
    render_header(frame, header, state, all_slots, max_gauges, styles);
    let (table_area, detail_area) = if body.width >= 140 {
        let [t, d] = Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(body);
        (t, Some(d))
    } else if body.height >= 8 {
        let [t, d] = Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body);
        (t, Some(d))
    } else {
        // Too short for details to show anything: the table keeps the room.
        (body, None)
    };
    let table = render_table(frame, table_area, state, session, styles);
    if let Some(d) = detail_area {
        super::details::render_detail(frame, d, state, session, styles);
    }
    let [said_area, keys] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(footer_area);
    frame.render_widget(Paragraph::new(footer), said_area);
    frame.render_widget(Paragraph::new(hints(state, keys.width, styles)), keys);
    if boxed {
        status::message_box(frame, area, state, styles);
    }
    Some(table)
}

fn render_header(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    all: &[Slots],
    max_gauges: usize,
    styles: &Styles,
) {
    let mut lines = vec![Line::from(vec![
        Span::styled(" aspen ", styles.selected()),
        Span::styled(
            format!("  {}", escape_control(&state.vault_path.display().to_string())),
            styles.muted(),
        ),
    ])];
    if all.is_empty() {
        let add = crate::tui::hints::key(&state.keymap, Action::Add, "add");
        let long = format!("No Apple IDs yet: {add} your first app-specific password.");
        // One line is all the header has: a narrow one gets the short form.
        let text = if width_of(&long) <= usize::from(area.width) {
            long
        } else {
            format!("No Apple IDs yet: {add} one.")
        };
        lines.push(Line::from(Span::styled(text, styles.muted())));
    }
    let shown = &all[..all.len().min(max_gauges)];
    let columns = gauge::columns(shown, area.width, styles);
    for s in shown {
        lines.push(gauge::gauge_line(s, columns, styles));
    }
    if all.len() > max_gauges {
        lines.push(Line::from(Span::styled(
            format!(
                "+{} more Apple IDs ({})",
                all.len() - max_gauges,
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
    // A merge's open choice first: nothing else in the row is settled until it is.
    if a.contains(Attention::Conflict) {
        let more = a.iter().count() - 1;
        return match more {
            0 => "⚠ conflict".to_owned(),
            n => format!("⚠ conflict +{n}"),
        };
    }
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
fn label_cell<'a>(label: &str, hits: &[usize], styles: &Styles, base: Style) -> Line<'a> {
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

/// Which of the table's optional columns fit.
struct Columns {
    apps: bool,
    apple_id: bool,
    created: bool,
}

impl Columns {
    fn for_width(width: u16) -> Self {
        Self {
            apps: width >= 50,
            apple_id: width >= 70,
            created: width >= 90,
        }
    }

    fn header(&self) -> (Vec<&'static str>, Vec<Constraint>) {
        let mut names = vec!["Label"];
        let mut widths = vec![Constraint::Fill(3)];
        for (shown, name, width) in [
            (self.apps, "Apps", Constraint::Fill(3)),
            (self.apple_id, "Apple ID", Constraint::Fill(3)),
            (self.created, "Created", Constraint::Length(10)),
        ] {
            if shown {
                names.push(name);
                widths.push(width);
            }
        }
        names.extend(["Age", "Status", "Attention"]);
        widths.extend([
            Constraint::Length(5),
            Constraint::Length(11),
            // "regenerate", the longest reason, in full.
            Constraint::Min(10),
        ]);
        (names, widths)
    }
}

fn table_row<'a>(
    session: &Session,
    i: usize,
    hits: &[usize],
    columns: &Columns,
    today: jiff::civil::Date,
    styles: &Styles,
) -> Row<'a> {
    let e = &session.loaded.vault.entries[i];
    let a = session.attention[i];
    let mut cells = vec![Cell::from(label_cell(&e.label, hits, styles, styles.text()))];
    if columns.apps {
        cells.push(Cell::from(Span::styled(
            escape_control(&e.apps.join(", ")).into_owned(),
            styles.text(),
        )));
    }
    if columns.apple_id {
        cells.push(Cell::from(Span::styled(
            escape_control(&e.apple_id).into_owned(),
            styles.muted(),
        )));
    }
    if columns.created {
        cells.push(Cell::from(Span::styled(e.created.to_string(), styles.muted())));
    }
    cells.push(Cell::from(Span::styled(
        age(days_between(e.created, today)),
        styles.muted(),
    )));
    cells.push(Cell::from(status_badge(e, a, styles)));
    let style = if a.contains(Attention::Conflict) {
        styles.danger()
    } else {
        styles.warning()
    };
    cells.push(Cell::from(Span::styled(attention_cell(a), style)));
    Row::new(cells)
}

/// Draws the table; says where its rows are and which entry row is first.
fn render_table(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    session: &Session,
    styles: &Styles,
) -> TableLayout {
    let title = format!(
        " {} of {} · sort: {} · show: {} ",
        session.table.rows.len(),
        session.loaded.vault.entries.len(),
        session.table.sort.name(),
        session.table.filter.name()
    );
    let block = Block::bordered()
        .title(Span::styled(title, styles.title()))
        .border_style(styles.border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = usize::from(inner.height.saturating_sub(1)).max(1);
    // Keep the selection visible, moving the window only when it leaves it.
    let mut offset = session.table.offset;
    if session.table.selected < offset {
        offset = session.table.selected;
    } else if session.table.selected >= offset + height {
        offset = session.table.selected + 1 - height;
    }
    offset = offset.min(session.table.rows.len().saturating_sub(height));
    let layout = TableLayout {
        rows: Rect {
            y: inner.y + 1,
            height: inner.height.saturating_sub(1),
            ..inner
        },
        offset,
    };
    if session.table.rows.is_empty() {
        let text = empty_table(state, session);
        frame.render_widget(
            Paragraph::new(Span::styled(text, styles.muted())).wrap(Wrap { trim: true }),
            inner,
        );
        return layout;
    }
    let today = state.today;
    // Narrow tables drop the columns the details repeat: the date (its age stays),
    // then the Apple ID (the gauges and the details name it).
    let columns = Columns::for_width(inner.width);
    let mut highlighter = session.table.search.highlighter(&session.table.index);
    // Only the visible rows are built: the table stays fast at 100,000 entries.
    let rows: Vec<Row> = session.table.rows[offset..(offset + height).min(session.table.rows.len())]
        .iter()
        .map(|&i| {
            let hits = highlighter
                .as_mut()
                .map(|h| h.label_matches(i))
                .unwrap_or_default();
            table_row(session, i, &hits, &columns, today, styles)
        })
        .collect();
    let (names, widths) = columns.header();
    let table = Table::new(rows, widths)
        .header(Row::new(names).style(styles.accent()))
        .column_spacing(1)
        .row_highlight_style(styles.selected());
    let mut table_state = TableState::default().with_selected(Some(session.table.selected - offset));
    frame.render_stateful_widget(table, inner, &mut table_state);
    layout
}

/// What an empty table says instead, with the keys that fill it.
fn empty_table(state: &State, session: &Session) -> String {
    let key = |action, word| crate::tui::hints::key(&state.keymap, action, word);
    if session.loaded.vault.entries.is_empty() {
        format!(
            "The vault is empty. To add an app-specific password, {}.",
            key(Action::Add, "add")
        )
    } else {
        let filter = key(Action::CycleFilter, "cycle the filter");
        match state.keymap.hint(Mode::Main, Action::Back, 1) {
            Some(back) => {
                format!("Nothing matches. {back} clears the search; to change which statuses show, {filter}.")
            }
            None => format!("Nothing matches. To change which statuses show, {filter}."),
        }
    }
}

/// The search being typed or kept, for the line above the status, with the keys
/// that keep or clear it.
fn search_line<'a>(state: &State, session: &Session, styles: &Styles) -> Option<Line<'a>> {
    let search = &session.table.search;
    if !session.table.searching && !search.is_active() {
        return None;
    }
    let keys = &state.keymap;
    let hint = if session.table.searching {
        let keep = keys
            .hint(Mode::Search, Action::Confirm, 1)
            .map(|k| format!("{k} keep"));
        let clear = keys
            .hint(Mode::Search, Action::Back, 1)
            .map(|k| format!("{k} clear"));
        [keep, clear]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ")
    } else {
        keys.hint(Mode::Main, Action::Back, 1)
            .map(|k| format!("{k} clears the search"))
            .unwrap_or_default()
    };
    let query = escape_control(search.query()).into_owned();
    let mut spans = vec![
        Span::styled("/", styles.key()),
        Span::styled(query, styles.input()),
        Span::styled(if session.table.searching { "▏" } else { "" }, styles.input()),
    ];
    if !hint.is_empty() {
        spans.push(Span::styled(format!("   {hint}"), styles.muted()));
    }
    Some(Line::from(spans))
}

/// The footer's key hints, read from the keymap so they follow user overrides;
/// as many as fit in `width`, help and quit always among them.
fn hints<'a>(state: &State, width: u16, styles: &Styles) -> Line<'a> {
    let wanted = [
        (Action::Help, "help"),
        (Action::Search, "search"),
        (Action::Copy, "copy"),
        (Action::Add, "add"),
        (Action::Revoke, "revoke"),
        (Action::Reset, "reset"),
        (Action::Regenerate, "regen"),
        (Action::Undo, "undo"),
        (Action::Overview, "overview"),
        (Action::Lock, "lock"),
        // Rarely wanted, and a risk to the Apple ID when overdone: the first to go.
        (Action::Verify, "verify"),
        (Action::Quit, "quit"),
    ];
    let mut shown: Vec<(String, &str)> = wanted
        .iter()
        .filter_map(|(action, word)| Some((state.keymap.hint(Mode::Main, *action, 1)?, *word)))
        .collect();
    let used = |shown: &[(String, &str)]| -> usize {
        shown.iter().map(|(k, w)| width_of(k) + width_of(w) + 3).sum()
    };
    // The least needed give way first: lock, overview, regen, … (never help or quit).
    while used(&shown) > usize::from(width) && shown.len() > 2 {
        shown.remove(shown.len() - 2);
    }
    let mut spans = Vec::new();
    for (key, word) in shown {
        spans.push(Span::styled(key, styles.key()));
        spans.push(Span::styled(format!(" {word}  "), styles.muted()));
    }
    Line::from(spans)
}
