//! Notarizing macOS apps with Xcode's `notarytool`: what an entry is used for, the
//! Apple developer team id notarization signs in with, and the `notarytool
//! store-credentials` line its setup gives (both front ends take it from here).

use serde::Serialize;

use super::{Entry, ModelError, Use};
use crate::text::{escape_control, shell_quote};

/// An Apple developer team id has this many characters, letters and digits
/// (developer.apple.com → Account → Membership details shows it).
pub const TEAM_ID_CHARS: usize = 10;

/// Why a text is not an Apple developer team id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeamIdProblem {
    /// It holds this character, neither a letter A–Z nor a digit.
    Character(char),
    /// It has this many characters.
    Length(usize),
}

impl std::fmt::Display for TeamIdProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Character(c) => write!(
                f,
                "it holds \"{}\"; a team id has only letters A–Z and digits",
                escape_control(&c.to_string())
            ),
            Self::Length(n) => write!(f, "it has {n} characters; a team id has {TEAM_ID_CHARS}"),
        }
    }
}

/// Sorted, each once: the order of `--uses mail,calendar` carries no meaning.
pub(super) fn normalise_uses(mut uses: Vec<Use>) -> Vec<Use> {
    uses.sort();
    uses.dedup();
    uses
}

/// A team id as Apple shows it: 10 letters and digits, lower case taken as upper.
pub fn validate_team_id(text: &str) -> Result<String, ModelError> {
    let text = text.trim();
    let n = text.chars().count();
    let problem = match text.chars().find(|c| !c.is_ascii_alphanumeric()) {
        Some(c) => TeamIdProblem::Character(c),
        None if n != TEAM_ID_CHARS => TeamIdProblem::Length(n),
        None => return Ok(text.to_ascii_uppercase()),
    };
    // What was given, kept short: a paste gone wrong can be long.
    let mut given: String = text.chars().take(2 * TEAM_ID_CHARS).collect();
    if n > 2 * TEAM_ID_CHARS {
        given.push('…');
    }
    Err(ModelError::BadTeamId { given, problem })
}

/// The team id an entry `label` used for `uses` records, from the one given
/// (`None`: none given; empty: none) and the one it has (`kept`). A team id is
/// notarization's: one given without it is refused, one kept goes when notarization
/// does, and notarization needs one.
pub fn team_id_for(label: &str, uses: &[Use], given: Option<&str>, kept: &str) -> Result<String, ModelError> {
    let given = given.map(str::trim);
    if !uses.contains(&Use::Notarization) {
        if given.is_some_and(|g| !g.is_empty()) {
            return Err(ModelError::TeamIdWithoutNotarization {
                label: label.to_owned(),
            });
        }
        return Ok(String::new());
    }
    let team_id = match given {
        Some(g) if !g.is_empty() => validate_team_id(g)?,
        Some(_) => String::new(),
        None => kept.to_owned(),
    };
    if team_id.is_empty() {
        return Err(ModelError::NoTeamId {
            label: label.to_owned(),
        });
    }
    Ok(team_id)
}

/// The team id `e` has after an edit of its uses (`None`: unchanged) and team id:
/// unchanged when the edit touches neither, so that an older vault's entry stays
/// editable.
pub(super) fn edited_team_id(
    e: &Entry,
    uses: Option<&[Use]>,
    given: Option<&str>,
) -> Result<String, ModelError> {
    if uses.is_none() && given.is_none() {
        return Ok(e.team_id.clone());
    }
    team_id_for(&e.label, uses.unwrap_or(&e.uses), given, &e.team_id)
}

/// What `notarytool` needs for an entry used for notarization: run `command` once,
/// and notarytool asks for the app-specific password and keeps it in the login
/// keychain under `profile` (`xcrun notarytool submit … --keychain-profile PROFILE`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotarySetup {
    pub profile: String,
    pub apple_id: String,
    /// `None` when the entry records none (aspen refuses that; a vault from
    /// elsewhere may have it).
    pub team_id: Option<String>,
    /// `xcrun notarytool store-credentials "PROFILE" --apple-id "ID" --team-id
    /// "TEAM"`, quoted for a shell. Never the password: notarytool asks for it.
    pub command: String,
}

/// The notarytool setup of `e`, when it is used for notarization.
pub fn notary_setup(e: &Entry) -> Option<NotarySetup> {
    if !e.uses.contains(&Use::Notarization) {
        return None;
    }
    let profile = profile_name(&e.label);
    let team_id = Some(e.team_id.clone()).filter(|t| !t.is_empty());
    let mut command = format!(
        "xcrun notarytool store-credentials {} --apple-id {}",
        quoted(&profile),
        quoted(&e.apple_id)
    );
    if let Some(team_id) = &team_id {
        command.push_str(&format!(" --team-id {}", quoted(team_id)));
    }
    Some(NotarySetup {
        profile,
        apple_id: e.apple_id.clone(),
        team_id,
        command,
    })
}

