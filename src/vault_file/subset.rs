//! A fast reader for the RON that aspen writes in a vault's payload.
//!
//! The `ron` crate spent most of an `aspen list` in its tokenizer: a function call
//! and a Unicode table look-up per character of every identifier and of every run of
//! indentation. This reader walks bytes. It reads a strict subset of RON: anonymous
//! structs, tuples, lists, maps, `Some`/`None`, enums, plain and raw (`r#`)
//! identifiers in ASCII, decimal integers and strings with the escapes `ron` writes,
//! separated by ASCII whitespace. Anything else (a comment, a struct name, a raw
//! string, a `1_000`, a field it does not know) is refused, and the caller parses the
//! text again with `ron`, which reads it or says what is wrong in its own words.
//!
//! So the rule this reader keeps is: whatever it accepts, `ron` accepts with the same
//! value. It reads only aspen's own types, which use no `flatten`, no untagged enums
//! and no recursion (so nesting, and the stack, are bounded by the types).
//! `tests/it/ron_subset.rs`, `tests/it/parser_props.rs` and the fuzzers compare the
//! two readers.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};
use zeroize::Zeroizing;

/// The text is not in the subset (or a value in it is invalid): `ron` decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not in the RON subset aspen writes")
    }
}

impl std::error::Error for Refused {}

impl de::Error for Refused {
    // The message is dropped: the caller asks `ron` again, which words its own.
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Refused
    }
}

type Result<T> = std::result::Result<T, Refused>;

/// Reads `text` as a `T`, all of it.
pub fn from_str<'de, T: de::Deserialize<'de>>(text: &'de str) -> Result<T> {
    let mut reader = Reader { text, pos: 0 };
    let value = T::deserialize(&mut reader)?;
    reader.skip_ws();
    if reader.pos == text.len() {
        Ok(value)
    } else {
        Err(Refused)
    }
}

struct Reader<'de> {
    text: &'de str,
    pos: usize,
}

/// A string as read: borrowed from the text, or unescaped into a buffer that is
/// wiped when dropped (it may hold a password).
enum Text<'de> {
    Borrowed(&'de str),
    Unescaped(Zeroizing<String>),
}

