//! Forms and their fields: text typed into dialogs, validated as the user types.
//! Each form names its fields with an enum of its own ([`FieldId`]): a dialog reads
//! `form[AddField::Label]`, never a field found by the label the user sees.

use std::marker::PhantomData;
use std::ops::{Deref, DerefMut, Index};

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
    /// What the form shows beside it; set from the field's [`FieldId`].
    pub label: &'static str,
    pub kind: FieldKind,
    /// Zeroized on drop: fields may hold passwords and passphrases.
    pub value: Zeroizing<String>,
    pub choice: usize,
    pub optional: bool,
    /// Text was dropped at [`MAX_FIELD_BYTES`]; submitting is refused, not truncated.
    pub overflowed: bool,
    /// What the field may say instead of being typed in (the add form's "I don't
    /// have its password"), chosen with Left/Right.
    pub alternative: Option<&'static str>,
    /// The alternative is chosen: nothing is typed, the field reads as it.
    pub alternative_chosen: bool,
    /// Not shown, not focused, not checked: it does not apply to what the other
    /// fields say (the team id without notarization). What it holds is kept.
    pub hidden: bool,
    /// The text the form opened with: a field that still holds it was not touched,
    /// and an edit leaves what it stands for alone (an app named "A,B" would
    /// otherwise come back as two apps).
    initial: Zeroizing<String>,
}

impl Field {
    pub fn new(kind: FieldKind, value: &str) -> Self {
        Self {
            label: "",
            kind,
            value: Zeroizing::new(value.to_owned()),
            choice: 0,
            optional: false,
            overflowed: false,
            alternative: None,
            alternative_chosen: false,
            hidden: false,
            initial: Zeroizing::new(value.to_owned()),
        }
    }

    /// Lets Left/Right switch the field between typing and `text`.
    pub fn or_instead(mut self, text: &'static str) -> Self {
        self.alternative = Some(text);
        self
    }

    /// A choice of `options` opened at `value` (the first when it is not one).
    pub fn choice(options: Vec<String>, value: &str) -> Self {
        let choice = options.iter().position(|o| o == value).unwrap_or(0);
        let mut field = Self::new(FieldKind::Choice(options), value);
        field.choice = choice;
        field
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
        if let Some(instead) = self.alternative.filter(|_| self.alternative_chosen) {
            return instead;
        }
        match &self.kind {
            FieldKind::Choice(options) => options.get(self.choice).map(String::as_str).unwrap_or(""),
            _ => self.value.as_str(),
        }
    }

    pub fn is_masked(&self) -> bool {
        !self.alternative_chosen && matches!(self.kind, FieldKind::Secret | FieldKind::AppPassword)
    }

    pub fn secret(&self) -> SecretString {
        SecretString::from(self.value.as_str())
    }

    /// The date typed, if it is one and not before app-specific passwords existed:
    /// every date a form asks for is of something that happened at Apple, and the
    /// model refuses an earlier one (said here, in the dialog, as it is typed).
    pub fn date(&self) -> Result<Date, String> {
        crate::model::parse_date(&self.value)
            .and_then(|d| {
                crate::model::not_too_early(d)
                    .map(|()| d)
                    .map_err(|e| e.to_string())
            })
            .map_err(|e| format!("{}: {e}", self.label))
    }

