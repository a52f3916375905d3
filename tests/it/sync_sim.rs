//! A model-based simulation of one vault on three machines (issue 18), through the
//! same use cases the front ends call: each machine has its own state folder and
//! its own copy; copies are delivered by a "sync tool" (or turned into conflict
//! copies when the receiver changed meanwhile), carried stale on a USB stick and put
//! back, merged through a git-like three-way merge, and changed late by a TUI
//! session that read the vault long before. Random operations change the copies.
//!
//! The oracle is Apple's page: which passwords Apple holds live. After every merge,
//! every live password either side held is in the result (shown, or kept as a
//! conflict), the file written opens, and merging it with itself changes nothing.
//! At the end all copies are merged into one: it holds every live password, and
//! each is on an active entry or flagged by a conflict.
//!
//! `ASPEN_TORTURE=long` runs many more cases (docs/reliability.md has the figures).
#![allow(clippy::unwrap_used)]

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use aspen::app::{self, Consent, NewVaultCost};
use aspen::model::{Conflict, Keep, NewEntry, Password, Vault, merge};
use aspen::secret::SecretString;
use aspen::storage::{Fingerprint, VaultPaths};
use aspen::vault_file::{self, VaultKey, duplicate};
use jiff::civil::{Date, date};

const APPLE_IDS: [&str; 2] = ["me@icloud.com", "family@icloud.com"];
const LABELS: [&str; 6] = ["Mail", "Calendar", "Sync", "CRM", "Backup", "Phone"];
const MACHINES: usize = 3;

fn today() -> Date {
    date(2026, 11, 20)
}

fn pass() -> SecretString {
    SecretString::from("simulated passphrase")
}

/// A small, seedable generator: cases are replayed from their seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

struct Machine {
    paths: VaultPaths,
    /// The file as the sync tool last saw it here, and its version vector (one
    /// counter per machine), kept by the simulated sync tool, not by aspen.
    received: Vec<u8>,
    versions: Vec<u64>,
    /// A copy carried on a USB stick since some earlier moment.
    usb: Option<PathBuf>,
    /// A TUI session that read the vault and has not saved yet.
    session: Option<(Vault, Vec<u8>)>,
}

