//! Events: one per message, status, error, preference, automatic event or non-message change, with
//! its context.

use super::calls::{Call, CallStatus};
use super::echoes::MessageEcho;
use super::fields::{
    AccountAlert, AccountReviewUpdate, AccountUpdate, AutomaticEvent, BusinessCapabilityUpdate,
    BusinessUsernameUpdate, FlowUpdate, PartnerSolutionUpdate, PhoneNumberNameUpdate,
    PhoneNumberQualityUpdate, SecurityUpdate, TemplateCategoryUpdate, TemplateComponentsUpdate,
    TemplateQualityUpdate, TemplateStatusUpdate, UserPreference,
};
use super::groups::{
    GroupLifecycleUpdate, GroupParticipantsUpdate, GroupSettingsUpdate, GroupStatusUpdate,
};
use super::id_update::UserIdUpdate;
use super::message::{InboundMessage, MessageContent, Referral};
use super::payload::{
    Change, ChangeData, Contact, Entry, InvalidKind, Item, Malformed, MessagesValue, Metadata,
    Payload,
};
use super::state_sync::StateSync;
use super::status::Status;
use crate::error::ErrorObject;
use crate::ids::MessageId;
use serde_json::value::RawValue;

/// One thing that happened, from a [`Payload`](super::Payload).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A user sent a message.
    Message(MessageEvent<'a>),
    /// A message you sent changed status.
    Status(StatusEvent<'a>),
    /// A system, app or account error (`value.errors[]`).
    Error(ErrorEvent<'a>),
    /// `message_template_status_update`.
    TemplateStatus(FieldEvent<'a, TemplateStatusUpdate>),
    /// `message_template_quality_update`.
    TemplateQuality(FieldEvent<'a, TemplateQualityUpdate>),
    /// `template_category_update`.
    TemplateCategory(FieldEvent<'a, TemplateCategoryUpdate>),
    /// `account_update`.
    AccountUpdate(FieldEvent<'a, AccountUpdate>),
    /// `phone_number_quality_update`.
    PhoneNumberQuality(FieldEvent<'a, PhoneNumberQualityUpdate>),
    /// A user stopped or resumed marketing messages (`user_preferences[]`).
    UserPreference(FieldEvent<'a, UserPreference>),
    /// A user's business-scoped user id changed (the legacy `user_id_update` field, one event per
    /// entry; Meta now sends a `system` message of type `user_changed_user_id` instead).
    UserIdUpdate(FieldEvent<'a, UserIdUpdate>),
    /// A call connected or ended (`calls`, one per `calls[]` item).
    Call(UserEvent<'a, Call>),
    /// A business-initiated call rang, was accepted or rejected (`calls`, one per `statuses[]`).
    CallStatus(UserEvent<'a, CallStatus>),
    /// A message the business sent from the WhatsApp Business app (`smb_message_echoes`, one per
    /// echo).
    MessageEcho(UserEvent<'a, MessageEcho>),
    /// A contact of the WhatsApp Business app added or removed (`smb_app_state_sync`, one per
    /// item).
    StateSync(FieldEvent<'a, StateSync>),
    /// One thread of the shared chat history, or a history chunk without threads (a declined
    /// share) (`history`).
    History(HistoryEvent<'a>),
    /// A group created or deleted (`group_lifecycle_update`, one per `groups[]` item).
    GroupLifecycle(FieldEvent<'a, GroupLifecycleUpdate>),
    /// A group's participants changed (`group_participants_update`, one per `groups[]` item).
    GroupParticipants(FieldEvent<'a, GroupParticipantsUpdate>),
    /// A group's settings changed (`group_settings_update`, one per `groups[]` item).
    GroupSettings(FieldEvent<'a, GroupSettingsUpdate>),
    /// A group was suspended or cleared (`group_status_update`, one per `groups[]` item).
    GroupStatus(FieldEvent<'a, GroupStatusUpdate>),
    /// `account_alerts`.
    AccountAlert(FieldEvent<'a, AccountAlert>),
    /// `account_review_update`.
    AccountReview(FieldEvent<'a, AccountReviewUpdate>),
    /// `business_capability_update`.
    BusinessCapability(FieldEvent<'a, BusinessCapabilityUpdate>),
    /// `partner_solutions` (its entry id is a business portfolio id: [`EventContext::entry_id`]).
    PartnerSolution(FieldEvent<'a, PartnerSolutionUpdate>),
    /// `message_template_components_update`.
    TemplateComponents(FieldEvent<'a, TemplateComponentsUpdate>),
    /// `phone_number_name_update`.
    PhoneNumberName(FieldEvent<'a, PhoneNumberNameUpdate>),
    /// `security`.
    Security(FieldEvent<'a, SecurityUpdate>),
    /// `payment_configuration_update`: a payment configuration was connected, disconnected or
    /// became active (Payments API).
    PaymentConfiguration(FieldEvent<'a, super::payments::PaymentConfiguration>),
    /// `business_username_update` (or `phone_number_username_update`, its former name).
    BusinessUsername(FieldEvent<'a, BusinessUsernameUpdate>),
    /// `flows`.
    Flow(FieldEvent<'a, FlowUpdate>),
    /// One item of `automatic_events[]`: a purchase or lead detected in a chat.
    AutomaticEvent(FieldEvent<'a, AutomaticEvent>),
    /// An item of a known kind that could not be read (a malformed status, error, field value,
    /// automatic event, `metadata` or contact), kept raw with its error.
    /// Malformed messages come as [`Event::Message`] with [`MessageContent::Invalid`].
    Invalid(InvalidEvent<'a>),
    /// A change whose `field` this version does not model; its value is kept as sent.
    Unknown(UnknownEvent<'a>),
}

impl<'a> Event<'a> {
    /// Where the event comes from: account, business number, field.
    pub fn context(&self) -> &EventContext<'a> {
        match self {
            Event::Message(e) => &e.ctx,
            Event::Status(e) => &e.ctx,
            Event::Error(e) => &e.ctx,
            Event::TemplateStatus(e) => &e.ctx,
            Event::TemplateQuality(e) => &e.ctx,
            Event::TemplateCategory(e) => &e.ctx,
            Event::AccountUpdate(e) => &e.ctx,
            Event::PhoneNumberQuality(e) => &e.ctx,
            Event::UserPreference(e) => &e.ctx,
            Event::UserIdUpdate(e) => &e.ctx,
            Event::Call(e) => e.context(),
            Event::CallStatus(e) => e.context(),
            Event::MessageEcho(e) => e.context(),
            Event::StateSync(e) => &e.ctx,
            Event::History(e) => e.context(),
            Event::GroupLifecycle(e) => &e.ctx,
            Event::GroupParticipants(e) => &e.ctx,
            Event::GroupSettings(e) => &e.ctx,
            Event::GroupStatus(e) => &e.ctx,
            Event::AccountAlert(e) => &e.ctx,
            Event::AccountReview(e) => &e.ctx,
            Event::BusinessCapability(e) => &e.ctx,
            Event::PartnerSolution(e) => &e.ctx,
            Event::TemplateComponents(e) => &e.ctx,
            Event::PhoneNumberName(e) => &e.ctx,
            Event::Security(e) => &e.ctx,
            Event::PaymentConfiguration(e) => &e.ctx,
            Event::BusinessUsername(e) => &e.ctx,
            Event::Flow(e) => &e.ctx,
            Event::AutomaticEvent(e) => &e.ctx,
            Event::Invalid(e) => &e.ctx,
            Event::Unknown(e) => &e.ctx,
        }
    }
}

/// Where an event comes from: the account (entry), the business number (metadata) and the field.
#[derive(Debug, Clone, Copy)]
pub struct EventContext<'a> {
    entry: &'a Entry<'a>,
    change: &'a Change<'a>,
    metadata: Option<&'a Metadata<'a>>,
}

impl<'a> EventContext<'a> {
    /// The WhatsApp Business Account id (`entry[].id`; for `partner_solutions`, a business
    /// portfolio id: see [`EventContext::entry_id`]).
    pub fn waba_id(&self) -> &'a str {
        self.entry.id()
    }

    /// `entry[].id` as sent: the account id, except for `partner_solutions`, whose entry id is
    /// a business portfolio id.
    pub fn entry_id(&self) -> &'a str {
        self.entry.id()
    }

    /// `entry[].time`, when sent (non-message fields).
    pub fn entry_time(&self) -> Option<u64> {
        self.entry.time()
    }

    /// The change's `field`.
    pub fn field(&self) -> &'a str {
        self.change.field()
    }

    /// The business number's id (`value.metadata.phone_number_id`): reply from it.
    pub fn phone_number_id(&self) -> Option<&'a str> {
        self.metadata.map(|m| m.phone_number_id.as_ref())
    }

    /// The business number as displayed (`value.metadata.display_phone_number`).
    pub fn display_phone_number(&self) -> Option<&'a str> {
        self.metadata
            .and_then(|m| m.display_phone_number.as_deref())
    }

    /// The whole change value exactly as sent, when kept (see [`Change::raw_value`]).
    pub fn raw_value(&self) -> Option<&'a RawValue> {
        self.change.raw_value()
    }
}

macro_rules! context_methods {
    () => {
        /// Where the event comes from.
        pub fn context(&self) -> &EventContext<'a> {
            &self.ctx
        }

        /// The WhatsApp Business Account id.
        pub fn waba_id(&self) -> &'a str {
            self.ctx.waba_id()
        }

        /// The business number's id: reply from it.
        pub fn phone_number_id(&self) -> Option<&'a str> {
            self.ctx.phone_number_id()
        }

        /// The business number as displayed.
        pub fn display_phone_number(&self) -> Option<&'a str> {
            self.ctx.display_phone_number()
        }
    };
}

mod listed;

pub use listed::{HistoryEvent, UserEvent};

/// An inbound message with its sender and the business number it reached.
///
/// The message's own fields are on [`MessageEvent::message`]; the common ones are repeated here.
#[derive(Debug, Clone, Copy)]
pub struct MessageEvent<'a> {
    ctx: EventContext<'a>,
    message: &'a InboundMessage<'a>,
    contact: Option<&'a Contact<'a>>,
}

impl<'a> MessageEvent<'a> {
    context_methods!();

    /// The message.
    pub fn message(&self) -> &'a InboundMessage<'a> {
        self.message
    }

    /// The message id.
    pub fn id(&self) -> &'a str {
        self.message.id()
    }

    /// When the user sent it, in unix seconds.
    pub fn timestamp(&self) -> u64 {
        self.message.timestamp()
    }

    /// The sender's phone number; absent for users known only by their BSUID.
    pub fn from(&self) -> Option<&'a str> {
        self.message.from()
    }

    /// The sender's BSUID: `from_user_id` on the message, else `user_id` of the sender contact.
    pub fn user_id(&self) -> Option<&'a str> {
        self.message
            .user_id()
            .or_else(|| self.contact.and_then(Contact::user_id_str))
    }

    /// The sender's parent BSUID: `from_parent_user_id` on the message, else `parent_user_id` of
    /// the sender contact.
    pub fn parent_user_id(&self) -> Option<&'a str> {
        self.message
            .parent_user_id()
            .or_else(|| self.contact.and_then(Contact::parent_user_id_str))
    }

    /// The sender's phone number: `from`, else the `wa_id` of the sender contact; absent for users
    /// known only by their BSUID.
    pub fn phone(&self) -> Option<&'a str> {
        self.message
            .from()
            .or_else(|| self.contact.and_then(Contact::wa_id))
    }

    /// The sender's WhatsApp username, from the sender contact's profile.
    pub fn username(&self) -> Option<&'a str> {
        self.contact.and_then(Contact::username)
    }

    /// The text body, when this is a text message.
    pub fn text(&self) -> Option<&'a str> {
        self.message.text()
    }

    /// The ad referral, when present.
    pub fn referral(&self) -> Option<&'a Referral> {
        self.message.referral()
    }

    /// The typed content.
    pub fn content(&self) -> &'a MessageContent<'a> {
        self.message.content()
    }

    /// The sender's contact entry (`value.contacts[]`, matched by `wa_id` or BSUID).
    pub fn contact(&self) -> Option<&'a Contact<'a>> {
        self.contact
    }

    /// The sender's profile name.
    pub fn sender_name(&self) -> Option<&'a str> {
        self.contact.and_then(Contact::name)
    }
}

/// A status of a message you sent, with the business number it was sent from.
///
/// The whole status object is [`StatusEvent::update`]; the common fields are repeated here.
#[derive(Debug, Clone, Copy)]
pub struct StatusEvent<'a> {
    ctx: EventContext<'a>,
    status: &'a Status,
    contact: Option<&'a Contact<'a>>,
}

impl<'a> StatusEvent<'a> {
    context_methods!();

    /// The whole status object (pricing, conversation, recipient ids, …).
    pub fn update(&self) -> &'a Status {
        self.status
    }

    /// The whole status object; the same as [`StatusEvent::update`].
    pub fn get(&self) -> &'a Status {
        self.status
    }

    /// The new status (`sent`, `delivered`, `read`, `played`, `failed`, …).
    pub fn status(&self) -> &'a super::StatusKind {
        &self.status.status
    }

    /// The id of the message this status is about.
    pub fn id(&self) -> &'a MessageId {
        &self.status.id
    }

    /// When it happened, in unix seconds.
    pub fn timestamp(&self) -> u64 {
        self.status.timestamp
    }

    /// The recipient as sent in `recipient_id` (phone number or group id); `None` for a send to a
    /// BSUID without a shareable phone number.
    pub fn recipient_id(&self) -> Option<&'a str> {
        self.status.recipient_id()
    }

    /// The recipient's BSUID: `recipient_user_id`, else the `user_id` of the recipient's contact.
    pub fn recipient_user_id(&self) -> Option<&'a str> {
        self.status
            .recipient_user_id()
            .map(|u| u.as_str())
            .or_else(|| self.contact.and_then(Contact::user_id_str))
    }

    /// The recipient's contact entry (`value.contacts[]` next to the statuses since 2026, matched
    /// by `wa_id` or BSUID): profile name, and on `delivered` and `read` the username.
    pub fn contact(&self) -> Option<&'a Contact<'a>> {
        self.contact
    }

    /// The errors of a failed message.
    pub fn errors(&self) -> &'a [ErrorObject] {
        &self.status.errors
    }
}

/// A value-level error (`value.errors[]`): a system, app or account problem.
#[derive(Debug, Clone, Copy)]
pub struct ErrorEvent<'a> {
    ctx: EventContext<'a>,
    error: &'a ErrorObject,
}

