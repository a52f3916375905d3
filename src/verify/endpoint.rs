//! Where a sign-in goes: Apple's servers, or one the user names explicitly.

use std::fmt;

/// Apple's calendar server, as the setup card gives it.
const APPLE_CALDAV: &str = "https://caldav.icloud.com/";
const APPLE_CALDAV_HOST: &str = "caldav.icloud.com";
/// Apple's incoming mail server.
const APPLE_IMAP_HOST: &str = "imap.mail.me.com";
const IMAPS_PORT: u16 = 993;

/// Why a server given by the user is not taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EndpointProblem {
    #[error("it must start with https://: aspen never sends a password unencrypted")]
    NotHttps,
    #[error("it names no host")]
    NoHost,
    #[error("it holds a user name or password (user@host); aspen adds the Apple ID itself")]
    Credentials,
    #[error("its port is not a number from 1 to 65535")]
    BadPort,
    #[error("it is not a valid address: {0}")]
    Malformed(String),
}

/// An `https://` URL to send the CalDAV `PROPFIND` to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalDavUrl {
    url: String,
    host: String,
}

impl CalDavUrl {
    pub fn apple() -> Self {
        Self {
            url: APPLE_CALDAV.to_owned(),
            host: APPLE_CALDAV_HOST.to_owned(),
        }
    }

    /// Takes `https://HOST[:PORT][/PATH]`; anything else is refused.
    pub fn parse(text: &str) -> Result<Self, EndpointProblem> {
        let text = text.trim();
        let scheme_ok = text.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://"));
        if !scheme_ok {
            return Err(EndpointProblem::NotHttps);
        }
        let uri: ureq::http::Uri = text
            .parse()
            .map_err(|e: ureq::http::uri::InvalidUri| EndpointProblem::Malformed(e.to_string()))?;
        let authority = uri.authority().ok_or(EndpointProblem::NoHost)?;
        if authority.as_str().contains('@') {
            return Err(EndpointProblem::Credentials);
        }
        let host = authority.host().trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() {
            return Err(EndpointProblem::NoHost);
        }
        if authority.port().is_some() && authority.port_u16().is_none_or(|p| p == 0) {
            return Err(EndpointProblem::BadPort);
        }
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        Ok(Self {
            url: format!("https://{}{path}", authority.as_str()),
            host: host.to_ascii_lowercase(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.url
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn is_apple(&self) -> bool {
        self.host == APPLE_CALDAV_HOST
    }
}

/// An IMAP server spoken to over TLS from the first byte (port 993 by default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImapServer {
    host: String,
    port: u16,
}

impl ImapServer {
    pub fn apple() -> Self {
        Self {
            host: APPLE_IMAP_HOST.to_owned(),
            port: IMAPS_PORT,
        }
    }

    /// Takes `HOST`, `HOST:PORT` or `[IPv6]:PORT`.
    pub fn parse(text: &str) -> Result<Self, EndpointProblem> {
        let text = text.trim();
        if text.contains('@') {
            return Err(EndpointProblem::Credentials);
        }
        if text.contains("://") || text.contains('/') {
            return Err(EndpointProblem::Malformed(
                "give HOST or HOST:PORT, without a scheme or path".to_owned(),
            ));
        }
        let (host, port) = if let Some(rest) = text.strip_prefix('[') {
            let (host, after) = rest.split_once(']').ok_or_else(|| {
                EndpointProblem::Malformed("an IPv6 address needs its closing ]".to_owned())
            })?;
            match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None if after.is_empty() => (host, None),
                None => return Err(EndpointProblem::Malformed("text after the ]".to_owned())),
            }
        } else {
            match text.rsplit_once(':') {
                Some((host, port)) if !host.contains(':') => (host, Some(port)),
                // More than one colon without brackets: a bare IPv6 address, or a
                // mistake that would not read back the same once written.
                Some(_) if text.parse::<std::net::Ipv6Addr>().is_ok() => (text, None),
                Some(_) => {
                    return Err(EndpointProblem::Malformed(
                        "an IPv6 address with a port goes in brackets: [ADDRESS]:PORT".to_owned(),
                    ));
                }
                None => (text, None),
            }
        };
        if host.is_empty() {
            return Err(EndpointProblem::NoHost);
        }
        if host.contains(['[', ']']) {
            return Err(EndpointProblem::Malformed("a bracket out of place".to_owned()));
        }
        if host.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EndpointProblem::Malformed(
                "the host name holds spaces".to_owned(),
            ));
        }
        let port = match port {
            None => IMAPS_PORT,
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or(EndpointProblem::BadPort)?,
        };
        Ok(Self {
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn is_apple(&self) -> bool {
        self.host == APPLE_IMAP_HOST
    }
}

impl fmt::Display for ImapServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caldav_urls_must_be_https_and_name_a_host() {
        let apple = CalDavUrl::apple();
        assert!(apple.is_apple());
        assert_eq!(apple.as_str(), "https://caldav.icloud.com/");
        let local = CalDavUrl::parse("https://127.0.0.1:5232").unwrap();
        assert_eq!(local.as_str(), "https://127.0.0.1:5232/");
        assert_eq!(local.host(), "127.0.0.1");
        assert!(!local.is_apple());
        assert_eq!(
            CalDavUrl::parse("HTTPS://CalDAV.iCloud.com/").map(|u| u.is_apple()),
            Ok(true)
        );
        assert_eq!(
            CalDavUrl::parse("http://caldav.icloud.com/"),
            Err(EndpointProblem::NotHttps)
        );
        assert_eq!(
            CalDavUrl::parse("caldav.icloud.com"),
            Err(EndpointProblem::NotHttps)
        );
        assert_eq!(
            CalDavUrl::parse("https://me:pw@example.org/"),
            Err(EndpointProblem::Credentials)
        );
        assert!(CalDavUrl::parse("https://").is_err());
        assert_eq!(CalDavUrl::parse("https://[::1]:8443/dav/").unwrap().host(), "::1");
    }

    #[test]
    fn imap_servers_take_host_and_port() {
        assert_eq!(ImapServer::apple().to_string(), "imap.mail.me.com:993");
        assert!(ImapServer::apple().is_apple());
        let s = ImapServer::parse("127.0.0.1:1993").unwrap();
        assert_eq!((s.host(), s.port()), ("127.0.0.1", 1993));
        assert_eq!(ImapServer::parse("mail.example.org").unwrap().port(), 993);
        assert_eq!(ImapServer::parse("[::1]:1993").unwrap().to_string(), "[::1]:1993");
        assert_eq!(ImapServer::parse("::1").unwrap().port(), 993);
        assert_eq!(ImapServer::parse("host:0"), Err(EndpointProblem::BadPort));
        assert_eq!(ImapServer::parse("host:99999"), Err(EndpointProblem::BadPort));
        assert_eq!(ImapServer::parse(":993"), Err(EndpointProblem::NoHost));
        assert!(ImapServer::parse("imaps://host").is_err());
        assert_eq!(ImapServer::parse("me@host"), Err(EndpointProblem::Credentials));
    }
}
