//! The events of the listed fields (calls, echoes, state sync, history, groups): one per item of
//! the field's list, then one per call status (or message and echo of a history delivery),
//! value-level error and unreadable `metadata` or contact, as for a `messages` change.

use super::{
    Change, Contact, Entry, ErrorEvent, Event, EventContext, FieldEvent, InvalidEvent, InvalidKind,
    Item, MessageEvent, Step, contact_for,
};
use crate::ids::UserId;
use crate::webhook::echoes::MessageEcho;
use crate::webhook::history::{HistoryChunk, HistoryMessage, HistoryMetadata, HistoryThread};
use crate::webhook::item_lists::{ListedItems, ListedValue, ValueHead};
use serde_json::value::RawValue;

/// A field update about one user (a call, a call status, an echo), with that user's
/// `contacts[]` entry; the update itself is [`UserEvent::update`].
#[derive(Debug)]
pub struct UserEvent<'a, T> {
    ctx: EventContext<'a>,
    update: &'a T,
    contact: Option<&'a Contact<'a>>,
}

impl<T> Clone for UserEvent<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for UserEvent<'_, T> {}

impl<'a, T> UserEvent<'a, T> {
    context_methods!();

    /// The update.
    pub fn update(&self) -> &'a T {
        self.update
    }

    /// The user's contact entry (`value.contacts[]`, matched by phone number or BSUID).
    pub fn contact(&self) -> Option<&'a Contact<'a>> {
        self.contact
    }

    /// The change value exactly as sent.
    pub fn raw(&self) -> Option<&'a RawValue> {
        self.ctx.raw_value()
    }
}

/// One thread of a shared chat history with its chunk (phase, order, progress), or a chunk
/// without threads, such as a declined share ([`HistoryEvent::is_declined`]).
#[derive(Debug, Clone, Copy)]
pub struct HistoryEvent<'a> {
    ctx: EventContext<'a>,
    chunk: &'a HistoryChunk,
    thread: Option<&'a HistoryThread>,
}

impl<'a> HistoryEvent<'a> {
    context_methods!();

    /// The chunk the thread came in.
    pub fn chunk(&self) -> &'a HistoryChunk {
        self.chunk
    }

    /// The chunk's phase, order and progress.
    pub fn metadata(&self) -> Option<&'a HistoryMetadata> {
        self.chunk.metadata.as_ref()
    }

    /// The thread; `None` for a chunk without threads.
    pub fn thread(&self) -> Option<&'a HistoryThread> {
        self.thread
    }

    /// The thread's messages (none for a chunk without threads).
    pub fn messages(&self) -> &'a [HistoryMessage] {
        self.thread.map_or(&[], |t| t.messages.as_slice())
    }

    /// True when the business declined to share its chat history.
    pub fn is_declined(&self) -> bool {
        self.chunk.is_declined()
    }
}

/// The `item`-th event of `phase` of a listed change: the field's items; the call statuses (or a
/// history delivery's messages); a history delivery's echoes; the value-level errors; then the
/// `metadata` or contacts that could not be read.
pub(super) fn event_at<'a>(
    entry: &'a Entry<'a>,
    change: &'a Change<'a>,
    v: &'a ListedValue,
    phase: u8,
    item: usize,
) -> Step<'a> {
    let ctx = EventContext {
        entry,
        change,
        metadata: v.head.metadata.as_ref(),
    };
    let head = &v.head;
    let event = match phase {
        0 => first_list(ctx, v, item),
        1 => match &v.items {
            ListedItems::Calls { statuses, .. } => statuses.get(item).map(|s| {
                each(ctx, s, |update| {
                    let contact = user(
                        head,
                        update.recipient_phone(),
                        update.recipient_user_id.as_ref(),
                    );
                    Event::CallStatus(UserEvent {
                        ctx,
                        update,
                        contact,
                    })
                })
            }),
            ListedItems::History { messages, .. } => messages.get(item).map(|message| {
                Event::Message(MessageEvent {
                    ctx,
                    message,
                    contact: contact_for(
                        &head.contacts,
                        &head.malformed,
                        message.from(),
                        message.user_id(),
                        true,
                    ),
                })
            }),
            _ => None,
        },
        2 => match &v.items {
            ListedItems::History { echoes, .. } => {
                echoes.get(item).map(|e| echo_event(ctx, head, e))
            }
            _ => None,
        },
        3 => head.errors.get(item).map(|e| match e {
            Item::Ok(error) => Event::Error(ErrorEvent { ctx, error }),
            Item::Invalid { error, raw } => invalid(ctx, InvalidKind::Error, error, raw),
        }),
        4 => head
            .malformed
            .get(item)
            .map(|m| invalid(ctx, m.kind, &m.error, &m.raw)),
        _ => return Step::NextChange,
    };
    event.map_or(Step::NextPhase, Step::Event)
}

