//! [`ClientBuilder`]: configuration of the [`Client`](super::Client).

use super::shared_pacing::SharedPacing;
use super::{Client, RetryHook, Shared, SystemTimer, Timer};
use crate::endpoint::{ApiContext, DEFAULT_API_VERSION, DEFAULT_BASE_URL};
use crate::error::Error;
use crate::ids::{PhoneNumberId, WabaId};
use crate::policy::{PacingConfig, SendPolicy, SharedPacer};
use crate::retry::RetryPolicy;
use crate::secret::AccessToken;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The request timeout unless configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The connect timeout unless configured (never longer than the request timeout).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How many batch sends are in flight at once unless configured.
pub const DEFAULT_BATCH_CONCURRENCY: usize = 32;

/// Everything both builders (async and blocking) configure.
#[derive(Default)]
pub(crate) struct Config {
    pub(crate) access_token: Option<AccessToken>,
    pub(crate) phone_number_id: Option<PhoneNumberId>,
    pub(crate) waba_id: Option<WabaId>,
    pub(crate) api_version: Option<String>,
    pub(crate) base_url: Option<String>,
    pub(crate) api_facebook_url: Option<String>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) user_agent: Option<String>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) pacing: Option<Option<PacingConfig>>,
    pub(crate) timer: Option<Arc<dyn Timer>>,
    pub(crate) on_retry: Option<RetryHook>,
    pub(crate) batch_concurrency: Option<usize>,
    pub(crate) send_policy: Option<Arc<dyn SendPolicy + Send + Sync>>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("access_token", &self.access_token)
            .field("phone_number_id", &self.phone_number_id)
            .field("waba_id", &self.waba_id)
            .field("api_version", &self.api_version)
            .field("base_url", &self.base_url)
            .field("api_facebook_url", &self.api_facebook_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("pacing", &self.pacing)
            .field("custom_timer", &self.timer.is_some())
            .field("on_retry", &self.on_retry.is_some())
            .field("batch_concurrency", &self.batch_concurrency)
            .field("send_policy", &self.send_policy.is_some())
            .finish()
    }
}

/// The validated pieces a client is made of.
pub(crate) struct Parts {
    pub(crate) ctx: ApiContext,
    pub(crate) shared: Shared,
    /// The request timeout; `None` leaves a user-supplied HTTP client's own timeout alone.
    pub(crate) timeout: Option<Duration>,
    pub(crate) connect_timeout: Duration,
    pub(crate) send_policy: Option<super::SharedPolicy>,
}

impl Config {
    /// Validates the configuration. `own_http` says whether the caller brings its HTTP client.
    pub(crate) fn into_parts(self, own_http: bool) -> Result<Parts, Error> {
        let token = self.access_token.filter(|t| !t.is_blank()).ok_or_else(|| {
            Error::config("an access token is required (ClientBuilder::access_token)")
        })?;
        if let Some(problem) = token.header_problem() {
            return Err(Error::config(problem));
        }
        let phone = self
            .phone_number_id
            .filter(|p| !p.as_str().trim().is_empty())
            .ok_or_else(|| {
                Error::config("a phone number id is required (ClientBuilder::phone_number_id)")
            })?;
        let mut ctx = ApiContext::new(token, phone)
            .with_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?
            .with_api_version(
                self.api_version
                    .unwrap_or_else(|| DEFAULT_API_VERSION.to_owned()),
            )?;
        if let Some(waba) = self.waba_id {
            ctx = ctx.with_waba_id(waba);
        }
        if let Some(url) = &self.api_facebook_url {
            ctx = ctx.with_api_facebook_url(url)?;
        }
        if let Some(ua) = self.user_agent {
            if ua.trim().is_empty() || http::HeaderValue::from_str(&ua).is_err() {
                return Err(Error::config(format!(
                    "user agent {ua:?} is not a valid header value"
                )));
            }
            ctx = ctx.with_user_agent(ua);
        }
        for (name, value) in [
            ("timeout", self.timeout),
            ("connect_timeout", self.connect_timeout),
        ] {
            if value == Some(Duration::ZERO) {
                return Err(Error::config(format!(
                    "{name} must be longer than zero (ClientBuilder::{name})"
                )));
            }
        }
        let timeout = match (self.timeout, own_http) {
            (Some(t), _) => Some(t),
            (None, false) => Some(DEFAULT_TIMEOUT),
            (None, true) => None,
        };
        let connect_timeout = self
            .connect_timeout
            .unwrap_or(DEFAULT_CONNECT_TIMEOUT)
            .min(timeout.unwrap_or(Duration::MAX));
        let shared = Shared::new(
            self.retry.unwrap_or_default(),
            self.pacing.unwrap_or_else(|| Some(PacingConfig::default())),
            self.timer.unwrap_or_else(|| Arc::new(SystemTimer::new())),
            self.on_retry,
            timeout,
            self.batch_concurrency.unwrap_or(DEFAULT_BATCH_CONCURRENCY),
        );
        Ok(Parts {
            ctx,
            shared,
            timeout,
            connect_timeout,
            send_policy: self.send_policy,
        })
    }
}

