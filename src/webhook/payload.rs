//! The webhook envelope: entries, changes, and the typed value of each change.

use super::fields::{
    AccountUpdate, PhoneNumberQualityUpdate, TemplateCategoryUpdate, TemplateQualityUpdate,
    TemplateStatusUpdate, UserPreference,
};
use super::lenient::{opt_string_any, u64_any};
use super::message::{InboundMessage, WireMessage, message_from_raw};
use super::status::Status;
use crate::error::ErrorObject;
use crate::ids::{PhoneNumberId, UserId, WabaId};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
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
///         assert_eq!(msg.phone_number_id().map(|id| id.as_str()), Some("106540352242922"));
///         assert_eq!(msg.contact().and_then(|c| c.name()), Some("Ana"));
///         assert!(matches!(msg.content(), MessageContent::Text(_)));
///     }
/// }
/// let again: serde_json::Value = serde_json::to_value(&payload)?;
/// assert_eq!(again, serde_json::from_slice::<serde_json::Value>(body)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Payload {
    /// The body as received (UTF-8 checked); what `Serialize` writes.
    pub(crate) body: Box<str>,
    pub(crate) object: String,
    pub(crate) entries: Vec<Entry>,
}

impl PartialEq for Payload {
    fn eq(&self, other: &Self) -> bool {
        self.body == other.body
    }
}

/// One `entry[]`: the changes of one WhatsApp Business Account.
#[derive(Debug, Clone)]
pub struct Entry {
    pub(crate) id: WabaId,
    pub(crate) time: Option<u64>,
    pub(crate) changes: Vec<Change>,
}

/// One `changes[]`: a `field` name and its value.
#[derive(Debug, Clone)]
pub struct Change {
    pub(crate) field: std::borrow::Cow<'static, str>,
    /// The value as sent; kept for every change that is not a fully typed `messages` change.
    pub(crate) value: Option<Box<RawValue>>,
    pub(crate) data: ChangeData,
    /// The change (or entry) as sent, when it did not have the expected shape.
    pub(crate) invalid: Option<Value>,
}

/// The typed reading of a change's value.
#[derive(Debug, Clone)]
pub(crate) enum ChangeData {
    Messages(MessagesValue),
    TemplateStatus(TemplateStatusUpdate),
    TemplateQuality(TemplateQualityUpdate),
    TemplateCategory(TemplateCategoryUpdate),
    AccountUpdate(AccountUpdate),
    PhoneNumberQuality(PhoneNumberQualityUpdate),
    Unknown,
    Invalid(String),
}

/// An item that failed to parse, kept raw with its error.
#[derive(Debug, Clone)]
pub(crate) enum Item<T> {
    Ok(T),
    Invalid { error: String, raw: Value },
}

/// The value of a `messages` (or `user_preferences`) change.
#[derive(Debug, Clone, Default)]
pub(crate) struct MessagesValue {
    pub(crate) metadata: Option<Metadata>,
    pub(crate) contacts: Vec<Contact>,
    pub(crate) messages: Vec<InboundMessage>,
    pub(crate) statuses: Vec<Item<Status>>,
    pub(crate) errors: Vec<Item<ErrorObject>>,
    pub(crate) user_preferences: Vec<Item<UserPreference>>,
}

/// The business phone number a change is about (`value.metadata`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Metadata {
    /// The number as displayed, such as `15550783881`.
    #[serde(
        default,
        deserialize_with = "opt_string_any",
        skip_serializing_if = "Option::is_none"
    )]
    pub display_phone_number: Option<String>,
    /// The phone number id: send your replies from it.
    pub phone_number_id: PhoneNumberId,
}

/// A user the change is about (`value.contacts[]`): the sender of inbound messages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Contact {
    /// The user's profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    /// The user's WhatsApp id (their phone number); may be absent or `""` for BSUID-only users.
    #[serde(
        default,
        deserialize_with = "opt_string_any",
        skip_serializing_if = "Option::is_none"
    )]
    pub wa_id: Option<String>,
    /// The business-scoped user id (BSUID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
    /// The parent BSUID (shared across a business portfolio).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_user_id: Option<UserId>,
    /// The user's WhatsApp username, when sent at this level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The user's identity key hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_key_hash: Option<String>,
}

impl Contact {
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
}

/// `contacts[].profile`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Profile {
    /// The user's profile name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The user's username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

