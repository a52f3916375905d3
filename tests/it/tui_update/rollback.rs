//! The TUI's side of what this machine remembers (issue 14, part 4): an older copy
//! is named after unlocking; a far costlier key derivation is said before it runs,
//! and the user's second unlock is the consent.

use crossterm::event::KeyCode;

use crate::harness::{App, PASSPHRASE};

#[test]
fn an_older_copy_is_named_after_unlocking() {
    let mut app = App::new("default");
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    let vault = app.dir.path().join("vault.aspen");
    let older = std::fs::read(&vault).unwrap();
    app.add(
        "Mac",
        "me@icloud.com",
        "Mail",
        "qrst-uvwx-yzab-cdef",
        "2026-01-01",
    );
    std::fs::write(&vault, older).unwrap();

    let mut again = app.restarted();
    again.unlock();
    assert_eq!(again.labels_shown(), ["Thunderbird"]);
    let notice = again.notice().join(" ");
    assert!(
        notice.contains("at save 1, but this machine has seen save 2"),
        "{notice}"
    );
    assert!(notice.contains("aspen merge FILE"), "{notice}");
    let screen = again.screen();
    assert!(screen.contains("An older copy of your vault"), "{screen}");
}

#[test]
fn a_far_costlier_key_derivation_is_said_first_and_the_second_unlock_goes_ahead() {
    use aspen::secret::SecretString;
    use aspen::vault_file::{self, Cost, KdfParams, VaultKey};
    let mut app = App::new("default");
    app.create();
    app.add(
        "Thunderbird",
        "me@icloud.com",
        "Mail",
        "abcd-efgh-ijkl-mnop",
        "2026-01-01",
    );
    // The same vault saved with four times the passes (another machine's passwd).
    let vault = app.dir.path().join("vault.aspen");
    let v = app.state.session().unwrap().loaded.vault.entries.len();
    assert_eq!(v, 1);
    let costlier = Cost {
        memory_kib: 8,
        passes: 4,
        lanes: 1,
    };
    let key = VaultKey::derive(&SecretString::from(PASSPHRASE), KdfParams::new(costlier, [3; 32])).unwrap();
    let shown = &app.state.session().unwrap().loaded.vault;
    std::fs::write(&vault, vault_file::encode(shown, &key).unwrap()).unwrap();

    let mut again = app.restarted();
    again.type_str(PASSPHRASE);
    again.key(KeyCode::Enter);
    assert!(again.state.session().is_none(), "not unlocked at the first try");
    let screen = again.screen();
    assert!(screen.contains("far more than this machine has run"), "{screen}");
    assert!(screen.contains("type the passphrase again"), "{screen}");
    again.unlock();
    assert_eq!(again.labels_shown(), ["Thunderbird"]);
}
