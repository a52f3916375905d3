//! Helpers shared by the clipboard tests (`mod clipboard;` in each): bounded
//! waits, running aspen without letting a stray holder hang the test, and finding the
//! holder processes a test started.
#![allow(dead_code, clippy::unwrap_used, clippy::disallowed_methods)]

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::Env;

/// The most any observable state change may take; only a hang or a bug gets near it.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// Polls `f` until it returns true; panics with `what` after `PATIENCE`.
pub fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < PATIENCE, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `aspen ARGS` in `env`'s home, as `Env::aspen` sets it up, as a plain std Command so
/// the test controls how long it waits for output.
pub fn aspen(env: &Env, args: &[&str]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("aspen"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("XDG_DATA_HOME", env.path("data"))
        .env("XDG_CONFIG_HOME", env.path("config"))
        .env("ASPEN_PASSPHRASE_FILE", env.path("pass"))
        .env("ASPEN_TODAY", crate::common::TODAY)
        .args(args)
        .stdin(Stdio::null());
    cmd
}

/// Runs `cmd` to the end of its output, failing the test if that takes longer than
/// `PATIENCE`: a holder that kept aspen's stdout or stderr open would hang here
/// until its deadline.
pub fn output_within_patience(cmd: Command) -> Output {
    output_within(cmd, "aspen did not return (its output stayed open)")
}

/// Runs `cmd` to the end of its output; if that takes longer than `PATIENCE` it is
/// killed and the test fails with `what`. Every clipboard reader goes through here:
/// xclip waits forever for an owner that never answers, and one such hang must fail
/// its test, not stall the whole suite.
pub fn output_within(mut cmd: Command, what: &str) -> Output {
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    finish_within(child, what)
}

/// Waits for a child started with piped output, as [`output_within`] does.
pub fn finish_within(child: Child, what: &str) -> Output {
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(PATIENCE) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            // Not yet reaped (the thread is still waiting on it), so the pid is still
            // this child's.
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("{what}: no result within {} s", PATIENCE.as_secs());
        }
    }
}

/// The holder processes started from `env` (found by their HOME), zombies excluded.
pub fn holders(env: &Env) -> Vec<u32> {
    let home = format!("HOME={}", env.dir.path().display());
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let dir = entry.path();
        let Ok(cmdline) = std::fs::read(dir.join("cmdline")) else {
            continue;
        };
        if !cmdline.split(|&b| b == 0).any(|arg| arg == b"clipboard-holder") {
            continue;
        }
        let environ = std::fs::read(dir.join("environ")).unwrap_or_default();
        if !environ.split(|&b| b == 0).any(|var| var == home.as_bytes()) {
            continue;
        }
        let stat = std::fs::read_to_string(dir.join("stat")).unwrap_or_default();
        let state = stat.rsplit_once(") ").and_then(|(_, rest)| rest.chars().next());
        if !matches!(state, Some('Z') | Some('X') | None) {
            found.push(pid);
        }
    }
    found
}

/// Kills whatever holders a failed test left behind.
pub struct KillHolders<'a>(pub &'a Env);

impl Drop for KillHolders<'_> {
    fn drop(&mut self) {
        for pid in holders(self.0) {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
        }
    }
}

/// An Xvfb server of the test's own, on a free display it picks itself
/// (`-displayfd`); killed when dropped. `-noreset`: by default an X server resets
/// when its last client leaves and drops a connection that arrives during the reset,
/// which failed a holder's connection in tests where one client leaves as the next
/// arrives. A desktop's server always has clients (the window manager) and never
/// resets under aspen.
pub struct Xvfb {
    child: Child,
    // Kept open: Xvfb reports the display on it, and must not get SIGPIPE later.
    _report: ChildStdout,
    pub display: String,
    _shared: std::sync::RwLockReadGuard<'static, ()>,
}

impl Xvfb {
    pub fn start() -> Self {
        let shared = crate::common::x11_display();
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-nolisten",
                "tcp",
                "-noreset",
                "-screen",
                "0",
                "320x240x24",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut report = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        report.read_line(&mut line).unwrap();
        let number = line.trim();
        assert!(
            !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()),
            "Xvfb did not report a display: {line:?}"
        );
        Self {
            display: format!(":{number}"),
            _shared: shared,
            child,
            _report: report.into_inner(),
        }
    }

    /// `xclip ARGS` against this display; its stdout when it succeeds.
    pub fn xclip(&self, args: &[&str]) -> Option<String> {
        self.tool("xclip", args)
    }

    /// The text on the CLIPBOARD selection, if any.
    pub fn clipboard(&self) -> Option<String> {
        self.xclip(&["-o", "-selection", "clipboard"])
    }

    /// Starts a paste of the CLIPBOARD selection (`xclip -o`) without waiting for it;
    /// [`finish_within`] collects it.
    pub fn start_paste(&self) -> Child {
        Command::new("xclip")
            .args(["-o", "-selection", "clipboard"])
            .env("DISPLAY", &self.display)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    pub fn tool(&self, name: &str, args: &[&str]) -> Option<String> {
        let mut cmd = Command::new(name);
        cmd.args(args).env("DISPLAY", &self.display).stdin(Stdio::null());
        let out = output_within(cmd, &format!("{name} {}", args.join(" ")));
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Copies `text` as another program would (xsel, which forks to serve it and
    /// lives until the clipboard is taken or the server goes away).
    pub fn copy_foreign(&self, text: &str) {
        use std::io::Write;
        let mut child = Command::new("xsel")
            .args(["--clipboard", "--input"])
            .env("DISPLAY", &self.display)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        assert!(finish_within(child, "xsel --input").status.success());
        // xsel's parent exits before its background child owns the selection: wait
        // (bounded) until the foreign text is really what the clipboard serves.
        let start = std::time::Instant::now();
        while self.clipboard().as_deref() != Some(text) {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(10),
                "xsel never took the clipboard"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
