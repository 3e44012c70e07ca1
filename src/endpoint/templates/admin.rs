//! Template administration beyond create, edit and delete: unpause, archive and unarchive, bulk
//! delete by id, migration between accounts and click-tracking opt-out.

use super::manage::template_id_url;
use super::*;
use crate::endpoint::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::{Error, ValidationError, Violation};
use crate::limits;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Checks a list of template ids: 1 to 100, none blank or repeated.
fn check_ids(field: &str, ids: &[String]) -> Result<(), ValidationError> {
    limits::count(field, ids.len(), 1, limits::TEMPLATE_IDS_PER_CALL_MAX)?;
    for (i, id) in ids.iter().enumerate() {
        limits::id_unbounded(&format!("{field}[{i}]"), id)?;
        if ids[..i].contains(id) {
            return Err(ValidationError::new(
                format!("{field}[{i}]"),
                Violation::Duplicate { value: id.clone() },
            ));
        }
    }
    Ok(())
}

/// Unpauses a template that Meta paused (for low quality or by pacing):
/// `POST /<TEMPLATE_ID>/unpause`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::templates::UnpauseTemplate;
/// let ctx = ApiContext::without_phone_number("token");
/// let request = UnpauseTemplate::new("1387372356726668").to_request(&ctx)?;
/// assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/1387372356726668/unpause");
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct UnpauseTemplate {
    id: String,
}

impl UnpauseTemplate {
    /// Unpauses template `id`.
    pub fn new(id: impl Into<String>) -> Self {
        Self { id: id.into() }
    }
}

/// Meta's answer to an unpause: `{"success", "reason"?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Unpaused {
    /// Whether the template was unpaused.
    pub success: bool,
    /// Why not, when it was not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Endpoint for UnpauseTemplate {
    type Output = Unpaused;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = template_id_url(ctx, &self.id)?;
        url.path_segments_mut()
            .map_err(|()| Error::config("the base URL cannot be a base"))?
            .push("unpause");
        ctx.empty_request(http::Method::POST, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Unpaused, Error> {
        parse_json("template unpause response", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Whether an [`ArchiveTemplates`] call archives or unarchives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Archival {
    Archive,
    Unarchive,
}

/// Archives or unarchives up to 100 templates: `POST /<WABA_ID>/message_templates/archive` (or
/// `/unarchive`) with `{"hsm_ids": [...]}`. Meta documents these on **`api.facebook.com`**, not the
/// Graph API host, and without a version in the path (Meta's "Template archival"); the host follows
/// [`ApiContext::api_facebook_base_url`]. An archived template cannot be sent and is deleted after
/// 28 days unless unarchived; each change emits a `message_template_status_update` webhook.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::templates::ArchiveTemplates;
/// let ctx = ApiContext::without_phone_number("token").with_waba_id("102290129340398");
/// let request = ArchiveTemplates::archive(["1387372356726668"]).to_request(&ctx)?;
/// assert_eq!(request.uri(), "https://api.facebook.com/102290129340398/message_templates/archive");
/// assert_eq!(request.body(), br#"{"hsm_ids":["1387372356726668"]}"#);
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct ArchiveTemplates {
    action: Archival,
    ids: Vec<String>,
}

impl ArchiveTemplates {
    /// Archives these templates (1 to 100 ids).
    pub fn archive<I, S>(ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            action: Archival::Archive,
            ids: ids.into_iter().map(Into::into).collect(),
        }
    }

    /// Unarchives these templates (1 to 100 ids), back to their status before archival.
    pub fn unarchive<I, S>(ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            action: Archival::Unarchive,
            ids: ids.into_iter().map(Into::into).collect(),
        }
    }
}

/// Meta's answer to an archive or unarchive: the templates done and, by id, why the others failed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ArchivalResult {
    /// The ids archived (`archived_templates`) or unarchived (`unarchived_templates`).
    #[serde(default, alias = "archived_templates", alias = "unarchived_templates")]
    pub templates: Vec<String>,
    /// Reasons by template id, such as "Only approved or rejected templates can be archived".
    #[serde(default)]
    pub failed_templates: BTreeMap<String, String>,
}

