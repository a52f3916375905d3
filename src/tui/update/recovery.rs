//! The one suggestion to keep a recovery key: said beside "Added …" when the vault
//! comes to hold its third password and only the passphrase opens it. Making the key
//! is the command line's (`aspen recovery-key add`), which shows it once on a
//! terminal of its own; the overview shows whether the vault has one.

use crate::model::{self, Vault};
use crate::tui::msg::Done;
use crate::tui::state::State;

/// How many stored passwords make a vault worth a second key.
const SUGGEST_AT: usize = 3;

/// The passwords the vault holds (entries recorded without one do not count).
fn stored(vault: &Vault) -> usize {
    vault.entries.iter().filter(|e| e.password_stored()).count()
}

/// Adds the suggestion to `text` (what the save of `done` says) when `done` stored
/// the vault's third password and the vault has no recovery key: once, at the
/// crossing, and not again while the vault holds more.
pub(super) fn suggest(state: &State, done: &Done, text: &mut String) {
    let (Some(session), Done::Change(model::Done::Added { id, .. })) = (state.session(), done) else {
        return;
    };
    let vault = &session.loaded.vault;
    let added_password = vault.entry(id).is_some_and(model::Entry::password_stored);
    if !added_password || stored(vault) != SUGGEST_AT || vault.has_recovery_key() {
        return;
    }
    text.push_str(&format!(
        " Your vault holds {SUGGEST_AT} passwords now, and only your passphrase opens it: to keep a \
         recovery key (to print or photograph, for the day the passphrase is forgotten), run \
         `aspen recovery-key add` in a terminal."
    ));
}
