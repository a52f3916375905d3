//! The runner: executes the [`Effect`]s `update` returns. All of the TUI's I/O is
//! here: the key derivation, saving, the clipboard, the terminal's OSC 52. It reads
//! the state and changes none of it: what happened goes back to `update` as a
//! [`Msg`].

use std::io::Write;
use std::sync::mpsc::Sender;
use std::time::Duration;

use super::msg::{CopyOutcome, Effect, Msg};
use super::state::State;
use crate::app::{self, NewVaultCost};
use crate::clipboard::{self, ClipboardError, Copied, Holder, Method, Tmux};
use crate::error::Error;
use crate::secret::SecretString;
use crate::storage::{Loaded, VaultPaths};

/// The clipboard as the TUI uses it; tests give a fake.
pub trait ClipboardPort {
    /// Puts `secret` on the clipboard; says where it went, or why it failed.
    fn copy(&mut self, secret: &SecretString) -> Result<CopyOutcome, ClipboardError>;
    /// Puts a value that is no secret (a server name, a label) on the clipboard until
    /// something replaces it.
    fn copy_value(&mut self, value: &str) -> Result<CopyOutcome, ClipboardError>;
    /// Clears our copy now if it is still on the clipboard.
    fn clear_now(&mut self);
}

/// The real clipboard: the detached holder, or OSC 52 through the terminal.
pub struct SystemClipboard {
    pub clear_after: Option<Duration>,
    pub method: Method,
    holder: Option<Holder>,
    /// Where OSC 52 goes: the TUI's own terminal output.
    out: Box<dyn Write>,
}

impl SystemClipboard {
    pub fn new(clear_after: Option<Duration>, method: Method, out: Box<dyn Write>) -> Self {
        Self {
            clear_after,
            method,
            holder: None,
            out,
        }
    }
}

impl ClipboardPort for SystemClipboard {
    fn copy(&mut self, secret: &SecretString) -> Result<CopyOutcome, ClipboardError> {
        self.put(secret, self.clear_after)
    }

    fn copy_value(&mut self, value: &str) -> Result<CopyOutcome, ClipboardError> {
        self.put(&SecretString::from(value), None)
    }

    fn clear_now(&mut self) {
        if let Some(holder) = self.holder.take() {
            let _ = holder.clear_now();
        }
    }
}

impl SystemClipboard {
    fn put(
        &mut self,
        secret: &SecretString,
        clear_after: Option<Duration>,
    ) -> Result<CopyOutcome, ClipboardError> {
        // A new copy replaces the old: end the previous holder first.
        self.clear_now();
        match clipboard::copy(secret, clear_after, self.method)? {
            Copied::Held(holder) => {
                let deadline = holder.deadline();
                self.holder = Some(holder);
                Ok(CopyOutcome::Clipboard(deadline))
            }
            Copied::Osc52(bytes) => {
                // A tmux that drops it would make a copy claimed but not made; the
                // password is not even sent then.
                let tmux = clipboard::tmux_osc52();
                if let Tmux::Drops(setting) = tmux {
                    return Ok(CopyOutcome::TmuxDrops(setting));
                }
                self.out
                    .write_all(&bytes)
                    .and_then(|()| self.out.flush())
                    .map_err(|source| ClipboardError::Terminal { source })?;
                Ok(CopyOutcome::Terminal { tmux })
            }
        }
    }
}

pub struct Runner {
    pub paths: VaultPaths,
    pub clipboard: Box<dyn ClipboardPort>,
    pub new_vault_cost: NewVaultCost,
    /// Background results (key derivations) arrive here; `None` runs them inline,
    /// which tests use to stay synchronous.
    pub background: Option<Sender<Msg>>,
}

impl Runner {
    /// Does what `effect` asks; returns the message to feed back to `update` now,
    /// if any (background work answers later through the channel).
    pub fn run(&mut self, effect: Effect, state: &State) -> Option<Msg> {
        match effect {
            Effect::None => None,
            Effect::CheckVault => Some(Msg::Checked(super::startup::check_vault(&self.paths))),
            Effect::Unlock(passphrase, costlier) => {
                let paths = self.paths.clone();
                self.spawn(move || unlock(&paths, passphrase, costlier))
            }
            Effect::Create(passphrase) => {
                let paths = self.paths.clone();
                let cost = self.new_vault_cost;
                self.spawn(move || {
                    let created = app::create_vault(&paths, &passphrase, cost).map(|c| (c.loaded, None));
                    opened(&paths, created)
                })
            }
            Effect::Save(done) => {
                let loaded = &state.session()?.loaded;
                let result = app::save(
                    &self.paths,
                    &loaded.vault,
                    &loaded.key,
                    &loaded.fingerprint,
                    state.today,
                );
                Some(Msg::Saved { done, result })
            }
            Effect::Poll => Some(Msg::Polled(app::file_stat(&self.paths))),
            Effect::Follow(stat) => {
                let loaded = &state.session()?.loaded;
                let shown = (&loaded.vault, &loaded.fingerprint);
                let result = app::follow(&self.paths, &loaded.key, shown, state.today);
                Some(Msg::Followed { stat, result })
            }
            Effect::Copy(id) => {
                let entry = state.session()?.loaded.vault.entry(&id)?;
                // The update refuses a copy of an untracked entry before it gets here.
                let secret = SecretString::from(entry.password.as_ref()?.expose());
                Some(Msg::Copied {
                    label: entry.label.clone(),
                    result: self.clipboard.copy(&secret),
                })
            }
            Effect::CopyValue { what, value } => Some(Msg::CopiedValue {
                result: self.clipboard.copy_value(&value),
                what,
            }),
            Effect::ClearClipboard => {
                self.clipboard.clear_now();
                None
            }
            Effect::ChangePassphrase(new) => {
                let cost = state.session()?.loaded.key.kdf().cost();
                let paths = self.paths.clone();
                self.spawn(move || Msg::NewKey(app::derive_new_key(&paths, cost, &new)))
            }
            Effect::Rekey(key) => {
                let loaded = &state.session()?.loaded;
                let saved = app::rekey(
                    &self.paths,
                    &loaded.vault,
                    &loaded.fingerprint,
                    (&loaded.key, &key),
                    state.today,
                );
                Some(Msg::PassphraseChanged(
                    saved.map(|fingerprint| (key, fingerprint)),
                ))
            }
            Effect::Verify(job) => self.verify(*job),
            Effect::ReadImport(request) => {
                let path = home_expanded(&request.path);
                let result = crate::import::read(&path, request.source, &request.options);
                Some(Msg::ImportRead { request, result })
            }
            Effect::Export(request) => self.export(request, state),
        }
    }

