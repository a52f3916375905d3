//! Copying a password to the clipboard, and taking it back.
//!
//! On X11 and Wayland the clipboard is served by the process that copied, so a copy
//! made by a short-lived `aspen copy` (or a TUI that quits) would vanish with it. aspen
//! therefore starts a *holder*: itself, re-executed with a hidden subcommand in a new
//! session, which receives the password on a pipe, serves it (marked for clipboard
//! managers as not to be recorded), clears it at the deadline only if the clipboard
//! still holds it, and ends early as soon as another program takes the clipboard.
//!
//! Without a display (over SSH) or when asked, the password goes through the terminal
//! as an OSC 52 sequence instead; that copy lives in the terminal and cannot be
//! cleared reliably. See docs/clipboard.md.

mod holder;
mod osc52;
mod spawn;

use std::ffi::OsStr;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Deserialize;
use zeroize::Zeroizing;

use crate::secret::SecretString;

// Crate-private: it closes every inherited descriptor, which is sound only as the
// first thing the `clipboard-holder` process does (see holder.rs).
pub(crate) use holder::serve as serve_holder;
pub use osc52::{Tmux, osc52_sequence, tmux_osc52, write_to_terminal};

/// The hidden subcommand the holder runs as; the CLI parses it, [`copy`] starts it.
pub const HOLDER_SUBCOMMAND: &str = "clipboard-holder";

/// How to reach the clipboard: config `clipboard: "auto" | "osc52"`, or `--osc52`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum Method {
    /// The display's clipboard (Wayland, else X11); OSC 52 when there is no display.
    #[default]
    Auto,
    /// Always OSC 52 through the terminal.
    Osc52,
}

impl TryFrom<String> for Method {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        match value.as_str() {
            "auto" => Ok(Self::Auto),
            "osc52" => Ok(Self::Osc52),
            _ => Err(format!(
                "clipboard must be \"auto\" or \"osc52\", not \"{}\"",
                crate::text::escape_control(&value)
            )),
        }
    }
}

/// Where a copy went.
#[derive(Debug)]
pub enum Copied {
    /// A detached holder process serves the selection until the deadline.
    Held(Holder),
    /// OSC 52 bytes for the caller to write to its terminal (the CLI through
    /// [`write_to_terminal`], the TUI through its own output). Cannot be cleared reliably.
    Osc52(Zeroizing<Vec<u8>>),
}

/// A running holder. Dropping it hands the copy over: the holder keeps serving until
/// its deadline, or until another program takes the clipboard.
#[derive(Debug)]
pub struct Holder {
    // The `Child` stays unreaped while we hold it, so its pid cannot be reused by an
    // unrelated process before `clear_now` signals it.
    child: std::process::Child,
    deadline: Option<Instant>,
}

impl Holder {
    /// Clears our copy now (only if the clipboard still holds it) and ends the holder;
    /// used when the TUI locks. Waits (briefly) for the holder to finish.
    pub fn clear_now(self) -> Result<(), ClipboardError> {
        spawn::clear_now(self.child)
    }

    /// When the holder clears the clipboard; `None` when it never does.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// False once the holder has ended (deadline passed, or another program took the
    /// clipboard). Also reaps it, so a long-running caller keeps no zombie.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ClipboardError {
    #[error("the display's clipboard cannot be used: {detail}")]
    Unavailable { detail: String },
    #[error("could not start the clipboard holder: {source}")]
    Spawn { source: std::io::Error },
    #[error("the clipboard holder was not ready after {} s", .waited.as_secs())]
    Timeout { waited: Duration },
    #[error("the clipboard holder stopped before it was ready ({detail})")]
    HolderDied { detail: String },
    #[error("there is no terminal to send the OSC 52 sequence to")]
    NoTerminal,
    /// tmux's `set-clipboard` is this (`external`, its default, or `off`): it would
    /// drop a copy sent through the terminal, so none was sent.
    #[error("tmux drops what programs send to the clipboard (its set-clipboard is \"{setting}\")")]
    TmuxDrops { setting: String },
    #[error("could not write the OSC 52 sequence to the terminal: {source}")]
    Terminal { source: std::io::Error },
    #[error("could not clear the clipboard: {detail}")]
    ClearFailed { detail: String },
}

/// True when a display server's clipboard can be tried (Wayland or X11).
pub fn has_display() -> bool {
    ["WAYLAND_DISPLAY", "DISPLAY"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// Copies `secret`: starts the detached holder and returns once it reports ready, or
/// builds the OSC 52 sequence when there is no display or `method` is `Osc52`.
/// `clear_after` of `None` or zero never clears: the holder then serves until another
/// program takes the clipboard.
pub fn copy(
    secret: &SecretString,
    clear_after: Option<Duration>,
    method: Method,
) -> Result<Copied, ClipboardError> {
    if method == Method::Osc52 || !has_display() {
        return Ok(Copied::Osc52(osc52_sequence(secret)));
    }
    let program = std::env::current_exe().map_err(|source| ClipboardError::Spawn { source })?;
    hold_with(&program, &[], secret, clear_after).map(Copied::Held)
}

/// The holder half of [`copy`], with the program to run and extra environment given
/// explicitly: for tests, and for an embedder whose own executable is not aspen.
pub fn hold_with(
    program: &Path,
    env: &[(&str, &OsStr)],
    secret: &SecretString,
    clear_after: Option<Duration>,
) -> Result<Holder, ClipboardError> {
    let clear_after = clear_after.filter(|d| !d.is_zero());
    let (child, ready_at) = spawn::start(program, env, secret, clear_after)?;
    Ok(Holder {
        child,
        deadline: clear_after.and_then(|d| ready_at.checked_add(d)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_parses_from_config_words() {
        assert_eq!(Method::try_from("auto".to_owned()), Ok(Method::Auto));
        assert_eq!(Method::try_from("osc52".to_owned()), Ok(Method::Osc52));
        let err = Method::try_from("x11\u{1b}".to_owned()).unwrap_err();
        assert!(err.contains("\"auto\" or \"osc52\""), "{err}");
        assert!(!err.contains('\u{1b}'), "user text is escaped: {err}");
    }
}
