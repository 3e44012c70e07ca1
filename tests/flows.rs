//! The Flow data endpoint against vectors made by an independent implementation (Python's
//! `cryptography` and the `openssl` command: tests/fixtures/flows/generate.py), and the business
//! public key endpoints against a fake Cloud API.
#![cfg(feature = "flows")]

use serde_json::{Value, json};
use whatsapp_cloud::AppSecret;
use whatsapp_cloud::flows::{
    CONVERT_LEGACY_PEM_COMMAND, DecryptProblem, FlowAction, FlowError, FlowPrivateKey, FlowReply,
    KeyProblem, NextScreen, Success,
};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/flows/");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}{name}")).unwrap()
}

fn vectors() -> Value {
    serde_json::from_str(&fixture("vectors.json")).unwrap()
}

fn vector(name: &str) -> Value {
    vectors()["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no vector {name}"))
        .clone()
}

fn passphrase() -> String {
    vectors()["passphrase"].as_str().unwrap().to_owned()
}

fn key() -> FlowPrivateKey {
    FlowPrivateKey::from_pem(&fixture("key_pkcs8.pem"), None).unwrap()
}

fn body(name: &str) -> Vec<u8> {
    vector(name)["body"].as_str().unwrap().as_bytes().to_vec()
}

/// The body of vector `name` with one envelope field replaced.
fn body_with(name: &str, field: &str, value: &str) -> Vec<u8> {
    let mut envelope: Value = serde_json::from_slice(&body(name)).unwrap();
    envelope[field] = json!(value);
    serde_json::to_vec(&envelope).unwrap()
}

fn b64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

fn b64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The reply the crate's builders make for each vector, which the script encrypted too.
fn reply_for(name: &str) -> FlowReply {
    match name {
        "init" => NextScreen::new("APPOINTMENT")
            .field("department", json!([{"id": "beauty", "title": "Beauty"}]))
            .into(),
        "data_exchange" => Success::new("flowtoken-7f3a")
            .param("appointment_id", "A-1042")
            .into(),
        "back" => NextScreen::new("DETAILS")
            .field("name", "Ana")
            .error_message("Please pick a time")
            .into(),
        "ping" => FlowReply::ping(),
        "error_notification" => FlowReply::error_acknowledged(),
        "navigate" => NextScreen::new("WELCOME").into(),
        other => panic!("no reply for {other}"),
    }
}

const ANSWERED: &[&str] = &[
    "init",
    "data_exchange",
    "back",
    "ping",
    "error_notification",
    "navigate",
];

#[test]
fn every_vector_decrypts_round_trips_and_its_reply_matches_the_scripts_ciphertext() {
    let key = key();
    for name in ANSWERED {
        let v = vector(name);
        let decrypted = key.decrypt_request(&body(name)).unwrap();
        let expected: Value = serde_json::from_str(v["request"].as_str().unwrap()).unwrap();
        // The typed request serializes back to the decrypted JSON, unknown fields included.
        assert_eq!(
            serde_json::to_value(decrypted.request()).unwrap(),
            expected,
            "{name}"
        );
        let reply = reply_for(name);
        assert_eq!(
            serde_json::to_string(&reply).unwrap(),
            v["reply"].as_str().unwrap(),
            "{name}: builder output"
        );
        // AES-128-GCM with the inverted IV is deterministic: byte for byte the script's ciphertext.
        assert_eq!(
            decrypted.encrypt_response(&reply).unwrap(),
            v["reply_encrypted"].as_str().unwrap(),
            "{name}: encrypted reply"
        );
    }
}

