//! The import's preview, the default view of an import: what would be added, what is
//! left out and why, each Apple ID's slots before and after, in the words of `aspen
//! import` where the two front ends can share them; what to do about a login left
//! out is said with what this screen offers (the form's fields), not the command
//! line's flags. No password is ever drawn: the rows name labels, Apple IDs and
//! dates only.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::wrap::wrapped;
use super::{hint_line, popup, popup_inner_height, popup_inner_width};
use crate::import::words::{Front, why_not, why_skipped};
use crate::import::{Preview, Scan, Where};
use crate::model::SLOT_LIMIT;
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::dialogs::{ImportPreview, Overlay, tool_name};
use crate::tui::keymap::Mode;
use crate::tui::state::State;
use crate::tui::style::Styles;

/// Draws the preview, scrolled as far as it is.
pub(super) fn render(frame: &mut Frame, area: Rect, state: &State, p: &ImportPreview, styles: &Styles) {
    let (body, foot) = layout(state, p, area, styles);
    let title = format!("Import from {}: preview", tool_name(p.request.source));
    popup(frame, area, &title, &body, &foot, styles.accent(), styles);
}

/// How far the open preview scrolls at the window's size: to its last line.
pub fn scroll_limit(state: &State) -> u16 {
    let Some(Overlay::ImportPreview(p)) = state.dialogs.top() else {
        return 0;
    };
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    let styles = Styles::new(&state.theme, state.no_color);
    let width = popup_inner_width(area);
    let lines = body_lines(p, width, &styles).len();
    let room = room(state, p, area, &styles);
    if lines <= room {
        return 0;
    }
    // One line of the window says where it is.
    u16::try_from(lines - room.saturating_sub(1).max(1)).unwrap_or(u16::MAX)
}

/// How many lines of the box the body may take.
fn room(state: &State, p: &ImportPreview, area: Rect, styles: &Styles) -> usize {
    let foot = foot_lines(state, p, popup_inner_width(area), styles).len();
    usize::from(popup_inner_height(area)).saturating_sub(foot)
}

/// The body's lines in the window the scroll shows, and the foot.
fn layout(
    state: &State,
    p: &ImportPreview,
    area: Rect,
    styles: &Styles,
) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
    let width = popup_inner_width(area);
    let foot = foot_lines(state, p, width, styles);
    let room = room(state, p, area, styles);
    let lines = body_lines(p, width, styles);
    if lines.len() <= room {
        return (lines, foot);
    }
    let shown = room.saturating_sub(1).max(1);
    let first = usize::from(p.scroll).min(lines.len().saturating_sub(shown));
    let last = (first + shown).min(lines.len());
    let mut body: Vec<Line> = lines[first..last].to_vec();
    let keys = state
        .keymap
        .pair_hint(Mode::Dialog, Action::Up, Action::Down)
        .map(|k| format!("; {k} scroll"))
        .unwrap_or_default();
    body.push(Line::from(Span::styled(
        format!("— lines {}–{last} of {}{keys} —", first + 1, lines.len()),
        styles.muted(),
    )));
    (body, foot)
}

/// What confirming does, and the keys.
fn foot_lines(state: &State, p: &ImportPreview, width: u16, styles: &Styles) -> Vec<Line<'static>> {
    let key = |action| state.keymap.hint(Mode::Dialog, action, 1);
    let mut foot = vec![Line::raw("")];
    let hints = match p.to_add() {
        0 => hint_line(&[(key(Action::Back), "back to the form")], styles),
        n => {
            foot.extend(wrapped(
                "Nothing is written until you confirm.",
                width,
                styles.muted(),
            ));
            let import = match n {
                1 => "import it".to_owned(),
                n => format!("import these {n}"),
            };
            hint_line(
                &[
                    (key(Action::Confirm), import.as_str()),
                    (key(Action::Back), "back to the form"),
                ],
                styles,
            )
        }
    };
    foot.extend(super::wrap::wrap_line(&hints, width));
    foot
}

