//! Issue 5, "Bad input everywhere", for the command line. Every subcommand's every
//! argument that takes a value, through the real binary, gets each bad value while the
//! other arguments stay valid: empty, huge, control characters, escape sequences,
//! invisible characters, invalid UTF-8, wrong dates, unknown and malformed Apple IDs
//! and labels. What cannot travel in one argv string (Linux caps each at 128 KiB,
//! MAX_ARG_STRLEN) goes through the channels that carry more: 1 MiB on stdin
//! (`--password-stdin`), in the passphrase files and in the config file. `ASPEN_TODAY`
//! is a channel too.
//!
//! Each run must end in a clear error or a safe success: no panic; a refusal says
//! `error: …` and names what was wrong; no control or invisible character reaches the
//! terminal raw; the vault is byte for byte unchanged after a refusal and still opens
//! (with `aspen list --json` working) after a success. Cases are independent: the seed
//! vault is put back after each.
//!
//! Not covered: a NUL byte (argv and environment strings are C strings, so no user can
//! pass one); prompts on a terminal (no passphrase file, `rm` without `--yes`) and
//! `aspen tui`, which need a TTY.
#![allow(clippy::unwrap_used, clippy::disallowed_methods, clippy::disallowed_macros)]

use crate::common;
mod escaping;
mod values;

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use aspen::secret::SecretString;
use common::{Env, PASSPHRASE, asp};
use values::{
    ARGV_MAX, Bad, apple_id_values, choice_values, common_values, config_values, content_values, date_values,
    float_values, int_values, label_values, path_values,
};

/// Where the value goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Via {
    Label,
    AppleId,
    Text,
    Notes,
    Date,
    Int,
    IntParserRefuses,
    Float,
    Path,
    Choice,
    /// The bytes on stdin.
    Stdin,
    /// The bytes of a file whose path replaces `{file}`.
    File,
    /// The value of `ASPEN_TODAY`.
    Today,
}

/// Which home a case runs in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Home {
    /// The seeded vault, restored after each case.
    Seeded,
    /// The seeded vault, run under `setsid` so `copy` has no terminal to write to.
    SeededNoTty,
    /// A fresh home without a vault (for `init`).
    Fresh,
}

/// Must a value be refused? From docs/cli.md ("Naming things", the commands) and the
/// rules in src/model/validate.rs; where either outcome can be right, the rule says
/// nothing and only the safety checks apply.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Rule {
    /// A label, app or Apple ID that would be stored: no control or invisible
    /// characters, not empty, not past its length limit, not invalid UTF-8; an Apple ID
    /// must look like an e-mail address.
    Stored,
    /// Notes: tabs, line breaks and invisible characters are allowed, other control
    /// characters and more than 4096 characters are not; empty clears them.
    Notes,
    /// Picks an existing entry or Apple ID: only a match is accepted.
    Selector,
    /// A date of something at Apple: what is not a date, is before 2013-01-01 (when
    /// app-specific passwords began) or after 2026-11-20, is refused.
    PastDate,
    /// `ASPEN_TODAY`: what is not a `YYYY-MM-DD` date stops the command.
    ValidDate,
    /// An Apple developer team id: 10 letters and digits, around white space.
    TeamId,
    /// Anything safe.
    Any,
}

struct Target {
    command: &'static str,
    argument: &'static str,
    via: Via,
    home: Home,
    /// The arguments; `{}` is the value, `{file}` the file holding it.
    template: &'static [&'static str],
    /// Stdin when the value is not on stdin.
    stdin: &'static str,
    rule: Rule,
    /// A refusal names one of these (case-insensitive), or the option itself.
    subject: &'static [&'static str],
}

const APPLE_ID: &[&str] = &["apple id", "--apple-id"];
const LABEL: &[&str] = &["label"];
const DATE: &[&str] = &["date"];
const TEAM_ID: &[&str] = &["team id"];

fn t(
    command: &'static str,
    argument: &'static str,
    via: Via,
    rule: Rule,
    subject: &'static [&'static str],
    template: &'static [&'static str],
) -> Target {
    Target {
        command,
        argument,
        via,
        home: Home::Seeded,
        template,
        stdin: "",
        rule,
        subject,
    }
}

impl Target {
    fn fresh(mut self) -> Self {
        self.home = Home::Fresh;
        self
    }

