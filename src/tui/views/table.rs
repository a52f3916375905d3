//! The main screen's table of entries: its columns sized from what the visible
//! rows hold (see [`fit`]), each cell whole or cut with "…".

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::fit::{self, Give};
use crate::model::{Attention, AttentionSet, Entry, Status, days_between};
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::state::{Session, State, TableLayout};
use crate::tui::style::Styles;

/// "14 mo", "3 d", "2 y".
pub fn age(days: i64) -> String {
    match days {
        d if d < 0 => "future".to_owned(),
        d if d < 60 => format!("{d} d"),
        d if d < 730 => format!("{} mo", d / 30),
        d => format!("{} y", d / 365),
    }
}

/// The table's columns, in the order shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Label,
    Apps,
    AppleId,
    Created,
    Age,
    Status,
    Attention,
}

const COLS: [Col; 7] = [
    Col::Label,
    Col::Apps,
    Col::AppleId,
    Col::Created,
    Col::Age,
    Col::Status,
    Col::Attention,
];

/// Between two columns.
const SPACING: usize = 1;

impl Col {
    fn header(self) -> &'static str {
        match self {
            Self::Label => "Label",
            Self::Apps => "Apps",
            Self::AppleId => "Apple ID",
            Self::Created => "Created",
            Self::Age => "Age",
            Self::Status => "Status",
            Self::Attention => "Attention",
        }
    }

    /// The table's width from which the column is shown at all: narrow tables
    /// leave out what the details repeat, the date first (its age stays), then the
    /// Apple ID (the gauges and the details name it).
    fn shown_from(self) -> u16 {
        match self {
            Self::Apps => 50,
            Self::AppleId => 70,
            Self::Created => 90,
            _ => 0,
        }
    }

    /// How the column gives way: labels and apps are free text; the rest is read
    /// whole. Left out when too narrow: the date, then the Apple ID, then the apps.
    fn fitting(self, want: usize) -> fit::Column {
        let (give, drop) = match self {
            Self::Label => (Give::Shrink { floor: 10 }, None),
            Self::Apps => (Give::Shrink { floor: 8 }, Some(2)),
            Self::AppleId => (Give::Whole, Some(1)),
            Self::Created => (Give::Whole, Some(0)),
            Self::Age | Self::Status | Self::Attention => (Give::Whole, None),
        };
        fit::Column { want, give, drop }
    }
}

/// One row's cells before fitting: each column's text, the attention's "+N" kept
/// apart so that a cut reason keeps it.
struct Cells {
    lines: Vec<Line<'static>>,
    more: String,
}

fn attention_cell(a: AttentionSet) -> (String, String) {
    // A merge's open choice first: nothing else in the row is settled until it is.
    let (first, more) = if a.contains(Attention::Conflict) {
        ("⚠ conflict".to_owned(), a.iter().count() - 1)
    } else {
        let mut reasons = a.iter();
        match reasons.next() {
            None => return (String::new(), String::new()),
            Some(first) => (first.name().to_owned(), reasons.count()),
        }
    };
    let more = if more == 0 {
        String::new()
    } else {
        format!(" +{more}")
    };
    (first, more)
}

fn status_badge(e: &Entry, a: AttentionSet, styles: &Styles) -> Span<'static> {
    match e.status {
        _ if a.needs_action() => Span::styled("● attention", styles.warning()),
        Status::Active => Span::styled("● active", styles.ok()),
        Status::Revoked { .. } => Span::styled("○ revoked", styles.muted()),
    }
}

/// The label with the search's matched characters highlighted.
fn label_cell(label: &str, hits: &[usize], styles: &Styles, base: Style) -> Line<'static> {
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

fn cells(session: &Session, i: usize, hits: &[usize], today: jiff::civil::Date, styles: &Styles) -> Cells {
    let e = &session.loaded.vault.entries[i];
    let a = session.attention[i];
    let text = |s: String, style: Style| Line::from(Span::styled(s, style));
    let (reason, more) = attention_cell(a);
    let style = if a.contains(Attention::Conflict) {
        styles.danger()
    } else {
        styles.warning()
    };
    let lines = COLS
        .iter()
        .map(|col| match col {
            Col::Label => label_cell(&e.label, hits, styles, styles.text()),
            Col::Apps => text(escape_control(&e.apps.join(", ")).into_owned(), styles.text()),
            Col::AppleId => text(escape_control(&e.apple_id).into_owned(), styles.muted()),
            Col::Created => text(e.created.to_string(), styles.muted()),
            Col::Age => text(age(days_between(e.created, today)), styles.muted()),
            Col::Status => Line::from(status_badge(e, a, styles)),
            Col::Attention => text(reason.clone(), style),
        })
        .collect();
    Cells { lines, more }
}

