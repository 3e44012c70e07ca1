//! Business phone number fields: quality, display name, two-step PIN (`security`) and username.

use super::account::Decision;
use crate::webhook::lenient::{opt_string_any, opt_u64_any, string_enum};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// `phone_number_quality_update`: the number's quality or messaging limit changed.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PhoneNumberQualityUpdate {
    /// The business number.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub display_phone_number: Option<String>,
    /// `FLAGGED`, `UNFLAGGED`, `UPGRADE`, `DOWNGRADE`, `THROUGHPUT_UPGRADE`, …
    pub event: String,
    /// The current messaging limit tier, such as `TIER_2K`.
    #[serde(default)]
    pub current_limit: Option<String>,
    /// The daily conversation limit per business (v24.0+).
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub max_daily_conversations_per_business: Option<u64>,
    /// The daily conversation limit per phone number (v23.0 and older).
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub max_daily_conversation_per_phone: Option<u64>,
}

/// `phone_number_name_update`: Meta decided on a requested display name.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PhoneNumberNameUpdate {
    /// The business number.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub display_phone_number: Option<String>,
    /// The decision.
    pub decision: Decision,
    /// The display name that was requested.
    #[serde(default)]
    pub requested_verified_name: Option<String>,
    /// Why it was rejected (`null` unless rejected).
    #[serde(default)]
    pub rejection_reason: Option<String>,
}

string_enum! {
    /// What happened to a number's two-step verification PIN (`security.event`).
    SecurityEvent {
        /// The PIN was changed.
        PinChanged = "PIN_CHANGED",
        /// A reset of the PIN was requested.
        PinResetRequest = "PIN_RESET_REQUEST",
        /// The PIN was reset.
        PinRequestSuccess = "PIN_REQUEST_SUCCESS",
    }
}

/// `security`: the number's two-step verification PIN changed or a reset was requested.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SecurityUpdate {
    /// The business number.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub display_phone_number: Option<String>,
    /// What happened.
    pub event: SecurityEvent,
    /// Who asked for it, when sent.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub requester: Option<String>,
}

string_enum! {
    /// The state of a business username (`business_username_update.status`).
    UsernameStatus {
        /// The username is approved and visible.
        Approved = "approved" | "APPROVED",
        /// The username is reserved for the business.
        Reserved = "reserved" | "RESERVED",
        /// The username was deleted.
        Deleted = "deleted" | "DELETED",
    }
}

/// `business_username_update`: the business number's username was approved, reserved or deleted.
///
/// The field replaced `phone_number_username_update` in 2026; a delivery under the old name is
/// read into this type too.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BusinessUsernameUpdate {
    /// The business number.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub display_phone_number: Option<String>,
    /// The username; absent when it was deleted.
    #[serde(default)]
    pub username: Option<String>,
    /// Its new state.
    pub status: UsernameStatus,
}
