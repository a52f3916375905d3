//! A TCP connection within a deadline: the name lookup, each address tried, and
//! every later read and write share one time budget.

use std::io;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::Unreachable;

/// The time budget of one sign-in.
#[derive(Clone, Copy, Debug)]
pub(super) struct Deadline {
    end: Instant,
    budget: Duration,
}

impl Deadline {
    pub(super) fn after(budget: Duration) -> Self {
        Self {
            end: Instant::now() + budget,
            budget,
        }
    }

    /// Time left; an error once it is spent.
    pub(super) fn left(&self) -> Result<Duration, Unreachable> {
        let left = self.end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(self.timed_out())
        } else {
            Ok(left)
        }
    }

    pub(super) fn timed_out(&self) -> Unreachable {
        Unreachable::TimedOut { after: self.budget }
    }

    /// Bounds the next read and write on `stream` by the time left.
    pub(super) fn arm(&self, stream: &TcpStream) -> Result<(), Unreachable> {
        let left = self.left()?;
        stream
            .set_read_timeout(Some(left))
            .and_then(|()| stream.set_write_timeout(Some(left)))
            .map_err(|e| Unreachable::Network(e.to_string()))
    }

    /// What an I/O error on the stream means.
    pub(super) fn io_error(&self, e: &io::Error) -> Unreachable {
        match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => self.timed_out(),
            io::ErrorKind::ConnectionRefused => Unreachable::Refused,
            io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe => {
                Unreachable::Network("the server closed the connection".to_owned())
            }
            _ => Unreachable::Network(e.to_string()),
        }
    }
}

/// Looks `host` up and connects to the first address that answers, within the
/// deadline. The lookup runs on a thread of its own: the system resolver takes no
/// timeout, and a dead DNS server must not hold the attempt past its bound.
pub(super) fn connect(host: &str, port: u16, deadline: &Deadline) -> Result<TcpStream, Unreachable> {
    let addrs = resolve(host, port, deadline)?;
    let mut last = Unreachable::Refused;
    for addr in addrs {
        let left = deadline.left()?;
        match TcpStream::connect_timeout(&addr, left) {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(e) => last = deadline.io_error(&e),
        }
    }
    Err(last)
}

fn resolve(host: &str, port: u16, deadline: &Deadline) -> Result<Vec<SocketAddr>, Unreachable> {
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let (tx, rx) = mpsc::channel();
    let target = (host.to_owned(), port);
    std::thread::spawn(move || {
        let found = target.to_socket_addrs().map(Iterator::collect::<Vec<_>>);
        let _ = tx.send(found);
    });
    match rx.recv_timeout(deadline.left()?) {
        Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
        Ok(_) => Err(Unreachable::NoSuchHost),
        Err(_) => Err(deadline.timed_out()),
    }
}
