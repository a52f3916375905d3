//! Proptest twins of the parser fuzz targets in `fuzz/` (issue 5). Each test feeds the
//! same entry point and checks the same properties as its fuzz target: the property
//! functions live in `fuzz/src/lib.rs`, included here, so they are written once. Each
//! target gets (a) arbitrary input and (b) mutations of the real files it reads
//! (byte flips, insertions, deletions, truncations, spliced copies).
//!
//! The long runs are libFuzzer's job (`fuzz/long-run.sh`); these keep the properties
//! honest in a plain `cargo test`, in a few seconds.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

#[path = "../../fuzz/src/lib.rs"]
mod checks;

use proptest::prelude::*;
use proptest::sample::Index;

const VAULT_PLAINTEXT: &[u8] = include_bytes!("../vectors/v3.plain.ron");
const CONFIG_PATCH: &str = "(rotation_days: 90, clipboard: \"osc52\", unlock_time_secs: 0.5, keys: { \"main\": { \"d\": Revoke } }, \
     verify_caldav_url: \"https://127.0.0.1:5232/dav/\", verify_imap_server: \"[::1]:1993\", \
     verify_ca_file: \"ca.pem\", verify_pause_secs: 0.5)";
/// Rebinds keys the default keymap binds, and adds new ones.
const KEYMAP_PATCH: &str =
    r#"{ "main": { "d": Revoke, "Ctrl-Alt-x": Lock, "F12": Help, "Space": Reveal }, "help": { "q": Quit } }"#;

/// Bytes that matter to RON and to the formats inside it.
const SYNTAX: &[u8] = b"\"()[]{},:\n\\-#rR0123456789 /*";

const WHITESPACE: &[&[u8]] = &[b" ", b"\n", b"\t", b"\r\n", b"/**/"];

#[derive(Clone, Debug)]
enum Edit {
    Flip(Index, u8),
    Insert(Index, u8),
    /// Whitespace RON ignores: a canonical-only reader must still refuse it.
    Whitespace(Index, &'static [u8]),
    Delete(Index, usize),
    Truncate(Index),
    /// Copies `len` bytes from the first index to the second.
    Splice(Index, Index, usize),
    /// Removes a whole line: in RON, often a whole field.
    DeleteLine(Index),
    /// Copies a whole line before another one.
    CopyLine(Index, Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let byte = prop_oneof![any::<u8>(), prop::sample::select(SYNTAX)];
    prop_oneof![
        3 => (any::<Index>(), 0..8u8).prop_map(|(at, bit)| Edit::Flip(at, bit)),
        3 => (any::<Index>(), byte).prop_map(|(at, b)| Edit::Insert(at, b)),
        2 => (any::<Index>(), prop::sample::select(WHITESPACE)).prop_map(|(at, ws)| Edit::Whitespace(at, ws)),
        2 => (any::<Index>(), 1..16usize).prop_map(|(at, len)| Edit::Delete(at, len)),
        1 => any::<Index>().prop_map(Edit::Truncate),
        1 => (any::<Index>(), any::<Index>(), 1..64usize).prop_map(|(from, to, len)| Edit::Splice(from, to, len)),
        2 => any::<Index>().prop_map(Edit::DeleteLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(from, to)| Edit::CopyLine(from, to)),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len();
        match e {
            Edit::Insert(at, b) => bytes.insert(at.index(len + 1), *b),
            Edit::Whitespace(at, ws) => {
                let at = at.index(len + 1);
                bytes.splice(at..at, ws.iter().copied());
            }
            _ if len == 0 => {}
            Edit::Flip(at, bit) => bytes[at.index(len)] ^= 1 << bit,
            Edit::Delete(at, n) => {
                let start = at.index(len);
                bytes.drain(start..(start + n).min(len));
            }
            Edit::Truncate(at) => bytes.truncate(at.index(len)),
            Edit::Splice(from, to, n) => {
                let start = from.index(len);
                let chunk = bytes[start..(start + n).min(len)].to_vec();
                let to = to.index(len + 1);
                bytes.splice(to..to, chunk);
            }
            Edit::DeleteLine(at) => {
                let line = line_at(&bytes, at.index(len));
                bytes.drain(line);
            }
            Edit::CopyLine(from, to) => {
                let chunk = bytes[line_at(&bytes, from.index(len))].to_vec();
                let to = line_at(&bytes, to.index(len)).start;
                bytes.splice(to..to, chunk);
            }
        }
    }
    bytes
}

/// The line holding byte `at`, with its newline.
fn line_at(bytes: &[u8], at: usize) -> std::ops::Range<usize> {
    let start = bytes[..at].iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let end = bytes[at..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |i| at + i + 1);
    start..end
}

/// One of `seeds`, with one to five edits.
fn mutated(seeds: Vec<&'static [u8]>) -> impl Strategy<Value = Vec<u8>> {
    (prop::sample::select(seeds), prop::collection::vec(edit(), 1..6))
        .prop_map(|(seed, edits)| apply(seed.to_vec(), &edits))
}

fn mutated_text(seeds: Vec<&'static str>) -> impl Strategy<Value = String> {
    mutated(seeds.into_iter().map(str::as_bytes).collect())
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// The test vector up to its armored payload.
fn vector_header() -> &'static [u8] {
    let text = std::str::from_utf8(checks::VECTOR).unwrap();
    let at = text.find("-----BEGIN AGE ENCRYPTED FILE-----").unwrap();
    &checks::VECTOR[..at]
}

fn themes() -> Vec<&'static str> {
    aspen::theme::BUILT_IN.iter().map(|(_, text)| *text).collect()
}

/// Key names as keymap files write them, and near misses.
fn key_name() -> impl Strategy<Value = String> {
    const NAMES: [&str; 15] = [
        "Enter",
        "Esc",
        "Tab",
        "BackTab",
        "Up",
        "Down",
        "Left",
        "Right",
        "Home",
        "End",
        "PageUp",
        "PageDown",
        "Backspace",
        "Delete",
        "Space",
    ];
    let code = prop_oneof![
        prop::sample::select(&NAMES[..]).prop_map(str::to_owned),
        "F[+0-9]{0,4}",
        any::<char>().prop_map(String::from),
        ".{0,3}",
    ];
    (
        prop::collection::vec(prop_oneof!["Ctrl-", "Alt-", "Shift-", "ctrl-"], 0..3),
        code,
    )
        .prop_map(|(mods, code)| mods.concat() + &code)
}

/// Near-Apple pastes: groups of letters, digits or capitals, with or without
/// separators, and surrounding whitespace.
fn password_like() -> impl Strategy<Value = String> {
    "[ \t\n]{0,2}(([a-z]{4}|[a-zA-Z0-9]{3,5})[- ]{0,2}){3,5}[ \t\n\r]{0,2}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn envelope_arbitrary(tail in prop::collection::vec(any::<u8>(), 0..512), magic in any::<bool>()) {
        let mut bytes = if magic { aspen::vault_file::MAGIC.as_bytes().to_vec() } else { Vec::new() };
        bytes.extend(tail);
        checks::envelope(&bytes);
    }

