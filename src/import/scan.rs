//! Which logins of an export are app-specific passwords, and what aspen would store
//! for each. A login is taken for one when its password has Apple's shape (16
//! lowercase letters, grouped by four or not), when its site is Apple's (apple.com,
//! icloud.com, me.com, mac.com), or when its title says "app-specific"; of those,
//! only a password of Apple's shape is ever imported. Every other login is counted,
//! never read further.

use jiff::civil::Date;

use super::{Row, Where};
use crate::model::{NewEntry, Password, PasswordError, ShapeProblem, Use, normalise_apple_id};

/// What the command line adds to what the export says.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The Apple ID of logins whose user name is missing or not an Apple ID.
    pub apple_id: Option<String>,
    /// The created date of logins the export gives none.
    pub created: Option<Date>,
}

/// An app-specific password found, as the entry it would be.
pub struct Found {
    pub at: Where,
    pub entry: NewEntry,
}

/// Why a login that looks like an app-specific password is not offered to the vault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// In the tool's trash, revoked in aspen's export.
    LeftOut(&'static str),
    NoPassword,
    NotAppleShape(ShapeProblem),
    /// Apple's shape, but for another provider whose app passwords look the same.
    OtherProvider(String),
    /// No user name that is an Apple ID, and no `--apple-id`.
    NoAppleId,
    /// No date in the export, and no `--created`.
    NoDate,
    /// A date in the export aspen cannot read (as written).
    BadDate(String),
    /// A use aspen does not know (as written).
    BadUses(String),
    /// The same password as an earlier login of the same Apple ID: its apps join
    /// that one (Apple counts one password once).
    Joined {
        into: String,
    },
}

/// A login left out, and why.
#[derive(Clone, Debug)]
pub struct Skipped {
    pub at: Where,
    pub title: String,
    pub why: Why,
}

/// What an export holds: the app-specific passwords, those left out, and how many
/// other logins there were.
#[derive(Default)]
pub struct Scan {
    pub found: Vec<Found>,
    pub skipped: Vec<Skipped>,
    pub others: usize,
}

/// Hosts of Apple's own sites (and their subdomains).
const APPLE_HOSTS: [&str; 4] = ["apple.com", "icloud.com", "me.com", "mac.com"];

/// Hosts of providers whose app passwords have Apple's shape too.
const LOOKALIKE_HOSTS: [&str; 10] = [
    "google.com",
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "aol.com",
    "live.com",
    "outlook.com",
    "hotmail.com",
    "microsoft.com",
    "zoho.com",
];

pub(super) fn scan(rows: Vec<Row>, options: &Options) -> Scan {
    let mut scan = Scan::default();
    for row in rows {
        if !looks_apple_specific(&row) {
            scan.others += 1;
            continue;
        }
        let (at, title) = (row.at, row.title.clone());
        match found(row, options) {
            Ok(entry) => scan.found.push(Found { at, entry }),
            Err(why) => scan.skipped.push(Skipped { at, title, why }),
        }
    }
    join_shared(&mut scan);
    scan
}

/// Apple's shape, Apple's site, or a title that says so.
fn looks_apple_specific(row: &Row) -> bool {
    let title = row.title.to_lowercase();
    Password::parse(row.password.duplicate(), false).is_ok()
        || row.urls.iter().any(|u| host_in(u, &APPLE_HOSTS))
        || [
            "app-specific",
            "app specific",
            "application-specific",
            "application specific",
        ]
        .iter()
        .any(|w| title.contains(w))
}

/// The entry a login would be, or why it is left out.
fn found(row: Row, options: &Options) -> Result<NewEntry, Why> {
    if let Some(why) = row.left_out {
        return Err(Why::LeftOut(why));
    }
    let password = match Password::parse(row.password, false) {
        Ok(p) => p,
        Err(PasswordError::Shape(problem)) => return Err(Why::NotAppleShape(problem)),
        Err(PasswordError::Empty | PasswordError::Unusable) => return Err(Why::NoPassword),
    };
    if let Some(host) = lookalike(&row.title, &row.username, &row.notes, &row.urls) {
        return Err(Why::OtherProvider(host));
    }
    let apple_id = match normalise_apple_id(&row.username) {
        Ok(id) => id,
        Err(_) => options.apple_id.clone().ok_or(Why::NoAppleId)?,
    };
    let created = match row.created.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(text) => parse_created(text).ok_or_else(|| Why::BadDate(text.to_owned()))?,
        None => options.created.ok_or(Why::NoDate)?,
    };
    let uses = match &row.uses {
        Some(text) => parse_uses(text).ok_or_else(|| Why::BadUses(text.clone()))?,
        None => uses_named(&row.title, &row.urls, &row.notes),
    };
    let apps = if row.apps.is_empty() {
        vec![row.title.clone()]
    } else {
        row.apps
    };
    Ok(NewEntry {
        label: row.title,
        apple_id,
        apps,
        password: Some(password),
        created,
        notes: row.notes,
        uses,
        // Exports carry no developer team id: a notarization use is recorded later
        // with `aspen edit --uses … --team-id`.
        team_id: String::new(),
    })
}

