//! Business usernames: claim, read, suggestions and delete (Meta's "Business-scoped user IDs"
//! page, section on usernames).

use super::phone_url;
use crate::endpoint::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::{Error, ValidationError};
use crate::limits;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use std::fmt;

/// The shortest username, in characters.
pub const USERNAME_MIN: usize = 3;
/// The longest username, in characters.
pub const USERNAME_MAX: usize = 35;

/// Endings that make a username look like a web domain, which Meta refuses.
const DOMAIN_SUFFIXES: &[&str] = &[
    "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "io", "co", "app", "dev", "ai",
    "me", "xyz", "online", "site", "shop", "store", "tech", "club", "live", "blog", "news", "tv",
    "us", "uk", "in", "br", "de", "fr", "es", "it", "mx", "id", "ru", "cn", "jp",
];

/// A business username, checked against Meta's format and normalized to lower case.
///
/// 3 to 35 characters of `a`-`z`, `0`-`9`, `.` and `_`, with at least one letter; no leading,
/// trailing or double dot; no `www` prefix; no domain ending such as `.com`. Usernames ignore
/// case, so the constructor lowers it.
///
/// ```
/// use whatsapp_cloud::endpoint::operations::Username;
/// assert_eq!(Username::new("Lucky.Shrub_2")?.as_str(), "lucky.shrub_2");
/// assert!(Username::new("luckyshrub.com").is_err());
/// assert!(Username::new("www.luckyshrub").is_err());
/// assert!(Username::new("lucky..shrub").is_err());
/// assert!(Username::new("1234").is_err()); // no letter
/// # Ok::<(), whatsapp_cloud::error::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    /// Checks and lowers `username`.
    ///
    /// # Errors
    /// A [`ValidationError`] on the field `username` naming the rule broken.
    pub fn new(username: impl AsRef<str>) -> Result<Self, ValidationError> {
        let value = username.as_ref().to_ascii_lowercase();
        let field = "username";
        let n = value.chars().count();
        if !(USERNAME_MIN..=USERNAME_MAX).contains(&n) {
            return Err(limits::invalid(field, &value, "3 to 35 characters"));
        }
        if let Some(c) = value
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '_'))
        {
            return Err(limits::invalid(
                field,
                &value,
                &format!("only letters a-z, digits, '.' and '_' ({c:?} is not allowed)"),
            ));
        }
        if !value.bytes().any(|b| b.is_ascii_lowercase()) {
            return Err(limits::invalid(field, &value, "at least one letter"));
        }
        if value.starts_with('.') || value.ends_with('.') || value.contains("..") {
            return Err(limits::invalid(
                field,
                &value,
                "no leading, trailing or consecutive '.'",
            ));
        }
        if value.starts_with("www") {
            return Err(limits::invalid(field, &value, "no \"www\" prefix"));
        }
        if let Some((_, last)) = value
            .rsplit_once('.')
            .filter(|(_, last)| DOMAIN_SUFFIXES.contains(last))
        {
            return Err(limits::invalid(
                field,
                &value,
                &format!("no domain ending such as \".{last}\""),
            ));
        }
        Ok(Self(value))
    }

    /// The username, in lower case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Username {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

crate::endpoint::paging::wire_enum! {
    /// What to do when another number of the same business portfolio holds the username.
    TransferAction {
        /// Fail with error 147005 (Meta's default).
        None = "none",
        /// Move the username to this number.
        ForceTransfer = "force_transfer",
    }
}

crate::endpoint::paging::wire_enum! {
    /// The state of a username (read ignoring case: Meta has sent both `approved` and `APPROVED`).
    UsernameStatus {
        /// Visible to WhatsApp users.
        Approved = "approved",
        /// Held for the number but not visible yet (not live in the user's region).
        Reserved = "reserved",
        /// Refused; see the rejection reasons.
        Rejected = "rejected",
        /// Under review.
        Pending = "pending",
    }
}

/// A number's username and its state, as the claim and the read return them.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UsernameState {
    /// The username; absent when the number has none.
    #[serde(default)]
    pub username: Option<String>,
    /// Its state.
    #[serde(default)]
    pub status: Option<UsernameStatus>,
    /// Why it was rejected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejection_reasons: Vec<String>,
}

