//! CalDAV: a WebDAV `PROPFIND` with `Depth: 0` on the server's root, with HTTP Basic
//! authentication, as a calendar app's first request. A multi-status answer (207)
//! means the password works; 401 means it was refused.

use base64::Engine;
use ureq::http::{self, HeaderValue, Method, StatusCode, header};
use zeroize::Zeroizing;

use super::{Endpoints, Outcome, Unreachable, tls};

/// Asks only for the principal: the smallest question every CalDAV server answers.
const BODY: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
    <d:propfind xmlns:d=\"DAV:\"><d:prop><d:current-user-principal/></d:prop></d:propfind>\n";

pub(super) fn propfind(endpoints: &Endpoints, user: &str, password: &str) -> Outcome {
    let agent = agent(endpoints);
    let request = match request(endpoints, user, password) {
        Ok(r) => r,
        Err(detail) => return Outcome::Unreachable(Unreachable::Network(detail)),
    };
    match agent.run(request) {
        Ok(response) => answer(response.status()),
        Err(e) => failure(e, endpoints),
    }
}

/// An agent that only speaks HTTPS, checks certificates against `roots`, follows no
/// redirect (the password would go along), uses no proxy, and gives up after the
/// timeout, all of the exchange counted.
fn agent(endpoints: &Endpoints) -> ureq::Agent {
    ureq::Agent::config_builder()
        .https_only(true)
        .max_redirects(0)
        .http_status_as_error(false)
        .allow_non_standard_methods(true)
        .proxy(None)
        .timeout_global(Some(endpoints.timeout))
        .user_agent(concat!("aspen/", env!("CARGO_PKG_VERSION")))
        .tls_config(endpoints.roots.ureq_config())
        .build()
        .into()
}

fn request(endpoints: &Endpoints, user: &str, password: &str) -> Result<http::Request<&'static str>, String> {
    let method = Method::from_bytes(b"PROPFIND").map_err(|e| e.to_string())?;
    let mut auth = HeaderValue::from_str(&basic(user, password))
        .map_err(|_| "the Apple ID cannot be sent in an HTTP header".to_owned())?;
    // Kept out of any Debug output of the request.
    auth.set_sensitive(true);
    http::Request::builder()
        .method(method)
        .uri(endpoints.caldav.as_str())
        .header("Depth", "0")
        .header(header::CONTENT_TYPE, "application/xml; charset=utf-8")
        .header(header::AUTHORIZATION, auth)
        .body(BODY)
        // The http crate's errors name the part, never a header's value.
        .map_err(|e| e.to_string())
}

/// `Basic base64(user:password)`, in buffers wiped when dropped.
fn basic(user: &str, password: &str) -> Zeroizing<String> {
    let mut pair = Zeroizing::new(String::with_capacity(user.len() + 1 + password.len()));
    pair.push_str(user);
    pair.push(':');
    pair.push_str(password);
    let engine = base64::engine::general_purpose::STANDARD;
    let mut value = Zeroizing::new(String::with_capacity(6 + pair.len().div_ceil(3) * 4));
    value.push_str("Basic ");
    engine.encode_string(pair.as_bytes(), &mut value);
    value
}

fn answer(status: StatusCode) -> Outcome {
    match status {
        StatusCode::MULTI_STATUS => Outcome::Works,
        StatusCode::UNAUTHORIZED => Outcome::Rejected,
        other => Outcome::Unreachable(Unreachable::Unexpected(format!(
            "HTTP {}{}",
            other.as_u16(),
            other
                .canonical_reason()
                .map(|r| format!(" {r}"))
                .unwrap_or_default()
        ))),
    }
}

fn failure(e: ureq::Error, endpoints: &Endpoints) -> Outcome {
    let timed_out = Unreachable::TimedOut {
        after: endpoints.timeout,
    };
    Outcome::Unreachable(match e {
        ureq::Error::Rustls(e) => return Outcome::TlsFailure(tls::problem(&e)),
        ureq::Error::Tls(what) => return Outcome::TlsFailure(super::TlsProblem::Other(what.to_owned())),
        ureq::Error::Io(io) => {
            if let Some(problem) = tls::problem_in(&io) {
                return Outcome::TlsFailure(problem);
            }
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => Unreachable::Refused,
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => timed_out,
                _ => Unreachable::Network(io.to_string()),
            }
        }
        ureq::Error::Timeout(_) => timed_out,
        ureq::Error::HostNotFound => Unreachable::NoSuchHost,
        ureq::Error::ConnectionFailed => Unreachable::Network("the connection failed".to_owned()),
        ureq::Error::Protocol(p) => Unreachable::Unexpected(format!("something that is not HTTP ({p})")),
        other => Unreachable::Network(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_authentication_is_the_pair_in_base64() {
        // RFC 7617's example.
        assert_eq!(
            basic("Aladdin", "open sesame").as_str(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }

    #[test]
    fn the_request_body_is_the_one_docs_verify_md_shows() {
        assert_eq!(BODY.len(), 124);
        assert!(BODY.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:propfind "));
    }

    #[test]
    fn only_multi_status_works_and_only_401_rejects() {
        assert_eq!(answer(StatusCode::MULTI_STATUS), Outcome::Works);
        assert_eq!(answer(StatusCode::UNAUTHORIZED), Outcome::Rejected);
        assert_eq!(
            answer(StatusCode::OK),
            Outcome::Unreachable(Unreachable::Unexpected("HTTP 200 OK".to_owned()))
        );
        assert!(matches!(
            answer(StatusCode::MOVED_PERMANENTLY),
            Outcome::Unreachable(Unreachable::Unexpected(_))
        ));
    }
}
