//! WhatsApp Flows management: create, edit, upload the Flow JSON, publish, deprecate, delete, list,
//! preview, migrate and read endpoint metrics (Meta's "Flows API" and "Metrics API" pages).
//!
//! A Flow starts as a `DRAFT`; [`UploadFlowJson`] sends its Flow JSON, and Meta answers with the
//! [`FlowValidationError`]s it found (with their line and column). A draft without errors can be
//! published ([`PublishFlow`]); a published Flow can be deprecated ([`DeprecateFlow`]) but not
//! deleted ([`DeleteFlow`] works on drafts only, Meta answers error 139004 otherwise, classified as
//! [`ErrorClass::Flow`](crate::error::ErrorClass::Flow)).
//!
//! ```
//! use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
//! use whatsapp_cloud::endpoint::flows::{CreateFlow, FlowCategory};
//!
//! let ctx = ApiContext::without_phone_number("token").with_waba_id("102290129340398");
//! let create = CreateFlow::new("appointment_booking", [FlowCategory::AppointmentBooking]);
//! let request = create.to_request(&ctx)?;
//! assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/102290129340398/flows");
//! assert_eq!(request.body().as_slice(), br#"{"name":"appointment_booking","categories":["APPOINTMENT_BOOKING"]}"#);
//!
//! let response = http::Response::builder().status(200).body(br#"{"id":"1184826846258457","success":true}"#.to_vec())?;
//! let created = create.parse_response(response)?;
//! assert_eq!(created.id, "1184826846258457");
//! assert!(created.validation_errors.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod manage;
mod metrics;
#[cfg(test)]
mod tests;

pub use manage::{
    CreateFlow, CreatedFlow, DeleteFlow, DeprecateFlow, FlowJsonUploaded, GetFlow, GetFlowPreview,
    ListFlowAssets, ListFlows, PublishFlow, UpdateFlowMetadata, UploadFlowJson,
};
pub use metrics::{
    FailedFlowMigration, FlowMetric, FlowMetricName, GetFlowMetrics, MetricDataPoint,
    MetricGranularity, MetricValue, MigrateFlows, MigratedFlow, MigratedFlows,
};

use super::paging::wire_enum;
/// Where a Flow is in its lifecycle: the same type the `flows` webhook field reports.
pub use crate::webhook::FlowStatus;
use serde::{Deserialize, Deserializer, Serialize};
use serde_with::skip_serializing_none;

/// The largest Flow JSON asset Meta accepts: 10 MB.
pub const FLOW_JSON_MAX_BYTES: usize = 10 * 1024 * 1024;

/// The most Flow names one migration request may name.
pub const MIGRATE_MAX_FLOW_NAMES: usize = 100;

wire_enum! {
    /// What a Flow is for (at least one is required).
    FlowCategory {
        /// Sign up.
        SignUp = "SIGN_UP",
        /// Sign in.
        SignIn = "SIGN_IN",
        /// Appointment booking.
        AppointmentBooking = "APPOINTMENT_BOOKING",
        /// Lead generation.
        LeadGeneration = "LEAD_GENERATION",
        /// Contact us.
        ContactUs = "CONTACT_US",
        /// Customer support.
        CustomerSupport = "CUSTOMER_SUPPORT",
        /// Survey.
        Survey = "SURVEY",
        /// Anything else.
        Other = "OTHER",
    }
}

wire_enum! {
    /// Whether messages can be sent with a Flow (`health_status.can_send_message`).
    CanSendMessage {
        /// Sendable.
        Available = "AVAILABLE",
        /// Sendable with limits (a throttled Flow, for example).
        Limited = "LIMITED",
        /// Not sendable.
        Blocked = "BLOCKED",
    }
}

wire_enum! {
    /// The kind of asset a [`HealthEntity`] describes.
    HealthEntityType {
        /// The Flow itself.
        Flow = "FLOW",
        /// The WhatsApp Business Account.
        Waba = "WABA",
        /// The business.
        Business = "BUSINESS",
        /// The Meta app connected to the Flow's endpoint.
        App = "APP",
    }
}

/// A problem Meta found in a Flow JSON (`validation_errors[]`), with its position in the JSON text.
///
/// ```
/// use whatsapp_cloud::endpoint::flows::FlowValidationError;
/// let e: FlowValidationError = serde_json::from_str(r#"{"error":"INVALID_PROPERTY_VALUE",
///     "error_type":"FLOW_JSON_ERROR","message":"Invalid value found for property 'type'.",
///     "line_start":10,"line_end":10,"column_start":21,"column_end":34,
///     "pointers":[{"line_start":10,"line_end":10,"column_start":21,"column_end":34,"path":"screens[0].layout.children[0].type"}]}"#)?;
/// assert_eq!(e.error_type.as_deref(), Some("FLOW_JSON_ERROR"));
/// assert_eq!((e.span.line_start, e.span.column_start), (Some(10), Some(21)));
/// assert_eq!(e.pointers[0].path.as_deref(), Some("screens[0].layout.children[0].type"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowValidationError {
    /// The error's code name, such as `INVALID_PROPERTY_VALUE`.
    #[serde(default)]
    pub error: Option<String>,
    /// Its family, such as `FLOW_JSON_ERROR` or `JSON_SCHEMA_ERROR`.
    #[serde(default)]
    pub error_type: Option<String>,
    /// A readable description.
    #[serde(default)]
    pub message: Option<String>,
    /// Where the offending text is.
    #[serde(flatten)]
    pub span: FlowJsonSpan,
    /// Where else in the JSON the error points.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pointers: Vec<FlowErrorPointer>,
}

