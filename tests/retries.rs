//! Retries and pacing against a fake Cloud API with scripted answers. Time is virtual
//! (`ManualTimer` or a gated timer): no test sleeps, except the two timeout tests, which wait for a
//! 100 ms client timeout.

use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Semaphore, mpsc};
use whatsapp_cloud::Error;
use whatsapp_cloud::client::{Client, ClientBuilder, ManualTimer, Sleep, Timer};
use whatsapp_cloud::error::{ErrorClass, RateLimit};
use whatsapp_cloud::message::{Message, SendMessage};
use whatsapp_cloud::policy::PacingConfig;
use whatsapp_cloud::retry::{RetryDecision, RetryPolicy, StopReason};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN: &str = "EAAG-retry-token";
const PHONE: &str = "106540352242922";

fn ms(v: u64) -> Duration {
    Duration::from_millis(v)
}

fn secs(v: u64) -> Duration {
    Duration::from_secs(v)
}

fn text_to(to: &str, body: &str) -> SendMessage {
    SendMessage::new(to, Message::text(body))
}

fn text_json(to: &str, body: &str) -> Value {
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"body": body}
    })
}

fn hello() -> SendMessage {
    text_to("+16315551234", "Hello!")
}

fn hello_json() -> Value {
    text_json("+16315551234", "Hello!")
}

fn accepted(wamid: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "messaging_product": "whatsapp",
        "contacts": [{"input": "+16315551234", "wa_id": "16315551234"}],
        "messages": [{"id": wamid}]
    }))
}

fn graph_error(status: u16, code: i64, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"error": {
        "message": format!("(#{code}) {message}"),
        "type": "OAuthException",
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": message},
        "fbtrace_id": format!("trace-{code}")
    }}))
}

/// A mock of the send endpoint that checks method, path, bearer token and the exact body.
fn send_mock(body: Value) -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/messages")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(body))
}

/// Mounts `responses` to be answered in order, each exactly once, for the same request.
async fn script(server: &MockServer, body: &Value, responses: Vec<ResponseTemplate>) {
    for (i, response) in responses.into_iter().enumerate() {
        let priority = u8::try_from(i + 1).unwrap();
        send_mock(body.clone())
            .respond_with(response)
            .up_to_n_times(1)
            .with_priority(priority)
            .expect(1)
            .named(format!("response #{}", i + 1))
            .mount(server)
            .await;
    }
}

/// One failed attempt as seen by the hook.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    attempt: u32,
    code: Option<i64>,
    decision: RetryDecision,
}

fn client(server: &MockServer, timer: impl Timer) -> (ClientBuilder, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let builder = Client::builder()
        .access_token(TOKEN)
        .phone_number_id(PHONE)
        .base_url(server.uri())
        .timer(timer)
        .retry_policy(RetryPolicy::default().jitter(false))
        .on_retry(move |event| {
            assert!(!event.error.to_string().contains(TOKEN));
            log.lock().unwrap().push(Seen {
                attempt: event.attempt,
                code: event.error.api().and_then(|a| a.code()),
                decision: event.decision,
            });
        });
    (builder, seen)
}

fn seen(log: &Arc<Mutex<Vec<Seen>>>) -> Vec<Seen> {
    log.lock().unwrap().clone()
}

#[tokio::test]
async fn throughput_limit_then_success_is_retried_after_the_backoff() {
    let server = MockServer::start().await;
    script(
        &server,
        &hello_json(),
        vec![
            graph_error(400, 130429, "Rate limit hit"),
            accepted("wamid.ok"),
        ],
    )
    .await;
    let timer = ManualTimer::new();
    let (builder, log) = client(&server, timer.clone());
    let sent = builder.build().unwrap().send(&hello()).await.unwrap();
    assert_eq!(sent.message_id().unwrap().as_str(), "wamid.ok");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert_eq!(timer.sleeps(), vec![ms(500)]);
    assert_eq!(
        seen(&log),
        vec![Seen {
            attempt: 1,
            code: Some(130429),
            decision: RetryDecision::Retry { after: ms(500) }
        }]
    );
}

