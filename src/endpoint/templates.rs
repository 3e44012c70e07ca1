//! Template management: list, get, create, edit and delete message templates of a WhatsApp Business
//! Account (`/<WABA_ID>/message_templates`). Every call needs the account id
//! ([`ApiContext::with_waba_id`]).
//!
//! Creation is checked against Meta's creation limits first (Meta's "Templates" pages, constants in
//! [`crate::limits`]): header text 60, body 1024, footer 60 characters; button labels 25, URLs 2000 with at most one variable at the end,
//! copy-code examples 15, limited-time-offer text 16; at most 10 buttons (10 quick replies, 2 URL,
//! 1 phone, 1 copy-code); variables numbered `{{1}}..{{n}}` without gaps (or named `{{first_name}}`
//! with `parameter_format: named`), each with an example value.
//!
//! The management API spells categories, component and button types in upper case (`"UTILITY"`,
//! `"BODY"`, `"QUICK_REPLY"`); they are sent that way and parsed in any case.
//!
//! ```
//! use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
//! use whatsapp_cloud::endpoint::templates::*;
//!
//! let create = CreateTemplate::new("order_shipped", "en_US", TemplateCategory::Utility)
//!     .component(BodyComponent::new("Hi {{1}}, order {{2}} is on its way.").example_positional(["Ana", "#1042"]))
//!     .component(ButtonsComponent::new([ButtonDefinition::quick_reply("Thanks")]));
//! let ctx = ApiContext::without_phone_number("token").with_waba_id("102290129340398");
//! let request = create.to_request(&ctx)?;
//! assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/102290129340398/message_templates");
//!
//! let missing_example = CreateTemplate::new("x", "en", TemplateCategory::Utility)
//!     .component(BodyComponent::new("Hi {{1}}"));
//! assert!(missing_example.to_request(&ctx).is_err());
//! # Ok::<(), whatsapp_cloud::Error>(())
//! ```

use super::paging::{ListQuery, Page, Paginated, list_query_setters, parse_page, wire_enum};
use super::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::{Error, ValidationError, Violation};
use crate::limits::{self, invalid, max_chars};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;
use std::collections::BTreeSet;

wire_enum! {
    /// A template's category.
    TemplateCategory {
        /// Promotions, offers, announcements.
        Marketing = "MARKETING",
        /// Updates about a transaction or account the user asked for.
        Utility = "UTILITY",
        /// One-time passwords.
        Authentication = "AUTHENTICATION",
    }
}

wire_enum! {
    /// How a template's variables are written: `{{1}}` (positional, the default) or `{{first_name}}` (named).
    ParameterFormat {
        /// `{{1}}`, `{{2}}`, ...
        Positional = "positional",
        /// `{{first_name}}`, ...
        Named = "named",
    }
}

wire_enum! {
    /// A template's review status.
    TemplateStatus {
        /// Approved: can be sent.
        Approved = "APPROVED",
        /// Under review.
        Pending = "PENDING",
        /// Rejected; see `rejected_reason`.
        Rejected = "REJECTED",
        /// Paused for low quality.
        Paused = "PAUSED",
        /// Disabled for low quality.
        Disabled = "DISABLED",
        /// Appeal under review.
        InAppeal = "IN_APPEAL",
        /// Being deleted.
        PendingDeletion = "PENDING_DELETION",
        /// Deleted.
        Deleted = "DELETED",
        /// Over the account's template limit.
        LimitExceeded = "LIMIT_EXCEEDED",
        /// Archived.
        Archived = "ARCHIVED",
    }
}

wire_enum! {
    /// A header's format.
    HeaderFormat {
        /// Text, with at most one variable.
        Text = "TEXT",
        /// An image.
        Image = "IMAGE",
        /// A video.
        Video = "VIDEO",
        /// A document.
        Document = "DOCUMENT",
        /// A location, filled in at send time.
        Location = "LOCATION",
        /// A GIF (sent as MP4).
        Gif = "GIF",
    }
}

wire_enum! {
    /// A template button's type.
    ButtonType {
        /// A quick reply; its payload may be set at send time.
        QuickReply = "QUICK_REPLY",
        /// A URL, optionally with one variable at the end.
        Url = "URL",
        /// Calls a phone number.
        PhoneNumber = "PHONE_NUMBER",
        /// Copies a coupon code given at send time.
        CopyCode = "COPY_CODE",
        /// A one-time password (authentication templates).
        Otp = "OTP",
        /// Opens a WhatsApp Flow.
        Flow = "FLOW",
        /// Opens the catalog.
        Catalog = "CATALOG",
        /// Multi-product message.
        Mpm = "MPM",
        /// Starts a WhatsApp call.
        VoiceCall = "VOICE_CALL",
    }
}

/// Example values for a template's variables (Meta requires one per variable at creation).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateExample {
    /// Header text variable example (positional): one value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header_text: Vec<String>,
    /// Header media example: an upload handle from the resumable upload API.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header_handle: Vec<String>,
    /// Body variable examples (positional): one list with a value per variable.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body_text: Vec<Vec<String>>,
    /// Header variable example (named).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header_text_named_params: Vec<NamedExample>,
    /// Body variable examples (named).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body_text_named_params: Vec<NamedExample>,
}

/// The example of one named variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NamedExample {
    /// The variable name, as in `{{first_name}}`.
    pub param_name: String,
    /// An example value.
    pub example: String,
}

impl NamedExample {
    /// The example `value` of variable `name`.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            param_name: name.into(),
            example: value.into(),
        }
    }
}

/// A template's `HEADER` component.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct HeaderComponent {
    /// The format.
    pub format: HeaderFormat,
    /// The text of a text header.
    #[serde(default)]
    pub text: Option<String>,
    /// Examples.
    #[serde(default)]
    pub example: Option<TemplateExample>,
}

impl HeaderComponent {
    /// A text header (at most 60 characters and one variable).
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            format: HeaderFormat::Text,
            text: Some(text.into()),
            example: None,
        }
    }

    /// A media or location header.
    pub fn media(format: HeaderFormat) -> Self {
        Self {
            format,
            text: None,
            example: None,
        }
    }

    /// The example of a positional text variable.
    pub fn example(mut self, value: impl Into<String>) -> Self {
        self.example
            .get_or_insert_with(Default::default)
            .header_text = vec![value.into()];
        self
    }

    /// The example of a named text variable.
    pub fn example_named(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.example
            .get_or_insert_with(Default::default)
            .header_text_named_params = vec![NamedExample::new(name, value)];
        self
    }

    /// The sample media of a media header: a handle from the resumable upload API.
    pub fn example_handle(mut self, handle: impl Into<String>) -> Self {
        self.example
            .get_or_insert_with(Default::default)
            .header_handle = vec![handle.into()];
        self
    }
}

/// A template's `BODY` component.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct BodyComponent {
    /// The text (absent for authentication templates, whose body Meta writes).
    #[serde(default)]
    pub text: Option<String>,
    /// Examples.
    #[serde(default)]
    pub example: Option<TemplateExample>,
    /// Authentication templates: add "For your security, do not share this code."
    #[serde(default)]
    pub add_security_recommendation: Option<bool>,
}

impl BodyComponent {
    /// A body with `text` (at most 1024 characters).
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            example: None,
            add_security_recommendation: None,
        }
    }

    /// The body of an authentication template (Meta supplies the text).
    pub fn authentication(add_security_recommendation: bool) -> Self {
        Self {
            text: None,
            example: None,
            add_security_recommendation: Some(add_security_recommendation),
        }
    }

    /// Examples of positional variables, in order (`{{1}}`, `{{2}}`, ...).
    pub fn example_positional<I, S>(mut self, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.example.get_or_insert_with(Default::default).body_text =
            vec![values.into_iter().map(Into::into).collect()];
        self
    }

    /// Examples of named variables: `(name, value)` pairs.
    pub fn example_named<I, N, V>(mut self, values: I) -> Self
    where
        I: IntoIterator<Item = (N, V)>,
        N: Into<String>,
        V: Into<String>,
    {
        self.example
            .get_or_insert_with(Default::default)
            .body_text_named_params = values
            .into_iter()
            .map(|(n, v)| NamedExample::new(n, v))
            .collect();
        self
    }
}