impl Payload {
    /// Parses a delivery from the raw body.
    ///
    /// A body whose changes are all `messages` with known, well-formed content is read in one
    /// typed pass; anything else (other fields, unknown types, a malformed item) is read change by
    /// change and item by item, so one bad item costs nothing else.
    ///
    /// # Errors
    /// Only when the body is not a webhook envelope: not UTF-8 JSON, or no `entry` array. Anything
    /// unexpected inside a valid envelope becomes an event instead.
    pub fn from_slice(body: &[u8]) -> Result<Self, PayloadError> {
        let text = std::str::from_utf8(body)
            .map_err(|e| PayloadError::InvalidJson(format!("body is not UTF-8: {e}")))?;
        if let Some((object, entries)) = serde_json::from_str::<FastEnvelope>(text)
            .ok()
            .and_then(FastEnvelope::into_typed)
        {
            return Ok(Payload {
                body: text.into(),
                object,
                entries,
            });
        }
        let entries = match serde_json::from_str::<WireEnvelope>(text) {
            Ok(mut w) => Ok((std::mem::take(&mut w.object), w.into_entries())),
            Err(_) => {
                let value: Value = serde_json::from_str(text)
                    .map_err(|e| PayloadError::InvalidJson(e.to_string()))?;
                entries_from_value(value)
            }
        }?;
        Ok(Payload {
            body: text.into(),
            object: entries.0,
            entries: entries.1,
        })
    }

    /// Parses a delivery already read as a [`serde_json::Value`].
    ///
    /// # Errors
    /// When the value is not a webhook envelope.
    pub fn from_value(value: &Value) -> Result<Self, PayloadError> {
        Self::from_slice(value.to_string().as_bytes())
    }

    /// The `object` field (`whatsapp_business_account`).
    pub fn object(&self) -> &str {
        &self.object
    }

