//! The forms about one entry: add a password, edit an entry, store a regenerated
//! password. Each checks what it can and asks for a [`Change`]; the vault's own
//! rules are checked when `update` makes it.

use jiff::civil::Date;

use super::{Change, Ctx, Outcome, refuse};
use crate::action::Action;
use crate::model::{Edit, Entry, EntryId, NewEntry, Password};
use crate::text::escape_control;
use crate::tui::form::{Field, FieldId, FieldKind, FormOf};
use crate::tui::keymap::{Keymap, Mode};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddField {
    Label,
    AppleId,
    Apps,
    Password,
    Created,
    Notes,
}

impl FieldId for AddField {
    const ALL: &'static [Self] = &[
        Self::Label,
        Self::AppleId,
        Self::Apps,
        Self::Password,
        Self::Created,
        Self::Notes,
    ];

    fn index(self) -> usize {
        self as usize
    }

    fn label(self) -> &'static str {
        match self {
            Self::Label => "Label",
            Self::AppleId => "Apple ID",
            Self::Apps => "Apps",
            Self::Password => "Password",
            Self::Created => "Created",
            Self::Notes => "Notes",
        }
    }
}

pub struct AddDialog {
    pub form: FormOf<AddField>,
}

impl AddDialog {
    /// Starts at `apple_id` (the selected entry's), created today, with the steps at
    /// Apple and the key that copies the label for them.
    pub fn new(apple_id: &str, today: Date, keys: &Keymap) -> Self {
        let today = today.to_string();
        let copy = match keys.hint(Mode::Form, Action::CopyLabel, 1) {
            Some(k) => format!(" ({k} copies it)"),
            None => String::new(),
        };
        let form = FormOf::new("Add an app-specific password", |id| match id {
            AddField::Label | AddField::Apps => Field::new(FieldKind::Text, ""),
            AddField::AppleId => Field::new(FieldKind::Text, apple_id),
            AddField::Password => Field::new(FieldKind::AppPassword, ""),
            AddField::Created => Field::new(FieldKind::Date, &today),
            AddField::Notes => Field::new(FieldKind::Text, "").optional(),
        })
        .with_intro(vec![
            "1. Sign in at account.apple.com.".to_owned(),
            "2. Sign-In and Security → App-Specific Passwords → +.".to_owned(),
            format!("3. Give it the label you type below{copy}; confirm."),
            "4. Paste below the password Apple shows once. Apps: commas between.".to_owned(),
        ])
        .with_short_intro(vec![format!(
            "account.apple.com → Sign-In and Security → App-Specific Passwords → +: the label \
             below{copy}; paste here what Apple shows."
        )]);
        Self { form }
    }

    /// The label as typed, for Apple's page.
    pub(super) fn copy_label(&mut self) -> Outcome {
        let label = self.form.value(AddField::Label).trim().to_owned();
        if label.is_empty() {
            return refuse(&mut self.form, "Type the label first, then copy it.".to_owned());
        }
        Outcome::CopyValue {
            what: format!("the label \"{}\"", escape_control(&label)),
            value: label,
        }
    }

    pub(super) fn submit(&mut self, ctx: &Ctx) -> Outcome {
        let form = &self.form;
        let checked = form[AddField::Created]
            .date()
            .and_then(|created| Ok((created, password(&form[AddField::Password], ctx.keys)?)));
        let (created, password) = match checked {
            Ok(c) => c,
            Err(e) => return refuse(&mut self.form, e),
        };
        Outcome::Submit(Change::Add(NewEntry {
            label: form.value(AddField::Label).to_owned(),
            apple_id: form.value(AddField::AppleId).to_owned(),
            apps: split_apps(form.value(AddField::Apps)),
            password: Some(password),
            created,
            notes: form.value(AddField::Notes).to_owned(),
            uses: Vec::new(),
        }))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditField {
    Label,
    AppleId,
    Apps,
    Created,
    Notes,
}

impl FieldId for EditField {
    const ALL: &'static [Self] = &[Self::Label, Self::AppleId, Self::Apps, Self::Created, Self::Notes];

    fn index(self) -> usize {
        self as usize
    }

    fn label(self) -> &'static str {
        match self {
            Self::Label => "Label",
            Self::AppleId => "Apple ID",
            Self::Apps => "Apps",
            Self::Created => "Created",
            Self::Notes => "Notes",
        }
    }
}

pub struct EditDialog {
    pub id: EntryId,
    pub form: FormOf<EditField>,
}

impl EditDialog {
    pub fn new(e: &Entry) -> Self {
        let title = format!("Edit \"{}\"", escape_control(&e.label));
        let form = FormOf::new(title, |id| match id {
            EditField::Label => Field::new(FieldKind::Text, &e.label),
            EditField::AppleId => Field::new(FieldKind::Text, &e.apple_id),
            EditField::Apps => Field::new(FieldKind::Text, &e.apps.join(", ")),
            EditField::Created => Field::new(FieldKind::Date, &e.created.to_string()),
            EditField::Notes => Field::new(FieldKind::Text, &e.notes).optional(),
        });
        Self {
            id: e.id.clone(),
            form,
        }
    }

