//! Keys as data: the default keymap (RON, compiled in), patched by the user's
//! config, and resolved by a pure function of (mode, key).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

pub const DEFAULT: &str = include_str!("keymap.default.ron");

/// Which table a key is looked up in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Main,
    Search,
    Form,
    Dialog,
    Unlock,
    Help,
    Overview,
}

impl Mode {
    pub const ALL: [Mode; 7] = [
        Self::Main,
        Self::Search,
        Self::Form,
        Self::Dialog,
        Self::Unlock,
        Self::Help,
        Self::Overview,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Main => "main",
            Self::Search => "search",
            Self::Form => "form",
            Self::Dialog => "dialog",
            Self::Unlock => "unlock",
            Self::Help => "help",
            Self::Overview => "overview",
        }
    }

    /// Modes where plain characters are typed into a field rather than bound.
    pub fn takes_text(self) -> bool {
        matches!(self, Self::Search | Self::Form | Self::Unlock)
    }
}

/// A key with its modifiers, as written in keymap files ("Ctrl-d", "G", "Enter").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub fn from_event(e: KeyEvent) -> Self {
        // Shift is folded into the character itself ("G"); BackTab carries it already.
        Self {
            code: e.code,
            ctrl: e.modifiers.contains(KeyModifiers::CONTROL),
            alt: e.modifiers.contains(KeyModifiers::ALT),
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        let (mut ctrl, mut alt, mut rest) = (false, false, s);
        loop {
            if let Some(r) = rest.strip_prefix("Ctrl-").filter(|r| !r.is_empty()) {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("Alt-").filter(|r| !r.is_empty()) {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "Enter" => KeyCode::Enter,
            "Esc" => KeyCode::Esc,
            "Tab" => KeyCode::Tab,
            // The second names are how the help screen shows them (Display below).
            "BackTab" | "Shift-Tab" => KeyCode::BackTab,
            "Up" => KeyCode::Up,
            "Down" => KeyCode::Down,
            "Left" => KeyCode::Left,
            "Right" => KeyCode::Right,
            "Home" => KeyCode::Home,
            "End" => KeyCode::End,
            "PageUp" | "PgUp" => KeyCode::PageUp,
            "PageDown" | "PgDn" => KeyCode::PageDown,
            "Backspace" => KeyCode::Backspace,
            "Delete" => KeyCode::Delete,
            "Space" => KeyCode::Char(' '),
            f if f.starts_with('F') && f.len() > 1 => f[1..]
                .parse::<u8>()
                .ok()
                .filter(|n| (1..=12).contains(n))
                .map(KeyCode::F)
                .ok_or_else(|| format!("unknown key \"{s}\""))?,
            c if c.chars().count() == 1 => KeyCode::Char(c.chars().next().unwrap_or(' ')),
            _ => return Err(format!("unknown key \"{s}\"")),
        };
        Ok(Self { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            other => write!(f, "{other:?}"),
        }
    }
}

impl Key {
    /// How a hint shows the key: the arrows as arrows, the rest as in keymaps.
    pub fn hint(&self) -> String {
        let arrow = match self.code {
            KeyCode::Up => "↑",
            KeyCode::Down => "↓",
            KeyCode::Left => "←",
            KeyCode::Right => "→",
            _ => return self.to_string(),
        };
        let mut shown = self.to_string();
        shown.truncate(shown.len() - format!("{:?}", self.code).len());
        shown + arrow
    }
}

/// One thing in the user's key overrides that aspen cannot use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyProblem {
    pub mode: String,
    pub key: Option<String>,
    pub message: String,
}

/// Keys per mode. Built from the default RON and the user's patch.
#[derive(Clone, Debug, PartialEq)]
pub struct Keymap {
    modes: BTreeMap<Mode, HashMap<Key, Action>>,
}

pub use crate::config::KeymapPatch;

impl Keymap {
    pub fn default_keymap() -> Self {
        let patch: KeymapPatch = ron::from_str(DEFAULT).expect("the default keymap parses (tested)");
        let mut map = Self {
            modes: BTreeMap::new(),
        };
        map.apply(&patch).expect("the default keymap is valid (tested)");
        map
    }

    /// Every unknown mode and key in a user's overrides, each with the text that
    /// names it (a mode, or a mode and a key) so it can be found in the file.
    pub fn problems(patch: &KeymapPatch) -> Vec<KeyProblem> {
        let mut found = Vec::new();
        for (mode_name, keys) in patch {
            if !Mode::ALL.iter().any(|m| m.name() == mode_name) {
                found.push(KeyProblem {
                    mode: mode_name.clone(),
                    key: None,
                    message: format!(
                        "unknown key mode \"{}\"; modes: {}",
                        crate::text::escape_control(mode_name),
                        Mode::ALL.map(Mode::name).join(", ")
                    ),
                });
                continue;
            }
            for key in keys.keys() {
                if let Err(message) = Key::parse(key) {
                    found.push(KeyProblem {
                        mode: mode_name.clone(),
                        key: Some(key.clone()),
                        message: crate::text::escape_control(&message).into_owned(),
                    });
                }
            }
        }
        found
    }

    /// Applies a user's overrides; an unknown mode or key is an error naming it.
    pub fn apply(&mut self, patch: &KeymapPatch) -> Result<(), String> {
        for (mode_name, keys) in patch {
            let mode = Mode::ALL
                .into_iter()
                .find(|m| m.name() == mode_name)
                .ok_or_else(|| {
                    format!(
                        "unknown key mode \"{mode_name}\"; modes: {}",
                        Mode::ALL.map(Mode::name).join(", ")
                    )
                })?;
            let table = self.modes.entry(mode).or_default();
            for (key, action) in keys {
                table.insert(Key::parse(key)?, *action);
            }
        }
        Ok(())
    }

    /// The action bound to `key` in `mode`. In text modes a plain character is text,
    /// so it is bound only when the table names it with a modifier.
    pub fn resolve(&self, mode: Mode, key: Key) -> Option<Action> {
        if mode.takes_text() && matches!(key.code, KeyCode::Char(_)) && !key.ctrl && !key.alt {
            return None;
        }
        self.modes.get(&mode)?.get(&key).copied()
    }

    /// Every binding of a mode, grouped by action, for the help screen.
    pub fn bindings(&self, mode: Mode) -> Vec<(Action, Vec<Key>)> {
        let mut by_action: BTreeMap<Action, Vec<Key>> = BTreeMap::new();
        if let Some(table) = self.modes.get(&mode) {
            for (key, action) in table {
                by_action.entry(*action).or_default().push(*key);
            }
        }
        by_action
            .into_iter()
            .map(|(action, mut keys)| {
                keys.sort_by_key(|k| (!matches!(k.code, KeyCode::Char(_)), k.to_string()));
                (action, keys)
            })
            .collect()
    }

    /// The keys bound to `action` in `mode`, in the order hints name them: the
    /// action's usual key first (Enter to confirm, Esc to go back, Tab to the next
    /// field, an arrow to move), then the arrows, letters, other keys, and keys
    /// with Ctrl or Alt last.
    pub fn keys_for(&self, mode: Mode, action: Action) -> Vec<Key> {
        let Some(table) = self.modes.get(&mode) else {
            return Vec::new();
        };
        let mut keys: Vec<Key> = table
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|(k, _)| *k)
            .collect();
        keys.sort_by_cached_key(|k| (hint_rank(action, k), k.to_string()));
        keys
    }

    /// The key a hint names for `action` in `mode`.
    pub fn key_for(&self, mode: Mode, action: Action) -> Option<Key> {
        self.keys_for(mode, action).into_iter().next()
    }

    /// Up to `n` of the keys for `action` in `mode` as a hint shows them
    /// ("Enter/y"); `None` when no key is bound to it.
    pub fn hint(&self, mode: Mode, action: Action, n: usize) -> Option<String> {
        let keys: Vec<String> = self
            .keys_for(mode, action)
            .iter()
            .take(n)
            .map(Key::hint)
            .collect();
        (!keys.is_empty()).then(|| keys.join("/"))
    }

    /// The keys of two opposite actions as one hint ("↑/↓"), or of the one bound.
    pub fn pair_hint(&self, mode: Mode, first: Action, second: Action) -> Option<String> {
        match (self.hint(mode, first, 1), self.hint(mode, second, 1)) {
            (Some(a), Some(b)) => Some(format!("{a}/{b}")),
            (a, b) => a.or(b),
        }
    }
}

