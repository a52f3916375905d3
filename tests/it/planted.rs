//! Names and folders someone else planted beside the vault (issue 18): a conflict
//! copy whose name holds escape sequences, a vault folder whose name does, a
//! `VAULT.merged` that is a link, a file or someone else's folder, and Apple's list
//! at its largest. What reaches the terminal is escaped, a suggested command names
//! the very file when pasted, and a refusal comes before anything is written.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{Env, asp, is_root, require_tool};

/// A vault in its own folder, with one entry, run with `--vault`.
struct Desk {
    env: Env,
    folder: tempfile::TempDir,
    vault: PathBuf,
}

impl Desk {
    fn new() -> Self {
        Self::in_folder("")
    }

    /// The vault in `sub` (a folder made inside the temp folder) when not empty.
    fn in_folder(sub: &str) -> Self {
        let folder = tempfile::tempdir().unwrap();
        let dir = folder.path().join(sub);
        std::fs::create_dir_all(&dir).unwrap();
        let desk = Self {
            env: Env::new(),
            folder,
            vault: dir.join("vault.aspen"),
        };
        assert!(desk.run(&["init", "--insecure-kdf"]).status.success());
        desk.add("Thunderbird", 1);
        desk
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = self.env.process(&["--vault"]);
        cmd.arg(&self.vault).args(args);
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// `aspen merge FILE`, the name given as bytes.
    fn merge(&self, file: &Path) -> Output {
        self.command(&["merge"]).arg(file).output().unwrap()
    }

    fn add(&self, label: &str, n: usize) {
        add(&self.env, &self.vault, label, n);
    }

    /// A conflict copy named `name` beside the vault, changed on "the laptop".
    fn copy_changed_elsewhere(&self, name: &OsStr) -> PathBuf {
        let copy = self.vault.with_file_name(name);
        std::fs::copy(&self.vault, &copy).unwrap();
        add(&Env::new(), &copy, "iPad", 3);
        copy
    }

    fn merged_dir(&self) -> PathBuf {
        self.vault.with_file_name("vault.aspen.merged")
    }
}

/// `aspen add` on `vault` as the machine whose home is `env`.
fn add(env: &Env, vault: &Path, label: &str, n: usize) {
    let mut cmd = env.process(&["--vault"]);
    cmd.arg(vault).args([
        "add",
        "--label",
        label,
        "--apple-id",
        "me@icloud.com",
        "--app",
        "Mail",
        "--password-stdin",
    ]);
    let out = assert_cmd::Command::from_std(cmd)
        .write_stdin(format!("{}\n", asp(n)))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Bytes a terminal acts on, or that stand for a name it cannot show: C0 controls
/// but the line break, DEL, and what is not UTF-8 (C1 controls and invisible
/// characters are checked by the callers that plant them).
fn raw_control(out: &[u8]) -> Option<u8> {
    if std::str::from_utf8(out).is_err() {
        return Some(0xff);
    }
    out.iter()
        .copied()
        .find(|&b| (b < 0x20 && b != b'\n') || b == 0x7f)
}

fn assert_shown_safely(out: &[u8], what: &str) {
    assert_eq!(
        raw_control(out),
        None,
        "{what} reached the terminal raw: {:?}",
        text(out)
    );
    assert!(
        !text(out).contains('\u{202e}') && !text(out).contains('\u{9b}'),
        "{what}: {}",
        text(out)
    );
}

/// What `bash` makes of `word` pasted as one argument: the bytes it passes on.
fn pasted(word: &str) -> Vec<u8> {
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("printf '%s' {word}"))
        .output()
        .unwrap();
    assert!(out.status.success(), "bash refused {word}: {}", text(&out.stderr));
    out.stdout
}

/// The text between `start` and the next `end` after it.
fn between<'a>(haystack: &'a str, start: &str, end: &str) -> &'a str {
    let from = haystack
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in {haystack}"))
        + start.len();
    let to = haystack[from..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?} in {haystack}"));
    &haystack[from..from + to]
}

/// Dropbox puts the machine owner's name in the copy's name: anything can be there.
fn hostile_copy_names() -> Vec<OsString> {
    let dropbox = |who: &[u8]| {
        let mut name = b"vault (".to_vec();
        name.extend_from_slice(who);
        name.extend_from_slice(b"'s conflicted copy 2026-11-29).aspen");
        OsString::from_vec(name)
    };
    vec![
        // Retitles the window, then rings the bell.
        dropbox(b"J\x1b]0;pwned\x07ane"),
        // Clears the screen and writes over the warning.
        dropbox(b"x\x1b[2J\x1b[Hnothing to merge\r"),
        // A right-to-left override: the rest reads backwards.
        dropbox("Jane\u{202e}".as_bytes()),
        // A C1 control (CSI in one character) and a name that is not UTF-8.
        dropbox("J\u{9b}2J".as_bytes()),
        dropbox(b"J\xffane"),
    ]
}

