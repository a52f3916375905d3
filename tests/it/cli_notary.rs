//! Issue 20, "Notarization is a use", on the command line: an entry kept for Xcode's
//! `notarytool` records the Apple developer team id, and `aspen setup` gives the
//! `notarytool store-credentials` line with the Apple ID and team id filled in and
//! copies the password (never printing it).
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use crate::common::{Env, asp, require_tool};

/// `aspen add` of a notarization entry "Notary CI" of dev@example.com, with
/// `extra` options; its output.
fn add_notary(env: &Env, label: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "add",
        "--label",
        label,
        "--apple-id",
        "dev@example.com",
        "--app",
        "notarytool",
        "--password-stdin",
    ];
    args.extend_from_slice(extra);
    env.aspen(&args)
        .write_stdin(format!("{}\n", asp(7)))
        .output()
        .unwrap()
}

/// The entry labelled `label` as `list --json` gives it.
fn listed(env: &Env, label: &str) -> serde_json::Value {
    let list = env.json(&["list", "--json"]);
    list.as_array()
        .unwrap()
        .iter()
        .find(|e| e["label"] == label)
        .unwrap_or_else(|| panic!("{label} is listed: {list}"))
        .clone()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn add_and_edit_record_the_team_id_of_a_notarization_entry() {
    let env = Env::with_vault();
    let out = add_notary(
        &env,
        "Notary CI",
        &["--uses", "notarization", "--team-id", "abcde12345"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let entry = listed(&env, "Notary CI");
    assert_eq!(entry["uses"], serde_json::json!(["notarization"]));
    assert_eq!(entry["team_id"], "ABCDE12345", "upper-cased as Apple shows it");

    env.aspen(&["edit", "Notary CI", "--team-id", "FGHIJ67890"])
        .assert()
        .success();
    let shown = env.json(&["show", "Notary CI", "--json"]);
    assert_eq!(shown["team_id"], "FGHIJ67890");
    let text = env.stdout(&["show", "Notary CI"]);
    assert!(text.lines().any(|l| l == "Team id:   FGHIJ67890"), "{text}");

    // A mail entry that starts notarizing too, then gives notarization up: its team
    // id goes with it.
    env.add("Mail", "dev@example.com", "Thunderbird", &asp(8), "2026-01-01");
    assert_eq!(listed(&env, "Mail")["team_id"], serde_json::Value::Null);
    env.aspen(&[
        "edit",
        "Mail",
        "--uses",
        "mail,notarization",
        "--team-id",
        "ZYXWV98765",
    ])
    .assert()
    .success();
    assert_eq!(listed(&env, "Mail")["team_id"], "ZYXWV98765");
    env.aspen(&["edit", "Mail", "--uses", "mail"]).assert().success();
    let mail = listed(&env, "Mail");
    assert_eq!(mail["uses"], serde_json::json!(["mail"]));
    assert_eq!(mail["team_id"], serde_json::Value::Null);
}

#[test]
fn a_bad_team_id_is_refused_with_what_a_team_id_is() {
    let env = Env::with_vault();
    let before = env.vault_bytes();
    for (team_id, problem) in [
        ("ABCDE-1234", "it holds \"-\""),
        ("ABC123", "it has 6 characters"),
        ("ABCDE123456", "it has 11 characters"),
    ] {
        let out = add_notary(
            &env,
            "Notary CI",
            &["--uses", "notarization", "--team-id", team_id],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{team_id}: {err}");
        assert!(
            err.contains(&format!(
                "error: \"{team_id}\" is not an Apple developer team id: {problem}"
            )),
            "{err}"
        );
        assert!(
            err.contains("hint: copy it from developer.apple.com → Account → Membership details"),
            "{err}"
        );
        assert!(!err.contains(&asp(7)), "{err}");
    }
    // Notarization needs one; a team id is notarization's alone.
    let out = add_notary(&env, "Notary CI", &["--uses", "notarization"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "error: \"Notary CI\" is used for notarization, which needs the Apple developer team id"
        ),
        "{err}"
    );
    assert!(err.contains("hint: give it with --team-id"), "{err}");
    let out = add_notary(&env, "Notary CI", &["--uses", "mail", "--team-id", "ABCDE12345"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("error: \"Notary CI\" is not used for notarization: a team id is only for notarizing"),
        "{err}"
    );
    assert!(err.contains("--uses"), "{err}");
    assert_eq!(env.vault_bytes(), before, "nothing was written");

    // The same rules in an edit.
    env.add("Mail", "dev@example.com", "Thunderbird", &asp(8), "2026-01-01");
    let out = env
        .aspen(&["edit", "Mail", "--team-id", "ABCDE12345"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is not used for notarization"));
    let out = env
        .aspen(&["edit", "Mail", "--uses", "notarization", "--team-id", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("\"nope\" is not an Apple developer team id"));
}

/// The line `aspen setup` gives a notarization entry.
const LINE: &str =
    r#"xcrun notarytool store-credentials "Notary-CI" --apple-id "dev@example.com" --team-id "ABCDE12345""#;

#[test]
fn setup_gives_the_notarytool_line_and_never_the_password() {
    let env = Env::with_vault();
    let out = add_notary(
        &env,
        "Notary CI",
        &["--uses", "notarization", "--team-id", "ABCDE12345"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env.aspen(&["setup", "Notary CI", "--no-copy"]).output().unwrap();
    let (text, err) = (String::from_utf8_lossy(&out.stdout).into_owned(), stderr(&out));
    assert!(out.status.success(), "{err}");
    assert!(text.lines().any(|l| l == LINE), "the line, whole:\n{text}");
    assert!(text.contains("notarytool asks for the password"), "{text}");
    assert!(
        text.contains("`aspen copy 'Notary CI'`"),
        "without the copy, how to copy it: {text}"
    );
    assert!(!text.contains("IMAP"), "only what it is used for: {text}");
    assert!(
        text.lines().all(|l| l == LINE || l.chars().count() <= 80),
        "all but the line fit 80 columns:\n{text}"
    );
    assert!(!text.contains(&asp(7)) && !err.contains(&asp(7)), "{text}{err}");

    let json = env.json(&["setup", "Notary CI", "--json"]);
    let notary = json.as_array().unwrap().last().unwrap();
    assert_eq!(notary["service"], "notarization");
    assert_eq!(notary["apple_id"], "dev@example.com");
    assert_eq!(notary["team_id"], "ABCDE12345");
    assert_eq!(notary["profile"], "Notary-CI");
    assert_eq!(notary["command"], LINE);
    assert!(!json.to_string().contains(&asp(7)));
}

/// Without `--no-copy`, `setup` copies the password as `aspen copy` does: here with
/// no display and no terminal, which fails the way `copy` does, after the line.
#[test]
fn setup_copies_the_password_of_a_notarization_entry() {
    if require_tool("setsid").is_none() {
        return;
    }
    let env = Env::with_vault();
    let out = add_notary(
        &env,
        "Notary CI",
        &["--uses", "notarization", "--team-id", "ABCDE12345"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let inner = env.process(&["setup", "Notary CI"]);
    let mut cmd = std::process::Command::new("setsid");
    cmd.arg(inner.get_program()).args(inner.get_args());
    cmd.env_clear().stdin(std::process::Stdio::null());
    for (k, v) in inner.get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    let out = cmd.output().unwrap();
    let (text, err) = (String::from_utf8_lossy(&out.stdout).into_owned(), stderr(&out));
    assert!(text.lines().any(|l| l == LINE), "{text}");
    assert_eq!(out.status.code(), Some(8), "{err}");
    assert!(err.contains("could not copy \"Notary CI\""), "{err}");
    assert!(!text.contains(&asp(7)) && !err.contains(&asp(7)), "{text}{err}");
}
