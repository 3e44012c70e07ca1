use super::*;
use serde_json::json;

fn ctx() -> ApiContext {
    ApiContext::new("t", "1065")
}

fn body<E: Endpoint>(endpoint: &E) -> serde_json::Value {
    let request = endpoint.to_request(&ctx()).unwrap();
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/1065/calls");
    serde_json::from_slice(request.body()).unwrap()
}

#[test]
fn connect_sends_the_offer_to_a_phone_a_bsuid_or_both() {
    assert_eq!(
        body(&ConnectCall::new(Recipient::phone("14085551234"), "v=0")),
        json!({"messaging_product": "whatsapp", "to": "14085551234", "action": "connect",
            "session": {"sdp_type": "offer", "sdp": "v=0"}})
    );
    assert_eq!(
        body(
            &ConnectCall::new(Recipient::user_id("US.13491208655302741918"), "v=0")
                .biz_opaque_callback_data("ticket-1")
                .recording(CallCapture::enabled("QA").announcement_language("en_US"))
                .transcription(CallCapture::disabled())
        ),
        json!({"messaging_product": "whatsapp", "recipient": "US.13491208655302741918",
            "action": "connect", "session": {"sdp_type": "offer", "sdp": "v=0"},
            "biz_opaque_callback_data": "ticket-1",
            "recording": {"status": "ENABLED", "purpose": "QA", "announcement_language": "en_US"},
            "transcription": {"status": "DISABLED"}})
    );
    let both = body(&ConnectCall::new(
        Recipient::phone_and_user_id("14085551234", "US.13491208655302741918"),
        "v=0",
    ));
    assert_eq!(both["to"], "14085551234");
    assert_eq!(both["recipient"], "US.13491208655302741918");
}

#[test]
fn connect_refuses_groups_blank_sdp_bad_bsuids_and_long_callback_data() {
    let cases = [
        (ConnectCall::new(Recipient::group("G1"), "v=0"), "to"),
        (
            ConnectCall::new(Recipient::phone("1408"), " "),
            "session.sdp",
        ),
        (ConnectCall::new(Recipient::phone(" "), "v=0"), "to"),
        (
            ConnectCall::new(Recipient::user_id("not-a-bsuid"), "v=0"),
            "recipient",
        ),
        (
            ConnectCall::new(Recipient::phone("1408"), "v=0")
                .biz_opaque_callback_data("x".repeat(513)),
            "biz_opaque_callback_data",
        ),
        (
            ConnectCall::new(Recipient::phone("1408"), "v=0")
                .recording(CallCapture::enabled("x".repeat(251))),
            "recording.purpose",
        ),
    ];
    for (connect, field) in cases {
        assert_eq!(connect.validate().unwrap_err().field, field, "{connect:?}");
        assert!(matches!(
            connect.to_request(&ctx()),
            Err(Error::Validation(_))
        ));
    }
    assert!(
        ConnectCall::new(Recipient::phone("1408"), "v=0")
            .biz_opaque_callback_data("x".repeat(512))
            .validate()
            .is_ok()
    );
}

