//! Resumable uploads and the Marketing Messages API: exact requests against wiremock, a 20 MB upload
//! through the fake with bounded memory that resumes after an interruption, marketing sends.
#![cfg(all(feature = "client", feature = "testing"))]

use serde_json::json;
use sha2::{Digest, Sha256};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, ReadBuf};
use whatsapp_cloud::client::{ManualTimer, UploadSource};
use whatsapp_cloud::endpoint::marketing::{ProductPolicy, SendMarketingMessage};
use whatsapp_cloud::endpoint::messages::AcceptedStatus;
use whatsapp_cloud::endpoint::templates::{HeaderComponent, HeaderFormat};
use whatsapp_cloud::error::ErrorClass;
use whatsapp_cloud::message::{MediaSource, Parameter, Template};
use whatsapp_cloud::retry::RetryPolicy;
use whatsapp_cloud::testing::{FakeCloudApi, FakeInterruption, FakeUploads, RecordedKind};
use whatsapp_cloud::{Client, Error, HeaderHandle};
use wiremock::matchers::{body_bytes, body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "upload-test-token";
const PHONE: &str = "106540352242922";
const SESSION: &str = "upload:MTphdHRhY2htZW50Ojlh?sig=ARZa%2Bb%3D";

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder()
        .access_token(TOKEN)
        .phone_number_id(PHONE)
        .base_url(server.uri())
        .retry_policy(policy)
        .timer(ManualTimer::new())
        .without_pacing()
        .build()
        .unwrap()
}

fn oauth() -> wiremock::matchers::HeaderExactMatcher {
    header("authorization", format!("OAuth {TOKEN}").as_str())
}

