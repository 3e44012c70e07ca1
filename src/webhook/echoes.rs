//! The `smb_message_echoes` field: messages the business sent from the WhatsApp Business app on a
//! number that also uses the Cloud API (coexistence), echoed so the two stay in step.

use super::message::InboundMessage;
use crate::ids::UserId;

/// One `message_echoes[]` item: a message the business sent from the WhatsApp Business app.
///
/// The message itself (id, time, type and content, read like an inbound message, edits and
/// revokes included) is [`MessageEcho::message`]; its `from` is the business number. The user it
/// went to is [`MessageEcho::to`] / [`MessageEcho::to_user_id`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MessageEcho {
    /// The message as sent, read like an inbound message.
    pub message: InboundMessage<'static>,
    /// The user's phone number; absent for users known only by their business-scoped user id.
    pub to: Option<String>,
    /// The user's business-scoped user id.
    pub to_user_id: Option<UserId>,
    /// The user's parent business-scoped user id, when the portfolio is enrolled.
    pub to_parent_user_id: Option<String>,
}

impl MessageEcho {
    /// The message as sent.
    pub fn message(&self) -> &InboundMessage<'static> {
        &self.message
    }

    /// The user's phone number, unless absent or empty.
    pub fn to(&self) -> Option<&str> {
        self.to.as_deref().filter(|t| !t.is_empty())
    }

    /// The user's business-scoped user id.
    pub fn to_user_id(&self) -> Option<&UserId> {
        self.to_user_id.as_ref()
    }
}
