//! [`KeyIndex`]: records by [`UserKey`], found by either id, in a few dozen bytes per user.

use super::compact::{Fingerprinter, Id, SlotTable};
use super::key::{Merge, UserKey};
use std::collections::VecDeque;

/// The `touched` mark of a tombstone: a position whose record was removed, which a probe passes.
const TOMBSTONE: u32 = u32::MAX;

/// One position of the table: a user's record and ids, a free position (neither id, not a
/// tombstone) or a tombstone (neither id, `touched` is [`TOMBSTONE`]).
struct Entry<V> {
    user_lo: u64,
    phone_lo: u64,
    user_hi: u32,
    phone_hi: u32,
    /// The stamp of the last update, matched against the touch queue.
    touched: u32,
    value: V,
}

impl<V: Default> Entry<V> {
    fn free() -> Self {
        Self {
            user_lo: 0,
            phone_lo: 0,
            user_hi: 0,
            phone_hi: 0,
            touched: 0,
            value: V::default(),
        }
    }
}

impl<V> Entry<V> {
    fn user(&self) -> Option<Id> {
        Id {
            lo: self.user_lo,
            hi: self.user_hi,
        }
        .get()
    }

    fn phone(&self) -> Option<Id> {
        Id {
            lo: self.phone_lo,
            hi: self.phone_hi,
        }
        .get()
    }

    fn set_user(&mut self, id: Id) {
        (self.user_lo, self.user_hi) = (id.lo, id.hi);
    }

    fn set_phone(&mut self, id: Id) {
        (self.phone_lo, self.phone_hi) = (id.lo, id.hi);
    }

    fn is_live(&self) -> bool {
        self.user_hi != 0 || self.phone_hi != 0
    }

    /// A position no record ever held since the table was built: a probe ends here.
    fn is_free(&self) -> bool {
        !self.is_live() && self.touched != TOMBSTONE
    }
}

/// A [`UserKey`] with its ids packed.
#[derive(Clone, Copy)]
struct Key {
    user: Option<Id>,
    phone: Option<Id>,
}

/// Records by [`UserKey`]: one record per user, reachable by BSUID and by phone, optionally bounded
/// in number with least-recently-updated eviction (O(1) amortised).
///
/// The records themselves form an open-addressing table (linear probing, tombstones), each at a
/// position on the probe path of its BSUID, or of its phone for a user known by number only: a
/// lookup by BSUID reads the record where it probes, so at a million users it misses the CPU caches
/// once. A second table maps every phone number held to its record's position. Positions ("slots")
/// are stable until the table is rebuilt (to grow, or to clear tombstones), which renumbers the
/// phone table and the touch queue with it; a record also moves when a user known by number gains a
/// BSUID.
///
/// Invariants: an entry holding user id `u` is the only live one with `u`, on `u`'s probe path; an
/// entry holding phone `p` is the one `by_phone` maps `p` to; each slot is in `by_phone` at most
/// once.
pub(crate) struct KeyIndex<V> {
    entries: Vec<Entry<V>>,
    /// Live records.
    live: usize,
    /// Positions that are not free (live records and tombstones).
    used: usize,
    by_phone: SlotTable,
    /// (slot, touch stamp) in touch order; entries whose stamp is stale are skipped. Unused (empty)
    /// without a capacity.
    order: VecDeque<(u32, u32)>,
    clock: u32,
    capacity: Option<usize>,
    ids: Fingerprinter,
}

/// The table is rebuilt when more than this share of its positions (out of 10) is used.
const MAX_LOAD_TENTHS: usize = 8;

