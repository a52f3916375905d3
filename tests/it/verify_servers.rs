//! Real servers on loopback for `aspen verify`'s tests: a CA made at test time,
//! Radicale (CalDAV, from PyPI, in a venv the tests make) and Dovecot (IMAP, Debian's
//! `dovecot-imapd`) behind TLS with its certificates, each on a free port and
//! stopped when dropped; plus a port nobody listens on and one that never answers.
//!
//! A missing tool skips the test with a visible `SKIPPED:` line, or fails it under
//! `ASPEN_REQUIRE_SYSTEM_TESTS=1` (see .ci/run).

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};

use crate::common::{is_root, require_tool, system_tests_required};

/// A certificate authority made for one test.
pub struct Ca {
    pub pem: String,
    issuer: Issuer<'static, KeyPair>,
}

/// A server's certificate and key, in PEM.
pub struct ServerCert {
    pub cert: String,
    pub key: String,
}

impl Ca {
    pub fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        Self {
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// A server certificate for these names (IP addresses become IP names).
    pub fn server(&self, names: &[&str]) -> ServerCert {
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let mut params = CertificateParams::new(names.clone()).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, names[0].as_str());
        params.use_authority_key_identifier_extension = true;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        ServerCert {
            cert: cert.pem(),
            key: key.serialize_pem(),
        }
    }

