//! One request's run, shared by the async and the blocking client: the [`RetryDriver`] with the
//! client's pacing, tracing and `on_retry` hook around it, and the response tail. Each client only
//! performs the steps ([`Step`]) with its own I/O.

use super::{Shared, lock, scrub_token};
use crate::endpoint::{ApiContext, Idempotency};
use crate::error::{Error, ErrorClass, RateLimit};
use crate::policy::{Admission, Pacer};
use crate::retry::{AttemptReport, RetryDecision, RetryDriver, RetryEvent, Step};
use crate::secret::AccessToken;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the run tells about a request.
pub(crate) struct RequestInfo<'a> {
    pub(crate) method: &'a http::Method,
    pub(crate) path: &'a str,
    pub(crate) recipient: Option<&'a str>,
}

/// One step of waiting for a paced slot.
enum PaceStep {
    Go,
    SleepThenGo(Duration),
    SleepThenAsk(Duration),
}

/// Where the wait for a paced slot stands before an attempt.
enum Pacing {
    /// No slot asked for yet.
    Idle,
    /// Asking: until `limit` the recipient's pair wait is honoured.
    Asking { limit: Duration },
    /// The pacer gave a slot at a time already slept until: send.
    Granted,
}

/// One request under the client's retry policy, pacing (for message sends) and reporting.
///
/// Each client runs it the same way:
/// `loop { match run.next_step() { Send => run.record(send()), SleepUntil(t) => sleep(t), Done(r) => return r } }`.
pub(crate) struct Run<'a, T> {
    shared: &'a Shared,
    driver: RetryDriver<'a, T, Duration>,
    info: RequestInfo<'a>,
    pacer: Option<Arc<Mutex<Pacer>>>,
    pacing: Pacing,
}

impl<'a, T> Run<'a, T> {
    /// A run of a request to `recipient` (paced when set and pacing is on) from `ctx`'s number.
    pub(crate) fn new(
        shared: &'a Shared,
        ctx: &ApiContext,
        info: RequestInfo<'a>,
        idempotency: Idempotency,
    ) -> Self {
        let pacer = match info.recipient {
            Some(_) => shared.pacer(ctx),
            None => None,
        };
        Self {
            shared,
            driver: RetryDriver::new(&shared.policy, idempotency),
            info,
            pacer,
            pacing: Pacing::Idle,
        }
    }

    /// What to do now: send (the slot is paced and the attempt traced), sleep until a time of the
    /// client's timer, or return.
    pub(crate) fn next_step(&mut self) -> Step<T, Duration> {
        let attempt = match self.driver.next_step() {
            Step::Send { attempt } => attempt,
            other => return other,
        };
        if let (Some(pacer), Some(recipient)) = (&self.pacer, self.info.recipient) {
            let limit = match self.pacing {
                Pacing::Granted => None,
                Pacing::Asking { limit } => Some(limit),
                Pacing::Idle => Some(self.shared.pace_limit()),
            };
            if let Some(limit) = limit {
                match self.shared.pace(pacer, recipient, limit) {
                    PaceStep::Go => {}
                    PaceStep::SleepThenGo(at) => {
                        self.pacing = Pacing::Granted;
                        return Step::SleepUntil(at);
                    }
                    PaceStep::SleepThenAsk(at) => {
                        self.pacing = Pacing::Asking { limit };
                        return Step::SleepUntil(at);
                    }
                }
            }
        }
        self.pacing = Pacing::Idle;
        tracing::debug!(
            attempt,
            max_attempts = self.shared.policy.get_max_attempts(),
            method = %self.info.method,
            path = self.info.path,
            "sending WhatsApp request"
        );
        Step::Send { attempt }
    }

    /// Takes the outcome of the attempt just sent: updates the pacer, traces, calls the hook.
    pub(crate) fn record(&mut self, outcome: Result<T, Error>) {
        // The time and the jitter only place a retry: a success needs neither (reading the clock
        // is not free, and with tokio's `test-util` it takes a lock).
        let (now, random) = match &outcome {
            Ok(_) => (Duration::ZERO, 0.0),
            Err(_) => (self.shared.timer.now(), fastrand::f64()),
        };
        let report = self.driver.record(outcome, now, random);
        self.shared
            .report(report, &self.info, self.pacer.as_deref());
    }
}

