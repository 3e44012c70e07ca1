//! The compact stores give the answers of plain maps: a reference deduplicator over whole keys, and
//! windows and opt-out records that do not fit the compact forms.

use super::*;
use crate::policy::block_on;
use proptest::prelude::*;
use std::collections::HashMap;

/// The deduplicator's rules over whole keys and a map: the reference the compact one must match.
struct Reference {
    capacity: usize,
    max_age: u64,
    seen: HashMap<DedupKey, (u64, u64)>,
    order: VecDeque<(DedupKey, u64, u64)>,
    stamp: u64,
}

impl Reference {
    fn expire(&mut self, now: u64) {
        while let Some((key, at, stamp)) = self.order.front() {
            let live = self.seen.get(key).is_some_and(|(_, s)| s == stamp);
            if live && now.saturating_sub(*at) < self.max_age {
                break;
            }
            if live {
                self.seen.remove(key);
            }
            self.order.pop_front();
        }
    }

    fn check(&mut self, key: &DedupKey, now: u64) -> Delivery {
        self.expire(now);
        if let Some((at, _)) = self.seen.get(key)
            && now.saturating_sub(*at) < self.max_age
        {
            return Delivery::Duplicate;
        }
        self.stamp += 1;
        self.seen.insert(key.clone(), (now, self.stamp));
        self.order.push_back((key.clone(), now, self.stamp));
        while self.seen.len() > self.capacity {
            let Some((old, _, stamp)) = self.order.pop_front() else {
                break;
            };
            if self.seen.get(&old).is_some_and(|(_, s)| *s == stamp) {
                self.seen.remove(&old);
            }
        }
        Delivery::First
    }
}

