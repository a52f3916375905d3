//! `aspen verify`: signs in to iCloud with stored passwords, the way their apps do,
//! to see whether Apple still accepts them (docs/verify.md).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use clap::{ArgGroup, Args};
use serde::Serialize;

use super::{Ctx, out};
use crate::app::verify::{
    DEFAULT_PAUSE, Item, NotRecorded, Pace, Planned, Progress, Run, Selection, Skip, Target, plan,
};
use crate::error::Result;
use crate::model::SignIn;
use crate::text::{escape_control, shell_quote};
use crate::verify::{CalDavUrl, Endpoints, ImapServer, MAX_TIMEOUT, NotApple, Outcome, Roots};

/// Exit statuses of `verify` (docs/cli.md): the lowest that applies.
pub const EXIT_REJECTED: i32 = 10;
pub const EXIT_TLS_FAILURE: i32 = 11;
pub const EXIT_UNREACHABLE: i32 = 12;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").required(true).multiple(true).args(["labels", "apple_id", "all"])))]
pub struct VerifyArgs {
    /// The entries' labels, as typed at Apple
    #[arg(value_name = "LABEL")]
    pub labels: Vec<String>,
    /// Every entry of this Apple ID (with labels: the Apple ID the labels are under)
    #[arg(long, value_name = "ID")]
    pub apple_id: Option<String>,
    /// Every entry of the vault
    #[arg(long, conflicts_with_all = ["labels", "apple_id"])]
    pub all: bool,
    /// Say what would be contacted, and contact nothing
    #[arg(long)]
    pub dry_run: bool,
    /// JSON for scripts: one object per entry
    #[arg(long)]
    pub json: bool,
    /// Send CalDAV sign-ins to this https:// URL instead of Apple's
    #[arg(long, value_name = "URL", value_parser = parse_caldav_url)]
    pub caldav_url: Option<CalDavUrl>,
    /// Send IMAP sign-ins to HOST[:PORT] (TLS, port 993 by default) instead of Apple's
    #[arg(long, value_name = "HOST[:PORT]", value_parser = parse_imap_server)]
    pub imap_server: Option<ImapServer>,
    /// Trust only the CA certificates in this PEM file, instead of Mozilla's roots
    #[arg(long, value_name = "PATH")]
    pub ca_file: Option<PathBuf>,
    /// Seconds to wait between two sign-ins, 0.1 to 600 [default: 3]
    #[arg(long, value_name = "SECONDS", value_parser = parse_pause)]
    pub pause: Option<Duration>,
    /// Give up on a server after this many seconds, 1 to 120 [default: 15]
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
}

fn parse_caldav_url(s: &str) -> std::result::Result<CalDavUrl, String> {
    CalDavUrl::parse(s).map_err(|e| e.to_string())
}

fn parse_imap_server(s: &str) -> std::result::Result<ImapServer, String> {
    ImapServer::parse(s).map_err(|e| e.to_string())
}

fn seconds(s: &str, min: f64, max: f64) -> std::result::Result<Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (min..=max).contains(&v) => Ok(Duration::from_secs_f64(v)),
        _ => Err(format!("give a number of seconds from {min} to {max}")),
    }
}

fn parse_pause(s: &str) -> std::result::Result<Duration, String> {
    seconds(s, 0.1, 600.0)
}

fn parse_timeout(s: &str) -> std::result::Result<Duration, String> {
    seconds(s, 1.0, MAX_TIMEOUT.as_secs_f64())
}

pub fn verify(ctx: &Ctx, args: &VerifyArgs) -> Result<i32> {
    let endpoints = endpoints(args)?;
    for warning in endpoints.not_apple(&[SignIn::Caldav, SignIn::Imap]) {
        crate::say!("warning: {}", escape_control(&not_apple(&warning)));
    }
    let selection = selection(args);
    let pause = args.pause.unwrap_or(DEFAULT_PAUSE);
    if args.dry_run {
        let opened = ctx.open()?;
        let planned = plan(&opened.vault, &selection, &endpoints)?;
        return dry_run(&planned, pause, args.json).map(|()| 0);
    }
    let cancel = AtomicBool::new(false);
    let run = Run {
        selection: &selection,
        endpoints: &endpoints,
        pace: Pace {
            pause,
            cancel: &cancel,
        },
    };
    let items = crate::app::verify::verify(
        &ctx.paths,
        ctx.today,
        ctx.consent()?,
        || ctx.passphrase(),
        &run,
        &mut show_progress,
    )?;
    if args.json {
        out::json(&items.iter().map(ItemJson::of).collect::<Vec<_>>())?;
    } else {
        out::print(&report(&items))?;
    }
    Ok(exit_code(&items))
}