/// Expects one chunk POST at `offset` with exactly `bytes`, answered with `answer`.
async fn chunk_mock(server: &MockServer, offset: u64, bytes: &[u8], answer: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/v26.0/upload:MTphdHRhY2htZW50Ojlh"))
        .and(query_param("sig", "ARZa+b="))
        .and(oauth())
        .and(header("file_offset", offset.to_string().as_str()))
        .and(body_bytes(bytes.to_vec()))
        .respond_with(answer)
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn upload_requests_are_exact_and_a_failed_chunk_resumes_from_the_status_offset() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v26.0/987654/uploads"))
        .and(query_param("file_name", "menu.pdf"))
        .and(query_param("file_length", "10"))
        .and(query_param("file_type", "application/pdf"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_bytes(Vec::<u8>::new()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": SESSION })))
        .expect(1)
        .mount(&server)
        .await;
    // First chunk: bytes 0..4.
    chunk_mock(
        &server,
        0,
        b"0123",
        ResponseTemplate::new(200).set_body_json(json!({"id": SESSION, "file_offset": 4})),
    )
    .await;
    // Second chunk, bytes 4..8: a gateway error (Meta kept 2 of its bytes).
    chunk_mock(
        &server,
        4,
        b"4567",
        ResponseTemplate::new(502).set_body_string("Bad Gateway"),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/v26.0/upload:MTphdHRhY2htZW50Ojlh"))
        .and(query_param("sig", "ARZa+b="))
        .and(oauth())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": SESSION, "file_offset": 6})),
        )
        .expect(1)
        .mount(&server)
        .await;
    // The rest of the second chunk from where Meta stands, then the last chunk.
    chunk_mock(
        &server,
        6,
        b"67",
        ResponseTemplate::new(200).set_body_json(json!({"id": SESSION, "file_offset": 8})),
    )
    .await;
    chunk_mock(
        &server,
        8,
        b"89",
        ResponseTemplate::new(200).set_body_json(json!({"h": "4::aW1hZ2U"})),
    )
    .await;

    let client = client(&server, RetryPolicy::default());
    let source =
        UploadSource::reader(std::io::Cursor::new(b"0123456789".to_vec()), 10).chunk_size(4);
    let handle = client
        .upload_resumable("987654", "menu.pdf", "application/pdf", source)
        .await
        .unwrap();
    assert_eq!(handle, HeaderHandle::from("4::aW1hZ2U"));
    // The signature went back as given: never decoded, never encoded twice.
    for request in server.received_requests().await.unwrap() {
        if request.url.path().contains("upload:") {
            assert_eq!(request.url.query(), Some("sig=ARZa%2Bb%3D"));
        }
    }
}

#[tokio::test]
async fn unsupported_types_and_short_sources_fail_before_or_without_a_handle() {
    let server = MockServer::start().await;
    let client = client(&server, RetryPolicy::none());
    let err = client
        .upload_resumable(
            "987654",
            "a.gif",
            "image/gif",
            UploadSource::reader(std::io::Cursor::new(vec![1u8; 4]), 4),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Validation(ref v) if v.field == "file_type"),
        "{err}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());

    Mock::given(method("POST"))
        .and(path("/v26.0/987654/uploads"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": SESSION })))
        .mount(&server)
        .await;
    let err = client
        .upload_resumable(
            "987654",
            "a.png",
            "image/png",
            UploadSource::reader(std::io::Cursor::new(vec![1u8; 3]), 8),
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("ended after 3 of its declared 8 bytes"),
        "{err}"
    );
}

/// An `AsyncRead` of `length` pseudo-random bytes that records how far its reads ever ran ahead of
/// the bytes the fake holds.
struct WatchedSource {
    length: u64,
    read: u64,
    uploads: FakeUploads,
    max_ahead: Arc<AtomicU64>,
}

fn byte_at(i: u64) -> u8 {
    (i.wrapping_mul(2_654_435_761) >> 13) as u8
}

impl AsyncRead for WatchedSource {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let n = (self.length - self.read).min(buf.remaining() as u64);
        let start = self.read;
        let bytes: Vec<u8> = (start..start + n).map(byte_at).collect();
        buf.put_slice(&bytes);
        self.read += n;
        let ahead = self.read.saturating_sub(self.uploads.received_bytes());
        self.max_ahead.fetch_max(ahead, Ordering::Relaxed);
        Poll::Ready(Ok(()))
    }
}

fn expected_sha(length: u64) -> Vec<u8> {
    let bytes: Vec<u8> = (0..length).map(byte_at).collect();
    Sha256::digest(&bytes).to_vec()
}

async fn upload_through_fake(length: u64, chunk: usize, how: FakeInterruption) -> Duration {
    let fake = FakeCloudApi::start().await;
    let timer = ManualTimer::new();
    let client = fake
        .client_builder()
        .without_pacing()
        .timeout(Duration::from_secs(2))
        .retry_policy(RetryPolicy::default().jitter(false))
        .timer(timer.clone())
        .build()
        .unwrap();
    fake.interrupt_upload(length / 2, how);
    let max_ahead = Arc::new(AtomicU64::new(0));
    let source = WatchedSource {
        length,
        read: 0,
        uploads: fake.uploads(),
        max_ahead: max_ahead.clone(),
    };
    let handle = client
        .upload_resumable(
            "987654",
            "promo.mp4",
            "video/mp4",
            UploadSource::reader(source, length).chunk_size(chunk),
        )
        .await
        .unwrap();
    let files = fake.uploads().files();
    assert_eq!(files.len(), 1);
    let file = &files[0];
    assert_eq!(file.handle.as_deref(), Some(handle.as_str()));
    assert_eq!(file.file_length, length);
    assert_eq!(file.file_type, "video/mp4");
    assert_eq!(file.bytes.len() as u64, length);
    assert_eq!(Sha256::digest(&file.bytes).to_vec(), expected_sha(length));
    // Never more than one chunk read beyond what the fake held.
    assert!(
        max_ahead.load(Ordering::Relaxed) <= chunk as u64,
        "read {} bytes ahead of the fake with {chunk}-byte chunks",
        max_ahead.load(Ordering::Relaxed)
    );
    // The interruption was resumed from the status offset: one status call was made.
    let statuses = fake
        .requests()
        .await
        .into_iter()
        .filter(|r| r.method == wiremock::http::Method::GET && r.url.path().contains("upload:"))
        .count();
    assert_eq!(statuses, 1);
    timer.total_slept()
}

#[tokio::test]
async fn twenty_megabytes_upload_in_chunks_and_resume_after_a_dropped_connection() {
    let slept = upload_through_fake(
        20 * 1024 * 1024,
        1024 * 1024,
        FakeInterruption::Stall {
            delay: Duration::from_secs(30),
        },
    )
    .await;
    // One back-off of the retry policy before resuming.
    assert_eq!(slept, RetryPolicy::default().jitter(false).backoff(1, 0.0));
}

#[tokio::test]
async fn a_gateway_error_mid_upload_is_resumed_too() {
    upload_through_fake(300_000, 64 * 1024, FakeInterruption::ServerError).await;
}

#[tokio::test]
async fn handles_feed_template_headers_and_the_profile_picture() {
    let handle = HeaderHandle::from("4::aW1h");
    let header = HeaderComponent::media_example(HeaderFormat::Video, handle.clone());
    assert_eq!(
        serde_json::to_value(&header).unwrap(),
        json!({"format": "VIDEO", "example": {"header_handle": ["4::aW1h"]}})
    );
    let profile = whatsapp_cloud::endpoint::business_profile::UpdateBusinessProfile::new()
        .profile_picture(handle);
    let request = whatsapp_cloud::Endpoint::to_request(
        &profile,
        &whatsapp_cloud::ApiContext::new("t", PHONE),
    )
    .unwrap();
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(body["profile_picture_handle"], "4::aW1h");
}

#[tokio::test]
async fn marketing_message_body_is_exact_for_a_phone_number() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/marketing_messages")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+16315551234",
            "type": "template",
            "template": {
                "name": "spring_sale",
                "language": {"code": "en_US"},
                "components": [
                    {"type": "header", "parameters": [{"type": "gif", "gif": {"link": "https://cdn.example/sale.mp4"}}]},
                    {"type": "body", "parameters": [{"type": "text", "text": "Jessica"}]},
                    {"type": "tap_target_configuration", "parameters": [{
                        "type": "tap_target_configuration",
                        "tap_target_configuration": [{"url": "https://shop.example/spring", "title": "Shop now"}]
                    }]}
                ]
            },
            "product_policy": "CLOUD_API_FALLBACK",
            "message_activity_sharing": false
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp",
            "contacts": [{"input": "+16315551234", "wa_id": "16315551234"}],
            "messages": [{"id": "wamid.MM1", "message_status": "paused"}],
            "success": true
        })))
        .expect(1)
        .mount(&server)
        .await;
    let template = Template::new("spring_sale", "en_US")
        .header([Parameter::gif(MediaSource::link(
            "https://cdn.example/sale.mp4",
        ))])
        .body([Parameter::text("Jessica")])
        .tap_target("https://shop.example/spring", "Shop now");
    let sent = client(&server, RetryPolicy::none())
        .send_marketing_message(
            &SendMarketingMessage::new("+16315551234", template)
                .product_policy(ProductPolicy::CloudApiFallback)
                .message_activity_sharing(false),
        )
        .await
        .unwrap();
    assert_eq!(
        sent.messages[0].message_status,
        Some(AcceptedStatus::Paused)
    );
    assert_eq!(sent.contacts[0].wa_id.as_deref(), Some("16315551234"));
}

