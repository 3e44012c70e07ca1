//! Identity on every inbound item (business-scoped user ids, parent ids, usernames, optional phone
//! numbers) and identity changes, read off our own fixtures; and the state rules following a user
//! across a change, driven through the store traits only so that any store inherits the tests.

mod common;

use serde_json::Value;
use whatsapp_cloud::Recipient;
use whatsapp_cloud::error::Refusal;
use whatsapp_cloud::policy::{
    BoxFuture, Deduplicator, Delivery, EventUser, IdChange, InMemoryDeduplicator,
    InMemoryOptOutStore, InMemoryWindowTracker, Intent, Keywords, OptOutRecord, OptOutStore,
    Outgoing, SendGuard, Source, StoreError, UserKey, Window, WindowTracker, block_on, user_of,
};
use whatsapp_cloud::webhook::{
    Event, InvalidKind, MessageContent, MessageEvent, Payload, StatusEvent, SystemKind,
};

fn body(name: &str) -> Vec<u8> {
    common::fixture(&format!("webhooks/{name}"))
}

fn parse(bytes: &[u8]) -> Payload<'_> {
    Payload::from_slice(bytes).expect("a webhook envelope")
}

/// The events of `p` that `pick` keeps, unwrapped.
fn picked<'a, T>(p: &'a Payload<'_>, pick: impl Fn(Event<'a>) -> Option<T>) -> Vec<T> {
    p.events().filter_map(pick).collect()
}

fn messages<'a>(p: &'a Payload<'_>) -> Vec<MessageEvent<'a>> {
    picked(p, |e| {
        if let Event::Message(m) = e {
            Some(m)
        } else {
            None
        }
    })
}

fn statuses<'a>(p: &'a Payload<'_>) -> Vec<StatusEvent<'a>> {
    picked(p, |e| {
        if let Event::Status(s) = e {
            Some(s)
        } else {
            None
        }
    })
}

/// The items of `key` in the first change's value, as sent.
fn sent_items(bytes: &[u8], key: &str) -> Vec<Value> {
    let v: Value = serde_json::from_slice(bytes).expect("json");
    v["entry"][0]["changes"][0]["value"][key]
        .as_array()
        .cloned()
        .expect("an item list")
}

// ---------------------------------------------------------------------------------------------
// Identity fields

#[test]
fn status_of_a_send_to_a_bsuid_without_a_phone_number_is_a_status_with_its_contact() {
    let bytes = body("status_bsuid_recipient.json");
    let p = parse(&bytes);
    let events: Vec<Event<'_>> = p.events().collect();
    assert_eq!(events.len(), 1, "{events:?}");
    let Event::Status(s) = &events[0] else {
        panic!("{:?}", events[0])
    };
    assert_eq!(s.recipient_id(), None);
    assert_eq!(s.recipient_user_id(), Some("GB.51928374650192837465"));
    assert_eq!(
        s.update().recipient(),
        Some(Recipient::user_id("GB.51928374650192837465"))
    );
    let contact = s.contact().expect("the recipient's contact");
    assert_eq!(contact.name(), Some("Tom Okafor"));
    assert_eq!(contact.username(), Some("@tom.okafor"));
    assert_eq!(s.user(), Some(UserKey::user_id("GB.51928374650192837465")));
    assert_eq!(
        serde_json::to_value(s.update()).unwrap(),
        sent_items(&bytes, "statuses")[0]
    );
}

#[test]
fn bsuid_sender_without_a_phone_number_has_parent_id_and_username() {
    let bytes = body("message_bsuid_parent_username.json");
    let p = parse(&bytes);
    let [m] = messages(&p)[..] else {
        panic!("one message")
    };
    assert_eq!(m.from(), None);
    assert_eq!(m.phone(), None, "wa_id \"\" is no phone number");
    assert_eq!(m.user_id(), Some("CO.58301927465510293847"));
    assert_eq!(m.parent_user_id(), Some("CO.ENT.77120394856612039485"));
    assert_eq!(
        m.message().parent_user_id(),
        Some("CO.ENT.77120394856612039485")
    );
    assert_eq!(m.username(), Some("@marisol.q"));
    assert_eq!(m.sender_name(), Some("Marisol Quintero"));
    assert_eq!(m.text(), Some("Is the blue jacket back in stock?"));
    let contact = m.contact().expect("matched by BSUID");
    assert_eq!(contact.wa_id(), None);
    assert_eq!(
        contact.parent_user_id_str(),
        Some("CO.ENT.77120394856612039485")
    );
    assert_eq!(m.user(), Some(UserKey::user_id("CO.58301927465510293847")));
    assert_eq!(
        serde_json::to_value(m.message()).unwrap(),
        sent_items(&bytes, "messages")[0]
    );
}

