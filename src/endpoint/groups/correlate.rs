//! Matching the asynchronous Groups API calls to the webhooks that carry their outcome.

use crate::error::ErrorObject;
use crate::ids::{GroupId, RequestId};
use crate::webhook::{
    Event, GroupLifecycleKind, GroupLifecycleUpdate, GroupParticipant, GroupParticipantsUpdate,
    GroupRef, GroupSettingChange, GroupSettingsUpdate,
};
use std::collections::HashMap;

/// What an asynchronous group call asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GroupRequestKind {
    /// [`CreateGroup`](super::CreateGroup).
    Create,
    /// [`UpdateGroup`](super::UpdateGroup).
    UpdateSettings,
    /// [`RemoveParticipants`](super::RemoveParticipants).
    RemoveParticipants,
    /// [`DeleteGroup`](super::DeleteGroup).
    Delete,
}

/// The settings an update changed (`group_settings_update`), each with whether it was applied.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct SettingsApplied {
    /// The new subject.
    pub subject: Option<GroupSettingChange>,
    /// The new description.
    pub description: Option<GroupSettingChange>,
    /// The new picture.
    pub profile_picture: Option<GroupSettingChange>,
}

impl SettingsApplied {
    /// True when every change reported was applied (`update_successful` not false, no errors).
    pub fn all_applied(&self) -> bool {
        [&self.subject, &self.description, &self.profile_picture]
            .into_iter()
            .flatten()
            .all(|c| c.update_successful != Some(false) && c.errors.is_empty())
    }
}

/// The users a removal took out of the group, and those it could not.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ParticipantsRemoved {
    /// Removed.
    pub removed: Vec<GroupParticipant>,
    /// Not removed, each with its errors.
    pub failed: Vec<GroupParticipant>,
}

/// The outcome of an asynchronous group call, read from its webhook.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum GroupOutcome {
    /// The group was created.
    Created {
        /// The new group.
        group_id: GroupId,
        /// Its invite link, to send to the users who should join.
        invite_link: Option<String>,
    },
    /// The group's settings changed.
    SettingsUpdated {
        /// The group.
        group_id: Option<GroupId>,
        /// What changed.
        settings: Box<SettingsApplied>,
    },
    /// Participants were removed (some may have failed).
    ParticipantsRemoved {
        /// The group.
        group_id: Option<GroupId>,
        /// Who was and was not removed.
        participants: ParticipantsRemoved,
    },
    /// The group was deleted.
    Deleted {
        /// The group.
        group_id: Option<GroupId>,
    },
    /// The call failed: the webhook carried errors (a create that failed has no group id).
    Failed {
        /// The group, when there is one.
        group_id: Option<GroupId>,
        /// Why.
        errors: Vec<ErrorObject>,
    },
    /// No webhook came before the request's deadline ([`GroupRequests::expire`]).
    Expired,
}

/// A request matched to its outcome, with what was registered for it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Resolved<T> {
    /// The request.
    pub request_id: RequestId,
    /// What it asked for.
    pub kind: GroupRequestKind,
    /// What the caller registered with it.
    pub tag: T,
    /// What came of it.
    pub outcome: GroupOutcome,
}

#[derive(Debug, Clone)]
struct Pending<T> {
    kind: GroupRequestKind,
    tag: T,
    deadline: u64,
}

/// Matches the request ids of asynchronous group calls to the webhooks that report their outcome.
///
/// Register each [`RequestId`] with what was asked and a tag of yours (an order number, a channel
/// to answer on), then hand it every group webhook event: the one whose `request_id` matches comes
/// back [`Resolved`] and the request is forgotten. Events for unknown ids (another process's, or
/// already resolved) give `None`. There is no clock inside: pass the time (unix seconds) to
/// [`register`](Self::register) and [`expire`](Self::expire), which hands back the requests whose
/// webhook never came.
///
/// ```
/// use whatsapp_cloud::endpoint::groups::{GroupOutcome, GroupRequestKind, GroupRequests};
/// use whatsapp_cloud::ids::RequestId;
/// use whatsapp_cloud::webhook::Payload;
///
/// let mut requests = GroupRequests::new(600);
/// requests.register(RequestId::new("6B8C4E2F1A"), GroupRequestKind::Create, "order-42", 1_764_000_000);
///
/// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"group_lifecycle_update",
///   "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"16315550100","phone_number_id":"106540352242922"},
///   "groups":[{"timestamp":"1764000030","group_id":"Y2FwaV9ncm91cDox","type":"group_create","request_id":"6B8C4E2F1A",
///     "subject":"Support","invite_link":"https://chat.whatsapp.com/AbCdEf"}]}}]}]}"#;
/// let payload = Payload::from_slice(body)?;
/// let resolved: Vec<_> = payload.events().filter_map(|e| requests.resolve(&e)).collect();
/// assert_eq!(resolved[0].tag, "order-42");
/// assert!(matches!(&resolved[0].outcome,
///     GroupOutcome::Created { group_id, invite_link: Some(link) } if group_id.as_str() == "Y2FwaV9ncm91cDox" && link.ends_with("AbCdEf")));
/// assert!(requests.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct GroupRequests<T = ()> {
    ttl: u64,
    pending: HashMap<RequestId, Pending<T>>,
}

