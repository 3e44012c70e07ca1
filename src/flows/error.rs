//! [`FlowError`]: what can go wrong on a Flow data endpoint, and the HTTP status to answer with.

use std::fmt;

/// The `openssl` command that converts a legacy encrypted PEM into encrypted PKCS#8.
pub const CONVERT_LEGACY_PEM_COMMAND: &str =
    "openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.pem -out new.pem";

/// An error on a Flow data endpoint. [`FlowError::http_status`] is the status to answer Meta with.
///
/// Messages name the field or the problem, never key material, passphrases or decrypted data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FlowError {
    /// The private key could not be loaded (see [`KeyProblem`]). Status 500: the endpoint is
    /// misconfigured, not the request.
    #[error("the Flow private key could not be loaded: {0}")]
    Key(KeyProblem),
    /// The request body is not Meta's JSON envelope (`encrypted_flow_data`, `encrypted_aes_key`,
    /// `initial_vector`, all strings). Status 400.
    #[error("the Flow request body is not the encrypted envelope: {0}")]
    MalformedBody(String),
    /// The request could not be decrypted (see [`DecryptProblem`]). Status 421: the WhatsApp client
    /// downloads the business public key again and retries.
    #[error("the Flow request could not be decrypted: {0}")]
    Decrypt(DecryptProblem),
    /// The request decrypted (so it is authentic) but is not a Flow request (no `action`, or not
    /// JSON). Status 400.
    #[error("the decrypted Flow request is not a Flow request: {0}")]
    InvalidRequest(String),
    /// Returned by your code when the `flow_token` is no longer valid. Status 427: WhatsApp disables
    /// the Flow's button and shows `error_msg` (or a generic message) to the user.
    #[error("the flow token is no longer valid")]
    FlowTokenNoLongerValid {
        /// The message shown to the user, sent as `{"error_msg": ...}`.
        error_msg: Option<String>,
    },
    /// A signature check failed: `X-Hub-Signature-256` (from
    /// [`SignatureVerifier`](crate::webhook::SignatureVerifier), converted with `From`) or the
    /// request's `flow_token_signature`. Status 432.
    #[error("the request signature check failed: {0}")]
    SignatureFailed(String),
    /// The reply could not be serialized to JSON. Status 500.
    #[error("the Flow reply could not be serialized: {0}")]
    Reply(String),
}

impl FlowError {
    /// The HTTP status Meta expects for this error, per "Implement endpoints for Flows":
    ///
    /// | error | status |
    /// |---|---|
    /// | [`Decrypt`](Self::Decrypt) | 421 (the client refreshes the public key and retries) |
    /// | [`FlowTokenNoLongerValid`](Self::FlowTokenNoLongerValid) | 427 |
    /// | [`SignatureFailed`](Self::SignatureFailed) | 432 |
    /// | [`MalformedBody`](Self::MalformedBody), [`InvalidRequest`](Self::InvalidRequest) | 400 |
    /// | [`Key`](Self::Key), [`Reply`](Self::Reply) | 500 |
    ///
    /// ```
    /// use whatsapp_cloud::flows::FlowError;
    ///
    /// let expired = FlowError::flow_token_no_longer_valid(Some("This offer has ended"));
    /// assert_eq!(expired.http_status(), 427);
    /// assert_eq!(expired.response_body().as_deref(), Some(r#"{"error_msg":"This offer has ended"}"#));
    /// ```
    pub fn http_status(&self) -> u16 {
        match self {
            Self::Decrypt(_) => 421,
            Self::FlowTokenNoLongerValid { .. } => 427,
            Self::SignatureFailed(_) => 432,
            Self::MalformedBody(_) | Self::InvalidRequest(_) => 400,
            Self::Key(_) | Self::Reply(_) => 500,
        }
    }

    /// The JSON body to send with [`http_status`](Self::http_status): `{"error_msg": ...}` for a
    /// [`FlowTokenNoLongerValid`](Self::FlowTokenNoLongerValid) with a message, else `None` (send an
    /// empty body).
    pub fn response_body(&self) -> Option<String> {
        match self {
            Self::FlowTokenNoLongerValid {
                error_msg: Some(msg),
            } => Some(serde_json::json!({ "error_msg": msg }).to_string()),
            _ => None,
        }
    }

    /// The error your code returns when the request's `flow_token` is no longer valid (status 427);
    /// `error_msg` is shown to the user.
    pub fn flow_token_no_longer_valid(error_msg: Option<&str>) -> Self {
        Self::FlowTokenNoLongerValid {
            error_msg: error_msg.map(str::to_owned),
        }
    }
}

impl From<crate::webhook::SignatureError> for FlowError {
    fn from(e: crate::webhook::SignatureError) -> Self {
        Self::SignatureFailed(e.to_string())
    }
}

