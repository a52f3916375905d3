//! The setup card: what an app needs besides the password to sign in to iCloud
//! (Apple's servers, ports, the user name), one value per row, each copied on its
//! own; the password through the usual timed copy.

use super::{Outcome, step};
use crate::action::Action;
use crate::model::{Entry, EntryId, NotarySetup, Service, notary_setup, setup_card_for};

/// One row of the card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardRow {
    /// "IMAP server", "SMTP port", …
    pub name: String,
    /// What is shown and copied; `None` for the password (copied from the vault,
    /// never held here) or a value aspen does not know.
    pub value: Option<String>,
    /// Said under the card while the row is selected.
    pub note: String,
}

pub struct SetupCard {
    pub id: EntryId,
    pub label: String,
    pub apple_id: String,
    pub active: bool,
    pub rows: Vec<CardRow>,
    pub selected: usize,
    /// Where the last copy went, said in the card: the status line may be hidden
    /// behind it. True when it is a failure.
    pub said: Option<(bool, String)>,
}

fn short(service: Service) -> &'static str {
    match service {
        Service::MailIncoming => "IMAP",
        Service::MailOutgoing => "SMTP",
        Service::Calendars => "CalDAV",
        Service::Contacts => "CardDAV",
    }
}

impl SetupCard {
    /// `mail`: the iCloud Mail address of its Apple ID, when aspen knows it.
    pub fn new(e: &Entry, mail: Option<&str>) -> Self {
        let mut rows = vec![CardRow {
            name: "Password".to_owned(),
            value: None,
            note: if e.is_active() {
                "The app-specific password, never the Apple ID's own.".to_owned()
            } else {
                "Revoked at Apple: it no longer signs in; regenerate it first.".to_owned()
            },
        }];
        // Only what its apps use, when the entry says (all when it does not).
        for s in setup_card_for(&e.apple_id, mail, &e.uses) {
            let name = short(s.service);
            let what = s.service.describe();
            rows.push(CardRow {
                name: format!("{name} server"),
                value: Some(s.server.to_owned()),
                note: format!("{what}: {}", s.security),
            });
            if let Some(port) = s.port {
                rows.push(CardRow {
                    name: format!("{name} port"),
                    value: Some(port.to_string()),
                    note: format!("{what}: port {port}, {}", s.security),
                });
                // A mail app asks for it beside the port ("connection security").
                rows.push(CardRow {
                    name: format!("{name} security"),
                    value: Some(s.security.to_owned()),
                    note: format!("{what}: the connection security, on port {port}"),
                });
            }
            let note = match (&s.user_name, s.user_name_note) {
                (_, "") => format!("{what}: the user name"),
                (Some(_), note) => format!("{what}: {note}"),
                (None, note) => format!("{what}: type {note}"),
            };
            rows.push(CardRow {
                name: format!("{name} user name"),
                value: s.user_name.clone(),
                note,
            });
        }
        rows.extend(notary_setup(e).map(notary_rows).into_iter().flatten());
        Self {
            id: e.id.clone(),
            label: e.label.clone(),
            apple_id: e.apple_id.clone(),
            active: e.is_active(),
            rows,
            selected: 0,
            said: None,
        }
    }

    pub(super) fn on_action(&mut self, action: Action) -> Outcome {
        match action {
            Action::Down | Action::Up => {
                self.said = None;
                self.selected = step(self.selected, self.rows.len(), action == Action::Down);
                Outcome::Stay
            }
            Action::Confirm | Action::Copy => match self.rows.get(self.selected) {
                Some(CardRow {
                    value: Some(v), name, ..
                }) => Outcome::CopyValue {
                    what: format!("the {name}"),
                    value: v.clone(),
                },
                Some(_) if self.selected == 0 => Outcome::CopyPassword(self.id.clone()),
                _ => Outcome::Stay,
            },
            Action::Back => Outcome::Close,
            _ => Outcome::Stay,
        }
    }
}

/// notarytool's rows: the line to run once (shown whole in its note: the row shows
/// its start), then the Apple ID and team id it fills in.
fn notary_rows(n: NotarySetup) -> [CardRow; 3] {
    let what = "Notarizing (Xcode's notarytool)";
    [
        CardRow {
            name: "notarytool line".to_owned(),
            note: format!(
                "Run once in Terminal: {}. notarytool asks for the password: copy it on the \
                 Password row.",
                n.command
            ),
            value: Some(n.command),
        },
        CardRow {
            name: "Notary Apple ID".to_owned(),
            value: Some(n.apple_id),
            note: format!("{what}: --apple-id, the Apple ID"),
        },
        CardRow {
            name: "Notary team id".to_owned(),
            value: n.team_id,
            note: format!(
                "{what}: --team-id, the developer team id (developer.apple.com → Account → \
                 Membership details)"
            ),
        },
    ]
}
