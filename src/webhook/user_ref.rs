//! A user as the listed fields name one: phone number, business-scoped user ids and username.

use super::lenient::opt_string_any;
use crate::ids::UserId;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// A user named in a history thread or a group update (Meta's "Business-scoped user IDs" page):
/// the phone number only when it may be shared, the business-scoped user id always.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserRef {
    /// The user's phone number; absent when it cannot be shared.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub wa_id: Option<String>,
    /// The user's business-scoped user id.
    #[serde(default)]
    pub user_id: Option<UserId>,
    /// The user's parent business-scoped user id, when the portfolio is enrolled.
    #[serde(default)]
    pub parent_user_id: Option<String>,
    /// The user's WhatsApp username.
    #[serde(default)]
    pub username: Option<String>,
}

impl UserRef {
    /// The phone number, unless absent or empty.
    pub fn phone(&self) -> Option<&str> {
        self.wa_id.as_deref().filter(|w| !w.is_empty())
    }
}
