//! IMAP: `LOGIN` over TLS from the first byte (port 993), then `LOGOUT`, as a mail
//! app signs in.
//!
//! Written here rather than taken from a crate: the `imap` crate's released 2.x
//! speaks TLS only through native-tls (OpenSSL here, with its own roots and another
//! TLS stack to keep patched), its rustls-based 3.0 has stayed an alpha for years,
//! and `async-imap` needs an async runtime. Signing in takes three exchanges of the
//! protocol (greeting, `LOGIN`, `LOGOUT`) over the same rustls and roots as CalDAV,
//! and writing them here keeps the password in buffers aspen wipes.

use std::io::{Read, Write};
use std::net::TcpStream;

use rustls::pki_types::ServerName;
use rustls::{ClientConnection, StreamOwned};
use zeroize::Zeroizing;

use super::net::{self, Deadline};
use super::{Endpoints, Outcome, TlsProblem, Unreachable, tls};

/// A server line longer than this is not an answer to `LOGIN`.
const MAX_LINE: usize = 64 * 1024;
/// Untagged lines to read before the tagged answer at most.
const MAX_LINES: usize = 1000;

type Tls = StreamOwned<ClientConnection, TcpStream>;

pub(super) fn login(endpoints: &Endpoints, user: &str, password: &str) -> Outcome {
    let deadline = Deadline::after(endpoints.timeout);
    match session(endpoints, &deadline, user, password) {
        Ok(outcome) | Err(outcome) => outcome,
    }
}

/// The whole exchange; `Err` carries an outcome reached before an answer.
fn session(
    endpoints: &Endpoints,
    deadline: &Deadline,
    user: &str,
    password: &str,
) -> Result<Outcome, Outcome> {
    let server = &endpoints.imap;
    let tcp = net::connect(server.host(), server.port(), deadline).map_err(Outcome::Unreachable)?;
    let mut conn = Conn {
        tls: handshake(endpoints, tcp, deadline)?,
        deadline: *deadline,
        pending: Vec::new(),
    };
    let greeting = conn.line()?;
    if !greeting.starts_with(b"* OK") {
        return Err(unexpected(if greeting.starts_with(b"* PREAUTH") {
            "a session already signed in, before LOGIN"
        } else {
            "no greeting (it may be closing or busy)"
        }));
    }
    let outcome = conn.login(user, password)?;
    conn.logout();
    Ok(outcome)
}

/// Connects TLS and checks the certificate before anything else is written.
fn handshake(endpoints: &Endpoints, tcp: TcpStream, deadline: &Deadline) -> Result<Tls, Outcome> {
    let config = tls::client_config(&endpoints.roots).map_err(Outcome::TlsFailure)?;
    let name = ServerName::try_from(endpoints.imap.host().to_owned())
        .map_err(|e| Outcome::TlsFailure(TlsProblem::Other(e.to_string())))?;
    let conn = ClientConnection::new(config, name).map_err(|e| Outcome::TlsFailure(tls::problem(&e)))?;
    let mut stream = StreamOwned::new(conn, tcp);
    while stream.conn.is_handshaking() {
        deadline.arm(&stream.sock).map_err(Outcome::Unreachable)?;
        if let Err(e) = stream.conn.complete_io(&mut stream.sock) {
            return Err(match tls::problem_in(&e) {
                Some(problem) => Outcome::TlsFailure(problem),
                None => Outcome::Unreachable(deadline.io_error(&e)),
            });
        }
    }
    Ok(stream)
}

fn unexpected(what: &str) -> Outcome {
    Outcome::Unreachable(Unreachable::Unexpected(what.to_owned()))
}

struct Conn {
    tls: Tls,
    deadline: Deadline,
    /// Bytes read past the last line.
    pending: Vec<u8>,
}

impl Conn {
    /// Sends `LOGIN` and reads its tagged answer.
    fn login(&mut self, user: &str, password: &str) -> Result<Outcome, Outcome> {
        let parts = login_command("a1", user, password);
        let last = parts.len() - 1;
        for (i, part) in parts.iter().enumerate() {
            self.send(part)?;
            if i < last {
                // A literal was announced: the server must invite it with "+".
                let line = self.line()?;
                if !line.starts_with(b"+") {
                    return Ok(tagged_answer(&line)
                        .unwrap_or_else(|| unexpected("no invitation to send the password")));
                }
            }
        }
        for _ in 0..MAX_LINES {
            let line = self.line()?;
            if line.starts_with(b"a1 ") {
                return Ok(tagged_answer(&line).unwrap_or_else(|| unexpected("an answer that is not IMAP")));
            }
        }
        Err(unexpected("too many lines without an answer to LOGIN"))
    }

    /// Says goodbye; whatever happens now does not change the answer.
    fn logout(&mut self) {
        if self.send(b"a2 LOGOUT\r\n").is_ok() {
            for _ in 0..MAX_LINES {
                match self.line() {
                    Ok(line) if !line.starts_with(b"a2 ") => {}
                    _ => break,
                }
            }
        }
        self.tls.conn.send_close_notify();
        let _ = self.deadline.arm(&self.tls.sock);
        let _ = self.tls.flush();
    }

    fn send(&mut self, bytes: &[u8]) -> Result<(), Outcome> {
        self.deadline.arm(&self.tls.sock).map_err(Outcome::Unreachable)?;
        self.tls
            .write_all(bytes)
            .and_then(|()| self.tls.flush())
            .map_err(|e| Outcome::Unreachable(self.deadline.io_error(&e)))
    }

