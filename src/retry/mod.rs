//! Retries, runtime-free: the [`RetryPolicy`], its pure decision function, the per-attempt
//! [`RetryEvent`] and the [`RetryDriver`], the one retry loop as a sans-IO state machine.
//!
//! This module needs no feature: time is passed in and randomness comes from the caller, so any
//! HTTP client on any runtime can retry an [`Endpoint`](crate::Endpoint) the way the crate's own
//! clients do (they run the same [`RetryDriver`]).
//!
//! What is retried (Meta's "Error codes" and "Throughput" pages):
//!
//! | failure | retried? | delay |
//! |---|---|---|
//! | rate limits 130429 (throughput), 4 (app), 80007 (account), calling 138002 (concurrent calls) and 138005 (call rate) | yes | `Retry-After` if sent, else exponential back-off |
//! | pair rate limit 131056 | yes | Meta's 4^n seconds (1, 4, 16, ...), that recipient only |
//! | transient 1, 2, 131000, 131016, 131057, 133004; calling connection failures 138004, 138007; HTTP 5xx or 429 without a Graph body | yes | exponential back-off |
//! | connection failures before the request left (refused, DNS, TLS, connect timeout) | yes | exponential back-off |
//! | timeout or reset after the request left (outcome unknown) | only if idempotent, or if [`RetryPolicy::resend_unknown_outcome`] is on | exponential back-off |
//! | everything else: 131047, 131026, 131050, 131049, 131062, 131063, 1320xx, 134100-134102, the other calling codes 138000-138023, 100, 190, 368, spam limit 131048, validation, decode | never | - |
//!
//! The exponential back-off of attempt `n` (from 1) is `min(max_delay, base_delay * 2^(n-1))`; with
//! jitter on, a uniformly random point of its upper half. A wait that Meta asks for (`Retry-After`,
//! the 4^n pair schedule) is never shortened: when it exceeds `max_delay` the retries stop and the
//! error is returned, which carries `retry_after` for your own scheduler.

mod driver;

pub use driver::{AttemptReport, RetryDriver, Step, TimePoint};

use crate::endpoint::Idempotency;
use crate::error::{Error, ErrorClass, RateLimit};
use crate::policy::pacing::pair_backoff;
use std::fmt;
use std::time::Duration;

/// When and how often to retry a failed request.
///
/// ```
/// use std::time::Duration;
/// use whatsapp_cloud::retry::RetryPolicy;
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
    /// use whatsapp_cloud::retry::{RetryDecision, RetryPolicy, StopReason};
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
    /// The failure cannot be fixed by trying again (see the table in [`crate::retry`]).
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

/// One failed attempt, as the client shows it to its `on_retry` hook (`ClientBuilder::on_retry`, feature
/// `client`) and to `tracing`.
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
mod tests;
