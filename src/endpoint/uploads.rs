//! Meta's Resumable Upload API: a file uploaded to an app, in one or more chunks, for a
//! [`HeaderHandle`] that names it in template creation and in the business profile.
//!
//! Three calls (Meta's "Resumable Upload API" page of the Graph API guides):
//!
//! 1. [`StartUpload`]: `POST /<APP_ID>/uploads?file_name&file_length&file_type` opens a session and
//!    answers its id, `upload:<…>?sig=<…>` ([`UploadSessionId`]).
//! 2. [`UploadChunk`]: `POST /upload:<…>?sig=<…>` with the headers `Authorization: OAuth <token>` and
//!    `file_offset`, and raw bytes as the body. When the file is complete Meta answers its handle
//!    (`{"h": "…"}`).
//! 3. [`GetUploadStatus`]: `GET /upload:<…>?sig=<…>` answers how many bytes Meta holds
//!    (`file_offset`), where an interrupted upload resumes.
//!
//! A handle is not a media id: messages still send media by id (`/<PHONE_NUMBER_ID>/media`) or link.
//! The client's [`upload_resumable`](crate::Client::upload_resumable) runs the three calls, streaming
//! the file and resuming after an interruption.
//!
//! ```
//! use whatsapp_cloud::endpoint::uploads::{ChunkOutcome, StartUpload, UploadChunk};
//! use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
//! use whatsapp_cloud::ids::UploadSessionId;
//!
//! let ctx = ApiContext::without_phone_number("EAAG-token");
//! let start = StartUpload::new("1234567890", "clinic.jpg", 52_301, "image/jpeg");
//! let request = start.to_request(&ctx)?;
//! assert_eq!(
//!     request.uri(),
//!     "https://graph.facebook.com/v26.0/1234567890/uploads?file_name=clinic.jpg&file_length=52301&file_type=image%2Fjpeg"
//! );
//!
//! let session = UploadSessionId::from("upload:MTphdHRhY2htZW50?sig=ARZ-2Pq%3D");
//! let chunk = UploadChunk::new(session, 0, vec![0xff, 0xd8, 0xff]);
//! let request = chunk.to_request(&ctx)?;
//! assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/upload:MTphdHRhY2htZW50?sig=ARZ-2Pq%3D");
//! assert_eq!(request.headers()["authorization"], "OAuth EAAG-token");
//! assert_eq!(request.headers()["file_offset"], "0");
//!
//! let answer = http::Response::builder().status(200).body(br#"{"h":"4::aW1hZ2U"}"#.to_vec())?;
//! match chunk.parse_response(answer)? {
//!     ChunkOutcome::Complete(handle) => assert_eq!(handle.as_str(), "4::aW1hZ2U"),
//!     other => panic!("{other:?}"),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::{ApiContext, Endpoint, Idempotency, check_status, parse_json};
use crate::error::{DecodeError, Error, ValidationError, Violation};
use crate::ids::{HeaderHandle, UploadSessionId};
use crate::limits;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use url::Url;

/// The file types Meta's Resumable Upload API accepts.
pub const RESUMABLE_UPLOAD_TYPES: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/jpg",
    "image/png",
    "video/mp4",
];

/// Checks a resumable upload's file type (its MIME essence: parameters and case are ignored).
///
/// # Errors
/// [`ValidationError`] on `file_type`, naming the type and the accepted ones.
pub fn check_upload_type(file_type: &str) -> Result<(), ValidationError> {
    let essence = super::media::mime_essence(file_type);
    if RESUMABLE_UPLOAD_TYPES.contains(&essence.as_str()) {
        return Ok(());
    }
    Err(limits::invalid(
        "file_type",
        file_type,
        &format!("one of {}", RESUMABLE_UPLOAD_TYPES.join(", ")),
    ))
}

/// Opens a resumable upload session: `POST /<APP_ID>/uploads?file_name&file_length&file_type`.
///
/// The token's user must be an admin or developer of the app. The file type is checked against
/// [`RESUMABLE_UPLOAD_TYPES`] and the length must be above zero before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct StartUpload {
    app_id: String,
    file_name: String,
    file_length: u64,
    file_type: String,
}