    /// One line from the server, without its CRLF.
    fn line(&mut self) -> Result<Vec<u8>, Outcome> {
        loop {
            if let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
                let mut line: Vec<u8> = self.pending.drain(..=end).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            if self.pending.len() > MAX_LINE {
                return Err(unexpected("a line longer than any answer to LOGIN"));
            }
            self.deadline.arm(&self.tls.sock).map_err(Outcome::Unreachable)?;
            let mut chunk = [0u8; 4096];
            match self.tls.read(&mut chunk) {
                Ok(0) => {
                    return Err(Outcome::Unreachable(Unreachable::Network(
                        "the server closed the connection".to_owned(),
                    )));
                }
                Ok(n) => self.pending.extend_from_slice(&chunk[..n]),
                Err(e) => {
                    return Err(match tls::problem_in(&e) {
                        Some(problem) => Outcome::TlsFailure(problem),
                        None => Outcome::Unreachable(self.deadline.io_error(&e)),
                    });
                }
            }
        }
    }
}

/// What a tagged `OK`, `NO` or `BAD` says about the password. Only the response
/// code is read from the server's text, never the rest: a server could quote what
/// it was sent.
fn tagged_answer(line: &[u8]) -> Option<Outcome> {
    let text = String::from_utf8_lossy(line);
    let mut words = text.splitn(3, ' ');
    let _tag = words.next()?;
    let status = words.next()?.to_ascii_uppercase();
    let code = words
        .next()
        .and_then(|rest| rest.strip_prefix('['))
        .and_then(|rest| rest.split([']', ' ']).next())
        .map(str::to_ascii_uppercase);
    Some(match (status.as_str(), code.as_deref()) {
        ("OK", _) => Outcome::Works,
        // RFC 5530: the server or the account is unwell, not the password.
        ("NO", Some(code @ ("UNAVAILABLE" | "SERVERBUG" | "LIMIT" | "INUSE" | "CONTACTADMIN"))) => {
            unexpected(&format!("NO [{code}] to LOGIN"))
        }
        ("NO", _) => Outcome::Rejected,
        ("BAD", _) => unexpected("BAD to LOGIN (it did not understand the command)"),
        _ => return None,
    })
}

/// `TAG LOGIN user password\r\n`, each argument quoted, or sent as a literal when
/// it holds what a quoted string cannot (8-bit text, CR, LF). Each part but the
/// last ends with a literal's announcement `{n}\r\n` and waits for the server's
/// invitation. The buffers are wiped when dropped.
fn login_command(tag: &str, user: &str, password: &str) -> Vec<Zeroizing<Vec<u8>>> {
    let mut parts = Vec::new();
    // Room for every byte escaped: a Vec that grew would free its old buffer unwiped.
    let mut current = Zeroizing::new(Vec::with_capacity(64 + 2 * (user.len() + password.len())));
    current.extend_from_slice(tag.as_bytes());
    current.extend_from_slice(b" LOGIN");
    for arg in [user, password] {
        current.push(b' ');
        if quotable(arg) {
            current.push(b'"');
            for b in arg.bytes() {
                if b == b'"' || b == b'\\' {
                    current.push(b'\\');
                }
                current.push(b);
            }
            current.push(b'"');
        } else {
            current.extend_from_slice(format!("{{{}}}\r\n", arg.len()).as_bytes());
            parts.push(std::mem::replace(
                &mut current,
                Zeroizing::new(Vec::with_capacity(64 + 2 * (user.len() + password.len()))),
            ));
            current.extend_from_slice(arg.as_bytes());
        }
    }
    current.extend_from_slice(b"\r\n");
    parts.push(current);
    parts
}

/// RFC 3501's quoted string: 7-bit characters other than NUL, CR and LF.
fn quotable(s: &str) -> bool {
    s.bytes()
        .all(|b| (0x01..=0x7f).contains(&b) && b != b'\r' && b != b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(parts: &[Zeroizing<Vec<u8>>]) -> Vec<String> {
        parts
            .iter()
            .map(|p| String::from_utf8(p.to_vec()).unwrap())
            .collect()
    }

    #[test]
    fn arguments_are_quoted_with_backslashes_before_quotes_and_backslashes() {
        assert_eq!(
            joined(&login_command("a1", "me@icloud.com", "abcd-efgh-ijkl-mnop")),
            ["a1 LOGIN \"me@icloud.com\" \"abcd-efgh-ijkl-mnop\"\r\n"]
        );
        assert_eq!(
            joined(&login_command("a1", "me", r#"a"b\c d"#)),
            ["a1 LOGIN \"me\" \"a\\\"b\\\\c d\"\r\n"]
        );
    }

    #[test]
    fn eight_bit_text_goes_as_a_literal() {
        assert_eq!(
            joined(&login_command("a1", "me", "pässwörd")),
            ["a1 LOGIN \"me\" {10}\r\n", "pässwörd\r\n"]
        );
    }

    #[test]
    fn the_answer_to_login() {
        let answer = |s: &str| tagged_answer(s.as_bytes());
        assert_eq!(
            answer("a1 OK [CAPABILITY IMAP4rev1] Logged in"),
            Some(Outcome::Works)
        );
        assert_eq!(
            answer("a1 NO [AUTHENTICATIONFAILED] Authentication failed."),
            Some(Outcome::Rejected)
        );
        assert_eq!(answer("a1 NO Login failed"), Some(Outcome::Rejected));
        assert_eq!(
            answer("a1 NO [UNAVAILABLE] Try later"),
            Some(unexpected("NO [UNAVAILABLE] to LOGIN"))
        );
        assert!(matches!(
            answer("a1 BAD \"me\" \"secret\" not understood"),
            Some(Outcome::Unreachable(Unreachable::Unexpected(s))) if !s.contains("secret")
        ));
        assert_eq!(answer("a1"), None);
    }
}
