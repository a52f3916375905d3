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

/// Characters with the Unicode Emoji property: the ones a presentation selector
/// may follow.
static EMOJI: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^\p{Emoji}$").expect("a valid Unicode class"));

/// Whether `c`, between `prev` and `next`, is a presentation selector that belongs to
/// a visible emoji: U+FE0E (text) or U+FE0F (emoji) right after an emoji ("✉️", as
/// Apple's devices type it), or in a keycap ("1️⃣": a digit, `#` or `*`, U+FE0F,
/// U+20E3). It changes how that emoji is drawn, never hides or reorders text. After
/// anything else it is as invisible as any other default-ignorable character.
fn is_emoji_presentation(prev: Option<char>, c: char, next: Option<char>) -> bool {
    if !matches!(c, '\u{FE0E}' | '\u{FE0F}') {
        return false;
    }
    match prev {
        Some('0'..='9' | '#' | '*') => next == Some('\u{20E3}'),
        Some(p) => EMOJI.is_match(p.encode_utf8(&mut [0; 4])),
        None => false,
    }
}

/// Each character of `s`, and whether it is hidden: [`needs_escape`], except for a
/// presentation selector of an emoji (see [`is_emoji_presentation`]).
pub fn marked(s: &str) -> impl Iterator<Item = (char, bool)> + '_ {
    let mut chars = s.chars().peekable();
    let mut prev = None;
    std::iter::from_fn(move || {
        let c = chars.next()?;
        let hidden = needs_escape(c) && !is_emoji_presentation(prev, c, chars.peek().copied());
        prev = Some(c);
        Some((c, hidden))
    })
}

/// Whether `s` holds anything [`needs_escape`] is true for, but for an emoji's
/// presentation selector; one pass when it holds no candidate at all.
pub fn has_hidden(s: &str) -> bool {
    // Printable ASCII is neither a control nor invisible. Most text is only that, and
    // this check is a fraction of the cost of the regex below (`list --json` asks it
    // of every string it prints).
    // A fold, not `all`: without an early exit the check is vectorised.
    if s.bytes()
        .fold(true, |printable, b| printable & matches!(b, b' '..=b'~'))
    {
        return false;
    }
    (s.chars().any(char::is_control) || INVISIBLE.is_match(s)) && marked(s).any(|(_, hidden)| hidden)
}

