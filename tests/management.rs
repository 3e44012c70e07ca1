//! Templates, phone numbers, business profile and paging against a fake Cloud API (wiremock).
#![cfg(feature = "client")]

mod common;

use futures_util::{StreamExt, TryStreamExt};
use serde_json::{Value, json};

use whatsapp_cloud::endpoint::business_profile::{
    GetBusinessProfile, UpdateBusinessProfile, Vertical,
};
use whatsapp_cloud::endpoint::phone_numbers::{
    CodeMethod, DeregisterPhoneNumber, GetPhoneNumber, ListPhoneNumbers, MessagingLimit,
    NameStatus, QualityRating, RegisterPhoneNumber, RequestVerificationCode, ThroughputLevel,
    VerifyCode,
};
use whatsapp_cloud::endpoint::templates::{
    BodyComponent, ButtonDefinition, ButtonsComponent, CreateTemplate, DeleteTemplate,
    EditTemplate, FooterComponent, GetTemplate, GetTemplateByName, HeaderComponent, ListTemplates,
    ParameterFormat, ParameterSlot, TemplateCategory, TemplateComponent, TemplateStatus,
};
use whatsapp_cloud::error::{ErrorClass, Violation};
use whatsapp_cloud::message::{Parameter, Template, TemplateButton as SendButton};
use whatsapp_cloud::{Client, Error};
use wiremock::matchers::{
    body_json, body_string, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "mgmt-token-456";
const PHONE: &str = "106540352242922";
const WABA: &str = "102290129340398";

fn success() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_bytes(common::fixture("api/success.json"))
}

fn graph_error(status: u16, rel: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_bytes(common::fixture(rel))
}

fn rate_limit_error() -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({"error": {
        "message": "(#80007) There have been too many calls to this WhatsApp Business account.",
        "type": "OAuthException", "code": 80007, "fbtrace_id": "AbCdEf"
    }}))
}

/// A client for the fake: one attempt per call (these tests pin the mapping of each answer; retries
/// are tested in tests/retries.rs) and a virtual clock, so nothing waits.
fn client(server: &MockServer) -> Client {
    common::mock_client(server, TOKEN, PHONE, Some(WABA))
        .build()
        .unwrap()
}

fn auth() -> wiremock::matchers::HeaderExactMatcher {
    common::bearer(TOKEN)
}

fn template_json(id: &str, name: &str, language: &str) -> Value {
    json!({
        "id": id, "name": name, "language": language, "status": "APPROVED", "category": "UTILITY",
        "parameter_format": "POSITIONAL",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "example": {"header_text": ["#1"]}},
            {"type": "BODY", "text": "Hi {{1}}, your order {{2}} shipped.", "example": {"body_text": [["Ana", "#1"]]}},
            {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Track", "url": "https://x.example/t/{{1}}", "example": ["https://x.example/t/1"]}]}
        ]
    })
}

fn templates_path() -> String {
    format!("/v26.0/{WABA}/message_templates")
}

// ---------------------------------------------------------------- templates

