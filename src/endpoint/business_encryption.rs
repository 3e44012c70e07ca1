//! The business public key WhatsApp Flows encrypt their data requests for: upload it and read it
//! back with its signature status (Meta's "WhatsApp Business Encryption" page).
//!
//! Upload it once per phone number, and again after re-registering or migrating the number or after
//! a `public-key-missing` or signature alert. With the `flows` feature,
//! `FlowPrivateKey::public_key_pem` gives the public half of your endpoint's key.
//!
//! ```
//! use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
//! use whatsapp_cloud::endpoint::business_encryption::{
//!     BusinessKeySignatureStatus, GetBusinessPublicKey, SetBusinessPublicKey,
//! };
//!
//! let ctx = ApiContext::new("token", "106540352242922");
//! let pem = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n";
//! let request = SetBusinessPublicKey::new(pem).to_request(&ctx)?;
//! assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/106540352242922/whatsapp_business_encryption");
//! assert_eq!(request.headers()["content-type"], "application/x-www-form-urlencoded");
//!
//! let key = GetBusinessPublicKey::new().send_with(&ctx, |_request| {
//!     http::Response::builder().status(200).body(
//!         br#"{"data":[{"business_public_key":"-----BEGIN PUBLIC KEY-----...","business_public_key_signature_status":"VALID"}]}"#.to_vec(),
//!     )
//! })?;
//! assert_eq!(key.and_then(|k| k.signature_status), Some(BusinessKeySignatureStatus::Valid));
//! # Ok::<(), whatsapp_cloud::Error>(())
//! ```
//!
//! With the `client` feature, send them with `Client::send`:
//! `client.send(&SetBusinessPublicKey::new(pem)).await?`.

use super::paging::wire_enum;
use super::phone_numbers::phone_id;
use super::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::{Error, ValidationError, Violation};
use crate::ids::PhoneNumberId;
use serde::{Deserialize, Serialize};

/// The path segment of both calls.
const PATH: &str = "whatsapp_business_encryption";

wire_enum! {
    /// Whether the uploaded key's signature checks out (`business_public_key_signature_status`).
    BusinessKeySignatureStatus {
        /// The key is valid.
        Valid = "VALID",
        /// The signature does not match: upload the key again.
        Mismatch = "MISMATCH",
    }
}

/// Uploads the business public key:
/// `POST /<PHONE_NUMBER_ID>/whatsapp_business_encryption` with the form field
/// `business_public_key` (a 2048-bit RSA public key in PEM).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct SetBusinessPublicKey {
    id: Option<PhoneNumberId>,
    public_key_pem: String,
}

impl SetBusinessPublicKey {
    /// Uploads `public_key_pem` (`-----BEGIN PUBLIC KEY-----...`) for the context's phone number.
    pub fn new(public_key_pem: impl Into<String>) -> Self {
        Self {
            id: None,
            public_key_pem: public_key_pem.into(),
        }
    }

    /// For another phone number than the context's.
    pub fn phone_number_id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.id = Some(id.into());
        self
    }

    fn validate(&self) -> Result<(), Error> {
        const FIELD: &str = "business_public_key";
        let pem = self.public_key_pem.trim();
        if pem.is_empty() {
            return Err(ValidationError::new(FIELD, Violation::Empty).into());
        }
        if !pem.contains("-----BEGIN PUBLIC KEY-----") {
            // Never quote the value: it may be a private key given by mistake.
            let value = if pem.contains("PRIVATE KEY") {
                "a private key (upload the public key only)"
            } else {
                "not a PEM public key"
            };
            return Err(ValidationError::new(
                FIELD,
                Violation::Invalid {
                    value: value.to_owned(),
                    expected: "a PEM block starting -----BEGIN PUBLIC KEY-----".to_owned(),
                },
            )
            .into());
        }
        Ok(())
    }
}

impl Endpoint for SetBusinessPublicKey {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = ctx.url(&[phone_id(ctx, self.id.as_ref())?.as_str(), PATH])?;
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("business_public_key", &self.public_key_pem)
            .finish();
        ctx.request_builder(http::Method::POST, &url)
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body.into_bytes())
            .map_err(|e| ctx.request_build_error(e))
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("business public key upload response", response)
    }

    /// Uploading the same key again leaves the same state.
    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Reads the uploaded business public key and its signature status:
/// `GET /<PHONE_NUMBER_ID>/whatsapp_business_encryption`. `None` when no key is set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct GetBusinessPublicKey {
    id: Option<PhoneNumberId>,
}

impl GetBusinessPublicKey {
    /// Reads the key of the context's phone number.
    pub fn new() -> Self {
        Self::default()
    }

    /// For another phone number than the context's.
    pub fn phone_number_id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.id = Some(id.into());
        self
    }
}

/// The uploaded business public key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BusinessPublicKey {
    /// The key in PEM.
    #[serde(rename = "business_public_key")]
    pub public_key_pem: String,
    /// Whether its signature is valid.
    #[serde(rename = "business_public_key_signature_status", default)]
    pub signature_status: Option<BusinessKeySignatureStatus>,
}

#[derive(Deserialize)]
struct KeyList {
    #[serde(default)]
    data: Vec<BusinessPublicKey>,
}

impl Endpoint for GetBusinessPublicKey {
    type Output = Option<BusinessPublicKey>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = ctx.url(&[phone_id(ctx, self.id.as_ref())?.as_str(), PATH])?;
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Option<BusinessPublicKey>, Error> {
        let list: KeyList = parse_json("business public key", response)?;
        Ok(list.data.into_iter().next())
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}