fn key(kind: u8, n: u8) -> DedupKey {
    match kind % 3 {
        0 => DedupKey::message(format!("m{n}")),
        1 => DedupKey::status(format!("m{n}"), "read"),
        _ => DedupKey::other(format!("m{n}")),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn dedup_matches_the_reference(
        capacity in 1usize..8,
        max_age in 1u64..60,
        ops in proptest::collection::vec((0u8..4, 0u8..3, 0u8..10, 0u64..30), 1..300),
    ) {
        let compact = InMemoryDeduplicator::new(capacity, max_age);
        let mut reference = Reference {
            capacity,
            max_age,
            seen: HashMap::new(),
            order: VecDeque::new(),
            stamp: 0,
        };
        let mut now = 1_000u64;
        for (op, kind, n, dt) in ops {
            let k = key(kind, n);
            match op {
                // Forget.
                0 => {
                    block_on(compact.forget(&k)).unwrap();
                    reference.seen.remove(&k);
                }
                // The clock goes back a little.
                1 => {
                    now -= dt.min(now);
                    prop_assert_eq!(compact.check_now(&k, now), reference.check(&k, now));
                }
                _ => {
                    now += dt;
                    prop_assert_eq!(compact.check_now(&k, now), reference.check(&k, now));
                }
            }
            prop_assert_eq!(compact.len(), reference.seen.len());
        }
    }
}

#[test]
fn dedup_keys_of_different_kinds_never_match() {
    let d = InMemoryDeduplicator::new(100, 100);
    for k in [
        DedupKey::message("a:b"),
        DedupKey::other("a:b"),
        DedupKey::status("a", "b"),
        DedupKey::status("a:", "b"),
        DedupKey::status("a", ":b"),
        DedupKey::message("a"),
    ] {
        assert!(d.check_now(&k, 0).is_first(), "{k:?}");
    }
    assert_eq!(d.len(), 6);
}

#[test]
fn dedup_forgets_the_oldest_over_many_rounds() {
    let d = InMemoryDeduplicator::new(1_000, 1_000_000);
    for i in 0..10_000u32 {
        assert!(d.check_now(&DedupKey::message(i.to_string()), 0).is_first());
    }
    assert_eq!(d.len(), 1_000);
    for i in 9_000..10_000u32 {
        assert!(!d.check_now(&DedupKey::message(i.to_string()), 1).is_first());
    }
    assert!(d.check_now(&DedupKey::message("8999"), 1).is_first());
}

#[test]
fn windows_with_times_beyond_2106_are_kept_whole() {
    let tracker = InMemoryWindowTracker::new(10);
    let user = UserKey::user_id("US.1").with_phone("111");
    let mut expected = Window::new();
    for (at, far) in [(1_700_000_000, false), (u64::from(u32::MAX) + 5, true)] {
        block_on(tracker.record_entry_point(&user, at)).unwrap();
        block_on(tracker.record_outbound(&user, at + 10)).unwrap();
        block_on(tracker.record_free_entry_point_until(&user, at + 100)).unwrap();
        expected.record_entry_point(at);
        expected.record_outbound(at + 10);
        expected.record_free_entry_point_until(at + 100);
        assert_eq!(block_on(tracker.window(&user)).unwrap(), Some(expected));
        let packed = PackedWindow::pack(expected);
        assert_eq!(matches!(packed, PackedWindow::Long(_)), far);
        assert_eq!(packed.unpack(), expected);
    }
    block_on(tracker.record_inbound(&UserKey::phone("222"), u64::MAX)).unwrap();
    let far = block_on(tracker.window(&UserKey::phone("222"))).unwrap();
    assert_eq!(far.and_then(|w| w.last_inbound()), Some(u64::MAX));
}

#[test]
fn opt_outs_of_every_source_read_back() {
    let store = InMemoryOptOutStore::new();
    let sources = [
        Source::Keyword,
        Source::UserPreferences,
        Source::FailedStatus,
        Source::Manual,
        Source::Other("crm import".into()),
    ];
    for (i, source) in sources.into_iter().enumerate() {
        let user = UserKey::phone(format!("1650555000{i}"));
        block_on(store.record(&user, Intent::OptOut, source.clone(), 10 + i as u64)).unwrap();
        let record = block_on(store.status(&user)).unwrap();
        assert_eq!(
            record,
            Some(OptOutRecord::new(Intent::OptOut, source, 10 + i as u64))
        );
    }
    // An older resume does not undo an opt-out; a boxed record merges like an inline one.
    let user = UserKey::phone("16505550004");
    block_on(store.record(&user, Intent::Resume, Source::Keyword, 5)).unwrap();
    assert!(block_on(store.is_opted_out(&user)).unwrap());
    block_on(store.record(
        &user.clone().with_user_id("US.7"),
        Intent::Resume,
        Source::Manual,
        99,
    ))
    .unwrap();
    assert!(!block_on(store.is_opted_out(&UserKey::user_id("US.7"))).unwrap());
}

#[test]
fn ids_of_unusual_forms_work_as_keys() {
    let tracker = InMemoryWindowTracker::new(100);
    let odd = [
        UserKey::user_id("user.ab12cd34"),
        UserKey::user_id("US.ENT.11815799212886844830"),
        UserKey::user_id("US.11815799212886844830"),
        UserKey::user_id("US.999999999999999999999999"),
        UserKey::phone("not a number"),
        UserKey::phone("+00 1234"),
        UserKey::phone("1234"),
        UserKey::phone("123456789012345678901234"),
    ];
    for (i, user) in odd.iter().enumerate() {
        block_on(tracker.record_inbound(user, 1_000 + i as u64)).unwrap();
    }
    assert_eq!(tracker.len(), odd.len());
    for (i, user) in odd.iter().enumerate() {
        let window = block_on(tracker.window(user)).unwrap();
        assert_eq!(
            window.and_then(|w| w.last_inbound()),
            Some(1_000 + i as u64),
            "{user:?}"
        );
    }
}

#[test]
fn dedup_sequence_numbers_wrap_around() {
    let d = InMemoryDeduplicator::new(3, 1_000);
    d.lock().head = SEQ_MASK - 2;
    for i in 0..20u32 {
        assert!(d.check_now(&DedupKey::message(i.to_string()), 0).is_first());
        block_on(d.forget(&DedupKey::message("never seen"))).unwrap();
    }
    for i in 17..20u32 {
        assert!(!d.check_now(&DedupKey::message(i.to_string()), 1).is_first());
    }
    assert!(d.check_now(&DedupKey::message("16"), 1).is_first());
    assert!(d.lock().head < 100);
}
