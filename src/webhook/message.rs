//! Inbound messages: what users send to the business (`messages[]` in a `messages` change).

use super::lenient::{
    CowStr, MapSeed, U64Any, cow_str, opt_cow_any, opt_cow_str, opt_f64_any, opt_u64_any,
    opt_u64_as_string, own, own_opt, string_enum, u64_any, u64_as_string, wrap_reader,
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

fn f64_any<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    opt_f64_any(d)?.ok_or_else(|| serde::de::Error::custom("expected a number, found null"))
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

// ---------------------------------------------------------------------------------------------
// Wire form: one flat struct read in a single pass; the content is picked by `type` afterwards.

#[derive(Deserialize)]
struct WireSystem {
    #[serde(default)]
    body: Option<String>,
    #[serde(rename = "type", default)]
    kind: Option<SystemKind>,
    #[serde(default)]
    wa_id: Option<String>,
    #[serde(default)]
    new_wa_id: Option<String>,
    #[serde(default)]
    customer: Option<String>,
}

#[derive(Deserialize)]
struct WireUnsupported {
    #[serde(rename = "type", default)]
    kind: Option<String>,
}

#[derive(Deserialize)]
struct WireInteractive {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    button_reply: Option<ButtonReply>,
    #[serde(default)]
    list_reply: Option<ListReply>,
    #[serde(default)]
    nfm_reply: Option<FlowReply>,
    #[serde(default)]
    call_permission_reply: Option<CallPermissionReply>,
}

#[derive(Deserialize)]
pub(crate) struct WireMessage<'a> {
    #[serde(default, borrow, deserialize_with = "opt_cow_any")]
    from: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "opt_cow_str")]
    from_user_id: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "cow_str")]
    id: Cow<'a, str>,
    #[serde(deserialize_with = "u64_any")]
    timestamp: u64,
    #[serde(rename = "type", deserialize_with = "message_kind")]
    kind: Cow<'static, str>,
    #[serde(default)]
    context: Option<Box<MessageContext>>,
    #[serde(default)]
    referral: Option<Box<Referral>>,
    #[serde(default)]
    group_id: Option<GroupId>,
    #[serde(default)]
    errors: Vec<ErrorObject>,
    #[serde(default, borrow)]
    text: Option<TextContent<'a>>,
    #[serde(default)]
    image: Option<Box<InboundMedia>>,
    #[serde(default)]
    audio: Option<Box<InboundMedia>>,
    #[serde(default)]
    video: Option<Box<InboundMedia>>,
    #[serde(default)]
    document: Option<Box<InboundMedia>>,
    #[serde(default)]
    sticker: Option<Box<InboundMedia>>,
    #[serde(default)]
    location: Option<Box<Location>>,
    #[serde(default)]
    contacts: Option<Vec<SharedContact>>,
    #[serde(default)]
    interactive: Option<Box<WireInteractive>>,
    #[serde(default)]
    button: Option<Box<ButtonTap>>,
    #[serde(default)]
    reaction: Option<Box<Reaction>>,
    #[serde(default)]
    order: Option<Box<Order>>,
    #[serde(default)]
    system: Option<Box<WireSystem>>,
    #[serde(default)]
    identity: Option<Box<Identity>>,
    #[serde(default)]
    unsupported: Option<Box<WireUnsupported>>,
}

/// The message types read without allocating their name.
const KNOWN_KINDS: &[&str] = &[
    "text",
    "image",
    "audio",
    "video",
    "document",
    "sticker",
    "location",
    "contacts",
    "interactive",
    "button",
    "reaction",
    "order",
    "system",
    "unsupported",
    "request_welcome",
];

fn message_kind<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Cow<'static, str>, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = Cow<'static, str>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a message type")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(known_kind(Cow::Borrowed(v)))
        }
    }
    d.deserialize_str(V)
}

/// A message `type`, without allocating when it is one of [`KNOWN_KINDS`].
pub(crate) fn known_kind(v: Cow<'_, str>) -> Cow<'static, str> {
    match KNOWN_KINDS.iter().find(|k| **k == v) {
        Some(k) => Cow::Borrowed(k),
        None => Cow::Owned(v.into_owned()),
    }
}

/// The fast path's reading of one message, straight into [`InboundMessage`]: only a message of a
/// known type with well-formed content is accepted; anything else (unknown or missing content, a
/// second content object, a duplicate key) is an error that sends the change to the item-by-item
/// path, where [`message_from_raw`] keeps everything.
///
/// The message is pushed onto the vector as it is built, which saves moving it around.
pub(crate) struct PushMessage<'v, 'a>(pub(crate) &'v mut Vec<InboundMessage<'a>>);

impl<'de> serde::de::DeserializeSeed<'de> for PushMessage<'_, 'de> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(TypedMessageVisitor(self.0))
    }
}

