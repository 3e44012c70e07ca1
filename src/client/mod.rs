//! The async client (feature `client`): sends any [`Endpoint`] over reqwest, with retries and pacing.
//!
//! ```no_run
//! # async fn run() -> Result<(), whatsapp_cloud::Error> {
//! use whatsapp_cloud::Client;
//! use whatsapp_cloud::message::{Message, SendMessage};
//!
//! let client = Client::builder()
//!     .access_token("EAAG...")
//!     .phone_number_id("106540352242922")
//!     .build()?;
//! let sent = client.send(&SendMessage::new("+16315551234", Message::text("Hello!"))).await?;
//! println!("accepted as {:?}", sent.message_id());
//! # Ok(()) }
//! ```
//!
//! - [`Client::send`] sends any endpoint, retrying what is safe to retry ([`RetryPolicy`], from
//!   [`crate::retry`], which the client does not re-export: one path per type); message
//!   sends are also paced: the number's throughput and the recipient's pair rate ([`crate::policy::pacing`]).
//! - [`Client::send_message`] is `send` for a [`SendMessage`].
//! - [`Client::send_batch`] sends many messages concurrently within those limits.
//! - [`Client::for_tenant`] is a view for another business number and token over the same
//!   connection pool.

mod analytics;
#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod builder;
mod calling;
mod flows;
mod groups;
mod marketing;
mod media;
mod operations;
mod paging;
mod payments;
mod run;
mod shared_pacing;
mod templates;
mod timer;
mod uploads;

pub use builder::ClientBuilder;
pub use timer::{ManualTimer, Sleep, SystemTimer, Timer};
pub use uploads::{DEFAULT_UPLOAD_CHUNK_SIZE, UploadSource};

use crate::endpoint::messages::SendResponse;
use crate::endpoint::{ApiContext, Endpoint, Idempotency};
use crate::error::{Error, TimeoutError, TransportError};
use crate::ids::{PhoneNumberId, Recipient, WabaId};
use crate::message::SendMessage;
use crate::policy::{Pacer, PacingConfig, SendPolicy, UserKey, unix_seconds};
use crate::retry::{RetryEvent, RetryPolicy, Step};
use crate::secret::AccessToken;
use futures_util::StreamExt;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use run::{RequestInfo, Run};

/// A callback that sees every failed attempt.
pub(crate) type RetryHook = Arc<dyn Fn(&RetryEvent<'_>) + Send + Sync>;

/// The WhatsApp Cloud API client.
///
/// Cheap to clone: clones share one connection pool, retry policy, timer and pacing state.
/// [`Client::for_tenant`] gives a view with another phone number id and token over the same pool.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    ctx: Arc<ApiContext>,
    shared: Arc<Shared>,
    /// The send policy of this view (window and opt-out state belong to one business number).
    send_policy: Option<SharedPolicy>,
    /// The per-request timeout (`None`: a user-supplied HTTP client's own), also read by media
    /// streaming.
    timeout: Option<Duration>,
}

/// A send policy as a client holds it: shared, thread-safe, any implementation (such as an
/// `Arc<SendGuard<..>>`, which coerces to it).
pub type SharedPolicy = Arc<dyn SendPolicy + Send + Sync>;

/// Asks `policy`, if any, whether `endpoint`'s message may go out now; returns the user to report a
/// successful send for.
pub(crate) async fn check_send_policy<E: Endpoint>(
    policy: Option<&SharedPolicy>,
    endpoint: &E,
) -> Result<Option<UserKey>, Error> {
    let (Some(policy), Some(to), Some(what)) = (policy, endpoint.recipient(), endpoint.outgoing())
    else {
        return Ok(None);
    };
    let Some(key) = UserKey::from_recipient(to) else {
        return Ok(None);
    };
    policy
        .check(&key, &what, unix_seconds(SystemTime::now()))
        .await?;
    Ok(Some(key))
}

