//! `aspen copy` against a real Wayland clipboard: a headless sway per test (wlroots'
//! data-control protocol, which arboard's `wayland-data-control` feature speaks), read
//! back with wl-paste. sway refuses to run as root, so as root it runs as `nobody`
//! through setpriv; aspen and wl-paste stay root and connect to its socket.
//! Needs `sway`, `wl-copy`/`wl-paste` (wl-clipboard) and, as root, `setpriv`.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use crate::clipboard;
use crate::common;

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clipboard::{
    KillHolders, aspen, finish_within, holders, output_within, output_within_patience, wait_for,
};
use common::{Env, asp, is_root, require_tool};

const NOBODY: u32 = 65534;

/// A headless sway of the test's own, with its own XDG_RUNTIME_DIR; killed on drop.
struct Sway {
    child: Child,
    runtime: tempfile::TempDir,
    socket: String,
    _exclusive: std::sync::RwLockWriteGuard<'static, ()>,
}

impl Sway {
    fn start() -> Option<Self> {
        let mut needed = vec!["sway", "wl-copy", "wl-paste"];
        if is_root() {
            needed.push("setpriv");
        }
        if !needed.iter().all(|t| require_tool(t).is_some()) {
            return None;
        }
        let exclusive = common::wayland_display();
        let runtime = tempfile::tempdir().unwrap();
        let mut cmd = if is_root() {
            std::os::unix::fs::chown(runtime.path(), Some(NOBODY), Some(NOBODY)).unwrap();
            let mut cmd = Command::new("setpriv");
            cmd.args(["--reuid", "65534", "--regid", "65534", "--clear-groups", "sway"]);
            cmd
        } else {
            Command::new("sway")
        };
        let child = cmd
            .args(["-c", "/dev/null"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", runtime.path())
            .env("XDG_RUNTIME_DIR", runtime.path())
            .env("WLR_BACKENDS", "headless")
            .env("WLR_LIBINPUT_NO_DEVICES", "1")
            .env("WLR_RENDERER", "pixman")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut sway = Self {
            child,
            runtime,
            socket: String::new(),
            _exclusive: exclusive,
        };
        wait_for("sway to open its Wayland socket", || {
            match wayland_socket(sway.runtime.path()) {
                Some(s) => {
                    sway.socket = s;
                    true
                }
                None => false,
            }
        });
        Some(sway)
    }

    fn env(&self) -> [(&'static str, &OsStr); 2] {
        [
            ("XDG_RUNTIME_DIR", self.runtime.path().as_os_str()),
            ("WAYLAND_DISPLAY", OsStr::new(&self.socket)),
        ]
    }

    fn tool(&self, name: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(name);
        cmd.args(args)
            .env_remove("DISPLAY")
            .envs(self.env())
            .stdin(Stdio::null())
            .stderr(Stdio::null());
        cmd
    }

    /// The clipboard's text, if any.
    fn clipboard(&self) -> Option<String> {
        let out = output_within(self.tool("wl-paste", &["--no-newline"]), "wl-paste");
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn types(&self) -> String {
        let out = output_within(self.tool("wl-paste", &["--list-types"]), "wl-paste --list-types");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Copies `text` as another program would (wl-copy forks to serve it).
    fn copy_foreign(&self, text: &str) {
        let mut copy = self.tool("wl-copy", &[text]);
        // Not piped: wl-copy's serving fork would keep a pipe open until it ends.
        copy.stdout(Stdio::null());
        let child = copy.spawn().unwrap();
        assert!(finish_within(child, "wl-copy").status.success());
        // wl-copy's parent may exit before its fork serves the text: wait (bounded)
        // until the clipboard really holds it.
        let start = Instant::now();
        while self.clipboard().as_deref() != Some(text) {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "wl-copy never took the clipboard"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Sway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `wayland-N` socket in `dir`, once it is there.
fn wayland_socket(dir: &Path) -> Option<String> {
    std::fs::read_dir(dir).ok()?.flatten().find_map(|e| {
        let name = e.file_name().into_string().ok()?;
        (name.starts_with("wayland-") && !name.ends_with(".lock")).then_some(name)
    })
}

fn vault() -> Env {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-11-01");
    env
}

fn copy(env: &Env, sway: &Sway, secs: u64) -> String {
    let mut cmd = aspen(env, &["copy", "Mail", "--clear-after", &secs.to_string()]);
    cmd.envs(sway.env());
    let out = output_within_patience(cmd);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "aspen copy failed: {stderr}");
    stderr
}

#[test]
fn wayland_copy_outlives_aspen_and_is_marked_secret() {
    let Some(sway) = Sway::start() else { return };
    let env = vault();
    let _cleanup = KillHolders(&env);
    let stderr = copy(&env, &sway, 600);
    assert!(stderr.contains("Copied Mail — clears in 600 s"), "{stderr}");
    assert_eq!(sway.clipboard().as_deref(), Some(asp(1).as_str()));
    let types = sway.types();
    assert!(types.lines().any(|t| t == "x-kde-passwordManagerHint"), "{types}");
    assert_eq!(holders(&env).len(), 1);
}

#[test]
fn wayland_clears_at_the_deadline_and_leaves_no_process() {
    let Some(sway) = Sway::start() else { return };
    let env = vault();
    let _cleanup = KillHolders(&env);
    copy(&env, &sway, 2);
    assert_eq!(sway.clipboard().as_deref(), Some(asp(1).as_str()));
    wait_for("the clipboard to be cleared", || sway.clipboard().is_none());
    wait_for("the holder to end", || holders(&env).is_empty());
}

#[test]
fn wayland_a_later_copy_survives_and_ends_the_holder() {
    let Some(sway) = Sway::start() else { return };
    let env = vault();
    let _cleanup = KillHolders(&env);
    let copied_at = Instant::now();
    copy(&env, &sway, 3);
    sway.copy_foreign("the user's own text");
    wait_for("the holder to end", || holders(&env).is_empty());
    wait_for("the deadline to pass", || {
        copied_at.elapsed() > Duration::from_secs(4)
    });
    assert_eq!(sway.clipboard().as_deref(), Some("the user's own text"));
}

#[test]
fn wayland_clear_now_takes_our_copy_back() {
    let Some(sway) = Sway::start() else { return };
    let env = vault();
    let _cleanup = KillHolders(&env);
    let program = assert_cmd::cargo::cargo_bin("aspen");
    let mut vars: Vec<(&str, &OsStr)> = sway.env().to_vec();
    vars.push(("HOME", env.dir.path().as_os_str()));
    let holder = aspen::clipboard::hold_with(
        &program,
        &vars,
        &aspen::secret::SecretString::from("a-tui-copy"),
        Some(Duration::from_secs(600)),
    )
    .unwrap();
    assert_eq!(sway.clipboard().as_deref(), Some("a-tui-copy"));
    holder.clear_now().unwrap();
    assert_eq!(sway.clipboard(), None);
    assert!(holders(&env).is_empty());
}
