//! Every Cloud API call as a value: it builds an [`http::Request`] and parses an [`http::Response`].
//!
//! This is the sans-IO core. It does no networking, so it works with any HTTP client on any runtime
//! (or none). The `client` feature sends these same values with reqwest.
//!
//! ```
//! use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
//! use whatsapp_cloud::message::{Message, SendMessage};
//!
//! let ctx = ApiContext::new("EAAG-token", "106540352242922");
//! let send = SendMessage::new("+16315551234", Message::text("Hello!"));
//! let request = send.to_request(&ctx)?;
//! assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/106540352242922/messages");
//!
//! // Hand the request to any HTTP client, then parse its answer:
//! let response = http::Response::builder()
//!     .status(200)
//!     .body(br#"{"messaging_product":"whatsapp","contacts":[{"input":"+16315551234","wa_id":"16315551234"}],"messages":[{"id":"wamid.HBg"}]}"#.to_vec())?;
//! let sent = send.parse_response(response)?;
//! assert_eq!(sent.message_id().map(|id| id.as_str()), Some("wamid.HBg"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod analytics;
pub mod business_encryption;
pub mod business_profile;
pub mod calls;
pub mod flows;
pub mod groups;
pub mod marketing;
pub mod media;
pub mod messages;
pub mod operations;
pub mod paging;
pub mod payments;
pub mod phone_numbers;
pub mod settings;
pub mod templates;
pub mod uploads;

use crate::error::{ApiError, DecodeError, Error, TransportError};
use crate::ids::{PhoneNumberId, WabaId};
use crate::secret::AccessToken;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::time::Duration;
use url::Url;

/// Meta's Graph API host.
pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com/";

/// The host of the few calls Meta documents on `api.facebook.com` rather than the Graph API host
/// (template archive and unarchive, Meta's "Template archival"). Its paths carry no version.
pub const DEFAULT_API_FACEBOOK_URL: &str = "https://api.facebook.com/";

/// The Graph API version used unless another is configured (introduced Jul 29, 2026).
pub const DEFAULT_API_VERSION: &str = "v26.0";

/// Where and as whom requests are made: base URL, API version, token, phone number id, account id.
///
/// Cheap to clone. [`ApiContext::with_phone_number_id`] and [`ApiContext::with_access_token`] give the
/// view of another tenant.
#[derive(Clone)]
pub struct ApiContext {
    base_url: Url,
    api_version: String,
    access_token: AccessToken,
    phone_number_id: Option<PhoneNumberId>,
    waba_id: Option<WabaId>,
    user_agent: String,
    /// The `api.facebook.com` host when set explicitly (see [`ApiContext::api_facebook_base_url`]).
    api_facebook_url: Option<Url>,
    /// The `Authorization` and `User-Agent` values and the messages URL, built once rather than
    /// per request.
    headers: HeaderCache,
    /// `<base>/<version>/<phone number id>/messages` (every message send), when a phone number id
    /// is set.
    messages_url: Option<MessagesUrl>,
}

/// The URL message sends go to, as a [`Url`] and as an [`http::Uri`].
#[derive(Clone)]
pub(crate) struct MessagesUrl {
    /// Read by the client (feature `client`), which sends by `Url`.
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) url: Url,
    pub(crate) uri: http::Uri,
}

impl fmt::Debug for ApiContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiContext")
            .field("base_url", &self.base_url)
            .field("api_version", &self.api_version)
            .field("access_token", &self.access_token)
            .field("phone_number_id", &self.phone_number_id)
            .field("waba_id", &self.waba_id)
            .field("user_agent", &self.user_agent)
            .field("api_facebook_url", &self.api_facebook_url)
            .finish()
    }
}

/// The header values every request carries; `None` where the text cannot be a header value (the
/// request builder then fails as it would with the text itself).
#[derive(Clone)]
struct HeaderCache {
    authorization: Option<http::HeaderValue>,
    user_agent: Option<http::HeaderValue>,
}

impl HeaderCache {
    fn new(token: &AccessToken, user_agent: &str) -> Self {
        Self {
            authorization: bearer(token),
            user_agent: http::HeaderValue::from_str(user_agent).ok(),
        }
    }
}

/// `Bearer <token>`, marked sensitive so `Debug` of a request (in transports, logs) never shows it.
fn bearer(token: &AccessToken) -> Option<http::HeaderValue> {
    let mut value =
        http::HeaderValue::try_from(format!("Bearer {}", token.expose_secret())).ok()?;
    value.set_sensitive(true);
    Some(value)
}