/// Tells `policy` a message reached Meta. A store that fails is logged: the message was sent.
pub(crate) async fn record_sent(policy: Option<&SharedPolicy>, key: Option<UserKey>) {
    if let (Some(policy), Some(key)) = (policy, key)
        && let Err(error) = policy
            .record_sent(&key, unix_seconds(SystemTime::now()))
            .await
    {
        tracing::warn!(recipient = %key, %error, "the send policy could not record a sent message");
    }
}

/// What clones and tenant views of one client share.
pub(crate) struct Shared {
    pub(crate) policy: RetryPolicy,
    pub(crate) pacing: Option<PacingConfig>,
    pub(crate) timer: Arc<dyn Timer>,
    pub(crate) on_retry: Option<RetryHook>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) batch_concurrency: usize,
    /// One pacer per business phone number (throughput is per number).
    pacers: Mutex<HashMap<String, Arc<Mutex<Pacer>>>>,
    /// A pacer shared with other processes, which replaces the local ones (async client only).
    pub(crate) shared_pacing: Option<shared_pacing::SharedPacing>,
}

impl Shared {
    pub(crate) fn new(
        policy: RetryPolicy,
        pacing: Option<PacingConfig>,
        timer: Arc<dyn Timer>,
        on_retry: Option<RetryHook>,
        timeout: Option<Duration>,
        batch_concurrency: usize,
    ) -> Self {
        Self {
            policy,
            pacing,
            timer,
            on_retry,
            timeout,
            batch_concurrency: batch_concurrency.max(1),
            pacers: Mutex::new(HashMap::new()),
            shared_pacing: None,
        }
    }

    /// The pacer of the number `ctx` sends from, when pacing is on.
    pub(crate) fn pacer(&self, ctx: &ApiContext) -> Option<Arc<Mutex<Pacer>>> {
        if self.shared_pacing.is_some() {
            return None;
        }
        let config = self.pacing.as_ref()?;
        let number = ctx.phone_number_id()?.as_str();
        let mut pacers = lock(&self.pacers);
        if let Some(pacer) = pacers.get(number) {
            return Some(pacer.clone());
        }
        Some(
            pacers
                .entry(number.to_owned())
                .or_insert_with(|| Arc::new(Mutex::new(Pacer::new(config.clone()))))
                .clone(),
        )
    }
}

/// A request ready to be sent any number of times.
pub(crate) struct Prepared {
    pub(crate) method: http::Method,
    pub(crate) url: url::Url,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: bytes::Bytes,
}

impl Prepared {
    /// The request as the client sends it; `ctx` is the context it was made from.
    pub(crate) fn new(request: http::Request<Vec<u8>>, ctx: &ApiContext) -> Result<Self, Error> {
        let (parts, body) = request.into_parts();
        let url = match ctx.messages_url() {
            Some(messages) if messages.uri == parts.uri => messages.url.clone(),
            _ => request_url(&parts.uri, ctx.base_url())?,
        };
        Ok(Self {
            method: parts.method,
            url,
            headers: parts.headers,
            body: bytes::Bytes::from(body),
        })
    }

    /// What the run tells about this request.
    pub(crate) fn info<'a>(&'a self, recipient: Option<&'a str>) -> RequestInfo<'a> {
        RequestInfo {
            method: &self.method,
            path: self.url.path(),
            recipient,
        }
    }

    fn to_reqwest(&self, timeout: Option<Duration>) -> reqwest::Request {
        let mut request = reqwest::Request::new(self.method.clone(), self.url.clone());
        *request.headers_mut() = self.headers.clone();
        if !self.body.is_empty() {
            *request.body_mut() = Some(reqwest::Body::from(self.body.clone()));
        }
        *request.timeout_mut() = timeout;
        request
    }
}

