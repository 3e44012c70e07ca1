//! A WhatsApp Flow end to end, offline: the bot sends a Flow message, the WhatsApp client posts
//! encrypted data requests to the business's Flow endpoint (simulated with the testing kit's
//! `FlowClient`, which encrypts exactly as the client does), the endpoint decrypts and answers them,
//! and the completion arrives as a signed `interactive.nfm_reply` webhook.

use serde_json::{Value, json};
use whatsapp_cloud::Client;
use whatsapp_cloud::flows::{
    FlowAction, FlowError, FlowPrivateKey, FlowReply, NextScreen, Success,
};
use whatsapp_cloud::message::{Flow, FlowMode, Interactive, SendMessage};
use whatsapp_cloud::testing::flows::{FlowClient, generate_flow_key};
use whatsapp_cloud::testing::webhook::DeliveryBuilder;
use whatsapp_cloud::webhook::{
    Event, InteractiveReply, MessageContent, Payload, SIGNATURE_HEADER, SignatureVerifier,
};

/// The token the Flow message carries; every request and the completion echo it.
pub const FLOW_TOKEN: &str = "booking-42";

/// What the round trip printed, and what the client read back (the demo prints the lines; the
/// test `tests/flow_round_trip.rs` checks the values).
#[derive(Debug)]
#[allow(dead_code)] // the demo reads only `lines`
pub struct RoundTrip {
    /// One line per step, as the demo prints them.
    pub lines: Vec<String>,
    /// The endpoint's first reply, decrypted on the client's side.
    pub next_screen: Value,
    /// The endpoint's final reply, decrypted on the client's side.
    pub success: Value,
    /// The parameters of the completion webhook (`nfm_reply.response_json`).
    pub completion: Value,
}

/// The business's Flow endpoint: checks the signature, decrypts, answers, encrypts. `Err` carries the
/// HTTP status to answer with.
pub fn endpoint(
    key: &FlowPrivateKey,
    verifier: &SignatureVerifier,
    body: &[u8],
    signature: &str,
) -> Result<String, u16> {
    let answer = || -> Result<String, FlowError> {
        verifier
            .verify(body, Some(signature))
            .map_err(|e| FlowError::SignatureFailed(e.to_string()))?;
        let decrypted = key.decrypt_request(body)?;
        let request = decrypted.request();
        if let Some(reply) = request.automatic_reply() {
            return decrypted.encrypt_response(&reply);
        }
        let token = request.flow_token.clone().unwrap_or_default();
        let reply: FlowReply = match (&request.action, request.screen.as_deref()) {
            (FlowAction::DataExchange, Some("APPOINTMENT")) => {
                let date = request
                    .data_field("date")
                    .and_then(Value::as_str)
                    .unwrap_or("?");
                NextScreen::new("CONFIRM")
                    .field("date", date)
                    .field("slots", json!(["09:00", "11:30", "16:00"]))
                    .into()
            }
            (FlowAction::DataExchange, Some("CONFIRM")) => {
                Success::new(token).param("appointment_id", "A-1042").into()
            }
            _ => NextScreen::new("APPOINTMENT").into(),
        };
        decrypted.encrypt_response(&reply)
    };
    answer().map_err(|e| e.http_status())
}

