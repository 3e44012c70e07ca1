//! The message kinds of 2026 on our own fixtures: edits and revokes, `unsupported` messages with
//! their kind, and replies to a request for contact information (origin on the card or on the
//! message, a card without a name, a card with its vCard).

mod common;

use serde_json::{Value, json};
use whatsapp_cloud::webhook::{
    ContactOrigin, ContactsContent, Edit, Event, MessageContent, MessageEvent, Payload,
    UnsupportedKind,
};

const NEW_FIXTURES: &[&str] = &[
    "edit_text.json",
    "edit_caption.json",
    "edit_unreadable_content.json",
    "revoke.json",
    "unsupported_kinds.json",
    "contacts_request_reply.json",
    "contacts_request_reply_message_origin.json",
    "contacts_vcard.json",
];

fn parse(name: &str) -> Payload<'static> {
    Payload::from_slice(&common::fixture(&format!("webhooks/{name}")))
        .map(Payload::into_owned)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn messages<'a>(p: &'a Payload<'_>) -> Vec<MessageEvent<'a>> {
    p.events()
        .map(|e| match e {
            Event::Message(m) => m,
            other => panic!("not a message: {other:?}"),
        })
        .collect()
}

fn only_message<'a>(p: &'a Payload<'_>) -> MessageEvent<'a> {
    let mut all = messages(p);
    assert_eq!(all.len(), 1, "exactly one message");
    all.remove(0)
}

fn edit<'a>(m: &MessageEvent<'a>) -> &'a Edit<'a> {
    match m.content() {
        MessageContent::Edit(e) => e,
        other => panic!("not an edit: {other:?}"),
    }
}

