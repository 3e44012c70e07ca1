use super::*;
use crate::error::Violation;
use serde_json::json;

fn calling_error(calling: CallingSettings) -> ValidationError {
    calling.validate().unwrap_err()
}

fn read(body: serde_json::Value) -> PhoneNumberSettings {
    let response = http::Response::new(serde_json::to_vec(&body).unwrap());
    GetPhoneNumberSettings::new()
        .parse_response(response)
        .unwrap()
}

#[test]
fn the_documented_settings_are_read_in_either_case_and_unknown_values_are_kept() {
    let settings = read(json!({
        "calling": {
            "status": "enabled",
            "call_icon_visibility": "disable_all",
            "call_icons": {"restrict_to_user_countries": ["US", "BR"]},
            "call_hours": {"status": "ENABLED", "timezone_id": "America/Manaus",
                "weekly_operating_hours": [{"day_of_week": "monday", "open_time": "0400", "close_time": "1020"}],
                "holiday_schedule": [{"date": "2026-01-01", "start_time": "0000", "end_time": "2359"}]},
            "callback_permission_status": "DISABLED",
            "sip": {"status": "ENABLED", "servers": [{"hostname": "sip.example.com", "port": 5061,
                "request_uri_user_params": {"tenant": "acme"}, "sip_user_password": "s3cret-sip"}]},
            "audio": {"additional_codecs": ["PCMA", "G722"]},
            "voicemail": {"status": "ENABLED", "triggers": ["REJECT", "TIMEOUT"],
                "audio": {"default": {"announcement_media_id": 123, "timeout_seconds": 20}}},
            "recording": {"status": "ENABLED", "purpose": "QA", "announcement_language": "en_US"},
            "transcription": {"status": "visible"}
        },
        "storage_configuration": {"status": "in_country_storage_enabled", "data_localization_region": "BR"},
        "user_identity_change": {"enabled": true},
        "payload_encryption": {"status": "DISABLED"}
    }));
    let calling = settings.calling.as_ref().unwrap();
    assert_eq!(calling.status, Some(FeatureStatus::Enabled));
    assert_eq!(
        calling.call_icon_visibility,
        Some(CallIconVisibility::DisableAll)
    );
    let hours = calling.call_hours.as_ref().unwrap();
    assert_eq!(hours.weekly_operating_hours[0].day_of_week, Weekday::Monday);
    assert_eq!(hours.holiday_schedule[0].end_time, "2359");
    let server = &calling.sip.as_ref().unwrap().servers[0];
    assert_eq!(
        server.sip_user_password.as_ref().map(|p| p.expose_secret()),
        Some("s3cret-sip")
    );
    assert_eq!(
        calling.audio.as_ref().unwrap().additional_codecs,
        [AudioCodec::Pcma, AudioCodec::Unknown("G722".to_owned())]
    );
    let greeting = calling
        .voicemail
        .as_ref()
        .and_then(|v| v.audio.as_ref())
        .and_then(|a| a.default.as_ref())
        .unwrap();
    assert_eq!(
        greeting.announcement_media_id.as_ref().map(|m| m.as_str()),
        Some("123")
    );
    assert_eq!(
        calling.transcription.as_ref().unwrap().status,
        Some(FeatureStatus::Unknown("visible".to_owned()))
    );
    assert_eq!(
        settings.storage_configuration.as_ref().unwrap().status,
        StorageStatus::InCountryStorageEnabled
    );
    assert_eq!(
        settings.user_identity_change,
        Some(UserIdentityChange { enabled: true })
    );
    // The SIP password never shows in Debug and is never written back.
    let debug = format!("{settings:?}");
    assert!(!debug.contains("s3cret-sip"), "{debug}");
    assert!(debug.contains("SipPassword(<redacted>)"), "{debug}");
    let written = serde_json::to_value(&settings).unwrap();
    assert!(
        written["calling"]["sip"]["servers"][0]
            .get("sip_user_password")
            .is_none()
    );
    // Written back upper case, the media id as Meta's number.
    assert_eq!(written["calling"]["status"], "ENABLED");
    assert_eq!(
        written["calling"]["voicemail"]["audio"]["default"]["announcement_media_id"],
        123
    );
}

