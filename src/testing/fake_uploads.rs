//! The fake's resumable uploads (`/<APP_ID>/uploads`, `/upload:<…>`) and Marketing Messages API
//! (`/<PHONE_NUMBER_ID>/marketing_messages`).

use super::fake::{FakeCloudApi, FakeError, SendResponder};
use super::recorded::RecordedMessage;
use crate::endpoint::uploads::RESUMABLE_UPLOAD_TYPES;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use wiremock::matchers::{header, method, path, path_regex};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

const VERSION: &str = crate::endpoint::DEFAULT_API_VERSION;

/// How the fake interrupts an upload once (see [`FakeCloudApi::interrupt_upload`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FakeInterruption {
    /// Keeps the first half of the chunk and answers HTTP 502 from a gateway (no Graph body).
    ServerError,
    /// Keeps the first half of the chunk and answers only after `delay`: with a shorter client
    /// timeout, the client sees the connection time out and drops it.
    Stall {
        /// How long the answer takes.
        delay: Duration,
    },
}

/// A file uploaded to the fake through the Resumable Upload API.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FakeUpload {
    /// The session id (`upload:…?sig=…`).
    pub session: String,
    /// `file_name` as declared.
    pub file_name: String,
    /// `file_type` as declared.
    pub file_type: String,
    /// `file_length` as declared.
    pub file_length: u64,
    /// The bytes received so far, in order.
    pub bytes: Vec<u8>,
    /// The handle, once the file is complete.
    pub handle: Option<String>,
}

#[derive(Default)]
struct State {
    sessions: HashMap<String, FakeUpload>,
    interruption: Option<(u64, FakeInterruption)>,
}

/// The fake's upload state: shared with its routes, readable at any time (also from a test's own
/// `AsyncRead`, to see how far the fake got).
#[derive(Clone, Default)]
pub struct FakeUploads {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for FakeUploads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeUploads")
            .field("sessions", &self.lock().sessions.len())
            .finish()
    }
}

impl FakeUploads {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The bytes the fake holds, over every session.
    pub fn received_bytes(&self) -> u64 {
        self.lock()
            .sessions
            .values()
            .map(|u| u.bytes.len() as u64)
            .sum()
    }

    /// Every upload session, in no particular order.
    pub fn files(&self) -> Vec<FakeUpload> {
        self.lock().sessions.values().cloned().collect()
    }
}

impl FakeCloudApi {
    /// The fake's resumable uploads: sessions, bytes received, handles.
    pub fn uploads(&self) -> FakeUploads {
        self.uploads.clone()
    }

    /// Interrupts the first upload request that starts at or after byte `after_bytes` of its file,
    /// once, as `how` says; the client must ask the status and resume.
    pub fn interrupt_upload(&self, after_bytes: u64, how: FakeInterruption) {
        self.uploads.lock().interruption = Some((after_bytes, how));
    }

    /// Every send to `/marketing_messages` the fake received, oldest first.
    pub async fn sent_marketing_messages(&self) -> Vec<RecordedMessage> {
        let marketing_path = format!("/{VERSION}/{}/marketing_messages", self.phone_number_id);
        self.requests()
            .await
            .into_iter()
            .filter(|r| r.method == wiremock::http::Method::POST && r.url.path() == marketing_path)
            .filter_map(|r| serde_json::from_slice::<Value>(&r.body).ok())
            .filter_map(RecordedMessage::from_json)
            .collect()
    }

    pub(super) async fn mount_uploads_and_marketing(&self) {
        let bearer = format!("Bearer {}", self.access_token);
        let oauth = format!("OAuth {}", self.access_token);
        let phone = &self.phone_number_id;
        Mock::given(method("POST"))
            .and(path(format!("/{VERSION}/{phone}/marketing_messages")))
            .and(header("authorization", bearer.as_str()))
            .respond_with(SendResponder {
                ids: self.ids.clone(),
            })
            .with_priority(5)
            .mount(&self.server)
            .await;
        Mock::given(method("POST"))
            .and(path_regex(format!("^/{VERSION}/[0-9A-Za-z_]+/uploads$")))
            .and(header("authorization", bearer.as_str()))
            .respond_with(StartResponder {
                uploads: self.uploads.clone(),
                ids: self.ids.clone(),
            })
            .with_priority(5)
            .mount(&self.server)
            .await;
        Mock::given(path_regex(format!("^/{VERSION}/upload:[^/]+$")))
            .and(header("authorization", oauth.as_str()))
            .respond_with(ChunkResponder {
                uploads: self.uploads.clone(),
                ids: self.ids.clone(),
            })
            .with_priority(5)
            .mount(&self.server)
            .await;
    }
}

