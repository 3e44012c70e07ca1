//! Removing participants and handling join requests.

use super::manage::{check_limit, group_url};
use super::{Accepted, FailedJoinRequest, GROUP_PARTICIPANTS_MAX, GroupUser, JoinRequest};
use crate::endpoint::paging::{ListQuery, Page, Paginated, list_query_setters, parse_page};
use crate::endpoint::{ApiContext, Endpoint, Idempotency, parse_json};
use crate::error::{Error, ErrorObject, ValidationError, Violation};
use crate::ids::{GroupId, RequestId};
use crate::limits;
use serde::{Deserialize, Deserializer, Serialize};
use serde_with::skip_serializing_none;

/// Removes participants from a group: `DELETE /<GROUP_ID>/participants` with
/// `{"messaging_product": "whatsapp", "participants": [{"user": …} | {"user_id": …}]}`.
///
/// Each entry names a user by phone number or by business-scoped user id, never both
/// ([`GroupUser`]); one call names 1 to 8 users. Removed users cannot rejoin through the invite
/// link. Meta answers with a request id; a `group_participants_update` webhook lists who was
/// removed and who could not be.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::groups::{GroupUser, RemoveParticipants};
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let remove = RemoveParticipants::new("Y2FwaV9ncm91cDox",
///     [GroupUser::phone("16505551234"), GroupUser::user_id("US.13491208655302741918")]);
/// let request = remove.to_request(&ctx)?;
/// assert_eq!(request.method(), http::Method::DELETE);
/// assert_eq!(request.uri(), "https://graph.facebook.com/v26.0/Y2FwaV9ncm91cDox/participants");
/// assert_eq!(request.body().as_slice(), br#"{"messaging_product":"whatsapp","participants":[{"user":"16505551234"},{"user_id":"US.13491208655302741918"}]}"#);
/// // Nine users are too many.
/// let nine = (0..9).map(|i| GroupUser::phone(format!("1650555123{i}")));
/// assert!(RemoveParticipants::new("Y2FwaV9ncm91cDox", nine).to_request(&ctx).is_err());
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct RemoveParticipants {
    #[serde(skip)]
    id: GroupId,
    messaging_product: &'static str,
    participants: Vec<GroupUser>,
}

impl RemoveParticipants {
    /// Removes `participants` (1 to 8) from group `group_id`.
    pub fn new(
        group_id: impl Into<GroupId>,
        participants: impl IntoIterator<Item = GroupUser>,
    ) -> Self {
        Self {
            id: group_id.into(),
            messaging_product: "whatsapp",
            participants: participants.into_iter().collect(),
        }
    }

    /// The users to remove.
    pub fn participants(&self) -> &[GroupUser] {
        &self.participants
    }

    /// Checks the count (1 to 8), that no entry is blank and that none is listed twice.
    ///
    /// # Errors
    /// `participants`, or `participants[i].user` / `participants[i].user_id`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let count = self.participants.len();
        if count == 0 {
            return Err(ValidationError::new(
                "participants",
                Violation::TooFew { min: 1, actual: 0 },
            ));
        }
        if count > GROUP_PARTICIPANTS_MAX {
            return Err(ValidationError::new(
                "participants",
                Violation::TooMany {
                    max: GROUP_PARTICIPANTS_MAX,
                    actual: count,
                },
            ));
        }
        for (i, user) in self.participants.iter().enumerate() {
            let field = match user {
                GroupUser::Phone(_) => format!("participants[{i}].user"),
                GroupUser::UserId(_) => format!("participants[{i}].user_id"),
            };
            limits::id_unbounded(&field, user.as_str())?;
            if self.participants[..i].contains(user) {
                return Err(ValidationError::new(
                    field,
                    Violation::Duplicate {
                        value: user.as_str().to_owned(),
                    },
                ));
            }
        }
        Ok(())
    }
}

