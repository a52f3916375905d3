//! The certificates a server must chain to, and what a refused certificate means.
//! Verification is never turned off: there is no setting for it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use super::TlsProblem;
use crate::error::{Error, Result};

/// The certificate authorities a server's certificate must chain to.
#[derive(Clone, Debug)]
pub enum Roots {
    /// Mozilla's, as the `webpki-roots` crate ships them: the same on every machine,
    /// whatever the system's store holds.
    Mozilla,
    /// Only the certificates in this PEM file (`--ca-file`), for a server of one's own.
    File {
        path: PathBuf,
        certs: Arc<Vec<CertificateDer<'static>>>,
    },
}

impl Roots {
    /// Reads the `CERTIFICATE` blocks of a PEM file (at most 1 MiB, a regular file).
    pub fn from_pem_file(path: &Path) -> Result<Self> {
        let bytes =
            crate::storage::files::read_regular(path, crate::storage::MAX_SMALL_FILE_BYTES, "CA file")
                .map_err(|e| e.into_error("read", path))?;
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
            .filter_map(std::result::Result::ok)
            .collect();
        if certs.is_empty() {
            return Err(Error::NoCertificates {
                path: path.to_path_buf(),
            });
        }
        Ok(Self::File {
            path: path.to_path_buf(),
            certs: Arc::new(certs),
        })
    }

    /// The root store for a connection made with rustls directly (IMAP).
    pub(super) fn store(&self) -> rustls::RootCertStore {
        match self {
            Self::Mozilla => rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            },
            Self::File { certs, .. } => {
                let mut store = rustls::RootCertStore::empty();
                // A certificate rustls cannot use as a root is left out; if none is
                // left, every server is refused, which is the safe failure.
                let _ = store.add_parsable_certificates(certs.iter().cloned());
                store
            }
        }
    }

    /// The same roots for ureq (CalDAV).
    pub(super) fn ureq_config(&self) -> ureq::tls::TlsConfig {
        let roots = match self {
            Self::Mozilla => ureq::tls::RootCerts::WebPki,
            Self::File { certs, .. } => ureq::tls::RootCerts::new_with_certs(
                &certs
                    .iter()
                    .map(|c| ureq::tls::Certificate::from_der(c.as_ref()).to_owned())
                    .collect::<Vec<_>>(),
            ),
        };
        ureq::tls::TlsConfig::builder()
            .provider(ureq::tls::TlsProvider::Rustls)
            .root_certs(roots)
            .build()
    }
}

/// A rustls client configuration with ring, TLS 1.2 and 1.3, and `roots`.
pub(super) fn client_config(roots: &Roots) -> std::result::Result<Arc<rustls::ClientConfig>, TlsProblem> {
    // ring, the provider ureq's rustls uses for CalDAV too. rustls deprecates it for
    // lacking post-quantum key exchange; aws-lc-rs, which has it, needs cmake to build.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsProblem::Other(e.to_string()))?
        .with_root_certificates(roots.store())
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// What a rustls error means for the user.
pub(super) fn problem(e: &rustls::Error) -> TlsProblem {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer | C::BadSignature => TlsProblem::UnknownIssuer,
            C::NotValidForName | C::NotValidForNameContext { .. } => TlsProblem::WrongHost,
            C::Expired | C::ExpiredContext { .. } | C::NotValidYet | C::NotValidYetContext { .. } => {
                TlsProblem::NotValidNow
            }
            other => TlsProblem::Other(rustls::Error::InvalidCertificate(other.clone()).to_string()),
        },
        other => TlsProblem::Other(other.to_string()),
    }
}

/// The TLS failure inside an I/O error, if that is what it is: rustls reports a
/// failed handshake through the stream as `InvalidData` wrapping its own error.
pub(super) fn problem_in(e: &std::io::Error) -> Option<TlsProblem> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .map(problem)
}