struct World {
    dir: tempfile::TempDir,
    machines: Vec<Machine>,
    key: VaultKey,
    /// Apple's page: each password aspen stored, its Apple ID, and whether Apple
    /// holds it live.
    live: HashMap<String, (&'static str, bool)>,
    next_password: usize,
    next_id: u8,
    merges: usize,
    /// Files that hold changes only they have, for the final merge.
    loose: Vec<PathBuf>,
    /// What happened, for a failing case's message.
    log: Vec<String>,
}

/// Every password a vault holds: shown on its entry or kept beside it by a merge.
fn passwords(v: &Vault) -> HashSet<String> {
    let mut out = HashSet::new();
    for e in &v.entries {
        if let Some(p) = &e.password {
            out.insert(p.expose().to_owned());
        }
        for c in &e.conflicts {
            if let Conflict::Password {
                password: Some(p), ..
            } = c
            {
                out.insert(p.expose().to_owned());
            }
        }
    }
    out
}

impl World {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("m0/vault.aspen");
        std::fs::create_dir_all(first.parent().unwrap()).unwrap();
        let paths0 = VaultPaths::new(first).with_state_dir(dir.path().join("m0/state"));
        let created = app::create_vault(&paths0, &pass(), NewVaultCost::Insecure).unwrap();
        let bytes = std::fs::read(paths0.vault()).unwrap();
        let mut machines = vec![];
        for m in 0..MACHINES {
            let file = dir.path().join(format!("m{m}/vault.aspen"));
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, &bytes).unwrap();
            let paths = VaultPaths::new(file).with_state_dir(dir.path().join(format!("m{m}/state")));
            machines.push(Machine {
                paths,
                received: bytes.clone(),
                versions: vec![0; MACHINES],
                usb: None,
                session: None,
            });
        }
        World {
            dir,
            machines,
            key: created.loaded.key,
            live: HashMap::new(),
            next_password: 0,
            next_id: 0,
            merges: 0,
            loose: Vec::new(),
            log: Vec::new(),
        }
    }

    fn read(&self, path: &Path) -> Vault {
        let bytes = std::fs::read(path).unwrap();
        vault_file::decode_with_key(&bytes, &self.key)
            .unwrap_or_else(|e| panic!("{} does not open: {e}", path.display()))
    }

    fn fresh_password(&mut self) -> Password {
        self.next_password += 1;
        // Unique for every number: its base-26 digits, in Apple's shape.
        let mut n = self.next_password;
        let letters: String = (0..16)
            .map(|_| {
                let c = char::from(b'a' + (n % 26) as u8);
                n /= 26;
                c
            })
            .collect();
        let text = format!(
            "{}-{}-{}-{}",
            &letters[..4],
            &letters[4..8],
            &letters[8..12],
            &letters[12..]
        );
        Password::parse(SecretString::from(text.as_str()), false).unwrap()
    }

    fn consent() -> Consent {
        // The documented recovery: a restored copy is changed with --accept-older.
        Consent {
            older: true,
            ..Consent::default()
        }
    }

    fn kill(&mut self, password: &str) {
        if let Some((_, live)) = self.live.get_mut(password) {
            *live = false;
        }
    }

    /// The passwords Apple holds live, of those in `held`.
    fn live_among(&self, held: &HashSet<String>) -> HashSet<String> {
        held.iter()
            .filter(|p| self.live.get(*p).is_some_and(|(_, live)| *live))
            .cloned()
            .collect()
    }

    /// A change on machine `m`'s copy, as the command line makes it.
    fn change(&mut self, m: usize, op: impl FnOnce(&mut Vault) -> aspen::error::Result<()>) -> bool {
        let paths = self.machines[m].paths.clone();
        app::change(
            &paths,
            today(),
            Self::consent(),
            || Ok(pass()),
            |_| Ok(Some(())),
            |v, ()| op(v),
        )
        .is_ok()
    }
}

/// What a random step does.
fn step(world: &mut World, rng: &mut Rng) {
    let m = rng.below(MACHINES);
    let what = rng.below(16);
    let live = world.live.values().filter(|(_, l)| *l).count();
    world.log.push(format!("machine {m}: step {what} ({live} live)"));
    match what {
        0..=2 => add(world, m, rng),
        3 => regenerate(world, m, rng),
        4 => revoke(world, m, rng),
        5 => revoke_all_or_reset(world, m, rng),
        6 => mistaken_reset(world, m, rng),
        7 => retire_or_delete(world, m, rng),
        8 | 9 => deliver(world, m, (m + 1 + rng.below(MACHINES - 1)) % MACHINES),
        10 => stash_on_usb(world, m),
        11 => restore_from_usb(world, m),
        12 => merge_usb(world, m),
        13 => git_merge(world, m, (m + 1 + rng.below(MACHINES - 1)) % MACHINES),
        14 => tui_session(world, m, rng),
        _ => resolve(world, m, rng),
    }
}

/// A random entry of machine `m`'s copy that `pick` accepts.
fn pick(
    world: &World,
    m: usize,
    rng: &mut Rng,
    ok: impl Fn(&aspen::model::Entry) -> bool,
) -> Option<aspen::model::EntryId> {
    let v = world.read(world.machines[m].paths.vault());
    let ids: Vec<_> = v.entries.iter().filter(|e| ok(e)).map(|e| e.id.clone()).collect();
    (!ids.is_empty()).then(|| ids[rng.below(ids.len())].clone())
}

