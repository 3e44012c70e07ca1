//! Test kit (feature `testing`): a fake Cloud API and signed webhook builders for your own tests.
//!
//! [`FakeCloudApi`] is a wiremock server that answers every endpoint the [`Client`](crate::Client) calls with
//! realistic responses, records what was sent as [`RecordedMessage`]s, and can be scripted to answer
//! with Meta's real error bodies ([`FakeError`]). [`webhook::DeliveryBuilder`] produces webhook
//! deliveries with a valid `X-Hub-Signature-256` header.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), whatsapp_cloud::Error> {
//! use whatsapp_cloud::message::{Message, SendMessage};
//! use whatsapp_cloud::testing::{FakeCloudApi, RecordedKind};
//!
//! let fake = FakeCloudApi::start().await;
//! let client = fake.client()?;
//! client.send(&SendMessage::new("16315551234", Message::text("Hello"))).await?;
//!
//! let sent = fake.sent_messages().await;
//! assert_eq!(sent.len(), 1);
//! assert_eq!(sent[0].to, "16315551234");
//! assert_eq!(sent[0].kind, RecordedKind::Text { body: "Hello".into() });
//! # Ok(()) }
//! ```

mod fake;
mod fake_analytics;
mod fake_calling;
mod fake_flows;
mod fake_groups;
mod fake_operations;
mod fake_payments;
mod fake_templates;
mod fake_uploads;
#[cfg(feature = "flows")]
pub mod flows;
mod recorded;
pub mod webhook;

pub use fake::{FakeCloudApi, FakeError};
pub use fake_calling::RecordedCallAction;
pub use fake_uploads::{FakeInterruption, FakeUpload, FakeUploads};
pub use recorded::{RecordedKind, RecordedMessage};
