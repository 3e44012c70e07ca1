//! Retries: the [`RetryPolicy`], its pure decision function and the per-attempt [`RetryEvent`].
//!
//! What is retried (Meta's "Error codes" and "Throughput" pages):
//!
//! | failure | retried? | delay |
//! |---|---|---|
//! | rate limits 130429 (throughput), 4 (app), 80007 (account) | yes | `Retry-After` if sent, else exponential back-off |
//! | pair rate limit 131056 | yes | Meta's 4^n seconds (1, 4, 16, ...), that recipient only |
//! | transient 1, 2, 131000, 131016, 131057, 133004; HTTP 5xx or 429 without a Graph body | yes | exponential back-off |
//! | connection failures before the request left (refused, DNS, TLS, connect timeout) | yes | exponential back-off |
//! | timeout or reset after the request left (outcome unknown) | only if idempotent, or if [`RetryPolicy::resend_unknown_outcome`] is on | exponential back-off |
//! | everything else: 131047, 131026, 131050, 131049, 1320xx, 100, 190, 368, spam limit 131048, validation, decode | never | - |
//!
//! The exponential back-off of attempt `n` (from 1) is `min(max_delay, base_delay * 2^(n-1))`; with
//! jitter on, a uniformly random point of its upper half. A wait that Meta asks for (`Retry-After`,
//! the 4^n pair schedule) is never shortened: when it exceeds `max_delay` the client gives up and
//! returns the error, which carries `retry_after` for your own scheduler.

use crate::endpoint::Idempotency;
use crate::error::{Error, ErrorClass, RateLimit};
use crate::policy::pacing::pair_backoff;
use std::fmt;
use std::time::Duration;

/// When and how often to retry a failed request.
///
/// ```
/// use std::time::Duration;
/// use whatsapp_cloud::client::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(6)
///     .base_delay(Duration::from_millis(250))
///     .max_delay(Duration::from_secs(20))
///     .jitter(false);
/// assert_eq!(policy.backoff(3, 0.0), Duration::from_secs(1));
/// assert_eq!(RetryPolicy::none().get_max_attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    jitter: bool,
    resend_unknown_outcome: bool,
}

impl Default for RetryPolicy {
    /// 4 attempts, 500 ms base delay, 60 s cap, jitter on, never resend when the outcome is unknown.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
            jitter: true,
            resend_unknown_outcome: false,
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is tried once.
    pub fn none() -> Self {
        Self::default().max_attempts(1)
    }

    /// Attempts in total, the first one included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The delay before the first retry; each later one doubles it.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest wait between attempts. Back-off is capped here; a longer wait asked for by Meta
    /// (`Retry-After`, the pair schedule) ends the retries instead.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Randomises each back-off within its upper half so that many clients do not retry in step.
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// Resends a non-idempotent request (a message send) whose outcome is unknown: a timeout or a
    /// dropped connection after the body left. Off by default, since the message may then be
    /// delivered twice.
    pub fn resend_unknown_outcome(mut self, on: bool) -> Self {
        self.resend_unknown_outcome = on;
        self
    }

    /// Attempts in total.
    pub fn get_max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The delay before the first retry.
    pub fn get_base_delay(&self) -> Duration {
        self.base_delay
    }

    /// The longest wait between attempts.
    pub fn get_max_delay(&self) -> Duration {
        self.max_delay
    }

    /// Whether back-off is randomised.
    pub fn get_jitter(&self) -> bool {
        self.jitter
    }

    /// Whether requests with an unknown outcome are resent.
    pub fn get_resend_unknown_outcome(&self) -> bool {
        self.resend_unknown_outcome
    }

