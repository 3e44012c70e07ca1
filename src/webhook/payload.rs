//! The webhook envelope: entries, changes, and the typed value of each change.

use super::direct::GiveUp;
use super::fields::{
    AccountUpdate, PhoneNumberQualityUpdate, TemplateCategoryUpdate, TemplateQualityUpdate,
    TemplateStatusUpdate, UserPreference,
};
use super::lenient::{
    MapOnly, cow_any, opt_cow_any, opt_cow_str, opt_map, own, own_opt, seq_into, seq_map, u64_any,
};
use super::message::{InboundMessage, PushMessage, message_from_raw};
use super::status::Status;
use crate::error::ErrorObject;
use crate::ids::{PhoneNumberId, UserId, WabaId};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use serde_with::skip_serializing_none;
use std::borrow::Cow;
use std::fmt;

/// A body that is not a webhook envelope (not JSON, or no `entry` array).
///
/// A well-formed envelope never gives this error, whatever is inside it: unknown fields, unknown
/// message types and malformed items become events of their own.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PayloadError {
    /// The body is not valid JSON.
    #[error("webhook body is not valid JSON: {0}")]
    InvalidJson(String),
    /// The body is JSON but not `{"object": ..., "entry": [...]}`.
    #[error("webhook body is not a webhook envelope: {0}")]
    NotAnEnvelope(String),
}

/// One webhook delivery (the POST body): every entry and change, typed, in order.
///
/// Parse it with [`Payload::from_slice`], then walk [`Payload::events`]. Serializing it writes the
/// JSON it was parsed from, exactly (key order, escapes, number forms and fields this version does
/// not model included), so a payload can be stored or forwarded without losing anything.
///
/// ```
/// use whatsapp_cloud::webhook::{Event, MessageContent, Payload};
/// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Ana"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.HBgL","timestamp":"1749416383","type":"text","text":{"body":"Hi"}}]},"field":"messages"}]}]}"#;
/// let payload = Payload::from_slice(body)?;
/// for event in payload.events() {
///     if let Event::Message(msg) = event {
///         assert_eq!(msg.text(), Some("Hi"));
///         assert_eq!(msg.phone_number_id(), Some("106540352242922"));
///         assert_eq!(msg.contact().and_then(|c| c.name()), Some("Ana"));
///         assert!(matches!(msg.content(), MessageContent::Text(_)));
///     }
/// }
/// let again: serde_json::Value = serde_json::to_value(&payload)?;
/// assert_eq!(again, serde_json::from_slice::<serde_json::Value>(body)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Payload<'a> {
    /// The body as received (UTF-8 checked); what `Serialize` writes.
    pub(crate) body: Cow<'a, str>,
    pub(crate) object: Cow<'a, str>,
    pub(crate) entries: Vec<Entry<'a>>,
}

impl PartialEq for Payload<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.body == other.body
    }
}

/// One `entry[]`: the changes of one WhatsApp Business Account.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub(crate) id: Cow<'a, str>,
    pub(crate) time: Option<u64>,
    pub(crate) changes: Vec<Change<'a>>,
}

/// One `changes[]`: a `field` name and its value.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub(crate) field: Cow<'a, str>,
    /// The value as sent; kept for every change that is not a fully typed `messages` change.
    pub(crate) value: Option<Cow<'a, RawValue>>,
    pub(crate) data: ChangeData<'a>,
    /// The change (or entry) as sent, when it did not have the expected shape.
    pub(crate) invalid: Option<Value>,
}

/// The typed reading of a change's value (the rare kinds boxed: a small `Change` and drop on
/// the fast path).
#[derive(Debug, Clone)]
pub(crate) enum ChangeData<'a> {
    Messages(MessagesValue<'a>),
    TemplateStatus(Box<TemplateStatusUpdate>),
    TemplateQuality(Box<TemplateQualityUpdate>),
    TemplateCategory(Box<TemplateCategoryUpdate>),
    AccountUpdate(Box<AccountUpdate>),
    PhoneNumberQuality(Box<PhoneNumberQualityUpdate>),
    Unknown,
    Invalid(String),
}

