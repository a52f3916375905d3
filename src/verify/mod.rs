//! Signing in to iCloud with a stored password, the way its app does, to learn
//! whether Apple still accepts it: a CalDAV `PROPFIND` over HTTPS, or an IMAP
//! `LOGIN` over TLS. One call is one attempt: nothing here retries, pauses or
//! chooses entries (that is `app::verify`), and nothing here prints.
//!
//! Certificates and host names are always checked (rustls, with Mozilla's roots
//! unless a CA file is given); nothing falls back to an unencrypted connection. The
//! password leaves this module only inside TLS: it is never in a `Debug`, a
//! `Display`, an error or a log line, and the buffers that hold it here are wiped
//! when dropped (the binary's allocator wipes the copies the HTTP and TLS libraries
//! make).

mod caldav;
mod endpoint;
mod imap;
mod net;
mod tls;

use std::time::Duration;

pub use endpoint::{CalDavUrl, EndpointProblem, ImapServer};
pub use tls::Roots;

use crate::model::SignIn;

/// How long one sign-in may take, from the name lookup to Apple's answer, unless
/// told otherwise; docs/verify.md documents it.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);
/// The longest timeout aspen accepts.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(120);

/// Where and how to sign in.
#[derive(Clone, Debug)]
pub struct Endpoints {
    pub caldav: CalDavUrl,
    pub imap: ImapServer,
    pub roots: Roots,
    /// The bound on each attempt, from the name lookup to the answer.
    pub timeout: Duration,
}

impl Default for Endpoints {
    /// Apple's servers, Mozilla's roots, the default timeout.
    fn default() -> Self {
        Self {
            caldav: CalDavUrl::apple(),
            imap: ImapServer::apple(),
            roots: Roots::Mozilla,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// Something about the endpoints the user must be told every time: passwords
/// would go to a host that is not Apple's, or be protected by another CA than the
/// usual ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotApple {
    Host { over: SignIn, host: String },
    Roots { path: std::path::PathBuf },
}

impl Endpoints {
    /// Where a sign-in `over` a protocol goes, for messages (`https://…/`,
    /// `host:port`).
    pub fn address(&self, over: SignIn) -> String {
        match over {
            SignIn::Caldav => self.caldav.as_str().to_owned(),
            SignIn::Imap => self.imap.to_string(),
        }
    }

    /// What differs from Apple's own servers and the usual roots; empty for the
    /// defaults. Only the protocols in `used` are named.
    pub fn not_apple(&self, used: &[SignIn]) -> Vec<NotApple> {
        let mut found = Vec::new();
        if used.contains(&SignIn::Caldav) && !self.caldav.is_apple() {
            found.push(NotApple::Host {
                over: SignIn::Caldav,
                host: self.caldav.host().to_owned(),
            });
        }
        if used.contains(&SignIn::Imap) && !self.imap.is_apple() {
            found.push(NotApple::Host {
                over: SignIn::Imap,
                host: self.imap.host().to_owned(),
            });
        }
        if let Roots::File { path, .. } = &self.roots {
            found.push(NotApple::Roots { path: path.clone() });
        }
        found
    }
}

/// What one sign-in told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Apple accepted the password.
    Works,
    /// Apple refused it: wrong or revoked.
    Rejected,
    /// No answer about the password: no network, no such host, refused, timed out,
    /// or an answer that is neither yes nor no.
    Unreachable(Unreachable),
    /// The server could not prove it is the host asked for; nothing was sent.
    TlsFailure(TlsProblem),
}

impl Outcome {
    /// The name in `--json` output.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Works => "works",
            Self::Rejected => "rejected",
            Self::Unreachable(_) => "unreachable",
            Self::TlsFailure(_) => "tls-failure",
        }
    }

    /// The result says something about the password (and is recorded).
    pub fn is_answer(&self) -> bool {
        matches!(self, Self::Works | Self::Rejected)
    }
}

/// Why no answer came.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreachable {
    /// The host name did not resolve (no network, or no such host).
    NoSuchHost,
    /// Nothing listens there: the connection was refused.
    Refused,
    /// No answer within the timeout.
    TimedOut { after: Duration },
    /// Another network failure, in the system's words.
    Network(String),
    /// The server answered, but neither accepted nor rejected the password.
    Unexpected(String),
}

impl std::fmt::Display for Unreachable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoSuchHost => f.write_str("the host name did not resolve (no network, or no such host)"),
            Self::Refused => f.write_str("the connection was refused"),
            Self::TimedOut { after } => write!(f, "no answer within {} s", after.as_secs_f64()),
            Self::Network(detail) => write!(f, "network error: {detail}"),
            Self::Unexpected(answer) => {
                write!(
                    f,
                    "the server answered {answer}, neither accepting nor rejecting the password"
                )
            }
        }
    }
}

/// Why the server's certificate was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsProblem {
    /// Not signed by a trusted CA: someone else's server, or an interception.
    UnknownIssuer,
    /// Issued for another host name.
    WrongHost,
    /// Expired or not valid yet (or this machine's clock is wrong).
    NotValidNow,
    /// Another TLS failure, in rustls's words.
    Other(String),
}

impl std::fmt::Display for TlsProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownIssuer => f.write_str("its certificate is not signed by a trusted authority"),
            Self::WrongHost => f.write_str("its certificate is for another host name"),
            Self::NotValidNow => f.write_str(
                "its certificate has expired or is not valid yet (or this machine's clock is wrong)",
            ),
            Self::Other(detail) => write!(f, "TLS failed: {detail}"),
        }
    }
}

/// Signs in once `over` a protocol as `user` with `password`, and says what came
/// of it. Never retries.
pub fn sign_in(endpoints: &Endpoints, over: SignIn, user: &str, password: &str) -> Outcome {
    match over {
        SignIn::Caldav => caldav::propfind(endpoints, user, password),
        SignIn::Imap => imap::login(endpoints, user, password),
    }
}