impl StartUpload {
    /// A session for `file_name`, `file_length` bytes of type `file_type` (such as `image/jpeg`),
    /// on the app `app_id`.
    pub fn new(
        app_id: impl Into<String>,
        file_name: impl Into<String>,
        file_length: u64,
        file_type: impl Into<String>,
    ) -> Self {
        Self {
            app_id: app_id.into(),
            file_name: file_name.into(),
            file_length,
            file_type: file_type.into(),
        }
    }

    /// The declared length in bytes.
    pub fn file_length(&self) -> u64 {
        self.file_length
    }

    /// Checks the app id, file name, length and type.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        limits::id_unbounded("app_id", &self.app_id)?;
        limits::non_blank("file_name", &self.file_name)?;
        if self.file_length == 0 {
            return Err(ValidationError::new(
                "file_length",
                Violation::OutOfRange {
                    min: 1,
                    max: i64::MAX,
                    actual: 0,
                },
            ));
        }
        check_upload_type(&self.file_type)
    }
}

impl Endpoint for StartUpload {
    type Output = UploadSession;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let mut url = ctx.url(&[&self.app_id, "uploads"])?;
        url.query_pairs_mut()
            .append_pair("file_name", &self.file_name)
            .append_pair("file_length", &self.file_length.to_string())
            .append_pair("file_type", &super::media::mime_essence(&self.file_type));
        ctx.empty_request(http::Method::POST, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<UploadSession, Error> {
        parse_json("upload session response", response)
    }

    fn idempotency(&self) -> Idempotency {
        // A repeat only opens another session; the unused one expires.
        Idempotency::Idempotent
    }
}

/// Meta's answer to [`StartUpload`]: the session id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UploadSession {
    /// The session id, `upload:<…>?sig=<…>`.
    pub id: UploadSessionId,
}

/// Uploads bytes of a session from `offset`: `POST /upload:<…>` with `Authorization: OAuth <token>`
/// and `file_offset: <offset>` headers and the bytes as the body.
///
/// The whole file may go in one call from offset 0, or in chunks, each from the offset Meta holds.
#[derive(Clone, PartialEq, Eq)]
#[must_use]
pub struct UploadChunk {
    session: UploadSessionId,
    offset: u64,
    bytes: Vec<u8>,
}

impl fmt::Debug for UploadChunk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadChunk")
            .field("session", &self.session)
            .field("offset", &self.offset)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl UploadChunk {
    /// `bytes` of the session's file, starting at byte `offset`.
    pub fn new(session: UploadSessionId, offset: u64, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            session,
            offset,
            bytes: bytes.into(),
        }
    }

    /// Where these bytes start in the file.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl Endpoint for UploadChunk {
    type Output = ChunkOutcome;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = session_url(ctx, &self.session)?;
        let offset = self.offset.to_string();
        oauth_request(
            ctx,
            http::Method::POST,
            &url,
            Some(&offset),
            self.bytes.clone(),
        )
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<ChunkOutcome, Error> {
        let response = check_status(response)?;
        let body = response.body().as_ref();
        let answer: ChunkAnswer = serde_json::from_slice(body).map_err(|e| {
            Error::Decode(DecodeError::new(
                "upload chunk response",
                e.to_string(),
                body,
            ))
        })?;
        Ok(match answer.h.filter(|h| !h.is_empty()) {
            Some(handle) => ChunkOutcome::Complete(HeaderHandle::from(handle)),
            None => ChunkOutcome::Received {
                file_offset: answer.file_offset,
            },
        })
    }

    fn idempotency(&self) -> Idempotency {
        // The bytes go at a stated offset: sending them again writes the same file.
        Idempotency::Idempotent
    }
}

#[derive(Deserialize)]
struct ChunkAnswer {
    #[serde(default)]
    h: Option<String>,
    #[serde(default, deserialize_with = "offset_opt")]
    file_offset: Option<u64>,
}

