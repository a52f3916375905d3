//! What a merge could not decide, kept on the entry until the user does: the value
//! the merge did not pick, never thrown away (a password least of all).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Entry, EntryId, Field, ModelError, Password, Status, Use, Vault};

/// The other side's value of one field, or another kind of disagreement.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Conflict {
    Label(String),
    AppleId(String),
    Apps(Vec<String>),
    /// Both sides stored a new password: both may be active at Apple.
    Password {
        password: Option<Password>,
        created: Date,
        activated_seq: u64,
    },
    Status(Status),
    Notes(String),
    /// Written by the first builds of format 3, before the team id was kept too.
    Uses(Vec<Use>),
    UsesFor {
        uses: Vec<Use>,
        /// The Apple developer team id, when the uses include notarization.
        team_id: String,
    },
    /// One copy deleted the entry on `date`, the other changed it since: kept.
    DeletedElsewhere {
        date: Date,
    },
    /// Another machine added an entry with this entry's label under the same Apple ID;
    /// this one was renamed from `label` to keep both.
    SameLabel {
        label: String,
        other: EntryId,
    },
}

impl Conflict {
    /// The field it is about, if it is about one field.
    pub fn field(&self) -> Option<Field> {
        Some(match self {
            Self::Label(_) => Field::Label,
            Self::AppleId(_) => Field::AppleId,
            Self::Apps(_) => Field::Apps,
            Self::Password { .. } => Field::Password,
            Self::Status(_) => Field::Status,
            Self::Notes(_) => Field::Notes,
            Self::Uses(_) | Self::UsesFor { .. } => Field::Uses,
            Self::DeletedElsewhere { .. } | Self::SameLabel { .. } => return None,
        })
    }

    /// In words, never with a password.
    pub fn describe(&self) -> String {
        match self {
            Self::Label(l) => format!("the label is \"{l}\" in the copy merged in"),
            Self::AppleId(a) => format!("the Apple ID is {a} in the copy merged in"),
            Self::Apps(apps) => format!("the apps are {} in the copy merged in", apps.join(", ")),
            Self::Password { created, .. } => format!(
                "the copy merged in holds another new password (created {created}): both may be \
                 active at Apple; revoke the one no app uses"
            ),
            Self::Status(s) => format!(
                "it may be {}: so says the copy merged in, or an earlier record of that day; check \
                 Apple's page",
                s.name()
            ),
            Self::Notes(_) => "the notes differ in the copy merged in".to_owned(),
            Self::Uses(uses) => uses_in_words(uses, ""),
            Self::UsesFor { uses, team_id } => uses_in_words(uses, team_id),
            Self::DeletedElsewhere { date } => format!(
                "one copy of the vault deleted it on {date}, the other changed it since: kept; \
                 keeping the other side's deletes it"
            ),
            Self::SameLabel { label, .. } => format!(
                "the copy merged in has an entry labelled \"{label}\" for the same Apple ID too; \
                 this one was renamed to keep both"
            ),
        }
    }
}

fn uses_in_words(uses: &[Use], team_id: &str) -> String {
    if uses.is_empty() {
        return "the copy merged in records no uses for it".to_owned();
    }
    let names: Vec<&str> = uses.iter().map(|u| u.name()).collect();
    let team = if team_id.is_empty() {
        String::new()
    } else {
        format!(" (team id {team_id})")
    };
    format!("it is used for {}{team} in the copy merged in", names.join(", "))
}

/// Which value `resolve` keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// The value the entry shows.
    Ours,
    /// The value the conflict recorded.
    Theirs,
}

