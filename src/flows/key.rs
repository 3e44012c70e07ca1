//! [`FlowPrivateKey`]: the business private key, loaded from PEM, that decrypts Flow requests.

use super::error::{DecryptProblem, FlowError, KeyProblem};
use super::request::{DecryptedRequest, Envelope};
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{OAEP_SHA256_MGF1SHA256, OaepPrivateDecryptingKey, PrivateDecryptingKey};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use pkcs8::der::Encode as _;
use std::fmt;
use zeroize::Zeroizing;

/// The object identifier of `rsaEncryption` (RFC 8017), for wrapping a PKCS#1 key in PKCS#8.
const RSA_ENCRYPTION: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// The business's RSA private key for a Flow data endpoint: it decrypts each request's AES key
/// (RSA-OAEP with SHA-256 and MGF1-SHA-256) through aws-lc-rs, whose RSA is constant-time.
///
/// The key lives only inside aws-lc-rs's key object; the decoded PEM bytes are wiped after loading.
/// `Debug` shows the key size and nothing else. Cheap to share: wrap it in an `Arc` for many
/// handlers.
///
/// ```
/// use whatsapp_cloud::flows::FlowPrivateKey;
///
/// # let pem = include_str!("../../tests/fixtures/flows/key_encrypted_pkcs8.pem");
/// // let pem = std::fs::read_to_string("private.pem")?;
/// let key = FlowPrivateKey::from_pem(pem, Some("flow-test-passphrase"))?;
/// assert_eq!(key.bits(), 2048);
/// assert!(key.public_key_pem().starts_with("-----BEGIN PUBLIC KEY-----\n"));
/// assert_eq!(format!("{key:?}"), "FlowPrivateKey { bits: 2048, .. }");
/// # Ok::<(), whatsapp_cloud::flows::FlowError>(())
/// ```
pub struct FlowPrivateKey {
    key: OaepPrivateDecryptingKey,
    public_key_der: Vec<u8>,
    bits: usize,
}

impl fmt::Debug for FlowPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlowPrivateKey")
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

impl FlowPrivateKey {
    /// Loads a PEM private key: unencrypted PKCS#8 (`BEGIN PRIVATE KEY`), PKCS#1 (`BEGIN RSA PRIVATE
    /// KEY`), or encrypted PKCS#8 (`BEGIN ENCRYPTED PRIVATE KEY`, PBES2) with `passphrase`. The
    /// passphrase is ignored for an unencrypted key.
    ///
    /// # Errors
    /// [`FlowError::Key`] with the [`KeyProblem`]: not a PEM private key, a legacy encrypted PEM
    /// (`Proc-Type: 4,ENCRYPTED`; the error names the `openssl` command converting it), a missing or
    /// wrong passphrase, not RSA, or under 2048 bits.
    pub fn from_pem(pem: &str, passphrase: Option<&str>) -> Result<Self, FlowError> {
        let block = PemBlock::parse(pem)?;
        match block.label {
            "PRIVATE KEY" => Self::from_pkcs8_der(&block.der()?),
            "RSA PRIVATE KEY" if block.legacy_encrypted => {
                Err(FlowError::Key(KeyProblem::LegacyEncryptedPem))
            }
            "RSA PRIVATE KEY" => {
                let pkcs1 = block.der()?;
                let info = pkcs8::PrivateKeyInfo::new(
                    pkcs8::AlgorithmIdentifierRef {
                        oid: RSA_ENCRYPTION,
                        parameters: Some(pkcs8::der::asn1::AnyRef::NULL),
                    },
                    &pkcs1,
                );
                let der = info
                    .to_der()
                    .map_err(|_| FlowError::Key(KeyProblem::Invalid("not an RSAPrivateKey")))?;
                Self::from_pkcs8_der(&Zeroizing::new(der))
            }
            "ENCRYPTED PRIVATE KEY" => {
                let passphrase = passphrase.ok_or(FlowError::Key(KeyProblem::MissingPassphrase))?;
                let der = block.der()?;
                let info =
                    pkcs8::EncryptedPrivateKeyInfo::try_from(der.as_slice()).map_err(|e| {
                        FlowError::Key(match e {
                            // The scheme's identifier is one pkcs5 does not know (PBES1, PKCS#12).
                            pkcs8::Error::Asn1(e) if unknown_scheme(e.kind()) => {
                                KeyProblem::UnsupportedEncryption
                            }
                            _ => KeyProblem::Invalid("not an EncryptedPrivateKeyInfo"),
                        })
                    })?;
                let plain = info.decrypt(passphrase).map_err(|e| match e {
                    // pkcs5 0.7 reports a failed CBC unpadding as `EncryptFailed`; a wrong
                    // passphrase that happens to unpad yields bytes that are not DER (`Asn1`).
                    pkcs8::Error::EncryptedPrivateKey(
                        pkcs8::pkcs5::Error::DecryptFailed | pkcs8::pkcs5::Error::EncryptFailed,
                    )
                    | pkcs8::Error::Asn1(_) => FlowError::Key(KeyProblem::WrongPassphrase),
                    _ => FlowError::Key(KeyProblem::UnsupportedEncryption),
                })?;
                // A wrong passphrase passes the CBC padding check about once in 256 tries; the
                // garbage it yields is not a key.
                Self::from_pkcs8_der(plain.as_bytes()).map_err(|e| match e {
                    FlowError::Key(KeyProblem::Invalid(_)) => {
                        FlowError::Key(KeyProblem::WrongPassphrase)
                    }
                    other => other,
                })
            }
            "EC PRIVATE KEY" | "DSA PRIVATE KEY" | "OPENSSH PRIVATE KEY" => {
                Err(FlowError::Key(KeyProblem::NotRsa))
            }
            other => Err(FlowError::Key(KeyProblem::UnsupportedPem {
                label: other.to_owned(),
            })),
        }
    }

