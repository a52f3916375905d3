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
}
