//! State shared by several replicas on Redis (or a drop-in fork such as Valkey): webhook dedup,
//! windows, opt-outs and a shared send pacer (feature `redis`).
//!
//! [`RedisState::connect`] connects once (a `redis` crate `ConnectionManager`, which reconnects by
//! itself after a restart or a network cut) and hands out the stores, cheap clones sharing that
//! connection:
//!
//! | store | trait | what it keeps |
//! |---|---|---|
//! | [`RedisState::deduplicator`] | [`Deduplicator`](crate::policy::Deduplicator) | seen webhook items, 7 days |
//! | [`RedisState::window_tracker`] | [`WindowTracker`](crate::policy::WindowTracker) | each user's window facts |
//! | [`RedisState::opt_out_store`] | [`OptOutStore`](crate::policy::OptOutStore) | each user's latest opt-out or resume |
//! | [`RedisState::pacer`] | [`SharedPacer`](crate::policy::SharedPacer) | each business number's send budget and pair rates |
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use whatsapp_cloud::Client;
//! use whatsapp_cloud::policy::{Deduplicator, Keywords, PacingConfig, SendGuard};
//! use whatsapp_cloud::redis::RedisState;
//! use whatsapp_cloud::webhook::Payload;
//!
//! let url = std::env::var("REDIS_URL")?; // the same for every replica
//! let state = RedisState::builder(url).namespace("portfolio-1").connect().await?;
//! let guard = Arc::new(SendGuard::new(state.window_tracker(), state.opt_out_store()));
//! let pacing = PacingConfig::default();
//! let client = Client::builder()
//!     .access_token("EAAG...")
//!     .phone_number_id("106540352242922")
//!     .pacing(pacing.clone())
//!     .send_policy(guard.clone())
//!     .shared_pacer(state.pacer(pacing))
//!     .build()?;
//!
//! // In the webhook handler of any replica:
//! # let body: &[u8] = b"";
//! let seen = state.deduplicator();
//! let now = whatsapp_cloud::policy::unix_seconds(std::time::SystemTime::now());
//! for event in Payload::from_slice(body)?.events() {
//!     if seen.check_event(&event, now).await.is_first() {
//!         guard.observe(&event, &Keywords::default()).await?;
//!     }
//! }
//! # let _ = client; Ok(()) }
//! ```
//!
//! # Correct under concurrency
//!
//! Every change is atomic on the server (Lua scripts), whatever the number of replicas:
//!
//! - **dedup**: `SET key 1 NX EX ttl`: the first replica to see an item wins; `forget` deletes it.
//! - **users** (windows and opt-outs): a change reads the user's entries (one script) and writes the
//!   result with a second script that applies it only if none of those entries changed in between,
//!   or tries again (optimistic concurrency): the window rules (timestamps only move forward), the
//!   opt-out rule (the latest event wins, an opt-out at equal times, whatever order replicas write
//!   in) and the merge of a user's phone number and business-scoped user id (BSUID) are the ones of
//!   the in-memory stores. A read is one round trip, a change two.
//! - **pacing**: one script per send (one round trip) books a slot in the business number's budget
//!   and the recipient's pair rate (GCRA), and answers "send now" or "wait this long". A success
//!   costs nothing more unless the recipient had a 131056 back-off (the script says so), which it
//!   then clears (`HDEL`); a 131056 extends the back-off (one script).
//!
//! # Whose clock
//!
//! Pacing uses the **Redis server's clock** (`TIME` inside the script; Redis 5 and later replicate a
//! script's effects, not the script, so replicas of the server agree). Every replica of the
//! application asks the same clock, so their clocks' skew does not matter; the script answers a
//! relative wait, never an absolute time. Window and opt-out rules use the timestamps of Meta's
//! webhooks; entry expiry uses the server's clock.
//!
//! # Key layout and Redis Cluster
//!
//! With prefix `wa` (see [`RedisStateBuilder::key_prefix`]) and namespace `ns`
//! ([`RedisStateBuilder::namespace`]):
//!
//! | key | type | holds | expires |
//! |---|---|---|---|
//! | `wa:ns:d:{<item>}` | string | a seen webhook item | after the dedup TTL (7 days) |
//! | `wa:{ns}:u:<n>` | hash | users: a record per BSUID (or phone for a phone-only user), an alias per phone number | at its latest entry's expiry |
//! | `wa:{ns:<number>}:t` | string | a business number's throughput (theoretical arrival time, µs) | when idle |
//! | `wa:{ns:<number>}:r:<recipient>` | hash | a recipient's pair rate and 131056 back-off | when idle |
//!
//! A user's entries may sit in two buckets, so every user key of a namespace carries the hash tag
//! `{ns}`: **one namespace lives on one Redis Cluster slot**. Business-scoped user ids are scoped to
//! a business portfolio, so use one namespace per portfolio and shard by portfolio. Dedup keys
//! spread over the cluster (a hash tag per item); pacing keys by business number. Users sit in hash
//! buckets (`n` = a hash of the id modulo the bucket count, [`RedisStateBuilder::expected_users`]) so
//! that Redis keeps them in its compact listpack encoding (up to `hash-max-listpack-entries`, 128 by
//! default): about 40 users a bucket.
//!
//! # Expiry
//!
//! Each user entry carries its own expiry, swept by the writing script (Redis 7.0 has no per-field
//! expiry); a bucket's `EXPIRE` is kept at its latest entry's, so Redis does not grow without bound:
//!
//! - a window is kept until its last relevant moment (the end of its 24-hour, free-entry-point or
//!   reply window) plus one day ([`RedisStateBuilder::window_margin`]);
//! - an opt-out or resume is kept for 400 days after the last write about the user
//!   ([`RedisStateBuilder::opt_out_ttl`]), refreshed on every write: long enough that an opt-out
//!   does not silently expire while the user is still messaged, bounded so that users who left do
//!   not stay forever. Choose a longer time if your campaigns reach users silent for longer;
//! - a seen webhook item is kept 7 days ([`RedisStateBuilder::dedup_ttl`]; Meta retries for up to
//!   7 days);
//! - pacing state is kept until the budget is full again (a second or so after the last send).
//!
//! Measured memory (`MEMORY USAGE` summed over the buckets, 100,000 users with a phone number and a
//! BSUID, Redis 7.0): about 120 bytes a user with a window, about 130 with a window and an
//! opt-out; `tests/redis_memory.rs` prints the figures.
//!
//! # When Redis fails
//!
//! Every call is bounded by a timeout ([`RedisStateBuilder::timeout`], 1 s by default), so a dead
//! server never hangs a send or a webhook:
//!
//! | what fails | behaviour |
//! |---|---|
//! | dedup check | fails open: the item counts as first seen and is processed; `tracing::warn` |
//! | opt-out read for a marketing template | refused: [`Refusal::OptOutUnavailable`](crate::error::Refusal::OptOutUnavailable) |
//! | window read for a free-form message | refused: [`Refusal::WindowUnavailable`](crate::error::Refusal::WindowUnavailable), or sent with [`SendGuard::allow_free_form_on_window_error`](crate::policy::SendGuard::allow_free_form_on_window_error) |
//! | shared pacer | the client paces itself at a local fraction of the rate (a quarter by default); one `tracing::warn` per outage |
//! | the server restarts | the connection manager reconnects; later calls succeed |

