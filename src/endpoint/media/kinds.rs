//! Meta's media kinds: MIME types, size limits and the checks before an upload.

use crate::error::{ValidationError, Violation};
use crate::limits;
use std::fmt;

pub(super) const KIB: u64 = 1024;
pub(super) const MIB: u64 = 1024 * 1024;

/// The kinds of media the Cloud API accepts, each with its MIME types and size limit.
///
/// Sizes follow Meta's media page: audio 16 MB, document 100 MB, image 5 MB, video 16 MB, sticker
/// 100 KB static / 500 KB animated (constants in [`crate::limits`]). "MB" is read as MiB, so a file
/// Meta accepts is never refused here.
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

pub(super) const AUDIO_TYPES: &[&str] = &[
    "audio/aac",
    "audio/amr",
    "audio/mpeg",
    "audio/mp4",
    "audio/ogg",
];
pub(super) const DOCUMENT_TYPES: &[&str] = &[
    "text/plain",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/pdf",
];
pub(super) const IMAGE_TYPES: &[&str] = &["image/jpeg", "image/png"];
pub(super) const STICKER_TYPES: &[&str] = &["image/webp"];
pub(super) const VIDEO_TYPES: &[&str] = &["video/3gpp", "video/mp4"];

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
            MediaKind::Audio => limits::MEDIA_AUDIO_MAX,
            MediaKind::Video => limits::MEDIA_VIDEO_MAX,
            MediaKind::Document => limits::MEDIA_DOCUMENT_MAX,
            MediaKind::Image => limits::MEDIA_IMAGE_MAX,
            MediaKind::Sticker => limits::STICKER_ANIMATED_MAX,
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
            (limits::STICKER_STATIC_MAX, "static sticker".to_owned())
        }
        (MediaKind::Sticker, Some(_)) => {
            (limits::STICKER_ANIMATED_MAX, "animated sticker".to_owned())
        }
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

pub(super) fn human_size(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{} KiB", bytes / KIB)
    }
}