#[tokio::test]
async fn list_templates_sends_filters_and_follows_the_cursor_on_demand() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(templates_path()))
        .and(auth())
        .and(query_param("status", "APPROVED"))
        .and(query_param("category", "UTILITY"))
        .and(query_param("language", "en_US"))
        .and(query_param("name", "order"))
        .and(query_param("limit", "2"))
        .and(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [template_json("1", "order_a", "en_US"), template_json("2", "order_b", "en_US")],
            "paging": {"cursors": {"before": "QVFIb", "after": "QVFIa"},
                        "next": format!("https://graph.facebook.com/v26.0/{WABA}/message_templates?access_token=SECRET&after=QVFIa")}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(templates_path()))
        .and(auth())
        .and(query_param("after", "QVFIa"))
        .and(query_param("status", "APPROVED"))
        .and(query_param("limit", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [template_json("3", "order_c", "en_US")],
            "paging": {"cursors": {"before": "QVFIc", "after": "QVFId"}}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let c = client(&server);
    let list = ListTemplates::new()
        .status(TemplateStatus::Approved)
        .category(TemplateCategory::Utility)
        .language("en_US")
        .name("order")
        .limit(2);
    let first = c.send(&list).await.unwrap();
    assert_eq!(first.items().len(), 2);
    assert_eq!(first.items()[0].name, "order_a");
    let next = first.next_page().expect("a second page");
    let second = c.send(&next).await.unwrap();
    assert_eq!(second.items()[0].id, "3");
    // No `next` link: the last page, although Meta still sends cursors.
    assert!(second.next_page().is_none());
}

#[tokio::test]
async fn items_stream_fetches_every_page_and_stops() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(templates_path()))
        .and(auth())
        .and(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [template_json("1", "a", "en"), template_json("2", "b", "en")],
            "paging": {"cursors": {"after": "C1"}, "next": "https://graph.facebook.com/next?after=C1"}
        })))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(templates_path()))
        .and(auth())
        .and(query_param("after", "C1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [template_json("3", "c", "en")],
            "paging": {"next": "https://graph.facebook.com/next?after=C2"}
        })))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(templates_path()))
        .and(auth())
        .and(query_param("after", "C2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .expect(2)
        .mount(&server)
        .await;
    let c = client(&server);
    let ids: Vec<String> = c
        .items(ListTemplates::new())
        .map_ok(|t| t.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["1", "2", "3"]);
    // Walked a second time page by page: the same three requests again (hence `expect(2)`).
    let pages: Vec<_> = c.pages(ListTemplates::new()).try_collect().await.unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[2].items().len(), 0);
}

#[tokio::test]
async fn pages_stop_when_meta_repeats_a_cursor() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(templates_path()))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [template_json("1", "a", "en")],
            "paging": {"cursors": {"after": "SAME"}, "next": "https://graph.facebook.com/next"}
        })))
        .expect(2)
        .mount(&server)
        .await;
    let pages: Vec<_> = client(&server)
        .pages(ListTemplates::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
}

#[tokio::test]
async fn a_page_error_ends_the_stream_with_the_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(templates_path()))
        .and(auth())
        .respond_with(rate_limit_error())
        .expect(1)
        .mount(&server)
        .await;
    let results: Vec<_> = client(&server).items(ListTemplates::new()).collect().await;
    assert_eq!(results.len(), 1);
    let err = results.into_iter().next().unwrap().unwrap_err();
    assert_eq!(err.api().and_then(|a| a.code()), Some(80007));
    assert!(err.class().is_some_and(ErrorClass::is_rate_limit));
}

