//! The WhatsApp client's side of a Flow data exchange, to test your Flow endpoint offline
//! (features `testing` and `flows`).
//!
//! [`FlowClient`] does what the WhatsApp client does before posting to your endpoint: it wraps a
//! fresh AES-128 key with your public key (RSA-OAEP, SHA-256, MGF1-SHA-256), encrypts the request
//! with AES-128-GCM under a fresh 16-byte IV, and builds Meta's JSON envelope. The
//! [`EncryptedFlowRequest`] it returns keeps the key and IV, so it can decrypt your endpoint's reply
//! the way the client does: same key, the IV with every bit inverted. [`generate_flow_key`] makes a
//! throwaway key pair for a test.
//!
//! ```
//! use serde_json::json;
//! use whatsapp_cloud::flows::{FlowReply, NextScreen};
//! use whatsapp_cloud::testing::flows::{FlowClient, generate_flow_key};
//!
//! let key = generate_flow_key()?;
//! let client = FlowClient::new(&key.public_key_pem())?;
//! let request = client.encrypt_request(&json!({
//!     "version": "3.0", "action": "INIT", "flow_token": "booking-42"
//! }))?;
//!
//! // Your endpoint:
//! let decrypted = key.decrypt_request(request.body())?;
//! assert_eq!(decrypted.request().flow_token.as_deref(), Some("booking-42"));
//! let reply = decrypted.encrypt_response(&FlowReply::from(NextScreen::new("DATE")))?;
//!
//! // Back on the client:
//! let answer = request.decrypt_response(&reply)?;
//! assert_eq!(answer["screen"], "DATE");
//! # Ok::<(), whatsapp_cloud::flows::FlowError>(())
//! ```

use crate::flows::{DecryptProblem, FlowError, FlowPrivateKey, KeyProblem};
use aes_gcm::aead::consts::U16;
use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::aes::Aes128;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{
    KeySize, OAEP_SHA256_MGF1SHA256, OaepPublicEncryptingKey, PrivateDecryptingKey,
    PublicEncryptingKey,
};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use std::fmt;

/// AES-128-GCM with a 16-byte IV, as Flows use it.
type Aes128Gcm16 = aes_gcm::AesGcm<Aes128, U16>;

/// A fresh 2048-bit RSA key pair for a test; its public half is
/// [`FlowPrivateKey::public_key_pem`].
///
/// # Errors
/// [`FlowError::Key`] if the system cannot generate a key (it always can on supported platforms).
pub fn generate_flow_key() -> Result<FlowPrivateKey, FlowError> {
    let key = PrivateDecryptingKey::generate(KeySize::Rsa2048)
        .map_err(|_| FlowError::Key(KeyProblem::Invalid("RSA key generation failed")))?;
    let der = key
        .as_der()
        .map_err(|_| FlowError::Key(KeyProblem::Invalid("the generated key has no PKCS#8 form")))?;
    FlowPrivateKey::from_pem(&pem("PRIVATE KEY", der.as_ref()), None)
}

fn pem(label: &str, der: &[u8]) -> String {
    let encoded = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in encoded.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The WhatsApp client's encryption, for a business public key.
pub struct FlowClient {
    key: OaepPublicEncryptingKey,
}

impl fmt::Debug for FlowClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlowClient").finish_non_exhaustive()
    }
}

impl FlowClient {
    /// A client encrypting for `public_key_pem` (`-----BEGIN PUBLIC KEY-----`, as
    /// [`FlowPrivateKey::public_key_pem`] writes it or `openssl rsa -pubout` does).
    ///
    /// # Errors
    /// [`FlowError::Key`] when the text is not a PEM RSA public key.
    pub fn new(public_key_pem: &str) -> Result<Self, FlowError> {
        let begin = "-----BEGIN PUBLIC KEY-----";
        let end = "-----END PUBLIC KEY-----";
        let start = public_key_pem
            .find(begin)
            .ok_or(FlowError::Key(KeyProblem::NotPem(
                "no -----BEGIN PUBLIC KEY----- line",
            )))?
            + begin.len();
        let stop = public_key_pem[start..]
            .find(end)
            .ok_or(FlowError::Key(KeyProblem::NotPem(
                "no -----END PUBLIC KEY----- line",
            )))?
            + start;
        let text: String = public_key_pem[start..stop]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let der = STANDARD
            .decode(text)
            .map_err(|_| FlowError::Key(KeyProblem::NotPem("the key is not base64")))?;
        let key = PublicEncryptingKey::from_der(&der)
            .map_err(|_| FlowError::Key(KeyProblem::Invalid("not an RSA public key")))?;
        let key = OaepPublicEncryptingKey::new(key)
            .map_err(|_| FlowError::Key(KeyProblem::Invalid("not usable for RSA-OAEP")))?;
        Ok(Self { key })
    }

