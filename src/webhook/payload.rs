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
use serde::ser::{SerializeMap, SerializeSeq};
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
/// Parse it with [`Payload::from_slice`] (or `serde_json::from_slice`), then walk
/// [`Payload::events`]. Serializing it writes Meta's JSON again: each change's value is kept as the
/// exact text Meta sent, so nothing is lost, not even fields this version does not model.
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
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    pub(crate) object: String,
    pub(crate) entries: Vec<Entry>,
    pub(crate) extra: Vec<(String, Value)>,
}

/// One `entry[]`: the changes of one WhatsApp Business Account.
#[derive(Debug, Clone)]
pub struct Entry {
    pub(crate) id: WabaId,
    pub(crate) time: Option<u64>,
    pub(crate) id_raw: Option<Box<RawValue>>,
    pub(crate) time_raw: Option<Box<RawValue>>,
    pub(crate) changes: Vec<Change>,
    pub(crate) extra: Vec<(String, Value)>,
    /// The entry as sent, when it was not an object of the expected shape.
    pub(crate) invalid: Option<Value>,
}

/// One `changes[]`: a `field` name and its value.
#[derive(Debug, Clone)]
pub struct Change {
    pub(crate) field: String,
    pub(crate) value: Box<RawValue>,
    pub(crate) data: ChangeData,
    pub(crate) extra: Vec<(String, Value)>,
    /// The change as sent, when it was not `{"field": "...", "value": ...}`.
    pub(crate) invalid: Option<Value>,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        let raw = |r: &Option<Box<RawValue>>| r.as_ref().map(|r| r.get().to_owned());
        self.id == other.id
            && self.time == other.time
            && raw(&self.id_raw) == raw(&other.id_raw)
            && raw(&self.time_raw) == raw(&other.time_raw)
            && self.changes == other.changes
            && self.extra == other.extra
            && self.invalid == other.invalid
    }
}

impl PartialEq for Change {
    fn eq(&self, other: &Self) -> bool {
        self.field == other.field
            && self.value.get() == other.value.get()
            && self.extra == other.extra
            && self.invalid == other.invalid
    }
}

/// The typed reading of a change's value.
#[derive(Debug, Clone)]
pub(crate) enum ChangeData {
    Messages(Box<MessagesValue>),
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
    /// # Errors
    /// Only when the body is not a webhook envelope: invalid JSON, or no `entry` array. Anything
    /// unexpected inside a valid envelope becomes an event instead.
    pub fn from_slice(body: &[u8]) -> Result<Self, PayloadError> {
        match serde_json::from_slice::<WireEnvelope>(body) {
            Ok(w) => Ok(w.into_payload()),
            Err(_) => {
                let value: Value = serde_json::from_slice(body)
                    .map_err(|e| PayloadError::InvalidJson(e.to_string()))?;
                Self::from_json_value(value)
            }
        }
    }

    /// Parses a delivery from a string.
    ///
    /// # Errors
    /// As [`Payload::from_slice`].
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(body: &str) -> Result<Self, PayloadError> {
        Self::from_slice(body.as_bytes())
    }

    /// Parses a delivery already read as a [`serde_json::Value`].
    ///
    /// # Errors
    /// When the value is not a webhook envelope.
    pub fn from_value(value: Value) -> Result<Self, PayloadError> {
        Self::from_json_value(value)
    }

    /// The `object` field (`whatsapp_business_account`).
    pub fn object(&self) -> &str {
        &self.object
    }

    /// The entries, in order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Every event of the delivery, in order: per change, messages, then statuses, then errors and
    /// preferences; one event per non-message change.
    pub fn events(&self) -> impl Iterator<Item = super::Event<'_>> + '_ {
        self.entries.iter().flat_map(|e| {
            e.changes
                .iter()
                .flat_map(move |c| super::events::of_change(e, c))
        })
    }

