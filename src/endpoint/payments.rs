//! Payments API: look up a payment, and manage the payment configurations of a business account
//! (Meta's "Receive payments via payment gateways on WhatsApp" and "Onboarding APIs" pages, Payments
//! API India).
//!
//! A payment configuration links the business account to a payment gateway account (Razorpay, PayU,
//! Zaakpay) or to a UPI handle; an `order_details` message names it, and the payment lookup reads
//! what became of an order by its configuration and `reference_id`. Do not rely on the payment
//! status webhooks alone: Meta asks businesses to confirm a payment with the lookup.
//!
//! ```
//! use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
//! use whatsapp_cloud::endpoint::payments::LookupPayment;
//!
//! let ctx = ApiContext::new("token", "106540352242922");
//! let lookup = LookupPayment::new("razorpay-prod", "order-42");
//! let request = lookup.to_request(&ctx)?;
//! assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/106540352242922/payments/razorpay-prod/order-42");
//!
//! let body = br#"{"payments":[{"reference_id":"order-42","status":"captured","currency":"INR",
//!     "amount":{"value":21000,"offset":100},"transactions":[{"id":"pay_1","type":"razorpay",
//!     "status":"success","method":{"type":"upi"},"created_timestamp":1700000000}]}]}"#;
//! let response = http::Response::builder().status(200).body(body.to_vec())?;
//! let found = lookup.parse_response(response)?;
//! assert_eq!(found.payments[0].status.as_str(), "captured");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::endpoint::{ApiContext, Endpoint, Idempotency, Success, check_status, parse_json};
use crate::error::{DecodeError, Error, ValidationError, Violation};
use crate::limits;
pub use crate::webhook::{
    CodeDescription, PaymentConfiguration, PaymentConfigurationStatus, PaymentRecord,
    PaymentStatus, Transaction,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;

/// A required name or id that goes into a path or body: present, without surrounding whitespace.
fn check_name(field: &str, value: &str) -> Result<(), ValidationError> {
    limits::id_unbounded(field, value)
}

/// Looks up a payment: `GET /<PHONE_NUMBER_ID>/payments/<PAYMENT_CONFIGURATION>/<REFERENCE_ID>`.
///
/// The configuration and reference are those of the `order_details` message. The answer lists the
/// payment with its state and every transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct LookupPayment {
    configuration_name: String,
    reference_id: String,
}

impl LookupPayment {
    /// The payment of order `reference_id`, billed through `configuration_name`.
    pub fn new(configuration_name: impl Into<String>, reference_id: impl Into<String>) -> Self {
        Self {
            configuration_name: configuration_name.into(),
            reference_id: reference_id.into(),
        }
    }
}

/// Meta's answer to [`LookupPayment`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentLookup {
    /// The payments found for the reference (usually one).
    #[serde(default)]
    pub payments: Vec<PaymentRecord>,
}

