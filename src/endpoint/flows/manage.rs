//! Creating, editing, uploading, listing, reading, publishing, deprecating and deleting Flows.

use super::{
    FLOW_JSON_MAX_BYTES, FlowAsset, FlowCategory, FlowInfo, FlowPreview, FlowValidationError,
};
use crate::endpoint::media::multipart_request;
use crate::endpoint::paging::{ListQuery, Page, Paginated, list_query_setters, parse_page};
use crate::endpoint::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::{DecodeError, Error, ValidationError, Violation};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use url::Url;

/// `<base>/<version>/<FLOW_ID>/<rest...>`, refusing an empty id.
pub(super) fn flow_url(ctx: &ApiContext, id: &str, rest: &[&str]) -> Result<Url, Error> {
    if id.trim().is_empty() {
        return Err(ValidationError::new("flow_id", Violation::Empty).into());
    }
    let mut segments = vec![id];
    segments.extend_from_slice(rest);
    ctx.url(&segments)
}

fn check_name(name: &str) -> Result<(), ValidationError> {
    if name.trim().is_empty() {
        return Err(ValidationError::new("name", Violation::Empty));
    }
    Ok(())
}

fn check_categories(categories: &[FlowCategory]) -> Result<(), ValidationError> {
    if categories.is_empty() {
        return Err(ValidationError::new(
            "categories",
            Violation::TooFew { min: 1, actual: 0 },
        ));
    }
    Ok(())
}

/// Creates a Flow, or clones one: `POST /<WABA_ID>/flows`.
///
/// The new Flow is a `DRAFT`. With [`flow_json`](CreateFlow::flow_json) the JSON is uploaded in the
/// same call, and [`publish`](CreateFlow::publish) publishes it when it has no validation errors.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::flows::{CreateFlow, FlowCategory};
///
/// let ctx = ApiContext::without_phone_number("token").with_waba_id("102290129340398");
/// let clone = CreateFlow::new("survey_v2", [FlowCategory::Survey]).clone_flow_id("1184826846258457");
/// let request = clone.to_request(&ctx)?;
/// assert_eq!(request.body().as_slice(), br#"{"name":"survey_v2","categories":["SURVEY"],"clone_flow_id":"1184826846258457"}"#);
/// // No category at all is refused before sending.
/// assert!(CreateFlow::new("survey", []).to_request(&ctx).is_err());
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateFlow {
    name: String,
    categories: Vec<FlowCategory>,
    flow_json: Option<String>,
    publish: Option<bool>,
    clone_flow_id: Option<String>,
    endpoint_uri: Option<String>,
}

impl CreateFlow {
    /// A Flow named `name` in `categories` (at least one).
    pub fn new(
        name: impl Into<String>,
        categories: impl IntoIterator<Item = FlowCategory>,
    ) -> Self {
        Self {
            name: name.into(),
            categories: categories.into_iter().collect(),
            flow_json: None,
            publish: None,
            clone_flow_id: None,
            endpoint_uri: None,
        }
    }

    /// Uploads this Flow JSON (its text) with the creation.
    pub fn flow_json(mut self, json: impl Into<String>) -> Self {
        self.flow_json = Some(json.into());
        self
    }

    /// Publishes the Flow right away (needs [`flow_json`](Self::flow_json) without errors).
    pub fn publish(mut self, publish: bool) -> Self {
        self.publish = Some(publish);
        self
    }

    /// Starts from a copy of this existing Flow.
    pub fn clone_flow_id(mut self, flow_id: impl Into<String>) -> Self {
        self.clone_flow_id = Some(flow_id.into());
        self
    }

    /// The URL of the Flow's data endpoint.
    pub fn endpoint_uri(mut self, uri: impl Into<String>) -> Self {
        self.endpoint_uri = Some(uri.into());
        self
    }

    /// Checks the request against Meta's rules.
    ///
    /// # Errors
    /// An empty name, no category, `publish` without `flow_json`, a `flow_json` over 10 MB.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_name(&self.name)?;
        check_categories(&self.categories)?;
        if let Some(json) = &self.flow_json {
            check_flow_json_size(json.len())?;
        }
        if self.publish == Some(true) && self.flow_json.is_none() {
            return Err(ValidationError::new("flow_json", Violation::Missing));
        }
        if self
            .clone_flow_id
            .as_deref()
            .is_some_and(|id| id.trim().is_empty())
        {
            return Err(ValidationError::new("clone_flow_id", Violation::Empty));
        }
        Ok(())
    }
}

