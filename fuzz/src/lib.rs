//! The properties the parser fuzzers check, one function per fuzz target. The libFuzzer
//! targets in `fuzz/fuzz_targets/` and their proptest twins in `tests/parser_props.rs`
//! (which includes this file as a module) both call these, so each property is written
//! once. A function panics when, and only when, a parser panics or breaks its property.

use std::fmt::Display;
use std::path::Path;
use std::sync::OnceLock;

use aspen::clipboard::Method;
use aspen::config::{Config, KeymapPatch};
use aspen::model::{Password, PasswordError, ShapeProblem};
use aspen::secret::SecretString;
use aspen::theme::{ANSI_NAMES, Color, Theme};
use aspen::tui::keymap::{Key, Keymap, Mode};
use aspen::vault_file::{self, FORMAT_NAME, FORMAT_VERSION, MAGIC, VaultKey};

/// The committed test vector: a real vault, and the envelope fuzzer's main seed.
pub const VECTOR: &[u8] = include_bytes!("../../tests/vectors/v1.aspen");
const VECTOR_PASSPHRASE: &str = "aspen test vector";
const ARMOR_BEGIN: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----\n";
const ARMOR_END: &[u8] = b"-----END AGE ENCRYPTED FILE-----\n";

/// The test vector's key, derived once per process (the vector uses a cheap cost,
/// 1 MiB and 1 pass). Deriving it with the vector's own header lets a mutated vector
/// whose header survives reach the age decryption.
pub fn vector_key() -> &'static VaultKey {
    static KEY: OnceLock<VaultKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let (header, _) = vault_file::split(VECTOR).expect("the test vector splits");
        let cost = header.kdf.cost();
        assert!(
            cost.memory_kib <= 1024 && cost.passes == 1,
            "the fuzzers need the vector's cheap KDF cost, not {cost:?}"
        );
        VaultKey::derive(&SecretString::from(VECTOR_PASSPHRASE), header.kdf)
            .expect("the vector's key derives")
    })
}

/// An error a user will read must say something.
fn explained(e: &impl Display) {
    assert!(!e.to_string().trim().is_empty(), "an error with an empty message");
}

/// A reported line and column must point into `text` (columns may count bytes or
/// characters, so the bound is the line's length in bytes).
fn points_into(text: &str, line: usize, column: usize) {
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        (1..=lines.len()).contains(&line),
        "line {line} is outside the text ({} lines)",
        lines.len()
    );
    let len = lines[line - 1].len();
    assert!(
        (1..=len + 1).contains(&column),
        "column {column} is outside line {line} ({len} bytes)"
    );
}

/// Vault envelope: `split` accepts only the canonical header followed by one armored
/// payload, and `decode_with_key` opens only what `split` accepts; an opened vault
/// keeps its invariants and survives encode -> decode.
pub fn envelope(bytes: &[u8]) {
    let key = vector_key();
    let split = vault_file::split(bytes);
    match &split {
        Ok((header, payload)) => {
            assert!(bytes.starts_with(MAGIC.as_bytes()));
            assert!(bytes.ends_with(payload), "the payload is not the end of the file");
            assert!(payload.starts_with(ARMOR_BEGIN) && payload.ends_with(ARMOR_END));
            assert_eq!(header.format.as_str(), FORMAT_NAME);
            assert!((vault_file::OLDEST_VERSION..=FORMAT_VERSION).contains(&header.version));
            let head = &bytes[..bytes.len() - payload.len()];
            let canonical = ron::ser::to_string_pretty(
                header,
                ron::ser::PrettyConfig::new()
                    .struct_names(false)
                    .new_line("\n")
                    .indentor("    "),
            )
            .expect("a header serialises")
                + "\n";
            assert_eq!(
                head,
                canonical.as_bytes(),
                "split accepted a header aspen would not write"
            );
        }
        Err(e) => explained(e),
    }
    match vault_file::decode_with_key(bytes, key) {
        Ok(vault) => {
            let (header, _) = split.as_ref().expect("decode_with_key opened what split refuses");
            assert_eq!(&header.kdf, key.kdf());
            vault
                .check_invariants()
                .expect("an opened vault keeps its invariants");
            let again = vault_file::encode(&vault, key).expect("an opened vault encodes");
            assert_eq!(vault_file::decode_with_key(&again, key).as_ref(), Ok(&vault));
        }
        Err(e) => {
            explained(&e);
            if let Err(split_error) = &split {
                assert_eq!(
                    &e, split_error,
                    "decode and split disagree on why the file is bad"
                );
            }
        }
    }
}

