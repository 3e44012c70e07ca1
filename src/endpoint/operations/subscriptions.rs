//! Subscribing an app to an account's webhooks, and the callback overrides of an account or a
//! number (Meta's "Webhook overrides" page and its `subscribed_apps` reference).
//!
//! Meta delivers to the phone number's override first, then the account's, then the app's
//! callback URL. Overrides apply to the `messages`, `message_echoes`, `calls`, `consumer_profile`,
//! `messaging_handovers` and `group_*` fields; the URL must answer the verification `GET` with
//! the verify token set here.

use super::{phone_fields_request, phone_url, waba_url};
use crate::endpoint::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::{Error, ValidationError};
use crate::limits;
use crate::secret::VerifyToken;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// The longest override callback URL, in characters.
pub const OVERRIDE_CALLBACK_URI_MAX: usize = 200;

/// An alternate callback URL and the verify token Meta sends to it in the verification request.
///
/// The token is a secret: `Debug` shows `<redacted>`.
///
/// ```
/// use whatsapp_cloud::endpoint::operations::CallbackOverride;
/// let over = CallbackOverride::new("https://hooks.example.com/wa", "s3cret-verify");
/// assert!(over.validate().is_ok());
/// assert!(!format!("{over:?}").contains("s3cret"));
/// assert!(CallbackOverride::new("http://hooks.example.com/wa", "t").validate().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct CallbackOverride {
    uri: String,
    verify_token: VerifyToken,
}

impl CallbackOverride {
    /// Webhooks go to `uri` (`https://`, at most 200 characters), verified with `verify_token`.
    pub fn new(uri: impl Into<String>, verify_token: impl Into<VerifyToken>) -> Self {
        Self {
            uri: uri.into(),
            verify_token: verify_token.into(),
        }
    }

    /// The callback URL.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The verify token.
    pub fn verify_token(&self) -> &VerifyToken {
        &self.verify_token
    }

    /// Checks Meta's rules: an absolute `https://` URL of at most 200 characters, a non-blank token.
    ///
    /// # Errors
    /// Names `override_callback_uri` or `verify_token`; the token itself is never quoted.
    pub fn validate(&self) -> Result<(), ValidationError> {
        limits::max_chars(
            "override_callback_uri",
            &self.uri,
            OVERRIDE_CALLBACK_URI_MAX,
        )?;
        limits::http_url("override_callback_uri", &self.uri)?;
        if !self.uri.starts_with("https://") {
            return Err(limits::invalid(
                "override_callback_uri",
                &self.uri,
                "an https:// URL",
            ));
        }
        if self.verify_token.is_blank() {
            return Err(ValidationError::new(
                "verify_token",
                crate::error::Violation::Empty,
            ));
        }
        Ok(())
    }

    fn body(&self) -> OverrideBody<'_> {
        OverrideBody {
            override_callback_uri: &self.uri,
            verify_token: Some(self.verify_token.expose_secret()),
        }
    }
}

#[skip_serializing_none]
#[derive(Serialize)]
struct OverrideBody<'a> {
    override_callback_uri: &'a str,
    verify_token: Option<&'a str>,
}

/// Subscribes the app to the account's webhooks: `POST /<WABA_ID>/subscribed_apps`.
///
/// Without an override the body is empty; [`with_override`](Self::with_override) sends
/// `override_callback_uri` and `verify_token` so that this account's webhooks go to another URL
/// (the app must already be subscribed). Subscribing again without an override removes it.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::{CallbackOverride, SubscribeApp};
///
/// let ctx = ApiContext::without_phone_number("token").with_waba_id("102290129340398");
/// let plain = SubscribeApp::new().to_request(&ctx)?;
/// assert!(plain.body().is_empty());
/// let over = SubscribeApp::new()
///     .with_override(CallbackOverride::new("https://hooks.example.com/wa", "verify-me"))
///     .to_request(&ctx)?;
/// assert_eq!(over.body().as_slice(), br#"{"override_callback_uri":"https://hooks.example.com/wa","verify_token":"verify-me"}"#);
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct SubscribeApp {
    callback: Option<CallbackOverride>,
}

impl SubscribeApp {
    /// Subscribes the app (no override).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends the account's webhooks to this URL instead of the app's.
    pub fn with_override(mut self, callback: CallbackOverride) -> Self {
        self.callback = Some(callback);
        self
    }
}

