//! Writing an inbound message back in Meta's shape.

use super::*;
use crate::webhook::lenient::u64_as_string;
use serde::Serialize;

/// Serializes an inbound message's typed content back to Meta's keys (used by tests and by users
/// who store messages); the payload itself serializes from the bytes it was parsed from.
impl Serialize for InboundMessage<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if let Some(raw) = kept_raw(&self.content) {
            return raw.serialize(s);
        }
        let mut m = s.serialize_map(None)?;
        if let Some(from) = &self.from {
            m.serialize_entry("from", from)?;
        }
        if let Some(u) = &self.from_user_id {
            m.serialize_entry("from_user_id", u)?;
        }
        if let Some(u) = &self.from_parent_user_id {
            m.serialize_entry("from_parent_user_id", u)?;
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
        content_entries(&mut m, &self.kind, &self.content)?;
        m.end()
    }
}

/// The message object kept as sent, for content that was not read.
fn kept_raw<'c>(content: &'c MessageContent<'_>) -> Option<&'c serde_json::Value> {
    match content {
        MessageContent::Unknown(UnknownContent { raw, .. })
        | MessageContent::Invalid(InvalidContent { raw, .. }) => Some(raw),
        _ => None,
    }
}

/// Writes a content's keys into its message's map: the `<type>` object and its siblings.
fn content_entries<M: serde::ser::SerializeMap>(
    m: &mut M,
    k: &str,
    content: &MessageContent<'_>,
) -> Result<(), M::Error> {
    match content {
        MessageContent::Text(t) => m.serialize_entry(k, t)?,
        MessageContent::Image(x)
        | MessageContent::Audio(x)
        | MessageContent::Video(x)
        | MessageContent::Document(x)
        | MessageContent::Sticker(x) => m.serialize_entry(k, x)?,
        MessageContent::Location(x) => m.serialize_entry(k, x)?,
        MessageContent::Contacts(x) => {
            m.serialize_entry(k, &x.contacts)?;
            if let Some(o) = &x.origin {
                m.serialize_entry("origin", o)?;
            }
        }
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
                o.insert("type".into(), serde_json::Value::String(kind.to_string()));
            }
            m.serialize_entry(k, &o)?;
        }
        MessageContent::Edit(x) => m.serialize_entry(k, &EditSer(x))?,
        MessageContent::Revoke(x) => m.serialize_entry(k, x)?,
        MessageContent::RequestWelcome
        | MessageContent::Unknown(_)
        | MessageContent::Invalid(_) => {}
    }
    Ok(())
}

/// An `edit` object: the original message's id and the new content as a message without its
/// common fields.
struct EditSer<'e, 'a>(&'e Edit<'a>);

impl Serialize for EditSer<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("original_message_id", &self.0.original_message_id)?;
        m.serialize_entry("message", &EditedSer(self.0))?;
        m.end()
    }
}

struct EditedSer<'e, 'a>(&'e Edit<'a>);

impl Serialize for EditedSer<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let x = self.0;
        if let Some(raw) = kept_raw(&x.content) {
            return raw.serialize(s);
        }
        let mut m = s.serialize_map(None)?;
        if let Some(c) = &x.context {
            m.serialize_entry("context", c)?;
        }
        m.serialize_entry("type", &x.kind)?;
        content_entries(&mut m, &x.kind, &x.content)?;
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
        for (key, id) in [
            ("user_id", &x.user_id),
            ("parent_user_id", &x.parent_user_id),
            ("previous_user_id", &x.previous_user_id),
            ("previous_parent_user_id", &x.previous_parent_user_id),
        ] {
            if let Some(id) = id {
                m.serialize_entry(key, id)?;
            }
        }
        m.serialize_entry("type", &x.kind)?;
        m.end()
    }
}
