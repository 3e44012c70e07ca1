//! Outgoing messages: every type the Cloud API sends, validated against Meta's limits.
//!
//! Build a content value, address it with [`SendMessage`], and send it with the client or any HTTP
//! client (the `endpoint::messages` module makes it a request). Every content type converts into [`Message`], so it can be
//! passed to [`SendMessage::new`] directly.
//!
//! | content | type |
//! |---|---|
//! | text | [`Text`], [`Message::text`] |
//! | media by id or link | [`Image`], [`Video`], [`Document`], [`Audio`], [`Sticker`] ([`MediaSource`]) |
//! | location pin | [`Location`] |
//! | contact cards | [`ContactCard`] (and `Vec<ContactCard>`) |
//! | reaction | [`Reaction`] |
//! | pin or unpin in a group | [`Pin`] |
//! | buttons, list, CTA URL, flow, location request, carousel, products, catalog, call permission, address, contact request, voice call | [`Interactive`] ([`VoiceCall`]) |
//! | approved template | [`Template`] with [`Parameter`]s and [`TemplateButton`]s |
//! | read receipt / typing indicator | [`MarkAsRead`] (its own request) |
//!
//! Validation ([`SendMessage::validate`], also run when the request is built, before any network
//! call) counts lengths in Unicode scalar values and reports the JSON path of the offending field:
//!
//! ```
//! use whatsapp_cloud::error::Violation;
//! use whatsapp_cloud::message::{Image, Interactive, ReplyButton, SendMessage};
//!
//! let photo = SendMessage::new("+16505551234", Image::from_id("1479537139650973").caption("Your table 🍽️"));
//! assert!(photo.validate().is_ok());
//!
//! let ask = Interactive::buttons("Pick one", [
//!     ReplyButton::new("a", "Same"),
//!     ReplyButton::new("b", "Same"),
//! ]);
//! let err = SendMessage::new("+16505551234", ask).validate().unwrap_err();
//! assert_eq!(err.field, "interactive.action.buttons[1].reply.title");
//! assert_eq!(err.violation, Violation::Duplicate { value: "Same".into() });
//! ```

mod contacts;
mod interactive;
mod location;
mod media;
mod pin;
mod reaction;
mod status;
mod template;
mod text;

pub use contacts::{
    Address, ContactCard, ContactUrl, Email, InfoType, Name, Org, Phone, PhoneType,
};
pub use interactive::{
    Flow, FlowMode, Header, Interactive, MediaCard, ProductSection, ReplyButton, Row, Section,
    VoiceCall,
};
// Payments: the order_details and order_status interactive messages.
pub use interactive::{
    Amount, Charge, Discount, GatewayProvider, GoodsType, ImporterAddress, Order, OrderDetails,
    OrderExpiration, OrderItem, OrderState, OrderStatus, PaymentSetting, PaymentType, PixKeyType,
};
pub use location::Location;
pub use media::{Audio, Document, Image, MediaSource, Sticker, Video};
pub use pin::{PIN_EXPIRATION_DAYS_MAX, PIN_EXPIRATION_DAYS_MIN, Pin};
pub use reaction::Reaction;
pub use status::MarkAsRead;
pub use template::{
    ButtonAction, ButtonSubType, CarouselCard, Component, LanguagePolicy, Parameter, TapTarget,
    Template, TemplateButton,
};
pub use text::Text;

use crate::error::{ValidationError, Violation};
use crate::ids::{MessageId, Recipient};
use crate::limits;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// The content of one outgoing message.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Message {
    /// A text message.
    Text(Text),
    /// An image.
    Image(Image),
    /// An audio file or voice note.
    Audio(Audio),
    /// A video.
    Video(Video),
    /// A document.
    Document(Document),
    /// A sticker.
    Sticker(Sticker),
    /// A location pin.
    Location(Location),
    /// One or more contact cards (1 to 257).
    Contacts(Vec<ContactCard>),
    /// An interactive message (buttons, list, flow, ...).
    Interactive(Interactive),
    /// A template message.
    Template(Template),
    /// A reaction, or the removal of one.
    Reaction(Reaction),
    /// A message pinned in a group, or unpinned (groups only).
    Pin(Pin),
}

impl Message {
    /// A text message.
    ///
    /// ```
    /// use whatsapp_cloud::message::Message;
    /// let m = Message::text("Thanks for your order!");
    /// assert_eq!(m.type_name(), "text");
    /// ```
    pub fn text(body: impl Into<String>) -> Self {
        Message::Text(Text::new(body))
    }

