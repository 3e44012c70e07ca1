//! The store traits, side by side: where windows ([`WindowTracker`]), opt-outs ([`OptOutStore`])
//! and seen deliveries ([`Deduplicator`]) are kept.
//!
//! Every method returns a [`BoxFuture`], so a store backed by a network service (Redis, a database)
//! waits for its answer without blocking a thread, and every trait stays object-safe
//! (`Arc<dyn WindowTracker>` works). The futures need no particular runtime. A method that can fail
//! returns [`StoreError`]; the in-memory stores ([`super::memory`]) answer at once and never fail.
//!
//! The rules themselves (window arithmetic, keyword matching, merging two records of one user) are
//! synchronous, pure functions the stores call: only the store boundary is async.
//!
//! A store of your own returns `Box::pin(async move { ... })` from each method, awaiting its client
//! inside (here a stand-in for a Redis `SET key 1 NX EX 604800`):
//!
//! ```
//! use std::collections::HashSet;
//! use std::sync::Mutex;
//! use whatsapp_cloud::policy::{BoxFuture, DedupKey, Deduplicator, Delivery, StoreError, block_on};
//!
//! /// Seen keys kept by a remote service.
//! struct RemoteDedup {
//!     service: Mutex<HashSet<String>>, // stands in for a connection pool
//! }
//!
//! impl RemoteDedup {
//!     async fn set_if_absent(&self, key: String) -> Result<bool, StoreError> {
//!         let mut set = self.service.lock().map_err(|_| StoreError::new("connection lost"))?;
//!         Ok(set.insert(key))
//!     }
//! }
//!
//! impl Deduplicator for RemoteDedup {
//!     fn check<'a>(&'a self, key: &'a DedupKey, _now: u64) -> BoxFuture<'a, Result<Delivery, StoreError>> {
//!         Box::pin(async move {
//!             let first = self.set_if_absent(key.to_string()).await?;
//!             Ok(if first { Delivery::First } else { Delivery::Duplicate })
//!         })
//!     }
//!
//!     fn forget<'a>(&'a self, key: &'a DedupKey) -> BoxFuture<'a, Result<(), StoreError>> {
//!         Box::pin(async move {
//!             self.service.lock().map_err(|_| StoreError::new("connection lost"))?.remove(&key.to_string());
//!             Ok(())
//!         })
//!     }
//! }
//!
//! let seen = RemoteDedup { service: Mutex::new(HashSet::new()) };
//! let key = DedupKey::message("wamid.A");
//! assert_eq!(block_on(seen.check_or_first(&key, 0)), Delivery::First);
//! assert_eq!(block_on(seen.check_or_first(&key, 0)), Delivery::Duplicate);
//! ```

use super::dedup::{DedupKey, Delivery};
use super::feed::{self, WindowFact};
use super::identity::IdChange;
use super::key::UserKey;
use super::opt_out::{Intent, Keywords, OptOutRecord, Source};
use super::window::{Window, WindowState};
use crate::webhook::{Event, Payload};
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

/// A boxed, sendable future: what every store method returns (std only, like `futures`'
/// `BoxFuture`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A future that is ready at once with `value`.
pub(crate) fn ready<'a, T: Send + 'a>(value: T) -> BoxFuture<'a, T> {
    Box::pin(std::future::ready(value))
}

/// A future that is ready at once with what `value` returns. A function that captures nothing is
/// zero-sized, and boxing a zero-sized future allocates nothing: the in-memory stores answer their
/// common outcomes (`Ok(())`, yes or no) this way, without a trip to the allocator per call.
pub(crate) fn ready_with<'a, T, F>(value: F) -> BoxFuture<'a, T>
where
    F: Fn() -> T + Send + Unpin + 'a,
{
    Box::pin(ReadyWith(value))
}

/// `Ok(())` as a future, without an allocation.
pub(crate) fn done<'a>() -> BoxFuture<'a, Result<(), StoreError>> {
    ready_with(|| Ok(()))
}

/// The future of [`ready_with`].
struct ReadyWith<F>(F);

impl<T, F: Fn() -> T + Unpin> Future for ReadyWith<F> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<T> {
        Poll::Ready((self.0)())
    }
}

