//! Send pacing: per-number throughput and per-recipient pair rate, pure and clock-free.
//!
//! Meta limits how fast a business number may send (Meta's "Throughput" and "Pair rate limits" pages):
//!
//! - **Throughput**: 80 messages per second per business number by default, up to 1,000 after
//!   Meta's automatic upgrade (20 for Coexistence numbers). Going faster returns error 130429.
//! - **Pair rate**: 1 message every 6 seconds to the same user; bursts of up to 45 in 6 seconds are
//!   allowed but borrow from the future quota. Going faster returns error 131056, after which Meta
//!   advises waiting 4^n seconds (n = 0, 1, 2, ...) before sending to that user again.
//!
//! Everything here is pure: time is passed in as a [`Duration`] since an epoch of your choosing (for
//! example the moment your process started, read from a monotonic clock), and nothing sleeps. The
//! caller asks [`Pacer::admit`] for a slot, sleeps until the returned time, then sends.
//!
//! Both limiters are GCRA token buckets (the "virtual scheduling" form): each keeps the theoretical
//! arrival time of the next send, so a check is O(1) and needs no timers.
//!
//! ```
//! use std::time::Duration;
//! use whatsapp_cloud::policy::pacing::{Admission, Pacer, PacingConfig};
//!
//! let mut pacer = Pacer::new(PacingConfig::default());
//! let now = Duration::ZERO;
//! // The first message goes at once, the second to another user 12.5 ms later (80 per second).
//! assert_eq!(pacer.admit("+1 631 555 0001", now), Admission::SendAt(Duration::ZERO));
//! assert_eq!(pacer.admit("16315550002", now), Admission::SendAt(Duration::from_micros(12_500)));
//! ```

use std::collections::HashMap;
use std::time::Duration;

/// Meta's default throughput of a business number, in messages per second.
pub const DEFAULT_MESSAGES_PER_SECOND: u32 = 80;
/// The highest throughput Meta grants a business number, in messages per second.
pub const MAX_MESSAGES_PER_SECOND: u32 = 1000;
/// Meta's pair rate: one message to the same user every 6 seconds.
pub const PAIR_INTERVAL: Duration = Duration::from_secs(6);
/// The largest burst to one user that Meta tolerates (45 messages in 6 seconds, borrowed from the
/// future quota).
pub const MAX_PAIR_BURST: u32 = 45;
/// The pair burst used unless configured: a conservative fraction of Meta's 45.
pub const DEFAULT_PAIR_BURST: u32 = 5;
/// How many recipients the pair limiter tracks unless configured.
pub const DEFAULT_MAX_TRACKED_RECIPIENTS: usize = 100_000;

/// A pacing setting outside what Meta allows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("pacing setting {field} is {actual}, allowed range is {min} to {max}")]
#[non_exhaustive]
pub struct PacingConfigError {
    /// The setting.
    pub field: &'static str,
    /// The smallest allowed value.
    pub min: u64,
    /// The largest allowed value.
    pub max: u64,
    /// The value given.
    pub actual: u64,
}

fn check_range(
    field: &'static str,
    actual: u64,
    min: u64,
    max: u64,
) -> Result<(), PacingConfigError> {
    if (min..=max).contains(&actual) {
        Ok(())
    } else {
        Err(PacingConfigError {
            field,
            min,
            max,
            actual,
        })
    }
}

/// How fast to send: the number's throughput and, optionally, the per-recipient pair rate.
///
/// ```
/// use whatsapp_cloud::policy::pacing::PacingConfig;
/// let config = PacingConfig::default().messages_per_second(1000)?.pair_burst(10)?;
/// assert_eq!(config.get_messages_per_second(), 1000);
/// assert_eq!(PacingConfig::default().messages_per_second(1001).unwrap_err().max, 1000);
/// # Ok::<(), whatsapp_cloud::policy::pacing::PacingConfigError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct PacingConfig {
    messages_per_second: u32,
    burst: u32,
    pair: Option<u32>,
    max_tracked_recipients: usize,
}

