//! Business phone numbers: list and get (quality, throughput, messaging limit, name status),
//! register and deregister, request and verify the ownership code.
//!
//! ```
//! use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
//! use whatsapp_cloud::endpoint::phone_numbers::{GetPhoneNumber, MessagingLimit, QualityRating};
//!
//! let ctx = ApiContext::new("token", "106540352242922");
//! let number = GetPhoneNumber::new().send_with(&ctx, |_request| {
//!     http::Response::builder().status(200).body(br#"{"id":"106540352242922","display_phone_number":"+1 555-0100",
//!       "verified_name":"Lucky Shrub","quality_rating":"GREEN","throughput":{"level":"STANDARD"},
//!       "whatsapp_business_manager_messaging_limit":"TIER_2K"}"#.to_vec())
//! })?;
//! assert_eq!(number.quality_rating, Some(QualityRating::Green));
//! assert_eq!(number.messaging_limit, Some(MessagingLimit::Tier2K));
//! # Ok::<(), whatsapp_cloud::Error>(())
//! ```

use super::paging::{ListQuery, Page, Paginated, list_query_setters, parse_page, wire_enum};
use super::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::{Error, ValidationError, Violation};
use crate::ids::PhoneNumberId;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use std::fmt;

/// The fields asked for when none are given.
pub const DEFAULT_FIELDS: &[&str] = &[
    "id",
    "display_phone_number",
    "verified_name",
    "quality_rating",
    "throughput",
    "whatsapp_business_manager_messaging_limit",
    "name_status",
    "code_verification_status",
    "platform_type",
];

wire_enum! {
    /// The number's quality rating.
    QualityRating {
        /// High quality.
        Green = "GREEN",
        /// Medium quality.
        Yellow = "YELLOW",
        /// Low quality.
        Red = "RED",
        /// Not yet rated.
        NotRated = "UNKNOWN",
        /// Not applicable.
        NotApplicable = "NA",
    }
}

wire_enum! {
    /// The number's throughput level.
    ThroughputLevel {
        /// The default 80 messages per second.
        Standard = "STANDARD",
        /// Upgraded to 1,000 messages per second.
        High = "HIGH",
        /// Not applicable (for example an unregistered number).
        NotApplicable = "NOT_APPLICABLE",
    }
}

wire_enum! {
    /// The business portfolio's messaging limit: unique users reached outside a customer-service window in 24 h.
    MessagingLimit {
        /// 250 users.
        Tier250 = "TIER_250",
        /// 2,000 users.
        Tier2K = "TIER_2K",
        /// 10,000 users.
        Tier10K = "TIER_10K",
        /// 100,000 users.
        Tier100K = "TIER_100K",
        /// Unlimited.
        Unlimited = "TIER_UNLIMITED",
        /// The former 1,000 tier (before October 2025).
        Tier1K = "TIER_1K",
        /// The former 50 tier.
        Tier50 = "TIER_50",
    }
}

wire_enum! {
    /// The review status of the number's display name.
    NameStatus {
        /// Approved.
        Approved = "APPROVED",
        /// Usable while the review is pending.
        AvailableWithoutReview = "AVAILABLE_WITHOUT_REVIEW",
        /// Declined.
        Declined = "DECLINED",
        /// Expired.
        Expired = "EXPIRED",
        /// Pending review.
        PendingReview = "PENDING_REVIEW",
        /// No name submitted.
        None = "NONE",
    }
}

wire_enum! {
    /// Whether the number's ownership was verified.
    CodeVerificationStatus {
        /// Verified.
        Verified = "VERIFIED",
        /// Not verified.
        NotVerified = "NOT_VERIFIED",
        /// The verification expired.
        Expired = "EXPIRED",
    }
}

wire_enum! {
    /// How a verification code is delivered.
    CodeMethod {
        /// By text message.
        Sms = "SMS",
        /// By voice call.
        Voice = "VOICE",
    }
}

/// `throughput` of a phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Throughput {
    /// The level.
    pub level: ThroughputLevel,
}