#[test]
fn an_update_sends_exactly_one_section_in_upper_case() {
    let ctx = ApiContext::new("t", "1065");
    let body = |u: UpdatePhoneNumberSettings| -> serde_json::Value {
        let request = u.to_request(&ctx).unwrap();
        assert_eq!(request.method(), http::Method::POST);
        assert_eq!(
            request.uri(),
            "https://graph.facebook.com/v26.0/1065/settings"
        );
        serde_json::from_slice(request.body()).unwrap()
    };
    assert_eq!(
        body(UpdatePhoneNumberSettings::user_identity_change(false)),
        json!({"user_identity_change": {"enabled": false}})
    );
    assert_eq!(
        body(UpdatePhoneNumberSettings::payload_encryption(
            FeatureStatus::Enabled
        )),
        json!({"payload_encryption": {"status": "ENABLED"}})
    );
    assert_eq!(
        body(UpdatePhoneNumberSettings::storage_configuration(
            StorageConfiguration::disabled()
        )),
        json!({"storage_configuration": {"status": "IN_COUNTRY_STORAGE_DISABLED"}})
    );
    assert_eq!(
        body(UpdatePhoneNumberSettings::calling(
            CallingSettings::new()
                .call_icon_visibility(CallIconVisibility::Default)
                .restrict_call_icons_to(["US", "BR"])
                .callback_permission_status(FeatureStatus::Enabled)
                .additional_codecs([AudioCodec::Pcmu])
                .voicemail(
                    VoicemailSettings::new(FeatureStatus::Enabled)
                        .trigger(VoicemailTrigger::Timeout)
                        .greeting("4490709327684364", 20)
                )
                .call_hours(CallHours::disabled())
        )),
        json!({"calling": {
            "call_icon_visibility": "DEFAULT",
            "call_icons": {"restrict_to_user_countries": ["US", "BR"]},
            "call_hours": {"status": "DISABLED"},
            "callback_permission_status": "ENABLED",
            "audio": {"additional_codecs": ["PCMU"]},
            "voicemail": {"status": "ENABLED", "triggers": ["TIMEOUT"],
                "audio": {"default": {"announcement_media_id": 4490709327684364_u64, "timeout_seconds": 20}}}
        }})
    );
}

#[test]
fn the_sip_credentials_are_asked_for_only_when_wanted() {
    let ctx = ApiContext::new("t", "1065");
    let plain = GetPhoneNumberSettings::new().to_request(&ctx).unwrap();
    assert_eq!(plain.uri().query(), None);
    let with = GetPhoneNumberSettings::new()
        .include_sip_credentials(true)
        .phone_number_id("2")
        .to_request(&ctx)
        .unwrap();
    assert_eq!(
        with.uri(),
        "https://graph.facebook.com/v26.0/2/settings?include_sip_credentials=true"
    );
    assert_eq!(with.method(), http::Method::GET);
}

#[test]
fn call_hours_allow_two_windows_a_day_and_twenty_holidays() {
    let two = CallHours::new("UTC")
        .open(Weekday::Monday, "0000", "1200")
        .open(Weekday::Monday, "1200", "2359")
        .open(Weekday::Tuesday, "0900", "1700");
    assert!(
        CallingSettings::new()
            .call_hours(two.clone())
            .validate()
            .is_ok()
    );

    let three = two.open(Weekday::Monday, "0100", "0200");
    let e = calling_error(CallingSettings::new().call_hours(three));
    assert_eq!(e.field, "calling.call_hours.weekly_operating_hours");
    assert_eq!(e.violation, Violation::TooMany { max: 2, actual: 3 });

    let twenty = (1..=20).fold(CallHours::new("UTC"), |h, d| {
        h.holiday(format!("2026-01-{d:02}"), "0000", "2359")
    });
    assert!(twenty.validate().is_ok());
    let e = twenty
        .holiday("2026-02-01", "0000", "2359")
        .validate()
        .unwrap_err();
    assert_eq!(e.field, "calling.call_hours.holiday_schedule");
    assert_eq!(
        e.violation,
        Violation::TooMany {
            max: 20,
            actual: 21
        }
    );
}