#[test]
fn parent_bsuid_is_read_under_its_three_names_and_written_back_under_the_one_received() {
    let bytes = body("status_parent_user_id_names.json");
    let p = parse(&bytes);
    let s = statuses(&p);
    assert_eq!(s.len(), 4);
    let sent = sent_items(&bytes, "statuses");
    for (i, status) in s.iter().enumerate().take(3) {
        assert_eq!(
            status
                .update()
                .recipient_parent_user_id()
                .map(|u| u.as_str()),
            Some("CO.ENT.77120394856612039485"),
            "status {i}"
        );
        assert_eq!(status.recipient_id(), None);
        assert_eq!(
            status.contact().and_then(|c| c.name()),
            Some("Marisol Quintero")
        );
        assert_eq!(
            status.user(),
            Some(UserKey::user_id("CO.58301927465510293847"))
        );
    }
    for (status, sent) in s.iter().zip(&sent) {
        assert_eq!(&serde_json::to_value(status.update()).unwrap(), sent);
    }
    // The fourth went to a phone number: matched to its own contact among two.
    assert_eq!(s[3].recipient_id(), Some("14155550163"));
    assert_eq!(s[3].update().recipient_parent_user_id(), None);
    assert_eq!(s[3].contact().and_then(|c| c.name()), Some("Dev Malhotra"));
    assert_eq!(
        s[3].user(),
        Some(UserKey::user_id("US.40918273645501928374").with_phone("14155550163"))
    );
}

#[test]
fn group_status_names_its_participant_by_bsuid_alone() {
    let bytes = body("status_group_participant_bsuid.json");
    let p = parse(&bytes);
    let [s] = statuses(&p)[..] else {
        panic!("one status")
    };
    let status = s.update();
    assert!(status.is_group());
    assert_eq!(status.recipient_participant_id, None);
    assert_eq!(
        status
            .recipient_participant_parent_user_id
            .as_ref()
            .map(|u| u.as_str()),
        Some("CO.ENT.77120394856612039485")
    );
    assert!(matches!(status.recipient(), Some(Recipient::Group(_))));
    assert_eq!(s.user(), Some(UserKey::user_id("CO.58301927465510293847")));
    assert!(s.contact().is_none());
    assert_eq!(
        serde_json::to_value(status).unwrap(),
        sent_items(&bytes, "statuses")[0]
    );
}

#[test]
fn preference_of_a_bsuid_user_without_a_phone_number() {
    let bytes = body("user_preferences_bsuid.json");
    let p = parse(&bytes);
    let events: Vec<Event<'_>> = p.events().collect();
    let [Event::UserPreference(pref)] = &events[..] else {
        panic!("{events:?}")
    };
    let u = pref.update();
    assert_eq!(u.wa_id, None);
    assert_eq!(
        u.user_id.as_ref().map(|x| x.as_str()),
        Some("CO.58301927465510293847")
    );
    assert_eq!(
        u.parent_user_id.as_ref().map(|x| x.as_str()),
        Some("CO.ENT.77120394856612039485")
    );
    assert_eq!(u.timestamp, 1_782_106_000);
    assert_eq!(
        user_of(&events[0]),
        Some(UserKey::user_id("CO.58301927465510293847"))
    );
    assert_eq!(
        serde_json::to_value(u).unwrap(),
        sent_items(&bytes, "user_preferences")[0]
    );
    let store = InMemoryOptOutStore::new();
    let recorded = block_on(store.observe(&events[0], &Keywords::default())).unwrap();
    assert_eq!(recorded, Some(Intent::OptOut));
    assert!(block_on(store.is_opted_out(&UserKey::user_id("CO.58301927465510293847"))).unwrap());
}

