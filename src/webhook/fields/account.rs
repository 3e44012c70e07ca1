//! Account and business fields: `account_update`, `account_alerts`, `account_review_update`,
//! `business_capability_update` and `partner_solutions`.

use crate::webhook::lenient::{opt_string_any, opt_u64_any, string_any, string_enum};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use std::fmt;

string_enum! {
    /// What happened to the account (`account_update.event`).
    AccountEvent {
        /// The business was verified.
        VerifiedAccount = "VERIFIED_ACCOUNT",
        /// The account is scheduled to be disabled, was disabled or was reinstated (see `ban_info`).
        DisabledUpdate = "DISABLED_UPDATE",
        /// A policy violation (see `violation_info`).
        AccountViolation = "ACCOUNT_VIOLATION",
        /// The account's abilities were restricted (see `restriction_info`).
        AccountRestriction = "ACCOUNT_RESTRICTION",
        /// The account was deleted.
        AccountDeleted = "ACCOUNT_DELETED",
        /// The account was offboarded from the Cloud API.
        AccountOffboarded = "ACCOUNT_OFFBOARDED",
        /// The account was reconnected.
        AccountReconnected = "ACCOUNT_RECONNECTED",
        /// A solution partner was added (see `waba_info`).
        PartnerAdded = "PARTNER_ADDED",
        /// A solution partner was removed (see `waba_info`, `disconnection_info`).
        PartnerRemoved = "PARTNER_REMOVED",
        /// A partner app was installed on the account.
        PartnerAppInstalled = "PARTNER_APP_INSTALLED",
        /// A partner app was uninstalled.
        PartnerAppUninstalled = "PARTNER_APP_UNINSTALLED",
        /// A partner-led business verification changed (see `partner_client_certification_info`).
        PartnerClientCertificationStatusUpdate = "PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE",
        /// An ad account was linked (see `waba_info`).
        AdAccountLinked = "AD_ACCOUNT_LINKED",
        /// The terms of the Marketing Messages API were signed.
        MmLiteTermsSigned = "MM_LITE_TERMS_SIGNED",
        /// Eligibility for international authentication rates changed.
        AuthIntlPriceEligibilityUpdate = "AUTH_INTL_PRICE_ELIGIBILITY_UPDATE",
        /// The business's primary country was set (see `country`).
        BusinessPrimaryLocationCountryUpdate = "BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE",
        /// The account moved to another volume pricing tier (see `volume_tier_info`).
        VolumeBasedPricingTierUpdate = "VOLUME_BASED_PRICING_TIER_UPDATE",
    }
}

/// `account_update`: the business account was verified, restricted, banned, had a partner added, …
///
/// Which of the optional objects is present depends on [`AccountUpdate::event`].
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccountUpdate {
    /// What happened.
    #[serde(default)]
    pub event: Option<AccountEvent>,
    /// The business phone number concerned, when there is one.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub phone_number: Option<String>,
    /// The ban state (`DISABLED_UPDATE`).
    #[serde(default)]
    pub ban_info: Option<BanInfo>,
    /// The restrictions in force (`ACCOUNT_RESTRICTION`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restriction_info: Vec<RestrictionInfo>,
    /// The violation (`ACCOUNT_VIOLATION`).
    #[serde(default)]
    pub violation_info: Option<ViolationInfo>,
    /// The account, its owner and its partners (partner and ad account events).
    #[serde(default)]
    pub waba_info: Option<WabaInfo>,
    /// Why a partner was removed, when it was a disconnection.
    #[serde(default)]
    pub disconnection_info: Option<DisconnectionInfo>,
    /// A partner-led business verification.
    #[serde(default)]
    pub partner_client_certification_info: Option<CertificationInfo>,
    /// Eligibility for international authentication rates.
    #[serde(default)]
    pub auth_international_rate_eligibility: Option<AuthInternationalEligibility>,
    /// The new volume pricing tier.
    #[serde(default)]
    pub volume_tier_info: Option<VolumeTierInfo>,
    /// The business's primary country (ISO 3166 alpha-2).
    #[serde(default)]
    pub country: Option<String>,
}

string_enum! {
    /// Where an account's ban stands (`ban_info.waba_ban_state`).
    BanState {
        /// The account will be disabled on `waba_ban_date`.
        ScheduleForDisable = "SCHEDULE_FOR_DISABLE",
        /// The account is disabled.
        Disable = "DISABLE",
        /// The account was reinstated.
        Reinstate = "REINSTATE",
    }
}

/// `account_update.ban_info`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BanInfo {
    /// Where the ban stands.
    #[serde(default)]
    pub waba_ban_state: Option<BanState>,
    /// The date, as Meta writes it (`January 31, 2026`).
    #[serde(default)]
    pub waba_ban_date: Option<String>,
}

