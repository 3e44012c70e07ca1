//! A multi-tenant webhook server on axum: `GET` handshake and `POST` deliveries on
//! `/webhook/whatsapp/{tenant}/{team}`, each route mapped to its own client (phone number and token,
//! sharing one connection pool), app secret and verify token. The signature is checked over the raw
//! body, events are deduplicated and dispatched to a background task that replies, and 200 goes back
//! at once.
//!
//! ```sh
//! cargo run --example webhook_server            # self-check: posts signed deliveries to itself, exits
//! cargo run --example webhook_server -- --serve # keeps serving on $PORT (default 8080) until Ctrl-C
//! ```
//!
//! Without `WHATSAPP_ACCESS_TOKEN` the replies go to a fake Cloud API.

#[path = "support/bot.rs"]
mod bot;

use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc;
use whatsapp_cloud::client::Tenant;
use whatsapp_cloud::policy::Keywords;
use whatsapp_cloud::testing::FakeCloudApi;
use whatsapp_cloud::testing::webhook::DeliveryBuilder;
use whatsapp_cloud::webhook::{SIGNATURE_HEADER, SignatureVerifier};
use whatsapp_cloud::{Client, VerifyToken};

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

    let mut tenants = HashMap::new();
    for t in &configs {
        let guard = bot::new_guard();
        let client = base
            .for_tenant(&Tenant::new(t.phone_number_id, t.access_token))?
            .with_send_policy(Some(guard.clone()));
        tenants.insert(
            (t.route.0.to_owned(), t.route.1.to_owned()),
            Arc::new(bot::Tenant {
                name: format!("{}/{}", t.route.0, t.route.1),
                client,
                verifier: SignatureVerifier::new(t.app_secret)?,
                verify_token: VerifyToken::new(t.verify_token),
                guard,
                seen: Default::default(),
                keywords: Keywords::default(),
            }),
        );
    }

    let (jobs_tx, mut jobs_rx) = mpsc::unbounded_channel::<bot::Job>();
    let (done_tx, mut done_rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(job) = jobs_rx.recv().await {
            let result = bot::handle(job).await;
            if let Err(e) = &result {
                eprintln!("reply failed: {e}");
            }
            let _ = done_tx.send(result);
        }
    });

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
    let app = bot::router(tenants, jobs_tx);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    println!("listening on http://{addr}/webhook/whatsapp/{{tenant}}/{{team}}");

    if serve {
        tokio::spawn(async move {
            while let Some(result) = done_rx.recv().await {
                if let Ok(line) = result {
                    println!("{line}");
                }
            }
        });
        tokio::signal::ctrl_c().await?;
        return Ok(());
    }

    // Self-check: what Meta would do, for each tenant.
    let http = reqwest::Client::new();
    for t in &configs {
        let url = format!("http://{addr}/webhook/whatsapp/{}/{}", t.route.0, t.route.1);
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
            .text("16315551234", "Maria", "Hello?")
            .build();
        let (body, signature) = delivery.signed(t.app_secret);
        let response = http
            .post(&url)
            .header(SIGNATURE_HEADER, signature)
            .body(body.clone())
            .send()
            .await?;
        println!(
            "{}: signed delivery -> {}",
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

        match done_rx.recv().await {
            Some(Ok(line)) => println!("{line}"),
            Some(Err(e)) => return Err(e.into()),
            None => return Err("the worker stopped".into()),
        }
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