fn endpoints(args: &VerifyArgs) -> Result<Endpoints> {
    let mut endpoints = Endpoints::default();
    if let Some(url) = &args.caldav_url {
        endpoints.caldav = url.clone();
    }
    if let Some(server) = &args.imap_server {
        endpoints.imap = server.clone();
    }
    if let Some(path) = &args.ca_file {
        endpoints.roots = Roots::from_pem_file(path)?;
    }
    if let Some(timeout) = args.timeout {
        endpoints.timeout = timeout;
    }
    Ok(endpoints)
}

fn selection(args: &VerifyArgs) -> Selection {
    if !args.labels.is_empty() {
        Selection::Labels {
            labels: args.labels.clone(),
            apple_id: args.apple_id.clone(),
        }
    } else if let Some(id) = &args.apple_id {
        Selection::AppleId(id.clone())
    } else {
        Selection::All
    }
}

/// Said on every run that names another server or CA.
fn not_apple(warning: &NotApple) -> String {
    match warning {
        NotApple::Host { over, host } => format!(
            "{} sign-ins go to {host} ({}), which is not Apple's server: whoever runs it receives \
             the app-specific passwords sent",
            over.describe(),
            match over {
                SignIn::Caldav => "--caldav-url",
                SignIn::Imap => "--imap-server",
            }
        ),
        NotApple::Roots { path } => format!(
            "servers are checked against the certificates in {} (--ca-file) instead of Mozilla's \
             roots: whoever holds that CA's key can receive the app-specific passwords sent",
            crate::text::shown_path(path)
        ),
    }
}

fn show_progress(progress: Progress<'_>) {
    match progress {
        Progress::Trying { target, n, of } => crate::say_inline!(
            "[{n}/{of}] \"{}\" ({}): {} at {} … ",
            escape_control(&target.label),
            escape_control(&target.apple_id),
            target.over.describe(),
            escape_control(&target.address)
        ),
        Progress::Done { outcome, .. } => crate::say!("{}", outcome.name()),
    }
}

fn how(t: &Target) -> String {
    let what = match t.over {
        SignIn::Caldav => "CalDAV PROPFIND",
        SignIn::Imap => "IMAP LOGIN",
    };
    let mut text = format!(
        "{what} at {} as {}",
        escape_control(&t.address),
        escape_control(&t.user)
    );
    if t.mail_over_caldav {
        text.push_str(&format!(
            " (its apps use mail, but no iCloud Mail address is recorded for the Apple ID: CalDAV \
             instead; `aspen apple-id mail {} ADDRESS` records it)",
            crate::text::shell_quote(&t.apple_id)
        ));
    }
    text
}

fn entry_name(label: &str, apple_id: &str) -> String {
    format!("\"{}\" ({})", escape_control(label), escape_control(apple_id))
}

fn dry_run(planned: &[Planned], pause: Duration, json: bool) -> Result<()> {
    if json {
        return out::json(&planned.iter().map(ItemJson::planned).collect::<Vec<_>>());
    }
    let mut tried = String::new();
    let mut skipped = String::new();
    for p in planned {
        match p {
            Planned::Try(t) => {
                tried.push_str(&format!("  {}: {}\n", entry_name(&t.label, &t.apple_id), how(t)))
            }
            Planned::Skip { label, apple_id, why } => {
                skipped.push_str(&format!(
                    "  {}: {}\n",
                    entry_name(label, apple_id),
                    why.describe()
                ));
            }
        }
    }
    let mut text = String::new();
    if tried.is_empty() {
        text.push_str("Nothing to sign in with.\n");
    } else {
        text.push_str(&format!(
            "Would sign in once with each, one after another, {} s apart (nothing was sent):\n{tried}",
            pause.as_secs_f64()
        ));
    }
    if !skipped.is_empty() {
        text.push_str(&format!("Would skip:\n{skipped}"));
    }
    out::print(&text)
}

/// One line per entry: the result, the entry, and what it means.
fn report(items: &[Item]) -> String {
    let mut text = String::new();
    for item in items {
        let (result, name, note) = match item {
            Item::Tried {
                target,
                outcome,
                same_as,
                not_recorded,
            } => (
                outcome.name(),
                entry_name(&target.label, &target.apple_id),
                tried_note(target, outcome, same_as.as_deref(), *not_recorded),
            ),
            Item::Skipped { label, apple_id, why } => {
                ("skipped", entry_name(label, apple_id), why.describe().to_owned())
            }
            Item::NotTried(t) => (
                "not-tried",
                entry_name(&t.label, &t.apple_id),
                "cancelled".to_owned(),
            ),
        };
        text.push_str(&format!("{result:<12} {name}: {note}\n"));
    }
    if items.is_empty() {
        text.push_str("No entries.\n");
    }
    text
}