#[tokio::test]
async fn marketing_errors_are_typed() {
    let server = MockServer::start().await;
    let body = |code: i64| json!({"error": {"message": format!("(#{code}) refused"), "type": "OAuthException", "code": code}});
    for (code, class) in [
        (131063, ErrorClass::MarketingBlockedOnCloudApi),
        (134100, ErrorClass::MarketingTemplatesOnly),
        (134101, ErrorClass::TemplateSyncing),
        (134102, ErrorClass::MarketingUnavailable),
        (131062, ErrorClass::UserIdNotSupported),
    ] {
        server.reset().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(400).set_body_json(body(code)))
            .mount(&server)
            .await;
        let err = client(&server, RetryPolicy::default())
            .send_marketing_message(&SendMarketingMessage::new(
                "US.13491208655302741918",
                Template::new("spring_sale", "en"),
            ))
            .await
            .unwrap_err();
        assert_eq!(err.class(), Some(class), "{code}: {err}");
        // Not retried.
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{code}");
    }
}

#[tokio::test]
async fn the_fake_serves_and_records_marketing_messages_to_bsuids() {
    let fake = FakeCloudApi::start().await;
    let client = fake.client().unwrap();
    let sent = client
        .send_marketing_message(&SendMarketingMessage::new(
            "US.13491208655302741918",
            Template::new("spring_sale", "en"),
        ))
        .await
        .unwrap();
    assert_eq!(sent.contacts[0].wa_id, None);
    assert_eq!(
        sent.contacts[0].user_id.as_ref().map(|u| u.as_str()),
        Some("US.13491208655302741918")
    );
    assert_eq!(
        sent.messages[0].message_status,
        Some(AcceptedStatus::Accepted)
    );
    let recorded = fake.sent_marketing_messages().await;
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].to, "US.13491208655302741918");
    assert!(matches!(
        &recorded[0].kind,
        RecordedKind::Template { name, .. } if name == "spring_sale"
    ));
    // Not a `/messages` send.
    assert!(fake.sent_messages().await.is_empty());
}

