//! Secrets: the access token, the app secret, the webhook verify token and SIP passwords.
//!
//! Each wraps its value so that it never appears in `Debug` output, logs or error text. Read the value
//! with `expose_secret()` only where it is needed (the `Authorization` header, an HMAC key).

use std::fmt;

macro_rules! secret_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct $name(String);

        /// Compares in constant time (for equal lengths), so a comparison never leaks a prefix.
        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                constant_time_eq(self.0.as_bytes(), other.0.as_bytes())
            }
        }

        impl Eq for $name {}

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

secret_type! {
    /// The password of a SIP server of the Calling API, read with
    /// `GetPhoneNumberSettings::include_sip_credentials` (Meta's "SIP" calling page).
    ///
    /// ```
    /// use whatsapp_cloud::secret::SipPassword;
    /// assert_eq!(format!("{:?}", SipPassword::new("hunter2")), "SipPassword(<redacted>)");
    /// ```
    SipPassword
}

impl AccessToken {
    /// Why this token cannot be sent as `Authorization: Bearer <token>`, or `None` when it can.
    ///
    /// The answer names the problem and where it is, never the token itself. The usual cause is a
    /// line break copied along with the token from a file or a terminal.
    ///
    /// ```
    /// use whatsapp_cloud::AccessToken;
    /// assert_eq!(AccessToken::new("EAAGm0PX4ZCpsBA").header_problem(), None);
    /// assert_eq!(
    ///     AccessToken::new("EAAGm0PX4ZCpsBA\n").header_problem().as_deref(),
    ///     Some("the access token cannot be sent in an HTTP header: it holds a line break at \
    ///           character 16 of 16 (trim the token where you read it)")
    /// );
    /// ```
    pub fn header_problem(&self) -> Option<String> {
        if self.is_blank() {
            return Some("the access token is blank".to_owned());
        }
        let total = self.0.chars().count();
        // What `http::HeaderValue` refuses: control characters other than tab, and DEL.
        let (index, c) = self
            .0
            .chars()
            .enumerate()
            .find(|&(_, c)| (c.is_ascii_control() && c != '\t') || c == '\u{7f}')?;
        let what = match c {
            '\n' | '\r' => "a line break",
            '\0' => "a NUL character",
            _ => "a control character",
        };
        Some(format!(
            "the access token cannot be sent in an HTTP header: it holds {what} at character {} of \
             {total} (trim the token where you read it)",
            index + 1
        ))
    }
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
    fn header_problem_names_the_character_and_its_place_but_never_the_token() {
        let problem = |t: &str| AccessToken::new(t).header_problem();
        assert_eq!(problem("EAAsecret"), None);
        assert_eq!(problem("EAA\tsecret"), None); // a tab is a valid header byte
        assert_eq!(problem(" \n").as_deref(), Some("the access token is blank"));
        for (token, what, at) in [
            ("EAAsecret\r\n", "a line break", "character 10 of 11"),
            ("EAA\0secret", "a NUL character", "character 4 of 10"),
            (
                "EAAsec\u{7f}ret",
                "a control character",
                "character 7 of 10",
            ),
            (
                "\u{1b}EAAsecret",
                "a control character",
                "character 1 of 10",
            ),
        ] {
            let message = problem(token).unwrap();
            assert!(message.contains(what), "{message}");
            assert!(message.contains(at), "{message}");
            assert!(!message.contains("secret"), "{message}");
        }
    }

    #[test]
    fn constant_time_eq_compares_content_and_length() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
