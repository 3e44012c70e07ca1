//! The data endpoint of a WhatsApp Flow on axum: checks `X-Hub-Signature-256`, decrypts each
//! request, answers `INIT`, `data_exchange`, `BACK`, pings and error notifications, encrypts the
//! reply, and maps every error to the status Meta expects (421, 427, 432, ...).
//!
//! ```sh
//! cargo run --example flow_endpoint             # self-check: posts encrypted requests to itself, exits
//! cargo run --example flow_endpoint -- --serve  # keeps serving POST /flow on $PORT (default 8080)
//! ```
//!
//! With `--serve`, the key comes from `FLOW_PRIVATE_KEY` (a PEM file path; passphrase in
//! `FLOW_PRIVATE_KEY_PASSPHRASE`) and the app secret from `WHATSAPP_APP_SECRET`; without them, the
//! test key and secret of `tests/fixtures/flows/` are used (never in production).

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use whatsapp_cloud::AppSecret;
use whatsapp_cloud::flows::{
    FlowAction, FlowError, FlowPrivateKey, FlowReply, NextScreen, Success,
};
use whatsapp_cloud::webhook::{SIGNATURE_HEADER, SignatureVerifier};

/// The test key, secret and requests (encrypted by an independent implementation).
const TEST_KEY: &str = include_str!("../tests/fixtures/flows/key_pkcs8.pem");
const TEST_VECTORS: &str = include_str!("../tests/fixtures/flows/vectors.json");

struct Endpoint {
    key: FlowPrivateKey,
    verifier: SignatureVerifier,
    app_secret: AppSecret,
    /// Flow tokens whose booking is complete: a second submit gets 427.
    completed: Mutex<HashSet<String>>,
}

impl Endpoint {
    /// One request: `Ok(encrypted reply)` for a 200, or the error whose status to answer.
    fn handle(&self, headers: &HeaderMap, body: &[u8]) -> Result<String, FlowError> {
        let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
        self.verifier.verify(body, signature)?; // 432
        let decrypted = self.key.decrypt_request(body)?; // 421, or 400 for a malformed body
        let request = decrypted.request();
        if let Some(reply) = request.automatic_reply() {
            if let Some(error) = request.error_notification() {
                eprintln!(
                    "the client reported {}: {:?}",
                    error.error, error.error_message
                );
            }
            return decrypted.encrypt_response(&reply); // ping, error acknowledgement
        }
        if request.flow_token_signature.is_some() {
            request.verify_flow_token_signature(&self.app_secret)?; // 432
        }
        let token = request.flow_token.clone().unwrap_or_default();
        if self.completed_contains(&token) {
            return Err(FlowError::flow_token_no_longer_valid(Some(
                "This booking is already complete",
            ))); // 427
        }
        let reply: FlowReply = match &request.action {
            FlowAction::Init => NextScreen::new("APPOINTMENT")
                .field("department", json!([{"id": "beauty", "title": "Beauty"}]))
                .into(),
            FlowAction::DataExchange => {
                // A real endpoint books the slot in request.data here.
                self.complete(&token);
                Success::new(token).param("appointment_id", "A-1042").into()
            }
            // The user came back to the details screen: refill it, with a hint.
            FlowAction::Back => NextScreen::new("DETAILS")
                .field("name", "Ana")
                .error_message("Please pick a time")
                .into(),
            // Anything newer: show the screen again.
            _ => NextScreen::new(request.screen.clone().unwrap_or_default()).into(),
        };
        decrypted.encrypt_response(&reply)
    }

    fn completed_contains(&self, token: &str) -> bool {
        self.completed
            .lock()
            .map(|set| set.contains(token))
            .unwrap_or(false)
    }

    fn complete(&self, token: &str) {
        if let Ok(mut set) = self.completed.lock() {
            set.insert(token.to_owned());
        }
    }
}

