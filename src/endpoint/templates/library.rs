//! The Template Library (ready-made templates approved on creation), multi-language upsert of
//! authentication templates and authentication template previews.

use super::checks::check_code_expiration;
use super::create::check_name;
use super::*;
use crate::endpoint::paging::{ListQuery, Page, Paginated, list_query_setters, parse_page};
use crate::endpoint::{ApiContext, Endpoint, Idempotency, parse_json};
use crate::error::{Error, ValidationError, Violation};
use crate::limits::{self, invalid};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// Searches the Template Library: `GET /message_template_library?search=&topic=&usecase=&industry=&language=`
/// (Meta's "Template Library"); `category=UTILITY` with `topic=GROUP_INVITE_LINK` finds the group
/// invite templates.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::templates::SearchTemplateLibrary;
/// let ctx = ApiContext::without_phone_number("token");
/// let request = SearchTemplateLibrary::new().search("payment").language("en_US").to_request(&ctx)?;
/// assert_eq!(
///     request.uri(),
///     "https://graph.facebook.com/v26.0/message_template_library?search=payment&language=en_US"
/// );
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct SearchTemplateLibrary {
    filters: Vec<(&'static str, String)>,
    query: ListQuery,
}

impl SearchTemplateLibrary {
    /// Every library template, first page.
    pub fn new() -> Self {
        Self::default()
    }

    fn filter(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.filters.retain(|(k, _)| *k != key);
        self.filters.push((key, value.into()));
        self
    }

    /// Templates whose content contains `text`.
    pub fn search(self, text: impl Into<String>) -> Self {
        self.filter("search", text)
    }

    /// Templates of this topic, such as `ORDER_MANAGEMENT`.
    pub fn topic(self, topic: impl Into<String>) -> Self {
        self.filter("topic", topic)
    }

    /// Templates of this use case, such as `DELIVERY_FAILED`.
    pub fn usecase(self, usecase: impl Into<String>) -> Self {
        self.filter("usecase", usecase)
    }

    /// Templates of this industry, such as `E_COMMERCE`.
    pub fn industry(self, industry: impl Into<String>) -> Self {
        self.filter("industry", industry)
    }

    /// Templates in this language, such as `en_US`.
    pub fn language(self, language: impl Into<String>) -> Self {
        self.filter("language", language)
    }

    /// Templates of this category.
    pub fn category(self, category: TemplateCategory) -> Self {
        self.filter("category", category.as_str())
    }

    /// The library template of this name.
    pub fn name(self, name: impl Into<String>) -> Self {
        self.filter("name", name)
    }

    list_query_setters!(fields, paging);
}

/// A template of the Template Library.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LibraryTemplate {
    /// The library template's name (the `library_template_name` of a creation).
    pub name: String,
    /// The library template's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The language code.
    #[serde(default)]
    pub language: Option<String>,
    /// The category.
    #[serde(default)]
    pub category: Option<TemplateCategory>,
    /// The topic, such as `ORDER_MANAGEMENT`.
    #[serde(default)]
    pub topic: Option<String>,
    /// The use case, such as `DELIVERY_FAILED`.
    #[serde(default)]
    pub usecase: Option<String>,
    /// The industries.
    #[serde(default)]
    pub industry: Vec<String>,
    /// The header text.
    #[serde(default)]
    pub header: Option<String>,
    /// The body text, with its variables.
    #[serde(default)]
    pub body: Option<String>,
    /// Sample values of the body's variables.
    #[serde(default)]
    pub body_params: Vec<String>,
    /// The types of the body's variables (`TEXT`, `AMOUNT`, `DATE`, ...).
    #[serde(default)]
    pub body_param_types: Vec<String>,
    /// The buttons, as sent.
    #[serde(default)]
    pub buttons: Vec<Value>,
    /// Other fields, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Endpoint for SearchTemplateLibrary {
    type Output = Page<SearchTemplateLibrary>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = ctx.url(&["message_template_library"])?;
        let filters: Vec<(&str, &str)> =
            self.filters.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.query.write(&mut url, &[], &filters);
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Page<SearchTemplateLibrary>, Error> {
        parse_page("template library", self, response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

impl Paginated for SearchTemplateLibrary {
    type Item = LibraryTemplate;

    fn with_after(&self, cursor: &str) -> Self {
        self.clone().after(cursor)
    }
}

/// The value of one button of a library template (`library_template_button_inputs`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LibraryButtonInput(Map<String, Value>);

impl LibraryButtonInput {
    fn of(kind: &str) -> Self {
        let mut map = Map::new();
        map.insert("type".to_owned(), Value::from(kind));
        Self(map)
    }

    /// A URL button: `base_url` (which may end in `{{1}}`) and an example of the suffix.
    pub fn url(base_url: impl Into<String>, url_suffix_example: Option<String>) -> Self {
        let mut b = Self::of("URL");
        let mut url = Map::new();
        url.insert("base_url".to_owned(), Value::from(base_url.into()));
        if let Some(example) = url_suffix_example {
            url.insert("url_suffix_example".to_owned(), Value::from(example));
        }
        b.0.insert("url".to_owned(), Value::Object(url));
        b
    }

    /// A phone-number button.
    pub fn phone_number(phone_number: impl Into<String>) -> Self {
        let mut b = Self::of("PHONE_NUMBER");
        b.0.insert("phone_number".to_owned(), Value::from(phone_number.into()));
        b
    }

    /// A quick-reply button (no input).
    pub fn quick_reply() -> Self {
        Self::of("QUICK_REPLY")
    }

    /// The OTP button of an authentication library template; for one-tap and zero-tap, add the
    /// apps with [`LibraryButtonInput::field`] (`supported_apps`, `zero_tap_terms_accepted`).
    pub fn otp(otp_type: OtpType) -> Self {
        let mut b = Self::of("OTP");
        b.0.insert("otp_type".to_owned(), Value::from(otp_type.as_str()));
        b
    }

    /// Any other field, given raw.
    pub fn field(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.0.insert(key.into(), value.into());
        self
    }
}

/// The optional parts of a library template's body (`library_template_body_inputs`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct LibraryBodyInputs {
    /// Adds the business's contact number.
    pub add_contact_number: Option<bool>,
    /// Adds a "learn more" link.
    pub add_learn_more_link: Option<bool>,
    /// Adds the security recommendation (authentication).
    pub add_security_recommendation: Option<bool>,
    /// Adds a package tracking link.
    pub add_track_package_link: Option<bool>,
    /// The code expiry in minutes (authentication, 1-90).
    pub code_expiration_minutes: Option<u32>,
}

impl LibraryBodyInputs {
    /// No optional part.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the business's contact number.
    #[must_use]
    pub fn add_contact_number(mut self, value: bool) -> Self {
        self.add_contact_number = Some(value);
        self
    }

    /// Adds a "learn more" link.
    #[must_use]
    pub fn add_learn_more_link(mut self, value: bool) -> Self {
        self.add_learn_more_link = Some(value);
        self
    }

    /// Adds the security recommendation (authentication).
    #[must_use]
    pub fn add_security_recommendation(mut self, value: bool) -> Self {
        self.add_security_recommendation = Some(value);
        self
    }

    /// Adds a package tracking link.
    #[must_use]
    pub fn add_track_package_link(mut self, value: bool) -> Self {
        self.add_track_package_link = Some(value);
        self
    }

    /// The code expiry in minutes (authentication, 1-90).
    #[must_use]
    pub fn code_expiration_minutes(mut self, value: u32) -> Self {
        self.code_expiration_minutes = Some(value);
        self
    }
}

/// Creates a template from the Template Library: `POST /<WABA_ID>/message_templates` with
/// `library_template_name`. Library templates are approved on creation (`{"id", "status":
/// "APPROVED", "category"}`).
///
/// ```
/// use whatsapp_cloud::endpoint::templates::*;
/// let create = CreateFromLibrary::new("my_payment_reminder", "en_US", TemplateCategory::Utility,
///         "payment_overdue_1")
///     .button_input(LibraryButtonInput::url("https://pay.example/{{1}}", Some("https://pay.example/a1".into())));
/// assert_eq!(serde_json::to_value(&create)?, serde_json::json!({
///     "name": "my_payment_reminder", "language": "en_US", "category": "UTILITY",
///     "library_template_name": "payment_overdue_1",
///     "library_template_button_inputs": [{"type": "URL",
///         "url": {"base_url": "https://pay.example/{{1}}", "url_suffix_example": "https://pay.example/a1"}}]
/// }));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct CreateFromLibrary {
    name: String,
    language: String,
    category: TemplateCategory,
    library_template_name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    library_template_button_inputs: Vec<LibraryButtonInput>,
    library_template_body_inputs: Option<LibraryBodyInputs>,
}

impl CreateFromLibrary {
    /// Template `name` in `language` from library template `library_template_name`.
    pub fn new(
        name: impl Into<String>,
        language: impl Into<String>,
        category: TemplateCategory,
        library_template_name: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            language: language.into(),
            category,
            library_template_name: library_template_name.into(),
            library_template_button_inputs: Vec::new(),
            library_template_body_inputs: None,
        }
    }

    /// Adds the value of the next button.
    pub fn button_input(mut self, input: LibraryButtonInput) -> Self {
        self.library_template_button_inputs.push(input);
        self
    }

    /// The optional parts of the body.
    pub fn body_inputs(mut self, inputs: LibraryBodyInputs) -> Self {
        self.library_template_body_inputs = Some(inputs);
        self
    }

    /// Checks the name, language, library name and code expiry.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_name(&self.name)?;
        limits::non_blank("language", &self.language)?;
        limits::non_blank("library_template_name", &self.library_template_name)?;
        if let Some(minutes) = self
            .library_template_body_inputs
            .as_ref()
            .and_then(|b| b.code_expiration_minutes)
        {
            check_code_expiration(
                "library_template_body_inputs.code_expiration_minutes",
                minutes,
            )?;
        }
        Ok(())
    }
}

