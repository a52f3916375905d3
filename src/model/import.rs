//! Many new entries at once, from another tool's export ([`super::Change::Import`]):
//! each goes through exactly the rules of one add ([`Vault::add`]); what a rule
//! refuses is left out with that refusal, the rest is added in the same change.

use jiff::civil::Date;

use super::{EntryId, ModelError, NewEntry, Status, Vault};

/// One entry an import added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    /// Its place in the list given to the import, from 0.
    pub index: usize,
    pub id: EntryId,
    pub label: String,
    pub apple_id: String,
    /// Created before this recorded reset of its Apple ID: added as revoked by it.
    pub revoked_by_reset: Option<Date>,
}

/// One entry an import left out, and the rule that refused it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotImported {
    /// Its place in the list given to the import, from 0.
    pub index: usize,
    /// As given (not yet validated: it may be what the rule refused).
    pub label: String,
    pub apple_id: String,
    pub why: ModelError,
}

/// What an import did: added in order, and refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    pub added: Vec<Imported>,
    pub skipped: Vec<NotImported>,
}

impl Vault {
    /// Adds each of `news` in order by the rules of [`Vault::add`] (a later one sees
    /// the earlier ones: one label once, 25 slots, one entry per password), taking
    /// one id from `ids` for each. What a rule refuses is left out with its refusal;
    /// without enough ids nothing is added. Used for a preview on a copy as well.
    pub fn import(
        &mut self,
        news: Vec<NewEntry>,
        today: Date,
        ids: &mut dyn Iterator<Item = EntryId>,
    ) -> Result<ImportOutcome, ModelError> {
        let ids: Vec<EntryId> = ids.take(news.len()).collect();
        if ids.len() < news.len() {
            return Err(ModelError::NoIdDrawn);
        }
        let mut outcome = ImportOutcome::default();
        for (index, (new, id)) in news.into_iter().zip(ids).enumerate() {
            let (label, apple_id) = (new.label.clone(), new.apple_id.clone());
            // What is already there says so first, whatever else a rule would say.
            if let Some(why) = self.held(&new) {
                outcome.skipped.push(NotImported {
                    index,
                    label,
                    apple_id,
                    why,
                });
                continue;
            }
            match self.add(id, new, today) {
                Ok(e) => outcome.added.push(Imported {
                    index,
                    id: e.id.clone(),
                    label: e.label.clone(),
                    apple_id: e.apple_id.clone(),
                    revoked_by_reset: match e.status {
                        Status::Revoked { on, .. } => Some(on),
                        Status::Active => None,
                    },
                }),
                Err(why) => outcome.skipped.push(NotImported {
                    index,
                    label,
                    apple_id,
                    why,
                }),
            }
        }
        Ok(outcome)
    }

    /// [`ModelError::PasswordHeld`] when an active entry of the Apple ID holds the
    /// password already (the same entry, when its label is the same too).
    fn held(&self, new: &NewEntry) -> Option<ModelError> {
        let holder = self.holder_of(&new.apple_id, new.password.as_ref()?)?;
        Some(ModelError::PasswordHeld {
            holder: holder.label.clone(),
            apple_id: holder.apple_id.clone(),
            label: new.label.trim().to_owned(),
        })
    }

    /// [`Vault::import`] as a change: refused when no entry could be added, so that
    /// nothing is saved for it.
    pub(super) fn imported(
        &mut self,
        news: Vec<NewEntry>,
        today: Date,
        ids: &mut dyn Iterator<Item = EntryId>,
    ) -> Result<super::Done, ModelError> {
        let offered = news.len();
        let outcome = self.import(news, today, ids)?;
        if outcome.added.is_empty() {
            return Err(ModelError::NothingImported { offered });
        }
        Ok(super::Done::Imported(outcome))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Password, SLOT_LIMIT};
    use crate::secret::SecretString;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn id(n: u8) -> EntryId {
        EntryId::from_random([n; 16])
    }

    fn asp(n: usize) -> Password {
        let letters: String = (0..16)
            .map(|i| char::from(b'a' + ((n * 7 + i * 3 + n / 26) % 26) as u8))
            .collect();
        Password::parse(SecretString::new(letters), false).unwrap()
    }

    fn new(label: &str, apple_id: &str, n: usize) -> NewEntry {
        NewEntry {
            label: label.to_owned(),
            apple_id: apple_id.to_owned(),
            apps: vec![label.to_owned()],
            password: Some(asp(n)),
            created: day("2026-01-10"),
            notes: String::new(),
            uses: Vec::new(),
            team_id: String::new(),
        }
    }

    fn ids(from: u8) -> impl Iterator<Item = EntryId> {
        (from..=u8::MAX).map(id)
    }

    #[test]
    fn each_entry_meets_the_rules_of_one_add_and_the_refused_are_left_out() {
        let today = day("2026-11-20");
        let mut vault = Vault::default();
        vault.add(id(0), new("Mail", "me@icloud.com", 0), today).unwrap();
        let news = vec![
            new("Thunderbird", "me@icloud.com", 1),
            new("Mail", "me@icloud.com", 2),
            new("Again", "me@icloud.com", 0),
            new("Bad\u{202e}label", "me@icloud.com", 3),
        ];
        let outcome = vault.import(news, today, &mut ids(1)).unwrap();
        let added: Vec<&str> = outcome.added.iter().map(|a| a.label.as_str()).collect();
        assert_eq!(added, ["Thunderbird"]);
        let why: Vec<&ModelError> = outcome.skipped.iter().map(|s| &s.why).collect();
        assert!(matches!(why[0], ModelError::DuplicateLabel { .. }), "{why:?}");
        assert!(matches!(why[1], ModelError::PasswordHeld { .. }), "{why:?}");
        assert!(matches!(why[2], ModelError::InvalidField { .. }), "{why:?}");
        assert_eq!(vault.entries.len(), 2);
    }

    #[test]
    fn the_twenty_sixth_is_refused_and_a_reset_revokes_what_it_predates() {
        let today = day("2026-11-20");
        let mut vault = Vault::default();
        let news = (0..SLOT_LIMIT + 1)
            .map(|n| new(&format!("App {n}"), "me@icloud.com", n))
            .collect();
        let outcome = vault.import(news, today, &mut ids(0)).unwrap();
        assert_eq!(outcome.added.len(), SLOT_LIMIT);
        assert!(matches!(outcome.skipped[0].why, ModelError::SlotsFull { .. }));

        let mut vault = Vault::default();
        vault
            .add(id(0), new("Mail", "kid@icloud.com", 40), today)
            .unwrap();
        vault.reset("kid@icloud.com", day("2026-02-01"), today).unwrap();
        let outcome = vault
            .import(vec![new("Old", "kid@icloud.com", 41)], today, &mut ids(1))
            .unwrap();
        assert_eq!(outcome.added[0].revoked_by_reset, Some(day("2026-02-01")));
    }

    #[test]
    fn without_ids_or_with_nothing_added_nothing_changes() {
        let today = day("2026-11-20");
        let mut vault = Vault::default();
        let news = vec![new("Mail", "me@icloud.com", 1)];
        assert_eq!(
            vault.import(news, today, &mut std::iter::empty()),
            Err(ModelError::NoIdDrawn)
        );
        vault.add(id(0), new("Mail", "me@icloud.com", 1), today).unwrap();
        let again = vec![new("Mail", "me@icloud.com", 1)];
        assert_eq!(
            vault.imported(again, today, &mut ids(1)),
            Err(ModelError::NothingImported { offered: 1 })
        );
        assert_eq!(vault.entries.len(), 1);
    }
}
