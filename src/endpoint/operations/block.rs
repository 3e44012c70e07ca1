//! Blocking and unblocking users, and the blocklist (Meta's "Block users" page).

use super::phone_url;
use crate::endpoint::paging::{
    ListQuery, Page, Paginated, Paging, list_query_setters, page_from_parts,
};
use crate::endpoint::{ApiContext, Endpoint, Idempotency, parse_json};
use crate::error::{ApiError, Error, ErrorClass, ErrorObject, ValidationError, Violation};
use crate::ids::{Recipient, UserId};
use crate::limits;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};

/// The most users one block or unblock request may name.
pub const BLOCK_USERS_MAX: usize = 1_000;

/// The users of a block or unblock request, each by phone number (`user`) or by business-scoped user
/// id (`user_id`), never both.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Users(Vec<Recipient>);

impl Users {
    fn validate(&self) -> Result<(), ValidationError> {
        limits::count("block_users", self.0.len(), 1, BLOCK_USERS_MAX)?;
        for (i, user) in self.0.iter().enumerate() {
            let field = || format!("block_users[{i}]");
            match user {
                Recipient::Phone(phone) => {
                    limits::id_unbounded(&format!("{}.user", field()), phone)?
                }
                Recipient::UserId(id) => {
                    limits::bsuid(&format!("{}.user_id", field()), id.as_str())?
                }
                Recipient::PhoneAndUserId { .. } => {
                    return Err(ValidationError::new(
                        field(),
                        Violation::ExactlyOneOf {
                            fields: vec!["user".to_owned(), "user_id".to_owned()],
                            set: 2,
                        },
                    ));
                }
                _ => {
                    return Err(limits::invalid(
                        field(),
                        user.as_str(),
                        "a user's phone number or business-scoped user id (groups cannot be blocked)",
                    ));
                }
            }
        }
        Ok(())
    }
}

struct Entry<'a>(&'a Recipient);

impl Serialize for Entry<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        match self.0.phone_number() {
            Some(phone) => map.serialize_entry("user", phone)?,
            None => map.serialize_entry("user_id", self.0.as_str())?,
        }
        map.end()
    }
}

#[derive(Serialize)]
struct Body<'a> {
    messaging_product: &'static str,
    block_users: Vec<Entry<'a>>,
}

fn users_request(
    ctx: &ApiContext,
    method: http::Method,
    users: &Users,
) -> Result<http::Request<Vec<u8>>, Error> {
    users.validate()?;
    let url = phone_url(ctx, &["block_users"])?;
    let body = Body {
        messaging_product: "whatsapp",
        block_users: users.0.iter().map(Entry).collect(),
    };
    ctx.json_request(method, &url, &body)
}

/// Blocks users: `POST /<PHONE_NUMBER_ID>/block_users`.
///
/// Only users who messaged the business in the last 24 hours can be blocked (else error 131047),
/// at most 1,000 per request, and the blocklist holds at most 64,000 users (error 139101). When some
/// users cannot be blocked Meta answers HTTP 400 with both lists and an error (139100): the parse
/// returns a [`BlockOutcome`] with both, never the error alone.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::BlockUsers;
/// use whatsapp_cloud::Recipient;
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let block = BlockUsers::new([Recipient::phone("+16315551234"), Recipient::user_id("US.13491208655302741918")]);
/// let request = block.to_request(&ctx)?;
/// assert_eq!(
///     request.body().as_slice(),
///     br#"{"messaging_product":"whatsapp","block_users":[{"user":"+16315551234"},{"user_id":"US.13491208655302741918"}]}"#
/// );
/// let answer = http::Response::builder().status(400).body(br#"{"messaging_product":"whatsapp",
///   "block_users":{"added_users":[{"input":"+16315551234","wa_id":"16315551234"}],
///     "failed_users":[{"input":"US.13491208655302741918","errors":[{"message":"Re-engagement message","code":131047}]}]},
///   "error":{"message":"(#139100) Failed to block/unblock users","type":"OAuthException","code":139100}}"#.to_vec())?;
/// let outcome = block.parse_response(answer)?;
/// assert_eq!(outcome.added[0].wa_id.as_deref(), Some("16315551234"));
/// assert_eq!(outcome.failed[0].errors[0].code, 131047);
/// assert!(!outcome.is_complete());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct BlockUsers {
    users: Users,
}

