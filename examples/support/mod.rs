//! Shared by the examples: the real API when credentials are set, otherwise the offline fake.

use whatsapp_cloud::Client;
use whatsapp_cloud::testing::FakeCloudApi;

/// Where an example sends: a client, a recipient, and the fake when running offline.
pub struct Target {
    pub client: Client,
    pub to: String,
    pub fake: Option<FakeCloudApi>,
}

/// With `WHATSAPP_ACCESS_TOKEN`, `WHATSAPP_PHONE_NUMBER_ID` and `WHATSAPP_RECIPIENT` set, the real
/// Cloud API; otherwise a fake Cloud API on a local port.
pub async fn target() -> Result<Target, whatsapp_cloud::Error> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    match (
        var("WHATSAPP_ACCESS_TOKEN"),
        var("WHATSAPP_PHONE_NUMBER_ID"),
        var("WHATSAPP_RECIPIENT"),
    ) {
        (Some(token), Some(phone_number_id), Some(to)) => {
            println!("sending through Meta's Cloud API from {phone_number_id} to {to}");
            let mut builder = Client::builder()
                .access_token(token)
                .phone_number_id(phone_number_id);
            if let Some(waba) = var("WHATSAPP_WABA_ID") {
                builder = builder.waba_id(waba);
            }
            Ok(Target {
                client: builder.build()?,
                to,
                fake: None,
            })
        }
        _ => {
            let fake = FakeCloudApi::start().await;
            println!(
                "no credentials set: sending to a fake Cloud API at {}",
                fake.uri()
            );
            Ok(Target {
                client: fake.client()?,
                to: "16315551234".to_owned(),
                fake: Some(fake),
            })
        }
    }
}

#[allow(dead_code)] // not every example prints what the fake received
impl Target {
    /// Prints each message body the fake received (nothing when sending for real).
    pub async fn print_sent(&self) {
        if let Some(fake) = &self.fake {
            for message in fake.sent_messages().await {
                println!("  fake API received: {}", message.json);
            }
        }
    }
}
