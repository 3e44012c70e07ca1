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

id_type! {
    /// A WhatsApp group id.
    GroupId
}

/// Who a message goes to: a phone number / WhatsApp id, or a business-scoped user id.
///
/// Both are sent in the `to` field; a BSUID may not receive authentication templates (error 131062).
///
/// ```
/// use whatsapp_cloud::Recipient;
/// assert_eq!(Recipient::phone("+1 (631) 555-1234").as_str(), "+1 (631) 555-1234");
/// assert_eq!(Recipient::user_id("US.13491208655302741918").as_str(), "US.13491208655302741918");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Recipient {
    /// A phone number (with `+`, `-`, `(`, `)` and spaces allowed) or a `wa_id`.
    Phone(String),
    /// A business-scoped user id.
    UserId(UserId),
    /// A group id (`recipient_type: "group"`).
    Group(GroupId),
}

impl Recipient {
    /// A recipient by phone number or `wa_id`.
    pub fn phone(number: impl Into<String>) -> Self {
        Self::Phone(number.into())
    }

    /// A recipient by business-scoped user id.
    pub fn user_id(id: impl Into<UserId>) -> Self {
        Self::UserId(id.into())
    }

    /// A group recipient.
    pub fn group(id: impl Into<GroupId>) -> Self {
        Self::Group(id.into())
    }

    /// The value sent in `to`.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Phone(p) => p,
            Self::UserId(u) => u.as_str(),
            Self::Group(g) => g.as_str(),
        }
    }

    /// True for a group recipient (`recipient_type: "group"`).
    pub fn is_group(&self) -> bool {
        matches!(self, Self::Group(_))
    }
}

impl fmt::Display for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for Recipient {
    /// A string is taken as a phone number / `wa_id`, unless it has the BSUID shape
    /// (`CC.digits`, `CC.ENT.digits` or `user.hex`), where it becomes [`Recipient::UserId`].
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