    fn from_pkcs8_der(der: &[u8]) -> Result<Self, FlowError> {
        let private = PrivateDecryptingKey::from_pkcs8(der).map_err(key_rejected)?;
        let bits = private.key_size_bits();
        // The signing view of the same document gives the SubjectPublicKeyInfo to upload to Meta.
        let public_key_der = aws_lc_rs::rsa::KeyPair::from_pkcs8(der)
            .map_err(key_rejected)?
            .public_key()
            .as_der()
            .map_err(|_| FlowError::Key(KeyProblem::Invalid("no public key")))?
            .as_ref()
            .to_vec();
        let key = OaepPrivateDecryptingKey::new(private)
            .map_err(|_| FlowError::Key(KeyProblem::Invalid("not usable for RSA-OAEP")))?;
        Ok(Self {
            key,
            public_key_der,
            bits,
        })
    }

    /// The key's size in bits (2048 for Meta's recommended keys).
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// The matching public key as PEM (`BEGIN PUBLIC KEY`, SubjectPublicKeyInfo): upload it with
    /// [`SetBusinessPublicKey`](crate::endpoint::business_encryption::SetBusinessPublicKey).
    pub fn public_key_pem(&self) -> String {
        let encoded = STANDARD.encode(&self.public_key_der);
        let mut pem = String::from("-----BEGIN PUBLIC KEY-----\n");
        for line in encoded.as_bytes().chunks(64) {
            // Base64 output is ASCII, so every chunk is valid UTF-8.
            pem.push_str(&String::from_utf8_lossy(line));
            pem.push('\n');
        }
        pem.push_str("-----END PUBLIC KEY-----\n");
        pem
    }