wrap_reader!(OptCowAny<'a>, Option<Cow<'a, str>>, opt_cow_any);
wrap_reader!(OptCowStr<'a>, Option<Cow<'a, str>>, opt_cow_str);
wrap_reader!(Kind, Cow<'static, str>, message_kind);

struct TypedMessageVisitor<'v, 'a>(&'v mut Vec<InboundMessage<'a>>);

/// The fields of a message other than the common ones and `text`: read by [`rare_key`], out of the
/// hot loop.
#[derive(Default)]
struct RareFields<'de> {
    from_user_id: Option<Option<Cow<'de, str>>>,
    context: Option<Option<Box<MessageContext>>>,
    referral: Option<Option<Box<Referral>>>,
    group_id: Option<Option<GroupId>>,
    errors: Option<Vec<ErrorObject>>,
    content: Option<(&'static str, MessageContent<'de>)>,
    interactive: Option<WireInteractive>,
    system: Option<WireSystem>,
    identity: Option<Identity>,
    unsupported: Option<WireUnsupported>,
}

/// Fails on a key seen twice (the item-by-item path then reads the message as serde would).
macro_rules! set_once {
    ($slot:expr, $name:literal, $value:expr) => {{
        if $slot.is_some() {
            return Err(<A::Error as serde::de::Error>::duplicate_field($name));
        }
        $slot = Some($value);
    }};
}

/// Reads one key of a message that is not on the text fast path.
#[inline(never)]
fn rare_key<'de, A: serde::de::MapAccess<'de>>(
    map: &mut A,
    key: &str,
    r: &mut RareFields<'de>,
) -> Result<(), A::Error> {
    macro_rules! content {
        ($name:literal, $variant:ident) => {
            set_once!(
                r.content,
                $name,
                ($name, MessageContent::$variant(map.next_value()?))
            )
        };
    }
    match key {
        "from_user_id" => set_once!(
            r.from_user_id,
            "from_user_id",
            map.next_value::<OptCowStr<'de>>()?.0
        ),
        "context" => set_once!(r.context, "context", map.next_value()?),
        "referral" => set_once!(r.referral, "referral", map.next_value()?),
        "group_id" => set_once!(r.group_id, "group_id", map.next_value()?),
        "errors" => set_once!(r.errors, "errors", map.next_value()?),
        "image" => content!("image", Image),
        "audio" => content!("audio", Audio),
        "video" => content!("video", Video),
        "document" => content!("document", Document),
        "sticker" => content!("sticker", Sticker),
        "location" => content!("location", Location),
        "contacts" => content!("contacts", Contacts),
        "button" => content!("button", Button),
        "reaction" => content!("reaction", Reaction),
        "order" => content!("order", Order),
        "interactive" => set_once!(r.interactive, "interactive", map.next_value()?),
        "system" => set_once!(r.system, "system", map.next_value()?),
        "identity" => set_once!(r.identity, "identity", map.next_value()?),
        "unsupported" => set_once!(r.unsupported, "unsupported", map.next_value()?),
        _ => {
            map.next_value::<serde::de::IgnoredAny>()?;
        }
    }
    Ok(())
}

/// The content of a message whose `type` is not `text`, from its rare fields.
#[inline(never)]
fn rare_content<'de, E: serde::de::Error>(
    kind: &str,
    r: &mut RareFields<'de>,
) -> Result<MessageContent<'de>, E> {
    let slow = || E::custom("message needs the item-by-item path");
    Ok(match kind {
        "interactive" => MessageContent::Interactive(
            r.interactive
                .take()
                .ok_or_else(slow)
                .and_then(|w| interactive_reply(w).map_err(|_| slow()))?,
        ),
        "system" => {
            let s = r.system.take().ok_or_else(slow)?;
            MessageContent::System(System {
                kind: s.kind.unwrap_or_else(|| SystemKind::Unknown(String::new())),
                body: s.body,
                new_wa_id: s.wa_id.or(s.new_wa_id),
                customer: s.customer,
                identity: r.identity.take(),
            })
        }
        "unsupported" => MessageContent::Unsupported(Unsupported {
            kind: r.unsupported.take().and_then(|u| u.kind),
        }),
        "request_welcome" => MessageContent::RequestWelcome,
        k => match r.content.take() {
            Some((key, c)) if key == k => c,
            _ => return Err(slow()),
        },
    })
}

