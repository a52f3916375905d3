//! The verify key: the question (what would be contacted), the run in the
//! background with its progress, stopping it, and recording its answers as one
//! change to the session's vault, saved and undone like any other. Part of
//! `update`: the sign-ins themselves are the runner's.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::verified::finished;
use crate::app::verify::{Item, Passwords, Planned, Selection, answers, plan};
use crate::model::{Change, Done, SignIn};
use crate::text::escape_control;
use crate::tui::action::Action;
use crate::tui::dialogs::{Overlay, Question, VerifyAbout, VerifyConfirm};
use crate::tui::keymap::Mode;
use crate::tui::msg::{self, Effect, Msg};
use crate::tui::state::{Screen, State, Tone, View};
use crate::tui::verify::{Job, Running, Step, Summary};

/// The verify key: on the main screen about the selected entry, on the overview
/// about every entry of the selected Apple ID. Asks first, saying what would be
/// contacted; says why not when there is nothing to sign in with.
pub(super) fn ask(state: &mut State, overview: bool) -> Effect {
    if state.verification.running.is_some() {
        let stop = stop_hint(state);
        state.say(Tone::Info, format!("A verification is under way{stop}"));
        return Effect::None;
    }
    let Some(session) = state.session() else {
        return Effect::None;
    };
    let chosen = if overview {
        session.overview_apple_id().map(|id| {
            (
                VerifyAbout::AppleId(id.to_owned()),
                Selection::AppleId(id.to_owned()),
            )
        })
    } else {
        session.selected_entry().map(|e| {
            let about = VerifyAbout::Entry {
                label: e.label.clone(),
                apple_id: e.apple_id.clone(),
            };
            (about, Selection::Entry(e.id.clone()))
        })
    };
    let Some((about, selection)) = chosen else {
        let text = if overview {
            "No Apple IDs yet."
        } else {
            "Nothing to verify: the list is empty."
        };
        state.say(Tone::Info, text);
        return Effect::None;
    };
    let settings = &state.settings.verify;
    let planned = match plan(&session.loaded.vault, &selection, &settings.endpoints) {
        Ok(planned) => planned,
        Err(e) => {
            let text = crate::tui::hints::describe(&e, &state.keymap, false);
            state.say(Tone::Error, text);
            return Effect::None;
        }
    };
    let used: Vec<SignIn> = planned
        .iter()
        .filter_map(|p| match p {
            Planned::Try(t) => Some(t.over),
            Planned::Skip { .. } => None,
        })
        .collect();
    if used.is_empty() {
        state.say(Tone::Info, nothing_to_sign_in_with(&planned));
        return Effect::None;
    }
    let confirm = VerifyConfirm {
        about,
        selection,
        not_apple: settings.endpoints.not_apple(&used),
        pause: settings.pause,
        planned,
    };
    state.dialogs.show(Overlay::Confirm(Question::Verify(confirm)));
    Effect::None
}

fn nothing_to_sign_in_with(planned: &[Planned]) -> String {
    let skipped: Vec<String> = planned
        .iter()
        .filter_map(|p| match p {
            Planned::Skip { label, why, .. } => {
                Some(format!("\"{}\": {}", escape_control(label), why.describe()))
            }
            Planned::Try(_) => None,
        })
        .collect();
    match skipped.as_slice() {
        [] => "Nothing to verify: no entries.".to_owned(),
        _ => format!("Nothing to sign in with: {}.", skipped.join("; ")),
    }
}

/// " Esc stops it." with the user's key, or nothing when none is bound.
fn stop_hint(state: &State) -> String {
    state
        .keymap
        .hint(Mode::Main, Action::Back, 1)
        .map(|k| format!("; {k} stops it."))
        .unwrap_or_else(|| ".".to_owned())
}

