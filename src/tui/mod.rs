//! The terminal UI. The only module that knows ratatui and crossterm.
//!
//! Shape: a key is resolved by the [`keymap`] to an [`action::Action`];
//! [`update::update`], the only writer of the [`state::State`], handles it (a dialog
//! in [`dialogs`] answers with an outcome; only `update` applies a change to the
//! vault) and returns an [`msg::Effect`]; the [`runner::Runner`] reads the state,
//! does the I/O through [`crate::app`] and reports what happened as a [`msg::Msg`]
//! for `update`. [`views::render`] draws the state without changing it and returns
//! the [`state::Layout`] that clicks and paging need, which the loop hands back to
//! `update`. The loop is generic over the ratatui backend, and "now" is passed in,
//! so tests drive it without a terminal or sleeps.

/// Re-exported: the TUI's actions live at the crate root so the config can name them.
pub mod action {
    pub use crate::action::Action;
}
pub mod dialogs;
pub mod form;
pub(crate) mod hints;
pub mod keymap;
pub mod msg;
pub mod rows;
pub mod runner;
mod startup;
pub mod state;
pub mod style;
mod terminal;
pub mod undo;
pub mod update;
pub mod verify;
pub mod views;

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event};
use jiff::civil::Date;
use ratatui::Terminal;
use ratatui::backend::Backend;

use self::msg::Msg;
use self::runner::{Runner, SystemClipboard};
use self::state::{Screen, Settings, State};
use crate::app::NewVaultCost;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::storage::VaultPaths;

/// What the CLI hands the TUI.
pub struct Options {
    pub paths: VaultPaths,
    pub config: Config,
    pub today: Date,
    /// `--theme`, over the config's.
    pub theme: Option<String>,
    pub user_theme_dir: Option<PathBuf>,
    /// The config file the settings came from, if any: a bad key is located in it.
    pub config_file: Option<PathBuf>,
    pub insecure_kdf: bool,
}

/// Builds the starting state. Problems with the theme or keys are listed on the
/// first screen and the defaults used, never a refusal to start; what stands at the
/// vault path decides whether that screen asks for a passphrase, offers a new vault,
/// or says why it can do neither.
pub fn initial_state(opts: &Options, now: Instant) -> State {
    let startup::Settings {
        theme,
        themes,
        keymap,
        mut problems,
    } = startup::settings(opts);
    let (verify, verify_problems, not_apple) = verify::VerifySettings::from_config(&opts.config.verify);
    problems.extend(verify_problems);
    let mut state = State {
        screen: Screen::CannotOpen(String::new()),
        dialogs: dialogs::Dialogs::default(),
        keymap,
        theme,
        themes,
        user_theme_dir: opts.user_theme_dir.clone(),
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        settings: Settings {
            policy: opts.config.policy(),
            idle_lock: Duration::from_secs(opts.config.idle_lock_secs),
            reveal_for: Duration::from_secs(10),
            insecure_kdf: opts.insecure_kdf,
            verify,
        },
        vault_path: opts.paths.vault().to_path_buf(),
        backup_path: opts.paths.backup(),
        today: opts.today,
        now,
        last_activity: now,
        message: None,
        copy: None,
        busy: None,
        verification: verify::Verification::default(),
        size: (80, 24),
        quit: false,
        table_rows: ratatui::layout::Rect::default(),
        new_id: crate::app::new_entry_id,
        new_recovery_key: crate::app::new_recovery_key,
    };
    update::apply_check(&mut state, startup::check_vault(&opts.paths));
    if !problems.is_empty() {
        let title = match problems.len() {
            1 => "A problem with the settings".to_owned(),
            n => format!("{n} problems with the settings"),
        };
        state.dialogs.show(dialogs::Overlay::Notice(dialogs::Notice {
            title,
            lines: problems,
        }));
    }
    if !not_apple.is_empty() {
        state.dialogs.push(dialogs::Overlay::Notice(dialogs::Notice {
            title: "Verifying goes to a server that is not Apple's".to_owned(),
            lines: not_apple.iter().map(views::verifying::not_apple).collect(),
        }));
    }
    state
}

