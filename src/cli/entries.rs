//! Subcommands that work on one entry: add, show, reveal, edit, rm, regenerate.

use clap::Args;
use jiff::civil::Date;

use super::{Ctx, Select, out, parse_date, prompt, report};
use crate::error::Result;
use crate::model::{Edit, NewEntry, Password, PasswordError, Use, Vault, analyse, slots};
use crate::text::escape_control;

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The label exactly as typed at Apple, e.g. "Thunderbird"
    #[arg(long)]
    pub label: String,
    /// The Apple ID the password belongs to: an e-mail address, or a phone number as +15551234567
    #[arg(long, value_name = "ID")]
    pub apple_id: String,
    /// An app that uses the password; repeat for several
    #[arg(long = "app", value_name = "APP", required_unless_present = "no_password")]
    pub apps: Vec<String>,
    /// The date Apple shows for it [default: today]
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub created: Option<Date>,
    /// Free text kept with the entry (never the password)
    #[arg(long, default_value = "")]
    pub notes: String,
    /// What its apps use it for: mail, calendar, contacts (comma-separated)
    #[arg(long, value_parser = parse_use, value_delimiter = ',', value_name = "USES")]
    pub uses: Vec<Use>,
    /// Record a password Apple lists that aspen does not have (made before aspen, or lost)
    #[arg(long, requires = "created", conflicts_with_all = ["password_stdin", "any_format"])]
    pub no_password: bool,
    /// Read the password as one line from stdin instead of the terminal
    #[arg(long)]
    pub password_stdin: bool,
    /// Store a password that does not have Apple's xxxx-xxxx-xxxx-xxxx shape
    #[arg(long)]
    pub any_format: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub select: Select,
    /// Print JSON (without the password) instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RevealArgs {
    #[command(flatten)]
    pub select: Select,
    /// The other password a merge kept beside this one (two machines stored one
    /// each): to find out which is still active at Apple before `aspen resolve`
    #[arg(long)]
    pub other: bool,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    #[command(flatten)]
    pub select: Select,
    /// Rename the entry (to match a label changed at Apple)
    #[arg(long, value_name = "LABEL")]
    pub new_label: Option<String>,
    /// Move the entry to another Apple ID
    #[arg(long, value_name = "ID")]
    pub new_apple_id: Option<String>,
    /// Replace the apps with these; repeat for several
    #[arg(long = "app", value_name = "APP")]
    pub apps: Vec<String>,
    /// Replace the notes ("" clears them)
    #[arg(long)]
    pub notes: Option<String>,
    /// Correct the date Apple shows for the password
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub created: Option<Date>,
    /// Replace what its apps use it for: mail, calendar, contacts (comma-separated; "" for none)
    #[arg(long, value_parser = parse_uses, value_name = "USES")]
    pub uses: Option<UseList>,
}

/// A `--uses` list that may be empty (`--uses ""` clears it).
#[derive(Clone, Debug)]
pub struct UseList(pub Vec<Use>);

pub(super) fn parse_use(text: &str) -> std::result::Result<Use, String> {
    Use::parse(text).ok_or_else(|| format!("\"{text}\" is not one of: mail, calendar, contacts"))
}

fn parse_uses(text: &str) -> std::result::Result<UseList, String> {
    text.split(',')
        .filter(|t| !t.trim().is_empty())
        .map(parse_use)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map(UseList)
}

