//! Interactive messages: reply buttons, lists, call-to-action URLs, flows, location requests,
//! products, catalogs, call permission requests and address requests.

use super::media::MediaSource;
use crate::error::{ValidationError, Violation};
use crate::limits;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// The header of an interactive message: text (at most 60 characters) or media.
///
/// List messages take only a text header; single-product messages take none.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Header {
    /// A text header.
    Text(String),
    /// An image header.
    Image(MediaSource),
    /// A video header.
    Video(MediaSource),
    /// A document header, with an optional file name.
    Document {
        /// Where the file is.
        source: MediaSource,
        /// The file name shown to the user.
        filename: Option<String>,
    },
}

impl Header {
    /// A text header (at most 60 characters).
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    /// An image header.
    pub fn image(source: impl Into<MediaSource>) -> Self {
        Self::Image(source.into())
    }

    /// A video header.
    pub fn video(source: impl Into<MediaSource>) -> Self {
        Self::Video(source.into())
    }

    /// A document header.
    pub fn document(source: impl Into<MediaSource>) -> Self {
        Self::Document {
            source: source.into(),
            filename: None,
        }
    }

    /// A document header with the file name shown to the user.
    pub fn document_with_filename(
        source: impl Into<MediaSource>,
        filename: impl Into<String>,
    ) -> Self {
        Self::Document {
            source: source.into(),
            filename: Some(filename.into()),
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Self::Text(_) => "text",
            Self::Image(_) => "image",
            Self::Video(_) => "video",
            Self::Document { .. } => "document",
        }
    }

    fn validate(&self) -> Result<(), ValidationError> {
        match self {
            Self::Text(text) => {
                limits::required_text("interactive.header.text", text, limits::HEADER_TEXT_MAX)
            }
            Self::Image(source) => source.validate("interactive.header.image"),
            Self::Video(source) => source.validate("interactive.header.video"),
            Self::Document { source, filename } => {
                source.validate("interactive.header.document")?;
                if let Some(name) = filename {
                    limits::non_blank("interactive.header.document.filename", name)?;
                }
                Ok(())
            }
        }
    }
}

impl Serialize for Header {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[skip_serializing_none]
        #[derive(Serialize)]
        struct Doc<'a> {
            #[serde(flatten)]
            source: &'a MediaSource,
            filename: Option<&'a String>,
        }
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("type", self.type_name())?;
        match self {
            Self::Text(text) => map.serialize_entry("text", text)?,
            Self::Image(source) => map.serialize_entry("image", source)?,
            Self::Video(source) => map.serialize_entry("video", source)?,
            Self::Document { source, filename } => map.serialize_entry(
                "document",
                &Doc {
                    source,
                    filename: filename.as_ref(),
                },
            )?,
        }
        map.end()
    }
}

impl From<&str> for Header {
    fn from(value: &str) -> Self {
        Header::text(value)
    }
}

impl From<String> for Header {
    fn from(value: String) -> Self {
        Header::text(value)
    }
}

/// A reply button: an id (at most 256 characters, no surrounding spaces) sent back when tapped, and a
/// title (at most 20 characters, unique in the message).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct ReplyButton {
    id: String,
    title: String,
}

impl ReplyButton {
    /// A button with its id and title.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
        }
    }
}

impl Serialize for ReplyButton {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Reply<'a> {
            id: &'a str,
            title: &'a str,
        }
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("type", "reply")?;
        map.serialize_entry(
            "reply",
            &Reply {
                id: &self.id,
                title: &self.title,
            },
        )?;
        map.end()
    }
}

/// A row of a list message: id (≤ 200), title (≤ 24) and optional description (≤ 72).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Row {
    id: String,
    title: String,
    description: Option<String>,
}

impl Row {
    /// A row with its id (sent back when chosen) and title.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            description: None,
        }
    }

    /// A description under the title (at most 72 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// A section of a list message: a title (≤ 24, required when there are several sections) and rows.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Section {
    title: Option<String>,
    rows: Vec<Row>,
}

impl Section {
    /// A titled section.
    pub fn new(title: impl Into<String>, rows: impl IntoIterator<Item = Row>) -> Self {
        Self {
            title: Some(title.into()),
            rows: rows.into_iter().collect(),
        }
    }