/// An item that failed to parse, kept raw with its error.
#[derive(Debug, Clone)]
pub(crate) enum Item<T> {
    Ok(T),
    Invalid { error: String, raw: Value },
}

impl<T> From<T> for Item<T> {
    fn from(t: T) -> Self {
        Item::Ok(t)
    }
}

/// The value of a `messages` (or `user_preferences`) change.
///
/// Read in one pass on the fast path: any message that is not fully typed fails it (see
/// [`typed_messages`]), and the change is then read item by item.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct MessagesValue<'a> {
    #[serde(default, borrow, deserialize_with = "metadata")]
    pub(crate) metadata: Option<Metadata<'a>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "seq_map::<_, Contact<'a>, Contact<'a>>"
    )]
    pub(crate) contacts: Vec<Contact<'a>>,
    #[serde(default, borrow, deserialize_with = "typed_messages")]
    pub(crate) messages: Vec<InboundMessage<'a>>,
    #[serde(default, deserialize_with = "statuses")]
    pub(crate) statuses: Vec<Item<Status>>,
    #[serde(default, deserialize_with = "errors")]
    pub(crate) errors: Vec<Item<ErrorObject>>,
    #[serde(default, deserialize_with = "user_preferences")]
    pub(crate) user_preferences: Vec<Item<UserPreference>>,
}

// The fast path reads each struct out of line and from objects only ([`MapOnly`]): smaller hot
// code, fewer instruction-cache misses.

#[inline(never)]
fn metadata<'de: 'a, 'a, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Metadata<'a>>, D::Error> {
    opt_map(d)
}

#[inline(never)]
fn messages_value<'de: 'a, 'a, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<MessagesValue<'a>, D::Error> {
    MessagesValue::deserialize(MapOnly(d))
}

// Out of line, so that reading the other fields of a value stays in a small stretch of code.

#[inline(never)]
fn statuses<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Item<Status>>, D::Error> {
    seq_into::<_, Status, Item<Status>>(d)
}

#[inline(never)]
pub(super) fn errors<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<Item<ErrorObject>>, D::Error> {
    seq_into::<_, ErrorObject, Item<ErrorObject>>(d)
}

#[inline(never)]
pub(super) fn user_preferences<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<Item<UserPreference>>, D::Error> {
    seq_into::<_, UserPreference, Item<UserPreference>>(d)
}

impl MessagesValue<'_> {
    fn into_owned(self) -> MessagesValue<'static> {
        MessagesValue {
            metadata: self.metadata.map(Metadata::into_owned),
            contacts: self.contacts.into_iter().map(Contact::into_owned).collect(),
            messages: self
                .messages
                .into_iter()
                .map(InboundMessage::into_owned)
                .collect(),
            statuses: self.statuses,
            errors: self.errors,
            user_preferences: self.user_preferences,
        }
    }
}

/// The business phone number a change is about (`value.metadata`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Metadata<'a> {
    /// The number as displayed, such as `15550783881`.
    #[serde(default, borrow, deserialize_with = "opt_cow_any")]
    pub display_phone_number: Option<Cow<'a, str>>,
    /// The phone number id: send your replies from it.
    #[serde(borrow, deserialize_with = "cow_any")]
    pub phone_number_id: Cow<'a, str>,
}

impl Metadata<'_> {
    /// The phone number id, as the id type the client takes.
    pub fn phone_number_id(&self) -> PhoneNumberId {
        PhoneNumberId::new(self.phone_number_id.as_ref())
    }

    /// The same metadata, owning its strings.
    pub fn into_owned(self) -> Metadata<'static> {
        Metadata {
            display_phone_number: own_opt(self.display_phone_number),
            phone_number_id: own(self.phone_number_id),
        }
    }
}