string_enum! {
    /// What an account may no longer do (`restriction_info[].restriction_type`).
    RestrictionType {
        /// No new phone numbers.
        RestrictedAddPhoneNumberAction = "RESTRICTED_ADD_PHONE_NUMBER_ACTION",
        /// No business-initiated conversations.
        RestrictedBizInitiatedMessaging = "RESTRICTED_BIZ_INITIATED_MESSAGING",
        /// No replies to users either.
        RestrictedCustomerInitiatedMessaging = "RESTRICTED_CUSTOMER_INITIATED_MESSAGING",
    }
}

/// One entry of `account_update.restriction_info[]`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RestrictionInfo {
    /// What is restricted.
    #[serde(default)]
    pub restriction_type: Option<RestrictionType>,
    /// When the restriction ends (unix seconds).
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub expiration: Option<u64>,
}

/// `account_update.violation_info`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ViolationInfo {
    /// The policy violated, such as `ADULT` or `SCAM`.
    #[serde(default)]
    pub violation_type: Option<String>,
}

/// `account_update.waba_info`: the account, its owner and the partners involved.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WabaInfo {
    /// The WhatsApp Business Account id.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub waba_id: Option<String>,
    /// The business portfolio that owns the account.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub owner_business_id: Option<String>,
    /// The partner app installed or uninstalled.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub partner_app_id: Option<String>,
    /// The multi-partner solution.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub solution_id: Option<String>,
    /// The partners' business portfolios.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub solution_partner_business_ids: Vec<String>,
    /// The ad account linked (`AD_ACCOUNT_LINKED`).
    #[serde(default, deserialize_with = "opt_string_any")]
    pub ad_account_linked: Option<String>,
}

/// `account_update.disconnection_info`: why a partner was removed.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DisconnectionInfo {
    /// Why, such as `PRIMARY_INACTIVITY`.
    #[serde(default)]
    pub reason: Option<String>,
    /// Who, such as `SYSTEM`.
    #[serde(default)]
    pub initiated_by: Option<String>,
}

/// `account_update.partner_client_certification_info`: a partner-led business verification.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CertificationInfo {
    /// The client's business portfolio.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub client_business_id: Option<String>,
    /// `APPROVED`, `REJECTED`, `PENDING`, …
    #[serde(default)]
    pub status: Option<String>,
    /// Why it was rejected (`NONE` when it was not).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejection_reasons: Vec<String>,
}

/// `account_update.auth_international_rate_eligibility`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuthInternationalEligibility {
    /// From when the international rates apply (unix seconds).
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub start_time: Option<u64>,
    /// Countries with their own start time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exception_countries: Vec<CountryException>,
}

/// One country of [`AuthInternationalEligibility::exception_countries`].
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CountryException {
    /// ISO 3166 alpha-2 country code.
    #[serde(default)]
    pub country_code: Option<String>,
    /// From when (unix seconds).
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub start_time: Option<u64>,
}

/// `account_update.volume_tier_info`: the account's volume pricing tier.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VolumeTierInfo {
    /// When the tier changed (unix seconds).
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub tier_update_time: Option<u64>,
    /// The pricing category, such as `UTILITY`.
    #[serde(default)]
    pub pricing_category: Option<String>,
    /// The volume range of the tier, such as `25000001:50000000`.
    #[serde(default)]
    pub tier: Option<String>,
    /// The month the tier applies to (`2026-11`).
    #[serde(default)]
    pub effective_month: Option<String>,
    /// The pricing region.
    #[serde(default)]
    pub region: Option<String>,
}

string_enum! {
    /// What kind of entity an account alert is about (`account_alerts.entity_type`).
    AlertEntityType {
        /// The business.
        Business = "BUSINESS",
        /// A phone number.
        PhoneNumber = "PHONE_NUMBER",
        /// A current status.
        CurrentStatusId = "CURRENT_STATUS_ID",
    }
}

/// `account_alerts`: an alert about the business, one of its numbers or a status.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccountAlert {
    /// What the alert is about.
    pub entity_type: AlertEntityType,
    /// Its id.
    #[serde(deserialize_with = "string_any")]
    pub entity_id: String,
    /// The alert.
    #[serde(default)]
    pub alert_info: Option<AlertInfo>,
}

/// `account_alerts.alert_info`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AlertInfo {
    /// How severe, such as `CRITICAL` or `WARNING`.
    #[serde(default)]
    pub alert_severity: Option<String>,
    /// Whether it is active, such as `ACTIVE`.
    #[serde(default)]
    pub alert_status: Option<String>,
    /// What kind of alert, such as `OBA_APPROVED`.
    #[serde(default)]
    pub alert_type: Option<String>,
    /// A description in words.
    #[serde(default)]
    pub alert_description: Option<String>,
}

string_enum! {
    /// A review decision (`account_review_update.decision`, `phone_number_name_update.decision`).
    Decision {
        /// Approved.
        Approved = "APPROVED",
        /// Rejected.
        Rejected = "REJECTED",
        /// Not decided yet.
        Pending = "PENDING",
        /// Put off for later.
        Deferred = "DEFERRED",
    }
}

