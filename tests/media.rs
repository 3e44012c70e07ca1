//! Media against a fake Cloud API (wiremock): uploads (multipart parts checked byte for byte),
//! lookups, streaming downloads, token confinement, expired-URL refresh, checksum checks, errors.
#![cfg(feature = "client")]

mod common;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};
use whatsapp_cloud::endpoint::media::{
    ChecksumMismatch, DeleteMedia, DownloadSource, GetMedia, MediaKind, UploadMedia,
};
use whatsapp_cloud::error::{ErrorClass, Violation};
use whatsapp_cloud::{Client, Error, MediaId};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "test-token-123";
const PHONE: &str = "106540352242922";

/// A client for the fake: one attempt per call (these tests pin the mapping of each answer; retries
/// are tested in tests/retries.rs) and a virtual clock, so nothing waits.
fn client(server: &MockServer) -> Client {
    common::mock_client(server, TOKEN, PHONE, None)
        .user_agent("media-tests/1.0")
        .build()
        .unwrap()
}

fn auth() -> wiremock::matchers::HeaderExactMatcher {
    common::bearer(TOKEN)
}

fn bearer() -> (&'static str, String) {
    ("authorization", format!("Bearer {TOKEN}"))
}

#[derive(Debug, PartialEq)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// A strict multipart/form-data parser for the test's eyes only.
fn parse_multipart(request: &Request) -> Vec<Part> {
    let ct = request.headers["content-type"].to_str().unwrap();
    let boundary = ct
        .split("boundary=")
        .nth(1)
        .expect("a boundary")
        .trim_matches('"');
    assert!(ct.starts_with("multipart/form-data"), "{ct}");
    let delim = format!("--{boundary}");
    let body = &request.body;
    let mut parts = Vec::new();
    let mut pos = find(body, delim.as_bytes(), 0).expect("first boundary");
    loop {
        pos += delim.len();
        if body[pos..].starts_with(b"--") {
            break;
        }
        assert!(body[pos..].starts_with(b"\r\n"));
        pos += 2;
        let header_end = find(body, b"\r\n\r\n", pos).expect("end of part headers");
        let headers = std::str::from_utf8(&body[pos..header_end]).unwrap();
        let next =
            find(body, format!("\r\n{delim}").as_bytes(), header_end).expect("next boundary");
        let data = body[header_end + 4..next].to_vec();
        let mut name = None;
        let mut filename = None;
        let mut content_type = None;
        for line in headers.split("\r\n") {
            let (key, value) = line.split_once(':').unwrap();
            match key.to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for attr in value.split(';').map(str::trim) {
                        if let Some(v) = attr.strip_prefix("name=") {
                            name = Some(v.trim_matches('"').to_owned());
                        }
                        if let Some(v) = attr.strip_prefix("filename=") {
                            filename = Some(v.trim_matches('"').to_owned());
                        }
                    }
                }
                "content-type" => content_type = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        parts.push(Part {
            name: name.expect("part name"),
            filename,
            content_type,
            data,
        });
        pos = next + 2;
    }
    parts
}

fn assert_upload_parts(request: &Request, mime: &str, filename: &str, data: &[u8]) {
    let parts = parse_multipart(request);
    assert_eq!(parts.len(), 3, "{parts:?}");
    let by_name = |n: &str| parts.iter().find(|p| p.name == n).expect(n);
    assert_eq!(by_name("messaging_product").data, b"whatsapp");
    assert_eq!(by_name("messaging_product").filename, None);
    assert_eq!(by_name("type").data, mime.as_bytes());
    let file = by_name("file");
    assert_eq!(file.filename.as_deref(), Some(filename));
    assert_eq!(file.content_type.as_deref(), Some(mime));
    assert_eq!(file.data, data);
}

async fn mount_upload(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/media")))
        .and(header(bearer().0, bearer().1.as_str()))
        .and(header("user-agent", "media-tests/1.0"))
        .respond_with(
            ResponseTemplate::new(200).set_body_bytes(common::fixture("api/media_upload.json")),
        )
        .expect(1)
        .mount(server)
        .await;
}

