//! Issue 21's untrue words, fixed one by one: a dialog says only what will happen.

use crossterm::event::KeyCode;

use super::own_undo::elsewhere;
use super::{password, select};
use crate::harness::{App, box_text};

/// Deleting an entry recorded without its password loses no password: the dialog
/// does not say it does.
#[test]
fn deleting_an_untracked_entry_does_not_speak_of_its_password() {
    let mut app = App::new("default");
    app.create();
    app.add("Thunderbird", "me@icloud.com", "Mail", &password(1), "2026-01-01");
    elsewhere(&app, |v| {
        let new = aspen::model::NewEntry {
            label: "Old".to_owned(),
            apple_id: "me@icloud.com".to_owned(),
            apps: Vec::new(),
            password: None,
            created: jiff::civil::date(2026, 1, 1),
            notes: String::new(),
            uses: Vec::new(),
            team_id: String::new(),
        };
        v.add(
            aspen::model::EntryId::from_random([5; 16]),
            new,
            jiff::civil::date(2026, 11, 20),
        )
        .unwrap();
    });
    app.advance(std::time::Duration::from_secs(1));
    select(&mut app, "Old");
    app.press('d');
    let dialog = box_text(&app.screen(), "Delete this entry?");
    assert!(!dialog.contains("its password will be gone"), "{dialog}");
    assert!(dialog.contains("holds no password"), "{dialog}");
    app.key(KeyCode::Esc);
    select(&mut app, "Thunderbird");
    app.press('d');
    let dialog = box_text(&app.screen(), "Delete this entry?");
    assert!(dialog.contains("its password will be gone for good"), "{dialog}");
}

/// Adding a password an entry already holds, for apps it already has: the join
/// offer does not offer to add nothing.
#[test]
fn the_join_offer_never_offers_to_add_no_apps() {
    let mut app = App::new("default");
    app.create();
    app.add("Work App", "me@icloud.com", "Mail", &password(1), "2026-01-01");
    app.press('a');
    app.type_str("Work App 26");
    app.key(KeyCode::Tab);
    app.replace_field("me@icloud.com");
    app.key(KeyCode::Tab);
    app.type_str("Mail");
    app.key(KeyCode::Tab);
    app.type_str(&password(1));
    app.key(KeyCode::Enter);
    let screen = app.screen();
    assert!(screen.contains("instead?"), "the join offer: {screen}");
    assert!(!screen.contains("Yes: add  to"), "{screen}");
    assert!(screen.contains("already has these apps"), "{screen}");
}

/// Item 2: a password copied through the terminal (OSC 52) cannot be cleared: the
/// setup card's password row does not say it was.
#[test]
fn the_setup_card_does_not_say_a_copy_through_the_terminal_is_cleared() {
    use aspen::clipboard::Tmux;
    use aspen::tui::msg::CopyOutcome;
    for (w, h) in [(80, 24), (60, 16)] {
        let mut app = App::sized("default", w, h);
        app.create();
        app.add("Thunderbird", "me@icloud.com", "Mail", &password(1), "2026-01-01");
        app.press('i');
        app.clipboard.borrow_mut().next = Some(CopyOutcome::Terminal { tmux: Tmux::Outside });
        app.press('c');
        let card = box_text(&app.screen(), "Setup card");
        assert!(!card.contains("then cleared"), "{card}");
        assert!(card.contains("•••• (copied; cannot be cleared)"), "{card}");
        // A copy aspen clears at its deadline says so.
        app.press('c');
        let card = box_text(&app.screen(), "Setup card");
        assert!(card.contains("•••• (copied, then cleared)"), "{card}");
    }
}

/// Item 10: a mail app asks for the connection security; the setup card shows it,
/// as `aspen setup` does.
#[test]
fn the_setup_card_shows_the_connection_security() {
    let mut app = App::sized("default", 100, 40);
    app.create();
    app.add("Thunderbird", "me@icloud.com", "Mail", &password(1), "2026-01-01");
    app.press('i');
    let card = box_text(&app.screen(), "Setup card");
    assert!(card.contains("IMAP security     SSL/TLS"), "{card}");
    assert!(card.contains("SMTP security     STARTTLS"), "{card}");
}