    /// A section without a title (allowed only when it is the list's only section).
    pub fn untitled(rows: impl IntoIterator<Item = Row>) -> Self {
        Self {
            title: None,
            rows: rows.into_iter().collect(),
        }
    }
}

/// A section of a multi-product message: a title and product retailer ids.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct ProductSection {
    title: String,
    product_retailer_ids: Vec<String>,
}

impl ProductSection {
    /// A section with its title and the retailer ids (SKUs) of its products.
    pub fn new<I, S>(title: impl Into<String>, product_retailer_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            title: title.into(),
            product_retailer_ids: product_retailer_ids.into_iter().map(Into::into).collect(),
        }
    }
}

impl Serialize for ProductSection {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Item<'a> {
            product_retailer_id: &'a str,
        }
        let items: Vec<Item<'_>> = self
            .product_retailer_ids
            .iter()
            .map(|id| Item {
                product_retailer_id: id,
            })
            .collect();
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("title", &self.title)?;
        map.serialize_entry("product_items", &items)?;
        map.end()
    }
}

/// Whether a flow is sent in its draft or published version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum FlowMode {
    /// The draft version (for testing).
    Draft,
    /// The published version (Meta's default).
    Published,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum FlowRef {
    Id(String),
    Name(String),
}

#[derive(Debug, Clone, PartialEq)]
enum FlowAction {
    Navigate {
        screen: String,
        data: Option<Map<String, Value>>,
    },
    DataExchange,
}

/// The flow an interactive flow message opens: by flow id or by flow name (exactly one, which the
/// constructors guarantee), the call-to-action text, and how it starts.
///
/// ```
/// use whatsapp_cloud::message::{Flow, FlowMode};
/// let flow = Flow::by_id("1234567890", "Book now")
///     .mode(FlowMode::Draft)
///     .flow_token("AQAAAAACS5FpgQ_cAAAAAD0QI3s.")
///     .navigate("APPOINTMENT");
/// let json = serde_json::to_value(&flow)?;
/// assert_eq!(json["flow_id"], "1234567890");
/// assert_eq!(json["flow_action_payload"]["screen"], "APPOINTMENT");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Flow {
    flow: FlowRef,
    cta: String,
    mode: Option<FlowMode>,
    token: Option<String>,
    action: Option<FlowAction>,
}

impl Flow {
    /// The flow with this id; `cta` is the button text (at most 30 characters, no emoji advised).
    pub fn by_id(flow_id: impl Into<String>, cta: impl Into<String>) -> Self {
        Self::with(FlowRef::Id(flow_id.into()), cta.into())
    }

    /// The flow with this name; `cta` is the button text.
    pub fn by_name(flow_name: impl Into<String>, cta: impl Into<String>) -> Self {
        Self::with(FlowRef::Name(flow_name.into()), cta.into())
    }

    fn with(flow: FlowRef, cta: String) -> Self {
        Self {
            flow,
            cta,
            mode: None,
            token: None,
            action: None,
        }
    }

