//! Creating, listing, reading, updating and deleting groups, and their invite link.

use super::picture::check_group_picture;
use super::{
    Accepted, GROUP_DESCRIPTION_MAX, GROUP_SUBJECT_MAX, GroupField, GroupInfo, GroupSummary,
    InviteLink, JoinApprovalMode, LIST_GROUPS_LIMIT_MAX, RequestIdAnswer,
};
use crate::endpoint::media::multipart_form;
use crate::endpoint::paging::{ListQuery, Page, Paginated, list_query_setters, parse_keyed_page};
use crate::endpoint::{ApiContext, Endpoint, Idempotency, parse_json};
use crate::error::{Error, ValidationError, Violation};
use crate::ids::{GroupId, RequestId};
use crate::limits;
use serde::Serialize;
use serde_with::skip_serializing_none;
use std::fmt;
use url::Url;

/// `<base>/<version>/<GROUP_ID>/<rest...>`, refusing an empty group id.
pub(super) fn group_url(ctx: &ApiContext, id: &GroupId, rest: &[&str]) -> Result<Url, Error> {
    limits::id_unbounded("group_id", id.as_str())?;
    let mut segments = vec![id.as_str()];
    segments.extend_from_slice(rest);
    ctx.url(&segments)
}

/// A subject: not blank, at most 128 characters once trimmed.
fn check_subject(subject: &str) -> Result<(), ValidationError> {
    limits::non_blank("subject", subject)?;
    limits::max_chars("subject", subject.trim(), GROUP_SUBJECT_MAX)
}

fn check_description(description: &str) -> Result<(), ValidationError> {
    limits::max_chars("description", description, GROUP_DESCRIPTION_MAX)
}

/// `{"messaging_product": "whatsapp"}`, the body of calls that send nothing else.
#[derive(Serialize)]
pub(super) struct WhatsappOnly {
    pub(super) messaging_product: &'static str,
}

pub(super) const WHATSAPP: WhatsappOnly = WhatsappOnly {
    messaging_product: "whatsapp",
};

/// Creates a group: `POST /<PHONE_NUMBER_ID>/groups`.
///
/// Meta answers with a [`RequestId`]; the group's id and invite link come in the
/// `group_lifecycle_update` webhook carrying it (see
/// [`GroupRequests`](super::GroupRequests)).
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::groups::CreateGroup;
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let request = CreateGroup::new("  Support  ").description("Questions about your order").to_request(&ctx)?;
/// assert_eq!(request.body().as_slice(),
///     br#"{"messaging_product":"whatsapp","subject":"Support","description":"Questions about your order"}"#);
/// // A subject over 128 characters is refused before sending.
/// assert!(CreateGroup::new("x".repeat(129)).to_request(&ctx).is_err());
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateGroup {
    messaging_product: &'static str,
    subject: String,
    description: Option<String>,
    join_approval_mode: Option<JoinApprovalMode>,
}

impl CreateGroup {
    /// A group named `subject` (at most 128 characters; surrounding whitespace is trimmed).
    pub fn new(subject: impl Into<String>) -> Self {
        let subject: String = subject.into();
        Self {
            messaging_product: "whatsapp",
            subject: subject.trim().to_owned(),
            description: None,
            join_approval_mode: None,
        }
    }

    /// The description (at most 2048 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Whether joining needs approval (Meta's default: [`JoinApprovalMode::AutoApprove`]).
    pub fn join_approval_mode(mut self, mode: JoinApprovalMode) -> Self {
        self.join_approval_mode = Some(mode);
        self
    }

    /// The subject, trimmed.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// Checks the subject and description against Meta's limits.
    ///
    /// # Errors
    /// `subject` blank or over 128 characters, `description` over 2048 characters.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_subject(&self.subject)?;
        if let Some(description) = &self.description {
            check_description(description)?;
        }
        Ok(())
    }
}

impl Endpoint for CreateGroup {
    type Output = RequestId;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = ctx.url(&[ctx.require_phone_number_id()?.as_str(), "groups"])?;
        ctx.json_request(http::Method::POST, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<RequestId, Error> {
        parse_json::<RequestIdAnswer, _>("group creation", response).map(|a| a.request_id)
    }
}

/// Lists the number's active groups: `GET /<PHONE_NUMBER_ID>/groups`, in pages.
///
/// Meta answers `{"data": {"groups": [...]}, "paging": ...}` (`data` is an object); the page reads
/// that shape, and a plain list too.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::groups::ListGroups;
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let list = ListGroups::new().limit(2);
/// assert_eq!(list.to_request(&ctx)?.uri(), "https://graph.facebook.com/v26.0/106540352242922/groups?limit=2");
/// let page = list.parse_response(http::Response::new(br#"{"data":{"groups":[
///     {"id":"Y2FwaV9ncm91cDox","subject":"Support","created_at":1764000000}]},
///     "paging":{"cursors":{"after":"QVFI"},"next":"https://graph.facebook.com/v26.0/x?after=QVFI"}}"#.to_vec()))?;
/// assert_eq!(page.items()[0].subject.as_deref(), Some("Support"));
/// assert_eq!(page.next_page(), Some(ListGroups::new().limit(2).after("QVFI")));
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct ListGroups {
    query: ListQuery,
}

impl ListGroups {
    /// The first page, with Meta's default size (25 groups; [`limit`](Self::limit) takes 1 to 1024).
    pub fn new() -> Self {
        Self::default()
    }

