//! Pricing analytics (per-message pricing): `fields=pricing_analytics...`.

use super::{FieldExpr, Filters, data_points_endpoint, filter_setters, request_enum};
use crate::endpoint::paging::wire_enum;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

request_enum! {
    /// The granularities pricing analytics accepts.
    PricingGranularity {
        /// Half an hour.
        HalfHour = "HALF_HOUR",
        /// A day.
        Daily = "DAILY",
        /// A month.
        Monthly = "MONTHLY",
    }
}

wire_enum! {
    /// What pricing analytics measures (`metric_types`).
    PricingMetricType {
        /// The cost (hidden for businesses billed through a partner).
        Cost = "COST",
        /// The number of messages charged or free.
        Volume = "VOLUME",
    }
}

wire_enum! {
    /// A message's pricing category.
    PricingCategory {
        /// Authentication.
        Authentication = "AUTHENTICATION",
        /// Authentication to a user abroad.
        AuthenticationInternational = "AUTHENTICATION_INTERNATIONAL",
        /// Marketing.
        Marketing = "MARKETING",
        /// Marketing through the Marketing Messages API.
        MarketingLite = "MARKETING_LITE",
        /// Service.
        Service = "SERVICE",
        /// Utility.
        Utility = "UTILITY",
    }
}

wire_enum! {
    /// Whether a message was charged.
    PricingType {
        /// Free: inside the customer service window.
        FreeCustomerService = "FREE_CUSTOMER_SERVICE",
        /// Free: inside an entry point's free window.
        FreeEntryPoint = "FREE_ENTRY_POINT",
        /// Charged.
        Regular = "REGULAR",
    }
}

wire_enum! {
    /// How pricing analytics breaks its points down (`dimensions`).
    PricingDimension {
        /// By user's country.
        Country = "COUNTRY",
        /// By business number.
        Phone = "PHONE",
        /// By pricing category.
        PricingCategory = "PRICING_CATEGORY",
        /// By pricing type.
        PricingType = "PRICING_TYPE",
        /// By volume tier.
        Tier = "TIER",
    }
}

/// Messages charged or free, and their cost:
/// `GET /<WABA_ID>?fields=pricing_analytics.start(..).end(..).granularity(..)...`.
///
/// See the [module docs](super) for an example.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetPricingAnalytics {
    start: u64,
    end: u64,
    granularity: PricingGranularity,
    filters: Filters,
    metric_types: Vec<PricingMetricType>,
    categories: Vec<PricingCategory>,
    types: Vec<PricingType>,
    dimensions: Vec<PricingDimension>,
}

impl GetPricingAnalytics {
    /// Messages between `start` and `end` (Unix seconds), by `granularity`.
    pub fn new(start: u64, end: u64, granularity: PricingGranularity) -> Self {
        Self {
            start,
            end,
            granularity,
            filters: Filters::default(),
            metric_types: Vec::new(),
            categories: Vec::new(),
            types: Vec::new(),
            dimensions: Vec::new(),
        }
    }

    filter_setters!();

    /// What to measure.
    pub fn metric_types(mut self, types: impl IntoIterator<Item = PricingMetricType>) -> Self {
        self.metric_types = types.into_iter().collect();
        self
    }

    /// Only these pricing categories.
    pub fn pricing_categories(
        mut self,
        categories: impl IntoIterator<Item = PricingCategory>,
    ) -> Self {
        self.categories = categories.into_iter().collect();
        self
    }

    /// Only these pricing types.
    pub fn pricing_types(mut self, types: impl IntoIterator<Item = PricingType>) -> Self {
        self.types = types.into_iter().collect();
        self
    }

    /// Break the points down by these dimensions.
    pub fn dimensions(mut self, dimensions: impl IntoIterator<Item = PricingDimension>) -> Self {
        self.dimensions = dimensions.into_iter().collect();
        self
    }

    /// The `fields` value this request sends.
    pub fn fields_value(&self) -> String {
        FieldExpr::new(
            "pricing_analytics",
            self.start,
            self.end,
            self.granularity.as_str(),
        )
        .strings("phone_numbers", &self.filters.phone_numbers)
        .strings("country_codes", &self.filters.country_codes)
        .strings("metric_types", &self.metric_types)
        .strings("pricing_categories", &self.categories)
        .strings("pricing_types", &self.types)
        .strings("dimensions", &self.dimensions)
        .finish()
    }
}

data_points_endpoint!(
    GetPricingAnalytics,
    PricingAnalytics,
    PricingDataPoint,
    "pricing analytics",
    "pricing_analytics"
);

/// Meta's answer to [`GetPricingAnalytics`]: the points of every `data` entry, in order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PricingAnalytics {
    /// One point per time bucket and dimension value.
    pub data_points: Vec<PricingDataPoint>,
}

/// One point of [`PricingAnalytics`]; the dimension fields are set when asked for.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PricingDataPoint {
    /// The bucket's start (Unix seconds).
    pub start: u64,
    /// The bucket's end (Unix seconds).
    pub end: u64,
    /// The number of messages.
    #[serde(default)]
    pub volume: Option<u64>,
    /// The cost, in the account's currency (absent when billed through a partner).
    #[serde(default)]
    pub cost: Option<f64>,
    /// The business number.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// The user's country.
    #[serde(default)]
    pub country: Option<String>,
    /// The pricing category.
    #[serde(default)]
    pub pricing_category: Option<PricingCategory>,
    /// Charged or free.
    #[serde(default)]
    pub pricing_type: Option<PricingType>,
    /// The volume tier, as Meta writes it (`0:750000`: the messages from 0 to 750,000 in the month).
    #[serde(default)]
    pub tier: Option<String>,
}
