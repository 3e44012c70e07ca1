//! Text messages.

use crate::error::ValidationError;
use crate::limits;
use serde::Serialize;
use serde_with::skip_serializing_none;

/// A text message: `{"body": "...", "preview_url": true}`.
///
/// ```
/// use whatsapp_cloud::message::Text;
/// let t = Text::new("See https://example.com").preview_url(true);
/// assert_eq!(serde_json::to_string(&t)?, r#"{"preview_url":true,"body":"See https://example.com"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Text {
    preview_url: Option<bool>,
    body: String,
}

impl Text {
    /// A text with `body` (1 to 4096 characters).
    pub fn new(body: impl Into<String>) -> Self {
        Self {
            preview_url: None,
            body: body.into(),
        }
    }

    /// Asks WhatsApp to render a preview of the first `http(s)://` URL in the body.
    pub fn preview_url(mut self, preview: bool) -> Self {
        self.preview_url = Some(preview);
        self
    }

    /// The body.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// Checks the body is present and at most 4096 characters.
    ///
    /// # Errors
    /// `text.body` empty or too long.
    pub fn validate(&self) -> Result<(), ValidationError> {
        limits::required_text("text.body", &self.body, limits::TEXT_BODY_MAX)
    }
}

impl From<Text> for super::Message {
    fn from(value: Text) -> Self {
        super::Message::Text(value)
    }
}
