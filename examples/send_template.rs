//! Send templates: two body parameters, and an image header with a quick-reply button payload.
//!
//! ```sh
//! cargo run --example send_template
//! ```

#[path = "support/mod.rs"]
mod support;

use whatsapp_cloud::message::{MediaSource, Parameter, SendMessage, Template, TemplateButton};

#[tokio::main]
async fn main() -> Result<(), whatsapp_cloud::Error> {
    let target = support::target().await?;

    let order = Template::new("order_confirmation", "en_US")
        .body([Parameter::text("Jessica"), Parameter::text("SKBUS2")]);
    let sent = target
        .client
        .send(&SendMessage::new(target.to.as_str(), order))
        .await?;
    println!(
        "order_confirmation: {} ({})",
        sent.message_id().map_or("?", |id| id.as_str()),
        sent.messages
            .first()
            .and_then(|m| m.message_status.as_ref())
            .map_or("no pacing status", |s| s.as_str())
    );

    let reminder = Template::new("appointment_reminder", "en_US")
        .header([Parameter::image(MediaSource::link(
            "https://example.com/clinic.jpg",
        ))])
        .body([Parameter::text("Maria"), Parameter::text("June 3 at 10:00")])
        .button(TemplateButton::quick_reply(0, "CONFIRM_APPOINTMENT_8812"));
    let sent = target
        .client
        .send(&SendMessage::new(target.to.as_str(), reminder))
        .await?;
    println!(
        "appointment_reminder: {}",
        sent.message_id().map_or("?", |id| id.as_str())
    );

    target.print_sent().await;
    Ok(())
}
