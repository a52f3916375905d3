//! Exports, for both front ends: the entries for spreadsheets and scripts (CSV or
//! JSON, their passwords only when asked), or the vault's encrypted payload (age).
//! The bytes are built here and written here, the one way: to a new file only, never
//! over an existing one nor through a link at its name, whole or not at all, created
//! 0600. CSV cells a spreadsheet would run as formulas are neutralised
//! (`crate::import::cell`), so `aspen import --from csv` reads aspen's CSV back
//! exactly. Nothing here prints or says where the passwords went: each front end
//! words its own warning.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::import::cell;
use crate::model::{AttentionSet, Entry, Policy, Status, Vault, analyse};
use crate::refusal::Refusal;
use crate::storage::VaultPaths;
use crate::text::escape_control_lines;

/// What an export holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One row per entry, for a spreadsheet.
    Csv,
    /// One object per entry, for scripts.
    Json,
    /// The vault's encrypted payload, a standard age file.
    Age,
}

impl Format {
    pub const ALL: [Self; 3] = [Self::Csv, Self::Json, Self::Age];

    /// The ending of a file of this format, without its dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Age => "age",
        }
    }

    /// Whether an export of this format may add the passwords in clear (the age
    /// export holds them already, encrypted).
    pub fn takes_passwords(self) -> bool {
        self != Self::Age
    }
}

/// An export to write: where, what, and whether with the passwords in clear.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub path: PathBuf,
    pub format: Format,
    /// With CSV and JSON; the age export holds them (encrypted) whatever this says.
    pub with_passwords: bool,
}

/// What an export wrote, once it is on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    pub path: PathBuf,
    /// How many entries it holds.
    pub entries: usize,
}

/// The columns of the CSV, in order; `password` only with the passwords.
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
pub struct Line<'a> {
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

/// The vault's entries as exported, ordered by Apple ID, then label.
pub fn lines(vault: &Vault, today: Date, policy: Policy, with_passwords: bool) -> Vec<Line<'_>> {
    let attention = analyse(vault, today, policy);
    let mut shown: Vec<(&Entry, AttentionSet)> = vault.entries.iter().zip(attention).collect();
    shown.sort_by(|(a, _), (b, _)| {
        (a.apple_id.cmp(&b.apple_id)).then_with(|| crate::model::label_order(&a.label, &b.label))
    });
    shown
        .iter()
        .map(|(e, a)| Line::new(e, *a, with_passwords))
        .collect()
}

/// The CSV, a header line and one line per entry, each cell neutralised; for a
/// terminal (`shown`), control and invisible characters as visible escapes.
pub fn csv(lines: &[Line], shown: bool) -> Zeroizing<Vec<u8>> {
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
pub fn json(lines: &[Line]) -> Zeroizing<Vec<u8>> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(256 + lines.len() * 384));
    serde_json::to_writer_pretty(&mut *bytes, lines).expect("these fields always serialise");
    bytes.push(b'\n');
    bytes
}

/// Writes the export `request` asks for of `vault`, decrypted from `file` (the vault
/// file's bytes as read: the age export is their payload, exactly).
pub fn to_file(
    paths: &VaultPaths,
    (vault, file): (&Vault, &[u8]),
    today: Date,
    policy: Policy,
    request: &Request,
) -> Result<Exported> {
    let path = &request.path;
    let bytes = match request.format {
        Format::Age => {
            let (_, payload) = crate::vault_file::split(file).map_err(|e| paths.store().format_error(e))?;
            Zeroizing::new(payload.to_vec())
        }
        Format::Csv => csv(&lines(vault, today, policy, request.with_passwords), false),
        Format::Json => json(&lines(vault, today, policy, request.with_passwords)),
    };
    write_new(path, &bytes)?;
    Ok(Exported {
        path: path.clone(),
        entries: vault.entries.len(),
    })
}

/// Writes `bytes` to `path`, a new file of mode 0600, whole or not at all. Refused,
/// and said why, before anything is written: a name taken (by a file, or by a link,
/// even one that points nowhere: it is never followed), a folder that is not there.
/// The write itself never replaces what appears at the name meanwhile.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    check_target(path)?;
    crate::storage::write_new_file(path, bytes)
}

/// Why nothing can be written at `path`, if anything stands in the way.
fn check_target(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(Refusal::ExportThroughLink {
                path: path.to_path_buf(),
            }
            .into());
        }
        Ok(meta) if meta.is_dir() => {
            return Err(Refusal::ExportToFolder {
                path: path.to_path_buf(),
            }
            .into());
        }
        Ok(_) => {
            return Err(Error::OutputExists {
                path: path.to_path_buf(),
            });
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        // A parent that is a file: said below, as the folder it is not.
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {}
        Err(e) => return Err(Error::io("look at", path, e)),
    }
    let folder = crate::storage::folder_of(path);
    let found = match std::fs::metadata(&folder) {
        Ok(meta) if meta.is_dir() => return Ok(()),
        Ok(_) => "is not a folder",
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "does not exist",
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => "is not a folder",
        Err(e) => return Err(Error::io("look at", &folder, e)),
    };
    Err(Refusal::NoExportFolder { folder, found }.into())
}