    fn no_tty(mut self) -> Self {
        self.home = Home::SeededNoTty;
        self
    }

    /// A valid app-specific password on stdin, for `--password-stdin`.
    fn password(mut self) -> Self {
        self.stdin = "uvwx-abcd-efgh-ijkl\n";
        self
    }
}

/// Every subcommand's arguments that take a value (src/cli/*.rs, `aspen CMD --help`),
/// each with the rest of its command line valid.
#[rustfmt::skip]
fn targets() -> Vec<Target> {
    use Rule::{Any, PastDate, Selector, Stored, TeamId, ValidDate};
    use Via::*;
    vec![
        // Global options, on `list` (and on `init` for --vault: the path it creates).
        t("global", "--vault", Path, Any, &["vault"], &["--vault", "{}", "list"]),
        t("global", "--vault (init)", Path, Any, &["vault", "could not"], &["--vault", "{}", "init", "--insecure-kdf"]).fresh(),
        t("global", "--config", Path, Any, &["config"], &["--config", "{}", "list"]),
        t("global", "--passphrase-file", Path, Any, &["passphrase", "could not read"], &["--passphrase-file", "{}", "list"]),
        t("global", "--theme", Text, Any, &["theme"], &["--theme", "{}", "list"]),
        t("global", "config file", File, Any, &["config"], &["--config", "{file}", "list"]),
        t("global", "passphrase file", File, Any, &["passphrase"], &["--passphrase-file", "{file}", "list"]),
        t("global", "ASPEN_TODAY", Today, ValidDate, &["date", "ASPEN_TODAY"], &["list"]),
        // init
        t("init", "--kdf-memory", Int, Any, &["argon2id", "memory"], &["init", "--insecure-kdf", "--kdf-memory", "{}"]).fresh(),
        t("init", "--kdf-time", Int, Any, &["argon2id", "pass"], &["init", "--insecure-kdf", "--kdf-time", "{}"]).fresh(),
        t("init", "--kdf-parallelism", Int, Any, &["argon2id", "lane"], &["init", "--insecure-kdf", "--kdf-parallelism", "{}"]).fresh(),
        t("init", "--unlock-time", Float, Any, &["unlock"], &["init", "--insecure-kdf", "--unlock-time", "{}"]).fresh(),
        t("init", "passphrase file", File, Any, &["passphrase"], &["--passphrase-file", "{file}", "init", "--insecure-kdf"]).fresh(),
        // add
        t("add", "--label", Text, Stored, LABEL, &["add", "--label", "{}", "--apple-id", "me@icloud.com", "--app", "Outlook", "--created", "2026-11-01", "--password-stdin"]).password(),
        t("add", "--apple-id", AppleId, Stored, APPLE_ID, &["add", "--label", "Outlook", "--apple-id", "{}", "--app", "Outlook", "--created", "2026-11-01", "--password-stdin"]).password(),
        t("add", "--app", Text, Stored, &["app"], &["add", "--label", "Outlook", "--apple-id", "me@icloud.com", "--app", "{}", "--created", "2026-11-01", "--password-stdin"]).password(),
        t("add", "--created", Date, PastDate, DATE, &["add", "--label", "Outlook", "--apple-id", "me@icloud.com", "--app", "Outlook", "--created", "{}", "--password-stdin"]).password(),
        t("add", "--notes", Notes, Rule::Notes, &["notes"], &["add", "--label", "Outlook", "--apple-id", "me@icloud.com", "--app", "Outlook", "--notes", "{}", "--password-stdin"]).password(),
        t("add", "password on stdin", Stdin, Any, &["password", "stdin"], &["add", "--label", "Outlook", "--apple-id", "me@icloud.com", "--app", "Outlook", "--password-stdin"]),
        t("add", "password on stdin (--any-format)", Stdin, Any, &["password", "stdin"], &["add", "--label", "Outlook", "--apple-id", "me@icloud.com", "--app", "Outlook", "--password-stdin", "--any-format"]),
        t("add", "--uses", Text, Any, &["uses", "mail, calendar, contacts"], &["add", "--label", "Outlook", "--apple-id", "me@icloud.com", "--app", "Outlook", "--uses", "{}", "--password-stdin"]).password(),
        t("add", "--team-id", Text, TeamId, TEAM_ID, &["add", "--label", "Outlook", "--apple-id", "me@icloud.com", "--app", "Outlook", "--uses", "notarization", "--team-id", "{}", "--password-stdin"]).password(),
        t("add --no-password", "--label", Text, Stored, LABEL, &["add", "--label", "{}", "--apple-id", "me@icloud.com", "--created", "2026-11-01", "--no-password"]),
        t("add --no-password", "--created", Date, PastDate, DATE, &["add", "--label", "Old iPad", "--apple-id", "me@icloud.com", "--created", "{}", "--no-password"]),
        // Apple IDs and Apple's page
        t("apple-id name", "ID", AppleId, Selector, APPLE_ID, &["apple-id", "name", "{}", "me"]),
        t("apple-id name", "NAME", Text, Any, &["name"], &["apple-id", "name", "me@icloud.com", "{}"]),
        t("apple-id rename", "NEW", AppleId, Any, APPLE_ID, &["apple-id", "rename", "me@icloud.com", "{}"]),
        t("apple-id mail", "ID", AppleId, Selector, APPLE_ID, &["apple-id", "mail", "{}", "--clear"]),
        t("apple-id mail", "ADDRESS", Text, Any, &["icloud mail"], &["apple-id", "mail", "work@example.com", "{}"]),
        t("audit", "--apple-id", AppleId, Selector, APPLE_ID, &["audit", "--apple-id", "{}", "--listed", "-", "--apply"]),
        t("audit", "--listed", Path, Any, &["could not", "list", "permission"], &["audit", "--apple-id", "me@icloud.com", "--listed", "{}"]),
        t("audit", "listed file", File, Any, &["line", "list", "date", "label"], &["audit", "--apple-id", "me@icloud.com", "--listed", "{file}", "--apply"]),
        // Merging
        t("merge", "FILE", Path, Any, &["could not", "vault", "permission", "not an aspen"], &["merge", "{}"]),
        t("resolve", "LABEL", Label, Selector, LABEL, &["resolve", "{}", "--keep", "ours"]),
        t("resolve", "--keep", Choice, Any, &["--keep"], &["resolve", "Thunderbird", "--keep", "{}"]),
        // Readers
        t("list", "--apple-id", AppleId, Any, APPLE_ID, &["list", "--apple-id", "{}"]),
        t("show", "LABEL", Label, Selector, LABEL, &["show", "{}"]),
        t("show", "--apple-id", AppleId, Selector, APPLE_ID, &["show", "Thunderbird", "--apple-id", "{}"]),
        t("reveal", "LABEL", Label, Selector, LABEL, &["reveal", "{}"]),
        t("reveal", "--apple-id", AppleId, Selector, APPLE_ID, &["reveal", "Thunderbird", "--apple-id", "{}"]),
        t("slots", "--apple-id", AppleId, Any, APPLE_ID, &["slots", "--apple-id", "{}"]),
        // copy: without a display or a terminal, even a good selection exits 8.
        t("copy", "LABEL", Label, Any, LABEL, &["copy", "{}"]).no_tty(),
        t("copy", "--apple-id", AppleId, Any, APPLE_ID, &["copy", "Thunderbird", "--apple-id", "{}"]).no_tty(),
        t("copy", "--clear-after", Int, Any, &["clear"], &["copy", "Thunderbird", "--clear-after", "{}"]).no_tty(),
        // edit
        t("edit", "LABEL", Label, Selector, LABEL, &["edit", "{}", "--notes", "changed"]),
        t("edit", "--apple-id", AppleId, Selector, APPLE_ID, &["edit", "Thunderbird", "--apple-id", "{}", "--notes", "changed"]),
        t("edit", "--new-label", Text, Stored, LABEL, &["edit", "Thunderbird", "--new-label", "{}"]),
        t("edit", "--new-apple-id", AppleId, Stored, &["apple id", "nothing to change"], &["edit", "Thunderbird", "--new-apple-id", "{}"]),
        t("edit", "--app", Text, Stored, &["app"], &["edit", "Thunderbird", "--app", "{}"]),
        t("edit", "--notes", Notes, Rule::Notes, &["notes"], &["edit", "Thunderbird", "--notes", "{}"]),
        t("edit", "--created", Date, PastDate, DATE, &["edit", "Thunderbird", "--created", "{}"]),
        t("edit", "--team-id", Text, TeamId, TEAM_ID, &["edit", "Thunderbird", "--uses", "notarization", "--team-id", "{}"]),
        // rm
        t("rm", "LABEL", Label, Selector, LABEL, &["rm", "{}", "--yes"]),
        t("rm", "--apple-id", AppleId, Selector, APPLE_ID, &["rm", "Thunderbird", "--apple-id", "{}", "--yes"]),
        // Recording what happened at Apple
        t("revoke", "LABEL", Label, Selector, LABEL, &["revoke", "{}"]),
        t("revoke", "--apple-id", AppleId, Selector, APPLE_ID, &["revoke", "Thunderbird", "--apple-id", "{}"]),
        t("revoke", "--date", Date, PastDate, DATE, &["revoke", "Thunderbird", "--date", "{}"]),
        t("revoke-all", "--apple-id", AppleId, Selector, APPLE_ID, &["revoke-all", "--apple-id", "{}"]),
        t("revoke-all", "--date", Date, PastDate, DATE, &["revoke-all", "--apple-id", "me@icloud.com", "--date", "{}"]),
        t("reset", "--apple-id", AppleId, Selector, APPLE_ID, &["reset", "--apple-id", "{}"]),
        t("reset", "--date", Date, PastDate, DATE, &["reset", "--apple-id", "me@icloud.com", "--date", "{}"]),
        // regenerate
        t("regenerate", "LABEL", Label, Selector, LABEL, &["regenerate", "{}", "--password-stdin"]).password(),
        t("regenerate", "--apple-id", AppleId, Selector, APPLE_ID, &["regenerate", "Thunderbird", "--apple-id", "{}", "--password-stdin"]).password(),
        t("regenerate", "--created", Date, PastDate, DATE, &["regenerate", "Thunderbird", "--created", "{}", "--password-stdin"]).password(),
        t("regenerate", "password on stdin", Stdin, Any, &["password", "stdin"], &["regenerate", "Thunderbird", "--password-stdin"]),
        // The vault as a whole
        t("export", "--format", Choice, Any, &["--format"], &["export", "--format", "{}"]),
        t("export", "--output", Path, Any, &["could not", "exists", "permission"], &["export", "--format", "age", "--output", "{}"]),
        t("export", "--output (--with-passwords)", Path, Any, &["could not", "exists", "permission", "--output"], &["export", "--format", "csv", "--with-passwords", "--output", "{}"]),
        // import: a 1Password export with one password and neither user name nor date.
        t("import", "FILE", Path, Any, &["export", "could not", "permission"], &["import", "{}", "--from", "1password"]),
        t("import", "export file (csv)", File, Any, &["export"], &["import", "{file}", "--from", "csv", "--yes"]),
        t("import", "export file (1password)", File, Any, &["export"], &["import", "{file}", "--from", "1password", "--created", "2026-01-01", "--yes"]),
        t("import", "--from", Choice, Any, &["--from"], &["import", "../import.csv", "--from", "{}"]),
        t("import", "--apple-id", AppleId, Stored, APPLE_ID, &["import", "../import.csv", "--from", "1password", "--created", "2026-01-01", "--apple-id", "{}", "--yes"]),
        t("import", "--created", Date, PastDate, DATE, &["import", "../import.csv", "--from", "1password", "--apple-id", "me@icloud.com", "--created", "{}", "--yes"]),
        t("passwd", "--new-passphrase-file", Path, Any, &["could not read", "passphrase"], &["passwd", "--new-passphrase-file", "{}"]),
        t("passwd", "new passphrase file", File, Any, &["passphrase"], &["passwd", "--new-passphrase-file", "{file}"]),
        t("completions", "SHELL", Choice, Any, &["<SHELL>"], &["completions", "{}"]),
        t("clipboard-holder", "--clear-after-ms", IntParserRefuses, Any, &["--clear-after-ms"], &["clipboard-holder", "--clear-after-ms", "{}"]),
    ]
}

