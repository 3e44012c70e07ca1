//! Messaging analytics: messages sent and delivered (`fields=analytics...`).

use super::{FieldExpr, Filters, filter_setters, parse_field, request_enum, waba_fields_request};
use crate::endpoint::{ApiContext, Endpoint, Idempotency};
use crate::error::Error;
use serde::{Deserialize, Serialize};

request_enum! {
    /// The granularities messaging analytics accepts.
    MessagingGranularity {
        /// Half an hour.
        HalfHour = "HALF_HOUR",
        /// A day.
        Day = "DAY",
        /// A month.
        Month = "MONTH",
    }
}

/// The kinds of message messaging analytics can count (`product_types`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MessagingProductType {
    /// Notification (business-initiated) messages: `0`.
    Notification,
    /// Customer support (user-initiated) messages: `2`.
    CustomerSupport,
}

impl MessagingProductType {
    /// The number Meta expects.
    pub fn code(self) -> u8 {
        match self {
            Self::Notification => 0,
            Self::CustomerSupport => 2,
        }
    }
}

/// Messages sent and delivered by the account's numbers:
/// `GET /<WABA_ID>?fields=analytics.start(..).end(..).granularity(..)...`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::analytics::{GetMessagingAnalytics, MessagingGranularity, MessagingProductType};
///
/// let ctx = ApiContext::without_phone_number("token").with_waba_id("102290129340398");
/// let query = GetMessagingAnalytics::new(1_748_736_000, 1_751_328_000, MessagingGranularity::Day)
///     .phone_numbers(["16505551234"])
///     .product_types([MessagingProductType::Notification]);
/// assert_eq!(
///     query.fields_value(),
///     r#"analytics.start(1748736000).end(1751328000).granularity(DAY).phone_numbers(["16505551234"]).product_types([0])"#
/// );
/// let response = http::Response::builder().status(200).body(br#"{"analytics":{"phone_numbers":["16505551234"],
///     "granularity":"DAY","data_points":[{"start":1748736000,"end":1748822400,"sent":12,"delivered":11}]},
///     "id":"102290129340398"}"#.to_vec())?;
/// let analytics = query.parse_response(response)?;
/// assert_eq!(analytics.data_points[0].delivered, Some(11));
/// // An empty range is refused before sending.
/// assert!(GetMessagingAnalytics::new(5, 5, MessagingGranularity::Day).to_request(&ctx).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetMessagingAnalytics {
    start: u64,
    end: u64,
    granularity: MessagingGranularity,
    filters: Filters,
    product_types: Vec<MessagingProductType>,
}

impl GetMessagingAnalytics {
    /// Messages between `start` and `end` (Unix seconds), by `granularity`.
    pub fn new(start: u64, end: u64, granularity: MessagingGranularity) -> Self {
        Self {
            start,
            end,
            granularity,
            filters: Filters::default(),
            product_types: Vec::new(),
        }
    }

    filter_setters!();

    /// Only these kinds of message; both by default.
    pub fn product_types(mut self, types: impl IntoIterator<Item = MessagingProductType>) -> Self {
        self.product_types = types.into_iter().collect();
        self
    }

    /// The `fields` value this request sends.
    pub fn fields_value(&self) -> String {
        let types: Vec<u8> = self.product_types.iter().map(|t| t.code()).collect();
        FieldExpr::new("analytics", self.start, self.end, self.granularity.as_str())
            .strings("phone_numbers", &self.filters.phone_numbers)
            .numbers("product_types", &types)
            .strings("country_codes", &self.filters.country_codes)
            .finish()
    }
}

impl Endpoint for GetMessagingAnalytics {
    type Output = MessagingAnalytics;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.filters.check(self.start, self.end)?;
        waba_fields_request(ctx, &self.fields_value())
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<MessagingAnalytics, Error> {
        parse_field("messaging analytics", "analytics", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Meta's answer to [`GetMessagingAnalytics`] (`analytics`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessagingAnalytics {
    /// The business numbers counted.
    #[serde(default)]
    pub phone_numbers: Vec<String>,
    /// The countries counted, when the query named some.
    #[serde(default)]
    pub country_codes: Vec<String>,
    /// The granularity, as Meta writes it (`DAY`).
    #[serde(default)]
    pub granularity: Option<String>,
    /// One point per time bucket.
    #[serde(default)]
    pub data_points: Vec<MessagingDataPoint>,
}

/// One time bucket of [`MessagingAnalytics`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessagingDataPoint {
    /// The bucket's start (Unix seconds).
    pub start: u64,
    /// The bucket's end (Unix seconds).
    pub end: u64,
    /// Messages sent.
    #[serde(default)]
    pub sent: Option<u64>,
    /// Messages delivered.
    #[serde(default)]
    pub delivered: Option<u64>,
}
