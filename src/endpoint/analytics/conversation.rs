//! Conversation analytics (conversation-based pricing): `fields=conversation_analytics...`.

use super::{FieldExpr, Filters, data_points_endpoint, filter_setters, request_enum};
use crate::endpoint::paging::wire_enum;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

request_enum! {
    /// The granularities conversation analytics accepts.
    ConversationGranularity {
        /// Half an hour.
        HalfHour = "HALF_HOUR",
        /// A day.
        Daily = "DAILY",
        /// A month.
        Monthly = "MONTHLY",
    }
}

wire_enum! {
    /// What conversation analytics measures (`metric_types`).
    ConversationMetricType {
        /// The cost (hidden for businesses billed through a partner).
        Cost = "COST",
        /// The number of conversations.
        Conversation = "CONVERSATION",
    }
}

wire_enum! {
    /// A conversation's category.
    ConversationCategory {
        /// Authentication.
        Authentication = "AUTHENTICATION",
        /// Authentication to a user abroad.
        AuthenticationInternational = "AUTHENTICATION_INTERNATIONAL",
        /// Marketing.
        Marketing = "MARKETING",
        /// Marketing through the Marketing Messages API.
        MarketingLite = "MARKETING_LITE",
        /// Service (user-initiated).
        Service = "SERVICE",
        /// Utility.
        Utility = "UTILITY",
    }
}

wire_enum! {
    /// A conversation's type: free or paid.
    ConversationType {
        /// Free, opened from an entry point (an ad or a Page button).
        FreeEntryPoint = "FREE_ENTRY_POINT",
        /// Free, within the monthly free tier.
        FreeTier = "FREE_TIER",
        /// Paid.
        Regular = "REGULAR",
    }
}

wire_enum! {
    /// Who opened a conversation.
    ConversationDirection {
        /// The business.
        BusinessInitiated = "BUSINESS_INITIATED",
        /// The user.
        UserInitiated = "USER_INITIATED",
    }
}

wire_enum! {
    /// How conversation analytics breaks its points down (`dimensions`).
    ConversationDimension {
        /// By category.
        ConversationCategory = "CONVERSATION_CATEGORY",
        /// By direction.
        ConversationDirection = "CONVERSATION_DIRECTION",
        /// By type.
        ConversationType = "CONVERSATION_TYPE",
        /// By country.
        Country = "COUNTRY",
        /// By business number.
        Phone = "PHONE",
    }
}

/// Conversations and their cost:
/// `GET /<WABA_ID>?fields=conversation_analytics.start(..).end(..).granularity(..)...`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::analytics::{
///     ConversationDimension, ConversationGranularity, ConversationMetricType, GetConversationAnalytics,
/// };
///
/// let query = GetConversationAnalytics::new(1_685_602_800, 1_688_194_800, ConversationGranularity::Monthly)
///     .metric_types([ConversationMetricType::Conversation])
///     .dimensions([ConversationDimension::ConversationCategory]);
/// assert_eq!(
///     query.fields_value(),
///     r#"conversation_analytics.start(1685602800).end(1688194800).granularity(MONTHLY).metric_types(["CONVERSATION"]).dimensions(["CONVERSATION_CATEGORY"])"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetConversationAnalytics {
    start: u64,
    end: u64,
    granularity: ConversationGranularity,
    filters: Filters,
    metric_types: Vec<ConversationMetricType>,
    categories: Vec<ConversationCategory>,
    types: Vec<ConversationType>,
    directions: Vec<ConversationDirection>,
    dimensions: Vec<ConversationDimension>,
}

impl GetConversationAnalytics {
    /// Conversations between `start` and `end` (Unix seconds), by `granularity`.
    pub fn new(start: u64, end: u64, granularity: ConversationGranularity) -> Self {
        Self {
            start,
            end,
            granularity,
            filters: Filters::default(),
            metric_types: Vec::new(),
            categories: Vec::new(),
            types: Vec::new(),
            directions: Vec::new(),
            dimensions: Vec::new(),
        }
    }

    filter_setters!();

    /// What to measure.
    pub fn metric_types(mut self, types: impl IntoIterator<Item = ConversationMetricType>) -> Self {
        self.metric_types = types.into_iter().collect();
        self
    }

    /// Only these categories.
    pub fn conversation_categories(
        mut self,
        categories: impl IntoIterator<Item = ConversationCategory>,
    ) -> Self {
        self.categories = categories.into_iter().collect();
        self
    }

    /// Only these types.
    pub fn conversation_types(mut self, types: impl IntoIterator<Item = ConversationType>) -> Self {
        self.types = types.into_iter().collect();
        self
    }

    /// Only these directions.
    pub fn conversation_directions(
        mut self,
        directions: impl IntoIterator<Item = ConversationDirection>,
    ) -> Self {
        self.directions = directions.into_iter().collect();
        self
    }

    /// Break the points down by these dimensions.
    pub fn dimensions(
        mut self,
        dimensions: impl IntoIterator<Item = ConversationDimension>,
    ) -> Self {
        self.dimensions = dimensions.into_iter().collect();
        self
    }

    /// The `fields` value this request sends.
    pub fn fields_value(&self) -> String {
        FieldExpr::new(
            "conversation_analytics",
            self.start,
            self.end,
            self.granularity.as_str(),
        )
        .strings("phone_numbers", &self.filters.phone_numbers)
        .strings("country_codes", &self.filters.country_codes)
        .strings("metric_types", &self.metric_types)
        .strings("conversation_categories", &self.categories)
        .strings("conversation_types", &self.types)
        .strings("conversation_directions", &self.directions)
        .strings("dimensions", &self.dimensions)
        .finish()
    }
}

data_points_endpoint!(
    GetConversationAnalytics,
    ConversationAnalytics,
    ConversationDataPoint,
    "conversation analytics",
    "conversation_analytics"
);

/// Meta's answer to [`GetConversationAnalytics`]: the points of every `data` entry, in order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConversationAnalytics {
    /// One point per time bucket and dimension value.
    pub data_points: Vec<ConversationDataPoint>,
}

/// One point of [`ConversationAnalytics`]; the dimension fields are set when asked for.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConversationDataPoint {
    /// The bucket's start (Unix seconds).
    pub start: u64,
    /// The bucket's end (Unix seconds).
    pub end: u64,
    /// The number of conversations.
    #[serde(default)]
    pub conversation: Option<u64>,
    /// The cost, in the account's currency (absent when billed through a partner).
    #[serde(default)]
    pub cost: Option<f64>,
    /// The business number.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// The user's country.
    #[serde(default)]
    pub country: Option<String>,
    /// The conversation type.
    #[serde(default)]
    pub conversation_type: Option<ConversationType>,
    /// Who opened the conversation.
    #[serde(default)]
    pub conversation_direction: Option<ConversationDirection>,
    /// The conversation category.
    #[serde(default)]
    pub conversation_category: Option<ConversationCategory>,
}
