//! The fake's Groups API: groups kept in memory, and the webhooks Meta would deliver for the
//! asynchronous calls.
//!
//! Create answers a `request_id` and queues the `group_lifecycle_update` item that reports the new
//! group (`fake-group-<n>`, its invite link); updating, removing participants and deleting queue
//! theirs too.
//! [`FakeCloudApi::take_group_webhooks`] hands the queued items back as one delivery, built by the
//! kit's [`DeliveryBuilder`] so it can be signed like any other.

use super::FakeCloudApi;
use super::fake::{missing_object, multipart_part};
use super::webhook::{Delivery, DeliveryBuilder};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use wiremock::matchers::{header, path, path_regex};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

const VERSION: &str = crate::endpoint::DEFAULT_API_VERSION;

/// The time the fake stamps on its group webhooks.
const WEBHOOK_TIME: u64 = 1_764_000_000;

#[derive(Debug, Clone, Default)]
struct StoredGroup {
    subject: String,
    description: Option<String>,
    join_approval_mode: String,
    participants: Vec<String>,
    invite_code: u64,
    join_requests: Vec<(String, String)>,
}

impl StoredGroup {
    fn invite_link(&self) -> String {
        format!(
            "https://chat.whatsapp.com/FakeInvite{:04}",
            self.invite_code
        )
    }
}

/// The fake's groups and the webhook items waiting to be delivered.
#[derive(Debug, Default)]
pub(super) struct GroupsState {
    groups: BTreeMap<u64, StoredGroup>,
    /// `(field, groups[] item)`, in the order the calls were made.
    webhooks: Vec<(&'static str, Value)>,
}

/// The shared state behind the groups routes.
pub(super) type GroupStore = Arc<Mutex<GroupsState>>;

fn invalid(code: i64, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({"error": {
        "message": format!("(#{code}) {message}"), "type": "OAuthException", "code": code,
        "fbtrace_id": "AFakeGr0upTr4ce"
    }}))
}

fn body_json(request: &Request) -> Value {
    serde_json::from_slice(&request.body).unwrap_or(Value::Null)
}

/// Answers `/<PHONE_NUMBER_ID>/groups` and `/fake-group-<n>[/invite_link|/participants|/join_requests]`.
#[derive(Clone)]
struct GroupsResponder {
    ids: Arc<AtomicU64>,
    store: GroupStore,
    phone: String,
}

impl GroupsResponder {
    fn request_id(&self) -> String {
        format!("fake-request-{}", self.ids.fetch_add(1, Ordering::Relaxed))
    }

    fn accepted(
        &self,
        state: &mut GroupsState,
        field: &'static str,
        item: Value,
    ) -> ResponseTemplate {
        let request_id = self.request_id();
        let mut item = item;
        item["request_id"] = json!(request_id);
        item["timestamp"] = json!(WEBHOOK_TIME.to_string());
        state.webhooks.push((field, item));
        ResponseTemplate::new(200).set_body_json(json!({"request_id": request_id}))
    }

    fn create(&self, state: &mut GroupsState, body: &Value) -> ResponseTemplate {
        let Some(subject) = body["subject"]
            .as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        else {
            return invalid(100, "The parameter subject is required.");
        };
        let n = self.ids.fetch_add(1, Ordering::Relaxed);
        let group = StoredGroup {
            subject: subject.to_owned(),
            description: body["description"].as_str().map(str::to_owned),
            join_approval_mode: body["join_approval_mode"]
                .as_str()
                .unwrap_or("auto_approve")
                .to_owned(),
            invite_code: n,
            ..StoredGroup::default()
        };
        let mut item = json!({
            "group_id": format!("fake-group-{n}"),
            "type": "group_create",
            "subject": group.subject,
            "invite_link": group.invite_link(),
            "join_approval_mode": group.join_approval_mode,
        });
        if let Some(description) = &group.description {
            item["description"] = json!(description);
        }
        state.groups.insert(n, group);
        self.accepted(state, "group_lifecycle_update", item)
    }

