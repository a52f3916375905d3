//! The holder process: `aspen clipboard-holder --clear-after-ms N`, started by
//! [`super::copy`]. It serves the password on the display's clipboard until the
//! deadline, then clears it if the clipboard still holds it; it ends early when
//! another program takes the clipboard, and clears-if-ours on SIGTERM (a TUI that
//! locks), SIGINT or SIGHUP.
//!
//! arboard's `wait()` is the only call that blocks until the selection is lost on
//! both X11 and Wayland (`wait_until` returns at once on Wayland), so a serving thread
//! sits in `wait()` while the main thread owns the clock: deadline, signals, and a
//! periodic "is it still ours?" check that also notices a dead display server.

use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use arboard::{Clipboard, SetExtLinux};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use zeroize::Zeroizing;

use crate::secret::SecretString;

/// How long the holder tries to see its own copy on the clipboard before giving up.
pub(super) const READY_WITHIN: Duration = Duration::from_secs(5);

/// How often the holder checks that the clipboard still holds its copy; this catches
/// a display server that went away, which the serving thread may never notice.
const CHECK_EVERY: Duration = Duration::from_secs(1);

/// How long the holder waits, after clearing, for requests already on their way to be
/// answered; in practice a few milliseconds.
const SETTLE_WITHIN: Duration = Duration::from_secs(2);

/// Enough for any password; the caller never sends more.
const MAX_SECRET: usize = 4096;

/// Closes every open descriptor above 2. Called before the holder opens anything of
/// its own, so each one is inherited: std's `Command` leaves descriptors without
/// close-on-exec open across exec, and no safe call closes a descriptor nothing owns.
#[allow(unsafe_code)]
fn close_inherited_descriptors() {
    // The listing's own descriptor shows as a link to this path; the pid, not "self",
    // names it as the link's target reads.
    let listing = std::path::PathBuf::from(format!("/proc/{}/fd", std::process::id()));
    let inherited: Vec<i32> = match std::fs::read_dir(&listing) {
        Ok(dir) => dir
            .flatten()
            // The listing's own descriptor, which closes with it.
            .filter(|e| std::fs::read_link(e.path()).ok().as_ref() != Some(&listing))
            .filter_map(|e| e.file_name().to_str()?.parse().ok())
            .filter(|fd| *fd > 2)
            .collect(),
        Err(_) => return,
    };
    for fd in inherited {
        // SAFETY: nothing in this process owns these descriptors: the holder calls
        // this first thing, before any thread starts or any file, pipe or socket is
        // opened (main only parsed arguments and set resource limits), so no Rust
        // value can later use or close a number closed here.
        unsafe { rustix::io::close(fd) };
    }
}

enum Event {
    /// The serving thread returned: another program took the clipboard, or serving
    /// failed. Either way the clipboard no longer holds our copy.
    Served(Result<(), String>),
    /// SIGTERM, SIGINT or SIGHUP.
    Stop,
}

/// Runs the holder; returns its exit status (0 done, 1 could not clear, 2 could not
/// start). `clear_after_ms` of 0 never clears.
pub fn serve(clear_after_ms: u64) -> i32 {
    // First: the caller's descriptors (a script's flock, a pipe it waits on for EOF,
    // an open file) must not live on in a process that stays until the deadline.
    close_inherited_descriptors();
    // A session of our own: no SIGHUP when the caller's terminal closes, no SIGINT
    // from its Ctrl-C, and not killed along with the caller's process group. Fails
    // only if we already lead a process group, which a spawned child never does.
    let _ = rustix::process::setsid();

    let (tx, rx) = mpsc::channel();
    // Registered before anything is served, so a stop is never missed.
    let signals = Signals::new([SIGTERM, SIGINT, SIGHUP]);
    let secret = read_secret();
    let (mut signals, secret) = match (signals, secret) {
        (Ok(s), Ok(secret)) => (s, secret),
        (Err(e), _) | (_, Err(e)) => return report_failure("failed", &e.to_string()),
    };
    let mut clipboard = match Clipboard::new() {
        Ok(c) => c,
        Err(e) => return report_failure("unavailable", &e.to_string()),
    };

    let stop = tx.clone();
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = stop.send(Event::Stop);
        }
    });
    // arboard takes ownership of this copy and keeps it until the process ends; it
    // cannot be zeroized (see docs/clipboard.md), our own copy below is.
    let served = secret.expose().to_owned();
    std::thread::spawn(move || {
        let result = Clipboard::new().and_then(|mut c| c.set().exclude_from_history().wait().text(served));
        let _ = tx.send(Event::Served(result.map_err(|e| e.to_string())));
    });

    if let Err(detail) = wait_until_ready(&mut clipboard, &secret, &rx) {
        return report_failure("unavailable", &detail);
    }
    report_ready();

    let deadline = (clear_after_ms > 0)
        .then(|| Instant::now().checked_add(Duration::from_millis(clear_after_ms)))
        .flatten();
    loop {
        let wait = deadline.map_or(CHECK_EVERY, |d| {
            d.saturating_duration_since(Instant::now()).min(CHECK_EVERY)
        });
        match rx.recv_timeout(wait) {
            Ok(Event::Stop) => return clear_if_ours(&mut clipboard, &secret, &rx),
            Ok(Event::Served(_)) | Err(RecvTimeoutError::Disconnected) => return 0,
            Err(RecvTimeoutError::Timeout) => {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    return clear_if_ours(&mut clipboard, &secret, &rx);
                }
                if !holds(&mut clipboard, &secret) {
                    settle(&rx);
                    return 0;
                }
            }
        }
    }
}