/// Each column's width at a table `width` cells wide (`None`: left out), from the
/// header and the rows it shows.
fn widths(rows: &[Cells], width: u16) -> Vec<Option<usize>> {
    let shown = |n: usize| width >= COLS[n].shown_from();
    let columns: Vec<fit::Column> = (0..COLS.len())
        .filter(|&n| shown(n))
        .map(|n| {
            let col = COLS[n];
            let widest = rows
                .iter()
                .map(|r| match col {
                    Col::Attention => r.lines[n].width() + fit::width(&r.more),
                    _ => r.lines[n].width(),
                })
                .max()
                .unwrap_or(0);
            col.fitting(widest.max(fit::width(col.header())))
        })
        .collect();
    let mut fitted = fit::column_widths(&columns, usize::from(width), SPACING).into_iter();
    (0..COLS.len())
        .map(|n| if shown(n) { fitted.next().flatten() } else { None })
        .collect()
}

/// A row's cells cut to their columns' widths.
fn fitted_row(row: Cells, widths: &[Option<usize>]) -> Row<'static> {
    let cells: Vec<Cell> = row
        .lines
        .into_iter()
        .zip(widths)
        .zip(COLS)
        .filter_map(|((line, w), col)| {
            let w = (*w)?;
            if col == Col::Attention && !row.more.is_empty() {
                let style = line.spans.first().map(|s| s.style).unwrap_or_default();
                let text = fit::cut_before(&line.to_string(), &row.more, w);
                return Some(Cell::from(Span::styled(text, style)));
            }
            Some(Cell::from(fit::cut_line(&line, w)))
        })
        .collect();
    Row::new(cells)
}

/// Draws the table; says where its rows are and which entry row is first.
pub(super) fn render(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    session: &Session,
    styles: &Styles,
) -> TableLayout {
    let title = title(state, session, usize::from(area.width.saturating_sub(2)), styles);
    let block = Block::bordered().title(title).border_style(styles.border());
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
    let mut highlighter = session.table.search.highlighter(&session.table.index);
    // Only the visible rows are built: the table stays fast at 100,000 entries.
    let rows: Vec<Cells> = session.table.rows[offset..(offset + height).min(session.table.rows.len())]
        .iter()
        .map(|&i| {
            let hits = highlighter
                .as_mut()
                .map(|h| h.label_matches(i))
                .unwrap_or_default();
            cells(session, i, &hits, state.today, styles)
        })
        .collect();
    let widths = widths(&rows, inner.width);
    let header: Vec<String> = COLS
        .iter()
        .zip(&widths)
        .filter_map(|(c, w)| Some(fit::cut(c.header(), (*w)?)))
        .collect();
    let constraints: Vec<Constraint> = widths
        .iter()
        .flatten()
        .map(|w| Constraint::Length(*w as u16))
        .collect();
    let rows: Vec<Row> = rows.into_iter().map(|r| fitted_row(r, &widths)).collect();
    let table = Table::new(rows, constraints)
        .header(Row::new(header).style(styles.accent()))
        .column_spacing(SPACING as u16)
        .row_highlight_style(styles.selected());
    let mut table_state = TableState::default().with_selected(Some(session.table.selected - offset));
    frame.render_stateful_widget(table, inner, &mut table_state);
    layout
}

/// The table's title in `room` cells: what it shows, its sort and filter, and how
/// many entries need attention with the key to the next one. A narrow table leaves
/// out the sort, then the filter, before anything is cut (with "…").
fn title(state: &State, session: &Session, room: usize, styles: &Styles) -> Line<'static> {
    let table = &session.table;
    let shown = format!(" {} of {}", table.rows.len(), session.loaded.vault.entries.len());
    let sort = format!(" · sort: {}", table.sort.name());
    let filter = format!(" · show: {}", table.filter.name());
    let mut attention = Vec::new();
    if table.needing > 0 {
        let verb = if table.needing == 1 { "needs" } else { "need" };
        attention.push(Span::styled(" · ", styles.title()));
        attention.push(Span::styled(
            format!("{} {verb} attention", table.needing),
            styles.warning(),
        ));
        if let Some(k) = state.keymap.hint(Mode::Main, Action::NextAttention, 1) {
            attention.push(Span::styled(" · ", styles.title()));
            attention.push(Span::styled(k, styles.key()));
            attention.push(Span::styled(" next", styles.title()));
        }
    }
    let line = |parts: &[&str]| {
        let mut spans = vec![Span::styled(parts.concat(), styles.title())];
        spans.extend(attention.iter().cloned());
        spans.push(Span::styled(" ", styles.title()));
        Line::from(spans)
    };
    let variants = [
        line(&[&shown, &sort, &filter]),
        line(&[&shown, &filter]),
        line(&[&shown]),
    ];
    let fits = variants.iter().find(|l| l.width() <= room);
    fits.cloned().unwrap_or_else(|| fit::cut_line(&variants[2], room))
}

/// What an empty table says instead, with the keys that fill it.
fn empty_table(state: &State, session: &Session) -> String {
    let key = |action, word| crate::tui::hints::key(&state.keymap, action, word);
    if session.loaded.vault.entries.is_empty() {
        format!(
            "The vault is empty: {}, or {}.",
            key(Action::Add, "add an app-specific password"),
            key(
                Action::Import,
                "import them from another password manager's export"
            )
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