    /// Draft or published (Meta's default).
    pub fn mode(mut self, mode: FlowMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// The token echoed back in the flow's responses (Meta's default is `"unused"`).
    pub fn flow_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Opens the flow at `screen` (`flow_action: navigate`).
    pub fn navigate(mut self, screen: impl Into<String>) -> Self {
        self.action = Some(FlowAction::Navigate {
            screen: screen.into(),
            data: None,
        });
        self
    }

    /// Opens the flow at `screen` with initial data (a non-empty JSON object).
    pub fn navigate_with_data(
        mut self,
        screen: impl Into<String>,
        data: Map<String, Value>,
    ) -> Self {
        self.action = Some(FlowAction::Navigate {
            screen: screen.into(),
            data: Some(data),
        });
        self
    }

    /// Asks your flow endpoint for the first screen (`flow_action: data_exchange`).
    pub fn data_exchange(mut self) -> Self {
        self.action = Some(FlowAction::DataExchange);
        self
    }

    fn validate(&self) -> Result<(), ValidationError> {
        const P: &str = "interactive.action.parameters";
        match &self.flow {
            FlowRef::Id(id) => limits::id_unbounded(&format!("{P}.flow_id"), id)?,
            FlowRef::Name(name) => limits::id_unbounded(&format!("{P}.flow_name"), name)?,
        }
        limits::required_text(&format!("{P}.flow_cta"), &self.cta, limits::FLOW_CTA_MAX)?;
        if let Some(token) = &self.token {
            limits::non_blank(&format!("{P}.flow_token"), token)?;
        }
        if let Some(FlowAction::Navigate { screen, data }) = &self.action {
            limits::id_unbounded(&format!("{P}.flow_action_payload.screen"), screen)?;
            if data.as_ref().is_some_and(Map::is_empty) {
                return Err(ValidationError::new(
                    format!("{P}.flow_action_payload.data"),
                    Violation::Empty,
                ));
            }
        }
        Ok(())
    }
}

impl Serialize for Flow {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[skip_serializing_none]
        #[derive(Serialize)]
        struct Payload<'a> {
            screen: &'a str,
            data: Option<&'a Map<String, Value>>,
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("flow_message_version", "3")?;
        match &self.flow {
            FlowRef::Id(id) => map.serialize_entry("flow_id", id)?,
            FlowRef::Name(name) => map.serialize_entry("flow_name", name)?,
        }
        map.serialize_entry("flow_cta", &self.cta)?;
        if let Some(mode) = &self.mode {
            map.serialize_entry("mode", mode)?;
        }
        if let Some(token) = &self.token {
            map.serialize_entry("flow_token", token)?;
        }
        match &self.action {
            Some(FlowAction::Navigate { screen, data }) => {
                map.serialize_entry("flow_action", "navigate")?;
                map.serialize_entry(
                    "flow_action_payload",
                    &Payload {
                        screen,
                        data: data.as_ref(),
                    },
                )?;
            }
            Some(FlowAction::DataExchange) => {
                map.serialize_entry("flow_action", "data_exchange")?;
            }
            None => {}
        }
        map.end()
    }
}

/// One card of an interactive media carousel: an image or video header, an optional body
/// (at most 160 characters) and a call-to-action URL button. Cards are numbered (`card_index`) in
/// the order given.
///
/// ```
/// use whatsapp_cloud::message::{MediaCard, MediaSource};
/// let card = MediaCard::image(MediaSource::link("https://example.com/deal1.png"), "Shop now", "https://shop.example.com/deal1")
///     .body("Exclusive deal #1");
/// assert_eq!(serde_json::to_value(&card)?["action"]["parameters"]["display_text"], "Shop now");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct MediaCard {
    header: Header,
    body: Option<String>,
    display_text: String,
    url: String,
}

impl MediaCard {
    /// A card with an image header and a button labelled `display_text` (≤ 20) opening `url`.
    pub fn image(
        source: impl Into<MediaSource>,
        display_text: impl Into<String>,
        url: impl Into<String>,
    ) -> Self {
        Self::with(Header::image(source), display_text.into(), url.into())
    }

    /// A card with a video header and a button labelled `display_text` (≤ 20) opening `url`.
    pub fn video(
        source: impl Into<MediaSource>,
        display_text: impl Into<String>,
        url: impl Into<String>,
    ) -> Self {
        Self::with(Header::video(source), display_text.into(), url.into())
    }

    fn with(header: Header, display_text: String, url: String) -> Self {
        Self {
            header,
            body: None,
            display_text,
            url,
        }
    }

    /// The card's text (at most 160 characters).
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }
}

impl Serialize for MediaCard {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Without its index: `Action` adds `card_index` from the card's position.
        self.serialize_with_index(serializer, None)
    }
}