    /// Only what the user touched is sent: a field parsed back from its text (apps
    /// split at commas, a date) could differ from what is stored without any change.
    pub(super) fn submit(&mut self) -> Outcome {
        let form = &self.form;
        let created = match form
            .changed(EditField::Created)
            .map(|_| form[EditField::Created].date())
        {
            Some(Err(e)) => return refuse(&mut self.form, e),
            Some(Ok(d)) => Some(d),
            None => None,
        };
        let edit = Edit {
            label: form.changed(EditField::Label).map(str::to_owned),
            apple_id: form.changed(EditField::AppleId).map(str::to_lowercase),
            apps: form.changed(EditField::Apps).map(split_apps),
            notes: form.changed(EditField::Notes).map(str::to_owned),
            created,
            uses: None,
        };
        Outcome::Submit(Change::Edit {
            id: self.id.clone(),
            edit,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegenerateField {
    Password,
    Created,
}

impl FieldId for RegenerateField {
    const ALL: &'static [Self] = &[Self::Password, Self::Created];

    fn index(self) -> usize {
        self as usize
    }

    fn label(self) -> &'static str {
        match self {
            Self::Password => "Password",
            Self::Created => "Created",
        }
    }
}

/// Storing the new password Apple generated for an entry, with the steps there.
pub struct RegenerateDialog {
    pub id: EntryId,
    pub form: FormOf<RegenerateField>,
}

impl RegenerateDialog {
    pub fn new(e: &Entry, today: Date) -> Self {
        let today = today.to_string();
        let mut intro = vec![format!(
            "New password for \"{}\" ({}), used by {}:",
            escape_control(&e.label),
            e.apple_id,
            escape_control(&e.apps.join(", "))
        )];
        intro.extend(apple_steps(&e.label));
        let form = FormOf::new("Regenerate", |id| match id {
            RegenerateField::Password => Field::new(FieldKind::AppPassword, ""),
            RegenerateField::Created => Field::new(FieldKind::Date, &today),
        })
        .with_intro(intro);
        Self {
            id: e.id.clone(),
            form,
        }
    }

    pub(super) fn submit(&mut self, ctx: &Ctx) -> Outcome {
        let form = &self.form;
        let checked = form[RegenerateField::Created]
            .date()
            .and_then(|created| Ok((created, password(&form[RegenerateField::Password], ctx.keys)?)));
        match checked {
            Ok((created, password)) => Outcome::Submit(Change::Regenerate {
                id: self.id.clone(),
                password,
                created,
            }),
            Err(e) => refuse(&mut self.form, e),
        }
    }
}

/// The steps at Apple for a new password with the same label.
fn apple_steps(label: &str) -> [String; 4] {
    [
        "1. Sign in at account.apple.com (your trusted device shows a code).".to_owned(),
        "2. Sign-In and Security → App-Specific Passwords → Generate (+).".to_owned(),
        format!(
            "3. Label it \"{}\" exactly; confirm with your Apple ID password.",
            escape_control(label)
        ),
        "4. Paste below the password Apple shows (it never shows it again).".to_owned(),
    ]
}

/// The field's app-specific password, checked against Apple's shape.
fn password(field: &Field, keys: &Keymap) -> Result<Password, String> {
    Password::parse(field.secret(), false).map_err(|e| crate::tui::hints::describe_model(&e.into(), keys))
}

fn split_apps(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect()
}