impl<'a> ErrorEvent<'a> {
    context_methods!();

    /// The error.
    pub fn error(&self) -> &'a ErrorObject {
        self.error
    }
}

/// A typed non-message update, with its context; the update itself is [`FieldEvent::update`].
#[derive(Debug)]
pub struct FieldEvent<'a, T> {
    ctx: EventContext<'a>,
    update: &'a T,
}

impl<T> Clone for FieldEvent<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for FieldEvent<'_, T> {}

impl<'a, T> FieldEvent<'a, T> {
    context_methods!();

    /// The update.
    pub fn update(&self) -> &'a T {
        self.update
    }

    /// The change value exactly as sent, for event-specific objects not modelled here (kept for
    /// every non-message field).
    pub fn raw(&self) -> Option<&'a RawValue> {
        self.ctx.raw_value()
    }
}

/// An item that could not be read; the delivery's other events are unaffected.
#[derive(Debug, Clone)]
pub struct InvalidEvent<'a> {
    ctx: EventContext<'a>,
    kind: InvalidKind,
    error: &'a str,
    raw: Option<&'a serde_json::Value>,
}

impl<'a> InvalidEvent<'a> {
    context_methods!();

    /// What the item was meant to be.
    pub fn kind(&self) -> InvalidKind {
        self.kind
    }

