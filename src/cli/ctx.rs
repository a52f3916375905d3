//! What every subcommand needs: paths, config, today, and the passphrase.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::prompt;
use crate::app::{self, Consent};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{Change, Done, Vault};
use crate::secret::SecretString;
use crate::storage::{VaultPaths, default_vault_path};

pub use crate::app::Opened;

pub struct Ctx {
    pub paths: VaultPaths,
    pub config: Config,
    pub today: Date,
    passphrase_file: Option<PathBuf>,
    /// `--accept-older` and `--accept-cost`.
    pub accept_older: bool,
    pub accept_cost: bool,
}

impl Ctx {
    pub fn new(
        vault: Option<PathBuf>,
        config: Option<&Path>,
        passphrase_file: Option<PathBuf>,
    ) -> Result<Self> {
        let vault = match vault {
            Some(p) => p,
            None => default_vault_path()?,
        };
        Ok(Self {
            paths: VaultPaths::new(vault),
            config: Config::load(config)?,
            today: today()?,
            passphrase_file,
            accept_older: false,
            accept_cost: false,
        })
    }

    /// The passphrase of an existing vault.
    pub fn passphrase(&self) -> Result<SecretString> {
        match &self.passphrase_file {
            Some(path) => prompt::first_line_of(path, "passphrase"),
            None => prompt::hidden(
                &format!("Passphrase for {}: ", crate::text::shown_path(self.paths.vault())),
                "passphrase",
            ),
        }
    }

    /// The passphrase of a vault other than `--vault` (one git hands over), asked
    /// for by `what` when it comes from the terminal.
    pub fn passphrase_for(&self, what: &str) -> Result<SecretString> {
        match &self.passphrase_file {
            Some(path) => prompt::first_line_of(path, "passphrase"),
            None => prompt::hidden(&format!("Passphrase for {what}: "), "passphrase"),
        }
    }

    /// A new passphrase: from the passphrase file, or typed twice.
    pub fn new_passphrase(&self, file: Option<&Path>) -> Result<SecretString> {
        self.read_new_passphrase(file.or(self.passphrase_file.as_deref()))
    }

    /// A new passphrase that must not come from `--passphrase-file` (which holds the
    /// current one): from `file`, or typed twice.
    pub fn new_passphrase_only(&self, file: Option<&Path>) -> Result<SecretString> {
        self.read_new_passphrase(file)
    }

    fn read_new_passphrase(&self, file: Option<&Path>) -> Result<SecretString> {
        let passphrase = match file {
            Some(path) => prompt::first_line_of(path, "new passphrase")?,
            None => {
                let first = prompt::hidden("New passphrase: ", "new passphrase")?;
                let second = prompt::hidden("Repeat it: ", "new passphrase")?;
                if first != second {
                    return Err(Error::PassphraseMismatch);
                }
                first
            }
        };
        if passphrase.expose().len() > crate::secret::MAX_PASSPHRASE_BYTES {
            return Err(crate::refusal::Refusal::PassphraseTooLong {
                max_kib: crate::secret::MAX_PASSPHRASE_BYTES / 1024,
            }
            .into());
        }
        prompt::warn_if_weak(&passphrase);
        Ok(passphrase)
    }

    /// What the user agreed to: the flags, and a confirmation on the terminal for a
    /// key derivation far costlier than this machine ran for the vault.
    pub fn consent(&self) -> Result<Consent> {
        let mut costlier = self.accept_cost;
        if !costlier
            && std::io::IsTerminal::is_terminal(&std::io::stdin())
            && let Ok(bytes) = self.paths.store().precheck()
            && let Some(jump) = app::cost_jump(&self.paths, &bytes)
        {
            costlier = prompt::confirm(&format!(
                "Warning: {}. A damaged or swapped header can do this. Unlock anyway?",
                jump.describe()
            ))?;
        }
        Ok(Consent {
            older: self.accept_older,
            costlier,
            other_vault: false,
        })
    }

    /// Opens the vault for reading (see [`app::open`]); warns when this machine saw
    /// a newer version of it.
    pub fn open(&self) -> Result<Opened> {
        let opened = app::open(&self.paths, self.consent()?, || self.passphrase())?;
        if let Some(older) = opened.older {
            crate::say!("{}", older_warning(older));
        }
        Ok(opened)
    }

    /// Makes the change `make` builds from the vault as it is under the lock (ids
    /// for new entries drawn here), saves it, and returns what `said` words of it.
    pub fn apply(
        &self,
        make: impl FnOnce(&Vault) -> Result<Change>,
        said: impl FnOnce(&Vault, &Done) -> String,
    ) -> Result<String> {
        let done = self.apply_asked(
            |_| Ok(Some(())),
            |vault, ()| Ok((make(vault)?, ())),
            |vault, done, ()| said(vault, done),
        )?;
        Ok(done.expect("asking nothing always goes on"))
    }

    /// [`Ctx::apply`] for a command that asks the user first: `ask` sees the vault
    /// as unlocked and asks what the change needs (a password, a confirmation);
    /// `None` means nothing to do, and nothing is locked or written. `make` then
    /// builds the change from the answers under the lock, with what it saw there
    /// that the change's [`Done`] does not say (an entry it deletes, a comparison
    /// to print), which `said` gets back with the Done once the change is applied.
    /// The vault changes only through [`Vault::apply`], and is saved only if it took
    /// the change whole.
    pub fn apply_asked<A, W, T>(
        &self,
        ask: impl FnOnce(&Vault) -> Result<Option<A>>,
        make: impl FnOnce(&Vault, A) -> Result<(Change, W)>,
        said: impl FnOnce(&Vault, &Done, W) -> T,
    ) -> Result<Option<T>> {
        let today = self.today;
        let apply = |vault: &mut Vault, answers: A| {
            let (change, seen) = make(vault, answers)?;
            let ids = (0..change.ids_needed())
                .map(|_| app::new_entry_id())
                .collect::<Result<Vec<_>>>()?;
            let done = vault.apply(change, today, &mut ids.into_iter())?;
            Ok(said(vault, &done, seen))
        };
        app::change(
            &self.paths,
            today,
            self.consent()?,
            || self.passphrase(),
            ask,
            apply,
        )
    }
}

/// Said whenever an older vault is opened.
fn older_warning(older: app::Older) -> String {
    format!(
        "warning: this vault is older than a version of it this machine has seen (it is at save \
         {}, this machine saw save {}): an old backup or a stale sync copy may have replaced it. \
         If a newer copy exists, `aspen merge FILE` brings its changes back; a change to this one \
         needs --accept-older.",
        older.found, older.seen
    )
}

/// Today's date in the local time zone. `ASPEN_TODAY` (YYYY-MM-DD) pins it, for tests
/// and for asking "what will need attention on that day?".
fn today() -> Result<Date> {
    let bad = |value: String, problem: String| Error::BadEnv {
        var: "ASPEN_TODAY",
        value: crate::text::escape_control(&value).into_owned(),
        problem,
    };
    match std::env::var("ASPEN_TODAY") {
        Ok(s) => crate::model::parse_date(&s).map_err(|problem| bad(s, problem)),
        // Set but not UTF-8 is a mistake to report, not a reason to use the clock.
        Err(std::env::VarError::NotUnicode(s)) => Err(bad(
            s.to_string_lossy().into_owned(),
            "it is not UTF-8 text; write the date as YYYY-MM-DD".to_owned(),
        )),
        Err(std::env::VarError::NotPresent) => Ok(jiff::Zoned::now().date()),
    }
}
