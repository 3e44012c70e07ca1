//! The `action` of each interactive type: its wire form and its checks.

use super::carousel::IndexedCard;
use super::*;
use crate::error::{ValidationError, Violation};
use crate::limits;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Action {
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
    ContactRequest,
    VoiceCall(VoiceCall),
    // Payments (order.rs).
    OrderDetails(Box<OrderDetails>),
    OrderStatus(OrderStatus),
}

impl Action {
    pub(super) fn type_name(&self) -> &'static str {
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
            Self::ContactRequest => "contact_request",
            Self::VoiceCall(_) => "voice_call",
            Self::OrderDetails(_) => "order_details",
            Self::OrderStatus(_) => "order_status",
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
            Self::ContactRequest => map.serialize_entry("name", "request_contact_info")?,
            Self::VoiceCall(call) => {
                map.serialize_entry("name", "voice_call")?;
                if !call.is_empty() {
                    map.serialize_entry("parameters", call)?;
                }
            }
            Self::OrderDetails(details) => {
                map.serialize_entry("name", "review_and_pay")?;
                map.serialize_entry("parameters", details)?;
            }
            Self::OrderStatus(status) => {
                map.serialize_entry("name", "review_order")?;
                map.serialize_entry("parameters", status)?;
            }
        }
        map.end()
    }
}

impl Interactive {
    pub(super) fn validate_action(&self) -> Result<(), ValidationError> {
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
            Action::LocationRequest | Action::CallPermissionRequest | Action::ContactRequest => {
                Ok(())
            }
            Action::VoiceCall(call) => call.validate(&format!("{A}.parameters")),
            Action::OrderDetails(details) => {
                if let Some(header) = self.header.as_ref().filter(|h| h.type_name() != "image") {
                    return Err(limits::invalid(
                        "interactive.header.type",
                        header.type_name(),
                        "an image header (order details take no other)",
                    ));
                }
                order_check::validate_order_details(&format!("{A}.parameters"), details)
            }
            Action::OrderStatus(status) => order_check::validate_order_status(status),
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
                            format!("{path}.header.type"),
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
                                format!("{path}.header.type"),
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
                        format!("{A}.parameters.country"),
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
