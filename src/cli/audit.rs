//! `aspen audit`: checking aspen's list of one Apple ID against Apple's page, by
//! asking the user entry by entry, or from a saved copy of Apple's list (`--listed`).

use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use super::{Ctx, done, out, prompt};
use crate::error::{Error, Result};
use crate::model::{
    AuditDiff, Change, Done, Entry, EntryId, ExpectedRow, Listed, Vault, normalise_apple_id, parse_listed,
};
use crate::text::escape_control;

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The Apple ID to check
    #[arg(long, value_name = "ID")]
    pub apple_id: String,
    /// Apple's list instead of questions: one label per line, optionally a tab or two
    /// spaces and the date ("2026-11-29" or "Nov 29, 2026"); "-" reads stdin
    #[arg(long, value_name = "FILE")]
    pub listed: Option<PathBuf>,
    /// Record what differs (with --listed; without it, only print it)
    #[arg(long, requires = "listed")]
    pub apply: bool,
    /// With --apply: the apps of passwords revoked at Apple need none any more
    /// [default: they wait to be regenerated]
    #[arg(long, requires = "apply")]
    pub retire_missing: bool,
    /// Print the differences as JSON (with --listed)
    #[arg(long, requires = "listed")]
    pub json: bool,
}

const STEPS: &str = "Open Apple's page: sign in at https://account.apple.com, choose Sign-In and \
                     Security, then App-Specific Passwords.";

pub fn audit(ctx: &Ctx, args: &AuditArgs) -> Result<i32> {
    let apple_id = normalise_apple_id(&args.apple_id)?;
    match &args.listed {
        Some(file) => from_file(ctx, args, &apple_id, file),
        None => interactive(ctx, &apple_id),
    }
}

/// Apple's list as saved by the user: bounded, UTF-8, parsed with line numbers.
fn read_listed(file: &Path) -> Result<Vec<Listed>> {
    let bytes = if file == Path::new("-") {
        use std::io::Read;
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(crate::storage::MAX_SMALL_FILE_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Error::io("read", Path::new("<stdin>"), e))?;
        buf
    } else {
        crate::storage::files::read_regular(file, crate::storage::MAX_SMALL_FILE_BYTES, "list")
            .map_err(|e| e.into_error("read", file))?
    };
    let bad = |problem: String| Error::BadInput {
        what: format!("Apple's list in {}", crate::text::shown_path(file)),
        problem,
    };
    if bytes.len() as u64 > crate::storage::MAX_SMALL_FILE_BYTES {
        return Err(bad("it is longer than 1 MiB".to_owned()));
    }
    let text = String::from_utf8(bytes).map_err(|_| bad("it is not UTF-8 text".to_owned()))?;
    parse_listed(&text).map_err(bad)
}

#[derive(Serialize)]
struct DiffView {
    apple_id: String,
    not_listed: Vec<String>,
    listed_again: Vec<String>,
    unknown: Vec<String>,
    other_date: Vec<(String, jiff::civil::Date)>,
    old_revoked: Vec<(String, Vec<jiff::civil::Date>)>,
    old_live: Vec<(String, Vec<jiff::civil::Date>)>,
    applied: bool,
}

fn label(vault: &Vault, id: &EntryId) -> String {
    vault.entry(id).map(|e| e.label.clone()).unwrap_or_default()
}

fn view(vault: &Vault, apple_id: &str, diff: &AuditDiff, applied: bool) -> DiffView {
    DiffView {
        apple_id: apple_id.to_owned(),
        not_listed: diff.not_listed.iter().map(|id| label(vault, id)).collect(),
        listed_again: diff.listed_again.iter().map(|(id, _)| label(vault, id)).collect(),
        unknown: diff.unknown.iter().map(|l| l.label.clone()).collect(),
        other_date: diff
            .other_date
            .iter()
            .map(|(id, d)| (label(vault, id), *d))
            .collect(),
        old_revoked: diff
            .old_revoked
            .iter()
            .map(|(id, days)| (label(vault, id), days.clone()))
            .collect(),
        old_live: diff
            .old_live
            .iter()
            .map(|(id, days)| (label(vault, id), days.clone()))
            .collect(),
        applied,
    }
}