impl<'de> serde::de::Visitor<'de> for TypedMessageVisitor<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a message object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error;
        let mut from = None;
        let mut id = None;
        let mut timestamp = None;
        let mut kind = None;
        let mut text: Option<TextContent<'de>> = None;
        let mut rare: Option<Box<RareFields<'de>>> = None;
        while let Some(key) = map.next_key::<CowStr<'de>>()? {
            match &*key.0 {
                "from" => set_once!(from, "from", map.next_value::<OptCowAny<'de>>()?.0),
                "id" => set_once!(id, "id", map.next_value::<CowStr<'de>>()?.0),
                "timestamp" => set_once!(timestamp, "timestamp", map.next_value::<U64Any>()?.0),
                "type" => set_once!(kind, "type", map.next_value::<Kind>()?.0),
                "text" => set_once!(
                    text,
                    "text",
                    map.next_value_seed(MapSeed(std::marker::PhantomData))?
                ),
                other => rare_key(&mut map, other, rare.get_or_insert_with(Box::default))?,
            }
        }
        let id = id.ok_or_else(|| A::Error::missing_field("id"))?;
        let timestamp = timestamp.ok_or_else(|| A::Error::missing_field("timestamp"))?;
        let kind: Cow<'static, str> = kind.ok_or_else(|| A::Error::missing_field("type"))?;
        let content = match (&*kind, text, rare.as_deref_mut()) {
            ("text", Some(t), _) => MessageContent::Text(t),
            (k, _, Some(r)) => rare_content(k, r)?,
            ("request_welcome", _, None) => MessageContent::RequestWelcome,
            _ => return Err(A::Error::custom("message needs the item-by-item path")),
        };
        let (from_user_id, context, referral, group_id, errors) = match rare {
            Some(r) => (
                r.from_user_id.flatten(),
                r.context.flatten(),
                r.referral.flatten(),
                r.group_id.flatten(),
                r.errors.unwrap_or_default(),
            ),
            None => (None, None, None, None, Vec::new()),
        };
        self.0.push(InboundMessage {
            id,
            from: from.flatten(),
            from_user_id,
            timestamp,
            kind,
            context,
            referral,
            group_id,
            errors,
            content,
        });
        Ok(())
    }
}

/// Why the typed read of a message failed, or that its type is not modelled.
pub(crate) enum MessageProblem {
    /// The type is not one we model.
    UnknownType,
    /// The content of a known type is missing or malformed.
    Invalid(String),
    /// An interactive reply of a type we do not model.
    UnknownInteractive(String),
}

fn missing(kind: &str) -> MessageProblem {
    MessageProblem::Invalid(format!("message of type `{kind}` has no `{kind}` object"))
}

impl<'a> WireMessage<'a> {
    /// Turns the wire form into a typed message; `Err` when the content does not fit the type.
    pub(crate) fn into_message(
        mut self,
    ) -> Result<InboundMessage<'a>, Box<(MessageProblem, Self)>> {
        let content = match self.take_content() {
            Ok(c) => c,
            Err(p) => return Err(Box::new((p, self))),
        };
        Ok(InboundMessage {
            id: self.id,
            from: self.from,
            from_user_id: self.from_user_id,
            timestamp: self.timestamp,
            kind: self.kind,
            context: self.context,
            referral: self.referral,
            group_id: self.group_id,
            errors: self.errors,
            content,
        })
    }

    fn take_content(&mut self) -> Result<MessageContent<'a>, MessageProblem> {
        let k: &str = &self.kind;
        fn need<T>(o: &mut Option<Box<T>>, k: &str) -> Result<T, MessageProblem> {
            o.take().map(|b| *b).ok_or_else(|| missing(k))
        }
        Ok(match k {
            "text" => MessageContent::Text(self.text.take().ok_or_else(|| missing(k))?),
            "image" => MessageContent::Image(need(&mut self.image, k)?),
            "audio" => MessageContent::Audio(need(&mut self.audio, k)?),
            "video" => MessageContent::Video(need(&mut self.video, k)?),
            "document" => MessageContent::Document(need(&mut self.document, k)?),
            "sticker" => MessageContent::Sticker(need(&mut self.sticker, k)?),
            "location" => MessageContent::Location(need(&mut self.location, k)?),
            "contacts" => MessageContent::Contacts(self.contacts.take().ok_or_else(|| missing(k))?),
            "button" => MessageContent::Button(need(&mut self.button, k)?),
            "reaction" => MessageContent::Reaction(need(&mut self.reaction, k)?),
            "order" => MessageContent::Order(need(&mut self.order, k)?),
            "interactive" => {
                let w = need(&mut self.interactive, k)?;
                MessageContent::Interactive(interactive_reply(w)?)
            }
            "system" => {
                let s = need(&mut self.system, k)?;
                MessageContent::System(System {
                    kind: s.kind.unwrap_or_else(|| SystemKind::Unknown(String::new())),
                    body: s.body,
                    new_wa_id: s.wa_id.or(s.new_wa_id),
                    customer: s.customer,
                    identity: self.identity.take().map(|b| *b),
                })
            }
            "unsupported" => MessageContent::Unsupported(Unsupported {
                kind: self.unsupported.take().and_then(|u| u.kind),
            }),
            "request_welcome" => MessageContent::RequestWelcome,
            _ => return Err(MessageProblem::UnknownType),
        })
    }
}

