//! Escaping outside the census: values clap rejects, paths in success messages, a
//! non-UTF-8 `ASPEN_TODAY`, and a `revoke-all` date that names itself.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use super::common::Env;
use super::{raw_lines, seeded};

/// `aspen ARGS` in `env`'s seeded home, run from its scratch folder, with `extra`
/// environment; stdout and stderr.
fn run_in(env: &Env, args: &[&OsStr], extra: &[(&str, &OsStr)]) -> (Option<i32>, String, String) {
    let mut cmd = env.process(&[]);
    cmd.args(args).current_dir(env.path("cwd"));
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let out = assert_cmd::Command::from_std(cmd)
        .write_stdin("")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

/// clap quotes a rejected value in its error as given. Piped, its output stream
/// strips ESC sequences but keeps CR, tabs, C1 controls and bidi overrides; on a
/// colour terminal (CLICOLOR_FORCE=1 stands in for one) it keeps ESC and BEL too, so
/// `aspen revoke X --date $'\e]52;c;…\a'` writes to the user's clipboard and
/// `--date $'\e[2J'` clears the screen. Every value parsed by clap is affected:
/// dates, numbers, `--format`, the shell of `completions`.
#[test]
fn values_the_parser_rejects_are_shown_escaped() {
    let seed = seeded();
    let env = &seed.env;
    let osc52 = os("\x1b]52;c;aGk=\x07");
    let (code, _, stderr) = run_in(
        env,
        &[os("revoke"), os("Thunderbird"), os("--date"), osc52],
        &[("CLICOLOR_FORCE", os("1"))],
    );
    assert_eq!(code, Some(2));
    assert!(
        !stderr.contains("\x1b]52") && !stderr.contains('\x07'),
        "{stderr:?}"
    );
    for value in ["Mail\rApp", "\u{9b}31mred", "Mail\u{202E}lanoisseforp"] {
        for args in [
            vec![os("revoke"), os("Thunderbird"), os("--date"), os(value)],
            vec![os("copy"), os("Thunderbird"), os("--clear-after"), os(value)],
            vec![os("completions"), os(value)],
        ] {
            let (code, _, stderr) = run_in(env, &args, &[]);
            assert_eq!(code, Some(2));
            assert!(raw_lines(stderr.as_bytes()).is_empty(), "{args:?}: {stderr:?}");
        }
    }
}

/// Success messages print paths with `Path::display`, unescaped: `init`
/// ("Created PATH."), `export -o` ("Wrote PATH."), `passwd` ("Changed the passphrase
/// of PATH.", "note: the backup PATH.bak …"). Also, by reading the code, the
/// passphrase prompt "Passphrase for PATH: " (src/cli/ctx.rs), which needs a TTY.
#[test]
fn paths_in_success_messages_are_escaped() {
    let seed = seeded();
    let env = &seed.env;
    let weird = "v\x1b[2J\x1b]0;pwned\x07.aspen";
    let (code, _, stderr) = run_in(
        env,
        &[os("--vault"), os(weird), os("init"), os("--insecure-kdf")],
        &[],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(raw_lines(stderr.as_bytes()).is_empty(), "init: {stderr:?}");

    std::fs::write(env.path("new-pass"), "another passphrase entirely\n").unwrap();
    let new_pass = env.path("new-pass");
    let (code, _, stderr) = run_in(
        env,
        &[
            os("--vault"),
            os(weird),
            os("passwd"),
            os("--new-passphrase-file"),
            new_pass.as_os_str(),
        ],
        &[],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(raw_lines(stderr.as_bytes()).is_empty(), "passwd: {stderr:?}");

    let (code, _, stderr) = run_in(
        env,
        &[
            os("export"),
            os("--format"),
            os("age"),
            os("-o"),
            os("out\x1b[2J.age"),
        ],
        &[],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(raw_lines(stderr.as_bytes()).is_empty(), "export: {stderr:?}");
}

/// docs/cli.md: "An invalid value [of ASPEN_TODAY] stops every command with
/// exit 2." One that is not UTF-8 is taken as unset (`std::env::var` fails with
/// NotUnicode and src/cli/ctx.rs falls back to the clock), so the command runs with
/// the real date.
#[test]
fn an_aspen_today_that_is_not_utf8_stops_the_command() {
    let seed = seeded();
    let (code, _, stderr) = run_in(
        &seed.env,
        &[os("list")],
        &[("ASPEN_TODAY", OsStr::from_bytes(b"\xff\xfe"))],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("ASPEN_TODAY") || stderr.contains("date"),
        "{stderr}"
    );
}

/// `revoke-all --date` before every active entry's created date is refused with
/// "me@icloud.com has no active entries to revoke", which is untrue (it has two) and
/// does not say the date is the problem.
#[test]
fn revoke_all_before_every_entry_names_the_date() {
    let seed = seeded();
    let (code, _, stderr) = run_in(
        &seed.env,
        &[
            os("revoke-all"),
            os("--apple-id"),
            os("me@icloud.com"),
            os("--date"),
            os("2025-01-01"),
        ],
        &[],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("2025-01-01"),
        "the error should name the date: {stderr}"
    );
}