/// A stretch of a Flow JSON text: its first and last line and column (1-based), as Meta reports them.
#[skip_serializing_none]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowJsonSpan {
    /// First line.
    #[serde(default)]
    pub line_start: Option<u32>,
    /// Last line.
    #[serde(default)]
    pub line_end: Option<u32>,
    /// First column.
    #[serde(default)]
    pub column_start: Option<u32>,
    /// Last column.
    #[serde(default)]
    pub column_end: Option<u32>,
}

/// One place a [`FlowValidationError`] points to.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowErrorPointer {
    /// Where it points.
    #[serde(flatten)]
    pub span: FlowJsonSpan,
    /// The JSON path, such as `screens[0].layout.children[0].type`.
    #[serde(default)]
    pub path: Option<String>,
}

/// Whether a Flow can be sent, and what stands in the way (`health_status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowHealthStatus {
    /// The overall verdict.
    pub can_send_message: CanSendMessage,
    /// The verdict per asset (the Flow, the account, the business, the app).
    #[serde(default)]
    pub entities: Vec<HealthEntity>,
}

/// One asset's part of a [`FlowHealthStatus`].
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HealthEntity {
    /// What the asset is.
    pub entity_type: HealthEntityType,
    /// The asset's id.
    pub id: String,
    /// Its verdict.
    pub can_send_message: CanSendMessage,
    /// What is wrong, when anything is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<HealthError>,
    /// Further notes from Meta.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_info: Vec<String>,
}

/// A problem that limits sending ([`HealthEntity::errors`]).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HealthError {
    /// Meta's error code.
    #[serde(default, deserialize_with = "opt_i64_any")]
    pub error_code: Option<i64>,
    /// What is wrong.
    #[serde(default)]
    pub error_description: Option<String>,
    /// How to fix it.
    #[serde(default)]
    pub possible_solution: Option<String>,
}

/// A Flow's preview link (`preview`): public, valid 30 days.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowPreview {
    /// The web preview's URL; Meta documents optional query parameters (`interactive`,
    /// `flow_token`, `flow_action`, `flow_action_payload`, `phone_number`, `debug`).
    pub preview_url: String,
    /// When the URL stops working, as Meta sends it (`2023-05-21T11:18:09+0000`).
    #[serde(default)]
    pub expires_at: Option<String>,
}

/// A Flow as `GET /<FLOW_ID>` and the list return it: only the fields asked for are present.
///
/// `endpoint_uri` is read from `data_channel_uri` (its name before Graph API v19.0) when only that is
/// sent: see [`FlowInfo::endpoint`].
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowInfo {
    /// The Flow id.
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Its status.
    #[serde(default)]
    pub status: Option<FlowStatus>,
    /// Its categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<FlowCategory>,
    /// The problems in its current Flow JSON.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub validation_errors: Vec<FlowValidationError>,
    /// The Flow JSON `version`, such as `"7.3"`.
    #[serde(default)]
    pub json_version: Option<String>,
    /// The data API version its endpoint speaks, such as `"4.0"`.
    #[serde(default)]
    pub data_api_version: Option<String>,
    /// The data endpoint's URL.
    #[serde(default)]
    pub endpoint_uri: Option<String>,
    /// The data endpoint's URL under its former name.
    #[serde(default)]
    pub data_channel_uri: Option<String>,
    /// The preview link, when asked for.
    #[serde(default)]
    pub preview: Option<FlowPreview>,
    /// The owning account (`{"id", ...}`), when asked for.
    #[serde(default)]
    pub whatsapp_business_account: Option<serde_json::Value>,
    /// The connected Meta app (`{"id", ...}`), when asked for.
    #[serde(default)]
    pub application: Option<serde_json::Value>,
    /// Whether the Flow can be sent, when asked for.
    #[serde(default)]
    pub health_status: Option<FlowHealthStatus>,
}

impl FlowInfo {
    /// The data endpoint's URL: `endpoint_uri`, else the older `data_channel_uri`.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint_uri
            .as_deref()
            .or(self.data_channel_uri.as_deref())
    }
}

/// One asset of a Flow (`GET /<FLOW_ID>/assets`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowAsset {
    /// The file name, such as `flow.json`.
    pub name: String,
    /// The kind, such as `FLOW_JSON`.
    pub asset_type: String,
    /// A short-lived URL to download it.
    #[serde(default)]
    pub download_url: Option<String>,
}

/// A number Meta may send as a JSON number or a string.
pub(crate) fn opt_i64_any<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Any {
        Number(i64),
        Text(String),
    }
    match Option::<Any>::deserialize(d)? {
        None => Ok(None),
        Some(Any::Number(n)) => Ok(Some(n)),
        Some(Any::Text(s)) => s.trim().parse().map(Some).map_err(|_| {
            serde::de::Error::custom(format!("expected an integer error code, found {s:?}"))
        }),
    }
}
