//! Reading other tools' exports (`aspen import`): the file read with bounds, each
//! tool's own layout (one file per tool), the rules that pick the app-specific
//! passwords out of everything else (`scan.rs`), and the preview of what the vault's
//! rules make of them (`plan.rs`). The vault changes only through
//! [`crate::model::Change::Import`], which adds each by the rules of one add.
//!
//! A layer of the core: it knows no front end, prints nothing and names no command.
//! Passwords are [`SecretString`]s from the moment a row is parsed, and the file's
//! bytes are held in a zeroizing buffer.

mod apple;
mod aspen;
mod bitwarden;
pub mod cell;
mod keepassxc;
mod onepassword;
mod plan;
mod scan;
mod table;

use std::path::Path;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::SecretString;
use crate::storage::files::{self, ReadError};
use crate::text::shown_path;

pub mod words;

pub use plan::{Preview, SlotChange, entries, preview};
pub use scan::{Found, Options, Scan, Skipped, Why};

/// The largest export read: a password manager's export of thousands of logins is a
/// few MiB; past this it is not an export.
pub const MAX_EXPORT_BYTES: u64 = 16 * 1024 * 1024;

/// The most app-specific passwords one import takes: 40 Apple IDs' worth, far past
/// any family's, and a bound on the work a hostile file can ask for.
pub const MAX_FOUND: usize = 1000;

/// The tool that wrote the export, which decides its layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// 1Password's CSV export (1Password 8: Title, Url, Username, Password, OTPAuth,
    /// Favorite, Archived, Tags, Notes; 1Password 7's named columns too).
    OnePassword,
    /// Bitwarden's unencrypted JSON export, or its CSV export.
    Bitwarden,
    /// KeePassXC's CSV export (Group, Title, Username, Password, URL, Notes, TOTP,
    /// Icon, Last Modified, Created).
    KeePassXc,
    /// The CSV the Passwords app and Safari export (Title, URL, Username, Password,
    /// Notes, OTPAuth).
    ApplePasswords,
    /// aspen's own CSV (`aspen export --format csv --with-passwords`), or any CSV
    /// whose first line names its columns.
    Csv,
}

impl Source {
    /// Every tool aspen reads, in the order a front end offers them.
    pub const ALL: [Self; 5] = [
        Self::OnePassword,
        Self::Bitwarden,
        Self::KeePassXc,
        Self::ApplePasswords,
        Self::Csv,
    ];

    /// The tool's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::OnePassword => "1Password",
            Self::Bitwarden => "Bitwarden",
            Self::KeePassXc => "KeePassXC",
            Self::ApplePasswords => "Passwords app (or Safari)",
            Self::Csv => "CSV",
        }
    }
}

/// Where a row is in the export, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Where {
    /// The line a CSV record starts on.
    Line(u64),
    /// The position of an item in a JSON export's list, from 1.
    Item(usize),
}

impl std::fmt::Display for Where {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Line(n) => write!(f, "line {n}"),
            Self::Item(n) => write!(f, "item {n}"),
        }
    }
}

/// One login of an export, as the tool wrote it: nothing checked yet.
#[derive(Debug)]
pub struct Row {
    pub at: Where,
    pub title: String,
    pub username: String,
    pub password: SecretString,
    pub urls: Vec<String>,
    pub notes: String,
    /// The date the tool recorded its creation, as written.
    pub created: Option<String>,
    /// Its apps, where the export names them (aspen's own CSV); else its title.
    pub apps: Vec<String>,
    /// What it is used for, where the export says (aspen's own CSV), as written.
    pub uses: Option<String>,
    /// Why it is not taken even if it is an app-specific password (in the tool's
    /// trash, revoked in aspen's export).
    pub left_out: Option<&'static str>,
}

impl Row {
    fn new(at: Where, password: SecretString) -> Self {
        Self {
            at,
            title: String::new(),
            username: String::new(),
            password,
            urls: Vec::new(),
            notes: String::new(),
            created: None,
            apps: Vec::new(),
            uses: None,
            left_out: None,
        }
    }
}

/// Reads `path` as `source`'s export and picks out the app-specific passwords.
/// Refused (exit 2) when it is not a regular file of at most 16 MiB, not UTF-8,
/// or not in the tool's layout.
pub fn read(path: &Path, source: Source, options: &Options) -> Result<Scan> {
    let bytes = read_bounded(path)?;
    let bad = |problem: String| Error::BadInput {
        what: format!("the {} export {}", source.name(), shown_path(path)),
        problem,
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        bad(
            "it is not UTF-8 text; export it again, or save it from a spreadsheet as \
             \"CSV UTF-8\""
                .to_owned(),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rows = rows_of(text, source).map_err(bad)?;
    let scan = scan::scan(rows, options);
    if scan.found.len() > MAX_FOUND {
        return Err(bad(format!(
            "it holds {} passwords of Apple's shape, more than the {MAX_FOUND} one import \
             takes; split it into smaller files",
            scan.found.len()
        )));
    }
    Ok(scan)
}

/// Each login of the export, in the tool's layout.
fn rows_of(text: &str, source: Source) -> Result<Vec<Row>, String> {
    match source {
        Source::OnePassword => onepassword::rows(text),
        Source::Bitwarden if text.trim_start().starts_with('{') => bitwarden::json_rows(text),
        Source::Bitwarden => bitwarden::csv_rows(text),
        Source::KeePassXc => keepassxc::rows(text),
        Source::ApplePasswords => apple::rows(text),
        Source::Csv => aspen::rows(text),
    }
}

/// The file's bytes in a buffer wiped when dropped: only a regular file, never
/// through a link (an export is named directly; a link planted in its place could
/// point anywhere), never blocking on a FIFO, at most [`MAX_EXPORT_BYTES`].
fn read_bounded(path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let refuse = |problem: String| Error::BadInput {
        what: format!("the export {}", shown_path(path)),
        problem,
    };
    match files::read_regular_nofollow(path, MAX_EXPORT_BYTES, "export") {
        Ok(bytes) => Ok(Zeroizing::new(bytes)),
        Err(ReadError::Refused(Error::NotAFile { found, .. })) => Err(refuse(format!(
            "it is {found}, not a regular file; name the export file itself"
        ))),
        Err(ReadError::Refused(Error::TooLarge { max, .. })) => Err(refuse(format!(
            "it is larger than {} MiB, far larger than any export of logins; check that it \
             is the export",
            max / (1024 * 1024)
        ))),
        Err(e) => Err(e.into_error("read", path)),
    }
}

/// What a read found, one sentence for both front ends: "Read 43 logins from the
/// 1Password export FILE; 4 look like app-specific passwords."
pub fn heading(scan: &Scan, source: Source, file: &Path) -> String {
    let looked = scan.found.len() + scan.skipped.len();
    let read = looked + scan.others;
    let like = if looked == 1 {
        "looks like an app-specific password"
    } else {
        "look like app-specific passwords"
    };
    format!(
        "Read {read} login{} from the {} export {}; {looked} {like}.",
        if read == 1 { "" } else { "s" },
        source.name(),
        shown_path(file),
    )
}
