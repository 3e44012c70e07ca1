//! The webhook envelope: entries, changes, and the typed value of each change (the model, which
//! [`Payload::from_slice`] reads).

use super::fields::{
    AccountAlert, AccountReviewUpdate, AccountUpdate, AutomaticEvent, BusinessCapabilityUpdate,
    BusinessUsernameUpdate, FlowUpdate, PartnerSolutionUpdate, PhoneNumberNameUpdate,
    PhoneNumberQualityUpdate, SecurityUpdate, TemplateCategoryUpdate, TemplateComponentsUpdate,
    TemplateQualityUpdate, TemplateStatusUpdate, UserPreference,
};
use super::id_update::UserIdUpdate;
use super::item_lists::ListedValue;
use super::lenient::{cow_any, opt_cow_any, opt_cow_str, opt_map, own, own_opt};
use super::message::InboundMessage;
use super::status::Status;
use crate::error::ErrorObject;
use crate::ids::{PhoneNumberId, UserId, WabaId};
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
    /// Calls, echoes, state sync, history and group fields: lists of items.
    Listed(Box<ListedValue>),
    // Account, template, phone number, Flows and ad fields (webhook/fields/).
    AccountAlert(Box<AccountAlert>),
    AccountReview(Box<AccountReviewUpdate>),
    BusinessCapability(Box<BusinessCapabilityUpdate>),
    PartnerSolution(Box<PartnerSolutionUpdate>),
    TemplateComponents(Box<TemplateComponentsUpdate>),
    PhoneNumberName(Box<PhoneNumberNameUpdate>),
    Security(Box<SecurityUpdate>),
    /// `payment_configuration_update` (Payments API).
    PaymentConfiguration(Box<super::payments::PaymentConfiguration>),
    BusinessUsername(Box<BusinessUsernameUpdate>),
    Flow(Box<FlowUpdate>),
    /// `automatic_events[]`, each item read on its own.
    AutomaticEvents(Box<AutomaticEventsValue>),
    Unknown,
    Invalid(String),
}

/// The value of an `automatic_events` change: the business number and each item, read on its own.
#[derive(Debug, Clone)]
pub(crate) struct AutomaticEventsValue {
    /// `metadata`, when it reads (the value stays available raw either way).
    pub(crate) metadata: Option<Metadata<'static>>,
    pub(crate) items: Vec<Item<AutomaticEvent>>,
}

/// An item that failed to parse, kept raw with its error.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item<T> {
    Ok(T),
    Invalid { error: String, raw: Value },
}

impl<T> From<T> for Item<T> {
    fn from(t: T) -> Self {
        Item::Ok(t)
    }
}

/// The value of a `messages` (or `user_preferences`, or legacy `user_id_update`) change.
///
/// The one-pass read fills it only when every message is fully typed; otherwise the change is
/// read item by item, and whatever could not be read is kept raw with its error.
#[derive(Debug, Clone, Default)]
pub(crate) struct MessagesValue<'a> {
    pub(crate) metadata: Option<Metadata<'a>>,
    pub(crate) contacts: Vec<Contact<'a>>,
    pub(crate) messages: Vec<InboundMessage<'a>>,
    pub(crate) statuses: Vec<Item<Status>>,
    pub(crate) errors: Vec<Item<ErrorObject>>,
    pub(crate) user_preferences: Vec<Item<UserPreference>>,
    /// `user_id_update[]` (the legacy field of that name only; read item by item).
    pub(crate) user_id_updates: Vec<Item<UserIdUpdate>>,
    /// A `metadata` or contact that could not be read (only from the item-by-item read).
    pub(crate) malformed: Vec<Malformed>,
}

/// A part of a change's value other than an item list that could not be read, kept raw with its
/// error: a malformed `metadata` or `contacts[]` entry.
#[derive(Debug, Clone)]
pub(crate) struct Malformed {
    pub(crate) kind: InvalidKind,
    pub(crate) error: String,
    pub(crate) raw: Value,
}

/// What kind of item an [`InvalidEvent`](super::InvalidEvent) was meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidKind {
    /// An entry or change of the envelope.
    Envelope,
    /// A status.
    Status,
    /// A value-level error.
    Error,
    /// A user preference.
    UserPreference,
    /// The value of a typed field (template status, account update, …), or one item of a field
    /// whose value is a list (`automatic_events[]`).
    FieldValue,
    /// The `metadata` of a `messages` change (the business number).
    Metadata,
    /// A `contacts[]` entry of a `messages` change (a sender's profile).
    Contact,
    /// An entry of the legacy `user_id_update` field.
    UserIdUpdate,
    /// An item of a listed field: a call or call status, an echo, a state-sync item, a history
    /// chunk or thread, a group update (the field is [`EventContext::field`](super::EventContext::field)).
    FieldItem,
}

impl MessagesValue<'_> {
    pub(crate) fn into_owned(self) -> MessagesValue<'static> {
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
            user_id_updates: self.user_id_updates,
            malformed: self.malformed,
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
        self.user_id_str().map(UserId::new)
    }

    /// The BSUID as sent, unless absent or empty.
    pub fn user_id_str(&self) -> Option<&str> {
        self.user_id.as_deref().filter(|u| !u.is_empty())
    }

    /// The parent BSUID as sent, unless absent or empty.
    pub fn parent_user_id_str(&self) -> Option<&str> {
        self.parent_user_id.as_deref().filter(|u| !u.is_empty())
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

    /// The same payload, owning its body and strings: to store it or send it to another task.
    pub fn into_owned(self) -> Payload<'static> {
        Payload {
            body: own(self.body),
            object: own(self.object),
            entries: self.entries.into_iter().map(Entry::into_owned).collect(),
        }
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
}

impl ChangeData<'_> {
    pub(crate) fn into_owned(self) -> ChangeData<'static> {
        match self {
            ChangeData::Messages(v) => ChangeData::Messages(v.into_owned()),
            ChangeData::TemplateStatus(u) => ChangeData::TemplateStatus(u),
            ChangeData::TemplateQuality(u) => ChangeData::TemplateQuality(u),
            ChangeData::TemplateCategory(u) => ChangeData::TemplateCategory(u),
            ChangeData::AccountUpdate(u) => ChangeData::AccountUpdate(u),
            ChangeData::PhoneNumberQuality(u) => ChangeData::PhoneNumberQuality(u),
            ChangeData::Listed(v) => ChangeData::Listed(v),
            ChangeData::AccountAlert(u) => ChangeData::AccountAlert(u),
            ChangeData::AccountReview(u) => ChangeData::AccountReview(u),
            ChangeData::BusinessCapability(u) => ChangeData::BusinessCapability(u),
            ChangeData::PartnerSolution(u) => ChangeData::PartnerSolution(u),
            ChangeData::TemplateComponents(u) => ChangeData::TemplateComponents(u),
            ChangeData::PhoneNumberName(u) => ChangeData::PhoneNumberName(u),
            ChangeData::Security(u) => ChangeData::Security(u),
            ChangeData::PaymentConfiguration(u) => ChangeData::PaymentConfiguration(u),
            ChangeData::BusinessUsername(u) => ChangeData::BusinessUsername(u),
            ChangeData::Flow(u) => ChangeData::Flow(u),
            ChangeData::AutomaticEvents(v) => ChangeData::AutomaticEvents(v),
            ChangeData::Unknown => ChangeData::Unknown,
            ChangeData::Invalid(e) => ChangeData::Invalid(e),
        }
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

impl fmt::Display for Payload<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.body)
    }
}
