//! [`UserKey`]: who a window or opt-out belongs to, and the index that finds a user by either id.

use crate::ids::{Recipient, UserId};
use std::collections::{HashMap, VecDeque};
use std::fmt;

/// Identifies a WhatsApp user by business-scoped user id (BSUID), phone number, or both.
///
/// Since 2026 a webhook may carry a BSUID (`user_id`), a phone number (`from` / `wa_id`), or both, and
/// a send may address either. Stores keyed by `UserKey` prefer the BSUID and also map the phone number,
/// so a user recorded with both is found again by either one.
///
/// Phone numbers are compared by their digits only: `+1 (631) 555-1234` and `16315551234` are the same
/// key. Pass numbers in international form: Meta prepends the business number's country code to a
/// number without `+`, which this key cannot know. A phone string without any digit is kept as given.
///
/// ```
/// use whatsapp_cloud::policy::UserKey;
/// let key = UserKey::user_id("US.13491208655302741918").with_phone("+1 (631) 555-1234");
/// assert_eq!(key.phone_digits(), Some("16315551234"));
/// assert_eq!(key.to_string(), "US.13491208655302741918");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UserKey {
    user_id: Option<UserId>,
    phone: Option<String>,
}

impl UserKey {
    /// A key by business-scoped user id.
    pub fn user_id(id: impl Into<UserId>) -> Self {
        Self {
            user_id: Some(id.into()),
            phone: None,
        }
    }

    /// A key by phone number or `wa_id` (compared by digits).
    pub fn phone(number: impl AsRef<str>) -> Self {
        Self {
            user_id: None,
            phone: Some(normalize_phone(number.as_ref())),
        }
    }

    /// A key from the optional ids a webhook carries; blank values (Meta sends `wa_id: ""` for
    /// BSUID-only users) count as absent. A `phone` with the BSUID shape (`US.1349…`, `user.ab12…`),
    /// as `from` or `recipient_id` can be for BSUID-only users, is taken as the BSUID. `None` when
    /// neither is present.
    ///
    /// ```
    /// use whatsapp_cloud::policy::UserKey;
    /// assert!(UserKey::from_parts(Some(""), Some(" ")).is_none());
    /// let key = UserKey::from_parts(Some("US.1"), Some("")).unwrap();
    /// assert_eq!(key.phone_digits(), None);
    /// let key = UserKey::from_parts(None, Some("US.13491208655302741918")).unwrap();
    /// assert_eq!(key, UserKey::user_id("US.13491208655302741918"));
    /// ```
    pub fn from_parts(user_id: Option<&str>, phone: Option<&str>) -> Option<Self> {
        let mut user_id = user_id
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(UserId::from);
        let mut phone_value = None;
        if let Some(p) = phone.map(str::trim).filter(|s| !s.is_empty()) {
            match Recipient::from(p) {
                Recipient::UserId(u) => {
                    user_id.get_or_insert(u);
                }
                _ => phone_value = Some(normalize_phone(p)),
            }
        }
        if user_id.is_none() && phone_value.is_none() {
            return None;
        }
        Some(Self {
            user_id,
            phone: phone_value,
        })
    }

    /// The key of a send's recipient; `None` for a group (groups have no per-user window or opt-out).
    /// A recipient with both a phone number and a business-scoped user id keys the user by both, so
    /// a window or opt-out recorded under either one applies.
    ///
    /// ```
    /// use whatsapp_cloud::{Recipient, policy::UserKey};
    /// assert_eq!(UserKey::from_recipient(&Recipient::phone("+44 7700 900123")), Some(UserKey::phone("447700900123")));
    /// assert_eq!(UserKey::from_recipient(&Recipient::group("G1")), None);
    /// let both = Recipient::phone_and_user_id("+44 7700 900123", "GB.1");
    /// assert_eq!(
    ///     UserKey::from_recipient(&both),
    ///     Some(UserKey::user_id("GB.1").with_phone("447700900123")),
    /// );
    /// ```
    pub fn from_recipient(recipient: &Recipient) -> Option<Self> {
        match recipient {
            Recipient::Phone(p) => Some(Self::phone(p)),
            Recipient::UserId(u) => Some(Self::user_id(u.clone())),
            Recipient::PhoneAndUserId { phone, user_id } => {
                Some(Self::user_id(user_id.clone()).with_phone(phone))
            }
            _ => None,
        }
    }