fn png_bytes() -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    // Include CRLF and boundary-like bytes to prove the body is carried verbatim.
    v.extend_from_slice(b"\r\n--not-a-boundary\r\n");
    v.extend((0..4000u32).map(|i| (i % 251) as u8));
    v
}

fn temp_file(name: &str, data: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wa-media-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, data).unwrap();
    path
}

#[tokio::test]
async fn upload_from_bytes_sends_the_three_multipart_parts() {
    let server = MockServer::start().await;
    mount_upload(&server).await;
    let data = png_bytes();
    let uploaded = client(&server)
        .send(&UploadMedia::new(data.clone(), "image/png").filename("logo.png"))
        .await
        .unwrap();
    assert_eq!(uploaded.id, MediaId::from("730128455190236"));
    let requests = server.received_requests().await.unwrap();
    assert_upload_parts(&requests[0], "image/png", "logo.png", &data);
}

#[tokio::test]
async fn upload_from_a_file_streams_it_with_the_mime_type_of_its_extension() {
    let server = MockServer::start().await;
    mount_upload(&server).await;
    let data = b"%PDF-1.7\n"
        .iter()
        .copied()
        .cycle()
        .take(300_000)
        .collect::<Vec<u8>>();
    let file = temp_file("invoice.pdf", &data);
    let uploaded = client(&server)
        .upload_media_file(&file, None)
        .await
        .unwrap();
    assert_eq!(uploaded.id.as_str(), "730128455190236");
    let requests = server.received_requests().await.unwrap();
    assert_upload_parts(&requests[0], "application/pdf", "invoice.pdf", &data);
}

#[tokio::test]
async fn upload_from_a_stream_sends_every_chunk() {
    let server = MockServer::start().await;
    mount_upload(&server).await;
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = vec![
        Ok(bytes::Bytes::from_static(b"ID3 first chunk ")),
        Ok(bytes::Bytes::from_static(b"second chunk")),
    ];
    let uploaded = client(&server)
        .upload_media_stream(
            futures_util::stream::iter(chunks),
            28,
            "audio/mpeg",
            "song.mp3",
        )
        .await
        .unwrap();
    assert_eq!(uploaded.id.as_str(), "730128455190236");
    let requests = server.received_requests().await.unwrap();
    assert_upload_parts(
        &requests[0],
        "audio/mpeg",
        "song.mp3",
        b"ID3 first chunk second chunk",
    );
}

#[tokio::test]
async fn unsupported_type_and_oversized_file_are_refused_before_the_network() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let c = client(&server);

    let err = c
        .upload_media(b"GIF89a".to_vec(), "image/gif")
        .await
        .unwrap_err();
    let Error::Validation(v) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(v.field, "type");
    assert!(v.to_string().contains("image/gif"), "{v}");

    let big = vec![0u8; 5 * 1024 * 1024 + 1];
    let err = c.upload_media(big, "image/jpeg").await.unwrap_err();
    let Error::Validation(v) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(v.field, "file");
    assert!(v.to_string().contains("5242881 bytes of image/jpeg"), "{v}");
    assert!(v.to_string().contains("5242880"), "{v}");

    let file = temp_file("page.html", b"<html></html>");
    let err = c.upload_media_file(&file, None).await.unwrap_err();
    assert!(
        matches!(&err, Error::Validation(v) if v.field == "type"),
        "{err:?}"
    );

    let sticker = temp_file("big.webp", &[0u8; 120 * 1024]);
    let err = c.upload_media_file(&sticker, None).await.unwrap_err();
    assert!(err.to_string().contains("static sticker"), "{err}");

    let err = c
        .upload_media_stream(
            futures_util::stream::empty(),
            17 * 1024 * 1024,
            "video/mp4",
            "v.mp4",
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("16 MiB"), "{err}");
}

