//! The payment messages: `order_details` (a bill the user can pay without leaving WhatsApp) and
//! `order_status` (what became of that order), from Meta's Payments API pages for India ("Receive
//! payments via payment gateways on WhatsApp", "Receive UPI payments", "Accept payments via payment
//! links") and Brazil ("Dynamic Pix codes", "Payment links", "Boleto").
//!
//! Every amount is an integer `value` with an `offset` (`{"value": 21000, "offset": 100}` is
//! 210.00). Meta rejects an order whose amounts do not add up, so [`Interactive::validate`] checks
//! them before sending: the subtotal is the sum of the items' prices (the sale price when given)
//! times their quantities, and the total is `subtotal + tax + shipping - discount`.

use super::Interactive;
use super::action::Action;
use crate::error::ValidationError;
use crate::limits;
use serde::Serialize;
use serde_with::skip_serializing_none;
use std::collections::BTreeMap;

/// An amount of money: an integer `value` and the `offset` it is divided by (100 for INR and BRL,
/// so `Amount::new(21000, 100)` is 210.00).
///
/// ```
/// use whatsapp_cloud::message::Amount;
/// assert_eq!(serde_json::to_value(Amount::new(21000, 100))?, serde_json::json!({"value": 21000, "offset": 100}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Amount {
    pub(super) value: u64,
    pub(super) offset: u32,
}

impl Amount {
    /// `value / offset` in the order's currency.
    pub fn new(value: u64, offset: u32) -> Self {
        Self { value, offset }
    }

    /// An amount in hundredths (`offset` 100), as INR and BRL are written.
    pub fn hundredths(value: u64) -> Self {
        Self::new(value, 100)
    }

    /// The integer value.
    pub fn value(&self) -> u64 {
        self.value
    }

    /// The offset the value is divided by.
    pub fn offset(&self) -> u32 {
        self.offset
    }
}

/// An amount with an optional description: the order's tax and shipping.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Charge {
    #[serde(flatten)]
    pub(super) amount: Amount,
    pub(super) description: Option<String>,
}

impl Charge {
    /// A charge of `amount`.
    pub fn new(amount: Amount) -> Self {
        Self {
            amount,
            description: None,
        }
    }

    /// The text shown next to the charge (at most 60 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    pub(super) fn validate(&self, path: &str) -> Result<(), ValidationError> {
        match &self.description {
            Some(d) => limits::required_text(
                &format!("{path}.description"),
                d,
                limits::ORDER_CHARGE_DESCRIPTION_MAX,
            ),
            None => Ok(()),
        }
    }
}

/// The order's discount: an amount, an optional description and the name of the discount program.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Discount {
    #[serde(flatten)]
    pub(super) charge: Charge,
    pub(super) discount_program_name: Option<String>,
}

impl Discount {
    /// A discount of `amount`.
    pub fn new(amount: Amount) -> Self {
        Self {
            charge: Charge::new(amount),
            discount_program_name: None,
        }
    }

    /// The text shown next to the discount (at most 60 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.charge = self.charge.description(description);
        self
    }

    /// The name of the discount program (at most 60 characters).
    pub fn program_name(mut self, name: impl Into<String>) -> Self {
        self.discount_program_name = Some(name.into());
        self
    }
}

/// The address of an item's importer (physical goods imported into India).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct ImporterAddress {
    pub(super) address_line1: String,
    pub(super) address_line2: Option<String>,
    pub(super) city: String,
    pub(super) zone_code: String,
    pub(super) postal_code: String,
    pub(super) country_code: String,
}

impl ImporterAddress {
    /// An address: first line, city, zone (state) code, postal code and ISO 3166 alpha-2 country.
    pub fn new(
        address_line1: impl Into<String>,
        city: impl Into<String>,
        zone_code: impl Into<String>,
        postal_code: impl Into<String>,
        country_code: impl Into<String>,
    ) -> Self {
        Self {
            address_line1: address_line1.into(),
            address_line2: None,
            city: city.into(),
            zone_code: zone_code.into(),
            postal_code: postal_code.into(),
            country_code: country_code.into(),
        }
    }

    /// The second address line.
    pub fn address_line2(mut self, line: impl Into<String>) -> Self {
        self.address_line2 = Some(line.into());
        self
    }
}