    fn list(state: &GroupsState) -> ResponseTemplate {
        let groups: Vec<Value> = state
            .groups
            .iter()
            .map(|(n, g)| json!({"id": format!("fake-group-{n}"), "subject": g.subject, "created_at": WEBHOOK_TIME}))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({"data": {"groups": groups}}))
    }

    fn info(id: &str, group: &StoredGroup, request: &Request) -> ResponseTemplate {
        let fields: Vec<String> = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "fields")
            .map(|(_, v)| v.split(',').map(str::to_owned).collect())
            .unwrap_or_default();
        let mut info = json!({"id": id, "messaging_product": "whatsapp"});
        for field in fields {
            let value = match field.as_str() {
                "subject" => json!(group.subject),
                "description" => json!(group.description),
                "participants" => json!(
                    group
                        .participants
                        .iter()
                        .map(|w| json!({"wa_id": w}))
                        .collect::<Vec<_>>()
                ),
                "join_approval_mode" => json!(group.join_approval_mode),
                "suspended" => json!(false),
                "creation_timestamp" => json!(WEBHOOK_TIME),
                "total_participant_count" => json!(group.participants.len()),
                _ => continue,
            };
            info[field] = value;
        }
        ResponseTemplate::new(200).set_body_json(info)
    }

    fn remove(&self, state: &mut GroupsState, n: u64, id: &str, body: &Value) -> ResponseTemplate {
        let Some(entries) = body["participants"].as_array().filter(|e| !e.is_empty()) else {
            return invalid(100, "The parameter participants is required.");
        };
        let Some(group) = state.groups.get_mut(&n) else {
            return missing_object(id);
        };
        let (mut removed, mut failed) = (Vec::new(), Vec::new());
        for entry in entries {
            let input = entry["user"]
                .as_str()
                .or(entry["user_id"].as_str())
                .unwrap_or_default();
            match group.participants.iter().position(|p| p == input) {
                Some(at) => {
                    group.participants.remove(at);
                    removed.push(json!({"input": input, "wa_id": input}));
                }
                None => failed.push(json!({"input": input, "errors": [{
                    "code": 131212, "title": "User is not a participant",
                    "message": "(#131212) User is not a participant"}]})),
            }
        }
        let mut item = json!({
            "group_id": id,
            "type": "group_participants_remove",
            "initiated_by": "business",
            "removed_participants": removed,
        });
        if !failed.is_empty() {
            item["failed_participants"] = json!(failed);
        }
        self.accepted(state, "group_participants_update", item)
    }

    /// A multipart update: the subject, description and picture parts that came are applied and
    /// reported in a `group_settings_update` item.
    fn update(
        &self,
        state: &mut GroupsState,
        n: u64,
        id: &str,
        request: &Request,
    ) -> ResponseTemplate {
        let content_type = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let text = |name: &str| {
            multipart_part(content_type, &request.body, name)
                .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        };
        let (subject, description) = (text("subject"), text("description"));
        let picture = multipart_part(content_type, &request.body, "profile_picture_file");
        let Some(group) = state.groups.get_mut(&n) else {
            return missing_object(id);
        };
        let mut item = json!({"group_id": id, "type": "group_settings_update"});
        if let Some(subject) = subject {
            item["group_subject"] = json!({"text": subject, "update_successful": true});
            group.subject = subject;
        }
        if let Some(description) = description {
            item["group_description"] = json!({"text": description, "update_successful": true});
            group.description = Some(description);
        }
        if let Some((mime, bytes)) = picture {
            let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
            item["profile_picture"] =
                json!({"mime_type": mime, "sha256": sha256, "update_successful": true});
        }
        self.accepted(state, "group_settings_update", item)
    }

    fn decide(state: &mut GroupsState, n: u64, body: &Value, approve: bool) -> ResponseTemplate {
        let Some(group) = state.groups.get_mut(&n) else {
            return missing_object("group");
        };
        let (mut done, mut failed) = (Vec::new(), Vec::new());
        for id in body["join_requests"].as_array().into_iter().flatten() {
            let id = id.as_str().unwrap_or_default();
            match group.join_requests.iter().position(|(r, _)| r == id) {
                Some(at) => {
                    let (_, wa_id) = group.join_requests.remove(at);
                    if approve {
                        group.participants.push(wa_id);
                    }
                    done.push(json!(id));
                }
                None => failed.push(json!({"join_request_id": id, "errors": [{
                    "code": 131213, "message": "(#131213) Join request not found"}]})),
            }
        }
        let key = if approve {
            "approved_join_requests"
        } else {
            "rejected_join_requests"
        };
        let mut answer = json!({"messaging_product": "whatsapp", key: done});
        if !failed.is_empty() {
            answer["failed_join_requests"] = json!(failed);
        }
        ResponseTemplate::new(200).set_body_json(answer)
    }
}