#[tokio::test]
async fn upload_error_body_becomes_an_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/media")))
        .and(auth())
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_bytes(common::fixture("api/error_media_upload.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .upload_media(png_bytes(), "image/png")
        .await
        .unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.code(), Some(131053));
    assert_eq!(err.class(), Some(ErrorClass::Media));
}

#[tokio::test]
async fn media_info_accepts_a_numeric_and_a_string_size() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v26.0/641203957781346"))
        .and(query_param("phone_number_id", PHONE))
        .and(header(bearer().0, bearer().1.as_str()))
        .respond_with(
            ResponseTemplate::new(200).set_body_bytes(common::fixture("api/media_url.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v26.0/77"))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp", "url": "https://lookaside.fbsbx.com/x",
            "mime_type": "image/jpeg", "sha256": "ab", "file_size": "2048", "id": "77"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let info = c
        .send(&GetMedia::new("641203957781346").phone_number_id(PHONE))
        .await
        .unwrap();
    assert_eq!(info.file_size, Some(48213));
    assert_eq!(info.mime_type, "image/png");
    assert!(info.url.starts_with("https://lookaside.fbsbx.com/"));
    assert_eq!(c.media_info("77").await.unwrap().file_size, Some(2048));
}

#[tokio::test]
async fn media_lookup_and_delete_errors_carry_the_graph_code() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v26.0/908172635445"))
        .and(auth())
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_bytes(common::fixture("api/error_object_not_found.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v26.0/908172635445"))
        .and(auth())
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_bytes(common::fixture("api/error_object_not_found.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let err = c.media_info("908172635445").await.unwrap_err();
    assert_eq!(err.api().and_then(|a| a.code()), Some(100));
    assert_eq!(err.api().and_then(|a| a.subcode()), Some(33));
    let err = c.delete_media("908172635445").await.unwrap_err();
    assert!(
        matches!(&err, Error::Api(a) if a.code() == Some(100)),
        "{err:?}"
    );
}

#[tokio::test]
async fn delete_media_sends_delete_with_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v26.0/730128455190236"))
        .and(query_param("phone_number_id", PHONE))
        .and(header(bearer().0, bearer().1.as_str()))
        .respond_with(
            ResponseTemplate::new(200).set_body_bytes(common::fixture("api/success.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let ok = client(&server)
        .send(&DeleteMedia::new("730128455190236").phone_number_id(PHONE))
        .await
        .unwrap();
    assert!(ok.success);
}

/// Records writes without keeping the bytes: total, largest single write, digest.
#[derive(Default)]
struct CountingWriter {
    total: u64,
    max_write: usize,
    writes: usize,
    hasher: Sha256,
}

impl tokio::io::AsyncWrite for CountingWriter {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        this.total += buf.len() as u64;
        this.max_write = this.max_write.max(buf.len());
        this.writes += 1;
        this.hasher.update(buf);
        Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

fn big_body(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i.wrapping_mul(31) % 251) as u8).collect()
}

fn sha_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

async fn mount_info(server: &MockServer, id: &str, url: &str, sha: &str, times: Option<u64>) {
    let mut mock = Mock::given(method("GET"))
        .and(path(format!("/v26.0/{id}")))
        .and(header(bearer().0, bearer().1.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp", "url": url, "mime_type": "video/mp4",
            "sha256": sha, "file_size": 8388608, "id": id
        })));
    if let Some(n) = times {
        mock = mock.up_to_n_times(n);
    }
    mock.expect(1).mount(server).await;
}

