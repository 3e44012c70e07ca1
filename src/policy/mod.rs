//! The state rules: the 24-hour and free-entry-point windows, marketing opt-outs, webhook
//! redeliveries, the send guard and send pacing, with the stores that keep their state.
//!
//! # The rules
//!
//! | rule | pure part | store |
//! |---|---|---|
//! | [`window`]: the customer-service and free-entry-point windows | [`Window`], [`WindowState`] | [`WindowTracker`] |
//! | [`opt_out`]: STOP / START keywords, preference webhooks, error 131050 | [`Keywords`], [`OptOutRecord`] | [`OptOutStore`] |
//! | [`dedup`]: dropping Meta's redeliveries | [`DedupKey`], [`Delivery`] | [`Deduplicator`] |
//! | [`guard`]: refusing a send Meta would refuse | [`Outgoing`], [`SendGuard`] | [`SendPolicy`] (what a client holds) |
//! | [`pacing`]: the number's throughput and each user's pair rate | [`Pacer`], [`PacingConfig`] | none (kept by the caller), or a [`SharedPacer`] for several processes |
//!
//! A user is a [`UserKey`]: a business-scoped user id (BSUID), a phone number or both; every store
//! finds a user recorded with both by either one, and merges two records of one user when a send or
//! webhook reveals they are the same person.
//!
//! [`EventUser::user`] gives the key of any event about one user (the sender of a message, the
//! recipient of a status, the user of a preference), whichever ids Meta sent. When a user changes
//! phone number or BSUID (a `system` message, or the legacy `user_id_update` field: an
//! [`IdChange`]), the stores' `observe` methods call their `rename`, so the user's window and
//! opt-out follow to the new ids; a store of your own inherits this from the traits' default
//! `rename`. Deduplication needs nothing: its keys are message ids, which do not change.
//!
//! # The stores
//!
//! The store traits ([`store`]) are async and object-safe: each method returns a [`BoxFuture`], so a
//! store backed by a network service (Redis, a database) waits for its answer without blocking a
//! thread, on any runtime. The rules themselves stay synchronous and pure; only the store boundary
//! is async. The in-memory stores ([`InMemoryWindowTracker`], [`InMemoryOptOutStore`],
//! [`InMemoryDeduplicator`]) implement the same traits with futures that are ready at once and never
//! fail; [`block_on`] runs them from synchronous code.
//!
//! # When a store fails
//!
//! A store that cannot answer returns a [`StoreError`]. The rules then choose the safe side:
//!
//! - a **marketing template** whose recipient's opt-out cannot be read is refused with
//!   [`Refusal::OptOutUnavailable`](crate::error::Refusal::OptOutUnavailable): sending marketing to
//!   someone who asked for none is worse than a late campaign;
//! - a **free-form message** whose recipient's window cannot be read is refused with
//!   [`Refusal::WindowUnavailable`](crate::error::Refusal::WindowUnavailable) by default;
//!   [`SendGuard::allow_free_form_on_window_error`] lets it through to Meta instead, which refuses
//!   it with error 131047 if the window is in fact closed;
//! - a **dedup check** that fails counts as a first delivery
//!   ([`Deduplicator::check_event`], [`Deduplicator::check_or_first`]): processing a duplicate is
//!   better than losing a message.
//!
//! # Time
//!
//! Every rule takes the current time as an argument, never reads a clock, and so is testable without
//! sleeping: unix seconds (`u64`, see [`unix_seconds`]) for windows, opt-outs and dedup, a
//! [`Duration`](std::time::Duration) since an epoch of the caller's choosing for pacing.
//!
//! ```
//! use whatsapp_cloud::policy::{
//!     DedupKey, Deduplicator, InMemoryDeduplicator, InMemoryOptOutStore, InMemoryWindowTracker,
//!     Outgoing, SendGuard, UserKey, WindowTracker, block_on,
//! };
//! let guard = SendGuard::new(InMemoryWindowTracker::default(), InMemoryOptOutStore::new());
//! let seen = InMemoryDeduplicator::default();
//! let ana = UserKey::phone("16505551234");
//! let now = 1_700_000_000;
//! if block_on(seen.check_or_first(&DedupKey::message("wamid.A"), now)).is_first() {
//!     block_on(guard.windows().record_inbound(&ana, now))?;
//! }
//! assert_eq!(block_on(guard.check(&ana, &Outgoing::FreeForm, now + 60)), Ok(()));
//! # Ok::<(), whatsapp_cloud::policy::StoreError>(())
//! ```

mod compact;
pub mod dedup;
mod feed;
pub mod guard;
mod identity;
mod index;
mod key;
pub mod memory;
pub mod opt_out;
pub mod pacing;
pub mod store;
pub mod window;

pub use dedup::{DedupKey, Delivery};
pub use guard::{Outgoing, SendGuard, SendPolicy};
pub use identity::{EventUser, IdChange, user_of};
#[cfg(feature = "redis")]
pub(crate) use key::Merge;
pub use key::UserKey;
pub use memory::{InMemoryDeduplicator, InMemoryOptOutStore, InMemoryWindowTracker};
pub use opt_out::{Intent, Keywords, MARKETING_OPT_OUT_ERROR, OptOutRecord, Source, normalize};
pub use pacing::{Admission, Pacer, PacingConfig};
pub use store::{
    BoxFuture, Deduplicator, OptOutStore, SharedAdmission, SharedPacer, StoreError, WindowTracker,
    block_on,
};
pub use window::{
    CUSTOMER_SERVICE_WINDOW_SECS, FREE_ENTRY_POINT_REPLY_SECS, FREE_ENTRY_POINT_WINDOW_SECS,
    FreeEntryPoint, Window, WindowState, unix_seconds,
};

#[cfg(test)]
mod tests;
