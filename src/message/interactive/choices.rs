//! What a user picks from: reply buttons, list rows and sections, product sections.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_with::skip_serializing_none;

/// A reply button: an id (at most 256 characters, no surrounding spaces) sent back when tapped, and a
/// title (at most 20 characters, unique in the message).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct ReplyButton {
    pub(super) id: String,
    pub(super) title: String,
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
    pub(super) id: String,
    pub(super) title: String,
    pub(super) description: Option<String>,
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
    pub(super) title: Option<String>,
    pub(super) rows: Vec<Row>,
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
    pub(super) title: String,
    pub(super) product_retailer_ids: Vec<String>,
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
