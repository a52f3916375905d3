//! A known password and passphrase must never show up where they do not belong:
//! the output of any command but `reveal`, error messages, Debug output, or the
//! vault file's bytes.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use crate::common;

use common::{Env, PASSPHRASE};

const SECRET: &str = "qzqz-xkxk-wvwv-jyjy";

#[test]
fn no_command_but_reveal_prints_the_password_or_the_passphrase() {
    let env = Env::with_vault();
    env.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird",
        SECRET,
        "2024-01-01",
    );
    let runs: Vec<Vec<&str>> = vec![
        vec!["list"],
        vec!["list", "--json"],
        vec!["show", "Thunderbird"],
        vec!["show", "Thunderbird", "--json"],
        vec!["slots", "--json"],
        vec!["check"],
        vec!["check", "--json"],
        vec!["edit", "Thunderbird", "--notes", "laptop"],
        vec!["revoke", "Thunderbird", "--replace"],
        vec!["reset", "--apple-id", "me@icloud.com"],
        vec!["revoke-all", "--apple-id", "me@icloud.com"],
        vec!["show", "Nope"],
        vec!["rm", "Thunderbird"],
        vec!["export", "--format", "age"],
    ];
    for args in &runs {
        let out = env.aspen(args).output().unwrap();
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.contains(SECRET),
                "aspen {args:?} printed the password:\n{text}"
            );
            assert!(
                !text.contains(PASSPHRASE),
                "aspen {args:?} printed the passphrase:\n{text}"
            );
        }
    }
    // A wrong guess is not echoed either.
    std::fs::write(env.path("pass"), "my wrong guess 123\n").unwrap();
    let out = env.aspen(&["list"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("my wrong guess"));
    // Only reveal prints it.
    std::fs::write(env.path("pass"), format!("{PASSPHRASE}\n")).unwrap();
    assert_eq!(env.stdout(&["reveal", "Thunderbird"]), format!("{SECRET}\n"));
    // The file on disk never holds it in clear, nor does the backup.
    for file in [env.vault(), env.backup()] {
        let bytes = String::from_utf8_lossy(&common::read(&file)).into_owned();
        assert!(!bytes.contains(SECRET) && !bytes.contains("qzqzxkxk"));
    }
}

#[test]
fn debug_output_of_an_open_vault_holds_no_secret() {
    let env = Env::with_vault();
    env.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird",
        SECRET,
        "2024-01-01",
    );
    let paths = aspen::storage::VaultPaths::new(env.vault());
    let loaded = paths
        .open(&aspen::secret::SecretString::from(PASSPHRASE))
        .unwrap();
    let shown = format!("{loaded:?} {:#?}", loaded.vault);
    assert!(shown.contains("Thunderbird"), "the Debug output is real");
    assert!(!shown.contains(SECRET));
    assert!(!shown.contains("AGE-SECRET-KEY"));
    let wrong = paths
        .open(&aspen::secret::SecretString::from("nope"))
        .unwrap_err();
    assert!(!format!("{wrong:?} {wrong}").contains("nope"));
}