    /// Decrypts a Flow data request: `body` is the raw JSON Meta posts
    /// (`{"encrypted_flow_data", "encrypted_aes_key", "initial_vector"}`). Check
    /// `X-Hub-Signature-256` over the same bytes first.
    ///
    /// # Errors
    /// [`FlowError::MalformedBody`] (400) when the body is not that JSON object;
    /// [`FlowError::Decrypt`] (421) when a field is not base64, the IV is not 16 bytes, the AES key
    /// does not decrypt with this key, or the AES-GCM tag fails; [`FlowError::InvalidRequest`] (400)
    /// when the decrypted text is not a Flow request.
    pub fn decrypt_request(&self, body: &[u8]) -> Result<DecryptedRequest, FlowError> {
        let envelope = Envelope::parse(body)?;
        let wrapped = decode_field("encrypted_aes_key", &envelope.encrypted_aes_key)?;
        let mut aes_key = Zeroizing::new(vec![0u8; self.key.min_output_size()]);
        let len = self
            .key
            .decrypt(&OAEP_SHA256_MGF1SHA256, &wrapped, &mut aes_key, None)
            .map_err(|_| FlowError::Decrypt(DecryptProblem::AesKeyUnwrap))?
            .len();
        let aes_key: [u8; 16] =
            aes_key
                .get(..len)
                .and_then(|k| k.try_into().ok())
                .ok_or(FlowError::Decrypt(DecryptProblem::InvalidAesKeyLength {
                    len,
                }))?;
        let aes_key = Zeroizing::new(aes_key);
        let iv = decode_field("initial_vector", &envelope.initial_vector)?;
        let data = decode_field("encrypted_flow_data", &envelope.encrypted_flow_data)?;
        DecryptedRequest::open(&aes_key, &iv, &data)
    }
}

fn key_rejected(e: aws_lc_rs::error::KeyRejected) -> FlowError {
    FlowError::Key(match e.description_() {
        "TooSmall" => KeyProblem::TooSmall { bits: None },
        "WrongAlgorithm" => KeyProblem::NotRsa,
        "TooLarge" => KeyProblem::Invalid("larger than 8192 bits"),
        _ => KeyProblem::Invalid("not a valid PKCS#8 RSA private key"),
    })
}

fn unknown_scheme(kind: pkcs8::der::ErrorKind) -> bool {
    use pkcs8::der::{ErrorKind, Tag};
    matches!(
        kind,
        ErrorKind::OidUnknown { .. }
            | ErrorKind::Value {
                tag: Tag::ObjectIdentifier
            }
    )
}

fn decode_field(field: &'static str, value: &str) -> Result<Vec<u8>, FlowError> {
    STANDARD
        .decode(value.trim())
        .map_err(|_| FlowError::Decrypt(DecryptProblem::InvalidBase64 { field }))
}

/// One PEM block: its label, whether it has legacy encryption headers, and its base64 text.
struct PemBlock<'a> {
    label: &'a str,
    legacy_encrypted: bool,
    base64: Zeroizing<String>,
}

impl<'a> PemBlock<'a> {
    fn parse(pem: &'a str) -> Result<Self, FlowError> {
        let not_pem = |what| FlowError::Key(KeyProblem::NotPem(what));
        let start = pem
            .find("-----BEGIN ")
            .ok_or(not_pem("no -----BEGIN line"))?;
        let rest = &pem[start + "-----BEGIN ".len()..];
        let label_end = rest
            .find("-----")
            .ok_or(not_pem("unterminated BEGIN line"))?;
        let label = rest[..label_end].trim();
        let body = &rest[label_end + "-----".len()..];
        let end_marker = format!("-----END {label}-----");
        let body_end = body
            .find(&end_marker)
            .ok_or(not_pem("no matching -----END line"))?;
        let mut legacy_encrypted = false;
        let mut base64 = Zeroizing::new(String::new());
        for line in body[..body_end].lines() {
            let line = line.trim();
            if let Some((name, value)) = line.split_once(':') {
                // RFC 1421 headers: OpenSSL's legacy encryption writes Proc-Type and DEK-Info.
                if name.trim().eq_ignore_ascii_case("Proc-Type") && value.contains("ENCRYPTED") {
                    legacy_encrypted = true;
                }
                if name.trim().eq_ignore_ascii_case("DEK-Info") {
                    legacy_encrypted = true;
                }
                continue;
            }
            base64.push_str(line);
        }
        Ok(Self {
            label,
            legacy_encrypted,
            base64,
        })
    }

    fn der(&self) -> Result<Zeroizing<Vec<u8>>, FlowError> {
        STANDARD
            .decode(self.base64.as_bytes())
            .map(Zeroizing::new)
            .map_err(|_| {
                FlowError::Key(KeyProblem::NotPem(
                    "the base64 between the lines is invalid",
                ))
            })
    }
}
