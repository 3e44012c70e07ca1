//! Contacts messages: one or more contact cards.

use crate::error::ValidationError;
use crate::limits;
use serde::{Serialize, Serializer};
use serde_with::skip_serializing_none;

/// The `type` of an address, email or URL on a contact card.
///
/// Meta's reference lists `HOME` and `WORK`; its current examples also use free text such as
/// `"Office"`, which [`InfoType::Other`] carries as given.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InfoType {
    /// `HOME`.
    Home,
    /// `WORK`.
    Work,
    /// Any other label, sent as given.
    Other(String),
}

impl InfoType {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Home => "HOME",
            Self::Work => "WORK",
            Self::Other(s) => s,
        }
    }
}

impl From<&str> for InfoType {
    fn from(value: &str) -> Self {
        match value {
            "HOME" => Self::Home,
            "WORK" => Self::Work,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl Serialize for InfoType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The `type` of a phone number on a contact card.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PhoneType {
    /// `CELL`.
    Cell,
    /// `MAIN`.
    Main,
    /// `IPHONE`.
    Iphone,
    /// `HOME`.
    Home,
    /// `WORK`.
    Work,
    /// Any other label (Meta's examples use `"Mobile"`, `"Landline"`), sent as given.
    Other(String),
}

impl PhoneType {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Cell => "CELL",
            Self::Main => "MAIN",
            Self::Iphone => "IPHONE",
            Self::Home => "HOME",
            Self::Work => "WORK",
            Self::Other(s) => s,
        }
    }
}

impl From<&str> for PhoneType {
    fn from(value: &str) -> Self {
        match value {
            "CELL" => Self::Cell,
            "MAIN" => Self::Main,
            "IPHONE" => Self::Iphone,
            "HOME" => Self::Home,
            "WORK" => Self::Work,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl Serialize for PhoneType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A contact's name. `formatted_name` is required; it is shown beside the profile arrow.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Name {
    formatted_name: String,
    first_name: Option<String>,
    last_name: Option<String>,
    middle_name: Option<String>,
    suffix: Option<String>,
    prefix: Option<String>,
}

impl Name {
    /// A name with its full display form.
    pub fn new(formatted_name: impl Into<String>) -> Self {
        Self {
            formatted_name: formatted_name.into(),
            first_name: None,
            last_name: None,
            middle_name: None,
            suffix: None,
            prefix: None,
        }
    }

    /// The first name.
    pub fn first_name(mut self, value: impl Into<String>) -> Self {
        self.first_name = Some(value.into());
        self
    }

    /// The last name.
    pub fn last_name(mut self, value: impl Into<String>) -> Self {
        self.last_name = Some(value.into());
        self
    }

    /// The middle name.
    pub fn middle_name(mut self, value: impl Into<String>) -> Self {
        self.middle_name = Some(value.into());
        self
    }

    /// A suffix such as `Esq.`.
    pub fn suffix(mut self, value: impl Into<String>) -> Self {
        self.suffix = Some(value.into());
        self
    }

    /// A prefix such as `Dr.`.
    pub fn prefix(mut self, value: impl Into<String>) -> Self {
        self.prefix = Some(value.into());
        self
    }
}

impl From<&str> for Name {
    fn from(value: &str) -> Self {
        Name::new(value)
    }
}

impl From<String> for Name {
    fn from(value: String) -> Self {
        Name::new(value)
    }
}

/// A postal address on a contact card.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Address {
    street: Option<String>,
    city: Option<String>,
    state: Option<String>,
    zip: Option<String>,
    country: Option<String>,
    country_code: Option<String>,
    #[serde(rename = "type")]
    kind: Option<InfoType>,
}

impl Address {
    /// An empty address; fill it with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Street number and name.
    pub fn street(mut self, value: impl Into<String>) -> Self {
        self.street = Some(value.into());
        self
    }

    /// City.
    pub fn city(mut self, value: impl Into<String>) -> Self {
        self.city = Some(value.into());
        self
    }

