//! Exporting from the TUI: a form (the file, the format, whether with the passwords),
//! and, before any password is written in clear, a question that says what that
//! means. The file is written by the runner with `app::export`, as `aspen export`
//! writes it; a refusal comes back into the form with everything typed kept.

use std::path::PathBuf;

use zeroize::Zeroizing;

use super::Outcome;
use crate::app::export::{Format, Request};
use crate::tui::form::{Field, FieldId, FieldKind, FormOf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportField {
    File,
    Format,
    Passwords,
}

impl FieldId for ExportField {
    const ALL: &'static [Self] = &[Self::File, Self::Format, Self::Passwords];

    fn index(self) -> usize {
        self as usize
    }

    fn label(self) -> &'static str {
        match self {
            Self::File => "File",
            Self::Format => "Format",
            Self::Passwords => "With passwords",
        }
    }
}

/// The format as the form offers it, in [`Format::ALL`]'s order.
fn format_name(format: Format) -> &'static str {
    match format {
        Format::Csv => "CSV, for a spreadsheet",
        Format::Json => "JSON, for scripts",
        Format::Age => "age: the encrypted vault",
    }
}

/// The file the form opens with, for `format`: in the home folder, where a user
/// finds it (`~/` is expanded by the runner, as the import form's path is).
fn default_file(format: Format) -> String {
    format!("~/aspen-export.{}", format.extension())
}

/// Where to export, what, and whether with the passwords.
pub struct ExportDialog {
    pub form: FormOf<ExportField>,
    /// The format the file's ending follows.
    format: Format,
}

impl ExportDialog {
    pub fn new() -> Self {
        let formats: Vec<String> = Format::ALL.iter().map(|f| format_name(*f).to_owned()).collect();
        let form = FormOf::new("Export to a file", |id| match id {
            ExportField::File => Field::new(FieldKind::Text, &default_file(Format::Csv)),
            ExportField::Format => Field::choice(formats.clone(), ""),
            ExportField::Passwords => Field::choice(vec!["no".to_owned(), "yes, in clear".to_owned()], "no"),
        })
        .with_words("export", "cancel")
        .with_intro(vec![
            "Writes each entry (label, Apple ID, apps, uses, created, status, attention, notes) \
             to a new file, for a spreadsheet or a script; or, as age, the vault's encrypted \
             payload."
                .to_owned(),
            "Passwords only if you choose them: that file is made readable by you alone, and \
             you are asked first."
                .to_owned(),
        ])
        .with_short_intro(vec!["A new file; passwords only if you choose them.".to_owned()]);
        Self {
            form,
            format: Format::Csv,
        }
    }

    fn chosen(&self) -> Format {
        Format::ALL
            .get(self.form[ExportField::Format].choice)
            .copied()
            .unwrap_or(Format::Csv)
    }

    /// A new format: the file's ending follows it (when it had the old one's), and
    /// the passwords are offered only where they would be written in clear.
    pub(super) fn follow_choices(&mut self) {
        let now = self.chosen();
        if now != self.format {
            let old = format!(".{}", self.format.extension());
            let file = &mut self.form.fields[ExportField::File.index()];
            if let Some(stem) = file.value.strip_suffix(&old) {
                file.value = Zeroizing::new(format!("{stem}.{}", now.extension()));
            }
            self.format = now;
        }
        self.form.fields[ExportField::Passwords.index()].hidden = !now.takes_passwords();
    }

    /// What to write; the passwords are asked about before the runner writes them.
    pub(super) fn submit(&self) -> Outcome {
        let format = self.chosen();
        Outcome::Export {
            request: Request {
                path: PathBuf::from(self.form.value(ExportField::File).trim()),
                format,
                with_passwords: format.takes_passwords() && self.form[ExportField::Passwords].choice == 1,
            },
            asked: false,
        }
    }
}

impl Default for ExportDialog {
    fn default() -> Self {
        Self::new()
    }
}

/// The question before the passwords are written in clear: where, and how many.
pub struct ExportAsk {
    pub request: Request,
    /// How many passwords the vault stores, all of which the file will hold.
    pub passwords: usize,
}