impl ApiContext {
    /// A context for Meta's API with the default version.
    pub fn new(
        access_token: impl Into<AccessToken>,
        phone_number_id: impl Into<PhoneNumberId>,
    ) -> Self {
        let access_token = access_token.into();
        let user_agent = default_user_agent();
        Self {
            base_url: default_base_url(),
            api_version: DEFAULT_API_VERSION.to_owned(),
            headers: HeaderCache::new(&access_token, &user_agent),
            access_token,
            phone_number_id: Some(phone_number_id.into()),
            waba_id: None,
            user_agent,
            api_facebook_url: None,
            messages_url: None,
        }
        .with_messages_url()
    }

    /// A context without a phone number id (for account-level calls such as template management).
    pub fn without_phone_number(access_token: impl Into<AccessToken>) -> Self {
        let access_token = access_token.into();
        let user_agent = default_user_agent();
        Self {
            base_url: default_base_url(),
            api_version: DEFAULT_API_VERSION.to_owned(),
            headers: HeaderCache::new(&access_token, &user_agent),
            access_token,
            phone_number_id: None,
            waba_id: None,
            user_agent,
            api_facebook_url: None,
            messages_url: None,
        }
    }

    /// Points requests at another base URL (a fake server in tests, a proxy). Unless
    /// [`ApiContext::with_api_facebook_url`] says otherwise, the calls Meta documents on
    /// `api.facebook.com` go there too.
    ///
    /// # Errors
    /// [`Error::Config`] when the URL does not parse or cannot be a base (`mailto:`, `data:`).
    pub fn with_base_url(mut self, base_url: &str) -> Result<Self, Error> {
        self.base_url = parse_base_url(base_url)?;
        Ok(self.with_messages_url())
    }

    /// Uses another Graph API version, such as `"v25.0"`.
    ///
    /// # Errors
    /// [`Error::Config`] unless the version looks like `v<major>.<minor>`.
    pub fn with_api_version(mut self, version: impl Into<String>) -> Result<Self, Error> {
        let version = version.into();
        check_api_version(&version)?;
        self.api_version = version;
        Ok(self.with_messages_url())
    }

    /// Uses another access token (another tenant).
    pub fn with_access_token(mut self, token: impl Into<AccessToken>) -> Self {
        self.access_token = token.into();
        self.headers.authorization = bearer(&self.access_token);
        self
    }

