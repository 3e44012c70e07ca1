//! The Calling API and the phone-number settings against a fake Cloud API (wiremock): each call's
//! method, path, query, headers and exact body, the parsing of the documented answers (both cases,
//! unknown values kept), the calls webhook events, the 24-hour window a user's call opens, and the
//! testing kit's fake.
#![cfg(feature = "client")]

mod common;

use serde_json::json;
use whatsapp_cloud::endpoint::calls::{
    CallAction, CallPermissionStatus, ConnectCall, GetCallPermissions,
};
use whatsapp_cloud::endpoint::settings::{
    CallCapture, CallHours, CallingSettings, FeatureStatus, GetPhoneNumberSettings, SipServer,
    SipSettings, StorageConfiguration, StorageStatus, UpdatePhoneNumberSettings, Weekday,
};
use whatsapp_cloud::error::{CallingErrorKind, ErrorClass, RateLimit};
use whatsapp_cloud::{CallId, Client, Error, Recipient};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "calling-token-4411";
const PHONE: &str = "106540352242922";

fn client(server: &MockServer) -> Client {
    common::mock_client(server, TOKEN, PHONE, None)
        .build()
        .unwrap()
}

fn auth() -> wiremock::matchers::HeaderExactMatcher {
    common::bearer(TOKEN)
}

fn json_body() -> wiremock::matchers::HeaderExactMatcher {
    header("content-type", "application/json")
}

fn action_success() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"messaging_product": "whatsapp", "success": true}))
}

fn no_query(request: &Request) -> bool {
    request.url.query().is_none()
}

fn no_body(request: &Request) -> bool {
    request.body.is_empty()
}

