//! The fake's Calling API and phone-number settings.
//!
//! `POST /<PHONE_NUMBER_ID>/calls` answers a `connect` (to a phone number or a business-scoped
//! user id, with an SDP offer) with a new call id `wacid.FAKE…`, and the other actions (with a
//! `call_id`, and an SDP answer for `pre_accept` and `accept`) with `{"success": true}`; every
//! action is recorded ([`FakeCloudApi::call_actions`]). `/<PHONE_NUMBER_ID>/settings` keeps the
//! settings in memory: an update takes one section (like Meta) and merges it, `call_hours` replaced
//! whole. `/<PHONE_NUMBER_ID>/call_permissions` answers `no_permission` until
//! [`FakeCloudApi::grant_call_permission`].

use super::fake::{FakeCloudApi, missing_object};
use serde_json::{Map, Value, json};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

const VERSION: &str = crate::endpoint::DEFAULT_API_VERSION;

/// The SIP password the fake reports with `include_sip_credentials=true`.
const FAKE_SIP_PASSWORD: &str = "fake-sip-password";

/// One call action the fake received (`POST /<PHONE_NUMBER_ID>/calls`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordedCallAction {
    /// `connect`, `pre_accept`, `accept`, `reject` or `terminate` (as sent).
    pub action: String,
    /// The call acted on; `None` on a `connect`.
    pub call_id: Option<String>,
    /// The phone number called (`to`), on a `connect`.
    pub to: Option<String>,
    /// The business-scoped user id called (`recipient`), on a `connect`.
    pub recipient: Option<String>,
    /// `session.sdp_type`.
    pub sdp_type: Option<String>,
    /// `session.sdp`.
    pub sdp: Option<String>,
    /// The whole body.
    pub body: Value,
}

impl RecordedCallAction {
    fn from_json(body: Value) -> Option<Self> {
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
        let session = body.get("session").cloned().unwrap_or(Value::Null);
        Some(Self {
            action: text(&body, "action")?,
            call_id: text(&body, "call_id"),
            to: text(&body, "to"),
            recipient: text(&body, "recipient"),
            sdp_type: text(&session, "sdp_type"),
            sdp: text(&session, "sdp"),
            body,
        })
    }
}

fn invalid(details: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({"error": {
        "message": "(#100) Invalid parameter", "type": "OAuthException", "code": 100,
        "error_data": {"messaging_product": "whatsapp", "details": details},
        "fbtrace_id": "AFakeCa11Tr4ce"
    }}))
}

fn success() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"messaging_product": "whatsapp", "success": true}))
}

/// Answers `POST /<PHONE_NUMBER_ID>/calls`.
struct CallsResponder {
    ids: Arc<AtomicU64>,
}

impl Respond for CallsResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return invalid("The request body is not valid JSON");
        };
        let Some(call) = RecordedCallAction::from_json(body) else {
            return invalid("action is required");
        };
        let sdp_ok = |want: &str| {
            call.sdp_type.as_deref() == Some(want)
                && call.sdp.as_deref().is_some_and(|s| !s.trim().is_empty())
        };
        match call.action.as_str() {
            "connect" => {
                if call.to.is_none() && call.recipient.is_none() {
                    return invalid("to or recipient is required");
                }
                if !sdp_ok("offer") {
                    return invalid("session must carry an SDP offer");
                }
                let n = self.ids.fetch_add(1, Ordering::Relaxed);
                ResponseTemplate::new(200).set_body_json(json!({
                    "messaging_product": "whatsapp",
                    "calls": [{"id": format!("wacid.FAKE{n:020}")}]
                }))
            }
            "pre_accept" | "accept" | "reject" | "terminate" if call.call_id.is_none() => {
                invalid("call_id is required")
            }
            "pre_accept" | "accept" if !sdp_ok("answer") => {
                invalid("session must carry an SDP answer")
            }
            "pre_accept" | "accept" | "reject" | "terminate" => success(),
            other => invalid(&format!("unknown action {other:?}")),
        }
    }
}

/// Answers `GET` and `POST /<PHONE_NUMBER_ID>/settings` from the settings kept.
struct SettingsResponder {
    settings: Arc<Mutex<Map<String, Value>>>,
}

impl Respond for SettingsResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut settings = self.settings.lock().unwrap_or_else(PoisonError::into_inner);
        if request.method == wiremock::http::Method::GET {
            let mut answer = Value::Object(settings.clone());
            let with_credentials = request
                .url
                .query_pairs()
                .any(|(k, v)| k == "include_sip_credentials" && v == "true");
            if let (true, Some(Value::Array(servers))) =
                (with_credentials, answer.pointer_mut("/calling/sip/servers"))
            {
                for server in servers.iter_mut().filter_map(Value::as_object_mut) {
                    server.insert("sip_user_password".into(), json!(FAKE_SIP_PASSWORD));
                }
            }
            return ResponseTemplate::new(200).set_body_json(answer);
        }
        let Ok(Value::Object(update)) = serde_json::from_slice::<Value>(&request.body) else {
            return invalid("The request body must be a JSON object");
        };
        if update.len() != 1 {
            return invalid("Send one feature object per request");
        }
        for (section, value) in update {
            match (settings.get_mut(&section), value) {
                (Some(Value::Object(old)), Value::Object(new)) => old.extend(new),
                (_, value) => {
                    settings.insert(section, value);
                }
            }
        }
        success()
    }
}

