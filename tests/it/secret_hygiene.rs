//! A known password and passphrase must never show up where they do not belong:
//! the output of any command but `reveal`, error messages, Debug output, or the
//! vault file's bytes.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use crate::common;

use common::{Env, PASSPHRASE};

const SECRET: &str = "qzqz-xkxk-wvwv-jyjy";

#[test]
fn no_command_but_reveal_prints_the_password_or_the_passphrase() {
    let env = Env::with_vault();
    env.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird",
        SECRET,
        "2024-01-01",
    );
    // An export holding the password under other labels (issue 23).
    let import = env.path("import.csv");
    std::fs::write(
        &import,
        format!(
            "Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n\
             Again,,me@icloud.com,{SECRET},,false,false,,\n\
             Not mine,https://appleid.apple.com,me@icloud.com,{SECRET}!1,,false,false,,\n"
        ),
    )
    .unwrap();
    let (import, out) = (import.to_str().unwrap(), env.path("all.csv"));
    let runs: Vec<Vec<&str>> = vec![
        vec!["import", import, "--from", "1password", "--created", "2024-01-01"],
        vec![
            "import",
            import,
            "--from",
            "1password",
            "--created",
            "2024-01-01",
            "--yes",
        ],
        vec!["export", "--format", "csv"],
        vec!["export", "--format", "json"],
        vec![
            "export",
            "--format",
            "csv",
            "--with-passwords",
            "-o",
            out.to_str().unwrap(),
        ],
        vec!["list"],
        vec!["list", "--json"],
        vec!["show", "Thunderbird"],
        vec!["show", "Thunderbird", "--json"],
        vec!["slots", "--json"],
        vec!["check"],
        vec!["check", "--json"],
        vec!["edit", "Thunderbird", "--notes", "laptop"],
        vec!["revoke", "Thunderbird", "--replace"],
        vec!["reset", "--apple-id", "me@icloud.com"],
        vec!["revoke-all", "--apple-id", "me@icloud.com"],
        vec!["show", "Nope"],
        vec!["rm", "Thunderbird"],
        vec!["export", "--format", "age"],
    ];
    for args in &runs {
        let out = env.aspen(args).output().unwrap();
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.contains(SECRET),
                "aspen {args:?} printed the password:\n{text}"
            );
            assert!(
                !text.contains(PASSPHRASE),
                "aspen {args:?} printed the passphrase:\n{text}"
            );
        }
    }
    // A wrong guess is not echoed either.
    std::fs::write(env.path("pass"), "my wrong guess 123\n").unwrap();
    let out = env.aspen(&["list"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("my wrong guess"));
    // Only reveal prints it.
    std::fs::write(env.path("pass"), format!("{PASSPHRASE}\n")).unwrap();
    assert_eq!(env.stdout(&["reveal", "Thunderbird"]), format!("{SECRET}\n"));
    // The file on disk never holds it in clear, nor does the backup.
    for file in [env.vault(), env.backup()] {
        let bytes = String::from_utf8_lossy(&common::read(&file)).into_owned();
        assert!(!bytes.contains(SECRET) && !bytes.contains("qzqzxkxk"));
    }
}

#[test]
fn debug_output_of_an_open_vault_holds_no_secret() {
    let env = Env::with_vault();
    env.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird",
        SECRET,
        "2024-01-01",
    );
    let paths = aspen::storage::VaultPaths::new(env.vault());
    let loaded = paths
        .store()
        .open(&aspen::secret::SecretString::from(PASSPHRASE))
        .unwrap();
    let shown = format!("{loaded:?} {:#?}", loaded.vault);
    assert!(shown.contains("Thunderbird"), "the Debug output is real");
    assert!(!shown.contains(SECRET));
    assert!(!shown.contains("AGE-SECRET-KEY"));
    let wrong = paths
        .store()
        .open(&aspen::secret::SecretString::from("nope"))
        .unwrap_err();
    assert!(!format!("{wrong:?} {wrong}").contains("nope"));
}

