//! Media: upload, look up, download and delete (Meta's "Media" reference).
//!
//! - [`UploadMedia`]: `POST /<PHONE_NUMBER_ID>/media`, a multipart body with `messaging_product`,
//!   `type` and `file`, built here without any HTTP client. The MIME type and size are checked against
//!   Meta's table ([`MediaKind`]) before anything is sent.
//! - [`GetMedia`]: `GET /<MEDIA_ID>`: a download URL valid for 5 minutes, the MIME type, SHA-256 and size.
//! - [`DownloadMedia`]: `GET <url>`, checked against the SHA-256 Meta reported. The bearer token goes
//!   only to Meta's media hosts ([`is_trusted_media_host`]).
//! - [`DeleteMedia`]: `DELETE /<MEDIA_ID>`.
//!
//! With the `client` feature, `Client::upload_media_file`, `Client::download_media` and friends stream
//! files of any size instead of holding them in memory.
//!
//! ```
//! use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
//! use whatsapp_cloud::endpoint::media::UploadMedia;
//!
//! let ctx = ApiContext::new("token", "106540352242922");
//! let upload = UploadMedia::new(b"\x89PNG...".to_vec(), "image/png").filename("logo.png");
//! let request = upload.to_request(&ctx)?;
//! assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/106540352242922/media");
//! let too_big = UploadMedia::new(vec![0; 6 * 1024 * 1024], "image/png");
//! assert!(too_big.to_request(&ctx).is_err()); // images are limited to 5 MB
//! # Ok::<(), whatsapp_cloud::Error>(())
//! ```

use super::{ApiContext, Endpoint, Idempotency, Success, check_status, parse_json};
use crate::error::{Error, ValidationError, Violation};
use crate::ids::{MediaId, PhoneNumberId};
use serde::{Deserialize, Deserializer, Serialize};
use serde_with::skip_serializing_none;
use sha2::{Digest, Sha256};
use std::fmt;
use url::Url;

const KIB: u64 = 1024;
const MIB: u64 = 1024 * 1024;

/// The kinds of media the Cloud API accepts, each with its MIME types and size limit.
///
/// Sizes follow Meta's media page: audio 16 MB, document 100 MB, image 5 MB, video 16 MB, sticker
/// 100 KB static / 500 KB animated. "MB" is read as MiB, so a file Meta accepts is never refused here.
///
/// ```
/// use whatsapp_cloud::endpoint::media::MediaKind;
/// assert_eq!(MediaKind::for_mime("image/webp"), Some(MediaKind::Sticker));
/// assert_eq!(MediaKind::Image.max_size(), 5 * 1024 * 1024);
/// assert!(MediaKind::Audio.supports("audio/ogg; codecs=opus"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MediaKind {
    /// `audio/aac`, `audio/amr`, `audio/mpeg`, `audio/mp4`, `audio/ogg` (OPUS, mono); 16 MB.
    Audio,
    /// Plain text, PDF and Microsoft Office documents; 100 MB.
    Document,
    /// `image/jpeg`, `image/png`; 5 MB.
    Image,
    /// `image/webp`; 100 KB static, 500 KB animated.
    Sticker,
    /// `video/3gpp`, `video/mp4` (H.264 + AAC); 16 MB.
    Video,
}

const AUDIO_TYPES: &[&str] = &[
    "audio/aac",
    "audio/amr",
    "audio/mpeg",
    "audio/mp4",
    "audio/ogg",
];
const DOCUMENT_TYPES: &[&str] = &[
    "text/plain",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/pdf",
];
const IMAGE_TYPES: &[&str] = &["image/jpeg", "image/png"];
const STICKER_TYPES: &[&str] = &["image/webp"];
const VIDEO_TYPES: &[&str] = &["video/3gpp", "video/mp4"];

/// A static sticker's size limit.
pub const STICKER_STATIC_MAX: u64 = 100 * KIB;
/// An animated sticker's size limit.
pub const STICKER_ANIMATED_MAX: u64 = 500 * KIB;

impl MediaKind {
    /// Every kind.
    pub const ALL: [MediaKind; 5] = [
        MediaKind::Audio,
        MediaKind::Document,
        MediaKind::Image,
        MediaKind::Sticker,
        MediaKind::Video,
    ];