#[tokio::test]
async fn download_by_id_streams_eight_mebibytes_in_small_writes() {
    let server = MockServer::start().await;
    let body = big_body(8 * 1024 * 1024);
    let sha = sha_hex(&body);
    let url = format!("{}/whatsapp_business/attachments/?mid=42", server.uri());
    mount_info(&server, "42", &url, &sha, None).await;
    Mock::given(method("GET"))
        .and(path("/whatsapp_business/attachments/"))
        .and(query_param("mid", "42"))
        .and(header(bearer().0, bearer().1.as_str()))
        .and(header("user-agent", "media-tests/1.0"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(body))
        .expect(1)
        .mount(&server)
        .await;

    let mut writer = CountingWriter::default();
    let done = client(&server)
        .download_media(MediaId::from("42"), &mut writer)
        .await
        .unwrap();
    assert_eq!(writer.total, 8 * 1024 * 1024);
    assert!(
        writer.max_write <= 1024 * 1024,
        "largest write {}",
        writer.max_write
    );
    assert!(writer.writes >= 8, "{} writes", writer.writes);
    assert_eq!(hex::encode(writer.hasher.finalize()), sha);
    assert_eq!(done.bytes_written, 8 * 1024 * 1024);
    assert_eq!(done.sha256, sha);
    assert_eq!(done.mime_type.as_deref(), Some("video/mp4"));
    assert!(!done.refreshed_url);
}

#[tokio::test]
async fn the_token_is_not_sent_to_a_host_outside_the_allow_list() {
    let meta = MockServer::start().await;
    let foreign = MockServer::start().await;
    let body = b"not from meta".to_vec();
    let foreign_url = format!("{}/file.jpg", foreign.uri());
    mount_info(&meta, "43", &foreign_url, &sha_hex(&body), None).await;
    Mock::given(method("GET"))
        .and(path("/file.jpg"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(body.clone()))
        .expect(2)
        .mount(&foreign)
        .await;

    let c = client(&meta);
    let mut out = Vec::new();
    c.download_media(MediaId::from("43"), &mut out)
        .await
        .unwrap();
    assert_eq!(out, body);
    let mut out = Vec::new();
    c.download_media(DownloadSource::url(foreign_url.clone()), &mut out)
        .await
        .unwrap();
    assert_eq!(out, body);

    let received = foreign.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    for request in received {
        assert!(
            !request.headers.contains_key("authorization"),
            "token leaked: {:?}",
            request.headers
        );
        assert_eq!(request.headers["user-agent"], "media-tests/1.0");
    }
}

#[tokio::test]
async fn an_expired_url_is_refreshed_once() {
    let server = MockServer::start().await;
    let body = big_body(10_000);
    let sha = sha_hex(&body);
    let old = format!("{}/media/old", server.uri());
    let fresh = format!("{}/media/fresh", server.uri());
    mount_info(&server, "44", &old, &sha, Some(1)).await;
    mount_info(&server, "44", &fresh, &sha, Some(1)).await;
    Mock::given(method("GET"))
        .and(path("/media/old"))
        .and(header(bearer().0, bearer().1.as_str()))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/media/fresh"))
        .and(header(bearer().0, bearer().1.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(body.clone()))
        .expect(1)
        .mount(&server)
        .await;
    let mut out = Vec::new();
    let done = client(&server)
        .download_media(MediaId::from("44"), &mut out)
        .await
        .unwrap();
    assert!(done.refreshed_url);
    assert_eq!(out, body);
}

#[tokio::test]
async fn a_webhook_url_that_expired_is_refreshed_through_its_id() {
    let server = MockServer::start().await;
    let body = b"fresh bytes".to_vec();
    let sha = sha_hex(&body);
    let fresh = format!("{}/media/fresh2", server.uri());
    mount_info(&server, "45", &fresh, &sha, None).await;
    Mock::given(method("GET"))
        .and(path("/media/stale"))
        .and(auth())
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/media/fresh2"))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_bytes(body.clone()))
        .expect(1)
        .mount(&server)
        .await;
    let source = DownloadSource::url(format!("{}/media/stale", server.uri()))
        .with_id("45")
        .with_sha256(sha.to_uppercase());
    let mut out = Vec::new();
    let done = client(&server)
        .download_media(source, &mut out)
        .await
        .unwrap();
    assert!(done.refreshed_url);
    assert_eq!(out, body);
}

#[tokio::test]
async fn a_second_expiry_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    let stale = format!("{}/media/gone", server.uri());
    Mock::given(method("GET"))
        .and(path("/v26.0/46"))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "url": stale, "mime_type": "image/png", "sha256": "00", "file_size": 1, "id": "46"
        })))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/media/gone"))
        .and(auth())
        .respond_with(ResponseTemplate::new(404).set_body_string("gone"))
        .expect(2)
        .mount(&server)
        .await;
    let mut out = Vec::new();
    let err = client(&server)
        .download_media(MediaId::from("46"), &mut out)
        .await
        .unwrap_err();
    assert_eq!(err.api().map(|a| a.status), Some(404));
    assert!(out.is_empty());
}

