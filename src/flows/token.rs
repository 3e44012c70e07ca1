//! Checking a request's `flow_token_signature`: an HS256 JWT keyed with the app secret.

use super::error::FlowError;
use super::request::FlowRequest;
use crate::secret::AppSecret;
use base64::Engine as _;
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

/// base64url as JWTs use it (RFC 7515), with or without padding.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

impl FlowRequest {
    /// Checks `flow_token_signature` (sent from Flow JSON 7.3 with data API 4.0 on): an HS256 JWT
    /// whose HMAC-SHA256, keyed with the app secret of the app connected to the Flow, is compared in
    /// constant time; when its payload has a `flow_token` claim, it must equal the request's
    /// `flow_token`. Expiry claims are not checked.
    ///
    /// # Errors
    /// [`FlowError::SignatureFailed`] (status 432) when the signature is absent, not an HS256 JWT,
    /// or does not verify, or when it was issued for another flow token.
    pub fn verify_flow_token_signature(&self, app_secret: &AppSecret) -> Result<(), FlowError> {
        let fail = |why: &str| FlowError::SignatureFailed(format!("flow_token_signature {why}"));
        let jwt = self
            .flow_token_signature
            .as_deref()
            .ok_or_else(|| fail("is absent"))?;
        let mut parts = jwt.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(fail("is not a JWT (three dot-separated parts)"));
        };
        let json = |part: &str| -> Option<Value> {
            serde_json::from_slice(&BASE64URL.decode(part).ok()?).ok()
        };
        let signed_input = jwt
            .get(..header.len() + 1 + payload.len())
            .ok_or_else(|| fail("is not a JWT"))?;
        let header = json(header).ok_or_else(|| fail("has an unreadable header"))?;
        if header.get("alg").and_then(Value::as_str) != Some("HS256") {
            return Err(fail("is not signed with HS256"));
        }
        let signature = BASE64URL
            .decode(signature)
            .map_err(|_| fail("has a signature that is not base64url"))?;
        let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.expose_secret().as_bytes())
            .map_err(|_| fail("cannot be checked: the app secret is unusable"))?;
        mac.update(signed_input.as_bytes());
        mac.verify_slice(&signature)
            .map_err(|_| fail("does not match the app secret"))?;
        let claims = json(payload).ok_or_else(|| fail("has an unreadable payload"))?;
        match claims.get("flow_token").and_then(Value::as_str) {
            Some(signed) if Some(signed) != self.flow_token.as_deref() => {
                Err(fail("was issued for another flow token"))
            }
            _ => Ok(()),
        }
    }
}
