//! The client against a fake Cloud API: what goes on the wire, configuration, typed errors,
//! secrets, tenants and the blocking client.

use serde_json::{Value, json};
use std::time::Duration;
use whatsapp_cloud::client::{Client, ClientBuilder, ManualTimer, Tenant};
use whatsapp_cloud::message::{Message, SendMessage};
use whatsapp_cloud::retry::RetryPolicy;
use whatsapp_cloud::{ApiContext, Endpoint, Error, Recipient};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "EAAG-test-token-7f3a";
const PHONE: &str = "106540352242922";
const UA: &str = concat!("whatsapp-cloud-rust/", env!("CARGO_PKG_VERSION"));

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .access_token(TOKEN)
        .phone_number_id(PHONE)
        .base_url(server.uri())
        .timer(ManualTimer::new())
}

fn hello() -> SendMessage {
    SendMessage::new("+16315551234", Message::text("Hello!"))
}

fn hello_json() -> Value {
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "+16315551234",
        "type": "text",
        "text": {"body": "Hello!"}
    })
}

fn accepted(wamid: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "messaging_product": "whatsapp",
        "contacts": [{"input": "+16315551234", "wa_id": "16315551234"}],
        "messages": [{"id": wamid}]
    }))
}

fn messages_path(phone: &str) -> String {
    format!("/v26.0/{phone}/messages")
}

/// A local port with nothing listening on it.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn send_posts_the_exact_message_with_bearer_and_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(messages_path(PHONE)))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(header("user-agent", UA))
        .and(body_json(hello_json()))
        .respond_with(accepted("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI"))
        .expect(1)
        .mount(&server)
        .await;

    let client = builder(&server).build().unwrap();
    let sent = client.send(&hello()).await.unwrap();
    assert_eq!(
        sent.message_id().map(|id| id.as_str()),
        Some("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI")
    );
    assert_eq!(sent.contacts[0].wa_id.as_deref(), Some("16315551234"));
}

#[tokio::test]
async fn send_message_and_send_put_the_same_bytes_on_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(messages_path(PHONE)))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_json(hello_json()))
        .respond_with(accepted("wamid.A"))
        .expect(2)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let a = client.send(&hello()).await.unwrap();
    let b = client.send_message(&hello()).await.unwrap();
    assert_eq!(a, b);
}

#[tokio::test]
async fn configured_version_and_user_agent_are_used() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v25.0/{PHONE}/messages")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("user-agent", "acme-bot/2.1"))
        .and(body_json(hello_json()))
        .respond_with(accepted("wamid.B"))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .api_version("v25.0")
        .user_agent("acme-bot/2.1")
        .waba_id("102290129340398")
        .build()
        .unwrap();
    assert_eq!(
        client.context().waba_id().map(|w| w.as_str()),
        Some("102290129340398")
    );
    client.send(&hello()).await.unwrap();
}

#[tokio::test]
async fn a_user_supplied_http_client_is_used() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(messages_path(PHONE)))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("x-tenant-trace", "abc"))
        .and(body_json(hello_json()))
        .respond_with(accepted("wamid.C"))
        .expect(1)
        .mount(&server)
        .await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-tenant-trace", "abc".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let client = builder(&server).http_client(http).build().unwrap();
    client.send(&hello()).await.unwrap();
}

