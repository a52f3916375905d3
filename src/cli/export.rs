//! `aspen export --format csv|json`: the entries for spreadsheets and scripts,
//! without passwords; `--with-passwords` adds them, only to a new file (`-o`),
//! created 0600, never over an existing one, with a warning. The bytes and the
//! writing are `app::export`'s, which the TUI's export dialog uses too.

use super::vault_cmds::{ExportArgs, ExportFormat};
use super::{Ctx, out};
use crate::app::export::{self, Format, Request};
use crate::error::{Error, Result};
use crate::text::shown_path;

/// `export --format csv|json`.
pub fn entries(ctx: &Ctx, args: &ExportArgs) -> Result<i32> {
    if args.with_passwords && args.output.is_none() {
        return Err(Error::BadInput {
            what: "--with-passwords".to_owned(),
            problem: "passwords are written only to a file: name a new one with -o FILE".to_owned(),
        });
    }
    let opened = ctx.open()?;
    let policy = ctx.config.policy();
    let Some(path) = &args.output else {
        let lines = export::lines(&opened.vault, ctx.today, policy, false);
        return match args.format {
            ExportFormat::Json => out::json(&lines).map(|()| 0),
            _ => out::print_bytes(&export::csv(&lines, true)).map(|()| 0),
        };
    };
    let request = Request {
        path: path.clone(),
        format: match args.format {
            ExportFormat::Json => Format::Json,
            _ => Format::Csv,
        },
        with_passwords: args.with_passwords,
    };
    let vault = (&opened.vault, opened.bytes.as_slice());
    let n = export::to_file(&ctx.paths, vault, ctx.today, policy, &request)?.entries;
    crate::say!(
        "Wrote {n} entr{} to {}.",
        if n == 1 { "y" } else { "ies" },
        shown_path(path)
    );
    if args.with_passwords {
        crate::say!(
            "warning: {} holds every stored password in clear text: anyone who can read it can \
             sign in to these Apple IDs' mail, calendars and contacts. It is readable by you \
             alone (mode 0600); keep it off synced and backed-up folders, and delete it once \
             it has served.",
            shown_path(path)
        );
    }
    Ok(0)
}