/// One line of an order: a product, its unit price and how many.
///
/// ```
/// use whatsapp_cloud::message::{Amount, OrderItem};
/// let cake = OrderItem::new("sku-1", "Cake", Amount::hundredths(50000), 2)
///     .sale_amount(Amount::hundredths(45000));
/// assert_eq!(serde_json::to_value(&cake)?["sale_amount"]["value"], 45000);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct OrderItem {
    pub(super) retailer_id: String,
    pub(super) name: String,
    pub(super) amount: Amount,
    pub(super) quantity: u32,
    pub(super) sale_amount: Option<Amount>,
    pub(super) country_of_origin: Option<String>,
    pub(super) importer_name: Option<String>,
    pub(super) importer_address: Option<ImporterAddress>,
}

impl OrderItem {
    /// An item: its id in your catalog or system, its name (at most 60 characters), its unit price
    /// and a quantity of at least 1.
    pub fn new(
        retailer_id: impl Into<String>,
        name: impl Into<String>,
        amount: Amount,
        quantity: u32,
    ) -> Self {
        Self {
            retailer_id: retailer_id.into(),
            name: name.into(),
            amount,
            quantity,
            sale_amount: None,
            country_of_origin: None,
            importer_name: None,
            importer_address: None,
        }
    }

    /// The discounted unit price (less than the price); the subtotal is computed from it.
    pub fn sale_amount(mut self, amount: Amount) -> Self {
        self.sale_amount = Some(amount);
        self
    }

    /// Where the item was made (for imported physical goods).
    pub fn country_of_origin(mut self, country: impl Into<String>) -> Self {
        self.country_of_origin = Some(country.into());
        self
    }

    /// Who imported the item, and from where (for imported physical goods).
    pub fn importer(mut self, name: impl Into<String>, address: ImporterAddress) -> Self {
        self.importer_name = Some(name.into());
        self.importer_address = Some(address);
        self
    }

    /// The unit price the subtotal counts: the sale price when given.
    pub(super) fn unit_price(&self) -> Amount {
        self.sale_amount.unwrap_or(self.amount)
    }
}

/// When an order can no longer be paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct OrderExpiration {
    #[serde(serialize_with = "seconds_as_string")]
    pub(super) timestamp: u64,
    pub(super) description: String,
}

fn seconds_as_string<S: serde::Serializer>(seconds: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(seconds)
}

impl OrderExpiration {
    /// Expires at `timestamp` (Unix seconds, at least 300 seconds after the send), with a text
    /// shown to the user (at most 120 characters).
    pub fn new(timestamp: u64, description: impl Into<String>) -> Self {
        Self {
            timestamp,
            description: description.into(),
        }
    }
}

/// The itemized part of an `order_details` message.
///
/// ```
/// use whatsapp_cloud::message::{Amount, Charge, Order, OrderItem};
/// let order = Order::new(
///     [OrderItem::new("sku-1", "Cake", Amount::hundredths(50000), 1)],
///     Amount::hundredths(50000),
/// )
/// .tax(Charge::new(Amount::hundredths(0)).description("No tax"));
/// assert_eq!(serde_json::to_value(&order)?["status"], "pending");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Order {
    pub(super) status: &'static str,
    pub(super) catalog_id: Option<String>,
    pub(super) expiration: Option<OrderExpiration>,
    pub(super) items: Vec<OrderItem>,
    pub(super) subtotal: Amount,
    pub(super) tax: Option<Charge>,
    pub(super) shipping: Option<Charge>,
    pub(super) discount: Option<Discount>,
}

impl Order {
    /// An order of `items` (at least one) whose prices add up to `subtotal`.
    pub fn new(items: impl IntoIterator<Item = OrderItem>, subtotal: Amount) -> Self {
        Self {
            status: "pending",
            catalog_id: None,
            expiration: None,
            items: items.into_iter().collect(),
            subtotal,
            tax: None,
            shipping: None,
            discount: None,
        }
    }

    /// The catalog the items come from.
    pub fn catalog_id(mut self, id: impl Into<String>) -> Self {
        self.catalog_id = Some(id.into());
        self
    }

    /// When the order can no longer be paid.
    pub fn expiration(mut self, expiration: OrderExpiration) -> Self {
        self.expiration = Some(expiration);
        self
    }

    /// The tax (required by Meta's India pages; `Charge::new(Amount::hundredths(0))` for none).
    pub fn tax(mut self, tax: Charge) -> Self {
        self.tax = Some(tax);
        self
    }

    /// The shipping cost.
    pub fn shipping(mut self, shipping: Charge) -> Self {
        self.shipping = Some(shipping);
        self
    }

    /// The discount.
    pub fn discount(mut self, discount: Discount) -> Self {
        self.discount = Some(discount);
        self
    }
}

