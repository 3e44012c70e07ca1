//! The payment lookup and payment configuration endpoints: method, path, headers and exact body
//! against wiremock, the documented answers, and the same calls against the fake.

use crate::common;
use serde_json::json;
use whatsapp_cloud::Client;
use whatsapp_cloud::endpoint::payments::*;
use whatsapp_cloud::error::{Error, ErrorClass, Violation};
use whatsapp_cloud::testing::FakeCloudApi;
use whatsapp_cloud::webhook::{PaymentMethodType, TransactionStatus};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "payments-token-456";
const WABA: &str = "102290129340398";
const PHONE: &str = "106540352242922";

fn client(server: &MockServer) -> Client {
    common::mock_client(server, TOKEN, PHONE, Some(WABA))
        .build()
        .unwrap()
}

fn auth() -> wiremock::matchers::HeaderExactMatcher {
    common::bearer(TOKEN)
}

fn fixture(name: &str) -> ResponseTemplate {
    common::api_answer(name)
}

fn no_body(request: &Request) -> bool {
    request.body.is_empty()
}

fn no_query(request: &Request) -> bool {
    request.url.query().is_none()
}

#[tokio::test]
async fn lookup_gets_the_payment_by_configuration_and_reference() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/v26.0/{PHONE}/payments/razorpay-prod/order-42"
        )))
        .and(auth())
        .and(no_body)
        .and(no_query)
        .respond_with(fixture("payments_lookup.json"))
        .expect(1)
        .mount(&server)
        .await;
    let found = client(&server)
        .lookup_payment("razorpay-prod", "order-42")
        .await
        .unwrap();
    server.verify().await;
    assert_eq!(found.payments.len(), 1);
    let p = &found.payments[0];
    assert_eq!(p.reference_id, "order-42");
    assert_eq!(p.status, PaymentStatus::Captured);
    assert_eq!(p.currency.as_deref(), Some("INR"));
    assert_eq!(p.amount.map(|a| (a.value, a.offset)), Some((21_000, 100)));
    assert_eq!(
        p.transactions
            .iter()
            .map(|t| t.status.clone())
            .collect::<Vec<_>>(),
        [TransactionStatus::Failed, TransactionStatus::Success]
    );
    assert_eq!(
        p.transactions[0].error.as_ref().unwrap().reason.as_deref(),
        Some("Card declined")
    );
    assert_eq!(
        p.transactions[1].method.as_ref().unwrap().kind,
        PaymentMethodType::Upi
    );
}

#[tokio::test]
async fn list_reads_the_nested_and_the_flat_data_forms() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{WABA}/payment_configurations")))
        .and(auth())
        .and(no_body)
        .and(no_query)
        .respond_with(fixture("payments_configurations.json"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let list = client.payment_configurations().await.unwrap();
    assert_eq!(
        list.iter()
            .map(|c| c.configuration_name.as_str())
            .collect::<Vec<_>>(),
        ["test-payment-configuration", "upi-handle"]
    );
    let first = &list[0];
    assert_eq!(first.status, Some(PaymentConfigurationStatus::Active));
    assert_eq!(first.provider_name.as_deref(), Some("RazorPay"));
    assert_eq!(
        first.provider_mid.as_deref(),
        Some("test-payment-gateway-mid")
    );
    let mcc = first.merchant_category_code.as_ref().unwrap();
    assert_eq!(
        (mcc.code.as_str(), mcc.description.as_deref()),
        ("0000", Some("Test MCC Code"))
    );
    assert_eq!(first.purpose_code.as_ref().unwrap().code, "00");
    assert_eq!(first.created_timestamp, Some(1_720_203_204));
    assert_eq!(
        list[1].status,
        Some(PaymentConfigurationStatus::NeedsTesting)
    );
    assert_eq!(list[1].merchant_vpa.as_deref(), Some("shop@upi"));

    // The flat reading: configurations directly under `data`.
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{WABA}/payment_configurations")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"configuration_name": "flat", "status": "Needs_Connecting"}]
        })))
        .mount(&server)
        .await;
    let flat = client.payment_configurations().await.unwrap();
    assert_eq!(flat[0].configuration_name, "flat");
    assert_eq!(
        flat[0].status,
        Some(PaymentConfigurationStatus::NeedsConnecting)
    );
}

