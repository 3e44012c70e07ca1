//! A ready webhook receiver for [axum](https://docs.rs/axum): an [`axum::Router`]
//! that answers Meta's handshake, checks signatures, deduplicates, feeds the window and opt-out
//! stores and hands every new event to your async handler through a bounded queue.
//!
//! Enable the `axum` feature. Build the router with [`WebhookRouter::builder`], one
//! [`Route`] per path (one app secret and verify token each: several businesses, or several apps,
//! on one server), and serve it with `axum::serve` yourself.
//!
//! # What a route does
//!
//! - **GET** answers the subscription handshake of Meta's "Create a webhook endpoint" guide:
//!   `hub.mode=subscribe`, `hub.verify_token` compared in constant time with the route's token,
//!   `hub.challenge` echoed with 200. Anything else is a bare 403; the expected token is never
//!   echoed or logged.
//! - **POST** reads the body up to the size limit ([`WebhookRouterBuilder::body_limit`], 3 MiB by
//!   default; 413 above it), checks `X-Hub-Signature-256` over the raw bytes with the route's
//!   app secret(s) (401 with no detail when it is missing or wrong: the handler never runs), parses
//!   the [`Payload`] (400 when a signed body is not one), then for each event, in order:
//!   1. checks it with the route's [`Deduplicator`] ([`DedupKey::of_event`]): a duplicate is
//!      skipped; a store error **fails open** (the event is processed, and a warning logged);
//!   2. feeds the route's [`WindowTracker`] and [`OptOutStore`] (with its [`Keywords`]), when
//!      set, so a STOP is recorded before your handler runs;
//!   3. queues it for your handler ([`Incoming`]). Invalid items ([`Event::Invalid`], unreadable
//!      message contents) and unknown fields are handed over too: nothing is dropped.
//!
//! The queue is bounded ([`WebhookRouterBuilder::queue_capacity`]) and served by a fixed number of
//! worker tasks ([`WebhookRouterBuilder::workers`]): a burst waits for room (backpressure), it is
//! never turned into one task per event.
//!
//! # Acknowledgement
//!
//! Meta redelivers a delivery that is not answered with a 2xx, for hours (36 hours per its webhooks
//! guide; up to 7 days per its throughput guide), and asks for fast answers (its throughput guide
//! targets a median of 250 ms). The request waits for its events' handlers up to the
//! **ack deadline** ([`WebhookRouterBuilder::ack_deadline`], 3 seconds by default), then answers:
//!
//! | what happened to the delivery's first-seen events | answer | what becomes of the events |
//! |---|---|---|
//! | every one handled (or none first-seen: a redelivery) | **200** | all stay seen |
//! | a handler returned `Err` (or panicked) | **500** | the failed event is forgotten in the dedup store, so Meta's redelivery runs it again; the others stay seen and are skipped as duplicates |
//! | the window or opt-out store failed for an event | **500** | that event is forgotten and not handed to the handler; the redelivery feeds the stores and runs it |
//! | the queue stayed full until the deadline | **503** | the events not queued are forgotten (the redelivery runs them); queued ones run |
//! | the deadline passed while handlers still ran | **503** | they keep running: one that succeeds stays seen (the redelivery skips it), one that fails is forgotten (the redelivery runs it) |
//! | the dedup store failed to check an event | as the rows above | the event is processed (fails open): a duplicate is better than a loss |
//! | the dedup store failed to forget a failed event | as the rows above | logged: that event's redelivery is skipped, the one case a store fault can lose an event |
//!
//! When several rows apply, 500 wins over 503. With a dedup store that answers, nothing is lost
//! and nothing runs twice. If Meta hangs up before the answer, the delivery's events are still
//! queued or forgotten as above. Events without a dedup key (template and account updates, errors,
//! unknown fields) are run again by every redelivery, as [`Deduplicator::check_event`] does: make
//! their handling idempotent. A redelivery that arrives while a late handler still runs skips that event;
//! if the handler then fails, the next redelivery runs it.
//!
//! # Shutting down
//!
//! [`WebhookRouter::into_parts`] returns the router and its [`Workers`]. Serve the router with
//! graceful shutdown; once `axum::serve` returns, every copy of the router is dropped, the queue
//! closes, and the workers finish the events already queued and stop:
//! [`Workers::drained`] waits for that.
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use whatsapp_cloud::axum::{Incoming, Route, WebhookRouter};
//! use whatsapp_cloud::policy::{InMemoryDeduplicator, InMemoryOptOutStore, InMemoryWindowTracker};
//! use whatsapp_cloud::webhook::Event;
//!
//! async fn on_event(incoming: Incoming) -> Result<(), std::io::Error> {
//!     if let Event::Message(message) = incoming.event() {
//!         println!("[{}] {} wrote {:?}", incoming.route(), message.id(), message.text());
//!     }
//!     Ok(()) // an Err makes Meta redeliver this event
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Windows and opt-outs belong to one business number: each tenant has its own (give the same
//! // Arcs to that tenant's client, through a `SendGuard`).
//! let tenant = |secret: &str, token: &str| {
//!     Ok::<_, whatsapp_cloud::axum::BuildError>(
//!         Route::new(secret, token)?
//!             .window_tracker(Arc::new(InMemoryWindowTracker::default()))
//!             .opt_out_store(Arc::new(InMemoryOptOutStore::new())),
//!     )
//! };
//! let webhooks = WebhookRouter::builder()
//!     .handler(on_event) // every route's, unless a Route has its own
//!     .deduplicator(InMemoryDeduplicator::default()) // message ids are unique: one for all
//!     .route("/webhooks/acme", tenant("acme-app-secret", "acme-verify-token")?)
//!     .route("/webhooks/globex", tenant("globex-app-secret", "globex-verify-token")?)
//!     .build()?;
//! let (router, workers) = webhooks.into_parts();
//!
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! # let stop = async {};
//! // let stop = async { tokio::signal::ctrl_c().await.ok(); };
//! axum::serve(listener, router).with_graceful_shutdown(stop).await?;
//! workers.drained().await; // the events already queued have been handled
//! # Ok(())
//! # }
//! ```

mod delivery;

use crate::policy::{
    DedupKey, Deduplicator, InMemoryDeduplicator, Intent, Keywords, OptOutStore, WindowTracker,
};
use crate::webhook::{Event, EventPosition, Events, Payload, SignatureError, SignatureVerifier};
use crate::{AppSecret, VerifyToken};
use ::axum::Router;
use ::axum::extract::{DefaultBodyLimit, RawQuery};
use ::axum::routing::get;
use delivery::RouteState;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// The error a handler reports: any error type (or a `String`) converts into it.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

type HandlerFuture = Pin<Box<dyn Future<Output = Result<(), HandlerError>> + Send>>;

/// The user's async event handler, type-erased.
#[derive(Clone)]
struct Handler(Arc<dyn Fn(Incoming) -> HandlerFuture + Send + Sync>);

impl Handler {
    /// Wraps an async function or closure.
    fn new<F, Fut, E>(handler: F) -> Self
    where
        F: Fn(Incoming) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<HandlerError>,
    {
        Self(Arc::new(move |incoming| {
            let future = handler(incoming);
            Box::pin(async move { future.await.map_err(Into::into) })
        }))
    }
}

impl fmt::Debug for Handler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Handler(..)")
    }
}

