//! Issue 21's "look at it as a picture": the main screen, an entry's details, the
//! overview, the setup card, the reset checklist, the audit and the help, at 120×36,
//! 80×24 and 60×16, in every shipped theme. Each snapshot is the screen's text, then
//! a map of its cells' styles (one letter a style) and what each letter is: the
//! colours, the theme slots they come from, the weight. A theme that loses a role,
//! or paints one over another, changes its snapshots; text no one can read (a
//! colour on itself, or too faint on its background) fails here before any review.

use std::collections::HashMap;

use aspen::theme::{self, Theme};
use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

use super::{masked, populated};
use crate::harness::App;

const THEMES: [&str; 5] = ["default", "light", "gruvbox", "catppuccin-mocha", "high-contrast"];

const SIZES: [(u16, u16); 3] = [(120, 36), (80, 24), (60, 16)];

/// The keys that reach a screen from the populated vault.
type Reach = fn(&mut App);

/// The screens, each with the keys that reach it.
const SCREENS: [(&str, Reach); 7] = [
    // As it opens: Thunderbird, the first entry to regenerate, selected.
    ("main", |_| {}),
    // An active entry: its password, setup card line and history.
    ("details", |app| app.select("SmoothSync")),
    ("overview", |app| app.press('o')),
    ("setup_card", |app| {
        app.select("SmoothSync");
        app.press('i');
    }),
    // me@icloud.com reset again today: SmoothSync joins the two to regenerate.
    ("reset_checklist", |app| {
        app.press('R');
        app.key(KeyCode::Enter);
        app.key(KeyCode::Enter);
    }),
    ("audit", |app| {
        app.press('o');
        app.press('a');
    }),
    ("help", |app| app.press('?')),
];

/// Letters for the styles of one screen, in the order they first appear.
const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

#[test]
fn every_screen_at_every_size_in_every_theme() {
    let mut unreadable = Vec::new();
    // Beside the other screens' snapshots.
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    for (screen, reach) in SCREENS {
        for size in SIZES {
            let mut app = populated("default", size);
            reach(&mut app);
            app.state.message = None;
            for name in THEMES {
                app.state.theme = Theme::built_in(name).unwrap();
                let buffer = app.draw().clone();
                unreadable.extend(
                    faint_cells(&buffer, &app.state.theme)
                        .into_iter()
                        .map(|c| format!("{screen} {name} {}x{}: {c}", size.0, size.1)),
                );
                let picture = masked(&app, picture(&buffer, &app.state.theme));
                let name = format!("matrix_{screen}__{name}__{}x{}", size.0, size.1);
                settings.bind(|| insta::assert_snapshot!(name, picture));
            }
        }
    }
    assert!(unreadable.is_empty(), "{}", unreadable.join("\n"));
}

/// The screen's text, its style map and the map's legend.
fn picture(buffer: &Buffer, theme: &Theme) -> String {
    let area = buffer.area;
    let mut letters: HashMap<Style, char> = HashMap::new();
    let mut legend = Vec::new();
    let (mut text, mut map) = (String::new(), String::new());
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            line.push_str(cell.symbol());
            let style = cell.style();
            let letter = *letters.entry(style).or_insert_with(|| {
                let letter = LETTERS
                    .chars()
                    .nth(legend.len())
                    .expect("fewer styles than letters");
                legend.push(format!("{letter}  {}", describe(style, theme)));
                letter
            });
            map.push(letter);
        }
        text.push_str(line.trim_end());
        text.push('\n');
        map.push('\n');
    }
    format!("{text}\nstyles:\n{map}\nlegend:\n{}\n", legend.join("\n"))
}

/// "fg #c0caf5 [title]  bg reset [text, background]  BOLD".
fn describe(style: Style, theme: &Theme) -> String {
    let color = |c: Option<Color>| {
        let c = c.unwrap_or(Color::Reset);
        let slots: Vec<&str> = theme
            .palette
            .slots()
            .into_iter()
            .filter(|(_, t)| to_ratatui(*t) == c)
            .map(|(slot, _)| slot)
            .collect();
        let shown = match c {
            Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
            Color::Reset => "reset".to_owned(),
            Color::Indexed(i) => theme::ANSI_NAMES
                .get(usize::from(i))
                .map_or_else(|| format!("{c:?}"), |n| (*n).to_owned()),
            other => format!("{other:?}"),
        };
        if slots.is_empty() {
            shown
        } else {
            format!("{shown} [{}]", slots.join(", "))
        }
    };
    let mut out = format!("fg {}  bg {}", color(style.fg), color(style.bg));
    let modifier = style.add_modifier - style.sub_modifier;
    if modifier != Modifier::empty() {
        out.push_str(&format!("  {modifier:?}"));
    }
    out
}

