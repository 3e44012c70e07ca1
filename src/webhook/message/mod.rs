//! Inbound messages: what users send to the business (`messages[]` in a `messages` change); the
//! content types by family in the files of this folder.

mod contacts;
mod context;
mod edit;
mod interactive;
mod media;
mod order;
mod ser;
mod system;
mod unsupported;

pub use contacts::*;
pub use context::*;
pub use edit::*;
pub use interactive::*;
pub use media::*;
pub use order::*;
pub use system::*;
pub use unsupported::*;

use super::lenient::{own, own_opt};
use crate::error::ErrorObject;
use crate::ids::{GroupId, MessageId};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// One inbound message with its common fields and typed content.
///
/// Read it through [`MessageEvent`](super::MessageEvent), which adds the sender contact and the
/// business number it was sent to.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundMessage<'a> {
    pub(crate) id: Cow<'a, str>,
    pub(crate) from: Option<Cow<'a, str>>,
    pub(crate) from_user_id: Option<Cow<'a, str>>,
    pub(crate) from_parent_user_id: Option<Cow<'a, str>>,
    pub(crate) timestamp: u64,
    pub(crate) kind: Cow<'static, str>,
    pub(crate) context: Option<Box<MessageContext>>,
    pub(crate) referral: Option<Box<Referral>>,
    pub(crate) group_id: Option<GroupId>,
    pub(crate) errors: Vec<ErrorObject>,
    pub(crate) content: MessageContent<'a>,
}

impl<'a> InboundMessage<'a> {
    /// The message id (`wamid.…`); use it to reply, react, mark as read and deduplicate.
    ///
    /// Empty only for an [`MessageContent::Invalid`] message that came without an id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The message id as the id type the client takes (a copy).
    pub fn message_id(&self) -> MessageId {
        MessageId::new(self.id.as_ref())
    }

    /// The same message, owning its strings: to keep it beyond the body it was parsed from.
    pub fn into_owned(self) -> InboundMessage<'static> {
        InboundMessage {
            id: own(self.id),
            from: own_opt(self.from),
            from_user_id: own_opt(self.from_user_id),
            from_parent_user_id: own_opt(self.from_parent_user_id),
            timestamp: self.timestamp,
            kind: self.kind,
            context: self.context,
            referral: self.referral,
            group_id: self.group_id,
            errors: self.errors,
            content: self.content.into_owned(),
        }
    }

    /// When the user sent the message, in unix seconds (Meta sends a string; integers are accepted).
    ///
    /// `0` only for an [`MessageContent::Invalid`] message without a readable timestamp.
    pub fn timestamp(&self) -> u64 {
        self.timestamp
    }

    /// The sender's phone number (`wa_id` form). Absent for users known only by their BSUID.
    pub fn from(&self) -> Option<&str> {
        self.from.as_deref().filter(|f| !f.is_empty())
    }

    /// The sender's business-scoped user id when the message itself carries it (`from_user_id`).
    ///
    /// [`MessageEvent::user_id`](super::MessageEvent::user_id) also looks at the sender contact.
    pub fn user_id(&self) -> Option<&str> {
        self.from_user_id.as_deref().filter(|u| !u.is_empty())
    }

    /// The sender's parent business-scoped user id when the message carries it
    /// (`from_parent_user_id`, sent for users of a business portfolio enrolled in parent ids).
    pub fn parent_user_id(&self) -> Option<&str> {
        self.from_parent_user_id
            .as_deref()
            .filter(|u| !u.is_empty())
    }

    /// The wire `type` (`text`, `image`, …, or a type this version does not know).
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// The typed content.
    pub fn content(&self) -> &MessageContent<'a> {
        &self.content
    }

    /// The text body, when this is a text message.
    pub fn text(&self) -> Option<&str> {
        match &self.content {
            MessageContent::Text(t) => Some(&t.body),
            _ => None,
        }
    }

    /// The reply / forward context, when present.
    pub fn context(&self) -> Option<&MessageContext> {
        self.context.as_deref()
    }

    /// The click-to-WhatsApp ad (or post) the user came from, when present.
    pub fn referral(&self) -> Option<&Referral> {
        self.referral.as_deref()
    }

    /// The group the message was sent in, for group messages.
    pub fn group_id(&self) -> Option<&GroupId> {
        self.group_id.as_ref()
    }

    /// Errors attached to the message (chiefly on `unsupported` messages, code 131051).
    pub fn errors(&self) -> &[ErrorObject] {
        &self.errors
    }
}

