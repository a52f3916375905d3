//! Dates as users type them: `YYYY-MM-DD`, with a message that says what is wrong
//! when a date in that form names no day ("2026-02-30").

use jiff::civil::Date;

/// Parses `YYYY-MM-DD` (surrounding white space ignored).
pub fn parse_date(input: &str) -> Result<Date, String> {
    let s = input.trim();
    s.parse::<Date>().map_err(|_| describe_bad_date(s))
}

/// Why `input` is not a date, in words: a day the calendar lacks, or not the form.
fn describe_bad_date(input: &str) -> String {
    let shown = crate::text::escape_control(input.trim());
    match calendar_problem(input.trim()) {
        Some(problem) => format!("{shown} is not a day in the calendar: {problem}"),
        None => format!("\"{shown}\" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-02"),
    }
}

/// For text in the `YYYY-MM-DD` form that still is no date: what is out of range.
fn calendar_problem(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    let year: i16 = s[..4].parse().ok()?;
    let month: i8 = s[5..7].parse().ok()?;
    let day: i8 = s[8..].parse().ok()?;
    if !(1..=12).contains(&month) {
        return Some(format!("there is no month {month}; months run from 01 to 12"));
    }
    let first = Date::new(year, month, 1).ok()?;
    let days = first.days_in_month();
    if day < 1 || day > days {
        let name = first.strftime("%B %Y");
        return Some(format!("{name} has {days} days"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_in_the_right_form_that_names_no_day_says_why() {
        assert_eq!(
            parse_date("2026-02-30").unwrap_err(),
            "2026-02-30 is not a day in the calendar: February 2026 has 28 days"
        );
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2026-13-01").unwrap_err().contains("no month 13"));
        assert!(
            parse_date("2026-04-31")
                .unwrap_err()
                .contains("April 2026 has 30 days")
        );
        assert!(
            parse_date("2026-04-00")
                .unwrap_err()
                .contains("April 2026 has 30 days")
        );
        assert_eq!(
            parse_date("next week").unwrap_err(),
            "\"next week\" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-02"
        );
        assert_eq!(
            parse_date(" 2026-11-02 ").unwrap(),
            jiff::civil::date(2026, 11, 2)
        );
    }
}
