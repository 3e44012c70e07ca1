//! A typed Rust SDK for Meta's [WhatsApp Cloud API]: send every kind of WhatsApp message with Meta's
//! limits checked before anything leaves your process, and receive webhooks safely.
//!
//! - **Sending**: every outgoing message type (text, media, location, contacts, reactions, interactive
//!   messages, templates) is a typed builder, validated against Meta's documented limits; a broken
//!   limit is an error that names the field, the limit and the value.
//! - **Receiving**: `X-Hub-Signature-256` verification in constant time, the verify-token handshake,
//!   and typed events for every message, status and webhook field. An unknown or malformed item is kept
//!   raw with its error and never costs the rest of the delivery.
//! - **Reliability**: retries that understand Meta's error codes, send pacing within the number's
//!   throughput and each user's pair rate, the 24-hour customer-service window, opt-outs and
//!   redelivery dedup.
//! - **Runtime-free core**: every API call is a value that builds an `http::Request` and parses an
//!   `http::Response` ([`Endpoint`]), so any HTTP client on any runtime can send it. The [`Client`]
//!   (reqwest, on by default) sends it for you.
//!
//! [WhatsApp Cloud API]: https://developers.facebook.com/documentation/business-messaging/whatsapp/
//!
//! # Quick start
//!
//! Send a message, then receive a webhook delivery:
//!
//! ```no_run
//! # #[cfg(feature = "client")]
//! # async fn send() -> Result<(), whatsapp_cloud::Error> {
//! use whatsapp_cloud::Client;
//! use whatsapp_cloud::message::{Message, SendMessage};
//!
//! let client = Client::builder()
//!     .access_token(std::env::var("WHATSAPP_ACCESS_TOKEN").unwrap_or_default())
//!     .phone_number_id("106540352242922")
//!     .build()?;
//! let sent = client
//!     .send(&SendMessage::new("+16315551234", Message::text("Your order has shipped!")))
//!     .await?;
//! println!("accepted as {:?}", sent.message_id());
//! # Ok(())
//! # }
//! ```
//!
//! ```
//! use whatsapp_cloud::webhook::{Event, MessageContent, Payload, SignatureVerifier};
//!
//! /// POST /webhook: check the signature over the raw bytes, then read the events.
//! fn on_post(body: &[u8], signature: Option<&str>) -> Result<(), Box<dyn std::error::Error>> {
//!     SignatureVerifier::new("my-app-secret")?.verify(body, signature)?;
//!     let payload = Payload::from_slice(body)?;
//!     for event in payload.events() {
//!         match event {
//!             Event::Message(msg) => {
//!                 if let MessageContent::Text(text) = msg.content() {
//!                     println!("{:?} wrote {:?}", msg.from(), text.body);
//!                 }
//!             }
//!             Event::Status(status) => println!("{} is now {:?}", status.id(), status.status()),
//!             _ => {}
//!         }
//!     }
//!     Ok(())
//! }
//!
//! let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},"messages":[{"from":"16505551234","id":"wamid.A","timestamp":"1764000000","type":"text","text":{"body":"Hello"}}]}}]}]}"#;
//! let signature = whatsapp_cloud::webhook::sign("my-app-secret", body); // as Meta signs it
//! on_post(body, Some(&signature))?;
//! assert!(on_post(body, Some("sha256=00")).is_err()); // a forged delivery is refused
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Modules
//!
//! | module | what it holds |
//! |---|---|
//! | [`message`] | every outgoing message type and [`SendMessage`](message::SendMessage), validated before sending |
//! | [`webhook`] | signature verification, the subscription handshake, the payload and its typed events |
//! | [`endpoint`] | every API call as a value: messages, media, templates, phone numbers, business profile, Flows management, calls and phone-number settings, paging |
//! | `client` | the async [`Client`] over reqwest: retries, pacing, media streaming, per-tenant views, and `client::blocking` (features `client`, `blocking`) |
//! | [`policy`] | the state rules and their async stores: the 24-hour and free-entry-point windows, opt-outs, redelivery dedup, the send guard and send pacing, per user ([`policy::UserKey`]) |
//! | [`retry`] | the retry policy, its pure decision and the sans-IO retry loop both clients run |
//! | `flows` | the data endpoint of a WhatsApp Flow: decrypt a request, type it, encrypt the reply (feature `flows`) |
//! | [`error`] | the one [`Error`] type, Meta's error object and its classification ([`error::ErrorClass`]) |
//! | [`limits`] | Meta's documented limits on messages, template creation and the business profile |
//! | [`ids`] | typed ids: phone number, account, message, media, user, group, and [`Recipient`] |
//! | [`secret`] | [`AccessToken`], [`AppSecret`] and [`VerifyToken`], which never print their values |
//! | `testing` | a fake Cloud API and signed webhook builders for your own tests (feature `testing`) |
//! | `axum` | a ready webhook receiver as an axum `Router`: handshake, signatures, dedup, stores, a bounded handler queue (feature `axum`) |
//! | `redis` | dedup, windows, opt-outs and a send pacer shared by several replicas on Redis (feature `redis`) |
//!
//! Every rule that depends on time takes the current time as an argument, so it is testable without
//! sleeping.
//!
//! # Feature flags
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `client` | yes | the async [`Client`] over reqwest, with retries, pacing and media streaming |
//! | `rustls` | yes | TLS through rustls |
//! | `native-tls` | no | TLS through the platform's library instead |
//! | `blocking` | no | a synchronous client, `client::blocking::Client` |
//! | `testing` | no | `testing::FakeCloudApi` (on wiremock) and signed webhook builders |
//! | `axum` | no | `axum::WebhookRouter`, a ready multi-tenant webhook receiver for axum 0.8 |
//! | `redis` | no | `redis::RedisState`: the stores and a shared pacer on Redis, for several replicas |
//! | `flows` | no | `flows`: a Flow data endpoint's decryption and encrypted replies (aws-lc-rs; no tokio or reqwest) |
//!
//! With `default-features = false` the crate is a pure core (serde, `http`, HMAC) without tokio, reqwest
//! or hyper: build each request with [`Endpoint::to_request`], send it with any HTTP client, and read
//! the answer with [`Endpoint::parse_response`].
//!
//! # Examples
//!
//! The repository's `examples/` folder has programs to run:
//!
//! - `demo`: the whole SDK end to end against a fake Cloud API, offline (`cargo run --example demo`);
//! - `send_text`, `send_template`, `interactive`, `media`: one area each;
//! - `webhook_server`: a multi-tenant server on the `axum` feature's router, each route with its own
//!   secrets, stores and client;
//! - `flow_endpoint`: an axum server for a WhatsApp Flow's data endpoint (feature `flows`);
//! - `calling`: Calling API signalling on the fake Cloud API, a business call and a user's call
//!   answered (feature `testing`);
//! - `custom_transport`: the runtime-free core over a plain `std::net` socket, no tokio.
//!
//! The [`guide`] has the rest: configuration mapped to Meta's dashboard, webhook setup, the window,
//! rate limits, retries and tenants, media and templates, testing without Meta, and troubleshooting.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod client;
pub mod endpoint;
pub mod error;
#[cfg(feature = "flows")]
#[cfg_attr(docsrs, doc(cfg(feature = "flows")))]
pub mod flows;
pub mod ids;
pub mod limits;
pub mod message;
pub mod policy;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub mod redis;
pub mod retry;
pub mod secret;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
pub mod webhook;

#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder};
pub use endpoint::{ApiContext, DEFAULT_API_VERSION, Endpoint};
pub use error::Error;
pub use ids::{
    CallId, GroupId, HeaderHandle, MediaId, MessageId, PhoneNumberId, Recipient, UserId, WabaId,
};
pub use secret::{AccessToken, AppSecret, VerifyToken};

/// The guide: the repository's README, with every example compiled and run as a doc test.
#[cfg(any(doc, all(doctest, feature = "client")))]
#[doc = include_str!("../README.md")]
pub mod guide {}
