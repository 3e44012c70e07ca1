//! Meta's Marketing Messages API: `POST /<PHONE_NUMBER_ID>/marketing_messages`, marketing templates
//! sent with quality-based delivery (Meta's "Send Marketing Messages" page).
//!
//! The body is a `/messages` template send (same recipient rules: a phone number or `wa_id` in `to`,
//! a business-scoped user id in `recipient`) with two more fields, `product_policy` and
//! `message_activity_sharing`. Only templates go this way: [`SendMarketingMessage`] takes a
//! [`Template`], so nothing else can be built. The answer is a [`SendResponse`], whose
//! `messages[].message_status` says whether Meta accepted, held or paused the message.
//!
//! ```
//! use whatsapp_cloud::endpoint::marketing::{ProductPolicy, SendMarketingMessage};
//! use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
//! use whatsapp_cloud::message::{MediaSource, Parameter, Template};
//!
//! let template = Template::new("spring_sale", "en_US")
//!     .header([Parameter::gif(MediaSource::id("1166846181421424"))])
//!     .tap_target("https://shop.example/spring", "Shop now");
//! let send = SendMarketingMessage::new("+16315551234", template)
//!     .product_policy(ProductPolicy::Strict)
//!     .message_activity_sharing(true);
//! let request = send.to_request(&ApiContext::new("EAAG-token", "106540352242922"))?;
//! assert_eq!(
//!     request.uri(),
//!     "https://graph.facebook.com/v26.0/106540352242922/marketing_messages"
//! );
//! let body: serde_json::Value = serde_json::from_slice(request.body())?;
//! assert_eq!(body["type"], "template");
//! assert_eq!(body["product_policy"], "STRICT");
//! assert_eq!(body["message_activity_sharing"], true);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::messages::SendResponse;
use super::{ApiContext, Endpoint};
use crate::error::{Error, ValidationError};
use crate::ids::Recipient;
use crate::message::{Message, SendMessage, Template};
use serde::{Serialize, Serializer};
use serde_with::skip_serializing_none;

/// What Meta does when the business is not onboarded to the Marketing Messages API.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProductPolicy {
    /// `CLOUD_API_FALLBACK` (Meta's default): send the message through the Cloud API instead.
    CloudApiFallback,
    /// `STRICT`: refuse the message.
    Strict,
    /// A value this version does not know, sent as given.
    Other(String),
}

impl ProductPolicy {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::CloudApiFallback => "CLOUD_API_FALLBACK",
            Self::Strict => "STRICT",
            Self::Other(s) => s,
        }
    }
}

impl Serialize for ProductPolicy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Sends a marketing template through the Marketing Messages API.
///
/// Check the outcome per message in [`SendResponse`]'s `messages[].message_status` (accepted, held
/// for quality assessment, paused); Meta's errors 134100 to 134102 have their own
/// [`ErrorClass`](crate::error::ErrorClass).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct SendMarketingMessage {
    #[serde(flatten)]
    message: SendMessage,
    product_policy: Option<ProductPolicy>,
    message_activity_sharing: Option<bool>,
}

impl SendMarketingMessage {
    /// Sends `template` to `to`: a phone number or `wa_id` (sent as `to`), a business-scoped user id
    /// (sent as `recipient`), or a [`Recipient`] with both.
    pub fn new(to: impl Into<Recipient>, template: Template) -> Self {
        Self {
            message: SendMessage::new(to, Message::Template(template.marketing())),
            product_policy: None,
            message_activity_sharing: None,
        }
    }

    /// What Meta does if the business is not onboarded (`product_policy`).
    pub fn product_policy(mut self, policy: ProductPolicy) -> Self {
        self.product_policy = Some(policy);
        self
    }

    /// Whether Meta shares this message's read and click activity with the business, overriding
    /// the account's default (`message_activity_sharing`).
    pub fn message_activity_sharing(mut self, share: bool) -> Self {
        self.message_activity_sharing = Some(share);
        self
    }

    /// An opaque string (max 512 characters) echoed back in this message's status webhooks.
    pub fn biz_opaque_callback_data(mut self, data: impl Into<String>) -> Self {
        self.message = self.message.biz_opaque_callback_data(data);
        self
    }

    /// The recipient.
    pub fn recipient(&self) -> &Recipient {
        self.message.recipient()
    }

    /// The template.
    pub fn template(&self) -> Option<&Template> {
        match self.message.message() {
            Message::Template(t) => Some(t),
            _ => None,
        }
    }

    /// Checks Meta's limits on the template and the envelope, as for `/messages`.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.message.validate()?;
        if let Some(ProductPolicy::Other(value)) = &self.product_policy {
            crate::limits::non_blank("product_policy", value)?;
        }
        Ok(())
    }
}

impl Endpoint for SendMarketingMessage {
    type Output = SendResponse;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = ctx.url(&[
            ctx.require_phone_number_id()?.as_str(),
            "marketing_messages",
        ])?;
        ctx.json_request(http::Method::POST, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<SendResponse, Error> {
        super::messages::parse_send_response(response)
    }

    fn recipient(&self) -> Option<&Recipient> {
        Some(self.message.recipient())
    }

    fn outgoing(&self) -> Option<crate::policy::Outgoing<'_>> {
        self.template().map(|t| crate::policy::Outgoing::Template {
            name: t.name(),
            marketing: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(send: &SendMarketingMessage) -> serde_json::Value {
        let request = send.to_request(&ApiContext::new("token", "1065")).unwrap();
        serde_json::from_slice(request.body()).unwrap()
    }

    #[test]
    fn a_bsuid_goes_in_recipient_and_the_defaults_are_left_to_meta() {
        let send = SendMarketingMessage::new(
            "US.13491208655302741918",
            Template::new("spring_sale", "en"),
        );
        assert_eq!(
            body(&send),
            json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "recipient": "US.13491208655302741918",
                "type": "template",
                "template": {"name": "spring_sale", "language": {"code": "en"}}
            })
        );
    }

    #[test]
    fn status_and_bsuid_answers_are_read() {
        let send = SendMarketingMessage::new("US.1349", Template::new("t", "en"));
        let ok = |b: &str| {
            http::Response::builder()
                .status(200)
                .body(b.as_bytes().to_vec())
                .unwrap()
        };
        let sent = send
            .parse_response(ok(r#"{"messaging_product":"whatsapp","contacts":[{"input":"US.1349","user_id":"US.1349"}],"messages":[{"id":"wamid.A","message_status":"held_for_quality_assessment"}],"success":true}"#))
            .unwrap();
        assert_eq!(sent.contacts[0].wa_id, None);
        assert_eq!(
            sent.messages[0].message_status,
            Some(crate::endpoint::messages::AcceptedStatus::HeldForQualityAssessment)
        );
        assert!(matches!(
            send.parse_response(ok(r#"{"messaging_product":"whatsapp"}"#)),
            Err(Error::Decode(_))
        ));
    }
}
