//! Plain-text tables for the terminal.

use comfy_table::{Cell, ContentArrangement, Table, presets};

/// A borderless table with a header row; cells are already escaped by the caller.
pub fn render(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.iter().map(|h| Cell::new(*h)));
    for row in rows {
        table.add_row(row);
    }
    // comfy-table pads each line's end; trailing blanks only get in the way of diffs.
    let mut out: String = table
        .to_string()
        .lines()
        .map(|l| l.trim_end().trim_start_matches(' '))
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}