#[test]
fn requests_are_typed() {
    let key = key();
    let init = key.decrypt_request(&body("init")).unwrap();
    let init = init.request();
    assert_eq!(init.action, FlowAction::Init);
    assert_eq!(init.flow_token.as_deref(), Some("flowtoken-7f3a"));
    assert_eq!((init.screen.as_ref(), init.data.as_ref()), (None, None));
    assert_eq!(init.automatic_reply(), None);

    let exchange = key.decrypt_request(&body("data_exchange")).unwrap();
    let exchange = exchange.request();
    assert_eq!(exchange.action, FlowAction::DataExchange);
    assert_eq!(exchange.screen.as_deref(), Some("APPOINTMENT"));
    assert_eq!(exchange.data_field("department"), Some(&json!("beauty")));
    assert!(exchange.flow_token_signature.is_some());
    assert_eq!(
        exchange.extra.get("client_hint"),
        Some(&json!({"platform": "android"}))
    );
    assert_eq!(exchange.error_notification(), None);

    let ping = key.decrypt_request(&body("ping")).unwrap();
    assert_eq!(ping.request().action, FlowAction::Ping);
    assert_eq!(ping.request().automatic_reply(), Some(FlowReply::Ping));

    let error = key.decrypt_request(&body("error_notification")).unwrap();
    let notification = error.request().error_notification().unwrap();
    assert_eq!(notification.error, "invalid-screen-transition");
    assert_eq!(notification.error_message, Some("SUMMARY is not reachable"));
    assert_eq!(
        error.request().automatic_reply(),
        Some(FlowReply::ErrorAcknowledged)
    );

    let back = key.decrypt_request(&body("back")).unwrap();
    assert_eq!(back.request().action, FlowAction::Back);

    let navigate = key.decrypt_request(&body("navigate")).unwrap();
    assert_eq!(
        navigate.request().action,
        FlowAction::Unknown("navigate".to_owned())
    );
}

#[test]
fn a_request_without_action_is_a_400() {
    let err = key().decrypt_request(&body("no_action")).unwrap_err();
    assert!(matches!(err, FlowError::InvalidRequest(_)), "{err:?}");
    assert_eq!(err.http_status(), 400);
}

#[test]
fn every_key_format_loads_the_same_key() {
    let public = fixture("public_key.pem");
    let keys = [
        FlowPrivateKey::from_pem(&fixture("key_pkcs8.pem"), None).unwrap(),
        FlowPrivateKey::from_pem(&fixture("key_pkcs1.pem"), None).unwrap(),
        FlowPrivateKey::from_pem(&fixture("key_encrypted_pkcs8.pem"), Some(&passphrase())).unwrap(),
        // A passphrase given for an unencrypted key is ignored.
        FlowPrivateKey::from_pem(&fixture("key_pkcs8.pem"), Some("unused")).unwrap(),
    ];
    for key in keys {
        assert_eq!(key.bits(), 2048);
        assert_eq!(key.public_key_pem(), public);
        let decrypted = key.decrypt_request(&body("ping")).unwrap();
        assert_eq!(decrypted.request().action, FlowAction::Ping);
    }
}

#[test]
fn pem_with_crlf_line_ends_and_surrounding_text_loads() {
    let pem = format!(
        "Bag Attributes: none\r\n{}trailing notes\r\n",
        fixture("key_pkcs1.pem").replace('\n', "\r\n")
    );
    let key = FlowPrivateKey::from_pem(&pem, None).unwrap();
    assert_eq!(key.public_key_pem(), fixture("public_key.pem"));
    let request = key.decrypt_request(&body("init")).unwrap().into_request();
    assert_eq!(request.action, FlowAction::Init);
}

#[test]
fn a_legacy_encrypted_pem_names_the_conversion_command() {
    let err =
        FlowPrivateKey::from_pem(&fixture("key_legacy_des3.pem"), Some(&passphrase())).unwrap_err();
    assert_eq!(err, FlowError::Key(KeyProblem::LegacyEncryptedPem));
    assert!(
        err.to_string().contains(CONVERT_LEGACY_PEM_COMMAND),
        "{err}"
    );
    assert_eq!(
        CONVERT_LEGACY_PEM_COMMAND,
        "openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.pem -out new.pem"
    );
    assert_eq!(err.http_status(), 500);
}

