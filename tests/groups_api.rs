//! The Groups API against wiremock: each call's method, path, query, headers and exact body (the
//! update's multipart parts), the parsing of Meta's answers (both readings where its documents
//! disagree) and the limits checked before sending (the request_id correlator: `group_requests.rs`).
#![cfg(feature = "client")]

mod common;

use futures_util::TryStreamExt;
use serde_json::{Value, json};
use whatsapp_cloud::Client;
use whatsapp_cloud::endpoint::Endpoint;
use whatsapp_cloud::endpoint::groups::{
    CreateGroup, GetGroup, GetGroupAnalytics, GroupField, GroupMetric, GroupUser, JoinApprovalMode,
    ListGroups, RemoveParticipants, UpdateGroup,
};
use whatsapp_cloud::error::{Error, ErrorClass, GroupErrorKind, Violation};
use whatsapp_cloud::ids::{Recipient, RequestId};
use whatsapp_cloud::message::{Message, Parameter, Pin, SendMessage, Template};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "groups-token-456";
const PHONE: &str = "106540352242922";
const WABA: &str = "102290129340398";
const GROUP: &str = "Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD";

fn client(server: &MockServer) -> Client {
    common::mock_client(server, TOKEN, PHONE, Some(WABA))
        .build()
        .unwrap()
}

fn auth() -> wiremock::matchers::HeaderExactMatcher {
    common::bearer(TOKEN)
}

fn answer(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn no_body(request: &Request) -> bool {
    request.body.is_empty()
}

/// A JPEG header with a JFIF segment and a baseline frame of `width` x `height`.
fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8];
    // APP0 (JFIF), 16 bytes long.
    bytes.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10]);
    bytes.extend_from_slice(b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00");
    // SOF0: length 17, 8-bit precision, height, width, 3 components.
    bytes.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    bytes
}

/// One part of a multipart body: (name, filename, content type, bytes), read as bytes.
type Part = (String, Option<String>, Option<String>, Vec<u8>);

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn parts(request: &Request) -> Vec<Part> {
    let content_type = request.headers["content-type"].to_str().unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let delimiter = format!("--{boundary}\r\n").into_bytes();
    let closing = format!("--{boundary}--\r\n").into_bytes();
    assert!(request.body.ends_with(&closing), "closing boundary");
    let mut rest = &request.body[..request.body.len() - closing.len()];
    let mut out = Vec::new();
    while let Some(start) = find(rest, &delimiter) {
        rest = &rest[start + delimiter.len()..];
        let end = find(rest, &delimiter).unwrap_or(rest.len());
        let part = &rest[..end];
        let head_end = find(part, b"\r\n\r\n").unwrap();
        let head = String::from_utf8(part[..head_end].to_vec()).unwrap();
        let content = part[head_end + 4..].strip_suffix(b"\r\n").unwrap().to_vec();
        let (mut name, mut filename, mut kind) = (None, None, None);
        for line in head.split("\r\n") {
            if let Some(d) = line.strip_prefix("Content-Disposition: form-data; ") {
                for item in d.split("; ") {
                    let (k, v) = item.split_once('=').unwrap();
                    let v = v.trim_matches('"').to_owned();
                    if k == "name" {
                        name = Some(v);
                    } else {
                        filename = Some(v);
                    }
                }
            } else {
                kind = line.strip_prefix("Content-Type: ").map(str::to_owned);
            }
        }
        out.push((name.unwrap(), filename, kind, content));
    }
    out
}

fn text_part(name: &str, value: &str) -> Part {
    (name.to_owned(), None, None, value.as_bytes().to_vec())
}

// ---------------------------------------------------------------------------------------------
// Endpoints

#[tokio::test]
async fn create_posts_subject_description_and_mode_and_reads_the_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{PHONE}/groups")))
        .and(auth())
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "messaging_product": "whatsapp",
            "subject": "New purchase inquiry",
            "description": "Jim would like to learn about this year's models.",
            "join_approval_mode": "approval_required"
        })))
        .respond_with(answer(json!({"request_id": "6B8C4E2F1A"})))
        .expect(1)
        .mount(&server)
        .await;
    let request_id = client(&server)
        .create_group(
            &CreateGroup::new("  New purchase inquiry ")
                .description("Jim would like to learn about this year's models.")
                .join_approval_mode(JoinApprovalMode::ApprovalRequired),
        )
        .await
        .unwrap();
    assert_eq!(request_id, RequestId::new("6B8C4E2F1A"));
}

