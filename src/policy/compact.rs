//! Compact building blocks of the in-memory stores: user ids packed into 12 bytes, 128-bit keyed
//! fingerprints, and an open-addressing table of `u32` slot numbers.
//!
//! A million users or message ids must fit in well under 100 bytes each, which rules out a
//! `HashMap<String, _>` (the string alone costs 40 bytes and a heap block) and makes even a
//! `HashMap<u128, u32>` costly (32 bytes per bucket, and twice as many buckets as entries just past
//! a power of two). The stores keep their records in a `Vec` and index them with [`SlotTable`], whose
//! buckets hold only a 4-byte slot number: the key is compared against the record it points to.

use std::hash::{BuildHasher, Hash};

/// A free bucket. A held bucket is never all ones: its slot number is below the slot mask.
const EMPTY: u32 = u32::MAX;

/// An open-addressing hash table (linear probing, backward-shift deletion) of `u32` slot numbers.
///
/// It stores no keys: callers pass the key's hash, an equality test on slot numbers, and (to move
/// entries when it grows or deletes) the hash of the key held in a slot. The load factor stays at
/// or below 0.7, so probes are short.
///
/// A tagged table keeps, in the bucket bits its slot numbers do not need, the top bits of the key's
/// hash: a probe past another key's bucket then rarely has to read that key's record (a cache miss
/// at a million entries). The slot bits widen as slot numbers grow.
pub(crate) struct SlotTable {
    buckets: Vec<u32>,
    len: usize,
    /// Bits of a bucket holding the slot number; the rest hold the tag (none at 32).
    slot_bits: u32,
}

impl Default for SlotTable {
    /// An untagged table: slot numbers may use 32 bits (all but `u32::MAX`).
    fn default() -> Self {
        Self {
            buckets: Vec::new(),
            len: 0,
            slot_bits: 32,
        }
    }
}

impl SlotTable {
    /// A tagged table, for slot numbers that start at 0 and stay below the number of records.
    pub(crate) fn tagged() -> Self {
        Self {
            slot_bits: 16,
            ..Self::default()
        }
    }

    /// A tagged table sized for `len` slot numbers below `slots` without growing.
    pub(crate) fn tagged_with_capacity(len: usize, slots: u32) -> Self {
        let size = if len == 0 {
            0
        } else {
            (len * 10 / 7 + 1).next_power_of_two().max(16)
        };
        Self {
            buckets: vec![EMPTY; size],
            len: 0,
            slot_bits: (32 - slots.leading_zeros()).clamp(16, 32),
        }
    }