    /// The entries, in order.
    pub fn entries(&self) -> &[Entry] {
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

/// `body.parse::<Payload>()`, as [`Payload::from_slice`].
impl std::str::FromStr for Payload {
    type Err = PayloadError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Payload::from_slice(s.as_bytes())
    }
}

fn entries_from_value(value: Value) -> Result<(String, Vec<Entry>), PayloadError> {
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

impl Entry {
    /// The WhatsApp Business Account id (`entry[].id`).
    pub fn id(&self) -> &WabaId {
        &self.id
    }

    /// `entry[].time` (unix seconds), sent with non-message fields.
    pub fn time(&self) -> Option<u64> {
        self.time
    }

    /// The changes, in order.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    fn from_value(value: Value) -> Entry {
        let Value::Object(mut map) = value else {
            return Entry {
                id: WabaId::new(""),
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
            id: WabaId::new(id),
            time,
            changes,
        }
    }
}

impl Change {
    /// The `field` name, such as `messages` or `message_template_status_update`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The change's `value` exactly as Meta sent it; kept for every change except fully typed
    /// `messages` changes (whose JSON is in [`Payload::as_str`]).
    pub fn raw_value(&self) -> Option<&RawValue> {
        self.value.as_deref()
    }

    fn new(field: String, value: Box<RawValue>) -> Change {
        let data = ChangeData::parse(&field, value.get());
        Change {
            field: std::borrow::Cow::Owned(field),
            value: Some(value),
            data,
            invalid: None,
        }
    }

    /// A change standing for something unreadable, kept raw with the reason.
    fn malformed(value: Value, why: &str) -> Change {
        Change {
            field: std::borrow::Cow::Borrowed(""),
            value: None,
            data: ChangeData::Invalid(why.to_owned()),
            invalid: Some(value),
        }
    }

    fn from_value(value: Value) -> Change {
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
        Change::new(field, raw)
    }
}

fn typed<T: DeserializeOwned>(s: &str, wrap: impl FnOnce(T) -> ChangeData) -> ChangeData {
    match serde_json::from_str::<T>(s) {
        Ok(v) => wrap(v),
        Err(e) => ChangeData::Invalid(e.to_string()),
    }
}

impl ChangeData {
    fn parse(field: &str, value: &str) -> ChangeData {
        match field {
            "messages" | "user_preferences" => ChangeData::Messages(parse_messages(value)),
            "message_template_status_update" => typed(value, ChangeData::TemplateStatus),
            "message_template_quality_update" => typed(value, ChangeData::TemplateQuality),
            "template_category_update" => typed(value, ChangeData::TemplateCategory),
            "account_update" => typed(value, ChangeData::AccountUpdate),
            "phone_number_quality_update" => typed(value, ChangeData::PhoneNumberQuality),
            _ => ChangeData::Unknown,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Fast path: the whole body in one typed pass, accepted only when every change is a `messages`
// change and every message has a known type with well-formed content.

#[derive(Deserialize)]
struct FastEnvelope {
    object: String,
    entry: Vec<FastEntry>,
}

#[derive(Deserialize)]
struct FastEntry {
    #[serde(deserialize_with = "super::lenient::string_any")]
    id: String,
    #[serde(default, deserialize_with = "super::lenient::opt_u64_any")]
    time: Option<u64>,
    changes: Vec<FastChange>,
}

#[derive(Deserialize)]
struct FastChange {
    #[serde(deserialize_with = "messages_field")]
    field: bool,
    value: WireMessagesValue,
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

impl FastEnvelope {
    /// The typed entries, or `None` when something needs the item-by-item path.
    fn into_typed(self) -> Option<(String, Vec<Entry>)> {
        let mut entries = Vec::with_capacity(self.entry.len());
        for e in self.entry {
            let mut changes = Vec::with_capacity(e.changes.len());
            for c in e.changes {
                if !c.field {
                    return None;
                }
                changes.push(Change {
                    field: std::borrow::Cow::Borrowed("messages"),
                    value: None,
                    data: ChangeData::Messages(c.value.into_typed()?),
                    invalid: None,
                });
            }
            entries.push(Entry {
                id: WabaId::new(e.id),
                time: e.time,
                changes,
            });
        }
        Some((self.object, entries))
    }
}

// ---------------------------------------------------------------------------------------------
// Item-by-item path: the envelope's structure, then each change from its own JSON text.

#[derive(Deserialize)]
struct WireEnvelope {
    #[serde(default)]
    object: String,
    entry: Vec<WireEntry>,
}

#[derive(Deserialize)]
struct WireEntry {
    #[serde(deserialize_with = "super::lenient::string_any")]
    id: String,
    #[serde(default, deserialize_with = "super::lenient::opt_u64_any")]
    time: Option<u64>,
    #[serde(default)]
    changes: Vec<WireChange>,
}

#[derive(Deserialize)]
struct WireChange {
    field: String,
    value: Box<RawValue>,
}

impl WireEnvelope {
    fn into_entries(self) -> Vec<Entry> {
        self.entry
            .into_iter()
            .map(|e| Entry {
                id: WabaId::new(e.id),
                time: e.time,
                changes: e
                    .changes
                    .into_iter()
                    .map(|c| Change::new(c.field, c.value))
                    .collect(),
            })
            .collect()
    }
}

#[derive(Deserialize)]
struct WireMessagesValue {
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(default)]
    contacts: Vec<Contact>,
    #[serde(default, deserialize_with = "typed_messages")]
    messages: Vec<InboundMessage>,
    #[serde(default)]
    statuses: Vec<Status>,
    #[serde(default)]
    errors: Vec<ErrorObject>,
    #[serde(default)]
    user_preferences: Vec<UserPreference>,
}

impl WireMessagesValue {
    /// The typed value, or `None` when a message has an unknown type or malformed content.
    fn into_typed(self) -> Option<MessagesValue> {
        Some(MessagesValue {
            metadata: self.metadata,
            contacts: self.contacts,
            messages: self.messages,
            statuses: self.statuses.into_iter().map(Item::Ok).collect(),
            errors: self.errors.into_iter().map(Item::Ok).collect(),
            user_preferences: self.user_preferences.into_iter().map(Item::Ok).collect(),
        })
    }
}

/// Reads `messages[]` straight into typed messages; any message that is not fully typed (unknown
/// type, malformed content) fails the fast path, and the change is read item by item instead.
fn typed_messages<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<InboundMessage>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<InboundMessage>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of messages")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(1));
            while let Some(m) = seq.next_element::<WireMessage>()? {
                match m.into_message() {
                    Ok(m) => out.push(m),
                    Err(_) => {
                        return Err(serde::de::Error::custom(
                            "message needs the item-by-item path",
                        ));
                    }
                }
            }
            Ok(out)
        }
    }
    d.deserialize_seq(V)
}

fn parse_messages(value: &str) -> MessagesValue {
    serde_json::from_str::<WireMessagesValue>(value)
        .ok()
        .and_then(WireMessagesValue::into_typed)
        .unwrap_or_else(|| parse_messages_item_by_item(value))
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

fn parse_messages_item_by_item(value: &str) -> MessagesValue {
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
        .and_then(|m| Metadata::deserialize(&m).ok());
    let contacts = items::<Contact>(map.remove("contacts"))
        .into_iter()
        .filter_map(|c| match c {
            Item::Ok(c) => Some(c),
            Item::Invalid { .. } => None,
        })
        .collect();
    let messages = match map.remove("messages") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|m| message_from_raw(&m.to_string()))
            .collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![message_from_raw(&other.to_string())],
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

impl Serialize for Payload {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw =
            RawValue::from_string(self.body.to_string()).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Payload {
    /// Reads a delivery through any serde deserializer. With serde_json on a byte slice, prefer
    /// [`Payload::from_slice`]: it avoids building a [`Value`] first.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        Payload::from_value(&value).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.body)
    }
}