#[test]
fn passphrase_errors_are_typed_and_never_echo_the_passphrase() {
    let pem = fixture("key_encrypted_pkcs8.pem");
    assert_eq!(
        FlowPrivateKey::from_pem(&pem, None).unwrap_err(),
        FlowError::Key(KeyProblem::MissingPassphrase)
    );
    let wrong = "not-the-passphrase-123";
    let err = FlowPrivateKey::from_pem(&pem, Some(wrong)).unwrap_err();
    assert_eq!(err, FlowError::Key(KeyProblem::WrongPassphrase));
    for shown in [format!("{err}"), format!("{err:?}")] {
        assert!(!shown.contains(wrong), "{shown}");
    }
}

#[test]
fn encryption_schemes_other_than_pbes2_with_sha2_are_refused_with_the_command_to_use() {
    for file in ["key_pbes1.pem", "key_pbkdf2_sha1.pem"] {
        let err = FlowPrivateKey::from_pem(&fixture(file), Some(&passphrase())).unwrap_err();
        assert_eq!(
            err,
            FlowError::Key(KeyProblem::UnsupportedEncryption),
            "{file}"
        );
        assert!(
            err.to_string()
                .contains("openssl pkcs8 -topk8 -v2 aes-256-cbc"),
            "{err}"
        );
    }
}

#[test]
fn a_reply_that_cannot_be_json_is_a_500() {
    let decrypted = key().decrypt_request(&body("init")).unwrap();
    let bad: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into_iter().collect();
    let err = decrypted.encrypt_response(&bad).unwrap_err();
    assert!(matches!(err, FlowError::Reply(_)), "{err:?}");
    assert_eq!(err.http_status(), 500);
    // Any other serializable value is encrypted as its JSON.
    assert!(decrypted.encrypt_response(&json!({"data": {}})).is_ok());
}

#[test]
fn keys_that_are_not_2048_bit_rsa_private_keys_are_refused() {
    let err = FlowPrivateKey::from_pem(&fixture("key_1024_pkcs8.pem"), None).unwrap_err();
    assert_eq!(err, FlowError::Key(KeyProblem::TooSmall { bits: None }));
    let err = FlowPrivateKey::from_pem(&fixture("key_ec_pkcs8.pem"), None).unwrap_err();
    assert_eq!(err, FlowError::Key(KeyProblem::NotRsa));
    let err = FlowPrivateKey::from_pem(&fixture("public_key.pem"), None).unwrap_err();
    assert_eq!(
        err,
        FlowError::Key(KeyProblem::UnsupportedPem {
            label: "PUBLIC KEY".to_owned()
        })
    );
    let err = FlowPrivateKey::from_pem("hello", None).unwrap_err();
    assert!(
        matches!(err, FlowError::Key(KeyProblem::NotPem(_))),
        "{err:?}"
    );
    let broken = "-----BEGIN PRIVATE KEY-----\nMIIE!!!\n-----END PRIVATE KEY-----\n";
    let err = FlowPrivateKey::from_pem(broken, None).unwrap_err();
    assert!(
        matches!(err, FlowError::Key(KeyProblem::NotPem(_))),
        "{err:?}"
    );
    let truncated: String = fixture("key_pkcs8.pem")
        .lines()
        .take(5)
        .collect::<Vec<_>>()
        .join("\n")
        + "\n-----END PRIVATE KEY-----\n";
    let err = FlowPrivateKey::from_pem(&truncated, None).unwrap_err();
    assert!(
        matches!(err, FlowError::Key(KeyProblem::Invalid(_))),
        "{err:?}"
    );
}