    /// Why it could not be read.
    pub fn error(&self) -> &'a str {
        self.error
    }

    /// The item as sent (for field values, see [`EventContext::raw_value`]).
    pub fn raw(&self) -> Option<&'a serde_json::Value> {
        self.raw
    }
}

/// A change of a field this version does not model.
#[derive(Debug, Clone, Copy)]
pub struct UnknownEvent<'a> {
    ctx: EventContext<'a>,
    raw: &'a RawValue,
}

impl<'a> UnknownEvent<'a> {
    context_methods!();

    /// The `field` name.
    pub fn field(&self) -> &'a str {
        self.ctx.field()
    }

    /// The value exactly as sent.
    pub fn raw(&self) -> &'a RawValue {
        self.raw
    }

    /// The value parsed as JSON.
    pub fn value(&self) -> serde_json::Value {
        serde_json::from_str(self.raw().get()).unwrap_or(serde_json::Value::Null)
    }
}

/// The sender's contact (see [`contact_for`]).
fn sender<'a>(v: &'a MessagesValue<'a>, m: &InboundMessage<'_>) -> Option<&'a Contact<'a>> {
    contact_for(&v.contacts, &v.malformed, m.from(), m.user_id(), true)
}

/// The contact of a user named by phone number and/or BSUID: matched by phone number (or a BSUID
/// given in its place) or BSUID, else, with `only`, the only contact of the change (unless another
/// contact of the change could not be read: it may have been this user's).
#[inline]
fn contact_for<'a>(
    contacts: &'a [Contact<'a>],
    malformed: &[Malformed],
    phone: Option<&str>,
    user_id: Option<&str>,
    only: bool,
) -> Option<&'a Contact<'a>> {
    if let Some(from) = phone {
        if let Some(c) = contacts.iter().find(|c| c.wa_id.as_deref() == Some(from)) {
            return Some(c);
        }
        if let Some(c) = contacts.iter().find(|c| c.user_id.as_deref() == Some(from)) {
            return Some(c);
        }
    }
    if let Some(uid) = user_id
        && let Some(c) = contacts.iter().find(|c| c.user_id.as_deref() == Some(uid))
    {
        return Some(c);
    }
    match contacts {
        [c] if only && !malformed.iter().any(|m| m.kind == InvalidKind::Contact) => Some(c),
        _ => None,
    }
}

