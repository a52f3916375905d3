//! `aspen setup LABEL`: what to type into the app besides the password; for an entry
//! used for notarization, the `notarytool` line, and the password copied for it.

use clap::Args;
use serde::Serialize;

use super::{Ctx, Select, copy, out};
use crate::error::Result;
use crate::model::{Entry, NotarySetup, Service, Setting, notary_setup, setup_card_for};
use crate::secret::SecretString;
use crate::text::{escape_control, shell_quote};

#[derive(Debug, Args)]
pub struct SetupArgs {
    #[command(flatten)]
    pub select: Select,
    /// Print JSON for scripts
    #[arg(long)]
    pub json: bool,
    /// Do not copy the password of an entry used for notarization (`aspen copy` does
    /// it later)
    #[arg(long)]
    pub no_copy: bool,
}

/// One item of `setup --json`: a service's settings, or notarytool's.
#[derive(Serialize)]
#[serde(untagged)]
enum Item<'a> {
    Service(&'a Setting),
    Notary(NotaryItem<'a>),
}

#[derive(Serialize)]
struct NotaryItem<'a> {
    service: &'static str,
    #[serde(flatten)]
    setup: &'a NotarySetup,
}

pub fn setup(ctx: &Ctx, args: &SetupArgs) -> Result<i32> {
    // The vault is closed again before the copy, which may take a moment.
    let (text, secret) = {
        let opened = ctx.open()?;
        let entry = opened
            .vault
            .find(&args.select.label, args.select.apple_id.as_deref())?;
        let mail = opened.vault.mail_address(&entry.apple_id);
        let card = setup_card_for(&entry.apple_id, mail.as_deref(), &entry.uses);
        let notary = notary_setup(entry);
        if args.json {
            let mut items: Vec<Item> = card.iter().map(Item::Service).collect();
            items.extend(notary.as_ref().map(|setup| {
                Item::Notary(NotaryItem {
                    service: "notarization",
                    setup,
                })
            }));
            return out::json(&items).map(|()| 0);
        }
        // Copied only for notarytool, which asks for it next, and only one that works.
        let copying = notary.is_some() && !args.no_copy && entry.password_stored() && entry.is_active();
        let secret = match copying {
            true => Some((
                entry.label.clone(),
                SecretString::from(entry.stored_password()?.expose()),
            )),
            false => None,
        };
        let mut text = services_text(entry, &card);
        if let Some(n) = &notary {
            text.push_str(&notary_text(entry, n, ctx.config.clipboard_clear_secs, copying));
        }
        (text, secret)
    };
    out::print(&text)?;
    if let Some((label, secret)) = secret {
        let secs = ctx.config.clipboard_clear_secs;
        copy::copy_secret(&label, &secret, &args.select, secs, ctx.config.clipboard)?;
    }
    Ok(0)
}

/// The services' settings, one block each (not a table: it stays readable in 80
/// columns), and where the password comes from; nothing when the entry is used
/// for notarization only.
fn services_text(entry: &Entry, card: &[Setting]) -> String {
    let mut text = String::new();
    for s in card {
        let port = s.port.map(|p| format!(", port {p}")).unwrap_or_default();
        let user = match (&s.user_name, s.user_name_note) {
            (Some(name), "") => escape_control(name).into_owned(),
            (Some(name), note) => format!("{} ({note})", escape_control(name)),
            (None, note) => note.to_owned(),
        };
        text.push_str(&format!(
            "{}\n  server     {}{port}, {}\n  user name  {user}\n",
            s.service.describe(),
            s.server,
            s.security
        ));
    }
    // Quoted to paste back exactly, and safe to print (see `shell_quote`).
    let quoted = shell_quote(&entry.label);
    if !card.is_empty() {
        let password = if entry.password_stored() {
            format!("`aspen copy {quoted}`")
        } else {
            "aspen does not hold it: generate a new one at Apple and store it with `aspen regenerate`"
                .to_owned()
        };
        text.push_str(&format!(
            "password, for each of them\n  the app-specific password \"{}\": {password}\n  \
             (never the Apple ID's own password)\n",
            escape_control(&entry.label),
        ));
    }
    let mail = [Service::MailIncoming, Service::MailOutgoing];
    if card
        .iter()
        .any(|s| s.user_name.is_none() && mail.contains(&s.service))
    {
        text.push_str(&format!(
            "Record its iCloud Mail address once, and this card shows it:\n  aspen apple-id mail {} ADDRESS\n",
            shell_quote(&entry.apple_id)
        ));
    }
    if entry.uses.is_empty() {
        text.push_str(&format!(
            "Every service is shown; to keep to what the app uses, record it:\n  aspen edit {quoted} --uses mail,calendar\n"
        ));
    }
    text
}

/// notarytool's block: the Apple ID and team id, the line to run once (whole on a
/// line of its own, to copy), and where the password it asks for comes from.
fn notary_text(entry: &Entry, n: &NotarySetup, secs: u64, copying: bool) -> String {
    let quoted = shell_quote(&entry.label);
    let team_id = match &n.team_id {
        Some(t) => escape_control(t).into_owned(),
        None => format!("not recorded: `aspen edit {quoted} --team-id TEAM` records it"),
    };
    let label = escape_control(&entry.label);
    let password = if copying {
        let clears = match secs {
            0 => "it stays until something else is copied".to_owned(),
            s => format!("it clears in {s} s"),
        };
        format!("aspen copies it now ({clears}): paste it there")
    } else if !entry.password_stored() {
        "aspen does not hold it: generate a new one at Apple and store it with `aspen regenerate`".to_owned()
    } else if !entry.is_active() {
        format!("it is revoked at Apple: store a new one with `aspen regenerate {quoted}` first")
    } else {
        format!("`aspen copy {quoted}` copies it")
    };
    format!(
        "notarizing macOS apps (Xcode's notarytool)\n  apple id   {}\n  team id    {team_id}\n  \
         store the credentials in the keychain once, with:\n{}\n  notarytool asks for the \
         password: the app-specific password \"{label}\"\n  (never the Apple ID's own); \
         {password}\n",
        escape_control(&n.apple_id),
        n.command,
    )
}