#[tokio::test]
async fn jittered_backoff_stays_within_its_bounds() {
    let server = MockServer::start().await;
    script(
        &server,
        &hello_json(),
        vec![
            graph_error(400, 130429, "Rate limit hit"),
            graph_error(400, 130429, "Rate limit hit"),
            accepted("wamid.ok"),
        ],
    )
    .await;
    let timer = ManualTimer::new();
    let (builder, _) = client(&server, timer.clone());
    builder
        .retry_policy(RetryPolicy::default().jitter(true).base_delay(ms(400)))
        .build()
        .unwrap()
        .send(&hello())
        .await
        .unwrap();
    let sleeps = timer.sleeps();
    assert_eq!(sleeps.len(), 2);
    assert!(sleeps[0] >= ms(200) && sleeps[0] <= ms(400), "{sleeps:?}");
    assert!(sleeps[1] >= ms(400) && sleeps[1] <= ms(800), "{sleeps:?}");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    script(
        &server,
        &hello_json(),
        vec![
            graph_error(429, 130429, "Rate limit hit").insert_header("retry-after", "7"),
            accepted("wamid.ok"),
        ],
    )
    .await;
    let timer = ManualTimer::new();
    let (builder, log) = client(&server, timer.clone());
    builder.build().unwrap().send(&hello()).await.unwrap();
    assert_eq!(timer.sleeps(), vec![secs(7)]);
    assert_eq!(
        seen(&log)[0].decision,
        RetryDecision::Retry { after: secs(7) }
    );
}

#[tokio::test]
async fn a_retry_after_longer_than_the_cap_returns_the_error_at_once() {
    let server = MockServer::start().await;
    script(
        &server,
        &hello_json(),
        vec![graph_error(429, 80007, "Rate limit issues").insert_header("retry-after", "3600")],
    )
    .await;
    let timer = ManualTimer::new();
    let (builder, log) = client(&server, timer.clone());
    let e = builder.build().unwrap().send(&hello()).await.unwrap_err();
    assert_eq!(e.api().unwrap().retry_after, Some(secs(3600)));
    assert_eq!(e.class(), Some(ErrorClass::RateLimited(RateLimit::Account)));
    assert!(timer.sleeps().is_empty());
    assert_eq!(
        seen(&log)[0].decision,
        RetryDecision::Stop(StopReason::WaitTooLong { wait: secs(3600) })
    );
}

#[tokio::test]
async fn a_server_error_then_success_is_retried() {
    let server = MockServer::start().await;
    script(
        &server,
        &hello_json(),
        vec![
            ResponseTemplate::new(500).set_body_string("<html>Internal Server Error</html>"),
            accepted("wamid.ok"),
        ],
    )
    .await;
    let timer = ManualTimer::new();
    let (builder, log) = client(&server, timer.clone());
    let sent = builder.build().unwrap().send(&hello()).await.unwrap();
    assert_eq!(sent.message_id().unwrap().as_str(), "wamid.ok");
    assert_eq!(timer.sleeps(), vec![ms(500)]);
    assert_eq!(seen(&log).len(), 1);
    assert_eq!(seen(&log)[0].code, None);
}

#[tokio::test]
async fn outside_the_window_131047_is_not_retried() {
    let server = MockServer::start().await;
    script(
        &server,
        &hello_json(),
        vec![graph_error(400, 131047, "Re-engagement message")],
    )
    .await;
    let timer = ManualTimer::new();
    let (builder, log) = client(&server, timer.clone());
    let e = builder.build().unwrap().send(&hello()).await.unwrap_err();
    assert!(
        matches!(e, Error::Api(_)),
        "a single attempt is not wrapped: {e:?}"
    );
    assert_eq!(e.class(), Some(ErrorClass::OutsideWindow));
    assert!(timer.sleeps().is_empty());
    assert_eq!(
        seen(&log),
        vec![Seen {
            attempt: 1,
            code: Some(131047),
            decision: RetryDecision::Stop(StopReason::NotRetryable)
        }]
    );
}

