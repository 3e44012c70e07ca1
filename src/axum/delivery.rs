//! What one route does with a request: the GET handshake, the POST delivery (signature, parse,
//! dedup, stores, queue, acknowledgement) and the workers that run the handler.

use super::{Handler, HandlerError, Incoming};
use crate::VerifyToken;
use crate::policy::{
    DedupKey, Deduplicator, Delivery, Keywords, OptOutStore, StoreError, WindowTracker,
    unix_seconds,
};
use crate::webhook::{self, Event, Payload, SignatureVerifier};
use ::axum::body::Bytes;
use ::axum::extract::rejection::BytesRejection;
use ::axum::http::{HeaderMap, StatusCode, header};
use ::axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout_at};

/// Everything one route needs to answer a request.
pub(super) struct RouteState {
    pub(super) path: Arc<str>,
    pub(super) verifier: SignatureVerifier,
    pub(super) verify_token: VerifyToken,
    pub(super) handler: Handler,
    pub(super) dedup: Arc<dyn Deduplicator>,
    pub(super) windows: Option<Arc<dyn WindowTracker>>,
    pub(super) opt_outs: Option<Arc<dyn OptOutStore>>,
    pub(super) keywords: Keywords,
    pub(super) queue: mpsc::Sender<Job>,
    pub(super) ack_deadline: Duration,
}

/// One first-seen event waiting for a worker.
pub(super) struct Job {
    incoming: Incoming,
    handler: Handler,
    dedup: Arc<dyn Deduplicator>,
    done: oneshot::Sender<Outcome>,
}

/// What became of one queued event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Handled,
    Failed,
}

/// A short plain-text answer. Bodies never say more than the status does, so a refused request
/// teaches an attacker nothing.
fn answer(status: StatusCode, text: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain")], text).into_response()
}

/// GET: Meta's subscription handshake.
pub(super) async fn handshake(route: Arc<RouteState>, query: Option<String>) -> Response {
    match webhook::verify_subscription(
        query.as_deref().unwrap_or(""),
        route.verify_token.expose_secret(),
    ) {
        Ok(challenge) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain")],
            challenge,
        )
            .into_response(),
        Err(error) => {
            tracing::warn!(route = %route.path, %error, "webhook handshake refused");
            answer(StatusCode::FORBIDDEN, "forbidden")
        }
    }
}

/// POST: one delivery, answered by the acknowledgement rules of the module docs.
pub(super) async fn deliver(
    route: Arc<RouteState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let deadline = Instant::now() + route.ack_deadline;
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            tracing::warn!(route = %route.path, "webhook body over the size limit");
            return answer(StatusCode::PAYLOAD_TOO_LARGE, "payload too large");
        }
        Err(rejection) => {
            tracing::warn!(route = %route.path, error = %rejection, "webhook body unreadable");
            return answer(StatusCode::BAD_REQUEST, "bad request");
        }
    };
    let signature = headers
        .get(webhook::SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok());
    if let Err(error) = route.verifier.verify(&body, signature) {
        tracing::warn!(route = %route.path, %error, "webhook signature refused");
        return answer(StatusCode::UNAUTHORIZED, "unauthorized");
    }
    let payload = match Payload::from_slice(&body) {
        Ok(payload) => Arc::new(payload.into_owned()),
        Err(error) => {
            tracing::warn!(route = %route.path, %error, "signed webhook body is not a payload");
            return answer(StatusCode::BAD_REQUEST, "bad request");
        }
    };
    // The events are processed in a task of their own: if Meta hangs up before the answer, the
    // request is dropped, but an event marked as seen is still queued or forgotten, never lost.
    let task = tokio::spawn(process(route.clone(), payload, deadline));
    match task.await {
        Ok(tally) => tally.response(&route.path),
        Err(error) => {
            tracing::warn!(route = %route.path, %error, "webhook delivery task failed");
            answer(StatusCode::INTERNAL_SERVER_ERROR, "retry later")
        }
    }
}

