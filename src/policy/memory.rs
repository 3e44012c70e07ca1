//! The in-memory stores: [`InMemoryWindowTracker`], [`InMemoryOptOutStore`] and
//! [`InMemoryDeduplicator`].
//!
//! They implement the async store traits with futures that are ready at once and never fail, so
//! synchronous code can drive them with [`block_on`](super::block_on). Each holds its data behind a
//! mutex that is never held across an `await`.

use super::dedup::{DedupKey, Delivery};
use super::key::{KeyIndex, Merge, UserKey};
use super::opt_out::{Intent, OptOutRecord, Source};
use super::store::{BoxFuture, Deduplicator, OptOutStore, StoreError, WindowTracker, ready};
use super::window::Window;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

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
        ready(Ok(()))
    }
}

/// An in-memory [`WindowTracker`] with a bounded number of users.
///
/// Users are found by BSUID or phone number (see [`UserKey`]). When more than `capacity` users are
/// tracked, the one updated least recently is forgotten (O(1) amortised); a forgotten user's window
/// reads as closed, which errs on the side of sending a template. [`InMemoryWindowTracker::prune`]
/// drops users whose windows all ended.
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
    inner: Locked<KeyIndex<Window>>,
}

impl InMemoryWindowTracker {
    /// A tracker remembering at most `capacity` users (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            inner: Locked::new(KeyIndex::new(Some(capacity))),
        }
    }

    fn lock(&self) -> MutexGuard<'_, KeyIndex<Window>> {
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
        change(self.lock().entry(user));
        ready(Ok(()))
    }

    /// Forgets users whose windows (customer service, FEP offer and FEP) have all ended by `now`.
    pub fn prune(&self, now: u64) {
        self.lock().retain(|w| w.relevant_until() > now);
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
            index.entry(user).record_outbound(at);
        }
        ready(Ok(()))
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
        ready(Ok(self.lock().get_linked(user).copied()))
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

#[derive(Default)]
struct Slot(Option<OptOutRecord>);

impl Merge for Slot {
    fn merge(&mut self, other: Self) {
        self.0 = match (self.0.take(), other.0) {
            (Some(a), Some(b)) => Some(a.later(b)),
            (a, b) => a.or(b),
        };
    }
}

/// An in-memory [`OptOutStore`], found by BSUID or phone number (see [`UserKey`]).
///
/// It is deliberately **unbounded**: forgetting an opt-out would let marketing reach a user who asked
/// for none. Persist opt-outs in your own [`OptOutStore`] to keep them across restarts.
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
        let mut index = self.lock();
        let slot = index.entry(user);
        let new = OptOutRecord::new(intent, source, at);
        slot.0 = Some(match slot.0.take() {
            Some(old) => old.later(new),
            None => new,
        });
        ready(Ok(()))
    }

    fn status<'a>(
        &'a self,
        user: &'a UserKey,
    ) -> BoxFuture<'a, Result<Option<OptOutRecord>, StoreError>> {
        ready(Ok(self.lock().get_linked(user).and_then(|s| s.0.clone())))
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

    /// A deduplicator remembering at most `capacity` keys (at least one), each for `max_age_secs`.
    pub fn new(capacity: usize, max_age_secs: u64) -> Self {
        Self {
            capacity: capacity.max(1),
            max_age_secs,
            state: Locked::new(State {
                seen: HashMap::new(),
                order: VecDeque::new(),
                stamp: 0,
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
    fn check<'a>(
        &'a self,
        key: &'a DedupKey,
        now: u64,
    ) -> BoxFuture<'a, Result<Delivery, StoreError>> {
        ready(Ok(self.check_now(key, now)))
    }

    fn forget<'a>(&'a self, key: &'a DedupKey) -> BoxFuture<'a, Result<(), StoreError>> {
        self.lock().seen.remove(key);
        ready(Ok(()))
    }
}

impl InMemoryDeduplicator {
    /// The check itself, synchronous.
    fn check_now(&self, key: &DedupKey, now: u64) -> Delivery {
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
}

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
