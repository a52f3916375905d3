//! Seeing another program's save while the vault is open: on the event loop's tick,
//! at most once a second, the runner takes the vault file's stat; when it is not the
//! one the session last took in, the runner reads the file, and what another program
//! saved replaces the session's copy, said in the status line. No sleeps, no thread:
//! a stat costs next to nothing. Part of `update`.

use std::time::Duration;

use crate::app::{Arrived, FileStat};
use crate::error::Error;
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::hints;
use crate::tui::msg::Effect;
use crate::tui::state::{State, Tone};

/// How often the file's stat is taken: another program's save shows within about
/// this plus one tick.
pub const POLL_EVERY: Duration = Duration::from_secs(1);

/// On a tick: time for the file's stat?
pub(super) fn poll(state: &mut State) -> Effect {
    let now = state.now;
    let Some(s) = state.session_mut() else {
        return Effect::None;
    };
    if s.polled
        .is_some_and(|t| now.saturating_duration_since(t) < POLL_EVERY)
    {
        return Effect::None;
    }
    s.polled = Some(now);
    Effect::Poll
}

/// The file's stat: read the file again when it is not the one last taken in.
pub(super) fn polled(state: &mut State, stat: FileStat) -> Effect {
    match state.session() {
        Some(s) if s.file != Some(stat) => Effect::Follow(stat),
        _ => Effect::None,
    }
}

/// What reading the file again came to. Either way the stat is taken in: the same
/// file is not read (nor a failure said) again until it changes.
pub(super) fn followed(state: &mut State, stat: FileStat, result: Result<Option<Arrived>, Error>) -> Effect {
    let Some(s) = state.session_mut() else {
        return Effect::None;
    };
    s.file = Some(stat);
    match result {
        Ok(None) => {}
        Ok(Some(arrived)) => {
            // The session holds no unsaved change, so nothing of its own is lost;
            // its undo steps put back only what each change did, so they stay.
            s.loaded.vault = arrived.vault;
            s.loaded.fingerprint = arrived.fingerprint;
            state.refresh();
            let (tone, text) = if arrived.merged_back {
                // An older copy, or a sync tool that kept another machine's save.
                let mut text = "The vault file was replaced by a version lacking some of what \
                                was shown here: merged the two and saved, nothing is lost"
                    .to_owned();
                if !arrived.news.is_empty() {
                    text.push_str(&format!("; {}", escape_control(&arrived.news.summary())));
                }
                text.push('.');
                (Tone::Warning, text)
            } else if arrived.news.is_empty() {
                (Tone::Info, "Took in a change saved elsewhere.".to_owned())
            } else {
                let tone = match arrived.news.conflicts.is_empty() {
                    true => Tone::Info,
                    false => Tone::Warning,
                };
                let summary = escape_control(&arrived.news.summary()).into_owned();
                (tone, format!("Took in a change saved elsewhere: {summary}."))
            };
            state.say(tone, text);
        }
        Err(e) => cannot_follow(state, &e),
    }
    Effect::None
}

/// The file changed but is not taken in: the screen keeps what the session read,
/// which may be the only copy left of it, and says why and what to do.
fn cannot_follow(state: &mut State, e: &Error) {
    let kept = "This screen still shows the version read before";
    let text = match e {
        Error::VaultMissing { .. } => format!(
            "The vault file is gone: another program moved or deleted it. {kept}; put the \
             file back before changing anything, as no change can be saved without it."
        ),
        Error::ChangedOutside { .. } => format!(
            "The vault file was saved elsewhere under another passphrase. {kept}; {}, then \
             unlock with the new passphrase to see it.",
            hints::key(&state.keymap, Action::Lock, "lock")
        ),
        // Damaged, say, or half written by a sync tool that writes in place: read
        // again once it changes.
        other => format!("The vault file changed, but cannot be read: {other}. {kept}."),
    };
    state.say(Tone::Error, text);
}