/// Reads the secret from stdin up to EOF, unbuffered: std's stdin buffer would keep
/// a copy we could not wipe.
fn read_secret() -> std::io::Result<SecretString> {
    let mut stdin = std::fs::File::from(std::io::stdin().as_fd().try_clone_to_owned()?);
    // Sized up front so that reading never reallocates and leaves a stray copy.
    let mut buf = Zeroizing::new(Vec::with_capacity(MAX_SECRET + 1));
    (&mut stdin).take(MAX_SECRET as u64 + 1).read_to_end(&mut buf)?;
    if buf.is_empty() || buf.len() > MAX_SECRET {
        return Err(std::io::Error::other(
            "expected a password of 1 to 4096 bytes on stdin",
        ));
    }
    let text =
        std::str::from_utf8(&buf).map_err(|_| std::io::Error::other("the password on stdin is not UTF-8"))?;
    Ok(SecretString::from(text))
}

/// Polls until the clipboard shows our copy: the serving thread cannot say when it is
/// being served, because on both backends `wait()` returns only when it is lost.
fn wait_until_ready(
    clipboard: &mut Clipboard,
    secret: &SecretString,
    rx: &mpsc::Receiver<Event>,
) -> Result<(), String> {
    let started = Instant::now();
    loop {
        if holds(clipboard, secret) {
            return Ok(());
        }
        match rx.try_recv() {
            Ok(Event::Served(Err(detail))) => return Err(detail),
            Ok(Event::Served(Ok(()))) => return Err("another program took the clipboard at once".into()),
            Ok(Event::Stop) => return Err("stopped by a signal".into()),
            Err(_) => {}
        }
        if started.elapsed() > READY_WITHIN {
            return Err(format!(
                "the copy did not appear on the clipboard within {} s",
                READY_WITHIN.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// True when the clipboard's text is our secret.
fn holds(clipboard: &mut Clipboard, secret: &SecretString) -> bool {
    match clipboard.get_text() {
        Ok(text) => {
            let text = Zeroizing::new(text);
            text.as_str() == secret.expose()
        }
        Err(_) => false,
    }
}

/// arboard's `clear()` clears whatever is there, so compare first: a copy the user
/// made after ours is theirs and stays.
fn clear_if_ours(clipboard: &mut Clipboard, secret: &SecretString, rx: &mpsc::Receiver<Event>) -> i32 {
    let failed = holds(clipboard, secret) && clipboard.clear().is_err();
    let status = i32::from(failed);
    settle(rx);
    status
}

/// Waits (bounded) for the serving thread to see that the clipboard is no longer
/// ours, whether we cleared it or another program took it. A program that asked for
/// the password just before has its request queued ahead of that news, so once it
/// arrives every such request has been answered. Exiting sooner would leave that
/// program without a reply: xclip, for one, then waits forever.
fn settle(rx: &mpsc::Receiver<Event>) {
    let until = Instant::now() + SETTLE_WITHIN;
    // A second signal while stopping changes nothing; a timeout or a gone thread ends
    // the wait.
    while let Ok(event) = rx.recv_timeout(until.saturating_duration_since(Instant::now())) {
        if matches!(event, Event::Served(_)) {
            return;
        }
    }
}

fn report_ready() {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(b"ready\n").and_then(|()| out.flush());
    drop(out);
    // The caller has what it waited for; point stdout at /dev/null so that nothing
    // written later can land in (or block on) its status pipe.
    if let Ok(null) = std::fs::File::options().write(true).open("/dev/null") {
        let _ = rustix::stdio::dup2_stdout(&null);
    }
}

fn report_failure(word: &str, detail: &str) -> i32 {
    let detail: String = detail
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{word} {detail}").and_then(|()| out.flush());
    2
}
