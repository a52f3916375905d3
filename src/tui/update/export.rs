//! The export dialog's Enter and what the write came to. Part of `update`: the file
//! is written by the runner (`app::export`, as `aspen export` writes it), and only
//! once the user said yes to the question when it holds the passwords in clear.

use crate::app::export::{Exported, Format, Request};
use crate::error::Error;
use crate::text::shown_path;
use crate::tui::dialogs::{ExportAsk, Overlay, Question};
use crate::tui::msg::Effect;
use crate::tui::state::{State, Tone};

/// Asks first when the passwords would be written in clear (the form waits below
/// the question, as typed); else, or once asked, has the runner write the file.
pub(super) fn start(state: &mut State, request: Request, asked: bool) -> Effect {
    if asked {
        // The question closes; the form comes back to say how the write went.
        state.dialogs.pop();
    } else if request.with_passwords {
        let passwords = state.session().map_or(0, |s| {
            let entries = &s.loaded.vault.entries;
            entries.iter().filter(|e| e.password_stored()).count()
        });
        let ask = ExportAsk { request, passwords };
        state.dialogs.push(Overlay::Confirm(Question::Export(ask)));
        return Effect::None;
    }
    Effect::Export(request)
}

/// The file is on disk (its folder synced too): the form closes and says where;
/// else the form says why, with everything typed kept, and nothing was written.
pub(super) fn written(state: &mut State, request: &Request, result: Result<Exported, Error>) -> Effect {
    let form_open = matches!(state.dialogs.top(), Some(Overlay::Export(_)));
    let exported = match result {
        Ok(exported) => exported,
        Err(e) => {
            let text = crate::tui::hints::describe(&e, &state.keymap, false);
            match state.dialogs.form_mut().filter(|_| form_open) {
                Some(form) => form.error = Some(text),
                None => state.say(Tone::Error, text),
            }
            return Effect::None;
        }
    };
    if form_open {
        state.dialogs.pop();
    }
    let n = match exported.entries {
        1 => "1 entry".to_owned(),
        n => format!("{n} entries"),
    };
    let path = shown_path(&exported.path);
    let (tone, text) = match request.format {
        Format::Age => (
            Tone::Good,
            format!(
                "Exported {n}, encrypted, to {path}. Decrypt it with age -d -i KEY_FILE, where \
                 KEY_FILE holds what `aspen identity` prints."
            ),
        ),
        _ if request.with_passwords => (
            Tone::Warning,
            format!(
                "Exported {n} to {path}. It holds every stored password in clear: keep it \
                 safe, off synced and backed-up folders, and delete it after use."
            ),
        ),
        _ => (Tone::Good, format!("Exported {n} to {path}.")),
    };
    state.say(tone, text);
    Effect::None
}