fn values_for(target: &Target) -> Vec<Bad> {
    let mut values = match target.via {
        Via::Stdin => return content_values("abcd-efgh-ijkl-mnop"),
        Via::File if target.argument.contains("config") => return config_values(),
        Via::File => return content_values(PASSPHRASE),
        // Each environment string is capped like an argv string, name included.
        Via::Today => common_values(ARGV_MAX - "ASPEN_TODAY=".len()),
        _ => common_values(ARGV_MAX),
    };
    values.extend(match target.via {
        Via::Label => label_values(),
        Via::AppleId => apple_id_values(),
        Via::Date | Via::Today => date_values(),
        Via::Int => int_values(true),
        Via::IntParserRefuses => int_values(false),
        Via::Float => float_values(),
        Via::Path => path_values(),
        Via::Choice => choice_values(),
        Via::Text | Via::Notes | Via::Stdin | Via::File => Vec::new(),
    });
    values
}

/// Whether the rule demands a refusal (`Some(true)`), a success (`Some(false)`), or
/// leaves it open.
fn must_refuse(rule: Rule, bad: &Bad) -> Option<bool> {
    let text = std::str::from_utf8(&bad.value).ok();
    let date = text.and_then(|t| t.parse::<jiff::civil::Date>().ok());
    match rule {
        Rule::Any => None,
        Rule::Selector => Some(bad.name != "known Apple ID in upper case"),
        Rule::Stored => (bad.category != "unknown").then_some(true),
        Rule::Notes => Some(match text {
            None => true,
            Some(t) => {
                t.chars().count() > 4096 || t.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
            }
        }),
        Rule::PastDate => date
            .is_none_or(|d| d < jiff::civil::date(2013, 1, 1) || d > jiff::civil::date(2026, 11, 20))
            .then_some(true),
        Rule::ValidDate => Some(date.is_none()),
        Rule::TeamId => Some(text.is_none_or(|t| {
            let t = t.trim();
            t.chars().count() != 10 || !t.chars().all(|c| c.is_ascii_alphanumeric())
        })),
    }
}

