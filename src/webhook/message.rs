//! Inbound messages: what users send to the business (`messages[]` in a `messages` change).

use super::lenient::{
    f64_any, opt_f64_any, opt_u64_any, opt_u64_as_string, own, own_opt, string_enum, u64_any,
    u64_as_string,
};
use crate::error::ErrorObject;
use crate::ids::{GroupId, MediaId, MessageId};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
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
        self.from.as_deref()
    }

    /// The sender's business-scoped user id when the message itself carries it (`from_user_id`).
    ///
    /// [`MessageEvent::user_id`](super::MessageEvent::user_id) also looks at the sender contact.
    pub fn user_id(&self) -> Option<&str> {
        self.from_user_id.as_deref()
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
    /// `contacts`: one or more shared contact cards.
    Contacts(Vec<SharedContact>),
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
            MessageContent::Unknown(x) => MessageContent::Unknown(x),
            MessageContent::Invalid(x) => MessageContent::Invalid(x),
        }
    }
}

/// A message type this version does not model.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UnknownContent {
    /// The wire `type` (for example `edit` or `revoke`).
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

/// Media the user sent: image, audio, video, document or sticker.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InboundMedia {
    /// The media id; download it through the media endpoint.
    pub id: MediaId,
    /// The MIME type, such as `image/jpeg` or `audio/ogg; codecs=opus`.
    #[serde(default)]
    pub mime_type: Option<String>,
    /// The SHA-256 of the file, base64.
    #[serde(default)]
    pub sha256: Option<String>,
    /// A download URL, sent by Meta since November 2025 (needs the access token, expires).
    #[serde(default)]
    pub url: Option<String>,
    /// The caption (image, video, document).
    #[serde(default)]
    pub caption: Option<String>,
    /// The file name (document).
    #[serde(default)]
    pub filename: Option<String>,
    /// True for a voice note (audio recorded in WhatsApp).
    #[serde(default)]
    pub voice: Option<bool>,
    /// True for an animated sticker.
    #[serde(default)]
    pub animated: Option<bool>,
    /// The file size in bytes, when sent (number or string).
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub file_size: Option<u64>,
}

impl InboundMedia {
    /// True for a voice note.
    pub fn is_voice(&self) -> bool {
        self.voice == Some(true)
    }

    /// True for an animated sticker.
    pub fn is_animated(&self) -> bool {
        self.animated == Some(true)
    }
}

/// A location the user shared.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Location {
    /// Latitude in degrees.
    #[serde(deserialize_with = "f64_any")]
    pub latitude: f64,
    /// Longitude in degrees.
    #[serde(deserialize_with = "f64_any")]
    pub longitude: f64,
    /// The place's name, for a chosen place.
    #[serde(default)]
    pub name: Option<String>,
    /// The place's address, for a chosen place.
    #[serde(default)]
    pub address: Option<String>,
    /// A link to the place.
    #[serde(default)]
    pub url: Option<String>,
}

/// A contact card the user shared (`contacts[]` of a `contacts` message).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SharedContact {
    /// The name.
    #[serde(default)]
    pub name: Option<ContactName>,
    /// Phone numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<ContactPhone>,
    /// E-mail addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<ContactEmail>,
    /// Postal addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<ContactAddress>,
    /// Web sites.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<ContactUrl>,
    /// Organisation.
    #[serde(default)]
    pub org: Option<ContactOrg>,
    /// Birthday, `YYYY-MM-DD`.
    #[serde(default)]
    pub birthday: Option<String>,
}

/// A shared contact's name.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactName {
    /// The full name as displayed.
    #[serde(default)]
    pub formatted_name: Option<String>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Middle name.
    #[serde(default)]
    pub middle_name: Option<String>,
    /// Suffix.
    #[serde(default)]
    pub suffix: Option<String>,
    /// Prefix.
    #[serde(default)]
    pub prefix: Option<String>,
}

/// A shared contact's phone number.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactPhone {
    /// The number as written.
    #[serde(default)]
    pub phone: Option<String>,
    /// `CELL`, `MAIN`, `HOME`, `WORK`, …
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The WhatsApp id, when the number is on WhatsApp.
    #[serde(default)]
    pub wa_id: Option<String>,
}

/// A shared contact's e-mail.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactEmail {
    /// The address.
    #[serde(default)]
    pub email: Option<String>,
    /// `HOME` or `WORK`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