    /// The message `type` of this kind (`"image"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Audio => "audio",
            MediaKind::Document => "document",
            MediaKind::Image => "image",
            MediaKind::Sticker => "sticker",
            MediaKind::Video => "video",
        }
    }

    /// The MIME types Meta accepts for this kind.
    pub fn mime_types(self) -> &'static [&'static str] {
        match self {
            MediaKind::Audio => AUDIO_TYPES,
            MediaKind::Document => DOCUMENT_TYPES,
            MediaKind::Image => IMAGE_TYPES,
            MediaKind::Sticker => STICKER_TYPES,
            MediaKind::Video => VIDEO_TYPES,
        }
    }

    /// The largest file Meta accepts for this kind, in bytes (for stickers: the animated limit).
    pub fn max_size(self) -> u64 {
        match self {
            MediaKind::Audio | MediaKind::Video => 16 * MIB,
            MediaKind::Document => 100 * MIB,
            MediaKind::Image => 5 * MIB,
            MediaKind::Sticker => STICKER_ANIMATED_MAX,
        }
    }

    /// True when `mime` (parameters such as `; codecs=opus` ignored, any case) is accepted for this kind.
    pub fn supports(self, mime: &str) -> bool {
        let essence = mime_essence(mime);
        self.mime_types().iter().any(|t| *t == essence)
    }

    /// The kind a MIME type belongs to (`image/webp` is a sticker), `None` when Meta accepts it nowhere.
    pub fn for_mime(mime: &str) -> Option<MediaKind> {
        Self::ALL.into_iter().find(|k| k.supports(mime))
    }
}

impl fmt::Display for MediaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The MIME type without parameters, trimmed and lower-cased: `"Audio/OGG; codecs=opus"` → `"audio/ogg"`.
pub fn mime_essence(mime: &str) -> String {
    mime.split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The MIME type Meta accepts for a file name's extension (`photo.JPG` → `image/jpeg`), if any.
///
/// ```
/// use whatsapp_cloud::endpoint::media::mime_for_file_name;
/// assert_eq!(mime_for_file_name("report.pdf"), Some("application/pdf"));
/// assert_eq!(mime_for_file_name("voice.opus"), Some("audio/ogg"));
/// assert_eq!(mime_for_file_name("page.html"), None);
/// ```
pub fn mime_for_file_name(name: &str) -> Option<&'static str> {
    let (_, ext) = name.rsplit_once('.')?;
    Some(match ext.to_ascii_lowercase().as_str() {
        "aac" => "audio/aac",
        "amr" => "audio/amr",
        "mp3" | "mpeg" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "txt" => "text/plain",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "3gp" | "3gpp" => "video/3gpp",
        "mp4" => "video/mp4",
        _ => return None,
    })
}

/// True when the first bytes of a WebP file mark it animated (the `VP8X` header's animation flag).
pub fn webp_is_animated(head: &[u8]) -> bool {
    head.len() > 20
        && &head[0..4] == b"RIFF"
        && &head[8..12] == b"WEBP"
        && &head[12..16] == b"VP8X"
        && head[20] & 0x02 != 0
}

/// Checks a file of `size` bytes with MIME type `mime` against Meta's table, as `kind` when given
/// (else the kind the MIME type belongs to). `head`, the first bytes of the file when known, tells an
/// animated sticker from a static one.
///
/// # Errors
/// A [`ValidationError`] on `type` naming the MIME type and the accepted ones, or on `file` naming the
/// size, the MIME type and the limit; an empty file is refused too.
///
/// ```
/// use whatsapp_cloud::endpoint::media::{check_media, MediaKind};
/// assert_eq!(check_media(None, "video/mp4", 1_000, None)?, MediaKind::Video);
/// let err = check_media(Some(MediaKind::Image), "image/gif", 1_000, None).unwrap_err();
/// assert!(err.to_string().contains("image/gif"));
/// # Ok::<(), whatsapp_cloud::error::ValidationError>(())
/// ```
pub fn check_media(
    kind: Option<MediaKind>,
    mime: &str,
    size: u64,
    head: Option<&[u8]>,
) -> Result<MediaKind, ValidationError> {
    let kind = match kind {
        Some(kind) if kind.supports(mime) => kind,
        Some(kind) => {
            return Err(ValidationError::new(
                "type",
                Violation::Invalid {
                    value: mime.to_owned(),
                    expected: format!(
                        "a MIME type Meta accepts for {kind} media: {}",
                        kind.mime_types().join(", ")
                    ),
                },
            ));
        }
        None => MediaKind::for_mime(mime).ok_or_else(|| {
            ValidationError::new(
                "type",
                Violation::Invalid {
                    value: mime.to_owned(),
                    expected: "a MIME type Meta accepts for media (see MediaKind::mime_types)"
                        .to_owned(),
                },
            )
        })?,
    };
    if size == 0 {
        return Err(ValidationError::new("file", Violation::Empty));
    }
    let (max, what) = match (kind, head) {
        (MediaKind::Sticker, Some(head)) if !webp_is_animated(head) => {
            (STICKER_STATIC_MAX, "static sticker".to_owned())
        }
        (MediaKind::Sticker, Some(_)) => (STICKER_ANIMATED_MAX, "animated sticker".to_owned()),
        (kind, _) => (kind.max_size(), format!("{kind} media")),
    };
    if size > max {
        return Err(ValidationError::new(
            "file",
            Violation::Invalid {
                value: format!("{size} bytes of {}", mime_essence(mime)),
                expected: format!("at most {max} bytes ({}) for {what}", human_size(max)),
            },
        ));
    }
    Ok(kind)
}

