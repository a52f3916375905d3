//! Bitwarden's exports. JSON: `{"encrypted": false, "items": [{"type": 1, "name",
//! "notes", "login": {"uris": [{"uri"}], "username", "password", "totp"},
//! "creationDate", "deletedDate", …}]}`, type 1 being a login. CSV: `folder,favorite,
//! type,name,notes,fields,reprompt,login_uri,login_username,login_password,
//! login_totp`, with no dates. A password-protected ("encrypted") export cannot be
//! read. The TOTP field is never read.

use serde::Deserialize;

use super::{Row, Where, table};
use crate::secret::SecretString;

/// Bitwarden's item type of a login.
const LOGIN: u64 = 1;

#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    encrypted: bool,
    items: Option<Vec<Item>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    #[serde(rename = "type", default)]
    kind: u64,
    name: Option<String>,
    notes: Option<String>,
    login: Option<Login>,
    creation_date: Option<String>,
    deleted_date: Option<String>,
}

#[derive(Deserialize)]
struct Login {
    uris: Option<Vec<Uri>>,
    username: Option<String>,
    password: Option<SecretString>,
}

#[derive(Deserialize)]
struct Uri {
    uri: Option<String>,
}

pub(super) fn json_rows(text: &str) -> Result<Vec<Row>, String> {
    // Never serde's own message: it can quote a value, and a value can be a password.
    let export: Export = serde_json::from_str(text).map_err(|e| {
        format!(
            "it is not Bitwarden's JSON export (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    if export.encrypted {
        return Err(
            "it is a password-protected (encrypted) export, which aspen cannot read; \
                    export again as .json without a password, and delete the file once \
                    imported"
                .to_owned(),
        );
    }
    let items = export
        .items
        .ok_or("it has no \"items\" list: is it Bitwarden's JSON export?")?;
    let logins = items.into_iter().enumerate().filter(|(_, i)| i.kind == LOGIN);
    Ok(logins
        .filter_map(|(n, item)| login_row(Where::Item(n + 1), item))
        .collect())
}

fn login_row(at: Where, item: Item) -> Option<Row> {
    let login = item.login?;
    let mut row = Row::new(at, login.password.unwrap_or_else(|| SecretString::from("")));
    row.title = item.name.unwrap_or_default().trim().to_owned();
    row.username = login.username.unwrap_or_default().trim().to_owned();
    row.urls = (login.uris.unwrap_or_default().into_iter())
        .filter_map(|u| u.uri)
        .collect();
    row.notes = item.notes.unwrap_or_default().trim().replace("\r\n", "\n");
    row.created = item.creation_date;
    if item.deleted_date.is_some() {
        row.left_out = Some("it is in Bitwarden's trash");
    }
    Some(row)
}

pub(super) fn csv_rows(text: &str) -> Result<Vec<Row>, String> {
    let required: &[&[&str]] = &[&["name"], &["login_password"]];
    table::rows(text, "Bitwarden", required, |r| {
        // Secure notes, cards and identities have no login.
        if !matches!(r.get(&["type"]).trim(), "" | "login") {
            return None;
        }
        let mut row = r.row(&["login_password"]);
        row.title = r.text(&["name"]);
        row.username = r.text(&["login_username"]);
        row.urls = table::urls(r.get(&["login_uri"]));
        row.notes = r.text(&["notes"]);
        Some(row)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_logins_are_read_and_the_trash_is_left_out() {
        let text = r#"{"encrypted": false, "folders": [], "items": [
            {"type": 2, "name": "A note", "notes": "text", "secureNote": {"type": 0}},
            {"type": 1, "name": "Mail", "notes": null, "creationDate": "2026-03-01T10:00:00.000Z",
             "deletedDate": null,
             "login": {"uris": [{"match": null, "uri": "https://www.icloud.com"}],
                       "username": "me@icloud.com", "password": "abcd-efgh-ijkl-mnop", "totp": null}},
            {"type": 1, "name": "Gone", "deletedDate": "2026-04-01T00:00:00.000Z",
             "login": {"username": "me@icloud.com", "password": "bcde-fghi-jklm-nopq"}}
        ]}"#;
        let rows = json_rows(text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].at, Where::Item(2));
        assert_eq!(rows[0].title, "Mail");
        assert_eq!(rows[0].urls, ["https://www.icloud.com"]);
        assert_eq!(rows[0].password.expose(), "abcd-efgh-ijkl-mnop");
        assert_eq!(rows[0].created.as_deref(), Some("2026-03-01T10:00:00.000Z"));
        assert!(rows[1].left_out.is_some());
    }

    #[test]
    fn an_encrypted_or_broken_export_is_refused_without_quoting_it() {
        let err = json_rows(r#"{"encrypted": true, "data": "2.abc"}"#)
            .err()
            .unwrap();
        assert!(err.contains("password-protected"), "{err}");
        let err = json_rows(r#"{"items": [{"type": "sekrit-value"}]}"#)
            .err()
            .unwrap();
        assert!(!err.contains("sekrit"), "{err}");
    }

    #[test]
    fn the_csv_export_reads_logins_only() {
        let text = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
                    ,,note,My note,secret text,,0,,,,\n\
                    ,,login,Thunderbird,,,0,,me@icloud.com,abcd-efgh-ijkl-mnop,\n";
        let rows = csv_rows(text).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].title, "Thunderbird");
        assert_eq!(rows[0].at, Where::Line(3));
    }
}