fn print_diff(v: &DiffView) {
    let q = |l: &String| format!("\"{}\"", escape_control(l));
    for l in &v.not_listed {
        crate::say!("not listed at Apple (revoked outside aspen): {}", q(l));
    }
    for l in &v.listed_again {
        crate::say!(
            "listed at Apple, revoked in aspen (a new password aspen does not hold): {}",
            q(l)
        );
    }
    for l in &v.unknown {
        crate::say!("listed at Apple, unknown to aspen (untracked): {}", q(l));
    }
    for (l, days) in &v.old_revoked {
        let days: Vec<String> = days.iter().map(ToString::to_string).collect();
        crate::say!(
            "no longer listed at Apple, created {}: the old password a regeneration left live \
             was revoked there: {}",
            days.join(", "),
            q(l)
        );
    }
    for (l, days) in &v.old_live {
        let days: Vec<String> = days.iter().map(ToString::to_string).collect();
        crate::say!(
            "listed again at Apple, created {}: an older password with this label is still live: {}",
            days.join(", "),
            q(l)
        );
    }
    for (l, d) in &v.other_date {
        crate::say!(
            "note: Apple shows {} as created on {d}; aspen has another date (`aspen edit --created`)",
            q(l)
        );
    }
}

fn from_file(ctx: &Ctx, args: &AuditArgs, apple_id: &str, file: &Path) -> Result<i32> {
    let listed = read_listed(file)?;
    if !args.apply {
        let loaded = ctx.open()?;
        let diff = loaded.vault.compare_with_apple(apple_id, &listed)?;
        let v = view(&loaded.vault, apple_id, &diff, false);
        if args.json {
            out::json(&v)?;
        } else if diff.is_empty() {
            crate::say!("aspen's list of {apple_id} matches Apple's.");
        } else {
            print_diff(&v);
            crate::say!("Nothing recorded; add --apply to record it.");
        }
        return Ok(i32::from(!diff.is_empty()));
    }
    let needs = !args.retire_missing;
    // The differences as found under the lock, printed with what was recorded.
    let make = |vault: &Vault, ()| {
        let diff = vault.compare_with_apple(apple_id, &listed)?;
        let v = view(vault, apple_id, &diff, true);
        let change = Change::Audit {
            apple_id: apple_id.to_owned(),
            revoked: diff.not_listed.iter().map(|id| (id.clone(), needs)).collect(),
            listed_again: diff.listed_again,
            untracked: diff.unknown,
            old_revoked: diff.old_revoked,
            old_live: diff.old_live,
        };
        Ok((change, v))
    };
    let said = |vault: &Vault, d: &Done, v| (v, done::said(vault, d));
    let (v, text) = ctx
        .apply_asked(|_| Ok(Some(())), make, said)?
        .expect("asking nothing always goes on");
    if args.json {
        out::json(&v)?;
    } else {
        print_diff(&v);
        crate::say!("{text}");
    }
    Ok(0)
}

/// Asks, entry by entry, what Apple's page shows; then records it all at once.
fn interactive(ctx: &Ctx, apple_id: &str) -> Result<i32> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Err(crate::refusal::Refusal::AuditNeedsTerminal.into());
    }
    let ask = |vault: &Vault| -> Result<Option<Change>> {
        let expected = vault.expected_rows(apple_id)?;
        crate::say!("{STEPS}");
        crate::say!(
            "Apple should list {} app-specific password{} for {apple_id}, newest first:",
            expected.len(),
            if expected.len() == 1 { "" } else { "s" }
        );
        for r in &expected {
            let old = if r.old {
                "  (the old password, still live)"
            } else {
                ""
            };
            crate::say!(
                "  {}  {}{old}",
                escape_control(&r.entry.label),
                apple_date(r.created)
            );
        }
        let Marked { revoked, old_revoked } = ask_marks(&expected)?;
        let current: Vec<&Entry> = expected.iter().filter(|r| !r.old).map(|r| r.entry).collect();
        let NotShown {
            listed_again,
            untracked,
        } = ask_not_shown(vault, apple_id, &current)?;
        let olds: usize = old_revoked.iter().map(|(_, d): &(_, Vec<_>)| d.len()).sum();
        let summary = format!(
            "Record the audit: {} revoked at Apple, {olds} old password{} revoked, {} generated \
             again, {} untracked to add?",
            revoked.len(),
            if olds == 1 { "" } else { "s" },
            listed_again.len(),
            untracked.len()
        );
        let change = Change::Audit {
            apple_id: apple_id.to_owned(),
            revoked,
            listed_again,
            untracked,
            old_revoked,
            // A row Apple lists beyond those shown is typed in as a label not shown.
            old_live: Vec::new(),
        };
        Ok(prompt::yes_no(&summary)?.then_some(change))
    };
    let said = |vault: &Vault, d: &Done, ()| done::said(vault, d);
    match ctx.apply_asked(ask, |_, change| Ok((change, ())), said)? {
        Some(text) => crate::say!("{text}"),
        None => crate::say!("Nothing recorded."),
    }
    Ok(0)
}

