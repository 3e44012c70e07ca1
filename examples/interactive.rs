//! Interactive messages: three reply buttons, and the two-section support menu list.
//!
//! ```sh
//! cargo run --example interactive
//! ```

#[path = "support/mod.rs"]
mod support;

use whatsapp_cloud::message::{Header, Interactive, ReplyButton, Row, Section, SendMessage};

#[tokio::main]
async fn main() -> Result<(), whatsapp_cloud::Error> {
    let target = support::target().await?;

    let buttons = Interactive::buttons(
        "What would you like to do?",
        [
            ReplyButton::new("track_order", "Track my order"),
            ReplyButton::new("change_address", "Change address"),
            ReplyButton::new("talk_to_agent", "Talk to a person"),
        ],
    )
    .footer("We usually reply within minutes");
    let sent = target
        .client
        .send(&SendMessage::new(target.to.as_str(), buttons))
        .await?;
    println!(
        "buttons: {}",
        sent.message_id().map_or("?", |id| id.as_str())
    );

    let menu = Interactive::list(
        "Choose a topic and we'll take it from there.",
        "Support menu",
        [
            Section::new(
                "Orders",
                [
                    Row::new("order_status", "Order status").description("Where is my parcel?"),
                    Row::new("order_return", "Return an item")
                        .description("Start a return or exchange"),
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
    .header(Header::text("Support"))
    .footer("Available 8:00-20:00");
    let sent = target
        .client
        .send(&SendMessage::new(target.to.as_str(), menu))
        .await?;
    println!("list: {}", sent.message_id().map_or("?", |id| id.as_str()));

    // Limits are checked before anything is sent: a fourth button is refused locally.
    let too_many = Interactive::buttons(
        "Pick one",
        ["a", "b", "c", "d"].map(|id| ReplyButton::new(id, id.to_uppercase())),
    );
    match target
        .client
        .send(&SendMessage::new(target.to.as_str(), too_many))
        .await
    {
        Err(whatsapp_cloud::Error::Validation(e)) => println!("refused before sending: {e}"),
        other => println!("unexpected: {other:?}"),
    }

    target.print_sent().await;
    Ok(())
}
