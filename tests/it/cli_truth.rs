//! The command line never says something untrue and never throws away what the user
//! typed: success only once saved, the real reason for each refusal, secrets asked
//! for only when nothing else can still fail first.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use crate::common;

use std::process::Command as StdCommand;

use common::{Env, asp};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `aspen ARGS` with every write past 4 KiB failing (EFBIG, as a full disk
/// would), `stdin` piped in.
fn with_full_disk(env: &Env, args: &[&str], stdin: &str) -> std::process::Output {
    let script = format!(
        r#"trap '' XFSZ; ulimit -f 8; printf '%s' "$1" | exec "$0" {}"#,
        args.iter()
            .map(|a| format!("'{a}'"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    StdCommand::new("sh")
        .arg("-c")
        .arg(script)
        .arg(assert_cmd::cargo::cargo_bin("aspen"))
        .arg(stdin)
        .env("ASPEN_VAULT", env.vault())
        .env("ASPEN_PASSPHRASE_FILE", env.path("pass"))
        .env("XDG_CONFIG_HOME", env.path("config"))
        .env("ASPEN_TODAY", common::TODAY)
        .output()
        .unwrap()
}

#[test]
fn no_command_reports_success_for_a_change_that_was_not_saved() {
    let env = Env::with_vault();
    for n in 0..8 {
        env.add(&format!("app{n}"), "me@icloud.com", "Mail", &asp(n), "2026-01-01");
    }
    let before = env.vault_bytes();
    let new_password = format!("{}\n", asp(20));
    let cases: [(&[&str], &str, &str); 6] = [
        (
            &[
                "add",
                "--label",
                "B",
                "--apple-id",
                "me@icloud.com",
                "--app",
                "Mail",
                "--password-stdin",
            ],
            &new_password,
            "Added",
        ),
        (&["revoke", "app1"], "", "Revoked"),
        (
            &["regenerate", "app2", "--password-stdin"],
            &new_password,
            "Stored",
        ),
        (&["edit", "app3", "--notes", "hello"], "", "Updated"),
        (&["rm", "app4", "--yes"], "", "Deleted"),
        (&["revoke-all", "--apple-id", "me@icloud.com"], "", "Revoked"),
    ];
    for (args, stdin, claim) in cases {
        let out = with_full_disk(&env, args, stdin);
        let (out_text, err_text) = (stdout(&out), stderr(&out));
        assert_eq!(out.status.code(), Some(7), "{args:?}: {err_text}");
        assert!(err_text.contains("not enough space"), "{args:?}: {err_text}");
        assert!(
            !out_text.contains(claim) && !err_text.contains(claim),
            "{args:?} claimed {claim:?} for a change that was not saved:\n{out_text}{err_text}"
        );
        assert_eq!(env.vault_bytes(), before, "{args:?}");
    }
}

#[test]
fn the_revoked_password_is_not_accepted_as_the_new_one() {
    let env = Env::with_vault();
    env.add("Thunderbird", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    env.add("Calendar", "me@icloud.com", "Cal", &asp(2), "2026-01-01");
    env.aspen(&["reset", "--apple-id", "me@icloud.com"])
        .assert()
        .success();
    let before = env.vault_bytes();
    for (password, said) in [
        (
            asp(1),
            "that is the current password of \"Thunderbird\", which is revoked",
        ),
        (asp(2), "that is the password of \"Calendar\", which is revoked"),
    ] {
        let out = env
            .aspen(&["regenerate", "Thunderbird", "--password-stdin"])
            .write_stdin(format!("{password}\n"))
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(said), "{err}");
        assert!(
            err.contains("Apple never issues the same password twice"),
            "{err}"
        );
        assert!(!err.contains(&password), "the password is never echoed: {err}");
        assert_eq!(env.vault_bytes(), before);
    }
    let out = env
        .aspen(&["regenerate", "Thunderbird", "--password-stdin"])
        .write_stdin(format!("{}\n", asp(3)))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn invisible_characters_are_refused_in_names_and_escaped_in_every_output() {
    let env = Env::with_vault();
    for hidden in ['\u{061C}', '\u{E0041}', '\u{200B}'] {
        let label = format!("Mail{hidden}");
        let out = env
            .aspen(&[
                "add",
                "--label",
                &label,
                "--apple-id",
                "me@icloud.com",
                "--app",
                "Mail",
                "--password-stdin",
            ])
            .write_stdin(format!("{}\n", asp(1)))
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{hidden:?}: {err}");
        assert!(err.contains("invisible characters"), "{err}");
        assert!(!err.contains(hidden), "the refusal escapes it too: {err}");
    }
    // Notes keep what was typed; outputs show it escaped.
    env.aspen(&[
        "add",
        "--label",
        "Mail",
        "--apple-id",
        "me@icloud.com",
        "--app",
        "Mail",
        "--notes",
        "abc\u{202E}fdp",
        "--password-stdin",
    ])
    .write_stdin(format!("{}\n", asp(1)))
    .assert()
    .success();
    let json = env.stdout(&["show", "Mail", "--json"]);
    assert!(!json.contains('\u{202E}'), "{json}");
    assert!(json.contains(r"abc\u202efdp"), "{json}");
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        parsed["notes"], "abc\u{202E}fdp",
        "the JSON still means what was stored"
    );
    assert!(!env.stdout(&["show", "Mail"]).contains('\u{202E}'));
    let list = env.stdout(&["list", "--json"]);
    assert!(!list.contains('\u{202E}'), "{list}");
}

#[test]
fn each_refusal_names_the_real_problem() {
    let env = Env::with_vault();
    // The variable, and what is wrong with its value.
    let out = env
        .aspen(&["list"])
        .env("ASPEN_TODAY", "yesterday")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("the environment variable ASPEN_TODAY is \"yesterday\""),
        "{err}"
    );
    // A date in the right form that names no day.
    let out = env
        .aspen(&[
            "add",
            "--label",
            "M",
            "--apple-id",
            "me@icloud.com",
            "--app",
            "M",
            "--created",
            "2026-02-30",
            "--password-stdin",
        ])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(
        err.contains("2026-02-30 is not a day in the calendar: February 2026 has 28 days"),
        "{err}"
    );
    assert!(!err.contains("write it as YYYY-MM-DD"), "{err}");
    // One, not "all 1".
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    let out = env.stdout(&["revoke-all", "--apple-id", "me@icloud.com"]);
    assert!(
        out.contains("Revoked the one active password of me@icloud.com"),
        "{out}"
    );
    assert!(out.contains("For this one:"), "{out}");
    assert!(!out.contains("all 1") && !out.contains("these 1"), "{out}");
}

#[test]
fn a_refused_password_says_what_is_wrong_with_it() {
    let env = Env::with_vault();
    for (typed, said) in [
        (
            "abcdefgh ijklmnop",
            "its hyphens or spaces are in the wrong places",
        ),
        (
            "ABCD-EFGH-IJKL-MNOP",
            "it has 16 upper-case letters, and Apple's are all lowercase; Apple's are 16 \
             lowercase letters shown as xxxx-xxxx-xxxx-xxxx. Is Caps Lock on?",
        ),
        ("abcd-efgh-ijkl-mnäp", "ä is not a letter Apple uses"),
        (
            "abcd-efgh-ijkl-mnopq",
            "it has 17 letters, one more than Apple's 16",
        ),
    ] {
        let out = env
            .aspen(&[
                "add",
                "--label",
                "M",
                "--apple-id",
                "me@icloud.com",
                "--app",
                "M",
                "--password-stdin",
            ])
            .write_stdin(format!("{typed}\n"))
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{typed}: {err}");
        assert!(err.contains(said), "{typed}: {err}");
        assert!(!err.contains("16 of Apple's 16"), "{err}");
    }
}

#[test]
fn the_passphrase_is_checked_before_anything_else_is_asked() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    std::fs::write(env.path("wrong"), "not the passphrase\n").unwrap();
    // Without a terminal the password prompt would fail: the wrong passphrase must be
    // what is reported, before the user pastes anything.
    for args in [
        &[
            "add",
            "--label",
            "New",
            "--apple-id",
            "me@icloud.com",
            "--app",
            "Mail",
        ][..],
        &["regenerate", "Mail"],
    ] {
        let out = env
            .aspen(args)
            .env("ASPEN_PASSPHRASE_FILE", env.path("wrong"))
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {err}");
        assert!(err.contains("wrong passphrase"), "{err}");
    }
    // A label that does not exist is said before any "are you sure?".
    let out = env.aspen(&["rm", "NoSuchThing"]).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("no entry is labelled \"NoSuchThing\""), "{err}");
    assert!(!err.contains("needs confirming"), "{err}");
    // A taken label is refused before the password is asked for.
    let out = env
        .aspen(&[
            "add",
            "--label",
            "Mail",
            "--apple-id",
            "me@icloud.com",
            "--app",
            "Mail",
        ])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(err.contains("already has an entry labelled \"Mail\""), "{err}");
}

/// Issue 21, item 6: withdrawing a reset names the Apple ID, and the entries it
/// leaves as they are, a regenerated one among them (as docs/cli.md says).
#[test]
fn withdrawing_a_reset_names_the_apple_id_and_what_it_leaves_alone() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    env.add("Calendar", "me@icloud.com", "Calendar", &asp(2), "2026-01-01");
    env.aspen(&["reset", "--apple-id", "me@icloud.com", "--date", "2026-11-02"])
        .assert()
        .success();
    env.aspen(&["regenerate", "Mail", "--password-stdin"])
        .write_stdin(format!("{}\n", asp(4)))
        .assert()
        .success();
    let out = env
        .aspen(&["reset", "--undo", "--apple-id", "me@icloud.com"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(
            "Withdrew the Apple ID password reset of me@icloud.com on 2026-11-02; active again: \"Calendar\"."
        ),
        "{err}"
    );
    assert!(err.contains("\"Mail\""), "the regenerated entry is named: {err}");
    assert!(err.contains("regenerated"), "{err}");
    assert_eq!(env.stdout(&["reveal", "Mail"]), format!("{}\n", asp(4)));
}

/// Issue 21: zxcvbn's advice on a weak passphrase is given as notes, as aspen's
/// other notes are, not hanging under the warning.
#[test]
fn weak_passphrase_advice_reads_as_notes() {
    let env = Env::new();
    std::fs::write(env.path("pass"), "password1\n").unwrap();
    let out = env.aspen(&["init", "--insecure-kdf"]).output().unwrap();
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    let warning = lines
        .iter()
        .position(|l| l.starts_with("warning: this passphrase is weak"))
        .unwrap_or_else(|| panic!("{err}"));
    let advice = &lines[warning + 1..];
    assert!(!advice.is_empty(), "{err}");
    for line in advice
        .iter()
        .take_while(|l| l.starts_with(' ') || l.starts_with("note: "))
    {
        assert!(line.starts_with("note: "), "{err}");
    }
    assert!(advice[0].starts_with("note: "), "{err}");
}
