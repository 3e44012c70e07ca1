//! The parameters of a template message and the actions of its buttons.

use crate::error::ValidationError;
use crate::limits;
use crate::message::interactive::{OrderDetails, ProductSection};
use crate::message::location::Location;
use crate::message::media::MediaSource;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// The data of a `type: "action"` parameter (flow and catalog buttons).
///
/// ```
/// use whatsapp_cloud::message::ButtonAction;
/// let action = ButtonAction::new().flow_token("TOKEN-1");
/// assert_eq!(serde_json::to_value(&action)?, serde_json::json!({"flow_token": "TOKEN-1"}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[must_use]
pub struct ButtonAction {
    pub(super) flow_token: Option<String>,
    pub(super) flow_action_data: Option<Map<String, Value>>,
    pub(super) thumbnail_product_retailer_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) sections: Vec<ProductSection>,
    pub(super) order_details: Option<Box<OrderDetails>>,
}

impl ButtonAction {
    /// An empty action; fill it with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    /// The token echoed back in the flow's responses.
    pub fn flow_token(mut self, token: impl Into<String>) -> Self {
        self.flow_token = Some(token.into());
        self
    }

    /// Initial data for the flow's first screen.
    pub fn flow_action_data(mut self, data: Map<String, Value>) -> Self {
        self.flow_action_data = Some(data);
        self
    }

    /// The product whose image is the thumbnail of a catalog or multi-product button.
    pub fn thumbnail_product_retailer_id(mut self, id: impl Into<String>) -> Self {
        self.thumbnail_product_retailer_id = Some(id.into());
        self
    }

    /// Adds a product section of a multi-product (`mpm`) button.
    pub fn section(mut self, section: ProductSection) -> Self {
        self.sections.push(section);
        self
    }

    /// The order of an `order_details` button (Meta's "Order details template" page): the same
    /// parameters as an [`Interactive::order_details`](crate::message::Interactive::order_details)
    /// message, checked the same way.
    pub fn order_details(mut self, details: OrderDetails) -> Self {
        self.order_details = Some(Box::new(details));
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value_ {
    Text(String),
    Currency {
        fallback_value: String,
        code: String,
        amount_1000: i64,
    },
    DateTime {
        fallback_value: String,
    },
    Image(MediaSource),
    Video(MediaSource),
    Gif(MediaSource),
    Document {
        source: MediaSource,
        filename: Option<String>,
    },
    Location(Location),
    Payload(String),
    CouponCode(String),
    Action(ButtonAction),
    LimitedTimeOffer {
        expiration_time_ms: i64,
    },
    TtlMinutes(u32),
    GroupId(String),
    Product {
        product_retailer_id: String,
        catalog_id: String,
    },
}

impl Value_ {
    pub(super) fn type_name(&self) -> &'static str {
        match self {
            Self::Text(_) => "text",
            Self::Currency { .. } => "currency",
            Self::DateTime { .. } => "date_time",
            Self::Image(_) => "image",
            Self::Video(_) => "video",
            Self::Gif(_) => "gif",
            Self::Document { .. } => "document",
            Self::Location(_) => "location",
            Self::Payload(_) => "payload",
            Self::CouponCode(_) => "coupon_code",
            Self::Action(_) => "action",
            Self::LimitedTimeOffer { .. } => "limited_time_offer",
            Self::TtlMinutes(_) => "ttl_minutes",
            Self::GroupId(_) => "group_id",
            Self::Product { .. } => "product",
        }
    }
}

/// One template parameter: positional, or named (`parameter_name`) for templates created with
/// `parameter_format: "named"`.
///
/// ```
/// use whatsapp_cloud::message::Parameter;
/// let p = Parameter::text("Jessica").name("first_name");
/// assert_eq!(
///     serde_json::to_value(&p)?,
///     serde_json::json!({"type": "text", "parameter_name": "first_name", "text": "Jessica"})
/// );
/// let price = Parameter::currency("$100.99", "USD", 100_990);
/// assert_eq!(serde_json::to_value(&price)?["currency"]["amount_1000"], 100_990);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Parameter {
    pub(super) name: Option<String>,
    pub(super) value: Value_,
}

impl Parameter {
    pub(super) fn of(value: Value_) -> Self {
        Self { name: None, value }
    }

    /// A text parameter.
    pub fn text(text: impl Into<String>) -> Self {
        Self::of(Value_::Text(text.into()))
    }

    /// A named text parameter (`{{first_name}}`).
    pub fn named(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self::text(text).name(name)
    }

    /// A currency amount: the text shown (`fallback_value`), the ISO 4217 code, and the amount
    /// multiplied by 1000.
    pub fn currency(
        fallback_value: impl Into<String>,
        code: impl Into<String>,
        amount_1000: i64,
    ) -> Self {
        Self::of(Value_::Currency {
            fallback_value: fallback_value.into(),
            code: code.into(),
            amount_1000,
        })
    }

    /// A date and time; the Cloud API always shows `fallback_value` as given.
    pub fn date_time(fallback_value: impl Into<String>) -> Self {
        Self::of(Value_::DateTime {
            fallback_value: fallback_value.into(),
        })
    }

