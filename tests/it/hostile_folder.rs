//! A vault folder someone else can write (a shared or synced folder): what they plant
//! there must not make aspen damage other files, hang, read without limit, or hide
//! the danger. Each test plants the real thing: links, FIFOs, devices, modes.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use crate::common;

use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use common::{Env, asp, is_root};

/// Waits for `child`, failing the test if it runs past `limit`: a hang is the bug.
pub(crate) fn finish_within(mut child: Child, limit: Duration, what: &str) -> Output {
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} still ran after {limit:?}: aspen hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs aspen with no stdin, stdout and stderr captured, at most 20 s.
fn run(env: &Env, args: &[&str]) -> Output {
    let child = env
        .process(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    finish_within(child, Duration::from_secs(20), &format!("aspen {args:?}"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn add_args(label: &str) -> Vec<String> {
    [
        "add",
        "--label",
        label,
        "--apple-id",
        "me@icloud.com",
        "--app",
        "Mail",
        "--password-stdin",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// `aspen add LABEL` with a password on stdin.
fn add(env: &Env, label: &str, password: &str) -> Output {
    let args = add_args(label);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.aspen(&args)
        .write_stdin(format!("{password}\n"))
        .output()
        .unwrap()
}

fn mkfifo(path: &Path) {
    rustix::fs::mkfifoat(rustix::fs::CWD, path, rustix::fs::Mode::from_raw_mode(0o600)).unwrap();
}

fn lock_file(env: &Env) -> std::path::PathBuf {
    env.path("data/aspen/vault.aspen.lock")
}

#[test]
fn a_link_planted_at_the_lock_file_never_truncates_its_target() {
    let env = Env::with_vault();
    let victim = env.path("bashrc");
    std::fs::write(&victim, "export PATH=$HOME/bin:$PATH\n").unwrap();
    std::fs::remove_file(lock_file(&env)).unwrap();
    symlink(&victim, lock_file(&env)).unwrap();
    let before = env.vault_bytes();

    let out = add(&env, "Mail", &asp(1));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(7), "{err}");
    assert!(
        err.contains("lock file") && err.contains("symbolic link"),
        "{err}"
    );
    assert!(err.contains("rm "), "the hint says how to remove it: {err}");
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "export PATH=$HOME/bin:$PATH\n"
    );
    assert_eq!(env.vault_bytes(), before, "nothing was saved");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Added"));
}

#[test]
fn a_lock_file_that_is_a_device_fifo_or_second_name_is_refused_at_once() {
    let env = Env::with_vault();
    // /dev/zero behind a link, a FIFO, and a hard link to the user's other vault.
    let other = env.path("other.aspen");
    std::fs::write(&other, "the user's other vault").unwrap();
    type Plant = Box<dyn Fn(&Path)>;
    let other_for_link = other.clone();
    let plants: [(&str, Plant); 3] = [
        (
            "symbolic link",
            Box::new(|p: &Path| symlink("/dev/zero", p).unwrap()),
        ),
        ("named pipe", Box::new(mkfifo)),
        (
            "2 names",
            Box::new(move |p: &Path| std::fs::hard_link(&other_for_link, p).unwrap()),
        ),
    ];
    for (expected, plant) in plants {
        let _ = std::fs::remove_file(lock_file(&env));
        plant(&lock_file(&env));
        let out = add(&env, "Mail", &asp(1));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(7), "{expected}: {err}");
        assert!(err.contains(expected), "{expected}: {err}");
    }
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "the user's other vault");
}

#[test]
fn a_fifo_or_device_at_the_vault_path_is_reported_not_waited_on() {
    let env = Env::with_vault();
    let vault = env.vault();
    std::fs::remove_file(&vault).unwrap();
    mkfifo(&vault);
    // A cron `aspen check` must return, with the reason.
    for args in [&["check"][..], &["list"]] {
        let out = run(&env, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(7), "{args:?}: {err}");
        assert!(
            err.contains("named pipe (FIFO); the vault must be a regular file"),
            "{err}"
        );
    }
    std::fs::remove_file(&vault).unwrap();
    symlink("/dev/zero", &vault).unwrap();
    let out = run(&env, &["list"]);
    assert!(stderr(&out).contains("is a device"), "{}", stderr(&out));
}

#[test]
fn a_vault_larger_than_any_vault_is_not_read() {
    let env = Env::with_vault();
    let f = std::fs::OpenOptions::new().write(true).open(env.vault()).unwrap();
    f.set_len(aspen::storage::MAX_VAULT_BYTES + 1).unwrap(); // sparse: costs no disk
    let out = run(&env, &["list"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("larger than any vault (256 MiB at most)"), "{err}");
}

/// The bound is derived from the largest vault aspen is measured at, 100,000 entries
/// (97 MiB in format 2): a file that size is read and judged by what it holds, not
/// refused for its size. `storage::a_vault_of_100_000_entries_opens` opens a real one.
#[test]
fn a_file_the_size_of_a_100_000_entry_vault_is_read() {
    let env = Env::with_vault();
    let f = std::fs::OpenOptions::new().write(true).open(env.vault()).unwrap();
    f.set_len(100 * 1000 * 1000).unwrap(); // the vault, then sparse zeros: no disk
    let out = run(&env, &["list"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(!err.contains("larger than any vault"), "{err}");
    assert!(err.contains("damaged"), "{err}");
}

#[test]
fn a_folder_at_the_vault_path_is_named_as_a_folder() {
    let env = Env::new();
    std::fs::create_dir_all(env.path("data/aspen/vault.aspen")).unwrap();
    for args in [&["init", "--insecure-kdf"][..], &["list"]] {
        let out = run(&env, args);
        let err = stderr(&out);
        assert!(
            err.contains("is a folder; the vault must be a regular file"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("already exists"), "{err}");
    }
}

/// A folder at `VAULT.bak` (planted, or made by mistake) cannot be replaced by a
/// rename: each save keeps the version it replaces as `VAULT.bak.N` instead, leaves
/// the folder as it is, and says so.
#[test]
fn a_folder_at_the_backup_path_is_left_alone_and_the_backup_kept_beside_it() {
    let env = Env::with_vault();
    let folder = env.backup();
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("theirs.txt"), "not aspen's").unwrap();
    let kept = |n: u32| env.path(&format!("data/aspen/vault.aspen.bak.{n}"));

    let before = env.vault_bytes();
    let out = add(&env, "Mail", &asp(1));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("vault.aspen.bak is a folder, not aspen's backup"),
        "{err}"
    );
    assert!(err.contains("vault.aspen.bak.N"), "{err}");
    assert_eq!(std::fs::read(kept(1)).unwrap(), before, "the backup, beside it");

    let first = before;
    let before = env.vault_bytes();
    let out = add(&env, "Other", &asp(2));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read(kept(2)).unwrap(), before);
    assert_eq!(std::fs::read(kept(1)).unwrap(), first, "an earlier one stays");

    // The folder is as it was.
    let names: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, ["theirs.txt"]);
    assert_eq!(std::fs::read(folder.join("theirs.txt")).unwrap(), b"not aspen's");
    // `check` names it as something to act on.
    let out = run(&env, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("vault.aspen.bak is a folder"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn config_and_passphrase_files_that_are_fifos_are_refused() {
    let env = Env::with_vault();
    std::fs::create_dir_all(env.path("config/aspen")).unwrap();
    mkfifo(&env.path("config/aspen/config.ron"));
    let out = run(&env, &["list"]);
    assert!(
        stderr(&out).contains("config.ron is a named pipe"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_file(env.path("config/aspen/config.ron")).unwrap();

    std::fs::remove_file(env.path("pass")).unwrap();
    mkfifo(&env.path("pass"));
    let out = run(&env, &["list"]);
    assert!(stderr(&out).contains("pass is a named pipe"), "{}", stderr(&out));
}

#[test]
fn files_others_can_write_are_warned_about_with_the_fix() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    let dir = env.path("data/aspen");
    assert!(env.backup().exists());
    let quiet = run(&env, &["list"]);
    assert!(!stderr(&quiet).contains("warning"), "{}", stderr(&quiet));

    std::fs::set_permissions(env.vault(), PermissionsExt::from_mode(0o666)).unwrap();
    std::fs::set_permissions(env.backup(), PermissionsExt::from_mode(0o620)).unwrap();
    std::fs::set_permissions(&dir, PermissionsExt::from_mode(0o777)).unwrap();
    let out = run(&env, &["list"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let vault = env.vault().display().to_string();
    let backup = env.backup().display().to_string();
    let dir = dir.display().to_string();
    for line in [
        format!(
            "warning: {vault} is writable by its group and by everyone: they could replace or delete it; fix: chmod go-w {vault}"
        ),
        format!(
            "warning: {backup} is writable by its group: they could replace or delete it; fix: chmod go-w {backup}"
        ),
        format!(
            "warning: the vault's folder {dir} is writable by its group and by everyone: they could replace or delete it; fix: chmod go-w {dir}"
        ),
    ] {
        assert!(err.lines().any(|l| l == line), "missing {line:?} in:\n{err}");
    }
    // `check` reports them as findings, for cron, and fails.
    let out = run(&env, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("chmod go-w"));
    let json = run(&env, &["check", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let kinds: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["kind"].as_str())
        .filter(|k| *k == "permissions")
        .collect();
    assert_eq!(kinds.len(), 3);

    // A sticky folder (like /tmp): others cannot rename or delete our files there,
    // and `chmod go-w` would break it, so it is not warned about.
    std::fs::set_permissions(env.path("data/aspen"), PermissionsExt::from_mode(0o1777)).unwrap();
    let err = stderr(&run(&env, &["list"]));
    assert!(!err.contains("the vault's folder"), "{err}");

    if is_root() {
        std::fs::set_permissions(env.vault(), PermissionsExt::from_mode(0o600)).unwrap();
        rustix::fs::chown(env.vault(), Some(rustix::fs::Uid::from_raw(4242)), None).unwrap();
        let err = stderr(&run(&env, &["list"]));
        assert!(
            err.contains(&format!("{vault} belongs to another user (uid 4242)")),
            "{err}"
        );
    }
}

#[test]
fn a_vault_made_read_only_is_not_replaced() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    std::fs::set_permissions(env.vault(), PermissionsExt::from_mode(0o444)).unwrap();
    let before = env.vault_bytes();
    let out = add(&env, "Other", &asp(2));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(7), "{err}");
    assert!(
        err.contains("is read-only (its write permission is off); nothing was written"),
        "{err}"
    );
    assert!(err.contains("chmod u+w"), "{err}");
    assert_eq!(env.vault_bytes(), before);
    assert_eq!(std::fs::metadata(env.vault()).unwrap().mode() & 0o777, 0o444);
    // Reading still works.
    assert!(env.stdout(&["list"]).contains("Mail"));
}

#[test]
fn a_missing_vault_with_a_backup_says_how_to_restore_it_and_init_refuses() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    // The .bak holds the version before the last save: the one with Mail.
    env.add("Other", "me@icloud.com", "Mail", &asp(2), "2026-01-01");
    let bak = std::fs::read(env.backup()).unwrap();
    std::fs::remove_file(env.vault()).unwrap();

    let out = run(&env, &["list"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("its backup") && err.contains("vault.aspen.bak"),
        "{err}"
    );
    assert!(
        !err.contains("aspen init"),
        "no advice that would lose the backup: {err}"
    );

    let out = run(&env, &["init", "--insecure-kdf"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("will not create a new vault beside it"), "{err}");
    assert!(!env.vault().exists());
    assert_eq!(std::fs::read(env.backup()).unwrap(), bak);

    // The suggested command, run as printed, brings the vault back.
    let command = err
        .split('`')
        .nth(1)
        .unwrap_or_else(|| panic!("no command in {err}"));
    assert!(command.starts_with("cp -p "), "{command}");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .status()
        .unwrap();
    assert!(status.success());
    assert!(env.stdout(&["list"]).contains("Mail"));
}

#[test]
fn a_backup_the_new_passphrase_cannot_open_is_kept_not_replaced() {
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Mail", &asp(1), "2026-01-01");
    std::fs::write(env.path("new-pass"), "another long passphrase here\n").unwrap();
    env.aspen(&[
        "passwd",
        "--new-passphrase-file",
        env.path("new-pass").to_str().unwrap(),
    ])
    .assert()
    .success();
    // The .bak is the vault before passwd: it opens with the old passphrase only.
    let old_key_backup = std::fs::read(env.backup()).unwrap();
    std::fs::copy(env.path("new-pass"), env.path("pass")).unwrap();
    env.add("Other", "me@icloud.com", "Mail", &asp(2), "2026-01-02");
    let kept = env.path("data/aspen/vault.aspen.bak.1");
    assert_eq!(
        std::fs::read(&kept).unwrap(),
        old_key_backup,
        "kept aside, unchanged"
    );
    // Further saves under the new passphrase replace the .bak as usual.
    env.add("Third", "me@icloud.com", "Mail", &asp(3), "2026-01-03");
    assert!(!env.path("data/aspen/vault.aspen.bak.2").exists());

    // With the vault gone, the old-passphrase backup still opens with that passphrase.
    let out = env
        .aspen(&["--vault", kept.to_str().unwrap(), "list"])
        .env("ASPEN_PASSPHRASE_FILE", env.path("old-pass"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(7),
        "no old-pass file yet: {}",
        stderr(&out)
    );
    std::fs::write(env.path("old-pass"), format!("{}\n", common::PASSPHRASE)).unwrap();
    let out = env
        .aspen(&["--vault", kept.to_str().unwrap(), "list"])
        .env("ASPEN_PASSPHRASE_FILE", env.path("old-pass"))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Mail"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn hints_quote_paths_a_shell_would_split() {
    let env = Env::new();
    let dir = env.path("my vaults; rm -rf ~");
    std::fs::create_dir_all(&dir).unwrap();
    let vault = dir.join("vault.aspen");
    let vault_arg = vault.to_str().unwrap();
    env.aspen(&["--vault", vault_arg, "init", "--insecure-kdf"])
        .assert()
        .success();
    env.aspen(&[
        "--vault",
        vault_arg,
        "add",
        "--label",
        "Mail",
        "--apple-id",
        "me@icloud.com",
        "--app",
        "Mail",
        "--password-stdin",
    ])
    .write_stdin(format!("{}\n", asp(1)))
    .assert()
    .success();
    // Damage the vault: the hint names the backup in commands to paste.
    let mut bytes = std::fs::read(&vault).unwrap();
    let n = bytes.len();
    bytes[n - 100] ^= 0x20;
    std::fs::write(&vault, &bytes).unwrap();
    let out = env.aspen(&["--vault", vault_arg, "list"]).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    let quoted = format!("'{}.bak'", vault.display());
    assert!(err.contains(&format!("`aspen --vault {quoted} list`")), "{err}");
    assert!(
        err.contains(&format!("`cp -p {quoted} '{}'`", vault.display())),
        "{err}"
    );
}
