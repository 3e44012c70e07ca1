//! The user records as Redis keeps them, and the pure plan of a change: which hash entries a
//! record or lookup reads, and what a write leaves in them (the merge rules of [`UserKey`]).
//!
//! Entries live in hash buckets. A user's record is the entry of its BSUID (or of its phone number,
//! `+` and digits, for a user known by number only); the phone number of a user with a BSUID is an
//! alias entry pointing at the BSUID. Values (numbers in base 36, `;`-separated):
//!
//! - record: `exp;phone;inbound;entry_point;answered_entry;first_answer;reported_until;opt_out`,
//!   `opt_out` being empty or `o`/`r` (opt-out / resume), a source letter, `,` and the time
//!   (`k` keyword, `u` user preferences, `f` failed status, `m` manual, `x…` other, named);
//! - alias: `exp@bsuid`.
//!
//! `exp` (unix seconds) is when the entry stops mattering: the writing script sweeps it after that.

use crate::policy::{Intent, Merge, OptOutRecord, Source, UserKey, Window};
use std::collections::{BTreeMap, BTreeSet};

/// One user's facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Record {
    pub(super) phone: Option<String>,
    pub(super) window: Window,
    pub(super) opt_out: Option<OptOutRecord>,
}

impl Record {
    fn merge(&mut self, other: Record) {
        self.window.merge(other.window);
        self.opt_out = match (self.opt_out.take(), other.opt_out) {
            (Some(a), Some(b)) => Some(a.later(b)),
            (a, b) => a.or(b),
        };
        if self.phone.is_none() {
            self.phone = other.phone;
        }
    }

    /// When the record stops mattering: the window's last relevant moment plus `margin`, and an
    /// opt-out or resume `opt_out_ttl` after `now` (refreshed on every write).
    fn expires_at(&self, now: u64, ttl: &Ttl) -> u64 {
        let window = self.window.relevant_until();
        let window = if window == 0 {
            0
        } else {
            window.saturating_add(ttl.window_margin)
        };
        let opt = if self.opt_out.is_some() {
            now.saturating_add(ttl.opt_out)
        } else {
            0
        };
        window.max(opt)
    }
}

/// An entry of a bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Entry {
    Record(Record),
    /// The phone number of a user recorded under this BSUID field.
    Alias(String),
}

/// Lifetimes of the entries, in seconds.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ttl {
    pub(super) window_margin: u64,
    pub(super) opt_out: u64,
}

/// The field of a user's BSUID.
pub(super) fn user_field(key: &UserKey) -> Option<String> {
    key.bsuid().map(|u| u.as_str().to_owned())
}

/// The field of a user's phone number.
pub(super) fn phone_field(key: &UserKey) -> Option<String> {
    key.phone_digits().map(|p| format!("+{p}"))
}

/// The bucket of a field (the scripts compute the same: `(h * 31 + byte) mod (2^31 - 1)`).
pub(super) fn bucket_of(field: &str, buckets: u32) -> u32 {
    let mut h: u64 = 0;
    for b in field.bytes() {
        h = (h * 31 + u64::from(b)) % 2_147_483_647;
    }
    // The remainder is below `buckets`, a u32.
    u32::try_from(h % u64::from(buckets.max(1))).unwrap_or(0)
}