/// One first-seen event of a delivery, handed to your handler.
///
/// It owns the whole parsed delivery (shared between the delivery's events), so it can be moved to
/// another task; [`Incoming::event`] borrows the event from it.
#[derive(Clone)]
pub struct Incoming {
    route: Arc<str>,
    payload: Arc<Payload<'static>>,
    position: EventPosition,
    key: Option<DedupKey>,
    opt_out: Option<Intent>,
    received_at: u64,
}

impl Incoming {
    /// The path of the route the delivery came to (`/webhooks/acme`): which tenant it is for.
    pub fn route(&self) -> &str {
        &self.route
    }

    /// The event.
    pub fn event(&self) -> Event<'_> {
        // `position` was taken from this payload's own events, just before this event was read:
        // resuming there reads it again.
        match Events::resume(&self.payload, self.position).next() {
            Some(event) => event,
            None => unreachable!("an Incoming's position comes from its payload's events"),
        }
    }

    /// The whole delivery the event came in.
    pub fn payload(&self) -> &Payload<'static> {
        &self.payload
    }

    /// The event's dedup key, when it has one ([`DedupKey::of_event`]).
    pub fn dedup_key(&self) -> Option<&DedupKey> {
        self.key.as_ref()
    }

    /// What the route's opt-out store recorded for this event (a STOP or START keyword, a
    /// marketing preference, error 131050), if anything.
    pub fn opt_out(&self) -> Option<Intent> {
        self.opt_out
    }

    /// When the delivery was received, in unix seconds.
    pub fn received_at(&self) -> u64 {
        self.received_at
    }
}

impl fmt::Debug for Incoming {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Incoming")
            .field("route", &self.route)
            .field("key", &self.key)
            .field("opt_out", &self.opt_out)
            .field("received_at", &self.received_at)
            .finish_non_exhaustive()
    }
}