#[tokio::test]
async fn permanent_errors_are_sent_once() {
    for (status, code) in [
        (400, 131026),
        (400, 131050),
        (400, 131049),
        (404, 132001),
        (400, 100),
        (401, 190),
        (403, 368),
    ] {
        let server = MockServer::start().await;
        script(
            &server,
            &hello_json(),
            vec![graph_error(status, code, "no")],
        )
        .await;
        let timer = ManualTimer::new();
        let (builder, _) = client(&server, timer.clone());
        let e = builder.build().unwrap().send(&hello()).await.unwrap_err();
        assert_eq!(e.api().unwrap().code(), Some(code));
        assert!(timer.sleeps().is_empty(), "code {code}");
    }
}

#[tokio::test]
async fn a_timeout_after_the_request_left_is_not_resent() {
    let server = MockServer::start().await;
    script(
        &server,
        &hello_json(),
        vec![accepted("wamid.late").set_delay(ms(1500))],
    )
    .await;
    let timer = ManualTimer::new();
    let (builder, log) = client(&server, timer.clone());
    let e = builder
        .timeout(ms(500))
        .build()
        .unwrap()
        .send(&hello())
        .await
        .unwrap_err();
    match &e {
        Error::Timeout(t) => {
            assert!(t.may_have_been_sent);
            assert!(t.elapsed >= ms(500));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(e.may_have_been_sent());
    assert!(!e.is_retryable());
    assert!(timer.sleeps().is_empty());
    assert_eq!(
        seen(&log)[0].decision,
        RetryDecision::Stop(StopReason::OutcomeUnknown)
    );
}

#[tokio::test]
async fn a_timeout_after_the_request_left_is_resent_when_asked() {
    let server = MockServer::start().await;
    script(
        &server,
        &hello_json(),
        vec![
            accepted("wamid.late").set_delay(ms(1500)),
            accepted("wamid.second"),
        ],
    )
    .await;
    let timer = ManualTimer::new();
    let (builder, log) = client(&server, timer.clone());
    let sent = builder
        .timeout(ms(500))
        .retry_policy(
            RetryPolicy::default()
                .jitter(false)
                .resend_unknown_outcome(true),
        )
        .build()
        .unwrap()
        .send(&hello())
        .await
        .unwrap();
    assert_eq!(sent.message_id().unwrap().as_str(), "wamid.second");
    assert_eq!(timer.sleeps(), vec![ms(500)]);
    assert_eq!(
        seen(&log)[0].decision,
        RetryDecision::Retry { after: ms(500) }
    );
}

/// A virtual timer that starts the fake server on its first sleep: the first attempt finds the
/// port closed (connection refused), the retry finds the server.
#[derive(Clone)]
struct StartServerWhenSleeping {
    clock: ManualTimer,
    port: u16,
    server: Arc<Mutex<Option<MockServer>>>,
}

impl Timer for StartServerWhenSleeping {
    fn now(&self) -> Duration {
        self.clock.now()
    }

    fn sleep_until(&self, deadline: Duration) -> Sleep {
        let this = self.clone();
        Box::pin(async move {
            this.clock.sleep_until(deadline).await;
            if this.server.lock().unwrap().is_some() {
                return;
            }
            let listener = std::net::TcpListener::bind(("127.0.0.1", this.port)).unwrap();
            let server = MockServer::builder().listener(listener).start().await;
            send_mock(hello_json())
                .respond_with(accepted("wamid.after-refused"))
                .expect(1)
                .mount(&server)
                .await;
            *this.server.lock().unwrap() = Some(server);
        })
    }

    fn sleep_until_blocking(&self, deadline: Duration) {
        self.clock.sleep_until_blocking(deadline);
    }
}

#[tokio::test]
async fn connection_refused_before_sending_is_retried() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let timer = StartServerWhenSleeping {
        clock: ManualTimer::new(),
        port,
        server: Arc::new(Mutex::new(None)),
    };
    let attempts = Arc::new(Mutex::new(Vec::new()));
    let log = attempts.clone();
    let client = Client::builder()
        .access_token(TOKEN)
        .phone_number_id(PHONE)
        .base_url(format!("http://127.0.0.1:{port}"))
        .timer(timer.clone())
        .retry_policy(RetryPolicy::default().jitter(false))
        .on_retry(move |event| {
            log.lock()
                .unwrap()
                .push((event.error.may_have_been_sent(), event.decision));
        })
        .build()
        .unwrap();
    let sent = client.send(&hello()).await.unwrap();
    assert_eq!(sent.message_id().unwrap().as_str(), "wamid.after-refused");
    assert_eq!(
        *attempts.lock().unwrap(),
        vec![(false, RetryDecision::Retry { after: ms(500) })]
    );
    let server = timer.server.lock().unwrap().take().unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_hook_sees_every_failed_attempt_and_the_schedule_doubles() {
    let server = MockServer::start().await;
    script(
        &server,
        &hello_json(),
        vec![
            ResponseTemplate::new(502).set_body_string("Bad Gateway"),
            graph_error(400, 130429, "Rate limit hit"),
            graph_error(500, 131000, "Something went wrong"),
            accepted("wamid.fourth"),
        ],
    )
    .await;
    let timer = ManualTimer::new();
    let (builder, log) = client(&server, timer.clone());
    let sent = builder.build().unwrap().send(&hello()).await.unwrap();
    assert_eq!(sent.message_id().unwrap().as_str(), "wamid.fourth");
    assert_eq!(timer.sleeps(), vec![ms(500), ms(1000), ms(2000)]);
    let retry = |after| RetryDecision::Retry { after };
    assert_eq!(
        seen(&log),
        vec![
            Seen {
                attempt: 1,
                code: None,
                decision: retry(ms(500))
            },
            Seen {
                attempt: 2,
                code: Some(130429),
                decision: retry(ms(1000))
            },
            Seen {
                attempt: 3,
                code: Some(131000),
                decision: retry(ms(2000))
            },
        ]
    );
}

#[tokio::test]
async fn exhausted_retries_keep_every_cause() {
    let server = MockServer::start().await;
    script(
        &server,
        &hello_json(),
        vec![
            ResponseTemplate::new(503).set_body_string("<html>Service Unavailable</html>"),
            graph_error(400, 130429, "Rate limit hit"),
            graph_error(503, 2, "Service temporarily unavailable"),
        ],
    )
    .await;
    let timer = ManualTimer::new();
    let (builder, log) = client(&server, timer.clone());
    let e = builder
        .retry_policy(RetryPolicy::default().jitter(false).max_attempts(3))
        .build()
        .unwrap()
        .send(&hello())
        .await
        .unwrap_err();
    let Error::RetriesExhausted(all) = &e else {
        panic!("expected every attempt, got {e:?}");
    };
    let causes: Vec<(u16, Option<i64>)> = all
        .attempts()
        .iter()
        .map(|a| {
            let api = a.api().unwrap();
            (api.status, api.code())
        })
        .collect();
    assert_eq!(
        causes,
        vec![(503, None), (400, Some(130429)), (503, Some(2))]
    );
    assert_eq!(e.api().unwrap().code(), Some(2));
    assert!(
        e.to_string()
            .starts_with("3 attempts failed; last: WhatsApp API error 2 (HTTP 503)")
    );
    assert_eq!(timer.sleeps(), vec![ms(500), ms(1000)]);
    assert_eq!(
        seen(&log).last().unwrap().decision,
        RetryDecision::Stop(StopReason::AttemptsExhausted)
    );
}

#[tokio::test]
async fn pair_rate_limit_follows_four_to_the_n_seconds() {
    let server = MockServer::start().await;
    let pair = || {
        graph_error(
            400,
            131056,
            "(Business Account, Consumer Account) pair rate limit hit",
        )
    };
    script(
        &server,
        &hello_json(),
        vec![pair(), pair(), pair(), accepted("wamid.finally")],
    )
    .await;
    let timer = ManualTimer::new();
    let (builder, _) = client(&server, timer.clone());
    let sent = builder
        .pacing(PacingConfig::default().without_pair_pacing())
        .build()
        .unwrap()
        .send_message(&hello())
        .await
        .unwrap();
    assert_eq!(sent.message_id().unwrap().as_str(), "wamid.finally");
    assert_eq!(timer.sleeps(), vec![secs(1), secs(4), secs(16)]);
}

/// Answers with `response` and reports the `to` of each request it answered.
struct Reporting {
    tx: mpsc::UnboundedSender<String>,
    response: ResponseTemplate,
}

impl Respond for Reporting {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let _ = self
            .tx
            .send(body["to"].as_str().unwrap_or_default().to_owned());
        self.response.clone()
    }
}

/// A virtual timer that holds every wait of a second or more until the test opens the gate.
#[derive(Clone)]
struct GatedTimer {
    clock: ManualTimer,
    gate: Arc<Semaphore>,
}

impl Timer for GatedTimer {
    fn now(&self) -> Duration {
        self.clock.now()
    }

    fn sleep_until(&self, deadline: Duration) -> Sleep {
        let long = deadline.saturating_sub(self.clock.now()) >= secs(1);
        let this = self.clone();
        Box::pin(async move {
            if long {
                let permit = this.gate.acquire().await.unwrap();
                permit.forget();
            }
            this.clock.sleep_until(deadline).await;
        })
    }

    fn sleep_until_blocking(&self, deadline: Duration) {
        self.clock.sleep_until_blocking(deadline);
    }
}

#[tokio::test]
async fn pair_limit_holds_back_one_recipient_while_the_others_go_through() {
    let server = MockServer::start().await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let reporting = |response| Reporting {
        tx: tx.clone(),
        response,
    };
    let (a, b, c) = ("16315550001", "16315550002", "16315550003");
    send_mock(text_json(a, "hi A"))
        .respond_with(reporting(graph_error(400, 131056, "pair rate limit hit")))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    send_mock(text_json(a, "hi A"))
        .respond_with(reporting(accepted("wamid.A")))
        .with_priority(2)
        .expect(1)
        .mount(&server)
        .await;
    for (to, id) in [(b, "wamid.B"), (c, "wamid.C")] {
        send_mock(text_json(to, &format!("hi {}", &id[6..])))
            .respond_with(reporting(accepted(id)))
            .expect(1)
            .mount(&server)
            .await;
    }

    let timer = GatedTimer {
        clock: ManualTimer::new(),
        gate: Arc::new(Semaphore::new(0)),
    };
    let (builder, _) = client(&server, timer.clone());
    let (hook_tx, mut hook_rx) = mpsc::unbounded_channel();
    let client = builder
        .on_retry(move |event| {
            let _ = hook_tx.send(Seen {
                attempt: event.attempt,
                code: event.error.api().and_then(|a| a.code()),
                decision: event.decision,
            });
        })
        .build()
        .unwrap();
    let batch = tokio::spawn(async move {
        client
            .send_batch([text_to(a, "hi A"), text_to(b, "hi B"), text_to(c, "hi C")])
            .await
    });

    // A is refused, B and C are answered, all while A's back-off is held at the gate. (The
    // timeout only turns a hang into a failure; nothing here depends on timing.)
    let mut answered = Vec::new();
    for _ in 0..3 {
        let to = tokio::time::timeout(secs(10), rx.recv())
            .await
            .expect("B and C must go through while A backs off")
            .unwrap();
        answered.push(to);
    }
    answered.sort();
    assert_eq!(answered, vec![a, b, c]);
    let event = tokio::time::timeout(secs(10), hook_rx.recv())
        .await
        .expect("the hook must see A's failed attempt")
        .unwrap();
    assert_eq!(
        event,
        Seen {
            attempt: 1,
            code: Some(131056),
            decision: RetryDecision::Retry { after: secs(1) }
        }
    );
    assert!(!batch.is_finished());

    // Opening the gate lets A's retry go after Meta's first 4^0 = 1 second.
    timer.gate.add_permits(1);
    let results = batch.await.unwrap();
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r.as_ref().unwrap().message_id().unwrap().as_str())
        .collect();
    assert_eq!(ids, vec!["wamid.A", "wamid.B", "wamid.C"]);
    assert_eq!(rx.recv().await.unwrap(), a);
    assert!(timer.clock.sleeps().contains(&secs(1)));
}

