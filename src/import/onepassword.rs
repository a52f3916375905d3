//! 1Password's CSV export. 1Password 8 writes `Title,Url,Username,Password,OTPAuth,
//! Favorite,Archived,Tags,Notes` (logins only, no dates); 1Password 7 named its
//! columns in lower case, with `urls`, `notesPlain` and `created date` (seconds since
//! 1970) among them. The one-time-password column is never read.

use super::{Row, table};

pub(super) fn rows(text: &str) -> Result<Vec<Row>, String> {
    table::rows(text, "1Password", &[&["title"], &["password"]], |r| {
        let mut row = r.row(&["password"]);
        row.title = r.text(&["title"]);
        row.username = r.text(&["username"]);
        row.urls = table::urls(r.get(&["url", "urls", "website"]));
        row.notes = r.text(&["notes", "notesplain"]);
        row.created = Some(r.text(&["created date", "created"])).filter(|c| !c.is_empty());
        Some(row)
    })
}
