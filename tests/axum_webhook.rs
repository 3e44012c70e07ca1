//! The axum webhook receiver (`whatsapp_cloud::axum`): handshake, signatures, size limit, dedup,
//! the acknowledgement rules, backpressure, multi-tenant routes and the stores it feeds.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Semaphore, mpsc};
use tower::ServiceExt as _;
use whatsapp_cloud::axum::{BuildError, Incoming, Route, WebhookRouter, WebhookRouterBuilder};
use whatsapp_cloud::policy::{
    BoxFuture, DedupKey, Deduplicator, Delivery, InMemoryDeduplicator, InMemoryOptOutStore,
    InMemoryWindowTracker, Intent, OptOutRecord, OptOutStore, Source, StoreError, UserKey,
    WindowTracker, block_on,
};
use whatsapp_cloud::testing::webhook::DeliveryBuilder;
use whatsapp_cloud::webhook::{Event, SIGNATURE_HEADER};

const ACME: &str = "/webhooks/acme";
const ACME_SECRET: &str = "acme-app-secret";
const ACME_TOKEN: &str = "acme-verify-token";
const GLOBEX: &str = "/webhooks/globex";
const GLOBEX_SECRET: &str = "globex-app-secret";
const NOW: u64 = 1_764_000_000;

/// What the handler saw: one line per call, `route key-or-kind`.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<String>>>);

impl Seen {
    fn push(&self, line: String) {
        self.0.lock().unwrap().push(line);
    }
    fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

/// A line naming the event read back from `incoming` (checking that it is the event the key was
/// taken from): its dedup key, or its kind.
fn describe(incoming: &Incoming) -> String {
    let event = incoming.event();
    let key = DedupKey::of_event(&event);
    assert_eq!(key.as_ref(), incoming.dedup_key(), "{event:?}");
    let what = match (key, event) {
        (Some(key), _) => key.to_string(),
        (None, Event::Invalid(invalid)) => format!("invalid:{:?}", invalid.kind()),
        (None, event) => format!("field:{}", event.context().field()),
    };
    format!("{} {what}", incoming.route())
}

/// A handler recording every call and succeeding.
fn recording(
    seen: &Seen,
) -> impl Fn(Incoming) -> std::future::Ready<Result<(), String>> + Send + Sync + 'static {
    let seen = seen.clone();
    move |incoming| {
        seen.push(describe(&incoming));
        std::future::ready(Ok(()))
    }
}

fn acme_route() -> Route {
    Route::new(ACME_SECRET, ACME_TOKEN).unwrap()
}

fn builder(seen: &Seen) -> WebhookRouterBuilder {
    WebhookRouter::builder()
        .handler(recording(seen))
        .route(ACME, acme_route())
}

async fn get(router: &Router, uri: &str) -> (StatusCode, String) {
    let request = Request::get(uri).body(Body::empty()).unwrap();
    send(router, request).await
}

async fn post(
    router: &Router,
    path: &str,
    body: Vec<u8>,
    signature: Option<&str>,
) -> (StatusCode, String) {
    let mut request = Request::post(path);
    if let Some(signature) = signature {
        request = request.header(SIGNATURE_HEADER, signature);
    }
    send(router, request.body(Body::from(body)).unwrap()).await
}

async fn post_signed(router: &Router, path: &str, body: &[u8], secret: &str) -> StatusCode {
    let signature = whatsapp_cloud::webhook::sign(secret, body);
    post(router, path, body.to_vec(), Some(&signature)).await.0
}

/// Posts `body` to the acme route, signed with its secret.
async fn to_acme(router: &Router, body: &[u8]) -> StatusCode {
    post_signed(router, ACME, body, ACME_SECRET).await
}

