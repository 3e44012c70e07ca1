//! The fake's Flows management API: Flows kept in memory with Meta's lifecycle.
//!
//! Create gives a `DRAFT`; uploading a Flow JSON that does not parse (or lacks `version` or
//! `screens`) records validation errors with their line and column; publish needs a draft with a
//! valid JSON (else 139002) and gives `PUBLISHED`; editing a published Flow returns it to `DRAFT`;
//! deprecate needs a published Flow (else 139003); delete removes drafts only (else 139004).

use super::fake::{missing_object, multipart_file};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use wiremock::{Request, Respond, ResponseTemplate};

/// One Flow the fake holds.
#[derive(Debug, Clone)]
pub(super) struct StoredFlow {
    name: String,
    categories: Value,
    status: &'static str,
    endpoint_uri: Option<String>,
    json: Option<Vec<u8>>,
    validation_errors: Vec<Value>,
}

impl StoredFlow {
    fn to_json(&self, id: &str) -> Value {
        let mut flow = json!({
            "id": id,
            "name": self.name,
            "status": self.status,
            "categories": self.categories,
            "validation_errors": self.validation_errors,
        });
        if let Some(version) = self
            .json
            .as_deref()
            .and_then(|j| serde_json::from_slice::<Value>(j).ok())
            .and_then(|j| j.get("version").and_then(Value::as_str).map(str::to_owned))
        {
            flow["json_version"] = json!(version);
        }
        if let Some(uri) = &self.endpoint_uri {
            flow["endpoint_uri"] = json!(uri);
        }
        flow
    }
}

/// The fake's Flows, by id (`fake-flow-<n>`), in creation order.
pub(super) type FlowStore = Arc<Mutex<BTreeMap<u64, StoredFlow>>>;

/// The validation errors Meta would report for `json`: a syntax error at its position, or a missing
/// top-level `version` / `screens`.
fn validate(json: &[u8]) -> Vec<Value> {
    match serde_json::from_slice::<Value>(json) {
        Err(e) => vec![json!({
            "error": "INVALID_JSON",
            "error_type": "JSON_SCHEMA_ERROR",
            "message": format!("The Flow JSON is not valid JSON: {e}"),
            "line_start": e.line(), "line_end": e.line(),
            "column_start": e.column(), "column_end": e.column(),
        })],
        Ok(value) => ["version", "screens"]
            .into_iter()
            .filter(|key| value.get(key).is_none())
            .map(|key| {
                json!({
                    "error": "MISSING_REQUIRED_PROPERTY",
                    "error_type": "FLOW_JSON_ERROR",
                    "message": format!("Missing required property '{key}'."),
                    "line_start": 1, "line_end": 1, "column_start": 1, "column_end": 2,
                })
            })
            .collect(),
    }
}

fn flow_error(code: i64, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({"error": {
        "message": message, "type": "OAuthException", "code": code,
        "fbtrace_id": "AFakeFl0wTr4ce"
    }}))
}

fn invalid_parameter(message: &str) -> ResponseTemplate {
    flow_error(100, &format!("(#100) {message}"))
}

fn success() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"success": true}))
}

/// Answers `/<WABA_ID>/flows` and `/fake-flow-<n>[/assets|/publish|/deprecate]`.
#[derive(Clone)]
pub(super) struct FlowsResponder {
    pub(super) ids: Arc<AtomicU64>,
    pub(super) flows: FlowStore,
    pub(super) version: &'static str,
    pub(super) waba: String,
}

