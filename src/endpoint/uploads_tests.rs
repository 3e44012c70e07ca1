use super::*;

fn ctx() -> ApiContext {
    ApiContext::without_phone_number("EAAG-secret-token")
}

fn ok(body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(200)
        .body(body.as_bytes().to_vec())
        .unwrap()
}

#[test]
fn start_upload_puts_name_length_and_type_in_the_query() {
    let request = StartUpload::new("123", "menu card.pdf", 1024, "application/pdf")
        .to_request(&ctx())
        .unwrap();
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(
        request.uri().to_string(),
        "https://graph.facebook.com/v26.0/123/uploads?file_name=menu+card.pdf&file_length=1024&file_type=application%2Fpdf"
    );
    assert_eq!(
        request.headers()["authorization"],
        "Bearer EAAG-secret-token"
    );
    assert!(request.body().is_empty());
}

#[test]
fn start_upload_refuses_types_meta_does_not_take_before_sending() {
    let err = StartUpload::new("123", "a.gif", 10, "image/gif")
        .to_request(&ctx())
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("file_type"), "{text}");
    assert!(text.contains("image/gif"), "{text}");
    assert!(text.contains("video/mp4"), "{text}");
    let err = StartUpload::new("123", "a.png", 0, "image/png")
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "file_length");
    let err = StartUpload::new("123", " ", 3, "image/png")
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "file_name");
    // Parameters and case of the MIME type do not matter.
    StartUpload::new("123", "a.jpg", 3, "Image/JPEG; q=1")
        .validate()
        .unwrap();
}

#[test]
fn session_answer_is_read() {
    let start = StartUpload::new("123", "a.png", 3, "image/png");
    let session = start
        .parse_response(ok(r#"{"id":"upload:MTphdHRh?sig=ARZ%3D"}"#))
        .unwrap();
    assert_eq!(session.id.as_str(), "upload:MTphdHRh?sig=ARZ%3D");
}

#[test]
fn chunk_url_keeps_the_signature_as_given_and_uses_oauth() {
    let session = UploadSessionId::from("upload:MTphdHRhY2htZW50Ojlh=?sig=ARZa%2Bb%3D&x=1");
    let request = UploadChunk::new(session, 4096, b"bytes".to_vec())
        .to_request(&ctx())
        .unwrap();
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(
        request.uri().to_string(),
        "https://graph.facebook.com/v26.0/upload:MTphdHRhY2htZW50Ojlh=?sig=ARZa%2Bb%3D&x=1"
    );
    assert_eq!(
        request.headers()["authorization"],
        "OAuth EAAG-secret-token"
    );
    assert!(request.headers()["authorization"].is_sensitive());
    assert_eq!(request.headers()["file_offset"], "4096");
    assert_eq!(request.body(), b"bytes");
    assert!(!format!("{request:?}").contains("secret-token"));
}

#[test]
fn status_is_a_get_with_oauth_and_reads_the_offset_as_number_or_text() {
    let status = GetUploadStatus::new(UploadSessionId::from("upload:abc?sig=x"));
    let request = status.to_request(&ctx()).unwrap();
    assert_eq!(request.method(), http::Method::GET);
    assert_eq!(
        request.uri().to_string(),
        "https://graph.facebook.com/v26.0/upload:abc?sig=x"
    );
    assert_eq!(
        request.headers()["authorization"],
        "OAuth EAAG-secret-token"
    );
    assert!(request.headers().get("file_offset").is_none());
    let read = status
        .parse_response(ok(r#"{"id":"upload:abc?sig=x","file_offset":2048}"#))
        .unwrap();
    assert_eq!(read.file_offset, 2048);
    let read = status
        .parse_response(ok(r#"{"id":"upload:abc","file_offset":"77"}"#))
        .unwrap();
    assert_eq!(read.file_offset, 77);
    assert!(status.parse_response(ok(r#"{"file_offset":"x"}"#)).is_err());
}

#[test]
fn chunk_answers_are_a_handle_or_progress() {
    let chunk = UploadChunk::new(UploadSessionId::from("upload:abc"), 0, vec![1]);
    assert_eq!(
        chunk.parse_response(ok(r#"{"h":"2:c2Ft"}"#)).unwrap(),
        ChunkOutcome::Complete(HeaderHandle::from("2:c2Ft"))
    );
    assert_eq!(
        chunk
            .parse_response(ok(r#"{"id":"upload:abc","file_offset":1}"#))
            .unwrap(),
        ChunkOutcome::Received {
            file_offset: Some(1)
        }
    );
    assert_eq!(
        chunk.parse_response(ok("{}")).unwrap(),
        ChunkOutcome::Received { file_offset: None }
    );
    assert!(matches!(
        chunk.parse_response(ok("not json")),
        Err(Error::Decode(_))
    ));
    let failed = http::Response::builder()
        .status(400)
        .body(br#"{"error":{"message":"bad","code":100}}"#.to_vec())
        .unwrap();
    assert!(matches!(chunk.parse_response(failed), Err(Error::Api(_))));
}

#[test]
fn malformed_session_ids_are_refused_with_the_field_named() {
    for bad in [
        "",
        "abc",
        "upload:",
        "upload:a/b",
        "upload:a b",
        "upload:a#b",
    ] {
        let err = GetUploadStatus::new(UploadSessionId::from(bad))
            .to_request(&ctx())
            .unwrap_err();
        assert!(
            err.to_string().contains("upload_session_id"),
            "{bad:?}: {err}"
        );
    }
}
