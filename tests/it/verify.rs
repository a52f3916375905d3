//! `aspen verify` against real servers on loopback (see `verify_servers`): what works,
//! what is rejected, servers down or silent, certificates from another CA or for
//! another host. Never Apple's hosts: every run names a loopback server.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{Env, asp};
use crate::verify_servers::{Ca, Silent, dovecot, free_port, radicale, start_dovecot, start_radicale};

const ME: &str = "me@icloud.com";

/// `aspen verify ARGS --json` and what it said.
struct Run {
    code: i32,
    json: Value,
    stdout: String,
    stderr: String,
    took: Duration,
}

fn verify(env: &Env, args: &[&str]) -> Run {
    let mut all = vec!["verify", "--json", "--pause", "0.1"];
    all.extend_from_slice(args);
    let start = Instant::now();
    let out = env.aspen(&all).output().unwrap();
    let took = start.elapsed();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\nstderr:\n{stderr}"));
    Run {
        code: out.status.code().unwrap(),
        json,
        stdout,
        stderr,
        took,
    }
}

impl Run {
    fn of(&self, label: &str) -> &Value {
        self.json
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["label"] == label)
            .unwrap_or_else(|| panic!("no {label} in {}", self.stdout))
    }

    fn result(&self, label: &str) -> &str {
        self.of(label)["result"].as_str().unwrap()
    }

    /// No password of these appears in anything aspen printed.
    fn never_shows(&self, passwords: &[&str]) {
        for p in passwords {
            assert!(
                !self.stdout.contains(p) && !self.stderr.contains(p),
                "{p} was printed"
            );
        }
    }
}

fn add(env: &Env, label: &str, password: &str, uses: &str) {
    let mut args = vec![
        "add",
        "--label",
        label,
        "--apple-id",
        ME,
        "--app",
        "App",
        "--password-stdin",
    ];
    if !uses.is_empty() {
        args.extend(["--uses", uses]);
    }
    if password.len() != 19 {
        args.push("--any-format");
    }
    env.aspen(&args)
        .write_stdin(format!("{password}\n"))
        .assert()
        .success();
}