    /// State code.
    pub fn state(mut self, value: impl Into<String>) -> Self {
        self.state = Some(value.into());
        self
    }

    /// Postal or ZIP code.
    pub fn zip(mut self, value: impl Into<String>) -> Self {
        self.zip = Some(value.into());
        self
    }

    /// Country name.
    pub fn country(mut self, value: impl Into<String>) -> Self {
        self.country = Some(value.into());
        self
    }

    /// ISO two-letter country code.
    pub fn country_code(mut self, value: impl Into<String>) -> Self {
        self.country_code = Some(value.into());
        self
    }

    /// `HOME`, `WORK` or another label.
    pub fn kind(mut self, kind: impl Into<InfoType>) -> Self {
        self.kind = Some(kind.into());
        self
    }
}

/// An email address on a contact card.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Email {
    email: String,
    #[serde(rename = "type")]
    kind: Option<InfoType>,
}

impl Email {
    /// An email address.
    pub fn new(email: impl Into<String>) -> Self {
        Self {
            email: email.into(),
            kind: None,
        }
    }

    /// `HOME`, `WORK` or another label.
    pub fn kind(mut self, kind: impl Into<InfoType>) -> Self {
        self.kind = Some(kind.into());
        self
    }
}

/// A phone number on a contact card; with `wa_id` WhatsApp shows "Message" and "Save contact"
/// buttons, without it an "Invite to WhatsApp" button.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Phone {
    phone: String,
    #[serde(rename = "type")]
    kind: Option<PhoneType>,
    wa_id: Option<String>,
}

impl Phone {
    /// A phone number.
    pub fn new(phone: impl Into<String>) -> Self {
        Self {
            phone: phone.into(),
            kind: None,
            wa_id: None,
        }
    }

    /// `CELL`, `MAIN`, `IPHONE`, `HOME`, `WORK` or another label.
    pub fn kind(mut self, kind: impl Into<PhoneType>) -> Self {
        self.kind = Some(kind.into());
        self
    }

    /// The number's WhatsApp id.
    pub fn wa_id(mut self, wa_id: impl Into<String>) -> Self {
        self.wa_id = Some(wa_id.into());
        self
    }
}

/// A website on a contact card.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct ContactUrl {
    url: String,
    #[serde(rename = "type")]
    kind: Option<InfoType>,
}

impl ContactUrl {
    /// A website URL.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            kind: None,
        }
    }

    /// `HOME`, `WORK` or another label.
    pub fn kind(mut self, kind: impl Into<InfoType>) -> Self {
        self.kind = Some(kind.into());
        self
    }
}

/// Where a contact works.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Org {
    company: Option<String>,
    department: Option<String>,
    title: Option<String>,
}

impl Org {
    /// An empty organisation; fill it with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Company name.
    pub fn company(mut self, value: impl Into<String>) -> Self {
        self.company = Some(value.into());
        self
    }

    /// Department.
    pub fn department(mut self, value: impl Into<String>) -> Self {
        self.department = Some(value.into());
        self
    }

    /// Job title.
    pub fn title(mut self, value: impl Into<String>) -> Self {
        self.title = Some(value.into());
        self
    }
}

/// One contact card.
///
/// ```
/// use whatsapp_cloud::message::{ContactCard, Name, Phone, PhoneType, Email, InfoType};
/// let card = ContactCard::new(Name::new("Barbara J. Johnson").first_name("Barbara").last_name("Johnson"))
///     .birthday("1999-01-23")
///     .phone(Phone::new("+19175559999").kind(PhoneType::Cell).wa_id("19175559999"))
///     .email(Email::new("bjohnson@luckyshrub.com").kind(InfoType::Work));
/// let json = serde_json::to_value(&card)?;
/// assert_eq!(json["name"]["formatted_name"], "Barbara J. Johnson");
/// assert_eq!(json["phones"][0]["type"], "CELL");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct ContactCard {
    name: Name,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    addresses: Vec<Address>,
    birthday: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    emails: Vec<Email>,
    org: Option<Org>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    phones: Vec<Phone>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    urls: Vec<ContactUrl>,
}

