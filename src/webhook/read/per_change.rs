//! Tier 3, the per-change read: serde reads the envelope's structure and keeps each change's
//! value as its own JSON text (a `RawValue`), then reads each value by its `field`. A `messages`
//! value is tried in one typed pass first and read item by item when that fails; a typed field
//! that does not parse becomes an invalid event. When even the envelope's structure does not fit,
//! the caller moves on to the value read.

use super::item_by_item::{items, parse_messages_item_by_item};
use crate::webhook::lenient::{cow_any, opt_u64_any, seq_into};
use crate::webhook::payload::{
    AutomaticEventsValue, Change, ChangeData, Entry, MessagesValue, Metadata,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// The per-change read of a whole body, as `object` and entries; `None` when the body is not an
/// envelope of entries and changes with string fields and values.
pub(super) fn read(text: &str) -> Option<(Cow<'_, str>, Vec<Entry<'_>>)> {
    serde_json::from_str::<WireEnvelope<'_>>(text)
        .ok()
        .map(|w| (w.object, w.entry))
}

#[derive(Deserialize)]
struct WireEnvelope<'a> {
    #[serde(default, borrow)]
    object: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "seq_into::<_, WireEntry<'a>, Entry<'a>>")]
    entry: Vec<Entry<'a>>,
}

#[derive(Deserialize)]
struct WireEntry<'a> {
    #[serde(borrow, deserialize_with = "cow_any")]
    id: Cow<'a, str>,
    #[serde(default, deserialize_with = "opt_u64_any")]
    time: Option<u64>,
    #[serde(
        default,
        borrow,
        deserialize_with = "seq_into::<_, WireChange<'a>, Change<'a>>"
    )]
    changes: Vec<Change<'a>>,
}

impl<'a> From<WireEntry<'a>> for Entry<'a> {
    fn from(e: WireEntry<'a>) -> Self {
        Entry {
            id: e.id,
            time: e.time,
            changes: e.changes,
        }
    }
}

#[derive(Deserialize)]
struct WireChange<'a> {
    #[serde(borrow)]
    field: Cow<'a, str>,
    #[serde(borrow)]
    value: &'a RawValue,
}

impl<'a> From<WireChange<'a>> for Change<'a> {
    fn from(c: WireChange<'a>) -> Self {
        Change::new(c.field, c.value)
    }
}

impl<'a> Change<'a> {
    /// A change read by its `field` from its value's JSON text.
    pub(super) fn new(field: Cow<'a, str>, value: &'a RawValue) -> Change<'a> {
        let data = ChangeData::parse(&field, value.get());
        Change {
            field,
            value: Some(Cow::Borrowed(value)),
            data,
            invalid: None,
        }
    }
}

fn typed<'a, T: DeserializeOwned>(
    s: &str,
    wrap: impl FnOnce(T) -> ChangeData<'a>,
) -> ChangeData<'a> {
    match serde_json::from_str::<T>(s) {
        Ok(v) => wrap(v),
        Err(e) => ChangeData::Invalid(e.to_string()),
    }
}

impl<'a> ChangeData<'a> {
    /// Reads a change's value by its `field`; never fails (see [`ChangeData::Invalid`]).
    pub(super) fn parse(field: &str, value: &'a str) -> ChangeData<'a> {
        match field {
            "messages" | "user_preferences" => ChangeData::Messages(parse_messages(value)),
            // Legacy (withdrawn by Meta in 2026): its one list is read item by item.
            "user_id_update" => ChangeData::Messages(parse_messages_item_by_item(value)),
            "message_template_status_update" => {
                typed(value, |u| ChangeData::TemplateStatus(Box::new(u)))
            }
            "message_template_quality_update" => {
                typed(value, |u| ChangeData::TemplateQuality(Box::new(u)))
            }
            "template_category_update" => {
                typed(value, |u| ChangeData::TemplateCategory(Box::new(u)))
            }
            "account_update" => typed(value, |u| ChangeData::AccountUpdate(Box::new(u))),
            "phone_number_quality_update" => {
                typed(value, |u| ChangeData::PhoneNumberQuality(Box::new(u)))
            }
            // Account, template, phone number, Flows and ad fields (webhook/fields/).
            "account_alerts" => typed(value, |u| ChangeData::AccountAlert(Box::new(u))),
            "account_review_update" => typed(value, |u| ChangeData::AccountReview(Box::new(u))),
            "business_capability_update" => {
                typed(value, |u| ChangeData::BusinessCapability(Box::new(u)))
            }
            "partner_solutions" => typed(value, |u| ChangeData::PartnerSolution(Box::new(u))),
            "message_template_components_update" => {
                typed(value, |u| ChangeData::TemplateComponents(Box::new(u)))
            }
            "phone_number_name_update" => {
                typed(value, |u| ChangeData::PhoneNumberName(Box::new(u)))
            }
            "security" => typed(value, |u| ChangeData::Security(Box::new(u))),
            "payment_configuration_update" => {
                typed(value, |u| ChangeData::PaymentConfiguration(Box::new(u)))
            }
            // `phone_number_username_update` is the field's name before 2026.
            "business_username_update" | "phone_number_username_update" => {
                typed(value, |u| ChangeData::BusinessUsername(Box::new(u)))
            }
            "flows" => typed(value, |u| ChangeData::Flow(Box::new(u))),
            "automatic_events" => automatic_events(value),
            _ => super::listed::parse(field, value).unwrap_or(ChangeData::Unknown),
        }
    }
}

/// An `automatic_events` value: each item of `automatic_events[]` read on its own. An object
/// without that array is a shape this version does not know (kept as sent, as an unknown field).
fn automatic_events(value: &str) -> ChangeData<'static> {
    match serde_json::from_str::<Value>(value) {
        Ok(Value::Object(mut map)) => match map.remove("automatic_events") {
            Some(list @ Value::Array(_)) => {
                let metadata = map
                    .get("metadata")
                    .and_then(|m| Metadata::deserialize(m).ok())
                    .map(Metadata::into_owned);
                ChangeData::AutomaticEvents(Box::new(AutomaticEventsValue {
                    metadata,
                    items: items(Some(list)),
                }))
            }
            _ => ChangeData::Unknown,
        },
        _ => ChangeData::Invalid(
            "the value of an `automatic_events` change must be an object".into(),
        ),
    }
}

/// A `messages` value: in one typed pass when it can be, else item by item. Only an object takes
/// the typed pass: serde's derived reader would also take an array as the fields in order, which
/// the one-pass read refuses; the item-by-item read reports such a value as invalid.
fn parse_messages(value: &str) -> MessagesValue<'_> {
    if !value.trim_start().starts_with('{') {
        return parse_messages_item_by_item(value);
    }
    serde_json::from_str::<MessagesValue<'_>>(value)
        .unwrap_or_else(|_| parse_messages_item_by_item(value))
}