/// Runs a future to completion on the current thread, parking it while the future waits.
///
/// For synchronous code over stores whose futures need no runtime: the in-memory stores' futures are
/// ready at once, so this returns immediately. Do not call it from inside an async task (it blocks
/// the thread), nor on a future that needs a runtime's reactor or timers (such as tokio I/O).
///
/// ```
/// use whatsapp_cloud::policy::{InMemoryWindowTracker, UserKey, WindowTracker, block_on};
/// let tracker = InMemoryWindowTracker::default();
/// let user = UserKey::phone("16505551234");
/// block_on(tracker.record_inbound(&user, 1_700_000_000))?;
/// assert!(block_on(tracker.state(&user, 1_700_000_060))?.allows_free_form());
/// # Ok::<(), whatsapp_cloud::policy::StoreError>(())
/// ```
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    // A future that is ready at once (every in-memory store's) needs no waker: try that first.
    if let Poll::Ready(output) = future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        return output;
    }
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(output) => return output,
            // A spurious wake-up only polls again.
            Poll::Pending => std::thread::park(),
        }
    }
}

/// A store could not answer: the service behind it failed or could not be reached.
///
/// What the rules do then is set in [`super::SendGuard`] and [`Deduplicator::check_event`]: an
/// unreadable opt-out refuses a marketing send, an unreadable window refuses a free-form send (by
/// default), a failed dedup check counts as a first delivery.
///
/// ```
/// use whatsapp_cloud::policy::StoreError;
/// let io = std::io::Error::new(std::io::ErrorKind::TimedOut, "no answer in 2 s");
/// let error = StoreError::with_source("reading the opt-out of a user", io);
/// assert_eq!(error.to_string(), "reading the opt-out of a user");
/// assert!(std::error::Error::source(&error).is_some());
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct StoreError {
    message: String,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl StoreError {
    /// An error saying what failed.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// An error saying what failed, caused by `source` (the client's or the driver's error).
    pub fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// What failed.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The message followed by every cause, joined by `": "`.
    pub(crate) fn chain(&self) -> String {
        let mut out = self.message.clone();
        let mut cause = StdError::source(self);
        while let Some(c) = cause {
            out.push_str(": ");
            out.push_str(&c.to_string());
            cause = c.source();
        }
        out
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for StoreError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

/// Where windows are kept: fed with inbound messages, calls and business sends, asked for a
/// [`WindowState`].
///
/// Methods take `&self` so one tracker can be shared (`Arc`) between the webhook handler that feeds
/// it and the code that sends; implementations synchronise inside. All times are unix seconds. The
/// rules live in [`Window`]: a store keeps one per user (by [`UserKey`]) and calls its `record_*`
/// methods, or does the same arithmetic where its data lives.
pub trait WindowTracker: Send + Sync {
    /// Records an inbound message or user-initiated call from `user` at `at`.
    fn record_inbound<'a>(
        &'a self,
        user: &'a UserKey,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Records an inbound message from a free entry point (Click-to-WhatsApp ad) at `at`.
    fn record_entry_point<'a>(
        &'a self,
        user: &'a UserKey,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Records a message the business sent to `user` at `at`.
    fn record_outbound<'a>(
        &'a self,
        user: &'a UserKey,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Records the end of `user`'s free-entry-point window as Meta reported it in a status
    /// ([`Window::record_free_entry_point_until`]).
    fn record_free_entry_point_until<'a>(
        &'a self,
        user: &'a UserKey,
        closes_at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// The known facts about `user`, if any.
    fn window<'a>(&'a self, user: &'a UserKey)
    -> BoxFuture<'a, Result<Option<Window>, StoreError>>;

    /// The user known as `before` changed phone number or business-scoped user id and is now
    /// `after` ([`IdChange`]): `after`'s window must hold what `before`'s held.
    ///
    /// The default reads `before`'s window and records its facts under `after` with the
    /// `record_*` methods (the record under `before` stays, harmless: the window is the same
    /// person's). A store that can move or alias a record (the in-memory tracker does) overrides it.
    ///
    /// # Errors
    ///
    /// The first [`StoreError`].
    fn rename<'a>(
        &'a self,
        before: &'a UserKey,
        after: &'a UserKey,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let Some(window) = self.window(before).await? else {
                return Ok(());
            };
            let [inbound, entry_point, answered, reported] = window.replay();
            if let Some(at) = inbound {
                self.record_inbound(after, at).await?;
            }
            if let Some(at) = entry_point {
                self.record_entry_point(after, at).await?;
            }
            if let Some(at) = answered {
                self.record_outbound(after, at).await?;
            }
            if let Some(at) = reported {
                self.record_free_entry_point_until(after, at).await?;
            }
            Ok(())
        })
    }

    /// The decision for a send to `user` at `now`; an unknown user's window is closed.
    fn state<'a>(
        &'a self,
        user: &'a UserKey,
        now: u64,
    ) -> BoxFuture<'a, Result<WindowState, StoreError>> {
        Box::pin(async move { Ok(self.window(user).await?.unwrap_or_default().state(now)) })
    }

    /// Feeds one webhook event, using the timestamps it carries:
    ///
    /// - an inbound message in a one-to-one chat (any type but `system`) opens or extends the
    ///   sender's window; one carrying a Click-to-WhatsApp ad `referral` (`source_type: ad` or a
    ///   `ctwa_clid`) is an entry point;
    /// - a `sent`, `delivered`, `read` or `played` status is a business send to its recipient (it may
    ///   open a free-entry-point window); when it is priced `free_entry_point` (or its conversation
    ///   origin is `referral_conversion`) its `conversation.expiration_timestamp` is the reported end
    ///   of the free-entry-point window;
    /// - a user-initiated call (`calls` field, `direction: USER_INITIATED`) opens or extends the
    ///   caller's window from its `connect` timestamp (or a `terminate`'s `start_time`);
    /// - a change of phone number or business-scoped user id (a `system` message
    ///   `user_changed_number`, `user_changed_user_id` or `customer_changed_number`, or a legacy
    ///   `user_id_update` entry) moves the user's window to the new ids
    ///   ([`WindowTracker::rename`]).
    ///
    /// Group messages and everything else are ignored. Entry points reached through a Facebook Page
    /// button carry no referral: record those with [`WindowTracker::record_entry_point`]. The event
    /// is read before the future is returned; the future holds no borrow of it.
    ///
    /// # Errors
    ///
    /// The first [`StoreError`]; the facts after it are not recorded.
    fn observe<'a>(&'a self, event: &Event<'_>) -> BoxFuture<'a, Result<(), StoreError>> {
        apply_window_facts(self, feed::window_facts(event))
    }

    /// Feeds every event of a webhook delivery ([`WindowTracker::observe`]).
    ///
    /// ```
    /// use whatsapp_cloud::policy::{InMemoryWindowTracker, UserKey, WindowTracker, block_on};
    /// use whatsapp_cloud::webhook::Payload;
    /// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages",
    ///   "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},
    ///   "contacts":[{"profile":{"name":"Ana"},"wa_id":"16505551234","user_id":"US.13491208655302741918"}],
    ///   "messages":[{"from":"16505551234","id":"wamid.A","timestamp":"1700000000","type":"text","text":{"body":"Hi"}}]}}]}]}"#;
    /// let tracker = InMemoryWindowTracker::default();
    /// block_on(tracker.observe_payload(&Payload::from_slice(body)?))?;
    /// let state = block_on(tracker.state(&UserKey::user_id("US.13491208655302741918"), 1_700_000_060))?;
    /// assert_eq!(state.closes_at(), Some(1_700_086_400));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`WindowTracker::observe`].
    fn observe_payload<'a>(&'a self, payload: &Payload) -> BoxFuture<'a, Result<(), StoreError>> {
        let facts = payload
            .events()
            .flat_map(|event| feed::window_facts(&event))
            .collect();
        apply_window_facts(self, facts)
    }
}