fn add(world: &mut World, m: usize, rng: &mut Rng) {
    let password = world.fresh_password();
    let text = password.expose().to_owned();
    world.next_id = world.next_id.wrapping_add(1);
    let mut bytes = [0u8; 16];
    bytes[0] = m as u8;
    bytes[1] = world.next_id;
    bytes[2] = (world.next_password % 256) as u8;
    bytes[3] = (world.next_password / 256) as u8;
    let apple_id = APPLE_IDS[rng.below(2)];
    let new = NewEntry {
        label: LABELS[rng.below(LABELS.len())].into(),
        apple_id: apple_id.into(),
        apps: vec!["App".into()],
        password: Some(password),
        created: today(),
        notes: String::new(),
        uses: Vec::new(),
        team_id: String::new(),
    };
    let id = aspen::model::EntryId::from_random(bytes);
    // Generated at Apple, then stored; refused by aspen, the user revokes it again.
    if world.change(m, |v| v.add(id, new, today()).map(|_| ()).map_err(Into::into)) {
        world.log.push(format!("  added {text}"));
        world.live.insert(text, (apple_id, true));
    }
}

fn regenerate(world: &mut World, m: usize, rng: &mut Rng) {
    let Some(id) = pick(world, m, rng, |e| e.password.is_some() && e.conflicts.is_empty()) else {
        return;
    };
    let v = world.read(world.machines[m].paths.vault());
    let entry = v.entry(&id).unwrap();
    let old = entry.password.as_ref().map(|p| p.expose().to_owned());
    let apple_id = APPLE_IDS.into_iter().find(|a| *a == entry.apple_id).unwrap();
    let password = world.fresh_password();
    let text = password.expose().to_owned();
    if world.change(m, |v| {
        v.regenerate(&id, password, today(), today()).map_err(Into::into)
    }) {
        world.log.push(format!("  regenerated {old:?} -> {text}"));
        world.live.insert(text, (apple_id, true));
        // The user revokes the old one at Apple, as the regenerate guide says.
        if let Some(old) = old {
            world.kill(&old);
        }
    }
}

fn revoke(world: &mut World, m: usize, rng: &mut Rng) {
    let Some(id) = pick(world, m, rng, |e| e.is_active()) else {
        return;
    };
    let shown = world
        .read(world.machines[m].paths.vault())
        .entry(&id)
        .unwrap()
        .password
        .as_ref()
        .map(|p| p.expose().to_owned());
    if world.change(m, |v| v.revoke(&id, today(), true, today()).map_err(Into::into))
        && let Some(p) = shown
    {
        world.kill(&p);
    }
}

/// Revoke All or a reset at Apple: every live password of that Apple ID dies,
/// whichever machine stored it; this machine records it.
fn revoke_all_or_reset(world: &mut World, m: usize, rng: &mut Rng) {
    let apple_id = APPLE_IDS[rng.below(2)];
    let reset = rng.below(2) == 0;
    let recorded = world.change(m, |v| {
        if reset {
            v.reset(apple_id, today(), today())
                .map(|_| ())
                .map_err(Into::into)
        } else {
            v.revoke_all(apple_id, today(), today())
                .map(|_| ())
                .map_err(Into::into)
        }
    });
    if recorded {
        for (a, live) in world.live.values_mut() {
            if *a == apple_id {
                *live = false;
            }
        }
    }
}

fn mistaken_reset(world: &mut World, m: usize, rng: &mut Rng) {
    let apple_id = APPLE_IDS[rng.below(2)];
    if world.change(m, |v| {
        v.reset(apple_id, today(), today())
            .map(|_| ())
            .map_err(Into::into)
    }) {
        assert!(world.change(m, |v| {
            v.withdraw_reset(apple_id, None, today())
                .map(|_| ())
                .map_err(Into::into)
        }));
    }
}

fn retire_or_delete(world: &mut World, m: usize, rng: &mut Rng) {
    let Some(id) = pick(world, m, rng, |e| !e.is_active() && e.conflicts.is_empty()) else {
        return;
    };
    if rng.below(2) == 0 {
        world.change(m, |v| v.retire(&id, today()).map_err(Into::into));
    } else {
        world.change(m, |v| v.remove(&id).map(|_| ()).map_err(Into::into));
    }
}