/// A user the change is about (`value.contacts[]`): the sender of inbound messages.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Contact<'a> {
    /// The user's profile.
    #[serde(default, borrow, deserialize_with = "opt_map")]
    pub profile: Option<Profile<'a>>,
    /// The user's WhatsApp id (their phone number); may be absent or `""` for BSUID-only users.
    #[serde(default, borrow, deserialize_with = "opt_cow_any")]
    pub wa_id: Option<Cow<'a, str>>,
    /// The business-scoped user id (BSUID).
    #[serde(default, borrow, deserialize_with = "opt_cow_str")]
    pub user_id: Option<Cow<'a, str>>,
    /// The parent BSUID (shared across a business portfolio).
    #[serde(default, borrow, deserialize_with = "opt_cow_str")]
    pub parent_user_id: Option<Cow<'a, str>>,
    /// The user's WhatsApp username, when sent at this level.
    #[serde(default, borrow, deserialize_with = "opt_cow_str")]
    pub username: Option<Cow<'a, str>>,
    /// The user's identity key hash.
    #[serde(default, borrow, deserialize_with = "opt_cow_str")]
    pub identity_key_hash: Option<Cow<'a, str>>,
}

impl Contact<'_> {
    /// The profile name.
    pub fn name(&self) -> Option<&str> {
        self.profile.as_ref().and_then(|p| p.name.as_deref())
    }

    /// The username (from `profile.username` or `username`).
    pub fn username(&self) -> Option<&str> {
        self.profile
            .as_ref()
            .and_then(|p| p.username.as_deref())
            .or(self.username.as_deref())
    }

    /// The `wa_id`, unless absent or empty.
    pub fn wa_id(&self) -> Option<&str> {
        self.wa_id.as_deref().filter(|w| !w.is_empty())
    }

    /// The BSUID, as the id type the client takes.
    pub fn user_id(&self) -> Option<UserId> {
        self.user_id.as_deref().map(UserId::new)
    }

    /// The same contact, owning its strings.
    pub fn into_owned(self) -> Contact<'static> {
        Contact {
            profile: self.profile.map(Profile::into_owned),
            wa_id: own_opt(self.wa_id),
            user_id: own_opt(self.user_id),
            parent_user_id: own_opt(self.parent_user_id),
            username: own_opt(self.username),
            identity_key_hash: own_opt(self.identity_key_hash),
        }
    }
}

/// `contacts[].profile`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Profile<'a> {
    /// The user's profile name.
    #[serde(default, borrow, deserialize_with = "opt_cow_str")]
    pub name: Option<Cow<'a, str>>,
    /// The user's username.
    #[serde(default, borrow, deserialize_with = "opt_cow_str")]
    pub username: Option<Cow<'a, str>>,
}

impl Profile<'_> {
    /// The same profile, owning its strings.
    pub fn into_owned(self) -> Profile<'static> {
        Profile {
            name: own_opt(self.name),
            username: own_opt(self.username),
        }
    }
}

impl<'a> Payload<'a> {
    /// Parses a delivery from the raw body, borrowing its strings from it.
    ///
    /// A body whose changes are all `messages` with known, well-formed content is read in one
    /// typed pass; anything else (other fields, unknown types, a malformed item) is read change by
    /// change and item by item, so one bad item costs nothing else. Strings without JSON escapes
    /// are borrowed from `body`; use [`Payload::into_owned`] to keep the payload longer.
    ///
    /// # Errors
    /// Only when the body is not a webhook envelope: not UTF-8 JSON, or no `entry` array. Anything
    /// unexpected inside a valid envelope becomes an event instead.
    pub fn from_slice(body: &'a [u8]) -> Result<Self, PayloadError> {
        let text = std::str::from_utf8(body)
            .map_err(|e| PayloadError::InvalidJson(format!("body is not UTF-8: {e}")))?;
        Self::from_text(text)
    }