#[derive(Debug, Args)]
pub struct RmArgs {
    #[command(flatten)]
    pub select: Select,
    /// Do not ask for confirmation
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct RegenerateArgs {
    #[command(flatten)]
    pub select: Select,
    /// The date Apple shows for the new password [default: today]
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub created: Option<Date>,
    /// Read the password as one line from stdin instead of the terminal
    #[arg(long)]
    pub password_stdin: bool,
    /// Store a password that does not have Apple's xxxx-xxxx-xxxx-xxxx shape
    #[arg(long)]
    pub any_format: bool,
}

/// Reads the new password. At a terminal, a password Apple would not have shown is
/// explained and asked for again (the user has it on screen at Apple, and exiting
/// would lose what was pasted); from stdin, a script gets the error.
fn read_password(from_stdin: bool, any_format: bool, label: &str) -> Result<Password> {
    if from_stdin {
        let raw = prompt::stdin_line("password")?;
        return Ok(Password::parse(raw, any_format).map_err(crate::model::ModelError::from)?);
    }
    let question = format!(
        "Password for \"{}\" (as Apple shows it, xxxx-xxxx-xxxx-xxxx): ",
        escape_control(label)
    );
    loop {
        let raw = prompt::hidden(&question, "password")?;
        match Password::parse(raw, any_format) {
            Ok(password) => return Ok(password),
            Err(e @ PasswordError::Shape(_)) => {
                crate::say!("{e}");
                crate::say!("Paste it again, exactly as Apple shows it (Ctrl-C gives up).");
            }
            Err(e) => return Err(crate::model::ModelError::from(e).into()),
        }
    }
}

/// A note when an Apple ID is close to Apple's limit after a change, or a warning
/// when what waits to be regenerated would no longer fit beside what is active.
fn slot_note(vault: &Vault, apple_id: &str) -> Option<String> {
    let s = slots(vault).into_iter().find(|s| s.apple_id == apple_id)?;
    if let Some(w) = super::limit::warning(&s) {
        return Some(format!("warning: {w}"));
    }
    (s.free <= 2).then(|| {
        format!(
            "note: {} now uses {} of its {} slots",
            s.apple_id, s.active, s.limit
        )
    })
}

/// Prints what a change reported, once it is saved.
fn say_lines(lines: &[String]) {
    for line in lines {
        crate::say!("{line}");
    }
}

/// What `add` does once the password is known.
enum AddPlan {
    New(Password),
    /// Listed at Apple, password unknown.
    Untracked,
    /// The password is an active entry's: Apple allows one password in several
    /// apps, and the user chose to add the apps to that entry instead.
    JoinExisting(crate::model::EntryId),
}

/// The active entry of `apple_id` that already has `password`, if any.
fn sharing(vault: &Vault, apple_id: &str, password: &Password) -> Option<crate::model::EntryId> {
    vault
        .entries
        .iter()
        .find(|e| e.apple_id == apple_id && e.is_active() && e.password.as_ref() == Some(password))
        .map(|e| e.id.clone())
}

pub fn add(ctx: &Ctx, args: AddArgs) -> Result<i32> {
    // Check the cheap things before asking for secrets.
    let _ = crate::model::validate_label(&args.label)?;
    let apple_id = crate::model::normalise_apple_id(&args.apple_id)?;
    let id = crate::app::new_entry_id()?;
    let today = ctx.today;
    // Said when the answer is to change nothing (the entry already has the apps).
    let mut unchanged = None;
    let ask = |vault: &Vault| {
        // Refused before the password is pasted, not after.
        vault.check_add(&args.label, &apple_id)?;
        if args.no_password {
            return Ok(Some(AddPlan::Untracked));
        }
        let password = read_password(args.password_stdin, args.any_format, &args.label)?;
        let Some(existing) = sharing(vault, &apple_id, &password) else {
            return Ok(Some(AddPlan::New(password)));
        };
        let entry = vault.entry(&existing).expect("found");
        // Only a person can answer; a script gets the entry it asked for, and a note.
        if args.password_stdin || !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            return Ok(Some(AddPlan::New(password)));
        }
        let question = format!(
            "That is the password of \"{}\". Apple allows one password in several apps: add {} to \"{}\" instead of a new entry?",
            escape_control(&entry.label),
            escape_control(&args.apps.join(", ")),
            escape_control(&entry.label)
        );
        if !prompt::confirm(&question)? {
            return Ok(Some(AddPlan::New(password)));
        }
        if args.apps.iter().all(|a| entry.apps.contains(a)) {
            unchanged = Some(format!(
                "\"{}\" already has {}; nothing changed.",
                escape_control(&entry.label),
                escape_control(&args.apps.join(", "))
            ));
            return Ok(None);
        }
        Ok(Some(AddPlan::JoinExisting(existing)))
    };
    let lines = ctx.change(ask, |vault, plan| match plan {
        AddPlan::JoinExisting(existing) => join_apps(vault, &existing, &args.apps, today),
        AddPlan::New(password) => add_new(vault, id, &args, &apple_id, Some(password), today),
        AddPlan::Untracked => add_new(vault, id, &args, &apple_id, None, today),
    })?;
    match lines {
        Some(lines) => say_lines(&lines),
        None => say_lines(&unchanged.into_iter().collect::<Vec<_>>()),
    }
    Ok(0)
}

