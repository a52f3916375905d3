//! Importing another password manager's export: the form (the file, the tool, what
//! the export may lack), then the preview of what the vault's rules make of it.
//! The preview is the default view: nothing is written until Enter there, and
//! going back from it returns to the form as typed.

use std::path::PathBuf;

use super::{Change, Ctx, Outcome, refuse};
use crate::action::Action;
use crate::import::{Options, Preview, Scan, Source};
use crate::model::{check_date, normalise_apple_id};
use crate::tui::form::{Field, FieldId, FieldKind, FormOf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportField {
    File,
    From,
    AppleId,
    Created,
}

impl FieldId for ImportField {
    const ALL: &'static [Self] = &[Self::File, Self::From, Self::AppleId, Self::Created];

    fn index(self) -> usize {
        self as usize
    }

    fn label(self) -> &'static str {
        match self {
            Self::File => "Export file",
            Self::From => "From",
            Self::AppleId => "Apple ID",
            Self::Created => "Created",
        }
    }
}

/// The tool as the form offers it (the CLI's `--from` names, in words).
pub fn tool_name(source: Source) -> &'static str {
    match source {
        Source::OnePassword => "1Password",
        Source::Bitwarden => "Bitwarden",
        Source::KeePassXc => "KeePassXC",
        Source::ApplePasswords => "Passwords app or Safari",
        Source::Csv => "CSV with named columns",
    }
}

/// What the form asks to be read: the runner reads the file (the only I/O).
#[derive(Clone, Debug)]
pub struct ImportRequest {
    pub path: PathBuf,
    pub source: Source,
    pub options: Options,
}

/// Which export to read, and what to say for the logins it leaves without an Apple
/// ID or a date.
pub struct ImportDialog {
    pub form: FormOf<ImportField>,
}

impl ImportDialog {
    pub fn new() -> Self {
        let tools: Vec<String> = Source::ALL.iter().map(|s| tool_name(*s).to_owned()).collect();
        let form = FormOf::new("Import app-specific passwords", |id| match id {
            ImportField::File => Field::new(FieldKind::Text, ""),
            ImportField::From => Field::choice(tools.clone(), ""),
            ImportField::AppleId => Field::new(FieldKind::Text, "").optional(),
            ImportField::Created => Field::new(FieldKind::Date, "").optional(),
        })
        .with_words("preview", "cancel")
        .with_intro(vec![
            "aspen reads the export of another password manager, picks out the app-specific \
             passwords, and shows what it would add before anything is written."
                .to_owned(),
            "Apple ID: for logins whose user name is not one. Created: the date Apple shows, \
             for those the export gives no date."
                .to_owned(),
            "Delete the export once imported: it holds your passwords in clear.".to_owned(),
        ])
        .with_short_intro(vec![
            "Nothing is written before you confirm the preview.".to_owned(),
        ]);
        Self { form }
    }

    /// The file to read, checked as far as can be without reading it.
    pub(super) fn submit(&mut self, ctx: &Ctx) -> Outcome {
        let form = &mut self.form;
        let source = Source::ALL
            .get(form[ImportField::From].choice)
            .copied()
            .unwrap_or(Source::Csv);
        let apple_id = match form.value(ImportField::AppleId).trim() {
            "" => None,
            typed => match normalise_apple_id(typed) {
                Ok(id) => Some(id),
                Err(e) => return refuse(form, format!("{}.", capitalised(&e.to_string()))),
            },
        };
        let created = match form.value(ImportField::Created).trim() {
            "" => None,
            _ => match form[ImportField::Created].date() {
                Ok(d) => match check_date(d, ctx.today) {
                    Ok(()) => Some(d),
                    Err(e) => return refuse(form, format!("Created: {e}.")),
                },
                Err(e) => return refuse(form, e),
            },
        };
        Outcome::ReadImport(ImportRequest {
            path: PathBuf::from(form.value(ImportField::File).trim()),
            source,
            options: Options { apple_id, created },
        })
    }
}

impl Default for ImportDialog {
    fn default() -> Self {
        Self::new()
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What importing the export would do, shown before anything is written: the file
/// as read (its passwords in zeroizing buffers, never drawn), and the vault's own
/// import run on a copy.
pub struct ImportPreview {
    pub request: ImportRequest,
    pub scan: Scan,
    pub preview: Preview,
    /// How far the preview is scrolled, in lines.
    pub scroll: u16,
}

impl ImportPreview {
    /// How many entries confirming adds.
    pub fn to_add(&self) -> usize {
        self.preview.outcome.added.len()
    }

    /// `limit`: how far it scrolls at the window's size.
    pub(super) fn on_action(&mut self, action: Action, limit: u16) -> Outcome {
        match action {
            Action::Down => self.scroll = self.scroll.saturating_add(1).min(limit),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Confirm if self.to_add() > 0 => {
                return Outcome::Submit(Change::Import(crate::import::entries(&self.scan.found)));
            }
            // Nothing to add: back to the form, to name the Apple ID or the date.
            Action::Confirm | Action::Back => return Outcome::Close,
            _ => {}
        }
        Outcome::Stay
    }
}
