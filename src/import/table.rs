//! A CSV export whose first line names its columns, read by those names (any order,
//! any case), one record at a time: each tool's file says which names it uses.

use csv::StringRecord;

use super::{Row, Where};
use crate::secret::SecretString;
use crate::text::escape_control;

/// The column names of the first line, trimmed and in lower case.
pub(super) struct Columns(Vec<String>);

impl Columns {
    fn index(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.0.iter().position(|c| c == n))
    }
}

/// One record and where it starts.
pub(super) struct Record<'a> {
    columns: &'a Columns,
    record: &'a StringRecord,
    pub at: Where,
}

impl Record<'_> {
    /// The first of the columns `names` the file has; empty when it has none.
    pub fn get(&self, names: &[&str]) -> &str {
        self.columns
            .index(names)
            .and_then(|i| self.record.get(i))
            .unwrap_or("")
    }

    /// Whether the file has one of the columns `names`.
    pub fn has(&self, names: &[&str]) -> bool {
        self.columns.index(names).is_some()
    }

    /// [`Record::get`] as text to keep, line ends as `\n`.
    pub fn text(&self, names: &[&str]) -> String {
        self.get(names).trim().replace("\r\n", "\n")
    }

    /// The password column: a secret from here on.
    pub fn secret(&self, names: &[&str]) -> SecretString {
        SecretString::from(self.get(names))
    }

    /// A row with the password of `names`, where this record starts.
    pub fn row(&self, password: &[&str]) -> Row {
        Row::new(self.at, self.secret(password))
    }
}

/// Reads `text` as a CSV whose first line names the columns; each column set of
/// `required` must be there (one name of each), or the file is not `tool`'s export.
/// `row` turns each record into a login, or `None` for what is not one.
pub(super) fn rows(
    text: &str,
    tool: &str,
    required: &[&[&str]],
    mut row: impl FnMut(&Record<'_>) -> Option<Row>,
) -> Result<Vec<Row>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|_| "its first line is not a line of CSV column names".to_owned())?;
    let columns = Columns(header.iter().map(|h| h.trim().to_lowercase()).collect());
    if let Some(missing) = required.iter().find(|names| columns.index(names).is_none()) {
        return Err(missing_column(&columns, missing, tool));
    }
    let mut out = Vec::new();
    let mut record = StringRecord::new();
    loop {
        // Never the parser's own message: it could quote a field, a password.
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(_) => return Err(format!("it could not be read as CSV near line {line}")),
        }
        let at = Where::Line(record.position().map_or(line, |p| p.line()));
        out.extend(row(&Record {
            columns: &columns,
            record: &record,
            at,
        }));
    }
    // The last record read stays in the parser's buffer until it is dropped; wipe it.
    record.clear();
    Ok(out)
}

/// "It has no Password column": what the first line names instead, and which
/// export has one.
fn missing_column(columns: &Columns, missing: &[&str], tool: &str) -> String {
    let mut names: Vec<String> = columns
        .0
        .iter()
        .take(12)
        .map(|c| format!("\"{}\"", escape_control(&short(c))))
        .collect();
    if columns.0.len() > 12 {
        names.push("…".to_owned());
    }
    format!(
        "it has no \"{}\" column (its first line names {}); is it {tool}'s CSV export, with \
         the column names on its first line?",
        missing[0],
        names.join(", ")
    )
}

/// At most 40 characters of a column name, for a message.
fn short(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

/// The URLs of a cell that may hold several (one per line, or comma-separated).
pub(super) fn urls(cell: &str) -> Vec<String> {
    cell.split(['\n', '\r', ','])
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(text: &str) -> Result<Vec<(Where, String)>, String> {
        let rows = rows(text, "Test", &[&["title"], &["password"]], |r| {
            let mut row = r.row(&["password"]);
            row.title = r.text(&["title"]);
            Some(row)
        })?;
        Ok(rows.into_iter().map(|r| (r.at, r.title)).collect())
    }

    #[test]
    fn columns_are_found_by_name_in_any_order_and_case() {
        let got = titles("Password,TITLE\nabc,One\n\"x\ny\",\"Two\"\n").unwrap();
        assert_eq!(
            got,
            [
                (Where::Line(2), "One".to_owned()),
                (Where::Line(3), "Two".to_owned())
            ]
        );
    }

    #[test]
    fn a_missing_column_names_what_the_file_has() {
        let err = titles("Name,Secret\nx,y\n").unwrap_err();
        assert!(err.contains("no \"title\" column"), "{err}");
        assert!(err.contains("\"name\", \"secret\""), "{err}");
    }

    #[test]
    fn short_rows_read_as_empty_cells() {
        let got = titles("Title,Password,Notes\nOnly title\n").unwrap();
        assert_eq!(got, [(Where::Line(2), "Only title".to_owned())]);
    }
}