#[tokio::test]
async fn get_template_by_id_and_by_exact_name() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v26.0/594425479261596"))
        .and(auth())
        .and(query_param("fields", "name,components,status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(template_json(
            "594425479261596",
            "order_update",
            "en_US",
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(templates_path()))
        .and(auth())
        .and(query_param("name", "order_update"))
        .and(query_param("language", "pt_BR"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [
            template_json("1", "order_update_v2", "pt_BR"),
            template_json("2", "order_update", "pt_BR")
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let t = c
        .send(&GetTemplate::new("594425479261596").fields(["name", "components", "status"]))
        .await
        .unwrap();
    assert_eq!(t.name, "order_update");
    let required = t.required_parameters();
    assert_eq!(required.format, ParameterFormat::Positional);
    assert_eq!(
        required.body,
        vec![ParameterSlot::Positional(1), ParameterSlot::Positional(2)]
    );
    assert_eq!(required.buttons.len(), 1);
    assert_eq!(required.buttons[0].index, 0);
    // A send is checked against the fetched template before it goes out (error 132000 otherwise).
    let good = Template::new("order_update", "en_US")
        .header([Parameter::text("#1")])
        .body([Parameter::text("Ana"), Parameter::text("#1")])
        .button(SendButton::url(0, "1"));
    t.check_send(&good).unwrap();
    let missing_body = Template::new("order_update", "en_US")
        .header([Parameter::text("#1")])
        .body([Parameter::text("Ana")])
        .button(SendButton::url(0, "1"));
    let err = t.check_send(&missing_body).unwrap_err();
    assert_eq!(err.field, "template.components[body].parameters");
    assert!(err.to_string().contains("2 parameters"), "{err}");

    let found = c
        .send(&GetTemplateByName::new("order_update").language("pt_BR"))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, "2");
}

#[tokio::test]
async fn get_template_errors_carry_the_code() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v26.0/908172635445"))
        .and(auth())
        .respond_with(graph_error(400, "api/error_object_not_found.json"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .send(&GetTemplate::new("908172635445"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api(a) if a.code() == Some(100)),
        "{err:?}"
    );
}

#[tokio::test]
async fn create_template_posts_the_exact_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(templates_path()))
        .and(auth())
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "name": "seasonal_promo",
            "language": "en_US",
            "category": "MARKETING",
            "parameter_format": "named",
            "allow_category_change": true,
            "components": [
                {"type": "HEADER", "format": "TEXT", "text": "Our {{sale_name}} is on!",
                 "example": {"header_text_named_params": [{"param_name": "sale_name", "example": "Summer Sale"}]}},
                {"type": "BODY", "text": "Shop now through {{end_date}} and use code {{code}}.",
                 "example": {"body_text_named_params": [
                     {"param_name": "end_date", "example": "the end of August"},
                     {"param_name": "code", "example": "25OFF"}]}},
                {"type": "FOOTER", "text": "Use the buttons below"},
                {"type": "BUTTONS", "buttons": [
                    {"type": "QUICK_REPLY", "text": "Unsubscribe"},
                    {"type": "PHONE_NUMBER", "text": "Call", "phone_number": "+15550100"},
                    {"type": "COPY_CODE", "example": "25OFF"}
                ]}
            ]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "572279198452421", "status": "PENDING", "category": "MARKETING"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let create = CreateTemplate::new("seasonal_promo", "en_US", TemplateCategory::Marketing)
        .parameter_format(ParameterFormat::Named)
        .allow_category_change(true)
        .component(
            HeaderComponent::text("Our {{sale_name}} is on!")
                .example_named("sale_name", "Summer Sale"),
        )
        .component(
            BodyComponent::new("Shop now through {{end_date}} and use code {{code}}.")
                .example_named([("end_date", "the end of August"), ("code", "25OFF")]),
        )
        .component(FooterComponent::new("Use the buttons below"))
        .component(ButtonsComponent::new([
            ButtonDefinition::quick_reply("Unsubscribe"),
            ButtonDefinition::phone_number("Call", "+15550100"),
            ButtonDefinition::copy_code("25OFF"),
        ]));
    let created = client(&server).send(&create).await.unwrap();
    assert_eq!(created.id, "572279198452421");
    assert_eq!(created.status, Some(TemplateStatus::Pending));
    assert_eq!(created.category, Some(TemplateCategory::Marketing));
}

#[tokio::test]
async fn an_invalid_template_never_reaches_meta() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let c = client(&server);
    let too_long = CreateTemplate::new("t", "en_US", TemplateCategory::Utility)
        .component(BodyComponent::new("x".repeat(1025)));
    let err = c.send(&too_long).await.unwrap_err();
    assert!(
        matches!(&err, Error::Validation(v) if v.field == "components[0].text"),
        "{err:?}"
    );
    assert!(err.to_string().contains("1025"), "{err}");

    let too_many_urls = CreateTemplate::new("t", "en_US", TemplateCategory::Utility)
        .component(BodyComponent::new("x"))
        .component(ButtonsComponent::new([
            ButtonDefinition::url("a", "https://a.example"),
            ButtonDefinition::url("b", "https://b.example"),
            ButtonDefinition::url("c", "https://c.example"),
        ]));
    assert!(c.send(&too_many_urls).await.is_err());

    let no_waba = Client::builder()
        .access_token(TOKEN)
        .phone_number_id(PHONE)
        .base_url(server.uri())
        .build()
        .unwrap();
    let ok = CreateTemplate::new("t", "en_US", TemplateCategory::Utility)
        .component(BodyComponent::new("x"));
    let err = no_waba.send(&ok).await.unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m.contains("waba_id")),
        "{err:?}"
    );
}

#[tokio::test]
async fn create_template_error_maps_to_a_template_class_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(templates_path()))
        .and(auth())
        .and(body_json(json!({
            "name": "dup", "language": "en_US", "category": "UTILITY",
            "components": [{"type": "BODY", "text": "Hello"}]
        })))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
            "message": "Invalid parameter", "type": "OAuthException", "code": 100,
            "error_subcode": 2388040, "error_user_title": "Template name already exists",
            "fbtrace_id": "Ax1"
        }})))
        .expect(1)
        .mount(&server)
        .await;
    let create = CreateTemplate::new("dup", "en_US", TemplateCategory::Utility)
        .component(BodyComponent::new("Hello"));
    let err = client(&server).send(&create).await.unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.code(), Some(100));
    assert_eq!(api.subcode(), Some(2388040));
}

