//! The buttons of a template message: their sub-type, index and parameters.

use super::*;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// The `sub_type` of a template button component. Serialized lower case; parsed case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ButtonSubType {
    /// `quick_reply`: a payload parameter.
    QuickReply,
    /// `url`: a text parameter appended to the button's URL.
    Url,
    /// `copy_code`: a coupon code parameter.
    CopyCode,
    /// `flow`: an action parameter (flow token, data).
    Flow,
    /// `catalog`.
    Catalog,
    /// `mpm` (multi-product message).
    Mpm,
    /// `voice_call`.
    VoiceCall,
    /// `order_details`.
    OrderDetails,
    /// A sub-type this version does not know, sent as given.
    Unknown(String),
}

impl ButtonSubType {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::QuickReply => "quick_reply",
            Self::Url => "url",
            Self::CopyCode => "copy_code",
            Self::Flow => "flow",
            Self::Catalog => "catalog",
            Self::Mpm => "mpm",
            Self::VoiceCall => "voice_call",
            Self::OrderDetails => "order_details",
            Self::Unknown(s) => s,
        }
    }
}

impl From<&str> for ButtonSubType {
    /// Case-insensitive: Meta's own examples use both `copy_code` and `COPY_CODE`.
    fn from(value: &str) -> Self {
        let lower = value.to_ascii_lowercase();
        match lower.as_str() {
            "quick_reply" => Self::QuickReply,
            "url" => Self::Url,
            "copy_code" => Self::CopyCode,
            "flow" => Self::Flow,
            "catalog" => Self::Catalog,
            "mpm" => Self::Mpm,
            "voice_call" => Self::VoiceCall,
            "order_details" => Self::OrderDetails,
            // Meta's sub-types are lower case on the wire.
            _ => Self::Unknown(lower),
        }
    }
}

impl Serialize for ButtonSubType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A template button component: its sub-type, its position (`index` 0-9, sent as the string
/// `"0"` … `"9"` as Meta documents) and its parameters.
///
/// ```
/// use whatsapp_cloud::message::TemplateButton;
/// let b = TemplateButton::quick_reply(0, "CONFIRM-42");
/// assert_eq!(
///     serde_json::to_value(&b)?,
///     serde_json::json!({"type": "button", "sub_type": "quick_reply", "index": "0",
///                        "parameters": [{"type": "payload", "payload": "CONFIRM-42"}]})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct TemplateButton {
    pub(super) sub_type: ButtonSubType,
    pub(super) index: u8,
    pub(super) parameters: Vec<Parameter>,
}

impl TemplateButton {
    /// Any button: sub-type, index and parameters.
    pub fn new(
        sub_type: impl Into<ButtonSubType>,
        index: u8,
        parameters: impl IntoIterator<Item = Parameter>,
    ) -> Self {
        Self {
            sub_type: sub_type.into(),
            index,
            parameters: parameters.into_iter().collect(),
        }
    }

    /// A quick-reply button whose tap sends `payload` back.
    pub fn quick_reply(index: u8, payload: impl Into<String>) -> Self {
        Self::new(
            ButtonSubType::QuickReply,
            index,
            [Parameter::payload(payload)],
        )
    }

    /// A URL button: `suffix` is appended to the template's URL.
    pub fn url(index: u8, suffix: impl Into<String>) -> Self {
        Self::new(ButtonSubType::Url, index, [Parameter::text(suffix)])
    }

    /// A copy-code button with the coupon code (at most 15 characters).
    pub fn copy_code(index: u8, code: impl Into<String>) -> Self {
        Self::new(
            ButtonSubType::CopyCode,
            index,
            [Parameter::coupon_code(code)],
        )
    }

    /// A flow button.
    pub fn flow(index: u8, action: ButtonAction) -> Self {
        Self::new(ButtonSubType::Flow, index, [Parameter::action(action)])
    }

    /// A voice call button: how long it stays valid (1 to 43,200 minutes) and, optionally, a
    /// payload returned as `cta_payload` on the call's webhook.
    ///
    /// ```
    /// use whatsapp_cloud::message::TemplateButton;
    /// let button = TemplateButton::voice_call(0, 100, Some("order-42"));
    /// assert_eq!(
    ///     serde_json::to_value(&button)?,
    ///     serde_json::json!({"type": "button", "sub_type": "voice_call", "index": "0", "parameters": [
    ///         {"type": "ttl_minutes", "ttl_minutes": 100}, {"type": "payload", "payload": "order-42"}]})
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn voice_call(index: u8, ttl_minutes: u32, payload: Option<&str>) -> Self {
        let mut parameters = vec![Parameter::ttl_minutes(ttl_minutes)];
        parameters.extend(payload.map(Parameter::payload));
        Self::new(ButtonSubType::VoiceCall, index, parameters)
    }

    /// The "Review and pay" button of an order details template (Meta's "Order details template"
    /// page), carrying the order.
    ///
    /// ```
    /// use whatsapp_cloud::message::{Amount, GoodsType, OrderDetails, PaymentSetting, TemplateButton};
    /// let details = OrderDetails::new("order-42", GoodsType::Digital, "BRL", Amount::hundredths(5000))
    ///     .payment_setting(PaymentSetting::payment_link("https://pay.example.com/42"));
    /// let json = serde_json::to_value(TemplateButton::order_details(0, details))?;
    /// assert_eq!(json["sub_type"], "order_details");
    /// assert_eq!(json["parameters"][0]["action"]["order_details"]["reference_id"], "order-42");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn order_details(index: u8, details: crate::message::OrderDetails) -> Self {
        Self::new(
            ButtonSubType::OrderDetails,
            index,
            [Parameter::action(
                ButtonAction::new().order_details(details),
            )],
        )
    }
}

impl Serialize for TemplateButton {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", "button")?;
        map.serialize_entry("sub_type", &self.sub_type)?;
        map.serialize_entry("index", &self.index.to_string())?;
        if !self.parameters.is_empty() {
            map.serialize_entry("parameters", &self.parameters)?;
        }
        map.end()
    }
}
