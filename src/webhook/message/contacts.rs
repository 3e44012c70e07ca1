//! Contact cards the user shared (`contacts` messages).

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// A contact card the user shared (`contacts[]` of a `contacts` message).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SharedContact {
    /// The name.
    #[serde(default)]
    pub name: Option<ContactName>,
    /// Phone numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<ContactPhone>,
    /// E-mail addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<ContactEmail>,
    /// Postal addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<ContactAddress>,
    /// Web sites.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<ContactUrl>,
    /// Organisation.
    #[serde(default)]
    pub org: Option<ContactOrg>,
    /// Birthday, `YYYY-MM-DD`.
    #[serde(default)]
    pub birthday: Option<String>,
}

/// A shared contact's name.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactName {
    /// The full name as displayed.
    #[serde(default)]
    pub formatted_name: Option<String>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Middle name.
    #[serde(default)]
    pub middle_name: Option<String>,
    /// Suffix.
    #[serde(default)]
    pub suffix: Option<String>,
    /// Prefix.
    #[serde(default)]
    pub prefix: Option<String>,
}

/// A shared contact's phone number.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactPhone {
    /// The number as written.
    #[serde(default)]
    pub phone: Option<String>,
    /// `CELL`, `MAIN`, `HOME`, `WORK`, …
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The WhatsApp id, when the number is on WhatsApp.
    #[serde(default)]
    pub wa_id: Option<String>,
}

/// A shared contact's e-mail.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactEmail {
    /// The address.
    #[serde(default)]
    pub email: Option<String>,
    /// `HOME` or `WORK`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

/// A shared contact's postal address.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactAddress {
    /// Street.
    #[serde(default)]
    pub street: Option<String>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// State.
    #[serde(default)]
    pub state: Option<String>,
    /// ZIP code.
    #[serde(default)]
    pub zip: Option<String>,
    /// Country name.
    #[serde(default)]
    pub country: Option<String>,
    /// ISO country code.
    #[serde(default)]
    pub country_code: Option<String>,
    /// `HOME` or `WORK`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

/// A shared contact's web site.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactUrl {
    /// The URL.
    #[serde(default)]
    pub url: Option<String>,
    /// `HOME` or `WORK`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

/// A shared contact's organisation.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactOrg {
    /// Company.
    #[serde(default)]
    pub company: Option<String>,
    /// Department.
    #[serde(default)]
    pub department: Option<String>,
    /// Job title.
    #[serde(default)]
    pub title: Option<String>,
}