impl<T> GroupRequests<T> {
    /// A correlator that gives up on a request `ttl_seconds` after registering it.
    pub fn new(ttl_seconds: u64) -> Self {
        Self {
            ttl: ttl_seconds,
            pending: HashMap::new(),
        }
    }

    /// Waits for the webhook of `request_id`, which asked for `kind`, from `now` (unix seconds).
    /// Registering an id again replaces the earlier entry.
    pub fn register(&mut self, request_id: RequestId, kind: GroupRequestKind, tag: T, now: u64) {
        let deadline = now.saturating_add(self.ttl);
        self.pending.insert(
            request_id,
            Pending {
                kind,
                tag,
                deadline,
            },
        );
    }

    /// How many requests are waiting.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// True when no request is waiting.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// True while `request_id` is waiting.
    pub fn is_pending(&self, request_id: &RequestId) -> bool {
        self.pending.contains_key(request_id)
    }

    /// Matches a webhook event: the outcome of a registered request, or `None` for events that are
    /// not group updates, carry no `request_id`, or carry one not registered here.
    pub fn resolve(&mut self, event: &Event<'_>) -> Option<Resolved<T>> {
        match event {
            Event::GroupLifecycle(e) => self.resolve_lifecycle(e.update()),
            Event::GroupParticipants(e) => self.resolve_participants(e.update()),
            Event::GroupSettings(e) => self.resolve_settings(e.update()),
            _ => None,
        }
    }

    /// Matches a `group_lifecycle_update` item (create or delete). An item of a kind this version
    /// does not know leaves the request pending.
    pub fn resolve_lifecycle(&mut self, update: &GroupLifecycleUpdate) -> Option<Resolved<T>> {
        if !matches!(
            update.kind,
            GroupLifecycleKind::Create | GroupLifecycleKind::Delete
        ) {
            return None;
        }
        let outcome = match (&update.kind, failed(&update.group)) {
            (_, Some(failed)) => failed,
            (GroupLifecycleKind::Create, None) => match &update.group.group_id {
                Some(group_id) => GroupOutcome::Created {
                    group_id: group_id.clone(),
                    invite_link: update.invite_link.clone(),
                },
                None => GroupOutcome::Failed {
                    group_id: None,
                    errors: Vec::new(),
                },
            },
            _ => GroupOutcome::Deleted {
                group_id: update.group.group_id.clone(),
            },
        };
        self.take(&update.group, outcome)
    }

    /// Matches a `group_participants_update` item (a removal by the business).
    pub fn resolve_participants(
        &mut self,
        update: &GroupParticipantsUpdate,
    ) -> Option<Resolved<T>> {
        let listed =
            !update.removed_participants.is_empty() || !update.failed_participants.is_empty();
        let outcome = match failed(&update.group) {
            Some(failed) if !listed => failed,
            _ => GroupOutcome::ParticipantsRemoved {
                group_id: update.group.group_id.clone(),
                participants: ParticipantsRemoved {
                    removed: update.removed_participants.clone(),
                    failed: update.failed_participants.clone(),
                },
            },
        };
        self.take(&update.group, outcome)
    }

    /// Matches a `group_settings_update` item.
    pub fn resolve_settings(&mut self, update: &GroupSettingsUpdate) -> Option<Resolved<T>> {
        let settings = SettingsApplied {
            subject: update.group_subject.clone(),
            description: update.group_description.clone(),
            profile_picture: update.profile_picture.clone(),
        };
        let reported = settings != SettingsApplied::default();
        let outcome = match failed(&update.group) {
            Some(failed) if !reported => failed,
            _ => GroupOutcome::SettingsUpdated {
                group_id: update.group.group_id.clone(),
                settings: Box::new(settings),
            },
        };
        self.take(&update.group, outcome)
    }

    /// Forgets the requests whose deadline passed by `now` and hands them back as
    /// [`GroupOutcome::Expired`].
    pub fn expire(&mut self, now: u64) -> Vec<Resolved<T>> {
        let due: Vec<RequestId> = self
            .pending
            .iter()
            .filter(|(_, p)| p.deadline <= now)
            .map(|(id, _)| id.clone())
            .collect();
        due.into_iter()
            .filter_map(|id| {
                let pending = self.pending.remove(&id)?;
                Some(Resolved {
                    request_id: id,
                    kind: pending.kind,
                    tag: pending.tag,
                    outcome: GroupOutcome::Expired,
                })
            })
            .collect()
    }

    fn take(&mut self, group: &GroupRef, outcome: GroupOutcome) -> Option<Resolved<T>> {
        let request_id = RequestId::new(group.request_id.as_deref()?);
        let pending = self.pending.remove(&request_id)?;
        Some(Resolved {
            request_id,
            kind: pending.kind,
            tag: pending.tag,
            outcome,
        })
    }
}

/// The failure an update reports with item-level errors.
fn failed(group: &GroupRef) -> Option<GroupOutcome> {
    (!group.errors.is_empty()).then(|| GroupOutcome::Failed {
        group_id: group.group_id.clone(),
        errors: group.errors.clone(),
    })
}
