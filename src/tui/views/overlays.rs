//! Dialogs drawn over the current screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::wrap::{wrap_line, wrapped};
use super::{centered, choices, hint_line, mask, popup, popup_inner_height, popup_inner_width, words};
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::dialogs::{Notice, Overlay};
use crate::tui::form::{FieldKind, Form};
use crate::tui::keymap::{Keymap, Mode};
use crate::tui::state::State;
use crate::tui::style::Styles;

pub fn render(frame: &mut Frame, area: Rect, state: &State, overlay: &Overlay, styles: &Styles) {
    if let Some(form) = overlay.form() {
        return render_form(frame, area, form, &state.keymap, styles);
    }
    match overlay {
        Overlay::Help(h) => help(frame, area, state, h.scroll, styles),
        Overlay::Confirm(q) => {
            let (title, lines, answers) = words::question(q);
            yes_no(frame, area, state, (&title, &lines), answers, styles);
        }
        Overlay::Checklist(list) => choices::checklist(frame, area, state, list, styles),
        Overlay::Retire(c) => choices::retire(frame, area, state, c, styles),
        Overlay::MakeRoom(m) => choices::make_room(frame, area, state, m, styles),
        Overlay::Withdraw(c) => choices::withdraw(frame, area, state, c, styles),
        Overlay::SetupCard(c) => choices::setup_card(frame, area, state, c, styles),
        Overlay::Themes(picker) => themes(frame, area, state, picker.selected, styles),
        Overlay::Notice(n) => notice(frame, area, state, n, styles),
        Overlay::Resolve(d) => super::checks::resolve(frame, area, state, d, styles),
        Overlay::Audit(d) => super::checks::audit(frame, area, state, d, styles),
        Overlay::ImportPreview(p) => super::import::render(frame, area, state, p, styles),
        Overlay::RecoveryKey(d) => super::recovery::render(frame, area, state, d, styles),
        // Drawn above, as forms.
        Overlay::Add(_)
        | Overlay::Edit(_)
        | Overlay::Regenerate(_)
        | Overlay::Reset(_)
        | Overlay::Revoke(_)
        | Overlay::RenameAppleId(_)
        | Overlay::NameAppleId(_)
        | Overlay::MailAppleId(_)
        | Overlay::Import(_)
        | Overlay::Export(_)
        | Overlay::ChangePassphrase(_) => {}
    }
}

/// Up to `n` of the keys a dialog binds to `action`, for its footer.
fn dialog_keys(state: &State, action: Action, n: usize) -> Option<String> {
    state.keymap.hint(Mode::Dialog, action, n)
}

/// "Help — ↓ for more, Esc closes", with the keys the help binds.
fn help_title(state: &State, more: bool) -> String {
    let keys = &state.keymap;
    let more = keys
        .hint(Mode::Help, Action::Down, 1)
        .filter(|_| more)
        .map(|k| format!("{k} for more"));
    let close = keys
        .hint(Mode::Help, Action::Back, 1)
        .map(|k| format!("{k} closes"));
    let said: Vec<String> = [more, close].into_iter().flatten().collect();
    if said.is_empty() {
        " Help ".to_owned()
    } else {
        format!(" Help — {} ", said.join(", "))
    }
}

/// A yes/no question, in red: each answer named beside its keys.
fn yes_no(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    (title, lines): (&str, &[String]),
    (yes, no): (&str, &str),
    styles: &Styles,
) {
    let body: Vec<Line> = lines
        .iter()
        .map(|l| Line::from(Span::styled(l.clone(), styles.text())))
        .collect();
    let foot = [
        Line::raw(""),
        hint_line(
            &[
                (dialog_keys(state, Action::Confirm, 2), yes),
                (dialog_keys(state, Action::Back, 2), no),
            ],
            styles,
        ),
    ];
    popup(frame, area, title, &body, &foot, styles.danger(), styles);
}

/// Problems one per line, each wrapped under its own bullet.
fn notice(frame: &mut Frame, area: Rect, state: &State, notice: &Notice, styles: &Styles) {
    let width = popup_inner_width(area).saturating_sub(2);
    let mut body = Vec::new();
    for problem in &notice.lines {
        for (n, mut line) in wrapped(&escape_control(problem), width, styles.text())
            .into_iter()
            .enumerate()
        {
            let bullet = if n == 0 { "• " } else { "  " };
            line.spans.insert(0, Span::styled(bullet, styles.warning()));
            body.push(line);
        }
    }
    let foot = [
        Line::raw(""),
        hint_line(&[(dialog_keys(state, Action::Confirm, 1), "close")], styles),
    ];
    popup(frame, area, &notice.title, &body, &foot, styles.warning(), styles);
}

