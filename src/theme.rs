//! Themes: semantic colour slots read from RON. The built-in themes are the files in
//! `themes/`, compiled in; a user theme of the same name in the config folder
//! (`themes/NAME.ron`) overrides one. This module knows no terminal library: the TUI
//! turns a [`Theme`] into styles.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Declares the palette: one field per slot, and the names theme files use for them.
macro_rules! palette {
    ($($field:ident => $name:literal),+ $(,)?) => {
        /// A theme's colours, one field per semantic slot: a view names a slot as a
        /// field, so a misspelt slot does not compile.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct Palette {
            $(pub $field: Color,)+
        }

        /// Every slot, by the name theme files use.
        pub const SLOTS: [&str; [$($name),+].len()] = [$($name),+];

        impl Palette {
            /// The slot named `name` in a theme file, to fill in.
            fn slot_mut(&mut self, name: &str) -> Option<&mut Color> {
                match name {
                    $($name => Some(&mut self.$field),)+
                    _ => None,
                }
            }

            /// Every slot's name and colour, in [`SLOTS`] order.
            pub fn slots(&self) -> Vec<(&'static str, Color)> {
                vec![$(($name, self.$field)),+]
            }

            const UNSET: Self = Self { $($field: Color::Reset,)+ };
        }
    };
}

palette! {
    text => "text",
    background => "background",
    muted => "muted",
    accent => "accent",
    title => "title",
    border => "border",
    selected_fg => "selected_fg",
    selected_bg => "selected_bg",
    ok => "ok",
    warning => "warning",
    danger => "danger",
    matched => "match",
    key => "key",
    gauge_empty => "gauge_empty",
    input_bg => "input_bg",
}

pub const BUILT_IN: [(&str, &str); 5] = [
    ("default", include_str!("../themes/default.ron")),
    ("light", include_str!("../themes/light.ron")),
    ("high-contrast", include_str!("../themes/high-contrast.ron")),
    ("gruvbox", include_str!("../themes/gruvbox.ron")),
    ("catppuccin-mocha", include_str!("../themes/catppuccin-mocha.ron")),
];

/// A colour as a theme names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    /// The terminal's own foreground or background.
    Reset,
    /// One of the 16 ANSI colours, by index 0–15.
    Ansi(u8),
    Rgb(u8, u8, u8),
}

/// The 16 ANSI colour names in index order, as theme files write them.
pub const ANSI_NAMES: [&str; 16] = [
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "dark-gray",
    "light-red",
    "light-green",
    "light-yellow",
    "light-blue",
    "light-magenta",
    "light-cyan",
    "white",
];