impl BlockUsers {
    /// Blocks these users (1 to 1,000), each a phone number or a business-scoped user id.
    pub fn new(users: impl IntoIterator<Item = Recipient>) -> Self {
        Self {
            users: Users(users.into_iter().collect()),
        }
    }

    /// The users to block.
    pub fn users(&self) -> &[Recipient] {
        &self.users.0
    }
}

impl Endpoint for BlockUsers {
    type Output = BlockOutcome;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        users_request(ctx, http::Method::POST, &self.users)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<BlockOutcome, Error> {
        let raw = parse_outcome("block users answer", response)?;
        Ok(BlockOutcome {
            added: raw.lists.added_users,
            failed: raw.lists.failed_users,
            error: raw.error,
        })
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Unblocks users: `DELETE /<PHONE_NUMBER_ID>/block_users` with the same body as [`BlockUsers`].
///
/// Meta answers with `removed_users`; an older page showed `added_users` in this answer, so both
/// are read into [`UnblockOutcome::removed`]. A partial failure comes back as for blocking.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::UnblockUsers;
/// use whatsapp_cloud::Recipient;
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let unblock = UnblockUsers::new([Recipient::phone("16315551234")]);
/// assert_eq!(unblock.to_request(&ctx)?.method(), http::Method::DELETE);
/// let answer = http::Response::new(br#"{"messaging_product":"whatsapp","block_users":{"removed_users":[{"input":"16315551234","wa_id":"16315551234"}]}}"#.to_vec());
/// assert_eq!(unblock.parse_response(answer)?.removed.len(), 1);
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct UnblockUsers {
    users: Users,
}

impl UnblockUsers {
    /// Unblocks these users (1 to 1,000), each a phone number or a business-scoped user id.
    pub fn new(users: impl IntoIterator<Item = Recipient>) -> Self {
        Self {
            users: Users(users.into_iter().collect()),
        }
    }

    /// The users to unblock.
    pub fn users(&self) -> &[Recipient] {
        &self.users.0
    }
}

impl Endpoint for UnblockUsers {
    type Output = UnblockOutcome;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        users_request(ctx, http::Method::DELETE, &self.users)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<UnblockOutcome, Error> {
        let raw = parse_outcome("unblock users answer", response)?;
        let mut removed = raw.lists.removed_users;
        removed.extend(raw.lists.added_users);
        Ok(UnblockOutcome {
            removed,
            failed: raw.lists.failed_users,
            error: raw.error,
        })
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// A user Meta blocked, unblocked or lists as blocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BlockedUser {
    /// The phone number or user id as sent (absent in the blocklist).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// The user's WhatsApp id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wa_id: Option<String>,
    /// The user's business-scoped user id, when Meta sends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
}

/// A user Meta could not block or unblock, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FailedUser {
    /// The phone number or user id as sent.
    pub input: String,
    /// The user's WhatsApp id, when Meta knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wa_id: Option<String>,
    /// Why: such as 131047 (the user has not messaged in the last 24 hours).
    #[serde(default)]
    pub errors: Vec<ErrorObject>,
}

/// What a [`BlockUsers`] call did: who was blocked, who was not and why, and the error Meta sends
/// with a partial failure.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct BlockOutcome {
    /// The users now blocked.
    pub added: Vec<BlockedUser>,
    /// The users that could not be blocked, each with its errors.
    pub failed: Vec<FailedUser>,
    /// The request-level error of a partial failure (139100), when Meta sent one.
    pub error: Option<ErrorObject>,
}

impl BlockOutcome {
    /// True when every user was blocked (no failed user, no error).
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty() && self.error.is_none()
    }

    /// The class of the request-level error, when there is one.
    pub fn error_class(&self) -> Option<ErrorClass> {
        self.error.as_ref().map(ErrorObject::class)
    }
}

