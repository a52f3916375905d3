//! One vault on several machines (issue 14), with real files and real git: conflict
//! copies named as each sync tool names them, `aspen merge`, and a git repository
//! with two clones whose `git pull` runs aspen's merge driver.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use predicates::str::contains;

use crate::common::{Env, asp, require_tool};

/// A machine: its own home (so its own machine id), working on the vault at `vault`.
struct Machine {
    env: Env,
    vault: PathBuf,
}

impl Machine {
    fn new(vault: &Path) -> Self {
        Self {
            env: Env::new(),
            vault: vault.to_path_buf(),
        }
    }

    fn run(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        let mut all = vec!["--vault", self.vault.to_str().unwrap()];
        all.extend_from_slice(args);
        self.env.aspen(&all).assert()
    }

    fn add(&self, label: &str, n: usize) {
        let mut all = vec!["--vault", self.vault.to_str().unwrap()];
        all.extend_from_slice(&[
            "add",
            "--label",
            label,
            "--apple-id",
            "me@icloud.com",
            "--app",
            "Mail",
            "--password-stdin",
        ]);
        self.env
            .aspen(&all)
            .write_stdin(format!("{}\n", asp(n)))
            .assert()
            .success();
    }

    fn on(&self, vault: &Path) -> Machine {
        Machine {
            env: Env::new(),
            vault: vault.to_path_buf(),
        }
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.run(args).get_output().stdout.clone();
        serde_json::from_slice(&out).unwrap()
    }

