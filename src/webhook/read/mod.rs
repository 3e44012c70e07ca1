//! Reading a delivery: the tiers that turn a webhook body into a [`Payload`], fastest first.
//!
//! # The cascade
//!
//! 1. [`direct`]: a hand-written byte-level pass over the common shapes (`messages` changes with
//!    text messages, statuses, errors, preferences). It gives up with `Unread` on a form it does
//!    not read (tier 2 next) or with `Refused` on what tier 2 refuses too (tier 3 next).
//! 2. [`one_pass`]: serde reads the whole body in one typed pass. It gives up when any change is
//!    not `messages` or any message is not of a known type with well-formed content (tier 3
//!    next).
//! 3. [`per_change`]: serde reads the envelope and keeps each change's value as raw JSON, then
//!    reads each value by its `field`; a `messages` value is tried in one typed pass, else read by
//!    tier 4; a listed field (calls, echoes, state sync, history, groups) is read item by item by
//!    [`listed`], its messages by tier 4's message reader. It gives up when the envelope's
//!    structure does not fit (tier 5 next).
//! 4. [`item_by_item`]: one `messages` value as a `serde_json::Value`, each message, status,
//!    error, preference, `metadata` and contact on its own. It does not give up.
//! 5. [`value`]: the whole body as a `serde_json::Value`, each entry and change on its own. It
//!    fails only on a body that is not a webhook envelope ([`PayloadError`]).
//!
//! # The contract
//!
//! A fast tier (1, 2, and the typed pass inside 3) either yields exactly what the one-pass read
//! yields for that body, or gives up; giving up costs the part read so far, never correctness.
//! The direct reader's tests and fuzz module hold it to this against [`one_pass`]. The fallback
//! tiers (4, 5) never drop anything: what does not read is kept raw with its error and comes out
//! as an invalid event (or as [`MessageContent::Unknown`](super::MessageContent::Unknown) /
//! [`MessageContent::Invalid`](super::MessageContent::Invalid) for a message).
//!
//! The direct reader earns its place on the common delivery: on the text delivery of
//! `benches/webhook.rs` it reaches about 0.73 of the machine's limit (signature plus a skim of the
//! JSON), against about 0.55 with serde's one-pass read alone.
//!
//! The readers depend on the model (`payload`, `message`, `status`, `fields`) and on the
//! lenient value readers (`lenient`, outside this folder because the model's own serde forms use
//! them too), never the other way round; within this folder, [`wire`] holds the message wire
//! forms shared by tiers 2 and 4.
//!
//! # Adding to it
//!
//! - A message type: its content type in `message/`, its `type` in [`wire`]'s known kinds, its key
//!   in the one-pass message reader ([`one_pass`]'s `rare_key` / `rare_content`) and in the
//!   item-by-item wire form ([`item_by_item`]'s `WireMessage`), and its keys in `message/ser.rs`.
//!   The direct reader hands every message other than plain text to the one-pass reader: nothing
//!   to add there. These readers also read an edit's new message (`edit.message`: a `type`, its
//!   content object and an optional `context`), so a type added to them is readable inside an
//!   edit, and anywhere else they are reused (echoes of the business's own messages).
//! - A change field: its type in `fields/`, a `ChangeData` variant in `payload.rs`, its name in
//!   [`per_change`]'s `ChangeData::parse`, and an `Event` variant in `events.rs`. A field whose
//!   value holds a list of items in the `messages` layout (`metadata`, `contacts`, `errors`, then
//!   its list): its item types in a file of their own (as `calls.rs`), a `ListedItems` variant in
//!   `item_lists.rs`, its name and list key in [`listed`], its events in `events/listed.rs`. A
//!   field whose value is a bare list of items, one event each (`automatic_events`), reads each
//!   item on its own with [`item_by_item`]'s `items`, so a malformed item is kept raw with its
//!   error.
//! - A key of a `messages` value: the model in `payload.rs`, [`one_pass`]'s value reader,
//!   [`item_by_item`], and the direct reader's `messages_value` (its agreement tests fail until it
//!   reads the key as the one-pass read does).