    /// Writes the CA's certificate to `dir/name`, for `--ca-file`.
    pub fn write(&self, dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, &self.pem).unwrap();
        path
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A port that accepts TCP connections (the kernel completes them) and never says a
/// word: `accepted` counts the connections taken.
pub struct Silent {
    pub port: u16,
    accepted: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    _listener: TcpListener,
}

impl Silent {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (count, taker) = (accepted.clone(), listener.try_clone().unwrap());
        // Holds each connection open until the test ends, saying nothing.
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in taker.incoming().flatten() {
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                held.push(stream);
            }
        });
        Self {
            port,
            accepted,
            _listener: listener,
        }
    }

    pub fn accepted(&self) -> usize {
        self.accepted.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// A server process, stopped (SIGTERM, then SIGKILL) when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    pub log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let pid = rustix::process::Pid::from_raw(self.child.id() as i32).unwrap();
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        let end = Instant::now() + Duration::from_secs(10);
        while Instant::now() < end {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `port` takes connections (the server is up), or panics with its log.
fn wait_for_port(child: &mut Child, port: u16, log: &Path) {
    let end = Instant::now() + Duration::from_secs(30);
    while Instant::now() < end {
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "the server exited ({status}) before it listened:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!(
        "the server did not listen on port {port} within 30 s:\n{}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

fn private_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    // Dovecot's unprivileged processes read their sockets and the mail home below it.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

fn write_cert(dir: &Path, cert: &ServerCert) -> (PathBuf, PathBuf) {
    let (c, k) = (dir.join("server.pem"), dir.join("server.key"));
    std::fs::write(&c, &cert.cert).unwrap();
    std::fs::write(&k, &cert.key).unwrap();
    (c, k)
}

/// Says loudly that a test cannot run here, or fails it when system tests are required.
fn unavailable(what: &str) -> Option<PathBuf> {
    assert!(
        !system_tests_required(),
        "{what} and ASPEN_REQUIRE_SYSTEM_TESTS=1: see .ci/run"
    );
    eprintln!("SKIPPED: {what}; this test needs it (CI installs it)");
    None
}

/// Radicale in a venv under `target/test-tools/`, made (pip, from PyPI) the first
/// time it is needed and kept for later runs.
pub fn radicale() -> Option<PathBuf> {
    static MAKING: Mutex<()> = Mutex::new(());
    let _one_at_a_time = MAKING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-tools/radicale-venv");
    let bin = venv.join("bin/radicale");
    if bin.is_file() {
        return Some(bin);
    }
    let python = require_tool("python3")?;
    let made = Command::new(&python)
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .is_ok_and(|s| s.success())
        && Command::new(venv.join("bin/pip"))
            .args([
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "radicale>=3.1,<4",
            ])
            .status()
            .is_ok_and(|s| s.success());
    if made && bin.is_file() {
        Some(bin)
    } else {
        let _ = std::fs::remove_dir_all(&venv);
        unavailable("Radicale could not be installed in a venv (python3 -m venv, pip install radicale)")
    }
}

/// Starts Radicale with TLS (`cert`) and one htpasswd user.
pub fn start_radicale(bin: &Path, cert: &ServerCert, user: &str, password: &str) -> Server {
    let dir = private_dir();
    let (c, k) = write_cert(dir.path(), cert);
    let users = dir.path().join("users");
    std::fs::write(&users, format!("{user}:{password}\n")).unwrap();
    let port = free_port();
    let config = dir.path().join("config");
    let mut text = String::new();
    text.push_str(&format!(
        "[server]\nhosts = 127.0.0.1:{port}\nssl = True\ncertificate = {}\nkey = {}\n",
        c.display(),
        k.display()
    ));
    text.push_str(&format!(
        "[auth]\ntype = htpasswd\nhtpasswd_filename = {}\nhtpasswd_encryption = plain\ndelay = 0\n",
        users.display()
    ));
    text.push_str(&format!(
        "[storage]\nfilesystem_folder = {}\n[logging]\nlevel = info\n",
        dir.path().join("collections").display()
    ));
    std::fs::write(&config, text).unwrap();
    let log = dir.path().join("radicale.log");
    let out = std::fs::File::create(&log).unwrap();
    let mut child = Command::new(bin)
        .arg("--config")
        .arg(&config)
        .env("HOME", dir.path())
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .unwrap();
    wait_for_port(&mut child, port, &log);
    Server {
        child,
        port,
        log,
        _dir: dir,
    }
}

/// Dovecot's master, found where Debian puts it; it runs as root (CI does).
pub fn dovecot() -> Option<PathBuf> {
    let found = ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .or_else(|| require_tool("dovecot"))?;
    if !is_root() {
        return unavailable("Dovecot's test server runs as root, and this is not root");
    }
    Some(found)
}

/// The uid and gid of Debian's `dovecot` user, for the mail process (Dovecot never
/// runs one as root).
fn dovecot_ids() -> (u32, u32) {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    let line = passwd
        .lines()
        .find(|l| l.starts_with("dovecot:"))
        .expect("dovecot-imapd creates the dovecot user");
    let fields: Vec<&str> = line.split(':').collect();
    (fields[2].parse().unwrap(), fields[3].parse().unwrap())
}

/// Starts Dovecot (IMAP over TLS only, `cert`) in the foreground with a config of
/// its own, `users` in a passwd-file.
pub fn start_dovecot(bin: &Path, cert: &ServerCert, users: &[(&str, &str)]) -> Server {
    let dir = private_dir();
    let d = dir.path();
    let (c, k) = write_cert(d, cert);
    let mut passwd = std::fs::File::create(d.join("users")).unwrap();
    for (user, password) in users {
        writeln!(passwd, "{user}:{{PLAIN}}{password}").unwrap();
    }
    let home = d.join("home");
    std::fs::create_dir(&home).unwrap();
    let (uid, gid) = dovecot_ids();
    std::os::unix::fs::chown(&home, Some(uid), Some(gid)).unwrap();
    let port = free_port();
    let log = d.join("dovecot.log");
    let config = format!(
        "protocols = imap\nlisten = 127.0.0.1\nbase_dir = {base}\nstate_dir = {state}\n\
         log_path = {log}\ninfo_log_path = {log}\nssl = required\nssl_cert = <{c}\nssl_key = <{k}\n\
         auth_mechanisms = plain login\nauth_failure_delay = 0\nfirst_valid_uid = 1\n\
         mail_location = maildir:{home}/%u/Maildir\n\
         passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {users}\n}}\n\
         userdb {{\n  driver = static\n  args = uid={uid} gid={gid} home={home}/%u\n}}\n\
         service imap-login {{\n  inet_listener imap {{\n    port = 0\n  }}\n  \
         inet_listener imaps {{\n    port = {port}\n    ssl = yes\n  }}\n}}\n",
        base = d.join("base").display(),
        state = d.join("state").display(),
        log = log.display(),
        c = c.display(),
        k = k.display(),
        home = home.display(),
        users = d.join("users").display(),
    );
    let conf = d.join("dovecot.conf");
    std::fs::write(&conf, config).unwrap();
    let out = std::fs::File::create(d.join("dovecot.out")).unwrap();
    let mut child = Command::new(bin)
        .arg("-F")
        .arg("-c")
        .arg(&conf)
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .unwrap();
    wait_for_port(&mut child, port, &log);
    Server {
        child,
        port,
        log,
        _dir: dir,
    }
}
