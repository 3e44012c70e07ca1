//! The Calling API's error kinds (Meta's "Troubleshoot WhatsApp Calling Errors" page).

use super::{ErrorClass, RateLimit};

/// Why a Calling API call was refused (Meta's "Troubleshoot WhatsApp Calling Errors" page). Only
/// the connection failures ([`CallingErrorKind::ConnectionFailed`] and
/// [`CallingErrorKind::ConnectionTimeout`]) are worth retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CallingErrorKind {
    /// 138000: calling is not enabled on the business number (turn it on in the settings).
    NotEnabled,
    /// 138001: the user cannot receive this call (an old app version, an unsupported device).
    Uncallable,
    /// 138003: a call to this user is already in progress (a duplicate `connect`).
    DuplicateCall,
    /// 138004: the call could not be connected; a temporary failure.
    ConnectionFailed,
    /// 138006: the user has not granted call permission: send a call permission request.
    NoPermission,
    /// 138007: connecting the call timed out; a temporary failure.
    ConnectionTimeout,
    /// 138009: the call permission request limit was reached for this user (1 a day, 2 a week).
    PermissionRequestLimit,
    /// 138012: the daily limit of connected business-initiated calls to this user was reached.
    DailyCallLimit,
    /// 138013: business-initiated calling is not available in the business number's country.
    NotAvailableInCountry,
    /// 138014: calling is temporarily disabled for the business number (low pickup or user
    /// feedback).
    TemporarilyDisabled,
    /// 138015: calling cannot be enabled: the number's messaging limit is too low.
    CannotEnable,
    /// 138017: the user already granted permanent call permission.
    PermanentPermissionExists,
    /// 138018: the business does not meet the calling prerequisites.
    PrerequisitesUnmet,
    /// 138019-138023: the call's media or relay failed (reported on the `terminate` webhook).
    MediaFailure,
    /// 131044: no valid payment method is attached to the account.
    NoPaymentMethod,
    /// Another 1380xx code this version does not name.
    Other,
}

impl CallingErrorKind {
    /// True for the connection failures (138004, 138007), which Meta reports as temporary.
    pub fn is_transient(self) -> bool {
        matches!(self, Self::ConnectionFailed | Self::ConnectionTimeout)
    }
}

/// The class of a Calling API code (138000-138999, 131044).
pub(super) fn class_of(code: i64) -> ErrorClass {
    use CallingErrorKind as Kind;
    match code {
        138002 => ErrorClass::RateLimited(RateLimit::ConcurrentCalls),
        138005 => ErrorClass::RateLimited(RateLimit::CallRate),
        138000 => ErrorClass::Calling(Kind::NotEnabled),
        138001 => ErrorClass::Calling(Kind::Uncallable),
        138003 => ErrorClass::Calling(Kind::DuplicateCall),
        138004 => ErrorClass::Calling(Kind::ConnectionFailed),
        138006 => ErrorClass::Calling(Kind::NoPermission),
        138007 => ErrorClass::Calling(Kind::ConnectionTimeout),
        138009 => ErrorClass::Calling(Kind::PermissionRequestLimit),
        138012 => ErrorClass::Calling(Kind::DailyCallLimit),
        138013 => ErrorClass::Calling(Kind::NotAvailableInCountry),
        138014 => ErrorClass::Calling(Kind::TemporarilyDisabled),
        138015 => ErrorClass::Calling(Kind::CannotEnable),
        138017 => ErrorClass::Calling(Kind::PermanentPermissionExists),
        138018 => ErrorClass::Calling(Kind::PrerequisitesUnmet),
        138019..=138023 => ErrorClass::Calling(Kind::MediaFailure),
        131044 => ErrorClass::Calling(Kind::NoPaymentMethod),
        _ => ErrorClass::Calling(Kind::Other),
    }
}