impl<V: Merge + Default> KeyIndex<V> {
    pub(crate) fn new(capacity: Option<usize>) -> Self {
        Self {
            entries: Vec::new(),
            live: 0,
            used: 0,
            by_phone: SlotTable::tagged(),
            order: VecDeque::new(),
            clock: 0,
            capacity: capacity.map(|c| c.max(1)),
            ids: Fingerprinter::default(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.live
    }

    fn key(&self, key: &UserKey) -> Key {
        Key {
            user: key.bsuid().map(|u| Id::bsuid(u.as_str(), &self.ids)),
            phone: key.phone_digits().map(|p| Id::phone(p, &self.ids)),
        }
    }

    /// The first position of `hash`'s probe path.
    fn home(&self, hash: u64) -> usize {
        ((u128::from(hash) * self.entries.len() as u128) >> 64) as usize
    }

    fn next(&self, i: usize) -> usize {
        if i + 1 == self.entries.len() {
            0
        } else {
            i + 1
        }
    }

    fn find_user(&self, id: Id) -> Option<u32> {
        if self.live == 0 {
            return None;
        }
        let mut i = self.home(self.ids.position(id));
        loop {
            let entry = &self.entries[i];
            if entry.user() == Some(id) {
                return Some(i as u32);
            }
            if entry.is_free() {
                return None;
            }
            i = self.next(i);
        }
    }

    fn find_phone(&self, id: Id) -> Option<u32> {
        let entries = &self.entries;
        self.by_phone.find(self.ids.position(id), |s| {
            entries[s as usize].phone() == Some(id)
        })
    }

    /// The slots of `key`'s BSUID and of its phone. The second lookup is skipped when the first
    /// slot holds the phone (the invariant says the phone leads there).
    fn find_both(&self, key: Key) -> (Option<u32>, Option<u32>) {
        let by_user = key.user.and_then(|u| self.find_user(u));
        let by_phone = key.phone.and_then(|p| match by_user {
            Some(a) if self.entries[a as usize].phone() == Some(p) => Some(a),
            _ => self.find_phone(p),
        });
        (by_user, by_phone)
    }

    fn find(&self, key: Key) -> Option<u32> {
        if let Some(slot) = key.user.and_then(|u| self.find_user(u)) {
            return Some(slot);
        }
        let slot = key.phone.and_then(|p| self.find_phone(p))?;
        // The phone now belongs to someone with another BSUID: not this user.
        match (key.user, self.entries[slot as usize].user()) {
            (Some(wanted), Some(held)) if wanted != held => None,
            _ => Some(slot),
        }
    }

    pub(crate) fn get(&self, key: &UserKey) -> Option<&V> {
        self.find(self.key(key))
            .map(|slot| &self.entries[slot as usize].value)
    }

    /// The record of `key` for a read. A key with both ids whose phone still leads to a record of
    /// its own without a BSUID (a fact learned under the phone alone, such as a failed status)
    /// first folds that record into the BSUID's, as a write with both ids would: a fact recorded
    /// under either id is then seen through both.
    pub(crate) fn get_linked(&mut self, key: &UserKey) -> Option<&V> {
        let key = self.key(key);
        let slot = match self.find_both(key) {
            (Some(a), Some(b)) if a != b && self.entries[b as usize].user().is_none() => {
                Some(self.link(key))
            }
            // What `find` gives, from the lookups already made.
            (Some(a), _) => Some(a),
            (None, b) => b.filter(|b| match (key.user, self.entries[*b as usize].user()) {
                (Some(wanted), Some(held)) => wanted == held,
                _ => true,
            }),
        };
        slot.map(|slot| &self.entries[slot as usize].value)
    }

    /// The record of `key`, created when missing, with both ids linked to it.
    pub(crate) fn entry(&mut self, key: &UserKey) -> &mut V {
        let key = self.key(key);
        self.entry_of(key)
    }

    fn entry_of(&mut self, key: Key) -> &mut V {
        let slot = self.link(key);
        self.touch(slot);
        self.evict_over_capacity(slot);
        &mut self.entries[slot as usize].value
    }

    /// The hash of the phone held in `slot` (for the phone table to move its buckets).
    fn phone_hash_of(entries: &[Entry<V>], ids: &Fingerprinter, slot: u32) -> u64 {
        ids.position(entries[slot as usize].phone().unwrap_or(Id::NONE))
    }

    fn add_phone(&mut self, slot: u32, phone: Id) {
        self.entries[slot as usize].set_phone(phone);
        self.index_phone(slot, phone);
    }

    /// Enters `phone`, which the record in `slot` holds, in the phone table.
    fn index_phone(&mut self, slot: u32, phone: Id) {
        let (entries, ids) = (&self.entries, &self.ids);
        self.by_phone.insert(ids.position(phone), slot, |s| {
            Self::phone_hash_of(entries, ids, s)
        });
    }

    /// Takes `slot`'s phone away, from the record and the phone table.
    fn remove_phone(&mut self, slot: u32) {
        if let Some(phone) = self.entries[slot as usize].phone() {
            let (entries, ids) = (&self.entries, &self.ids);
            self.by_phone.remove(ids.position(phone), slot, |s| {
                Self::phone_hash_of(entries, ids, s)
            });
            self.entries[slot as usize].set_phone(Id::NONE);
        }
    }

    /// Puts `entry` (live) at the first free position or tombstone of the probe path of `hash`;
    /// [`reserve`](Self::reserve) made room for it. Its phone is not entered in the phone table.
    fn place(&mut self, hash: u64, entry: Entry<V>) -> u32 {
        let mut i = self.home(hash);
        while self.entries[i].is_live() {
            i = self.next(i);
        }
        if self.entries[i].is_free() {
            self.used += 1;
        }
        self.entries[i] = entry;
        self.live += 1;
        i as u32
    }

    /// The hash of the id that places a live entry: its BSUID, or its phone.
    fn placing_hash(&self, entry: &Entry<V>) -> u64 {
        self.ids
            .position(entry.user().or(entry.phone()).unwrap_or(Id::NONE))
    }

    /// Makes sure one more record can be placed without a rebuild. Slots held by the caller are
    /// invalid after this call.
    fn reserve(&mut self) {
        if (self.used + 1) * 10 > self.entries.len() * MAX_LOAD_TENTHS {
            self.rebuild((2 * (self.live + 1)).max(16));
        }
    }

    /// Rebuilds the table with `size` positions (more than the live records): every record is
    /// placed anew, tombstones go, and the phone table and the touch queue follow the records.
    fn rebuild(&mut self, size: usize) {
        let old = std::mem::replace(
            &mut self.entries,
            (0..size).map(|_| Entry::free()).collect(),
        );
        let (live, phones) = (self.live, self.by_phone.len());
        (self.live, self.used) = (0, 0);
        let mut moved = vec![u32::MAX; if self.order.is_empty() { 0 } else { old.len() }];
        for (from, entry) in old.into_iter().enumerate() {
            if entry.is_live() {
                let to = self.place(self.placing_hash(&entry), entry);
                if let Some(m) = moved.get_mut(from) {
                    *m = to;
                }
            }
        }
        debug_assert_eq!(live, self.live);
        self.by_phone = SlotTable::tagged_with_capacity(phones, size as u32);
        for slot in 0..size as u32 {
            if let Some(phone) = self.entries[slot as usize].phone() {
                self.index_phone(slot, phone);
            }
        }
        let entries = &self.entries;
        let order = std::mem::take(&mut self.order);
        self.order = order
            .into_iter()
            .filter_map(|(slot, stamp)| {
                let to = *moved.get(slot as usize)?;
                is_current(entries, to, stamp).then_some((to, stamp))
            })
            .collect();
    }

    fn new_slot(&mut self, user: Option<Id>, phone: Option<Id>) -> u32 {
        let mut entry = Entry::free();
        if let Some(u) = user {
            entry.set_user(u);
        }
        if let Some(p) = phone {
            entry.set_phone(p);
        }
        let slot = self.place(self.placing_hash(&entry), entry);
        if let Some(p) = phone {
            // `place` left the phone out of the phone table.
            self.index_phone(slot, p);
        }
        slot
    }

    /// Gives the record in `slot`, known by its phone alone, the BSUID `user` (held by no other
    /// record): it moves onto the BSUID's probe path. Returns its new slot.
    fn add_user(&mut self, slot: u32, user: Id) -> u32 {
        let phone = self.entries[slot as usize].phone();
        let mut entry = self.take_out(slot);
        entry.set_user(user);
        let to = self.place(self.ids.position(user), entry);
        if let Some(p) = phone {
            self.add_phone(to, p);
        }
        // Its touch-queue stamp now names a tombstone: the touch that follows every link gives it
        // a new one.
        to
    }

    /// Finds or creates the slot for `key` and makes both of its ids point at it.
    fn link(&mut self, key: Key) -> u32 {
        self.reserve();
        let mut slot = match self.find_both(key) {
            (Some(a), None) => a,
            (None, Some(b)) => {
                let holder = self.entries[b as usize].user();
                match (key.user, holder) {
                    // The phone belongs to another BSUID: a different user now has this number.
                    (Some(_), Some(_)) => {
                        self.remove_phone(b);
                        self.new_slot(key.user, None)
                    }
                    _ => b,
                }
            }
            (Some(a), Some(b)) if a != b => {
                if self.entries[b as usize].user().is_some() {
                    self.remove_phone(b);
                } else if let Some(other) = self.remove_slot(b) {
                    // A phone-only record of the same user: fold it in.
                    self.entries[a as usize].value.merge(other);
                }
                a
            }
            (Some(a), Some(_)) => a,
            (None, None) => self.new_slot(key.user, key.phone),
        };
        // The slot holds either no BSUID or this one (found by it), and the phone is now unheld
        // or held by this slot.
        if let Some(u) = key.user
            && self.entries[slot as usize].user().is_none()
        {
            slot = self.add_user(slot, u);
        }
        if let Some(p) = key.phone
            && self.entries[slot as usize].phone() != Some(p)
        {
            self.remove_phone(slot);
            self.add_phone(slot, p);
        }
        slot
    }

    fn touch(&mut self, slot: u32) {
        if self.capacity.is_none() {
            return;
        }
        if self.clock == u32::MAX {
            self.renumber();
        }
        self.clock += 1;
        self.entries[slot as usize].touched = self.clock;
        self.order.push_back((slot, self.clock));
        // Keep the queue proportional to the live slots: drop stale stamps when it doubles.
        if self.order.len() > 2 * self.len() + 16 {
            let entries = &self.entries;
            self.order
                .retain(|(slot, stamp)| is_current(entries, *slot, *stamp));
        }
    }

    /// Restarts the stamps from 1, in touch order, when the clock runs out.
    fn renumber(&mut self) {
        let entries = &self.entries;
        self.order
            .retain(|(slot, stamp)| is_current(entries, *slot, *stamp));
        for (stamp, (slot, old)) in (1..).zip(self.order.iter_mut()) {
            self.entries[*slot as usize].touched = stamp;
            *old = stamp;
        }
        self.clock = self.order.len() as u32;
    }

    fn evict_over_capacity(&mut self, keep: u32) {
        let Some(capacity) = self.capacity else {
            return;
        };
        while self.len() > capacity {
            let Some((slot, stamp)) = self.order.pop_front() else {
                return;
            };
            if is_current(&self.entries, slot, stamp) && slot != keep {
                self.remove_slot(slot);
            }
        }
    }

    fn remove_slot(&mut self, slot: u32) -> Option<V> {
        if !self.entries[slot as usize].is_live() {
            return None;
        }
        Some(self.take_out(slot).value)
    }

    /// Takes the live record out of `slot`, leaving a tombstone, and its phone out of the phone
    /// table.
    fn take_out(&mut self, slot: u32) -> Entry<V> {
        self.remove_phone(slot);
        let mut tombstone = Entry::free();
        tombstone.touched = TOMBSTONE;
        self.live -= 1;
        std::mem::replace(&mut self.entries[slot as usize], tombstone)
    }

    /// The user known as `before` is now `after` (a new phone number or BSUID): the records found
    /// by `before` (by its BSUID, and by its phone unless that phone now belongs to another BSUID)
    /// are taken out, merged, and merged into the record of `after`; the old ids that `after` does
    /// not replace (the BSUID on a number change, the number on a BSUID change) stay linked to it.
    /// Nothing happens when `before` has no record.
    pub(crate) fn rename(&mut self, before: &UserKey, after: &UserKey) {
        let before = self.key(before);
        let by_user = before.user.and_then(|u| self.find_user(u));
        let by_phone = before
            .phone
            .and_then(|p| self.find_phone(p))
            .filter(|slot| {
                let holder = self.entries[*slot as usize].user();
                match (before.user, holder) {
                    (Some(wanted), Some(held)) => wanted == held,
                    _ => true,
                }
            });
        let mut carried: Option<V> = None;
        // The ids `after` does not replace stay the user's: a new number keeps the BSUID, a new
        // BSUID keeps the number.
        let mut target = self.key(after);
        for slot in [by_user, by_phone.filter(|p| Some(*p) != by_user)]
            .into_iter()
            .flatten()
        {
            let entry = &self.entries[slot as usize];
            if target.user.is_none() {
                target.user = entry.user();
            }
            if target.phone.is_none() {
                target.phone = entry.phone();
            }
            if let Some(value) = self.remove_slot(slot) {
                match carried.as_mut() {
                    Some(c) => c.merge(value),
                    None => carried = Some(value),
                }
            }
        }
        if let Some(value) = carried {
            self.entry_of(target).merge(value);
        }
    }

    /// Drops every record for which `keep` is false.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&V) -> bool) {
        let dead: Vec<u32> = (0..self.entries.len() as u32)
            .filter(|s| {
                let entry = &self.entries[*s as usize];
                entry.is_live() && !keep(&entry.value)
            })
            .collect();
        for slot in dead {
            self.remove_slot(slot);
        }
    }
}

/// True when `slot` is live and was last touched at `stamp`.
fn is_current<V>(entries: &[Entry<V>], slot: u32, stamp: u32) -> bool {
    entries
        .get(slot as usize)
        .is_some_and(|e| e.is_live() && e.touched == stamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default, Debug, PartialEq)]
    struct Count(u32);
    impl Merge for Count {
        fn merge(&mut self, other: Self) {
            self.0 += other.0;
        }
    }

