//! OSC 52: asking the terminal itself to set the clipboard, which works over SSH and
//! inside tmux (with `set-clipboard on`), where no display server can be reached.

use std::io::{IsTerminal, Write};

use base64::Engine;
use zeroize::Zeroizing;

use super::ClipboardError;
use crate::secret::SecretString;

const PREFIX: &[u8] = b"\x1b]52;c;";
const BEL: u8 = 0x07;

/// The OSC 52 sequence for `secret` (`ESC ] 52 ; c ; base64 BEL`), in a zeroizing
/// buffer sized up front so that no reallocation leaves a stray copy behind.
///
/// Inside tmux the plain sequence is right: tmux parses it itself (storing a paste
/// buffer with `set-clipboard on` and passing it on to the outer terminal), whereas a
/// DCS passthrough wrapper would bypass tmux's own buffer.
pub fn osc52_sequence(secret: &SecretString) -> Zeroizing<Vec<u8>> {
    let engine = &base64::engine::general_purpose::STANDARD;
    let plain = secret.expose().as_bytes();
    let encoded_len = base64::encoded_len(plain.len(), true).unwrap_or(0);
    let mut out = Zeroizing::new(vec![0u8; PREFIX.len() + encoded_len + 1]);
    out[..PREFIX.len()].copy_from_slice(PREFIX);
    let written = engine
        .encode_slice(plain, &mut out[PREFIX.len()..PREFIX.len() + encoded_len])
        .unwrap_or(0);
    let end = PREFIX.len() + written;
    out[end] = BEL;
    out.truncate(end + 1);
    out
}

/// Writes `sequence` to the controlling terminal (`/dev/tty`), or to stdout when that
/// is a terminal; never into a pipe, where it would end up in a file or a program.
pub fn write_to_terminal(sequence: &[u8]) -> Result<(), ClipboardError> {
    let write = |out: &mut dyn Write| out.write_all(sequence).and_then(|()| out.flush());
    match std::fs::OpenOptions::new().write(true).open("/dev/tty") {
        Ok(mut tty) => write(&mut tty).map_err(|source| ClipboardError::Terminal { source }),
        Err(_) if std::io::stdout().is_terminal() => {
            write(&mut std::io::stdout().lock()).map_err(|source| ClipboardError::Terminal { source })
        }
        Err(_) => Err(ClipboardError::NoTerminal),
    }
}

/// What the tmux aspen runs in does with a program's OSC 52 copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tmux {
    /// Not inside tmux.
    Outside,
    /// `set-clipboard on`: tmux keeps the copy in a paste buffer and passes it on.
    Passes,
    /// `set-clipboard` is this (`external`, tmux's default, or `off`): tmux drops
    /// the copy; nothing reaches the clipboard.
    Drops(String),
    /// Inside tmux, but tmux did not say within a second.
    Unknown,
}

/// Asks the tmux aspen runs in (`$TMUX`) for its `set-clipboard` option, so that a
/// copy tmux would drop is not reported as made.
pub fn tmux_osc52() -> Tmux {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    if std::env::var_os("TMUX").is_none_or(|v| v.is_empty()) {
        return Tmux::Outside;
    }
    let child = Command::new("tmux")
        .args(["show-options", "-sv", "set-clipboard"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return Tmux::Unknown;
    };
    // A tmux that hangs must not hang the copy.
    let deadline = Instant::now() + Duration::from_secs(1);
    let answered = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status.success(),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break false;
            }
        }
    };
    let mut value = String::new();
    if let Some(out) = child.stdout.take() {
        let _ = std::io::Read::read_to_string(&mut std::io::Read::take(out, 64), &mut value);
    }
    match value.trim() {
        _ if !answered => Tmux::Unknown,
        "on" => Tmux::Passes,
        "" => Tmux::Unknown,
        other => Tmux::Drops(crate::text::escape_control(other).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_is_esc_52_base64_bel() {
        let seq = osc52_sequence(&SecretString::from("abcd-efgh-ijkl-mnop"));
        assert_eq!(
            seq.as_slice(),
            b"\x1b]52;c;YWJjZC1lZmdoLWlqa2wtbW5vcA==\x07".as_slice()
        );
    }

    #[test]
    fn padding_and_non_ascii_round_trip() {
        for text in ["a", "ab", "abc", "pässwörd ✓"] {
            let seq = osc52_sequence(&SecretString::from(text));
            let body = &seq[PREFIX.len()..seq.len() - 1];
            let decoded = base64::engine::general_purpose::STANDARD.decode(body).unwrap();
            assert_eq!(decoded, text.as_bytes());
            assert_eq!(seq.last(), Some(&BEL));
        }
    }
}