/// Why a [`Route`] or a [`WebhookRouter`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The app secret is unusable (blank, or no secret given).
    #[error("route app secret: {0}")]
    Secret(#[from] SignatureError),
    /// The verify token is empty or only whitespace.
    #[error("route verify token is blank")]
    BlankVerifyToken,
    /// No route was added.
    #[error("no route: add one with WebhookRouterBuilder::route")]
    NoRoutes,
    /// A path is not a plain absolute path.
    #[error("route path {path:?}: {reason}")]
    InvalidPath {
        /// The path given.
        path: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Two routes have the same path.
    #[error("route path {path:?} is added twice")]
    DuplicatePath {
        /// The path given twice.
        path: String,
    },
    /// A route has no handler and the builder has no default one.
    #[error("route {path:?} has no handler: set WebhookRouterBuilder::handler or Route::handler")]
    NoHandler {
        /// The route's path.
        path: String,
    },
    /// A setting that must be at least 1 is 0.
    #[error("{setting} must be at least 1")]
    Zero {
        /// The setting (`workers`, `queue_capacity`, `body_limit`).
        setting: &'static str,
    },
    /// [`WebhookRouterBuilder::build`] was called outside a Tokio runtime, which the workers need.
    #[error("WebhookRouterBuilder::build must be called inside a Tokio runtime")]
    NoRuntime,
}

/// One route's credentials, and optionally its own handler and stores (otherwise the builder's).
///
/// ```
/// use whatsapp_cloud::axum::Route;
/// use whatsapp_cloud::webhook::SignatureVerifier;
/// let route = Route::new("app-secret", "verify-token")?;
/// // Rotating the app secret: signatures made with either secret pass.
/// let rotating = Route::with_verifier(
///     SignatureVerifier::with_secrets(["new-secret", "old-secret"])?,
///     "verify-token",
/// )?;
/// let shown = format!("{route:?} {rotating:?}");
/// assert!(!shown.contains("app-secret") && !shown.contains("verify-token") && !shown.contains("old-secret"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub struct Route {
    verifier: SignatureVerifier,
    verify_token: VerifyToken,
    handler: Option<Handler>,
    stores: Stores,
}

/// The stores and keywords a route uses; unset ones come from the builder.
#[derive(Clone, Default)]
struct Stores {
    dedup: Option<Arc<dyn Deduplicator>>,
    windows: Option<Arc<dyn WindowTracker>>,
    opt_outs: Option<Arc<dyn OptOutStore>>,
    keywords: Option<Keywords>,
}

impl Stores {
    /// `self`, with what it lacks taken from `defaults`.
    fn or(&self, defaults: &Stores) -> Stores {
        Stores {
            dedup: self.dedup.clone().or_else(|| defaults.dedup.clone()),
            windows: self.windows.clone().or_else(|| defaults.windows.clone()),
            opt_outs: self.opt_outs.clone().or_else(|| defaults.opt_outs.clone()),
            keywords: self.keywords.clone().or_else(|| defaults.keywords.clone()),
        }
    }
}

impl fmt::Debug for Stores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stores")
            .field("dedup", &self.dedup.is_some())
            .field("windows", &self.windows.is_some())
            .field("opt_outs", &self.opt_outs.is_some())
            .field("keywords", &self.keywords)
            .finish()
    }
}

/// The handler and store setters shared by [`Route`] and [`WebhookRouterBuilder`].
macro_rules! setters {
    ($handler_doc:literal) => {
        #[doc = $handler_doc]
        ///
        /// `Err(e)` means "not handled": the event is forgotten in the dedup store and the
        /// delivery is answered with 500 so that Meta redelivers it.
        pub fn handler<F, Fut, E>(mut self, handler: F) -> Self
        where
            F: Fn(Incoming) -> Fut + Send + Sync + 'static,
            Fut: Future<Output = Result<(), E>> + Send + 'static,
            E: Into<HandlerError>,
        {
            self.handler = Some(Handler::new(handler));
            self
        }

        /// The deduplicator (any [`Deduplicator`]: in memory, Redis, your own). Without one anywhere,
        /// the router uses one [`InMemoryDeduplicator`] for all its routes.
        pub fn deduplicator(mut self, dedup: impl Deduplicator + 'static) -> Self {
            self.stores.dedup = Some(Arc::new(dedup));
            self
        }

        /// The window tracker fed by every first-seen event (give the same one, behind an `Arc`,
        /// to the client's send guard). None by default. Windows belong to one business number:
        /// routes of different numbers need their own.
        pub fn window_tracker(mut self, windows: impl WindowTracker + 'static) -> Self {
            self.stores.windows = Some(Arc::new(windows));
            self
        }

        /// The opt-out store fed by every first-seen event, with the keywords of
        /// [`Self::keywords`]. None by default. Opt-outs belong to one business: routes of
        /// different businesses need their own.
        pub fn opt_out_store(mut self, opt_outs: impl OptOutStore + 'static) -> Self {
            self.stores.opt_outs = Some(Arc::new(opt_outs));
            self
        }

        /// The STOP / START keywords the opt-out store applies ([`Keywords::default`] unless set).
        pub fn keywords(mut self, keywords: Keywords) -> Self {
            self.stores.keywords = Some(keywords);
            self
        }
    };
}

