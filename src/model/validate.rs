//! Checks on the text a user types: labels, Apple IDs, app names, notes.

use super::ModelError;

/// Apple's label field is short; anything past this is a paste accident.
pub const MAX_LABEL_CHARS: usize = 128;
pub const MAX_APP_CHARS: usize = 128;
pub const MAX_NOTES_CHARS: usize = 4096;
pub const MAX_NAME_CHARS: usize = 40;
/// RFC 5321's limit for a mailbox path.
pub const MAX_APPLE_ID_CHARS: usize = 254;

fn field_text(field: &'static str, value: &str, max: usize) -> Result<String, ModelError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ModelError::InvalidField {
            field,
            problem: "is empty".to_owned(),
        });
    }
    if crate::text::has_hidden(value) {
        return Err(ModelError::InvalidField {
            field,
            problem: "holds control or invisible characters (tabs, line breaks, escape codes, \
                      direction marks, zero-width or tag characters)"
                .to_owned(),
        });
    }
    let n = value.chars().count();
    if n > max {
        return Err(ModelError::InvalidField {
            field,
            problem: format!("is {n} characters long; at most {max} are allowed"),
        });
    }
    Ok(value.to_owned())
}

/// A label exactly as typed at Apple, minus surrounding white space.
pub fn validate_label(label: &str) -> Result<String, ModelError> {
    field_text("label", label, MAX_LABEL_CHARS)
}

pub fn validate_app(app: &str) -> Result<String, ModelError> {
    field_text("app", app, MAX_APP_CHARS)
}

/// An Apple ID's display name ("me", "family"); empty removes it.
pub fn validate_name(name: &str) -> Result<String, ModelError> {
    if name.trim().is_empty() {
        return Ok(String::new());
    }
    field_text("name", name, MAX_NAME_CHARS)
}

/// Notes may span lines; other control characters are refused.
pub fn validate_notes(notes: &str) -> Result<String, ModelError> {
    if notes.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(ModelError::InvalidField {
            field: "notes",
            problem: "hold control characters other than line breaks and tabs".to_owned(),
        });
    }
    let n = notes.chars().count();
    if n > MAX_NOTES_CHARS {
        return Err(ModelError::InvalidField {
            field: "notes",
            problem: format!("are {n} characters long; at most {MAX_NOTES_CHARS} are allowed"),
        });
    }
    Ok(notes.trim().to_owned())
}

/// Apple IDs are e-mail addresses, compared without regard to case (stored
/// lowercased), or in some countries phone numbers in international form (stored as
/// `+` and digits, without the spaces or hyphens people type between them).
pub fn normalise_apple_id(id: &str) -> Result<String, ModelError> {
    let id = field_text("Apple ID", id, MAX_APPLE_ID_CHARS)?.to_lowercase();
    if id.starts_with('+') {
        return phone_number(&id);
    }
    let bad = |problem: &str| ModelError::InvalidField {
        field: "Apple ID",
        problem: format!(
            "{problem}; an Apple ID is an e-mail address such as me@icloud.com, or a phone \
             number in international form such as +15551234567"
        ),
    };
    if id.chars().any(char::is_whitespace) {
        return Err(bad("holds white space"));
    }
    let Some((local, domain)) = id.split_once('@') else {
        return Err(bad("has no @"));
    };
    if local.is_empty() || domain.contains('@') {
        return Err(bad("is not of the form name@domain"));
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return Err(bad("has no valid domain after the @"));
    }
    Ok(id)
}

