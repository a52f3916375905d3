//! `update`: the only place the TUI's state changes. No drawing, no I/O: anything
//! that touches a file, the clipboard or the key derivation is returned as an
//! [`Effect`] for the runner.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEventKind, MouseButton, MouseEventKind};

use super::action::Action;
use super::dialogs;
use super::keymap::{Key, Mode};
use super::msg::{Effect, Msg};
use super::outcomes;
use super::state::{Overlay, PassInput, Screen, Session, State, Tone, Unlock};

/// Below this the screen shows only a "make the window bigger" message.
pub const MIN_SIZE: (u16, u16) = (60, 16);

pub fn update(state: &mut State, msg: Msg, now: Instant) -> Effect {
    if let Msg::Layout(layout) = msg {
        // A record of the frame just drawn: not an event, so no time passes.
        if let Some(table) = layout.table {
            state.table_rows = table.rows;
            if let Some(s) = &mut state.session {
                s.offset = table.offset;
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
            let limit = crate::tui::views::help_scroll_limit(state);
            if let Some(Overlay::Help { scroll }) = &mut state.overlay {
                *scroll = (*scroll).min(limit);
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
        Msg::Opened { .. }
        | Msg::Checked(_)
        | Msg::Saved { .. }
        | Msg::Copied { .. }
        | Msg::NewKey(_)
        | Msg::PassphraseChanged(_) => outcomes::handle(state, msg),
    }
}

/// Recomputes attention and rows after the vault changed.
pub fn refresh(state: &mut State) {
    let (today, policy) = (state.today, state.settings.policy);
    if let Some(s) = &mut state.session {
        s.vault_changed(today, policy);
    }
}

fn tick(state: &mut State) -> Effect {
    let now = state.now;
    if let Some(s) = &mut state.session
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
    if state.session.is_some() && !state.settings.idle_lock.is_zero() && idle >= state.settings.idle_lock {
        let effect = lock(state);
        state.say(
            Tone::Info,
            format!(
                "Locked after {} of inactivity.",
                human_duration(state.settings.idle_lock)
            ),
        );
        return effect;
    }
    Effect::None
}

pub fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 && s.is_multiple_of(60) {
        format!("{} min", s / 60)
    } else {
        format!("{s} s")
    }
}

/// Drops the decrypted vault (zeroizing it) and asks for the passphrase again. A
/// pending clipboard copy is cleared too.
pub fn lock(state: &mut State) -> Effect {
    state.session = None;
    state.overlay = None;
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
pub fn quit(state: &mut State) -> Effect {
    state.quit = true;
    Effect::None
}

fn type_char(state: &mut State, c: char) {
    match &mut state.overlay {
        Some(Overlay::Form(form)) => {
            form.focused().push(c);
            form.error = None;
            return;
        }
        // Text pasted while a dialog is open is not for the field behind it.
        Some(_) => return,
        None => {}
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
        Screen::Main => {
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
    let Some(s) = &mut state.session else { return false };
    if !s.searching || state.overlay.is_some() || !matches!(state.screen, Screen::Main) {
        return false;
    }
    let mut q = s.search.query().to_owned();
    let room = MAX_QUERY_CHARS.saturating_sub(q.chars().count());
    q.extend(text.chars().filter(|c| !c.is_control()).take(room));
    s.search.set_query(&q);
    s.selected = 0;
    s.refresh_rows();
    true
}

fn backspace(state: &mut State) {
    if let Some(Overlay::Form(form)) = &mut state.overlay {
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
        Screen::Main => {
            if let Some(s) = &mut state.session
                && s.searching
            {
                let mut q = s.search.query().to_owned();
                q.pop();
                s.search.set_query(&q);
                s.refresh_rows();
            }
        }
        Screen::Overview | Screen::CannotOpen(_) => {}
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
    match mode {
        Mode::Unlock => unlock_key(state, action),
        Mode::Help => {
            if action == Action::Quit {
                return quit(state);
            }
            let limit = crate::tui::views::help_scroll_limit(state);
            if let Some(Overlay::Help { scroll }) = &mut state.overlay {
                match action {
                    // Down stops at the last line: past it there is only an empty box.
                    Action::Down => *scroll = scroll.saturating_add(1).min(limit),
                    Action::Up => *scroll = scroll.saturating_sub(1),
                    _ => state.overlay = None,
                }
            }
            Effect::None
        }
        Mode::Form | Mode::Dialog => dialogs::on_action(state, action),
        Mode::Search => search_key(state, action),
        Mode::Overview => match action {
            Action::Back => {
                state.screen = Screen::Main;
                Effect::None
            }
            Action::Quit => quit(state),
            Action::Help => {
                state.overlay = Some(Overlay::Help { scroll: 0 });
                Effect::None
            }
            Action::Lock => lock(state),
            _ => Effect::None,
        },
        Mode::Main => main_key(state, action),
    }
}

fn unlock_key(state: &mut State, action: Action) -> Effect {
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
                u.error = Some("Type your passphrase, then Enter.".to_owned());
                return Effect::None;
            }
            let secret = crate::secret::SecretString::from(u.input.0.as_str());
            u.input = PassInput::default();
            state.busy = Some(super::state::Busy {
                text: "Unlocking: deriving the key (Argon2id)".to_owned(),
                since: now,
            });
            Effect::Unlock(secret)
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
            state.busy = Some(super::state::Busy {
                text: "Creating your vault: deriving the key (Argon2id, about a second)".to_owned(),
                since: now,
            });
            Effect::Create(secret)
        }
        _ => Effect::None,
    }
}

fn search_key(state: &mut State, action: Action) -> Effect {
    let Some(s) = &mut state.session else {
        return Effect::None;
    };
    match action {
        Action::Confirm => s.searching = false,
        Action::Back => {
            s.searching = false;
            s.search.set_query("");
            s.refresh_rows();
        }
        Action::Down | Action::Up => move_selection(s, if action == Action::Down { 1 } else { -1 }),
        Action::Quit => return quit(state),
        _ => {}
    }
    Effect::None
}

pub fn move_selection(s: &mut Session, delta: i64) {
    if s.rows.is_empty() {
        s.selected = 0;
        return;
    }
    let last = s.rows.len() as i64 - 1;
    s.selected = (s.selected as i64 + delta).clamp(0, last) as usize;
}

fn page(state: &State) -> i64 {
    i64::from((state.table_rows.height / 2).max(1))
}

fn main_key(state: &mut State, action: Action) -> Effect {
    let page = page(state);
    let now = state.now;
    let reveal_for = state.settings.reveal_for;
    let Some(s) = &mut state.session else {
        return Effect::None;
    };
    match action {
        Action::Down => move_selection(s, 1),
        Action::Up => move_selection(s, -1),
        Action::PageDown => move_selection(s, page),
        Action::PageUp => move_selection(s, -page),
        Action::Top => s.selected = 0,
        Action::Bottom => s.selected = s.rows.len().saturating_sub(1),
        Action::Search => s.searching = true,
        Action::Back => {
            if s.search.is_active() {
                s.search.set_query("");
                s.refresh_rows();
            } else {
                state.message = None;
            }
        }
        Action::CycleSort => {
            s.sort = s.sort.next();
            s.refresh_rows();
            let name = s.sort.name();
            state.say(Tone::Info, format!("Sorted by {name}."));
        }
        Action::CycleFilter => {
            s.filter = s.filter.next();
            s.refresh_rows();
            let name = s.filter.name();
            state.say(Tone::Info, format!("Showing {name}."));
        }
        Action::Reveal => match s.selected_id() {
            Some(id) => s.revealed = Some((id, now + reveal_for)),
            None => state.say(Tone::Info, "Nothing to reveal: the list is empty."),
        },
        Action::Copy => match s.selected_id() {
            Some(id) => return Effect::Copy(id),
            None => state.say(Tone::Info, "Nothing to copy: the list is empty."),
        },
        Action::Quit => return quit(state),
        Action::Help => state.overlay = Some(Overlay::Help { scroll: 0 }),
        Action::Overview => state.screen = Screen::Overview,
        Action::Lock => return lock(state),
        Action::Themes => {
            let selected = state
                .themes
                .iter()
                .position(|t| t.name == state.theme.name)
                .unwrap_or(0);
            state.overlay = Some(Overlay::Themes {
                selected,
                original: state.theme.clone(),
            });
        }
        other => return dialogs::open(state, other),
    }
    Effect::None
}

fn on_mouse(state: &mut State, m: crossterm::event::MouseEvent) -> Effect {
    if state.overlay.is_some() || !matches!(state.screen, Screen::Main) {
        return Effect::None;
    }
    let area = state.table_rows;
    let Some(s) = &mut state.session else {
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
                let row = s.offset + usize::from(m.row - area.y);
                if row < s.rows.len() {
                    s.selected = row;
                }
            }
        }
        _ => {}
    }
    Effect::None
}