/// A template's `FOOTER` component.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct FooterComponent {
    /// The text (at most 60 characters, no variables).
    #[serde(default)]
    pub text: Option<String>,
    /// Authentication templates: the code expires after this many minutes (1-90).
    #[serde(default)]
    pub code_expiration_minutes: Option<u32>,
}

impl FooterComponent {
    /// A footer with `text`.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            code_expiration_minutes: None,
        }
    }

    /// An authentication footer: "This code expires in N minutes."
    pub fn code_expiration(minutes: u32) -> Self {
        Self {
            text: None,
            code_expiration_minutes: Some(minutes),
        }
    }
}

/// A button's example: a list (URL buttons) or a single value (copy-code buttons).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ButtonExample {
    /// `"example": "SAVE10"`.
    One(String),
    /// `"example": ["https://example.com/track/123"]`.
    Many(Vec<String>),
}

/// One button of a template's `BUTTONS` component, as defined when the template is created (the
/// button's send-time values are a `message::TemplateButton`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct ButtonDefinition {
    /// The button type.
    #[serde(rename = "type")]
    pub kind: ButtonType,
    /// The label (at most 25 characters).
    #[serde(default)]
    pub text: Option<String>,
    /// The URL of a URL button.
    #[serde(default)]
    pub url: Option<String>,
    /// The phone number of a phone button.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// The example of the URL variable or the copy code.
    #[serde(default)]
    pub example: Option<ButtonExample>,
    /// Fields of other button types (`otp_type`, `flow_id`, ...), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ButtonDefinition {
    fn of(kind: ButtonType) -> Self {
        Self {
            kind,
            text: None,
            url: None,
            phone_number: None,
            example: None,
            extra: Map::new(),
        }
    }

    /// A quick-reply button.
    pub fn quick_reply(text: impl Into<String>) -> Self {
        let mut b = Self::of(ButtonType::QuickReply);
        b.text = Some(text.into());
        b
    }

    /// A URL button; the URL may end in one variable (`https://x.com/track/{{1}}`), then give
    /// [`ButtonDefinition::url_example`].
    pub fn url(text: impl Into<String>, url: impl Into<String>) -> Self {
        let mut b = Self::of(ButtonType::Url);
        b.text = Some(text.into());
        b.url = Some(url.into());
        b
    }

    /// The example full URL of a URL button with a variable.
    pub fn url_example(mut self, example: impl Into<String>) -> Self {
        self.example = Some(ButtonExample::Many(vec![example.into()]));
        self
    }

    /// A button that calls `phone_number`.
    pub fn phone_number(text: impl Into<String>, phone_number: impl Into<String>) -> Self {
        let mut b = Self::of(ButtonType::PhoneNumber);
        b.text = Some(text.into());
        b.phone_number = Some(phone_number.into());
        b
    }

    /// A copy-code button with an example code (at most 15 characters).
    pub fn copy_code(example: impl Into<String>) -> Self {
        let mut b = Self::of(ButtonType::CopyCode);
        b.example = Some(ButtonExample::One(example.into()));
        b
    }

    /// A button of another type, with its fields given raw.
    pub fn other(kind: ButtonType, fields: Map<String, Value>) -> Self {
        let mut b = Self::of(kind);
        b.extra = fields;
        b
    }
}

/// A template's `BUTTONS` component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct ButtonsComponent {
    /// The buttons, in order (their index is the `index` of a send's button parameters).
    pub buttons: Vec<ButtonDefinition>,
}

impl ButtonsComponent {
    /// The buttons, in order.
    pub fn new(buttons: impl IntoIterator<Item = ButtonDefinition>) -> Self {
        Self {
            buttons: buttons.into_iter().collect(),
        }
    }
}

/// A template's `LIMITED_TIME_OFFER` component (marketing templates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct LimitedTimeOfferComponent {
    /// The offer.
    pub limited_time_offer: LimitedTimeOffer,
}

/// The offer of a [`LimitedTimeOfferComponent`].
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LimitedTimeOffer {
    /// The offer text (at most 16 characters).
    pub text: String,
    /// Whether the offer shows an expiration (set at send time).
    #[serde(default)]
    pub has_expiration: Option<bool>,
}

impl LimitedTimeOfferComponent {
    /// An offer with `text` (at most 16 characters).
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            limited_time_offer: LimitedTimeOffer {
                text: text.into(),
                has_expiration: None,
            },
        }
    }

    /// Shows an expiration countdown, whose time is given at send time.
    pub fn has_expiration(mut self, has_expiration: bool) -> Self {
        self.limited_time_offer.has_expiration = Some(has_expiration);
        self
    }
}

/// One component of a template.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TemplateComponent {
    /// `HEADER`.
    Header(HeaderComponent),
    /// `BODY`.
    Body(BodyComponent),
    /// `FOOTER`.
    Footer(FooterComponent),
    /// `BUTTONS`.
    Buttons(ButtonsComponent),
    /// `LIMITED_TIME_OFFER`.
    LimitedTimeOffer(LimitedTimeOfferComponent),
    /// A component type this version does not know (such as `CAROUSEL`), or a known one that did not
    /// parse, kept as sent.
    Unknown(Value),
}

impl TemplateComponent {
    /// The wire `type`.
    pub fn type_name(&self) -> &str {
        match self {
            Self::Header(_) => "HEADER",
            Self::Body(_) => "BODY",
            Self::Footer(_) => "FOOTER",
            Self::Buttons(_) => "BUTTONS",
            Self::LimitedTimeOffer(_) => "LIMITED_TIME_OFFER",
            Self::Unknown(v) => v.get("type").and_then(Value::as_str).unwrap_or(""),
        }
    }
}

impl From<HeaderComponent> for TemplateComponent {
    fn from(value: HeaderComponent) -> Self {
        Self::Header(value)
    }
}
impl From<BodyComponent> for TemplateComponent {
    fn from(value: BodyComponent) -> Self {
        Self::Body(value)
    }
}
impl From<FooterComponent> for TemplateComponent {
    fn from(value: FooterComponent) -> Self {
        Self::Footer(value)
    }
}
impl From<LimitedTimeOfferComponent> for TemplateComponent {
    fn from(value: LimitedTimeOfferComponent) -> Self {
        Self::LimitedTimeOffer(value)
    }
}
impl From<ButtonsComponent> for TemplateComponent {
    fn from(value: ButtonsComponent) -> Self {
        Self::Buttons(value)
    }
}

impl Serialize for TemplateComponent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        fn tagged<S: Serializer, T: Serialize>(
            serializer: S,
            tag: &str,
            inner: &T,
        ) -> Result<S::Ok, S::Error> {
            let value = serde_json::to_value(inner).map_err(serde::ser::Error::custom)?;
            let mut map = serializer.serialize_map(None)?;
            map.serialize_entry("type", tag)?;
            if let Value::Object(fields) = value {
                for (k, v) in &fields {
                    map.serialize_entry(k, v)?;
                }
            }
            map.end()
        }
        match self {
            Self::Header(h) => tagged(serializer, "HEADER", h),
            Self::Body(b) => tagged(serializer, "BODY", b),
            Self::Footer(f) => tagged(serializer, "FOOTER", f),
            Self::Buttons(b) => tagged(serializer, "BUTTONS", b),
            Self::LimitedTimeOffer(o) => tagged(serializer, "LIMITED_TIME_OFFER", o),
            Self::Unknown(v) => v.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for TemplateComponent {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let kind = value
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_uppercase();
        let parsed = match kind.as_str() {
            "HEADER" => serde_json::from_value(value.clone()).map(Self::Header),
            "BODY" => serde_json::from_value(value.clone()).map(Self::Body),
            "FOOTER" => serde_json::from_value(value.clone()).map(Self::Footer),
            "BUTTONS" => serde_json::from_value(value.clone()).map(Self::Buttons),
            "LIMITED_TIME_OFFER" => {
                serde_json::from_value(value.clone()).map(Self::LimitedTimeOffer)
            }
            _ => return Ok(Self::Unknown(value)),
        };
        // A known component that does not parse is kept raw rather than failing the whole template.
        Ok(parsed.unwrap_or(Self::Unknown(value)))
    }
}