// ---------------------------------------------------------------------------------------------
// Identity changes

#[test]
fn number_change_carries_the_ids_before_and_after() {
    let bytes = body("system_user_changed_number_ids.json");
    let p = parse(&bytes);
    let [m] = messages(&p)[..] else {
        panic!("one message")
    };
    let MessageContent::System(s) = m.content() else {
        panic!("{:?}", m.content())
    };
    assert_eq!(s.kind, SystemKind::UserChangedNumber);
    assert_eq!(s.new_wa_id.as_deref(), Some("14155550199"));
    let id = |u: &Option<whatsapp_cloud::UserId>| u.as_ref().map(|u| u.as_str().to_owned());
    assert_eq!(id(&s.user_id).as_deref(), Some("US.40918273645501928374"));
    assert_eq!(
        id(&s.previous_user_id).as_deref(),
        Some("US.40918273645501928374")
    );
    assert_eq!(
        id(&s.parent_user_id).as_deref(),
        Some("US.ENT.50192837465501928374")
    );
    assert_eq!(
        id(&s.previous_parent_user_id).as_deref(),
        Some("US.ENT.50192837465501928374")
    );
    assert_eq!(
        serde_json::to_value(m.message()).unwrap(),
        sent_items(&bytes, "messages")[0]
    );
    let event = p.events().next().unwrap();
    let change = IdChange::of_event(&event).expect("an id change");
    assert_eq!(
        change.before,
        UserKey::user_id("US.40918273645501928374").with_phone("14155550163")
    );
    assert_eq!(
        change.after,
        UserKey::user_id("US.40918273645501928374").with_phone("14155550199")
    );
    assert_eq!(change.at, 1_782_200_000);
}

#[test]
fn user_id_change_and_the_older_number_change_are_id_changes() {
    let bytes = body("system_user_changed_user_id.json");
    let p = parse(&bytes);
    let change = p
        .events()
        .find_map(|e| IdChange::of_event(&e))
        .expect("an id change");
    assert_eq!(change.before, UserKey::user_id("BR.70412398765012345678"));
    assert_eq!(change.after, UserKey::user_id("BR.70412398765099887766"));

    let bytes = body("system_customer_changed_number.json");
    let p = parse(&bytes);
    let change = p
        .events()
        .find_map(|e| IdChange::of_event(&e))
        .expect("an id change");
    assert_eq!(change.before, UserKey::phone("14155550123"));
    assert_eq!(change.after, UserKey::phone("14155550188"));

    // Neither an identity-key change nor a system notice of an unknown kind moves anyone.
    for name in ["system_identity_changed.json", "system_unknown_type.json"] {
        let bytes = body(name);
        let p = parse(&bytes);
        assert!(
            p.events().all(|e| IdChange::of_event(&e).is_none()),
            "{name}"
        );
    }
}

#[test]
fn unknown_system_notice_is_kept_with_its_type() {
    let bytes = body("system_unknown_type.json");
    let p = parse(&bytes);
    let [m] = messages(&p)[..] else {
        panic!("one message")
    };
    let MessageContent::System(s) = m.content() else {
        panic!("{:?}", m.content())
    };
    assert_eq!(
        s.kind,
        SystemKind::Unknown("user_changed_something_new".into())
    );
    assert!(!s.is_id_change());
    assert_eq!(
        serde_json::to_value(m.message()).unwrap(),
        sent_items(&bytes, "messages")[0]
    );
}

