//! The session's undo: before each change, the vault as it was, kept as the same
//! RON plaintext the file encrypts (zeroized when dropped), so taking it back is one
//! more ordinary save. Part of the session: locking drops it with every password.

use zeroize::Zeroizing;

use crate::model::Vault;
use crate::storage::{Fingerprint, Loaded};
use crate::vault_file::{self, FormatError};

/// How many changes back `u` can walk; each step holds a copy of the whole vault.
pub const MAX_STEPS: usize = 50;

/// How much the copies may take together: a vault of 100,000 entries is tens of MiB
/// as RON, and fifty of them would not fit in memory. The last change can always be
/// undone, whatever its size.
pub const MAX_BYTES: usize = 64 << 20;

/// One change that can be taken back.
pub struct Step {
    /// What it was, for "Undid: …" ("revoke of \"Thunderbird\"").
    pub what: String,
    /// The vault before it.
    before: Zeroizing<String>,
}

impl Step {
    /// The vault this step goes back to.
    pub fn vault(&self) -> Result<Vault, FormatError> {
        vault_file::parse_plaintext(self.before.as_bytes()).map(|(vault, _)| vault)
    }
}

/// The vault as it is now, to go back to.
pub fn snapshot(loaded: &Loaded) -> Zeroizing<String> {
    vault_file::plaintext(&loaded.vault, loaded.key.kdf())
}

/// A copy of the open vault (the model's vault holds passwords and is not `Clone`),
/// to try a change on before asking the user to confirm it.
pub fn copy_of(loaded: &Loaded) -> Result<Vault, FormatError> {
    vault_file::parse_plaintext(snapshot(loaded).as_bytes()).map(|(vault, _)| vault)
}

/// A save on its way to disk, and what to do with the stack if it fails.
enum InFlight {
    /// A change pushed as the top step, saved over the file read at `from`.
    Change { from: Fingerprint },
    /// An undo: `step` was taken off the stack to save over the file read at `from`.
    Undo { step: Step, from: Fingerprint },
}

#[derive(Default)]
pub struct UndoStack {
    steps: Vec<Step>,
    in_flight: Option<InFlight>,
}

impl UndoStack {
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The next change `u` takes back.
    pub fn top(&self) -> Option<&Step> {
        self.steps.last()
    }

    /// A change was made in memory, `before` being the vault before it; its save
    /// over the file read at `from` follows.
    pub fn push(&mut self, what: String, before: Zeroizing<String>, from: Fingerprint) {
        self.steps.push(Step { what, before });
        let mut bytes: usize = self.steps.iter().map(|s| s.before.len()).sum();
        while self.steps.len() > 1 && (self.steps.len() > MAX_STEPS || bytes > MAX_BYTES) {
            bytes -= self.steps.remove(0).before.len();
        }
        self.in_flight = Some(InFlight::Change { from });
    }

    /// Takes the top step off for an undo whose save over `from` follows.
    pub fn pop(&mut self, from: Fingerprint) -> Option<String> {
        let step = self.steps.pop()?;
        let what = step.what.clone();
        self.in_flight = Some(InFlight::Undo { step, from });
        Some(what)
    }

    /// The save is on disk.
    pub fn saved(&mut self) {
        self.in_flight = None;
    }

    /// The save failed and the screen now shows what the file holds, read at
    /// `on_disk`. A change that was not stored is no step to undo; an undo that was
    /// not stored can be tried again. When the file is not the one the save started
    /// from, another program wrote it: going back to an older copy would throw its
    /// work away, so nothing can be undone any more.
    pub fn failed(&mut self, on_disk: &Fingerprint) {
        match self.in_flight.take() {
            Some(InFlight::Change { from }) => {
                self.steps.pop();
                if &from != on_disk {
                    self.steps.clear();
                }
            }
            Some(InFlight::Undo { step, from }) => {
                if &from == on_disk {
                    self.steps.push(step);
                } else {
                    self.steps.clear();
                }
            }
            None => {}
        }
    }

    /// Another program wrote the file: older copies would undo its work.
    pub fn clear(&mut self) {
        self.steps.clear();
        self.in_flight = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(s: &str) -> Fingerprint {
        Fingerprint::of(s.as_bytes())
    }

    fn step(what: &str) -> (String, Zeroizing<String>) {
        (what.to_owned(), Zeroizing::new(format!("vault before {what}")))
    }

    fn tops(stack: &UndoStack) -> Vec<String> {
        stack.steps.iter().map(|s| s.what.clone()).collect()
    }

    #[test]
    fn a_change_whose_save_failed_is_no_step_to_undo() {
        let mut stack = UndoStack::default();
        let (what, before) = step("add");
        stack.push(what, before, fp("v1"));
        stack.saved();
        let (what, before) = step("revoke");
        stack.push(what, before, fp("v2"));
        // The disk is full: the file is still v2, and the add can still be undone.
        stack.failed(&fp("v2"));
        assert_eq!(tops(&stack), ["add"]);
    }

    #[test]
    fn an_undo_whose_save_failed_can_be_tried_again() {
        let mut stack = UndoStack::default();
        let (what, before) = step("add");
        stack.push(what, before, fp("v1"));
        stack.saved();
        assert_eq!(stack.pop(fp("v2")).as_deref(), Some("add"));
        assert!(stack.is_empty());
        stack.failed(&fp("v2"));
        assert_eq!(tops(&stack), ["add"]);
    }

    #[test]
    fn a_file_written_by_another_program_ends_undo() {
        let mut stack = UndoStack::default();
        for (n, what) in ["add", "edit"].into_iter().enumerate() {
            let (what, before) = step(what);
            stack.push(what, before, fp(&format!("v{n}")));
            stack.saved();
        }
        assert_eq!(stack.pop(fp("v2")).as_deref(), Some("edit"));
        stack.failed(&fp("synced in"));
        assert!(stack.is_empty(), "{:?}", tops(&stack));
    }

    #[test]
    fn only_the_last_steps_are_kept() {
        let mut stack = UndoStack::default();
        for n in 0..MAX_STEPS + 3 {
            let (what, before) = step(&n.to_string());
            stack.push(what, before, fp("v"));
            stack.saved();
        }
        assert_eq!(stack.len(), MAX_STEPS);
        assert_eq!(stack.top().map(|s| s.what.as_str()), Some("52"));
        assert_eq!(tops(&stack)[0], "3");
    }

    #[test]
    fn big_copies_are_dropped_oldest_first_but_the_last_stays() {
        let mut stack = UndoStack::default();
        let big = || Zeroizing::new("x".repeat(MAX_BYTES / 2 + 1));
        stack.push("first".to_owned(), big(), fp("v"));
        stack.push("second".to_owned(), big(), fp("v"));
        assert_eq!(tops(&stack), ["second"]);
        stack.push(
            "huge".to_owned(),
            Zeroizing::new("x".repeat(MAX_BYTES + 1)),
            fp("v"),
        );
        assert_eq!(tops(&stack), ["huge"]);
    }
}
