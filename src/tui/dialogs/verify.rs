//! The question before signing in with stored passwords: what would be contacted
//! (the plan, as `aspen verify --dry-run` says it), and the risk to the Apple ID.

use std::time::Duration;

use crate::app::verify::{Planned, Selection};
use crate::verify::NotApple;

/// What a verification is about, for the question's title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyAbout {
    Entry { label: String, apple_id: String },
    AppleId(String),
}

/// Signing in with the planned entries' passwords, if the user says yes.
pub struct VerifyConfirm {
    pub about: VerifyAbout,
    /// What yes verifies; planned again then, on the vault as it is by then.
    pub selection: Selection,
    pub planned: Vec<Planned>,
    pub pause: Duration,
    /// The servers or CA that are not Apple's usual ones, among those it would use.
    pub not_apple: Vec<NotApple>,
}

impl VerifyConfirm {
    /// How many sign-ins it would make.
    pub fn tries(&self) -> usize {
        self.planned
            .iter()
            .filter(|p| matches!(p, Planned::Try(_)))
            .count()
    }
}
