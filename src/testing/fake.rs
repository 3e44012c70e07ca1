//! The fake Cloud API.

use super::recorded::RecordedMessage;
use crate::client::{Client, ClientBuilder};
use crate::error::Error;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use wiremock::matchers::{body_partial_json, header, method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The API version the fake answers on (the client's default).
const VERSION: &str = crate::endpoint::DEFAULT_API_VERSION;

/// A fake WhatsApp Cloud API on a local port.
///
/// It accepts every endpoint the client calls: messages (sends, read receipts, typing indicators),
/// media (upload, URL, download, delete), templates (list, create, delete, archive, unarchive,
/// unpause, migrate, library, upsert, previews, click tracking), phone numbers, the business profile,
/// resumable uploads, the Marketing Messages API, the Calling API and phone-number settings (see
/// `call_actions`), Flows management (create, upload the Flow JSON, publish, deprecate, delete, list,
/// get: Flows are kept with their status, and their ids start with `fake-flow-`), the Groups API (see
/// [`FakeCloudApi::take_group_webhooks`]; group ids start with `fake-group-`), the operations (block
/// users, QR codes, subscribed apps, PIN, display name, automation, usernames), payments and
/// analytics (messaging, conversation, pricing, calls, templates: one deterministic point per time
/// bucket). Requests must carry the fake's bearer token; others get Meta's error 190.
pub struct FakeCloudApi {
    pub(super) server: MockServer,
    pub(super) phone_number_id: String,
    waba_id: String,
    pub(super) access_token: String,
    pub(super) ids: Arc<AtomicU64>,
    pub(super) uploads: super::fake_uploads::FakeUploads,
    pub(super) operations: super::fake_operations::FakeOperations,
    pub(super) payments: super::fake_payments::PaymentsStore,
    pub(super) groups: super::fake_groups::GroupStore,
}

impl std::fmt::Debug for FakeCloudApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeCloudApi")
            .field("uri", &self.server.uri())
            .field("phone_number_id", &self.phone_number_id)
            .field("waba_id", &self.waba_id)
            .finish_non_exhaustive()
    }
}

/// One of Meta's real error answers, to script the fake with.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FakeError {
    /// 130429: the number's message throughput was reached.
    RateLimited,
    /// 131056: too many messages to the same user.
    PairRateLimited,
    /// 131047: more than 24 hours since the user's last message.
    OutsideWindow,
    /// 132001: the template does not exist in that language.
    TemplateMissing,
    /// 132000: the number of parameters does not match the template.
    TemplateParamCountMismatch,
    /// 190/463: the access token has expired.
    TokenExpired,
    /// 131000: something went wrong on Meta's side (HTTP 500).
    Internal,
    /// 131062: this message (an authentication template with a one-tap, zero-tap or copy-code
    /// button) cannot go to a business-scoped user id.
    UserIdNotSupported,
    /// Any status and body.
    Custom {
        /// HTTP status.
        status: u16,
        /// Response body.
        body: Value,
    },
}

