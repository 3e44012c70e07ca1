//! Media messages: image, audio, video, document and sticker, each by uploaded media id or by link.

use crate::error::ValidationError;
use crate::ids::MediaId;
use crate::limits;
use serde::Serialize;
use serde_with::skip_serializing_none;

/// Where WhatsApp finds a media file: an uploaded media id, or an `http(s)` link it fetches itself.
///
/// Exactly one of the two is sent (`{"id": ...}` or `{"link": ...}`), which the type guarantees.
/// Meta caches a linked file for 10 minutes per exact URL.
///
/// ```
/// use whatsapp_cloud::message::MediaSource;
/// assert_eq!(serde_json::to_string(&MediaSource::id("1479537139650973"))?, r#"{"id":"1479537139650973"}"#);
/// assert_eq!(serde_json::to_string(&MediaSource::link("https://example.com/a.png"))?, r#"{"link":"https://example.com/a.png"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum MediaSource {
    /// An uploaded media id (`POST /<PHONE_NUMBER_ID>/media`).
    Id(MediaId),
    /// A public `http://` or `https://` URL.
    Link(String),
}

impl MediaSource {
    /// Media by uploaded id.
    pub fn id(id: impl Into<MediaId>) -> Self {
        Self::Id(id.into())
    }

    /// Media by public `http(s)` URL.
    pub fn link(url: impl Into<String>) -> Self {
        Self::Link(url.into())
    }

    /// Checks the id is a plain id and the link an `http(s)` URL; `path` is the media object's path.
    pub(crate) fn validate(&self, path: &str) -> Result<(), ValidationError> {
        match self {
            Self::Id(id) => limits::id_unbounded(&format!("{path}.id"), id.as_str()),
            Self::Link(link) => limits::http_url(&format!("{path}.link"), link),
        }
    }
}

impl From<MediaId> for MediaSource {
    fn from(value: MediaId) -> Self {
        Self::Id(value)
    }
}

impl From<url::Url> for MediaSource {
    fn from(value: url::Url) -> Self {
        Self::Link(value.into())
    }
}

fn check_caption(path: &str, caption: Option<&String>) -> Result<(), ValidationError> {
    match caption {
        Some(c) => limits::max_chars(&format!("{path}.caption"), c, limits::CAPTION_MAX),
        None => Ok(()),
    }
}

/// An image message (JPEG or PNG, at most 5 MB), with an optional caption.
///
/// ```
/// use whatsapp_cloud::message::Image;
/// let image = Image::from_link("https://example.com/shoes.jpg").caption("New arrivals 👟");
/// assert_eq!(
///     serde_json::to_value(&image)?,
///     serde_json::json!({"link": "https://example.com/shoes.jpg", "caption": "New arrivals 👟"})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Image {
    #[serde(flatten)]
    source: MediaSource,
    caption: Option<String>,
}

impl Image {
    /// An image from a media source.
    pub fn new(source: impl Into<MediaSource>) -> Self {
        Self {
            source: source.into(),
            caption: None,
        }
    }

    /// An uploaded image.
    pub fn from_id(id: impl Into<MediaId>) -> Self {
        Self::new(MediaSource::id(id))
    }

    /// An image WhatsApp fetches from `url`.
    pub fn from_link(url: impl Into<String>) -> Self {
        Self::new(MediaSource::link(url))
    }

    /// A caption (at most 1024 characters).
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    /// Where the file is.
    pub fn source(&self) -> &MediaSource {
        &self.source
    }

    /// Checks the source and caption length.
    ///
    /// # Errors
    /// `image.id`, `image.link` or `image.caption`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.source.validate("image")?;
        check_caption("image", self.caption.as_ref())
    }
}

/// A video message (MP4 or 3GPP, at most 16 MB), with an optional caption.
///
/// ```
/// use whatsapp_cloud::message::Video;
/// let video = Video::from_id("1166846181421424").caption("Unboxing");
/// assert_eq!(serde_json::to_value(&video)?, serde_json::json!({"id": "1166846181421424", "caption": "Unboxing"}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Video {
    #[serde(flatten)]
    source: MediaSource,
    caption: Option<String>,
}

impl Video {
    /// A video from a media source.
    pub fn new(source: impl Into<MediaSource>) -> Self {
        Self {
            source: source.into(),
            caption: None,
        }
    }

    /// An uploaded video.
    pub fn from_id(id: impl Into<MediaId>) -> Self {
        Self::new(MediaSource::id(id))
    }

    /// A video WhatsApp fetches from `url`.
    pub fn from_link(url: impl Into<String>) -> Self {
        Self::new(MediaSource::link(url))
    }

    /// A caption (at most 1024 characters).
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    /// Where the file is.
    pub fn source(&self) -> &MediaSource {
        &self.source
    }

