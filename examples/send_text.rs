//! Send a text message, then a reply that quotes it.
//!
//! ```sh
//! cargo run --example send_text
//! WHATSAPP_ACCESS_TOKEN=... WHATSAPP_PHONE_NUMBER_ID=... WHATSAPP_RECIPIENT=+1... cargo run --example send_text
//! ```

#[path = "support/mod.rs"]
mod support;

use whatsapp_cloud::message::{Message, SendMessage, Text};

#[tokio::main]
async fn main() -> Result<(), whatsapp_cloud::Error> {
    let target = support::target().await?;

    let first = target
        .client
        .send(&SendMessage::new(
            target.to.as_str(),
            Message::text("Hi! Your order #1042 has shipped."),
        ))
        .await?;
    let first_id = first
        .message_id()
        .cloned()
        .ok_or_else(|| whatsapp_cloud::Error::Config("no message id".into()))?;
    println!("sent text: {first_id}");

    let reply = SendMessage::new(
        target.to.as_str(),
        Text::new("Track it here: https://example.com/track/1042").preview_url(true),
    )
    .reply_to(first_id.clone());
    let second = target.client.send(&reply).await?;
    println!(
        "sent reply quoting {first_id}: {}",
        second.message_id().map_or("?", |id| id.as_str())
    );

    target.print_sent().await;
    Ok(())
}
