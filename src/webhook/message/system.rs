//! System notices: number or identity changes.

use crate::webhook::lenient::{opt_u64_any, opt_u64_as_string, string_enum};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

string_enum! {
    /// What a `system` message reports.
    SystemKind {
        /// The user changed their phone number.
        UserChangedNumber = "user_changed_number",
        /// The user's identity (security code) changed; see [`System::identity`].
        CustomerIdentityChanged = "customer_identity_changed",
        /// Older name for a number change.
        CustomerChangedNumber = "customer_changed_number",
    }
}

/// A `system` message: number or identity change.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct System {
    /// What changed.
    pub kind: SystemKind,
    /// A human-readable description.
    pub body: Option<String>,
    /// The user's new WhatsApp id (`wa_id`, or `new_wa_id` in older payloads).
    pub new_wa_id: Option<String>,
    /// The customer field of older payloads.
    pub customer: Option<String>,
    /// For an identity change: the new identity (a sibling `identity` object on the message).
    pub identity: Option<Identity>,
}

/// The identity object of a `customer_identity_changed` system message.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Identity {
    /// Whether the change was acknowledged.
    #[serde(default)]
    pub acknowledged: Option<bool>,
    /// When the identity was created (unix seconds).
    #[serde(
        default,
        deserialize_with = "opt_u64_any",
        serialize_with = "opt_u64_as_string"
    )]
    pub created_timestamp: Option<u64>,
    /// The identity hash.
    #[serde(default)]
    pub hash: Option<String>,
}