    /// The back-off after failed attempt `attempt` (from 1), `random` being uniform in `[0, 1)`.
    ///
    /// Without jitter: `min(max_delay, base_delay * 2^(attempt-1))`. With jitter: a point in the upper
    /// half of that, `d/2 + random * d/2`.
    pub fn backoff(&self, attempt: u32, random: f64) -> Duration {
        let full = 2u32
            .checked_pow(attempt.saturating_sub(1))
            .and_then(|factor| self.base_delay.checked_mul(factor))
            .map_or(self.max_delay, |d| d.min(self.max_delay));
        if !self.jitter {
            return full;
        }
        let random = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let half = full / 2;
        (half + (full - half).mul_f64(random)).min(full)
    }

    /// Decides what to do after failed attempt `attempt` (from 1): a pure function of its inputs.
    ///
    /// `random` is uniform in `[0, 1)` and only feeds the jitter.
    ///
    /// ```
    /// use std::time::Duration;
    /// use whatsapp_cloud::client::{RetryDecision, RetryPolicy, StopReason};
    /// use whatsapp_cloud::endpoint::Idempotency;
    /// use whatsapp_cloud::error::ApiError;
    /// use whatsapp_cloud::Error;
    ///
    /// let policy = RetryPolicy::default().jitter(false);
    /// let throttled = Error::from(ApiError::from_response(400, None, br#"{"error":{"code":130429,"message":"(#130429) Rate limit hit"}}"#));
    /// assert_eq!(
    ///     policy.decide(1, &throttled, Idempotency::NotIdempotent, 0.5),
    ///     RetryDecision::Retry { after: Duration::from_millis(500) }
    /// );
    /// let outside_window = Error::from(ApiError::from_response(400, None, br#"{"error":{"code":131047}}"#));
    /// assert_eq!(
    ///     policy.decide(1, &outside_window, Idempotency::NotIdempotent, 0.5),
    ///     RetryDecision::Stop(StopReason::NotRetryable)
    /// );
    /// ```
    pub fn decide(
        &self,
        attempt: u32,
        error: &Error,
        idempotency: Idempotency,
        random: f64,
    ) -> RetryDecision {
        let wait = match error.last() {
            Error::Api(api) => {
                let class = api.class();
                if !class.is_retryable() {
                    return RetryDecision::Stop(StopReason::NotRetryable);
                }
                if class == ErrorClass::RateLimited(RateLimit::Pair) {
                    let meta = pair_backoff(attempt.saturating_sub(1));
                    Wait::Mandated(api.retry_after.map_or(meta, |r| r.max(meta)))
                } else if let Some(after) = api.retry_after {
                    Wait::Mandated(after)
                } else {
                    Wait::Backoff
                }
            }
            Error::Transport(t) if !t.may_have_been_sent => Wait::Backoff,
            Error::Timeout(t) if !t.may_have_been_sent => Wait::Backoff,
            Error::Transport(_) | Error::Timeout(_) => {
                if idempotency == Idempotency::Idempotent || self.resend_unknown_outcome {
                    Wait::Backoff
                } else {
                    return RetryDecision::Stop(StopReason::OutcomeUnknown);
                }
            }
            _ => return RetryDecision::Stop(StopReason::NotRetryable),
        };
        if attempt >= self.max_attempts {
            return RetryDecision::Stop(StopReason::AttemptsExhausted);
        }
        match wait {
            Wait::Backoff => RetryDecision::Retry {
                after: self.backoff(attempt, random),
            },
            Wait::Mandated(after) if after > self.max_delay => {
                RetryDecision::Stop(StopReason::WaitTooLong { wait: after })
            }
            Wait::Mandated(after) => RetryDecision::Retry { after },
        }
    }
}

enum Wait {
    Backoff,
    Mandated(Duration),
}

/// The outcome of [`RetryPolicy::decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryDecision {
    /// Try again after this wait.
    Retry {
        /// How long to wait first.
        after: Duration,
    },
    /// Return the error.
    Stop(StopReason),
}