/// Replaces control characters (C0, DEL, C1) and invisible formatting characters
/// with visible `\u{..}` escapes; an emoji's presentation selector stays.
pub fn escape_control(s: &str) -> Cow<'_, str> {
    if !has_hidden(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (c, hidden) in marked(s) {
        if hidden {
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

/// `word` as one word for a shell, both safe to print and exact to paste: as it is
/// when that is safe, else in single quotes. For commands aspen suggests in hints,
/// which users paste into a shell. See [`quoted_bytes`] for what cannot be printed.
pub fn shell_quote(word: &str) -> String {
    quoted_bytes(word.as_bytes())
}

/// A path quoted for a suggested shell command (see [`shell_quote`]), byte for byte:
/// a name that is not UTF-8 is pasted back as the same name.
pub fn quoted_path(path: &std::path::Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    quoted_bytes(path.as_os_str().as_bytes())
}

/// What a word of a suggested command is made of, in the order written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Inside `'…'`.
    Quoted,
    /// Inside `$'…'`, as octal escapes.
    Escaped,
    /// Between the two: nothing open.
    Closed,
}

/// `bytes` as one shell word that prints nothing a terminal acts on. Characters
/// [`needs_escape`] is true for, and bytes that are not UTF-8, cannot go between
/// single quotes (they would reach the terminal raw, or be lost to a replacement
/// character): they are written as `$'\ooo'` octal escapes, which bash, zsh, ksh
/// and busybox read (POSIX.1-2024 has them too), in `$'…'` parts between plain
/// `'…'` ones. Three octal digits always, as no shell reads more; no `\'` inside
/// `$'…'`, which would mislead bash's history expansion about where quotes end.
pub fn quoted_bytes(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        let plain = !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.@+:,/".contains(c));
        if plain {
            return s.to_owned();
        }
        if !has_hidden(s) {
            return format!("'{}'", s.replace('\'', "'\\''"));
        }
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    let mut part = Part::Closed;
    let mut switch = |out: &mut String, to: Part| {
        if part != to {
            if part != Part::Closed {
                out.push('\'');
            }
            match to {
                Part::Quoted => out.push('\''),
                Part::Escaped => out.push_str("$'"),
                Part::Closed => {}
            }
            part = to;
        }
    };
    for chunk in bytes.utf8_chunks() {
        for (c, hidden) in marked(chunk.valid()) {
            if hidden {
                switch(&mut out, Part::Escaped);
                for b in c.encode_utf8(&mut [0; 4]).bytes() {
                    out.push_str(&format!("\\{b:03o}"));
                }
            } else if c == '\'' {
                switch(&mut out, Part::Closed);
                out.push_str("\\'");
            } else {
                switch(&mut out, Part::Quoted);
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            switch(&mut out, Part::Escaped);
            out.push_str(&format!("\\{b:03o}"));
        }
    }
    switch(&mut out, Part::Closed);
    out
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
    fn what_a_terminal_must_not_see_is_quoted_as_octal_escapes() {
        assert_eq!(shell_quote("a\x1b]0;x\x07b"), "'a'$'\\033'']0;x'$'\\007''b'");
        assert_eq!(shell_quote("\u{202E}'"), "$'\\342\\200\\256'\\'");
        assert_eq!(quoted_bytes(b"J\xffane's"), "'J'$'\\377''ane'\\''s'");
        for word in [shell_quote("x\u{9b}2J\r"), quoted_bytes(b"\xff\xfe")] {
            assert!(!has_hidden(&word) && !word.contains('\u{fffd}'), "{word}");
        }
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

    /// The shortcut for printable ASCII agrees with the full check on every ASCII
    /// character, alone and in text.
    #[test]
    fn only_controls_are_hidden_in_ascii() {
        for b in 0..=0x7fu8 {
            let c = char::from(b);
            let full = marked(&format!("a{c}b")).any(|(_, hidden)| hidden);
            assert_eq!(full, c.is_ascii_control(), "{c:?}");
            assert_eq!(has_hidden(&format!("a{c}b")), full, "{c:?}");
            assert_eq!(has_hidden(&c.to_string()), full, "{c:?}");
        }
        assert!(has_hidden("Thunderbird (laptop)\u{7f}"));
        assert!(!has_hidden("Set up by the IT helpdesk. Ask before revoking!"));
    }

    #[test]
    fn an_emoji_keeps_its_presentation_selector_and_nothing_else_does() {
        for shown in [
            "Mail \u{2709}\u{FE0F}",
            "\u{270D}\u{FE0E} Notes",
            "Door 1\u{FE0F}\u{20E3}",
            "\u{00A9}\u{FE0F}",
        ] {
            assert!(!has_hidden(shown), "{shown:?}");
            assert!(matches!(escape_control(shown), Cow::Borrowed(_)), "{shown:?}");
        }
        // After a letter, a digit without its keycap, another selector, or nothing.
        for (hidden, shown) in [
            ("Mail\u{FE0F}", "Mail\\u{fe0f}"),
            ("1\u{FE0F}", "1\\u{fe0f}"),
            ("\u{2709}\u{FE0F}\u{FE0F}", "\u{2709}\u{FE0F}\\u{fe0f}"),
            ("\u{FE0F}Mail", "\\u{fe0f}Mail"),
            ("\u{2709}\u{200D}\u{FE0F}", "\u{2709}\\u{200d}\\u{fe0f}"),
        ] {
            assert!(has_hidden(hidden), "{hidden:?}");
            assert_eq!(escape_control(hidden), shown);
        }
    }
}
