//! Template messages: an approved template by name and language, with its parameters.

use super::interactive::ProductSection;
use super::limits;
use super::location::Location;
use super::media::MediaSource;
use crate::error::{ValidationError, Violation};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// The data of a `type: "action"` parameter (flow and catalog buttons).
///
/// ```
/// use whatsapp_cloud::message::ButtonAction;
/// let action = ButtonAction::new().flow_token("TOKEN-1");
/// assert_eq!(serde_json::to_value(&action)?, serde_json::json!({"flow_token": "TOKEN-1"}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[must_use]
pub struct ButtonAction {
    flow_token: Option<String>,
    flow_action_data: Option<Map<String, Value>>,
    thumbnail_product_retailer_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sections: Vec<ProductSection>,
}

impl ButtonAction {
    /// An empty action; fill it with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    /// The token echoed back in the flow's responses.
    pub fn flow_token(mut self, token: impl Into<String>) -> Self {
        self.flow_token = Some(token.into());
        self
    }

    /// Initial data for the flow's first screen.
    pub fn flow_action_data(mut self, data: Map<String, Value>) -> Self {
        self.flow_action_data = Some(data);
        self
    }

    /// The product whose image is the thumbnail of a catalog or multi-product button.
    pub fn thumbnail_product_retailer_id(mut self, id: impl Into<String>) -> Self {
        self.thumbnail_product_retailer_id = Some(id.into());
        self
    }

    /// Adds a product section of a multi-product (`mpm`) button.
    pub fn section(mut self, section: ProductSection) -> Self {
        self.sections.push(section);
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Value_ {
    Text(String),
    Currency {
        fallback_value: String,
        code: String,
        amount_1000: i64,
    },
    DateTime {
        fallback_value: String,
    },
    Image(MediaSource),
    Video(MediaSource),
    Document {
        source: MediaSource,
        filename: Option<String>,
    },
    Location(Location),
    Payload(String),
    CouponCode(String),
    Action(ButtonAction),
    LimitedTimeOffer {
        expiration_time_ms: i64,
    },
}

impl Value_ {
    fn type_name(&self) -> &'static str {
        match self {
            Self::Text(_) => "text",
            Self::Currency { .. } => "currency",
            Self::DateTime { .. } => "date_time",
            Self::Image(_) => "image",
            Self::Video(_) => "video",
            Self::Document { .. } => "document",
            Self::Location(_) => "location",
            Self::Payload(_) => "payload",
            Self::CouponCode(_) => "coupon_code",
            Self::Action(_) => "action",
            Self::LimitedTimeOffer { .. } => "limited_time_offer",
        }
    }
}

/// One template parameter: positional, or named (`parameter_name`) for templates created with
/// `parameter_format: "named"`.
///
/// ```
/// use whatsapp_cloud::message::Parameter;
/// let p = Parameter::text("Jessica").name("first_name");
/// assert_eq!(
///     serde_json::to_value(&p)?,
///     serde_json::json!({"type": "text", "parameter_name": "first_name", "text": "Jessica"})
/// );
/// let price = Parameter::currency("$100.99", "USD", 100_990);
/// assert_eq!(serde_json::to_value(&price)?["currency"]["amount_1000"], 100_990);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Parameter {
    name: Option<String>,
    value: Value_,
}

impl Parameter {
    fn of(value: Value_) -> Self {
        Self { name: None, value }
    }

    /// A text parameter.
    pub fn text(text: impl Into<String>) -> Self {
        Self::of(Value_::Text(text.into()))
    }

    /// A named text parameter (`{{first_name}}`).
    pub fn named(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self::text(text).name(name)
    }

    /// A currency amount: the text shown (`fallback_value`), the ISO 4217 code, and the amount
    /// multiplied by 1000.
    pub fn currency(
        fallback_value: impl Into<String>,
        code: impl Into<String>,
        amount_1000: i64,
    ) -> Self {
        Self::of(Value_::Currency {
            fallback_value: fallback_value.into(),
            code: code.into(),
            amount_1000,
        })
    }

    /// A date and time; the Cloud API always shows `fallback_value` as given.
    pub fn date_time(fallback_value: impl Into<String>) -> Self {
        Self::of(Value_::DateTime {
            fallback_value: fallback_value.into(),
        })
    }

