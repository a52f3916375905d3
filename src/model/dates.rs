//! Dates as users type them: `YYYY-MM-DD` or Apple's `Dec 1, 2026`, with a message that says what is wrong
//! when a date in that form names no day ("2026-02-30"), and the range a date of
//! something that happened at Apple can fall in.

use jiff::civil::Date;

use super::ModelError;

/// The earliest date aspen takes for a password created, revoked or reset: Apple
/// introduced app-specific passwords with two-step verification in 2013, so an
/// earlier date ("0000-01-01", or "2012" for "2021") is a typo.
pub const EARLIEST: Date = jiff::civil::date(2013, 1, 1);

/// [`check_date`]'s lower bound alone: for a form that checks a date as it is typed,
/// before it knows what the date is for.
pub fn not_too_early(date: Date) -> Result<(), ModelError> {
    if date < EARLIEST {
        return Err(ModelError::DateTooEarly {
            date,
            earliest: EARLIEST,
        });
    }
    Ok(())
}

/// Checks a date the user gives for something that happened at Apple: not before
/// [`EARLIEST`], not after `today`. Every change that takes a date goes through here,
/// so the CLI, the TUI's forms and the audit refuse the same dates the same way.
pub fn check_date(date: Date, today: Date) -> Result<(), ModelError> {
    not_too_early(date)?;
    if date > today {
        return Err(ModelError::FutureDate { date, today });
    }
    Ok(())
}

/// Parses `YYYY-MM-DD`, or a date as Apple's page shows it, `Dec 1, 2026` or
/// `December 1, 2026` (surrounding white space ignored).
pub fn parse_date(input: &str) -> Result<Date, String> {
    let s = input.trim();
    if let Ok(d) = s.parse::<Date>() {
        return Ok(d);
    }
    for format in ["%b %d, %Y", "%B %d, %Y"] {
        if let Ok(d) = jiff::fmt::strtime::parse(format, s).and_then(|t| t.to_date()) {
            return Ok(d);
        }
    }
    Err(describe_bad_date(s))
}

/// Why `input` is not a date, in words: a day the calendar lacks, or not the form.
fn describe_bad_date(input: &str) -> String {
    let shown = crate::text::escape_control(input.trim());
    match calendar_problem(input.trim()) {
        Some(problem) => format!("{shown} is not a day in the calendar: {problem}"),
        None => format!(
            "\"{shown}\" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-02, or as Apple \
             shows it, Nov 2, 2026"
        ),
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
    fn a_date_before_2013_or_after_today_is_refused() {
        let today = jiff::civil::date(2026, 11, 20);
        assert!(check_date(EARLIEST, today).is_ok());
        assert!(check_date(today, today).is_ok());
        let early = check_date(jiff::civil::date(0, 1, 1), today).unwrap_err();
        assert_eq!(
            early.to_string(),
            "the date 0000-01-01 is before 2013-01-01, and app-specific passwords began in 2013 \
             (with Apple's two-step verification)"
        );
        assert!(matches!(
            check_date(jiff::civil::date(2012, 12, 31), today),
            Err(ModelError::DateTooEarly { .. })
        ));
        assert!(matches!(
            check_date(jiff::civil::date(2026, 11, 21), today),
            Err(ModelError::FutureDate { .. })
        ));
    }

    #[test]
    fn apples_own_form_is_a_date_too() {
        for text in ["Dec 1, 2026", " December 1, 2026 ", "Dec 01, 2026", "2026-12-01"] {
            assert_eq!(
                parse_date(text).unwrap(),
                jiff::civil::date(2026, 12, 1),
                "{text}"
            );
        }
        assert!(parse_date("Feb 30, 2026").is_err());
    }

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
            "\"next week\" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-02, or as \
             Apple shows it, Nov 2, 2026"
        );
        assert_eq!(
            parse_date(" 2026-11-02 ").unwrap(),
            jiff::civil::date(2026, 11, 2)
        );
    }
}