fn themes(frame: &mut Frame, area: Rect, state: &State, selected: usize, styles: &Styles) {
    let body: Vec<Line> = state
        .themes
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if i == selected {
                Line::from(Span::styled(format!("▸ {}", t.name), styles.selected()))
            } else {
                Line::from(Span::styled(format!("  {}", t.name), styles.text()))
            }
        })
        .collect();
    let keys = [
        (
            state.keymap.pair_hint(Mode::Dialog, Action::Up, Action::Down),
            "preview",
        ),
        (dialog_keys(state, Action::Confirm, 1), "keep"),
        (dialog_keys(state, Action::Back, 1), "undo"),
    ];
    let hints: Vec<String> = keys
        .into_iter()
        .filter_map(|(key, what)| Some(format!("{} {what}", key?)))
        .collect();
    let mut foot = vec![
        Line::raw(""),
        Line::from(Span::styled(hints.join(" · "), styles.muted())),
    ];
    if state.no_color {
        foot.push(Line::from(Span::styled(
            "NO_COLOR is set: colours are off.",
            styles.muted(),
        )));
    }
    popup(frame, area, "Theme", &body, &foot, styles.border(), styles);
}

/// One field: its label, its value (masked, or its end when too long for the line)
/// and what the live check says about it, beside the value when it fits there,
/// else under it.
fn field_lines(
    f: &crate::tui::form::Field,
    focused: bool,
    width: u16,
    styles: &Styles,
) -> Vec<Line<'static>> {
    // A value longer than the line shows its end, where the cursor is: wrapped, a
    // long paste would push the error and the other fields out of the box.
    let room = usize::from(width).saturating_sub(LABEL + 2).max(8);
    let shown = if f.is_masked() {
        let n = f.text().chars().count();
        if n > room {
            format!("…{}", "•".repeat(room - 1))
        } else {
            mask(f.text())
        }
    } else if matches!(f.kind, FieldKind::Choice(_)) || f.alternative_chosen {
        format!("◂ {} ▸", f.text())
    } else {
        super::fit::cut_start(&escape_control(f.text()), room)
    };
    let label = if f.optional {
        format!("{} (opt.)", f.label)
    } else {
        f.label.to_owned()
    };
    let mut line = Line::from(vec![
        Span::styled(
            format!("{label:<LABEL$}"),
            if focused { styles.accent() } else { styles.muted() },
        ),
        Span::styled(
            format!("{shown}{}", if focused { "▏" } else { " " }),
            styles.input(),
        ),
    ]);
    let Some((good, note)) = f.live_check().filter(|(_, note)| !note.is_empty()) else {
        return vec![line];
    };
    let check = format!("{} {note}", if good { "✓" } else { "✗" });
    let style = if good { styles.ok() } else { styles.warning() };
    if line.width() + 2 + super::wrap::width_of(&check) <= usize::from(width) {
        line.spans.push(Span::styled(format!("  {check}"), style));
        return vec![line];
    }
    let mut lines = vec![line];
    for mut l in wrapped(&check, width.saturating_sub(LABEL as u16), style) {
        l.spans.insert(0, Span::raw(" ".repeat(LABEL)));
        lines.push(l);
    }
    lines
}

/// The width of the fields' label column.
const LABEL: usize = 16;