    /// Sends from another business phone number.
    pub fn with_phone_number_id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.phone_number_id = Some(id.into());
        self.with_messages_url()
    }

    /// Sets the WhatsApp Business Account id (template management).
    pub fn with_waba_id(mut self, id: impl Into<WabaId>) -> Self {
        self.waba_id = Some(id.into());
        self
    }

    /// Sets the `User-Agent` header.
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self.headers.user_agent = http::HeaderValue::from_str(&self.user_agent).ok();
        self
    }

    /// Points the calls Meta documents on `api.facebook.com` (template archive and unarchive) at
    /// another URL.
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::ApiContext;
    /// let ctx = ApiContext::without_phone_number("token");
    /// assert_eq!(ctx.api_facebook_base_url().as_str(), "https://api.facebook.com/");
    /// let faked = ctx.with_base_url("http://127.0.0.1:9000/")?;
    /// assert_eq!(faked.api_facebook_base_url().as_str(), "http://127.0.0.1:9000/");
    /// let split = faked.with_api_facebook_url("http://127.0.0.1:9001/")?;
    /// assert_eq!(split.api_facebook_base_url().as_str(), "http://127.0.0.1:9001/");
    /// # Ok::<(), whatsapp_cloud::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Config`] when the URL does not parse or cannot be a base.
    pub fn with_api_facebook_url(mut self, base_url: &str) -> Result<Self, Error> {
        self.api_facebook_url = Some(parse_base_url(base_url)?);
        Ok(self)
    }

    /// Where the `api.facebook.com` calls go: the URL set with
    /// [`ApiContext::with_api_facebook_url`]; otherwise [`DEFAULT_API_FACEBOOK_URL`] while the base
    /// URL is Meta's Graph API host, and the base URL itself when it points elsewhere (a fake
    /// server, a proxy).
    pub fn api_facebook_base_url(&self) -> std::borrow::Cow<'_, Url> {
        match &self.api_facebook_url {
            Some(url) => std::borrow::Cow::Borrowed(url),
            None if self.base_url.as_str() == DEFAULT_BASE_URL => {
                std::borrow::Cow::Owned(default_api_facebook_url())
            }
            None => std::borrow::Cow::Borrowed(&self.base_url),
        }
    }

    /// `<api.facebook.com base>/<segments...>` (no version, as Meta's examples show), each segment
    /// percent-encoded.
    ///
    /// # Errors
    /// [`Error::Config`] if the URL cannot take path segments.
    pub fn api_facebook_url(&self, segments: &[&str]) -> Result<Url, Error> {
        let mut url = self.api_facebook_base_url().into_owned();
        {
            let mut path = url
                .path_segments_mut()
                .map_err(|()| Error::config("the api.facebook.com URL cannot be a base"))?;
            path.pop_if_empty();
            for segment in segments {
                path.push(segment);
            }
        }
        Ok(url)
    }

    /// The base URL.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The Graph API version.
    pub fn api_version(&self) -> &str {
        &self.api_version
    }

    /// The access token.
    pub fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    /// The phone number id, if set.
    pub fn phone_number_id(&self) -> Option<&PhoneNumberId> {
        self.phone_number_id.as_ref()
    }

    /// The WhatsApp Business Account id, if set.
    pub fn waba_id(&self) -> Option<&WabaId> {
        self.waba_id.as_ref()
    }

    /// The `User-Agent` header.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// The phone number id, or a configuration error naming what needed it.
    ///
    /// # Errors
    /// [`Error::Config`] when no phone number id is set.
    pub fn require_phone_number_id(&self) -> Result<&PhoneNumberId, Error> {
        self.phone_number_id
            .as_ref()
            .ok_or_else(|| Error::config("a phone number id is required for this request"))
    }

    /// The WhatsApp Business Account id, or a configuration error.
    ///
    /// # Errors
    /// [`Error::Config`] when no account id is set.
    pub fn require_waba_id(&self) -> Result<&WabaId, Error> {
        self.waba_id.as_ref().ok_or_else(|| {
            Error::config("a WhatsApp Business Account id (waba_id) is required for this request")
        })
    }

    /// This context with its messages URL built for its base, version and phone number id.
    fn with_messages_url(mut self) -> Self {
        self.messages_url = self.phone_number_id.as_ref().and_then(|phone| {
            let url = self.url(&[phone.as_str(), "messages"]).ok()?;
            let uri = http::Uri::try_from(url.as_str()).ok()?;
            Some(MessagesUrl { url, uri })
        });
        self
    }

    /// `<base>/<version>/<phone number id>/messages`, built once per context.
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) fn messages_url(&self) -> Option<&MessagesUrl> {
        self.messages_url.as_ref()
    }

    /// A JSON `POST` to `<base>/<version>/<phone number id>/messages`.
    ///
    /// # Errors
    /// As [`ApiContext::json_request`], and [`Error::Config`] without a phone number id.
    pub(crate) fn messages_request<T: Serialize + ?Sized>(
        &self,
        body: &T,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let (Some(messages), Some(authorization), Some(user_agent)) = (
            &self.messages_url,
            &self.headers.authorization,
            &self.headers.user_agent,
        ) else {
            // No phone number id, or a token or user agent that cannot be a header: the general
            // path names the problem.
            let url = self.url(&[self.require_phone_number_id()?.as_str(), "messages"])?;
            return self.json_request(http::Method::POST, &url, body);
        };
        // The same request as `json_request` builds, put together directly from the parts built
        // once per context.
        let mut headers = http::HeaderMap::with_capacity(3);
        headers.insert(http::header::AUTHORIZATION, authorization.clone());
        headers.insert(http::header::USER_AGENT, user_agent.clone());
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        let mut request = http::Request::new(json_body(body)?);
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = messages.uri.clone();
        *request.headers_mut() = headers;
        Ok(request)
    }

    /// `<base>/<version>/<segments...>`, each segment percent-encoded.
    ///
    /// # Errors
    /// [`Error::Config`] if the base URL cannot take path segments (checked at construction).
    pub fn url(&self, segments: &[&str]) -> Result<Url, Error> {
        let mut url = self.base_url.clone();
        {
            let mut path = url
                .path_segments_mut()
                .map_err(|()| Error::config("the base URL cannot be a base"))?;
            path.pop_if_empty();
            path.push(&self.api_version);
            for segment in segments {
                path.push(segment);
            }
        }
        Ok(url)
    }

    /// A request builder with the bearer token and user agent set.
    pub fn request_builder(&self, method: http::Method, url: &Url) -> http::request::Builder {
        let builder = http::Request::builder().method(method).uri(url.as_str());
        let builder = match &self.headers.authorization {
            Some(bearer) => builder.header(http::header::AUTHORIZATION, bearer.clone()),
            // An invalid token (a newline, say): the builder fails with a header error that does
            // not quote the value.
            None => builder.header(http::header::AUTHORIZATION, "\n"),
        };
        match &self.headers.user_agent {
            Some(user_agent) => builder.header(http::header::USER_AGENT, user_agent.clone()),
            None => builder.header(http::header::USER_AGENT, &self.user_agent),
        }
    }

    /// The error for a request that `http` refused to build: the token's problem when it has one
    /// (the usual cause), else `http`'s message, which never contains header values.
    pub(crate) fn request_build_error(&self, e: http::Error) -> Error {
        match self.access_token.header_problem() {
            Some(problem) => Error::config(problem),
            None => Error::config(format!("the request could not be built: {e}")),
        }
    }

    /// A request with a JSON body.
    ///
    /// # Errors
    /// [`Error::Config`] if the token or URL cannot be used in a header; serialization never fails for
    /// this crate's types.
    pub fn json_request<T: Serialize + ?Sized>(
        &self,
        method: http::Method,
        url: &Url,
        body: &T,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.request_builder(method, url)
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(json_body(body)?)
            .map_err(|e| self.request_build_error(e))
    }

    /// A request without a body.
    ///
    /// # Errors
    /// [`Error::Config`] if the token cannot be used in a header.
    pub fn empty_request(
        &self,
        method: http::Method,
        url: &Url,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.request_builder(method, url)
            .body(Vec::new())
            .map_err(|e| self.request_build_error(e))
    }
}