    #[test]
    fn envelope_mutated_vector(bytes in mutated(vec![checks::VECTOR])) {
        checks::envelope(&bytes);
    }

    /// Most of the vector is the armored payload; this aims the edits at the header.
    #[test]
    fn envelope_mutated_vector_header(head in mutated(vec![vector_header()])) {
        let mut bytes = head;
        bytes.extend_from_slice(&checks::VECTOR[vector_header().len()..]);
        checks::envelope(&bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn plaintext_arbitrary(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        checks::plaintext(&bytes);
    }

    #[test]
    fn plaintext_mutated_vector(bytes in mutated(vec![VAULT_PLAINTEXT])) {
        checks::plaintext(&bytes);
    }

    #[test]
    fn theme_arbitrary(text in any::<String>()) {
        checks::theme(&text);
    }

    #[test]
    fn theme_mutated_built_ins(text in mutated_text(themes())) {
        checks::theme(&text);
    }

    #[test]
    fn config_arbitrary(text in any::<String>()) {
        checks::config(&text);
    }

    #[test]
    fn config_mutated(text in mutated_text(vec![aspen::config::DEFAULTS, CONFIG_PATCH])) {
        checks::config(&text);
    }

    #[test]
    fn keymap_arbitrary(text in any::<String>()) {
        checks::keymap(&text);
        checks::key(&text);
    }

    #[test]
    fn keymap_mutated(text in mutated_text(vec![aspen::tui::keymap::DEFAULT, KEYMAP_PATCH])) {
        checks::keymap(&text);
    }

    #[test]
    fn key_names(text in key_name()) {
        checks::key(&text);
    }

    #[test]
    fn password_arbitrary(text in any::<String>()) {
        checks::password(&text);
    }

    #[test]
    fn password_near_apple_shape(text in password_like()) {
        checks::password(&text);
    }

    #[test]
    fn password_mutated(text in mutated_text(vec!["abcd-efgh-ijkl-mnop", "abcd efgh ijkl mnop", "abcdefghijklmnop"])) {
        checks::password(&text);
    }
}

/// The mutations start from inputs every parser accepts, so they probe the edges of
/// valid input and not only the error paths.
#[test]
fn the_seeds_are_accepted() {
    let key = checks::vector_key();
    aspen::vault_file::decode_with_key(checks::VECTOR, key).unwrap();
    aspen::vault_file::parse_plaintext(VAULT_PLAINTEXT).unwrap();
    for text in themes() {
        aspen::theme::Theme::parse(text, std::path::Path::new("t.ron")).unwrap();
    }
    for text in [aspen::config::DEFAULTS, CONFIG_PATCH] {
        aspen::config::Config::parse(text, std::path::Path::new("c.ron")).unwrap();
    }
    for text in [aspen::tui::keymap::DEFAULT, KEYMAP_PATCH] {
        let patch: aspen::config::KeymapPatch = ron::from_str(text).unwrap();
        aspen::tui::keymap::Keymap::default_keymap()
            .apply(&patch)
            .unwrap();
    }
}

/// Regression for a defect the key property found: `Key`'s `Display` wrote
/// "Shift-Tab", "PgUp" and "PgDn", which `Key::parse` did not read, so a key shown in
/// the help screen could not be written back into a keymap as shown.
#[test]
fn key_display_parses_back_for_every_key() {
    for name in ["BackTab", "PageUp", "PageDown", "Shift-Tab", "PgUp", "PgDn"] {
        for prefix in ["", "Ctrl-", "Alt-", "Ctrl-Alt-"] {
            checks::key(&format!("{prefix}{name}"));
        }
    }
}