fn human_size(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{} KiB", bytes / KIB)
    }
}

/// Uploads media from memory: `POST /<PHONE_NUMBER_ID>/media` (multipart). Uploaded media lives 30 days.
///
/// The request body is built here, boundary and part headers included; for large files prefer the
/// client's streaming `upload_media_file`.
#[derive(Clone, PartialEq, Eq)]
#[must_use]
pub struct UploadMedia {
    bytes: Vec<u8>,
    mime_type: String,
    filename: Option<String>,
    kind: Option<MediaKind>,
}

impl fmt::Debug for UploadMedia {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadMedia")
            .field("len", &self.bytes.len())
            .field("mime_type", &self.mime_type)
            .field("filename", &self.filename)
            .field("kind", &self.kind)
            .finish()
    }
}

impl UploadMedia {
    /// Uploads `bytes` of MIME type `mime_type` (such as `image/jpeg`).
    pub fn new(bytes: impl Into<Vec<u8>>, mime_type: impl Into<String>) -> Self {
        Self {
            bytes: bytes.into(),
            mime_type: mime_type.into(),
            filename: None,
            kind: None,
        }
    }

    /// The file name sent in the `file` part (default `file`); a document's extension picks its icon.
    pub fn filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = Some(filename.into());
        self
    }

    /// Checks the file as this kind (say, `Sticker` for an `image/webp`), not the kind its MIME type implies.
    pub fn kind(mut self, kind: MediaKind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// The bytes to upload.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The MIME type as given.
    pub fn mime_type(&self) -> &str {
        &self.mime_type
    }

    /// Checks the MIME type and size against Meta's table.
    ///
    /// # Errors
    /// See [`check_media`].
    pub fn validate(&self) -> Result<MediaKind, ValidationError> {
        check_media(
            self.kind,
            &self.mime_type,
            self.bytes.len() as u64,
            Some(&self.bytes[..self.bytes.len().min(32)]),
        )
    }
}

/// The multipart boundary for `body`: a fixed prefix and a counter, changed until it is not in the body.
fn boundary_for(body: &[u8]) -> String {
    let mut n: u32 = 0;
    loop {
        let candidate = format!("whatsapp-cloud-boundary-{n:08x}");
        let needle = candidate.as_bytes();
        if !body.windows(needle.len()).any(|w| w == needle) {
            return candidate;
        }
        n += 1;
    }
}

/// A header-safe file name: quotes, backslashes and control characters replaced.
pub(crate) fn sanitize_filename(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '"' | '\\' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    if cleaned.trim().is_empty() {
        "file".to_owned()
    } else {
        cleaned
    }
}

/// The default file name for a MIME type (`image/png` → `file.png`).
pub(crate) fn default_filename(mime: &str) -> String {
    let ext = match mime_essence(mime).as_str() {
        "audio/aac" => "aac",
        "audio/amr" => "amr",
        "audio/mpeg" => "mp3",
        "audio/mp4" => "m4a",
        "audio/ogg" => "ogg",
        "text/plain" => "txt",
        "application/pdf" => "pdf",
        "application/vnd.ms-excel" => "xls",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "application/msword" => "doc",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.ms-powerpoint" => "ppt",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => "pptx",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "video/3gpp" => "3gp",
        "video/mp4" => "mp4",
        _ => return "file".to_owned(),
    };
    format!("file.{ext}")
}

impl Endpoint for UploadMedia {
    type Output = UploadedMedia;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = ctx.url(&[ctx.require_phone_number_id()?.as_str(), "media"])?;
        let boundary = boundary_for(&self.bytes);
        let mime = mime_essence(&self.mime_type);
        let filename = sanitize_filename(
            &self
                .filename
                .clone()
                .unwrap_or_else(|| default_filename(&mime)),
        );
        let mut body = Vec::with_capacity(self.bytes.len() + 512);
        let mut text_part = |name: &str, value: &str| {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        };
        text_part("messaging_product", "whatsapp");
        text_part("type", &mime);
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {mime}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(&self.bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        ctx.request_builder(http::Method::POST, &url)
            .header(
                http::header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .map_err(|e| ctx.request_build_error(e))
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<UploadedMedia, Error> {
        parse_json("media upload response", response)
    }
}

/// Meta's answer to an upload: `{"id": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UploadedMedia {
    /// The id to send the media by (valid 30 days).
    pub id: MediaId,
}

/// Looks up uploaded or inbound media: `GET /<MEDIA_ID>[?phone_number_id=...]`.
///
/// The URL in the answer expires after 5 minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetMedia {
    id: MediaId,
    phone_number_id: Option<PhoneNumberId>,
}