/// How safe a request is to send again when its outcome is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Idempotency {
    /// Reads, deletes and updates that give the same result when repeated.
    Idempotent,
    /// Sends and uploads: a repeat may deliver a message twice.
    NotIdempotent,
}

/// One Cloud API call: builds the request and parses the response.
pub trait Endpoint {
    /// The typed result of a successful call.
    type Output;

    /// Builds the HTTP request.
    ///
    /// # Errors
    /// [`Error::Validation`] when the request breaks one of Meta's limits, [`Error::Config`] when the
    /// context lacks what the call needs.
    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error>;

    /// Parses Meta's answer.
    ///
    /// # Errors
    /// [`Error::Api`] for an error status, [`Error::Decode`] for a success body of the wrong shape.
    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Self::Output, Error>;

    /// Whether the call may be repeated when its outcome is unknown.
    fn idempotency(&self) -> Idempotency {
        Idempotency::NotIdempotent
    }

    /// The user a message goes to, for calls that send one: the client paces by it (Meta's pair rate
    /// limit) and backs off only that user on error 131056.
    fn recipient(&self) -> Option<&crate::ids::Recipient> {
        None
    }

    /// What kind of message this call sends (free-form or template), for a client's send policy
    /// (the 24-hour window, marketing opt-outs); `None` for calls that send no message.
    fn outgoing(&self) -> Option<crate::policy::Outgoing<'_>> {
        None
    }

    /// Builds the request, hands it to `send` (any HTTP client), and parses the answer.
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
    /// use whatsapp_cloud::message::{Message, SendMessage};
    ///
    /// let ctx = ApiContext::new("token", "1065");
    /// let sent = SendMessage::new("15551234567", Message::text("hi")).send_with(&ctx, |request| {
    ///     assert_eq!(request.method(), http::Method::POST);
    ///     http::Response::builder()
    ///         .status(200)
    ///         .body(br#"{"messaging_product":"whatsapp","messages":[{"id":"wamid.1"}]}"#.to_vec())
    /// })?;
    /// assert_eq!(sent.messages[0].id.as_str(), "wamid.1");
    /// # Ok::<(), whatsapp_cloud::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Endpoint::to_request`] and [`Endpoint::parse_response`], plus [`Error::Transport`] when
    /// `send` fails.
    fn send_with<F, B, E>(&self, ctx: &ApiContext, send: F) -> Result<Self::Output, Error>
    where
        Self: Sized,
        F: FnOnce(http::Request<Vec<u8>>) -> Result<http::Response<B>, E>,
        B: AsRef<[u8]>,
        E: std::error::Error + Send + Sync + 'static,
    {
        let request = self.to_request(ctx)?;
        let response = send(request).map_err(|e| {
            Error::Transport(TransportError::new(
                "the transport failed",
                self.idempotency() == Idempotency::NotIdempotent,
                Some(Box::new(e)),
            ))
        })?;
        self.parse_response(response)
    }
}

