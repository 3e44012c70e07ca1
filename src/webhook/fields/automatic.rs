//! The `automatic_events` field: purchases and leads Meta detected in chats that started from an
//! ad (one event per item of `automatic_events[]`).

use crate::ids::MessageId;
use crate::webhook::lenient::{opt_f64_any, string_enum, u64_any};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

string_enum! {
    /// What Meta detected (`automatic_events[].event_name`).
    AutomaticEventName {
        /// A lead was submitted.
        LeadSubmitted = "LeadSubmitted",
        /// A purchase was made (see `custom_data`).
        Purchase = "Purchase",
    }
}

/// One item of `automatic_events[]`: a purchase or a lead detected in a chat.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AutomaticEvent {
    /// The message in which it was detected.
    pub id: MessageId,
    /// What was detected.
    pub event_name: AutomaticEventName,
    /// When (unix seconds; an integer on the wire).
    #[serde(deserialize_with = "u64_any")]
    pub timestamp: u64,
    /// The click-to-WhatsApp ad click id, when the chat started from an ad.
    #[serde(default)]
    pub ctwa_clid: Option<String>,
    /// The amount of a purchase.
    #[serde(default)]
    pub custom_data: Option<PurchaseData>,
}

/// `automatic_events[].custom_data`: the amount of a purchase.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PurchaseData {
    /// ISO 4217 currency code.
    #[serde(default)]
    pub currency: Option<String>,
    /// The amount, in the currency's units (fractional).
    #[serde(default, deserialize_with = "opt_f64_any")]
    pub value: Option<f64>,
}
