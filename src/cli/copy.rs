//! `aspen copy`: put a password on the clipboard, cleared at a deadline if unchanged;
//! and the hidden `clipboard-holder` the copy runs in.

use std::time::Duration;

use clap::Args;

use super::{Ctx, Select};
use crate::clipboard::{self, ClipboardError, Copied, Method, Tmux};
use crate::error::{Error, Result};
use crate::secret::SecretString;
use crate::text::{escape_control, shell_quote};

#[derive(Debug, Args)]
pub struct CopyArgs {
    #[command(flatten)]
    pub select: Select,
    /// Seconds until the clipboard is cleared, if it still holds the password; 0 never
    /// clears [default: clipboard_clear_secs from the config, 30]
    #[arg(long, value_name = "SECS")]
    pub clear_after: Option<u64>,
    /// Copy through the terminal (OSC 52) instead of the display's clipboard: works
    /// over SSH and in tmux, but cannot be cleared afterwards
    #[arg(long)]
    pub osc52: bool,
}

#[derive(Debug, Args)]
pub struct HolderArgs {
    /// Milliseconds until the clear; 0 never clears
    #[arg(long, value_name = "MS")]
    pub clear_after_ms: u64,
}

pub fn copy(ctx: &Ctx, args: &CopyArgs) -> Result<i32> {
    let secs = args.clear_after.unwrap_or(ctx.config.clipboard_clear_secs);
    let method = if args.osc52 {
        Method::Osc52
    } else {
        ctx.config.clipboard
    };
    let (label, secret) = {
        let loaded = ctx.open()?;
        let entry = loaded
            .vault
            .find(&args.select.label, args.select.apple_id.as_deref())?;
        (
            entry.label.clone(),
            SecretString::from(entry.stored_password()?.expose()),
        )
    };
    copy_secret(&label, &secret, &args.select, secs, method)?;
    Ok(0)
}

/// Puts `secret`, the password of `label`, on the clipboard, cleared after `secs`
/// (0: never) if it still holds it, and says where it went; `select` chose the entry,
/// for the hint that offers `aspen reveal` instead. `aspen setup` copies with it too.
pub(super) fn copy_secret(
    label: &str,
    secret: &SecretString,
    select: &Select,
    secs: u64,
    method: Method,
) -> Result<()> {
    let failed = |source| Error::Clipboard {
        label: label.to_owned(),
        reveal: reveal_command(select),
        source,
    };
    let shown = escape_control(label);
    let clear_after = (secs > 0).then(|| Duration::from_secs(secs));
    match clipboard::copy(secret, clear_after, method).map_err(failed)? {
        // Dropping the holder leaves it running: it outlives this command on purpose.
        Copied::Held(_) if secs > 0 => crate::say!("Copied {shown} — clears in {secs} s"),
        Copied::Held(_) => crate::say!(
            "Copied {shown} — not cleared automatically (--clear-after 0); it stays until \
             something else is copied"
        ),
        Copied::Osc52(sequence) => {
            // A copy tmux would drop is not sent, and not claimed.
            let tmux = clipboard::tmux_osc52();
            if let Tmux::Drops(setting) = tmux {
                return Err(failed(ClipboardError::TmuxDrops { setting }));
            }
            clipboard::write_to_terminal(&sequence).map_err(failed)?;
            crate::say!("Copied {shown} through the terminal (OSC 52).");
            crate::say!(
                "warning: a copy made through the terminal cannot be cleared reliably; it \
                 stays on your clipboard until you copy something else. Copy something \
                 harmless once you have pasted it."
            );
            match tmux {
                Tmux::Passes => crate::say!(
                    "note: tmux also keeps it in a paste buffer (`tmux delete-buffer` removes it)"
                ),
                Tmux::Unknown => {
                    crate::say!("note: inside tmux this needs `set -g set-clipboard on` in ~/.tmux.conf")
                }
                Tmux::Outside | Tmux::Drops(_) => {}
            }
        }
    }
    Ok(())
}

pub fn holder(args: &HolderArgs) -> i32 {
    clipboard::serve_holder(args.clear_after_ms)
}

/// `aspen reveal LABEL [--apple-id ID]`, quoted for a shell, for the hint that
/// offers piping the password to a clipboard tool of the user's choice.
fn reveal_command(select: &Select) -> String {
    let mut command = format!("aspen reveal {}", shell_quote(&select.label));
    if let Some(id) = &select.apple_id {
        command.push_str(" --apple-id ");
        command.push_str(&shell_quote(id));
    }
    // `shell_quote` writes what a terminal must not see as escapes a shell reads.
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reveal_hint_is_a_command_a_shell_can_run() {
        let select = |label: &str, apple_id: Option<&str>| Select {
            label: label.to_owned(),
            apple_id: apple_id.map(str::to_owned),
        };
        assert_eq!(
            reveal_command(&select("Thunderbird", None)),
            "aspen reveal Thunderbird"
        );
        assert_eq!(
            reveal_command(&select("Bob's Mail", Some("me@icloud.com"))),
            "aspen reveal 'Bob'\\''s Mail' --apple-id me@icloud.com"
        );
        assert!(!reveal_command(&select("x\u{1b}[2J", None)).contains('\u{1b}'));
    }
}
