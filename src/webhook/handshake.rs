//! The GET subscription handshake: `hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`.

use crate::secret::constant_time_eq;

/// Why a subscription handshake was refused; answer it with a 403.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HandshakeError {
    /// The configured verify token is empty or only whitespace: every handshake is refused.
    #[error("the configured verify token is blank; refusing every subscription handshake")]
    BlankVerifyToken,
    /// No `hub.mode` parameter.
    #[error("missing hub.mode")]
    MissingMode,
    /// `hub.mode` is not `subscribe`.
    #[error("hub.mode is {mode:?}, expected \"subscribe\"")]
    WrongMode {
        /// The mode received.
        mode: String,
    },
    /// No `hub.verify_token` parameter.
    #[error("missing hub.verify_token")]
    MissingToken,
    /// `hub.verify_token` is not the configured token.
    #[error("hub.verify_token does not match the configured verify token")]
    TokenMismatch,
    /// No (or an empty) `hub.challenge` parameter.
    #[error("missing hub.challenge")]
    MissingChallenge,
}

/// Answers Meta's subscription handshake from the raw query string of the GET request.
///
/// The query is percent- and plus-decoded. `hub.mode` must be `subscribe` and `hub.verify_token`
/// must equal `verify_token` (compared in constant time); the returned `hub.challenge` is the body
/// of the 200 answer. A blank configured token always refuses.
///
/// ```
/// use whatsapp_cloud::webhook::{self, HandshakeError};
/// let q = "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=my%20token";
/// assert_eq!(webhook::verify_subscription(q, "my token")?, "1158201444");
/// assert_eq!(webhook::verify_subscription(q, "other"), Err(HandshakeError::TokenMismatch));
/// # Ok::<(), HandshakeError>(())
/// ```
///
/// # Errors
/// A [`HandshakeError`] naming the missing or wrong parameter; never the configured token.
pub fn verify_subscription(
    raw_query: &str,
    verify_token: impl AsRef<str>,
) -> Result<String, HandshakeError> {
    let expected = verify_token.as_ref();
    if expected.trim().is_empty() {
        return Err(HandshakeError::BlankVerifyToken);
    }
    let query = raw_query.strip_prefix('?').unwrap_or(raw_query);
    let (mut mode, mut token, mut challenge) = (None, None, None);
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        let slot = match k.as_ref() {
            "hub.mode" => &mut mode,
            "hub.verify_token" => &mut token,
            "hub.challenge" => &mut challenge,
            _ => continue,
        };
        // The first occurrence wins; a repeated parameter cannot override it.
        if slot.is_none() {
            *slot = Some(v.into_owned());
        }
    }
    let mode = mode.ok_or(HandshakeError::MissingMode)?;
    if mode != "subscribe" {
        return Err(HandshakeError::WrongMode { mode });
    }
    let token = token.ok_or(HandshakeError::MissingToken)?;
    if !constant_time_eq(token.as_bytes(), expected.as_bytes()) {
        return Err(HandshakeError::TokenMismatch);
    }
    match challenge {
        Some(c) if !c.is_empty() => Ok(c),
        _ => Err(HandshakeError::MissingChallenge),
    }
}