    /// Parses a delivery from the body as a string, borrowing from it (see [`Payload::from_slice`]).
    ///
    /// # Errors
    /// As [`Payload::from_slice`].
    pub fn from_text(text: &'a str) -> Result<Self, PayloadError> {
        // The direct reader takes the common shapes; serde's one-pass read the rarer forms of a
        // well-formed body; the item-by-item read everything else.
        let one_pass = match super::direct::read(text) {
            Ok(read) => Some(read),
            Err(GiveUp::Unread) => serde_one_pass(text),
            Err(GiveUp::Refused) => None,
        };
        if let Some((object, entries)) = one_pass {
            return Ok(Payload {
                body: Cow::Borrowed(text),
                object,
                entries,
            });
        }
        let (object, entries) = match serde_json::from_str::<WireEnvelope<'a>>(text) {
            Ok(w) => (w.object, w.entry),
            Err(_) => {
                let value: Value = serde_json::from_str(text)
                    .map_err(|e| PayloadError::InvalidJson(e.to_string()))?;
                let (object, entries) = entries_from_value(value)?;
                (Cow::Owned(object), entries)
            }
        };
        Ok(Payload {
            body: Cow::Borrowed(text),
            object,
            entries,
        })
    }

    /// The `object` field (`whatsapp_business_account`).
    pub fn object(&self) -> &str {
        &self.object
    }

    /// The entries, in order.
    pub fn entries(&self) -> &[Entry<'a>] {
        &self.entries
    }

    /// The body this payload was parsed from.
    pub fn as_str(&self) -> &str {
        &self.body
    }

    /// Every event of the delivery, in order: per change, its messages, then statuses, then errors
    /// and preferences; one event per non-message change.
    pub fn events(&self) -> super::events::Events<'_> {
        super::events::Events::new(self)
    }

    /// The same payload, owning its body and strings: to store it or send it to another task.
    pub fn into_owned(self) -> Payload<'static> {
        Payload {
            body: own(self.body),
            object: own(self.object),
            entries: self.entries.into_iter().map(Entry::into_owned).collect(),
        }
    }
}

impl Payload<'static> {
    /// Parses a delivery already read as a [`serde_json::Value`].
    ///
    /// # Errors
    /// When the value is not a webhook envelope.
    pub fn from_value(value: &Value) -> Result<Self, PayloadError> {
        Self::from_string(value.to_string())
    }

    /// Parses a delivery from an owned body (see [`Payload::from_slice`]).
    ///
    /// # Errors
    /// As [`Payload::from_slice`].
    pub fn from_string(body: String) -> Result<Self, PayloadError> {
        let (object, entries) = {
            let p = Payload::from_text(&body)?;
            (
                own(p.object),
                p.entries.into_iter().map(Entry::into_owned).collect(),
            )
        };
        Ok(Payload {
            body: Cow::Owned(body),
            object,
            entries,
        })
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `body.parse::<Payload>()`, as [`Payload::from_slice`] (owning a copy of the body).
impl std::str::FromStr for Payload<'static> {
    type Err = PayloadError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Payload::from_string(s.to_owned())
    }
}

fn entries_from_value(value: Value) -> Result<(String, Vec<Entry<'static>>), PayloadError> {
    let Value::Object(mut map) = value else {
        return Err(PayloadError::NotAnEnvelope(format!(
            "expected a JSON object, found {}",
            kind_of(&value)
        )));
    };
    let object = match map.remove("object") {
        Some(Value::String(s)) => s,
        _ => String::new(),
    };
    match map.remove("entry") {
        Some(Value::Array(items)) => {
            Ok((object, items.into_iter().map(Entry::from_value).collect()))
        }
        Some(other) => Err(PayloadError::NotAnEnvelope(format!(
            "`entry` must be an array, found {}",
            kind_of(&other)
        ))),
        None => Err(PayloadError::NotAnEnvelope(
            "no `entry` array (expected {\"object\": ..., \"entry\": [...]})".into(),
        )),
    }
}

impl<'a> Entry<'a> {
    /// The WhatsApp Business Account id (`entry[].id`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The account id, as the id type the client takes.
    pub fn waba_id(&self) -> WabaId {
        WabaId::new(self.id.as_ref())
    }

