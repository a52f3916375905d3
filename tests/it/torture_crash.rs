//! Crashes and rivals. `aspen edit` processes are killed with SIGKILL at random
//! moments while they save, and after every kill the vault must open with the
//! passphrase and hold exactly the state before or after that save. Then several
//! writers race for the same vault and no update that reported success may be lost.
//! `ASPEN_TORTURE=long` raises the counts (see docs/reliability.md).
#![allow(clippy::unwrap_used, clippy::disallowed_methods, clippy::disallowed_macros)]

use crate::common;

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use aspen::model::{Edit, Vault};
use aspen::secret::SecretString;
use aspen::vault_file;
use common::{Env, PASSPHRASE, TODAY, asp, long_run};

/// xorshift64*: reproducible random moments; the seed is printed on every run.
struct Rng(u64);

impl Rng {
    fn from_env() -> Self {
        let seed = std::env::var("ASPEN_TORTURE_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("seed {seed} (ASPEN_TORTURE_SEED={seed} repeats this run)");
        Self(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

/// What the vault holds, without the change stamps a save adds (they differ between
/// the state computed here and the one the killed aspen wrote).
fn open(path: &Path) -> Result<Vault, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    vault_file::decode(&bytes, &SecretString::from(PASSPHRASE))
        .map(|(v, _)| crate::common::unstamped(v))
        .map_err(|e| e.to_string())
}

/// Notes whose length changes from round to round, so the file size does too.
fn notes(round: usize) -> String {
    format!("round {round} {}", "x".repeat(round % 97))
}

fn edit_process(env: &Env, round: usize) -> Child {
    env.process(&["edit", "Thunderbird", "--notes", &notes(round)])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn temp_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count()
}

#[derive(Default, Debug)]
struct Kills {
    kills: usize,
    before: usize,
    after: usize,
    with_temp_left: usize,
    finished_first: usize,
}

#[test]
fn a_save_killed_at_any_moment_leaves_the_state_before_or_after() {
    let _heavy = common::heavy();
    let target = if long_run() { 1000 } else { 50 };
    let env = Env::with_vault();
    env.add("Thunderbird", "me@icloud.com", "Mail", &asp(1), "2026-01-02");
    let dir = env.vault().parent().unwrap().to_path_buf();
    let today: jiff::civil::Date = TODAY.parse().unwrap();

    // How long one whole edit takes here, so kill moments spread over all of it.
    let started = Instant::now();
    for round in 0..3 {
        assert!(edit_process(&env, round).wait().unwrap().success());
    }
    let whole = started.elapsed() / 3;
    let span = (whole.as_micros() as u64 * 12 / 10).max(1);

    let mut rng = Rng::from_env();
    let mut tally = Kills::default();
    let mut round = 3;
    while tally.kills < target {
        round += 1;
        let state = open(&env.vault()).unwrap();
        let mut after = open(&env.vault()).unwrap();
        let id = after.find("Thunderbird", None).unwrap().id.clone();
        let change = Edit {
            notes: Some(notes(round)),
            ..Edit::default()
        };
        after.edit(&id, change, today).unwrap();

        let mut child = edit_process(&env, round);
        std::thread::sleep(Duration::from_micros(rng.below(span)));
        let killed = child.try_wait().unwrap().is_none();
        if killed {
            child.kill().unwrap();
        }
        let status = child.wait().unwrap();
        if !killed {
            assert!(
                status.success(),
                "round {round}: edit failed without a kill: {status:?}"
            );
            tally.finished_first += 1;
        } else {
            tally.kills += 1;
        }

        let now =
            open(&env.vault()).unwrap_or_else(|e| panic!("round {round}: the vault does not open: {e}"));
        if now == after {
            if killed {
                tally.after += 1;
            }
        } else {
            assert!(
                now == state,
                "round {round}: the vault holds neither the state before nor after"
            );
            assert!(killed, "round {round}: a finished edit was lost");
            tally.before += 1;
        }
        if env.backup().exists() {
            open(&env.backup()).unwrap_or_else(|e| panic!("round {round}: the backup does not open: {e}"));
        }
        if temp_files(&dir) > 0 {
            tally.with_temp_left += 1;
            // What a killed save leaves is ciphertext, never the password in clear.
            for entry in std::fs::read_dir(&dir).unwrap() {
                let bytes = std::fs::read(entry.unwrap().path()).unwrap();
                assert!(
                    !String::from_utf8_lossy(&bytes).contains(&asp(1)),
                    "round {round}"
                );
            }
        }
    }
    eprintln!(
        "crash loop: {} kills ({} left the state before, {} after; {} left a temp file behind), \
         {} more edits finished before their kill moment, 0 unreadable, 0 mixed; one edit took {whole:?}",
        tally.kills, tally.before, tally.after, tally.with_temp_left, tally.finished_first
    );
    // Over a long run kills must have landed on both sides of the rename, or the
    // moments did not cover the save (50 kills may by chance all land before it).
    if long_run() {
        assert!(
            tally.before > 0 && tally.after > 0 && tally.with_temp_left > 0,
            "{tally:?}"
        );
    }

    // The next save clears what killed saves left behind; reads never minded them.
    assert!(edit_process(&env, round + 1).wait().unwrap().success());
    assert_eq!(temp_files(&dir), 0, "temp files survived the next save");
    assert_eq!(open(&env.vault()).unwrap().entries[0].notes, notes(round + 1));
}

/// Writers started together: each waits for the lock or gives up with a clear
/// message, and every add that reported success is in the vault at the end.
#[test]
fn racing_writers_lose_no_update() {
    let _heavy = common::heavy();
    let (rounds, writers) = if long_run() { (200, 4) } else { (10, 3) };
    let env = Env::with_vault();
    let mut succeeded = Vec::new();
    let mut refused = 0;
    for round in 0..rounds {
        let children: Vec<(String, Child)> = (0..writers)
            .map(|w| {
                let label = format!("r{round}w{w}");
                let apple_id = format!("user{}@icloud.com", (round * writers + w) / 20);
                let mut child = env
                    .process(&[
                        "add",
                        "--label",
                        &label,
                        "--apple-id",
                        &apple_id,
                        "--app",
                        "Mail",
                        "--password-stdin",
                    ])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                use std::io::Write;
                writeln!(child.stdin.take().unwrap(), "{}", asp(round * writers + w)).unwrap();
                (label, child)
            })
            .collect();
        for (label, child) in children {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            match out.status.code() {
                Some(0) => succeeded.push(label),
                Some(6) => {
                    assert!(stderr.contains("another aspen"), "unclear refusal: {stderr}");
                    refused += 1;
                }
                other => panic!("{label}: exit {other:?}: {stderr}"),
            }
        }
    }
    let vault = open(&env.vault()).unwrap();
    let lost: Vec<_> = succeeded
        .iter()
        .filter(|label| !vault.entries.iter().any(|e| &e.label == *label))
        .collect();
    eprintln!(
        "racing writers: {rounds} rounds of {writers}: {} saved, {refused} refused (locked), {} lost",
        succeeded.len(),
        lost.len()
    );
    assert!(lost.is_empty(), "lost updates: {lost:?}");
    assert_eq!(vault.entries.len(), succeeded.len());
}

/// `aspen merge` of a sync tool's conflict copy, killed at random moments: the
/// vault always opens and holds the state before the merge or after it, never a
/// mix; a copy not yet set aside can simply be merged again.
#[test]
fn a_merging_save_killed_at_any_moment_leaves_the_state_before_or_after() {
    let _heavy = common::heavy();
    let target = if long_run() { 300 } else { 30 };
    let env = Env::with_vault();
    env.add("Thunderbird", "me@icloud.com", "Mail", &asp(1), "2026-01-02");
    let dir = env.vault().parent().unwrap().to_path_buf();
    let copy = dir.join("vault 2.aspen");
    // The other machine: its own home, so its own machine id.
    let laptop = Env::new();
    let merge_process = |env: &Env| {
        env.process(&["merge", copy.to_str().unwrap()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let make_copy = |round: usize| {
        std::fs::copy(env.vault(), &copy).unwrap();
        let status = laptop
            .process(&[
                "--vault",
                copy.to_str().unwrap(),
                "edit",
                "Thunderbird",
                "--notes",
                &notes(round),
            ])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    };
    make_copy(0);
    let started = Instant::now();
    assert!(merge_process(&env).wait().unwrap().success());
    let span = (started.elapsed().as_micros() as u64 * 12 / 10).max(1);

    let mut rng = Rng::from_env();
    let (mut kills, mut before, mut after) = (0, 0, 0);
    let mut round = 0;
    while kills < target {
        round += 1;
        let was = open(&env.vault()).unwrap();
        make_copy(round);
        let mut child = merge_process(&env);
        std::thread::sleep(Duration::from_micros(rng.below(span)));
        let killed = child.try_wait().unwrap().is_none();
        if killed {
            child.kill().unwrap();
            kills += 1;
        }
        assert!(child.wait().unwrap().success() || killed, "round {round}");
        let now =
            open(&env.vault()).unwrap_or_else(|e| panic!("round {round}: the vault does not open: {e}"));
        let notes_now = &now.entries[0].notes;
        if *notes_now == notes(round) {
            after += usize::from(killed);
        } else {
            assert_eq!(now, was, "round {round}: neither before nor after the merge");
            assert!(killed, "round {round}: a finished merge was lost");
            before += 1;
        }
        // A copy left in place merges again, to the same result.
        if copy.exists() {
            assert!(merge_process(&env).wait().unwrap().success(), "round {round}");
            assert_eq!(open(&env.vault()).unwrap().entries[0].notes, notes(round));
        }
    }
    eprintln!(
        "merge crash loop: {kills} kills ({before} left the state before, {after} after), 0 unreadable, 0 mixed"
    );
}
