//! Passphrase -> Argon2id -> age X25519 identity, and the calibration of its cost.

use std::str::FromStr;
use std::time::Duration;

use age::x25519;
use bech32::{Bech32, Hrp};
use blake2::{Blake2b, Digest, digest::consts::U16};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::FormatError;
use crate::secret::SecretString;

pub const ALGORITHM: &str = "argon2id";
/// Argon2 version 1.3 (0x13).
pub const ARGON2_VERSION: u32 = 0x13;
pub const SALT_LEN: usize = 32;

/// RFC 9106's second recommended option: the floor for a real vault.
pub const FLOOR: Cost = Cost {
    memory_kib: 64 * 1024,
    passes: 3,
    lanes: 4,
};

/// What `--insecure-kdf` uses: Argon2's minimum, so tests and benchmarks measure
/// everything but the key derivation. No protection at all for real secrets.
pub const INSECURE: Cost = Cost {
    memory_kib: 8,
    passes: 1,
    lanes: 1,
};

/// Calibration never goes past this, so a fast machine cannot make a vault that a
/// slower machine of the same user cannot open.
pub const CALIBRATION_MAX_MEMORY_KIB: u32 = 1024 * 1024;

/// Limits on parameters read from a file, so a damaged or hostile header cannot make
/// aspen allocate terabytes or spin for hours.
const MAX_MEMORY_KIB: u32 = 4 * 1024 * 1024;
const MAX_PASSES: u32 = 64;
const MAX_LANES: u32 = 64;

/// The three Argon2id cost parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cost {
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
}

impl Cost {
    /// At or above RFC 9106's second recommendation in every parameter.
    pub fn meets_floor(self) -> bool {
        self.memory_kib >= FLOOR.memory_kib && self.passes >= FLOOR.passes && self.lanes >= FLOOR.lanes
    }

    /// Within what aspen will run when it reads a header (see `validate`).
    pub fn within_limits(self) -> bool {
        self.memory_kib <= MAX_MEMORY_KIB
            && self.passes <= MAX_PASSES
            && self.lanes <= MAX_LANES
            && self.passes >= 1
            && self.lanes >= 1
            && self.memory_kib >= 8 * self.lanes
    }

    pub fn describe(self) -> String {
        let passes = if self.passes == 1 { "pass" } else { "passes" };
        let lanes = if self.lanes == 1 { "lane" } else { "lanes" };
        // A header may hold any KiB count: never round it to a wrong MiB figure.
        let memory = if self.memory_kib.is_multiple_of(1024) {
            format!("{} MiB", self.memory_kib / 1024)
        } else {
            format!("{} KiB", self.memory_kib)
        };
        format!("{memory}, {} {passes}, {} {lanes}", self.passes, self.lanes)
    }
}

/// The KDF section of the vault header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub algorithm: String,
    pub version: u32,
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
    /// Hex-encoded random salt.
    pub salt: String,
}

impl KdfParams {
    pub fn new(cost: Cost, salt: [u8; SALT_LEN]) -> Self {
        Self {
            algorithm: ALGORITHM.to_owned(),
            version: ARGON2_VERSION,
            memory_kib: cost.memory_kib,
            passes: cost.passes,
            lanes: cost.lanes,
            salt: hex::encode(salt),
        }
    }

    pub fn cost(&self) -> Cost {
        Cost {
            memory_kib: self.memory_kib,
            passes: self.passes,
            lanes: self.lanes,
        }
    }

    /// Refuses what this aspen does not implement or will not run.
    pub fn validate(&self) -> Result<Vec<u8>, FormatError> {
        if self.algorithm != ALGORITHM || self.version != ARGON2_VERSION {
            return Err(FormatError::Damaged(format!(
                "unknown key derivation {} version {}",
                self.algorithm, self.version
            )));
        }
        if self.memory_kib > MAX_MEMORY_KIB || self.passes > MAX_PASSES || self.lanes > MAX_LANES {
            return Err(FormatError::Damaged(
                "the key-derivation cost in the header is implausibly high".to_owned(),
            ));
        }
        // aspen always writes 32 bytes as lowercase hex; anything else was altered.
        let canonical = self.salt.len() == SALT_LEN * 2
            && self
                .salt
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        let salt = hex::decode(&self.salt)
            .ok()
            .filter(|_| canonical)
            .ok_or_else(|| FormatError::Damaged("the salt in the header is not valid".to_owned()))?;
        argon2_params(self.cost()).map_err(|e| FormatError::Damaged(format!("KDF parameters: {e}")))?;
        Ok(salt)
    }
}

fn argon2_params(cost: Cost) -> Result<argon2::Params, argon2::Error> {
    argon2::Params::new(cost.memory_kib, cost.passes, cost.lanes, Some(32))
}

/// The key material a passphrase unlocks. Only ever derived from the passphrase: never
/// read from the file.
pub struct VaultKey {
    identity: x25519::Identity,
    recipient: x25519::Recipient,
    kdf: KdfParams,
}

