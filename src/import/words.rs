//! Why an import leaves a login out, in words both front ends share; only the remedy
//! differs (a command-line flag, or a field of the TUI's form).

use super::Why;
use crate::model::{ModelError, ShapeProblem};
use crate::text::escape_control;

/// Which front end the words are for: it names its own way to give what is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Front {
    Cli,
    Tui,
}

/// Why the export's reading left a login out, and what to do.
pub fn why_skipped(why: &Why, front: Front) -> String {
    let tui = front == Front::Tui;
    match why {
        Why::LeftOut(reason) => (*reason).to_owned(),
        Why::NoPassword => "it has no password".to_owned(),
        // Never the letter itself: it is a character of a password, perhaps not an
        // app-specific one (a decoy among the export's other logins).
        Why::NotAppleShape(ShapeProblem::ForeignLetter { .. }) => "its password does not have the shape \
            of an app-specific password (it holds a letter Apple does not use)"
            .to_owned(),
        Why::NotAppleShape(problem) => {
            format!("its password does not have the shape of an app-specific password ({problem})")
        }
        Why::OtherProvider(host) => format!(
            "its password has Apple's shape, but it is for {}, whose app passwords look the same; \
             if it is Apple's, {}",
            escape_control(host),
            if tui {
                "add it by hand"
            } else {
                "store it with `aspen add`"
            }
        ),
        Why::NoAppleId if tui => "its user name is not an Apple ID; name the Apple ID in the form".to_owned(),
        Why::NoAppleId => "its user name is not an Apple ID; name the Apple ID with --apple-id".to_owned(),
        Why::NoDate if tui => {
            "the export gives no date for it; give the date Apple shows in the form's Created field"
                .to_owned()
        }
        Why::NoDate => {
            "the export gives no date for it; give the date Apple shows with --created YYYY-MM-DD".to_owned()
        }
        Why::BadDate(text) => format!(
            "its date \"{}\" is not one aspen reads (YYYY-MM-DD)",
            escape_control(text)
        ),
        Why::BadUses(text) => format!(
            "its uses \"{}\" are not among mail, calendar, contacts, notarization",
            escape_control(text)
        ),
        Why::Joined { into } => format!(
            "the same password as \"{}\": one entry, its app added there (Apple counts one \
             password once)",
            escape_control(into)
        ),
    }
}

/// Why the vault's rules leave an entry out, in the words of an import.
pub fn why_not(why: &ModelError, front: Front) -> String {
    match why {
        ModelError::PasswordHeld { holder, label, .. } if holder == label => "already in aspen".to_owned(),
        ModelError::PasswordHeld { holder, .. } => {
            format!("already in aspen, as \"{}\"", escape_control(holder))
        }
        ModelError::DuplicateLabel { label, apple_id } => format!(
            "aspen has an entry labelled \"{}\" for {} already, with another password; if this \
             one is newer, store it {}",
            escape_control(label),
            escape_control(apple_id),
            match front {
                Front::Tui => "by regenerating that entry",
                Front::Cli => "with `aspen regenerate`",
            }
        ),
        ModelError::SlotsFull { apple_id, limit, .. } => format!(
            "{} would have more than Apple's {limit} active passwords; revoke unused ones first",
            escape_control(apple_id)
        ),
        other => escape_control(&other.to_string()).into_owned(),
    }
}
