//! The values of the fields whose changes hold lists of items in the `messages` layout (calls,
//! echoes, state sync, history, groups): `metadata` and `contacts` as in `messages`, then the
//! field's own list. Every item is read on its own; one that does not read is kept raw with its
//! error and comes out as an invalid event, never costing its neighbours.

use super::calls::{Call, CallStatus};
use super::echoes::MessageEcho;
use super::groups::{
    GroupLifecycleUpdate, GroupParticipantsUpdate, GroupSettingsUpdate, GroupStatusUpdate,
};
use super::history::HistoryChunk;
use super::message::InboundMessage;
use super::payload::{Contact, Item, Malformed, Metadata};
use super::state_sync::StateSync;
use crate::error::ErrorObject;

/// The parts a listed value shares with a `messages` value.
#[derive(Debug, Clone, Default)]
pub(crate) struct ValueHead {
    pub(crate) metadata: Option<Metadata<'static>>,
    pub(crate) contacts: Vec<Contact<'static>>,
    /// Value-level `errors[]`.
    pub(crate) errors: Vec<Item<ErrorObject>>,
    /// A `metadata` or contact that could not be read.
    pub(crate) malformed: Vec<Malformed>,
}

/// The value of a listed field: the shared parts and the field's items.
#[derive(Debug, Clone)]
pub(crate) struct ListedValue {
    pub(crate) head: ValueHead,
    pub(crate) items: ListedItems,
}

/// The items of a listed field, by field.
#[derive(Debug, Clone)]
pub(crate) enum ListedItems {
    /// `calls`: `calls[]` and `statuses[]`.
    Calls {
        calls: Vec<Item<Call>>,
        statuses: Vec<Item<CallStatus>>,
    },
    /// `smb_message_echoes`: `message_echoes[]`.
    Echoes(Vec<Item<MessageEcho>>),
    /// `smb_app_state_sync`: `state_sync[]`.
    StateSync(Vec<Item<StateSync>>),
    /// `history`: `history[]`, and the `messages[]` / `message_echoes[]` of a delivery that
    /// carries the media of earlier `media_placeholder` messages.
    History {
        chunks: Vec<Item<HistoryChunk>>,
        messages: Vec<InboundMessage<'static>>,
        echoes: Vec<Item<MessageEcho>>,
    },
    /// `group_lifecycle_update`: `groups[]`.
    GroupLifecycle(Vec<Item<GroupLifecycleUpdate>>),
    /// `group_participants_update`: `groups[]`.
    GroupParticipants(Vec<Item<GroupParticipantsUpdate>>),
    /// `group_settings_update`: `groups[]`.
    GroupSettings(Vec<Item<GroupSettingsUpdate>>),
    /// `group_status_update`: `groups[]`.
    GroupStatus(Vec<Item<GroupStatusUpdate>>),
}