    /// An image (header).
    pub fn image(source: impl Into<MediaSource>) -> Self {
        Self::of(Value_::Image(source.into()))
    }

    /// A video (header).
    pub fn video(source: impl Into<MediaSource>) -> Self {
        Self::of(Value_::Video(source.into()))
    }

    /// A document (header; PDF only).
    pub fn document(source: impl Into<MediaSource>) -> Self {
        Self::of(Value_::Document {
            source: source.into(),
            filename: None,
        })
    }

    /// A document (header) with the file name shown to the user.
    pub fn document_with_filename(
        source: impl Into<MediaSource>,
        filename: impl Into<String>,
    ) -> Self {
        Self::of(Value_::Document {
            source: source.into(),
            filename: Some(filename.into()),
        })
    }

    /// A location (header of a location template).
    pub fn location(location: Location) -> Self {
        Self::of(Value_::Location(location))
    }

    /// The payload a quick-reply button sends back when tapped.
    pub fn payload(payload: impl Into<String>) -> Self {
        Self::of(Value_::Payload(payload.into()))
    }

    /// The code of a copy-code button (at most 15 characters).
    pub fn coupon_code(code: impl Into<String>) -> Self {
        Self::of(Value_::CouponCode(code.into()))
    }

    /// The action of a flow or catalog button.
    pub fn action(action: ButtonAction) -> Self {
        Self::of(Value_::Action(action))
    }

    /// The expiry of a limited-time offer, in milliseconds since the Unix epoch.
    pub fn limited_time_offer(expiration_time_ms: i64) -> Self {
        Self::of(Value_::LimitedTimeOffer { expiration_time_ms })
    }

    /// Names the parameter (`parameter_name`: lower-case letters, digits and `_`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The wire `type`.
    pub fn type_name(&self) -> &'static str {
        self.value.type_name()
    }

    fn validate_at(&self, path: &str, text_max: usize) -> Result<(), ValidationError> {
        if let Some(name) = &self.name {
            let field = format!("{path}.parameter_name");
            limits::non_blank(&field, name)?;
            if !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(limits::invalid(
                    &field,
                    name,
                    "lower-case letters, digits and underscores",
                ));
            }
        }
        match &self.value {
            Value_::Text(text) => limits::required_text(&format!("{path}.text"), text, text_max),
            Value_::Currency {
                fallback_value,
                code,
                ..
            } => {
                limits::non_blank(&format!("{path}.currency.fallback_value"), fallback_value)?;
                if code.len() != limits::CURRENCY_CODE_LEN
                    || !code.bytes().all(|b| b.is_ascii_uppercase())
                {
                    return Err(limits::invalid(
                        &format!("{path}.currency.code"),
                        code,
                        "an ISO 4217 code of 3 upper-case letters, such as \"USD\"",
                    ));
                }
                Ok(())
            }
            Value_::DateTime { fallback_value } => {
                limits::non_blank(&format!("{path}.date_time.fallback_value"), fallback_value)
            }
            Value_::Image(source) => source.validate(&format!("{path}.image")),
            Value_::Video(source) => source.validate(&format!("{path}.video")),
            Value_::Document { source, filename } => {
                source.validate(&format!("{path}.document"))?;
                if let Some(name) = filename {
                    limits::non_blank(&format!("{path}.document.filename"), name)?;
                }
                Ok(())
            }
            Value_::Location(location) => location.validate_at(&format!("{path}.location")),
            Value_::Payload(payload) => limits::non_blank(&format!("{path}.payload"), payload),
            Value_::CouponCode(code) => limits::required_text(
                &format!("{path}.coupon_code"),
                code,
                limits::COUPON_CODE_MAX,
            ),
            Value_::Action(action) => {
                if let Some(token) = &action.flow_token {
                    limits::non_blank(&format!("{path}.action.flow_token"), token)?;
                }
                if let Some(id) = &action.thumbnail_product_retailer_id {
                    limits::id_unbounded(
                        &format!("{path}.action.thumbnail_product_retailer_id"),
                        id,
                    )?;
                }
                if !action.sections.is_empty() {
                    super::interactive::validate_product_sections(
                        &format!("{path}.action"),
                        &action.sections,
                    )?;
                }
                Ok(())
            }
            Value_::LimitedTimeOffer { expiration_time_ms } => limits::range(
                &format!("{path}.limited_time_offer.expiration_time_ms"),
                *expiration_time_ms,
                0,
                i64::MAX,
            ),
        }
    }
}

