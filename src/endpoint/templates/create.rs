//! Creating a template: `CreateTemplate` and the checks of Meta's creation limits.

use super::checks::{
    check_carousel, check_code_expiration, check_kind, check_otp_button, check_ttl,
};
use super::info::{distinct_slots, is_named_parameter, placeholders};
use super::*;
use crate::endpoint::{ApiContext, Endpoint, parse_json};
use crate::error::{Error, ValidationError, Violation};
use crate::limits::{self, invalid, max_chars};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_with::skip_serializing_none;
use std::collections::BTreeSet;

/// A required text: missing, blank or too long is an error.
pub(super) fn required_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<(), ValidationError> {
    match value {
        None => Err(ValidationError::new(field, Violation::Missing)),
        Some(v) => limits::required_text(field, v, max),
    }
}

/// Checks the variables of `text` against the format and returns them (distinct, in order).
pub(super) fn check_variables(
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

pub(super) fn check_components(
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
                if let Some(minutes) = f.code_expiration_minutes {
                    check_code_expiration(&format!("{field}.code_expiration_minutes"), minutes)?;
                }
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
            TemplateComponent::Carousel(c) => check_carousel(&field, c, format)?,
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

pub(super) fn check_header(
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

pub(super) fn check_body(
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
            let mut seen = BTreeSet::new();
            for e in &example.body_text_named_params {
                if !seen.insert(e.param_name.as_str()) {
                    return Err(ValidationError::new(
                        format!("{example_field}.body_text_named_params"),
                        Violation::Duplicate {
                            value: e.param_name.clone(),
                        },
                    ));
                }
            }
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

pub(super) fn check_buttons(field: &str, b: &ButtonsComponent) -> Result<(), ValidationError> {
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
            ButtonType::QuickReply
            | ButtonType::Url
            | ButtonType::PhoneNumber
            | ButtonType::RequestContactInfo
            | ButtonType::Spm
            | ButtonType::VoiceCall => {
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
            ButtonType::VoiceCall => check_voice_call_ttl(&bf, button)?,
            ButtonType::Otp => check_otp_button(&bf, button)?,
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

/// A voice call button's optional `ttl_minutes`: a whole number of minutes in Meta's range.
fn check_voice_call_ttl(bf: &str, button: &ButtonDefinition) -> Result<(), ValidationError> {
    let Some(ttl) = button.extra.get("ttl_minutes") else {
        return Ok(());
    };
    let field = format!("{bf}.ttl_minutes");
    match ttl.as_i64() {
        Some(minutes) => limits::range(
            &field,
            minutes,
            i64::from(limits::TEMPLATE_VOICE_CALL_TTL_MINUTES_MIN),
            i64::from(limits::TEMPLATE_VOICE_CALL_TTL_MINUTES_MAX),
        ),
        None => Err(limits::invalid(
            field,
            ttl.to_string(),
            "a whole number of minutes",
        )),
    }
}

pub(super) fn check_url_button(bf: &str, button: &ButtonDefinition) -> Result<(), ValidationError> {
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

pub(super) fn check_name(name: &str) -> Result<(), ValidationError> {
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
    message_send_ttl_seconds: Option<i64>,
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
            message_send_ttl_seconds: None,
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

    /// How long Meta keeps trying to deliver a message of this template, in seconds (Meta's
    /// "Time-to-live"): authentication 30-900, utility 30-43,200, marketing (Marketing Messages API)
    /// 43,200-2,592,000; `-1` means 30 days for authentication and utility.
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::templates::*;
    /// let t = CreateTemplate::new("login_code", "en_US", TemplateCategory::Authentication)
    ///     .component(BodyComponent::authentication(true))
    ///     .component(ButtonsComponent::new([ButtonDefinition::otp_copy_code()]));
    /// assert!(t.clone().message_send_ttl_seconds(900).validate().is_ok());
    /// assert!(t.message_send_ttl_seconds(901).validate().is_err());
    /// ```
    pub fn message_send_ttl_seconds(mut self, seconds: i64) -> Self {
        self.message_send_ttl_seconds = Some(seconds);
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
        check_components(&self.components, &format, Some(&self.category))?;
        check_kind(&self.components, Some(&self.category))?;
        check_ttl(Some(&self.category), self.message_send_ttl_seconds)
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
        if let Some(ttl) = self.message_send_ttl_seconds {
            map.serialize_entry("message_send_ttl_seconds", &ttl)?;
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