/// The URL of a request to `uri`. A request on `base`'s scheme and authority (every API call) takes
/// `base` with the request's path and query, without parsing and normalising the host again; any
/// other (a media download URL, say) is parsed whole.
fn request_url(uri: &http::Uri, base: &url::Url) -> Result<url::Url, Error> {
    let same_origin = uri.scheme_str() == Some(base.scheme())
        && uri.authority().map(http::uri::Authority::as_str) == Some(base.authority());
    if same_origin && let Some(path_and_query) = uri.path_and_query() {
        let mut url = base.clone();
        url.set_path(path_and_query.path());
        url.set_query(path_and_query.query());
        url.set_fragment(None);
        return Ok(url);
    }
    url::Url::parse(&uri.to_string())
        .map_err(|e| Error::config(format!("the request URL is not valid: {e}")))
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // The guarded data stays consistent between statements, so a poisoned lock is still usable.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("context", &self.ctx)
            .field("retry", &self.shared.policy)
            .field("pacing", &self.shared.pacing)
            .field("timeout", &self.shared.timeout)
            .finish_non_exhaustive()
    }
}

/// One tenant of a multi-tenant app: a business phone number and the token to send from it.
///
/// ```
/// # fn f() -> Result<(), whatsapp_cloud::Error> {
/// use std::collections::HashMap;
/// use whatsapp_cloud::client::{Client, Tenant};
///
/// // Tenants routed by webhook URL, such as /webhook/whatsapp/{tenant}/{team}.
/// let tenants = HashMap::from([
///     ("acme", Tenant::new("106540352242922", "EAAG-acme")),
///     ("globex", Tenant::new("209876543210987", "EAAG-globex").waba_id("102290129340398")),
/// ]);
/// let client = Client::builder().access_token("EAAG-default").phone_number_id("1").build()?;
/// let globex = client.for_tenant(&tenants["globex"])?; // same connection pool
/// assert_eq!(globex.context().phone_number_id().map(|p| p.as_str()), Some("209876543210987"));
/// assert!(!format!("{:?}", tenants["acme"]).contains("EAAG-acme"));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Tenant {
    /// The business phone number id to send from.
    pub phone_number_id: PhoneNumberId,
    /// The token with access to that number (redacted in `Debug`).
    pub access_token: AccessToken,
    /// The tenant's WhatsApp Business Account id, for template management.
    pub waba_id: Option<WabaId>,
}

impl Tenant {
    /// A tenant sending from `phone_number_id` with `access_token`.
    pub fn new(
        phone_number_id: impl Into<PhoneNumberId>,
        access_token: impl Into<AccessToken>,
    ) -> Self {
        Self {
            phone_number_id: phone_number_id.into(),
            access_token: access_token.into(),
            waba_id: None,
        }
    }

    /// Sets the tenant's WhatsApp Business Account id.
    #[must_use]
    pub fn waba_id(mut self, id: impl Into<WabaId>) -> Self {
        self.waba_id = Some(id.into());
        self
    }

    /// The request context of this tenant on top of `base` (base URL, version, user agent).
    pub(crate) fn context(&self, base: &ApiContext) -> Result<ApiContext, Error> {
        if self.access_token.is_blank() {
            return Err(Error::config("the tenant's access token is blank"));
        }
        if let Some(problem) = self.access_token.header_problem() {
            return Err(Error::config(format!("tenant: {problem}")));
        }
        if self.phone_number_id.as_str().trim().is_empty() {
            return Err(Error::config("the tenant's phone number id is blank"));
        }
        let mut ctx = ApiContext::new(self.access_token.clone(), self.phone_number_id.clone())
            .with_base_url(base.base_url().as_str())?
            .with_api_version(base.api_version())?
            .with_user_agent(base.user_agent());
        if let Some(waba) = &self.waba_id {
            ctx = ctx.with_waba_id(waba.clone());
        }
        ctx = ctx.with_api_facebook_url(base.api_facebook_base_url().as_str())?;
        Ok(ctx)
    }
}

