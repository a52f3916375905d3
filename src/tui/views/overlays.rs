//! Dialogs drawn over the current screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::{centered, hint_line, mask};
use crate::text::escape_control;
use crate::tui::form::Form;
use crate::tui::state::{Overlay, State};
use crate::tui::style::Styles;

pub fn render(frame: &mut Frame, area: Rect, state: &State, overlay: &Overlay, styles: &Styles) {
    match overlay {
        Overlay::Help { scroll } => help(frame, area, state, *scroll, styles),
        Overlay::Confirm(c) => {
            let mut lines: Vec<Line> = c
                .lines
                .iter()
                .map(|l| Line::from(Span::styled(l.clone(), styles.text())))
                .collect();
            lines.push(Line::raw(""));
            lines.push(hint_line(&[("Enter/y", "confirm"), ("Esc/n", "cancel")], styles));
            let border = if c.danger {
                styles.danger()
            } else {
                styles.border()
            };
            popup(frame, area, &c.title, lines, border, styles);
        }
        Overlay::Choice(c) => {
            let mut lines: Vec<Line> = c
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    if i == c.selected {
                        Line::from(Span::styled(format!("▸ {o}"), styles.selected()))
                    } else {
                        Line::from(Span::styled(format!("  {o}"), styles.text()))
                    }
                })
                .collect();
            lines.push(Line::raw(""));
            lines.push(hint_line(
                &[("↑/↓", "choose"), ("Enter", "confirm"), ("Esc", "cancel")],
                styles,
            ));
            popup(frame, area, &c.title, lines, styles.border(), styles);
        }
        Overlay::Form(form) => render_form(frame, area, form, styles),
        Overlay::Checklist { title, lines } => {
            let mut text: Vec<Line> = lines
                .iter()
                .map(|l| {
                    let style = if l.starts_with("[ ]") {
                        styles.warning()
                    } else {
                        styles.text()
                    };
                    Line::from(Span::styled(l.clone(), style))
                })
                .collect();
            text.push(Line::raw(""));
            text.push(hint_line(
                &[("Enter", "close — the list now shows what needs attention")],
                styles,
            ));
            popup(frame, area, title, text, styles.warning(), styles);
        }
        Overlay::Themes { selected, .. } => {
            let mut lines: Vec<Line> = state
                .themes
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    if i == *selected {
                        Line::from(Span::styled(format!("▸ {}", t.name), styles.selected()))
                    } else {
                        Line::from(Span::styled(format!("  {}", t.name), styles.text()))
                    }
                })
                .collect();
            lines.push(Line::raw(""));
            lines.push(Line::from(Span::styled(
                "↑/↓ preview · Enter keep · Esc undo",
                styles.muted(),
            )));
            if state.no_color {
                lines.push(Line::from(Span::styled(
                    "NO_COLOR is set: colours are off.",
                    styles.muted(),
                )));
            }
            popup(frame, area, "Theme", lines, styles.border(), styles);
        }
    }
}

fn popup(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line>,
    border: ratatui::style::Style,
    styles: &Styles,
) {
    let width = 76.min(area.width.saturating_sub(4));
    // Lines wrap inside the box: estimate the height they need.
    let inner_w = usize::from(width.saturating_sub(4)).max(1);
    let needed: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner_w)).sum();
    let height = (needed as u16 + 2).min(area.height.saturating_sub(2));
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(Span::styled(
            format!(" {} ", escape_control(title)),
            styles.title(),
        ))
        .border_style(border)
        .style(styles.base());
    frame.render_widget(
        Paragraph::new(lines)
            .block(block.padding(ratatui::widgets::Padding::horizontal(1)))
            .wrap(Wrap { trim: false }),
        rect,
    );
}

fn render_form(frame: &mut Frame, area: Rect, form: &Form, styles: &Styles) {
    let mut lines: Vec<Line> = form
        .intro
        .iter()
        .map(|l| Line::from(Span::styled(l.clone(), styles.muted())))
        .collect();
    if !lines.is_empty() {
        lines.push(Line::raw(""));
    }
    for (i, f) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        // A value longer than the line shows its end, where the cursor is: wrapped,
        // a long paste would push the error and the other fields out of the box.
        let room = usize::from(area.width.min(76)).saturating_sub(4 + 16 + 2).max(8);
        let shown = if f.is_masked() {
            let n = f.text().chars().count();
            if n > room {
                format!("…{}", "•".repeat(room - 1))
            } else {
                mask(f.text())
            }
        } else if let crate::tui::form::FieldKind::Choice(_) = f.kind {
            format!("◂ {} ▸", f.text())
        } else {
            let text = escape_control(f.text());
            let n = text.chars().count();
            if n > room {
                format!("…{}", text.chars().skip(n - (room - 1)).collect::<String>())
            } else {
                text.into_owned()
            }
        };
        let label = format!(
            "{:<16}",
            if f.optional {
                format!("{} (opt.)", f.label)
            } else {
                f.label.to_owned()
            }
        );
        let mut spans = vec![
            Span::styled(label, if focused { styles.accent() } else { styles.muted() }),
            Span::styled(
                format!("{shown}{}", if focused { "▏" } else { " " }),
                styles.input(),
            ),
        ];
        if let Some((good, note)) = f.live_check()
            && !note.is_empty()
        {
            spans.push(Span::styled(
                format!("  {} {note}", if good { "✓" } else { "✗" }),
                if good { styles.ok() } else { styles.warning() },
            ));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw(""));
    if let Some(e) = &form.error {
        lines.push(Line::from(Span::styled(e.clone(), styles.danger())));
    }
    lines.push(hint_line(
        &[
            ("Tab/↓", "next field"),
            ("←/→", "choose"),
            ("Enter", "save"),
            ("Esc", "cancel"),
        ],
        styles,
    ));
    popup(frame, area, &form.title, lines, styles.accent(), styles);
}

fn help(frame: &mut Frame, area: Rect, state: &State, scroll: u16, styles: &Styles) {
    // The screen under the help decides which keys it lists.
    let mode = match &state.screen {
        crate::tui::state::Screen::Overview => crate::tui::keymap::Mode::Overview,
        _ => crate::tui::keymap::Mode::Main,
    };
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "Keys of the {} screen (from the keymap; override them in config.ron):",
            mode.name()
        ),
        styles.muted(),
    ))];
    lines.push(Line::raw(""));
    for (action, keys) in state.keymap.bindings(mode) {
        let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
        lines.push(Line::from(vec![
            Span::styled(format!("{:<18}", keys.join(" ")), styles.key()),
            Span::styled(action.describe(), styles.text()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled(
        "Mouse: click a row to select it, wheel to scroll.",
        styles.muted(),
    )));
    let rect = centered(area, 76, area.height.saturating_sub(2));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(
                Block::bordered()
                    .title(Span::styled(" Help — Esc closes ", styles.title()))
                    .border_style(styles.accent())
                    .style(styles.base()),
            )
            .scroll((scroll, 0)),
        rect,
    );
}
