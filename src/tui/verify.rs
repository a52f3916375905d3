//! Verifying passwords from the TUI (docs/verify.md): a run while it goes (state),
//! what the runner is asked for, and the work on a thread of its own. The sign-ins
//! are `app::verify`'s, paced and cancellable; the TUI only shows their progress
//! and records their answers through the vault's change for them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::app::verify::{Item, Pace, Passwords, Planned, Progress, Run, Selection, sign_ins};
use crate::config::VerifyConfig;
use crate::model::SignIn;
use crate::verify::{Endpoints, NotApple, Outcome};

/// Where the TUI signs in and how fast, from the config.
#[derive(Clone, Debug)]
pub struct VerifySettings {
    pub endpoints: Endpoints,
    pub pause: Duration,
}

impl Default for VerifySettings {
    /// Apple's servers, Mozilla's roots, the usual pause and timeout.
    fn default() -> Self {
        Self {
            endpoints: Endpoints::default(),
            pause: crate::app::verify::DEFAULT_PAUSE,
        }
    }
}

impl VerifySettings {
    /// The settings `config` names, with what could not be used (a CA file that
    /// does not read: Mozilla's roots instead) and what the user must be told
    /// every time (a server that is not Apple's, another CA).
    pub fn from_config(config: &VerifyConfig) -> (Self, Vec<String>, Vec<NotApple>) {
        let mut problems = Vec::new();
        let endpoints = config.endpoints().unwrap_or_else(|e| {
            problems.push(format!(
                "verify_ca_file: {e}; the TUI's sign-ins check certificates against Mozilla's roots instead"
            ));
            let mut without = config.clone();
            without.ca_file = None;
            without.endpoints().unwrap_or_default()
        });
        let warnings = endpoints.not_apple(&[SignIn::Caldav, SignIn::Imap]);
        let settings = Self {
            endpoints,
            pause: config.pause(),
        };
        (settings, problems, warnings)
    }
}

/// This session's verification runs: how many were started, and the one under way.
#[derive(Default)]
pub struct Verification {
    pub runs: u64,
    pub running: Option<Running>,
}

/// A run under way. Dropping it (locking, quitting) stops its thread before the
/// next sign-in; nothing it learns afterwards is taken in.
pub struct Running {
    /// Which run: messages of another (an earlier one, stopped) are dropped.
    pub run: u64,
    pub cancel: Arc<AtomicBool>,
    pub since: Instant,
    /// The sign-ins planned.
    pub of: usize,
    /// The entries of the selection not signed in with (no password held, revoked).
    pub skipped: usize,
    /// The sign-in under way, if one is.
    pub trying: Option<Trying>,
    /// The sign-ins done so far, with what each came to.
    pub answered: Vec<Item>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::SeqCst);
    }
}

/// The sign-in under way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trying {
    /// Its place among the run's sign-ins, from 1.
    pub n: usize,
    pub label: String,
    pub over: SignIn,
    pub address: String,
}

/// What the runner is asked for: these sign-ins, on a thread of its own, with
/// copies of the passwords (wiped when the thread is done with them).
pub struct Job {
    pub run: u64,
    pub selection: Selection,
    pub planned: Vec<Planned>,
    pub passwords: Passwords,
    pub settings: VerifySettings,
    pub cancel: Arc<AtomicBool>,
}

/// A run's progress, as the runner reports it.
pub enum Step {
    Trying(Trying),
    /// A sign-in came to this ([`Item::Tried`]): an answer, or none.
    Answered(Item),
}

/// The sign-ins of `job`, each step told to `report`; what every entry came to. The
/// copies of the passwords are wiped when this returns.
pub fn work(job: Job, report: &mut dyn FnMut(Step)) -> Vec<Item> {
    let Job {
        selection,
        planned,
        passwords,
        settings,
        cancel,
        ..
    } = job;
    let run = Run {
        selection: &selection,
        endpoints: &settings.endpoints,
        pace: Pace {
            pause: settings.pause,
            cancel: &cancel,
        },
    };
    sign_ins(planned, &passwords, &run, &mut |p| report(step(p)))
}

fn step(progress: Progress<'_>) -> Step {
    match progress {
        Progress::Trying { target, n, .. } => Step::Trying(Trying {
            n,
            label: target.label.clone(),
            over: target.over,
            address: target.address.clone(),
        }),
        Progress::Done { target, outcome } => Step::Answered(Item::Tried {
            target: target.clone(),
            outcome: outcome.clone(),
            same_as: None,
            not_recorded: None,
        }),
    }
}

/// What a run came to, counted, for the message at its end.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub works: usize,
    pub rejected: usize,
    pub unreachable: usize,
    pub tls_failures: usize,
    pub skipped: usize,
    pub not_tried: usize,
    /// Why the first sign-in without an answer got none.
    pub why_none: Option<String>,
    /// Stopped by the user before its end.
    pub stopped: bool,
    /// A sign-in was under way when it was stopped: its answer was not waited for.
    pub abandoned: bool,
}

impl Summary {
    pub fn of(items: &[Item]) -> Self {
        let mut s = Self::default();
        for item in items {
            match item {
                Item::Tried { outcome, .. } => match outcome {
                    Outcome::Works => s.works += 1,
                    Outcome::Rejected => s.rejected += 1,
                    Outcome::Unreachable(why) => {
                        s.unreachable += 1;
                        s.why_none.get_or_insert_with(|| why.to_string());
                    }
                    Outcome::TlsFailure(why) => {
                        s.tls_failures += 1;
                        s.why_none.get_or_insert_with(|| why.to_string());
                    }
                },
                Item::Skipped { .. } => s.skipped += 1,
                Item::NotTried(_) => s.not_tried += 1,
            }
        }
        s
    }

    /// Every sign-in made was accepted, and the run went to its end.
    pub fn all_well(&self) -> bool {
        !self.stopped && self.rejected + self.unreachable + self.tls_failures + self.not_tried == 0
    }
}
