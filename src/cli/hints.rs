//! The command line's words for what to do about an error: the core's
//! [`Remedy`], with aspen's commands and flags, and paths quoted for a shell.

use std::path::Path;

use crate::clipboard::ClipboardError;
use crate::error::Error;
use crate::remedy::{Remedy, oldest_first};
use crate::text::{escape_control, quoted_path, shell_quote, shown_path};

/// The command that puts a backup back where the vault belongs.
fn restore_command(backup: &Path, vault: &Path) -> String {
    format!("cp -p {} {}", quoted_path(backup), quoted_path(vault))
}

/// A name to move `path` aside to, beside it.
fn moved_name(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".moved");
    name.into()
}

/// The hint printed after `error: …`, if there is one.
pub fn hint(e: &Error) -> Option<String> {
    if let Error::Clipboard { reveal, source, .. } = e {
        return Some(clipboard_hint(source, reveal));
    }
    let remedy = e.remedy()?;
    let damaged = matches!(e, Error::Damaged { .. });
    Some(match remedy {
        Remedy::RestoreBackup { backup, vault } if damaged => format!(
            "the previous version is kept at {}; check it opens with `aspen --vault {} list`, \
             then copy it over the damaged file: `{}`",
            shown_path(&backup),
            quoted_path(&backup),
            restore_command(&backup, &vault)
        ),
        Remedy::RestoreBackup { backup, vault } => format!(
            "restore the last saved version with `{}`; to start a new vault instead, move the \
             backups (NAME.bak, NAME.bak.N) elsewhere first",
            restore_command(&backup, &vault)
        ),
        Remedy::CreateVault => "create one with `aspen init`, or point --vault / ASPEN_VAULT at yours".into(),
        Remedy::ChooseAnotherPath => {
            "aspen never overwrites a vault; choose another path with --vault".into()
        }
        Remedy::CheckVaultPath => {
            "check the path given with --vault or ASPEN_VAULT: that file is not one aspen wrote".into()
        }
        Remedy::PointAtTheFile => "point --vault (or ASPEN_VAULT, --config) at the file itself; if you \
            did not put it there, someone who can write that folder did"
            .into(),
        Remedy::RemovePlantedLock { lock } => format!(
            "someone who can write the vault's folder may have planted it: check it, remove it \
             (`rm {}`) and keep the vault in a folder only you can write",
            quoted_path(&lock)
        ),
        Remedy::AllowWrites { vault } => format!(
            "to allow changes, `chmod u+w {}`; reading works as it is",
            quoted_path(&vault)
        ),
        Remedy::FreeSpace => "free some space and run the command again".into(),
        Remedy::RemountReadWrite => {
            "remount it read-write, or copy the vault elsewhere and use --vault; reading works as it is"
                .into()
        }
        Remedy::WorkOnNewVersion => "another program (a sync tool?) replaced the file: run the command \
            again to work on the new version; `aspen list` shows what it holds"
            .into(),
        Remedy::MergeNewerOrAcceptOlder => "if a newer copy exists (a sync conflict copy, a .bak.N \
            backup, another machine's vault), `aspen merge FILE` brings its changes in; to change this \
            version anyway, add --accept-older"
            .into(),
        Remedy::ConfirmCostOrRestore => "if the cost was raised on purpose (aspen passwd or init \
            elsewhere), run the command on a terminal to confirm, or add --accept-cost; if not, the \
            header may have been swapped: restore the vault from a backup"
            .into(),
        Remedy::FixConfig => "fix the file, or remove it to use the defaults (docs/cli.md#configuration \
            lists the settings)"
            .into(),
        Remedy::SecretWithoutTerminal { what } => no_terminal(what),
        Remedy::RaiseKdfCost => "raise the values, or add --insecure-kdf for a throwaway test vault".into(),
        Remedy::SetHome => "set HOME, or give --vault and --config explicitly".into(),
        Remedy::FreeMemory => "it needs the memory the cost asks for: close other programs, or choose a \
            lower --unlock-time"
            .into(),
        Remedy::UseTerminal => {
            "run aspen in a working terminal; for scripts use the subcommands (`aspen --help`)".into()
        }
        Remedy::UseSubcommands => "for scripts use the subcommands (`aspen --help`)".into(),
        Remedy::AuditFromFile => "for a script, save Apple's list to a file and run `aspen audit \
            --apple-id ID --listed FILE`"
            .into(),
        Remedy::UnlockTimeInRange => "give --unlock-time a value from 0.1 to 60".into(),
        Remedy::InitGitRepository => {
            "`git init` there first, or point --vault at the vault in a repository".into()
        }
        Remedy::ConfirmOnTerminal => "run it on a terminal, or add --yes".into(),
        Remedy::InstallGit => "install git (Debian: `apt-get install git`) and run it again".into(),
        other => return planted_hint(other),
    })
}