impl MediaCard {
    fn serialize_with_index<S: Serializer>(
        &self,
        serializer: S,
        index: Option<usize>,
    ) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Text<'a> {
            text: &'a str,
        }
        #[derive(Serialize)]
        struct P<'a> {
            display_text: &'a str,
            url: &'a str,
        }
        #[derive(Serialize)]
        struct CtaAction<'a> {
            name: &'static str,
            parameters: P<'a>,
        }
        let mut map = serializer.serialize_map(None)?;
        if let Some(index) = index {
            map.serialize_entry("card_index", &index)?;
        }
        map.serialize_entry("type", "cta_url")?;
        map.serialize_entry("header", &self.header)?;
        if let Some(body) = &self.body {
            map.serialize_entry("body", &Text { text: body })?;
        }
        map.serialize_entry(
            "action",
            &CtaAction {
                name: "cta_url",
                parameters: P {
                    display_text: &self.display_text,
                    url: &self.url,
                },
            },
        )?;
        map.end()
    }
}

struct IndexedCard<'a>(usize, &'a MediaCard);

impl Serialize for IndexedCard<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.1.serialize_with_index(serializer, Some(self.0))
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Action {
    Buttons(Vec<ReplyButton>),
    List {
        button: String,
        sections: Vec<Section>,
    },
    CtaUrl {
        display_text: String,
        url: String,
    },
    Flow(Flow),
    LocationRequest,
    Product {
        catalog_id: String,
        product_retailer_id: String,
    },
    ProductList {
        catalog_id: String,
        sections: Vec<ProductSection>,
    },
    Catalog {
        thumbnail_product_retailer_id: Option<String>,
    },
    CallPermissionRequest,
    Address {
        country: String,
    },
    MediaCarousel(Vec<MediaCard>),
}

impl Action {
    fn type_name(&self) -> &'static str {
        match self {
            Self::Buttons(_) => "button",
            Self::List { .. } => "list",
            Self::CtaUrl { .. } => "cta_url",
            Self::Flow(_) => "flow",
            Self::LocationRequest => "location_request_message",
            Self::Product { .. } => "product",
            Self::ProductList { .. } => "product_list",
            Self::Catalog { .. } => "catalog_message",
            Self::CallPermissionRequest => "call_permission_request",
            Self::Address { .. } => "address_message",
            Self::MediaCarousel(_) => "carousel",
        }
    }
}