    fn from_json_value(value: Value) -> Result<Self, PayloadError> {
        let Value::Object(map) = value else {
            return Err(PayloadError::NotAnEnvelope(format!(
                "expected a JSON object, found {}",
                kind_of(&value)
            )));
        };
        let mut object = None;
        let mut entries = None;
        let mut extra = Vec::new();
        for (k, v) in map {
            match k.as_str() {
                "object" if v.is_string() => object = v.as_str().map(str::to_owned),
                "entry" => match v {
                    Value::Array(items) => {
                        entries = Some(items.into_iter().map(Entry::from_value).collect())
                    }
                    other => {
                        return Err(PayloadError::NotAnEnvelope(format!(
                            "`entry` must be an array, found {}",
                            kind_of(&other)
                        )));
                    }
                },
                _ => extra.push((k, v)),
            }
        }
        let Some(entries) = entries else {
            return Err(PayloadError::NotAnEnvelope(
                "no `entry` array (expected {\"object\": ..., \"entry\": [...]})".into(),
            ));
        };
        Ok(Payload {
            object: object.unwrap_or_default(),
            entries,
            extra,
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

impl std::str::FromStr for Payload {
    type Err = PayloadError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Payload::from_slice(s.as_bytes())
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
        let Value::Object(map) = value else {
            return Entry {
                id: WabaId::new(""),
                time: None,
                id_raw: None,
                time_raw: None,
                changes: vec![Change::malformed(
                    value.clone(),
                    "an entry must be an object",
                )],
                extra: Vec::new(),
                invalid: Some(value),
            };
        };
        let whole = Value::Object(map.clone());
        let mut entry = Entry {
            id: WabaId::new(""),
            time: None,
            id_raw: None,
            time_raw: None,
            changes: Vec::new(),
            extra: Vec::new(),
            invalid: None,
        };
        let mut changes_ok = true;
        for (k, v) in map {
            match k.as_str() {
                "id" => {
                    entry.id = WabaId::new(match &v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    });
                    entry.id_raw = serde_json::value::to_raw_value(&v).ok();
                }
                "time" => {
                    entry.time = u64_any(v.clone()).ok();
                    entry.time_raw = serde_json::value::to_raw_value(&v).ok();
                }
                "changes" => match v {
                    Value::Array(items) => {
                        entry.changes = items.into_iter().map(Change::from_value).collect()
                    }
                    _ => changes_ok = false,
                },
                _ => entry.extra.push((k, v)),
            }
        }
        if !changes_ok {
            entry.changes = vec![Change::malformed(
                whole.clone(),
                "`changes` must be an array",
            )];
            entry.invalid = Some(whole);
        }
        entry
    }
}

impl Change {
    /// The `field` name, such as `messages` or `message_template_status_update`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The change's `value` exactly as Meta sent it.
    pub fn raw_value(&self) -> &RawValue {
        &self.value
    }

    fn new(field: String, value: Box<RawValue>) -> Change {
        let data = ChangeData::parse(&field, value.get());
        Change {
            field,
            value,
            data,
            extra: Vec::new(),
            invalid: None,
        }
    }

    /// A change standing for something unreadable, kept raw with the reason.
    fn malformed(value: Value, why: &str) -> Change {
        Change {
            field: String::new(),
            value: null_raw(),
            data: ChangeData::Invalid(why.to_owned()),
            extra: Vec::new(),
            invalid: Some(value),
        }
    }

    fn from_value(value: Value) -> Change {
        let bad = Change::malformed;
        let Value::Object(mut map) = value else {
            return bad(value, "a change must be an object");
        };
        let field = match map.get("field") {
            Some(Value::String(s)) => s.clone(),
            _ => return bad(Value::Object(map), "a change needs a string `field`"),
        };
        let Some(v) = map.remove("value") else {
            return bad(Value::Object(map), "a change needs a `value`");
        };
        let Ok(raw) = serde_json::value::to_raw_value(&v) else {
            return bad(Value::Object(map), "unreadable `value`");
        };
        let mut change = Change::new(field, raw);
        change.extra = map.into_iter().filter(|(k, _)| k != "field").collect();
        change
    }
}

fn null_raw() -> Box<RawValue> {
    RawValue::from_string("null".to_owned()).unwrap_or_else(|_| unreachable_raw())
}

#[cold]
fn unreachable_raw() -> Box<RawValue> {
    // `null` is always valid JSON; this path is never taken.
    serde_json::value::to_raw_value(&Value::Null).unwrap_or_else(|_| Box::default())
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
            "messages" | "user_preferences" => {
                ChangeData::Messages(Box::new(parse_messages(value)))
            }
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
// Fast path: the whole body in one typed pass.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireEnvelope {
    object: String,
    entry: Vec<WireEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireEntry {
    id: Box<RawValue>,
    #[serde(default)]
    time: Option<Box<RawValue>>,
    changes: Vec<WireChange>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireChange {
    field: String,
    value: Box<RawValue>,
}

impl WireEnvelope {
    fn into_payload(self) -> Payload {
        Payload {
            object: self.object,
            entries: self
                .entry
                .into_iter()
                .map(|e| {
                    let id = match serde_json::from_str::<Value>(e.id.get()) {
                        Ok(Value::String(s)) => s,
                        _ => e.id.get().to_owned(),
                    };
                    Entry {
                        id: WabaId::new(id),
                        time: e.time.as_ref().and_then(|t| {
                            u64_any(&mut serde_json::Deserializer::from_str(t.get())).ok()
                        }),
                        id_raw: Some(e.id),
                        time_raw: e.time,
                        changes: e
                            .changes
                            .into_iter()
                            .map(|c| Change::new(c.field, c.value))
                            .collect(),
                        extra: Vec::new(),
                        invalid: None,
                    }
                })
                .collect(),
            extra: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
struct WireMessagesValue {
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(default)]
    contacts: Vec<Contact>,
    #[serde(default)]
    messages: Vec<WireMessage>,
    #[serde(default)]
    statuses: Vec<Status>,
    #[serde(default)]
    errors: Vec<ErrorObject>,
    #[serde(default)]
    user_preferences: Vec<UserPreference>,
}

fn parse_messages(value: &str) -> MessagesValue {
    if let Ok(w) = serde_json::from_str::<WireMessagesValue>(value) {
        let mut messages = Vec::with_capacity(w.messages.len());
        let mut all_typed = true;
        for m in w.messages {
            match m.into_message() {
                Ok(m) => messages.push(m),
                Err(_) => {
                    all_typed = false;
                    break;
                }
            }
        }
        if all_typed {
            return MessagesValue {
                metadata: w.metadata,
                contacts: w.contacts,
                messages,
                statuses: w.statuses.into_iter().map(Item::Ok).collect(),
                errors: w.errors.into_iter().map(Item::Ok).collect(),
                user_preferences: w.user_preferences.into_iter().map(Item::Ok).collect(),
            };
        }
    }
    parse_messages_item_by_item(value)
}

// ---------------------------------------------------------------------------------------------
// Fallback: item by item, so one bad item costs nothing else.

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
// Serialization: Meta's shape, from the text each change was read from.

impl Serialize for Payload {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("object", &self.object)?;
        m.serialize_entry("entry", &self.entries)?;
        for (k, v) in &self.extra {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if let Some(raw) = &self.invalid {
            return raw.serialize(s);
        }
        let mut m = s.serialize_map(None)?;
        match &self.id_raw {
            Some(raw) => m.serialize_entry("id", raw)?,
            None => m.serialize_entry("id", &self.id)?,
        }
        if let Some(t) = &self.time_raw {
            m.serialize_entry("time", t)?;
        }
        m.serialize_entry("changes", &ChangesSer(&self.changes))?;
        for (k, v) in &self.extra {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

struct ChangesSer<'a>(&'a [Change]);

impl Serialize for ChangesSer<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for c in self.0 {
            seq.serialize_element(c)?;
        }
        seq.end()
    }
}

impl Serialize for Change {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if let Some(raw) = &self.invalid {
            return raw.serialize(s);
        }
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("value", &self.value)?;
        m.serialize_entry("field", &self.field)?;
        for (k, v) in &self.extra {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Payload {
    /// Reads a delivery through any serde deserializer (through [`Value`], so prefer
    /// [`Payload::from_slice`] on raw bytes: it is faster).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        Payload::from_json_value(value).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.value.get())
    }
}
