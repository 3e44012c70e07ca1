//! The fake Cloud API's Groups API: a group's life offline, with the webhooks the fake would
//! deliver matched to the calls by the request_id correlator.
#![cfg(feature = "testing")]

use futures_util::TryStreamExt;
use whatsapp_cloud::endpoint::groups::{
    CreateGroup, GroupOutcome, GroupRequestKind, GroupRequests, GroupUser, JoinApprovalMode,
    UpdateGroup,
};
use whatsapp_cloud::error::{ErrorClass, GroupErrorKind};
use whatsapp_cloud::ids::{GroupId, Recipient};
use whatsapp_cloud::message::{Message, SendMessage};
use whatsapp_cloud::testing::FakeCloudApi;
use whatsapp_cloud::webhook::{Payload, SignatureVerifier};

const SECRET: &str = "kit-groups-secret";

/// A JPEG header with a 400x400 baseline frame.
fn square_jpeg() -> Vec<u8> {
    let mut bytes = vec![
        0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x90, 0x01, 0x90, 0x03,
    ];
    bytes.extend_from_slice(&[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]);
    bytes
}

/// Takes the fake's queued group webhooks, checks their signature and resolves them.
fn deliver(fake: &FakeCloudApi, requests: &mut GroupRequests<&'static str>) -> Vec<GroupOutcome> {
    let delivery = fake.take_group_webhooks().expect("a queued group webhook");
    let (body, signature) = delivery.signed(SECRET);
    SignatureVerifier::new(SECRET)
        .unwrap()
        .verify(&body, Some(&signature))
        .unwrap();
    let payload = Payload::from_slice(&body).unwrap();
    payload
        .events()
        .filter_map(|e| requests.resolve(&e))
        .map(|r| r.outcome)
        .collect()
}

#[tokio::test]
async fn a_group_is_created_listed_read_sent_to_and_deleted() {
    let fake = FakeCloudApi::start().await;
    let client = fake.client().unwrap();
    let mut requests = GroupRequests::new(600);
    assert!(fake.take_group_webhooks().is_none());

    let request_id = client
        .create_group(
            &CreateGroup::new("Support")
                .description("Help desk")
                .join_approval_mode(JoinApprovalMode::ApprovalRequired),
        )
        .await
        .unwrap();
    requests.register(request_id, GroupRequestKind::Create, "create", 0);
    let outcomes = deliver(&fake, &mut requests);
    let GroupOutcome::Created {
        group_id,
        invite_link: Some(link),
    } = &outcomes[0]
    else {
        panic!("{outcomes:?}")
    };
    assert!(group_id.as_str().starts_with("fake-group-"));
    assert!(requests.is_empty());

    let groups: Vec<_> = client.groups().try_collect().await.unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(&groups[0].id, group_id);
    assert_eq!(groups[0].subject.as_deref(), Some("Support"));

    fake.add_group_participant(group_id.as_str(), "16505551234");
    let info = client.group(group_id.clone()).await.unwrap();
    assert_eq!(info.description.as_deref(), Some("Help desk"));
    assert_eq!(
        info.join_approval_mode,
        Some(JoinApprovalMode::ApprovalRequired)
    );
    assert_eq!(info.total_participant_count, Some(1));

    assert_eq!(
        &client
            .group_invite_link(group_id.clone())
            .await
            .unwrap()
            .invite_link,
        link
    );
    let reset = client
        .reset_group_invite_link(group_id.clone())
        .await
        .unwrap();
    assert_ne!(&reset.invite_link, link);

    client
        .send(&SendMessage::new(
            Recipient::group(group_id.clone()),
            Message::text("Hello group"),
        ))
        .await
        .unwrap();
    let sent = fake.sent_messages().await;
    assert_eq!(sent[0].to, group_id.as_str());
    assert_eq!(sent[0].json["recipient_type"], "group");

    let updated = client
        .update_group(
            &UpdateGroup::new(group_id.clone())
                .subject("Support (EU)")
                .profile_picture(square_jpeg()),
        )
        .await
        .unwrap();
    requests.register(
        updated.request_id.unwrap(),
        GroupRequestKind::UpdateSettings,
        "update",
        0,
    );
    match &deliver(&fake, &mut requests)[0] {
        GroupOutcome::SettingsUpdated { settings, .. } => {
            assert!(settings.all_applied());
            assert_eq!(
                settings.subject.as_ref().and_then(|s| s.text.as_deref()),
                Some("Support (EU)")
            );
            let picture = settings
                .profile_picture
                .as_ref()
                .expect("the picture change");
            assert_eq!(picture.mime_type.as_deref(), Some("image/jpeg"));
            assert_eq!(picture.sha256.as_ref().map(String::len), Some(64));
        }
        other => panic!("{other:?}"),
    }
    let renamed = client.group(group_id.clone()).await.unwrap();
    assert_eq!(renamed.subject.as_deref(), Some("Support (EU)"));

    let deleted = client.delete_group(group_id.clone()).await.unwrap();
    requests.register(
        deleted.request_id.unwrap(),
        GroupRequestKind::Delete,
        "delete",
        0,
    );
    assert_eq!(
        deliver(&fake, &mut requests),
        [GroupOutcome::Deleted {
            group_id: Some(group_id.clone())
        }]
    );
    let gone = client.group(group_id.clone()).await.unwrap_err();
    assert_eq!(
        gone.class(),
        Some(ErrorClass::Group(GroupErrorKind::UnknownGroup))
    );
}