/// Whether the order sells digital or physical goods (`parameters.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum GoodsType {
    /// `digital-goods`.
    #[serde(rename = "digital-goods")]
    Digital,
    /// `physical-goods`.
    #[serde(rename = "physical-goods")]
    Physical,
}

/// The market's payment flow (`parameters.payment_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum PaymentType {
    /// India, UPI intent through a payment configuration (`upi`).
    #[serde(rename = "upi")]
    Upi,
    /// Brazil (`br`).
    #[serde(rename = "br")]
    Brazil,
}

/// A payment gateway partner of Meta's in India.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum GatewayProvider {
    /// Razorpay.
    Razorpay,
    /// PayU.
    #[serde(rename = "payu")]
    PayU,
    /// BillDesk.
    #[serde(rename = "billdesk")]
    BillDesk,
    /// Zaakpay.
    Zaakpay,
}

/// The Pix key type of a dynamic Pix code (Brazil).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum PixKeyType {
    /// A CPF (individual taxpayer number).
    Cpf,
    /// A CNPJ (company taxpayer number).
    Cnpj,
    /// An e-mail address.
    Email,
    /// A phone number.
    Phone,
    /// A random key.
    Evp,
}

/// How the user pays: one entry of `parameters.payment_settings`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaymentSetting {
    /// Checkout inside WhatsApp through a payment gateway (India).
    PaymentGateway {
        /// The gateway.
        provider: GatewayProvider,
        /// The payment configuration linked to the gateway account.
        configuration_name: String,
        /// Razorpay's `receipt`, when the provider is Razorpay.
        receipt: Option<String>,
        /// Razorpay's `notes`, when the provider is Razorpay.
        notes: BTreeMap<String, String>,
    },
    /// A payment link opened from the message (India, Brazil).
    PaymentLink {
        /// The link.
        uri: String,
    },
    /// A dynamic Pix code the user copies into a bank app (Brazil).
    PixDynamicCode {
        /// The Pix code ("copia e cola").
        code: String,
        /// The account holder's name.
        merchant_name: String,
        /// The Pix key.
        key: String,
        /// The kind of Pix key.
        key_type: PixKeyType,
    },
    /// A boleto (Brazil).
    Boleto {
        /// The boleto's digitable line.
        digitable_line: String,
    },
}

impl PaymentSetting {
    /// Checkout through `provider` with the payment configuration `configuration_name`.
    pub fn gateway(provider: GatewayProvider, configuration_name: impl Into<String>) -> Self {
        Self::PaymentGateway {
            provider,
            configuration_name: configuration_name.into(),
            receipt: None,
            notes: BTreeMap::new(),
        }
    }

    /// Razorpay checkout with its `receipt` and `notes`.
    pub fn razorpay(
        configuration_name: impl Into<String>,
        receipt: impl Into<String>,
        notes: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        Self::PaymentGateway {
            provider: GatewayProvider::Razorpay,
            configuration_name: configuration_name.into(),
            receipt: Some(receipt.into()),
            notes: notes.into_iter().collect(),
        }
    }

    /// A payment link.
    pub fn payment_link(uri: impl Into<String>) -> Self {
        Self::PaymentLink { uri: uri.into() }
    }

    /// A dynamic Pix code.
    pub fn pix(
        code: impl Into<String>,
        merchant_name: impl Into<String>,
        key: impl Into<String>,
        key_type: PixKeyType,
    ) -> Self {
        Self::PixDynamicCode {
            code: code.into(),
            merchant_name: merchant_name.into(),
            key: key.into(),
            key_type,
        }
    }

    /// A boleto.
    pub fn boleto(digitable_line: impl Into<String>) -> Self {
        Self::Boleto {
            digitable_line: digitable_line.into(),
        }
    }

    /// The wire `type`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::PaymentGateway { .. } => "payment_gateway",
            Self::PaymentLink { .. } => "payment_link",
            Self::PixDynamicCode { .. } => "pix_dynamic_code",
            Self::Boleto { .. } => "boleto",
        }
    }
}