/// Adds `apps` to the entry `id` that already holds the password.
fn join_apps(
    vault: &mut Vault,
    id: &crate::model::EntryId,
    apps: &[String],
    today: jiff::civil::Date,
) -> Result<Vec<String>> {
    let entry = vault
        .entry(id)
        .ok_or_else(|| crate::model::ModelError::UnknownEntry {
            id: id.as_str().to_owned(),
        })?;
    let new: Vec<String> = apps.iter().filter(|a| !entry.apps.contains(a)).cloned().collect();
    let mut all = entry.apps.clone();
    all.extend(new.iter().cloned());
    let edit = Edit {
        apps: Some(all),
        ..Edit::default()
    };
    vault.edit(id, edit, today)?;
    let entry = vault.entry(id).expect("still there");
    Ok(vec![format!(
        "Added {} to \"{}\" ({}); no new entry. Its apps: {}.",
        escape_control(&new.join(", ")),
        escape_control(&entry.label),
        entry.apple_id,
        escape_control(&entry.apps.join(", "))
    )])
}

fn add_new(
    vault: &mut Vault,
    id: crate::model::EntryId,
    args: &AddArgs,
    apple_id: &str,
    password: Option<Password>,
    today: jiff::civil::Date,
) -> Result<Vec<String>> {
    let shared = password
        .as_ref()
        .and_then(|p| sharing(vault, apple_id, p))
        .and_then(|e| vault.entry(&e))
        .map(|e| e.label.clone());
    let new = NewEntry {
        label: args.label.clone(),
        apple_id: apple_id.to_owned(),
        apps: args.apps.clone(),
        password,
        created: args.created.unwrap_or(today),
        notes: args.notes.clone(),
        uses: args.uses.clone(),
    };
    let entry = vault.add(id, new, today)?;
    let mut lines = vec![match entry.password {
        Some(_) => format!(
            "Added \"{}\" for {}.",
            escape_control(&entry.label),
            entry.apple_id
        ),
        None => format!(
            "Recorded \"{}\" for {} as listed at Apple, without its password: it counts toward the 25; \
             revoke it at Apple if no app uses it, or regenerate it to store a new one.",
            escape_control(&entry.label),
            entry.apple_id
        ),
    }];
    if entry.password.as_ref().is_some_and(|p| !p.is_well_formed()) {
        lines.push("note: stored as given; it will show as malformed".to_owned());
    }
    if let crate::model::Status::Revoked { on, .. } = entry.status {
        lines.push(before_reset(&entry.label, &entry.apple_id, entry.created, on));
    }
    if let Some(other) = shared {
        lines.push(format!(
            "note: it has the same password as \"{}\": one password at Apple, used by both; adding \
             the apps to that entry (`aspen edit LABEL --app …`) would keep it as one",
            escape_control(&other)
        ));
    }
    lines.extend(slot_note(vault, apple_id));
    Ok(lines)
}

/// Added as revoked by a reset it predates: why, and the two ways out of it.
fn before_reset(label: &str, apple_id: &str, created: jiff::civil::Date, on: jiff::civil::Date) -> String {
    use crate::text::shell_quote;
    format!(
        "warning: created {created}, before the Apple ID password reset of {on} recorded for \
         {apple_id}, so Apple revoked it then: it is recorded as revoked by that reset, takes no \
         slot, and waits to be regenerated. If it was created after the reset, correct the date \
         (`aspen edit {} --apple-id {} --created DATE`); if there was no reset, withdraw it \
         (`aspen reset --undo --apple-id {} --date {on}`).",
        shell_quote(&escape_control(label)),
        shell_quote(apple_id),
        shell_quote(apple_id),
    )
}

pub fn show(ctx: &Ctx, args: &ShowArgs) -> Result<i32> {
    let loaded = ctx.open()?;
    let vault = &loaded.vault;
    let id = &vault
        .find(&args.select.label, args.select.apple_id.as_deref())?
        .id;
    let attention = analyse(vault, ctx.today, ctx.config.policy());
    let Some(i) = vault.entries.iter().position(|e| &e.id == id) else {
        return Ok(0);
    };
    let view = report::EntryView::new(&vault.entries[i], attention[i], ctx.today);
    if args.json {
        out::json(&view.with_history(&vault.entries[i]))?;
    } else {
        out::print(&report::describe_entry(
            &vault.entries[i],
            attention[i],
            ctx.today,
        ))?;
    }
    Ok(0)
}