#[tokio::test]
async fn get_reads_one_configuration_from_its_data_list() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/v26.0/{WABA}/payment_configuration/test-payment-configuration"
        )))
        .and(auth())
        .and(no_body)
        .respond_with(fixture("payments_configuration.json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let c = client
        .payment_configuration("test-payment-configuration")
        .await
        .unwrap();
    server.verify().await;
    assert_eq!(c.status, Some(PaymentConfigurationStatus::NeedsConnecting));
    assert_eq!(c.provider_name.as_deref(), Some("razorpay"));

    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{WABA}/payment_configuration/none")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .mount(&server)
        .await;
    let e = client.payment_configuration("none").await.unwrap_err();
    assert!(matches!(e, Error::Decode(_)), "{e:?}");
    // An empty name never leaves.
    let e = client.payment_configuration(" ").await.unwrap_err();
    assert!(
        matches!(e, Error::Validation(ref v) if v.field == "configuration_name"),
        "{e:?}"
    );
}

#[tokio::test]
async fn create_posts_the_exact_body_and_reads_the_oauth_link() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{WABA}/payment_configuration")))
        .and(auth())
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "configuration_name": "razorpay-prod",
            "provider_name": "razorpay",
            "merchant_category_code": "4722",
            "purpose_code": "03",
            "redirect_url": "https://example.com/payments/connected"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": true,
            "oauth_url": "https://www.facebook.com/payments/oauth/razorpay?state=AbCdEf",
            "expiration": 1721174716
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{WABA}/payment_configuration")))
        .and(auth())
        .and(body_json(json!({
            "configuration_name": "upi-handle",
            "provider_name": "upi_vpa",
            "merchant_category_code": "0000",
            "purpose_code": "00",
            "merchant_vpa": "shop@upi"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let created = client
        .create_payment_configuration(
            &CreatePaymentConfiguration::new(
                "razorpay-prod",
                PaymentProvider::Razorpay,
                "4722",
                "03",
            )
            .redirect_url("https://example.com/payments/connected"),
        )
        .await
        .unwrap();
    assert_eq!(created.success, Some(true));
    assert_eq!(
        created.oauth_url.as_deref(),
        Some("https://www.facebook.com/payments/oauth/razorpay?state=AbCdEf")
    );
    assert_eq!(created.expiration, Some(1_721_174_716));
    let upi = client
        .create_payment_configuration(
            &CreatePaymentConfiguration::new("upi-handle", PaymentProvider::UpiVpa, "0000", "00")
                .merchant_vpa("shop@upi"),
        )
        .await
        .unwrap();
    assert_eq!((upi.success, upi.oauth_url), (Some(true), None));
    server.verify().await;
}

#[test]
fn create_is_checked_before_sending() {
    let field = |c: CreatePaymentConfiguration| c.validate().unwrap_err().field;
    assert_eq!(
        field(CreatePaymentConfiguration::new(
            "upi",
            PaymentProvider::UpiVpa,
            "0000",
            "00"
        )),
        "merchant_vpa"
    );
    assert_eq!(
        CreatePaymentConfiguration::new("upi", PaymentProvider::UpiVpa, "0000", "00")
            .validate()
            .unwrap_err()
            .violation,
        Violation::Missing
    );
    assert_eq!(
        field(CreatePaymentConfiguration::new(
            " ",
            PaymentProvider::PayU,
            "0000",
            "00"
        )),
        "configuration_name"
    );
    assert_eq!(
        field(CreatePaymentConfiguration::new(
            "p",
            PaymentProvider::PayU,
            "",
            "00"
        )),
        "merchant_category_code"
    );
    assert_eq!(
        field(CreatePaymentConfiguration::new(
            "p",
            PaymentProvider::Zaakpay,
            "0000",
            ""
        )),
        "purpose_code"
    );
    assert_eq!(
        field(
            CreatePaymentConfiguration::new("p", PaymentProvider::Zaakpay, "0000", "00")
                .redirect_url("example.com/back")
        ),
        "redirect_url"
    );
}

#[tokio::test]
async fn regenerate_posts_the_name_and_redirect_and_reads_the_link() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/v26.0/{WABA}/generate_payment_configuration_oauth_link"
        )))
        .and(auth())
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "configuration_name": "razorpay-prod",
            "redirect_url": "https://example.com/back"
        })))
        .respond_with(fixture("payments_oauth_link.json"))
        .expect(1)
        .mount(&server)
        .await;
    let link = client(&server)
        .regenerate_payment_oauth_link(
            &RegeneratePaymentOAuthLink::new("razorpay-prod")
                .redirect_url("https://example.com/back"),
        )
        .await
        .unwrap();
    server.verify().await;
    assert_eq!(
        link.oauth_url,
        "https://www.facebook.com/payments/oauth/razorpay?state=AbCdEf"
    );
    assert_eq!(link.expiration, Some(1_721_174_716));
}

