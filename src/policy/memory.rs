//! The in-memory stores: [`InMemoryWindowTracker`], [`InMemoryOptOutStore`] and
//! [`InMemoryDeduplicator`].
//!
//! They implement the async store traits with futures that are ready at once and never fail, so
//! synchronous code can drive them with [`block_on`](super::block_on). Each holds its data behind a
//! mutex that is never held across an `await`.
//!
//! They are compact: a million users or message ids take well under 100 bytes each (see each
//! store). Phone numbers are held as integers, business-scoped user ids of the usual form
//! (`US.13491208655302741918`) as an integer and their country code, windows as 32-bit timestamps,
//! and message ids as 128-bit fingerprints (SipHash-1-3 in its 128-bit mode, keyed at random per
//! store): the chance that two of a billion ids share one is about 2⁻⁶⁸, and as the keys are secret
//! nobody can craft a collision. Ids of another form are fingerprinted the same way.

use super::compact::{Fingerprinter, HashedTable};
use super::dedup::{DedupKey, Delivery};
use super::index::KeyIndex;
use super::key::{Merge, UserKey};
use super::opt_out::{Intent, OptOutRecord, Source};
use super::store::{
    BoxFuture, Deduplicator, OptOutStore, StoreError, WindowTracker, done, ready, ready_with,
};
use super::window::{PackedWindow, Window, WindowState};
use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// A mutex that keeps going after a panic elsewhere: every store update leaves consistent data.
struct Locked<T>(Mutex<T>);

impl<T> Locked<T> {
    fn new(value: T) -> Self {
        Self(Mutex::new(value))
    }

    fn lock(&self) -> MutexGuard<'_, T> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<V: Merge + Default> Locked<KeyIndex<V>> {
    /// [`KeyIndex::rename`] under the lock, as a store method's ready future.
    fn rename<'a>(
        &self,
        before: &UserKey,
        after: &UserKey,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.lock().rename(before, after);
        done()
    }
}

/// An in-memory [`WindowTracker`] with a bounded number of users.
///
/// Users are found by BSUID or phone number (see [`UserKey`]). When more than `capacity` users are
/// tracked, the one updated least recently is forgotten (O(1) amortised); a forgotten user's window
/// reads as closed, which errs on the side of sending a template. [`InMemoryWindowTracker::prune`]
/// drops users whose windows all ended.
///
/// A user takes about 93 bytes with a million tracked (the `state` benchmark in the repository's
/// `benches/state.rs`), a BSUID and a phone number included.
///
/// ```
/// use whatsapp_cloud::policy::{InMemoryWindowTracker, UserKey, WindowTracker, block_on};
/// let tracker = InMemoryWindowTracker::new(10_000);
/// let user = UserKey::user_id("US.13491208655302741918").with_phone("16505551234");
/// block_on(tracker.record_inbound(&user, 1_700_000_000))?;
/// // The phone number alone finds the same user.
/// let state = block_on(tracker.state(&UserKey::phone("+1 650 555 1234"), 1_700_000_100))?;
/// assert!(state.allows_free_form());
/// # Ok::<(), whatsapp_cloud::policy::StoreError>(())
/// ```
pub struct InMemoryWindowTracker {
    inner: Locked<KeyIndex<PackedWindow>>,
}

impl InMemoryWindowTracker {
    /// A tracker remembering at most `capacity` users (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            inner: Locked::new(KeyIndex::new(Some(capacity))),
        }
    }

    fn lock(&self) -> MutexGuard<'_, KeyIndex<PackedWindow>> {
        self.inner.lock()
    }

    /// The number of users tracked.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when no user is tracked.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Applies `change` to `user`'s window, created when missing.
    fn update<'a>(
        &self,
        user: &UserKey,
        change: impl FnOnce(&mut Window),
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.lock().entry(user).update(change);
        done()
    }

    /// Forgets users whose windows (customer service, FEP offer and FEP) have all ended by `now`.
    pub fn prune(&self, now: u64) {
        self.lock().retain(|w| w.unpack().relevant_until() > now);
    }
}