impl Endpoint for CreateFromLibrary {
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

/// Creates or updates an authentication template in several languages at once:
/// `POST /<WABA_ID>/upsert_message_templates` (Meta's "Authentication templates"). Meta writes the
/// text of each language, so the components carry no `text` or `autofill_text`.
///
/// ```
/// use whatsapp_cloud::endpoint::templates::*;
/// let upsert = UpsertAuthenticationTemplate::new("login_code", ["en_US", "es_ES"])
///     .component(BodyComponent::authentication(true))
///     .component(FooterComponent::code_expiration(10))
///     .component(ButtonsComponent::new([ButtonDefinition::otp_copy_code()]));
/// assert_eq!(serde_json::to_value(&upsert)?, serde_json::json!({
///     "name": "login_code", "languages": ["en_US", "es_ES"], "category": "AUTHENTICATION",
///     "components": [
///         {"type": "BODY", "add_security_recommendation": true},
///         {"type": "FOOTER", "code_expiration_minutes": 10},
///         {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "copy_code"}]}]
/// }));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct UpsertAuthenticationTemplate {
    name: String,
    languages: Vec<String>,
    category: TemplateCategory,
    components: Vec<TemplateComponent>,
}

impl UpsertAuthenticationTemplate {
    /// Authentication template `name` in these languages.
    pub fn new<I, S>(name: impl Into<String>, languages: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            name: name.into(),
            languages: languages.into_iter().map(Into::into).collect(),
            category: TemplateCategory::Authentication,
            components: Vec::new(),
        }
    }

    /// Adds a component (body, footer, buttons).
    pub fn component(mut self, component: impl Into<TemplateComponent>) -> Self {
        self.components.push(component.into());
        self
    }

    /// Checks the template as an authentication template, without the fields upsert refuses.
    ///
    /// # Errors
    /// The first [`ValidationError`] found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_name(&self.name)?;
        limits::count("languages", self.languages.len(), 1, usize::MAX)?;
        for (i, l) in self.languages.iter().enumerate() {
            limits::non_blank(&format!("languages[{i}]"), l)?;
        }
        for (i, c) in self.components.iter().enumerate() {
            let refused = match c {
                TemplateComponent::Body(b) if b.text.is_some() => Some("text"),
                TemplateComponent::Buttons(b) => b.buttons.iter().find_map(|x| {
                    if x.text.is_some() {
                        Some("text")
                    } else if x.extra.contains_key("autofill_text") {
                        Some("autofill_text")
                    } else {
                        None
                    }
                }),
                _ => None,
            };
            if let Some(key) = refused {
                return Err(invalid(
                    format!("components[{i}].{key}"),
                    key,
                    "no text or autofill_text: upsert writes them per language",
                ));
            }
        }
        let probe = CreateTemplate::new(&self.name, "xx", TemplateCategory::Authentication);
        let probe = self
            .components
            .iter()
            .cloned()
            .fold(probe, CreateTemplate::component);
        probe.validate()
    }
}

