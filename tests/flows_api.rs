//! The Flows management API against a fake Cloud API (wiremock): each call's method, path, query,
//! headers and exact body, and the parsing of every documented answer.
#![cfg(feature = "client")]

mod common;

use futures_util::TryStreamExt;
use serde_json::json;
use whatsapp_cloud::Client;
use whatsapp_cloud::endpoint::flows::{
    CanSendMessage, CreateFlow, FlowCategory, FlowMetricName, FlowStatus, GetFlow, GetFlowMetrics,
    HealthEntityType, ListFlows, MetricGranularity, MigrateFlows, UpdateFlowMetadata,
};
use whatsapp_cloud::error::{ErrorClass, FlowErrorKind};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "flows-token-789";
const WABA: &str = "102290129340398";
const FLOW: &str = "1184826846258457";

fn client(server: &MockServer) -> Client {
    common::mock_client(server, TOKEN, "106540352242922", Some(WABA))
        .build()
        .unwrap()
}

fn auth() -> wiremock::matchers::HeaderExactMatcher {
    common::bearer(TOKEN)
}

fn fixture(name: &str) -> ResponseTemplate {
    common::api_answer(name)
}

fn success() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_bytes(common::fixture("api/success.json"))
}

fn graph_error(file: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_bytes(common::fixture(&format!("graph_errors/{file}")))
}

fn no_body(request: &Request) -> bool {
    request.body.is_empty()
}

#[tokio::test]
async fn create_posts_name_categories_and_options_and_reads_validation_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{WABA}/flows")))
        .and(auth())
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "name": "book_a_table",
            "categories": ["APPOINTMENT_BOOKING", "SHOPPING"],
            "flow_json": "{\"version\":\"7.3\",\"screens\":[]}",
            "publish": true,
            "endpoint_uri": "https://flows.example.com/v1/endpoint"
        })))
        .respond_with(fixture("flows_create.json"))
        .expect(1)
        .mount(&server)
        .await;
    let created = client(&server)
        .create_flow(
            &CreateFlow::new(
                "book_a_table",
                [
                    FlowCategory::AppointmentBooking,
                    FlowCategory::Unknown("SHOPPING".into()),
                ],
            )
            .flow_json(r#"{"version":"7.3","screens":[]}"#)
            .publish(true)
            .endpoint_uri("https://flows.example.com/v1/endpoint"),
        )
        .await
        .unwrap();
    assert_eq!(created.id, FLOW);
    assert_eq!(created.success, Some(true));
    let e = &created.validation_errors[0];
    assert_eq!(e.error.as_deref(), Some("INVALID_PROPERTY_VALUE"));
    assert_eq!(e.error_type.as_deref(), Some("FLOW_JSON_ERROR"));
    assert_eq!(
        e.message.as_deref(),
        Some("Invalid value found for property 'type'.")
    );
    assert_eq!(
        (
            e.span.line_start,
            e.span.line_end,
            e.span.column_start,
            e.span.column_end
        ),
        (Some(10), Some(10), Some(21), Some(34))
    );
    assert_eq!(
        e.pointers[0].path.as_deref(),
        Some("screens[0].layout.children[0].type")
    );
    assert_eq!(e.pointers[0].span.column_end, Some(34));
}

#[tokio::test]
async fn clone_sends_clone_flow_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{WABA}/flows")))
        .and(auth())
        .and(body_json(json!({
            "name": "book_a_table_v2", "categories": ["OTHER"], "clone_flow_id": FLOW
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "2", "success": true})))
        .expect(1)
        .mount(&server)
        .await;
    let created = client(&server)
        .create_flow(&CreateFlow::new("book_a_table_v2", [FlowCategory::Other]).clone_flow_id(FLOW))
        .await
        .unwrap();
    assert_eq!(created.id, "2");
    assert!(created.validation_errors.is_empty());
}

