//! The business profile of a phone number: `GET` and `POST /<PHONE_NUMBER_ID>/whatsapp_business_profile`.
//!
//! Meta's limits, checked before sending: `about` 1-139 characters, `address` 256, `description` 512,
//! `email` 128 (and shaped like an address), at most 2 `websites` of 256 characters starting with
//! `http://` or `https://`.
//!
//! ```
//! use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
//! use whatsapp_cloud::endpoint::business_profile::{UpdateBusinessProfile, Vertical};
//!
//! let ctx = ApiContext::new("token", "106540352242922");
//! let update = UpdateBusinessProfile::new().about("Succulent specialists!").vertical(Vertical::Retail);
//! let request = update.to_request(&ctx)?;
//! assert_eq!(request.body().as_slice(), br#"{"messaging_product":"whatsapp","about":"Succulent specialists!","vertical":"RETAIL"}"#);
//! assert!(UpdateBusinessProfile::new().about("x".repeat(140)).to_request(&ctx).is_err());
//! # Ok::<(), whatsapp_cloud::Error>(())
//! ```

use super::paging::{ListQuery, list_query_setters, wire_enum};
use super::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::{DecodeError, Error, ValidationError, Violation};
use crate::ids::PhoneNumberId;
use crate::limits;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// Every profile field, asked for by [`GetBusinessProfile`] unless others are given.
pub const DEFAULT_FIELDS: &[&str] = &[
    "about",
    "address",
    "description",
    "email",
    "profile_picture_url",
    "websites",
    "vertical",
];

wire_enum! {
    /// The business's industry.
    Vertical {
        /// Not set.
        Undefined = "UNDEFINED",
        /// Other.
        Other = "OTHER",
        /// Automotive.
        Auto = "AUTO",
        /// Beauty, spa and salon.
        Beauty = "BEAUTY",
        /// Clothing and apparel.
        Apparel = "APPAREL",
        /// Education.
        Education = "EDU",
        /// Entertainment.
        Entertainment = "ENTERTAIN",
        /// Event planning and service.
        EventPlanning = "EVENT_PLAN",
        /// Finance and banking.
        Finance = "FINANCE",
        /// Grocery and supermarket.
        Grocery = "GROCERY",
        /// Government and public service.
        Government = "GOVT",
        /// Hotel and lodging.
        Hotel = "HOTEL",
        /// Medical and health.
        Health = "HEALTH",
        /// Non-profit.
        NonProfit = "NONPROFIT",
        /// Professional services.
        ProfessionalServices = "PROF_SERVICES",
        /// Shopping and retail.
        Retail = "RETAIL",
        /// Travel and transportation.
        Travel = "TRAVEL",
        /// Restaurant.
        Restaurant = "RESTAURANT",
        /// Not a business.
        NotABusiness = "NOT_A_BIZ",
    }
}

/// A business profile as Meta returns it.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BusinessProfile {
    /// The "About" text.
    #[serde(default)]
    pub about: Option<String>,
    /// The address.
    #[serde(default)]
    pub address: Option<String>,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// The contact email.
    #[serde(default)]
    pub email: Option<String>,
    /// The profile picture's URL.
    #[serde(default)]
    pub profile_picture_url: Option<String>,
    /// Up to two websites.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub websites: Vec<String>,
    /// The industry.
    #[serde(default)]
    pub vertical: Option<Vertical>,
    /// Always `whatsapp`.
    #[serde(default)]
    pub messaging_product: Option<String>,
}

fn phone_id(ctx: &ApiContext, own: Option<&PhoneNumberId>) -> Result<String, Error> {
    let id = match own {
        Some(id) => id.as_str().to_owned(),
        None => ctx.require_phone_number_id()?.as_str().to_owned(),
    };
    if id.trim().is_empty() {
        return Err(ValidationError::new("phone_number_id", Violation::Empty).into());
    }
    Ok(id)
}

/// Gets the business profile: `GET /<PHONE_NUMBER_ID>/whatsapp_business_profile?fields=...`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct GetBusinessProfile {
    id: Option<PhoneNumberId>,
    query: ListQuery,
}

impl GetBusinessProfile {
    /// The context's number's profile, every field.
    pub fn new() -> Self {
        Self::default()
    }

    /// Another number's profile.
    pub fn id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.id = Some(id.into());
        self
    }

    list_query_setters!(fields);
}