/// One template of an upsert: `{"id", "status", "language"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UpsertedTemplate {
    /// The template id (one per language).
    pub id: String,
    /// The review status.
    #[serde(default)]
    pub status: Option<TemplateStatus>,
    /// The language.
    #[serde(default)]
    pub language: Option<String>,
}

/// Meta's answer to an upsert: one template per language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UpsertedTemplates {
    /// The templates, one per language.
    #[serde(default)]
    pub data: Vec<UpsertedTemplate>,
}

impl Endpoint for UpsertAuthenticationTemplate {
    type Output = UpsertedTemplates;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = ctx.url(&[ctx.require_waba_id()?.as_str(), "upsert_message_templates"])?;
        ctx.json_request(http::Method::POST, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<UpsertedTemplates, Error> {
        parse_json("template upsert response", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Previews the text Meta writes for an authentication template in some languages:
/// `GET /<WABA_ID>/message_template_previews?category=AUTHENTICATION&languages=&add_security_recommendation=&code_expiration_minutes=&button_types=OTP`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::templates::GetTemplatePreviews;
/// let ctx = ApiContext::without_phone_number("token").with_waba_id("1029");
/// let request = GetTemplatePreviews::authentication(["en_US", "es_ES"])
///     .add_security_recommendation(true)
///     .code_expiration_minutes(10)
///     .to_request(&ctx)?;
/// assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/1029/message_template_previews?\
///     category=AUTHENTICATION&languages=en_US%2Ces_ES&add_security_recommendation=true&\
///     code_expiration_minutes=10&button_types=OTP");
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetTemplatePreviews {
    languages: Vec<String>,
    add_security_recommendation: Option<bool>,
    code_expiration_minutes: Option<u32>,
}

impl GetTemplatePreviews {
    /// Previews of an authentication template (OTP button) in these languages.
    pub fn authentication<I, S>(languages: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            languages: languages.into_iter().map(Into::into).collect(),
            add_security_recommendation: None,
            code_expiration_minutes: None,
        }
    }

    /// With the security recommendation.
    pub fn add_security_recommendation(mut self, add: bool) -> Self {
        self.add_security_recommendation = Some(add);
        self
    }

    /// With the code expiry (1-90 minutes).
    pub fn code_expiration_minutes(mut self, minutes: u32) -> Self {
        self.code_expiration_minutes = Some(minutes);
        self
    }
}

/// The text of an authentication template in one language.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplatePreview {
    /// The language.
    #[serde(default)]
    pub language: Option<String>,
    /// The body text.
    #[serde(default)]
    pub body: Option<String>,
    /// The footer text.
    #[serde(default)]
    pub footer: Option<String>,
    /// The buttons' labels, as sent.
    #[serde(default)]
    pub buttons: Vec<Value>,
}

#[derive(Deserialize)]
struct Previews {
    #[serde(default)]
    data: Vec<TemplatePreview>,
}

impl Endpoint for GetTemplatePreviews {
    type Output = Vec<TemplatePreview>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        if self.languages.is_empty() {
            return Err(ValidationError::new("languages", Violation::Missing).into());
        }
        if let Some(minutes) = self.code_expiration_minutes {
            check_code_expiration("code_expiration_minutes", minutes)?;
        }
        let mut url = ctx.url(&[ctx.require_waba_id()?.as_str(), "message_template_previews"])?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("category", TemplateCategory::Authentication.as_str());
            q.append_pair("languages", &self.languages.join(","));
            if let Some(add) = self.add_security_recommendation {
                q.append_pair(
                    "add_security_recommendation",
                    if add { "true" } else { "false" },
                );
            }
            if let Some(minutes) = self.code_expiration_minutes {
                q.append_pair("code_expiration_minutes", &minutes.to_string());
            }
            q.append_pair("button_types", ButtonType::Otp.as_str());
        }
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Vec<TemplatePreview>, Error> {
        parse_json::<Previews, _>("template previews", response).map(|p| p.data)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}
