//! [`RedisPacer`]: one send budget per business number and one pair rate per recipient, shared by
//! every replica, on the Redis server's clock.

use super::connection::Shared;
use crate::policy::pacing::{PAIR_INTERVAL, recipient_key};
use crate::policy::{BoxFuture, PacingConfig, SharedAdmission, SharedPacer, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

/// KEYS: the number's throughput key, the recipient's pair key. ARGV: interval µs, tolerance µs,
/// pair interval µs (0: no pair pacing), pair tolerance µs, honour the pair wait (1 or 0).
/// Answers {0, wait µs, backed off} (booked: send after the wait) or {1, wait µs, backed off} (ask
/// again after the wait); `backed off` is 1 when the recipient has a 131056 back-off recorded.
/// GCRA: a key holds the theoretical arrival time of the next send, in the server's µs.
const ADMIT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval, tol = tonumber(ARGV[1]), tonumber(ARGV[2])
local pint, ptol = tonumber(ARGV[3]), tonumber(ARGV[4])
local ptat = tonumber(redis.call('HGET', KEYS[2], 't') or '0')
local blocked = tonumber(redis.call('HGET', KEYS[2], 'b') or '0')
if ARGV[5] == '1' then
  local ready = blocked
  if pint > 0 and ptat - ptol > ready then ready = ptat - ptol end
  if ready > now then return {1, ready - now, redis.call('HEXISTS', KEYS[2], 'e')} end
end
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, tat - tol)
tat = math.max(tat, at) + interval
redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
if pint > 0 then
  ptat = math.max(ptat, at) + pint
  redis.call('HSET', KEYS[2], 't', string.format('%.0f', ptat))
  local keep = math.max(ptat, blocked) - now
  if redis.call('HEXISTS', KEYS[2], 'e') == 1 then keep = keep + 600000000 end
  redis.call('PEXPIRE', KEYS[2], math.ceil(keep / 1000) + 1000)
end
return {0, at - now, redis.call('HEXISTS', KEYS[2], 'e')}
";

/// KEYS: the recipient's pair key. Holds the recipient back 4^n seconds (n: consecutive 131056
/// answers, kept ten minutes past the back-off); answers the wait in µs.
const RATE_LIMITED: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local errs = tonumber(redis.call('HGET', KEYS[1], 'e') or '0')
local wait = 1000000 * 4 ^ math.min(errs, 12)
local blocked = math.max(tonumber(redis.call('HGET', KEYS[1], 'b') or '0'), now + wait)
redis.call('HSET', KEYS[1], 'e', errs + 1, 'b', string.format('%.0f', blocked))
redis.call('PEXPIRE', KEYS[1], math.ceil((blocked - now) / 1000) + 600000)
return wait
";

static ADMIT_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(ADMIT));
static RATE_LIMITED_SCRIPT: LazyLock<redis::Script> =
    LazyLock::new(|| redis::Script::new(RATE_LIMITED));

/// A [`SharedPacer`] on Redis: every replica given a pacer on the same server and namespace
/// shares each business number's budget (`config`'s rate and burst) and each recipient's pair
/// rate. One script per send, on the server's clock (see the [module docs](super)).
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use whatsapp_cloud::policy::{PacingConfig, SharedAdmission, SharedPacer};
/// let state = whatsapp_cloud::redis::RedisState::connect("redis://127.0.0.1:6379/").await?;
/// let pacer = state.pacer(PacingConfig::default().messages_per_second(20)?);
/// match pacer.admit("1234567890", "16505551234", true).await? {
///     SharedAdmission::SendIn(wait) => tokio::time::sleep(wait).await, // then send
///     SharedAdmission::RetryIn(wait) => tokio::time::sleep(wait).await, // then ask again
///     _ => {}
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct RedisPacer {
    shared: Arc<Shared>,
    interval_us: u64,
    tolerance_us: u64,
    pair_interval_us: u64,
    pair_tolerance_us: u64,
    /// Recipients (number, recipient key) this pacer admitted lately, and whether a 131056
    /// back-off was recorded for them then: a success to one without a back-off needs no second
    /// round trip. Bounded by [`RECENT_RECIPIENTS`]; an unknown recipient's success is reported.
    recent: Arc<Mutex<HashMap<(String, String), bool>>>,
}