impl Serialize for Parameter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Currency<'a> {
            fallback_value: &'a str,
            code: &'a str,
            amount_1000: i64,
        }
        #[derive(Serialize)]
        struct Fallback<'a> {
            fallback_value: &'a str,
        }
        #[skip_serializing_none]
        #[derive(Serialize)]
        struct Doc<'a> {
            #[serde(flatten)]
            source: &'a MediaSource,
            filename: Option<&'a String>,
        }
        #[derive(Serialize)]
        struct Offer {
            expiration_time_ms: i64,
        }
        let mut map = serializer.serialize_map(None)?;
        let kind = self.value.type_name();
        map.serialize_entry("type", kind)?;
        if let Some(name) = &self.name {
            map.serialize_entry("parameter_name", name)?;
        }
        match &self.value {
            Value_::Text(t) | Value_::Payload(t) | Value_::CouponCode(t) => {
                map.serialize_entry(kind, t)?;
            }
            Value_::Currency {
                fallback_value,
                code,
                amount_1000,
            } => map.serialize_entry(
                kind,
                &Currency {
                    fallback_value,
                    code,
                    amount_1000: *amount_1000,
                },
            )?,
            Value_::DateTime { fallback_value } => {
                map.serialize_entry(kind, &Fallback { fallback_value })?;
            }
            Value_::Image(source) | Value_::Video(source) => map.serialize_entry(kind, source)?,
            Value_::Document { source, filename } => map.serialize_entry(
                kind,
                &Doc {
                    source,
                    filename: filename.as_ref(),
                },
            )?,
            Value_::Location(location) => map.serialize_entry(kind, location)?,
            Value_::Action(action) => map.serialize_entry(kind, action)?,
            Value_::LimitedTimeOffer { expiration_time_ms } => map.serialize_entry(
                kind,
                &Offer {
                    expiration_time_ms: *expiration_time_ms,
                },
            )?,
        }
        map.end()
    }
}

/// The `sub_type` of a template button component. Serialized lower case; parsed case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ButtonSubType {
    /// `quick_reply`: a payload parameter.
    QuickReply,
    /// `url`: a text parameter appended to the button's URL.
    Url,
    /// `copy_code`: a coupon code parameter.
    CopyCode,
    /// `flow`: an action parameter (flow token, data).
    Flow,
    /// `catalog`.
    Catalog,
    /// `mpm` (multi-product message).
    Mpm,
    /// `voice_call`.
    VoiceCall,
    /// `order_details`.
    OrderDetails,
    /// A sub-type this version does not know, sent as given.
    Unknown(String),
}

impl ButtonSubType {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::QuickReply => "quick_reply",
            Self::Url => "url",
            Self::CopyCode => "copy_code",
            Self::Flow => "flow",
            Self::Catalog => "catalog",
            Self::Mpm => "mpm",
            Self::VoiceCall => "voice_call",
            Self::OrderDetails => "order_details",
            Self::Unknown(s) => s,
        }
    }
}

impl From<&str> for ButtonSubType {
    /// Case-insensitive: Meta's own examples use both `copy_code` and `COPY_CODE`.
    fn from(value: &str) -> Self {
        let lower = value.to_ascii_lowercase();
        match lower.as_str() {
            "quick_reply" => Self::QuickReply,
            "url" => Self::Url,
            "copy_code" => Self::CopyCode,
            "flow" => Self::Flow,
            "catalog" => Self::Catalog,
            "mpm" => Self::Mpm,
            "voice_call" => Self::VoiceCall,
            "order_details" => Self::OrderDetails,
            // Meta's sub-types are lower case on the wire.
            _ => Self::Unknown(lower),
        }
    }
}

impl Serialize for ButtonSubType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A template button component: its sub-type, its position (`index` 0-9, sent as the string
/// `"0"` … `"9"` as Meta documents) and its parameters.
///
/// ```
/// use whatsapp_cloud::message::TemplateButton;
/// let b = TemplateButton::quick_reply(0, "CONFIRM-42");
/// assert_eq!(
///     serde_json::to_value(&b)?,
///     serde_json::json!({"type": "button", "sub_type": "quick_reply", "index": "0",
///                        "parameters": [{"type": "payload", "payload": "CONFIRM-42"}]})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct TemplateButton {
    sub_type: ButtonSubType,
    index: u8,
    parameters: Vec<Parameter>,
}

