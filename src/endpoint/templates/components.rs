//! The parts of a template as Meta defines them: categories, statuses, components and buttons.

use super::kinds::CarouselComponent;
use crate::endpoint::paging::wire_enum;
use crate::ids::HeaderHandle;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

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
        /// A product of a catalog, given at send time (single-product templates and the cards of
        /// product-card carousels).
        Product = "PRODUCT",
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
        /// Asks the user to share their contact information (utility and marketing templates; no
        /// send-time parameter).
        RequestContactInfo = "REQUEST_CONTACT_INFO",
        /// Opens the product of a single-product template or product card ("View").
        Spm = "SPM",
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

    /// A media header (`IMAGE`, `VIDEO`, `DOCUMENT`, `GIF`) with its sample media: a handle from
    /// the Resumable Upload API (`Client::upload_resumable`).
    ///
    /// ```
    /// use whatsapp_cloud::HeaderHandle;
    /// use whatsapp_cloud::endpoint::templates::{HeaderComponent, HeaderFormat};
    /// let header = HeaderComponent::media_example(HeaderFormat::Image, HeaderHandle::from("4::aW1h"));
    /// assert_eq!(
    ///     serde_json::to_value(&header)?,
    ///     serde_json::json!({"format": "IMAGE", "example": {"header_handle": ["4::aW1h"]}})
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn media_example(format: HeaderFormat, handle: HeaderHandle) -> Self {
        Self::media(format).example_handle(handle)
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
    pub(super) fn of(kind: ButtonType) -> Self {
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

    /// A button that asks the user to share their contact information (utility and marketing
    /// templates; Meta's "Business-scoped user IDs" page). It takes no parameter at send time; the
    /// answer arrives as a `contacts` message.
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::templates::ButtonDefinition;
    /// let share = ButtonDefinition::request_contact_info("Share contact");
    /// assert_eq!(
    ///     serde_json::to_value(&share)?,
    ///     serde_json::json!({"type": "REQUEST_CONTACT_INFO", "text": "Share contact"}),
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn request_contact_info(text: impl Into<String>) -> Self {
        let mut b = Self::of(ButtonType::RequestContactInfo);
        b.text = Some(text.into());
        b
    }

    /// A button that starts a WhatsApp voice call to the business. Set how long it works with
    /// [`ButtonDefinition::ttl_minutes`].
    pub fn voice_call(text: impl Into<String>) -> Self {
        let mut b = Self::of(ButtonType::VoiceCall);
        b.text = Some(text.into());
        b
    }

    /// How long a voice call button works, in minutes (1,440 to 43,200: one to 30 days).
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::templates::ButtonDefinition;
    /// let call = ButtonDefinition::voice_call("Call us").ttl_minutes(2_880);
    /// assert_eq!(
    ///     serde_json::to_value(&call)?,
    ///     serde_json::json!({"type": "VOICE_CALL", "text": "Call us", "ttl_minutes": 2880}),
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn ttl_minutes(mut self, minutes: u32) -> Self {
        self.extra
            .insert("ttl_minutes".to_owned(), Value::from(minutes));
        self
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
    /// `CAROUSEL`: the cards of a media-card or product-card carousel.
    Carousel(CarouselComponent),
    /// A component type this version does not know, or a known one that did not
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
            Self::Carousel(_) => "CAROUSEL",
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
impl From<CarouselComponent> for TemplateComponent {
    fn from(value: CarouselComponent) -> Self {
        Self::Carousel(value)
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
            Self::Carousel(c) => tagged(serializer, "CAROUSEL", c),
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
            "CAROUSEL" => serde_json::from_value(value.clone()).map(Self::Carousel),
            _ => return Ok(Self::Unknown(value)),
        };
        // A known component that does not parse is kept raw rather than failing the whole template.
        Ok(parsed.unwrap_or(Self::Unknown(value)))
    }
}
