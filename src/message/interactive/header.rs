//! The header of an interactive message: text or media.

use crate::error::ValidationError;
use crate::limits;
use crate::message::media::MediaSource;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_with::skip_serializing_none;

/// The header of an interactive message: text (at most 60 characters) or media.
///
/// List messages take only a text header; single-product messages take none.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Header {
    /// A text header.
    Text(String),
    /// An image header.
    Image(MediaSource),
    /// A video header.
    Video(MediaSource),
    /// A document header, with an optional file name.
    Document {
        /// Where the file is.
        source: MediaSource,
        /// The file name shown to the user.
        filename: Option<String>,
    },
}

impl Header {
    /// A text header (at most 60 characters).
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    /// An image header.
    pub fn image(source: impl Into<MediaSource>) -> Self {
        Self::Image(source.into())
    }

    /// A video header.
    pub fn video(source: impl Into<MediaSource>) -> Self {
        Self::Video(source.into())
    }

    /// A document header.
    pub fn document(source: impl Into<MediaSource>) -> Self {
        Self::Document {
            source: source.into(),
            filename: None,
        }
    }

    /// A document header with the file name shown to the user.
    pub fn document_with_filename(
        source: impl Into<MediaSource>,
        filename: impl Into<String>,
    ) -> Self {
        Self::Document {
            source: source.into(),
            filename: Some(filename.into()),
        }
    }

    pub(super) fn type_name(&self) -> &'static str {
        match self {
            Self::Text(_) => "text",
            Self::Image(_) => "image",
            Self::Video(_) => "video",
            Self::Document { .. } => "document",
        }
    }

    pub(super) fn validate(&self) -> Result<(), ValidationError> {
        match self {
            Self::Text(text) => {
                limits::required_text("interactive.header.text", text, limits::HEADER_TEXT_MAX)
            }
            Self::Image(source) => source.validate("interactive.header.image"),
            Self::Video(source) => source.validate("interactive.header.video"),
            Self::Document { source, filename } => {
                source.validate("interactive.header.document")?;
                if let Some(name) = filename {
                    limits::non_blank("interactive.header.document.filename", name)?;
                }
                Ok(())
            }
        }
    }
}

impl Serialize for Header {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[skip_serializing_none]
        #[derive(Serialize)]
        struct Doc<'a> {
            #[serde(flatten)]
            source: &'a MediaSource,
            filename: Option<&'a String>,
        }
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("type", self.type_name())?;
        match self {
            Self::Text(text) => map.serialize_entry("text", text)?,
            Self::Image(source) => map.serialize_entry("image", source)?,
            Self::Video(source) => map.serialize_entry("video", source)?,
            Self::Document { source, filename } => map.serialize_entry(
                "document",
                &Doc {
                    source,
                    filename: filename.as_ref(),
                },
            )?,
        }
        map.end()
    }
}

impl From<&str> for Header {
    fn from(value: &str) -> Self {
        Header::text(value)
    }
}

impl From<String> for Header {
    fn from(value: String) -> Self {
        Header::text(value)
    }
}
