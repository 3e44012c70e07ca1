use super::*;
use crate::endpoint::{ApiContext, Endpoint};
use crate::error::{Error, Violation};

fn ctx() -> ApiContext {
    ApiContext::without_phone_number("token").with_waba_id("102290129340398")
}

fn violation(result: Result<http::Request<Vec<u8>>, Error>) -> (String, Violation) {
    match result {
        Err(Error::Validation(v)) => (v.field, v.violation),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn create_needs_a_name_a_category_and_json_to_publish() {
    let (field, v) = violation(CreateFlow::new(" ", [FlowCategory::Other]).to_request(&ctx()));
    assert_eq!((field.as_str(), v), ("name", Violation::Empty));
    let (field, v) = violation(CreateFlow::new("a", []).to_request(&ctx()));
    assert_eq!(
        (field.as_str(), v),
        ("categories", Violation::TooFew { min: 1, actual: 0 })
    );
    let (field, v) = violation(
        CreateFlow::new("a", [FlowCategory::Other])
            .publish(true)
            .to_request(&ctx()),
    );
    assert_eq!((field.as_str(), v), ("flow_json", Violation::Missing));
    let no_waba = ApiContext::without_phone_number("token");
    assert!(matches!(
        CreateFlow::new("a", [FlowCategory::Other]).to_request(&no_waba),
        Err(Error::Config(_))
    ));
}

#[test]
fn flow_json_over_ten_megabytes_is_refused_before_sending() {
    let big = vec![b' '; FLOW_JSON_MAX_BYTES + 1];
    let (field, v) = violation(UploadFlowJson::new("1", big).to_request(&ctx()));
    assert_eq!(field, "file");
    assert!(matches!(v, Violation::Invalid { .. }), "{v:?}");
    let exact = vec![b' '; FLOW_JSON_MAX_BYTES];
    assert!(UploadFlowJson::new("1", exact).to_request(&ctx()).is_ok());
    let (field, v) = violation(UploadFlowJson::new("1", Vec::new()).to_request(&ctx()));
    assert_eq!((field.as_str(), v), ("file", Violation::Empty));
}

#[test]
fn the_upload_boundary_avoids_the_body() {
    let first = "whatsapp-cloud-boundary-00000000";
    let request = UploadFlowJson::new("1", format!("{{\"x\":\"{first}\"}}"))
        .to_request(&ctx())
        .unwrap();
    let content_type = request.headers()[http::header::CONTENT_TYPE]
        .to_str()
        .unwrap();
    assert_eq!(
        content_type,
        "multipart/form-data; boundary=whatsapp-cloud-boundary-00000001"
    );
}

#[test]
fn an_empty_flow_id_is_refused() {
    let (field, v) = violation(PublishFlow::new("").to_request(&ctx()));
    assert_eq!((field.as_str(), v), ("flow_id", Violation::Empty));
    let (field, _) = violation(GetFlow::new(" ").to_request(&ctx()));
    assert_eq!(field, "flow_id");
}

#[test]
fn migrate_takes_at_most_a_hundred_names() {
    let names: Vec<String> = (0..101).map(|i| format!("flow_{i}")).collect();
    let (field, v) = violation(
        MigrateFlows::new("1")
            .flow_names(names.clone())
            .to_request(&ctx()),
    );
    assert_eq!(
        (field.as_str(), v),
        (
            "source_flow_names",
            Violation::TooMany {
                max: 100,
                actual: 101
            }
        )
    );
    assert!(
        MigrateFlows::new("1")
            .flow_names(names.into_iter().take(100))
            .to_request(&ctx())
            .is_ok()
    );
    let (field, _) = violation(
        MigrateFlows::new("1")
            .flow_names(["a", ""])
            .to_request(&ctx()),
    );
    assert_eq!(field, "source_flow_names[1]");
}

#[test]
fn metric_dates_must_be_calendar_dates() {
    let m = GetFlowMetrics::new(
        "1",
        FlowMetricName::EndpointAvailability,
        MetricGranularity::Hour,
    );
    for bad in [
        "2026-13-01",
        "2026-6-01",
        "26-06-01",
        "2026-06-00",
        "2026-06-01T00",
    ] {
        let (field, _) = violation(m.clone().since(bad).to_request(&ctx()));
        assert_eq!(field, "since", "{bad}");
    }
    let (field, _) = violation(m.clone().until("tomorrow").to_request(&ctx()));
    assert_eq!(field, "until");
    assert!(
        m.since("2026-02-28")
            .until("2026-03-31")
            .to_request(&ctx())
            .is_ok()
    );
}

#[test]
fn unknown_statuses_and_categories_are_kept() {
    let info: FlowInfo = serde_json::from_str(
        r#"{"id":"1","status":"ARCHIVED","categories":["SHOPPING","SURVEY"]}"#,
    )
    .unwrap();
    assert_eq!(info.status, Some(FlowStatus::Unknown("ARCHIVED".into())));
    assert_eq!(
        info.categories,
        [
            FlowCategory::Unknown("SHOPPING".into()),
            FlowCategory::Survey
        ]
    );
    let back = serde_json::to_value(&info).unwrap();
    assert_eq!(
        back["categories"],
        serde_json::json!(["SHOPPING", "SURVEY"])
    );
}

#[test]
fn endpoint_falls_back_to_data_channel_uri() {
    let old: FlowInfo =
        serde_json::from_str(r#"{"id":"1","data_channel_uri":"https://old.example/f"}"#).unwrap();
    assert_eq!(old.endpoint(), Some("https://old.example/f"));
    let both: FlowInfo = serde_json::from_str(
        r#"{"id":"1","endpoint_uri":"https://new.example/f","data_channel_uri":"https://old.example/f"}"#,
    )
    .unwrap();
    assert_eq!(both.endpoint(), Some("https://new.example/f"));
}

#[test]
fn error_codes_read_as_numbers_or_strings() {
    let failed: FailedFlowMigration =
        serde_json::from_str(r#"{"source_name":"a","error_code":"100","error_message":"x"}"#)
            .unwrap();
    assert_eq!(failed.error_code, Some(100));
    let failed: FailedFlowMigration =
        serde_json::from_str(r#"{"source_name":"a","error_code":139001}"#).unwrap();
    assert_eq!(failed.error_code, Some(139001));
    assert!(
        serde_json::from_str::<FailedFlowMigration>(r#"{"source_name":"a","error_code":"x1"}"#)
            .is_err()
    );
}
