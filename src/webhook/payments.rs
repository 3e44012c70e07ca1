//! Payments: the `payment` object of a payment status (a `statuses[]` item with `type: "payment"`),
//! the payment configurations of a business account and the `payment_configuration_update` field.
//!
//! The shapes follow Meta's Payments API pages for India ("Receive payments via payment gateways on
//! WhatsApp", "Onboarding APIs") and the `payment_configuration_update` webhook reference. Numbers
//! and ids are read whether Meta writes them as integers or strings; unknown statuses and methods
//! are kept as sent.

use super::lenient::{opt_string_any, opt_u64_any, string_any, string_enum, u64_any};
use serde::{Deserialize, Deserializer, Serialize};
use serde_with::skip_serializing_none;

string_enum! {
    /// Where a payment is (the `status` of a payment status, and of a looked-up payment).
    PaymentStatus {
        /// The bill was sent; the user has not started paying.
        New = "new",
        /// The user started paying; no success yet.
        Pending = "pending",
        /// The payment succeeded.
        Captured = "captured",
        /// The payment failed.
        Failed = "failed",
        /// The payment was canceled.
        Canceled = "canceled",
    }
}

string_enum! {
    /// Where one payment attempt (transaction) is.
    TransactionStatus {
        /// Started, not finished.
        Pending = "pending",
        /// Succeeded.
        Success = "success",
        /// Failed; see [`Transaction::error`].
        Failed = "failed",
    }
}

string_enum! {
    /// How the user paid (`transaction.method.type`).
    PaymentMethodType {
        /// UPI.
        Upi = "upi",
        /// A card.
        Card = "card",
        /// A wallet.
        Wallet = "wallet",
        /// Net banking.
        Netbanking = "netbanking",
    }
}

/// An amount of money: `value / offset` (`{"value": 21000, "offset": 100}` is 210.00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentAmount {
    /// The integer value.
    #[serde(deserialize_with = "u64_any")]
    pub value: u64,
    /// What the value is divided by.
    #[serde(deserialize_with = "u64_any")]
    pub offset: u64,
}

/// How the user paid: `{"type": "upi"}` (a bare string is read too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PaymentMethod {
    /// The method.
    #[serde(rename = "type")]
    pub kind: PaymentMethodType,
}

impl<'de> Deserialize<'de> for PaymentMethod {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Object {
                #[serde(rename = "type")]
                kind: PaymentMethodType,
            },
            Bare(PaymentMethodType),
        }
        Ok(match Wire::deserialize(d)? {
            Wire::Object { kind } | Wire::Bare(kind) => PaymentMethod { kind },
        })
    }
}

/// Why a transaction failed.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TransactionError {
    /// The gateway's error code.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub code: Option<String>,
    /// The gateway's reason.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A refund of a transaction.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Refund {
    /// The refund's id.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub id: Option<String>,
    /// The refund's state, as the gateway names it (`completed`, ...).
    #[serde(default)]
    pub status: Option<String>,
    /// How much was refunded.
    #[serde(default)]
    pub amount: Option<PaymentAmount>,
    /// The gateway's refund speed (`normal`, ...).
    #[serde(default)]
    pub speed_processed: Option<String>,
    /// When the refund was created (unix seconds).
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub created_timestamp: Option<u64>,
    /// When the refund last changed (unix seconds).
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub updated_timestamp: Option<u64>,
}

/// One attempt of the user's to pay.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Transaction {
    /// The transaction id (the gateway's).
    #[serde(deserialize_with = "string_any")]
    pub id: String,
    /// The gateway or flow (`razorpay`, `payu`, `billdesk`, `zaakpay`, ...).
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The attempt's state.
    pub status: TransactionStatus,
    /// When it was created (unix seconds).
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub created_timestamp: Option<u64>,
    /// When it last changed (unix seconds).
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub updated_timestamp: Option<u64>,
    /// The amount of the attempt.
    #[serde(default)]
    pub amount: Option<PaymentAmount>,
    /// Its currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// How the user paid.
    #[serde(default)]
    pub method: Option<PaymentMethod>,
    /// Why it failed.
    #[serde(default)]
    pub error: Option<TransactionError>,
    /// Refunds of this transaction (`null` reads as none).
    #[serde(default, deserialize_with = "null_as_empty")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refunds: Vec<Refund>,
}

fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// The `payment` object of a payment status: which order, how much, and the transaction that
/// changed.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Payment {
    /// The `reference_id` of the `order_details` message.
    #[serde(deserialize_with = "string_any")]
    pub reference_id: String,
    /// The amount of the order.
    #[serde(default)]
    pub amount: Option<PaymentAmount>,
    /// Its currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// The gateway receipt sent with the order, when any.
    #[serde(default)]
    pub receipt: Option<String>,
    /// The transaction this update is about.
    #[serde(default)]
    pub transaction: Option<Transaction>,
}

/// A payment as the payment lookup returns it: its state and every attempt.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentRecord {
    /// The order's reference.
    #[serde(deserialize_with = "string_any")]
    pub reference_id: String,
    /// Where the payment is.
    pub status: PaymentStatus,
    /// The amount of the order.
    #[serde(default)]
    pub amount: Option<PaymentAmount>,
    /// Its currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Every attempt to pay.
    #[serde(default, deserialize_with = "null_as_empty")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transactions: Vec<Transaction>,
}

string_enum! {
    /// The state of a payment configuration. Meta writes it with an underscore in the API and with
    /// a space in the webhook reference; both are read.
    PaymentConfigurationStatus {
        /// Tested in WhatsApp Manager; usable in orders.
        Active = "Active" | "ACTIVE",
        /// Disconnected from its gateway: connect it again (see the OAuth link).
        NeedsConnecting = "Needs_Connecting" | "Needs Connecting" | "NEEDS_CONNECTING",
        /// Connected; still to be tested in WhatsApp Manager.
        NeedsTesting = "Needs_Testing" | "Needs Testing" | "NEEDS_TESTING",
    }
}

/// A code and its description (a configuration's merchant category or purpose code).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CodeDescription {
    /// The code.
    #[serde(deserialize_with = "string_any")]
    pub code: String,
    /// What it means.
    #[serde(default)]
    pub description: Option<String>,
}

/// A payment configuration of a business account (India): the name orders refer to, its gateway
/// and its state. The same object is the value of a `payment_configuration_update` webhook.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentConfiguration {
    /// The name used in `order_details` messages.
    pub configuration_name: String,
    /// The gateway (`razorpay`, `payu`, `zaakpay`, `upi_vpa`; Meta's example writes `RazorPay`).
    #[serde(default)]
    pub provider_name: Option<String>,
    /// The gateway's merchant id.
    #[serde(default, deserialize_with = "opt_string_any")]
    pub provider_mid: Option<String>,
    /// The configuration's state.
    #[serde(default)]
    pub status: Option<PaymentConfigurationStatus>,
    /// The merchant category code.
    #[serde(default)]
    pub merchant_category_code: Option<CodeDescription>,
    /// The purpose code.
    #[serde(default)]
    pub purpose_code: Option<CodeDescription>,
    /// The merchant's UPI handle (UPI VPA configurations).
    #[serde(default)]
    pub merchant_vpa: Option<String>,
    /// When it was created (unix seconds).
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub created_timestamp: Option<u64>,
    /// When it last changed (unix seconds).
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub updated_timestamp: Option<u64>,
}

/// A unix time written as an integer or a string (for the endpoint answers that reuse these types).
pub(crate) fn opt_u64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    opt_u64_any(d)
}
