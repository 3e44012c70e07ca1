//! The cards of an interactive media carousel.

use super::*;
use crate::message::media::MediaSource;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// One card of an interactive media carousel: an image or video header, an optional body
/// (at most 160 characters) and a call-to-action URL button. Cards are numbered (`card_index`) in
/// the order given.
///
/// ```
/// use whatsapp_cloud::message::{MediaCard, MediaSource};
/// let card = MediaCard::image(MediaSource::link("https://example.com/deal1.png"), "Shop now", "https://shop.example.com/deal1")
///     .body("Exclusive deal #1");
/// assert_eq!(serde_json::to_value(&card)?["action"]["parameters"]["display_text"], "Shop now");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct MediaCard {
    pub(super) header: Header,
    pub(super) body: Option<String>,
    pub(super) display_text: String,
    pub(super) url: String,
}

impl MediaCard {
    /// A card with an image header and a button labelled `display_text` (≤ 20) opening `url`.
    pub fn image(
        source: impl Into<MediaSource>,
        display_text: impl Into<String>,
        url: impl Into<String>,
    ) -> Self {
        Self::with(Header::image(source), display_text.into(), url.into())
    }

    /// A card with a video header and a button labelled `display_text` (≤ 20) opening `url`.
    pub fn video(
        source: impl Into<MediaSource>,
        display_text: impl Into<String>,
        url: impl Into<String>,
    ) -> Self {
        Self::with(Header::video(source), display_text.into(), url.into())
    }

    pub(super) fn with(header: Header, display_text: String, url: String) -> Self {
        Self {
            header,
            body: None,
            display_text,
            url,
        }
    }

    /// The card's text (at most 160 characters).
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }
}

impl Serialize for MediaCard {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Without its index: `Action` adds `card_index` from the card's position.
        self.serialize_with_index(serializer, None)
    }
}

impl MediaCard {
    pub(super) fn serialize_with_index<S: Serializer>(
        &self,
        serializer: S,
        index: Option<usize>,
    ) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Text<'a> {
            text: &'a str,
        }
        #[derive(Serialize)]
        struct P<'a> {
            display_text: &'a str,
            url: &'a str,
        }
        #[derive(Serialize)]
        struct CtaAction<'a> {
            name: &'static str,
            parameters: P<'a>,
        }
        let mut map = serializer.serialize_map(None)?;
        if let Some(index) = index {
            map.serialize_entry("card_index", &index)?;
        }
        map.serialize_entry("type", "cta_url")?;
        map.serialize_entry("header", &self.header)?;
        if let Some(body) = &self.body {
            map.serialize_entry("body", &Text { text: body })?;
        }
        map.serialize_entry(
            "action",
            &CtaAction {
                name: "cta_url",
                parameters: P {
                    display_text: &self.display_text,
                    url: &self.url,
                },
            },
        )?;
        map.end()
    }
}

pub(super) struct IndexedCard<'a>(pub(super) usize, pub(super) &'a MediaCard);

impl Serialize for IndexedCard<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.1.serialize_with_index(serializer, Some(self.0))
    }
}
