//! Secrets: the access token, the app secret and the webhook verify token.
//!
//! Each wraps its value so that it never appears in `Debug` output, logs or error text. Read the value
//! with `expose_secret()` only where it is needed (the `Authorization` header, an HMAC key).

use std::fmt;

macro_rules! secret_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The secret itself. Keep it out of logs and error messages.
            pub fn expose_secret(&self) -> &str {
                &self.0
            }

            /// True when the value is empty or only whitespace: such a secret is refused everywhere.
            pub fn is_blank(&self) -> bool {
                self.0.trim().is_empty()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }
    };
}

secret_type! {
    /// A Graph API access token (system-user or temporary), sent as `Authorization: Bearer <token>`.
    ///
    /// ```
    /// use whatsapp_cloud::AccessToken;
    /// let token = AccessToken::new("EAAG...secret");
    /// assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
    /// ```
    AccessToken
}

secret_type! {
    /// The Meta app secret, the HMAC-SHA256 key of the `X-Hub-Signature-256` webhook header.
    ///
    /// ```
    /// use whatsapp_cloud::AppSecret;
    /// let secret = AppSecret::new("0123456789abcdef");
    /// assert!(!format!("{secret:?}").contains("0123"));
    /// ```
    AppSecret
}

secret_type! {
    /// The verify token you typed into the app dashboard, echoed by Meta in the webhook handshake.
    ///
    /// ```
    /// use whatsapp_cloud::VerifyToken;
    /// assert!(VerifyToken::new("  ").is_blank());
    /// ```
    VerifyToken
}

/// Compares two byte strings in constant time (for equal lengths; the length itself is not secret).
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let t = AccessToken::new("EAAsupersecret");
        assert!(!format!("{t:?}").contains("supersecret"));
        assert_eq!(t.expose_secret(), "EAAsupersecret");
    }

    #[test]
    fn constant_time_eq_compares_content_and_length() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
