//! A Flow endpoint's metrics, and moving Flows between accounts.

use super::manage::flow_url;
use super::{MIGRATE_MAX_FLOW_NAMES, opt_i64_any};
use crate::endpoint::paging::wire_enum;
use crate::endpoint::{ApiContext, Endpoint, Idempotency, parse_json};
use crate::error::{DecodeError, Error, ValidationError, Violation};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

wire_enum! {
    /// Which endpoint metric to read (Meta's "Metrics API" page).
    FlowMetricName {
        /// Requests sent to the endpoint.
        EndpointRequestCount = "ENDPOINT_REQUEST_COUNT",
        /// Failed requests, by error kind.
        EndpointRequestError = "ENDPOINT_REQUEST_ERROR",
        /// The share of failed requests.
        EndpointRequestErrorRate = "ENDPOINT_REQUEST_ERROR_RATE",
        /// Latency percentiles, in whole seconds.
        EndpointRequestLatencySecondsCeil = "ENDPOINT_REQUEST_LATENCY_SECONDS_CEIL",
        /// Availability (answers to Meta's health checks).
        EndpointAvailability = "ENDPOINT_AVAILABILITY",
    }
}

wire_enum! {
    /// The time bucket of a metric: a day (90 days back at most), an hour (30 days) or the whole life.
    MetricGranularity {
        /// One point per day.
        Day = "DAY",
        /// One point per hour.
        Hour = "HOUR",
        /// One point for the Flow's whole life.
        Lifetime = "LIFETIME",
    }
}

/// Reads a metric of a Flow's endpoint:
/// `GET /<FLOW_ID>?fields=metric.name(N).granularity(G).since(D).until(D)`.
///
/// Meta answers error 139006 (too little data) below 250 requests.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::flows::{FlowMetricName, GetFlowMetrics, MetricGranularity};
///
/// let ctx = ApiContext::without_phone_number("token");
/// let metrics = GetFlowMetrics::new("1184826846258457", FlowMetricName::EndpointRequestCount, MetricGranularity::Day)
///     .since("2026-06-01")
///     .until("2026-06-30");
/// let request = metrics.to_request(&ctx)?;
/// let query: Vec<(String, String)> = url::form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes()).into_owned().collect();
/// assert_eq!(query, [("fields".to_owned(), "metric.name(ENDPOINT_REQUEST_COUNT).granularity(DAY).since(2026-06-01).until(2026-06-30)".to_owned())]);
/// // Dates are checked before sending.
/// assert!(metrics.clone().since("June 1st").to_request(&ctx).is_err());
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetFlowMetrics {
    id: String,
    name: FlowMetricName,
    granularity: MetricGranularity,
    since: Option<String>,
    until: Option<String>,
}

impl GetFlowMetrics {
    /// Metric `name` of Flow `flow_id`, by `granularity`.
    pub fn new(
        flow_id: impl Into<String>,
        name: FlowMetricName,
        granularity: MetricGranularity,
    ) -> Self {
        Self {
            id: flow_id.into(),
            name,
            granularity,
            since: None,
            until: None,
        }
    }

    /// The first day, as `YYYY-MM-DD`.
    pub fn since(mut self, date: impl Into<String>) -> Self {
        self.since = Some(date.into());
        self
    }

    /// The last day, as `YYYY-MM-DD`.
    pub fn until(mut self, date: impl Into<String>) -> Self {
        self.until = Some(date.into());
        self
    }

    /// The `fields` value this request sends.
    pub fn fields_value(&self) -> String {
        let mut value = format!(
            "metric.name({}).granularity({})",
            self.name, self.granularity
        );
        if let Some(since) = &self.since {
            value.push_str(&format!(".since({since})"));
        }
        if let Some(until) = &self.until {
            value.push_str(&format!(".until({until})"));
        }
        value
    }
}

/// Checks a `YYYY-MM-DD` date (month 1-12, day 1-31).
fn check_date(field: &str, date: &str) -> Result<(), ValidationError> {
    let parts: Vec<&str> = date.split('-').collect();
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let ok = match parts.as_slice() {
        [y, m, d] => {
            number(y, 4).is_some()
                && number(m, 2).is_some_and(|m| (1..=12).contains(&m))
                && number(d, 2).is_some_and(|d| (1..=31).contains(&d))
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            Violation::Invalid {
                value: date.chars().take(40).collect(),
                expected: "a date as YYYY-MM-DD".to_owned(),
            },
        ))
    }
}