    /// Checks the source and caption length.
    ///
    /// # Errors
    /// `video.id`, `video.link` or `video.caption`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.source.validate("video")?;
        check_caption("video", self.caption.as_ref())
    }
}

/// A document message (PDF, Office, plain text; at most 100 MB), with optional caption and file name.
///
/// The file name's extension decides the icon WhatsApp shows.
///
/// ```
/// use whatsapp_cloud::message::Document;
/// let doc = Document::from_link("https://example.com/invoice-42.pdf")
///     .filename("invoice-42.pdf")
///     .caption("Your invoice");
/// assert_eq!(
///     serde_json::to_value(&doc)?,
///     serde_json::json!({"link": "https://example.com/invoice-42.pdf", "caption": "Your invoice", "filename": "invoice-42.pdf"})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Document {
    #[serde(flatten)]
    source: MediaSource,
    caption: Option<String>,
    filename: Option<String>,
}

impl Document {
    /// A document from a media source.
    pub fn new(source: impl Into<MediaSource>) -> Self {
        Self {
            source: source.into(),
            caption: None,
            filename: None,
        }
    }

    /// An uploaded document.
    pub fn from_id(id: impl Into<MediaId>) -> Self {
        Self::new(MediaSource::id(id))
    }

    /// A document WhatsApp fetches from `url`.
    pub fn from_link(url: impl Into<String>) -> Self {
        Self::new(MediaSource::link(url))
    }

    /// A caption (at most 1024 characters).
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    /// The file name shown to the user; its extension decides the icon.
    pub fn filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = Some(filename.into());
        self
    }

    /// Where the file is.
    pub fn source(&self) -> &MediaSource {
        &self.source
    }

    /// Checks the source, caption length and file name.
    ///
    /// # Errors
    /// `document.id`, `document.link`, `document.caption` or `document.filename` (blank).
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.source.validate("document")?;
        check_caption("document", self.caption.as_ref())?;
        if let Some(name) = &self.filename {
            limits::non_blank("document.filename", name)?;
        }
        Ok(())
    }
}

/// An audio message (AAC, AMR, MP3, M4A or OGG/OPUS; at most 16 MB). No caption: Meta does not allow one.
///
/// ```
/// use whatsapp_cloud::message::Audio;
/// let note = Audio::from_id("1013859600285441").voice(true);
/// assert_eq!(serde_json::to_value(&note)?, serde_json::json!({"id": "1013859600285441", "voice": true}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Audio {
    #[serde(flatten)]
    source: MediaSource,
    voice: Option<bool>,
}

impl Audio {
    /// Audio from a media source.
    pub fn new(source: impl Into<MediaSource>) -> Self {
        Self {
            source: source.into(),
            voice: None,
        }
    }

    /// Uploaded audio.
    pub fn from_id(id: impl Into<MediaId>) -> Self {
        Self::new(MediaSource::id(id))
    }

    /// Audio WhatsApp fetches from `url`.
    pub fn from_link(url: impl Into<String>) -> Self {
        Self::new(MediaSource::link(url))
    }

    /// Sends the file as a voice note (`.ogg` with the OPUS codec; the play icon shows up to 512 KB).
    pub fn voice(mut self, voice: bool) -> Self {
        self.voice = Some(voice);
        self
    }

    /// Where the file is.
    pub fn source(&self) -> &MediaSource {
        &self.source
    }

    /// Checks the source.
    ///
    /// # Errors
    /// `audio.id` or `audio.link`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.source.validate("audio")
    }
}

/// A sticker message (WebP, 512×512 px; static ≤ 100 KB, animated ≤ 500 KB). No caption.
///
/// ```
/// use whatsapp_cloud::message::Sticker;
/// let s = Sticker::from_link("https://example.com/hello.webp");
/// assert_eq!(serde_json::to_value(&s)?, serde_json::json!({"link": "https://example.com/hello.webp"}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Sticker {
    #[serde(flatten)]
    source: MediaSource,
}

impl Sticker {
    /// A sticker from a media source.
    pub fn new(source: impl Into<MediaSource>) -> Self {
        Self {
            source: source.into(),
        }
    }

    /// An uploaded sticker.
    pub fn from_id(id: impl Into<MediaId>) -> Self {
        Self::new(MediaSource::id(id))
    }

    /// A sticker WhatsApp fetches from `url`.
    pub fn from_link(url: impl Into<String>) -> Self {
        Self::new(MediaSource::link(url))
    }

    /// Where the file is.
    pub fn source(&self) -> &MediaSource {
        &self.source
    }

    /// Checks the source.
    ///
    /// # Errors
    /// `sticker.id` or `sticker.link`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.source.validate("sticker")
    }
}

macro_rules! into_message {
    ($($ty:ident),*) => {$(
        impl From<$ty> for super::Message {
            fn from(value: $ty) -> Self {
                super::Message::$ty(value)
            }
        }
    )*};
}

into_message!(Image, Video, Document, Audio, Sticker);
