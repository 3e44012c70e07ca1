//! The operations every production number needs: blocking users, QR codes and short links, webhook
//! subscriptions and callback overrides, the two-step verification PIN, the display name,
//! conversational automation (ice breakers, commands, welcome message) and business usernames.
//!
//! Each call is a value that builds an [`http::Request`] and parses Meta's answer, like every other
//! [`Endpoint`](crate::endpoint::Endpoint); the `client` feature adds shortcuts on `Client`. Limits
//! Meta documents are checked before anything is sent, and the field that breaks one is named.
//!
//! ```
//! use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
//! use whatsapp_cloud::endpoint::operations::{CreateQrCode, QrImageFormat};
//!
//! let ctx = ApiContext::new("token", "106540352242922");
//! let create = CreateQrCode::new("Hi, I'd like to order").image_format(QrImageFormat::Svg);
//! let request = create.to_request(&ctx)?;
//! assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/106540352242922/message_qrdls");
//! assert_eq!(
//!     request.body().as_slice(),
//!     br#"{"prefilled_message":"Hi, I'd like to order","generate_qr_image":"SVG"}"#
//! );
//! # Ok::<(), whatsapp_cloud::Error>(())
//! ```

mod automation;
mod block;
mod display_name;
mod pin;
mod qr;
mod subscriptions;
mod username;

pub use automation::{
    AutomationCommand, ConversationalAutomation, GetConversationalAutomation,
    SetConversationalAutomation,
};
pub use block::{
    BlockOutcome, BlockUsers, BlockedUser, FailedUser, ListBlockedUsers, UnblockOutcome,
    UnblockUsers,
};
pub use display_name::{DisplayNameStatus, GetDisplayNameStatus, NameStatus, RequestDisplayName};
pub use pin::{SetTwoStepPin, TwoStepPin};
pub use qr::{
    CreateQrCode, DeleteQrCode, GetQrCode, ListQrCodes, QrCode, QrImageFormat, UpdateQrCode,
};
pub use subscriptions::{
    CallbackOverride, GetWebhookConfiguration, ListSubscribedApps, SetPhoneWebhookOverride,
    SubscribeApp, SubscribedApp, SubscribedAppData, UnsubscribeApp, WebhookConfiguration,
};
pub use username::{
    ClaimUsername, DeleteUsername, GetUsername, GetUsernameSuggestions, TransferAction, Username,
    UsernameState, UsernameStatus,
};

use crate::endpoint::ApiContext;
use crate::error::Error;
use url::Url;

/// `<base>/<version>/<PHONE_NUMBER_ID>/<rest...>`.
fn phone_url(ctx: &ApiContext, rest: &[&str]) -> Result<Url, Error> {
    let mut segments = vec![ctx.require_phone_number_id()?.as_str()];
    segments.extend_from_slice(rest);
    ctx.url(&segments)
}

/// `<base>/<version>/<WABA_ID>/<rest...>`.
fn waba_url(ctx: &ApiContext, rest: &[&str]) -> Result<Url, Error> {
    let mut segments = vec![ctx.require_waba_id()?.as_str()];
    segments.extend_from_slice(rest);
    ctx.url(&segments)
}

/// `GET /<PHONE_NUMBER_ID>?fields=<fields>`: the read of one set of phone-number fields.
fn phone_fields_request(ctx: &ApiContext, fields: &str) -> Result<http::Request<Vec<u8>>, Error> {
    let mut url = phone_url(ctx, &[])?;
    url.query_pairs_mut().append_pair("fields", fields);
    ctx.empty_request(http::Method::GET, &url)
}

/// True for a character Meta counts as an emoji (pictographs, symbols, flags, keycaps, the
/// variation selector and the joiner that build emoji sequences).
pub(crate) fn is_emoji(c: char) -> bool {
    matches!(
        c as u32,
        0x1F000..=0x1FAFF   // pictographs, emoticons, transport, flags, supplemental symbols
            | 0x2600..=0x27BF   // miscellaneous symbols and dingbats
            | 0x2B00..=0x2BFF   // arrows and stars such as ⭐
            | 0x2300..=0x23FF   // technical symbols such as ⌚ and ⏰
            | 0xFE0F            // emoji presentation selector
            | 0x200D            // zero-width joiner
            | 0x20E3            // combining keycap
            | 0x3030 | 0x303D | 0x3297 | 0x3299
            | 0xE0020..=0xE007F // tag characters (subdivision flags)
    )
}

/// Fails when `value` holds an emoji.
fn no_emoji(field: &str, value: &str) -> Result<(), crate::error::ValidationError> {
    if value.chars().any(is_emoji) {
        return Err(crate::limits::invalid(field, value, "text without emoji"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_are_told_from_text() {
        for c in ['😀', '🚀', '⭐', '☕', '✅', '\u{FE0F}', '\u{200D}', '🇧'] {
            assert!(is_emoji(c), "{c:?}");
        }
        for c in ['a', 'é', 'ß', '中', '€', '?', '-', 'ü', '→'] {
            assert!(!is_emoji(c), "{c:?}");
        }
        assert!(no_emoji("prompts[0]", "Track my order").is_ok());
        let e = no_emoji("prompts[0]", "Track 📦").unwrap_err();
        assert_eq!(e.field, "prompts[0]");
    }
}