impl std::fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VaultKey")
            .field("identity", &"<redacted>")
            .field("kdf", &self.kdf)
            .finish()
    }
}

impl VaultKey {
    /// Runs Argon2id over the passphrase with `kdf`'s salt and cost.
    pub fn derive(passphrase: &SecretString, kdf: KdfParams) -> Result<Self, FormatError> {
        let salt = kdf.validate()?;
        let params =
            argon2_params(kdf.cost()).map_err(|e| FormatError::Damaged(format!("KDF parameters: {e}")))?;
        let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut ikm = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(passphrase.expose().as_bytes(), &salt, ikm.as_mut())
            .map_err(|e| FormatError::Damaged(format!("key derivation failed: {e}")))?;
        let identity = identity_from_bytes(&ikm)?;
        let recipient = identity.to_public();
        Ok(Self {
            identity,
            recipient,
            kdf,
        })
    }

    pub fn kdf(&self) -> &KdfParams {
        &self.kdf
    }

    pub fn identity(&self) -> &x25519::Identity {
        &self.identity
    }

    pub fn recipient(&self) -> &x25519::Recipient {
        &self.recipient
    }

    /// A one-way check value of the recipient, stored in the header so a wrong
    /// passphrase is told apart from a damaged file. It does not reveal the recipient,
    /// so nobody without the passphrase can encrypt a payload this vault would accept.
    pub fn key_check(&self) -> String {
        key_check_of(&self.recipient.to_string())
    }

    /// The age identity as text (`AGE-SECRET-KEY-1…`), for `aspen identity`.
    pub fn identity_string(&self) -> SecretString {
        use age::secrecy::ExposeSecret;
        SecretString::from(self.identity.to_string().expose_secret())
    }
}

/// The key check of an age recipient `age1…` (see [`VaultKey::key_check`]).
pub(super) fn key_check_of(recipient: &str) -> String {
    let mut h = Blake2b::<U16>::new();
    h.update(b"aspen key check v1\0");
    h.update(recipient.as_bytes());
    hex::encode(h.finalize())
}

/// age 0.12 has no constructor from raw bytes, so the 32 derived bytes are encoded as
/// the identity's text form and parsed. Every intermediate copy is zeroized.
pub(super) fn identity_from_bytes(bytes: &[u8; 32]) -> Result<x25519::Identity, FormatError> {
    let hrp = Hrp::parse("age-secret-key-").expect("a constant, valid human-readable part");
    let mut encoded = Zeroizing::new(
        bech32::encode::<Bech32>(hrp, bytes)
            .map_err(|e| FormatError::Damaged(format!("key encoding: {e}")))?,
    );
    encoded.make_ascii_uppercase();
    x25519::Identity::from_str(&encoded).map_err(|e| FormatError::Damaged(format!("key encoding: {e}")))
}

/// Finds the cost that makes one derivation take about `target`, starting from the
/// RFC 9106 floor and raising memory first (memory-hardness is what hurts an
/// attacker), then passes once memory reaches its cap. `measure` runs one derivation
/// with the given cost and returns how long it took; tests pass a model of a machine.
///
/// Each guess is extrapolated from the last measurement, aiming a little under the
/// target because time grows faster than memory (caches, page faults). A guess that
/// overshoots `target` by more than 25 % is not kept, but the next guess scales back
/// from it, so one overshoot does not leave the floor in place.
pub fn calibrate(target: Duration, mut measure: impl FnMut(Cost) -> Duration) -> (Cost, Duration) {
    let high = target.mul_f64(1.25);
    let low = target.mul_f64(0.9);
    let first = (FLOOR, measure(FLOOR));
    // The dearest cost that fit under `high`, and the measurement to extrapolate from.
    let mut best = first;
    let mut last = first;
    for _ in 0..8 {
        if best.1 >= low || last.1.is_zero() {
            break;
        }
        let ratio = (target.as_secs_f64() * 0.95 / last.1.as_secs_f64()).clamp(1.0 / 16.0, 16.0);
        let next = scaled(last.0, ratio);
        if next == last.0 || next == best.0 {
            break;
        }
        let took = measure(next);
        if took <= high && took > best.1 {
            best = (next, took);
        }
        last = (next, took);
    }
    best
}

