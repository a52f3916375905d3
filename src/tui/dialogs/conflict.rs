//! Settling what a merge left open on an entry: keep this vault's values or take
//! the merged copy's, for all of the entry's conflicts at once (as `Vault::resolve`
//! does).

use super::{Change, Outcome, step};
use crate::action::Action;
use crate::model::{Entry, EntryId, Keep};

pub struct ResolveDialog {
    pub id: EntryId,
    pub label: String,
    /// Each conflict in words.
    pub conflicts: Vec<String>,
    /// 0 keeps this vault's values, 1 takes the merged copy's.
    pub selected: usize,
    /// Why the last choice was refused (a label the other side's value would take).
    pub refused: Option<String>,
    /// The copy merged in deleted it: taking its side deletes the entry here too.
    pub deleted_elsewhere: bool,
}

impl ResolveDialog {
    pub fn new(e: &Entry) -> Self {
        Self {
            id: e.id.clone(),
            label: e.label.clone(),
            conflicts: e.conflicts.iter().map(|c| c.describe()).collect(),
            selected: 0,
            refused: None,
            deleted_elsewhere: e
                .conflicts
                .iter()
                .any(|c| matches!(c, crate::model::Conflict::DeletedElsewhere { .. })),
        }
    }

    pub fn keep(&self) -> Keep {
        if self.selected == 0 {
            Keep::Ours
        } else {
            Keep::Theirs
        }
    }

    pub(super) fn on_action(&mut self, action: Action) -> Outcome {
        match action {
            Action::Down | Action::Up | Action::ChoiceNext | Action::ChoicePrev => {
                self.refused = None;
                self.selected = step(self.selected, 2, true);
                Outcome::Stay
            }
            Action::Confirm => Outcome::Submit(Change::Resolve {
                id: self.id.clone(),
                keep: self.keep(),
            }),
            Action::Back => Outcome::Close,
            _ => Outcome::Stay,
        }
    }
}