    /// `entry[].time` (unix seconds), sent with non-message fields.
    pub fn time(&self) -> Option<u64> {
        self.time
    }

    /// The changes, in order.
    pub fn changes(&self) -> &[Change<'a>] {
        &self.changes
    }

    /// The same entry, owning its strings.
    pub fn into_owned(self) -> Entry<'static> {
        Entry {
            id: own(self.id),
            time: self.time,
            changes: self.changes.into_iter().map(Change::into_owned).collect(),
        }
    }

    fn from_value(value: Value) -> Entry<'static> {
        let Value::Object(mut map) = value else {
            return Entry {
                id: Cow::Borrowed(""),
                time: None,
                changes: vec![Change::malformed(value, "an entry must be an object")],
            };
        };
        let id = match map.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let time = map.get("time").and_then(|t| u64_any(t).ok());
        let changes = match map.remove("changes") {
            Some(Value::Array(items)) => items.into_iter().map(Change::from_value).collect(),
            Some(other) => {
                map.insert("changes".into(), other);
                vec![Change::malformed(
                    Value::Object(map),
                    "`changes` must be an array",
                )]
            }
            None => Vec::new(),
        };
        Entry {
            id: Cow::Owned(id),
            time,
            changes,
        }
    }
}

impl<'a> Change<'a> {
    /// The `field` name, such as `messages` or `message_template_status_update`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The change's `value` exactly as Meta sent it; kept for every change except fully typed
    /// `messages` changes (whose JSON is in [`Payload::as_str`]).
    pub fn raw_value(&self) -> Option<&RawValue> {
        self.value.as_deref()
    }

    /// The same change, owning its strings.
    pub fn into_owned(self) -> Change<'static> {
        Change {
            field: own(self.field),
            value: self.value.map(|v| Cow::Owned(v.into_owned())),
            data: self.data.into_owned(),
            invalid: self.invalid,
        }
    }

    fn new(field: Cow<'a, str>, value: &'a RawValue) -> Change<'a> {
        let data = ChangeData::parse(&field, value.get());
        Change {
            field,
            value: Some(Cow::Borrowed(value)),
            data,
            invalid: None,
        }
    }

    /// A change standing for something unreadable, kept raw with the reason.
    fn malformed(value: Value, why: &str) -> Change<'static> {
        Change {
            field: Cow::Borrowed(""),
            value: None,
            data: ChangeData::Invalid(why.to_owned()),
            invalid: Some(value),
        }
    }

    fn from_value(value: Value) -> Change<'static> {
        let Value::Object(map) = value else {
            return Change::malformed(value, "a change must be an object");
        };
        let field = match map.get("field") {
            Some(Value::String(s)) => s.clone(),
            _ => return Change::malformed(Value::Object(map), "a change needs a string `field`"),
        };
        let raw = match map.get("value").map(serde_json::value::to_raw_value) {
            Some(Ok(raw)) => raw,
            _ => return Change::malformed(Value::Object(map), "a change needs a `value`"),
        };
        let data = ChangeData::parse(&field, raw.get()).into_owned();
        Change {
            field: Cow::Owned(field),
            value: Some(Cow::Owned(raw)),
            data,
            invalid: None,
        }
    }
}

fn typed<'a, T: DeserializeOwned>(
    s: &str,
    wrap: impl FnOnce(T) -> ChangeData<'a>,
) -> ChangeData<'a> {
    match serde_json::from_str::<T>(s) {
        Ok(v) => wrap(v),
        Err(e) => ChangeData::Invalid(e.to_string()),
    }
}

