//! The audit: checking one Apple ID's entries against Apple's page, in four steps.
//! 1. how to open the page, and the labels it should list, newest first;
//! 2. each of those marked listed or not (and, if not, whether its apps still need
//!    a password);
//! 3. the labels Apple lists that aspen does not show, typed in;
//! 4. what comes of it, confirmed once; the model's `apply_audit` records it.

use jiff::civil::Date;

use super::{Change, Ctx, Outcome, step};
use crate::action::Action;
use crate::model::{AuditDiff, EntryId, Listed, parse_apple_date, validate_label};
use crate::text::escape_control;
use crate::tui::form::{Field, FieldId, FieldKind, FormOf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditStep {
    Open,
    Mark,
    Unlisted,
    Confirm,
}

/// What the user saw on Apple's page for one expected label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Listed,
    /// Revoked outside aspen; its apps still need a password.
    GoneStillNeeded,
    /// Revoked outside aspen; no app needs it any more.
    GoneRetired,
}

impl Mark {
    fn next(self) -> Self {
        match self {
            Self::Listed => Self::GoneStillNeeded,
            Self::GoneStillNeeded => Self::GoneRetired,
            Self::GoneRetired => Self::Listed,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::Listed => "listed",
            Self::GoneStillNeeded => "not listed, apps still need one",
            Self::GoneRetired => "not listed, no app needs it",
        }
    }
}

/// One label Apple's page should list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRow {
    pub id: EntryId,
    pub label: String,
    pub created: Date,
    pub mark: Mark,
    /// An old password a regeneration left live, not the entry's current one.
    pub old: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditField {
    Label,
    Date,
}

impl FieldId for AuditField {
    const ALL: &'static [Self] = &[Self::Label, Self::Date];

    fn index(self) -> usize {
        self as usize
    }

    fn label(self) -> &'static str {
        match self {
            Self::Label => "Label",
            Self::Date => "Date",
        }
    }
}

pub struct AuditDialog {
    pub apple_id: String,
    pub step: AuditStep,
    pub rows: Vec<AuditRow>,
    pub selected: usize,
    /// Step 3's form: one label (and its date) at a time.
    pub form: FormOf<AuditField>,
    /// Labels Apple lists that aspen did not show, as typed in step 3.
    pub extra: Vec<Listed>,
    /// Step 4: the change to make, worked out by the model's own comparison.
    pub change: Option<Plan>,
}

/// What confirming records, and how the confirmation says it.
pub struct Plan {
    pub lines: Vec<String>,
    revoked: Vec<(EntryId, bool)>,
    listed_again: Vec<(EntryId, Option<Date>)>,
    untracked: Vec<Listed>,
    old_revoked: Vec<(EntryId, Vec<Date>)>,
}

/// A date as Apple's page shows it: "Nov 29, 2026".
pub fn apple_date(d: Date) -> String {
    d.strftime("%b %-d, %Y").to_string()
}

impl AuditDialog {
    /// `rows`: what Apple should list, newest first (`Vault::expected_at_apple`).
    pub fn new(apple_id: &str, rows: Vec<AuditRow>) -> Self {
        let form = FormOf::new(
            format!("Audit {apple_id} (3/4): labels not shown here"),
            |id| match id {
                AuditField::Label => Field::new(FieldKind::Text, ""),
                AuditField::Date => Field::new(FieldKind::Text, "").optional(),
            },
        )
        .with_words("add / go on", "back");
        let mut dialog = Self {
            apple_id: apple_id.to_owned(),
            step: AuditStep::Open,
            rows,
            selected: 0,
            form,
            extra: Vec::new(),
            change: None,
        };
        dialog.form.fields[AuditField::Label.index()].optional = true;
        dialog.refresh_intro();
        dialog
    }

    pub(super) fn on_action(&mut self, action: Action, ctx: &Ctx) -> Outcome {
        match self.step {
            AuditStep::Open => match action {
                Action::Down | Action::Up => {
                    self.selected = step(self.selected, self.rows.len(), action == Action::Down);
                }
                Action::Confirm if self.rows.is_empty() => self.step = AuditStep::Unlisted,
                Action::Confirm => {
                    self.selected = 0;
                    self.step = AuditStep::Mark;
                }
                Action::Back => return Outcome::Close,
                _ => {}
            },
            AuditStep::Mark => match action {
                Action::Down | Action::Up => {
                    self.selected = step(self.selected, self.rows.len(), action == Action::Down);
                }
                Action::ChoiceNext | Action::ChoicePrev => {
                    if let Some(row) = self.rows.get_mut(self.selected) {
                        row.mark = match (row.old, row.mark) {
                            // An old password is listed or revoked: no apps to ask about.
                            (true, Mark::Listed) => Mark::GoneRetired,
                            (true, _) => Mark::Listed,
                            (false, m) if action == Action::ChoicePrev => m.next().next(),
                            (false, m) => m.next(),
                        };
                    }
                }
                Action::Confirm => self.step = AuditStep::Unlisted,
                Action::Back => self.step = AuditStep::Open,
                _ => {}
            },
            AuditStep::Unlisted => return self.unlisted(action, ctx),
            AuditStep::Confirm => match action {
                Action::Confirm => {
                    if let Some(plan) = self.change.take() {
                        return Outcome::Submit(Change::Audit {
                            apple_id: self.apple_id.clone(),
                            revoked: plan.revoked,
                            listed_again: plan.listed_again,
                            untracked: plan.untracked,
                            old_revoked: plan.old_revoked,
                            // Rows beyond those shown are typed in step 3 as labels.
                            old_live: Vec::new(),
                        });
                    }
                }
                Action::Back => {
                    self.change = None;
                    self.step = AuditStep::Unlisted;
                }
                _ => {}
            },
        }
        Outcome::Stay
    }

