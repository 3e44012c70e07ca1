//! Comparing two templates: `GET /<TEMPLATE_ID>/compare`.

use super::check_ids;
use crate::endpoint::paging::wire_enum;
use crate::endpoint::{ApiContext, Endpoint, Idempotency, parse_json};
use crate::error::{Error, ValidationError, Violation};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// The look-back windows Meta compares templates over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CompareWindow {
    /// The last 7 days.
    Days7,
    /// The last 30 days.
    Days30,
    /// The last 60 days.
    Days60,
    /// The last 90 days.
    Days90,
}

impl CompareWindow {
    /// The window's length in seconds.
    pub fn seconds(self) -> u64 {
        const DAY: u64 = 86_400;
        match self {
            Self::Days7 => 7 * DAY,
            Self::Days30 => 30 * DAY,
            Self::Days60 => 60 * DAY,
            Self::Days90 => 90 * DAY,
        }
    }
}

/// Compares a template with one other of the same account over a window ending at `end`:
/// `GET /<TEMPLATE_ID>/compare?template_ids=[<OTHER_ID>]&start=..&end=..`.
///
/// Both templates must have been sent at least 1,000 times in the window. The answer says which
/// has the lower block rate, how often each was sent, and each one's top block reason.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::templates::{BlockReason, CompareTemplates, CompareWindow};
///
/// let ctx = ApiContext::without_phone_number("token");
/// let compare = CompareTemplates::new("5289179717853347", "1533406637136032", 1_751_328_000, CompareWindow::Days7);
/// let request = compare.to_request(&ctx)?;
/// assert_eq!(request.uri().path(), "/v26.0/5289179717853347/compare");
/// assert_eq!(request.uri().query(), Some("template_ids=%5B1533406637136032%5D&start=1750723200&end=1751328000"));
/// let response = http::Response::builder().status(200).body(br#"{"data":[
///     {"metric":"BLOCK_RATE","type":"RELATIVE","order_by_relative_metric":["1533406637136032","5289179717853347"]},
///     {"metric":"MESSAGE_SENDS","type":"NUMBER_VALUES","number_values":[{"key":"5289179717853347","value":1273},{"key":"1533406637136032","value":1042}]},
///     {"metric":"TOP_BLOCK_REASON","type":"STRING_VALUES","string_values":[{"key":"5289179717853347","value":"SPAM"}]}]}"#.to_vec())?;
/// let comparison = compare.parse_response(response)?;
/// assert_eq!(comparison.lowest_block_rate(), Some("1533406637136032"));
/// assert_eq!(comparison.message_sends("5289179717853347"), Some(1273));
/// assert_eq!(comparison.top_block_reason("5289179717853347"), Some(&BlockReason::Spam));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct CompareTemplates {
    template_id: String,
    other_id: String,
    end: u64,
    window: CompareWindow,
}

impl CompareTemplates {
    /// Compares `template_id` with `other_template_id` over `window`, ending at `end` (Unix seconds;
    /// Meta counts the window back from the time of the request, so pass the current time).
    pub fn new(
        template_id: impl Into<String>,
        other_template_id: impl Into<String>,
        end: u64,
        window: CompareWindow,
    ) -> Self {
        Self {
            template_id: template_id.into(),
            other_id: other_template_id.into(),
            end,
            window,
        }
    }

    /// The window's start: `end` minus the window.
    pub fn start(&self) -> u64 {
        self.end.saturating_sub(self.window.seconds())
    }

    /// Checks the request.
    ///
    /// # Errors
    /// A non-numeric id, the same template twice, an `end` earlier than the window's length.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_ids(
            "template_ids",
            &[self.template_id.clone(), self.other_id.clone()],
            2,
            Some(2),
        )?;
        if self.end < self.window.seconds() {
            return Err(ValidationError::new(
                "end",
                Violation::Invalid {
                    value: self.end.to_string(),
                    expected: format!("a Unix time of at least {}", self.window.seconds()),
                },
            ));
        }
        Ok(())
    }
}

impl Endpoint for CompareTemplates {
    type Output = TemplateComparison;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let mut url = ctx.url(&[self.template_id.as_str(), "compare"])?;
        url.query_pairs_mut()
            .append_pair("template_ids", &format!("[{}]", self.other_id))
            .append_pair("start", &self.start().to_string())
            .append_pair("end", &self.end.to_string());
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<TemplateComparison, Error> {
        parse_json("template comparison", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

wire_enum! {
    /// A metric of a [`TemplateComparison`].
    ComparisonMetricName {
        /// Which template has the lower ratio of blocks to sends.
        BlockRate = "BLOCK_RATE",
        /// How often each template was sent.
        MessageSends = "MESSAGE_SENDS",
        /// Each template's most common block reason.
        TopBlockReason = "TOP_BLOCK_REASON",
    }
}

wire_enum! {
    /// Why users blocked a business after a template (the reason they picked).
    BlockReason {
        /// They no longer need the messages.
        NoLongerNeeded = "NO_LONGER_NEEDED",
        /// They did not sign up.
        NoSignUp = "NO_SIGN_UP",
        /// The messages were offensive.
        OffensiveMessages = "OFFENSIVE_MESSAGES",
        /// Spam.
        Spam = "SPAM",
        /// Another reason.
        Other = "OTHER",
        /// No reason given.
        UnknownBlockReason = "UNKNOWN_BLOCK_REASON",
    }
}

/// Meta's answer to [`CompareTemplates`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateComparison {
    /// One entry per metric.
    #[serde(default)]
    pub data: Vec<ComparisonMetric>,
}

impl TemplateComparison {
    fn metric(&self, name: &ComparisonMetricName) -> Option<&ComparisonMetric> {
        self.data.iter().find(|m| &m.metric == name)
    }

    /// The template ids by increasing block rate.
    pub fn block_rate_order(&self) -> &[String] {
        self.metric(&ComparisonMetricName::BlockRate)
            .map_or(&[], |m| &m.order_by_relative_metric)
    }

    /// The template with the lower block rate.
    pub fn lowest_block_rate(&self) -> Option<&str> {
        self.block_rate_order().first().map(String::as_str)
    }

    /// How often `template_id` was sent in the window.
    pub fn message_sends(&self, template_id: &str) -> Option<u64> {
        self.metric(&ComparisonMetricName::MessageSends)?
            .number_values
            .iter()
            .find(|v| v.key == template_id)
            .map(|v| v.value)
    }

    /// The most common reason users blocked the business after `template_id`.
    pub fn top_block_reason(&self, template_id: &str) -> Option<&BlockReason> {
        self.metric(&ComparisonMetricName::TopBlockReason)?
            .string_values
            .iter()
            .find(|v| v.key == template_id)
            .map(|v| &v.value)
    }
}

/// One metric of a [`TemplateComparison`]; which list is filled depends on the metric.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ComparisonMetric {
    /// The metric.
    pub metric: ComparisonMetricName,
    /// The kind of values (`RELATIVE`, `NUMBER_VALUES`, `STRING_VALUES`).
    #[serde(default, rename = "type")]
    pub value_type: Option<String>,
    /// `BLOCK_RATE`: template ids by increasing block rate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order_by_relative_metric: Vec<String>,
    /// `MESSAGE_SENDS`: sends per template id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub number_values: Vec<KeyedValue<u64>>,
    /// `TOP_BLOCK_REASON`: the top block reason per template id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub string_values: Vec<KeyedValue<BlockReason>>,
}

/// A value for one template id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KeyedValue<T> {
    /// The template id.
    pub key: String,
    /// The value.
    pub value: T,
}
