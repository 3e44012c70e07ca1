//! QR codes and short links that open a chat with a prefilled message (Meta's "QR codes" page).

use super::phone_url;
use crate::endpoint::paging::{ListQuery, Page, Paginated, list_query_setters, parse_page};
use crate::endpoint::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::{DecodeError, Error, ValidationError};
use crate::limits;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// The longest prefilled message of a QR code, in characters.
pub const PREFILLED_MESSAGE_MAX: usize = 140;

/// The fields a QR code read asks for unless others are set.
const DEFAULT_FIELDS: &[&str] = &["code", "prefilled_message", "deep_link_url"];

crate::endpoint::paging::wire_enum! {
    /// The image format of a QR code.
    QrImageFormat {
        /// Scalable vector graphics.
        Svg = "SVG",
        /// A PNG bitmap.
        Png = "PNG",
    }
}

/// A QR code (and its short link) as Meta returns it.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct QrCode {
    /// The code, which names the QR code in updates and deletes.
    pub code: String,
    /// The message the chat opens with.
    #[serde(default)]
    pub prefilled_message: Option<String>,
    /// The short link, `https://wa.me/message/<code>`.
    #[serde(default)]
    pub deep_link_url: Option<String>,
    /// Where the image can be downloaded, when an image format was asked for.
    #[serde(default)]
    pub qr_image_url: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct SaveBody {
    prefilled_message: String,
    generate_qr_image: Option<QrImageFormat>,
    code: Option<String>,
}

impl SaveBody {
    fn validate(&self) -> Result<(), ValidationError> {
        limits::required_text(
            "prefilled_message",
            &self.prefilled_message,
            PREFILLED_MESSAGE_MAX,
        )?;
        if let Some(code) = &self.code {
            limits::id_unbounded("code", code)?;
        }
        Ok(())
    }

    fn request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = phone_url(ctx, &["message_qrdls"])?;
        ctx.json_request(http::Method::POST, &url, self)
    }
}

/// Creates a QR code and short link: `POST /<PHONE_NUMBER_ID>/message_qrdls`.
///
/// The prefilled message holds 1 to 140 characters; with an [`image_format`](Self::image_format)
/// the answer carries the image's URL. A number holds at most 2,000 codes; codes do not expire.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::CreateQrCode;
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// assert!(CreateQrCode::new("x".repeat(140)).to_request(&ctx).is_ok());
/// assert!(CreateQrCode::new("x".repeat(141)).to_request(&ctx).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct CreateQrCode {
    body: SaveBody,
}

impl CreateQrCode {
    /// A code whose chat opens with `prefilled_message`.
    pub fn new(prefilled_message: impl Into<String>) -> Self {
        Self {
            body: SaveBody {
                prefilled_message: prefilled_message.into(),
                generate_qr_image: None,
                code: None,
            },
        }
    }

    /// Also generates the image in this format.
    pub fn image_format(mut self, format: QrImageFormat) -> Self {
        self.body.generate_qr_image = Some(format);
        self
    }
}

impl Endpoint for CreateQrCode {
    type Output = QrCode;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.body.request(ctx)
    }

    fn parse_response<B: AsRef<[u8]>>(&self, response: http::Response<B>) -> Result<QrCode, Error> {
        parse_json("QR code", response)
    }
}

/// Changes the prefilled message of a QR code: the creation call with its `code`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::UpdateQrCode;
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let request = UpdateQrCode::new("4O4YGZEG3RIVE1", "Show me the menu").to_request(&ctx)?;
/// assert_eq!(request.body().as_slice(), br#"{"prefilled_message":"Show me the menu","code":"4O4YGZEG3RIVE1"}"#);
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct UpdateQrCode {
    body: SaveBody,
}

impl UpdateQrCode {
    /// Code `code` now opens with `prefilled_message`.
    pub fn new(code: impl Into<String>, prefilled_message: impl Into<String>) -> Self {
        Self {
            body: SaveBody {
                prefilled_message: prefilled_message.into(),
                generate_qr_image: None,
                code: Some(code.into()),
            },
        }
    }

    /// Also generates the image in this format.
    pub fn image_format(mut self, format: QrImageFormat) -> Self {
        self.body.generate_qr_image = Some(format);
        self
    }
}

