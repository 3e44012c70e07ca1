//! Carts the user sent from a catalog (`order` messages).

use crate::webhook::lenient::{opt_f64_any, u64_any};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// A cart the user sent from your catalog.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Order {
    /// The catalog id.
    pub catalog_id: String,
    /// The text the user added.
    #[serde(default)]
    pub text: Option<String>,
    /// The items.
    #[serde(default)]
    pub product_items: Vec<OrderItem>,
}

/// One line of an [`Order`].
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrderItem {
    /// Your product id.
    pub product_retailer_id: String,
    /// How many (number or string).
    #[serde(deserialize_with = "u64_any")]
    pub quantity: u64,
    /// The unit price (number or string).
    #[serde(default, deserialize_with = "opt_f64_any")]
    pub item_price: Option<f64>,
    /// ISO 4217 currency code.
    #[serde(default)]
    pub currency: Option<String>,
}
