//! Identifiers of the Cloud API: phone number ids, account ids, message ids, media ids, user ids.
//!
//! They are all strings on the wire; the newtypes keep one from being passed where another is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an id as given by Meta.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as an owned string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({:?})"), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
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

        impl From<&String> for $name {
            fn from(value: &String) -> Self {
                Self(value.clone())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

id_type! {
    /// The id of a business phone number (not the number itself), as shown in the app dashboard.
    ///
    /// ```
    /// use whatsapp_cloud::PhoneNumberId;
    /// let id = PhoneNumberId::from("106540352242922");
    /// assert_eq!(id.as_str(), "106540352242922");
    /// ```
    PhoneNumberId
}

id_type! {
    /// The id of a WhatsApp Business Account (WABA), needed for template management.
    WabaId
}

id_type! {
    /// A message id (`wamid.…`, up to 128 characters).
    MessageId
}

id_type! {
    /// The id of uploaded or inbound media.
    MediaId
}

id_type! {
    /// A business-scoped user id (BSUID), such as `US.13491208655302741918`.
    ///
    /// Since 2026 users can be addressed and identified by this id instead of their phone number.
    UserId
}

impl UserId {
    /// True for a parent BSUID (`US.ENT.1181…`), which works across the business portfolios
    /// enrolled under one parent.
    ///
    /// ```
    /// use whatsapp_cloud::UserId;
    /// assert!(UserId::from("US.ENT.11815799212886844830").is_parent());
    /// assert!(!UserId::from("US.13491208655302741918").is_parent());
    /// ```
    pub fn is_parent(&self) -> bool {
        self.0
            .split_once('.')
            .is_some_and(|(_, rest)| rest.starts_with("ENT."))
    }
}

id_type! {
    /// A WhatsApp group id.
    GroupId
}

id_type! {
    /// A WhatsApp call id (`wacid.…`): returned by a `connect` and carried by every `calls`
    /// webhook; it names the call to pre-accept, accept, reject or terminate.
    ///
    /// ```
    /// use whatsapp_cloud::CallId;
    /// let id = CallId::from("wacid.HBgLMTIxODU1NTI4MjgVAgARGCAyODRQ");
    /// assert!(id.as_str().starts_with("wacid."));
    /// ```
    CallId
}

id_type! {
    /// The id of an asynchronous Groups API request (create, update, remove participants, delete):
    /// its outcome comes later in a group webhook carrying the same `request_id`.
    RequestId
}

id_type! {
    /// A resumable upload session (`upload:<…>?sig=<…>`), from
    /// [`StartUpload`](crate::endpoint::uploads::StartUpload).
    ///
    /// The id is used as given, signature included, as the path and query of the chunk and status
    /// calls.
    UploadSessionId
}

id_type! {
    /// A file handle from Meta's Resumable Upload API (such as `4::aW1hZ2U…`).
    ///
    /// It names sample media for template creation (`example.header_handle`) and a business
    /// profile picture (`profile_picture_handle`). It is not a [`MediaId`]: messages send media by
    /// id or link, never by handle.
    HeaderHandle
}

impl From<HeaderHandle> for String {
    fn from(handle: HeaderHandle) -> Self {
        handle.0
    }
}

/// Who a message goes to: a phone number, a business-scoped user id (BSUID), both, or a group.
///
/// On the wire (Meta's "Business-scoped user IDs" page) a phone number or `wa_id` goes in `to`, and a
/// BSUID or parent BSUID goes in the top-level `recipient` field; `recipient_type` stays
/// `individual`. A group id goes in `to` with `recipient_type: "group"`.
///
/// A recipient may carry both a phone number and a BSUID ([`Recipient::phone_and_user_id`]): both
/// fields are sent, and Meta delivers by the phone number in `to` (the BSUID is then ignored).
///
/// Authentication templates with a one-tap, zero-tap or copy-code button cannot go to a BSUID alone:
/// Meta refuses them with error 131062 ([`ErrorClass::UserIdNotSupported`](crate::error::ErrorClass)).
///
/// ```
/// use whatsapp_cloud::Recipient;
/// assert_eq!(Recipient::phone("+1 (631) 555-1234").as_str(), "+1 (631) 555-1234");
/// assert_eq!(Recipient::user_id("US.13491208655302741918").as_str(), "US.13491208655302741918");
///
/// let phone = Recipient::phone("+1 (631) 555-1234");
/// assert_eq!(phone.to_field(), Some("+1 (631) 555-1234"));
/// assert_eq!(phone.recipient_field(), None);
///
/// let bsuid = Recipient::user_id("US.13491208655302741918");
/// assert_eq!(bsuid.to_field(), None);
/// assert_eq!(bsuid.recipient_field().map(|u| u.as_str()), Some("US.13491208655302741918"));
///
/// let both = Recipient::phone_and_user_id("+16315551234", "US.13491208655302741918");
/// assert_eq!(both.to_field(), Some("+16315551234"));
/// assert!(both.recipient_field().is_some());
/// assert_eq!(both.as_str(), "+16315551234"); // Meta uses `to`
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Recipient {
    /// A phone number (with `+`, `-`, `(`, `)` and spaces allowed) or a `wa_id`: sent in `to`.
    Phone(String),
    /// A business-scoped user id or parent BSUID: sent in `recipient`.
    UserId(UserId),
    /// Both a phone number (sent in `to`, which Meta uses) and a BSUID (sent in `recipient`).
    PhoneAndUserId {
        /// The phone number or `wa_id`.
        phone: String,
        /// The business-scoped user id or parent BSUID.
        user_id: UserId,
    },
    /// A group id (`recipient_type: "group"`), sent in `to`.
    Group(GroupId),
}

impl Recipient {
    /// A recipient by phone number or `wa_id`.
    pub fn phone(number: impl Into<String>) -> Self {
        Self::Phone(number.into())
    }

    /// A recipient by business-scoped user id (`US.1349…`) or parent BSUID (`US.ENT.1181…`).
    pub fn user_id(id: impl Into<UserId>) -> Self {
        Self::UserId(id.into())
    }

    /// A recipient by phone number and business-scoped user id: both are sent, Meta uses the phone
    /// number.
    pub fn phone_and_user_id(number: impl Into<String>, id: impl Into<UserId>) -> Self {
        Self::PhoneAndUserId {
            phone: number.into(),
            user_id: id.into(),
        }
    }

    /// A group recipient.
    pub fn group(id: impl Into<GroupId>) -> Self {
        Self::Group(id.into())
    }

    /// The id Meta addresses: the phone number when there is one (Meta uses `to` when both are
    /// sent), otherwise the BSUID or the group id.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Phone(p) | Self::PhoneAndUserId { phone: p, .. } => p,
            Self::UserId(u) => u.as_str(),
            Self::Group(g) => g.as_str(),
        }
    }

    /// The value sent in `to`: the phone number or group id; `None` for a BSUID alone.
    pub fn to_field(&self) -> Option<&str> {
        match self {
            Self::Phone(p) | Self::PhoneAndUserId { phone: p, .. } => Some(p),
            Self::Group(g) => Some(g.as_str()),
            Self::UserId(_) => None,
        }
    }

    /// The value sent in `recipient`: the business-scoped user id, when there is one.
    pub fn recipient_field(&self) -> Option<&UserId> {
        self.bsuid()
    }

    /// The phone number or `wa_id`, when there is one.
    pub fn phone_number(&self) -> Option<&str> {
        match self {
            Self::Phone(p) | Self::PhoneAndUserId { phone: p, .. } => Some(p),
            Self::UserId(_) | Self::Group(_) => None,
        }
    }

    /// The business-scoped user id (or parent BSUID), when there is one.
    pub fn bsuid(&self) -> Option<&UserId> {
        match self {
            Self::UserId(u) | Self::PhoneAndUserId { user_id: u, .. } => Some(u),
            Self::Phone(_) | Self::Group(_) => None,
        }
    }

    /// True for a recipient addressed by business-scoped user id only (no phone number): the case
    /// where Meta refuses some authentication templates (error 131062).
    pub fn is_user_id_only(&self) -> bool {
        matches!(self, Self::UserId(_))
    }

    /// True for a group recipient (`recipient_type: "group"`).
    pub fn is_group(&self) -> bool {
        matches!(self, Self::Group(_))
    }
}

