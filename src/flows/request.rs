//! The decrypted Flow request ([`FlowRequest`]) and the reply's encryption ([`DecryptedRequest`]).

use super::error::{DecryptProblem, FlowError};
use super::reply::FlowReply;
use aes_gcm::aead::consts::U16;
use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::aes::Aes128;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;
use std::fmt;

/// AES-128-GCM with Meta's 16-byte IV and the 16-byte tag appended to the ciphertext.
type Aes128Gcm16 = aes_gcm::AesGcm<Aes128, U16>;

/// The GCM tag length.
const TAG_LEN: usize = 16;

/// The JSON envelope Meta posts to a Flow endpoint.
#[derive(Deserialize)]
pub(super) struct Envelope {
    pub(super) encrypted_flow_data: String,
    pub(super) encrypted_aes_key: String,
    pub(super) initial_vector: String,
}

impl Envelope {
    pub(super) fn parse(body: &[u8]) -> Result<Self, FlowError> {
        // serde's message names the missing field or the wrong type; it never quotes a whole value.
        serde_json::from_slice(body).map_err(|e| FlowError::MalformedBody(e.to_string()))
    }
}

crate::endpoint::paging::wire_enum! {
    /// What the WhatsApp client asks for (`action`).
    FlowAction {
        /// The Flow was opened (sent with `flow_action: data_exchange`): answer with the first
        /// screen. `screen` and `data` may be absent.
        Init = "INIT",
        /// The user went back to a screen with `refresh_on_back`: answer with that screen's data.
        Back = "BACK",
        /// A screen was submitted, or a component's `on-select-action` fired.
        DataExchange = "data_exchange",
        /// A health check: answer [`FlowReply::ping`].
        Ping = "ping",
    }
}

/// A decrypted Flow data request, as "Implement endpoints for Flows" describes it.
///
/// It serializes back to the JSON it was read from (unknown fields kept in
/// [`extra`](Self::extra)), so it can be logged or replayed.
///
/// ```
/// use whatsapp_cloud::flows::{FlowAction, FlowRequest};
///
/// let text = r#"{"version":"3.0","action":"data_exchange","screen":"APPOINTMENT","data":{"date":"2026-12-02"},"flow_token":"t-1"}"#;
/// let request: FlowRequest = serde_json::from_str(text)?;
/// assert_eq!(request.action, FlowAction::DataExchange);
/// assert_eq!(request.data_field("date"), Some(&serde_json::json!("2026-12-02")));
/// assert_eq!(serde_json::to_value(&request)?, serde_json::from_str::<serde_json::Value>(text)?);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowRequest {
    /// The data API version, for example `"3.0"`.
    pub version: Option<String>,
    /// What is asked for.
    pub action: FlowAction,
    /// The screen the request comes from (absent on `INIT` and `ping`).
    pub screen: Option<String>,
    /// The screen's payload, or `{"error", "error_message"}` on an error notification.
    pub data: Option<Value>,
    /// The token you set when sending the Flow (absent on `ping`). The completion webhook carries
    /// no Flow id, so encode what you need in it.
    pub flow_token: Option<String>,
    /// An HS256 JWT over the flow token, keyed with your app secret (Flow JSON 7.3 and data API
    /// 4.0 on): check it with [`verify_flow_token_signature`](Self::verify_flow_token_signature).
    pub flow_token_signature: Option<String>,
    /// Fields this version does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An error the WhatsApp client reports about your endpoint's previous answer (`data.error`, or
/// `data.error_key` in one version of Meta's table). Acknowledge it with
/// [`FlowReply::error_acknowledged`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorNotification<'a> {
    /// The error type, for example `invalid-screen-transition` (kept as sent: spellings vary).
    pub error: &'a str,
    /// The human-readable message, when present.
    pub error_message: Option<&'a str>,
}

impl FlowRequest {
    /// One field of `data`, if `data` is an object that has it.
    pub fn data_field(&self, name: &str) -> Option<&Value> {
        self.data.as_ref()?.get(name)
    }

    /// The error notification this request carries, if it is one: `data.error` (or `error_key`) is
    /// a string.
    pub fn error_notification(&self) -> Option<ErrorNotification<'_>> {
        let error = self
            .data_field("error")
            .or_else(|| self.data_field("error_key"))?
            .as_str()?;
        Some(ErrorNotification {
            error,
            error_message: self.data_field("error_message").and_then(Value::as_str),
        })
    }

    /// The reply Meta's protocol fixes for this request, if any: [`FlowReply::ping`] for a `ping`,
    /// [`FlowReply::error_acknowledged`] for an error notification. Other requests need your answer.
    pub fn automatic_reply(&self) -> Option<FlowReply> {
        if self.action == FlowAction::Ping {
            Some(FlowReply::ping())
        } else if self.error_notification().is_some() {
            Some(FlowReply::error_acknowledged())
        } else {
            None
        }
    }
}

/// A decrypted request and what is needed to encrypt its reply (the request's AES key, held as
/// the cipher object, and the inverted IV). `Debug` shows the request only.
pub struct DecryptedRequest {
    request: FlowRequest,
    cipher: Aes128Gcm16,
    reply_iv: [u8; 16],
}

impl fmt::Debug for DecryptedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecryptedRequest")
            .field("request", &self.request)
            .finish_non_exhaustive()
    }
}

impl DecryptedRequest {
    /// Decrypts `data` (ciphertext then tag) with the AES-128 key and the 16-byte IV.
    pub(super) fn open(key: &[u8; 16], iv: &[u8], data: &[u8]) -> Result<Self, FlowError> {
        let iv: [u8; 16] = iv
            .try_into()
            .map_err(|_| FlowError::Decrypt(DecryptProblem::InvalidIvLength { len: iv.len() }))?;
        if data.len() < TAG_LEN {
            return Err(FlowError::Decrypt(DecryptProblem::DataTooShort {
                len: data.len(),
            }));
        }
        let cipher = Aes128Gcm16::new(&GenericArray::from(*key));
        let plaintext = zeroize::Zeroizing::new(
            cipher
                .decrypt(&GenericArray::from(iv), data)
                .map_err(|_| FlowError::Decrypt(DecryptProblem::Authentication))?,
        );
        let request = serde_json::from_slice(&plaintext)
            .map_err(|e| FlowError::InvalidRequest(e.to_string()))?;
        Ok(Self {
            request,
            cipher,
            reply_iv: iv.map(|byte| !byte),
        })
    }

    /// The typed request.
    pub fn request(&self) -> &FlowRequest {
        &self.request
    }

    /// The typed request, owned (the reply can then no longer be encrypted).
    pub fn into_request(self) -> FlowRequest {
        self.request
    }

    /// Encrypts the reply as Meta expects: the JSON of `reply`, AES-128-GCM with the request's key
    /// and the request's IV with every bit inverted, tag appended, base64. Send the string as the
    /// body of a 200 answer (`Content-Type: text/plain`).
    ///
    /// `reply` is usually a [`FlowReply`]; any `Serialize` value is sent as its JSON.
    ///
    /// # Errors
    /// [`FlowError::Reply`] if `reply` fails to serialize (a map with non-string keys, say).
    pub fn encrypt_response(&self, reply: &impl Serialize) -> Result<String, FlowError> {
        let json = serde_json::to_vec(reply).map_err(|e| FlowError::Reply(e.to_string()))?;
        let sealed = self
            .cipher
            .encrypt(&GenericArray::from(self.reply_iv), json.as_slice())
            .map_err(|_| FlowError::Reply("the reply is too long for AES-GCM".to_owned()))?;
        Ok(STANDARD.encode(sealed))
    }
}
