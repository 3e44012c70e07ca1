//! A local check before sending: the 24-hour window and marketing opt-outs.
//!
//! [`SendGuard`] combines a [`WindowTracker`] and an [`OptOutStore`] and answers, for a recipient,
//! what is being sent and `now` (unix seconds), whether the send may go out:
//!
//! | sending | refused when | refusal |
//! |---|---|---|
//! | a free-form (non-template) message | the customer-service window is closed | [`Refusal::WindowClosed`] |
//! | a free-form message | the window tracker fails (unless [`SendGuard::allow_free_form_on_window_error`]) | [`Refusal::WindowUnavailable`] |
//! | a marketing template | the user opted out of marketing | [`Refusal::OptedOut`] |
//! | a marketing template | the opt-out store fails | [`Refusal::OptOutUnavailable`] |
//! | any other template | never | — |
//!
//! Meta would refuse the same sends (errors 131047 and 131050); the guard saves the round trip and
//! the failed-status webhook. Opt-outs cover marketing only, as Meta's `user_preferences` do:
//! free-form answers and utility or authentication templates still reach an opted-out user.
//!
//! ```
//! use whatsapp_cloud::error::Refusal;
//! use whatsapp_cloud::policy::{
//!     InMemoryOptOutStore, InMemoryWindowTracker, Intent, OptOutStore, Outgoing, SendGuard,
//!     Source, UserKey, WindowTracker, block_on,
//! };
//!
//! let guard = SendGuard::new(InMemoryWindowTracker::default(), InMemoryOptOutStore::new());
//! let user = UserKey::phone("16505551234");
//! let now = 1_700_000_000;
//! let check = |what| block_on(guard.check(&user, &what, now));
//! assert!(matches!(check(Outgoing::FreeForm), Err(Refusal::WindowClosed { .. })));
//! assert_eq!(check(Outgoing::template("order_update")), Ok(()));
//!
//! block_on(guard.windows().record_inbound(&user, now - 60))?;
//! assert_eq!(check(Outgoing::FreeForm), Ok(()));
//!
//! block_on(guard.opt_outs().record(&user, Intent::OptOut, Source::Keyword, now - 30))?;
//! assert!(matches!(
//!     check(Outgoing::marketing_template("summer_sale")),
//!     Err(Refusal::OptedOut { .. })
//! ));
//! # Ok::<(), whatsapp_cloud::policy::StoreError>(())
//! ```

use super::key::UserKey;
use super::opt_out::{Intent, Keywords};
use super::store::{BoxFuture, OptOutStore, StoreError, WindowTracker};
use crate::error::Refusal;
use crate::ids::Recipient;
use crate::webhook::{Event, Payload};

/// What is about to be sent, as far as the guard cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outgoing<'a> {
    /// Any non-template message (text, media, interactive, reaction, …): needs an open window.
    FreeForm,
    /// A template message: allowed outside the window.
    Template {
        /// The template name, quoted in a refusal.
        name: &'a str,
        /// True for a marketing template: refused to users who opted out of marketing.
        marketing: bool,
    },
}

impl<'a> Outgoing<'a> {
    /// A utility or authentication template.
    pub fn template(name: &'a str) -> Self {
        Self::Template {
            name,
            marketing: false,
        }
    }

    /// A marketing template.
    pub fn marketing_template(name: &'a str) -> Self {
        Self::Template {
            name,
            marketing: true,
        }
    }
}

/// A rule deciding whether a send may go out, object-safe so a client can hold any
/// (`Arc<dyn SendPolicy + Send + Sync>`). Its methods are async, so a policy over network stores
/// does not block a thread.
pub trait SendPolicy: Send + Sync {
    /// `Ok(())` when `what` may be sent to `to` at `now` (unix seconds).
    ///
    /// # Errors
    ///
    /// A [`Refusal`] naming the recipient (and the template) when a local rule forbids the send, or
    /// when the state the rule needs cannot be read.
    fn check<'a>(
        &'a self,
        to: &'a UserKey,
        what: &'a Outgoing<'a>,
        now: u64,
    ) -> BoxFuture<'a, Result<(), Refusal>>;

    /// Records that a message was sent to `to` at `at` (unix seconds); it may open a
    /// free-entry-point window.
    ///
    /// # Errors
    ///
    /// The store's [`StoreError`]; the message itself was sent.
    fn record_sent<'a>(&'a self, to: &'a UserKey, at: u64)
    -> BoxFuture<'a, Result<(), StoreError>>;
}