impl Endpoint for UpdateQrCode {
    type Output = QrCode;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.body.request(ctx)
    }

    fn parse_response<B: AsRef<[u8]>>(&self, response: http::Response<B>) -> Result<QrCode, Error> {
        parse_json("QR code", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// The fields of a QR code read: those set, or the default ones, plus the image URL in `format`.
fn qr_fields(query: &ListQuery, format: Option<&QrImageFormat>) -> ListQuery {
    let mut fields: Vec<String> = if query.field_names().is_empty() {
        DEFAULT_FIELDS.iter().map(|f| (*f).to_owned()).collect()
    } else {
        query.field_names().to_vec()
    };
    if let Some(format) = format {
        fields.push(format!("qr_image_url.format({format})"));
    }
    query.clone().fields(fields)
}

/// Reads one QR code: `GET /<PHONE_NUMBER_ID>/message_qrdls/<code>`.
///
/// Meta answers `{"data":[…]}` even for one code; the parse returns that code.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::{GetQrCode, QrImageFormat};
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let get = GetQrCode::new("4O4YGZEG3RIVE1").image_format(QrImageFormat::Svg);
/// assert_eq!(
///     get.to_request(&ctx)?.uri().query(),
///     Some("fields=code%2Cprefilled_message%2Cdeep_link_url%2Cqr_image_url.format%28SVG%29")
/// );
/// let answer = http::Response::new(br#"{"data":[{"code":"4O4YGZEG3RIVE1","prefilled_message":"Hi","deep_link_url":"https://wa.me/message/4O4YGZEG3RIVE1"}]}"#.to_vec());
/// assert_eq!(get.parse_response(answer)?.code, "4O4YGZEG3RIVE1");
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetQrCode {
    code: String,
    query: ListQuery,
    format: Option<QrImageFormat>,
}

impl GetQrCode {
    /// QR code `code`.
    pub fn new(code: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            query: ListQuery::new(),
            format: None,
        }
    }

    list_query_setters!(fields);

    /// Also returns the image URL in this format (`qr_image_url.format(<FORMAT>)`).
    pub fn image_format(mut self, format: QrImageFormat) -> Self {
        self.format = Some(format);
        self
    }
}

impl Endpoint for GetQrCode {
    type Output = QrCode;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        limits::id_unbounded("code", &self.code)?;
        let mut url = phone_url(ctx, &["message_qrdls", &self.code])?;
        qr_fields(&self.query, self.format.as_ref()).write(&mut url, &[], &[]);
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(&self, response: http::Response<B>) -> Result<QrCode, Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            data: Vec<QrCode>,
        }
        let response = crate::endpoint::check_status(response)?;
        let body = response.body().as_ref();
        let raw: Raw = serde_json::from_slice(body)
            .map_err(|e| Error::Decode(DecodeError::new("QR code", e.to_string(), body)))?;
        raw.data.into_iter().next().ok_or_else(|| {
            Error::Decode(DecodeError::new(
                "QR code",
                format!("the answer holds no QR code {:?}", self.code),
                body,
            ))
        })
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Lists the QR codes of the number: `GET /<PHONE_NUMBER_ID>/message_qrdls`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::ListQrCodes;
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let request = ListQrCodes::new().limit(50).to_request(&ctx)?;
/// assert_eq!(request.uri().query(), Some("fields=code%2Cprefilled_message%2Cdeep_link_url&limit=50"));
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct ListQrCodes {
    query: ListQuery,
    format: Option<QrImageFormat>,
}

impl ListQrCodes {
    /// Every QR code, first page, with code, prefilled message and short link.
    pub fn new() -> Self {
        Self::default()
    }

    list_query_setters!(fields, paging);

    /// Also returns each image URL in this format.
    pub fn image_format(mut self, format: QrImageFormat) -> Self {
        self.format = Some(format);
        self
    }
}

impl Endpoint for ListQrCodes {
    type Output = Page<ListQrCodes>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = phone_url(ctx, &["message_qrdls"])?;
        qr_fields(&self.query, self.format.as_ref()).write(&mut url, &[], &[]);
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Page<ListQrCodes>, Error> {
        parse_page("QR code list", self, response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

impl Paginated for ListQrCodes {
    type Item = QrCode;

    fn with_after(&self, cursor: &str) -> Self {
        self.clone().after(cursor)
    }
}

/// Deletes a QR code: `DELETE /<PHONE_NUMBER_ID>/message_qrdls/<code>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct DeleteQrCode {
    code: String,
}

impl DeleteQrCode {
    /// Deletes QR code `code`.
    pub fn new(code: impl Into<String>) -> Self {
        Self { code: code.into() }
    }
}

impl Endpoint for DeleteQrCode {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        limits::id_unbounded("code", &self.code)?;
        let url = phone_url(ctx, &["message_qrdls", &self.code])?;
        ctx.empty_request(http::Method::DELETE, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("QR code deletion", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}
