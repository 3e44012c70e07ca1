//! Tests of the test kit itself: the fake Cloud API and the webhook delivery builder.

use serde_json::{Value, json};
use whatsapp_cloud::Recipient;
use whatsapp_cloud::error::{ErrorClass, RateLimit};
use whatsapp_cloud::message::{
    Interactive, MarkAsRead, Message, Parameter, ReplyButton, SendMessage, Template,
};
use whatsapp_cloud::testing::webhook::{DeliveryBuilder, sign};
use whatsapp_cloud::testing::{FakeCloudApi, FakeError, RecordedKind};

#[tokio::test]
async fn fake_records_sends_as_typed_messages() {
    let fake = FakeCloudApi::start().await;
    let client = fake.client().unwrap();

    let text = client
        .send(&SendMessage::new("+1 (631) 555-1234", Message::text("Hello")).reply_to("wamid.IN1"))
        .await
        .unwrap();
    assert_eq!(text.contacts[0].input, "+1 (631) 555-1234");
    assert_eq!(text.contacts[0].wa_id.as_deref(), Some("16315551234"));
    assert_eq!(text.contacts[0].user_id, None);

    let template = client
        .send(&SendMessage::new(
            "16315551234",
            Template::new("order_confirmation", "en_US")
                .body([Parameter::text("Jessica"), Parameter::text("SKBUS2")]),
        ))
        .await
        .unwrap();
    assert_eq!(
        template.messages[0]
            .message_status
            .as_ref()
            .map(|s| s.as_str()),
        Some("accepted")
    );
    assert_ne!(
        text.message_id(),
        template.message_id(),
        "each send gets its own wamid"
    );

    client
        .send(&SendMessage::new(
            "US.13491208655302741918",
            Interactive::buttons(
                "Pick",
                [ReplyButton::new("yes", "Yes"), ReplyButton::new("no", "No")],
            ),
        ))
        .await
        .unwrap();
    client.send(&MarkAsRead::new("wamid.IN1")).await.unwrap();

    let sent = fake.sent_messages().await;
    assert_eq!(sent.len(), 3, "read receipts are not messages");
    assert_eq!(
        sent[0].kind,
        RecordedKind::Text {
            body: "Hello".into()
        }
    );
    assert_eq!(sent[0].reply_to.as_deref(), Some("wamid.IN1"));
    assert_eq!(
        sent[1].kind,
        RecordedKind::Template {
            name: "order_confirmation".into(),
            language: "en_US".into(),
            parameters: vec!["Jessica".into(), "SKBUS2".into()],
        }
    );
    assert_eq!(
        sent[2].kind,
        RecordedKind::Interactive {
            interactive_type: "button".into(),
            body: Some("Pick".into()),
            choices: vec!["yes".into(), "no".into()],
        }
    );
    assert_eq!(sent[2].to, "US.13491208655302741918");
    assert_eq!(fake.read_receipts().await, vec!["wamid.IN1".to_owned()]);
}

#[tokio::test]
async fn a_bsuid_recipient_gets_no_wa_id_and_a_user_id() {
    let fake = FakeCloudApi::start().await;
    let sent = fake
        .client()
        .unwrap()
        .send(&SendMessage::new(
            "US.13491208655302741918",
            Message::text("hi"),
        ))
        .await
        .unwrap();
    assert_eq!(sent.contacts[0].wa_id, None);
    assert_eq!(sent.contacts[0].input, "US.13491208655302741918");
    assert_eq!(
        sent.contacts[0].user_id.as_ref().map(|u| u.as_str()),
        Some("US.13491208655302741918")
    );
    let recorded = fake.sent_messages().await;
    assert_eq!(recorded[0].to, "US.13491208655302741918");
    assert_eq!(
        recorded[0].recipient.as_deref(),
        Some("US.13491208655302741918")
    );
    assert_eq!(recorded[0].json.get("to"), None);
}

#[tokio::test]
async fn a_send_with_phone_and_bsuid_is_answered_as_a_phone_send() {
    let fake = FakeCloudApi::start().await;
    let sent = fake
        .client()
        .unwrap()
        .send(&SendMessage::new(
            Recipient::phone_and_user_id("+1 (631) 555-1234", "US.13491208655302741918"),
            Message::text("hi"),
        ))
        .await
        .unwrap();
    assert_eq!(sent.contacts[0].input, "+1 (631) 555-1234");
    assert_eq!(sent.contacts[0].wa_id.as_deref(), Some("16315551234"));
    assert_eq!(sent.contacts[0].user_id, None);
    let recorded = fake.sent_messages().await;
    assert_eq!(recorded[0].to, "+1 (631) 555-1234");
    assert_eq!(
        recorded[0].recipient.as_deref(),
        Some("US.13491208655302741918")
    );
}

