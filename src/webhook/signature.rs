//! `X-Hub-Signature-256`: HMAC-SHA256 of the raw body with the app secret.
//!
//! The header is `sha256=` followed by 64 hex digits. Decisions, so that a check either passes for
//! the exact bytes Meta signed or fails with a reason:
//! - the `sha256=` prefix is matched case-insensitively (`SHA256=` passes) and surrounding
//!   whitespace is ignored; the hex digits may be upper or lower case (they are decoded, and the
//!   bytes are compared);
//! - a missing or empty header, a `sha1=` header (the legacy `X-Hub-Signature`), another scheme,
//!   non-hex digits and a wrong length are each a distinct [`SignatureError`];
//! - the HMAC is compared in constant time (`hmac`'s `verify_slice`), over the body exactly as
//!   received: never re-serialize JSON before verifying;
//! - errors never contain the expected signature or the secret.

use crate::secret::AppSecret;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;

type HmacSha256 = Hmac<Sha256>;

/// The HTTP header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Hub-Signature-256";

/// Why a signature check failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The app secret is empty or only whitespace: refused, because every body would verify
    /// against a key anyone can guess.
    #[error("the app secret is blank; refusing to verify webhook signatures with it")]
    BlankSecret,
    /// No secret was given to [`SignatureVerifier::with_secrets`].
    #[error("no app secret given")]
    NoSecret,
    /// The request had no `X-Hub-Signature-256` header.
    #[error("missing X-Hub-Signature-256 header")]
    Missing,
    /// The header was present but empty.
    #[error("empty X-Hub-Signature-256 header")]
    Empty,
    /// The header is a SHA-1 signature (`sha1=…`, the legacy `X-Hub-Signature`); only SHA-256 is
    /// accepted.
    #[error("X-Hub-Signature-256 carries a sha1= signature; only sha256= is accepted")]
    Sha1,
    /// The header does not start with `sha256=`.
    #[error("X-Hub-Signature-256 does not start with `sha256=`")]
    UnknownScheme,
    /// The digest is not hexadecimal.
    #[error("X-Hub-Signature-256 digest is not hexadecimal")]
    NotHex,
    /// The digest does not have 64 hex digits.
    #[error("X-Hub-Signature-256 digest has {actual} hex digits, expected 64")]
    WrongLength {
        /// The number of digits found.
        actual: usize,
    },
    /// The digest is well-formed but does not match the body (wrong secret, or altered body).
    #[error("X-Hub-Signature-256 does not match the body")]
    Mismatch,
}

/// Verifies `X-Hub-Signature-256` headers with one or more app secrets.
///
/// Several secrets allow rotating the app secret without dropping deliveries: a signature made with
/// any of them passes.
///
/// ```
/// use whatsapp_cloud::webhook::{self, SignatureError, SignatureVerifier};
/// let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
/// let header = webhook::sign("my-app-secret", body);
/// let verifier = SignatureVerifier::new("my-app-secret")?;
/// assert_eq!(verifier.verify(body, Some(&header)), Ok(()));
/// assert_eq!(verifier.verify(b"tampered", Some(&header)), Err(SignatureError::Mismatch));
/// assert_eq!(verifier.verify(body, None), Err(SignatureError::Missing));
/// # Ok::<(), SignatureError>(())
/// ```
#[derive(Clone)]
pub struct SignatureVerifier {
    keys: Vec<HmacSha256>,
}

impl fmt::Debug for SignatureVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SignatureVerifier({} secret(s), <redacted>)",
            self.keys.len()
        )
    }
}

fn key(secret: &[u8]) -> Result<HmacSha256, SignatureError> {
    if secret.iter().all(u8::is_ascii_whitespace) {
        return Err(SignatureError::BlankSecret);
    }
    // HMAC takes keys of any length; the error case cannot happen for HMAC-SHA256.
    HmacSha256::new_from_slice(secret).map_err(|_| SignatureError::BlankSecret)
}

impl SignatureVerifier {
    /// A verifier for one app secret.
    ///
    /// # Errors
    /// [`SignatureError::BlankSecret`] when the secret is empty or only whitespace.
    pub fn new(app_secret: impl AsRef<[u8]>) -> Result<Self, SignatureError> {
        Ok(Self {
            keys: vec![key(app_secret.as_ref())?],
        })
    }

    /// A verifier for an [`AppSecret`].
    ///
    /// # Errors
    /// [`SignatureError::BlankSecret`] when the secret is blank.
    pub fn from_app_secret(app_secret: &AppSecret) -> Result<Self, SignatureError> {
        Self::new(app_secret.expose_secret())
    }

