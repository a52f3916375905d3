//! A year of one person's Apple IDs through the command line (issue 13's story):
//! passwords from before aspen recorded as untracked, an audit that finds one
//! revoked at Apple and one label aspen did not know, a wrong reset withdrawn, a
//! retired app, a renamed Apple ID. After every step the gauges must equal what
//! Apple's page would list, kept here by hand as the list of labels Apple shows.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use predicates::str::contains;

use crate::common::{Env, asp};

const ME: &str = "me@icloud.com";

/// The person's vault and, beside it, what Apple's page lists per Apple ID.
struct Year {
    env: Env,
    apple: std::collections::BTreeMap<String, BTreeSet<String>>,
}

impl Year {
    fn run(&self, day: &str, args: &[&str]) -> assert_cmd::assert::Assert {
        self.env.aspen(args).env("ASPEN_TODAY", day).assert().success()
    }

    fn add(&self, day: &str, label: &str, apple_id: &str, app: &str, n: usize) {
        self.env
            .aspen(&[
                "add",
                "--label",
                label,
                "--apple-id",
                apple_id,
                "--app",
                app,
                "--password-stdin",
            ])
            .env("ASPEN_TODAY", day)
            .write_stdin(format!("{}\n", asp(n)))
            .assert()
            .success();
    }

    fn apple_lists(&mut self, apple_id: &str, label: &str) {
        self.apple
            .entry(apple_id.to_owned())
            .or_default()
            .insert(label.to_owned());
    }

    fn apple_drops(&mut self, apple_id: &str, label: &str) {
        self.apple.get_mut(apple_id).unwrap().remove(label);
    }

    /// The gauges (`slots`) and the active labels equal Apple's page, per Apple ID.
    fn matches_apple(&self, step: &str) {
        let slots = self.env.json(&["slots", "--json"]);
        let slots = slots.as_array().unwrap();
        for (apple_id, labels) in &self.apple {
            let s = slots
                .iter()
                .find(|s| s["apple_id"] == apple_id.as_str())
                .unwrap_or_else(|| panic!("{step}: no gauge for {apple_id}"));
            assert_eq!(s["active"], labels.len(), "{step}: {apple_id}'s gauge");
            let active: BTreeSet<String> = self
                .env
                .json(&["list", "--json", "--apple-id", apple_id])
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["status"] == "active")
                .map(|e| e["label"].as_str().unwrap().to_owned())
                .collect();
            assert_eq!(&active, labels, "{step}: {apple_id}'s active labels");
        }
        assert_eq!(slots.len(), self.apple.len(), "{step}: one gauge per Apple ID");
    }
}