    #[test]
    fn user_recorded_with_both_ids_is_found_by_either() {
        let mut index = KeyIndex::<Count>::new(None);
        index.entry(&UserKey::user_id("US.1").with_phone("111")).0 += 1;
        assert_eq!(index.get(&UserKey::user_id("US.1")), Some(&Count(1)));
        assert_eq!(index.get(&UserKey::phone("111")), Some(&Count(1)));
        assert_eq!(index.len(), 1);
    }

    #[test]
    fn phone_only_record_is_merged_into_the_bsuid_record() {
        let mut index = KeyIndex::<Count>::new(None);
        index.entry(&UserKey::phone("111")).0 += 1;
        index.entry(&UserKey::user_id("US.1")).0 += 10;
        index.entry(&UserKey::user_id("US.1").with_phone("111")).0 += 100;
        assert_eq!(index.len(), 1);
        assert_eq!(index.get(&UserKey::phone("111")), Some(&Count(111)));
    }

    #[test]
    fn phone_taken_over_by_another_bsuid_is_not_the_old_user() {
        let mut index = KeyIndex::<Count>::new(None);
        index.entry(&UserKey::user_id("US.1").with_phone("111")).0 += 1;
        index.entry(&UserKey::user_id("US.2").with_phone("111")).0 += 5;
        assert_eq!(index.get(&UserKey::user_id("US.1")), Some(&Count(1)));
        assert_eq!(index.get(&UserKey::user_id("US.2")), Some(&Count(5)));
        assert_eq!(index.get(&UserKey::phone("111")), Some(&Count(5)));
        // Asking for US.1 with the phone now held by US.2 finds US.1, not US.2.
        assert_eq!(
            index.get(&UserKey::user_id("US.1").with_phone("111")),
            Some(&Count(1))
        );
        assert_eq!(index.get(&UserKey::user_id("US.3").with_phone("111")), None);
    }

