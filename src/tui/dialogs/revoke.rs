//! Recording what happened to one entry at Apple: its revocation (on the day it
//! happened), and after it whether its apps still need a password (retire, retire one
//! app, unretire). Also the picker that makes room when an Apple ID is full, which
//! leads to the revoke form and back to the add form it came from.

use jiff::civil::Date;

use super::{Change, Ctx, Outcome, Overlay, refuse, step};
use crate::action::Action;
use crate::model::{Entry, EntryId};
use crate::text::escape_control;
use crate::tui::form::{Field, FieldId, FieldKind, FormOf};

/// Whether a revoked password's apps need a new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replacement {
    /// The apps are gone: nothing to regenerate.
    Retired,
    /// The apps still need a password: the entry waits to be regenerated.
    StillNeeded,
}

impl Replacement {
    pub const ALL: [Self; 2] = [Self::Retired, Self::StillNeeded];

    pub fn describe(self) -> &'static str {
        match self {
            Self::Retired => "gone — nothing to regenerate",
            Self::StillNeeded => "still need one — regenerate",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevokeField {
    Apps,
    Date,
}

impl FieldId for RevokeField {
    const ALL: &'static [Self] = &[Self::Apps, Self::Date];

    fn index(self) -> usize {
        self as usize
    }

    fn label(self) -> &'static str {
        match self {
            Self::Apps => "Its apps",
            Self::Date => "Revoked on",
        }
    }
}

/// Recording a revocation made at Apple, on the day it was made, with what its apps
/// still need.
pub struct RevokeDialog {
    pub id: EntryId,
    pub label: String,
    pub form: FormOf<RevokeField>,
}

impl RevokeDialog {
    pub fn new(e: &Entry, today: Date) -> Self {
        let today = today.to_string();
        let title = format!("Revoke \"{}\"", escape_control(&e.label));
        let form = FormOf::new(title, |id| match id {
            RevokeField::Apps => Field::new(
                FieldKind::Choice(Replacement::ALL.map(|r| r.describe().to_owned()).to_vec()),
                "",
            ),
            RevokeField::Date => Field::new(FieldKind::Date, &today),
        })
        .with_intro(vec![format!(
            "Record the day \"{}\" ({}) was revoked at Apple, and whether its apps ({}) still need \
             a password.",
            escape_control(&e.label),
            e.apple_id,
            escape_control(&e.apps.join(", "))
        )]);
        Self {
            id: e.id.clone(),
            label: e.label.clone(),
            form,
        }
    }

    pub fn replacement(&self) -> Replacement {
        Replacement::ALL
            .get(self.form[RevokeField::Apps].choice)
            .copied()
            .unwrap_or(Replacement::Retired)
    }

    pub(super) fn submit(&mut self, ctx: &Ctx) -> Outcome {
        let on = match self.form[RevokeField::Date].date() {
            Ok(d) => d,
            Err(e) => return refuse(&mut self.form, e),
        };
        if on > ctx.today {
            let error = format!(
                "{on} is in the future: type the day Apple revoked it, {} at the latest.",
                ctx.today
            );
            return refuse(&mut self.form, error);
        }
        Outcome::Submit(Change::Revoke {
            id: self.id.clone(),
            still_needed: self.replacement() == Replacement::StillNeeded,
            on,
        })
    }
}

/// What retiring a revoked entry covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetireOption {
    /// No app needs it any more.
    Entry,
    /// This one app is gone; the others still need a password.
    App(String),
}

/// A revoked entry that waits to be regenerated: no app needs it any more, or one
/// of its apps is gone.
pub struct RetireChoice {
    pub id: EntryId,
    pub label: String,
    pub options: Vec<RetireOption>,
    pub selected: usize,
}

impl RetireChoice {
    pub fn new(e: &Entry) -> Self {
        let mut options = vec![RetireOption::Entry];
        // With one app, retiring it is retiring the entry.
        if e.apps.len() > 1 {
            options.extend(e.apps.iter().cloned().map(RetireOption::App));
        }
        Self {
            id: e.id.clone(),
            label: e.label.clone(),
            options,
            selected: 0,
        }
    }

    pub(super) fn on_action(&mut self, action: Action) -> Outcome {
        match action {
            Action::Down | Action::Up => {
                self.selected = step(self.selected, self.options.len(), action == Action::Down);
                Outcome::Stay
            }
            Action::Confirm => {
                let app = match self.options.get(self.selected) {
                    Some(RetireOption::App(app)) => Some(app.clone()),
                    _ => None,
                };
                Outcome::Submit(Change::Retire {
                    id: self.id.clone(),
                    app,
                })
            }
            Action::Back => Outcome::Close,
            _ => Outcome::Stay,
        }
    }
}

/// A retired entry whose apps turn out to need a password after all.
pub struct UnretireConfirm {
    pub id: EntryId,
    pub label: String,
    pub apps: Vec<String>,
}

impl UnretireConfirm {
    pub fn new(e: &Entry) -> Self {
        Self {
            id: e.id.clone(),
            label: e.label.clone(),
            apps: e.apps.clone(),
        }
    }
}

/// One active entry that could make room.
pub struct Candidate {
    pub id: EntryId,
    pub label: String,
    pub created: Date,
    pub apps: Vec<String>,
}

/// The add form was refused because its Apple ID is full: which of its active
/// entries to revoke, oldest first. The add form waits below, as typed, and comes
/// back once the revoke is saved or this is left.
pub struct MakeRoom {
    pub apple_id: String,
    /// Why the add was refused, in the user's keys.
    pub reason: String,
    pub candidates: Vec<Candidate>,
    pub selected: usize,
}

impl MakeRoom {
    pub(super) fn on_action(&mut self, action: Action, ctx: &Ctx) -> Outcome {
        match action {
            Action::Down | Action::Up => {
                self.selected = step(self.selected, self.candidates.len(), action == Action::Down);
                Outcome::Stay
            }
            Action::Confirm => {
                let entry = self
                    .candidates
                    .get(self.selected)
                    .and_then(|c| ctx.vault?.entry(&c.id));
                match entry {
                    Some(e) => Outcome::Open(Overlay::Revoke(RevokeDialog::new(e, ctx.today))),
                    None => Outcome::Stay,
                }
            }
            Action::Back => Outcome::Close,
            _ => Outcome::Stay,
        }
    }
}