fn render_form(frame: &mut Frame, area: Rect, form: &Form, keys: &Keymap, styles: &Styles) {
    let width = popup_inner_width(area);
    let fields: Vec<Line> = form
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.hidden)
        .flat_map(|(i, f)| field_lines(f, i == form.focus, width, styles))
        .flat_map(|l| wrap_line(&l, width))
        .collect();
    let mut foot = Vec::new();
    if let Some(e) = &form.error {
        foot.extend(wrapped(e, width, styles.danger()));
    } else if let Some(n) = &form.note {
        foot.extend(wrapped(n, width, styles.ok()));
    }
    let next = if width < 56 { "next" } else { "next field" };
    let hints = hint_line(
        &[
            (keys.hint(Mode::Form, Action::NextField, 2), next),
            (
                keys.pair_hint(Mode::Form, Action::ChoicePrev, Action::ChoiceNext),
                "choose",
            ),
            (keys.hint(Mode::Form, Action::Confirm, 1), form.words.0),
            (keys.hint(Mode::Form, Action::Back, 1), form.words.1),
        ],
        styles,
    );
    foot.extend(wrap_line(&hints, width));
    // The fields and the error always show; the guidance above them gives way:
    // first the blank lines around it, then its end.
    let room = usize::from(popup_inner_height(area));
    let wrap_intro = |intro: &[String]| -> Vec<Line> {
        intro
            .iter()
            .flat_map(|l| wrapped(l, width, styles.muted()))
            .collect()
    };
    let mut intro = wrap_intro(&form.intro);
    if intro.len() + fields.len() + foot.len() > room && !form.short_intro.is_empty() {
        intro = wrap_intro(&form.short_intro);
    }
    // With a blank line after the guidance and one before the foot.
    let spaced = intro.len() + usize::from(!intro.is_empty()) + fields.len() + foot.len() < room;
    let mut body = intro;
    if spaced {
        if !body.is_empty() {
            body.push(Line::raw(""));
        }
        foot.insert(0, Line::raw(""));
    }
    let room_for_intro = room.saturating_sub(fields.len() + foot.len());
    if body.len() > room_for_intro {
        body.truncate(room_for_intro.saturating_sub(1));
        if room_for_intro > 0 {
            body.push(Line::from(Span::styled(
                "… (make the window taller to read all of this)",
                styles.muted(),
            )));
        }
    }
    body.extend(fields);
    popup(frame, area, &form.title, &body, &foot, styles.accent(), styles);
}

/// The help's lines for a box `width` cells wide: each key and what it does, the
/// description wrapped under itself.
fn help_lines(state: &State, width: u16) -> Vec<Line<'static>> {
    let styles = crate::tui::style::Styles::new(&state.theme, state.no_color);
    // The screen under the help decides which keys it lists.
    let mode = match &state.screen {
        crate::tui::state::Screen::Open(_, crate::tui::state::View::Overview) => {
            crate::tui::keymap::Mode::Overview
        }
        _ => crate::tui::keymap::Mode::Main,
    };
    let mut lines = wrapped(
        &format!(
            "Keys of the {} screen (from the keymap; override them in config.ron):",
            mode.name()
        ),
        width,
        styles.muted(),
    );
    lines.push(Line::raw(""));
    const KEYS: u16 = 18;
    for (action, keys) in state.keymap.bindings(mode) {
        let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
        let description = wrapped(action.describe(), width.saturating_sub(KEYS), styles.text());
        for (n, mut d) in description.into_iter().enumerate() {
            let column = if n == 0 { keys.join(" ") } else { String::new() };
            d.spans.insert(
                0,
                Span::styled(
                    format!("{column:<width$}", width = usize::from(KEYS)),
                    styles.key(),
                ),
            );
            lines.push(d);
        }
    }
    lines.push(Line::raw(""));
    lines.extend(wrapped(
        "Mouse: click a row to select it, wheel to scroll.",
        width,
        styles.muted(),
    ));
    lines
}

/// Where the help box goes on a screen of `size`.
fn help_rect(size: Rect) -> Rect {
    centered(size, 76, size.height.saturating_sub(2))
}

/// How far the help scrolls on a screen of `size`: to its last line and no further.
pub fn help_scroll_limit(state: &State) -> u16 {
    let rect = help_rect(Rect::new(0, 0, state.size.0, state.size.1));
    let lines = help_lines(state, rect.width.saturating_sub(2)).len();
    u16::try_from(lines.saturating_sub(usize::from(rect.height.saturating_sub(2)))).unwrap_or(u16::MAX)
}

fn help(frame: &mut Frame, area: Rect, state: &State, scroll: u16, styles: &Styles) {
    let rect = help_rect(area);
    let lines = help_lines(state, rect.width.saturating_sub(2));
    let more = usize::from(scroll) + usize::from(rect.height.saturating_sub(2)) < lines.len();
    let title = help_title(state, more);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(
                Block::bordered()
                    .title(Span::styled(title, styles.title()))
                    .border_style(styles.accent())
                    .style(styles.base()),
            )
            .scroll((scroll, 0)),
        rect,
    );
}