#[tokio::test]
async fn a_batch_keeps_input_order_and_one_failure_never_stops_the_rest() {
    let server = MockServer::start().await;
    let recipients = ["16315550001", "16315550002", "16315550003", "16315550004"];
    for (i, to) in recipients.iter().enumerate() {
        let response = if i == 1 {
            graph_error(400, 131026, "Message Undeliverable")
        } else {
            accepted(&format!("wamid.{i}"))
        };
        send_mock(text_json(to, "Sale today"))
            .respond_with(response)
            .expect(1)
            .mount(&server)
            .await;
    }
    let timer = ManualTimer::new();
    let (builder, _) = client(&server, timer.clone());
    let client = builder.batch_concurrency(2).build().unwrap();
    let mut messages: Vec<SendMessage> = recipients
        .iter()
        .map(|to| text_to(to, "Sale today"))
        .collect();
    // An invalid message fails alone, before the network.
    messages.insert(2, text_to("16315550009", ""));
    let results = client.send_batch(messages).await;
    assert_eq!(results.len(), 5);
    assert_eq!(
        results[0].as_ref().unwrap().message_id().unwrap().as_str(),
        "wamid.0"
    );
    assert_eq!(
        results[1].as_ref().unwrap_err().class(),
        Some(ErrorClass::Undeliverable)
    );
    assert!(matches!(&results[2], Err(Error::Validation(v)) if v.field == "text.body"));
    assert_eq!(
        results[3].as_ref().unwrap().message_id().unwrap().as_str(),
        "wamid.2"
    );
    assert_eq!(
        results[4].as_ref().unwrap().message_id().unwrap().as_str(),
        "wamid.3"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn a_batch_is_paced_at_the_configured_throughput() {
    let server = MockServer::start().await;
    let count = 100;
    let recipients: Vec<String> = (0..count).map(|i| format!("1631555{i:04}")).collect();
    for to in &recipients {
        send_mock(text_json(to, "Update"))
            .respond_with(accepted("wamid.x"))
            .expect(1)
            .mount(&server)
            .await;
    }
    let timer = ManualTimer::new();
    let (builder, _) = client(&server, timer.clone());
    let client = builder.batch_concurrency(16).build().unwrap();
    let results = client
        .send_batch(recipients.iter().map(|to| text_to(to, "Update")))
        .await;
    assert!(results.iter().all(Result::is_ok));
    // 80 per second: the 100th message leaves 99 * 12.5 ms after the first.
    assert_eq!(timer.now(), Duration::from_micros(12_500) * 99);
    assert!(
        timer
            .sleeps()
            .iter()
            .all(|s| *s <= Duration::from_micros(12_500))
    );
}

#[tokio::test]
async fn a_second_message_to_the_same_user_waits_for_the_pair_rate() {
    let server = MockServer::start().await;
    for body in ["first", "second"] {
        send_mock(text_json("16315550001", body))
            .respond_with(accepted(&format!("wamid.{body}")))
            .expect(1)
            .mount(&server)
            .await;
    }
    let timer = ManualTimer::new();
    let (builder, _) = client(&server, timer.clone());
    let client = builder
        .pacing(PacingConfig::default().pair_burst(1).unwrap())
        .build()
        .unwrap();
    client
        .send_message(&text_to("16315550001", "first"))
        .await
        .unwrap();
    client
        .send_message(&text_to("16315550001", "second"))
        .await
        .unwrap();
    assert_eq!(timer.sleeps(), vec![secs(6)]);
    assert_eq!(timer.now(), secs(6));
}

#[tokio::test]
async fn tenant_views_of_one_number_share_its_pacer() {
    let server = MockServer::start().await;
    for body in ["first", "second"] {
        send_mock(text_json("16315550001", body))
            .respond_with(accepted(&format!("wamid.{body}")))
            .expect(1)
            .mount(&server)
            .await;
    }
    let timer = ManualTimer::new();
    let (builder, _) = client(&server, timer.clone());
    let client = builder
        .pacing(PacingConfig::default().pair_burst(1).unwrap())
        .build()
        .unwrap();
    let same_number = client
        .for_tenant(&whatsapp_cloud::client::Tenant::new(PHONE, TOKEN))
        .unwrap();
    client
        .send_message(&text_to("16315550001", "first"))
        .await
        .unwrap();
    same_number
        .send_message(&text_to("16315550001", "second"))
        .await
        .unwrap();
    assert_eq!(timer.sleeps(), vec![secs(6)]);
}

/// Collects the `tracing` events of this crate as text.
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
}

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.target().starts_with("whatsapp_cloud")
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        self.lines
            .lock()
            .unwrap()
            .push(format!("{} {}", event.metadata().level(), fields.0));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// The crate's events, collected by a process-wide subscriber: a thread-local one would race with
/// the interest cache of callsites that other tests hit at the same time.
fn traced_lines() -> Arc<Mutex<Vec<String>>> {
    static LINES: std::sync::OnceLock<Arc<Mutex<Vec<String>>>> = std::sync::OnceLock::new();
    LINES
        .get_or_init(|| {
            let lines = Arc::new(Mutex::new(Vec::new()));
            tracing::subscriber::set_global_default(Recorder {
                lines: lines.clone(),
            })
            .expect("no other global subscriber in this test binary");
            lines
        })
        .clone()
}

#[tokio::test]
async fn every_attempt_is_traced_without_the_token() {
    let lines = traced_lines();
    // A phone number id of its own, so that this test's events can be told from the others'.
    let phone = "999000111";
    let server = MockServer::start().await;
    for (i, response) in [
        graph_error(400, 130429, "Rate limit hit"),
        accepted("wamid.ok"),
    ]
    .into_iter()
    .enumerate()
    {
        Mock::given(method("POST"))
            .and(path(format!("/v26.0/{phone}/messages")))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .and(body_json(hello_json()))
            .respond_with(response)
            .up_to_n_times(1)
            .with_priority(u8::try_from(i + 1).unwrap())
            .expect(1)
            .mount(&server)
            .await;
    }
    let (builder, _) = client(&server, ManualTimer::new());
    builder
        .phone_number_id(phone)
        .build()
        .unwrap()
        .send(&hello())
        .await
        .unwrap();
    let lines: Vec<String> = lines
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.contains(phone))
        .cloned()
        .collect();
    let of = |level: &str, needle: &str| {
        lines
            .iter()
            .filter(|l| l.starts_with(level) && l.contains(needle))
            .count()
    };
    assert_eq!(of("DEBUG", "sending WhatsApp request"), 2, "{lines:#?}");
    assert_eq!(of("WARN", "retrying"), 1, "{lines:#?}");
    assert_eq!(of("WARN", "delay_ms=500"), 1, "{lines:#?}");
    assert_eq!(of("WARN", "130429"), 1, "{lines:#?}");
    assert_eq!(of("INFO", "succeeded after retrying"), 1, "{lines:#?}");
    assert!(lines.iter().all(|l| !l.contains(TOKEN)));
}

