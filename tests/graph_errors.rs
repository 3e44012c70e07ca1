//! Every Graph API error body of the conformance corpus, served by a fake Cloud API with Meta's HTTP
//! status for its code, must come back as a fully typed, classified `ApiError`.
//!
//! The corpus is read only through `WHATSAPP_CONFORMANCE_DIR` (see its `INDEX.tsv`): files tagged
//! `graph_error:<code>` are whole response bodies; files under `graph-errors/` are inner error
//! objects, served wrapped in `{"error": ...}`.

use serde_json::{Value, json};
mod common;

use common::corpus_dir;
use whatsapp_cloud::client::{Client, ManualTimer};
use whatsapp_cloud::error::{ErrorClass, RateLimit};
use whatsapp_cloud::message::{Message, SendMessage};
use whatsapp_cloud::retry::RetryPolicy;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "EAAG-graph-errors";
const PHONE: &str = "106540352242922";

/// One Graph error body to serve.
struct Case {
    file: String,
    code: i64,
    body: String,
}

fn cases() -> Vec<Case> {
    let dir = corpus_dir();
    let index = std::fs::read_to_string(dir.join("INDEX.tsv"))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.join("INDEX.tsv").display()));
    let mut cases = Vec::new();
    for line in index.lines().skip(1) {
        let columns: Vec<&str> = line.split('\t').collect();
        let (file, tags) = (columns[0], columns.get(2).copied().unwrap_or(""));
        let whole = tags
            .split(',')
            .find_map(|t| t.trim().strip_prefix("graph_error:"));
        let inner = file.starts_with("graph-errors/");
        if whole.is_none() && !inner {
            continue;
        }
        let text = std::fs::read_to_string(dir.join(file))
            .unwrap_or_else(|e| panic!("cannot read corpus file {file}: {e}"));
        let body = if inner {
            // Wrapped as Meta sends it; the inner object's bytes are kept as they are.
            format!("{{\"error\": {}}}", text.trim())
        } else {
            text
        };
        let value: Value =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{file} is not JSON: {e}"));
        let code = value["error"]["code"]
            .as_i64()
            .unwrap_or_else(|| panic!("{file} has no error.code"));
        if let Some(tagged) = whole {
            assert_eq!(tagged, code.to_string(), "{file}: tag and body disagree");
        }
        cases.push(Case {
            file: file.to_owned(),
            code,
            body,
        });
    }
    cases
}

/// Meta's HTTP status for an error code (Meta's "Error codes" page); 400 otherwise.
fn meta_status(code: i64) -> u16 {
    match code {
        0 | 190 => 401,
        10 | 200..=299 | 368 | 130497 | 131005 | 131031 => 403,
        132001 => 404,
        3 | 131000 | 131016 | 131045 | 131057 | 133000 => 500,
        2 | 133004 => 503,
        _ => 400,
    }
}

/// What each code in the corpus must be classified as.
fn expected_class(code: i64) -> ErrorClass {
    match code {
        100 => ErrorClass::InvalidParameter,
        190 => ErrorClass::AuthInvalid,
        131047 => ErrorClass::OutsideWindow,
        131053 => ErrorClass::Media,
        130429 => ErrorClass::RateLimited(RateLimit::Throughput),
        // Phone-number verification (request/verify code) errors have no class of their own.
        136024 | 136025 => ErrorClass::Other,
        other => panic!("no expected class for code {other}: add it to this table"),
    }
}

fn text(value: &Value) -> Option<&str> {
    value.as_str()
}