/// What the user answered for the rows shown.
struct Marked {
    revoked: Vec<(EntryId, bool)>,
    old_revoked: Vec<(EntryId, Vec<jiff::civil::Date>)>,
}

/// Asks, row by row, whether Apple's page lists it.
fn ask_marks(expected: &[ExpectedRow<'_>]) -> Result<Marked> {
    let (mut revoked, mut old_revoked) = (Vec::new(), Vec::<(EntryId, Vec<_>)>::new());
    for r in expected {
        let e = r.entry;
        let shown = escape_control(&e.label);
        if r.old {
            let asked = format!(
                "Does Apple list \"{shown}\" created {} (the old password)?",
                apple_date(r.created)
            );
            if !prompt::yes_no(&asked)? {
                match old_revoked.iter_mut().find(|(id, _)| *id == e.id) {
                    Some((_, days)) => days.push(r.created),
                    None => old_revoked.push((e.id.clone(), vec![r.created])),
                }
            }
            continue;
        }
        if prompt::yes_no(&format!("Does Apple list \"{shown}\"?"))? {
            continue;
        }
        let needs = prompt::yes_no(&format!(
            "\"{shown}\" was revoked at Apple. Do its apps ({}) still need a password?",
            escape_control(&e.apps.join(", "))
        ))?;
        revoked.push((e.id.clone(), needs));
    }
    Ok(Marked { revoked, old_revoked })
}

/// The labels Apple lists that were not shown.
struct NotShown {
    /// Revoked entries Apple lists again, with the date it shows.
    listed_again: Vec<(EntryId, Option<jiff::civil::Date>)>,
    /// Passwords aspen does not know.
    untracked: Vec<Listed>,
}

/// Asks for the labels Apple lists that were not shown, one by one.
fn ask_not_shown(vault: &Vault, apple_id: &str, expected: &[&Entry]) -> Result<NotShown> {
    let (mut listed_again, mut untracked) = (Vec::new(), Vec::new());
    loop {
        let typed = prompt::line("Does Apple list a label not shown above? Type it (Enter: no more): ")?;
        if typed.trim().is_empty() {
            break;
        }
        let date = prompt::line("The date Apple shows for it (e.g. Nov 29, 2026; Enter: today): ")?;
        let text = if date.trim().is_empty() {
            typed
        } else {
            format!("{typed}\t{date}")
        };
        match parse_listed(&text).map(|mut l| l.pop()) {
            Ok(Some(listed)) => {
                let diff = vault.compare_with_apple(apple_id, std::slice::from_ref(&listed))?;
                if let Some(again) = diff.listed_again.into_iter().next() {
                    listed_again.push(again);
                } else if expected.iter().any(|e| e.label == listed.label) {
                    crate::say!("\"{}\" is shown above already.", escape_control(&listed.label));
                } else {
                    untracked.push(listed);
                }
            }
            Ok(None) => {}
            Err(problem) => crate::say!("{}", problem.trim_start_matches("line 1: ")),
        }
    }
    Ok(NotShown {
        listed_again,
        untracked,
    })
}

/// A date as Apple's page shows it: "Nov 29, 2026".
fn apple_date(d: jiff::civil::Date) -> String {
    d.strftime("%b %-d, %Y").to_string()
}
