//! A template as Meta returns it, and the parameters a send of it needs.

use super::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;
use std::collections::BTreeSet;

/// A template as Meta returns it.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateInfo {
    /// The template id.
    pub id: String,
    /// The name.
    pub name: String,
    /// The language code, such as `en_US`.
    #[serde(default)]
    pub language: String,
    /// The review status.
    pub status: TemplateStatus,
    /// The category.
    pub category: TemplateCategory,
    /// How variables are written (absent means positional).
    #[serde(default)]
    pub parameter_format: Option<ParameterFormat>,
    /// The components.
    #[serde(default)]
    pub components: Vec<TemplateComponent>,
    /// Why the template was rejected (`"NONE"` when it was not).
    #[serde(default)]
    pub rejected_reason: Option<String>,
    /// The category before Meta recategorized the template.
    #[serde(default)]
    pub previous_category: Option<TemplateCategory>,
    /// The sub-category (such as `ORDER_DETAILS`).
    #[serde(default)]
    pub sub_category: Option<String>,
    /// How long Meta tries to deliver the template's messages, in seconds (`-1`: 30 days); read
    /// from a number or a string.
    #[serde(default, deserialize_with = "super::kinds::ttl_from_number_or_string")]
    pub message_send_ttl_seconds: Option<i64>,
    /// Whether click tracking of the template's URL buttons is turned off.
    #[serde(default)]
    pub cta_url_link_tracking_opted_out: Option<bool>,
    /// The Template Library template this one was created from.
    #[serde(default)]
    pub library_template_name: Option<String>,
    /// The quality score object, as sent.
    #[serde(default)]
    pub quality_score: Option<Value>,
}

/// A variable of a template: `{{1}}` or `{{first_name}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ParameterSlot {
    /// `{{n}}`.
    Positional(u32),
    /// `{{name}}`.
    Named(String),
}

/// What the header of a send must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderParameter {
    /// One text parameter.
    Text(ParameterSlot),
    /// A media parameter of this format (image, video, document, gif).
    Media(HeaderFormat),
    /// A location parameter.
    Location,
    /// A product parameter (single-product templates, product cards).
    Product,
}

/// A button that needs a parameter in a send.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ButtonParameter {
    /// The button's index (0-9), the `index` of the send's button component.
    pub index: usize,
    /// The button type (the send's `sub_type`, lower-cased).
    pub kind: ButtonType,
}

/// The parameters a send of a template must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequiredParameters {
    /// The template's parameter format.
    pub format: ParameterFormat,
    /// The header parameter, if the header needs one.
    pub header: Option<HeaderParameter>,
    /// The body parameters, in order.
    pub body: Vec<ParameterSlot>,
    /// Buttons that need a parameter: URL buttons with a variable, copy-code buttons and the OTP
    /// button of an authentication template (sent as a `url` button).
    pub buttons: Vec<ButtonParameter>,
    /// The cards of a carousel template, in order (empty otherwise).
    pub cards: Vec<CardParameters>,
    /// Whether the cards are product cards: a send may then carry 1 to 10 cards, each like the
    /// first; a media-card carousel is sent with exactly its cards.
    pub product_cards: bool,
}

/// The parameters one carousel card of a send must carry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CardParameters {
    /// The card's header parameter (a media or product parameter).
    pub header: Option<HeaderParameter>,
    /// The card's body parameters, in order.
    pub body: Vec<ParameterSlot>,
    /// The card's buttons that need a parameter.
    pub buttons: Vec<ButtonParameter>,
}

