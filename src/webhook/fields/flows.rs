//! The `flows` field: a Flow changed status, or its endpoint crossed an alert threshold.

use crate::webhook::lenient::{opt_f64_any, opt_u64_any, string_any, string_enum};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

string_enum! {
    /// What a `flows` update is about (`flows.event`).
    FlowEvent {
        /// The Flow's status changed (`old_status`, `new_status`).
        FlowStatusChange = "FLOW_STATUS_CHANGE",
        /// Errors on the user's side crossed a threshold (`error_rate`, `errors`).
        ClientErrorRate = "CLIENT_ERROR_RATE",
        /// Errors from your endpoint crossed a threshold (`error_rate`, `errors`).
        EndpointErrorRate = "ENDPOINT_ERROR_RATE",
        /// Your endpoint's latency crossed a threshold (`p50_latency`, `p90_latency`).
        EndpointLatency = "ENDPOINT_LATENCY",
        /// Your endpoint's availability fell below (or came back above) a threshold.
        EndpointAvailability = "ENDPOINT_AVAILABILITY",
        /// A Flow version will expire soon (`warning`).
        FlowVersionExpiryWarning = "FLOW_VERSION_EXPIRY_WARNING",
    }
}

string_enum! {
    /// The status of a Flow (`flows.old_status`, `flows.new_status`).
    FlowStatus {
        /// Editable, not sendable to users yet.
        Draft = "DRAFT",
        /// Sendable; no longer editable.
        Published = "PUBLISHED",
        /// Retired: it can no longer be sent.
        Deprecated = "DEPRECATED",
        /// Blocked by the endpoint's health checks.
        Blocked = "BLOCKED",
        /// Limited by the endpoint's health checks.
        Throttled = "THROTTLED",
    }
}

string_enum! {
    /// Whether an endpoint alert starts or ends (`flows.alert_state`).
    FlowAlertState {
        /// The threshold was crossed.
        Activated = "ACTIVATED",
        /// Back within the threshold.
        Deactivated = "DEACTIVATED",
    }
}

/// `flows`: a Flow's status changed, an endpoint alert started or ended, or a version will expire.
///
/// Which of the optional values is present depends on [`FlowUpdate::event`].
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowUpdate {
    /// What happened.
    pub event: FlowEvent,
    /// The Flow.
    #[serde(deserialize_with = "string_any")]
    pub flow_id: String,
    /// A description in words.
    #[serde(default)]
    pub message: Option<String>,
    /// The status before (absent when the Flow was just created).
    #[serde(default)]
    pub old_status: Option<FlowStatus>,
    /// The status after.
    #[serde(default)]
    pub new_status: Option<FlowStatus>,
    /// Whether the alert starts or ends.
    #[serde(default)]
    pub alert_state: Option<FlowAlertState>,
    /// The threshold crossed (a percentage, milliseconds or a percentage of availability).
    #[serde(default, deserialize_with = "opt_f64_any")]
    pub threshold: Option<f64>,
    /// The error rate, in percent (fractional, such as `14.28`).
    #[serde(default, deserialize_with = "opt_f64_any")]
    pub error_rate: Option<f64>,
    /// The errors behind the error rate, by type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FlowErrorCount>,
    /// The median latency, in milliseconds.
    #[serde(default, deserialize_with = "opt_f64_any")]
    pub p50_latency: Option<f64>,
    /// The 90th-percentile latency, in milliseconds.
    #[serde(default, deserialize_with = "opt_f64_any")]
    pub p90_latency: Option<f64>,
    /// How many requests the figures cover.
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub requests_count: Option<u64>,
    /// The endpoint's availability, in percent.
    #[serde(default, deserialize_with = "opt_f64_any")]
    pub availability: Option<f64>,
    /// The expiry warning, in words.
    #[serde(default)]
    pub warning: Option<String>,
}

/// One entry of `flows.errors[]`: one type of error and its share.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowErrorCount {
    /// The error type, such as `TIMEOUT_ERROR`.
    #[serde(default)]
    pub error_type: Option<String>,
    /// Its rate, in percent.
    #[serde(default, deserialize_with = "opt_f64_any")]
    pub error_rate: Option<f64>,
    /// How many times it happened.
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub error_count: Option<u64>,
}
