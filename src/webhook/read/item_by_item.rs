//! Tier 4, the item-by-item read of one `messages` change, for a value the one-pass read refused:
//! the value as a `serde_json::Value`, then each part on its own. Nothing is dropped: a message
//! that does not read comes out with [`MessageContent::Unknown`] or [`MessageContent::Invalid`]
//! content, and a status, error, preference, `metadata` or contact that does not read is kept raw
//! with its error, as an invalid event.

use super::wire::{
    MessageProblem, WireInteractive, WireOrigin, WireSystem, WireUnsupported, interactive_reply,
    message_kind, missing,
};
use crate::error::ErrorObject;
use crate::ids::GroupId;
use crate::ids::MessageId;
use crate::webhook::lenient::{opt_cow_any, opt_cow_str, opt_u64_any, u64_any};
use crate::webhook::message::{
    ButtonTap, ContactsContent, Edit, Identity, InboundMedia, InboundMessage, InteractiveReply,
    InvalidContent, Location, MessageContent, MessageContext, Order, Reaction, Referral, Revoke,
    SharedContact, TextContent, UnknownContent, Unsupported,
};
use crate::webhook::payload::{Contact, InvalidKind, Item, Malformed, MessagesValue, Metadata};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// Reads a `messages` value part by part; never fails, never drops a part.
pub(super) fn parse_messages_item_by_item(value: &str) -> MessagesValue<'static> {
    let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(value) else {
        return MessagesValue {
            errors: vec![Item::Invalid {
                error: "the value of a messages change must be an object".into(),
                raw: serde_json::from_str(value).unwrap_or(Value::Null),
            }],
            ..MessagesValue::default()
        };
    };
    let mut malformed = Vec::new();
    let (metadata, contacts) = metadata_and_contacts(&mut map, &mut malformed);
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
        user_id_updates: items(map.remove("user_id_update")),
        malformed,
    }
}

/// Takes and reads the `metadata` and `contacts` of a value in the `messages` layout; what does not
/// read is kept raw with its error in `malformed`.
pub(super) fn metadata_and_contacts(
    map: &mut serde_json::Map<String, Value>,
    malformed: &mut Vec<Malformed>,
) -> (Option<Metadata<'static>>, Vec<Contact<'static>>) {
    let metadata = match map.remove("metadata") {
        None | Some(Value::Null) => None,
        Some(raw) => kept(malformed, InvalidKind::Metadata, raw, |m| {
            Metadata::deserialize(m).map(Metadata::into_owned)
        }),
    };
    let contacts = match map.remove("contacts") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|raw| {
                kept(malformed, InvalidKind::Contact, raw, |c| {
                    Contact::deserialize(c).map(Contact::into_owned)
                })
            })
            .collect(),
        Some(other) => {
            malformed.push(Malformed {
                kind: InvalidKind::Contact,
                error: format!("`contacts` must be an array, found {}", kind_of(&other)),
                raw: other,
            });
            Vec::new()
        }
    };
    (metadata, contacts)
}

/// Reads `raw` with `read`; when that fails, keeps `raw` with the error in `malformed`.
fn kept<T>(
    malformed: &mut Vec<Malformed>,
    kind: InvalidKind,
    raw: Value,
    read: impl FnOnce(&Value) -> serde_json::Result<T>,
) -> Option<T> {
    match read(&raw) {
        Ok(t) => Some(t),
        Err(e) => {
            malformed.push(Malformed {
                kind,
                error: e.to_string(),
                raw,
            });
            None
        }
    }
}

/// Each element of a list read on its own; an element (or a list) that does not read is kept raw.
pub(super) fn items<T: DeserializeOwned>(v: Option<Value>) -> Vec<Item<T>> {
    items_with(v, |raw| T::deserialize(raw).map_err(|e| e.to_string()))
}

/// Like [`items`], each element read by `read`.
pub(super) fn items_with<T>(
    v: Option<Value>,
    read: impl Fn(&Value) -> Result<T, String>,
) -> Vec<Item<T>> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|raw| match read(&raw) {
                Ok(t) => Item::Ok(t),
                Err(error) => Item::Invalid { error, raw },
            })
            .collect(),
        Some(other) => vec![Item::Invalid {
            error: format!("expected an array, found {}", kind_of(&other)),
            raw: other,
        }],
    }
}

/// The JSON type of a value, for error messages.
pub(super) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A message's wire form: one flat struct read in a single pass; the content is picked by `type`
/// afterwards. An edit's new message has the same form without `id` and `timestamp`, which a
/// message must have ([`message_from_raw`] checks).
#[derive(Deserialize)]
struct WireMessage<'a> {
    #[serde(default, borrow, deserialize_with = "opt_cow_any")]
    from: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "opt_cow_str")]
    from_user_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "opt_cow_str")]
    from_parent_user_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "opt_cow_str")]
    id: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "opt_u64_any")]
    timestamp: Option<u64>,
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
    #[serde(default)]
    origin: WireOrigin,
    #[serde(default)]
    revoke: Option<Box<Revoke>>,
    #[serde(default, borrow)]
    edit: Option<Box<WireEdit<'a>>>,
}

/// An `edit` object; its new message is read on its own ([`edited_message`]), so that one it
/// cannot type is kept raw inside a typed edit.
#[derive(Deserialize)]
struct WireEdit<'a> {
    original_message_id: MessageId,
    #[serde(borrow)]
    message: &'a RawValue,
}