/// `cost` made `ratio` times dearer (or cheaper): memory up to its cap first, then
/// passes; going down, passes first. Never below the floor.
fn scaled(cost: Cost, ratio: f64) -> Cost {
    let use_memory = if ratio >= 1.0 {
        cost.memory_kib < CALIBRATION_MAX_MEMORY_KIB
    } else {
        cost.passes <= FLOOR.passes
    };
    if use_memory {
        let mib = ((f64::from(cost.memory_kib) * ratio) / 1024.0).floor() as u32;
        Cost {
            memory_kib: mib
                .saturating_mul(1024)
                .clamp(FLOOR.memory_kib, CALIBRATION_MAX_MEMORY_KIB),
            ..cost
        }
    } else {
        Cost {
            passes: ((f64::from(cost.passes) * ratio).floor() as u32).clamp(FLOOR.passes, MAX_PASSES),
            ..cost
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cost_is_described_without_rounding() {
        assert_eq!(FLOOR.describe(), "64 MiB, 3 passes, 4 lanes");
        assert_eq!(INSECURE.describe(), "8 KiB, 1 pass, 1 lane");
        let odd = Cost {
            memory_kib: 1500,
            passes: 2,
            lanes: 2,
        };
        assert_eq!(odd.describe(), "1500 KiB, 2 passes, 2 lanes");
    }

    /// A machine where time grows linearly with memory × passes.
    fn machine(secs_per_gib_pass: f64) -> impl FnMut(Cost) -> Duration {
        move |c: Cost| {
            Duration::from_secs_f64(
                secs_per_gib_pass * f64::from(c.memory_kib) / (1024.0 * 1024.0) * f64::from(c.passes),
            )
        }
    }

    #[test]
    fn calibration_raises_memory_to_reach_the_target() {
        let (cost, took) = calibrate(Duration::from_secs(1), machine(1.0));
        assert!(cost.meets_floor());
        assert_eq!(cost.passes, 3);
        assert!(cost.memory_kib > FLOOR.memory_kib);
        assert!((0.75..=1.25).contains(&took.as_secs_f64()), "{took:?}");
    }

    #[test]
    fn calibration_raises_passes_once_memory_is_capped() {
        let (cost, took) = calibrate(Duration::from_secs(1), machine(0.05));
        assert_eq!(cost.memory_kib, CALIBRATION_MAX_MEMORY_KIB);
        assert!(cost.passes > 3);
        assert!((0.75..=1.25).contains(&took.as_secs_f64()), "{took:?}");
    }

    #[test]
    fn calibration_recovers_from_an_overshoot() {
        // Measured on a 2-core EPYC: 64 MiB 0.11 s, 512 MiB 1.07 s, 582 MiB 1.25 s,
        // 768 MiB 1.8 s: time grows faster than memory, and a straight extrapolation
        // from the floor lands just past 1.25 s.
        let machine = |c: Cost| {
            let gib = f64::from(c.memory_kib) / (1024.0 * 1024.0);
            Duration::from_secs_f64((1.6 * gib + 0.9 * gib * gib) * f64::from(c.passes) / 3.0 + 0.01)
        };
        let (cost, took) = calibrate(Duration::from_secs(1), machine);
        assert!(cost.memory_kib > FLOOR.memory_kib, "{cost:?}");
        assert!((0.75..=1.25).contains(&took.as_secs_f64()), "{cost:?} {took:?}");
        // A slower phase that makes the first guess overshoot: the next one scales back.
        let mut first_guess = true;
        let (cost, took) = calibrate(Duration::from_secs(1), |c| {
            if c != FLOOR && std::mem::take(&mut first_guess) {
                return Duration::from_secs(2);
            }
            machine(c)
        });
        assert!(cost.memory_kib > FLOOR.memory_kib, "{cost:?}");
        assert!((0.75..=1.25).contains(&took.as_secs_f64()), "{cost:?} {took:?}");
    }

    #[test]
    fn calibration_never_goes_below_the_floor_on_a_slow_machine() {
        let (cost, _) = calibrate(Duration::from_secs(1), machine(100.0));
        assert_eq!(cost, FLOOR);
    }

    #[test]
    fn derived_identity_is_deterministic_and_salt_dependent() {
        let pass = SecretString::from("correct horse");
        let a = VaultKey::derive(&pass, KdfParams::new(INSECURE, [1; SALT_LEN])).unwrap();
        let b = VaultKey::derive(&pass, KdfParams::new(INSECURE, [1; SALT_LEN])).unwrap();
        let c = VaultKey::derive(&pass, KdfParams::new(INSECURE, [2; SALT_LEN])).unwrap();
        assert_eq!(a.recipient().to_string(), b.recipient().to_string());
        assert_ne!(a.recipient().to_string(), c.recipient().to_string());
        assert_eq!(a.key_check(), b.key_check());
        assert!(a.identity_string().expose().starts_with("AGE-SECRET-KEY-1"));
        assert!(!format!("{a:?}").contains("AGE-SECRET"));
    }

    #[test]
    fn implausible_header_costs_are_refused_before_running() {
        let mut kdf = KdfParams::new(INSECURE, [0; SALT_LEN]);
        kdf.memory_kib = u32::MAX;
        assert!(matches!(kdf.validate(), Err(FormatError::Damaged(_))));
        let mut kdf = KdfParams::new(INSECURE, [0; SALT_LEN]);
        kdf.salt = "00".to_owned();
        assert!(kdf.validate().is_err());
    }
}