/// The seeded home: three entries under two Apple IDs, no backup.
struct Seeded {
    pub(crate) env: Env,
    vault: Vec<u8>,
}

fn seeded() -> Seeded {
    let env = Env::with_vault();
    env.add(
        "Thunderbird",
        "me@icloud.com",
        "Thunderbird",
        &asp(1),
        "2026-01-10",
    );
    env.add("SmoothSync", "me@icloud.com", "SmoothSync", &asp(2), "2026-03-01");
    env.add("Mail", "work@example.com", "Mail", &asp(3), "2026-02-01");
    // Notes to clear, so `edit --notes ""` is a change.
    env.aspen(&["edit", "Thunderbird", "--notes", "IMAP + SMTP"])
        .assert()
        .success();
    std::fs::remove_file(env.backup()).unwrap();
    std::fs::create_dir_all(env.path("cwd")).unwrap();
    std::fs::write(
        env.path("import.csv"),
        "Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n\
         Spark,,,efgh-ijkl-mnop-qrst,,false,false,,\n",
    )
    .unwrap();
    let vault = env.vault_bytes();
    Seeded { env, vault }
}

/// Puts the seed back: the vault bytes, no backup, an empty working folder, and a
/// machine that never saw a later save (else putting the seed back is a rollback,
/// which aspen rightly names).
fn restore(seed: &Seeded) {
    let env = &seed.env;
    std::fs::write(env.vault(), &seed.vault).unwrap();
    let _ = std::fs::remove_dir_all(env.path(".local/state/aspen"));
    let _ = std::fs::remove_file(env.backup());
    let cwd = env.path("cwd");
    let _ = std::fs::remove_dir_all(&cwd);
    std::fs::create_dir_all(&cwd).unwrap();
    let _ = std::fs::remove_file(env.path("value"));
}