impl Default for PacingConfig {
    /// 80 messages per second with no burst (an even 12.5 ms spacing), pair pacing on with a burst
    /// of [`DEFAULT_PAIR_BURST`], and [`DEFAULT_MAX_TRACKED_RECIPIENTS`] recipients tracked.
    fn default() -> Self {
        Self {
            messages_per_second: DEFAULT_MESSAGES_PER_SECOND,
            burst: 1,
            pair: Some(DEFAULT_PAIR_BURST),
            max_tracked_recipients: DEFAULT_MAX_TRACKED_RECIPIENTS,
        }
    }
}

impl PacingConfig {
    /// The number's throughput, 1 to 1,000 messages per second (Meta's default is 80).
    ///
    /// # Errors
    /// [`PacingConfigError`] outside 1..=1000.
    pub fn messages_per_second(mut self, rate: u32) -> Result<Self, PacingConfigError> {
        check_range(
            "messages_per_second",
            u64::from(rate),
            1,
            u64::from(MAX_MESSAGES_PER_SECOND),
        )?;
        self.messages_per_second = rate;
        Ok(self)
    }

    /// How many messages may leave back to back before the even spacing applies (default 1: none).
    ///
    /// A burst above 1 lets a quiet number send at once, but a burst of `b` at `r` per second can put
    /// `b + r` messages into one second: keep it small to stay under Meta's per-second limit.
    ///
    /// # Errors
    /// [`PacingConfigError`] outside 1..=1000.
    pub fn burst(mut self, burst: u32) -> Result<Self, PacingConfigError> {
        check_range(
            "burst",
            u64::from(burst),
            1,
            u64::from(MAX_MESSAGES_PER_SECOND),
        )?;
        self.burst = burst;
        Ok(self)
    }

    /// Paces each recipient at one message per 6 seconds with bursts of up to `burst` (1 to 45).
    ///
    /// # Errors
    /// [`PacingConfigError`] outside 1..=45.
    pub fn pair_burst(mut self, burst: u32) -> Result<Self, PacingConfigError> {
        check_range("pair_burst", u64::from(burst), 1, u64::from(MAX_PAIR_BURST))?;
        self.pair = Some(burst);
        Ok(self)
    }

    /// Turns the per-recipient pair pacing off (errors 131056 are still backed off per recipient).
    pub fn without_pair_pacing(mut self) -> Self {
        self.pair = None;
        self
    }

    /// The most recipients whose pair state is kept (at least 1); the least constrained ones are
    /// forgotten first.
    ///
    /// # Errors
    /// [`PacingConfigError`] when 0.
    pub fn max_tracked_recipients(mut self, max: usize) -> Result<Self, PacingConfigError> {
        check_range("max_tracked_recipients", max as u64, 1, u64::MAX)?;
        self.max_tracked_recipients = max;
        Ok(self)
    }

    /// The configured throughput in messages per second.
    pub fn get_messages_per_second(&self) -> u32 {
        self.messages_per_second
    }

    /// The configured throughput burst.
    pub fn get_burst(&self) -> u32 {
        self.burst
    }

    /// The configured pair burst, `None` when pair pacing is off.
    pub fn get_pair_burst(&self) -> Option<u32> {
        self.pair
    }

    /// How many recipients are tracked at most.
    pub fn get_max_tracked_recipients(&self) -> usize {
        self.max_tracked_recipients
    }
}

/// A GCRA token bucket: `rate` sends per `period` with bursts of `burst`.
///
/// ```
/// use std::time::Duration;
/// use whatsapp_cloud::policy::pacing::TokenBucket;
/// let mut bucket = TokenBucket::per_second(80, 1);
/// assert_eq!(bucket.reserve(Duration::ZERO), Duration::ZERO);
/// assert_eq!(bucket.reserve(Duration::ZERO), Duration::from_micros(12_500));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenBucket {
    interval: Duration,
    tolerance: Duration,
    /// The theoretical arrival time of the next send.
    tat: Duration,
}