/// The words for what someone else may have put where aspen writes: the folder for
/// merged copies, a repository's `.gitattributes`.
fn planted_hint(remedy: Remedy) -> Option<String> {
    Some(match remedy {
        Remedy::MoveMergedFolderAway { folder } => format!(
            "someone who can write the vault's folder may have put it there: check it, move it away \
             (`mv {} {}`) and merge again; aspen makes the folder itself, closed to others",
            quoted_path(&folder),
            quoted_path(&moved_name(&folder))
        ),
        Remedy::CloseMergedFolder { folder } => format!(
            "`chmod go-w {}`, then merge again: the copies it keeps hold passwords (encrypted)",
            quoted_path(&folder)
        ),
        Remedy::MakeRegularText { path } => format!(
            "if a commit brought a link there, see where it points (`ls -l {}`); then make it a regular \
             UTF-8 text file under 1 MiB, or remove it, and run the command again",
            quoted_path(&path)
        ),
        Remedy::RenameHolderFirst {
            apple_id,
            shown,
            holder,
        } => format!(
            "rename the entry that holds it first (`aspen edit {} --apple-id {} --label NEW`), then \
             resolve again; or keep this vault's label with `aspen resolve {} --apple-id {} --keep ours`",
            crate::text::shell_quote(&holder),
            crate::text::shell_quote(&apple_id),
            crate::text::shell_quote(&shown),
            crate::text::shell_quote(&apple_id)
        ),
        Remedy::ConfirmOtherVault { path } => format!(
            "if {} really is another vault whose entries should move into this one, run the \
             merge again with --other-vault; if you did not put it there, delete it",
            quoted_path(&path)
        ),
        other => return rule_hint(other),
    })
}