impl FakeError {
    /// The HTTP status and body Meta answers with.
    pub fn response(&self) -> (u16, Value) {
        let graph = |code: i64, message: &str, details: Option<&str>, subcode: Option<i64>| {
            let mut error = json!({
                "message": message,
                "type": "OAuthException",
                "code": code,
                "fbtrace_id": "AbCdEfGhIjKlMnOpQrStUvW"
            });
            if let Some(details) = details {
                error["error_data"] = json!({"messaging_product": "whatsapp", "details": details});
            }
            if let Some(subcode) = subcode {
                error["error_subcode"] = json!(subcode);
            }
            json!({ "error": error })
        };
        match self {
            FakeError::RateLimited => (
                400,
                graph(
                    130429,
                    "(#130429) Rate limit hit",
                    Some("Cloud API message throughput has been reached."),
                    Some(2494055),
                ),
            ),
            FakeError::PairRateLimited => (
                400,
                graph(
                    131056,
                    "(#131056) (Business Account, Consumer Account) pair rate limit hit",
                    Some(
                        "Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.",
                    ),
                    None,
                ),
            ),
            FakeError::OutsideWindow => (
                400,
                graph(
                    131047,
                    "(#131047) Re-engagement message",
                    Some(
                        "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
                    ),
                    None,
                ),
            ),
            FakeError::TemplateMissing => (
                404,
                graph(
                    132001,
                    "(#132001) Template name does not exist in the translation",
                    Some("template name (order_confirmation) does not exist in en_US"),
                    None,
                ),
            ),
            FakeError::TemplateParamCountMismatch => (
                400,
                graph(
                    132000,
                    "(#132000) Number of parameters does not match the expected number of params",
                    Some(
                        "body: number of localizable_params (1) does not match the expected number of params (2)",
                    ),
                    None,
                ),
            ),
            FakeError::TokenExpired => (
                401,
                graph(
                    190,
                    "Error validating access token: Session has expired on Friday, 26-Apr-24 04:00:00 PDT.",
                    None,
                    Some(463),
                ),
            ),
            FakeError::Internal => (
                500,
                graph(
                    131000,
                    "(#131000) Something went wrong",
                    Some("Something went wrong."),
                    None,
                ),
            ),
            FakeError::UserIdNotSupported => (
                400,
                graph(
                    131062,
                    "(#131062) Business-scoped User ID (BSUID) recipients are not supported for this message.",
                    Some("This message cannot be sent to a business-scoped user ID."),
                    None,
                ),
            ),
            FakeError::Custom { status, body } => (*status, body.clone()),
        }
    }

    fn template(&self) -> ResponseTemplate {
        let (status, body) = self.response();
        ResponseTemplate::new(status).set_body_json(body)
    }
}

impl FakeCloudApi {
    /// Starts a fake with phone number id `106540352242922`, account id `102290129340398` and access
    /// token `fake-access-token`.
    pub async fn start() -> Self {
        Self::start_with("106540352242922", "102290129340398", "fake-access-token").await
    }

    /// Starts a fake for the given phone number id, account id and access token.
    pub async fn start_with(phone_number_id: &str, waba_id: &str, access_token: &str) -> Self {
        let server = MockServer::start().await;
        let fake = Self {
            server,
            phone_number_id: phone_number_id.to_owned(),
            waba_id: waba_id.to_owned(),
            access_token: access_token.to_owned(),
            ids: Arc::new(AtomicU64::new(1)),
            uploads: super::fake_uploads::FakeUploads::default(),
            operations: super::fake_operations::FakeOperations::default(),
            payments: super::fake_payments::PaymentsStore::default(),
            groups: super::fake_groups::GroupStore::default(),
        };
        fake.mount_defaults().await;
        fake.mount_uploads_and_marketing().await;
        fake.mount_operations().await;
        fake.mount_calling().await;
        fake.mount_payments().await;
        fake.mount_groups().await;
        fake.mount_analytics().await;
        fake
    }

    /// The fake's base URL.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The phone number id the fake serves.
    pub fn phone_number_id(&self) -> &str {
        &self.phone_number_id
    }

    /// The account id the fake serves.
    pub fn waba_id(&self) -> &str {
        &self.waba_id
    }

    /// The access token the fake accepts.
    pub fn access_token(&self) -> &str {
        &self.access_token
    }

    /// The underlying wiremock server, to mount extra expectations.
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// A client for this fake, with send pacing off so tests and demos never wait for Meta's
    /// per-user pair rate (retries stay on).
    ///
    /// # Errors
    /// Only if the client cannot be built (never with the fake's own settings).
    pub fn client(&self) -> Result<Client, Error> {
        self.client_builder().without_pacing().build()
    }

