//! Apple IDs as a whole: fixing a typo in one (its entries and resets move with
//! it), and forgetting one that no entry uses any more.

use jiff::civil::Date;

use super::{
    Event, HistoryEvent, ModelError, RevokeReason, SLOT_LIMIT, Superseded, Vault, normalise_apple_id,
};

impl Vault {
    /// Renames the Apple ID `old` to `new`: every entry and recorded reset moves.
    /// When `new` is already in the vault the two are joined, refused if a label
    /// would then appear twice or the active entries would pass Apple's 25. Returns
    /// how many entries moved.
    pub fn rename_apple_id(&mut self, old: &str, new: &str, today: Date) -> Result<usize, ModelError> {
        let old = self.known_account(old)?;
        let new = normalise_apple_id(new)?;
        if old == new {
            return Err(ModelError::AppleIdUnchanged { apple_id: new });
        }
        if let Some(clash) = self.entries.iter().filter(|e| e.apple_id == old).find(|e| {
            self.entries
                .iter()
                .any(|o| o.apple_id == new && o.label == e.label)
        }) {
            return Err(ModelError::DuplicateLabel {
                label: clash.label.clone(),
                apple_id: new,
            });
        }
        // An active entry of `old` holding an active password of `new` would become a
        // second entry of one slot there: folded by hand, as a move would be.
        if let Some(i) = (0..self.entries.len()).find(|&i| {
            let e = &self.entries[i];
            e.apple_id == old && e.is_active() && self.co_holders(i, &new).next().is_some()
        }) {
            self.ensure_one_entry_per_password(i, &new)?;
        }
        if self.active_count(&old) + self.active_count(&new) > SLOT_LIMIT {
            return Err(self.slots_full(&new, &[&old, &new]));
        }
        let revoked = self.revoked_by_the_join(&old, &new);
        for (i, on, reason) in revoked {
            super::ops::revoke_entry(&mut self.entries[i], on, reason, true, today);
        }
        let mut moved = 0;
        for entry in self.entries.iter_mut().filter(|e| e.apple_id == old) {
            entry.apple_id = new.clone();
            entry.history.push(HistoryEvent {
                date: today,
                event: Event::Edited(format!("Apple ID was {old}")),
            });
            moved += 1;
        }
        let moving = self
            .accounts
            .iter()
            .position(|a| a.apple_id == old)
            .map(|i| self.accounts.remove(i));
        self.ensure_account(&new);
        let account = self
            .accounts
            .iter_mut()
            .find(|a| a.apple_id == new)
            .expect("ensure_account added it");
        if let Some(moving) = moving {
            // A record joined here again (after an undone join marked it withdrawn
            // here) stands: its withdrawal must not drop it at the next merge.
            account
                .withdrawn
                .retain(|w| !moving.resets.contains(w) && !moving.revoke_alls.contains(w));
            account.resets.extend(moving.resets);
            account.revoke_alls.extend(moving.revoke_alls);
            account.withdrawn.extend(moving.withdrawn);
            account.audits.extend(moving.audits);
            if account.name.is_empty() {
                account.name = moving.name;
            }
            // An iCloud Mail address goes along, unless the new Apple ID is one.
            if account.mail.is_empty() && super::icloud_mail_address(&new).is_none() {
                account.mail = moving.mail;
            }
        }
        account.resets.sort_by_key(|r| (r.date, r.seq));
        account.revoke_alls.sort_by_key(|r| (r.date, r.seq));
        account.audits.sort_by_key(|a| a.date);
        Ok(moved)
    }

    /// Two spellings of one Apple ID joined: a reset or Revoke All recorded under one
    /// revoked the passwords of the other that existed then. The active entries of
    /// each that a record of the other revokes, with that record's day and kind.
    fn revoked_by_the_join(&self, old: &str, new: &str) -> Vec<(usize, Date, RevokeReason)> {
        (0..self.entries.len())
            .filter_map(|i| {
                let e = &self.entries[i];
                let other = match e.apple_id.as_str() {
                    a if a == old => new,
                    a if a == new => old,
                    _ => return None,
                };
                let made = Superseded {
                    created: e.created,
                    activated_seq: e.activated_seq,
                };
                let (on, reason) = self.record_revoking(other, &made)?;
                e.is_active().then_some((i, on, reason))
            })
            .collect()
    }

    /// Removes an Apple ID no entry uses (a typo, an account given up), so it leaves
    /// the slot gauges and every list of Apple IDs.
    pub fn forget_apple_id(&mut self, apple_id: &str) -> Result<(), ModelError> {
        let apple_id = self.known_account(apple_id)?;
        let entries = self.entries.iter().filter(|e| e.apple_id == apple_id).count();
        if entries > 0 {
            return Err(ModelError::AppleIdInUse { apple_id, entries });
        }
        self.accounts.retain(|a| a.apple_id != apple_id);
        Ok(())
    }
}

/// Pairs of phone-number Apple IDs that differ only by a 0 right after a country
/// code (one to three digits): `(+4402079460958, +442079460958)`. Before aspen
/// dropped the trunk prefix written as "(0)", `+44 (0)20 7946 0958` was stored with
/// its 0, so a vault may hold one number as two Apple IDs. A 0 that is dialled from
/// abroad (Italy's +39 06 …) is flagged only when its 0-less twin is in the vault
/// too; joining them is the user's call (`rename_apple_id`).
pub fn phone_respellings(vault: &Vault) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let phones = vault
        .accounts
        .iter()
        .filter(|a| a.apple_id.starts_with('+') && a.apple_id.is_ascii());
    for a in phones {
        let id = &a.apple_id;
        for cc in 1..=3 {
            if id.as_bytes().get(1 + cc) != Some(&b'0') {
                continue;
            }
            let twin = format!("{}{}", &id[..1 + cc], &id[2 + cc..]);
            if vault.account(&twin).is_some() {
                pairs.push((id.clone(), twin));
            }
        }
    }
    pairs
}