impl Endpoint for ArchiveTemplates {
    type Output = ArchivalResult;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        check_ids("hsm_ids", &self.ids)?;
        let action = match self.action {
            Archival::Archive => "archive",
            Archival::Unarchive => "unarchive",
        };
        let url =
            ctx.api_facebook_url(&[ctx.require_waba_id()?.as_str(), "message_templates", action])?;
        ctx.json_request(
            http::Method::POST,
            &url,
            &serde_json::json!({ "hsm_ids": self.ids }),
        )
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<ArchivalResult, Error> {
        parse_json("template archival response", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Deletes up to 100 templates by id in one call: `DELETE /<WABA_ID>/message_templates?hsm_ids=[...]`
/// (Meta's "Template management"). Meta does not combine `hsm_ids` with `name` or `hsm_id`, so this
/// is a type of its own ([`DeleteTemplate`] deletes by name); if any id is invalid, nothing is
/// deleted.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::templates::DeleteTemplatesById;
/// let ctx = ApiContext::without_phone_number("token").with_waba_id("102290129340398");
/// let request = DeleteTemplatesById::new(["1", "2"]).to_request(&ctx)?;
/// assert_eq!(
///     request.uri(),
///     "https://graph.facebook.com/v26.0/102290129340398/message_templates?hsm_ids=%5B%221%22%2C%222%22%5D"
/// );
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct DeleteTemplatesById {
    ids: Vec<String>,
}

impl DeleteTemplatesById {
    /// Deletes these templates (1 to 100 ids).
    pub fn new<I, S>(ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            ids: ids.into_iter().map(Into::into).collect(),
        }
    }
}

impl Endpoint for DeleteTemplatesById {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        check_ids("hsm_ids", &self.ids)?;
        let mut url = ctx.url(&[ctx.require_waba_id()?.as_str(), "message_templates"])?;
        let ids = serde_json::to_string(&self.ids)
            .map_err(|e| Error::config(format!("hsm_ids could not be serialized: {e}")))?;
        url.query_pairs_mut().append_pair("hsm_ids", &ids);
        ctx.empty_request(http::Method::DELETE, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("template bulk delete response", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Copies the templates of another account into this one (the context's account is the
/// destination): `POST /<DEST_WABA_ID>/migrate_message_templates?source_waba_id=&page_number=`.
/// Meta migrates 500 templates per page; `page_number` counts from 0.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct MigrateTemplates {
    source_waba_id: String,
    page_number: Option<u32>,
}

impl MigrateTemplates {
    /// Migrates the templates of account `source_waba_id`.
    pub fn new(source_waba_id: impl Into<String>) -> Self {
        Self {
            source_waba_id: source_waba_id.into(),
            page_number: None,
        }
    }

    /// Which page of 500 templates to migrate (0 first).
    pub fn page_number(mut self, page: u32) -> Self {
        self.page_number = Some(page);
        self
    }
}

/// Meta's answer to a migration: the ids migrated and, by id, why the others failed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MigratedTemplates {
    /// The ids of the templates migrated.
    #[serde(default)]
    pub migrated_templates: Vec<String>,
    /// Reasons by template id.
    #[serde(default)]
    pub failed_templates: BTreeMap<String, String>,
}

impl Endpoint for MigrateTemplates {
    type Output = MigratedTemplates;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        limits::id_unbounded("source_waba_id", &self.source_waba_id)?;
        let mut url = ctx.url(&[ctx.require_waba_id()?.as_str(), "migrate_message_templates"])?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("source_waba_id", &self.source_waba_id);
            if let Some(page) = self.page_number {
                q.append_pair("page_number", &page.to_string());
            }
        }
        ctx.empty_request(http::Method::POST, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<MigratedTemplates, Error> {
        parse_json("template migration response", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Turns click tracking of a template's URL buttons off (or back on):
/// `POST /<TEMPLATE_ID>?cta_url_link_tracking_opted_out=true&category=<current category>` (Meta's
/// "Template analytics"). Meta wants the template's current category with it.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::templates::{SetClickTracking, TemplateCategory};
/// let ctx = ApiContext::without_phone_number("token");
/// let request = SetClickTracking::opt_out("1387", TemplateCategory::Marketing).to_request(&ctx)?;
/// assert_eq!(
///     request.uri(),
///     "https://graph.facebook.com/v26.0/1387?cta_url_link_tracking_opted_out=true&category=MARKETING"
/// );
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct SetClickTracking {
    id: String,
    opted_out: bool,
    category: TemplateCategory,
}

impl SetClickTracking {
    /// Stops tracking clicks of template `id`, of category `category`.
    pub fn opt_out(id: impl Into<String>, category: TemplateCategory) -> Self {
        Self {
            id: id.into(),
            opted_out: true,
            category,
        }
    }

    /// Tracks clicks of template `id` again.
    pub fn opt_in(id: impl Into<String>, category: TemplateCategory) -> Self {
        Self {
            opted_out: false,
            ..Self::opt_out(id, category)
        }
    }
}

impl Endpoint for SetClickTracking {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        if let TemplateCategory::Unknown(c) = &self.category {
            return Err(
                limits::invalid("category", c, "MARKETING, UTILITY or AUTHENTICATION").into(),
            );
        }
        let mut url = template_id_url(ctx, &self.id)?;
        url.query_pairs_mut()
            .append_pair(
                "cta_url_link_tracking_opted_out",
                if self.opted_out { "true" } else { "false" },
            )
            .append_pair("category", self.category.as_str());
        ctx.empty_request(http::Method::POST, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("template click tracking response", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}