/// The content of an inbound message, by its `type`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MessageContent<'a> {
    /// `text`.
    Text(TextContent<'a>),
    /// `image`.
    Image(InboundMedia),
    /// `audio`; a voice note when [`InboundMedia::voice`] is true.
    Audio(InboundMedia),
    /// `video`.
    Video(InboundMedia),
    /// `document`.
    Document(InboundMedia),
    /// `sticker`; animated when [`InboundMedia::animated`] is true.
    Sticker(InboundMedia),
    /// `location` (shared or chosen).
    Location(Location),
    /// `contacts`: one or more shared contact cards, or the reply to a contact-information
    /// request.
    Contacts(ContactsContent),
    /// `interactive`: a reply to buttons, a list, a flow or a call-permission request.
    Interactive(InteractiveReply),
    /// `button`: a tap on a template quick-reply button.
    Button(ButtonTap),
    /// `reaction`: an emoji reaction, or its removal.
    Reaction(Reaction),
    /// `order`: a cart sent from a catalog.
    Order(Order),
    /// `system`: the user changed number or identity.
    System(System),
    /// `unsupported`: a type Meta does not deliver to the Cloud API (see [`InboundMessage::errors`]).
    Unsupported(Unsupported),
    /// `request_welcome`: the user opened the chat for the first time (welcome messages on).
    RequestWelcome,
    /// `edit`: the user edited an earlier message; the new content is typed inside.
    Edit(Edit<'a>),
    /// `revoke`: the user deleted an earlier message.
    Revoke(Revoke),
    /// A `type` this version does not model; the message's JSON is kept.
    Unknown(UnknownContent),
    /// A known `type` whose content did not parse; the message's JSON and the error are kept.
    Invalid(InvalidContent),
}

impl MessageContent<'_> {
    /// The same content, owning its strings.
    pub fn into_owned(self) -> MessageContent<'static> {
        match self {
            MessageContent::Text(t) => MessageContent::Text(TextContent { body: own(t.body) }),
            MessageContent::Image(x) => MessageContent::Image(x),
            MessageContent::Audio(x) => MessageContent::Audio(x),
            MessageContent::Video(x) => MessageContent::Video(x),
            MessageContent::Document(x) => MessageContent::Document(x),
            MessageContent::Sticker(x) => MessageContent::Sticker(x),
            MessageContent::Location(x) => MessageContent::Location(x),
            MessageContent::Contacts(x) => MessageContent::Contacts(x),
            MessageContent::Interactive(x) => MessageContent::Interactive(x),
            MessageContent::Button(x) => MessageContent::Button(x),
            MessageContent::Reaction(x) => MessageContent::Reaction(x),
            MessageContent::Order(x) => MessageContent::Order(x),
            MessageContent::System(x) => MessageContent::System(x),
            MessageContent::Unsupported(x) => MessageContent::Unsupported(x),
            MessageContent::RequestWelcome => MessageContent::RequestWelcome,
            MessageContent::Edit(x) => MessageContent::Edit(x.into_owned()),
            MessageContent::Revoke(x) => MessageContent::Revoke(x),
            MessageContent::Unknown(x) => MessageContent::Unknown(x),
            MessageContent::Invalid(x) => MessageContent::Invalid(x),
        }
    }
}

/// A message type this version does not model.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UnknownContent {
    /// The wire `type`.
    pub kind: String,
    /// The whole message object as sent.
    pub raw: serde_json::Value,
}

/// A message that could not be read as its type; nothing else in the delivery is affected.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct InvalidContent {
    /// The wire `type`, when there was one.
    pub kind: Option<String>,
    /// Why parsing failed.
    pub error: String,
    /// The whole message object as sent.
    pub raw: serde_json::Value,
}

/// `text` content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TextContent<'a> {
    /// The text the user wrote (borrowed from the body unless it had JSON escapes).
    #[serde(borrow)]
    pub body: Cow<'a, str>,
}