fn first_list<'a>(ctx: EventContext<'a>, v: &'a ListedValue, item: usize) -> Option<Event<'a>> {
    let head = &v.head;
    Some(match &v.items {
        ListedItems::Calls { calls, .. } => each(ctx, calls.get(item)?, |update| {
            let contact = user(head, update.user_phone(), update.user_id());
            Event::Call(UserEvent {
                ctx,
                update,
                contact,
            })
        }),
        ListedItems::Echoes(echoes) => echo_event(ctx, head, echoes.get(item)?),
        ListedItems::StateSync(items) => each(ctx, items.get(item)?, |u| {
            Event::StateSync(FieldEvent { ctx, update: u })
        }),
        ListedItems::History { chunks, .. } => history_at(ctx, chunks, item)?,
        ListedItems::GroupLifecycle(items) => each(ctx, items.get(item)?, |u| {
            Event::GroupLifecycle(FieldEvent { ctx, update: u })
        }),
        ListedItems::GroupParticipants(items) => each(ctx, items.get(item)?, |u| {
            Event::GroupParticipants(FieldEvent { ctx, update: u })
        }),
        ListedItems::GroupSettings(items) => each(ctx, items.get(item)?, |u| {
            Event::GroupSettings(FieldEvent { ctx, update: u })
        }),
        ListedItems::GroupStatus(items) => each(ctx, items.get(item)?, |u| {
            Event::GroupStatus(FieldEvent { ctx, update: u })
        }),
    })
}

/// The event of an echo, with the contact of the user it went to.
fn echo_event<'a>(
    ctx: EventContext<'a>,
    head: &'a ValueHead,
    echo: &'a Item<MessageEcho>,
) -> Event<'a> {
    each(ctx, echo, |update| {
        let contact = user(head, update.to(), update.to_user_id.as_ref());
        Event::MessageEcho(UserEvent {
            ctx,
            update,
            contact,
        })
    })
}

/// The `item`-th history event: one per thread of each chunk, one per chunk without threads,
/// one per chunk or thread that could not be read.
fn history_at<'a>(
    ctx: EventContext<'a>,
    chunks: &'a [Item<HistoryChunk>],
    mut item: usize,
) -> Option<Event<'a>> {
    for c in chunks {
        let chunk = match c {
            Item::Invalid { error, raw } => {
                if item == 0 {
                    return Some(invalid(ctx, InvalidKind::FieldItem, error, raw));
                }
                item -= 1;
                continue;
            }
            Item::Ok(chunk) => chunk,
        };
        if chunk.threads.is_empty() {
            if item == 0 {
                return Some(Event::History(HistoryEvent {
                    ctx,
                    chunk,
                    thread: None,
                }));
            }
            item -= 1;
            continue;
        }
        match chunk.threads.get(item) {
            Some(t) => {
                return Some(each(ctx, t, |thread| {
                    Event::History(HistoryEvent {
                        ctx,
                        chunk,
                        thread: Some(thread),
                    })
                }));
            }
            None => item -= chunk.threads.len(),
        }
    }
    None
}

/// The event of one item, or an invalid event for an item that could not be read.
fn each<'a, T>(
    ctx: EventContext<'a>,
    item: &'a Item<T>,
    ok: impl FnOnce(&'a T) -> Event<'a>,
) -> Event<'a> {
    match item {
        Item::Ok(t) => ok(t),
        Item::Invalid { error, raw } => invalid(ctx, InvalidKind::FieldItem, error, raw),
    }
}

fn invalid<'a>(
    ctx: EventContext<'a>,
    kind: InvalidKind,
    error: &'a str,
    raw: &'a serde_json::Value,
) -> Event<'a> {
    Event::Invalid(InvalidEvent {
        ctx,
        kind,
        error,
        raw: Some(raw),
    })
}

/// The contact of the user an item names; the only contact of the change when the item names
/// nobody.
fn user<'a>(
    head: &'a ValueHead,
    phone: Option<&str>,
    user_id: Option<&UserId>,
) -> Option<&'a Contact<'a>> {
    contact_for(
        &head.contacts,
        &head.malformed,
        phone,
        user_id.map(UserId::as_str),
        phone.is_none() && user_id.is_none(),
    )
}