    /// An image (header).
    pub fn image(source: impl Into<MediaSource>) -> Self {
        Self::of(Value_::Image(source.into()))
    }

    /// A video (header).
    pub fn video(source: impl Into<MediaSource>) -> Self {
        Self::of(Value_::Video(source.into()))
    }

    /// A GIF (header of a template created with the `GIF` header format: an MP4 of at most
    /// 3.5 MB, played looping; Meta's Marketing Messages API).
    ///
    /// ```
    /// use whatsapp_cloud::message::{MediaSource, Parameter};
    /// assert_eq!(
    ///     serde_json::to_value(Parameter::gif(MediaSource::id("1166846181421424")))?,
    ///     serde_json::json!({"type": "gif", "gif": {"id": "1166846181421424"}})
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn gif(source: impl Into<MediaSource>) -> Self {
        Self::of(Value_::Gif(source.into()))
    }

    /// A document (header; PDF only).
    pub fn document(source: impl Into<MediaSource>) -> Self {
        Self::of(Value_::Document {
            source: source.into(),
            filename: None,
        })
    }

    /// A document (header) with the file name shown to the user.
    pub fn document_with_filename(
        source: impl Into<MediaSource>,
        filename: impl Into<String>,
    ) -> Self {
        Self::of(Value_::Document {
            source: source.into(),
            filename: Some(filename.into()),
        })
    }

    /// A location (header of a location template).
    pub fn location(location: Location) -> Self {
        Self::of(Value_::Location(location))
    }

    /// The payload a quick-reply button sends back when tapped.
    pub fn payload(payload: impl Into<String>) -> Self {
        Self::of(Value_::Payload(payload.into()))
    }

    /// The code of a copy-code button (at most 15 characters).
    pub fn coupon_code(code: impl Into<String>) -> Self {
        Self::of(Value_::CouponCode(code.into()))
    }

    /// The action of a flow or catalog button.
    pub fn action(action: ButtonAction) -> Self {
        Self::of(Value_::Action(action))
    }

    /// The expiry of a limited-time offer, in milliseconds since the Unix epoch.
    pub fn limited_time_offer(expiration_time_ms: i64) -> Self {
        Self::of(Value_::LimitedTimeOffer { expiration_time_ms })
    }

    /// How long a voice call button stays valid, in minutes (1 to 43,200): a parameter of a
    /// `voice_call` button (see [`TemplateButton::voice_call`](super::TemplateButton::voice_call)).
    pub fn ttl_minutes(minutes: u32) -> Self {
        Self::of(Value_::TtlMinutes(minutes))
    }

    /// The group a group-invite template invites to: `{"type": "group_id", "group_id": "<GROUP_ID>"}`
    /// (a body parameter of the Template Library's group-invite utility templates).
    ///
    /// ```
    /// use whatsapp_cloud::message::Parameter;
    /// assert_eq!(
    ///     serde_json::to_value(Parameter::group_id("Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD"))?,
    ///     serde_json::json!({"type": "group_id", "group_id": "Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD"})
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn group_id(group_id: impl Into<String>) -> Self {
        Self::of(Value_::GroupId(group_id.into()))
    }

    /// A product of a catalog: the header parameter of a single-product (SPM) template, or of a card
    /// of a product-card carousel. The catalog (with inventory) must be connected to the business
    /// account (Meta's "Single-product message templates" and "Product card carousel templates").
    ///
    /// ```
    /// use whatsapp_cloud::message::Parameter;
    /// assert_eq!(
    ///     serde_json::to_value(Parameter::product("SKU-42", "194836987003835"))?,
    ///     serde_json::json!({"type": "product", "product": {
    ///         "product_retailer_id": "SKU-42", "catalog_id": "194836987003835"}})
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn product(product_retailer_id: impl Into<String>, catalog_id: impl Into<String>) -> Self {
        Self::of(Value_::Product {
            product_retailer_id: product_retailer_id.into(),
            catalog_id: catalog_id.into(),
        })
    }

