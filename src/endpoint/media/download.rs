//! Downloading media: trusted hosts, expired URLs, checksum checks and `DownloadMedia`.

use super::*;
use crate::endpoint::{ApiContext, Endpoint, Idempotency, check_status};
use crate::error::{Error, ValidationError, Violation};
use crate::ids::MediaId;
use sha2::{Digest, Sha256};
use url::Url;

/// Hosts that receive the access token when downloading media (HTTPS only), besides the configured
/// base URL's own scheme, host and port: `fbsbx.com`, `facebook.com`, `fbcdn.net` and their subdomains
/// (Meta serves media from `lookaside.fbsbx.com`).
pub const TRUSTED_MEDIA_DOMAINS: &[&str] = &["fbsbx.com", "facebook.com", "fbcdn.net"];

/// True when `url` may receive the bearer token: an `https` URL on one of [`TRUSTED_MEDIA_DOMAINS`]
/// (or a subdomain), or a URL on the same origin as the context's base URL (so a fake server works).
///
/// ```
/// use whatsapp_cloud::endpoint::ApiContext;
/// use whatsapp_cloud::endpoint::media::is_trusted_media_host;
/// let ctx = ApiContext::new("t", "1");
/// let ok = url::Url::parse("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1")?;
/// let bad = url::Url::parse("https://lookaside.fbsbx.com.evil.example/x")?;
/// let plain = url::Url::parse("http://lookaside.fbsbx.com/x")?;
/// assert!(is_trusted_media_host(&ok, &ctx));
/// assert!(!is_trusted_media_host(&bad, &ctx));
/// assert!(!is_trusted_media_host(&plain, &ctx));
/// # Ok::<(), url::ParseError>(())
/// ```
pub fn is_trusted_media_host(url: &Url, ctx: &ApiContext) -> bool {
    let base = ctx.base_url();
    if url.scheme() == base.scheme()
        && url.host_str().is_some()
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default()
    {
        return true;
    }
    if url.scheme() != "https" {
        return false;
    }
    let Some(url::Host::Domain(host)) = url.host() else {
        return false;
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    TRUSTED_MEDIA_DOMAINS.iter().any(|domain| {
        host == *domain
            || host
                .strip_suffix(domain)
                .is_some_and(|prefix| prefix.ends_with('.'))
    })
}

/// Parses a media URL, refusing anything but `http`/`https`.
///
/// # Errors
/// A [`ValidationError`] on `url`.
pub fn parse_media_url(url: &str) -> Result<Url, ValidationError> {
    let parsed = Url::parse(url.trim()).map_err(|e| {
        ValidationError::new(
            "url",
            Violation::Invalid {
                value: shorten(url),
                expected: format!("an http(s) URL ({e})"),
            },
        )
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(ValidationError::new(
            "url",
            Violation::Invalid {
                value: shorten(url),
                expected: "an http(s) URL with a host".to_owned(),
            },
        ));
    }
    Ok(parsed)
}

pub(super) fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(120).collect();
    if s.chars().nth(120).is_some() {
        out.push('…');
    }
    out
}

/// True for the statuses a media URL answers once it has expired (fetch a fresh URL and retry once).
pub fn is_expired_url_status(status: http::StatusCode) -> bool {
    matches!(status.as_u16(), 401 | 403 | 404)
}

/// Where to download media from: by id (the URL is looked up), or by a URL already in hand (from a
/// webhook or [`MediaInfo`]), optionally with the id (to fetch a fresh URL if this one has expired) and
/// the SHA-256 to check.
///
/// ```
/// use whatsapp_cloud::endpoint::media::DownloadSource;
/// use whatsapp_cloud::MediaId;
/// let by_id = DownloadSource::from(MediaId::from("1227829768162607"));
/// let by_url = DownloadSource::url("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1")
///     .with_id("1227829768162607")
///     .with_sha256("72fd8a73...");
/// assert_eq!(by_id.media_id().map(|i| i.as_str()), Some("1227829768162607"));
/// assert!(by_url.url_str().is_some());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct DownloadSource {
    id: Option<MediaId>,
    url: Option<String>,
    sha256: Option<String>,
}