impl TemplateButton {
    /// Any button: sub-type, index and parameters.
    pub fn new(
        sub_type: impl Into<ButtonSubType>,
        index: u8,
        parameters: impl IntoIterator<Item = Parameter>,
    ) -> Self {
        Self {
            sub_type: sub_type.into(),
            index,
            parameters: parameters.into_iter().collect(),
        }
    }

    /// A quick-reply button whose tap sends `payload` back.
    pub fn quick_reply(index: u8, payload: impl Into<String>) -> Self {
        Self::new(
            ButtonSubType::QuickReply,
            index,
            [Parameter::payload(payload)],
        )
    }

    /// A URL button: `suffix` is appended to the template's URL.
    pub fn url(index: u8, suffix: impl Into<String>) -> Self {
        Self::new(ButtonSubType::Url, index, [Parameter::text(suffix)])
    }

    /// A copy-code button with the coupon code (at most 15 characters).
    pub fn copy_code(index: u8, code: impl Into<String>) -> Self {
        Self::new(
            ButtonSubType::CopyCode,
            index,
            [Parameter::coupon_code(code)],
        )
    }

    /// A flow button.
    pub fn flow(index: u8, action: ButtonAction) -> Self {
        Self::new(ButtonSubType::Flow, index, [Parameter::action(action)])
    }
}

impl Serialize for TemplateButton {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", "button")?;
        map.serialize_entry("sub_type", &self.sub_type)?;
        map.serialize_entry("index", &self.index.to_string())?;
        if !self.parameters.is_empty() {
            map.serialize_entry("parameters", &self.parameters)?;
        }
        map.end()
    }
}

/// One card of a carousel template: its index (0-9) and components (header, body, buttons).
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct CarouselCard {
    card_index: u8,
    components: Vec<Component>,
}

impl CarouselCard {
    /// The card at `card_index` (0-9).
    pub fn new(card_index: u8) -> Self {
        Self {
            card_index,
            components: Vec::new(),
        }
    }

    /// The card's header parameters (usually one image or video).
    pub fn header(mut self, parameters: impl IntoIterator<Item = Parameter>) -> Self {
        self.components
            .push(Component::Header(parameters.into_iter().collect()));
        self
    }

    /// The card's body parameters.
    pub fn body(mut self, parameters: impl IntoIterator<Item = Parameter>) -> Self {
        self.components
            .push(Component::Body(parameters.into_iter().collect()));
        self
    }

    /// A button of the card.
    pub fn button(mut self, button: TemplateButton) -> Self {
        self.components.push(Component::Button(button));
        self
    }
}

impl Serialize for CarouselCard {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("card_index", &self.card_index)?;
        map.serialize_entry("components", &self.components)?;
        map.end()
    }
}

/// A component of a template message.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Component {
    /// `header` parameters.
    Header(Vec<Parameter>),
    /// `body` parameters.
    Body(Vec<Parameter>),
    /// A `button` component.
    Button(TemplateButton),
    /// A `limited_time_offer` component (its parameters).
    LimitedTimeOffer(Vec<Parameter>),
    /// A `carousel` component with its cards.
    Carousel(Vec<CarouselCard>),
}

