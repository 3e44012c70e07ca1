use super::download::*;
use super::info::*;
use super::kinds::*;
use super::upload::*;
use crate::endpoint::{ApiContext, Endpoint, Idempotency};
use crate::error::Violation;
use sha2::{Digest, Sha256};
use url::Url;

fn ctx() -> ApiContext {
    ApiContext::new("tok", "106540352242922")
}

#[test]
fn every_kind_rejects_a_type_of_another_kind() {
    let err = check_media(Some(MediaKind::Video), "text/html", 10, None).unwrap_err();
    assert_eq!(err.field, "type");
    let text = err.to_string();
    assert!(text.contains("text/html"), "{text}");
    assert!(text.contains("video/3gpp, video/mp4"), "{text}");
    assert!(check_media(None, "image/gif", 10, None).is_err());
}

#[test]
fn size_limits_per_kind_name_the_limit_and_the_size() {
    assert_eq!(
        check_media(None, "image/jpeg", 5 * MIB, None).unwrap(),
        MediaKind::Image
    );
    let err = check_media(None, "image/jpeg", 5 * MIB + 1, None).unwrap_err();
    assert_eq!(err.field, "file");
    let text = err.to_string();
    assert!(text.contains("5242881 bytes of image/jpeg"), "{text}");
    assert!(text.contains("at most 5242880 bytes (5 MiB)"), "{text}");
    assert!(check_media(None, "video/mp4", 16 * MIB + 1, None).is_err());
    assert!(check_media(None, "audio/aac", 16 * MIB, None).is_ok());
    assert!(check_media(None, "application/pdf", 100 * MIB, None).is_ok());
    assert!(check_media(None, "application/pdf", 100 * MIB + 1, None).is_err());
    assert_eq!(
        check_media(None, "image/png", 0, None)
            .unwrap_err()
            .violation,
        Violation::Empty
    );
}

#[test]
fn static_and_animated_stickers_have_their_own_limits() {
    let mut animated = b"RIFF\0\0\0\0WEBPVP8X\0\0\0\0".to_vec();
    animated.extend_from_slice(&[0x02, 0, 0, 0, 0]);
    let static_head = b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0\0\0\0\0".to_vec();
    assert!(webp_is_animated(&animated));
    assert!(!webp_is_animated(&static_head));
    let err = check_media(None, "image/webp", 100 * KIB + 1, Some(&static_head)).unwrap_err();
    assert!(err.to_string().contains("static sticker"), "{err}");
    assert!(check_media(None, "image/webp", 100 * KIB + 1, Some(&animated)).is_ok());
    assert!(check_media(None, "image/webp", 500 * KIB + 1, Some(&animated)).is_err());
}

#[test]
fn mime_parameters_and_case_are_ignored() {
    assert!(MediaKind::Audio.supports("Audio/OGG; codecs=opus"));
    assert_eq!(mime_essence(" Image/PNG ; x=y"), "image/png");
}

#[test]
fn multipart_body_has_the_three_parts() {
    let upload = UploadMedia::new(b"abc".to_vec(), "image/png").filename("a\"b.png");
    let req = upload.to_request(&ctx()).unwrap();
    assert_eq!(req.method(), http::Method::POST);
    let ct = req.headers()[http::header::CONTENT_TYPE].to_str().unwrap();
    let boundary = ct
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap()
        .to_owned();
    let expected = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"messaging_product\"\r\n\r\nwhatsapp\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nimage/png\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a_b.png\"\r\nContent-Type: image/png\r\n\r\nabc\r\n\
         --{b}--\r\n",
        b = boundary
    );
    assert_eq!(String::from_utf8(req.body().clone()).unwrap(), expected);
    assert_eq!(
        req.headers()[http::header::AUTHORIZATION],
        "Bearer tok".to_string()
    );
}

#[test]
fn boundary_never_occurs_in_the_body() {
    let body = b"xx whatsapp-cloud-boundary-00000000 yy whatsapp-cloud-boundary-00000001".to_vec();
    let b = boundary_for(&body);
    assert_eq!(b, "whatsapp-cloud-boundary-00000002");
}