impl Route {
    /// A route checking signatures with `app_secret` and answering handshakes for
    /// `verify_token`.
    ///
    /// # Errors
    ///
    /// [`BuildError::Secret`] for a blank app secret, [`BuildError::BlankVerifyToken`] for a blank
    /// verify token.
    pub fn new(
        app_secret: impl Into<AppSecret>,
        verify_token: impl Into<VerifyToken>,
    ) -> Result<Self, BuildError> {
        Self::with_verifier(
            SignatureVerifier::from_app_secret(&app_secret.into())?,
            verify_token,
        )
    }

    /// A route with a verifier of your own (several app secrets, while rotating one).
    ///
    /// # Errors
    ///
    /// [`BuildError::BlankVerifyToken`] for a blank verify token.
    pub fn with_verifier(
        verifier: SignatureVerifier,
        verify_token: impl Into<VerifyToken>,
    ) -> Result<Self, BuildError> {
        let verify_token = verify_token.into();
        if verify_token.is_blank() {
            return Err(BuildError::BlankVerifyToken);
        }
        Ok(Self {
            verifier,
            verify_token,
            handler: None,
            stores: Stores::default(),
        })
    }

    setters!("This route's own handler, instead of the builder's.");
}

impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Route")
            .field("verifier", &self.verifier)
            .field("verify_token", &self.verify_token)
            .field("handler", &self.handler.is_some())
            .field("stores", &self.stores)
            .finish()
    }
}

/// Builds a [`WebhookRouter`]; see the [module docs](self).
#[must_use]
#[derive(Debug)]
pub struct WebhookRouterBuilder {
    routes: Vec<(String, Route)>,
    handler: Option<Handler>,
    stores: Stores,
    workers: usize,
    queue_capacity: usize,
    ack_deadline: Duration,
    body_limit: usize,
}

impl Default for WebhookRouterBuilder {
    fn default() -> Self {
        Self {
            routes: Vec::new(),
            handler: None,
            stores: Stores::default(),
            workers: WebhookRouterBuilder::DEFAULT_WORKERS,
            queue_capacity: WebhookRouterBuilder::DEFAULT_QUEUE_CAPACITY,
            ack_deadline: WebhookRouterBuilder::DEFAULT_ACK_DEADLINE,
            body_limit: WebhookRouterBuilder::DEFAULT_BODY_LIMIT,
        }
    }
}

impl WebhookRouterBuilder {
    /// Worker tasks running handlers, by default.
    pub const DEFAULT_WORKERS: usize = 4;
    /// Events waiting for a worker, by default.
    pub const DEFAULT_QUEUE_CAPACITY: usize = 256;
    /// How long a delivery waits for its handlers before answering, by default.
    pub const DEFAULT_ACK_DEADLINE: Duration = Duration::from_secs(3);
    /// The largest body accepted, by default: 3 MiB (Meta batches up to 1,000 updates per POST).
    pub const DEFAULT_BODY_LIMIT: usize = 3 * 1024 * 1024;

    /// Adds a route at `path` (a plain absolute path such as `/webhooks/acme`, no `{captures}`).
    pub fn route(mut self, path: impl Into<String>, route: Route) -> Self {
        self.routes.push((path.into(), route));
        self
    }

    setters!("The handler of every route without its own.");