#[tokio::test]
async fn settings_are_read_with_and_without_sip_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{PHONE}/settings")))
        .and(auth())
        .and(no_query)
        .and(no_body)
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "calling": {"status": "enabled", "call_icon_visibility": "DEFAULT",
                "callback_permission_status": "disabled",
                "sip": {"status": "DISABLED"}},
            "storage_configuration": {"status": "IN_COUNTRY_STORAGE_DISABLED"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{PHONE}/settings")))
        .and(auth())
        .and(query_param("include_sip_credentials", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "calling": {"status": "ENABLED", "sip": {"status": "ENABLED", "servers": [
                {"hostname": "sip.example.com", "port": 5061, "sip_user_password": "pa55-word-sip"}
            ]}}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let settings = client.phone_number_settings().await.unwrap();
    let calling = settings.calling.unwrap();
    assert_eq!(calling.status, Some(FeatureStatus::Enabled));
    assert_eq!(
        calling.callback_permission_status,
        Some(FeatureStatus::Disabled)
    );
    assert_eq!(
        settings.storage_configuration.map(|s| s.status),
        Some(StorageStatus::InCountryStorageDisabled)
    );

    let with = client
        .send(&GetPhoneNumberSettings::new().include_sip_credentials(true))
        .await
        .unwrap();
    let sip = with.calling.and_then(|c| c.sip).unwrap();
    let password = sip.servers[0].sip_user_password.as_ref().unwrap();
    assert_eq!(password.expose_secret(), "pa55-word-sip");
    assert!(!format!("{sip:?}").contains("pa55-word-sip"));
}

#[tokio::test]
async fn each_settings_section_is_posted_alone_with_its_exact_body() {
    let server = MockServer::start().await;
    let expected = [
        json!({"calling": {
            "status": "ENABLED",
            "call_hours": {"status": "ENABLED", "timezone_id": "America/Manaus",
                "weekly_operating_hours": [
                    {"day_of_week": "MONDAY", "open_time": "0400", "close_time": "1020"},
                    {"day_of_week": "MONDAY", "open_time": "1100", "close_time": "1800"}],
                "holiday_schedule": [{"date": "2026-01-01", "start_time": "0000", "end_time": "2359"}]},
            "sip": {"status": "ENABLED", "servers": [{"hostname": "sip.example.com", "port": 5060,
                "request_uri_user_params": {"KEY1": "VALUE1"}}]},
            "recording": {"status": "ENABLED", "purpose": "Quality", "announcement_language": "en_US"}
        }}),
        json!({"storage_configuration": {"status": "IN_COUNTRY_STORAGE_ENABLED", "data_localization_region": "BR"}}),
        json!({"user_identity_change": {"enabled": true}}),
        json!({"payload_encryption": {"status": "DISABLED"}}),
    ];
    for body in &expected {
        Mock::given(method("POST"))
            .and(path(format!("/v26.0/{PHONE}/settings")))
            .and(auth())
            .and(json_body())
            .and(no_query)
            .and(body_json(body))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let updates = [
        UpdatePhoneNumberSettings::calling(
            CallingSettings::new()
                .status(FeatureStatus::Enabled)
                .call_hours(
                    CallHours::new("America/Manaus")
                        .open(Weekday::Monday, "0400", "1020")
                        .open(Weekday::Monday, "1100", "1800")
                        .holiday("2026-01-01", "0000", "2359"),
                )
                .sip(
                    SipSettings::new(FeatureStatus::Enabled).server(
                        SipServer::new("sip.example.com")
                            .port(5060)
                            .user_param("KEY1", "VALUE1"),
                    ),
                )
                .recording(CallCapture::enabled("Quality").announcement_language("en_US")),
        ),
        UpdatePhoneNumberSettings::storage_configuration(StorageConfiguration::in_country("BR")),
        UpdatePhoneNumberSettings::user_identity_change(true),
        UpdatePhoneNumberSettings::payload_encryption(FeatureStatus::Disabled),
    ];
    for update in &updates {
        assert!(
            client
                .update_phone_number_settings(update)
                .await
                .unwrap()
                .success
        );
    }
}

#[tokio::test]
async fn invalid_settings_are_refused_before_any_request() {
    let server = MockServer::start().await;
    let client = client(&server);
    let three_windows = CallHours::new("UTC")
        .open(Weekday::Sunday, "0100", "0200")
        .open(Weekday::Sunday, "0300", "0400")
        .open(Weekday::Sunday, "0500", "0600");
    let e = client
        .update_phone_number_settings(&UpdatePhoneNumberSettings::calling(
            CallingSettings::new().call_hours(three_windows),
        ))
        .await
        .unwrap_err();
    match e {
        Error::Validation(v) => {
            assert_eq!(v.field, "calling.call_hours.weekly_operating_hours");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn connect_posts_the_offer_and_returns_the_call_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/calls")))
        .and(auth())
        .and(json_body())
        .and(body_json(json!({
            "messaging_product": "whatsapp",
            "recipient": "US.13491208655302741918",
            "action": "connect",
            "session": {"sdp_type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"},
            "biz_opaque_callback_data": "order-77",
            "transcription": {"status": "ENABLED", "purpose": "Notes"}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp",
            "calls": [{"id": "wacid.HBgLMTIxODU1NTI4MjgVAgARGCAyODRQ"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let id = client(&server)
        .connect_call(
            &ConnectCall::new(
                Recipient::user_id("US.13491208655302741918"),
                "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n",
            )
            .biz_opaque_callback_data("order-77")
            .transcription(CallCapture::enabled("Notes")),
        )
        .await
        .unwrap();
    assert_eq!(id, CallId::from("wacid.HBgLMTIxODU1NTI4MjgVAgARGCAyODRQ"));
}

#[tokio::test]
async fn each_call_action_posts_its_exact_body() {
    let server = MockServer::start().await;
    let bodies = [
        json!({"messaging_product": "whatsapp", "call_id": "wacid.U1", "action": "pre_accept",
            "session": {"sdp_type": "answer", "sdp": "v=0 answer"}}),
        json!({"messaging_product": "whatsapp", "call_id": "wacid.U1", "action": "accept",
            "session": {"sdp_type": "answer", "sdp": "v=0 answer"}}),
        json!({"messaging_product": "whatsapp", "call_id": "wacid.U2", "action": "reject"}),
        json!({"messaging_product": "whatsapp", "call_id": "wacid.U1", "action": "terminate"}),
        json!({"messaging_product": "whatsapp", "call_id": "wacid.U3", "action": "accept",
            "session": {"sdp_type": "answer", "sdp": "v=0 b"},
            "biz_opaque_callback_data": "t", "recording": {"status": "DISABLED"}}),
    ];
    for body in &bodies {
        Mock::given(method("POST"))
            .and(path(format!("/v26.0/{PHONE}/calls")))
            .and(auth())
            .and(json_body())
            .and(body_json(body))
            .respond_with(action_success())
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    assert!(
        client
            .pre_accept_call("wacid.U1", "v=0 answer")
            .await
            .unwrap()
            .success
    );
    assert!(
        client
            .accept_call("wacid.U1", "v=0 answer")
            .await
            .unwrap()
            .success
    );
    assert!(client.reject_call("wacid.U2").await.unwrap().success);
    assert!(client.terminate_call("wacid.U1").await.unwrap().success);
    let accept = CallAction::accept("wacid.U3", "v=0 b")
        .biz_opaque_callback_data("t")
        .recording(CallCapture::disabled());
    assert!(client.call_action(&accept).await.unwrap().success);
}

#[tokio::test]
async fn calling_errors_come_back_classified_and_rate_limits_are_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/calls")))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": {
            "message": "(#138006) No approved call permission", "type": "OAuthException",
            "code": 138006, "fbtrace_id": "A1"}})))
        .mount(&server)
        .await;
    let e = client(&server)
        .connect_call(&ConnectCall::new(Recipient::phone("14085551234"), "v=0"))
        .await
        .unwrap_err();
    assert_eq!(
        e.class(),
        Some(ErrorClass::Calling(CallingErrorKind::NoPermission))
    );
    assert!(!e.is_retryable());

    // 138005 (call rate) is retried with back-off, then the call goes through.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/calls")))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({"error": {
            "message": "(#138005) Call limit reached", "code": 138005}})))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/calls")))
        .respond_with(action_success())
        .mount(&server)
        .await;
    let retrying = Client::builder()
        .access_token(TOKEN)
        .phone_number_id(PHONE)
        .base_url(server.uri())
        .retry_policy(whatsapp_cloud::retry::RetryPolicy::default().jitter(false))
        .timer(whatsapp_cloud::client::ManualTimer::new())
        .build()
        .unwrap();
    assert!(retrying.terminate_call("wacid.X").await.unwrap().success);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert_eq!(
        ErrorClass::of_code(138002),
        ErrorClass::RateLimited(RateLimit::ConcurrentCalls)
    );
}

#[tokio::test]
async fn call_permissions_are_read_by_phone_or_bsuid() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{PHONE}/call_permissions")))
        .and(auth())
        .and(query_param("user_wa_id", "14085551234"))
        .and(no_body)
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp",
            "permission": {"status": "temporary", "expiration_time": 1745343479},
            "actions": [
                {"action_name": "send_call_permission_request", "can_perform_action": true,
                 "limits": [{"time_period": "PT24H", "max_allowed": 1, "current_usage": 0}]},
                {"action_name": "start_call", "can_perform_action": false,
                 "limits": [{"time_period": "PT24H", "max_allowed": 100, "current_usage": 100,
                    "limit_expiration_time": 1745622600}]}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{PHONE}/call_permissions")))
        .and(auth())
        .and(query_param("recipient", "US.13491208655302741918"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp", "permission": {"status": "NO_PERMISSION"}, "actions": []
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let by_phone = client
        .call_permissions(Recipient::phone("14085551234"))
        .await
        .unwrap();
    assert_eq!(by_phone.permission.status, CallPermissionStatus::Temporary);
    assert_eq!(by_phone.permission.expiration_time, Some(1_745_343_479));
    assert!(by_phone.can_request_permission());
    assert!(!by_phone.can_start_call());
    assert_eq!(
        by_phone.actions[1].limits[0].limit_expiration_time,
        Some(1_745_622_600)
    );
    let by_bsuid = client
        .send(&GetCallPermissions::new(Recipient::user_id(
            "US.13491208655302741918",
        )))
        .await
        .unwrap();
    assert_eq!(
        by_bsuid.permission.status,
        CallPermissionStatus::NoPermission
    );
}

mod webhook_and_window {
    use whatsapp_cloud::policy::{
        InMemoryOptOutStore, InMemoryWindowTracker, Keywords, Outgoing, SendGuard, UserKey,
        block_on,
    };
    use whatsapp_cloud::webhook::{CallEventKind, Event, Payload};

    fn calls(call: &str) -> Vec<u8> {
        format!(
            r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"field":"calls","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550001111","phone_number_id":"2"}},"contacts":[{{"profile":{{"name":"Ana"}},"wa_id":"16505551234"}}],"calls":[{call}]}}}}]}}]}}"#
        )
        .into_bytes()
    }

    #[test]
    fn a_user_initiated_call_opens_the_window_the_send_guard_checks() {
        const AT: u64 = 1_767_225_600;
        let ana = UserKey::phone("16505551234");
        let guard = SendGuard::new(InMemoryWindowTracker::new(100), InMemoryOptOutStore::new());
        assert!(block_on(guard.check(&ana, &Outgoing::FreeForm, AT + 60)).is_err());

        // A business-initiated call opens nothing.
        let business = calls(&format!(
            r#"{{"id":"wacid.B","from":"15550001111","to":"16505551234","event":"connect","timestamp":"{AT}","direction":"BUSINESS_INITIATED","session":{{"sdp_type":"answer","sdp":"v=0"}}}}"#
        ));
        block_on(guard.observe_payload(
            &Payload::from_slice(&business).unwrap(),
            &Keywords::default(),
        ))
        .unwrap();
        assert!(block_on(guard.check(&ana, &Outgoing::FreeForm, AT + 60)).is_err());

        let user = calls(&format!(
            r#"{{"id":"wacid.U","from":"16505551234","to":"15550001111","event":"connect","timestamp":"{AT}","direction":"user_initiated","session":{{"sdp_type":"offer","sdp":"v=0"}}}}"#
        ));
        block_on(guard.observe_payload(&Payload::from_slice(&user).unwrap(), &Keywords::default()))
            .unwrap();
        assert!(block_on(guard.check(&ana, &Outgoing::FreeForm, AT + 60)).is_ok());
        assert!(block_on(guard.check(&ana, &Outgoing::FreeForm, AT + 24 * 3600 - 1)).is_ok());
        assert!(block_on(guard.check(&ana, &Outgoing::FreeForm, AT + 24 * 3600 + 1)).is_err());
    }

    #[test]
    fn recording_transcript_and_sip_events_are_typed() {
        let body = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/webhooks/calls_recording_and_transcript.json"
        ))
        .unwrap();
        let payload = Payload::from_slice(&body).unwrap();
        let calls: Vec<_> = payload
            .events()
            .filter_map(|e| match e {
                Event::Call(c) => Some(c.update().clone()),
                _ => None,
            })
            .collect();
        assert_eq!(calls.len(), 3);
        assert_eq!(calls[0].event, CallEventKind::RecordingAvailable);
        let audio = calls[0]
            .call_recording
            .as_ref()
            .and_then(|r| r.audio.as_ref())
            .unwrap();
        assert_eq!(audio.id.as_deref(), Some("1029384756102938"));
        assert_eq!(audio.mime_type.as_deref(), Some("audio/ogg"));
        assert_eq!(calls[1].event, CallEventKind::TranscriptionAvailable);
        let document = calls[1]
            .call_transcript
            .as_ref()
            .and_then(|t| t.document.as_ref())
            .unwrap();
        assert_eq!(document.mime_type.as_deref(), Some("application/json"));
        assert_eq!(calls[2].event, CallEventKind::CallCreated);
        // None of these opens a window: only a connect or terminate of a user's call does.
        let tracker = InMemoryWindowTracker::new(100);
        block_on(whatsapp_cloud::policy::WindowTracker::observe_payload(
            &tracker, &payload,
        ))
        .unwrap();
        assert!(tracker.is_empty());
    }
}