    /// The wire `type` of this message.
    pub fn type_name(&self) -> &'static str {
        match self {
            Message::Text(_) => "text",
            Message::Image(_) => "image",
            Message::Audio(_) => "audio",
            Message::Video(_) => "video",
            Message::Document(_) => "document",
            Message::Sticker(_) => "sticker",
            Message::Location(_) => "location",
            Message::Contacts(_) => "contacts",
            Message::Interactive(_) => "interactive",
            Message::Template(_) => "template",
            Message::Reaction(_) => "reaction",
            Message::Pin(_) => "pin",
        }
    }

    /// Checks Meta's limits.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        match self {
            Message::Text(m) => m.validate(),
            Message::Image(m) => m.validate(),
            Message::Audio(m) => m.validate(),
            Message::Video(m) => m.validate(),
            Message::Document(m) => m.validate(),
            Message::Sticker(m) => m.validate(),
            Message::Location(m) => m.validate(),
            Message::Contacts(m) => contacts::validate_contacts(m),
            Message::Interactive(m) => m.validate(),
            Message::Template(m) => m.validate(),
            Message::Reaction(m) => m.validate(),
            Message::Pin(m) => m.validate(),
        }
    }

    fn serialize_payload<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        let key = self.type_name();
        match self {
            Message::Text(m) => map.serialize_entry(key, m),
            Message::Image(m) => map.serialize_entry(key, m),
            Message::Audio(m) => map.serialize_entry(key, m),
            Message::Video(m) => map.serialize_entry(key, m),
            Message::Document(m) => map.serialize_entry(key, m),
            Message::Sticker(m) => map.serialize_entry(key, m),
            Message::Location(m) => map.serialize_entry(key, m),
            Message::Contacts(m) => map.serialize_entry(key, m),
            Message::Interactive(m) => map.serialize_entry(key, m),
            Message::Template(m) => map.serialize_entry(key, m),
            Message::Reaction(m) => map.serialize_entry(key, m),
            Message::Pin(m) => map.serialize_entry(key, m),
        }
    }
}

/// A message addressed to a recipient: the body of `POST /<PHONE_NUMBER_ID>/messages`.
///
/// A phone number is sent in `to`, a business-scoped user id in `recipient` (see [`Recipient`]).
///
/// ```
/// use whatsapp_cloud::message::{Message, SendMessage};
/// let send = SendMessage::new("+16315551234", Message::text("Hi"))
///     .reply_to("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=")
///     .biz_opaque_callback_data("order-42");
/// let json = serde_json::to_value(&send)?;
/// assert_eq!(json["context"]["message_id"], "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=");
/// assert_eq!(json["type"], "text");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct SendMessage {
    to: Recipient,
    message: Message,
    reply_to: Option<MessageId>,
    biz_opaque_callback_data: Option<String>,
}

impl SendMessage {
    /// Addresses `message` to `to` (a phone number, `wa_id`, business-scoped user id or [`Recipient`];
    /// a string with the shape of a BSUID, such as `US.13491208655302741918`, is taken as one).
    pub fn new(to: impl Into<Recipient>, message: impl Into<Message>) -> Self {
        Self {
            to: to.into(),
            message: message.into(),
            reply_to: None,
            biz_opaque_callback_data: None,
        }
    }

    /// Quotes an earlier message (a contextual reply).
    pub fn reply_to(mut self, message_id: impl Into<MessageId>) -> Self {
        self.reply_to = Some(message_id.into());
        self
    }

    /// An opaque string (max 512 characters) echoed back in this message's status webhooks.
    pub fn biz_opaque_callback_data(mut self, data: impl Into<String>) -> Self {
        self.biz_opaque_callback_data = Some(data.into());
        self
    }

    /// The recipient.
    pub fn recipient(&self) -> &Recipient {
        &self.to
    }

    /// The message content.
    pub fn message(&self) -> &Message {
        &self.message
    }

    /// Checks Meta's limits on the message and its envelope.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.to.to_field().is_some_and(|to| to.trim().is_empty()) {
            return Err(ValidationError::new("to", Violation::Empty));
        }
        if let Some(user_id) = self.to.recipient_field() {
            limits::bsuid("recipient", user_id.as_str())?;
        }
        if matches!(self.message, Message::Pin(_)) && !self.to.is_group() {
            return Err(limits::invalid(
                "to",
                self.to.to_field().unwrap_or_default(),
                "a group id: only messages in a group can be pinned",
            ));
        }
        if let Some(id) = &self.reply_to {
            limits::id("context.message_id", id.as_str(), limits::MESSAGE_ID_MAX)?;
        }
        if let Some(data) = &self.biz_opaque_callback_data {
            limits::max_chars(
                "biz_opaque_callback_data",
                data,
                limits::BIZ_OPAQUE_CALLBACK_DATA_MAX,
            )?;
        }
        self.message.validate()
    }
}

impl Serialize for SendMessage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Context<'a> {
            message_id: &'a MessageId,
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("messaging_product", "whatsapp")?;
        map.serialize_entry(
            "recipient_type",
            if self.to.is_group() {
                "group"
            } else {
                "individual"
            },
        )?;
        if let Some(to) = self.to.to_field() {
            map.serialize_entry("to", to)?;
        }
        if let Some(user_id) = self.to.recipient_field() {
            map.serialize_entry("recipient", user_id)?;
        }
        if let Some(id) = &self.reply_to {
            map.serialize_entry("context", &Context { message_id: id })?;
        }
        if let Some(data) = &self.biz_opaque_callback_data {
            map.serialize_entry("biz_opaque_callback_data", data)?;
        }
        map.serialize_entry("type", self.message.type_name())?;
        self.message.serialize_payload(&mut map)?;
        map.end()
    }
}