/// The user settles a conflict as Apple's page says: a status conflict whose
/// other side is active, on an entry whose shown password Apple holds live, takes
/// that side; otherwise what the entry shows is kept. A password not kept is
/// revoked at Apple first, as `aspen conflicts` says.
fn resolve(world: &mut World, m: usize, rng: &mut Rng) {
    let Some(id) = pick(world, m, rng, |e| !e.conflicts.is_empty()) else {
        return;
    };
    let v = world.read(world.machines[m].paths.vault());
    let e = v.entry(&id).unwrap();
    let live = |p: &str| world.live.get(p).is_some_and(|(_, l)| *l);
    let shown = e.password.as_ref().map(|p| p.expose().to_owned());
    let shown_live = shown.as_deref().is_some_and(live);
    let others: Vec<String> = e
        .conflicts
        .iter()
        .filter_map(|c| match c {
            Conflict::Password {
                password: Some(p), ..
            } => Some(p.expose().to_owned()),
            _ => None,
        })
        .collect();
    let other_active = e
        .conflicts
        .iter()
        .any(|c| matches!(c, Conflict::Status(s) if s.is_active()));
    // With two passwords, the one Apple holds live (both live: keep the shown one
    // and revoke the other); with one, the status Apple's page agrees with.
    let theirs = match others.first() {
        Some(other) => live(other) && !shown_live,
        None => shown_live && !e.is_active() && other_active,
    };
    // Keeping this vault's values keeps its status: a password it shows revoked is
    // then revoked at Apple too, as aspen's "regenerate" advice goes.
    let mut ours_dropped = others.clone();
    if shown_live && !e.is_active() {
        ours_dropped.extend(shown.clone());
    }
    let mut choices = vec![(Keep::Ours, ours_dropped)];
    if theirs {
        let dropped = shown.into_iter().filter(|_| !others.is_empty()).collect();
        choices.insert(0, (Keep::Theirs, dropped));
    }
    // A choice aspen refuses (taking a side that would delete the entry with a
    // password kept for it) is followed by the other, as a user would.
    for (keep, dropped) in choices {
        world.log.push(format!("  resolved keeping {keep:?}"));
        if world.change(m, |v| v.resolve(&id, keep, today()).map_err(Into::into)) {
            for p in dropped {
                world.kill(&p);
            }
            return;
        }
    }
}

// --- Copies travelling, and the merges they need ---------------------------------

