//! Tier 2, the one-pass read: serde reads the whole body in one typed pass, straight into the
//! model, and accepts it only when every change is a `messages` change and every message has a
//! known type with well-formed content. Anything else is an error, and the caller moves on to
//! the per-change read. This is the reference every faster tier is held to.

use super::wire::{
    WireInteractive, WireOrigin, WireSystem, WireUnsupported, interactive_reply, message_kind,
};
use crate::error::ErrorObject;
use crate::ids::GroupId;
use crate::webhook::fields::UserPreference;
use crate::webhook::lenient::{
    CowStr, MapOnly, MapSeed, U64Any, cow_any, opt_cow_any, opt_cow_str, opt_map, opt_u64_any,
    seq_into, seq_map, wrap_reader,
};
use crate::webhook::message::{
    ContactOrigin, ContactsContent, Edit, Identity, InboundMessage, MessageContent, MessageContext,
    Referral, TextContent, Unsupported,
};
use crate::webhook::payload::{Change, ChangeData, Contact, Entry, Item, MessagesValue, Metadata};
use crate::webhook::status::Status;
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// The serde one-pass read of a whole body, as `object` and entries (also the direct reader's
/// reference in its tests).
pub(crate) fn serde_one_pass(text: &str) -> Option<(Cow<'_, str>, Vec<Entry<'_>>)> {
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
    #[serde(default, deserialize_with = "opt_u64_any")]
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

/// The one-pass reading of a `messages` change's value (also what the per-change read tries
/// first on each such change).
#[derive(Deserialize)]
struct WireValue<'a> {
    #[serde(default, borrow, deserialize_with = "metadata")]
    metadata: Option<Metadata<'a>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "seq_map::<_, Contact<'a>, Contact<'a>>"
    )]
    contacts: Vec<Contact<'a>>,
    #[serde(default, borrow, deserialize_with = "typed_messages")]
    messages: Vec<InboundMessage<'a>>,
    #[serde(default, deserialize_with = "statuses")]
    statuses: Vec<Item<Status>>,
    #[serde(default, deserialize_with = "errors")]
    errors: Vec<Item<ErrorObject>>,
    #[serde(default, deserialize_with = "user_preferences")]
    user_preferences: Vec<Item<UserPreference>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for MessagesValue<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = WireValue::deserialize(d)?;
        Ok(MessagesValue {
            metadata: w.metadata,
            contacts: w.contacts,
            messages: w.messages,
            statuses: w.statuses,
            errors: w.errors,
            user_preferences: w.user_preferences,
            user_id_updates: Vec::new(),
            malformed: Vec::new(),
        })
    }
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