impl<'a> ChangeData<'a> {
    fn parse(field: &str, value: &'a str) -> ChangeData<'a> {
        match field {
            "messages" | "user_preferences" => ChangeData::Messages(parse_messages(value)),
            "message_template_status_update" => {
                typed(value, |u| ChangeData::TemplateStatus(Box::new(u)))
            }
            "message_template_quality_update" => {
                typed(value, |u| ChangeData::TemplateQuality(Box::new(u)))
            }
            "template_category_update" => {
                typed(value, |u| ChangeData::TemplateCategory(Box::new(u)))
            }
            "account_update" => typed(value, |u| ChangeData::AccountUpdate(Box::new(u))),
            "phone_number_quality_update" => {
                typed(value, |u| ChangeData::PhoneNumberQuality(Box::new(u)))
            }
            _ => ChangeData::Unknown,
        }
    }

    fn into_owned(self) -> ChangeData<'static> {
        match self {
            ChangeData::Messages(v) => ChangeData::Messages(v.into_owned()),
            ChangeData::TemplateStatus(u) => ChangeData::TemplateStatus(u),
            ChangeData::TemplateQuality(u) => ChangeData::TemplateQuality(u),
            ChangeData::TemplateCategory(u) => ChangeData::TemplateCategory(u),
            ChangeData::AccountUpdate(u) => ChangeData::AccountUpdate(u),
            ChangeData::PhoneNumberQuality(u) => ChangeData::PhoneNumberQuality(u),
            ChangeData::Unknown => ChangeData::Unknown,
            ChangeData::Invalid(e) => ChangeData::Invalid(e),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Fast path: the whole body in one typed pass straight into the public types, accepted only when
// every change is a `messages` change and every message has a known type with well-formed content.

/// The serde one-pass read of a whole body, as `object` and entries (also the direct reader's
/// reference in its tests).
pub(super) fn serde_one_pass(text: &str) -> Option<(Cow<'_, str>, Vec<Entry<'_>>)> {
    fast_envelope(text).ok().map(|f| (f.object, f.entry))
}

/// The one-pass read of a whole body (objects only: see [`MapOnly`]).
fn fast_envelope(text: &str) -> serde_json::Result<FastEnvelope<'_>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let envelope = FastEnvelope::deserialize(MapOnly(&mut de))?;
    de.end()?;
    Ok(envelope)
}

#[derive(Deserialize)]
struct FastEnvelope<'a> {
    #[serde(borrow)]
    object: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "seq_map::<_, FastEntry<'a>, Entry<'a>>")]
    entry: Vec<Entry<'a>>,
}

#[derive(Deserialize)]
struct FastEntry<'a> {
    #[serde(borrow, deserialize_with = "cow_any")]
    id: Cow<'a, str>,
    #[serde(default, deserialize_with = "super::lenient::opt_u64_any")]
    time: Option<u64>,
    #[serde(borrow, deserialize_with = "seq_map::<_, FastChange<'a>, Change<'a>>")]
    changes: Vec<Change<'a>>,
}

impl<'a> From<FastEntry<'a>> for Entry<'a> {
    fn from(e: FastEntry<'a>) -> Self {
        Entry {
            id: e.id,
            time: e.time,
            changes: e.changes,
        }
    }
}

#[derive(Deserialize)]
struct FastChange<'a> {
    #[serde(deserialize_with = "messages_field")]
    #[allow(dead_code)]
    field: bool,
    #[serde(borrow, deserialize_with = "messages_value")]
    value: MessagesValue<'a>,
}

impl<'a> From<FastChange<'a>> for Change<'a> {
    fn from(c: FastChange<'a>) -> Self {
        Change {
            field: Cow::Borrowed("messages"),
            value: None,
            data: ChangeData::Messages(c.value),
            invalid: None,
        }
    }
}

/// Accepts only `messages` (without allocating the name): any other field stops the one-pass read
/// at once, and the body is read change by change instead.
fn messages_field<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("the field name `messages`")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<bool, E> {
            if v == "messages" {
                Ok(true)
            } else {
                Err(E::custom("not a messages change"))
            }
        }
    }
    d.deserialize_str(V)
}

// ---------------------------------------------------------------------------------------------
// Item-by-item path: the envelope's structure, then each change from its own JSON text.

