//! The one retry loop as a sans-IO state machine: [`RetryDriver`] says what to do next ([`Step`]),
//! the caller does it (send, sleep) and feeds the outcome back.

use super::{RetryDecision, RetryPolicy};
use crate::endpoint::Idempotency;
use crate::error::{Error, RetriesExhausted};
use std::time::{Duration, Instant};

/// A point in time a wait can be added to: [`Instant`], or a [`Duration`] since a clock's origin
/// (as the client's timers count).
pub trait TimePoint: Copy {
    /// This point plus `wait`; never overflows (a point beyond what the type holds is far future).
    fn saturating_after(self, wait: Duration) -> Self;
}

impl TimePoint for Duration {
    fn saturating_after(self, wait: Duration) -> Self {
        self.saturating_add(wait)
    }
}

impl TimePoint for Instant {
    fn saturating_after(self, wait: Duration) -> Self {
        // About 30 years: as good as "never" when the exact point does not fit.
        const FAR: Duration = Duration::from_secs(30 * 365 * 86_400);
        self.checked_add(wait)
            .or_else(|| self.checked_add(FAR))
            .unwrap_or(self)
    }
}

/// What the caller of a [`RetryDriver`] does next.
#[derive(Debug)]
#[must_use]
pub enum Step<O, T = Instant> {
    /// Send the request now (attempt `attempt`, from 1), then pass its outcome to
    /// [`RetryDriver::record`].
    Send {
        /// The attempt about to be made, from 1.
        attempt: u32,
    },
    /// Wait until this point in time, then ask [`RetryDriver::next_step`] again.
    SleepUntil(T),
    /// The request is finished: the output, or the error. After more than one attempt the error is
    /// [`Error::RetriesExhausted`], which keeps every attempt's error.
    Done(Result<O, Error>),
}

/// What [`RetryDriver::record`] made of an attempt, for logs and hooks.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum AttemptReport<'a> {
    /// The attempt succeeded; the next step is [`Step::Done`] with its output.
    Succeeded {
        /// The attempt, from 1.
        attempt: u32,
    },
    /// The attempt failed.
    Failed {
        /// The attempt, from 1.
        attempt: u32,
        /// Why it failed.
        error: &'a Error,
        /// What happens next: a wait then another attempt, or the end.
        decision: RetryDecision,
    },
}

enum State<O, T> {
    /// The next step is to send.
    Send,
    /// The next step is to wait until this point, then send.
    Sleep(T),
    /// The last attempt failed and is the last one: the next step returns the errors.
    Stop,
    /// An attempt succeeded: the next step returns its output.
    Succeeded(O),
    /// [`Step::Done`] was handed out.
    Finished,
}

/// The retry loop of one request as a state machine without I/O, time or randomness of its own:
/// [`next_step`](Self::next_step) says what to do, [`record`](Self::record) takes each attempt's
/// outcome. Both clients of this crate run it; so can any other HTTP client.
///
/// Time is whatever [`TimePoint`] the caller sleeps with ([`Instant`] by default); the jitter's
/// randomness is a number in `[0, 1)` passed to `record`.
///
/// ```
/// use std::time::{Duration, Instant};
/// use whatsapp_cloud::endpoint::Idempotency;
/// use whatsapp_cloud::error::ApiError;
/// use whatsapp_cloud::retry::{RetryDriver, RetryPolicy, Step};
/// use whatsapp_cloud::Error;
///
/// let policy = RetryPolicy::default().base_delay(Duration::from_millis(5));
/// // A fake transport: throttled once, then accepted.
/// let mut answers = vec![
///     Ok("wamid.A"),
///     Err(Error::from(ApiError::from_response(400, None, br#"{"error":{"code":130429}}"#))),
/// ];
/// let mut driver = RetryDriver::new(&policy, Idempotency::NotIdempotent);
/// let output = loop {
///     match driver.next_step() {
///         Step::Send { .. } => {
///             let outcome = answers.pop().unwrap_or(Ok("none"));
///             driver.record(outcome, Instant::now(), 0.5);
///         }
///         Step::SleepUntil(at) => std::thread::sleep(at.saturating_duration_since(Instant::now())),
///         Step::Done(result) => break result,
///     }
/// };
/// assert_eq!(output?, "wamid.A");
/// # Ok::<(), Error>(())
/// ```
pub struct RetryDriver<'p, O, T = Instant> {
    policy: &'p RetryPolicy,
    idempotency: Idempotency,
    /// Attempts made so far.
    attempt: u32,
    /// The errors of earlier attempts, oldest first.
    errors: Vec<Error>,
    /// The error just recorded; joins `errors` at the next step.
    failed: Option<Error>,
    state: State<O, T>,
}

