//! KeePassXC's CSV export: `"Group","Title","Username","Password","URL","Notes",
//! "TOTP","Icon","Last Modified","Created"`, dates as `2026-03-01T10:20:30Z`. Entries
//! in its recycle bin are deleted ones. The TOTP column is never read.

use super::{Row, table};

pub(super) fn rows(text: &str) -> Result<Vec<Row>, String> {
    table::rows(text, "KeePassXC", &[&["title"], &["password"]], |r| {
        let mut row = r.row(&["password"]);
        row.title = r.text(&["title"]);
        row.username = r.text(&["username"]);
        row.urls = table::urls(r.get(&["url"]));
        row.notes = r.text(&["notes"]);
        row.created = Some(r.text(&["created"])).filter(|c| !c.is_empty());
        if r.get(&["group"]).split('/').any(|g| g.trim() == "Recycle Bin") {
            row.left_out = Some("it is in KeePassXC's recycle bin");
        }
        Some(row)
    })
}