/// The window and opt-out rules together.
///
/// Users never heard from (or forgotten by a bounded tracker) have a closed window, so free-form
/// messages to them are refused; [`SendGuard::allow_unknown_users`] lets those through to Meta, which
/// then decides (error 131047 when the window is in fact closed), useful right after a restart when
/// the tracker is empty.
///
/// When a store fails, the guard errs on the side of Meta's rules: a marketing template whose
/// opt-out cannot be read is refused ([`Refusal::OptOutUnavailable`]); a free-form message whose
/// window cannot be read is refused too ([`Refusal::WindowUnavailable`]) unless
/// [`SendGuard::allow_free_form_on_window_error`] lets it through to Meta.
#[derive(Debug, Clone)]
#[must_use]
pub struct SendGuard<W, O> {
    windows: W,
    opt_outs: O,
    allow_unknown: bool,
    allow_on_window_error: bool,
}

impl<W: WindowTracker, O: OptOutStore> SendGuard<W, O> {
    /// A guard over a window tracker and an opt-out store (owned, borrowed or `Arc`-shared).
    pub fn new(windows: W, opt_outs: O) -> Self {
        Self {
            windows,
            opt_outs,
            allow_unknown: false,
            allow_on_window_error: false,
        }
    }

    /// Lets free-form messages to users the tracker knows nothing about through (default: refused).
    pub fn allow_unknown_users(mut self, allow: bool) -> Self {
        self.allow_unknown = allow;
        self
    }

    /// Lets free-form messages through when the window tracker fails (default: refused with
    /// [`Refusal::WindowUnavailable`]); Meta then decides, with error 131047 for a closed window.
    pub fn allow_free_form_on_window_error(mut self, allow: bool) -> Self {
        self.allow_on_window_error = allow;
        self
    }

    /// The window tracker, to feed it.
    pub fn windows(&self) -> &W {
        &self.windows
    }

    /// The opt-out store, to feed it.
    pub fn opt_outs(&self) -> &O {
        &self.opt_outs
    }

    /// `Ok(())` when `what` may be sent to `to` at `now` (unix seconds).
    ///
    /// # Errors
    ///
    /// [`Refusal::WindowClosed`] for a free-form message outside the customer-service window;
    /// [`Refusal::OptedOut`] for a marketing template to a user who opted out;
    /// [`Refusal::WindowUnavailable`] and [`Refusal::OptOutUnavailable`] when the store the rule
    /// needs fails (see [`SendGuard`]).
    pub async fn check(&self, to: &UserKey, what: &Outgoing<'_>, now: u64) -> Result<(), Refusal> {
        match *what {
            Outgoing::FreeForm => {
                let window = match self.windows.window(to).await {
                    Ok(window) => window,
                    Err(_) if self.allow_on_window_error => return Ok(()),
                    Err(error) => {
                        return Err(Refusal::WindowUnavailable {
                            recipient: to.to_string(),
                            reason: error.chain(),
                        });
                    }
                };
                let open = match window {
                    Some(window) => window.state(now).allows_free_form(),
                    None => self.allow_unknown,
                };
                if open {
                    Ok(())
                } else {
                    Err(Refusal::WindowClosed {
                        recipient: to.to_string(),
                    })
                }
            }
            Outgoing::Template {
                name,
                marketing: true,
            } => match self.opt_outs.is_opted_out(to).await {
                Ok(false) => Ok(()),
                Ok(true) => Err(Refusal::OptedOut {
                    recipient: to.to_string(),
                    template: name.to_owned(),
                }),
                Err(error) => Err(Refusal::OptOutUnavailable {
                    recipient: to.to_string(),
                    template: name.to_owned(),
                    reason: error.chain(),
                }),
            },
            Outgoing::Template { .. } => Ok(()),
        }
    }

