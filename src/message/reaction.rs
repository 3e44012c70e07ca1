//! Reactions: an emoji on an earlier message, or the removal of one.

use crate::error::ValidationError;
use crate::ids::MessageId;
use crate::limits;
use serde::Serialize;

/// A reaction to a message: `{"message_id": "wamid...", "emoji": "👍"}`; an empty emoji removes it.
///
/// Meta cannot deliver a reaction to a message older than 30 days, deleted, itself a reaction, or
/// unknown (a `failed` status with error 131009 follows). A reaction only ever gets a `sent` status.
///
/// ```
/// use whatsapp_cloud::message::Reaction;
/// let like = Reaction::new("wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", "👍");
/// assert_eq!(serde_json::to_value(&like)?["emoji"], "👍");
/// let undo = Reaction::remove("wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=");
/// assert_eq!(serde_json::to_value(&undo)?["emoji"], "");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Reaction {
    message_id: MessageId,
    emoji: String,
}

impl Reaction {
    /// Reacts to `message_id` with one emoji (or its `\uXXXX` escape).
    pub fn new(message_id: impl Into<MessageId>, emoji: impl Into<String>) -> Self {
        Self {
            message_id: message_id.into(),
            emoji: emoji.into(),
        }
    }

    /// Removes an earlier reaction to `message_id` (sends an empty emoji).
    pub fn remove(message_id: impl Into<MessageId>) -> Self {
        Self::new(message_id, "")
    }

    /// The message reacted to.
    pub fn message_id(&self) -> &MessageId {
        &self.message_id
    }

    /// The emoji; empty for a removal.
    pub fn emoji(&self) -> &str {
        &self.emoji
    }

    /// Checks the message id (present, no surrounding spaces, at most 128 characters) and that the
    /// emoji has no surrounding spaces.
    ///
    /// # Errors
    /// `reaction.message_id` or `reaction.emoji`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        limits::id(
            "reaction.message_id",
            self.message_id.as_str(),
            limits::MESSAGE_ID_MAX,
        )?;
        limits::no_surrounding_whitespace("reaction.emoji", &self.emoji)
    }
}

impl From<Reaction> for super::Message {
    fn from(value: Reaction) -> Self {
        super::Message::Reaction(value)
    }
}
