//! [`UserKey`]: who a window or opt-out belongs to.

use crate::ids::{Recipient, UserId};
use std::fmt;

/// Identifies a WhatsApp user by business-scoped user id (BSUID), phone number, or both.
///
/// Since 2026 a webhook may carry a BSUID (`user_id`), a phone number (`from` / `wa_id`), or both, and
/// a send may address either. Stores keyed by `UserKey` prefer the BSUID and also map the phone number,
/// so a user recorded with both is found again by either one.
///
/// Phone numbers are compared by their digits only: `+1 (631) 555-1234` and `16315551234` are the same
/// key. Pass numbers in international form: Meta prepends the business number's country code to a
/// number without `+`, which this key cannot know. A phone string without any digit is kept as given.
///
/// ```
/// use whatsapp_cloud::policy::UserKey;
/// let key = UserKey::user_id("US.13491208655302741918").with_phone("+1 (631) 555-1234");
/// assert_eq!(key.phone_digits(), Some("16315551234"));
/// assert_eq!(key.to_string(), "US.13491208655302741918");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UserKey {
    user_id: Option<UserId>,
    phone: Option<String>,
}

impl UserKey {
    /// A key by business-scoped user id.
    pub fn user_id(id: impl Into<UserId>) -> Self {
        Self {
            user_id: Some(id.into()),
            phone: None,
        }
    }

    /// A key by phone number or `wa_id` (compared by digits).
    pub fn phone(number: impl AsRef<str>) -> Self {
        Self {
            user_id: None,
            phone: Some(normalize_phone(number.as_ref())),
        }
    }

    /// A key from the optional ids a webhook carries; blank values (Meta sends `wa_id: ""` for
    /// BSUID-only users) count as absent. A `phone` with the BSUID shape (`US.1349…`, `user.ab12…`),
    /// as `from` or `recipient_id` can be for BSUID-only users, is taken as the BSUID. `None` when
    /// neither is present.
    ///
    /// ```
    /// use whatsapp_cloud::policy::UserKey;
    /// assert!(UserKey::from_parts(Some(""), Some(" ")).is_none());
    /// let key = UserKey::from_parts(Some("US.1"), Some("")).unwrap();
    /// assert_eq!(key.phone_digits(), None);
    /// let key = UserKey::from_parts(None, Some("US.13491208655302741918")).unwrap();
    /// assert_eq!(key, UserKey::user_id("US.13491208655302741918"));
    /// ```
    pub fn from_parts(user_id: Option<&str>, phone: Option<&str>) -> Option<Self> {
        let mut user_id = user_id
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(UserId::from);
        let mut phone_value = None;
        if let Some(p) = phone.map(str::trim).filter(|s| !s.is_empty()) {
            match Recipient::from(p) {
                Recipient::UserId(u) => {
                    user_id.get_or_insert(u);
                }
                _ => phone_value = Some(normalize_phone(p)),
            }
        }
        if user_id.is_none() && phone_value.is_none() {
            return None;
        }
        Some(Self {
            user_id,
            phone: phone_value,
        })
    }

    /// The key of a send's recipient; `None` for a group (groups have no per-user window or opt-out).
    /// A recipient with both a phone number and a business-scoped user id keys the user by both, so
    /// a window or opt-out recorded under either one applies.
    ///
    /// ```
    /// use whatsapp_cloud::{Recipient, policy::UserKey};
    /// assert_eq!(UserKey::from_recipient(&Recipient::phone("+44 7700 900123")), Some(UserKey::phone("447700900123")));
    /// assert_eq!(UserKey::from_recipient(&Recipient::group("G1")), None);
    /// let both = Recipient::phone_and_user_id("+44 7700 900123", "GB.1");
    /// assert_eq!(
    ///     UserKey::from_recipient(&both),
    ///     Some(UserKey::user_id("GB.1").with_phone("447700900123")),
    /// );
    /// ```
    pub fn from_recipient(recipient: &Recipient) -> Option<Self> {
        match recipient {
            Recipient::Phone(p) => Some(Self::phone(p)),
            Recipient::UserId(u) => Some(Self::user_id(u.clone())),
            Recipient::PhoneAndUserId { phone, user_id } => {
                Some(Self::user_id(user_id.clone()).with_phone(phone))
            }
            _ => None,
        }
    }

    /// Adds (or replaces) the phone number.
    #[must_use]
    pub fn with_phone(mut self, number: impl AsRef<str>) -> Self {
        self.phone = Some(normalize_phone(number.as_ref()));
        self
    }

    /// Adds (or replaces) the business-scoped user id.
    #[must_use]
    pub fn with_user_id(mut self, id: impl Into<UserId>) -> Self {
        self.user_id = Some(id.into());
        self
    }

    /// The business-scoped user id, when known.
    pub fn bsuid(&self) -> Option<&UserId> {
        self.user_id.as_ref()
    }

    /// The phone number as digits, when known.
    pub fn phone_digits(&self) -> Option<&str> {
        self.phone.as_deref()
    }
}

impl fmt::Display for UserKey {
    /// The BSUID when known, otherwise the phone digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.user_id, &self.phone) {
            (Some(u), _) => f.write_str(u.as_str()),
            (None, Some(p)) => f.write_str(p),
            (None, None) => f.write_str("<unknown user>"),
        }
    }
}

impl fmt::Debug for UserKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("UserKey");
        if let Some(u) = &self.user_id {
            d.field("user_id", &u.as_str());
        }
        if let Some(p) = &self.phone {
            d.field("phone", p);
        }
        d.finish()
    }
}

impl From<UserId> for UserKey {
    fn from(id: UserId) -> Self {
        Self::user_id(id)
    }
}

/// Digits only, so formatting differences do not split one user in two.
fn normalize_phone(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        number.trim().to_owned()
    } else {
        digits
    }
}

/// Values that can absorb another record of the same user (when a phone-only record turns out to
/// belong to a known BSUID).
pub(crate) trait Merge {
    /// Folds `other` into `self`.
    fn merge(&mut self, other: Self);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_formats_are_one_key() {
        assert_eq!(
            UserKey::phone("+1 (631) 555-1234"),
            UserKey::phone("16315551234")
        );
        assert_eq!(UserKey::phone("abc").phone_digits(), Some("abc"));
    }
}
