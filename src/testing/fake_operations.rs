//! The fake's operations: a blocklist, QR codes, the app subscription and callback overrides, the
//! two-step PIN, the display name, conversational automation and the business username, kept in
//! memory with Meta's answers.
//!
//! Blocking a user named with [`FakeCloudApi::refuse_to_block`] fails as Meta fails a user who has
//! not messaged in the last 24 hours: HTTP 400 with both lists and error 139100. Claiming a
//! username named with [`FakeCloudApi::take_username`] fails with 147001.

use super::FakeCloudApi;
use super::fake::missing_object;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, PoisonError};
use wiremock::matchers::{header, method, path, path_regex, query_param_contains};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

/// What the fake's operations hold.
#[derive(Debug, Default)]
struct State {
    blocked: BTreeSet<String>,
    refused: BTreeSet<String>,
    qr_codes: BTreeMap<String, String>,
    next_qr: u64,
    subscribed: bool,
    waba_override: Option<String>,
    phone_override: Option<String>,
    pin: Option<String>,
    new_display_name: Option<String>,
    automation: Value,
    username: Option<String>,
    taken: BTreeSet<String>,
}

/// The fake's operations state, shared by its routes and its accessors.
#[derive(Debug, Clone, Default)]
pub(super) struct FakeOperations(Arc<Mutex<State>>);

impl FakeOperations {
    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl FakeCloudApi {
    /// The users the fake holds as blocked (phone numbers as digits, or user ids), sorted.
    pub fn blocked_users(&self) -> Vec<String> {
        self.operations
            .with(|s| s.blocked.iter().cloned().collect())
    }

    /// Makes blocking `user` fail as for a user who has not messaged in the last 24 hours (131047
    /// in `failed_users`, with error 139100 on the request).
    pub fn refuse_to_block(&self, user: &str) {
        self.operations.with(|s| s.refused.insert(key(user)));
    }

    /// The QR codes the fake holds: code and prefilled message.
    pub fn qr_codes(&self) -> Vec<(String, String)> {
        self.operations.with(|s| {
            s.qr_codes
                .iter()
                .map(|(c, m)| (c.clone(), m.clone()))
                .collect()
        })
    }

    /// Whether the app is subscribed to the account's webhooks, and the account's override URL.
    pub fn app_subscription(&self) -> (bool, Option<String>) {
        self.operations
            .with(|s| (s.subscribed, s.waba_override.clone()))
    }

    /// The phone number's callback override URL, when set.
    pub fn phone_webhook_override(&self) -> Option<String> {
        self.operations.with(|s| s.phone_override.clone())
    }

    /// The two-step verification PIN last set, for assertions in tests.
    pub fn two_step_pin(&self) -> Option<String> {
        self.operations.with(|s| s.pin.clone())
    }

    /// The business username the number holds.
    pub fn business_username(&self) -> Option<String> {
        self.operations.with(|s| s.username.clone())
    }

    /// Makes `username` taken by another business: claiming it fails with 147001.
    pub fn take_username(&self, username: &str) {
        self.operations
            .with(|s| s.taken.insert(username.to_ascii_lowercase()));
    }

    /// Mounts the operations routes.
    pub(super) async fn mount_operations(&self) {
        let version = crate::endpoint::DEFAULT_API_VERSION;
        let phone = &self.phone_number_id;
        let bearer = format!("Bearer {}", self.access_token);
        let responder = OperationsResponder {
            state: self.operations.clone(),
        };
        let routes = format!(
            "^/{version}/({phone}/(block_users|message_qrdls(/[^/]+)?|conversational_automation|username|username_suggestions|requested_username)|{waba}/subscribed_apps)$",
            waba = self.waba_id(),
        );
        Mock::given(path_regex(routes))
            .and(header("authorization", bearer.as_str()))
            .respond_with(responder.clone())
            .with_priority(5)
            .mount(&self.server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("/{version}/{phone}")))
            .and(header("authorization", bearer.as_str()))
            .respond_with(responder.clone())
            .with_priority(5)
            .mount(&self.server)
            .await;
        for field in [
            "webhook_configuration",
            "conversational_automation",
            "name_status",
        ] {
            Mock::given(method("GET"))
                .and(path(format!("/{version}/{phone}")))
                .and(query_param_contains("fields", field))
                .and(header("authorization", bearer.as_str()))
                .respond_with(responder.clone())
                .with_priority(4)
                .mount(&self.server)
                .await;
        }
    }
}