impl<O, T> std::fmt::Debug for RetryDriver<'_, O, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetryDriver")
            .field("policy", self.policy)
            .field("idempotency", &self.idempotency)
            .field("attempt", &self.attempt)
            .field(
                "errors",
                &(self.errors.len() + usize::from(self.failed.is_some())),
            )
            .finish_non_exhaustive()
    }
}

impl<'p, O, T: TimePoint> RetryDriver<'p, O, T> {
    /// A driver for one request under `policy`; `idempotency` says whether a request whose outcome
    /// is unknown may be resent.
    pub fn new(policy: &'p RetryPolicy, idempotency: Idempotency) -> Self {
        Self {
            policy,
            idempotency,
            attempt: 0,
            errors: Vec::new(),
            failed: None,
            state: State::Send,
        }
    }

    /// The policy this driver follows.
    pub fn policy(&self) -> &'p RetryPolicy {
        self.policy
    }

    /// Attempts recorded so far.
    pub fn attempts(&self) -> u32 {
        self.attempt
    }

    /// What to do now. After [`Step::Done`] every further call returns an error.
    pub fn next_step(&mut self) -> Step<O, T> {
        if let Some(error) = self.failed.take() {
            self.errors.push(error);
        }
        match std::mem::replace(&mut self.state, State::Finished) {
            State::Send => {
                self.state = State::Send;
                Step::Send {
                    attempt: self.attempt.saturating_add(1),
                }
            }
            State::Sleep(until) => {
                self.state = State::Send;
                Step::SleepUntil(until)
            }
            State::Stop => Step::Done(Err(RetriesExhausted::wrap(std::mem::take(
                &mut self.errors,
            )))),
            State::Succeeded(output) => Step::Done(Ok(output)),
            State::Finished => Step::Done(Err(Error::config(
                "internal: the request was already finished",
            ))),
        }
    }

    /// Takes the outcome of the attempt [`Step::Send`] asked for, `now` being when it ended and
    /// `random` a number in `[0, 1)` for the jitter; decides what comes next
    /// ([`RetryPolicy::decide`]) and reports it.
    pub fn record(&mut self, outcome: Result<O, Error>, now: T, random: f64) -> AttemptReport<'_> {
        self.attempt = self.attempt.saturating_add(1);
        let attempt = self.attempt;
        match outcome {
            Ok(output) => {
                self.state = State::Succeeded(output);
                AttemptReport::Succeeded { attempt }
            }
            Err(error) => {
                if let Some(earlier) = self.failed.take() {
                    self.errors.push(earlier);
                }
                let decision = self
                    .policy
                    .decide(attempt, &error, self.idempotency, random);
                self.state = match decision {
                    RetryDecision::Retry { after } => State::Sleep(now.saturating_after(after)),
                    RetryDecision::Stop(_) => State::Stop,
                };
                AttemptReport::Failed {
                    attempt,
                    error: self.failed.insert(error),
                    decision,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ApiError, TimeoutError};
    use crate::retry::StopReason;

    fn api(code: i64, retry_after: Option<Duration>) -> Error {
        Error::from(ApiError::from_response(
            400,
            retry_after,
            format!(r#"{{"error":{{"code":{code},"message":"(#{code}) x"}}}}"#).as_bytes(),
        ))
    }

    fn code(error: &Error) -> Option<i64> {
        error.api().and_then(ApiError::code)
    }

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    fn send<O, T: TimePoint>(driver: &mut RetryDriver<'_, O, T>) -> u32 {
        match driver.next_step() {
            Step::Send { attempt } => attempt,
            Step::SleepUntil(_) => panic!("expected a send, got a sleep"),
            Step::Done(_) => panic!("expected a send, got the end"),
        }
    }

    fn sleep<O, T: TimePoint + std::fmt::Debug>(driver: &mut RetryDriver<'_, O, T>) -> T {
        match driver.next_step() {
            Step::SleepUntil(at) => at,
            Step::Send { attempt } => panic!("expected a sleep, got send {attempt}"),
            Step::Done(_) => panic!("expected a sleep, got the end"),
        }
    }

    fn done<O, T: TimePoint>(driver: &mut RetryDriver<'_, O, T>) -> Result<O, Error> {
        match driver.next_step() {
            Step::Done(result) => result,
            Step::Send { attempt } => panic!("expected the end, got send {attempt}"),
            Step::SleepUntil(_) => panic!("expected the end, got a sleep"),
        }
    }

    #[test]
    fn success_first_time_sends_once_and_returns_the_output() {
        let policy = RetryPolicy::default();
        let mut driver = RetryDriver::<_, Duration>::new(&policy, Idempotency::NotIdempotent);
        assert_eq!(send(&mut driver), 1);
        // Asking again before the outcome is known still says: send attempt 1.
        assert_eq!(send(&mut driver), 1);
        let report = driver.record(Ok("wamid.A"), secs(0), 0.5);
        assert!(matches!(report, AttemptReport::Succeeded { attempt: 1 }));
        assert_eq!(done(&mut driver).unwrap(), "wamid.A");
        assert_eq!(driver.attempts(), 1);
        // Finished: no panic, an error.
        assert!(matches!(done(&mut driver), Err(Error::Config(_))));
    }

    #[test]
    fn throttled_with_retry_after_sleeps_exactly_that_long_then_resends() {
        let policy = RetryPolicy::default();
        let start = Instant::now();
        let mut driver = RetryDriver::new(&policy, Idempotency::NotIdempotent);
        assert_eq!(send(&mut driver), 1);
        let report = driver.record(Err(api(130429, Some(secs(7)))), start, 0.9);
        match report {
            AttemptReport::Failed {
                attempt,
                error,
                decision,
            } => {
                assert_eq!(attempt, 1);
                assert_eq!(code(error), Some(130429));
                assert_eq!(decision, RetryDecision::Retry { after: secs(7) });
            }
            other => panic!("expected a failure, got {other:?}"),
        }
        assert_eq!(sleep(&mut driver), start + secs(7));
        assert_eq!(send(&mut driver), 2);
        driver.record(Ok(42), start + secs(8), 0.0);
        assert_eq!(done(&mut driver).unwrap(), 42);
    }

    #[test]
    fn a_timeout_after_sending_a_message_ends_with_that_error() {
        let policy = RetryPolicy::default().max_attempts(5);
        let mut driver = RetryDriver::<(), Duration>::new(&policy, Idempotency::NotIdempotent);
        assert_eq!(send(&mut driver), 1);
        let timeout = Error::Timeout(TimeoutError::new(secs(30), true));
        let report = driver.record(Err(timeout), secs(30), 0.0);
        assert!(matches!(
            report,
            AttemptReport::Failed {
                attempt: 1,
                decision: RetryDecision::Stop(StopReason::OutcomeUnknown),
                ..
            }
        ));
        // One attempt: the error itself, not wrapped.
        assert!(matches!(done(&mut driver), Err(Error::Timeout(_))));
    }

    #[test]
    fn exhaustion_keeps_every_cause_oldest_first() {
        let policy = RetryPolicy::default().jitter(false).max_attempts(3);
        let mut driver = RetryDriver::<(), Duration>::new(&policy, Idempotency::NotIdempotent);
        let mut now = Duration::ZERO;
        let codes = [130429, 131000, 130429];
        for (i, code) in codes.into_iter().enumerate() {
            assert_eq!(send(&mut driver), u32::try_from(i + 1).unwrap());
            let report = driver.record(Err(api(code, None)), now, 0.0);
            let AttemptReport::Failed { decision, .. } = report else {
                panic!("expected a failure");
            };
            if i < 2 {
                let at = sleep(&mut driver);
                // The exponential back-off: 500 ms, then 1 s.
                assert_eq!(at - now, Duration::from_millis(500) * (1 << i));
                now = at;
            } else {
                assert_eq!(decision, RetryDecision::Stop(StopReason::AttemptsExhausted));
            }
        }
        let Err(Error::RetriesExhausted(all)) = done(&mut driver) else {
            panic!("expected every attempt's error");
        };
        let kept: Vec<_> = all.attempts().iter().map(code).collect();
        assert_eq!(kept, codes.map(Some));
    }

    #[test]
    fn a_permanent_error_after_retries_still_returns_all_causes() {
        let policy = RetryPolicy::default().jitter(false);
        let mut driver = RetryDriver::<(), Duration>::new(&policy, Idempotency::Idempotent);
        let _ = send(&mut driver);
        driver.record(Err(api(131000, None)), secs(0), 0.0);
        let _ = sleep(&mut driver);
        let _ = send(&mut driver);
        let report = driver.record(Err(api(131047, None)), secs(1), 0.0);
        assert!(matches!(
            report,
            AttemptReport::Failed {
                attempt: 2,
                decision: RetryDecision::Stop(StopReason::NotRetryable),
                ..
            }
        ));
        let Err(Error::RetriesExhausted(all)) = done(&mut driver) else {
            panic!("expected both errors");
        };
        assert_eq!(all.attempts().len(), 2);
        assert_eq!(code(all.last()), Some(131047));
    }

    #[test]
    fn waits_beyond_what_an_instant_holds_do_not_panic() {
        let now = Instant::now();
        assert!(now.saturating_after(Duration::MAX) >= now);
        assert_eq!(secs(1).saturating_after(Duration::MAX), Duration::MAX);
    }
}