/// A shared contact's postal address.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactAddress {
    /// Street.
    #[serde(default)]
    pub street: Option<String>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// State.
    #[serde(default)]
    pub state: Option<String>,
    /// ZIP code.
    #[serde(default)]
    pub zip: Option<String>,
    /// Country name.
    #[serde(default)]
    pub country: Option<String>,
    /// ISO country code.
    #[serde(default)]
    pub country_code: Option<String>,
    /// `HOME` or `WORK`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

/// A shared contact's web site.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactUrl {
    /// The URL.
    #[serde(default)]
    pub url: Option<String>,
    /// `HOME` or `WORK`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

/// A shared contact's organisation.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactOrg {
    /// Company.
    #[serde(default)]
    pub company: Option<String>,
    /// Department.
    #[serde(default)]
    pub department: Option<String>,
    /// Job title.
    #[serde(default)]
    pub title: Option<String>,
}

/// The user's answer to an interactive message.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum InteractiveReply {
    /// A reply button was tapped.
    ButtonReply(ButtonReply),
    /// A list row was chosen.
    ListReply(ListReply),
    /// A flow was completed (`nfm_reply`).
    FlowReply(FlowReply),
    /// The user answered a call-permission request.
    CallPermissionReply(CallPermissionReply),
    /// An interactive reply type this version does not model; the `interactive` object is kept.
    Unknown {
        /// The interactive `type`.
        kind: String,
        /// The `interactive` object as sent.
        raw: serde_json::Value,
    },
}

/// A tapped reply button (`interactive.button_reply`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ButtonReply {
    /// The id you gave the button.
    pub id: String,
    /// The button's title.
    pub title: String,
}

/// A chosen list row (`interactive.list_reply`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ListReply {
    /// The id you gave the row.
    pub id: String,
    /// The row's title.
    pub title: String,
    /// The row's description, when it had one.
    #[serde(default)]
    pub description: Option<String>,
}

/// A completed flow (`interactive.nfm_reply`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowReply {
    /// `flow` for flows.
    #[serde(default)]
    pub name: Option<String>,
    /// The text shown in the chat, such as `Sent`.
    #[serde(default)]
    pub body: Option<String>,
    /// The flow's response as Meta sends it: a JSON document encoded in a string.
    pub response_json: String,
}

impl FlowReply {
    /// The flow's response parsed (it includes `flow_token` when one was set).
    ///
    /// # Errors
    /// When `response_json` is not valid JSON.
    pub fn response(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_str(&self.response_json)
    }

    /// The `flow_token` inside the response, when present.
    pub fn flow_token(&self) -> Option<String> {
        let v = self.response().ok()?;
        v.get("flow_token")?.as_str().map(str::to_owned)
    }
}

/// The answer to a call-permission request (`interactive.call_permission_reply`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallPermissionReply {
    /// `accept` or `reject`.
    pub response: String,
    /// Until when the permission holds (unix seconds), when accepted.
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub expiration_timestamp: Option<u64>,
    /// What produced the answer (`user_action`, `automatic`).
    #[serde(default)]
    pub response_source: Option<String>,
}

impl CallPermissionReply {
    /// True when the user allowed calls.
    pub fn accepted(&self) -> bool {
        self.response.eq_ignore_ascii_case("accept")
    }
}

/// A tap on a template quick-reply button (`type: "button"`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ButtonTap {
    /// The payload you set on the button when sending the template.
    #[serde(default)]
    pub payload: Option<String>,
    /// The button's label.
    pub text: String,
}

/// An emoji reaction to one of your messages.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Reaction {
    /// The message reacted to.
    pub message_id: MessageId,
    /// The emoji; absent (current docs) or `""` (older payloads) when the reaction was removed.
    #[serde(default)]
    pub emoji: Option<String>,
}

impl Reaction {
    /// The emoji, or `None` when the reaction was removed.
    pub fn emoji(&self) -> Option<&str> {
        self.emoji.as_deref().filter(|e| !e.is_empty())
    }

    /// True when the user removed their reaction.
    pub fn is_removed(&self) -> bool {
        self.emoji().is_none()
    }
}

/// A cart the user sent from your catalog.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Order {
    /// The catalog id.
    pub catalog_id: String,
    /// The text the user added.
    #[serde(default)]
    pub text: Option<String>,
    /// The items.
    #[serde(default)]
    pub product_items: Vec<OrderItem>,
}

