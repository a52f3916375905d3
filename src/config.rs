//! `config.ron`: embedded defaults, with the user's file applied on top as a partial
//! patch. A bad file is an error naming file, line and column, never silently ignored.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::clipboard::Method;
use crate::error::{Error, Result};
use crate::model::Policy;

/// The defaults, shipped in the binary; also what `docs/cli.md` shows.
pub const DEFAULTS: &str = include_str!("config.default.ron");

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub rotation_days: u32,
    pub clipboard_clear_secs: u64,
    pub clipboard: Method,
    pub idle_lock_secs: u64,
    pub unlock_time_secs: f64,
    /// The TUI's theme: a built-in name or a file in the config folder's `themes/`.
    pub theme: String,
    /// The TUI's key overrides; key names and modes are checked by the TUI.
    pub keys: Option<KeymapPatch>,
}

/// Key overrides as the config writes them: mode name -> key text -> action.
pub type KeymapPatch =
    std::collections::BTreeMap<String, std::collections::BTreeMap<String, crate::action::Action>>;

/// Every field optional: a user's file names only what it changes.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Patch {
    rotation_days: Option<u32>,
    clipboard_clear_secs: Option<u64>,
    clipboard: Option<Method>,
    idle_lock_secs: Option<u64>,
    unlock_time_secs: Option<f64>,
    theme: Option<String>,
    keys: Option<KeymapPatch>,
}

impl Config {
    pub fn policy(&self) -> Policy {
        Policy {
            rotation_days: self.rotation_days,
        }
    }

    fn apply(&mut self, patch: Patch) {
        let Patch {
            rotation_days,
            clipboard_clear_secs,
            clipboard,
            idle_lock_secs,
            unlock_time_secs,
            theme,
            keys,
        } = patch;
        if let Some(v) = theme {
            self.theme = v;
        }
        if keys.is_some() {
            self.keys = keys;
        }
        if let Some(v) = rotation_days {
            self.rotation_days = v;
        }
        if let Some(v) = clipboard_clear_secs {
            self.clipboard_clear_secs = v;
        }
        if let Some(v) = clipboard {
            self.clipboard = v;
        }
        if let Some(v) = idle_lock_secs {
            self.idle_lock_secs = v;
        }
        if let Some(v) = unlock_time_secs {
            self.unlock_time_secs = v;
        }
    }

    /// The embedded defaults alone.
    pub fn defaults() -> Self {
        let mut config = Self {
            rotation_days: 0,
            clipboard_clear_secs: 0,
            clipboard: Method::Auto,
            idle_lock_secs: 0,
            unlock_time_secs: 0.0,
            theme: String::new(),
            keys: None,
        };
        let patch = parse(DEFAULTS, Path::new("<built-in defaults>")).expect("the shipped defaults parse");
        config.apply(patch);
        config
    }

    /// Defaults patched by `path` when given (it must exist) or by the default config
    /// file when there is one.
    pub fn load(path: Option<&Path>) -> Result<Self> {
        let config = Self::defaults();
        let (path, required): (PathBuf, bool) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => match crate::storage::default_config_path() {
                Ok(p) => (p, false),
                Err(_) => return Ok(config),
            },
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(config),
            Err(e) => return Err(Error::io("read the config", &path, e)),
        };
        Self::parse(&text, &path)
    }

    /// Defaults patched by the config text `text`; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        let mut config = Self::defaults();
        config.apply(parse(text, path)?);
        config.check(path)?;
        Ok(config)
    }

    fn check(&self, path: &Path) -> Result<()> {
        if !(0.1..=60.0).contains(&self.unlock_time_secs) {
            return Err(Error::Config {
                path: path.to_path_buf(),
                line: 1,
                column: 1,
                message: "unlock_time_secs must be between 0.1 and 60".to_owned(),
            });
        }
        Ok(())
    }
}

fn parse(text: &str, path: &Path) -> Result<Patch> {
    // Users write `rotation_days: 90`, not `Some(90)`.
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .map_err(|e| Error::Config {
            path: path.to_path_buf(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: e.code.to_string(),
        })
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // test fixtures, not vaults
mod tests {
    use super::*;

    #[test]
    fn shipped_defaults_parse() {
        let c = Config::defaults();
        assert_eq!(c.rotation_days, 365);
        assert_eq!(c.clipboard_clear_secs, 30);
        assert_eq!(c.clipboard, Method::Auto);
        assert_eq!(c.idle_lock_secs, 300);
    }

    #[test]
    fn clipboard_method_is_a_word_and_a_bad_one_is_pinpointed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.ron");
        std::fs::write(&path, "(clipboard: \"osc52\")").unwrap();
        assert_eq!(Config::load(Some(&path)).unwrap().clipboard, Method::Osc52);
        std::fs::write(&path, "(\n  clipboard: \"x11\",\n)").unwrap();
        let err = Config::load(Some(&path)).unwrap_err().to_string();
        assert!(err.contains("config.ron:2:"), "{err}");
        assert!(err.contains("\"auto\" or \"osc52\""), "{err}");
    }

    #[test]
    fn a_user_file_patches_only_what_it_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.ron");
        std::fs::write(&path, "(rotation_days: 90)").unwrap();
        let c = Config::load(Some(&path)).unwrap();
        assert_eq!(c.rotation_days, 90);
        assert_eq!(c.clipboard_clear_secs, 30);
    }

    #[test]
    fn a_broken_file_is_reported_with_its_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.ron");
        std::fs::write(&path, "(\n  rotation_days: 90,\n  colour: \"red\",\n)").unwrap();
        let err = Config::load(Some(&path)).unwrap_err().to_string();
        assert!(err.contains("config.ron:3:"), "{err}");
        assert!(err.contains("colour"), "{err}");
    }
}
