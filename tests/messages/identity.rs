//! Sending to users by business-scoped user id (BSUID): where each id goes on the wire, how Meta's
//! answers are read, error 131062, the local refusal of authentication templates, the send policy's
//! key, and the identity-related messages (contact request, voice call button). Wiremock checks
//! method, path, headers and the exact body (through `send_expecting`).

use super::{PHONE_ID, WAMID, client, send_expecting};
use serde_json::{Value, json};
use whatsapp_cloud::endpoint::messages::AcceptedStatus;
use whatsapp_cloud::endpoint::templates::TemplateInfo;
use whatsapp_cloud::error::{ErrorClass, Violation};
use whatsapp_cloud::message::{
    Interactive, Message, Parameter, Reaction, SendMessage, Template, TemplateButton, VoiceCall,
};
use whatsapp_cloud::policy::{
    InMemoryOptOutStore, InMemoryWindowTracker, Outgoing, SendGuard, UserKey, WindowTracker,
};
use whatsapp_cloud::{GroupId, Recipient, UserId};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PHONE: &str = "+16505551234";
const BSUID: &str = "US.13491208655302741918";
const PARENT: &str = "US.ENT.11815799212886844830";
const GROUP: &str = "Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD";

/// Meta's answer to a send: one resolved contact and one accepted message.
fn answer(contact: Value) -> Value {
    json!({"messaging_product": "whatsapp", "contacts": [contact], "messages": [{"id": WAMID}]})
}