fn interactive_reply(w: WireInteractive) -> Result<InteractiveReply, MessageProblem> {
    let missing_reply =
        |k: &str| MessageProblem::Invalid(format!("interactive of type `{k}` has no `{k}` object"));
    Ok(match w.kind.as_str() {
        "button_reply" => InteractiveReply::ButtonReply(
            w.button_reply
                .ok_or_else(|| missing_reply("button_reply"))?,
        ),
        "list_reply" => {
            InteractiveReply::ListReply(w.list_reply.ok_or_else(|| missing_reply("list_reply"))?)
        }
        "nfm_reply" => {
            InteractiveReply::FlowReply(w.nfm_reply.ok_or_else(|| missing_reply("nfm_reply"))?)
        }
        "call_permission_reply" => InteractiveReply::CallPermissionReply(
            w.call_permission_reply
                .ok_or_else(|| missing_reply("call_permission_reply"))?,
        ),
        _ => return Err(MessageProblem::UnknownInteractive(w.kind)),
    })
}

/// Salvages the common fields of a message whose typed read failed.
#[derive(Deserialize, Default)]
struct LooseCommon {
    #[serde(default)]
    from: Option<serde_json::Value>,
    #[serde(default)]
    from_user_id: Option<serde_json::Value>,
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    timestamp: Option<serde_json::Value>,
    #[serde(rename = "type", default)]
    kind: Option<serde_json::Value>,
    #[serde(default)]
    group_id: Option<serde_json::Value>,
    #[serde(default)]
    errors: Option<serde_json::Value>,
    #[serde(default)]
    context: Option<serde_json::Value>,
    #[serde(default)]
    referral: Option<serde_json::Value>,
}

fn value_str(v: &Option<serde_json::Value>) -> Option<String> {
    match v {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads one message from its raw JSON. Never fails: an unknown type becomes
/// [`MessageContent::Unknown`], anything unreadable [`MessageContent::Invalid`].
pub(crate) fn message_from_raw(raw: &str) -> InboundMessage<'_> {
    match serde_json::from_str::<WireMessage>(raw) {
        Ok(wire) => match wire.into_message() {
            Ok(m) => m,
            Err(failed) => {
                let (problem, wire) = *failed;
                let value = serde_json::from_str(raw).unwrap_or(serde_json::Value::Null);
                let content = match problem {
                    MessageProblem::UnknownType => MessageContent::Unknown(UnknownContent {
                        kind: wire.kind.to_string(),
                        raw: value,
                    }),
                    MessageProblem::UnknownInteractive(kind) => {
                        let raw = value.get("interactive").cloned().unwrap_or_default();
                        MessageContent::Interactive(InteractiveReply::Unknown { kind, raw })
                    }
                    MessageProblem::Invalid(error) => MessageContent::Invalid(InvalidContent {
                        kind: Some(wire.kind.to_string()),
                        error,
                        raw: value,
                    }),
                };
                InboundMessage {
                    id: wire.id,
                    from: wire.from,
                    from_user_id: wire.from_user_id,
                    timestamp: wire.timestamp,
                    kind: wire.kind,
                    context: wire.context,
                    referral: wire.referral,
                    group_id: wire.group_id,
                    errors: wire.errors,
                    content,
                }
            }
        },
        Err(e) => invalid_message(raw, e.to_string()),
    }
}

fn invalid_message(raw: &str, error: String) -> InboundMessage<'static> {
    let value: serde_json::Value = serde_json::from_str(raw).unwrap_or(serde_json::Value::Null);
    let loose: LooseCommon = serde_json::from_value(value.clone()).unwrap_or_default();
    let kind = value_str(&loose.kind);
    let error = match &kind {
        Some(k) => format!("`{k}` message: {error}"),
        None => format!("message without a `type`: {error}"),
    };
    InboundMessage {
        id: Cow::Owned(value_str(&loose.id).unwrap_or_default()),
        from: value_str(&loose.from).map(Cow::Owned),
        from_user_id: value_str(&loose.from_user_id).map(Cow::Owned),
        timestamp: loose
            .timestamp
            .and_then(|t| u64_any(t).ok())
            .unwrap_or_default(),
        kind: Cow::Owned(kind.clone().unwrap_or_default()),
        context: loose.context.and_then(|c| serde_json::from_value(c).ok()),
        referral: loose.referral.and_then(|c| serde_json::from_value(c).ok()),
        group_id: value_str(&loose.group_id).map(GroupId::new),
        errors: loose
            .errors
            .and_then(|c| serde_json::from_value(c).ok())
            .unwrap_or_default(),
        content: MessageContent::Invalid(InvalidContent {
            kind,
            error,
            raw: value,
        }),
    }
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
