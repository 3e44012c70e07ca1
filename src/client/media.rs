//! Media over the client: streaming uploads from files and streams, streaming downloads into any
//! `AsyncWrite`, and sending local media in one call.
//!
//! Transfers get a per-request timeout of at least [`MEDIA_TIMEOUT_FLOOR`], since a 100 MB document
//! takes longer than the client's default 30 s.

use super::{Client, transport_error};
use crate::endpoint::media::{
    DeleteMedia, DownloadSource, DownloadedMedia, GetMedia, MediaInfo, MediaKind, SentMedia,
    UploadMedia, UploadedMedia, check_media, default_filename, is_expired_url_status,
    media_get_request, mime_essence, mime_for_file_name, parse_media_url, sanitize_filename,
    verify_digest,
};
use crate::endpoint::{Success, check_status, parse_json};
use crate::error::{Error, TransportError, ValidationError, Violation};
use crate::ids::{MediaId, Recipient};
use crate::message::{Audio, Document, Image, Message, SendMessage, Sticker, Video};
use crate::webhook::InboundMedia;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The smallest per-request timeout of a media upload or download.
pub(crate) const MEDIA_TIMEOUT_FLOOR: Duration = Duration::from_secs(600);

/// Largest single write into the download target and largest upload chunk.
const CHUNK: usize = 64 * 1024;

impl Client {
    fn media_timeout(&self) -> Duration {
        self.timeout
            .map_or(MEDIA_TIMEOUT_FLOOR, |t| t.max(MEDIA_TIMEOUT_FLOOR))
    }

    /// Uploads media held in memory (see [`UploadMedia`] to set a file name or kind).
    ///
    /// # Errors
    /// [`Error::Validation`] when the MIME type or size breaks Meta's table, then API and transport errors.
    pub async fn upload_media(
        &self,
        bytes: impl Into<Vec<u8>>,
        mime_type: impl Into<String>,
    ) -> Result<UploadedMedia, Error> {
        self.send(&UploadMedia::new(bytes, mime_type)).await
    }

