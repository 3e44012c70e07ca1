//! System notices: number, user id or identity changes.

use crate::ids::UserId;
use crate::webhook::lenient::{opt_u64_any, opt_u64_as_string, string_enum};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

string_enum! {
    /// What a `system` message reports.
    SystemKind {
        /// The user changed their phone number, and the new one can be shared: `from` is the old
        /// number, [`System::new_wa_id`] the new one.
        UserChangedNumber = "user_changed_number",
        /// The user's business-scoped user id changed and no phone number can be shared:
        /// [`System::previous_user_id`] is the old BSUID, [`System::user_id`] the new one.
        UserChangedUserId = "user_changed_user_id",
        /// The user's identity (security code) changed; see [`System::identity`].
        CustomerIdentityChanged = "customer_identity_changed",
        /// Older name for a number change.
        CustomerChangedNumber = "customer_changed_number",
    }
}

/// A `system` message: a number, user id or identity change.
///
/// A number or user id change carries the user's ids before and after it; `policy::IdChange`
/// reads them as "who the user was, who the user is now".
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
    /// The user's business-scoped user id after the change (`user_id`).
    pub user_id: Option<UserId>,
    /// The user's parent BSUID after the change (`parent_user_id`).
    pub parent_user_id: Option<UserId>,
    /// The user's business-scoped user id before the change (`previous_user_id`).
    pub previous_user_id: Option<UserId>,
    /// The user's parent BSUID before the change (`previous_parent_user_id`).
    pub previous_parent_user_id: Option<UserId>,
    /// For an identity change: the new identity (a sibling `identity` object on the message).
    pub identity: Option<Identity>,
}

impl System {
    /// True for a change of the user's phone number or business-scoped user id (not of the
    /// identity key): `user_changed_number`, `user_changed_user_id` and the older
    /// `customer_changed_number`.
    pub fn is_id_change(&self) -> bool {
        matches!(
            self.kind,
            SystemKind::UserChangedNumber
                | SystemKind::UserChangedUserId
                | SystemKind::CustomerChangedNumber
        )
    }
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