async fn flow(State(endpoint): State<Arc<Endpoint>>, headers: HeaderMap, body: Bytes) -> Response {
    match endpoint.handle(&headers, &body) {
        Ok(reply) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain")],
            reply,
        )
            .into_response(),
        Err(e) => {
            eprintln!("answering {}: {e}", e.http_status());
            let status =
                StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            match e.response_body() {
                Some(body) => {
                    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
                }
                None => status.into_response(),
            }
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let serve = std::env::args().any(|a| a == "--serve");
    let vectors: Value = serde_json::from_str(TEST_VECTORS)?;
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let key = match var("FLOW_PRIVATE_KEY").filter(|_| serve) {
        Some(path) => FlowPrivateKey::from_pem(
            &std::fs::read_to_string(path)?,
            var("FLOW_PRIVATE_KEY_PASSPHRASE").as_deref(),
        )?,
        None => FlowPrivateKey::from_pem(TEST_KEY, None)?,
    };
    let app_secret = match var("WHATSAPP_APP_SECRET").filter(|_| serve) {
        Some(secret) => AppSecret::new(secret),
        None => AppSecret::new(vectors["app_secret"].as_str().unwrap_or_default()),
    };
    let endpoint = Arc::new(Endpoint {
        verifier: SignatureVerifier::from_app_secret(&app_secret)?,
        key,
        app_secret: app_secret.clone(),
        completed: Mutex::new(HashSet::new()),
    });
    println!(
        "upload this public key once per phone number:\n{}",
        endpoint.key.public_key_pem()
    );

    let port = if serve {
        var("PORT").and_then(|p| p.parse().ok()).unwrap_or(8080)
    } else {
        0
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let app = Router::new()
        .route("/flow", post(flow))
        .with_state(endpoint);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    println!("listening on http://{addr}/flow");
    if serve {
        tokio::signal::ctrl_c().await?;
        return Ok(());
    }

    // Self-check: post what the WhatsApp client would, signed as Meta signs it.
    let http = reqwest::Client::new();
    let url = format!("http://{addr}/flow");
    let secret = app_secret.expose_secret().to_owned();
    let post = |body: String, signature: String| {
        http.post(&url)
            .header(SIGNATURE_HEADER, signature)
            .body(body)
            .send()
    };
    let empty = Vec::new();
    let cases = vectors["vectors"].as_array().unwrap_or(&empty);
    for name in [
        "init",
        "ping",
        "error_notification",
        "back",
        "data_exchange",
        "data_exchange",
    ] {
        let Some(vector) = cases.iter().find(|v| v["name"] == name) else {
            return Err(format!("no test vector {name}").into());
        };
        let body = vector["body"].as_str().unwrap_or_default().to_owned();
        let signature = whatsapp_cloud::webhook::sign(&secret, body.as_bytes());
        let response = post(body, signature).await?;
        let status = response.status().as_u16();
        let text = response.text().await?;
        if status == 200 {
            let same = vector["reply_encrypted"].as_str() == Some(text.as_str());
            println!("{name} -> 200, reply identical to the independent implementation's: {same}");
        } else {
            println!("{name} -> {status} {text}");
        }
    }
    // A tampered GCM tag, and a wrong signature.
    let init = cases
        .iter()
        .find(|v| v["name"] == "init")
        .cloned()
        .unwrap_or_default();
    let body = init["body"].as_str().unwrap_or_default().to_owned();
    let mut envelope: Value = serde_json::from_str(&body)?;
    let mut data = STANDARD.decode(envelope["encrypted_flow_data"].as_str().unwrap_or_default())?;
    if let Some(last) = data.last_mut() {
        *last ^= 1;
    }
    envelope["encrypted_flow_data"] = json!(STANDARD.encode(data));
    let tampered = envelope.to_string();
    let signature = whatsapp_cloud::webhook::sign(&secret, tampered.as_bytes());
    let status = post(tampered, signature).await?.status().as_u16();
    println!("tampered request -> {status}");
    let forged = whatsapp_cloud::webhook::sign("another-secret", body.as_bytes());
    println!(
        "wrong signature -> {}",
        post(body, forged).await?.status().as_u16()
    );
    server.abort();
    Ok(())
}