/// Records `facts` in order, stopping at the first error.
fn apply_window_facts<T: WindowTracker + ?Sized>(
    tracker: &T,
    facts: Vec<WindowFact>,
) -> BoxFuture<'_, Result<(), StoreError>> {
    Box::pin(async move {
        for fact in facts {
            match fact {
                WindowFact::Inbound(user, at) => tracker.record_inbound(&user, at).await?,
                WindowFact::EntryPoint(user, at) => tracker.record_entry_point(&user, at).await?,
                WindowFact::Outbound(user, at) => tracker.record_outbound(&user, at).await?,
                WindowFact::FreeEntryPointUntil(user, at) => {
                    tracker.record_free_entry_point_until(&user, at).await?;
                }
                WindowFact::Renamed(before, after) => tracker.rename(&before, &after).await?,
            }
        }
        Ok(())
    })
}

/// Where opt-outs are kept.
///
/// Methods take `&self` so one store can be shared (`Arc`) between the webhook handler and the
/// sender; implementations synchronise inside. The latest change wins, by its time
/// ([`OptOutRecord::later`]).
pub trait OptOutStore: Send + Sync {
    /// Records that `user` asked for `intent` at `at` (unix seconds); an older change than the one
    /// stored is ignored.
    fn record<'a>(
        &'a self,
        user: &'a UserKey,
        intent: Intent,
        source: Source,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// The latest change of `user`, if any.
    fn status<'a>(
        &'a self,
        user: &'a UserKey,
    ) -> BoxFuture<'a, Result<Option<OptOutRecord>, StoreError>>;

    /// The user known as `before` changed phone number or business-scoped user id and is now
    /// `after` ([`IdChange`]): an opt-out recorded under `before` must hold under
    /// `after`.
    ///
    /// The default records `before`'s latest change under `after` (the later change wins, as
    /// always; the record under `before` stays, on the safe side). A store that can move or alias a
    /// record (the in-memory store does) overrides it.
    ///
    /// # Errors
    ///
    /// The first [`StoreError`].
    fn rename<'a>(
        &'a self,
        before: &'a UserKey,
        after: &'a UserKey,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            if let Some(r) = self.status(before).await? {
                self.record(after, r.intent, r.source, r.at).await?;
            }
            Ok(())
        })
    }

    /// True when `user`'s latest change is an opt-out.
    fn is_opted_out<'a>(&'a self, user: &'a UserKey) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move { Ok(self.status(user).await?.is_some_and(|r| r.is_opted_out())) })
    }

    /// Feeds one webhook event and returns what it recorded, if anything:
    ///
    /// - a one-to-one text message, or a template quick-reply button tap, whose whole text is a
    ///   keyword of `keywords` ([`Source::Keyword`], at the message's timestamp);
    /// - a `user_preferences` entry of category `marketing_messages`: `stop` opts out, `resume` and
    ///   `signup` (a marketing sign-up link) resume ([`Source::UserPreferences`]);
    /// - a failed status with error 131050 opts the recipient out ([`Source::FailedStatus`]);
    /// - a change of phone number or business-scoped user id ([`IdChange::of_event`]) moves the
    ///   user's record to the new ids ([`OptOutStore::rename`]); nothing is returned for it.
    ///
    /// The event is read before the future is returned; the future holds no borrow of it.
    ///
    /// ```
    /// use whatsapp_cloud::policy::{InMemoryOptOutStore, Intent, Keywords, OptOutStore, UserKey, block_on};
    /// use whatsapp_cloud::webhook::Payload;
    /// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"user_preferences",
    ///   "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},
    ///   "user_preferences":[{"wa_id":"16505551234","detail":"User requested to stop marketing messages",
    ///   "category":"marketing_messages","value":"stop","timestamp":1731705721}]}}]}]}"#;
    /// let store = InMemoryOptOutStore::new();
    /// let payload = Payload::from_slice(body)?;
    /// let mut recorded = Vec::new();
    /// for event in payload.events() {
    ///     recorded.extend(block_on(store.observe(&event, &Keywords::default()))?);
    /// }
    /// assert_eq!(recorded, [Intent::OptOut]);
    /// assert!(block_on(store.is_opted_out(&UserKey::phone("16505551234")))?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The store's [`StoreError`] when recording failed.
    fn observe<'a>(
        &'a self,
        event: &Event<'_>,
        keywords: &Keywords,
    ) -> BoxFuture<'a, Result<Option<Intent>, StoreError>> {
        if let Some(IdChange { before, after, .. }) = IdChange::of_event(event) {
            return Box::pin(async move {
                self.rename(&before, &after).await?;
                Ok(None)
            });
        }
        let Some(change) = feed::opt_out_change(event, keywords) else {
            return ready(Ok(None));
        };
        Box::pin(async move {
            self.record(&change.user, change.intent, change.source, change.at)
                .await?;
            Ok(Some(change.intent))
        })
    }
}

