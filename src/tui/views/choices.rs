//! Dialogs that list things to choose from (the checklist, what to retire, which
//! entry makes room, which reset to withdraw, the setup card's values): the list is
//! windowed around the selection so that it fits any size aspen draws at, and what
//! to do always shows under it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::table::age;
use super::wrap::{width_of, wrapped};
use super::{hint_line, popup, popup_inner_height, popup_inner_width, words};
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::dialogs::{Checklist, MakeRoom, RetireChoice, RetireOption, SetupCard, WithdrawChooser};
use crate::tui::keymap::Mode;
use crate::tui::state::State;
use crate::tui::style::Styles;

/// A list dialog as data: what [`render`] draws.
pub(super) struct List<'a> {
    pub title: String,
    pub intro: Vec<String>,
    /// Each item's text and style (unselected).
    pub items: Vec<(String, Style)>,
    pub selected: usize,
    /// Under the list: about the selected item.
    pub note: Vec<String>,
    /// What the last key did there, and whether it failed.
    pub said: Option<(bool, String)>,
    pub keys: Vec<(Option<String>, &'a str)>,
    pub border: Style,
}

pub(super) fn render(frame: &mut Frame, area: Rect, list: List, styles: &Styles) {
    let width = popup_inner_width(area);
    let mut foot: Vec<Line> = Vec::new();
    for n in &list.note {
        foot.extend(wrapped(n, width, styles.muted()));
    }
    if let Some((failed, said)) = &list.said {
        let style = if *failed { styles.danger() } else { styles.ok() };
        foot.extend(wrapped(said, width, style));
    }
    foot.push(Line::raw(""));
    foot.extend(super::wrap::wrap_line(&hint_line(&list.keys, styles), width));
    let room = usize::from(popup_inner_height(area)).saturating_sub(foot.len());
    let mut intro: Vec<Line> = list
        .intro
        .iter()
        .flat_map(|l| wrapped(l, width, styles.text()))
        .collect();
    // The list keeps at least three lines; the guidance above it gives way.
    intro.truncate(room.saturating_sub(3));
    if !intro.is_empty() && intro.len() + 4 <= room {
        intro.push(Line::raw(""));
    }
    let items: Vec<Vec<Line>> = list
        .items
        .iter()
        .enumerate()
        .map(|(i, (text, style))| {
            let (mark, style) = if i == list.selected {
                ("▸ ", styles.selected())
            } else {
                ("  ", *style)
            };
            let mut lines = wrapped(text, width.saturating_sub(2), style);
            for (n, l) in lines.iter_mut().enumerate() {
                l.spans
                    .insert(0, Span::styled(if n == 0 { mark } else { "  " }, style));
            }
            lines
        })
        .collect();
    let mut body = intro;
    body.extend(window(
        items,
        list.selected,
        room.saturating_sub(body.len()),
        styles,
    ));
    popup(frame, area, &list.title, &body, &foot, list.border, styles);
}

/// The items around `selected` that fit in `room` lines, with a line saying how
/// many more there are above and below.
fn window(
    items: Vec<Vec<Line<'static>>>,
    selected: usize,
    room: usize,
    styles: &Styles,
) -> Vec<Line<'static>> {
    let total: usize = items.iter().map(Vec::len).sum();
    if total <= room {
        return items.into_iter().flatten().collect();
    }
    // Two lines for "… more above/below".
    let room = room.saturating_sub(2).max(1);
    let (mut start, mut end) = (selected.min(items.len().saturating_sub(1)), selected + 1);
    let mut used = items.get(start).map_or(0, Vec::len);
    loop {
        let grew_down = end < items.len() && used + items[end].len() <= room;
        if grew_down {
            used += items[end].len();
            end += 1;
        }
        let grew_up = start > 0 && used + items[start - 1].len() <= room;
        if grew_up {
            start -= 1;
            used += items[start].len();
        }
        if !grew_down && !grew_up {
            break;
        }
    }
    let more =
        |n: usize, where_: &str| Line::from(Span::styled(format!("  … {n} more {where_}"), styles.muted()));
    let mut out = Vec::new();
    if start > 0 {
        out.push(more(start, "above"));
    }
    let after = items.len().saturating_sub(end);
    out.extend(items.into_iter().skip(start).take(end - start).flatten());
    if after > 0 {
        out.push(more(after, "below"));
    }
    out
}

pub(super) fn dialog_key(state: &State, action: Action) -> Option<String> {
    state.keymap.hint(Mode::Dialog, action, 1)
}

pub(super) fn choose(state: &State) -> Option<String> {
    state.keymap.pair_hint(Mode::Dialog, Action::Up, Action::Down)
}

pub fn checklist(frame: &mut Frame, area: Rect, state: &State, list: &Checklist, styles: &Styles) {
    let (title, intro) = words::checklist(list, &state.keymap);
    let items = list
        .items
        .iter()
        .map(|line| {
            let text = format!(
                "{} {} — {}",
                if line.retired { "[retired]" } else { "[ ]" },
                escape_control(&line.item.label),
                words::apps(&line.item.apps)
            );
            (
                text,
                if line.retired {
                    styles.muted()
                } else {
                    styles.warning()
                },
            )
        })
        .collect();
    let mut keys = vec![(choose(state), "choose")];
    if !list.items.is_empty() {
        keys.push((dialog_key(state, Action::Retire), "retire: its app is gone"));
    }
    keys.push((dialog_key(state, Action::Confirm), "close"));
    let note = vec!["Once closed, the list shows what needs attention.".to_owned()];
    let list = List {
        title,
        intro,
        items,
        selected: list.selected,
        note,
        said: None,
        keys,
        border: styles.warning(),
    };
    render(frame, area, list, styles);
}

