//! Graph API paging: lists come back in pages with `paging.cursors.after` and `paging.next`.
//!
//! A listing endpoint (such as [`ListTemplates`](super::templates::ListTemplates)) parses into a
//! [`Page`], and [`Page::next_page`] gives the endpoint value for the following page, or `None` on the
//! last page. Nothing is fetched until you send that value, so paging works with any HTTP client.
//!
//! The next page is requested with the `after` cursor, not by following `paging.next` verbatim: that
//! URL may carry the access token in its query string, and the cursor keeps every request on the
//! configured base URL.
//!
//! ```
//! use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
//! use whatsapp_cloud::endpoint::templates::ListTemplates;
//!
//! let ctx = ApiContext::without_phone_number("token").with_waba_id("102290129340398");
//! let list = ListTemplates::new().limit(2);
//! let page = list.send_with(&ctx, |_request| {
//!     http::Response::builder().status(200).body(br#"{"data":[{"id":"1","name":"a","language":"en","status":"APPROVED","category":"UTILITY","components":[]}],
//!         "paging":{"cursors":{"before":"B","after":"QVFI"},"next":"https://graph.facebook.com/v26.0/x?after=QVFI"}}"#.to_vec())
//! })?;
//! assert_eq!(page.items().len(), 1);
//! let next = page.next_page().expect("a next page");
//! let request = next.to_request(&ctx)?;
//! assert!(request.uri().query().unwrap_or("").contains("after=QVFI"));
//! # Ok::<(), whatsapp_cloud::Error>(())
//! ```

use super::{Endpoint, parse_json};
use crate::error::Error;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// A listing endpoint whose answer comes in pages.
pub trait Paginated: Endpoint<Output = Page<Self>> + Clone + Sized {
    /// One item of the list.
    type Item: DeserializeOwned;

    /// The same request, starting after `cursor`.
    fn with_after(&self, cursor: &str) -> Self;
}

/// One page of a Graph API list, and the way to the next one.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Page<E: Paginated> {
    items: Vec<E::Item>,
    paging: Option<Paging>,
    request: E,
}

impl<E: Paginated> Page<E> {
    /// The items of this page.
    pub fn items(&self) -> &[E::Item] {
        &self.items
    }

    /// Takes the items out of this page.
    pub fn into_items(self) -> Vec<E::Item> {
        self.items
    }

    /// The raw paging block as Meta sent it.
    pub fn paging(&self) -> Option<&Paging> {
        self.paging.as_ref()
    }

    /// The request that produced this page.
    pub fn request(&self) -> &E {
        &self.request
    }

    /// The cursor of the next page, `None` on the last page.
    ///
    /// Meta omits `paging.next` on the last page (while still sending cursors), so a cursor counts only
    /// when `next` is present. When `next` is present without cursors, its `after` query value is used.
    pub fn next_cursor(&self) -> Option<String> {
        let paging = self.paging.as_ref()?;
        let next = paging.next.as_deref()?;
        if let Some(after) = paging
            .cursors
            .as_ref()
            .and_then(|c| c.after.as_deref())
            .filter(|a| !a.is_empty())
        {
            return Some(after.to_owned());
        }
        let url = url::Url::parse(next).ok()?;
        url.query_pairs()
            .find(|(k, v)| k == "after" && !v.is_empty())
            .map(|(_, v)| v.into_owned())
    }

    /// The endpoint value that fetches the next page, or `None` on the last page.
    pub fn next_page(&self) -> Option<E> {
        self.next_cursor().map(|c| self.request.with_after(&c))
    }
}

/// The `paging` block of a Graph API list.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Paging {
    /// The cursors around this page.
    #[serde(default)]
    pub cursors: Option<Cursors>,
    /// The URL of the next page; absent on the last page.
    #[serde(default)]
    pub next: Option<String>,
    /// The URL of the previous page; absent on the first page.
    #[serde(default)]
    pub previous: Option<String>,
}

/// `paging.cursors`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Cursors {
    /// The cursor before the first item of the page.
    #[serde(default)]
    pub before: Option<String>,
    /// The cursor after the last item of the page.
    #[serde(default)]
    pub after: Option<String>,
}

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct RawPage<T> {
    #[serde(default)]
    data: Vec<T>,
    #[serde(default)]
    paging: Option<Paging>,
}

/// Parses a `{"data": [...], "paging": {...}}` answer of `request` into a [`Page`].
///
/// # Errors
/// [`Error::Api`] for an error status, [`Error::Decode`] for a body of the wrong shape.
pub fn parse_page<E: Paginated, B: AsRef<[u8]>>(
    what: &'static str,
    request: &E,
    response: http::Response<B>,
) -> Result<Page<E>, Error> {
    let raw: RawPage<E::Item> = parse_json(what, response)?;
    Ok(Page {
        items: raw.data,
        paging: raw.paging,
        request: request.clone(),
    })
}