#[tokio::test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
async fn every_graph_error_in_the_corpus_is_fully_typed() {
    let cases = cases();
    assert!(
        cases.len() >= 6,
        "expected at least the 6 Graph error bodies of the corpus, found {}",
        cases.len()
    );
    let server = MockServer::start().await;
    let client = Client::builder()
        .access_token(TOKEN)
        .phone_number_id(PHONE)
        .base_url(server.uri())
        .timer(ManualTimer::new())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let send = SendMessage::new("+16315551234", Message::text("Hi"));
    let sent_json = json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "+16315551234",
        "type": "text",
        "text": {"body": "Hi"}
    });

    for case in &cases {
        let status = meta_status(case.code);
        let _mock = Mock::given(method("POST"))
            .and(path(format!("/v26.0/{PHONE}/messages")))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .and(body_json(&sent_json))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("content-type", "application/json")
                    .set_body_string(case.body.clone()),
            )
            .expect(1)
            .named(case.file.as_str())
            .mount_as_scoped(&server)
            .await;

        let error = client.send(&send).await.unwrap_err();
        let file = &case.file;
        let api = error
            .api()
            .unwrap_or_else(|| panic!("{file}: expected an API error, got {error:?}"));
        let expected: Value = serde_json::from_str(&case.body).unwrap();
        let inner = &expected["error"];
        let object = api
            .error
            .as_ref()
            .unwrap_or_else(|| panic!("{file}: the Graph error object was not parsed"));

        assert_eq!(api.status, status, "{file}");
        assert_eq!(api.raw_body, case.body, "{file}: raw body");
        assert_eq!(api.code(), Some(case.code), "{file}");
        assert_eq!(object.code, case.code, "{file}");
        assert_eq!(api.subcode(), inner["error_subcode"].as_i64(), "{file}");
        assert_eq!(object.kind.as_deref(), text(&inner["type"]), "{file}");
        assert_eq!(
            object.message,
            text(&inner["message"]).unwrap_or_default(),
            "{file}"
        );
        assert_eq!(object.title.as_deref(), text(&inner["title"]), "{file}");
        assert_eq!(
            api.details(),
            text(&inner["error_data"]["details"]),
            "{file}"
        );
        assert_eq!(
            object.fbtrace_id.as_deref(),
            text(&inner["fbtrace_id"]),
            "{file}"
        );
        assert_eq!(
            object.error_user_title.as_deref(),
            text(&inner["error_user_title"]),
            "{file}"
        );
        assert_eq!(
            object.error_user_msg.as_deref(),
            text(&inner["error_user_msg"]),
            "{file}"
        );
        assert_eq!(
            object.is_transient,
            inner["is_transient"].as_bool(),
            "{file}"
        );
        assert_eq!(object.href.as_deref(), text(&inner["href"]), "{file}");
        // Nothing Meta sent is lost: the object serializes back to what was received.
        assert_eq!(serde_json::to_value(object).unwrap(), *inner, "{file}");

        let class = expected_class(case.code);
        assert_eq!(api.class(), class, "{file}");
        assert_eq!(error.class(), Some(class), "{file}");
        assert_eq!(error.is_retryable(), class.is_retryable(), "{file}");
        assert!(!error.may_have_been_sent(), "{file}");

        let shown = error.to_string();
        assert!(shown.contains(&case.code.to_string()), "{file}: {shown}");
        assert!(shown.contains(&format!("HTTP {status}")), "{file}: {shown}");
        if let Some(trace) = text(&inner["fbtrace_id"]) {
            assert!(shown.contains(trace), "{file}: {shown}");
        }
        if let Some(details) = text(&inner["error_data"]["details"]) {
            assert!(shown.contains(details), "{file}: {shown}");
        }
        assert!(!shown.contains(TOKEN));
    }
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn the_corpus_holds_both_kinds_of_graph_error_files() {
    let cases = cases();
    let whole = cases
        .iter()
        .filter(|c| !c.file.starts_with("graph-errors/"))
        .count();
    let inner = cases.len() - whole;
    assert!(whole >= 3, "whole Graph error bodies found: {whole}");
    assert!(inner >= 3, "inner error objects found: {inner}");
    let codes: Vec<i64> = cases.iter().map(|c| c.code).collect();
    for code in [100, 190, 131047, 131053] {
        assert!(codes.contains(&code), "code {code} missing from {codes:?}");
    }
}
