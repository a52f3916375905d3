//! The main screen: slot gauges, the table of entries, the selected entry's
//! details, and the footer.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::footer::{self, Hint};
use super::wrap::width_of;
use super::{fit, gauge, status};
use crate::model::Slots;
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
    let session = state.session()?;
    let all_slots = &session.slots;
    // A short window keeps room for the table: fewer gauges, the rest behind "+N more".
    let max_gauges = if area.height < 20 { 2 } else { MAX_GAUGES };
    let gauge_lines = all_slots.len().clamp(1, max_gauges) as u16 + u16::from(all_slots.len() > max_gauges);
    let header_height = gauge_lines + 1;
    let mut footer: Vec<Line> = search_line(state, session, styles)
        .map(|l| fit::cut_line(&l, usize::from(area.width)))
        .into_iter()
        .collect();
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
    let table = super::table::render(frame, table_area, state, session, styles);
    if let Some(d) = detail_area {
        super::details::render_detail(frame, d, state, session, styles);
    }
    let [said_area, keys] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(footer_area);
    frame.render_widget(Paragraph::new(footer), said_area);
    frame.render_widget(Paragraph::new(hints(state, session, keys.width, styles)), keys);
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
    // The path's end names the file: a long one gives way at its start.
    let path = escape_control(&state.vault_path.display().to_string()).into_owned();
    let room = usize::from(area.width).saturating_sub(width_of(" aspen   "));
    let mut lines = vec![Line::from(vec![
        Span::styled(" aspen ", styles.selected()),
        Span::styled(format!("  {}", fit::cut_start(&path, room)), styles.muted()),
    ])];
    if all.is_empty() {
        // The empty table below says how to add one.
        lines.push(Line::from(Span::styled("No Apple IDs yet.", styles.muted())));
    }
    let shown = &all[..all.len().min(max_gauges)];
    let columns = gauge::columns(shown, area.width, styles);
    for s in shown {
        lines.push(gauge::gauge_line(s, columns, styles));
    }
    if all.len() > max_gauges {
        let more = format!(
            "+{} more Apple IDs ({})",
            all.len() - max_gauges,
            crate::tui::hints::key(&state.keymap, Action::Overview, "see them all")
        );
        lines.push(Line::from(Span::styled(
            fit::cut(&more, usize::from(area.width)),
            styles.muted(),
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
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
/// as many as fit in `width`, ranked by how much they are needed now: regenerating
/// when the selected entry waits for it, undoing when there is a change to undo,
/// the next entry needing attention when one does.
fn hints(state: &State, session: &Session, width: u16, styles: &Styles) -> Line<'static> {
    let key = |action| state.keymap.hint(Mode::Main, action, 1);
    let selected = session.table.selected_index().map(|i| session.attention[i]);
    let regenerates = selected.is_some_and(|a| a.iter().any(|r| r.regenerates()));
    let conflict = selected.is_some_and(|a| a.contains(crate::model::Attention::Conflict));
    // After a reset, going from one to fix to the next is what the screen is for;
    // the table's title names the key too, so narrow footers let it go before quit.
    let hints = [
        Hint::new(key(Action::Help), "help", footer::HELP),
        Hint::new(
            key(Action::NextAttention).filter(|_| session.table.needing > 0),
            "next",
            4,
        ),
        Hint::new(key(Action::Search), "search", 2),
        Hint::new(key(Action::Copy), "copy", 1),
        Hint::new(key(Action::Add), "add", 2),
        // Most wanted in the first minutes, with nothing in the vault yet.
        Hint::new(
            key(Action::Import),
            "import",
            if session.loaded.vault.entries.is_empty() {
                2
            } else {
                9
            },
        ),
        Hint::new(key(Action::Revoke), "revoke", 4),
        Hint::new(key(Action::Reset), "reset", 5),
        Hint::new(key(Action::Regenerate), "regen", if regenerates { 1 } else { 6 }),
        // Only where it does something: on a conflict.
        Hint::new(key(Action::ResolveConflict).filter(|_| conflict), "choose", 1),
        Hint::new(
            key(Action::Undo),
            "undo",
            if session.undo.is_empty() { 7 } else { 3 },
        ),
        Hint::new(key(Action::Overview), "overview", 6),
        Hint::new(key(Action::Lock), "lock", 7),
        // Rarely wanted, and a risk to the Apple ID when overdone.
        Hint::new(key(Action::Verify), "verify", 8),
        Hint::new(key(Action::Export), "export", 9),
        Hint::new(key(Action::Quit), "quit", 3),
    ];
    footer::ranked(&hints, width, 1, styles)
        .into_iter()
        .next()
        .unwrap_or_default()
}
