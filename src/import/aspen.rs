//! aspen's own CSV (`aspen export --format csv --with-passwords`): `label,apple_id,
//! apps,uses,created,status,revoked_on,attention,notes,password`, cells neutralised as
//! [`super::cell`] says, apps and uses separated by `;`. Any CSV whose first line
//! names its columns reads the same way: `title` or `name` for the label,
//! `username` for the Apple ID. Rows not active in the export are left out.

use super::{Row, cell, table};
use crate::secret::SecretString;

const LABEL: &[&str] = &["label", "title", "name"];
const APPLE_ID: &[&str] = &["apple_id", "apple id", "apple-id", "username", "user name"];

pub(super) fn rows(text: &str) -> Result<Vec<Row>, String> {
    let tool = "aspen's (exported with --with-passwords) or a";
    table::rows(text, tool, &[LABEL, &["password"]], |r| {
        let get = |names: &[&str]| cell::restore(r.get(names)).trim().replace("\r\n", "\n");
        // Notes exactly as aspen wrote them: white space may be part of them.
        let notes = cell::restore(r.get(&["notes"])).replace("\r\n", "\n");
        let mut row = r.row(&["password"]);
        row.password = SecretString::from(cell::restore(row.password.expose()));
        row.title = get(LABEL);
        row.username = get(APPLE_ID);
        row.urls = table::urls(&get(&["url"]));
        row.notes = notes;
        row.created = Some(get(&["created", "date"])).filter(|c| !c.is_empty());
        row.apps = (get(&["apps", "app"]).split(';'))
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect();
        // A uses column, even empty, says what it is used for; without one, the
        // title, site and notes do.
        row.uses = r.has(&["uses"]).then(|| get(&["uses"]));
        if !matches!(get(&["status"]).to_lowercase().as_str(), "" | "active") {
            row.left_out = Some("it is not active in the export; aspen imports active ones only");
        }
        Some(row)
    })
}
