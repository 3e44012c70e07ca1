//! Helpers shared by the integration tests: the repository's own fixtures (`tests/fixtures`) and the
//! external conformance corpus of real payloads.
//!
//! Tests that read the corpus are marked
//! `#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]`, so a fresh clone runs
//! everything else; run them with
//! `WHATSAPP_CONFORMANCE_DIR=/path/to/conformance cargo test --all-features -- --include-ignored`.
#![allow(dead_code)] // each test binary uses its own subset

use serde_json::Value;
use std::path::PathBuf;

/// The bytes of `tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()))
}

/// `tests/fixtures/<rel>` as JSON.
pub fn fixture_json(rel: &str) -> Value {
    serde_json::from_slice(&fixture(rel))
        .unwrap_or_else(|e| panic!("fixture {rel} is not JSON: {e}"))
}

/// The conformance corpus: the folder `WHATSAPP_CONFORMANCE_DIR` names (the one holding `INDEX.tsv`).
/// Fails the test when it is unset or missing, so a run that asked for the corpus tests never passes
/// without them.
pub fn corpus_dir() -> PathBuf {
    match std::env::var_os("WHATSAPP_CONFORMANCE_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            assert!(
                dir.join("INDEX.tsv").is_file(),
                "WHATSAPP_CONFORMANCE_DIR={} holds no INDEX.tsv: point it at the conformance corpus",
                dir.display()
            );
            dir
        }
        _ => panic!(
            "WHATSAPP_CONFORMANCE_DIR is not set: this test needs the conformance corpus; \
             set it to the corpus folder (the one holding INDEX.tsv)"
        ),
    }
}

/// The bytes of `<corpus>/<rel>`.
pub fn corpus(rel: &str) -> Vec<u8> {
    let path = corpus_dir().join(rel);
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("cannot read corpus file {}: {e}", path.display()))
}

/// `<corpus>/<rel>` as JSON.
pub fn corpus_json(rel: &str) -> Value {
    serde_json::from_slice(&corpus(rel))
        .unwrap_or_else(|e| panic!("corpus file {rel} is not JSON: {e}"))
}

/// A client builder for a mock Cloud API at `server`: the access token `token`, the phone number id
/// `phone` and, when given, the WABA id `waba`; no retries and a manual timer, so a test never
/// waits.
pub fn mock_client(
    server: &wiremock::MockServer,
    token: &str,
    phone: &str,
    waba: Option<&str>,
) -> whatsapp_cloud::client::ClientBuilder {
    let builder = whatsapp_cloud::Client::builder()
        .access_token(token)
        .phone_number_id(phone)
        .base_url(server.uri())
        .retry_policy(whatsapp_cloud::retry::RetryPolicy::none())
        .timer(whatsapp_cloud::client::ManualTimer::new());
    match waba {
        Some(waba) => builder.waba_id(waba),
        None => builder,
    }
}

/// Matches `Authorization: Bearer <token>`.
pub fn bearer(token: &str) -> wiremock::matchers::HeaderExactMatcher {
    wiremock::matchers::header("authorization", format!("Bearer {token}").as_str())
}

/// A 200 answer whose body is `tests/fixtures/api/<name>`.
pub fn api_answer(name: &str) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(200).set_body_bytes(fixture(&format!("api/{name}")))
}