/// A template as Meta returns it.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateInfo {
    /// The template id.
    pub id: String,
    /// The name.
    pub name: String,
    /// The language code, such as `en_US`.
    #[serde(default)]
    pub language: String,
    /// The review status.
    pub status: TemplateStatus,
    /// The category.
    pub category: TemplateCategory,
    /// How variables are written (absent means positional).
    #[serde(default)]
    pub parameter_format: Option<ParameterFormat>,
    /// The components.
    #[serde(default)]
    pub components: Vec<TemplateComponent>,
    /// Why the template was rejected (`"NONE"` when it was not).
    #[serde(default)]
    pub rejected_reason: Option<String>,
    /// The category before Meta recategorized the template.
    #[serde(default)]
    pub previous_category: Option<TemplateCategory>,
    /// The sub-category (such as `ORDER_DETAILS`).
    #[serde(default)]
    pub sub_category: Option<String>,
    /// The quality score object, as sent.
    #[serde(default)]
    pub quality_score: Option<Value>,
}

/// A variable of a template: `{{1}}` or `{{first_name}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ParameterSlot {
    /// `{{n}}`.
    Positional(u32),
    /// `{{name}}`.
    Named(String),
}

/// What the header of a send must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderParameter {
    /// One text parameter.
    Text(ParameterSlot),
    /// A media parameter of this format (image, video, document, gif).
    Media(HeaderFormat),
    /// A location parameter.
    Location,
}

/// A button that needs a parameter in a send.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ButtonParameter {
    /// The button's index (0-9), the `index` of the send's button component.
    pub index: usize,
    /// The button type (the send's `sub_type`, lower-cased).
    pub kind: ButtonType,
}

/// The parameters a send of a template must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequiredParameters {
    /// The template's parameter format.
    pub format: ParameterFormat,
    /// The header parameter, if the header needs one.
    pub header: Option<HeaderParameter>,
    /// The body parameters, in order.
    pub body: Vec<ParameterSlot>,
    /// Buttons that need a parameter: URL buttons with a variable and copy-code buttons.
    pub buttons: Vec<ButtonParameter>,
}

