//! The Groups API on the testing kit, offline: create a group, match its webhook to the request,
//! and send a text to the group.
//!
//! ```sh
//! cargo run --example groups
//! ```
//!
//! Creating a group answers only a request id; the group's id and invite link arrive later in a
//! `group_lifecycle_update` webhook carrying that id. `GroupRequests` keeps what was asked until
//! the webhook comes (or gives up after its time to live).

use std::time::SystemTime;
use whatsapp_cloud::endpoint::groups::{
    CreateGroup, GroupOutcome, GroupRequestKind, GroupRequests, JoinApprovalMode,
};
use whatsapp_cloud::ids::Recipient;
use whatsapp_cloud::message::{Message, SendMessage};
use whatsapp_cloud::policy::unix_seconds;
use whatsapp_cloud::testing::FakeCloudApi;
use whatsapp_cloud::webhook::{SIGNATURE_HEADER, SignatureVerifier};

const APP_SECRET: &str = "groups-example-app-secret";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fake = FakeCloudApi::start().await;
    let client = fake.client()?;

    // 1. Ask for a group; remember the request until its webhook comes (10 minutes at most).
    let mut requests = GroupRequests::new(600);
    let request_id = client
        .create_group(
            &CreateGroup::new("Order 1042: delivery")
                .description("Questions about your delivery")
                .join_approval_mode(JoinApprovalMode::AutoApprove),
        )
        .await?;
    println!("create accepted as request {request_id}");
    requests.register(
        request_id,
        GroupRequestKind::Create,
        "order-1042",
        unix_seconds(SystemTime::now()),
    );

    // 2. The webhook Meta would post, signed with the app secret, checked as a receiver would.
    let delivery = fake
        .take_group_webhooks()
        .ok_or("the fake queued no group webhook")?;
    let (body, signature) = delivery.signed(APP_SECRET);
    SignatureVerifier::new(APP_SECRET)?.verify(&body, Some(&signature))?;
    println!("webhook signature ({SIGNATURE_HEADER}) verified");
    let payload = whatsapp_cloud::webhook::Payload::from_slice(&body)?;
    let mut group = None;
    for event in payload.events() {
        let Some(resolved) = requests.resolve(&event) else {
            continue;
        };
        match resolved.outcome {
            GroupOutcome::Created {
                group_id,
                invite_link,
            } => {
                println!(
                    "{} -> group {group_id} created, invite link {}",
                    resolved.tag,
                    invite_link.as_deref().unwrap_or("(none)")
                );
                group = Some(group_id);
            }
            other => println!("{} -> {other:?}", resolved.tag),
        }
    }
    let group = group.ok_or("no webhook matched the request")?;
    println!("requests still waiting: {}", requests.len());

    // 3. Send a text to the group.
    let sent = client
        .send(&SendMessage::new(
            Recipient::group(group.clone()),
            Message::text("Welcome! Your driver will post updates here."),
        ))
        .await?;
    let sent_id = sent
        .message_id()
        .map(|id| id.to_string())
        .unwrap_or_default();
    println!("text sent to the group: {sent_id}");
    let recorded = fake.sent_messages().await;
    if let Some(first) = recorded.first() {
        println!(
            "the fake recorded {} message(s), to {} with recipient_type {}",
            recorded.len(),
            first.to,
            first.json["recipient_type"]
        );
    }
    Ok(())
}