impl DownloadSource {
    /// Media by id: its URL is looked up first.
    pub fn id(id: impl Into<MediaId>) -> Self {
        Self {
            id: Some(id.into()),
            url: None,
            sha256: None,
        }
    }

    /// Media by URL (such as the `url` of an inbound media webhook).
    pub fn url(url: impl Into<String>) -> Self {
        Self {
            id: None,
            url: Some(url.into()),
            sha256: None,
        }
    }

    /// The media id, used to fetch a fresh URL when the given one has expired.
    pub fn with_id(mut self, id: impl Into<MediaId>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The SHA-256 (hex) the download must match; overrides what Meta reports.
    pub fn with_sha256(mut self, sha256: impl Into<String>) -> Self {
        self.sha256 = Some(sha256.into());
        self
    }

    /// The media id, if known.
    pub fn media_id(&self) -> Option<&MediaId> {
        self.id.as_ref()
    }

    /// The URL, if known.
    pub fn url_str(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The expected SHA-256, if given.
    pub fn sha256(&self) -> Option<&str> {
        self.sha256.as_deref()
    }
}

impl From<MediaId> for DownloadSource {
    fn from(value: MediaId) -> Self {
        DownloadSource::id(value)
    }
}

impl From<&MediaId> for DownloadSource {
    fn from(value: &MediaId) -> Self {
        DownloadSource::id(value.clone())
    }
}

impl From<&MediaInfo> for DownloadSource {
    fn from(value: &MediaInfo) -> Self {
        let mut source = DownloadSource::url(value.url.clone()).with_id(value.id.clone());
        source.sha256 = value.sha256.clone();
        source
    }
}

impl From<&crate::webhook::InboundMedia> for DownloadSource {
    /// Inbound media: its `url` when the webhook carried one (with the id, to refresh it), else its id;
    /// the webhook's SHA-256 (base64) is checked either way.
    fn from(media: &crate::webhook::InboundMedia) -> Self {
        let mut source = match media.url.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(url) => DownloadSource::url(url).with_id(media.id.clone()),
            None => DownloadSource::id(media.id.clone()),
        };
        source.sha256 = media.sha256.clone();
        source
    }
}

impl From<Url> for DownloadSource {
    fn from(value: Url) -> Self {
        DownloadSource::url(String::from(value))
    }
}

/// The downloaded bytes did not match the SHA-256 Meta reported.
///
/// What was written so far is still in the writer: discard it. Found inside
/// [`Error::Io`] (kind `InvalidData`); get at it with [`ChecksumMismatch::find`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "media checksum mismatch: expected SHA-256 {expected}, got {actual} after {bytes_written} bytes; discard the output"
)]
#[non_exhaustive]
pub struct ChecksumMismatch {
    /// The SHA-256 Meta reported (lower-case hex).
    pub expected: String,
    /// The SHA-256 of what was received.
    pub actual: String,
    /// How many bytes were written to the output before the mismatch was found.
    pub bytes_written: u64,
}

impl ChecksumMismatch {
    /// The mismatch inside an [`Error`], if that is what the error is.
    pub fn find(error: &Error) -> Option<&ChecksumMismatch> {
        match error.last() {
            Error::Io(io) => io.get_ref()?.downcast_ref::<ChecksumMismatch>(),
            _ => None,
        }
    }

    /// Wraps the mismatch into an [`Error`].
    pub fn into_error(self) -> Error {
        Error::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, self))
    }
}

/// Compares a computed digest with the expected one: lower- or upper-case hex (as the media endpoint
/// reports it) or base64 (as inbound media webhooks carry it). An expected value that is neither does
/// not verify anything and is treated as a mismatch (fail closed).
pub(crate) fn verify_digest(
    expected: Option<&str>,
    digest: &[u8],
    bytes_written: u64,
) -> Result<String, Error> {
    let actual = hex::encode(digest);
    if let Some(expected) = expected.map(str::trim).filter(|e| !e.is_empty()) {
        let expected_bytes = decode_digest(expected);
        if expected_bytes.as_deref() != Some(digest) {
            return Err(ChecksumMismatch {
                expected: expected.to_owned(),
                actual,
                bytes_written,
            }
            .into_error());
        }
    }
    Ok(actual)
}