#[test]
fn debug_output_never_shows_key_material() {
    let pem = fixture("key_pkcs8.pem");
    let key = key();
    assert_eq!(format!("{key:?}"), "FlowPrivateKey { bits: 2048, .. }");
    let decrypted = key.decrypt_request(&body("init")).unwrap();
    let shown = format!("{decrypted:?}");
    assert!(shown.contains("flowtoken-7f3a"), "{shown}");
    let aes_key = vector("init")["aes_key_hex"].as_str().unwrap().to_owned();
    assert!(!shown.to_lowercase().contains(&aes_key), "{shown}");
    // No line of the key's base64 appears in any key error either.
    let err =
        FlowPrivateKey::from_pem(&pem.replace("PRIVATE KEY", "CERTIFICATE"), None).unwrap_err();
    for line in pem.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!format!("{err} {err:?}").contains(line));
    }
}

fn decrypt_problem(body: &[u8]) -> DecryptProblem {
    match key().decrypt_request(body) {
        Err(err @ FlowError::Decrypt(_)) => {
            assert_eq!(err.http_status(), 421);
            let FlowError::Decrypt(problem) = err else {
                unreachable!()
            };
            problem
        }
        other => panic!("expected a 421, got {other:?}"),
    }
}

#[test]
fn a_tampered_tag_or_ciphertext_is_a_421() {
    let v = vector("data_exchange");
    let data = b64_decode(
        v["body"]
            .as_str()
            .map(|b| serde_json::from_str::<Value>(b).unwrap())
            .unwrap()["encrypted_flow_data"]
            .as_str()
            .unwrap(),
    );
    for index in [data.len() - 1, 0] {
        let mut tampered = data.clone();
        tampered[index] ^= 0x01;
        let body = body_with(
            "data_exchange",
            "encrypted_flow_data",
            &b64_encode(&tampered),
        );
        assert_eq!(decrypt_problem(&body), DecryptProblem::Authentication);
    }
    // An IV that is not the one used (the reply's, say) fails authentication too.
    let iv = b64_decode(&b64_encode(&hex_decode(v["iv_hex"].as_str().unwrap())));
    let flipped: Vec<u8> = iv.iter().map(|b| !b).collect();
    let body = body_with("data_exchange", "initial_vector", &b64_encode(&flipped));
    assert_eq!(decrypt_problem(&body), DecryptProblem::Authentication);
}

