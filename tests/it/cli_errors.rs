//! Every storage error a user can meet: a distinct message, a hint, the documented
//! exit code, and the vault file unchanged.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use crate::common;

use std::process::Command as StdCommand;

use common::{Env, asp, is_root};
use predicates::prelude::*;
use predicates::str::contains;

fn add_args() -> Vec<&'static str> {
    vec![
        "add",
        "--label",
        "New",
        "--apple-id",
        "me@icloud.com",
        "--app",
        "Mail",
        "--password-stdin",
    ]
}

#[test]
fn a_missing_vault_says_aspen_init() {
    let env = Env::new();
    env.aspen(&["list"])
        .assert()
        .code(3)
        .stderr(contains("there is no vault at"))
        .stderr(contains("aspen init"));
}

#[test]
fn init_never_overwrites_a_vault() {
    let env = Env::with_vault();
    let before = env.vault_bytes();
    env.aspen(&["init", "--insecure-kdf"])
        .assert()
        .code(3)
        .stderr(contains("already exists"));
    assert_eq!(env.vault_bytes(), before);
}

#[test]
fn a_wrong_passphrase_is_named_and_changes_nothing() {
    let env = Env::with_vault();
    env.add("A", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    let before = env.vault_bytes();
    std::fs::write(env.path("pass"), "Correct horse battery staple\n").unwrap();
    env.aspen(&add_args())
        .write_stdin(format!("{}\n", asp(2)))
        .assert()
        .code(4)
        .stderr(contains("wrong passphrase"));
    assert_eq!(env.vault_bytes(), before);
}

#[test]
fn a_damaged_vault_names_the_backup() {
    let env = Env::with_vault();
    env.add("A", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    let mut bytes = env.vault_bytes();
    let at = bytes.len() - 100;
    bytes[at] ^= 0x01;
    std::fs::write(env.vault(), &bytes).unwrap();
    env.aspen(&add_args())
        .write_stdin(format!("{}\n", asp(2)))
        .assert()
        .code(5)
        .stderr(contains("is damaged"))
        .stderr(contains("vault.aspen.bak"));
    assert_eq!(env.vault_bytes(), bytes, "a damaged vault is never written over");
}

#[test]
fn a_truncated_vault_is_damaged() {
    let env = Env::with_vault();
    let bytes = env.vault_bytes();
    std::fs::write(env.vault(), &bytes[..bytes.len() / 2]).unwrap();
    env.aspen(&["list"])
        .assert()
        .code(5)
        .stderr(contains("damaged"))
        .stderr(contains("truncated"));
    std::fs::write(env.vault(), b"").unwrap();
    env.aspen(&["list"]).assert().code(5).stderr(contains("empty"));
}

#[test]
fn another_file_is_not_an_aspen_vault() {
    let env = Env::new();
    let other = env.path("notes.txt");
    std::fs::write(&other, "my shopping list\n").unwrap();
    env.aspen(&["list", "--vault", other.to_str().unwrap()])
        .assert()
        .code(5)
        .stderr(contains("is not an aspen vault"))
        .stderr(contains("--vault"));
}

#[test]
fn a_newer_format_asks_for_a_newer_aspen() {
    let env = Env::with_vault();
    let text = String::from_utf8(env.vault_bytes()).unwrap();
    let newer = text.replacen("version: 3,", "version: 7,", 1);
    std::fs::write(env.vault(), &newer).unwrap();
    env.aspen(&["list"])
        .assert()
        .code(5)
        .stderr(contains("newer aspen"))
        .stderr(contains("upgrade aspen"));
    assert_eq!(env.vault_bytes(), newer.as_bytes());
}

#[test]
fn a_second_writer_is_kept_out() {
    let env = Env::with_vault();
    let before = env.vault_bytes();
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(env.path("data/aspen/vault.aspen.lock"))
        .unwrap();
    lock.lock().unwrap();
    env.aspen(&add_args())
        .write_stdin(format!("{}\n", asp(2)))
        .assert()
        .code(6)
        .stderr(contains("in use by another aspen"));
    assert_eq!(env.vault_bytes(), before);
    drop(lock);
    env.aspen(&add_args())
        .write_stdin(format!("{}\n", asp(2)))
        .assert()
        .success();
}

/// Runs aspen as an unprivileged user (root ignores file modes).
fn as_nobody(env: &Env, args: &[&str]) -> std::process::Output {
    let aspen = assert_cmd::cargo::cargo_bin("aspen");
    let mut cmd = if is_root() {
        let mut c = StdCommand::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(aspen);
        c
    } else {
        StdCommand::new(aspen)
    };
    cmd.env("ASPEN_VAULT", env.vault())
        .env("ASPEN_PASSPHRASE_FILE", env.path("pass"))
        .env("XDG_CONFIG_HOME", env.path("config"))
        .env("ASPEN_TODAY", common::TODAY)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn permission_denied_is_named() {
    use std::os::unix::fs::PermissionsExt;
    if is_root() && common::require_tool("setpriv").is_none() {
        return;
    }
    let env = Env::with_vault();
    let dir = env.vault().parent().unwrap().to_path_buf();
    // Everyone may pass through the folders and read the passphrase, not the vault.
    for p in [env.dir.path(), &env.path("data"), &dir] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(env.path("pass"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = as_nobody(&env, &["list"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{stderr}");
    assert!(stderr.contains("permission denied: cannot read"), "{stderr}");
    assert!(stderr.contains("0600"), "{stderr}");
}

#[test]
fn a_full_disk_leaves_the_old_vault_intact() {
    // RLIMIT_FSIZE makes every write past 4 KiB fail with EFBIG, as a full disk
    // would; SIGXFSZ is ignored so the write returns an error instead of killing.
    if common::require_tool("sh").is_none() {
        return;
    }
    let env = Env::with_vault();
    for n in 0..8 {
        env.add(&format!("app{n}"), "me@icloud.com", "Mail", &asp(n), "2026-01-01");
    }
    let before = env.vault_bytes();
    assert!(before.len() > 4096);
    let aspen = assert_cmd::cargo::cargo_bin("aspen");
    let out = StdCommand::new("sh")
        .arg("-c")
        .arg(r#"trap '' XFSZ; ulimit -f 8; printf 'abcd-efgh-ijkl-mnop\n' | exec "$0" add --label Big --apple-id me@icloud.com --app Mail --password-stdin"#)
        .arg(aspen)
        .env("ASPEN_VAULT", env.vault())
        .env("ASPEN_PASSPHRASE_FILE", env.path("pass"))
        .env("XDG_CONFIG_HOME", env.path("config"))
        .env("ASPEN_TODAY", common::TODAY)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{stderr}");
    assert!(stderr.contains("not enough space"), "{stderr}");
    assert!(stderr.contains("unchanged"), "{stderr}");
    assert_eq!(env.vault_bytes(), before);
    let leftovers: Vec<_> = std::fs::read_dir(env.vault().parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temp file left behind: {leftovers:?}");
}

#[test]
fn bad_input_gets_a_clear_message_and_exit_2() {
    let env = Env::with_vault();
    let before = env.vault_bytes();
    let other = env.path("other.aspen");
    let other = other.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            add_args(),
            "hunter2\n",
            "it holds digits; Apple's are 16 lowercase letters",
        ),
        (add_args(), "\n", "password is empty"),
        (
            vec![
                "add",
                "--label",
                "x\x1b[2Jy",
                "--apple-id",
                "me@icloud.com",
                "--app",
                "Mail",
                "--password-stdin",
            ],
            "abcd-efgh-ijkl-mnop\n",
            "control or invisible characters",
        ),
        (
            vec![
                "add",
                "--label",
                "A",
                "--apple-id",
                "me at icloud",
                "--app",
                "Mail",
                "--password-stdin",
            ],
            "abcd-efgh-ijkl-mnop\n",
            "an Apple ID is an e-mail address",
        ),
        (
            vec!["reset", "--apple-id", "me@icloud.com", "--date", "2026-13-01"],
            "",
            "YYYY-MM-DD",
        ),
        (
            vec!["reset", "--apple-id", "me@icloud.com", "--date", "2030-01-01"],
            "",
            "in the future",
        ),
        (
            vec!["reset", "--apple-id", "nobody@icloud.com"],
            "",
            "no entries for the Apple ID",
        ),
        (vec!["reveal", "Nope"], "", "no entry is labelled"),
        (
            vec!["init", "--kdf-memory", "8", "--vault", other],
            "",
            "below RFC 9106",
        ),
        (
            vec!["init", "--kdf-memory", "999999", "--vault", other],
            "",
            "out of range",
        ),
    ];
    for (args, stdin, message) in cases {
        env.aspen(&args)
            .write_stdin(stdin)
            .assert()
            .code(2)
            .stderr(contains(message));
        assert_eq!(env.vault_bytes(), before, "{args:?} changed the vault");
    }
    assert!(!std::path::Path::new(other).exists());
    // One argument may hold at most 128 KiB on Linux; 100 000 characters is huge enough.
    let huge = "x".repeat(100_000);
    env.aspen(&[
        "add",
        "--label",
        &huge,
        "--apple-id",
        "me@icloud.com",
        "--app",
        "Mail",
        "--password-stdin",
    ])
    .write_stdin("abcd-efgh-ijkl-mnop\n")
    .assert()
    .code(2)
    .stderr(contains("at most 128"));
    // A 1 MB paste on stdin: read up to the bound, a byte at a time (never ahead).
    env.aspen(&add_args())
        .write_stdin(format!("{}\n", "a".repeat(1_000_000)))
        .assert()
        .code(2)
        .stderr(contains(
            "the password on stdin: it is longer than 4096 bytes without a line end",
        ));
    assert_eq!(env.vault_bytes(), before);
}

#[test]
fn no_terminal_and_no_passphrase_file_is_explained() {
    let env = Env::with_vault();
    env.aspen(&["list"])
        .env_remove("ASPEN_PASSPHRASE_FILE")
        .env("ASPEN_VAULT", env.vault())
        .assert()
        .code(2)
        .stderr(contains("no terminal"))
        .stderr(contains("--passphrase-file"));
}

#[test]
fn a_broken_config_is_reported_with_file_line_and_column() {
    let env = Env::with_vault();
    std::fs::create_dir_all(env.path("config/aspen")).unwrap();
    std::fs::write(
        env.path("config/aspen/config.ron"),
        "(\n  rotation_days: \"soon\",\n)",
    )
    .unwrap();
    env.aspen(&["list"])
        .assert()
        .code(2)
        .stderr(contains("config.ron:2:"))
        .stderr(predicate::str::contains("remove it to use the defaults"));
}

/// `aspen list | head`: the reader closes the pipe before aspen writes. The command
/// ends quietly (no panic, no error message); `check` keeps its answer as status.
#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    let env = Env::with_vault();
    env.add(
        "Old Mail",
        "me@icloud.com",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2020-01-02",
    );
    // Waiting to be regenerated: `check` has something to report.
    env.aspen(&["revoke", "Old Mail", "--replace"]).assert().success();
    env.aspen(&["check"]).assert().code(1);
    let run = |args: &[&str]| {
        let mut child = env
            .process(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["slots", "--json"],
        &["show", "Old Mail"],
        &["reveal", "Old Mail"],
        &["export", "--format", "age"],
        &["completions", "bash"],
        &["man"],
    ] {
        let (code, stderr) = run(args);
        assert_eq!(code, Some(0), "aspen {args:?}: {stderr}");
        assert!(stderr.is_empty(), "aspen {args:?} printed: {stderr}");
    }
    let (code, stderr) = run(&["check"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

/// Messages go to stderr, and a stderr that cannot be written (a full disk behind
/// `2>log`, a closed pipe) loses them but changes nothing else: the command does its
/// work and exits with the status it would have had, never a panic (101).
#[test]
fn a_stderr_that_cannot_be_written_changes_nothing_but_the_messages() {
    use std::io::Write;
    use std::process::Stdio;

    let env = Env::with_vault();
    // With the messages lost, the status must still be the one a normal run gives.
    let status = |args: &[&str], stdin: &str, stderr: Stdio| {
        let mut child = env
            .process(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap();
        // A command refused before it reads stdin may already be gone: the write then
        // fails with a broken pipe, which is not what is tested here.
        let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        child.wait().unwrap().code()
    };
    let full = || Stdio::from(std::fs::File::options().write(true).open("/dev/full").unwrap());
    let closed_pipe = || {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        Stdio::from(writer)
    };

    let add = [
        "add",
        "--label",
        "Mail",
        "--apple-id",
        "me@icloud.com",
        "--app",
        "Mail",
        "--password-stdin",
    ];
    // `add` reports the slots it uses on stderr; the entry is saved all the same.
    assert_eq!(status(&add, "abcd-efgh-ijkl-mnop\n", full()), Some(0));
    env.aspen(&["show", "Mail"]).assert().success();

    for args in [
        &["show", "No such entry"][..],
        &[
            "add",
            "--label",
            "Mail",
            "--apple-id",
            "me@icloud.com",
            "--password-stdin",
        ],
        &["list", "--no-such-flag"],
        &["--vault", "/nonexistent/dir/v.aspen", "list"],
    ] {
        let expected = status(args, "abcd-efgh-ijkl-mnop\n", Stdio::null());
        assert!(
            matches!(expected, Some(c) if c != 0 && c != 101),
            "aspen {args:?} should fail normally, gave {expected:?}"
        );
        assert_eq!(
            status(args, "abcd-efgh-ijkl-mnop\n", full()),
            expected,
            "aspen {args:?} 2>/dev/full"
        );
        assert_eq!(
            status(args, "abcd-efgh-ijkl-mnop\n", closed_pipe()),
            expected,
            "aspen {args:?} 2>closed pipe"
        );
    }
}