#[test]
fn a_conflict_copys_planted_name_is_shown_escaped_and_the_suggested_merge_names_it() {
    let bash = require_tool("bash").is_some();
    for name in hostile_copy_names() {
        let desk = Desk::new();
        let copy = desk.copy_changed_elsewhere(&name);
        let list = desk.run(&["list"]);
        assert!(list.status.success(), "{}", text(&list.stderr));
        let check = desk.run(&["check"]);
        assert_eq!(check.status.code(), Some(1), "{}", text(&check.stderr));
        for (out, what) in [(&list.stderr, "list's warning"), (&check.stdout, "check")] {
            assert_shown_safely(out, &format!("{what} for {name:?}"));
            let said = text(out);
            assert!(said.contains("left a conflicting copy"), "{said}");
            let word = between(&said, "`aspen merge ", "` merges it in");
            if bash {
                assert_eq!(pasted(word), copy.as_os_str().as_bytes(), "{what}: {word}");
            }
        }
        let merged = desk.merge(&copy);
        assert!(merged.status.success(), "{}", text(&merged.stderr));
        assert_shown_safely(&merged.stderr, &format!("merge of {name:?}"));
        assert!(text(&merged.stderr).contains("Moved the merged copy"));
        assert!(
            desk.merged_dir().join(&name).is_file(),
            "set aside under its own name, {name:?}"
        );
    }
}

#[test]
fn a_hint_for_a_vault_in_a_folder_with_escapes_in_its_name_restores_it_when_pasted() {
    if require_tool("bash").is_none() {
        return;
    }
    let desk = Desk::in_folder("a\x1b[2Jb\u{202e}c");
    desk.add("Mac", 2);
    std::fs::remove_file(&desk.vault).unwrap();
    let missing = desk.run(&["list"]);
    assert_eq!(missing.status.code(), Some(3));
    assert_shown_safely(&missing.stderr, "the missing vault's error and hint");
    let said = text(&missing.stderr);
    let command = between(&said, "restore the last saved version with `", "`");
    let out = Command::new("bash").arg("-c").arg(command).output().unwrap();
    assert!(out.status.success(), "{command}: {}", text(&out.stderr));
    let list = desk.run(&["list", "--json"]);
    assert!(list.status.success(), "{}", text(&list.stderr));
    assert!(text(&list.stdout).contains("Thunderbird"));
}