/// How many recipients a pacer remembers between an admission and the send's outcome.
const RECENT_RECIPIENTS: usize = 10_000;

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

impl RedisPacer {
    pub(super) fn new(shared: Arc<Shared>, config: PacingConfig) -> Self {
        let interval_us = 1_000_000 / u64::from(config.get_messages_per_second().max(1));
        let pair_interval_us = config.get_pair_burst().map_or(0, |_| micros(PAIR_INTERVAL));
        let pair_burst = u64::from(config.get_pair_burst().unwrap_or(1).max(1));
        Self {
            shared,
            interval_us,
            tolerance_us: interval_us * (u64::from(config.get_burst().max(1)) - 1),
            pair_interval_us,
            pair_tolerance_us: pair_interval_us * (pair_burst - 1),
            recent: Arc::default(),
        }
    }

    /// Remembers whether `recipient` of `number` had a back-off recorded when admitted.
    fn remember(&self, number: &str, recipient: String, backed_off: bool) {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if recent.len() >= RECENT_RECIPIENTS {
            recent.clear();
        }
        recent.insert((number.to_owned(), recipient), backed_off);
    }

    /// Forgets `recipient` of `number`; true when it was admitted without a back-off.
    fn take_clean(&self, number: &str, recipient: String) -> bool {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        recent.remove(&(number.to_owned(), recipient)) == Some(false)
    }
}

impl SharedPacer for RedisPacer {
    fn admit<'a>(
        &'a self,
        number: &'a str,
        recipient: &'a str,
        honour_pair: bool,
    ) -> BoxFuture<'a, Result<SharedAdmission, StoreError>> {
        Box::pin(async move {
            let recipient = recipient_key(recipient);
            let [throughput, pair] = self.shared.keys.pacing(number, &recipient);
            let mut invocation = ADMIT_SCRIPT.prepare_invoke();
            invocation
                .key(throughput)
                .key(pair)
                .arg(self.interval_us)
                .arg(self.tolerance_us)
                .arg(self.pair_interval_us)
                .arg(self.pair_tolerance_us)
                .arg(u8::from(honour_pair));
            let mut conn = self.shared.conn.clone();
            let (retry, wait, backed_off): (i64, i64, i64) = self
                .shared
                .call("pacing a send", invocation.invoke_async(&mut conn))
                .await?;
            self.remember(number, recipient, backed_off == 1);
            let wait = Duration::from_micros(u64::try_from(wait).unwrap_or(0));
            Ok(if retry == 1 {
                SharedAdmission::RetryIn(wait)
            } else {
                SharedAdmission::SendIn(wait)
            })
        })
    }

    fn pair_rate_limited<'a>(
        &'a self,
        number: &'a str,
        recipient: &'a str,
    ) -> BoxFuture<'a, Result<Duration, StoreError>> {
        Box::pin(async move {
            let [_, pair] = self.shared.keys.pacing(number, &recipient_key(recipient));
            let mut invocation = RATE_LIMITED_SCRIPT.prepare_invoke();
            invocation.key(pair);
            let mut conn = self.shared.conn.clone();
            let wait: i64 = self
                .shared
                .call(
                    "recording a pair rate limit",
                    invocation.invoke_async(&mut conn),
                )
                .await?;
            Ok(Duration::from_micros(u64::try_from(wait).unwrap_or(0)))
        })
    }

    fn accepted<'a>(
        &'a self,
        number: &'a str,
        recipient: &'a str,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let recipient = recipient_key(recipient);
            // Admitted here without a back-off: nothing to clear, no round trip.
            if self.take_clean(number, recipient.clone()) {
                return Ok(());
            }
            let [_, pair] = self.shared.keys.pacing(number, &recipient);
            let mut cmd = redis::cmd("HDEL");
            cmd.arg(pair).arg("e").arg("b");
            let mut conn = self.shared.conn.clone();
            let _: i64 = self
                .shared
                .call("recording an accepted send", cmd.query_async(&mut conn))
                .await?;
            Ok(())
        })
    }
}