/// Remembers which webhook items were already processed.
///
/// Methods take `&self` so one deduplicator can be shared (`Arc`) between handler tasks;
/// implementations synchronise inside.
pub trait Deduplicator: Send + Sync {
    /// Marks `key` as seen at `now` (unix seconds) and says whether it had been seen before.
    fn check<'a>(
        &'a self,
        key: &'a DedupKey,
        now: u64,
    ) -> BoxFuture<'a, Result<Delivery, StoreError>>;

    /// Forgets `key`, so that Meta's redelivery is processed: call it when processing a
    /// [`Delivery::First`] item failed and the webhook is answered with an error.
    fn forget<'a>(&'a self, key: &'a DedupKey) -> BoxFuture<'a, Result<(), StoreError>>;

    /// [`Deduplicator::check`] that **fails open**: when the store cannot answer, the item counts
    /// as [`Delivery::First`] (processing a duplicate is better than losing a delivery).
    fn check_or_first<'a>(&'a self, key: &'a DedupKey, now: u64) -> BoxFuture<'a, Delivery> {
        Box::pin(async move { self.check(key, now).await.unwrap_or(Delivery::First) })
    }

    /// [`Deduplicator::check_or_first`] with the key of a webhook event
    /// ([`DedupKey::of_event`]); an event without a key, or one the store cannot check, is
    /// [`Delivery::First`].
    ///
    /// ```
    /// use whatsapp_cloud::policy::{Deduplicator, Delivery, InMemoryDeduplicator, block_on};
    /// use whatsapp_cloud::webhook::Payload;
    /// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages",
    ///   "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},
    ///   "messages":[{"from":"16505551234","id":"wamid.A","timestamp":"1700000000","type":"text","text":{"body":"Hi"}}]}}]}]}"#;
    /// let seen = InMemoryDeduplicator::default();
    /// let payload = Payload::from_slice(body)?;
    /// let first: Vec<_> = payload.events().map(|e| block_on(seen.check_event(&e, 1_700_000_001))).collect();
    /// let again: Vec<_> = payload.events().map(|e| block_on(seen.check_event(&e, 1_700_000_090))).collect();
    /// assert_eq!((first, again), (vec![Delivery::First], vec![Delivery::Duplicate]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn check_event<'a>(&'a self, event: &Event<'_>, now: u64) -> BoxFuture<'a, Delivery> {
        let Some(key) = DedupKey::of_event(event) else {
            return ready_with(|| Delivery::First);
        };
        Box::pin(async move { self.check_or_first(&key, now).await })
    }
}