fn default_settings() -> Map<String, Value> {
    let settings = json!({
        "calling": {"status": "DISABLED", "call_icon_visibility": "DEFAULT",
            "callback_permission_status": "DISABLED", "sip": {"status": "DISABLED"}},
        "storage_configuration": {"status": "IN_COUNTRY_STORAGE_DISABLED"},
        "user_identity_change": {"enabled": false}
    });
    match settings {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn permissions(status: &str, expiration: Option<u64>, can_call: bool) -> Value {
    let mut permission = json!({"status": status});
    if let Some(at) = expiration {
        permission["expiration_time"] = json!(at);
    }
    json!({
        "messaging_product": "whatsapp",
        "permission": permission,
        "actions": [
            {"action_name": "send_call_permission_request", "can_perform_action": !can_call,
             "limits": [{"time_period": "PT24H", "max_allowed": 1, "current_usage": 0}]},
            {"action_name": "start_call", "can_perform_action": can_call,
             "limits": [{"time_period": "PT24H", "max_allowed": 100, "current_usage": 0}]}
        ]
    })
}

impl FakeCloudApi {
    pub(super) async fn mount_calling(&self) {
        let bearer = format!("Bearer {}", self.access_token);
        let phone = &self.phone_number_id;
        Mock::given(method("POST"))
            .and(path(format!("/{VERSION}/{phone}/calls")))
            .and(header("authorization", bearer.as_str()))
            .respond_with(CallsResponder {
                ids: self.ids.clone(),
            })
            .with_priority(5)
            .mount(&self.server)
            .await;
        Mock::given(path(format!("/{VERSION}/{phone}/settings")))
            .and(header("authorization", bearer.as_str()))
            .respond_with(SettingsResponder {
                settings: Arc::new(Mutex::new(default_settings())),
            })
            .with_priority(5)
            .mount(&self.server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/{VERSION}/{phone}/call_permissions")))
            .and(header("authorization", bearer.as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(permissions(
                "no_permission",
                None,
                false,
            )))
            .with_priority(6)
            .mount(&self.server)
            .await;
        // A lookup naming no user: Meta's invalid-parameter answer.
        Mock::given(method("GET"))
            .and(path(format!("/{VERSION}/{phone}/call_permissions")))
            .and(header("authorization", bearer.as_str()))
            .and(NoUser)
            .respond_with(missing_object("call_permissions"))
            .with_priority(5)
            .mount(&self.server)
            .await;
    }

    /// Every call action the fake received, oldest first.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::testing::FakeCloudApi;
    /// use whatsapp_cloud::endpoint::calls::ConnectCall;
    /// use whatsapp_cloud::Recipient;
    ///
    /// let fake = FakeCloudApi::start().await;
    /// let client = fake.client()?;
    /// let call = client.connect_call(&ConnectCall::new(Recipient::phone("14085551234"), "v=0")).await?;
    /// client.terminate_call(call.clone()).await?;
    /// let actions = fake.call_actions().await;
    /// assert_eq!(actions[0].action, "connect");
    /// assert_eq!(actions[1].call_id.as_deref(), Some(call.as_str()));
    /// # Ok(()) }
    /// ```
    pub async fn call_actions(&self) -> Vec<RecordedCallAction> {
        let calls_path = format!("/{VERSION}/{}/calls", self.phone_number_id);
        self.requests()
            .await
            .into_iter()
            .filter(|r| r.method == wiremock::http::Method::POST && r.url.path() == calls_path)
            .filter_map(|r| serde_json::from_slice::<Value>(&r.body).ok())
            .filter_map(RecordedCallAction::from_json)
            .collect()
    }

    /// From now on, call permission lookups for `user` (a phone number as sent in `user_wa_id`,
    /// or a business-scoped user id as sent in `recipient`) answer with a permission: permanent,
    /// or temporary until `expires_at` (unix seconds).
    pub async fn grant_call_permission(&self, user: &str, expires_at: Option<u64>) {
        let bearer = format!("Bearer {}", self.access_token);
        let phone = &self.phone_number_id;
        let answer = match expires_at {
            Some(at) => permissions("temporary", Some(at), true),
            None => permissions("permanent", None, true),
        };
        for key in ["user_wa_id", "recipient"] {
            Mock::given(method("GET"))
                .and(path(format!("/{VERSION}/{phone}/call_permissions")))
                .and(header("authorization", bearer.as_str()))
                .and(query_param(key, user))
                .respond_with(ResponseTemplate::new(200).set_body_json(answer.clone()))
                .with_priority(4)
                .mount(&self.server)
                .await;
        }
    }
}

/// Matches a call permission lookup without `user_wa_id` or `recipient`.
struct NoUser;

impl wiremock::Match for NoUser {
    fn matches(&self, request: &Request) -> bool {
        !request
            .url
            .query_pairs()
            .any(|(k, v)| (k == "user_wa_id" || k == "recipient") && !v.is_empty())
    }
}