/// One line of an [`Order`].
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrderItem {
    /// Your product id.
    pub product_retailer_id: String,
    /// How many (number or string).
    #[serde(deserialize_with = "u64_any")]
    pub quantity: u64,
    /// The unit price (number or string).
    #[serde(default, deserialize_with = "opt_f64_any")]
    pub item_price: Option<f64>,
    /// ISO 4217 currency code.
    #[serde(default)]
    pub currency: Option<String>,
}

string_enum! {
    /// What a `system` message reports.
    SystemKind {
        /// The user changed their phone number.
        UserChangedNumber = "user_changed_number",
        /// The user's identity (security code) changed; see [`System::identity`].
        CustomerIdentityChanged = "customer_identity_changed",
        /// Older name for a number change.
        CustomerChangedNumber = "customer_changed_number",
    }
}

/// A `system` message: number or identity change.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct System {
    /// What changed.
    pub kind: SystemKind,
    /// A human-readable description.
    pub body: Option<String>,
    /// The user's new WhatsApp id (`wa_id`, or `new_wa_id` in older payloads).
    pub new_wa_id: Option<String>,
    /// The customer field of older payloads.
    pub customer: Option<String>,
    /// For an identity change: the new identity (a sibling `identity` object on the message).
    pub identity: Option<Identity>,
}

/// The identity object of a `customer_identity_changed` system message.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Identity {
    /// Whether the change was acknowledged.
    #[serde(default)]
    pub acknowledged: Option<bool>,
    /// When the identity was created (unix seconds).
    #[serde(
        default,
        deserialize_with = "opt_u64_any",
        serialize_with = "opt_u64_as_string"
    )]
    pub created_timestamp: Option<u64>,
    /// The identity hash.
    #[serde(default)]
    pub hash: Option<String>,
}

/// An `unsupported` message: the user sent something the Cloud API does not deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unsupported {
    /// What the user sent, when Meta says (`edit`, `poll`, `button`, …).
    pub kind: Option<String>,
}

/// The context of a message: a reply, a forward or a product inquiry.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageContext {
    /// The sender of the message replied to.
    #[serde(default)]
    pub from: Option<String>,
    /// The id of the message replied to (or whose button was tapped).
    #[serde(default)]
    pub id: Option<MessageId>,
    /// Forwarded (up to five times).
    #[serde(default)]
    pub forwarded: Option<bool>,
    /// Forwarded more than five times.
    #[serde(default)]
    pub frequently_forwarded: Option<bool>,
    /// The product the user asked about.
    #[serde(default)]
    pub referred_product: Option<ReferredProduct>,
}

impl MessageContext {
    /// True when the message was forwarded (once or many times).
    pub fn is_forwarded(&self) -> bool {
        self.forwarded == Some(true) || self.frequently_forwarded == Some(true)
    }
}

/// The product a "Message business" inquiry came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReferredProduct {
    /// The catalog id.
    pub catalog_id: String,
    /// Your product id.
    pub product_retailer_id: String,
}

/// The ad or post a click-to-WhatsApp conversation started from.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Referral {
    /// The ad or post URL.
    #[serde(default)]
    pub source_url: Option<String>,
    /// The ad or post id.
    #[serde(default)]
    pub source_id: Option<String>,
    /// `ad` or `post`.
    #[serde(default)]
    pub source_type: Option<String>,
    /// The ad's text.
    #[serde(default)]
    pub body: Option<String>,
    /// The ad's headline.
    #[serde(default)]
    pub headline: Option<String>,
    /// `image` or `video`.
    #[serde(default)]
    pub media_type: Option<String>,
    /// The ad image.
    #[serde(default)]
    pub image_url: Option<String>,
    /// The ad video.
    #[serde(default)]
    pub video_url: Option<String>,
    /// The video thumbnail.
    #[serde(default)]
    pub thumbnail_url: Option<String>,
    /// The click id for conversion tracking (absent for WhatsApp Status ad placements).
    #[serde(default)]
    pub ctwa_clid: Option<String>,
    /// The ad's welcome message.
    #[serde(default)]
    pub welcome_message: Option<WelcomeMessage>,
}

/// The welcome message of a click-to-WhatsApp ad.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WelcomeMessage {
    /// Its text.
    #[serde(default)]
    pub text: Option<String>,
}