    /// Step 3: Enter with a label adds it to the list; with none, goes on.
    fn unlisted(&mut self, action: Action, ctx: &Ctx) -> Outcome {
        match action {
            Action::Back => {
                self.step = if self.rows.is_empty() {
                    AuditStep::Open
                } else {
                    AuditStep::Mark
                };
            }
            Action::NextField | Action::PrevField => self.form.move_focus(action == Action::NextField),
            Action::Confirm if self.form.value(AuditField::Label).trim().is_empty() => match self.plan(ctx) {
                Ok(plan) => {
                    self.change = Some(plan);
                    self.step = AuditStep::Confirm;
                }
                Err(e) => self.form.error = Some(e),
            },
            Action::Confirm => match self.typed() {
                Ok(listed) => {
                    self.extra.push(listed);
                    self.form.fields.iter_mut().for_each(Field::clear);
                    self.form.focus = 0;
                    self.form.error = None;
                    self.refresh_intro();
                }
                Err(e) => self.form.error = Some(e),
            },
            _ => {}
        }
        Outcome::Stay
    }

    /// The label and date typed in step 3, checked as Apple's list would be.
    fn typed(&self) -> Result<Listed, String> {
        let label = validate_label(self.form.value(AuditField::Label)).map_err(|e| format!("{e}."))?;
        if self.extra.iter().any(|l| l.label == label) {
            return Err(format!("\"{}\" is in the list already.", escape_control(&label)));
        }
        if self
            .rows
            .iter()
            .any(|r| r.label == label && r.mark == Mark::Listed)
        {
            return Err(format!(
                "\"{}\" is shown in step 2 as listed already.",
                escape_control(&label)
            ));
        }
        let date = self.form.value(AuditField::Date).trim();
        let created = match date {
            "" => None,
            d => Some(parse_apple_date(d)?),
        };
        Ok(Listed { label, created })
    }

    /// The labels typed so far, above step 3's fields.
    fn refresh_intro(&mut self) {
        let mut intro = vec![
            "Does Apple list a label not shown in step 2? Type it and the date Apple shows \
             beside it (\"Nov 29, 2026\"), then add it; each is recorded without its password. \
             With the label empty, go on."
                .to_owned(),
        ];
        for l in &self.extra {
            let date = l.created.map(apple_date).unwrap_or_else(|| "no date".to_owned());
            intro.push(format!("  + {} ({date})", escape_control(&l.label)));
        }
        self.form.intro = intro;
    }

    /// Step 4: what Apple lists by the user's marks and typing, compared by the model.
    fn plan(&self, ctx: &Ctx) -> Result<Plan, String> {
        let vault = ctx.vault.ok_or("The vault is locked.")?;
        let mut listed: Vec<Listed> = self
            .rows
            .iter()
            .filter(|r| r.mark == Mark::Listed)
            .map(|r| Listed {
                label: r.label.clone(),
                // Each row by its day, so an old password's row is told from the
                // current one's.
                created: Some(r.created),
            })
            .collect();
        listed.extend(self.extra.iter().cloned());
        let diff = vault
            .compare_with_apple(&self.apple_id, &listed)
            .map_err(|e| format!("{e}."))?;
        let revoked: Vec<(EntryId, bool)> = diff
            .not_listed
            .iter()
            .map(|id| {
                let needed = self
                    .rows
                    .iter()
                    .find(|r| &r.id == id && !r.old)
                    .is_none_or(|r| r.mark == Mark::GoneStillNeeded);
                (id.clone(), needed)
            })
            .collect();
        let lines = plan_lines(vault, &diff, &revoked, ctx.today);
        Ok(Plan {
            lines,
            revoked,
            listed_again: diff.listed_again,
            untracked: diff.unknown,
            old_revoked: diff.old_revoked,
        })
    }
}

/// Step 4's words: what recording the audit changes, entry by entry.
fn plan_lines(
    vault: &crate::model::Vault,
    diff: &AuditDiff,
    revoked: &[(EntryId, bool)],
    today: Date,
) -> Vec<String> {
    let label = |id: &EntryId| {
        vault
            .entry(id)
            .map(|e| format!("\"{}\"", escape_control(&e.label)))
            .unwrap_or_default()
    };
    let mut lines = Vec::new();
    for (id, needed) in revoked {
        let then = if *needed {
            "waits to be regenerated"
        } else {
            "retired: no app needs it"
        };
        lines.push(format!("• {}: revoked outside aspen; {then}", label(id)));
    }
    for (id, days) in &diff.old_revoked {
        let days: Vec<String> = days.iter().map(|d| apple_date(*d)).collect();
        lines.push(format!(
            "• {}: the old password created {} was revoked at Apple: it takes no slot now",
            label(id),
            days.join(", ")
        ));
    }
    for (id, _) in &diff.listed_again {
        lines.push(format!(
            "• {}: listed again at Apple, a new password aspen does not hold: active again, \
                 without it",
            label(id)
        ));
    }
    for l in &diff.unknown {
        lines.push(format!(
            "• \"{}\": recorded without its password (created {})",
            escape_control(&l.label),
            l.created.unwrap_or(today)
        ));
    }
    if lines.is_empty() {
        lines.push("Everything matches Apple's page: nothing changes.".to_owned());
    }
    lines.push(String::new());
    lines.push(format!("Recorded as checked against Apple's page on {}.", today));
    lines
}
