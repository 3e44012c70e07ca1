//! The operations endpoints against wiremock: each call's method, path, exact query, headers and
//! exact body; the parsing of every documented answer, including the documented disagreements;
//! and the limits checked before sending, just inside and just outside.
#![cfg(feature = "client")]

mod common;

use futures_util::TryStreamExt;
use serde_json::{Value, json};
use whatsapp_cloud::endpoint::Endpoint;
use whatsapp_cloud::endpoint::operations::{
    AutomationCommand, BlockUsers, CallbackOverride, ClaimUsername, CreateQrCode, DeleteUsername,
    GetQrCode, ListBlockedUsers, ListQrCodes, NameStatus, QrImageFormat,
    SetConversationalAutomation, SetTwoStepPin, TransferAction, UnblockUsers, UpdateQrCode,
    Username, UsernameStatus,
};
use whatsapp_cloud::error::{Error, ErrorClass, Violation};
use whatsapp_cloud::{ApiContext, Client, Recipient};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "ops-token-4321";
const PHONE: &str = "106540352242922";
const WABA: &str = "102290129340398";

fn client(server: &MockServer) -> Client {
    common::mock_client(server, TOKEN, PHONE, Some(WABA))
        .without_pacing()
        .build()
        .unwrap()
}

fn ctx() -> ApiContext {
    ApiContext::new(TOKEN, PHONE).with_waba_id(WABA)
}

