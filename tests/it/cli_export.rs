//! `aspen export --format csv|json` (issue 23), through the real binary: no password
//! unless asked, and then only into a new file of the user's alone; formulas
//! neutralised; aspen reads its own CSV back exactly.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use crate::common;

use std::os::unix::fs::PermissionsExt;

use common::{Env, asp};
use predicates::prelude::*;
use predicates::str::contains;

/// Labels, apps and notes that a spreadsheet would run as formulas.
fn vault_with_formulas() -> Env {
    let env = Env::with_vault();
    env.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird",
        &asp(1),
        "2026-03-01",
    );
    let formulas = [
        (
            "=HYPERLINK(\"https://evil.example\",\"click\")",
            "=cmd|' /C calc'!A0",
        ),
        ("+1+1", "+app"),
        ("-2-2", "-app"),
        ("@SUM(A1:A2)", "@app"),
        ("'quoted", "'app"),
    ];
    for (n, (label, app)) in formulas.iter().enumerate() {
        env.aspen(&[
            "add",
            &format!("--label={label}"),
            "--apple-id",
            "kid@icloud.com",
            &format!("--app={app}"),
            "--created",
            "2026-02-01",
            "--notes=\t=1+1",
            "--uses",
            "calendar,contacts",
            "--password-stdin",
        ])
        .write_stdin(format!("{}\n", asp(10 + n)))
        .assert()
        .success();
    }
    env
}

#[test]
fn csv_and_json_carry_no_password_and_csv_neutralises_every_formula() {
    let env = vault_with_formulas();
    let csv = env.stdout(&["export", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "label,apple_id,apps,uses,created,status,revoked_on,attention,notes"
    );
    assert!(!csv.contains(&asp(1)[..4]), "{csv}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut seen = 0;
    for record in reader.records() {
        let record = record.unwrap();
        for cell in record.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula reaches the spreadsheet: {cell:?}"
            );
        }
        if &record[1] == "kid@icloud.com" {
            seen += 1;
            assert!(record[0].starts_with('\''), "{record:?}");
            assert!(record[2].starts_with('\''), "{record:?}");
            assert_eq!(&record[3], "calendar;contacts");
        }
    }
    assert_eq!(seen, 5);
    assert!(csv.contains("'=HYPERLINK(\"\"https://evil.example"), "{csv}");

    let json = env.json(&["export", "--format", "json"]);
    let entries = json.as_array().unwrap();
    assert_eq!(entries.len(), 6);
    assert!(entries.iter().all(|e| e.get("password").is_none()));
    assert_eq!(entries[0]["label"], "'quoted");
    assert_eq!(entries[0]["status"], "active");
}

#[test]
fn passwords_go_only_to_a_new_file_of_the_users_alone() {
    let env = vault_with_formulas();
    env.aspen(&["export", "--format", "csv", "--with-passwords"])
        .assert()
        .code(2)
        .stderr(contains("--output"));
    env.aspen(&["export", "--format", "age", "--with-passwords", "-o", "x.age"])
        .assert()
        .code(2)
        .stderr(contains("it is for csv and json"));

    for format in ["csv", "json"] {
        let file = env.path(&format!("all.{format}"));
        let path = file.to_str().unwrap();
        env.aspen(&["export", "--format", format, "--with-passwords", "-o", path])
            .assert()
            .success()
            .stderr(contains("Wrote 6 entries"))
            .stderr(contains("holds every stored password in clear text"));
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{format}");
        let written = std::fs::read_to_string(&file).unwrap();
        assert!(written.contains(&asp(1)), "{format}");
        // Never over an existing file, not even one of aspen's own.
        std::fs::write(&file, "mine").unwrap();
        env.aspen(&["export", "--format", format, "--with-passwords", "-o", path])
            .assert()
            .code(2)
            .stderr(contains("already exists"));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    }
}

#[test]
fn aspen_reads_its_own_csv_back_exactly() {
    let env = vault_with_formulas();
    let file = env.path("backup.csv");
    env.aspen(&[
        "export",
        "--format",
        "csv",
        "--with-passwords",
        "-o",
        file.to_str().unwrap(),
    ])
    .assert()
    .success();

    let other = Env::with_vault();
    other
        .aspen(&["import", file.to_str().unwrap(), "--from", "csv", "--yes"])
        .assert()
        .success()
        .stderr(contains("Imported 6 app-specific passwords"));
    let fields = |env: &Env| {
        let list = env.json(&["list", "--json"]);
        list.as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let keep = ["label", "apple_id", "apps", "uses", "created", "notes", "status"];
                keep.map(|k| e[k].clone())
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(fields(&other), fields(&env));
    for label in [
        "Thunderbird",
        "=HYPERLINK(\"https://evil.example\",\"click\")",
        "'quoted",
    ] {
        assert_eq!(
            other.stdout(&["reveal", label]),
            env.stdout(&["reveal", label]),
            "{label}"
        );
    }
    // A CSV without passwords says what it lacks.
    let bare = env.path("bare.csv");
    env.aspen(&["export", "--format", "csv", "-o", bare.to_str().unwrap()])
        .assert()
        .success()
        .stderr(contains("holds every stored password").not());
    other
        .aspen(&["import", bare.to_str().unwrap(), "--from", "csv"])
        .assert()
        .code(2)
        .stderr(contains("it has no \"password\" column"));
}

/// The checks the TUI's export dialog shares: a link at the name (even one that
/// points nowhere) is never followed, and a folder that is not there is said so.
#[test]
fn a_link_or_a_missing_folder_is_refused_and_nothing_is_written() {
    let env = vault_with_formulas();
    let target = env.path("nowhere.csv");
    let link = env.path("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for format in ["csv", "age"] {
        env.aspen(&["export", "--format", format, "-o", link.to_str().unwrap()])
            .assert()
            .code(2)
            .stderr(contains("is a symbolic link"));
    }
    assert!(!target.exists(), "nothing was written through the link");
    let missing = env.path("no such folder/entries.csv");
    env.aspen(&["export", "--format", "csv", "-o", missing.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("does not exist; nothing was written"))
        .stderr(contains("create the folder first"));
}

/// A folder named where the file should be (`-o ~/Documents/`) is said to be one,
/// not "already exists … remove the old file first".
#[test]
fn a_folder_named_as_the_file_is_said_to_be_a_folder() {
    let env = vault_with_formulas();
    let folder = env.path("exports");
    std::fs::create_dir(&folder).unwrap();
    env.aspen(&["export", "--format", "csv", "-o", folder.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("is a folder; an export is written to a new file"))
        .stderr(contains("add a file name to it"));
    assert_eq!(
        std::fs::read_dir(&folder).unwrap().count(),
        0,
        "nothing written in it"
    );
}
