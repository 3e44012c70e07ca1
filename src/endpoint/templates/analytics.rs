//! Template analytics (Meta's "Template analytics" and "Template Comparison" pages): confirm insights
//! once, then read sends, deliveries, reads, button clicks and costs per template or template group,
//! and compare two templates' block rates.

use crate::endpoint::analytics::check_range;
use crate::endpoint::paging::{ListQuery, Page, Paginated, parse_page, wire_enum};
use crate::endpoint::{ApiContext, Endpoint, Idempotency, parse_json};
use crate::error::{Error, ValidationError, Violation};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use std::collections::BTreeMap;

/// The most template ids one [`GetTemplateAnalytics`] may name.
pub const TEMPLATE_ANALYTICS_MAX_IDS: usize = 10;

/// Confirms template analytics for the context's account, once, before reading them:
/// `POST /<WABA_ID>?is_enabled_for_insights=true`. Meta cannot turn them off again.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::templates::EnableTemplateInsights;
///
/// let ctx = ApiContext::without_phone_number("token").with_waba_id("102290129340398");
/// let request = EnableTemplateInsights.to_request(&ctx)?;
/// assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/102290129340398?is_enabled_for_insights=true");
/// let response = http::Response::builder().status(200).body(br#"{"id":"102290129340398"}"#.to_vec())?;
/// assert_eq!(EnableTemplateInsights.parse_response(response)?.id.as_deref(), Some("102290129340398"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EnableTemplateInsights;

