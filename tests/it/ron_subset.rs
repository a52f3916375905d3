//! The fast reader of the RON aspen writes (`vault_file::subset`): what aspen writes
//! it reads itself, with the same value `ron` gives; anything else it leaves to `ron`,
//! so that a payload opens (or is refused, with the same message) exactly as before.
//! `parser_props.rs` compares the two readers on mutated payloads as well.

use aspen::model::{EntryId, NewEntry, Password, Vault};
use aspen::secret::SecretString;
use aspen::vault_file::{self, INSECURE, KdfParams, SALT_LEN, subset};
use jiff::civil::date;
use serde::Deserialize;

const V3: &str = include_str!("../vectors/v3.plain.ron");
const V2: &str = include_str!("../vectors/v2.plain.ron");

/// The payload's shape, as `vault_file` reads it.
#[derive(Debug, PartialEq, Deserialize)]
struct Payload {
    format_version: u32,
    kdf: KdfParams,
    vault: Vault,
}

fn kdf() -> KdfParams {
    KdfParams::new(INSECURE, [7; SALT_LEN])
}

/// Text that needs every escape `ron` writes, and text that needs none.
fn awkward_vault() -> Vault {
    let mut v = Vault::default();
    let today = date(2026, 12, 6);
    v.add(
        EntryId::from_random([9; 16]),
        NewEntry {
            label: "Jane's \"Mac\"".into(),
            apple_id: "jane@icloud.com".into(),
            apps: vec!["Mail \u{2709}\u{FE0F}".into(), "日本語のメール 𝄞".into()],
            password: Some(Password::parse(SecretString::from(r#"a"b\c'd{e}"#), true).unwrap()),
            created: date(2025, 3, 4),
            notes: String::new(),
            uses: Vec::new(),
            team_id: String::new(),
        },
        today,
    )
    .unwrap();
    let e = &mut v.entries[0];
    // Written as \n \r \t \0 \\ \" \' and \u{…} (a combining accent, a zero-width
    // space, a right-to-left override, a C1 control, DEL): old data may hold any.
    e.notes =
        "one\ntwo\r\n\tthree \\ \"four\" 'five' \0 e\u{301} a\u{200B}b \u{202E}rtl \u{85} \u{7f}".into();
    e.apps.push("\\u{41} is not an escape here".into());
    // Long notes, far past the reader's first buffer: nothing is cut or repeated.
    let long: String = (0..4000)
        .map(|i| format!("line {i}: \"quoted\" \\ ünïcødé\n"))
        .collect();
    v.add(
        EntryId::from_random([8; 16]),
        NewEntry {
            label: "Long".into(),
            apple_id: "jane@icloud.com".into(),
            apps: Vec::new(),
            password: None,
            created: date(2024, 1, 1),
            notes: String::new(),
            uses: Vec::new(),
            team_id: String::new(),
        },
        today,
    )
    .unwrap();
    v.entries[1].notes = long;
    v
}

#[test]
fn awkward_strings_read_back_on_the_fast_path() {
    let vault = awkward_vault();
    let text = vault_file::plaintext(&vault, &kdf());
    for escape in [
        "\\n",
        "\\r",
        "\\t",
        "\\0",
        "\\\\",
        "\\\"",
        "\\'",
        "\\u{301}",
        "\\u{202e}",
    ] {
        assert!(
            text.contains(escape),
            "the payload has no {escape}: the test lost its point"
        );
    }
    let fast: Payload = subset::from_str(&text).expect("the fast reader reads what aspen writes");
    let slow: Payload = ron::from_str(&text).unwrap();
    // Not assert_eq: a difference would print 160 KB of notes.
    assert!(fast == slow, "the fast reader and ron read different vaults");
    assert!(fast.vault == vault, "the vault did not round-trip");
    let opened = vault_file::parse_plaintext(text.as_bytes()).unwrap();
    assert!(opened == (vault, kdf()), "the vault did not open as written");
}

#[test]
fn the_test_vectors_read_on_the_fast_path() {
    for text in [V2, V3] {
        let fast: Payload = subset::from_str(text).expect("a vector reads on the fast path");
        assert_eq!(fast, ron::from_str::<Payload>(text).unwrap());
    }
}

/// `edit` applied once to the v3 vector's plaintext.
fn edited(from: &str, to: &str) -> String {
    assert!(V3.contains(from), "the vector has no {from:?}");
    V3.replacen(from, to, 1)
}

#[test]
fn ron_the_fast_reader_leaves_aside_still_opens() {
    let cases = [
        ("    vault: (\n", "    // a comment\n    vault: (\n"),
        ("    vault: (\n", "    vault: /* a comment */ (\n"),
        ("label: \"Mail\"", "label: r#\"Mail\"#"),
        ("label: \"Mail\"", "label: \"M\\x61il\""),
        ("label: \"Mail\"", "label: \"Ma\\\n    il\""),
        ("saves: 2", "saves: 0x2"),
        ("saves: 2", "saves: 0_2"),
        ("saves: 2", "saves: +2"),
        ("saves: 2", "saves: 02"),
        ("    kdf: (", "    kdf: KdfParams("),
        ("status: Active", "status:\u{2028}Active"),
        ("format_version: 3", "format_version: 3u32"),
        (
            "        saves: 2,\n",
            "        saves: 2,\n        unknown: (1, [\"field\"]),\n",
        ),
    ];
    let original = vault_file::parse_plaintext(V3.as_bytes()).unwrap();
    for (from, to) in cases {
        let text = edited(from, to);
        assert!(
            subset::from_str::<Payload>(&text).is_err(),
            "{to:?}: the fast reader took it; it is meant to leave it to ron"
        );
        let opened = vault_file::parse_plaintext(text.as_bytes());
        assert_eq!(
            opened,
            vault_file::parse_plaintext_ron_only(text.as_bytes()),
            "{to:?}"
        );
        assert_eq!(opened.as_ref(), Ok(&original), "{to:?}");
    }
}

/// Raw identifiers are in the subset: `ron` writes kebab-case variants that way.
#[test]
fn raw_identifiers_read_as_ron_reads_them() {
    let text = edited("status: Active", "status: r#Active");
    let fast: Payload = subset::from_str(&text).unwrap();
    assert_eq!(fast, ron::from_str::<Payload>(&text).unwrap());
    assert_eq!(fast.vault, vault_file::parse_plaintext(V3.as_bytes()).unwrap().0);
}

#[test]
fn what_ron_refuses_stays_refused_with_ron_s_message() {
    let cases = [
        ("password: Some(", "password: r#Some("),
        ("password: Some(", "password: Some ( Some("),
        ("label: \"Mail\"", "label: \"Mail\\q\""),
        ("label: \"Mail\"", "label: \"Mail\\u{110000}\""),
        ("label: \"Mail\"", "label: \"Mail\\u{}\""),
        ("label: \"Mail\"", "label: \"Mail\\u{0000041}\""),
        ("label: \"Mail\"", "label: \"Mail"),
        ("saves: 2", "saves: -2"),
        ("saves: 2", "saves: 2.0"),
        ("saves: 2", "saves: 18446744073709551616"),
        ("lanes: 1", "lanes: 4294967296"),
        ("status: Active", "status: Active-x"),
        ("status: Active", "status: Active(on: \"2026-01-01\")"),
        ("notes: \"\",", "notes: \"\",,"),
        ("notes: \"\",", "notes: \"\""),
        ("uses: [mail]", "uses: [mail,,]"),
        ("uses: [mail]", "uses: [r#mail-x]"),
        ("format_version: 3", "format_version: 3 4"),
        ("format_version: 3,", "format_version: 3, format_version: 3,"),
        ("        saves: 2,\n", ""),
    ];
    for (from, to) in cases {
        let text = edited(from, to);
        let opened = vault_file::parse_plaintext(text.as_bytes());
        assert!(opened.is_err(), "{to:?} opened");
        assert_eq!(
            opened,
            vault_file::parse_plaintext_ron_only(text.as_bytes()),
            "{to:?}"
        );
    }
    let trailing = format!("{V3})");
    assert_eq!(
        vault_file::parse_plaintext(trailing.as_bytes()),
        vault_file::parse_plaintext_ron_only(trailing.as_bytes())
    );
}