    /// What the field says about its value as the user types (shape of a password,
    /// a date that does not parse); `None` when there is nothing to say.
    pub fn live_check(&self) -> Option<(bool, String)> {
        if self.alternative_chosen {
            return None;
        }
        match self.kind {
            FieldKind::AppPassword if !self.value.is_empty() => {
                Some(match Password::parse(self.secret(), false) {
                    Ok(_) => (true, "Apple's shape: xxxx-xxxx-xxxx-xxxx".to_owned()),
                    // The same words as the command line's refusal.
                    Err(PasswordError::Shape(problem)) => (false, problem.worded()),
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
        if matches!(self.kind, FieldKind::Choice(_)) || self.alternative_chosen || c.is_control() {
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
        if self.alternative.is_some() {
            // What was typed goes (zeroized): the alternative says there is none.
            self.alternative_chosen = !self.alternative_chosen;
            self.clear();
            return;
        }
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

/// The fields of one kind of form, one value each, in the order the form shows them.
pub trait FieldId: Copy + 'static {
    const ALL: &'static [Self];
    /// Its place in [`Self::ALL`].
    fn index(self) -> usize;
    /// What the form shows beside it.
    fn label(self) -> &'static str;
}

/// What every form has, whatever it is for: its fields in order, the focus and what
/// is wrong. Typing, moving between fields and drawing work on this alike.
pub struct Form {
    pub title: String,
    /// Lines shown above the fields (e.g. the steps at Apple).
    pub intro: Vec<String>,
    /// The same guidance in fewer lines, for a window too short for `intro`.
    pub short_intro: Vec<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    /// What a key in the form did (the label copied), said under the fields: the
    /// status line may be hidden behind the form.
    pub note: Option<String>,
    /// What its confirm and back keys do, for the hints ("save", "cancel").
    pub words: (&'static str, &'static str),
}

impl Form {
    pub fn focused(&mut self) -> &mut Field {
        &mut self.fields[self.focus]
    }

    /// To the next (or previous) field shown.
    pub fn move_focus(&mut self, forward: bool) {
        let n = self.fields.len();
        for _ in 0..n {
            self.focus = if forward {
                (self.focus + 1) % n
            } else {
                (self.focus + n - 1) % n
            };
            if !self.fields[self.focus].hidden {
                return;
            }
        }
    }

    /// What every form refuses before its own checks: a field cut off at
    /// [`MAX_FIELD_BYTES`], a required field left empty.
    pub fn check_filled(&self) -> Result<(), String> {
        if let Some(long) = self.fields.iter().find(|f| f.overflowed && !f.hidden) {
            return Err(format!(
                "{} is longer than {} KiB: it was cut off, so nothing was saved. Shorten it.",
                long.label,
                MAX_FIELD_BYTES / 1024
            ));
        }
        match self
            .fields
            .iter()
            .find(|f| !f.optional && !f.hidden && f.text().trim().is_empty())
        {
            Some(missing) => Err(format!("{} is empty.", missing.label)),
            None => Ok(()),
        }
    }
}

/// A form whose fields are the values of `F`.
pub struct FormOf<F> {
    form: Form,
    ids: PhantomData<F>,
}

impl<F: FieldId> FormOf<F> {
    /// A form with `field(id)` for each of `F`'s fields, labelled by it.
    pub fn new(title: impl Into<String>, field: impl Fn(F) -> Field) -> Self {
        let fields = F::ALL
            .iter()
            .enumerate()
            .map(|(i, &id)| {
                debug_assert_eq!(id.index(), i, "ALL lists the fields in index order");
                Field {
                    label: id.label(),
                    ..field(id)
                }
            })
            .collect();
        Self {
            form: Form {
                title: title.into(),
                intro: Vec::new(),
                short_intro: Vec::new(),
                fields,
                focus: 0,
                error: None,
                note: None,
                words: ("save", "cancel"),
            },
            ids: PhantomData,
        }
    }

    /// Also `short`, said instead when `intro` would not fit.
    pub fn with_short_intro(mut self, short: Vec<String>) -> Self {
        self.form.short_intro = short;
        self
    }

    /// What confirm and back do in this form, when not save and cancel.
    pub fn with_words(mut self, confirm: &'static str, back: &'static str) -> Self {
        self.form.words = (confirm, back);
        self
    }

    pub fn with_intro(mut self, intro: Vec<String>) -> Self {
        self.form.intro = intro;
        self
    }

    pub fn value(&self, id: F) -> &str {
        self[id].text()
    }

    /// The field's text when the user changed it, `None` when it is as it opened.
    pub fn changed(&self, id: F) -> Option<&str> {
        Some(&self[id]).filter(|f| f.touched()).map(Field::text)
    }
}

impl<F: FieldId> Index<F> for FormOf<F> {
    type Output = Field;

    fn index(&self, id: F) -> &Field {
        &self.form.fields[id.index()]
    }
}

impl<F> Deref for FormOf<F> {
    type Target = Form;

    fn deref(&self) -> &Form {
        &self.form
    }
}

impl<F> DerefMut for FormOf<F> {
    fn deref_mut(&mut self) -> &mut Form {
        &mut self.form
    }
}