#[tokio::test]
async fn participants_are_removed_and_join_requests_handled() {
    let fake = FakeCloudApi::start().await;
    let client = fake.client().unwrap();
    let mut requests = GroupRequests::new(600);
    client
        .create_group(&CreateGroup::new("Club"))
        .await
        .unwrap();
    let _ = fake.take_group_webhooks();
    let group: GroupId = client.groups().try_collect::<Vec<_>>().await.unwrap()[0]
        .id
        .clone();
    fake.add_group_participant(group.as_str(), "16505551234");
    let first = fake.add_group_join_request(group.as_str(), "16505550001");
    let second = fake.add_group_join_request(group.as_str(), "16505550002");

    let open: Vec<_> = client
        .group_join_requests(group.clone())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(open.len(), 2);
    assert_eq!(open[0].user.phone(), Some("16505550001"));
    let approved = client
        .approve_group_join_requests(group.clone(), [first.as_str(), "fake-join-unknown"])
        .await
        .unwrap();
    assert_eq!(approved.approved_join_requests, [first]);
    assert_eq!(
        approved.failed_join_requests[0].join_request_id,
        "fake-join-unknown"
    );
    let rejected = client
        .reject_group_join_requests(group.clone(), [second.as_str()])
        .await
        .unwrap();
    assert_eq!(rejected.rejected_join_requests, [second]);
    assert_eq!(
        client
            .group(group.clone())
            .await
            .unwrap()
            .total_participant_count,
        Some(2)
    );

    let accepted = client
        .remove_group_participants(
            group.clone(),
            [
                GroupUser::phone("16505551234"),
                GroupUser::phone("16505559999"),
            ],
        )
        .await
        .unwrap();
    requests.register(
        accepted.request_id.unwrap(),
        GroupRequestKind::RemoveParticipants,
        "remove",
        0,
    );
    match &deliver(&fake, &mut requests)[0] {
        GroupOutcome::ParticipantsRemoved { participants, .. } => {
            assert_eq!(
                participants.removed[0].input.as_deref(),
                Some("16505551234")
            );
            assert_eq!(participants.failed[0].input.as_deref(), Some("16505559999"));
            assert_eq!(
                participants.failed[0].errors[0].class(),
                ErrorClass::Group(GroupErrorKind::NotAParticipant)
            );
        }
        other => panic!("{other:?}"),
    }
}