/// The command line for `target` with `value` in place. An option's value that starts
/// with `-` is glued on with `=` so the parser cannot take it for an option.
fn argv(target: &Target, value: &[u8], file: &Path) -> Vec<OsString> {
    let mut out: Vec<OsString> = Vec::new();
    for part in target.template {
        match *part {
            "{}" if value.starts_with(b"-")
                && out.last().is_some_and(|p| p.as_bytes().starts_with(b"--")) =>
            {
                let option = out.pop().unwrap();
                let mut glued = option;
                glued.push("=");
                glued.push(OsStr::from_bytes(value));
                out.push(glued);
            }
            "{}" => out.push(OsStr::from_bytes(value).to_owned()),
            "{file}" => out.push(file.as_os_str().to_owned()),
            other => out.push(other.into()),
        }
    }
    out
}

struct Ran {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    took: Duration,
}

fn run(env: &Env, home: Home, args: &[OsString], stdin: &[u8], today: Option<&[u8]>) -> Ran {
    let base = env.process(&[]);
    let mut cmd = if home == Home::SeededNoTty {
        // No controlling terminal: `copy` must not write OSC 52 to whoever runs this.
        let mut cmd = std::process::Command::new("setsid");
        cmd.arg("--wait").arg(base.get_program()).env_clear();
        for (k, v) in base.get_envs() {
            if let Some(v) = v {
                cmd.env(k, v);
            }
        }
        cmd
    } else {
        base
    };
    cmd.args(args).current_dir(env.path("cwd"));
    if let Some(today) = today {
        cmd.env("ASPEN_TODAY", OsStr::from_bytes(today));
    }
    let start = Instant::now();
    let out = assert_cmd::Command::from_std(cmd)
        .write_stdin(stdin.to_vec())
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    Ran {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: out.stderr,
        took: start.elapsed(),
    }
}

