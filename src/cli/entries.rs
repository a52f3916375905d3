//! Subcommands that work on one entry: add, show, reveal, edit, rm, regenerate.

use clap::Args;
use jiff::civil::Date;

use super::{Ctx, Select, done, out, parse_date, prompt, report};
use crate::error::Result;
use crate::model::{Change, Edit, Entry, NewEntry, Password, PasswordError, Use, Vault, analyse};
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
    /// What its apps use it for: mail, calendar, contacts, notarization (comma-separated)
    #[arg(long, value_parser = parse_use, value_delimiter = ',', value_name = "USES")]
    pub uses: Vec<Use>,
    /// The Apple developer team id, for notarization (10 letters and digits)
    #[arg(long, value_name = "TEAM", default_value = "")]
    pub team_id: String,
    /// Record a password Apple lists that aspen does not have (made before aspen, or lost)
    #[arg(long, requires = "created", conflicts_with_all = ["password_stdin", "any_format"])]
    pub no_password: bool,
    /// Read the password as one line from stdin instead of the terminal
    #[arg(long)]
    pub password_stdin: bool,
    /// Store a password that does not have Apple's xxxx-xxxx-xxxx-xxxx shape
    #[arg(long)]
    pub any_format: bool,
    /// When an active entry of the Apple ID holds the password already, add the apps
    /// to that entry instead of a new one (Apple counts one password once)
    #[arg(long, conflicts_with = "no_password")]
    pub join: bool,
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
    /// Replace what its apps use it for: mail, calendar, contacts, notarization
    /// (comma-separated; "" for none)
    #[arg(long, value_parser = parse_uses, value_name = "USES")]
    pub uses: Option<UseList>,
    /// Replace the Apple developer team id, for notarization (10 letters and digits)
    #[arg(long, value_name = "TEAM")]
    pub team_id: Option<String>,
}

/// A `--uses` list that may be empty (`--uses ""` clears it).
#[derive(Clone, Debug)]
pub struct UseList(pub Vec<Use>);

pub(super) fn parse_use(text: &str) -> std::result::Result<Use, String> {
    Use::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Use::ALL.iter().map(|u| u.name()).collect();
        format!("\"{text}\" is not one of: {}", names.join(", "))
    })
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

/// What `add` stores once the password is known (`None`: listed at Apple, password
/// unknown); with `join`, the apps join the entry that holds it, if one does.
struct AddPlan {
    password: Option<Password>,
    join: bool,
}

/// At a terminal, whether the apps should join `holder`, the entry that has the
/// password already. Only a person can answer; a script gets the refusal, whose hint
/// names --join.
fn offer_join(args: &AddArgs, holder: &Entry) -> Result<bool> {
    if args.password_stdin || !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return Ok(false);
    }
    let question = format!(
        "That is the password of \"{}\". Apple allows one password in several apps: add {} to \"{}\" instead of a new entry?",
        escape_control(&holder.label),
        escape_control(&args.apps.join(", ")),
        escape_control(&holder.label)
    );
    prompt::confirm(&question)
}