#[cfg(feature = "testing")]
mod fake {
    use super::*;
    use whatsapp_cloud::endpoint::calls::CallPermissionStatus;
    use whatsapp_cloud::testing::FakeCloudApi;

    #[tokio::test]
    async fn the_fake_answers_connect_records_actions_and_grants_permissions() {
        let fake = FakeCloudApi::start().await;
        let client = fake.client().unwrap();
        let ana = Recipient::phone("14085551234");
        let before = client.call_permissions(ana.clone()).await.unwrap();
        assert_eq!(before.permission.status, CallPermissionStatus::NoPermission);
        assert!(!before.can_start_call());
        fake.grant_call_permission("14085551234", Some(1_767_830_400))
            .await;
        let after = client.call_permissions(ana.clone()).await.unwrap();
        assert_eq!(after.permission.status, CallPermissionStatus::Temporary);
        assert!(after.can_start_call());

        let call = client
            .connect_call(&ConnectCall::new(ana, "v=0 offer"))
            .await
            .unwrap();
        assert!(call.as_str().starts_with("wacid.FAKE"));
        client.terminate_call(call.clone()).await.unwrap();
        assert!(client.reject_call(call.clone()).await.unwrap().success);

        let actions = fake.call_actions().await;
        let names: Vec<&str> = actions.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(names, ["connect", "terminate", "reject"]);
        assert_eq!(actions[0].to.as_deref(), Some("14085551234"));
        assert_eq!(actions[0].sdp_type.as_deref(), Some("offer"));
        assert_eq!(actions[1].call_id.as_deref(), Some(call.as_str()));
    }