impl<'a> WireMessage<'a> {
    /// Turns the wire form into a typed message; `Err` when the content does not fit the type.
    fn into_message(mut self) -> Result<InboundMessage<'a>, Box<(MessageProblem, Self)>> {
        let content = match self.take_content() {
            Ok(c) => c,
            Err(p) => return Err(Box::new((p, self))),
        };
        Ok(InboundMessage {
            id: self.id.unwrap_or_default(),
            from: self.from,
            from_user_id: self.from_user_id,
            from_parent_user_id: self.from_parent_user_id,
            timestamp: self.timestamp.unwrap_or_default(),
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
            "contacts" => MessageContent::Contacts(ContactsContent {
                contacts: self.contacts.take().ok_or_else(|| missing(k))?,
                origin: self.origin.0.take(),
            }),
            "revoke" => MessageContent::Revoke(need(&mut self.revoke, k)?),
            "edit" => {
                let w = need(&mut self.edit, k)?;
                let (kind, context, content) = edited_message(w.message.get());
                MessageContent::Edit(Edit {
                    original_message_id: w.original_message_id,
                    kind: kind.into_owned(),
                    context,
                    content: Box::new(content),
                })
            }
            "button" => MessageContent::Button(need(&mut self.button, k)?),
            "reaction" => MessageContent::Reaction(need(&mut self.reaction, k)?),
            "order" => MessageContent::Order(need(&mut self.order, k)?),
            "interactive" => {
                let w = need(&mut self.interactive, k)?;
                MessageContent::Interactive(interactive_reply(w)?)
            }
            "system" => {
                let s = need(&mut self.system, k)?;
                MessageContent::System(s.into_system(self.identity.take().map(|b| *b)))
            }
            "unsupported" => MessageContent::Unsupported(Unsupported {
                kind: self.unsupported.take().and_then(|u| u.kind),
            }),
            "request_welcome" => MessageContent::RequestWelcome,
            _ => return Err(MessageProblem::UnknownType),
        })
    }
}

/// Salvages the common fields of a message whose typed read failed.
#[derive(Deserialize, Default)]
struct LooseCommon {
    #[serde(default)]
    from: Option<serde_json::Value>,
    #[serde(default)]
    from_user_id: Option<serde_json::Value>,
    #[serde(default)]
    from_parent_user_id: Option<serde_json::Value>,
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
pub(super) fn message_from_raw(raw: &str) -> InboundMessage<'_> {
    let wire = match serde_json::from_str::<WireMessage>(raw) {
        Ok(w) if w.id.is_none() => return invalid_message(raw, "missing field `id`".into()),
        Ok(w) if w.timestamp.is_none() => {
            return invalid_message(raw, "missing field `timestamp`".into());
        }
        Ok(w) => w,
        Err(e) => return invalid_message(raw, e.to_string()),
    };
    match wire.into_message() {
        Ok(m) => m,
        Err(failed) => {
            let (problem, wire) = *failed;
            InboundMessage {
                content: kept_content(problem, &wire.kind, raw),
                id: wire.id.unwrap_or_default(),
                from: wire.from,
                from_user_id: wire.from_user_id,
                from_parent_user_id: wire.from_parent_user_id,
                timestamp: wire.timestamp.unwrap_or_default(),
                kind: wire.kind,
                context: wire.context,
                referral: wire.referral,
                group_id: wire.group_id,
                errors: wire.errors,
            }
        }
    }
}

/// The content of a message whose `type` is unknown or whose content did not read, kept raw.
fn kept_content(problem: MessageProblem, kind: &str, raw: &str) -> MessageContent<'static> {
    let value = serde_json::from_str(raw).unwrap_or(Value::Null);
    match problem {
        MessageProblem::UnknownType => MessageContent::Unknown(UnknownContent {
            kind: kind.to_owned(),
            raw: value,
        }),
        MessageProblem::UnknownInteractive(kind) => {
            let raw = value.get("interactive").cloned().unwrap_or_default();
            MessageContent::Interactive(InteractiveReply::Unknown { kind, raw })
        }
        MessageProblem::Invalid(error) => MessageContent::Invalid(InvalidContent {
            kind: Some(kind.to_owned()),
            error,
            raw: value,
        }),
    }
}

/// The new message of an edit (its `type`, `context` and content), read like a message; content
/// that does not read is kept raw as [`MessageContent::Unknown`] or [`MessageContent::Invalid`].
fn edited_message(
    raw: &str,
) -> (
    Cow<'static, str>,
    Option<MessageContext>,
    MessageContent<'_>,
) {
    match serde_json::from_str::<WireMessage>(raw) {
        Ok(mut wire) => {
            let content = wire
                .take_content()
                .unwrap_or_else(|p| kept_content(p, &wire.kind, raw));
            (wire.kind, wire.context.map(|c| *c), content)
        }
        Err(e) => {
            let value: Value = serde_json::from_str(raw).unwrap_or(Value::Null);
            let kind = value.get("type").and_then(Value::as_str).map(str::to_owned);
            let error = format!("the edited message does not read: {e}");
            let content = MessageContent::Invalid(InvalidContent {
                kind: kind.clone(),
                error,
                raw: value,
            });
            (Cow::Owned(kind.unwrap_or_default()), None, content)
        }
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
        from_parent_user_id: value_str(&loose.from_parent_user_id).map(Cow::Owned),
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
