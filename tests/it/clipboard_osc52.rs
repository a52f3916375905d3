//! `aspen copy` through the terminal (OSC 52): inside a tmux of the test's own (its
//! own socket, `set-clipboard on`), where tmux stores what the sequence carries in a
//! paste buffer. Needs `tmux`, and `setsid` for the no-terminal case.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use crate::clipboard;
use crate::common;

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use clipboard::{aspen, holders, output_within_patience, wait_for};
use common::{Env, asp, require_tool};

/// A tmux server of the test's own, killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts a detached session running `script` in its only pane, with no display
    /// in its environment and `set-clipboard on`.
    fn start(env: &Env, script: &str) -> Self {
        Self::start_with(env, "set -g set-clipboard on\n", script)
    }

    /// As [`Tmux::start`], with `conf` as tmux's configuration.
    fn start_with(env: &Env, conf_text: &str, script: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "aspen-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let conf = env.path("tmux.conf");
        std::fs::write(&conf, conf_text).unwrap();
        let script_path = env.path("pane.sh");
        std::fs::write(&script_path, script).unwrap();
        let tmux = Self { socket };
        let status = tmux
            .command()
            .arg("-f")
            .arg(&conf)
            .args(["new-session", "-d", "-x", "100", "-y", "30", "sh"])
            .arg(&script_path)
            .status()
            .unwrap();
        assert!(status.success(), "tmux did not start");
        tmux
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &self.socket])
            .env_remove("TMUX")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY");
        cmd
    }

    fn buffer(&self) -> Option<String> {
        let out = self.command().arg("show-buffer").output().unwrap();
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn screen(&self) -> String {
        let out = self.command().args(["capture-pane", "-p"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.command().arg("kill-server").status();
    }
}

fn vault() -> Env {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-11-01");
    env
}

/// A pane script: `aspen copy ARGS` in `env`'s home with `extra` shell lines before
/// it, its stderr and exit status kept in files; then the pane stays open.
fn pane_script(env: &Env, extra: &str, args: &str) -> String {
    pane_script_of(env, extra, &format!("copy {args}"))
}

/// [`pane_script`] for any `aspen COMMAND`.
fn pane_script_of(env: &Env, extra: &str, command: &str) -> String {
    let aspen = assert_cmd::cargo::cargo_bin("aspen");
    let q = |p: PathBuf| format!("'{}'", p.display());
    format!(
        "unset DISPLAY WAYLAND_DISPLAY\n\
         export HOME={home} XDG_DATA_HOME={data} XDG_CONFIG_HOME={config} \
         ASPEN_PASSPHRASE_FILE={pass} ASPEN_TODAY={today}\n\
         {extra}\n\
         {aspen} {command} 2>{stderr}\n\
         echo $? >{rc}.tmp && mv {rc}.tmp {rc}\n\
         exec sleep 600\n",
        home = q(env.dir.path().to_path_buf()),
        data = q(env.path("data")),
        config = q(env.path("config")),
        pass = q(env.path("pass")),
        today = common::TODAY,
        aspen = q(aspen),
        stderr = q(env.path("stderr")),
        rc = q(env.path("rc")),
    )
}

/// Waits for the pane's aspen to finish; its exit status and stderr.
fn finished(env: &Env, tmux: &Tmux) -> (i32, String) {
    wait_for("aspen to finish in the tmux pane", || env.path("rc").exists());
    let rc = std::fs::read_to_string(env.path("rc")).unwrap();
    let stderr = std::fs::read_to_string(env.path("stderr")).unwrap_or_default();
    let rc = rc
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("no exit status: {rc:?}\n{stderr}\n{}", tmux.screen()));
    (rc, stderr)
}

#[test]
fn without_a_display_tmux_receives_the_password_through_osc52() {
    if require_tool("tmux").is_none() {
        return;
    }
    let env = vault();
    let tmux = Tmux::start(&env, &pane_script(&env, "", "Mail"));
    let (rc, stderr) = finished(&env, &tmux);
    assert_eq!(rc, 0, "{stderr}");
    wait_for("tmux to store the copy in a buffer", || {
        tmux.buffer().as_deref() == Some(asp(1).as_str())
    });
    assert!(
        stderr.contains("Copied Mail through the terminal (OSC 52)"),
        "{stderr}"
    );
    assert!(stderr.contains("cannot be cleared reliably"), "{stderr}");
    assert!(
        !stderr.contains("this needs `set -g set-clipboard on`"),
        "no advice to set what is already set: {stderr}"
    );
    assert!(
        stderr.contains("tmux also keeps it"),
        "the paste buffer: {stderr}"
    );
    assert!(!stderr.contains(&asp(1)), "the password is never printed");
    assert!(holders(&env).is_empty(), "OSC 52 needs no holder");
}

/// Issue 20: `aspen setup` of a notarization entry prints the `notarytool` line and
/// copies the password the way `aspen copy` does, never printing it.
#[test]
fn setup_of_a_notarization_entry_copies_its_password() {
    if require_tool("tmux").is_none() {
        return;
    }
    let env = Env::with_vault();
    env.aspen(&[
        "add",
        "--label",
        "Notary",
        "--apple-id",
        "dev@example.com",
        "--app",
        "notarytool",
        "--uses",
        "notarization",
        "--team-id",
        "ABCDE12345",
        "--password-stdin",
    ])
    .write_stdin(format!("{}\n", asp(2)))
    .assert()
    .success();
    let stdout = env.path("stdout");
    let command = format!("setup Notary >'{}'", stdout.display());
    let tmux = Tmux::start(&env, &pane_script_of(&env, "", &command));
    let (rc, stderr) = finished(&env, &tmux);
    assert_eq!(rc, 0, "{stderr}");
    wait_for("tmux to store the copy in a buffer", || {
        tmux.buffer().as_deref() == Some(asp(2).as_str())
    });
    assert!(
        stderr.contains("Copied Notary through the terminal (OSC 52)"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&stdout).unwrap();
    assert!(
        text.contains(r#"xcrun notarytool store-credentials "Notary" --apple-id "dev@example.com" --team-id "ABCDE12345""#),
        "{text}"
    );
    assert!(
        !text.contains(&asp(2)) && !stderr.contains(&asp(2)),
        "{text}{stderr}"
    );
    assert!(!tmux.screen().contains(&asp(2)), "never on the terminal");
}

/// Issue 21, item 1: with tmux's default `set-clipboard external`, tmux drops the
/// copy; `aspen copy` says it was not copied, names the setting, and fails.
#[test]
fn a_copy_tmux_drops_is_not_claimed() {
    if require_tool("tmux").is_none() {
        return;
    }
    let env = vault();
    let tmux = Tmux::start_with(&env, "", &pane_script(&env, "", "Mail"));
    let (rc, stderr) = finished(&env, &tmux);
    assert_eq!(rc, 8, "{stderr}");
    assert!(!stderr.contains("Copied"), "{stderr}");
    assert!(stderr.contains("could not copy \"Mail\""), "{stderr}");
    assert!(stderr.contains("set-clipboard is \"external\""), "{stderr}");
    assert!(
        stderr.contains("hint: add `set -g set-clipboard on` to ~/.tmux.conf"),
        "{stderr}"
    );
    assert!(!stderr.contains(&asp(1)), "the password is never printed");
    assert_eq!(tmux.buffer(), None, "nothing reached tmux's buffers");
}

#[test]
fn config_osc52_goes_through_the_terminal_even_with_a_display() {
    if require_tool("tmux").is_none() {
        return;
    }
    let env = vault();
    std::fs::create_dir_all(env.path("config/aspen")).unwrap();
    std::fs::write(env.path("config/aspen/config.ron"), "(clipboard: \"osc52\")").unwrap();
    // A display that would fail if aspen tried it.
    let tmux = Tmux::start(&env, &pane_script(&env, "export DISPLAY=:64999", "Mail"));
    let (rc, stderr) = finished(&env, &tmux);
    assert_eq!(rc, 0, "{stderr}");
    wait_for("tmux to store the copy in a buffer", || {
        tmux.buffer().as_deref() == Some(asp(1).as_str())
    });
}

#[test]
fn with_no_display_and_no_terminal_the_error_suggests_reveal() {
    if require_tool("setsid").is_none() {
        return;
    }
    let env = vault();
    // `setsid` gives aspen no controlling terminal, and its output is piped.
    let inner = aspen(&env, &["copy", "Mail"]);
    let mut cmd = Command::new("setsid");
    cmd.arg(inner.get_program()).args(inner.get_args());
    cmd.env_clear().stdin(std::process::Stdio::null());
    for (k, v) in inner.get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    let out = output_within_patience(cmd);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(8), "{stderr}");
    assert!(
        stderr.contains("no terminal to send the OSC 52 sequence to"),
        "{stderr}"
    );
    assert!(stderr.contains("`aspen reveal Mail | …`"), "{stderr}");
    assert!(out.stdout.is_empty());
}