/// Lines of `out` holding a character that must never reach a terminal raw: control
/// characters other than the line feed, and invisible formatting characters.
fn raw_lines(out: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(out)
        .split('\n')
        .filter(|l| {
            l.chars()
                .any(|c| (c.is_control() && c != '\n') || aspen::text::is_invisible_format(c))
        })
        .map(str::to_owned)
        .collect()
}

#[derive(Default)]
struct Tally {
    cases: usize,
    refused: usize,
    refused_without_hint: Vec<String>,
    accepted: usize,
    panics: usize,
    damaged: usize,
    by_category: BTreeMap<&'static str, usize>,
    by_command: BTreeMap<&'static str, usize>,
    arguments: BTreeMap<(&'static str, &'static str), usize>,
    violations: Vec<String>,
    slowest: (Duration, String),
}

impl Tally {
    fn merge(&mut self, other: Self) {
        self.cases += other.cases;
        self.refused += other.refused;
        self.refused_without_hint.extend(other.refused_without_hint);
        self.accepted += other.accepted;
        self.panics += other.panics;
        self.damaged += other.damaged;
        for (k, v) in other.by_category {
            *self.by_category.entry(k).or_default() += v;
        }
        for (k, v) in other.by_command {
            *self.by_command.entry(k).or_default() += v;
        }
        for (k, v) in other.arguments {
            *self.arguments.entry(k).or_default() += v;
        }
        self.violations.extend(other.violations);
        if other.slowest.0 > self.slowest.0 {
            self.slowest = other.slowest;
        }
    }
}

/// The passphrase a successful run leaves the vault under.
fn passphrase_after(target: &Target, bad: &Bad) -> String {
    let new_passphrase = matches!(target.command, "passwd" | "init") && target.via == Via::File;
    if new_passphrase {
        String::from_utf8_lossy(&bad.value)
            .lines()
            .next()
            .unwrap_or("")
            .to_owned()
    } else {
        PASSPHRASE.to_owned()
    }
}

/// The vault a run was about: the seed's, or for `init --vault`, the path given.
fn vault_of(env: &Env, target: &Target, bad: &Bad) -> PathBuf {
    if target.argument == "--vault (init)" {
        env.path("cwd").join(OsStr::from_bytes(&bad.value))
    } else {
        env.vault()
    }
}

/// Runs one case and records what it did.
/// At most `n` characters of `s`, escaped, for a readable failure message.
fn short(s: &str, n: usize) -> String {
    let escaped = aspen::text::escape_control(s);
    let mut out: String = escaped.chars().take(n).collect();
    if escaped.chars().count() > n {
        out.push('…');
    }
    out
}