#[tokio::test]
async fn edit_template_posts_new_components() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v26.0/564750795574598"))
        .and(auth())
        .and(body_json(json!({
            "category": "UTILITY",
            "components": [{"type": "BODY", "text": "Your code is ready: {{1}}", "example": {"body_text": [["X1"]]}}]
        })))
        .respond_with(success())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v26.0/999"))
        .and(auth())
        .and(body_json(json!({"category": "MARKETING"})))
        .respond_with(rate_limit_error())
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let edit = EditTemplate::new("564750795574598")
        .category(TemplateCategory::Utility)
        .components([TemplateComponent::from(
            BodyComponent::new("Your code is ready: {{1}}").example_positional(["X1"]),
        )]);
    assert!(c.send(&edit).await.unwrap().success);
    let err = c
        .send(&EditTemplate::new("999").category(TemplateCategory::Marketing))
        .await
        .unwrap_err();
    assert_eq!(err.api().and_then(|a| a.code()), Some(80007));
    assert!(c.send(&EditTemplate::new("999")).await.is_err());
}

#[tokio::test]
async fn delete_template_by_name_and_by_id() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(templates_path()))
        .and(auth())
        .and(query_param("name", "order_update"))
        .and(query_param_is_missing("hsm_id"))
        .respond_with(success())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(templates_path()))
        .and(auth())
        .and(query_param("name", "order_update"))
        .and(query_param("hsm_id", "1407680676729941"))
        .respond_with(success())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(templates_path()))
        .and(auth())
        .and(query_param("name", "missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": {
            "message": "(#132001) Template does not exist", "type": "OAuthException", "code": 132001
        }})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    assert!(
        c.send(&DeleteTemplate::by_name("order_update"))
            .await
            .unwrap()
            .success
    );
    assert!(
        c.send(&DeleteTemplate::by_id("1407680676729941", "order_update"))
            .await
            .unwrap()
            .success
    );
    let err = c
        .send(&DeleteTemplate::by_name("missing"))
        .await
        .unwrap_err();
    assert_eq!(err.class(), Some(ErrorClass::Template));
}

// ------------------------------------------------------------ phone numbers

fn phone_json(id: &str) -> Value {
    json!({
        "id": id, "display_phone_number": "+1 555-0100", "verified_name": "Lucky Shrub",
        "quality_rating": "GREEN", "throughput": {"level": "HIGH"},
        "whatsapp_business_manager_messaging_limit": "TIER_100K", "name_status": "APPROVED",
        "code_verification_status": "VERIFIED", "platform_type": "CLOUD_API"
    })
}

const FIELDS: &str = "id,display_phone_number,verified_name,quality_rating,throughput,whatsapp_business_manager_messaging_limit,name_status,code_verification_status,platform_type";

