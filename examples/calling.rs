//! Calling API signalling, offline, on the testing kit: no credentials, no media.
//!
//! ```sh
//! cargo run --example calling --features testing
//! ```
//!
//! 1. The business turns calling on, checks the user's call permission, and places a call: the
//!    fake answers the `connect` with a call id, and the business ends the call.
//! 2. A user calls the business: a signed `calls` webhook brings the user's SDP offer; the
//!    business answers with `pre_accept` then `accept` (the same SDP answer), which also opens the
//!    24-hour window for messages, and later ends the call with `terminate`.
//!
//! The SDP strings stand in for what a WebRTC stack would produce; this crate only carries them.

use serde_json::json;
use whatsapp_cloud::endpoint::calls::ConnectCall;
use whatsapp_cloud::endpoint::settings::{
    CallingSettings, FeatureStatus, UpdatePhoneNumberSettings,
};
use whatsapp_cloud::policy::{
    InMemoryOptOutStore, InMemoryWindowTracker, Keywords, Outgoing, SendGuard, UserKey,
};
use whatsapp_cloud::testing::FakeCloudApi;
use whatsapp_cloud::testing::webhook::DeliveryBuilder;
use whatsapp_cloud::webhook::{Event, Payload, SignatureVerifier};
use whatsapp_cloud::{CallId, Recipient};

const APP_SECRET: &str = "calling-example-secret";
const USER: &str = "14085551234";
const BUSINESS_OFFER: &str = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\n";
const BUSINESS_ANSWER: &str = "v=0\r\no=- 7712208571125006 2 IN IP4 127.0.0.1\r\ns=-\r\n";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fake = FakeCloudApi::start().await;
    let client = fake.client()?;

    // 1. Business-initiated.
    client
        .update_phone_number_settings(&UpdatePhoneNumberSettings::calling(
            CallingSettings::new()
                .status(FeatureStatus::Enabled)
                .callback_permission_status(FeatureStatus::Enabled),
        ))
        .await?;
    println!("calling enabled");
    let user = Recipient::phone(USER);
    let permission = client.call_permissions(user.clone()).await?;
    println!("permission before: {}", permission.permission.status);
    // In production the user grants it by answering a call permission request; here the fake does.
    fake.grant_call_permission(USER, None).await;
    let permission = client.call_permissions(user.clone()).await?;
    println!("permission after: {}", permission.permission.status);
    if permission.can_start_call() {
        let call = client
            .connect_call(
                &ConnectCall::new(user, BUSINESS_OFFER).biz_opaque_callback_data("demo-1"),
            )
            .await?;
        println!("business call ringing: {call}");
        client.terminate_call(call).await?;
        println!("business call terminated");
    }

    // 2. User-initiated: the `calls` webhook, signed as Meta signs it.
    let at = 1_767_225_600;
    let delivery = DeliveryBuilder::new(fake.waba_id(), fake.phone_number_id())
        .change(
            "calls",
            json!({
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "16315550100", "phone_number_id": fake.phone_number_id()},
                "contacts": [{"profile": {"name": "Ana"}, "wa_id": USER}],
                "calls": [{
                    "id": "wacid.HBgLMTQwODU1NTEyMzQVAgARGCAyODRQ",
                    "from": USER, "to": "16315550100", "event": "connect",
                    "timestamp": at.to_string(), "direction": "USER_INITIATED",
                    "session": {"sdp_type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 10.0.0.2\r\n"}
                }]
            }),
        )
        .build();
    let (body, signature) = delivery.signed(APP_SECRET);
    SignatureVerifier::new(APP_SECRET)?.verify(&body, Some(&signature))?;
    let payload = Payload::from_slice(&body)?;

    let guard = SendGuard::new(
        InMemoryWindowTracker::new(1_000),
        InMemoryOptOutStore::new(),
    );
    guard
        .observe_payload(&payload, &Keywords::default())
        .await?;

    for event in payload.events() {
        let Event::Call(call) = event else { continue };
        let call = call.update();
        if !call.is_user_initiated() {
            continue;
        }
        let id = CallId::from(call.id.as_str());
        let offer = call.session.as_ref().map_or("", |s| s.sdp.as_str());
        println!("user call {id} with an SDP offer of {} bytes", offer.len());
        client.pre_accept_call(id.clone(), BUSINESS_ANSWER).await?;
        client.accept_call(id.clone(), BUSINESS_ANSWER).await?;
        println!("user call accepted");
        client.terminate_call(id).await?;
        println!("user call terminated");
    }
    let window = guard
        .check(&UserKey::phone(USER), &Outgoing::FreeForm, at + 60)
        .await;
    println!("free-form reply allowed after the call: {}", window.is_ok());

    let actions: Vec<String> = fake
        .call_actions()
        .await
        .into_iter()
        .map(|a| a.action)
        .collect();
    println!("call actions: {}", actions.join(", "));
    Ok(())
}