#[tokio::test]
async fn a_checksum_mismatch_is_a_typed_error_reporting_the_partial_output() {
    let server = MockServer::start().await;
    let body = big_body(200_000);
    let wrong = sha_hex(b"something else");
    let url = format!("{}/media/tampered", server.uri());
    mount_info(&server, "47", &url, &wrong, None).await;
    Mock::given(method("GET"))
        .and(path("/media/tampered"))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_bytes(body.clone()))
        .expect(1)
        .mount(&server)
        .await;
    let mut writer = CountingWriter::default();
    let err = client(&server)
        .download_media(MediaId::from("47"), &mut writer)
        .await
        .unwrap_err();
    let mismatch = ChecksumMismatch::find(&err).expect("a checksum mismatch");
    assert_eq!(mismatch.expected, wrong);
    assert_eq!(mismatch.actual, sha_hex(&body));
    assert_eq!(mismatch.bytes_written, 200_000);
    assert_eq!(writer.total, 200_000);
}

#[tokio::test]
async fn send_local_media_uploads_then_sends_by_id() {
    let server = MockServer::start().await;
    mount_upload(&server).await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/messages")))
        .and(header(bearer().0, bearer().1.as_str()))
        .and(body_json(json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+16315551234",
            "type": "document",
            "document": {"id": "730128455190236", "caption": "Today's menu", "filename": "menu.pdf"}
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_bytes(common::fixture("api/send_message.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let file = temp_file("menu.pdf", b"%PDF-1.4 menu");
    let sent = client(&server)
        .send_local_media(
            "+16315551234",
            &file,
            MediaKind::Document,
            Some("Today's menu"),
        )
        .await
        .unwrap();
    assert_eq!(sent.media_id.as_str(), "730128455190236");
    assert_eq!(
        sent.response.message_id().map(|m| m.as_str()),
        Some("wamid.HBgLMTYzMTU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA")
    );
}

#[tokio::test]
async fn send_local_media_refuses_a_sticker_caption_before_uploading() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let file = temp_file("s.webp", b"RIFF\0\0\0\0WEBPVP8 ");
    let err = client(&server)
        .send_local_media("+16315551234", &file, MediaKind::Sticker, Some("hi"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation(v) if v.field == "sticker.caption"),
        "{err:?}"
    );
    let long = "x".repeat(1025);
    let file = temp_file("p.png", b"\x89PNG");
    let err = client(&server)
        .send_local_media("+16315551234", &file, MediaKind::Image, Some(&long))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation(v) if v.violation == Violation::TooLong { max: 1024, actual: 1025 }),
        "{err:?}"
    );
    let err = client(&server)
        .send_local_media("+16315551234", &file, MediaKind::Video, None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation(v) if v.field == "type"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_redirect_to_a_foreign_host_does_not_carry_the_token() {
    let meta = MockServer::start().await;
    let foreign = MockServer::start().await;
    let body = b"redirected bytes".to_vec();
    let start = format!("{}/media/redirect", meta.uri());
    mount_info(&meta, "48", &start, &sha_hex(&body), None).await;
    Mock::given(method("GET"))
        .and(path("/media/redirect"))
        .and(header(bearer().0, bearer().1.as_str()))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/elsewhere", foreign.uri()).as_str()),
        )
        .expect(1)
        .mount(&meta)
        .await;
    Mock::given(method("GET"))
        .and(path("/elsewhere"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(body.clone()))
        .expect(1)
        .mount(&foreign)
        .await;
    let mut out = Vec::new();
    client(&meta)
        .download_media(MediaId::from("48"), &mut out)
        .await
        .unwrap();
    assert_eq!(out, body);
    let received = foreign.received_requests().await.unwrap();
    assert!(!received[0].headers.contains_key("authorization"));
}

#[tokio::test]
async fn a_stream_longer_than_declared_is_cut_off() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/media")))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .expect(0)
        .mount(&server)
        .await;
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = vec![
        Ok(bytes::Bytes::from_static(b"0123456789")),
        Ok(bytes::Bytes::from_static(b"0123456789")),
    ];
    let err = client(&server)
        .upload_media_stream(
            futures_util::stream::iter(chunks),
            10,
            "text/plain",
            "a.txt",
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    // Nothing complete arrived: a request, if any, was not a well-formed upload of 20 bytes.
    for request in server.received_requests().await.unwrap() {
        assert!(
            !request
                .body
                .windows(20)
                .any(|w| w == b"01234567890123456789")
        );
    }
}

#[tokio::test]
async fn a_media_url_error_page_is_an_api_error_with_the_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/media/broken"))
        .and(auth())
        .respond_with(ResponseTemplate::new(500).set_body_string("<html>oops</html>"))
        .expect(1)
        .mount(&server)
        .await;
    let mut out = Vec::new();
    let err = client(&server)
        .download_media(
            DownloadSource::url(format!("{}/media/broken", server.uri())),
            &mut out,
        )
        .await
        .unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.status, 500);
    assert!(api.raw_body.contains("oops"));
    assert!(out.is_empty());
}

#[tokio::test]
async fn download_to_file_keeps_a_verified_file_and_removes_a_corrupt_one() {
    let server = MockServer::start().await;
    let body = big_body(100_000);
    let good_url = format!("{}/media/good", server.uri());
    let bad_url = format!("{}/media/bad", server.uri());
    mount_info(&server, "49", &good_url, &sha_hex(&body), None).await;
    mount_info(&server, "50", &bad_url, &sha_hex(b"other"), None).await;
    for p in ["/media/good", "/media/bad"] {
        Mock::given(method("GET"))
            .and(path(p))
            .and(auth())
            .respond_with(ResponseTemplate::new(200).set_body_bytes(body.clone()))
            .expect(1)
            .mount(&server)
            .await;
    }
    let dir = std::env::temp_dir().join(format!("wa-media-dl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let c = client(&server);
    let good = dir.join("good.bin");
    c.download_media_to_file(MediaId::from("49"), &good)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&good).unwrap(), body);
    let bad = dir.join("bad.bin");
    let err = c
        .download_media_to_file(MediaId::from("50"), &bad)
        .await
        .unwrap_err();
    assert!(ChecksumMismatch::find(&err).is_some(), "{err:?}");
    assert!(!bad.exists());
}

#[tokio::test]
async fn an_expired_url_without_an_id_cannot_be_refreshed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/media/expired"))
        .and(auth())
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v26.0/"))
        .and(auth())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let mut out = Vec::new();
    let err = client(&server)
        .download_media(
            DownloadSource::url(format!("{}/media/expired", server.uri())),
            &mut out,
        )
        .await
        .unwrap_err();
    assert_eq!(err.api().map(|a| a.status), Some(404));
}