#[test]
fn legacy_user_id_update_field_gives_one_event_per_entry() {
    let bytes = body("user_id_update.json");
    let p = parse(&bytes);
    let events: Vec<Event<'_>> = p.events().collect();
    assert_eq!(events.len(), 2, "{events:?}");
    let Event::UserIdUpdate(first) = &events[0] else {
        panic!("{:?}", events[0])
    };
    let u = first.update();
    assert_eq!(u.wa_id(), Some("14155550163"));
    assert_eq!(u.user_id.previous.as_str(), "US.40918273645501928374");
    assert_eq!(u.user_id.current.as_str(), "US.61029384756610293847");
    assert_eq!(
        u.parent_user_id.as_ref().map(|p| p.current.as_str()),
        Some("US.ENT.66102938475610293847")
    );
    assert_eq!(u.timestamp, 1_782_300_000);
    assert_eq!(first.context().field(), "user_id_update");
    assert_eq!(first.phone_number_id(), Some("318840275514622"));
    assert_eq!(first.context().entry_time(), Some(1_782_300_061));
    assert_eq!(
        events[0].user(),
        Some(UserKey::user_id("US.61029384756610293847").with_phone("14155550163"))
    );
    let sent = sent_items(&bytes, "user_id_update");
    assert_eq!(serde_json::to_value(u).unwrap(), sent[0]);

    let Event::UserIdUpdate(second) = &events[1] else {
        panic!("{:?}", events[1])
    };
    assert_eq!(second.update().wa_id(), None);
    assert_eq!(serde_json::to_value(second.update()).unwrap(), sent[1]);
    let change = IdChange::of_event(&events[1]).expect("an id change");
    assert_eq!(change.before, UserKey::user_id("CO.58301927465510293847"));
    assert_eq!(change.after, UserKey::user_id("CO.90817263544510293847"));
    assert_eq!(change.at, 1_782_300_060);
    // A redelivery of the same entry is a duplicate.
    let seen = InMemoryDeduplicator::default();
    let first: Vec<Delivery> = p
        .events()
        .map(|e| block_on(seen.check_event(&e, 1_782_300_100)))
        .collect();
    let again: Vec<Delivery> = p
        .events()
        .map(|e| block_on(seen.check_event(&e, 1_782_300_200)))
        .collect();
    assert_eq!(first, [Delivery::First, Delivery::First]);
    assert_eq!(again, [Delivery::Duplicate, Delivery::Duplicate]);
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        serde_json::from_slice::<Value>(&bytes).unwrap()
    );
}

#[test]
fn malformed_user_id_update_entry_costs_nothing_else() {
    let bytes = body("user_id_update_malformed_item.json");
    let p = parse(&bytes);
    let events: Vec<Event<'_>> = p.events().collect();
    assert_eq!(events.len(), 2, "{events:?}");
    let Event::Invalid(bad) = &events[0] else {
        panic!("{:?}", events[0])
    };
    assert_eq!(bad.kind(), InvalidKind::UserIdUpdate);
    assert!(bad.error().contains("current"), "{}", bad.error());
    assert_eq!(
        bad.raw().map(|r| r["user_id"]["previous"].clone()),
        Some(Value::from("CO.58301927465510293847"))
    );
    let Event::UserIdUpdate(good) = &events[1] else {
        panic!("{:?}", events[1])
    };
    assert_eq!(
        good.update().user_id.current.as_str(),
        "US.61029384756610293847"
    );
}

// ---------------------------------------------------------------------------------------------
// The state follows the user, through the store traits only

const T: u64 = 1_782_000_000;

/// Opt-out under the old phone number, then `user_changed_number`: marketing to the new number
/// (and to the BSUID) is refused; free-form answers follow the window.
fn opt_out_follows_a_number_change<W: WindowTracker, O: OptOutStore>(guard: &SendGuard<W, O>) {
    let old = UserKey::phone("14155550163");
    let new = UserKey::phone("14155550199");
    let sale = Outgoing::marketing_template("summer_sale");
    block_on(
        guard
            .opt_outs()
            .record(&old, Intent::OptOut, Source::Keyword, T),
    )
    .unwrap();
    block_on(guard.windows().record_inbound(&old, T)).unwrap();
    assert_eq!(block_on(guard.check(&new, &sale, T + 60)), Ok(()));

    let bytes = body("system_user_changed_number_ids.json");
    let p = parse(&bytes);
    for _ in 0..2 {
        // A redelivery of the change moves nothing further.
        block_on(guard.observe_payload(&p, &Keywords::default())).unwrap();
        for key in [&new, &UserKey::user_id("US.40918273645501928374")] {
            assert!(
                matches!(
                    block_on(guard.check(key, &sale, T + 60)),
                    Err(Refusal::OptedOut { .. })
                ),
                "{key:?}"
            );
        }
        assert_eq!(
            block_on(guard.check(&new, &Outgoing::FreeForm, T + 60)),
            Ok(())
        );
    }
}

