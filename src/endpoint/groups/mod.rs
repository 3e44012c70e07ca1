//! The Groups API (Meta's "Groups API" and "Group management" pages): create a group, list the
//! active ones, read one, change its subject, description or picture, get or reset its invite link,
//! remove participants, handle join requests, delete it, and read its analytics.
//!
//! Creating, updating, removing participants and deleting are asynchronous: the call answers a
//! [`RequestId`] and the outcome comes later in a group webhook carrying the same `request_id`.
//! [`GroupRequests`] registers each id with what was asked and turns the matching webhook into a
//! [`GroupOutcome`] (the new group's id and invite link, the settings applied, the participants
//! removed and those that were not), with an expiry for webhooks that never come.
//!
//! A group holds at most 8 participants besides the business; users join through the invite link
//! (participants cannot be added by the API). Messages go to a group with
//! [`Recipient::group`](crate::ids::Recipient::group).
//!
//! ```
//! use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
//! use whatsapp_cloud::endpoint::groups::{CreateGroup, JoinApprovalMode};
//!
//! let ctx = ApiContext::new("token", "106540352242922");
//! let create = CreateGroup::new("New purchase inquiry").join_approval_mode(JoinApprovalMode::ApprovalRequired);
//! let request = create.to_request(&ctx)?;
//! assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/106540352242922/groups");
//! assert_eq!(request.body().as_slice(),
//!     br#"{"messaging_product":"whatsapp","subject":"New purchase inquiry","join_approval_mode":"approval_required"}"#);
//!
//! let response = http::Response::builder().status(200).body(br#"{"request_id":"6B8C4E2F1A"}"#.to_vec())?;
//! let request_id = create.parse_response(response)?;
//! assert_eq!(request_id.as_str(), "6B8C4E2F1A");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod analytics;
mod correlate;
mod manage;
mod participants;
mod picture;

pub use analytics::{
    GROUP_ANALYTICS_LOOKBACK_DAYS, GetGroupAnalytics, GroupAnalytics, GroupAnalyticsPoint,
    GroupAnalyticsSeries, GroupMetric,
};
pub use correlate::{
    GroupOutcome, GroupRequestKind, GroupRequests, ParticipantsRemoved, Resolved, SettingsApplied,
};
pub use manage::{
    CreateGroup, DeleteGroup, GetGroup, GetInviteLink, ListGroups, ResetInviteLink, UpdateGroup,
};
pub use participants::{
    ApproveJoinRequests, JoinRequestsAnswer, ListJoinRequests, RejectJoinRequests,
    RemoveParticipants,
};
pub use picture::{GROUP_PICTURE_MIN_SIDE, jpeg_dimensions};

use super::paging::wire_enum;
use crate::error::ErrorObject;
use crate::ids::{GroupId, RequestId, UserId};
use crate::webhook::UserRef;
use serde::{Deserialize, Deserializer, Serialize};
use serde_with::skip_serializing_none;

/// The longest group subject, in characters, after trimming.
pub const GROUP_SUBJECT_MAX: usize = 128;
/// The longest group description, in characters.
pub const GROUP_DESCRIPTION_MAX: usize = 2048;
/// The most participants one removal may name (a group holds at most 8 besides the business).
pub const GROUP_PARTICIPANTS_MAX: usize = 8;
/// The largest page of [`ListGroups`].
pub const LIST_GROUPS_LIMIT_MAX: u32 = 1024;

wire_enum! {
    /// Whether users who open the invite link join at once or wait for the business's approval.
    JoinApprovalMode {
        /// They join at once (Meta's default).
        AutoApprove = "auto_approve",
        /// They send a join request, which the business approves or rejects.
        ApprovalRequired = "approval_required",
    }
}

wire_enum! {
    /// A field [`GetGroup`] can ask for (without any, Meta returns only the id).
    GroupField {
        /// The subject.
        Subject = "subject",
        /// The description.
        Description = "description",
        /// The participants (their `wa_id`).
        Participants = "participants",
        /// The join approval mode.
        JoinApprovalMode = "join_approval_mode",
        /// Whether WhatsApp suspended the group.
        Suspended = "suspended",
        /// When the group was created.
        CreationTimestamp = "creation_timestamp",
        /// How many participants it has, the business not counted.
        TotalParticipantCount = "total_participant_count",
    }
}

impl GroupField {
    /// Every field Meta documents.
    pub const ALL: [GroupField; 7] = [
        GroupField::Subject,
        GroupField::Description,
        GroupField::Participants,
        GroupField::JoinApprovalMode,
        GroupField::Suspended,
        GroupField::CreationTimestamp,
        GroupField::TotalParticipantCount,
    ];
}

