//! Edits and revokes: the user changed or deleted one of their earlier messages (numbers that use
//! the WhatsApp Business app and the Cloud API together; see Meta's "edit" and "revoke" webhook
//! reference pages).

use super::{MessageContent, MessageContext};
use crate::ids::MessageId;
use serde::{Deserialize, Serialize};

/// `edit`: the user changed the text of an earlier message, or the caption of its media.
///
/// The new content is typed like any message's content: [`MessageContent::Text`] for a text, the
/// media variant (with its new [`caption`](super::InboundMedia::caption)) for a caption. A new
/// content of a type this version does not model is kept as [`MessageContent::Unknown`], one that
/// does not read as [`MessageContent::Invalid`]; the edit itself stays typed either way.
///
/// ```
/// use whatsapp_cloud::webhook::{Event, MessageContent, Payload};
///
/// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[
///   {"field":"messages","value":{"messages":[{"from":"447700900456","id":"wamid.EDIT",
///   "timestamp":"1781003100","type":"edit","edit":{"original_message_id":"wamid.ORIG",
///   "message":{"type":"text","text":{"body":"See you at 8"}}}}]}}]}]}"#;
/// let payload = Payload::from_slice(body)?;
/// let mut edits = 0;
/// for event in payload.events() {
///     if let Event::Message(m) = event
///         && let MessageContent::Edit(edit) = m.content()
///     {
///         assert_eq!(edit.original_message_id.as_str(), "wamid.ORIG");
///         assert_eq!(edit.new_text(), Some("See you at 8"));
///         edits += 1;
///     }
/// }
/// assert_eq!(edits, 1);
/// # Ok::<(), whatsapp_cloud::webhook::PayloadError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Edit<'a> {
    /// The id of the message that was edited (the edit's own id is the message's id).
    pub original_message_id: MessageId,
    /// The wire `type` of the new content (`text`, `image`, …).
    pub kind: String,
    /// The reply context of the edited message, when it had one.
    pub context: Option<MessageContext>,
    /// The new content.
    pub content: Box<MessageContent<'a>>,
}

impl Edit<'_> {
    /// The new text: the body of an edited text, or the new caption of edited media.
    pub fn new_text(&self) -> Option<&str> {
        match &*self.content {
            MessageContent::Text(t) => Some(&t.body),
            MessageContent::Image(m)
            | MessageContent::Video(m)
            | MessageContent::Document(m)
            | MessageContent::Audio(m)
            | MessageContent::Sticker(m) => m.caption.as_deref(),
            _ => None,
        }
    }

    /// The same edit, owning its strings.
    pub fn into_owned(self) -> Edit<'static> {
        Edit {
            original_message_id: self.original_message_id,
            kind: self.kind,
            context: self.context,
            content: Box::new(self.content.into_owned()),
        }
    }
}

/// `revoke`: the user deleted one of their earlier messages for everyone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Revoke {
    /// The id of the message that was deleted.
    pub original_message_id: MessageId,
}
