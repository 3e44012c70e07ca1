//! Media and locations the user sent.

use crate::ids::MediaId;
use crate::webhook::lenient::{f64_any, opt_u64_any};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// Media the user sent: image, audio, video, document or sticker.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InboundMedia {
    /// The media id; download it through the media endpoint.
    pub id: MediaId,
    /// The MIME type, such as `image/jpeg` or `audio/ogg; codecs=opus`.
    #[serde(default)]
    pub mime_type: Option<String>,
    /// The SHA-256 of the file, base64.
    #[serde(default)]
    pub sha256: Option<String>,
    /// A download URL, sent by Meta since November 2025 (needs the access token, expires).
    #[serde(default)]
    pub url: Option<String>,
    /// The caption (image, video, document).
    #[serde(default)]
    pub caption: Option<String>,
    /// The file name (document).
    #[serde(default)]
    pub filename: Option<String>,
    /// True for a voice note (audio recorded in WhatsApp).
    #[serde(default)]
    pub voice: Option<bool>,
    /// True for an animated sticker.
    #[serde(default)]
    pub animated: Option<bool>,
    /// The file size in bytes, when sent (number or string).
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub file_size: Option<u64>,
}

impl InboundMedia {
    /// True for a voice note.
    pub fn is_voice(&self) -> bool {
        self.voice == Some(true)
    }

    /// True for an animated sticker.
    pub fn is_animated(&self) -> bool {
        self.animated == Some(true)
    }
}

/// A location the user shared.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Location {
    /// Latitude in degrees.
    #[serde(deserialize_with = "f64_any")]
    pub latitude: f64,
    /// Longitude in degrees.
    #[serde(deserialize_with = "f64_any")]
    pub longitude: f64,
    /// The place's name, for a chosen place.
    #[serde(default)]
    pub name: Option<String>,
    /// The place's address, for a chosen place.
    #[serde(default)]
    pub address: Option<String>,
    /// A link to the place.
    #[serde(default)]
    pub url: Option<String>,
}