#[test]
fn file_size_is_accepted_as_number_or_string() {
    let a: MediaInfo =
        serde_json::from_str(r#"{"url":"u","mime_type":"image/png","file_size":103632,"id":"1"}"#)
            .unwrap();
    let b: MediaInfo = serde_json::from_str(
        r#"{"url":"u","mime_type":"image/png","file_size":"103632","id":"1"}"#,
    )
    .unwrap();
    assert_eq!(a.file_size, Some(103632));
    assert_eq!(b.file_size, Some(103632));
    assert!(
        serde_json::from_str::<MediaInfo>(r#"{"url":"u","file_size":"big","id":"1"}"#).is_err()
    );
}

#[test]
fn token_goes_only_to_trusted_hosts() {
    let c = ctx();
    for ok in [
        "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
        "https://fbsbx.com/x",
        "https://scontent.xx.fbcdn.net/v/t61",
        "https://graph.facebook.com/v26.0/1",
        "https://LOOKASIDE.FBSBX.COM./x",
    ] {
        assert!(is_trusted_media_host(&Url::parse(ok).unwrap(), &c), "{ok}");
    }
    for bad in [
        "https://evilfbsbx.com/x",
        "https://fbsbx.com.evil.com/x",
        "http://lookaside.fbsbx.com/x",
        "https://127.0.0.1/x",
        "https://example.com/?u=lookaside.fbsbx.com",
    ] {
        assert!(
            !is_trusted_media_host(&Url::parse(bad).unwrap(), &c),
            "{bad}"
        );
    }
    let fake = c.with_base_url("http://127.0.0.1:4000").unwrap();
    assert!(is_trusted_media_host(
        &Url::parse("http://127.0.0.1:4000/media/1").unwrap(),
        &fake
    ));
    assert!(!is_trusted_media_host(
        &Url::parse("http://127.0.0.1:4001/media/1").unwrap(),
        &fake
    ));
}

#[test]
fn sans_io_download_checks_the_digest_and_strips_the_token_for_foreign_hosts() {
    let c = ctx();
    let req = DownloadMedia::new("https://cdn.example.com/a.png")
        .to_request(&c)
        .unwrap();
    assert!(req.headers().get(http::header::AUTHORIZATION).is_none());
    assert!(req.headers().get(http::header::USER_AGENT).is_some());
    let good = hex::encode(Sha256::digest(b"hello"));
    let dl = DownloadMedia::new("https://lookaside.fbsbx.com/x").sha256(good.clone());
    assert!(
        dl.to_request(&c)
            .unwrap()
            .headers()
            .contains_key(http::header::AUTHORIZATION)
    );
    let ok = dl
        .parse_response(http::Response::new(b"hello".to_vec()))
        .unwrap();
    assert_eq!(ok.sha256, good);
    let err = dl
        .parse_response(http::Response::new(b"hellO".to_vec()))
        .unwrap_err();
    let mismatch = ChecksumMismatch::find(&err).unwrap();
    assert_eq!(mismatch.expected, good);
    assert_eq!(mismatch.bytes_written, 5);
}

#[test]
fn get_and_delete_target_the_media_id() {
    let c = ctx();
    let req = GetMedia::new("55")
        .phone_number_id("9")
        .to_request(&c)
        .unwrap();
    assert_eq!(
        req.uri(),
        "https://graph.facebook.com/v26.0/55?phone_number_id=9"
    );
    assert_eq!(GetMedia::new("55").idempotency(), Idempotency::Idempotent);
    let req = DeleteMedia::new("55").to_request(&c).unwrap();
    assert_eq!(req.method(), http::Method::DELETE);
    assert!(GetMedia::new(" ").to_request(&c).is_err());
}

#[test]
fn digests_are_accepted_as_hex_or_base64_and_anything_else_fails_closed() {
    let digest = Sha256::digest(b"hello");
    let hex_lower = hex::encode(digest);
    // base64 of the SHA-256 of "hello", standard and URL-safe alphabets.
    let b64 = "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=";
    let b64_url = "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ";
    for ok in [hex_lower.as_str(), &hex_lower.to_uppercase(), b64, b64_url] {
        assert_eq!(
            verify_digest(Some(ok), &digest, 5).unwrap(),
            hex_lower,
            "{ok}"
        );
    }
    assert!(verify_digest(None, &digest, 5).is_ok());
    for bad in ["IMAGE_HASH", "4654+8g=", &hex::encode(Sha256::digest(b"x"))] {
        let err = verify_digest(Some(bad), &digest, 5).unwrap_err();
        assert_eq!(ChecksumMismatch::find(&err).unwrap().expected, bad);
    }
}

proptest::proptest! {
    #[test]
    fn multipart_carries_any_bytes_verbatim(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..2048)) {
        let req = UploadMedia::new(data.clone(), "application/pdf").to_request(&ctx()).unwrap();
        let ct = req.headers()[http::header::CONTENT_TYPE].to_str().unwrap().to_owned();
        let boundary = ct.rsplit('=').next().unwrap().to_owned();
        let body = req.body();
        let head = "Content-Type: application/pdf\r\n\r\n";
        let start = body.windows(head.len()).position(|w| w == head.as_bytes()).unwrap() + head.len();
        let tail = format!("\r\n--{boundary}--\r\n");
        proptest::prop_assert!(body.ends_with(tail.as_bytes()));
        let file = &body[start..body.len() - tail.len()];
        proptest::prop_assert_eq!(file, &data[..]);
        let delimiter = format!("--{boundary}");
        proptest::prop_assert!(!data.windows(delimiter.len()).any(|w| w == delimiter.as_bytes()));
    }

    #[test]
    fn only_meta_domains_and_their_subdomains_get_the_token(label in "[a-z0-9]{1,10}(-[a-z0-9]{1,9})?", suffix in "[a-z]{2,10}") {
        let c = ctx();
        for domain in TRUSTED_MEDIA_DOMAINS {
            let sub = Url::parse(&format!("https://{label}.{domain}/m")).unwrap();
            proptest::prop_assert!(is_trusted_media_host(&sub, &c));
            let glued = Url::parse(&format!("https://{label}{domain}/m")).unwrap();
            proptest::prop_assert!(!is_trusted_media_host(&glued, &c));
            let after = Url::parse(&format!("https://{domain}.{suffix}/m")).unwrap();
            proptest::prop_assert!(!is_trusted_media_host(&after, &c));
        }
    }
}

#[test]
fn only_the_upload_is_not_idempotent() {
    assert_eq!(
        UploadMedia::new(vec![1], "image/png").idempotency(),
        Idempotency::NotIdempotent
    );
    assert_eq!(DeleteMedia::new("1").idempotency(), Idempotency::Idempotent);
    assert_eq!(
        DownloadMedia::new("https://x").idempotency(),
        Idempotency::Idempotent
    );
}
