//! The session's undo: for each change, the vault just before it and just after it
//! (before its save, so before any merge with another machine's work), kept as the
//! same RON plaintext the file encrypts (zeroized when dropped). Taking a change back
//! is a three-way patch of the vault as it is now ([`crate::model::revert`]): only
//! what the change itself did is put back, then saved as any change is. Part of the
//! session: locking drops it with every password.

use zeroize::Zeroizing;

use crate::model::Vault;
use crate::storage::Loaded;
use crate::vault_file::{self, FormatError};

/// How many changes back `u` can walk; each step holds two copies of the vault.
pub const MAX_STEPS: usize = 50;

/// How much the copies may take together: a vault of 100,000 entries is tens of MiB
/// as RON, and fifty pairs of them would not fit in memory. The last change can
/// always be undone, whatever its size.
pub const MAX_BYTES: usize = 64 << 20;

/// One change that can be taken back.
pub struct Step {
    /// What it was, for "Undid: …" ("revoke of \"Thunderbird\"").
    pub what: String,
    /// The vault before it.
    before: Zeroizing<String>,
    /// The vault right after it, as the change left it: what it set is what may be
    /// put back, where the vault still holds it.
    after: Zeroizing<String>,
}

impl Step {
    /// The vault before the change and right after it.
    pub fn vaults(&self) -> Result<(Vault, Vault), FormatError> {
        let parse = |text: &Zeroizing<String>| vault_file::parse_plaintext(text.as_bytes()).map(|(v, _)| v);
        Ok((parse(&self.before)?, parse(&self.after)?))
    }

    fn bytes(&self) -> usize {
        self.before.len() + self.after.len()
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
    /// A change pushed as the top step.
    Change,
    /// An undo: `step` was taken off the stack to be saved.
    Undo(Step),
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

    /// A change was made in memory, `before` and `after` being the vault before and
    /// right after it; its save follows.
    pub fn push(&mut self, what: String, before: Zeroizing<String>, after: Zeroizing<String>) {
        self.steps.push(Step { what, before, after });
        let mut bytes: usize = self.steps.iter().map(Step::bytes).sum();
        while self.steps.len() > 1 && (self.steps.len() > MAX_STEPS || bytes > MAX_BYTES) {
            bytes -= self.steps.remove(0).bytes();
        }
        self.in_flight = Some(InFlight::Change);
    }

    /// Takes the top step off for an undo whose save follows.
    pub fn pop(&mut self) -> Option<String> {
        let step = self.steps.pop()?;
        let what = step.what.clone();
        self.in_flight = Some(InFlight::Undo(step));
        Some(what)
    }

    /// The top step cannot be taken back any more (what it set was changed since):
    /// it goes, so that `u` reaches the change before it.
    pub fn discard_top(&mut self) {
        self.steps.pop();
    }

    /// The save is on disk.
    pub fn saved(&mut self) {
        self.in_flight = None;
    }

    /// The save failed and the screen now shows what the file holds. A change that
    /// was not stored is no step to undo; an undo that was not stored can be tried
    /// again. Whatever another program wrote meanwhile stays safe: each step puts
    /// back only what its own change did, where the vault still holds it.
    pub fn failed(&mut self) {
        match self.in_flight.take() {
            Some(InFlight::Change) => {
                self.steps.pop();
            }
            Some(InFlight::Undo(step)) => self.steps.push(step),
            None => {}
        }
    }

    /// Forgets every step (a copy that cannot be read back).
    pub fn clear(&mut self) {
        self.steps.clear();
        self.in_flight = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(what: &str) -> (String, Zeroizing<String>, Zeroizing<String>) {
        (
            what.to_owned(),
            Zeroizing::new(format!("vault before {what}")),
            Zeroizing::new(format!("vault after {what}")),
        )
    }

    fn push(stack: &mut UndoStack, what: &str) {
        let (what, before, after) = step(what);
        stack.push(what, before, after);
    }

    fn tops(stack: &UndoStack) -> Vec<String> {
        stack.steps.iter().map(|s| s.what.clone()).collect()
    }

    #[test]
    fn a_change_whose_save_failed_is_no_step_to_undo() {
        let mut stack = UndoStack::default();
        push(&mut stack, "add");
        stack.saved();
        push(&mut stack, "revoke");
        // The disk is full: the add can still be undone.
        stack.failed();
        assert_eq!(tops(&stack), ["add"]);
    }

    #[test]
    fn an_undo_whose_save_failed_can_be_tried_again() {
        let mut stack = UndoStack::default();
        push(&mut stack, "add");
        stack.saved();
        assert_eq!(stack.pop().as_deref(), Some("add"));
        assert!(stack.is_empty());
        stack.failed();
        assert_eq!(tops(&stack), ["add"]);
    }

    #[test]
    fn a_step_that_cannot_be_taken_back_goes_and_uncovers_the_one_before() {
        let mut stack = UndoStack::default();
        for what in ["add", "edit"] {
            push(&mut stack, what);
            stack.saved();
        }
        stack.discard_top();
        assert_eq!(tops(&stack), ["add"]);
    }

    #[test]
    fn only_the_last_steps_are_kept() {
        let mut stack = UndoStack::default();
        for n in 0..MAX_STEPS + 3 {
            push(&mut stack, &n.to_string());
            stack.saved();
        }
        assert_eq!(stack.len(), MAX_STEPS);
        assert_eq!(stack.top().map(|s| s.what.as_str()), Some("52"));
        assert_eq!(tops(&stack)[0], "3");
    }

    #[test]
    fn big_copies_are_dropped_oldest_first_but_the_last_stays() {
        let mut stack = UndoStack::default();
        let big = || Zeroizing::new("x".repeat(MAX_BYTES / 4 + 1));
        stack.push("first".to_owned(), big(), big());
        stack.push("second".to_owned(), big(), big());
        assert_eq!(tops(&stack), ["second"]);
        stack.push(
            "huge".to_owned(),
            Zeroizing::new("x".repeat(MAX_BYTES + 1)),
            Zeroizing::new(String::new()),
        );
        assert_eq!(tops(&stack), ["huge"]);
    }
}