impl Endpoint for LookupPayment {
    type Output = PaymentLookup;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        check_name("payment_configuration", &self.configuration_name)?;
        check_name("reference_id", &self.reference_id)?;
        let url = ctx.url(&[
            ctx.require_phone_number_id()?.as_str(),
            "payments",
            &self.configuration_name,
            &self.reference_id,
        ])?;
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<PaymentLookup, Error> {
        parse_json("payment lookup", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Lists the payment configurations of the business account: `GET /<WABA_ID>/payment_configurations`.
///
/// Meta's page nests the list (`{"data": [{"payment_configurations": [...]}]}`); a flat `data`
/// list of configurations is read too. The answer is the configurations in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct ListPaymentConfigurations;

impl ListPaymentConfigurations {
    /// Every configuration of the account in the context.
    pub fn new() -> Self {
        Self
    }
}

/// The configurations of an answer: `data` holds configurations, or groups of them under
/// `payment_configurations`; a configuration without the `data` wrapper is read too.
fn configurations_of<B: AsRef<[u8]>>(
    what: &'static str,
    response: http::Response<B>,
) -> Result<Vec<PaymentConfiguration>, Error> {
    let response = check_status(response)?;
    let body = response.body().as_ref();
    let decode = |message: String| -> Error { DecodeError::new(what, message, body).into() };
    let items = match serde_json::from_slice::<Value>(body).map_err(|e| decode(e.to_string()))? {
        Value::Object(mut map) => match map.remove("data") {
            Some(Value::Array(items)) => items,
            None if map.contains_key("configuration_name") => vec![Value::Object(map)],
            _ => return Err(decode("no `data` list".to_owned())),
        },
        _ => return Err(decode("not a JSON object".to_owned())),
    };
    let mut out = Vec::new();
    for item in items {
        match item {
            Value::Object(mut group) if group.contains_key("payment_configurations") => {
                let list = group.remove("payment_configurations").unwrap_or_default();
                out.extend(
                    Vec::<PaymentConfiguration>::deserialize(list)
                        .map_err(|e| decode(e.to_string()))?,
                );
            }
            other => out
                .push(PaymentConfiguration::deserialize(other).map_err(|e| decode(e.to_string()))?),
        }
    }
    Ok(out)
}

impl Endpoint for ListPaymentConfigurations {
    type Output = Vec<PaymentConfiguration>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = ctx.url(&[ctx.require_waba_id()?.as_str(), "payment_configurations"])?;
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Vec<PaymentConfiguration>, Error> {
        configurations_of("payment configurations", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Reads one payment configuration: `GET /<WABA_ID>/payment_configuration/<CONFIGURATION_NAME>`.
///
/// Meta answers `{"data": [<configuration>]}`; a configuration outside a `data` list is read too.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetPaymentConfiguration {
    configuration_name: String,
}

impl GetPaymentConfiguration {
    /// The configuration named `configuration_name`.
    pub fn new(configuration_name: impl Into<String>) -> Self {
        Self {
            configuration_name: configuration_name.into(),
        }
    }
}

impl Endpoint for GetPaymentConfiguration {
    type Output = PaymentConfiguration;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        check_name("configuration_name", &self.configuration_name)?;
        let url = ctx.url(&[
            ctx.require_waba_id()?.as_str(),
            "payment_configuration",
            &self.configuration_name,
        ])?;
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<PaymentConfiguration, Error> {
        let response = check_status(response)?;
        let body = response.body().as_ref();
        configurations_of("payment configuration", http::Response::new(body))?
            .into_iter()
            .next()
            .ok_or_else(|| {
                DecodeError::new("payment configuration", "`data` is empty", body).into()
            })
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Who a new payment configuration pays through (`provider_name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum PaymentProvider {
    /// A UPI handle of the merchant's (`upi_vpa`): needs [`CreatePaymentConfiguration::merchant_vpa`].
    #[serde(rename = "upi_vpa")]
    UpiVpa,
    /// Razorpay.
    #[serde(rename = "razorpay")]
    Razorpay,
    /// PayU.
    #[serde(rename = "payu")]
    PayU,
    /// Zaakpay.
    #[serde(rename = "zaakpay")]
    Zaakpay,
}

/// Creates a payment configuration: `POST /<WABA_ID>/payment_configuration`.
///
/// For a payment gateway, Meta answers with an OAuth link ([`PaymentConfigurationCreated::oauth_url`])
/// where the gateway account is connected; after connecting, the user returns to `redirect_url`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::payments::{CreatePaymentConfiguration, PaymentProvider};
///
/// let ctx = ApiContext::without_phone_number("token").with_waba_id("102290129340398");
/// let create = CreatePaymentConfiguration::new("razorpay-prod", PaymentProvider::Razorpay, "0000", "00")
///     .redirect_url("https://example.com/payments/connected");
/// let request = create.to_request(&ctx)?;
/// assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/102290129340398/payment_configuration");
/// assert_eq!(
///     request.body().as_slice(),
///     br#"{"configuration_name":"razorpay-prod","provider_name":"razorpay","merchant_category_code":"0000","purpose_code":"00","redirect_url":"https://example.com/payments/connected"}"#,
/// );
/// // A UPI handle configuration without its handle is refused before sending.
/// assert!(CreatePaymentConfiguration::new("upi", PaymentProvider::UpiVpa, "0000", "00").to_request(&ctx).is_err());
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreatePaymentConfiguration {
    configuration_name: String,
    provider_name: PaymentProvider,
    merchant_category_code: String,
    purpose_code: String,
    redirect_url: Option<String>,
    merchant_vpa: Option<String>,
}

impl CreatePaymentConfiguration {
    /// A configuration named `configuration_name` (unique in the account) paying through `provider`,
    /// with the merchant category code and purpose code of the business.
    pub fn new(
        configuration_name: impl Into<String>,
        provider: PaymentProvider,
        merchant_category_code: impl Into<String>,
        purpose_code: impl Into<String>,
    ) -> Self {
        Self {
            configuration_name: configuration_name.into(),
            provider_name: provider,
            merchant_category_code: merchant_category_code.into(),
            purpose_code: purpose_code.into(),
            redirect_url: None,
            merchant_vpa: None,
        }
    }

    /// Where the gateway's OAuth flow returns to (payment gateways).
    pub fn redirect_url(mut self, url: impl Into<String>) -> Self {
        self.redirect_url = Some(url.into());
        self
    }

    /// The merchant's UPI handle (required with [`PaymentProvider::UpiVpa`]).
    pub fn merchant_vpa(mut self, vpa: impl Into<String>) -> Self {
        self.merchant_vpa = Some(vpa.into());
        self
    }

    /// Checks the request.
    ///
    /// # Errors
    /// An empty name or code, a `redirect_url` that is not an http(s) URL, a UPI handle
    /// configuration without its handle.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_name("configuration_name", &self.configuration_name)?;
        check_name("merchant_category_code", &self.merchant_category_code)?;
        check_name("purpose_code", &self.purpose_code)?;
        if let Some(url) = &self.redirect_url {
            limits::http_url("redirect_url", url)?;
        }
        match (&self.provider_name, &self.merchant_vpa) {
            (PaymentProvider::UpiVpa, None) => {
                Err(ValidationError::new("merchant_vpa", Violation::Missing))
            }
            (_, Some(vpa)) => check_name("merchant_vpa", vpa),
            _ => Ok(()),
        }
    }
}

/// Meta's answer to [`CreatePaymentConfiguration`].
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentConfigurationCreated {
    /// Whether Meta reports success.
    #[serde(default)]
    pub success: Option<bool>,
    /// Where the gateway account is connected (payment gateways).
    #[serde(default)]
    pub oauth_url: Option<String>,
    /// When the link stops working (unix seconds).
    #[serde(default, deserialize_with = "crate::webhook::opt_u64_lenient")]
    pub expiration: Option<u64>,
}

impl Endpoint for CreatePaymentConfiguration {
    type Output = PaymentConfigurationCreated;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = ctx.url(&[ctx.require_waba_id()?.as_str(), "payment_configuration"])?;
        ctx.json_request(http::Method::POST, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<PaymentConfigurationCreated, Error> {
        parse_json("payment configuration creation", response)
    }
}

/// Makes a new OAuth link to connect a configuration to its gateway again:
/// `POST /<WABA_ID>/generate_payment_configuration_oauth_link`.
///
/// Use it when the configuration `Needs_Connecting`, or when the link of the creation expired.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct RegeneratePaymentOAuthLink {
    configuration_name: String,
    redirect_url: Option<String>,
}

impl RegeneratePaymentOAuthLink {
    /// A new link for `configuration_name`.
    pub fn new(configuration_name: impl Into<String>) -> Self {
        Self {
            configuration_name: configuration_name.into(),
            redirect_url: None,
        }
    }

    /// Where the OAuth flow returns to.
    pub fn redirect_url(mut self, url: impl Into<String>) -> Self {
        self.redirect_url = Some(url.into());
        self
    }
}

/// Meta's answer to [`RegeneratePaymentOAuthLink`].
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentOAuthLink {
    /// Where the gateway account is connected.
    pub oauth_url: String,
    /// When the link stops working (unix seconds).
    #[serde(default, deserialize_with = "crate::webhook::opt_u64_lenient")]
    pub expiration: Option<u64>,
}

impl Endpoint for RegeneratePaymentOAuthLink {
    type Output = PaymentOAuthLink;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        check_name("configuration_name", &self.configuration_name)?;
        if let Some(url) = &self.redirect_url {
            limits::http_url("redirect_url", url)?;
        }
        let url = ctx.url(&[
            ctx.require_waba_id()?.as_str(),
            "generate_payment_configuration_oauth_link",
        ])?;
        ctx.json_request(http::Method::POST, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<PaymentOAuthLink, Error> {
        parse_json("payment OAuth link", response)
    }
}

/// Removes a payment configuration: `DELETE /<WABA_ID>/payment_configuration` with the name in a
/// JSON body (`{"configuration_name": ...}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct DeletePaymentConfiguration {
    configuration_name: String,
}

impl DeletePaymentConfiguration {
    /// Removes `configuration_name`.
    pub fn new(configuration_name: impl Into<String>) -> Self {
        Self {
            configuration_name: configuration_name.into(),
        }
    }
}

impl Endpoint for DeletePaymentConfiguration {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        check_name("configuration_name", &self.configuration_name)?;
        let url = ctx.url(&[ctx.require_waba_id()?.as_str(), "payment_configuration"])?;
        ctx.json_request(http::Method::DELETE, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("payment configuration removal", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}
