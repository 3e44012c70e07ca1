//! The async client (feature `client`): sends any [`Endpoint`] over reqwest.
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

mod builder;
mod media;
mod paging;

pub use builder::ClientBuilder;

use crate::endpoint::{ApiContext, Endpoint, Idempotency};
use crate::error::{Error, TimeoutError, TransportError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The WhatsApp Cloud API client.
///
/// Cheap to clone: clones share one connection pool. [`Client::for_tenant`] gives a view with another
/// phone number id and/or token over the same pool.
#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
    ctx: Arc<ApiContext>,
    timeout: Option<Duration>,
}

impl Client {
    /// Starts a [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The request context (base URL, version, ids, token).
    pub fn context(&self) -> &ApiContext {
        &self.ctx
    }

    /// The underlying reqwest client.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// A view of this client for another tenant: another phone number id and/or token, same pool.
    ///
    /// ```
    /// # fn f() -> Result<(), whatsapp_cloud::Error> {
    /// let client = whatsapp_cloud::Client::builder().access_token("t").phone_number_id("1").build()?;
    /// let tenant = client.for_tenant(|ctx| ctx.with_phone_number_id("2").with_access_token("t2"));
    /// assert_eq!(tenant.context().phone_number_id().map(|p| p.as_str()), Some("2"));
    /// # Ok(()) }
    /// ```
    pub fn for_tenant(&self, configure: impl FnOnce(ApiContext) -> ApiContext) -> Client {
        Client {
            http: self.http.clone(),
            ctx: Arc::new(configure((*self.ctx).clone())),
            timeout: self.timeout,
        }
    }

    /// Sends any endpoint and parses its answer.
    ///
    /// # Errors
    /// Validation and configuration errors before the network; transport, timeout, API and decode
    /// errors after.
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let request = endpoint.to_request(&self.ctx)?;
        let response = self.execute(request, endpoint.idempotency()).await?;
        endpoint.parse_response(response)
    }

    /// Sends one prepared request and reads the whole answer.
    pub(crate) async fn execute(
        &self,
        request: http::Request<Vec<u8>>,
        idempotency: Idempotency,
    ) -> Result<http::Response<bytes::Bytes>, Error> {
        let request = reqwest::Request::try_from(request).map_err(|e| {
            Error::Transport(TransportError::new(
                "the request could not be prepared",
                false,
                Some(Box::new(e)),
            ))
        })?;
        let started = Instant::now();
        let response = self
            .http
            .execute(request)
            .await
            .map_err(|e| transport_error(e, started, idempotency))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| transport_error(e, started, idempotency))?;
        let mut out = http::Response::new(body);
        *out.status_mut() = status;
        *out.headers_mut() = headers;
        Ok(out)
    }
}

/// Maps a reqwest error without its URL (which may carry ids) and says whether the request left.
pub(crate) fn transport_error(
    e: reqwest::Error,
    started: Instant,
    idempotency: Idempotency,
) -> Error {
    // A connect failure happens before any byte of the request is written.
    // For an idempotent request the flag is informational only: repeating it is harmless.
    let _ = idempotency;
    let before_send = e.is_connect() || e.is_builder();
    let may_have_been_sent = !before_send;
    if e.is_timeout() {
        return Error::Timeout(TimeoutError::new(started.elapsed(), may_have_been_sent));
    }
    let e = e.without_url();
    Error::Transport(TransportError::new(
        e.to_string(),
        may_have_been_sent,
        Some(Box::new(e)),
    ))
}
