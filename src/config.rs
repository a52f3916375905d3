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
    /// Where and how the TUI's verify key signs in.
    pub verify: VerifyConfig,
}

/// The TUI's sign-ins (docs/verify.md): Apple's servers and Mozilla's roots unless
/// a server of the user's own is named; `aspen verify` takes its options instead.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifyConfig {
    pub caldav_url: Option<crate::verify::CalDavUrl>,
    pub imap_server: Option<crate::verify::ImapServer>,
    /// Checked against this PEM file's certificates instead of Mozilla's roots; read
    /// when the TUI starts.
    pub ca_file: Option<PathBuf>,
    pub pause_secs: f64,
    pub timeout_secs: f64,
}

/// Key overrides as the config writes them: mode name -> key text -> action.
pub type KeymapPatch =
    std::collections::BTreeMap<String, std::collections::BTreeMap<String, crate::action::Action>>;

/// The `verify_…` settings of a [`Patch`].
struct VerifyPatch {
    caldav_url: Option<String>,
    imap_server: Option<String>,
    ca_file: Option<PathBuf>,
    pause_secs: Option<f64>,
    timeout_secs: Option<f64>,
}

impl VerifyConfig {
    /// Takes what `patch` names; `bad` words a refusal of the setting it names.
    fn patch(&mut self, patch: VerifyPatch, bad: &dyn Fn(&str, String) -> Error) -> Result<()> {
        if let Some(url) = patch.caldav_url {
            let url =
                crate::verify::CalDavUrl::parse(&url).map_err(|e| bad("verify_caldav_url", e.to_string()))?;
            self.caldav_url = Some(url);
        }
        if let Some(server) = patch.imap_server {
            let server = crate::verify::ImapServer::parse(&server)
                .map_err(|e| bad("verify_imap_server", e.to_string()))?;
            self.imap_server = Some(server);
        }
        if patch.ca_file.is_some() {
            self.ca_file = patch.ca_file;
        }
        if let Some(v) = patch.pause_secs {
            if !(0.1..=600.0).contains(&v) {
                return Err(bad(
                    "verify_pause_secs",
                    "give a number of seconds from 0.1 to 600".to_owned(),
                ));
            }
            self.pause_secs = v;
        }
        if let Some(v) = patch.timeout_secs {
            let max = crate::verify::MAX_TIMEOUT.as_secs_f64();
            if !(1.0..=max).contains(&v) {
                return Err(bad(
                    "verify_timeout_secs",
                    format!("give a number of seconds from 1 to {max}"),
                ));
            }
            self.timeout_secs = v;
        }
        Ok(())
    }

    /// The servers, roots and timeout to sign in with; reads the CA file when one
    /// is named.
    pub fn endpoints(&self) -> Result<crate::verify::Endpoints> {
        let mut endpoints = crate::verify::Endpoints::default();
        if let Some(url) = &self.caldav_url {
            endpoints.caldav = url.clone();
        }
        if let Some(server) = &self.imap_server {
            endpoints.imap = server.clone();
        }
        if let Some(path) = &self.ca_file {
            endpoints.roots = crate::verify::Roots::from_pem_file(path)?;
        }
        endpoints.timeout = std::time::Duration::from_secs_f64(self.timeout_secs);
        Ok(endpoints)
    }

    /// The pause between two sign-ins.
    pub fn pause(&self) -> std::time::Duration {
        std::time::Duration::from_secs_f64(self.pause_secs)
    }
}

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
    verify_caldav_url: Option<String>,
    verify_imap_server: Option<String>,
    verify_ca_file: Option<PathBuf>,
    verify_pause_secs: Option<f64>,
    verify_timeout_secs: Option<f64>,
}

impl Config {
    pub fn policy(&self) -> Policy {
        Policy {
            rotation_days: self.rotation_days,
        }
    }

    /// Applies `patch`; `at` locates a setting in the text it came from, for errors.
    fn apply(&mut self, patch: Patch, at: &dyn Fn(&str) -> (usize, usize), path: &Path) -> Result<()> {
        let Patch {
            rotation_days,
            clipboard_clear_secs,
            clipboard,
            idle_lock_secs,
            unlock_time_secs,
            theme,
            keys,
            verify_caldav_url,
            verify_imap_server,
            verify_ca_file,
            verify_pause_secs,
            verify_timeout_secs,
        } = patch;
        let bad = |key: &str, message: String| config_error(path, at(key), format!("{key}: {message}"));
        self.verify.patch(
            VerifyPatch {
                caldav_url: verify_caldav_url,
                imap_server: verify_imap_server,
                ca_file: verify_ca_file,
                pause_secs: verify_pause_secs,
                timeout_secs: verify_timeout_secs,
            },
            &bad,
        )?;
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
        Ok(())
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
            verify: VerifyConfig {
                caldav_url: None,
                imap_server: None,
                ca_file: None,
                pause_secs: 0.0,
                timeout_secs: 0.0,
            },
        };
        let path = Path::new("<built-in defaults>");
        let patch = parse(DEFAULTS, path).expect("the shipped defaults parse");
        config
            .apply(patch, &|_| (1, 1), path)
            .expect("the shipped defaults are valid");
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
        use crate::storage::files::{ReadError, read_regular};
        let bytes = match read_regular(&path, crate::storage::MAX_SMALL_FILE_BYTES, "config file") {
            Ok(bytes) => bytes,
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                return Ok(config);
            }
            Err(e) => return Err(e.into_error("read the config", &path)),
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = text_position(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
            config_error(&path, at, "the file is not UTF-8 text".to_owned())
        })?;
        Self::parse(&text, &path)
    }

    /// Defaults patched by the config text `text`; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        let mut config = Self::defaults();
        config.apply(parse(text, path)?, &|key| setting_position(text, key), path)?;
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

