//! A local check before sending: the 24-hour window and marketing opt-outs.
//!
//! [`SendGuard`] combines a [`WindowTracker`] and an [`OptOutStore`] and answers, for a recipient,
//! what is being sent and `now` (unix seconds), whether the send may go out:
//!
//! | sending | refused when | refusal |
//! |---|---|---|
//! | a free-form (non-template) message | the customer-service window is closed | [`Refusal::WindowClosed`] |
//! | a marketing template | the user opted out of marketing | [`Refusal::OptedOut`] |
//! | any other template | never | — |
//!
//! Meta would refuse the same sends (errors 131047 and 131050); the guard saves the round trip and
//! the failed-status webhook. Opt-outs cover marketing only, as Meta's `user_preferences` do:
//! free-form answers and utility or authentication templates still reach an opted-out user.
//!
//! ```
//! use whatsapp_cloud::error::Refusal;
//! use whatsapp_cloud::guard::{Outgoing, SendGuard};
//! use whatsapp_cloud::opt_out::{InMemoryOptOutStore, Intent, OptOutStore, Source};
//! use whatsapp_cloud::window::{InMemoryWindowTracker, UserKey, WindowTracker};
//!
//! let guard = SendGuard::new(InMemoryWindowTracker::default(), InMemoryOptOutStore::new());
//! let user = UserKey::phone("16505551234");
//! let now = 1_700_000_000;
//! assert!(matches!(guard.check(&user, &Outgoing::FreeForm, now), Err(Refusal::WindowClosed { .. })));
//! assert_eq!(guard.check(&user, &Outgoing::template("order_update"), now), Ok(()));
//!
//! guard.windows().record_inbound(&user, now - 60);
//! assert_eq!(guard.check(&user, &Outgoing::FreeForm, now), Ok(()));
//!
//! guard.opt_outs().record(&user, Intent::OptOut, Source::Keyword, now - 30);
//! assert!(matches!(
//!     guard.check(&user, &Outgoing::marketing_template("summer_sale"), now),
//!     Err(Refusal::OptedOut { .. })
//! ));
//! ```

use crate::error::Refusal;
use crate::ids::Recipient;
use crate::opt_out::{Intent, Keywords, OptOutStore};
use crate::webhook::{Event, Payload};
use crate::window::{UserKey, WindowTracker};

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
/// (`Arc<dyn SendPolicy + Send + Sync>`).
pub trait SendPolicy {
    /// `Ok(())` when `what` may be sent to `to` at `now` (unix seconds).
    ///
    /// # Errors
    ///
    /// A [`Refusal`] naming the recipient (and the template) when a local rule forbids the send.
    fn check(&self, to: &UserKey, what: &Outgoing<'_>, now: u64) -> Result<(), Refusal>;

    /// Records that a message was sent to `to` at `at` (unix seconds); it may open a
    /// free-entry-point window.
    fn record_sent(&self, to: &UserKey, at: u64);
}

/// The window and opt-out rules together.
///
/// Users never heard from (or forgotten by a bounded tracker) have a closed window, so free-form
/// messages to them are refused; [`SendGuard::allow_unknown_users`] lets those through to Meta, which
/// then decides (error 131047 when the window is in fact closed), useful right after a restart when
/// the tracker is empty.
#[derive(Debug, Clone)]
#[must_use]
pub struct SendGuard<W, O> {
    windows: W,
    opt_outs: O,
    allow_unknown: bool,
}

impl<W: WindowTracker, O: OptOutStore> SendGuard<W, O> {
    /// A guard over a window tracker and an opt-out store (owned, borrowed or `Arc`-shared).
    pub fn new(windows: W, opt_outs: O) -> Self {
        Self {
            windows,
            opt_outs,
            allow_unknown: false,
        }
    }

    /// Lets free-form messages to users the tracker knows nothing about through (default: refused).
    pub fn allow_unknown_users(mut self, allow: bool) -> Self {
        self.allow_unknown = allow;
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
    /// [`Refusal::OptedOut`] for a marketing template to a user who opted out.
    pub fn check(&self, to: &UserKey, what: &Outgoing<'_>, now: u64) -> Result<(), Refusal> {
        match *what {
            Outgoing::FreeForm => {
                let Some(window) = self.windows.window(to) else {
                    return if self.allow_unknown {
                        Ok(())
                    } else {
                        Err(Refusal::WindowClosed {
                            recipient: to.to_string(),
                        })
                    };
                };
                if window.state(now).allows_free_form() {
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
            } if self.opt_outs.is_opted_out(to) => Err(Refusal::OptedOut {
                recipient: to.to_string(),
                template: name.to_owned(),
            }),
            Outgoing::Template { .. } => Ok(()),
        }
    }

    /// [`SendGuard::check`] for a send's recipient; group recipients always pass (groups have no
    /// per-user window or opt-out).
    ///
    /// # Errors
    ///
    /// As [`SendGuard::check`].
    pub fn check_recipient(
        &self,
        to: &Recipient,
        what: &Outgoing<'_>,
        now: u64,
    ) -> Result<(), Refusal> {
        match UserKey::from_recipient(to) {
            Some(key) => self.check(&key, what, now),
            None => Ok(()),
        }
    }

    /// Records that a message was sent to `to` at `at` (unix seconds): an answer to a
    /// Click-to-WhatsApp ad message opens a free-entry-point window.
    pub fn record_sent(&self, to: &UserKey, at: u64) {
        self.windows.record_outbound(to, at);
    }

    /// Feeds one webhook event to both the window tracker ([`WindowTracker::observe`]) and the
    /// opt-out store ([`OptOutStore::observe`] with `keywords`); returns the opt-out change it
    /// recorded, if any (to confirm it to the user, say).
    pub fn observe(&self, event: &Event<'_>, keywords: &Keywords) -> Option<Intent> {
        self.windows.observe(event);
        self.opt_outs.observe(event, keywords)
    }

    /// [`SendGuard::observe`] for every event of a delivery.
    ///
    /// ```
    /// use whatsapp_cloud::guard::{Outgoing, SendGuard};
    /// use whatsapp_cloud::opt_out::{InMemoryOptOutStore, Keywords};
    /// use whatsapp_cloud::webhook::Payload;
    /// use whatsapp_cloud::window::{InMemoryWindowTracker, UserKey};
    /// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages",
    ///   "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},
    ///   "messages":[{"from":"16505551234","id":"wamid.A","timestamp":"1700000000","type":"text","text":{"body":"STOP"}}]}}]}]}"#;
    /// let guard = SendGuard::new(InMemoryWindowTracker::default(), InMemoryOptOutStore::new());
    /// guard.observe_payload(&Payload::from_slice(body)?, &Keywords::default());
    /// let ana = UserKey::phone("16505551234");
    /// assert!(guard.check(&ana, &Outgoing::FreeForm, 1_700_000_060).is_ok());
    /// assert!(guard.check(&ana, &Outgoing::marketing_template("sale"), 1_700_000_060).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn observe_payload(&self, payload: &Payload, keywords: &Keywords) {
        for event in payload.events() {
            self.observe(&event, keywords);
        }
    }
}

impl<W: WindowTracker, O: OptOutStore> SendPolicy for SendGuard<W, O> {
    fn check(&self, to: &UserKey, what: &Outgoing<'_>, now: u64) -> Result<(), Refusal> {
        SendGuard::check(self, to, what, now)
    }

    fn record_sent(&self, to: &UserKey, at: u64) {
        SendGuard::record_sent(self, to, at);
    }
}