fn to_ratatui(c: theme::Color) -> Color {
    match c {
        theme::Color::Reset => Color::Reset,
        theme::Color::Ansi(i) => Color::Indexed(i),
        theme::Color::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

/// The least contrast (WCAG's ratio) a letter needs on its background here: below
/// it, text reads as a smudge. Borders and gauges are lines, not text, and may be
/// fainter.
const MIN_CONTRAST: f64 = 3.0;

/// Cells holding a letter, digit or mark whose colour is too close to its
/// background's, where both are known (the terminal's own colours are not).
fn faint_cells(buffer: &Buffer, theme: &Theme) -> Vec<String> {
    let area = buffer.area;
    let mut found = Vec::new();
    for y in 0..area.height {
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            let Some(c) = cell.symbol().chars().next() else {
                continue;
            };
            // Box drawing, blocks and shades: lines and bars, not text.
            if c.is_whitespace() || ('\u{2500}'..='\u{259f}').contains(&c) {
                continue;
            }
            let style = cell.style();
            let mut fg = style.fg.unwrap_or(Color::Reset);
            let mut bg = style.bg.unwrap_or(Color::Reset);
            if style.add_modifier.contains(Modifier::REVERSED) {
                (fg, bg) = (bg, fg);
            }
            let fg = known(fg, theme.palette.text);
            let bg = known(bg, theme.palette.background);
            if let (Some(f), Some(b)) = (fg, bg) {
                let ratio = contrast(f, b);
                if ratio < MIN_CONTRAST {
                    found.push(format!("{c:?} at {x},{y}: {f:?} on {b:?}, contrast {ratio:.2}"));
                }
            }
        }
    }
    found.truncate(5);
    found
}

/// A cell's colour as red, green, blue; the terminal's own (reset) stands for the
/// theme's `otherwise`, unknown when that is the terminal's own too.
fn known(c: Color, otherwise: theme::Color) -> Option<(u8, u8, u8)> {
    match c {
        Color::Reset => match otherwise {
            theme::Color::Reset => None,
            t => known(to_ratatui(t), theme::Color::Reset),
        },
        Color::Rgb(r, g, b) => Some((r, g, b)),
        Color::Indexed(i) => ANSI_RGB.get(usize::from(i)).copied(),
        _ => None,
    }
}

/// xterm's 16 colours.
const ANSI_RGB: [(u8, u8, u8); 16] = [
    (0, 0, 0),
    (205, 0, 0),
    (0, 205, 0),
    (205, 205, 0),
    (0, 0, 238),
    (205, 0, 205),
    (0, 205, 205),
    (229, 229, 229),
    (127, 127, 127),
    (255, 0, 0),
    (0, 255, 0),
    (255, 255, 0),
    (92, 92, 255),
    (255, 0, 255),
    (0, 255, 255),
    (255, 255, 255),
];

/// WCAG's contrast ratio of two colours, 1 (the same) to 21 (black on white).
fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let lum = |(r, g, b): (u8, u8, u8)| {
        let lin = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// The readability check can fail: a theme whose muted text is its background.
#[test]
fn text_the_colour_of_its_background_is_found() {
    let mut app = populated("default", (80, 24));
    let mut theme = Theme::built_in("light").unwrap();
    theme.palette.muted = theme.palette.background;
    app.state.theme = theme;
    let buffer = app.draw().clone();
    let faint = faint_cells(&buffer, &app.state.theme);
    assert!(!faint.is_empty(), "muted text on its own colour went unseen");
}

/// A reset's record in the overview wraps right of its date, not back at the
/// box's edge; where the Apple ID would not fit there whole, under the date.
#[test]
fn a_reset_record_wraps_beside_its_date_and_keeps_its_apple_id_whole() {
    for size in [(80, 24), (60, 16)] {
        let mut app = populated("default", size);
        app.press('o');
        let records = crate::harness::box_text(&app.screen(), "Resets and Revoke Alls");
        let lines: Vec<&str> = records.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(lines[0].starts_with("2026-11-02  ┤"), "{size:?}:\n{records}");
        assert!(
            lines.iter().any(|l| l.trim() == "me@icloud.com"),
            "{size:?}:\n{records}"
        );
        for line in &lines[1..] {
            assert!(line.starts_with("  "), "{size:?}: {line:?}\n{records}");
        }
    }
}