impl Client {
    /// Starts a [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub(crate) fn from_parts(
        http: reqwest::Client,
        ctx: ApiContext,
        shared: Shared,
        send_policy: Option<SharedPolicy>,
    ) -> Self {
        Self {
            http,
            ctx: Arc::new(ctx),
            send_policy,
            timeout: shared.timeout,
            shared: Arc::new(shared),
        }
    }

    /// The request context (base URL, version, ids, token).
    pub fn context(&self) -> &ApiContext {
        &self.ctx
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.shared.policy
    }

    /// The underlying reqwest client.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// A view of this client for `tenant`: its phone number id, token and account id, with this
    /// client's base URL, version, user agent, connection pool, retries and timer.
    ///
    /// Pacing is per business number: views of the same number share one pacer. A send policy is
    /// not carried over, since the 24-hour windows and opt-outs it tracks belong to one business
    /// number: give the view its own with [`Client::with_send_policy`].
    ///
    /// # Errors
    /// [`Error::Config`] when the tenant's token or phone number id is blank.
    pub fn for_tenant(&self, tenant: &Tenant) -> Result<Client, Error> {
        Ok(Client {
            http: self.http.clone(),
            ctx: Arc::new(tenant.context(&self.ctx)?),
            send_policy: None,
            shared: self.shared.clone(),
            timeout: self.timeout,
        })
    }

    /// A view of this client with a changed context (any field), over the same connection pool.
    ///
    /// ```
    /// # fn f() -> Result<(), whatsapp_cloud::Error> {
    /// let client = whatsapp_cloud::Client::builder().access_token("t").phone_number_id("1").build()?;
    /// let other = client.with_context(|ctx| ctx.with_phone_number_id("2").with_access_token("t2"));
    /// assert_eq!(other.context().phone_number_id().map(|p| p.as_str()), Some("2"));
    /// # Ok(()) }
    /// ```
    pub fn with_context(&self, configure: impl FnOnce(ApiContext) -> ApiContext) -> Client {
        Client {
            http: self.http.clone(),
            ctx: Arc::new(configure((*self.ctx).clone())),
            send_policy: self.send_policy.clone(),
            shared: self.shared.clone(),
            timeout: self.timeout,
        }
    }

    /// This view with `policy` consulted before every message send (see
    /// [`ClientBuilder::send_policy`]), or none.
    #[must_use]
    pub fn with_send_policy(&self, policy: Option<SharedPolicy>) -> Client {
        Client {
            send_policy: policy,
            ..self.clone()
        }
    }

    /// Sends any endpoint and parses its answer, retrying per the [`RetryPolicy`].
    ///
    /// Calls that send a message to a user ([`Endpoint::recipient`], such as [`SendMessage`]) are
    /// paced by the number's throughput and the recipient's pair rate; other calls are not.
    ///
    /// # Errors
    /// Validation and configuration errors before the network; transport, timeout, API and decode
    /// errors after. When more than one attempt was made, [`Error::RetriesExhausted`] keeps every
    /// attempt's error.
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let request = Prepared::new(endpoint.to_request(&self.ctx)?, &self.ctx)?;
        let user = check_send_policy(self.send_policy.as_ref(), endpoint).await?;
        let output = self
            .run(
                &request,
                endpoint.idempotency(),
                endpoint.recipient().map(Recipient::as_str),
                |response| endpoint.parse_response(response?),
            )
            .await?;
        record_sent(self.send_policy.as_ref(), user).await;
        Ok(output)
    }

    /// Sends one message, paced by the number's throughput and the recipient's pair rate, with
    /// retries; a 131056 answer holds back only this recipient (Meta's 4^n seconds).
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::message::{Message, SendMessage};
    /// let sent = client
    ///     .send_message(&SendMessage::new("+16315551234", Message::text("Your order shipped")))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`Client::send`].
    pub async fn send_message(&self, message: &SendMessage) -> Result<SendResponse, Error> {
        self.send(message).await
    }

    /// Sends many messages concurrently within the pacing limits; the results come back in input
    /// order, and one failure never stops the others.
    ///
    /// At most [`ClientBuilder::batch_concurrency`] requests are in flight at once.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) {
    /// use whatsapp_cloud::message::{Message, SendMessage};
    /// let customers = ["+16315550001", "+16315550002", "+16315550003"];
    /// let results = client
    ///     .send_batch(customers.iter().map(|to| SendMessage::new(*to, Message::text("Sale today!"))))
    ///     .await;
    /// for (to, result) in customers.iter().zip(&results) {
    ///     match result {
    ///         Ok(sent) => println!("{to}: {:?}", sent.message_id()),
    ///         Err(e) => eprintln!("{to}: {e}"),
    ///     }
    /// }
    /// # }
    /// ```
    pub async fn send_batch<I>(&self, messages: I) -> Vec<Result<SendResponse, Error>>
    where
        I: IntoIterator<Item = SendMessage>,
    {
        let messages: Vec<SendMessage> = messages.into_iter().collect();
        let mut results: Vec<Option<Result<SendResponse, Error>>> = std::iter::repeat_with(|| None)
            .take(messages.len())
            .collect();
        // Indices, not references, go through the stream: the future stays `Send` for any
        // lifetime (a closure over `&SendMessage` arguments would not be general enough).
        let messages = &messages;
        let mut in_flight = futures_util::stream::iter(0..messages.len())
            .map(|index| async move { (index, self.send_message(&messages[index]).await) })
            .buffer_unordered(self.shared.batch_concurrency);
        while let Some((index, result)) = in_flight.next().await {
            if let Some(slot) = results.get_mut(index) {
                *slot = Some(result);
            }
        }
        results
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|| Err(Error::config("internal: a batch entry was not sent")))
            })
            .collect()
    }

    /// Runs the request: paces (for message sends), sends, parses with `handle`, and retries as the
    /// [`RetryDriver`](crate::retry::RetryDriver) decides.
    async fn run<T>(
        &self,
        request: &Prepared,
        idempotency: Idempotency,
        recipient: Option<&str>,
        mut handle: impl FnMut(Result<http::Response<bytes::Bytes>, Error>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut run = Run::new(
            &self.shared,
            &self.ctx,
            request.info(recipient),
            idempotency,
        );
        // With a shared pacer, each message-send attempt waits for its slot there instead.
        let shared_pacing = self
            .shared
            .shared_pacing
            .as_ref()
            .zip(recipient.zip(self.ctx.phone_number_id().map(PhoneNumberId::as_str)));
        loop {
            match run.next_step() {
                Step::Send { .. } => {
                    let Some((pacing, (to, number))) = shared_pacing else {
                        run.record(handle(self.execute_once(request).await));
                        continue;
                    };
                    pacing.pace(&self.shared, number, to).await;
                    let outcome = handle(self.execute_once(request).await);
                    pacing.report(number, to, &outcome).await;
                    run.record(outcome);
                }
                Step::SleepUntil(at) => self.shared.timer.sleep_until(at).await,
                Step::Done(result) => return result,
            }
        }
    }

    /// One attempt: sends and reads the whole answer.
    async fn execute_once(
        &self,
        request: &Prepared,
    ) -> Result<http::Response<bytes::Bytes>, Error> {
        let started = Instant::now();
        let mut response = self
            .http
            .execute(request.to_reqwest(self.shared.timeout))
            .await
            .map_err(|e| transport_error(e, started))?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response
            .bytes()
            .await
            .map_err(|e| transport_error(e, started))?;
        Ok(run::response(
            status,
            headers,
            body,
            self.ctx.access_token(),
        ))
    }
}