mod connection;
mod dedup;
mod pacer;
mod record;
mod users;

pub use dedup::RedisDeduplicator;
pub use pacer::RedisPacer;
pub use users::{RedisOptOutStore, RedisWindowTracker};

use crate::policy::{PacingConfig, StoreError};
use connection::{Keys, Shared, redact};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The default call timeout: 1 second.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);
/// The default dedup lifetime: 7 days.
pub const DEFAULT_DEDUP_TTL: Duration = Duration::from_secs(7 * 24 * 60 * 60);
/// The default opt-out lifetime after the last write about a user: 400 days.
pub const DEFAULT_OPT_OUT_TTL: Duration = Duration::from_secs(400 * 24 * 60 * 60);
/// The default time a window record is kept after its last relevant moment: 1 day.
pub const DEFAULT_WINDOW_MARGIN: Duration = Duration::from_secs(24 * 60 * 60);
/// The default number of users a namespace is sized for: 100,000.
pub const DEFAULT_EXPECTED_USERS: u64 = 100_000;

/// Users a bucket is sized for: two entries each, well under Redis's 128-entry listpack limit.
const USERS_PER_BUCKET: u64 = 40;

/// A connection to Redis that hands out the shared stores.
///
/// Cheap to clone; every clone and every store shares one connection. `Debug` shows the URL
/// without its password.
///
/// ```no_run
/// # async fn run() -> Result<(), whatsapp_cloud::policy::StoreError> {
/// use whatsapp_cloud::policy::{DedupKey, Deduplicator};
/// let state = whatsapp_cloud::redis::RedisState::connect("redis://:secret@127.0.0.1:6379/").await?;
/// assert!(!format!("{state:?}").contains("secret"));
/// let seen = state.deduplicator();
/// assert!(seen.check(&DedupKey::message("wamid.A"), 1_700_000_000).await?.is_first());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisState {
    shared: Arc<Shared>,
}

impl fmt::Debug for RedisState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.shared.fmt(f)
    }
}