/// `{"messaging_product", "recipient_type", <addressing>, "type": "text", "text": {"body": "Hi"}}`.
fn envelope(recipient_type: &str, addressing: Value) -> Value {
    let mut body = json!({"messaging_product": "whatsapp", "recipient_type": recipient_type,
                          "type": "text", "text": {"body": "Hi"}});
    for (k, v) in addressing.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

// --- Addressing ----------------------------------------------------------------------------------

#[tokio::test]
async fn a_phone_number_goes_in_to_and_the_answer_has_its_wa_id() {
    let sent = send_expecting(
        SendMessage::new(Recipient::phone(PHONE), Message::text("Hi")),
        envelope("individual", json!({"to": PHONE})),
        answer(json!({"input": PHONE, "wa_id": "16505551234"})),
    )
    .await;
    assert_eq!(sent.contacts[0].wa_id.as_deref(), Some("16505551234"));
    assert_eq!(sent.contacts[0].user_id, None);
}

#[tokio::test]
async fn a_bsuid_goes_in_recipient_with_no_to() {
    let send = SendMessage::new(Recipient::user_id(BSUID), Message::text("Hi"))
        .biz_opaque_callback_data("campaign=spring;variant=B");
    let mut expected = envelope("individual", json!({"recipient": BSUID}));
    expected["biz_opaque_callback_data"] = json!("campaign=spring;variant=B");
    // Meta's answer to a BSUID send omits `wa_id`.
    let sent = send_expecting(
        send,
        expected,
        json!({"messaging_product": "whatsapp",
               "contacts": [{"input": BSUID, "user_id": BSUID}],
               "messages": [{"id": WAMID, "message_status": "accepted"}]}),
    )
    .await;
    assert_eq!(sent.contacts[0].input, BSUID);
    assert_eq!(sent.contacts[0].wa_id, None);
    assert_eq!(sent.contacts[0].user_id, Some(UserId::from(BSUID)));
    assert_eq!(sent.message_id().map(|m| m.as_str()), Some(WAMID));
    assert_eq!(
        sent.messages[0].message_status,
        Some(AcceptedStatus::Accepted)
    );
}

#[tokio::test]
async fn a_bsuid_string_is_taken_as_a_bsuid_and_an_empty_wa_id_means_absent() {
    // Older answers carried `"wa_id": ""`: read as absent, like an omitted one.
    let sent = send_expecting(
        SendMessage::new(BSUID, Message::text("Hi")),
        envelope("individual", json!({"recipient": BSUID})),
        answer(json!({"input": BSUID, "wa_id": "", "user_id": BSUID})),
    )
    .await;
    assert_eq!(sent.contacts[0].wa_id, None);
    assert_eq!(sent.contacts[0].user_id, Some(UserId::from(BSUID)));
}

#[test]
fn an_empty_user_id_in_a_send_response_means_absent() {
    let response: whatsapp_cloud::endpoint::messages::SendResponse =
        serde_json::from_value(json!({
            "messaging_product": "whatsapp",
            "contacts": [{"input": "+16505551234", "wa_id": "16505551234", "user_id": ""}],
            "messages": [{"id": "wamid.HBgL"}]
        }))
        .unwrap();
    assert_eq!(response.contacts[0].user_id, None);
    assert_eq!(response.contacts[0].wa_id.as_deref(), Some("16505551234"));
}

#[tokio::test]
async fn a_parent_bsuid_goes_in_recipient_too() {
    let recipient = Recipient::user_id(PARENT);
    assert!(recipient.bsuid().is_some_and(UserId::is_parent));
    let sent = send_expecting(
        SendMessage::new(recipient, Message::text("Hi")),
        envelope("individual", json!({"recipient": PARENT})),
        answer(json!({"input": PARENT, "user_id": PARENT})),
    )
    .await;
    assert_eq!(sent.contacts[0].user_id, Some(UserId::from(PARENT)));
}

#[tokio::test]
async fn phone_and_bsuid_are_both_sent_and_answered_as_a_phone_send() {
    let recipient = Recipient::phone_and_user_id(PHONE, BSUID);
    // Meta delivers by `to` when both are present.
    assert_eq!(recipient.as_str(), PHONE);
    let sent = send_expecting(
        SendMessage::new(recipient, Message::text("Hi")),
        envelope("individual", json!({"to": PHONE, "recipient": BSUID})),
        answer(json!({"input": PHONE, "wa_id": "16505551234"})),
    )
    .await;
    assert_eq!(sent.contacts[0].wa_id.as_deref(), Some("16505551234"));
    assert_eq!(sent.contacts[0].user_id, None);
}

#[tokio::test]
async fn a_group_stays_in_to_with_recipient_type_group() {
    let sent = send_expecting(
        SendMessage::new(GroupId::from(GROUP), Message::text("Hi")),
        envelope("group", json!({"to": GROUP})),
        json!({"messaging_product": "whatsapp",
               "contacts": [{"input": GROUP}],
               "messages": [{"id": WAMID, "group_id": GROUP}]}),
    )
    .await;
    assert_eq!(sent.contacts[0].input, GROUP);
    assert_eq!(sent.contacts[0].wa_id, None);
}

#[test]
fn every_message_type_addresses_a_bsuid_the_same_way() {
    let messages: Vec<Message> = vec![
        Message::text("Hi"),
        Interactive::contact_request().into(),
        Template::new("hello_world", "en_US").into(),
        Reaction::new(WAMID, "👍").into(),
    ];
    for message in messages {
        let kind = message.type_name();
        let json =
            serde_json::to_value(SendMessage::new(Recipient::user_id(BSUID), message)).unwrap();
        assert_eq!(json["recipient"], BSUID, "{kind}");
        assert_eq!(json["recipient_type"], "individual", "{kind}");
        assert_eq!(json.get("to"), None, "{kind}");
    }
}

// --- Validation ----------------------------------------------------------------------------------

#[test]
fn a_malformed_bsuid_names_field_limit_and_value() {
    let err = SendMessage::new(Recipient::user_id("US.1349-1208"), Message::text("Hi"))
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "recipient");
    match &err.violation {
        Violation::Invalid { value, expected } => {
            assert_eq!(value, "US.1349-1208");
            assert!(expected.contains("128"), "{expected}");
            assert!(expected.contains("ENT."), "{expected}");
        }
        other => panic!("unexpected {other:?}"),
    }

    let too_long = format!("US.{}", "7".repeat(129));
    let err = SendMessage::new(Recipient::user_id(too_long.as_str()), Message::text("Hi"))
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "recipient");
    assert!(err.to_string().contains("128"), "{err}");

    // Meta says alphanumeric: letters pass, as do the longest ids and parent ids.
    for ok in [
        "BR.a1B2c3".to_owned(),
        format!("US.{}", "7".repeat(128)),
        format!("US.ENT.{}", "7".repeat(128)),
    ] {
        assert!(
            SendMessage::new(Recipient::user_id(ok.as_str()), Message::text("Hi"))
                .validate()
                .is_ok(),
            "{ok}"
        );
    }
    // Both ids: each is checked.
    let err = SendMessage::new(
        Recipient::phone_and_user_id(PHONE, "user.0a1b"),
        Message::text("Hi"),
    )
    .validate()
    .unwrap_err();
    assert_eq!(err.field, "recipient");
    let err = SendMessage::new(
        Recipient::phone_and_user_id(" ", BSUID),
        Message::text("Hi"),
    )
    .validate()
    .unwrap_err();
    assert_eq!(err.field, "to");
}