impl Endpoint for GetBusinessProfile {
    type Output = BusinessProfile;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let id = phone_id(ctx, self.id.as_ref())?;
        let mut url = ctx.url(&[&id, "whatsapp_business_profile"])?;
        self.query.write(&mut url, DEFAULT_FIELDS, &[]);
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<BusinessProfile, Error> {
        #[derive(Deserialize)]
        struct Data {
            data: Vec<BusinessProfile>,
        }
        let body = response.body().as_ref().to_vec();
        let data: Data = parse_json("business profile", response)?;
        data.data.into_iter().next().ok_or_else(|| {
            Error::Decode(DecodeError::new(
                "business profile",
                "the data list is empty",
                &body,
            ))
        })
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Updates the business profile: `POST /<PHONE_NUMBER_ID>/whatsapp_business_profile`. Only the fields
/// set are sent.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[must_use]
pub struct UpdateBusinessProfile {
    #[serde(skip)]
    id: Option<PhoneNumberId>,
    #[serde(serialize_with = "whatsapp")]
    messaging_product: (),
    about: Option<String>,
    address: Option<String>,
    description: Option<String>,
    email: Option<String>,
    websites: Option<Vec<String>>,
    vertical: Option<Vertical>,
    profile_picture_handle: Option<String>,
}

fn whatsapp<S: serde::Serializer>(_: &(), s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("whatsapp")
}

impl UpdateBusinessProfile {
    /// An update of nothing yet; set the fields to change.
    pub fn new() -> Self {
        Self::default()
    }

    /// Updates another number's profile.
    pub fn id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The "About" text (1-139 characters).
    pub fn about(mut self, about: impl Into<String>) -> Self {
        self.about = Some(about.into());
        self
    }

    /// The address (at most 256 characters).
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }

    /// The description (at most 512 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The contact email (at most 128 characters).
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// The websites (at most 2, each at most 256 characters, `http://` or `https://`). An empty list
    /// removes them.
    pub fn websites<I, S>(mut self, websites: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.websites = Some(websites.into_iter().map(Into::into).collect());
        self
    }

    /// The industry.
    pub fn vertical(mut self, vertical: Vertical) -> Self {
        self.vertical = Some(vertical);
        self
    }

    /// Sets the profile picture to a file uploaded with the Resumable Upload API
    /// (`Client::upload_resumable`).
    pub fn profile_picture(self, handle: crate::ids::HeaderHandle) -> Self {
        self.profile_picture_handle(handle)
    }

    /// A new profile picture: a handle from the resumable upload API.
    pub fn profile_picture_handle(mut self, handle: impl Into<String>) -> Self {
        self.profile_picture_handle = Some(handle.into());
        self
    }

    /// Checks Meta's limits.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Some(about) = &self.about {
            text("about", about, limits::PROFILE_ABOUT_MAX, true)?;
        }
        if let Some(address) = &self.address {
            text("address", address, limits::PROFILE_ADDRESS_MAX, false)?;
        }
        if let Some(description) = &self.description {
            text(
                "description",
                description,
                limits::PROFILE_DESCRIPTION_MAX,
                false,
            )?;
        }
        if let Some(email) = &self.email {
            text("email", email, limits::PROFILE_EMAIL_MAX, false)?;
            if !email.is_empty() && !looks_like_email(email) {
                return Err(limits::invalid(
                    "email",
                    email,
                    "an email address such as name@example.com",
                ));
            }
        }
        if let Some(websites) = &self.websites {
            limits::count("websites", websites.len(), 0, limits::PROFILE_WEBSITES_MAX)?;
            for (i, site) in websites.iter().enumerate() {
                let field = format!("websites[{i}]");
                text(&field, site, limits::PROFILE_WEBSITE_MAX, true)?;
                if !(site.starts_with("http://") || site.starts_with("https://")) {
                    return Err(limits::invalid(
                        field,
                        site,
                        "a URL starting with http:// or https://",
                    ));
                }
            }
        }
        if let Some(Vertical::Unknown(v)) = &self.vertical {
            return Err(limits::invalid(
                "vertical",
                v,
                "one of Meta's verticals (see Vertical)",
            ));
        }
        if let Some(handle) = &self.profile_picture_handle {
            text("profile_picture_handle", handle, usize::MAX, true)?;
        }
        Ok(())
    }
}

fn text(field: &str, value: &str, max: usize, required: bool) -> Result<(), ValidationError> {
    if required {
        limits::required_text(field, value, max)
    } else {
        limits::max_chars(field, value, max)
    }
}

fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

impl Endpoint for UpdateBusinessProfile {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let id = phone_id(ctx, self.id.as_ref())?;
        let url = ctx.url(&[&id, "whatsapp_business_profile"])?;
        ctx.json_request(http::Method::POST, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("business profile update response", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_name_the_field() {
        let cases = [
            (UpdateBusinessProfile::new().about(""), "about"),
            (UpdateBusinessProfile::new().about("a".repeat(140)), "about"),
            (
                UpdateBusinessProfile::new().address("a".repeat(257)),
                "address",
            ),
            (
                UpdateBusinessProfile::new().description("a".repeat(513)),
                "description",
            ),
            (UpdateBusinessProfile::new().email("not-an-email"), "email"),
            (
                UpdateBusinessProfile::new().websites(["https://a", "https://b", "https://c"]),
                "websites",
            ),
            (
                UpdateBusinessProfile::new().websites(["ftp://a"]),
                "websites[0]",
            ),
            (
                UpdateBusinessProfile::new().vertical(Vertical::parse("SPACE")),
                "vertical",
            ),
        ];
        for (update, field) in cases {
            assert_eq!(update.validate().unwrap_err().field, field);
        }
        UpdateBusinessProfile::new()
            .about("a".repeat(139))
            .email("a@b.co")
            .websites(["https://a.example", "http://b.example"])
            .validate()
            .unwrap();
    }

    #[test]
    fn unknown_vertical_is_kept_when_parsing() {
        let p: BusinessProfile = serde_json::from_str(r#"{"vertical":"INDUSTRY"}"#).unwrap();
        assert_eq!(p.vertical, Some(Vertical::Unknown("INDUSTRY".into())));
    }
}