impl TokenBucket {
    /// One send per `interval`, `burst` of them back to back (a burst of 0 is taken as 1).
    pub fn new(interval: Duration, burst: u32) -> Self {
        Self {
            interval,
            tolerance: interval.saturating_mul(burst.max(1) - 1),
            tat: Duration::ZERO,
        }
    }

    /// `rate` sends per second (a rate of 0 is taken as 1), `burst` of them back to back.
    pub fn per_second(rate: u32, burst: u32) -> Self {
        Self::new(Duration::from_secs(1) / rate.max(1), burst)
    }

    /// The earliest time, at or after `now`, at which a send would conform.
    pub fn earliest(&self, now: Duration) -> Duration {
        now.max(self.tat.saturating_sub(self.tolerance))
    }

    /// Books the earliest conforming send at or after `now` and returns its time.
    pub fn reserve(&mut self, now: Duration) -> Duration {
        let at = self.earliest(now);
        self.book(at);
        at
    }

    /// Books a send at `at` (which should be conforming: see [`TokenBucket::earliest`]).
    pub fn book(&mut self, at: Duration) {
        self.tat = self.tat.max(at).saturating_add(self.interval);
    }

    /// True when the bucket is full again at `now`: its state says nothing a fresh bucket would not.
    pub fn is_idle(&self, now: Duration) -> bool {
        self.tat <= now
    }
}

/// What the pacer says about a send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Admission {
    /// A slot is booked: sleep until this time, then send.
    SendAt(Duration),
    /// The recipient must wait (pair rate or a 131056 back-off); nothing was booked. Ask again at
    /// this time. Sends to other recipients are not held up.
    RetryAt(Duration),
}

#[derive(Debug, Clone)]
struct RecipientState {
    bucket: Option<TokenBucket>,
    /// A 131056 back-off: no send to this recipient before this time.
    blocked_until: Duration,
    /// Consecutive 131056 errors, the n of Meta's 4^n schedule.
    pair_errors: u32,
}

impl RecipientState {
    fn free_at(&self) -> Duration {
        let tat = self.bucket.as_ref().map_or(Duration::ZERO, |b| b.tat);
        tat.max(self.blocked_until)
    }

    /// Forgetting an entry that is free at `now` changes nothing, except the 4^n counter, which
    /// is kept while the entry lives.
    fn is_forgettable(&self, now: Duration) -> bool {
        self.pair_errors == 0 && self.free_at() <= now
    }
}

/// Paces the sends of one business number: throughput for all, pair rate per recipient.
///
/// Memory is bounded: at most [`PacingConfig::max_tracked_recipients`] recipients are tracked.
/// Recipients whose state has expired are dropped first (losslessly); if that is not enough, the
/// ones that become free soonest are forgotten (they may then be sent to slightly early, and a
/// 131056 answer backs them off again).
#[derive(Debug, Clone)]
pub struct Pacer {
    config: PacingConfig,
    throughput: TokenBucket,
    recipients: HashMap<String, RecipientState>,
}

