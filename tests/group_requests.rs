//! The request_id correlator of the Groups API: group webhooks matched to the calls that asked
//! for them (create, update, participants removal, delete), unknown ids, errors and expiry.

use serde_json::{Value, json};
use whatsapp_cloud::endpoint::groups::{GroupOutcome, GroupRequestKind, GroupRequests, Resolved};
use whatsapp_cloud::error::{ErrorClass, GroupErrorKind};
use whatsapp_cloud::ids::RequestId;
use whatsapp_cloud::webhook::Payload;

const PHONE: &str = "106540352242922";
const WABA: &str = "102290129340398";
const GROUP: &str = "Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD";

fn delivery(field: &str, item: Value) -> Payload<'static> {
    let body = json!({"object": "whatsapp_business_account", "entry": [{"id": WABA, "changes": [{
        "field": field,
        "value": {"messaging_product": "whatsapp",
                  "metadata": {"display_phone_number": "16315550100", "phone_number_id": PHONE},
                  "groups": [item]}
    }]}]});
    Payload::from_slice(&serde_json::to_vec(&body).unwrap())
        .map(Payload::into_owned)
        .unwrap()
}

fn resolve_all<T: Clone>(
    requests: &mut GroupRequests<T>,
    payload: &Payload<'_>,
) -> Vec<Resolved<T>> {
    payload
        .events()
        .filter_map(|e| requests.resolve(&e))
        .collect()
}

#[test]
fn a_create_webhook_resolves_its_request_with_the_group_and_link() {
    let mut requests = GroupRequests::new(600);
    requests.register(RequestId::new("R1"), GroupRequestKind::Create, 7u32, 1_000);
    requests.register(RequestId::new("R2"), GroupRequestKind::Create, 8u32, 1_000);
    let created = delivery(
        "group_lifecycle_update",
        json!({"timestamp": "1764000030", "group_id": GROUP, "type": "group_create", "request_id": "R2",
               "subject": "Support", "invite_link": "https://chat.whatsapp.com/Xyz", "join_approval_mode": "auto_approve"}),
    );
    let resolved = resolve_all(&mut requests, &created);
    assert_eq!(resolved.len(), 1);
    assert_eq!(resolved[0].request_id, RequestId::new("R2"));
    assert_eq!(resolved[0].kind, GroupRequestKind::Create);
    assert_eq!(resolved[0].tag, 8);
    assert_eq!(
        resolved[0].outcome,
        GroupOutcome::Created {
            group_id: GROUP.into(),
            invite_link: Some("https://chat.whatsapp.com/Xyz".into())
        }
    );
    // Resolved once: the same delivery again matches nothing; R1 still waits.
    assert!(resolve_all(&mut requests, &created).is_empty());
    assert!(requests.is_pending(&RequestId::new("R1")));
    assert_eq!(requests.len(), 1);
}

#[test]
fn unknown_or_missing_request_ids_match_nothing() {
    let mut requests = GroupRequests::new(600);
    requests.register(RequestId::new("MINE"), GroupRequestKind::Delete, (), 0);
    let other = delivery(
        "group_lifecycle_update",
        json!({"group_id": GROUP, "type": "group_delete", "request_id": "SOMEONE-ELSES"}),
    );
    assert!(resolve_all(&mut requests, &other).is_empty());
    let without = delivery(
        "group_status_update",
        json!({"group_id": GROUP, "type": "group_suspend"}),
    );
    assert!(resolve_all(&mut requests, &without).is_empty());
    assert_eq!(requests.len(), 1);
}