/// The recipient's contact of a status: matched by phone number or BSUID, else the only contact of
/// the change (as [`sender`]); none for a group status.
fn status_contact<'a>(v: &'a MessagesValue<'a>, s: &Status) -> Option<&'a Contact<'a>> {
    if s.is_group() || v.contacts.is_empty() {
        return None;
    }
    let contacts = &v.contacts;
    if let Some(id) = s.recipient_id()
        && let Some(c) = contacts.iter().find(|c| c.wa_id() == Some(id))
    {
        return Some(c);
    }
    if let Some(uid) = s.recipient_user_id()
        && let Some(c) = contacts
            .iter()
            .find(|c| c.user_id_str() == Some(uid.as_str()))
    {
        return Some(c);
    }
    match contacts.as_slice() {
        [only] if v.statuses.len() == 1 && v.malformed.is_empty() => Some(only),
        _ => None,
    }
}

/// The events of a [`Payload`](super::Payload), in order; see [`Payload::events`](super::Payload::events).
#[derive(Debug, Clone)]
pub struct Events<'a> {
    entries: &'a [Entry<'a>],
    entry: usize,
    change: usize,
    phase: u8,
    item: usize,
}

impl<'a> Payload<'a> {
    /// Every event of the delivery, in order: per change, its messages, then statuses, then errors,
    /// preferences and user id updates, then any `metadata` or contact that could not be read; for a
    /// listed field (calls, echoes, state sync, history, groups) and `automatic_events`, one event
    /// per item in the same order; one event per change of any other field.
    pub fn events(&self) -> Events<'_> {
        Events::new(self)
    }
}