    #[test]
    fn rename_moves_the_record_to_the_new_ids_and_merges_with_theirs() {
        let mut index = KeyIndex::<Count>::new(None);
        index.entry(&UserKey::phone("111")).0 += 1;
        index.entry(&UserKey::user_id("US.1")).0 += 10;
        index.entry(&UserKey::user_id("US.2").with_phone("222")).0 += 100;
        // The phone-only and the BSUID-only record were one user, now known as US.2 / 222.
        index.rename(
            &UserKey::user_id("US.1").with_phone("111"),
            &UserKey::user_id("US.2").with_phone("222"),
        );
        assert_eq!(index.len(), 1);
        assert_eq!(index.get(&UserKey::user_id("US.2")), Some(&Count(111)));
        assert_eq!(index.get(&UserKey::phone("222")), Some(&Count(111)));
        assert_eq!(index.get(&UserKey::user_id("US.1")), None);
        assert_eq!(index.get(&UserKey::phone("111")), None);
    }

    #[test]
    fn rename_leaves_a_phone_now_held_by_another_bsuid_alone() {
        let mut index = KeyIndex::<Count>::new(None);
        index.entry(&UserKey::user_id("US.1")).0 += 1;
        index.entry(&UserKey::user_id("US.9").with_phone("111")).0 += 50;
        index.rename(
            &UserKey::user_id("US.1").with_phone("111"),
            &UserKey::user_id("US.2"),
        );
        assert_eq!(index.get(&UserKey::user_id("US.2")), Some(&Count(1)));
        assert_eq!(index.get(&UserKey::phone("111")), Some(&Count(50)));
        // A new number keeps the BSUID; a new BSUID keeps the number.
        index.rename(&UserKey::phone("111"), &UserKey::phone("555"));
        index.rename(&UserKey::user_id("US.2"), &UserKey::user_id("US.3"));
        assert_eq!(index.get(&UserKey::user_id("US.9")), Some(&Count(50)));
        assert_eq!(index.get(&UserKey::phone("555")), Some(&Count(50)));
        assert_eq!(index.get(&UserKey::user_id("US.3")), Some(&Count(1)));
        let mut moved = KeyIndex::<Count>::new(None);
        moved.entry(&UserKey::user_id("US.4").with_phone("444")).0 += 7;
        moved.rename(&UserKey::user_id("US.4"), &UserKey::user_id("US.5"));
        assert_eq!(moved.get(&UserKey::phone("444")), Some(&Count(7)));
        assert_eq!(moved.get(&UserKey::user_id("US.5")), Some(&Count(7)));
        assert_eq!(moved.get(&UserKey::user_id("US.4")), None);
        // Nothing known under the old ids: nothing to move.
        index.rename(&UserKey::phone("333"), &UserKey::phone("444"));
        assert_eq!(index.get(&UserKey::phone("444")), None);
    }

