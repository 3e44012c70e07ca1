//! Delivery statuses of the messages you sent (`statuses[]` in a `messages` change).

use super::lenient::{opt_u64_any, opt_u64_as_string, string_enum, u64_any, u64_as_string};
use super::payments::{Payment, PaymentStatus};
use crate::error::ErrorObject;
use crate::ids::{GroupId, MessageId, Recipient, UserId};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

string_enum! {
    /// Where a sent message is: `sent`, `delivered`, `read`, `played` or `failed`.
    StatusKind {
        /// Accepted by WhatsApp and sent.
        Sent = "sent",
        /// Delivered to the user's device (may be skipped when it is read at once).
        Delivered = "delivered",
        /// Read by the user.
        Read = "read",
        /// A voice message played for the first time.
        Played = "played",
        /// Not delivered; see [`Status::errors`].
        Failed = "failed",
    }
}

string_enum! {
    /// The pricing model of a status: per-message (PMP, since July 2025) or per-conversation (CBP).
    PricingModel {
        /// Per-message pricing.
        Pmp = "PMP",
        /// Conversation-based pricing (webhooks before July 1, 2025).
        Cbp = "CBP",
    }
}

string_enum! {
    /// Whether a message is charged: `regular`, or free in the customer-service or entry-point window.
    PricingType {
        /// Charged at the category's rate.
        Regular = "regular",
        /// Free: inside the 24-hour customer service window.
        FreeCustomerService = "free_customer_service",
        /// Free: inside a 72-hour free entry point window.
        FreeEntryPoint = "free_entry_point",
    }
}

string_enum! {
    /// A pricing or conversation category.
    ///
    /// Meta spells the international authentication category with a hyphen in `pricing.category`
    /// and with an underscore in `conversation.origin.type`; both are read as
    /// [`Category::AuthenticationInternational`].
    Category {
        /// Authentication templates.
        Authentication = "authentication",
        /// Authentication templates at international rates.
        AuthenticationInternational = "authentication-international" | "authentication_international",
        /// Marketing templates.
        Marketing = "marketing",
        /// Marketing messages sent through the Marketing Messages (Lite) API.
        MarketingLite = "marketing_lite",
        /// A free conversation opened from an ad or a free entry point.
        ReferralConversion = "referral_conversion",
        /// Service (user-initiated) messages.
        Service = "service",
        /// Utility templates.
        Utility = "utility",
        /// Pre-2023 conversation category.
        BusinessInitiated = "business_initiated",
        /// Pre-2023 conversation category.
        UserInitiated = "user_initiated",
    }
}

/// One delivery status of a message you sent.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Status {
    /// The id of the message this status is about.
    pub id: MessageId,
    /// The new status.
    pub status: StatusKind,
    /// When it happened (unix seconds; string on the wire, integers accepted).
    #[serde(deserialize_with = "u64_any", serialize_with = "u64_as_string")]
    pub timestamp: u64,
    /// Who the message went to: a phone number / `wa_id` or a group id; absent when the message
    /// went to a business-scoped user id and no phone number can be shared (see
    /// [`Status::recipient_user_id`]).
    #[serde(default)]
    pub recipient_id: Option<String>,
    /// `group` for group messages.
    #[serde(default)]
    pub recipient_type: Option<String>,
    /// The recipient's business-scoped user id (BSUID); absent on a `failed` status of a send to a
    /// phone number.
    #[serde(default)]
    pub recipient_user_id: Option<UserId>,
    /// The recipient's parent BSUID under its current name (May 2026); read it with
    /// [`Status::recipient_parent_user_id`], which also knows the two former names.
    #[serde(default)]
    pub(crate) recipient_parent_user_id: Option<UserId>,
    /// The parent BSUID under its April 2026 name.
    #[serde(default)]
    pub(crate) parent_recipient_user_id: Option<UserId>,
    /// The parent BSUID under its March 2026 name.
    #[serde(default)]
    pub(crate) parent_user_id: Option<UserId>,
    /// For group messages: the participant this status is about (its phone number; absent when it
    /// cannot be shared).
    #[serde(default)]
    pub recipient_participant_id: Option<String>,
    /// For group messages: the participant's BSUID.
    #[serde(default)]
    pub recipient_participant_user_id: Option<UserId>,
    /// For group messages: the participant's parent BSUID.
    #[serde(default)]
    pub recipient_participant_parent_user_id: Option<UserId>,
    /// The recipient's identity key hash (identity-change checks).
    #[serde(default)]
    pub recipient_identity_key_hash: Option<String>,
    /// The `biz_opaque_callback_data` you sent with the message.
    #[serde(default)]
    pub biz_opaque_callback_data: Option<String>,
    /// The conversation (absent from v24.0 except in free entry point windows).
    #[serde(default)]
    pub conversation: Option<Conversation>,
    /// What the message costs (on `sent` and one of `delivered`/`read`).
    #[serde(default)]
    pub pricing: Option<Pricing>,
    /// Why the message failed (on `failed`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorObject>,
    /// The status's `type`: `payment` for a payment status (see [`Status::payment`]); absent (or
    /// `message`) for a message status.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The payment a payment status is about (Meta's Payments API pages).
    #[serde(default)]
    pub payment: Option<Payment>,
}

impl Status {
    /// The id of the message this status is about.
    pub fn id(&self) -> &MessageId {
        &self.id
    }

    /// The new status.
    pub fn status(&self) -> &StatusKind {
        &self.status
    }