impl fmt::Display for Recipient {
    /// The id Meta addresses ([`Recipient::as_str`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for Recipient {
    /// A string is taken as a phone number / `wa_id`, unless it has the BSUID shape (`CC.1349…`,
    /// `CC.ENT.1181…`, or the obsolete `user.<hex>`, which sending refuses), where it becomes
    /// [`Recipient::UserId`] and is sent in `recipient`.
    fn from(value: &str) -> Self {
        if looks_like_bsuid(value) {
            Self::UserId(UserId::from(value))
        } else {
            Self::Phone(value.to_owned())
        }
    }
}

impl From<String> for Recipient {
    fn from(value: String) -> Self {
        Recipient::from(value.as_str())
    }
}

impl From<UserId> for Recipient {
    fn from(value: UserId) -> Self {
        Self::UserId(value)
    }
}

impl From<GroupId> for Recipient {
    fn from(value: GroupId) -> Self {
        Self::Group(value)
    }
}

/// BSUIDs contain a dot (`US.123…`, `US.ENT.123…`, `user.abc…`); phone numbers never do.
fn looks_like_bsuid(value: &str) -> bool {
    let Some((prefix, rest)) = value.split_once('.') else {
        return false;
    };
    !rest.is_empty()
        && (prefix == "user"
            || (prefix.len() == 2 && prefix.bytes().all(|b| b.is_ascii_uppercase())))
        && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_with_bsuid_shape_become_user_ids() {
        assert!(matches!(
            Recipient::from("US.13491208655302741918"),
            Recipient::UserId(_)
        ));
        assert!(matches!(
            Recipient::from("US.ENT.11815799212886844830"),
            Recipient::UserId(_)
        ));
        assert!(matches!(
            Recipient::from("user.0a1b2c"),
            Recipient::UserId(_)
        ));
        assert!(matches!(
            Recipient::from("+1 (631) 555-1234"),
            Recipient::Phone(_)
        ));
        assert!(matches!(
            Recipient::from("16315551234"),
            Recipient::Phone(_)
        ));
    }

    #[test]
    fn ids_serialize_as_plain_strings() {
        let id = MessageId::from("wamid.X");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"wamid.X\"");
    }
}