    /// Adds (or replaces) the phone number.
    #[must_use]
    pub fn with_phone(mut self, number: impl AsRef<str>) -> Self {
        self.phone = Some(normalize_phone(number.as_ref()));
        self
    }

    /// Adds (or replaces) the business-scoped user id.
    #[must_use]
    pub fn with_user_id(mut self, id: impl Into<UserId>) -> Self {
        self.user_id = Some(id.into());
        self
    }

    /// The business-scoped user id, when known.
    pub fn bsuid(&self) -> Option<&UserId> {
        self.user_id.as_ref()
    }

    /// The phone number as digits, when known.
    pub fn phone_digits(&self) -> Option<&str> {
        self.phone.as_deref()
    }
}

impl fmt::Display for UserKey {
    /// The BSUID when known, otherwise the phone digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.user_id, &self.phone) {
            (Some(u), _) => f.write_str(u.as_str()),
            (None, Some(p)) => f.write_str(p),
            (None, None) => f.write_str("<unknown user>"),
        }
    }
}

impl fmt::Debug for UserKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("UserKey");
        if let Some(u) = &self.user_id {
            d.field("user_id", &u.as_str());
        }
        if let Some(p) = &self.phone {
            d.field("phone", p);
        }
        d.finish()
    }
}

impl From<UserId> for UserKey {
    fn from(id: UserId) -> Self {
        Self::user_id(id)
    }
}

/// Digits only, so formatting differences do not split one user in two.
fn normalize_phone(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        number.trim().to_owned()
    } else {
        digits
    }
}

/// Values that can absorb another record of the same user (when a phone-only record turns out to
/// belong to a known BSUID).
pub(crate) trait Merge {
    /// Folds `other` into `self`.
    fn merge(&mut self, other: Self);
}

struct Slot<V> {
    value: V,
    user_id: Option<UserId>,
    phone: Option<String>,
    touched: u64,
}

/// Records by [`UserKey`]: one slot per user, reachable by BSUID and by phone, optionally bounded in
/// number with least-recently-updated eviction (O(1) amortised).
pub(crate) struct KeyIndex<V> {
    slots: HashMap<u64, Slot<V>>,
    by_user: HashMap<UserId, u64>,
    by_phone: HashMap<String, u64>,
    /// (slot, touch stamp) in touch order; entries whose stamp is stale are skipped.
    order: VecDeque<(u64, u64)>,
    next_slot: u64,
    clock: u64,
    capacity: Option<usize>,
}

