//! The voice call button: an interactive message whose button starts a WhatsApp call to the business.

use crate::error::ValidationError;
use crate::limits;
use serde::Serialize;
use serde_with::skip_serializing_none;

/// The options of a voice call button ([`Interactive::voice_call`](super::Interactive::voice_call)),
/// all optional (Meta's "Call button messages and deep links" page).
///
/// Tapping the button sends no message webhook: it starts a user-initiated call, and the `payload`
/// comes back as `cta_payload` on that call's webhook.
///
/// ```
/// use whatsapp_cloud::message::{Interactive, VoiceCall};
/// let call = Interactive::voice_call(
///     "Questions about your order? Call us.",
///     VoiceCall::new().display_text("Call support").ttl_minutes(60).payload("order-42"),
/// );
/// assert!(call.validate().is_ok());
/// let json = serde_json::to_value(&call)?;
/// assert_eq!(json["type"], "voice_call");
/// assert_eq!(json["action"]["parameters"]["ttl_minutes"], 60);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct VoiceCall {
    display_text: Option<String>,
    ttl_minutes: Option<u32>,
    payload: Option<String>,
}

impl VoiceCall {
    /// A button with Meta's defaults ("Call Now", valid for 7 days).
    pub fn new() -> Self {
        Self::default()
    }

    /// The button label (at most 20 characters).
    pub fn display_text(mut self, text: impl Into<String>) -> Self {
        self.display_text = Some(text.into());
        self
    }

    /// How long the button works, in minutes (1 to 43,200; Meta's default is 10,080, 7 days).
    pub fn ttl_minutes(mut self, minutes: u32) -> Self {
        self.ttl_minutes = Some(minutes);
        self
    }

    /// An opaque string (at most 512 characters) returned on the call's webhook as `cta_payload`.
    pub fn payload(mut self, payload: impl Into<String>) -> Self {
        self.payload = Some(payload.into());
        self
    }

    /// True when no option is set: the action then carries no `parameters`.
    pub(super) fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// Checks the options under `path` (the action's `parameters`).
    pub(super) fn validate(&self, path: &str) -> Result<(), ValidationError> {
        if let Some(text) = &self.display_text {
            limits::required_text(
                &format!("{path}.display_text"),
                text,
                limits::VOICE_CALL_DISPLAY_TEXT_MAX,
            )?;
        }
        if let Some(minutes) = self.ttl_minutes {
            limits::range(
                &format!("{path}.ttl_minutes"),
                i64::from(minutes),
                i64::from(limits::VOICE_CALL_TTL_MINUTES_MIN),
                i64::from(limits::VOICE_CALL_TTL_MINUTES_MAX),
            )?;
        }
        if let Some(payload) = &self.payload {
            limits::required_text(
                &format!("{path}.payload"),
                payload,
                limits::VOICE_CALL_PAYLOAD_MAX,
            )?;
        }
        Ok(())
    }
}
