//! The TUI census's bad values: what every field gets, and what each kind of field
//! gets besides.

use super::{Kind, MIB};

#[derive(Clone)]
pub(super) struct Bad {
    pub(super) category: &'static str,
    pub(super) name: &'static str,
    pub(super) value: String,
}

pub(super) fn bad(category: &'static str, name: &'static str, value: impl Into<String>) -> Bad {
    Bad {
        category,
        name,
        value: value.into(),
    }
}

pub(super) fn common_values() -> Vec<Bad> {
    vec![
        bad("empty", "empty", ""),
        bad("huge", "1 MiB", "x".repeat(MIB)),
        bad("control", "tab", "Mail\tApp"),
        bad("control", "CR", "Mail\rApp"),
        bad("control", "LF", "Mail\nApp"),
        bad("control", "BEL", "Mail\x07App"),
        bad("control", "DEL", "Mail\x7fApp"),
        bad("escape", "CSI clear screen", "\x1b[2J\x1b[31mred"),
        bad("escape", "OSC 52 clipboard", "\x1b]52;c;aGk=\x07"),
        bad("escape", "C1 CSI", "\u{9b}31mred"),
        bad("invisible", "right-to-left override", "Mail\u{202E}lanoisseforp"),
        bad("invisible", "zero-width space", "Thunder\u{200B}bird"),
    ]
}

pub(super) fn extra_values(kind: Kind) -> Vec<Bad> {
    match kind {
        Kind::Date => vec![
            bad("date", "February 30", "2026-02-30"),
            bad("date", "month 13", "2026-13-01"),
            bad("date", "a word", "yesterday"),
            bad("date", "tomorrow", "2026-11-21"),
            bad("date", "year 0", "0000-01-01"),
            bad("date", "year 99999", "99999-01-01"),
            bad("date", "day first", "20-11-2026"),
        ],
        Kind::AppleId => vec![
            bad("unknown", "unknown Apple ID", "nobody@example.com"),
            bad("unknown", "known Apple ID in upper case", "ME@ICLOUD.COM"),
            bad("malformed", "no @", "me.icloud.com"),
            bad("malformed", "space", "me @icloud.com"),
            bad("malformed", "no dot in domain", "me@icloud"),
            bad("malformed", "two @", "me@@icloud.com"),
        ],
        Kind::Label => vec![
            bad("unknown", "a label taken under that Apple ID", "Thunderbird"),
            bad("huge", "200 characters", "L".repeat(200)),
        ],
        Kind::Apps => vec![
            bad("malformed", "only commas", ", , ,"),
            bad("huge", "an app of 200 characters", "A".repeat(200)),
        ],
        Kind::Password => vec![
            bad("malformed", "upper case", "ABCD-EFGH-IJKL-MNOP"),
            bad("malformed", "17 letters", "abcd-efgh-ijkl-mnopq"),
        ],
        Kind::Search => vec![bad("unknown", "unknown label", "NoSuchLabel")],
        Kind::TeamId => vec![
            bad("unknown", "a team id in lower case", "abcde12345"),
            bad("malformed", "a hyphen", "ABCDE-1234"),
            bad("malformed", "9 characters", "ABCDE1234"),
            bad("malformed", "an accented letter", "ABCDÉ12345"),
            bad("huge", "200 characters", "T".repeat(200)),
        ],
        Kind::Notes | Kind::Passphrase | Kind::Choice => Vec::new(),
    }
}