    /// The number of worker tasks running handlers, shared by all routes (4 by default): at most
    /// this many handlers run at once.
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = workers;
        self
    }

    /// How many events can wait for a worker (256 by default). A delivery finding the queue full
    /// waits for room until its ack deadline.
    pub fn queue_capacity(mut self, capacity: usize) -> Self {
        self.queue_capacity = capacity;
        self
    }

    /// How long a delivery waits for its handlers before answering (3 seconds by default; see the
    /// acknowledgement table in the [module docs](self)).
    pub fn ack_deadline(mut self, deadline: Duration) -> Self {
        self.ack_deadline = deadline;
        self
    }

    /// The largest body accepted, in bytes (3 MiB by default); a larger one is answered 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Builds the router and starts its workers on the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// A [`BuildError`] naming the route or setting at fault: no route, a path that is not plain
    /// or is given twice, a route without a handler, a zero setting, no runtime.
    pub fn build(self) -> Result<WebhookRouter, BuildError> {
        for (setting, value) in [
            ("workers", self.workers),
            ("queue_capacity", self.queue_capacity),
            ("body_limit", self.body_limit),
        ] {
            if value == 0 {
                return Err(BuildError::Zero { setting });
            }
        }
        if self.routes.is_empty() {
            return Err(BuildError::NoRoutes);
        }
        for (i, (path, route)) in self.routes.iter().enumerate() {
            check_path(path)?;
            if self.routes[..i].iter().any(|(p, _)| p == path) {
                return Err(BuildError::DuplicatePath { path: path.clone() });
            }
            if route.handler.is_none() && self.handler.is_none() {
                return Err(BuildError::NoHandler { path: path.clone() });
            }
        }
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| BuildError::NoRuntime)?;
        let (queue, jobs) = tokio::sync::mpsc::channel(self.queue_capacity);
        let mut defaults = self.stores;
        if defaults.dedup.is_none() {
            defaults.dedup = Some(Arc::new(InMemoryDeduplicator::default()));
        }
        let mut router = Router::new();
        for (path, route) in self.routes {
            let stores = route.stores.or(&defaults);
            let (Some(handler), Some(dedup)) =
                (route.handler.or(self.handler.clone()), stores.dedup)
            else {
                // Checked above: every route has a handler, and `defaults` a deduplicator.
                return Err(BuildError::NoHandler { path });
            };
            let state = Arc::new(RouteState {
                path: Arc::from(path.as_str()),
                verifier: route.verifier,
                verify_token: route.verify_token,
                handler,
                dedup,
                windows: stores.windows,
                opt_outs: stores.opt_outs,
                keywords: stores.keywords.unwrap_or_default(),
                queue: queue.clone(),
                ack_deadline: self.ack_deadline,
            });
            let for_post = state.clone();
            router = router.route(
                &path,
                get(move |RawQuery(query): RawQuery| delivery::handshake(state.clone(), query))
                    .post(move |headers, body| delivery::deliver(for_post.clone(), headers, body))
                    .layer(DefaultBodyLimit::max(self.body_limit)),
            );
        }
        let workers = delivery::spawn_workers(&runtime, self.workers, jobs);
        Ok(WebhookRouter {
            router,
            workers: Workers { handles: workers },
        })
    }
}

/// Refuses paths axum would panic on or read as captures.
fn check_path(path: &str) -> Result<(), BuildError> {
    let invalid = |reason| {
        Err(BuildError::InvalidPath {
            path: path.to_owned(),
            reason,
        })
    };
    if !path.starts_with('/') {
        return invalid("must start with '/'");
    }
    if path.contains(['{', '}', '*', '?', '#']) {
        return invalid("must be plain: no '{', '}', '*', '?' or '#'");
    }
    if path.contains("//") || path.chars().any(char::is_whitespace) {
        return invalid("must have no empty segment and no whitespace");
    }
    if path.contains("/:") {
        return invalid("no segment may start with ':'");
    }
    Ok(())
}

/// The built receiver: an axum [`Router`] with its routes, and the [`Workers`] running handlers.
#[derive(Debug)]
pub struct WebhookRouter {
    router: Router,
    workers: Workers,
}

impl WebhookRouter {
    /// Starts a builder.
    pub fn builder() -> WebhookRouterBuilder {
        WebhookRouterBuilder::default()
    }

    /// The router (merge or nest it into your own app) and the workers, to wait for their queue to
    /// drain at shutdown ([`Workers::drained`]).
    pub fn into_parts(self) -> (Router, Workers) {
        (self.router, self.workers)
    }

    /// The router alone; the workers keep running until the router (all its copies) is dropped.
    pub fn into_router(self) -> Router {
        self.router
    }
}

impl From<WebhookRouter> for Router {
    fn from(webhooks: WebhookRouter) -> Self {
        webhooks.into_router()
    }
}

/// The worker tasks of a [`WebhookRouter`].
#[derive(Debug)]
pub struct Workers {
    handles: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Waits until the workers stop: when every copy of the router is dropped (after
    /// `axum::serve` returns) and every queued event has been handled.
    pub async fn drained(self) {
        for handle in self.handles {
            // A worker never panics (handlers run in tasks of their own); a cancelled one is gone.
            let _ = handle.await;
        }
    }
}
