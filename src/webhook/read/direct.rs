//! Tier 1, the direct reader: a hand-written pass over the common shape of a delivery, tried before serde.
//!
//! Most deliveries are one `messages` change carrying a text message or a few statuses. This
//! reader walks such a body byte by byte, straight into the public types, without serde's visitor
//! machinery. It is deliberately narrow and strict:
//!
//! - it reads a body only when serde's one-pass read ([`super::one_pass`]) would read
//!   it too, and then yields exactly the same entries (unit, edge-case and property tests hold it
//!   to that);
//! - a few values it hands to serde, one value at a time, through the very reader functions the
//!   one-pass read uses, so the rules for them are serde's: strings with escapes, timestamps that
//!   are not plain strings, `errors`, `user_preferences`, messages other than plain text, statuses
//!   with keys beyond the common ones and `pricing`, and scalars under keys it skips;
//! - anything else it does not read (a number where a string is usual, an escaped key, `null` where
//!   an object is usual, deep nesting under a skipped key) makes it give up with
//!   [`GiveUp::Unread`], and the caller tries serde's one-pass read; what serde would refuse as well
//!   (a field other than `messages`, a value serde failed on, a missing required key) gives
//!   [`GiveUp::Refused`], and the caller goes straight to the item-by-item read. Giving up costs
//!   the part read so far, never correctness.
//!
//! One invariant keeps the hand-offs exact: serde starts each handed value with a fresh recursion
//! limit (128), where the one-pass read has a few levels fewer left at that point. Every type
//! handed over is shallow and skips unknown values with `IgnoredAny` (which has no depth limit),
//! so the two agree; a recursive type or a `serde_json::Value` field added to `Status`,
//! `ErrorObject`, `UserPreference` or a message content would have to be checked against it.

use super::one_pass::{PushMessage, errors, user_preferences};
use super::wire::known_kind;
use crate::error::ErrorObject;
use crate::ids::{MessageId, UserId};
use crate::webhook::fields::UserPreference;
use crate::webhook::lenient::{CowStr, OptU64Any, U64Any, wrap_reader};
use crate::webhook::message::{InboundMessage, MessageContent, TextContent, Unsupported};
use crate::webhook::payload::{
    Change, ChangeData, Contact, Entry, Item, MessagesValue, Metadata, Profile,
};
use crate::webhook::status::{Category, Pricing, PricingModel, PricingType, Status, StatusKind};
use serde::Deserialize;
use serde::de::DeserializeSeed;
use std::borrow::Cow;

/// Why the direct read stopped; the cascade falls back to serde either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum GiveUp {
    /// A form this reader does not read (a number where a string is usual, an escaped key, deep
    /// nesting, `null` where an object is usual …): serde's one-pass read may still take the body.
    Unread,
    /// Something serde's one-pass read refuses too (a field other than `messages`, a value that
    /// serde itself failed to read here, a missing required key): the caller goes straight to the
    /// item-by-item read.
    Refused,
}

use GiveUp::{Refused, Unread};

pub(super) type Read<T> = Result<T, GiveUp>;

/// How many levels [`Reader::skip`] follows under a skipped key before giving up: a bound on this
/// reader's own recursion (serde skips such values without one, so deeper ones go to serde).
const SKIP_DEPTH: usize = 32;

/// Reads `text` as a whole delivery: the `object` and the entries, or why it gave up.
pub(super) fn read(text: &str) -> Read<(Cow<'_, str>, Vec<Entry<'_>>)> {
    let mut r = Reader { src: text, pos: 0 };
    let out = r.envelope()?;
    r.ws();
    if r.pos == text.len() {
        Ok(out)
    } else {
        Err(Unread)
    }
}

/// Fills an optional slot once; a second occurrence of the key gives up (serde's derived
/// readers refuse duplicate keys, and the slow path then decides).
fn once<T>(slot: &mut Option<T>, value: T) -> Read<()> {
    if slot.is_some() {
        return Err(Unread);
    }
    *slot = Some(value);
    Ok(())
}

/// A key serde's one-pass read requires: its absence is final.
fn required<T>(slot: Option<T>) -> Read<T> {
    slot.ok_or(Refused)
}

wrap_reader!(SerdeErrors, Vec<Item<ErrorObject>>, errors);
wrap_reader!(SerdePrefs, Vec<Item<UserPreference>>, user_preferences);

/// One message read by serde's typed reader (the one the serde fast path uses).
struct SerdeMessage<'a>(Vec<InboundMessage<'a>>);

impl<'de> Deserialize<'de> for SerdeMessage<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut one = Vec::with_capacity(1);
        PushMessage(&mut one).deserialize(d)?;
        Ok(SerdeMessage(one))
    }
}