impl Endpoint for EnableTemplateInsights {
    type Output = InsightsEnabled;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = ctx.url(&[ctx.require_waba_id()?.as_str()])?;
        url.query_pairs_mut()
            .append_pair("is_enabled_for_insights", "true");
        ctx.empty_request(http::Method::POST, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<InsightsEnabled, Error> {
        parse_json("template insights confirmation", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Meta's answer to [`EnableTemplateInsights`]: the account's id (some answers say `success`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InsightsEnabled {
    /// The account's id.
    #[serde(default)]
    pub id: Option<String>,
    /// Whether Meta reports success.
    #[serde(default)]
    pub success: Option<bool>,
}

wire_enum! {
    /// What template analytics measures (`metric_types`). The `App*` and `Website*` conversion
    /// metrics exist for the Marketing Messages API only.
    TemplateMetricType {
        /// Messages sent.
        Sent = "SENT",
        /// Messages delivered.
        Delivered = "DELIVERED",
        /// Messages read.
        Read = "READ",
        /// Button clicks, by button.
        Clicked = "CLICKED",
        /// Costs.
        Cost = "COST",
        /// App activations (Marketing Messages API only).
        AppActivations = "APP_ACTIVATIONS",
        /// Adds to cart in an app (Marketing Messages API only).
        AppAddToCart = "APP_ADD_TO_CART",
        /// Checkouts started in an app (Marketing Messages API only).
        AppCheckoutsInitiated = "APP_CHECKOUTS_INITIATED",
        /// Purchases in an app (Marketing Messages API only).
        AppPurchases = "APP_PURCHASES",
        /// The value of purchases in an app (Marketing Messages API only).
        AppPurchasesConversionValue = "APP_PURCHASES_CONVERSION_VALUE",
        /// Adds to cart on a website (Marketing Messages API only).
        WebsiteAddToCart = "WEBSITE_ADD_TO_CART",
        /// Checkouts started on a website (Marketing Messages API only).
        WebsiteCheckoutsInitiated = "WEBSITE_CHECKOUTS_INITIATED",
        /// Purchases on a website (Marketing Messages API only).
        WebsitePurchases = "WEBSITE_PURCHASES",
        /// The value of purchases on a website (Marketing Messages API only).
        WebsitePurchasesConversionValue = "WEBSITE_PURCHASES_CONVERSION_VALUE",
    }
}

impl TemplateMetricType {
    /// Whether Meta reports this metric for the Marketing Messages API only.
    pub fn marketing_messages_only(&self) -> bool {
        let name = self.as_str();
        !matches!(self, Self::Unknown(_))
            && (name.starts_with("APP_") || name.starts_with("WEBSITE_"))
    }
}

wire_enum! {
    /// Which API sent the messages counted (`product_type`).
    TemplateProductType {
        /// The Cloud API (`/messages`).
        CloudApi = "CLOUD_API",
        /// The Marketing Messages API (`/marketing_messages`).
        MarketingMessages = "MARKETING_MESSAGES_API_FOR_WHATSAPP",
    }
}

/// The query both template and template group analytics take.
#[derive(Debug, Clone, PartialEq, Eq)]
struct AnalyticsQuery {
    start: u64,
    end: u64,
    ids: Vec<String>,
    metric_types: Vec<TemplateMetricType>,
    product_type: Option<TemplateProductType>,
    use_waba_timezone: Option<bool>,
    query: ListQuery,
}

impl AnalyticsQuery {
    fn new(start: u64, end: u64, ids: Vec<String>) -> Self {
        Self {
            start,
            end,
            ids,
            metric_types: Vec::new(),
            product_type: None,
            use_waba_timezone: None,
            query: ListQuery::new(),
        }
    }

    fn validate(&self, ids_field: &str, max_ids: Option<usize>) -> Result<(), ValidationError> {
        check_range(self.start, self.end)?;
        check_ids(ids_field, &self.ids, 1, max_ids)?;
        let mm = self.product_type == Some(TemplateProductType::MarketingMessages);
        if let Some(i) = self
            .metric_types
            .iter()
            .position(|m| m.marketing_messages_only() && !mm)
        {
            return Err(ValidationError::new(
                format!("metric_types[{i}]"),
                Violation::Invalid {
                    value: self.metric_types[i].to_string(),
                    expected: "a metric of the Cloud API: conversion metrics need product_type \
                               MARKETING_MESSAGES_API_FOR_WHATSAPP"
                        .to_owned(),
                },
            ));
        }
        Ok(())
    }

    fn request(
        &self,
        ctx: &ApiContext,
        edge: &str,
        ids_param: &str,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = ctx.url(&[ctx.require_waba_id()?.as_str(), edge])?;
        let mut filters = vec![
            ("start", self.start.to_string()),
            ("end", self.end.to_string()),
            ("granularity", "DAILY".to_owned()),
            (ids_param, format!("[{}]", self.ids.join(","))),
        ];
        if !self.metric_types.is_empty() {
            let names: Vec<&str> = self.metric_types.iter().map(|m| m.as_str()).collect();
            filters.push(("metric_types", json_list(&names)?));
        }
        if let Some(product) = &self.product_type {
            filters.push(("product_type", product.to_string()));
        }
        if let Some(local) = self.use_waba_timezone {
            filters.push(("use_waba_timezone", local.to_string()));
        }
        let filters: Vec<(&str, &str)> = filters.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.query.write(&mut url, &[], &filters);
        ctx.empty_request(http::Method::GET, &url)
    }
}

fn json_list(values: &[&str]) -> Result<String, Error> {
    serde_json::to_string(values)
        .map_err(|e| Error::config(format!("a list could not be encoded: {e}")))
}

/// Checks a list of numeric ids: between `min` and `max` of them, each digits only, no repeats.
fn check_ids(
    field: &str,
    ids: &[String],
    min: usize,
    max: Option<usize>,
) -> Result<(), ValidationError> {
    if ids.len() < min {
        return Err(ValidationError::new(
            field,
            Violation::TooFew {
                min,
                actual: ids.len(),
            },
        ));
    }
    if let Some(max) = max.filter(|max| ids.len() > *max) {
        return Err(ValidationError::new(
            field,
            Violation::TooMany {
                max,
                actual: ids.len(),
            },
        ));
    }
    for (i, id) in ids.iter().enumerate() {
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationError::new(
                format!("{field}[{i}]"),
                Violation::Invalid {
                    value: id.chars().take(40).collect(),
                    expected: "a numeric id".to_owned(),
                },
            ));
        }
        if ids[..i].contains(id) {
            return Err(ValidationError::new(
                format!("{field}[{i}]"),
                Violation::Duplicate { value: id.clone() },
            ));
        }
    }
    Ok(())
}

/// The setters both analytics queries share (they delegate to an `inner: AnalyticsQuery` field).
macro_rules! analytics_setters {
    () => {
        /// What to measure; every Cloud API metric by default.
        pub fn metric_types(mut self, types: impl IntoIterator<Item = TemplateMetricType>) -> Self {
            self.inner.metric_types = types.into_iter().collect();
            self
        }

        /// Which API's messages to count.
        pub fn product_type(mut self, product: TemplateProductType) -> Self {
            self.inner.product_type = Some(product);
            self
        }

        /// Days in the account's time zone rather than UTC.
        pub fn use_waba_timezone(mut self, yes: bool) -> Self {
            self.inner.use_waba_timezone = Some(yes);
            self
        }

        /// Entries per page.
        pub fn limit(mut self, limit: u32) -> Self {
            self.inner.query = self.inner.query.limit(limit);
            self
        }

        /// Starts after this cursor.
        pub fn after(mut self, cursor: impl Into<String>) -> Self {
            self.inner.query = self.inner.query.after(cursor);
            self
        }
    };
}

/// Sends, deliveries, reads, clicks and costs of up to 10 templates, by day:
/// `GET /<WABA_ID>/template_analytics?start=..&end=..&granularity=DAILY&template_ids=[..]`.
///
/// Confirm insights first ([`EnableTemplateInsights`]). Meta looks back 90 days; read and click
/// counts stop 7 days after the send; accounts in the EU, the UK or Japan get no template analytics. The
/// answer is paged: each item is an [`TemplateAnalyticsEntry`].
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::templates::{GetTemplateAnalytics, TemplateMetricType};
///
/// let ctx = ApiContext::without_phone_number("token").with_waba_id("102290129340398");
/// let query = GetTemplateAnalytics::new(1_748_736_000, 1_749_340_800, ["1924084211297547"])
///     .metric_types([TemplateMetricType::Sent, TemplateMetricType::Clicked]);
/// let request = query.to_request(&ctx)?;
/// assert_eq!(request.uri().path(), "/v26.0/102290129340398/template_analytics");
/// let page = query.parse_response(http::Response::builder().status(200).body(br#"{"data":[{"granularity":"DAILY",
///     "product_type":"CLOUD_API","data_points":[{"template_id":"1924084211297547","start":1748736000,
///     "end":1748822400,"sent":10,"delivered":9,"read":7,
///     "clicked":[{"type":"url_button","button_content":"Track","count":3}]}]}]}"#.to_vec())?)?;
/// let point = &page.items()[0].data_points[0];
/// assert_eq!((point.sent, point.clicked[0].count), (Some(10), 3));
/// // Eleven templates are refused before sending.
/// let ids: Vec<String> = (1..=11).map(|i| i.to_string()).collect();
/// assert!(GetTemplateAnalytics::new(1, 2, ids).to_request(&ctx).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetTemplateAnalytics {
    inner: AnalyticsQuery,
}

impl GetTemplateAnalytics {
    /// Templates `template_ids` (1 to 10) between `start` and `end` (Unix seconds).
    pub fn new<I, S>(start: u64, end: u64, template_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            inner: AnalyticsQuery::new(
                start,
                end,
                template_ids.into_iter().map(Into::into).collect(),
            ),
        }
    }

    analytics_setters!();
}

impl Endpoint for GetTemplateAnalytics {
    type Output = Page<Self>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.inner
            .validate("template_ids", Some(TEMPLATE_ANALYTICS_MAX_IDS))?;
        self.inner
            .request(ctx, "template_analytics", "template_ids")
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Page<Self>, Error> {
        parse_page("template analytics", self, response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

impl Paginated for GetTemplateAnalytics {
    type Item = TemplateAnalyticsEntry;

    fn with_after(&self, cursor: &str) -> Self {
        self.clone().after(cursor)
    }
}

/// The same figures for template groups:
/// `GET /<WABA_ID>/template_group_analytics?start=..&end=..&granularity=DAILY&template_group_ids=[..]`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::templates::GetTemplateGroupAnalytics;
///
/// let ctx = ApiContext::without_phone_number("token").with_waba_id("102290129340398");
/// let request = GetTemplateGroupAnalytics::new(1_748_736_000, 1_749_340_800, ["841756"]).to_request(&ctx)?;
/// assert_eq!(request.uri().path(), "/v26.0/102290129340398/template_group_analytics");
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetTemplateGroupAnalytics {
    inner: AnalyticsQuery,
}

impl GetTemplateGroupAnalytics {
    /// Template groups `group_ids` (at least one) between `start` and `end` (Unix seconds).
    pub fn new<I, S>(start: u64, end: u64, group_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            inner: AnalyticsQuery::new(start, end, group_ids.into_iter().map(Into::into).collect()),
        }
    }

    analytics_setters!();
}

impl Endpoint for GetTemplateGroupAnalytics {
    type Output = Page<Self>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.inner.validate("template_group_ids", None)?;
        self.inner
            .request(ctx, "template_group_analytics", "template_group_ids")
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Page<Self>, Error> {
        parse_page("template group analytics", self, response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

impl Paginated for GetTemplateGroupAnalytics {
    type Item = TemplateAnalyticsEntry;

    fn with_after(&self, cursor: &str) -> Self {
        self.clone().after(cursor)
    }
}

/// One entry of a template analytics page: the points of one granularity and product.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateAnalyticsEntry {
    /// The granularity, as Meta writes it (`DAILY`).
    #[serde(default)]
    pub granularity: Option<String>,
    /// Which API's messages these are.
    #[serde(default)]
    pub product_type: Option<TemplateProductType>,
    /// One point per template (or group) and day.
    #[serde(default)]
    pub data_points: Vec<TemplateDataPoint>,
}

/// One day of one template (or template group).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateDataPoint {
    /// The template (template analytics).
    #[serde(default)]
    pub template_id: Option<String>,
    /// The template group (template group analytics).
    #[serde(default)]
    pub template_group_id: Option<String>,
    /// The day's start (Unix seconds).
    pub start: u64,
    /// The day's end (Unix seconds).
    pub end: u64,
    /// Messages sent.
    #[serde(default)]
    pub sent: Option<u64>,
    /// Messages delivered.
    #[serde(default)]
    pub delivered: Option<u64>,
    /// Messages read.
    #[serde(default)]
    pub read: Option<u64>,
    /// Clicks, per button.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clicked: Vec<ButtonClicks>,
    /// Costs, per kind (absent when billed through a partner).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cost: Vec<TemplateCost>,
    /// Any other metric Meta sent, such as the Marketing Messages API's conversions
    /// (`app_purchases`, `website_add_to_cart`, ...), by name.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

wire_enum! {
    /// The kind of button a [`ButtonClicks`] counts.
    ClickedButtonType {
        /// A quick-reply button.
        QuickReply = "quick_reply_button",
        /// A URL button.
        Url = "url_button",
        /// A URL button with a per-message link.
        UniqueUrl = "unique_url_button",
    }
}

/// Clicks on one button of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ButtonClicks {
    /// The button's kind.
    #[serde(rename = "type")]
    pub button_type: ClickedButtonType,
    /// The button's text.
    #[serde(default)]
    pub button_content: Option<String>,
    /// The number of clicks.
    pub count: u64,
}

wire_enum! {
    /// The kind of a [`TemplateCost`].
    TemplateCostType {
        /// Money spent.
        AmountSpent = "amount_spent",
        /// Cost per delivered message.
        CostPerDelivered = "cost_per_delivered",
        /// Cost per URL button click.
        CostPerUrlButtonClick = "cost_per_url_button_click",
    }
}

/// One cost figure of a template, in the account's currency.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateCost {
    /// What the figure is.
    #[serde(rename = "type")]
    pub cost_type: TemplateCostType,
    /// The amount (absent when Meta has none for the day).
    #[serde(default)]
    pub value: Option<f64>,
}

mod compare;
#[cfg(test)]
mod tests;
pub use compare::{
    BlockReason, CompareTemplates, CompareWindow, ComparisonMetric, ComparisonMetricName,
    KeyedValue, TemplateComparison,
};