pub fn add(ctx: &Ctx, args: AddArgs) -> Result<i32> {
    // Check the cheap things before asking for secrets.
    let _ = crate::model::validate_label(&args.label)?;
    let apple_id = crate::model::normalise_apple_id(&args.apple_id)?;
    let _ = crate::model::team_id_for(&args.label, &args.uses, Some(&args.team_id), "")?;
    // Said when the answer is to change nothing (the entry already has the apps).
    let mut unchanged = None;
    let ask = |vault: &Vault| {
        // Refused before the password is pasted, not after.
        vault.check_add(&args.label, &apple_id)?;
        if args.no_password {
            return Ok(Some(AddPlan {
                password: None,
                join: false,
            }));
        }
        let password = read_password(args.password_stdin, args.any_format, &args.label)?;
        let Some(holder) = vault.holder_of(&apple_id, &password) else {
            return Ok(Some(AddPlan {
                password: Some(password),
                join: false,
            }));
        };
        // Not joined: the model refuses the second entry, with the hint that joins.
        let join = args.join || offer_join(&args, holder)?;
        if join && args.apps.iter().all(|a| holder.apps.contains(a)) {
            unchanged = Some(format!(
                "\"{}\" already has {}; nothing changed.",
                escape_control(&holder.label),
                escape_control(&args.apps.join(", "))
            ));
            return Ok(None);
        }
        Ok(Some(AddPlan {
            password: Some(password),
            join,
        }))
    };
    let make = |vault: &Vault, plan: AddPlan| {
        // The entry that holds it now, under the lock: another aspen may have
        // revoked it meanwhile, and then the password is a new entry's.
        let holder = match (&plan.password, plan.join) {
            (Some(p), true) => vault.holder_of(&apple_id, p).map(|e| e.id.clone()),
            _ => None,
        };
        let change = match holder {
            Some(id) => Change::JoinApps {
                id,
                apps: args.apps.clone(),
            },
            None => Change::Add(NewEntry {
                label: args.label.clone(),
                apple_id: apple_id.clone(),
                apps: args.apps.clone(),
                password: plan.password,
                created: args.created.unwrap_or(ctx.today),
                notes: args.notes.clone(),
                uses: args.uses.clone(),
                team_id: args.team_id.clone(),
            }),
        };
        Ok((change, ()))
    };
    let said = ctx.apply_asked(ask, make, |vault, d, ()| done::said(vault, d))?;
    if let Some(text) = said.or(unchanged) {
        crate::say!("{text}");
    }
    Ok(0)
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
    let edit = Edit {
        label: args.new_label,
        apple_id: args.new_apple_id,
        apps: (!args.apps.is_empty()).then_some(args.apps),
        notes: args.notes,
        created: args.created,
        uses: args.uses.map(|u| u.0),
        team_id: args.team_id,
    };
    let select = args.select;
    let make = |vault: &Vault| {
        let id = vault.find(&select.label, select.apple_id.as_deref())?.id.clone();
        Ok(Change::Edit { id, edit })
    };
    crate::say!("{}", ctx.apply(make, done::said)?);
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
    // What the entry was under the lock, for the words: once deleted it is gone.
    let make = |vault: &Vault, id| {
        let gone = vault.entry(&id).map(|e| done::Gone {
            apple_id: e.apple_id.clone(),
            active: e.is_active(),
        });
        Ok((Change::Delete(id), gone))
    };
    let said = |vault: &Vault, d: &crate::model::Done, gone: Option<done::Gone>| match gone {
        Some(gone) => done::said_deleted(vault, d, &gone),
        None => done::said(vault, d),
    };
    match ctx.apply_asked(ask, make, said)? {
        Some(text) => crate::say!("{text}"),
        None => crate::say!("Nothing deleted."),
    }
    Ok(0)
}

pub fn regenerate(ctx: &Ctx, args: &RegenerateArgs) -> Result<i32> {
    let created = args.created.unwrap_or(ctx.today);
    let select = &args.select;
    let ask = |vault: &Vault| {
        // Asked only once the label is known to exist.
        let entry = vault.find(&select.label, select.apple_id.as_deref())?;
        let password = read_password(args.password_stdin, args.any_format, &entry.label)?;
        Ok(Some((entry.id.clone(), password)))
    };
    // By id, not label: another aspen may have renamed entries meanwhile, and the
    // password belongs to the entry the user chose (gone: UnknownEntry).
    let make = |_: &Vault, (id, password)| {
        let change = Change::Regenerate {
            id,
            password,
            created,
        };
        Ok((change, ()))
    };
    // Which entry's old password stays live at Apple, for the question after the save.
    let old_live = std::cell::Cell::new(None);
    let said = |vault: &Vault, d: &crate::model::Done, ()| {
        if let crate::model::Done::Regenerated {
            id, old_live: true, ..
        } = d
        {
            old_live.set(Some(id.clone()));
        }
        done::said(vault, d)
    };
    if let Some(text) = ctx.apply_asked(ask, make, said)? {
        crate::say!("{text}");
    }
    let at_terminal = !args.password_stdin && std::io::IsTerminal::is_terminal(&std::io::stdin());
    if let Some(id) = old_live.take()
        && at_terminal
        && prompt::confirm("Have you revoked the old password at account.apple.com already?")?
    {
        let text = ctx.apply(|_| Ok(Change::RevokeOld(id)), done::said)?;
        crate::say!("{text}");
    }
    Ok(0)
}