/// Removes the access token from an error body (a proxy may echo request headers), so that it
/// cannot reach error text or logs.
pub(crate) fn scrub_token(body: bytes::Bytes, token: &AccessToken) -> bytes::Bytes {
    let secret = token.expose_secret().as_bytes();
    if secret.len() < 4 || !body.windows(secret.len()).any(|w| w == secret) {
        return body;
    }
    let mut out = Vec::with_capacity(body.len());
    let mut rest: &[u8] = &body;
    while let Some(pos) = rest.windows(secret.len()).position(|w| w == secret) {
        out.extend_from_slice(&rest[..pos]);
        out.extend_from_slice(b"<redacted>");
        rest = &rest[pos + secret.len()..];
    }
    out.extend_from_slice(rest);
    bytes::Bytes::from(out)
}

/// Maps a reqwest error without its URL (which may carry ids) and says whether the request left.
pub(crate) fn transport_error(e: reqwest::Error, started: Instant) -> Error {
    // A connect failure (refused, DNS, TLS handshake, connect timeout) happens before any byte of
    // the request is written; anything later may have reached Meta. The flag is about the
    // request, whatever its idempotency: the retry policy decides what that means.
    let may_have_been_sent = !(e.is_connect() || e.is_builder());
    if e.is_timeout() {
        return Error::Timeout(TimeoutError::new(started.elapsed(), may_have_been_sent));
    }
    let e = e.without_url();
    let message = if e.is_connect() {
        format!("could not connect: {}", error_chain(&e))
    } else {
        error_chain(&e)
    };
    Error::Transport(TransportError::new(
        message,
        may_have_been_sent,
        Some(Box::new(e)),
    ))
}