fn contacts<'a>(m: &MessageEvent<'a>) -> &'a ContactsContent {
    match m.content() {
        MessageContent::Contacts(c) => c,
        other => panic!("not contacts: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Edits and revokes

#[test]
fn edit_of_a_text_carries_the_original_id_and_the_new_text() {
    let p = parse("edit_text.json");
    let m = only_message(&p);
    assert_eq!(m.message().kind(), "edit");
    assert!(
        m.id().contains("RURJVFRFWFQ"),
        "the edit's own id: {}",
        m.id()
    );
    assert_eq!(m.user_id(), Some("GB.55128890347712094456"));
    let e = edit(&m);
    assert_eq!(
        e.original_message_id.as_str(),
        "wamid.HBgMNDQ3NzAwOTAwNDU2FQIAEhgUT1JJR1RFWFQwMDAwMDAwMDAwMQA="
    );
    assert_eq!(e.kind, "text");
    assert_eq!(e.context, None);
    let MessageContent::Text(t) = &*e.content else {
        panic!("{:?}", e.content)
    };
    assert_eq!(t.body, "Table for four at 8, not 7 — sorry!");
    assert_eq!(e.new_text(), Some("Table for four at 8, not 7 — sorry!"));
    // The message's own text is the edit's business, not a text message's.
    assert_eq!(m.text(), None);
}

#[test]
fn edit_of_a_caption_types_the_new_media_and_its_context() {
    let p = parse("edit_caption.json");
    let m = only_message(&p);
    let e = edit(&m);
    assert_eq!(e.kind, "image");
    let MessageContent::Image(img) = &*e.content else {
        panic!("{:?}", e.content)
    };
    assert_eq!(img.id.as_str(), "2231990876543210");
    assert_eq!(img.mime_type.as_deref(), Some("image/jpeg"));
    assert_eq!(e.new_text(), Some("The crack is on the left hinge"));
    let ctx = e.context.as_ref().expect("context of the edited message");
    assert_eq!(
        ctx.id.as_ref().map(|id| id.as_str()),
        Some("wamid.HBgMMTU1NTA3ODM4ODEVAgARGBRCVVNJTkVTU1JFUExZMDAwMDAxAA==")
    );
    assert!(
        m.message().context().is_none(),
        "the context is the edited message's"
    );
}

#[test]
fn revoke_names_the_deleted_message() {
    let p = parse("revoke.json");
    let m = only_message(&p);
    let MessageContent::Revoke(r) = m.content() else {
        panic!("{:?}", m.content())
    };
    assert_eq!(
        r.original_message_id.as_str(),
        "wamid.HBgMNDQ3NzAwOTAwNDU2FQIAEhgUT1JJR1JFVk9LRTAwMDAwMDAwMwA="
    );
    assert_eq!(m.message().kind(), "revoke");
    assert_eq!(m.from(), Some("447700900456"));
    assert_eq!(m.timestamp(), 1_781_003_220);
}

#[test]
fn an_edit_whose_new_content_does_not_read_stays_an_edit_with_that_content_kept_raw() {
    let p = parse("edit_unreadable_content.json");
    let all = messages(&p);
    assert_eq!(all.len(), 3);

    let unknown = edit(&all[0]);
    assert_eq!(
        unknown.original_message_id.as_str(),
        "wamid.ORIGUNKNOWNTYPE0001"
    );
    assert_eq!(unknown.kind, "hologram");
    let MessageContent::Unknown(u) = &*unknown.content else {
        panic!("{:?}", unknown.content)
    };
    assert_eq!(u.kind, "hologram");
    assert_eq!(
        u.raw,
        json!({"type": "hologram", "hologram": {"frames": 3}})
    );
    assert_eq!(unknown.new_text(), None);

    let no_text = edit(&all[1]);
    assert_eq!(
        no_text.original_message_id.as_str(),
        "wamid.ORIGNOTEXTOBJECT0002"
    );
    let MessageContent::Invalid(i) = &*no_text.content else {
        panic!("{:?}", no_text.content)
    };
    assert_eq!(i.kind.as_deref(), Some("text"));
    assert!(i.error.contains("text"), "{}", i.error);
    assert_eq!(i.raw, json!({"type": "text"}));

    let no_type = edit(&all[2]);
    assert_eq!(
        no_type.original_message_id.as_str(),
        "wamid.ORIGNOTYPE00000003"
    );
    let MessageContent::Invalid(i) = &*no_type.content else {
        panic!("{:?}", no_type.content)
    };
    assert_eq!(i.kind, None);
    assert_eq!(i.raw["text"]["body"], "no type here");
}

#[test]
fn an_edit_without_its_original_id_or_a_revoke_without_its_object_is_invalid_alone() {
    let body = envelope(vec![
        json!({"from": "447700900456", "id": "wamid.A", "timestamp": "1781003300", "type": "edit",
               "edit": {"message": {"type": "text", "text": {"body": "lost id"}}}}),
        json!({"from": "447700900456", "id": "wamid.B", "timestamp": "1781003301", "type": "revoke"}),
        json!({"from": "447700900456", "id": "wamid.C", "timestamp": "1781003302", "type": "revoke",
               "revoke": {"original_message_id": "wamid.GONE"}}),
    ]);
    let bytes = serde_json::to_vec(&body).unwrap();
    let p = Payload::from_slice(&bytes).unwrap();
    let all = messages(&p);
    assert_eq!(all.len(), 3);
    for m in &all[..2] {
        let MessageContent::Invalid(i) = m.content() else {
            panic!("{}: {:?}", m.id(), m.content())
        };
        assert_eq!(i.kind.as_deref(), Some(m.message().kind()));
    }
    assert!(
        matches!(all[2].content(), MessageContent::Revoke(r) if r.original_message_id.as_str() == "wamid.GONE")
    );
    assert_eq!(serde_json::to_value(&p).unwrap(), body);
}

// ---------------------------------------------------------------------------------------------
// Unsupported messages

#[test]
fn unsupported_messages_type_what_the_user_sent_and_keep_their_errors() {
    let p = parse("unsupported_kinds.json");
    let want = [
        UnsupportedKind::Edit,
        UnsupportedKind::PollCreation,
        UnsupportedKind::PollUpdate,
        UnsupportedKind::Pin,
        UnsupportedKind::GroupInvite,
        UnsupportedKind::Gif,
        UnsupportedKind::KeepInChat,
        UnsupportedKind::LinkPreview,
        UnsupportedKind::Product,
        UnsupportedKind::Order,
        UnsupportedKind::Reaction,
        UnsupportedKind::Button,
        UnsupportedKind::List,
        UnsupportedKind::Interactive,
        UnsupportedKind::Image,
        UnsupportedKind::Location,
        UnsupportedKind::MediaPlaceholder,
        UnsupportedKind::Hsm,
        UnsupportedKind::Errors,
        UnsupportedKind::Unknown("sticker_pack".into()),
    ];
    let all = messages(&p);
    assert_eq!(all.len(), want.len());
    for (m, want) in all.iter().zip(want) {
        let MessageContent::Unsupported(u) = m.content() else {
            panic!("{:?}", m.content())
        };
        assert_eq!(u.kind.as_ref(), Some(&want), "{}", m.id());
        assert_eq!(UnsupportedKind::parse(want.as_str()), want);
        assert_eq!(m.message().errors().len(), 1, "{}", m.id());
        assert_eq!(m.message().errors()[0].code, 131051);
    }
}

// ---------------------------------------------------------------------------------------------
// Contact-information replies

#[test]
fn contact_request_reply_with_the_origin_on_the_card_and_no_name() {
    let p = parse("contacts_request_reply.json");
    let m = only_message(&p);
    assert_eq!(m.from(), None);
    assert_eq!(m.user_id(), Some("IN.77261538490012736455"));
    let c = contacts(&m);
    assert_eq!(c.origin, None);
    assert!(c.is_contact_request_reply());
    assert_eq!(c.contacts.len(), 1);
    let card = &c.contacts[0];
    assert_eq!(card.name, None);
    assert_eq!(card.origin, Some(ContactOrigin::ContactRequest));
    assert_eq!(c.origin_of(card), Some(&ContactOrigin::ContactRequest));
    assert_eq!(card.vcard, None);
    assert_eq!(card.phones.len(), 1);
    assert_eq!(card.phones[0].wa_id.as_deref(), Some("919876501234"));
    assert_eq!(card.phones[0].phone.as_deref(), Some("+91 98765 01234"));
}

#[test]
fn contact_request_reply_with_the_origin_on_the_message() {
    let p = parse("contacts_request_reply_message_origin.json");
    let m = only_message(&p);
    let c = contacts(&m);
    assert_eq!(c.origin, Some(ContactOrigin::ContactRequest));
    assert!(c.is_contact_request_reply());
    let card = &c.contacts[0];
    assert_eq!(card.origin, None);
    assert_eq!(c.origin_of(card), Some(&ContactOrigin::ContactRequest));
    assert_eq!(
        card.name.as_ref().and_then(|n| n.formatted_name.as_deref()),
        Some("Devika Rao")
    );
    assert_eq!(card.phones[0].wa_id.as_deref(), Some("919876501234"));
}

#[test]
fn shared_card_of_origin_other_carries_its_vcard_and_an_unknown_origin_is_kept() {
    let p = parse("contacts_vcard.json");
    let m = only_message(&p);
    let c = contacts(&m);
    assert!(!c.is_contact_request_reply());
    assert_eq!(c.contacts.len(), 2);
    let card = &c.contacts[0];
    assert_eq!(card.origin, Some(ContactOrigin::Other));
    let vcard = card.vcard.as_deref().expect("vcard");
    assert!(vcard.starts_with("BEGIN:VCARD\n"), "{vcard}");
    assert!(vcard.contains("FN:Olu Adeyemi"), "{vcard}");
    let other = &c.contacts[1];
    assert_eq!(other.origin, Some(ContactOrigin::Unknown("qr_scan".into())));
    assert_eq!(
        c.origin_of(other).map(ContactOrigin::as_str),
        Some("qr_scan")
    );
    assert_eq!(other.vcard, None);
}

// ---------------------------------------------------------------------------------------------
// Both readers, and Meta's shape back

fn envelope(messages: Vec<Value>) -> Value {
    json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [
        {"field": "messages", "value": {"messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "messages": messages}}]}]})
}

#[test]
fn typed_messages_of_the_new_kinds_serialize_to_metas_shape() {
    for name in NEW_FIXTURES {
        let input = common::fixture_json(&format!("webhooks/{name}"));
        let p = parse(name);
        let want = input["entry"][0]["changes"][0]["value"]["messages"]
            .as_array()
            .expect("messages");
        let got: Vec<Value> = messages(&p)
            .iter()
            .map(|m| serde_json::to_value(m.message()).unwrap())
            .collect();
        assert_eq!(&got, want, "{name}");
        assert_eq!(serde_json::to_value(&p).unwrap(), input, "{name}");
    }
}

#[test]
fn the_item_by_item_read_gives_what_the_one_pass_read_gives() {
    // A message with no `type` next to them sends the whole value down the item-by-item read.
    for name in NEW_FIXTURES {
        let input = common::fixture_json(&format!("webhooks/{name}"));
        let fast = parse(name);
        let mut all = input["entry"][0]["changes"][0]["value"]["messages"]
            .as_array()
            .expect("messages")
            .clone();
        all.push(json!({"id": "wamid.NOTYPE", "timestamp": "1"}));
        let bytes = serde_json::to_vec(&envelope(all)).unwrap();
        let slow = Payload::from_slice(&bytes).unwrap();
        let slow = messages(&slow);
        let fast = messages(&fast);
        assert_eq!(slow.len(), fast.len() + 1, "{name}");
        assert!(matches!(
            slow.last().map(|m| m.content()),
            Some(MessageContent::Invalid(_))
        ));
        for (a, b) in fast.iter().zip(&slow) {
            assert_eq!(a.message(), b.message(), "{name}");
        }
    }
}

#[test]
fn owned_messages_of_the_new_kinds_equal_the_borrowed_ones() {
    for name in NEW_FIXTURES {
        let bytes = common::fixture(&format!("webhooks/{name}"));
        let p = Payload::from_slice(&bytes).unwrap();
        for m in messages(&p) {
            assert_eq!(&m.message().clone().into_owned(), m.message(), "{name}");
        }
    }
}

#[test]
fn a_message_level_origin_of_another_shape_is_ignored_on_both_reads() {
    let text = json!({"from": "447700900456", "id": "wamid.T", "timestamp": "1781005200",
        "type": "text", "text": {"body": "hi"}, "origin": {"source": "ads"}});
    let cards = json!({"from": "447700900456", "id": "wamid.K", "timestamp": "1781005201",
        "type": "contacts", "origin": 7, "contacts": [{"phones": [{"wa_id": "447700900789"}]}]});
    let check = |p: &Payload<'_>| {
        let all = messages(p);
        assert_eq!(all[0].text(), Some("hi"));
        let c = contacts(&all[1]);
        assert_eq!(c.origin, None);
        assert_eq!(
            c.contacts[0].phones[0].wa_id.as_deref(),
            Some("447700900789")
        );
    };
    let one_pass = serde_json::to_vec(&envelope(vec![text.clone(), cards.clone()])).unwrap();
    check(&Payload::from_slice(&one_pass).unwrap());
    let notype = json!({"id": "wamid.NOTYPE", "timestamp": "1"});
    let item_by_item = serde_json::to_vec(&envelope(vec![text, cards, notype])).unwrap();
    check(&Payload::from_slice(&item_by_item).unwrap());
}
