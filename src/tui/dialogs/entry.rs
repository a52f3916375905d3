//! The forms about one entry: add a password, edit an entry, store a regenerated
//! password. Each checks what it can and asks for a [`Change`]; the vault's own
//! rules are checked when `update` makes it.

use jiff::civil::Date;

use super::{Change, Ctx, Outcome, refuse};
use crate::action::Action;
use crate::model::{Edit, Entry, EntryId, NewEntry, Password, Use};
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
    Uses,
    /// Shown while the uses include notarization.
    TeamId,
}

impl FieldId for AddField {
    const ALL: &'static [Self] = &[
        Self::Label,
        Self::AppleId,
        Self::Apps,
        Self::Password,
        Self::Created,
        Self::Notes,
        Self::Uses,
        Self::TeamId,
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
            Self::Uses => "Used for",
            Self::TeamId => TEAM_ID,
        }
    }
}

/// What the Password field says instead of a password: an entry Apple lists whose
/// password the user does not have, recorded so aspen counts Apple's slots right.
pub const UNTRACKED: &str = "Apple lists it, but I don't have its password";

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
        let switch = keys
            .pair_hint(Mode::Form, Action::ChoicePrev, Action::ChoiceNext)
            .map_or(String::new(), |k| format!(" ({k} on Password)"));
        let form = FormOf::new("Add an app-specific password", |id| match id {
            AddField::Label | AddField::Apps => Field::new(FieldKind::Text, ""),
            AddField::AppleId => Field::new(FieldKind::Text, apple_id),
            AddField::Password => Field::new(FieldKind::AppPassword, "").or_instead(UNTRACKED),
            AddField::Created => Field::new(FieldKind::Date, &today),
            AddField::Notes => Field::new(FieldKind::Text, "").optional(),
            AddField::Uses => Field::choice(use_options(), ""),
            AddField::TeamId => team_id_field("", false),
        })
        .with_intro(vec![
            "1. Sign in at account.apple.com.".to_owned(),
            "2. Sign-In and Security → App-Specific Passwords → +.".to_owned(),
            format!("3. Give it the label you type below{copy}; confirm."),
            "4. Paste below the password Apple shows once. Apps: commas between.".to_owned(),
            format!(
                "Apple lists one you have no password for? Say so{switch}; Created: the date \
                 Apple shows."
            ),
        ])
        .with_short_intro(vec![format!(
            "account.apple.com → Sign-In and Security → App-Specific Passwords → +: the label \
             below{copy}; paste here what Apple shows, or say you don't have it{switch}."
        )]);
        Self { form }
    }

    /// Whether the user said Apple lists it but they have no password for it.
    pub fn untracked(&self) -> bool {
        self.form[AddField::Password].alternative_chosen
    }

    /// Without a password the user may not know which app uses it: Apps may stay
    /// empty then. Notarization asks for the team id.
    pub(super) fn follow_choices(&mut self) {
        let untracked = self.untracked();
        self.form.fields[AddField::Apps.index()].optional = untracked;
        let notary = notarizes(self.form.value(AddField::Uses));
        self.form.fields[AddField::TeamId.index()].hidden = !notary;
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
        let untracked = self.untracked();
        let form = &self.form;
        let checked = form[AddField::Created].date().and_then(|created| {
            let password = match untracked {
                true => None,
                false => Some(password(&form[AddField::Password], ctx.keys)?),
            };
            Ok((created, password))
        });
        let (created, password) = match checked {
            Ok(c) => c,
            Err(e) => return refuse(&mut self.form, e),
        };
        Outcome::Submit(Change::Add(NewEntry {
            label: form.value(AddField::Label).to_owned(),
            apple_id: form.value(AddField::AppleId).to_owned(),
            apps: split_apps(form.value(AddField::Apps)),
            password,
            created,
            notes: form.value(AddField::Notes).to_owned(),
            uses: parse_uses(form.value(AddField::Uses)),
            team_id: team_id(&form[AddField::TeamId]).unwrap_or_default(),
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
    Uses,
    /// Shown while the uses include notarization.
    TeamId,
}

impl FieldId for EditField {
    const ALL: &'static [Self] = &[
        Self::Label,
        Self::AppleId,
        Self::Apps,
        Self::Created,
        Self::Notes,
        Self::Uses,
        Self::TeamId,
    ];

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
            Self::Uses => "Used for",
            Self::TeamId => TEAM_ID,
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
            // An entry recorded without its password may have no app yet.
            EditField::Apps if e.apps.is_empty() => Field::new(FieldKind::Text, "").optional(),
            EditField::Apps => Field::new(FieldKind::Text, &e.apps.join(", ")),
            EditField::Created => Field::new(FieldKind::Date, &e.created.to_string()),
            EditField::Notes => Field::new(FieldKind::Text, &e.notes).optional(),
            EditField::Uses => Field::choice(use_options(), &uses_text(&e.uses)),
            EditField::TeamId => team_id_field(&e.team_id, e.uses.contains(&Use::Notarization)),
        });
        Self {
            id: e.id.clone(),
            form,
        }
    }

    /// Notarization asks for the team id.
    pub(super) fn follow_choices(&mut self) {
        let notary = notarizes(self.form.value(EditField::Uses));
        self.form.fields[EditField::TeamId.index()].hidden = !notary;
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
            uses: form.changed(EditField::Uses).map(parse_uses),
            // Without notarization the model drops it.
            team_id: team_id(&form[EditField::TeamId]).filter(|_| form.changed(EditField::TeamId).is_some()),
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
        // An entry recorded without its password may name no app yet.
        let used_by = match e.apps.is_empty() {
            true => String::new(),
            false => format!(", used by {}", escape_control(&e.apps.join(", "))),
        };
        let mut intro = vec![format!(
            "New password for \"{}\" ({}){used_by}:",
            escape_control(&e.label),
            e.apple_id,
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

/// What the uses choice offers: none recorded, then each combination of
/// [`Use::ALL`], single uses first; the combinations with notarization after those
/// without it, which keep the places they had before it came.
fn use_options() -> Vec<String> {
    let set = |bits: u8| -> Vec<Use> {
        Use::ALL
            .into_iter()
            .enumerate()
            .filter(|(i, _)| bits & (1 << i) != 0)
            .map(|(_, u)| u)
            .collect()
    };
    let mut without: Vec<Vec<Use>> = (0u8..8).map(set).collect();
    let mut with: Vec<Vec<Use>> = (8u8..16).map(set).collect();
    without.sort_by_key(Vec::len);
    with.sort_by_key(Vec::len);
    without.iter().chain(&with).map(|s| uses_text(s)).collect()
}

/// How the choice shows a set of uses.
fn uses_text(uses: &[Use]) -> String {
    if uses.is_empty() {
        return NO_USES.to_owned();
    }
    let mut sorted = uses.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted.iter().map(|u| u.name()).collect::<Vec<_>>().join(", ")
}

/// The uses choice when none is recorded: the setup card then shows every service.
const NO_USES: &str = "not recorded (all)";

fn parse_uses(text: &str) -> Vec<Use> {
    text.split(", ").filter_map(Use::parse).collect()
}

/// What the forms call the Apple developer team id.
const TEAM_ID: &str = "Team id";

/// The team id field, holding `value`, shown when the entry notarizes.
fn team_id_field(value: &str, shown: bool) -> Field {
    let mut field = Field::new(FieldKind::Text, value);
    field.hidden = !shown;
    field
}

/// Whether the uses choice's `text` includes notarization.
fn notarizes(text: &str) -> bool {
    parse_uses(text).contains(&Use::Notarization)
}

/// The team id the field gives: `None` while it is hidden (notarization not chosen).
fn team_id(field: &Field) -> Option<String> {
    (!field.hidden).then(|| field.text().to_owned())
}

fn split_apps(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect()
}