#[test]
fn a_failed_create_resolves_with_its_errors() {
    let mut requests = GroupRequests::new(600);
    requests.register(RequestId::new("R3"), GroupRequestKind::Create, "order-9", 0);
    let failed = delivery(
        "group_lifecycle_update",
        json!({"timestamp": 1764000030, "type": "group_create", "request_id": "R3",
               "errors": [{"code": 131215, "message": "(#131215) Phone number not eligible", "title": "Not eligible"}]}),
    );
    let resolved = resolve_all(&mut requests, &failed);
    match &resolved[0].outcome {
        GroupOutcome::Failed { group_id, errors } => {
            assert_eq!(group_id, &None);
            assert_eq!(
                errors[0].class(),
                ErrorClass::Group(GroupErrorKind::NotEligible)
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn removals_and_settings_resolve_with_what_failed() {
    let mut requests = GroupRequests::new(600);
    requests.register(
        RequestId::new("RM"),
        GroupRequestKind::RemoveParticipants,
        (),
        0,
    );
    requests.register(
        RequestId::new("UP"),
        GroupRequestKind::UpdateSettings,
        (),
        0,
    );
    let removed = delivery(
        "group_participants_update",
        json!({"group_id": GROUP, "type": "group_participants_remove", "request_id": "RM", "initiated_by": "business",
               "removed_participants": [{"input": "16505551234", "wa_id": "16505551234"}],
               "failed_participants": [{"input": "16505550000", "errors": [{"code": 131212, "message": "not a participant"}]}]}),
    );
    match &resolve_all(&mut requests, &removed)[0].outcome {
        GroupOutcome::ParticipantsRemoved { participants, .. } => {
            assert_eq!(participants.removed[0].user.phone(), Some("16505551234"));
            assert_eq!(participants.failed[0].input.as_deref(), Some("16505550000"));
            assert_eq!(participants.failed[0].errors[0].code, 131212);
        }
        other => panic!("{other:?}"),
    }
    let updated = delivery(
        "group_settings_update",
        json!({"group_id": GROUP, "type": "group_settings_update", "request_id": "UP",
               "group_subject": {"text": "New", "update_successful": true},
               "profile_picture": {"mime_type": "image/jpeg", "sha256": "abc", "update_successful": false,
                                   "errors": [{"code": 131209, "message": "not square"}]}}),
    );
    match &resolve_all(&mut requests, &updated)[0].outcome {
        GroupOutcome::SettingsUpdated { settings, .. } => {
            assert_eq!(
                settings.subject.as_ref().and_then(|s| s.text.as_deref()),
                Some("New")
            );
            assert!(!settings.all_applied());
        }
        other => panic!("{other:?}"),
    }
    assert!(requests.is_empty());
}

#[test]
fn requests_without_a_webhook_expire_at_their_deadline() {
    let mut requests = GroupRequests::new(300);
    requests.register(RequestId::new("EARLY"), GroupRequestKind::Create, 1, 1_000);
    requests.register(RequestId::new("LATE"), GroupRequestKind::Delete, 2, 1_200);
    assert!(requests.expire(1_299).is_empty());
    let expired = requests.expire(1_300);
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].request_id, RequestId::new("EARLY"));
    assert_eq!(expired[0].outcome, GroupOutcome::Expired);
    // An expired request is forgotten: its late webhook matches nothing.
    let late = delivery(
        "group_lifecycle_update",
        json!({"group_id": GROUP, "type": "group_create", "request_id": "EARLY", "invite_link": "https://chat.whatsapp.com/L"}),
    );
    assert!(resolve_all(&mut requests, &late).is_empty());
    assert_eq!(requests.expire(1_500)[0].tag, 2);
    assert!(requests.is_empty());
}

#[test]
fn a_lifecycle_item_of_an_unknown_kind_leaves_the_request_pending() {
    let mut requests = GroupRequests::new(600);
    requests.register(RequestId::new("R9"), GroupRequestKind::Create, (), 0);
    let unknown = delivery(
        "group_lifecycle_update",
        json!({"group_id": GROUP, "type": "group_archive", "request_id": "R9"}),
    );
    assert!(resolve_all(&mut requests, &unknown).is_empty());
    assert!(requests.is_pending(&RequestId::new("R9")));
    let deleted = delivery(
        "group_lifecycle_update",
        json!({"group_id": GROUP, "type": "group_delete", "request_id": "R9"}),
    );
    let resolved = resolve_all(&mut requests, &deleted);
    assert_eq!(resolved.len(), 1);
    assert_eq!(
        resolved[0].outcome,
        GroupOutcome::Deleted {
            group_id: Some(GROUP.into())
        }
    );
}