/// The fast path's reading of one message, straight into [`InboundMessage`]: only a message of a
/// known type with well-formed content is accepted; anything else (unknown or missing content, a
/// second content object, a duplicate key) is an error that sends the change to the item-by-item
/// path, where [`message_from_raw`](super::item_by_item::message_from_raw) keeps everything.
///
/// The message is pushed onto the vector as it is built, which saves moving it around.
pub(super) struct PushMessage<'v, 'a>(pub(super) &'v mut Vec<InboundMessage<'a>>);

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
    from_parent_user_id: Option<Option<Cow<'de, str>>>,
    context: Option<Option<Box<MessageContext>>>,
    referral: Option<Option<Box<Referral>>>,
    group_id: Option<Option<GroupId>>,
    errors: Option<Vec<ErrorObject>>,
    content: Option<(&'static str, MessageContent<'de>)>,
    interactive: Option<WireInteractive>,
    system: Option<WireSystem>,
    identity: Option<Identity>,
    unsupported: Option<WireUnsupported>,
    edit: Option<Edit<'de>>,
    origin: Option<Option<ContactOrigin>>,
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
        "from_parent_user_id" => set_once!(
            r.from_parent_user_id,
            "from_parent_user_id",
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
        "contacts" => set_once!(
            r.content,
            "contacts",
            (
                "contacts",
                MessageContent::Contacts(ContactsContent {
                    contacts: map.next_value()?,
                    origin: None,
                })
            )
        ),
        "origin" => set_once!(r.origin, "origin", map.next_value::<WireOrigin>()?.0),
        "revoke" => content!("revoke", Revoke),
        "edit" => set_once!(
            r.edit,
            "edit",
            map.next_value::<WireEdit<'de>>()?.into_edit()
        ),
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
            MessageContent::System(s.into_system(r.identity.take()))
        }
        "unsupported" => MessageContent::Unsupported(Unsupported {
            kind: r.unsupported.take().and_then(|u| u.kind),
        }),
        "request_welcome" => MessageContent::RequestWelcome,
        "edit" => MessageContent::Edit(r.edit.take().ok_or_else(slow)?),
        "contacts" => match r.content.take() {
            Some(("contacts", MessageContent::Contacts(mut c))) => {
                c.origin = r.origin.take().flatten();
                MessageContent::Contacts(c)
            }
            _ => return Err(slow()),
        },
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
        let content = content_of(&kind, text, rare.as_deref_mut())?;
        let (from_user_id, from_parent_user_id, context, referral, group_id, errors) = match rare {
            Some(r) => (
                r.from_user_id.flatten(),
                r.from_parent_user_id.flatten(),
                r.context.flatten(),
                r.referral.flatten(),
                r.group_id.flatten(),
                r.errors.unwrap_or_default(),
            ),
            None => (None, None, None, None, None, Vec::new()),
        };
        self.0.push(InboundMessage {
            id,
            from: from.flatten(),
            from_user_id,
            from_parent_user_id,
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

/// The content of a message (or of an edit's new message) from its `text` and rare fields.
#[inline]
fn content_of<'de, E: serde::de::Error>(
    kind: &str,
    text: Option<TextContent<'de>>,
    rare: Option<&mut RareFields<'de>>,
) -> Result<MessageContent<'de>, E> {
    Ok(match (kind, text, rare) {
        ("text", Some(t), _) => MessageContent::Text(t),
        (k, _, Some(r)) => rare_content(k, r)?,
        ("request_welcome", _, None) => MessageContent::RequestWelcome,
        ("unsupported", _, None) => MessageContent::Unsupported(Unsupported { kind: None }),
        _ => return Err(E::custom("message needs the item-by-item path")),
    })
}

/// An `edit` object: the original message's id and the new content, read like a message's.
#[derive(Deserialize)]
struct WireEdit<'a> {
    original_message_id: crate::ids::MessageId,
    #[serde(borrow)]
    message: EditedMessage<'a>,
}

impl<'a> WireEdit<'a> {
    fn into_edit(self) -> Edit<'a> {
        let m = self.message;
        Edit {
            original_message_id: self.original_message_id,
            kind: m.kind.into_owned(),
            context: m.context,
            content: Box::new(m.content),
        }
    }
}

/// The new message of an edit: a `type`, its content object and an optional `context`.
struct EditedMessage<'a> {
    kind: Cow<'static, str>,
    context: Option<MessageContext>,
    content: MessageContent<'a>,
}

impl<'de: 'a, 'a> Deserialize<'de> for EditedMessage<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EditedVisitor)
    }
}

struct EditedVisitor;

impl<'de> serde::de::Visitor<'de> for EditedVisitor {
    type Value = EditedMessage<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the edited message")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut kind = None;
        let mut text: Option<TextContent<'de>> = None;
        let mut rare = RareFields::default();
        while let Some(key) = map.next_key::<CowStr<'de>>()? {
            match &*key.0 {
                "type" => set_once!(kind, "type", map.next_value::<Kind>()?.0),
                "text" => set_once!(text, "text", map.next_value()?),
                other => rare_key(&mut map, other, &mut rare)?,
            }
        }
        let kind: Cow<'static, str> =
            kind.ok_or_else(|| <A::Error as serde::de::Error>::missing_field("type"))?;
        let content = content_of(&kind, text, Some(&mut rare))?;
        Ok(EditedMessage {
            kind,
            context: rare.context.flatten().map(|c| *c),
            content,
        })
    }
}