impl Shared {
    /// How long a call may wait for a recipient's pair slot before sending anyway.
    fn pace_limit(&self) -> Duration {
        self.timer.now().saturating_add(self.policy.get_max_delay())
    }

    /// Asks the pacer for a slot for `recipient` now. Past `limit`, the recipient's pair wait is
    /// no longer honoured (a long 4^n back-off never stalls a call beyond the retry policy's
    /// `max_delay`); the number's throughput always is.
    fn pace(&self, pacer: &Mutex<Pacer>, recipient: &str, limit: Duration) -> PaceStep {
        let now = self.timer.now();
        let mut pacer = lock(pacer);
        let admission = if now >= limit {
            Admission::SendAt(pacer.admit_ignoring_pair(recipient, now))
        } else {
            pacer.admit(recipient, now)
        };
        match admission {
            Admission::SendAt(at) if at <= now => PaceStep::Go,
            Admission::SendAt(at) => PaceStep::SleepThenGo(at),
            Admission::RetryAt(at) => PaceStep::SleepThenAsk(at.min(limit)),
        }
    }

    /// Records an attempt's outcome in the pacer, traces it and shows a failure to the hook.
    fn report(
        &self,
        report: AttemptReport<'_>,
        request: &RequestInfo<'_>,
        pacer: Option<&Mutex<Pacer>>,
    ) {
        match report {
            AttemptReport::Succeeded { attempt } => self.succeeded(attempt, request, pacer),
            AttemptReport::Failed {
                attempt,
                error,
                decision,
            } => self.failed(attempt, error, decision, request, pacer),
        }
    }

    /// Records a failure in the pacer and reports it.
    fn failed(
        &self,
        attempt: u32,
        error: &Error,
        decision: RetryDecision,
        request: &RequestInfo<'_>,
        pacer: Option<&Mutex<Pacer>>,
    ) {
        let pair_limited = error.class() == Some(ErrorClass::RateLimited(RateLimit::Pair));
        if let (Some(pacer), Some(recipient), true) = (pacer, request.recipient, pair_limited) {
            // Every send to this recipient now waits; sends to others go on.
            lock(pacer).pair_rate_limited(recipient, self.timer.now());
        }
        let event = RetryEvent {
            attempt,
            max_attempts: self.policy.get_max_attempts(),
            method: request.method,
            path: request.path,
            recipient: request.recipient,
            error,
            decision,
        };
        match decision {
            RetryDecision::Retry { after } => tracing::warn!(
                attempt,
                max_attempts = event.max_attempts,
                method = %request.method,
                path = request.path,
                delay_ms = u64::try_from(after.as_millis()).unwrap_or(u64::MAX),
                error = %error,
                "WhatsApp request failed; retrying"
            ),
            RetryDecision::Stop(reason) => tracing::warn!(
                attempt,
                max_attempts = event.max_attempts,
                method = %request.method,
                path = request.path,
                reason = %reason,
                error = %error,
                "WhatsApp request failed; giving up"
            ),
        }
        if let Some(hook) = &self.on_retry {
            hook(&event);
        }
    }

    /// Records a success in the pacer (the 4^n schedule starts over) and traces it.
    fn succeeded(&self, attempt: u32, request: &RequestInfo<'_>, pacer: Option<&Mutex<Pacer>>) {
        if let (Some(pacer), Some(recipient)) = (pacer, request.recipient) {
            lock(pacer).accepted(recipient);
        }
        if attempt > 1 {
            tracing::info!(
                attempt,
                method = %request.method,
                path = request.path,
                "WhatsApp request succeeded after retrying"
            );
        }
    }
}

/// The response tail of both clients: the answer as an `http::Response`, with the access token
/// scrubbed from an error body.
pub(crate) fn response(
    status: http::StatusCode,
    headers: http::HeaderMap,
    body: bytes::Bytes,
    token: &AccessToken,
) -> http::Response<bytes::Bytes> {
    let body = if status.is_success() {
        body
    } else {
        scrub_token(body, token)
    };
    let mut out = http::Response::new(body);
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    out
}