/// Runs the TUI on the real terminal until the user quits.
pub fn run(opts: Options) -> Result<()> {
    let (tx, rx) = channel();
    let now = Instant::now();
    let mut state = initial_state(&opts, now);
    let clear_after = Some(Duration::from_secs(opts.config.clipboard_clear_secs)).filter(|d| !d.is_zero());
    let mut runner = Runner {
        paths: opts.paths.clone(),
        clipboard: Box::new(SystemClipboard::new(
            clear_after,
            opts.config.clipboard,
            Box::new(std::io::stdout()),
        )),
        new_vault_cost: if opts.insecure_kdf {
            NewVaultCost::Insecure
        } else {
            NewVaultCost::Calibrate(Duration::from_secs_f64(opts.config.unlock_time_secs))
        },
        background: Some(tx),
    };
    let mut terminal = terminal::enter().map_err(terminal_error)?;
    let result = event_loop(&mut terminal, &mut state, &mut runner, &rx, &mut CrosstermEvents);
    terminal::leave();
    // Dropping the state drops the session: every password and the key are zeroized.
    drop(state);
    result.map_err(terminal_error)
}

fn terminal_error(source: std::io::Error) -> Error {
    Error::Terminal { source }
}

/// Where events come from: the real terminal, or a script in tests.
pub trait EventSource {
    /// The next event, or `None` when `timeout` passed without one.
    fn next(&mut self, timeout: Duration) -> std::io::Result<Option<Event>>;
}

pub struct CrosstermEvents;

impl EventSource for CrosstermEvents {
    fn next(&mut self, timeout: Duration) -> std::io::Result<Option<Event>> {
        if event::poll(timeout)? {
            event::read().map(Some)
        } else {
            Ok(None)
        }
    }
}

/// Feeds one message through `update` and the effects it causes.
pub fn dispatch(state: &mut State, runner: &mut Runner, msg: Msg, now: Instant) {
    let mut next = Some(msg);
    while let Some(m) = next {
        let effect = update::update(state, m, now);
        next = runner.run(effect, &*state);
    }
}

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Mouse(m) => Some(Msg::Mouse(m)),
        Event::Paste(p) => Some(Msg::Paste(p)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

/// Debug builds only: F12 panics when `ASPEN_DEBUG_PANIC_KEY` is set, so the
/// terminal-restore-on-panic test has a panic to observe. Release builds have none.
fn panic_for_tests(event: Option<&Event>) {
    #[cfg(debug_assertions)]
    if let Some(Event::Key(k)) = event
        && k.code == crossterm::event::KeyCode::F(12)
        && std::env::var_os("ASPEN_DEBUG_PANIC_KEY").is_some()
    {
        panic!("forced panic (ASPEN_DEBUG_PANIC_KEY) to test terminal restore");
    }
    #[cfg(not(debug_assertions))]
    let _ = event;
}

/// Draw, wait for an event or a tick, update; until the user quits.
pub fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    state: &mut State,
    runner: &mut Runner,
    background: &Receiver<Msg>,
    events: &mut impl EventSource,
) -> std::io::Result<()>
where
    B::Error: Into<std::io::Error>,
{
    let size = terminal.size().map_err(Into::into)?;
    dispatch(
        state,
        runner,
        Msg::Resize(size.width, size.height),
        Instant::now(),
    );
    while !state.quit {
        let mut layout = state::Layout::default();
        terminal
            .draw(|f| layout = views::render(f, state))
            .map_err(Into::into)?;
        dispatch(state, runner, Msg::Layout(layout), Instant::now());
        // Short ticks while something counts down or spins, slow ones otherwise.
        let tick = if state.busy.is_some() || state.verification.running.is_some() {
            Duration::from_millis(100)
        } else {
            Duration::from_millis(500)
        };
        let event = events.next(tick)?;
        panic_for_tests(event.as_ref());
        let msg = event.and_then(to_msg).unwrap_or(Msg::Tick);
        dispatch(state, runner, msg, Instant::now());
        while let Ok(done) = background.try_recv() {
            dispatch(state, runner, done, Instant::now());
        }
    }
    Ok(())
}
