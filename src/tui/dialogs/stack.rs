//! The dialogs open over the screen, as a stack. A dialog that opens another on
//! behalf of its own question (the add form asking whether to join an entry, or
//! which entry to revoke to make room) waits below it, as it was typed, and comes
//! back when that one closes: going back is a pop, never a link kept by hand.

use super::Overlay;
use crate::tui::form::Form;

#[derive(Default)]
pub struct Dialogs(Vec<Overlay>);

impl Dialogs {
    /// The dialog that handles keys and is drawn on top.
    pub fn top(&self) -> Option<&Overlay> {
        self.0.last()
    }

    pub fn top_mut(&mut self) -> Option<&mut Overlay> {
        self.0.last_mut()
    }

    pub fn is_open(&self) -> bool {
        !self.0.is_empty()
    }

    /// Opens `dialog` over the one on top, which waits for it.
    pub fn push(&mut self, dialog: Overlay) {
        self.0.push(dialog);
    }

    /// `dialog` takes the top one's place (a reset's preview after its form).
    pub fn replace(&mut self, dialog: Overlay) {
        self.0.pop();
        self.0.push(dialog);
    }

    /// Closes the top dialog; the one it was opened from, if any, comes back.
    pub fn pop(&mut self) -> Option<Overlay> {
        self.0.pop()
    }

    /// Opens `dialog` alone, over the screen: what was open is dropped (and the
    /// secrets typed in it zeroized).
    pub fn show(&mut self, dialog: Overlay) {
        self.0.clear();
        self.0.push(dialog);
    }

    /// Closes every dialog (locking, a change that ends the whole question).
    pub fn close_all(&mut self) {
        self.0.clear();
    }

    /// The form on top, for the dialogs that are one.
    pub fn form_mut(&mut self) -> Option<&mut Form> {
        self.top_mut().and_then(Overlay::form_mut)
    }
}