    fn notes(&self, label: &str) -> String {
        let list = self.json(&["list", "--json"]);
        list.as_array()
            .unwrap()
            .iter()
            .find(|e| e["label"] == label)
            .map(|e| e["notes"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("no {label} in {list}"))
    }

    fn labels(&self) -> Vec<String> {
        let list = self.json(&["list", "--json"]);
        list.as_array()
            .unwrap()
            .iter()
            .map(|e| e["label"].as_str().unwrap().to_owned())
            .collect()
    }
}

#[test]
fn conflict_copies_of_each_sync_tool_are_named_merged_and_set_aside() {
    for copy_name in [
        "vault.sync-conflict-20261129-101500-ABCDEF1.aspen",
        "vault (Jane's conflicted copy 2026-11-29).aspen",
        "vault (conflicted copy 2026-11-29 101500).aspen",
        "vault 2.aspen",
    ] {
        let folder = tempfile::tempdir().unwrap();
        let vault = folder.path().join("vault.aspen");
        let desk = Machine::new(&vault);
        desk.run(&["init", "--insecure-kdf"]).success();
        desk.add("Thunderbird", 1);
        desk.add("Mac", 2);
        // Both machines change the vault; the sync tool keeps the laptop's as a copy.
        let copy = folder.path().join(copy_name);
        std::fs::copy(&vault, &copy).unwrap();
        let laptop = desk.on(&copy);
        laptop
            .run(&["edit", "Mac", "--notes", "from the laptop"])
            .success();
        laptop.add("iPad", 3);
        desk.run(&["edit", "Thunderbird", "--notes", "from the desk"])
            .success();

        desk.run(&["check"])
            .code(1)
            .stdout(contains("left a conflicting copy of the vault"))
            .stdout(contains(copy_name));
        desk.run(&["list"]).success().stderr(contains(copy_name));

        desk.run(&["merge", copy.to_str().unwrap()])
            .success()
            .stderr(contains("added \"iPad\""))
            .stderr(contains("changed \"Mac\""))
            .stderr(contains("Moved the merged copy"));
        assert_eq!(desk.notes("Mac"), "from the laptop", "{copy_name}");
        assert_eq!(desk.notes("Thunderbird"), "from the desk", "{copy_name}");
        assert!(desk.labels().contains(&"iPad".to_owned()));
        assert!(!copy.exists(), "the copy was moved aside, {copy_name}");
        assert!(folder.path().join("vault.aspen.merged").join(copy_name).is_file());
        let check = desk.run(&["check"]).get_output().stdout.clone();
        assert!(!String::from_utf8_lossy(&check).contains("conflicting copy"));
    }
}

#[test]
fn a_field_changed_on_both_machines_is_a_conflict_to_resolve() {
    let folder = tempfile::tempdir().unwrap();
    let vault = folder.path().join("vault.aspen");
    let desk = Machine::new(&vault);
    desk.run(&["init", "--insecure-kdf"]).success();
    desk.add("Mac", 2);
    let copy = folder.path().join("vault 2.aspen");
    std::fs::copy(&vault, &copy).unwrap();
    desk.on(&copy)
        .run(&["edit", "Mac", "--notes", "laptop"])
        .success();
    desk.run(&["edit", "Mac", "--notes", "desk"]).success();
    desk.run(&["merge", copy.to_str().unwrap()])
        .success()
        .stderr(contains("conflicts to resolve in \"Mac\""));
    desk.run(&["conflicts"])
        .code(1)
        .stdout(contains("the notes differ"));
    desk.run(&["check"]).code(1).stdout(contains("conflict"));
    desk.run(&["resolve", "Mac", "--keep", "theirs"]).success();
    assert_eq!(desk.notes("Mac"), "laptop");
    desk.run(&["conflicts"]).success();
}

#[test]
fn merge_moves_entries_out_of_a_vault_with_another_passphrase() {
    let folder = tempfile::tempdir().unwrap();
    let real = Machine::new(&folder.path().join("real.aspen"));
    real.run(&["init", "--insecure-kdf"]).success();
    real.add("Thunderbird", 1);
    let scratch_path = folder.path().join("scratch.aspen");
    let scratch = real.on(&scratch_path);
    std::fs::write(scratch.env.path("pass"), "another passphrase\n").unwrap();
    scratch.run(&["init", "--insecure-kdf"]).success();
    scratch.add("Outlook", 7);
    let other_pass = folder.path().join("other-pass");
    std::fs::write(&other_pass, "another passphrase\n").unwrap();
    // Another vault altogether: merged only when the user says so.
    real.run(&[
        "merge",
        scratch_path.to_str().unwrap(),
        "--other-passphrase-file",
        other_pass.to_str().unwrap(),
    ])
    .code(2)
    .stderr(contains("a copy of another vault"));
    real.run(&[
        "merge",
        "--other-vault",
        scratch_path.to_str().unwrap(),
        "--other-passphrase-file",
        other_pass.to_str().unwrap(),
    ])
    .success()
    .stderr(contains("added \"Outlook\""));
    assert_eq!(real.labels(), vec!["Outlook", "Thunderbird"]);
    assert!(
        scratch_path.exists(),
        "a vault that is no conflict copy stays where it is"
    );
    // The wrong passphrase for the other file is refused, and nothing is written.
    std::fs::write(&other_pass, "wrong\n").unwrap();
    let before = std::fs::read(&real.vault).unwrap();
    real.run(&[
        "merge",
        scratch_path.to_str().unwrap(),
        "--other-passphrase-file",
        other_pass.to_str().unwrap(),
    ])
    .code(4)
    .stderr(contains("wrong passphrase"));
    assert_eq!(std::fs::read(&real.vault).unwrap(), before);
    real.run(&["merge", real.vault.to_str().unwrap()])
        .failure()
        .stderr(contains("is the vault itself"));
}

/// `git` with a fixed identity and no user or system config but the repository's.
fn git(dir: &Path, home: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .current_dir(dir)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .env("ASPEN_PASSPHRASE_FILE", home.join("pass"))
        .env("ASPEN_TODAY", crate::common::TODAY)
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Two clones of a bare repository holding the vault, each set up with `aspen
/// git-setup`, each a machine of its own.
fn two_clones(root: &Path) -> (Machine, Machine) {
    ok(git(root, root, &["init", "-q", "--bare", "remote.git"]));
    ok(git(root, root, &["clone", "-q", "remote.git", "one"]));
    let one = Machine::new(&root.join("one/vault.aspen"));
    one.run(&["init", "--insecure-kdf"]).success();
    one.add("Thunderbird", 1);
    one.add("Mac", 2);
    std::fs::write(root.join("one/.gitignore"), "*.bak*\n*.lock\n").unwrap();
    one.run(&["git-setup"])
        .success()
        .stderr(contains("*.aspen merge=aspen diff=aspen"))
        .stderr(contains("merge-driver %O %A %B"));
    let home = one.env.dir.path();
    ok(git(&root.join("one"), home, &["add", "-A"]));
    ok(git(&root.join("one"), home, &["commit", "-qm", "vault"]));
    ok(git(&root.join("one"), home, &["push", "-q", "origin", "HEAD"]));
    ok(git(root, home, &["clone", "-q", "remote.git", "two"]));
    let two = Machine::new(&root.join("two/vault.aspen"));
    two.run(&["git-setup"]).success();
    (one, two)
}

#[test]
fn git_pull_merges_two_clones_changes_entry_by_entry() {
    if require_tool("git").is_none() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let (one, two) = two_clones(root.path());
    let (one_dir, two_dir) = (root.path().join("one"), root.path().join("two"));
    two.run(&["edit", "Mac", "--notes", "from two"]).success();
    two.add("iPad", 3);
    ok(git(&two_dir, two.env.dir.path(), &["commit", "-qam", "two"]));
    ok(git(
        &two_dir,
        two.env.dir.path(),
        &["push", "-q", "origin", "HEAD"],
    ));
    one.run(&["edit", "Thunderbird", "--notes", "from one"]).success();
    ok(git(&one_dir, one.env.dir.path(), &["commit", "-qam", "one"]));

    let pulled = git(
        &one_dir,
        one.env.dir.path(),
        &["pull", "--no-rebase", "-q", "origin", "HEAD"],
    );
    let said = String::from_utf8_lossy(&pulled.stderr).into_owned();
    assert!(pulled.status.success(), "{said}");
    assert!(said.contains("aspen: merged the vault"), "{said}");
    assert_eq!(one.notes("Mac"), "from two");
    assert_eq!(one.notes("Thunderbird"), "from one");
    assert_eq!(one.labels(), vec!["iPad", "Mac", "Thunderbird"]);
    // git diff shows labels and statuses through aspen textconv, never a password.
    let diff = ok(git(
        &one_dir,
        one.env.dir.path(),
        &["diff", "HEAD~1", "HEAD", "--", "vault.aspen"],
    ));
    assert!(diff.contains("+me@icloud.com | iPad | created"), "{diff}");
    assert!(!diff.contains(&asp(3)), "{diff}");
}

#[test]
fn a_real_conflict_in_git_leaves_a_vault_that_opens_with_the_conflict_marked() {
    if require_tool("git").is_none() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let (one, two) = two_clones(root.path());
    let (one_dir, two_dir) = (root.path().join("one"), root.path().join("two"));
    two.run(&["edit", "Mac", "--notes", "two says"]).success();
    ok(git(&two_dir, two.env.dir.path(), &["commit", "-qam", "two"]));
    ok(git(
        &two_dir,
        two.env.dir.path(),
        &["push", "-q", "origin", "HEAD"],
    ));
    one.run(&["edit", "Mac", "--notes", "one says"]).success();
    ok(git(&one_dir, one.env.dir.path(), &["commit", "-qam", "one"]));

    let pulled = git(
        &one_dir,
        one.env.dir.path(),
        &["pull", "--no-rebase", "-q", "origin", "HEAD"],
    );
    let said = String::from_utf8_lossy(&pulled.stderr).into_owned();
    assert!(!pulled.status.success(), "git stops for the user: {said}");
    assert!(said.contains("conflicts to resolve in \"Mac\""), "{said}");
    // The vault in the work tree opens, shows one value and keeps the other.
    assert_eq!(one.notes("Mac"), "one says");
    one.run(&["conflicts"])
        .code(1)
        .stdout(contains("the notes differ"));
    one.run(&["resolve", "Mac", "--keep", "theirs"]).success();
    assert_eq!(one.notes("Mac"), "two says");
    ok(git(&one_dir, one.env.dir.path(), &["add", "vault.aspen"]));
    ok(git(&one_dir, one.env.dir.path(), &["commit", "-qm", "merged"]));
}

#[test]
fn two_new_passwords_for_one_entry_are_both_kept_and_the_other_one_can_be_read() {
    let folder = tempfile::tempdir().unwrap();
    let vault = folder.path().join("vault.aspen");
    let desk = Machine::new(&vault);
    desk.run(&["init", "--insecure-kdf"]).success();
    desk.add("Mac", 2);
    let copy = folder
        .path()
        .join("vault.sync-conflict-20261129-101500-ABCDEF1.aspen");
    std::fs::copy(&vault, &copy).unwrap();
    let laptop = desk.on(&copy);
    let regenerate = |m: &Machine, n: usize| {
        let mut all = vec!["--vault", m.vault.to_str().unwrap()];
        all.extend_from_slice(&["regenerate", "Mac", "--password-stdin"]);
        m.env
            .aspen(&all)
            .write_stdin(format!("{}\n", asp(n)))
            .assert()
            .success();
    };
    regenerate(&laptop, 20);
    regenerate(&desk, 10);
    desk.run(&["merge", copy.to_str().unwrap()]).success();
    desk.run(&["conflicts"])
        .code(1)
        .stdout(contains("another new password"))
        .stdout(contains("reveal LABEL --other"));
    let shown = desk.run(&["reveal", "Mac"]).get_output().stdout.clone();
    let other = desk
        .run(&["reveal", "Mac", "--other"])
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(shown).unwrap().trim(), asp(10));
    assert_eq!(String::from_utf8(other).unwrap().trim(), asp(20));
}