impl<'a> Events<'a> {
    fn new(payload: &'a Payload<'a>) -> Self {
        Self {
            entries: &payload.entries,
            entry: 0,
            change: 0,
            phase: 0,
            item: 0,
        }
    }
}

/// Where an [`Events`] iterator stands: resuming there yields the same next event, without
/// iterating from the start (the axum receiver hands each event to another task by position).
#[cfg(feature = "axum")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EventPosition {
    entry: usize,
    change: usize,
    phase: u8,
    item: usize,
}

#[cfg(feature = "axum")]
impl<'a> Events<'a> {
    /// Where the iterator stands now.
    pub(crate) fn position(&self) -> EventPosition {
        EventPosition {
            entry: self.entry,
            change: self.change,
            phase: self.phase,
            item: self.item,
        }
    }

    /// The events of `payload` from `at`, a position taken from an iterator over the same payload.
    pub(crate) fn resume(payload: &'a Payload<'a>, at: EventPosition) -> Self {
        Self {
            entries: &payload.entries,
            entry: at.entry,
            change: at.change,
            phase: at.phase,
            item: at.item,
        }
    }
}

impl<'a> Iterator for Events<'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            let entry = self.entries.get(self.entry)?;
            let Some(change) = entry.changes.get(self.change) else {
                self.entry += 1;
                self.change = 0;
                self.phase = 0;
                self.item = 0;
                continue;
            };
            // The common case (the messages of a well-formed `messages` change) without the
            // general, larger step below.
            if let (0, None, ChangeData::Messages(v)) = (self.phase, &change.invalid, &change.data)
            {
                if let Some(message) = v.messages.get(self.item) {
                    self.item += 1;
                    return Some(Event::Message(MessageEvent {
                        ctx: EventContext {
                            entry,
                            change,
                            metadata: v.metadata.as_ref(),
                        },
                        message,
                        contact: sender(v, message),
                    }));
                }
                if v.statuses.is_empty()
                    && v.errors.is_empty()
                    && v.user_preferences.is_empty()
                    && v.user_id_updates.is_empty()
                    && v.malformed.is_empty()
                {
                    self.change += 1;
                    self.item = 0;
                    continue;
                }
            }
            match event_at(entry, change, self.phase, self.item) {
                Step::Event(e) => {
                    self.item += 1;
                    return Some(e);
                }
                Step::NextPhase => {
                    self.phase += 1;
                    self.item = 0;
                }
                Step::NextChange => {
                    self.change += 1;
                    self.phase = 0;
                    self.item = 0;
                }
            }
        }
    }
}