fn entry(env: &Env, label: &str) -> Value {
    env.json(&["list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["label"] == label)
        .unwrap()
        .clone()
}

fn history(env: &Env, label: &str) -> Vec<String> {
    env.json(&["show", label, "--json"])["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["event"].as_str().unwrap().to_owned())
        .collect()
}

fn ca_file(env: &Env, ca: &Ca) -> String {
    ca.write(env.dir.path(), "ca.pem").display().to_string()
}

#[test]
fn caldav_against_radicale_works_rejects_and_never_retries() {
    let Some(bin) = radicale() else { return };
    let ca = Ca::new("aspen test CA");
    let server = start_radicale(&bin, &ca.server(&["127.0.0.1"]), ME, &asp(1));
    let env = Env::with_vault();
    add(&env, "Calendar", &asp(1), "calendar");
    let copy = env.copy_for_another_machine("vault 2.aspen");
    add(&env, "Old sync", &asp(2), "");
    // The same password in a second entry (another machine stored it too, and the
    // merge kept both): signed in with once, for both.
    env.add_elsewhere_and_merge(&copy, "Old sync 2", "App", &asp(2));
    env.aspen(&[
        "add",
        "--no-password",
        "--label",
        "Lost",
        "--apple-id",
        ME,
        "--created",
        "2026-01-01",
    ])
    .assert()
    .success();
    let url = format!("https://127.0.0.1:{}/", server.port);
    let ca = ca_file(&env, &ca);
    let run = verify(&env, &["--apple-id", ME, "--caldav-url", &url, "--ca-file", &ca]);
    assert_eq!(run.code, 10, "a rejected password: {}", run.stderr);
    assert_eq!(run.result("Calendar"), "works");
    assert_eq!(run.of("Calendar")["over"], "caldav");
    assert_eq!(run.of("Calendar")["recorded"], true);
    assert_eq!(run.result("Old sync"), "rejected");
    assert_eq!(run.result("Old sync 2"), "rejected");
    assert_eq!(run.of("Old sync 2")["same_as"], "Old sync");
    assert_eq!(run.of("Old sync 2")["recorded"], true);
    assert_eq!(run.result("Lost"), "skipped");
    assert_eq!(run.of("Lost")["detail"], "password-not-stored");
    assert!(
        run.stderr.contains("which is not Apple's server"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--ca-file"), "{}", run.stderr);
    run.never_shows(&[&asp(1), &asp(2)]);
    // One sign-in each: the rejected one was not tried again.
    let log = server.log_text();
    assert_eq!(log.matches("PROPFIND request for").count(), 2, "{log}");
    assert_eq!(log.matches("Failed login attempt").count(), 1, "{log}");
    // Recorded: the history, the attention, the last verification.
    assert_eq!(
        history(&env, "Calendar").last().unwrap(),
        "verified over CalDAV: Apple accepted it"
    );
    let old = entry(&env, "Old sync");
    assert_eq!(old["attention"], serde_json::json!(["rejected", "shared"]));
    assert_eq!(old["last_verified"]["result"], "rejected");
    assert_eq!(
        entry(&env, "Calendar")["last_verified"]["date"],
        crate::common::TODAY
    );
    // Recording the revoke turns "rejected" into "regenerate".
    env.aspen(&["revoke", "Old sync", "--replace"]).assert().success();
    assert_eq!(
        entry(&env, "Old sync")["attention"],
        serde_json::json!(["regenerate"])
    );
    // Only what works: exit 0.
    let run = verify(&env, &["Calendar", "--caldav-url", &url, "--ca-file", &ca]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn imap_against_dovecot_works_rejects_and_quotes_the_password() {
    let Some(bin) = dovecot() else { return };
    let ca = Ca::new("aspen test CA");
    // Stored with --any-format: a quote and a backslash must be escaped in LOGIN.
    let odd = r#"pa"ss\word x"#;
    let server = start_dovecot(&bin, &ca.server(&["127.0.0.1"]), &[(ME, &asp(1))]);
    let env = Env::with_vault();
    add(&env, "Thunderbird", &asp(1), "mail");
    add(&env, "K-9", &asp(2), "mail");
    let imap = format!("127.0.0.1:{}", server.port);
    let ca = ca_file(&env, &ca);
    let run = verify(&env, &["--all", "--imap-server", &imap, "--ca-file", &ca]);
    assert_eq!(run.code, 10, "{}", run.stderr);
    assert_eq!(run.result("Thunderbird"), "works");
    assert_eq!(run.of("Thunderbird")["over"], "imap");
    assert_eq!(run.of("Thunderbird")["user"], ME);
    assert_eq!(run.result("K-9"), "rejected");
    run.never_shows(&[&asp(1), &asp(2)]);
    let log = server.log_text();
    assert_eq!(
        log.matches("auth failed").count(),
        1,
        "one failed LOGIN, never retried:\n{log}"
    );
    assert_eq!(
        history(&env, "K-9").last().unwrap(),
        "verified over IMAP: Apple rejected it"
    );
    drop(server);

    let ca2 = Ca::new("aspen test CA 2");
    // 8-bit text cannot be quoted: it goes as a literal, after the server's "+".
    let (u8_id, u8_password) = ("koeln@icloud.com", "grüße-aus-köln");
    let users = [(ME, odd), (u8_id, u8_password)];
    let server = start_dovecot(&bin, &ca2.server(&["127.0.0.1"]), &users);
    let env = Env::with_vault();
    add(&env, "Odd", odd, "mail");
    env.aspen(&[
        "add",
        "--label",
        "Umlaut",
        "--apple-id",
        u8_id,
        "--app",
        "App",
        "--uses",
        "mail",
        "--any-format",
        "--password-stdin",
    ])
    .write_stdin(format!("{u8_password}\n"))
    .assert()
    .success();
    let imap = format!("127.0.0.1:{}", server.port);
    let ca = ca_file(&env, &ca2);
    let run = verify(&env, &["--all", "--imap-server", &imap, "--ca-file", &ca]);
    assert_eq!(run.result("Odd"), "works", "{}", server.log_text());
    assert_eq!(run.result("Umlaut"), "works", "{}", server.log_text());
    assert_eq!(run.code, 0);
    run.never_shows(&[odd, u8_password]);
}

#[test]
fn a_server_down_or_silent_is_unreachable_within_the_timeout_and_nothing_is_recorded() {
    let env = Env::with_vault();
    add(&env, "Calendar", &asp(1), "calendar");
    add(&env, "Mail", &asp(2), "mail");
    let before = (history(&env, "Calendar"), history(&env, "Mail"));
    let down = free_port();
    let run = verify(
        &env,
        &[
            "--all",
            "--caldav-url",
            &format!("https://127.0.0.1:{down}/"),
            "--imap-server",
            &format!("127.0.0.1:{down}"),
        ],
    );
    assert_eq!(run.code, 12, "{}", run.stderr);
    for label in ["Calendar", "Mail"] {
        assert_eq!(run.result(label), "unreachable");
        assert_eq!(run.of(label)["detail"], "the connection was refused");
        assert_eq!(run.of(label)["recorded"], false);
    }
    // Accepts the connection and never answers: each gives up after --timeout.
    let silent = Silent::start();
    let run = verify(
        &env,
        &[
            "--all",
            "--timeout",
            "2",
            "--caldav-url",
            &format!("https://127.0.0.1:{}/", silent.port),
            "--imap-server",
            &format!("127.0.0.1:{}", silent.port),
        ],
    );
    assert_eq!(run.code, 12, "{}", run.stderr);
    for label in ["Calendar", "Mail"] {
        assert_eq!(run.of(label)["detail"], "no answer within 2 s", "{}", run.stdout);
    }
    assert_eq!(silent.accepted(), 2);
    // Two sign-ins of at most 2 s each, the pause, and aspen's own start.
    assert!(run.took >= Duration::from_secs(4), "{:?}", run.took);
    assert!(run.took < Duration::from_secs(9), "{:?}", run.took);
    assert_eq!(before, (history(&env, "Calendar"), history(&env, "Mail")));
    run.never_shows(&[&asp(1), &asp(2)]);
}

#[test]
fn a_certificate_from_another_ca_or_for_another_host_fails_and_sends_nothing() {
    let (Some(rad), Some(dove)) = (radicale(), dovecot()) else {
        return;
    };
    let ours = Ca::new("aspen test CA");
    let rogue = Ca::new("someone else's CA");
    let env = Env::with_vault();
    add(&env, "Calendar", &asp(1), "calendar");
    // Another password: one password is one entry (issue 20). The handshake fails
    // before either is sent, so the servers' own password does not matter.
    add(&env, "Mail", &asp(2), "mail");
    let ca = ca_file(&env, &ours);
    for (cert, words) in [
        (rogue.server(&["127.0.0.1"]), "not signed by a trusted authority"),
        (
            ours.server(&["imap.example.org", "caldav.example.org"]),
            "for another host name",
        ),
    ] {
        let cal = start_radicale(&rad, &cert, ME, &asp(1));
        let mail = start_dovecot(&dove, &cert, &[(ME, &asp(1))]);
        let run = verify(
            &env,
            &[
                "--all",
                "--caldav-url",
                &format!("https://127.0.0.1:{}/", cal.port),
                "--imap-server",
                &format!("127.0.0.1:{}", mail.port),
                "--ca-file",
                &ca,
            ],
        );
        assert_eq!(run.code, 11, "{}", run.stderr);
        for label in ["Calendar", "Mail"] {
            assert_eq!(run.result(label), "tls-failure");
            let detail = run.of(label)["detail"].as_str().unwrap();
            assert!(detail.contains(words), "{detail}");
        }
        assert!(!cal.log_text().contains("PROPFIND request"), "{}", cal.log_text());
        // Handshakes refused, and no user name ever reached the server.
        assert!(mail.log_text().contains("TLS handshaking"), "{}", mail.log_text());
        assert!(!mail.log_text().contains(ME), "{}", mail.log_text());
        run.never_shows(&[&asp(1)]);
    }
    // Without --ca-file only Mozilla's roots count: the test CA is refused too.
    let cal = start_radicale(&rad, &ours.server(&["127.0.0.1"]), ME, &asp(1));
    let run = verify(
        &env,
        &[
            "Calendar",
            "--caldav-url",
            &format!("https://127.0.0.1:{}/", cal.port),
        ],
    );
    assert_eq!(run.result("Calendar"), "tls-failure");
    assert_eq!(run.code, 11);
}

#[test]
fn a_dry_run_contacts_nothing_and_says_where_each_would_go() {
    let env = Env::with_vault();
    add(&env, "Calendar", &asp(1), "calendar");
    add(&env, "Mail", &asp(2), "mail");
    env.aspen(&[
        "add",
        "--label",
        "Jane's",
        "--apple-id",
        "jane@example.org",
        "--app",
        "A",
        "--uses",
        "mail",
        "--password-stdin",
    ])
    .write_stdin(format!("{}\n", asp(3)))
    .assert()
    .success();
    env.aspen(&["revoke", "Mail"]).assert().success();
    let silent = Silent::start();
    let url = format!("https://127.0.0.1:{}/", silent.port);
    let run = verify(&env, &["--all", "--dry-run", "--caldav-url", &url]);
    assert_eq!(run.code, 0);
    assert_eq!(run.result("Calendar"), "would-sign-in");
    assert_eq!(run.of("Calendar")["address"], url.as_str());
    assert_eq!(run.result("Mail"), "skipped");
    assert_eq!(run.of("Mail")["detail"], "retired");
    // Mail, but no iCloud Mail address known for that Apple ID: CalDAV, and said so.
    assert_eq!(run.of("Jane's")["over"], "caldav");
    assert_eq!(run.of("Jane's")["mail_over_caldav"], true);
    assert!(run.stderr.contains("not Apple's server"));
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(silent.accepted(), 0, "a dry run connects to nothing");
    let text = env.stdout(&["verify", "--all", "--dry-run"]);
    assert!(
        text.contains("CalDAV PROPFIND at https://caldav.icloud.com/ as me@icloud.com"),
        "{text}"
    );
    assert!(text.contains("nothing was sent"), "{text}");
}

#[test]
fn sign_ins_are_paced_and_the_options_are_checked() {
    let env = Env::with_vault();
    add(&env, "One", &asp(1), "");
    add(&env, "Two", &asp(2), "");
    let down = format!("https://127.0.0.1:{}/", free_port());
    let mut args = vec![
        "verify",
        "--all",
        "--json",
        "--caldav-url",
        &down,
        "--pause",
        "1.5",
    ];
    let start = Instant::now();
    let out = env.aspen(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(12));
    assert!(
        start.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        start.elapsed()
    );
    // Never unencrypted, never a pause of nothing, and a CA file must hold a certificate.
    args[4] = "http://127.0.0.1:1/";
    env.aspen(&args).assert().code(2);
    let empty = env.path("empty.pem");
    std::fs::write(&empty, "not a certificate\n").unwrap();
    let out = env
        .aspen(&[
            "verify",
            "--all",
            "--ca-file",
            empty.to_str().unwrap(),
            "--caldav-url",
            &down,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("holds no PEM certificate") && stderr.contains("hint:"),
        "{stderr}"
    );
    env.aspen(&["verify", "--all", "--pause", "0"]).assert().code(2);
    env.aspen(&["verify"]).assert().code(2);
}

#[test]
fn an_answer_is_a_history_line_of_format_2_that_reads_back() {
    use aspen::model::{EntryId, NewEntry, Password, SignIn, Vault};
    use aspen::secret::SecretString;
    use aspen::vault_file::{INSECURE, KdfParams, parse_plaintext, plaintext};
    let day: jiff::civil::Date = "2026-11-20".parse().unwrap();
    let mut v = Vault::default();
    let id = EntryId::from_random([7; 16]);
    let new = NewEntry {
        label: "Calendar".into(),
        apple_id: ME.into(),
        apps: vec!["Fantastical".into()],
        password: Some(Password::parse(SecretString::from(asp(1).as_str()), false).unwrap()),
        created: day,
        notes: String::new(),
        uses: vec![],
        team_id: String::new(),
    };
    v.add(id.clone(), new, day).unwrap();
    let seq = v.entry(&id).unwrap().activated_seq;
    v.record_verification(&id, seq, SignIn::Imap, false, day).unwrap();
    let kdf = KdfParams::new(INSECURE, [9; 32]);
    let text = plaintext(&v, &kdf);
    let line = format!("(date: \"2026-11-20\", event: Verified(over: imap, accepted: false, seq: {seq}))");
    assert!(text.contains(&line), "{}", text.as_str());
    let (back, _) = parse_plaintext(text.as_bytes()).unwrap();
    assert!(back.entry(&id).unwrap().rejected_by_apple());
}

/// Once the answers are saved, no copy of a password it signed in with is left in
/// the process, nor the `user:password` pair HTTP Basic sends in base64: aspen is
/// caught blocked on a full stdout pipe as it prints the results, and its memory is
/// read (as root).
#[test]
fn no_copy_of_a_password_is_left_in_memory_after_signing_in() {
    use base64::Engine;
    use std::io::Read;
    let (Some(rad), Some(dove)) = (radicale(), dovecot()) else {
        return;
    };
    let ca = Ca::new("aspen test CA");
    let cert = ca.server(&["127.0.0.1"]);
    let cal = start_radicale(&rad, &cert, ME, &asp(1));
    let mail = start_dovecot(&dove, &cert, &[(ME, &asp(2))]);
    let env = Env::with_vault();
    add(&env, "Calendar", &asp(1), "calendar");
    add(&env, "Mail", &asp(2), "mail");
    add(&env, "Old", &asp(3), "");
    let before = env.vault_bytes();
    let (url, imap, ca) = (
        format!("https://127.0.0.1:{}/", cal.port),
        format!("127.0.0.1:{}", mail.port),
        ca_file(&env, &ca),
    );
    let args = [
        "verify",
        "--all",
        "--pause",
        "0.1",
        "--caldav-url",
        &url,
        "--imap-server",
        &imap,
        "--ca-file",
        &ca,
    ];
    let (mut reader, writer) = std::io::pipe().unwrap();
    fill(&writer);
    let mut child = env
        .process(&args)
        .stdin(std::process::Stdio::null())
        .stdout(writer)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    crate::clipboard::wait_for("aspen to save and then block printing the results", || {
        env.vault_bytes() != before && writing_to(&pid, 1)
    });
    let b64 = |p: &str| base64::engine::general_purpose::STANDARD.encode(format!("{ME}:{p}"));
    // The Apple ID is in the results being printed: proof that the scan sees them.
    let needles = [asp(1), asp(2), asp(3), b64(&asp(1)), b64(&asp(3)), ME.to_owned()];
    let hits = crate::common::memory_hits(&pid, &needles.iter().map(String::as_str).collect::<Vec<_>>());
    let drained = std::thread::spawn(move || {
        let mut all = Vec::new();
        reader.read_to_end(&mut all).unwrap();
        all
    });
    assert_eq!(child.wait().unwrap().code(), Some(10));
    let said = String::from_utf8_lossy(&drained.join().unwrap()).into_owned();
    assert!(said.contains("rejected     \"Old\""), "{said}");
    assert!(hits[5] > 0, "the scan found not even the Apple ID: {hits:?}");
    assert_eq!(
        hits[..5],
        [0; 5],
        "copies of the passwords left in aspen's memory"
    );
}

/// Fills the pipe behind `writer`, so that the next write to it blocks.
fn fill(writer: &std::io::PipeWriter) {
    use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
    use std::io::Write;
    let flags = fcntl_getfl(writer).unwrap();
    fcntl_setfl(writer, flags | OFlags::NONBLOCK).unwrap();
    for chunk in [4096, 1] {
        let bytes = vec![b'.'; chunk];
        while (&*writer).write(&bytes).is_ok() {}
    }
    fcntl_setfl(writer, flags).unwrap();
}

/// True while process `pid` sleeps in a system call on descriptor `fd` (a write to
/// the full pipe: /proc's first argument is the descriptor).
fn writing_to(pid: &str, fd: u8) -> bool {
    let syscall = std::fs::read_to_string(format!("/proc/{pid}/syscall")).unwrap_or_default();
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let sleeping = stat
        .rsplit_once(") ")
        .is_some_and(|(_, rest)| rest.starts_with('S'));
    sleeping && syscall.split_whitespace().nth(1) == Some(&format!("{fd:#x}"))
}
