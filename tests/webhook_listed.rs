//! The listed webhook fields on our own fixtures: `calls`, `smb_message_echoes`,
//! `smb_app_state_sync`, `history` and the four group fields. One event per item, typed; unknown
//! values kept; a malformed item costs only itself; a user-initiated call opens the window.

mod common;

use whatsapp_cloud::policy::{InMemoryWindowTracker, UserKey, WindowTracker, block_on};
use whatsapp_cloud::webhook::{
    Call, CallDirection, CallEventKind, CallOutcome, CallStatus, CallStatusKind, Event,
    GroupLifecycleKind, GroupParticipantsKind, GroupStatusKind, HISTORY_DECLINED, HistoryEvent,
    HistoryStatus, InvalidKind, MessageContent, MessageEcho, Payload, StateSyncAction, UserEvent,
};

const ANA: &str = "5511987650123";
const ANA_ID: &str = "BR.60419928374615502213";
const ANA_PARENT: &str = "BR.ENT.88120456730918822047";
const KOFI: &str = "233245550178";
const KOFI_ID: &str = "GH.27718830465529104477";
const MEI_ID: &str = "SG.90034417562281930615";
const BIZ: &str = "15550142277";
const PHONE_ID: &str = "309915724461803";

fn parse(name: &str) -> Payload<'static> {
    let bytes = common::fixture(&format!("webhooks/{name}"));
    let payload = Payload::from_slice(&bytes)
        .map(Payload::into_owned)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    // Meta's shape again, whatever was typed.
    let again = serde_json::to_value(&payload).expect("serializes");
    assert_eq!(
        again,
        serde_json::from_slice::<serde_json::Value>(&bytes).expect("json"),
        "{name}"
    );
    payload
}

