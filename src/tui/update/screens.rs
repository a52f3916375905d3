//! Keys on the screens (no dialog open): the lock screens, the search, the main
//! screen and the overview. Part of `update`.

use super::{lock, quit};
use crate::tui::action::Action;
use crate::tui::dialogs::{Help, Notice, Overlay};
use crate::tui::keymap::Mode;
use crate::tui::msg::Effect;
use crate::tui::state::{Busy, PassInput, Screen, Session, State, Tone, View};

pub(super) fn unlock_key(state: &mut State, action: Action) -> Effect {
    if state.busy.is_some() {
        return if action == Action::Quit {
            quit(state)
        } else {
            Effect::None
        };
    }
    let now = state.now;
    match (&mut state.screen, action) {
        (_, Action::Quit) => quit(state),
        (Screen::CannotOpen(_), Action::Confirm) => Effect::CheckVault,
        (Screen::Unlock(u), Action::Confirm) => {
            if u.input.overflowed() {
                u.input = PassInput::default();
                u.error = Some("That is longer than any passphrase aspen accepts (16 KiB).".to_owned());
                return Effect::None;
            }
            if u.input.0.is_empty() {
                u.error = Some(match state.keymap.hint(Mode::Unlock, Action::Confirm, 1) {
                    Some(k) => format!("Type your passphrase, then {k}."),
                    None => "Type your passphrase first.".to_owned(),
                });
                return Effect::None;
            }
            let secret = crate::secret::SecretString::from(u.input.0.as_str());
            u.input = PassInput::default();
            state.busy = Some(Busy {
                text: "Unlocking: deriving the key (Argon2id)".to_owned(),
                since: now,
            });
            Effect::Unlock(secret, u.costlier_confirmed)
        }
        (Screen::Unlock(u), Action::Back) => {
            u.input = PassInput::default();
            Effect::None
        }
        (Screen::Welcome(w), Action::NextField | Action::PrevField) => {
            w.focus = 1 - w.focus;
            Effect::None
        }
        (Screen::Welcome(w), Action::Back) => {
            w.first = PassInput::default();
            w.second = PassInput::default();
            w.focus = 0;
            Effect::None
        }
        (Screen::Welcome(w), Action::Confirm) => {
            if w.focus == 0 {
                if w.first.0.is_empty() {
                    w.error = Some("Choose a passphrase first.".to_owned());
                } else {
                    w.focus = 1;
                }
                return Effect::None;
            }
            if w.first.overflowed() || w.second.overflowed() {
                w.error = Some("That passphrase is longer than 16 KiB. Choose a shorter one.".to_owned());
                w.first = PassInput::default();
                w.second = PassInput::default();
                w.focus = 0;
                return Effect::None;
            }
            if w.first.0.as_str() != w.second.0.as_str() {
                w.error = Some("The two passphrases differ. Type them again.".to_owned());
                w.first = PassInput::default();
                w.second = PassInput::default();
                w.focus = 0;
                return Effect::None;
            }
            let secret = crate::secret::SecretString::from(w.first.0.as_str());
            state.busy = Some(Busy {
                text: "Creating your vault: deriving the key (Argon2id)".to_owned(),
                since: now,
            });
            Effect::Create(secret)
        }
        _ => Effect::None,
    }
}

pub(super) fn search_key(state: &mut State, action: Action) -> Effect {
    let Some(s) = state.session_mut() else {
        return Effect::None;
    };
    match action {
        Action::Confirm => s.table.searching = false,
        Action::Back => {
            s.table.searching = false;
            s.table.search.set_query("");
            s.refresh_rows();
        }
        Action::Down | Action::Up => move_selection(s, if action == Action::Down { 1 } else { -1 }),
        Action::Quit => return quit(state),
        _ => {}
    }
    Effect::None
}

pub(super) fn overview_key(state: &mut State, action: Action) -> Effect {
    match action {
        Action::Back => state.show(View::Main),
        Action::Quit => return quit(state),
        Action::Help => state.dialogs.show(Overlay::Help(Help { scroll: 0 })),
        Action::Lock => return lock(state),
        Action::Undo => return super::undo::start(state),
        Action::Down | Action::Up => {
            if let Some(s) = state.session_mut() {
                let last = s.loaded.vault.accounts.len().saturating_sub(1);
                s.overview = match action {
                    Action::Down => (s.overview + 1).min(last),
                    _ => s.overview.saturating_sub(1),
                };
            }
        }
        Action::RenameAppleId
        | Action::NameAppleId
        | Action::MailAppleId
        | Action::ForgetAppleId
        | Action::Withdraw
        | Action::Audit => {
            return super::open::open_for_apple_id(state, action);
        }
        Action::Verify => return super::verify::ask(state, true),
        Action::ReadMessage => read_message(state),
        Action::RecoveryKey => return super::recovery::ask(state),
        _ => {}
    }
    Effect::None
}