impl Default for InMemoryWindowTracker {
    /// A tracker for up to 100 000 users.
    fn default() -> Self {
        Self::new(100_000)
    }
}

impl std::fmt::Debug for InMemoryWindowTracker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InMemoryWindowTracker")
            .field("users", &self.len())
            .finish()
    }
}

impl WindowTracker for InMemoryWindowTracker {
    fn record_inbound<'a>(
        &'a self,
        user: &'a UserKey,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.update(user, |w| w.record_inbound(at))
    }

    fn record_entry_point<'a>(
        &'a self,
        user: &'a UserKey,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.update(user, |w| w.record_entry_point(at))
    }

    fn record_outbound<'a>(
        &'a self,
        user: &'a UserKey,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let mut index = self.lock();
        // Sends to unknown users change nothing: only an answer to an entry point matters.
        if index.get(user).is_some() {
            index.entry(user).update(|w| w.record_outbound(at));
        }
        done()
    }

    fn record_free_entry_point_until<'a>(
        &'a self,
        user: &'a UserKey,
        closes_at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.update(user, |w| w.record_free_entry_point_until(closes_at))
    }

    fn window<'a>(
        &'a self,
        user: &'a UserKey,
    ) -> BoxFuture<'a, Result<Option<Window>, StoreError>> {
        ready(Ok(self.lock().get_linked(user).map(PackedWindow::unpack)))
    }

    fn state<'a>(
        &'a self,
        user: &'a UserKey,
        now: u64,
    ) -> BoxFuture<'a, Result<WindowState, StoreError>> {
        let window = self.lock().get_linked(user).map(PackedWindow::unpack);
        ready(Ok(window.unwrap_or_default().state(now)))
    }

    /// Moves `before`'s window to `after` (merged with any window `after` has).
    fn rename<'a>(
        &'a self,
        before: &'a UserKey,
        after: &'a UserKey,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.inner.rename(before, after)
    }
}

/// One user's opt-out record in 16 bytes: the usual sources inline, [`Source::Other`] boxed.
#[derive(Default)]
enum Slot {
    #[default]
    Empty,
    Short {
        at: u64,
        intent: Intent,
        source: u8,
    },
    Long(Box<OptOutRecord>),
}

const SOURCES: [Source; 4] = [
    Source::Keyword,
    Source::UserPreferences,
    Source::FailedStatus,
    Source::Manual,
];

impl Slot {
    fn pack(record: OptOutRecord) -> Self {
        match SOURCES.iter().position(|s| *s == record.source) {
            Some(source) => Self::Short {
                at: record.at,
                intent: record.intent,
                source: source as u8,
            },
            None => Self::Long(Box::new(record)),
        }
    }

    fn unpack(&self) -> Option<OptOutRecord> {
        match self {
            Self::Empty => None,
            Self::Short { at, intent, source } => Some(OptOutRecord::new(
                *intent,
                SOURCES
                    .get(usize::from(*source))
                    .cloned()
                    .unwrap_or(Source::Manual),
                *at,
            )),
            Self::Long(record) => Some((**record).clone()),
        }
    }

    /// Keeps the later of the held record and `new`.
    fn keep_later(&mut self, new: OptOutRecord) {
        *self = Self::pack(match self.unpack() {
            Some(old) => old.later(new),
            None => new,
        });
    }
}

impl Merge for Slot {
    fn merge(&mut self, other: Self) {
        if let Some(record) = other.unpack() {
            self.keep_later(record);
        }
    }
}

/// An in-memory [`OptOutStore`], found by BSUID or phone number (see [`UserKey`]).
///
/// It is deliberately **unbounded**: forgetting an opt-out would let marketing reach a user who asked
/// for none. Persist opt-outs in your own [`OptOutStore`] to keep them across restarts. A user
/// takes about 74 bytes with a million recorded, a BSUID and a phone number included.
pub struct InMemoryOptOutStore {
    inner: Locked<KeyIndex<Slot>>,
}