/// Parses a JSON success body into `T`, or the error body into [`ApiError`].
///
/// # Errors
/// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for a 2xx body that is not a `T`.
pub fn parse_json<T: DeserializeOwned, B: AsRef<[u8]>>(
    what: &'static str,
    response: http::Response<B>,
) -> Result<T, Error> {
    let response = check_status(response)?;
    let body = response.body().as_ref();
    serde_json::from_slice(body)
        .map_err(|e| Error::Decode(DecodeError::new(what, e.to_string(), body)))
}

/// Passes a 2xx response through; turns any other into [`Error::Api`].
///
/// # Errors
/// [`Error::Api`] for a non-2xx status.
pub fn check_status<B: AsRef<[u8]>>(
    response: http::Response<B>,
) -> Result<http::Response<B>, Error> {
    if response.status().is_success() {
        return Ok(response);
    }
    let retry_after = retry_after(response.headers());
    Err(Error::from(ApiError::from_response(
        response.status().as_u16(),
        retry_after,
        response.body().as_ref(),
    )))
}

/// The `Retry-After` header in seconds (the HTTP-date form is not used by Meta and is ignored).
pub fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// `{"success": true}` answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize)]
#[non_exhaustive]
pub struct Success {
    /// Whether Meta reports success.
    pub success: bool,
}

fn default_api_facebook_url() -> Url {
    // A constant that parses; covered by tests.
    Url::parse(DEFAULT_API_FACEBOOK_URL)
        .unwrap_or_else(|_| unreachable!("DEFAULT_API_FACEBOOK_URL is a valid URL"))
}

fn default_base_url() -> Url {
    // A constant that parses; covered by tests.
    Url::parse(DEFAULT_BASE_URL).unwrap_or_else(|_| unreachable!("DEFAULT_BASE_URL is a valid URL"))
}

/// `body` as JSON.
fn json_body<T: Serialize + ?Sized>(body: &T) -> Result<Vec<u8>, Error> {
    // Room for a typical message in one allocation (`to_vec` starts at 128 bytes and grows).
    let mut bytes = Vec::with_capacity(512);
    serde_json::to_writer(&mut bytes, body)
        .map_err(|e| Error::config(format!("request body could not be serialized: {e}")))?;
    Ok(bytes)
}

fn default_user_agent() -> String {
    concat!("whatsapp-cloud-rust/", env!("CARGO_PKG_VERSION")).to_owned()
}

pub(crate) fn parse_base_url(base_url: &str) -> Result<Url, Error> {
    let url = Url::parse(base_url)
        .map_err(|e| Error::config(format!("base URL {base_url:?} is not a valid URL: {e}")))?;
    if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
        return Err(Error::config(format!(
            "base URL {base_url:?} must be an http or https URL"
        )));
    }
    Ok(url)
}

