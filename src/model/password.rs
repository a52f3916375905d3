//! Apple's password shape: `xxxx-xxxx-xxxx-xxxx`, 16 lowercase ASCII letters.

use serde::{Deserialize, Serialize};

use crate::secret::SecretString;

/// Longest password accepted with `--any-format`; anything longer is a paste accident.
pub const MAX_ANY_FORMAT_LEN: usize = 256;

/// An app-specific password. Secret: redacted in Debug, zeroized on drop.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Password(SecretString);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password is empty")]
    Empty,
    #[error(
        "that is not an Apple app-specific password: expected 16 lowercase letters \
         shown as xxxx-xxxx-xxxx-xxxx (hyphens or spaces optional)"
    )]
    Shape,
    #[error("the password holds control characters or is longer than {MAX_ANY_FORMAT_LEN} characters")]
    Unusable,
}

impl Password {
    /// Accepts Apple's shape with hyphens, spaces or nothing between the groups and
    /// stores the hyphenated form. With `any_format`, keeps other text as given (the
    /// entry then shows `malformed`) but still refuses empty or unprintable input.
    pub fn parse(input: SecretString, any_format: bool) -> Result<Self, PasswordError> {
        let trimmed = input.expose().trim();
        if trimmed.is_empty() {
            return Err(PasswordError::Empty);
        }
        if let Some(normal) = normalise(trimmed) {
            return Ok(Self(normal));
        }
        if !any_format {
            return Err(PasswordError::Shape);
        }
        if trimmed.chars().any(char::is_control) || trimmed.chars().count() > MAX_ANY_FORMAT_LEN {
            return Err(PasswordError::Unusable);
        }
        Ok(Self(SecretString::from(trimmed)))
    }

    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    pub fn is_well_formed(&self) -> bool {
        is_apple_shape(self.expose())
    }

    pub fn duplicate(&self) -> Self {
        Self(self.0.duplicate())
    }
}

/// True for exactly `xxxx-xxxx-xxxx-xxxx` with lowercase ASCII letters.
pub fn is_apple_shape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, c)| {
            if i % 5 == 4 {
                *c == b'-'
            } else {
                c.is_ascii_lowercase()
            }
        })
}

/// The hyphenated form if `s` is 16 lowercase letters in four groups of four,
/// separated by nothing, hyphens or spaces.
fn normalise(s: &str) -> Option<SecretString> {
    let mut letters = zeroize::Zeroizing::new(Vec::with_capacity(16));
    let mut group_len = 0;
    let mut groups = 0;
    let mut separators = 0;
    for c in s.bytes() {
        if c.is_ascii_lowercase() {
            if letters.len() == 16 {
                return None;
            }
            letters.push(c);
            group_len += 1;
        } else if c == b'-' || c == b' ' {
            // A separator may only close a complete group of four.
            if group_len != 4 {
                return None;
            }
            separators += 1;
            groups += 1;
            group_len = 0;
        } else {
            return None;
        }
    }
    if letters.len() != 16 || (separators != 0 && separators != 3) || (separators == 3 && groups != 3) {
        return None;
    }
    let mut out = String::with_capacity(19);
    for (i, c) in letters.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(char::from(*c));
    }
    Some(SecretString::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<String, PasswordError> {
        Password::parse(SecretString::from(s), false).map(|p| p.expose().to_owned())
    }

    #[test]
    fn accepts_apples_shape_and_common_pastes() {
        for input in [
            "abcd-efgh-ijkl-mnop",
            "abcdefghijklmnop",
            "abcd efgh ijkl mnop",
            "  abcd-efgh-ijkl-mnop\n",
        ] {
            assert_eq!(parse(input).as_deref(), Ok("abcd-efgh-ijkl-mnop"), "{input:?}");
        }
    }

    #[test]
    fn refuses_other_shapes() {
        for input in [
            "ABCD-EFGH-IJKL-MNOP",
            "abcd-efgh-ijkl-mno",
            "abcd-efgh-ijkl-mnopq",
            "abc-defgh-ijkl-mnop",
            "abcd--efgh-ijkl-mnop",
            "abcd-efgh-ijklmnop",
            "abcd-efgh-ijkl-mnop-",
            "abcd-efgh-ijkl-mn0p",
            "äbcd-efgh-ijkl-mnop",
        ] {
            assert_eq!(parse(input), Err(PasswordError::Shape), "{input:?}");
        }
        assert_eq!(parse("   "), Err(PasswordError::Empty));
    }

    #[test]
    fn any_format_keeps_text_but_marks_it_malformed() {
        let p = Password::parse(SecretString::from("Hunter2!"), true).unwrap();
        assert_eq!(p.expose(), "Hunter2!");
        assert!(!p.is_well_formed());
        let ok = Password::parse(SecretString::from("abcdefghijklmnop"), true).unwrap();
        assert!(ok.is_well_formed());
        assert_eq!(
            Password::parse(SecretString::from("a\x1bb"), true),
            Err(PasswordError::Unusable)
        );
    }
}