/// Reads header, body and buttons of `components` into a [`CardParameters`].
fn collect(components: &[TemplateComponent], authentication: bool) -> CardParameters {
    let mut out = CardParameters::default();
    for component in components {
        match component {
            TemplateComponent::Header(h) => {
                out.header = match &h.format {
                    HeaderFormat::Text => h
                        .text
                        .as_deref()
                        .and_then(|t| distinct_slots(t).into_iter().next())
                        .map(HeaderParameter::Text),
                    HeaderFormat::Location => Some(HeaderParameter::Location),
                    HeaderFormat::Product => Some(HeaderParameter::Product),
                    HeaderFormat::Unknown(_) => None,
                    other => Some(HeaderParameter::Media(other.clone())),
                };
            }
            TemplateComponent::Body(b) => {
                out.body = match b.text.as_deref() {
                    Some(text) => distinct_slots(text),
                    // Meta writes an authentication body around one variable: the code.
                    None if authentication => vec![ParameterSlot::Positional(1)],
                    None => Vec::new(),
                };
                // A send gives positional parameters in number order, whatever the text's order.
                out.body.sort_by_key(|slot| match slot {
                    ParameterSlot::Positional(n) => (0, *n),
                    ParameterSlot::Named(_) => (1, 0),
                });
            }
            TemplateComponent::Buttons(b) => {
                for (index, button) in b.buttons.iter().enumerate() {
                    let kind = match button.kind {
                        ButtonType::Url
                            if button
                                .url
                                .as_deref()
                                .is_some_and(|u| !placeholders(u).is_empty()) =>
                        {
                            Some(ButtonType::Url)
                        }
                        ButtonType::CopyCode if !authentication => Some(ButtonType::CopyCode),
                        // The code of an OTP button goes in a `url` button parameter.
                        ButtonType::Otp | ButtonType::CopyCode => Some(ButtonType::Url),
                        _ => None,
                    };
                    if let Some(kind) = kind {
                        out.buttons.push(ButtonParameter { index, kind });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

impl TemplateInfo {
    /// The parameters a send must give: header, body variables (in order) and dynamic buttons.
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::templates::{ParameterSlot, TemplateInfo};
    /// let t: TemplateInfo = serde_json::from_str(r#"{"id":"1","name":"n","language":"en","status":"APPROVED",
    ///   "category":"UTILITY","components":[{"type":"BODY","text":"Hi {{1}}, {{2}}"}]}"#)?;
    /// let req = t.required_parameters();
    /// assert_eq!(req.body, vec![ParameterSlot::Positional(1), ParameterSlot::Positional(2)]);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn required_parameters(&self) -> RequiredParameters {
        let format = self
            .parameter_format
            .clone()
            .unwrap_or(ParameterFormat::Positional);
        let authentication = self.category == TemplateCategory::Authentication;
        let top = collect(&self.components, authentication);
        let carousel = self.components.iter().find_map(|c| match c {
            TemplateComponent::Carousel(c) => Some(c),
            _ => None,
        });
        let cards: Vec<CardParameters> = carousel
            .map(|c| {
                c.cards
                    .iter()
                    .map(|card| collect(&card.components, false))
                    .collect()
            })
            .unwrap_or_default();
        let product_cards = cards
            .first()
            .is_some_and(|c| c.header == Some(HeaderParameter::Product));
        RequiredParameters {
            format,
            header: top.header,
            body: top.body,
            buttons: top.buttons,
            cards,
            product_cards,
        }
    }
}

/// The raw contents of every `{{...}}` in `text`, in order.
pub(super) fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        out.push(after[..end].trim());
        rest = &after[end + 2..];
    }
    out
}

pub(super) fn slot_of(raw: &str) -> ParameterSlot {
    match raw.parse::<u32>() {
        Ok(n) => ParameterSlot::Positional(n),
        Err(_) => ParameterSlot::Named(raw.to_owned()),
    }
}

/// The distinct variables of `text`, in order of first appearance.
pub(super) fn distinct_slots(text: &str) -> Vec<ParameterSlot> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for raw in placeholders(text) {
        let slot = slot_of(raw);
        if seen.insert(slot.clone()) {
            out.push(slot);
        }
    }
    out
}

pub(super) fn is_named_parameter(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