impl InMemoryOptOutStore {
    /// An empty store.
    pub fn new() -> Self {
        Self {
            inner: Locked::new(KeyIndex::new(None)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, KeyIndex<Slot>> {
        self.inner.lock()
    }

    /// The number of users with a recorded change.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for InMemoryOptOutStore {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for InMemoryOptOutStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InMemoryOptOutStore")
            .field("users", &self.len())
            .finish()
    }
}

impl OptOutStore for InMemoryOptOutStore {
    fn record<'a>(
        &'a self,
        user: &'a UserKey,
        intent: Intent,
        source: Source,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.lock()
            .entry(user)
            .keep_later(OptOutRecord::new(intent, source, at));
        done()
    }

    fn status<'a>(
        &'a self,
        user: &'a UserKey,
    ) -> BoxFuture<'a, Result<Option<OptOutRecord>, StoreError>> {
        ready(Ok(self.lock().get_linked(user).and_then(Slot::unpack)))
    }

    fn is_opted_out<'a>(&'a self, user: &'a UserKey) -> BoxFuture<'a, Result<bool, StoreError>> {
        let record = self.lock().get_linked(user).and_then(Slot::unpack);
        if record.is_some_and(|r| r.is_opted_out()) {
            ready_with(|| Ok(true))
        } else {
            ready_with(|| Ok(false))
        }
    }

    /// Moves `before`'s record to `after` (the later of the two records wins).
    fn rename<'a>(
        &'a self,
        before: &'a UserKey,
        after: &'a UserKey,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.inner.rename(before, after)
    }
}

/// A remembered key: its fingerprint and when it was first seen.
struct Seen {
    fingerprint: [u64; 2],
    at: u64,
}

struct State {
    /// The live keys, by fingerprint: their sequence numbers in `order`. A probe reads `order`
    /// only on a match of 32 fingerprint bits, so at a million keys a check misses the caches
    /// on the table alone (and, evicting, on the evicted key's bucket).
    seen: HashedTable,
    /// Keys in insertion order; one whose sequence number `seen` does not hold is stale.
    order: VecDeque<Seen>,
    /// The sequence number of the front of `order` (they count modulo [`SEQ_MASK`] + 1).
    head: u32,
    fingerprints: Fingerprinter,
}

/// Sequence numbers count modulo 2³¹, so that one is never the table's empty mark.
const SEQ_MASK: u32 = u32::MAX >> 1;

impl State {
    fn fingerprint(&self, key: &DedupKey) -> [u64; 2] {
        // The variant's tag goes into the hash, and strings hash with their end marked, so a
        // message id, a status and an application key never share a fingerprint by construction.
        match key {
            DedupKey::Message(id) => self.fingerprints.of((0u8, id.as_str())),
            DedupKey::Status { message_id, status } => {
                self.fingerprints
                    .of((1u8, message_id.as_str(), status.as_str()))
            }
            DedupKey::Other(key) => self.fingerprints.of((2u8, key.as_str())),
        }
    }

    fn get(&self, seq: u32) -> Option<&Seen> {
        self.order
            .get((seq.wrapping_sub(self.head) & SEQ_MASK) as usize)
    }

    /// The sequence number of the live key with `fingerprint`.
    fn find(&self, fingerprint: [u64; 2]) -> Option<u32> {
        self.seen.find(fingerprint[0], |seq| {
            self.get(seq).is_some_and(|s| s.fingerprint == fingerprint)
        })
    }

    fn forget(&mut self, fingerprint: [u64; 2], seq: u32) {
        self.seen.remove(fingerprint[0], seq);
    }

    fn push(&mut self, fingerprint: [u64; 2], at: u64) {
        let seq = self.head.wrapping_add(self.order.len() as u32) & SEQ_MASK;
        self.order.push_back(Seen { fingerprint, at });
        self.seen.insert(fingerprint[0], seq);
    }

    /// Whether the front key is live, and when it was seen; `None` when the queue is empty.
    fn front(&self) -> Option<(bool, u64)> {
        let front = self.order.front()?;
        // Each live key has one entry in the queue: without stale entries, every one is live.
        let live =
            self.order.len() == self.seen.len() || self.find(front.fingerprint) == Some(self.head);
        Some((live, front.at))
    }

