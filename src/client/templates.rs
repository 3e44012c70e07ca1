//! Template management over the client: shortcuts for the
//! [`endpoint::templates`](crate::endpoint::templates) calls. Anything these do not cover is one
//! [`Client::send`] of the endpoint value away.

use super::Client;
use crate::endpoint::Success;
use crate::endpoint::templates::{
    ArchivalResult, ArchiveTemplates, CreateFromLibrary, CreateTemplate, CreatedTemplate,
    DeleteTemplatesById, GetTemplatePreviews, LibraryTemplate, MigrateTemplates, MigratedTemplates,
    SearchTemplateLibrary, SetClickTracking, TemplateCategory, TemplatePreview, UnpauseTemplate,
    Unpaused, UpsertAuthenticationTemplate, UpsertedTemplates,
};
use crate::error::Error;
use futures_util::Stream;

impl Client {
    /// Creates a template in the client's WhatsApp Business Account, after checking Meta's
    /// creation limits.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::endpoint::templates::*;
    /// let created = client
    ///     .create_template(
    ///         &CreateTemplate::new("login_code", "en_US", TemplateCategory::Authentication)
    ///             .component(BodyComponent::authentication(true))
    ///             .component(FooterComponent::code_expiration(10))
    ///             .component(ButtonsComponent::new([ButtonDefinition::otp_copy_code()]))
    ///             .message_send_ttl_seconds(600),
    ///     )
    ///     .await?;
    /// println!("{} is {:?}", created.id, created.status);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`] before sending, [`Error::Config`] without a WhatsApp Business Account
    /// id, API and transport errors.
    pub async fn create_template(
        &self,
        template: &CreateTemplate,
    ) -> Result<CreatedTemplate, Error> {
        self.send(template).await
    }

    /// Unpauses a template Meta paused.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn unpause_template(&self, template_id: &str) -> Result<Unpaused, Error> {
        self.send(&UnpauseTemplate::new(template_id)).await
    }

    /// Archives up to 100 templates (on `api.facebook.com`, as Meta documents); the answer lists
    /// the ones archived and why the others failed.
    ///
    /// # Errors
    /// [`Error::Validation`] for no id or more than 100, API and transport errors.
    pub async fn archive_templates<I, S>(&self, template_ids: I) -> Result<ArchivalResult, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.send(&ArchiveTemplates::archive(template_ids)).await
    }

    /// Unarchives up to 100 templates (within 28 days of their archival).
    ///
    /// # Errors
    /// [`Error::Validation`] for no id or more than 100, API and transport errors.
    pub async fn unarchive_templates<I, S>(&self, template_ids: I) -> Result<ArchivalResult, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.send(&ArchiveTemplates::unarchive(template_ids)).await
    }

    /// Deletes up to 100 templates by id in one call (all or nothing).
    ///
    /// # Errors
    /// [`Error::Validation`] for no id or more than 100, API and transport errors.
    pub async fn delete_templates_by_id<I, S>(&self, template_ids: I) -> Result<Success, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.send(&DeleteTemplatesById::new(template_ids)).await
    }

    /// Copies templates of another account into the client's account.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn migrate_templates(
        &self,
        migrate: &MigrateTemplates,
    ) -> Result<MigratedTemplates, Error> {
        self.send(migrate).await
    }

    /// Turns click tracking of a template's URL buttons off (`opted_out: true`) or on.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn set_template_click_tracking(
        &self,
        template_id: &str,
        category: TemplateCategory,
        opted_out: bool,
    ) -> Result<Success, Error> {
        let call = if opted_out {
            SetClickTracking::opt_out(template_id, category)
        } else {
            SetClickTracking::opt_in(template_id, category)
        };
        self.send(&call).await
    }

    /// The Template Library templates matching `search`, across pages.
    pub fn template_library(
        &self,
        search: SearchTemplateLibrary,
    ) -> impl Stream<Item = Result<LibraryTemplate, Error>> + '_ {
        self.items(search)
    }

    /// Creates a template from the Template Library (approved on creation).
    ///
    /// # Errors
    /// [`Error::Validation`] before sending, API and transport errors.
    pub async fn create_template_from_library(
        &self,
        create: &CreateFromLibrary,
    ) -> Result<CreatedTemplate, Error> {
        self.send(create).await
    }

    /// Creates or updates an authentication template in several languages.
    ///
    /// # Errors
    /// [`Error::Validation`] before sending, API and transport errors.
    pub async fn upsert_authentication_template(
        &self,
        upsert: &UpsertAuthenticationTemplate,
    ) -> Result<UpsertedTemplates, Error> {
        self.send(upsert).await
    }

    /// Previews the text of an authentication template in some languages.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn template_previews(
        &self,
        previews: &GetTemplatePreviews,
    ) -> Result<Vec<TemplatePreview>, Error> {
        self.send(previews).await
    }
}