    /// Names the parameter (`parameter_name`: lower-case letters, digits and `_`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The wire `type`.
    pub fn type_name(&self) -> &'static str {
        self.value.type_name()
    }

    pub(super) fn validate_at(&self, path: &str, text_max: usize) -> Result<(), ValidationError> {
        if let Some(name) = &self.name {
            let field = format!("{path}.parameter_name");
            limits::non_blank(&field, name)?;
            if !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(limits::invalid(
                    &field,
                    name,
                    "lower-case letters, digits and underscores",
                ));
            }
        }
        match &self.value {
            Value_::Text(text) => limits::required_text(&format!("{path}.text"), text, text_max),
            Value_::Currency {
                fallback_value,
                code,
                ..
            } => {
                limits::non_blank(&format!("{path}.currency.fallback_value"), fallback_value)?;
                if code.len() != limits::CURRENCY_CODE_LEN
                    || !code.bytes().all(|b| b.is_ascii_uppercase())
                {
                    return Err(limits::invalid(
                        format!("{path}.currency.code"),
                        code,
                        "an ISO 4217 code of 3 upper-case letters, such as \"USD\"",
                    ));
                }
                Ok(())
            }
            Value_::DateTime { fallback_value } => {
                limits::non_blank(&format!("{path}.date_time.fallback_value"), fallback_value)
            }
            Value_::Image(source) => source.validate(&format!("{path}.image")),
            Value_::Video(source) => source.validate(&format!("{path}.video")),
            Value_::Gif(source) => source.validate(&format!("{path}.gif")),
            Value_::Document { source, filename } => {
                source.validate(&format!("{path}.document"))?;
                if let Some(name) = filename {
                    limits::non_blank(&format!("{path}.document.filename"), name)?;
                }
                Ok(())
            }
            Value_::Location(location) => location.validate_at(&format!("{path}.location")),
            Value_::Payload(payload) => limits::non_blank(&format!("{path}.payload"), payload),
            Value_::GroupId(id) => limits::id_unbounded(&format!("{path}.group_id"), id),
            Value_::CouponCode(code) => limits::required_text(
                &format!("{path}.coupon_code"),
                code,
                limits::COUPON_CODE_MAX,
            ),
            Value_::Action(action) => {
                if let Some(token) = &action.flow_token {
                    limits::non_blank(&format!("{path}.action.flow_token"), token)?;
                }
                if let Some(id) = &action.thumbnail_product_retailer_id {
                    limits::id_unbounded(
                        &format!("{path}.action.thumbnail_product_retailer_id"),
                        id,
                    )?;
                }
                if !action.sections.is_empty() {
                    crate::message::interactive::validate_product_sections(
                        &format!("{path}.action"),
                        &action.sections,
                    )?;
                }
                if let Some(details) = &action.order_details {
                    crate::message::interactive::validate_order_details(
                        &format!("{path}.action.order_details"),
                        details,
                    )?;
                }
                Ok(())
            }
            Value_::LimitedTimeOffer { expiration_time_ms } => limits::range(
                &format!("{path}.limited_time_offer.expiration_time_ms"),
                *expiration_time_ms,
                0,
                i64::MAX,
            ),
            Value_::TtlMinutes(minutes) => limits::range(
                &format!("{path}.ttl_minutes"),
                i64::from(*minutes),
                i64::from(limits::VOICE_CALL_TTL_MINUTES_MIN),
                i64::from(limits::VOICE_CALL_TTL_MINUTES_MAX),
            ),
            Value_::Product {
                product_retailer_id,
                catalog_id,
            } => {
                limits::id_unbounded(
                    &format!("{path}.product.product_retailer_id"),
                    product_retailer_id,
                )?;
                limits::id_unbounded(&format!("{path}.product.catalog_id"), catalog_id)
            }
        }
    }
}

impl Serialize for Parameter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Currency<'a> {
            fallback_value: &'a str,
            code: &'a str,
            amount_1000: i64,
        }
        #[derive(Serialize)]
        struct Fallback<'a> {
            fallback_value: &'a str,
        }
        #[skip_serializing_none]
        #[derive(Serialize)]
        struct Doc<'a> {
            #[serde(flatten)]
            source: &'a MediaSource,
            filename: Option<&'a String>,
        }
        #[derive(Serialize)]
        struct Product<'a> {
            product_retailer_id: &'a str,
            catalog_id: &'a str,
        }
        #[derive(Serialize)]
        struct Offer {
            expiration_time_ms: i64,
        }
        let mut map = serializer.serialize_map(None)?;
        let kind = self.value.type_name();
        map.serialize_entry("type", kind)?;
        if let Some(name) = &self.name {
            map.serialize_entry("parameter_name", name)?;
        }
        match &self.value {
            Value_::Text(t) | Value_::Payload(t) | Value_::CouponCode(t) | Value_::GroupId(t) => {
                map.serialize_entry(kind, t)?;
            }
            Value_::Currency {
                fallback_value,
                code,
                amount_1000,
            } => map.serialize_entry(
                kind,
                &Currency {
                    fallback_value,
                    code,
                    amount_1000: *amount_1000,
                },
            )?,
            Value_::DateTime { fallback_value } => {
                map.serialize_entry(kind, &Fallback { fallback_value })?;
            }
            Value_::Image(source) | Value_::Video(source) | Value_::Gif(source) => {
                map.serialize_entry(kind, source)?;
            }
            Value_::Document { source, filename } => map.serialize_entry(
                kind,
                &Doc {
                    source,
                    filename: filename.as_ref(),
                },
            )?,
            Value_::Location(location) => map.serialize_entry(kind, location)?,
            Value_::Action(action) => map.serialize_entry(kind, action)?,
            Value_::LimitedTimeOffer { expiration_time_ms } => map.serialize_entry(
                kind,
                &Offer {
                    expiration_time_ms: *expiration_time_ms,
                },
            )?,
            Value_::TtlMinutes(minutes) => map.serialize_entry(kind, minutes)?,
            Value_::Product {
                product_retailer_id,
                catalog_id,
            } => map.serialize_entry(
                kind,
                &Product {
                    product_retailer_id,
                    catalog_id,
                },
            )?,
        }
        map.end()
    }
}