/// A user-defined read: idempotent, so a timeout after sending may be retried without opting in.
struct BusinessProfile;

impl whatsapp_cloud::Endpoint for BusinessProfile {
    type Output = Value;

    fn to_request(
        &self,
        ctx: &whatsapp_cloud::ApiContext,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let phone = ctx.require_phone_number_id()?.as_str().to_owned();
        let url = ctx.url(&[&phone, "whatsapp_business_profile"])?;
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(&self, response: http::Response<B>) -> Result<Value, Error> {
        whatsapp_cloud::endpoint::parse_json("business profile", response)
    }

    fn idempotency(&self) -> whatsapp_cloud::endpoint::Idempotency {
        whatsapp_cloud::endpoint::Idempotency::Idempotent
    }
}

#[tokio::test]
async fn an_idempotent_read_is_retried_after_a_timeout() {
    let server = MockServer::start().await;
    let profile = json!({"data": [{"about": "Open 9-5", "messaging_product": "whatsapp"}]});
    let get = || {
        Mock::given(method("GET"))
            .and(path(format!("/v26.0/{PHONE}/whatsapp_business_profile")))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
    };
    get()
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(&profile)
                .set_delay(ms(1500)),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    get()
        .respond_with(ResponseTemplate::new(200).set_body_json(&profile))
        .with_priority(2)
        .expect(1)
        .mount(&server)
        .await;
    let timer = ManualTimer::new();
    let (builder, log) = client(&server, timer.clone());
    let got = builder
        .timeout(ms(500))
        .build()
        .unwrap()
        .send(&BusinessProfile)
        .await
        .unwrap();
    assert_eq!(got, profile);
    let events = seen(&log);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].decision, RetryDecision::Retry { after: ms(500) });
    // A GET carries no body.
    let requests = server.received_requests().await.unwrap();
    assert!(requests.iter().all(|r| r.body.is_empty()));
}