/// The setters both builders share.
macro_rules! config_setters {
    () => {
        /// The access token (required), sent as `Authorization: Bearer`; never printed.
        pub fn access_token(mut self, token: impl Into<$crate::secret::AccessToken>) -> Self {
            self.config.access_token = Some(token.into());
            self
        }

        /// The business phone number id to send from (required).
        pub fn phone_number_id(mut self, id: impl Into<$crate::ids::PhoneNumberId>) -> Self {
            self.config.phone_number_id = Some(id.into());
            self
        }

        /// The WhatsApp Business Account id (for template management).
        pub fn waba_id(mut self, id: impl Into<$crate::ids::WabaId>) -> Self {
            self.config.waba_id = Some(id.into());
            self
        }

        /// The Graph API version, such as `"v25.0"`; defaults to
        /// [`DEFAULT_API_VERSION`](crate::endpoint::DEFAULT_API_VERSION).
        pub fn api_version(mut self, version: impl Into<String>) -> Self {
            self.config.api_version = Some(version.into());
            self
        }

        /// The base URL; defaults to [`DEFAULT_BASE_URL`](crate::endpoint::DEFAULT_BASE_URL).
        /// Point it at a fake server in tests, or at a proxy.
        pub fn base_url(mut self, url: impl Into<String>) -> Self {
            self.config.base_url = Some(url.into());
            self
        }

        /// Where the calls Meta documents on `api.facebook.com` go (template archive and
        /// unarchive); see [`ApiContext::with_api_facebook_url`](crate::endpoint::ApiContext::with_api_facebook_url).
        /// By default they follow [`ClientBuilder::base_url`] when it is set, and go to
        /// `https://api.facebook.com/` otherwise.
        pub fn api_facebook_url(mut self, url: impl Into<String>) -> Self {
            self.config.api_facebook_url = Some(url.into());
            self
        }

        /// The timeout of each attempt, from sending to the end of the answer (default 30 s).
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.config.timeout = Some(timeout);
            self
        }

        /// The timeout for connecting (default 10 s, at most the request timeout). A connect
        /// timeout is known to happen before the request left, so it is always safe to retry.
        pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.config.connect_timeout = Some(timeout);
            self
        }

        /// The `User-Agent` header (default `whatsapp-cloud-rust/<version>`).
        pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
            self.config.user_agent = Some(user_agent.into());
            self
        }

        /// The retry policy (default: [`RetryPolicy::default`](crate::retry::RetryPolicy)).
        pub fn retry_policy(mut self, policy: $crate::retry::RetryPolicy) -> Self {
            self.config.retry = Some(policy);
            self
        }

        /// How message sends are paced (default: [`PacingConfig::default`](crate::policy::PacingConfig),
        /// 80 messages per second and a conservative pair rate).
        pub fn pacing(mut self, pacing: $crate::policy::PacingConfig) -> Self {
            self.config.pacing = Some(Some(pacing));
            self
        }

        /// Turns pacing off: message sends go out as fast as they are made.
        pub fn without_pacing(mut self) -> Self {
            self.config.pacing = Some(None);
            self
        }

        /// The clock and sleeper for retries and pacing (default
        /// [`SystemTimer`](crate::client::SystemTimer); tests use
        /// [`ManualTimer`](crate::client::ManualTimer)).
        pub fn timer(mut self, timer: impl $crate::client::Timer) -> Self {
            self.config.timer = Some(std::sync::Arc::new(timer));
            self
        }

        /// Calls `hook` after every failed attempt, with the error and what happens next (the
        /// same is logged through `tracing` at `WARN`).
        ///
        /// ```
        /// use std::sync::atomic::{AtomicU32, Ordering};
        /// use std::sync::Arc;
        /// let failures = Arc::new(AtomicU32::new(0));
        /// let seen = failures.clone();
        /// let builder = whatsapp_cloud::Client::builder().on_retry(move |event| {
        ///     seen.fetch_add(1, Ordering::Relaxed);
        ///     eprintln!("attempt {} failed: {}", event.attempt, event.error);
        /// });
        /// ```
        pub fn on_retry(
            mut self,
            hook: impl Fn(&$crate::retry::RetryEvent<'_>) + Send + Sync + 'static,
        ) -> Self {
            self.config.on_retry = Some(std::sync::Arc::new(hook));
            self
        }

        /// A local rule checked before every message send, such as a
        /// [`SendGuard`](crate::policy::SendGuard): a free-form message to a user whose 24-hour
        /// window is known to be closed, or a marketing template to a user who opted out, is refused
        /// with [`Error::Refused`](crate::Error::Refused) before the network. Successful sends are
        /// reported back to it ([`SendPolicy::record_sent`](crate::policy::SendPolicy::record_sent)).
        ///
        /// The blocking client drives the policy's futures with [`crate::policy::block_on`], on
        /// the calling thread and without an async runtime: give it stores whose futures need no
        /// runtime (the in-memory stores do not), not stores built on a runtime's I/O.
        pub fn send_policy(mut self, policy: $crate::client::SharedPolicy) -> Self {
            self.config.send_policy = Some(policy);
            self
        }

        /// How many batch sends are in flight at once (default 32, at least 1).
        pub fn batch_concurrency(mut self, concurrency: usize) -> Self {
            self.config.batch_concurrency = Some(concurrency.max(1));
            self
        }
    };
}
#[cfg(feature = "blocking")]
pub(crate) use config_setters;

