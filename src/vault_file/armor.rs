//! Reading the armored age payload. age's own reader takes it a line at a time:
//! through a `BufReader`, into a `String` (checked as UTF-8), decoded by the
//! general-purpose base64 engine, handed on 48 bytes at a time. That was a fifth of
//! an `aspen list`. Armor in the form age writes it (every line 64 characters but
//! the last, padding only at the end, no carriage returns) is joined here and
//! decoded in one call of the `base64` crate, which refuses what is not canonical
//! base64 (a stray bit, padding in the middle), as age's decoder does. Anything
//! else goes to age's reader, which reads it or says what is wrong in its own words,
//! exactly as before. The armor is ciphertext: nothing here is secret.

use std::io::{self, BufRead};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::{ARMOR_BEGIN, ARMOR_END};

/// Characters per armor line.
const LINE: usize = 64;

/// The payload as a stream of the binary age file it armors.
pub(super) fn reader(payload: &[u8]) -> Box<dyn BufRead + '_> {
    match decoded(payload) {
        Some(binary) => Box::new(io::Cursor::new(binary)),
        None => Box::new(age::armor::ArmoredReader::new(payload)),
    }
}

/// The bytes `payload` armors, when its armor is what age writes: lines of 64
/// characters, then at most one shorter one, each with a line break, all of them
/// canonical base64 once joined.
fn decoded(payload: &[u8]) -> Option<Vec<u8>> {
    let body = payload
        .strip_prefix(ARMOR_BEGIN.as_bytes())?
        .strip_suffix(ARMOR_END.as_bytes())?;
    let lines: Vec<&[u8]> = body.strip_suffix(b"\n")?.split(|c| *c == b'\n').collect();
    let (last, full) = lines.split_last()?;
    let shaped = full.iter().all(|l| l.len() == LINE) && !last.is_empty() && last.len() <= LINE;
    // Padding stands only at the very end: each full line is whole groups of four.
    if !shaped || !last.len().is_multiple_of(4) || full.iter().any(|l| l.contains(&b'=')) {
        return None;
    }
    let joined: Vec<u8> = lines.concat();
    STANDARD.decode(joined).ok()
}

/// Whether the armor of `payload` is read by [`decoded`] (for the tests).
#[cfg(test)]
fn fast(payload: &[u8]) -> bool {
    decoded(payload).is_some()
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    use proptest::prelude::*;

    use super::*;

    fn armored(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut w = age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor).unwrap();
        w.write_all(data).unwrap();
        w.finish().unwrap();
        out
    }

    /// What age's reader makes of `payload`: the bytes, or its error.
    fn by_age(payload: &[u8]) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        age::armor::ArmoredReader::new(payload)
            .read_to_end(&mut out)
            .map(|_| out)
            .map_err(|e| e.to_string())
    }

    fn by_reader(payload: &[u8]) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        reader(payload)
            .read_to_end(&mut out)
            .map(|_| out)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn what_age_writes_is_read_fast_to_the_same_bytes() {
        for len in (1..200).chain([4095, 4096, 4097, 48 * 64 - 1, 48 * 64, 48 * 64 + 1, 100_000]) {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
            let payload = armored(&data);
            assert!(fast(&payload), "{len} bytes: not read fast");
            assert_eq!(by_reader(&payload), Ok(data), "{len} bytes");
        }
    }

    /// Armor age reads but does not write, and armor it refuses: left to age.
    #[test]
    fn anything_else_is_left_to_age() {
        // 100 bytes of 0x5a: two lines of "Wlpa" and "WlpaWg==".
        let full = "Wlpa".repeat(16);
        let armor = |lines: &[&str], end: &str| format!("{ARMOR_BEGIN}{}{ARMOR_END}", lines.join(end) + end);
        assert_eq!(
            by_reader(armor(&[&full, &full, "WlpaWg=="], "\n").as_bytes()),
            Ok(vec![0x5a; 100])
        );
        let cases = [
            armor(&[&full, &full, "WlpaWg=="], "\r\n"),
            armor(&[&full[..60], &full, "WlpaWg=="], "\n"),
            armor(&[&(full.clone() + "Wlpa"), &full[4..], "WlpaWg=="], "\n"),
            armor(&[&(full[4..].to_owned() + "Wg=="), &full, "WlpaWg=="], "\n"),
            armor(&[&full, &full, "WlpaWh=="], "\n"),
            armor(&[&full, &full, "WlpaW==="], "\n"),
            armor(&[&full.replacen('W', "*", 1), &full, "WlpaWg=="], "\n"),
            armor(&[&full.replacen('W', "-", 1), &full, "WlpaWg=="], "\n"),
            armor(&[&full, "", &full, "WlpaWg=="], "\n"),
            armor(&[&full, &full, "Wlp"], "\n"),
            format!("{ARMOR_BEGIN}{ARMOR_END}"),
            format!("{ARMOR_BEGIN}{full}\n{full}\nWlpaWg=={ARMOR_END}"),
        ];
        for (i, case) in cases.iter().enumerate() {
            assert!(!fast(case.as_bytes()), "case {i} was read fast");
            assert_eq!(by_reader(case.as_bytes()), by_age(case.as_bytes()), "case {i}");
        }
        // Padding at the end of a line in the middle: age reads it, this reader
        // leaves it to age.
        assert_eq!(by_reader(cases[3].as_bytes()).map(|b| b.len()), Ok(98));
    }

    #[test]
    fn stray_bits_after_the_data_are_refused_as_age_refuses_them() {
        // "Wg==" is one byte, 0x5a; "Wh==" carries bits past it.
        let good = format!("{ARMOR_BEGIN}Wg==\n{ARMOR_END}");
        let stray = format!("{ARMOR_BEGIN}Wh==\n{ARMOR_END}");
        assert_eq!(by_reader(good.as_bytes()), Ok(vec![0x5a]));
        assert!(!fast(stray.as_bytes()));
        assert!(by_reader(stray.as_bytes()).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever is read fast, age reads to the same bytes; whatever is not is
        /// age's to read.
        #[test]
        fn the_fast_reader_agrees_with_age(
            data in prop::collection::vec(any::<u8>(), 0..400),
            edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(&b"Aa/+=\n\r-9 z"[..])), 0..3),
        ) {
            let mut payload = armored(&data);
            let body = ARMOR_BEGIN.len()..payload.len() - ARMOR_END.len();
            for (at, byte) in edits {
                let i = body.start + at.index(body.len().max(1));
                payload[i.min(body.end - 1)] = byte;
            }
            let fast = fast(&payload);
            let mine = by_reader(&payload);
            prop_assert_eq!(&mine, &by_age(&payload));
            if fast {
                prop_assert!(mine.is_ok());
            }
        }
    }
}