    #[tokio::test]
    async fn the_fake_keeps_settings_one_section_at_a_time() {
        let fake = FakeCloudApi::start().await;
        let client = fake.client().unwrap();
        let before = client.phone_number_settings().await.unwrap();
        assert_eq!(
            before.calling.as_ref().and_then(|c| c.status.clone()),
            Some(FeatureStatus::Disabled)
        );
        client
            .update_phone_number_settings(&UpdatePhoneNumberSettings::calling(
                CallingSettings::new().status(FeatureStatus::Enabled).sip(
                    SipSettings::new(FeatureStatus::Enabled)
                        .server(SipServer::new("sip.example.com")),
                ),
            ))
            .await
            .unwrap();
        client
            .update_phone_number_settings(&UpdatePhoneNumberSettings::user_identity_change(true))
            .await
            .unwrap();
        let after = client
            .send(&GetPhoneNumberSettings::new().include_sip_credentials(true))
            .await
            .unwrap();
        let calling = after.calling.unwrap();
        assert_eq!(calling.status, Some(FeatureStatus::Enabled));
        // Untouched fields of the section stay.
        assert_eq!(
            calling.callback_permission_status,
            Some(FeatureStatus::Disabled)
        );
        let server = &calling.sip.unwrap().servers[0];
        assert!(server.sip_user_password.is_some());
        assert_eq!(after.user_identity_change.map(|u| u.enabled), Some(true));
    }
}

