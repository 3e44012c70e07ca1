//! Looking media up and deleting it: `GetMedia`, `MediaInfo`, `DeleteMedia`.

use crate::endpoint::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::{Error, ValidationError, Violation};
use crate::ids::{MediaId, PhoneNumberId};
use serde::{Deserialize, Deserializer, Serialize};
use serde_with::skip_serializing_none;
use url::Url;

/// Looks up uploaded or inbound media: `GET /<MEDIA_ID>[?phone_number_id=...]`.
///
/// The URL in the answer expires after 5 minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetMedia {
    id: MediaId,
    phone_number_id: Option<PhoneNumberId>,
}

impl GetMedia {
    /// Looks up media `id`.
    pub fn new(id: impl Into<MediaId>) -> Self {
        Self {
            id: id.into(),
            phone_number_id: None,
        }
    }

    /// Only succeeds if the media belongs to this business phone number.
    pub fn phone_number_id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.phone_number_id = Some(id.into());
        self
    }

    /// The media id.
    pub fn id(&self) -> &MediaId {
        &self.id
    }
}

pub(super) fn media_id_url(
    ctx: &ApiContext,
    id: &MediaId,
    phone: Option<&PhoneNumberId>,
) -> Result<Url, Error> {
    if id.as_str().trim().is_empty() {
        return Err(ValidationError::new("media_id", Violation::Empty).into());
    }
    let mut url = ctx.url(&[id.as_str()])?;
    if let Some(phone) = phone {
        url.query_pairs_mut()
            .append_pair("phone_number_id", phone.as_str());
    }
    Ok(url)
}

impl Endpoint for GetMedia {
    type Output = MediaInfo;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = media_id_url(ctx, &self.id, self.phone_number_id.as_ref())?;
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<MediaInfo, Error> {
        parse_json("media info", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// What Meta knows about a media object: a short-lived download URL, MIME type, SHA-256 and size.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MediaInfo {
    /// The download URL: valid 5 minutes, needs the bearer token.
    pub url: String,
    /// The MIME type.
    #[serde(default)]
    pub mime_type: String,
    /// The SHA-256 of the file, lower-case hex.
    #[serde(default)]
    pub sha256: Option<String>,
    /// The size in bytes (Meta sends a number; its documentation shows a string: both are accepted).
    #[serde(default, deserialize_with = "lenient_u64")]
    pub file_size: Option<u64>,
    /// The media id.
    pub id: MediaId,
    /// Always `whatsapp`.
    #[serde(default)]
    pub messaging_product: Option<String>,
}

pub(super) fn lenient_u64<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumOrString {
        Num(u64),
        Str(String),
    }
    match Option::<NumOrString>::deserialize(deserializer)? {
        None => Ok(None),
        Some(NumOrString::Num(n)) => Ok(Some(n)),
        Some(NumOrString::Str(s)) => s.trim().parse::<u64>().map(Some).map_err(|_| {
            serde::de::Error::custom(format!("file_size {s:?} is not a whole number"))
        }),
    }
}

/// Deletes media: `DELETE /<MEDIA_ID>[?phone_number_id=...]`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct DeleteMedia {
    id: MediaId,
    phone_number_id: Option<PhoneNumberId>,
}

impl DeleteMedia {
    /// Deletes media `id`.
    pub fn new(id: impl Into<MediaId>) -> Self {
        Self {
            id: id.into(),
            phone_number_id: None,
        }
    }

    /// Only deletes if the media belongs to this business phone number.
    pub fn phone_number_id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.phone_number_id = Some(id.into());
        self
    }
}

impl Endpoint for DeleteMedia {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = media_id_url(ctx, &self.id, self.phone_number_id.as_ref())?;
        ctx.empty_request(http::Method::DELETE, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("media delete response", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}