/// The parameters of an `order_details` message: the order's reference, what it sells, how it is
/// paid and what it costs. Send it with [`Interactive::order_details`].
///
/// ```
/// use whatsapp_cloud::message::{Amount, Charge, GoodsType, Interactive, Order, OrderDetails, OrderItem, PaymentSetting, GatewayProvider};
/// let details = OrderDetails::new("order-42", GoodsType::Physical, "INR", Amount::hundredths(52000))
///     .payment_setting(PaymentSetting::gateway(GatewayProvider::Razorpay, "razorpay-prod"))
///     .order(
///         Order::new([OrderItem::new("sku-1", "Cake", Amount::hundredths(50000), 1)], Amount::hundredths(50000))
///             .tax(Charge::new(Amount::hundredths(2000))),
///     );
/// let bill = Interactive::order_details("Your order is ready", details);
/// assert!(bill.validate().is_ok());
/// let json = serde_json::to_value(&bill)?;
/// assert_eq!(json["action"]["name"], "review_and_pay");
/// assert_eq!(json["action"]["parameters"]["payment_settings"][0]["payment_gateway"]["type"], "razorpay");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct OrderDetails {
    pub(super) reference_id: String,
    #[serde(rename = "type")]
    pub(super) goods: GoodsType,
    pub(super) payment_type: Option<PaymentType>,
    pub(super) payment_configuration: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) payment_settings: Vec<PaymentSetting>,
    pub(super) currency: String,
    pub(super) total_amount: Amount,
    pub(super) order: Option<Order>,
}

impl OrderDetails {
    /// An order `reference_id` (1 to 35 letters, digits, `_`, `-` or `.`; unique per order), its
    /// goods, its ISO 4217 `currency` (`INR`, `BRL`) and the amount to pay.
    pub fn new(
        reference_id: impl Into<String>,
        goods: GoodsType,
        currency: impl Into<String>,
        total_amount: Amount,
    ) -> Self {
        Self {
            reference_id: reference_id.into(),
            goods,
            payment_type: None,
            payment_configuration: None,
            payment_settings: Vec::new(),
            currency: currency.into(),
            total_amount,
            order: None,
        }
    }

    /// The market's flow (`upi` for India's UPI intent, `br` for Brazil).
    pub fn payment_type(mut self, payment_type: PaymentType) -> Self {
        self.payment_type = Some(payment_type);
        self
    }

    /// The payment configuration of a UPI intent order (with [`PaymentType::Upi`]).
    pub fn payment_configuration(mut self, name: impl Into<String>) -> Self {
        self.payment_configuration = Some(name.into());
        self
    }

    /// Adds a way to pay (at most one of each kind).
    pub fn payment_setting(mut self, setting: PaymentSetting) -> Self {
        self.payment_settings.push(setting);
        self
    }

    /// The itemized order. Brazil's pages allow leaving it out and sending only the total.
    pub fn order(mut self, order: Order) -> Self {
        self.order = Some(order);
        self
    }

    /// The order's reference.
    pub fn reference_id(&self) -> &str {
        &self.reference_id
    }
}

/// What became of an order (`order.status` of an `order_status` message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum OrderState {
    /// Waiting for the payment.
    Pending,
    /// Paid; being prepared.
    Processing,
    /// Some of the items were shipped.
    PartiallyShipped,
    /// Shipped.
    Shipped,
    /// Done: the user can no longer pay.
    Completed,
    /// Canceled: the user can no longer pay.
    Canceled,
}

/// The parameters of an `order_status` message: the order it updates, its new state and an
/// optional text. Send it with [`Interactive::order_status`].
///
/// ```
/// use whatsapp_cloud::message::{Interactive, OrderState, OrderStatus};
/// let update = Interactive::order_status(
///     "Your payment was received",
///     OrderStatus::new("order-42", OrderState::Processing).description("We are packing it"),
/// );
/// assert!(update.validate().is_ok());
/// let json = serde_json::to_value(&update)?;
/// assert_eq!(json["action"]["parameters"]["order"]["status"], "processing");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct OrderStatus {
    pub(super) reference_id: String,
    pub(super) order: StatusOrder,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct StatusOrder {
    pub(super) status: OrderState,
    pub(super) description: Option<String>,
}

impl OrderStatus {
    /// The order `reference_id` (as sent in its `order_details`) is now `state`.
    pub fn new(reference_id: impl Into<String>, state: OrderState) -> Self {
        Self {
            reference_id: reference_id.into(),
            order: StatusOrder {
                status: state,
                description: None,
            },
        }
    }

    /// A text shown with the new state (at most 120 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.order.description = Some(description.into());
        self
    }
}

impl Interactive {
    /// A bill the user reviews and pays without leaving WhatsApp (`order_details`), under a body
    /// (≤ 1024 characters). The header, when set, must be an image.
    pub fn order_details(body: impl Into<String>, details: OrderDetails) -> Self {
        Self::with(Some(body.into()), Action::OrderDetails(Box::new(details)))
    }

    /// Tells the user what became of an order they were billed for (`order_status`).
    pub fn order_status(body: impl Into<String>, status: OrderStatus) -> Self {
        Self::with(Some(body.into()), Action::OrderStatus(status))
    }
}