impl Endpoint for RemoveParticipants {
    type Output = Accepted;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = group_url(ctx, &self.id, &["participants"])?;
        ctx.json_request(http::Method::DELETE, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Accepted, Error> {
        parse_json("group participants removal", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// Lists a group's open join requests: `GET /<GROUP_ID>/join_requests`, in pages.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct ListJoinRequests {
    id: GroupId,
    query: ListQuery,
}

impl ListJoinRequests {
    /// The first page of group `group_id`'s join requests.
    pub fn new(group_id: impl Into<GroupId>) -> Self {
        Self {
            id: group_id.into(),
            query: ListQuery::new(),
        }
    }

    list_query_setters!(fields, paging);
}

impl Endpoint for ListJoinRequests {
    type Output = Page<ListJoinRequests>;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        check_limit(&self.query, u32::MAX)?;
        let mut url = group_url(ctx, &self.id, &["join_requests"])?;
        self.query.write(&mut url, &[], &[]);
        ctx.empty_request(http::Method::GET, &url)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Page<ListJoinRequests>, Error> {
        parse_page("group join requests", self, response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

impl Paginated for ListJoinRequests {
    type Item = JoinRequest;

    fn with_after(&self, cursor: &str) -> Self {
        self.clone().after(cursor)
    }
}

/// The body of an approval or a rejection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Decision {
    #[serde(skip)]
    id: GroupId,
    messaging_product: &'static str,
    join_requests: Vec<String>,
}

impl Decision {
    fn new(id: GroupId, join_requests: Vec<String>) -> Self {
        Self {
            id,
            messaging_product: "whatsapp",
            join_requests,
        }
    }

    fn validate(&self) -> Result<(), ValidationError> {
        if self.join_requests.is_empty() {
            return Err(ValidationError::new(
                "join_requests",
                Violation::TooFew { min: 1, actual: 0 },
            ));
        }
        for (i, id) in self.join_requests.iter().enumerate() {
            limits::id_unbounded(&format!("join_requests[{i}]"), id)?;
        }
        Ok(())
    }

    fn request(
        &self,
        ctx: &ApiContext,
        method: http::Method,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = group_url(ctx, &self.id, &["join_requests"])?;
        ctx.json_request(method, &url, self)
    }
}

macro_rules! join_request_decision {
    ($(#[$meta:meta])* $name:ident, $method:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[must_use]
        pub struct $name(Decision);

        impl $name {
            /// Decides on `join_requests` (at least one) of group `group_id`.
            pub fn new<I, S>(group_id: impl Into<GroupId>, join_requests: I) -> Self
            where
                I: IntoIterator<Item = S>,
                S: Into<String>,
            {
                Self(Decision::new(
                    group_id.into(),
                    join_requests.into_iter().map(Into::into).collect(),
                ))
            }

            /// Checks that at least one request is named and none is blank.
            ///
            /// # Errors
            /// `join_requests` or `join_requests[i]`.
            pub fn validate(&self) -> Result<(), ValidationError> {
                self.0.validate()
            }
        }

        impl Endpoint for $name {
            type Output = JoinRequestsAnswer;

            fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
                self.0.request(ctx, http::Method::$method)
            }

            fn parse_response<B: AsRef<[u8]>>(
                &self,
                response: http::Response<B>,
            ) -> Result<JoinRequestsAnswer, Error> {
                parse_json($what, response)
            }
        }
    };
}

join_request_decision! {
    /// Approves join requests: `POST /<GROUP_ID>/join_requests` with
    /// `{"messaging_product": "whatsapp", "join_requests": ["<id>", …]}`.
    ///
    /// ```
    /// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
    /// use whatsapp_cloud::endpoint::groups::ApproveJoinRequests;
    ///
    /// let ctx = ApiContext::new("token", "106540352242922");
    /// let approve = ApproveJoinRequests::new("Y2FwaV9ncm91cDox", ["MTIzNDU2"]);
    /// let request = approve.to_request(&ctx)?;
    /// assert_eq!(request.method(), http::Method::POST);
    /// assert_eq!(request.body().as_slice(), br#"{"messaging_product":"whatsapp","join_requests":["MTIzNDU2"]}"#);
    /// let answer = approve.parse_response(http::Response::new(
    ///     br#"{"messaging_product":"whatsapp","approved_join_requests":["MTIzNDU2"]}"#.to_vec()))?;
    /// assert_eq!(answer.approved_join_requests, ["MTIzNDU2"]);
    /// # Ok::<(), whatsapp_cloud::Error>(())
    /// ```
    ApproveJoinRequests, POST, "join request approval"
}

join_request_decision! {
    /// Rejects join requests: `DELETE /<GROUP_ID>/join_requests` with
    /// `{"messaging_product": "whatsapp", "join_requests": ["<id>", …]}`.
    RejectJoinRequests, DELETE, "join request rejection"
}

/// Meta's answer to [`ApproveJoinRequests`] and [`RejectJoinRequests`].
///
/// Meta's reference shows the lists (`approved_join_requests` or `rejected_join_requests`, and
/// `failed_join_requests` with their errors); other readings of the API get a `request_id` whose
/// outcome comes by webhook. Both are read. A partial success (HTTP 206, error 131201) keeps the
/// lists and the error.
///
/// ```
/// use whatsapp_cloud::endpoint::groups::JoinRequestsAnswer;
/// let async_form: JoinRequestsAnswer = serde_json::from_str(r#"{"request_id":"7F3A"}"#)?;
/// assert_eq!(async_form.request_id.as_ref().map(|r| r.as_str()), Some("7F3A"));
/// let lists: JoinRequestsAnswer = serde_json::from_str(r#"{"rejected_join_requests":["A"],
///     "failed_join_requests":[{"join_request_id":"B","errors":[{"code":131213,"message":"not found"}]}]}"#)?;
/// assert_eq!(lists.rejected_join_requests, ["A"]);
/// assert_eq!(lists.failed_join_requests[0].errors[0].code, 131213);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JoinRequestsAnswer {
    /// The requests approved.
    #[serde(default, deserialize_with = "join_request_ids")]
    pub approved_join_requests: Vec<String>,
    /// The requests rejected.
    #[serde(default, deserialize_with = "join_request_ids")]
    pub rejected_join_requests: Vec<String>,
    /// The requests that could not be handled, and why.
    #[serde(default)]
    pub failed_join_requests: Vec<FailedJoinRequest>,
    /// The request id, when Meta answers asynchronously.
    #[serde(default)]
    pub request_id: Option<RequestId>,
    /// The error of a partial success.
    #[serde(default)]
    pub error: Option<ErrorObject>,
}

/// A list of join request ids, each a string or `{"join_request_id": …}`.
fn join_request_ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Entry {
        Id(String),
        Object { join_request_id: String },
    }
    Ok(Option::<Vec<Entry>>::deserialize(d)?
        .unwrap_or_default()
        .into_iter()
        .map(|e| match e {
            Entry::Id(id)
            | Entry::Object {
                join_request_id: id,
            } => id,
        })
        .collect())
}
