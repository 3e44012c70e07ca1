//! The template kinds beyond plain text and media: single-product templates, media-card and
//! product-card carousels, authentication buttons (copy code, one-tap, zero-tap) and the
//! time-to-live of a template's messages.

use super::*;
use crate::endpoint::paging::wire_enum;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

wire_enum! {
    /// How an authentication template's `OTP` button delivers the code (Meta's "Authentication
    /// templates"). Sent in lower case as Meta's current pages show; read in any case (an older page
    /// spells `COPY_CODE`, `ONE_TAP`).
    OtpType {
        /// The user copies the code.
        CopyCode = "copy_code",
        /// The user taps to fill the code into the app (Android), falling back to copy code.
        OneTap = "one_tap",
        /// The app receives the code without a tap (Android), falling back to one-tap.
        ZeroTap = "zero_tap",
    }
}

/// An Android app that may receive the code of a one-tap or zero-tap button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SupportedApp {
    /// The app's package name, such as `com.example.luckyshrub`.
    pub package_name: String,
    /// The app's signing key hash (11 characters).
    pub signature_hash: String,
}

impl SupportedApp {
    /// The app `package_name` signed with the key of hash `signature_hash`.
    pub fn new(package_name: impl Into<String>, signature_hash: impl Into<String>) -> Self {
        Self {
            package_name: package_name.into(),
            signature_hash: signature_hash.into(),
        }
    }
}

impl HeaderComponent {
    /// The header of a single-product template or of a product card: the product, given at send
    /// time with `message::Parameter::product`.
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::templates::HeaderComponent;
    /// assert_eq!(
    ///     serde_json::to_value(HeaderComponent::product())?,
    ///     serde_json::json!({"format": "PRODUCT"})
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn product() -> Self {
        Self::media(HeaderFormat::Product)
    }
}

impl ButtonDefinition {
    /// The "View" button of a single-product template or product card (type `SPM`).
    pub fn spm(text: impl Into<String>) -> Self {
        let mut b = Self::of(ButtonType::Spm);
        b.text = Some(text.into());
        b
    }

    fn otp(otp_type: OtpType) -> Self {
        let mut b = Self::of(ButtonType::Otp);
        b.extra
            .insert("otp_type".to_owned(), Value::from(otp_type.as_str()));
        b
    }

    /// An authentication template's copy-code button.
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::templates::ButtonDefinition;
    /// assert_eq!(
    ///     serde_json::to_value(ButtonDefinition::otp_copy_code().label("Copy code"))?,
    ///     serde_json::json!({"type": "OTP", "text": "Copy code", "otp_type": "copy_code"})
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn otp_copy_code() -> Self {
        Self::otp(OtpType::CopyCode)
    }

    /// An authentication template's one-tap autofill button for these Android apps (1 to 5).
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::templates::{ButtonDefinition, SupportedApp};
    /// let one_tap = ButtonDefinition::otp_one_tap([SupportedApp::new("com.example.shop", "K8a/AINcGX7")])
    ///     .autofill_text("Autofill");
    /// assert_eq!(
    ///     serde_json::to_value(&one_tap)?,
    ///     serde_json::json!({"type": "OTP", "otp_type": "one_tap", "autofill_text": "Autofill",
    ///         "supported_apps": [{"package_name": "com.example.shop", "signature_hash": "K8a/AINcGX7"}]})
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn otp_one_tap(apps: impl IntoIterator<Item = SupportedApp>) -> Self {
        Self::otp(OtpType::OneTap).supported_apps(apps)
    }

    /// An authentication template's zero-tap button for these Android apps (1 to 5). Meta requires
    /// `terms_accepted: true` (`zero_tap_terms_accepted`): the business accepts the zero-tap terms.
    pub fn otp_zero_tap(
        apps: impl IntoIterator<Item = SupportedApp>,
        terms_accepted: bool,
    ) -> Self {
        let mut b = Self::otp(OtpType::ZeroTap).supported_apps(apps);
        b.extra.insert(
            "zero_tap_terms_accepted".to_owned(),
            Value::Bool(terms_accepted),
        );
        b
    }

