//! Interactive messages: reply buttons, lists, call-to-action URLs, flows, location requests,
//! products, catalogs, call permission requests, address requests, contact requests, voice call
//! buttons, and the payment messages `order_details` and `order_status`.

mod action;
mod carousel;
mod choices;
mod flow;
mod header;
mod order;
mod order_check;
mod voice_call;

use action::Action;
pub use carousel::MediaCard;
pub use choices::{ProductSection, ReplyButton, Row, Section};
pub use flow::{Flow, FlowMode};
pub use header::Header;
pub use order::{
    Amount, Charge, Discount, GatewayProvider, GoodsType, ImporterAddress, Order, OrderDetails,
    OrderExpiration, OrderItem, OrderState, OrderStatus, PaymentSetting, PaymentType, PixKeyType,
};
pub use voice_call::VoiceCall;

pub(crate) use action::validate_product_sections;
pub(crate) use order_check::validate_order_details;

use crate::error::{ValidationError, Violation};
use crate::limits;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// An interactive message. Pick the kind with a constructor, then add a header and footer.
///
/// ```
/// use whatsapp_cloud::message::{Interactive, ReplyButton};
/// let ask = Interactive::buttons(
///     "What would you like to do?",
///     [ReplyButton::new("track", "Track order"), ReplyButton::new("agent", "Talk to us")],
/// )
/// .footer("Reply any time");
/// assert!(ask.validate().is_ok());
/// let json = serde_json::to_value(&ask)?;
/// assert_eq!(json["type"], "button");
/// assert_eq!(json["action"]["buttons"][1]["reply"]["title"], "Talk to us");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Interactive {
    header: Option<Header>,
    body: Option<String>,
    footer: Option<String>,
    action: Action,
}

impl Interactive {
    fn with(body: Option<String>, action: Action) -> Self {
        Self {
            header: None,
            body,
            footer: None,
            action,
        }
    }

    /// Reply buttons: 1 to 3 buttons with unique titles under a body (≤ 1024 characters).
    pub fn buttons(
        body: impl Into<String>,
        buttons: impl IntoIterator<Item = ReplyButton>,
    ) -> Self {
        Self::with(
            Some(body.into()),
            Action::Buttons(buttons.into_iter().collect()),
        )
    }