/// A conflict copy to merge, and what must stay as it is when the merge is refused.
fn refused_before_anything_is_written(desk: &Desk, copy: &Path, expect: &str) -> String {
    let before = std::fs::read(&desk.vault).unwrap();
    let copy_before = std::fs::read(copy).unwrap();
    let out = desk.merge(copy);
    let said = text(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{said}");
    assert!(said.contains("vault.aspen.merged"), "{said}");
    assert!(said.contains(expect), "{expect}: {said}");
    assert!(said.contains("hint: "), "{said}");
    assert_eq!(
        std::fs::read(&desk.vault).unwrap(),
        before,
        "nothing saved: {said}"
    );
    assert_eq!(std::fs::read(copy).unwrap(), copy_before, "the copy stays");
    said
}

#[test]
fn a_merged_folder_that_is_a_link_or_a_file_is_refused_before_the_merge_saves() {
    let desk = Desk::new();
    let copy = desk.copy_changed_elsewhere(OsStr::new("vault 2.aspen"));
    let elsewhere = desk.folder.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    symlink(&elsewhere, desk.merged_dir()).unwrap();
    refused_before_anything_is_written(&desk, &copy, "symbolic link");
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    assert!(desk.merged_dir().is_symlink());

    std::fs::remove_file(desk.merged_dir()).unwrap();
    std::fs::write(desk.merged_dir(), "mine").unwrap();
    refused_before_anything_is_written(&desk, &copy, "not a folder");
    assert_eq!(std::fs::read(desk.merged_dir()).unwrap(), b"mine");
}

#[test]
fn a_merged_folder_others_can_write_or_own_is_refused_before_the_merge_saves() {
    let desk = Desk::new();
    let copy = desk.copy_changed_elsewhere(OsStr::new("vault 2.aspen"));
    std::fs::create_dir(desk.merged_dir()).unwrap();
    std::fs::set_permissions(desk.merged_dir(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let said = refused_before_anything_is_written(&desk, &copy, "writable by");
    assert!(said.contains("chmod go-w"), "{said}");
    if is_root() {
        std::fs::set_permissions(desk.merged_dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
        std::os::unix::fs::chown(desk.merged_dir(), Some(65534), Some(65534)).unwrap();
        refused_before_anything_is_written(&desk, &copy, "another user");
    }
    // A folder of one's own, closed to others, takes the copy.
    std::fs::remove_dir(desk.merged_dir()).unwrap();
    let out = desk.merge(&copy);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let meta = std::fs::symlink_metadata(desk.merged_dir()).unwrap();
    assert!(meta.is_dir());
    assert_eq!(meta.mode() & 0o777, 0o700);
    assert!(desk.merged_dir().join("vault 2.aspen").is_file());
}

#[test]
fn apple_list_of_a_mebibyte_of_short_labels_parses_whole() {
    // ~140,000 labels of 3 to 7 characters: a quadratic duplicate check took minutes.
    let mut listing = String::new();
    let mut n = 0usize;
    while listing.len() < 1024 * 1024 - 16 {
        listing.push_str(&format!("L{n:x}\n"));
        n += 1;
    }
    let listed = aspen::model::parse_listed(&listing).unwrap();
    assert_eq!(listed.len(), n);
    assert_eq!(listed[0].label, "L0");
    assert_eq!(listed[n - 1].label, format!("L{:x}", n - 1));
    // The same label twice is still found, and named by its line.
    listing.push_str("L2a\n");
    let err = aspen::model::parse_listed(&listing).unwrap_err();
    assert!(
        err.starts_with(&format!("line {}: \"L2a\" is listed twice", n + 1)),
        "{err}"
    );
}

const ATTRIBUTE: &str = "*.aspen merge=aspen diff=aspen";

/// A vault in a git repository of its own; `None` (the test skipped) without git.
fn in_repository() -> Option<Desk> {
    require_tool("git")?;
    let desk = Desk::new();
    let out = Command::new("git")
        .args(["init", "-q"])
        .current_dir(desk.folder.path())
        .env("HOME", desk.env.dir.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    Some(desk)
}

impl Desk {
    fn attributes(&self) -> PathBuf {
        self.folder.path().join(".gitattributes")
    }

    /// `aspen git-setup`, at most 20 s: a FIFO that blocked it would be the bug.
    fn git_setup(&self) -> Output {
        let child = self
            .command(&["git-setup"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        crate::hostile_folder::finish_within(child, std::time::Duration::from_secs(20), "git-setup")
    }

    /// git-setup refused with `code`, saying `expect`, and wrote nothing: not the
    /// attributes, not the repository's config.
    fn git_setup_refused(&self, code: i32, expect: &str) {
        let out = self.git_setup();
        let said = text(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{said}");
        assert!(
            said.contains(".gitattributes") && said.contains(expect),
            "{expect}: {said}"
        );
        assert!(said.contains("hint: "), "{said}");
        let config = std::fs::read_to_string(self.folder.path().join(".git/config")).unwrap();
        assert!(!config.contains("aspen"), "{config}");
    }
}

#[test]
fn a_gitattributes_that_is_a_link_or_no_regular_file_is_refused_not_followed() {
    let Some(desk) = in_repository() else {
        return;
    };
    // A committed link would make the secret beside it the repository's attributes.
    let secret = desk.folder.path().join("secret.txt");
    std::fs::write(&secret, "top secret\n").unwrap();
    symlink("secret.txt", desk.attributes()).unwrap();
    desk.git_setup_refused(7, "symbolic link");
    assert!(desk.attributes().is_symlink());
    assert_eq!(std::fs::read(&secret).unwrap(), b"top secret\n");

    std::fs::remove_file(desk.attributes()).unwrap();
    rustix::fs::mkfifoat(
        rustix::fs::CWD,
        desk.attributes(),
        rustix::fs::Mode::from_raw_mode(0o600),
    )
    .unwrap();
    desk.git_setup_refused(7, "named pipe");
    std::fs::remove_file(desk.attributes()).unwrap();
    std::fs::create_dir(desk.attributes()).unwrap();
    desk.git_setup_refused(7, "a folder");
}

#[test]
fn a_gitattributes_aspen_could_not_write_back_as_it_was_is_refused_not_replaced() {
    let Some(desk) = in_repository() else {
        return;
    };
    let latin1 = b"*.txt text\n# Caf\xe9\n".to_vec();
    std::fs::write(desk.attributes(), &latin1).unwrap();
    desk.git_setup_refused(2, "not UTF-8");
    assert_eq!(std::fs::read(desk.attributes()).unwrap(), latin1);

    let huge = vec![b'#'; 1024 * 1024 + 1];
    std::fs::write(desk.attributes(), &huge).unwrap();
    desk.git_setup_refused(2, "larger than 1 MiB");
    assert_eq!(std::fs::read(desk.attributes()).unwrap(), huge);
}

#[test]
fn git_setup_adds_its_line_keeping_the_file_and_its_mode() {
    let Some(desk) = in_repository() else {
        return;
    };
    let out = desk.git_setup();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let meta = std::fs::symlink_metadata(desk.attributes()).unwrap();
    assert_eq!(
        meta.mode() & 0o777,
        0o644,
        "a new one is readable by all: it is committed"
    );
    assert_eq!(
        std::fs::read_to_string(desk.attributes()).unwrap(),
        format!("{ATTRIBUTE}\n")
    );

    std::fs::write(desk.attributes(), "*.txt text").unwrap();
    std::fs::set_permissions(desk.attributes(), std::fs::Permissions::from_mode(0o664)).unwrap();
    let out = desk.git_setup();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let kept = format!("*.txt text\n{ATTRIBUTE}\n");
    assert_eq!(std::fs::read_to_string(desk.attributes()).unwrap(), kept);
    let meta = std::fs::symlink_metadata(desk.attributes()).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o664);
    let again = desk.git_setup();
    assert!(
        text(&again.stderr).contains("Already in"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(std::fs::read_to_string(desk.attributes()).unwrap(), kept);
}
