//! Forms and their fields: text typed into dialogs, validated as the user types.

use jiff::civil::Date;
use zeroize::Zeroizing;

/// The most a text field holds (16 KiB, far beyond any label, note or password); the
/// rest of a runaway paste is dropped.
pub const MAX_FIELD_BYTES: usize = crate::secret::MAX_PASSPHRASE_BYTES;

use crate::model::{Password, PasswordError};
use crate::secret::SecretString;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    /// Shown as bullets; the value is a secret.
    Secret,
    /// An app-specific password: masked, with Apple's shape checked live.
    AppPassword,
    Date,
    /// One of a fixed list, changed with Left/Right.
    Choice(Vec<String>),
}

pub struct Field {
    pub label: &'static str,
    pub kind: FieldKind,
    /// Zeroized on drop: fields may hold passwords and passphrases.
    pub value: Zeroizing<String>,
    pub choice: usize,
    pub optional: bool,
    /// Text was dropped at [`MAX_FIELD_BYTES`]; submitting is refused, not truncated.
    pub overflowed: bool,
    /// The text the form opened with: a field that still holds it was not touched,
    /// and an edit leaves what it stands for alone (an app named "A,B" would
    /// otherwise come back as two apps).
    initial: Zeroizing<String>,
}

impl Field {
    pub fn new(label: &'static str, kind: FieldKind, value: &str) -> Self {
        Self {
            label,
            kind,
            value: Zeroizing::new(value.to_owned()),
            choice: 0,
            optional: false,
            overflowed: false,
            initial: Zeroizing::new(value.to_owned()),
        }
    }

    /// True when the text differs from what the form opened with.
    pub fn touched(&self) -> bool {
        self.text() != self.initial.as_str()
    }

    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    pub fn text(&self) -> &str {
        match &self.kind {
            FieldKind::Choice(options) => options.get(self.choice).map(String::as_str).unwrap_or(""),
            _ => self.value.as_str(),
        }
    }

    pub fn is_masked(&self) -> bool {
        matches!(self.kind, FieldKind::Secret | FieldKind::AppPassword)
    }

    pub fn secret(&self) -> SecretString {
        SecretString::from(self.value.as_str())
    }

    pub fn date(&self) -> Result<Date, String> {
        crate::model::parse_date(&self.value).map_err(|e| format!("{}: {e}", self.label))
    }

    /// What the field says about its value as the user types (shape of a password,
    /// a date that does not parse); `None` when there is nothing to say.
    pub fn live_check(&self) -> Option<(bool, String)> {
        match self.kind {
            FieldKind::AppPassword if !self.value.is_empty() => {
                Some(match Password::parse(self.secret(), false) {
                    Ok(_) => (true, "Apple's shape: xxxx-xxxx-xxxx-xxxx".to_owned()),
                    // The same words as the command line's refusal.
                    Err(PasswordError::Shape(problem)) => (false, problem.to_string()),
                    Err(e) => (false, e.to_string()),
                })
            }
            FieldKind::Date if !self.value.is_empty() => Some(match self.date() {
                Ok(_) => (true, String::new()),
                Err(e) => (false, e),
            }),
            _ => None,
        }
    }

    pub fn push(&mut self, c: char) {
        if matches!(self.kind, FieldKind::Choice(_)) || c.is_control() {
            return;
        }
        // A field never needs more than this; a runaway paste stops here.
        if self.value.len() < MAX_FIELD_BYTES {
            crate::secret::push_secret(&mut self.value, c.encode_utf8(&mut [0; 4]));
        } else {
            self.overflowed = true;
        }
    }

    /// Empties the field; the old text is zeroized as it is dropped.
    pub fn clear(&mut self) {
        self.value = Zeroizing::new(String::new());
        self.overflowed = false;
    }

    pub fn backspace(&mut self) {
        self.value.pop();
    }

    pub fn cycle(&mut self, forward: bool) {
        if let FieldKind::Choice(options) = &self.kind
            && !options.is_empty()
        {
            let n = options.len();
            self.choice = if forward {
                (self.choice + 1) % n
            } else {
                (self.choice + n - 1) % n
            };
        }
    }
}

/// What a form is for; decides what submitting it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormKind {
    Add,
    Edit(crate::model::EntryId),
    Reset,
    RevokeAll,
    Regenerate(crate::model::EntryId),
    ChangePassphrase,
}

pub struct Form {
    pub kind: FormKind,
    pub title: String,
    /// Lines shown above the fields (e.g. the steps at Apple).
    pub intro: Vec<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
}

impl Form {
    pub fn new(kind: FormKind, title: impl Into<String>, fields: Vec<Field>) -> Self {
        Self {
            kind,
            title: title.into(),
            intro: Vec::new(),
            fields,
            focus: 0,
            error: None,
        }
    }

    pub fn with_intro(mut self, intro: Vec<String>) -> Self {
        self.intro = intro;
        self
    }

    pub fn focused(&mut self) -> &mut Field {
        &mut self.fields[self.focus]
    }

    pub fn move_focus(&mut self, forward: bool) {
        let n = self.fields.len();
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }

    pub fn value(&self, label: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .map(Field::text)
            .unwrap_or("")
    }

    /// The field's text when the user changed it, `None` when it is as it opened.
    pub fn changed(&self, label: &str) -> Option<&str> {
        self.field(label).filter(|f| f.touched()).map(Field::text)
    }

    pub fn field(&self, label: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.label == label)
    }
}