/// Claims or changes the number's username: `POST /<PHONE_NUMBER_ID>/username`.
///
/// Errors: 147001 (taken), 147002 (number not eligible), 147003 and 147004 (link a Facebook page or
/// Instagram account first), 147005 (held by another number of the portfolio: claim with
/// [`TransferAction::ForceTransfer`]), 133010 (number not registered).
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::{ClaimUsername, TransferAction, Username, UsernameStatus};
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let claim = ClaimUsername::new(Username::new("LuckyShrub")?).transfer_action(TransferAction::ForceTransfer);
/// assert_eq!(claim.to_request(&ctx)?.body().as_slice(), br#"{"username":"luckyshrub","transfer_action":"force_transfer"}"#);
/// let answer = http::Response::new(br#"{"status":"RESERVED"}"#.to_vec());
/// assert_eq!(claim.parse_response(answer)?.status, Some(UsernameStatus::Reserved));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct ClaimUsername {
    username: Username,
    transfer_action: Option<TransferAction>,
}

impl ClaimUsername {
    /// Claims `username`.
    pub fn new(username: Username) -> Self {
        Self {
            username,
            transfer_action: None,
        }
    }

    /// What to do when another number of the portfolio holds the username.
    pub fn transfer_action(mut self, action: TransferAction) -> Self {
        self.transfer_action = Some(action);
        self
    }
}

impl Endpoint for ClaimUsername {
    type Output = UsernameState;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = phone_url(ctx, &["username"])?;
        ctx.json_request(http::Method::POST, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<UsernameState, Error> {
        parse_json("username claim", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Reads the number's username: `GET /<PHONE_NUMBER_ID>/username`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct GetUsername {}

impl GetUsername {
    /// The number's username and its state.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Endpoint for GetUsername {
    type Output = UsernameState;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = phone_url(ctx, &["username"])?;
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<UsernameState, Error> {
        parse_json("username", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Reads the usernames Meta reserved for the number: `GET /<PHONE_NUMBER_ID>/username_suggestions`.
///
/// ```
/// use whatsapp_cloud::endpoint::Endpoint;
/// use whatsapp_cloud::endpoint::operations::GetUsernameSuggestions;
///
/// let answer = http::Response::new(br#"{"data":[{"username_suggestions":["luckyshrub","lucky_shrub"]}]}"#.to_vec());
/// assert_eq!(GetUsernameSuggestions::new().parse_response(answer)?, ["luckyshrub", "lucky_shrub"]);
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct GetUsernameSuggestions {}

impl GetUsernameSuggestions {
    /// The suggestions for the number.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Endpoint for GetUsernameSuggestions {
    type Output = Vec<String>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = phone_url(ctx, &["username_suggestions"])?;
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Vec<String>, Error> {
        #[derive(Deserialize)]
        struct Item {
            #[serde(default)]
            username_suggestions: Vec<String>,
        }
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            data: Vec<Item>,
        }
        let raw: Raw = parse_json("username suggestions", response)?;
        Ok(raw
            .data
            .into_iter()
            .flat_map(|i| i.username_suggestions)
            .collect())
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Deletes the number's username: `DELETE /<PHONE_NUMBER_ID>/username`; or, with
/// [`requested`](Self::requested), withdraws a username request still under review:
/// `DELETE /<PHONE_NUMBER_ID>/requested_username` (documented by Meta's 2025 username page).
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::DeleteUsername;
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let request = DeleteUsername::requested().to_request(&ctx)?;
/// assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/106540352242922/requested_username");
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct DeleteUsername {
    requested: bool,
}

impl DeleteUsername {
    /// Deletes the username.
    pub fn new() -> Self {
        Self::default()
    }

    /// Withdraws the pending username request instead.
    pub fn requested() -> Self {
        Self { requested: true }
    }
}

impl Endpoint for DeleteUsername {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let segment = if self.requested {
            "requested_username"
        } else {
            "username"
        };
        let url = phone_url(ctx, &[segment])?;
        ctx.empty_request(http::Method::DELETE, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("username deletion", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}
