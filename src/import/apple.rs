//! The CSV the Passwords app and Safari export: `Title,URL,Username,Password,Notes,
//! OTPAuth`. It records no dates. The one-time-password column is never read.

use super::{Row, table};

pub(super) fn rows(text: &str) -> Result<Vec<Row>, String> {
    let tool = "the Passwords app's (or Safari's)";
    table::rows(text, tool, &[&["title", "name"], &["password"]], |r| {
        let mut row = r.row(&["password"]);
        row.title = r.text(&["title", "name"]);
        row.username = r.text(&["username"]);
        row.urls = table::urls(r.get(&["url"]));
        row.notes = r.text(&["notes", "note"]);
        Some(row)
    })
}
