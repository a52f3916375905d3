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
        "that is not an Apple app-specific password: {problem}; Apple's are 16 lowercase \
         letters shown as xxxx-xxxx-xxxx-xxxx{asked}", problem = .0, asked = asked(*.0)
    )]
    Shape(ShapeProblem),
    #[error("the password holds control characters or is longer than {MAX_ANY_FORMAT_LEN} characters")]
    Unusable,
}

/// What keeps a text from Apple's shape. Never quotes the text: it is a secret, and
/// a message may end up in a terminal's scrollback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ShapeProblem {
    #[error("it holds digits")]
    Digits,
    #[error("it holds characters other than letters, hyphens and spaces")]
    OtherCharacters,
    /// A letter, but none of Apple's a to z: named, as "a letter" alone would not
    /// say which (the rest of the text is never quoted).
    #[error("{letter} is not a letter Apple uses")]
    ForeignLetter { letter: char },
    #[error("it has {upper} upper-case letter{}, and Apple's are all lowercase", plural(*.upper))]
    UpperCase { upper: usize },
    #[error("it has {letters} letters, {} Apple's 16", more_or_fewer(*.letters))]
    LetterCount { letters: usize },
    #[error("its hyphens or spaces are in the wrong places: Apple groups the letters four by four")]
    Grouping,
}

/// The problem's question as a sentence after the message, if it has one.
fn asked(problem: ShapeProblem) -> String {
    match problem.question() {
        "" => String::new(),
        question => format!(".{question}"),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn more_or_fewer(letters: usize) -> String {
    match letters {
        15 => "one fewer than".to_owned(),
        17 => "one more than".to_owned(),
        n if n < 16 => format!("{} fewer than", 16 - n),
        n => format!("{} more than", n - 16),
    }
}

impl ShapeProblem {
    /// A question of its own after the problem, when one helps: upper-case letters
    /// ask about Caps Lock.
    pub fn question(self) -> &'static str {
        match self {
            Self::UpperCase { .. } => " Is Caps Lock on?",
            _ => "",
        }
    }

    /// The problem, then its question as a sentence of its own.
    pub fn worded(self) -> String {
        format!("{self}{}", asked(self))
    }

    /// Why `s` (trimmed, not empty) is not in Apple's shape.
    fn of(s: &str) -> Self {
        let count = |f: fn(&char) -> bool| s.chars().filter(f).count();
        let letters = count(|c| c.is_alphabetic());
        let upper = count(|c| c.is_ascii_uppercase());
        if count(char::is_ascii_digit) > 0 {
            Self::Digits
        } else if s.chars().any(|c| !c.is_alphabetic() && c != '-' && c != ' ') {
            Self::OtherCharacters
        } else if let Some(letter) = s.chars().find(|c| c.is_alphabetic() && !c.is_ascii_alphabetic()) {
            Self::ForeignLetter { letter }
        } else if upper > 0 {
            Self::UpperCase { upper }
        } else if letters != 16 {
            Self::LetterCount { letters }
        } else {
            Self::Grouping
        }
    }
}

/// What is wrong with a password as typed so far, for a live hint; `None` when it
/// has Apple's shape (or is empty).
pub fn shape_problem(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty() && normalise(s).is_none()).then(|| ShapeProblem::of(s).worded())
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
            return Err(PasswordError::Shape(ShapeProblem::of(trimmed)));
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
            assert!(matches!(parse(input), Err(PasswordError::Shape(_))), "{input:?}");
        }
        assert_eq!(parse("   "), Err(PasswordError::Empty));
    }

    #[test]
    fn a_refused_password_says_what_is_wrong_with_it() {
        let problem = |s: &str| match parse(s) {
            Err(PasswordError::Shape(p)) => p,
            other => panic!("{s:?}: {other:?}"),
        };
        assert_eq!(problem("abcdefgh ijklmnop"), ShapeProblem::Grouping);
        assert_eq!(
            problem("ABCD-EFGH-IJKL-MNOP"),
            ShapeProblem::UpperCase { upper: 16 }
        );
        assert_eq!(
            problem("abcd-efgh-ijkl-mnopq"),
            ShapeProblem::LetterCount { letters: 17 }
        );
        assert_eq!(
            problem("abcd-efgh-ijkl-mno"),
            ShapeProblem::LetterCount { letters: 15 }
        );
        assert_eq!(problem("abcd-efgh-ijkl-mn0p"), ShapeProblem::Digits);
        assert_eq!(problem("abcd_efgh_ijkl_mnop"), ShapeProblem::OtherCharacters);
        assert_eq!(
            problem("abcd-efgh-ijkl-mnopq").to_string(),
            "it has 17 letters, one more than Apple's 16"
        );
        assert_eq!(
            problem("Abcd-efgh-ijkl-mnop").to_string(),
            "it has 1 upper-case letter, and Apple's are all lowercase"
        );
        assert_eq!(
            shape_problem("Abcd-efgh-ijkl-mnop"),
            Some("it has 1 upper-case letter, and Apple's are all lowercase. Is Caps Lock on?".to_owned())
        );
        assert_eq!(
            shape_problem("abcd-efgh-ijkl-mnäp"),
            Some("ä is not a letter Apple uses".to_owned())
        );
        assert_eq!(
            shape_problem("abcd"),
            Some("it has 4 letters, 12 fewer than Apple's 16".to_owned())
        );
        assert_eq!(shape_problem("abcd-efgh-ijkl-mnop"), None);
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