#[test]
fn the_connect_answer_gives_the_call_id_and_an_empty_one_is_a_decode_error() {
    let connect = ConnectCall::new(Recipient::phone("1408"), "v=0");
    let ok = http::Response::new(
        br#"{"messaging_product":"whatsapp","calls":[{"id":"wacid.ABC"}]}"#.to_vec(),
    );
    assert_eq!(
        connect.parse_response(ok).unwrap(),
        CallId::from("wacid.ABC")
    );
    let empty = http::Response::new(br#"{"messaging_product":"whatsapp","calls":[]}"#.to_vec());
    assert!(matches!(
        connect.parse_response(empty),
        Err(Error::Decode(_))
    ));
    let refused = http::Response::builder()
        .status(401)
        .body(
            br#"{"error":{"code":138006,"message":"(#138006) No approved call permission"}}"#
                .to_vec(),
        )
        .unwrap();
    let e = connect.parse_response(refused).unwrap_err();
    assert_eq!(
        e.class(),
        Some(crate::error::ErrorClass::Calling(
            crate::error::CallingErrorKind::NoPermission
        ))
    );
    assert_eq!(connect.idempotency(), Idempotency::NotIdempotent);
}

#[test]
fn actions_name_the_call_and_answer_with_the_sdp_answer() {
    assert_eq!(
        body(&CallAction::pre_accept("wacid.1", "v=0 answer")),
        json!({"messaging_product": "whatsapp", "call_id": "wacid.1", "action": "pre_accept",
            "session": {"sdp_type": "answer", "sdp": "v=0 answer"}})
    );
    assert_eq!(
        body(
            &CallAction::accept("wacid.1", "v=0 answer")
                .biz_opaque_callback_data("t-9")
                .transcription(CallCapture::enabled("Notes"))
        ),
        json!({"messaging_product": "whatsapp", "call_id": "wacid.1", "action": "accept",
            "session": {"sdp_type": "answer", "sdp": "v=0 answer"},
            "biz_opaque_callback_data": "t-9",
            "transcription": {"status": "ENABLED", "purpose": "Notes"}})
    );
    assert_eq!(
        body(&CallAction::reject("wacid.1")),
        json!({"messaging_product": "whatsapp", "call_id": "wacid.1", "action": "reject"})
    );
    assert_eq!(
        body(&CallAction::terminate("wacid.1").phone_number_id("1065")),
        json!({"messaging_product": "whatsapp", "call_id": "wacid.1", "action": "terminate"})
    );
    let done = http::Response::new(br#"{"messaging_product":"whatsapp","success":true}"#.to_vec());
    assert!(
        CallAction::reject("wacid.1")
            .parse_response(done)
            .unwrap()
            .success
    );
}

#[test]
fn actions_refuse_a_blank_call_id_or_sdp_and_options_outside_accept() {
    assert_eq!(
        CallAction::terminate(" ").validate().unwrap_err().field,
        "call_id"
    );
    assert_eq!(
        CallAction::accept("wacid.1", "")
            .validate()
            .unwrap_err()
            .field,
        "session.sdp"
    );
    for action in [
        CallAction::pre_accept("wacid.1", "v=0").recording(CallCapture::disabled()),
        CallAction::terminate("wacid.1").transcription(CallCapture::disabled()),
    ] {
        let e = action.validate().unwrap_err();
        assert!(
            matches!(e.field.as_str(), "recording" | "transcription"),
            "{e}"
        );
    }
}

#[test]
fn permissions_are_looked_up_by_phone_or_bsuid_and_read_leniently() {
    let uri = |user: Recipient| {
        GetCallPermissions::new(user)
            .to_request(&ctx())
            .unwrap()
            .uri()
            .to_string()
    };
    assert_eq!(
        uri(Recipient::phone("+1 408 555")),
        "https://graph.facebook.com/v26.0/1065/call_permissions?user_wa_id=%2B1+408+555"
    );
    assert_eq!(
        uri(Recipient::user_id("US.1349")),
        "https://graph.facebook.com/v26.0/1065/call_permissions?recipient=US.1349"
    );
    assert_eq!(
        uri(Recipient::phone_and_user_id("1408", "US.1349")),
        "https://graph.facebook.com/v26.0/1065/call_permissions?user_wa_id=1408"
    );
    assert!(
        GetCallPermissions::new(Recipient::group("G"))
            .to_request(&ctx())
            .is_err()
    );

    let response = http::Response::new(
        br#"{"messaging_product":"whatsapp","permission":{"status":"PERMANENT"},
        "actions":[{"action_name":"send_call_permission_request","can_perform_action":false,
          "limits":[{"time_period":"P7D","max_allowed":2,"current_usage":2,"limit_expiration_time":"1745622600"}]},
          {"action_name":"start_video_call","can_perform_action":true}]}"#
            .to_vec(),
    );
    let p = GetCallPermissions::new(Recipient::phone("1408"))
        .parse_response(response)
        .unwrap();
    assert_eq!(p.permission.status, CallPermissionStatus::Permanent);
    assert_eq!(p.permission.expiration_time, None);
    assert!(!p.can_request_permission());
    assert!(!p.can_start_call());
    let limit = &p.actions[0].limits[0];
    assert_eq!(limit.limit_expiration_time, Some(1_745_622_600));
    assert_eq!(limit.period_seconds(), Some(7 * 86_400));
    assert_eq!(
        p.actions[1].action_name,
        CallPermissionActionName::Unknown("start_video_call".to_owned())
    );
}

#[test]
fn iso_periods_in_weeks_days_and_times_are_parsed_and_others_are_not() {
    for (text, seconds) in [
        ("PT24H", Some(86_400)),
        ("P1W", Some(604_800)),
        ("P1DT12H30M15S", Some(86_400 + 12 * 3_600 + 30 * 60 + 15)),
        ("PT90S", Some(90)),
        ("P1M", None),
        ("P1Y", None),
        ("PT", None),
        ("P", None),
        ("24H", None),
        ("PT1H1H", None),
        ("PT1M1H", None),
        ("PT12", None),
    ] {
        assert_eq!(ActionLimit::parse_period(text), seconds, "{text}");
    }
}

#[test]
fn debug_output_shows_the_sdp_length_not_its_ice_credentials() {
    let sdp = "v=0\r\na=ice-ufrag:F7gI\r\na=ice-pwd:x9cml9kkIWMTgTXl8fXv2kTz\r\n";
    let connect = ConnectCall::new(Recipient::phone("14085551234"), sdp);
    let accept = CallAction::accept("wacid.HBgL", sdp);
    for shown in [format!("{connect:?}"), format!("{accept:?}")] {
        assert!(!shown.contains("ice-pwd"), "{shown}");
        assert!(
            shown.contains(&format!("<SDP of {} bytes>", sdp.len())),
            "{shown}"
        );
    }
    assert!(format!("{accept:?}").contains("wacid.HBgL"));
}
