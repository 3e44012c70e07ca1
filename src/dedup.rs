//! Deduplication of webhook redeliveries.
//!
//! Meta delivers webhooks at least once and retries an unacknowledged delivery for a long time (36
//! hours per Meta's webhooks guide, up to 7 days per its throughput guide), so the
//! same message or status can arrive several times. A [`Deduplicator`] remembers what was seen, keyed
//! by message id for messages and by message id plus status for statuses ([`DedupKey`]).
//!
//! The in-memory [`InMemoryDeduplicator`] is bounded in size **and** age. Eviction only ever forgets
//! keys: a key it does not remember is always accepted, so a first delivery is never dropped; the
//! price of a bound is that a duplicate arriving after its key was forgotten is accepted again. Make
//! processing idempotent where a late duplicate would hurt.
//!
//! Times are unix seconds (`u64`), passed in as `now`: the time of receipt, not Meta's timestamp.
//!
//! ```
//! use whatsapp_cloud::dedup::{DedupKey, Deduplicator, Delivery, InMemoryDeduplicator};
//! let seen = InMemoryDeduplicator::new(100_000, 7 * 24 * 3600);
//! let key = DedupKey::message("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=");
//! assert_eq!(seen.check(&key, 1_700_000_000), Delivery::First);
//! assert_eq!(seen.check(&key, 1_700_000_060), Delivery::Duplicate);
//! ```

use crate::webhook::Event;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

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

    /// The key of a webhook event: message id for a message, message id and status for a status,
    /// user, value and timestamp for a `user_preferences` entry.
    ///
    /// `None` for events without a stable identity (template and account updates, errors, unknown
    /// fields, items without an id): deduplicate those yourself, or process them again, which is
    /// what [`Deduplicator::check_event`] does rather than risk dropping one.
    pub fn of_event(event: &Event<'_>) -> Option<Self> {
        match event {
            Event::Message(m) if !m.id().is_empty() => Some(Self::message(m.id())),
            Event::Status(s) if !s.id().as_str().is_empty() => {
                Some(Self::status(s.id().as_str(), s.status().as_str()))
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
            _ => None,
        }
    }
}

impl std::fmt::Display for DedupKey {
    /// A flat string form for external stores (a Redis `SET NX` key, say): `message:<id>`,
    /// `status:<id>:<status>` or `other:<key>`. Message ids contain no `:`, so forms never collide.
    ///
    /// ```
    /// use whatsapp_cloud::dedup::DedupKey;
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

/// Remembers which webhook items were already processed.
///
/// Methods take `&self` so one deduplicator can be shared (`Arc`) between handler tasks;
/// implementations synchronise inside.
pub trait Deduplicator {
    /// Marks `key` as seen at `now` (unix seconds) and says whether it had been seen before.
    fn check(&self, key: &DedupKey, now: u64) -> Delivery;

    /// Forgets `key`, so that Meta's redelivery is processed: call it when processing a
    /// [`Delivery::First`] item failed and the webhook is answered with an error.
    fn forget(&self, key: &DedupKey);

    /// [`Deduplicator::check`] with the key of a webhook event ([`DedupKey::of_event`]); an event
    /// without a key is always [`Delivery::First`].
    ///
    /// ```
    /// use whatsapp_cloud::dedup::{Deduplicator, Delivery, InMemoryDeduplicator};
    /// use whatsapp_cloud::webhook::Payload;
    /// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages",
    ///   "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},
    ///   "messages":[{"from":"16505551234","id":"wamid.A","timestamp":"1700000000","type":"text","text":{"body":"Hi"}}]}}]}]}"#;
    /// let seen = InMemoryDeduplicator::default();
    /// let payload = Payload::from_slice(body)?;
    /// let first: Vec<_> = payload.events().map(|e| seen.check_event(&e, 1_700_000_001)).collect();
    /// let again: Vec<_> = payload.events().map(|e| seen.check_event(&e, 1_700_000_090)).collect();
    /// assert_eq!((first, again), (vec![Delivery::First], vec![Delivery::Duplicate]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn check_event(&self, event: &Event<'_>, now: u64) -> Delivery {
        match DedupKey::of_event(event) {
            Some(key) => self.check(&key, now),
            None => Delivery::First,
        }
    }
}