/// Meta's answer to [`CreateFlow`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreatedFlow {
    /// The new Flow's id.
    pub id: String,
    /// Whether Meta reports success.
    #[serde(default)]
    pub success: Option<bool>,
    /// Problems in the Flow JSON sent with the creation.
    #[serde(default)]
    pub validation_errors: Vec<FlowValidationError>,
}

impl Endpoint for CreateFlow {
    type Output = CreatedFlow;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = ctx.url(&[ctx.require_waba_id()?.as_str(), "flows"])?;
        ctx.json_request(http::Method::POST, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<CreatedFlow, Error> {
        parse_json("Flow creation", response)
    }
}

/// Changes a Flow's name, categories, endpoint or app: `POST /<FLOW_ID>`.
///
/// Editing a published Flow returns it to `DRAFT`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::flows::UpdateFlowMetadata;
///
/// let ctx = ApiContext::without_phone_number("token");
/// let update = UpdateFlowMetadata::new("1184826846258457").endpoint_uri("https://example.com/flow");
/// let request = update.to_request(&ctx)?;
/// assert_eq!(request.body().as_slice(), br#"{"endpoint_uri":"https://example.com/flow"}"#);
/// // Nothing to change is refused.
/// assert!(UpdateFlowMetadata::new("1184826846258457").to_request(&ctx).is_err());
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateFlowMetadata {
    #[serde(skip)]
    id: String,
    name: Option<String>,
    categories: Option<Vec<FlowCategory>>,
    endpoint_uri: Option<String>,
    application_id: Option<String>,
}

impl UpdateFlowMetadata {
    /// Edits Flow `flow_id`; set at least one field.
    pub fn new(flow_id: impl Into<String>) -> Self {
        Self {
            id: flow_id.into(),
            name: None,
            categories: None,
            endpoint_uri: None,
            application_id: None,
        }
    }

    /// A new name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// New categories (at least one).
    pub fn categories(mut self, categories: impl IntoIterator<Item = FlowCategory>) -> Self {
        self.categories = Some(categories.into_iter().collect());
        self
    }

    /// A new data endpoint URL.
    pub fn endpoint_uri(mut self, uri: impl Into<String>) -> Self {
        self.endpoint_uri = Some(uri.into());
        self
    }

    /// The Meta app that owns the endpoint.
    pub fn application_id(mut self, id: impl Into<String>) -> Self {
        self.application_id = Some(id.into());
        self
    }

    /// Checks the request.
    ///
    /// # Errors
    /// Nothing to change, an empty name, an empty category list.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Some(name) = &self.name {
            check_name(name)?;
        }
        if let Some(categories) = &self.categories {
            check_categories(categories)?;
        }
        if self.name.is_none()
            && self.categories.is_none()
            && self.endpoint_uri.is_none()
            && self.application_id.is_none()
        {
            return Err(ValidationError::new(
                "name, categories, endpoint_uri or application_id",
                Violation::Missing,
            ));
        }
        Ok(())
    }
}

impl Endpoint for UpdateFlowMetadata {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = flow_url(ctx, &self.id, &[])?;
        ctx.json_request(http::Method::POST, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("Flow update", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

fn check_flow_json_size(len: usize) -> Result<(), ValidationError> {
    if len == 0 {
        return Err(ValidationError::new("file", Violation::Empty));
    }
    if len > FLOW_JSON_MAX_BYTES {
        return Err(ValidationError::new(
            "file",
            Violation::Invalid {
                value: format!("{len} bytes of Flow JSON"),
                expected: format!("at most {FLOW_JSON_MAX_BYTES} bytes (10 MB)"),
            },
        ));
    }
    Ok(())
}

/// Uploads (replaces) a Flow's JSON: `POST /<FLOW_ID>/assets`, multipart with `file`
/// (`application/json`, at most 10 MB), `name=flow.json` and `asset_type=FLOW_JSON`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::flows::UploadFlowJson;
///
/// let ctx = ApiContext::without_phone_number("token");
/// let upload = UploadFlowJson::new("1184826846258457", r#"{"version":"7.3","screens":[]}"#);
/// let request = upload.to_request(&ctx)?;
/// assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/1184826846258457/assets");
/// let response = http::Response::builder().status(200).body(br#"{"success":true,"validation_errors":[]}"#.to_vec())?;
/// assert!(upload.parse_response(response)?.validation_errors.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
#[must_use]
pub struct UploadFlowJson {
    id: String,
    json: Vec<u8>,
}

impl std::fmt::Debug for UploadFlowJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadFlowJson")
            .field("id", &self.id)
            .field("json_bytes", &self.json.len())
            .finish()
    }
}

impl UploadFlowJson {
    /// Uploads `json` (the Flow JSON text) to Flow `flow_id`.
    pub fn new(flow_id: impl Into<String>, json: impl Into<Vec<u8>>) -> Self {
        Self {
            id: flow_id.into(),
            json: json.into(),
        }
    }

