//! Typed values of webhook fields other than messages: templates, account, quality, preferences.

use super::lenient::{opt_string_any, opt_u64_any, string_enum, u64_any};
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
    /// Why (`NONE` when there is no reason).
    #[serde(default)]
    pub reason: Option<String>,
    /// The template category, such as `UTILITY`.
    #[serde(default)]
    pub message_template_category: Option<String>,
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

/// `account_update`: the business account was verified, restricted, banned, had a partner added, …
///
/// The event-specific objects (`ban_info`, `restriction_info`, `violation_info`, `waba_info`, …) are
/// available through [`FieldEvent::raw`](super::FieldEvent::raw).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccountUpdate {
    /// What happened, such as `VERIFIED_ACCOUNT`, `ACCOUNT_RESTRICTION`, `DISABLED_UPDATE`.
    #[serde(default)]
    pub event: Option<String>,
    /// The business phone number concerned, when there is one.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub phone_number: Option<String>,
}

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