fn b36(n: u64) -> String {
    if n == 0 {
        return "0".to_owned();
    }
    let mut digits = Vec::new();
    let mut n = n;
    while n > 0 {
        let d = (n % 36) as u8; // below 36
        digits.push(if d < 10 { b'0' + d } else { b'a' + d - 10 });
        n /= 36;
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

fn opt_b36(n: Option<u64>) -> String {
    n.map(b36).unwrap_or_default()
}

fn parse_b36(s: &str) -> Result<Option<u64>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    u64::from_str_radix(s, 36)
        .map(Some)
        .map_err(|_| format!("invalid number {s:?}"))
}

/// Encodes an entry with its expiry.
pub(super) fn encode(entry: &Entry, exp: u64) -> String {
    match entry {
        Entry::Alias(target) => format!("{}@{target}", b36(exp)),
        Entry::Record(r) => {
            let [inbound, entry_point, answered, first, reported] = r.window.parts();
            let opt = match &r.opt_out {
                None => String::new(),
                Some(o) => {
                    let intent = if o.intent == Intent::OptOut { 'o' } else { 'r' };
                    let source = match &o.source {
                        Source::Keyword => "k".to_owned(),
                        Source::UserPreferences => "u".to_owned(),
                        Source::FailedStatus => "f".to_owned(),
                        Source::Manual => "m".to_owned(),
                        Source::Other(name) => format!("x{name}"),
                    };
                    format!("{intent}{},{source}", b36(o.at))
                }
            };
            format!(
                "{};{};{};{};{};{};{};{opt}",
                b36(exp),
                r.phone.as_deref().unwrap_or(""),
                opt_b36(inbound),
                opt_b36(entry_point),
                opt_b36(answered),
                opt_b36(first),
                opt_b36(reported),
            )
        }
    }
}

/// Decodes a stored value; the error names what is wrong.
pub(super) fn decode(value: &str) -> Result<Entry, String> {
    if let Some((expiry, target)) = value.split_once('@')
        && !expiry.contains(';')
    {
        return Ok(Entry::Alias(target.to_owned()));
    }
    let parts: Vec<&str> = value.splitn(8, ';').collect();
    let [
        _,
        phone,
        inbound,
        entry_point,
        answered,
        first,
        reported,
        opt,
    ] = parts[..]
    else {
        return Err(format!("a user record has {} fields, not 8", parts.len()));
    };
    let window = Window::from_parts([
        parse_b36(inbound)?,
        parse_b36(entry_point)?,
        parse_b36(answered)?,
        parse_b36(first)?,
        parse_b36(reported)?,
    ]);
    let opt_out = if opt.is_empty() {
        None
    } else {
        let intent = match opt.as_bytes()[0] {
            b'o' => Intent::OptOut,
            b'r' => Intent::Resume,
            _ => return Err(format!("invalid opt-out {opt:?}")),
        };
        let (at, source) = opt[1..]
            .split_once(',')
            .ok_or_else(|| format!("invalid opt-out {opt:?}"))?;
        let at = parse_b36(at)?.ok_or_else(|| format!("opt-out without time {opt:?}"))?;
        let source = match source {
            "k" => Source::Keyword,
            "u" => Source::UserPreferences,
            "f" => Source::FailedStatus,
            "m" => Source::Manual,
            other => match other.strip_prefix('x') {
                Some(name) => Source::Other(name.to_owned()),
                None => return Err(format!("invalid opt-out source {other:?}")),
            },
        };
        Some(OptOutRecord::new(intent, source, at))
    };
    Ok(Entry::Record(Record {
        phone: (!phone.is_empty()).then(|| phone.to_owned()),
        window,
        opt_out,
    }))
}

/// The entries a plan saw and what it changes. Reading a field that was not fetched records it
/// in `missing`: the caller fetches it too and plans again.
pub(super) struct Model {
    /// The fetched values, as fetched ("" for absent), keyed by field.
    seen: BTreeMap<String, String>,
    current: BTreeMap<String, Option<Entry>>,
    dirty: BTreeSet<String>,
    pub(super) missing: BTreeSet<String>,
}

/// What a plan writes: for each field, the value or `None` to delete it.
pub(super) type Writes = Vec<(String, Option<String>)>;

impl Model {
    /// A model over fetched `(field, value)` pairs ("" for an absent or expired entry).
    pub(super) fn new(fetched: Vec<(String, String)>) -> Result<Self, String> {
        let mut current = BTreeMap::new();
        for (field, value) in &fetched {
            let entry = if value.is_empty() {
                None
            } else {
                Some(decode(value).map_err(|e| format!("entry {field:?}: {e}"))?)
            };
            current.insert(field.clone(), entry);
        }
        Ok(Self {
            seen: fetched.into_iter().collect(),
            current,
            dirty: BTreeSet::new(),
            missing: BTreeSet::new(),
        })
    }

    fn get(&mut self, field: &str) -> Option<Entry> {
        match self.current.get(field) {
            Some(entry) => entry.clone(),
            None => {
                self.missing.insert(field.to_owned());
                None
            }
        }
    }

    fn record(&mut self, field: &str) -> Option<Record> {
        match self.get(field) {
            Some(Entry::Record(r)) => Some(r),
            _ => None,
        }
    }

    fn set(&mut self, field: &str, entry: Option<Entry>) {
        self.current.insert(field.to_owned(), entry);
        self.dirty.insert(field.to_owned());
    }

    /// The record `key` finds, as `KeyIndex::get_linked` does: by BSUID (with a phone-only
    /// record of the key's phone folded in), or by phone unless that phone now belongs to another
    /// BSUID.
    pub(super) fn lookup(&mut self, key: &UserKey) -> Option<Record> {
        let user = user_field(key);
        let phone = phone_field(key);
        let by_phone = phone.as_deref().and_then(|p| self.get(p));
        match user {
            Some(u) => {
                let own = self.record(&u);
                match (own, by_phone) {
                    (Some(mut r), Some(Entry::Record(other))) => {
                        r.merge(other);
                        Some(r)
                    }
                    (Some(r), _) => Some(r),
                    (None, Some(Entry::Record(other))) => Some(other),
                    (None, _) => None,
                }
            }
            None => match by_phone {
                Some(Entry::Record(r)) => Some(r),
                Some(Entry::Alias(target)) => self.record(&target),
                None => None,
            },
        }
    }

    /// Finds or creates the record of `key`, links both of its ids to it (the rules of
    /// `KeyIndex::link`) and returns its field.
    fn link(&mut self, key: &UserKey) -> String {
        let user = user_field(key);
        let phone = phone_field(key);
        match (user, phone) {
            (Some(u), None) => {
                if self.record(&u).is_none() {
                    self.set(&u, Some(Entry::Record(Record::default())));
                }
                u
            }
            (None, Some(p)) => match self.get(&p) {
                Some(Entry::Record(_)) => p,
                Some(Entry::Alias(target)) if self.record(&target).is_some() => target,
                _ => {
                    let record = Record {
                        phone: Some(key.phone_digits().unwrap_or_default().to_owned()),
                        ..Record::default()
                    };
                    self.set(&p, Some(Entry::Record(record)));
                    p
                }
            },
            (Some(u), Some(p)) => {
                let digits = key.phone_digits().unwrap_or_default().to_owned();
                let mut record = self.record(&u).unwrap_or_default();
                match self.get(&p) {
                    // A phone-only record of the same user: fold it in.
                    Some(Entry::Record(other)) => record.merge(other),
                    Some(Entry::Alias(holder)) if holder != u => {
                        // Another user had this number: it is no longer theirs.
                        if let Some(mut theirs) = self.record(&holder)
                            && theirs.phone.as_deref() == Some(digits.as_str())
                        {
                            theirs.phone = None;
                            self.set(&holder, Some(Entry::Record(theirs)));
                        }
                    }
                    _ => {}
                }
                // The user's previous number no longer leads here.
                if let Some(old) = record.phone.clone().filter(|old| *old != digits) {
                    let old_field = format!("+{old}");
                    if self.get(&old_field) == Some(Entry::Alias(u.clone())) {
                        self.set(&old_field, None);
                    }
                }
                record.phone = Some(digits);
                self.set(&u, Some(Entry::Record(record)));
                self.set(&p, Some(Entry::Alias(u.clone())));
                u
            }
            (None, None) => String::new(),
        }
    }

    /// Applies `change` to the record of `key` (created and linked when missing).
    pub(super) fn update(&mut self, key: &UserKey, change: impl FnOnce(&mut Record)) {
        let field = self.link(key);
        if field.is_empty() {
            return;
        }
        let mut record = self.record(&field).unwrap_or_default();
        change(&mut record);
        self.set(&field, Some(Entry::Record(record)));
    }

    /// The user known as `before` is now `after`: the records found by `before` are taken out,
    /// merged, and merged into the record of `after`, which keeps the ids `after` does not replace
    /// (`KeyIndex::rename`).
    pub(super) fn rename(&mut self, before: &UserKey, after: &UserKey) {
        let mut target = after.clone();
        let mut carried: Option<Record> = None;
        let mut take = |model: &mut Self, field: &str, target: &mut UserKey| {
            let Some(record) = model.record(field) else {
                return;
            };
            model.set(field, None);
            if let Some(phone) = &record.phone {
                let alias = format!("+{phone}");
                if model.get(&alias) == Some(Entry::Alias(field.to_owned())) {
                    model.set(&alias, None);
                }
                if target.phone_digits().is_none() {
                    *target = target.clone().with_phone(phone);
                }
            }
            if target.bsuid().is_none() && !field.starts_with('+') {
                *target = target.clone().with_user_id(field);
            }
            match carried.as_mut() {
                Some(c) => c.merge(record),
                None => carried = Some(record),
            }
        };
        let user = user_field(before);
        if let Some(u) = &user {
            take(self, u, &mut target);
        }
        if let Some(p) = phone_field(before) {
            match self.get(&p) {
                Some(Entry::Record(_)) => take(self, &p, &mut target),
                Some(Entry::Alias(holder))
                    if user.is_none() || user.as_deref() == Some(holder.as_str()) =>
                {
                    take(self, &holder, &mut target);
                }
                _ => {}
            }
        }
        if let Some(record) = carried {
            self.update(&target, |r| {
                let phone = r.phone.take();
                r.merge(record);
                if phone.is_some() {
                    r.phone = phone;
                }
            });
        }
    }

    /// The fields every fetched value must still hold, and the writes, with expiries computed at
    /// `now`. Every alias is written again with its record's expiry; a record whose time has
    /// passed is deleted.
    pub(super) fn finish(mut self, now: u64, ttl: &Ttl) -> (Writes, Writes) {
        // A written record refreshes the alias of its phone.
        let records: Vec<(String, Record)> = self
            .dirty
            .iter()
            .filter_map(|f| match self.current.get(f) {
                Some(Some(Entry::Record(r))) => Some((f.clone(), r.clone())),
                _ => None,
            })
            .collect();
        for (field, record) in &records {
            if let Some(phone) = record.phone.as_ref().filter(|_| !field.starts_with('+')) {
                let alias = format!("+{phone}");
                if matches!(self.current.get(&alias), Some(Some(Entry::Alias(t))) if t == field) {
                    self.dirty.insert(alias);
                }
            }
        }
        let exp_of =
            |current: &BTreeMap<String, Option<Entry>>, field: &str| match current.get(field) {
                Some(Some(Entry::Record(r))) => r.expires_at(now, ttl),
                _ => 0,
            };
        let mut writes = Vec::new();
        for field in &self.dirty {
            let value = match self.current.get(field) {
                Some(Some(entry @ Entry::Record(_))) => {
                    let exp = exp_of(&self.current, field);
                    (exp > now).then(|| encode(entry, exp))
                }
                Some(Some(entry @ Entry::Alias(target))) => {
                    let exp = exp_of(&self.current, target);
                    (exp > now).then(|| encode(entry, exp))
                }
                _ => None,
            };
            // A write that leaves the stored value as it is (such as a send to a user with no
            // record, which creates nothing) is not sent.
            let stored = self.seen.get(field).filter(|v| !v.is_empty());
            if value.as_ref() != stored {
                writes.push((field.clone(), value));
            }
        }
        let expected = self
            .seen
            .into_iter()
            .map(|(f, v)| (f, (!v.is_empty()).then_some(v)))
            .collect();
        (expected, writes)
    }
}

#[cfg(test)]
#[path = "record_tests.rs"]
mod tests;