fn hex_decode(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn a_request_for_another_key_is_a_421() {
    let other = FlowPrivateKey::from_pem(&fixture("other_key_pkcs8.pem"), None).unwrap();
    let err = other.decrypt_request(&body("init")).unwrap_err();
    assert_eq!(err, FlowError::Decrypt(DecryptProblem::AesKeyUnwrap));
    assert_eq!(err.http_status(), 421);
}

#[test]
fn a_short_iv_or_short_data_is_a_421() {
    let iv = hex_decode(vector("init")["iv_hex"].as_str().unwrap());
    let body = body_with("init", "initial_vector", &b64_encode(&iv[..12]));
    assert_eq!(
        decrypt_problem(&body),
        DecryptProblem::InvalidIvLength { len: 12 }
    );
    let body = body_with("init", "encrypted_flow_data", &b64_encode(&[7; 15]));
    assert_eq!(
        decrypt_problem(&body),
        DecryptProblem::DataTooShort { len: 15 }
    );
}

#[test]
fn bad_base64_in_any_field_is_a_421_naming_the_field() {
    for field in ["encrypted_flow_data", "encrypted_aes_key", "initial_vector"] {
        let body = body_with("init", field, "not base64!");
        assert_eq!(
            decrypt_problem(&body),
            DecryptProblem::InvalidBase64 { field }
        );
    }
}

#[test]
fn a_body_that_is_not_the_envelope_is_a_400() {
    for body in [
        &b"not json"[..],
        br#"{"encrypted_flow_data":"AAAA","initial_vector":"AAAA"}"#,
        br#"{"encrypted_flow_data":1,"encrypted_aes_key":"AAAA","initial_vector":"AAAA"}"#,
        b"[]",
    ] {
        let err = key().decrypt_request(body).unwrap_err();
        assert!(matches!(err, FlowError::MalformedBody(_)), "{err:?}");
        assert_eq!(err.http_status(), 400);
    }
    let err = key()
        .decrypt_request(br#"{"encrypted_flow_data":"AAAA","initial_vector":"AAAA"}"#)
        .unwrap_err();
    assert!(err.to_string().contains("encrypted_aes_key"), "{err}");
}

#[test]
fn the_flow_token_signature_is_checked_with_the_app_secret() {
    let secret = AppSecret::new(vectors()["app_secret"].as_str().unwrap());
    let decrypted = key().decrypt_request(&body("data_exchange")).unwrap();
    let request = decrypted.request();
    assert_eq!(request.verify_flow_token_signature(&secret), Ok(()));

    let err = request
        .verify_flow_token_signature(&AppSecret::new("another-secret"))
        .unwrap_err();
    assert!(matches!(err, FlowError::SignatureFailed(_)), "{err:?}");
    assert_eq!(err.http_status(), 432);

    // Signed for another token.
    let mut moved = request.clone();
    moved.flow_token = Some("flowtoken-other".to_owned());
    assert!(moved.verify_flow_token_signature(&secret).is_err());
    // A flipped signature byte, a missing signature, a non-JWT.
    let jwt = request.flow_token_signature.clone().unwrap();
    let mut forged = request.clone();
    let last = if jwt.ends_with('A') { 'B' } else { 'A' };
    forged.flow_token_signature = Some(format!("{}{last}", &jwt[..jwt.len() - 1]));
    assert!(forged.verify_flow_token_signature(&secret).is_err());
    forged.flow_token_signature = None;
    assert!(forged.verify_flow_token_signature(&secret).is_err());
    forged.flow_token_signature = Some("a.b".to_owned());
    assert!(forged.verify_flow_token_signature(&secret).is_err());
}

#[test]
fn http_statuses_follow_metas_table() {
    let expired = FlowError::flow_token_no_longer_valid(Some("This booking link has expired"));
    assert_eq!(expired.http_status(), 427);
    assert_eq!(
        serde_json::from_str::<Value>(&expired.response_body().unwrap()).unwrap(),
        json!({"error_msg": "This booking link has expired"})
    );
    let silent = FlowError::flow_token_no_longer_valid(None);
    assert_eq!((silent.http_status(), silent.response_body()), (427, None));
    let verifier = whatsapp_cloud::webhook::SignatureVerifier::new("s").unwrap();
    let err: FlowError = verifier
        .verify(b"{}", Some("sha256=00"))
        .unwrap_err()
        .into();
    assert_eq!(err.http_status(), 432);
    assert_eq!(FlowError::Reply("x".into()).http_status(), 500);
}

#[test]
fn the_request_type_round_trips_through_serde() {
    let text = r#"{"version":"3.0","action":"BACK","screen":"S","data":{"a":[1,{"b":null}]},"flow_token":"t","flow_token_signature":"x.y.z","future":{"k":1}}"#;
    let request: whatsapp_cloud::flows::FlowRequest = serde_json::from_str(text).unwrap();
    assert_eq!(request.extra.get("future"), Some(&json!({"k": 1})));
    let again = serde_json::to_string(&request).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&again).unwrap(),
        serde_json::from_str::<Value>(text).unwrap()
    );
}

#[test]
fn success_always_carries_the_request_flow_token_first() {
    let reply = Success::new("tok")
        .param("flow_token", "other")
        .param("b", 2)
        .param("a", 1);
    assert_eq!(
        serde_json::to_string(&reply).unwrap(),
        r#"{"screen":"SUCCESS","data":{"extension_message_response":{"params":{"flow_token":"tok","a":1,"b":2}}}}"#
    );
}

