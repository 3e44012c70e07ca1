//! A multi-tenant webhook server on the crate's axum router (`whatsapp_cloud::axum`): `GET` handshake
//! and `POST` deliveries on `/webhook/whatsapp/{tenant}/{team}`, each route with its own app secret,
//! verify token, client (phone number and token, sharing one connection pool) and state. The router
//! checks the signature over the raw body, drops redeliveries, feeds the window and opt-out stores
//! and hands each new event to the bot through a bounded queue; the bot replies through the client.
//!
//! ```sh
//! cargo run --example webhook_server            # self-check: posts signed deliveries to itself, exits
//! cargo run --example webhook_server -- --serve # keeps serving on $PORT (default 8080) until Ctrl-C
//! ```
//!
//! Without `WHATSAPP_ACCESS_TOKEN` the replies go to a fake Cloud API. State (seen deliveries,
//! windows, opt-outs) is kept in memory, or in Redis when `REDIS_URL` is set
//! (`REDIS_URL=redis://127.0.0.1:6379/ cargo run --example webhook_server -- --serve`), so that
//! every replica behind a load balancer shares it.

#[path = "support/bot.rs"]
mod bot;

use std::sync::Arc;
use tokio::sync::mpsc;
use whatsapp_cloud::Client;
use whatsapp_cloud::axum::{Incoming, Route, WebhookRouter};
use whatsapp_cloud::client::Tenant;
use whatsapp_cloud::policy::{
    Deduplicator, InMemoryDeduplicator, InMemoryOptOutStore, InMemoryWindowTracker, OptOutStore,
    SendGuard, WindowTracker,
};
use whatsapp_cloud::redis::RedisState;
use whatsapp_cloud::testing::FakeCloudApi;
use whatsapp_cloud::testing::webhook::DeliveryBuilder;
use whatsapp_cloud::webhook::{Event, SIGNATURE_HEADER};

/// One route's configuration; in production these come from your tenant database.
#[derive(Clone, Copy)]
struct TenantConfig {
    route: (&'static str, &'static str),
    phone_number_id: &'static str,
    access_token: &'static str,
    app_secret: &'static str,
    verify_token: &'static str,
}

const TENANTS: [TenantConfig; 2] = [
    TenantConfig {
        route: ("acme", "support"),
        phone_number_id: "106540352242922",
        access_token: "fake-access-token",
        app_secret: "acme-app-secret",
        verify_token: "acme-verify",
    },
    TenantConfig {
        route: ("globex", "sales"),
        phone_number_id: "209876543210987",
        access_token: "globex-token",
        app_secret: "globex-app-secret",
        verify_token: "globex-verify",
    },
];

impl TenantConfig {
    fn path(&self) -> String {
        format!("/webhook/whatsapp/{}/{}", self.route.0, self.route.1)
    }
}

/// Where one tenant keeps its state: seen deliveries, windows and opt-outs.
struct Stores {
    dedup: Arc<dyn Deduplicator>,
    windows: Arc<dyn WindowTracker>,
    opt_outs: Arc<dyn OptOutStore>,
}

/// The state of one tenant: in memory, or in Redis (at `redis_url`) so that every replica behind
/// the load balancer shares it (a redelivery reaching another replica is skipped, a STOP seen by
/// one replica stops marketing sends from all of them). Each tenant gets a namespace of its own: a
/// user's window and opt-out belong to one business number, so two tenants must not share them.
async fn stores(
    tenant: &TenantConfig,
    redis_url: Option<&str>,
) -> Result<Stores, Box<dyn std::error::Error>> {
    let Some(url) = redis_url else {
        return Ok(Stores {
            dedup: Arc::new(InMemoryDeduplicator::default()),
            windows: Arc::new(InMemoryWindowTracker::default()),
            opt_outs: Arc::new(InMemoryOptOutStore::new()),
        });
    };
    let redis = RedisState::builder(url)
        .namespace(format!("webhook-server-{}", tenant.phone_number_id))
        .connect()
        .await?;
    println!("{}: state in Redis ({redis:?})", tenant.path());
    Ok(Stores {
        dedup: Arc::new(redis.deduplicator()),
        windows: Arc::new(redis.window_tracker()),
        opt_outs: Arc::new(redis.opt_out_store()),
    })
}

/// What the bot did with one message, for the log (or why it could not).
type Done = Result<String, String>;

