//! `aspen setup LABEL`: what to type into the app besides the password.

use clap::Args;

use super::{Ctx, Select, out};
use crate::error::Result;
use crate::model::{Service, setup_card_for};
use crate::text::escape_control;

#[derive(Debug, Args)]
pub struct SetupArgs {
    #[command(flatten)]
    pub select: Select,
    /// Print JSON for scripts
    #[arg(long)]
    pub json: bool,
}

pub fn setup(ctx: &Ctx, args: &SetupArgs) -> Result<i32> {
    let opened = ctx.open()?;
    let entry = opened
        .vault
        .find(&args.select.label, args.select.apple_id.as_deref())?;
    let mail = opened.vault.mail_address(&entry.apple_id);
    let card = setup_card_for(&entry.apple_id, mail.as_deref(), &entry.uses);
    if args.json {
        return out::json(&card).map(|()| 0);
    }
    // One block per service, not a table: it stays readable in 80 columns.
    let mut text = String::new();
    for s in &card {
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
    let quoted = crate::text::shell_quote(&entry.label);
    let password = if entry.password_stored() {
        format!("`aspen copy {quoted}`")
    } else {
        "aspen does not hold it: generate a new one at Apple and store it with `aspen regenerate`".to_owned()
    };
    text.push_str(&format!(
        "password, for each of them\n  the app-specific password \"{}\": {password}\n  \
         (never the Apple ID's own password)\n",
        escape_control(&entry.label),
    ));
    let mail = [Service::MailIncoming, Service::MailOutgoing];
    if card
        .iter()
        .any(|s| s.user_name.is_none() && mail.contains(&s.service))
    {
        text.push_str(&format!(
            "Record its iCloud Mail address once, and this card shows it:\n  aspen apple-id mail {} ADDRESS\n",
            crate::text::shell_quote(&entry.apple_id)
        ));
    }
    if entry.uses.is_empty() {
        text.push_str(&format!(
            "Every service is shown; to keep to what the app uses, record it:\n  aspen edit {quoted} --uses mail,calendar\n"
        ));
    }
    out::print(&text).map(|()| 0)
}