#[test]
fn call_hours_refuse_overlaps_reversed_windows_and_bad_times() {
    let overlap = CallHours::new("UTC")
        .open(Weekday::Friday, "0900", "1300")
        .open(Weekday::Friday, "1259", "1800");
    let e = overlap.validate().unwrap_err();
    assert_eq!(
        e.field,
        "calling.call_hours.weekly_operating_hours[1].open_time"
    );
    assert!(e.to_string().contains("weekly_operating_hours[0]"), "{e}");

    let reversed = CallHours::new("UTC").open(Weekday::Friday, "1300", "1300");
    assert_eq!(
        reversed.validate().unwrap_err().field,
        "calling.call_hours.weekly_operating_hours[0].close_time"
    );
    for bad in ["2400", "0960", "900", "09:00", "ab00"] {
        let e = CallHours::new("UTC")
            .open(Weekday::Friday, bad, "2300")
            .validate()
            .unwrap_err();
        assert_eq!(
            e.field, "calling.call_hours.weekly_operating_hours[0].open_time",
            "{bad}"
        );
    }
    let e = CallHours::new("UTC")
        .holiday("2026-02-30", "0000", "2359")
        .validate()
        .unwrap_err();
    assert_eq!(e.field, "calling.call_hours.holiday_schedule[0].date");
    let e = CallHours::new("UTC")
        .holiday("2026-02-01", "1000", "0900")
        .validate()
        .unwrap_err();
    assert_eq!(e.field, "calling.call_hours.holiday_schedule[0].end_time");
}

#[test]
fn purposes_regions_and_hosts_are_checked_before_sending() {
    let ok = CallCapture::enabled("x".repeat(CAPTURE_PURPOSE_MAX));
    assert!(CallingSettings::new().recording(ok).validate().is_ok());
    let e =
        calling_error(CallingSettings::new().transcription(CallCapture::enabled("x".repeat(251))));
    assert_eq!(e.field, "calling.transcription.purpose");
    assert_eq!(
        e.violation,
        Violation::TooLong {
            max: 250,
            actual: 251
        }
    );
    let e = calling_error(
        CallingSettings::new()
            .sip(SipSettings::new(FeatureStatus::Enabled).server(SipServer::new(" "))),
    );
    assert_eq!(e.field, "calling.sip.servers[0].hostname");
    let e = calling_error(CallingSettings::new().restrict_call_icons_to(["USA"]));
    assert_eq!(e.field, "calling.call_icons.restrict_to_user_countries[0]");

    let ctx = ApiContext::new("t", "1065");
    let missing = UpdatePhoneNumberSettings::storage_configuration(StorageConfiguration {
        status: StorageStatus::InCountryStorageEnabled,
        data_localization_region: None,
    });
    let e = missing.to_request(&ctx).unwrap_err();
    assert!(
        e.to_string()
            .contains("storage_configuration.data_localization_region"),
        "{e}"
    );
}

#[test]
fn an_unreadable_answer_never_shows_a_sip_password() {
    // The port as a string fails to decode; the password sits before it in the body.
    let body = json!({"calling": {"sip": {"status": "ENABLED", "servers": [
        {"hostname": "sip.example.com", "sip_user_password": "S3cr3t-pw", "port": "5061"}]}}});
    let response = http::Response::new(serde_json::to_vec(&body).unwrap());
    let error = GetPhoneNumberSettings::new()
        .include_sip_credentials(true)
        .parse_response(response)
        .unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(matches!(error, Error::Decode(_)), "{shown}");
    assert!(!shown.contains("S3cr3t-pw"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
    assert!(shown.contains("sip.example.com"), "{shown}");
}