/// A keychain profile name from a label: letters, digits, `-`, `_` and `.` kept,
/// anything else between them one `-` ("Notary CI" → "Notary-CI").
fn profile_name(label: &str) -> String {
    let mut name = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
            name.push(c);
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    match name.trim_matches('-') {
        "" => "aspen-notary".to_owned(),
        name => name.to_owned(),
    }
}

/// Between double quotes when nothing in it means anything there to a shell; else
/// as [`shell_quote`] writes it.
fn quoted(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.@+:,/ '".contains(c));
    if plain {
        format!("\"{word}\"")
    } else {
        shell_quote(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_team_id_is_ten_letters_and_digits_upper_cased() {
        assert_eq!(validate_team_id(" abcde12345 ").unwrap(), "ABCDE12345");
        let problem = |t: &str| match validate_team_id(t) {
            Err(ModelError::BadTeamId { problem, .. }) => problem,
            other => panic!("{t}: {other:?}"),
        };
        assert_eq!(problem("ABCDE1234"), TeamIdProblem::Length(9));
        assert_eq!(problem(""), TeamIdProblem::Length(0));
        assert_eq!(problem("ABCDE-1234"), TeamIdProblem::Character('-'));
        assert_eq!(problem("ABCDÉ12345"), TeamIdProblem::Character('É'));
        let long = "A".repeat(100);
        let Err(ModelError::BadTeamId { given, .. }) = validate_team_id(&long) else {
            panic!("a long one is refused")
        };
        assert_eq!(given.chars().count(), 21, "kept short: {given}");
        let e = validate_team_id("AB\u{1b}[2J").unwrap_err().to_string();
        assert!(!e.contains('\u{1b}'), "{e}");
    }

    #[test]
    fn a_team_id_belongs_to_notarization() {
        let n = [Use::Notarization];
        assert_eq!(
            team_id_for("N", &n, Some("abcde12345"), "").unwrap(),
            "ABCDE12345"
        );
        assert_eq!(team_id_for("N", &n, None, "KEPT000001").unwrap(), "KEPT000001");
        assert!(matches!(
            team_id_for("N", &n, None, ""),
            Err(ModelError::NoTeamId { .. })
        ));
        assert!(matches!(
            team_id_for("N", &n, Some(""), "KEPT000001"),
            Err(ModelError::NoTeamId { .. })
        ));
        assert!(matches!(
            team_id_for("M", &[Use::Mail], Some("ABCDE12345"), ""),
            Err(ModelError::TeamIdWithoutNotarization { .. })
        ));
        assert_eq!(team_id_for("M", &[Use::Mail], None, "KEPT000001").unwrap(), "");
        assert_eq!(team_id_for("M", &[], Some(" "), "").unwrap(), "");
    }

    #[test]
    fn the_line_is_quoted_for_a_shell_and_never_holds_a_password() {
        let mut vault = crate::model::Vault::default();
        let new = crate::model::NewEntry {
            label: "Notary CI".into(),
            apple_id: "dev@example.com".into(),
            apps: vec!["notarytool".into()],
            password: None,
            created: jiff::civil::date(2026, 1, 1),
            notes: String::new(),
            uses: Vec::new(),
            team_id: String::new(),
        };
        let id = crate::model::EntryId::from_random([1; 16]);
        let today = jiff::civil::date(2026, 2, 1);
        vault.add(id, new, today).unwrap();
        let e = &mut vault.entries[0];
        assert_eq!(notary_setup(e), None, "not used for notarization");
        e.uses = vec![Use::Notarization];
        e.team_id = "ABCDE12345".into();
        let setup = notary_setup(e).unwrap();
        assert_eq!(setup.profile, "Notary-CI");
        assert_eq!(
            setup.command,
            r#"xcrun notarytool store-credentials "Notary-CI" --apple-id "dev@example.com" --team-id "ABCDE12345""#
        );
        e.apple_id = "o'$x@example.com".into();
        e.label = "  (CI) ".into();
        let setup = notary_setup(e).unwrap();
        assert_eq!(setup.profile, "CI");
        assert!(
            setup.command.contains(r#"--apple-id 'o'\''$x@example.com'"#),
            "{}",
            setup.command
        );
        e.label = "✓".into();
        e.team_id.clear();
        let setup = notary_setup(e).unwrap();
        assert_eq!(setup.profile, "aspen-notary");
        assert_eq!(setup.team_id, None);
        assert!(!setup.command.contains("--team-id"));
    }
}
