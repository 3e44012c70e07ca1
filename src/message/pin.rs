//! Pinning a message in a group chat, or unpinning it (Meta's "Group messaging" page).

use crate::error::ValidationError;
use crate::ids::MessageId;
use crate::limits;
use serde::Serialize;
use serde_with::skip_serializing_none;

/// The fewest days a pin may last.
pub const PIN_EXPIRATION_DAYS_MIN: u32 = 1;
/// The most days a pin may last.
pub const PIN_EXPIRATION_DAYS_MAX: u32 = 30;

/// Pins a message in a group for 1 to 30 days, or unpins it: `{"type": "pin" | "unpin",
/// "message_id", "expiration_days"}`.
///
/// Only a group admin (the business is one in the groups it creates) can pin, and a group holds at
/// most 3 pinned messages. A pin goes to a group ([`Recipient::group`](crate::ids::Recipient::group));
/// [`SendMessage::validate`](super::SendMessage::validate) refuses any other recipient.
///
/// ```
/// use whatsapp_cloud::ids::Recipient;
/// use whatsapp_cloud::message::{Pin, SendMessage};
///
/// let pin = SendMessage::new(Recipient::group("Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD"),
///     Pin::new("wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", 7));
/// let json = serde_json::to_value(&pin)?;
/// assert_eq!(json["recipient_type"], "group");
/// assert_eq!(json["type"], "pin");
/// assert_eq!(json["pin"], serde_json::json!({"type": "pin",
///     "message_id": "wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", "expiration_days": 7}));
/// assert!(pin.validate().is_ok());
/// // 31 days is too long.
/// assert!(Pin::new("wamid.HBg", 31).validate().is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Pin {
    #[serde(rename = "type")]
    action: &'static str,
    message_id: MessageId,
    expiration_days: Option<u32>,
}

impl Pin {
    /// Pins `message_id` for `expiration_days` (1 to 30).
    pub fn new(message_id: impl Into<MessageId>, expiration_days: u32) -> Self {
        Self {
            action: "pin",
            message_id: message_id.into(),
            expiration_days: Some(expiration_days),
        }
    }

    /// Unpins `message_id`.
    pub fn unpin(message_id: impl Into<MessageId>) -> Self {
        Self {
            action: "unpin",
            message_id: message_id.into(),
            expiration_days: None,
        }
    }

    /// True for a pin, false for an unpin.
    pub fn is_pin(&self) -> bool {
        self.action == "pin"
    }

    /// The message pinned or unpinned.
    pub fn message_id(&self) -> &MessageId {
        &self.message_id
    }

    /// How many days the pin lasts (`None` for an unpin).
    pub fn expiration_days(&self) -> Option<u32> {
        self.expiration_days
    }

    /// Checks the message id and, for a pin, that it lasts 1 to 30 days.
    ///
    /// # Errors
    /// `pin.message_id` or `pin.expiration_days`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        limits::id(
            "pin.message_id",
            self.message_id.as_str(),
            limits::MESSAGE_ID_MAX,
        )?;
        if let Some(days) = self.expiration_days {
            limits::range(
                "pin.expiration_days",
                i64::from(days),
                i64::from(PIN_EXPIRATION_DAYS_MIN),
                i64::from(PIN_EXPIRATION_DAYS_MAX),
            )?;
        }
        Ok(())
    }
}

impl From<Pin> for super::Message {
    fn from(value: Pin) -> Self {
        super::Message::Pin(value)
    }
}
