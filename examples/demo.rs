//! The whole SDK end to end, offline, in a few seconds.
//!
//! ```sh
//! cargo run --example demo
//! ```
//!
//! With no credentials it starts a fake Cloud API and a local webhook receiver and walks through the
//! handshake, signed (and tampered) deliveries, replies inside the 24-hour window, every message type,
//! a button click routed by its id, a STOP opt-out, a rate-limited send retried, a template once the
//! window has closed, and a WhatsApp Flow round trip (the Flow message, its encrypted data requests
//! answered by a Flow endpoint, its `nfm_reply` completion). With `WHATSAPP_ACCESS_TOKEN`, `WHATSAPP_PHONE_NUMBER_ID` and `WHATSAPP_RECIPIENT`
//! set, the sends go to Meta's real API instead (the webhook deliveries stay simulated).

#[path = "support/bot.rs"]
mod bot;
#[path = "support/flow_round_trip.rs"]
mod flow_round_trip;
#[path = "support/receiver.rs"]
mod receiver;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use whatsapp_cloud::message::{
    Document, Header, Image, Interactive, Location, MediaSource, Message, Parameter, ReplyButton,
    Row, Section, SendMessage, Template, TemplateButton,
};
use whatsapp_cloud::policy::{Keywords, UserKey, WindowTracker as _, unix_seconds};
use whatsapp_cloud::testing::webhook::DeliveryBuilder;
use whatsapp_cloud::testing::{FakeCloudApi, FakeError};
use whatsapp_cloud::webhook::{SIGNATURE_HEADER, SignatureVerifier};
use whatsapp_cloud::{Client, Error, VerifyToken};

const APP_SECRET: &str = "demo-app-secret-3f9a";
const VERIFY_TOKEN: &str = "demo-verify-token";
const WABA_ID: &str = "102290129340398";

struct Demo {
    http: reqwest::Client,
    webhook_url: String,
    done: mpsc::UnboundedReceiver<Result<String, Error>>,
    client: Client,
    guard: Arc<receiver::Guard>,
    fake: Option<FakeCloudApi>,
    phone_number_id: String,
    to: String,
    failures: usize,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let mut demo = Demo::start().await?;

    demo.step("1. Webhook handshake (GET with hub.mode, hub.verify_token, hub.challenge)");
    demo.handshake().await?;

    demo.step("2. A signed inbound delivery, a tampered one, and a redelivery");
    demo.inbound().await?;

    demo.step("3. Every message type of the seed examples");
    demo.message_types().await;

    demo.step("4. A button click routed by its id");
    demo.button_click().await?;

    demo.step("5. STOP: the opt-out is honoured");
    demo.opt_out().await?;

    demo.step("6. A rate-limited send is retried");
    demo.rate_limited().await;

    demo.step("7. The 24-hour window has closed: a template instead");
    demo.window_closed().await;

    demo.step(
        "8. A WhatsApp Flow: sent, its encrypted data requests answered, its completion received",
    );
    demo.flow_round_trip().await;

    if let Some(fake) = &demo.fake {
        println!(
            "\nThe fake Cloud API received {} messages and {} read receipts.",
            fake.sent_messages().await.len(),
            fake.read_receipts().await.len()
        );
    }
    println!("Demo finished in {:.1} s.", started.elapsed().as_secs_f64());
    if demo.failures > 0 {
        return Err(format!("{} step(s) failed", demo.failures).into());
    }
    Ok(())
}

