//! No lock-in: the stock `age` tool decrypts aspen's export with aspen's identity.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use crate::common;

use std::process::Command;

use common::{Env, asp, require_tool};

#[test]
fn stock_age_decrypts_the_export_to_the_ron_plaintext() {
    let Some(age) = require_tool("age") else { return };
    let env = Env::with_vault();
    env.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird",
        &asp(1),
        "2026-01-01",
    );
    let identity = env.stdout(&["identity"]);
    let id_file = env.path("identity.txt");
    std::fs::write(&id_file, &identity).unwrap();
    let exported = env.path("vault.age");
    env.aspen(&["export", "--format", "age", "-o", exported.to_str().unwrap()])
        .assert()
        .success();

    let out = Command::new(age)
        .arg("-d")
        .arg("-i")
        .arg(&id_file)
        .arg(&exported)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "age failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plain = String::from_utf8(out.stdout).unwrap();
    assert!(plain.starts_with("(\n    format_version: 3,"), "{plain}");
    assert!(plain.contains("label: \"Thunderbird\""));
    assert!(plain.contains(&format!("password: Some(\"{}\")", asp(1))));

    // The export never replaces an existing file.
    env.aspen(&["export", "--format", "age", "-o", exported.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("will not overwrite"));
}

#[test]
fn stock_age_decrypts_the_committed_test_vectors() {
    let Some(age) = require_tool("age") else { return };
    for (name, passphrase) in [
        ("v1", "aspen test vector"),
        ("v2", "aspen test vector 2"),
        ("v3", "aspen test vector 3"),
    ] {
        let env = Env::new();
        let vectors = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/");
        let vector = format!("{vectors}{name}.aspen");
        std::fs::write(env.path("pass"), format!("{passphrase}\n")).unwrap();
        let identity = env.stdout(&["identity", "--vault", &vector]);
        std::fs::write(env.path("id.txt"), identity).unwrap();
        let payload = env.stdout(&["export", "--format", "age", "--vault", &vector]);
        std::fs::write(env.path("payload.age"), payload).unwrap();
        let out = Command::new(&age)
            .arg("-d")
            .arg("-i")
            .arg(env.path("id.txt"))
            .arg(env.path("payload.age"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let expected = std::fs::read(format!("{vectors}{name}.plain.ron")).unwrap();
        assert_eq!(out.stdout, expected, "{name}");
    }
}