impl TemplateInfo {
    /// The parameters a send must give: header, body variables (in order) and dynamic buttons.
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::templates::{ParameterSlot, TemplateInfo};
    /// let t: TemplateInfo = serde_json::from_str(r#"{"id":"1","name":"n","language":"en","status":"APPROVED",
    ///   "category":"UTILITY","components":[{"type":"BODY","text":"Hi {{1}}, {{2}}"}]}"#)?;
    /// let req = t.required_parameters();
    /// assert_eq!(req.body, vec![ParameterSlot::Positional(1), ParameterSlot::Positional(2)]);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn required_parameters(&self) -> RequiredParameters {
        let format = self
            .parameter_format
            .clone()
            .unwrap_or(ParameterFormat::Positional);
        let mut out = RequiredParameters {
            format,
            header: None,
            body: Vec::new(),
            buttons: Vec::new(),
        };
        for component in &self.components {
            match component {
                TemplateComponent::Header(h) => {
                    out.header = match &h.format {
                        HeaderFormat::Text => h
                            .text
                            .as_deref()
                            .and_then(|t| distinct_slots(t).into_iter().next())
                            .map(HeaderParameter::Text),
                        HeaderFormat::Location => Some(HeaderParameter::Location),
                        HeaderFormat::Unknown(_) => None,
                        other => Some(HeaderParameter::Media(other.clone())),
                    };
                }
                TemplateComponent::Body(b) => {
                    out.body = b.text.as_deref().map(distinct_slots).unwrap_or_default();
                    // A send gives positional parameters in number order, whatever the text's order.
                    out.body.sort_by_key(|slot| match slot {
                        ParameterSlot::Positional(n) => (0, *n),
                        ParameterSlot::Named(_) => (1, 0),
                    });
                }
                TemplateComponent::Buttons(b) => {
                    for (index, button) in b.buttons.iter().enumerate() {
                        let dynamic = match button.kind {
                            ButtonType::Url => button
                                .url
                                .as_deref()
                                .is_some_and(|u| !placeholders(u).is_empty()),
                            ButtonType::CopyCode => true,
                            _ => false,
                        };
                        if dynamic {
                            out.buttons.push(ButtonParameter {
                                index,
                                kind: button.kind.clone(),
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }
}

impl TemplateInfo {
    /// Checks a template send ([`crate::message::Template`]) against this fetched template: the
    /// name, language, header parameter, body parameters (count, or names for named templates) and the
    /// parameters of dynamic buttons. A mismatch is what Meta would reject with error 132000 (parameter
    /// count mismatch) or 132012 (parameter format mismatch).
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::templates::TemplateInfo;
    /// use whatsapp_cloud::message::{Parameter, Template};
    /// let info: TemplateInfo = serde_json::from_str(r#"{"id":"1","name":"order","language":"en_US",
    ///   "status":"APPROVED","category":"UTILITY","components":[{"type":"BODY","text":"Hi {{1}}, {{2}}"}]}"#)?;
    /// let ok = Template::new("order", "en_US").body([Parameter::text("Ana"), Parameter::text("#1")]);
    /// assert!(info.check_send(&ok).is_ok());
    /// let short = Template::new("order", "en_US").body([Parameter::text("Ana")]);
    /// assert!(info.check_send(&short).is_err());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    ///
    /// # Errors
    /// A [`ValidationError`] naming the component, what the template needs and what the send gives.
    pub fn check_send(&self, template: &crate::message::Template) -> Result<(), ValidationError> {
        let value = serde_json::to_value(template).map_err(|e| {
            invalid(
                "template",
                e.to_string(),
                "a template that serializes to JSON",
            )
        })?;
        self.check_send_json(&value)
    }

    /// Checks a send of this template, given as Meta's JSON (`{"name", "language": {"code"},
    /// "components": [...]}`, the `template` object of a send), against what the template needs: the
    /// name and language, the header parameter, the number (or names) of body parameters and the
    /// parameters of dynamic buttons. A mismatch is what Meta rejects with error 132000 (parameter count
    /// mismatch) or 132012 (parameter format mismatch).
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::templates::TemplateInfo;
    /// let t: TemplateInfo = serde_json::from_str(r#"{"id":"1","name":"order","language":"en_US",
    ///   "status":"APPROVED","category":"UTILITY","components":[{"type":"BODY","text":"Hi {{1}}, {{2}}"}]}"#)?;
    /// let send = serde_json::json!({"name": "order", "language": {"code": "en_US"}, "components": [
    ///     {"type": "body", "parameters": [{"type": "text", "text": "Ana"}]}]});
    /// let err = t.check_send_json(&send).unwrap_err();
    /// assert_eq!(err.field, "template.components[body].parameters");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    ///
    /// # Errors
    /// A [`ValidationError`] naming the component, what the template needs and what the send gives.
    pub fn check_send_json(&self, send: &Value) -> Result<(), ValidationError> {
        let name = send.get("name").and_then(Value::as_str).unwrap_or_default();
        if name != self.name {
            return Err(invalid(
                "template.name",
                name,
                &format!("the template's name {:?}", self.name),
            ));
        }
        let code = send
            .pointer("/language/code")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !self.language.is_empty() && code != self.language {
            return Err(invalid(
                "template.language.code",
                code,
                &format!("the template's language {:?}", self.language),
            ));
        }
        let required = self.required_parameters();
        let components: &[Value] = send
            .get("components")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let of_type = |t: &str| {
            components.iter().find(|c| {
                c.get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|x| x.eq_ignore_ascii_case(t))
            })
        };
        let params = |c: Option<&Value>| -> Vec<Value> {
            c.and_then(|c| c.get("parameters"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };

        // Header.
        let header = params(of_type("header"));
        let field = "template.components[header].parameters";
        match &required.header {
            None if !header.is_empty() => {
                return Err(invalid(
                    field,
                    format!("{} parameters", header.len()),
                    "none: the template's header has no variable",
                ));
            }
            None => {}
            Some(needed) => {
                let want_type = match needed {
                    HeaderParameter::Text(_) => "text".to_owned(),
                    HeaderParameter::Location => "location".to_owned(),
                    HeaderParameter::Media(format) => format.as_str().to_ascii_lowercase(),
                };
                let given_type = header
                    .first()
                    .and_then(|p| p.get("type"))
                    .and_then(Value::as_str)
                    .map(str::to_ascii_lowercase);
                if header.len() != 1 || given_type.as_deref() != Some(want_type.as_str()) {
                    return Err(invalid(
                        field,
                        describe_params(&header),
                        &format!("one {want_type} parameter"),
                    ));
                }
                if let HeaderParameter::Text(ParameterSlot::Named(name)) = needed {
                    check_named(field, &header, std::slice::from_ref(name))?;
                }
            }
        }

        // Body.
        let body = params(of_type("body"));
        let field = "template.components[body].parameters";
        if body.len() != required.body.len() {
            return Err(invalid(
                field,
                format!("{} parameters", body.len()),
                &format!(
                    "{} parameters, one per variable of the template's body",
                    required.body.len()
                ),
            ));
        }
        let names: Vec<String> = required
            .body
            .iter()
            .filter_map(|s| match s {
                ParameterSlot::Named(n) => Some(n.clone()),
                ParameterSlot::Positional(_) => None,
            })
            .collect();
        if !names.is_empty() {
            check_named(field, &body, &names)?;
        }

        // Buttons.
        for needed in &required.buttons {
            let sub_type = needed.kind.as_str().to_ascii_lowercase();
            let field = format!("template.components[button index={}]", needed.index);
            let button = components.iter().find(|c| {
                c.get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.eq_ignore_ascii_case("button"))
                    && button_index(c) == Some(needed.index)
            });
            let Some(button) = button else {
                return Err(ValidationError::new(field, Violation::Missing));
            };
            let given_sub = button
                .get("sub_type")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !given_sub.eq_ignore_ascii_case(&sub_type) {
                return Err(invalid(
                    format!("{field}.sub_type"),
                    given_sub,
                    &format!("{sub_type}, the type of the template's button"),
                ));
            }
            let n = params(Some(button)).len();
            if n != 1 {
                return Err(invalid(
                    format!("{field}.parameters"),
                    format!("{n} parameters"),
                    "exactly 1 parameter",
                ));
            }
        }
        Ok(())
    }
}

fn button_index(component: &Value) -> Option<usize> {
    match component.get("index")? {
        Value::Number(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn describe_params(params: &[Value]) -> String {
    let types: Vec<&str> = params
        .iter()
        .map(|p| p.get("type").and_then(Value::as_str).unwrap_or("?"))
        .collect();
    format!("{} parameters [{}]", params.len(), types.join(", "))
}

fn check_named(field: &str, params: &[Value], names: &[String]) -> Result<(), ValidationError> {
    let given: BTreeSet<&str> = params
        .iter()
        .filter_map(|p| p.get("parameter_name").and_then(Value::as_str))
        .collect();
    let wanted: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    if given != wanted {
        return Err(invalid(
            field,
            format!(
                "parameter names {:?}",
                given.into_iter().collect::<Vec<_>>()
            ),
            &format!(
                "the template's named parameters {:?}",
                wanted.into_iter().collect::<Vec<_>>()
            ),
        ));
    }
    Ok(())
}

/// The raw contents of every `{{...}}` in `text`, in order.
fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        out.push(after[..end].trim());
        rest = &after[end + 2..];
    }
    out
}

fn slot_of(raw: &str) -> ParameterSlot {
    match raw.parse::<u32>() {
        Ok(n) => ParameterSlot::Positional(n),
        Err(_) => ParameterSlot::Named(raw.to_owned()),
    }
}

/// The distinct variables of `text`, in order of first appearance.
fn distinct_slots(text: &str) -> Vec<ParameterSlot> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for raw in placeholders(text) {
        let slot = slot_of(raw);
        if seen.insert(slot.clone()) {
            out.push(slot);
        }
    }
    out
}

fn is_named_parameter(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A required text: missing, blank or too long is an error.
fn required_text(field: &str, value: Option<&str>, max: usize) -> Result<(), ValidationError> {
    match value {
        None => Err(ValidationError::new(field, Violation::Missing)),
        Some(v) => limits::required_text(field, v, max),
    }
}

/// Checks the variables of `text` against the format and returns them (distinct, in order).
fn check_variables(
    field: &str,
    text: &str,
    format: &ParameterFormat,
) -> Result<Vec<ParameterSlot>, ValidationError> {
    let slots = distinct_slots(text);
    match format {
        ParameterFormat::Named => {
            for slot in &slots {
                match slot {
                    ParameterSlot::Named(n) if is_named_parameter(n) => {}
                    ParameterSlot::Named(n) => {
                        return Err(invalid(
                            field,
                            format!("{{{{{n}}}}}"),
                            "named variables of lower-case letters, digits and _ such as {{first_name}}",
                        ));
                    }
                    ParameterSlot::Positional(n) => {
                        return Err(invalid(
                            field,
                            format!("{{{{{n}}}}}"),
                            "named variables (parameter_format is named)",
                        ));
                    }
                }
            }
        }
        _ => {
            let mut numbers = Vec::new();
            for slot in &slots {
                match slot {
                    ParameterSlot::Positional(n) => numbers.push(*n),
                    ParameterSlot::Named(n) => {
                        return Err(invalid(
                            field,
                            format!("{{{{{n}}}}}"),
                            "numbered variables {{1}}, {{2}}, ... (or set parameter_format to named)",
                        ));
                    }
                }
            }
            numbers.sort_unstable();
            for (i, n) in numbers.iter().enumerate() {
                let want = i as u32 + 1;
                if *n != want {
                    return Err(invalid(
                        field,
                        format!("{{{{{n}}}}}"),
                        &format!("variables numbered 1 to {} without gaps", numbers.len()),
                    ));
                }
            }
        }
    }
    Ok(slots)
}

fn check_components(
    components: &[TemplateComponent],
    format: &ParameterFormat,
    category: Option<&TemplateCategory>,
) -> Result<(), ValidationError> {
    let mut counts = [0usize; 4];
    for (i, component) in components.iter().enumerate() {
        let field = format!("components[{i}]");
        match component {
            TemplateComponent::Header(h) => {
                counts[0] += 1;
                check_header(&field, h, format)?;
            }
            TemplateComponent::Body(b) => {
                counts[1] += 1;
                check_body(&field, b, format, category)?;
            }
            TemplateComponent::Footer(f) => {
                counts[2] += 1;
                if let Some(text) = &f.text {
                    let field = format!("{field}.text");
                    required_text(&field, Some(text), limits::TEMPLATE_FOOTER_TEXT_MAX)?;
                    if !placeholders(text).is_empty() {
                        return Err(invalid(field, text.clone(), "a footer without variables"));
                    }
                }
            }
            TemplateComponent::Buttons(b) => {
                counts[3] += 1;
                check_buttons(&field, b)?;
            }
            TemplateComponent::LimitedTimeOffer(o) => {
                required_text(
                    &format!("{field}.limited_time_offer.text"),
                    Some(&o.limited_time_offer.text),
                    limits::LIMITED_TIME_OFFER_TEXT_MAX,
                )?;
            }
            TemplateComponent::Unknown(_) => {}
        }
    }
    for (count, name) in counts.iter().zip(["HEADER", "BODY", "FOOTER", "BUTTONS"]) {
        if *count > 1 {
            return Err(ValidationError::new(
                "components",
                Violation::Duplicate {
                    value: name.to_owned(),
                },
            ));
        }
    }
    Ok(())
}

fn check_header(
    field: &str,
    h: &HeaderComponent,
    format: &ParameterFormat,
) -> Result<(), ValidationError> {
    if h.format != HeaderFormat::Text {
        return Ok(());
    }
    let text_field = format!("{field}.text");
    required_text(
        &text_field,
        h.text.as_deref(),
        limits::TEMPLATE_HEADER_TEXT_MAX,
    )?;
    let text = h.text.as_deref().unwrap_or_default();
    let slots = check_variables(&text_field, text, format)?;
    if slots.len() > 1 {
        return Err(ValidationError::new(
            text_field,
            Violation::TooMany {
                max: 1,
                actual: slots.len(),
            },
        ));
    }
    if let Some(slot) = slots.first() {
        let example = h.example.as_ref();
        let ok = match slot {
            ParameterSlot::Positional(_) => example.is_some_and(|e| e.header_text.len() == 1),
            ParameterSlot::Named(name) => example.is_some_and(|e| {
                e.header_text_named_params.len() == 1
                    && e.header_text_named_params[0].param_name == *name
            }),
        };
        if !ok {
            return Err(ValidationError::new(
                format!("{field}.example"),
                Violation::Missing,
            ));
        }
    }
    Ok(())
}

fn check_body(
    field: &str,
    b: &BodyComponent,
    format: &ParameterFormat,
    category: Option<&TemplateCategory>,
) -> Result<(), ValidationError> {
    let text_field = format!("{field}.text");
    if b.text.is_none() && category == Some(&TemplateCategory::Authentication) {
        return Ok(());
    }
    required_text(
        &text_field,
        b.text.as_deref(),
        limits::TEMPLATE_BODY_TEXT_MAX,
    )?;
    let text = b.text.as_deref().unwrap_or_default();
    let slots = check_variables(&text_field, text, format)?;
    if slots.is_empty() {
        return Ok(());
    }
    let example_field = format!("{field}.example");
    let example = b
        .example
        .as_ref()
        .ok_or_else(|| ValidationError::new(example_field.as_str(), Violation::Missing))?;
    match format {
        ParameterFormat::Named => {
            let given: BTreeSet<&str> = example
                .body_text_named_params
                .iter()
                .map(|e| e.param_name.as_str())
                .collect();
            for slot in &slots {
                if let ParameterSlot::Named(name) = slot
                    && !given.contains(name.as_str())
                {
                    return Err(ValidationError::new(
                        format!("{example_field}.body_text_named_params[{name}]"),
                        Violation::Missing,
                    ));
                }
            }
            if given.len() != slots.len() {
                return Err(invalid(
                    format!("{example_field}.body_text_named_params"),
                    format!("{} examples", given.len()),
                    &format!("one example per variable ({})", slots.len()),
                ));
            }
        }
        _ => {
            let values = example.body_text.first().map(Vec::len).unwrap_or(0);
            if values != slots.len() {
                return Err(invalid(
                    format!("{example_field}.body_text"),
                    format!("{values} example values"),
                    &format!("one example value per variable ({})", slots.len()),
                ));
            }
        }
    }
    Ok(())
}

fn check_buttons(field: &str, b: &ButtonsComponent) -> Result<(), ValidationError> {
    let buttons_field = format!("{field}.buttons");
    if b.buttons.is_empty() {
        return Err(ValidationError::new(
            buttons_field,
            Violation::TooFew { min: 1, actual: 0 },
        ));
    }
    limits::count(
        &buttons_field,
        b.buttons.len(),
        0,
        limits::TEMPLATE_BUTTONS_MAX,
    )?;
    for (kind, max, what) in [
        (
            ButtonType::QuickReply,
            limits::QUICK_REPLY_BUTTONS_MAX,
            "QUICK_REPLY",
        ),
        (ButtonType::Url, limits::URL_BUTTONS_MAX, "URL"),
        (
            ButtonType::PhoneNumber,
            limits::PHONE_BUTTONS_MAX,
            "PHONE_NUMBER",
        ),
        (
            ButtonType::CopyCode,
            limits::COPY_CODE_BUTTONS_MAX,
            "COPY_CODE",
        ),
    ] {
        let actual = b.buttons.iter().filter(|x| x.kind == kind).count();
        limits::count(&format!("{buttons_field}[type={what}]"), actual, 0, max)?;
    }
    for (i, button) in b.buttons.iter().enumerate() {
        let bf = format!("{buttons_field}[{i}]");
        match button.kind {
            ButtonType::QuickReply | ButtonType::Url | ButtonType::PhoneNumber => {
                required_text(
                    &format!("{bf}.text"),
                    button.text.as_deref(),
                    limits::TEMPLATE_BUTTON_TEXT_MAX,
                )?;
            }
            _ => {
                if let Some(text) = &button.text {
                    max_chars(
                        &format!("{bf}.text"),
                        text,
                        limits::TEMPLATE_BUTTON_TEXT_MAX,
                    )?;
                }
            }
        }
        match button.kind {
            ButtonType::Url => check_url_button(&bf, button)?,
            ButtonType::PhoneNumber => {
                required_text(
                    &format!("{bf}.phone_number"),
                    button.phone_number.as_deref(),
                    limits::TEMPLATE_BUTTON_PHONE_MAX,
                )?;
            }
            ButtonType::CopyCode => match &button.example {
                Some(ButtonExample::One(code)) => {
                    required_text(
                        &format!("{bf}.example"),
                        Some(code),
                        limits::COUPON_CODE_MAX,
                    )?;
                }
                Some(ButtonExample::Many(codes)) if codes.len() == 1 => {
                    required_text(
                        &format!("{bf}.example"),
                        Some(&codes[0]),
                        limits::COUPON_CODE_MAX,
                    )?;
                }
                _ => {
                    return Err(ValidationError::new(
                        format!("{bf}.example"),
                        Violation::Missing,
                    ));
                }
            },
            _ => {}
        }
    }
    Ok(())
}

fn check_url_button(bf: &str, button: &ButtonDefinition) -> Result<(), ValidationError> {
    let field = format!("{bf}.url");
    required_text(
        &field,
        button.url.as_deref(),
        limits::TEMPLATE_BUTTON_URL_MAX,
    )?;
    let url = button.url.as_deref().unwrap_or_default();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(invalid(field, url, "an http:// or https:// URL"));
    }
    let vars = placeholders(url);
    if vars.len() > 1 {
        return Err(ValidationError::new(
            field,
            Violation::TooMany {
                max: 1,
                actual: vars.len(),
            },
        ));
    }
    if let Some(var) = vars.first() {
        if !url.trim_end().ends_with("}}") || *var != "1" {
            return Err(invalid(
                field,
                url,
                "one variable {{1}} at the end of the URL",
            ));
        }
        let has_example = matches!(&button.example, Some(ButtonExample::Many(v)) if v.len() == 1)
            || matches!(&button.example, Some(ButtonExample::One(_)));
        if !has_example {
            return Err(ValidationError::new(
                format!("{bf}.example"),
                Violation::Missing,
            ));
        }
    }
    Ok(())
}

fn check_name(name: &str) -> Result<(), ValidationError> {
    if name.is_empty() {
        return Err(ValidationError::new("name", Violation::Empty));
    }
    max_chars("name", name, limits::TEMPLATE_NAME_MAX)?;
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(invalid(
            "name",
            name,
            "lower-case letters, digits and underscores",
        ));
    }
    Ok(())
}

/// Creates a template: `POST /<WABA_ID>/message_templates`. Not idempotent (Meta allows 100 creations
/// per account per hour).
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct CreateTemplate {
    name: String,
    language: String,
    category: TemplateCategory,
    parameter_format: Option<ParameterFormat>,
    allow_category_change: Option<bool>,
    components: Vec<TemplateComponent>,
}

impl CreateTemplate {
    /// A template named `name` (lower case, digits, `_`; at most 512) in `language` (such as `en_US`).
    pub fn new(
        name: impl Into<String>,
        language: impl Into<String>,
        category: TemplateCategory,
    ) -> Self {
        Self {
            name: name.into(),
            language: language.into(),
            category,
            parameter_format: None,
            allow_category_change: None,
            components: Vec::new(),
        }
    }

    /// Adds a component (header, body, footer, buttons).
    pub fn component(mut self, component: impl Into<TemplateComponent>) -> Self {
        self.components.push(component.into());
        self
    }

    /// Positional (`{{1}}`, the default) or named (`{{first_name}}`) variables.
    pub fn parameter_format(mut self, format: ParameterFormat) -> Self {
        self.parameter_format = Some(format);
        self
    }

    /// Lets Meta assign another category instead of rejecting the template.
    pub fn allow_category_change(mut self, allow: bool) -> Self {
        self.allow_category_change = Some(allow);
        self
    }

    /// Checks Meta's creation limits.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_name(&self.name)?;
        if self.language.trim().is_empty() {
            return Err(ValidationError::new("language", Violation::Empty));
        }
        if let TemplateCategory::Unknown(c) = &self.category {
            return Err(invalid(
                "category",
                c.clone(),
                "MARKETING, UTILITY or AUTHENTICATION",
            ));
        }
        if !self
            .components
            .iter()
            .any(|c| matches!(c, TemplateComponent::Body(_)))
        {
            return Err(ValidationError::new(
                "components[type=BODY]",
                Violation::Missing,
            ));
        }
        let format = self
            .parameter_format
            .clone()
            .unwrap_or(ParameterFormat::Positional);
        check_components(&self.components, &format, Some(&self.category))
    }
}

impl Serialize for CreateTemplate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &self.name)?;
        map.serialize_entry("language", &self.language)?;
        map.serialize_entry("category", &self.category)?;
        if let Some(f) = &self.parameter_format {
            map.serialize_entry("parameter_format", f)?;
        }
        if let Some(a) = self.allow_category_change {
            map.serialize_entry("allow_category_change", &a)?;
        }
        map.serialize_entry("components", &self.components)?;
        map.end()
    }
}

impl Endpoint for CreateTemplate {
    type Output = CreatedTemplate;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = ctx.url(&[ctx.require_waba_id()?.as_str(), "message_templates"])?;
        ctx.json_request(http::Method::POST, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<CreatedTemplate, Error> {
        parse_json("template creation response", response)
    }
}

/// Meta's answer to a creation: `{"id", "status", "category"}`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreatedTemplate {
    /// The new template's id.
    pub id: String,
    /// The review status (usually `PENDING` or `APPROVED`).
    #[serde(default)]
    pub status: Option<TemplateStatus>,
    /// The category Meta assigned.
    #[serde(default)]
    pub category: Option<TemplateCategory>,
}

/// Lists the account's templates: `GET /<WABA_ID>/message_templates`, with filters and paging.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct ListTemplates {
    name: Option<String>,
    status: Option<TemplateStatus>,
    category: Option<TemplateCategory>,
    language: Option<String>,
    query: ListQuery,
}