impl Pacer {
    /// A pacer with this configuration.
    pub fn new(config: PacingConfig) -> Self {
        let throughput = TokenBucket::per_second(config.messages_per_second, config.burst);
        Self {
            config,
            throughput,
            recipients: HashMap::new(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &PacingConfig {
        &self.config
    }

    /// Asks for a slot to send to `recipient` (a phone number, `wa_id`, BSUID or group id) at `now`.
    ///
    /// Phone numbers are compared by their digits, so `+1 (631) 555-0001` and `16315550001` are the
    /// same recipient.
    pub fn admit(&mut self, recipient: &str, now: Duration) -> Admission {
        let key = recipient_key(recipient);
        if let Some(state) = self.recipients.get(&key) {
            let pair_ready = state
                .bucket
                .as_ref()
                .map_or(now, |b| b.earliest(now))
                .max(state.blocked_until);
            if pair_ready > now {
                return Admission::RetryAt(pair_ready);
            }
        }
        Admission::SendAt(self.book(key, now))
    }

    /// Books a slot for `recipient` without waiting for its pair rate or back-off (the caller has
    /// decided not to wait longer); the number's throughput still applies. Returns the send time.
    pub fn admit_ignoring_pair(&mut self, recipient: &str, now: Duration) -> Duration {
        self.book(recipient_key(recipient), now)
    }

    fn book(&mut self, key: String, now: Duration) -> Duration {
        let at = self.throughput.reserve(now);
        if let Some(burst) = self.config.pair {
            self.ensure_room(&key, now);
            let state = self
                .recipients
                .entry(key)
                .or_insert_with(|| RecipientState {
                    bucket: None,
                    blocked_until: Duration::ZERO,
                    pair_errors: 0,
                });
            // Booked at the send time, not at `now`: that is when Meta sees the message.
            state
                .bucket
                .get_or_insert_with(|| TokenBucket::new(PAIR_INTERVAL, burst))
                .book(at);
        }
        at
    }

    /// Records a 131056 (pair rate limit) answer for `recipient` at `now`: the recipient is held back
    /// for 4^n seconds, n counting consecutive 131056 answers from 0. Returns that wait.
    pub fn pair_rate_limited(&mut self, recipient: &str, now: Duration) -> Duration {
        let key = recipient_key(recipient);
        self.ensure_room(&key, now);
        let state = self
            .recipients
            .entry(key)
            .or_insert_with(|| RecipientState {
                bucket: None,
                blocked_until: Duration::ZERO,
                pair_errors: 0,
            });
        let wait = pair_backoff(state.pair_errors);
        state.pair_errors = state.pair_errors.saturating_add(1);
        state.blocked_until = state.blocked_until.max(now.saturating_add(wait));
        wait
    }

    /// Records that a send to `recipient` was accepted: its 131056 back-off ends and the 4^n
    /// schedule starts again at 1 second.
    pub fn accepted(&mut self, recipient: &str) {
        if let Some(state) = self.recipients.get_mut(&recipient_key(recipient)) {
            state.pair_errors = 0;
            state.blocked_until = Duration::ZERO;
        }
    }

    /// How many recipients are tracked now.
    pub fn tracked_recipients(&self) -> usize {
        self.recipients.len()
    }

    /// Makes room for `key` so that the map never exceeds its bound.
    fn ensure_room(&mut self, key: &str, now: Duration) {
        let max = self.config.max_tracked_recipients;
        if self.recipients.len() < max || self.recipients.contains_key(key) {
            return;
        }
        self.recipients.retain(|_, s| !s.is_forgettable(now));
        if self.recipients.len() < max {
            return;
        }
        // Still full: forget the quarter that becomes free soonest, so this O(n) pass runs at most
        // once every max/4 insertions (amortised O(1)).
        let keep = max - max / 4 - 1;
        let mut by_free: Vec<(Duration, String)> = self
            .recipients
            .iter()
            .map(|(k, s)| (s.free_at(), k.clone()))
            .collect();
        let drop = by_free.len() - keep.min(by_free.len());
        if drop == 0 {
            return;
        }
        by_free.select_nth_unstable_by(drop - 1, |a, b| a.0.cmp(&b.0));
        for (_, k) in by_free.into_iter().take(drop) {
            self.recipients.remove(&k);
        }
    }
}

/// Meta's advised wait after the n-th (from 0) consecutive 131056: 4^n seconds.
///
/// ```
/// use std::time::Duration;
/// use whatsapp_cloud::policy::pacing::pair_backoff;
/// assert_eq!(pair_backoff(0), Duration::from_secs(1));
/// assert_eq!(pair_backoff(2), Duration::from_secs(16));
/// ```
pub fn pair_backoff(n: u32) -> Duration {
    Duration::from_secs(4u64.saturating_pow(n))
}

/// Phone numbers by their digits (Meta accepts `+`, `-`, `(`, `)` and spaces); other ids as given.
pub(crate) fn recipient_key(recipient: &str) -> String {
    let trimmed = recipient.trim();
    let is_phone = trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '(' | ')' | ' '));
    if is_phone {
        trimmed.chars().filter(char::is_ascii_digit).collect()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    fn send_at(a: Admission) -> Duration {
        match a {
            Admission::SendAt(t) => t,
            other => panic!("expected a slot, got {other:?}"),
        }
    }

    /// Drives `count` sends to distinct recipients the way a client does: ask, sleep until the slot,
    /// send. Returns the virtual time of the last send.
    fn run_distinct(pacer: &mut Pacer, count: usize) -> Duration {
        let mut now = Duration::ZERO;
        for i in 0..count {
            let at = send_at(pacer.admit(&format!("1555{i:07}"), now));
            assert!(at >= now);
            now = at;
        }
        now
    }

    #[test]
    fn thousand_sends_at_80_per_second_take_about_twelve_and_a_half_seconds() {
        let mut pacer = Pacer::new(PacingConfig::default());
        let last = run_distinct(&mut pacer, 1000);
        assert!(last >= ms(12_400) && last <= ms(12_500), "{last:?}");
        assert_eq!(last, Duration::from_micros(12_500) * 999);
    }

    #[test]
    fn no_second_holds_more_than_the_rate() {
        let mut pacer = Pacer::new(PacingConfig::default());
        let mut times = Vec::new();
        let mut now = Duration::ZERO;
        for i in 0..400 {
            now = send_at(pacer.admit(&format!("{i}"), now));
            times.push(now);
        }
        for (i, t) in times.iter().enumerate() {
            let in_window = times[i..]
                .iter()
                .take_while(|u| **u < *t + ms(1000))
                .count();
            assert!(
                in_window <= 80,
                "{in_window} sends in the second after {t:?}"
            );
        }
    }

    #[test]
    fn thousand_per_second_spaces_by_a_millisecond() {
        let mut pacer = Pacer::new(PacingConfig::default().messages_per_second(1000).unwrap());
        let last = run_distinct(&mut pacer, 1001);
        assert_eq!(last, ms(1000));
    }

    #[test]
    fn burst_lets_the_first_messages_go_at_once() {
        let mut pacer = Pacer::new(PacingConfig::default().burst(10).unwrap());
        for i in 0..10 {
            assert_eq!(
                pacer.admit(&i.to_string(), Duration::ZERO),
                Admission::SendAt(Duration::ZERO)
            );
        }
        assert_eq!(
            pacer.admit("10", Duration::ZERO),
            Admission::SendAt(Duration::from_micros(12_500))
        );
    }

    #[test]
    fn idle_time_refills_but_never_beyond_the_burst() {
        let mut bucket = TokenBucket::per_second(80, 2);
        assert_eq!(bucket.reserve(ms(0)), ms(0));
        // After ten idle seconds, only two sends go at once.
        assert_eq!(bucket.reserve(ms(10_000)), ms(10_000));
        assert_eq!(bucket.reserve(ms(10_000)), ms(10_000));
        assert_eq!(
            bucket.reserve(ms(10_000)),
            ms(10_000) + Duration::from_micros(12_500)
        );
    }

    #[test]
    fn pair_rate_is_one_per_six_seconds_after_the_burst() {
        let mut pacer = Pacer::new(PacingConfig::default().pair_burst(1).unwrap());
        let mut now = Duration::ZERO;
        let mut sent = Vec::new();
        while sent.len() < 4 {
            match pacer.admit("+1 631-555-0001", now) {
                Admission::SendAt(t) => {
                    sent.push(t);
                    now = t;
                }
                Admission::RetryAt(t) => {
                    assert!(t > now);
                    now = t;
                }
            }
        }
        assert_eq!(sent, vec![ms(0), ms(6000), ms(12_000), ms(18_000)]);
    }

    #[test]
    fn pair_burst_borrows_from_future_quota() {
        let mut pacer = Pacer::new(PacingConfig::default().pair_burst(45).unwrap());
        let mut now = Duration::ZERO;
        for _ in 0..45 {
            now = send_at(pacer.admit("15550001", now));
        }
        // 45 sends in well under 6 seconds...
        assert!(now < ms(1000), "{now:?}");
        // ...and the 46th waits one interval after the first; the borrowed quota is paid back one
        // message per 6 s from then on.
        match pacer.admit("15550001", now) {
            Admission::RetryAt(t) => assert_eq!(t, ms(6000)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_paced_recipient_does_not_hold_up_others() {
        let mut pacer = Pacer::new(PacingConfig::default().pair_burst(1).unwrap());
        assert_eq!(pacer.admit("A", ms(0)), Admission::SendAt(ms(0)));
        assert_eq!(pacer.admit("A", ms(0)), Admission::RetryAt(ms(6000)));
        assert_eq!(
            pacer.admit("B", ms(0)),
            Admission::SendAt(Duration::from_micros(12_500))
        );
    }

    #[test]
    fn phone_number_formats_are_one_recipient() {
        let mut pacer = Pacer::new(PacingConfig::default().pair_burst(1).unwrap());
        assert!(matches!(
            pacer.admit("+1 (631) 555-1234", ms(0)),
            Admission::SendAt(_)
        ));
        assert!(matches!(
            pacer.admit("16315551234", ms(100)),
            Admission::RetryAt(_)
        ));
        // A BSUID is kept as given.
        assert!(matches!(
            pacer.admit("US.13491208655302741918", ms(100)),
            Admission::SendAt(_)
        ));
    }

    #[test]
    fn pair_errors_back_off_four_to_the_n_seconds() {
        let mut pacer = Pacer::new(PacingConfig::default().without_pair_pacing());
        assert_eq!(pacer.pair_rate_limited("A", ms(0)), ms(1000));
        assert_eq!(pacer.admit("A", ms(500)), Admission::RetryAt(ms(1000)));
        assert_eq!(pacer.pair_rate_limited("A", ms(1000)), ms(4000));
        assert_eq!(pacer.pair_rate_limited("A", ms(5000)), ms(16_000));
        assert_eq!(pacer.admit("A", ms(20_000)), Admission::RetryAt(ms(21_000)));
        // Others go on meanwhile.
        assert!(matches!(pacer.admit("B", ms(500)), Admission::SendAt(_)));
        // Success resets the schedule.
        assert!(matches!(pacer.admit("A", ms(21_000)), Admission::SendAt(_)));
        pacer.accepted("A");
        assert_eq!(pacer.pair_rate_limited("A", ms(30_000)), ms(1000));
    }

    #[test]
    fn a_forced_send_skips_the_pair_wait_but_not_the_throughput() {
        let mut pacer = Pacer::new(PacingConfig::default().pair_burst(1).unwrap());
        assert_eq!(pacer.admit("A", ms(0)), Admission::SendAt(ms(0)));
        assert_eq!(pacer.admit("A", ms(0)), Admission::RetryAt(ms(6000)));
        assert_eq!(
            pacer.admit_ignoring_pair("A", ms(0)),
            Duration::from_micros(12_500)
        );
        // The forced send took the next pair slot (6 s), so the one after waits until 12 s.
        assert_eq!(pacer.admit("A", ms(0)), Admission::RetryAt(ms(12_000)));
    }

    #[test]
    fn success_ends_a_pair_back_off() {
        let mut pacer = Pacer::new(PacingConfig::default().without_pair_pacing());
        pacer.pair_rate_limited("A", ms(0));
        pacer.pair_rate_limited("A", ms(0));
        assert_eq!(pacer.admit("A", ms(0)), Admission::RetryAt(ms(4000)));
        pacer.accepted("A");
        assert_eq!(pacer.admit("A", ms(0)), Admission::SendAt(ms(0)));
    }

    #[test]
    fn pair_backoff_saturates_instead_of_overflowing() {
        assert_eq!(pair_backoff(100), Duration::from_secs(u64::MAX));
    }

    #[test]
    fn memory_stays_bounded_and_expired_state_goes_first() {
        let config = PacingConfig::default()
            .pair_burst(1)
            .unwrap()
            .max_tracked_recipients(100)
            .unwrap();
        let mut pacer = Pacer::new(config);
        let mut now = Duration::ZERO;
        for i in 0..10_000 {
            now = send_at(pacer.admit(&format!("user.{i}"), now));
            assert!(pacer.tracked_recipients() <= 100);
        }
        // A recipient still inside its 6 s interval is still paced: the last one sent.
        assert!(matches!(
            pacer.admit("user.9999", now),
            Admission::RetryAt(_)
        ));
    }

    #[test]
    fn forgetting_expired_state_changes_no_decision() {
        let config = PacingConfig::default()
            .pair_burst(1)
            .unwrap()
            .max_tracked_recipients(2)
            .unwrap();
        let mut pacer = Pacer::new(config);
        assert!(matches!(pacer.admit("A", ms(0)), Admission::SendAt(_)));
        assert!(matches!(pacer.admit("B", ms(0)), Admission::SendAt(_)));
        // At 7 s both have expired; C makes room by dropping them.
        assert!(matches!(pacer.admit("C", ms(7000)), Admission::SendAt(_)));
        assert!(pacer.tracked_recipients() <= 2);
        assert!(matches!(pacer.admit("C", ms(7000)), Admission::RetryAt(_)));
    }

    proptest::proptest! {
        /// Whatever the arrival pattern, sends driven through the pacer never exceed the number's
        /// rate nor any recipient's pair rate.
        #[test]
        fn paced_sends_never_break_either_limit(
            arrivals in proptest::collection::vec((0u8..6, 0u64..40), 1..400),
            rate in 1u32..200,
            pair_burst in 1u32..8,
        ) {
            let config = PacingConfig::default()
                .messages_per_second(rate).unwrap()
                .pair_burst(pair_burst).unwrap();
            let mut pacer = Pacer::new(config);
            let mut now = Duration::ZERO;
            let mut sends: Vec<(u8, Duration)> = Vec::new();
            for (recipient, gap_ms) in arrivals {
                now += ms(gap_ms);
                loop {
                    match pacer.admit(&format!("user.{recipient}"), now) {
                        Admission::SendAt(at) => {
                            proptest::prop_assert!(at >= now);
                            now = at;
                            sends.push((recipient, at));
                            break;
                        }
                        Admission::RetryAt(at) => {
                            proptest::prop_assert!(at > now);
                            now = at;
                        }
                    }
                }
            }
            let interval = Duration::from_secs(1) / rate;
            for pair in sends.windows(2) {
                proptest::prop_assert!(pair[1].1 >= pair[0].1 + interval);
            }
            for r in 0..6u8 {
                let times: Vec<Duration> =
                    sends.iter().filter(|s| s.0 == r).map(|s| s.1).collect();
                let b = pair_burst as usize;
                for i in 0..times.len().saturating_sub(b) {
                    // Any burst + 1 sends to one user span at least one pair interval.
                    proptest::prop_assert!(times[i + b] - times[i] >= PAIR_INTERVAL);
                }
            }
        }
    }

    #[test]
    fn out_of_range_settings_name_the_field_and_limit() {
        let e = PacingConfig::default().messages_per_second(0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "pacing setting messages_per_second is 0, allowed range is 1 to 1000"
        );
        let e = PacingConfig::default().pair_burst(46).unwrap_err();
        assert_eq!((e.field, e.max, e.actual), ("pair_burst", 45, 46));
        assert!(PacingConfig::default().max_tracked_recipients(0).is_err());
    }
}