    /// A client builder already pointed at this fake (token, phone number id, account id, base URL),
    /// to add your own retry, pacing or timer settings.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .access_token(self.access_token.as_str())
            .phone_number_id(self.phone_number_id.as_str())
            .waba_id(self.waba_id.as_str())
            .base_url(self.uri())
    }

    /// Every request the fake received, oldest first.
    pub async fn requests(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// Every message send the fake accepted or refused, oldest first (read receipts and typing
    /// indicators excluded).
    pub async fn sent_messages(&self) -> Vec<RecordedMessage> {
        self.sent_messages_from(&self.phone_number_id).await
    }

    /// The message sends from business number `phone_number_id` (see [`FakeCloudApi::add_phone_number`]).
    pub async fn sent_messages_from(&self, phone_number_id: &str) -> Vec<RecordedMessage> {
        let messages_path = format!("/{VERSION}/{phone_number_id}/messages");
        self.requests()
            .await
            .into_iter()
            .filter(|r| r.method == wiremock::http::Method::POST && r.url.path() == messages_path)
            .filter_map(|r| serde_json::from_slice::<Value>(&r.body).ok())
            .filter(|json| json.get("status").is_none())
            .filter_map(RecordedMessage::from_json)
            .collect()
    }

    /// Serves another business number with its own access token (multi-tenant apps): message sends
    /// from `phone_number_id` are accepted when they carry `access_token`.
    pub async fn add_phone_number(&self, phone_number_id: &str, access_token: &str) {
        Mock::given(method("POST"))
            .and(path(format!("/{VERSION}/{phone_number_id}/messages")))
            .and(header(
                "authorization",
                format!("Bearer {access_token}").as_str(),
            ))
            .respond_with(SendResponder {
                ids: self.ids.clone(),
            })
            .with_priority(5)
            .mount(&self.server)
            .await;
    }

    /// The message ids of read receipts (and typing indicators) sent.
    pub async fn read_receipts(&self) -> Vec<String> {
        let messages_path = format!("/{VERSION}/{}/messages", self.phone_number_id);
        self.requests()
            .await
            .into_iter()
            .filter(|r| r.url.path() == messages_path)
            .filter_map(|r| serde_json::from_slice::<Value>(&r.body).ok())
            .filter(|json| json.get("status").and_then(Value::as_str) == Some("read"))
            .filter_map(|json| {
                json.get("message_id")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .collect()
    }

    /// Answers the next `times` message sends with `error`, whoever they go to.
    pub async fn fail_next_sends(&self, error: FakeError, times: u64) {
        Mock::given(method("POST"))
            .and(path(format!(
                "/{VERSION}/{}/messages",
                self.phone_number_id
            )))
            .respond_with(error.template())
            .up_to_n_times(times)
            .with_priority(1)
            .mount(&self.server)
            .await;
    }

    /// Answers the next `times` message sends to `to` with `error`; sends to others go through.
    /// A phone number or group id is matched against the body's `to`, a business-scoped user id
    /// (such as `US.1349…`) against its `recipient`.
    pub async fn fail_sends_to(&self, to: &str, error: FakeError, times: u64) {
        let field = match crate::ids::Recipient::from(to) {
            crate::ids::Recipient::UserId(_) => json!({ "recipient": to }),
            _ => json!({ "to": to }),
        };
        Mock::given(method("POST"))
            .and(path(format!(
                "/{VERSION}/{}/messages",
                self.phone_number_id
            )))
            .and(body_partial_json(field))
            .respond_with(error.template())
            .up_to_n_times(times)
            .with_priority(1)
            .mount(&self.server)
            .await;
    }

    /// Answers every send of template `name` with `error`.
    pub async fn fail_template(&self, name: &str, error: FakeError) {
        Mock::given(method("POST"))
            .and(path(format!(
                "/{VERSION}/{}/messages",
                self.phone_number_id
            )))
            .and(body_partial_json(
                json!({ "type": "template", "template": { "name": name } }),
            ))
            .respond_with(error.template())
            .with_priority(1)
            .mount(&self.server)
            .await;
    }

    async fn mount_defaults(&self) {
        let uri = self.server.uri();
        let ids = self.ids.clone();
        let media = Arc::new(Mutex::new(HashMap::<String, (String, Vec<u8>)>::new()));
        let phone = self.phone_number_id.clone();
        let waba = self.waba_id.clone();
        let bearer = format!("Bearer {}", self.access_token);

        // Any request without the right token: Meta's expired/invalid token answer.
        Mock::given(path_regex(".*"))
            .respond_with(FakeError::TokenExpired.template())
            .with_priority(10)
            .mount(&self.server)
            .await;

        let authed = |m: wiremock::MockBuilder| m.and(header("authorization", bearer.as_str()));

        // An authorised request to a path the fake does not serve: Meta's unknown-object answer.
        authed(Mock::given(path_regex(".*")))
            .respond_with(missing_object("unknown"))
            .with_priority(9)
            .mount(&self.server)
            .await;

        // Template administration (see fake_templates.rs).
        super::fake_templates::mount(&self.server, VERSION, &waba, authed).await;

        // Flows management (see fake_flows.rs): one store behind both routes.
        let flows = super::fake_flows::FlowsResponder {
            ids: ids.clone(),
            flows: super::fake_flows::FlowStore::default(),
            version: VERSION,
            waba: waba.clone(),
        };
        authed(Mock::given(path(format!("/{VERSION}/{waba}/flows"))))
            .respond_with(flows.clone())
            .with_priority(5)
            .mount(&self.server)
            .await;
        authed(Mock::given(path_regex(format!(
            "^/{VERSION}/fake-flow-[0-9]+(/(assets|publish|deprecate))?$"
        ))))
        .respond_with(flows)
        .with_priority(5)
        .mount(&self.server)
        .await;

        authed(Mock::given(method("POST")).and(path(format!("/{VERSION}/{phone}/messages"))))
            .respond_with(SendResponder { ids: ids.clone() })
            .with_priority(5)
            .mount(&self.server)
            .await;

        authed(Mock::given(method("POST")).and(path(format!("/{VERSION}/{phone}/media"))))
            .respond_with(UploadResponder {
                ids: ids.clone(),
                media: media.clone(),
            })
            .with_priority(5)
            .mount(&self.server)
            .await;

        authed(
            Mock::given(method("GET")).and(path_regex(format!("^/{VERSION}/fake-media-[0-9]+$"))),
        )
        .respond_with(MediaUrlResponder {
            media: media.clone(),
            uri: uri.clone(),
        })
        .with_priority(5)
        .mount(&self.server)
        .await;

        authed(Mock::given(method("GET")).and(path_regex("^/fake-download/fake-media-[0-9]+$")))
            .respond_with(DownloadResponder {
                media: media.clone(),
            })
            .with_priority(5)
            .mount(&self.server)
            .await;

        authed(
            Mock::given(method("DELETE"))
                .and(path_regex(format!("^/{VERSION}/fake-media-[0-9]+$"))),
        )
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
        .with_priority(5)
        .mount(&self.server)
        .await;

        authed(
            Mock::given(method("GET")).and(path(format!("/{VERSION}/{waba}/message_templates"))),
        )
        .respond_with(ResponseTemplate::new(200).set_body_json(template_list()))
        .with_priority(5)
        .mount(&self.server)
        .await;

        authed(
            Mock::given(method("POST")).and(path(format!("/{VERSION}/{waba}/message_templates"))),
        )
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"id": "1689556908129832", "status": "PENDING", "category": "UTILITY"}),
        ))
        .with_priority(5)
        .mount(&self.server)
        .await;

        authed(
            Mock::given(method("DELETE")).and(path(format!("/{VERSION}/{waba}/message_templates"))),
        )
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
        .with_priority(5)
        .mount(&self.server)
        .await;

        authed(Mock::given(method("GET")).and(path(format!("/{VERSION}/{waba}/phone_numbers"))))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"data": [phone_number(&phone)], "paging": {"cursors": {"before": "QVFI", "after": "QVFJ"}}})),
            )
            .with_priority(5)
            .mount(&self.server)
            .await;

        authed(Mock::given(method("GET")).and(path(format!("/{VERSION}/{phone}"))))
            .respond_with(ResponseTemplate::new(200).set_body_json(phone_number(&phone)))
            .with_priority(5)
            .mount(&self.server)
            .await;

        authed(Mock::given(method("GET")).and(path(format!(
            "/{VERSION}/{phone}/whatsapp_business_profile"
        ))))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{
                "about": "Fresh flowers, delivered.",
                "address": "1 Hacker Way, Menlo Park, CA 94025",
                "description": "Family florist since 1989.",
                "email": "hello@example.com",
                "messaging_product": "whatsapp",
                "vertical": "RETAIL",
                "websites": ["https://example.com/"]
            }]
        })))
        .with_priority(5)
        .mount(&self.server)
        .await;

        for (verb, segment) in [
            ("POST", "whatsapp_business_profile"),
            ("POST", "register"),
            ("POST", "deregister"),
            ("POST", "request_code"),
            ("POST", "verify_code"),
        ] {
            authed(Mock::given(method(verb)).and(path(format!("/{VERSION}/{phone}/{segment}"))))
                .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
                .with_priority(5)
                .mount(&self.server)
                .await;
        }
    }
}

