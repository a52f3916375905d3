//! Shared by the benches and `gen_vault`: a realistic vault of any size, generated in
//! code (nothing large is committed), and a TUI state on it drawn into a 120×40
//! `TestBackend`.
#![allow(dead_code)]

use std::path::Path;
use std::time::Instant;

use aspen::config::Config;
use aspen::model::{
    AppleAccount, Clock, Dot, Entry, EntryId, Event, HistoryEvent, MachineId, Password, Reset, RevokeReason,
    SLOT_LIMIT, Stamps, Status, Vault, VaultId, slots,
};
use aspen::secret::SecretString;
use aspen::storage::{Fingerprint, Loaded, VaultPaths};
use aspen::tui::msg::Msg;
use aspen::tui::state::{Screen, Session, State, View};
use aspen::tui::{Options, initial_state, update, views};
use aspen::vault_file::{self, Cost, KdfParams, SALT_LEN, VaultKey};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::ToSpan;
use jiff::civil::{Date, date};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The sizes every per-entry bench runs at.
pub const SIZES: [usize; 4] = [100, 1_000, 10_000, 100_000];

/// "Today" of every generated vault; `benches/compare.sh` pins `ASPEN_TODAY` to it.
pub const TODAY: Date = date(2026, 11, 20);

pub const PASSPHRASE: &str = "correct horse battery staple";

/// The terminal the TUI benches draw into.
pub const WIDTH: u16 = 120;
pub const HEIGHT: u16 = 40;

/// SplitMix64: deterministic, so every run generates the same vault.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const APPS: [&str; 20] = [
    "Thunderbird",
    "YouCanBook.me",
    "SmoothSync",
    "SpinOffice CRM",
    "Mailspring",
    "K-9 Mail",
    "Outlook",
    "eM Client",
    "DAVx5",
    "Calendly",
    "MailStore Home",
    "Spark",
    "FairEmail",
    "Evolution",
    "Nextcloud",
    "Airmail",
    "Postbox",
    "BlueMail",
    "Fantastical",
    "Zapier",
];

const PLACES: [&str; 8] = [
    "laptop", "desktop", "phone", "work", "home", "tablet", "office", "backup",
];

const NAMES: [&str; 12] = [
    "me", "anna", "ben", "family", "work", "studio", "mum", "dad", "chris", "sam", "office", "kids",
];

const DOMAINS: [&str; 3] = ["icloud.com", "me.com", "mac.com"];

const NOTES: [&str; 6] = [
    "",
    "",
    "",
    "IMAP + SMTP",
    "CalDAV only; the booking page syncs every 15 min",
    "Set up by the IT helpdesk.\nAsk before revoking.",
];

/// How many entries share one Apple ID on average. Of each Apple ID's entries at
/// most 20 are active (Apple allows 25); the rest are revoked ones kept for history.
const PER_APPLE_ID: usize = 40;
const ACTIVE_PER_APPLE_ID: usize = 20;

fn password(rng: &mut Rng) -> Password {
    let mut s = String::with_capacity(19);
    for i in 0..16u32 {
        if i > 0 && i.is_multiple_of(4) {
            s.push('-');
        }
        s.push(char::from(b'a' + (rng.next() % 26) as u8));
    }
    Password::parse(SecretString::from(s.as_str()), false).expect("an Apple-shaped password")
}