    /// Uploads a file, streamed from disk (never held whole in memory).
    ///
    /// The MIME type is taken from `mime_type`, or else from the file's extension; it and the file's
    /// size are checked against Meta's table before anything is sent.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// let uploaded = client.upload_media_file("invoice.pdf", None).await?;
    /// println!("media id {}", uploaded.id);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, [`Error::Validation`] for an unknown or unsupported
    /// type or a size over the limit, then API and transport errors.
    pub async fn upload_media_file(
        &self,
        path: impl AsRef<Path>,
        mime_type: Option<&str>,
    ) -> Result<UploadedMedia, Error> {
        let path = path.as_ref();
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("file")
            .to_owned();
        let mime = resolve_mime(mime_type, &file_name)?;
        let mut file = tokio::fs::File::open(path).await?;
        let len = file.metadata().await?.len();
        let mut head = [0u8; 32];
        let head_len = read_head(&mut file, &mut head).await?;
        check_media(None, &mime, len, Some(&head[..head_len]))?;
        let first = Bytes::copy_from_slice(&head[..head_len]);
        let rest = futures_util::stream::unfold(file, |mut file| async move {
            let mut buf = vec![0u8; CHUNK];
            match file.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    Some((Ok(Bytes::from(buf)), file))
                }
                Err(e) => Some((Err(e), file)),
            }
        });
        let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(first)]).chain(rest);
        self.upload_stream_checked(stream, len, &mime, &file_name)
            .await
    }

    /// Uploads media from a stream of chunks of known total `length`.
    ///
    /// The type and `length` are checked before anything is sent; a stream that yields more than
    /// `length` bytes is cut off with an error.
    ///
    /// # Errors
    /// [`Error::Validation`] for an unsupported type or a size over the limit, then API, transport and
    /// stream errors.
    pub async fn upload_media_stream<S>(
        &self,
        stream: S,
        length: u64,
        mime_type: &str,
        filename: &str,
    ) -> Result<UploadedMedia, Error>
    where
        S: Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    {
        check_media(None, mime_type, length, None)?;
        self.upload_stream_checked(stream, length, mime_type, filename)
            .await
    }

    async fn upload_stream_checked<S>(
        &self,
        stream: S,
        length: u64,
        mime_type: &str,
        filename: &str,
    ) -> Result<UploadedMedia, Error>
    where
        S: Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    {
        let ctx = self.context();
        let url = ctx.url(&[ctx.require_phone_number_id()?.as_str(), "media"])?;
        let mime = mime_essence(mime_type);
        let mut sent: u64 = 0;
        let guarded = stream.map(move |chunk| {
            let chunk = chunk?;
            sent += chunk.len() as u64;
            if sent > length {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("the upload stream yielded more than the declared {length} bytes"),
                ));
            }
            Ok(chunk)
        });
        let filename = if filename.trim().is_empty() {
            default_filename(&mime)
        } else {
            sanitize_filename(filename)
        };
        let part = reqwest::multipart::Part::stream_with_length(
            reqwest::Body::wrap_stream(guarded),
            length,
        )
        .file_name(filename)
        .mime_str(&mime)
        .map_err(|e| {
            Error::Validation(ValidationError::new(
                "type",
                Violation::Invalid {
                    value: format!("{mime} ({e})"),
                    expected: "a valid MIME type".to_owned(),
                },
            ))
        })?;
        let form = reqwest::multipart::Form::new()
            .text("messaging_product", "whatsapp")
            .text("type", mime.clone())
            .part("file", part);
        let started = Instant::now();
        let response = self
            .http()
            .post(url.as_str())
            .bearer_auth(ctx.access_token().expose_secret())
            .header(http::header::USER_AGENT, ctx.user_agent())
            .timeout(self.media_timeout())
            .multipart(form)
            .send()
            .await
            .map_err(|e| transport_error(e, started))?;
        let response = read_small_response(response, started).await?;
        parse_json("media upload response", response)
    }

    /// Looks up media: its short-lived URL, MIME type, SHA-256 and size.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn media_info(&self, id: impl Into<MediaId>) -> Result<MediaInfo, Error> {
        self.send(&GetMedia::new(id)).await
    }

    /// Deletes media.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn delete_media(&self, id: impl Into<MediaId>) -> Result<Success, Error> {
        self.send(&DeleteMedia::new(id)).await
    }

    /// Downloads media by id or URL into `writer`, streaming: at most 64 KiB is held at a time.
    ///
    /// - By id, the URL is looked up first. By URL (an inbound webhook's `url`), it is used directly.
    /// - The bearer token is sent only to Meta's media hosts and the configured base URL's host
    ///   ([`is_trusted_media_host`](crate::endpoint::media::is_trusted_media_host)); a redirect to
    ///   another host does not carry it either.
    /// - When the URL has expired (401, 403 or 404) and the id is known, a fresh URL is fetched once.
    /// - The bytes are checked against the SHA-256 Meta reported (or the one in the source).
    /// - The request may take up to 10 minutes (or the client's timeout, if longer).
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::MediaId;
    /// let mut file = tokio::fs::File::create("photo.jpg").await?;
    /// let done = client.download_media(MediaId::from("1227829768162607"), &mut file).await?;
    /// println!("{} bytes, sha256 {}", done.bytes_written, done.sha256);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// API errors from the lookup or the media host, transport errors, [`Error::Io`] from the writer,
    /// and a [`ChecksumMismatch`](crate::endpoint::media::ChecksumMismatch) (inside [`Error::Io`]) when
    /// the bytes do not match: what was written so far stays in the writer and must be discarded.
    pub async fn download_media<W>(
        &self,
        source: impl Into<DownloadSource>,
        writer: &mut W,
    ) -> Result<DownloadedMedia, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let source = source.into();
        let mut mime_type = None;
        let mut expected = source.sha256().map(str::to_owned);
        let mut url = match source.url_str() {
            Some(url) => url.to_owned(),
            None => {
                let id = source.media_id().ok_or_else(|| {
                    Error::Validation(ValidationError::new(
                        "media",
                        Violation::ExactlyOneOf {
                            fields: vec!["id".into(), "url".into()],
                            set: 0,
                        },
                    ))
                })?;
                let info = self.send(&GetMedia::new(id.clone())).await?;
                expected = expected.or(info.sha256);
                mime_type = Some(info.mime_type).filter(|m| !m.is_empty());
                info.url
            }
        };
        let mut refreshed = false;
        loop {
            let parsed = parse_media_url(&url)?;
            let request = media_get_request(self.context(), &parsed)?;
            let mut request = reqwest::Request::try_from(request).map_err(|e| {
                Error::Transport(TransportError::new(
                    "the download request could not be prepared",
                    false,
                    Some(Box::new(e)),
                ))
            })?;
            *request.timeout_mut() = Some(self.media_timeout());
            let started = Instant::now();
            let mut response = self
                .http()
                .execute(request)
                .await
                .map_err(|e| transport_error(e, started))?;
            if is_expired_url_status(response.status())
                && !refreshed
                && let Some(id) = source.media_id()
            {
                let info = self.send(&GetMedia::new(id.clone())).await?;
                url = info.url;
                expected = source.sha256().map(str::to_owned).or(info.sha256);
                mime_type = Some(info.mime_type).filter(|m| !m.is_empty());
                refreshed = true;
                continue;
            }
            if !response.status().is_success() {
                let response = read_small_response(response, started).await?;
                return Err(match check_status(response) {
                    Err(e) => e,
                    Ok(_) => Error::config("internal: a failed status passed the check"),
                });
            }
            if mime_type.is_none() {
                mime_type = response
                    .headers()
                    .get(http::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
            }
            let mut hasher = Sha256::new();
            let mut written: u64 = 0;
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| transport_error(e, started))?
            {
                hasher.update(&chunk);
                for piece in chunk.chunks(CHUNK) {
                    writer.write_all(piece).await?;
                }
                written += chunk.len() as u64;
            }
            writer.flush().await?;
            let sha256 = verify_digest(expected.as_deref(), &hasher.finalize(), written)?;
            return Ok(DownloadedMedia {
                bytes_written: written,
                sha256,
                mime_type,
                media_id: source.media_id().cloned(),
                refreshed_url: refreshed,
            });
        }
    }

    /// Downloads media into a new file at `path` (streamed, SHA-256 checked). On any failure the
    /// partial file is removed, so a file that exists afterwards is complete and verified.
    ///
    /// # Errors
    /// As [`Client::download_media`], plus [`Error::Io`] when the file cannot be created.
    pub async fn download_media_to_file(
        &self,
        source: impl Into<DownloadSource>,
        path: impl AsRef<Path>,
    ) -> Result<DownloadedMedia, Error> {
        let path = path.as_ref();
        let mut file = tokio::fs::File::create(path).await?;
        let result = self.download_media(source, &mut file).await;
        drop(file);
        if result.is_err() {
            // Best effort: the download error is what the caller needs to see.
            let _ = tokio::fs::remove_file(path).await;
        }
        result
    }

    /// Uploads a local file and sends it as a `kind` message (by the new media id) in one call.
    ///
    /// The caption (image, video and document only; at most 1024 characters) and the file are checked
    /// before the upload, so a bad request uploads nothing. Documents carry the file's name.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::endpoint::media::MediaKind;
    /// let sent = client
    ///     .send_local_media("+16315551234", "menu.pdf", MediaKind::Document, Some("Today's menu"))
    ///     .await?;
    /// println!("media {} sent as {:?}", sent.media_id, sent.response.message_id());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// Validation errors before anything is sent; then the upload's and the send's errors.
    pub async fn send_local_media(
        &self,
        to: impl Into<Recipient>,
        path: impl AsRef<Path>,
        kind: MediaKind,
        caption: Option<&str>,
    ) -> Result<SentMedia, Error> {
        let to = to.into();
        let path = path.as_ref();
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("file")
            .to_owned();
        let build = |id: MediaId| -> Result<SendMessage, Error> {
            let message: Message = match kind {
                MediaKind::Image => {
                    with_caption(Image::from_id(id), caption, Image::caption).into()
                }
                MediaKind::Video => {
                    with_caption(Video::from_id(id), caption, Video::caption).into()
                }
                MediaKind::Document => with_caption(
                    Document::from_id(id).filename(file_name.clone()),
                    caption,
                    Document::caption,
                )
                .into(),
                MediaKind::Audio | MediaKind::Sticker => {
                    if let Some(caption) = caption {
                        return Err(ValidationError::new(
                            format!("{}.caption", kind.as_str()),
                            Violation::Invalid {
                                value: caption.chars().take(40).collect(),
                                expected:
                                    "no caption: only image, video and document messages take one"
                                        .to_owned(),
                            },
                        )
                        .into());
                    }
                    if kind == MediaKind::Audio {
                        Audio::from_id(id).into()
                    } else {
                        Sticker::from_id(id).into()
                    }
                }
            };
            let send = SendMessage::new(to.clone(), message);
            send.validate()?;
            Ok(send)
        };
        // The whole message is validated with a stand-in id before anything is uploaded.
        let _validated = build(MediaId::from("0"))?;
        let mime = resolve_mime(None, &file_name)?;
        let meta = tokio::fs::metadata(path).await?;
        let head = read_file_head(path).await?;
        check_media(Some(kind), &mime, meta.len(), Some(&head))?;
        let uploaded = self.upload_media_file(path, Some(&mime)).await?;
        let response = self.send(&build(uploaded.id.clone())?).await?;
        Ok(SentMedia {
            media_id: uploaded.id,
            response,
        })
    }

    /// Downloads the media of an inbound message (image, audio, video, document, sticker) in one
    /// call: by its `url` when the webhook carried one (refreshed through its id if expired), else by
    /// its id, checked against the webhook's SHA-256.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client, body: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
    /// use whatsapp_cloud::webhook::{Event, MessageContent, Payload};
    /// for event in Payload::from_slice(body)?.events() {
    ///     if let Event::Message(msg) = event {
    ///         if let MessageContent::Image(image) = msg.content() {
    ///             let mut out = tokio::fs::File::create(format!("{}.jpg", image.id)).await?;
    ///             client.download_inbound_media(image, &mut out).await?;
    ///         }
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`Client::download_media`].
    pub async fn download_inbound_media<W>(
        &self,
        media: &InboundMedia,
        writer: &mut W,
    ) -> Result<DownloadedMedia, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        self.download_media(DownloadSource::from(media), writer)
            .await
    }
}

