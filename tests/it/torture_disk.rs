//! A real full disk and a real read-only file system: a small tmpfs mounted for the
//! test (root only; CI runs as root). At every level of free space an `aspen add`
//! either succeeds whole or fails with exit 7 and the old vault intact, with no
//! temp file left behind.
#![allow(clippy::unwrap_used, clippy::disallowed_methods, clippy::disallowed_macros)]

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use aspen::secret::SecretString;
use aspen::vault_file;
use common::{Env, PASSPHRASE, asp};

/// A tmpfs of `kib` KiB on a fresh folder, unmounted on drop (panics included).
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(kib: u32) -> Option<Self> {
        if !common::is_root() {
            assert!(
                !common::system_tests_required(),
                "mounting a tmpfs needs root, and ASPEN_REQUIRE_SYSTEM_TESTS=1"
            );
            eprintln!("SKIPPED: mounting a tmpfs needs root (CI runs as root)");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k,mode=0700"), "tmpfs"])
            .arg(dir.path())
            .status()
            .unwrap()
            .success();
        assert!(ok, "mount -t tmpfs failed");
        Some(Self { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, opt: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{opt}")])
            .arg(self.path())
            .status()
            .unwrap()
            .success();
        assert!(ok, "remount {opt} failed");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn add(env: &Env, vault: &Path, label: &str, n: usize) -> std::process::Output {
    env.aspen(&[
        "add",
        "--vault",
        vault.to_str().unwrap(),
        "--label",
        label,
        "--apple-id",
        "me@icloud.com",
        "--app",
        "Mail",
        "--notes",
        &"n".repeat(300),
        "--password-stdin",
    ])
    .write_stdin(format!("{}\n", asp(n)))
    .output()
    .unwrap()
}

fn others(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !["vault.aspen", "vault.aspen.bak", "vault.aspen.lock", "filler"].contains(&n.as_str()))
        .collect()
}

fn labels(vault: &Path) -> Vec<String> {
    let bytes = std::fs::read(vault).unwrap();
    let (v, _) = vault_file::decode(&bytes, &SecretString::from(PASSPHRASE)).unwrap();
    v.entries.iter().map(|e| e.label.clone()).collect()
}

#[test]
fn at_every_level_of_free_space_a_save_is_whole_or_refused() {
    let Some(fs) = Tmpfs::mount(64) else { return };
    let env = Env::with_vault();
    for n in 0..6 {
        env.add(&format!("app{n}"), "me@icloud.com", "Mail", &asp(n), "2026-01-01");
    }
    let seed = env.vault_bytes();
    let vault: PathBuf = fs.path().join("vault.aspen");
    let filler = fs.path().join("filler");
    let (mut saved, mut refused) = (0, 0);
    // From "room for everything" down to "no room at all", 1 KiB at a time.
    for fill_kib in 0..=64 {
        std::fs::remove_file(&filler).ok();
        std::fs::remove_file(fs.path().join("vault.aspen.bak")).ok();
        std::fs::write(&vault, &seed).unwrap();
        // Putting the seed back is a rollback this machine would rightly name.
        let _ = std::fs::remove_dir_all(env.path(".local/state/aspen"));
        // Fill as far as the file system lets us; a short write is the point.
        let _ = std::fs::write(&filler, vec![0u8; fill_kib * 1024]);
        let before = std::fs::read(&vault).unwrap();
        let out = add(&env, &vault, "New", 99);
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => {
                assert!(labels(&vault).contains(&"New".to_owned()));
                saved += 1;
            }
            Some(7) => {
                assert!(
                    stderr.contains("not enough space"),
                    "filler {fill_kib} KiB: {stderr}"
                );
                assert!(stderr.contains("unchanged"), "{stderr}");
                assert_eq!(
                    std::fs::read(&vault).unwrap(),
                    before,
                    "filler {fill_kib} KiB: vault changed"
                );
                refused += 1;
            }
            other => panic!("filler {fill_kib} KiB: exit {other:?}: {stderr}"),
        }
        assert!(
            others(fs.path()).is_empty(),
            "left behind: {:?}",
            others(fs.path())
        );
    }
    eprintln!("full disk: {saved} saves whole, {refused} refused with the vault intact, 0 partial");
    assert!(
        saved > 0 && refused > 0,
        "the levels did not cross the full point"
    );
}

#[test]
fn a_read_only_file_system_leaves_the_vault_intact() {
    let Some(fs) = Tmpfs::mount(256) else { return };
    let env = Env::with_vault();
    let vault = fs.path().join("vault.aspen");
    std::fs::write(&vault, env.vault_bytes()).unwrap();
    fs.remount("ro");
    let before = std::fs::read(&vault).unwrap();
    let out = add(&env, &vault, "New", 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{stderr}");
    assert!(stderr.contains("the file system is read-only"), "{stderr}");
    assert!(stderr.contains("unchanged"), "{stderr}");
    assert_eq!(std::fs::read(&vault).unwrap(), before);
    // Reading still works on a read-only file system.
    let list = env
        .aspen(&["list", "--vault", vault.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(list.status.success(), "{}", String::from_utf8_lossy(&list.stderr));
    fs.remount("rw");
}
