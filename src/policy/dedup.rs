//! Deduplication of webhook redeliveries.
//!
//! Meta delivers webhooks at least once and retries an unacknowledged delivery for a long time (36
//! hours per Meta's webhooks guide, up to 7 days per its throughput guide), so the
//! same message or status can arrive several times. A [`Deduplicator`](super::Deduplicator)
//! remembers what was seen, keyed by message id for messages and by message id plus status for
//! statuses ([`DedupKey`]).
//!
//! A check that fails (a store that cannot be reached) counts as a first delivery
//! ([`Deduplicator::check_event`](super::Deduplicator::check_event)): a duplicate is better than a
//! loss.
//!
//! The in-memory [`InMemoryDeduplicator`](super::InMemoryDeduplicator) is bounded in size **and**
//! age. Eviction only ever forgets keys: a key it does not remember is always accepted, so a first
//! delivery is never dropped; the price of a bound is that a duplicate arriving after its key was
//! forgotten is accepted again. Make processing idempotent where a late duplicate would hurt.
//!
//! Times are unix seconds (`u64`), passed in as `now`: the time of receipt, not Meta's timestamp.
//!
//! ```
//! use whatsapp_cloud::policy::{DedupKey, Deduplicator, Delivery, InMemoryDeduplicator, block_on};
//! let seen = InMemoryDeduplicator::new(100_000, 7 * 24 * 3600);
//! let key = DedupKey::message("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=");
//! assert_eq!(block_on(seen.check(&key, 1_700_000_000))?, Delivery::First);
//! assert_eq!(block_on(seen.check(&key, 1_700_000_060))?, Delivery::Duplicate);
//! # Ok::<(), whatsapp_cloud::policy::StoreError>(())
//! ```

use crate::webhook::Event;

/// What identifies one webhook item across redeliveries.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DedupKey {
    /// An inbound message, by its id (`wamid`).
    Message(String),
    /// A status update: the same message goes through `sent`, `delivered`, `read`…, each once.
    Status {
        /// The id of the message the status is about.
        message_id: String,
        /// The status (`sent`, `delivered`, `read`, `played`, `failed`, …).
        status: String,
    },
    /// Any other item, keyed by the application.
    Other(String),
}

impl DedupKey {
    /// The key of an inbound message.
    pub fn message(id: impl Into<String>) -> Self {
        Self::Message(id.into())
    }

    /// The key of a status update.
    pub fn status(message_id: impl Into<String>, status: impl Into<String>) -> Self {
        Self::Status {
            message_id: message_id.into(),
            status: status.into(),
        }
    }

    /// A key chosen by the application.
    pub fn other(key: impl Into<String>) -> Self {
        Self::Other(key.into())
    }

    /// The key of a webhook event: message id for a message, message id and status for a status
    /// (and the participant, for a status of a group message: `read/<participant>`),
    /// user, value and timestamp for a `user_preferences` entry, both ids and timestamp for a
    /// `user_id_update` entry.
    ///
    /// `None` for events without a stable identity (template and account updates, errors, unknown
    /// fields, items without an id): deduplicate those yourself, or process them again, which is
    /// what [`Deduplicator::check_event`](super::Deduplicator::check_event) does rather than risk
    /// dropping one.
    pub fn of_event(event: &Event<'_>) -> Option<Self> {
        match event {
            Event::Message(m) if !m.id().is_empty() => Some(Self::message(m.id())),
            Event::Status(s) if !s.id().as_str().is_empty() => {
                let update = s.update();
                // A group message has one status of each kind per participant, all with the
                // message's id: the participant is part of what makes a status the same one.
                let participant = update
                    .is_group()
                    .then(|| {
                        update
                            .recipient_participant_user_id
                            .as_ref()
                            .map(|u| u.as_str())
                            .or(update.recipient_participant_id.as_deref())
                    })
                    .flatten();
                Some(match participant {
                    Some(who) => {
                        Self::status(s.id().as_str(), format!("{}/{who}", s.status().as_str()))
                    }
                    None => Self::status(s.id().as_str(), s.status().as_str()),
                })
            }
            Event::UserPreference(p) => {
                let p = p.update();
                let who = p
                    .user_id
                    .as_ref()
                    .map(|u| u.as_str())
                    .or(p.wa_id.as_deref())?;
                Some(Self::Other(format!(
                    "user_preferences/{who}/{}/{}/{}",
                    p.category,
                    p.value.as_str(),
                    p.timestamp
                )))
            }
            Event::UserIdUpdate(u) => {
                let u = u.update();
                Some(Self::Other(format!(
                    "user_id_update/{}/{}/{}",
                    u.user_id.previous.as_str(),
                    u.user_id.current.as_str(),
                    u.timestamp
                )))
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for DedupKey {
    /// A flat string form for external stores (a Redis `SET NX` key, say): `message:<id>`,
    /// `status:<id>:<status>` or `other:<key>`. Message ids contain no `:`, so forms never collide.
    ///
    /// ```
    /// use whatsapp_cloud::policy::DedupKey;
    /// assert_eq!(DedupKey::status("wamid.A", "read").to_string(), "status:wamid.A:read");
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Message(id) => write!(f, "message:{id}"),
            Self::Status { message_id, status } => write!(f, "status:{message_id}:{status}"),
            Self::Other(key) => write!(f, "other:{key}"),
        }
    }
}

/// The verdict on one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[must_use = "a duplicate must be skipped"]
pub enum Delivery {
    /// Not seen before (or forgotten): process it.
    First,
    /// Seen before: skip it.
    Duplicate,
}

impl Delivery {
    /// True for [`Delivery::First`].
    pub fn is_first(self) -> bool {
        self == Self::First
    }
}
