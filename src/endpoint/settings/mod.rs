//! The settings of a business phone number: `GET` and `POST /<PHONE_NUMBER_ID>/settings`
//! (Meta's "Configure Call Settings", "Local storage" and Settings API reference pages).
//!
//! One endpoint carries four typed sections: [`CallingSettings`] (the Calling API),
//! [`StorageConfiguration`] (local storage of message data), [`UserIdentityChange`] (identity
//! change checks) and [`PayloadEncryption`].
//!
//! Meta's reference allows one feature object per update request, so
//! [`UpdatePhoneNumberSettings`] is built for exactly one section: to change two, send two
//! updates. Values go out in upper case (`ENABLED`) and are read in any case (the generated
//! reference writes `enabled`); values this version does not know are kept.
//!
//! ```
//! use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
//! use whatsapp_cloud::endpoint::settings::{
//!     CallingSettings, FeatureStatus, GetPhoneNumberSettings, UpdatePhoneNumberSettings,
//! };
//!
//! let ctx = ApiContext::new("token", "106540352242922");
//! let update = UpdatePhoneNumberSettings::calling(
//!     CallingSettings::new().status(FeatureStatus::Enabled),
//! );
//! let request = update.to_request(&ctx)?;
//! assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/106540352242922/settings");
//! assert_eq!(request.body().as_slice(), br#"{"calling":{"status":"ENABLED"}}"#);
//!
//! let settings = GetPhoneNumberSettings::new().send_with(&ctx, |_request| {
//!     http::Response::builder().status(200).body(
//!         br#"{"calling":{"status":"enabled","call_icon_visibility":"DEFAULT"}}"#.to_vec(),
//!     )
//! })?;
//! let calling = settings.calling.expect("calling");
//! assert_eq!(calling.status, Some(FeatureStatus::Enabled));
//! # Ok::<(), whatsapp_cloud::Error>(())
//! ```
//!
//! With the `client` feature: `client.phone_number_settings().await?` and
//! `client.update_phone_number_settings(&update).await?`.

mod calling;

pub use calling::{
    AudioCodec, AudioSettings, CALL_HOURS_HOLIDAYS_MAX, CALL_HOURS_WINDOWS_PER_DAY_MAX,
    CAPTURE_PURPOSE_MAX, CallCapture, CallHours, CallIconVisibility, CallIcons, CallingSettings,
    FeatureStatus, HolidayHours, OperatingHours, SipServer, SipSettings, VoicemailAudio,
    VoicemailGreeting, VoicemailSettings, VoicemailTrigger, Weekday,
};

use super::paging::wire_enum;
use super::phone_numbers::phone_id;
use super::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::{Error, ValidationError, Violation};
use crate::ids::PhoneNumberId;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// The path segment of both calls.
const PATH: &str = "settings";

wire_enum! {
    /// Whether message data is stored in a chosen country (`storage_configuration.status`).
    StorageStatus {
        /// Data at rest stays in `data_localization_region`.
        InCountryStorageEnabled = "IN_COUNTRY_STORAGE_ENABLED",
        /// Meta's default storage.
        InCountryStorageDisabled = "IN_COUNTRY_STORAGE_DISABLED",
    }
}

/// The settings of a business phone number, as read; each section is present when Meta sent it.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PhoneNumberSettings {
    /// The Calling API settings.
    #[serde(default)]
    pub calling: Option<CallingSettings>,
    /// Local storage.
    #[serde(default)]
    pub storage_configuration: Option<StorageConfiguration>,
    /// Identity change checks.
    #[serde(default)]
    pub user_identity_change: Option<UserIdentityChange>,
    /// Payload encryption.
    #[serde(default)]
    pub payload_encryption: Option<PayloadEncryption>,
}

/// Local storage (`storage_configuration`, Meta's "Local storage" page).
///
/// ```
/// use whatsapp_cloud::endpoint::settings::StorageConfiguration;
/// assert_eq!(
///     serde_json::to_value(StorageConfiguration::in_country("BR"))?,
///     serde_json::json!({"status": "IN_COUNTRY_STORAGE_ENABLED", "data_localization_region": "BR"})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StorageConfiguration {
    /// On or off.
    pub status: StorageStatus,
    /// Where data is stored (an ISO 3166 alpha-2 code), when on.
    #[serde(default)]
    pub data_localization_region: Option<String>,
}

impl StorageConfiguration {
    /// Stores message data in `region` (an ISO 3166 alpha-2 code such as `BR`).
    pub fn in_country(region: impl Into<String>) -> Self {
        Self {
            status: StorageStatus::InCountryStorageEnabled,
            data_localization_region: Some(region.into()),
        }
    }

    /// Turns local storage off.
    pub fn disabled() -> Self {
        Self {
            status: StorageStatus::InCountryStorageDisabled,
            data_localization_region: None,
        }
    }

    fn validate(&self) -> Result<(), ValidationError> {
        const FIELD: &str = "storage_configuration.data_localization_region";
        match (&self.status, &self.data_localization_region) {
            (StorageStatus::InCountryStorageEnabled, None) => {
                Err(ValidationError::new(FIELD, Violation::Missing))
            }
            (_, Some(region)) => calling::country_code(FIELD, region),
            _ => Ok(()),
        }
    }
}

