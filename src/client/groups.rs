//! The Groups API over the client: shortcuts for the [`endpoint::groups`](crate::endpoint::groups)
//! calls, and the paged lists as streams.

use super::Client;
use crate::endpoint::groups::{
    Accepted, ApproveJoinRequests, CreateGroup, DeleteGroup, GetGroup, GetGroupAnalytics,
    GetInviteLink, GroupAnalytics, GroupField, GroupInfo, GroupSummary, GroupUser, InviteLink,
    JoinRequest, JoinRequestsAnswer, ListGroups, ListJoinRequests, RejectJoinRequests,
    RemoveParticipants, ResetInviteLink, UpdateGroup,
};
use crate::error::Error;
use crate::ids::{GroupId, RequestId};
use futures_util::Stream;

impl Client {
    /// Creates a group on the client's number; the answer is the request id its
    /// `group_lifecycle_update` webhook will carry, with the group's id and invite link.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::endpoint::groups::{CreateGroup, GroupRequestKind, GroupRequests};
    /// let mut requests = GroupRequests::new(600);
    /// let request_id = client.create_group(&CreateGroup::new("Order 42 support")).await?;
    /// requests.register(request_id, GroupRequestKind::Create, "order-42", 1_764_000_000);
    /// // ... then hand each webhook event to `requests.resolve(&event)`.
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`] before sending (subject, description), [`Error::Config`] without a
    /// phone number id, API and transport errors.
    pub async fn create_group(&self, group: &CreateGroup) -> Result<RequestId, Error> {
        self.send(group).await
    }

    /// Every active group of the client's number, across pages, fetched a page at a time on demand.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use futures_util::TryStreamExt;
    /// let groups: Vec<_> = client.groups().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn groups(&self) -> impl Stream<Item = Result<GroupSummary, Error>> + '_ {
        self.items(ListGroups::new())
    }

    /// Reads a group with every documented field.
    ///
    /// # Errors
    /// API errors (131041 for an unknown group), transport errors.
    pub async fn group(&self, group_id: impl Into<GroupId>) -> Result<GroupInfo, Error> {
        self.send(&GetGroup::new(group_id).fields(GroupField::ALL))
            .await
    }

    /// Changes a group's subject, description or picture.
    ///
    /// # Errors
    /// [`Error::Validation`] before sending (nothing to change, limits, a picture that is not a
    /// square JPEG larger than 192 pixels), API and transport errors.
    pub async fn update_group(&self, update: &UpdateGroup) -> Result<Accepted, Error> {
        self.send(update).await
    }

    /// A group's invite link.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn group_invite_link(
        &self,
        group_id: impl Into<GroupId>,
    ) -> Result<InviteLink, Error> {
        self.send(&GetInviteLink::new(group_id)).await
    }

    /// Mints a new invite link for a group; older links stop working.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn reset_group_invite_link(
        &self,
        group_id: impl Into<GroupId>,
    ) -> Result<InviteLink, Error> {
        self.send(&ResetInviteLink::new(group_id)).await
    }

    /// Removes participants (1 to 8) from a group.
    ///
    /// # Errors
    /// [`Error::Validation`] before sending (none, more than 8, one listed twice), API and
    /// transport errors.
    pub async fn remove_group_participants(
        &self,
        group_id: impl Into<GroupId>,
        participants: impl IntoIterator<Item = GroupUser>,
    ) -> Result<Accepted, Error> {
        self.send(&RemoveParticipants::new(group_id, participants))
            .await
    }

    /// Every open join request of a group, across pages.
    pub fn group_join_requests(
        &self,
        group_id: impl Into<GroupId>,
    ) -> impl Stream<Item = Result<JoinRequest, Error>> + '_ {
        self.items(ListJoinRequests::new(group_id))
    }

    /// Approves join requests of a group.
    ///
    /// # Errors
    /// [`Error::Validation`] for no request, API and transport errors.
    pub async fn approve_group_join_requests<I, S>(
        &self,
        group_id: impl Into<GroupId>,
        join_requests: I,
    ) -> Result<JoinRequestsAnswer, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.send(&ApproveJoinRequests::new(group_id, join_requests))
            .await
    }

    /// Rejects join requests of a group.
    ///
    /// # Errors
    /// [`Error::Validation`] for no request, API and transport errors.
    pub async fn reject_group_join_requests<I, S>(
        &self,
        group_id: impl Into<GroupId>,
        join_requests: I,
    ) -> Result<JoinRequestsAnswer, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.send(&RejectJoinRequests::new(group_id, join_requests))
            .await
    }

    /// Deletes a group, removing everyone in it.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn delete_group(&self, group_id: impl Into<GroupId>) -> Result<Accepted, Error> {
        self.send(&DeleteGroup::new(group_id)).await
    }

    /// Reads a group's daily analytics (needs the account id).
    ///
    /// # Errors
    /// [`Error::Validation`] for a bad period, [`Error::Config`] without an account id, API and
    /// transport errors.
    pub async fn group_analytics(
        &self,
        analytics: &GetGroupAnalytics,
    ) -> Result<GroupAnalytics, Error> {
        self.send(analytics).await
    }
}