    /// The Flow JSON bytes.
    pub fn json(&self) -> &[u8] {
        &self.json
    }
}

impl Endpoint for UploadFlowJson {
    type Output = FlowJsonUploaded;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        check_flow_json_size(self.json.len())?;
        let url = flow_url(ctx, &self.id, &["assets"])?;
        multipart_request(
            ctx,
            &url,
            &[("name", "flow.json"), ("asset_type", "FLOW_JSON")],
            "flow.json",
            "application/json",
            &self.json,
        )
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<FlowJsonUploaded, Error> {
        parse_json("Flow JSON upload", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Meta's answer to [`UploadFlowJson`]: the problems found in the JSON (empty when it is valid).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowJsonUploaded {
    /// Whether Meta stored the asset.
    #[serde(default)]
    pub success: bool,
    /// The problems in the JSON, with their positions.
    #[serde(default)]
    pub validation_errors: Vec<FlowValidationError>,
}

/// Lists the account's Flows: `GET /<WABA_ID>/flows`, paged.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::flows::ListFlows;
///
/// let ctx = ApiContext::without_phone_number("token").with_waba_id("102290129340398");
/// let request = ListFlows::new().fields(["id", "name", "status"]).limit(10).to_request(&ctx)?;
/// assert_eq!(request.uri().query(), Some("fields=id%2Cname%2Cstatus&limit=10"));
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct ListFlows {
    query: ListQuery,
}

impl ListFlows {
    /// Every Flow, first page, Meta's default fields.
    pub fn new() -> Self {
        Self::default()
    }

    list_query_setters!(fields, paging);
}

impl Endpoint for ListFlows {
    type Output = Page<ListFlows>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = ctx.url(&[ctx.require_waba_id()?.as_str(), "flows"])?;
        self.query.write(&mut url, &[], &[]);
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Page<ListFlows>, Error> {
        parse_page("Flow list", self, response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

impl Paginated for ListFlows {
    type Item = FlowInfo;

    fn with_after(&self, cursor: &str) -> Self {
        self.clone().after(cursor)
    }
}

/// Reads one Flow: `GET /<FLOW_ID>?fields=...`.
///
/// Without [`fields`](GetFlow::fields) Meta sends `id,name,status,categories,validation_errors`.
/// Other fields: `json_version`, `data_api_version`, `endpoint_uri`, `preview`,
/// `whatsapp_business_account`, `application`, `health_status`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::flows::GetFlow;
///
/// let ctx = ApiContext::without_phone_number("token");
/// let get = GetFlow::new("1184826846258457").fields(["name", "status"]).health_status_for("106540352242922");
/// let request = get.to_request(&ctx)?;
/// assert_eq!(request.uri().query(), Some("fields=name%2Cstatus%2Chealth_status.phone_number%28106540352242922%29"));
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetFlow {
    id: String,
    query: ListQuery,
}

impl GetFlow {
    /// Flow `flow_id`.
    pub fn new(flow_id: impl Into<String>) -> Self {
        Self {
            id: flow_id.into(),
            query: ListQuery::new(),
        }
    }

    list_query_setters!(fields);

    /// Adds `health_status.phone_number(<PHONE_NUMBER_ID>)`: whether the Flow can be sent from that
    /// number.
    pub fn health_status_for(mut self, phone_number_id: impl AsRef<str>) -> Self {
        let mut fields = self.query.field_names().to_vec();
        fields.push(format!(
            "health_status.phone_number({})",
            phone_number_id.as_ref()
        ));
        self.query = self.query.fields(fields);
        self
    }
}

impl Endpoint for GetFlow {
    type Output = FlowInfo;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = flow_url(ctx, &self.id, &[])?;
        self.query.write(&mut url, &[], &[]);
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<FlowInfo, Error> {
        parse_json("Flow", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// A Flow's web preview link: `GET /<FLOW_ID>?fields=preview.invalidate(false)`.
///
/// [`invalidate(true)`](GetFlowPreview::invalidate) mints a new URL, ending the old one.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::flows::GetFlowPreview;
///
/// let ctx = ApiContext::without_phone_number("token");
/// let preview = GetFlowPreview::new("1184826846258457");
/// assert_eq!(preview.to_request(&ctx)?.uri().query(), Some("fields=preview.invalidate%28false%29"));
/// let response = http::Response::builder().status(200).body(br#"{"preview":{"preview_url":"https://business.facebook.com/wa/manage/flows/55000/preview/?token=b9","expires_at":"2023-05-21T11:18:09+0000"},"id":"1184826846258457"}"#.to_vec())?;
/// assert!(preview.parse_response(response)?.preview_url.ends_with("token=b9"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetFlowPreview {
    id: String,
    invalidate: bool,
}

impl GetFlowPreview {
    /// The current preview link of Flow `flow_id`.
    pub fn new(flow_id: impl Into<String>) -> Self {
        Self {
            id: flow_id.into(),
            invalidate: false,
        }
    }

    /// Whether to replace the link with a new one.
    pub fn invalidate(mut self, invalidate: bool) -> Self {
        self.invalidate = invalidate;
        self
    }
}

#[derive(Deserialize)]
struct PreviewAnswer {
    preview: Option<FlowPreview>,
}

impl Endpoint for GetFlowPreview {
    type Output = FlowPreview;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = flow_url(ctx, &self.id, &[])?;
        url.query_pairs_mut().append_pair(
            "fields",
            &format!("preview.invalidate({})", self.invalidate),
        );
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<FlowPreview, Error> {
        let body = response.body().as_ref().to_vec();
        let answer: PreviewAnswer = parse_json("Flow preview", response)?;
        answer.preview.ok_or_else(|| {
            Error::Decode(DecodeError::new(
                "Flow preview",
                "the answer has no `preview` object",
                &body,
            ))
        })
    }

    fn idempotency(&self) -> Idempotency {
        if self.invalidate {
            Idempotency::NotIdempotent
        } else {
            Idempotency::Idempotent
        }
    }
}

/// Lists a Flow's assets (its Flow JSON, with a download URL): `GET /<FLOW_ID>/assets`, paged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct ListFlowAssets {
    id: String,
    query: ListQuery,
}

impl ListFlowAssets {
    /// The assets of Flow `flow_id`.
    pub fn new(flow_id: impl Into<String>) -> Self {
        Self {
            id: flow_id.into(),
            query: ListQuery::new(),
        }
    }

    list_query_setters!(fields, paging);
}

impl Endpoint for ListFlowAssets {
    type Output = Page<ListFlowAssets>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = flow_url(ctx, &self.id, &["assets"])?;
        self.query.write(&mut url, &[], &[]);
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Page<ListFlowAssets>, Error> {
        parse_page("Flow asset list", self, response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

impl Paginated for ListFlowAssets {
    type Item = FlowAsset;

    fn with_after(&self, cursor: &str) -> Self {
        self.clone().after(cursor)
    }
}

/// Defines a Flow action without a body that answers `{"success": true}`.
macro_rules! flow_action {
    ($(#[$meta:meta])* $name:ident, $method:ident, $segment:expr, $idempotency:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[must_use]
        pub struct $name {
            id: String,
        }

        impl $name {
            /// Acts on Flow `flow_id`.
            pub fn new(flow_id: impl Into<String>) -> Self {
                Self { id: flow_id.into() }
            }
        }

        impl Endpoint for $name {
            type Output = Success;

            fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
                let segment: &[&str] = $segment;
                let url = flow_url(ctx, &self.id, segment)?;
                ctx.empty_request(http::Method::$method, &url)
            }

            fn parse_response<B: AsRef<[u8]>>(
                &self,
                response: http::Response<B>,
            ) -> Result<Success, Error> {
                parse_json($what, response)
            }

            fn idempotency(&self) -> Idempotency {
                Idempotency::$idempotency
            }
        }
    };
}

flow_action!(
    /// Publishes a draft Flow: `POST /<FLOW_ID>/publish`. Meta refuses (error 139002) a Flow that is
    /// not a draft, has validation errors, or lacks what its endpoint needs.
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
    /// use whatsapp_cloud::endpoint::flows::PublishFlow;
    /// let request = PublishFlow::new("1184826846258457").to_request(&ApiContext::without_phone_number("t"))?;
    /// assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/1184826846258457/publish");
    /// # Ok::<(), whatsapp_cloud::Error>(())
    /// ```
    PublishFlow, POST, &["publish"], NotIdempotent, "Flow publication"
);

flow_action!(
    /// Deprecates a published Flow so it can no longer be sent: `POST /<FLOW_ID>/deprecate`
    /// (error 139003 when it cannot be).
    DeprecateFlow, POST, &["deprecate"], NotIdempotent, "Flow deprecation"
);

flow_action!(
    /// Deletes a draft Flow: `DELETE /<FLOW_ID>` (error 139004 for any other status).
    DeleteFlow, DELETE, &[], Idempotent, "Flow deletion"
);