fn tried_note(
    t: &Target,
    outcome: &Outcome,
    same_as: Option<&str>,
    not_recorded: Option<NotRecorded>,
) -> String {
    let label = shell_quote(&t.label);
    let mut note = match outcome {
        Outcome::Works => format!("Apple accepted it over {}", t.over.describe()),
        Outcome::Rejected => format!(
            "Apple rejected it over {}: revoked outside aspen? Record that with `aspen revoke {label} \
             --replace` (dated today; add --date if you know the day), generate a new one at \
             account.apple.com with the same label, enter it in the apps, then `aspen regenerate {label}`",
            t.over.describe()
        ),
        Outcome::Unreachable(why) => {
            format!("{} at {}: {why}; nothing recorded", t.over.describe(), t.address)
        }
        Outcome::TlsFailure(why) => format!(
            "{} refused, {why}; the password was not sent, and nothing recorded",
            t.address
        ),
    };
    if let Some(other) = same_as {
        note.push_str(&format!(
            " (the same password as \"{}\": not signed in with again)",
            escape_control(other)
        ));
    }
    match not_recorded {
        Some(NotRecorded::PasswordChanged) => {
            note.push_str("; not recorded: a new password was stored for it meanwhile")
        }
        Some(NotRecorded::Deleted) => note.push_str("; not recorded: it was deleted meanwhile"),
        None => {}
    }
    escape_control(&note).into_owned()
}

/// The lowest of: 10 a password was rejected, 11 a TLS failure, 12 a server not
/// reached; else 0.
fn exit_code(items: &[Item]) -> i32 {
    let outcomes = || {
        items.iter().filter_map(|i| match i {
            Item::Tried { outcome, .. } => Some(outcome),
            _ => None,
        })
    };
    if outcomes().any(|o| *o == Outcome::Rejected) {
        EXIT_REJECTED
    } else if outcomes().any(|o| matches!(o, Outcome::TlsFailure(_))) {
        EXIT_TLS_FAILURE
    } else if outcomes().any(|o| matches!(o, Outcome::Unreachable(_))) {
        EXIT_UNREACHABLE
    } else {
        0
    }
}

/// One entry in `verify --json`. Never the password.
#[derive(Serialize)]
struct ItemJson<'a> {
    label: &'a str,
    apple_id: &'a str,
    /// works, rejected, unreachable, tls-failure, skipped, not-tried; with
    /// --dry-run, would-sign-in or skipped.
    result: &'static str,
    over: Option<&'static str>,
    address: Option<&'a str>,
    user: Option<&'a str>,
    /// Why it was skipped, not reached, or refused.
    detail: Option<String>,
    mail_over_caldav: bool,
    same_as: Option<&'a str>,
    /// The answer is in the entry's history.
    recorded: bool,
}

impl<'a> ItemJson<'a> {
    fn blank(label: &'a str, apple_id: &'a str, result: &'static str) -> Self {
        Self {
            label,
            apple_id,
            result,
            over: None,
            address: None,
            user: None,
            detail: None,
            mail_over_caldav: false,
            same_as: None,
            recorded: false,
        }
    }

    fn target(t: &'a Target, result: &'static str) -> Self {
        Self {
            over: Some(t.over.name()),
            address: Some(&t.address),
            user: Some(&t.user),
            mail_over_caldav: t.mail_over_caldav,
            ..Self::blank(&t.label, &t.apple_id, result)
        }
    }

    fn skipped(label: &'a str, apple_id: &'a str, why: Skip) -> Self {
        Self {
            detail: Some(why.name().to_owned()),
            ..Self::blank(label, apple_id, "skipped")
        }
    }

    fn planned(p: &'a Planned) -> Self {
        match p {
            Planned::Try(t) => Self::target(t, "would-sign-in"),
            Planned::Skip { label, apple_id, why } => Self::skipped(label, apple_id, *why),
        }
    }

    fn of(item: &'a Item) -> Self {
        match item {
            Item::Tried {
                target,
                outcome,
                same_as,
                not_recorded,
            } => Self {
                detail: match outcome {
                    Outcome::Unreachable(why) => Some(why.to_string()),
                    Outcome::TlsFailure(why) => Some(why.to_string()),
                    Outcome::Works | Outcome::Rejected => None,
                },
                same_as: same_as.as_deref(),
                recorded: outcome.is_answer() && not_recorded.is_none(),
                ..Self::target(target, outcome.name())
            },
            Item::Skipped { label, apple_id, why } => Self::skipped(label, apple_id, *why),
            Item::NotTried(t) => Self::target(t, "not-tried"),
        }
    }
}