/// Identity change checks (`user_identity_change`): when on, a message to a user whose identity
/// (key) changed is held until they confirm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserIdentityChange {
    /// Whether the checks are on.
    pub enabled: bool,
}

/// Payload encryption (`payload_encryption`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PayloadEncryption {
    /// On or off.
    pub status: FeatureStatus,
}

/// Reads the settings: `GET /<PHONE_NUMBER_ID>/settings`, with SIP passwords when asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct GetPhoneNumberSettings {
    id: Option<PhoneNumberId>,
    include_sip_credentials: bool,
}

impl GetPhoneNumberSettings {
    /// Reads the settings of the context's phone number.
    pub fn new() -> Self {
        Self::default()
    }

    /// For another phone number than the context's.
    pub fn phone_number_id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Also reads the SIP servers' passwords (`include_sip_credentials=true`).
    pub fn include_sip_credentials(mut self, include: bool) -> Self {
        self.include_sip_credentials = include;
        self
    }
}

impl Endpoint for GetPhoneNumberSettings {
    type Output = PhoneNumberSettings;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = ctx.url(&[phone_id(ctx, self.id.as_ref())?.as_str(), PATH])?;
        if self.include_sip_credentials {
            url.query_pairs_mut()
                .append_pair("include_sip_credentials", "true");
        }
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<PhoneNumberSettings, Error> {
        let response = super::check_status(response)?;
        let body = response.body().as_ref();
        serde_json::from_slice(body).map_err(|e| {
            // The answer may hold SIP passwords: the error names the place only (serde's message
            // can quote a value), and its excerpt of the body has every password blanked.
            let message = format!(
                "{:?} error at line {} column {}",
                e.classify(),
                e.line(),
                e.column()
            );
            let scrubbed = serde_json::from_slice::<serde_json::Value>(body)
                .map(|mut value| {
                    blank_passwords(&mut value);
                    value.to_string().into_bytes()
                })
                .unwrap_or_default();
            Error::Decode(crate::error::DecodeError::new(
                "phone number settings",
                message,
                &scrubbed,
            ))
        })
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Changes one section of the settings: `POST /<PHONE_NUMBER_ID>/settings`.
///
/// Meta takes one feature object per request, so each constructor sets one section.
///
/// ```
/// use whatsapp_cloud::endpoint::settings::{StorageConfiguration, UpdatePhoneNumberSettings};
/// let update = UpdatePhoneNumberSettings::storage_configuration(StorageConfiguration::in_country("BR"));
/// assert_eq!(
///     serde_json::to_value(update.settings())?,
///     serde_json::json!({"storage_configuration": {"status": "IN_COUNTRY_STORAGE_ENABLED", "data_localization_region": "BR"}})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct UpdatePhoneNumberSettings {
    id: Option<PhoneNumberId>,
    settings: PhoneNumberSettings,
}

impl UpdatePhoneNumberSettings {
    fn with(settings: PhoneNumberSettings) -> Self {
        Self { id: None, settings }
    }

    /// Changes the calling settings (only the fields set; `call_hours` is replaced whole).
    pub fn calling(calling: CallingSettings) -> Self {
        Self::with(PhoneNumberSettings {
            calling: Some(calling),
            ..PhoneNumberSettings::default()
        })
    }

    /// Changes local storage.
    pub fn storage_configuration(storage: StorageConfiguration) -> Self {
        Self::with(PhoneNumberSettings {
            storage_configuration: Some(storage),
            ..PhoneNumberSettings::default()
        })
    }

    /// Turns identity change checks on or off.
    pub fn user_identity_change(enabled: bool) -> Self {
        Self::with(PhoneNumberSettings {
            user_identity_change: Some(UserIdentityChange { enabled }),
            ..PhoneNumberSettings::default()
        })
    }

    /// Turns payload encryption on or off.
    pub fn payload_encryption(status: FeatureStatus) -> Self {
        Self::with(PhoneNumberSettings {
            payload_encryption: Some(PayloadEncryption { status }),
            ..PhoneNumberSettings::default()
        })
    }

    /// For another phone number than the context's.
    pub fn phone_number_id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The settings sent (one section set).
    pub fn settings(&self) -> &PhoneNumberSettings {
        &self.settings
    }

    /// Checks the section's limits (see [`CallingSettings::validate`]; local storage needs a
    /// region when on).
    ///
    /// # Errors
    /// The first [`ValidationError`].
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Some(calling) = &self.settings.calling {
            calling.validate()?;
        }
        if let Some(storage) = &self.settings.storage_configuration {
            storage.validate()?;
        }
        Ok(())
    }
}

impl Endpoint for UpdatePhoneNumberSettings {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = ctx.url(&[phone_id(ctx, self.id.as_ref())?.as_str(), PATH])?;
        ctx.json_request(http::Method::POST, &url, &self.settings)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("phone number settings update response", response)
    }

    /// Setting the same values again leaves the same state.
    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

#[cfg(test)]
mod tests;

/// Replaces the value of every key naming a password (`sip_user_password`, ...) with `"<redacted>"`.
fn blank_passwords(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                if key.contains("password") {
                    *field = serde_json::Value::String("<redacted>".to_owned());
                } else {
                    blank_passwords(field);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(blank_passwords),
        _ => {}
    }
}
