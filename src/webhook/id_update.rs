//! The legacy `user_id_update` field: a user's business-scoped user id changed.
//!
//! Meta's "Business-scoped user IDs" page described this field in March 2026; its August 2026
//! changelog withdrew it in favour of `system` messages of type `user_changed_user_id` (see
//! [`SystemKind::UserChangedUserId`](super::SystemKind::UserChangedUserId)). Some providers still
//! relay it, so it is read too.

use super::lenient::{opt_string_any, u64_any, u64_as_string};
use crate::ids::UserId;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// An id before and after a change (`{"previous": …, "current": …}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IdPair {
    /// The id before the change.
    pub previous: UserId,
    /// The id after the change.
    pub current: UserId,
}

/// One entry of `user_id_update[]`: the user's BSUID (and maybe parent BSUID) changed.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserIdUpdate {
    /// The user's phone number, when it can be shared.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub wa_id: Option<String>,
    /// A description of the change.
    #[serde(default)]
    pub detail: Option<String>,
    /// The business-scoped user id before and after.
    pub user_id: IdPair,
    /// The parent BSUID before and after, for users of an enrolled portfolio.
    #[serde(default)]
    pub parent_user_id: Option<IdPair>,
    /// When the change happened (unix seconds; a string on the wire, integers accepted).
    #[serde(deserialize_with = "u64_any", serialize_with = "u64_as_string")]
    pub timestamp: u64,
}

impl UserIdUpdate {
    /// The phone number, unless absent or empty.
    pub fn wa_id(&self) -> Option<&str> {
        self.wa_id.as_deref().filter(|w| !w.is_empty())
    }
}