impl Demo {
    async fn start() -> Result<Self, Box<dyn std::error::Error>> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let guard = receiver::new_guard();
        let on_retry = |e: &whatsapp_cloud::retry::RetryEvent<'_>| {
            println!(
                "   ↻ attempt {} failed ({}); the client retries",
                e.attempt, e.error
            );
        };
        let (client, fake, phone_number_id, to) = match (
            var("WHATSAPP_ACCESS_TOKEN"),
            var("WHATSAPP_PHONE_NUMBER_ID"),
            var("WHATSAPP_RECIPIENT"),
        ) {
            (Some(token), Some(phone), Some(to)) => {
                println!("Sending through Meta's Cloud API from phone number id {phone} to {to}.");
                let client = Client::builder()
                    .access_token(token)
                    .phone_number_id(phone.as_str())
                    .send_policy(guard.clone())
                    .on_retry(on_retry)
                    .build()?;
                (client, None, phone, to)
            }
            _ => {
                let fake = FakeCloudApi::start().await;
                println!(
                    "No credentials set: using a fake Cloud API at {}.",
                    fake.uri()
                );
                let client = fake
                    .client_builder()
                    .without_pacing()
                    .retry_policy(
                        whatsapp_cloud::retry::RetryPolicy::default()
                            .base_delay(Duration::from_millis(200)),
                    )
                    .send_policy(guard.clone())
                    .on_retry(on_retry)
                    .build()?;
                let phone = fake.phone_number_id().to_owned();
                (client, Some(fake), phone, "16315551234".to_owned())
            }
        };

        let tenant = Arc::new(receiver::Receiving {
            tenant: Arc::new(bot::Tenant {
                name: "acme/support".into(),
                client: client.clone(),
            }),
            verifier: SignatureVerifier::new(APP_SECRET)?,
            verify_token: VerifyToken::new(VERIFY_TOKEN),
            guard: guard.clone(),
            seen: Default::default(),
            keywords: Keywords::default(),
        });
        let (jobs_tx, mut jobs_rx) = mpsc::unbounded_channel::<bot::Job>();
        let (done_tx, done) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Some(job) = jobs_rx.recv().await {
                let _ = done_tx.send(bot::handle(job).await);
            }
        });
        let mut tenants = HashMap::new();
        tenants.insert(("acme".to_owned(), "support".to_owned()), tenant);
        let app = receiver::router(tenants, jobs_tx);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        tokio::spawn(async move { axum::serve(listener, app).await });
        let webhook_url = format!("http://{addr}/webhook/whatsapp/acme/support");
        println!("Webhook receiver listening at {webhook_url}.");

        Ok(Self {
            http: reqwest::Client::new(),
            webhook_url,
            done,
            client,
            guard,
            fake,
            phone_number_id,
            to,
            failures: 0,
        })
    }

    fn step(&self, title: &str) {
        println!("\n{title}");
    }

    fn ok(&self, line: impl std::fmt::Display) {
        println!("   ✓ {line}");
    }

    fn fail(&mut self, line: impl std::fmt::Display) {
        self.failures += 1;
        println!("   ✗ {line}");
    }

    fn delivery(&self) -> DeliveryBuilder {
        DeliveryBuilder::new(WABA_ID, self.phone_number_id.as_str())
            .timestamp(unix_seconds(std::time::SystemTime::now()))
    }

    async fn post(&self, body: Vec<u8>, signature: &str) -> Result<(u16, String), reqwest::Error> {
        let response = self
            .http
            .post(&self.webhook_url)
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, signature)
            .body(body)
            .send()
            .await?;
        Ok((response.status().as_u16(), response.text().await?))
    }

    /// Waits for the background task to answer `n` jobs.
    async fn replies(&mut self, n: usize) {
        for _ in 0..n {
            match tokio::time::timeout(Duration::from_secs(30), self.done.recv()).await {
                Ok(Some(Ok(line))) => self.ok(line),
                Ok(Some(Err(e))) => self.fail(format!("reply failed: {e}")),
                Ok(None) | Err(_) => self.fail("no reply came"),
            }
        }
    }

    async fn handshake(&mut self) -> Result<(), Box<dyn std::error::Error>> {
        let ok = self
            .http
            .get(format!(
                "{}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={VERIFY_TOKEN}",
                self.webhook_url
            ))
            .send()
            .await?;
        let (status, body) = (ok.status().as_u16(), ok.text().await?);
        if status == 200 && body == "1158201444" {
            self.ok(format!(
                "right token: 200 with the challenge {body:?} echoed"
            ));
        } else {
            self.fail(format!("right token gave {status} {body:?}"));
        }
        let bad = self
            .http
            .get(format!(
                "{}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess",
                self.webhook_url
            ))
            .send()
            .await?;
        let (status, body) = (bad.status().as_u16(), bad.text().await?);
        if status == 403 {
            self.ok(format!("wrong token: {status} ({body})"));
        } else {
            self.fail(format!("wrong token gave {status}"));
        }
        Ok(())
    }

    async fn inbound(&mut self) -> Result<(), Box<dyn std::error::Error>> {
        let delivery = self
            .delivery()
            .text(&self.to, "Maria", "Hi! Is my order ready? 📦")
            .build();
        let (body, signature) = delivery.signed(APP_SECRET);
        let (status, text) = self.post(body.clone(), &signature).await?;
        if status == 200 {
            self.ok(format!("signed delivery accepted: {status} ({text})"));
        } else {
            self.fail(format!("signed delivery gave {status} {text}"));
        }
        self.replies(1).await;

        let tampered = String::from_utf8(body.clone())?
            .replace("ready?", "ready!")
            .into_bytes();
        let (status, text) = self.post(tampered, &signature).await?;
        if status == 401 {
            self.ok(format!("tampered body refused: {status} ({text})"));
        } else {
            self.fail(format!("tampered body gave {status}"));
        }

        let (status, text) = self.post(body, &signature).await?;
        if status == 200 && text.starts_with("0 new") {
            self.ok(format!(
                "Meta's redelivery acknowledged and skipped: {text}"
            ));
        } else {
            self.fail(format!("redelivery gave {status} {text}"));
        }
        let state = self
            .guard
            .windows()
            .state(
                &UserKey::phone(&self.to),
                unix_seconds(std::time::SystemTime::now()),
            )
            .await?;
        self.ok(format!(
            "24-hour window open for {}: free-form allowed = {}",
            self.to,
            state.allows_free_form()
        ));
        Ok(())
    }

    async fn send(&mut self, what: &str, message: impl Into<Message>) -> Option<String> {
        match self
            .client
            .send(&SendMessage::new(self.to.as_str(), message))
            .await
        {
            Ok(sent) => {
                let id = sent
                    .message_id()
                    .map_or_else(|| "?".to_owned(), ToString::to_string);
                self.ok(format!("{what}: accepted as {id}"));
                Some(id)
            }
            Err(e) => {
                self.fail(format!("{what}: {e}"));
                None
            }
        }
    }

    async fn message_types(&mut self) {
        self.send(
            "plain reply",
            Message::text("Your order #1042 is packed and ships today."),
        )
        .await;
        self.send(
            "template order_confirmation with two body parameters",
            Template::new("order_confirmation", "en_US")
                .body([Parameter::text("Maria"), Parameter::text("#1042")]),
        )
        .await;
        self.send(
            "three reply buttons",
            Interactive::buttons(
                "What would you like to do?",
                [
                    ReplyButton::new("track_order", "Track my order"),
                    ReplyButton::new("change_address", "Change address"),
                    ReplyButton::new("talk_to_agent", "Talk to a person"),
                ],
            ),
        )
        .await;
        self.send(
            "two-section support menu list",
            Interactive::list(
                "Choose a topic and we'll take it from there.",
                "Support menu",
                [
                    Section::new(
                        "Orders",
                        [
                            Row::new("order_status", "Order status")
                                .description("Where is my parcel?"),
                            Row::new("order_return", "Return an item"),
                        ],
                    ),
                    Section::new(
                        "Account",
                        [
                            Row::new("account_billing", "Billing"),
                            Row::new("account_password", "Reset password"),
                        ],
                    ),
                ],
            )
            .header(Header::text("Support")),
        )
        .await;
        self.send(
            "image with caption",
            Image::from_link("https://example.com/bouquet.jpg")
                .caption("Your bouquet, ready to go"),
        )
        .await;
        self.send(
            "PDF invoice with filename and caption",
            Document::from_link("https://example.com/invoices/1042.pdf")
                .filename("invoice-1042.pdf")
                .caption("Invoice for order #1042"),
        )
        .await;
        self.send(
            "location with name and address",
            Location::new(37.4847, -122.1477)
                .name("Acme Flowers")
                .address("1 Hacker Way, Menlo Park, CA 94025"),
        )
        .await;
        self.send(
            "template appointment_reminder: image header, two body parameters, quick-reply payload",
            Template::new("appointment_reminder", "en_US")
                .header([Parameter::image(MediaSource::link(
                    "https://example.com/clinic.jpg",
                ))])
                .body([Parameter::text("Maria"), Parameter::text("June 3 at 10:00")])
                .button(TemplateButton::quick_reply(0, "CONFIRM_APPOINTMENT_8812")),
        )
        .await;
        match self
            .client
            .send(&SendMessage::new(
                self.to.as_str(),
                Interactive::buttons(
                    "Pick",
                    ["a", "b", "c", "d"].map(|id| ReplyButton::new(id, id)),
                ),
            ))
            .await
        {
            Err(Error::Validation(e)) => {
                self.ok(format!("a fourth button is refused before sending: {e}"))
            }
            other => self.fail(format!("four buttons were not refused: {other:?}")),
        }
    }

    async fn button_click(&mut self) -> Result<(), Box<dyn std::error::Error>> {
        let delivery = self
            .delivery()
            .button_reply(
                &self.to,
                "Maria",
                "wamid.BUTTONS",
                "track_order",
                "Track my order",
            )
            .build();
        let (body, signature) = delivery.signed(APP_SECRET);
        let (status, _) = self.post(body, &signature).await?;
        if status != 200 {
            self.fail(format!("button delivery gave {status}"));
        }
        self.replies(1).await;
        Ok(())
    }

    async fn opt_out(&mut self) -> Result<(), Box<dyn std::error::Error>> {
        let delivery = self.delivery().text(&self.to, "Maria", "Stop!").build();
        let (body, signature) = delivery.signed(APP_SECRET);
        self.post(body, &signature).await?;
        self.replies(1).await;
        match self
            .client
            .send(&SendMessage::new(
                self.to.as_str(),
                Template::new("spring_sale", "en_US").marketing(),
            ))
            .await
        {
            Err(Error::Refused(refusal)) => {
                self.ok(format!("marketing template refused locally: {refusal}"))
            }
            other => self.fail(format!("marketing template was not refused: {other:?}")),
        }
        self.send(
            "a utility template still goes out",
            Template::new("order_confirmation", "en_US")
                .body([Parameter::text("Maria"), Parameter::text("#1043")]),
        )
        .await;
        Ok(())
    }

    async fn rate_limited(&mut self) {
        let Some(fake) = &self.fake else {
            println!("   (skipped against the real API: Meta's rate limits cannot be scripted)");
            return;
        };
        fake.fail_next_sends(FakeError::RateLimited, 1).await;
        self.send(
            "text after Meta answered 130429 once",
            Message::text("Thanks for waiting!"),
        )
        .await;
    }

    async fn window_closed(&mut self) {
        let carlos = "16315559876";
        let yesterday = unix_seconds(std::time::SystemTime::now()) - 25 * 3600;
        if let Err(e) = self
            .guard
            .windows()
            .record_inbound(&UserKey::phone(carlos), yesterday)
            .await
        {
            self.fail(format!("the window tracker failed: {e}"));
            return;
        }
        self.ok(format!("Carlos ({carlos}) last wrote 25 hours ago"));
        match self
            .client
            .send(&SendMessage::new(
                carlos,
                Message::text("Are you still interested?"),
            ))
            .await
        {
            Err(Error::Refused(refusal)) => {
                self.ok(format!("free-form refused before the network: {refusal}"))
            }
            other => self.fail(format!(
                "free-form to a closed window was not refused: {other:?}"
            )),
        }
        match self
            .client
            .send(&SendMessage::new(
                carlos,
                Template::new("order_confirmation", "en_US")
                    .body([Parameter::text("Carlos"), Parameter::text("#1044")]),
            ))
            .await
        {
            Ok(sent) => self.ok(format!(
                "template order_confirmation sent instead: {}",
                sent.message_id().map_or("?", |id| id.as_str())
            )),
            Err(e) => self.fail(format!("template failed: {e}")),
        }
    }

    async fn flow_round_trip(&mut self) {
        if self.fake.is_none() {
            println!("   (skipped against the real API: the Flow id is the demo's own)");
            return;
        }
        match flow_round_trip::run(&self.client, &self.to, self.delivery(), APP_SECRET).await {
            Ok(trip) => trip.lines.iter().for_each(|line| self.ok(line)),
            Err(e) => self.fail(format!("the Flow round trip failed: {e}")),
        }
    }
}
