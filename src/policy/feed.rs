//! Reading window and opt-out facts off webhook events: the shared, pure part of
//! [`super::WindowTracker::observe`] and [`super::OptOutStore::observe`].

use super::identity::{EventUser, IdChange};
use super::key::UserKey;
use super::opt_out::{Intent, Keywords, MARKETING_OPT_OUT_ERROR, Source};
use crate::webhook::{
    Call, CallEventKind, Category, Event, MessageContent, MessageEvent, PreferenceValue,
    PricingType, Referral, StatusEvent, StatusKind, UserEvent,
};

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
        Event::Call(call) => user_call(call)
            .map(|(user, at)| WindowFact::Inbound(user, at))
            .into_iter()
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

/// A user-initiated call (`calls` field): who called, and when the call started.
pub(crate) fn user_call(event: &UserEvent<'_, Call>) -> Option<(UserKey, u64)> {
    let call = event.update();
    if !call.is_user_initiated() {
        return None;
    }
    // The call starts the window: `connect` arrives when it rings; a `terminate` whose `connect`
    // was lost still tells when it started.
    let at = match call.event {
        CallEventKind::Connect => call.timestamp,
        CallEventKind::Terminate => call.start_time?,
        _ => return None,
    };
    // The caller (the call's ids, else its contact entry's BSUID).
    Some((event.user()?, at))
}