impl Endpoint for GetFlowMetrics {
    type Output = FlowMetric;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        if let Some(since) = &self.since {
            check_date("since", since)?;
        }
        if let Some(until) = &self.until {
            check_date("until", until)?;
        }
        let mut url = flow_url(ctx, &self.id, &[])?;
        url.query_pairs_mut()
            .append_pair("fields", &self.fields_value());
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<FlowMetric, Error> {
        #[derive(Deserialize)]
        struct Answer {
            metric: Option<FlowMetric>,
        }
        let body = response.body().as_ref().to_vec();
        let answer: Answer = parse_json("Flow metric", response)?;
        answer.metric.ok_or_else(|| {
            Error::Decode(DecodeError::new(
                "Flow metric",
                "the answer has no `metric` object",
                &body,
            ))
        })
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// A metric's values over time (`metric`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowMetric {
    /// The metric.
    pub name: FlowMetricName,
    /// The time bucket.
    pub granularity: MetricGranularity,
    /// One point per bucket.
    #[serde(default)]
    pub data_points: Vec<MetricDataPoint>,
}

/// One bucket of a [`FlowMetric`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MetricDataPoint {
    /// The bucket's start, as Meta sends it (`2026-06-01T07:00:00+0000`).
    pub timestamp: String,
    /// The values in the bucket (one per key: `value`, an error kind, a percentile, ...).
    #[serde(default)]
    pub data: Vec<MetricValue>,
}

/// One keyed value of a [`MetricDataPoint`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MetricValue {
    /// What the value measures, such as `value`, `p50`, `p90` or an error kind.
    pub key: String,
    /// The value.
    pub value: f64,
}

/// Copies Flows from another account into the context's account:
/// `POST /<DESTINATION_WABA_ID>/migrate_flows?source_waba_id=...&source_flow_names=[...]`.
///
/// Without names every Flow is copied; at most 100 names per request.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::flows::MigrateFlows;
///
/// let ctx = ApiContext::without_phone_number("token").with_waba_id("102290129340398");
/// let migrate = MigrateFlows::new("104996122399160").flow_names(["appointment_booking"]);
/// let request = migrate.to_request(&ctx)?;
/// assert_eq!(request.uri().path(), "/v26.0/102290129340398/migrate_flows");
/// let response = http::Response::builder().status(200).body(br#"{"migrated_flows":[{"source_name":"appointment_booking","source_id":"1","migrated_id":"2"}],"failed_flows":[]}"#.to_vec())?;
/// assert_eq!(migrate.parse_response(response)?.migrated_flows[0].migrated_id, "2");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct MigrateFlows {
    source_waba_id: String,
    names: Vec<String>,
}

impl MigrateFlows {
    /// Copies Flows from account `source_waba_id`.
    pub fn new(source_waba_id: impl Into<String>) -> Self {
        Self {
            source_waba_id: source_waba_id.into(),
            names: Vec::new(),
        }
    }

    /// Only the Flows with these names (at most 100).
    pub fn flow_names<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.names = names.into_iter().map(Into::into).collect();
        self
    }

    /// Checks the request.
    ///
    /// # Errors
    /// An empty source account, more than 100 names, an empty name.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.source_waba_id.trim().is_empty() {
            return Err(ValidationError::new("source_waba_id", Violation::Empty));
        }
        if self.names.len() > MIGRATE_MAX_FLOW_NAMES {
            return Err(ValidationError::new(
                "source_flow_names",
                Violation::TooMany {
                    max: MIGRATE_MAX_FLOW_NAMES,
                    actual: self.names.len(),
                },
            ));
        }
        if let Some(i) = self.names.iter().position(|n| n.trim().is_empty()) {
            return Err(ValidationError::new(
                format!("source_flow_names[{i}]"),
                Violation::Empty,
            ));
        }
        Ok(())
    }
}

impl Endpoint for MigrateFlows {
    type Output = MigratedFlows;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let mut url = ctx.url(&[ctx.require_waba_id()?.as_str(), "migrate_flows"])?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("source_waba_id", &self.source_waba_id);
            if !self.names.is_empty() {
                let names = serde_json::to_string(&self.names)
                    .map_err(|e| Error::config(format!("Flow names could not be encoded: {e}")))?;
                q.append_pair("source_flow_names", &names);
            }
        }
        ctx.empty_request(http::Method::POST, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<MigratedFlows, Error> {
        parse_json("Flow migration", response)
    }
}

/// Meta's answer to [`MigrateFlows`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MigratedFlows {
    /// The Flows copied.
    #[serde(default)]
    pub migrated_flows: Vec<MigratedFlow>,
    /// The Flows that could not be copied, and why.
    #[serde(default)]
    pub failed_flows: Vec<FailedFlowMigration>,
}

/// A Flow copied by [`MigrateFlows`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MigratedFlow {
    /// Its name.
    pub source_name: String,
    /// Its id in the source account.
    pub source_id: String,
    /// The copy's id in the destination account.
    pub migrated_id: String,
}

/// A Flow [`MigrateFlows`] could not copy.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FailedFlowMigration {
    /// Its name.
    pub source_name: String,
    /// Meta's error code.
    #[serde(default, deserialize_with = "opt_i64_any")]
    pub error_code: Option<i64>,
    /// Meta's explanation.
    #[serde(default)]
    pub error_message: Option<String>,
}