#[tokio::test]
async fn delete_sends_the_name_in_a_json_body() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v26.0/{WABA}/payment_configuration")))
        .and(auth())
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"configuration_name": "razorpay-prod"})))
        .respond_with(fixture("success.json"))
        .expect(1)
        .mount(&server)
        .await;
    let done = client(&server)
        .delete_payment_configuration("razorpay-prod")
        .await
        .unwrap();
    server.verify().await;
    assert!(done.success);
}

#[tokio::test]
async fn the_payments_terms_error_is_typed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{WABA}/payment_configuration")))
        .respond_with(ResponseTemplate::new(400).set_body_bytes(common::fixture(
            "graph_errors/payments_terms_pending_134011.json",
        )))
        .mount(&server)
        .await;
    let e = client(&server)
        .create_payment_configuration(&CreatePaymentConfiguration::new(
            "razorpay-prod",
            PaymentProvider::Razorpay,
            "4722",
            "03",
        ))
        .await
        .unwrap_err();
    assert_eq!(e.class(), Some(ErrorClass::PaymentsTermsPending));
    assert!(!e.is_retryable());
    assert!(!e.to_string().contains(TOKEN));
}

#[tokio::test]
async fn the_fake_keeps_configurations_and_answers_scripted_payments() {
    let fake = FakeCloudApi::start().await;
    let client = fake.client().unwrap();
    let created = client
        .create_payment_configuration(
            &CreatePaymentConfiguration::new(
                "razorpay-prod",
                PaymentProvider::Razorpay,
                "4722",
                "03",
            )
            .redirect_url("https://example.com/back"),
        )
        .await
        .unwrap();
    assert!(created.oauth_url.is_some());
    client
        .create_payment_configuration(
            &CreatePaymentConfiguration::new("upi", PaymentProvider::UpiVpa, "0000", "00")
                .merchant_vpa("shop@upi"),
        )
        .await
        .unwrap();
    // A name used twice is Meta's invalid-parameter error.
    let again = client
        .create_payment_configuration(
            &CreatePaymentConfiguration::new("upi", PaymentProvider::UpiVpa, "0000", "00")
                .merchant_vpa("x@upi"),
        )
        .await
        .unwrap_err();
    assert_eq!(again.class(), Some(ErrorClass::InvalidParameter));

    let statuses = |list: Vec<PaymentConfiguration>| {
        list.into_iter()
            .map(|c| (c.configuration_name, c.status))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        statuses(client.payment_configurations().await.unwrap()),
        [
            (
                "razorpay-prod".to_owned(),
                Some(PaymentConfigurationStatus::NeedsConnecting)
            ),
            ("upi".to_owned(), Some(PaymentConfigurationStatus::Active)),
        ]
    );
    assert!(fake.connect_payment_configuration("razorpay-prod"));
    assert_eq!(
        client
            .payment_configuration("razorpay-prod")
            .await
            .unwrap()
            .status,
        Some(PaymentConfigurationStatus::Active)
    );
    let link = client
        .regenerate_payment_oauth_link(&RegeneratePaymentOAuthLink::new("razorpay-prod"))
        .await
        .unwrap();
    assert!(link.oauth_url.starts_with("https://"));

    // Lookups answer what was scripted, and nothing else.
    assert!(
        client
            .lookup_payment("razorpay-prod", "order-42")
            .await
            .is_err()
    );
    fake.set_payment(
        "razorpay-prod",
        "order-42",
        PaymentStatus::Failed,
        21_000,
        "INR",
    );
    fake.set_payment(
        "razorpay-prod",
        "order-42",
        PaymentStatus::Captured,
        21_000,
        "INR",
    );
    let found = client
        .lookup_payment("razorpay-prod", "order-42")
        .await
        .unwrap();
    assert_eq!(found.payments[0].status, PaymentStatus::Captured);
    assert_eq!(
        found.payments[0].transactions[0].status,
        TransactionStatus::Success
    );

    client.delete_payment_configuration("upi").await.unwrap();
    assert!(client.payment_configuration("upi").await.is_err());
    assert_eq!(client.payment_configurations().await.unwrap().len(), 1);
}

#[test]
fn an_empty_configuration_answer_is_an_error_that_shows_the_answer() {
    use whatsapp_cloud::endpoint::Endpoint;
    let error = GetPaymentConfiguration::new("razorpay-main")
        .parse_response(http::Response::new(br#"{"data":[]}"#.to_vec()))
        .unwrap_err();
    let shown = format!("{error:?}");
    assert!(matches!(error, Error::Decode(_)), "{shown}");
    assert!(shown.contains("`data` is empty"), "{shown}");
    assert!(shown.contains(r#"{\"data\":[]}"#), "{shown}");
}