impl Endpoint for SubscribeApp {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = waba_url(ctx, &["subscribed_apps"])?;
        match &self.callback {
            None => ctx.empty_request(http::Method::POST, &url),
            Some(callback) => {
                callback.validate()?;
                ctx.json_request(http::Method::POST, &url, &callback.body())
            }
        }
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("app subscription", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Lists the apps subscribed to the account: `GET /<WABA_ID>/subscribed_apps`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct ListSubscribedApps {}

impl ListSubscribedApps {
    /// Every subscribed app.
    pub fn new() -> Self {
        Self::default()
    }
}

/// One app subscribed to an account.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SubscribedApp {
    /// The app.
    pub whatsapp_business_api_data: SubscribedAppData,
    /// The account's callback override, when one is set.
    #[serde(default)]
    pub override_callback_uri: Option<String>,
}

/// The app of a [`SubscribedApp`].
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SubscribedAppData {
    /// The app id.
    pub id: String,
    /// The app's link.
    #[serde(default)]
    pub link: Option<String>,
    /// The app's name.
    #[serde(default)]
    pub name: Option<String>,
}

impl Endpoint for ListSubscribedApps {
    type Output = Vec<SubscribedApp>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = waba_url(ctx, &["subscribed_apps"])?;
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Vec<SubscribedApp>, Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            data: Vec<SubscribedApp>,
        }
        parse_json::<Raw, _>("subscribed apps", response).map(|r| r.data)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Unsubscribes the app from the account's webhooks: `DELETE /<WABA_ID>/subscribed_apps`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct UnsubscribeApp {}

impl UnsubscribeApp {
    /// Unsubscribes the app.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Endpoint for UnsubscribeApp {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = waba_url(ctx, &["subscribed_apps"])?;
        ctx.empty_request(http::Method::DELETE, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("app unsubscription", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Sets or clears the phone number's callback override:
/// `POST /<PHONE_NUMBER_ID>` `{"webhook_configuration":{…}}`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::{CallbackOverride, SetPhoneWebhookOverride};
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let set = SetPhoneWebhookOverride::new(CallbackOverride::new("https://hooks.example.com/n1", "tok"));
/// assert_eq!(
///     set.to_request(&ctx)?.body().as_slice(),
///     br#"{"webhook_configuration":{"override_callback_uri":"https://hooks.example.com/n1","verify_token":"tok"}}"#
/// );
/// let clear = SetPhoneWebhookOverride::clear().to_request(&ctx)?;
/// assert_eq!(clear.body().as_slice(), br#"{"webhook_configuration":{"override_callback_uri":""}}"#);
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct SetPhoneWebhookOverride {
    callback: Option<CallbackOverride>,
}

impl SetPhoneWebhookOverride {
    /// Sends this number's webhooks to `callback`.
    pub fn new(callback: CallbackOverride) -> Self {
        Self {
            callback: Some(callback),
        }
    }

    /// Removes this number's override (the account's or the app's URL applies again).
    pub fn clear() -> Self {
        Self { callback: None }
    }
}

impl Endpoint for SetPhoneWebhookOverride {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        #[derive(Serialize)]
        struct Body<'a> {
            webhook_configuration: OverrideBody<'a>,
        }
        let webhook_configuration = match &self.callback {
            Some(callback) => {
                callback.validate()?;
                callback.body()
            }
            None => OverrideBody {
                override_callback_uri: "",
                verify_token: None,
            },
        };
        let url = phone_url(ctx, &[])?;
        ctx.json_request(
            http::Method::POST,
            &url,
            &Body {
                webhook_configuration,
            },
        )
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("phone number callback override", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Reads where the number's webhooks go: `GET /<PHONE_NUMBER_ID>?fields=webhook_configuration`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::GetWebhookConfiguration;
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let get = GetWebhookConfiguration::new();
/// assert_eq!(get.to_request(&ctx)?.uri().query(), Some("fields=webhook_configuration"));
/// let answer = http::Response::new(br#"{"webhook_configuration":{"whatsapp_business_account":"https://waba.example.com","application":"https://app.example.com"},"id":"106540352242922"}"#.to_vec());
/// let config = get.parse_response(answer)?;
/// assert_eq!(config.effective(), Some("https://waba.example.com"));
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct GetWebhookConfiguration {}

impl GetWebhookConfiguration {
    /// The number's webhook configuration.
    pub fn new() -> Self {
        Self::default()
    }
}

/// The callback URLs that apply to a number, each level when set.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookConfiguration {
    /// The number's own override.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// The account's override.
    #[serde(default)]
    pub whatsapp_business_account: Option<String>,
    /// The app's callback URL.
    #[serde(default)]
    pub application: Option<String>,
}

impl WebhookConfiguration {
    /// The URL Meta delivers to: the number's override, else the account's, else the app's.
    pub fn effective(&self) -> Option<&str> {
        [
            &self.phone_number,
            &self.whatsapp_business_account,
            &self.application,
        ]
        .into_iter()
        .find_map(|u| u.as_deref().filter(|u| !u.is_empty()))
    }
}

impl Endpoint for GetWebhookConfiguration {
    type Output = WebhookConfiguration;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        phone_fields_request(ctx, "webhook_configuration")
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<WebhookConfiguration, Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            webhook_configuration: WebhookConfiguration,
        }
        parse_json::<Raw, _>("webhook configuration", response).map(|r| r.webhook_configuration)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}
