//! The four group fields (Meta's "Webhooks for Groups API"): a group created or deleted, its
//! participants changed, its settings changed, or the group suspended. Each `groups[]` item is one
//! event; `timestamp` is read from a string or a bare number.

use super::lenient::{opt_u64_any, opt_u64_as_string, string_enum};
use super::user_ref::UserRef;
use crate::error::ErrorObject;
use crate::ids::GroupId;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

string_enum! {
    /// What happened to a group (`group_lifecycle_update`).
    GroupLifecycleKind {
        /// The group was created (or creating it failed: see [`GroupRef::errors`]).
        Create = "group_create",
        /// The group was deleted.
        Delete = "group_delete",
    }
}

string_enum! {
    /// What happened to a group's participants (`group_participants_update`).
    GroupParticipantsKind {
        /// Users joined (through the invite link).
        Add = "group_participants_add",
        /// Users were removed, or left.
        Remove = "group_participants_remove",
        /// A user asked to join a group that needs approval.
        JoinRequestCreated = "group_join_request_created",
        /// A user withdrew a request to join.
        JoinRequestRevoked = "group_join_request_revoked",
    }
}

string_enum! {
    /// A group's suspension (`group_status_update`).
    GroupStatusKind {
        /// WhatsApp suspended the group.
        Suspend = "group_suspend",
        /// The suspension was lifted.
        SuspendCleared = "group_suspend_cleared",
    }
}

/// What every group update carries: the group, when, the request behind it, and why it failed.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupRef {
    /// The group (absent when creating it failed).
    #[serde(default)]
    pub group_id: Option<GroupId>,
    /// When, in unix seconds (a string or a bare number).
    #[serde(
        default,
        deserialize_with = "opt_u64_any",
        serialize_with = "opt_u64_as_string"
    )]
    pub timestamp: Option<u64>,
    /// The id the business's call returned (create, update, remove, delete), to match the update
    /// to it.
    #[serde(default)]
    pub request_id: Option<String>,
    /// Why the operation failed, when it did.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorObject>,
}

/// `group_lifecycle_update`: a group created (its id and invite link, matched to the create call
/// by `request_id`) or deleted.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupLifecycleUpdate {
    /// Created or deleted.
    #[serde(rename = "type")]
    pub kind: GroupLifecycleKind,
    /// The group, when, and the request behind the update.
    #[serde(flatten)]
    pub group: GroupRef,
    /// The group's subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// The group's description.
    #[serde(default)]
    pub description: Option<String>,
    /// The invite link (`https://chat.whatsapp.com/…`).
    #[serde(default)]
    pub invite_link: Option<String>,
    /// `auto_approve` or `approval_required`.
    #[serde(default)]
    pub join_approval_mode: Option<String>,
}

/// `group_participants_update`: users joined, were removed or left, or asked to join.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupParticipantsUpdate {
    /// What happened.
    #[serde(rename = "type")]
    pub kind: GroupParticipantsKind,
    /// The group, when, and the request behind the update.
    #[serde(flatten)]
    pub group: GroupRef,
    /// How users joined (`invite_link`).
    #[serde(default)]
    pub reason: Option<String>,
    /// Who removed the users: `business` or `participant` (the user left).
    #[serde(default)]
    pub initiated_by: Option<String>,
    /// Users who joined.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub added_participants: Vec<GroupParticipant>,
    /// Users who were removed or left.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed_participants: Vec<GroupParticipant>,
    /// Users the business could not remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed_participants: Vec<GroupParticipant>,
    /// The join request, on `group_join_request_*`.
    #[serde(default)]
    pub join_request_id: Option<String>,
    /// The requesting user, on `group_join_request_*`.
    #[serde(flatten)]
    pub requester: UserRef,
}

/// A user in a participants update.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupParticipant {
    /// The user.
    #[serde(flatten)]
    pub user: UserRef,
    /// The id the business used in its remove call (phone number or business-scoped user id).
    #[serde(default)]
    pub input: Option<String>,
    /// Why this user could not be removed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorObject>,
}

/// `group_settings_update`: the subject, description or picture changed.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupSettingsUpdate {
    /// The item type, as sent.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The group, when, and the request behind the update.
    #[serde(flatten)]
    pub group: GroupRef,
    /// The new subject, when it changed.
    #[serde(default)]
    pub group_subject: Option<GroupSettingChange>,
    /// The new description, when it changed.
    #[serde(default)]
    pub group_description: Option<GroupSettingChange>,
    /// The new picture, when it changed.
    #[serde(default)]
    pub profile_picture: Option<GroupSettingChange>,
}

/// One changed setting of a group: a text (subject, description) or a picture.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupSettingChange {
    /// The new text (subject or description).
    #[serde(default)]
    pub text: Option<String>,
    /// The picture's MIME type.
    #[serde(default)]
    pub mime_type: Option<String>,
    /// The picture's SHA-256.
    #[serde(default)]
    pub sha256: Option<String>,
    /// Whether the change was applied.
    #[serde(default)]
    pub update_successful: Option<bool>,
    /// Why it was not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorObject>,
}

/// `group_status_update`: the group was suspended, or the suspension lifted.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupStatusUpdate {
    /// Suspended or cleared.
    #[serde(rename = "type")]
    pub kind: GroupStatusKind,
    /// The group, when, and the request behind the update.
    #[serde(flatten)]
    pub group: GroupRef,
}