/// A user as the fake keys it: a phone number's digits, or a user id as sent.
fn key(user: &str) -> String {
    if user.contains('.') {
        user.to_owned()
    } else {
        user.chars().filter(char::is_ascii_digit).collect()
    }
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn success() -> ResponseTemplate {
    ok(json!({"success": true}))
}

fn graph_error(status: u16, code: i64, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"error": {
        "message": format!("(#{code}) {message}"), "type": "OAuthException", "code": code,
        "fbtrace_id": "AFakeOpsTr4ce"
    }}))
}

#[derive(Clone)]
struct OperationsResponder {
    state: FakeOperations,
}

impl Respond for OperationsResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let segments: Vec<&str> = request.url.path().split('/').skip(2).collect();
        let method = request.method.as_str();
        self.state.with(|s| match (method, &segments[1..]) {
            (m, ["block_users"]) if m != "GET" => block(s, m == "POST", &body),
            ("GET", ["block_users"]) => {
                let data: Vec<Value> = s
                    .blocked
                    .iter()
                    .map(|u| json!({"messaging_product": "whatsapp", "wa_id": u}))
                    .collect();
                ok(json!({"data": data}))
            }
            ("POST", ["message_qrdls"]) => save_qr(s, &body),
            ("GET", ["message_qrdls"]) => {
                let data: Vec<Value> = s.qr_codes.iter().map(|(c, m)| qr_json(c, m)).collect();
                ok(json!({"data": data}))
            }
            ("GET", ["message_qrdls", code]) => match s.qr_codes.get(*code) {
                Some(m) => ok(json!({"data": [qr_json(code, m)]})),
                None => missing_object(code),
            },
            ("DELETE", ["message_qrdls", code]) => match s.qr_codes.remove(*code) {
                Some(_) => success(),
                None => missing_object(code),
            },
            ("POST", ["subscribed_apps"]) => {
                if let Some(uri) = body.get("override_callback_uri").and_then(Value::as_str) {
                    if !s.subscribed {
                        return graph_error(400, 100, "The app must be subscribed before an override is set");
                    }
                    s.waba_override = Some(uri.to_owned());
                } else {
                    s.waba_override = None;
                }
                s.subscribed = true;
                success()
            }
            ("GET", ["subscribed_apps"]) => {
                let data: Vec<Value> = s
                    .subscribed
                    .then(|| {
                        let mut app = json!({"whatsapp_business_api_data": {
                            "id": "670843887433847", "link": "https://www.facebook.com/games/?app_id=670843887433847", "name": "Fake App"
                        }});
                        if let Some(uri) = &s.waba_override {
                            app["override_callback_uri"] = json!(uri);
                        }
                        app
                    })
                    .into_iter()
                    .collect();
                ok(json!({"data": data}))
            }
            ("DELETE", ["subscribed_apps"]) => {
                s.subscribed = false;
                s.waba_override = None;
                success()
            }
            ("POST", []) => update_phone(s, request, &body),
            ("GET", []) => read_phone(s, request, &segments),
            ("POST", ["conversational_automation"]) => {
                s.automation = body;
                success()
            }
            ("POST", ["username"]) => claim(s, &body),
            ("GET", ["username"]) => match &s.username {
                Some(u) => ok(json!({"username": u, "status": "approved"})),
                None => ok(json!({"status": "none"})),
            },
            ("DELETE", ["username"] | ["requested_username"]) => {
                s.username = None;
                success()
            }
            ("GET", ["username_suggestions"]) => {
                ok(json!({"data": [{"username_suggestions": ["fakeflorist", "fake_florist"]}]}))
            }
            _ => missing_object(segments.first().copied().unwrap_or_default()),
        })
    }
}

