//! A recovery key made in the TUI. The key is drawn when the user says yes and held
//! here, in the dialog, from then on; it is shown only once the vault saved with it
//! is on disk (a key shown before that might open nothing), and closing the dialog
//! drops it, wiping its text and its code.

use zeroize::Zeroizing;

use super::Outcome;
use crate::action::Action;
use crate::secret::SecretString;
use crate::vault_file::RecoveryIdentity;

/// The question before a key is made, with how many the vault has already.
pub struct RecoveryKeyAsk {
    pub existing: usize,
}

/// The key, once it can be shown: its text and its QR code's lines.
struct Shown {
    secret: SecretString,
    qr: Zeroizing<Vec<String>>,
}

pub struct RecoveryKeyDialog {
    key: RecoveryIdentity,
    shown: Option<Shown>,
}

impl RecoveryKeyDialog {
    /// Holds `key` until the save that lists it is done.
    pub fn new(key: RecoveryIdentity) -> Self {
        Self { key, shown: None }
    }

    /// The key's public half, as the vault lists it.
    pub fn recipient(&self) -> String {
        self.key.recipient()
    }

    /// The save is durable: the key may be shown. `dark`: the code's drawn modules
    /// are its dark ones (in colour, black on white).
    pub fn saved(&mut self, dark: bool) {
        let secret = self.key.secret();
        let qr = crate::qr::lines(secret.expose(), dark);
        self.shown = Some(Shown { secret, qr });
    }

    /// The key's text, once saved.
    pub fn secret(&self) -> Option<&str> {
        self.shown.as_ref().map(|s| s.secret.expose())
    }

    /// The key's QR code, once saved.
    pub fn qr(&self) -> &[String] {
        self.shown.as_ref().map_or(&[], |s| s.qr.as_slice())
    }

    pub(super) fn on_action(&self, action: Action) -> Outcome {
        match action {
            Action::Confirm if self.shown.is_some() => Outcome::Close,
            Action::Back => Outcome::Close,
            _ => Outcome::Stay,
        }
    }
}
