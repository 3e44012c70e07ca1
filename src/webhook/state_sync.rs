//! The `smb_app_state_sync` field: the contact list of the WhatsApp Business app on a coexistence
//! number, as it is at onboarding and as the business edits it.

use super::lenient::{opt_string_any, opt_u64_any, opt_u64_as_string, string_enum};
use crate::ids::UserId;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

string_enum! {
    /// What happened to a contact of the business app (`state_sync[].action`).
    StateSyncAction {
        /// The business added (or edited) the contact.
        Add = "add",
        /// The business removed the contact.
        Remove = "remove",
    }
}

/// One `state_sync[]` item: a contact the business added to or removed from its app.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StateSync {
    /// What is synchronised (`contact`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The contact, for `contact` items.
    #[serde(default)]
    pub contact: Option<StateSyncContact>,
    /// Added or removed.
    pub action: StateSyncAction,
    /// When the change was made.
    #[serde(default)]
    pub metadata: Option<StateSyncMetadata>,
}

impl StateSync {
    /// When the change was made, in unix seconds.
    pub fn timestamp(&self) -> Option<u64> {
        self.metadata.as_ref().and_then(|m| m.timestamp)
    }
}

/// A contact of the business app (`state_sync[].contact`); names are absent on `remove`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StateSyncContact {
    /// The full name the business saved.
    #[serde(default)]
    pub full_name: Option<String>,
    /// The first name the business saved.
    #[serde(default)]
    pub first_name: Option<String>,
    /// The contact's phone number; absent when it cannot be shared.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub phone_number: Option<String>,
    /// The contact's business-scoped user id.
    #[serde(default)]
    pub user_id: Option<UserId>,
    /// The contact's parent business-scoped user id, when the portfolio is enrolled.
    #[serde(default)]
    pub parent_user_id: Option<String>,
    /// The contact's WhatsApp username.
    #[serde(default)]
    pub username: Option<String>,
}

/// `state_sync[].metadata`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StateSyncMetadata {
    /// When the change was made, in unix seconds (Meta sends a string).
    #[serde(
        default,
        deserialize_with = "opt_u64_any",
        serialize_with = "opt_u64_as_string"
    )]
    pub timestamp: Option<u64>,
}