/// Expects exactly one `verb` to `/v26.0/<tail>` with the bearer token, exactly `query` (`None`:
/// no query string) and exactly `body` (`None`: an empty body; `Some`: JSON with its content type).
async fn expect(
    server: &MockServer,
    verb: &str,
    tail: &str,
    query: Option<&'static str>,
    body: Option<Value>,
    answer: ResponseTemplate,
) {
    let mut mock = Mock::given(method(verb))
        .and(path(format!("/v26.0/{tail}")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(move |r: &Request| r.url.query() == query);
    mock = match body {
        Some(body) => mock
            .and(header("content-type", "application/json"))
            .and(body_json(body)),
        None => mock.and(|r: &Request| r.body.is_empty()),
    };
    mock.respond_with(answer).expect(1).mount(server).await;
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn success() -> ResponseTemplate {
    ok(json!({"success": true}))
}

fn validation(e: Error) -> (String, Violation) {
    match e {
        Error::Validation(v) => (v.field, v.violation),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

// --- Block users -------------------------------------------------------------------------------

#[tokio::test]
async fn block_sends_phone_and_user_id_entries_and_reads_added_users() {
    let server = MockServer::start().await;
    expect(
        &server,
        "POST",
        &format!("{PHONE}/block_users"),
        None,
        Some(json!({"messaging_product": "whatsapp", "block_users": [
            {"user": "+16315551234"}, {"user_id": "US.13491208655302741918"}
        ]})),
        ok(
            json!({"messaging_product": "whatsapp", "block_users": {"added_users": [
                {"input": "+16315551234", "wa_id": "16315551234"},
                {"input": "US.13491208655302741918", "user_id": "US.13491208655302741918"}
            ]}}),
        ),
    )
    .await;
    let outcome = client(&server)
        .block_users([
            Recipient::phone("+16315551234"),
            Recipient::user_id("US.13491208655302741918"),
        ])
        .await
        .unwrap();
    assert!(outcome.is_complete());
    assert_eq!(outcome.added.len(), 2);
    assert_eq!(outcome.added[0].wa_id.as_deref(), Some("16315551234"));
    assert_eq!(
        outcome.added[1].user_id.as_ref().map(|u| u.as_str()),
        Some("US.13491208655302741918")
    );
}

#[tokio::test]
async fn a_partial_block_failure_returns_both_lists_and_the_error() {
    let server = MockServer::start().await;
    let body = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/graph_errors/block_failed_139100.json"
    ))
    .unwrap();
    expect(
        &server,
        "POST",
        &format!("{PHONE}/block_users"),
        None,
        Some(json!({"messaging_product": "whatsapp", "block_users": [
            {"user": "+16315551234"}, {"user": "+16315550000"}
        ]})),
        ResponseTemplate::new(400).set_body_bytes(body),
    )
    .await;
    let outcome = client(&server)
        .block_users([
            Recipient::phone("+16315551234"),
            Recipient::phone("+16315550000"),
        ])
        .await
        .unwrap();
    assert!(!outcome.is_complete());
    assert_eq!(outcome.added[0].input.as_deref(), Some("+16315551234"));
    assert_eq!(outcome.failed.len(), 1);
    assert_eq!(outcome.failed[0].input, "+16315550000");
    assert_eq!(outcome.failed[0].wa_id, None);
    assert_eq!(outcome.failed[0].errors[0].code, 131047);
    assert_eq!(
        outcome.failed[0].errors[0].class(),
        ErrorClass::OutsideWindow
    );
    assert_eq!(outcome.error_class(), Some(ErrorClass::BlockFailed));
    assert_eq!(outcome.error.as_ref().map(|e| e.code), Some(139100));
}

#[tokio::test]
async fn a_block_error_without_lists_is_an_api_error() {
    let server = MockServer::start().await;
    let body = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/graph_errors/blocklist_full_139101.json"
    ))
    .unwrap();
    expect(
        &server,
        "POST",
        &format!("{PHONE}/block_users"),
        None,
        Some(json!({"messaging_product": "whatsapp", "block_users": [{"user": "16315551234"}]})),
        ResponseTemplate::new(400).set_body_bytes(body),
    )
    .await;
    let e = client(&server)
        .block_users([Recipient::phone("16315551234")])
        .await
        .unwrap_err();
    assert_eq!(e.class(), Some(ErrorClass::BlocklistFull));
}

#[tokio::test]
async fn unblock_deletes_with_the_same_body_and_reads_removed_or_added_users() {
    let server = MockServer::start().await;
    expect(
        &server,
        "DELETE",
        &format!("{PHONE}/block_users"),
        None,
        Some(json!({"messaging_product": "whatsapp", "block_users": [{"user": "16315551234"}]})),
        ok(
            json!({"messaging_product": "whatsapp", "block_users": {"removed_users": [
                {"input": "16315551234", "wa_id": "16315551234"}
            ]}}),
        ),
    )
    .await;
    let outcome = client(&server)
        .unblock_users([Recipient::phone("16315551234")])
        .await
        .unwrap();
    assert!(outcome.is_complete());
    assert_eq!(outcome.removed[0].wa_id.as_deref(), Some("16315551234"));

    // An older page showed `added_users` in the unblock answer: read the same way.
    let unblock = UnblockUsers::new([Recipient::phone("16315551234")]);
    let older = http::Response::new(
        br#"{"messaging_product":"whatsapp","block_users":{"added_users":[{"input":"16315551234","wa_id":"16315551234"}]}}"#.to_vec(),
    );
    assert_eq!(unblock.parse_response(older).unwrap().removed.len(), 1);
}

#[tokio::test]
async fn the_blocklist_pages_and_reads_both_documented_shapes() {
    let server = MockServer::start().await;
    expect(
        &server,
        "GET",
        &format!("{PHONE}/block_users"),
        None,
        None,
        ok(json!({
            "data": [{"messaging_product": "whatsapp", "wa_id": "16315551111"}],
            "paging": {"cursors": {"before": "QQ", "after": "QUZ"}, "next": "https://graph.facebook.com/v26.0/x?after=QUZ"}
        })),
    )
    .await;
    // The second page in the older shape: each item a `block_users` list.
    expect(
        &server,
        "GET",
        &format!("{PHONE}/block_users"),
        Some("after=QUZ"),
        None,
        ok(json!({"data": [{"block_users": [
            {"messaging_product": "whatsapp", "wa_id": "16315552222"},
            {"messaging_product": "whatsapp", "wa_id": "16315553333"}
        ]}]})),
    )
    .await;
    let users: Vec<_> = client(&server).blocked_users().try_collect().await.unwrap();
    let ids: Vec<_> = users.iter().filter_map(|u| u.wa_id.as_deref()).collect();
    assert_eq!(ids, ["16315551111", "16315552222", "16315553333"]);

    let list = ListBlockedUsers::new().limit(2).before("QQ");
    let request = list.to_request(&ctx()).unwrap();
    assert_eq!(request.uri().query(), Some("limit=2&before=QQ"));
}

#[test]
fn block_entries_are_checked_before_sending() {
    let both = BlockUsers::new([Recipient::phone_and_user_id(
        "+16315551234",
        "US.13491208655302741918",
    )]);
    let (field, violation) = validation(both.to_request(&ctx()).unwrap_err());
    assert_eq!(field, "block_users[0]");
    assert!(matches!(violation, Violation::ExactlyOneOf { set: 2, .. }));

    let (field, _) = validation(BlockUsers::new([]).to_request(&ctx()).unwrap_err());
    assert_eq!(field, "block_users");
    let users = |n: usize| (0..n).map(|i| Recipient::phone(format!("1631555{i:04}")));
    assert!(BlockUsers::new(users(1000)).to_request(&ctx()).is_ok());
    let (_, violation) = validation(BlockUsers::new(users(1001)).to_request(&ctx()).unwrap_err());
    assert_eq!(
        violation,
        Violation::TooMany {
            max: 1000,
            actual: 1001
        }
    );
    let (field, _) = validation(
        UnblockUsers::new([Recipient::user_id("not-a-bsuid")])
            .to_request(&ctx())
            .unwrap_err(),
    );
    assert_eq!(field, "block_users[0].user_id");
    let (field, _) = validation(
        BlockUsers::new([Recipient::group("Y2FwaV9ncm91cA")])
            .to_request(&ctx())
            .unwrap_err(),
    );
    assert_eq!(field, "block_users[0]");
}

// --- QR codes ----------------------------------------------------------------------------------

#[tokio::test]
async fn qr_codes_are_created_updated_read_listed_and_deleted() {
    let server = MockServer::start().await;
    let code = json!({
        "code": "4O4YGZEG3RIVE1", "prefilled_message": "Show me the menu",
        "deep_link_url": "https://wa.me/message/4O4YGZEG3RIVE1",
        "qr_image_url": "https://scontent.example.com/qr.png"
    });
    expect(
        &server,
        "POST",
        &format!("{PHONE}/message_qrdls"),
        None,
        Some(json!({"prefilled_message": "Show me the menu", "generate_qr_image": "PNG"})),
        ok(code.clone()),
    )
    .await;
    expect(
        &server,
        "POST",
        &format!("{PHONE}/message_qrdls"),
        None,
        Some(json!({"prefilled_message": "The menu, please", "generate_qr_image": "SVG", "code": "4O4YGZEG3RIVE1"})),
        ok(json!({"code": "4O4YGZEG3RIVE1", "prefilled_message": "The menu, please", "deep_link_url": "https://wa.me/message/4O4YGZEG3RIVE1"})),
    )
    .await;
    expect(
        &server,
        "GET",
        &format!("{PHONE}/message_qrdls/4O4YGZEG3RIVE1"),
        Some("fields=code%2Cprefilled_message%2Cdeep_link_url"),
        None,
        ok(json!({"data": [code.clone()]})),
    )
    .await;
    expect(
        &server,
        "GET",
        &format!("{PHONE}/message_qrdls"),
        Some("fields=code%2Cprefilled_message%2Cdeep_link_url"),
        None,
        ok(json!({"data": [code.clone(), {"code": "ANOTHER1", "prefilled_message": "Hi"}]})),
    )
    .await;
    expect(
        &server,
        "DELETE",
        &format!("{PHONE}/message_qrdls/4O4YGZEG3RIVE1"),
        None,
        None,
        success(),
    )
    .await;
    let client = client(&server);
    let created = client
        .create_qr_code(&CreateQrCode::new("Show me the menu").image_format(QrImageFormat::Png))
        .await
        .unwrap();
    assert_eq!(created.code, "4O4YGZEG3RIVE1");
    assert_eq!(
        created.deep_link_url.as_deref(),
        Some("https://wa.me/message/4O4YGZEG3RIVE1")
    );
    assert_eq!(
        created.qr_image_url.as_deref(),
        Some("https://scontent.example.com/qr.png")
    );
    let updated = client
        .update_qr_code(
            &UpdateQrCode::new("4O4YGZEG3RIVE1", "The menu, please")
                .image_format(QrImageFormat::Svg),
        )
        .await
        .unwrap();
    assert_eq!(
        updated.prefilled_message.as_deref(),
        Some("The menu, please")
    );
    assert_eq!(updated.qr_image_url, None);
    let one = client.qr_code("4O4YGZEG3RIVE1").await.unwrap();
    assert_eq!(one, created);
    let all: Vec<_> = client.qr_codes().try_collect().await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].deep_link_url, None);
    assert!(
        client
            .delete_qr_code("4O4YGZEG3RIVE1")
            .await
            .unwrap()
            .success
    );
}

