//! Uploading media: `UploadMedia`, its multipart body, and the result of an upload-and-send.

use super::*;
use crate::endpoint::{ApiContext, Endpoint, parse_json};
use crate::error::{Error, ValidationError};
use crate::ids::MediaId;
use serde::{Deserialize, Serialize};
use std::fmt;

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

/// A `POST` of a `multipart/form-data` body: the text `fields` in order, then the part `file` named
/// `filename` with content type `mime`.
pub(crate) fn multipart_request(
    ctx: &ApiContext,
    url: &url::Url,
    fields: &[(&str, &str)],
    filename: &str,
    mime: &str,
    bytes: &[u8],
) -> Result<http::Request<Vec<u8>>, Error> {
    multipart_form(ctx, url, fields, Some(("file", filename, mime, bytes)))
}

/// A `POST` of a `multipart/form-data` body: the text `fields` in order, then, when given, one file
/// part `(part name, file name, content type, bytes)`.
pub(crate) fn multipart_form(
    ctx: &ApiContext,
    url: &url::Url,
    fields: &[(&str, &str)],
    file: Option<(&str, &str, &str, &[u8])>,
) -> Result<http::Request<Vec<u8>>, Error> {
    let file_bytes = file.map_or(&[][..], |(_, _, _, bytes)| bytes);
    let text_len: usize = fields.iter().map(|(_, v)| v.len()).sum();
    let mut boundary = boundary_for(file_bytes);
    if fields.iter().any(|(_, v)| v.contains(&boundary)) {
        // Rare: a text field holds the boundary too; pick one absent from everything.
        let mut all = file_bytes.to_vec();
        fields
            .iter()
            .for_each(|(_, v)| all.extend_from_slice(v.as_bytes()));
        boundary = boundary_for(&all);
    }
    let mut body = Vec::with_capacity(file_bytes.len() + text_len + 512);
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((part, filename, mime, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{part}\"; filename=\"{filename}\"\r\nContent-Type: {mime}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    ctx.request_builder(http::Method::POST, url)
        .header(
            http::header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .map_err(|e| ctx.request_build_error(e))
}

/// The multipart boundary for `body`: a fixed prefix and a counter, changed until it is not in the body.
pub(super) fn boundary_for(body: &[u8]) -> String {
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
        let mime = mime_essence(&self.mime_type);
        let filename = sanitize_filename(
            &self
                .filename
                .clone()
                .unwrap_or_else(|| default_filename(&mime)),
        );
        multipart_request(
            ctx,
            &url,
            &[("messaging_product", "whatsapp"), ("type", &mime)],
            &filename,
            &mime,
            &self.bytes,
        )
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

/// The outcome of sending local media in one call: the uploaded media's id and Meta's send answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentMedia {
    /// The id of the uploaded media (reusable for 30 days).
    pub media_id: MediaId,
    /// The send response.
    pub response: crate::endpoint::messages::SendResponse,
}