fn phone_number(id: &str) -> Value {
    json!({
        "id": id,
        "display_phone_number": "+1 631-555-0100",
        "verified_name": "Fake Florist",
        "quality_rating": "GREEN",
        "code_verification_status": "VERIFIED",
        "name_status": "APPROVED",
        "throughput": {"level": "STANDARD"},
        "whatsapp_business_manager_messaging_limit": "TIER_2K",
        "platform_type": "CLOUD_API"
    })
}

fn template_list() -> Value {
    json!({
        "data": [
            {
                "name": "order_confirmation",
                "parameter_format": "POSITIONAL",
                "components": [
                    {"type": "BODY", "text": "Hi {{1}}, your order {{2}} is confirmed.",
                     "example": {"body_text": [["Jessica", "SKBUS2"]]}}
                ],
                "language": "en_US",
                "status": "APPROVED",
                "category": "UTILITY",
                "id": "1689556908129832"
            },
            {
                "name": "appointment_reminder",
                "parameter_format": "POSITIONAL",
                "components": [
                    {"type": "HEADER", "format": "IMAGE",
                     "example": {"header_handle": ["https://example.com/clinic.jpg"]}},
                    {"type": "BODY", "text": "Hi {{1}}, see you on {{2}}.",
                     "example": {"body_text": [["Maria", "June 3 at 10:00"]]}},
                    {"type": "BUTTONS", "buttons": [
                        {"type": "QUICK_REPLY", "text": "Confirm"},
                        {"type": "QUICK_REPLY", "text": "Reschedule"}
                    ]}
                ],
                "language": "en_US",
                "status": "APPROVED",
                "category": "UTILITY",
                "id": "1689556908129833"
            }
        ],
        "paging": {"cursors": {"before": "MAZDZD", "after": "MjQZD"}}
    })
}