impl<'de> Reader<'de> {
    fn bytes(&self) -> &'de [u8] {
        self.text.as_bytes()
    }

    /// RON's whitespace that aspen writes; other whitespace and comments are refused
    /// where a token is expected.
    fn skip_ws(&mut self) {
        let bytes = self.bytes();
        loop {
            // Indentation, most of the whitespace, eight spaces at a time.
            if bytes.get(self.pos..self.pos + 8) == Some(b"        ") {
                self.pos += 8;
            } else if let Some(b' ' | b'\n' | b'\t' | b'\r') = bytes.get(self.pos) {
                self.pos += 1;
            } else {
                return;
            }
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.bytes().get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, byte: u8) -> Result<()> {
        if self.eat(byte) { Ok(()) } else { Err(Refused) }
    }

    fn run(&self, from: usize, part: impl Fn(u8) -> bool) -> usize {
        let rest = &self.bytes()[from..];
        from + rest.iter().position(|b| !part(*b)).unwrap_or(rest.len())
    }

    /// An identifier, without the `r#` of a raw one. Refused where `ron` might read
    /// more into it: a non-ASCII character (it may continue an identifier), or one
    /// of `.+-` after a plain identifier (`ron` asks for a raw one).
    fn identifier(&mut self) -> Result<&'de str> {
        self.skip_ws();
        let start = self.pos;
        let bytes = self.bytes();
        let (from, end) = if bytes[start..].starts_with(b"r#") {
            let end = self.run(start + 2, |b| {
                b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'+' | b'-')
            });
            (start + 2, end)
        } else {
            match bytes.get(start) {
                Some(b) if b.is_ascii_alphabetic() || *b == b'_' => {}
                _ => return Err(Refused),
            }
            (start, self.run(start, |b| b.is_ascii_alphanumeric() || b == b'_'))
        };
        if end == from || matches!(bytes.get(end), Some(b) if !b.is_ascii() || b"\"'.+-#".contains(b)) {
            return Err(Refused);
        }
        self.pos = end;
        self.text.get(from..end).ok_or(Refused)
    }

    /// `true`, `None`, `Some`…: `ron` reads these only as plain identifiers.
    fn keyword(&mut self) -> Result<&'de str> {
        self.skip_ws();
        if self.bytes()[self.pos..].starts_with(b"r#") {
            return Err(Refused);
        }
        self.identifier()
    }

    fn string(&mut self) -> Result<Text<'de>> {
        self.expect(b'"')?;
        let start = self.pos;
        let end = self.run(start, |b| b != b'"' && b != b'\\');
        match self.bytes().get(end) {
            Some(b'"') => {
                self.pos = end + 1;
                Ok(Text::Borrowed(self.text.get(start..end).ok_or(Refused)?))
            }
            Some(_) => self.unescape(start).map(Text::Unescaped),
            None => Err(Refused),
        }
    }

    /// A string holding escapes, from its first byte after the quote.
    fn unescape(&mut self, start: usize) -> Result<Zeroizing<String>> {
        let mut out = Zeroizing::new(String::with_capacity(2 * (self.text.len() - start).min(64)));
        self.pos = start;
        loop {
            let end = self.run(self.pos, |b| b != b'"' && b != b'\\');
            crate::secret::push_secret(&mut out, self.text.get(self.pos..end).ok_or(Refused)?);
            match self.bytes().get(end) {
                Some(b'"') => {
                    self.pos = end + 1;
                    return Ok(out);
                }
                Some(_) => {
                    self.pos = end + 1;
                    let c = self.escape()?;
                    crate::secret::push_secret(&mut out, c.encode_utf8(&mut [0; 4]));
                }
                None => return Err(Refused),
            }
        }
    }

    /// The character an escape stands for, after its backslash: the ones `ron`
    /// writes (Rust's `escape_debug`). `\x` and line continuations are refused.
    fn escape(&mut self) -> Result<char> {
        let c = match self.bytes().get(self.pos) {
            Some(b'\'') => '\'',
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'0') => '\0',
            Some(b'u') if self.bytes().get(self.pos + 1) == Some(&b'{') => {
                let digits = self.pos + 2;
                let end = self.run(digits, |b| b.is_ascii_hexdigit());
                if !(1..=6).contains(&(end - digits)) || self.bytes().get(end) != Some(&b'}') {
                    return Err(Refused);
                }
                let hex = self.text.get(digits..end).ok_or(Refused)?;
                let code = u32::from_str_radix(hex, 16).map_err(|_| Refused)?;
                self.pos = end;
                char::from_u32(code).ok_or(Refused)?
            }
            _ => return Err(Refused),
        };
        self.pos += 1;
        Ok(c)
    }

    /// A decimal integer without sign, leading zeros or underscores.
    fn unsigned(&mut self) -> Result<u64> {
        self.skip_ws();
        let start = self.pos;
        let end = self.run(start, |b| b.is_ascii_digit());
        let digits = &self.bytes()[start..end];
        let follows = self.bytes().get(end);
        if digits.is_empty()
            || (digits[0] == b'0' && digits.len() > 1)
            || matches!(follows, Some(b) if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
        {
            return Err(Refused);
        }
        let mut n: u64 = 0;
        for d in digits {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(d - b'0')))
                .ok_or(Refused)?;
        }
        self.pos = end;
        Ok(n)
    }

    fn signed(&mut self) -> Result<i64> {
        let negative = self.eat(b'-');
        if negative && !self.bytes().get(self.pos).is_some_and(u8::is_ascii_digit) {
            return Err(Refused);
        }
        let n = self.unsigned()?;
        if negative {
            0i64.checked_sub_unsigned(n).ok_or(Refused)
        } else {
            i64::try_from(n).map_err(|_| Refused)
        }
    }

    /// After an element or a map value: its comma, if any.
    fn comma(&mut self) -> bool {
        self.eat(b',')
    }
}

/// Numbers convert as `ron` does: one out of the type's range is an error.
macro_rules! integer {
    ($name:ident, $visit:ident, $read:ident) => {
        fn $name<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            let n = self.$read()?;
            visitor.$visit(n.try_into().map_err(|_| Refused)?)
        }
    };
}

/// What the subset has no use for: `ron` reads it.
macro_rules! refused {
    ($($name:ident),*) => {
        $(fn $name<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
            Err(Refused)
        })*
    };
}