#[derive(Deserialize)]
struct WireEnvelope<'a> {
    #[serde(default, borrow)]
    object: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "seq_into::<_, WireEntry<'a>, Entry<'a>>")]
    entry: Vec<Entry<'a>>,
}

#[derive(Deserialize)]
struct WireEntry<'a> {
    #[serde(borrow, deserialize_with = "cow_any")]
    id: Cow<'a, str>,
    #[serde(default, deserialize_with = "super::lenient::opt_u64_any")]
    time: Option<u64>,
    #[serde(
        default,
        borrow,
        deserialize_with = "seq_into::<_, WireChange<'a>, Change<'a>>"
    )]
    changes: Vec<Change<'a>>,
}

impl<'a> From<WireEntry<'a>> for Entry<'a> {
    fn from(e: WireEntry<'a>) -> Self {
        Entry {
            id: e.id,
            time: e.time,
            changes: e.changes,
        }
    }
}

#[derive(Deserialize)]
struct WireChange<'a> {
    #[serde(borrow)]
    field: Cow<'a, str>,
    #[serde(borrow)]
    value: &'a RawValue,
}

impl<'a> From<WireChange<'a>> for Change<'a> {
    fn from(c: WireChange<'a>) -> Self {
        Change::new(c.field, c.value)
    }
}

/// Reads `messages[]` straight into typed messages; any message that is not fully typed (unknown
/// type, malformed content) fails the fast path, and the change is read item by item instead.
fn typed_messages<'de: 'a, 'a, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<InboundMessage<'a>>, D::Error> {
    d.deserialize_seq(MessagesVisitor)
}

struct MessagesVisitor;

impl<'de> serde::de::Visitor<'de> for MessagesVisitor {
    type Value = Vec<InboundMessage<'de>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of messages")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(1));
        while seq.next_element_seed(PushMessage(&mut out))?.is_some() {}
        Ok(out)
    }
}

fn parse_messages(value: &str) -> MessagesValue<'_> {
    serde_json::from_str::<MessagesValue<'_>>(value)
        .unwrap_or_else(|_| parse_messages_item_by_item(value))
}

fn items<T: DeserializeOwned>(v: Option<Value>) -> Vec<Item<T>> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|raw| match T::deserialize(&raw) {
                Ok(t) => Item::Ok(t),
                Err(e) => Item::Invalid {
                    error: e.to_string(),
                    raw,
                },
            })
            .collect(),
        Some(other) => vec![Item::Invalid {
            error: format!("expected an array, found {}", kind_of(&other)),
            raw: other,
        }],
    }
}

fn parse_messages_item_by_item(value: &str) -> MessagesValue<'static> {
    let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(value) else {
        return MessagesValue {
            errors: vec![Item::Invalid {
                error: "the value of a messages change must be an object".into(),
                raw: serde_json::from_str(value).unwrap_or(Value::Null),
            }],
            ..MessagesValue::default()
        };
    };
    let metadata = map
        .remove("metadata")
        .and_then(|m| Metadata::deserialize(m).ok());
    let contacts = match map.remove("contacts") {
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|c| Contact::deserialize(c).ok())
            .collect(),
        _ => Vec::new(),
    };
    let messages = match map.remove("messages") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|m| message_from_raw(&m.to_string()).into_owned())
            .collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![message_from_raw(&other.to_string()).into_owned()],
    };
    MessagesValue {
        metadata,
        contacts,
        messages,
        statuses: items(map.remove("statuses")),
        errors: items(map.remove("errors")),
        user_preferences: items(map.remove("user_preferences")),
    }
}

// ---------------------------------------------------------------------------------------------
// Serialization: the exact JSON the payload was read from.

impl Serialize for Payload<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw =
            RawValue::from_string(self.body.to_string()).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Payload<'_> {
    /// Reads a delivery through any serde deserializer (the payload owns its strings). With
    /// serde_json on a byte slice, prefer [`Payload::from_slice`]: it borrows from the body and
    /// avoids building a [`Value`] first.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        Payload::from_value(&value).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Payload<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.body)
    }
}