/// `{"request_id": "…"}`: the answer to a create, an update, a participants removal or a delete.
#[derive(Deserialize)]
pub(crate) struct RequestIdAnswer {
    pub(crate) request_id: RequestId,
}

/// The answer to an update, a participants removal or a delete: the `request_id` the outcome's
/// webhook will carry, or a bare `{"success": true}`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Accepted {
    /// The id to match the outcome's webhook to (see [`GroupRequests`]).
    #[serde(default)]
    pub request_id: Option<RequestId>,
    /// Whether Meta reports success, when it says so.
    #[serde(default)]
    pub success: Option<bool>,
}

/// One active group, as [`ListGroups`] returns it.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupSummary {
    /// The group.
    pub id: GroupId,
    /// Its subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// When it was created, in unix seconds (a number or a string).
    #[serde(default, deserialize_with = "opt_u64_lenient")]
    pub created_at: Option<u64>,
}

/// A group as [`GetGroup`] returns it: only the fields asked for are present.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupInfo {
    /// The group.
    pub id: GroupId,
    /// `whatsapp`.
    #[serde(default)]
    pub messaging_product: Option<String>,
    /// The subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// The participants, the business not included.
    #[serde(default)]
    pub participants: Option<Vec<UserRef>>,
    /// Whether users join at once or after approval.
    #[serde(default)]
    pub join_approval_mode: Option<JoinApprovalMode>,
    /// Whether WhatsApp suspended the group.
    #[serde(default)]
    pub suspended: Option<bool>,
    /// When the group was created, in unix seconds.
    #[serde(default, deserialize_with = "opt_u64_lenient")]
    pub creation_timestamp: Option<u64>,
    /// How many participants it has, the business not counted.
    #[serde(default, deserialize_with = "opt_u64_lenient")]
    pub total_participant_count: Option<u64>,
}

/// A group's invite link (`https://chat.whatsapp.com/<code>`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InviteLink {
    /// `whatsapp`.
    #[serde(default)]
    pub messaging_product: Option<String>,
    /// The link; resetting it invalidates every older one.
    pub invite_link: String,
}

/// A user who asked to join a group that needs approval ([`ListJoinRequests`]).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JoinRequest {
    /// The request, to approve or reject.
    pub join_request_id: String,
    /// The user.
    #[serde(flatten)]
    pub user: UserRef,
    /// When the user asked, in unix seconds.
    #[serde(default, deserialize_with = "opt_u64_lenient")]
    pub creation_timestamp: Option<u64>,
}

/// A join request that could not be approved or rejected, and why.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FailedJoinRequest {
    /// The request.
    pub join_request_id: String,
    /// Why it failed.
    #[serde(default)]
    pub errors: Vec<ErrorObject>,
}

/// One participant to remove: by phone number (`user`) or by business-scoped user id (`user_id`),
/// never both in one entry.
///
/// ```
/// use whatsapp_cloud::endpoint::groups::GroupUser;
/// assert_eq!(serde_json::to_value(GroupUser::phone("16505551234"))?, serde_json::json!({"user": "16505551234"}));
/// assert_eq!(serde_json::to_value(GroupUser::user_id("US.13491208655302741918"))?,
///     serde_json::json!({"user_id": "US.13491208655302741918"}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum GroupUser {
    /// A phone number or `wa_id`, sent as `user`.
    #[serde(rename = "user")]
    Phone(String),
    /// A business-scoped user id, sent as `user_id`.
    #[serde(rename = "user_id")]
    UserId(UserId),
}

impl GroupUser {
    /// A participant by phone number or `wa_id`.
    pub fn phone(number: impl Into<String>) -> Self {
        Self::Phone(number.into())
    }

    /// A participant by business-scoped user id.
    pub fn user_id(id: impl Into<UserId>) -> Self {
        Self::UserId(id.into())
    }

    /// The id as sent.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Phone(p) => p,
            Self::UserId(u) => u.as_str(),
        }
    }
}

/// A count or timestamp Meta may send as a number or a string.
pub(crate) fn opt_u64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Any {
        Number(u64),
        Text(String),
    }
    match Option::<Any>::deserialize(d)? {
        None => Ok(None),
        Some(Any::Number(n)) => Ok(Some(n)),
        Some(Any::Text(s)) => {
            s.trim().parse().map(Some).map_err(|_| {
                serde::de::Error::custom(format!("expected a whole number, found {s:?}"))
            })
        }
    }
}