/// The route of one tenant: its credentials, its stores, and a handler replying through its client.
fn route(
    config: &TenantConfig,
    client: Client,
    stores: &Stores,
    done: &mpsc::UnboundedSender<Done>,
) -> Result<Route, Box<dyn std::error::Error>> {
    let tenant = Arc::new(bot::Tenant {
        name: format!("{}/{}", config.route.0, config.route.1),
        client,
    });
    let done = done.clone();
    let handler = move |incoming: Incoming| {
        // Read what the bot needs now: the event borrows from `incoming`.
        let job = match incoming.event() {
            Event::Message(msg) => Some(bot::Job::of(tenant.clone(), &msg, incoming.opt_out())),
            _ => None,
        };
        let done = done.clone();
        async move {
            let Some(job) = job else { return Ok(()) };
            // An error makes the router answer 500: Meta redelivers and the reply is tried again.
            let result = bot::handle(job).await;
            let _ = done.send(
                result
                    .as_ref()
                    .map(Clone::clone)
                    .map_err(ToString::to_string),
            );
            result.map(drop)
        }
    };
    Ok(Route::new(config.app_secret, config.verify_token)?
        .handler(handler)
        .deduplicator(stores.dedup.clone())
        .window_tracker(stores.windows.clone())
        .opt_out_store(stores.opt_outs.clone()))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let serve = std::env::args().any(|a| a == "--serve");

    // One client (one connection pool); each tenant is a cheap view with its own number and token.
    // With real credentials, the first route serves the business number they belong to.
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let (base, fake, configs) = match (
        var("WHATSAPP_ACCESS_TOKEN"),
        var("WHATSAPP_PHONE_NUMBER_ID"),
    ) {
        (Some(token), Some(phone)) => {
            let client = Client::builder()
                .access_token(token.as_str())
                .phone_number_id(phone.as_str())
                .build()?;
            let real = TenantConfig {
                phone_number_id: Box::leak(phone.into_boxed_str()),
                access_token: Box::leak(token.into_boxed_str()),
                ..TENANTS[0]
            };
            (client, None, vec![real])
        }
        _ => {
            let fake = FakeCloudApi::start().await;
            for t in &TENANTS[1..] {
                fake.add_phone_number(t.phone_number_id, t.access_token)
                    .await;
            }
            (fake.client()?, Some(fake), TENANTS.to_vec())
        }
    };

    let redis_url = var("REDIS_URL");
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Done>();
    let mut webhooks = WebhookRouter::builder();
    for t in &configs {
        let stores = stores(t, redis_url.as_deref()).await?;
        // The client refuses sends the stores say Meta would refuse (closed window, opted out).
        let guard = SendGuard::new(stores.windows.clone(), stores.opt_outs.clone());
        let client = base
            .for_tenant(&Tenant::new(t.phone_number_id, t.access_token))?
            .with_send_policy(Some(Arc::new(guard)));
        webhooks = webhooks.route(t.path(), route(t, client, &stores, &done_tx)?);
    }
    drop(done_tx);
    let (app, workers) = webhooks.build()?.into_parts();

    let port = if serve {
        std::env::var("PORT")
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(8080)
    } else {
        0
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    println!("listening on http://{addr}/webhook/whatsapp/{{tenant}}/{{team}}");

    if serve {
        tokio::spawn(async move {
            while let Some(done) = done_rx.recv().await {
                match done {
                    Ok(line) => println!("{line}"),
                    Err(e) => eprintln!("reply failed: {e}"),
                }
            }
        });
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        axum::serve(listener, app)
            .with_graceful_shutdown(stop)
            .await?;
        // The router is gone: the workers finish the events already queued, then stop.
        workers.drained().await;
        return Ok(());
    }
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    // Self-check: what Meta would do, for each tenant.
    let http = reqwest::Client::new();
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    for t in &configs {
        let url = format!("http://{addr}{}", t.path());
        let challenge = http
            .get(format!(
                "{url}?hub.mode=subscribe&hub.challenge=4242&hub.verify_token={}",
                t.verify_token
            ))
            .send()
            .await?
            .text()
            .await?;
        println!("{}: handshake answered {challenge:?}", t.route.0);

        let delivery = DeliveryBuilder::new("102290129340398", t.phone_number_id)
            .timestamp(whatsapp_cloud::policy::unix_seconds(
                std::time::SystemTime::now(),
            ))
            // An id of this run's own: with REDIS_URL the seen ids outlive the process, and an
            // earlier run's message must not make this one a redelivery.
            .message(
                "16315551234",
                "Maria",
                "text",
                serde_json::json!({"body": "Hello?"}),
                serde_json::json!({"id": format!("wamid.self-check.{}.{run}", t.route.0)}),
            )
            .build();
        let (body, signature) = delivery.signed(t.app_secret);
        let response = http
            .post(&url)
            .header(SIGNATURE_HEADER, signature.as_str())
            .body(body.clone())
            .send()
            .await?;
        println!(
            "{}: signed delivery -> {}",
            t.route.0,
            response.status().as_u16()
        );
        match done_rx.recv().await {
            Some(Ok(line)) => println!("{line}"),
            Some(Err(e)) => return Err(e.into()),
            None => return Err("the handler stopped".into()),
        }

        // Meta's redelivery of the same body: acknowledged, and the bot does not answer twice.
        let response = http
            .post(&url)
            .header(SIGNATURE_HEADER, signature)
            .body(body.clone())
            .send()
            .await?;
        println!(
            "{}: redelivery -> {} (skipped)",
            t.route.0,
            response.status().as_u16()
        );

        // The other tenant's secret does not open this route.
        let (_, wrong) = delivery.signed(
            TENANTS
                .iter()
                .find(|o| o.route != t.route)
                .map_or("x", |o| o.app_secret),
        );
        let response = http
            .post(&url)
            .header(SIGNATURE_HEADER, wrong)
            .body(body)
            .send()
            .await?;
        println!(
            "{}: delivery signed with another tenant's secret -> {}",
            t.route.0,
            response.status().as_u16()
        );
    }
    let unknown = http
        .post(format!("http://{addr}/webhook/whatsapp/nobody/none"))
        .body("{}")
        .send()
        .await?;
    println!("unknown tenant -> {}", unknown.status().as_u16());

    if let Some(fake) = &fake {
        for t in &configs {
            println!(
                "fake API: {} message(s) sent from {}",
                fake.sent_messages_from(t.phone_number_id).await.len(),
                t.phone_number_id
            );
        }
    }
    server.abort();
    Ok(())
}