// --- Error 131062 --------------------------------------------------------------------------------

#[tokio::test]
async fn error_131062_is_typed_and_never_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE_ID}/messages")))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
            "message": "(#131062) Business-scoped User ID (BSUID) recipients are not supported for this message.",
            "type": "OAuthException", "code": 131062, "fbtrace_id": "AHt3kQm9ZbV1"}})))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .send(&SendMessage::new(
            Recipient::user_id(BSUID),
            Template::new("login_code", "en_US"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.class(), Some(ErrorClass::UserIdNotSupported));
    assert!(!err.is_retryable());
    assert_eq!(err.api().and_then(|a| a.code()), Some(131062));
    server.verify().await;
}

// --- Authentication templates, refused locally ---------------------------------------------------

fn fetched(category: &str, buttons: Value) -> TemplateInfo {
    serde_json::from_value(json!({
        "id": "1", "name": "login_code", "language": "en_US", "status": "APPROVED",
        "category": category,
        "components": [
            {"type": "BODY", "text": "{{1}} is your verification code."},
            {"type": "BUTTONS", "buttons": buttons}
        ]
    }))
    .unwrap()
}

fn otp_send(to: Recipient) -> SendMessage {
    SendMessage::new(
        to,
        Template::new("login_code", "en_US")
            .body([Parameter::text("123456")])
            .button(TemplateButton::url(0, "123456")),
    )
}

#[test]
fn an_authentication_template_with_a_code_button_is_refused_to_a_bsuid_alone() {
    let shown_as_url = json!([{"type": "URL", "text": "Copy code",
        "url": "https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}"}]);
    let info = fetched("AUTHENTICATION", shown_as_url);
    assert!(info.refuses_user_ids());

    let err = info
        .check_send_to(&otp_send(Recipient::user_id(BSUID)))
        .unwrap_err();
    assert_eq!(err.field, "recipient");
    assert_eq!(
        err.violation,
        Violation::UserIdNotSupported {
            user_id: BSUID.to_owned()
        }
    );
    assert!(err.to_string().contains("131062"), "{err}");
    // A parent BSUID alone is refused the same way.
    assert!(
        info.check_send_to(&otp_send(Recipient::user_id(PARENT)))
            .is_err()
    );

    // With the phone number (alone or with the BSUID) Meta uses `to`: allowed.
    assert_eq!(
        info.check_send_to(&otp_send(Recipient::phone(PHONE))),
        Ok(())
    );
    assert_eq!(
        info.check_send_to(&otp_send(Recipient::phone_and_user_id(PHONE, BSUID))),
        Ok(())
    );
    // `check_send` (no recipient) still passes the same template.
    let Message::Template(template) = otp_send(Recipient::user_id(BSUID)).message().clone() else {
        unreachable!()
    };
    assert_eq!(info.check_send(&template), Ok(()));
}

#[test]
fn one_tap_and_zero_tap_buttons_are_refused_too_and_other_templates_pass() {
    for otp_type in ["ONE_TAP", "ZERO_TAP", "COPY_CODE"] {
        let info = fetched(
            "AUTHENTICATION",
            json!([{"type": "OTP", "otp_type": otp_type, "text": "Autofill"}]),
        );
        assert!(info.refuses_user_ids(), "{otp_type}");
    }
    // A utility template with a URL button may go to a BSUID.
    let utility = fetched(
        "UTILITY",
        json!([{"type": "URL", "text": "Track", "url": "https://example.com/t/{{1}}"}]),
    );
    assert!(!utility.refuses_user_ids());
    assert_eq!(
        utility.check_send_to(&otp_send(Recipient::user_id(BSUID))),
        Ok(())
    );
    // A send that is not this template fails on its type, not its recipient.
    let err = utility
        .check_send_to(&SendMessage::new(BSUID, Message::text("Hi")))
        .unwrap_err();
    assert_eq!(err.field, "type");
}

// --- The send policy's key -----------------------------------------------------------------------

#[tokio::test]
async fn a_recipient_with_both_ids_is_keyed_by_both() {
    let guard = SendGuard::new(InMemoryWindowTracker::new(100), InMemoryOptOutStore::new());
    let now = 1_750_000_000;
    // The user wrote from their phone number an hour ago: the window is open under that number.
    guard
        .windows()
        .record_inbound(&UserKey::phone(PHONE), now - 3_600)
        .await
        .unwrap();
    let both = Recipient::phone_and_user_id(PHONE, BSUID);
    assert_eq!(
        UserKey::from_recipient(&both),
        Some(UserKey::user_id(BSUID).with_phone(PHONE))
    );
    assert_eq!(
        guard.check_recipient(&both, &Outgoing::FreeForm, now).await,
        Ok(())
    );
    // The BSUID alone is a user the tracker has not seen yet.
    assert!(
        guard
            .check_recipient(&Recipient::user_id(BSUID), &Outgoing::FreeForm, now)
            .await
            .is_err()
    );
}

// --- Contact request and voice call button -------------------------------------------------------

#[tokio::test]
async fn a_contact_request_is_sent_as_meta_documents_it() {
    send_expecting(
        SendMessage::new(Recipient::user_id(BSUID), Interactive::contact_request()),
        json!({"messaging_product": "whatsapp", "recipient_type": "individual", "recipient": BSUID,
               "type": "interactive",
               "interactive": {"type": "contact_request", "action": {"name": "request_contact_info"}}}),
        answer(json!({"input": BSUID, "user_id": BSUID})),
    )
    .await;
    let with_body =
        Interactive::contact_request().body("Share your number so we can call you back");
    assert_eq!(
        serde_json::to_value(&with_body).unwrap()["body"]["text"],
        "Share your number so we can call you back"
    );
    assert!(with_body.validate().is_ok());
}

#[tokio::test]
async fn a_voice_call_button_is_sent_with_its_parameters() {
    let call = Interactive::voice_call(
        "Questions about your order? Call us.",
        VoiceCall::new()
            .display_text("Call support")
            .ttl_minutes(60)
            .payload("order-42"),
    );
    send_expecting(
        SendMessage::new(PHONE, call),
        json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": PHONE,
               "type": "interactive",
               "interactive": {"type": "voice_call",
                   "body": {"text": "Questions about your order? Call us."},
                   "action": {"name": "voice_call", "parameters": {
                       "display_text": "Call support", "ttl_minutes": 60, "payload": "order-42"}}}}),
        answer(json!({"input": PHONE, "wa_id": "16505551234"})),
    )
    .await;
    // Without options the action carries no parameters (Meta's defaults apply).
    assert_eq!(
        serde_json::to_value(Interactive::voice_call("Call us", VoiceCall::new())).unwrap(),
        json!({"type": "voice_call", "body": {"text": "Call us"}, "action": {"name": "voice_call"}})
    );
}