    /// A verifier accepting signatures made with any of several secrets (secret rotation).
    ///
    /// # Errors
    /// [`SignatureError::NoSecret`] for an empty list, [`SignatureError::BlankSecret`] when any
    /// secret is blank.
    pub fn with_secrets<I>(secrets: I) -> Result<Self, SignatureError>
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        let keys = secrets
            .into_iter()
            .map(|s| key(s.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Err(SignatureError::NoSecret);
        }
        Ok(Self { keys })
    }

    /// Checks the `X-Hub-Signature-256` header value against the raw body.
    ///
    /// # Errors
    /// A [`SignatureError`] naming what is wrong with the header; never the expected value.
    pub fn verify(&self, body: &[u8], header: Option<&str>) -> Result<(), SignatureError> {
        let digest = parse_header(header)?;
        let mut ok = false;
        for k in &self.keys {
            let mut mac = k.clone();
            mac.update(body);
            // Every key is tried, so the time taken does not tell which one matched.
            ok |= mac.verify_slice(&digest).is_ok();
        }
        if ok {
            Ok(())
        } else {
            Err(SignatureError::Mismatch)
        }
    }
}

fn parse_header(header: Option<&str>) -> Result<[u8; 32], SignatureError> {
    let value = header.ok_or(SignatureError::Missing)?.trim();
    if value.is_empty() {
        return Err(SignatureError::Empty);
    }
    let (scheme, hex_digits) = value.split_once('=').ok_or(SignatureError::UnknownScheme)?;
    if scheme.eq_ignore_ascii_case("sha1") {
        return Err(SignatureError::Sha1);
    }
    if !scheme.eq_ignore_ascii_case("sha256") {
        return Err(SignatureError::UnknownScheme);
    }
    decode_digest(hex_digits.as_bytes())
}

/// Decodes 64 hex digits (either case) into a digest, in one pass and without allocating.
fn decode_digest(hex_digits: &[u8]) -> Result<[u8; 32], SignatureError> {
    let mut out = [0u8; 32];
    let mut bad = false;
    if let Ok(pairs) = <&[u8; 64]>::try_from(hex_digits) {
        for (byte, pair) in out.iter_mut().zip(pairs.chunks_exact(2)) {
            let (hi, lo) = (nibble(pair[0]), nibble(pair[1]));
            bad |= (hi | lo) > 0x0f;
            *byte = (hi << 4) | (lo & 0x0f);
        }
    } else {
        bad = hex_digits.iter().any(|b| nibble(*b) > 0x0f);
        if !bad {
            return Err(SignatureError::WrongLength {
                actual: hex_digits.len(),
            });
        }
    }
    if bad {
        return Err(SignatureError::NotHex);
    }
    Ok(out)
}

/// The value of one hex digit, or `0xff` for anything else.
fn nibble(b: u8) -> u8 {
    HEX_VALUES[usize::from(b)]
}

/// [`nibble`] as a table: one load per digit instead of three range checks.
const HEX_VALUES: [u8; 256] = {
    let mut table = [0xffu8; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// The `X-Hub-Signature-256` value Meta would send for `body`: `sha256=` + lower-case hex.
///
/// For your own tests: sign a fixture, then post it to your handler.
///
/// ```
/// let header = whatsapp_cloud::webhook::sign("secret", b"{}");
/// assert!(header.starts_with("sha256="));
/// assert_eq!(header.len(), 7 + 64);
/// ```
pub fn sign(app_secret: impl AsRef<[u8]>, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail; an empty key signs like any other.
    let mut mac = match HmacSha256::new_from_slice(app_secret.as_ref()) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_decode_in_either_case_and_refuse_bad_digits() {
        let header = sign("s", b"body");
        let upper = format!("sha256={}", header["sha256=".len()..].to_ascii_uppercase());
        let v = SignatureVerifier::new("s").unwrap();
        assert_eq!(v.verify(b"body", Some(&upper)), Ok(()));
        let mut bad = header.clone().into_bytes();
        bad[40] = b'g';
        let bad = String::from_utf8(bad).unwrap();
        assert_eq!(v.verify(b"body", Some(&bad)), Err(SignatureError::NotHex));
        assert_eq!(
            v.verify(b"body", Some("sha256=0g")),
            Err(SignatureError::NotHex)
        );
        assert_eq!(
            v.verify(b"body", Some("sha256=00")),
            Err(SignatureError::WrongLength { actual: 2 })
        );
        let expected = hex::decode(&header["sha256=".len()..]).unwrap();
        assert_eq!(
            decode_digest(&header.as_bytes()["sha256=".len()..]).unwrap()[..],
            expected[..]
        );
    }
}