impl Component {
    fn type_name(&self) -> &'static str {
        match self {
            Self::Header(_) => "header",
            Self::Body(_) => "body",
            Self::Button(_) => "button",
            Self::LimitedTimeOffer(_) => "limited_time_offer",
            Self::Carousel(_) => "carousel",
        }
    }

    fn validate_at(&self, path: &str, body_text_max: usize) -> Result<(), ValidationError> {
        let params = |ps: &[Parameter], max: usize| {
            ps.iter()
                .enumerate()
                .try_for_each(|(i, p)| p.validate_at(&format!("{path}.parameters[{i}]"), max))?;
            // A template uses either named or positional parameters, never both in one component.
            let named = ps.first().is_some_and(|p| p.name.is_some());
            match ps.iter().position(|p| p.name.is_some() != named) {
                Some(i) => Err(limits::invalid(
                    &format!("{path}.parameters[{i}].parameter_name"),
                    p_name(&ps[i]),
                    if named {
                        "a parameter_name, like the other parameters of this component"
                    } else {
                        "no parameter_name, like the other parameters of this component"
                    },
                )),
                None => Ok(()),
            }
        };
        match self {
            Self::Header(ps) => params(ps, limits::TEMPLATE_HEADER_TEXT_PARAM_MAX),
            Self::Body(ps) => params(ps, body_text_max),
            Self::LimitedTimeOffer(ps) => params(ps, limits::TEMPLATE_BODY_TEXT_PARAM_MAX),
            Self::Button(b) => {
                limits::range(
                    &format!("{path}.index"),
                    i64::from(b.index),
                    0,
                    i64::from(limits::TEMPLATE_BUTTON_INDEX_MAX),
                )?;
                if let ButtonSubType::Unknown(s) = &b.sub_type {
                    limits::non_blank(&format!("{path}.sub_type"), s)?;
                }
                params(&b.parameters, limits::TEMPLATE_BODY_TEXT_PARAM_MAX)
            }
            Self::Carousel(cards) => {
                limits::count(
                    &format!("{path}.cards"),
                    cards.len(),
                    limits::CAROUSEL_CARDS_MIN,
                    limits::CAROUSEL_CARDS_MAX,
                )?;
                for (c, card) in cards.iter().enumerate() {
                    let card_path = format!("{path}.cards[{c}]");
                    limits::range(
                        &format!("{card_path}.card_index"),
                        i64::from(card.card_index),
                        0,
                        (limits::CAROUSEL_CARDS_MAX - 1) as i64,
                    )?;
                    validate_components(
                        &card.components,
                        &format!("{card_path}.components"),
                        limits::TEMPLATE_BODY_TEXT_PARAM_MAX,
                    )?;
                }
                let mut seen: Vec<u8> = Vec::with_capacity(cards.len());
                for (c, card) in cards.iter().enumerate() {
                    if seen.contains(&card.card_index) {
                        return Err(ValidationError::new(
                            format!("{path}.cards[{c}].card_index"),
                            Violation::Duplicate {
                                value: card.card_index.to_string(),
                            },
                        ));
                    }
                    seen.push(card.card_index);
                }
                Ok(())
            }
        }
    }
}

fn p_name(p: &Parameter) -> &str {
    p.name.as_deref().unwrap_or("")
}

fn validate_components(
    components: &[Component],
    path: &str,
    body_text_max: usize,
) -> Result<(), ValidationError> {
    for (i, component) in components.iter().enumerate() {
        component.validate_at(&format!("{path}[{i}]"), body_text_max)?;
    }
    // One header and one body at most; button indexes unique.
    for kind in ["header", "body", "limited_time_offer", "carousel"] {
        let mut seen = false;
        for (i, component) in components.iter().enumerate() {
            if component.type_name() == kind {
                if seen {
                    return Err(ValidationError::new(
                        format!("{path}[{i}].type"),
                        Violation::Duplicate {
                            value: kind.to_owned(),
                        },
                    ));
                }
                seen = true;
            }
        }
    }
    let mut indexes: Vec<u8> = Vec::new();
    for (i, component) in components.iter().enumerate() {
        if let Component::Button(b) = component {
            if indexes.contains(&b.index) {
                return Err(ValidationError::new(
                    format!("{path}[{i}].index"),
                    Violation::Duplicate {
                        value: b.index.to_string(),
                    },
                ));
            }
            indexes.push(b.index);
        }
    }
    Ok(())
}

impl Serialize for Component {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Button(b) => b.serialize(serializer),
            Self::Header(ps) | Self::Body(ps) | Self::LimitedTimeOffer(ps) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", self.type_name())?;
                map.serialize_entry("parameters", ps)?;
                map.end()
            }
            Self::Carousel(cards) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", "carousel")?;
                map.serialize_entry("cards", cards)?;
                map.end()
            }
        }
    }
}

impl From<TemplateButton> for Component {
    fn from(value: TemplateButton) -> Self {
        Component::Button(value)
    }
}

/// How WhatsApp picks the template's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum LanguagePolicy {
    /// Use exactly the requested language (`"deterministic"`).
    Deterministic,
}

