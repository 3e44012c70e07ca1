//! Reading window and opt-out facts off webhook events: the shared, pure part of
//! [`super::WindowTracker::observe`] and [`super::OptOutStore::observe`].

use super::identity::{EventUser, IdChange};
use super::key::UserKey;
use super::opt_out::{Intent, Keywords, MARKETING_OPT_OUT_ERROR, Source};
use crate::webhook::{
    Category, Event, MessageContent, MessageEvent, PreferenceValue, PricingType, Referral,
    StatusEvent, StatusKind,
};
use serde_json::Value;

/// One fact for a window tracker, read off an event: who, what, when (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WindowFact {
    /// An inbound message or user-initiated call.
    Inbound(UserKey, u64),
    /// An inbound message from a Click-to-WhatsApp ad.
    EntryPoint(UserKey, u64),
    /// A message the business sent.
    Outbound(UserKey, u64),
    /// The end of a free-entry-point window as Meta reported it.
    FreeEntryPointUntil(UserKey, u64),
    /// The user changed phone number or BSUID: the first key's facts now belong to the second.
    Renamed(UserKey, UserKey),
}

/// The window facts of one event (see [`super::WindowTracker::observe`] for the rules).
pub(crate) fn window_facts(event: &Event<'_>) -> Vec<WindowFact> {
    if let Some(change) = IdChange::of_event(event) {
        return vec![WindowFact::Renamed(change.before, change.after)];
    }
    match event {
        Event::Message(m) if is_user_message(m) => {
            let Some(user) = sender(m) else {
                return Vec::new();
            };
            if m.referral().is_some_and(is_entry_point) {
                vec![WindowFact::EntryPoint(user, m.timestamp())]
            } else {
                vec![WindowFact::Inbound(user, m.timestamp())]
            }
        }
        Event::Status(s) if is_sent(s) => {
            let Some(user) = recipient(s) else {
                return Vec::new();
            };
            let until = reported_free_entry_point_end(s)
                .map(|closes_at| WindowFact::FreeEntryPointUntil(user.clone(), closes_at));
            std::iter::once(WindowFact::Outbound(user, s.timestamp()))
                .chain(until)
                .collect()
        }
        Event::Unknown(_) => user_calls(event)
            .into_iter()
            .map(|(user, at)| WindowFact::Inbound(user, at))
            .collect(),
        _ => Vec::new(),
    }
}

/// An opt-out or resume read off an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OptOutChange {
    pub(crate) user: UserKey,
    pub(crate) intent: Intent,
    pub(crate) source: Source,
    pub(crate) at: u64,
}

/// The opt-out change of one event, if any (see [`super::OptOutStore::observe`] for the rules).
pub(crate) fn opt_out_change(event: &Event<'_>, keywords: &Keywords) -> Option<OptOutChange> {
    let (user, intent, source, at) = match event {
        Event::Message(m) if is_user_message(m) => {
            let text = match m.content() {
                MessageContent::Text(t) => t.body.as_ref(),
                MessageContent::Button(b) => b.text.as_str(),
                _ => return None,
            };
            let intent = keywords.classify(text)?;
            (sender(m)?, intent, Source::Keyword, m.timestamp())
        }
        Event::UserPreference(p) => {
            let p = p.update();
            if !p.category.eq_ignore_ascii_case("marketing_messages") {
                return None;
            }
            let intent = match &p.value {
                PreferenceValue::Stop => Intent::OptOut,
                PreferenceValue::Resume => Intent::Resume,
                PreferenceValue::Unknown(v) if v.eq_ignore_ascii_case("signup") => Intent::Resume,
                _ => return None,
            };
            (p.user()?, intent, Source::UserPreferences, p.timestamp)
        }
        Event::Status(s)
            if s.update().is_failed()
                && s.errors().iter().any(|e| e.code == MARKETING_OPT_OUT_ERROR) =>
        {
            (
                recipient(s)?,
                Intent::OptOut,
                Source::FailedStatus,
                s.timestamp(),
            )
        }
        _ => return None,
    };
    Some(OptOutChange {
        user,
        intent,
        source,
        at,
    })
}

/// The sender of an inbound message: BSUID and phone number as far as known.
pub(crate) fn sender(m: &MessageEvent<'_>) -> Option<UserKey> {
    m.user()
}

/// The recipient of a status; `None` for group messages (no per-user window or opt-out).
pub(crate) fn recipient(s: &StatusEvent<'_>) -> Option<UserKey> {
    if s.update().is_group() {
        return None;
    }
    s.user()
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