/// Everything the preview says, wrapped to `width`.
fn body_lines(p: &ImportPreview, width: u16, styles: &Styles) -> Vec<Line<'static>> {
    let (scan, preview) = (&p.scan, &p.preview);
    let heading = crate::import::heading(&p.scan, p.request.source, &p.request.path);
    let mut lines = wrapped(&heading, width, styles.text());
    let mut section = |head: String, items: Vec<String>, style: Style| {
        lines.push(Line::raw(""));
        lines.extend(wrapped(&head, width, styles.accent()));
        for item in items {
            lines.extend(indented(&item, width, style));
        }
    };
    if !preview.outcome.added.is_empty() {
        section(
            format!("To add ({}):", preview.outcome.added.len()),
            to_add(scan, preview),
            styles.text(),
        );
    }
    let left_out = left_out(scan, preview);
    if !left_out.is_empty() {
        section(format!("Left out ({}):", left_out.len()), left_out, styles.text());
    }
    if !preview.slots.is_empty() {
        let slots = preview
            .slots
            .iter()
            .map(|s| {
                format!(
                    "{}: {} active now, {} after the import ({} free)",
                    escape_control(&s.apple_id),
                    s.before,
                    s.after,
                    s.limit.saturating_sub(s.after)
                )
            })
            .collect();
        let head = format!("Slots (Apple allows {SLOT_LIMIT} active per Apple ID):");
        section(head, slots, styles.text());
    }
    let mut closing = Vec::new();
    if let Some(nothing) = nothing_said(p) {
        closing.push(nothing.to_owned());
    }
    match scan.others {
        0 => {}
        1 => closing.push("1 other login is not an app-specific password and was left alone.".to_owned()),
        n => closing.push(format!(
            "{n} other logins are not app-specific passwords and were left alone."
        )),
    }
    for text in closing {
        lines.push(Line::raw(""));
        lines.extend(wrapped(&text, width, styles.muted()));
    }
    lines
}

/// When nothing would be added, why (the command line's words).
fn nothing_said(p: &ImportPreview) -> Option<&'static str> {
    match (p.scan.found.is_empty(), p.scan.skipped.is_empty(), p.to_add()) {
        (true, true, _) => Some("Nothing to import: no app-specific password was found."),
        (true, false, _) => Some("Nothing to import: each is left out, for the reason shown."),
        (false, _, 0) => Some("Nothing to import: aspen has them already, or its rules leave them out."),
        _ => None,
    }
}

/// `text` under a bullet, its further lines under its first.
fn indented(text: &str, width: u16, style: Style) -> Vec<Line<'static>> {
    let mut lines = wrapped(text, width.saturating_sub(4), style);
    for (n, line) in lines.iter_mut().enumerate() {
        let lead = if n == 0 { "  • " } else { "    " };
        line.spans.insert(0, Span::styled(lead, style));
    }
    lines
}

/// Each entry the import adds: its label, Apple ID, date, uses and status.
fn to_add(scan: &Scan, preview: &Preview) -> Vec<String> {
    preview
        .outcome
        .added
        .iter()
        .map(|a| {
            let mut row = format!("{} — {}", title(&a.label), escape_control(&a.apple_id));
            if let Some(found) = scan.found.get(a.index) {
                row.push_str(&format!(", created {}", found.entry.created));
                let uses: Vec<&str> = found.entry.uses.iter().map(|u| u.name()).collect();
                if !uses.is_empty() {
                    row.push_str(&format!(", {}", uses.join(", ")));
                }
            }
            if let Some(on) = a.revoked_by_reset {
                row.push_str(&format!(", revoked by the reset of {on}"));
            }
            row
        })
        .collect()
}

/// What is left out and why, in the file's order.
fn left_out(scan: &Scan, preview: &Preview) -> Vec<String> {
    let mut lines: Vec<(Where, String)> = scan
        .skipped
        .iter()
        .map(|s| {
            (
                s.at,
                format!("{}: {}", quoted(&s.title), why_skipped(&s.why, Front::Tui)),
            )
        })
        .collect();
    for r in &preview.outcome.skipped {
        if let Some(found) = scan.found.get(r.index) {
            lines.push((
                found.at,
                format!("{}: {}", quoted(&r.label), why_not(&r.why, Front::Tui)),
            ));
        }
    }
    lines.sort_by_key(|(at, _)| match at {
        Where::Line(n) => *n,
        Where::Item(n) => *n as u64,
    });
    lines
        .into_iter()
        .map(|(at, text)| format!("{at}, {text}"))
        .collect()
}

/// A title as the export has it, escaped and cut to 60 characters with "…".
fn title(text: &str) -> String {
    super::fit::cut(&escape_control(text), 60)
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", title(text))
}