impl ListTemplates {
    /// Every template, first page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only templates whose name matches (Meta matches substrings).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Only templates with this status.
    pub fn status(mut self, status: TemplateStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Only templates of this category.
    pub fn category(mut self, category: TemplateCategory) -> Self {
        self.category = Some(category);
        self
    }

    /// Only templates in this language (such as `en_US`).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    list_query_setters!(fields, paging);
}

impl Endpoint for ListTemplates {
    type Output = Page<ListTemplates>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = ctx.url(&[ctx.require_waba_id()?.as_str(), "message_templates"])?;
        let filters = [
            ("name", self.name.as_deref()),
            ("status", self.status.as_ref().map(TemplateStatus::as_str)),
            (
                "category",
                self.category.as_ref().map(TemplateCategory::as_str),
            ),
            ("language", self.language.as_deref()),
        ];
        let filters: Vec<(&str, &str)> = filters
            .into_iter()
            .filter_map(|(key, value)| value.map(|v| (key, v)))
            .collect();
        self.query.write(&mut url, &[], &filters);
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Page<ListTemplates>, Error> {
        parse_page("template list", self, response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

impl Paginated for ListTemplates {
    type Item = TemplateInfo;

    fn with_after(&self, cursor: &str) -> Self {
        self.clone().after(cursor)
    }
}

/// Gets one template by id: `GET /<TEMPLATE_ID>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetTemplate {
    id: String,
    fields: Vec<String>,
}

impl GetTemplate {
    /// The template with this id.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            fields: Vec::new(),
        }
    }

