//! Making user text safe to print on a terminal.
//!
//! A label pasted from a web page can hold escape sequences that would repaint the
//! terminal or retitle the window; every piece of user text passes through
//! [`escape_control`] before it reaches a screen.

use std::borrow::Cow;

/// Replaces control characters (C0, DEL, C1) with visible `\u{..}` escapes.
pub fn escape_control(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(escape_control("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape_control("tab\there"), "tab\\u{9}here");
        assert!(matches!(escape_control("Thunderbird"), Cow::Borrowed(_)));
        assert_eq!(escape_control("x\u{9b}y"), "x\\u{9b}y");
    }
}
