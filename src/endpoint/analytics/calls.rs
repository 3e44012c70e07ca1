//! Call analytics (Calling API): `fields=call_analytics...`.

use super::{FieldExpr, Filters, data_points_endpoint, filter_setters, request_enum};
use crate::endpoint::paging::wire_enum;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

request_enum! {
    /// The granularities call analytics accepts.
    CallGranularity {
        /// Half an hour.
        HalfHour = "HALF_HOUR",
        /// A day.
        Daily = "DAILY",
        /// A month.
        Monthly = "MONTHLY",
    }
}

wire_enum! {
    /// What call analytics measures (`metric_types`).
    CallMetricType {
        /// The number of calls.
        Count = "COUNT",
        /// The cost (hidden for businesses billed through a partner).
        Cost = "COST",
        /// The average duration, in seconds.
        AverageDuration = "AVERAGE_DURATION",
    }
}

wire_enum! {
    /// Who placed a call.
    CallDirection {
        /// The user called the business.
        UserInitiated = "USER_INITIATED",
        /// The business called the user.
        BusinessInitiated = "BUSINESS_INITIATED",
    }
}

wire_enum! {
    /// How call analytics breaks its points down (`dimensions`).
    CallDimension {
        /// By business number.
        Phone = "PHONE",
        /// By direction.
        Direction = "DIRECTION",
        /// By user's country.
        Country = "COUNTRY",
    }
}

/// Calls, their cost and average duration:
/// `GET /<WABA_ID>?fields=call_analytics.start(..).end(..).granularity(..)...`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::analytics::{CallDirection, CallGranularity, CallMetricType, GetCallAnalytics};
///
/// let query = GetCallAnalytics::new(1_748_736_000, 1_751_328_000, CallGranularity::Daily)
///     .directions([CallDirection::UserInitiated])
///     .metric_types([CallMetricType::Count, CallMetricType::AverageDuration]);
/// assert_eq!(
///     query.fields_value(),
///     r#"call_analytics.start(1748736000).end(1751328000).granularity(DAILY).directions(["USER_INITIATED"]).metric_types(["COUNT","AVERAGE_DURATION"])"#
/// );
/// let response = http::Response::builder().status(200).body(br#"{"call_analytics":{"data":[{"data_points":[
///     {"start":1748736000,"end":1748822400,"count":4,"average_duration":95}]}]}}"#.to_vec())?;
/// let point = &query.parse_response(response)?.data_points[0];
/// assert_eq!((point.count, point.average_duration, point.cost), (Some(4), Some(95.0), None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetCallAnalytics {
    start: u64,
    end: u64,
    granularity: CallGranularity,
    filters: Filters,
    directions: Vec<CallDirection>,
    dimensions: Vec<CallDimension>,
    metric_types: Vec<CallMetricType>,
}

impl GetCallAnalytics {
    /// Calls between `start` and `end` (Unix seconds), by `granularity`.
    pub fn new(start: u64, end: u64, granularity: CallGranularity) -> Self {
        Self {
            start,
            end,
            granularity,
            filters: Filters::default(),
            directions: Vec::new(),
            dimensions: Vec::new(),
            metric_types: Vec::new(),
        }
    }

    filter_setters!();

    /// Only calls in these directions.
    pub fn directions(mut self, directions: impl IntoIterator<Item = CallDirection>) -> Self {
        self.directions = directions.into_iter().collect();
        self
    }

    /// Break the points down by these dimensions.
    pub fn dimensions(mut self, dimensions: impl IntoIterator<Item = CallDimension>) -> Self {
        self.dimensions = dimensions.into_iter().collect();
        self
    }

    /// What to measure.
    pub fn metric_types(mut self, types: impl IntoIterator<Item = CallMetricType>) -> Self {
        self.metric_types = types.into_iter().collect();
        self
    }

    /// The `fields` value this request sends.
    pub fn fields_value(&self) -> String {
        FieldExpr::new(
            "call_analytics",
            self.start,
            self.end,
            self.granularity.as_str(),
        )
        .strings("phone_numbers", &self.filters.phone_numbers)
        .strings("country_codes", &self.filters.country_codes)
        .strings("directions", &self.directions)
        .strings("dimensions", &self.dimensions)
        .strings("metric_types", &self.metric_types)
        .finish()
    }
}

data_points_endpoint!(
    GetCallAnalytics,
    CallAnalytics,
    CallDataPoint,
    "call analytics",
    "call_analytics"
);

/// Meta's answer to [`GetCallAnalytics`]: the points of every `data` entry, in order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallAnalytics {
    /// One point per time bucket and dimension value.
    pub data_points: Vec<CallDataPoint>,
}

/// One point of [`CallAnalytics`]; the dimension fields are set when asked for.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallDataPoint {
    /// The bucket's start (Unix seconds).
    pub start: u64,
    /// The bucket's end (Unix seconds).
    pub end: u64,
    /// The number of calls.
    #[serde(default)]
    pub count: Option<u64>,
    /// The cost, in the account's currency (absent when billed through a partner).
    #[serde(default)]
    pub cost: Option<f64>,
    /// The average call duration, in seconds.
    #[serde(default)]
    pub average_duration: Option<f64>,
    /// The business number.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// The user's country.
    #[serde(default)]
    pub country: Option<String>,
    /// Who placed the calls.
    #[serde(default)]
    pub direction: Option<CallDirection>,
}
