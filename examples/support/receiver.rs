//! The demo's webhook receiver, written out with the crate's building blocks (signature check,
//! parse, dedup, window and opt-out feeding) so that each step shows; `webhook_server` uses the
//! ready `whatsapp_cloud::axum` router instead.
//!
//! Routes have the form `/webhook/whatsapp/{tenant}/{team}`. `POST` checks the signature over the
//! raw bytes, parses, drops redeliveries, feeds the 24-hour window and opt-out tracking, hands the
//! work to a background task and answers 200 at once.

use crate::bot::{Job, Tenant};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc;
use whatsapp_cloud::VerifyToken;
use whatsapp_cloud::policy::{
    DedupKey, Deduplicator, InMemoryDeduplicator, InMemoryOptOutStore, InMemoryWindowTracker,
    Keywords, OptOutStore, SendGuard, WindowTracker, unix_seconds,
};
use whatsapp_cloud::webhook::{self, Event, Payload, SignatureVerifier};

/// The window and opt-out rules of one tenant, shared by its webhook receiver and its client (any
/// stores: in memory here, Redis when several replicas share them).
pub type Guard = SendGuard<Arc<dyn WindowTracker>, Arc<dyn OptOutStore>>;

/// A new guard over in-memory stores (give the same one to the client's `send_policy`).
pub fn new_guard() -> Arc<Guard> {
    Arc::new(SendGuard::new(
        Arc::new(InMemoryWindowTracker::default()),
        Arc::new(InMemoryOptOutStore::new()),
    ))
}

/// A tenant as the receiver knows it: the bot's tenant, its credentials and its state.
pub struct Receiving {
    pub tenant: Arc<Tenant>,
    pub verifier: SignatureVerifier,
    pub verify_token: VerifyToken,
    pub guard: Arc<Guard>,
    pub seen: InMemoryDeduplicator,
    pub keywords: Keywords,
}

#[derive(Clone)]
struct AppState {
    tenants: Arc<HashMap<(String, String), Arc<Receiving>>>,
    jobs: mpsc::UnboundedSender<Job>,
}

/// The axum router: `GET` and `POST` on `/webhook/whatsapp/{tenant}/{team}`.
pub fn router(
    tenants: HashMap<(String, String), Arc<Receiving>>,
    jobs: mpsc::UnboundedSender<Job>,
) -> Router {
    Router::new()
        .route(
            "/webhook/whatsapp/{tenant}/{team}",
            get(handshake).post(delivery),
        )
        .with_state(AppState {
            tenants: Arc::new(tenants),
            jobs,
        })
}

async fn handshake(
    State(state): State<AppState>,
    Path(route): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> (StatusCode, String) {
    let Some(tenant) = state.tenants.get(&route) else {
        return (StatusCode::NOT_FOUND, "unknown tenant".into());
    };
    match webhook::verify_subscription(
        query.as_deref().unwrap_or(""),
        tenant.verify_token.expose_secret(),
    ) {
        Ok(challenge) => (StatusCode::OK, challenge),
        Err(e) => (StatusCode::FORBIDDEN, e.to_string()),
    }
}

async fn delivery(
    State(state): State<AppState>,
    Path(route): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let Some(tenant) = state.tenants.get(&route) else {
        return (StatusCode::NOT_FOUND, "unknown tenant".into());
    };
    let signature = headers
        .get(webhook::SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok());
    if let Err(e) = tenant.verifier.verify(&body, signature) {
        return (StatusCode::UNAUTHORIZED, e.to_string());
    }
    let payload = match Payload::from_slice(&body) {
        Ok(payload) => payload,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()),
    };
    let now = unix_seconds(std::time::SystemTime::now());
    let (mut new, mut duplicates) = (0, 0);
    for event in payload.events() {
        if !tenant.seen.check_event(&event, now).await.is_first() {
            duplicates += 1;
            continue;
        }
        new += 1;
        let change = match tenant.guard.observe(&event, &tenant.keywords).await {
            Ok(change) => change,
            Err(e) => {
                // Answer with an error so Meta redelivers, and let that redelivery through.
                if let Some(key) = DedupKey::of_event(&event) {
                    let _ = tenant.seen.forget(&key).await;
                }
                return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
            }
        };
        if let Event::Message(msg) = &event {
            let _ = state.jobs.send(Job::of(tenant.tenant.clone(), msg, change));
        }
    }
    (StatusCode::OK, format!("{new} new, {duplicates} duplicate"))
}
