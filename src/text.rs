//! Making user text safe to print on a terminal.
//!
//! A label pasted from a web page can hold escape sequences that would repaint the
//! terminal or retitle the window; every piece of user text passes through
//! [`escape_control`] before it reaches a screen.

use std::borrow::Cow;
use std::sync::LazyLock;

/// Format characters (Unicode category Cf: bidi overrides and isolates, the Arabic
/// letter mark, tag characters) and default-ignorable ones (zero-width characters,
/// variation selectors): they reorder or hide text, so two labels that differ only
/// by them look the same.
static INVISIBLE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"[\p{Cf}\p{Default_Ignorable_Code_Point}]").expect("a valid Unicode class")
});

pub fn is_invisible_format(c: char) -> bool {
    INVISIBLE.is_match(c.encode_utf8(&mut [0; 4]))
}

/// True for a character no output of aspen's shows as it is.
pub fn needs_escape(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
}

/// Whether `s` holds anything [`needs_escape`] is true for; one pass.
pub fn has_hidden(s: &str) -> bool {
    s.chars().any(char::is_control) || INVISIBLE.is_match(s)
}

/// Replaces control characters (C0, DEL, C1) and invisible formatting characters
/// with visible `\u{..}` escapes.
pub fn escape_control(s: &str) -> Cow<'_, str> {
    if !has_hidden(s) {
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

/// `word` as one word for a POSIX shell: as it is when that is safe, else in single
/// quotes. For commands aspen suggests in hints, which users paste into a shell.
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.@+:,/".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// A path quoted for a suggested shell command, with control characters escaped
/// (so it is safe to print; such a path is rare enough to retype by hand).
pub fn quoted_path(path: &std::path::Path) -> String {
    shell_quote(&shown_path(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggested_commands_quote_what_a_shell_would_split() {
        assert_eq!(shell_quote("/home/me/vault.aspen"), "/home/me/vault.aspen");
        assert_eq!(shell_quote("/tmp/my vault;rm -rf ~"), "'/tmp/my vault;rm -rf ~'");
        assert_eq!(shell_quote("Bob's"), "'Bob'\\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(escape_control("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape_control("tab\there"), "tab\\u{9}here");
        assert!(matches!(escape_control("Thunderbird"), Cow::Borrowed(_)));
        assert_eq!(escape_control("x\u{9b}y"), "x\\u{9b}y");
        assert_eq!(escape_control("abc\u{202E}fdp"), "abc\\u{202e}fdp");
        // The Arabic letter mark, a tag character, a variation selector, a soft hyphen.
        for hidden in [
            '\u{061C}',
            '\u{E0041}',
            '\u{FE0F}',
            '\u{00AD}',
            '\u{180E}',
            '\u{2065}',
        ] {
            let shown = escape_control(&format!("Mail{hidden}")).into_owned();
            assert_eq!(shown, format!("Mail{}", hidden.escape_unicode()), "{hidden:?}");
        }
        assert!(matches!(escape_control("Café ❤ Mail"), Cow::Borrowed(_)));
    }
}
