//! Issue 20: `aspen audit` by questions, at a real terminal (tmux), asks about each
//! row Apple's page should show, an old password a regeneration left live included,
//! and records the one Apple no longer lists revoked.
#![allow(clippy::unwrap_used)]

use crate::common::{Env, asp, require_tool};
use crate::tui_tmux::{Tmux, aspen};

#[test]
fn the_audit_by_questions_asks_about_each_old_password() {
    let Some(tmux) = require_tool("tmux") else { return };
    let env = Env::with_vault();
    env.add("Mail", "me@icloud.com", "Thunderbird", &asp(1), "2026-01-01");
    for (n, day) in [(2, "2026-03-01"), (3, "2026-06-01")] {
        let out = env
            .aspen(&["regenerate", "Mail", "--created", day, "--password-stdin"])
            .write_stdin(format!("{}\n", asp(n)))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert_eq!(env.json(&["slots", "--json"])[0]["active"], 3);
    let t = Tmux::start(tmux, &env, "audit");
    t.type_text(&format!(
        "ASPEN_PASSPHRASE_FILE=pass {} audit --apple-id me@icloud.com; echo audit-exited-$?",
        aspen()
    ));
    t.send(&["Enter"]);
    let screen = t.wait_for("Does Apple list \"Mail\"?");
    assert!(
        screen.contains("Apple should list 3 app-specific passwords"),
        "{screen}"
    );
    assert!(
        screen.contains("Mail  Jan 1, 2026  (the old password, still live)"),
        "{screen}"
    );
    t.type_text("y\n");
    t.wait_for("Does Apple list \"Mail\" created Mar 1, 2026 (the old password)?");
    t.type_text("y\n");
    t.wait_for("Does Apple list \"Mail\" created Jan 1, 2026 (the old password)?");
    t.type_text("n\n");
    t.wait_for("not shown above?");
    t.send(&["Enter"]);
    let screen = t.wait_for("1 old password revoked");
    assert!(
        screen.contains("0 revoked at Apple, 1 old password revoked"),
        "{screen}"
    );
    t.type_text("y\n");
    let screen = t.wait_for("audit-exited-0");
    assert!(screen.contains("1 old password(s) revoked at Apple"), "{screen}");
    assert_eq!(env.json(&["slots", "--json"])[0]["active"], 2);
}
