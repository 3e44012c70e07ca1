//! The operations a production number needs, offline on the testing kit's fake Cloud API.
//!
//! ```sh
//! cargo run --example operations --features testing
//! ```
//!
//! It subscribes the app to the account's webhooks with a callback override, sets the two-step
//! verification PIN, blocks two users (one of whom has not written in the last 24 hours, so Meta
//! blocks only the other and says why), and creates a QR code with its short link.

use whatsapp_cloud::Recipient;
use whatsapp_cloud::endpoint::operations::{CallbackOverride, CreateQrCode, QrImageFormat};
use whatsapp_cloud::testing::FakeCloudApi;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fake = FakeCloudApi::start().await;
    let client = fake.client()?;

    // The app first, then the account's override (Meta needs the app subscribed before).
    client.subscribe_app(None).await?;
    let callback = CallbackOverride::new("https://hooks.example.com/whatsapp", "override-verify");
    client.subscribe_app(Some(callback)).await?;
    for app in client.subscribed_apps().await? {
        println!(
            "subscribed app {}; account webhooks go to {}",
            app.whatsapp_business_api_data.id,
            app.override_callback_uri
                .as_deref()
                .unwrap_or("the app's URL")
        );
    }

    // The PIN is checked (six digits) before sending and never printed by Debug.
    client.set_two_step_pin("204816").await?;
    println!("two-step verification PIN set");

    // One of these users has not messaged the business in the last 24 hours.
    fake.refuse_to_block("+16315550000");
    let outcome = client
        .block_users([
            Recipient::phone("+16315551234"),
            Recipient::phone("+16315550000"),
        ])
        .await?;
    for user in &outcome.added {
        println!("blocked {}", user.wa_id.as_deref().unwrap_or("?"));
    }
    for user in &outcome.failed {
        for error in &user.errors {
            println!(
                "not blocked {}: error {} ({:?})",
                user.input,
                error.code,
                error.class()
            );
        }
    }
    if let Some(class) = outcome.error_class() {
        println!("request-level error: {class:?}");
    }

    let qr = client
        .create_qr_code(&CreateQrCode::new("I'd like a bouquet").image_format(QrImageFormat::Svg))
        .await?;
    println!(
        "QR code {} opens {} (image {})",
        qr.code,
        qr.deep_link_url.as_deref().unwrap_or("?"),
        qr.qr_image_url.as_deref().unwrap_or("none")
    );
    Ok(())
}
