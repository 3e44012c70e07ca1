//! Webhook behaviour on our own fixtures (`tests/fixtures/webhooks/`): every inbound message type,
//! statuses, other fields, batching, isolation of bad items, signatures and the handshake.

use serde_json::Value;
use whatsapp_cloud::error::ErrorClass;
use whatsapp_cloud::ids::Recipient;
use whatsapp_cloud::webhook::{
    self, AccountEvent, Category, Event, HandshakeError, InteractiveReply, InvalidKind,
    MessageContent, MessageEvent, Payload, PayloadError, PreferenceValue, PricingModel,
    PricingType, RestrictionType, SignatureError, SignatureVerifier, StatusEvent, StatusKind,
    SystemKind, TemplateEvent, TemplateReason, UnsupportedKind,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/webhooks/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse(name: &str) -> Payload<'static> {
    Payload::from_slice(&fixture(name))
        .map(Payload::into_owned)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn only_message<'a>(p: &'a Payload<'_>) -> MessageEvent<'a> {
    let mut messages: Vec<_> = p
        .events()
        .filter_map(|e| match e {
            Event::Message(m) => Some(m),
            _ => None,
        })
        .collect();
    assert_eq!(messages.len(), 1, "exactly one message");
    messages.remove(0)
}

fn only_status<'a>(p: &'a Payload<'_>) -> StatusEvent<'a> {
    let mut statuses: Vec<_> = p
        .events()
        .filter_map(|e| match e {
            Event::Status(s) => Some(s),
            _ => None,
        })
        .collect();
    assert_eq!(statuses.len(), 1, "exactly one status");
    statuses.remove(0)
}

fn all_fixtures() -> Vec<String> {
    let dir = format!("{}/tests/fixtures/webhooks", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------------------------------------
// Inbound messages

#[test]
fn text_message_carries_its_context_and_sender() {
    let p = parse("text.json");
    let m = only_message(&p);
    assert_eq!(m.text(), Some("Does it come in another color?"));
    assert_eq!(
        m.id(),
        "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="
    );
    assert_eq!(m.timestamp(), 1_749_416_383);
    assert_eq!(m.from(), Some("16505551234"));
    assert_eq!(m.user_id(), Some("US.13491208655302741918"));
    assert_eq!(m.sender_name(), Some("Sheena Nelson"));
    assert_eq!(m.waba_id(), "102290129340398");
    assert_eq!(m.phone_number_id(), Some("106540352242922"));
    assert_eq!(m.display_phone_number(), Some("15550783881"));
    assert_eq!(m.context().field(), "messages");
    assert_eq!(m.message().kind(), "text");
}

#[test]
fn escaped_unicode_is_decoded_and_the_body_is_kept_verbatim() {
    let bytes = fixture("text_unicode_escaped.json");
    let p = Payload::from_slice(&bytes).unwrap();
    let m = only_message(&p);
    assert_eq!(m.text(), Some("äöå 😀 مرحبا \"quoted\" a/b"));
    assert_eq!(m.sender_name(), Some("Jürgen Müller"));
    // Serializing writes the escapes exactly as Meta sent them.
    let out = serde_json::to_vec(&p).unwrap();
    assert_eq!(out, bytes.trim_ascii_end());
}

#[test]
fn non_ascii_body_with_integer_timestamp_is_accepted() {
    let p = parse("text_non_ascii.json");
    let m = only_message(&p);
    assert_eq!(
        m.text(),
        Some("Hei! Kan jeg bytte størrelse? 🙏 日本語もOK")
    );
    assert_eq!(m.timestamp(), 1_749_417_000);
    assert_eq!(m.sender_name(), Some("Zoë Ødegård"));
}

#[test]
fn image_message_has_media_fields_and_url() {
    let p = parse("image.json");
    let m = only_message(&p);
    let MessageContent::Image(img) = m.content() else {
        panic!("{:?}", m.content())
    };
    assert_eq!(img.id.as_str(), "1046875223548710");
    assert_eq!(img.caption.as_deref(), Some("Receipt for order 7731"));
    assert_eq!(img.mime_type.as_deref(), Some("image/jpeg"));
    assert!(
        img.url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://lookaside"))
    );
    assert_eq!(m.text(), None);
}

#[test]
fn voice_note_is_an_audio_flagged_voice() {
    let p = parse("audio_voice.json");
    let MessageContent::Audio(a) = only_message(&p).content() else {
        panic!("not audio")
    };
    assert!(a.is_voice());
    assert_eq!(a.mime_type.as_deref(), Some("audio/ogg; codecs=opus"));
}

#[test]
fn video_document_and_animated_sticker_are_typed() {
    let p = parse("video.json");
    assert!(
        matches!(only_message(&p).content(), MessageContent::Video(v) if v.caption.as_deref() == Some("Unboxing"))
    );
    let p = parse("document.json");
    assert!(
        matches!(only_message(&p).content(), MessageContent::Document(d) if d.filename.as_deref() == Some("contrato-señal.pdf"))
    );
    let p = parse("sticker_animated.json");
    assert!(matches!(only_message(&p).content(), MessageContent::Sticker(s) if s.is_animated()));
}

#[test]
fn location_has_coordinates_and_place() {
    let p = parse("location.json");
    let MessageContent::Location(l) = only_message(&p).content() else {
        panic!("not location")
    };
    assert_eq!(l.latitude, 52.520008);
    assert_eq!(l.longitude, 13.404954);
    assert_eq!(l.name.as_deref(), Some("Café Einstein"));
}

#[test]
fn shared_contacts_are_typed() {
    let p = parse("contacts.json");
    let MessageContent::Contacts(content) = only_message(&p).content() else {
        panic!("not contacts")
    };
    let cards = &content.contacts;
    assert_eq!(content.origin, None);
    assert_eq!(cards.len(), 1);
    let c = &cards[0];
    assert_eq!(
        c.name.as_ref().and_then(|n| n.formatted_name.as_deref()),
        Some("Ana Gómez")
    );
    assert_eq!(c.phones[0].wa_id.as_deref(), Some("16505550199"));
    assert_eq!(c.emails[0].email.as_deref(), Some("ana@example.com"));
    assert_eq!(c.addresses[0].zip.as_deref(), Some("94025"));
    assert_eq!(
        c.org.as_ref().and_then(|o| o.company.as_deref()),
        Some("Example Ltd")
    );
    assert_eq!(c.birthday.as_deref(), Some("1990-02-14"));
}

#[test]
fn interactive_replies_are_typed() {
    let p = parse("interactive_button_reply.json");
    let m = only_message(&p);
    assert!(
        matches!(m.content(), MessageContent::Interactive(InteractiveReply::ButtonReply(b)) if b.id == "confirm-7731" && b.title == "Confirm")
    );
    assert_eq!(
        m.message()
            .context()
            .and_then(|c| c.id.as_ref())
            .map(|i| i.as_str()),
        Some("wamid.HBgLMTU1NTA3ODM4ODEVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA")
    );

    let p = parse("interactive_list_reply.json");
    let MessageContent::Interactive(InteractiveReply::ListReply(l)) = only_message(&p).content()
    else {
        panic!("not a list reply")
    };
    assert_eq!((l.id.as_str(), l.title.as_str()), ("slot-0930", "09:30"));
    assert_eq!(l.description.as_deref(), Some("Tuesday, with Dr. Müller"));

    let p = parse("interactive_call_permission_reply.json");
    let MessageContent::Interactive(InteractiveReply::CallPermissionReply(c)) =
        only_message(&p).content()
    else {
        panic!("not a call permission reply")
    };
    assert!(c.accepted());
    assert_eq!(c.expiration_timestamp, Some(1_750_021_183));
}

#[test]
fn flow_reply_keeps_response_json_raw_and_parsed() {
    let p = parse("interactive_nfm_reply.json");
    let MessageContent::Interactive(InteractiveReply::FlowReply(f)) = only_message(&p).content()
    else {
        panic!("not a flow reply")
    };
    assert_eq!(
        f.response_json,
        r#"{"flow_token":"tok-58c1","rating":"5","comment":"Très bien"}"#
    );
    let parsed = f.response().unwrap();
    assert_eq!(parsed["comment"], "Très bien");
    assert_eq!(f.flow_token().as_deref(), Some("tok-58c1"));
    assert_eq!(f.name.as_deref(), Some("flow"));
}

#[test]
fn template_quick_reply_button_is_typed() {
    let p = parse("button_quick_reply.json");
    let MessageContent::Button(b) = only_message(&p).content() else {
        panic!("not a button")
    };
    assert_eq!(b.payload.as_deref(), Some("STOP_PROMOTIONS"));
    assert_eq!(b.text, "Stop promotions");
}

#[test]
fn reactions_and_their_removal_in_both_forms() {
    let p = parse("reaction.json");
    let MessageContent::Reaction(r) = only_message(&p).content() else {
        panic!("not a reaction")
    };
    assert_eq!(r.emoji(), Some("👍"));
    assert!(!r.is_removed());
    for name in [
        "reaction_removed_empty.json",
        "reaction_removed_absent.json",
    ] {
        let p = parse(name);
        let MessageContent::Reaction(r) = only_message(&p).content() else {
            panic!("{name}: not a reaction")
        };
        assert!(r.is_removed(), "{name}");
        assert_eq!(r.emoji(), None);
        assert_eq!(
            r.message_id.as_str(),
            "wamid.HBgLMTU1NTA3ODM4ODEVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"
        );
    }
}

#[test]
fn order_accepts_numbers_and_numeric_strings() {
    let p = parse("order.json");
    let MessageContent::Order(o) = only_message(&p).content() else {
        panic!("not an order")
    };
    assert_eq!(o.catalog_id, "194836987003835");
    assert_eq!(o.product_items.len(), 2);
    assert_eq!(o.product_items[0].quantity, 2);
    assert_eq!(o.product_items[0].item_price, Some(19.99));
    assert_eq!(o.product_items[1].quantity, 1);
    assert_eq!(o.product_items[1].item_price, Some(8.5));
}

#[test]
fn system_messages_number_and_identity_change() {
    let p = parse("system_user_changed_number.json");
    let MessageContent::System(s) = only_message(&p).content() else {
        panic!("not system")
    };
    assert_eq!(s.kind, SystemKind::UserChangedNumber);
    assert_eq!(s.new_wa_id.as_deref(), Some("16505559876"));

    let p = parse("system_identity_changed.json");
    let MessageContent::System(s) = only_message(&p).content() else {
        panic!("not system")
    };
    assert_eq!(s.kind, SystemKind::CustomerIdentityChanged);
    let id = s.identity.as_ref().expect("identity");
    assert_eq!(id.hash.as_deref(), Some("bWFkZS11cC1oYXNo"));
    assert_eq!(id.created_timestamp, Some(1_749_416_300));
    assert_eq!(id.acknowledged, Some(true));
    assert_eq!(
        SystemKind::parse("customer_changed_number"),
        SystemKind::CustomerChangedNumber
    );
}

#[test]
fn unsupported_message_keeps_its_errors() {
    let p = parse("unsupported.json");
    let m = only_message(&p);
    let MessageContent::Unsupported(u) = m.content() else {
        panic!("not unsupported")
    };
    assert_eq!(u.kind, Some(UnsupportedKind::Unknown("poll".into())));
    assert_eq!(m.message().errors().len(), 1);
    assert_eq!(m.message().errors()[0].code, 131051);
    assert_eq!(
        m.message().errors()[0].details(),
        Some("Message type is currently not supported.")
    );
}

#[test]
fn request_welcome_is_typed() {
    let p = parse("request_welcome.json");
    assert!(matches!(
        only_message(&p).content(),
        MessageContent::RequestWelcome
    ));
}

#[test]
fn forwarded_and_product_contexts() {
    let p = parse("context_forwarded.json");
    let ms: Vec<_> = p
        .events()
        .filter_map(|e| match e {
            Event::Message(m) => Some(m),
            _ => None,
        })
        .collect();
    assert_eq!(ms.len(), 3);
    let c0 = ms[0].message().context().unwrap();
    assert!(c0.forwarded == Some(true) && c0.is_forwarded());
    let c1 = ms[1].message().context().unwrap();
    assert!(c1.frequently_forwarded == Some(true) && c1.is_forwarded());
    let c2 = ms[2].message().context().unwrap();
    assert!(!c2.is_forwarded());
    let product = c2.referred_product.as_ref().unwrap();
    assert_eq!(product.product_retailer_id, "sku-tee-blue-m");
    // Three messages, one sender contact: each is matched to it.
    assert!(ms.iter().all(|m| m.sender_name() == Some("Sheena Nelson")));
}

#[test]
fn referral_from_a_click_to_whatsapp_ad() {
    let p = parse("referral.json");
    let m = only_message(&p);
    let r = m.referral().expect("referral");
    assert_eq!(r.source_type.as_deref(), Some("ad"));
    assert!(
        r.ctwa_clid
            .as_deref()
            .is_some_and(|c| c.starts_with("ARAkLkA8"))
    );
    assert_eq!(
        r.welcome_message.as_ref().and_then(|w| w.text.as_deref()),
        Some("Hi! How can we help?")
    );
    assert_eq!(m.text(), Some("Hi! I saw your ad"));
}

#[test]
fn group_message_has_its_group_id() {
    let p = parse("group_message.json");
    assert_eq!(
        only_message(&p).message().group_id().map(|g| g.as_str()),
        Some("120363041234567890@g.us")
    );
}

#[test]
fn sender_without_phone_number_is_normal() {
    let p = parse("bsuid_only_sender.json");
    let m = only_message(&p);
    assert_eq!(m.from(), None);
    assert_eq!(m.user_id(), Some("BR.84012345678901234567"));
    let c = m.contact().expect("matched by user id");
    assert_eq!(c.wa_id(), None);
    assert_eq!(c.username(), Some("@luiz.example"));
    assert_eq!(
        c.parent_user_id.as_deref(),
        Some("BR.ENT.99012345678901234567")
    );
    assert_eq!(c.identity_key_hash.as_deref(), Some("c2FtcGxlLWtleS1oYXNo"));
    assert_eq!(m.text(), Some("Hello from a username"));
}

#[test]
fn unknown_message_type_keeps_its_json() {
    let p = parse("unknown_message_type.json");
    let m = only_message(&p);
    let MessageContent::Unknown(u) = m.content() else {
        panic!("{:?}", m.content())
    };
    assert_eq!(u.kind, "poll");
    assert_eq!(u.raw["poll"]["question"], "fixed typo");
    assert_eq!(m.message().kind(), "poll");
    assert_eq!(m.from(), Some("16505551234"));
    assert_eq!(m.timestamp(), 1_749_416_383);
}

// ---------------------------------------------------------------------------------------------
// Statuses

#[test]
fn sent_status_with_per_message_pricing() {
    let p = parse("status_sent_pmp.json");
    let s = only_status(&p);
    assert_eq!(s.status(), &StatusKind::Sent);
    assert_eq!(s.timestamp(), 1_749_416_500);
    assert_eq!(s.recipient_id(), Some("16505551234"));
    assert!(matches!(s.get().recipient(), Some(Recipient::Phone(_))));
    assert_eq!(
        s.update().biz_opaque_callback_data.as_deref(),
        Some("order-7731")
    );
    let pricing = s.update().pricing.as_ref().unwrap();
    assert_eq!(pricing.pricing_model, Some(PricingModel::Pmp));
    assert_eq!(pricing.kind, Some(PricingType::Regular));
    assert_eq!(pricing.category, Some(Category::Utility));
    assert_eq!(pricing.billable, Some(true));
    assert!(s.update().conversation.is_none());
    assert_eq!(s.phone_number_id(), Some("106540352242922"));
}

#[test]
fn delivered_status_in_a_free_entry_point_window() {
    let p = parse("status_delivered_free_entry_point.json");
    let s = only_status(&p);
    assert_eq!(s.status(), &StatusKind::Delivered);
    let conv = s.update().conversation.as_ref().unwrap();
    assert_eq!(conv.expiration_timestamp, Some(1_749_502_900));
    assert_eq!(
        conv.origin.as_ref().map(|o| &o.kind),
        Some(&Category::ReferralConversion)
    );
    assert_eq!(
        s.update().pricing.as_ref().and_then(|p| p.kind.clone()),
        Some(PricingType::FreeEntryPoint)
    );
}

#[test]
fn read_status_with_older_conversation_pricing() {
    let p = parse("status_read_cbp.json");
    let s = only_status(&p);
    assert_eq!(s.status(), &StatusKind::Read);
    assert_eq!(
        s.update()
            .pricing
            .as_ref()
            .and_then(|p| p.pricing_model.clone()),
        Some(PricingModel::Cbp)
    );
}

#[test]
fn played_status_is_known() {
    let p = parse("status_played.json");
    assert_eq!(only_status(&p).status(), &StatusKind::Played);
}

#[test]
fn failed_status_carries_typed_errors() {
    let p = parse("status_failed.json");
    let s = only_status(&p);
    assert!(s.update().is_failed());
    let e = &s.errors()[0];
    assert_eq!(e.code, 131047);
    assert_eq!(e.class(), ErrorClass::OutsideWindow);
    assert_eq!(e.title.as_deref(), Some("Re-engagement message"));
    assert!(e.details().unwrap().contains("24 hours"));
    assert!(e.href.is_some());
}

#[test]
fn group_status_names_the_participant() {
    let p = parse("status_group.json");
    let s = only_status(&p);
    assert!(s.update().is_group());
    assert!(
        matches!(s.get().recipient(), Some(Recipient::Group(g)) if g.as_str() == "120363041234567890@g.us")
    );
    assert_eq!(
        s.update().recipient_participant_id.as_deref(),
        Some("16505551234")
    );
    assert_eq!(
        s.update()
            .recipient_participant_user_id
            .as_ref()
            .map(|u| u.as_str()),
        Some("US.13491208655302741918")
    );
}

#[test]
fn international_authentication_is_one_category_in_both_spellings() {
    let p = parse("status_auth_international.json");
    let s = only_status(&p);
    assert_eq!(
        s.update().pricing.as_ref().and_then(|p| p.category.clone()),
        Some(Category::AuthenticationInternational)
    );
    assert_eq!(
        s.update()
            .conversation
            .as_ref()
            .and_then(|c| c.origin.as_ref())
            .map(|o| &o.kind),
        Some(&Category::AuthenticationInternational)
    );
    assert_eq!(
        Category::AuthenticationInternational.as_str(),
        "authentication-international"
    );
    assert!(matches!(s.get().recipient(), Some(Recipient::UserId(_))));
    assert_eq!(
        s.update().recipient_identity_key_hash.as_deref(),
        Some("c2FtcGxlLWtleS1oYXNo")
    );
}

#[test]
fn unknown_status_pricing_type_and_category_are_kept() {
    let p = parse("status_unknown_value.json");
    let s = only_status(&p);
    assert_eq!(s.status(), &StatusKind::Unknown("deleted".into()));
    let pricing = s.update().pricing.as_ref().unwrap();
    assert_eq!(
        pricing.kind,
        Some(PricingType::Unknown("free_promo".into()))
    );
    assert_eq!(
        pricing.category,
        Some(Category::Unknown("general_purpose_ai".into()))
    );
}

#[test]
fn value_level_errors_become_error_events() {
    let p = parse("value_errors.json");
    let errors: Vec<_> = p
        .events()
        .filter_map(|e| match e {
            Event::Error(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].error().code, 130429);
    assert!(errors[0].error().class().is_rate_limit());
    assert_eq!(errors[0].phone_number_id(), Some("106540352242922"));
}

// ---------------------------------------------------------------------------------------------
// Other fields

#[test]
fn template_updates_are_typed_with_integer_or_string_ids() {
    let p = parse("template_status_update.json");
    let ev: Vec<_> = p.events().collect();
    assert_eq!(ev.len(), 1);
    let Event::TemplateStatus(t) = &ev[0] else {
        panic!("{:?}", ev[0])
    };
    assert_eq!(t.update().event, TemplateEvent::Rejected);
    assert_eq!(t.update().message_template_id, 1_689_556_908_129_832);
    assert_eq!(t.update().reason, Some(TemplateReason::IncorrectCategory));
    assert_eq!(t.context().entry_time(), Some(1_751_247_548));
    assert_eq!(t.waba_id(), "102290129340398");

    let p = parse("template_quality_update.json");
    let Some(Event::TemplateQuality(q)) = p.events().next() else {
        panic!("no quality update")
    };
    assert_eq!(q.update().message_template_id, 1_689_556_908_129_832);
    assert_eq!(q.update().new_quality_score, "YELLOW");

    let p = parse("template_category_update.json");
    let Some(Event::TemplateCategory(c)) = p.events().next() else {
        panic!("no category update")
    };
    assert_eq!(c.update().new_category.as_deref(), Some("MARKETING"));
}

#[test]
fn account_and_quality_updates_are_typed_and_keep_their_raw_value() {
    let p = parse("account_update.json");
    let Some(Event::AccountUpdate(a)) = p.events().next() else {
        panic!("no account update")
    };
    assert_eq!(a.update().event, Some(AccountEvent::AccountRestriction));
    let raw: Value = serde_json::from_str(a.raw().unwrap().get()).unwrap();
    assert_eq!(
        raw["restriction_info"][0]["restriction_type"],
        "RESTRICTED_BIZ_INITIATED_MESSAGING"
    );
    let restriction = &a.update().restriction_info[0];
    assert_eq!(
        restriction.restriction_type,
        Some(RestrictionType::RestrictedBizInitiatedMessaging)
    );
    assert_eq!(restriction.expiration, Some(1_751_900_000));

    let p = parse("phone_number_quality_update.json");
    let Some(Event::PhoneNumberQuality(q)) = p.events().next() else {
        panic!("no quality update")
    };
    assert_eq!(q.update().event, "THROUGHPUT_UPGRADE");
    assert_eq!(
        q.update().max_daily_conversations_per_business,
        Some(100_000)
    );
}

#[test]
fn marketing_preference_stop_is_typed() {
    let p = parse("user_preferences_stop.json");
    let prefs: Vec<_> = p
        .events()
        .filter_map(|e| match e {
            Event::UserPreference(u) => Some(u),
            _ => None,
        })
        .collect();
    assert_eq!(prefs.len(), 1);
    assert_eq!(prefs[0].update().value, PreferenceValue::Stop);
    assert_eq!(prefs[0].update().timestamp, 1_751_248_000);
    assert_eq!(prefs[0].update().wa_id.as_deref(), Some("16505551234"));
}

#[test]
fn unknown_field_is_kept_raw() {
    let p = parse("unknown_field.json");
    let ev: Vec<_> = p.events().collect();
    assert_eq!(ev.len(), 1);
    let Event::Unknown(u) = &ev[0] else {
        panic!("{:?}", ev[0])
    };
    assert_eq!(u.field(), "standby");
    assert_eq!(u.value()["standby"][0]["event"], "handover");
}

// ---------------------------------------------------------------------------------------------
// Batching and isolation

#[test]
fn batched_delivery_yields_every_item_in_order_with_its_own_context() {
    let p = parse("batched.json");
    let ev: Vec<_> = p.events().collect();
    assert_eq!(ev.len(), 5);
    assert!(matches!(&ev[0], Event::Message(m) if m.text() == Some("first")));
    assert!(matches!(&ev[1], Event::Message(m) if m.text() == Some("second")));
    assert!(matches!(&ev[2], Event::Status(s) if s.status() == &StatusKind::Delivered));
    assert!(matches!(&ev[3], Event::Status(s) if s.status() == &StatusKind::Read));
    assert!(
        matches!(&ev[4], Event::TemplateStatus(t) if t.update().event == TemplateEvent::Approved)
    );
    assert_eq!(ev[0].context().waba_id(), "102290129340398");
    assert_eq!(ev[2].context().waba_id(), "209887766554433");
    assert_eq!(ev[2].context().phone_number_id(), Some("209000111222333"));
    assert_eq!(p.entries().len(), 2);
    assert_eq!(p.entries()[1].changes().len(), 2);
}

#[test]
fn one_corrupted_message_and_status_cost_nothing_else() {
    let p = parse("one_corrupted_message.json");
    let ev: Vec<_> = p.events().collect();
    assert_eq!(ev.len(), 5, "3 messages + 2 statuses");
    assert!(matches!(&ev[0], Event::Message(m) if m.text() == Some("good one")));
    let Event::Message(bad) = &ev[1] else {
        panic!("{:?}", ev[1])
    };
    let MessageContent::Invalid(inv) = bad.content() else {
        panic!("{:?}", bad.content())
    };
    assert_eq!(inv.kind.as_deref(), Some("image"));
    assert!(inv.error.contains("`id`"), "{}", inv.error);
    assert_eq!(inv.raw["image"]["caption"], "broken");
    assert_eq!(bad.id(), "wamid.BROKEN");
    assert!(matches!(&ev[2], Event::Message(m) if m.text() == Some("good two")));
    assert!(matches!(&ev[3], Event::Status(s) if s.status() == &StatusKind::Sent));
    let Event::Invalid(i) = &ev[4] else {
        panic!("{:?}", ev[4])
    };
    assert_eq!(i.kind(), InvalidKind::Status);
    assert!(i.error().contains("status"), "{}", i.error());
    assert_eq!(i.raw().unwrap()["id"], "wamid.NOSTATUS");
}

#[test]
fn every_fixture_round_trips_to_its_input() {
    for name in all_fixtures() {
        let bytes = fixture(&name);
        let p = Payload::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let again: Value = serde_json::to_value(&p).unwrap();
        let input: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(again, input, "{name}");
        // And it parses again to the same payload.
        let reparsed: Payload = serde_json::from_value(again).unwrap();
        assert_eq!(reparsed.events().count(), p.events().count(), "{name}");
    }
}

#[test]
fn typed_messages_serialize_to_metas_keys() {
    // The typed view alone (not the kept body) writes Meta's message shape for known fields.
    for name in [
        "text.json",
        "image.json",
        "audio_voice.json",
        "location.json",
        "contacts.json",
        "interactive_button_reply.json",
        "interactive_list_reply.json",
        "interactive_nfm_reply.json",
        "button_quick_reply.json",
        "reaction.json",
        "system_identity_changed.json",
        "referral.json",
        "group_message.json",
    ] {
        let bytes = fixture(name);
        let p = Payload::from_slice(&bytes).unwrap();
        let input: Value = serde_json::from_slice(&bytes).unwrap();
        let want = &input["entry"][0]["changes"][0]["value"]["messages"][0];
        let got = serde_json::to_value(only_message(&p).message()).unwrap();
        assert_eq!(&got, want, "{name}");
    }
}

#[test]
fn typed_statuses_serialize_to_metas_keys() {
    for name in [
        "status_sent_pmp.json",
        "status_failed.json",
        "status_group.json",
        "status_delivered_free_entry_point.json",
    ] {
        let bytes = fixture(name);
        let p = Payload::from_slice(&bytes).unwrap();
        let input: Value = serde_json::from_slice(&bytes).unwrap();
        let want = &input["entry"][0]["changes"][0]["value"]["statuses"][0];
        let got = serde_json::to_value(only_status(&p).get()).unwrap();
        assert_eq!(&got, want, "{name}");
    }
}

#[test]
fn bodies_that_are_not_envelopes_are_refused_with_a_reason() {
    assert!(matches!(
        Payload::from_slice(b"{\"object\":"),
        Err(PayloadError::InvalidJson(_))
    ));
    assert!(matches!(
        Payload::from_slice(b"[1,2]"),
        Err(PayloadError::NotAnEnvelope(m)) if m.contains("an array")
    ));
    assert!(matches!(
        Payload::from_slice(br#"{"object":"whatsapp_business_account"}"#),
        Err(PayloadError::NotAnEnvelope(m)) if m.contains("entry")
    ));
    assert!(matches!(
        Payload::from_slice(br#"{"entry":{}}"#),
        Err(PayloadError::NotAnEnvelope(m)) if m.contains("must be an array")
    ));
    assert!(matches!(
        Payload::from_slice(b"\xff\xfe"),
        Err(PayloadError::InvalidJson(m)) if m.contains("UTF-8")
    ));
}

#[test]
fn malformed_entries_and_changes_become_invalid_events() {
    let body = br#"{"object":"whatsapp_business_account","entry":[
        42,
        {"id":"1","changes":"nope"},
        {"id":"2","changes":[{"value":{}},{"field":"messages","value":{"messages":[{"id":"wamid.OK","from":"1","timestamp":"5","type":"text","text":{"body":"still here"}}]}}]}
    ]}"#;
    let p = Payload::from_slice(body).unwrap();
    let ev: Vec<_> = p.events().collect();
    assert_eq!(ev.len(), 4);
    for e in &ev[..3] {
        assert!(
            matches!(e, Event::Invalid(i) if i.kind() == InvalidKind::Envelope),
            "{e:?}"
        );
    }
    assert!(matches!(&ev[3], Event::Message(m) if m.text() == Some("still here")));
    let again: Value = serde_json::to_value(&p).unwrap();
    assert_eq!(again, serde_json::from_slice::<Value>(body).unwrap());
}

#[test]
fn malformed_typed_field_is_an_invalid_event_with_its_raw_value() {
    let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","time":5,"changes":[{"field":"message_template_status_update","value":{"event":"APPROVED"}}]}]}"#;
    let p = Payload::from_slice(body).unwrap();
    let ev: Vec<_> = p.events().collect();
    assert_eq!(ev.len(), 1);
    let Event::Invalid(i) = &ev[0] else {
        panic!("{:?}", ev[0])
    };
    assert_eq!(i.kind(), InvalidKind::FieldValue);
    assert!(i.error().contains("message_template_id"), "{}", i.error());
    assert_eq!(
        i.context().raw_value().map(|r| r.get()),
        Some(r#"{"event":"APPROVED"}"#)
    );
}

#[test]
fn malformed_metadata_and_contact_are_invalid_events_next_to_their_messages() {
    let p = parse("malformed_metadata_and_contact.json");
    let ev: Vec<_> = p.events().collect();
    assert_eq!(ev.len(), 5, "{ev:#?}");

    // A `metadata` without `phone_number_id`: the message still comes out, without a business
    // number, and the metadata comes out raw with its error.
    let Event::Message(first) = &ev[0] else {
        panic!("{:?}", ev[0])
    };
    assert_eq!(first.text(), Some("Is the blue one back in stock?"));
    assert_eq!(first.phone_number_id(), None);
    assert_eq!(first.sender_name(), Some("Kavya Rao"));
    let Event::Invalid(bad_metadata) = &ev[1] else {
        panic!("{:?}", ev[1])
    };
    assert_eq!(bad_metadata.kind(), InvalidKind::Metadata);
    assert!(
        bad_metadata.error().contains("phone_number_id"),
        "{}",
        bad_metadata.error()
    );
    assert_eq!(
        bad_metadata.raw().unwrap()["display_phone_number"],
        "15550194422"
    );

    // A contact whose `profile` is a string: both messages still come out, the other contact is
    // still matched to its sender, and the bad contact comes out raw with its error.
    let Event::Message(second) = &ev[2] else {
        panic!("{:?}", ev[2])
    };
    assert_eq!(second.text(), Some("Obrigado!"));
    assert_eq!(second.phone_number_id(), Some("120573946281735"));
    assert!(second.contact().is_none());
    let Event::Message(third) = &ev[3] else {
        panic!("{:?}", ev[3])
    };
    assert_eq!(third.text(), Some("And the green one?"));
    assert_eq!(third.sender_name(), Some("Kavya Rao"));
    let Event::Invalid(bad_contact) = &ev[4] else {
        panic!("{:?}", ev[4])
    };
    assert_eq!(bad_contact.kind(), InvalidKind::Contact);
    assert!(!bad_contact.error().is_empty());
    assert_eq!(bad_contact.raw().unwrap()["profile"], "Tomás Ferreira");
    assert_eq!(bad_contact.raw().unwrap()["wa_id"], "5511955550123");
    assert_eq!(bad_contact.phone_number_id(), Some("120573946281735"));

    let again: Value = serde_json::to_value(&p).unwrap();
    assert_eq!(
        again,
        serde_json::from_slice::<Value>(&fixture("malformed_metadata_and_contact.json")).unwrap()
    );
}

#[test]
fn contacts_that_are_not_an_array_are_an_invalid_event() {
    let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"2"},"contacts":{"wa_id":"16505551234"},"messages":[{"id":"wamid.OK","from":"16505551234","timestamp":"5","type":"text","text":{"body":"hi"}}]}}]}]}"#;
    let p = Payload::from_slice(body).unwrap();
    let ev: Vec<_> = p.events().collect();
    assert_eq!(ev.len(), 2, "{ev:#?}");
    assert!(matches!(&ev[0], Event::Message(m) if m.text() == Some("hi")));
    let Event::Invalid(i) = &ev[1] else {
        panic!("{:?}", ev[1])
    };
    assert_eq!(i.kind(), InvalidKind::Contact);
    assert!(i.error().contains("array"), "{}", i.error());
    assert_eq!(i.raw().unwrap()["wa_id"], "16505551234");
}