mod direct;
mod item_by_item;
mod listed;
mod one_pass;
mod per_change;
mod value;
mod wire;

use super::lenient::own;
use super::payload::{Entry, Payload, PayloadError};
use direct::GiveUp;
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;

/// Reads `text` through the cascade: the `object` and the entries.
fn read(text: &str) -> Result<(Cow<'_, str>, Vec<Entry<'_>>), PayloadError> {
    let one_pass = match direct::read(text) {
        Ok(read) => Some(read),
        Err(GiveUp::Unread) => one_pass::serde_one_pass(text),
        Err(GiveUp::Refused) => None,
    };
    if let Some(read) = one_pass.or_else(|| per_change::read(text)) {
        return Ok(read);
    }
    let value: Value =
        serde_json::from_str(text).map_err(|e| PayloadError::InvalidJson(e.to_string()))?;
    let (object, entries) = value::entries_from_value(value)?;
    Ok((Cow::Owned(object), entries))
}

impl<'a> Payload<'a> {
    /// Parses a delivery from the raw body, borrowing its strings from it.
    ///
    /// A body whose changes are all `messages` with known, well-formed content is read in one
    /// typed pass; anything else (other fields, unknown types, a malformed item) is read change by
    /// change and item by item, so one bad item costs nothing else. Strings without JSON escapes
    /// are borrowed from `body`; use [`Payload::into_owned`] to keep the payload longer.
    ///
    /// # Errors
    /// Only when the body is not a webhook envelope: not UTF-8 JSON, or no `entry` array. Anything
    /// unexpected inside a valid envelope becomes an event instead.
    pub fn from_slice(body: &'a [u8]) -> Result<Self, PayloadError> {
        let text = std::str::from_utf8(body)
            .map_err(|e| PayloadError::InvalidJson(format!("body is not UTF-8: {e}")))?;
        Self::from_text(text)
    }

    /// Parses a delivery from the body as a string, borrowing from it (see [`Payload::from_slice`]).
    ///
    /// # Errors
    /// As [`Payload::from_slice`].
    pub fn from_text(text: &'a str) -> Result<Self, PayloadError> {
        let (object, entries) = read(text)?;
        Ok(Payload {
            body: Cow::Borrowed(text),
            object,
            entries,
        })
    }
}

impl Payload<'static> {
    /// Parses a delivery already read as a [`serde_json::Value`].
    ///
    /// # Errors
    /// When the value is not a webhook envelope.
    pub fn from_value(value: &Value) -> Result<Self, PayloadError> {
        Self::from_string(value.to_string())
    }

    /// Parses a delivery from an owned body (see [`Payload::from_slice`]).
    ///
    /// # Errors
    /// As [`Payload::from_slice`].
    pub fn from_string(body: String) -> Result<Self, PayloadError> {
        let (object, entries) = {
            let p = Payload::from_text(&body)?;
            (
                own(p.object),
                p.entries.into_iter().map(Entry::into_owned).collect(),
            )
        };
        Ok(Payload {
            body: Cow::Owned(body),
            object,
            entries,
        })
    }
}

/// `body.parse::<Payload>()`, as [`Payload::from_slice`] (owning a copy of the body).
impl std::str::FromStr for Payload<'static> {
    type Err = PayloadError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Payload::from_string(s.to_owned())
    }
}

impl<'de> Deserialize<'de> for Payload<'_> {
    /// Reads a delivery through any serde deserializer (the payload owns its strings). With
    /// serde_json on a byte slice, prefer [`Payload::from_slice`]: it borrows from the body and
    /// avoids building a [`Value`] first.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        Payload::from_value(&value).map_err(serde::de::Error::custom)
    }
}
