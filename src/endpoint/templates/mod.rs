//! Template management: list, get, create, edit and delete message templates of a WhatsApp Business
//! Account (`/<WABA_ID>/message_templates`). Every call needs the account id
//! ([`ApiContext::with_waba_id`](super::ApiContext::with_waba_id)).
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

mod admin;
mod analytics;
mod checks;
mod components;
mod create;
mod info;
mod kinds;
mod library;
mod manage;
mod requirements;
#[cfg(test)]
mod tests;

pub use admin::{
    ArchivalResult, ArchiveTemplates, DeleteTemplatesById, MigrateTemplates, MigratedTemplates,
    SetClickTracking, UnpauseTemplate, Unpaused,
};
pub use analytics::{
    BlockReason, ButtonClicks, ClickedButtonType, CompareTemplates, CompareWindow,
    ComparisonMetric, ComparisonMetricName, EnableTemplateInsights, GetTemplateAnalytics,
    GetTemplateGroupAnalytics, InsightsEnabled, KeyedValue, TEMPLATE_ANALYTICS_MAX_IDS,
    TemplateAnalyticsEntry, TemplateComparison, TemplateCost, TemplateCostType, TemplateDataPoint,
    TemplateMetricType, TemplateProductType,
};
pub use components::{
    BodyComponent, ButtonDefinition, ButtonExample, ButtonType, ButtonsComponent, FooterComponent,
    HeaderComponent, HeaderFormat, LimitedTimeOffer, LimitedTimeOfferComponent, NamedExample,
    ParameterFormat, TemplateCategory, TemplateComponent, TemplateExample, TemplateStatus,
};
pub use create::{CreateTemplate, CreatedTemplate};
pub use info::{
    ButtonParameter, CardParameters, HeaderParameter, ParameterSlot, RequiredParameters,
    TemplateInfo,
};
pub use kinds::{CarouselCardDefinition, CarouselComponent, OtpType, SupportedApp};
pub use library::{
    CreateFromLibrary, GetTemplatePreviews, LibraryBodyInputs, LibraryButtonInput, LibraryTemplate,
    SearchTemplateLibrary, TemplatePreview, UpsertAuthenticationTemplate, UpsertedTemplate,
    UpsertedTemplates,
};
pub use manage::{DeleteTemplate, EditTemplate, GetTemplate, GetTemplateByName, ListTemplates};