impl GetMedia {
    /// Looks up media `id`.
    pub fn new(id: impl Into<MediaId>) -> Self {
        Self {
            id: id.into(),
            phone_number_id: None,
        }
    }

    /// Only succeeds if the media belongs to this business phone number.
    pub fn phone_number_id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.phone_number_id = Some(id.into());
        self
    }

    /// The media id.
    pub fn id(&self) -> &MediaId {
        &self.id
    }
}

fn media_id_url(
    ctx: &ApiContext,
    id: &MediaId,
    phone: Option<&PhoneNumberId>,
) -> Result<Url, Error> {
    if id.as_str().trim().is_empty() {
        return Err(ValidationError::new("media_id", Violation::Empty).into());
    }
    let mut url = ctx.url(&[id.as_str()])?;
    if let Some(phone) = phone {
        url.query_pairs_mut()
            .append_pair("phone_number_id", phone.as_str());
    }
    Ok(url)
}

impl Endpoint for GetMedia {
    type Output = MediaInfo;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = media_id_url(ctx, &self.id, self.phone_number_id.as_ref())?;
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<MediaInfo, Error> {
        parse_json("media info", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// What Meta knows about a media object: a short-lived download URL, MIME type, SHA-256 and size.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MediaInfo {
    /// The download URL: valid 5 minutes, needs the bearer token.
    pub url: String,
    /// The MIME type.
    #[serde(default)]
    pub mime_type: String,
    /// The SHA-256 of the file, lower-case hex.
    #[serde(default)]
    pub sha256: Option<String>,
    /// The size in bytes (Meta sends a number; its documentation shows a string: both are accepted).
    #[serde(default, deserialize_with = "lenient_u64")]
    pub file_size: Option<u64>,
    /// The media id.
    pub id: MediaId,
    /// Always `whatsapp`.
    #[serde(default)]
    pub messaging_product: Option<String>,
}

fn lenient_u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumOrString {
        Num(u64),
        Str(String),
    }
    match Option::<NumOrString>::deserialize(deserializer)? {
        None => Ok(None),
        Some(NumOrString::Num(n)) => Ok(Some(n)),
        Some(NumOrString::Str(s)) => s.trim().parse::<u64>().map(Some).map_err(|_| {
            serde::de::Error::custom(format!("file_size {s:?} is not a whole number"))
        }),
    }
}

/// Deletes media: `DELETE /<MEDIA_ID>[?phone_number_id=...]`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct DeleteMedia {
    id: MediaId,
    phone_number_id: Option<PhoneNumberId>,
}

impl DeleteMedia {
    /// Deletes media `id`.
    pub fn new(id: impl Into<MediaId>) -> Self {
        Self {
            id: id.into(),
            phone_number_id: None,
        }
    }

    /// Only deletes if the media belongs to this business phone number.
    pub fn phone_number_id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.phone_number_id = Some(id.into());
        self
    }
}

impl Endpoint for DeleteMedia {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = media_id_url(ctx, &self.id, self.phone_number_id.as_ref())?;
        ctx.empty_request(http::Method::DELETE, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("media delete response", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

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

fn shorten(s: &str) -> String {
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
fn decode_digest(value: &str) -> Option<Vec<u8>> {
    if value.len() == 64
        && let Ok(bytes) = hex::decode(value)
    {
        return Some(bytes);
    }
    let bytes = decode_base64(value)?;
    (bytes.len() == 32).then_some(bytes)
}

fn decode_base64(value: &str) -> Option<Vec<u8>> {
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

/// The outcome of sending local media in one call: the uploaded media's id and Meta's send answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentMedia {
    /// The id of the uploaded media (reusable for 30 days).
    pub media_id: MediaId,
    /// The send response.
    pub response: crate::endpoint::messages::SendResponse,
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let body =
            b"xx whatsapp-cloud-boundary-00000000 yy whatsapp-cloud-boundary-00000001".to_vec();
        let b = boundary_for(&body);
        assert_eq!(b, "whatsapp-cloud-boundary-00000002");
    }

    #[test]
    fn file_size_is_accepted_as_number_or_string() {
        let a: MediaInfo = serde_json::from_str(
            r#"{"url":"u","mime_type":"image/png","file_size":103632,"id":"1"}"#,
        )
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
        fn only_meta_domains_and_their_subdomains_get_the_token(label in "[a-z0-9-]{1,20}", suffix in "[a-z]{2,10}") {
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
}