/// A [`Page`] of `request` from items an endpoint read itself (a list whose items Meta sends in
/// more than one shape).
pub(crate) fn page_from_parts<E: Paginated>(
    request: &E,
    items: Vec<E::Item>,
    paging: Option<Paging>,
) -> Page<E> {
    Page {
        items,
        paging,
        request: request.clone(),
    }
}

/// Parses a list whose `data` is an object holding the list under `key`
/// (`{"data": {"<key>": [...]}, "paging": {...}}`, as the Groups API lists groups) into a [`Page`].
/// A `data` that is already a list is read as one too, so either shape gives the same page.
///
/// # Errors
/// [`Error::Api`] for an error status, [`Error::Decode`] for a body of another shape.
pub fn parse_keyed_page<E: Paginated, B: AsRef<[u8]>>(
    what: &'static str,
    key: &'static str,
    request: &E,
    response: http::Response<B>,
) -> Result<Page<E>, Error> {
    #[derive(Deserialize)]
    struct RawKeyed {
        #[serde(default)]
        data: Option<serde_json::Value>,
        #[serde(default)]
        paging: Option<Paging>,
    }
    let body = super::check_status(response)?;
    let body = body.body().as_ref();
    let decode = |e: String| Error::Decode(crate::error::DecodeError::new(what, e, body));
    let raw: RawKeyed = serde_json::from_slice(body).map_err(|e| decode(e.to_string()))?;
    // Decoding the list itself (not an untagged choice of shapes) keeps serde's message about the
    // item that failed.
    let (list, at) = match raw.data {
        Some(serde_json::Value::Object(mut map)) => (map.remove(key), format!("data.{key}")),
        other => (other, "data".to_owned()),
    };
    let items = match list {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(list) => serde_json::from_value(list).map_err(|e| decode(format!("{at}: {e}")))?,
    };
    Ok(Page {
        items,
        paging: raw.paging,
        request: request.clone(),
    })
}

/// The query every list endpoint shares: which `fields` to return, how many items per page
/// (`limit`) and where to start (the `after` or `before` cursor).
///
/// List endpoints embed one and keep their own setters (`fields`, `limit`, `after`, `before`), which
/// write here; [`ListQuery::write`] writes it into a URL in a fixed order: `fields`, the endpoint's
/// filters, `limit`, `after`, `before`.
///
/// ```
/// use whatsapp_cloud::endpoint::paging::ListQuery;
///
/// let query = ListQuery::new().fields(["name", "status"]).limit(2).after("QVFI");
/// let mut url = url::Url::parse("https://graph.facebook.com/v26.0/102290129340398/message_templates")?;
/// query.write(&mut url, &[], &[("status", "APPROVED")]);
/// assert_eq!(url.query(), Some("fields=name%2Cstatus&status=APPROVED&limit=2&after=QVFI"));
/// # Ok::<(), url::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct ListQuery {
    fields: Vec<String>,
    limit: Option<u32>,
    after: Option<String>,
    before: Option<String>,
}

impl ListQuery {
    /// No fields (the endpoint's default set), no limit, the first page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks for these fields only.
    pub fn fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// Items per page.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Starts after this cursor (and forgets a `before` cursor).
    pub fn after(mut self, cursor: impl Into<String>) -> Self {
        self.after = Some(cursor.into());
        self.before = None;
        self
    }

    /// Ends before this cursor (and forgets an `after` cursor).
    pub fn before(mut self, cursor: impl Into<String>) -> Self {
        self.before = Some(cursor.into());
        self.after = None;
        self
    }

    /// The fields asked for; empty for the endpoint's default set.
    pub fn field_names(&self) -> &[String] {
        &self.fields
    }

    /// Items per page, when set.
    pub fn page_size(&self) -> Option<u32> {
        self.limit
    }

    /// The `after` cursor, when set.
    pub fn after_cursor(&self) -> Option<&str> {
        self.after.as_deref()
    }

    /// The `before` cursor, when set.
    pub fn before_cursor(&self) -> Option<&str> {
        self.before.as_deref()
    }

    /// Writes the query into `url`: `fields` (or `default_fields` when none are set; nothing when both
    /// are empty), then `filters` in order, then `limit`, `after` and `before`. An empty query leaves
    /// the URL without `?`.
    pub fn write(&self, url: &mut url::Url, default_fields: &[&str], filters: &[(&str, &str)]) {
        let mut q = url.query_pairs_mut();
        if !self.fields.is_empty() {
            q.append_pair("fields", &self.fields.join(","));
        } else if !default_fields.is_empty() {
            q.append_pair("fields", &default_fields.join(","));
        }
        for (key, value) in filters {
            q.append_pair(key, value);
        }
        if let Some(limit) = self.limit {
            q.append_pair("limit", &limit.to_string());
        }
        if let Some(after) = &self.after {
            q.append_pair("after", after);
        }
        if let Some(before) = &self.before {
            q.append_pair("before", before);
        }
        drop(q);
        if url.query() == Some("") {
            url.set_query(None);
        }
    }
}