    /// Drops the front of the queue, forgetting its key when it is live.
    fn pop_front(&mut self, live: bool) {
        if let Some(fingerprint) = self.order.front().map(|s| s.fingerprint)
            && live
        {
            self.forget(fingerprint, self.head);
        }
        if self.order.pop_front().is_some() {
            self.head = self.head.wrapping_add(1) & SEQ_MASK;
        }
    }

    /// Drops the stale entries of the queue (left by `forget`) and renumbers the live ones.
    fn compact(&mut self) {
        let live: Vec<bool> = (0..self.order.len())
            .map(|i| {
                let seq = self.head.wrapping_add(i as u32) & SEQ_MASK;
                self.find(self.order[i].fingerprint) == Some(seq)
            })
            .collect();
        let old = std::mem::take(&mut self.order);
        self.seen.clear();
        self.head = 0;
        for (seen, _) in old.into_iter().zip(live).filter(|(_, live)| *live) {
            self.push(seen.fingerprint, seen.at);
        }
    }
}

/// An in-memory [`Deduplicator`] bounded by a number of keys and an age.
///
/// A key is remembered for `max_age_secs` after it was first seen, and at most `capacity` keys are
/// remembered (the oldest go first). Each check is O(1) amortised. The age counts from the first
/// sighting: a duplicate does not extend it.
///
/// Size `capacity` for the keys that arrive during `max_age_secs`: about three statuses per message
/// sent (`sent`, `delivered`, `read`) plus one key per inbound message. A key costs about 42 bytes
/// whatever its length (it is held as a 128-bit fingerprint, see the [module](self) documentation);
/// when the size bound is reached first, redeliveries older than the oldest remembered key are
/// accepted again.
///
/// ```
/// use whatsapp_cloud::policy::{DedupKey, Deduplicator, Delivery, InMemoryDeduplicator, block_on};
/// let seen = InMemoryDeduplicator::new(2, 3_600);
/// let (a, b, c) = (DedupKey::message("a"), DedupKey::message("b"), DedupKey::message("c"));
/// let check = |key| block_on(seen.check_or_first(key, 0));
/// assert_eq!(check(&a), Delivery::First);
/// assert_eq!(check(&b), Delivery::First);
/// assert_eq!(check(&c), Delivery::First); // a is forgotten to make room
/// assert_eq!(check(&b), Delivery::Duplicate);
/// assert_eq!(check(&a), Delivery::First); // a late duplicate of a is accepted again
/// ```
pub struct InMemoryDeduplicator {
    capacity: usize,
    max_age_secs: u64,
    state: Locked<State>,
}

impl InMemoryDeduplicator {
    /// Seven days, the longest redelivery period Meta documents, in seconds.
    pub const DEFAULT_MAX_AGE_SECS: u64 = 7 * 24 * 60 * 60;

    /// The most keys a deduplicator remembers: 2³⁰ (some 36 GB).
    pub const MAX_CAPACITY: usize = 1 << 30;