impl<T: Deduplicator + ?Sized> Deduplicator for &T {
    fn check(&self, key: &DedupKey, now: u64) -> Delivery {
        (**self).check(key, now)
    }
    fn forget(&self, key: &DedupKey) {
        (**self).forget(key);
    }
}

impl<T: Deduplicator + ?Sized> Deduplicator for Arc<T> {
    fn check(&self, key: &DedupKey, now: u64) -> Delivery {
        (**self).check(key, now)
    }
    fn forget(&self, key: &DedupKey) {
        (**self).forget(key);
    }
}

struct State {
    /// Key -> (time first seen, insertion stamp).
    seen: HashMap<Arc<DedupKey>, (u64, u64)>,
    /// Keys in insertion order with their stamp; a stamp that no longer matches `seen` is stale.
    order: VecDeque<(Arc<DedupKey>, u64, u64)>,
    stamp: u64,
}

/// An in-memory [`Deduplicator`] bounded by a number of keys and an age.
///
/// A key is remembered for `max_age_secs` after it was first seen, and at most `capacity` keys are
/// remembered (the oldest go first). Each check is O(1) amortised. The age counts from the first
/// sighting: a duplicate does not extend it.
///
/// Size `capacity` for the keys that arrive during `max_age_secs`: about three statuses per message
/// sent (`sent`, `delivered`, `read`) plus one key per inbound message. A key costs about its id's
/// length plus some 100 bytes; when the size bound is reached first, redeliveries older than the
/// oldest remembered key are accepted again.
///
/// ```
/// use whatsapp_cloud::dedup::{DedupKey, Deduplicator, Delivery, InMemoryDeduplicator};
/// let seen = InMemoryDeduplicator::new(2, 3_600);
/// let (a, b, c) = (DedupKey::message("a"), DedupKey::message("b"), DedupKey::message("c"));
/// assert_eq!(seen.check(&a, 0), Delivery::First);
/// assert_eq!(seen.check(&b, 0), Delivery::First);
/// assert_eq!(seen.check(&c, 0), Delivery::First); // a is forgotten to make room
/// assert_eq!(seen.check(&b, 0), Delivery::Duplicate);
/// assert_eq!(seen.check(&a, 0), Delivery::First); // a late duplicate of a is accepted again
/// ```
pub struct InMemoryDeduplicator {
    capacity: usize,
    max_age_secs: u64,
    state: Mutex<State>,
}

impl InMemoryDeduplicator {
    /// Seven days, the longest redelivery period Meta documents, in seconds.
    pub const DEFAULT_MAX_AGE_SECS: u64 = 7 * 24 * 60 * 60;