enum Step<'a> {
    Event(Event<'a>),
    NextPhase,
    NextChange,
}

/// The `item`-th event of `phase` of one change: messages, statuses, errors, preferences, user id
/// updates, and the `metadata` or contacts that could not be read.
#[inline(never)]
fn event_at<'a>(entry: &'a Entry<'a>, change: &'a Change<'a>, phase: u8, item: usize) -> Step<'a> {
    let metadata = match &change.data {
        ChangeData::Messages(v) => v.metadata.as_ref(),
        ChangeData::AutomaticEvents(v) => v.metadata.as_ref(),
        _ => None,
    };
    let ctx = EventContext {
        entry,
        change,
        metadata,
    };
    let invalid = |kind, error: &'a str, raw| {
        Event::Invalid(InvalidEvent {
            ctx,
            kind,
            error,
            raw,
        })
    };
    let single = |event: Event<'a>| {
        if phase == 0 && item == 0 {
            Step::Event(event)
        } else {
            Step::NextChange
        }
    };
    if let Some(raw) = &change.invalid {
        let error = match &change.data {
            ChangeData::Invalid(e) => e.as_str(),
            _ => "malformed change",
        };
        return single(invalid(InvalidKind::Envelope, error, Some(raw)));
    }
    match &change.data {
        ChangeData::Messages(v) => {
            let event = match phase {
                0 => v.messages.get(item).map(|m| {
                    Event::Message(MessageEvent {
                        ctx,
                        message: m,
                        contact: sender(v, m),
                    })
                }),
                1 => v.statuses.get(item).map(|s| match s {
                    Item::Ok(status) => Event::Status(StatusEvent {
                        ctx,
                        status,
                        contact: status_contact(v, status),
                    }),
                    Item::Invalid { error, raw } => invalid(InvalidKind::Status, error, Some(raw)),
                }),
                2 => v.errors.get(item).map(|e| match e {
                    Item::Ok(error) => Event::Error(ErrorEvent { ctx, error }),
                    Item::Invalid { error, raw } => invalid(InvalidKind::Error, error, Some(raw)),
                }),
                3 => v.user_preferences.get(item).map(|p| match p {
                    Item::Ok(update) => Event::UserPreference(FieldEvent { ctx, update }),
                    Item::Invalid { error, raw } => {
                        invalid(InvalidKind::UserPreference, error, Some(raw))
                    }
                }),
                4 => v.user_id_updates.get(item).map(|u| match u {
                    Item::Ok(update) => Event::UserIdUpdate(FieldEvent { ctx, update }),
                    Item::Invalid { error, raw } => {
                        invalid(InvalidKind::UserIdUpdate, error, Some(raw))
                    }
                }),
                5 => v
                    .malformed
                    .get(item)
                    .map(|m| invalid(m.kind, &m.error, Some(&m.raw))),
                _ => return Step::NextChange,
            };
            event.map_or(Step::NextPhase, Step::Event)
        }
        ChangeData::TemplateStatus(update) => {
            single(Event::TemplateStatus(FieldEvent { ctx, update }))
        }
        ChangeData::TemplateQuality(update) => {
            single(Event::TemplateQuality(FieldEvent { ctx, update }))
        }
        ChangeData::TemplateCategory(update) => {
            single(Event::TemplateCategory(FieldEvent { ctx, update }))
        }
        ChangeData::AccountUpdate(update) => {
            single(Event::AccountUpdate(FieldEvent { ctx, update }))
        }
        ChangeData::PhoneNumberQuality(update) => {
            single(Event::PhoneNumberQuality(FieldEvent { ctx, update }))
        }
        ChangeData::Listed(v) => listed::event_at(entry, change, v, phase, item),
        ChangeData::AccountAlert(update) => single(Event::AccountAlert(FieldEvent { ctx, update })),
        ChangeData::AccountReview(update) => {
            single(Event::AccountReview(FieldEvent { ctx, update }))
        }
        ChangeData::BusinessCapability(update) => {
            single(Event::BusinessCapability(FieldEvent { ctx, update }))
        }
        ChangeData::PartnerSolution(update) => {
            single(Event::PartnerSolution(FieldEvent { ctx, update }))
        }
        ChangeData::TemplateComponents(update) => {
            single(Event::TemplateComponents(FieldEvent { ctx, update }))
        }
        ChangeData::PhoneNumberName(update) => {
            single(Event::PhoneNumberName(FieldEvent { ctx, update }))
        }
        ChangeData::Security(update) => single(Event::Security(FieldEvent { ctx, update })),
        ChangeData::PaymentConfiguration(update) => {
            single(Event::PaymentConfiguration(FieldEvent { ctx, update }))
        }
        ChangeData::BusinessUsername(update) => {
            single(Event::BusinessUsername(FieldEvent { ctx, update }))
        }
        ChangeData::Flow(update) => single(Event::Flow(FieldEvent { ctx, update })),
        ChangeData::AutomaticEvents(v) => match (phase, v.items.get(item)) {
            (0, Some(Item::Ok(update))) => {
                Step::Event(Event::AutomaticEvent(FieldEvent { ctx, update }))
            }
            (0, Some(Item::Invalid { error, raw })) => {
                Step::Event(invalid(InvalidKind::FieldValue, error, Some(raw)))
            }
            _ => Step::NextChange,
        },
        ChangeData::Unknown => match change.raw_value() {
            Some(raw) => single(Event::Unknown(UnknownEvent { ctx, raw })),
            None => single(invalid(
                InvalidKind::Envelope,
                "change without a value",
                None,
            )),
        },
        ChangeData::Invalid(error) => single(invalid(InvalidKind::FieldValue, error, None)),
    }
}