fn case(env: &Env, seed: Option<&[u8]>, target: &Target, bad: &Bad, tally: &mut Tally) {
    let file = env.path("value");
    if target.via == Via::File {
        std::fs::write(&file, &bad.value).unwrap();
    }
    let args = argv(target, &bad.value, &file);
    let stdin: &[u8] = if target.via == Via::Stdin {
        &bad.value
    } else {
        target.stdin.as_bytes()
    };
    let today = (target.via == Via::Today).then_some(bad.value.as_slice());
    let ran = run(env, target.home, &args, stdin, today);

    let what = format!("aspen {} [{}: {}]", target.command, target.argument, bad.name);
    let stderr = String::from_utf8_lossy(&ran.stderr).into_owned();
    let said = short(&stderr, 300);
    let mut problems: Vec<String> = Vec::new();
    tally.cases += 1;
    *tally.by_category.entry(bad.category).or_default() += 1;
    *tally.by_command.entry(target.command).or_default() += 1;
    *tally
        .arguments
        .entry((target.command, target.argument))
        .or_default() += 1;
    if ran.took > tally.slowest.0 {
        tally.slowest = (ran.took, what.clone());
    }

    // No panic, and a documented exit status.
    if ran.code == Some(101) || stderr.contains("panicked") {
        tally.panics += 1;
        problems.push(format!("panicked: {said}"));
    }
    match ran.code {
        None => problems.push("killed by a signal (or timed out after 30 s)".to_owned()),
        Some(c) if !(0..=8).contains(&c) => problems.push(format!("undocumented exit status {c}")),
        _ => {}
    }
    let code = ran.code.unwrap_or(-1);
    let refused = code != 0;
    // `copy` cannot succeed here: no display, no terminal.
    let expected_exit_8 = target.home == Home::SeededNoTty;

    if refused {
        tally.refused += 1;
        if !stderr.lines().any(|l| l.starts_with("error: ")) {
            problems.push(format!("exit {code} without an `error: …` line: {said}"));
        }
        let lower = stderr.to_lowercase();
        // What aspen would print of the value: escaped, so matching stays meaningful.
        let quoted: String = aspen::text::escape_control(&String::from_utf8_lossy(&bad.value))
            .chars()
            .take(40)
            .collect();
        let says_what = target.subject.iter().any(|w| lower.contains(&w.to_lowercase()))
            || lower.contains(&target.argument.to_lowercase())
            || (!quoted.is_empty() && stderr.contains(&quoted))
            || (bad.category == "invalid UTF-8" && lower.contains("utf-8"))
            || (expected_exit_8 && code == 8 && lower.contains("could not copy"));
        if !says_what {
            problems.push(format!(
                "the error does not name {:?} (or {:?}): {said}",
                target.argument, target.subject
            ));
        }
        if code == 2 && !stderr.contains("hint: ") && !stderr.contains("try '--help'") {
            tally
                .refused_without_hint
                .push(format!("{what}: {}", stderr.lines().next().unwrap_or("")));
        }
        if code >= 2 && !ran.stdout.is_empty() {
            problems.push(format!(
                "refused, yet printed on stdout: {}",
                short(&String::from_utf8_lossy(&ran.stdout), 300)
            ));
        }
    } else {
        tally.accepted += 1;
        if expected_exit_8 {
            problems.push("copy succeeded without a display or a terminal".to_owned());
        }
    }
    match must_refuse(target.rule, bad) {
        Some(true) if !refused => problems.push("accepted, but the documented rules refuse it".to_owned()),
        Some(true) if code != 2 => problems.push(format!("refused with exit {code}, not 2 (invalid input)")),
        Some(false) if refused => problems.push(format!("refused a value the rules accept: {said}")),
        _ => {}
    }

    // Nothing raw on the terminal.
    for (stream, bytes) in [("stdout", &ran.stdout), ("stderr", &ran.stderr)] {
        if std::str::from_utf8(bytes).is_err() {
            problems.push(format!("{stream} is not UTF-8"));
        }
        for line in raw_lines(bytes) {
            let shown = aspen::text::escape_control(&line)
                .chars()
                .take(160)
                .collect::<String>();
            problems.push(format!("raw control/invisible character on {stream}: {shown}"));
        }
    }

    // The vault: unchanged when refused, still opening when accepted.
    let path = vault_of(env, target, bad);
    let after = std::fs::read(&path).ok();
    match (seed, refused) {
        (Some(seed), true) => {
            if after.as_deref() != Some(seed) {
                tally.damaged += 1;
                problems.push("a refused command changed the vault file".to_owned());
            }
            if env.backup().exists() {
                problems.push("a refused command wrote a backup".to_owned());
            }
        }
        (None, true) => {
            if env.vault().exists() || std::fs::read_dir(env.path("cwd")).unwrap().next().is_some() {
                problems.push("a refused init left a file behind".to_owned());
            }
        }
        (_, false) => {
            let passphrase = passphrase_after(target, bad);
            let opened = after.as_deref().map(|bytes| {
                aspen::vault_file::decode(bytes, &SecretString::from(passphrase.as_str()))
                    .map_err(|e| e.to_string())
                    .and_then(|(vault, _)| vault.check_invariants())
            });
            match opened {
                Some(Ok(())) => {
                    let pass_file = env.path("pass-after");
                    std::fs::write(&pass_file, format!("{passphrase}\n")).unwrap();
                    let list = env
                        .aspen(&["list", "--json"])
                        .env("ASPEN_PASSPHRASE_FILE", &pass_file)
                        .arg("--vault")
                        .arg(&path)
                        .output()
                        .unwrap();
                    let parsed = serde_json::from_slice::<serde_json::Value>(&list.stdout);
                    if !list.status.success() || !parsed.is_ok_and(|v| v.is_array()) {
                        tally.damaged += 1;
                        problems.push(format!(
                            "`aspen list --json` fails afterwards: {}",
                            short(&String::from_utf8_lossy(&list.stderr), 300)
                        ));
                    }
                }
                Some(Err(e)) => {
                    tally.damaged += 1;
                    problems.push(format!("the vault no longer opens: {e}"));
                }
                None => {
                    tally.damaged += 1;
                    problems.push(format!("succeeded, but there is no vault at {}", path.display()));
                }
            }
        }
    }

    if std::env::var_os("ASPEN_CENSUS_VERBOSE").is_some() {
        let first = stderr.lines().find(|l| l.starts_with("error: ")).unwrap_or("");
        let first = aspen::text::escape_control(first)
            .chars()
            .take(140)
            .collect::<String>();
        eprintln!("{what} -> exit {code} {first}");
    }
    tally
        .violations
        .extend(problems.into_iter().map(|p| format!("{what}: {p}")));
}

