//! Tier 5, the value read: the body as a `serde_json::Value`, for envelopes whose structure the
//! per-change read refuses (an entry or change that is not an object, a `field` that is not a
//! string, a missing `value`). Each well-formed change is read as in the per-change read; an
//! entry or change without the expected shape is kept raw as an invalid event.

use crate::webhook::lenient::u64_any;
use crate::webhook::payload::{Change, ChangeData, Entry, PayloadError};
use serde_json::Value;
use std::borrow::Cow;

/// The value read of a whole body, as `object` and entries.
pub(super) fn entries_from_value(
    value: Value,
) -> Result<(String, Vec<Entry<'static>>), PayloadError> {
    let Value::Object(mut map) = value else {
        return Err(PayloadError::NotAnEnvelope(format!(
            "expected a JSON object, found {}",
            super::item_by_item::kind_of(&value)
        )));
    };
    let object = match map.remove("object") {
        Some(Value::String(s)) => s,
        _ => String::new(),
    };
    match map.remove("entry") {
        Some(Value::Array(items)) => {
            Ok((object, items.into_iter().map(Entry::from_value).collect()))
        }
        Some(other) => Err(PayloadError::NotAnEnvelope(format!(
            "`entry` must be an array, found {}",
            super::item_by_item::kind_of(&other)
        ))),
        None => Err(PayloadError::NotAnEnvelope(
            "no `entry` array (expected {\"object\": ..., \"entry\": [...]})".into(),
        )),
    }
}

impl Entry<'_> {
    /// An entry from its JSON value; never fails.
    fn from_value(value: Value) -> Entry<'static> {
        let Value::Object(mut map) = value else {
            return Entry {
                id: Cow::Borrowed(""),
                time: None,
                changes: vec![Change::malformed(value, "an entry must be an object")],
            };
        };
        let id = match map.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let time = map.get("time").and_then(|t| u64_any(t).ok());
        let changes = match map.remove("changes") {
            Some(Value::Array(items)) => items.into_iter().map(Change::from_value).collect(),
            Some(other) => {
                map.insert("changes".into(), other);
                vec![Change::malformed(
                    Value::Object(map),
                    "`changes` must be an array",
                )]
            }
            None => Vec::new(),
        };
        Entry {
            id: Cow::Owned(id),
            time,
            changes,
        }
    }
}

impl Change<'_> {
    /// A change standing for something unreadable, kept raw with the reason.
    fn malformed(value: Value, why: &str) -> Change<'static> {
        Change {
            field: Cow::Borrowed(""),
            value: None,
            data: ChangeData::Invalid(why.to_owned()),
            invalid: Some(value),
        }
    }

    fn from_value(value: Value) -> Change<'static> {
        let Value::Object(map) = value else {
            return Change::malformed(value, "a change must be an object");
        };
        let field = match map.get("field") {
            Some(Value::String(s)) => s.clone(),
            _ => return Change::malformed(Value::Object(map), "a change needs a string `field`"),
        };
        let raw = match map.get("value").map(serde_json::value::to_raw_value) {
            Some(Ok(raw)) => raw,
            _ => return Change::malformed(Value::Object(map), "a change needs a `value`"),
        };
        let data = ChangeData::parse(&field, raw.get()).into_owned();
        Change {
            field: Cow::Owned(field),
            value: Some(Cow::Owned(raw)),
            data,
            invalid: None,
        }
    }
}