    list_query_setters!(fields, paging);
}

/// A page size within `1..=max`.
pub(super) fn check_limit(query: &ListQuery, max: u32) -> Result<(), ValidationError> {
    match query.page_size() {
        Some(limit) if limit == 0 || limit > max => Err(ValidationError::new(
            "limit",
            Violation::OutOfRange {
                min: 1,
                max: i64::from(max),
                actual: i64::from(limit),
            },
        )),
        _ => Ok(()),
    }
}

impl Endpoint for ListGroups {
    type Output = Page<ListGroups>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        check_limit(&self.query, LIST_GROUPS_LIMIT_MAX)?;
        let mut url = ctx.url(&[ctx.require_phone_number_id()?.as_str(), "groups"])?;
        self.query.write(&mut url, &[], &[]);
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Page<ListGroups>, Error> {
        parse_keyed_page("group list", "groups", self, response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

impl Paginated for ListGroups {
    type Item = GroupSummary;

    fn with_after(&self, cursor: &str) -> Self {
        self.clone().after(cursor)
    }
}

/// Reads a group: `GET /<GROUP_ID>?fields=…`. Without fields Meta returns only the id.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::groups::{GetGroup, GroupField};
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let get = GetGroup::new("Y2FwaV9ncm91cDox").fields([GroupField::Subject, GroupField::TotalParticipantCount]);
/// assert_eq!(get.to_request(&ctx)?.uri(),
///     "https://graph.facebook.com/v26.0/Y2FwaV9ncm91cDox?fields=subject%2Ctotal_participant_count");
/// let info = get.parse_response(http::Response::new(
///     br#"{"id":"Y2FwaV9ncm91cDox","subject":"Support","total_participant_count":3}"#.to_vec()))?;
/// assert_eq!(info.total_participant_count, Some(3));
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetGroup {
    id: GroupId,
    fields: Vec<GroupField>,
}

impl GetGroup {
    /// Reads group `group_id` (only its id until [`fields`](Self::fields) is set).
    pub fn new(group_id: impl Into<GroupId>) -> Self {
        Self {
            id: group_id.into(),
            fields: Vec::new(),
        }
    }

    /// Asks for these fields ([`GroupField::ALL`] for every one).
    pub fn fields(mut self, fields: impl IntoIterator<Item = GroupField>) -> Self {
        self.fields = fields.into_iter().collect();
        self
    }
}

impl Endpoint for GetGroup {
    type Output = GroupInfo;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = group_url(ctx, &self.id, &[])?;
        if !self.fields.is_empty() {
            let fields: Vec<&str> = self.fields.iter().map(GroupField::as_str).collect();
            url.query_pairs_mut()
                .append_pair("fields", &fields.join(","));
        }
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<GroupInfo, Error> {
        parse_json("group info", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Changes a group's subject, description or profile picture: `POST /<GROUP_ID>` as
/// `multipart/form-data`.
///
/// The picture must be a square JPEG larger than 192 pixels on a side; the crate reads its size
/// from the JPEG header and refuses any other before sending. Meta answers with a request id; the
/// outcome comes in a `group_settings_update` webhook.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::groups::UpdateGroup;
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let request = UpdateGroup::new("Y2FwaV9ncm91cDox").subject("Support (EU)").to_request(&ctx)?;
/// let body = String::from_utf8(request.body().clone())?;
/// assert!(body.contains("name=\"messaging_product\"\r\n\r\nwhatsapp\r\n"));
/// assert!(body.contains("name=\"subject\"\r\n\r\nSupport (EU)\r\n"));
/// // A PNG is refused, naming the field.
/// let err = UpdateGroup::new("Y2FwaV9ncm91cDox").profile_picture(b"\x89PNG\r\n".to_vec()).to_request(&ctx).unwrap_err();
/// assert!(err.to_string().contains("profile_picture_file"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
#[must_use]
pub struct UpdateGroup {
    id: GroupId,
    subject: Option<String>,
    description: Option<String>,
    picture: Option<Vec<u8>>,
}

impl fmt::Debug for UpdateGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpdateGroup")
            .field("id", &self.id)
            .field("subject", &self.subject)
            .field("description", &self.description)
            .field("picture_bytes", &self.picture.as_ref().map(Vec::len))
            .finish()
    }
}

impl UpdateGroup {
    /// Edits group `group_id`; set at least one of subject, description and picture.
    pub fn new(group_id: impl Into<GroupId>) -> Self {
        Self {
            id: group_id.into(),
            subject: None,
            description: None,
            picture: None,
        }
    }

    /// The new subject (at most 128 characters; trimmed).
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        let subject: String = subject.into();
        self.subject = Some(subject.trim().to_owned());
        self
    }

    /// The new description (at most 2048 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The new profile picture: the bytes of a square JPEG larger than 192 pixels on a side.
    pub fn profile_picture(mut self, jpeg: impl Into<Vec<u8>>) -> Self {
        self.picture = Some(jpeg.into());
        self
    }

    /// Checks the fields against Meta's limits, and the picture's format and size.
    ///
    /// # Errors
    /// Nothing to change, `subject`, `description`, or `profile_picture_file` (not a JPEG, not
    /// square, 192 pixels or smaller; the error gives the size found).
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.subject.is_none() && self.description.is_none() && self.picture.is_none() {
            return Err(ValidationError::new(
                "subject|description|profile_picture_file",
                Violation::Missing,
            ));
        }
        if let Some(subject) = &self.subject {
            check_subject(subject)?;
        }
        if let Some(description) = &self.description {
            check_description(description)?;
        }
        if let Some(picture) = &self.picture {
            check_group_picture(picture)?;
        }
        Ok(())
    }
}

impl Endpoint for UpdateGroup {
    type Output = Accepted;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = group_url(ctx, &self.id, &[])?;
        let mut fields = vec![("messaging_product", "whatsapp")];
        if let Some(subject) = &self.subject {
            fields.push(("subject", subject));
        }
        if let Some(description) = &self.description {
            fields.push(("description", description));
        }
        let file = self.picture.as_deref().map(|bytes| {
            (
                "profile_picture_file",
                "profile_picture.jpg",
                "image/jpeg",
                bytes,
            )
        });
        multipart_form(ctx, &url, &fields, file)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Accepted, Error> {
        parse_json("group update", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Reads a group's invite link: `GET /<GROUP_ID>/invite_link`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct GetInviteLink {
    id: GroupId,
}

impl GetInviteLink {
    /// The invite link of group `group_id`.
    pub fn new(group_id: impl Into<GroupId>) -> Self {
        Self {
            id: group_id.into(),
        }
    }
}

impl Endpoint for GetInviteLink {
    type Output = InviteLink;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = group_url(ctx, &self.id, &["invite_link"])?;
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<InviteLink, Error> {
        parse_json("group invite link", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Mints a new invite link, invalidating every older one: `POST /<GROUP_ID>/invite_link` with
/// `{"messaging_product": "whatsapp"}`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::groups::ResetInviteLink;
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let request = ResetInviteLink::new("Y2FwaV9ncm91cDox").to_request(&ctx)?;
/// assert_eq!(request.method(), http::Method::POST);
/// assert_eq!(request.body().as_slice(), br#"{"messaging_product":"whatsapp"}"#);
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct ResetInviteLink {
    id: GroupId,
}

impl ResetInviteLink {
    /// Resets the invite link of group `group_id`.
    pub fn new(group_id: impl Into<GroupId>) -> Self {
        Self {
            id: group_id.into(),
        }
    }
}

impl Endpoint for ResetInviteLink {
    type Output = InviteLink;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = group_url(ctx, &self.id, &["invite_link"])?;
        ctx.json_request(http::Method::POST, &url, &WHATSAPP)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<InviteLink, Error> {
        parse_json("group invite link reset", response)
    }
}

/// Deletes a group, removing every participant and the business: `DELETE /<GROUP_ID>`.
///
/// Meta answers with a request id; a `group_lifecycle_update` webhook (`group_delete`) follows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct DeleteGroup {
    id: GroupId,
}

impl DeleteGroup {
    /// Deletes group `group_id`.
    pub fn new(group_id: impl Into<GroupId>) -> Self {
        Self {
            id: group_id.into(),
        }
    }
}

impl Endpoint for DeleteGroup {
    type Output = Accepted;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        let url = group_url(ctx, &self.id, &[])?;
        ctx.empty_request(http::Method::DELETE, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Accepted, Error> {
        parse_json("group deletion", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}