/// Runs `targets`' cases in one seeded home (and fresh homes for `init`).
fn census_part(targets: &[&Target]) -> Tally {
    let seed = seeded();
    let mut tally = Tally::default();
    for target in targets {
        for bad in values_for(target) {
            if target.home == Home::Fresh {
                let env = Env::new();
                std::fs::create_dir_all(env.path("cwd")).unwrap();
                case(&env, None, target, &bad, &mut tally);
            } else {
                case(&seed.env, Some(&seed.vault), target, &bad, &mut tally);
                restore(&seed);
            }
        }
    }
    tally
}

#[test]
fn every_argument_refuses_bad_input_clearly_or_accepts_it_safely() {
    let _heavy = common::heavy();
    let start = Instant::now();
    let all = targets();
    let have_setsid = common::require_tool("setsid").is_some();
    let runnable: Vec<&Target> = all
        .iter()
        .filter(|t| have_setsid || t.home != Home::SeededNoTty)
        .collect();
    // Two homes side by side: the machine has two cores.
    let halves: [Vec<&Target>; 2] = [
        runnable.iter().copied().step_by(2).collect(),
        runnable.iter().copied().skip(1).step_by(2).collect(),
    ];
    let mut tally = Tally::default();
    std::thread::scope(|s| {
        let handles: Vec<_> = halves.iter().map(|h| s.spawn(|| census_part(h))).collect();
        for h in handles {
            tally.merge(h.join().unwrap());
        }
    });

    let commands: std::collections::BTreeSet<&str> = tally.arguments.keys().map(|(c, _)| *c).collect();
    let list = |m: &BTreeMap<&str, usize>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !tally.refused_without_hint.is_empty() {
        eprintln!(
            "note: {} refusals (exit 2) have no `hint:` line, e.g.",
            tally.refused_without_hint.len()
        );
        for c in
            tally
                .refused_without_hint
                .iter()
                .take(if std::env::var_os("ASPEN_CENSUS_VERBOSE").is_some() {
                    usize::MAX
                } else {
                    4
                })
        {
            eprintln!("    {c}");
        }
    }
    eprintln!("cli census by category: {}", list(&tally.by_category));
    eprintln!("cli census by command: {}", list(&tally.by_command));
    eprintln!(
        "cli census: {} cases over {} arguments of {} commands: {} refused with a clear error, \
         {} accepted safely, {} panics, {} damaged vaults, {} violations; \
         slowest run {:?} ({}); {:.1} s",
        tally.cases,
        tally.arguments.len(),
        commands.len(),
        tally.refused,
        tally.accepted,
        tally.panics,
        tally.damaged,
        tally.violations.len(),
        tally.slowest.0,
        tally.slowest.1,
        start.elapsed().as_secs_f64(),
    );
    assert!(
        tally.violations.is_empty(),
        "{} violations:\n{}",
        tally.violations.len(),
        tally.violations.join("\n")
    );
}