    #[test]
    fn capacity_evicts_the_least_recently_updated_user() {
        let mut index = KeyIndex::<Count>::new(Some(2));
        index.entry(&UserKey::phone("1")).0 += 1;
        index.entry(&UserKey::phone("2")).0 += 1;
        index.entry(&UserKey::phone("1")).0 += 1;
        index.entry(&UserKey::phone("3")).0 += 1;
        assert_eq!(index.len(), 2);
        assert_eq!(index.get(&UserKey::phone("2")), None);
        assert_eq!(index.get(&UserKey::phone("1")), Some(&Count(2)));
        assert_eq!(index.get(&UserKey::phone("3")), Some(&Count(1)));
    }

    #[test]
    fn touch_queue_stays_proportional_to_live_users() {
        let mut index = KeyIndex::<Count>::new(Some(4));
        for _ in 0..10_000 {
            index.entry(&UserKey::phone("1")).0 += 1;
        }
        assert!(index.order.len() <= 2 * index.len() + 17);
        assert_eq!(index.get(&UserKey::phone("1")), Some(&Count(10_000)));
    }

    #[test]
    fn eviction_order_survives_the_clock_running_out() {
        let mut index = KeyIndex::<Count>::new(Some(3));
        index.clock = u32::MAX - 3;
        for p in ["1", "2", "3", "1", "4", "5"] {
            index.entry(&UserKey::phone(p)).0 += 1;
        }
        assert_eq!(index.len(), 3);
        assert_eq!(index.get(&UserKey::phone("2")), None);
        assert_eq!(index.get(&UserKey::phone("3")), None);
        assert_eq!(index.get(&UserKey::phone("1")), Some(&Count(2)));
        assert_eq!(index.get(&UserKey::phone("5")), Some(&Count(1)));
        assert!(index.clock < 10);
    }

    #[test]
    fn freed_records_are_reused_and_found_only_by_their_new_ids() {
        let mut index = KeyIndex::<Count>::new(Some(2));
        for i in 0..1_000u32 {
            let key = UserKey::user_id(format!("US.{i}")).with_phone(i.to_string());
            index.entry(&key).0 += i;
        }
        assert_eq!(index.len(), 2);
        assert!(index.entries.len() <= 16);
        assert_eq!(index.get(&UserKey::phone("999")), Some(&Count(999)));
        assert_eq!(index.get(&UserKey::user_id("US.998")), Some(&Count(998)));
        assert_eq!(index.get(&UserKey::phone("997")), None);
        index.retain(|c| c.0 != 999);
        assert_eq!(index.len(), 1);
        assert_eq!(index.get(&UserKey::user_id("US.999")), None);
        assert_eq!(index.by_phone.len(), 1);
    }
}