    /// When it happened, in unix seconds.
    pub fn timestamp(&self) -> u64 {
        self.timestamp
    }

    /// The recipient as sent in `recipient_id` (phone number / `wa_id`, or group id); `None` when
    /// Meta left it out (a send to a BSUID without a shareable phone number).
    pub fn recipient_id(&self) -> Option<&str> {
        self.recipient_id.as_deref().filter(|r| !r.is_empty())
    }

    /// The recipient's business-scoped user id, when sent.
    pub fn recipient_user_id(&self) -> Option<&UserId> {
        self.recipient_user_id.as_ref()
    }

    /// The recipient's parent BSUID, under whichever of its three names Meta used
    /// (`recipient_parent_user_id`, formerly `parent_recipient_user_id` and `parent_user_id`);
    /// the payload serializes it back under the name it came with.
    pub fn recipient_parent_user_id(&self) -> Option<&UserId> {
        self.recipient_parent_user_id
            .as_ref()
            .or(self.parent_recipient_user_id.as_ref())
            .or(self.parent_user_id.as_ref())
    }

    /// The recipient, typed: a group when `recipient_type` is `group`; a phone number and a BSUID
    /// when Meta sent both `recipient_id` and `recipient_user_id`; otherwise the `recipient_id` (a
    /// BSUID when it has the BSUID shape, a phone number otherwise), or the `recipient_user_id` when
    /// Meta sent no `recipient_id`. `None` when neither is present.
    pub fn recipient(&self) -> Option<Recipient> {
        match (self.recipient_id(), &self.recipient_user_id) {
            (Some(id), _) if self.is_group() => Some(Recipient::Group(GroupId::new(id))),
            (Some(id), Some(user_id)) if !Recipient::from(id).is_user_id_only() => {
                Some(Recipient::phone_and_user_id(id, user_id.clone()))
            }
            (Some(id), _) => Some(Recipient::from(id)),
            (None, Some(user_id)) if !self.is_group() => Some(Recipient::UserId(user_id.clone())),
            _ => None,
        }
    }

    /// True for a status of a group message.
    pub fn is_group(&self) -> bool {
        self.recipient_type.as_deref() == Some("group")
    }

    /// The errors of a failed message.
    pub fn errors(&self) -> &[ErrorObject] {
        &self.errors
    }

    /// True for a `failed` message (a failed payment is not a failed message: see
    /// [`Status::payment_status`]).
    pub fn is_failed(&self) -> bool {
        self.status == StatusKind::Failed && !self.is_payment()
    }

    /// True for a payment status (`type: "payment"`): its `id` is the `order_details` message's,
    /// its `status` the payment's (read it with [`Status::payment_status`]).
    pub fn is_payment(&self) -> bool {
        self.kind
            .as_deref()
            .is_some_and(|kind| kind.eq_ignore_ascii_case("payment"))
    }

    /// The payment of a payment status: the order's `reference_id`, the amount and the
    /// transaction that changed.
    pub fn payment(&self) -> Option<&Payment> {
        self.payment.as_ref().filter(|_| self.is_payment())
    }

    /// The payment's state (`captured`, `pending`, `failed`, ...), for a payment status.
    ///
    /// ```
    /// use whatsapp_cloud::webhook::{Payload, Event, PaymentStatus};
    /// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
    ///   "messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"2"},
    ///   "statuses":[{"id":"wamid.X","recipient_id":"919000000000","type":"payment","status":"captured",
    ///     "timestamp":"1700000000","payment":{"reference_id":"order-42",
    ///     "amount":{"value":21000,"offset":100},"currency":"INR"}}]}}]}]}"#;
    /// let payload = Payload::from_slice(body)?;
    /// let Some(Event::Status(status)) = payload.events().next() else { panic!() };
    /// assert_eq!(status.update().payment_status(), Some(PaymentStatus::Captured));
    /// assert_eq!(status.update().payment().map(|p| p.reference_id.as_str()), Some("order-42"));
    /// # Ok::<(), whatsapp_cloud::webhook::PayloadError>(())
    /// ```
    pub fn payment_status(&self) -> Option<PaymentStatus> {
        self.is_payment()
            .then(|| PaymentStatus::parse(self.status.as_str()))
    }
}

/// The pricing object of a status.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Pricing {
    /// Whether the message is charged (to be deprecated by Meta; use [`Pricing::kind`]).
    #[serde(default)]
    pub billable: Option<bool>,
    /// `PMP` or `CBP`.
    #[serde(default)]
    pub pricing_model: Option<PricingModel>,
    /// `regular`, `free_customer_service` or `free_entry_point` (PMP only).
    #[serde(rename = "type", default)]
    pub kind: Option<PricingType>,
    /// The category charged.
    #[serde(default)]
    pub category: Option<Category>,
}

/// The conversation object of a status (CBP, and v24.0+ only in free entry point windows).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Conversation {
    /// The conversation id.
    #[serde(default)]
    pub id: Option<String>,
    /// When the conversation expires (unix seconds; on `sent` only).
    #[serde(
        default,
        deserialize_with = "opt_u64_any",
        serialize_with = "opt_u64_as_string"
    )]
    pub expiration_timestamp: Option<u64>,
    /// What opened the conversation.
    #[serde(default)]
    pub origin: Option<ConversationOrigin>,
}

/// `conversation.origin`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConversationOrigin {
    /// The conversation category.
    #[serde(rename = "type")]
    pub kind: Category,
}
