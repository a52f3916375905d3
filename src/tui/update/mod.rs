//! `update`: the only place the TUI's state changes. No drawing, no I/O: anything
//! that touches a file, the clipboard or the key derivation is returned as an
//! [`Effect`] for the runner.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEventKind, MouseButton, MouseEventKind};

mod apply;
mod copying;
mod done;
mod export;
mod follow;
mod import;
mod open;
mod outcomes;
mod recovery;
mod screens;
mod undo;
mod unlocked;
mod verified;
mod verify;

use self::screens::move_selection;
pub(crate) use self::unlocked::apply_check;
use super::action::Action;
use super::dialogs::{Ctx, Overlay};
use super::keymap::{Key, Mode};
use super::msg::{Effect, Msg};
use super::state::{Screen, State, Tone, Unlock, View};
use super::views::{self, MIN_SIZE};

pub fn update(state: &mut State, msg: Msg, now: Instant) -> Effect {
    if let Msg::Layout(layout) = msg {
        // A record of the frame just drawn: not an event, so no time passes.
        if let Some(table) = layout.table {
            state.table_rows = table.rows;
            if let Some(s) = state.session_mut() {
                s.table.offset = table.offset;
            }
        }
        return Effect::None;
    }
    state.now = now;
    if state
        .message
        .as_ref()
        .is_some_and(|m| m.until.is_some_and(|u| u <= now))
    {
        state.message = None;
    }
    match msg {
        Msg::Tick => tick(state),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            let limit = views::help_scroll_limit(state);
            let preview_limit = views::import_scroll_limit(state);
            match state.dialogs.top_mut() {
                Some(Overlay::Help(help)) => help.scroll = help.scroll.min(limit),
                Some(Overlay::ImportPreview(p)) => p.scroll = p.scroll.min(preview_limit),
                _ => {}
            }
            Effect::None
        }
        Msg::Key(key) => {
            if key.kind == KeyEventKind::Release {
                return Effect::None;
            }
            state.last_activity = now;
            on_key(state, key)
        }
        Msg::Paste(text) => {
            // Most pastes are the password Apple just showed: wiped once typed in.
            let text = zeroize::Zeroizing::new(text);
            state.last_activity = now;
            if !search_text(state, &text) {
                for c in text.chars().filter(|c| !c.is_control()) {
                    type_char(state, c);
                }
            }
            Effect::None
        }
        Msg::Mouse(m) => {
            state.last_activity = now;
            on_mouse(state, m)
        }
        Msg::Layout(_) => Effect::None,
        Msg::Polled(stat) => follow::polled(state, stat),
        Msg::Followed { stat, result } => follow::followed(state, stat, result),
        Msg::Opened { .. }
        | Msg::Checked(_)
        | Msg::Saved { .. }
        | Msg::Copied { .. }
        | Msg::CopiedValue { .. }
        | Msg::NewKey(_)
        | Msg::PassphraseChanged(_) => outcomes::handle(state, msg),
        Msg::Verifying { .. } | Msg::VerifyEnded { .. } => verify::handle(state, msg),
        Msg::ImportRead { request, result } => import::read(state, request, result),
        Msg::Exported { request, result } => export::written(state, &request, result),
    }
}

fn tick(state: &mut State) -> Effect {
    let now = state.now;
    if let Some(s) = state.session_mut()
        && s.revealed.as_ref().is_some_and(|(_, until)| *until <= now)
    {
        s.revealed = None;
    }
    if state
        .copy
        .as_ref()
        .is_some_and(|c| c.deadline.is_some_and(|d| d <= now))
    {
        state.copy = None;
    }
    let idle = now.saturating_duration_since(state.last_activity);
    if state.session().is_some() && !state.settings.idle_lock.is_zero() && idle >= state.settings.idle_lock {
        let verifying = state.verification.running.is_some();
        let effect = lock(state);
        let mut text = format!(
            "Locked after {} of inactivity.",
            human_duration(state.settings.idle_lock)
        );
        if verifying {
            text.push_str(VERIFY_STOPPED);
        }
        state.say(Tone::Info, text);
        return effect;
    }
    follow::poll(state)
}

fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 && s.is_multiple_of(60) {
        format!("{} min", s / 60)
    } else {
        format!("{s} s")
    }
}

/// Said when locking stops a verification under way.
const VERIFY_STOPPED: &str = " The verification under way was stopped; nothing of it was recorded.";

/// Drops the decrypted vault (zeroizing it) and asks for the passphrase again. A
/// pending clipboard copy is cleared too, and a verification under way is stopped,
/// its answers dropped with the vault.
fn lock(state: &mut State) -> Effect {
    if state.verification.running.take().is_some() {
        state.say(Tone::Info, format!("Locked.{VERIFY_STOPPED}"));
    }
    state.dialogs.close_all();
    state.busy = None;
    state.screen = Screen::Unlock(Unlock::default());
    let had_copy = state.copy.take().is_some();
    if had_copy {
        Effect::ClearClipboard
    } else {
        Effect::None
    }
}

/// Ends the session: the event loop stops after this message. A copied password
/// stays until it clears (its holder outlives aspen).
fn quit(state: &mut State) -> Effect {
    state.quit = true;
    Effect::None
}

