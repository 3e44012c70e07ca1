//! Property tests: no input makes webhook parsing or verification panic, and one corrupted message
//! (or automatic event) never costs the other events of its delivery.

use proptest::prelude::*;
use serde_json::{Value, json};
use whatsapp_cloud::webhook::{self, Event, MessageContent, Payload, SignatureVerifier};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/webhooks/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(path).expect("fixture")
}

const FIXTURES: &[&str] = &[
    "text.json",
    "batched.json",
    "image.json",
    "contacts.json",
    "order.json",
    "status_failed.json",
    "interactive_nfm_reply.json",
    "template_status_update.json",
    "text_unicode_escaped.json",
    "message_bsuid_parent_username.json",
    "status_parent_user_id_names.json",
    "user_id_update.json",
    "calls_terminate.json",
    "smb_message_echoes.json",
    "history.json",
    "group_participants_update.json",
    "edit_caption.json",
    "revoke.json",
    "unsupported_kinds.json",
    "contacts_request_reply_message_origin.json",
    "contacts_vcard.json",
    "account_update_events.json",
    "flows.json",
    "automatic_events.json",
    "business_capability_update.json",
];

/// Parses and walks every event, touching every accessor that reads content.
fn exercise(body: &[u8]) {
    if let Ok(p) = Payload::from_slice(body) {
        for e in p.events() {
            let _ = e.context().waba_id();
            match &e {
                Event::Message(m) => {
                    let _ = (
                        m.id(),
                        m.timestamp(),
                        m.from(),
                        m.user_id(),
                        m.parent_user_id(),
                        m.phone(),
                        m.username(),
                        m.text(),
                        m.content(),
                    );
                }
                Event::Call(c) => {
                    let _ = (c.update().user_phone(), c.update().user_id(), c.contact());
                }
                Event::MessageEcho(m) => {
                    let _ = (m.update().message().content(), m.update().to(), m.contact());
                }
                Event::History(h) => {
                    let _ = (h.metadata(), h.messages().len(), h.is_declined());
                }
                _ => {}
            }
            if let Event::Status(s) = &e {
                let _ = (
                    s.recipient_id(),
                    s.recipient_user_id(),
                    s.contact(),
                    s.update().recipient(),
                    s.update().recipient_parent_user_id(),
                );
            }
        }
        let again = serde_json::to_vec(&p).expect("a parsed payload serializes");
        assert!(
            Payload::from_slice(&again).is_ok(),
            "serialized form parses again"
        );
    }
    let _ = webhook::verify_subscription(&String::from_utf8_lossy(body), "token");
    let v = SignatureVerifier::new("secret").expect("secret");
    let _ = v.verify(body, std::str::from_utf8(body).ok());
}

fn a_message(i: usize) -> Value {
    json!({"from": "16505551234", "id": format!("wamid.M{i}"), "timestamp": "1749416383",
           "type": "text", "text": {"body": format!("message {i}")}})
}

/// Ways to corrupt one message so that it can no longer be read as its type.
fn corruption() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(null)),
        Just(json!(42)),
        Just(json!("wamid.X")),
        Just(json!([])),
        Just(json!({"type": "text"})),
        Just(json!({"id": "wamid.C", "timestamp": "x", "type": "text", "text": {"body": "b"}})),
        Just(json!({"id": "wamid.C", "timestamp": "1", "type": "image", "image": {"caption": 1}})),
        Just(json!({"id": "wamid.C", "timestamp": "1", "type": "location", "location": {}})),
        Just(
            json!({"id": "wamid.C", "timestamp": "1", "type": "interactive", "interactive": {"type": "list_reply"}})
        ),
        Just(json!({"id": 7, "timestamp": [], "type": {}, "text": "oops"})),
        Just(json!({"id": "wamid.C", "timestamp": "1", "type": "revoke", "revoke": {}})),
        Just(
            json!({"id": "wamid.C", "timestamp": "1", "type": "edit", "edit": {"message": {"type": "text", "text": {"body": "b"}}}})
        ),
        Just(json!({"id": "wamid.C", "timestamp": "1", "type": "edit", "edit": "wamid.X"})),
        Just(
            json!({"id": "wamid.C", "timestamp": "1", "type": "contacts", "contacts": [{"origin": 5}]})
        ),
        // A made-up type (types that need no content object cannot be corrupted this way).
        any::<String>()
            .prop_filter("a type without content", |s| s != "request_welcome"
                && s != "unsupported")
            .prop_map(|s| json!({"id": "wamid.C", "timestamp": "1", "type": s})),
    ]
}