    /// Asks for these fields only.
    pub fn fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.fields = fields.into_iter().map(Into::into).collect();
        self
    }
}

fn template_id_url(ctx: &ApiContext, id: &str) -> Result<url::Url, Error> {
    if id.trim().is_empty() {
        return Err(ValidationError::new("template_id", Violation::Empty).into());
    }
    ctx.url(&[id])
}

impl Endpoint for GetTemplate {
    type Output = TemplateInfo;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = template_id_url(ctx, &self.id)?;
        if !self.fields.is_empty() {
            url.query_pairs_mut()
                .append_pair("fields", &self.fields.join(","));
        }
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<TemplateInfo, Error> {
        parse_json("template", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Gets a template by exact name (in every language, or one): `GET /<WABA_ID>/message_templates?name=`.
///
/// Meta's name filter matches substrings; this keeps only exact matches.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetTemplateByName {
    name: String,
    language: Option<String>,
}

impl GetTemplateByName {
    /// Templates named exactly `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            language: None,
        }
    }

    /// Only this language.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }
}

impl Endpoint for GetTemplateByName {
    type Output = Vec<TemplateInfo>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        check_name(&self.name)?;
        let mut list = ListTemplates::new().name(self.name.clone()).limit(100);
        if let Some(l) = &self.language {
            list = list.language(l.clone());
        }
        list.to_request(ctx)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Vec<TemplateInfo>, Error> {
        let page = ListTemplates::new().parse_response(response)?;
        Ok(page
            .into_items()
            .into_iter()
            .filter(|t| t.name == self.name)
            .filter(|t| self.language.as_ref().is_none_or(|l| &t.language == l))
            .collect())
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Edits a template: `POST /<TEMPLATE_ID>` with new components and/or category.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct EditTemplate {
    id: String,
    category: Option<TemplateCategory>,
    parameter_format: Option<ParameterFormat>,
    components: Option<Vec<TemplateComponent>>,
}

impl EditTemplate {
    /// Edits template `id`.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            category: None,
            parameter_format: None,
            components: None,
        }
    }

    /// Changes the category.
    pub fn category(mut self, category: TemplateCategory) -> Self {
        self.category = Some(category);
        self
    }

    /// The parameter format the new components use (for validation; not sent).
    pub fn parameter_format(mut self, format: ParameterFormat) -> Self {
        self.parameter_format = Some(format);
        self
    }

    /// Replaces the components.
    pub fn components(mut self, components: impl IntoIterator<Item = TemplateComponent>) -> Self {
        self.components = Some(components.into_iter().collect());
        self
    }

    /// Checks the new components against Meta's creation limits.
    ///
    /// # Errors
    /// The first [`ValidationError`] found; editing nothing is an error too.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.category.is_none() && self.components.is_none() {
            return Err(ValidationError::new(
                "components",
                Violation::ExactlyOneOf {
                    fields: vec!["category".into(), "components".into()],
                    set: 0,
                },
            ));
        }
        if let Some(components) = &self.components {
            let format = self
                .parameter_format
                .clone()
                .unwrap_or(ParameterFormat::Positional);
            check_components(components, &format, self.category.as_ref())?;
        }
        Ok(())
    }
}

impl Serialize for EditTemplate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(c) = &self.category {
            map.serialize_entry("category", c)?;
        }
        if let Some(c) = &self.components {
            map.serialize_entry("components", c)?;
        }
        map.end()
    }
}

impl Endpoint for EditTemplate {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = template_id_url(ctx, &self.id)?;
        ctx.json_request(http::Method::POST, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("template edit response", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Deletes a template: `DELETE /<WABA_ID>/message_templates?name=...[&hsm_id=...]`.
///
/// By name, every language of the template goes; by id, only that one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct DeleteTemplate {
    name: String,
    id: Option<String>,
}

impl DeleteTemplate {
    /// Deletes every language of template `name`.
    pub fn by_name(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            id: None,
        }
    }

    /// Deletes one template by id (Meta also wants its name).
    pub fn by_id(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            id: Some(id.into()),
        }
    }
}