/// The host of a provider whose app passwords look like Apple's, when the login is
/// for it and nothing says it is Apple's.
fn lookalike(title: &str, username: &str, notes: &str, urls: &[String]) -> Option<String> {
    let words = format!("{title}\n{notes}").to_lowercase();
    let apple_mail = APPLE_HOSTS[1..]
        .iter()
        .any(|h| username.to_lowercase().ends_with(&format!("@{h}")));
    let apple = apple_mail
        || ["icloud", "apple"].iter().any(|w| words.contains(w))
        || urls.iter().any(|u| host_in(u, &APPLE_HOSTS));
    if apple {
        return None;
    }
    let site = urls
        .iter()
        .find(|u| host_in(u, &LOOKALIKE_HOSTS))
        .map(|u| host(u));
    site.or_else(|| {
        ["google", "gmail", "yahoo"]
            .iter()
            .find(|w| title.to_lowercase().contains(*w))
            .map(|w| (*w).to_owned())
    })
}

/// The host of a URL as a password manager stores it (`https://user@host:443/path`,
/// or a bare `host/path`), lower case.
fn host(url: &str) -> String {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split(':').next().unwrap_or("");
    host.trim_end_matches('.').to_lowercase()
}

/// Whether `url`'s host is one of `hosts` or below one.
fn host_in(url: &str, hosts: &[&str]) -> bool {
    let host = host(url);
    hosts
        .iter()
        .any(|h| host == *h || host.ends_with(&format!(".{h}")))
}

/// A date as password managers write one: `2026-03-01`, with a time after it
/// (`2026-03-01T10:20:30Z`), or seconds since 1970 (1Password 7), taken in UTC.
pub(super) fn parse_created(text: &str) -> Option<Date> {
    if !text.is_empty() && text.len() <= 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        let seconds: i64 = text.parse().ok()?;
        let at = jiff::Timestamp::from_second(seconds).ok()?;
        return Some(at.to_zoned(jiff::tz::TimeZone::UTC).date());
    }
    let day = text.get(..10)?;
    let rest = &text[10..];
    let time_follows = rest.is_empty() || rest.starts_with(['T', 't', ' ']);
    if !time_follows {
        return None;
    }
    day.parse::<Date>().ok()
}

/// aspen's `uses` column: names separated by `;` or `,`.
fn parse_uses(text: &str) -> Option<Vec<Use>> {
    text.split([';', ','])
        .filter(|u| !u.trim().is_empty())
        .map(Use::parse)
        .collect()
}

/// What the title, sites and notes say the password is for.
fn uses_named(title: &str, urls: &[String], notes: &str) -> Vec<Use> {
    let text = format!("{title}\n{}\n{notes}", urls.join("\n")).to_lowercase();
    let says = |words: &[&str]| words.iter().any(|w| text.contains(w));
    let mut uses = Vec::new();
    if says(&["mail", "imap", "smtp"]) {
        uses.push(Use::Mail);
    }
    if says(&["calendar", "caldav"]) {
        uses.push(Use::Calendar);
    }
    if says(&["contact", "carddav"]) {
        uses.push(Use::Contacts);
    }
    // Notarization is not guessed: it needs the developer team id, which no export
    // holds; `aspen edit --uses … --team-id` records both.
    uses
}