impl Color {
    pub fn parse(s: &str) -> Option<Self> {
        if s == "reset" {
            return Some(Self::Reset);
        }
        if let Some(hex) = s.strip_prefix('#') {
            if hex.len() != 6 || !hex.is_ascii() {
                return None;
            }
            let c = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
            return Some(Self::Rgb(c(0)?, c(2)?, c(4)?));
        }
        ANSI_NAMES
            .iter()
            .position(|n| *n == s)
            .map(|i| Self::Ansi(i as u8))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub name: String,
    pub palette: Palette,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: String,
    /// A built-in theme whose colours fill every slot this file does not name.
    #[serde(default)]
    inherits: Option<String>,
    colors: BTreeMap<String, String>,
}

/// A theme file that could not be used, with where the problem is; `line` 0 when
/// there is no file to point into (a theme name that names nothing).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", shown(self))]
pub struct ThemeError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Theme {
    /// Parses a theme file's text; `file` names it in errors.
    pub fn parse(text: &str, file: &Path) -> Result<Self, ThemeError> {
        let err = |line: usize, column: usize, message: String| ThemeError {
            file: file.to_path_buf(),
            line,
            column,
            message,
        };
        // `inherits: "default"`, not `Some("default")`.
        let parsed: ThemeFile = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
            .map_err(|e| err(e.span.start.line, e.span.start.col, e.code.to_string()))?;
        // Position of a slot's line, for errors about its value.
        let locate = |slot: &str| {
            text.lines()
                .enumerate()
                .find(|(_, l)| l.contains(&format!("\"{slot}\"")))
                .map(|(i, l)| (i + 1, l.find('"').unwrap_or(0) + 1))
                .unwrap_or((1, 1))
        };
        let parent = match &parsed.inherits {
            None => None,
            Some(name) => Some(Self::built_in(name).ok_or_else(|| {
                let at = text.find("inherits").map_or((1, 1), |i| position(text, i));
                err(
                    at.0,
                    at.1,
                    format!(
                        "inherits names no built-in theme: \"{name}\"; built in: {}",
                        BUILT_IN.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                    ),
                )
            })?),
        };
        let mut palette = parent.map_or(Palette::UNSET, |p| p.palette);
        for (slot, value) in &parsed.colors {
            let (l, c) = locate(slot);
            let Some(field) = palette.slot_mut(slot) else {
                return Err(err(
                    l,
                    c,
                    format!("unknown colour slot \"{slot}\"; known: {}", SLOTS.join(", ")),
                ));
            };
            *field = Color::parse(value).ok_or_else(|| {
                err(
                    l,
                    c,
                    format!("\"{value}\" is not a colour: use \"#rrggbb\", an ANSI name like \"light-blue\", or \"reset\""),
                )
            })?;
        }
        if parsed.inherits.is_none()
            && let Some(missing) = SLOTS.iter().find(|s| !parsed.colors.contains_key(**s))
        {
            return Err(err(
                1,
                1,
                format!(
                    "the theme has no colour for the slot \"{missing}\"; name it, or add \
                     inherits: \"default\" to take the slots it does not name from a built-in theme"
                ),
            ));
        }
        Ok(Self {
            name: parsed.name,
            palette,
        })
    }

    pub fn default_theme() -> Self {
        Self::built_in("default").expect("the default theme is built in")
    }

    pub fn built_in(name: &str) -> Option<Self> {
        BUILT_IN.iter().find(|(n, _)| *n == name).map(|(n, text)| {
            Self::parse(text, Path::new(&format!("themes/{n}.ron"))).expect("built-in themes parse (tested)")
        })
    }

    /// Names of every theme the user can choose: built-in ones, then the user's own.
    pub fn available(user_dir: Option<&Path>) -> Vec<String> {
        let mut names: Vec<String> = BUILT_IN.iter().map(|(n, _)| (*n).to_owned()).collect();
        if let Some(dir) = user_dir
            && let Ok(entries) = std::fs::read_dir(dir)
        {
            let mut own: Vec<String> = entries
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.strip_suffix(".ron").map(str::to_owned)
                })
                .filter(|n| !names.contains(n))
                .collect();
            own.sort();
            names.extend(own);
        }
        names
    }

    /// Loads `name`: the user's `DIR/NAME.ron` when it exists, else the built-in one.
    /// An unknown name or a broken file is an error naming the file and position.
    pub fn load(name: &str, user_dir: Option<&Path>) -> Result<Self, ThemeError> {
        if let Some(dir) = user_dir {
            let file = dir.join(format!("{name}.ron"));
            let unreadable = |message: String| ThemeError {
                file: file.clone(),
                line: 1,
                column: 1,
                message,
            };
            use crate::storage::files::{ReadError, read_regular};
            match read_regular(&file, crate::storage::MAX_SMALL_FILE_BYTES, "theme file") {
                Ok(bytes) => {
                    let text = String::from_utf8(bytes)
                        .map_err(|_| unreadable("the file is not UTF-8 text".to_owned()))?;
                    return Self::parse(&text, &file);
                }
                Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(ReadError::Io(e)) => return Err(unreadable(format!("cannot read it: {e}"))),
                Err(ReadError::Refused(e)) => return Err(unreadable(e.to_string())),
            }
        }
        Self::built_in(name).ok_or_else(|| ThemeError {
            file: PathBuf::from(format!("{name}.ron")),
            line: 0,
            column: 0,
            message: format!(
                "no theme is named \"{}\": built in are {}{}",
                crate::text::escape_control(name),
                BUILT_IN.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "),
                user_dir.map_or(String::new(), |d| format!(
                    ", and your own go in {}",
                    crate::text::shown_path(&d.join("NAME.ron"))
                ))
            ),
        })
    }
}