/// Writes an endpoint's list setters once: they delegate to its `query: ListQuery` field.
/// `list_query_setters!(fields)` gives `fields`; `list_query_setters!(fields, paging)` adds `limit`,
/// `after` and `before`.
macro_rules! list_query_setters {
    (fields) => {
        /// Asks for these fields only (the endpoint's default set otherwise).
        pub fn fields<I, S>(mut self, fields: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.query = self.query.fields(fields);
            self
        }

        /// The list query: fields, and for a list its page size and cursor.
        pub fn query(&self) -> &$crate::endpoint::paging::ListQuery {
            &self.query
        }
    };
    (fields, paging) => {
        $crate::endpoint::paging::list_query_setters!(fields);

        /// Items per page.
        pub fn limit(mut self, limit: u32) -> Self {
            self.query = self.query.limit(limit);
            self
        }

        /// Starts after this cursor.
        pub fn after(mut self, cursor: impl Into<String>) -> Self {
            self.query = self.query.after(cursor);
            self
        }

        /// Ends before this cursor (the previous page).
        pub fn before(mut self, cursor: impl Into<String>) -> Self {
            self.query = self.query.before(cursor);
            self
        }
    };
}
pub(crate) use list_query_setters;

/// Defines a string enum Meta can grow: known variants, an `Unknown(String)` fallback, case-insensitive
/// parsing and the given wire spelling on output. Shared by the management endpoints.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Unknown(s) => s,
                }
            }

            /// Parses a wire value, ignoring case; unknown values are kept.
            pub fn parse(value: &str) -> Self {
                $( if value.eq_ignore_ascii_case($wire) { return Self::$variant; } )+
                Self::Unknown(value.to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = String::deserialize(deserializer)?;
                Ok(Self::parse(&s))
            }
        }
    };
}
pub(crate) use wire_enum;

#[cfg(test)]
mod tests {
    use super::super::templates::ListTemplates;
    use super::*;

    fn page(body: serde_json::Value) -> Page<ListTemplates> {
        let response = http::Response::new(serde_json::to_vec(&body).unwrap());
        parse_page("test", &ListTemplates::new().limit(5), response).unwrap()
    }

    #[test]
    fn the_cursor_counts_only_while_next_is_present() {
        let last = page(serde_json::json!({"data": [], "paging": {"cursors": {"after": "A"}}}));
        assert_eq!(last.next_cursor(), None);
        assert!(last.next_page().is_none());
        let more = page(
            serde_json::json!({"data": [], "paging": {"cursors": {"after": "A"}, "next": "https://graph.facebook.com/x?after=B"}}),
        );
        assert_eq!(more.next_cursor().as_deref(), Some("A"));
        assert_eq!(
            more.next_page(),
            Some(ListTemplates::new().limit(5).after("A"))
        );
    }

    #[test]
    fn without_cursors_the_after_of_the_next_url_is_used() {
        let p = page(
            serde_json::json!({"data": [], "paging": {"cursors": {"after": ""}, "next": "https://graph.facebook.com/x?access_token=T&after=QQ%3D%3D"}}),
        );
        assert_eq!(p.next_cursor().as_deref(), Some("QQ=="));
        let none = page(serde_json::json!({"data": [], "paging": {"next": "not a url"}}));
        assert_eq!(none.next_cursor(), None);
    }

    #[test]
    fn a_body_without_data_is_an_empty_page_and_a_wrong_shape_is_a_decode_error() {
        assert!(page(serde_json::json!({})).items().is_empty());
        let response = http::Response::new(br#"{"data": {"not": "a list"}}"#.to_vec());
        let err = parse_page("test", &ListTemplates::new(), response).unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{err:?}");
        let response = http::Response::builder()
            .status(400)
            .body(br#"{"error":{"code":100,"message":"bad"}}"#.to_vec())
            .unwrap();
        let err = parse_page("test", &ListTemplates::new(), response).unwrap_err();
        assert_eq!(err.api().and_then(|a| a.code()), Some(100));
    }

    #[test]
    fn list_query_is_omitted_when_empty() {
        let mut url = url::Url::parse("https://graph.facebook.com/v26.0/1/x").unwrap();
        ListQuery::new().write(&mut url, &[], &[]);
        assert_eq!(url.as_str(), "https://graph.facebook.com/v26.0/1/x");
        ListQuery::new()
            .limit(3)
            .after("a b")
            .write(&mut url, &[], &[]);
        assert_eq!(url.query(), Some("limit=3&after=a+b"));
    }

    #[test]
    fn list_query_writes_fields_filters_then_paging_and_one_cursor() {
        let mut url = url::Url::parse("https://graph.facebook.com/v26.0/1/x").unwrap();
        ListQuery::new().after("A").before("B").write(
            &mut url,
            &["id", "name"],
            &[("status", "APPROVED")],
        );
        assert_eq!(
            url.query(),
            Some("fields=id%2Cname&status=APPROVED&before=B")
        );
    }
}
