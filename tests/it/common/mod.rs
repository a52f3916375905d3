//! Shared helpers for the integration tests: an isolated home with a vault path, a
//! passphrase file and a pinned "today", and the real `aspen` binary.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub const PASSPHRASE: &str = "correct horse battery staple";
pub const TODAY: &str = "2026-11-20";

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pass"), format!("{PASSPHRASE}\n")).unwrap();
        Self { dir }
    }

    /// A fresh home with an initialised vault (cheap test KDF).
    pub fn with_vault() -> Self {
        let env = Self::new();
        env.aspen(&["init", "--insecure-kdf"]).assert().success();
        env
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn vault(&self) -> PathBuf {
        self.path("data/aspen/vault.aspen")
    }

    pub fn backup(&self) -> PathBuf {
        self.path("data/aspen/vault.aspen.bak")
    }

    /// `aspen ARGS` in this home: XDG folders inside it, the passphrase from a file,
    /// today pinned, and no stdin.
    pub fn aspen(&self, args: &[&str]) -> Command {
        let mut cmd = Command::from_std(self.process(args));
        cmd.write_stdin("");
        cmd
    }

    /// The same as a plain `std::process::Command`, for tests that spawn and kill.
    pub fn process(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("aspen"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("ASPEN_PASSPHRASE_FILE", self.path("pass"))
            .env("ASPEN_TODAY", TODAY)
            .args(args);
        cmd
    }

    /// Adds an entry with the password given on stdin.
    pub fn add(&self, label: &str, apple_id: &str, app: &str, password: &str, created: &str) {
        self.aspen(&[
            "add",
            "--label",
            label,
            "--apple-id",
            apple_id,
            "--app",
            app,
            "--created",
            created,
            "--password-stdin",
        ])
        .write_stdin(format!("{password}\n"))
        .assert()
        .success();
    }

    /// `aspen add` of one app with the password on stdin (created today), for tests
    /// that read what it said or how it failed.
    pub fn try_add(&self, label: &str, apple_id: &str, app: &str, password: &str) -> std::process::Output {
        self.aspen(&[
            "add",
            "--label",
            label,
            "--apple-id",
            apple_id,
            "--app",
            app,
            "--password-stdin",
        ])
        .write_stdin(format!("{password}\n"))
        .output()
        .unwrap()
    }

    /// A copy of this vault as a sync tool leaves one beside it (`vault 2.aspen`), for
    /// another machine to change; [`Env::add_elsewhere_and_merge`] brings it back.
    pub fn copy_for_another_machine(&self, name: &str) -> PathBuf {
        let copy = self.vault().with_file_name(name);
        std::fs::copy(self.vault(), &copy).unwrap();
        copy
    }

    /// Adds an entry to `copy` from another machine (a home of its own), then merges
    /// that copy into this vault. Two machines that each stored one password under a
    /// label of their own leave two entries holding it: the way that still happens,
    /// since `add` on one vault refuses a second entry for a password.
    pub fn add_elsewhere_and_merge(&self, copy: &Path, label: &str, app: &str, password: &str) {
        let other = Self::new();
        let copy = copy.to_str().unwrap();
        other
            .aspen(&[
                "--vault",
                copy,
                "add",
                "--label",
                label,
                "--apple-id",
                "me@icloud.com",
                "--app",
                app,
                "--password-stdin",
            ])
            .write_stdin(format!("{password}\n"))
            .assert()
            .success();
        self.aspen(&["merge", copy]).assert().success();
    }

    /// The labels `aspen list --json` shows, with `extra` options, in its order.
    pub fn labels(&self, extra: &[&str]) -> Vec<String> {
        let mut args = vec!["list", "--json"];
        args.extend_from_slice(extra);
        self.json(&args)
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["label"].as_str().unwrap().to_owned())
            .collect()
    }

    pub fn vault_bytes(&self) -> Vec<u8> {
        std::fs::read(self.vault()).unwrap()
    }

    pub fn stdout(&self, args: &[&str]) -> String {
        let out = self.aspen(args).output().unwrap();
        assert!(
            out.status.success(),
            "aspen {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.stdout(args)).unwrap()
    }
}

/// A password of Apple's shape, distinct for each `n`.
pub fn asp(n: usize) -> String {
    // Distinct for every n: past 25 the letters shift by n / 26 too (one password in
    // two entries is one slot at Apple, so tests must not repeat one by accident).
    let letters: Vec<u8> = (0..16)
        .map(|i| b'a' + ((n * 7 + i * 3 + (n / 26) * (i + 1)) % 26) as u8)
        .collect();
    let s = String::from_utf8(letters).unwrap();
    format!("{}-{}-{}-{}", &s[0..4], &s[4..8], &s[8..12], &s[12..16])
}

/// True for the long torture run (`ASPEN_TORTURE=long`, see tests/long-run.sh).
pub fn long_run() -> bool {
    std::env::var("ASPEN_TORTURE").is_ok_and(|v| v == "long")
}

/// True when `ASPEN_REQUIRE_SYSTEM_TESTS=1`: a missing system tool is then a failure.
pub fn system_tests_required() -> bool {
    std::env::var("ASPEN_REQUIRE_SYSTEM_TESTS").is_ok_and(|v| v == "1")
}

/// Finds a system tool, or says loudly that the test is skipped (or fails in CI).
pub fn require_tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            !system_tests_required(),
            "`{name}` is not installed and ASPEN_REQUIRE_SYSTEM_TESTS=1: install it (see .ci/run)"
        );
        eprintln!("SKIPPED: `{name}` is not installed; this test needs it (CI installs it)");
    }
    found
}