/// A window opened under the old BSUID, then `user_changed_user_id`: free-form to the new BSUID is
/// allowed; an opt-out follows too.
fn window_follows_a_user_id_change<W: WindowTracker, O: OptOutStore>(guard: &SendGuard<W, O>) {
    let old = UserKey::user_id("BR.70412398765012345678");
    let new = UserKey::user_id("BR.70412398765099887766");
    let at = 1_786_200_000;
    block_on(guard.windows().record_inbound(&old, at - 3_600)).unwrap();
    block_on(
        guard
            .opt_outs()
            .record(&old, Intent::OptOut, Source::UserPreferences, at - 60),
    )
    .unwrap();
    assert!(matches!(
        block_on(guard.check(&new, &Outgoing::FreeForm, at + 60)),
        Err(Refusal::WindowClosed { .. })
    ));

    let bytes = body("system_user_changed_user_id.json");
    block_on(guard.observe_payload(&parse(&bytes), &Keywords::default())).unwrap();
    assert_eq!(
        block_on(guard.check(&new, &Outgoing::FreeForm, at + 60)),
        Ok(())
    );
    let window = block_on(guard.windows().window(&new))
        .unwrap()
        .expect("moved");
    assert_eq!(window.last_inbound(), Some(at - 3_600));
    let record = block_on(guard.opt_outs().status(&new)).unwrap();
    assert_eq!(
        record,
        Some(OptOutRecord::new(
            Intent::OptOut,
            Source::UserPreferences,
            at - 60
        ))
    );
}

/// The legacy `user_id_update` field moves windows and opt-outs the same way.
fn state_follows_a_legacy_user_id_update<W: WindowTracker, O: OptOutStore>(
    guard: &SendGuard<W, O>,
) {
    let opted_out = UserKey::user_id("US.40918273645501928374");
    let chatting = UserKey::user_id("CO.58301927465510293847");
    let sale = Outgoing::marketing_template("summer_sale");
    let at = 1_782_300_060;
    block_on(
        guard
            .opt_outs()
            .record(&opted_out, Intent::OptOut, Source::Keyword, at - 600),
    )
    .unwrap();
    block_on(guard.windows().record_inbound(&chatting, at - 600)).unwrap();

    let bytes = body("user_id_update.json");
    block_on(guard.observe_payload(&parse(&bytes), &Keywords::default())).unwrap();
    for key in [
        UserKey::user_id("US.61029384756610293847"),
        UserKey::phone("14155550163"),
    ] {
        assert!(
            matches!(
                block_on(guard.check(&key, &sale, at)),
                Err(Refusal::OptedOut { .. })
            ),
            "{key:?}"
        );
    }
    let new = UserKey::user_id("CO.90817263544510293847");
    assert_eq!(block_on(guard.check(&new, &Outgoing::FreeForm, at)), Ok(()));
}

/// A number change that names no BSUID (the older `customer_changed_number`): the opt-out holds
/// under the new number and still under the BSUID the user was known by.
fn opt_out_keeps_the_bsuid_across_a_bare_number_change<W: WindowTracker, O: OptOutStore>(
    guard: &SendGuard<W, O>,
) {
    let bsuid = UserKey::user_id("US.22334455667788990011");
    let known = bsuid.clone().with_phone("14155550123");
    let sale = Outgoing::marketing_template("summer_sale");
    block_on(
        guard
            .opt_outs()
            .record(&known, Intent::OptOut, Source::Keyword, 1_672_531_000),
    )
    .unwrap();
    let bytes = body("system_customer_changed_number.json");
    block_on(guard.observe_payload(&parse(&bytes), &Keywords::default())).unwrap();
    for key in [&bsuid, &UserKey::phone("14155550188")] {
        assert!(
            matches!(
                block_on(guard.check(key, &sale, 1_672_532_000)),
                Err(Refusal::OptedOut { .. })
            ),
            "{key:?}"
        );
    }
}