/// Answers sends like Meta: a new wamid, the contact as resolved, `message_status` for templates.
pub(super) struct SendResponder {
    pub(super) ids: Arc<AtomicU64>,
}

impl Respond for SendResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return FakeError::Custom {
                status: 400,
                body: json!({"error": {"message": "(#100) Invalid parameter", "type": "OAuthException", "code": 100,
                    "error_data": {"messaging_product": "whatsapp", "details": "The request body is not valid JSON"}}}),
            }
            .template();
        };
        if body.get("status").and_then(Value::as_str) == Some("read") {
            return ResponseTemplate::new(200).set_body_json(json!({"success": true}));
        }
        let n = self.ids.fetch_add(1, Ordering::Relaxed);
        let wamid = format!("wamid.FAKE{n:020}");
        // As Meta answers: a send with `to` (alone or with `recipient`) resolves the phone number
        // and names no user id; a send to a business-scoped user id alone has `user_id` and no `wa_id`.
        let to = body.get("to").and_then(Value::as_str);
        let recipient = body.get("recipient").and_then(Value::as_str);
        let contact = match (to, recipient) {
            (None, Some(user_id)) => json!({"input": user_id, "user_id": user_id}),
            (to, _) => {
                let to = to.unwrap_or_default();
                let digits: String = to.chars().filter(char::is_ascii_digit).collect();
                json!({"input": to, "wa_id": digits})
            }
        };
        let mut message = json!({"id": wamid});
        if body.get("type").and_then(Value::as_str) == Some("template") {
            message["message_status"] = json!("accepted");
        }
        ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp",
            "contacts": [contact],
            "messages": [message]
        }))
    }
}

