//! Contact cards the user shared (`contacts` messages), including replies to a request for
//! contact information.

use crate::webhook::lenient::string_enum;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// The content of a `contacts` message: the cards, and where they came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ContactsContent {
    /// The cards (`contacts[]`).
    pub contacts: Vec<SharedContact>,
    /// The origin given on the message itself (`origin` next to `contacts`), as in replies of
    /// early 2026; later replies give it on each card ([`SharedContact::origin`]).
    pub origin: Option<ContactOrigin>,
}

impl ContactsContent {
    /// The origin of a card: its own, else the message's.
    pub fn origin_of<'c>(&'c self, card: &'c SharedContact) -> Option<&'c ContactOrigin> {
        card.origin.as_ref().or(self.origin.as_ref())
    }

    /// True when this message answers your request for the user's contact information (the
    /// `contact_request` origin, on the message or on a card).
    pub fn is_contact_request_reply(&self) -> bool {
        self.origin == Some(ContactOrigin::ContactRequest)
            || self
                .contacts
                .iter()
                .any(|c| c.origin == Some(ContactOrigin::ContactRequest))
    }
}

string_enum! {
    /// Where a shared contact card came from (`origin`).
    ContactOrigin {
        /// The user answered your request for their contact information (a "request contact
        /// info" button or interactive message).
        ContactRequest = "contact_request",
        /// Any other card the user shared; it carries a [`vcard`](SharedContact::vcard).
        Other = "other",
    }
}

/// A contact card the user shared (`contacts[]` of a `contacts` message).
///
/// Every part is optional: a reply to a contact-information request may come without a name.
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
    /// Where the card came from, when Meta says (replies to a contact-information request).
    #[serde(default)]
    pub origin: Option<ContactOrigin>,
    /// The card as a vCard, when sent (cards whose origin is [`ContactOrigin::Other`]).
    #[serde(default)]
    pub vcard: Option<String>,
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