impl Serialize for Action {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match self {
            Self::Buttons(buttons) => map.serialize_entry("buttons", buttons)?,
            Self::List { button, sections } => {
                map.serialize_entry("button", button)?;
                map.serialize_entry("sections", sections)?;
            }
            Self::CtaUrl { display_text, url } => {
                #[derive(Serialize)]
                struct P<'a> {
                    display_text: &'a str,
                    url: &'a str,
                }
                map.serialize_entry("name", "cta_url")?;
                map.serialize_entry("parameters", &P { display_text, url })?;
            }
            Self::Flow(flow) => {
                map.serialize_entry("name", "flow")?;
                map.serialize_entry("parameters", flow)?;
            }
            Self::LocationRequest => map.serialize_entry("name", "send_location")?,
            Self::Product {
                catalog_id,
                product_retailer_id,
            } => {
                map.serialize_entry("catalog_id", catalog_id)?;
                map.serialize_entry("product_retailer_id", product_retailer_id)?;
            }
            Self::ProductList {
                catalog_id,
                sections,
            } => {
                map.serialize_entry("catalog_id", catalog_id)?;
                map.serialize_entry("sections", sections)?;
            }
            Self::Catalog {
                thumbnail_product_retailer_id,
            } => {
                #[derive(Serialize)]
                struct P<'a> {
                    thumbnail_product_retailer_id: &'a str,
                }
                map.serialize_entry("name", "catalog_message")?;
                if let Some(id) = thumbnail_product_retailer_id {
                    map.serialize_entry(
                        "parameters",
                        &P {
                            thumbnail_product_retailer_id: id,
                        },
                    )?;
                }
            }
            Self::CallPermissionRequest => {
                map.serialize_entry("name", "call_permission_request")?
            }
            Self::Address { country } => {
                #[derive(Serialize)]
                struct P<'a> {
                    country: &'a str,
                }
                map.serialize_entry("name", "address_message")?;
                map.serialize_entry("parameters", &P { country })?;
            }
            Self::MediaCarousel(cards) => {
                let cards: Vec<IndexedCard<'_>> = cards
                    .iter()
                    .enumerate()
                    .map(|(i, c)| IndexedCard(i, c))
                    .collect();
                map.serialize_entry("cards", &cards)?;
            }
        }
        map.end()
    }
}

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
            (None, Action::Product { .. }) => {}
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

    fn validate_action(&self) -> Result<(), ValidationError> {
        const A: &str = "interactive.action";
        match &self.action {
            Action::Buttons(buttons) => {
                limits::count(
                    &format!("{A}.buttons"),
                    buttons.len(),
                    limits::REPLY_BUTTONS_MIN,
                    limits::REPLY_BUTTONS_MAX,
                )?;
                for (i, b) in buttons.iter().enumerate() {
                    limits::id(
                        &format!("{A}.buttons[{i}].reply.id"),
                        &b.id,
                        limits::REPLY_BUTTON_ID_MAX,
                    )?;
                    limits::required_text(
                        &format!("{A}.buttons[{i}].reply.title"),
                        &b.title,
                        limits::REPLY_BUTTON_TITLE_MAX,
                    )?;
                }
                limits::unique(
                    |i| format!("{A}.buttons[{i}].reply.title"),
                    buttons.iter().map(|b| b.title.as_str()),
                )?;
                limits::unique(
                    |i| format!("{A}.buttons[{i}].reply.id"),
                    buttons.iter().map(|b| b.id.as_str()),
                )
            }
            Action::List { button, sections } => {
                limits::required_text(&format!("{A}.button"), button, limits::LIST_BUTTON_MAX)?;
                limits::count(
                    &format!("{A}.sections"),
                    sections.len(),
                    limits::LIST_SECTIONS_MIN,
                    limits::LIST_SECTIONS_MAX,
                )?;
                let rows: usize = sections.iter().map(|s| s.rows.len()).sum();
                if rows > limits::LIST_ROWS_TOTAL_MAX {
                    return Err(ValidationError::new(
                        format!("{A}.sections[].rows"),
                        Violation::TooMany {
                            max: limits::LIST_ROWS_TOTAL_MAX,
                            actual: rows,
                        },
                    ));
                }
                for (s, section) in sections.iter().enumerate() {
                    let path = format!("{A}.sections[{s}]");
                    match &section.title {
                        Some(title) => limits::required_text(
                            &format!("{path}.title"),
                            title,
                            limits::SECTION_TITLE_MAX,
                        )?,
                        None if sections.len() > 1 => {
                            return Err(ValidationError::new(
                                format!("{path}.title"),
                                Violation::Missing,
                            ));
                        }
                        None => {}
                    }
                    limits::count(
                        &format!("{path}.rows"),
                        section.rows.len(),
                        limits::SECTION_ROWS_MIN,
                        usize::MAX,
                    )?;
                    for (r, row) in section.rows.iter().enumerate() {
                        let path = format!("{path}.rows[{r}]");
                        limits::id(&format!("{path}.id"), &row.id, limits::ROW_ID_MAX)?;
                        limits::required_text(
                            &format!("{path}.title"),
                            &row.title,
                            limits::ROW_TITLE_MAX,
                        )?;
                        if let Some(d) = &row.description {
                            limits::max_chars(
                                &format!("{path}.description"),
                                d,
                                limits::ROW_DESCRIPTION_MAX,
                            )?;
                        }
                    }
                }
                let mut ids = Vec::with_capacity(rows);
                for (s, section) in sections.iter().enumerate() {
                    for (r, row) in section.rows.iter().enumerate() {
                        if ids.contains(&row.id.as_str()) {
                            return Err(ValidationError::new(
                                format!("{A}.sections[{s}].rows[{r}].id"),
                                Violation::Duplicate {
                                    value: limits::quote(&row.id),
                                },
                            ));
                        }
                        ids.push(row.id.as_str());
                    }
                }
                Ok(())
            }
            Action::CtaUrl { display_text, url } => {
                limits::required_text(
                    &format!("{A}.parameters.display_text"),
                    display_text,
                    limits::CTA_DISPLAY_TEXT_MAX,
                )?;
                limits::http_url(&format!("{A}.parameters.url"), url)
            }
            Action::Flow(flow) => flow.validate(),
            Action::LocationRequest | Action::CallPermissionRequest => Ok(()),
            Action::Product {
                catalog_id,
                product_retailer_id,
            } => {
                limits::id_unbounded(&format!("{A}.catalog_id"), catalog_id)?;
                limits::id_unbounded(&format!("{A}.product_retailer_id"), product_retailer_id)
            }
            Action::ProductList {
                catalog_id,
                sections,
            } => {
                limits::id_unbounded(&format!("{A}.catalog_id"), catalog_id)?;
                validate_product_sections(A, sections)
            }
            Action::Catalog {
                thumbnail_product_retailer_id,
            } => match thumbnail_product_retailer_id {
                Some(id) => limits::id_unbounded(
                    &format!("{A}.parameters.thumbnail_product_retailer_id"),
                    id,
                ),
                None => Ok(()),
            },
            Action::MediaCarousel(cards) => {
                limits::count(
                    &format!("{A}.cards"),
                    cards.len(),
                    limits::MEDIA_CAROUSEL_CARDS_MIN,
                    limits::MEDIA_CAROUSEL_CARDS_MAX,
                )?;
                let first_kind = cards.first().map(|c| c.header.type_name());
                for (i, card) in cards.iter().enumerate() {
                    let path = format!("{A}.cards[{i}]");
                    let kind = card.header.type_name();
                    if Some(kind) != first_kind {
                        return Err(limits::invalid(
                            &format!("{path}.header.type"),
                            kind,
                            "the same header type on every card",
                        ));
                    }
                    match &card.header {
                        Header::Image(source) => {
                            source.validate(&format!("{path}.header.image"))?
                        }
                        Header::Video(source) => {
                            source.validate(&format!("{path}.header.video"))?
                        }
                        _ => {
                            return Err(limits::invalid(
                                &format!("{path}.header.type"),
                                kind,
                                "an image or video header",
                            ));
                        }
                    }
                    if let Some(body) = &card.body {
                        limits::required_text(
                            &format!("{path}.body.text"),
                            body,
                            limits::MEDIA_CARD_BODY_MAX,
                        )?;
                    }
                    limits::required_text(
                        &format!("{path}.action.parameters.display_text"),
                        &card.display_text,
                        limits::CTA_DISPLAY_TEXT_MAX,
                    )?;
                    limits::http_url(&format!("{path}.action.parameters.url"), &card.url)?;
                }
                Ok(())
            }
            Action::Address { country } => {
                if country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()) {
                    Ok(())
                } else {
                    Err(limits::invalid(
                        &format!("{A}.parameters.country"),
                        country,
                        "an ISO 3166 alpha-2 country code such as \"IN\"",
                    ))
                }
            }
        }
    }
}

