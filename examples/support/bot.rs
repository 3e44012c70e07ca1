//! The little support bot shared by `demo` and `webhook_server`: what it answers to each inbound
//! message, sent through the tenant's client.

use std::sync::Arc;
use whatsapp_cloud::Client;
use whatsapp_cloud::message::{Interactive, MarkAsRead, Message, ReplyButton, SendMessage};
use whatsapp_cloud::policy::Intent;
use whatsapp_cloud::webhook::{InteractiveReply, MessageContent, MessageEvent};

/// One tenant: a business number with its client.
pub struct Tenant {
    pub name: String,
    pub client: Client,
}

/// What the bot does for one inbound message.
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

impl Job {
    /// The job for one inbound message; `opt_out` is what the opt-out store recorded for it.
    pub fn of(tenant: Arc<Tenant>, msg: &MessageEvent<'_>, opt_out: Option<Intent>) -> Self {
        let kind = match opt_out {
            Some(Intent::OptOut) => Inbound::OptedOut,
            Some(Intent::Resume) => Inbound::Resumed,
            _ => match msg.content() {
                MessageContent::Text(t) => Inbound::Text(t.body.to_string()),
                MessageContent::Interactive(InteractiveReply::ButtonReply(b)) => Inbound::Button {
                    id: b.id.clone(),
                    title: b.title.clone(),
                },
                MessageContent::Interactive(InteractiveReply::ListReply(r)) => Inbound::ListRow {
                    id: r.id.clone(),
                    title: r.title.clone(),
                },
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
        Self {
            tenant,
            from,
            name: msg.sender_name().unwrap_or("there").to_owned(),
            message_id: msg.id().to_string(),
            kind,
        }
    }
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