fn shown(e: &ThemeError) -> String {
    if e.line == 0 {
        e.message.clone()
    } else {
        format!(
            "{}:{}:{}: {}",
            crate::text::shown_path(&e.file),
            e.line,
            e.column,
            e.message
        )
    }
}

/// Line and column (from 1) of byte `at` in `text`.
fn position(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_theme_parses_and_fills_every_slot() {
        for (name, text) in BUILT_IN {
            let theme = Theme::parse(text, Path::new(name)).unwrap();
            assert_eq!(theme.name, name);
            // Every slot is named in the file itself: none inherits.
            for slot in SLOTS {
                assert!(text.contains(&format!("\"{slot}\":")), "{name} lacks {slot}");
            }
        }
    }

    #[test]
    fn a_user_theme_can_inherit_and_change_three_colours() {
        let text = "(name: \"mine\", inherits: \"default\", colors: {\n  \"danger\": \"red\",\n  \"ok\": \"green\",\n  \"key\": \"#ff00ff\",\n})";
        let theme = Theme::parse(text, Path::new("mine.ron")).unwrap();
        let default = Theme::default_theme().palette;
        assert_eq!(theme.palette.danger, Color::Ansi(1));
        assert_eq!(theme.palette.ok, Color::Ansi(2));
        assert_eq!(theme.palette.key, Color::Rgb(255, 0, 255));
        assert_eq!(theme.palette.accent, default.accent);
        assert_eq!(theme.palette.border, default.border);

        // A misspelt slot is an error at its line, never a silently uncoloured role.
        let typo = text.replace("\"danger\"", "\"dangr\"");
        let err = Theme::parse(&typo, Path::new("mine.ron")).unwrap_err();
        assert_eq!((err.line, err.column), (2, 3), "{err}");
        assert!(err.message.contains("unknown colour slot \"dangr\""), "{err}");
        let unknown_parent = text.replace("\"default\"", "\"defualt\"");
        let err = Theme::parse(&unknown_parent, Path::new("mine.ron")).unwrap_err();
        assert!(err.to_string().starts_with("mine.ron:1:"), "{err}");
        assert!(err.message.contains("\"defualt\""), "{err}");
        // Without inherits, every slot must be named.
        let err = Theme::parse(&text.replace("inherits: \"default\", ", ""), Path::new("m.ron")).unwrap_err();
        assert!(err.message.contains("inherits: \"default\""), "{err}");
    }

    #[test]
    fn a_bad_colour_is_reported_at_its_line() {
        let text = include_str!("../themes/default.ron").replace("\"#7f8796\"", "\"greyish\"");
        let err = Theme::parse(&text, Path::new("mine.ron")).unwrap_err();
        assert_eq!(err.file, Path::new("mine.ron"));
        assert!(err.message.contains("\"greyish\" is not a colour"), "{err}");
        let line = text.lines().position(|l| l.contains("greyish")).unwrap() + 1;
        assert_eq!(err.line, line);
    }

    #[test]
    fn a_syntax_error_has_a_position() {
        let err = Theme::parse(
            "(name: \"x\", colors: {\n \"text\" \"red\" })",
            Path::new("t.ron"),
        )
        .unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.to_string().starts_with("t.ron:2:"));
    }

    #[test]
    fn an_unknown_theme_name_points_into_no_file() {
        let err = Theme::load("nosuch", Some(Path::new("/home/me/.config/aspen/themes"))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no theme is named \"nosuch\": built in are default, light, high-contrast, gruvbox, \
             catppuccin-mocha, and your own go in /home/me/.config/aspen/themes/NAME.ron"
        );
    }

    #[test]
    fn colours_parse() {
        assert_eq!(Color::parse("#ff0080"), Some(Color::Rgb(255, 0, 128)));
        assert_eq!(Color::parse("light-blue"), Some(Color::Ansi(12)));
        assert_eq!(Color::parse("reset"), Some(Color::Reset));
        assert_eq!(Color::parse("#ff00"), None);
        assert_eq!(Color::parse("#ééé"), None);
    }
}