fn block(s: &mut State, add: bool, body: &Value) -> ResponseTemplate {
    let entries = body["block_users"].as_array().cloned().unwrap_or_default();
    let (mut done, mut failed) = (Vec::new(), Vec::new());
    for entry in entries {
        let input = entry["user"]
            .as_str()
            .or_else(|| entry["user_id"].as_str())
            .unwrap_or_default()
            .to_owned();
        let user = key(&input);
        if add && s.refused.contains(&user) {
            failed.push(json!({"input": input, "errors": [{
                "message": "Re-engagement message", "code": 131047,
                "error_data": {"details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number."}
            }]}));
            continue;
        }
        if add {
            s.blocked.insert(user.clone());
        } else {
            s.blocked.remove(&user);
        }
        done.push(json!({"input": input, "wa_id": user}));
    }
    let list = if add { "added_users" } else { "removed_users" };
    let mut answer = json!({"messaging_product": "whatsapp", "block_users": {list: done}});
    if failed.is_empty() {
        return ok(answer);
    }
    answer["block_users"]["failed_users"] = json!(failed);
    answer["error"] = json!({
        "message": "(#139100) Failed to block/unblock users", "type": "OAuthException",
        "code": 139100, "error_data": {"details": "Failed to block some users."},
        "fbtrace_id": "AFakeOpsTr4ce"
    });
    ResponseTemplate::new(400).set_body_json(answer)
}

fn qr_json(code: &str, message: &str) -> Value {
    json!({"code": code, "prefilled_message": message, "deep_link_url": format!("https://wa.me/message/{code}")})
}

fn save_qr(s: &mut State, body: &Value) -> ResponseTemplate {
    let Some(message) = body["prefilled_message"].as_str() else {
        return graph_error(400, 100, "The parameter prefilled_message is required.");
    };
    let code = match body["code"].as_str() {
        Some(code) if s.qr_codes.contains_key(code) => code.to_owned(),
        Some(code) => return missing_object(code),
        None => {
            s.next_qr += 1;
            format!("FAKEQR{}", s.next_qr)
        }
    };
    s.qr_codes.insert(code.clone(), message.to_owned());
    let mut answer = qr_json(&code, message);
    if let Some(format) = body["generate_qr_image"].as_str() {
        answer["qr_image_url"] = json!(format!(
            "https://scontent.example.com/fake-qr/{code}.{}",
            format.to_ascii_lowercase()
        ));
    }
    ok(answer)
}

fn update_phone(s: &mut State, request: &Request, body: &Value) -> ResponseTemplate {
    if let Some(name) = request
        .url
        .query_pairs()
        .find_map(|(k, v)| (k == "new_display_name").then(|| v.into_owned()))
    {
        s.new_display_name = Some(name);
        return success();
    }
    if let Some(pin) = body["pin"].as_str() {
        s.pin = Some(pin.to_owned());
        return success();
    }
    if let Some(config) = body.get("webhook_configuration") {
        s.phone_override = config["override_callback_uri"]
            .as_str()
            .filter(|u| !u.is_empty())
            .map(str::to_owned);
        return success();
    }
    graph_error(400, 100, "Invalid parameter")
}

fn read_phone(s: &State, request: &Request, segments: &[&str]) -> ResponseTemplate {
    let fields = request
        .url
        .query_pairs()
        .find_map(|(k, v)| (k == "fields").then(|| v.into_owned()))
        .unwrap_or_default();
    let mut answer = json!({"id": segments.first().copied().unwrap_or_default()});
    if fields.contains("webhook_configuration") {
        let mut config = json!({"application": "https://app.example.com/webhook"});
        if let Some(uri) = &s.waba_override {
            config["whatsapp_business_account"] = json!(uri);
        }
        if let Some(uri) = &s.phone_override {
            config["phone_number"] = json!(uri);
        }
        answer["webhook_configuration"] = config;
    }
    if fields.contains("conversational_automation") {
        answer["conversational_automation"] = s.automation.clone();
    }
    if fields.contains("name_status") {
        answer["verified_name"] = json!("Fake Florist");
        answer["name_status"] = json!("APPROVED");
        if let Some(name) = &s.new_display_name {
            answer["new_display_name"] = json!(name);
            answer["new_name_status"] = json!("PENDING_REVIEW");
        }
    }
    ok(answer)
}

fn claim(s: &mut State, body: &Value) -> ResponseTemplate {
    let username = body["username"].as_str().unwrap_or_default().to_owned();
    if s.taken.contains(&username) {
        return graph_error(400, 147001, "Username is not available");
    }
    s.username = Some(username);
    ok(json!({"status": "approved"}))
}