/// The error and its sources, joined: reqwest's own message alone is often just "error sending
/// request".
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_in_error_bodies_are_scrubbed() {
        let token = AccessToken::new("EAAGsecret");
        let body = bytes::Bytes::from_static(b"bad header: Bearer EAAGsecret; again EAAGsecret.");
        assert_eq!(
            &scrub_token(body, &token)[..],
            b"bad header: Bearer <redacted>; again <redacted>."
        );
        let clean = bytes::Bytes::from_static(b"nothing here");
        assert_eq!(&scrub_token(clean, &token)[..], b"nothing here");
    }

    #[test]
    fn request_urls_on_the_base_are_the_parsed_urls() {
        let cases = [
            (
                "https://graph.facebook.com/",
                "https://graph.facebook.com/v26.0/1065/messages",
            ),
            (
                "https://graph.facebook.com/",
                "https://graph.facebook.com/v26.0/1/media?limit=2&after=x%20y",
            ),
            (
                "http://127.0.0.1:8080/proxy/",
                "http://127.0.0.1:8080/proxy/v26.0/a%2Fb/%2E%2E/c",
            ),
            (
                "http://user:pw@localhost:9/",
                "http://user:pw@localhost:9/v26.0/x?",
            ),
            // Another origin (a media URL): parsed whole.
            (
                "https://graph.facebook.com/",
                "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&ext=2",
            ),
            (
                "https://graph.facebook.com/",
                "http://graph.facebook.com/v26.0/1",
            ),
        ];
        for (base, uri) in cases {
            let base = url::Url::parse(base).unwrap();
            let parsed = url::Url::parse(uri).unwrap();
            let uri: http::Uri = uri.parse().unwrap();
            let url = request_url(&uri, &base).unwrap();
            assert_eq!(url, parsed, "{uri} on {base}");
            assert_eq!(url.as_str(), parsed.as_str());
        }
    }

    #[test]
    fn clients_and_their_futures_can_cross_threads() {
        fn send_sync<T: Send + Sync>() {}
        fn send<T: Send>(_: &T) {}
        send_sync::<Client>();
        send_sync::<ClientBuilder>();
        send_sync::<RetryPolicy>();
        send_sync::<Tenant>();
        let client = Client::builder()
            .access_token("t")
            .phone_number_id("1")
            .build()
            .unwrap();
        let message = SendMessage::new("1555", crate::message::Message::text("hi"));
        send(&client.send(&message));
        send(&client.send_message(&message));
        send(&client.send_batch(vec![message.clone()]));
    }

    #[test]
    fn tenant_with_blank_values_is_refused() {
        let base = ApiContext::new("t", "1");
        let e = Tenant::new("", "tok").context(&base).unwrap_err();
        assert!(e.to_string().contains("phone number id"));
        let e = Tenant::new("2", " ").context(&base).unwrap_err();
        assert!(e.to_string().contains("access token"));
    }
}
