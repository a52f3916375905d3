//! The TUI at 100 / 1k / 10k / 100k entries, drawn into a 120×40 `TestBackend`:
//! one filter keystroke (filter, score, sort, draw) and a redraw alone.
//!
//! `cargo bench --bench tui`

use std::cell::RefCell;
use std::time::Duration;

use aspen::tui::state::State;
use aspen::vault_file::INSECURE;
use crossterm::event::KeyCode;

mod common;
use common::SIZES;

fn main() {
    divan::main();
}

fn unlocked(n: usize) -> (tempfile::TempDir, State) {
    let key = common::key(INSECURE);
    let vault = common::vault(n);
    let bytes = common::file_bytes(&vault, &key);
    let dir = tempfile::tempdir().expect("a temp dir");
    let state = common::tui_state(
        &dir.path().join("vault.aspen"),
        common::loaded(vault, key, &bytes),
    );
    (dir, state)
}

/// Types `typed` into the search, then times typing `next` and drawing the frame.
/// Backspace restores the query between samples, untimed.
fn keystroke(bencher: divan::Bencher, n: usize, typed: &str, next: char) {
    let (_dir, mut state) = unlocked(n);
    let mut terminal = common::terminal();
    common::press(&mut state, KeyCode::Char('/'));
    for c in typed.chars() {
        common::press(&mut state, KeyCode::Char(c));
    }
    common::draw(&mut terminal, &state);
    let state = RefCell::new(state);
    bencher
        .with_inputs(|| {
            let mut s = state.borrow_mut();
            if s.session().is_some_and(|s| s.table.search.query() != typed) {
                common::press(&mut s, KeyCode::Backspace);
            }
        })
        .bench_local_values(|()| {
            let mut s = state.borrow_mut();
            common::press(&mut s, KeyCode::Char(next));
            common::draw(&mut terminal, &s);
        });
    let s = state.borrow();
    let session = s.session().expect("unlocked");
    assert!(!session.table.rows.is_empty(), "the query matches something");
}

/// The first keystroke: `m` matches nearly every entry (every Apple ID has one), so
/// this is the most rows to score and sort.
#[divan::bench(args = SIZES, sample_size = 1, sample_count = 60, max_time = Duration::from_secs(10))]
fn filter_first_key(bencher: divan::Bencher, n: usize) {
    keystroke(bencher, n, "", 'm');
}

/// Refining a query: `thu` -> `thun` (Thunderbird).
#[divan::bench(args = SIZES, sample_size = 1, sample_count = 60, max_time = Duration::from_secs(10))]
fn filter_refine(bencher: divan::Bencher, n: usize) {
    keystroke(bencher, n, "thu", 'n');
}

/// A redraw with nothing changed (every tick and every selection move).
#[divan::bench(args = SIZES, max_time = Duration::from_secs(5))]
fn render(bencher: divan::Bencher, n: usize) {
    let (_dir, state) = unlocked(n);
    let mut terminal = common::terminal();
    bencher.bench_local(|| common::draw(&mut terminal, &state));
}
