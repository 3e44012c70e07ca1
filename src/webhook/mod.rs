//! Inbound webhooks: typed events for every delivery, signature verification and the handshake.
//!
//! ```
//! use whatsapp_cloud::webhook::{self, Event, MessageContent, Payload, SignatureVerifier};
//!
//! // GET: Meta's subscription handshake, from the raw query string.
//! let challenge = webhook::verify_subscription(
//!     "hub.mode=subscribe&hub.challenge=42&hub.verify_token=my-verify-token",
//!     "my-verify-token",
//! )?;
//! assert_eq!(challenge, "42");
//!
//! // POST: verify the signature over the raw bytes, then parse.
//! let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},"statuses":[{"id":"wamid.A","status":"played","timestamp":"1750000000","recipient_id":"16505551234"}]},"field":"messages"}]}]}"#;
//! let header = webhook::sign("app-secret", body); // what Meta sends in X-Hub-Signature-256
//! let verifier = SignatureVerifier::new("app-secret")?;
//! verifier.verify(body, Some(&header))?;
//! let payload = Payload::from_slice(body)?;
//! for event in payload.events() {
//!     match event {
//!         Event::Message(msg) => println!("{} says {:?}", msg.id(), msg.text()),
//!         Event::Status(status) => assert_eq!(status.status().as_str(), "played"),
//!         Event::Error(error) => eprintln!("{}", error.error().code),
//!         Event::Unknown(change) => println!("unmodelled field {}", change.field()),
//!         _ => {}
//!     }
//! }
//! let again = serde_json::to_vec(&payload)?; // Meta's shape again
//! # let _ = again;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod calls;
mod echoes;
mod events;
mod fields;
mod groups;
mod handshake;
mod history;
mod id_update;
mod item_lists;
pub(crate) mod lenient;
mod message;
mod payload;
mod payments;
mod read;
mod signature;
mod state_sync;
mod status;
mod user_ref;

pub use calls::{
    Call, CallDirection, CallEventKind, CallMedia, CallOutcome, CallRecording, CallSession,
    CallStatus, CallStatusKind, CallTranscript,
};
pub use echoes::MessageEcho;
#[cfg(feature = "axum")]
pub(crate) use events::EventPosition;
pub use events::{
    ErrorEvent, Event, EventContext, Events, FieldEvent, HistoryEvent, InvalidEvent, MessageEvent,
    StatusEvent, UnknownEvent, UserEvent,
};
pub use fields::{
    AccountAlert, AccountEvent, AccountReviewUpdate, AccountUpdate, AlertEntityType, AlertInfo,
    AuthInternationalEligibility, AutomaticEvent, AutomaticEventName, BanInfo, BanState,
    BusinessCapabilityUpdate, BusinessUsernameUpdate, CertificationInfo, CountryException,
    Decision, DisconnectionInfo, FlowAlertState, FlowErrorCount, FlowEvent, FlowStatus, FlowUpdate,
    MessagingLimit, PartnerSolutionUpdate, PhoneNumberNameUpdate, PhoneNumberQualityUpdate,
    PreferenceValue, PurchaseData, RestrictionInfo, RestrictionType, SecurityEvent, SecurityUpdate,
    SolutionEvent, SolutionStatus, TemplateCategoryUpdate, TemplateComponentButton,
    TemplateComponentsUpdate, TemplateDisableInfo, TemplateEvent, TemplateOtherInfo,
    TemplateQualityUpdate, TemplateReason, TemplateRejectionInfo, TemplateStatusUpdate,
    UserPreference, UsernameStatus, ViolationInfo, VolumeTierInfo, WabaInfo,
};
pub use groups::{
    GroupLifecycleKind, GroupLifecycleUpdate, GroupParticipant, GroupParticipantsKind,
    GroupParticipantsUpdate, GroupRef, GroupSettingChange, GroupSettingsUpdate, GroupStatusKind,
    GroupStatusUpdate,
};
pub use handshake::{HandshakeError, verify_subscription};
pub use history::{
    HISTORY_DECLINED, HistoryChunk, HistoryMessage, HistoryMetadata, HistoryStatus, HistoryThread,
};
pub use id_update::{IdPair, UserIdUpdate};
pub use message::{
    ButtonReply, ButtonTap, CallPermissionReply, ContactAddress, ContactEmail, ContactName,
    ContactOrg, ContactOrigin, ContactPhone, ContactUrl, ContactsContent, Edit, FlowReply,
    Identity, InboundMedia, InboundMessage, InteractiveReply, InvalidContent, ListReply, Location,
    MessageContent, MessageContext, Order, OrderItem, Reaction, Referral, ReferredProduct, Revoke,
    SharedContact, System, SystemKind, TextContent, UnknownContent, Unsupported, UnsupportedKind,
    WelcomeMessage,
};
pub use payload::{Change, Contact, Entry, InvalidKind, Metadata, Payload, PayloadError, Profile};
pub(crate) use payments::opt_u64_lenient;
pub use payments::{
    CodeDescription, Payment, PaymentAmount, PaymentConfiguration, PaymentConfigurationStatus,
    PaymentMethod, PaymentMethodType, PaymentRecord, PaymentStatus, Refund, Transaction,
    TransactionError, TransactionStatus,
};
pub use signature::{SIGNATURE_HEADER, SignatureError, SignatureVerifier, sign};
pub use state_sync::{StateSync, StateSyncAction, StateSyncContact, StateSyncMetadata};
pub use status::{
    Category, Conversation, ConversationOrigin, Pricing, PricingModel, PricingType, Status,
    StatusKind,
};
pub use user_ref::UserRef;