#[tokio::test]
async fn update_posts_only_the_fields_set() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{FLOW}")))
        .and(auth())
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "name": "book", "categories": ["SIGN_UP", "SIGN_IN"], "application_id": "333"
        })))
        .respond_with(success())
        .expect(1)
        .mount(&server)
        .await;
    let done = client(&server)
        .update_flow_metadata(
            &UpdateFlowMetadata::new(FLOW)
                .name("book")
                .categories([FlowCategory::SignUp, FlowCategory::SignIn])
                .application_id("333"),
        )
        .await
        .unwrap();
    assert!(done.success);
}

/// One part of a `multipart/form-data` body: name, filename, content type, bytes.
type Part = (String, Option<String>, Option<String>, Vec<u8>);

/// The parts of a `multipart/form-data` body.
fn multipart_parts(request: &Request) -> Vec<Part> {
    let content_type = request.headers["content-type"].to_str().unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let body = String::from_utf8(request.body.clone()).unwrap();
    let closing = format!("--{boundary}--\r\n");
    assert!(
        body.ends_with(&closing),
        "the body ends with the closing boundary"
    );
    let body = &body[..body.len() - closing.len()];
    body.split(&format!("--{boundary}\r\n"))
        .skip(1)
        .map(|part| {
            let (head, content) = part.split_once("\r\n\r\n").unwrap();
            let content = content.strip_suffix("\r\n").unwrap();
            let mut name = None;
            let mut filename = None;
            let mut kind = None;
            for line in head.split("\r\n") {
                if let Some(d) = line.strip_prefix("Content-Disposition: form-data; ") {
                    for item in d.split("; ") {
                        let (k, v) = item.split_once('=').unwrap();
                        let v = v.trim_matches('"').to_owned();
                        match k {
                            "name" => name = Some(v),
                            "filename" => filename = Some(v),
                            other => panic!("unexpected disposition item {other}"),
                        }
                    }
                } else if let Some(t) = line.strip_prefix("Content-Type: ") {
                    kind = Some(t.to_owned());
                } else {
                    panic!("unexpected part header {line:?}");
                }
            }
            (name.unwrap(), filename, kind, content.as_bytes().to_vec())
        })
        .collect()
}

#[tokio::test]
async fn upload_sends_a_multipart_flow_json_and_reads_errors_with_positions() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{FLOW}/assets")))
        .and(auth())
        .respond_with(fixture("flows_upload.json"))
        .expect(1)
        .mount(&server)
        .await;
    let json = br#"{"screens":[{"id":"A","layout":{"type":"SingleColumnLayout","children":[]}}]}"#;
    let uploaded = client(&server)
        .upload_flow_json(FLOW, json.to_vec())
        .await
        .unwrap();
    assert!(uploaded.success);
    assert_eq!(uploaded.validation_errors.len(), 2);
    let schema = &uploaded.validation_errors[0];
    assert_eq!(schema.error_type.as_deref(), Some("JSON_SCHEMA_ERROR"));
    assert_eq!(
        (schema.span.line_start, schema.span.column_start),
        (Some(46), Some(17))
    );
    assert_eq!(
        (schema.span.line_end, schema.span.column_end),
        (Some(46), Some(30))
    );
    assert_eq!(
        schema.pointers[0].path.as_deref(),
        Some("screens[0].layout.children[2].children[0]")
    );
    let missing = &uploaded.validation_errors[1];
    assert_eq!(missing.error.as_deref(), Some("MISSING_REQUIRED_PROPERTY"));
    assert!(missing.pointers.is_empty());

    let requests = server.received_requests().await.unwrap();
    let parts = multipart_parts(&requests[0]);
    assert_eq!(
        parts,
        vec![
            ("name".to_owned(), None, None, b"flow.json".to_vec()),
            ("asset_type".to_owned(), None, None, b"FLOW_JSON".to_vec()),
            (
                "file".to_owned(),
                Some("flow.json".to_owned()),
                Some("application/json".to_owned()),
                json.to_vec()
            ),
        ]
    );
}

