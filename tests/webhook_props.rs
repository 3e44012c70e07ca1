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
            if let Event::Message(m) = &e {
                let _ = (
                    m.id(),
                    m.timestamp(),
                    m.from(),
                    m.user_id(),
                    m.text(),
                    m.content(),
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
        // A made-up type (types that need no content object cannot be corrupted this way).
        any::<String>()
            .prop_filter("a type without content", |s| s != "request_welcome"
                && s != "unsupported")
            .prop_map(|s| json!({"id": "wamid.C", "timestamp": "1", "type": s})),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

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