/// Decrypted RON model: a vault that parses keeps its invariants, and its plaintext
/// parses back to the same vault and KDF parameters, as a fixed point. The fast reader
/// of the RON aspen writes changes nothing: `ron` alone gives the same vault, or the
/// same error.
pub fn plaintext(bytes: &[u8]) {
    assert_eq!(
        vault_file::parse_plaintext(bytes),
        vault_file::parse_plaintext_ron_only(bytes),
        "the subset reader and ron disagree"
    );
    match vault_file::parse_plaintext(bytes) {
        Ok((vault, kdf)) => {
            vault
                .check_invariants()
                .expect("a parsed vault keeps its invariants");
            let text = vault_file::plaintext(&vault, &kdf);
            let (vault2, kdf2) =
                vault_file::parse_plaintext(text.as_bytes()).expect("a parsed vault's plaintext parses");
            assert_eq!(vault2, vault);
            assert_eq!(kdf2, kdf);
            assert_eq!(
                *vault_file::plaintext(&vault2, &kdf2),
                *text,
                "the plaintext is not a fixed point"
            );
        }
        Err(e) => explained(&e),
    }
}

fn color_text(color: Color) -> String {
    match color {
        Color::Reset => "reset".to_owned(),
        Color::Ansi(i) => ANSI_NAMES
            .get(usize::from(i))
            .unwrap_or_else(|| panic!("ANSI colour index {i} is out of range"))
            .to_string(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
    }
}

/// A theme file written from a parsed theme: its name and every slot's colour.
fn theme_text(theme: &Theme) -> String {
    let mut text = format!(
        "(name: {}, colors: {{",
        ron::to_string(&theme.name).expect("a string serialises")
    );
    for (slot, color) in theme.palette.slots() {
        text += &format!("\"{slot}\": \"{}\", ", color_text(color));
    }
    text + "})"
}

/// Theme file: an accepted theme, written back out slot by slot, parses to the same
/// theme (so every slot was filled: [`Theme::color`] falls back to `reset` for a
/// missing one, which the rewritten file would add); a refused one names the file
/// and a position inside it.
pub fn theme(text: &str) {
    let file = Path::new("fuzz-theme.ron");
    match Theme::parse(text, file) {
        Ok(theme) => {
            let again = Theme::parse(&theme_text(&theme), Path::new("again.ron"))
                .expect("a theme written from a parsed theme parses");
            assert_eq!(again, theme);
        }
        Err(e) => {
            assert_eq!(e.file, file);
            explained(&e.message);
            points_into(text, e.line, e.column);
        }
    }
}

/// A config file written from a parsed config, naming every setting.
fn config_text(config: &Config) -> String {
    let clipboard = match config.clipboard {
        Method::Auto => "auto",
        Method::Osc52 => "osc52",
    };
    let mut text = format!(
        "(rotation_days: {}, clipboard_clear_secs: {}, clipboard: \"{clipboard}\", idle_lock_secs: {}, \
         unlock_time_secs: {:?}, theme: {}",
        config.rotation_days,
        config.clipboard_clear_secs,
        config.idle_lock_secs,
        config.unlock_time_secs,
        ron::to_string(&config.theme).expect("a string serialises"),
    );
    if let Some(keys) = &config.keys {
        text += &format!(
            ", keys: {}",
            ron::to_string(keys).expect("a keymap patch serialises")
        );
    }
    let verify = &config.verify;
    text += &format!(
        ", verify_pause_secs: {:?}, verify_timeout_secs: {:?}",
        verify.pause_secs, verify.timeout_secs
    );
    let string = |s: &str| ron::to_string(s).expect("a string serialises");
    if let Some(url) = &verify.caldav_url {
        text += &format!(", verify_caldav_url: {}", string(url.as_str()));
    }
    if let Some(server) = &verify.imap_server {
        text += &format!(", verify_imap_server: {}", string(&server.to_string()));
    }
    if let Some(path) = &verify.ca_file {
        text += &format!(", verify_ca_file: {}", string(&path.to_string_lossy()));
    }
    text + ")"
}

/// Config file: an accepted config is within its checked range and, written back out,
/// parses to the same config; a refused one is a config error naming the file and a
/// position inside it.
pub fn config(text: &str) {
    let path = Path::new("fuzz-config.ron");
    match Config::parse(text, path) {
        Ok(config) => {
            assert!((0.1..=60.0).contains(&config.unlock_time_secs));
            let again = Config::parse(&config_text(&config), Path::new("again.ron"))
                .expect("a config written from a parsed config parses");
            assert_eq!(again, config);
        }
        Err(aspen::error::Error::Config {
            path: at,
            line,
            column,
            message,
        }) => {
            assert_eq!(at, path);
            explained(&message);
            points_into(text, line, column);
        }
        Err(other) => panic!("Config::parse returned a non-config error: {other}"),
    }
}

fn default_keymap() -> &'static Keymap {
    static MAP: OnceLock<Keymap> = OnceLock::new();
    MAP.get_or_init(Keymap::default_keymap)
}

