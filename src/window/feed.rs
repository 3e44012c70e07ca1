//! Reading windows, opt-outs and dedup keys off webhook events.

use super::UserKey;
use crate::webhook::{
    Category, Event, MessageContent, MessageEvent, PricingType, Referral, StatusEvent, StatusKind,
};
use serde_json::Value;

/// The sender of an inbound message: BSUID and phone number as far as known.
pub(crate) fn sender(m: &MessageEvent<'_>) -> Option<UserKey> {
    let phone = m
        .from()
        .or_else(|| m.contact().and_then(|c| c.wa_id.as_deref()));
    UserKey::from_parts(m.user_id(), phone)
}

/// The recipient of a status; `None` for group messages.
pub(crate) fn recipient(s: &StatusEvent<'_>) -> Option<UserKey> {
    if s.update().is_group() {
        return None;
    }
    UserKey::from_recipient(&s.update().recipient())
}

/// True for a message the user wrote in a one-to-one chat: delivered in a `messages` change (not an
/// echo of the business's own messages), not a group message, not a system notice (number or
/// identity change), not an unreadable item without a timestamp.
pub(crate) fn is_user_message(m: &MessageEvent<'_>) -> bool {
    m.context().field() == "messages"
        && m.message().group_id().is_none()
        && m.timestamp() != 0
        && !matches!(m.content(), MessageContent::System(_))
}

/// A Click-to-WhatsApp ad referral: `source_type: ad`, or a `ctwa_clid`.
pub(crate) fn is_entry_point(referral: &Referral) -> bool {
    referral
        .source_type
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case("ad"))
        || referral.ctwa_clid.as_deref().is_some_and(|c| !c.is_empty())
}

/// True for a status saying a message of the business went out (anything but `failed`).
pub(crate) fn is_sent(s: &StatusEvent<'_>) -> bool {
    matches!(
        s.status(),
        StatusKind::Sent | StatusKind::Delivered | StatusKind::Read | StatusKind::Played
    )
}

/// The end of a free-entry-point window reported by a status: its conversation's expiration, when
/// the status is priced `free_entry_point` or its conversation began as a `referral_conversion`.
pub(crate) fn reported_free_entry_point_end(s: &StatusEvent<'_>) -> Option<u64> {
    let conversation = s.update().conversation.as_ref()?;
    let free_entry = s
        .update()
        .pricing
        .as_ref()
        .is_some_and(|p| p.kind == Some(PricingType::FreeEntryPoint))
        || conversation
            .origin
            .as_ref()
            .is_some_and(|o| o.kind == Category::ReferralConversion);
    if free_entry {
        conversation.expiration_timestamp
    } else {
        None
    }
}

/// User-initiated calls of a `calls` change (not modelled by the webhook types): who called, when.
pub(crate) fn user_calls(event: &Event<'_>) -> Vec<(UserKey, u64)> {
    let Event::Unknown(change) = event else {
        return Vec::new();
    };
    if change.field() != "calls" {
        return Vec::new();
    }
    let Ok(value) = serde_json::from_str::<Value>(change.raw().get()) else {
        return Vec::new();
    };
    let contacts = value
        .get("contacts")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let calls = value
        .get("calls")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    calls
        .iter()
        .filter(|c| {
            str_field(c, "direction").is_some_and(|d| d.eq_ignore_ascii_case("user_initiated"))
        })
        .filter_map(|c| {
            // The call starts the window: `connect` arrives when it rings; a `terminate` whose
            // `connect` was lost still tells when it started.
            let at = match str_field(c, "event") {
                Some(e) if e.eq_ignore_ascii_case("connect") => u64_field(c, "timestamp")?,
                Some(e) if e.eq_ignore_ascii_case("terminate") => u64_field(c, "start_time")?,
                _ => return None,
            };
            let from = str_field(c, "from");
            let user_id = str_field(c, "from_user_id").or_else(|| {
                // The caller's contact entry carries the BSUID.
                let contact = contacts
                    .iter()
                    .find(|k| from.is_some() && str_field(k, "wa_id") == from)
                    .or(match contacts {
                        [only] => Some(only),
                        _ => None,
                    })?;
                str_field(contact, "user_id")
            });
            Some((UserKey::from_parts(user_id, from)?, at))
        })
        .collect()
}

fn str_field<'v>(v: &'v Value, name: &str) -> Option<&'v str> {
    v.get(name).and_then(Value::as_str)
}

fn u64_field(v: &Value, name: &str) -> Option<u64> {
    match v.get(name)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
