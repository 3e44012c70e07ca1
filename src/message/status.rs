//! Marking an inbound message as read, optionally with a typing indicator.

use crate::error::ValidationError;
use crate::ids::MessageId;
use crate::limits;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// Marks an inbound message (and every earlier one in the chat) as read; with
/// [`MarkAsRead::typing_indicator`] it also shows "typing…" until you reply or for 25 seconds.
///
/// Sent as `POST /<PHONE_NUMBER_ID>/messages`; Meta answers `{"success": true}`.
///
/// ```
/// use whatsapp_cloud::message::MarkAsRead;
/// let read = MarkAsRead::new("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=").typing_indicator();
/// assert_eq!(
///     serde_json::to_value(&read)?,
///     serde_json::json!({
///         "messaging_product": "whatsapp", "status": "read",
///         "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
///         "typing_indicator": {"type": "text"}
///     })
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct MarkAsRead {
    message_id: MessageId,
    typing: bool,
}

impl MarkAsRead {
    /// Marks `message_id` (an inbound message's wamid) as read.
    pub fn new(message_id: impl Into<MessageId>) -> Self {
        Self {
            message_id: message_id.into(),
            typing: false,
        }
    }

    /// Also shows a typing indicator to the user.
    pub fn typing_indicator(mut self) -> Self {
        self.typing = true;
        self
    }

    /// The message marked as read.
    pub fn message_id(&self) -> &MessageId {
        &self.message_id
    }

    /// Checks the message id.
    ///
    /// # Errors
    /// `message_id` blank, with surrounding spaces, or longer than 128 characters.
    pub fn validate(&self) -> Result<(), ValidationError> {
        limits::id(
            "message_id",
            self.message_id.as_str(),
            limits::MESSAGE_ID_MAX,
        )
    }
}

impl Serialize for MarkAsRead {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Typing {
            #[serde(rename = "type")]
            kind: &'static str,
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("messaging_product", "whatsapp")?;
        map.serialize_entry("status", "read")?;
        map.serialize_entry("message_id", &self.message_id)?;
        if self.typing {
            map.serialize_entry("typing_indicator", &Typing { kind: "text" })?;
        }
        map.end()
    }
}
