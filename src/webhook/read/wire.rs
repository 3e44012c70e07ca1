//! The wire forms a message is read through, shared by the one-pass and item-by-item readers:
//! the message `type`, and the `interactive`, `system` and `unsupported` objects before they
//! become typed content.

use crate::ids::UserId;
use crate::webhook::message::{
    ButtonReply, CallPermissionReply, ContactOrigin, FlowReply, Identity, InteractiveReply,
    ListReply, System, SystemKind, UnsupportedKind,
};
use serde::Deserialize;
use std::borrow::Cow;

#[derive(Deserialize)]
pub(super) struct WireSystem {
    #[serde(default)]
    pub(super) body: Option<String>,
    #[serde(rename = "type", default)]
    pub(super) kind: Option<SystemKind>,
    #[serde(default)]
    pub(super) wa_id: Option<String>,
    #[serde(default)]
    pub(super) new_wa_id: Option<String>,
    #[serde(default)]
    pub(super) customer: Option<String>,
    #[serde(default)]
    pub(super) user_id: Option<UserId>,
    #[serde(default)]
    pub(super) parent_user_id: Option<UserId>,
    #[serde(default)]
    pub(super) previous_user_id: Option<UserId>,
    #[serde(default)]
    pub(super) previous_parent_user_id: Option<UserId>,
}

impl WireSystem {
    /// The typed `system` content, with the message's sibling `identity` object.
    pub(super) fn into_system(self, identity: Option<Identity>) -> System {
        System {
            kind: self
                .kind
                .unwrap_or_else(|| SystemKind::Unknown(String::new())),
            body: self.body,
            new_wa_id: self.wa_id.or(self.new_wa_id),
            customer: self.customer,
            user_id: self.user_id,
            parent_user_id: self.parent_user_id,
            previous_user_id: self.previous_user_id,
            previous_parent_user_id: self.previous_parent_user_id,
            identity,
        }
    }
}

#[derive(Deserialize)]
pub(super) struct WireUnsupported {
    #[serde(rename = "type", default)]
    pub(super) kind: Option<UnsupportedKind>,
}

#[derive(Deserialize)]
pub(super) struct WireInteractive {
    #[serde(rename = "type")]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) button_reply: Option<ButtonReply>,
    #[serde(default)]
    pub(super) list_reply: Option<ListReply>,
    #[serde(default)]
    pub(super) nfm_reply: Option<FlowReply>,
    #[serde(default)]
    pub(super) call_permission_reply: Option<CallPermissionReply>,
}

/// The message-level `origin` of a contacts reply. Any other value is ignored, as an unknown key
/// would be: the key is read on every message type, and a shape Meta may give it elsewhere must
/// not make a message unreadable.
#[derive(Default)]
pub(super) struct WireOrigin(pub(super) Option<ContactOrigin>);

impl<'de> Deserialize<'de> for WireOrigin {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{IgnoredAny, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireOrigin;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an origin")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<WireOrigin, E> {
                Ok(WireOrigin(Some(ContactOrigin::parse(v))))
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<WireOrigin, E> {
                Ok(WireOrigin(None))
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<WireOrigin, E> {
                Ok(WireOrigin(None))
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<WireOrigin, E> {
                Ok(WireOrigin(None))
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<WireOrigin, E> {
                Ok(WireOrigin(None))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<WireOrigin, E> {
                Ok(WireOrigin(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, s: A) -> Result<WireOrigin, A::Error> {
                IgnoredAny.visit_seq(s).map(|_| WireOrigin(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> Result<WireOrigin, A::Error> {
                IgnoredAny.visit_map(m).map(|_| WireOrigin(None))
            }
        }
        d.deserialize_any(V)
    }
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
    "edit",
    "revoke",
];

pub(super) fn message_kind<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Cow<'static, str>, D::Error> {
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
pub(super) fn known_kind(v: Cow<'_, str>) -> Cow<'static, str> {
    match KNOWN_KINDS.iter().find(|k| **k == v) {
        Some(k) => Cow::Borrowed(k),
        None => Cow::Owned(v.into_owned()),
    }
}

/// Why the typed read of a message failed, or that its type is not modelled.
pub(super) enum MessageProblem {
    /// The type is not one we model.
    UnknownType,
    /// The content of a known type is missing or malformed.
    Invalid(String),
    /// An interactive reply of a type we do not model.
    UnknownInteractive(String),
}

pub(super) fn missing(kind: &str) -> MessageProblem {
    MessageProblem::Invalid(format!("message of type `{kind}` has no `{kind}` object"))
}

pub(super) fn interactive_reply(w: WireInteractive) -> Result<InteractiveReply, MessageProblem> {
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