fn calls<'a>(p: &'a Payload<'_>) -> Vec<UserEvent<'a, Call>> {
    p.events()
        .filter_map(|e| match e {
            Event::Call(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn call_statuses<'a>(p: &'a Payload<'_>) -> Vec<UserEvent<'a, CallStatus>> {
    p.events()
        .filter_map(|e| match e {
            Event::CallStatus(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn echoes<'a>(p: &'a Payload<'_>) -> Vec<UserEvent<'a, MessageEcho>> {
    p.events()
        .filter_map(|e| match e {
            Event::MessageEcho(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn history<'a>(p: &'a Payload<'_>) -> Vec<HistoryEvent<'a>> {
    p.events()
        .filter_map(|e| match e {
            Event::History(h) => Some(h),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// calls

#[test]
fn user_initiated_connect_carries_the_offer_the_caller_and_the_button_payload() {
    let p = parse("calls_user_initiated_connect.json");
    assert_eq!(p.events().count(), 1);
    let [c] = calls(&p)[..] else { panic!() };
    let call = c.update();
    assert_eq!(call.id, "wacid.HBgNNTUxMTk4NzY1MDEyMxUCABEYEjVBRjQ3");
    assert_eq!(call.event, CallEventKind::Connect);
    assert_eq!(call.direction, Some(CallDirection::UserInitiated));
    assert!(call.is_user_initiated());
    assert_eq!(call.timestamp, 1_767_225_600);
    assert_eq!(call.from.as_deref(), Some(ANA));
    assert_eq!(call.user_phone(), Some(ANA));
    assert_eq!(call.user_id().map(|u| u.as_str()), Some(ANA_ID));
    assert_eq!(call.from_parent_user_id.as_deref(), Some(ANA_PARENT));
    assert_eq!(call.to.as_deref(), Some(BIZ));
    let session = call.session.as_ref().expect("session");
    assert_eq!(session.sdp_type, "offer");
    assert!(session.sdp.starts_with("v=0\r\n"));
    assert_eq!(call.cta_payload.as_deref(), Some("support-line-7"));
    assert_eq!(call.status, None);
    assert_eq!(c.contact().and_then(|k| k.name()), Some("Ana Souza"));
    assert_eq!(c.phone_number_id(), Some(PHONE_ID));
    assert_eq!(c.context().field(), "calls");
    assert_eq!(c.context().entry_time(), Some(1_767_225_600));
}

#[test]
fn business_initiated_call_to_a_bsuid_user_and_its_ringing_accepted_rejected_statuses() {
    let p = parse("calls_business_initiated.json");
    assert_eq!(p.events().count(), 4);
    let [c] = calls(&p)[..] else { panic!() };
    let call = c.update();
    assert_eq!(call.direction, Some(CallDirection::BusinessInitiated));
    assert_eq!(call.to, None);
    assert_eq!(call.user_phone(), None);
    assert_eq!(call.user_id().map(|u| u.as_str()), Some(MEI_ID));
    assert_eq!(
        call.session.as_ref().map(|s| s.sdp_type.as_str()),
        Some("answer")
    );
    assert_eq!(
        call.biz_opaque_callback_data.as_deref(),
        Some("order-4471-followup")
    );
    assert_eq!(c.contact().and_then(|k| k.username()), Some("@meitan"));

    let statuses = call_statuses(&p);
    let kinds: Vec<_> = statuses.iter().map(|s| s.update().status.clone()).collect();
    assert_eq!(
        kinds,
        [
            CallStatusKind::Ringing,
            CallStatusKind::Accepted,
            CallStatusKind::Rejected
        ]
    );
    assert_eq!(statuses[0].update().timestamp, 1_767_225_990);
    assert_eq!(statuses[0].update().kind.as_deref(), Some("call"));
    assert_eq!(statuses[0].update().recipient_phone(), None);
    assert_eq!(
        statuses[0].contact().and_then(|k| k.user_id.as_deref()),
        Some(MEI_ID)
    );
    // Kofi has no contact entry here: no one else's is lent to him.
    let rejected = statuses[2].update();
    assert_eq!(rejected.recipient_phone(), Some(KOFI));
    assert_eq!(
        rejected.recipient_user_id.as_ref().map(|u| u.as_str()),
        Some(KOFI_ID)
    );
    assert!(statuses[2].contact().is_none());
}

#[test]
fn terminated_calls_carry_outcome_times_duration_and_value_level_errors() {
    let p = parse("calls_terminate.json");
    let events: Vec<_> = p.events().collect();
    assert_eq!(events.len(), 3);
    let cs = calls(&p);
    let done = cs[0].update();
    assert_eq!(done.event, CallEventKind::Terminate);
    assert_eq!(done.status, Some(CallOutcome::Completed));
    assert_eq!(done.start_time, Some(1_767_225_611));
    assert_eq!(done.end_time, Some(1_767_225_781));
    assert_eq!(done.duration, Some(170));
    assert_eq!(done.deeplink_payload.as_deref(), Some("spring-promo"));
    assert_eq!(cs[0].contact().and_then(|k| k.name()), Some("Ana Souza"));
    // `Failed` in Meta's other spelling.
    let failed = cs[1].update();
    assert_eq!(failed.status, Some(CallOutcome::Failed));
    assert_eq!(failed.duration, None);
    assert_eq!(failed.user_phone(), Some(KOFI));
    assert_eq!(cs[1].contact().and_then(|k| k.name()), Some("Kofi Mensah"));
    let Event::Error(e) = &events[2] else {
        panic!("{:?}", events[2])
    };
    assert_eq!(e.error().code, 138_021);
    assert_eq!(e.context().field(), "calls");
}

#[test]
fn unknown_call_values_are_kept() {
    let p = parse("listed_unknown_values.json");
    let [c] = calls(&p)[..] else { panic!() };
    let call = c.update();
    assert_eq!(call.event, CallEventKind::Unknown("hold".into()));
    assert_eq!(
        call.direction,
        Some(CallDirection::Unknown("SYSTEM_INITIATED".into()))
    );
    assert_eq!(
        call.status,
        Some(CallOutcome::Unknown("TRANSFERRED".into()))
    );
    assert!(!call.is_user_initiated());
    let [s] = call_statuses(&p)[..] else { panic!() };
    assert_eq!(s.update().status, CallStatusKind::Unknown("BUSY".into()));
    assert_eq!(s.update().status.as_str(), "BUSY");
}

// ---------------------------------------------------------------------------------------------
// The window: a user-initiated call opens it, keyed on whatever identifies the caller

#[test]
fn user_initiated_call_opens_the_window_for_the_caller_and_a_business_call_does_not() {
    let tracker = InMemoryWindowTracker::new(100);
    block_on(tracker.observe_payload(&parse("calls_user_initiated_connect.json"))).unwrap();
    let ana = UserKey::user_id(ANA_ID).with_phone(ANA);
    let state = block_on(tracker.state(&ana, 1_767_225_600)).unwrap();
    assert_eq!(state.closes_at(), Some(1_767_225_600 + 24 * 3600));

    let tracker = InMemoryWindowTracker::new(100);
    block_on(tracker.observe_payload(&parse("calls_business_initiated.json"))).unwrap();
    block_on(tracker.observe_payload(&parse("smb_message_echoes.json"))).unwrap();
    block_on(tracker.observe_payload(&parse("history.json"))).unwrap();
    assert!(tracker.is_empty());
}

#[test]
fn a_call_from_a_bsuid_only_caller_opens_the_window_on_the_bsuid() {
    let body = format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"418822560137745","changes":[{{"field":"calls","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"{BIZ}","phone_number_id":"{PHONE_ID}"}},"contacts":[{{"profile":{{"name":"Mei Tan"}},"user_id":"{MEI_ID}"}}],"calls":[{{"id":"wacid.X1","to":"{BIZ}","event":"connect","timestamp":"1767240000","direction":"USER_INITIATED"}}]}}}}]}}]}}"#
    );
    let p = Payload::from_slice(body.as_bytes()).unwrap();
    // The call names no caller: the only contact is the caller.
    let [c] = calls(&p)[..] else { panic!() };
    assert_eq!(c.contact().and_then(|k| k.user_id.as_deref()), Some(MEI_ID));
    let tracker = InMemoryWindowTracker::new(100);
    block_on(tracker.observe_payload(&p)).unwrap();
    let state = block_on(tracker.state(&UserKey::user_id(MEI_ID), 1_767_240_000)).unwrap();
    assert_eq!(state.closes_at(), Some(1_767_240_000 + 24 * 3600));
}

// ---------------------------------------------------------------------------------------------
// smb_message_echoes

#[test]
fn echoes_are_read_like_messages_with_the_user_they_went_to() {
    let p = parse("smb_message_echoes.json");
    let es = echoes(&p);
    assert_eq!(es.len(), 3);
    assert_eq!(p.events().count(), 3);

    let text = es[0].update();
    assert_eq!(
        text.message().text(),
        Some("Your order ships tomorrow morning.")
    );
    assert_eq!(text.message().from(), Some(BIZ));
    assert_eq!(text.message().timestamp(), 1_767_227_000);
    assert_eq!(text.to(), Some(ANA));
    assert_eq!(text.to_user_id().map(|u| u.as_str()), Some(ANA_ID));
    assert_eq!(text.to_parent_user_id.as_deref(), Some(ANA_PARENT));
    assert_eq!(es[0].contact().and_then(|k| k.name()), Some("Ana Souza"));
    assert_eq!(es[0].context().entry_time(), None);

    let image = es[1].update();
    let MessageContent::Image(media) = image.message().content() else {
        panic!("{:?}", image.message().content())
    };
    assert_eq!(media.caption.as_deref(), Some("The blue one"));
    assert_eq!(image.to(), None);
    assert_eq!(es[1].contact().and_then(|k| k.name()), Some("Mei Tan"));

    let revoke = es[2].update();
    assert_eq!(revoke.message().kind(), "revoke");
    assert_eq!(
        revoke.message().id(),
        "wamid.HBgNNTUxMTk4NzY1MDEyMxUCABEYEkVDSE8z"
    );
}

// ---------------------------------------------------------------------------------------------
// smb_app_state_sync

#[test]
fn state_sync_items_add_and_remove_contacts() {
    let p = parse("smb_app_state_sync.json");
    let items: Vec<_> = p
        .events()
        .filter_map(|e| match e {
            Event::StateSync(s) => Some(s.update()),
            _ => None,
        })
        .collect();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].action, StateSyncAction::Add);
    assert_eq!(items[0].kind, "contact");
    let ana = items[0].contact.as_ref().expect("contact");
    assert_eq!(ana.full_name.as_deref(), Some("Ana Souza"));
    assert_eq!(ana.first_name.as_deref(), Some("Ana"));
    assert_eq!(ana.phone_number.as_deref(), Some(ANA));
    assert_eq!(items[0].timestamp(), Some(1_767_225_500));
    let mei = items[1].contact.as_ref().expect("contact");
    assert_eq!(mei.phone_number, None);
    assert_eq!(mei.user_id.as_ref().map(|u| u.as_str()), Some(MEI_ID));
    assert_eq!(mei.username.as_deref(), Some("@meitan"));
    assert_eq!(items[2].action, StateSyncAction::Remove);
    assert_eq!(
        items[2]
            .contact
            .as_ref()
            .and_then(|c| c.full_name.as_deref()),
        None
    );

    let p = parse("listed_unknown_values.json");
    let unknown = p
        .events()
        .find_map(|e| match e {
            Event::StateSync(s) => Some(s.update().action.clone()),
            _ => None,
        })
        .expect("a state-sync item");
    assert_eq!(unknown, StateSyncAction::Unknown("archive".into()));
}

// ---------------------------------------------------------------------------------------------
// history

#[test]
fn history_comes_one_event_per_thread_with_its_chunk_and_message_statuses() {
    let p = parse("history.json");
    let hs = history(&p);
    assert_eq!(hs.len(), 3);
    assert_eq!(p.events().count(), 3);

    let first = &hs[0];
    let meta = first.metadata().expect("metadata");
    assert_eq!(
        (meta.phase, meta.chunk_order, meta.progress),
        (Some(0), Some(1), Some(35))
    );
    assert!(!first.is_declined());
    let thread = first.thread().expect("thread");
    assert_eq!(thread.id.as_deref(), Some(ANA));
    let ctx = thread.context.as_ref().expect("context");
    assert_eq!(ctx.user_id.as_ref().map(|u| u.as_str()), Some(ANA_ID));
    assert_eq!(ctx.parent_user_id.as_deref(), Some(ANA_PARENT));
    let statuses: Vec<_> = first.messages().iter().map(|m| m.status.clone()).collect();
    assert_eq!(
        statuses,
        [
            Some(HistoryStatus::Read),
            Some(HistoryStatus::Delivered),
            Some(HistoryStatus::Played)
        ]
    );
    let asked = &first.messages()[0];
    assert_eq!(asked.message.text(), Some("Is the shop open on Sunday?"));
    assert_eq!(asked.message.user_id(), Some(ANA_ID));
    assert_eq!(asked.to, None);
    let answered = &first.messages()[1];
    assert_eq!(answered.message.from(), Some(BIZ));
    assert_eq!(answered.to.as_deref(), Some(ANA));
    assert!(matches!(
        first.messages()[2].message.content(),
        MessageContent::Audio(a) if a.voice == Some(true)
    ));

    // A BSUID-only thread: no id, the user in its context.
    let second = hs[1].thread().expect("thread");
    assert_eq!(second.id, None);
    assert_eq!(
        second.context.as_ref().and_then(|c| c.username.as_deref()),
        Some("@meitan")
    );
    let statuses: Vec<_> = second.messages.iter().map(|m| m.status.clone()).collect();
    assert_eq!(
        statuses,
        [
            Some(HistoryStatus::Sent),
            Some(HistoryStatus::Pending),
            Some(HistoryStatus::Error)
        ]
    );
    // A media message whose media comes in a later delivery.
    assert_eq!(second.messages[2].message.kind(), "media_placeholder");

    assert_eq!(hs[2].metadata().and_then(|m| m.phase), Some(1));
    assert_eq!(hs[2].messages().len(), 1);
    assert_eq!(hs[2].chunk().threads().count(), 1);

    let p = parse("listed_unknown_values.json");
    let [h] = history(&p)[..] else { panic!() };
    assert_eq!(
        h.messages()[0].status,
        Some(HistoryStatus::Unknown("EXPIRED".into()))
    );
}

#[test]
fn declined_history_is_one_event_with_its_error() {
    let p = parse("history_declined.json");
    let [h] = history(&p)[..] else { panic!() };
    assert!(h.is_declined());
    assert!(h.thread().is_none());
    assert!(h.messages().is_empty());
    assert_eq!(h.chunk().errors[0].code, HISTORY_DECLINED);
    assert_eq!(p.events().count(), 1);
}

// ---------------------------------------------------------------------------------------------
// groups

#[test]
fn group_lifecycle_create_failed_create_and_delete() {
    let p = parse("group_lifecycle_update.json");
    let items: Vec<_> = p
        .events()
        .filter_map(|e| match e {
            Event::GroupLifecycle(g) => Some(g.update()),
            _ => None,
        })
        .collect();
    assert_eq!(items.len(), 3);
    let created = items[0];
    assert_eq!(created.kind, GroupLifecycleKind::Create);
    assert_eq!(
        created.group.group_id.as_ref().map(|g| g.as_str()),
        Some("120363041877552209")
    );
    assert_eq!(created.group.request_id.as_deref(), Some("req-create-0193"));
    assert_eq!(created.subject.as_deref(), Some("Saturday running club"));
    assert_eq!(
        created.invite_link.as_deref(),
        Some("https://chat.whatsapp.com/Lh4QmT8pZr2KcW0vXy")
    );
    assert_eq!(
        created.join_approval_mode.as_deref(),
        Some("approval_required")
    );
    assert_eq!(created.group.timestamp, Some(1_767_230_000));
    assert!(created.group.errors.is_empty());
    assert_eq!(items[1].group.group_id, None);
    assert_eq!(items[1].group.errors[0].code, 131_215);
    assert_eq!(items[2].kind, GroupLifecycleKind::Delete);
}

#[test]
fn group_participants_joined_removed_and_join_requests() {
    let p = parse("group_participants_update.json");
    let items: Vec<_> = p
        .events()
        .filter_map(|e| match e {
            Event::GroupParticipants(g) => Some(g.update()),
            _ => None,
        })
        .collect();
    let kinds: Vec<_> = items.iter().map(|g| g.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            GroupParticipantsKind::Add,
            GroupParticipantsKind::Remove,
            GroupParticipantsKind::JoinRequestCreated,
            GroupParticipantsKind::JoinRequestRevoked
        ]
    );
    assert_eq!(items[0].reason.as_deref(), Some("invite_link"));
    assert_eq!(items[0].added_participants.len(), 2);
    assert_eq!(items[0].added_participants[0].user.phone(), Some(ANA));
    assert_eq!(
        items[0].added_participants[1].user.username.as_deref(),
        Some("@meitan")
    );
    let removed = items[1];
    assert_eq!(removed.initiated_by.as_deref(), Some("business"));
    assert_eq!(removed.removed_participants[0].input.as_deref(), Some(KOFI));
    assert_eq!(removed.failed_participants[0].errors[0].code, 131_212);
    assert_eq!(items[2].join_request_id.as_deref(), Some("jr-88412"));
    assert_eq!(
        items[2].requester.user_id.as_ref().map(|u| u.as_str()),
        Some(MEI_ID)
    );
    assert_eq!(items[2].requester.wa_id, None);
    assert_eq!(items[3].requester.phone(), Some(KOFI));
    assert_eq!(
        removed.removed_participants[0]
            .user
            .user_id
            .as_ref()
            .map(|u| u.as_str()),
        Some(KOFI_ID)
    );
    // A bare-number timestamp.
    assert_eq!(items[3].group.timestamp, Some(1_767_231_300));
}

#[test]
fn group_settings_and_status_updates() {
    let p = parse("group_settings_update.json");
    let [Event::GroupSettings(g)] = &p.events().collect::<Vec<_>>()[..] else {
        panic!()
    };
    let s = g.update();
    let subject = s.group_subject.as_ref().expect("subject");
    assert_eq!(
        subject.text.as_deref(),
        Some("Saturday & Sunday running club")
    );
    assert_eq!(subject.update_successful, Some(true));
    let description = s.group_description.as_ref().expect("description");
    assert_eq!(description.update_successful, Some(false));
    assert_eq!(description.errors[0].code, 100);
    let picture = s.profile_picture.as_ref().expect("picture");
    assert_eq!(picture.mime_type.as_deref(), Some("image/jpeg"));

    let p = parse("group_status_update.json");
    let kinds: Vec<_> = p
        .events()
        .filter_map(|e| match e {
            Event::GroupStatus(g) => Some((g.update().kind.clone(), g.update().group.timestamp)),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (GroupStatusKind::Suspend, Some(1_767_233_000)),
            (GroupStatusKind::SuspendCleared, Some(1_767_319_400))
        ]
    );

    let p = parse("listed_unknown_values.json");
    let unknown: Vec<String> = p
        .events()
        .filter_map(|e| match e {
            Event::GroupLifecycle(g) => Some(g.update().kind.to_string()),
            Event::GroupParticipants(g) => Some(g.update().kind.to_string()),
            Event::GroupStatus(g) => Some(g.update().kind.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(
        unknown,
        [
            "group_archive",
            "group_participants_promote",
            "group_frozen"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Malformed items cost only themselves

#[test]
fn each_malformed_item_is_an_invalid_event_next_to_its_readable_neighbours() {
    let p = parse("listed_malformed_items.json");
    let seen: Vec<String> = p
        .events()
        .map(|e| {
            let field = e.context().field().to_owned();
            match e {
                Event::Call(c) => format!("{field}: call {}", c.update().id),
                Event::MessageEcho(m) => {
                    format!(
                        "{field}: echo {}",
                        m.update().message().text().unwrap_or("")
                    )
                }
                Event::StateSync(s) => format!("{field}: {}", s.update().action),
                Event::History(h) => {
                    format!(
                        "{field}: thread {:?}",
                        h.thread().and_then(|t| t.id.clone())
                    )
                }
                Event::GroupStatus(g) => format!("{field}: {}", g.update().kind),
                Event::Invalid(i) => format!("{field}: invalid {:?}", i.kind()),
                other => format!("{field}: {other:?}"),
            }
        })
        .collect();
    assert_eq!(
        seen,
        [
            "calls: call wacid.HBgNNTUxMTk4NzY1MDEyMxUCABEYEjVBRjEw",
            "calls: invalid FieldItem",
            "calls: invalid FieldItem",
            "calls: invalid Contact",
            "smb_message_echoes: invalid FieldItem",
            "smb_message_echoes: echo kept",
            "smb_app_state_sync: invalid FieldItem",
            "smb_app_state_sync: remove",
            "history: invalid FieldItem",
            "history: thread Some(\"233245550178\")",
            "history: invalid FieldItem",
            "group_status_update: invalid FieldItem",
            "group_status_update: group_suspend",
            "group_status_update: invalid Metadata",
        ]
    );
    // The unreadable items come back as sent, with their error.
    let invalid: Vec<_> = p
        .events()
        .filter_map(|e| match e {
            Event::Invalid(i) => Some(i),
            _ => None,
        })
        .collect();
    assert!(invalid[0].error().contains("id"), "{}", invalid[0].error());
    assert_eq!(
        invalid[0].raw().and_then(|r| r["timestamp"].as_str()),
        Some("1767235010")
    );
    assert_eq!(
        invalid
            .iter()
            .filter(|i| i.kind() == InvalidKind::FieldItem)
            .count(),
        7
    );
    // The call whose neighbour is unreadable keeps its caller's contact.
    let [c] = calls(&p)[..] else { panic!() };
    assert_eq!(c.contact().and_then(|k| k.name()), Some("Ana Souza"));
}

#[test]
fn a_history_delivery_of_earlier_media_yields_its_messages_and_echoes() {
    let p = parse("history_media.json");
    let events: Vec<_> = p.events().collect();
    assert_eq!(events.len(), 2);
    let Event::Message(m) = &events[0] else {
        panic!("{:?}", events[0])
    };
    assert_eq!(m.context().field(), "history");
    assert!(matches!(m.content(), MessageContent::Image(i) if i.id.as_str() == "1462209981733051"));
    assert_eq!(m.user_id(), Some(ANA_ID));
    assert_eq!(m.sender_name(), Some("Ana Souza"));
    let Event::MessageEcho(e) = &events[1] else {
        panic!("{:?}", events[1])
    };
    assert!(matches!(
        e.update().message().content(),
        MessageContent::Document(d) if d.filename.as_deref() == Some("menu.pdf")
    ));
    assert_eq!(e.update().to(), Some(ANA));
    // History is not a conversation now: it opens no window.
    let tracker = InMemoryWindowTracker::new(100);
    block_on(tracker.observe_payload(&p)).unwrap();
    assert!(tracker.is_empty());
}

#[test]
fn the_user_of_calls_call_statuses_and_echoes_is_one_key_bsuid_first() {
    use whatsapp_cloud::policy::{EventUser, user_of};
    let p = parse("calls_user_initiated_connect.json");
    assert_eq!(
        calls(&p)[0].user(),
        Some(UserKey::from_parts(Some("BR.60419928374615502213"), Some("5511987650123")).unwrap())
    );
    let p = parse("calls_business_initiated.json");
    assert_eq!(
        calls(&p)[0].user(),
        Some(UserKey::user_id("SG.90034417562281930615"))
    );
    let statuses = call_statuses(&p);
    assert_eq!(
        statuses.last().and_then(|s| s.user()),
        Some(UserKey::from_parts(Some("GH.27718830465529104477"), Some("233245550178")).unwrap())
    );
    let p = parse("smb_message_echoes.json");
    let users: Vec<_> = p.events().map(|e| user_of(&e)).collect();
    assert_eq!(
        users,
        [
            Some(
                UserKey::from_parts(Some("BR.60419928374615502213"), Some("5511987650123"))
                    .unwrap()
            ),
            Some(UserKey::user_id("SG.90034417562281930615")),
            Some(
                UserKey::from_parts(Some("BR.60419928374615502213"), Some("5511987650123"))
                    .unwrap()
            ),
        ]
    );
}