/// A template message: an approved template's name and language, and the values of its parameters.
///
/// ```
/// use whatsapp_cloud::message::{Parameter, Template};
/// let t = Template::new("order_confirmation", "en_US")
///     .body([Parameter::text("Jessica"), Parameter::text("SKBUS2")]);
/// assert!(t.validate().is_ok());
/// assert_eq!(
///     serde_json::to_value(&t)?,
///     serde_json::json!({
///         "name": "order_confirmation",
///         "language": {"code": "en_US"},
///         "components": [{"type": "body", "parameters": [
///             {"type": "text", "text": "Jessica"}, {"type": "text", "text": "SKBUS2"}]}]
///     })
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Template {
    name: String,
    language: String,
    policy: Option<LanguagePolicy>,
    components: Vec<Component>,
    marketing: bool,
}

impl Template {
    /// The template `name` in `language` (`"en"` or `"en_US"`).
    pub fn new(name: impl Into<String>, language: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            language: language.into(),
            policy: None,
            components: Vec::new(),
            marketing: false,
        }
    }

    /// Marks this as a marketing template. Not sent to Meta (which knows the category): it tells a
    /// client's send policy ([`crate::policy::SendPolicy`]) to refuse it to users who opted out of
    /// marketing messages.
    pub fn marketing(mut self) -> Self {
        self.marketing = true;
        self
    }

    /// True when marked with [`Template::marketing`].
    pub fn is_marketing(&self) -> bool {
        self.marketing
    }

    /// The language policy.
    pub fn policy(mut self, policy: LanguagePolicy) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Adds the header component with its parameters.
    pub fn header(self, parameters: impl IntoIterator<Item = Parameter>) -> Self {
        self.component(Component::Header(parameters.into_iter().collect()))
    }

    /// Adds the body component with its parameters.
    pub fn body(self, parameters: impl IntoIterator<Item = Parameter>) -> Self {
        self.component(Component::Body(parameters.into_iter().collect()))
    }

    /// Adds a button component.
    pub fn button(self, button: TemplateButton) -> Self {
        self.component(Component::Button(button))
    }

    /// Adds a limited-time-offer component expiring at `expiration_time_ms` (Unix milliseconds).
    pub fn limited_time_offer(self, expiration_time_ms: i64) -> Self {
        self.component(Component::LimitedTimeOffer(vec![
            Parameter::limited_time_offer(expiration_time_ms),
        ]))
    }

    /// Adds a carousel component with its cards.
    pub fn carousel(self, cards: impl IntoIterator<Item = CarouselCard>) -> Self {
        self.component(Component::Carousel(cards.into_iter().collect()))
    }

    /// Adds any component.
    pub fn component(mut self, component: impl Into<Component>) -> Self {
        self.components.push(component.into());
        self
    }

    /// The template name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The language code.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// Checks the name, language and every component against Meta's limits.
    ///
    /// A body `text` parameter may be 32768 characters when the body is the only component sent,
    /// 1024 otherwise.
    ///
    /// # Errors
    /// The first [`ValidationError`], such as `template.components[1].parameters[0].text`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        limits::required_text("template.name", &self.name, limits::TEMPLATE_NAME_MAX)?;
        if !self
            .name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(limits::invalid(
                "template.name",
                &self.name,
                "lower-case letters, digits and underscores",
            ));
        }
        limits::non_blank("template.language.code", &self.language)?;
        if !self
            .language
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(limits::invalid(
                "template.language.code",
                &self.language,
                "a language code such as \"en\" or \"en_US\"",
            ));
        }
        let body_max = if matches!(self.components.as_slice(), [Component::Body(_)]) {
            limits::TEMPLATE_BODY_ONLY_TEXT_PARAM_MAX
        } else {
            limits::TEMPLATE_BODY_TEXT_PARAM_MAX
        };
        validate_components(&self.components, "template.components", body_max)
    }
}

impl Serialize for Template {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[skip_serializing_none]
        #[derive(Serialize)]
        struct Language<'a> {
            policy: Option<LanguagePolicy>,
            code: &'a str,
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &self.name)?;
        map.serialize_entry(
            "language",
            &Language {
                policy: self.policy,
                code: &self.language,
            },
        )?;
        if !self.components.is_empty() {
            map.serialize_entry("components", &self.components)?;
        }
        map.end()
    }
}

impl From<Template> for super::Message {
    fn from(value: Template) -> Self {
        super::Message::Template(value)
    }
}