/// The three names Meta gave a status's parent BSUID in 2026, newest first.
const PARENT_NAMES: [&str; 3] = [
    "recipient_parent_user_id",
    "parent_recipient_user_id",
    "parent_user_id",
];

/// A readable item of a listed field's list, by field.
fn a_listed_item(field: &str, i: usize) -> Value {
    match field {
        "calls" => json!({"id": format!("wacid.C{i}"), "from": "16505551234", "to": "15550783881",
                          "event": "connect", "timestamp": "1767225600",
                          "direction": "USER_INITIATED"}),
        "smb_message_echoes" => json!({"from": "15550783881", "to": "16505551234",
                                       "id": format!("wamid.E{i}"), "timestamp": "1767225600",
                                       "type": "text", "text": {"body": format!("echo {i}")}}),
        "smb_app_state_sync" => json!({"type": "contact", "action": "add",
                                       "contact": {"phone_number": format!("1650555{i:04}")}}),
        _ => json!({"timestamp": "1767225600", "group_id": format!("G{i}"),
                    "type": "group_suspend"}),
    }
}

/// Where a listed field keeps its items.
fn list_key(field: &str) -> &'static str {
    match field {
        "calls" => "calls",
        "smb_message_echoes" => "message_echoes",
        "smb_app_state_sync" => "state_sync",
        _ => "groups",
    }
}

/// Ways to corrupt one item of a listed field.
fn item_corruption() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(null)),
        Just(json!(42)),
        Just(json!("wacid.X")),
        Just(json!([])),
        Just(json!({"timestamp": [], "type": 7, "event": {}, "action": 1})),
    ]
}

