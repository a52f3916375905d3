//! Making user text safe to print on a terminal.
//!
//! A label pasted from a web page can hold escape sequences that would repaint the
//! terminal or retitle the window; every piece of user text passes through
//! [`escape_control`] before it reaches a screen.

use std::borrow::Cow;

/// Invisible characters that reorder or hide text (bidi overrides and isolates,
/// zero-width characters): two labels that differ only by them look the same.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
}

/// Replaces control characters (C0, DEL, C1) and invisible formatting characters
/// with visible `\u{..}` escapes.
pub fn escape_control(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A path as the terminal may safely show it (see [`escape_control`]).
pub fn shown_path(path: &std::path::Path) -> String {
    escape_control(&path.display().to_string()).into_owned()
}

/// Escapes control characters in each line but keeps the line breaks, for
/// multi-line messages such as clap's usage errors.
pub fn escape_control_lines(s: &str) -> String {
    s.split('\n').map(escape_control).collect::<Vec<_>>().join("\n")
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
        assert_eq!(escape_control("abc\u{202E}fdp"), "abc\\u{202e}fdp");
    }
}