#[tokio::test]
async fn list_pages_through_every_flow_with_unknown_values_kept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{WABA}/flows")))
        .and(auth())
        .and(query_param("limit", "2"))
        .and(query_param_is_missing("after"))
        .and(no_body)
        .respond_with(fixture("flows_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{WABA}/flows")))
        .and(auth())
        .and(query_param("limit", "2"))
        .and(query_param("after", "QVFIUnZa"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": "3", "name": "old", "status": "DEPRECATED", "categories": ["SURVEY"]}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let flows: Vec<_> = client
        .items(ListFlows::new().limit(2))
        .try_collect()
        .await
        .unwrap();
    let names: Vec<_> = flows.iter().map(|f| f.name.as_deref().unwrap()).collect();
    assert_eq!(names, ["book_a_table", "shop_the_look", "old"]);
    assert_eq!(flows[0].status, Some(FlowStatus::Draft));
    assert_eq!(flows[1].status, Some(FlowStatus::Throttled));
    assert_eq!(
        flows[1].categories,
        [
            FlowCategory::Unknown("SHOPPING".into()),
            FlowCategory::Other
        ]
    );
    assert_eq!(flows[2].status, Some(FlowStatus::Deprecated));
}

#[tokio::test]
async fn the_flows_stream_lists_with_default_fields() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{WABA}/flows")))
        .and(auth())
        .and(query_param_is_missing("fields"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": "1", "name": "a", "status": "BLOCKED", "categories": ["LEAD_GENERATION"]}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let flows: Vec<_> = client(&server).flows().try_collect().await.unwrap();
    assert_eq!(flows.len(), 1);
    assert_eq!(flows[0].status, Some(FlowStatus::Blocked));
    assert_eq!(flows[0].categories, [FlowCategory::LeadGeneration]);
}

#[tokio::test]
async fn get_reads_every_field_health_status_and_the_endpoint_fallback() {
    let server = MockServer::start().await;
    let fields = "id,name,status,categories,validation_errors,json_version,data_api_version,\
                  endpoint_uri,preview,whatsapp_business_account,application,\
                  health_status.phone_number(106540352242922)";
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{FLOW}")))
        .and(auth())
        .and(query_param("fields", fields))
        .and(no_body)
        .respond_with(fixture("flows_get.json"))
        .expect(1)
        .mount(&server)
        .await;
    let get = GetFlow::new(FLOW)
        .fields([
            "id",
            "name",
            "status",
            "categories",
            "validation_errors",
            "json_version",
            "data_api_version",
            "endpoint_uri",
            "preview",
            "whatsapp_business_account",
            "application",
        ])
        .health_status_for("106540352242922");
    let flow = client(&server).send(&get).await.unwrap();
    assert_eq!(flow.id, FLOW);
    assert_eq!(flow.status, Some(FlowStatus::Published));
    assert_eq!(
        flow.categories,
        [
            FlowCategory::AppointmentBooking,
            FlowCategory::CustomerSupport
        ]
    );
    assert_eq!(flow.json_version.as_deref(), Some("7.3"));
    assert_eq!(flow.data_api_version.as_deref(), Some("4.0"));
    assert_eq!(flow.endpoint_uri, None);
    assert_eq!(
        flow.endpoint(),
        Some("https://flows.example.com/v1/endpoint")
    );
    let preview = flow.preview.as_ref().unwrap();
    assert!(preview.preview_url.ends_with("token=b9d6a1f8"));
    assert_eq!(
        preview.expires_at.as_deref(),
        Some("2026-07-31T11:18:09+0000")
    );
    assert_eq!(flow.whatsapp_business_account, Some(json!({"id": WABA})));
    let health = flow.health_status.as_ref().unwrap();
    assert_eq!(health.can_send_message, CanSendMessage::Limited);
    let kinds: Vec<_> = health
        .entities
        .iter()
        .map(|e| e.entity_type.clone())
        .collect();
    assert_eq!(
        kinds,
        [
            HealthEntityType::Flow,
            HealthEntityType::Waba,
            HealthEntityType::Business,
            HealthEntityType::App
        ]
    );
    let flow_entity = &health.entities[0];
    assert_eq!(flow_entity.id, FLOW);
    assert_eq!(flow_entity.errors[0].error_code, Some(131000));
    assert!(
        flow_entity.errors[0]
            .possible_solution
            .as_deref()
            .unwrap()
            .starts_with("Fix the endpoint")
    );
    assert_eq!(
        health.entities[1].can_send_message,
        CanSendMessage::Available
    );
    assert_eq!(
        health.entities[3].additional_info,
        ["The app is in development mode."]
    );
    // Meta's default fields when none are asked for.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{FLOW}")))
        .and(query_param_is_missing("fields"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": FLOW, "status": "DRAFT"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let flow = client(&server).flow(FLOW).await.unwrap();
    assert_eq!(flow.status, Some(FlowStatus::Draft));
    assert!(flow.health_status.is_none());
}

#[tokio::test]
async fn preview_asks_to_invalidate_or_not() {
    let server = MockServer::start().await;
    for invalidate in ["false", "true"] {
        Mock::given(method("GET"))
            .and(path(format!("/v26.0/{FLOW}")))
            .and(auth())
            .and(query_param(
                "fields",
                format!("preview.invalidate({invalidate})").as_str(),
            ))
            .respond_with(fixture("flows_preview.json"))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    for invalidate in [false, true] {
        let preview = client.flow_preview(FLOW, invalidate).await.unwrap();
        assert_eq!(
            preview.preview_url,
            "https://business.facebook.com/wa/manage/flows/1184826846258457/preview/?token=new5e3a1"
        );
        assert_eq!(
            preview.expires_at.as_deref(),
            Some("2026-07-31T11:18:09+0000")
        );
    }
}

#[tokio::test]
async fn assets_are_listed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{FLOW}/assets")))
        .and(auth())
        .and(no_body)
        .respond_with(fixture("flows_assets.json"))
        .expect(1)
        .mount(&server)
        .await;
    let assets: Vec<_> = client(&server)
        .flow_assets(FLOW)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(assets.len(), 1);
    assert_eq!(assets[0].name, "flow.json");
    assert_eq!(assets[0].asset_type, "FLOW_JSON");
    assert!(
        assets[0]
            .download_url
            .as_deref()
            .unwrap()
            .starts_with("https://mmg.whatsapp.net/")
    );
}

#[tokio::test]
async fn publish_deprecate_and_delete_use_their_verbs_and_paths() {
    let server = MockServer::start().await;
    for (verb, p) in [
        ("POST", format!("/v26.0/{FLOW}/publish")),
        ("POST", format!("/v26.0/{FLOW}/deprecate")),
        ("DELETE", format!("/v26.0/{FLOW}")),
    ] {
        Mock::given(method(verb))
            .and(path(p))
            .and(auth())
            .and(no_body)
            .respond_with(success())
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    assert!(client.publish_flow(FLOW).await.unwrap().success);
    assert!(client.deprecate_flow(FLOW).await.unwrap().success);
    assert!(client.delete_flow(FLOW).await.unwrap().success);
}

#[tokio::test]
async fn migrate_sends_the_source_and_names_and_reads_failures() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{WABA}/migrate_flows")))
        .and(auth())
        .and(query_param("source_waba_id", "104996122399160"))
        .and(query_param(
            "source_flow_names",
            r#"["appointment_booking","lead_gen"]"#,
        ))
        .and(no_body)
        .respond_with(fixture("flows_migrate.json"))
        .expect(1)
        .mount(&server)
        .await;
    let done = client(&server)
        .migrate_flows(
            &MigrateFlows::new("104996122399160").flow_names(["appointment_booking", "lead_gen"]),
        )
        .await
        .unwrap();
    let moved = &done.migrated_flows[0];
    assert_eq!(
        (
            moved.source_name.as_str(),
            moved.source_id.as_str(),
            moved.migrated_id.as_str()
        ),
        ("appointment_booking", "1234569876543", "1234569876544")
    );
    let failed = &done.failed_flows[0];
    assert_eq!(failed.source_name, "lead_gen");
    assert_eq!(failed.error_code, Some(100));
    assert_eq!(
        failed.error_message.as_deref(),
        Some("Flow with the same name exists in destination WABA.")
    );
    // Without names, every Flow: the parameter is left out.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{WABA}/migrate_flows")))
        .and(query_param("source_waba_id", "104996122399160"))
        .and(query_param_is_missing("source_flow_names"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"migrated_flows": []})))
        .expect(1)
        .mount(&server)
        .await;
    let done = client(&server)
        .migrate_flows(&MigrateFlows::new("104996122399160"))
        .await
        .unwrap();
    assert!(done.migrated_flows.is_empty() && done.failed_flows.is_empty());
}

#[tokio::test]
async fn metrics_send_the_field_expression_and_read_data_points() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{FLOW}")))
        .and(auth())
        .and(query_param(
            "fields",
            "metric.name(ENDPOINT_REQUEST_LATENCY_SECONDS_CEIL).granularity(DAY).since(2026-06-01).until(2026-06-02)",
        ))
        .respond_with(fixture("flows_metrics.json"))
        .expect(1)
        .mount(&server)
        .await;
    let metric = client(&server)
        .flow_metrics(
            &GetFlowMetrics::new(
                FLOW,
                FlowMetricName::EndpointRequestLatencySecondsCeil,
                MetricGranularity::Day,
            )
            .since("2026-06-01")
            .until("2026-06-02"),
        )
        .await
        .unwrap();
    assert_eq!(
        metric.name,
        FlowMetricName::EndpointRequestLatencySecondsCeil
    );
    assert_eq!(metric.granularity, MetricGranularity::Day);
    assert_eq!(metric.data_points.len(), 2);
    assert_eq!(metric.data_points[0].timestamp, "2026-06-01T07:00:00+0000");
    let values: Vec<_> = metric.data_points[0]
        .data
        .iter()
        .map(|v| (v.key.as_str(), v.value))
        .collect();
    assert_eq!(values, [("p50", 1.0), ("p90", 2.0)]);
    assert_eq!(metric.data_points[1].data[0].value, 0.5);
}

#[tokio::test]
async fn flows_errors_come_back_typed_and_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v26.0/{FLOW}")))
        .respond_with(graph_error("flow_delete_refused_139004.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{FLOW}/publish")))
        .respond_with(graph_error("flow_publish_refused_139002.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{FLOW}")))
        .respond_with(graph_error("flow_not_enough_data_139006.json"))
        .expect(1)
        .mount(&server)
        .await;
    // The default retry policy: a Flows error is final, so each mock is hit once.
    let client = Client::builder()
        .access_token(TOKEN)
        .phone_number_id("106540352242922")
        .waba_id(WABA)
        .base_url(server.uri())
        .timer(whatsapp_cloud::client::ManualTimer::new())
        .build()
        .unwrap();
    let e = client.delete_flow(FLOW).await.unwrap_err();
    assert_eq!(
        e.class(),
        Some(ErrorClass::Flow(FlowErrorKind::DeleteRefused))
    );
    assert!(!e.is_retryable());
    let e = client.publish_flow(FLOW).await.unwrap_err();
    assert_eq!(
        e.class(),
        Some(ErrorClass::Flow(FlowErrorKind::PublishRefused))
    );
    let e = client
        .flow_metrics(&GetFlowMetrics::new(
            FLOW,
            FlowMetricName::EndpointRequestCount,
            MetricGranularity::Lifetime,
        ))
        .await
        .unwrap_err();
    assert_eq!(
        e.class(),
        Some(ErrorClass::Flow(FlowErrorKind::NotEnoughMetricData))
    );
    for (code, kind) in [
        (139000, FlowErrorKind::IntegrityBlocked),
        (139001, FlowErrorKind::UpdateRefused),
        (139003, FlowErrorKind::DeprecateRefused),
    ] {
        assert_eq!(ErrorClass::of_code(code), ErrorClass::Flow(kind));
        assert!(!ErrorClass::of_code(code).is_retryable());
    }
}

#[tokio::test]
async fn invalid_requests_never_reach_the_server() {
    let server = MockServer::start().await;
    let client = client(&server);
    assert!(client.create_flow(&CreateFlow::new("x", [])).await.is_err());
    assert!(client.upload_flow_json(FLOW, Vec::new()).await.is_err());
    assert!(
        client
            .update_flow_metadata(&UpdateFlowMetadata::new(FLOW))
            .await
            .is_err()
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}
