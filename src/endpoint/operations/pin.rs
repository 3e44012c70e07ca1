//! The two-step verification PIN of a number (Meta's "Two-Step Verification" page).

use super::phone_url;
use crate::endpoint::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::{Error, ValidationError, Violation};
use std::fmt;

/// A two-step verification PIN: exactly six digits, a secret.
///
/// `Debug` never shows it, nor does any error about it.
///
/// ```
/// use whatsapp_cloud::endpoint::operations::TwoStepPin;
/// let pin = TwoStepPin::new("520417");
/// assert!(pin.validate().is_ok());
/// assert_eq!(format!("{pin:?}"), "TwoStepPin(<redacted>)");
/// let e = TwoStepPin::new("52041").validate().unwrap_err();
/// assert!(!e.to_string().contains("52041"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct TwoStepPin(String);

impl TwoStepPin {
    /// Wraps a PIN; [`validate`](Self::validate) checks it (sending does too).
    pub fn new(pin: impl Into<String>) -> Self {
        Self(pin.into())
    }

    /// The PIN itself. Keep it out of logs.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Checks that the PIN is exactly six ASCII digits.
    ///
    /// # Errors
    /// Names the field `pin` and says how many characters it has, never its value.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.0.len() == 6 && self.0.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(());
        }
        Err(ValidationError::new(
            "pin",
            Violation::Invalid {
                value: format!("<redacted, {} characters>", self.0.chars().count()),
                expected: "exactly 6 digits".to_owned(),
            },
        ))
    }
}

impl fmt::Debug for TwoStepPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TwoStepPin(<redacted>)")
    }
}

/// Sets the number's two-step verification PIN: `POST /<PHONE_NUMBER_ID>` `{"pin":"…"}`.
///
/// There is no call to turn two-step verification off; a partner needs both
/// `whatsapp_business_management` and `whatsapp_business_messaging` permissions.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::SetTwoStepPin;
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let set = SetTwoStepPin::new("520417");
/// assert_eq!(set.to_request(&ctx)?.body().as_slice(), br#"{"pin":"520417"}"#);
/// assert!(!format!("{set:?}").contains("520417"));
/// assert!(SetTwoStepPin::new("52041a").to_request(&ctx).is_err());
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct SetTwoStepPin {
    pin: TwoStepPin,
}

impl SetTwoStepPin {
    /// Sets `pin` (exactly six digits).
    pub fn new(pin: impl Into<String>) -> Self {
        Self {
            pin: TwoStepPin::new(pin),
        }
    }

    /// Sets an already wrapped PIN.
    pub fn from_pin(pin: TwoStepPin) -> Self {
        Self { pin }
    }
}

impl Endpoint for SetTwoStepPin {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.pin.validate()?;
        let url = phone_url(ctx, &[])?;
        let body = serde_json::json!({ "pin": self.pin.expose_secret() });
        ctx.json_request(http::Method::POST, &url, &body)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("two-step verification PIN", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}
