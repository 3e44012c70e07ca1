//! A WhatsApp Business Account's analytics (Meta's "Analytics" page): messages sent and delivered,
//! conversations, pricing (volume and cost) and calls, over a time range, by a granularity.
//!
//! Each query is one `GET /<WABA_ID>?fields=<field>.start(..).end(..).granularity(..)...` whose
//! `fields` expression this module writes exactly as Meta documents it. Every field accepts its own
//! granularities (messaging analytics says `DAY`, the others `DAILY`), so each request type takes its
//! own granularity enum: [`MessagingGranularity`], [`ConversationGranularity`],
//! [`PricingGranularity`] and [`CallGranularity`]. Times are Unix seconds; `start` must be before
//! `end`. Meta looks back one year for messaging, conversation and pricing analytics.
//!
//! Counts and costs are `Option`s: Meta leaves out what a query did not ask for, and hides `cost`
//! from businesses billed through a partner. Enum values this version does not know are kept as
//! `Unknown`. Template analytics live with the templates:
//! [`GetTemplateAnalytics`](crate::endpoint::templates::GetTemplateAnalytics).
//!
//! ```
//! use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
//! use whatsapp_cloud::endpoint::analytics::{GetPricingAnalytics, PricingDimension, PricingGranularity};
//!
//! let ctx = ApiContext::without_phone_number("token").with_waba_id("102290129340398");
//! let query = GetPricingAnalytics::new(1_748_736_000, 1_751_328_000, PricingGranularity::Daily)
//!     .dimensions([PricingDimension::PricingCategory, PricingDimension::Country]);
//! assert_eq!(
//!     query.fields_value(),
//!     r#"pricing_analytics.start(1748736000).end(1751328000).granularity(DAILY).dimensions(["PRICING_CATEGORY","COUNTRY"])"#
//! );
//! let response = http::Response::builder().status(200).body(br#"{"pricing_analytics":{"data":[{"data_points":[
//!     {"start":1748736000,"end":1748822400,"country":"BR","pricing_category":"MARKETING","volume":120,"cost":7.5}]}]},
//!     "id":"102290129340398"}"#.to_vec())?;
//! let analytics = query.parse_response(response)?;
//! assert_eq!(analytics.data_points[0].volume, Some(120));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod calls;
mod conversation;
mod messaging;
mod pricing;
#[cfg(test)]
mod tests;

pub use calls::{
    CallAnalytics, CallDataPoint, CallDimension, CallDirection, CallGranularity, CallMetricType,
    GetCallAnalytics,
};
pub use conversation::{
    ConversationAnalytics, ConversationCategory, ConversationDataPoint, ConversationDimension,
    ConversationDirection, ConversationGranularity, ConversationMetricType, ConversationType,
    GetConversationAnalytics,
};
pub use messaging::{
    GetMessagingAnalytics, MessagingAnalytics, MessagingDataPoint, MessagingGranularity,
    MessagingProductType,
};
pub use pricing::{
    GetPricingAnalytics, PricingAnalytics, PricingCategory, PricingDataPoint, PricingDimension,
    PricingGranularity, PricingMetricType, PricingType,
};

use crate::endpoint::{ApiContext, parse_json};
use crate::error::{DecodeError, Error, ValidationError, Violation};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// A closed enum of the values one request parameter accepts (no `Unknown`: a value Meta refuses
/// for this parameter cannot be built).
macro_rules! request_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// The wire value.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $( Self::$variant => $wire, )+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use request_enum;

/// Checks that a time range is non-empty: `start < end`, both Unix seconds.
pub(crate) fn check_range(start: u64, end: u64) -> Result<(), ValidationError> {
    if start < end {
        return Ok(());
    }
    Err(ValidationError::new(
        "end",
        Violation::Invalid {
            value: end.to_string(),
            expected: format!("a Unix time after start ({start})"),
        },
    ))
}

/// Writes a Graph API field expression: `name.param(value).param([..])...`.
#[derive(Debug, Clone)]
pub(crate) struct FieldExpr(String);

impl FieldExpr {
    /// `field.start(start).end(end).granularity(granularity)`.
    pub(crate) fn new(field: &str, start: u64, end: u64, granularity: &str) -> Self {
        Self(format!(
            "{field}.start({start}).end({end}).granularity({granularity})"
        ))
    }

    /// `.name(["a","b"])`, left out when `values` is empty.
    pub(crate) fn strings<T: std::fmt::Display>(mut self, name: &str, values: &[T]) -> Self {
        if !values.is_empty() {
            let quoted: Vec<String> = values.iter().map(|v| quote(&v.to_string())).collect();
            self.0.push_str(&format!(".{name}([{}])", quoted.join(",")));
        }
        self
    }

    /// `.name([0,2])`, left out when `values` is empty.
    pub(crate) fn numbers(mut self, name: &str, values: &[u8]) -> Self {
        if !values.is_empty() {
            let list: Vec<String> = values.iter().map(u8::to_string).collect();
            self.0.push_str(&format!(".{name}([{}])", list.join(",")));
        }
        self
    }