type MediaStore = Arc<Mutex<HashMap<String, (String, Vec<u8>)>>>;

/// Stores the uploaded `file` part and answers with its new id.
struct UploadResponder {
    ids: Arc<AtomicU64>,
    media: MediaStore,
}

impl Respond for UploadResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let content_type = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let Some((mime, bytes)) = multipart_file(content_type, &request.body) else {
            return FakeError::Custom {
                status: 400,
                body: json!({"error": {"message": "(#100) The parameter file is required.", "type": "OAuthException", "code": 100}}),
            }
            .template();
        };
        let id = format!("fake-media-{}", self.ids.fetch_add(1, Ordering::Relaxed));
        self.media
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id.clone(), (mime, bytes));
        ResponseTemplate::new(200).set_body_json(json!({"id": id}))
    }
}

/// Answers `GET /<media id>` with a download URL on the fake.
struct MediaUrlResponder {
    media: MediaStore,
    uri: String,
}

impl Respond for MediaUrlResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let id = last_segment(request);
        let store = self.media.lock().unwrap_or_else(PoisonError::into_inner);
        match store.get(&id) {
            Some((mime, bytes)) => ResponseTemplate::new(200).set_body_json(json!({
                "messaging_product": "whatsapp",
                "url": format!("{}/fake-download/{id}", self.uri),
                "mime_type": mime,
                "sha256": hex::encode(Sha256::digest(bytes)),
                "file_size": bytes.len(),
                "id": id
            })),
            None => missing_object(&id),
        }
    }
}

/// Serves the stored bytes of an uploaded medium.
struct DownloadResponder {
    media: MediaStore,
}

impl Respond for DownloadResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let id = last_segment(request);
        let store = self.media.lock().unwrap_or_else(PoisonError::into_inner);
        match store.get(&id) {
            Some((mime, bytes)) => ResponseTemplate::new(200).set_body_raw(bytes.clone(), mime),
            None => ResponseTemplate::new(404),
        }
    }
}

/// The last path segment of a request: the media id in `/<version>/<id>` and `/fake-download/<id>`.
fn last_segment(request: &Request) -> String {
    request
        .url
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned()
}

pub(super) fn missing_object(id: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({"error": {
        "message": format!("Unsupported get request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation."),
        "type": "GraphMethodException",
        "code": 100,
        "error_subcode": 33,
        "fbtrace_id": "AbCdEfGhIjKlMnOpQrStUvW"
    }}))
}

/// The MIME type and bytes of the part named `file` of a multipart/form-data body.
pub(super) fn multipart_file(content_type: &str, body: &[u8]) -> Option<(String, Vec<u8>)> {
    multipart_part(content_type, body, "file")
}

/// The MIME type and bytes of the part named `name` of a multipart/form-data body.
pub(super) fn multipart_part(
    content_type: &str,
    body: &[u8],
    name: &str,
) -> Option<(String, Vec<u8>)> {
    let wanted = format!("name=\"{name}\"");
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut rest = body;
    while let Some(start) = find(rest, delimiter) {
        rest = &rest[start + delimiter.len()..];
        let part_end = find(rest, delimiter).unwrap_or(rest.len());
        let part = &rest[..part_end];
        let header_end = find(part, b"\r\n\r\n")?;
        let headers = String::from_utf8_lossy(&part[..header_end]).to_ascii_lowercase();
        if headers.contains(&wanted) {
            let mime = headers
                .lines()
                .find_map(|l| l.strip_prefix("content-type:"))
                .map_or_else(
                    || "application/octet-stream".to_owned(),
                    |m| m.trim().to_owned(),
                );
            let mut content = &part[header_end + 4..];
            if content.ends_with(b"\r\n") {
                content = &content[..content.len() - 2];
            }
            return Some((mime, content.to_vec()));
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_file_part_is_found() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"messaging_product\"\r\n\r\nwhatsapp\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n--XyZ--\r\n";
        let (mime, bytes) = multipart_file("multipart/form-data; boundary=XyZ", body).unwrap();
        assert_eq!(mime, "image/png");
        assert_eq!(bytes, b"\x89PNG");
    }
}
