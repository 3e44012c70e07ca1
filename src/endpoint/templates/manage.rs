//! Listing, getting, editing and deleting templates.

use super::checks::{check_kind, check_ttl};
use super::create::{check_components, check_name};
use super::*;
use crate::endpoint::paging::{ListQuery, Page, Paginated, list_query_setters, parse_page};
use crate::endpoint::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::{Error, ValidationError, Violation};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

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

pub(super) fn template_id_url(ctx: &ApiContext, id: &str) -> Result<url::Url, Error> {
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
    message_send_ttl_seconds: Option<i64>,
    components: Option<Vec<TemplateComponent>>,
}

impl EditTemplate {
    /// Edits template `id`.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            category: None,
            parameter_format: None,
            message_send_ttl_seconds: None,
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

    /// Changes how long Meta tries to deliver the template's messages (see
    /// [`CreateTemplate::message_send_ttl_seconds`]; checked against the range of the category when
    /// the edit sets the category too).
    pub fn message_send_ttl_seconds(mut self, seconds: i64) -> Self {
        self.message_send_ttl_seconds = Some(seconds);
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
        if self.category.is_none()
            && self.components.is_none()
            && self.message_send_ttl_seconds.is_none()
        {
            return Err(ValidationError::new(
                "components",
                Violation::ExactlyOneOf {
                    fields: vec![
                        "category".into(),
                        "components".into(),
                        "message_send_ttl_seconds".into(),
                    ],
                    set: 0,
                },
            ));
        }
        check_ttl(self.category.as_ref(), self.message_send_ttl_seconds)?;
        if let Some(components) = &self.components {
            let format = self
                .parameter_format
                .clone()
                .unwrap_or(ParameterFormat::Positional);
            check_components(components, &format, self.category.as_ref())?;
            check_kind(components, self.category.as_ref())?;
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
        if let Some(ttl) = self.message_send_ttl_seconds {
            map.serialize_entry("message_send_ttl_seconds", &ttl)?;
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
