//! The `history` field: the chat history of the WhatsApp Business app, shared once when a
//! coexistence number is onboarded (Meta's "history webhook reference"), or the business's refusal
//! to share it.
//!
//! Meta sends the history in phases (0: the day of onboarding, 1: up to 90 days back, 2: up to
//! 180 days back), each in chunks numbered by `chunk_order`, with the overall `progress` in
//! percent. Each chunk holds threads (one per user chat) of messages, read like inbound messages,
//! each with the status it had in the app. Events come one per thread (see
//! [`HistoryEvent`](super::HistoryEvent)).

use super::lenient::{opt_u64_any, string_enum};
use super::message::InboundMessage;
use super::payload::Item;
use super::user_ref::UserRef;
use crate::error::ErrorObject;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// The error code of a history delivery the business declined to share.
pub const HISTORY_DECLINED: i64 = 2_593_109;

string_enum! {
    /// The status a message had in the business app (`history_context.status`).
    HistoryStatus {
        /// Sent, not yet delivered.
        Sent = "SENT" | "sent",
        /// Delivered to the user.
        Delivered = "DELIVERED" | "delivered",
        /// Read by the user.
        Read = "READ" | "read",
        /// A voice message the user played.
        Played = "PLAYED" | "played",
        /// Waiting to be sent.
        Pending = "PENDING" | "pending",
        /// Sending failed.
        Error = "ERROR" | "error",
    }
}

/// One `history[]` item: a chunk of the shared history, or the errors of a declined share.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct HistoryChunk {
    /// Phase, chunk order and progress.
    pub metadata: Option<HistoryMetadata>,
    /// The errors of a declined share (code [`HISTORY_DECLINED`]).
    pub errors: Vec<ErrorObject>,
    /// The threads; one that could not be read is kept raw with its error.
    pub(crate) threads: Vec<Item<HistoryThread>>,
}

impl HistoryChunk {
    /// The threads that could be read (each unreadable one comes as its own invalid event).
    pub fn threads(&self) -> impl Iterator<Item = &HistoryThread> {
        self.threads.iter().filter_map(|t| match t {
            Item::Ok(t) => Some(t),
            Item::Invalid { .. } => None,
        })
    }

    /// True when the business declined to share its history.
    pub fn is_declined(&self) -> bool {
        self.errors.iter().any(|e| e.code == HISTORY_DECLINED)
    }
}

/// `history[].metadata`: where a chunk sits in the whole history.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HistoryMetadata {
    /// The phase: 0 (day of onboarding), 1 (up to 90 days back) or 2 (up to 180 days back).
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub phase: Option<u64>,
    /// The chunk's number within its phase, from 1.
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub chunk_order: Option<u64>,
    /// How much of the whole history has been sent, in percent.
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub progress: Option<u64>,
}

/// One `threads[]` item: the history of the chat with one user.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct HistoryThread {
    /// The thread id (the user's phone number); may be absent for users known only by their
    /// business-scoped user id.
    pub id: Option<String>,
    /// Who the chat is with (`threads[].context`).
    pub context: Option<UserRef>,
    /// The messages, oldest first as sent.
    pub messages: Vec<HistoryMessage>,
}

/// One message of a history thread: sent by the user (`from` is the user) or by the business
/// (`from` is the business number, `to` the user).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct HistoryMessage {
    /// The message, read like an inbound message (a malformed one has
    /// [`MessageContent::Invalid`](super::MessageContent::Invalid) content).
    pub message: InboundMessage<'static>,
    /// The recipient, on messages the business sent.
    pub to: Option<String>,
    /// The status the message had in the app (`history_context.status`).
    pub status: Option<HistoryStatus>,
}
