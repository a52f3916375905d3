//! One rule for the CSV cells aspen writes and reads back: a cell a spreadsheet
//! would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return before
//! one) is written with a leading `'`, which spreadsheets show as text. A cell that
//! starts with `'` gets one too, so that reading aspen's CSV back is exact.

use std::borrow::Cow;

/// The first characters that make a spreadsheet take a cell for a formula.
const FORMULA: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` as aspen writes it to a CSV file.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA) || cell.starts_with('\'') {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A cell of aspen's CSV as it was before [`neutralise`]; any other text as it is.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA) || rest.starts_with('\'') => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_formula_start_is_neutralised_and_read_back_exactly() {
        for cell in [
            "=1+2", "+1", "-1", "@SUM(A1)", "\t=x", "\r=x", "'=x", "'", "''", "plain", "", "a=b",
        ] {
            let written = neutralise(cell);
            assert!(!written.starts_with(FORMULA), "{cell:?} -> {written:?}");
            assert_eq!(restore(&written), cell, "{cell:?}");
        }
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("Thunderbird"), "Thunderbird");
        assert_eq!(restore("'hello"), "'hello");
    }
}
