//! The webhook receiver and the little support bot shared by `demo` and `webhook_server`.
//!
//! Routes have the form `/webhook/whatsapp/{tenant}/{team}`; each maps to a tenant with its own client
//! (phone number and token), app secret and verify token. `POST` checks the signature over the raw
//! bytes, parses, drops redeliveries, feeds the 24-hour window and opt-out tracking, hands the work to
//! a background task and answers 200 at once.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc;
use whatsapp_cloud::message::{Interactive, MarkAsRead, Message, ReplyButton, SendMessage};
use whatsapp_cloud::policy::{
    DedupKey, Deduplicator, InMemoryDeduplicator, InMemoryOptOutStore, InMemoryWindowTracker,
    Intent, Keywords, SendGuard, unix_seconds,
};
use whatsapp_cloud::webhook::{
    self, Event, InteractiveReply, MessageContent, Payload, SignatureVerifier,
};
use whatsapp_cloud::{Client, VerifyToken};

/// The window and opt-out rules of one tenant, shared by its webhook receiver and its client.
pub type Guard = SendGuard<Arc<InMemoryWindowTracker>, Arc<InMemoryOptOutStore>>;

/// One tenant: a business number with its credentials and state.
pub struct Tenant {
    pub name: String,
    pub client: Client,
    pub verifier: SignatureVerifier,
    pub verify_token: VerifyToken,
    pub guard: Arc<Guard>,
    pub seen: InMemoryDeduplicator,
    pub keywords: Keywords,
}

/// A new guard for a tenant (give the same one to its client's `send_policy`).
pub fn new_guard() -> Arc<Guard> {
    Arc::new(SendGuard::new(
        Arc::new(InMemoryWindowTracker::default()),
        Arc::new(InMemoryOptOutStore::new()),
    ))
}

/// What the bot does for one inbound message, decided in the request and done in the background.
#[derive(Debug)]
pub struct Job {
    pub tenant: Arc<Tenant>,
    pub from: String,
    pub name: String,
    pub message_id: String,
    pub kind: Inbound,
}

/// The inbound messages the bot reacts to.
#[derive(Debug)]
pub enum Inbound {
    Text(String),
    Button { id: String, title: String },
    ListRow { id: String, title: String },
    QuickReply { payload: String },
    OptedOut,
    Resumed,
    Other(&'static str),
}

impl std::fmt::Debug for Tenant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tenant")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
struct AppState {
    tenants: Arc<HashMap<(String, String), Arc<Tenant>>>,
    jobs: mpsc::UnboundedSender<Job>,
}

/// The axum router: `GET` and `POST` on `/webhook/whatsapp/{tenant}/{team}`.
pub fn router(
    tenants: HashMap<(String, String), Arc<Tenant>>,
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
            let kind = match change {
                Some(Intent::OptOut) => Inbound::OptedOut,
                Some(Intent::Resume) => Inbound::Resumed,
                _ => match msg.content() {
                    MessageContent::Text(t) => Inbound::Text(t.body.to_string()),
                    MessageContent::Interactive(InteractiveReply::ButtonReply(b)) => {
                        Inbound::Button {
                            id: b.id.clone(),
                            title: b.title.clone(),
                        }
                    }
                    MessageContent::Interactive(InteractiveReply::ListReply(r)) => {
                        Inbound::ListRow {
                            id: r.id.clone(),
                            title: r.title.clone(),
                        }
                    }
                    MessageContent::Button(b) => Inbound::QuickReply {
                        payload: b.payload.clone().unwrap_or_default(),
                    },
                    MessageContent::Image(_) => Inbound::Other("image"),
                    MessageContent::Location(_) => Inbound::Other("location"),
                    _ => Inbound::Other("other"),
                },
            };
            let from = msg
                .from()
                .map(str::to_owned)
                .or_else(|| msg.user_id().map(|u| u.to_string()))
                .unwrap_or_default();
            let _ = state.jobs.send(Job {
                tenant: tenant.clone(),
                from,
                name: msg.sender_name().unwrap_or("there").to_owned(),
                message_id: msg.id().to_string(),
                kind,
            });
        }
    }
    (StatusCode::OK, format!("{new} new, {duplicates} duplicate"))
}

/// The first `max` characters of `text`, with an ellipsis when cut.
fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Does one job: marks the message read and answers it. Returns a line describing what was done.
pub async fn handle(job: Job) -> Result<String, whatsapp_cloud::Error> {
    let client = &job.tenant.client;
    client
        .send(&MarkAsRead::new(job.message_id.as_str()).typing_indicator())
        .await?;
    let reply = match &job.kind {
        Inbound::Text(text) => SendMessage::new(
            job.from.as_str(),
            Interactive::buttons(
                // The body of an interactive message holds 1024 characters: quote a short excerpt.
                format!(
                    "Hi {}! You wrote \"{}\". What would you like to do?",
                    job.name,
                    excerpt(text, 200)
                ),
                [
                    ReplyButton::new("track_order", "Track my order"),
                    ReplyButton::new("change_address", "Change address"),
                    ReplyButton::new("talk_to_agent", "Talk to a person"),
                ],
            ),
        ),
        Inbound::Button { id, .. } if id == "track_order" => SendMessage::new(
            job.from.as_str(),
            Message::text("Order #1042 left our warehouse today and arrives Thursday."),
        ),
        Inbound::Button { id, .. } if id == "talk_to_agent" => SendMessage::new(
            job.from.as_str(),
            Message::text("A person from our team will answer here within 10 minutes."),
        ),
        Inbound::Button { id, title } | Inbound::ListRow { id, title } => SendMessage::new(
            job.from.as_str(),
            Message::text(format!(
                "You chose \"{title}\" ({id}). We'll take it from here."
            )),
        ),
        Inbound::QuickReply { payload } => SendMessage::new(
            job.from.as_str(),
            Message::text(format!("Thanks, noted ({payload}).")),
        ),
        Inbound::OptedOut => SendMessage::new(
            job.from.as_str(),
            Message::text("You won't receive promotions from us any more. Reply START to undo."),
        ),
        Inbound::Resumed => SendMessage::new(
            job.from.as_str(),
            Message::text("Welcome back! Promotions are on again."),
        ),
        Inbound::Other(kind) => SendMessage::new(
            job.from.as_str(),
            Message::text(format!("Thanks for the {kind}!")),
        ),
    }
    .reply_to(job.message_id.as_str());
    let sent = client.send(&reply).await?;
    Ok(format!(
        "[{}] {:?} from {} -> replied with {} ({})",
        job.tenant.name,
        job.kind,
        job.from,
        reply.message().type_name(),
        sent.message_id().map_or("?", |id| id.as_str())
    ))
}
