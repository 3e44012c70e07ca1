//! Tier 4, the item-by-item read of one `messages` change, for a value the one-pass read refused:
//! the value as a `serde_json::Value`, then each part on its own. Nothing is dropped: a message
//! that does not read comes out with [`MessageContent::Unknown`] or [`MessageContent::Invalid`]
//! content, and a status, error, preference, `metadata` or contact that does not read is kept raw
//! with its error, as an invalid event.

use super::wire::{
    MessageProblem, WireInteractive, WireSystem, WireUnsupported, interactive_reply, message_kind,
    missing,
};
use crate::error::ErrorObject;
use crate::ids::GroupId;
use crate::webhook::lenient::{cow_str, opt_cow_any, opt_cow_str, u64_any};
use crate::webhook::message::{
    ButtonTap, Identity, InboundMedia, InboundMessage, InteractiveReply, InvalidContent, Location,
    MessageContent, MessageContext, Order, Reaction, Referral, SharedContact, System, SystemKind,
    TextContent, UnknownContent, Unsupported,
};
use crate::webhook::payload::{Contact, InvalidKind, Item, Malformed, MessagesValue, Metadata};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
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
    let metadata = match map.remove("metadata") {
        None | Some(Value::Null) => None,
        Some(raw) => kept(&mut malformed, InvalidKind::Metadata, raw, |m| {
            Metadata::deserialize(m).map(Metadata::into_owned)
        }),
    };
    let contacts = match map.remove("contacts") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|raw| {
                kept(&mut malformed, InvalidKind::Contact, raw, |c| {
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
        malformed,
    }
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
/// afterwards.
#[derive(Deserialize)]
struct WireMessage<'a> {
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

impl<'a> WireMessage<'a> {
    /// Turns the wire form into a typed message; `Err` when the content does not fit the type.
    fn into_message(mut self) -> Result<InboundMessage<'a>, Box<(MessageProblem, Self)>> {
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
pub(super) fn message_from_raw(raw: &str) -> InboundMessage<'_> {
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