/// Serializes an inbound message's typed content back to Meta's keys (used by tests and by users
/// who store messages); the payload itself serializes from the bytes it was parsed from.
impl Serialize for InboundMessage<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if let MessageContent::Unknown(UnknownContent { raw, .. })
        | MessageContent::Invalid(InvalidContent { raw, .. }) = &self.content
        {
            return raw.serialize(s);
        }
        let mut m = s.serialize_map(None)?;
        if let Some(from) = &self.from {
            m.serialize_entry("from", from)?;
        }
        if let Some(u) = &self.from_user_id {
            m.serialize_entry("from_user_id", u)?;
        }
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("timestamp", &TimestampString(self.timestamp))?;
        m.serialize_entry("type", &self.kind)?;
        if let Some(c) = &self.context {
            m.serialize_entry("context", c)?;
        }
        if let Some(r) = &self.referral {
            m.serialize_entry("referral", r)?;
        }
        if let Some(g) = &self.group_id {
            m.serialize_entry("group_id", g)?;
        }
        if !self.errors.is_empty() {
            m.serialize_entry("errors", &self.errors)?;
        }
        let k: &str = &self.kind;
        match &self.content {
            MessageContent::Text(t) => m.serialize_entry(k, t)?,
            MessageContent::Image(x)
            | MessageContent::Audio(x)
            | MessageContent::Video(x)
            | MessageContent::Document(x)
            | MessageContent::Sticker(x) => m.serialize_entry(k, x)?,
            MessageContent::Location(x) => m.serialize_entry(k, x)?,
            MessageContent::Contacts(x) => m.serialize_entry(k, x)?,
            MessageContent::Interactive(x) => m.serialize_entry(k, &InteractiveSer(x))?,
            MessageContent::Button(x) => m.serialize_entry(k, x)?,
            MessageContent::Reaction(x) => m.serialize_entry(k, x)?,
            MessageContent::Order(x) => m.serialize_entry(k, x)?,
            MessageContent::System(x) => {
                m.serialize_entry(k, &SystemSer(x))?;
                if let Some(i) = &x.identity {
                    m.serialize_entry("identity", i)?;
                }
            }
            MessageContent::Unsupported(x) => {
                let mut o = serde_json::Map::new();
                if let Some(kind) = &x.kind {
                    o.insert("type".into(), serde_json::Value::String(kind.clone()));
                }
                m.serialize_entry(k, &o)?;
            }
            MessageContent::RequestWelcome
            | MessageContent::Unknown(_)
            | MessageContent::Invalid(_) => {}
        }
        m.end()
    }
}

struct TimestampString(u64);

impl Serialize for TimestampString {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        u64_as_string(&self.0, s)
    }
}

struct InteractiveSer<'a>(&'a InteractiveReply);

impl Serialize for InteractiveSer<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if let InteractiveReply::Unknown { raw, .. } = self.0 {
            return raw.serialize(s);
        }
        let mut m = s.serialize_map(Some(2))?;
        match self.0 {
            InteractiveReply::ButtonReply(x) => {
                m.serialize_entry("type", "button_reply")?;
                m.serialize_entry("button_reply", x)?;
            }
            InteractiveReply::ListReply(x) => {
                m.serialize_entry("type", "list_reply")?;
                m.serialize_entry("list_reply", x)?;
            }
            InteractiveReply::FlowReply(x) => {
                m.serialize_entry("type", "nfm_reply")?;
                m.serialize_entry("nfm_reply", x)?;
            }
            InteractiveReply::CallPermissionReply(x) => {
                m.serialize_entry("type", "call_permission_reply")?;
                m.serialize_entry("call_permission_reply", x)?;
            }
            InteractiveReply::Unknown { .. } => {}
        }
        m.end()
    }
}

struct SystemSer<'a>(&'a System);

impl Serialize for SystemSer<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let x = self.0;
        let mut m = s.serialize_map(None)?;
        if let Some(b) = &x.body {
            m.serialize_entry("body", b)?;
        }
        if let Some(w) = &x.new_wa_id {
            m.serialize_entry("wa_id", w)?;
        }
        if let Some(c) = &x.customer {
            m.serialize_entry("customer", c)?;
        }
        m.serialize_entry("type", &x.kind)?;
        m.end()
    }
}