/// Item 3: the reset checklist named a key that does nothing there ("select it here
/// and press r"); it says to close the list first, with the user's own keys.
#[test]
fn the_reset_checklist_names_what_works_from_where_it_is() {
    let mut app = App::new("default");
    app.create();
    app.add("Thunderbird", "me@icloud.com", "Mail", &password(1), "2026-01-01");
    app.press('R');
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    let list = box_text(&app.screen(), "To regenerate for");
    let words = list.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(!words.contains("here and press r"), "{list}");
    assert!(
        words.contains("then close this list, select it and press r to regenerate."),
        "{list}"
    );
    // `r` still does nothing in the list: the words do not say it does.
    app.press('r');
    assert!(app.screen().contains("To regenerate for"));
}

/// Item 4: Apple's 25 refused inside the add form named `x`, which types an x
/// there; the form names what works from it.
#[test]
fn a_full_apple_id_in_the_add_form_names_keys_that_work_there() {
    for (w, h) in [(80, 24), (60, 16)] {
        let mut app = App::sized("default", w, h);
        app.create();
        for n in 0..25 {
            let created = format!("2026-01-{:02}", n + 1);
            app.add(
                &format!("App {n:02}"),
                "me@icloud.com",
                "Mail",
                &password(n),
                &created,
            );
        }
        app.press('a');
        app.type_str("One more");
        app.key(KeyCode::Tab);
        app.replace_field("me@icloud.com");
        app.key(KeyCode::Tab);
        app.type_str("Mail");
        app.key(KeyCode::Tab);
        app.type_str(&password(25));
        app.key(KeyCode::Enter);
        assert!(app.screen().contains("me@icloud.com is full"));
        app.key(KeyCode::Esc);
        let error = super::form_error(&app);
        assert!(!error.contains("press x"), "{error}");
        assert!(!error.contains("select it here"), "{error}");
        assert!(error.contains("press Enter to choose it"), "{error}");
        let form = box_text(&app.screen(), "Add an app-specific password");
        assert!(crate::harness::shows_in_full(&form, &error), "{form}");
        // Enter there does what the words say: the list to choose from.
        app.key(KeyCode::Enter);
        assert!(app.screen().contains("me@icloud.com is full"));
    }
}

/// Item 4, in the other forms Apple's 25 can refuse (here regenerating a revoked
/// entry): no list to choose from there, so the words say to close the form first.
#[test]
fn a_full_apple_id_in_another_form_says_to_close_it_first() {
    let mut app = App::sized("default", 80, 24);
    app.create();
    for n in 0..25 {
        let created = format!("2026-01-{:02}", n + 1);
        app.add(
            &format!("App {n:02}"),
            "me@icloud.com",
            "Mail",
            &password(n),
            &created,
        );
    }
    select(&mut app, "App 00");
    app.press('x');
    app.key(KeyCode::Enter);
    app.add("App 25", "me@icloud.com", "Mail", &password(25), "2026-02-01");
    select(&mut app, "App 00");
    app.press('r');
    app.type_str(&password(26));
    app.key(KeyCode::Enter);
    let error = super::form_error(&app);
    assert!(error.contains("25 active"), "{error}");
    assert!(!error.contains("select it here"), "{error}");
    assert!(
        error.contains("then close this form (Esc), select it and press x to revoke"),
        "{error}"
    );
}

/// Item 6: withdrawing a reset (`w` in the overview) names the entries it leaves as
/// they are, a regenerated one among them, before and after.
#[test]
fn withdrawing_a_reset_names_a_regenerated_entry_it_leaves_alone() {
    let mut app = App::sized("default", 100, 30);
    app.create();
    app.add("Thunderbird", "me@icloud.com", "Mail", &password(1), "2026-01-01");
    app.add("SmoothSync", "me@icloud.com", "Sync", &password(2), "2026-02-01");
    app.press('R');
    app.key(KeyCode::Tab);
    app.replace_field("2026-11-02");
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    app.key(KeyCode::Enter);
    select(&mut app, "Thunderbird");
    app.press('r');
    app.type_str(&password(3));
    app.key(KeyCode::Enter);
    app.press('o');
    app.press('w');
    app.key(KeyCode::Enter);
    let dialog = box_text(&app.screen(), "Withdraw the password reset");
    let words = dialog.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("Active again: \"SmoothSync\""), "{dialog}");
    assert!(words.contains("\"Thunderbird\""), "the regenerated one: {dialog}");
    app.press('y');
    let text = super::message(&app);
    assert!(
        text.starts_with("Withdrew the password reset of me@icloud.com on 2026-11-02"),
        "{text}"
    );
    assert!(text.contains("\"Thunderbird\""), "{text}");
}

