//! Template fields: status (with the rejection reason), quality, category and components.

use crate::webhook::lenient::{string_enum, u64_any};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

string_enum! {
    /// What happened to a template (`message_template_status_update.event`).
    TemplateEvent {
        /// Approved: it can be sent.
        Approved = "APPROVED",
        /// Rejected at review.
        Rejected = "REJECTED",
        /// Waiting for review.
        Pending = "PENDING",
        /// Disabled for low quality.
        Disabled = "DISABLED",
        /// Paused for low quality.
        Paused = "PAUSED",
        /// Flagged: will be disabled unless quality improves.
        Flagged = "FLAGGED",
        /// Reinstated after a pause or flag.
        Reinstated = "REINSTATED",
        /// Scheduled for deletion.
        PendingDeletion = "PENDING_DELETION",
        /// Deleted.
        Deleted = "DELETED",
        /// Under appeal.
        InAppeal = "IN_APPEAL",
        /// Archived.
        Archived = "ARCHIVED",
        /// The template limit of the account was reached.
        LimitExceeded = "LIMIT_EXCEEDED",
    }
}

/// `message_template_status_update`: a template was approved, rejected, paused, disabled, …
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateStatusUpdate {
    /// The new status.
    pub event: TemplateEvent,
    /// The template id (Meta sends a JSON integer here; strings are accepted).
    #[serde(deserialize_with = "u64_any")]
    pub message_template_id: u64,
    /// The template name.
    #[serde(default)]
    pub message_template_name: Option<String>,
    /// The template language, such as `en_US`.
    #[serde(default)]
    pub message_template_language: Option<String>,
    /// Why (`NONE` when there is no reason; `null` or absent on some events).
    #[serde(default)]
    pub reason: Option<TemplateReason>,
    /// The template category, such as `UTILITY`.
    #[serde(default)]
    pub message_template_category: Option<String>,
    /// When a flagged template will be disabled.
    #[serde(default)]
    pub disable_info: Option<TemplateDisableInfo>,
    /// Why a template was paused or unpaused (`title`, such as `FIRST_PAUSE`, and a description).
    #[serde(default)]
    pub other_info: Option<TemplateOtherInfo>,
    /// Why a template was rejected, in words, with Meta's recommendation.
    #[serde(default)]
    pub rejection_info: Option<TemplateRejectionInfo>,
}

string_enum! {
    /// Why a template was rejected or changed (`message_template_status_update.reason`).
    TemplateReason {
        /// No reason (`NONE`).
        NoReason = "NONE",
        /// Abusive content.
        AbusiveContent = "ABUSIVE_CONTENT",
        /// The category is not available to the account.
        CategoryNotAvailable = "CATEGORY_NOT_AVAILABLE",
        /// The category does not match the content.
        IncorrectCategory = "INCORRECT_CATEGORY",
        /// The format is invalid (parameters, placeholders, …).
        InvalidFormat = "INVALID_FORMAT",
        /// Promotional content in a non-marketing template.
        Promotional = "PROMOTIONAL",
        /// Seen as a scam.
        Scam = "SCAM",
        /// The tag does not match the content.
        TagContentMismatch = "TAG_CONTENT_MISMATCH",
    }
}

/// `disable_info` of a flagged template.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateDisableInfo {
    /// When the template will be disabled, as Meta writes it (`November 14, 2025`).
    #[serde(default)]
    pub disable_date: Option<String>,
}

/// `other_info` of a paused or unpaused template.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateOtherInfo {
    /// What happened, such as `FIRST_PAUSE`, `SECOND_PAUSE` or `UNPAUSE`.
    #[serde(default)]
    pub title: Option<String>,
    /// A description in words.
    #[serde(default)]
    pub description: Option<String>,
}

/// `rejection_info` of a rejected template.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateRejectionInfo {
    /// Why, in words.
    #[serde(default)]
    pub reason: Option<String>,
    /// What to change.
    #[serde(default)]
    pub recommendation: Option<String>,
}

/// `message_template_quality_update`: a template's quality score changed.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateQualityUpdate {
    /// The previous score (`GREEN`, `YELLOW`, `RED`, `UNKNOWN`).
    #[serde(default)]
    pub previous_quality_score: Option<String>,
    /// The new score.
    pub new_quality_score: String,
    /// The template id.
    #[serde(deserialize_with = "u64_any")]
    pub message_template_id: u64,
    /// The template name.
    #[serde(default)]
    pub message_template_name: Option<String>,
    /// The template language.
    #[serde(default)]
    pub message_template_language: Option<String>,
}

/// `template_category_update`: Meta changed (or will change) a template's category.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateCategoryUpdate {
    /// The template id.
    #[serde(deserialize_with = "u64_any")]
    pub message_template_id: u64,
    /// The template name.
    #[serde(default)]
    pub message_template_name: Option<String>,
    /// The template language.
    #[serde(default)]
    pub message_template_language: Option<String>,
    /// The category before.
    #[serde(default)]
    pub previous_category: Option<String>,
    /// The category after.
    #[serde(default)]
    pub new_category: Option<String>,
    /// The category Meta considers correct (before an automatic change).
    #[serde(default)]
    pub correct_category: Option<String>,
}

/// `message_template_components_update`: a template's text, title, footer or buttons changed.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateComponentsUpdate {
    /// The template id (an integer on the wire; strings are accepted).
    #[serde(deserialize_with = "u64_any")]
    pub message_template_id: u64,
    /// The template name.
    #[serde(default)]
    pub message_template_name: Option<String>,
    /// The template language.
    #[serde(default)]
    pub message_template_language: Option<String>,
    /// The body text, with its `{{1}}` placeholders.
    #[serde(default)]
    pub message_template_element: Option<String>,
    /// The header text, when there is one.
    #[serde(default)]
    pub message_template_title: Option<String>,
    /// The footer text, when there is one.
    #[serde(default)]
    pub message_template_footer: Option<String>,
    /// The buttons, when there are any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub message_template_buttons: Vec<TemplateComponentButton>,
}

/// One button of a [`TemplateComponentsUpdate`].
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateComponentButton {
    /// The button type, such as `QUICK_REPLY`, `URL` or `PHONE_NUMBER`.
    #[serde(default)]
    pub message_template_button_type: Option<String>,
    /// The button label.
    #[serde(default)]
    pub message_template_button_text: Option<String>,
    /// The link of a URL button.
    #[serde(default)]
    pub message_template_button_url: Option<String>,
    /// The number of a phone-number button.
    #[serde(default)]
    pub message_template_button_phone_number: Option<String>,
}
