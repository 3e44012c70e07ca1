//! `user_preferences[]`: a user stopped or resumed marketing messages.

use crate::webhook::lenient::{opt_string_any, string_enum, u64_any};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

string_enum! {
    /// A user's marketing-message preference.
    PreferenceValue {
        /// The user stopped marketing messages.
        Stop = "stop",
        /// The user resumed marketing messages.
        Resume = "resume",
    }
}

/// One entry of `user_preferences[]`: a user stopped or resumed marketing messages.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserPreference {
    /// The user's WhatsApp id (phone number); absent when it cannot be shared.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub wa_id: Option<String>,
    /// The user's BSUID (sent since 2026).
    #[serde(default)]
    pub user_id: Option<crate::ids::UserId>,
    /// The user's parent BSUID, for users of an enrolled business portfolio.
    #[serde(default)]
    pub parent_user_id: Option<crate::ids::UserId>,
    /// A description, such as `User requested to stop marketing messages`.
    #[serde(default)]
    pub detail: Option<String>,
    /// The preference category (`marketing_messages`).
    pub category: String,
    /// `stop` or `resume`.
    pub value: PreferenceValue,
    /// When (unix seconds; Meta sends an integer here).
    #[serde(deserialize_with = "u64_any")]
    pub timestamp: u64,
}