#[tokio::test]
async fn list_and_get_phone_numbers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{WABA}/phone_numbers")))
        .and(auth())
        .and(query_param("fields", FIELDS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [phone_json(PHONE), {"id": "2", "quality_rating": "UNKNOWN"}],
            "paging": {"cursors": {"before": "a", "after": "b"}}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{PHONE}")))
        .and(auth())
        .and(query_param("fields", FIELDS))
        .respond_with(ResponseTemplate::new(200).set_body_json(phone_json(PHONE)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v26.0/777"))
        .and(auth())
        .and(query_param("fields", "throughput"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "777", "throughput": {"level": "STANDARD"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let page = c.send(&ListPhoneNumbers::new()).await.unwrap();
    assert_eq!(page.items().len(), 2);
    assert!(page.next_page().is_none());
    assert_eq!(
        page.items()[1].quality_rating,
        Some(QualityRating::NotRated)
    );

    let n = c.send(&GetPhoneNumber::new()).await.unwrap();
    assert_eq!(n.display_phone_number.as_deref(), Some("+1 555-0100"));
    assert_eq!(n.verified_name.as_deref(), Some("Lucky Shrub"));
    assert_eq!(n.quality_rating, Some(QualityRating::Green));
    assert_eq!(n.throughput.map(|t| t.level), Some(ThroughputLevel::High));
    assert_eq!(n.messaging_limit, Some(MessagingLimit::Tier100K));
    assert_eq!(n.name_status, Some(NameStatus::Approved));

    let other = c
        .send(&GetPhoneNumber::new().id("777").fields(["throughput"]))
        .await
        .unwrap();
    assert_eq!(
        other.throughput.map(|t| t.level),
        Some(ThroughputLevel::Standard)
    );
}

#[tokio::test]
async fn get_phone_number_not_found_maps_the_graph_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v26.0/908172635445"))
        .and(auth())
        .respond_with(graph_error(400, "api/error_object_not_found.json"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .send(&GetPhoneNumber::new().id("908172635445"))
        .await
        .unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.code(), Some(100));
    assert_eq!(api.status, 400);
    assert_eq!(
        api.error.as_ref().and_then(|e| e.fbtrace_id.as_deref()),
        Some("A7qLm2Xv9RtY4bNc1sKd0Ze")
    );
}

#[tokio::test]
async fn register_and_deregister() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/register")))
        .and(auth())
        .and(body_json(
            json!({"messaging_product": "whatsapp", "pin": "123456"}),
        ))
        .respond_with(success())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/deregister")))
        .and(auth())
        .and(body_string(""))
        .respond_with(success())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v26.0/888/register"))
        .and(auth())
        .and(body_json(json!({"messaging_product": "whatsapp", "pin": "654321"})))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
            "message": "(#133005) Two step verification PIN Mismatch", "type": "OAuthException", "code": 133005
        }})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    assert!(
        c.send(&RegisterPhoneNumber::new("123456"))
            .await
            .unwrap()
            .success
    );
    assert!(c.send(&DeregisterPhoneNumber::new()).await.unwrap().success);
    let err = c
        .send(&RegisterPhoneNumber::new("654321").id("888"))
        .await
        .unwrap_err();
    assert_eq!(err.class(), Some(ErrorClass::PhoneNumber));
    let err = c
        .send(&RegisterPhoneNumber::new("12345"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation(v) if v.field == "pin"),
        "{err:?}"
    );
}

#[tokio::test]
async fn request_and_verify_code_map_their_graph_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/request_code")))
        .and(auth())
        .and(body_json(
            json!({"code_method": "SMS", "language": "en_US"}),
        ))
        .respond_with(success())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/request_code")))
        .and(auth())
        .and(body_json(
            json!({"code_method": "VOICE", "language": "pt_BR"}),
        ))
        .respond_with(graph_error(400, "api/error_request_code.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/verify_code")))
        .and(auth())
        .and(body_json(json!({"code": "654321"})))
        .respond_with(graph_error(400, "api/error_verify_code.json"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    assert!(
        c.send(&RequestVerificationCode::new(CodeMethod::Sms, "en_US"))
            .await
            .unwrap()
            .success
    );
    let err = c
        .send(&RequestVerificationCode::new(CodeMethod::Voice, "pt_BR"))
        .await
        .unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.code(), Some(136024));
    assert_eq!(
        api.error.as_ref().and_then(|e| e.error_user_msg.as_deref()),
        Some("Wait a while before you request another code.")
    );
    let err = c.send(&VerifyCode::new("654321")).await.unwrap_err();
    assert_eq!(err.api().and_then(|a| a.code()), Some(136025));
    // The code is never echoed in errors.
    assert!(!err.to_string().contains("654321"));
}

// --------------------------------------------------------- business profile

#[tokio::test]
async fn get_business_profile_with_fields() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{PHONE}/whatsapp_business_profile")))
        .and(auth())
        .and(query_param(
            "fields",
            "about,address,description,email,profile_picture_url,websites,vertical",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [{
            "about": "Succulent specialists!", "address": "1 Hacker Way",
            "description": "We grow plants.", "email": "lucky@luckyshrub.com",
            "messaging_product": "whatsapp", "profile_picture_url": "https://pps.whatsapp.net/v/x",
            "websites": ["https://www.luckyshrub.com/"], "vertical": "RETAIL"
        }]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{PHONE}/whatsapp_business_profile")))
        .and(auth())
        .and(query_param("fields", "about"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let p = c.send(&GetBusinessProfile::new()).await.unwrap();
    assert_eq!(p.about.as_deref(), Some("Succulent specialists!"));
    assert_eq!(p.websites, ["https://www.luckyshrub.com/"]);
    assert_eq!(p.vertical, Some(Vertical::Retail));
    let err = c
        .send(&GetBusinessProfile::new().fields(["about"]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn update_business_profile_sends_only_what_is_set() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/whatsapp_business_profile")))
        .and(auth())
        .and(body_json(json!({
            "messaging_product": "whatsapp",
            "about": "Open 9-5",
            "email": "hi@luckyshrub.com",
            "websites": ["https://luckyshrub.com", "https://shop.luckyshrub.com"],
            "vertical": "RETAIL",
            "profile_picture_handle": "4::aW1hZ2U="
        })))
        .respond_with(success())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v26.0/999/whatsapp_business_profile"))
        .and(auth())
        .and(body_json(
            json!({"messaging_product": "whatsapp", "about": "x"}),
        ))
        .respond_with(graph_error(400, "api/error_object_not_found.json"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let update = UpdateBusinessProfile::new()
        .about("Open 9-5")
        .email("hi@luckyshrub.com")
        .websites(["https://luckyshrub.com", "https://shop.luckyshrub.com"])
        .vertical(Vertical::Retail)
        .profile_picture_handle("4::aW1hZ2U=");
    assert!(c.send(&update).await.unwrap().success);
    let err = c
        .send(&UpdateBusinessProfile::new().id("999").about("x"))
        .await
        .unwrap_err();
    assert_eq!(err.api().and_then(|a| a.code()), Some(100));
    let err = c
        .send(&UpdateBusinessProfile::new().websites(["https://a", "https://b", "https://c"]))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation(v) if v.field == "websites"),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_remaining_endpoints_map_graph_errors_to_api_errors() {
    let server = MockServer::start().await;
    let expired = || graph_error(401, "api/error_expired_token.json");
    Mock::given(method("GET"))
        .and(path(templates_path()))
        .and(auth())
        .and(query_param("name", "gone"))
        .respond_with(expired())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{WABA}/phone_numbers")))
        .and(auth())
        .and(query_param("fields", FIELDS))
        .respond_with(rate_limit_error())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/deregister")))
        .and(auth())
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"error": {
            "message": "(#133000) Incomplete deregistration", "type": "OAuthException", "code": 133000
        }})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{PHONE}/whatsapp_business_profile")))
        .and(auth())
        .respond_with(graph_error(400, "api/error_object_not_found.json"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);

    let err = c.send(&GetTemplateByName::new("gone")).await.unwrap_err();
    assert_eq!(err.api().and_then(|a| a.code()), Some(190));
    assert_eq!(err.class(), Some(ErrorClass::AuthInvalid));
    assert!(!err.to_string().contains(TOKEN));

    let err = c.send(&ListPhoneNumbers::new()).await.unwrap_err();
    assert_eq!(err.api().and_then(|a| a.code()), Some(80007));

    let err = c.send(&DeregisterPhoneNumber::new()).await.unwrap_err();
    assert_eq!(err.api().and_then(|a| a.code()), Some(133000));
    assert_eq!(err.class(), Some(ErrorClass::PhoneNumber));

    let err = c.send(&GetBusinessProfile::new()).await.unwrap_err();
    assert_eq!(err.api().and_then(|a| a.code()), Some(100));
}

/// Every list endpoint writes its query through one `ListQuery`: fields, the endpoint's filters, then
/// paging, in this order, as before.
#[test]
fn list_queries_are_wire_exact() {
    use whatsapp_cloud::endpoint::phone_numbers::DEFAULT_FIELDS as PHONE_FIELDS;
    use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
    let ctx = ApiContext::new(TOKEN, PHONE).with_waba_id(WABA);
    let query = |request: http::Request<Vec<u8>>| request.uri().query().map(str::to_owned);

    let templates = ListTemplates::new()
        .name("order")
        .status(TemplateStatus::Approved)
        .category(TemplateCategory::Utility)
        .language("en_US")
        .fields(["name", "status"])
        .limit(2)
        .after("QVFI");
    assert_eq!(
        query(templates.to_request(&ctx).unwrap()).as_deref(),
        Some(
            "fields=name%2Cstatus&name=order&status=APPROVED&category=UTILITY&language=en_US&limit=2&after=QVFI"
        )
    );
    assert_eq!(query(ListTemplates::new().to_request(&ctx).unwrap()), None);

    let numbers = ListPhoneNumbers::new().limit(5).after("A").before("B");
    assert_eq!(
        query(numbers.to_request(&ctx).unwrap()),
        Some(format!(
            "fields={}&limit=5&before=B",
            PHONE_FIELDS.join("%2C")
        ))
    );
    assert_eq!(numbers.query().before_cursor(), Some("B"));
    assert_eq!(numbers.query().after_cursor(), None);

    assert_eq!(
        query(
            GetPhoneNumber::new()
                .fields(["throughput"])
                .to_request(&ctx)
                .unwrap()
        )
        .as_deref(),
        Some("fields=throughput")
    );
    assert_eq!(
        query(
            GetBusinessProfile::new()
                .fields(["about", "email"])
                .to_request(&ctx)
                .unwrap()
        )
        .as_deref(),
        Some("fields=about%2Cemail")
    );
}

#[tokio::test]
async fn a_template_with_a_request_contact_info_button_is_created() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{WABA}/message_templates")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "name": "share_contact",
            "language": "en_US",
            "category": "UTILITY",
            "components": [
                {"type": "BODY", "text": "Share your contact details so we can reach you."},
                {"type": "BUTTONS", "buttons": [
                    {"type": "REQUEST_CONTACT_INFO", "text": "Share contact"}
                ]}
            ]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "572279198452422", "status": "PENDING", "category": "UTILITY"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let create = CreateTemplate::new("share_contact", "en_US", TemplateCategory::Utility)
        .component(BodyComponent::new(
            "Share your contact details so we can reach you.",
        ))
        .component(ButtonsComponent::new([
            ButtonDefinition::request_contact_info("Share contact"),
        ]));
    let created = client(&server).send(&create).await.unwrap();
    assert_eq!(created.id, "572279198452422");
    server.verify().await;

    // Its label is required and at most 25 characters, like other buttons'.
    for (label, violation) in [
        ("", Violation::Empty),
        (
            "Share my contact details now",
            Violation::TooLong {
                max: 25,
                actual: 28,
            },
        ),
    ] {
        let err = CreateTemplate::new("t", "en_US", TemplateCategory::Utility)
            .component(BodyComponent::new("Hi"))
            .component(ButtonsComponent::new([
                ButtonDefinition::request_contact_info(label),
            ]))
            .validate()
            .unwrap_err();
        assert_eq!(err.field, "components[1].buttons[0].text");
        assert_eq!(err.violation, violation);
    }
}

#[tokio::test]
async fn a_template_with_a_voice_call_button_is_created_and_its_ttl_checked() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{WABA}/message_templates")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_json(json!({
            "name": "call_us",
            "language": "en_US",
            "category": "MARKETING",
            "components": [
                {"type": "BODY", "text": "Questions about our offer? Call us."},
                {"type": "BUTTONS", "buttons": [
                    {"type": "VOICE_CALL", "text": "Call now", "ttl_minutes": 2880}
                ]}
            ]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "572279198452423", "status": "PENDING", "category": "MARKETING"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let create = |button: ButtonDefinition| {
        CreateTemplate::new("call_us", "en_US", TemplateCategory::Marketing)
            .component(BodyComponent::new("Questions about our offer? Call us."))
            .component(ButtonsComponent::new([button]))
    };
    let created = client(&server)
        .send(&create(
            ButtonDefinition::voice_call("Call now").ttl_minutes(2_880),
        ))
        .await
        .unwrap();
    assert_eq!(created.id, "572279198452423");
    server.verify().await;

    assert!(
        create(ButtonDefinition::voice_call("Call now"))
            .validate()
            .is_ok()
    );
    for minutes in [1_439, 43_201] {
        let err = create(ButtonDefinition::voice_call("Call now").ttl_minutes(minutes))
            .validate()
            .unwrap_err();
        assert_eq!(err.field, "components[1].buttons[0].ttl_minutes");
        assert_eq!(
            err.violation,
            Violation::OutOfRange {
                min: 1_440,
                max: 43_200,
                actual: i64::from(minutes)
            }
        );
    }
    let err = create(ButtonDefinition::voice_call(""))
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "components[1].buttons[0].text");
}