/// What an [`UnblockUsers`] call did.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UnblockOutcome {
    /// The users no longer blocked.
    pub removed: Vec<BlockedUser>,
    /// The users that could not be unblocked, each with its errors.
    pub failed: Vec<FailedUser>,
    /// The request-level error of a partial failure (139100), when Meta sent one.
    pub error: Option<ErrorObject>,
}

impl UnblockOutcome {
    /// True when every user was unblocked (no failed user, no error).
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty() && self.error.is_none()
    }

    /// The class of the request-level error, when there is one.
    pub fn error_class(&self) -> Option<ErrorClass> {
        self.error.as_ref().map(ErrorObject::class)
    }
}

#[derive(Deserialize, Default)]
struct Lists {
    #[serde(default)]
    added_users: Vec<BlockedUser>,
    #[serde(default)]
    removed_users: Vec<BlockedUser>,
    #[serde(default)]
    failed_users: Vec<FailedUser>,
}

#[derive(Deserialize)]
struct RawOutcome {
    #[serde(rename = "block_users")]
    lists: Lists,
    #[serde(default)]
    error: Option<ErrorObject>,
}

/// A success body, or an error body that carries the `block_users` lists (a partial failure);
/// any other error body is an [`Error::Api`].
fn parse_outcome<B: AsRef<[u8]>>(
    what: &'static str,
    response: http::Response<B>,
) -> Result<RawOutcome, Error> {
    if response.status().is_success() {
        return parse_json(what, response);
    }
    let body = response.body().as_ref();
    match serde_json::from_slice::<RawOutcome>(body) {
        Ok(raw) => Ok(raw),
        Err(_) => Err(Error::from(ApiError::from_response(
            response.status().as_u16(),
            crate::endpoint::retry_after(response.headers()),
            body,
        ))),
    }
}

/// Lists the blocked users: `GET /<PHONE_NUMBER_ID>/block_users?limit=&after=&before=`.
///
/// Meta answers `{"data":[{"messaging_product":"whatsapp","wa_id":"…"}],"paging":{…}}`; an older
/// page showed each item as `{"block_users":[…]}`: both are read. Error 139102 means the blocklist
/// changed while paging: start again from the first page.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::ListBlockedUsers;
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let list = ListBlockedUsers::new().limit(100);
/// assert_eq!(list.to_request(&ctx)?.uri().query(), Some("limit=100"));
/// let older = http::Response::new(br#"{"data":[{"block_users":[{"messaging_product":"whatsapp","wa_id":"16315551234"}]}]}"#.to_vec());
/// assert_eq!(list.parse_response(older)?.items()[0].wa_id.as_deref(), Some("16315551234"));
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct ListBlockedUsers {
    query: ListQuery,
}

impl ListBlockedUsers {
    /// The first page of the blocklist.
    pub fn new() -> Self {
        Self::default()
    }

    list_query_setters!(fields, paging);
}

/// One item of the blocklist: a user, or (older page) a group of users.
#[derive(Deserialize)]
#[serde(untagged)]
enum ListItem {
    Grouped { block_users: Vec<BlockedUser> },
    User(BlockedUser),
}

impl Endpoint for ListBlockedUsers {
    type Output = Page<ListBlockedUsers>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = phone_url(ctx, &["block_users"])?;
        self.query.write(&mut url, &[], &[]);
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Page<ListBlockedUsers>, Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            data: Vec<ListItem>,
            #[serde(default)]
            paging: Option<Paging>,
        }
        let raw: Raw = parse_json("blocked users list", response)?;
        let mut items = Vec::with_capacity(raw.data.len());
        for item in raw.data {
            match item {
                ListItem::Grouped { block_users } => items.extend(block_users),
                ListItem::User(user) => items.push(user),
            }
        }
        Ok(page_from_parts(self, items, raw.paging))
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

impl Paginated for ListBlockedUsers {
    type Item = BlockedUser;

    fn with_after(&self, cursor: &str) -> Self {
        self.clone().after(cursor)
    }
}