    /// [`SendGuard::check`] for a send's recipient; group recipients always pass (groups have no
    /// per-user window or opt-out).
    ///
    /// # Errors
    ///
    /// As [`SendGuard::check`].
    pub async fn check_recipient(
        &self,
        to: &Recipient,
        what: &Outgoing<'_>,
        now: u64,
    ) -> Result<(), Refusal> {
        match UserKey::from_recipient(to) {
            Some(key) => self.check(&key, what, now).await,
            None => Ok(()),
        }
    }

    /// Records that a message was sent to `to` at `at` (unix seconds): an answer to a
    /// Click-to-WhatsApp ad message opens a free-entry-point window.
    ///
    /// # Errors
    ///
    /// The window tracker's [`StoreError`].
    pub fn record_sent<'a>(
        &'a self,
        to: &'a UserKey,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.windows.record_outbound(to, at)
    }

    /// Feeds one webhook event to both the window tracker ([`WindowTracker::observe`]) and the
    /// opt-out store ([`OptOutStore::observe`] with `keywords`); returns the opt-out change it
    /// recorded, if any (to confirm it to the user, say). A change of phone number or BSUID
    /// ([`IdChange`](super::IdChange)) moves the user's window and opt-out to the new ids in both.
    /// Both stores are fed even when one fails.
    ///
    /// # Errors
    ///
    /// The first store's [`StoreError`].
    pub fn observe<'a>(
        &'a self,
        event: &Event<'_>,
        keywords: &Keywords,
    ) -> BoxFuture<'a, Result<Option<Intent>, StoreError>> {
        let windows = self.windows.observe(event);
        let opt_outs = self.opt_outs.observe(event, keywords);
        Box::pin(async move {
            let windows = windows.await;
            let opt_outs = opt_outs.await;
            windows?;
            opt_outs
        })
    }

    /// [`SendGuard::observe`] for every event of a delivery.
    ///
    /// ```
    /// use whatsapp_cloud::policy::{
    ///     InMemoryOptOutStore, InMemoryWindowTracker, Keywords, Outgoing, SendGuard, UserKey, block_on,
    /// };
    /// use whatsapp_cloud::webhook::Payload;
    /// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages",
    ///   "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},
    ///   "messages":[{"from":"16505551234","id":"wamid.A","timestamp":"1700000000","type":"text","text":{"body":"STOP"}}]}}]}]}"#;
    /// let guard = SendGuard::new(InMemoryWindowTracker::default(), InMemoryOptOutStore::new());
    /// block_on(guard.observe_payload(&Payload::from_slice(body)?, &Keywords::default()))?;
    /// let ana = UserKey::phone("16505551234");
    /// assert!(block_on(guard.check(&ana, &Outgoing::FreeForm, 1_700_000_060)).is_ok());
    /// let sale = Outgoing::marketing_template("sale");
    /// assert!(block_on(guard.check(&ana, &sale, 1_700_000_060)).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`SendGuard::observe`]; every event is fed even when one fails.
    pub fn observe_payload<'a>(
        &'a self,
        payload: &Payload,
        keywords: &Keywords,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let feeds: Vec<_> = payload
            .events()
            .map(|event| self.observe(&event, keywords))
            .collect();
        Box::pin(async move {
            let mut first_error = None;
            for feed in feeds {
                if let Err(error) = feed.await {
                    first_error.get_or_insert(error);
                }
            }
            first_error.map_or(Ok(()), Err)
        })
    }
}

impl<W: WindowTracker, O: OptOutStore> SendPolicy for SendGuard<W, O> {
    fn check<'a>(
        &'a self,
        to: &'a UserKey,
        what: &'a Outgoing<'a>,
        now: u64,
    ) -> BoxFuture<'a, Result<(), Refusal>> {
        Box::pin(SendGuard::check(self, to, what, now))
    }

    fn record_sent<'a>(
        &'a self,
        to: &'a UserKey,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        SendGuard::record_sent(self, to, at)
    }
}
