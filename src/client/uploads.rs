//! Resumable uploads over the client: a file or any `AsyncRead` streamed in chunks to Meta's
//! Resumable Upload API, resumed from the offset Meta holds after an interruption.

use super::run::{RequestInfo, Run};
use super::{Client, Prepared};
use crate::endpoint::uploads::{
    ChunkOutcome, GetUploadStatus, StartUpload, UploadChunk, check_upload_type,
};
use crate::endpoint::{Endpoint, Idempotency};
use crate::error::{DecodeError, Error};
use crate::ids::{HeaderHandle, UploadSessionId};
use crate::retry::Step;
use std::fmt;
use std::path::PathBuf;
use tokio::io::{AsyncRead, AsyncReadExt};

/// The chunk size of a resumable upload unless set with [`UploadSource::chunk_size`]: 4 MiB.
pub const DEFAULT_UPLOAD_CHUNK_SIZE: usize = 4 * 1024 * 1024;

/// Where a resumable upload reads its bytes: a file, or any `AsyncRead` of known length.
///
/// The bytes are read one chunk at a time, and a chunk is read only once Meta holds the one before:
/// memory stays at one chunk whatever the file's size.
///
/// ```
/// use whatsapp_cloud::client::UploadSource;
/// let from_file = UploadSource::file("clinic.jpg").chunk_size(1024 * 1024);
/// let from_memory = UploadSource::reader(std::io::Cursor::new(vec![0u8; 10]), 10);
/// # let _ = (from_file, from_memory);
/// ```
#[must_use]
pub struct UploadSource {
    kind: SourceKind,
    chunk_size: usize,
}

enum SourceKind {
    File(PathBuf),
    Reader {
        reader: Box<dyn AsyncRead + Send + Unpin>,
        length: u64,
    },
}

impl fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("UploadSource");
        match &self.kind {
            SourceKind::File(path) => out.field("file", path),
            SourceKind::Reader { length, .. } => out.field("reader_length", length),
        };
        out.field("chunk_size", &self.chunk_size).finish()
    }
}

impl UploadSource {
    /// The file at `path` (its length is read from the file system).
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self {
            kind: SourceKind::File(path.into()),
            chunk_size: DEFAULT_UPLOAD_CHUNK_SIZE,
        }
    }

    /// `length` bytes from `reader`; a reader that ends sooner fails the upload.
    pub fn reader(reader: impl AsyncRead + Send + Unpin + 'static, length: u64) -> Self {
        Self {
            kind: SourceKind::Reader {
                reader: Box::new(reader),
                length,
            },
            chunk_size: DEFAULT_UPLOAD_CHUNK_SIZE,
        }
    }

    /// The bytes sent per request (at least 1; default [`DEFAULT_UPLOAD_CHUNK_SIZE`]). A chunk must
    /// upload within the client's request timeout. A size at or above the file's length sends the
    /// whole file in one request, as Meta's guide shows.
    pub fn chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = bytes.max(1);
        self
    }

    async fn open(self) -> Result<(Box<dyn AsyncRead + Send + Unpin>, u64, usize), Error> {
        match self.kind {
            SourceKind::File(path) => {
                let file = tokio::fs::File::open(&path).await?;
                let length = file.metadata().await?.len();
                Ok((Box::new(file), length, self.chunk_size))
            }
            SourceKind::Reader { reader, length } => Ok((reader, length, self.chunk_size)),
        }
    }
}