/// A business phone number.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PhoneNumber {
    /// The phone number id.
    pub id: PhoneNumberId,
    /// The number as displayed, such as `+1 555-0100`.
    #[serde(default)]
    pub display_phone_number: Option<String>,
    /// The verified business name.
    #[serde(default)]
    pub verified_name: Option<String>,
    /// The quality rating.
    #[serde(default)]
    pub quality_rating: Option<QualityRating>,
    /// The throughput level.
    #[serde(default)]
    pub throughput: Option<Throughput>,
    /// The messaging limit (`whatsapp_business_manager_messaging_limit`).
    #[serde(rename = "whatsapp_business_manager_messaging_limit", default)]
    pub messaging_limit: Option<MessagingLimit>,
    /// The display name's review status.
    #[serde(default)]
    pub name_status: Option<NameStatus>,
    /// The ownership verification status.
    #[serde(default)]
    pub code_verification_status: Option<CodeVerificationStatus>,
    /// `CLOUD_API`, `ON_PREMISE` or `NOT_APPLICABLE`.
    #[serde(default)]
    pub platform_type: Option<String>,
}

pub(super) fn phone_id<'a>(
    ctx: &'a ApiContext,
    own: Option<&'a PhoneNumberId>,
) -> Result<&'a PhoneNumberId, Error> {
    let id = match own {
        Some(id) => id,
        None => ctx.require_phone_number_id()?,
    };
    if id.as_str().trim().is_empty() {
        return Err(ValidationError::new("phone_number_id", Violation::Empty).into());
    }
    Ok(id)
}

/// Lists the account's phone numbers: `GET /<WABA_ID>/phone_numbers`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct ListPhoneNumbers {
    query: ListQuery,
}

impl ListPhoneNumbers {
    /// The first page of the account's numbers.
    pub fn new() -> Self {
        Self::default()
    }

    list_query_setters!(fields, paging);
}

impl Endpoint for ListPhoneNumbers {
    type Output = Page<ListPhoneNumbers>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = ctx.url(&[ctx.require_waba_id()?.as_str(), "phone_numbers"])?;
        self.query.write(&mut url, DEFAULT_FIELDS, &[]);
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Page<ListPhoneNumbers>, Error> {
        parse_page("phone number list", self, response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

impl Paginated for ListPhoneNumbers {
    type Item = PhoneNumber;

    fn with_after(&self, cursor: &str) -> Self {
        self.clone().after(cursor)
    }
}

/// Gets one phone number: `GET /<PHONE_NUMBER_ID>?fields=...` (the context's number unless another is given).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct GetPhoneNumber {
    id: Option<PhoneNumberId>,
    query: ListQuery,
}

impl GetPhoneNumber {
    /// The context's phone number.
    pub fn new() -> Self {
        Self::default()
    }

    /// Another phone number.
    pub fn id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.id = Some(id.into());
        self
    }

    list_query_setters!(fields);
}

impl Endpoint for GetPhoneNumber {
    type Output = PhoneNumber;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = ctx.url(&[phone_id(ctx, self.id.as_ref())?.as_str()])?;
        self.query.write(&mut url, DEFAULT_FIELDS, &[]);
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<PhoneNumber, Error> {
        parse_json("phone number", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// A six-digit PIN (two-step verification) or verification code. Redacted in `Debug`.
#[derive(Clone, PartialEq, Eq)]
struct SixDigits(String);

impl fmt::Debug for SixDigits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

fn check_six_digits(field: &str, value: &str) -> Result<(), ValidationError> {
    if value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            Violation::Invalid {
                // The value is a secret: only its length is reported.
                value: format!("{} characters", value.chars().count()),
                expected: "exactly 6 digits".to_owned(),
            },
        ))
    }
}

/// Registers the number for Cloud API: `POST /<PHONE_NUMBER_ID>/register` with the two-step PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct RegisterPhoneNumber {
    id: Option<PhoneNumberId>,
    pin: SixDigits,
}

impl RegisterPhoneNumber {
    /// Registers the context's number with its six-digit two-step verification `pin`.
    pub fn new(pin: impl Into<String>) -> Self {
        Self {
            id: None,
            pin: SixDigits(pin.into()),
        }
    }

    /// Registers another number.
    pub fn id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.id = Some(id.into());
        self
    }
}

impl Endpoint for RegisterPhoneNumber {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        check_six_digits("pin", &self.pin.0)?;
        let url = ctx.url(&[phone_id(ctx, self.id.as_ref())?.as_str(), "register"])?;
        let body = serde_json::json!({"messaging_product": "whatsapp", "pin": self.pin.0});
        ctx.json_request(http::Method::POST, &url, &body)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("register response", response)
    }
}

/// Deregisters the number from Cloud API: `POST /<PHONE_NUMBER_ID>/deregister`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct DeregisterPhoneNumber {
    id: Option<PhoneNumberId>,
}