/// Checks one merge: every live password of either side is in the result, the file
/// opens, and merging the result with itself changes nothing.
fn check_merge(world: &mut World, before: &[&Vault], after_file: &Path) {
    world.merges += 1;
    let after = world.read(after_file);
    let kept = passwords(&after);
    for side in before {
        let lost: Vec<String> = world
            .live_among(&passwords(side))
            .difference(&kept)
            .cloned()
            .collect();
        if !lost.is_empty() {
            let holds = |e: &aspen::model::Entry| {
                let mut all: Vec<String> = e.password.iter().map(|p| p.expose().to_owned()).collect();
                all.extend(e.conflicts.iter().filter_map(|c| match c {
                    Conflict::Password {
                        password: Some(p), ..
                    } => Some(p.expose().to_owned()),
                    _ => None,
                }));
                all.iter().any(|p| lost.contains(p))
            };
            let holder = side.entries.iter().find(|e| holds(e));
            let dump = |v: &Vault| {
                holder.and_then(|h| v.entry(&h.id)).map(|e| {
                    format!(
                        "{} {:?} {:?} {:?} {:?}",
                        e.label,
                        e.status,
                        e.password.as_ref().map(|p| p.expose().to_owned()),
                        e.stamps,
                        e.conflicts.iter().map(|c| c.describe()).collect::<Vec<_>>()
                    )
                })
            };
            let sides: Vec<_> = before.iter().map(|v| dump(v)).collect();
            panic!(
                "a merge dropped live passwords {lost:?}\nsides: {sides:#?}\nafter: {:?}\nsteps:\n{}",
                dump(&after),
                world.log.join("\n")
            );
        }
    }
    // A live password is never shown under a revoked status without a conflict
    // that says so.
    for e in &after.entries {
        let live = e
            .password
            .as_ref()
            .is_some_and(|p| world.live.get(p.expose()).is_some_and(|(_, live)| *live));
        let sides: Vec<String> = before
            .iter()
            .map(|v| match v.entry(&e.id) {
                Some(x) => format!(
                    "{:?} {:?} {:?}",
                    x.status,
                    x.password.as_ref().map(|p| p.expose().to_owned()),
                    x.stamps
                ),
                None => "absent".to_owned(),
            })
            .collect();
        assert!(
            !live || e.is_active() || !e.conflicts.is_empty(),
            "the live password of {:?} is under a revoked status with no conflict: {:?}\nsides: {sides:#?}\nsteps:\n{}",
            e.label,
            e.stamps,
            world.log.join("\n")
        );
    }
    let (again, report) = merge(None, duplicate(&after), duplicate(&after));
    let differs = |what: &str, same: bool| (!same).then(|| what.to_owned());
    let parts: Vec<String> = [
        differs("entries", again.entries == after.entries),
        differs("Apple IDs", again.accounts == after.accounts),
        differs("tombstones", again.tombstones == after.tombstones),
        differs("clock", again.clock == after.clock),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(
        parts.is_empty() && report.is_empty(),
        "merging a vault with itself changed its {parts:?} ({report:?})"
    );
}

/// `app::merge_from` of `file` into machine `m`, checked.
fn merge_file_into(world: &mut World, m: usize, file: &Path) {
    let paths = world.machines[m].paths.clone();
    let ours = world.read(paths.vault());
    let theirs = world.read(file);
    let done = app::merge_from(&paths, today(), World::consent(), &pass(), || Ok(pass()), file).unwrap();
    if !done.written {
        assert_eq!(world.read(paths.vault()), ours, "nothing new, nothing written");
    }
    check_merge(world, &[&ours, &theirs], paths.vault());
}

/// What the simulated sync tool knows of machine `m`'s file: a local change since it
/// last looked counts as a new version of that machine's.
fn refresh(world: &mut World, m: usize) {
    let bytes = std::fs::read(world.machines[m].paths.vault()).unwrap();
    let machine = &mut world.machines[m];
    if bytes != machine.received {
        machine.versions[m] += 1;
        machine.received = bytes;
    }
}

/// The sync tool delivers `from`'s file to `to`, as Syncthing does: a newer version
/// replaces an older one, and of two concurrent versions the receiver keeps its own
/// and gets the other as a conflict copy beside it, which it merges.
fn deliver(world: &mut World, from: usize, to: usize) {
    refresh(world, from);
    refresh(world, to);
    let (sent, got) = (
        world.machines[from].versions.clone(),
        world.machines[to].versions.clone(),
    );
    let newer = |a: &[u64], b: &[u64]| a != b && a.iter().zip(b).all(|(x, y)| x >= y);
    if !newer(&sent, &got) && (sent == got || newer(&got, &sent)) {
        return;
    }
    let bytes = std::fs::read(world.machines[from].paths.vault()).unwrap();
    let target = world.machines[to].paths.vault().to_path_buf();
    if newer(&sent, &got) {
        world.log.push(format!("  delivered {from} -> {to}: replaced"));
        std::fs::write(&target, &bytes).unwrap();
        world.machines[to].received = bytes;
        world.machines[to].versions = sent;
        return;
    }
    world
        .log
        .push(format!("  delivered {from} -> {to}: conflict copy"));
    let copy = target.with_file_name("vault.sync-conflict-20261120-101500-ABCDEF1.aspen");
    std::fs::write(&copy, &bytes).unwrap();
    merge_file_into(world, to, &copy);
    std::fs::remove_file(&copy).unwrap();
    let joined: Vec<u64> = sent.iter().zip(&got).map(|(a, b)| *a.max(b)).collect();
    world.machines[to].versions = joined;
}

fn stash_on_usb(world: &mut World, m: usize) {
    let usb = world.dir.path().join(format!("usb{m}.aspen"));
    std::fs::copy(world.machines[m].paths.vault(), &usb).unwrap();
    world.machines[m].usb = Some(usb);
}

/// An old copy put back over the vault (a restored backup); changes go on from it
/// with --accept-older, and the newer version is merged back later.
fn restore_from_usb(world: &mut World, m: usize) {
    let Some(usb) = world.machines[m].usb.clone() else {
        return;
    };
    let vault = world.machines[m].paths.vault().to_path_buf();
    let newer = world
        .dir
        .path()
        .join(format!("newer{m}-{}.aspen", world.loose.len()));
    std::fs::copy(&vault, &newer).unwrap();
    std::fs::copy(&usb, &vault).unwrap();
    // The newer version is kept aside, to be merged back some day.
    world.loose.push(newer);
}

fn merge_usb(world: &mut World, m: usize) {
    if let Some(usb) = world.machines[m].usb.clone() {
        merge_file_into(world, m, &usb);
    }
}

/// `git pull`'s merge driver: the two sides and their common ancestor (what `b` last
/// received), merged with the base and stamped as a save of `a`'s machine.
fn git_merge(world: &mut World, a: usize, b: usize) {
    world.log.push(format!("  git merge of {b} into {a}"));
    let paths = world.machines[a].paths.clone();
    let ours = world.read(paths.vault());
    let theirs = world.read(world.machines[b].paths.vault());
    let base = vault_file::decode_with_key(&world.machines[b].received, &world.key).unwrap();
    let before = duplicate(&ours);
    let (mut merged, _) = merge(Some(&base), duplicate(&ours), duplicate(&theirs));
    if merged != before {
        let lock = paths.store().lock(app::LOCK_WAIT).unwrap();
        let read = Fingerprint::of(&std::fs::read(paths.vault()).unwrap());
        app::stamp_for_save(&paths, &before, &mut merged, today()).unwrap();
        paths.store().save(&merged, &world.key, &read, &lock).unwrap();
    }
    check_merge(world, &[&ours, &theirs], paths.vault());
}

/// A TUI session: the first call reads the vault; the next one (much later) makes a
/// change on what it read and saves it, merging whatever arrived meanwhile.
fn tui_session(world: &mut World, m: usize, rng: &mut Rng) {
    let paths = world.machines[m].paths.clone();
    let Some((mut view, read)) = world.machines[m].session.take() else {
        let bytes = std::fs::read(paths.vault()).unwrap();
        let vault = vault_file::decode_with_key(&bytes, &world.key).unwrap();
        world.machines[m].session = Some((vault, bytes));
        return;
    };
    let before_view = duplicate(&view);
    let on_disk = world.read(paths.vault());
    let password = world.fresh_password();
    let text = password.expose().to_owned();
    let apple_id = APPLE_IDS[rng.below(2)];
    world.next_id = world.next_id.wrapping_add(1);
    let id = aspen::model::EntryId::from_random([
        9,
        m as u8,
        world.next_id,
        (world.next_password % 256) as u8,
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        8,
        9,
        10,
        11,
        12,
    ]);
    let new = NewEntry {
        label: format!("TUI {}", world.next_password),
        apple_id: apple_id.into(),
        apps: vec!["App".into()],
        password: Some(password),
        created: today(),
        notes: String::new(),
        uses: Vec::new(),
        team_id: String::new(),
    };
    if view.add(id, new, today()).is_err() {
        return;
    }
    match app::save(&paths, &view, &world.key, &Fingerprint::of(&read), today()) {
        Ok(_) => {
            world.log.push(format!("  TUI saved {text}"));
            world.live.insert(text, (apple_id, true));
            check_merge(world, &[&before_view, &on_disk], paths.vault());
        }
        // A stale view refused (Apple's 25, a clash), or an older copy put back
        // meanwhile: nothing written.
        Err(failed) => assert!(
            matches!(
                failed.error,
                aspen::error::Error::ChangedOutside { .. } | aspen::error::Error::OlderVault { .. }
            ),
            "{}",
            failed.error
        ),
    }
}

/// Every copy merged into machine 0: it holds every password Apple holds live, and
/// each is on an active entry or flagged by a conflict.
fn converge(world: &mut World) {
    let others: Vec<PathBuf> = (1..MACHINES)
        .map(|m| world.machines[m].paths.vault().to_path_buf())
        .chain(world.machines.iter().filter_map(|m| m.usb.clone()))
        .chain(world.loose.iter().cloned())
        .collect();
    for file in others {
        merge_file_into(world, 0, &file);
    }
    let all = world.read(world.machines[0].paths.vault());
    let held = passwords(&all);
    for (p, (_, live)) in &world.live {
        if !*live {
            continue;
        }
        assert!(
            held.contains(p),
            "the live password {p} is gone after every copy was merged; steps:\n{}",
            world.log.join("\n")
        );
        // The entry that shows it is active, or carries a conflict that says what
        // to check; a password kept only as a conflict value is flagged by it.
        let shown_live = all
            .entries
            .iter()
            .filter(|e| e.password.as_ref().is_some_and(|x| x.expose() == p))
            .all(|e| e.is_active() || !e.conflicts.is_empty());
        assert!(
            shown_live,
            "a live password sits under a revoked status with no conflict"
        );
    }
}

/// While replaying one case: the first step after which a copy shows a live
/// password under a revoked status without a conflict.
fn watch(world: &World) {
    for (m, machine) in world.machines.iter().enumerate() {
        let v = world.read(machine.paths.vault());
        for e in &v.entries {
            let live = e
                .password
                .as_ref()
                .is_some_and(|p| world.live.get(p.expose()).is_some_and(|(_, l)| *l));
            assert!(
                !live || e.is_active() || !e.conflicts.is_empty(),
                "machine {m}: {:?} {:?} {:?}; steps:\n{}",
                e.label,
                e.status,
                e.stamps,
                world.log.join("\n")
            );
        }
    }
}

fn run_case(seed: u64, steps: usize) -> usize {
    let mut world = World::new();
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let replaying = std::env::var_os("ASPEN_SIM_SEED").is_some();
    for _ in 0..steps {
        step(&mut world, &mut rng);
        if replaying {
            watch(&world);
        }
    }
    converge(&mut world);
    world.merges
}

#[test]
fn three_machines_never_lose_a_live_password() {
    let (cases, steps) = if crate::common::long_run() {
        (400, 120)
    } else {
        (24, 40)
    };
    // ASPEN_SIM_SEED=N replays one case, for a failure's message.
    let seeds = match std::env::var("ASPEN_SIM_SEED").ok().and_then(|s| s.parse().ok()) {
        Some(seed) => seed..=seed,
        None => 1..=cases,
    };
    let mut merges = 0;
    let ran = seeds.clone().count();
    // ASPEN_SIM_KEEP_GOING=1 (for the long run's report) counts failed cases
    // instead of stopping at the first; the test still fails if any did.
    let keep_going = std::env::var_os("ASPEN_SIM_KEEP_GOING").is_some();
    let mut failed = Vec::new();
    for seed in seeds {
        let outcome = std::panic::catch_unwind(|| run_case(seed, steps));
        match outcome {
            Ok(n) => merges += n,
            Err(_) if keep_going => failed.push(seed),
            Err(e) => {
                eprintln!("sync simulation: case with seed {seed} failed");
                std::panic::resume_unwind(e);
            }
        }
    }
    eprintln!(
        "sync simulation: {ran} cases of {steps} steps, {merges} merges checked, {} failed {failed:?}",
        failed.len()
    );
    assert!(failed.is_empty(), "cases failed: {failed:?}");
    assert!(merges > ran, "the cases merged too little to mean anything");
}