/// A later login holding the same password under the same Apple ID as an earlier
/// one is not a second entry: its apps and uses join the earlier one's.
fn join_shared(scan: &mut Scan) {
    let mut kept: Vec<Found> = Vec::with_capacity(scan.found.len());
    for f in std::mem::take(&mut scan.found) {
        let same = kept
            .iter_mut()
            .find(|k| k.entry.apple_id == f.entry.apple_id && k.entry.password == f.entry.password);
        let Some(first) = same else {
            kept.push(f);
            continue;
        };
        for app in f.entry.apps {
            if !first.entry.apps.contains(&app) {
                first.entry.apps.push(app);
            }
        }
        first.entry.uses.extend(f.entry.uses);
        let why = Why::Joined {
            into: first.entry.label.clone(),
        };
        scan.skipped.push(Skipped {
            at: f.at,
            title: f.entry.label,
            why,
        });
    }
    scan.found = kept;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretString;

    fn row(title: &str, username: &str, password: &str, url: &str) -> Row {
        let mut row = Row::new(Where::Line(2), SecretString::from(password));
        row.title = title.to_owned();
        row.username = username.to_owned();
        row.urls = super::super::table::urls(url);
        row
    }

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn hosts_are_read_from_what_password_managers_store() {
        assert_eq!(host("https://appleid.apple.com/sign-in"), "appleid.apple.com");
        assert_eq!(host("imap.mail.me.com:993"), "imap.mail.me.com");
        assert_eq!(host("https://u@www.iCloud.com./x?y#z"), "www.icloud.com");
        assert!(host_in("https://www.icloud.com", &APPLE_HOSTS));
        assert!(!host_in("https://notapple.com", &APPLE_HOSTS));
        assert!(!host_in("https://apple.com.evil.example", &APPLE_HOSTS));
    }

    #[test]
    fn dates_in_the_forms_exports_write() {
        assert_eq!(parse_created("2026-03-01"), Some(day("2026-03-01")));
        assert_eq!(parse_created("2026-03-01T23:59:59Z"), Some(day("2026-03-01")));
        assert_eq!(parse_created("2026-03-01T10:00:00.000Z"), Some(day("2026-03-01")));
        assert_eq!(parse_created("1772323200"), Some(day("2026-03-01")));
        assert_eq!(parse_created("2026-03-01garbage"), None);
        assert_eq!(parse_created("01/03/2026"), None);
        assert_eq!(parse_created("99999999999999999999"), None);
        assert_eq!(parse_created("2026-0é-01"), None);
    }

    #[test]
    fn only_apples_shape_is_imported_and_lookalikes_are_named() {
        let options = Options {
            apple_id: None,
            created: Some(day("2026-01-01")),
        };
        let rows = vec![
            row("Thunderbird", "me@icloud.com", "abcd-efgh-ijkl-mnop", ""),
            row(
                "Apple ID",
                "me@icloud.com",
                "Tr0ub4dor&3",
                "https://appleid.apple.com",
            ),
            row("GitHub", "octocat", "hunter2-hunter2", "https://github.com"),
            row(
                "Gmail app password",
                "me@gmail.com",
                "qrst uvwx yzab cdef",
                "https://myaccount.google.com",
            ),
            row("App-specific: Spark", "me@icloud.com", "", ""),
        ];
        let scan = scan(rows, &options);
        assert_eq!(scan.found.len(), 1);
        assert_eq!(scan.found[0].entry.label, "Thunderbird");
        assert_eq!(scan.others, 1);
        let why: Vec<&Why> = scan.skipped.iter().map(|s| &s.why).collect();
        assert_eq!(why[0], &Why::NotAppleShape(ShapeProblem::Digits));
        assert_eq!(why[1], &Why::OtherProvider("myaccount.google.com".to_owned()));
        assert_eq!(why[2], &Why::NoPassword);
    }

    #[test]
    fn the_apple_id_and_date_come_from_the_row_or_the_options() {
        let rows = || vec![row("Mail", "not an id", "abcd-efgh-ijkl-mnop", "")];
        let scanned = scan(rows(), &Options::default());
        assert_eq!(scanned.skipped[0].why, Why::NoAppleId);
        let options = Options {
            apple_id: Some("me@icloud.com".to_owned()),
            created: None,
        };
        assert_eq!(scan(rows(), &options).skipped[0].why, Why::NoDate);
        let options = Options {
            created: Some(day("2026-01-01")),
            ..options
        };
        let scanned = scan(rows(), &options);
        let entry = &scanned.found[0].entry;
        assert_eq!(entry.apple_id, "me@icloud.com");
        assert_eq!(entry.uses, [Use::Mail]);
        assert_eq!(entry.apps, ["Mail"]);
    }

    #[test]
    fn one_password_twice_is_one_entry_with_both_apps() {
        let options = Options {
            apple_id: None,
            created: Some(day("2026-01-01")),
        };
        let rows = vec![
            row("Thunderbird", "me@icloud.com", "abcd-efgh-ijkl-mnop", ""),
            row("K-9 Mail", "me@icloud.com", "abcdefghijklmnop", ""),
        ];
        let scan = scan(rows, &options);
        assert_eq!(scan.found.len(), 1);
        assert_eq!(scan.found[0].entry.apps, ["Thunderbird", "K-9 Mail"]);
        assert_eq!(
            scan.skipped[0].why,
            Why::Joined {
                into: "Thunderbird".to_owned()
            }
        );
    }
}