#[test]
fn create_limits_count_characters_after_trimming() {
    let ok = CreateGroup::new(format!("  {}  ", "é".repeat(128)));
    assert!(ok.validate().is_ok());
    let long = CreateGroup::new("é".repeat(129)).validate().unwrap_err();
    assert_eq!(long.field, "subject");
    assert_eq!(
        long.violation,
        Violation::TooLong {
            max: 128,
            actual: 129
        }
    );
    assert_eq!(
        CreateGroup::new("   ").validate().unwrap_err().field,
        "subject"
    );
    assert!(
        CreateGroup::new("a")
            .description("d".repeat(2048))
            .validate()
            .is_ok()
    );
    let description = CreateGroup::new("a")
        .description("d".repeat(2049))
        .validate()
        .unwrap_err();
    assert_eq!(
        (description.field.as_str(), description.violation),
        (
            "description",
            Violation::TooLong {
                max: 2048,
                actual: 2049
            }
        )
    );
}

#[tokio::test]
async fn list_reads_data_as_an_object_across_pages() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{PHONE}/groups")))
        .and(auth())
        .and(query_param("limit", "2"))
        .and(query_param_is_missing("after"))
        .and(no_body)
        .respond_with(answer(json!({
            "data": {"groups": [
                {"id": "G1", "subject": "One", "created_at": 1764000000},
                {"id": "G2", "subject": "Two", "created_at": "1764000100"}
            ]},
            "paging": {"cursors": {"before": "B1", "after": "A1"},
                       "next": "https://graph.facebook.com/v26.0/x/groups?limit=2&after=A1"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{PHONE}/groups")))
        .and(auth())
        .and(query_param("limit", "2"))
        .and(query_param("after", "A1"))
        .respond_with(answer(json!({
            "data": {"groups": [{"id": "G3", "subject": "Three"}]},
            "paging": {"cursors": {"before": "B2", "after": "A2"}}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let groups: Vec<_> = client(&server)
        .items(ListGroups::new().limit(2))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, ["G1", "G2", "G3"]);
    assert_eq!(groups[1].created_at, Some(1_764_000_100));
    assert_eq!(groups[2].created_at, None);
}

#[test]
fn list_also_reads_data_as_a_plain_list_and_checks_its_limit() {
    let list = ListGroups::new();
    let page = list
        .parse_response(http::Response::new(
            br#"{"data":[{"id":"G1","subject":"One"}]}"#.to_vec(),
        ))
        .unwrap();
    assert_eq!(page.items()[0].id.as_str(), "G1");
    let empty = list
        .parse_response(http::Response::new(br#"{"data":{"groups":[]}}"#.to_vec()))
        .unwrap();
    assert!(empty.items().is_empty());
    let wrong = list
        .parse_response(http::Response::new(br#"{"data":{"groups":"no"}}"#.to_vec()))
        .unwrap_err();
    assert!(matches!(wrong, Error::Decode(_)), "{wrong:?}");
    // A bad item in either shape is named: serde's message about it is kept.
    for body in [
        &br#"{"data":[{"subject":"no id"}]}"#[..],
        &br#"{"data":{"groups":[{"subject":"no id"}]}}"#[..],
    ] {
        let bad = list
            .parse_response(http::Response::new(body.to_vec()))
            .unwrap_err()
            .to_string();
        assert!(bad.contains("missing field `id`"), "{bad}");
    }

    let ctx = whatsapp_cloud::ApiContext::new("t", PHONE);
    assert!(ListGroups::new().limit(1).to_request(&ctx).is_ok());
    assert!(ListGroups::new().limit(1024).to_request(&ctx).is_ok());
    for limit in [0, 1025] {
        match ListGroups::new().limit(limit).to_request(&ctx).unwrap_err() {
            Error::Validation(e) => assert_eq!(
                (e.field.as_str(), e.violation),
                (
                    "limit",
                    Violation::OutOfRange {
                        min: 1,
                        max: 1024,
                        actual: i64::from(limit)
                    }
                )
            ),
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn info_asks_for_the_fields_and_reads_them() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{GROUP}")))
        .and(auth())
        .and(query_param(
            "fields",
            "subject,description,participants,join_approval_mode,suspended,creation_timestamp,total_participant_count",
        ))
        .respond_with(answer(json!({
            "messaging_product": "whatsapp",
            "id": GROUP,
            "subject": "Support",
            "description": "Help with your order",
            "participants": [{"wa_id": "16505551234"}, {"wa_id": "16505551235"}],
            "join_approval_mode": "auto_approve",
            "suspended": false,
            "creation_timestamp": 1764000000,
            "total_participant_count": "2"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let info = client(&server).group(GROUP).await.unwrap();
    assert_eq!(info.subject.as_deref(), Some("Support"));
    let members: Vec<_> = info
        .participants
        .iter()
        .flatten()
        .filter_map(|p| p.phone())
        .collect();
    assert_eq!(members, ["16505551234", "16505551235"]);
    assert_eq!(info.join_approval_mode, Some(JoinApprovalMode::AutoApprove));
    assert_eq!(info.suspended, Some(false));
    assert_eq!(info.creation_timestamp, Some(1_764_000_000));
    assert_eq!(info.total_participant_count, Some(2));
}

#[tokio::test]
async fn info_without_fields_sends_no_query_and_reads_only_the_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{GROUP}")))
        .and(auth())
        .and(query_param_is_missing("fields"))
        .respond_with(answer(json!({"id": GROUP})))
        .expect(1)
        .mount(&server)
        .await;
    let info = client(&server).send(&GetGroup::new(GROUP)).await.unwrap();
    assert_eq!(info.id.as_str(), GROUP);
    assert_eq!(info.subject, None);
    assert_eq!(info.participants, None);
    let ctx = whatsapp_cloud::ApiContext::new("t", PHONE);
    let one = GetGroup::new(GROUP).fields([GroupField::Suspended]);
    assert_eq!(
        one.to_request(&ctx).unwrap().uri().query(),
        Some("fields=suspended")
    );
}

#[tokio::test]
async fn update_sends_multipart_parts_with_the_picture() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{GROUP}")))
        .and(auth())
        .respond_with(answer(json!({"request_id": "UPD-1"})))
        .expect(1)
        .mount(&server)
        .await;
    let picture = jpeg(640, 640);
    let accepted = client(&server)
        .update_group(
            &UpdateGroup::new(GROUP)
                .subject("Support (EU)")
                .description("Weekdays 9-17")
                .profile_picture(picture.clone()),
        )
        .await
        .unwrap();
    assert_eq!(accepted.request_id, Some(RequestId::new("UPD-1")));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        parts(&requests[0]),
        vec![
            text_part("messaging_product", "whatsapp"),
            text_part("subject", "Support (EU)"),
            text_part("description", "Weekdays 9-17"),
            (
                "profile_picture_file".to_owned(),
                Some("profile_picture.jpg".to_owned()),
                Some("image/jpeg".to_owned()),
                picture
            ),
        ]
    );
}

#[test]
fn the_picture_is_checked_from_its_jpeg_header() {
    let check = |bytes: Vec<u8>| UpdateGroup::new(GROUP).profile_picture(bytes).validate();
    assert!(check(jpeg(193, 193)).is_ok());
    assert!(check(jpeg(1080, 1080)).is_ok());
    let small = check(jpeg(192, 192)).unwrap_err();
    assert_eq!(small.field, "profile_picture_file");
    assert!(small.to_string().contains("192x192"), "{small}");
    assert!(small.to_string().contains("more than 192"), "{small}");
    let oblong = check(jpeg(640, 480)).unwrap_err();
    assert_eq!(oblong.field, "profile_picture_file");
    assert!(oblong.to_string().contains("640x480"), "{oblong}");
    assert!(oblong.to_string().contains("square"), "{oblong}");
    let png = check(b"\x89PNG\r\n\x1a\n".to_vec()).unwrap_err();
    assert!(png.to_string().contains("89 50 4E 47"), "{png}");
    // A JPEG that ends before its frame header, and one whose segment length is broken.
    assert!(check(vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00]).is_err());
    assert!(check(vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01]).is_err());
    // A progressive (SOF2) frame is read too.
    let mut progressive = jpeg(300, 300);
    progressive[23] = 0xC2;
    assert_eq!(
        whatsapp_cloud::endpoint::groups::jpeg_dimensions(&progressive),
        Some((300, 300))
    );
    let nothing = UpdateGroup::new(GROUP).validate().unwrap_err();
    assert_eq!(nothing.violation, Violation::Missing);
}

#[tokio::test]
async fn invite_link_get_and_reset() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{GROUP}/invite_link")))
        .and(auth())
        .and(no_body)
        .respond_with(answer(json!({"messaging_product": "whatsapp", "invite_link": "https://chat.whatsapp.com/Old"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{GROUP}/invite_link")))
        .and(auth())
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"messaging_product": "whatsapp"})))
        .respond_with(answer(json!({"messaging_product": "whatsapp", "invite_link": "https://chat.whatsapp.com/New"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let old = client.group_invite_link(GROUP).await.unwrap();
    assert_eq!(old.invite_link, "https://chat.whatsapp.com/Old");
    let new = client.reset_group_invite_link(GROUP).await.unwrap();
    assert_eq!(new.invite_link, "https://chat.whatsapp.com/New");
}

#[tokio::test]
async fn remove_participants_deletes_by_phone_or_bsuid() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v26.0/{GROUP}/participants")))
        .and(auth())
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "messaging_product": "whatsapp",
            "participants": [{"user": "16505551234"}, {"user_id": "US.13491208655302741918"}]
        })))
        .respond_with(answer(json!({"request_id": "RM-1"})))
        .expect(1)
        .mount(&server)
        .await;
    let accepted = client(&server)
        .remove_group_participants(
            GROUP,
            [
                GroupUser::phone("16505551234"),
                GroupUser::user_id("US.13491208655302741918"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(accepted.request_id, Some(RequestId::new("RM-1")));
}

#[test]
fn remove_participants_takes_one_to_eight_distinct_users() {
    let users = |n: usize| (0..n).map(|i| GroupUser::phone(format!("165055512{i:02}")));
    assert!(RemoveParticipants::new(GROUP, users(1)).validate().is_ok());
    assert!(RemoveParticipants::new(GROUP, users(8)).validate().is_ok());
    assert_eq!(
        RemoveParticipants::new(GROUP, users(9))
            .validate()
            .unwrap_err()
            .violation,
        Violation::TooMany { max: 8, actual: 9 }
    );
    assert_eq!(
        RemoveParticipants::new(GROUP, users(0))
            .validate()
            .unwrap_err()
            .violation,
        Violation::TooFew { min: 1, actual: 0 }
    );
    let twice = RemoveParticipants::new(
        GROUP,
        [GroupUser::user_id("US.1"), GroupUser::user_id("US.1")],
    )
    .validate()
    .unwrap_err();
    assert_eq!(twice.field, "participants[1].user_id");
    let blank = RemoveParticipants::new(GROUP, [GroupUser::phone(" ")])
        .validate()
        .unwrap_err();
    assert_eq!(blank.field, "participants[0].user");
}

#[tokio::test]
async fn join_requests_list_approve_and_reject() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{GROUP}/join_requests")))
        .and(auth())
        .and(query_param_is_missing("after"))
        .respond_with(answer(json!({
            "data": [{"join_request_id": "JR1", "wa_id": "16505551234", "creation_timestamp": "1764000000"}],
            "paging": {"cursors": {"after": "C1"}, "next": "https://graph.facebook.com/v26.0/x?after=C1"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{GROUP}/join_requests")))
        .and(query_param("after", "C1"))
        .respond_with(answer(json!({
            "data": [{"join_request_id": "JR2", "wa_id": "16505551235", "creation_timestamp": 1764000100}],
            "paging": {"cursors": {"after": "C2"}}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v26.0/{GROUP}/join_requests")))
        .and(auth())
        .and(body_json(json!({"messaging_product": "whatsapp", "join_requests": ["JR1", "JR9"]})))
        .respond_with(answer(json!({
            "messaging_product": "whatsapp",
            "approved_join_requests": ["JR1"],
            "failed_join_requests": [{"join_request_id": "JR9", "errors": [{"code": 131213, "message": "(#131213) Join request not found"}]}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v26.0/{GROUP}/join_requests")))
        .and(auth())
        .and(body_json(
            json!({"messaging_product": "whatsapp", "join_requests": ["JR2"]}),
        ))
        .respond_with(answer(json!({"request_id": "REJ-1"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let requests: Vec<_> = client
        .group_join_requests(GROUP)
        .try_collect()
        .await
        .unwrap();
    let seen: Vec<_> = requests
        .iter()
        .map(|r| {
            (
                r.join_request_id.as_str(),
                r.user.phone(),
                r.creation_timestamp,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("JR1", Some("16505551234"), Some(1_764_000_000)),
            ("JR2", Some("16505551235"), Some(1_764_000_100))
        ]
    );
    let approved = client
        .approve_group_join_requests(GROUP, ["JR1", "JR9"])
        .await
        .unwrap();
    assert_eq!(approved.approved_join_requests, ["JR1"]);
    assert_eq!(approved.failed_join_requests[0].join_request_id, "JR9");
    assert_eq!(
        approved.failed_join_requests[0].errors[0].class(),
        ErrorClass::Group(GroupErrorKind::UnknownJoinRequest)
    );
    // pywa's reading: an asynchronous request id.
    let rejected = client
        .reject_group_join_requests(GROUP, ["JR2"])
        .await
        .unwrap();
    assert_eq!(rejected.request_id, Some(RequestId::new("REJ-1")));
    assert!(rejected.rejected_join_requests.is_empty());
}

#[test]
fn a_partial_success_keeps_the_lists_and_the_error() {
    let approve = whatsapp_cloud::endpoint::groups::ApproveJoinRequests::new(GROUP, ["A", "B"]);
    let response = http::Response::builder()
        .status(206)
        .body(
            br#"{"approved_join_requests":[{"join_request_id":"A"}],
                 "failed_join_requests":[{"join_request_id":"B","errors":[{"code":131212,"title":"User is not a participant"}]}],
                 "error":{"code":131201,"message":"(#131201) Partial success"}}"#
                .to_vec(),
        )
        .unwrap();
    let answer = approve.parse_response(response).unwrap();
    assert_eq!(answer.approved_join_requests, ["A"]);
    assert_eq!(answer.failed_join_requests[0].join_request_id, "B");
    assert_eq!(
        answer.error.as_ref().map(|e| e.class()),
        Some(ErrorClass::Group(GroupErrorKind::PartialSuccess))
    );
    let none =
        whatsapp_cloud::endpoint::groups::RejectJoinRequests::new(GROUP, Vec::<String>::new())
            .validate()
            .unwrap_err();
    assert_eq!(none.field, "join_requests");
}

#[tokio::test]
async fn delete_sends_no_body_and_reads_the_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v26.0/{GROUP}")))
        .and(auth())
        .and(no_body)
        .respond_with(answer(json!({"request_id": "DEL-1"})))
        .expect(1)
        .mount(&server)
        .await;
    let accepted = client(&server).delete_group(GROUP).await.unwrap();
    assert_eq!(accepted.request_id, Some(RequestId::new("DEL-1")));
}

#[tokio::test]
async fn analytics_sends_one_group_and_the_metrics_and_reads_the_points() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{WABA}/group_analytics")))
        .and(auth())
        .and(query_param("granularity", "DAILY"))
        .and(query_param("start", "1764000000"))
        .and(query_param("end", "1764172800"))
        .and(query_param("group_ids", format!("[\"{GROUP}\"]").as_str()))
        .and(query_param(
            "metric_types",
            r#"["SENT","DELIVERED","READ","PARTICIPANTS_JOINED","PARTICIPANTS_LEFT"]"#,
        ))
        .respond_with(answer(json!({"data": [{"granularity": "DAILY", "group_id": GROUP, "data_points": [
            {"start": 1764000000, "end": 1764086400, "sent": 4, "delivered": 4, "read": 3, "participants_joined": 2, "participants_left": 0},
            {"start": "1764086400", "end": "1764172800", "sent": 1}
        ]}]})))
        .expect(1)
        .mount(&server)
        .await;
    let analytics = client(&server)
        .group_analytics(&GetGroupAnalytics::new(GROUP, 1_764_000_000, 1_764_172_800))
        .await
        .unwrap();
    let points: Vec<_> = analytics.points().collect();
    assert_eq!(points.len(), 2);
    assert_eq!(points[0].value(&GroupMetric::ParticipantsJoined), Some(2));
    assert_eq!(points[0].value(&GroupMetric::ParticipantsLeft), Some(0));
    assert_eq!(points[1].start, Some(1_764_086_400));
    assert_eq!(points[1].value(&GroupMetric::Read), None);
}

#[test]
fn analytics_periods_are_at_most_ninety_days() {
    let start = 1_764_000_000;
    assert!(
        GetGroupAnalytics::new(GROUP, start, start + 90 * 86_400)
            .validate()
            .is_ok()
    );
    let long = GetGroupAnalytics::new(GROUP, start, start + 90 * 86_400 + 1)
        .validate()
        .unwrap_err();
    assert_eq!(long.field, "end");
    assert_eq!(
        GetGroupAnalytics::new(GROUP, start, start)
            .validate()
            .unwrap_err()
            .field,
        "end"
    );
    let none = GetGroupAnalytics::new(GROUP, start, start + 1)
        .metrics([])
        .validate()
        .unwrap_err();
    assert_eq!(none.field, "metric_types");
}

#[tokio::test]
async fn group_errors_come_back_typed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v26.0/{GROUP}/invite_link")))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_bytes(common::fixture("graph_errors/group_unknown_131041.json")),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v26.0/{GROUP}")))
        .respond_with(
            ResponseTemplate::new(429)
                .set_body_bytes(common::fixture("graph_errors/group_rate_limit_131208.json")),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let unknown = client.group_invite_link(GROUP).await.unwrap_err();
    assert_eq!(
        unknown.class(),
        Some(ErrorClass::Group(GroupErrorKind::UnknownGroup))
    );
    assert!(!unknown.is_retryable());
    let limited = client.delete_group(GROUP).await.unwrap_err();
    assert!(limited.is_retryable());
    assert!(limited.class().is_some_and(ErrorClass::is_rate_limit));
}

// ---------------------------------------------------------------------------------------------
// Sends: pins and the group-invite template parameter

#[test]
fn pins_go_to_groups_for_one_to_thirty_days() {
    let to_group = |pin: Pin| SendMessage::new(Recipient::group(GROUP), pin);
    let body = serde_json::to_value(to_group(Pin::new("wamid.A", 30))).unwrap();
    assert_eq!(
        body,
        json!({"messaging_product": "whatsapp", "recipient_type": "group", "to": GROUP, "type": "pin",
               "pin": {"type": "pin", "message_id": "wamid.A", "expiration_days": 30}})
    );
    let unpin = serde_json::to_value(to_group(Pin::unpin("wamid.A"))).unwrap();
    assert_eq!(
        unpin["pin"],
        json!({"type": "unpin", "message_id": "wamid.A"})
    );
    assert!(to_group(Pin::new("wamid.A", 1)).validate().is_ok());
    for days in [0, 31] {
        let e = to_group(Pin::new("wamid.A", days)).validate().unwrap_err();
        assert_eq!(e.field, "pin.expiration_days");
        assert_eq!(
            e.violation,
            Violation::OutOfRange {
                min: 1,
                max: 30,
                actual: i64::from(days)
            }
        );
    }
    let individual = SendMessage::new("16505551234", Pin::new("wamid.A", 7))
        .validate()
        .unwrap_err();
    assert_eq!(individual.field, "to");
}

#[test]
fn the_group_invite_template_takes_a_group_id_parameter() {
    let invite = Template::new("group_invite", "en_US").body([Parameter::group_id(GROUP)]);
    let body =
        serde_json::to_value(SendMessage::new("16505551234", Message::Template(invite))).unwrap();
    assert_eq!(
        body["template"]["components"][0]["parameters"][0],
        json!({"type": "group_id", "group_id": GROUP})
    );
}

proptest::proptest! {
    /// The JPEG header reader never panics on what a user hands it, and reads no size from a
    /// truncated header.
    #[test]
    fn jpeg_dimensions_never_panics(
        bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..96),
        cut in 0usize..40,
    ) {
        let _ = whatsapp_cloud::endpoint::groups::jpeg_dimensions(&bytes);
        let mut marked = vec![0xFF, 0xD8, 0xFF];
        marked.extend_from_slice(&bytes);
        let _ = whatsapp_cloud::endpoint::groups::jpeg_dimensions(&marked);
        let full = jpeg(500, 500);
        let prefix = &full[..cut.min(full.len())];
        let read = whatsapp_cloud::endpoint::groups::jpeg_dimensions(prefix);
        proptest::prop_assert!(read.is_none() || read == Some((500, 500)));
    }
}