impl ContactCard {
    /// A card with a name (a `&str` becomes the formatted name).
    pub fn new(name: impl Into<Name>) -> Self {
        Self {
            name: name.into(),
            addresses: Vec::new(),
            birthday: None,
            emails: Vec::new(),
            org: None,
            phones: Vec::new(),
            urls: Vec::new(),
        }
    }

    /// Adds a postal address.
    pub fn address(mut self, address: Address) -> Self {
        self.addresses.push(address);
        self
    }

    /// The birthday, `YYYY-MM-DD`.
    pub fn birthday(mut self, date: impl Into<String>) -> Self {
        self.birthday = Some(date.into());
        self
    }

    /// Adds an email address.
    pub fn email(mut self, email: impl Into<Email>) -> Self {
        self.emails.push(email.into());
        self
    }

    /// The organisation.
    pub fn org(mut self, org: Org) -> Self {
        self.org = Some(org);
        self
    }

    /// Adds a phone number.
    pub fn phone(mut self, phone: impl Into<Phone>) -> Self {
        self.phones.push(phone.into());
        self
    }

    /// Adds a website.
    pub fn url(mut self, url: impl Into<ContactUrl>) -> Self {
        self.urls.push(url.into());
        self
    }

    /// Checks the card; `path` is its JSON path (`contacts[0]`).
    pub(crate) fn validate_at(&self, path: &str) -> Result<(), ValidationError> {
        limits::non_blank(
            &format!("{path}.name.formatted_name"),
            &self.name.formatted_name,
        )?;
        if let Some(birthday) = &self.birthday {
            limits::date(&format!("{path}.birthday"), birthday)?;
        }
        for (i, email) in self.emails.iter().enumerate() {
            limits::non_blank(&format!("{path}.emails[{i}].email"), &email.email)?;
        }
        for (i, phone) in self.phones.iter().enumerate() {
            limits::non_blank(&format!("{path}.phones[{i}].phone"), &phone.phone)?;
            if let Some(wa_id) = &phone.wa_id {
                limits::id_unbounded(&format!("{path}.phones[{i}].wa_id"), wa_id)?;
            }
        }
        for (i, url) in self.urls.iter().enumerate() {
            limits::non_blank(&format!("{path}.urls[{i}].url"), &url.url)?;
        }
        Ok(())
    }
}

impl From<&str> for Email {
    fn from(value: &str) -> Self {
        Email::new(value)
    }
}

impl From<&str> for Phone {
    fn from(value: &str) -> Self {
        Phone::new(value)
    }
}

impl From<&str> for ContactUrl {
    fn from(value: &str) -> Self {
        ContactUrl::new(value)
    }
}

/// Checks a contacts message: 1 to 257 cards, each valid.
pub(crate) fn validate_contacts(contacts: &[ContactCard]) -> Result<(), ValidationError> {
    limits::count(
        "contacts",
        contacts.len(),
        limits::CONTACTS_MIN,
        limits::CONTACTS_MAX,
    )?;
    for (i, contact) in contacts.iter().enumerate() {
        contact.validate_at(&format!("contacts[{i}]"))?;
    }
    Ok(())
}

impl From<ContactCard> for super::Message {
    fn from(value: ContactCard) -> Self {
        super::Message::Contacts(vec![value])
    }
}

impl From<Vec<ContactCard>> for super::Message {
    fn from(value: Vec<ContactCard>) -> Self {
        super::Message::Contacts(value)
    }
}

impl From<String> for InfoType {
    fn from(value: String) -> Self {
        InfoType::from(value.as_str())
    }
}

impl From<String> for PhoneType {
    fn from(value: String) -> Self {
        PhoneType::from(value.as_str())
    }
}

impl From<String> for Email {
    fn from(value: String) -> Self {
        Email::new(value)
    }
}

impl From<String> for Phone {
    fn from(value: String) -> Self {
        Phone::new(value)
    }
}

impl From<String> for ContactUrl {
    fn from(value: String) -> Self {
        ContactUrl::new(value)
    }
}
