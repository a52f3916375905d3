//! Secret text (app-specific passwords, passphrases, age identities).
//!
//! A [`SecretString`] is wiped from memory when dropped, prints as `<redacted>` in
//! `Debug`, has no `Display`, and is not `Clone`: a copy has to be asked for by name
//! ([`SecretString::duplicate`]) so that every copy is a visible decision.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

pub struct SecretString(Zeroizing<String>);

impl SecretString {
    pub fn new(value: String) -> Self {
        Self(Zeroizing::new(value))
    }

    /// The secret itself; keep the borrow short and never format it into a message.
    pub fn expose(&self) -> &str {
        self.0.as_str()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A second zeroizing copy, for the rare place that needs to own one.
    pub fn duplicate(&self) -> Self {
        Self::new(self.0.as_str().to_owned())
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self::new(value.to_owned())
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

impl PartialEq for SecretString {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for SecretString {}

// The vault plaintext is the only place a secret is serialised; the serialised buffer
// is itself held in a `Zeroizing` by the vault-file code.
impl Serialize for SecretString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

/// A growable text buffer for serialised secrets: when it needs more room it copies
/// into a larger buffer and zeroizes the old one, so no stale copy is left in freed
/// memory (a plain `String` reallocates without wiping).
pub struct ZeroizingBuffer(Zeroizing<String>);

impl ZeroizingBuffer {
    pub fn with_capacity(capacity: usize) -> Self {
        Self(Zeroizing::new(String::with_capacity(capacity)))
    }

    pub fn into_inner(self) -> Zeroizing<String> {
        self.0
    }
}

impl std::fmt::Write for ZeroizingBuffer {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        push_secret(&mut self.0, s);
        Ok(())
    }
}

/// The longest passphrase aspen accepts (16 KiB), in the TUI and the CLI alike, so a
/// passphrase set in one always works in the other.
pub const MAX_PASSPHRASE_BYTES: usize = 16 * 1024;

/// Appends to a secret without leaving a copy behind. `String::push` would move the
/// text to a bigger allocation and free the old one unwiped; here the text moves to a
/// new zeroizing buffer and the old one is wiped as it is dropped.
pub fn push_secret(buf: &mut Zeroizing<String>, s: &str) {
    if buf.capacity() - buf.len() < s.len() {
        let mut bigger = Zeroizing::new(String::with_capacity((buf.len() + s.len()).max(32) * 2));
        bigger.push_str(buf);
        *buf = bigger;
    }
    buf.push_str(s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let s = SecretString::from("abcd-efgh-ijkl-mnop");
        let shown = format!("{s:?} {:?}", Some(&s));
        assert!(!shown.contains("abcd"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn the_zeroizing_buffer_grows_and_keeps_everything() {
        use std::fmt::Write;
        let mut b = ZeroizingBuffer::with_capacity(4);
        for i in 0..100 {
            write!(b, "{i},").unwrap();
        }
        let text = b.into_inner();
        assert!(text.starts_with("0,1,2,"));
        assert!(text.ends_with("98,99,"));
    }
}