pub fn reveal(ctx: &Ctx, args: &RevealArgs) -> Result<i32> {
    let select = &args.select;
    let loaded = ctx.open()?;
    let entry = loaded.vault.find(&select.label, select.apple_id.as_deref())?;
    if !args.other {
        out::secret_line(entry.stored_password()?.expose())?;
        return Ok(0);
    }
    let other = entry.conflicts.iter().find_map(|c| match c {
        crate::model::Conflict::Password { password, .. } => Some(password.as_ref()),
        _ => None,
    });
    match other {
        Some(Some(p)) => out::secret_line(p.expose())?,
        Some(None) => {
            return Err(crate::refusal::Refusal::OtherNotStored {
                label: entry.label.clone(),
            }
            .into());
        }
        None => {
            return Err(crate::refusal::Refusal::NoOtherPassword {
                label: entry.label.clone(),
            }
            .into());
        }
    }
    Ok(0)
}

pub fn edit(ctx: &Ctx, args: EditArgs) -> Result<i32> {
    let today = ctx.today;
    let edit = Edit {
        label: args.new_label,
        apple_id: args.new_apple_id,
        apps: (!args.apps.is_empty()).then_some(args.apps),
        notes: args.notes,
        created: args.created,
        uses: args.uses.map(|u| u.0),
    };
    let select = args.select;
    let lines = ctx.modify(|vault| {
        let id = vault.find(&select.label, select.apple_id.as_deref())?.id.clone();
        vault.edit(&id, edit, today)?;
        let entry = vault.entry(&id).expect("still there");
        let mut lines = vec![format!(
            "Updated \"{}\" ({}).",
            escape_control(&entry.label),
            entry.apple_id
        )];
        let apple_id = entry.apple_id.clone();
        lines.extend(slot_note(vault, &apple_id));
        Ok(lines)
    })?;
    say_lines(&lines);
    Ok(0)
}

pub fn rm(ctx: &Ctx, args: &RmArgs) -> Result<i32> {
    let select = &args.select;
    // Unlocked first: the question names an entry that exists, and a label that does
    // not is said before anything is asked.
    let ask = |vault: &Vault| {
        let entry = vault.find(&select.label, select.apple_id.as_deref())?;
        let id = entry.id.clone();
        if args.yes {
            return Ok(Some(id));
        }
        // No means nothing is written, not even an unchanged copy over the backup.
        let question = format!(
            "Delete \"{}\" ({}) and its password for good?",
            escape_control(&entry.label),
            entry.apple_id
        );
        Ok(prompt::confirm(&question)?.then_some(id))
    };
    let lines = ctx.change(ask, |vault, id| {
        let entry = vault.remove(&id)?;
        let mut lines = vec![format!(
            "Deleted \"{}\" ({}).",
            escape_control(&entry.label),
            entry.apple_id
        )];
        if entry.is_active() {
            lines.push(
                "note: it may still be active at Apple; revoke it at account.apple.com if its app is gone"
                    .to_owned(),
            );
        }
        Ok(lines)
    })?;
    match lines {
        Some(lines) => say_lines(&lines),
        None => crate::say!("Nothing deleted."),
    }
    Ok(0)
}

pub fn regenerate(ctx: &Ctx, args: &RegenerateArgs) -> Result<i32> {
    let today = ctx.today;
    let created = args.created.unwrap_or(today);
    let select = &args.select;
    let ask = |vault: &Vault| {
        // Asked only once the label is known to exist.
        let entry = vault.find(&select.label, select.apple_id.as_deref())?;
        let password = read_password(args.password_stdin, args.any_format, &entry.label)?;
        Ok(Some((entry.id.clone(), password)))
    };
    let lines = ctx.change(ask, |vault, (id, password)| {
        // By id, not label: another aspen may have renamed entries meanwhile, and the
        // password belongs to the entry the user chose (gone: UnknownEntry).
        let was_active = vault.entry(&id).is_some_and(|e| e.is_active());
        vault.regenerate(&id, password, created, today)?;
        let entry = vault.entry(&id).expect("still there");
        let apps = if entry.apps.is_empty() {
            "the apps that use it".to_owned()
        } else {
            escape_control(&entry.apps.join(", ")).into_owned()
        };
        let mut lines = vec![format!(
            "Stored the new password for \"{}\" ({}); enter it in {apps}.",
            escape_control(&entry.label),
            entry.apple_id,
        )];
        if was_active {
            lines.push(
                "note: revoke the old password at account.apple.com; it still takes a slot there".to_owned(),
            );
        }
        Ok(lines)
    })?;
    say_lines(&lines.unwrap_or_default());
    Ok(0)
}