pub(crate) fn check_api_version(version: &str) -> Result<(), Error> {
    let ok = version
        .strip_prefix('v')
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(major, minor)| {
            !major.is_empty()
                && !minor.is_empty()
                && major.bytes().all(|b| b.is_ascii_digit())
                && minor.bytes().all(|b| b.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else {
        Err(Error::config(format!(
            "API version {version:?} is not of the form v<major>.<minor>, such as {DEFAULT_API_VERSION}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_messages_url_follows_every_change_of_the_context() {
        let body = serde_json::json!({"messaging_product": "whatsapp"});
        let check = |ctx: &ApiContext| {
            let url = ctx
                .url(&[ctx.require_phone_number_id().unwrap().as_str(), "messages"])
                .unwrap();
            let expected = ctx.json_request(http::Method::POST, &url, &body).unwrap();
            let built = ctx.messages_request(&body).unwrap();
            assert_eq!(built.uri(), expected.uri());
            assert_eq!(built.uri().to_string(), url.as_str());
            assert_eq!(built.method(), expected.method());
            assert_eq!(built.headers(), expected.headers());
            assert_eq!(built.body(), expected.body());
            assert_eq!(ctx.messages_url().map(|m| &m.url), Some(&url));
        };
        let ctx = ApiContext::new("t", "1");
        check(&ctx);
        let ctx = ctx.with_base_url("http://127.0.0.1:8080/proxy/").unwrap();
        check(&ctx);
        let ctx = ctx.with_api_version("v25.0").unwrap();
        check(&ctx);
        let ctx = ctx.with_phone_number_id("2/3").with_access_token("t2");
        check(&ctx);
        assert!(
            ctx.messages_url()
                .unwrap()
                .url
                .as_str()
                .ends_with("/proxy/v25.0/2%2F3/messages")
        );
        let none = ApiContext::without_phone_number("t");
        assert!(none.messages_url().is_none());
        let e = none.messages_request(&body).unwrap_err();
        assert!(e.to_string().contains("phone number id"), "{e}");
        // A token that cannot be a header fails as the general path fails, without the token.
        let bad = ApiContext::new("EAA\nsecret", "1");
        let url = bad.url(&["1", "messages"]).unwrap();
        let e = bad.messages_request(&body).unwrap_err().to_string();
        let general = bad.json_request(http::Method::POST, &url, &body);
        assert_eq!(e, general.unwrap_err().to_string());
        assert!(e.contains("line break") && !e.contains("secret"), "{e}");
    }

    #[test]
    fn url_keeps_a_base_path_and_encodes_segments() {
        let ctx = ApiContext::new("t", "1")
            .with_base_url("http://127.0.0.1:8080/proxy/")
            .unwrap();
        assert_eq!(
            ctx.url(&["1", "messages"]).unwrap().as_str(),
            "http://127.0.0.1:8080/proxy/v26.0/1/messages"
        );
        let ctx = ctx.with_base_url("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            ctx.url(&["a/b"]).unwrap().as_str(),
            "http://127.0.0.1:8080/v26.0/a%2Fb"
        );
    }

    #[test]
    fn bad_configuration_is_refused() {
        let ctx = ApiContext::new("t", "1");
        assert!(ctx.clone().with_base_url("not a url").is_err());
        assert!(ctx.clone().with_base_url("mailto:a@b.c").is_err());
        assert!(ctx.clone().with_api_version("26").is_err());
        assert!(ctx.with_api_version("v25.0").is_ok());
    }

    #[test]
    fn default_base_url_parses() {
        assert_eq!(default_base_url().as_str(), DEFAULT_BASE_URL);
    }

    #[test]
    fn api_facebook_urls_have_no_version() {
        assert_eq!(
            default_api_facebook_url().as_str(),
            DEFAULT_API_FACEBOOK_URL
        );
        let ctx = ApiContext::without_phone_number("t");
        assert_eq!(
            ctx.api_facebook_url(&["1", "message_templates", "archive"])
                .unwrap()
                .as_str(),
            "https://api.facebook.com/1/message_templates/archive"
        );
        let proxied = ctx.with_base_url("http://127.0.0.1:8080/proxy/").unwrap();
        assert_eq!(
            proxied.api_facebook_url(&["1", "x"]).unwrap().as_str(),
            "http://127.0.0.1:8080/proxy/1/x"
        );
    }

    #[test]
    fn the_bearer_header_is_sensitive_and_hidden_from_debug() {
        let ctx = ApiContext::new("EAAG-very-secret", "1");
        let url = ctx.url(&["1", "messages"]).unwrap();
        let request = ctx.empty_request(http::Method::GET, &url).unwrap();
        let bearer = request.headers().get(http::header::AUTHORIZATION).unwrap();
        assert!(bearer.is_sensitive());
        assert_eq!(bearer, "Bearer EAAG-very-secret");
        assert!(!format!("{request:?}").contains("very-secret"));
    }

    #[test]
    fn a_token_that_cannot_be_a_header_is_a_config_error_without_the_token() {
        let ctx = ApiContext::new("bad\ntoken-secret", "1");
        let url = ctx.url(&["1", "messages"]).unwrap();
        let err = ctx.empty_request(http::Method::GET, &url).unwrap_err();
        assert!(matches!(err, Error::Config(_)));
        assert!(!err.to_string().contains("token-secret"));
    }

    #[test]
    fn retry_after_seconds_are_read() {
        let mut h = http::HeaderMap::new();
        h.insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from_static("7"),
        );
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
    }
}