fn config_error(path: &Path, (line, column): (usize, usize), message: String) -> Error {
    Error::Config {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// Line and column (from 1) of the setting `key` in `text`; the start when it is not
/// found.
fn setting_position(text: &str, key: &str) -> (usize, usize) {
    text.find(key)
        .map_or((1, 1), |at| text_position(&text.as_bytes()[..at]))
}

/// Line and column (from 1) just after `before`.
fn text_position(before: &[u8]) -> (usize, usize) {
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, column)
}

/// The settings, as one `( … )` block; says so in those words when the file is not
/// one (ron's own message would name aspen's internal type).
fn parse(text: &str, path: &Path) -> Result<Patch> {
    let blank = text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with("//"));
    if blank {
        return Err(config_error(
            path,
            (1, 1),
            "the file has no settings; write them inside parentheses, e.g. (rotation_days: 90), \
             or write () to keep every default"
                .to_owned(),
        ));
    }
    // Users write `rotation_days: 90`, not `Some(90)`.
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .map_err(|e| {
            let message = match e.code.to_string() {
                m if m.contains("struct `Patch`") => {
                    "the settings must be one block in parentheses, e.g. (rotation_days: 90)".to_owned()
                }
                m => m.replace("`Patch`", "the config"),
            };
            config_error(path, (e.span.start.line, e.span.start.col), message)
        })
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // test fixtures, not vaults
mod tests {
    use super::*;

    #[test]
    fn shipped_defaults_parse() {
        let c = Config::defaults();
        assert_eq!(
            c.rotation_days, 0,
            "staleness is opt-in: Apple never expires a password"
        );
        assert_eq!(c.clipboard_clear_secs, 30);
        assert_eq!(c.clipboard, Method::Auto);
        assert_eq!(c.idle_lock_secs, 300);
        assert_eq!(c.verify.pause(), crate::app::verify::DEFAULT_PAUSE);
        assert_eq!(
            c.verify.endpoints().unwrap().timeout,
            crate::verify::DEFAULT_TIMEOUT
        );
        assert_eq!(c.verify.caldav_url, None, "Apple's servers unless told otherwise");
    }

    #[test]
    fn a_verify_server_must_be_https_and_a_bad_one_is_pinpointed() {
        let path = Path::new("config.ron");
        let text = "(\n  verify_pause_secs: 0.5,\n  verify_caldav_url: \"http://127.0.0.1:5232/\",\n)";
        let err = Config::parse(text, path).unwrap_err().to_string();
        assert!(err.contains("config.ron:3:3"), "{err}");
        assert!(
            err.contains("verify_caldav_url") && err.contains("https://"),
            "{err}"
        );
        let text = "(verify_caldav_url: \"https://127.0.0.1:5232/\", verify_imap_server: \"127.0.0.1:1993\")";
        let c = Config::parse(text, path).unwrap();
        let endpoints = c.verify.endpoints().unwrap();
        assert_eq!(endpoints.caldav.as_str(), "https://127.0.0.1:5232/");
        assert_eq!(endpoints.imap.port(), 1993);
        let err = Config::parse("(verify_timeout_secs: 0.5)", path)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("verify_timeout_secs: give a number of seconds from 1 to 120"),
            "{err}"
        );
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
    fn an_empty_or_shapeless_file_is_explained_without_internal_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.ron");
        for text in ["", "\n  \n", "// nothing yet\n", "rotation_days: 90", "[1, 2]"] {
            std::fs::write(&path, text).unwrap();
            let err = Config::load(Some(&path)).unwrap_err().to_string();
            assert!(!err.contains("Patch"), "{text:?}: {err}");
            assert!(err.contains("(rotation_days: 90)"), "{text:?}: {err}");
        }
        std::fs::write(&path, "()").unwrap();
        assert_eq!(Config::load(Some(&path)).unwrap(), Config::defaults());
    }

    #[test]
    fn a_config_that_is_not_a_regular_file_or_not_text_is_refused_without_hanging() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("config.ron");
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::from_raw_mode(0o600)).unwrap();
        let err = Config::load(Some(&fifo)).unwrap_err().to_string();
        assert!(err.contains("named pipe"), "{err}");
        let binary = dir.path().join("binary.ron");
        std::fs::write(&binary, b"(\n rotation_days: \xff)").unwrap();
        let err = Config::load(Some(&binary)).unwrap_err().to_string();
        assert!(err.contains("binary.ron:2:17: the file is not UTF-8"), "{err}");
    }

    #[test]
    fn a_broken_file_is_reported_with_its_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.ron");
        std::fs::write(&path, "(\n  rotation_days: 90,\n  colour: \"red\",\n)").unwrap();
        let err = Config::load(Some(&path)).unwrap_err().to_string();
        assert!(err.contains("config.ron:3:"), "{err}");
        assert!(err.contains("colour"), "{err}");
        assert!(!err.contains("Patch"), "no internal names: {err}");
    }
}