impl RedisState {
    /// Connects to `url` (`redis://[:password@]host:port/[db]`, `rediss://` with a TLS feature of
    /// the `redis` crate) with the default settings.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the URL is invalid or the server cannot be reached.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::builder(url).connect().await
    }

    /// A builder for a connection to `url` with a namespace, timeouts and lifetimes.
    pub fn builder(url: impl Into<String>) -> RedisStateBuilder {
        RedisStateBuilder {
            url: url.into(),
            prefix: "wa".to_owned(),
            namespace: "default".to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: Duration::from_secs(5),
            dedup_ttl: DEFAULT_DEDUP_TTL,
            opt_out_ttl: DEFAULT_OPT_OUT_TTL,
            window_margin: DEFAULT_WINDOW_MARGIN,
            expected_users: DEFAULT_EXPECTED_USERS,
        }
    }

    /// The webhook deduplicator.
    pub fn deduplicator(&self) -> RedisDeduplicator {
        RedisDeduplicator::new(self.shared.clone())
    }

    /// The window tracker.
    pub fn window_tracker(&self) -> RedisWindowTracker {
        RedisWindowTracker::new(self.shared.clone())
    }

    /// The opt-out store.
    pub fn opt_out_store(&self) -> RedisOptOutStore {
        RedisOptOutStore::new(self.shared.clone())
    }

    /// A pacer shared by every replica, with `config`'s rate, burst and pair rate for every
    /// business number it paces.
    pub fn pacer(&self, config: PacingConfig) -> RedisPacer {
        RedisPacer::new(self.shared.clone(), config)
    }
}

impl RedisState {
    /// The memory Redis uses for this namespace's users: the sum of `MEMORY USAGE` over its user
    /// buckets (found with `SCAN`, so it takes time on a large keyspace: a diagnostic, not for a
    /// hot path). Divide by the number of users for the figure per user.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when a call fails.
    pub async fn user_memory_usage(&self) -> Result<u64, StoreError> {
        let shared = &self.shared;
        let pattern = format!("{}*", glob_escape(&shared.keys.user_buckets()));
        let mut conn = shared.conn.clone();
        let mut cursor: u64 = 0;
        let mut total = 0;
        loop {
            let mut scan = redis::cmd("SCAN");
            scan.arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(1000);
            let (next, keys): (u64, Vec<String>) = shared
                .call("listing the user buckets", scan.query_async(&mut conn))
                .await?;
            for key in keys {
                let mut usage = redis::cmd("MEMORY");
                usage.arg("USAGE").arg(&key).arg("SAMPLES").arg(0);
                let bytes: Option<u64> = shared
                    .call("measuring a user bucket", usage.query_async(&mut conn))
                    .await?;
                total += bytes.unwrap_or(0);
            }
            if next == 0 {
                return Ok(total);
            }
            cursor = next;
        }
    }
}

/// `text` as a literal in a Redis glob pattern.
fn glob_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Settings of a [`RedisState`]; [`RedisStateBuilder::connect`] connects.
#[derive(Clone)]
#[must_use]
pub struct RedisStateBuilder {
    url: String,
    prefix: String,
    namespace: String,
    timeout: Duration,
    connect_timeout: Duration,
    dedup_ttl: Duration,
    opt_out_ttl: Duration,
    window_margin: Duration,
    expected_users: u64,
}