fn with_caption<T>(value: T, caption: Option<&str>, set: fn(T, String) -> T) -> T {
    match caption {
        Some(c) => set(value, c.to_owned()),
        None => value,
    }
}

fn resolve_mime(given: Option<&str>, file_name: &str) -> Result<String, Error> {
    match given {
        Some(m) if !m.trim().is_empty() => Ok(m.trim().to_owned()),
        _ => mime_for_file_name(file_name)
            .map(str::to_owned)
            .ok_or_else(|| {
                Error::Validation(ValidationError::new(
                    "type",
                    Violation::Invalid {
                        value: file_name.to_owned(),
                        expected: "a file extension Meta accepts (jpg, png, webp, mp4, 3gp, aac, amr, mp3, m4a, ogg, txt, pdf, doc(x), xls(x), ppt(x)) or an explicit MIME type".to_owned(),
                    },
                ))
            }),
    }
}

async fn read_head(file: &mut tokio::fs::File, head: &mut [u8]) -> Result<usize, Error> {
    let mut filled = 0;
    while filled < head.len() {
        let n = file.read(&mut head[filled..]).await?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    Ok(filled)
}

async fn read_file_head(path: &Path) -> Result<Vec<u8>, Error> {
    let mut file = tokio::fs::File::open(path).await?;
    let mut head = [0u8; 32];
    let n = read_head(&mut file, &mut head).await?;
    Ok(head[..n].to_vec())
}

/// Reads an answer of bounded size (an upload's JSON, an error page): at most 1 MiB is kept.
async fn read_small_response(
    mut response: reqwest::Response,
    started: Instant,
) -> Result<http::Response<Vec<u8>>, Error> {
    const LIMIT: usize = 1024 * 1024;
    let status = response.status();
    let headers = response.headers().clone();
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| transport_error(e, started))?
    {
        let room = LIMIT.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= LIMIT {
            break;
        }
    }
    let mut out = http::Response::new(body);
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    Ok(out)
}
