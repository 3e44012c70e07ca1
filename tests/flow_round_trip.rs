//! The offline demo's Flow round trip, run on its own: the Flow message reaches the fake, the
//! endpoint's replies decrypt on the client's side with the inverted IV, and the completion webhook
//! carries the parameters of the `SUCCESS` reply.
#![cfg(all(feature = "testing", feature = "flows"))]

#[path = "../examples/support/flow_round_trip.rs"]
mod flow_round_trip;

use serde_json::json;
use whatsapp_cloud::flows::{FlowReply, NextScreen};
use whatsapp_cloud::testing::flows::{FlowClient, generate_flow_key};
use whatsapp_cloud::testing::webhook::DeliveryBuilder;
use whatsapp_cloud::testing::{FakeCloudApi, RecordedKind};
use whatsapp_cloud::webhook::SignatureVerifier;

#[tokio::test]
async fn the_demo_flow_round_trip_decrypts_each_reply_and_reads_the_completion() {
    let fake = FakeCloudApi::start().await;
    let client = fake.client().unwrap();
    let delivery = DeliveryBuilder::new(fake.waba_id(), fake.phone_number_id());
    let trip = flow_round_trip::run(&client, "16315551234", delivery, "test-secret")
        .await
        .unwrap();

    let sent = fake.sent_messages().await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "16315551234");
    assert_eq!(
        sent[0].kind,
        RecordedKind::Interactive {
            interactive_type: "flow".into(),
            body: Some("Pick a date for your visit.".into()),
            choices: Vec::new(),
        }
    );
    let body = &sent[0].json;
    assert_eq!(body["interactive"]["type"], "flow");
    assert_eq!(
        body["interactive"]["action"]["parameters"]["flow_token"],
        flow_round_trip::FLOW_TOKEN
    );

    assert_eq!(
        trip.next_screen,
        json!({"screen": "CONFIRM", "data": {"date": "2026-12-02", "slots": ["09:00", "11:30", "16:00"]}})
    );
    assert_eq!(
        trip.success,
        json!({"screen": "SUCCESS", "data": {"extension_message_response": {"params": {
            "flow_token": "booking-42", "appointment_id": "A-1042"}}}})
    );
    assert_eq!(
        trip.completion,
        json!({"flow_token": "booking-42", "appointment_id": "A-1042"})
    );
    assert_eq!(trip.lines.len(), 7, "{:#?}", trip.lines);
}

#[test]
fn the_demo_endpoint_answers_the_status_meta_expects() {
    let key = generate_flow_key().unwrap();
    let verifier = SignatureVerifier::new("s").unwrap();
    let sign = |b: &[u8]| whatsapp_cloud::testing::webhook::sign(b"s", b);
    let client = FlowClient::new(&key.public_key_pem()).unwrap();

    // A ping gets the automatic reply.
    let ping = client
        .encrypt_request(&json!({"version": "3.0", "action": "ping"}))
        .unwrap();
    let reply =
        flow_round_trip::endpoint(&key, &verifier, ping.body(), &sign(ping.body())).unwrap();
    assert_eq!(
        ping.decrypt_response(&reply).unwrap(),
        json!({"data": {"status": "active"}})
    );

    // A request for another key cannot be decrypted: 421.
    let other = generate_flow_key().unwrap();
    let foreign = FlowClient::new(&other.public_key_pem())
        .unwrap()
        .encrypt_request(&json!({"version": "3.0", "action": "INIT", "flow_token": "t"}))
        .unwrap();
    assert_eq!(
        flow_round_trip::endpoint(&key, &verifier, foreign.body(), &sign(foreign.body())),
        Err(421)
    );

    // A body that is not Meta's envelope: 400.
    assert_eq!(
        flow_round_trip::endpoint(&key, &verifier, b"{}", &sign(b"{}")),
        Err(400)
    );
}

#[test]
fn a_reply_decrypts_only_for_the_request_it_answers() {
    let key = generate_flow_key().unwrap();
    let client = FlowClient::new(&key.public_key_pem()).unwrap();
    let request = client
        .encrypt_request(&json!({"version": "3.0", "action": "INIT", "flow_token": "t"}))
        .unwrap();
    let decrypted = key.decrypt_request(request.body()).unwrap();
    let good = decrypted
        .encrypt_response(&FlowReply::from(NextScreen::new("A")))
        .unwrap();
    assert_eq!(
        request.decrypt_response(&good).unwrap(),
        json!({"screen": "A", "data": {}})
    );

    // The same reply from an unrelated exchange (another key and IV) fails authentication.
    let other = client
        .encrypt_request(&json!({"version": "3.0", "action": "INIT", "flow_token": "t"}))
        .unwrap();
    assert!(matches!(
        other.decrypt_response(&good),
        Err(whatsapp_cloud::flows::FlowError::Decrypt(_))
    ));
    assert!(request.decrypt_response("not base64!").is_err());
    assert!(
        FlowClient::new("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").is_err()
    );
    assert!(FlowClient::new("no pem").is_err());
}

#[test]
fn the_flow_client_matches_the_committed_independent_key() {
    // The committed public key (made by openssl) encrypts requests the committed private key reads.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/flows");
    let public = std::fs::read_to_string(dir.join("public_key.pem")).unwrap();
    let private = std::fs::read_to_string(dir.join("key_pkcs8.pem")).unwrap();
    let key = whatsapp_cloud::flows::FlowPrivateKey::from_pem(&private, None).unwrap();
    let request = FlowClient::new(&public)
        .unwrap()
        .encrypt_request(&json!({"version": "3.0", "action": "INIT", "flow_token": "fx"}))
        .unwrap();
    let decrypted = key.decrypt_request(request.body()).unwrap();
    assert_eq!(decrypted.request().flow_token.as_deref(), Some("fx"));
}