impl Respond for FlowsResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        let Some(rest) = path.strip_prefix(&format!("/{}/", self.version)) else {
            return missing_object(path);
        };
        let segments: Vec<&str> = rest.split('/').collect();
        let mut flows = self.flows.lock().unwrap_or_else(PoisonError::into_inner);
        let method = request.method.as_str();
        if segments == [self.waba.as_str(), "flows"] {
            return match method {
                "POST" => self.create(&mut flows, &request.body),
                _ => {
                    let data: Vec<Value> = flows
                        .iter()
                        .map(|(n, f)| f.to_json(&format!("fake-flow-{n}")))
                        .collect();
                    ResponseTemplate::new(200).set_body_json(json!({"data": data}))
                }
            };
        }
        let id = segments[0];
        let Some(n) = id
            .strip_prefix("fake-flow-")
            .and_then(|n| n.parse::<u64>().ok())
            .filter(|n| flows.contains_key(n))
        else {
            return missing_object(id);
        };
        match (method, &segments[1..]) {
            ("GET", []) => ResponseTemplate::new(200).set_body_json(flows[&n].to_json(id)),
            ("POST", []) => update(flows.get_mut(&n), &request.body),
            ("DELETE", []) => {
                if flows[&n].status != "DRAFT" {
                    return flow_error(139004, "(#139004) Flow can't be deleted");
                }
                flows.remove(&n);
                success()
            }
            ("POST", ["assets"]) => upload(flows.get_mut(&n), request),
            ("GET", ["assets"]) => {
                let data: Vec<Value> = flows[&n]
                    .json
                    .iter()
                    .map(|_| json!({"name": "flow.json", "asset_type": "FLOW_JSON"}))
                    .collect();
                ResponseTemplate::new(200).set_body_json(json!({"data": data}))
            }
            ("POST", ["publish"]) => {
                let flow = flows.get_mut(&n);
                match flow {
                    Some(f)
                        if f.status == "DRAFT"
                            && f.json.is_some()
                            && f.validation_errors.is_empty() =>
                    {
                        f.status = "PUBLISHED";
                        success()
                    }
                    _ => flow_error(139002, "(#139002) Publishing Flow in invalid state"),
                }
            }
            ("POST", ["deprecate"]) => match flows.get_mut(&n) {
                Some(f) if f.status == "PUBLISHED" => {
                    f.status = "DEPRECATED";
                    success()
                }
                _ => flow_error(139003, "(#139003) Can't deprecate a Flow"),
            },
            _ => missing_object(id),
        }
    }
}

impl FlowsResponder {
    fn create(&self, flows: &mut BTreeMap<u64, StoredFlow>, body: &[u8]) -> ResponseTemplate {
        let Ok(body) = serde_json::from_slice::<Value>(body) else {
            return invalid_parameter("The request body is not JSON.");
        };
        let Some(name) = body["name"].as_str().filter(|n| !n.trim().is_empty()) else {
            return invalid_parameter("The parameter name is required.");
        };
        if flows.values().any(|f| f.name == name) {
            return invalid_parameter("A Flow with this name already exists.");
        }
        if body["categories"].as_array().is_none_or(Vec::is_empty) {
            return invalid_parameter("The parameter categories is required.");
        }
        let mut json = body["flow_json"].as_str().map(|j| j.as_bytes().to_vec());
        if let Some(source) = body["clone_flow_id"].as_str() {
            let source = source
                .strip_prefix("fake-flow-")
                .and_then(|n| n.parse::<u64>().ok())
                .and_then(|n| flows.get(&n));
            match source {
                Some(s) if json.is_none() => json = s.json.clone(),
                Some(_) => {}
                None => return invalid_parameter("The Flow to clone does not exist."),
            }
        }
        let validation_errors = json.as_deref().map(validate).unwrap_or_default();
        let publish = body["publish"].as_bool() == Some(true);
        let status = if publish && json.is_some() && validation_errors.is_empty() {
            "PUBLISHED"
        } else {
            "DRAFT"
        };
        let n = self.ids.fetch_add(1, Ordering::Relaxed);
        flows.insert(
            n,
            StoredFlow {
                name: name.to_owned(),
                categories: body["categories"].clone(),
                status,
                endpoint_uri: body["endpoint_uri"].as_str().map(str::to_owned),
                json,
                validation_errors: validation_errors.clone(),
            },
        );
        ResponseTemplate::new(200).set_body_json(json!({
            "id": format!("fake-flow-{n}"),
            "success": true,
            "validation_errors": validation_errors,
        }))
    }
}

/// A metadata edit; a published Flow returns to draft.
fn update(flow: Option<&mut StoredFlow>, body: &[u8]) -> ResponseTemplate {
    let (Some(flow), Ok(body)) = (flow, serde_json::from_slice::<Value>(body)) else {
        return invalid_parameter("The request body is not JSON.");
    };
    if let Some(name) = body["name"].as_str() {
        flow.name = name.to_owned();
    }
    if body["categories"].is_array() {
        flow.categories = body["categories"].clone();
    }
    if let Some(uri) = body["endpoint_uri"].as_str() {
        flow.endpoint_uri = Some(uri.to_owned());
    }
    if flow.status == "PUBLISHED" {
        flow.status = "DRAFT";
    }
    success()
}

/// A Flow JSON upload: the `file` part is validated and stored; a published Flow returns to draft.
fn upload(flow: Option<&mut StoredFlow>, request: &Request) -> ResponseTemplate {
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let (Some(flow), Some((_, bytes))) = (flow, multipart_file(content_type, &request.body)) else {
        return invalid_parameter("The parameter file is required.");
    };
    flow.validation_errors = validate(&bytes);
    flow.json = Some(bytes);
    if flow.status == "PUBLISHED" {
        flow.status = "DRAFT";
    }
    ResponseTemplate::new(200).set_body_json(json!({
        "success": true,
        "validation_errors": flow.validation_errors,
    }))
}
