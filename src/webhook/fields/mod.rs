//! Typed values of the webhook fields other than `messages`, one file per family: templates,
//! the account and its business, the business phone number, Flows, automatic (ad) events and
//! marketing preferences.
//!
//! Each field has its own struct; values Meta can grow are `string_enum!`s that keep an unknown
//! value as `Unknown(String)`. Ids and numbers that Meta writes as integers in one place and as
//! strings in another are read in either form.

mod account;
mod automatic;
mod flows;
mod phone_number;
mod preferences;
mod templates;

pub use account::{
    AccountAlert, AccountEvent, AccountReviewUpdate, AccountUpdate, AlertEntityType, AlertInfo,
    AuthInternationalEligibility, BanInfo, BanState, BusinessCapabilityUpdate, CertificationInfo,
    CountryException, Decision, DisconnectionInfo, MessagingLimit, PartnerSolutionUpdate,
    RestrictionInfo, RestrictionType, SolutionEvent, SolutionStatus, ViolationInfo, VolumeTierInfo,
    WabaInfo,
};
pub use automatic::{AutomaticEvent, AutomaticEventName, PurchaseData};
pub use flows::{FlowAlertState, FlowErrorCount, FlowEvent, FlowStatus, FlowUpdate};
pub use phone_number::{
    BusinessUsernameUpdate, PhoneNumberNameUpdate, PhoneNumberQualityUpdate, SecurityEvent,
    SecurityUpdate, UsernameStatus,
};
pub use preferences::{PreferenceValue, UserPreference};
pub use templates::{
    TemplateCategoryUpdate, TemplateComponentButton, TemplateComponentsUpdate, TemplateDisableInfo,
    TemplateEvent, TemplateOtherInfo, TemplateQualityUpdate, TemplateReason, TemplateRejectionInfo,
    TemplateStatusUpdate,
};