    /// Encrypts `request` (any JSON value, usually a Flow request such as
    /// `{"version":"3.0","action":"data_exchange","screen":..,"data":..,"flow_token":..}`) with a fresh
    /// AES key and IV.
    ///
    /// # Errors
    /// [`FlowError::Reply`] if `request` does not serialize or the system has no randomness,
    /// [`FlowError::Key`] if the RSA encryption fails.
    pub fn encrypt_request(
        &self,
        request: &impl Serialize,
    ) -> Result<EncryptedFlowRequest, FlowError> {
        let json = serde_json::to_vec(request).map_err(|e| FlowError::Reply(e.to_string()))?;
        let mut aes_key = [0u8; 16];
        let mut iv = [0u8; 16];
        aws_lc_rs::rand::fill(&mut aes_key)
            .and_then(|()| aws_lc_rs::rand::fill(&mut iv))
            .map_err(|_| FlowError::Reply("no randomness available".to_owned()))?;
        let mut wrapped = vec![0u8; self.key.ciphertext_size()];
        let wrapped = self
            .key
            .encrypt(&OAEP_SHA256_MGF1SHA256, &aes_key, &mut wrapped, None)
            .map_err(|_| FlowError::Key(KeyProblem::Invalid("RSA-OAEP encryption failed")))?;
        let sealed = Aes128Gcm16::new(&GenericArray::from(aes_key))
            .encrypt(&GenericArray::from(iv), json.as_slice())
            .map_err(|_| FlowError::Reply("the request is too long for AES-GCM".to_owned()))?;
        let body = serde_json::to_vec(&serde_json::json!({
            "encrypted_flow_data": STANDARD.encode(sealed),
            "encrypted_aes_key": STANDARD.encode(wrapped),
            "initial_vector": STANDARD.encode(iv),
        }))
        .map_err(|e| FlowError::Reply(e.to_string()))?;
        Ok(EncryptedFlowRequest { body, aes_key, iv })
    }
}

/// A request as the WhatsApp client posts it, with what is needed to read the reply.
pub struct EncryptedFlowRequest {
    body: Vec<u8>,
    aes_key: [u8; 16],
    iv: [u8; 16],
}

impl fmt::Debug for EncryptedFlowRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptedFlowRequest")
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl EncryptedFlowRequest {
    /// The JSON body to post to the endpoint
    /// (`{"encrypted_flow_data","encrypted_aes_key","initial_vector"}`).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The same envelope with the GCM tag's last byte flipped: the endpoint must answer 421.
    pub fn tampered_body(&self) -> Vec<u8> {
        let mut envelope: serde_json::Value =
            serde_json::from_slice(&self.body).unwrap_or_default();
        let data = envelope["encrypted_flow_data"]
            .as_str()
            .and_then(|d| STANDARD.decode(d).ok());
        if let Some(mut data) = data {
            if let Some(last) = data.last_mut() {
                *last ^= 1;
            }
            envelope["encrypted_flow_data"] = STANDARD.encode(data).into();
        }
        serde_json::to_vec(&envelope).unwrap_or_default()
    }

    /// Decrypts the endpoint's reply (base64 text) with the request's key and the IV inverted, and
    /// parses its JSON.
    ///
    /// # Errors
    /// [`FlowError::Decrypt`] when the reply is not base64 or does not authenticate (a reply
    /// encrypted with the request's IV instead of the inverted one, say),
    /// [`FlowError::InvalidRequest`] when the plaintext is not JSON.
    pub fn decrypt_response(&self, response: &str) -> Result<serde_json::Value, FlowError> {
        let sealed = STANDARD
            .decode(response.trim())
            .map_err(|_| FlowError::Decrypt(DecryptProblem::InvalidBase64 { field: "response" }))?;
        let reply_iv = self.iv.map(|b| !b);
        let plaintext = Aes128Gcm16::new(&GenericArray::from(self.aes_key))
            .decrypt(&GenericArray::from(reply_iv), sealed.as_slice())
            .map_err(|_| FlowError::Decrypt(DecryptProblem::Authentication))?;
        serde_json::from_slice(&plaintext).map_err(|e| FlowError::InvalidRequest(e.to_string()))
    }
}