fn config_error(result: Result<Client, Error>) -> String {
    match result {
        Err(Error::Config(message)) => message,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn build_refuses_incomplete_or_malformed_configuration() {
    let full = || Client::builder().access_token(TOKEN).phone_number_id(PHONE);
    assert!(
        config_error(Client::builder().phone_number_id(PHONE).build())
            .contains("access token is required")
    );
    assert!(
        config_error(
            Client::builder()
                .access_token("   ")
                .phone_number_id(PHONE)
                .build()
        )
        .contains("access token is required")
    );
    assert!(
        config_error(Client::builder().access_token(TOKEN).build())
            .contains("phone number id is required")
    );
    assert!(
        config_error(
            Client::builder()
                .access_token(TOKEN)
                .phone_number_id("")
                .build()
        )
        .contains("phone number id is required")
    );
    assert!(config_error(full().base_url("not a url").build()).contains("\"not a url\""));
    assert!(config_error(full().base_url("ftp://example.com").build()).contains("http or https"));
    assert!(config_error(full().api_version("26.0").build()).contains("\"26.0\""));
    assert!(config_error(full().api_version("v26").build()).contains("v<major>.<minor>"));
    assert!(config_error(full().timeout(Duration::ZERO).build()).contains("timeout"));
    assert!(config_error(full().user_agent("bad\nagent").build()).contains("user agent"));
    // Errors never contain the token.
    let e = full().base_url("nope").build().unwrap_err();
    assert!(!format!("{e} {e:?}").contains(TOKEN));
}

#[test]
fn defaults_are_meta_and_the_current_version() {
    let client = Client::builder()
        .access_token(TOKEN)
        .phone_number_id(PHONE)
        .build()
        .unwrap();
    let ctx = client.context();
    assert_eq!(ctx.base_url().as_str(), "https://graph.facebook.com/");
    assert_eq!(ctx.api_version(), whatsapp_cloud::DEFAULT_API_VERSION);
    assert_eq!(ctx.user_agent(), UA);
    assert_eq!(client.retry_policy(), &RetryPolicy::default());
}

#[test]
fn debug_output_never_shows_the_token() {
    let builder = Client::builder()
        .access_token(TOKEN)
        .phone_number_id(PHONE)
        .on_retry(|_| {});
    let builder_debug = format!("{builder:?}");
    assert!(builder_debug.contains(PHONE), "{builder_debug}");
    assert!(!builder_debug.contains(TOKEN));
    let client = builder.build().unwrap();
    let client_debug = format!("{client:?} {client:#?}");
    assert!(client_debug.contains(PHONE));
    assert!(!client_debug.contains(TOKEN), "{client_debug}");
    let tenant = Tenant::new("209876543210987", "EAAG-tenant-secret");
    assert!(!format!("{tenant:?}").contains("EAAG-tenant-secret"));
    let view = client.for_tenant(&tenant).unwrap();
    assert!(!format!("{view:?}").contains("EAAG-tenant-secret"));
}

#[tokio::test]
async fn error_text_never_shows_the_token_even_when_echoed() {
    let server = MockServer::start().await;
    // A misbehaving proxy echoes the request's Authorization header in its error body.
    let body = json!({"error": {
        "message": format!("Invalid OAuth access token - Cannot parse access token: Bearer {TOKEN}"),
        "type": "OAuthException",
        "code": 190,
        "fbtrace_id": "AbCdEf"
    }});
    Mock::given(method("POST"))
        .and(path(messages_path(PHONE)))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_json(hello_json()))
        .respond_with(ResponseTemplate::new(401).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let e = client.send(&hello()).await.unwrap_err();
    let api = e.api().expect("an API error");
    assert_eq!(api.status, 401);
    assert_eq!(api.code(), Some(190));
    assert!(api.raw_body.contains("Bearer <redacted>"));
    for text in [e.to_string(), format!("{e:?}"), api.raw_body.clone()] {
        assert!(!text.contains(TOKEN), "{text}");
    }
}

#[tokio::test]
async fn a_tenant_view_sends_from_its_number_with_its_token() {
    let server = MockServer::start().await;
    let tenant_phone = "209876543210987";
    let tenant_token = "EAAG-globex-token";
    Mock::given(method("POST"))
        .and(path(messages_path(tenant_phone)))
        .and(header(
            "authorization",
            format!("Bearer {tenant_token}").as_str(),
        ))
        .and(body_json(hello_json()))
        .respond_with(accepted("wamid.tenant"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(messages_path(PHONE)))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_json(hello_json()))
        .respond_with(accepted("wamid.default"))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).api_version("v26.0").build().unwrap();
    let tenant = Tenant::new(tenant_phone, tenant_token).waba_id("555");
    let view = client.for_tenant(&tenant).unwrap();
    assert_eq!(view.context().waba_id().map(|w| w.as_str()), Some("555"));
    assert_eq!(view.context().base_url(), client.context().base_url());
    let a = view.send(&hello()).await.unwrap();
    let b = client.send(&hello()).await.unwrap();
    assert_eq!(a.message_id().unwrap().as_str(), "wamid.tenant");
    assert_eq!(b.message_id().unwrap().as_str(), "wamid.default");
}

#[test]
fn a_token_with_a_line_break_is_refused_at_build_naming_the_problem_not_the_token() {
    let e = config_error(
        Client::builder()
            .access_token("EAAGsecret-token\n")
            .phone_number_id(PHONE)
            .build(),
    );
    assert_eq!(
        e,
        "the access token cannot be sent in an HTTP header: it holds a line break at character \
         17 of 17 (trim the token where you read it)"
    );

    let client = Client::builder()
        .access_token(TOKEN)
        .phone_number_id(PHONE)
        .build()
        .unwrap();
    let e = client
        .for_tenant(&Tenant::new("2", "EAAG\rsecret"))
        .unwrap_err();
    assert!(
        matches!(&e, Error::Config(m) if m.contains("tenant: the access token cannot be sent in an HTTP header: it holds a line break at character 5 of 11")),
        "{e:?}"
    );
    assert!(!e.to_string().contains("secret"));
}

#[test]
fn a_sans_io_request_with_a_bad_token_says_what_is_wrong_with_the_token() {
    let ctx = ApiContext::new("EAAG\u{0}secret", PHONE);
    let e = SendMessage::new("16505551234", Message::text("hi"))
        .to_request(&ctx)
        .unwrap_err();
    assert!(
        matches!(&e, Error::Config(m) if m == "the access token cannot be sent in an HTTP header: it holds a NUL character at character 5 of 11 (trim the token where you read it)"),
        "{e:?}"
    );
}

#[test]
fn a_tenant_with_a_blank_token_is_refused() {
    let client = Client::builder()
        .access_token(TOKEN)
        .phone_number_id(PHONE)
        .build()
        .unwrap();
    let e = client.for_tenant(&Tenant::new("2", "")).unwrap_err();
    assert!(matches!(&e, Error::Config(m) if m.contains("access token")));
}

#[tokio::test]
async fn a_success_with_a_malformed_body_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(messages_path(PHONE)))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_json(hello_json()))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"messages\": [{\"idd\": 1}]"))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    match client.send(&hello()).await.unwrap_err() {
        Error::Decode(d) => {
            assert_eq!(d.what, "send message response");
            assert_eq!(d.snippet, "{\"messages\": [{\"idd\": 1}]");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_html_error_page_is_still_a_typed_api_error() {
    let server = MockServer::start().await;
    let page =
        "<html><head><title>403 Forbidden</title></head><body>Blocked by proxy</body></html>";
    Mock::given(method("POST"))
        .and(path(messages_path(PHONE)))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_json(hello_json()))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("content-type", "text/html")
                .set_body_string(page),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let e = client.send(&hello()).await.unwrap_err();
    let api = e.api().expect("an API error");
    assert_eq!(api.status, 403);
    assert!(api.error.is_none());
    assert_eq!(api.raw_body, page);
    assert_eq!(e.class(), Some(whatsapp_cloud::error::ErrorClass::Other));
    let text = e.to_string();
    assert!(
        text.contains("HTTP 403") && text.contains("Blocked by proxy"),
        "{text}"
    );
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_known_not_to_have_left() {
    let port = closed_port();
    let client = Client::builder()
        .access_token(TOKEN)
        .phone_number_id(PHONE)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let e = client.send(&hello()).await.unwrap_err();
    match &e {
        Error::Transport(t) => {
            assert!(!t.may_have_been_sent);
            assert!(t.message.starts_with("could not connect"), "{}", t.message);
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(!e.may_have_been_sent());
    assert!(e.is_retryable());
    assert!(!format!("{e} {e:?}").contains(TOKEN));
}

#[tokio::test]
async fn validation_fails_before_the_network() {
    let server = MockServer::start().await;
    let client = builder(&server).build().unwrap();
    let e = client
        .send(&SendMessage::new(
            Recipient::phone("+1555"),
            Message::text(""),
        ))
        .await
        .unwrap_err();
    match e {
        Error::Validation(v) => assert_eq!(v.field, "text.body"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[cfg(feature = "blocking")]
mod blocking {
    use super::*;
    use whatsapp_cloud::client::blocking;

    #[tokio::test]
    async fn blocking_client_sends_the_same_request_and_retries_the_same_way() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(messages_path(PHONE)))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .and(header("user-agent", UA))
            .and(body_json(hello_json()))
            .respond_with(ResponseTemplate::new(503).set_body_json(json!({"error": {
                "message": "(#2) Service temporarily unavailable",
                "type": "OAuthException",
                "code": 2,
                "fbtrace_id": "A1"
            }})))
            .up_to_n_times(1)
            .expect(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(messages_path(PHONE)))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .and(header("user-agent", UA))
            .and(body_json(hello_json()))
            .respond_with(accepted("wamid.blocking"))
            .expect(1)
            .with_priority(2)
            .mount(&server)
            .await;
        let uri = server.uri();
        let timer = ManualTimer::new();
        let seen = timer.clone();
        let (id, debug) = tokio::task::spawn_blocking(move || {
            let client = blocking::Client::builder()
                .access_token(TOKEN)
                .phone_number_id(PHONE)
                .base_url(uri)
                .timer(timer)
                .retry_policy(RetryPolicy::default().jitter(false))
                .build()
                .unwrap();
            let sent = client.send(&hello()).unwrap();
            (
                sent.message_id().unwrap().as_str().to_owned(),
                format!("{client:?}"),
            )
        })
        .await
        .unwrap();
        assert_eq!(id, "wamid.blocking");
        assert_eq!(seen.sleeps(), vec![Duration::from_millis(500)]);
        assert!(!debug.contains(TOKEN));
    }

    #[tokio::test]
    async fn blocking_client_does_not_resend_after_a_timeout() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(messages_path(PHONE)))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .and(body_json(hello_json()))
            .respond_with(accepted("wamid.late").set_delay(Duration::from_millis(1500)))
            .expect(1)
            .mount(&server)
            .await;
        let uri = server.uri();
        let e = tokio::task::spawn_blocking(move || {
            blocking::Client::builder()
                .access_token(TOKEN)
                .phone_number_id(PHONE)
                .base_url(uri)
                .timer(ManualTimer::new())
                .timeout(Duration::from_millis(500))
                .build()
                .unwrap()
                .send(&hello())
                .unwrap_err()
        })
        .await
        .unwrap();
        match &e {
            Error::Timeout(t) => assert!(t.may_have_been_sent),
            other => panic!("expected a timeout, got {other:?}"),
        }
        assert!(e.may_have_been_sent());
    }

    #[tokio::test]
    async fn blocking_send_message_is_paced_per_recipient() {
        let server = MockServer::start().await;
        for body in ["one", "two"] {
            Mock::given(method("POST"))
                .and(path(messages_path(PHONE)))
                .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
                .and(body_json(json!({
                    "messaging_product": "whatsapp",
                    "recipient_type": "individual",
                    "to": "16315550001",
                    "type": "text",
                    "text": {"body": body}
                })))
                .respond_with(accepted(&format!("wamid.{body}")))
                .expect(1)
                .mount(&server)
                .await;
        }
        let uri = server.uri();
        let timer = ManualTimer::new();
        let clock = timer.clone();
        tokio::task::spawn_blocking(move || {
            let client = blocking::Client::builder()
                .access_token(TOKEN)
                .phone_number_id(PHONE)
                .base_url(uri)
                .timer(timer)
                .pacing(
                    whatsapp_cloud::policy::PacingConfig::default()
                        .pair_burst(1)
                        .unwrap(),
                )
                .build()
                .unwrap();
            for body in ["one", "two"] {
                client
                    .send_message(&SendMessage::new("16315550001", Message::text(body)))
                    .unwrap();
            }
        })
        .await
        .unwrap();
        assert_eq!(clock.sleeps(), vec![Duration::from_secs(6)]);
    }

    #[tokio::test]
    async fn blocking_batch_keeps_order_past_a_failure() {
        let server = MockServer::start().await;
        let to_json = |to: &str| {
            json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to,
                "type": "text",
                "text": {"body": "Sale"}
            })
        };
        for (to, response) in [
            ("16315550001", accepted("wamid.1")),
            (
                "16315550002",
                ResponseTemplate::new(400)
                    .set_body_json(json!({"error": {"code": 131026, "message": "(#131026) Message Undeliverable"}})),
            ),
            ("16315550003", accepted("wamid.3")),
        ] {
            Mock::given(method("POST"))
                .and(path(messages_path(PHONE)))
                .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
                .and(body_json(to_json(to)))
                .respond_with(response)
                .expect(1)
                .mount(&server)
                .await;
        }
        let uri = server.uri();
        let results = tokio::task::spawn_blocking(move || {
            let client = blocking::Client::builder()
                .access_token(TOKEN)
                .phone_number_id(PHONE)
                .base_url(uri)
                .timer(ManualTimer::new())
                .build()
                .unwrap();
            client
                .send_batch(
                    ["16315550001", "16315550002", "16315550003"]
                        .map(|to| SendMessage::new(to, Message::text("Sale"))),
                )
                .into_iter()
                .map(|r| r.map_err(|e| e.api().and_then(|a| a.code())))
                .map(|r| r.map(|s| s.message_id().unwrap().as_str().to_owned()))
                .collect::<Vec<_>>()
        })
        .await
        .unwrap();
        assert_eq!(
            results,
            vec![
                Ok("wamid.1".to_owned()),
                Err(Some(131026)),
                Ok("wamid.3".to_owned())
            ]
        );
    }

    #[test]
    fn blocking_builder_refuses_a_missing_token_and_hides_it_in_debug() {
        let e = blocking::Client::builder()
            .phone_number_id(PHONE)
            .build()
            .unwrap_err();
        assert!(matches!(&e, Error::Config(m) if m.contains("access token is required")));
        let b = blocking::Client::builder().access_token(TOKEN);
        assert!(!format!("{b:?}").contains(TOKEN));
    }
}

/// The client consults a send policy (the 24-hour window and marketing opt-outs) before the network.
mod send_policy {
    use std::sync::Arc;
    use whatsapp_cloud::error::Refusal;
    use whatsapp_cloud::message::{Message, Parameter, SendMessage, Template};
    use whatsapp_cloud::policy::{
        InMemoryOptOutStore, InMemoryWindowTracker, Intent, OptOutStore, SendGuard, Source,
        UserKey, WindowTracker, unix_seconds,
    };
    use whatsapp_cloud::{Client, Error};
    use wiremock::matchers::{body_json, header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const USER: &str = "16505551234";

    fn now() -> u64 {
        unix_seconds(std::time::SystemTime::now())
    }

    fn ok_response() -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "messaging_product": "whatsapp",
            "contacts": [{"input": USER, "wa_id": USER}],
            "messages": [{"id": "wamid.OK"}]
        }))
    }

    struct Setup {
        server: MockServer,
        client: Client,
        windows: Arc<InMemoryWindowTracker>,
        opt_outs: Arc<InMemoryOptOutStore>,
    }

    async fn setup() -> Setup {
        let server = MockServer::start().await;
        let windows = Arc::new(InMemoryWindowTracker::default());
        let opt_outs = Arc::new(InMemoryOptOutStore::new());
        let guard = SendGuard::new(windows.clone(), opt_outs.clone());
        let client = Client::builder()
            .access_token("policy-token")
            .phone_number_id("1065")
            .base_url(server.uri())
            .without_pacing()
            .send_policy(Arc::new(guard))
            .build()
            .unwrap();
        Setup {
            server,
            client,
            windows,
            opt_outs,
        }
    }

    #[tokio::test]
    async fn free_form_to_a_closed_window_is_refused_before_the_network() {
        let s = setup().await;
        Mock::given(method("POST"))
            .respond_with(ok_response())
            .expect(0)
            .mount(&s.server)
            .await;
        // The user wrote 24 hours and one minute ago.
        s.windows
            .record_inbound(&UserKey::phone(USER), now() - 24 * 3600 - 60)
            .await
            .unwrap();
        let err = s
            .client
            .send(&SendMessage::new(USER, Message::text("Still there?")))
            .await
            .unwrap_err();
        match &err {
            Error::Refused(Refusal::WindowClosed { recipient }) => assert_eq!(recipient, USER),
            other => panic!("expected a window refusal, got {other:?}"),
        }
        assert!(err.to_string().contains("send a template"));
    }

    #[tokio::test]
    async fn free_form_inside_the_window_is_sent_and_a_template_outside_it_too() {
        let s = setup().await;
        Mock::given(method("POST"))
            .and(path("/v26.0/1065/messages"))
            .and(header("authorization", "Bearer policy-token"))
            .and(body_json(serde_json::json!({
                "messaging_product": "whatsapp", "recipient_type": "individual", "to": USER,
                "type": "text", "text": {"body": "Happy to help"}
            })))
            .respond_with(ok_response())
            .expect(1)
            .mount(&s.server)
            .await;
        Mock::given(method("POST"))
            .and(path("/v26.0/1065/messages"))
            .and(body_json(serde_json::json!({
                "messaging_product": "whatsapp", "recipient_type": "individual", "to": "16505559999",
                "type": "template",
                "template": {"name": "order_update", "language": {"code": "en_US"},
                             "components": [{"type": "body", "parameters": [{"type": "text", "text": "A1"}]}]}
            })))
            .respond_with(ok_response())
            .expect(1)
            .mount(&s.server)
            .await;
        s.windows
            .record_inbound(&UserKey::phone(USER), now() - 60)
            .await
            .unwrap();
        s.client
            .send(&SendMessage::new(USER, Message::text("Happy to help")))
            .await
            .unwrap();
        // A user never heard from: free-form would be refused, a template is fine.
        s.client
            .send(&SendMessage::new(
                "16505559999",
                Template::new("order_update", "en_US").body([Parameter::text("A1")]),
            ))
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn marketing_templates_are_refused_to_opted_out_users_only() {
        let s = setup().await;
        Mock::given(method("POST"))
            .and(path("/v26.0/1065/messages"))
            .and(body_json(serde_json::json!({
                "messaging_product": "whatsapp", "recipient_type": "individual", "to": USER,
                "type": "template",
                "template": {"name": "shipping_update", "language": {"code": "en_US"}}
            })))
            .respond_with(ok_response())
            .expect(1)
            .mount(&s.server)
            .await;
        s.opt_outs
            .record(
                &UserKey::phone(USER),
                Intent::OptOut,
                Source::Keyword,
                now() - 10,
            )
            .await
            .unwrap();

        let err = s
            .client
            .send(&SendMessage::new(
                USER,
                Template::new("summer_sale", "en_US").marketing(),
            ))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Refused(Refusal::OptedOut { template, .. }) if template == "summer_sale"),
            "{err:?}"
        );
        // A utility template still goes out.
        s.client
            .send(&SendMessage::new(
                USER,
                Template::new("shipping_update", "en_US"),
            ))
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn a_tenant_view_has_its_own_send_policy() {
        let s = setup().await;
        Mock::given(method("POST"))
            .and(path("/v26.0/2099/messages"))
            .and(header("authorization", "Bearer tenant-token"))
            .and(body_json(serde_json::json!({
                "messaging_product": "whatsapp", "recipient_type": "individual", "to": USER,
                "type": "text", "text": {"body": "hello from tenant two"}
            })))
            .respond_with(ok_response())
            .expect(1)
            .mount(&s.server)
            .await;
        let tenant = s
            .client
            .for_tenant(&whatsapp_cloud::client::Tenant::new("2099", "tenant-token"))
            .unwrap();
        // The first tenant's guard does not follow the view: Meta decides for this number.
        tenant
            .send(&SendMessage::new(
                USER,
                Message::text("hello from tenant two"),
            ))
            .await
            .unwrap();
        // With its own guard (which has never heard from the user), free-form is refused locally.
        let own = tenant.with_send_policy(Some(Arc::new(SendGuard::new(
            InMemoryWindowTracker::default(),
            InMemoryOptOutStore::new(),
        ))));
        let err = own
            .send(&SendMessage::new(
                USER,
                Message::text("hello from tenant two"),
            ))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Refused(Refusal::WindowClosed { .. })),
            "{err:?}"
        );
    }
}