/// What Meta answered to an [`UploadChunk`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChunkOutcome {
    /// The file is complete: its handle.
    Complete(HeaderHandle),
    /// The bytes were taken and the file is not complete yet; `file_offset` is where the next bytes
    /// go, when Meta said (else ask with [`GetUploadStatus`]).
    Received {
        /// The bytes Meta holds.
        file_offset: Option<u64>,
    },
}

/// Asks how far a session's upload got: `GET /upload:<…>` with `Authorization: OAuth <token>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetUploadStatus {
    session: UploadSessionId,
}

impl GetUploadStatus {
    /// The status of `session`.
    pub fn new(session: UploadSessionId) -> Self {
        Self { session }
    }
}

impl Endpoint for GetUploadStatus {
    type Output = UploadStatus;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = session_url(ctx, &self.session)?;
        oauth_request(ctx, http::Method::GET, &url, None, Vec::new())
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<UploadStatus, Error> {
        parse_json("upload status response", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Meta's answer to [`GetUploadStatus`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UploadStatus {
    /// The session id (as Meta echoes it).
    #[serde(default)]
    pub id: Option<UploadSessionId>,
    /// The bytes Meta holds: the offset the upload resumes from.
    #[serde(deserialize_with = "offset")]
    pub file_offset: u64,
}

/// `file_offset` as a number or a string of digits.
fn offset<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Number(u64),
        Text(String),
    }
    match Raw::deserialize(deserializer)? {
        Raw::Number(n) => Ok(n),
        Raw::Text(s) => s.trim().parse().map_err(|_| {
            serde::de::Error::custom(format!("file_offset {s:?} is not a byte count"))
        }),
    }
}

fn offset_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    offset(deserializer).map(Some)
}

/// The URL of a session: the id after the version, its `?sig=…` kept as the query, as given (never
/// encoded twice).
fn session_url(ctx: &ApiContext, session: &UploadSessionId) -> Result<Url, Error> {
    let id = session.as_str();
    let (path, query) = match id.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (id, None),
    };
    let well_formed = path.starts_with("upload:")
        && path.len() > "upload:".len()
        && !id
            .chars()
            .any(|c| c == '/' || c == '#' || c.is_whitespace() || c.is_control());
    if !well_formed {
        return Err(Error::Validation(limits::invalid(
            "upload_session_id",
            id,
            "a session id from StartUpload: `upload:<…>`, with no `/`, `#` or spaces",
        )));
    }
    let base = ctx.url(&[])?;
    let mut url = Url::parse(&format!("{}/{path}", base.as_str().trim_end_matches('/')))
        .map_err(|e| Error::config(format!("the upload session URL is not valid: {e}")))?;
    url.set_query(query);
    Ok(url)
}

/// A request with Meta's `Authorization: OAuth <token>` (marked sensitive) instead of the bearer
/// token, and the `file_offset` header when given.
fn oauth_request(
    ctx: &ApiContext,
    method: http::Method,
    url: &Url,
    file_offset: Option<&str>,
    body: Vec<u8>,
) -> Result<http::Request<Vec<u8>>, Error> {
    let mut request = ctx
        .request_builder(method, url)
        .body(body)
        .map_err(|e| ctx.request_build_error(e))?;
    let token = ctx.access_token();
    let mut value = http::HeaderValue::try_from(format!("OAuth {}", token.expose_secret()))
        .map_err(|_| {
            Error::config(
                token
                    .header_problem()
                    .unwrap_or_else(|| "the access token cannot be sent in a header".to_owned()),
            )
        })?;
    value.set_sensitive(true);
    let headers = request.headers_mut();
    headers.insert(http::header::AUTHORIZATION, value);
    if let Some(offset) = file_offset {
        headers.insert(
            "file_offset",
            http::HeaderValue::from_str(offset)
                .map_err(|_| Error::config("internal: a byte offset is always a valid header"))?,
        );
    }
    Ok(request)
}

#[cfg(test)]
#[path = "uploads_tests.rs"]
mod tests;