/// Yes to the question: plans again on the vault as it is now, copies the
/// passwords out (wiped once the sign-ins are done with them) and hands the run
/// to the runner's thread.
pub(super) fn start(state: &mut State, selection: Selection) -> Effect {
    state.dialogs.pop();
    if state.verification.running.is_some() {
        return Effect::None;
    }
    let Some(session) = state.session() else {
        return Effect::None;
    };
    let settings = state.settings.verify.clone();
    let planned = match plan(&session.loaded.vault, &selection, &settings.endpoints) {
        Ok(planned) => planned,
        Err(e) => {
            let text = crate::tui::hints::describe(&e, &state.keymap, false);
            state.say(Tone::Error, text);
            return Effect::None;
        }
    };
    let of = planned.iter().filter(|p| matches!(p, Planned::Try(_))).count();
    if of == 0 {
        state.say(Tone::Info, nothing_to_sign_in_with(&planned));
        return Effect::None;
    }
    let passwords = Passwords::of(&session.loaded.vault, &planned);
    state.verification.runs += 1;
    let run = state.verification.runs;
    let cancel = Arc::new(AtomicBool::new(false));
    state.verification.running = Some(Running {
        run,
        cancel: cancel.clone(),
        since: state.now,
        of,
        skipped: planned.len() - of,
        trying: None,
        answered: Vec::new(),
    });
    state.message = None;
    Effect::Verify(Box::new(Job {
        run,
        selection,
        planned,
        passwords,
        settings,
        cancel,
    }))
}

/// What the run's thread reports: a step to show, or its end. A run stopped or
/// dropped meanwhile (another run's number) is not listened to any more.
pub(super) fn handle(state: &mut State, msg: Msg) -> Effect {
    match msg {
        Msg::Verifying { run, step } => {
            if let Some(r) = state.verification.running.as_mut().filter(|r| r.run == run) {
                match step {
                    Step::Trying(t) => r.trying = Some(t),
                    Step::Answered(item) => {
                        r.trying = None;
                        r.answered.push(item);
                    }
                }
            }
            Effect::None
        }
        Msg::VerifyEnded { run, items } => {
            if state.verification.running.as_ref().is_none_or(|r| r.run != run) {
                return Effect::None;
            }
            state.verification.running = None;
            record(state, &items, Summary::of(&items))
        }
        _ => Effect::None,
    }
}

/// Esc while a run goes: it stops at once; the answers it already has are
/// recorded, and the sign-in under way, if any, is not waited for.
pub(super) fn stop(state: &mut State) -> Effect {
    let Some(r) = state.verification.running.take() else {
        return Effect::None;
    };
    let mut summary = Summary::of(&r.answered);
    summary.stopped = true;
    summary.abandoned = r.trying.is_some();
    summary.skipped = r.skipped;
    summary.not_tried =
        r.of.saturating_sub(r.answered.len() + usize::from(summary.abandoned));
    record(state, &r.answered, summary)
}

/// Records the answers among `items` on the session's vault as one change (an
/// undo step), and asks for it to be saved; the run's message is said once it is.
/// With no answer to record, the message is said now.
fn record(state: &mut State, items: &[Item], summary: Summary) -> Effect {
    let today = state.today;
    let answers = answers(items);
    let Some(session) = state.session_mut() else {
        return Effect::None;
    };
    let before = crate::tui::undo::snapshot(&session.loaded);
    let done = match answers.is_empty() {
        true => None,
        false => session
            .loaded
            .vault
            .apply(Change::Verified(answers), today, &mut std::iter::empty())
            .ok(),
    };
    let recorded =
        matches!(&done, Some(Done::Verified { noted }) if noted.iter().any(|n| n.missed.is_none()));
    let tone = if summary.all_well() {
        Tone::Good
    } else {
        Tone::Warning
    };
    match done {
        Some(done) if recorded => {
            let after = crate::tui::undo::snapshot(&session.loaded);
            session.undo.push(super::done::undo_name(&done), before, after);
            state.refresh();
            Effect::Save(msg::Done::Verified { done, summary })
        }
        done => {
            let overview = matches!(state.screen, Screen::Open(_, View::Overview));
            let text = finished(&summary, done.as_ref(), &state.keymap, overview);
            state.say(tone, text);
            Effect::None
        }
    }
}