    /// Writes the session's vault as the export asks, to the path typed with `~/`
    /// read as the shell would; the vault file's bytes as the session read them are
    /// what an age export holds.
    fn export(&self, request: app::export::Request, state: &State) -> Option<Msg> {
        let loaded = &state.session()?.loaded;
        let written = app::export::Request {
            path: home_expanded(&request.path),
            ..request.clone()
        };
        let vault = (&loaded.vault, loaded.fingerprint.bytes());
        let policy = state.settings.policy;
        let result = app::export::to_file(&self.paths, vault, state.today, policy, &written);
        Some(Msg::Exported { request, result })
    }

    /// Signs in on a thread of its own, each step reported as it happens; inline
    /// (tests without a channel), only the end is.
    fn verify(&self, job: super::verify::Job) -> Option<Msg> {
        let run = job.run;
        match &self.background {
            Some(tx) => {
                let tx = tx.clone();
                std::thread::spawn(move || {
                    let report = &mut |step| {
                        let _ = tx.send(Msg::Verifying { run, step });
                    };
                    let items = super::verify::work(job, report);
                    let _ = tx.send(Msg::VerifyEnded { run, items });
                });
                None
            }
            None => Some(Msg::VerifyEnded {
                run,
                items: super::verify::work(job, &mut |_| {}),
            }),
        }
    }

    fn spawn(&self, work: impl FnOnce() -> Msg + Send + 'static) -> Option<Msg> {
        match &self.background {
            Some(tx) => {
                let tx = tx.clone();
                std::thread::spawn(move || {
                    let _ = tx.send(work());
                });
                None
            }
            None => Some(work()),
        }
    }
}

/// `~/x` as the shell would read it: a path typed in a form is not seen by one.
fn home_expanded(path: &std::path::Path) -> std::path::PathBuf {
    match (path.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(home)) if !home.is_empty() => std::path::Path::new(&home).join(rest),
        _ => path.to_path_buf(),
    }
}

/// Unlocks for reading: an older copy is named after unlocking; a far costlier key
/// derivation than seen here needs `costlier`, the user's second unlock.
fn unlock(paths: &VaultPaths, passphrase: SecretString, costlier: bool) -> Msg {
    let consent = app::Consent {
        older: true,
        costlier,
        other_vault: false,
    };
    let result = app::open(paths, consent, || Ok(passphrase)).map(|o| {
        let fingerprint = crate::storage::Fingerprint::of(&o.bytes);
        let loaded = Loaded {
            vault: o.vault,
            key: o.key,
            fingerprint,
        };
        (loaded, o.older)
    });
    opened(paths, result)
}

/// The result of opening the vault, with what others could do to its files.
fn opened(paths: &VaultPaths, result: Result<(Loaded, Option<app::Older>), Error>) -> Msg {
    let (warnings, copies) = match &result {
        Ok(_) => (
            paths.store().permission_warnings(),
            paths.store().conflict_copies(),
        ),
        Err(_) => (Vec::new(), Vec::new()),
    };
    let (result, older) = match result {
        Ok((loaded, older)) => (Ok(loaded), older),
        Err(e) => (Err(e), None),
    };
    Msg::Opened {
        result,
        warnings,
        copies,
        older,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_typed_with_a_tilde_starts_at_home() {
        let home = std::env::var_os("HOME").unwrap_or_default();
        let typed = std::path::Path::new("~/Downloads/export.csv");
        let expected = match home.is_empty() {
            true => typed.to_path_buf(),
            false => std::path::Path::new(&home).join("Downloads/export.csv"),
        };
        assert_eq!(home_expanded(typed), expected);
        let other = std::path::Path::new("~other/export.csv");
        assert_eq!(home_expanded(other), other);
        let plain = std::path::Path::new("/tmp/export.csv");
        assert_eq!(home_expanded(plain), plain);
    }
}
