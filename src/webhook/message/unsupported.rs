//! Unsupported messages: what a user sent that Meta does not deliver to the Cloud API.

use crate::webhook::lenient::string_enum;

/// An `unsupported` message: the user sent something the Cloud API does not deliver.
///
/// The message's [`errors`](super::InboundMessage::errors) say why (code 131051, "message type
/// unknown"). Numbers that use only the Cloud API receive an edit as this, with kind
/// [`UnsupportedKind::Edit`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unsupported {
    /// What the user sent, when Meta says (`unsupported.type`).
    pub kind: Option<UnsupportedKind>,
}

string_enum! {
    /// What an `unsupported` message was (`unsupported.type`); Meta adds values without notice.
    UnsupportedKind {
        /// An edit of an earlier message.
        Edit = "edit",
        /// A new poll.
        PollCreation = "poll_creation",
        /// A vote in a poll.
        PollUpdate = "poll_update",
        /// A pinned message.
        Pin = "pin",
        /// A group invitation.
        GroupInvite = "group_invite",
        /// A GIF.
        Gif = "gif",
        /// A "keep in chat" of a disappearing message.
        KeepInChat = "keep_in_chat",
        /// A message with a link preview.
        LinkPreview = "link_preview",
        /// A product.
        Product = "product",
        /// An order.
        Order = "order",
        /// A reaction.
        Reaction = "reaction",
        /// A button message.
        Button = "button",
        /// A list message.
        List = "list",
        /// An interactive message.
        Interactive = "interactive",
        /// An image (for example a view-once image).
        Image = "image",
        /// A location (for example a live location).
        Location = "location",
        /// A placeholder for media still to come.
        MediaPlaceholder = "media_placeholder",
        /// A template message.
        Hsm = "hsm",
        /// Something that failed on the user's side.
        Errors = "errors",
    }
}