impl Vault {
    /// Entries with something a merge left for the user to decide.
    pub fn conflicted(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| !e.conflicts.is_empty())
    }

    /// Settles every conflict of entry `id`: `Ours` keeps what it shows, `Theirs` takes
    /// the recorded values. A password set aside is kept in the history's words only
    /// when the user chose; `Theirs` on a deletion deletes the entry.
    pub fn resolve(&mut self, id: &EntryId, keep: Keep, today: Date) -> Result<(), ModelError> {
        let i = self.index(id)?;
        if self.entries[i].conflicts.is_empty() {
            return Err(ModelError::NoConflict {
                label: self.entries[i].label.clone(),
            });
        }
        let conflicts = &self.entries[i].conflicts;
        if keep == Keep::Theirs
            && conflicts
                .iter()
                .any(|c| matches!(c, Conflict::DeletedElsewhere { .. }))
        {
            // "Theirs" would both delete the entry and take a value for it (another
            // password, a status that says it is active): contradictory, and the
            // deletion could drop a password that is live. Refused whole.
            if conflicts.iter().any(|c| c.field().is_some()) {
                return Err(ModelError::ResolveWouldDropPassword {
                    label: self.entries[i].label.clone(),
                });
            }
            self.entries.remove(i);
            return Ok(());
        }
        if keep == Keep::Theirs {
            self.check_theirs(i)?;
        }
        let other_live = self.conflict_live(&self.entries[i]);
        let aside = super::overlap::set_aside_by_resolve(&self.entries[i], keep == Keep::Theirs, other_live);
        let conflicts = std::mem::take(&mut self.entries[i].conflicts);
        let entry = &mut self.entries[i];
        entry.superseded.extend(aside);
        let mut taken = Vec::new();
        for c in conflicts {
            if keep == Keep::Ours {
                continue;
            }
            if let Some(f) = c.field() {
                taken.push(f.name());
            }
            take(entry, c);
        }
        // The other password taken without a status beside it: it was kept because
        // both may be active at Apple, and choosing it says it is the one in use. The
        // status the entry showed (a revoke of its own password) was not about it.
        if taken.contains(&Field::Password.name()) && !taken.contains(&Field::Status.name()) {
            entry.status = Status::Active;
        }
        // A reset or Revoke All recorded since the password taken was made revoked
        // it, whatever status came with it.
        if taken.contains(&Field::Password.name()) && entry.status.is_active() {
            let made = super::Superseded {
                created: entry.created,
                activated_seq: entry.activated_seq,
            };
            if let Some((on, reason)) = self.record_revoking(&self.entries[i].apple_id, &made) {
                self.entries[i].status = Status::Revoked {
                    on,
                    reason,
                    needs_replacement: true,
                };
            }
        }
        let entry = &mut self.entries[i];
        let what = match keep {
            Keep::Ours => "conflict resolved: kept this vault's values".to_owned(),
            Keep::Theirs if taken.is_empty() => "conflict resolved: kept the merged copy's values".to_owned(),
            Keep::Theirs => format!("conflict resolved: took the merged copy's {}", taken.join(", ")),
        };
        entry.history.push(super::HistoryEvent {
            date: today,
            event: super::Event::Edited(what),
        });
        let apple_id = entry.apple_id.clone();
        self.ensure_account(&apple_id);
        Ok(())
    }

    /// Refuses `Theirs` when the label and Apple ID it would give the entry are
    /// another entry's: the invariant holds, the user renames one first.
    fn check_theirs(&self, i: usize) -> Result<(), ModelError> {
        let entry = &self.entries[i];
        let mut label = &entry.label;
        let mut apple_id = &entry.apple_id;
        for c in &entry.conflicts {
            match c {
                Conflict::Label(l) | Conflict::SameLabel { label: l, .. } => label = l,
                Conflict::AppleId(a) => apple_id = a,
                _ => {}
            }
        }
        if let Some(holder) = self
            .entries
            .iter()
            .find(|e| e.id != entry.id && &e.apple_id == apple_id && &e.label == label)
        {
            return Err(ModelError::ResolveClash {
                label: label.clone(),
                apple_id: apple_id.clone(),
                shown: entry.label.clone(),
                holder: holder.label.clone(),
            });
        }
        Ok(())
    }
}

/// Puts the recorded value in place; the replaced one is dropped (and a password
/// zeroized): the user chose.
fn take(entry: &mut Entry, conflict: Conflict) {
    match conflict {
        Conflict::Label(v) => entry.label = v,
        Conflict::AppleId(v) => entry.apple_id = v,
        Conflict::Apps(v) => entry.apps = v,
        Conflict::Password {
            password,
            created,
            activated_seq,
        } => {
            entry.password = password;
            entry.created = created;
            entry.activated_seq = activated_seq;
        }
        Conflict::Status(v) => entry.status = v,
        Conflict::Notes(v) => entry.notes = v,
        Conflict::Uses(v) => {
            // No team id was recorded: ours stays while it still has a use.
            if !v.contains(&Use::Notarization) {
                entry.team_id.clear();
            }
            entry.uses = v;
        }
        Conflict::UsesFor { uses, team_id } => {
            entry.uses = uses;
            entry.team_id = team_id;
        }
        Conflict::SameLabel { label, .. } => entry.label = label,
        Conflict::DeletedElsewhere { .. } => {}
    }
}