fn invalid(details: &str) -> ResponseTemplate {
    let (status, body) = FakeError::Custom {
        status: 400,
        body: json!({"error": {"message": "(#100) Invalid parameter", "type": "OAuthException",
            "code": 100, "error_data": {"details": details}, "fbtrace_id": "AUpLoAdFaKeTrAcE"}}),
    }
    .response();
    ResponseTemplate::new(status).set_body_json(body)
}

/// Opens a session for a declared name, length and type.
struct StartResponder {
    uploads: FakeUploads,
    ids: Arc<AtomicU64>,
}

impl Respond for StartResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query: HashMap<String, String> = request.url.query_pairs().into_owned().collect();
        let Some(file_type) = query.get("file_type") else {
            return invalid("file_type is required");
        };
        if !RESUMABLE_UPLOAD_TYPES.contains(&file_type.as_str()) {
            return invalid("file_type is not supported");
        }
        let Some(file_length) = query.get("file_length").and_then(|l| l.parse::<u64>().ok()) else {
            return invalid("file_length must be a number of bytes");
        };
        let n = self.ids.fetch_add(1, Ordering::Relaxed);
        // Meta's session ids carry an escaped signature: clients must send it back as given.
        let session = format!("upload:MTpmYWtl{n:08}?sig=ARZfake%2B{n}%3D");
        self.uploads.lock().sessions.insert(
            session_key(&session).to_owned(),
            FakeUpload {
                session: session.clone(),
                file_name: query.get("file_name").cloned().unwrap_or_default(),
                file_type: file_type.clone(),
                file_length,
                bytes: Vec::new(),
                handle: None,
            },
        );
        ResponseTemplate::new(200).set_body_json(json!({ "id": session }))
    }
}

/// The session part of an id or a request path (`upload:…`, without the signature).
fn session_key(id: &str) -> &str {
    id.split('?').next().unwrap_or(id)
}

/// Takes bytes at `file_offset` (POST) and tells the offset (GET).
struct ChunkResponder {
    uploads: FakeUploads,
    ids: Arc<AtomicU64>,
}

impl Respond for ChunkResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let key = request
            .url
            .path()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let mut state = self.uploads.lock();
        let sig_ok = |upload: &FakeUpload| {
            upload.session.split_once('?').map(|(_, q)| q) == request.url.query()
        };
        let interruption = state.interruption.clone();
        let Some(upload) = state.sessions.get_mut(&key).filter(|u| sig_ok(u)) else {
            return invalid("unknown upload session or bad signature");
        };
        let held = upload.bytes.len() as u64;
        if request.method == wiremock::http::Method::GET {
            return ResponseTemplate::new(200)
                .set_body_json(json!({"id": upload.session, "file_offset": held}));
        }
        let offset = request
            .headers
            .get("file_offset")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if offset != Some(held) {
            return invalid("file_offset must be the number of bytes already uploaded");
        }
        if held + request.body.len() as u64 > upload.file_length {
            return invalid("more bytes than file_length");
        }
        if let Some((after, how)) = interruption
            && held >= after
            && request.body.len() > 1
        {
            let half = request.body.len() / 2;
            upload.bytes.extend_from_slice(&request.body[..half]);
            state.interruption = None;
            return match how {
                FakeInterruption::ServerError => ResponseTemplate::new(502)
                    .set_body_string("<html><body>502 Bad Gateway</body></html>"),
                FakeInterruption::Stall { delay } => ResponseTemplate::new(200)
                    .set_body_json(json!({"id": key, "file_offset": held + half as u64}))
                    .set_delay(delay),
            };
        }
        upload.bytes.extend_from_slice(&request.body);
        let held = upload.bytes.len() as u64;
        if held < upload.file_length {
            return ResponseTemplate::new(200)
                .set_body_json(json!({"id": upload.session, "file_offset": held}));
        }
        let handle = upload.handle.clone().unwrap_or_else(|| {
            let n = self.ids.fetch_add(1, Ordering::Relaxed);
            format!("4::ZmFrZS1oYW5kbGU{n:08}")
        });
        upload.handle = Some(handle.clone());
        ResponseTemplate::new(200).set_body_json(json!({ "h": handle }))
    }
}
