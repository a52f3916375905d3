//! What reading an export came to: its preview over the form, or why it was refused,
//! said in the form with everything typed kept. Part of `update`: the file was read
//! by the runner, and the preview is the vault's own import run on a copy.

use crate::error::Error;
use crate::import::Scan;
use crate::tui::dialogs::{ImportPreview, ImportRequest, Overlay};
use crate::tui::msg::Effect;
use crate::tui::state::{State, Tone};

pub(super) fn read(state: &mut State, request: ImportRequest, result: Result<Scan, Error>) -> Effect {
    // The form closed meanwhile (locking, say): nothing to show it in.
    if !matches!(state.dialogs.top(), Some(Overlay::Import(_))) {
        return Effect::None;
    }
    let scan = match result {
        Ok(scan) => scan,
        Err(e) => {
            let text = crate::tui::hints::describe(&e, &state.keymap, false);
            match state.dialogs.form_mut() {
                Some(form) => form.error = Some(text),
                None => state.say(Tone::Error, text),
            }
            return Effect::None;
        }
    };
    let Some(session) = state.session() else {
        return Effect::None;
    };
    let preview = crate::import::preview(&session.loaded.vault, &scan.found, state.today);
    if let Some(form) = state.dialogs.form_mut() {
        form.error = None;
    }
    state.dialogs.push(Overlay::ImportPreview(Box::new(ImportPreview {
        request,
        scan,
        preview,
        scroll: 0,
    })));
    Effect::None
}
