//! The synchronous client (feature `blocking`): the same builder, endpoints, retries and pacing as
//! the async [`Client`](crate::Client), over reqwest's blocking client.
//!
//! Like reqwest's blocking client, it must not be built, used or dropped inside an async task
//! (it would panic there); from async code use the async client or `tokio::task::spawn_blocking`.
//!
//! Its send policy's futures are run on the calling thread ([`crate::policy::block_on`]): give it a
//! policy whose stores need no async runtime, such as the in-memory ones. For the same reason it
//! takes no shared pacer (the async `ClientBuilder::shared_pacer`): it paces itself locally.
//!
//! ```no_run
//! use whatsapp_cloud::client::blocking::Client;
//! use whatsapp_cloud::message::{Message, SendMessage};
//!
//! let client = Client::builder()
//!     .access_token("EAAG...")
//!     .phone_number_id("106540352242922")
//!     .build()?;
//! let sent = client.send(&SendMessage::new("+16315551234", Message::text("Hello!")))?;
//! println!("accepted as {:?}", sent.message_id());
//! # Ok::<(), whatsapp_cloud::Error>(())
//! ```

use super::SharedPolicy;
use super::builder::{Config, config_setters};
use super::run::{self, Run};
use super::{Prepared, Shared, Tenant, transport_error};
use crate::endpoint::messages::SendResponse;
use crate::endpoint::{ApiContext, Endpoint, Idempotency};
use crate::error::Error;
use crate::message::SendMessage;
use crate::policy::block_on;
use crate::retry::{RetryPolicy, Step};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The blocking WhatsApp Cloud API client.
///
/// Cheap to clone: clones share one connection pool, retry policy and pacing state.
#[derive(Clone)]
pub struct Client {
    http: reqwest::blocking::Client,
    ctx: Arc<ApiContext>,
    shared: Arc<Shared>,
    send_policy: Option<SharedPolicy>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Client")
            .field("context", &self.ctx)
            .field("retry", &self.shared.policy)
            .field("pacing", &self.shared.pacing)
            .field("timeout", &self.shared.timeout)
            .finish_non_exhaustive()
    }
}

/// Builds a blocking [`Client`]: the same settings as the async
/// [`ClientBuilder`](crate::client::ClientBuilder).
#[derive(Default)]
#[must_use]
pub struct ClientBuilder {
    config: Config,
    http: Option<reqwest::blocking::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::ClientBuilder")
            .field("config", &self.config)
            .field("custom_http_client", &self.http.is_some())
            .finish()
    }
}

impl ClientBuilder {
    config_setters!();

    /// Uses your own blocking reqwest client. The timeout set here, if any, still applies to each
    /// request.
    pub fn http_client(mut self, client: reqwest::blocking::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// As [`crate::client::ClientBuilder::build`].
    pub fn build(self) -> Result<Client, Error> {
        let own_http = self.http.is_some();
        let parts = self.config.into_parts(own_http)?;
        let http = match self.http {
            Some(http) => http,
            None => {
                let builder = reqwest::blocking::Client::builder()
                    .connect_timeout(parts.connect_timeout)
                    .timeout(parts.timeout);
                builder.build().map_err(|e| {
                    Error::config(format!("the HTTP client could not be created: {e}"))
                })?
            }
        };
        Ok(Client {
            http,
            ctx: Arc::new(parts.ctx),
            shared: Arc::new(parts.shared),
            send_policy: parts.send_policy,
        })
    }
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

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.shared.policy
    }

    /// A view of this client for `tenant` over the same connection pool, without a send policy
    /// (see [`crate::Client::for_tenant`]).
    ///
    /// # Errors
    /// [`Error::Config`] when the tenant's token or phone number id is blank.
    pub fn for_tenant(&self, tenant: &Tenant) -> Result<Client, Error> {
        Ok(Client {
            http: self.http.clone(),
            ctx: Arc::new(tenant.context(&self.ctx)?),
            shared: self.shared.clone(),
            send_policy: None,
        })
    }

    /// This view with `policy` consulted before every message send, or none (see
    /// [`crate::Client::with_send_policy`]).
    #[must_use]
    pub fn with_send_policy(&self, policy: Option<SharedPolicy>) -> Client {
        Client {
            send_policy: policy,
            ..self.clone()
        }
    }

    /// A view of this client with a changed context, over the same connection pool (see
    /// [`crate::Client::with_context`]).
    pub fn with_context(&self, configure: impl FnOnce(ApiContext) -> ApiContext) -> Client {
        Client {
            http: self.http.clone(),
            ctx: Arc::new(configure((*self.ctx).clone())),
            shared: self.shared.clone(),
            send_policy: self.send_policy.clone(),
        }
    }

    /// Sends any endpoint and parses its answer, retrying per the [`RetryPolicy`] (sleeping the
    /// thread between attempts). Message sends are paced like [`crate::Client::send`].
    ///
    /// # Errors
    /// As [`crate::Client::send`].
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let request = Prepared::new(endpoint.to_request(&self.ctx)?, &self.ctx)?;
        let user = block_on(super::check_send_policy(
            self.send_policy.as_ref(),
            endpoint,
        ))?;
        let output = self.run(
            &request,
            endpoint.idempotency(),
            endpoint.recipient().map(crate::ids::Recipient::as_str),
            |response| endpoint.parse_response(response?),
        )?;
        block_on(super::record_sent(self.send_policy.as_ref(), user));
        Ok(output)
    }

    /// Sends one message, paced and retried (see [`crate::Client::send_message`]).
    ///
    /// # Errors
    /// As [`crate::Client::send`].
    pub fn send_message(&self, message: &SendMessage) -> Result<SendResponse, Error> {
        self.send(message)
    }

    /// Sends many messages one after the other, paced, and returns every result in input order;
    /// one failure never stops the rest. (For concurrency, use the async client.)
    pub fn send_batch<I>(&self, messages: I) -> Vec<Result<SendResponse, Error>>
    where
        I: IntoIterator<Item = SendMessage>,
    {
        messages
            .into_iter()
            .map(|message| self.send_message(&message))
            .collect()
    }

    /// Runs the request as the async client does (see `Client::run` there), blocking the thread.
    fn run<T>(
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
        loop {
            match run.next_step() {
                Step::Send { .. } => run.record(handle(self.execute_once(request))),
                Step::SleepUntil(at) => self.shared.timer.sleep_until_blocking(at),
                Step::Done(result) => return result,
            }
        }
    }

    fn execute_once(&self, request: &Prepared) -> Result<http::Response<bytes::Bytes>, Error> {
        let started = Instant::now();
        let mut response = self
            .http
            .execute(to_blocking(request, self.shared.timeout))
            .map_err(|e| transport_error(e, started))?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().map_err(|e| transport_error(e, started))?;
        Ok(run::response(
            status,
            headers,
            body,
            self.ctx.access_token(),
        ))
    }
}

fn to_blocking(request: &Prepared, timeout: Option<Duration>) -> reqwest::blocking::Request {
    let mut out = reqwest::blocking::Request::new(request.method.clone(), request.url.clone());
    *out.headers_mut() = request.headers.clone();
    if !request.body.is_empty() {
        *out.body_mut() = Some(reqwest::blocking::Body::from(request.body.clone()));
    }
    *out.timeout_mut() = timeout;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blocking_client_can_cross_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Client>();
        send_sync::<ClientBuilder>();
    }
}
