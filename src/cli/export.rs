//! `aspen export --format csv|json`: the entries for spreadsheets and scripts,
//! without passwords; `--with-passwords` adds them, only to a new file (`-o`),
//! created 0600, never over an existing one, with a warning. CSV cells a spreadsheet
//! would run as formulas are neutralised (`crate::import::cell`), so aspen reads
//! its own CSV back exactly (`aspen import --from csv`).

use jiff::civil::Date;
use serde::Serialize;
use zeroize::Zeroizing;

use super::vault_cmds::{ExportArgs, ExportFormat};
use super::{Ctx, out};
use crate::error::{Error, Result};
use crate::import::cell;
use crate::model::{AttentionSet, Entry, Status, analyse};
use crate::text::{escape_control_lines, shown_path};

/// The columns of the CSV, in order; `password` only with `--with-passwords`.
const COLUMNS: [&str; 9] = [
    "label",
    "apple_id",
    "apps",
    "uses",
    "created",
    "status",
    "revoked_on",
    "attention",
    "notes",
];

/// One entry as exported.
#[derive(Serialize)]
struct Line<'a> {
    label: &'a str,
    apple_id: &'a str,
    apps: &'a [String],
    uses: Vec<&'static str>,
    created: Date,
    status: &'static str,
    revoked_on: Option<Date>,
    attention: Vec<&'static str>,
    notes: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<&'a str>,
}

impl<'a> Line<'a> {
    fn new(e: &'a Entry, attention: AttentionSet, with_password: bool) -> Self {
        Self {
            label: &e.label,
            apple_id: &e.apple_id,
            apps: &e.apps,
            uses: e.uses.iter().map(|u| u.name()).collect(),
            created: e.created,
            status: e.status.name(),
            revoked_on: match e.status {
                Status::Revoked { on, .. } => Some(on),
                Status::Active => None,
            },
            attention: attention.iter().map(|a| a.name()).collect(),
            notes: &e.notes,
            // An entry recorded without its password exports an empty cell.
            password: with_password.then(|| e.password.as_ref().map_or("", |p| p.expose())),
        }
    }

    /// The CSV cells, in [`COLUMNS`] order.
    fn cells(&self) -> Vec<String> {
        let mut cells = vec![
            self.label.to_owned(),
            self.apple_id.to_owned(),
            self.apps.join("; "),
            self.uses.join(";"),
            self.created.to_string(),
            self.status.to_owned(),
            self.revoked_on.map(|d| d.to_string()).unwrap_or_default(),
            self.attention.join(";"),
            self.notes.to_owned(),
        ];
        cells.extend(self.password.map(str::to_owned));
        cells
    }
}

/// `export --format csv|json`.
pub fn entries(ctx: &Ctx, args: &ExportArgs) -> Result<i32> {
    if args.with_passwords && args.output.is_none() {
        return Err(Error::BadInput {
            what: "--with-passwords".to_owned(),
            problem: "passwords are written only to a file: name a new one with -o FILE".to_owned(),
        });
    }
    let opened = ctx.open()?;
    let vault = &opened.vault;
    let attention = analyse(vault, ctx.today, ctx.config.policy());
    let mut shown: Vec<(&Entry, AttentionSet)> = vault.entries.iter().zip(attention).collect();
    shown.sort_by(|(a, _), (b, _)| {
        (a.apple_id.cmp(&b.apple_id)).then_with(|| crate::model::label_order(&a.label, &b.label))
    });
    let lines: Vec<Line> = shown
        .iter()
        .map(|(e, a)| Line::new(e, *a, args.with_passwords))
        .collect();
    let Some(path) = &args.output else {
        return match args.format {
            ExportFormat::Json => out::json(&lines).map(|()| 0),
            _ => out::print_bytes(&csv_bytes(&lines, true)).map(|()| 0),
        };
    };
    let bytes = match args.format {
        ExportFormat::Json => json_bytes(&lines),
        _ => csv_bytes(&lines, false),
    };
    crate::storage::write_new_file(path, &bytes)?;
    let n = lines.len();
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

/// The CSV, a header line and one line per entry, each cell neutralised; for a
/// terminal (`shown`), control and invisible characters as visible escapes.
fn csv_bytes(lines: &[Line], shown: bool) -> Zeroizing<Vec<u8>> {
    const IN_MEMORY: &str = "writing CSV to memory cannot fail";
    let mut header: Vec<&str> = COLUMNS.to_vec();
    if lines.first().is_some_and(|l| l.password.is_some()) {
        header.push("password");
    }
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(256 + lines.len() * 256));
    writer.write_record(&header).expect(IN_MEMORY);
    for line in lines {
        let cells = Zeroizing::new(line.cells());
        let written = cells.iter().map(|c| {
            let c = cell::neutralise(c).into_owned();
            if shown { escape_control_lines(&c) } else { c }
        });
        writer.write_record(written).expect(IN_MEMORY);
    }
    Zeroizing::new(writer.into_inner().expect(IN_MEMORY))
}

/// The JSON, pretty, a line end after it.
fn json_bytes(lines: &[Line]) -> Zeroizing<Vec<u8>> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(256 + lines.len() * 384));
    serde_json::to_writer_pretty(&mut *bytes, lines).expect("these fields always serialise");
    bytes.push(b'\n');
    bytes
}
