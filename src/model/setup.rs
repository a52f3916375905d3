//! What an app needs besides the password, to sign in to iCloud: Apple's servers,
//! ports and user names, with the Apple ID filled in.

use serde::Serialize;

/// One thing an app may use an app-specific password for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Service {
    MailIncoming,
    MailOutgoing,
    Calendars,
    Contacts,
}

impl Service {
    pub const ALL: [Self; 4] = [
        Self::MailIncoming,
        Self::MailOutgoing,
        Self::Calendars,
        Self::Contacts,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            Self::MailIncoming => "iCloud Mail, incoming (IMAP)",
            Self::MailOutgoing => "iCloud Mail, outgoing (SMTP)",
            Self::Calendars => "calendars (CalDAV)",
            Self::Contacts => "contacts (CardDAV)",
        }
    }
}

/// The settings for one service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setting {
    pub service: Service,
    pub server: &'static str,
    pub port: Option<u16>,
    pub security: &'static str,
    /// The user name the app asks for, when aspen knows it.
    pub user_name: Option<String>,
    /// What to type when `user_name` is unknown, or a caveat about it.
    pub user_name_note: &'static str,
}

/// Apple's own mail domains: an Apple ID there is also the iCloud Mail address.
pub fn icloud_mail_address(apple_id: &str) -> Option<String> {
    let (_, domain) = apple_id.rsplit_once('@')?;
    ["icloud.com", "me.com", "mac.com"]
        .contains(&domain)
        .then(|| apple_id.to_owned())
}

/// Every service's settings for an app signing in as `apple_id`; `mail`: the iCloud
/// Mail address recorded for it ([`super::Vault::mail_address`]), when it is not one.
pub fn setup_card(apple_id: &str, mail: Option<&str>) -> Vec<Setting> {
    let mail = icloud_mail_address(apple_id).or_else(|| mail.map(str::to_owned));
    let mail_note = if mail.is_some() {
        ""
    } else {
        "your iCloud Mail address (…@icloud.com), which may differ from the Apple ID"
    };
    Service::ALL
        .into_iter()
        .map(|service| match service {
            Service::MailIncoming => Setting {
                service,
                server: "imap.mail.me.com",
                port: Some(993),
                security: "SSL/TLS",
                user_name: mail.clone(),
                user_name_note: if mail.is_some() {
                    "some apps want only the part before the @"
                } else {
                    mail_note
                },
            },
            Service::MailOutgoing => Setting {
                service,
                server: "smtp.mail.me.com",
                port: Some(587),
                security: "STARTTLS",
                user_name: mail.clone(),
                user_name_note: if mail.is_some() {
                    "the full address"
                } else {
                    mail_note
                },
            },
            Service::Calendars => Setting {
                service,
                server: "https://caldav.icloud.com",
                port: None,
                security: "HTTPS",
                user_name: Some(apple_id.to_owned()),
                user_name_note: "the Apple ID",
            },
            Service::Contacts => Setting {
                service,
                server: "https://contacts.icloud.com",
                port: None,
                security: "HTTPS",
                user_name: Some(apple_id.to_owned()),
                user_name_note: "the Apple ID",
            },
        })
        .collect()
}

/// The settings for what an entry's apps use it for; every service when that is
/// not recorded.
pub fn setup_card_for(apple_id: &str, mail: Option<&str>, uses: &[super::Use]) -> Vec<Setting> {
    use super::Use;
    let wanted = |service: Service| {
        uses.is_empty()
            || match service {
                Service::MailIncoming | Service::MailOutgoing => uses.contains(&Use::Mail),
                Service::Calendars => uses.contains(&Use::Calendar),
                Service::Contacts => uses.contains(&Use::Contacts),
            }
    };
    setup_card(apple_id, mail)
        .into_iter()
        .filter(|s| wanted(s.service))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apples_servers_with_the_apple_id_filled_in() {
        let card = setup_card("me@icloud.com", None);
        assert_eq!(card.len(), 4);
        assert_eq!(
            (card[0].server, card[0].port, card[0].security),
            ("imap.mail.me.com", Some(993), "SSL/TLS")
        );
        assert_eq!(
            (card[1].server, card[1].port, card[1].security),
            ("smtp.mail.me.com", Some(587), "STARTTLS")
        );
        assert_eq!(card[2].server, "https://caldav.icloud.com");
        assert_eq!(card[3].server, "https://contacts.icloud.com");
        assert!(
            card.iter()
                .all(|s| s.user_name.as_deref() == Some("me@icloud.com"))
        );
        // An Apple ID elsewhere says nothing about the iCloud Mail address.
        let card = setup_card("jane@example.org", None);
        assert_eq!(card[0].user_name, None);
        assert!(card[0].user_name_note.contains("iCloud Mail address"));
        assert_eq!(card[2].user_name.as_deref(), Some("jane@example.org"));
        // Its iCloud Mail address recorded: the mail apps' user name.
        let card = setup_card("jane@example.org", Some("jane.doe@icloud.com"));
        assert_eq!(card[0].user_name.as_deref(), Some("jane.doe@icloud.com"));
        assert_eq!(card[1].user_name.as_deref(), Some("jane.doe@icloud.com"));
        assert_eq!(card[2].user_name.as_deref(), Some("jane@example.org"));
    }

    #[test]
    fn the_card_shows_what_the_apps_use() {
        use crate::model::Use;
        let services = |uses: &[Use]| -> Vec<Service> {
            setup_card_for("me@icloud.com", None, uses)
                .iter()
                .map(|s| s.service)
                .collect()
        };
        assert_eq!(services(&[Use::Calendar]), vec![Service::Calendars]);
        assert_eq!(
            services(&[Use::Mail, Use::Contacts]),
            vec![Service::MailIncoming, Service::MailOutgoing, Service::Contacts]
        );
        assert_eq!(services(&[]).len(), 4, "not recorded: everything");
    }
}
