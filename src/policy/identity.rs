//! Who a webhook event is about, as a [`UserKey`] ([`EventUser`]), and a user's change of phone
//! number or business-scoped user id ([`IdChange`]), which the stores follow
//! ([`WindowTracker::rename`](super::WindowTracker::rename),
//! [`OptOutStore::rename`](super::OptOutStore::rename)).
//!
//! These live here rather than on the webhook types because the webhook layer sits below the
//! state rules and knows nothing of [`UserKey`]; the webhook events expose the raw ids
//! (`MessageEvent::user_id`, `StatusEvent::recipient_user_id`, …), this module turns them into
//! the one key every store uses.

use super::key::UserKey;
use crate::webhook::{
    Call, CallStatus, Event, FieldEvent, MessageContent, MessageEcho, MessageEvent, StatusEvent,
    SystemKind, UserEvent, UserIdUpdate, UserPreference,
};

/// "Who is this user", whatever ids Meta sent: the business-scoped user id (BSUID) first, the
/// phone number when present.
///
/// Implemented for every event that is about one user: an inbound message (its sender), a status
/// (its recipient; for a group message, the participant it is about), a marketing preference and a
/// legacy `user_id_update` (the user after the change). Handlers call `.user()` and never need to
/// know whether Meta sent `from`, `from_user_id`, `wa_id`, `recipient_id` or `recipient_user_id`.
/// Parent BSUIDs are not part of the key.
///
/// ```
/// use whatsapp_cloud::policy::{EventUser, UserKey};
/// use whatsapp_cloud::webhook::{Event, Payload};
/// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages",
///   "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},
///   "contacts":[{"profile":{"name":"Ana","username":"@ana"},"user_id":"US.13491208655302741918"}],
///   "messages":[{"from_user_id":"US.13491208655302741918","id":"wamid.A","timestamp":"1700000000","type":"text","text":{"body":"Hi"}}]}}]}]}"#;
/// let payload = Payload::from_slice(body)?;
/// for event in payload.events() {
///     assert_eq!(event.user(), Some(UserKey::user_id("US.13491208655302741918")));
///     if let Event::Message(m) = &event {
///         assert_eq!(m.user().and_then(|u| u.phone_digits().map(str::to_owned)), None);
///     }
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait EventUser {
    /// The user this is about, or `None` when the event names no user (or only a group).
    fn user(&self) -> Option<UserKey>;
}

impl EventUser for MessageEvent<'_> {
    /// The sender: `from_user_id` (or the sender contact's `user_id`) and `from` (or its `wa_id`).
    fn user(&self) -> Option<UserKey> {
        UserKey::from_parts(self.user_id(), self.phone())
    }
}

impl EventUser for StatusEvent<'_> {
    /// The recipient (`recipient_user_id`, `recipient_id`, or the matching contact); for a group
    /// message the participant (`recipient_participant_user_id`, `recipient_participant_id`).
    fn user(&self) -> Option<UserKey> {
        let s = self.update();
        if s.is_group() {
            return UserKey::from_parts(
                s.recipient_participant_user_id.as_ref().map(|u| u.as_str()),
                s.recipient_participant_id.as_deref(),
            );
        }
        let phone = s
            .recipient_id()
            .or_else(|| self.contact().and_then(|c| c.wa_id()));
        UserKey::from_parts(self.recipient_user_id(), phone)
    }
}

impl EventUser for UserPreference {
    /// The user: `user_id` and `wa_id`.
    fn user(&self) -> Option<UserKey> {
        UserKey::from_parts(
            self.user_id.as_ref().map(|u| u.as_str()),
            self.wa_id.as_deref(),
        )
    }
}

impl EventUser for UserIdUpdate {
    /// The user after the change: the current BSUID and `wa_id`.
    fn user(&self) -> Option<UserKey> {
        UserKey::from_parts(Some(self.user_id.current.as_str()), self.wa_id())
    }
}

impl EventUser for UserEvent<'_, Call> {
    /// The user on the call: the caller of a user-initiated call, the callee of a
    /// business-initiated one (the call's own ids, else its contact's BSUID).
    fn user(&self) -> Option<UserKey> {
        let call = self.update();
        let user_id = call
            .user_id()
            .map(|u| u.as_str())
            .or_else(|| self.contact().and_then(|c| c.user_id.as_deref()));
        UserKey::from_parts(user_id, call.user_phone())
    }
}

impl EventUser for UserEvent<'_, CallStatus> {
    /// The callee of a business-initiated call (`recipient_user_id`, `recipient_id`).
    fn user(&self) -> Option<UserKey> {
        let status = self.update();
        let user_id = status
            .recipient_user_id
            .as_ref()
            .map(|u| u.as_str())
            .or_else(|| self.contact().and_then(|c| c.user_id.as_deref()));
        UserKey::from_parts(user_id, status.recipient_phone())
    }
}