/// Deduplicates, feeds the stores and queues each event, then waits for the outcomes until
/// `deadline`.
async fn process(
    route: Arc<RouteState>,
    payload: Arc<Payload<'static>>,
    deadline: Instant,
) -> Tally {
    let now = unix_seconds(std::time::SystemTime::now());
    let mut tally = Tally::default();
    let mut pending = Vec::new();
    let mut events = payload.events();
    loop {
        let position = events.position();
        let Some(event) = events.next() else { break };
        let key = DedupKey::of_event(&event);
        if let Some(key) = &key {
            match route.dedup.check(key, now).await {
                Ok(Delivery::Duplicate) => continue,
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(route = %route.path, %key, %error,
                        "dedup store failed: processing the item (fails open)");
                }
            }
        }
        let opt_out = match feed(&route, &event).await {
            Ok(opt_out) => opt_out,
            Err(error) => {
                tracing::warn!(route = %route.path, %error,
                    "window or opt-out store failed: the item is left for Meta's redelivery");
                forget(&*route.dedup, key.as_ref()).await;
                tally.failed = true;
                continue;
            }
        };
        let (done, outcome) = oneshot::channel();
        let job = Job {
            incoming: Incoming {
                route: route.path.clone(),
                payload: payload.clone(),
                position,
                key: key.clone(),
                opt_out,
                received_at: now,
            },
            handler: route.handler.clone(),
            dedup: route.dedup.clone(),
            done,
        };
        match timeout_at(deadline, route.queue.send(job)).await {
            Ok(Ok(())) => pending.push(outcome),
            Ok(Err(_)) | Err(_) => {
                forget(&*route.dedup, key.as_ref()).await;
                tally.unqueued = true;
            }
        }
    }
    for outcome in pending {
        match timeout_at(deadline, outcome).await {
            Ok(Ok(Outcome::Handled)) => {}
            // A worker that stopped without answering counts as a failure.
            Ok(Ok(Outcome::Failed) | Err(_)) => tally.failed = true,
            Err(_) => tally.late = true,
        }
    }
    tally
}

/// How the items of one delivery fared.
#[derive(Debug, Default)]
struct Tally {
    failed: bool,
    unqueued: bool,
    late: bool,
}

impl Tally {
    fn response(&self, path: &str) -> Response {
        if self.failed {
            tracing::warn!(route = %path, "webhook answered 500: an item failed and was forgotten");
            answer(StatusCode::INTERNAL_SERVER_ERROR, "retry later")
        } else if self.unqueued || self.late {
            tracing::warn!(route = %path, queue_full = self.unqueued, handlers_late = self.late,
                "webhook answered 503 at the ack deadline");
            answer(StatusCode::SERVICE_UNAVAILABLE, "retry later")
        } else {
            answer(StatusCode::OK, "ok")
        }
    }
}

/// Feeds the route's window tracker and opt-out store; returns what the opt-out store recorded.
async fn feed(
    route: &RouteState,
    event: &Event<'_>,
) -> Result<Option<crate::policy::Intent>, StoreError> {
    if let Some(windows) = &route.windows {
        windows.observe(event).await?;
    }
    match &route.opt_outs {
        Some(opt_outs) => opt_outs.observe(event, &route.keywords).await,
        None => Ok(None),
    }
}

/// Forgets `key` so Meta's redelivery is processed; a store that cannot forget is logged.
async fn forget(dedup: &dyn Deduplicator, key: Option<&DedupKey>) {
    let Some(key) = key else { return };
    if let Err(error) = dedup.forget(key).await {
        tracing::warn!(%key, %error, "dedup store could not forget a failed item; its redelivery will be skipped");
    }
}

/// Starts `count` workers serving `queue` on the current Tokio runtime.
pub(super) fn spawn_workers(
    runtime: &tokio::runtime::Handle,
    count: usize,
    queue: mpsc::Receiver<Job>,
) -> Vec<JoinHandle<()>> {
    let queue = Arc::new(Mutex::new(queue));
    (0..count)
        .map(|_| runtime.spawn(work(queue.clone())))
        .collect()
}

/// One worker: takes jobs until every sender is gone and the queue is empty.
async fn work(queue: Arc<Mutex<mpsc::Receiver<Job>>>) {
    loop {
        let job = queue.lock().await.recv().await;
        let Some(job) = job else { return };
        run(job).await;
    }
}

/// Runs the handler on one event (in a task of its own, so a panic is caught and reported as a
/// failure), forgets the item when it failed and reports the outcome.
async fn run(job: Job) {
    let Job {
        incoming,
        handler,
        dedup,
        done,
    } = job;
    let route = incoming.route.clone();
    let key = incoming.key.clone();
    let result: Result<Result<(), HandlerError>, _> =
        tokio::spawn(async move { (handler.0)(incoming).await }).await;
    let outcome = match result {
        Ok(Ok(())) => Outcome::Handled,
        Ok(Err(error)) => {
            tracing::warn!(route = %route, key = ?key.as_ref().map(ToString::to_string), %error,
                "webhook handler failed");
            Outcome::Failed
        }
        Err(error) => {
            tracing::warn!(route = %route, key = ?key.as_ref().map(ToString::to_string), %error,
                "webhook handler panicked or was cancelled");
            Outcome::Failed
        }
    };
    if outcome == Outcome::Failed {
        forget(&*dedup, key.as_ref()).await;
    }
    // The request may have answered already (deadline passed): nobody listens then.
    let _ = done.send(outcome);
}