impl fmt::Debug for RedisStateBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStateBuilder")
            .field("url", &redact(&self.url).0)
            .field("prefix", &self.prefix)
            .field("namespace", &self.namespace)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RedisStateBuilder {
    /// The first part of every key (default `wa`).
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The namespace of every key (default `default`): one per business portfolio, since
    /// business-scoped user ids are scoped to a portfolio. All users of a namespace live on one Redis
    /// Cluster slot. It may not contain `{` or `}`.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = namespace.into();
        self
    }

    /// How long one Redis call may take before it fails with a [`StoreError`] (default 1 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long [`RedisStateBuilder::connect`] and each reconnection may take (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a seen webhook item is remembered (default 7 days).
    pub fn dedup_ttl(mut self, ttl: Duration) -> Self {
        self.dedup_ttl = ttl;
        self
    }

    /// How long an opt-out or resume is kept after the last write about the user (default 400
    /// days).
    pub fn opt_out_ttl(mut self, ttl: Duration) -> Self {
        self.opt_out_ttl = ttl;
        self
    }

    /// How long a window record is kept after its last relevant moment (default 1 day).
    pub fn window_margin(mut self, margin: Duration) -> Self {
        self.window_margin = margin;
        self
    }

    /// How many users the namespace is sized for (default 100,000): the number of hash buckets is
    /// this divided by 40. More users still work; their buckets then leave Redis's compact
    /// encoding and take more memory. The first replica to connect to a namespace fixes its
    /// bucket count (in the key `<prefix>:{<namespace>}:buckets`, which never expires); later
    /// replicas use the stored count whatever they set here.
    pub fn expected_users(mut self, users: u64) -> Self {
        self.expected_users = users;
        self
    }

    /// Connects.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] naming the setting when the URL or namespace is invalid, or when the server
    /// cannot be reached within the connect timeout.
    pub async fn connect(self) -> Result<RedisState, StoreError> {
        let shown = redact(&self.url).0;
        for (name, value) in [("namespace", &self.namespace), ("key prefix", &self.prefix)] {
            if value.is_empty() || value.contains(['{', '}']) {
                return Err(StoreError::new(format!(
                    "invalid Redis {name} {value:?}: it must be non-empty without '{{' or '}}'"
                )));
            }
        }
        let client = redis::Client::open(self.url.as_str())
            .map_err(|e| StoreError::new(format!("invalid Redis URL {shown}: {}", e.category())))?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.connect_timeout))
            .set_response_timeout(Some(self.timeout))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500));
        let keys = Keys {
            prefix: self.prefix,
            namespace: self.namespace,
        };
        let connecting = redis::aio::ConnectionManager::new_with_config(client, config);
        let (_, password) = redact(&self.url);
        let conn = match tokio::time::timeout(self.connect_timeout, connecting).await {
            Ok(Ok(conn)) => conn,
            Ok(Err(e)) => {
                return Err(StoreError::with_source(
                    format!("connecting to Redis at {shown}"),
                    connection::Scrubbed(connection::scrub(&e.to_string(), password.as_deref())),
                ));
            }
            Err(_) => {
                return Err(StoreError::new(format!(
                    "connecting to Redis at {shown}: no answer within {} ms",
                    self.connect_timeout.as_millis()
                )));
            }
        };
        let wanted = self
            .expected_users
            .div_ceil(USERS_PER_BUCKET)
            .clamp(1, 1 << 24);
        let buckets = agree_on_buckets(&conn, &keys, wanted, self.timeout, &shown).await?;
        let shared = Shared::new(
            conn,
            &self.url,
            self.timeout,
            keys,
            (
                self.dedup_ttl.as_secs().max(1),
                self.opt_out_ttl.as_secs().max(1),
                self.window_margin.as_secs(),
            ),
            buckets,
        );
        Ok(RedisState {
            shared: Arc::new(shared),
        })
    }
}

/// The bucket count of the namespace: the first replica to connect stores its own (a key that
/// never expires), every later one reads it, so that all replicas find a user in the same bucket.
async fn agree_on_buckets(
    conn: &redis::aio::ConnectionManager,
    keys: &Keys,
    wanted: u64,
    timeout: Duration,
    shown: &str,
) -> Result<u32, StoreError> {
    let what = format!(
        "reading the bucket count of namespace {:?} on Redis at {shown}",
        keys.namespace
    );
    let script = redis::Script::new(
        "redis.call('SET', KEYS[1], ARGV[1], 'NX') return redis.call('GET', KEYS[1])",
    );
    let mut invocation = script.prepare_invoke();
    invocation.key(keys.bucket_count()).arg(wanted);
    let mut conn = conn.clone();
    let stored: String =
        match tokio::time::timeout(timeout, invocation.invoke_async(&mut conn)).await {
            Ok(Ok(stored)) => stored,
            Ok(Err(e)) => return Err(StoreError::new(format!("{what}: {}", e.category()))),
            Err(_) => {
                return Err(StoreError::new(format!(
                    "{what}: no answer within {} ms",
                    timeout.as_millis()
                )));
            }
        };
    let buckets = stored
        .parse::<u32>()
        .ok()
        .filter(|b| *b > 0)
        .ok_or_else(|| StoreError::new(format!("{what}: {stored:?} is not a positive number")))?;
    if u64::from(buckets) != wanted {
        tracing::info!(
            namespace = %keys.namespace,
            buckets,
            wanted,
            "the namespace's bucket count was set by the first replica to connect; keeping it"
        );
    }
    Ok(buckets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn settings_are_checked_and_the_password_never_shown() {
        let builder = RedisState::builder("redis://:hunter2@127.0.0.1:1/").namespace("a{b}");
        assert!(!format!("{builder:?}").contains("hunter2"));
        let err = builder.connect().await.unwrap_err();
        assert!(err.to_string().contains("namespace \"a{b}\""), "{err}");
        let err = RedisState::builder("redis://:hunter2@127.0.0.1:1/")
            .connect_timeout(Duration::from_millis(300))
            .connect()
            .await
            .unwrap_err();
        assert!(!err.chain().contains("hunter2"), "{}", err.chain());
        assert!(
            err.to_string().contains("redis://:***@127.0.0.1:1/"),
            "{err}"
        );
        assert_eq!(glob_escape("wa:{a*b}:u:"), "wa:{a\\*b}:u:");
    }
}
