//! Compact building blocks of the in-memory stores: user ids packed into 12 bytes, 128-bit keyed
//! fingerprints (SipHash-1-3 in its 128-bit mode), and an open-addressing table of `u32` slot numbers.
//!
//! A million users or message ids must fit in well under 100 bytes each, which rules out a
//! `HashMap<String, _>` (the string alone costs 40 bytes and a heap block) and makes even a
//! `HashMap<u128, u32>` costly (32 bytes per bucket, and twice as many buckets as entries just past
//! a power of two). The stores keep their records in a `Vec` and index them with [`SlotTable`], whose
//! buckets hold only a 4-byte slot number: the key is compared against the record it points to.

use std::hash::{BuildHasher, Hash, Hasher};

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

/// Randomly keyed SipHash-1-3 with its 128-bit output (the variant std's hash maps use, in the
/// output width of the SipHash paper's 128-bit mode), keys drawn anew for every store.
///
/// Among a billion distinct keys the chance that any two share a fingerprint is about 2⁻⁶⁸
/// (n² / 2¹²⁹), far below the chance of a memory error, and as the keys are secret and random per
/// process nobody can craft colliding inputs. One pass over the key gives all 128 bits.
pub(crate) struct Fingerprinter {
    /// The SipHash key.
    sip: [u64; 2],
    /// Secret keys of [`position`](Self::position).
    keys: [u64; 3],
}