impl EventUser for UserEvent<'_, MessageEcho> {
    /// The user the business wrote to from the WhatsApp Business app (`to_user_id`, `to`).
    fn user(&self) -> Option<UserKey> {
        let echo = self.update();
        let user_id = echo
            .to_user_id()
            .map(|u| u.as_str())
            .or_else(|| self.contact().and_then(|c| c.user_id.as_deref()));
        UserKey::from_parts(user_id, echo.to())
    }
}

impl<T: EventUser> EventUser for FieldEvent<'_, T> {
    fn user(&self) -> Option<UserKey> {
        self.update().user()
    }
}

impl EventUser for Event<'_> {
    /// The user of a message, status, preference, user id update, call, call status or message
    /// echo; `None` for other events.
    fn user(&self) -> Option<UserKey> {
        match self {
            Event::Message(m) => m.user(),
            Event::Status(s) => s.user(),
            Event::UserPreference(p) => p.user(),
            Event::UserIdUpdate(u) => u.user(),
            Event::Call(c) => c.user(),
            Event::CallStatus(c) => c.user(),
            Event::MessageEcho(e) => e.user(),
            _ => None,
        }
    }
}

/// [`EventUser::user`] of an event, as a function.
pub fn user_of(event: &Event<'_>) -> Option<UserKey> {
    event.user()
}

/// A user's change of phone number or business-scoped user id: who the user was, who the user is
/// now, and when.
///
/// Read off a `system` message (`user_changed_number`, `user_changed_user_id`, the older
/// `customer_changed_number`) or a legacy `user_id_update` entry by [`IdChange::of_event`]. The
/// stores' `observe` methods apply it through `rename`, so windows and opt-outs follow the user:
/// an opt-out recorded under the old number still holds under the new one.
///
/// ```
/// use whatsapp_cloud::policy::{IdChange, UserKey};
/// use whatsapp_cloud::webhook::Payload;
/// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages",
///   "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},
///   "messages":[{"from_user_id":"BR.22","id":"wamid.A","timestamp":"1786200000","type":"system",
///   "system":{"body":"User changed","user_id":"BR.22","previous_user_id":"BR.11","type":"user_changed_user_id"}}]}}]}]}"#;
/// let payload = Payload::from_slice(body)?;
/// let change = payload.events().find_map(|e| IdChange::of_event(&e)).unwrap();
/// assert_eq!((change.before, change.after), (UserKey::user_id("BR.11"), UserKey::user_id("BR.22")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IdChange {
    /// The user's ids before the change.
    pub before: UserKey,
    /// The user's ids after the change.
    pub after: UserKey,
    /// When it happened (unix seconds).
    pub at: u64,
}

impl IdChange {
    /// A change from `before` to `after` at `at`.
    pub fn new(before: UserKey, after: UserKey, at: u64) -> Self {
        Self { before, after, at }
    }

    /// The change an event reports, if any: a `system` message of a number or user id change, or
    /// a `user_id_update` entry. `None` when the event is something else, or names too little to
    /// tell both sides apart.
    pub fn of_event(event: &Event<'_>) -> Option<Self> {
        let (before, after, at) = match event {
            Event::Message(m) => {
                let MessageContent::System(s) = m.content() else {
                    return None;
                };
                fn bsuid(id: &Option<crate::ids::UserId>) -> Option<&str> {
                    id.as_ref().map(|u| u.as_str())
                }
                let now_id = bsuid(&s.user_id).or(m.user_id());
                let before_id = bsuid(&s.previous_user_id).or(now_id);
                let (before, after) = match &s.kind {
                    SystemKind::UserChangedNumber | SystemKind::CustomerChangedNumber => {
                        let old_phone = s.customer.as_deref().or(m.phone());
                        (
                            UserKey::from_parts(before_id, old_phone),
                            UserKey::from_parts(now_id, s.new_wa_id.as_deref()),
                        )
                    }
                    SystemKind::UserChangedUserId => (
                        UserKey::from_parts(bsuid(&s.previous_user_id), m.phone()),
                        UserKey::from_parts(now_id, s.new_wa_id.as_deref().or(m.phone())),
                    ),
                    _ => return None,
                };
                (before?, after?, m.timestamp())
            }
            Event::UserIdUpdate(u) => {
                let u = u.update();
                let before = UserKey::from_parts(Some(u.user_id.previous.as_str()), u.wa_id())?;
                (before, u.user()?, u.timestamp)
            }
            _ => return None,
        };
        (before != after).then_some(Self { before, after, at })
    }
}