    /// A deduplicator remembering at most `capacity` keys (at least one, at most
    /// [`MAX_CAPACITY`](Self::MAX_CAPACITY)), each for `max_age_secs`.
    pub fn new(capacity: usize, max_age_secs: u64) -> Self {
        Self {
            capacity: capacity.clamp(1, Self::MAX_CAPACITY),
            max_age_secs,
            state: Locked::new(State {
                seen: HashedTable::default(),
                order: VecDeque::new(),
                head: 0,
                fingerprints: Fingerprinter::default(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock()
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
        while let Some((live, seen_at)) = state.front() {
            let old = now.saturating_sub(seen_at) >= self.max_age_secs;
            if live && !old {
                break;
            }
            state.pop_front(live);
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
    fn check<'a>(
        &'a self,
        key: &'a DedupKey,
        now: u64,
    ) -> BoxFuture<'a, Result<Delivery, StoreError>> {
        match self.check_now(key, now) {
            Delivery::First => ready_with(|| Ok(Delivery::First)),
            Delivery::Duplicate => ready_with(|| Ok(Delivery::Duplicate)),
        }
    }

    /// [`check`](Deduplicator::check), which never fails in memory.
    fn check_or_first<'a>(&'a self, key: &'a DedupKey, now: u64) -> BoxFuture<'a, Delivery> {
        match self.check_now(key, now) {
            Delivery::First => ready_with(|| Delivery::First),
            Delivery::Duplicate => ready_with(|| Delivery::Duplicate),
        }
    }

    fn forget<'a>(&'a self, key: &'a DedupKey) -> BoxFuture<'a, Result<(), StoreError>> {
        let mut state = self.lock();
        let fingerprint = state.fingerprint(key);
        if let Some(seq) = state.find(fingerprint) {
            state.forget(fingerprint, seq);
        }
        done()
    }
}

impl InMemoryDeduplicator {
    /// The check itself, synchronous.
    fn check_now(&self, key: &DedupKey, now: u64) -> Delivery {
        let mut state = self.lock();
        let fingerprint = state.fingerprint(key);
        self.expire(&mut state, now);
        if let Some(seq) = state.find(fingerprint) {
            let seen_at = state.get(seq).map_or(0, |s| s.at);
            // Keys are expired from the front in insertion order; a key seen "in the future" of a
            // clock that went back still counts as recent.
            if now.saturating_sub(seen_at) < self.max_age_secs {
                return Delivery::Duplicate;
            }
            state.forget(fingerprint, seq);
        }
        state.push(fingerprint, now);
        while state.seen.len() > self.capacity {
            let Some((live, _)) = state.front() else {
                break;
            };
            state.pop_front(live);
        }
        // `forget` leaves stale entries behind: keep the queue proportional to the live keys.
        if state.order.len() > 2 * state.seen.len() + 16 {
            state.compact();
        }
        Delivery::First
    }
}

#[cfg(test)]
mod scale_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::block_on;

    const T0: u64 = 1_700_000_000;
    const H: u64 = 3_600;

    #[test]
    fn prune_forgets_only_ended_windows() {
        let t = InMemoryWindowTracker::new(10);
        block_on(t.record_inbound(&UserKey::phone("1"), T0)).unwrap();
        block_on(t.record_inbound(&UserKey::phone("2"), T0 + 10 * H)).unwrap();
        t.prune(T0 + 24 * H);
        assert_eq!(t.len(), 1);
        assert!(block_on(t.window(&UserKey::phone("2"))).unwrap().is_some());
    }

    #[test]
    fn statuses_of_one_message_are_distinct_keys() {
        let d = InMemoryDeduplicator::new(10, 100);
        assert!(d.check_now(&DedupKey::status("m", "sent"), 0).is_first());
        assert!(
            d.check_now(&DedupKey::status("m", "delivered"), 0)
                .is_first()
        );
        assert!(d.check_now(&DedupKey::message("m"), 0).is_first());
        assert!(!d.check_now(&DedupKey::status("m", "sent"), 1).is_first());
    }

    #[test]
    fn key_expires_exactly_at_max_age() {
        let d = InMemoryDeduplicator::new(10, 100);
        let k = DedupKey::message("m");
        assert!(d.check_now(&k, 1_000).is_first());
        assert_eq!(d.check_now(&k, 1_099), Delivery::Duplicate);
        assert_eq!(d.check_now(&k, 1_100), Delivery::First);
        assert_eq!(d.check_now(&k, 1_150), Delivery::Duplicate);
    }

    #[test]
    fn forget_lets_the_redelivery_through_and_keeps_the_queue_small() {
        let d = InMemoryDeduplicator::new(1_000, 100);
        let k = DedupKey::message("m");
        for _ in 0..10_000 {
            assert!(d.check_now(&k, 0).is_first());
            block_on(d.forget(&k)).unwrap();
        }
        let state = d.lock();
        assert!(state.order.len() <= 2 * state.seen.len() + 17);
    }

    #[test]
    fn clock_going_back_does_not_forget_keys() {
        let d = InMemoryDeduplicator::new(10, 100);
        let k = DedupKey::message("m");
        assert!(d.check_now(&k, 1_000).is_first());
        assert_eq!(d.check_now(&k, 900), Delivery::Duplicate);
    }
}