    /// The number of slot numbers held.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    fn mask(&self) -> usize {
        self.buckets.len().wrapping_sub(1)
    }

    fn slot_mask(&self) -> u32 {
        u32::MAX >> (32 - self.slot_bits)
    }

    /// The tag of `hash`, in place.
    fn tag(&self, hash: u64) -> u32 {
        ((hash >> 32) as u32)
            .checked_shl(self.slot_bits)
            .unwrap_or(0)
    }

    /// The slot whose key has `hash` and passes `is`.
    pub(crate) fn find(&self, hash: u64, mut is: impl FnMut(u32) -> bool) -> Option<u32> {
        if self.len == 0 {
            return None;
        }
        let (mask, slot_mask, tag) = (self.mask(), self.slot_mask(), self.tag(hash));
        let mut i = hash as usize & mask;
        loop {
            let bucket = self.buckets[i];
            if bucket == EMPTY {
                return None;
            }
            if bucket & !slot_mask == tag && is(bucket & slot_mask) {
                return Some(bucket & slot_mask);
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds `slot` under `hash` (the caller knows no equal key is held). `hash_of` gives the hash of
    /// the key in any held slot, to rehash when the table grows.
    pub(crate) fn insert(&mut self, hash: u64, slot: u32, hash_of: impl Fn(u32) -> u64) {
        if slot >= self.slot_mask() {
            // Widen the slot bits (tags shrink): every bucket is rewritten.
            let old_mask = self.slot_mask();
            self.slot_bits = (32 - (slot + 1).leading_zeros())
                .max(self.slot_bits + 4)
                .min(32);
            self.rebuild(self.buckets.len(), old_mask, &hash_of);
        }
        if (self.len + 1) * 10 > self.buckets.len() * 7 {
            self.rebuild((self.buckets.len() * 2).max(16), self.slot_mask(), &hash_of);
        }
        self.place(hash, slot);
        self.len += 1;
    }

    fn place(&mut self, hash: u64, slot: u32) {
        let mask = self.mask();
        let mut i = hash as usize & mask;
        while self.buckets[i] != EMPTY {
            i = (i + 1) & mask;
        }
        self.buckets[i] = self.tag(hash) | slot;
    }

    /// Rewrites the table with `size` buckets; the old buckets hold slot numbers under `old_mask`.
    fn rebuild(&mut self, size: usize, old_mask: u32, hash_of: &impl Fn(u32) -> u64) {
        let old = std::mem::replace(&mut self.buckets, vec![EMPTY; size]);
        for bucket in old.into_iter().filter(|b| *b != EMPTY) {
            let slot = bucket & old_mask;
            self.place(hash_of(slot), slot);
        }
    }

    /// Removes `slot`, held under `hash`; false when it is not held.
    pub(crate) fn remove(&mut self, hash: u64, slot: u32, hash_of: impl Fn(u32) -> u64) -> bool {
        if self.len == 0 {
            return false;
        }
        let (mask, slot_mask) = (self.mask(), self.slot_mask());
        let mut i = hash as usize & mask;
        loop {
            match self.buckets[i] {
                EMPTY => return false,
                b if b & slot_mask == slot => break,
                _ => i = (i + 1) & mask,
            }
        }
        // Backward shift: move later members of the cluster into the hole when their home bucket
        // does not lie (cyclically) after the hole.
        let mut hole = i;
        let mut j = (i + 1) & mask;
        loop {
            let b = self.buckets[j];
            if b == EMPTY {
                break;
            }
            let home = hash_of(b & slot_mask) as usize & mask;
            if (j.wrapping_sub(home) & mask) >= (j.wrapping_sub(hole) & mask) {
                self.buckets[hole] = b;
                hole = j;
            }
            j = (j + 1) & mask;
        }
        self.buckets[hole] = EMPTY;
        self.len -= 1;
        true
    }

    /// Forgets every slot number, keeping the allocation.
    #[cfg(test)]
    pub(crate) fn clear(&mut self) {
        self.buckets.fill(EMPTY);
        self.len = 0;
    }
}

/// A free bucket of a [`HashedTable`]: a held one's slot number is below `u32::MAX`.
const EMPTY_WIDE: u64 = u64::MAX;

/// An open-addressing hash table (linear probing, backward-shift deletion) of `u32` slot numbers,
/// each kept with 32 bits of its key's hash in an 8-byte bucket.
///
/// Unlike [`SlotTable`], it never needs the records to move entries or to pass over another key's
/// bucket: a probe reads a record only when all 32 hash bits match (about one probe in 2³²⁻ᵇ
/// past a foreign bucket with the same home, `b` being the table's index bits), and growing or
/// deleting computes each bucket's home from the bits it holds. At a million keys a probe, an insert
/// or a delete then touches the table's cache line alone. The load factor stays at or below 0.7.
#[derive(Default)]
pub(crate) struct HashedTable {
    buckets: Vec<u64>,
    len: usize,
}

impl HashedTable {
    /// The number of slot numbers held.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    fn mask(&self) -> usize {
        self.buckets.len().wrapping_sub(1)
    }

    /// The bucket holding `slot` under `hash`.
    fn bucket(hash: u64, slot: u32) -> u64 {
        u64::from(hash as u32) << 32 | u64::from(slot)
    }

    /// The home index of a held bucket (or of a hash) in a table of `mask + 1` buckets.
    fn home(hash32: u64, mask: usize) -> usize {
        hash32 as usize & mask
    }

    /// The slot whose key has `hash` and passes `is` (called only on a match of the hash bits).
    pub(crate) fn find(&self, hash: u64, mut is: impl FnMut(u32) -> bool) -> Option<u32> {
        if self.len == 0 {
            return None;
        }
        let (mask, want) = (self.mask(), u64::from(hash as u32));
        let mut i = Self::home(want, mask);
        loop {
            let bucket = self.buckets[i];
            if bucket == EMPTY_WIDE {
                return None;
            }
            if bucket >> 32 == want && is(bucket as u32) {
                return Some(bucket as u32);
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds `slot` (below `u32::MAX`) under `hash`; the caller knows no equal key is held.
    pub(crate) fn insert(&mut self, hash: u64, slot: u32) {
        if (self.len + 1) * 10 > self.buckets.len() * 7 {
            let size = (self.buckets.len() * 2).max(16);
            let old = std::mem::replace(&mut self.buckets, vec![EMPTY_WIDE; size]);
            for bucket in old.into_iter().filter(|b| *b != EMPTY_WIDE) {
                self.place(bucket);
            }
        }
        self.place(Self::bucket(hash, slot));
        self.len += 1;
    }

    fn place(&mut self, bucket: u64) {
        let mask = self.mask();
        let mut i = Self::home(bucket >> 32, mask);
        while self.buckets[i] != EMPTY_WIDE {
            i = (i + 1) & mask;
        }
        self.buckets[i] = bucket;
    }

    /// Removes `slot`, held under `hash`; false when it is not held.
    pub(crate) fn remove(&mut self, hash: u64, slot: u32) -> bool {
        if self.len == 0 {
            return false;
        }
        let (mask, wanted) = (self.mask(), Self::bucket(hash, slot));
        let mut i = Self::home(wanted >> 32, mask);
        loop {
            match self.buckets[i] {
                EMPTY_WIDE => return false,
                b if b == wanted => break,
                _ => i = (i + 1) & mask,
            }
        }
        // Backward shift, as in `SlotTable::remove`, with each bucket's home read from its bits.
        let mut hole = i;
        let mut j = (i + 1) & mask;
        loop {
            let b = self.buckets[j];
            if b == EMPTY_WIDE {
                break;
            }
            let home = Self::home(b >> 32, mask);
            if (j.wrapping_sub(home) & mask) >= (j.wrapping_sub(hole) & mask) {
                self.buckets[hole] = b;
                hole = j;
            }
            j = (j + 1) & mask;
        }
        self.buckets[hole] = EMPTY_WIDE;
        self.len -= 1;
        true
    }

    /// Forgets every slot number, keeping the allocation.
    pub(crate) fn clear(&mut self) {
        self.buckets.fill(EMPTY_WIDE);
        self.len = 0;
    }
}

/// Two independently and randomly keyed SipHash hashers (std's [`RandomState`]), drawn anew for
/// every store.
///
/// Their two 64-bit outputs make a 128-bit fingerprint: among a billion distinct keys the chance that
/// any two share a fingerprint is about 2⁻⁶⁸ (n² / 2¹²⁹), far below the chance of a memory error, and
/// as the keys are secret and random per process nobody can craft colliding inputs.
///
/// [`RandomState`]: std::collections::hash_map::RandomState
pub(crate) struct Fingerprinter {
    a: std::collections::hash_map::RandomState,
    b: std::collections::hash_map::RandomState,
    /// Secret keys of [`position`](Self::position), drawn from `a`.
    keys: [u64; 3],
}

impl Default for Fingerprinter {
    fn default() -> Self {
        let a = std::collections::hash_map::RandomState::new();
        let keys = [a.hash_one(0u8), a.hash_one(1u8), a.hash_one(2u8) | 1];
        Self {
            a,
            b: std::collections::hash_map::RandomState::new(),
            keys,
        }
    }
}

/// The 128-bit product of `a` and `b`, its halves folded together.
fn fold_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

impl Fingerprinter {
    /// The 128-bit fingerprint of `value`.
    pub(crate) fn of(&self, value: impl Hash + Copy) -> [u64; 2] {
        [self.a.hash_one(value), self.b.hash_one(value)]
    }

    /// A 64-bit hash of a packed id, keyed with this store's secret keys, for table positions:
    /// two folded multiplications (as hash tables' fast keyed hashers do), several times cheaper
    /// than SipHash on 12 bytes. Its keys are random per store and never leave it, so inputs that
    /// crowd one part of a table cannot be chosen from outside.
    pub(crate) fn position(&self, id: Id) -> u64 {
        let [k0, k1, k2] = self.keys;
        fold_multiply(fold_multiply(id.lo ^ k0, u64::from(id.hi) ^ k1), k2)
    }
}

/// A user id (phone number or BSUID) in 12 bytes; `hi == 0` means absent.
///
/// Exact when the id has the usual form (a phone number of up to 19 digits; a BSUID `CC.<digits>` or
/// `CC.ENT.<digits>` whose digits fit in 64 bits, as Meta's examples do), a 94-bit fingerprint
/// otherwise (see [`Fingerprinter`]: among a million such ids the chance of a shared one is about
/// 2⁻⁵⁵).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
pub(crate) struct Id {
    pub(crate) lo: u64,
    pub(crate) hi: u32,
}

const TAG_PHONE: u32 = 1 << 30;
const TAG_BSUID: u32 = 2 << 30;
const TAG_FINGERPRINT: u32 = 3 << 30;

impl Id {
    /// No id.
    pub(crate) const NONE: Self = Self { lo: 0, hi: 0 };

    /// `Some` unless absent.
    pub(crate) fn get(self) -> Option<Self> {
        (self.hi != 0).then_some(self)
    }

    /// A normalised phone number (digits, or the trimmed text when it has none).
    pub(crate) fn phone(digits: &str, fp: &Fingerprinter) -> Self {
        match pack_digits(digits, 19) {
            Some((value, len)) => Self {
                lo: value,
                hi: TAG_PHONE | len,
            },
            None => Self::fingerprint(0, digits, fp),
        }
    }

    /// A business-scoped user id.
    pub(crate) fn bsuid(id: &str, fp: &Fingerprinter) -> Self {
        pack_bsuid(id).unwrap_or_else(|| Self::fingerprint(1, id, fp))
    }

    fn fingerprint(domain: u8, text: &str, fp: &Fingerprinter) -> Self {
        let [a, b] = fp.of((domain, text));
        Self {
            lo: a,
            hi: TAG_FINGERPRINT | (b as u32 & !(3 << 30)),
        }
    }
}

/// `(value, length)` of a string of 1 to `max` ASCII digits; the length keeps leading zeros apart.
fn pack_digits(digits: &str, max: usize) -> Option<(u64, u32)> {
    pack_digit_bytes(digits.as_bytes(), max)
}

/// [`pack_digits`] of bytes.
fn pack_digit_bytes(bytes: &[u8], max: usize) -> Option<(u64, u32)> {
    if bytes.is_empty() || bytes.len() > max {
        return None;
    }
    // One pass: a non-digit or a value past `u64::MAX` ends it.
    let mut value: u64 = 0;
    for &b in bytes {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(digit))?;
    }
    Some((value, bytes.len() as u32))
}

/// `CC.<digits>` or `CC.ENT.<digits>` (country code in capitals, 1 to 20 digits that fit in a
/// `u64`), packed exactly.
fn pack_bsuid(id: &str) -> Option<Id> {
    // Byte by byte: two capitals, a dot, then the digits (after `ENT.` for a parent).
    let [c0, c1, b'.', rest @ ..] = id.as_bytes() else {
        return None;
    };
    if !c0.is_ascii_uppercase() || !c1.is_ascii_uppercase() {
        return None;
    }
    let (parent, digits) = match rest {
        [b'E', b'N', b'T', b'.', digits @ ..] => (1, digits),
        _ => (0, rest),
    };
    let (value, len) = pack_digit_bytes(digits, 20)?;
    let country = u32::from(*c0 - b'A') * 26 + u32::from(*c1 - b'A');
    Some(Id {
        lo: value,
        hi: TAG_BSUID | parent << 15 | country << 5 | len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_pack_exactly_and_keep_leading_zeros_apart() {
        let fp = Fingerprinter::default();
        let a = Id::phone("16505551234", &fp);
        assert_eq!(a.lo, 16_505_551_234);
        assert_ne!(Id::phone("0123", &fp), Id::phone("123", &fp));
        assert_ne!(Id::bsuid("US.0123", &fp), Id::bsuid("US.123", &fp));
        let user = Id::bsuid("US.13491208655302741918", &fp);
        assert_eq!(user.lo, 13_491_208_655_302_741_918);
        assert_eq!(user.hi & TAG_FINGERPRINT, TAG_BSUID);
        assert_ne!(user, Id::bsuid("US.ENT.13491208655302741918", &fp));
        assert_ne!(user, Id::bsuid("GB.13491208655302741918", &fp));
    }

    #[test]
    fn ids_that_do_not_pack_are_fingerprinted_consistently() {
        let fp = Fingerprinter::default();
        for odd in [
            "US.abc123",
            "user.ab12",
            "US.99999999999999999999",
            "us.1",
            "",
        ] {
            let id = Id::bsuid(odd, &fp);
            assert_eq!(id.hi & TAG_FINGERPRINT, TAG_FINGERPRINT, "{odd}");
            assert_eq!(id, Id::bsuid(odd, &fp));
        }
        let long = Id::phone("12345678901234567890", &fp);
        assert_eq!(long.hi & TAG_FINGERPRINT, TAG_FINGERPRINT);
        assert_ne!(Id::phone("abc", &fp), Id::phone("abd", &fp));
        assert_ne!(Id::phone("abc", &fp), Id::bsuid("abc", &fp));
    }

    #[test]
    fn slot_table_finds_inserts_and_removes_through_collisions() {
        for table in [SlotTable::default(), SlotTable::tagged()] {
            slot_table_holds(table);
        }
    }

    #[test]
    fn tagged_table_widens_its_slot_bits() {
        let hash_of = |s: u32| u64::from(s).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut table = SlotTable::tagged();
        for s in 0..70_000 {
            table.insert(hash_of(s), s, hash_of);
        }
        assert!(table.slot_bits >= 17);
        for s in (0..70_000).step_by(7) {
            assert_eq!(table.find(hash_of(s), |x| x == s), Some(s));
        }
        assert_eq!(table.find(hash_of(70_000), |x| x == 70_000), None);
    }

    #[test]
    fn hashed_table_finds_inserts_and_removes_through_collisions() {
        // Poor hashes (many share a home bucket, some share all 32 bits) exercise the shift and
        // the record check.
        let hash_of = |s: u32| u64::from(s % 7) | u64::from(s % 3) << 40;
        let mut table = HashedTable::default();
        for s in 0..500 {
            table.insert(hash_of(s), s);
        }
        assert_eq!(table.len(), 500);
        for s in (0..500).step_by(3) {
            assert!(table.remove(hash_of(s), s));
            assert!(!table.remove(hash_of(s), s));
        }
        for s in 0..500 {
            let found = table.find(hash_of(s), |x| x == s);
            assert_eq!(found.is_some(), s % 3 != 0, "{s}");
        }
        assert_eq!(table.len(), 500 - 167);
        // A probe checks a record only where the hash bits match.
        let mut checked = 0;
        assert_eq!(
            table.find(hash_of(1) | 1 << 20, |_| {
                checked += 1;
                false
            }),
            None
        );
        assert_eq!(checked, 0);
        table.clear();
        assert_eq!(table.find(0, |_| true), None);
    }

    fn slot_table_holds(mut table: SlotTable) {
        // Keys 0..n with deliberately poor hashes (many share a bucket) exercise the backward shift.
        let hash_of = |s: u32| u64::from(s % 7) | u64::from(s % 3) << 40;
        for s in 0..500 {
            table.insert(hash_of(s), s, hash_of);
        }
        assert_eq!(table.len(), 500);
        for s in (0..500).step_by(3) {
            assert!(table.remove(hash_of(s), s, hash_of));
            assert!(!table.remove(hash_of(s), s, hash_of));
        }
        for s in 0..500 {
            let found = table.find(hash_of(s), |x| x == s);
            assert_eq!(found.is_some(), s % 3 != 0, "{s}");
        }
        assert_eq!(table.len(), 500 - 167);
        table.clear();
        assert_eq!(table.find(0, |_| true), None);
    }
}