#[tokio::test]
async fn scripted_failures_for_a_bsuid_match_its_recipient_field() {
    let fake = FakeCloudApi::start().await;
    let client = fake.client().unwrap();
    fake.fail_sends_to("US.13491208655302741918", FakeError::UserIdNotSupported, 1)
        .await;
    let err = client
        .send(&SendMessage::new(
            "US.13491208655302741918",
            Message::text("x"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.class(), Some(ErrorClass::UserIdNotSupported));
    assert!(!err.is_retryable());
    // A phone send is not matched by the script.
    client
        .send(&SendMessage::new("16315551234", Message::text("x")))
        .await
        .unwrap();
}

#[tokio::test]
async fn scripted_errors_come_back_as_metas_typed_errors() {
    let fake = FakeCloudApi::start().await;
    let client = fake.client().unwrap();
    let cases = [
        (
            FakeError::OutsideWindow,
            131047,
            ErrorClass::OutsideWindow,
            400,
        ),
        (
            FakeError::TemplateMissing,
            132001,
            ErrorClass::Template,
            404,
        ),
        (
            FakeError::TemplateParamCountMismatch,
            132000,
            ErrorClass::Template,
            400,
        ),
        (FakeError::TokenExpired, 190, ErrorClass::AuthInvalid, 401),
        (
            FakeError::UserIdNotSupported,
            131062,
            ErrorClass::UserIdNotSupported,
            400,
        ),
    ];
    for (error, code, class, status) in cases {
        fake.fail_next_sends(error.clone(), 1).await;
        let err = client
            .send(&SendMessage::new("16315551234", Message::text("x")))
            .await
            .unwrap_err();
        let api = err
            .api()
            .unwrap_or_else(|| panic!("{error:?} gave {err:?}"));
        assert_eq!(api.code(), Some(code));
        assert_eq!(api.status, status);
        assert_eq!(api.class(), class);
    }
    // The script is used up: the next send goes through.
    client
        .send(&SendMessage::new("16315551234", Message::text("x")))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_rate_limit_once_is_retried_by_the_client() {
    let fake = FakeCloudApi::start().await;
    fake.fail_next_sends(FakeError::RateLimited, 1).await;
    let client = fake
        .client_builder()
        .without_pacing()
        .timer(whatsapp_cloud::client::ManualTimer::new())
        .build()
        .unwrap();
    let sent = client
        .send(&SendMessage::new("16315551234", Message::text("x")))
        .await
        .unwrap();
    assert!(sent.message_id().is_some());
    assert_eq!(fake.requests().await.len(), 2);
}

#[tokio::test]
async fn failures_scripted_for_one_recipient_spare_the_others() {
    let fake = FakeCloudApi::start().await;
    fake.fail_sends_to("16315550001", FakeError::OutsideWindow, 5)
        .await;
    let client = fake.client().unwrap();
    let err = client
        .send(&SendMessage::new("16315550001", Message::text("x")))
        .await
        .unwrap_err();
    assert_eq!(err.class(), Some(ErrorClass::OutsideWindow));
    client
        .send(&SendMessage::new("16315550002", Message::text("x")))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_wrong_token_is_refused_like_meta_does() {
    let fake = FakeCloudApi::start().await;
    let client = fake
        .client_builder()
        .access_token("not-the-fake-token")
        .build()
        .unwrap();
    let err = client
        .send(&SendMessage::new("16315551234", Message::text("x")))
        .await
        .unwrap_err();
    assert_eq!(err.api().and_then(|a| a.code()), Some(190));
    let requests = fake.requests().await;
    assert_eq!(requests.len(), 1, "an auth failure is not retried");
    assert_eq!(
        requests[0].headers.get("authorization").unwrap(),
        "Bearer not-the-fake-token"
    );
}

#[test]
fn rate_limit_error_body_is_metas() {
    let (status, body) = FakeError::RateLimited.response();
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], 130429);
    assert_eq!(body["error"]["error_subcode"], 2494055);
    assert_eq!(
        whatsapp_cloud::error::ErrorClass::of_code(130429),
        ErrorClass::RateLimited(RateLimit::Throughput)
    );
}

#[test]
fn delivery_builder_signs_the_exact_bytes() {
    let delivery = DeliveryBuilder::new("102290129340398", "106540352242922")
        .timestamp(1_764_000_000)
        .text("16315551234", "Zoë", "Olá, está aberto? ☀️")
        .button_reply(
            "16315551234",
            "Zoë",
            "wamid.OUT1",
            "track_order",
            "Track my order",
        )
        .status("wamid.OUT1", "read", "16315551234")
        .failed_status(
            "wamid.OUT2",
            "16315551234",
            131047,
            "Re-engagement message",
            "more than 24 hours",
        )
        .build();
    let (body, header) = delivery.signed("app-secret");
    assert_eq!(header, sign(b"app-secret", &body));
    assert_ne!(header, sign(b"other-secret", &body));
    assert!(header.starts_with("sha256=") && header.len() == 7 + 64);

    let text = std::str::from_utf8(&body).unwrap();
    assert!(text.is_ascii(), "Meta escapes non-ASCII: {text}");
    assert!(
        text.contains(r"Ol\u00e1, est\u00e1 aberto? \u2600\ufe0f"),
        "{text}"
    );
    let json: Value = serde_json::from_slice(&body).unwrap();
    let changes = json["entry"][0]["changes"].as_array().unwrap();
    assert_eq!(
        changes.len(),
        2,
        "messages and statuses in their own changes"
    );
    let messages = changes[0]["value"]["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["text"]["body"], "Olá, está aberto? ☀️");
    assert_eq!(messages[0]["timestamp"], "1764000000");
    assert_eq!(
        messages[1]["interactive"]["button_reply"]["id"],
        "track_order"
    );
    assert_eq!(messages[1]["context"]["id"], "wamid.OUT1");
    assert_eq!(changes[0]["value"]["contacts"].as_array().unwrap().len(), 1);
    assert_eq!(delivery.message_ids().len(), 2);
    assert_ne!(delivery.message_ids()[0], delivery.message_ids()[1]);
    let statuses = changes[1]["value"]["statuses"].as_array().unwrap();
    assert_eq!(statuses[1]["errors"][0]["code"], 131047);
    assert_eq!(json["entry"][0]["id"], "102290129340398");
    assert_eq!(
        changes[1]["value"]["metadata"],
        json!({"display_phone_number": "16315550100", "phone_number_id": "106540352242922"})
    );
}

#[test]
fn sign_matches_a_known_hmac() {
    // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), a published test vector.
    assert_eq!(
        sign(b"key", b"The quick brown fox jumps over the lazy dog"),
        "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
    );
}
