//! `aspen import FILE --from TOOL`: the app-specific passwords of another tool's
//! export, previewed (what is added, what is left out and why, each Apple ID's
//! slots), then added in one change once the user agrees. The reading and the rules
//! are in `crate::import`; this file asks and words.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use jiff::civil::Date;

use super::{Ctx, done, out, parse_date, prompt, table};
use crate::error::Result;
use crate::import::words::{Front, why_not, why_skipped};
use crate::import::{Found, Preview, Scan, Source};
use crate::model::{Change, Vault, normalise_apple_id};
use crate::text::escape_control;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The export file (only read; delete it once imported, it holds passwords in clear)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The tool that wrote it
    #[arg(long, value_enum, value_name = "TOOL")]
    pub from: FromTool,
    /// The Apple ID of passwords whose user name is missing or not an Apple ID
    #[arg(long, value_name = "ID")]
    pub apple_id: Option<String>,
    /// The date Apple shows, for passwords the export gives no date
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub created: Option<Date>,
    /// Only show what would be imported [the default without --yes, off a terminal]
    #[arg(long, conflicts_with = "yes")]
    pub dry_run: bool,
    /// Import what the preview shows without asking (for scripts)
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FromTool {
    /// 1Password's CSV export
    #[value(name = "1password")]
    OnePassword,
    /// Bitwarden's JSON export (not password-protected) or CSV export
    Bitwarden,
    /// KeePassXC's CSV export
    Keepassxc,
    /// The CSV the Passwords app or Safari exports
    #[value(name = "apple-passwords", alias = "safari")]
    ApplePasswords,
    /// aspen's own CSV (export --with-passwords), or any CSV naming its columns
    Csv,
}

impl FromTool {
    fn source(self) -> Source {
        match self {
            Self::OnePassword => Source::OnePassword,
            Self::Bitwarden => Source::Bitwarden,
            Self::Keepassxc => Source::KeePassXc,
            Self::ApplePasswords => Source::ApplePasswords,
            Self::Csv => Source::Csv,
        }
    }
}

/// What happens after the preview.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Then {
    DryRun,
    Ask,
    Import,
}

pub fn import(ctx: &Ctx, args: &ImportArgs) -> Result<i32> {
    // A date Apple could not show is a mistake on the command line, said at once.
    if let Some(created) = args.created {
        crate::model::check_date(created, ctx.today)?;
    }
    let options = crate::import::Options {
        apple_id: args.apple_id.as_deref().map(normalise_apple_id).transpose()?,
        created: args.created,
    };
    let source = args.from.source();
    // The file first: a wrong file or tool is said before the passphrase is asked.
    let scan = crate::import::read(&args.file, source, &options)?;
    let heading = format!("{}\n", crate::import::heading(&scan, source, &args.file));
    if scan.found.is_empty() {
        out::print(&format!("{heading}{}", left_out(&scan, &[], &scan.found)))?;
        match scan.skipped.is_empty() {
            true => crate::say!("Nothing to import: no app-specific password was found."),
            false => crate::say!("Nothing to import: each is left out, for the reason shown."),
        }
        return Ok(0);
    }
    let then = match (args.yes, args.dry_run) {
        (true, _) => Then::Import,
        (false, false) if std::io::stdin().is_terminal() => Then::Ask,
        _ => Then::DryRun,
    };
    if then == Then::DryRun {
        let opened = ctx.open()?;
        let preview = crate::import::preview(&opened.vault, &scan.found, ctx.today);
        out::print(&format!("{heading}{}", shown(&scan, &preview)))?;
        dry_run_said(&preview);
        return Ok(0);
    }
    let ask = |vault: &Vault| {
        let preview = crate::import::preview(vault, &scan.found, ctx.today);
        out::print(&format!("{heading}{}", shown(&scan, &preview)))?;
        let n = preview.outcome.added.len();
        if n == 0 {
            crate::say!("Nothing to import: aspen has them already, or its rules leave them out.");
            return Ok(None);
        }
        if then == Then::Import {
            return Ok(Some(()));
        }
        let question = format!("Import {}?", passwords(n));
        Ok(prompt::confirm(&question)?.then_some(()))
    };
    let make = |_: &Vault, ()| Ok((Change::Import(crate::import::entries(&scan.found)), ()));
    match ctx.apply_asked(ask, make, |vault, d, ()| done::said(vault, d))? {
        Some(text) => crate::say!("{text}"),
        None if then == Then::Ask => crate::say!("Nothing imported."),
        None => {}
    }
    Ok(0)
}