/// A SHA-256 given as 64 hex digits or as base64 (standard or URL-safe, padding optional).
pub(super) fn decode_digest(value: &str) -> Option<Vec<u8>> {
    if value.len() == 64
        && let Ok(bytes) = hex::decode(value)
    {
        return Some(bytes);
    }
    let bytes = decode_base64(value)?;
    (bytes.len() == 32).then_some(bytes)
}

pub(super) fn decode_base64(value: &str) -> Option<Vec<u8>> {
    fn sextet(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    }
    let trimmed = value.trim_end_matches('=');
    if trimmed.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    for chunk in trimmed.as_bytes().chunks(4) {
        let mut acc: u32 = 0;
        for (i, c) in chunk.iter().enumerate() {
            acc |= sextet(*c)? << (18 - 6 * i);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// Downloads media into memory from a URL: `GET <url>`. Sans-IO; for files of any size use the
/// client's streaming `download_media`.
///
/// The bearer token is added only when [`is_trusted_media_host`] allows the URL's host.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct DownloadMedia {
    url: String,
    sha256: Option<String>,
}

impl DownloadMedia {
    /// Downloads from `url` (for example [`MediaInfo::url`]).
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            sha256: None,
        }
    }

    /// Checks the body against this SHA-256 (hex).
    pub fn sha256(mut self, sha256: impl Into<String>) -> Self {
        self.sha256 = Some(sha256.into());
        self
    }
}

impl From<&MediaInfo> for DownloadMedia {
    fn from(info: &MediaInfo) -> Self {
        Self {
            url: info.url.clone(),
            sha256: info.sha256.clone(),
        }
    }
}

/// Builds the GET of a media URL: bearer token only for trusted hosts, always the User-Agent.
pub(crate) fn media_get_request(
    ctx: &ApiContext,
    url: &Url,
) -> Result<http::Request<Vec<u8>>, Error> {
    let builder = if is_trusted_media_host(url, ctx) {
        ctx.request_builder(http::Method::GET, url)
    } else {
        http::Request::builder()
            .method(http::Method::GET)
            .uri(url.as_str())
            .header(http::header::USER_AGENT, ctx.user_agent())
    };
    builder
        .body(Vec::new())
        .map_err(|e| ctx.request_build_error(e))
}

/// The downloaded file and what it was checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DownloadedBytes {
    /// The body.
    pub bytes: Vec<u8>,
    /// The `Content-Type` the host sent.
    pub content_type: Option<String>,
    /// The SHA-256 of the body (lower-case hex).
    pub sha256: String,
}

impl Endpoint for DownloadMedia {
    type Output = DownloadedBytes;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = parse_media_url(&self.url)?;
        media_get_request(ctx, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<DownloadedBytes, Error> {
        let response = check_status(response)?;
        let content_type = response
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.body().as_ref();
        let digest = Sha256::digest(body);
        let sha256 = verify_digest(self.sha256.as_deref(), &digest, body.len() as u64)?;
        Ok(DownloadedBytes {
            bytes: body.to_vec(),
            content_type,
            sha256,
        })
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// The outcome of a streamed download.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DownloadedMedia {
    /// Bytes written to the output.
    pub bytes_written: u64,
    /// The SHA-256 of what was written (lower-case hex); it matched Meta's when Meta reported one.
    pub sha256: String,
    /// The MIME type Meta reported, or else the `Content-Type` of the download.
    pub mime_type: Option<String>,
    /// The media id, when known.
    pub media_id: Option<MediaId>,
    /// True when the first URL had expired and a fresh one was fetched.
    pub refreshed_url: bool,
}
