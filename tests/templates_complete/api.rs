//! The new template management endpoints against wiremock: method, path, query, headers and exact
//! body, including the api.facebook.com host of archive and unarchive.

use super::*;
use futures_util::TryStreamExt;
use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
use whatsapp_cloud::{Client, ClientBuilder};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "templates-token-123";
const WABA: &str = "102290129340398";

fn builder(server: &MockServer) -> ClientBuilder {
    common::mock_client(server, TOKEN, "106540352242922", Some(WABA))
}

fn client(server: &MockServer) -> Client {
    builder(server).build().unwrap()
}

fn auth() -> wiremock::matchers::HeaderExactMatcher {
    common::bearer(TOKEN)
}

fn json_ok(body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn no_body(request: &Request) -> bool {
    request.body.is_empty()
}

/// The query of the one request `server` received, as pairs.
async fn query_of(server: &MockServer) -> Vec<(String, String)> {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    requests[0]
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[test]
fn archive_defaults_to_api_facebook_com_without_a_version() {
    let ctx = ApiContext::without_phone_number(TOKEN).with_waba_id(WABA);
    for (call, action) in [
        (ArchiveTemplates::archive(["1"]), "archive"),
        (ArchiveTemplates::unarchive(["1"]), "unarchive"),
    ] {
        let request = call.to_request(&ctx).unwrap();
        assert_eq!(
            request.uri().to_string(),
            format!("https://api.facebook.com/{WABA}/message_templates/{action}")
        );
        assert_eq!(request.method(), http::Method::POST);
    }
    // Every other template call stays on the Graph API host.
    let other = UnpauseTemplate::new("1").to_request(&ctx).unwrap();
    assert_eq!(other.uri().host(), Some("graph.facebook.com"));
}

#[test]
fn id_lists_hold_1_to_100_distinct_ids() {
    let ctx = ApiContext::without_phone_number(TOKEN).with_waba_id(WABA);
    let ids = |n: usize| (0..n).map(|i| i.to_string()).collect::<Vec<_>>();
    ArchiveTemplates::archive(ids(100))
        .to_request(&ctx)
        .unwrap();
    DeleteTemplatesById::new(ids(100)).to_request(&ctx).unwrap();
    for err in [
        ArchiveTemplates::archive(ids(101))
            .to_request(&ctx)
            .unwrap_err(),
        DeleteTemplatesById::new(ids(101))
            .to_request(&ctx)
            .unwrap_err(),
    ] {
        let whatsapp_cloud::Error::Validation(v) = err else {
            panic!("{err:?}")
        };
        assert_eq!(v.field, "hsm_ids");
        assert_eq!(
            v.violation,
            Violation::TooMany {
                max: 100,
                actual: 101
            }
        );
    }
    let err = ArchiveTemplates::unarchive(Vec::<String>::new())
        .to_request(&ctx)
        .unwrap_err();
    assert!(
        matches!(err, whatsapp_cloud::Error::Validation(ref v) if v.violation == Violation::TooFew { min: 1, actual: 0 })
    );
    let err = DeleteTemplatesById::new(["1", "1"])
        .to_request(&ctx)
        .unwrap_err();
    assert!(matches!(err, whatsapp_cloud::Error::Validation(ref v) if v.field == "hsm_ids[1]"));
}

#[tokio::test]
async fn archive_goes_to_the_api_facebook_host_and_reads_failures() {
    let graph = MockServer::start().await;
    let api_host = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/{WABA}/message_templates/archive")))
        .and(auth())
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"hsm_ids": ["1387372356726668", "2"]})))
        .respond_with(json_ok(json!({"archived_templates": ["1387372356726668"],
            "failed_templates": {"2": "Only approved or rejected templates can be archived"}})))
        .expect(1)
        .mount(&api_host)
        .await;
    let client = builder(&graph)
        .api_facebook_url(api_host.uri())
        .build()
        .unwrap();
    let result = client
        .archive_templates(["1387372356726668", "2"])
        .await
        .unwrap();
    assert_eq!(result.templates, ["1387372356726668"]);
    assert_eq!(
        result.failed_templates["2"],
        "Only approved or rejected templates can be archived"
    );
    assert!(graph.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn unarchive_follows_the_base_url_when_no_api_host_is_set() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/{WABA}/message_templates/unarchive")))
        .and(auth())
        .and(body_json(json!({"hsm_ids": ["7"]})))
        .respond_with(json_ok(
            json!({"unarchived_templates": ["7"], "failed_templates": {}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let result = client(&server).unarchive_templates(["7"]).await.unwrap();
    assert_eq!(result.templates, ["7"]);
}

#[tokio::test]
async fn unpause_posts_without_a_body_and_reads_the_reason() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v26.0/1387/unpause"))
        .and(auth())
        .and(no_body)
        .respond_with(json_ok(
            json!({"success": false, "reason": "Template is not paused"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let answer = client(&server).unpause_template("1387").await.unwrap();
    assert!(!answer.success);
    assert_eq!(answer.reason.as_deref(), Some("Template is not paused"));
}

#[tokio::test]
async fn bulk_delete_sends_the_ids_as_a_json_array_and_no_name() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v26.0/{WABA}/message_templates")))
        .and(query_param("hsm_ids", r#"["1","2"]"#))
        .and(auth())
        .and(no_body)
        .respond_with(json_ok(json!({"success": true})))
        .expect(1)
        .mount(&server)
        .await;
    assert!(
        client(&server)
            .delete_templates_by_id(["1", "2"])
            .await
            .unwrap()
            .success
    );
    assert_eq!(
        query_of(&server).await,
        [("hsm_ids".to_owned(), r#"["1","2"]"#.to_owned())]
    );
}

#[tokio::test]
async fn migrate_posts_source_and_page_in_the_query() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{WABA}/migrate_message_templates")))
        .and(query_param("source_waba_id", "555"))
        .and(query_param("page_number", "0"))
        .and(auth())
        .and(no_body)
        .respond_with(json_ok(json!({"migrated_templates": ["11"],
            "failed_templates": {"12": "Template already exists"}})))
        .expect(1)
        .mount(&server)
        .await;
    let migrated = client(&server)
        .migrate_templates(&MigrateTemplates::new("555").page_number(0))
        .await
        .unwrap();
    assert_eq!(migrated.migrated_templates, ["11"]);
    assert_eq!(migrated.failed_templates["12"], "Template already exists");
}

#[tokio::test]
async fn click_tracking_opt_out_posts_the_flag_and_category() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v26.0/1387"))
        .and(query_param("cta_url_link_tracking_opted_out", "true"))
        .and(query_param("category", "MARKETING"))
        .and(auth())
        .and(no_body)
        .respond_with(json_ok(json!({"success": true})))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .set_template_click_tracking("1387", TemplateCategory::Marketing, true)
        .await
        .unwrap();
    assert_eq!(query_of(&server).await.len(), 2);
}

#[tokio::test]
async fn library_search_and_create_from_library() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v26.0/message_template_library"))
        .and(query_param("search", "payment"))
        .and(query_param("topic", "PAYMENTS"))
        .and(auth())
        .respond_with(json_ok(
            json!({"data": [{"name": "payment_overdue_1", "language": "en_US",
            "category": "UTILITY", "topic": "PAYMENTS", "usecase": "PAYMENT_OVERDUE",
            "industry": ["E_COMMERCE"], "body": "Your payment for {{1}} is overdue.",
            "body_params": ["order #12345"], "body_param_types": ["TEXT"],
            "buttons": [{"type": "URL", "text": "Pay now"}], "id": "7138055039625658"}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{WABA}/message_templates")))
        .and(auth())
        .and(body_json(json!({"name": "my_overdue", "language": "en_US", "category": "UTILITY",
            "library_template_name": "payment_overdue_1",
            "library_template_button_inputs": [{"type": "URL",
                "url": {"base_url": "https://pay.example/{{1}}", "url_suffix_example": "https://pay.example/a"}}],
            "library_template_body_inputs": {"add_contact_number": true}})))
        .respond_with(json_ok(json!({"id": "99", "status": "APPROVED", "category": "UTILITY"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let found: Vec<LibraryTemplate> = client
        .template_library(
            SearchTemplateLibrary::new()
                .search("payment")
                .topic("PAYMENTS"),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found[0].name, "payment_overdue_1");
    assert_eq!(found[0].usecase.as_deref(), Some("PAYMENT_OVERDUE"));
    assert_eq!(found[0].body_param_types, ["TEXT"]);
    let inputs = LibraryBodyInputs::new().add_contact_number(true);
    let created = client
        .create_template_from_library(
            &CreateFromLibrary::new(
                "my_overdue",
                "en_US",
                TemplateCategory::Utility,
                "payment_overdue_1",
            )
            .button_input(LibraryButtonInput::url(
                "https://pay.example/{{1}}",
                Some("https://pay.example/a".into()),
            ))
            .body_inputs(inputs),
        )
        .await
        .unwrap();
    assert_eq!(created.status, Some(TemplateStatus::Approved));
}

#[tokio::test]
async fn upsert_and_previews() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{WABA}/upsert_message_templates")))
        .and(auth())
        .and(body_json(
            json!({"name": "login_code", "languages": ["en_US", "es_ES"],
            "category": "AUTHENTICATION", "components": [
                {"type": "BODY", "add_security_recommendation": true},
                {"type": "FOOTER", "code_expiration_minutes": 10},
                {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "copy_code"}]}]}),
        ))
        .respond_with(json_ok(json!({"data": [
            {"id": "1", "status": "APPROVED", "language": "en_US"},
            {"id": "2", "status": "PENDING", "language": "es_ES"}]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{WABA}/message_template_previews")))
        .and(query_param("category", "AUTHENTICATION"))
        .and(query_param("languages", "en_US,es_ES"))
        .and(query_param("add_security_recommendation", "true"))
        .and(query_param("code_expiration_minutes", "10"))
        .and(query_param("button_types", "OTP"))
        .and(auth())
        .respond_with(json_ok(json!({"data": [{"language": "en_US",
            "body": "*{{1}}* is your verification code.", "footer": "This code expires in 10 minutes.",
            "buttons": [{"autofill_text": "Autofill", "text": "Copy code"}]}]})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let upserted = client
        .upsert_authentication_template(
            &UpsertAuthenticationTemplate::new("login_code", ["en_US", "es_ES"])
                .component(BodyComponent::authentication(true))
                .component(FooterComponent::code_expiration(10))
                .component(ButtonsComponent::new([ButtonDefinition::otp_copy_code()])),
        )
        .await
        .unwrap();
    assert_eq!(upserted.data.len(), 2);
    assert_eq!(upserted.data[1].status, Some(TemplateStatus::Pending));
    let previews = client
        .template_previews(
            &GetTemplatePreviews::authentication(["en_US", "es_ES"])
                .add_security_recommendation(true)
                .code_expiration_minutes(10),
        )
        .await
        .unwrap();
    assert_eq!(
        previews[0].footer.as_deref(),
        Some("This code expires in 10 minutes.")
    );
}

#[tokio::test]
async fn create_sends_ttl_and_the_exact_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{WABA}/message_templates")))
        .and(auth())
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"name": "spm_offer", "language": "en_US", "category": "MARKETING",
            "message_send_ttl_seconds": 43200, "components": [
                {"type": "HEADER", "format": "PRODUCT"},
                {"type": "BODY", "text": "New in."},
                {"type": "BUTTONS", "buttons": [{"type": "SPM", "text": "View"}]}]}),
        ))
        .respond_with(json_ok(
            json!({"id": "5", "status": "PENDING", "category": "MARKETING"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .create_template(
            &CreateTemplate::new("spm_offer", "en_US", TemplateCategory::Marketing)
                .component(HeaderComponent::product())
                .component(BodyComponent::new("New in."))
                .component(ButtonsComponent::new([ButtonDefinition::spm("View")]))
                .message_send_ttl_seconds(43_200),
        )
        .await
        .unwrap();
}

#[cfg(feature = "testing")]
#[tokio::test]
async fn the_fake_serves_template_administration() {
    let fake = whatsapp_cloud::testing::FakeCloudApi::start().await;
    let client = fake.client().unwrap();
    let archived = client.archive_templates(["1", "2"]).await.unwrap();
    assert_eq!(archived.templates, ["1", "2"]);
    let unarchived = client.unarchive_templates(["1"]).await.unwrap();
    assert_eq!(unarchived.templates, ["1"]);
    assert!(client.unpause_template("1387").await.unwrap().success);
    assert!(client.delete_templates_by_id(["1"]).await.unwrap().success);
    let upserted = client
        .upsert_authentication_template(
            &UpsertAuthenticationTemplate::new("login_code", ["en_US", "fr_FR"])
                .component(BodyComponent::authentication(true))
                .component(ButtonsComponent::new([ButtonDefinition::otp_copy_code()])),
        )
        .await
        .unwrap();
    assert_eq!(upserted.data.len(), 2);
    assert_eq!(upserted.data[1].language.as_deref(), Some("fr_FR"));
    let library: Vec<LibraryTemplate> = client
        .template_library(SearchTemplateLibrary::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(library[0].name, "payment_overdue_1");
}