fn type_char(state: &mut State, c: char) {
    if let Some(overlay) = state.dialogs.top_mut() {
        // Text pasted while a dialog is open is not for the field behind it.
        if let Some(form) = overlay.form_mut() {
            form.focused().push(c);
            form.error = None;
            form.note = None;
        }
        return;
    }
    match &mut state.screen {
        Screen::Unlock(u) if state.busy.is_none() => {
            u.input.push(c);
            u.error = None;
        }
        Screen::Welcome(w) if state.busy.is_none() => {
            let field = if w.focus == 0 { &mut w.first } else { &mut w.second };
            field.push(c);
            w.error = None;
        }
        Screen::Open(_, View::Main) => {
            search_text(state, c.encode_utf8(&mut [0; 4]));
        }
        _ => {}
    }
}

/// The longest search query; a runaway paste stops here.
const MAX_QUERY_CHARS: usize = 256;

/// Appends `text` to the search query, filtering once for the whole of it. False when
/// no search is being typed.
fn search_text(state: &mut State, text: &str) -> bool {
    if state.dialogs.is_open() {
        return false;
    }
    let Screen::Open(s, View::Main) = &mut state.screen else {
        return false;
    };
    if !s.table.searching {
        return false;
    }
    let mut q = s.table.search.query().to_owned();
    let room = MAX_QUERY_CHARS.saturating_sub(q.chars().count());
    q.extend(text.chars().filter(|c| !c.is_control()).take(room));
    s.table.search.set_query(&q);
    s.table.selected = 0;
    s.refresh_rows();
    true
}

fn backspace(state: &mut State) {
    if let Some(form) = state.dialogs.form_mut() {
        form.focused().backspace();
        return;
    }
    match &mut state.screen {
        Screen::Unlock(u) => {
            u.input.0.pop();
        }
        Screen::Welcome(w) => {
            let field = if w.focus == 0 { &mut w.first } else { &mut w.second };
            field.0.pop();
        }
        Screen::Open(_, View::Main) => {
            if let Some(s) = state.session_mut()
                && s.table.searching
            {
                let mut q = s.table.search.query().to_owned();
                q.pop();
                s.table.search.set_query(&q);
                s.refresh_rows();
            }
        }
        Screen::Open(_, View::Overview) | Screen::CannotOpen(_) => {}
    }
}

fn on_key(state: &mut State, key: crossterm::event::KeyEvent) -> Effect {
    let (w, h) = state.size;
    let too_small = w < MIN_SIZE.0 || h < MIN_SIZE.1;
    let mode = state.mode();
    let action = state.keymap.resolve(mode, Key::from_event(key));
    if too_small && !matches!(action, Some(Action::Quit)) {
        return Effect::None;
    }
    if mode.takes_text() && action.is_none() {
        match key.code {
            KeyCode::Char(c) if !key.modifiers.intersects(crossterm::event::KeyModifiers::CONTROL) => {
                type_char(state, c);
            }
            KeyCode::Backspace => backspace(state),
            _ => {}
        }
        return Effect::None;
    }
    let Some(action) = action else {
        return Effect::None;
    };
    // Esc stops a verification under way, on either screen, when no dialog is open.
    if action == Action::Back
        && matches!(mode, Mode::Main | Mode::Overview)
        && state.verification.running.is_some()
    {
        return verify::stop(state);
    }
    match mode {
        Mode::Unlock => screens::unlock_key(state, action),
        Mode::Help | Mode::Form | Mode::Dialog => dialog_key(state, action),
        Mode::Search => screens::search_key(state, action),
        Mode::Overview => screens::overview_key(state, action),
        Mode::Main => screens::main_key(state, action),
    }
}

/// A key in the open dialog: the dialog handles it and says what it comes to;
/// [`apply::outcome`] carries that out.
fn dialog_key(state: &mut State, action: Action) -> Effect {
    if action == Action::Quit {
        return quit(state);
    }
    let help_limit = views::help_scroll_limit(state);
    let preview_limit = views::import_scroll_limit(state);
    let Some(overlay) = state.dialogs.top_mut() else {
        return Effect::None;
    };
    let ctx = Ctx {
        today: state.today,
        keys: &state.keymap,
        // The field, not `session()`: the dialog is borrowed from `state` meanwhile.
        vault: match &state.screen {
            Screen::Open(s, _) => Some(&s.loaded.vault),
            _ => None,
        },
        themes: state.themes.len(),
        help_limit,
        preview_limit,
    };
    let outcome = overlay.on_action(action, &ctx);
    apply::outcome(state, outcome)
}

fn on_mouse(state: &mut State, m: crossterm::event::MouseEvent) -> Effect {
    if state.dialogs.is_open() || !matches!(state.screen, Screen::Open(_, View::Main)) {
        return Effect::None;
    }
    let area = state.table_rows;
    let Some(s) = state.session_mut() else {
        return Effect::None;
    };
    match m.kind {
        MouseEventKind::ScrollDown => move_selection(s, 3),
        MouseEventKind::ScrollUp => move_selection(s, -3),
        MouseEventKind::Down(MouseButton::Left) => {
            let inside = m.column >= area.x
                && m.column < area.x + area.width
                && m.row >= area.y
                && m.row < area.y + area.height;
            if inside {
                let row = s.table.offset + usize::from(m.row - area.y);
                if row < s.table.rows.len() {
                    s.table.selected = row;
                }
            }
        }
        _ => {}
    }
    Effect::None
}