fn passwords(n: usize) -> String {
    match n {
        1 => "this app-specific password".to_owned(),
        n => format!("these {n} app-specific passwords"),
    }
}

fn dry_run_said(preview: &Preview) {
    match preview.outcome.added.len() {
        0 => crate::say!("Nothing to import: aspen has them already, or its rules leave them out."),
        n => crate::say!(
            "Dry run: nothing was written. Run it again with --yes to import {}.",
            passwords(n)
        ),
    }
}

/// The preview: what is added, what is left out and why, the slots, the rest.
fn shown(scan: &Scan, preview: &Preview) -> String {
    use std::fmt::Write;
    let added = &preview.outcome.added;
    let mut text = String::new();
    if !added.is_empty() {
        let _ = writeln!(text, "\nTo add ({}):", added.len());
        let rows = added.iter().map(|a| {
            let found = scan.found.get(a.index);
            let (created, uses) = found.map_or((String::new(), String::new()), |f| {
                let uses: Vec<&str> = f.entry.uses.iter().map(|u| u.name()).collect();
                (f.entry.created.to_string(), uses.join(","))
            });
            let status = match a.revoked_by_reset {
                Some(on) => format!("revoked by the reset of {on}"),
                None => "active".to_owned(),
            };
            vec![
                escape_control(&a.label).into_owned(),
                escape_control(&a.apple_id).into_owned(),
                created,
                uses,
                status,
            ]
        });
        text.push_str(&table::render(
            &["LABEL", "APPLE ID", "CREATED", "USES", "STATUS"],
            rows.collect(),
        ));
    }
    text.push_str(&left_out(scan, &preview.outcome.skipped, &scan.found));
    if !preview.slots.is_empty() {
        let _ = writeln!(
            text,
            "\nSlots (Apple allows {} active per Apple ID):",
            crate::model::SLOT_LIMIT
        );
        for s in &preview.slots {
            let _ = writeln!(
                text,
                "  {}: {} active now, {} after the import ({} free)",
                escape_control(&s.apple_id),
                s.before,
                s.after,
                s.limit.saturating_sub(s.after)
            );
        }
    }
    text
}

/// What is left out and why, in the file's order; and the count of other logins.
fn left_out(scan: &Scan, refused: &[crate::model::NotImported], found: &[Found]) -> String {
    use std::fmt::Write;
    let mut lines: Vec<(crate::import::Where, String)> = scan
        .skipped
        .iter()
        .map(|s| {
            (
                s.at,
                format!("{}: {}", title(&s.title), why_skipped(&s.why, Front::Cli)),
            )
        })
        .collect();
    for r in refused {
        let at = found.get(r.index).map(|f| f.at);
        if let Some(at) = at {
            lines.push((
                at,
                format!("{}: {}", title(&r.label), why_not(&r.why, Front::Cli)),
            ));
        }
    }
    lines.sort_by_key(|(at, _)| match at {
        crate::import::Where::Line(n) => *n,
        crate::import::Where::Item(n) => *n as u64,
    });
    let mut text = String::new();
    if !lines.is_empty() {
        let _ = writeln!(text, "\nLeft out ({}):", lines.len());
        for (at, line) in lines {
            let _ = writeln!(text, "  {at}, {line}");
        }
    }
    let others = match scan.others {
        0 => None,
        1 => Some("1 other login is not an app-specific password and was left alone.".to_owned()),
        n => Some(format!(
            "{n} other logins are not app-specific passwords and were left alone."
        )),
    };
    if let Some(others) = others {
        let _ = writeln!(text, "\n{others}");
    }
    text
}

/// A title as the export has it, escaped and cut to 60 characters.
fn title(text: &str) -> String {
    let cut = match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    };
    format!("\"{}\"", escape_control(&cut))
}