// ---------------------------------------------------------------------------------------------
// Signature

const SECRET: &str = "3f2c1e0d9b8a7f6e5d4c3b2a19081726";

#[test]
fn signature_over_raw_non_ascii_and_escaped_bodies_verifies() {
    let v = SignatureVerifier::new(SECRET).unwrap();
    for name in [
        "text_unicode_escaped.json",
        "text_non_ascii.json",
        "text.json",
    ] {
        let body = fixture(name);
        let header = webhook::sign(SECRET, &body);
        assert_eq!(v.verify(&body, Some(&header)), Ok(()), "{name}");
        // Re-serializing changes the bytes: the signature no longer matches.
        let reserialized =
            serde_json::to_vec(&serde_json::from_slice::<Value>(&body).unwrap()).unwrap();
        assert_ne!(reserialized, body);
        assert_eq!(
            v.verify(&reserialized, Some(&header)),
            Err(SignatureError::Mismatch),
            "{name}"
        );
    }
}

#[test]
fn sign_matches_a_known_hmac_sha256_vector() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    assert_eq!(
        webhook::sign("Jefe", b"what do ya want for nothing?"),
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn each_bad_header_has_its_own_error() {
    let v = SignatureVerifier::new(SECRET).unwrap();
    let body = fixture("text.json");
    let good = webhook::sign(SECRET, &body);
    let hex = &good["sha256=".len()..];
    assert_eq!(v.verify(&body, None), Err(SignatureError::Missing));
    assert_eq!(v.verify(&body, Some("")), Err(SignatureError::Empty));
    assert_eq!(v.verify(&body, Some("   ")), Err(SignatureError::Empty));
    assert_eq!(
        v.verify(&body, Some("sha1=0123456789abcdef0123456789abcdef01234567")),
        Err(SignatureError::Sha1)
    );
    assert_eq!(
        v.verify(&body, Some(hex)),
        Err(SignatureError::UnknownScheme)
    );
    assert_eq!(
        v.verify(&body, Some(&format!("md5={hex}"))),
        Err(SignatureError::UnknownScheme)
    );
    assert_eq!(
        v.verify(&body, Some(&format!("sha256={}", &hex[..62]))),
        Err(SignatureError::WrongLength { actual: 62 })
    );
    assert_eq!(
        v.verify(&body, Some(&format!("sha256={hex}00"))),
        Err(SignatureError::WrongLength { actual: 66 })
    );
    assert_eq!(
        v.verify(&body, Some(&format!("sha256={}zz", &hex[..62]))),
        Err(SignatureError::NotHex)
    );
    let mut flipped = hex.to_owned().into_bytes();
    flipped[0] = if flipped[0] == b'0' { b'1' } else { b'0' };
    let flipped = String::from_utf8(flipped).unwrap();
    assert_eq!(
        v.verify(&body, Some(&format!("sha256={flipped}"))),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn prefix_case_and_hex_case_and_surrounding_space_are_accepted() {
    let v = SignatureVerifier::new(SECRET).unwrap();
    let body = fixture("text.json");
    let hex = webhook::sign(SECRET, &body)["sha256=".len()..].to_owned();
    assert_eq!(v.verify(&body, Some(&format!("SHA256={hex}"))), Ok(()));
    assert_eq!(
        v.verify(&body, Some(&format!("sha256={}", hex.to_uppercase()))),
        Ok(())
    );
    assert_eq!(v.verify(&body, Some(&format!(" sha256={hex} "))), Ok(()));
}

#[test]
fn blank_secrets_are_refused() {
    assert_eq!(
        SignatureVerifier::new("").err(),
        Some(SignatureError::BlankSecret)
    );
    assert_eq!(
        SignatureVerifier::new(" \t").err(),
        Some(SignatureError::BlankSecret)
    );
    assert_eq!(
        SignatureVerifier::with_secrets(["good-secret", ""]).err(),
        Some(SignatureError::BlankSecret)
    );
    assert_eq!(
        SignatureVerifier::with_secrets(Vec::<String>::new()).err(),
        Some(SignatureError::NoSecret)
    );
    let app = whatsapp_cloud::AppSecret::new("  ");
    assert_eq!(
        SignatureVerifier::from_app_secret(&app).err(),
        Some(SignatureError::BlankSecret)
    );
}

#[test]
fn rotation_accepts_either_secret_and_nothing_else() {
    let body = fixture("status_sent_pmp.json");
    let v = SignatureVerifier::with_secrets(["old-secret", "new-secret"]).unwrap();
    assert_eq!(
        v.verify(&body, Some(&webhook::sign("old-secret", &body))),
        Ok(())
    );
    assert_eq!(
        v.verify(&body, Some(&webhook::sign("new-secret", &body))),
        Ok(())
    );
    assert_eq!(
        v.verify(&body, Some(&webhook::sign("other-secret", &body))),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn errors_and_debug_never_reveal_the_secret_or_expected_signature() {
    let v = SignatureVerifier::new(SECRET).unwrap();
    let body = fixture("text.json");
    let expected = webhook::sign(SECRET, &body);
    let wrong = webhook::sign("not-the-secret", &body);
    let err = v.verify(&body, Some(&wrong)).unwrap_err();
    let shown = format!("{err} {err:?} {v:?}");
    assert!(!shown.contains(&expected["sha256=".len()..]), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");
}

// ---------------------------------------------------------------------------------------------
// Handshake

#[test]
fn handshake_returns_the_decoded_challenge() {
    let q = "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=my-verify-token";
    assert_eq!(
        webhook::verify_subscription(q, "my-verify-token").as_deref(),
        Ok("1158201444")
    );
    // Percent- and plus-encoding, a leading '?', and other parameters.
    let q =
        "?foo=bar&hub.verify_token=s%C3%A9cret+t%26ken&hub.mode=subscribe&hub.challenge=a+b%2Fc";
    assert_eq!(
        webhook::verify_subscription(q, "sécret t&ken").as_deref(),
        Ok("a b/c")
    );
    let token = whatsapp_cloud::VerifyToken::new("my-verify-token");
    assert!(
        webhook::verify_subscription(
            "hub.mode=subscribe&hub.challenge=1&hub.verify_token=my-verify-token",
            token.expose_secret()
        )
        .is_ok()
    );
}

#[test]
fn handshake_errors_are_typed_and_never_echo_the_token() {
    let t = "my-verify-token";
    let check = |q: &str| webhook::verify_subscription(q, t);
    assert_eq!(
        check("hub.challenge=1&hub.verify_token=my-verify-token"),
        Err(HandshakeError::MissingMode)
    );
    assert_eq!(
        check("hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=my-verify-token"),
        Err(HandshakeError::WrongMode {
            mode: "unsubscribe".into()
        })
    );
    assert_eq!(
        check("hub.mode=subscribe&hub.challenge=1"),
        Err(HandshakeError::MissingToken)
    );
    let err = check("hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess").unwrap_err();
    assert_eq!(err, HandshakeError::TokenMismatch);
    assert!(!format!("{err} {err:?}").contains(t));
    assert_eq!(
        check("hub.mode=subscribe&hub.verify_token=my-verify-token"),
        Err(HandshakeError::MissingChallenge)
    );
    assert_eq!(
        check("hub.mode=subscribe&hub.challenge=&hub.verify_token=my-verify-token"),
        Err(HandshakeError::MissingChallenge)
    );
    // A repeated token cannot override the first one.
    assert_eq!(
        check(
            "hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess&hub.verify_token=my-verify-token"
        ),
        Err(HandshakeError::TokenMismatch)
    );
}

#[test]
fn blank_configured_token_always_refuses() {
    for configured in ["", "   "] {
        let q = format!("hub.mode=subscribe&hub.challenge=1&hub.verify_token={configured}");
        assert_eq!(
            webhook::verify_subscription(&q, configured),
            Err(HandshakeError::BlankVerifyToken)
        );
    }
}

#[test]
fn one_pass_and_item_by_item_readings_agree() {
    // Adding a change of an unmodelled field sends the whole body down the item-by-item path; the
    // typed messages and statuses must not depend on the path taken.
    let mut compared = 0;
    for name in all_fixtures() {
        let bytes = fixture(&name);
        let mut value: Value = serde_json::from_slice(&bytes).unwrap();
        value["entry"].as_array_mut().unwrap().push(
            serde_json::json!({"id": "1", "changes": [{"field": "standby", "value": {"standby": []}}]}),
        );
        let slow_bytes = serde_json::to_vec(&value).unwrap();
        let fast = Payload::from_slice(&bytes).unwrap();
        let slow = Payload::from_slice(&slow_bytes).unwrap();
        let typed = |p: &Payload| -> Vec<String> {
            p.events()
                .filter_map(|e| match e {
                    Event::Message(m) => Some(format!("{:?} {:?}", m.message(), m.contact())),
                    Event::Status(s) => Some(format!("{:?}", s.get())),
                    Event::Error(e) => Some(format!("{:?}", e.error())),
                    Event::UserPreference(u) => Some(format!("{:?}", u.update())),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(typed(&fast), typed(&slow), "{name}");
        assert_eq!(slow.events().count(), fast.events().count() + 1, "{name}");
        compared += typed(&fast).len();
    }
    assert!(compared > 40, "compared {compared} items");
}

#[test]
fn typed_serialization_normalises_integer_timestamps_to_strings() {
    // The payload itself writes the body verbatim (integer kept); the typed message writes Meta's
    // documented form for `messages` webhooks, a decimal string.
    let bytes = fixture("text_non_ascii.json");
    let p = Payload::from_slice(&bytes).unwrap();
    let input: Value = serde_json::from_slice(&bytes).unwrap();
    let original = &input["entry"][0]["changes"][0]["value"]["messages"][0];
    assert_eq!(original["timestamp"], 1_749_417_000);
    let typed = serde_json::to_value(only_message(&p).message()).unwrap();
    assert_eq!(typed["timestamp"], "1749417000");
    let mut expected = original.clone();
    expected["timestamp"] = Value::String("1749417000".into());
    assert_eq!(typed, expected);
    assert_eq!(serde_json::to_value(&p).unwrap(), input);
}

#[test]
fn entry_ids_given_as_numbers_and_a_missing_object_are_tolerated() {
    let body = br#"{"entry":[{"id":102290129340398,"time":"1751247548","changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.S","status":"sent","timestamp":1749416500,"recipient_id":"16505551234"}]}}]}]}"#;
    let p = Payload::from_slice(body).unwrap();
    assert_eq!(p.object(), "");
    assert_eq!(p.entries()[0].id(), "102290129340398");
    assert_eq!(p.entries()[0].time(), Some(1_751_247_548));
    let s = only_status(&p);
    assert_eq!(s.timestamp(), 1_749_416_500);
    assert_eq!(s.phone_number_id(), None);
}

fn messages_body(messages: Value, statuses: Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "messages": messages, "statuses": statuses}}]}]
    }))
    .unwrap()
}

#[test]
fn unknown_interactive_reply_type_keeps_its_object() {
    let body = messages_body(
        serde_json::json!([{"from": "1", "id": "wamid.I", "timestamp": "1", "type": "interactive",
            "interactive": {"type": "carousel_reply", "carousel_reply": {"card_index": 2}}}]),
        serde_json::json!([]),
    );
    let p = Payload::from_slice(&body).unwrap();
    let MessageContent::Interactive(InteractiveReply::Unknown { kind, raw }) =
        only_message(&p).content()
    else {
        panic!("{:?}", only_message(&p).content())
    };
    assert_eq!(kind, "carousel_reply");
    assert_eq!(raw["carousel_reply"]["card_index"], 2);
}

#[test]
fn message_without_a_type_is_invalid_and_says_so() {
    let body = messages_body(
        serde_json::json!([{"from": "1", "id": "wamid.NT", "timestamp": "7",
            "location": {"latitude": 1.5, "longitude": 2.5}}]),
        serde_json::json!([]),
    );
    let p = Payload::from_slice(&body).unwrap();
    let m = only_message(&p);
    let MessageContent::Invalid(i) = m.content() else {
        panic!("{:?}", m.content())
    };
    assert_eq!(i.kind, None);
    assert!(i.error.contains("without a `type`"), "{}", i.error);
    assert_eq!(
        (m.id(), m.timestamp(), m.from()),
        ("wamid.NT", 7, Some("1"))
    );
}

#[test]
fn a_thousand_statuses_with_a_few_bad_ones_all_come_out() {
    let statuses: Vec<Value> = (0..1000)
        .map(|i| {
            if i % 250 == 7 {
                serde_json::json!({"id": format!("wamid.{i}"), "status": "read"})
            } else {
                serde_json::json!({"id": format!("wamid.{i}"), "status": "delivered",
                    "timestamp": (1_749_416_500 + i).to_string(), "recipient_id": "16505551234"})
            }
        })
        .collect();
    let body = messages_body(serde_json::json!([]), Value::Array(statuses));
    let p = Payload::from_slice(&body).unwrap();
    let ev: Vec<_> = p.events().collect();
    assert_eq!(ev.len(), 1000);
    let invalid: Vec<usize> = ev
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e, Event::Invalid(i) if i.kind() == InvalidKind::Status))
        .map(|(n, _)| n)
        .collect();
    assert_eq!(invalid, vec![7, 257, 507, 757]);
    let Event::Status(s) = &ev[999] else {
        panic!("{:?}", ev[999])
    };
    assert_eq!(
        (s.id().as_str(), s.timestamp()),
        ("wamid.999", 1_749_417_499)
    );
    assert_eq!(ev[7].context().phone_number_id(), Some("106540352242922"));
}

