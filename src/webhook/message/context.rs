//! What a message refers to: the reply or forward context and the ad referral.

use crate::ids::MessageId;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// The context of a message: a reply, a forward or a product inquiry.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageContext {
    /// The sender of the message replied to.
    #[serde(default)]
    pub from: Option<String>,
    /// The id of the message replied to (or whose button was tapped).
    #[serde(default)]
    pub id: Option<MessageId>,
    /// Forwarded (up to five times).
    #[serde(default)]
    pub forwarded: Option<bool>,
    /// Forwarded more than five times.
    #[serde(default)]
    pub frequently_forwarded: Option<bool>,
    /// The product the user asked about.
    #[serde(default)]
    pub referred_product: Option<ReferredProduct>,
}

impl MessageContext {
    /// True when the message was forwarded (once or many times).
    pub fn is_forwarded(&self) -> bool {
        self.forwarded == Some(true) || self.frequently_forwarded == Some(true)
    }
}

/// The product a "Message business" inquiry came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReferredProduct {
    /// The catalog id.
    pub catalog_id: String,
    /// Your product id.
    pub product_retailer_id: String,
}

/// The ad or post a click-to-WhatsApp conversation started from.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Referral {
    /// The ad or post URL.
    #[serde(default)]
    pub source_url: Option<String>,
    /// The ad or post id.
    #[serde(default)]
    pub source_id: Option<String>,
    /// `ad` or `post`.
    #[serde(default)]
    pub source_type: Option<String>,
    /// The ad's text.
    #[serde(default)]
    pub body: Option<String>,
    /// The ad's headline.
    #[serde(default)]
    pub headline: Option<String>,
    /// `image` or `video`.
    #[serde(default)]
    pub media_type: Option<String>,
    /// The ad image.
    #[serde(default)]
    pub image_url: Option<String>,
    /// The ad video.
    #[serde(default)]
    pub video_url: Option<String>,
    /// The video thumbnail.
    #[serde(default)]
    pub thumbnail_url: Option<String>,
    /// The click id for conversion tracking (absent for WhatsApp Status ad placements).
    #[serde(default)]
    pub ctwa_clid: Option<String>,
    /// The ad's welcome message.
    #[serde(default)]
    pub welcome_message: Option<WelcomeMessage>,
}

/// The welcome message of a click-to-WhatsApp ad.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WelcomeMessage {
    /// Its text.
    #[serde(default)]
    pub text: Option<String>,
}