/// Runs the round trip against `client` (the fake Cloud API in the demo), sending to `to`.
///
/// # Errors
/// Any step that does not behave as Meta specifies.
pub async fn run(
    client: &Client,
    to: &str,
    delivery: DeliveryBuilder,
    app_secret: &str,
) -> Result<RoundTrip, Box<dyn std::error::Error>> {
    let mut lines = Vec::new();
    let key = generate_flow_key()?;
    let verifier = SignatureVerifier::new(app_secret)?;
    lines.push(format!(
        "business key pair made ({}-bit RSA); the WhatsApp client encrypts with its public half",
        key.bits()
    ));

    let flow = Flow::by_id("1184826846258457", "Book a visit")
        .mode(FlowMode::Draft)
        .flow_token(FLOW_TOKEN)
        .navigate("APPOINTMENT");
    let sent = client
        .send(&SendMessage::new(
            to,
            Interactive::flow("Pick a date for your visit.", flow),
        ))
        .await?;
    let wamid = sent.message_id().map_or("?", |id| id.as_str()).to_owned();
    lines.push(format!(
        "Flow message sent with flow token {FLOW_TOKEN}: accepted as {wamid}"
    ));

    let whatsapp = FlowClient::new(&key.public_key_pem())?;
    let sign = |body: &[u8]| whatsapp_cloud::testing::webhook::sign(app_secret.as_bytes(), body);

    // The user picks a date: the client posts a data_exchange from screen APPOINTMENT.
    let request = whatsapp.encrypt_request(&json!({
        "version": "3.0", "action": "data_exchange", "screen": "APPOINTMENT",
        "data": {"date": "2026-12-02"}, "flow_token": FLOW_TOKEN,
    }))?;
    let tampered = request.tampered_body();
    match endpoint(&key, &verifier, &tampered, &sign(&tampered)) {
        Err(421) => lines.push(
            "tampered request refused: 421 (the client refetches the key and retries)".into(),
        ),
        other => return Err(format!("a tampered request gave {other:?}, not 421").into()),
    }
    let reply = endpoint(&key, &verifier, request.body(), &sign(request.body()))
        .map_err(|status| format!("the endpoint answered {status}"))?;
    let next_screen = request.decrypt_response(&reply)?;
    if next_screen["screen"] != "CONFIRM" || next_screen["data"]["date"] != "2026-12-02" {
        return Err(format!("unexpected reply {next_screen}").into());
    }
    lines.push(format!(
        "encrypted data request answered; the client decrypts (inverted IV): screen {} with {} slots",
        next_screen["screen"],
        next_screen["data"]["slots"].as_array().map_or(0, Vec::len)
    ));

    // The user confirms: the endpoint closes the Flow with SUCCESS.
    let request = whatsapp.encrypt_request(&json!({
        "version": "3.0", "action": "data_exchange", "screen": "CONFIRM",
        "data": {"slot": "11:30"}, "flow_token": FLOW_TOKEN,
    }))?;
    let reply = endpoint(&key, &verifier, request.body(), &sign(request.body()))
        .map_err(|status| format!("the endpoint answered {status}"))?;
    let success = request.decrypt_response(&reply)?;
    let params = &success["data"]["extension_message_response"]["params"];
    if success["screen"] != "SUCCESS" || params["flow_token"] != FLOW_TOKEN {
        return Err(format!("unexpected final reply {success}").into());
    }
    lines.push(format!(
        "confirmation answered with SUCCESS and params {params}"
    ));
    match endpoint(&key, &verifier, request.body(), "sha256=00") {
        Err(432) => lines.push("a request with a wrong signature refused: 432".into()),
        other => return Err(format!("a badly signed request gave {other:?}, not 432").into()),
    }

    // WhatsApp sends the completion to the webhook: interactive.nfm_reply.
    let delivery = delivery
        .message(
            to,
            "Maria",
            "interactive",
            json!({"type": "nfm_reply", "nfm_reply": {
                "name": "flow", "body": "Sent", "response_json": params.to_string()}}),
            json!({"context": {"from": "15550783881", "id": wamid}}),
        )
        .build();
    let (body, signature) = delivery.signed(app_secret);
    verifier.verify(&body, Some(&signature))?;
    let payload = Payload::from_slice(&body)?;
    let completion = payload
        .events()
        .find_map(|event| match event {
            Event::Message(m) => match m.content() {
                MessageContent::Interactive(InteractiveReply::FlowReply(reply)) => {
                    reply.response().ok()
                }
                _ => None,
            },
            _ => None,
        })
        .ok_or("the delivery held no nfm_reply")?;
    lines.push(format!(
        "completion webhook ({SIGNATURE_HEADER} checked): nfm_reply with flow token {} and appointment {}",
        completion["flow_token"], completion["appointment_id"]
    ));
    Ok(RoundTrip {
        lines,
        next_screen,
        success,
        completion,
    })
}