/// Item 8: the key derivation's progress line on the welcome screen claimed "about
/// a second" while it counted past 2 s, and its unit fell from its number at 80
/// columns. The words hold at any elapsed time, and the line is whole.
#[test]
fn the_welcome_progress_line_is_true_at_any_time_and_whole() {
    use aspen::tui::msg::Msg;
    use crossterm::event::{KeyEvent, KeyModifiers};
    for (w, h) in [(80, 24), (60, 16)] {
        let mut app = App::sized("default", w, h);
        app.type_str(crate::harness::PASSPHRASE);
        app.key(KeyCode::Enter);
        app.type_str(crate::harness::PASSPHRASE);
        // Enter without running the derivation: the screen while it works.
        let enter = Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        let start = app.now;
        aspen::tui::update::update(&mut app.state, enter, start);
        for secs in [0.4, 2.6, 12.3] {
            let now = start + std::time::Duration::from_secs_f32(secs);
            aspen::tui::update::update(&mut app.state, Msg::Tick, now);
            let screen = app.screen().replace('\u{a0}', " ");
            assert!(
                !screen.contains("about a second"),
                "{w}×{h} at {secs} s:\n{screen}"
            );
            let shown = format!("{secs:.1} s");
            let line = screen
                .lines()
                .find(|l| l.contains("deriving the key"))
                .unwrap_or_else(|| panic!("{w}×{h}:\n{screen}"));
            let rest: String = screen
                .split(line)
                .nth(1)
                .unwrap_or("")
                .chars()
                .take(200)
                .collect();
            let next = rest.lines().nth(1).unwrap_or("");
            assert!(
                line.contains(&shown) || next.contains(&shown),
                "{w}×{h}: {shown:?} whole on one line:\n{screen}"
            );
        }
    }
}

/// An audit made on the command line: `Old` not on Apple's page.
fn audit_elsewhere(app: &App) {
    elsewhere(app, |v| {
        let id = v.find("Old", None).unwrap().id.clone();
        let decisions = aspen::model::AuditDecisions {
            revoked: vec![(id, true)],
            ..Default::default()
        };
        v.apply_audit("me@icloud.com", decisions, jiff::civil::date(2026, 11, 20))
            .unwrap();
    });
}

/// The TUI's own audit from the overview, finding everything listed.
fn audit_here(app: &mut App) {
    app.press('o');
    app.press('a');
    for _ in 0..3 {
        app.key(KeyCode::Enter);
    }
    let screen = app.screen();
    assert!(
        screen.contains("Everything matches Apple's page: nothing changes."),
        "{screen}"
    );
    app.key(KeyCode::Enter);
}

/// Item 9: of two audits the same day, an earlier one on the command line and a
/// later one in the TUI, the overview's "last checked" is the later one, whether
/// the TUI had taken in the command line's save first or not.
#[test]
fn the_overview_shows_the_latest_audit_of_the_day() {
    for followed in [true, false] {
        let mut app = App::sized("default", 100, 30);
        app.create();
        app.add("Mail", "me@icloud.com", "Mail", &password(1), "2026-01-01");
        app.add("Old", "me@icloud.com", "Old", &password(2), "2026-01-01");
        audit_elsewhere(&app);
        if followed {
            app.advance(std::time::Duration::from_secs(1));
        }
        audit_here(&mut app);
        let said = super::message(&app);
        assert!(
            said.contains("Checked me@icloud.com against Apple's page"),
            "{said}"
        );
        let overview = box_text(&app.screen(), "Slots per Apple ID");
        assert!(
            overview.contains("last checked against Apple's page on 2026-11-20: matches"),
            "followed: {followed}\n{overview}"
        );
    }
}