impl<'de> Deserializer<'de> for &mut Reader<'de> {
    type Error = Refused;

    integer!(deserialize_u8, visit_u8, unsigned);
    integer!(deserialize_u16, visit_u16, unsigned);
    integer!(deserialize_u32, visit_u32, unsigned);
    integer!(deserialize_u64, visit_u64, unsigned);
    integer!(deserialize_i8, visit_i8, signed);
    integer!(deserialize_i16, visit_i16, signed);
    integer!(deserialize_i32, visit_i32, signed);
    integer!(deserialize_i64, visit_i64, signed);

    refused!(
        deserialize_any,
        deserialize_ignored_any,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_unit
    );

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.keyword()? {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => Err(Refused),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.string()? {
            Text::Borrowed(s) => visitor.visit_borrowed_str(s),
            // The visitor copies what it keeps; the buffer is wiped here.
            Text::Unescaped(s) => visitor.visit_str(&s),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.keyword()? {
            "None" => visitor.visit_none(),
            "Some" => {
                self.expect(b'(')?;
                let value = visitor.visit_some(&mut *self)?;
                self.comma();
                self.expect(b')')?;
                Ok(value)
            }
            _ => Err(Refused),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, _visitor: V) -> Result<V::Value> {
        Err(Refused)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value> {
        Err(Refused)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.expect(b'[')?;
        let value = visitor.visit_seq(Separated::new(self, b']'))?;
        self.expect(b']')?;
        Ok(value)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.expect(b'(')?;
        let value = visitor.visit_seq(Separated::new(self, b')'))?;
        self.expect(b')')?;
        Ok(value)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value> {
        Err(Refused)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.expect(b'{')?;
        let value = visitor.visit_map(Separated::new(self, b'}'))?;
        self.expect(b'}')?;
        Ok(value)
    }

    /// An anonymous struct, `(field: value, …)`: aspen writes no struct names.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.expect(b'(')?;
        let value = visitor.visit_map(Separated::fields(self))?;
        self.expect(b')')?;
        Ok(value)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_enum(self)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_str(self.identifier()?)
    }
}

/// The elements of a list or tuple, or the entries of a map or struct, with `ron`'s
/// rule for commas: one between elements, one allowed after the last.
struct Separated<'a, 'de> {
    reader: &'a mut Reader<'de>,
    end: u8,
    /// Keys are identifiers (a struct's fields), not values (a map's keys).
    fields: bool,
    had_comma: bool,
}

impl<'a, 'de> Separated<'a, 'de> {
    fn new(reader: &'a mut Reader<'de>, end: u8) -> Self {
        Self {
            reader,
            end,
            fields: false,
            had_comma: true,
        }
    }

    fn fields(reader: &'a mut Reader<'de>) -> Self {
        Self {
            fields: true,
            ..Self::new(reader, b')')
        }
    }

    fn has_element(&mut self) -> Result<bool> {
        let at_end = self.reader.peek() == Some(self.end);
        match (self.had_comma, at_end) {
            (true, at_end) => Ok(!at_end),
            (false, true) => Ok(false),
            (false, false) => Err(Refused),
        }
    }
}

impl<'de> de::SeqAccess<'de> for Separated<'_, 'de> {
    type Error = Refused;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !self.has_element()? {
            return Ok(None);
        }
        let value = seed.deserialize(&mut *self.reader)?;
        self.had_comma = self.reader.comma();
        Ok(Some(value))
    }
}

impl<'de> de::MapAccess<'de> for Separated<'_, 'de> {
    type Error = Refused;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.has_element()? {
            return Ok(None);
        }
        if self.fields {
            let name = self.reader.identifier()?;
            seed.deserialize(name.into_deserializer()).map(Some)
        } else {
            seed.deserialize(&mut *self.reader).map(Some)
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        self.reader.expect(b':')?;
        let value = seed.deserialize(&mut *self.reader)?;
        self.had_comma = self.reader.comma();
        Ok(value)
    }
}

impl<'de> de::EnumAccess<'de> for &mut Reader<'de> {
    type Error = Refused;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let name = self.identifier()?;
        Ok((seed.deserialize(name.into_deserializer())?, self))
    }
}

impl<'de> de::VariantAccess<'de> for &mut Reader<'de> {
    type Error = Refused;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        self.expect(b'(')?;
        let value = seed.deserialize(&mut *self)?;
        self.comma();
        self.expect(b')')?;
        Ok(value)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_tuple(len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_struct("", fields, visitor)
    }
}
