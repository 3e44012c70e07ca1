//! Template messages: an approved template by name and language, with its parameters.

mod button;
mod parameter;

pub use button::{ButtonSubType, TemplateButton};
pub use parameter::{ButtonAction, Parameter};

use crate::error::{ValidationError, Violation};
use crate::limits;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_with::skip_serializing_none;

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

    /// A card of a product-card carousel: its header shows `product_retailer_id` of catalog
    /// `catalog_id` (Meta's "Product card carousel templates").
    ///
    /// ```
    /// use whatsapp_cloud::message::CarouselCard;
    /// assert_eq!(
    ///     serde_json::to_value(CarouselCard::product(0, "SKU-1", "1948"))?,
    ///     serde_json::json!({"card_index": 0, "components": [{"type": "header", "parameters": [
    ///         {"type": "product", "product": {"product_retailer_id": "SKU-1", "catalog_id": "1948"}}]}]})
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn product(
        card_index: u8,
        product_retailer_id: impl Into<String>,
        catalog_id: impl Into<String>,
    ) -> Self {
        Self::new(card_index).header([Parameter::product(product_retailer_id, catalog_id)])
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
    /// A `tap_target_configuration` component: the whole message opens a URL, with this title as
    /// its call to action (see [`Template::tap_target`]).
    TapTarget(TapTarget),
    /// A `call_permission_request` component: the template asks the user for permission to call
    /// them (see [`Template::call_permission_request`]).
    CallPermissionRequest,
}

/// Where a tappable template message leads: a URL and the call-to-action title shown
/// (Meta's "Tap target title URL override").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TapTarget {
    /// The URL opened when the message is tapped.
    pub url: String,
    /// The call-to-action title.
    pub title: String,
}

impl TapTarget {
    /// A tap target opening `url`, titled `title`.
    pub fn new(url: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            title: title.into(),
        }
    }
}

impl Component {
    fn type_name(&self) -> &'static str {
        match self {
            Self::Header(_) => "header",
            Self::Body(_) => "body",
            Self::Button(_) => "button",
            Self::LimitedTimeOffer(_) => "limited_time_offer",
            Self::Carousel(_) => "carousel",
            Self::TapTarget(_) => "tap_target_configuration",
            Self::CallPermissionRequest => "call_permission_request",
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
                    format!("{path}.parameters[{i}].parameter_name"),
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
            Self::TapTarget(target) => {
                limits::http_url(&format!("{path}.url"), &target.url)?;
                limits::non_blank(&format!("{path}.title"), &target.title)
            }
            Self::CallPermissionRequest => Ok(()),
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
    for kind in [
        "header",
        "body",
        "limited_time_offer",
        "carousel",
        "tap_target_configuration",
        "call_permission_request",
    ] {
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
            Self::TapTarget(target) => {
                let kind = self.type_name();
                let mut parameter = serde_json::Map::new();
                parameter.insert("type".to_owned(), kind.into());
                parameter.insert(
                    kind.to_owned(),
                    serde_json::json!([{"url": target.url, "title": target.title}]),
                );
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", kind)?;
                map.serialize_entry("parameters", &[parameter])?;
                map.end()
            }
            Self::CallPermissionRequest => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("type", self.type_name())?;
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
    /// Made by [`Template::authentication`]: the one-time password is checked against Meta's limit.
    otp: bool,
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
            otp: false,
        }
    }

    /// A send of an authentication template with its one-time password `code` (at most 15
    /// characters): Meta wants the code twice, as the body parameter and as the parameter of the
    /// button at index 0 (sub-type `url`, whatever the button: copy code, one-tap or zero-tap), as
    /// its "Authentication templates" pages show.
    ///
    /// ```
    /// use whatsapp_cloud::message::Template;
    /// let t = Template::authentication("login_code", "en_US", "J$FpnYnP");
    /// assert_eq!(
    ///     serde_json::to_value(&t)?,
    ///     serde_json::json!({
    ///         "name": "login_code",
    ///         "language": {"code": "en_US"},
    ///         "components": [
    ///             {"type": "body", "parameters": [{"type": "text", "text": "J$FpnYnP"}]},
    ///             {"type": "button", "sub_type": "url", "index": "0",
    ///              "parameters": [{"type": "text", "text": "J$FpnYnP"}]}
    ///         ]
    ///     })
    /// );
    /// assert!(Template::authentication("login_code", "en_US", "1234567890123456").validate().is_err());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn authentication(
        name: impl Into<String>,
        language: impl Into<String>,
        code: impl Into<String>,
    ) -> Self {
        let code = code.into();
        let mut t = Self::new(name, language)
            .body([Parameter::text(code.clone())])
            .button(TemplateButton::url(0, code));
        t.otp = true;
        t
    }

    /// Marks this as a marketing template. Not sent to Meta (which knows the category): it tells a
    /// client's send policy (`policy::SendPolicy`) to refuse it to users who opted out of
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

    /// Makes the whole message tappable (an image, text or header-less template): it opens `url`
    /// with `title` as its call to action. The business account must be verified and of high
    /// quality (Meta's "Tap target title URL override").
    ///
    /// ```
    /// use whatsapp_cloud::message::Template;
    /// let t = Template::new("spring_sale", "en").tap_target("https://shop.example/spring", "Shop now");
    /// assert_eq!(
    ///     serde_json::to_value(&t)?["components"][0],
    ///     serde_json::json!({"type": "tap_target_configuration", "parameters": [{
    ///         "type": "tap_target_configuration",
    ///         "tap_target_configuration": [{"url": "https://shop.example/spring", "title": "Shop now"}]
    ///     }]})
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn tap_target(self, url: impl Into<String>, title: impl Into<String>) -> Self {
        self.component(Component::TapTarget(TapTarget::new(url, title)))
    }

    /// Adds the `call_permission_request` component, for a template that asks the user for
    /// permission to call them (Meta's "Obtain user call permissions" page).
    ///
    /// ```
    /// use whatsapp_cloud::message::Template;
    /// let t = Template::new("callback_offer", "en").call_permission_request();
    /// assert_eq!(
    ///     serde_json::to_value(&t)?["components"],
    ///     serde_json::json!([{"type": "call_permission_request"}])
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn call_permission_request(self) -> Self {
        self.component(Component::CallPermissionRequest)
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
        if self.otp {
            self.validate_otp()?;
        }
        let body_max = if matches!(self.components.as_slice(), [Component::Body(_)]) {
            limits::TEMPLATE_BODY_ONLY_TEXT_PARAM_MAX
        } else {
            limits::TEMPLATE_BODY_TEXT_PARAM_MAX
        };
        validate_components(&self.components, "template.components", body_max)
    }
}

impl Template {
    /// The one-time password of [`Template::authentication`], wherever it is given, is at most
    /// [`limits::OTP_CODE_MAX`] characters.
    fn validate_otp(&self) -> Result<(), ValidationError> {
        for (i, component) in self.components.iter().enumerate() {
            let params = match component {
                Component::Body(ps) => ps,
                Component::Button(b) => &b.parameters,
                _ => continue,
            };
            for (j, p) in params.iter().enumerate() {
                if let parameter::Value_::Text(code) = &p.value {
                    limits::required_text(
                        &format!("template.components[{i}].parameters[{j}].text"),
                        code,
                        limits::OTP_CODE_MAX,
                    )?;
                }
            }
        }
        Ok(())
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