/// `account_review_update`: the account was reviewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccountReviewUpdate {
    /// The decision.
    pub decision: Decision,
}

/// A messaging limit, as an integer or as a tier name (`TIER_2K`): Meta documents the tier names
/// yet sends integers in its own examples, so both are read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessagingLimit {
    /// A number of conversations (or users) per day.
    Count(u64),
    /// A tier name, such as `TIER_250`, `TIER_2K` or `TIER_UNLIMITED`.
    Tier(String),
}

impl MessagingLimit {
    /// The limit as a number: the count, or the number a tier name stands for; `None` for
    /// `TIER_UNLIMITED` and unknown names.
    pub fn count(&self) -> Option<u64> {
        match self {
            MessagingLimit::Count(n) => Some(*n),
            MessagingLimit::Tier(t) => {
                let n = t.strip_prefix("TIER_")?;
                let (digits, factor) = match n.strip_suffix('K') {
                    Some(d) => (d, 1_000),
                    None => (n, 1),
                };
                digits.parse::<u64>().ok()?.checked_mul(factor)
            }
        }
    }
}

impl Serialize for MessagingLimit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            MessagingLimit::Count(n) => s.serialize_u64(*n),
            MessagingLimit::Tier(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for MessagingLimit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = MessagingLimit;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative integer or a tier name")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<MessagingLimit, E> {
                Ok(MessagingLimit::Count(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<MessagingLimit, E> {
                u64::try_from(v)
                    .map(MessagingLimit::Count)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<MessagingLimit, E> {
                Ok(match v.parse::<u64>() {
                    Ok(n) => MessagingLimit::Count(n),
                    Err(_) => MessagingLimit::Tier(v.to_owned()),
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// `business_capability_update`: the business's messaging limit or phone number allowance changed.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BusinessCapabilityUpdate {
    /// The daily limit of business-initiated conversations of the business portfolio.
    #[serde(default)]
    pub max_daily_conversations_per_business: Option<MessagingLimit>,
    /// The daily limit per phone number (sent until early 2026).
    #[serde(default)]
    pub max_daily_conversation_per_phone: Option<MessagingLimit>,
    /// How many phone numbers the account may have.
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub max_phone_numbers_per_waba: Option<u64>,
    /// How many phone numbers the business portfolio may have.
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub max_phone_numbers_per_business: Option<u64>,
}

string_enum! {
    /// What happened to a multi-partner solution (`partner_solutions.event`).
    SolutionEvent {
        /// The solution was created.
        SolutionCreated = "SOLUTION_CREATED",
        /// The solution changed.
        SolutionUpdated = "SOLUTION_UPDATED",
    }
}

string_enum! {
    /// The state of a multi-partner solution (`partner_solutions.solution_status`).
    SolutionStatus {
        /// Active.
        Active = "ACTIVE",
        /// Deactivated.
        Deactivated = "DEACTIVATED",
        /// A draft.
        Draft = "DRAFT",
        /// Sent to the partner, not accepted yet.
        Initiated = "INITIATED",
        /// Being deactivated.
        PendingDeactivation = "PENDING_DEACTIVATION",
        /// Rejected by the partner.
        Rejected = "REJECTED",
    }
}

/// `partner_solutions`: a multi-partner solution was created or changed.
///
/// Unlike other fields, its `entry[].id` is a business portfolio id, not an account id (see
/// [`EventContext::entry_id`](crate::webhook::EventContext::entry_id)).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PartnerSolutionUpdate {
    /// What happened.
    pub event: SolutionEvent,
    /// The solution.
    #[serde(deserialize_with = "string_any")]
    pub solution_id: String,
    /// Its state.
    #[serde(default)]
    pub solution_status: Option<SolutionStatus>,
}

#[cfg(test)]
mod tests {
    use super::MessagingLimit;

    #[test]
    fn messaging_limits_read_as_integers_or_tier_names() {
        let read = |s: &str| serde_json::from_str::<MessagingLimit>(s).unwrap();
        assert_eq!(read("2000"), MessagingLimit::Count(2000));
        assert_eq!(read(r#""TIER_10K""#).count(), Some(10_000));
        assert_eq!(read(r#""TIER_250""#).count(), Some(250));
        assert_eq!(read(r#""TIER_UNLIMITED""#).count(), None);
        assert_eq!(read(r#""1000""#), MessagingLimit::Count(1000));
        assert!(serde_json::from_str::<MessagingLimit>("-1").is_err());
        assert_eq!(serde_json::to_string(&read("2000")).unwrap(), "2000");
        assert_eq!(
            serde_json::to_string(&read(r#""TIER_2K""#)).unwrap(),
            r#""TIER_2K""#
        );
    }
}