async fn send(router: &Router, request: Request<Body>) -> (StatusCode, String) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn texts(bodies: &[&str]) -> (Vec<u8>, Vec<String>) {
    let mut delivery = DeliveryBuilder::new("102290129340398", "106540352242922").timestamp(NOW);
    for body in bodies {
        delivery = delivery.text("16315551234", "Maria", body);
    }
    let delivery = delivery.build();
    let keys = delivery
        .message_ids()
        .iter()
        .map(|id| format!("{ACME} message:{id}"))
        .collect();
    (delivery.body().to_vec(), keys)
}

// ---------------------------------------------------------------------------------------------
// Handshake

#[tokio::test]
async fn handshake_echoes_the_challenge_for_the_right_token() {
    let router = builder(&Seen::default()).build().unwrap().into_router();
    let uri =
        format!("{ACME}?hub.mode=subscribe&hub.verify_token={ACME_TOKEN}&hub.challenge=1158201444");
    assert_eq!(
        get(&router, &uri).await,
        (StatusCode::OK, "1158201444".to_owned())
    );
}

#[tokio::test]
async fn handshake_with_a_wrong_token_or_missing_parameters_is_forbidden_and_says_nothing() {
    let router = builder(&Seen::default()).build().unwrap().into_router();
    for query in [
        "?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1",
        "?hub.mode=subscribe&hub.challenge=1",
        "?hub.verify_token=acme-verify-token&hub.challenge=1",
        "?hub.mode=subscribe&hub.verify_token=acme-verify-token",
        "",
    ] {
        let (status, body) = get(&router, &format!("{ACME}{query}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{query}");
        assert_eq!(body, "forbidden", "{query}");
    }
}

// ---------------------------------------------------------------------------------------------
// Signature and size

#[tokio::test]
async fn a_bad_or_missing_signature_is_refused_and_the_handler_never_runs() {
    let seen = Seen::default();
    let router = builder(&seen).build().unwrap().into_router();
    let (body, _) = texts(&["Hi"]);
    let wrong = whatsapp_cloud::webhook::sign("not-the-secret", &body);
    let mut tampered = body.clone();
    tampered.extend_from_slice(b" ");
    let right = whatsapp_cloud::webhook::sign(ACME_SECRET, &body);
    for (body, signature) in [
        (body.clone(), Some(wrong.as_str())),
        (body.clone(), None),
        (body.clone(), Some("sha256=zz")),
        (tampered, Some(right.as_str())),
    ] {
        let (status, text) = post(&router, ACME, body, signature).await;
        assert_eq!(
            (status, text.as_str()),
            (StatusCode::UNAUTHORIZED, "unauthorized")
        );
    }
    assert!(seen.lines().is_empty(), "{:?}", seen.lines());
}

#[tokio::test]
async fn a_body_over_the_limit_is_answered_413_before_anything_else() {
    let seen = Seen::default();
    let router = builder(&seen)
        .body_limit(1024)
        .build()
        .unwrap()
        .into_router();
    let (body, _) = texts(&[&"x".repeat(2000)]);
    assert_eq!(to_acme(&router, &body).await, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(seen.lines().is_empty());
    // Streamed in chunks with no length announced: cut off at the limit all the same.
    let signature = whatsapp_cloud::webhook::sign(ACME_SECRET, &body);
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        body.chunks(256).map(|c| Ok(c.to_vec())).collect();
    let streamed = Request::post(ACME)
        .header(SIGNATURE_HEADER, signature)
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .unwrap();
    assert_eq!(
        send(&router, streamed).await.0,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert!(seen.lines().is_empty());
    // Under the limit the same route accepts.
    let (small, _) = texts(&["Hi"]);
    assert_eq!(to_acme(&router, &small).await, StatusCode::OK);
}

#[tokio::test]
async fn a_signed_body_that_is_not_a_payload_is_a_bad_request() {
    let seen = Seen::default();
    let router = builder(&seen).build().unwrap().into_router();
    assert_eq!(
        post_signed(&router, ACME, b"not json", ACME_SECRET).await,
        StatusCode::BAD_REQUEST
    );
    assert!(seen.lines().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Dedup and acknowledgement

#[tokio::test]
async fn a_batch_is_handled_once_per_event_and_its_redelivery_skips_every_keyed_event() {
    let seen = Seen::default();
    let router = builder(&seen).build().unwrap().into_router();
    let delivery = DeliveryBuilder::new("102290129340398", "106540352242922")
        .timestamp(NOW)
        .text("16315551234", "Maria", "one")
        .text("16315551235", "Joe", "two")
        .status("wamid.OUT1", "delivered", "16315551234")
        .change(
            "account_update",
            json!({"phone_number": "16315550100", "event": "VERIFIED_ACCOUNT"}),
        )
        .build();
    let body = delivery.body();
    assert_eq!(to_acme(&router, body).await, StatusCode::OK);
    let mut expected: Vec<String> = delivery
        .message_ids()
        .iter()
        .map(|id| format!("{ACME} message:{id}"))
        .collect();
    expected.push(format!("{ACME} status:wamid.OUT1:delivered"));
    let account_update = format!("{ACME} field:account_update");
    expected.push(account_update.clone());
    let mut lines = seen.lines();
    lines.sort();
    expected.sort();
    assert_eq!(lines, expected);

    // Meta's redelivery: the messages and the status are skipped; the account update has no
    // dedup key, so it runs again.
    assert_eq!(to_acme(&router, body).await, StatusCode::OK);
    assert_eq!(seen.lines()[4..], [account_update]);
}

#[tokio::test]
async fn a_failed_handler_gets_a_500_and_the_redelivery_reprocesses_exactly_that_event() {
    let (body, keys) = texts(&["fine", "breaks once", "fine too"]);
    let seen = Seen::default();
    let failed_once = Arc::new(Mutex::new(false));
    let handler = {
        let (seen, failed_once) = (seen.clone(), failed_once.clone());
        move |incoming: Incoming| {
            let (seen, failed_once) = (seen.clone(), failed_once.clone());
            async move {
                seen.push(describe(&incoming));
                let Event::Message(m) = incoming.event() else {
                    return Ok(());
                };
                let mut failed = failed_once.lock().unwrap();
                if m.text() == Some("breaks once") && !*failed {
                    *failed = true;
                    return Err(std::io::Error::other("database down"));
                }
                Ok(())
            }
        }
    };
    let router = WebhookRouter::builder()
        .handler(handler)
        .route(ACME, acme_route())
        .build()
        .unwrap()
        .into_router();
    assert_eq!(
        to_acme(&router, &body).await,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(seen.lines().len(), 3);
    assert_eq!(to_acme(&router, &body).await, StatusCode::OK);
    let lines = seen.lines();
    assert_eq!(lines[3..], [keys[1].clone()], "{lines:?}");
    assert_eq!(to_acme(&router, &body).await, StatusCode::OK);
    assert_eq!(seen.lines().len(), 4);
}

#[tokio::test]
async fn a_panicking_handler_counts_as_a_failure_and_the_worker_survives() {
    let (body, _) = texts(&["panic"]);
    let calls = Arc::new(Mutex::new(0));
    let handler = {
        let calls = calls.clone();
        move |_: Incoming| {
            let first = {
                let mut calls = calls.lock().unwrap();
                *calls += 1;
                *calls == 1
            };
            async move {
                assert!(!first, "the first call panics");
                Ok::<(), String>(())
            }
        }
    };
    let router = WebhookRouter::builder()
        .handler(handler)
        .workers(1)
        .route(ACME, acme_route())
        .build()
        .unwrap()
        .into_router();
    assert_eq!(
        to_acme(&router, &body).await,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(to_acme(&router, &body).await, StatusCode::OK);
    assert_eq!(*calls.lock().unwrap(), 2);
}

/// A handler that announces each event on `started` and waits for a permit of `gate` before
/// recording it in `seen` and succeeding.
fn gated(
    seen: &Seen,
    gate: &Arc<Semaphore>,
    started: mpsc::UnboundedSender<String>,
) -> impl Fn(Incoming) -> BoxFuture<'static, Result<(), String>> + Send + Sync + 'static {
    let (seen, gate) = (seen.clone(), gate.clone());
    move |incoming| {
        let (seen, gate, started) = (seen.clone(), gate.clone(), started.clone());
        Box::pin(async move {
            let line = describe(&incoming);
            let _ = started.send(line.clone());
            let permit = gate.acquire().await.map_err(|e| e.to_string())?;
            permit.forget();
            seen.push(line);
            Ok(())
        })
    }
}

/// One worker running [`gated`], room for one waiting event, a 2-second ack deadline: of three
/// events, the first runs (blocked), the second waits in the queue, the third finds no room.
fn one_slot(
    seen: &Seen,
    gate: &Arc<Semaphore>,
    started: mpsc::UnboundedSender<String>,
) -> WebhookRouterBuilder {
    WebhookRouter::builder()
        .handler(gated(seen, gate, started))
        .workers(1)
        .queue_capacity(1)
        .ack_deadline(Duration::from_secs(2))
        .route(ACME, acme_route())
}

#[tokio::test(start_paused = true)]
async fn a_full_queue_answers_503_at_the_deadline_and_the_redelivery_runs_only_what_was_not_queued()
{
    let (body, keys) = texts(&["one", "two", "three"]);
    let seen = Seen::default();
    let gate = Arc::new(Semaphore::new(0));
    let (started_tx, mut started) = mpsc::unbounded_channel();
    let (router, workers) = one_slot(&seen, &gate, started_tx)
        .build()
        .unwrap()
        .into_parts();
    // With the handler blocked the runtime idles, so the paused clock jumps to the deadline.
    assert_eq!(
        to_acme(&router, &body).await,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(started.recv().await.as_deref(), Some(keys[0].as_str()));
    assert!(
        started.try_recv().is_err(),
        "only one handler runs at a time"
    );
    gate.add_permits(2);
    assert_eq!(started.recv().await.as_deref(), Some(keys[1].as_str()));
    // Meta redelivers: the two queued events are seen (handled or running), the third runs now.
    gate.add_permits(1);
    assert_eq!(to_acme(&router, &body).await, StatusCode::OK);
    drop(router);
    workers.drained().await;
    assert_eq!(seen.lines(), keys);
}

/// An in-memory deduplicator announcing every key it forgets.
struct Announcing {
    inner: InMemoryDeduplicator,
    forgotten: mpsc::UnboundedSender<String>,
}

impl Deduplicator for Announcing {
    fn check<'a>(
        &'a self,
        key: &'a DedupKey,
        now: u64,
    ) -> BoxFuture<'a, Result<Delivery, StoreError>> {
        self.inner.check(key, now)
    }
    fn forget<'a>(&'a self, key: &'a DedupKey) -> BoxFuture<'a, Result<(), StoreError>> {
        let _ = self.forgotten.send(format!("{ACME} {key}"));
        self.inner.forget(key)
    }
}

#[tokio::test(start_paused = true)]
async fn a_handler_past_the_deadline_gets_503_and_is_forgotten_if_it_fails_or_stays_seen_if_it_succeeds()
 {
    let (body, keys) = texts(&["slow"]);
    let gate = Arc::new(Semaphore::new(0));
    // Popped from the end: the first run fails, the second succeeds.
    let outcomes = Arc::new(Mutex::new(vec![Ok(()), Err("late failure".to_owned())]));
    let (started_tx, mut started) = mpsc::unbounded_channel();
    let (forgotten_tx, mut forgotten) = mpsc::unbounded_channel();
    let handler = {
        let (gate, outcomes) = (gate.clone(), outcomes.clone());
        move |incoming: Incoming| {
            let (gate, outcomes, started) = (gate.clone(), outcomes.clone(), started_tx.clone());
            async move {
                let _ = started.send(describe(&incoming));
                gate.acquire().await.map_err(|e| e.to_string())?.forget();
                outcomes.lock().unwrap().pop().unwrap_or(Ok(()))
            }
        }
    };
    let (router, workers) = WebhookRouter::builder()
        .handler(handler)
        .deduplicator(Announcing {
            inner: InMemoryDeduplicator::default(),
            forgotten: forgotten_tx,
        })
        .route(ACME, acme_route())
        .build()
        .unwrap()
        .into_parts();
    // First run: past the deadline (503), then it fails: the event is forgotten.
    assert_eq!(
        to_acme(&router, &body).await,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(started.recv().await.as_deref(), Some(keys[0].as_str()));
    gate.add_permits(1);
    assert_eq!(forgotten.recv().await.as_deref(), Some(keys[0].as_str()));
    // Meta's redelivery runs it again: past the deadline (503), then it succeeds.
    assert_eq!(
        to_acme(&router, &body).await,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(started.recv().await.as_deref(), Some(keys[0].as_str()));
    gate.add_permits(1);
    // It stays seen: the next redelivery is answered 200 without a run.
    assert_eq!(to_acme(&router, &body).await, StatusCode::OK);
    drop(router);
    workers.drained().await;
    assert!(outcomes.lock().unwrap().is_empty());
    assert!(started.try_recv().is_err(), "the handler ran a third time");
    assert!(forgotten.try_recv().is_err(), "a success was forgotten");
}

#[tokio::test(start_paused = true)]
async fn a_delivery_whose_request_is_dropped_still_queues_or_forgets_every_event() {
    let (body, keys) = texts(&["one", "two", "three"]);
    let seen = Seen::default();
    let gate = Arc::new(Semaphore::new(0));
    let (started_tx, mut started) = mpsc::unbounded_channel();
    let (forgotten_tx, mut forgotten) = mpsc::unbounded_channel();
    let (router, workers) = one_slot(&seen, &gate, started_tx)
        .deduplicator(Announcing {
            inner: InMemoryDeduplicator::default(),
            forgotten: forgotten_tx,
        })
        .build()
        .unwrap()
        .into_parts();
    let request = tokio::spawn({
        let (router, body) = (router.clone(), body.clone());
        async move { to_acme(&router, &body).await }
    });
    assert_eq!(started.recv().await.as_deref(), Some(keys[0].as_str()));
    // Meta hangs up: the request is dropped, the delivery's events are not.
    request.abort();
    assert_eq!(forgotten.recv().await.as_deref(), Some(keys[2].as_str()));
    gate.add_permits(3);
    assert_eq!(started.recv().await.as_deref(), Some(keys[1].as_str()));
    assert_eq!(to_acme(&router, &body).await, StatusCode::OK);
    drop(router);
    workers.drained().await;
    assert_eq!(seen.lines(), keys);
}

/// The answer of a store that is down.
fn down<'a, T: 'a>() -> BoxFuture<'a, Result<T, StoreError>> {
    Box::pin(async { Err(StoreError::new("connection refused")) })
}

/// A deduplicator whose store is down.
struct BrokenDedup;

impl Deduplicator for BrokenDedup {
    fn check<'a>(&'a self, _: &'a DedupKey, _: u64) -> BoxFuture<'a, Result<Delivery, StoreError>> {
        down()
    }
    fn forget<'a>(&'a self, _: &'a DedupKey) -> BoxFuture<'a, Result<(), StoreError>> {
        down()
    }
}

#[tokio::test]
async fn a_dedup_store_error_fails_open_and_the_event_is_handled() {
    let seen = Seen::default();
    let router = builder(&seen)
        .deduplicator(BrokenDedup)
        .build()
        .unwrap()
        .into_router();
    let (body, keys) = texts(&["Hi"]);
    assert_eq!(to_acme(&router, &body).await, StatusCode::OK);
    assert_eq!(to_acme(&router, &body).await, StatusCode::OK);
    assert_eq!(seen.lines(), [keys[0].clone(), keys[0].clone()]);
}

/// An opt-out store that is down.
struct BrokenOptOuts;

impl OptOutStore for BrokenOptOuts {
    fn record<'a>(
        &'a self,
        _: &'a UserKey,
        _: Intent,
        _: Source,
        _: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        down()
    }
    fn status<'a>(
        &'a self,
        _: &'a UserKey,
    ) -> BoxFuture<'a, Result<Option<OptOutRecord>, StoreError>> {
        down()
    }
}

#[tokio::test]
async fn a_stop_the_opt_out_store_cannot_record_answers_500_without_running_the_handler_and_the_redelivery_runs_it()
 {
    let seen = Seen::default();
    let dedup = Arc::new(InMemoryDeduplicator::default());
    let broken = WebhookRouter::builder()
        .handler(recording(&seen))
        .deduplicator(dedup.clone())
        .opt_out_store(BrokenOptOuts)
        .route(ACME, acme_route())
        .build()
        .unwrap()
        .into_router();
    let (body, keys) = texts(&["STOP"]);
    assert_eq!(
        to_acme(&broken, &body).await,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert!(seen.lines().is_empty());
    // The store is back (another replica, same dedup store): the redelivery is not a duplicate,
    // and the STOP is recorded this time.
    let opt_outs = Arc::new(InMemoryOptOutStore::new());
    let healthy = builder(&seen)
        .deduplicator(dedup)
        .opt_out_store(opt_outs.clone())
        .build()
        .unwrap()
        .into_router();
    assert_eq!(to_acme(&healthy, &body).await, StatusCode::OK);
    assert_eq!(seen.lines(), keys);
    assert!(block_on(opt_outs.is_opted_out(&UserKey::phone("16315551234"))).unwrap());
}

// ---------------------------------------------------------------------------------------------
// Routes, stores, invalid items

#[tokio::test]
async fn each_route_accepts_only_its_own_secret_and_the_handler_learns_the_route() {
    let seen = Seen::default();
    let globex_seen = Seen::default();
    let router = builder(&seen)
        .route(
            GLOBEX,
            Route::new(GLOBEX_SECRET, "globex-verify")
                .unwrap()
                .handler(recording(&globex_seen)),
        )
        .build()
        .unwrap()
        .into_router();
    let (acme_body, acme_keys) = texts(&["for acme"]);
    let (globex_body, globex_msgs) = texts(&["for globex"]);
    assert_eq!(
        post_signed(&router, GLOBEX, &acme_body, ACME_SECRET).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        post_signed(&router, ACME, &globex_body, GLOBEX_SECRET).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(to_acme(&router, &acme_body).await, StatusCode::OK);
    assert_eq!(
        post_signed(&router, GLOBEX, &globex_body, GLOBEX_SECRET).await,
        StatusCode::OK
    );
    assert_eq!(seen.lines(), acme_keys);
    let globex_keys: Vec<String> = globex_msgs
        .iter()
        .map(|k| k.replace(ACME, GLOBEX))
        .collect();
    assert_eq!(globex_seen.lines(), globex_keys);
    let (status, _) = get(
        &router,
        &format!("{GLOBEX}?hub.mode=subscribe&hub.verify_token={ACME_TOKEN}&hub.challenge=7"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        get(&router, "/webhooks/nobody").await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_stop_text_opts_out_and_opens_the_window_before_the_handler_runs() {
    let windows = Arc::new(InMemoryWindowTracker::default());
    let opt_outs = Arc::new(InMemoryOptOutStore::new());
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handler = {
        let opt_outs = opt_outs.clone();
        move |incoming: Incoming| {
            let (opt_outs, tx) = (opt_outs.clone(), tx.clone());
            async move {
                let user = UserKey::phone("16315551234");
                let recorded = opt_outs
                    .is_opted_out(&user)
                    .await
                    .map_err(|e| e.to_string())?;
                let _ = tx.send((incoming.opt_out(), recorded));
                Ok::<(), String>(())
            }
        }
    };
    let router = WebhookRouter::builder()
        .handler(handler)
        .window_tracker(windows.clone())
        .opt_out_store(opt_outs.clone())
        .route(ACME, acme_route())
        .build()
        .unwrap()
        .into_router();
    let (body, _) = texts(&["STOP"]);
    assert_eq!(to_acme(&router, &body).await, StatusCode::OK);
    assert_eq!(rx.recv().await, Some((Some(Intent::OptOut), true)));
    let user = UserKey::phone("16315551234");
    let state = block_on(windows.state(&user, NOW + 60)).unwrap();
    assert_eq!(state.closes_at(), Some(NOW + 24 * 3600));
}

#[tokio::test]
async fn an_invalid_item_is_handed_to_the_handler() {
    let seen = Seen::default();
    let router = builder(&seen).build().unwrap().into_router();
    let body = DeliveryBuilder::new("102290129340398", "106540352242922")
        .change("messages", json!(42))
        .build();
    assert_eq!(to_acme(&router, body.body()).await, StatusCode::OK);
    let lines = seen.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with(&format!("{ACME} invalid:")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn the_workers_drain_the_queue_once_the_router_is_dropped() {
    let seen = Seen::default();
    let (router, workers) = builder(&seen).build().unwrap().into_parts();
    let (body, keys) = texts(&["a", "b"]);
    assert_eq!(to_acme(&router, &body).await, StatusCode::OK);
    drop(router);
    workers.drained().await;
    assert_eq!(seen.lines().len(), keys.len());
}

// ---------------------------------------------------------------------------------------------
// Building

#[tokio::test]
async fn bad_configurations_are_refused_with_the_route_or_setting_named() {
    let seen = Seen::default();
    let err = |b: WebhookRouterBuilder| b.build().err();
    assert_eq!(err(WebhookRouter::builder()), Some(BuildError::NoRoutes));
    assert_eq!(
        err(WebhookRouter::builder().route(ACME, acme_route())),
        Some(BuildError::NoHandler {
            path: ACME.to_owned()
        })
    );
    assert_eq!(
        err(builder(&seen).route(ACME, acme_route())),
        Some(BuildError::DuplicatePath {
            path: ACME.to_owned()
        })
    );
    for path in [
        "webhooks",
        "/webhooks/{tenant}",
        "/a//b",
        "/*rest",
        "/webhooks/:id",
        "",
    ] {
        assert!(
            matches!(err(builder(&seen).route(path, acme_route())), Some(BuildError::InvalidPath { path: p, .. }) if p == path),
            "{path}"
        );
    }
    assert_eq!(
        err(builder(&seen).workers(0)),
        Some(BuildError::Zero { setting: "workers" })
    );
    assert_eq!(
        err(builder(&seen).queue_capacity(0)),
        Some(BuildError::Zero {
            setting: "queue_capacity"
        })
    );
    assert!(matches!(
        Route::new(" ", "token"),
        Err(BuildError::Secret(_))
    ));
    assert!(matches!(
        Route::new("secret", " "),
        Err(BuildError::BlankVerifyToken)
    ));
}

#[test]
fn building_outside_a_runtime_is_an_error_not_a_panic() {
    let seen = Seen::default();
    assert_eq!(builder(&seen).build().err(), Some(BuildError::NoRuntime));
}

#[test]
fn debug_output_never_shows_the_secrets() {
    let seen = Seen::default();
    let shown = format!("{:?}", builder(&seen));
    assert!(shown.contains("Route"), "{shown}");
    for secret in [ACME_SECRET, ACME_TOKEN] {
        assert!(!shown.contains(secret), "{shown}");
    }
}