impl Default for Fingerprinter {
    fn default() -> Self {
        // std's `RandomState` is seeded from the operating system's randomness: its hashes of
        // fixed values are as secret as its own keys.
        let random = std::collections::hash_map::RandomState::new();
        let draw = |i: u8| random.hash_one(i);
        Self {
            sip: [draw(0), draw(1)],
            keys: [draw(2), draw(3), draw(4) | 1],
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
    pub(crate) fn of(&self, value: impl Hash) -> [u64; 2] {
        let mut sip = Sip::<1, 3>::new(self.sip, true);
        value.hash(&mut sip);
        sip.finish128()
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
    // Eight digits at a time, then one at a time: a non-digit or a value past `u64::MAX` ends it.
    let mut value: u64 = 0;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        value = value
            .checked_mul(100_000_000)?
            .checked_add(eight_digits(u64::from_le_bytes(word))?)?;
    }
    for &b in chunks.remainder() {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(digit))?;
    }
    Some((value, bytes.len() as u32))
}

/// The value of eight ASCII digits read as a little-endian word (the first digit in the lowest
/// byte), or `None` when a byte is not a digit. Lanes of the word combine in three multiplications
/// (digit pairs, then groups of four, then eight) instead of eight dependent steps.
fn eight_digits(word: u64) -> Option<u64> {
    const LOW: u64 = 0x0101_0101_0101_0101;
    // Every byte is 0x30..=0x3F, and adding 6 keeps it below 0x40: exactly b'0'..=b'9'.
    if word & (0xF0 * LOW) != 0x30 * LOW
        || word.wrapping_add(0x06 * LOW) & (0xF0 * LOW) != 0x30 * LOW
    {
        return None;
    }
    let digits = word - 0x30 * LOW;
    let pairs = (digits.wrapping_mul(10) + (digits >> 8)) & 0x00FF_00FF_00FF_00FF;
    let fours = (pairs.wrapping_mul(100) + (pairs >> 16)) & 0x0000_FFFF_0000_FFFF;
    Some((fours.wrapping_mul(10_000) + (fours >> 32)) & 0xFFFF_FFFF)
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

/// SipHash with `C` compression and `D` finalisation rounds, fed as a [`Hasher`], in the 64-bit or
/// the 128-bit output mode of Aumasson and Bernstein's paper (<https://www.aumasson.jp/siphash/>).
#[derive(Clone)]
struct Sip<const C: usize, const D: usize> {
    v: [u64; 4],
    /// Bytes not yet compressed (fewer than 8), the first in the lowest byte.
    tail: u64,
    tail_len: usize,
    /// Bytes written in all.
    len: usize,
}

impl<const C: usize, const D: usize> Sip<C, D> {
    fn new([k0, k1]: [u64; 2], wide: bool) -> Self {
        let mut v = [
            k0 ^ 0x736f_6d65_7073_6575,
            k1 ^ 0x646f_7261_6e64_6f6d,
            k0 ^ 0x6c79_6765_6e65_7261,
            k1 ^ 0x7465_6462_7974_6573,
        ];
        if wide {
            v[1] ^= 0xee;
        }
        Self {
            v,
            tail: 0,
            tail_len: 0,
            len: 0,
        }
    }

    fn rounds(&mut self, n: usize) {
        let [mut v0, mut v1, mut v2, mut v3] = self.v;
        for _ in 0..n {
            v0 = v0.wrapping_add(v1);
            v1 = v1.rotate_left(13) ^ v0;
            v0 = v0.rotate_left(32);
            v2 = v2.wrapping_add(v3);
            v3 = v3.rotate_left(16) ^ v2;
            v0 = v0.wrapping_add(v3);
            v3 = v3.rotate_left(21) ^ v0;
            v2 = v2.wrapping_add(v1);
            v1 = v1.rotate_left(17) ^ v2;
            v2 = v2.rotate_left(32);
        }
        self.v = [v0, v1, v2, v3];
    }

    fn compress(&mut self, word: u64) {
        self.v[3] ^= word;
        self.rounds(C);
        self.v[0] ^= word;
    }

    /// Compresses the last word (the tail and the length's low byte) and starts finalising with
    /// `mark`: 0xff in the 64-bit mode, 0xee in the 128-bit one.
    fn finalize(&mut self, mark: u64) -> u64 {
        self.compress(self.tail | (self.len as u64) << 56);
        self.v[2] ^= mark;
        self.rounds(D);
        self.v.iter().fold(0, |h, v| h ^ v)
    }

    /// The two 64-bit halves of the 128-bit output (the `new` must have been `wide`).
    fn finish128(mut self) -> [u64; 2] {
        let first = self.finalize(0xee);
        self.v[1] ^= 0xdd;
        self.rounds(D);
        [first, self.v.iter().fold(0, |h, v| h ^ v)]
    }
}

impl<const C: usize, const D: usize> Hasher for Sip<C, D> {
    fn write(&mut self, mut bytes: &[u8]) {
        self.len = self.len.wrapping_add(bytes.len());
        // Complete a pending word byte by byte, then take whole words.
        while self.tail_len > 0 {
            let Some((&b, rest)) = bytes.split_first() else {
                return;
            };
            self.tail |= u64::from(b) << (8 * self.tail_len);
            self.tail_len += 1;
            bytes = rest;
            if self.tail_len == 8 {
                let word = std::mem::take(&mut self.tail);
                self.tail_len = 0;
                self.compress(word);
            }
        }
        let mut words = bytes.chunks_exact(8);
        for chunk in &mut words {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.compress(u64::from_le_bytes(word));
        }
        for (i, &b) in words.remainder().iter().enumerate() {
            self.tail |= u64::from(b) << (8 * i);
        }
        self.tail_len = words.remainder().len();
    }

    /// The 64-bit output (the `new` must not have been `wide`).
    fn finish(&self) -> u64 {
        self.clone().finalize(0xff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SipHash key `00 01 .. 0f` of the reference vectors.
    const REFERENCE_KEY: [u64; 2] = [0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908];

    fn sip128<const C: usize, const D: usize>(key: [u64; 2], parts: &[&[u8]]) -> [u8; 16] {
        let mut sip = Sip::<C, D>::new(key, true);
        for part in parts {
            sip.write(part);
        }
        let [a, b] = sip.finish128();
        let mut out = [0; 16];
        out[..8].copy_from_slice(&a.to_le_bytes());
        out[8..].copy_from_slice(&b.to_le_bytes());
        out
    }

    #[test]
    fn sip_128_gives_the_reference_vectors() {
        // The first vectors of `vectors_sip128` in the SipHash reference implementation
        // (https://github.com/veorq/SipHash): SipHash-2-4-128 of `00 01 ..` of length 0 to 3.
        let expected: [[u8; 16]; 4] = [
            [
                0xa3, 0x81, 0x7f, 0x04, 0xba, 0x25, 0xa8, 0xe6, 0x6d, 0xf6, 0x72, 0x14, 0xc7, 0x55,
                0x02, 0x93,
            ],
            [
                0xda, 0x87, 0xc1, 0xd8, 0x6b, 0x99, 0xaf, 0x44, 0x34, 0x76, 0x59, 0x11, 0x9b, 0x22,
                0xfc, 0x45,
            ],
            [
                0x81, 0x77, 0x22, 0x8d, 0xa4, 0xa4, 0x5d, 0xc7, 0xfc, 0xa3, 0x8b, 0xde, 0xf6, 0x0a,
                0xff, 0xe4,
            ],
            [
                0x9c, 0x70, 0xb6, 0x0c, 0x52, 0x67, 0xa9, 0x4e, 0x5f, 0x33, 0xb6, 0xb0, 0x29, 0x85,
                0xed, 0x51,
            ],
        ];
        let message: Vec<u8> = (0..4).collect();
        for (len, want) in expected.iter().enumerate() {
            assert_eq!(
                &sip128::<2, 4>(REFERENCE_KEY, &[&message[..len]]),
                want,
                "{len}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn sip_64_agrees_with_std_siphash_2_4(
            data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
            cut in 0usize..80,
            key in proptest::prelude::any::<[u64; 2]>(),
        ) {
            #[allow(deprecated)]
            let mut std_sip = std::hash::SipHasher::new_with_keys(key[0], key[1]);
            std_sip.write(&data);
            let mut ours = Sip::<2, 4>::new(key, false);
            let cut = cut.min(data.len());
            ours.write(&data[..cut]);
            ours.write(&data[cut..]);
            proptest::prop_assert_eq!(ours.finish(), std_sip.finish());
        }

        #[test]
        fn fingerprints_do_not_depend_on_how_the_bytes_are_written(
            data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
            cuts in proptest::collection::vec(0usize..80, 0..6),
        ) {
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(data.len())).collect();
            cuts.sort_unstable();
            let mut parts = Vec::new();
            let mut from = 0;
            for cut in cuts.into_iter().chain([data.len()]) {
                parts.push(&data[from..cut]);
                from = cut;
            }
            proptest::prop_assert_eq!(
                sip128::<1, 3>(REFERENCE_KEY, &parts),
                sip128::<1, 3>(REFERENCE_KEY, &[&data])
            );
        }
    }

    #[test]
    fn fingerprints_are_keyed_per_store_and_tell_keys_apart() {
        let (a, b) = (Fingerprinter::default(), Fingerprinter::default());
        assert_eq!(a.of((0u8, "wamid.A")), a.of((0u8, "wamid.A")));
        assert_ne!(a.of((0u8, "wamid.A")), b.of((0u8, "wamid.A")));
        assert_ne!(a.of((0u8, "wamid.A")), a.of((0u8, "wamid.B")));
        assert_ne!(a.of((0u8, "ab", "c")), a.of((0u8, "a", "bc")));
        assert_ne!(a.of((0u8, "x")), a.of((1u8, "x")));
    }

    /// [`pack_digit_bytes`] by its definition: every byte a digit, the value by `str::parse`.
    fn digits_by_definition(bytes: &[u8], max: usize) -> Option<(u64, u32)> {
        if bytes.is_empty() || bytes.len() > max || !bytes.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let value = std::str::from_utf8(bytes).ok()?.parse().ok()?;
        Some((value, bytes.len() as u32))
    }

    proptest::proptest! {
        #[test]
        fn digits_pack_as_their_definition_says(
            text in "[0-9]{0,22}|[0-9]{0,10}[^0-9][0-9]{0,10}|[/-:0-9]{1,20}",
            max in 17usize..=20,
        ) {
            proptest::prop_assert_eq!(
                pack_digit_bytes(text.as_bytes(), max),
                digits_by_definition(text.as_bytes(), max)
            );
        }
    }

    #[test]
    fn eight_digit_words_read_every_digit_and_reject_the_neighbours_of_digits() {
        assert_eq!(
            eight_digits(u64::from_le_bytes(*b"12345678")),
            Some(12_345_678)
        );
        assert_eq!(
            eight_digits(u64::from_le_bytes(*b"99999999")),
            Some(99_999_999)
        );
        assert_eq!(eight_digits(u64::from_le_bytes(*b"00000000")), Some(0));
        for bad in [b'/', b':', b'?', b' ', 0xB0, 0x39 + 0x80] {
            for at in 0..8 {
                let mut word = *b"55555555";
                word[at] = bad;
                assert_eq!(
                    eight_digits(u64::from_le_bytes(word)),
                    None,
                    "{bad:#x} at {at}"
                );
            }
        }
        // 20 digits: the largest `u64` packs, one more does not.
        assert_eq!(
            pack_digit_bytes(b"18446744073709551615", 20),
            Some((u64::MAX, 20))
        );
        assert_eq!(pack_digit_bytes(b"18446744073709551616", 20), None);
    }

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