impl<V: Merge + Default> KeyIndex<V> {
    pub(crate) fn new(capacity: Option<usize>) -> Self {
        Self {
            slots: HashMap::new(),
            by_user: HashMap::new(),
            by_phone: HashMap::new(),
            order: VecDeque::new(),
            next_slot: 0,
            clock: 0,
            capacity: capacity.map(|c| c.max(1)),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    fn find(&self, key: &UserKey) -> Option<u64> {
        if let Some(slot) = key.user_id.as_ref().and_then(|u| self.by_user.get(u)) {
            return Some(*slot);
        }
        let slot = *key.phone.as_ref().and_then(|p| self.by_phone.get(p))?;
        // The phone now belongs to someone with another BSUID: not this user.
        match (
            &key.user_id,
            self.slots.get(&slot).and_then(|s| s.user_id.as_ref()),
        ) {
            (Some(wanted), Some(held)) if wanted != held => None,
            _ => Some(slot),
        }
    }

    pub(crate) fn get(&self, key: &UserKey) -> Option<&V> {
        self.find(key)
            .and_then(|slot| self.slots.get(&slot))
            .map(|s| &s.value)
    }

    /// The record of `key` for a read. A key with both ids whose phone still leads to a record of
    /// its own without a BSUID (a fact learned under the phone alone, such as a failed status)
    /// first folds that record into the BSUID's, as a write with both ids would: a fact recorded
    /// under either id is then seen through both.
    pub(crate) fn get_linked(&mut self, key: &UserKey) -> Option<&V> {
        if let (Some(u), Some(p)) = (&key.user_id, &key.phone)
            && let (Some(a), Some(b)) =
                (self.by_user.get(u).copied(), self.by_phone.get(p).copied())
            && a != b
            && self.slots.get(&b).is_some_and(|s| s.user_id.is_none())
        {
            self.link(key);
        }
        self.get(key)
    }

    /// The record of `key`, created when missing, with both ids linked to it.
    pub(crate) fn entry(&mut self, key: &UserKey) -> &mut V {
        let slot = self.link(key);
        self.touch(slot);
        self.evict_over_capacity(slot);
        // `link` just created or found the slot and eviction spares it.
        &mut self
            .slots
            .entry(slot)
            .or_insert_with(|| Slot {
                value: V::default(),
                user_id: None,
                phone: None,
                touched: 0,
            })
            .value
    }

    fn new_slot(&mut self, user_id: Option<UserId>, phone: Option<String>) -> u64 {
        let slot = self.next_slot;
        self.next_slot += 1;
        if let Some(u) = &user_id {
            self.by_user.insert(u.clone(), slot);
        }
        if let Some(p) = &phone {
            self.by_phone.insert(p.clone(), slot);
        }
        self.slots.insert(
            slot,
            Slot {
                value: V::default(),
                user_id,
                phone,
                touched: 0,
            },
        );
        slot
    }

    /// Finds or creates the slot for `key` and makes both of its ids point at it.
    fn link(&mut self, key: &UserKey) -> u64 {
        let by_user = key
            .user_id
            .as_ref()
            .and_then(|u| self.by_user.get(u).copied());
        let by_phone = key
            .phone
            .as_ref()
            .and_then(|p| self.by_phone.get(p).copied());
        let slot = match (by_user, by_phone) {
            (Some(a), None) => a,
            (None, Some(b)) => {
                let holder = self.slots.get(&b).and_then(|s| s.user_id.clone());
                match (&key.user_id, holder) {
                    // The phone belongs to another BSUID: a different user now has this number.
                    (Some(_), Some(_)) => {
                        self.unlink_phone(b);
                        self.new_slot(key.user_id.clone(), None)
                    }
                    _ => b,
                }
            }
            (Some(a), Some(b)) if a != b => {
                let b_has_user = self.slots.get(&b).is_some_and(|s| s.user_id.is_some());
                if b_has_user {
                    self.unlink_phone(b);
                } else if let Some(other) = self.slots.remove(&b) {
                    // A phone-only record of the same user: fold it in.
                    if let Some(s) = self.slots.get_mut(&a) {
                        s.value.merge(other.value);
                    }
                }
                a
            }
            (Some(a), Some(_)) => a,
            (None, None) => self.new_slot(key.user_id.clone(), key.phone.clone()),
        };
        if let Some(u) = &key.user_id {
            self.by_user.insert(u.clone(), slot);
            if let Some(s) = self.slots.get_mut(&slot) {
                s.user_id = Some(u.clone());
            }
        }
        if let Some(p) = &key.phone {
            let old = self
                .slots
                .get_mut(&slot)
                .and_then(|s| s.phone.replace(p.clone()));
            if let Some(old) = old.filter(|old| old != p)
                && self.by_phone.get(&old) == Some(&slot)
            {
                self.by_phone.remove(&old);
            }
            self.by_phone.insert(p.clone(), slot);
        }
        slot
    }

    fn unlink_phone(&mut self, slot: u64) {
        if let Some(p) = self.slots.get_mut(&slot).and_then(|s| s.phone.take())
            && self.by_phone.get(&p) == Some(&slot)
        {
            self.by_phone.remove(&p);
        }
    }

    fn touch(&mut self, slot: u64) {
        self.clock += 1;
        if let Some(s) = self.slots.get_mut(&slot) {
            s.touched = self.clock;
        }
        self.order.push_back((slot, self.clock));
        // Keep the queue proportional to the live slots: drop stale stamps when it doubles.
        if self.order.len() > 2 * self.slots.len() + 16 {
            let slots = &self.slots;
            self.order
                .retain(|(slot, stamp)| slots.get(slot).is_some_and(|s| s.touched == *stamp));
        }
    }

    fn evict_over_capacity(&mut self, keep: u64) {
        let Some(capacity) = self.capacity else {
            return;
        };
        while self.slots.len() > capacity {
            let Some((slot, stamp)) = self.order.pop_front() else {
                return;
            };
            let live = self.slots.get(&slot).is_some_and(|s| s.touched == stamp);
            if live && slot != keep {
                self.remove_slot(slot);
            }
        }
    }

    fn remove_slot(&mut self, slot: u64) -> Option<V> {
        let s = self.slots.remove(&slot)?;
        if let Some(u) = &s.user_id
            && self.by_user.get(u) == Some(&slot)
        {
            self.by_user.remove(u);
        }
        if let Some(p) = &s.phone
            && self.by_phone.get(p) == Some(&slot)
        {
            self.by_phone.remove(p);
        }
        Some(s.value)
    }

    /// The user known as `before` is now `after` (a new phone number or BSUID): the records found
    /// by `before` (by its BSUID, and by its phone unless that phone now belongs to another BSUID)
    /// are taken out, merged, and merged into the record of `after`; the old ids that `after` does
    /// not replace (the BSUID on a number change, the number on a BSUID change) stay linked to it.
    /// Nothing happens when `before` has no record.
    pub(crate) fn rename(&mut self, before: &UserKey, after: &UserKey) {
        let by_user = before
            .user_id
            .as_ref()
            .and_then(|u| self.by_user.get(u).copied());
        let by_phone = before
            .phone
            .as_ref()
            .and_then(|p| self.by_phone.get(p).copied())
            .filter(|slot| {
                let holder = self.slots.get(slot).and_then(|s| s.user_id.as_ref());
                match (&before.user_id, holder) {
                    (Some(wanted), Some(held)) => wanted == held,
                    _ => true,
                }
            });
        let mut carried: Option<V> = None;
        // The ids `after` does not replace stay the user's: a new number keeps the BSUID, a new
        // BSUID keeps the number.
        let mut target = after.clone();
        for slot in [by_user, by_phone.filter(|p| Some(*p) != by_user)]
            .into_iter()
            .flatten()
        {
            if let Some(s) = self.slots.get(&slot) {
                if target.user_id.is_none() {
                    target.user_id.clone_from(&s.user_id);
                }
                if target.phone.is_none() {
                    target.phone.clone_from(&s.phone);
                }
            }
            if let Some(value) = self.remove_slot(slot) {
                match carried.as_mut() {
                    Some(c) => c.merge(value),
                    None => carried = Some(value),
                }
            }
        }
        if let Some(value) = carried {
            self.entry(&target).merge(value);
        }
    }

    /// Drops every record for which `expired` is true.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&V) -> bool) {
        let dead: Vec<u64> = self
            .slots
            .iter()
            .filter(|(_, s)| !keep(&s.value))
            .map(|(slot, _)| *slot)
            .collect();
        for slot in dead {
            self.remove_slot(slot);
        }
    }
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
    fn phone_formats_are_one_key() {
        assert_eq!(
            UserKey::phone("+1 (631) 555-1234"),
            UserKey::phone("16315551234")
        );
        assert_eq!(UserKey::phone("abc").phone_digits(), Some("abc"));
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
}