#[test]
fn a_year_of_apple_ids_keeps_the_gauges_equal_to_apples_page() {
    let mut y = Year {
        env: Env::with_vault(),
        apple: Default::default(),
    };

    // January: two passwords made before aspen, whose passwords are long gone.
    for (label, created) in [("Old iPad", "2024-05-01"), ("Gmail sync", "2025-03-10")] {
        y.run(
            "2026-01-05",
            &[
                "add",
                "--label",
                label,
                "--apple-id",
                ME,
                "--created",
                created,
                "--no-password",
            ],
        )
        .stderr(contains("without its password"));
        y.apple_lists(ME, label);
    }
    y.add("2026-01-05", "Thunderbird", ME, "Thunderbird", 1);
    y.apple_lists(ME, "Thunderbird");
    // A typo in the Apple ID of the family account, and a phone-number Apple ID.
    y.add("2026-01-06", "Family Mac", "famly@icloud.com", "Mail", 2);
    y.apple_lists("famly@icloud.com", "Family Mac");
    y.add("2026-01-06", "Kids tablet", "+1 555 123 4567", "Calendar", 3);
    y.apple_lists("+15551234567", "Kids tablet");
    y.matches_apple("January");
    y.env
        .aspen(&["copy", "Old iPad"])
        .assert()
        .code(2)
        .stderr(contains("does not hold the password"));

    // March: the audit. Apple no longer lists the old iPad's (revoked on the web),
    // and lists one aspen never knew.
    y.apple_drops(ME, "Old iPad");
    y.apple_lists(ME, "Calendar app");
    let listed = y.env.path("apple.txt");
    std::fs::write(
        &listed,
        "Calendar app\tFeb 2, 2026\nGmail sync  2025-03-10\n\nThunderbird\n",
    )
    .unwrap();
    let file = listed.to_str().unwrap();
    y.env
        .aspen(&["audit", "--apple-id", ME, "--listed", file])
        .env("ASPEN_TODAY", "2026-03-01")
        .assert()
        .code(1)
        .stderr(contains(
            "not listed at Apple (revoked outside aspen): \"Old iPad\"",
        ))
        .stderr(contains("unknown to aspen (untracked): \"Calendar app\""));
    y.run(
        "2026-03-01",
        &["audit", "--apple-id", ME, "--listed", file, "--apply"],
    )
    .stderr(contains("Recorded the audit of me@icloud.com on 2026-03-01"));
    y.matches_apple("March audit");
    // Something needs attention (the untracked ones, the old iPad), so check says 1.
    y.env
        .aspen(&["check"])
        .env("ASPEN_TODAY", "2026-03-01")
        .assert()
        .code(1)
        .stdout(contains("last checked against Apple's page on 2026-03-01"));
    // The old iPad is gone for good: retire it, so nothing asks to regenerate it.
    y.run("2026-03-02", &["retire", "Old iPad"]);
    let slots = y.env.json(&["slots", "--json", "--apple-id", ME]);
    assert_eq!(slots[0]["to_regenerate"], 0);

    // May: a reset recorded by mistake (it was the other account's password).
    y.run("2026-05-02", &["reset", "--apple-id", ME, "--date", "2026-05-02"]);
    let wrong = y.env.json(&["slots", "--json", "--apple-id", ME]);
    assert_eq!(wrong[0]["active"], 0, "the wrong reset revoked everything");
    y.run("2026-05-03", &["reset", "--undo", "--apple-id", ME]);
    y.matches_apple("May, the reset withdrawn");

    // July: a fresh password for Gmail sync, stored this time.
    y.env
        .aspen(&["regenerate", "Gmail sync", "--password-stdin"])
        .env("ASPEN_TODAY", "2026-07-01")
        .write_stdin(format!("{}\n", asp(10)))
        .assert()
        .success();
    let gmail = y.env.json(&["show", "Gmail sync", "--json"]);
    assert_eq!(gmail["password_stored"], true);
    // Apple lists the label twice until the old one is revoked there: both count.
    let both = y.env.json(&["slots", "--json", "--apple-id", ME]);
    assert_eq!(both[0]["active"], y.apple[ME].len() + 1, "the old and the new");
    let check = y
        .env
        .aspen(&["check"])
        .env("ASPEN_TODAY", "2026-07-02")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{said}");
    assert!(said.contains("old-password-live"), "{said}");
    assert!(said.contains("aspen revoke LABEL --old"), "{said}");
    y.run("2026-07-02", &["revoke", "Gmail sync", "--old"]);
    y.matches_apple("July");

    // September: the typo is fixed; the family Mac's entry moves with it.
    y.run(
        "2026-09-01",
        &["apple-id", "rename", "famly@icloud.com", "family@icloud.com"],
    );
    let moved = y.apple.remove("famly@icloud.com").unwrap();
    y.apple.insert("family@icloud.com".to_owned(), moved);
    y.run("2026-09-01", &["apple-id", "name", "family@icloud.com", "family"]);
    y.matches_apple("September");
    y.run("2026-09-01", &["slots"])
        .stdout(contains("family@icloud.com (family)"));

    // November: Thunderbird's password is revoked at Apple; the laptop's app keeps
    // needing one, the old phone's app is retired.
    y.run(
        "2026-11-02",
        &[
            "edit",
            "Thunderbird",
            "--app",
            "Thunderbird",
            "--app",
            "Old phone",
        ],
    );
    y.run("2026-11-03", &["revoke", "Thunderbird", "--replace"]);
    y.apple_drops(ME, "Thunderbird");
    y.run("2026-11-03", &["retire", "Thunderbird", "--app", "Old phone"]);
    let tb = y.env.json(&["show", "Thunderbird", "--json"]);
    assert_eq!(tb["apps"], serde_json::json!(["Thunderbird"]));
    assert_eq!(tb["needs_replacement"], true);
    y.matches_apple("November");
    let history = tb["history"].to_string();
    assert!(history.contains("retired the app"), "{history}");

    // December (issue 20): the phone number spelled the way the bill prints it is the
    // same Apple ID; the kids' tablet password pasted for a second app joins its entry.
    y.add("2026-12-01", "Kids phone", "+1 (555) 123-4567", "Calendar", 4);
    y.apple_lists("+15551234567", "Kids phone");
    let out = y
        .env
        .aspen(&[
            "add",
            "--label",
            "Kids laptop",
            "--apple-id",
            "+15551234567",
            "--app",
            "Contacts",
            "--password-stdin",
        ])
        .env("ASPEN_TODAY", "2026-12-01")
        .write_stdin(format!("{}\n", asp(3)))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "one password is one entry");
    y.env
        .aspen(&[
            "add",
            "--label",
            "Kids laptop",
            "--apple-id",
            "+15551234567",
            "--app",
            "Contacts",
            "--password-stdin",
            "--join",
        ])
        .env("ASPEN_TODAY", "2026-12-01")
        .write_stdin(format!("{}\n", asp(3)))
        .assert()
        .success()
        .stderr(contains("Added Contacts to \"Kids tablet\""));
    y.matches_apple("December, one password in two apps");
    // A reset on December 2, then a password found in a note, made before it: Apple
    // revoked it with the reset, so it is added revoked and counts nothing.
    y.run("2026-12-02", &["reset", "--apple-id", "+15551234567"]);
    y.apple.get_mut("+15551234567").unwrap().clear();
    y.env
        .aspen(&[
            "add",
            "--label",
            "Old note",
            "--apple-id",
            "+15551234567",
            "--app",
            "Mail",
            "--created",
            "Nov 30, 2026",
            "--password-stdin",
        ])
        .env("ASPEN_TODAY", "2026-12-03")
        .write_stdin(format!("{}\n", asp(5)))
        .assert()
        .success();
    y.matches_apple("December, after the reset");
}