/// The words for the remedies of the vault's rules.
fn rule_hint(remedy: Remedy) -> Option<String> {
    Some(match remedy {
        Remedy::PasteAppleShape => "copy the password exactly as Apple showed it; to store another kind \
            of password anyway, add --any-format"
            .into(),
        Remedy::ListLabels => "`aspen list` shows every label".into(),
        Remedy::RecoveryKeyToFile => {
            "run it on a terminal, or give --output FILE to write the key to a new file (mode 0600)".into()
        }
        Remedy::PickAppleId { apple_ids } => format!(
            "pick one with --apple-id, e.g. --apple-id {}",
            apple_ids.first().map(String::as_str).unwrap_or("ID")
        ),
        Remedy::OtherLabelOrRegenerate => "labels are how Apple's list names each password; choose \
            another label, or `aspen regenerate` the existing entry"
            .into(),
        Remedy::JoinHolder { holder, .. } => format!(
            "to use it in these apps too, run the same `aspen add` again with --join (it adds the \
             apps to \"{holder}\"); if Apple just generated a new password, paste that one instead"
        ),
        // Both entries often share a label, so each command names its entry's Apple ID.
        Remedy::FoldInto(fold) => format!(
            "give \"{}\" this entry's apps too, then delete this one: aspen edit {} --apple-id {}{}, \
             then aspen rm {} --apple-id {}",
            escape_control(&fold.holder),
            shell_quote(&fold.holder),
            shell_quote(&fold.apple_id),
            fold.apps
                .iter()
                .map(|a| format!(" --app {}", shell_quote(a)))
                .collect::<String>(),
            shell_quote(&fold.label),
            shell_quote(&fold.from)
        ),
        Remedy::RevokeOneOf { candidates } => format!(
            "revoke one at account.apple.com, then `aspen revoke LABEL`; oldest first: {}",
            oldest_first(&candidates)
        ),
        Remedy::AddFirstEntry => "the vault is empty; `aspen add` stores the first entry".into(),
        Remedy::RegenerateEntry => "`aspen regenerate LABEL` stores a new password for it; if no app \
            needs one any more, `aspen retire LABEL`"
            .into(),
        Remedy::StoreNewPassword => "Apple shows a password only once: generate a new one at \
            account.apple.com and store it with `aspen regenerate LABEL`; if no app uses the old one, \
            revoke it at Apple and record that with `aspen revoke LABEL`"
            .into(),
        Remedy::ListStatuses => "`aspen list` shows each entry's status".into(),
        Remedy::NameAnApp => "name the app with --app, e.g. --app Thunderbird".into(),
        Remedy::TeamIdAsApple => "copy it from developer.apple.com → Account → Membership details: \
            10 letters and digits, e.g. --team-id ABCDE12345"
            .into(),
        Remedy::GiveTeamId => "give it with --team-id, 10 letters and digits \
            (developer.apple.com → Account → Membership details shows it)"
            .into(),
        Remedy::TeamIdOnlyForNotarization => "add notarization to its uses (--uses with the uses it \
            has and notarization), or leave out --team-id"
            .into(),
        Remedy::ReloadList => "it was deleted meanwhile; `aspen list` shows what is there".into(),
        Remedy::GiveAnEditOption => "see `aspen edit --help`".into(),
        Remedy::RevokeFirst => "if its apps are gone, revoke it at account.apple.com and record that \
            with `aspen revoke LABEL`: a revoked password needs no regenerating"
            .into(),
        Remedy::MoveOrDeleteEntries => "move its entries with `aspen edit LABEL --new-apple-id ID` or \
            `aspen apple-id rename`, or delete them with `aspen rm`, first; `aspen list` shows them"
            .into(),
        Remedy::GiveIcloudMail => "give the address iCloud Mail uses for this Apple ID, which ends \
            in @icloud.com, @me.com or @mac.com; `aspen apple-id mail ID --clear` removes one recorded"
            .into(),
        other => return other.plain(),
    })
}

/// How to give a secret aspen could not ask for on a terminal.
fn no_terminal(what: &str) -> String {
    match what {
        "new passphrase" => "pass --new-passphrase-file PATH (with `aspen passwd`) or --passphrase-file \
            PATH (with `aspen init`)"
            .into(),
        "password" => "pipe the password in with --password-stdin".into(),
        _ => "pass --passphrase-file PATH (or set ASPEN_PASSPHRASE_FILE)".into(),
    }
}

/// What to do when a copy failed; `reveal` is the command that prints the password,
/// already quoted for a shell (e.g. `aspen reveal Thunderbird`).
fn clipboard_hint(e: &ClipboardError, reveal: &str) -> String {
    match e {
        ClipboardError::Unavailable { .. }
        | ClipboardError::Spawn { .. }
        | ClipboardError::Timeout { .. }
        | ClipboardError::HolderDied { .. } => format!(
            "add --osc52 to copy through the terminal instead, or pipe it yourself: \
             `{reveal} | wl-copy` (Wayland) or `{reveal} | xclip -selection clipboard` (X11)"
        ),
        ClipboardError::NoTerminal | ClipboardError::Terminal { .. } => {
            format!("run aspen in a terminal, or pipe the password yourself: `{reveal} | …`")
        }
        ClipboardError::ClearFailed { .. } => {
            "copy something else to overwrite it, or restart the session's clipboard".into()
        }
        ClipboardError::TmuxDrops { .. } => format!(
            "add `set -g set-clipboard on` to ~/.tmux.conf and run `tmux source-file \
             ~/.tmux.conf`, or pipe the password yourself: `{reveal} | …`"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipboard_hints_point_to_reveal() {
        let e = ClipboardError::Unavailable {
            detail: "no X server".into(),
        };
        let hint = clipboard_hint(&e, "aspen reveal Mail");
        assert!(hint.contains("--osc52"), "{hint}");
        assert!(hint.contains("aspen reveal Mail | "), "{hint}");
        assert!(
            clipboard_hint(&ClipboardError::NoTerminal, "aspen reveal Mail")
                .contains("aspen reveal Mail | …")
        );
    }
}