#[test]
fn qr_reads_ask_for_the_image_format_and_an_empty_answer_is_a_decode_error() {
    let get = GetQrCode::new("4O4YGZEG3RIVE1")
        .fields(["code"])
        .image_format(QrImageFormat::Svg);
    assert_eq!(
        get.to_request(&ctx()).unwrap().uri().query(),
        Some("fields=code%2Cqr_image_url.format%28SVG%29")
    );
    let list = ListQrCodes::new()
        .image_format(QrImageFormat::Png)
        .after("QUZ");
    assert_eq!(
        list.to_request(&ctx()).unwrap().uri().query(),
        Some(
            "fields=code%2Cprefilled_message%2Cdeep_link_url%2Cqr_image_url.format%28PNG%29&after=QUZ"
        )
    );
    let empty = http::Response::new(br#"{"data":[]}"#.to_vec());
    let e = get.parse_response(empty).unwrap_err();
    assert!(matches!(e, Error::Decode(_)), "{e:?}");
    assert!(e.to_string().contains("4O4YGZEG3RIVE1"), "{e}");
}

#[test]
fn the_prefilled_message_holds_1_to_140_characters() {
    assert!(
        CreateQrCode::new("é".repeat(140))
            .to_request(&ctx())
            .is_ok()
    );
    let (field, violation) = validation(
        CreateQrCode::new("é".repeat(141))
            .to_request(&ctx())
            .unwrap_err(),
    );
    assert_eq!(field, "prefilled_message");
    assert_eq!(
        violation,
        Violation::TooLong {
            max: 140,
            actual: 141
        }
    );
    let (field, _) = validation(CreateQrCode::new(" ").to_request(&ctx()).unwrap_err());
    assert_eq!(field, "prefilled_message");
    let (field, _) = validation(UpdateQrCode::new("", "Hi").to_request(&ctx()).unwrap_err());
    assert_eq!(field, "code");
}

// --- Subscribed apps and overrides -------------------------------------------------------------

#[tokio::test]
async fn the_app_is_subscribed_with_and_without_an_override_listed_and_unsubscribed() {
    let server = MockServer::start().await;
    expect(
        &server,
        "POST",
        &format!("{WABA}/subscribed_apps"),
        None,
        None,
        success(),
    )
    .await;
    expect(
        &server,
        "POST",
        &format!("{WABA}/subscribed_apps"),
        None,
        Some(json!({"override_callback_uri": "https://hooks.example.com/waba", "verify_token": "waba-verify-1"})),
        success(),
    )
    .await;
    expect(
        &server,
        "GET",
        &format!("{WABA}/subscribed_apps"),
        None,
        None,
        ok(json!({"data": [
            {"whatsapp_business_api_data": {"id": "670843887433847", "link": "https://www.facebook.com/games/?app_id=670843887433847", "name": "Lucky Shrub"},
             "override_callback_uri": "https://hooks.example.com/waba"},
            {"whatsapp_business_api_data": {"id": "1234"}}
        ]})),
    )
    .await;
    expect(
        &server,
        "DELETE",
        &format!("{WABA}/subscribed_apps"),
        None,
        None,
        success(),
    )
    .await;
    let client = client(&server);
    client.subscribe_app(None).await.unwrap();
    client
        .subscribe_app(Some(CallbackOverride::new(
            "https://hooks.example.com/waba",
            "waba-verify-1",
        )))
        .await
        .unwrap();
    let apps = client.subscribed_apps().await.unwrap();
    assert_eq!(apps[0].whatsapp_business_api_data.id, "670843887433847");
    assert_eq!(
        apps[0].whatsapp_business_api_data.name.as_deref(),
        Some("Lucky Shrub")
    );
    assert_eq!(
        apps[0].override_callback_uri.as_deref(),
        Some("https://hooks.example.com/waba")
    );
    assert_eq!(apps[1].override_callback_uri, None);
    client.unsubscribe_app().await.unwrap();
}

#[tokio::test]
async fn the_phone_override_is_set_cleared_and_read() {
    let server = MockServer::start().await;
    expect(
        &server,
        "POST",
        PHONE,
        None,
        Some(json!({"webhook_configuration": {"override_callback_uri": "https://hooks.example.com/n1", "verify_token": "n1-verify"}})),
        success(),
    )
    .await;
    expect(
        &server,
        "POST",
        PHONE,
        None,
        Some(json!({"webhook_configuration": {"override_callback_uri": ""}})),
        success(),
    )
    .await;
    expect(
        &server,
        "GET",
        PHONE,
        Some("fields=webhook_configuration"),
        None,
        ok(json!({"webhook_configuration": {
            "phone_number": "https://hooks.example.com/n1",
            "whatsapp_business_account": "https://hooks.example.com/waba",
            "application": "https://app.example.com/webhook"
        }, "id": PHONE})),
    )
    .await;
    let client = client(&server);
    client
        .set_phone_webhook_override(Some(CallbackOverride::new(
            "https://hooks.example.com/n1",
            "n1-verify",
        )))
        .await
        .unwrap();
    client.set_phone_webhook_override(None).await.unwrap();
    let config = client.webhook_configuration().await.unwrap();
    assert_eq!(config.effective(), Some("https://hooks.example.com/n1"));
    assert_eq!(
        config.application.as_deref(),
        Some("https://app.example.com/webhook")
    );
}

#[test]
fn override_urls_are_https_of_at_most_200_characters_and_the_token_stays_secret() {
    let base = "https://hooks.example.com/";
    let at = |n: usize| format!("{base}{}", "a".repeat(n - base.len()));
    assert!(CallbackOverride::new(at(200), "t").validate().is_ok());
    let e = CallbackOverride::new(at(201), "t").validate().unwrap_err();
    assert_eq!(e.field, "override_callback_uri");
    assert_eq!(
        e.violation,
        Violation::TooLong {
            max: 200,
            actual: 201
        }
    );
    let e = CallbackOverride::new("http://hooks.example.com/wa", "t")
        .validate()
        .unwrap_err();
    assert_eq!(e.field, "override_callback_uri");
    let e = CallbackOverride::new("https://hooks.example.com/wa", " ")
        .validate()
        .unwrap_err();
    assert_eq!(e.field, "verify_token");
    let over = CallbackOverride::new("https://hooks.example.com/wa", "very-secret-token");
    let request =
        whatsapp_cloud::endpoint::operations::SubscribeApp::new().with_override(over.clone());
    assert!(!format!("{request:?}").contains("very-secret-token"));
    assert!(!format!("{over:?}").contains("very-secret-token"));
}

// --- Two-step PIN ------------------------------------------------------------------------------

#[tokio::test]
async fn the_pin_is_posted_to_the_number() {
    let server = MockServer::start().await;
    expect(
        &server,
        "POST",
        PHONE,
        None,
        Some(json!({"pin": "048213"})),
        success(),
    )
    .await;
    assert!(
        client(&server)
            .set_two_step_pin("048213")
            .await
            .unwrap()
            .success
    );
}

#[test]
fn the_pin_is_exactly_six_digits_and_never_shown() {
    for bad in ["04821", "0482135", "04821a", "０４８２１３", ""] {
        let set = SetTwoStepPin::new(bad);
        let e = set.to_request(&ctx()).unwrap_err();
        let (field, _) = validation(e);
        assert_eq!(field, "pin", "{bad:?}");
    }
    let e = SetTwoStepPin::new("9876543")
        .to_request(&ctx())
        .unwrap_err();
    assert!(!e.to_string().contains("9876543"), "{e}");
    assert!(!format!("{e:?}").contains("9876543"), "{e:?}");
    let set = SetTwoStepPin::new("987654");
    assert!(!format!("{set:?}").contains("987654"));
}

// --- Display name ------------------------------------------------------------------------------

#[tokio::test]
async fn a_display_name_is_requested_and_its_review_read() {
    let server = MockServer::start().await;
    expect(
        &server,
        "POST",
        PHONE,
        Some("new_display_name=Lucky+Shrub+Plants"),
        None,
        success(),
    )
    .await;
    expect(
        &server,
        "GET",
        PHONE,
        Some("fields=verified_name%2Cname_status%2Cnew_display_name%2Cnew_name_status"),
        None,
        ok(json!({"verified_name": "Lucky Shrub", "name_status": "approved",
                  "new_display_name": "Lucky Shrub Plants", "new_name_status": "IN_APPEAL", "id": PHONE})),
    )
    .await;
    let client = client(&server);
    client
        .request_display_name("Lucky Shrub Plants")
        .await
        .unwrap();
    let status = client.display_name_status().await.unwrap();
    assert_eq!(status.name_status, Some(NameStatus::Approved));
    assert_eq!(
        status.new_name_status,
        Some(NameStatus::Unknown("IN_APPEAL".into()))
    );
    assert_eq!(status.verified_name.as_deref(), Some("Lucky Shrub"));
}

// --- Conversational automation -----------------------------------------------------------------

#[tokio::test]
async fn conversational_automation_is_set_and_read() {
    let server = MockServer::start().await;
    expect(
        &server,
        "POST",
        &format!("{PHONE}/conversational_automation"),
        None,
        Some(
            json!({"enable_welcome_message": true, "prompts": ["Book a table"],
                    "commands": [{"command_name": "menu", "command_description": "See the menu"}]}),
        ),
        success(),
    )
    .await;
    expect(
        &server,
        "GET",
        PHONE,
        Some("fields=conversational_automation"),
        None,
        ok(json!({"conversational_automation": {"enable_welcome_message": true, "prompts": ["Book a table"],
                  "commands": [{"command_name": "menu", "command_description": "See the menu"}]}, "id": PHONE})),
    )
    .await;
    let client = client(&server);
    client
        .set_conversational_automation(
            &SetConversationalAutomation::new()
                .enable_welcome_message(true)
                .prompts(["Book a table"])
                .commands([AutomationCommand::new("menu", "See the menu")]),
        )
        .await
        .unwrap();
    let read = client.conversational_automation().await.unwrap();
    assert_eq!(read.enable_welcome_message, Some(true));
    assert_eq!(read.commands[0].command_name, "menu");
}

#[test]
fn automation_limits_are_checked_just_inside_and_just_outside() {
    let set = SetConversationalAutomation::new;
    let check = |s: SetConversationalAutomation| s.to_request(&ctx()).map(|_| ());
    assert!(check(set().prompts(vec!["p".repeat(80); 4])).is_ok());
    let (f, v) = validation(check(set().prompts(vec!["p"; 5])).unwrap_err());
    assert_eq!(
        (f.as_str(), v),
        ("prompts", Violation::TooMany { max: 4, actual: 5 })
    );
    let (f, _) = validation(check(set().prompts(["ok", &"p".repeat(81)])).unwrap_err());
    assert_eq!(f, "prompts[1]");
    let commands = |n: usize, name: usize, hint: usize| {
        (0..n).map(move |i| AutomationCommand::new(format!("{i:0name$}"), "h".repeat(hint)))
    };
    assert!(check(set().commands(commands(30, 32, 256))).is_ok());
    let (f, _) = validation(check(set().commands(commands(31, 3, 1))).unwrap_err());
    assert_eq!(f, "commands");
    let (f, _) = validation(check(set().commands(commands(1, 33, 1))).unwrap_err());
    assert_eq!(f, "commands[0].command_name");
    let (f, _) = validation(check(set().commands(commands(1, 3, 257))).unwrap_err());
    assert_eq!(f, "commands[0].command_description");
    let (f, _) = validation(
        check(set().commands([AutomationCommand::new("menu", "See the menu 🍕")])).unwrap_err(),
    );
    assert_eq!(f, "commands[0].command_description");
    let (f, _) = validation(check(set().prompts(["Book ⭐"])).unwrap_err());
    assert_eq!(f, "prompts[0]");
    let (f, v) = validation(
        check(set().commands([
            AutomationCommand::new("menu", "a"),
            AutomationCommand::new("menu", "b"),
        ]))
        .unwrap_err(),
    );
    assert_eq!(f, "commands[1].command_name");
    assert!(matches!(v, Violation::Duplicate { .. }));
    let (f, v) = validation(check(set()).unwrap_err());
    assert_eq!(
        (f.as_str(), v),
        ("conversational_automation", Violation::Missing)
    );
    // Empty lists remove the prompts or commands.
    assert!(check(set().prompts(Vec::<String>::new())).is_ok());
}

// --- Business usernames ------------------------------------------------------------------------

#[tokio::test]
async fn a_username_is_claimed_read_suggested_and_deleted() {
    let server = MockServer::start().await;
    expect(
        &server,
        "POST",
        &format!("{PHONE}/username"),
        None,
        Some(json!({"username": "lucky.shrub", "transfer_action": "force_transfer"})),
        ok(json!({"status": "approved"})),
    )
    .await;
    expect(
        &server,
        "GET",
        &format!("{PHONE}/username"),
        None,
        None,
        ok(json!({"username": "lucky.shrub", "status": "reserved"})),
    )
    .await;
    expect(
        &server,
        "GET",
        &format!("{PHONE}/username_suggestions"),
        None,
        None,
        ok(json!({"data": [{"username_suggestions": ["luckyshrub", "lucky_shrub"]}]})),
    )
    .await;
    expect(
        &server,
        "DELETE",
        &format!("{PHONE}/username"),
        None,
        None,
        success(),
    )
    .await;
    expect(
        &server,
        "DELETE",
        &format!("{PHONE}/requested_username"),
        None,
        None,
        success(),
    )
    .await;
    let client = client(&server);
    let claimed = client
        .claim_username(
            &ClaimUsername::new(Username::new("Lucky.Shrub").unwrap())
                .transfer_action(TransferAction::ForceTransfer),
        )
        .await
        .unwrap();
    assert_eq!(claimed.status, Some(UsernameStatus::Approved));
    let state = client.username().await.unwrap();
    assert_eq!(state.username.as_deref(), Some("lucky.shrub"));
    assert_eq!(state.status, Some(UsernameStatus::Reserved));
    assert_eq!(
        client.username_suggestions().await.unwrap(),
        ["luckyshrub", "lucky_shrub"]
    );
    client.delete_username().await.unwrap();
    client.send(&DeleteUsername::requested()).await.unwrap();
}

#[test]
fn username_status_reads_both_documented_spellings_and_rejection_reasons() {
    let claim = ClaimUsername::new(Username::new("luckyshrub").unwrap());
    let older = http::Response::new(
        br#"{"status":"REJECTED","rejection_reasons":["IMPERSONATION"]}"#.to_vec(),
    );
    let state = claim.parse_response(older).unwrap();
    assert_eq!(state.status, Some(UsernameStatus::Rejected));
    assert_eq!(state.rejection_reasons, ["IMPERSONATION"]);
    for (wire, status) in [
        ("PENDING", UsernameStatus::Pending),
        ("approved", UsernameStatus::Approved),
        ("Reserved", UsernameStatus::Reserved),
        ("on_hold", UsernameStatus::Unknown("on_hold".into())),
    ] {
        let answer = http::Response::new(format!(r#"{{"status":"{wire}"}}"#).into_bytes());
        assert_eq!(claim.parse_response(answer).unwrap().status, Some(status));
    }
    let absent = http::Response::new(br#"{"status":"approved"}"#.to_vec());
    assert_eq!(claim.parse_response(absent).unwrap().username, None);
    let body = claim.to_request(&ctx()).unwrap();
    assert_eq!(body.body().as_slice(), br#"{"username":"luckyshrub"}"#);
}

#[test]
fn username_format_is_checked_at_its_limits() {
    assert_eq!(Username::new("abc").unwrap().as_str(), "abc");
    assert_eq!(
        Username::new("A".repeat(35)).unwrap().as_str(),
        "a".repeat(35)
    );
    for (bad, why) in [
        ("ab", "3 to 35"),
        (&*"a".repeat(36), "3 to 35"),
        ("lucky-shrub", "only letters"),
        ("lucky shrub", "only letters"),
        ("1234_5", "at least one letter"),
        (".lucky", "leading"),
        ("lucky.", "trailing"),
        ("lucky..shrub", "consecutive"),
        ("wwwluckyshrub", "www"),
        ("luckyshrub.com", ".com"),
        ("lucky.shrub.io", ".io"),
        ("lücky", "only letters"),
    ] {
        let e = Username::new(bad).unwrap_err();
        assert_eq!(e.field, "username", "{bad}");
        assert!(e.to_string().contains(why), "{bad}: {e}");
    }
    assert!(Username::new("lucky.shrub_2").is_ok());
    assert!(Username::new("shop.lucky").is_ok());
}

#[test]
fn username_errors_are_typed() {
    for (code, class) in [
        (147001, ErrorClass::UsernameTaken),
        (147002, ErrorClass::UsernameIneligible),
        (147003, ErrorClass::UsernameNeedsLinkedAccount),
        (147004, ErrorClass::UsernameNeedsLinkedAccount),
        (147005, ErrorClass::UsernameHeldInPortfolio),
        (133010, ErrorClass::PhoneNumber),
        (139102, ErrorClass::BlocklistChanged),
        (131021, ErrorClass::Undeliverable),
        (
            130429,
            ErrorClass::RateLimited(whatsapp_cloud::error::RateLimit::Throughput),
        ),
    ] {
        assert_eq!(ErrorClass::of_code(code), class, "{code}");
    }
    assert!(ErrorClass::of_code(139103).is_retryable());
    assert!(!ErrorClass::of_code(147005).is_retryable());
}

// --- The testing kit ---------------------------------------------------------------------------

#[cfg(feature = "testing")]
mod fake {
    use super::*;
    use whatsapp_cloud::testing::FakeCloudApi;

    #[tokio::test]
    async fn the_fake_keeps_the_blocklist_and_fails_refused_users_as_meta_does() {
        let fake = FakeCloudApi::start().await;
        let client = fake.client().unwrap();
        fake.refuse_to_block("+1 631 555 0000");
        let outcome = client
            .block_users([
                Recipient::phone("+16315551234"),
                Recipient::phone("+16315550000"),
                Recipient::user_id("US.13491208655302741918"),
            ])
            .await
            .unwrap();
        assert_eq!(outcome.added.len(), 2);
        assert_eq!(outcome.failed[0].input, "+16315550000");
        assert_eq!(outcome.error_class(), Some(ErrorClass::BlockFailed));
        assert_eq!(
            fake.blocked_users(),
            ["16315551234", "US.13491208655302741918"]
        );
        let listed: Vec<_> = client.blocked_users().try_collect().await.unwrap();
        assert_eq!(listed.len(), 2);
        let removed = client
            .unblock_users([Recipient::phone("16315551234")])
            .await
            .unwrap();
        assert!(removed.is_complete());
        assert_eq!(fake.blocked_users(), ["US.13491208655302741918"]);
    }

    #[tokio::test]
    async fn the_fake_keeps_qr_codes() {
        let fake = FakeCloudApi::start().await;
        let client = fake.client().unwrap();
        let created = client
            .create_qr_code(&CreateQrCode::new("Hello"))
            .await
            .unwrap();
        assert_eq!(created.qr_image_url, None);
        client
            .update_qr_code(&UpdateQrCode::new(&created.code, "Hello again"))
            .await
            .unwrap();
        assert_eq!(
            client
                .qr_code(&created.code)
                .await
                .unwrap()
                .prefilled_message
                .as_deref(),
            Some("Hello again")
        );
        assert_eq!(
            fake.qr_codes(),
            [(created.code.clone(), "Hello again".into())]
        );
        client.delete_qr_code(&created.code).await.unwrap();
        assert!(client.qr_code(&created.code).await.is_err());
        assert!(fake.qr_codes().is_empty());
    }

    #[tokio::test]
    async fn the_fake_keeps_subscriptions_overrides_pin_name_automation_and_username() {
        let fake = FakeCloudApi::start().await;
        let client = fake.client().unwrap();
        let over = || CallbackOverride::new("https://hooks.example.com/a", "tok");
        // Meta needs the app subscribed before an override.
        assert!(client.subscribe_app(Some(over())).await.is_err());
        client.subscribe_app(None).await.unwrap();
        client.subscribe_app(Some(over())).await.unwrap();
        assert_eq!(
            fake.app_subscription(),
            (true, Some("https://hooks.example.com/a".into()))
        );
        client
            .set_phone_webhook_override(Some(CallbackOverride::new(
                "https://hooks.example.com/n",
                "tok",
            )))
            .await
            .unwrap();
        let config = client.webhook_configuration().await.unwrap();
        assert_eq!(config.effective(), Some("https://hooks.example.com/n"));
        client.set_phone_webhook_override(None).await.unwrap();
        let config = client.webhook_configuration().await.unwrap();
        assert_eq!(config.effective(), Some("https://hooks.example.com/a"));
        client.unsubscribe_app().await.unwrap();
        assert_eq!(fake.app_subscription(), (false, None));

        client.set_two_step_pin("112358").await.unwrap();
        assert_eq!(fake.two_step_pin().as_deref(), Some("112358"));

        client.request_display_name("Fake Flowers").await.unwrap();
        let status = client.display_name_status().await.unwrap();
        assert_eq!(status.new_display_name.as_deref(), Some("Fake Flowers"));
        assert_eq!(status.new_name_status, Some(NameStatus::PendingReview));

        client
            .set_conversational_automation(&SetConversationalAutomation::new().prompts(["Hi"]))
            .await
            .unwrap();
        assert_eq!(
            client.conversational_automation().await.unwrap().prompts,
            ["Hi"]
        );

        fake.take_username("taken_name");
        let e = client
            .claim_username(&ClaimUsername::new(Username::new("Taken_Name").unwrap()))
            .await
            .unwrap_err();
        assert_eq!(e.class(), Some(ErrorClass::UsernameTaken));
        client
            .claim_username(&ClaimUsername::new(Username::new("fakeflorist").unwrap()))
            .await
            .unwrap();
        assert_eq!(fake.business_username().as_deref(), Some("fakeflorist"));
        assert_eq!(
            client.username().await.unwrap().status,
            Some(UsernameStatus::Approved)
        );
        assert_eq!(client.username_suggestions().await.unwrap().len(), 2);
        client.delete_username().await.unwrap();
        assert_eq!(fake.business_username(), None);
        // The fake's other phone-number reads still answer.
        assert_eq!(client.username().await.unwrap().username, None);
    }
}