impl Respond for GroupsResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        let Some(rest) = path.strip_prefix(&format!("/{VERSION}/")) else {
            return missing_object(path);
        };
        let segments: Vec<&str> = rest.split('/').collect();
        let mut state = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        let method = request.method.as_str();
        if segments == [self.phone.as_str(), "groups"] {
            return match method {
                "POST" => self.create(&mut state, &body_json(request)),
                _ => Self::list(&state),
            };
        }
        let id = segments[0];
        let Some(n) = id
            .strip_prefix("fake-group-")
            .and_then(|n| n.parse::<u64>().ok())
            .filter(|n| state.groups.contains_key(n))
        else {
            return invalid(131041, "Group not found");
        };
        let link = |group: &StoredGroup| {
            ResponseTemplate::new(200).set_body_json(
                json!({"messaging_product": "whatsapp", "invite_link": group.invite_link()}),
            )
        };
        match (method, &segments[1..]) {
            ("GET", []) => Self::info(id, &state.groups[&n], request),
            ("POST", []) => self.update(&mut state, n, id, request),
            ("DELETE", []) => {
                state.groups.remove(&n);
                let item = json!({"group_id": id, "type": "group_delete"});
                self.accepted(&mut state, "group_lifecycle_update", item)
            }
            ("GET", ["invite_link"]) => link(&state.groups[&n]),
            ("POST", ["invite_link"]) => {
                let code = self.ids.fetch_add(1, Ordering::Relaxed);
                match state.groups.get_mut(&n) {
                    Some(group) => {
                        group.invite_code = code;
                        link(group)
                    }
                    None => missing_object(id),
                }
            }
            ("DELETE", ["participants"]) => self.remove(&mut state, n, id, &body_json(request)),
            ("GET", ["join_requests"]) => {
                let data: Vec<Value> = state.groups[&n]
                    .join_requests
                    .iter()
                    .map(|(r, w)| json!({"join_request_id": r, "wa_id": w, "creation_timestamp": WEBHOOK_TIME.to_string()}))
                    .collect();
                ResponseTemplate::new(200).set_body_json(json!({"data": data}))
            }
            ("POST", ["join_requests"]) => Self::decide(&mut state, n, &body_json(request), true),
            ("DELETE", ["join_requests"]) => {
                Self::decide(&mut state, n, &body_json(request), false)
            }
            _ => missing_object(id),
        }
    }
}

impl FakeCloudApi {
    pub(super) async fn mount_groups(&self) {
        let bearer = format!("Bearer {}", self.access_token);
        let responder = GroupsResponder {
            ids: self.ids.clone(),
            store: self.groups.clone(),
            phone: self.phone_number_id.clone(),
        };
        let phone = &self.phone_number_id;
        Mock::given(path(format!("/{VERSION}/{phone}/groups")))
            .and(header("authorization", bearer.as_str()))
            .respond_with(responder.clone())
            .with_priority(5)
            .mount(&self.server)
            .await;
        Mock::given(path_regex(format!(
            "^/{VERSION}/fake-group-[0-9]+(/(invite_link|participants|join_requests))?$"
        )))
        .and(header("authorization", bearer.as_str()))
        .respond_with(responder)
        .with_priority(5)
        .mount(&self.server)
        .await;
    }

    /// Adds user `wa_id` to a fake group, as if they had joined through the invite link.
    pub fn add_group_participant(&self, group_id: &str, wa_id: &str) {
        self.with_group(group_id, |g| g.participants.push(wa_id.to_owned()));
    }

    /// Adds a join request from `wa_id` to a fake group and returns its id.
    pub fn add_group_join_request(&self, group_id: &str, wa_id: &str) -> String {
        let id = format!("fake-join-{}", self.ids.fetch_add(1, Ordering::Relaxed));
        self.with_group(group_id, |g| {
            g.join_requests.push((id.clone(), wa_id.to_owned()))
        });
        id
    }

    fn with_group(&self, group_id: &str, f: impl FnOnce(&mut StoredGroup)) {
        let mut state = self.groups.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(group) = group_id
            .strip_prefix("fake-group-")
            .and_then(|n| n.parse::<u64>().ok())
            .and_then(|n| state.groups.get_mut(&n))
        {
            f(group);
        }
    }

    /// The group webhooks Meta would deliver for the calls made so far (creations, updates,
    /// participant removals, deletions), as one delivery to post to your webhook handler (sign it with
    /// [`Delivery::signed`]); `None` when none is waiting. Taking them empties the queue.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::endpoint::groups::CreateGroup;
    /// use whatsapp_cloud::testing::FakeCloudApi;
    /// use whatsapp_cloud::webhook::{Event, Payload};
    ///
    /// let fake = FakeCloudApi::start().await;
    /// let request_id = fake.client()?.create_group(&CreateGroup::new("Support")).await?;
    /// let delivery = fake.take_group_webhooks().expect("a group_lifecycle_update");
    /// let payload = Payload::from_slice(delivery.body()).expect("a valid payload");
    /// let Some(Event::GroupLifecycle(created)) = payload.events().next() else { panic!("not a group event") };
    /// assert_eq!(created.update().group.request_id.as_deref(), Some(request_id.as_str()));
    /// # Ok(()) }
    /// ```
    pub fn take_group_webhooks(&self) -> Option<Delivery> {
        let items = std::mem::take(
            &mut self
                .groups
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .webhooks,
        );
        if items.is_empty() {
            return None;
        }
        let mut builder = DeliveryBuilder::new(self.waba_id(), self.phone_number_id.as_str())
            .timestamp(WEBHOOK_TIME);
        for (field, item) in items {
            builder = builder.change(
                field,
                json!({
                    "messaging_product": "whatsapp",
                    "metadata": {"display_phone_number": "16315550100", "phone_number_id": self.phone_number_id},
                    "groups": [item],
                }),
            );
        }
        Some(builder.build())
    }
}