#[test]
fn empty_digest_and_empty_body_are_handled() {
    let v = SignatureVerifier::new(SECRET).unwrap();
    assert_eq!(
        v.verify(b"", Some("sha256=")),
        Err(SignatureError::WrongLength { actual: 0 })
    );
    assert_eq!(v.verify(b"", Some(&webhook::sign(SECRET, b""))), Ok(()));
    assert_eq!(
        v.verify(b"x", Some("sha256")),
        Err(SignatureError::UnknownScheme)
    );
}

fn text_body(from: &str, body_json: &str, extra: &str) -> String {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"106540352242922"}},"contacts":[{{"profile":{{"name":"Ana"}},"wa_id":"16505551234"}}],"messages":[{{"from":{from},"id":"wamid.X","timestamp":"1749416383","type":"text","text":{{"body":{body_json}}}{extra}}}]}},"field":"messages"}}]}}]}}"#
    )
}

fn borrows_from(s: &str, body: &str) -> bool {
    let range = body.as_bytes().as_ptr_range();
    range.contains(&s.as_ptr())
}

#[test]
fn plain_strings_borrow_from_the_body_and_escaped_ones_are_decoded() {
    use std::borrow::Cow;
    let plain = text_body(r#""16505551234""#, r#""Hi there""#, "");
    let p = Payload::from_slice(plain.as_bytes()).unwrap();
    let m = only_message(&p);
    let MessageContent::Text(t) = m.content() else {
        panic!("{:?}", m.content())
    };
    assert!(matches!(t.body, Cow::Borrowed("Hi there")));
    assert!(borrows_from(m.id(), &plain));
    assert!(borrows_from(m.from().unwrap(), &plain));
    assert!(borrows_from(m.phone_number_id().unwrap(), &plain));
    assert!(borrows_from(m.waba_id(), &plain));
    assert!(borrows_from(m.sender_name().unwrap(), &plain));

    let escaped = text_body(
        r#""16505551234""#,
        r#""caf\u00e9 \ud83d\ude00 \"q\" a\/b""#,
        "",
    );
    let p = Payload::from_slice(escaped.as_bytes()).unwrap();
    let m = only_message(&p);
    let MessageContent::Text(t) = m.content() else {
        panic!("{:?}", m.content())
    };
    assert!(matches!(&t.body, Cow::Owned(s) if s == "café 😀 \"q\" a/b"));
    assert_eq!(m.text(), Some("café 😀 \"q\" a/b"));
    assert!(borrows_from(m.id(), &escaped));
}

#[test]
fn ids_sent_as_numbers_are_read_as_strings() {
    let body = text_body("16505551234", r#""Hi""#, "");
    let p = Payload::from_slice(body.as_bytes()).unwrap();
    let m = only_message(&p);
    assert_eq!(m.from(), Some("16505551234"));
    assert_eq!(m.text(), Some("Hi"));
    assert_eq!(m.sender_name(), Some("Ana"));
}

#[test]
fn an_owned_payload_outlives_its_body_and_keeps_every_event() {
    let body = text_body(r#""16505551234""#, r#""Hi \u00e9""#, "").into_bytes();
    let borrowed = Payload::from_slice(&body).unwrap();
    let expected: Vec<(String, Option<String>, Option<String>)> = borrowed
        .events()
        .filter_map(|e| match e {
            Event::Message(m) => Some((
                m.id().to_owned(),
                m.text().map(str::to_owned),
                m.sender_name().map(str::to_owned),
            )),
            _ => None,
        })
        .collect();
    let owned: Payload<'static> = borrowed.into_owned();
    drop(body);
    let got: Vec<(String, Option<String>, Option<String>)> = owned
        .events()
        .filter_map(|e| match e {
            Event::Message(m) => Some((
                m.id().to_owned(),
                m.text().map(str::to_owned),
                m.sender_name().map(str::to_owned),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        got,
        vec![(
            "wamid.X".to_owned(),
            Some("Hi é".to_owned()),
            Some("Ana".to_owned())
        )]
    );
    assert_eq!(got, expected);
    let again: Value = serde_json::from_str(owned.as_str()).unwrap();
    assert_eq!(again["entry"][0]["id"], "102290129340398");
    let from_string = Payload::from_string(owned.as_str().to_owned()).unwrap();
    assert_eq!(from_string, owned);
}

#[test]
fn unusual_message_shapes_leave_the_one_pass_read_without_changing_the_result() {
    // A second content object is read and ignored, as before.
    let body = text_body(r#""16505551234""#, r#""Hi""#, r#","image":{"id":"m1"}"#);
    let p = Payload::from_slice(body.as_bytes()).unwrap();
    assert_eq!(only_message(&p).text(), Some("Hi"));
    // `type` after the content, and unknown keys, are fine.
    let body = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messages":[{"text":{"body":"late type"},"x_new":[1,{"a":2}],"from":"1","id":"wamid.L","timestamp":1749416383,"type":"text"}]},"field":"messages"}]}]}"#;
    let p = Payload::from_slice(body.as_bytes()).unwrap();
    let m = only_message(&p);
    assert_eq!(
        (m.text(), m.timestamp()),
        (Some("late type"), 1_749_416_383)
    );
    // A duplicated key is refused by the one-pass read; the item-by-item read keeps the message
    // (the last value of the key wins, as in `serde_json::Value`).
    let body = text_body(r#""16505551234""#, r#""first""#, r#","id":"wamid.Y""#);
    let p = Payload::from_slice(body.as_bytes()).unwrap();
    let m = only_message(&p);
    assert_eq!((m.id(), m.text()), ("wamid.Y", Some("first")));
    // A text message without its text object is invalid, and its neighbours are unaffected.
    let body = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messages":[{"from":"1","id":"wamid.A","timestamp":"1","type":"text"},{"from":"1","id":"wamid.B","timestamp":"2","type":"text","text":{"body":"ok"}}]},"field":"messages"}]}]}"#;
    let p = Payload::from_slice(body.as_bytes()).unwrap();
    let ev: Vec<_> = p
        .events()
        .filter_map(|e| match e {
            Event::Message(m) => Some(m),
            _ => None,
        })
        .collect();
    assert!(matches!(ev[0].content(), MessageContent::Invalid(_)));
    assert_eq!(ev[0].id(), "wamid.A");
    assert_eq!(ev[1].text(), Some("ok"));
}

#[test]
fn a_messages_value_that_is_an_array_is_an_invalid_event_not_an_empty_change() {
    let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":[]}]}]}"#;
    let p = Payload::from_slice(body).unwrap();
    let ev: Vec<_> = p.events().collect();
    assert_eq!(ev.len(), 1, "{ev:?}");
    let Event::Invalid(i) = &ev[0] else {
        panic!("{:?}", ev[0])
    };
    assert!(i.error().contains("object"), "{}", i.error());
}