    /// Sets the button's label (`text`, at most 25 characters).
    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    /// The label of a one-tap button's autofill action (at most 25 characters).
    pub fn autofill_text(mut self, text: impl Into<String>) -> Self {
        self.extra
            .insert("autofill_text".to_owned(), Value::from(text.into()));
        self
    }

    fn supported_apps(mut self, apps: impl IntoIterator<Item = SupportedApp>) -> Self {
        let apps: Vec<Value> = apps
            .into_iter()
            .map(|a| {
                let mut app = Map::new();
                app.insert("package_name".to_owned(), Value::from(a.package_name));
                app.insert("signature_hash".to_owned(), Value::from(a.signature_hash));
                Value::Object(app)
            })
            .collect();
        self.extra
            .insert("supported_apps".to_owned(), Value::Array(apps));
        self
    }

    /// The `otp_type` of an `OTP` button, in any case.
    pub fn otp_type(&self) -> Option<OtpType> {
        self.extra
            .get("otp_type")
            .and_then(Value::as_str)
            .map(OtpType::parse)
    }

    /// The apps of a one-tap or zero-tap button (the entries that parse).
    pub fn otp_supported_apps(&self) -> Vec<SupportedApp> {
        self.extra
            .get("supported_apps")
            .and_then(Value::as_array)
            .map(|apps| {
                apps.iter()
                    .filter_map(|a| serde_json::from_value(a.clone()).ok())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A template's `CAROUSEL` component: 2 to 10 cards, each with the same components (Meta's "Media
/// card carousel templates" and "Product card carousel templates").
///
/// ```
/// use whatsapp_cloud::HeaderHandle;
/// use whatsapp_cloud::endpoint::templates::*;
/// let card = |h: &str| {
///     CarouselCardDefinition::new()
///         .component(HeaderComponent::media_example(HeaderFormat::Image, HeaderHandle::from(h)))
///         .component(BodyComponent::new("Fresh today."))
///         .component(ButtonsComponent::new([ButtonDefinition::quick_reply("Order")]))
/// };
/// let carousel = CarouselComponent::new([card("4::a"), card("4::b")]);
/// let create = CreateTemplate::new("weekly_picks", "en_US", TemplateCategory::Marketing)
///     .component(BodyComponent::new("This week's picks."))
///     .component(carousel);
/// assert!(create.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct CarouselComponent {
    /// The cards, in order.
    pub cards: Vec<CarouselCardDefinition>,
}

impl CarouselComponent {
    /// A carousel of these cards.
    pub fn new(cards: impl IntoIterator<Item = CarouselCardDefinition>) -> Self {
        Self {
            cards: cards.into_iter().collect(),
        }
    }
}

/// One card of a carousel template: a header (image, video or product), for media cards a body,
/// and buttons.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct CarouselCardDefinition {
    /// The card's components.
    #[serde(default)]
    pub components: Vec<TemplateComponent>,
}

impl CarouselCardDefinition {
    /// An empty card.
    pub fn new() -> Self {
        Self::default()
    }

    /// A product card: the product header and one button (`SPM` or `URL`).
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::templates::{ButtonDefinition, CarouselCardDefinition};
    /// assert_eq!(
    ///     serde_json::to_value(CarouselCardDefinition::product(ButtonDefinition::spm("View")))?,
    ///     serde_json::json!({"components": [
    ///         {"type": "HEADER", "format": "PRODUCT"},
    ///         {"type": "BUTTONS", "buttons": [{"type": "SPM", "text": "View"}]}]})
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn product(button: ButtonDefinition) -> Self {
        Self::new()
            .component(HeaderComponent::product())
            .component(ButtonsComponent::new([button]))
    }

    /// Adds a component.
    pub fn component(mut self, component: impl Into<TemplateComponent>) -> Self {
        self.components.push(component.into());
        self
    }
}

/// Reads `message_send_ttl_seconds` from a number or a string (Meta's own example sends `"120"`).
pub(super) fn ttl_from_number_or_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("message_send_ttl_seconds {n}"))),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| {
            serde::de::Error::custom(format!("message_send_ttl_seconds {s:?} is not a number"))
        }),
        Some(other) => Err(serde::de::Error::custom(format!(
            "message_send_ttl_seconds {other} is not a number"
        ))),
    }
}