/// A vault of `n` entries that obeys Apple's rules: `n / 40` Apple IDs (at least 3),
/// at most 20 active entries each, revoked ones of every kind (some waiting to be
/// regenerated), recorded resets, stale and shared passwords, notes, one or two apps.
pub fn vault(n: usize) -> Vault {
    let mut rng = Rng(0x5EED_0000 ^ n as u64);
    let ids = n.div_ceil(PER_APPLE_ID).max(3);
    let apple_ids: Vec<String> = (0..ids)
        .map(|k| {
            format!(
                "{}{}@{}",
                NAMES[k % NAMES.len()],
                k / NAMES.len(),
                DOMAINS[k % DOMAINS.len()]
            )
        })
        .collect();
    let mut accounts: Vec<AppleAccount> = apple_ids
        .iter()
        .enumerate()
        .map(|(k, id)| AppleAccount {
            // One Apple ID in seven had its password reset once, 200 days ago.
            resets: if k % 7 == 3 {
                vec![Reset {
                    date: TODAY.checked_sub(200.days()).expect("a valid date"),
                    seq: 0,
                }]
            } else {
                Vec::new()
            },
            stamps: made_here(),
            ..AppleAccount::new(id.clone())
        })
        .collect();
    accounts.sort_by(|a, b| a.apple_id.cmp(&b.apple_id));

    let mut entries = Vec::with_capacity(n);
    let mut shared: Option<Password> = None;
    for i in 0..n {
        let k = i % ids;
        let j = i / ids; // the entry's number within its Apple ID
        let apple_id = apple_ids[k].clone();
        let app = APPS[(j + k) % APPS.len()];
        let place = PLACES[(j / APPS.len()) % PLACES.len()];
        let round = j / (APPS.len() * PLACES.len());
        let label = if round == 0 {
            format!("{app} ({place})")
        } else {
            format!("{app} ({place} {})", round + 1)
        };
        let mut apps = vec![format!("{app} ({place})")];
        if rng.below(4) == 0 {
            apps.push(rng.pick(&APPS).to_owned());
            apps.dedup();
        }
        let created = TODAY
            .checked_sub((rng.below(6 * 365) as i64).days())
            .expect("a valid date");
        let mut history = vec![HistoryEvent {
            date: created,
            event: Event::Added,
        }];
        let status = if j < ACTIVE_PER_APPLE_ID && rng.below(10) != 0 {
            Status::Active
        } else {
            let reason = match rng.below(3) {
                0 => RevokeReason::Manual,
                1 => RevokeReason::RevokeAll,
                _ => RevokeReason::AppleIdReset,
            };
            let needs_replacement = rng.below(8) == 0;
            let on = created
                .checked_add((rng.below(300) as i64).days())
                .expect("a valid date")
                .min(TODAY);
            history.push(HistoryEvent {
                date: on,
                event: Event::Revoked {
                    reason,
                    needs_replacement,
                },
            });
            Status::Revoked {
                on,
                reason,
                needs_replacement,
            }
        };
        // Every 50th active entry reuses one password: the `shared` signal.
        let pw = match (&shared, i % 50 == 7 && status.is_active()) {
            (Some(p), true) => p.duplicate(),
            (None, true) => {
                let p = password(&mut rng);
                shared = Some(p.duplicate());
                p
            }
            _ => password(&mut rng),
        };
        let mut id = [0u8; 16];
        id[..8].copy_from_slice(&(n as u64).to_be_bytes());
        id[8..].copy_from_slice(&(i as u64).to_be_bytes());
        entries.push(Entry {
            id: EntryId::from_random(id),
            label,
            apple_id,
            apps,
            password: Some(pw),
            created,
            notes: rng.pick(&NOTES).to_owned(),
            uses: Vec::new(),
            status,
            superseded: Vec::new(),
            team_id: String::new(),
            history,
            activated_seq: i as u64 + 1,
            stamps: made_here(),
            conflicts: Vec::new(),
        });
    }
    let mut clock = Clock::default();
    clock.set(&machine(), 1);
    let vault = Vault {
        id: VaultId::from_random([0x42; 16]),
        saves: 1,
        clock,
        accounts,
        entries,
        tombstones: Vec::new(),
        next_seq: n as u64 + 1,
        ..Vault::default()
    };
    vault
        .check_invariants()
        .expect("the generated vault is consistent");

    assert!(slots(&vault).iter().all(|s| s.active <= SLOT_LIMIT));
    vault
}

/// A key at `cost` with a fixed salt.
pub fn key(cost: Cost) -> VaultKey {
    VaultKey::derive(
        &SecretString::from(PASSPHRASE),
        KdfParams::new(cost, [7; SALT_LEN]),
    )
    .expect("the key derives")
}

/// The vault file's bytes for `vault` under `key`.
pub fn file_bytes(vault: &Vault, key: &VaultKey) -> Vec<u8> {
    vault_file::encode(vault, key).expect("the vault encodes")
}

/// The TUI, unlocked on `loaded`, on the main screen, sized 120×40.
pub fn tui_state(vault_path: &Path, loaded: Loaded) -> State {
    let opts = Options {
        paths: VaultPaths::new(vault_path.to_path_buf()).with_state_dir(vault_path.with_file_name("state")),
        config: Config::defaults(),
        today: TODAY,
        theme: None,
        user_theme_dir: None,
        config_file: None,
        insecure_kdf: false,
    };
    let now = Instant::now();
    let mut state = initial_state(&opts, now);
    let policy = state.settings.policy;
    state.screen = Screen::Open(Box::new(Session::new(loaded, TODAY, policy)), View::Main);
    update::update(&mut state, Msg::Resize(WIDTH, HEIGHT), now);
    state
}

/// What the TUI holds right after unlocking: the vault, its key, its fingerprint.
pub fn loaded(vault: Vault, key: VaultKey, bytes: &[u8]) -> Loaded {
    Loaded {
        vault,
        key,
        fingerprint: Fingerprint::of(bytes),
    }
}

pub fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test terminal")
}

/// Draws one frame of the TUI.
pub fn draw(terminal: &mut Terminal<TestBackend>, state: &State) {
    terminal
        .draw(|f| {
            views::render(f, state);
        })
        .expect("drawing into a TestBackend cannot fail");
}

/// One key press through the TUI's own `update`, as the event loop delivers it.
pub fn press(state: &mut State, code: KeyCode) {
    update::update(
        state,
        Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        Instant::now(),
    );
}

/// The machine that made the generated vault, in one save.
pub fn machine() -> MachineId {
    MachineId::from_random([0x4d; 8])
}

fn made_here() -> Stamps {
    let mut clock = Clock::default();
    clock.set(&machine(), 1);
    Stamps {
        clock,
        origin: Some(Dot {
            machine: machine(),
            n: 1,
        }),
        fields: Default::default(),
    }
}
