//! What this machine remembers of a vault (issue 14, part 4): an older copy put back
//! in its place is named, and changing it needs --accept-older; a header asking for
//! a far costlier key derivation than this machine ran for it is confirmed first.
#![allow(clippy::unwrap_used)]

use predicates::str::contains;

use crate::common::{Env, asp};

#[test]
fn an_older_copy_put_back_is_named_and_needs_consent_to_change() {
    let env = Env::with_vault();
    env.add("Thunderbird", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    let old = env.vault_bytes();
    env.add("Mac", "me@icloud.com", "Mail", &asp(2), "2026-01-01");
    env.add("iPad", "me@icloud.com", "Mail", &asp(3), "2026-01-01");
    // An old backup copied over the vault (or a sync tool restoring a stale copy).
    std::fs::write(env.vault(), &old).unwrap();

    env.aspen(&["list"])
        .assert()
        .success()
        .stderr(contains("older than a version of it this machine has seen"))
        .stderr(contains("save 1, this machine saw save 3"));
    let out = env.try_add("Later", "me@icloud.com", "Mail", &asp(4));
    assert_eq!(out.status.code(), Some(6));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("nothing was written"), "{said}");
    assert!(
        said.contains("aspen merge FILE") && said.contains("--accept-older"),
        "{said}"
    );
    assert_eq!(env.vault_bytes(), old, "the older copy is untouched");

    env.aspen(&["--accept-older", "edit", "Thunderbird", "--notes", "kept"])
        .assert()
        .success();
    // Chosen: the copy's next save is newer than anything seen, and the warning ends.
    env.aspen(&["list"])
        .assert()
        .success()
        .stderr(predicates::str::contains("older than").not());
}

#[test]
fn a_far_costlier_key_derivation_is_refused_without_a_terminal_until_accepted() {
    let env = Env::with_vault();
    env.add("Thunderbird", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    // Another vault, same passphrase, four times the passes, put in its place.
    let other = Env::new();
    other
        .aspen(&["init", "--insecure-kdf", "--kdf-time", "4"])
        .assert()
        .success();
    std::fs::copy(other.vault(), env.vault()).unwrap();
    env.aspen(&["list"])
        .assert()
        .code(5)
        .stderr(contains("was not unlocked"))
        .stderr(contains("far more than this machine has run for it"))
        .stderr(contains("--accept-cost"));
    env.aspen(&["--accept-cost", "list"]).assert().success();
    // Accepted once, the new cost is what this machine has seen.
    env.aspen(&["list"]).assert().success();
}

use predicates::prelude::PredicateBooleanExt;