/// Implements a store trait for `&T` and `Arc<T>` by forwarding every method (an implementation's
/// own `observe`, say, is kept).
macro_rules! forward {
    ($trait:ident { $(fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $out:ty;)* }) => {
        forward!(@impl [&T] $trait { $(fn $name(&self $(, $arg: $ty)*) -> $out;)* });
        forward!(@impl [Arc<T>] $trait { $(fn $name(&self $(, $arg: $ty)*) -> $out;)* });
    };
    (@impl [$($ptr:tt)*] $trait:ident { $(fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $out:ty;)* }) => {
        impl<T: $trait + ?Sized> $trait for $($ptr)* {
            $(
                fn $name<'a>(&'a self $(, $arg: $ty)*) -> BoxFuture<'a, $out> {
                    (**self).$name($($arg),*)
                }
            )*
        }
    };
}

forward!(WindowTracker {
    fn record_inbound(&self, user: &'a UserKey, at: u64) -> Result<(), StoreError>;
    fn record_entry_point(&self, user: &'a UserKey, at: u64) -> Result<(), StoreError>;
    fn record_outbound(&self, user: &'a UserKey, at: u64) -> Result<(), StoreError>;
    fn record_free_entry_point_until(&self, user: &'a UserKey, closes_at: u64) -> Result<(), StoreError>;
    fn window(&self, user: &'a UserKey) -> Result<Option<Window>, StoreError>;
    fn rename(&self, before: &'a UserKey, after: &'a UserKey) -> Result<(), StoreError>;
    fn state(&self, user: &'a UserKey, now: u64) -> Result<WindowState, StoreError>;
    fn observe(&self, event: &Event<'_>) -> Result<(), StoreError>;
    fn observe_payload(&self, payload: &Payload<'_>) -> Result<(), StoreError>;
});

forward!(OptOutStore {
    fn record(&self, user: &'a UserKey, intent: Intent, source: Source, at: u64) -> Result<(), StoreError>;
    fn status(&self, user: &'a UserKey) -> Result<Option<OptOutRecord>, StoreError>;
    fn rename(&self, before: &'a UserKey, after: &'a UserKey) -> Result<(), StoreError>;
    fn is_opted_out(&self, user: &'a UserKey) -> Result<bool, StoreError>;
    fn observe(&self, event: &Event<'_>, keywords: &Keywords) -> Result<Option<Intent>, StoreError>;
});

forward!(Deduplicator {
    fn check(&self, key: &'a DedupKey, now: u64) -> Result<Delivery, StoreError>;
    fn forget(&self, key: &'a DedupKey) -> Result<(), StoreError>;
    fn check_or_first(&self, key: &'a DedupKey, now: u64) -> Delivery;
    fn check_event(&self, event: &Event<'_>, now: u64) -> Delivery;
});

/// What a [`SharedPacer`] answers, relative to when it answered (a shared pacer's clock is not the
/// caller's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SharedAdmission {
    /// A slot is booked: wait this long, then send (zero: send now).
    SendIn(Duration),
    /// The recipient must wait (pair rate or a 131056 back-off); nothing was booked. Ask again
    /// after this long.
    RetryIn(Duration),
}

/// A send pacer shared by several processes: the rules of [`Pacer`](super::Pacer) (the business
/// number's throughput, each recipient's pair rate, the 4^n back-off after error 131056) kept
/// where every replica sees them, so that together they stay within one budget.
///
/// Each method names the business number (its phone number id) and the recipient (phone numbers
/// compared by digits), so one pacer serves every number a client sends from. Waits are relative:
/// the pacer's clock (a server's) need not agree with the caller's.
///
/// A client given one (`ClientBuilder::shared_pacer`, feature `client`)
/// asks it before each message-send attempt and falls back to a local share of the rate while it
/// fails.
pub trait SharedPacer: Send + Sync {
    /// Asks for a slot to send from `number` to `recipient`; with `honour_pair` false the
    /// recipient's pair wait is ignored (the caller has waited long enough), the number's
    /// throughput still applies.
    fn admit<'a>(
        &'a self,
        number: &'a str,
        recipient: &'a str,
        honour_pair: bool,
    ) -> BoxFuture<'a, Result<SharedAdmission, StoreError>>;

    /// Records a 131056 (pair rate limit) answer: the recipient is held back for 4^n seconds, n
    /// counting consecutive 131056 answers from 0. Returns that wait.
    fn pair_rate_limited<'a>(
        &'a self,
        number: &'a str,
        recipient: &'a str,
    ) -> BoxFuture<'a, Result<Duration, StoreError>>;

    /// Records that a send to `recipient` was accepted: its back-off ends and the 4^n schedule
    /// starts again.
    fn accepted<'a>(
        &'a self,
        number: &'a str,
        recipient: &'a str,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
}

forward!(SharedPacer {
    fn admit(&self, number: &'a str, recipient: &'a str, honour_pair: bool) -> Result<SharedAdmission, StoreError>;
    fn pair_rate_limited(&self, number: &'a str, recipient: &'a str) -> Result<Duration, StoreError>;
    fn accepted(&self, number: &'a str, recipient: &'a str) -> Result<(), StoreError>;
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_answers_are_zero_sized_futures_with_their_value() {
        let future = ReadyWith(|| Ok::<(), StoreError>(()));
        assert_eq!(std::mem::size_of_val(&future), 0);
        assert!(block_on(future).is_ok());
        assert!(block_on(done()).is_ok());
        assert_eq!(block_on(ready_with(|| 7)), 7);
        // A capturing function is still answered, just not for free.
        let word = String::from("kept");
        assert_eq!(block_on(ready_with(move || word.clone())), "kept");
    }
}