    /// A list: a body (≤ 4096), the text of the button that opens the list (≤ 20), and 1 to 10
    /// sections holding at most 10 rows in total.
    ///
    /// ```
    /// use whatsapp_cloud::message::{Interactive, Row, Section};
    /// let menu = Interactive::list("How can we help?", "Options", [
    ///     Section::new("Orders", [Row::new("track", "Track an order").description("Where is my parcel?")]),
    /// ]);
    /// assert_eq!(serde_json::to_value(&menu)?["action"]["sections"][0]["rows"][0]["id"], "track");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn list(
        body: impl Into<String>,
        button: impl Into<String>,
        sections: impl IntoIterator<Item = Section>,
    ) -> Self {
        Self::with(
            Some(body.into()),
            Action::List {
                button: button.into(),
                sections: sections.into_iter().collect(),
            },
        )
    }

    /// A call-to-action button that opens `url`; `display_text` is at most 20 characters.
    pub fn cta_url(
        body: impl Into<String>,
        display_text: impl Into<String>,
        url: impl Into<String>,
    ) -> Self {
        Self::with(
            Some(body.into()),
            Action::CtaUrl {
                display_text: display_text.into(),
                url: url.into(),
            },
        )
    }

    /// A button that opens a WhatsApp Flow.
    pub fn flow(body: impl Into<String>, flow: Flow) -> Self {
        Self::with(Some(body.into()), Action::Flow(flow))
    }

    /// Asks the user to share their location; the answer arrives as a `location` message.
    pub fn location_request(body: impl Into<String>) -> Self {
        Self::with(Some(body.into()), Action::LocationRequest)
    }

    /// One product from a catalog. No header is allowed; the body is optional ([`Interactive::body`]).
    pub fn product(catalog_id: impl Into<String>, product_retailer_id: impl Into<String>) -> Self {
        Self::with(
            None,
            Action::Product {
                catalog_id: catalog_id.into(),
                product_retailer_id: product_retailer_id.into(),
            },
        )
    }

    /// Several products from a catalog: a text header is required, 1 to 10 sections, at most 30
    /// products in total.
    pub fn product_list(
        header: impl Into<String>,
        body: impl Into<String>,
        catalog_id: impl Into<String>,
        sections: impl IntoIterator<Item = ProductSection>,
    ) -> Self {
        let mut message = Self::with(
            Some(body.into()),
            Action::ProductList {
                catalog_id: catalog_id.into(),
                sections: sections.into_iter().collect(),
            },
        );
        message.header = Some(Header::Text(header.into()));
        message
    }

    /// A button that opens the business's catalog.
    pub fn catalog(body: impl Into<String>) -> Self {
        Self::with(
            Some(body.into()),
            Action::Catalog {
                thumbnail_product_retailer_id: None,
            },
        )
    }

    /// A catalog button whose thumbnail is the given product's image.
    pub fn catalog_with_thumbnail(
        body: impl Into<String>,
        thumbnail_product_retailer_id: impl Into<String>,
    ) -> Self {
        Self::with(
            Some(body.into()),
            Action::Catalog {
                thumbnail_product_retailer_id: Some(thumbnail_product_retailer_id.into()),
            },
        )
    }

    /// Asks the user's permission to call them.
    pub fn call_permission_request(body: impl Into<String>) -> Self {
        Self::with(Some(body.into()), Action::CallPermissionRequest)
    }

    /// Asks the user for a delivery address in `country` (ISO 3166 alpha-2, such as `"IN"`; only
    /// some countries are supported).
    pub fn address(body: impl Into<String>, country: impl Into<String>) -> Self {
        Self::with(
            Some(body.into()),
            Action::Address {
                country: country.into(),
            },
        )
    }

    /// A media carousel: a body (≤ 1024) over 2 to 10 scrollable cards, each with an image or video
    /// (the same kind on every card) and a URL button. No header or footer outside the cards.
    pub fn media_carousel(
        body: impl Into<String>,
        cards: impl IntoIterator<Item = MediaCard>,
    ) -> Self {
        Self::with(
            Some(body.into()),
            Action::MediaCarousel(cards.into_iter().collect()),
        )
    }

    /// Asks the user to share their contact information (Meta's "Business-scoped user IDs" page):
    /// the answer arrives as a `contacts` message. The body is optional ([`Interactive::body`]).
    ///
    /// ```
    /// use whatsapp_cloud::message::Interactive;
    /// let ask = Interactive::contact_request();
    /// assert!(ask.validate().is_ok());
    /// assert_eq!(
    ///     serde_json::to_value(&ask)?,
    ///     serde_json::json!({"type": "contact_request", "action": {"name": "request_contact_info"}}),
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn contact_request() -> Self {
        Self::with(None, Action::ContactRequest)
    }

    /// A button that starts a WhatsApp voice call to the business, under a body (≤ 1024 characters).
    pub fn voice_call(body: impl Into<String>, call: VoiceCall) -> Self {
        Self::with(Some(body.into()), Action::VoiceCall(call))
    }

    /// Sets the header.
    pub fn header(mut self, header: impl Into<Header>) -> Self {
        self.header = Some(header.into());
        self
    }

    /// Sets the body text (replacing the one given to the constructor).
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Sets the footer (at most 60 characters).
    pub fn footer(mut self, footer: impl Into<String>) -> Self {
        self.footer = Some(footer.into());
        self
    }

    /// The wire `interactive.type`.
    pub fn type_name(&self) -> &'static str {
        self.action.type_name()
    }

    /// Checks every limit of Meta's for this kind of interactive message.
    ///
    /// # Errors
    /// The first [`ValidationError`]; its field is the JSON path, such as
    /// `interactive.action.buttons[2].reply.title`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.validate_header()?;
        let body_max = match self.action {
            Action::List { .. } => limits::LIST_BODY_MAX,
            _ => limits::INTERACTIVE_BODY_MAX,
        };
        match (&self.body, &self.action) {
            (Some(body), _) => limits::required_text("interactive.body.text", body, body_max)?,
            (None, Action::Product { .. } | Action::ContactRequest) => {}
            (None, _) => {
                return Err(ValidationError::new(
                    "interactive.body.text",
                    Violation::Missing,
                ));
            }
        }
        if let Some(footer) = &self.footer {
            if matches!(self.action, Action::MediaCarousel(_)) {
                return Err(limits::invalid(
                    "interactive.footer.text",
                    footer,
                    "no footer (media carousels take none)",
                ));
            }
            limits::required_text("interactive.footer.text", footer, limits::FOOTER_MAX)?;
        }
        self.validate_action()
    }

    fn validate_header(&self) -> Result<(), ValidationError> {
        let kind = self.header.as_ref().map(Header::type_name);
        match (&self.action, kind) {
            (Action::List { .. }, Some(k)) if k != "text" => {
                return Err(limits::invalid(
                    "interactive.header.type",
                    k,
                    "a text header (list messages take no media header)",
                ));
            }
            (Action::Product { .. }, Some(k)) => {
                return Err(limits::invalid(
                    "interactive.header.type",
                    k,
                    "no header (single-product messages take none)",
                ));
            }
            (Action::MediaCarousel(_), Some(k)) => {
                return Err(limits::invalid(
                    "interactive.header.type",
                    k,
                    "no header (media carousels take headers only inside cards)",
                ));
            }
            (Action::ProductList { .. }, Some(k)) if k != "text" => {
                return Err(limits::invalid(
                    "interactive.header.type",
                    k,
                    "a text header (required for product lists)",
                ));
            }
            _ => {}
        }
        match &self.header {
            Some(header) => header.validate(),
            None => Ok(()),
        }
    }
}

impl Serialize for Interactive {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Text<'a> {
            text: &'a str,
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", self.action.type_name())?;
        if let Some(header) = &self.header {
            map.serialize_entry("header", header)?;
        }
        if let Some(body) = &self.body {
            map.serialize_entry("body", &Text { text: body })?;
        }
        if let Some(footer) = &self.footer {
            map.serialize_entry("footer", &Text { text: footer })?;
        }
        map.serialize_entry("action", &self.action)?;
        map.end()
    }
}

impl From<Interactive> for super::Message {
    fn from(value: Interactive) -> Self {
        super::Message::Interactive(value)
    }
}