    pub(crate) fn finish(self) -> String {
        self.0
    }
}

/// A JSON string literal.
fn quote(value: &str) -> String {
    serde_json::Value::String(value.to_owned()).to_string()
}

/// The business numbers and countries every query may filter by.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Filters {
    pub(crate) phone_numbers: Vec<String>,
    pub(crate) country_codes: Vec<String>,
}

impl Filters {
    /// Checks the time range, the numbers (digits) and the country codes (two letters).
    pub(crate) fn check(&self, start: u64, end: u64) -> Result<(), ValidationError> {
        check_range(start, end)?;
        for (i, number) in self.phone_numbers.iter().enumerate() {
            if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ValidationError::new(
                    format!("phone_numbers[{i}]"),
                    Violation::Invalid {
                        value: number.chars().take(40).collect(),
                        expected: "a phone number in digits, with the country code (16505551234)"
                            .to_owned(),
                    },
                ));
            }
        }
        for (i, code) in self.country_codes.iter().enumerate() {
            if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(ValidationError::new(
                    format!("country_codes[{i}]"),
                    Violation::Invalid {
                        value: code.chars().take(40).collect(),
                        expected: "a two-letter ISO 3166 country code (US)".to_owned(),
                    },
                ));
            }
        }
        Ok(())
    }
}

/// The `phone_numbers` and `country_codes` setters of a query with a `filters: Filters` field.
macro_rules! filter_setters {
    () => {
        /// Only these business numbers (digits with the country code, such as `16505551234`); all
        /// of the account's by default.
        pub fn phone_numbers<I, S>(mut self, numbers: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.filters.phone_numbers = numbers.into_iter().map(Into::into).collect();
            self
        }

        /// Only these countries (ISO 3166 codes such as `US`).
        pub fn country_codes<I, S>(mut self, codes: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.filters.country_codes = codes.into_iter().map(Into::into).collect();
            self
        }
    };
}
pub(crate) use filter_setters;

/// Implements [`Endpoint`](crate::endpoint::Endpoint) for a query whose answer is
/// `{"<key>": {"data": [{"data_points": [..]}]}}`, read into `$output { data_points }`.
macro_rules! data_points_endpoint {
    ($query:ty, $output:ident, $point:ty, $what:literal, $key:literal) => {
        impl $crate::endpoint::Endpoint for $query {
            type Output = $output;

            fn to_request(
                &self,
                ctx: &$crate::endpoint::ApiContext,
            ) -> Result<http::Request<Vec<u8>>, $crate::error::Error> {
                self.filters.check(self.start, self.end)?;
                super::waba_fields_request(ctx, &self.fields_value())
            }

            fn parse_response<B: AsRef<[u8]>>(
                &self,
                response: http::Response<B>,
            ) -> Result<$output, $crate::error::Error> {
                let entries: super::DataEntries<$point> =
                    super::parse_field($what, $key, response)?;
                Ok($output {
                    data_points: entries.into_points(),
                })
            }

            fn idempotency(&self) -> $crate::endpoint::Idempotency {
                $crate::endpoint::Idempotency::Idempotent
            }
        }
    };
}
pub(crate) use data_points_endpoint;

/// `GET /<WABA_ID>?fields=<expression>`.
pub(crate) fn waba_fields_request(
    ctx: &ApiContext,
    fields: &str,
) -> Result<http::Request<Vec<u8>>, Error> {
    let mut url = ctx.url(&[ctx.require_waba_id()?.as_str()])?;
    url.query_pairs_mut().append_pair("fields", fields);
    ctx.empty_request(http::Method::GET, &url)
}

/// `{"data": [{"data_points": [..]}, ..]}`: the points of every entry, in order.
#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
pub(crate) struct DataEntries<T> {
    #[serde(default)]
    data: Vec<DataEntry<T>>,
}

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct DataEntry<T> {
    #[serde(default)]
    data_points: Vec<T>,
}

impl<T> Default for DataEntries<T> {
    fn default() -> Self {
        Self { data: Vec::new() }
    }
}

impl<T> DataEntries<T> {
    pub(crate) fn into_points(self) -> Vec<T> {
        self.data.into_iter().flat_map(|e| e.data_points).collect()
    }
}

/// Parses `{"<key>": T, "id": ..}`. Meta leaves `key` out when the range holds no data, which reads
/// as `T::default()`.
pub(crate) fn parse_field<T: DeserializeOwned + Default, B: AsRef<[u8]>>(
    what: &'static str,
    key: &'static str,
    response: http::Response<B>,
) -> Result<T, Error> {
    let body = response.body().as_ref().to_vec();
    let mut answer: serde_json::Map<String, serde_json::Value> = parse_json(what, response)?;
    match answer.remove(key) {
        None | Some(serde_json::Value::Null) => Ok(T::default()),
        Some(value) => serde_json::from_value(value)
            .map_err(|e| Error::Decode(DecodeError::new(what, e.to_string(), &body))),
    }
}