/// Keymap file (the `keys` patch): an applied patch binds every key it names to its
/// action, the last spelling of a key winning; a refused one names a mode or key that
/// really is unknown.
pub fn keymap(text: &str) {
    let Ok(patch) = ron::from_str::<KeymapPatch>(text) else {
        return;
    };
    let mut map = default_keymap().clone();
    match map.apply(&patch) {
        Ok(()) => {
            for (mode_name, keys) in &patch {
                let mode = Mode::ALL
                    .into_iter()
                    .find(|m| m.name() == mode_name)
                    .expect("apply accepted an unknown mode");
                let mut expected = std::collections::HashMap::new();
                for (key, action) in keys {
                    expected.insert(Key::parse(key).expect("apply accepted an unknown key"), *action);
                }
                let bindings = map.bindings(mode);
                for (key, action) in expected {
                    assert!(
                        bindings.iter().any(|(a, ks)| *a == action && ks.contains(&key)),
                        "{key} in {mode_name} is not bound to {action:?}"
                    );
                }
            }
        }
        Err(message) => {
            explained(&message);
            let really_bad = patch.iter().any(|(mode_name, keys)| {
                !Mode::ALL.iter().any(|m| m.name() == mode_name)
                    || keys.keys().any(|k| Key::parse(k).is_err())
            });
            assert!(really_bad, "apply refused a valid patch: {message}");
        }
    }
}

/// One key name: a key that parses displays as a name that parses back to it (the
/// help screen shows keys that way, and users copy them into their keymap); a
/// refused name is named in the error.
pub fn key(text: &str) {
    match Key::parse(text) {
        Ok(key) => {
            let shown = key.to_string();
            assert_eq!(
                Key::parse(&shown),
                Ok(key),
                "{text:?} displays as {shown:?}, which does not parse back"
            );
        }
        Err(message) => {
            assert!(
                message.contains(text),
                "the error does not name the key: {message}"
            );
            explained(&message);
        }
    }
}

/// `aspen::model::password::MAX_ANY_FORMAT_LEN`, which the crate does not export.
const MAX_ANY_FORMAT_LEN: usize = 256;

/// Apple's stored shape, `xxxx-xxxx-xxxx-xxxx` in lowercase ASCII letters.
fn stored_shape(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 19 && apple_paste(t) && b.iter().all(|c| *c != b' ')
}

/// What Apple's shape accepts, written independently of `password.rs`: 16 lowercase
/// ASCII letters, bare or in four groups of four split by single hyphens or spaces.
fn apple_paste(t: &str) -> bool {
    let b = t.as_bytes();
    (b.len() == 16 && b.iter().all(u8::is_ascii_lowercase))
        || (b.len() == 19
            && b.iter().enumerate().all(|(i, c)| {
                if i % 5 == 4 {
                    *c == b'-' || *c == b' '
                } else {
                    c.is_ascii_lowercase()
                }
            }))
}

/// Password shape: the strict parse accepts exactly the pastes of Apple's shape and
/// stores their letters in `xxxx-xxxx-xxxx-xxxx`; `--any-format` keeps other text as
/// given unless it is empty, unprintable or too long; a stored password re-parses to
/// itself.
pub fn password(text: &str) {
    let trimmed = text.trim();
    for any_format in [false, true] {
        match Password::parse(SecretString::from(text), any_format) {
            Ok(p) => {
                let stored = p.expose();
                assert_eq!(p.is_well_formed(), stored_shape(stored));
                if apple_paste(trimmed) {
                    assert!(stored_shape(stored), "an Apple paste was stored unshaped");
                    let letters = |s: &str| s.bytes().filter(u8::is_ascii_lowercase).collect::<Vec<u8>>();
                    assert_eq!(
                        letters(stored),
                        letters(trimmed),
                        "normalising changed the letters"
                    );
                } else {
                    assert!(any_format, "the strict parse accepted a non-Apple shape");
                    assert_eq!(stored, trimmed, "--any-format changed the text");
                    assert!(!stored.chars().any(char::is_control));
                    assert!(stored.chars().count() <= MAX_ANY_FORMAT_LEN);
                }
                let again = Password::parse(SecretString::from(stored), any_format)
                    .expect("a stored password re-parses");
                assert_eq!(again.expose(), stored);
            }
            Err(e) => {
                explained(&e);
                match e {
                    PasswordError::Empty => assert!(trimmed.is_empty()),
                    PasswordError::Shape(problem) => {
                        assert!(!any_format && !trimmed.is_empty() && !apple_paste(trimmed));
                        // The reason given is true of the input.
                        match problem {
                            ShapeProblem::Digits => assert!(trimmed.chars().any(|c| c.is_ascii_digit())),
                            ShapeProblem::UpperCase { upper } => {
                                assert_eq!(upper, trimmed.chars().filter(char::is_ascii_uppercase).count())
                            }
                            ShapeProblem::LetterCount { letters } => assert_ne!(letters, 16),
                            ShapeProblem::ForeignLetter { letter } => {
                                assert!(
                                    letter.is_alphabetic() && !letter.is_ascii() && trimmed.contains(letter)
                                )
                            }
                            ShapeProblem::OtherCharacters | ShapeProblem::Grouping => {}
                        }
                    }
                    PasswordError::Unusable => assert!(
                        any_format
                            && !apple_paste(trimmed)
                            && (trimmed.chars().any(char::is_control)
                                || trimmed.chars().count() > MAX_ANY_FORMAT_LEN)
                    ),
                }
            }
        }
    }
}