#[test]
fn templates_carry_the_call_permission_request_and_the_voice_call_button() {
    use whatsapp_cloud::message::{Message, SendMessage, Template, TemplateButton};
    let send = |template: Template| SendMessage::new("14085551234", Message::Template(template));
    let ok = send(
        Template::new("callback_offer", "en_US")
            .call_permission_request()
            .button(TemplateButton::voice_call(0, 43_200, Some("promo-7"))),
    );
    ok.validate().unwrap();
    let json = serde_json::to_value(&ok).unwrap();
    assert_eq!(
        json["template"]["components"],
        json!([
            {"type": "call_permission_request"},
            {"type": "button", "sub_type": "voice_call", "index": "0", "parameters": [
                {"type": "ttl_minutes", "ttl_minutes": 43200},
                {"type": "payload", "payload": "promo-7"}]}
        ])
    );
    for bad in [0, 43_201] {
        let e = send(Template::new("t", "en").button(TemplateButton::voice_call(0, bad, None)))
            .validate()
            .unwrap_err();
        assert_eq!(e.field, "template.components[0].parameters[0].ttl_minutes");
    }
    let twice = send(
        Template::new("t", "en")
            .call_permission_request()
            .call_permission_request(),
    );
    assert_eq!(
        twice.validate().unwrap_err().field,
        "template.components[1].type"
    );
}