impl Endpoint for DeleteTemplate {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        check_name(&self.name)?;
        let mut url = ctx.url(&[ctx.require_waba_id()?.as_str(), "message_templates"])?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("name", &self.name);
            if let Some(id) = &self.id {
                if id.trim().is_empty() {
                    return Err(ValidationError::new("hsm_id", Violation::Empty).into());
                }
                q.append_pair("hsm_id", id);
            }
        }
        ctx.empty_request(http::Method::DELETE, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("template delete response", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::MediaId;

    fn body(text: &str) -> BodyComponent {
        BodyComponent::new(text)
    }

    fn create(c: impl Into<TemplateComponent>) -> CreateTemplate {
        CreateTemplate::new("t", "en_US", TemplateCategory::Utility).component(c)
    }

    #[test]
    fn creation_json_is_wire_exact() {
        let t = CreateTemplate::new("order_update", "en_US", TemplateCategory::Utility)
            .component(HeaderComponent::text("Order {{1}}").example("#1"))
            .component(body("Hi {{1}}, {{2}}").example_positional(["Ana", "today"]))
            .component(FooterComponent::new("Reply STOP to opt out"))
            .component(ButtonsComponent::new([
                ButtonDefinition::quick_reply("Ok"),
                ButtonDefinition::url("Track", "https://x.example/t/{{1}}")
                    .url_example("https://x.example/t/1"),
                ButtonDefinition::copy_code("SAVE10"),
            ]));
        t.validate().unwrap();
        assert_eq!(
            serde_json::to_value(&t).unwrap(),
            serde_json::json!({
                "name": "order_update", "language": "en_US", "category": "UTILITY",
                "components": [
                    {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "example": {"header_text": ["#1"]}},
                    {"type": "BODY", "text": "Hi {{1}}, {{2}}", "example": {"body_text": [["Ana", "today"]]}},
                    {"type": "FOOTER", "text": "Reply STOP to opt out"},
                    {"type": "BUTTONS", "buttons": [
                        {"type": "QUICK_REPLY", "text": "Ok"},
                        {"type": "URL", "text": "Track", "url": "https://x.example/t/{{1}}", "example": ["https://x.example/t/1"]},
                        {"type": "COPY_CODE", "example": "SAVE10"}
                    ]}
                ]
            })
        );
    }

    #[test]
    fn body_over_1024_characters_is_rejected() {
        let err = create(body(&"é".repeat(1025))).validate().unwrap_err();
        assert_eq!(err.field, "components[0].text");
        assert_eq!(
            err.violation,
            Violation::TooLong {
                max: 1024,
                actual: 1025
            }
        );
    }

    #[test]
    fn header_and_footer_limits() {
        let t = create(body("x")).component(HeaderComponent::text("h".repeat(61)));
        assert_eq!(t.validate().unwrap_err().field, "components[1].text");
        let t = create(body("x")).component(FooterComponent::new("f".repeat(61)));
        assert!(matches!(
            t.validate().unwrap_err().violation,
            Violation::TooLong { max: 60, .. }
        ));
        let t = create(body("x")).component(HeaderComponent::text("{{1}} {{2}}"));
        assert!(matches!(
            t.validate().unwrap_err().violation,
            Violation::TooMany { max: 1, actual: 2 }
        ));
    }

    #[test]
    fn variables_need_examples_and_no_gaps() {
        assert_eq!(
            create(body("Hi {{1}}")).validate().unwrap_err().field,
            "components[0].example"
        );
        let err = create(body("Hi {{1}} {{3}}").example_positional(["a", "b"]))
            .validate()
            .unwrap_err();
        assert!(err.to_string().contains("{{3}}"), "{err}");
        let err = create(body("Hi {{1}} {{2}}").example_positional(["a"]))
            .validate()
            .unwrap_err();
        assert!(err.to_string().contains("1 example values"), "{err}");
        assert!(create(body("Hi {{name}}")).validate().is_err());
    }

    #[test]
    fn named_parameters_are_checked_against_their_examples() {
        let ok = CreateTemplate::new("t", "en", TemplateCategory::Marketing)
            .parameter_format(ParameterFormat::Named)
            .component(body("Hi {{first_name}}").example_named([("first_name", "Ana")]));
        ok.validate().unwrap();
        assert_eq!(
            serde_json::to_value(&ok).unwrap()["parameter_format"],
            "named"
        );
        let wrong = CreateTemplate::new("t", "en", TemplateCategory::Marketing)
            .parameter_format(ParameterFormat::Named)
            .component(body("Hi {{first_name}}").example_named([("name", "Ana")]));
        assert!(
            wrong
                .validate()
                .unwrap_err()
                .field
                .contains("body_text_named_params")
        );
        let upper = CreateTemplate::new("t", "en", TemplateCategory::Marketing)
            .parameter_format(ParameterFormat::Named)
            .component(body("Hi {{First}}").example_named([("First", "Ana")]));
        assert!(upper.validate().is_err());
    }

    #[test]
    fn button_counts_and_labels() {
        let many =
            ButtonsComponent::new((0..11).map(|i| ButtonDefinition::quick_reply(format!("b{i}"))));
        assert!(matches!(
            create(body("x"))
                .component(many)
                .validate()
                .unwrap_err()
                .violation,
            Violation::TooMany {
                max: 10,
                actual: 11
            }
        ));
        let urls = ButtonsComponent::new([
            ButtonDefinition::url("a", "https://a.example"),
            ButtonDefinition::url("b", "https://b.example"),
            ButtonDefinition::url("c", "https://c.example"),
        ]);
        let err = create(body("x")).component(urls).validate().unwrap_err();
        assert_eq!(err.field, "components[1].buttons[type=URL]");
        let long = ButtonsComponent::new([ButtonDefinition::quick_reply("x".repeat(26))]);
        assert!(matches!(
            create(body("x"))
                .component(long)
                .validate()
                .unwrap_err()
                .violation,
            Violation::TooLong { max: 25, .. }
        ));
        let code = ButtonsComponent::new([ButtonDefinition::copy_code("1234567890123456")]);
        assert!(create(body("x")).component(code).validate().is_err());
        let mid = ButtonsComponent::new([ButtonDefinition::url("a", "https://a.example/{{1}}/x")
            .url_example("https://a.example/1/x")]);
        assert!(create(body("x")).component(mid).validate().is_err());
        let no_example =
            ButtonsComponent::new([ButtonDefinition::url("a", "https://a.example/{{1}}")]);
        assert_eq!(
            create(body("x"))
                .component(no_example)
                .validate()
                .unwrap_err()
                .field,
            "components[1].buttons[0].example"
        );
    }

    #[test]
    fn names_are_lower_case_and_a_body_is_required() {
        let t =
            CreateTemplate::new("Order-1", "en", TemplateCategory::Utility).component(body("x"));
        assert_eq!(t.validate().unwrap_err().field, "name");
        let t = CreateTemplate::new("o", "en", TemplateCategory::Utility);
        assert_eq!(t.validate().unwrap_err().violation, Violation::Missing);
        let auth = CreateTemplate::new("otp", "en", TemplateCategory::Authentication)
            .component(BodyComponent::authentication(true))
            .component(FooterComponent::code_expiration(10));
        auth.validate().unwrap();
    }

    #[test]
    fn unknown_components_and_values_are_kept() {
        let t: TemplateInfo = serde_json::from_value(serde_json::json!({
            "id": "9", "name": "n", "language": "en", "status": "SOMETHING_NEW", "category": "marketing",
            "parameter_format": "NAMED",
            "components": [
                {"type": "CAROUSEL", "cards": []},
                {"type": "body", "text": "Hi {{first_name}}"},
                {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy"}]}
            ]
        }))
        .unwrap();
        assert_eq!(t.status, TemplateStatus::Unknown("SOMETHING_NEW".into()));
        assert_eq!(t.category, TemplateCategory::Marketing);
        assert_eq!(t.parameter_format, Some(ParameterFormat::Named));
        assert!(matches!(t.components[0], TemplateComponent::Unknown(_)));
        assert!(matches!(t.components[1], TemplateComponent::Body(_)));
        let TemplateComponent::Buttons(b) = &t.components[2] else {
            panic!("buttons")
        };
        assert_eq!(b.buttons[0].extra["otp_type"], "COPY_CODE");
        let again = serde_json::to_value(&t.components[2]).unwrap();
        assert_eq!(again["buttons"][0]["otp_type"], "COPY_CODE");
        assert_eq!(
            t.required_parameters().body,
            vec![ParameterSlot::Named("first_name".into())]
        );
    }

    #[test]
    fn required_parameters_list_header_body_and_dynamic_buttons() {
        let t: TemplateInfo = serde_json::from_value(serde_json::json!({
            "id": "9", "name": "n", "language": "en", "status": "APPROVED", "category": "UTILITY",
            "components": [
                {"type": "HEADER", "format": "IMAGE"},
                {"type": "BODY", "text": "{{2}} then {{1}} and {{2}} again"},
                {"type": "BUTTONS", "buttons": [
                    {"type": "QUICK_REPLY", "text": "a"},
                    {"type": "URL", "text": "b", "url": "https://x/{{1}}"},
                    {"type": "URL", "text": "c", "url": "https://x/static"},
                    {"type": "COPY_CODE", "example": "X"}
                ]}
            ]
        }))
        .unwrap();
        let r = t.required_parameters();
        assert_eq!(r.header, Some(HeaderParameter::Media(HeaderFormat::Image)));
        assert_eq!(
            r.body,
            vec![ParameterSlot::Positional(1), ParameterSlot::Positional(2)]
        );
        assert_eq!(
            r.buttons,
            vec![
                ButtonParameter {
                    index: 1,
                    kind: ButtonType::Url
                },
                ButtonParameter {
                    index: 3,
                    kind: ButtonType::CopyCode
                }
            ]
        );
    }

    fn shipped() -> TemplateInfo {
        serde_json::from_value(serde_json::json!({
            "id": "9", "name": "shipped", "language": "en_US", "status": "APPROVED", "category": "UTILITY",
            "components": [
                {"type": "HEADER", "format": "DOCUMENT"},
                {"type": "BODY", "text": "Hi {{1}}, order {{2}} shipped"},
                {"type": "BUTTONS", "buttons": [
                    {"type": "QUICK_REPLY", "text": "Thanks"},
                    {"type": "URL", "text": "Track", "url": "https://x.example/{{1}}"}
                ]}
            ]
        }))
        .unwrap()
    }

    fn send(components: Value) -> Value {
        serde_json::json!({"name": "shipped", "language": {"code": "en_US"}, "components": components})
    }

    #[test]
    fn a_matching_send_passes_the_check() {
        let ok = send(serde_json::json!([
            {"type": "header", "parameters": [{"type": "document", "document": {"id": "1"}}]},
            {"type": "body", "parameters": [{"type": "text", "text": "Ana"}, {"type": "text", "text": "#1"}]},
            {"type": "button", "sub_type": "quick_reply", "index": "0", "parameters": [{"type": "payload", "payload": "x"}]},
            {"type": "button", "sub_type": "url", "index": 1, "parameters": [{"type": "text", "text": "1"}]}
        ]));
        shipped().check_send_json(&ok).unwrap();
    }

    #[test]
    fn mismatched_sends_name_the_component() {
        let t = shipped();
        let cases = [
            (
                send(serde_json::json!([
                    {"type": "header", "parameters": [{"type": "image", "image": {"id": "1"}}]},
                    {"type": "body", "parameters": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]},
                    {"type": "button", "sub_type": "url", "index": "1", "parameters": [{"type": "text", "text": "1"}]}
                ])),
                "template.components[header].parameters",
            ),
            (
                send(serde_json::json!([
                    {"type": "header", "parameters": [{"type": "document", "document": {"id": "1"}}]},
                    {"type": "body", "parameters": [{"type": "text", "text": "a"}]},
                    {"type": "button", "sub_type": "url", "index": "1", "parameters": [{"type": "text", "text": "1"}]}
                ])),
                "template.components[body].parameters",
            ),
            (
                send(serde_json::json!([
                    {"type": "header", "parameters": [{"type": "document", "document": {"id": "1"}}]},
                    {"type": "body", "parameters": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}
                ])),
                "template.components[button index=1]",
            ),
            (
                serde_json::json!({"name": "shipped", "language": {"code": "pt_BR"}, "components": []}),
                "template.language.code",
            ),
            (
                serde_json::json!({"name": "other", "language": {"code": "en_US"}}),
                "template.name",
            ),
        ];
        for (value, field) in cases {
            assert_eq!(
                t.check_send_json(&value).unwrap_err().field,
                field,
                "{value}"
            );
        }
    }

    #[test]
    fn named_sends_must_use_the_template_names() {
        let t: TemplateInfo = serde_json::from_value(serde_json::json!({
            "id": "9", "name": "n", "language": "en", "status": "APPROVED", "category": "MARKETING",
            "parameter_format": "named",
            "components": [{"type": "BODY", "text": "Hi {{first_name}}, {{code}}"}]
        }))
        .unwrap();
        let good = serde_json::json!({"name": "n", "language": {"code": "en"}, "components": [
            {"type": "body", "parameters": [
                {"type": "text", "parameter_name": "code", "text": "X"},
                {"type": "text", "parameter_name": "first_name", "text": "Ana"}]}]});
        t.check_send_json(&good).unwrap();
        let bad = serde_json::json!({"name": "n", "language": {"code": "en"}, "components": [
            {"type": "body", "parameters": [
                {"type": "text", "parameter_name": "name", "text": "X"},
                {"type": "text", "parameter_name": "first_name", "text": "Ana"}]}]});
        let err = t.check_send_json(&bad).unwrap_err();
        assert!(err.to_string().contains("code"), "{err}");
    }

    #[test]
    fn reads_and_deletes_are_idempotent_creation_is_not() {
        assert_eq!(ListTemplates::new().idempotency(), Idempotency::Idempotent);
        assert_eq!(GetTemplate::new("1").idempotency(), Idempotency::Idempotent);
        assert_eq!(
            GetTemplateByName::new("a").idempotency(),
            Idempotency::Idempotent
        );
        assert_eq!(
            DeleteTemplate::by_name("a").idempotency(),
            Idempotency::Idempotent
        );
        assert_eq!(create(body("x")).idempotency(), Idempotency::NotIdempotent);
    }

    #[test]
    fn check_send_takes_the_message_template_type() {
        use crate::message::{Parameter, Template, TemplateButton as SendButton};
        let t = shipped();
        let ok = Template::new("shipped", "en_US")
            .header([Parameter::document(MediaId::from("7"))])
            .body([Parameter::text("Ana"), Parameter::text("#1")])
            .button(SendButton::url(1, "track/1"));
        t.check_send(&ok).unwrap();
        let wrong_button = Template::new("shipped", "en_US")
            .header([Parameter::document(MediaId::from("7"))])
            .body([Parameter::text("Ana"), Parameter::text("#1")])
            .button(SendButton::url(0, "track/1"));
        assert_eq!(
            t.check_send(&wrong_button).unwrap_err().field,
            "template.components[button index=1]"
        );
    }

    #[test]
    fn limited_time_offer_text_is_at_most_16_characters() {
        let ok = create(body("x"))
            .component(LimitedTimeOfferComponent::new("Expiring offer!").has_expiration(true));
        ok.validate().unwrap();
        assert_eq!(
            serde_json::to_value(&ok).unwrap()["components"][1],
            serde_json::json!({"type": "LIMITED_TIME_OFFER", "limited_time_offer": {"text": "Expiring offer!", "has_expiration": true}})
        );
        let long = create(body("x")).component(LimitedTimeOfferComponent::new("x".repeat(17)));
        let err = long.validate().unwrap_err();
        assert_eq!(err.field, "components[1].limited_time_offer.text");
        let parsed: TemplateComponent = serde_json::from_value(
            serde_json::json!({"type": "limited_time_offer", "limited_time_offer": {"text": "Sale"}}),
        )
        .unwrap();
        assert!(matches!(parsed, TemplateComponent::LimitedTimeOffer(_)));
    }
}