/// Why no further attempt is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// The failure cannot be fixed by trying again (see the table in [`crate::client::retry`]).
    NotRetryable,
    /// The last allowed attempt failed.
    AttemptsExhausted,
    /// The request may have reached Meta and is not idempotent: resending could deliver a message
    /// twice (see [`RetryPolicy::resend_unknown_outcome`]).
    OutcomeUnknown,
    /// Meta asked for a longer wait than [`RetryPolicy::max_delay`] allows.
    WaitTooLong {
        /// The wait Meta asked for.
        wait: Duration,
    },
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotRetryable => f.write_str("not retryable"),
            Self::AttemptsExhausted => f.write_str("no attempts left"),
            Self::OutcomeUnknown => {
                f.write_str("the request may have reached Meta; not resent to avoid a duplicate")
            }
            Self::WaitTooLong { wait } => {
                write!(
                    f,
                    "Meta asked to wait {wait:?}, longer than the configured maximum"
                )
            }
        }
    }
}

/// One failed attempt, as shown to the [`on_retry`](crate::client::ClientBuilder::on_retry) hook and
/// to `tracing`.
#[derive(Debug)]
#[non_exhaustive]
pub struct RetryEvent<'a> {
    /// The attempt that failed, from 1.
    pub attempt: u32,
    /// The configured number of attempts.
    pub max_attempts: u32,
    /// The HTTP method of the request.
    pub method: &'a http::Method,
    /// The URL path of the request (no query, no token).
    pub path: &'a str,
    /// The recipient, for message sends.
    pub recipient: Option<&'a str>,
    /// Why the attempt failed.
    pub error: &'a Error,
    /// What happens next.
    pub decision: RetryDecision,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ApiError, TimeoutError, TransportError};

    fn api(status: u16, code: i64) -> Error {
        Error::from(ApiError::from_response(
            status,
            None,
            format!(r#"{{"error":{{"code":{code},"message":"(#{code}) x"}}}}"#).as_bytes(),
        ))
    }

    fn api_retry_after(code: i64, secs: u64) -> Error {
        Error::from(ApiError::from_response(
            400,
            Some(Duration::from_secs(secs)),
            format!(r#"{{"error":{{"code":{code}}}}}"#).as_bytes(),
        ))
    }

    fn exact() -> RetryPolicy {
        RetryPolicy::default().jitter(false)
    }

    fn retry_after(d: RetryDecision) -> Duration {
        match d {
            RetryDecision::Retry { after } => after,
            other => panic!("expected a retry, got {other:?}"),
        }
    }

    const SEND: Idempotency = Idempotency::NotIdempotent;

    #[test]
    fn backoff_doubles_from_the_base_and_stops_at_the_cap() {
        let p = exact()
            .base_delay(Duration::from_millis(500))
            .max_delay(Duration::from_secs(5));
        let schedule: Vec<_> = (1..=6).map(|a| p.backoff(a, 0.7)).collect();
        assert_eq!(
            schedule,
            [500, 1000, 2000, 4000, 5000, 5000].map(Duration::from_millis)
        );
    }

    #[test]
    fn jittered_backoff_stays_in_the_upper_half() {
        let p = RetryPolicy::default()
            .base_delay(Duration::from_millis(400))
            .max_delay(Duration::from_secs(3));
        for attempt in 1..=8 {
            let full = exact()
                .base_delay(Duration::from_millis(400))
                .max_delay(Duration::from_secs(3))
                .backoff(attempt, 0.0);
            for i in 0..=100 {
                let r = f64::from(i) / 100.0;
                let d = p.backoff(attempt, r);
                assert!(
                    d >= full / 2 && d <= full,
                    "attempt {attempt}, r {r}: {d:?}"
                );
            }
            assert_eq!(p.backoff(attempt, 0.0), full / 2);
            assert_eq!(p.backoff(attempt, 1.0), full);
        }
        // Out-of-range randomness is clamped, never panics.
        assert_eq!(p.backoff(1, f64::NAN), Duration::from_millis(200));
        assert_eq!(p.backoff(1, 7.0), Duration::from_millis(400));
    }

    #[test]
    fn huge_attempt_numbers_saturate_at_the_cap() {
        let p = exact().max_delay(Duration::from_secs(60));
        assert_eq!(p.backoff(u32::MAX, 0.0), Duration::from_secs(60));
        assert_eq!(p.backoff(40, 0.0), Duration::from_secs(60));
    }

    #[test]
    fn rate_limits_and_transient_errors_are_retried() {
        for code in [130429, 4, 80007, 1, 2, 131000, 131016, 131057, 133004] {
            assert_eq!(
                exact().decide(1, &api(400, code), SEND, 0.0),
                RetryDecision::Retry {
                    after: Duration::from_millis(500)
                },
                "code {code}"
            );
        }
    }

    #[test]
    fn permanent_errors_are_never_retried() {
        for code in [
            131047, 131026, 131050, 131049, 132000, 132001, 132015, 132016, 132068, 100, 190, 368,
            131048, 0, 10, 131008, 131009,
        ] {
            assert_eq!(
                exact().decide(1, &api(400, code), SEND, 0.0),
                RetryDecision::Stop(StopReason::NotRetryable),
                "code {code}"
            );
        }
    }

    #[test]
    fn bodies_without_a_graph_error_follow_the_status() {
        let html = |status| {
            Error::from(ApiError::from_response(
                status,
                None,
                b"<html>Bad Gateway</html>",
            ))
        };
        for status in [500, 502, 503, 504, 429] {
            assert!(matches!(
                exact().decide(1, &html(status), SEND, 0.0),
                RetryDecision::Retry { .. }
            ));
        }
        for status in [400, 401, 403, 404] {
            assert_eq!(
                exact().decide(1, &html(status), SEND, 0.0),
                RetryDecision::Stop(StopReason::NotRetryable)
            );
        }
    }

    #[test]
    fn pair_rate_limit_follows_four_to_the_n() {
        let p = exact().max_attempts(10).max_delay(Duration::from_secs(100));
        let waits: Vec<_> = (1..=4)
            .map(|a| retry_after(p.decide(a, &api(400, 131056), SEND, 0.9)))
            .collect();
        assert_eq!(waits, [1, 4, 16, 64].map(Duration::from_secs));
        // 4^4 = 256 s is more than the cap allows: give up, never shorten Meta's wait.
        assert_eq!(
            p.decide(5, &api(400, 131056), SEND, 0.0),
            RetryDecision::Stop(StopReason::WaitTooLong {
                wait: Duration::from_secs(256)
            })
        );
    }

    #[test]
    fn retry_after_is_honoured_exactly() {
        let p = RetryPolicy::default();
        assert_eq!(
            retry_after(p.decide(1, &api_retry_after(130429, 7), SEND, 0.3)),
            Duration::from_secs(7)
        );
        assert_eq!(
            p.decide(1, &api_retry_after(130429, 3600), SEND, 0.3),
            RetryDecision::Stop(StopReason::WaitTooLong {
                wait: Duration::from_secs(3600)
            })
        );
        // Retry-After on an error that retrying cannot fix changes nothing.
        assert_eq!(
            p.decide(1, &api_retry_after(131047, 1), SEND, 0.3),
            RetryDecision::Stop(StopReason::NotRetryable)
        );
    }

    #[test]
    fn a_retry_after_longer_than_the_pair_schedule_wins() {
        let p = exact();
        assert_eq!(
            retry_after(p.decide(1, &api_retry_after(131056, 9), SEND, 0.0)),
            Duration::from_secs(9)
        );
        // A shorter Retry-After never shortens Meta's 4^n schedule.
        assert_eq!(
            retry_after(p.decide(3, &api_retry_after(131056, 2), SEND, 0.0)),
            Duration::from_secs(16)
        );
    }

    #[test]
    fn the_last_attempt_is_not_followed_by_another() {
        let p = exact().max_attempts(3);
        assert!(matches!(
            p.decide(2, &api(400, 130429), SEND, 0.0),
            RetryDecision::Retry { .. }
        ));
        assert_eq!(
            p.decide(3, &api(400, 130429), SEND, 0.0),
            RetryDecision::Stop(StopReason::AttemptsExhausted)
        );
        assert_eq!(
            RetryPolicy::none().decide(1, &api(500, 131000), SEND, 0.0),
            RetryDecision::Stop(StopReason::AttemptsExhausted)
        );
    }

    #[test]
    fn failures_before_the_request_left_are_retried() {
        let refused = Error::Transport(TransportError::new("connection refused", false, None));
        let connect_timeout = Error::Timeout(TimeoutError::new(Duration::from_secs(10), false));
        for e in [refused, connect_timeout] {
            assert!(matches!(
                exact().decide(1, &e, SEND, 0.0),
                RetryDecision::Retry { .. }
            ));
        }
    }

    #[test]
    fn unknown_outcomes_are_resent_only_when_safe_or_asked() {
        let timeout = Error::Timeout(TimeoutError::new(Duration::from_secs(30), true));
        let reset = Error::Transport(TransportError::new("connection reset", true, None));
        for e in [&timeout, &reset] {
            assert_eq!(
                exact().decide(1, e, SEND, 0.0),
                RetryDecision::Stop(StopReason::OutcomeUnknown)
            );
            assert!(matches!(
                exact().decide(1, e, Idempotency::Idempotent, 0.0),
                RetryDecision::Retry { .. }
            ));
            assert!(matches!(
                exact().resend_unknown_outcome(true).decide(1, e, SEND, 0.0),
                RetryDecision::Retry { .. }
            ));
        }
    }

    proptest::proptest! {
        #[test]
        fn backoff_is_bounded_capped_and_never_shrinks(
            attempt in 1u32..80,
            base_ms in 0u64..10_000,
            cap_ms in 0u64..120_000,
            random in 0.0f64..1.0,
        ) {
            let p = RetryPolicy::default()
                .base_delay(Duration::from_millis(base_ms))
                .max_delay(Duration::from_millis(cap_ms));
            let full = p.clone().jitter(false).backoff(attempt, random);
            let next = p.clone().jitter(false).backoff(attempt + 1, random);
            let jittered = p.backoff(attempt, random);
            proptest::prop_assert!(full <= Duration::from_millis(cap_ms));
            proptest::prop_assert!(next >= full);
            proptest::prop_assert!(jittered >= full / 2 && jittered <= full);
        }

        #[test]
        fn permanent_codes_are_never_retried_whatever_the_attempt(
            code in proptest::sample::select(vec![
                131047i64, 131026, 131050, 131049, 132000, 132001, 132005, 132007, 132012,
                132015, 132016, 132068, 132069, 100, 190, 368, 131048,
            ]),
            attempt in 1u32..10,
            status in proptest::sample::select(vec![400u16, 401, 403, 404, 500, 503]),
            idempotent in proptest::bool::ANY,
            random in 0.0f64..1.0,
        ) {
            let idempotency = if idempotent { Idempotency::Idempotent } else { SEND };
            let decision = RetryPolicy::default()
                .max_attempts(10)
                .resend_unknown_outcome(true)
                .decide(attempt, &api(status, code), idempotency, random);
            proptest::prop_assert_eq!(decision, RetryDecision::Stop(StopReason::NotRetryable));
        }
    }

    #[test]
    fn local_and_decode_errors_are_not_retried() {
        use crate::error::{DecodeError, ValidationError, Violation};
        let errors = [
            Error::Config("x".into()),
            Error::Validation(ValidationError::new("text.body", Violation::Empty)),
            Error::Decode(DecodeError::new("send message response", "eof", b"{")),
        ];
        for e in &errors {
            assert_eq!(
                exact().decide(1, e, SEND, 0.0),
                RetryDecision::Stop(StopReason::NotRetryable)
            );
        }
    }
}