/// Why a private key was refused by [`FlowPrivateKey::from_pem`](super::FlowPrivateKey::from_pem).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyProblem {
    /// No `-----BEGIN ...-----` / `-----END ...-----` block, or its base64 is broken.
    NotPem(&'static str),
    /// A PEM block of a kind that holds no private key (`label` is what follows `BEGIN`).
    UnsupportedPem {
        /// The PEM label, for example `PUBLIC KEY` or `CERTIFICATE`.
        label: String,
    },
    /// A legacy OpenSSL-encrypted PEM (`Proc-Type: 4,ENCRYPTED`, as `openssl genrsa -des3` made);
    /// convert it with [`CONVERT_LEGACY_PEM_COMMAND`].
    LegacyEncryptedPem,
    /// The key is encrypted (`BEGIN ENCRYPTED PRIVATE KEY`) and no passphrase was given.
    MissingPassphrase,
    /// The passphrase does not decrypt the key.
    WrongPassphrase,
    /// The key is encrypted with a scheme other than PBES2 (PBKDF2 or scrypt, AES-CBC).
    UnsupportedEncryption,
    /// The key is not an RSA key (Meta's Flows use 2048-bit RSA).
    NotRsa,
    /// The RSA key is shorter than 2048 bits.
    TooSmall {
        /// The key's size in bits, when it could be read.
        bits: Option<usize>,
    },
    /// The DER inside the PEM is not a valid key of the labelled kind.
    Invalid(&'static str),
}

impl fmt::Display for KeyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotPem(what) => write!(f, "not a PEM private key: {what}"),
            Self::UnsupportedPem { label } => write!(
                f,
                "the PEM holds a {label:?}, not a private key (expected PRIVATE KEY, RSA PRIVATE KEY \
                 or ENCRYPTED PRIVATE KEY)"
            ),
            Self::LegacyEncryptedPem => write!(
                f,
                "the key uses OpenSSL's legacy PEM encryption (Proc-Type: 4,ENCRYPTED); convert it to \
                 encrypted PKCS#8 with `{CONVERT_LEGACY_PEM_COMMAND}` and load new.pem"
            ),
            Self::MissingPassphrase => f.write_str(
                "the key is encrypted (ENCRYPTED PRIVATE KEY) and no passphrase was given",
            ),
            Self::WrongPassphrase => f.write_str("the passphrase does not decrypt the key"),
            Self::UnsupportedEncryption => f.write_str(
                "the key's encryption is not supported (use PBES2 with AES-CBC: \
                 `openssl pkcs8 -topk8 -v2 aes-256-cbc`)",
            ),
            Self::NotRsa => {
                f.write_str("the key is not an RSA key (Flows need a 2048-bit RSA key)")
            }
            Self::TooSmall { bits: Some(bits) } => {
                write!(f, "the RSA key has {bits} bits; at least 2048 are required")
            }
            Self::TooSmall { bits: None } => {
                f.write_str("the RSA key is shorter than the required 2048 bits")
            }
            Self::Invalid(what) => write!(f, "the key is invalid: {what}"),
        }
    }
}

/// Why a request could not be decrypted (all answered with status 421).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecryptProblem {
    /// A field is not valid base64.
    InvalidBase64 {
        /// `encrypted_flow_data`, `encrypted_aes_key` or `initial_vector`.
        field: &'static str,
    },
    /// `initial_vector` does not decode to 16 bytes.
    InvalidIvLength {
        /// The decoded length.
        len: usize,
    },
    /// `encrypted_flow_data` is shorter than the 16-byte GCM tag.
    DataTooShort {
        /// The decoded length.
        len: usize,
    },
    /// The RSA-OAEP decryption of `encrypted_aes_key` failed (encrypted for another key, or
    /// corrupted).
    AesKeyUnwrap,
    /// `encrypted_aes_key` decrypted to something other than a 16-byte AES-128 key.
    InvalidAesKeyLength {
        /// The decrypted key's length in bytes.
        len: usize,
    },
    /// The AES-GCM tag did not verify: the data was altered or encrypted with another key or IV.
    Authentication,
}

impl fmt::Display for DecryptProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidBase64 { field } => write!(f, "`{field}` is not valid base64"),
            Self::InvalidIvLength { len } => {
                write!(f, "`initial_vector` is {len} bytes; 16 are required")
            }
            Self::DataTooShort { len } => write!(
                f,
                "`encrypted_flow_data` is {len} bytes, shorter than the 16-byte GCM tag"
            ),
            Self::AesKeyUnwrap => f.write_str(
                "`encrypted_aes_key` does not decrypt with this private key (RSA-OAEP SHA-256); \
                 was the matching public key uploaded?",
            ),
            Self::InvalidAesKeyLength { len } => write!(
                f,
                "`encrypted_aes_key` holds a {len}-byte key; AES-128 needs 16"
            ),
            Self::Authentication => f.write_str(
                "`encrypted_flow_data` failed AES-GCM authentication (altered, or another key or IV)",
            ),
        }
    }
}
