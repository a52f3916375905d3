//! An Apple ID's iCloud Mail address: the user name of mail apps (IMAP, SMTP) and of
//! `aspen verify`'s IMAP sign-in. An Apple ID at one of Apple's mail domains is its
//! own; for any other (another provider's address, a phone number) the user records
//! it once, on the Apple ID. Stamped and merged with the Apple ID's name.

use super::{AppleAccount, ModelError, Vault, icloud_mail_address};

/// The longest address taken (RFC 5321's limit for a mailbox path).
const MAX_MAIL_CHARS: usize = 254;

/// `address` as an iCloud Mail address, lowercased (`Jane.Doe@iCloud.com` is
/// `jane.doe@icloud.com` at Apple); empty stays empty (no address).
pub fn validate_icloud_mail(address: &str) -> Result<String, ModelError> {
    let address = address.trim();
    if address.is_empty() {
        return Ok(String::new());
    }
    let invalid = |problem: &str| ModelError::InvalidField {
        field: "iCloud Mail address",
        problem: problem.to_owned(),
    };
    if crate::text::has_hidden(address) {
        return Err(invalid(
            "holds control or invisible characters (tabs, line breaks, escape codes, direction \
             marks, zero-width or tag characters)",
        ));
    }
    if address.chars().any(char::is_whitespace) {
        return Err(invalid("holds white space"));
    }
    if address.chars().count() > MAX_MAIL_CHARS {
        return Err(invalid("is longer than an e-mail address can be"));
    }
    let address = address.to_lowercase();
    let local = address.rsplit_once('@').map_or("", |(local, _)| local);
    if local.is_empty() || local.contains('@') || icloud_mail_address(&address).is_none() {
        return Err(ModelError::NotIcloudMail { address });
    }
    Ok(address)
}

impl AppleAccount {
    /// The iCloud Mail address its mail apps sign in with: the Apple ID itself at
    /// Apple's mail domains, else the one recorded; `None` when aspen does not know it.
    pub fn mail_address(&self) -> Option<String> {
        icloud_mail_address(&self.apple_id).or_else(|| (!self.mail.is_empty()).then(|| self.mail.clone()))
    }
}

impl Vault {
    /// The iCloud Mail address the mail apps of `apple_id` sign in with (see
    /// [`AppleAccount::mail_address`]).
    pub fn mail_address(&self, apple_id: &str) -> Option<String> {
        match self.account(apple_id) {
            Some(a) => a.mail_address(),
            None => icloud_mail_address(apple_id),
        }
    }

    /// Records `mail` as the iCloud Mail address of `apple_id`; an empty `mail`
    /// clears it. Refused for an Apple ID that is an iCloud Mail address itself
    /// (clearing is not). Returns the Apple ID as the vault spells it and the
    /// address as recorded.
    pub fn set_mail(&mut self, apple_id: &str, mail: &str) -> Result<(String, String), ModelError> {
        let apple_id = self.known_account(apple_id)?;
        let mail = validate_icloud_mail(mail)?;
        if !mail.is_empty() && icloud_mail_address(&apple_id).is_some() {
            return Err(ModelError::OwnIcloudMail { apple_id });
        }
        let account = self
            .accounts
            .iter_mut()
            .find(|a| a.apple_id == apple_id)
            .expect("known_account found it");
        account.mail = mail.clone();
        Ok((apple_id, mail))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_apples_mail_domains_lowercased() {
        assert_eq!(
            validate_icloud_mail(" Jane.Doe@iCloud.com ").unwrap(),
            "jane.doe@icloud.com"
        );
        assert_eq!(validate_icloud_mail("j@me.com").unwrap(), "j@me.com");
        assert_eq!(validate_icloud_mail("j@mac.com").unwrap(), "j@mac.com");
        assert_eq!(validate_icloud_mail("").unwrap(), "");
        for bad in [
            "jane@gmail.com",
            "@icloud.com",
            "icloud.com",
            "a@b@icloud.com",
            "j@icloud.com.evil",
        ] {
            assert!(
                matches!(validate_icloud_mail(bad), Err(ModelError::NotIcloudMail { .. })),
                "{bad}"
            );
        }
        assert!(matches!(
            validate_icloud_mail("jane doe@icloud.com"),
            Err(ModelError::InvalidField { .. })
        ));
        assert!(matches!(
            validate_icloud_mail("jane\u{1b}[2J@icloud.com"),
            Err(ModelError::InvalidField { .. })
        ));
    }
}