/// What an edit's new message may be: well-formed content, content of made-up types, broken
/// content, or no object at all.
fn edited_message() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<String>().prop_map(|s| json!({"type": "text", "text": {"body": s}})),
        any::<String>().prop_map(|s| json!({"type": "image", "image": {"id": "1", "caption": s}})),
        any::<String>().prop_map(|s| json!({"type": s, "context": {"id": "wamid.Q"}})),
        Just(json!({"type": "text", "text": {"body": 5}})),
        Just(json!({"type": "location", "location": {}})),
        Just(json!({"text": {"body": "no type"}})),
        Just(json!(null)),
        Just(json!([1, 2])),
        any::<i64>().prop_map(|n| json!(n)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any mix of the optional identity fields on a message, its contact and a status reads
    /// cleanly; the accessors give what was sent, and every item serializes back to its input.
    #[test]
    fn optional_identity_fields_read_as_sent(
        from in prop::option::of("[1-9][0-9]{7,14}"),
        user in prop::option::of("[A-Z]{2}\\.[0-9A-Za-z]{1,40}"),
        parent in prop::option::of("[A-Z]{2}\\.ENT\\.[0-9]{1,30}"),
        blank_wa_id in any::<bool>(),
        parent_name in 0..PARENT_NAMES.len(),
        with_recipient_id in any::<bool>(),
    ) {
        prop_assume!(from.is_some() || user.is_some());
        let mut message = json!({"id": "wamid.P", "timestamp": "1782000000", "type": "text",
            "text": {"body": "hi"}});
        let mut contact = json!({"profile": {"name": "Ana", "username": "@ana"}});
        let mut status = json!({"id": "wamid.Q", "status": "delivered", "timestamp": "1782000001"});
        if let Some(f) = &from {
            message["from"] = json!(f);
            contact["wa_id"] = json!(f);
            if with_recipient_id {
                status["recipient_id"] = json!(f);
            }
        } else if blank_wa_id {
            contact["wa_id"] = json!("");
        }
        if let Some(u) = &user {
            message["from_user_id"] = json!(u);
            contact["user_id"] = json!(u);
            status["recipient_user_id"] = json!(u);
        }
        if let Some(p) = &parent {
            message["from_parent_user_id"] = json!(p);
            contact["parent_user_id"] = json!(p);
            status[PARENT_NAMES[parent_name]] = json!(p);
        }
        let body = json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
            "field": "messages", "value": {"messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "contacts": [contact], "messages": [message.clone()], "statuses": [status.clone()]}}]}]});
        let bytes = serde_json::to_vec(&body).unwrap();
        let p = Payload::from_slice(&bytes).unwrap();
        let events: Vec<Event<'_>> = p.events().collect();
        prop_assert_eq!(events.len(), 2);
        let Event::Message(m) = &events[0] else {
            return Err(TestCaseError::fail(format!("{:?}", events[0])));
        };
        prop_assert_eq!(m.from(), from.as_deref());
        prop_assert_eq!(m.phone(), from.as_deref());
        prop_assert_eq!(m.user_id(), user.as_deref());
        prop_assert_eq!(m.parent_user_id(), parent.as_deref());
        prop_assert_eq!(m.username(), Some("@ana"));
        prop_assert_eq!(serde_json::to_value(m.message()).unwrap(), message);
        let Event::Status(s) = &events[1] else {
            return Err(TestCaseError::fail(format!("{:?}", events[1])));
        };
        let recipient_id = from.as_deref().filter(|_| with_recipient_id);
        prop_assert_eq!(s.recipient_id(), recipient_id);
        prop_assert_eq!(s.recipient_user_id(), user.as_deref());
        prop_assert_eq!(
            s.update().recipient_parent_user_id().map(|u| u.as_str()),
            parent.as_deref()
        );
        prop_assert_eq!(s.contact().and_then(|c| c.name()), Some("Ana"));
        prop_assert_eq!(
            s.update().recipient().is_some(),
            recipient_id.is_some() || user.is_some()
        );
        prop_assert_eq!(serde_json::to_value(s.update()).unwrap(), status);
        prop_assert_eq!(serde_json::to_value(&p).unwrap(), body);
    }

    #[test]
    fn one_corrupted_item_of_a_listed_field_keeps_every_other_event(
        field in prop::sample::select(vec![
            "calls", "smb_message_echoes", "smb_app_state_sync", "group_status_update",
        ]),
        good in 1usize..6,
        at in any::<prop::sample::Index>(),
        bad in item_corruption(),
    ) {
        let mut items: Vec<Value> = (0..good).map(|i| a_listed_item(field, i)).collect();
        let pos = at.index(good + 1);
        items.insert(pos, bad);
        let mut value = json!({"messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}});
        value[list_key(field)] = Value::Array(items);
        let body = json!({"object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"value": value, "field": field}]}]});
        let bytes = serde_json::to_vec(&body).unwrap();
        let p = Payload::from_slice(&bytes).unwrap();
        let events: Vec<Event<'_>> = p.events().collect();
        prop_assert_eq!(events.len(), good + 1);
        for (i, e) in events.iter().enumerate() {
            let readable = match e {
                Event::Call(_) | Event::StateSync(_) | Event::GroupStatus(_) => true,
                Event::MessageEcho(m) => !matches!(
                    m.update().message().content(),
                    MessageContent::Invalid(_) | MessageContent::Unknown(_)
                ),
                Event::Invalid(_) => false,
                other => {
                    prop_assert!(false, "{:?}", other);
                    false
                }
            };
            prop_assert_eq!(readable, i != pos, "event {} of {}: {:?}", i, field, e);
        }
        let again: Value = serde_json::to_value(&p).unwrap();
        prop_assert_eq!(again, body);
    }

    #[test]
    fn an_edit_stays_an_edit_whatever_its_new_message(
        new in edited_message(),
        good in 0usize..3,
    ) {
        let mut messages: Vec<Value> = (0..good).map(a_message).collect();
        let edit = json!({"from": "16505551234", "id": "wamid.E", "timestamp": "1749416383",
            "type": "edit", "edit": {"original_message_id": "wamid.O", "message": new}});
        messages.push(edit.clone());
        let body = json!({"object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"field": "messages", "value": {"messages": messages}}]}]});
        let bytes = serde_json::to_vec(&body).unwrap();
        let p = Payload::from_slice(&bytes).unwrap();
        let events: Vec<Event<'_>> = p.events().collect();
        prop_assert_eq!(events.len(), good + 1);
        let Some(Event::Message(m)) = events.last() else {
            return Err(TestCaseError::fail("the edit is not the last event"));
        };
        let MessageContent::Edit(e) = m.content() else {
            return Err(TestCaseError::fail(format!("not an edit: {:?}", m.content())));
        };
        prop_assert_eq!(e.original_message_id.as_str(), "wamid.O");
        prop_assert_eq!(serde_json::to_value(m.message()).unwrap(), edit);
        prop_assert_eq!(serde_json::to_value(&p).unwrap(), body);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        exercise(&bytes);
    }

    #[test]
    fn mutated_valid_bodies_never_panic(
        which in 0..FIXTURES.len(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut body = fixture(FIXTURES[which]);
        for (at, byte) in edits {
            let i = at.index(body.len());
            body[i] = byte;
        }
        if truncate {
            body.truncate(cut.index(body.len()));
        }
        exercise(&body);
    }

    #[test]
    fn one_corrupted_message_keeps_every_other_event(
        good in 1usize..6,
        at in any::<prop::sample::Index>(),
        bad in corruption(),
        with_status in any::<bool>(),
    ) {
        let mut messages: Vec<Value> = (0..good).map(a_message).collect();
        let pos = at.index(good + 1);
        messages.insert(pos, bad);
        let mut value = json!({"messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "messages": messages});
        if with_status {
            value["statuses"] = json!([{"id": "wamid.S", "status": "read", "timestamp": "1", "recipient_id": "1"}]);
        }
        let body = json!({"object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"value": value, "field": "messages"}]}]});
        let bytes = serde_json::to_vec(&body).unwrap();
        let p = Payload::from_slice(&bytes).unwrap();
        let events: Vec<Event<'_>> = p.events().collect();
        prop_assert_eq!(events.len(), good + 1 + usize::from(with_status));
        let texts: Vec<String> = events
            .iter()
            .filter_map(|e| match e {
                Event::Message(m) => m.text().map(str::to_owned),
                _ => None,
            })
            .collect();
        let want: Vec<String> = (0..good).map(|i| format!("message {i}")).collect();
        prop_assert_eq!(texts, want);
        match &events[pos] {
            Event::Message(m) => prop_assert!(
                matches!(m.content(), MessageContent::Invalid(_) | MessageContent::Unknown(_)),
                "corrupted message came out as {:?}", m.content()
            ),
            other => prop_assert!(false, "position {} is {:?}", pos, other),
        }
        if with_status {
            prop_assert!(matches!(events.last(), Some(Event::Status(_))));
        }
        let again: Value = serde_json::to_value(&p).unwrap();
        prop_assert_eq!(again, body);
    }

    #[test]
    fn one_corrupted_automatic_event_keeps_every_other_event(
        good in 1usize..6,
        at in any::<prop::sample::Index>(),
        bad in corruption(),
    ) {
        let mut items: Vec<Value> = (0..good)
            .map(|i| json!({"id": format!("wamid.A{i}"), "event_name": "LeadSubmitted",
                            "timestamp": 1764547300 + i}))
            .collect();
        let pos = at.index(good + 1);
        items.insert(pos, bad);
        let body = json!({"object": "whatsapp_business_account",
            "entry": [{"id": "1", "time": 5, "changes": [{"field": "automatic_events",
                "value": {"messaging_product": "whatsapp", "automatic_events": items}}]}]});
        let bytes = serde_json::to_vec(&body).unwrap();
        let p = Payload::from_slice(&bytes).unwrap();
        let events: Vec<Event<'_>> = p.events().collect();
        prop_assert_eq!(events.len(), good + 1);
        let ids: Vec<String> = events
            .iter()
            .filter_map(|e| match e {
                Event::AutomaticEvent(a) => Some(a.update().id.as_str().to_owned()),
                _ => None,
            })
            .collect();
        let want: Vec<String> = (0..good).map(|i| format!("wamid.A{i}")).collect();
        prop_assert_eq!(ids, want);
        prop_assert!(
            matches!(&events[pos], Event::Invalid(_)),
            "corrupted item came out as {:?}", &events[pos]
        );
        let again: Value = serde_json::to_value(&p).unwrap();
        prop_assert_eq!(again, body);
    }
}
