//! The caller's side of the holder: start it, hand it the secret, wait for "ready",
//! and later (TUI lock) ask it to clear.
//!
//! The holder's stdin is a pipe carrying the secret (never argv or the environment,
//! which other users' `ps` and /proc can read); its stdout is a private status pipe
//! read here for one line; its stderr is /dev/null. None of the caller's own streams
//! reach it, so `$(aspen copy …)` or a test harness reading aspen's output sees EOF
//! as soon as aspen exits, not when the holder does.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{ClipboardError, HOLDER_SUBCOMMAND};
use crate::secret::SecretString;

/// How long the caller waits for "ready". The holder gives up on its own after
/// [`super::holder::READY_WITHIN`]; this is the backstop for a holder that hangs.
const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long `clear_now` waits for the holder to clear and exit before killing it.
const CLEAR_TIMEOUT: Duration = Duration::from_secs(3);

const POLL: Duration = Duration::from_millis(10);

/// Starts the holder and waits for it to report ready; returns it and when it was.
pub(super) fn start(
    program: &Path,
    env: &[(&str, &OsStr)],
    secret: &SecretString,
    clear_after: Option<Duration>,
) -> Result<(Child, Instant), ClipboardError> {
    let mut cmd = Command::new(program);
    cmd.arg(HOLDER_SUBCOMMAND)
        .arg("--clear-after-ms")
        .arg(clear_after_ms(clear_after).to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        // It may live for minutes: do not keep the caller's folder (a USB stick?) busy.
        .current_dir("/");
    for (name, value) in env {
        cmd.env(name, value);
    }
    let mut child = cmd.spawn().map_err(|source| ClipboardError::Spawn { source })?;

    let sent = match child.stdin.take() {
        // Dropping `stdin` closes the pipe: the holder reads the secret up to EOF.
        Some(mut stdin) => stdin.write_all(secret.expose().as_bytes()),
        None => Err(std::io::Error::other("no pipe to the holder's stdin")),
    };
    if let Err(source) = sent {
        end(&mut child);
        return Err(ClipboardError::Spawn { source });
    }

    let Some(status) = child.stdout.take() else {
        end(&mut child);
        return Err(ClipboardError::Spawn {
            source: std::io::Error::other("no pipe from the holder's stdout"),
        });
    };
    // A thread, so that a holder that never answers cannot hang the caller.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = BufReader::new(status).read_line(&mut line).map(|_| line);
        let _ = tx.send(read);
    });
    let line = match rx.recv_timeout(READY_TIMEOUT) {
        Ok(Ok(line)) => line,
        Ok(Err(e)) => {
            end(&mut child);
            return Err(ClipboardError::HolderDied {
                detail: e.to_string(),
            });
        }
        Err(_) => {
            end(&mut child);
            return Err(ClipboardError::Timeout {
                waited: READY_TIMEOUT,
            });
        }
    };
    match parse_status(&line) {
        Ok(()) => Ok((child, Instant::now())),
        Err(e) => {
            end(&mut child);
            Err(e)
        }
    }
}

/// 0 means "never clear" on the holder's command line; any other duration is at least
/// one millisecond, so that a tiny duration does not turn into "never".
fn clear_after_ms(clear_after: Option<Duration>) -> u64 {
    match clear_after {
        None => 0,
        Some(d) if d.is_zero() => 0,
        Some(d) => u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1),
    }
}

/// The holder's one status line: `ready`, `unavailable DETAIL` or `failed DETAIL`.
fn parse_status(line: &str) -> Result<(), ClipboardError> {
    let line = line.trim_end();
    let (word, detail) = line.split_once(' ').unwrap_or((line, ""));
    let detail = crate::text::escape_control(detail).into_owned();
    match word {
        "ready" => Ok(()),
        "unavailable" => Err(ClipboardError::Unavailable { detail }),
        "" => Err(ClipboardError::HolderDied {
            detail: "it exited without a word".into(),
        }),
        _ => Err(ClipboardError::HolderDied { detail }),
    }
}

/// Kills and reaps a holder that failed to start properly.
fn end(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

pub(super) fn clear_now(mut child: Child) -> Result<(), ClipboardError> {
    // Still unreaped, so the pid is still ours even if the holder has already exited.
    if let Ok(None) = child.try_wait() {
        let pid = i32::try_from(child.id())
            .ok()
            .and_then(rustix::process::Pid::from_raw);
        if let Some(pid) = pid {
            // The holder clears (if the clipboard is still ours) on SIGTERM, then exits.
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        }
    }
    let waited_from = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => {
                return Err(ClipboardError::ClearFailed {
                    detail: format!("the holder ended with {status}"),
                });
            }
            Ok(None) if waited_from.elapsed() < CLEAR_TIMEOUT => std::thread::sleep(POLL),
            // A holder that does not answer is killed: when the owner of a selection
            // dies, X11 and Wayland drop the selection, which clears our copy too.
            Ok(None) | Err(_) => {
                end(&mut child);
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines() {
        assert!(parse_status("ready\n").is_ok());
        assert!(matches!(
            parse_status("unavailable no X server\n"),
            Err(ClipboardError::Unavailable { detail }) if detail == "no X server"
        ));
        assert!(matches!(
            parse_status("failed \u{1b}[2J boom"),
            Err(ClipboardError::HolderDied { detail }) if !detail.contains('\u{1b}')
        ));
        assert!(matches!(parse_status(""), Err(ClipboardError::HolderDied { .. })));
    }

    #[test]
    fn clear_after_on_the_command_line() {
        assert_eq!(clear_after_ms(None), 0);
        assert_eq!(clear_after_ms(Some(Duration::ZERO)), 0);
        assert_eq!(clear_after_ms(Some(Duration::from_nanos(1))), 1);
        assert_eq!(clear_after_ms(Some(Duration::from_secs(30))), 30_000);
        assert_eq!(clear_after_ms(Some(Duration::MAX)), u64::MAX);
    }
}