impl Client {
    /// Uploads a file with Meta's Resumable Upload API and returns its [`HeaderHandle`], for a
    /// template's media header example or the business profile picture.
    ///
    /// - `app_id` is your Meta app's id (the token's user must be its admin or developer);
    ///   `mime_type` one of PDF, JPEG, PNG or MP4, checked before anything is sent.
    /// - The bytes go in chunks ([`UploadSource::chunk_size`]), each read only when Meta holds the
    ///   previous one: the file is never held whole in memory.
    /// - When a chunk fails on the way (connection dropped, timeout, 5xx, rate limit), the client
    ///   asks Meta how many bytes it holds and sends the rest from there, waiting and giving up as
    ///   its retry policy says (per chunk).
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::client::UploadSource;
    /// use whatsapp_cloud::endpoint::templates::HeaderComponent;
    /// use whatsapp_cloud::endpoint::templates::HeaderFormat;
    ///
    /// let handle = client
    ///     .upload_resumable("1234567890", "clinic.jpg", "image/jpeg", UploadSource::file("clinic.jpg"))
    ///     .await?;
    /// let header = HeaderComponent::media_example(HeaderFormat::Image, handle);
    /// # let _ = header;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`] for a type Meta does not take or an empty file, [`Error::Io`] when the
    /// source cannot be read or ends early, API and transport errors once the retries are spent, and
    /// [`Error::Decode`] when Meta's offsets make no sense (it holds bytes this upload never sent).
    pub async fn upload_resumable(
        &self,
        app_id: &str,
        file_name: &str,
        mime_type: &str,
        source: UploadSource,
    ) -> Result<HeaderHandle, Error> {
        check_upload_type(mime_type)?;
        let (mut reader, length, chunk_size) = source.open().await?;
        let start = StartUpload::new(app_id, file_name, length, mime_type);
        start.validate()?;
        let session = self.send(&start).await?.id;
        let mut held: u64 = 0;
        loop {
            let want = clamp_len(length - held).min(chunk_size);
            // The one copy of this chunk in memory: requests send slices of it.
            let mut buffer: Vec<u8> = Vec::with_capacity(want);
            read_chunk(&mut reader, &mut buffer, want, held, length).await?;
            let buffer = bytes::Bytes::from(buffer);
            let end = held + buffer.len() as u64;
            let mut from = held;
            loop {
                match self.send_chunk(&session, held, &buffer, &mut from).await? {
                    ChunkOutcome::Complete(handle) => return Ok(handle),
                    ChunkOutcome::Received { file_offset } => {
                        let now = file_offset.unwrap_or(end);
                        if now >= end {
                            break;
                        }
                        if now <= from {
                            return Err(offset_error(now, from, end));
                        }
                        from = now;
                    }
                }
            }
            held = end;
            if held >= length {
                return Err(Error::Decode(DecodeError::new(
                    "upload chunk response",
                    format!("Meta holds all {length} bytes but answered no file handle"),
                    b"",
                )));
            }
        }
    }

    /// Sends `chunk` (which starts at `start`) from `*from`, under the retry policy: after a failed
    /// attempt, asks Meta where the file stands and sends the rest from there.
    async fn send_chunk(
        &self,
        session: &UploadSessionId,
        start: u64,
        chunk: &bytes::Bytes,
        from: &mut u64,
    ) -> Result<ChunkOutcome, Error> {
        let method = http::Method::POST;
        let info = RequestInfo {
            method: &method,
            path: "/upload",
            recipient: None,
        };
        let mut run = Run::new(&self.shared, &self.ctx, info, Idempotency::Idempotent);
        let mut resuming = false;
        loop {
            match run.next_step() {
                Step::Send { .. } => {
                    let outcome = self
                        .chunk_attempt(session, start, chunk, from, resuming)
                        .await;
                    resuming = true;
                    run.record(outcome);
                }
                Step::SleepUntil(at) => self.shared.timer.sleep_until(at).await,
                Step::Done(result) => return result,
            }
        }
    }

    async fn chunk_attempt(
        &self,
        session: &UploadSessionId,
        start: u64,
        chunk: &bytes::Bytes,
        from: &mut u64,
        resuming: bool,
    ) -> Result<ChunkOutcome, Error> {
        let end = start + chunk.len() as u64;
        if resuming {
            let held = self.send(&GetUploadStatus::new(session.clone())).await?;
            if held.file_offset < start || held.file_offset > end {
                return Err(offset_error(held.file_offset, start, end));
            }
            *from = held.file_offset;
        }
        let skip = usize::try_from(*from - start)
            .unwrap_or(chunk.len())
            .min(chunk.len());
        // The request is built without its body, which is then a slice of the chunk (not a copy).
        let endpoint = UploadChunk::new(session.clone(), *from, Vec::new());
        let mut request = Prepared::new(endpoint.to_request(&self.ctx)?, &self.ctx)?;
        request.body = chunk.slice(skip..);
        endpoint.parse_response(self.execute_once(&request).await?)
    }
}

/// Reads exactly `want` bytes into `buffer`, or fails naming how far the source got.
async fn read_chunk(
    reader: &mut (dyn AsyncRead + Send + Unpin),
    buffer: &mut Vec<u8>,
    want: usize,
    held: u64,
    length: u64,
) -> Result<(), Error> {
    let mut limited = AsyncReadExt::take(reader, want as u64);
    limited.read_to_end(buffer).await?;
    if buffer.len() < want {
        return Err(Error::Io(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!(
                "the upload source ended after {} of its declared {length} bytes",
                held + buffer.len() as u64
            ),
        )));
    }
    Ok(())
}

fn clamp_len(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

fn offset_error(held: u64, start: u64, end: u64) -> Error {
    Error::Decode(DecodeError::new(
        "upload status response",
        format!(
            "Meta holds {held} bytes of the file, outside the chunk from byte {start} to {end} \
             this upload can still send"
        ),
        b"",
    ))
}