#[tokio::test]
async fn a_file_on_disk_uploads_through_the_fake() {
    let fake = FakeCloudApi::start().await;
    let dir = std::env::temp_dir().join(format!("wa-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("clinic.png");
    let bytes: Vec<u8> = (0..70_000u64).map(byte_at).collect();
    std::fs::write(&file, &bytes).unwrap();
    let handle = fake
        .client()
        .unwrap()
        .upload_resumable(
            "987654",
            "clinic.png",
            "image/png",
            UploadSource::file(&file).chunk_size(16 * 1024),
        )
        .await
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let files = fake.uploads().files();
    assert_eq!(files[0].handle.as_deref(), Some(handle.as_str()));
    assert_eq!(files[0].file_name, "clinic.png");
    assert_eq!(files[0].bytes, bytes);
    // 70,000 bytes in 16 KiB chunks: 5 chunk requests, each at the offset the fake held.
    let chunks = fake
        .requests()
        .await
        .into_iter()
        .filter(|r| r.method == wiremock::http::Method::POST && r.url.path().contains("upload:"))
        .map(|r| r.headers["file_offset"].to_str().unwrap().to_owned())
        .collect::<Vec<_>>();
    assert_eq!(chunks, ["0", "16384", "32768", "49152", "65536"]);
}

#[test]
fn gif_and_tap_target_are_validated_with_the_field_named() {
    use whatsapp_cloud::message::{Message, SendMessage};
    let bad_gif =
        Template::new("sale", "en").header([Parameter::gif(MediaSource::link("ftp://x"))]);
    let err = SendMessage::new("1555", Message::Template(bad_gif))
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "template.components[0].parameters[0].gif.link");
    let bad_target = Template::new("sale", "en").tap_target("https://shop.example", " ");
    let err = SendMarketingMessage::new("1555", bad_target)
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "template.components[0].title");
    let twice = Template::new("sale", "en")
        .tap_target("https://a.example", "A")
        .tap_target("https://b.example", "B");
    let err = SendMarketingMessage::new("1555", twice)
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "template.components[1].type");
}