/// The arguments of an `add` that reads its password with `--password-stdin`.
const ADD_FROM_STDIN: [&str; 8] = [
    "add",
    "--label",
    "Mail",
    "--apple-id",
    "me@icloud.com",
    "--app",
    "Mail",
    "--password-stdin",
];

/// `--password-stdin` reads its line from the descriptor itself, a byte at a time,
/// not through std's stdin buffer, which reads ahead and is never wiped: what follows
/// the line is still on stdin for the next reader.
#[test]
fn password_stdin_reads_its_line_and_nothing_after_it() {
    let env = Env::with_vault();
    let base = env.process(&[]);
    // printf writes once, so the whole input is in the pipe before aspen reads: a
    // buffered reader would take all of it, and `cat` would get nothing.
    let script = r#"aspen="$1"; shift; printf '%s\nthe next line\n' "$SECRET" | { "$aspen" "$@"; cat; }"#;
    let out = std::process::Command::new("sh")
        .env_clear()
        .envs(base.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .env("SECRET", SECRET)
        .arg("-c")
        .arg(script)
        .arg("sh")
        .arg(base.get_program())
        .args(ADD_FROM_STDIN)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Added \"Mail\""), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "the next line\n");
    assert_eq!(env.stdout(&["reveal", "Mail"]), format!("{SECRET}\n"));
}

/// Once `add --password-stdin` has saved, no copy of the password is left in the
/// process. It is caught blocked on a full stderr pipe as it says "Added", after the
/// vault holding the password was dropped, and its memory is read (as root).
#[test]
fn password_stdin_leaves_no_copy_in_memory_once_saved() {
    use std::io::{Read, Write};
    if !common::is_root() {
        assert!(
            !common::system_tests_required(),
            "reading a non-dumpable process's memory needs root, and ASPEN_REQUIRE_SYSTEM_TESTS=1"
        );
        eprintln!("SKIPPED: reading aspen's memory needs root (CI runs as root)");
        return;
    }
    let env = Env::with_vault();
    let before = env.vault_bytes();
    let (mut reader, writer) = std::io::pipe().unwrap();
    fill(&writer);
    let mut child = env
        .process(&ADD_FROM_STDIN)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(writer)
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(format!("{SECRET}\n").as_bytes()).unwrap();
    crate::clipboard::wait_for("aspen to save and then block saying so", || {
        env.vault_bytes() != before && writing_to_stderr(&pid)
    });
    let hits = common::memory_hits(&pid, &[SECRET]);
    let drained = std::thread::spawn(move || {
        let mut all = Vec::new();
        reader.read_to_end(&mut all).unwrap();
        all
    });
    assert!(child.wait().unwrap().success());
    let said = String::from_utf8_lossy(&drained.join().unwrap()).into_owned();
    assert!(said.contains("Added \"Mail\""), "{said}");
    assert_eq!(hits, vec![0], "copies of the password left in aspen's memory");
}

/// Fills the pipe behind `writer`, so that the next write to it blocks.
fn fill(writer: &std::io::PipeWriter) {
    use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
    use std::io::Write;
    let flags = fcntl_getfl(writer).unwrap();
    fcntl_setfl(writer, flags | OFlags::NONBLOCK).unwrap();
    // Whole pages, then single bytes into the last page's room.
    for chunk in [4096, 1] {
        let bytes = vec![b'.'; chunk];
        while (&*writer).write(&bytes).is_ok() {}
    }
    fcntl_setfl(writer, flags).unwrap();
}

/// True while process `pid` sleeps in a system call on its stderr (a write to the full
/// pipe: /proc's first argument is the descriptor).
fn writing_to_stderr(pid: &str) -> bool {
    let syscall = std::fs::read_to_string(format!("/proc/{pid}/syscall")).unwrap_or_default();
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let sleeping = stat
        .rsplit_once(") ")
        .is_some_and(|(_, rest)| rest.starts_with('S'));
    sleeping && syscall.split_whitespace().nth(1) == Some("0x2")
}