#[tokio::test]
async fn a_non_http_media_url_is_refused() {
    let server = MockServer::start().await;
    let mut out = Vec::new();
    let err = client(&server)
        .download_media(DownloadSource::url("file:///etc/passwd"), &mut out)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation(v) if v.field == "url"),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn send_local_media_reports_the_send_error_after_a_successful_upload() {
    let server = MockServer::start().await;
    mount_upload(&server).await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/messages")))
        .and(auth())
        .and(body_json(json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "16315551234",
            "type": "image",
            "image": {"id": "730128455190236"}
        })))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_bytes(common::fixture("api/error_re_engagement.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let file = temp_file("photo.png", &png_bytes());
    let err = client(&server)
        .send_local_media("16315551234", &file, MediaKind::Image, None)
        .await
        .unwrap_err();
    assert_eq!(err.api().and_then(|a| a.code()), Some(131047));
    assert_eq!(err.class(), Some(ErrorClass::OutsideWindow));
}

fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn inbound_image(webhook: Value) -> whatsapp_cloud::webhook::InboundMedia {
    let body = serde_json::to_vec(&webhook).unwrap();
    let payload = whatsapp_cloud::webhook::Payload::from_slice(&body).unwrap();
    for event in payload.events() {
        if let whatsapp_cloud::webhook::Event::Message(msg) = event
            && let whatsapp_cloud::webhook::MessageContent::Image(image) = msg.content()
        {
            return image.clone();
        }
    }
    panic!("no image in the webhook");
}

fn image_webhook(image: Value) -> Value {
    json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550100", "phone_number_id": PHONE},
        "messages": [{"from": "16315551234", "id": "wamid.in1", "timestamp": "1697043379", "type": "image", "image": image}]
    }}]}]})
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn inbound_media_from_the_corpus_downloads_by_its_url_with_its_id() {
    let webhook = common::corpus_json("pywa/message__media_with_url.json");
    let image = inbound_image(webhook);
    let source = DownloadSource::from(&image);
    assert_eq!(source.media_id().map(MediaId::as_str), Some("65463453"));
    assert!(
        source
            .url_str()
            .unwrap()
            .starts_with("https://lookaside.fbsbx.com/")
    );
    assert_eq!(source.sha256(), Some("4654+8g="));
}