/// Checks product sections under `a` (an `action` path): 1 to 10 titled sections, each with at least
/// one product, at most 30 products in total.
pub(crate) fn validate_product_sections(
    a: &str,
    sections: &[ProductSection],
) -> Result<(), ValidationError> {
    limits::count(
        &format!("{a}.sections"),
        sections.len(),
        limits::PRODUCT_SECTIONS_MIN,
        limits::PRODUCT_SECTIONS_MAX,
    )?;
    let total: usize = sections.iter().map(|s| s.product_retailer_ids.len()).sum();
    if total > limits::PRODUCT_ITEMS_TOTAL_MAX {
        return Err(ValidationError::new(
            format!("{a}.sections[].product_items"),
            Violation::TooMany {
                max: limits::PRODUCT_ITEMS_TOTAL_MAX,
                actual: total,
            },
        ));
    }
    for (s, section) in sections.iter().enumerate() {
        let path = format!("{a}.sections[{s}]");
        limits::required_text(
            &format!("{path}.title"),
            &section.title,
            limits::SECTION_TITLE_MAX,
        )?;
        limits::count(
            &format!("{path}.product_items"),
            section.product_retailer_ids.len(),
            limits::PRODUCT_ITEMS_PER_SECTION_MIN,
            usize::MAX,
        )?;
        for (p, id) in section.product_retailer_ids.iter().enumerate() {
            limits::id_unbounded(
                &format!("{path}.product_items[{p}].product_retailer_id"),
                id,
            )?;
        }
    }
    Ok(())
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
