//! The census's bad values: what each kind of argument, file and stream gets.

/// The longest single argv string Linux passes: MAX_ARG_STRLEN counts the NUL.
pub(super) const ARGV_MAX: usize = 128 * 1024 - 1;
pub(super) const MIB: usize = 1 << 20;

/// One bad value: a category for the counts, a name for messages, and its bytes.
#[derive(Clone)]
pub(super) struct Bad {
    pub(super) category: &'static str,
    pub(super) name: &'static str,
    pub(super) value: Vec<u8>,
}

pub(super) fn bad(category: &'static str, name: &'static str, value: impl AsRef<[u8]>) -> Bad {
    Bad {
        category,
        name,
        value: value.as_ref().to_vec(),
    }
}

/// What every argument gets, whatever it means.
pub(super) fn common_values(huge: usize) -> Vec<Bad> {
    vec![
        bad("empty", "empty", ""),
        bad("huge", "huge", "x".repeat(huge)),
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
        bad("invalid UTF-8", "0xff 0xfe", b"Mail\xff\xfe"),
    ]
}

pub(super) fn date_values() -> Vec<Bad> {
    vec![
        bad("date", "February 30", "2026-02-30"),
        bad("date", "month 13", "2026-13-01"),
        bad("date", "a word", "yesterday"),
        bad("date", "tomorrow", "2026-11-21"),
        bad("date", "year 0", "0000-01-01"),
        bad("date", "year 99999", "99999-01-01"),
        bad("date", "with a time", "2026-11-20T10:00"),
        bad("date", "day first", "20-11-2026"),
    ]
}

pub(super) fn apple_id_values() -> Vec<Bad> {
    vec![
        bad("unknown", "unknown Apple ID", "nobody@example.com"),
        bad("unknown", "known Apple ID in upper case", "ME@ICLOUD.COM"),
        bad("malformed", "no @", "me.icloud.com"),
        bad("malformed", "space", "me @icloud.com"),
        bad("malformed", "no dot in domain", "me@icloud"),
        bad("malformed", "no local part", "@icloud.com"),
        bad("malformed", "two @", "me@@icloud.com"),
    ]
}

pub(super) fn label_values() -> Vec<Bad> {
    vec![
        bad("unknown", "unknown label", "NoSuchLabel"),
        bad("unknown", "wrong case", "thunderbird"),
        bad("unknown", "part of a label", "Thunder"),
    ]
}

/// `valid` adds numbers the parser takes (0, u32::MAX), left out for the clipboard
/// holder, which would then start serving.
pub(super) fn int_values(valid: bool) -> Vec<Bad> {
    let mut v = vec![
        bad("number", "negative", "-1"),
        bad("number", "past u64", "99999999999999999999"),
        bad("number", "exponent", "1e3"),
        bad("number", "hex", "0x10"),
    ];
    if valid {
        v.push(bad("number", "u32 max", "4294967295"));
        v.push(bad("number", "zero", "0"));
    }
    v
}

pub(super) fn float_values() -> Vec<Bad> {
    vec![
        bad("number", "NaN", "NaN"),
        bad("number", "infinity", "inf"),
        bad("number", "negative", "-1"),
        bad("number", "overflow", "1e309"),
        bad("number", "zero", "0"),
    ]
}

pub(super) fn path_values() -> Vec<Bad> {
    vec![
        bad("path", "missing folders", "missing/folder/file"),
        bad("path", "a folder", "."),
    ]
}

pub(super) fn choice_values() -> Vec<Bad> {
    vec![
        bad("choice", "upper case", "AGE"),
        bad("choice", "shell injection", "age; rm -rf ~"),
    ]
}

/// Contents of a file or stdin: `valid` is what the channel expects.
pub(super) fn content_values(valid: &str) -> Vec<Bad> {
    let mut huge = "a".repeat(MIB);
    huge.push('\n');
    let raw = |prefix: &[u8], suffix: &[u8]| [prefix, valid.as_bytes(), suffix, b"\n"].concat();
    vec![
        bad("empty", "empty", ""),
        bad("empty", "a bare line break", "\n"),
        bad("huge", "1 MiB line", &huge),
        bad("huge", "1 MiB, no line break", "b".repeat(MIB)),
        bad("control", "BEL inside", raw(b"", b"\x07")),
        bad("control", "tab inside", raw(b"\t", b"")),
        bad("control", "CRLF line end", raw(b"", b"\r")),
        bad("escape", "CSI clear screen", raw(b"\x1b[2J", b"")),
        bad("escape", "OSC 52 clipboard", raw(b"\x1b]52;c;aGk=\x07", b"")),
        bad("escape", "C1 CSI", raw("\u{9b}31m".as_bytes(), b"")),
        bad(
            "invisible",
            "right-to-left override",
            raw("\u{202E}".as_bytes(), b""),
        ),
        bad("invisible", "zero-width space", raw(b"", "\u{200B}".as_bytes())),
        bad("invalid UTF-8", "0xff 0xfe", raw(b"\xff\xfe", b"")),
    ]
}

pub(super) fn config_values() -> Vec<Bad> {
    let mut big_theme = b"(theme: \"".to_vec();
    big_theme.extend(std::iter::repeat_n(b'x', MIB));
    big_theme.extend(b"\")\n");
    let mut big_comment = b"// ".to_vec();
    big_comment.extend(std::iter::repeat_n(b'y', MIB));
    big_comment.extend(b"\n(rotation_days: 90)\n");
    vec![
        bad("empty", "empty file", ""),
        bad("huge", "1 MiB theme name", big_theme),
        bad("huge", "1 MiB comment", big_comment),
        bad("huge", "1 MiB of garbage", "#(".repeat(MIB / 2)),
        bad("control", "BEL in a value", "(theme: \"a\x07b\")"),
        bad("escape", "escape sequence as a key", "(\x1b[2J: 1)"),
        bad(
            "escape",
            "OSC 52 in an unknown action",
            "(keys: { \"main\": { \"z\": \x1b]52;c;aGk=\x07 } })",
        ),
        bad("escape", "C1 as a key", "(\u{9b}31m: 1)"),
        bad(
            "invisible",
            "right-to-left override in a key",
            "(rotation\u{202E}_days: 1)",
        ),
        bad("invalid UTF-8", "0xff 0xfe", b"(theme: \"\xff\xfe\")"),
        bad("number", "unlock time NaN", "(unlock_time_secs: NaN)"),
        bad("number", "rotation days past u32", "(rotation_days: 99999999999)"),
    ]
}