/// Where a key stands among those bound to `action`, for hints: lower first.
fn hint_rank(action: Action, key: &Key) -> u8 {
    let usual = match action {
        Action::Confirm => Some(KeyCode::Enter),
        Action::Back => Some(KeyCode::Esc),
        Action::NextField => Some(KeyCode::Tab),
        Action::PrevField => Some(KeyCode::BackTab),
        Action::Up => Some(KeyCode::Up),
        Action::Down => Some(KeyCode::Down),
        Action::ChoicePrev => Some(KeyCode::Left),
        Action::ChoiceNext => Some(KeyCode::Right),
        Action::PageUp => Some(KeyCode::PageUp),
        Action::PageDown => Some(KeyCode::PageDown),
        Action::Top => Some(KeyCode::Home),
        Action::Bottom => Some(KeyCode::End),
        _ => None,
    };
    let plain = !key.ctrl && !key.alt;
    match key.code {
        _ if !plain => 4,
        code if Some(code) == usual => 0,
        KeyCode::Up | KeyCode::Down | KeyCode::Left | KeyCode::Right => 1,
        KeyCode::Char(_) => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Key {
        Key::parse(s).unwrap()
    }

    #[test]
    fn default_bindings_resolve_as_a_table() {
        let map = Keymap::default_keymap();
        let table = [
            (Mode::Main, "j", Some(Action::Down)),
            (Mode::Main, "Down", Some(Action::Down)),
            (Mode::Main, "k", Some(Action::Up)),
            (Mode::Main, "g", Some(Action::Top)),
            (Mode::Main, "G", Some(Action::Bottom)),
            (Mode::Main, "Ctrl-d", Some(Action::PageDown)),
            (Mode::Main, "Ctrl-u", Some(Action::PageUp)),
            (Mode::Main, "Enter", Some(Action::Confirm)),
            (Mode::Main, "Esc", Some(Action::Back)),
            (Mode::Main, "/", Some(Action::Search)),
            (Mode::Main, "?", Some(Action::Help)),
            (Mode::Main, "q", Some(Action::Quit)),
            (Mode::Main, "c", Some(Action::Copy)),
            (Mode::Main, "a", Some(Action::Add)),
            (Mode::Main, "e", Some(Action::Edit)),
            (Mode::Main, "x", Some(Action::Revoke)),
            (Mode::Main, "R", Some(Action::Reset)),
            (Mode::Main, "L", Some(Action::Lock)),
            (Mode::Main, "z", None),
            // In text modes letters are text, even bound ones.
            (Mode::Search, "q", None),
            (Mode::Search, "j", None),
            (Mode::Search, "Esc", Some(Action::Back)),
            (Mode::Form, "Tab", Some(Action::NextField)),
            (Mode::Form, "BackTab", Some(Action::PrevField)),
            (Mode::Unlock, "Enter", Some(Action::Confirm)),
            (Mode::Unlock, "x", None),
            (Mode::Dialog, "y", Some(Action::Confirm)),
            (Mode::Dialog, "n", Some(Action::Back)),
            (Mode::Help, "?", Some(Action::Back)),
        ];
        for (mode, k, expected) in table {
            assert_eq!(map.resolve(mode, key(k)), expected, "{mode:?} {k}");
        }
    }

    #[test]
    fn a_user_patch_overrides_and_adds() {
        let mut map = Keymap::default_keymap();
        let patch: KeymapPatch = ron::from_str(r#"{ "main": { "d": Revoke, "Ctrl-l": Lock } }"#).unwrap();
        map.apply(&patch).unwrap();
        assert_eq!(map.resolve(Mode::Main, key("d")), Some(Action::Revoke));
        assert_eq!(map.resolve(Mode::Main, key("Ctrl-l")), Some(Action::Lock));
        assert_eq!(map.resolve(Mode::Main, key("L")), Some(Action::Lock));
    }

    #[test]
    fn bad_patches_are_explained() {
        let mut map = Keymap::default_keymap();
        let bad_mode: KeymapPatch = ron::from_str(r#"{ "mian": { "d": Revoke } }"#).unwrap();
        assert!(
            map.apply(&bad_mode)
                .unwrap_err()
                .contains("unknown key mode \"mian\"")
        );
        let bad_key: KeymapPatch = ron::from_str(r#"{ "main": { "Hyper-x": Revoke } }"#).unwrap();
        assert!(map.apply(&bad_key).unwrap_err().contains("unknown key"));
    }

    /// The hints of the default keymap, as the screens showed them before they
    /// were read from it.
    #[test]
    fn hints_name_the_usual_key_first() {
        let map = Keymap::default_keymap();
        let table = [
            (Mode::Dialog, Action::Confirm, 2, "Enter/y"),
            (Mode::Dialog, Action::Back, 2, "Esc/n"),
            (Mode::Dialog, Action::Down, 1, "↓"),
            (Mode::Form, Action::NextField, 2, "Tab/↓"),
            (Mode::Form, Action::ChoiceNext, 1, "→"),
            (Mode::Help, Action::Back, 1, "Esc"),
            (Mode::Unlock, Action::NextField, 1, "Tab"),
            (Mode::Unlock, Action::Quit, 1, "Ctrl-c"),
            (Mode::Overview, Action::Quit, 1, "q"),
            (Mode::Main, Action::Regenerate, 1, "r"),
        ];
        for (mode, action, n, shown) in table {
            assert_eq!(
                map.hint(mode, action, n).as_deref(),
                Some(shown),
                "{mode:?} {action:?}"
            );
        }
        assert_eq!(
            map.pair_hint(Mode::Dialog, Action::Up, Action::Down).as_deref(),
            Some("↑/↓")
        );
        assert_eq!(map.hint(Mode::Overview, Action::Copy, 1), None);
        assert_eq!(key("Ctrl-Up").hint(), "Ctrl-↑");
    }

    #[test]
    fn keys_print_as_they_are_written() {
        for s in ["j", "G", "Ctrl-d", "Enter", "Esc", "F5", "Space"] {
            assert_eq!(key(s).to_string(), s);
        }
    }
}