pub fn retire(frame: &mut Frame, area: Rect, state: &State, c: &RetireChoice, styles: &Styles) {
    let label = escape_control(&c.label);
    let items = c
        .options
        .iter()
        .map(|o| {
            let text = match o {
                RetireOption::Entry => "No app needs it any more: retire it".to_owned(),
                RetireOption::App(app) => format!(
                    "Only \"{}\" is gone: the other apps still need one",
                    escape_control(app)
                ),
            };
            (text, styles.text())
        })
        .collect();
    let list = List {
        title: format!("\"{label}\" is revoked"),
        intro: vec!["It waits to be regenerated. If its app is gone, retire it instead:".to_owned()],
        items,
        selected: c.selected,
        note: Vec::new(),
        said: None,
        keys: vec![
            (choose(state), "choose"),
            (dialog_key(state, Action::Confirm), "retire"),
            (dialog_key(state, Action::Back), "cancel"),
        ],
        border: styles.border(),
    };
    render(frame, area, list, styles);
}

pub fn make_room(frame: &mut Frame, area: Rect, state: &State, m: &MakeRoom, styles: &Styles) {
    let items = m
        .candidates
        .iter()
        .map(|c| {
            let text = format!(
                "{} — {} ({} old) — {}",
                escape_control(&c.label),
                c.created,
                age(crate::model::days_between(c.created, state.today)),
                words::apps(&c.apps)
            );
            (text, styles.text())
        })
        .collect();
    let list = List {
        title: format!("{} is full", m.apple_id),
        intro: vec![
            escape_control(&m.reason).into_owned(),
            "Revoke one at account.apple.com, then record it here (oldest first); the form waits as typed."
                .to_owned(),
        ],
        items,
        selected: m.selected,
        note: Vec::new(),
        said: None,
        keys: vec![
            (choose(state), "choose"),
            (dialog_key(state, Action::Confirm), "revoke it"),
            (dialog_key(state, Action::Back), "back to the form"),
        ],
        border: styles.warning(),
    };
    render(frame, area, list, styles);
}

pub fn withdraw(frame: &mut Frame, area: Rect, state: &State, c: &WithdrawChooser, styles: &Styles) {
    let items = c
        .records
        .iter()
        .map(|w| (words::record(w.kind, &w.apple_id, w.on), styles.text()))
        .collect();
    let note = c
        .records
        .get(c.selected)
        .map(|w| vec![words::what_comes_back(w)])
        .unwrap_or_default();
    let list = List {
        title: "Withdraw a record made by mistake".to_owned(),
        intro: vec!["Which password reset or Revoke All did not happen?".to_owned()],
        items,
        selected: c.selected,
        note,
        said: None,
        keys: vec![
            (choose(state), "choose"),
            (dialog_key(state, Action::Confirm), "withdraw…"),
            (dialog_key(state, Action::Back), "cancel"),
        ],
        border: styles.border(),
    };
    render(frame, area, list, styles);
}

/// The card's password row: hidden, and what its last copy came to. A copy through
/// the terminal (OSC 52) cannot be cleared, nor one made with no deadline.
fn password_row(state: &State, card: &SetupCard) -> &'static str {
    match &state.copy {
        Some(c) if c.label == card.label && c.through_terminal => "•••• (copied; cannot be cleared)",
        Some(c) if c.label == card.label && c.deadline.is_none() => "•••• (copied; stays until replaced)",
        Some(c) if c.label == card.label => "•••• (copied, then cleared)",
        _ => "•••• (hidden)",
    }
}

/// The width of the card's names ("CardDAV user name").
const NAME: usize = 18;

pub fn setup_card(frame: &mut Frame, area: Rect, state: &State, card: &SetupCard, styles: &Styles) {
    let width = usize::from(popup_inner_width(area)).saturating_sub(2);
    let items = card
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let value = match (&row.value, i) {
                (Some(v), _) => escape_control(v).into_owned(),
                (None, 0) => password_row(state, card).to_owned(),
                (None, _) => "(not known to aspen)".to_owned(),
            };
            let text = format!("{:<NAME$}{value}", row.name);
            // One line each: a value too long for the box shows its start.
            let text = if width_of(&text) > width {
                text.chars().take(width.saturating_sub(1)).collect::<String>() + "…"
            } else {
                text
            };
            (text, styles.text())
        })
        .collect();
    let note: Vec<String> = card
        .rows
        .get(card.selected)
        .map(|r| r.note.clone())
        .into_iter()
        .collect();
    let list = List {
        title: format!("Setup card: \"{}\"", escape_control(&card.label)),
        intro: vec![format!("What an app signing in as {} needs:", card.apple_id)],
        items,
        selected: card.selected,
        note,
        said: card.said.clone(),
        keys: vec![
            (choose(state), "choose"),
            (dialog_key(state, Action::Copy), "copy"),
            (dialog_key(state, Action::Back), "close"),
        ],
        border: styles.accent(),
    };
    render(frame, area, list, styles);
}