#[tokio::test]
async fn a_batch_without_pacing_never_waits() {
    let server = MockServer::start().await;
    let recipients = ["16315550001", "16315550001", "16315550002"];
    send_mock(text_json("16315550001", "Now"))
        .respond_with(accepted("wamid.1"))
        .expect(2)
        .mount(&server)
        .await;
    send_mock(text_json("16315550002", "Now"))
        .respond_with(accepted("wamid.2"))
        .expect(1)
        .mount(&server)
        .await;
    let timer = ManualTimer::new();
    let (builder, _) = client(&server, timer.clone());
    let results = builder
        .without_pacing()
        .build()
        .unwrap()
        .send_batch(recipients.iter().map(|to| text_to(to, "Now")))
        .await;
    assert!(results.iter().all(Result::is_ok));
    assert!(timer.sleeps().is_empty());
}

#[tokio::test]
async fn a_pair_wait_longer_than_the_retry_cap_is_cut_short() {
    let server = MockServer::start().await;
    for body in ["first", "second"] {
        send_mock(text_json("16315550001", body))
            .respond_with(accepted(&format!("wamid.{body}")))
            .expect(1)
            .mount(&server)
            .await;
    }
    let timer = ManualTimer::new();
    let (builder, _) = client(&server, timer.clone());
    let client = builder
        .retry_policy(RetryPolicy::default().jitter(false).max_delay(secs(2)))
        .pacing(PacingConfig::default().pair_burst(1).unwrap())
        .build()
        .unwrap();
    client
        .send_message(&text_to("16315550001", "first"))
        .await
        .unwrap();
    client
        .send_message(&text_to("16315550001", "second"))
        .await
        .unwrap();
    // The pair rate asks for 6 s; the call waits no longer than max_delay, then sends.
    assert_eq!(timer.sleeps(), vec![secs(2)]);
}