fn every_scenario<W: WindowTracker, O: OptOutStore>(guard: impl Fn() -> SendGuard<W, O>) {
    opt_out_follows_a_number_change(&guard());
    opt_out_keeps_the_bsuid_across_a_bare_number_change(&guard());
    window_follows_a_user_id_change(&guard());
    state_follows_a_legacy_user_id_update(&guard());
}

#[test]
fn in_memory_stores_follow_a_user_across_id_changes() {
    every_scenario(|| SendGuard::new(InMemoryWindowTracker::default(), InMemoryOptOutStore::new()));
}

/// Stores implementing only the required methods: the traits' default `rename` is what moves the
/// state, as it would for a store of your own that does not override it.
struct RequiredOnly<T>(T);

impl<T: WindowTracker> WindowTracker for RequiredOnly<T> {
    fn record_inbound<'a>(
        &'a self,
        u: &'a UserKey,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.0.record_inbound(u, at)
    }
    fn record_entry_point<'a>(
        &'a self,
        u: &'a UserKey,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.0.record_entry_point(u, at)
    }
    fn record_outbound<'a>(
        &'a self,
        u: &'a UserKey,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.0.record_outbound(u, at)
    }
    fn record_free_entry_point_until<'a>(
        &'a self,
        u: &'a UserKey,
        closes_at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.0.record_free_entry_point_until(u, closes_at)
    }
    fn window<'a>(&'a self, u: &'a UserKey) -> BoxFuture<'a, Result<Option<Window>, StoreError>> {
        self.0.window(u)
    }
}

impl<T: OptOutStore> OptOutStore for RequiredOnly<T> {
    fn record<'a>(
        &'a self,
        u: &'a UserKey,
        intent: Intent,
        source: Source,
        at: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.0.record(u, intent, source, at)
    }
    fn status<'a>(
        &'a self,
        u: &'a UserKey,
    ) -> BoxFuture<'a, Result<Option<OptOutRecord>, StoreError>> {
        self.0.status(u)
    }
}

#[test]
fn stores_with_only_the_required_methods_follow_a_user_across_id_changes() {
    every_scenario(|| {
        SendGuard::new(
            RequiredOnly(InMemoryWindowTracker::default()),
            RequiredOnly(InMemoryOptOutStore::new()),
        )
    });
}

#[test]
fn default_rename_rebuilds_a_free_entry_point_window_on_the_new_ids() {
    let tracker = RequiredOnly(InMemoryWindowTracker::default());
    let (old, new) = (UserKey::phone("14155550163"), UserKey::phone("14155550199"));
    block_on(tracker.record_entry_point(&old, T)).unwrap();
    block_on(tracker.record_outbound(&old, T + 600)).unwrap();
    block_on(tracker.record_free_entry_point_until(&old, T + 900_000)).unwrap();
    block_on(tracker.rename(&old, &new)).unwrap();
    let moved = block_on(tracker.window(&new)).unwrap();
    assert_eq!(moved, block_on(tracker.window(&old)).unwrap());
    assert!(moved.is_some());
}

#[test]
fn a_status_with_a_phone_number_and_a_bsuid_names_both_as_its_recipient() {
    let bytes = body("status_parent_user_id_names.json");
    let p = parse(&bytes);
    let statuses: Vec<_> = p
        .events()
        .filter_map(|e| match e {
            Event::Status(s) => Some(s),
            _ => None,
        })
        .collect();
    let mut both = 0;
    for s in &statuses {
        let expected = match (s.recipient_id(), s.recipient_user_id()) {
            (Some(phone), Some(user_id)) => {
                both += 1;
                Recipient::phone_and_user_id(phone, user_id)
            }
            (None, Some(user_id)) => Recipient::user_id(user_id),
            other => panic!("the fixture's statuses all carry a BSUID: {other:?}"),
        };
        assert_eq!(s.update().recipient(), Some(expected));
    }
    assert_eq!((statuses.len(), both), (4, 1));
}