    /// A deduplicator remembering at most `capacity` keys (at least one), each for `max_age_secs`.
    pub fn new(capacity: usize, max_age_secs: u64) -> Self {
        Self {
            capacity: capacity.max(1),
            max_age_secs,
            state: Mutex::new(State {
                seen: HashMap::new(),
                order: VecDeque::new(),
                stamp: 0,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The number of keys remembered.
    pub fn len(&self) -> usize {
        self.lock().seen.len()
    }

    /// True when no key is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The maximum number of keys remembered.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How long a key is remembered, in seconds.
    pub fn max_age_secs(&self) -> u64 {
        self.max_age_secs
    }

    /// Forgets every key seen `max_age_secs` or more before `now`.
    pub fn prune(&self, now: u64) {
        let mut state = self.lock();
        self.expire(&mut state, now);
    }

    fn expire(&self, state: &mut State, now: u64) {
        while let Some((key, seen_at, stamp)) = state.order.front() {
            let live = state.seen.get(key).is_some_and(|(_, s)| s == stamp);
            let old = now.saturating_sub(*seen_at) >= self.max_age_secs;
            if live && !old {
                break;
            }
            if live {
                state.seen.remove(key);
            }
            state.order.pop_front();
        }
    }
}

impl Default for InMemoryDeduplicator {
    /// 100 000 keys for seven days.
    fn default() -> Self {
        Self::new(100_000, Self::DEFAULT_MAX_AGE_SECS)
    }
}

impl std::fmt::Debug for InMemoryDeduplicator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InMemoryDeduplicator")
            .field("capacity", &self.capacity)
            .field("max_age_secs", &self.max_age_secs)
            .field("len", &self.len())
            .finish()
    }
}

impl Deduplicator for InMemoryDeduplicator {
    fn check(&self, key: &DedupKey, now: u64) -> Delivery {
        let mut state = self.lock();
        self.expire(&mut state, now);
        if let Some((seen_at, _)) = state.seen.get(key) {
            // Keys are expired from the front in insertion order; a key seen "in the future" of a
            // clock that went back still counts as recent.
            if now.saturating_sub(*seen_at) < self.max_age_secs {
                return Delivery::Duplicate;
            }
        }
        state.stamp += 1;
        let stamp = state.stamp;
        let key = Arc::new(key.clone());
        state.seen.insert(Arc::clone(&key), (now, stamp));
        state.order.push_back((key, now, stamp));
        while state.seen.len() > self.capacity {
            let Some((old, _, old_stamp)) = state.order.pop_front() else {
                break;
            };
            if state.seen.get(&old).is_some_and(|(_, s)| *s == old_stamp) {
                state.seen.remove(&old);
            }
        }
        // `forget` leaves stale entries behind: keep the queue proportional to the live keys.
        if state.order.len() > 2 * state.seen.len() + 16 {
            let State { seen, order, .. } = &mut *state;
            order.retain(|(k, _, s)| seen.get(k).is_some_and(|(_, live)| live == s));
        }
        Delivery::First
    }

    fn forget(&self, key: &DedupKey) {
        self.lock().seen.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_of_one_message_are_distinct_keys() {
        let d = InMemoryDeduplicator::new(10, 100);
        assert!(d.check(&DedupKey::status("m", "sent"), 0).is_first());
        assert!(d.check(&DedupKey::status("m", "delivered"), 0).is_first());
        assert!(d.check(&DedupKey::message("m"), 0).is_first());
        assert!(!d.check(&DedupKey::status("m", "sent"), 1).is_first());
    }

    #[test]
    fn key_expires_exactly_at_max_age() {
        let d = InMemoryDeduplicator::new(10, 100);
        let k = DedupKey::message("m");
        assert!(d.check(&k, 1_000).is_first());
        assert_eq!(d.check(&k, 1_099), Delivery::Duplicate);
        assert_eq!(d.check(&k, 1_100), Delivery::First);
        assert_eq!(d.check(&k, 1_150), Delivery::Duplicate);
    }

    #[test]
    fn forget_lets_the_redelivery_through_and_keeps_the_queue_small() {
        let d = InMemoryDeduplicator::new(1_000, 100);
        let k = DedupKey::message("m");
        for _ in 0..10_000 {
            assert!(d.check(&k, 0).is_first());
            d.forget(&k);
        }
        let state = d.lock();
        assert!(state.order.len() <= 2 * state.seen.len() + 17);
    }

    #[test]
    fn clock_going_back_does_not_forget_keys() {
        let d = InMemoryDeduplicator::new(10, 100);
        let k = DedupKey::message("m");
        assert!(d.check(&k, 1_000).is_first());
        assert_eq!(d.check(&k, 900), Delivery::Duplicate);
    }
}
