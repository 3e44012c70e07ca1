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

mod download;
mod info;
mod kinds;
#[cfg(test)]
mod tests;
mod upload;

pub use download::{
    ChecksumMismatch, DownloadMedia, DownloadSource, DownloadedBytes, DownloadedMedia,
    TRUSTED_MEDIA_DOMAINS, is_expired_url_status, is_trusted_media_host, parse_media_url,
};
#[cfg(feature = "client")]
pub(crate) use download::{media_get_request, verify_digest};
pub use info::{DeleteMedia, GetMedia, MediaInfo};
pub use kinds::{MediaKind, check_media, mime_essence, mime_for_file_name, webp_is_animated};
pub use upload::{SentMedia, UploadMedia, UploadedMedia};
#[cfg(feature = "client")]
pub(crate) use upload::{default_filename, sanitize_filename};
pub(crate) use upload::{multipart_form, multipart_request};
