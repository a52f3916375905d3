//! What the TUI checks before its first screen. Theme and key settings: every problem
//! is listed, one per line with its file and position, and the defaults used; none
//! stops aspen. The vault path: what stands there decides the first screen, so no
//! passphrase is asked for that could not open anything, and no new vault is offered
//! over the backup of a missing one.

use std::path::Path;

use super::Options;
use super::keymap::{KeyProblem, Keymap};
use super::msg::VaultCheck;
use crate::storage::VaultPaths;
use crate::theme::{Theme, ThemeError};

/// The theme, the themes to choose from and the keys, with what was wrong with them.
pub struct Settings {
    pub theme: Theme,
    pub themes: Vec<Theme>,
    pub keymap: Keymap,
    pub problems: Vec<String>,
}

pub fn settings(opts: &Options) -> Settings {
    let dir = opts.user_theme_dir.as_deref();
    let mut problems = Vec::new();
    // A broken file is reported once, though it is both the chosen theme and one
    // of the list.
    let mut reported: Vec<ThemeError> = Vec::new();
    let wanted = opts.theme.clone().unwrap_or_else(|| opts.config.theme.clone());
    let theme = Theme::load(&wanted, dir).unwrap_or_else(|e| {
        problems.push(format!("{e}; the default theme is used instead"));
        reported.push(e);
        Theme::default_theme()
    });
    let mut themes = Vec::new();
    for name in Theme::available(dir) {
        match Theme::load(&name, dir) {
            Ok(t) => themes.push(t),
            Err(e) if reported.contains(&e) => {}
            Err(e) => {
                problems.push(format!("{e}; it is left out of the theme list"));
                reported.push(e);
            }
        }
    }
    let mut keymap = Keymap::default_keymap();
    if let Some(keys) = &opts.config.keys {
        let bad = Keymap::problems(keys);
        if bad.is_empty() {
            // Checked above: applying cannot fail.
            let _ = keymap.apply(keys);
        } else {
            let file = opts.config_file.as_deref();
            problems.extend(bad.iter().map(|p| key_problem(file, p)));
        }
    }
    Settings {
        theme,
        themes,
        keymap,
        problems,
    }
}

fn key_problem(file: Option<&Path>, problem: &KeyProblem) -> String {
    let then = "the default keys are used instead";
    let at = file.and_then(|f| Some((f, locate(f, problem)?)));
    match at {
        Some((file, (line, column))) => format!(
            "{}:{line}:{column}: keys: {}; {then}",
            file.display(),
            problem.message
        ),
        None => format!("config.ron keys: {}; {then}", problem.message),
    }
}

/// Line and column (from 1) of the quoted mode, or of the quoted key inside it.
fn locate(file: &Path, problem: &KeyProblem) -> Option<(usize, usize)> {
    let bytes =
        crate::storage::files::read_regular(file, crate::storage::MAX_SMALL_FILE_BYTES, "config file")
            .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mode = text.find(&format!("\"{}\"", problem.mode))?;
    let at = match &problem.key {
        Some(key) => mode + text[mode..].find(&format!("\"{key}\""))?,
        None => mode,
    };
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.chars().rev().take_while(|c| *c != '\n').count() + 1;
    Some((line, column))
}

/// What stands at the vault path: a vault to unlock, room for a new one, or
/// something aspen must not touch (a folder, a file that is not a vault, the backup
/// of a missing vault). Reads the file's header; decrypts nothing.
pub fn check_vault(paths: &VaultPaths) -> VaultCheck {
    if paths.store().exists() {
        match paths.store().precheck() {
            Ok(_) => VaultCheck::Vault,
            Err(e) => VaultCheck::Refused(e),
        }
    } else {
        match paths.store().check_free_for_new_vault() {
            Ok(()) => VaultCheck::Free,
            Err(e) => VaultCheck::Refused(e),
        }
    }
}
