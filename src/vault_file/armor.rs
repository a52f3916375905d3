//! Reading the armored age payload. age's own reader takes it a line at a time:
//! through a `BufReader`, into a `String` (checked as UTF-8), decoded by the
//! general-purpose base64 engine, handed on 48 bytes at a time. That was a fifth of
//! an `aspen list`. Armor in the form age writes it (every line 64 characters of
//! the base64 alphabet but the last, padding only at the end, no carriage returns)
//! is checked in one pass here and then decoded straight into the decryptor's
//! buffers. Anything else goes to age's reader, which reads it or says what is
//! wrong in its own words, exactly as before.

use std::io::{self, BufRead, Read};

use super::{ARMOR_BEGIN, ARMOR_END};

/// Characters per armor line, and the bytes each full line holds.
const LINE: usize = 64;
const LINE_BYTES: usize = LINE / 4 * 3;

/// How many lines `fill_buf` decodes at a time (age reads its header through it).
const BUFFERED_LINES: usize = 64;

/// Not a base64 character.
const INVALID: u8 = 0xff;

/// The value of each base64 character (RFC 4648's standard alphabet); `=` is
/// invalid here, and handled where it may stand.
const VALUES: [u8; 256] = {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < alphabet.len() {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// The payload as a stream of the binary age file it armors.
pub(super) fn reader(payload: &[u8]) -> Box<dyn BufRead + '_> {
    match Canonical::new(payload) {
        Some(fast) => Box::new(fast),
        None => Box::new(age::armor::ArmoredReader::new(payload)),
    }
}

/// A payload whose armor is canonical, decoded as it is read.
struct Canonical<'a> {
    /// The armor lines not read yet, each with its line break.
    lines: &'a [u8],
    /// What `fill_buf` decoded and was not consumed yet.
    buffer: Vec<u8>,
    at: usize,
}

impl<'a> Canonical<'a> {
    fn new(payload: &'a [u8]) -> Option<Self> {
        let body = payload
            .strip_prefix(ARMOR_BEGIN.as_bytes())?
            .strip_suffix(ARMOR_END.as_bytes())?;
        canonical(body).then(|| Self {
            lines: body,
            buffer: Vec::with_capacity(BUFFERED_LINES * LINE_BYTES),
            at: 0,
        })
    }

    /// Decodes whole lines into `out` while they fit; returns the bytes written.
    fn decode_into(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut written = 0;
        // Every line but the last is full.
        while let Some((line, rest)) = self.lines.split_first_chunk::<LINE>()
            && rest.len() > 1
        {
            let Some(room) = out.get_mut(written..written + LINE_BYTES) else {
                return Ok(written);
            };
            decode_full(line, room)?;
            written += LINE_BYTES;
            self.lines = &rest[1..];
        }
        let Some(last) = self.lines.strip_suffix(b"\n") else {
            return Ok(written);
        };
        let n = decoded_len(last);
        if let Some(room) = out.get_mut(written..written + n) {
            decode_last(last, room)?;
            written += n;
            self.lines = &[];
        }
        Ok(written)
    }
}

impl Read for Canonical<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.at == self.buffer.len() && out.len() >= LINE_BYTES {
            return self.decode_into(out);
        }
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Canonical<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at == self.buffer.len() {
            let mut buffer = std::mem::take(&mut self.buffer);
            buffer.resize(BUFFERED_LINES * LINE_BYTES, 0);
            let n = self.decode_into(&mut buffer)?;
            buffer.truncate(n);
            self.buffer = buffer;
            self.at = 0;
        }
        Ok(&self.buffer[self.at..])
    }

    fn consume(&mut self, amount: usize) {
        self.at = (self.at + amount).min(self.buffer.len());
    }
}

/// Whether `body` (the armor between its markers) is what age writes: lines of 64
/// base64 characters, then at most one shorter one, padded to a multiple of four
/// with no stray bits, each with a line break. Whatever passes, age's reader reads
/// to the same bytes.
fn canonical(body: &[u8]) -> bool {
    let mut rest = body;
    while rest.len() > LINE + 1 {
        let (line, tail) = rest.split_at(LINE + 1);
        // A fold, not `all`: without an early exit the check is vectorised.
        let base64 = line[..LINE].iter().fold(true, |ok, c| ok & is_base64(*c));
        if line[LINE] != b'\n' || !base64 {
            return false;
        }
        rest = tail;
    }
    let Some(last) = rest.strip_suffix(b"\n") else {
        return false;
    };
    if last.is_empty() || last.len() > LINE || !last.len().is_multiple_of(4) {
        return false;
    }
    let padding = last.iter().rev().take_while(|c| **c == b'=').count();
    let (data, _) = last.split_at(last.len() - padding);
    let Some(final_value) = data.last().map(|c| VALUES[usize::from(*c)]) else {
        return false;
    };
    // The bits of the last character past the data must be zero (base64's
    // canonical form, which age's decoder requires).
    let stray = match padding {
        0 => 0,
        1 => final_value & 0b11,
        2 => final_value & 0b1111,
        _ => return false,
    };
    stray == 0 && data.iter().all(|c| is_base64(*c))
}

fn is_base64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
}

/// The bytes a checked line decodes to.
fn decoded_len(line: &[u8]) -> usize {
    let padding = line.iter().rev().take_while(|c| **c == b'=').count();
    line.len() / 4 * 3 - padding
}

fn not_base64() -> io::Error {
    // `canonical` lets no such line through.
    io::Error::new(io::ErrorKind::InvalidData, "armor is not base64")
}

/// Decodes a full line, four characters to three bytes, into `out` (48 bytes).
fn decode_full(line: &[u8; LINE], out: &mut [u8]) -> io::Result<()> {
    let out: &mut [u8; LINE_BYTES] = out.try_into().map_err(|_| not_base64())?;
    let mut invalid = 0;
    for i in 0..LINE / 4 {
        let [a, b, c, d] = [0, 1, 2, 3].map(|k| VALUES[usize::from(line[4 * i + k])]);
        invalid |= a | b | c | d;
        let n = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d);
        out[3 * i] = (n >> 16) as u8;
        out[3 * i + 1] = (n >> 8) as u8;
        out[3 * i + 2] = n as u8;
    }
    if invalid & 0x80 == 0 {
        Ok(())
    } else {
        Err(not_base64())
    }
}

/// Decodes the last line, padding and all, into `out` ([`decoded_len`] bytes).
fn decode_last(line: &[u8], out: &mut [u8]) -> io::Result<()> {
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut written = 0;
    for c in line.iter().take_while(|c| **c != b'=') {
        let v = VALUES[usize::from(*c)];
        if v == INVALID {
            return Err(not_base64());
        }
        bits = bits << 6 | u32::from(v);
        count += 6;
        if count >= 8 {
            count -= 8;
            *out.get_mut(written).ok_or_else(not_base64)? = (bits >> count) as u8;
            written += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

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
            assert!(Canonical::new(&payload).is_some(), "{len} bytes: not read fast");
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
            assert!(
                Canonical::new(case.as_bytes()).is_none(),
                "case {i} was read fast"
            );
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
        assert!(Canonical::new(stray.as_bytes()).is_none());
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
            let fast = Canonical::new(&payload).is_some();
            let mine = by_reader(&payload);
            prop_assert_eq!(&mine, &by_age(&payload));
            if fast {
                prop_assert!(mine.is_ok());
            }
        }
    }
}