#[tokio::test]
async fn inbound_media_with_a_url_is_downloaded_in_one_call_and_its_base64_digest_checked() {
    let server = MockServer::start().await;
    let body = big_body(50_000);
    Mock::given(method("GET"))
        .and(path("/inbound/img"))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_bytes(body.clone()))
        .expect(2)
        .mount(&server)
        .await;
    let c = client(&server);
    let url = format!("{}/inbound/img", server.uri());
    let image = inbound_image(image_webhook(json!({
        "mime_type": "image/jpeg", "sha256": base64(&Sha256::digest(&body)), "id": "51", "url": url
    })));
    let mut out = Vec::new();
    let done = c.download_inbound_media(&image, &mut out).await.unwrap();
    assert_eq!(out, body);
    assert_eq!(done.media_id.as_ref().map(MediaId::as_str), Some("51"));

    let tampered = inbound_image(image_webhook(json!({
        "mime_type": "image/jpeg", "sha256": base64(&Sha256::digest(b"other")), "id": "51", "url": url
    })));
    let err = c
        .download_inbound_media(&tampered, &mut Vec::new())
        .await
        .unwrap_err();
    assert!(ChecksumMismatch::find(&err).is_some(), "{err:?}");
}

#[tokio::test]
async fn inbound_media_without_a_url_is_looked_up_by_id() {
    let server = MockServer::start().await;
    let body = b"jpeg bytes".to_vec();
    let url = format!("{}/media/by-id", server.uri());
    mount_info(&server, "52", &url, &sha_hex(&body), None).await;
    Mock::given(method("GET"))
        .and(path("/media/by-id"))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_bytes(body.clone()))
        .expect(1)
        .mount(&server)
        .await;
    let image = inbound_image(image_webhook(json!({
        "mime_type": "image/jpeg", "sha256": base64(&Sha256::digest(&body)), "id": "52"
    })));
    let mut out = Vec::new();
    client(&server)
        .download_inbound_media(&image, &mut out)
        .await
        .unwrap();
    assert_eq!(out, body);
}
