//! Retiring: after a revoke, Revoke All or reset, an app that no longer exists needs
//! no new password. Retiring the entry stops aspen asking to regenerate it; retiring
//! one app drops it from the entry's apps while the others keep it. Both stay in the
//! history, and `unretire` undoes the first.

use jiff::civil::Date;

use super::{EntryId, Event, HistoryEvent, ModelError, Status, Vault};

impl Vault {
    /// No app needs the revoked entry `id` any more: it no longer waits to be
    /// regenerated.
    pub fn retire(&mut self, id: &EntryId, today: Date) -> Result<(), ModelError> {
        let i = self.index(id)?;
        let entry = &mut self.entries[i];
        match &mut entry.status {
            Status::Active => Err(ModelError::RetireActive {
                label: entry.label.clone(),
            }),
            Status::Revoked {
                needs_replacement: false,
                ..
            } => Err(ModelError::AlreadyRetired {
                label: entry.label.clone(),
            }),
            Status::Revoked {
                needs_replacement, ..
            } => {
                *needs_replacement = false;
                entry.history.push(HistoryEvent {
                    date: today,
                    event: Event::Edited("retired: no app needs a password any more".to_owned()),
                });
                Ok(())
            }
        }
    }

    /// The app `app` stopped using entry `id`; the entry's other apps keep it. When
    /// it is the entry's last app, the entry itself is retired (it must be revoked).
    pub fn retire_app(&mut self, id: &EntryId, app: &str, today: Date) -> Result<(), ModelError> {
        let i = self.index(id)?;
        let app = app.trim();
        let entry = &self.entries[i];
        let Some(pos) = entry.apps.iter().position(|a| a == app) else {
            return Err(ModelError::UnknownApp {
                label: entry.label.clone(),
                app: app.to_owned(),
                apps: entry.apps.clone(),
            });
        };
        if entry.apps.len() == 1 {
            return self.retire(id, today);
        }
        let entry = &mut self.entries[i];
        let gone = entry.apps.remove(pos);
        entry.history.push(HistoryEvent {
            date: today,
            event: Event::Edited(format!("retired the app \"{gone}\"; the other apps keep it")),
        });
        Ok(())
    }

    /// Undoes [`Vault::retire`]: the revoked entry's apps need a password again.
    pub fn unretire(&mut self, id: &EntryId, today: Date) -> Result<(), ModelError> {
        let i = self.index(id)?;
        let entry = &mut self.entries[i];
        match &mut entry.status {
            Status::Revoked {
                needs_replacement: needs @ false,
                ..
            } => {
                *needs = true;
                entry.history.push(HistoryEvent {
                    date: today,
                    event: Event::Edited("unretired: its apps need a password again".to_owned()),
                });
                Ok(())
            }
            _ => Err(ModelError::NotRetired {
                label: entry.label.clone(),
            }),
        }
    }
}
