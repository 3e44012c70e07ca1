//! Tests of the retry policy and its decision function.

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
        131047, 131026, 131050, 131049, 131062, 132000, 132001, 132015, 132016, 132068, 100, 190,
        368, 131048, 0, 10, 131008, 131009,
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
            131047i64, 131026, 131050, 131049, 131062, 132000, 132001, 132005, 132007, 132012,
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