struct Reader<'a> {
    src: &'a str,
    pos: usize,
}

/// The index of the first `"`, `\` or control character at or after `i` (or the length), eight
/// bytes at a time.
fn plain_run(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(word) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let w = u64::from_le_bytes(*word);
        let quote = w ^ (ONES * u64::from(b'"'));
        let slash = w ^ (ONES * u64::from(b'\\'));
        // A byte is flagged when it is zero after the xor (a quote or a backslash) or below 0x20;
        // the lowest flag is always exact, which is the only one read.
        let hits = (quote.wrapping_sub(ONES) & !quote)
            | (slash.wrapping_sub(ONES) & !slash)
            | (w.wrapping_sub(ONES * 0x20) & !w);
        let hits = hits & HIGH;
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            return i;
        }
        i += 1;
    }
    i
}

impl<'a> Reader<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    /// Skips JSON whitespace.
    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes().get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    #[inline(always)]
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.bytes().get(self.pos).copied()
    }

    /// Consumes `b` (after whitespace) or gives up.
    #[inline(always)]
    fn eat(&mut self, b: u8) -> Read<()> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Unread)
        }
    }

    /// Consumes `b` (after whitespace) when it is next.
    #[inline(always)]
    fn eat_if(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        self.pos += usize::from(hit);
        hit
    }

    /// Consumes `null` when it is next.
    #[inline(always)]
    fn null(&mut self) -> bool {
        self.ws();
        let hit = self.bytes().get(self.pos..self.pos + 4) == Some(b"null");
        if hit {
            self.pos += 4;
        }
        hit
    }

    /// Hands the next value to serde as a `T` and steps over what serde read.
    #[inline(never)]
    fn serde<T: Deserialize<'a>>(&mut self) -> Read<T> {
        self.ws();
        let rest = self.src.get(self.pos..).ok_or(Unread)?;
        let mut values = serde_json::Deserializer::from_str(rest).into_iter::<T>();
        // serde's one-pass read uses the same reader on the same value: its error is final.
        let value = values.next().ok_or(Unread)?.map_err(|_| Refused)?;
        self.pos += values.byte_offset();
        Ok(value)
    }

    /// At a string: its contents when they have no escapes (`Ok(None)` when they do, with
    /// nothing consumed).
    #[inline(never)]
    fn plain_str(&mut self) -> Read<Option<&'a str>> {
        if self.peek() != Some(b'"') {
            return Err(Unread);
        }
        let start = self.pos + 1;
        let end = plain_run(self.bytes(), start);
        match self.bytes().get(end) {
            Some(b'"') => {
                self.pos = end + 1;
                self.src.get(start..end).map(Some).ok_or(Unread)
            }
            Some(b'\\') => Ok(None),
            // A raw control character or the end of the body inside a string: not JSON.
            _ => Err(Refused),
        }
    }

    /// A string, borrowed unless it has escapes (which serde decodes).
    #[inline(always)]
    fn string(&mut self) -> Read<Cow<'a, str>> {
        match self.plain_str()? {
            Some(s) => Ok(Cow::Borrowed(s)),
            None => self.serde::<CowStr<'a>>().map(|s| s.0),
        }
    }

    /// A string or `null`.
    fn opt_string(&mut self) -> Read<Option<Cow<'a, str>>> {
        if self.null() {
            Ok(None)
        } else {
            self.string().map(Some)
        }
    }

    /// An object key followed by its colon. Keys with escapes give up (none of Meta's do).
    #[inline(always)]
    fn key(&mut self) -> Read<&'a str> {
        let k = self.plain_str()?.ok_or(Unread)?;
        self.eat(b':')?;
        Ok(k)
    }

    /// Reads an object, calling `field` for each key with the reader at its value.
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Read<()>) -> Read<()> {
        self.eat(b'{')?;
        if self.eat_if(b'}') {
            return Ok(());
        }
        loop {
            let k = self.key()?;
            field(self, k)?;
            if !self.eat_if(b',') {
                return self.eat(b'}');
            }
        }
    }

    /// Reads an array, calling `item` with the reader at each element.
    fn array(&mut self, mut item: impl FnMut(&mut Self) -> Read<()>) -> Read<()> {
        self.eat(b'[')?;
        if self.eat_if(b']') {
            return Ok(());
        }
        loop {
            item(self)?;
            if !self.eat_if(b',') {
                return self.eat(b']');
            }
        }
    }

    /// Steps over a value this reader does not use, as serde's `IgnoredAny` would.
    fn skip(&mut self) -> Read<()> {
        self.skip_at(0)
    }

    fn skip_at(&mut self, depth: usize) -> Read<()> {
        if depth > SKIP_DEPTH {
            return Err(Unread);
        }
        match self.peek() {
            Some(b'"') => match self.plain_str()? {
                Some(_) => Ok(()),
                None => self.serde::<serde::de::IgnoredAny>().map(drop),
            },
            Some(b'{') => self.object(|r, _| r.skip_at(depth + 1)),
            Some(b'[') => self.array(|r| r.skip_at(depth + 1)),
            Some(_) => self.serde::<serde::de::IgnoredAny>().map(drop),
            None => Err(Unread),
        }
    }

    fn envelope(&mut self) -> Read<(Cow<'a, str>, Vec<Entry<'a>>)> {
        let mut object = None;
        let mut entries = None;
        self.object(|r, k| match k {
            "object" => once(&mut object, r.string()?),
            "entry" => {
                let mut list = Vec::with_capacity(1);
                r.array(|r| r.entry(&mut list))?;
                once(&mut entries, list)
            }
            _ => r.skip(),
        })?;
        Ok((required(object)?, required(entries)?))
    }

    fn entry(&mut self, out: &mut Vec<Entry<'a>>) -> Read<()> {
        let mut id = None;
        let mut time = None;
        let mut changes = None;
        self.object(|r, k| match k {
            "id" => once(&mut id, r.string()?),
            "time" => once(&mut time, r.serde::<OptU64Any>()?.0),
            "changes" => {
                let mut list = Vec::with_capacity(1);
                r.array(|r| r.change(&mut list))?;
                once(&mut changes, list)
            }
            _ => r.skip(),
        })?;
        out.push(Entry {
            id: required(id)?,
            time: time.flatten(),
            changes: required(changes)?,
        });
        Ok(())
    }

    /// A change, only when its field is `messages`.
    fn change(&mut self, out: &mut Vec<Change<'a>>) -> Read<()> {
        let mut field = None;
        let mut value = None;
        self.object(|r, k| match k {
            "field" => match r.plain_str()? {
                Some("messages") => once(&mut field, ()),
                Some(_) => Err(Refused),
                None => Err(Unread),
            },
            "value" => once(&mut value, r.messages_value()?),
            _ => r.skip(),
        })?;
        required(field)?;
        out.push(Change {
            field: Cow::Borrowed("messages"),
            value: None,
            data: ChangeData::Messages(required(value)?),
            invalid: None,
        });
        Ok(())
    }

    fn messages_value(&mut self) -> Read<MessagesValue<'a>> {
        let mut metadata = None;
        let mut contacts = None;
        let mut messages = None;
        let mut statuses = None;
        let mut errors = None;
        let mut prefs = None;
        self.object(|r, k| match k {
            "metadata" => {
                let m = if r.null() { None } else { Some(r.metadata()?) };
                once(&mut metadata, m)
            }
            "contacts" => {
                let mut list = Vec::with_capacity(1);
                r.array(|r| r.contact(&mut list))?;
                once(&mut contacts, list)
            }
            "messages" => {
                let mut list = Vec::with_capacity(1);
                r.array(|r| r.message(&mut list))?;
                once(&mut messages, list)
            }
            "statuses" => {
                let mut list = Vec::with_capacity(1);
                r.array(|r| r.status(&mut list))?;
                once(&mut statuses, list)
            }
            "errors" => once(&mut errors, r.serde::<SerdeErrors>()?.0),
            "user_preferences" => once(&mut prefs, r.serde::<SerdePrefs>()?.0),
            _ => r.skip(),
        })?;
        Ok(MessagesValue {
            metadata: metadata.flatten(),
            contacts: contacts.unwrap_or_default(),
            messages: messages.unwrap_or_default(),
            statuses: statuses.unwrap_or_default(),
            errors: errors.unwrap_or_default(),
            user_preferences: prefs.unwrap_or_default(),
            user_id_updates: Vec::new(),
            malformed: Vec::new(),
        })
    }

    fn metadata(&mut self) -> Read<Metadata<'a>> {
        let mut display = None;
        let mut id = None;
        self.object(|r, k| match k {
            "display_phone_number" => once(&mut display, r.opt_string()?),
            "phone_number_id" => once(&mut id, r.string()?),
            _ => r.skip(),
        })?;
        Ok(Metadata {
            display_phone_number: display.flatten(),
            phone_number_id: required(id)?,
        })
    }

    fn contact(&mut self, out: &mut Vec<Contact<'a>>) -> Read<()> {
        let mut profile = None;
        let mut wa_id = None;
        let mut user_id = None;
        let mut parent_user_id = None;
        let mut username = None;
        let mut identity_key_hash = None;
        self.object(|r, k| match k {
            "profile" => {
                let p = if r.null() { None } else { Some(r.profile()?) };
                once(&mut profile, p)
            }
            "wa_id" => once(&mut wa_id, r.opt_string()?),
            "user_id" => once(&mut user_id, r.opt_string()?),
            "parent_user_id" => once(&mut parent_user_id, r.opt_string()?),
            "username" => once(&mut username, r.opt_string()?),
            "identity_key_hash" => once(&mut identity_key_hash, r.opt_string()?),
            _ => r.skip(),
        })?;
        out.push(Contact {
            profile: profile.flatten(),
            wa_id: wa_id.flatten(),
            user_id: user_id.flatten(),
            parent_user_id: parent_user_id.flatten(),
            username: username.flatten(),
            identity_key_hash: identity_key_hash.flatten(),
        });
        Ok(())
    }

    fn profile(&mut self) -> Read<Profile<'a>> {
        let mut name = None;
        let mut username = None;
        self.object(|r, k| match k {
            "name" => once(&mut name, r.opt_string()?),
            "username" => once(&mut username, r.opt_string()?),
            _ => r.skip(),
        })?;
        Ok(Profile {
            name: name.flatten(),
            username: username.flatten(),
        })
    }

    /// One message onto `out`: a text message (or `request_welcome`) with only the common keys is
    /// read here; any other message is read again from its start by serde's typed reader.
    fn message(&mut self, out: &mut Vec<InboundMessage<'a>>) -> Read<()> {
        self.ws();
        let start = self.pos;
        if !self.text_message(out)? {
            self.pos = start;
            out.extend(self.serde::<SerdeMessage<'a>>()?.0);
        }
        Ok(())
    }

    /// Reads a message with only the common keys and `text`, and pushes it; `Ok(false)` at the
    /// first other key (the caller hands the whole message to serde).
    fn text_message(&mut self, out: &mut Vec<InboundMessage<'a>>) -> Read<bool> {
        let mut from = None;
        let mut from_user_id = None;
        let mut from_parent_user_id = None;
        let mut id = None;
        let mut timestamp = None;
        let mut kind = None;
        let mut text = None;
        self.eat(b'{')?;
        if !self.eat_if(b'}') {
            loop {
                match self.key()? {
                    "from" => once(&mut from, self.opt_string()?)?,
                    "from_user_id" => once(&mut from_user_id, self.opt_string()?)?,
                    "from_parent_user_id" => {
                        once(&mut from_parent_user_id, self.opt_string()?)?;
                    }
                    "id" => once(&mut id, self.string()?)?,
                    "timestamp" => once(&mut timestamp, self.timestamp()?)?,
                    "type" => once(&mut kind, known_kind(self.string()?))?,
                    "text" => once(&mut text, self.text()?)?,
                    _ => return Ok(false),
                }
                if !self.eat_if(b',') {
                    self.eat(b'}')?;
                    break;
                }
            }
        }
        // With only these keys, serde's typed reader takes exactly a text message with its text,
        // `request_welcome` and `unsupported` (both without content; a stray `text` is ignored),
        // and refuses anything else.
        let kind = required(kind)?;
        let content = match (&*kind, text) {
            ("text", Some(t)) => MessageContent::Text(t),
            ("request_welcome", _) => MessageContent::RequestWelcome,
            ("unsupported", _) => MessageContent::Unsupported(Unsupported { kind: None }),
            _ => return Err(Refused),
        };
        out.push(InboundMessage {
            id: required(id)?,
            from: from.flatten(),
            from_user_id: from_user_id.flatten(),
            from_parent_user_id: from_parent_user_id.flatten(),
            timestamp: required(timestamp)?,
            kind,
            context: None,
            referral: None,
            group_id: None,
            errors: Vec::new(),
            content,
        });
        Ok(true)
    }

    /// One status onto `out`: a status with only the common keys (and `pricing`) is read here;
    /// any other is read again from its start by serde (`Status`'s own reader, as in serde's
    /// one-pass read).
    #[inline(never)]
    fn status(&mut self, out: &mut Vec<Item<Status>>) -> Read<()> {
        self.ws();
        let start = self.pos;
        if !self.plain_status(out)? {
            self.pos = start;
            out.push(Item::Ok(self.serde::<Status>()?));
        }
        Ok(())
    }

    /// Reads a status with only the common keys, and pushes it; `Ok(false)` at the first other key.
    fn plain_status(&mut self, out: &mut Vec<Item<Status>>) -> Read<bool> {
        let mut id = None;
        let mut status = None;
        let mut timestamp = None;
        let mut recipient_id = None;
        let mut recipient_type = None;
        let mut recipient_user_id = None;
        let mut recipient_parent_user_id = None;
        let mut callback_data = None;
        let mut pricing = None;
        self.eat(b'{')?;
        if !self.eat_if(b'}') {
            loop {
                match self.key()? {
                    "id" => once(&mut id, self.string()?)?,
                    "status" => once(&mut status, StatusKind::parse(&self.string()?))?,
                    "timestamp" => once(&mut timestamp, self.timestamp()?)?,
                    "recipient_id" => once(&mut recipient_id, self.string()?)?,
                    "recipient_type" => once(&mut recipient_type, self.opt_string()?)?,
                    "recipient_user_id" => once(&mut recipient_user_id, self.opt_string()?)?,
                    "recipient_parent_user_id" => {
                        once(&mut recipient_parent_user_id, self.opt_string()?)?;
                    }
                    "biz_opaque_callback_data" => once(&mut callback_data, self.opt_string()?)?,
                    "pricing" => {
                        let p = if self.null() {
                            None
                        } else {
                            Some(self.pricing()?)
                        };
                        once(&mut pricing, p)?;
                    }
                    _ => return Ok(false),
                }
                if !self.eat_if(b',') {
                    self.eat(b'}')?;
                    break;
                }
            }
        }
        out.push(Item::Ok(Status {
            id: MessageId::new(required(id)?),
            status: required(status)?,
            timestamp: required(timestamp)?,
            recipient_id: recipient_id.map(Cow::into_owned),
            recipient_type: recipient_type.flatten().map(Cow::into_owned),
            recipient_user_id: recipient_user_id.flatten().map(UserId::new),
            recipient_parent_user_id: recipient_parent_user_id.flatten().map(UserId::new),
            parent_recipient_user_id: None,
            parent_user_id: None,
            recipient_participant_id: None,
            recipient_participant_user_id: None,
            recipient_participant_parent_user_id: None,
            recipient_identity_key_hash: None,
            biz_opaque_callback_data: callback_data.flatten().map(Cow::into_owned),
            conversation: None,
            pricing: pricing.flatten(),
            errors: Vec::new(),
            kind: None,
            payment: None,
        }));
        Ok(true)
    }

    /// `statuses[].pricing` (an object; serde's array form of a struct is left to serde).
    #[inline(never)]
    fn pricing(&mut self) -> Read<Pricing> {
        let mut billable = None;
        let mut model = None;
        let mut kind = None;
        let mut category = None;
        self.object(|r, k| match k {
            "billable" => once(&mut billable, r.opt_bool()?),
            "pricing_model" => once(&mut model, r.opt_string()?.map(|m| PricingModel::parse(&m))),
            "type" => once(&mut kind, r.opt_string()?.map(|t| PricingType::parse(&t))),
            "category" => once(&mut category, r.opt_string()?.map(|c| Category::parse(&c))),
            _ => r.skip(),
        })?;
        Ok(Pricing {
            billable: billable.flatten(),
            pricing_model: model.flatten(),
            kind: kind.flatten(),
            category: category.flatten(),
        })
    }

    /// `true`, `false` or `null`.
    fn opt_bool(&mut self) -> Read<Option<bool>> {
        self.ws();
        let rest = self.bytes().get(self.pos..).unwrap_or_default();
        let (value, len) = if rest.starts_with(b"true") {
            (Some(true), 4)
        } else if rest.starts_with(b"false") {
            (Some(false), 5)
        } else if rest.starts_with(b"null") {
            (None, 4)
        } else {
            return Err(Unread);
        };
        self.pos += len;
        Ok(value)
    }

    /// A timestamp: a decimal string (Meta's form here) or a number, as [`u64_any`] reads it.
    fn timestamp(&mut self) -> Read<u64> {
        if self.peek() == Some(b'"')
            && let Some(s) = self.plain_str()?
        {
            // `u64_any` reads a string exactly so: its failure is final.
            return s.trim().parse().map_err(|_| Refused);
        }
        self.serde::<U64Any>().map(|t| t.0)
    }

    fn text(&mut self) -> Read<TextContent<'a>> {
        let mut body = None;
        self.object(|r, k| match k {
            "body" => once(&mut body, r.string()?),
            _ => r.skip(),
        })?;
        Ok(TextContent {
            body: required(body)?,
        })
    }
}

#[cfg(test)]
mod fuzz;

#[cfg(test)]
mod tests;