pub fn is_root() -> bool {
    // The effective uid, the third field of /proc's Uid line.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// How often each needle occurs in the readable memory of process `pid`. Reading a
/// non-dumpable process's memory needs root.
pub fn memory_hits(pid: &str, needles: &[&str]) -> Vec<usize> {
    use std::io::{Read, Seek, SeekFrom};
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap();
    let mut mem = std::fs::File::open(format!("/proc/{pid}/mem")).unwrap();
    let mut hits = vec![0; needles.len()];
    for line in maps.lines() {
        let mut fields = line.split_whitespace();
        let (range, perms) = (fields.next().unwrap(), fields.next().unwrap());
        let (start, end) = range.split_once('-').unwrap();
        let start = u64::from_str_radix(start, 16).unwrap();
        let end = u64::from_str_radix(end, 16).unwrap();
        if !perms.starts_with('r') || end - start > 1 << 30 {
            continue;
        }
        let mut data = vec![0; (end - start) as usize];
        if mem.seek(SeekFrom::Start(start)).is_err() || mem.read_exact(&mut data).is_err() {
            continue; // [vvar] and the like cannot be read
        }
        for (hit, needle) in hits.iter_mut().zip(needles) {
            *hit += data
                .windows(needle.len())
                .filter(|w| w == &needle.as_bytes())
                .count();
        }
    }
    hits
}

/// Held by the tests that keep both cores busy for seconds (kill loops, thousands
/// of aspen processes, the X11 paste race's 900 clipboard processes): in one test
/// binary they would otherwise overlap and starve each other past their patience.
/// The guard serialises them only with each other.
pub fn heavy() -> std::sync::MutexGuard<'static, ()> {
    static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());
    // A test that failed while holding it poisons it; the next still runs.
    HEAVY.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

static DISPLAYS: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// Held by each Xvfb a test starts: X11 tests run side by side, as they did in their
/// own test binary, but never while a Wayland compositor runs, whose X11 support
/// claims display numbers and sockets in the same /tmp/.X11-unix.
pub fn x11_display() -> std::sync::RwLockReadGuard<'static, ()> {
    DISPLAYS.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Held by each Wayland compositor a test starts (see [`x11_display`]).
pub fn wayland_display() -> std::sync::RwLockWriteGuard<'static, ()> {
    DISPLAYS
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `v` without what a save adds besides the user's changes (change stamps, the save
/// counter, tombstones): for comparing a vault on disk with one changed in memory.
pub fn unstamped(mut v: aspen::model::Vault) -> aspen::model::Vault {
    v.saves = 0;
    v.clock = Default::default();
    v.tombstones.clear();
    for e in &mut v.entries {
        e.stamps = Default::default();
    }
    for a in &mut v.accounts {
        a.stamps = Default::default();
    }
    v
}

/// Vault paths for a test that runs aspen in this process: the machine's memory
/// (`$XDG_STATE_HOME/aspen` otherwise) stays beside the vault, in the temp folder.
pub fn vault_paths(vault: PathBuf) -> aspen::storage::VaultPaths {
    let state = vault.with_file_name("state");
    aspen::storage::VaultPaths::new(vault).with_state_dir(state)
}