#[cfg(feature = "client")]
mod business_public_key {
    use whatsapp_cloud::endpoint::business_encryption::{
        BusinessKeySignatureStatus, GetBusinessPublicKey, SetBusinessPublicKey,
    };
    use whatsapp_cloud::{Client, Error};
    use wiremock::matchers::{body_string, header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const TOKEN: &str = "flows-token-789";
    const PHONE: &str = "106540352242922";

    fn client(server: &MockServer) -> Client {
        Client::builder()
            .access_token(TOKEN)
            .phone_number_id(PHONE)
            .base_url(server.uri())
            .retry_policy(whatsapp_cloud::retry::RetryPolicy::none())
            .timer(whatsapp_cloud::client::ManualTimer::new())
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn the_public_key_is_uploaded_as_a_form_field() {
        let server = MockServer::start().await;
        let pem = super::fixture("public_key.pem");
        let expected_body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("business_public_key", &pem)
            .finish();
        assert!(expected_body.starts_with("business_public_key=-----BEGIN+PUBLIC+KEY-----%0A"));
        Mock::given(method("POST"))
            .and(path(format!("/v26.0/{PHONE}/whatsapp_business_encryption")))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .and(header("content-type", "application/x-www-form-urlencoded"))
            .and(body_string(expected_body))
            .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"success":true}"#))
            .expect(1)
            .mount(&server)
            .await;
        let key =
            whatsapp_cloud::flows::FlowPrivateKey::from_pem(&super::fixture("key_pkcs8.pem"), None)
                .unwrap();
        let done = client(&server)
            .send(&SetBusinessPublicKey::new(key.public_key_pem()))
            .await
            .unwrap();
        assert!(done.success);
    }

    #[tokio::test]
    async fn the_public_key_and_its_signature_status_are_read_back() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v26.0/999/whatsapp_business_encryption"))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_string(
                r#"{"data":[{"business_public_key":"-----BEGIN PUBLIC KEY-----\nAB\n-----END PUBLIC KEY-----","business_public_key_signature_status":"MISMATCH"}]}"#,
            ))
            .expect(1)
            .mount(&server)
            .await;
        let key = client(&server)
            .send(&GetBusinessPublicKey::new().phone_number_id("999"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            key.signature_status,
            Some(BusinessKeySignatureStatus::Mismatch)
        );
        assert!(key.public_key_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    }

    #[tokio::test]
    async fn an_unknown_status_is_kept_and_no_key_is_none() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("/v26.0/{PHONE}/whatsapp_business_encryption")))
            .respond_with(ResponseTemplate::new(200).set_body_string(
                r#"{"data":[{"business_public_key":"k","business_public_key_signature_status":"PENDING"}]}"#,
            ))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/v26.0/{PHONE}/whatsapp_business_encryption")))
            .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"data":[]}"#))
            .mount(&server)
            .await;
        let client = client(&server);
        let key = client
            .send(&GetBusinessPublicKey::new())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            key.signature_status,
            Some(BusinessKeySignatureStatus::Unknown("PENDING".to_owned()))
        );
        assert_eq!(
            client.send(&GetBusinessPublicKey::new()).await.unwrap(),
            None
        );
    }

    #[tokio::test]
    async fn a_private_key_is_refused_before_sending_and_not_quoted() {
        let server = MockServer::start().await;
        let pem = super::fixture("key_pkcs8.pem");
        let err = client(&server)
            .send(&SetBusinessPublicKey::new(pem.clone()))
            .await
            .unwrap_err();
        let Error::Validation(validation) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(validation.field, "business_public_key");
        let second_line = pem.lines().nth(1).unwrap();
        assert!(!format!("{err} {err:?}").contains(second_line));
        let err = client(&server)
            .send(&SetBusinessPublicKey::new(" "))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Validation(_)), "{err:?}");
        assert!(server.received_requests().await.unwrap().is_empty());
    }
}
