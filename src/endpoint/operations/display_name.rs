//! Requesting a new display name and reading its review (Meta's "Display names" page).

use super::{phone_fields_request, phone_url};
pub use crate::endpoint::phone_numbers::NameStatus;
use crate::endpoint::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::Error;
use crate::limits;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// Requests a new display name: `POST /<PHONE_NUMBER_ID>?new_display_name=<name>`.
///
/// Meta reviews the name; the decision arrives in the `phone_number_name_update` webhook and in
/// [`GetDisplayNameStatus`].
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::RequestDisplayName;
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let request = RequestDisplayName::new("Lucky Shrub").to_request(&ctx)?;
/// assert_eq!(request.uri().query(), Some("new_display_name=Lucky+Shrub"));
/// assert!(request.body().is_empty());
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct RequestDisplayName {
    name: String,
}

impl RequestDisplayName {
    /// Asks for `name` as the new display name.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into() }
    }
}

impl Endpoint for RequestDisplayName {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        limits::id_unbounded("new_display_name", &self.name)?;
        let mut url = phone_url(ctx, &[])?;
        url.query_pairs_mut()
            .append_pair("new_display_name", &self.name);
        ctx.empty_request(http::Method::POST, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("display name request", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Reads the display name and its review:
/// `GET /<PHONE_NUMBER_ID>?fields=verified_name,name_status,new_display_name,new_name_status`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::{GetDisplayNameStatus, NameStatus};
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let get = GetDisplayNameStatus::new();
/// let answer = http::Response::new(br#"{"verified_name":"Lucky Shrub","name_status":"APPROVED","new_display_name":"Lucky Shrub Plants","new_name_status":"PENDING_REVIEW","id":"106540352242922"}"#.to_vec());
/// let status = get.parse_response(answer)?;
/// assert_eq!(status.new_name_status, Some(NameStatus::PendingReview));
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct GetDisplayNameStatus {}

impl GetDisplayNameStatus {
    /// The number's display name and its review.
    pub fn new() -> Self {
        Self::default()
    }
}

/// A number's display name, and the review of a requested new one.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DisplayNameStatus {
    /// The phone number id.
    #[serde(default)]
    pub id: Option<String>,
    /// The name shown today.
    #[serde(default)]
    pub verified_name: Option<String>,
    /// The review status of the name shown today (read ignoring case; unknown values kept).
    #[serde(default)]
    pub name_status: Option<NameStatus>,
    /// The requested new name.
    #[serde(default)]
    pub new_display_name: Option<String>,
    /// The review status of the requested new name.
    #[serde(default)]
    pub new_name_status: Option<NameStatus>,
}

impl Endpoint for GetDisplayNameStatus {
    type Output = DisplayNameStatus;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        phone_fields_request(
            ctx,
            "verified_name,name_status,new_display_name,new_name_status",
        )
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<DisplayNameStatus, Error> {
        parse_json("display name status", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}