/// An E.164 number: `+`, a country code that does not start with 0, at most 15
/// digits in all. Spaces, hyphens, dots and parentheses between digits are dropped,
/// and so is a national trunk prefix written as "(0)" (`+44 (0)20 …`), which is not
/// dialled from abroad: two spellings of one number are one Apple ID.
fn phone_number(id: &str) -> Result<String, ModelError> {
    let bad = |problem: String| ModelError::InvalidField {
        field: "Apple ID",
        problem: format!(
            "{problem}; a phone-number Apple ID is + and the country code and number, \
             e.g. +15551234567"
        ),
    };
    let spaced: String = id[1..]
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.'))
        .collect();
    let digits: String = spaced
        .replace("(0)", "")
        .chars()
        .filter(|c| !matches!(c, '(' | ')'))
        .collect();
    if let Some(c) = digits.chars().find(|c| !c.is_ascii_digit()) {
        let shown = crate::text::escape_control(&c.to_string()).into_owned();
        return Err(bad(format!("holds \"{shown}\", which is not a digit")));
    }
    if digits.starts_with('0') {
        return Err(bad(
            "starts with 0 after the +, where the country code belongs".to_owned()
        ));
    }
    if !(7..=15).contains(&digits.len()) {
        return Err(bad(format!(
            "has {} digits; a phone number has 7 to 15",
            digits.len()
        )));
    }
    Ok(format!("+{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apple_ids_are_lowercased_email_addresses() {
        assert_eq!(normalise_apple_id(" Me@iCloud.com ").unwrap(), "me@icloud.com");
        for bad in [
            "",
            "me",
            "me@",
            "@icloud.com",
            "me@icloud",
            "me@@icloud.com",
            "m e@icloud.com",
            "me@icloud.com.",
        ] {
            assert!(normalise_apple_id(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn apple_ids_may_be_phone_numbers_in_international_form() {
        assert_eq!(normalise_apple_id("+15551234567").unwrap(), "+15551234567");
        assert_eq!(normalise_apple_id(" +44 20 7946-0958 ").unwrap(), "+442079460958");
        assert_eq!(normalise_apple_id("+1 (555) 123.4567").unwrap(), "+15551234567");
        // The national trunk prefix written as "(0)" is not dialled from abroad: one
        // number, however it is written, is one Apple ID.
        for spelling in [
            "+44 (0)20 7946 0958",
            "+44(0)20-7946-0958",
            "+44 (0) 20.7946.0958",
            "+44 20 7946 0958",
            "+442079460958",
        ] {
            assert_eq!(
                normalise_apple_id(spelling).unwrap(),
                "+442079460958",
                "{spelling}"
            );
        }
        // A 0 that is dialled from abroad (Italy's area codes) stays.
        assert_eq!(normalise_apple_id("+39 06 1234 5678").unwrap(), "+390612345678");
        for (bad, why) in [
            ("+", "has 0 digits"),
            ("+12345", "has 5 digits"),
            ("+1234567890123456", "has 16 digits"),
            ("+0441234567", "starts with 0"),
            ("+1555abc4567", "\"a\", which is not a digit"),
        ] {
            let err = normalise_apple_id(bad).unwrap_err().to_string();
            assert!(err.contains(why), "{bad}: {err}");
        }
        // Without the +, a number is neither form.
        let err = normalise_apple_id("15551234567").unwrap_err().to_string();
        assert!(err.contains("+15551234567"), "{err}");
    }

    #[test]
    fn labels_refuse_control_characters_and_huge_input() {
        assert_eq!(validate_label("  Thunderbird ").unwrap(), "Thunderbird");
        assert!(validate_label("a\x1b[31mb").is_err());
        assert!(validate_label("Mail\u{202E}lanoisseforp").is_err());
        // Each looks exactly like "Mail" in a list.
        for hidden in [
            '\u{061C}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{E007F}',
            '\u{200B}',
            '\u{FE0F}',
            '\u{2064}',
        ] {
            let label = format!("Mail{hidden}");
            assert!(validate_label(&label).is_err(), "{hidden:?}");
            assert!(validate_app(&label).is_err(), "{hidden:?}");
            assert!(
                normalise_apple_id(&format!("me{hidden}@icloud.com")).is_err(),
                "{hidden:?}"
            );
        }
        assert!(validate_label("Café Mail").is_ok());
        // An emoji's presentation selector, as Apple's devices type it.
        assert!(validate_label("Mail \u{2709}\u{FE0F}").is_ok());
        assert!(validate_app("\u{2709}\u{FE0F} Mail").is_ok());
        assert!(validate_label("").is_err());
        assert!(validate_label(&"x".repeat(1_000_000)).is_err());
        assert!(validate_label(&"é".repeat(MAX_LABEL_CHARS)).is_ok());
    }

    #[test]
    fn notes_keep_line_breaks() {
        assert_eq!(
            validate_notes("line one\nline two").unwrap(),
            "line one\nline two"
        );
        assert!(validate_notes("bell\x07").is_err());
    }
}