#[tokio::test]
async fn retry_after_on_a_proxy_error_page_is_honoured() {
    let server = MockServer::start().await;
    script(
        &server,
        &hello_json(),
        vec![
            ResponseTemplate::new(503)
                .insert_header("retry-after", "3")
                .set_body_string("<html>Service Unavailable</html>"),
            accepted("wamid.ok"),
        ],
    )
    .await;
    let timer = ManualTimer::new();
    let (builder, _) = client(&server, timer.clone());
    builder.build().unwrap().send(&hello()).await.unwrap();
    assert_eq!(timer.sleeps(), vec![secs(3)]);
}

#[tokio::test]
async fn each_business_number_is_paced_on_its_own() {
    let server = MockServer::start().await;
    let other_phone = "209876543210987";
    let other_token = "EAAG-other-number";
    send_mock(text_json("16315550001", "from the first number"))
        .respond_with(accepted("wamid.1"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{other_phone}/messages")))
        .and(header(
            "authorization",
            format!("Bearer {other_token}").as_str(),
        ))
        .and(header("content-type", "application/json"))
        .and(body_json(text_json(
            "16315550001",
            "from the second number",
        )))
        .respond_with(accepted("wamid.2"))
        .expect(1)
        .mount(&server)
        .await;
    let timer = ManualTimer::new();
    let (builder, _) = client(&server, timer.clone());
    let first = builder
        .pacing(PacingConfig::default().pair_burst(1).unwrap())
        .build()
        .unwrap();
    let second = first
        .for_tenant(&whatsapp_cloud::client::Tenant::new(
            other_phone,
            other_token,
        ))
        .unwrap();
    first
        .send_message(&text_to("16315550001", "from the first number"))
        .await
        .unwrap();
    second
        .send_message(&text_to("16315550001", "from the second number"))
        .await
        .unwrap();
    // The pair rate and throughput are per business number: the second number does not wait.
    assert!(timer.sleeps().is_empty(), "{:?}", timer.sleeps());
}