/// Builds a [`Client`]. The access token and phone number id are required.
///
/// ```
/// use std::time::Duration;
/// use whatsapp_cloud::client::Client;
/// use whatsapp_cloud::policy::PacingConfig;
/// use whatsapp_cloud::retry::RetryPolicy;
///
/// let client = Client::builder()
///     .access_token("EAAG...")
///     .phone_number_id("106540352242922")
///     .waba_id("102290129340398")
///     .api_version("v25.0")
///     .timeout(Duration::from_secs(20))
///     .retry_policy(RetryPolicy::default().max_attempts(5))
///     .pacing(PacingConfig::default().messages_per_second(1000)?)
///     .build()?;
/// assert_eq!(client.context().api_version(), "v25.0");
///
/// let missing = Client::builder().phone_number_id("1").build().unwrap_err();
/// assert!(missing.to_string().contains("access token is required"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Default)]
#[must_use]
pub struct ClientBuilder {
    config: Config,
    http: Option<reqwest::Client>,
    shared_pacer: Option<Arc<dyn SharedPacer>>,
    fallback_messages_per_second: Option<u32>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("config", &self.config)
            .field("custom_http_client", &self.http.is_some())
            .field("shared_pacer", &self.shared_pacer.is_some())
            .field(
                "fallback_messages_per_second",
                &self.fallback_messages_per_second,
            )
            .finish()
    }
}

impl ClientBuilder {
    config_setters!();

    /// Uses your own reqwest client (its pool, proxy and TLS settings). The timeout set here, if
    /// any, still applies to each request; the connect timeout is the client's own.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Paces message sends through `pacer`, shared with other processes (such as a
    /// `whatsapp_cloud::redis::RedisPacer` of the `redis` feature), instead of this client's own pacer: every
    /// message-send attempt waits for its slot there, and successes and 131056 answers are
    /// reported to it. The business number's budget and pair rates are then those of the shared
    /// pacer.
    ///
    /// While the shared pacer fails (its server is down), the client paces itself locally at
    /// [`ClientBuilder::fallback_messages_per_second`] (by default a quarter of the rate set with
    /// [`ClientBuilder::pacing`], 20 of the default 80), logs one `tracing` warning per outage, and
    /// goes back to the shared budget as soon as the pacer answers again. The blocking client
    /// takes no shared pacer.
    pub fn shared_pacer(mut self, pacer: impl SharedPacer + 'static) -> Self {
        self.shared_pacer = Some(Arc::new(pacer));
        self
    }

    /// The rate this client keeps while its [shared pacer](ClientBuilder::shared_pacer) fails
    /// (default: a quarter of the pacing rate, at least 1). With four replicas, a quarter each
    /// keeps the total within the number's budget.
    pub fn fallback_messages_per_second(mut self, rate: u32) -> Self {
        self.fallback_messages_per_second = Some(rate);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] when the token or phone number id is missing or blank, the base URL, API
    /// version or user agent is malformed, a timeout is zero, the fallback rate is not within
    /// 1..=1000, or the HTTP client cannot be created.
    pub fn build(self) -> Result<Client, Error> {
        let own_http = self.http.is_some();
        let mut parts = self.config.into_parts(own_http)?;
        if let Some(pacer) = self.shared_pacer {
            let base = parts.shared.pacing.clone().unwrap_or_default();
            let fallback = match self.fallback_messages_per_second {
                Some(rate) => base.messages_per_second(rate).map_err(|e| {
                    Error::config(format!(
                        "fallback_messages_per_second {rate}: {e} (ClientBuilder::fallback_messages_per_second)"
                    ))
                })?,
                None => SharedPacing::default_fallback(&base),
            };
            parts.shared.shared_pacing = Some(SharedPacing::new(pacer, fallback));
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder().connect_timeout(parts.connect_timeout);
                if let Some(timeout) = parts.timeout {
                    builder = builder.timeout(timeout);
                }
                builder.build().map_err(|e| {
                    Error::config(format!("the HTTP client could not be created: {e}"))
                })?
            }
        };
        Ok(Client::from_parts(
            http,
            parts.ctx,
            parts.shared,
            parts.send_policy,
        ))
    }
}