impl DeregisterPhoneNumber {
    /// Deregisters the context's number.
    pub fn new() -> Self {
        Self::default()
    }

    /// Deregisters another number.
    pub fn id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.id = Some(id.into());
        self
    }
}

impl Endpoint for DeregisterPhoneNumber {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = ctx.url(&[phone_id(ctx, self.id.as_ref())?.as_str(), "deregister"])?;
        ctx.empty_request(http::Method::POST, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("deregister response", response)
    }
}

/// Asks Meta to send a verification code: `POST /<PHONE_NUMBER_ID>/request_code`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct RequestVerificationCode {
    id: Option<PhoneNumberId>,
    method: CodeMethod,
    language: String,
}

impl RequestVerificationCode {
    /// Sends the code by `method` with a message in `language` (such as `en_US`).
    pub fn new(method: CodeMethod, language: impl Into<String>) -> Self {
        Self {
            id: None,
            method,
            language: language.into(),
        }
    }

    /// For another number.
    pub fn id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.id = Some(id.into());
        self
    }
}

impl Endpoint for RequestVerificationCode {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        if self.language.trim().is_empty() {
            return Err(ValidationError::new("language", Violation::Empty).into());
        }
        let url = ctx.url(&[phone_id(ctx, self.id.as_ref())?.as_str(), "request_code"])?;
        let body = serde_json::json!({"code_method": self.method, "language": self.language});
        ctx.json_request(http::Method::POST, &url, &body)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("request code response", response)
    }
}

/// Verifies the number with the code received: `POST /<PHONE_NUMBER_ID>/verify_code`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct VerifyCode {
    id: Option<PhoneNumberId>,
    code: SixDigits,
}

impl VerifyCode {
    /// Verifies with the six-digit `code`.
    pub fn new(code: impl Into<String>) -> Self {
        Self {
            id: None,
            code: SixDigits(code.into()),
        }
    }

    /// For another number.
    pub fn id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.id = Some(id.into());
        self
    }
}

impl Endpoint for VerifyCode {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        check_six_digits("code", &self.code.0)?;
        let url = ctx.url(&[phone_id(ctx, self.id.as_ref())?.as_str(), "verify_code"])?;
        let body = serde_json::json!({"code": self.code.0});
        ctx.json_request(http::Method::POST, &url, &body)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("verify code response", response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_must_be_six_digits_and_are_never_echoed() {
        let ctx = ApiContext::new("t", "1");
        let err = RegisterPhoneNumber::new("12a456")
            .to_request(&ctx)
            .unwrap_err();
        assert!(!err.to_string().contains("12a456"), "{err}");
        assert!(err.to_string().contains("exactly 6 digits"), "{err}");
        assert!(!format!("{:?}", RegisterPhoneNumber::new("123456")).contains("123456"));
        assert!(VerifyCode::new("1234567").to_request(&ctx).is_err());
    }

    #[test]
    fn unknown_enum_values_are_kept() {
        let n: PhoneNumber = serde_json::from_str(
            r#"{"id":"1","quality_rating":"PURPLE","throughput":{"level":"ULTRA"},"whatsapp_business_manager_messaging_limit":"TIER_1M","name_status":"approved"}"#,
        )
        .unwrap();
        assert_eq!(
            n.quality_rating,
            Some(QualityRating::Unknown("PURPLE".into()))
        );
        assert_eq!(
            n.throughput.unwrap().level,
            ThroughputLevel::Unknown("ULTRA".into())
        );
        assert_eq!(
            n.messaging_limit,
            Some(MessagingLimit::Unknown("TIER_1M".into()))
        );
        assert_eq!(n.name_status, Some(NameStatus::Approved));
    }

    #[test]
    fn reads_are_idempotent_registration_and_codes_are_not() {
        assert_eq!(GetPhoneNumber::new().idempotency(), Idempotency::Idempotent);
        assert_eq!(
            ListPhoneNumbers::new().idempotency(),
            Idempotency::Idempotent
        );
        assert_eq!(
            RegisterPhoneNumber::new("123456").idempotency(),
            Idempotency::NotIdempotent
        );
        assert_eq!(
            RequestVerificationCode::new(CodeMethod::Sms, "en").idempotency(),
            Idempotency::NotIdempotent
        );
        assert_eq!(
            VerifyCode::new("123456").idempotency(),
            Idempotency::NotIdempotent
        );
    }
}