/// The whole of the message the status line shows cut short, in a notice.
fn read_message(state: &mut State) {
    if let Some(m) = &state.message {
        let notice = Notice {
            title: crate::tui::views::status::title(m.tone).to_owned(),
            lines: vec![m.text.clone()],
        };
        state.dialogs.show(Overlay::Notice(notice));
    }
}

/// Selects the next (`forward`) or previous row that needs attention, wrapping
/// around; says why the selection stays when it does.
fn to_attention(state: &mut State, forward: bool) {
    let Some(s) = state.session_mut() else {
        return;
    };
    let said = match s.table.next_needing(forward) {
        Some(row) if row == s.table.selected => s.selected_entry().map(|e| {
            format!(
                "\"{}\" is the only entry shown that needs attention.",
                crate::text::escape_control(&e.label)
            )
        }),
        Some(row) => {
            s.table.selected = row;
            None
        }
        None if s.table.needing > 0 => Some(format!(
            "None of the entries shown needs attention: the search or the filter hides {}.",
            match s.table.needing {
                1 => "the one that does".to_owned(),
                n => format!("the {n} that do"),
            }
        )),
        None => Some("Nothing needs attention.".to_owned()),
    };
    if let Some(text) = said {
        state.say(Tone::Info, text);
    }
}

pub(super) fn move_selection(s: &mut Session, delta: i64) {
    if s.table.rows.is_empty() {
        s.table.selected = 0;
        return;
    }
    let last = s.table.rows.len() as i64 - 1;
    s.table.selected = (s.table.selected as i64 + delta).clamp(0, last) as usize;
}

fn page(state: &State) -> i64 {
    i64::from((state.table_rows.height / 2).max(1))
}

pub(super) fn main_key(state: &mut State, action: Action) -> Effect {
    let page = page(state);
    let now = state.now;
    let reveal_for = state.settings.reveal_for;
    let Some(s) = state.session_mut() else {
        return Effect::None;
    };
    match action {
        Action::Down => move_selection(s, 1),
        Action::Up => move_selection(s, -1),
        Action::PageDown => move_selection(s, page),
        Action::PageUp => move_selection(s, -page),
        Action::Top => s.table.selected = 0,
        Action::Bottom => s.table.selected = s.table.rows.len().saturating_sub(1),
        Action::NextAttention => to_attention(state, true),
        Action::PrevAttention => to_attention(state, false),
        Action::Search => s.table.searching = true,
        Action::Back => {
            if s.table.search.is_active() {
                s.table.search.set_query("");
                s.refresh_rows();
            } else {
                state.message = None;
            }
        }
        Action::CycleSort => {
            s.table.sort = s.table.sort.next();
            s.refresh_rows();
            let name = s.table.sort.name();
            state.say(Tone::Info, format!("Sorted by {name}."));
        }
        Action::CycleFilter => {
            s.table.filter = s.table.filter.next();
            s.refresh_rows();
            let name = s.table.filter.name();
            state.say(Tone::Info, format!("Showing {name}."));
        }
        Action::Reveal | Action::Copy => {
            let Some(e) = s.selected_entry() else {
                let what = if action == Action::Copy { "copy" } else { "reveal" };
                state.say(Tone::Info, format!("Nothing to {what}: the list is empty."));
                return Effect::None;
            };
            // Recorded as listed at Apple only: nothing to copy or show, and why.
            if let Err(e) = e.stored_password() {
                let text = crate::tui::hints::describe_model(&e, &state.keymap);
                state.say(Tone::Warning, text);
                return Effect::None;
            }
            let id = e.id.clone();
            if action == Action::Copy {
                return Effect::Copy(id);
            }
            s.revealed = Some((id, now + reveal_for));
        }
        Action::Quit => return quit(state),
        Action::Help => state.dialogs.show(Overlay::Help(Help { scroll: 0 })),
        Action::Overview => state.show(View::Overview),
        Action::Lock => return lock(state),
        Action::Undo => return super::undo::start(state),
        Action::Verify => return super::verify::ask(state, false),
        Action::ReadMessage => read_message(state),
        Action::RecoveryKey => return super::recovery::ask(state),
        other => return super::open::open(state, other),
    }
    Effect::None
}