#[test]
fn voice_call_limits_are_checked() {
    let check = |call: VoiceCall| Interactive::voice_call("Call us", call).validate();
    assert!(check(VoiceCall::new().ttl_minutes(1)).is_ok());
    assert!(check(VoiceCall::new().ttl_minutes(43_200)).is_ok());
    for minutes in [0, 43_201] {
        let err = check(VoiceCall::new().ttl_minutes(minutes)).unwrap_err();
        assert_eq!(err.field, "interactive.action.parameters.ttl_minutes");
        assert_eq!(
            err.violation,
            Violation::OutOfRange {
                min: 1,
                max: 43_200,
                actual: i64::from(minutes)
            }
        );
    }
    assert!(check(VoiceCall::new().payload("p".repeat(512))).is_ok());
    let err = check(VoiceCall::new().payload("p".repeat(513))).unwrap_err();
    assert_eq!(err.field, "interactive.action.parameters.payload");
    assert_eq!(
        err.violation,
        Violation::TooLong {
            max: 512,
            actual: 513
        }
    );
    let err = check(VoiceCall::new().display_text("Call our support team now")).unwrap_err();
    assert_eq!(err.field, "interactive.action.parameters.display_text");
    assert_eq!(
        err.violation,
        Violation::TooLong {
            max: 20,
            actual: 25
        }
    );
    let err = Interactive::voice_call(" ", VoiceCall::new())
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "interactive.body.text");
}
