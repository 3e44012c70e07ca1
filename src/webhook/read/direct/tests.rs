//! The direct reader held to the one-pass read: fixtures, edge cases and properties.

use super::super::one_pass::serde_one_pass;
use super::*;
use crate::webhook::StatusKind;
use proptest::prelude::*;

/// The direct reader and serde's one-pass read, each as text (Debug shows every field).
fn both(text: &str) -> (Read<String>, Option<String>) {
    (
        read(text).map(|r| format!("{r:?}")),
        serde_one_pass(text).map(|r| format!("{r:?}")),
    )
}

/// Whatever the direct reader accepts, serde's one-pass read accepts with the same result;
/// whatever it refuses, serde's one-pass read refuses too. `Ok` when read directly.
pub(super) fn agreement(name: &str, text: &str) -> Read<()> {
    let (direct, serde) = both(text);
    match &direct {
        Ok(direct) => assert_eq!(Some(direct), serde.as_ref(), "{name}: the readers differ"),
        Err(Refused) => assert_eq!(serde, None, "{name}: refused, but serde reads it"),
        Err(Unread) => {}
    }
    direct.map(drop)
}

fn assert_agrees(name: &str, text: &str) -> bool {
    agreement(name, text).is_ok()
}

pub(super) fn fixture_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/webhooks")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixture_dir().join(name)).expect("fixture")
}

/// An `unsupported` message with only the keys this reader knows (even with a stray `text`
/// object) is read as serde reads it, not refused.
#[test]
fn reads_an_unsupported_message_with_known_keys_as_serde_does() {
    // `from_user_id` is a rare field to serde's one-pass read, `from` is not: both paths.
    let senders = [
        r#""from_user_id":"CO.58301927465510293847""#,
        r#""from":"16505551234""#,
    ];
    for (sender, extra) in senders
        .into_iter()
        .flat_map(|s| [(s, ""), (s, r#","text":{"body":"Hi"}"#)])
    {
        let body = format!(
            r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"1","phone_number_id":"2"}},"messages":[{{{sender},"id":"wamid.A","timestamp":1782104400,"type":"unsupported"{extra}}}]}}}}]}}]}}"#
        );
        assert_eq!(agreement("unsupported", &body), Ok(()), "{body}");
        let (direct, _) = both(&body);
        assert!(
            direct.is_ok_and(|d| d.contains("Unsupported(Unsupported { kind: None })")),
            "{body}"
        );
    }
}

#[test]
fn agrees_with_serde_on_every_fixture_and_reads_the_common_shapes_itself() {
    let mut accepted = Vec::new();
    for file in std::fs::read_dir(fixture_dir()).expect("fixtures") {
        let path = file.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        let text = std::fs::read_to_string(&path).expect("utf-8 fixture");
        if assert_agrees(&name, &text) {
            accepted.push(name);
        }
    }
    // Text, statuses, messages handed whole to serde, escapes: all read without falling back.
    for common in [
        "text.json",
        "text_non_ascii.json",
        "text_unicode_escaped.json",
        "bsuid_only_sender.json",
        "message_bsuid_parent_username.json",
        "status_bsuid_recipient.json",
        "status_parent_user_id_names.json",
        "image.json",
        "context_forwarded.json",
        "request_welcome.json",
        "status_sent_pmp.json",
        "status_failed.json",
        "status_played.json",
        "value_errors.json",
    ] {
        assert!(accepted.iter().any(|a| a == common), "{common} fell back");
    }
    // Other fields and unreadable messages are left to serde.
    for left in [
        "batched.json",
        "template_status_update.json",
        "unknown_field.json",
        "unknown_message_type.json",
        "one_corrupted_message.json",
    ] {
        let text = fixture(left);
        assert_eq!(read(&text).map(drop), Err(Refused), "{left}");
    }
}

#[test]
#[ignore = "needs the conformance corpus: set WHATSAPP_CONFORMANCE_DIR"]
fn agrees_with_serde_on_the_conformance_corpus() {
    let Some(dir) = std::env::var_os("WHATSAPP_CONFORMANCE_DIR") else {
        panic!(
            "WHATSAPP_CONFORMANCE_DIR is not set: this test needs the conformance corpus; \
             set it to the corpus folder (the one holding INDEX.tsv)"
        );
    };
    let dir = std::path::PathBuf::from(dir);
    let index = std::fs::read_to_string(dir.join("INDEX.tsv")).expect("INDEX.tsv");
    let mut accepted = 0;
    for file in index.lines().skip(1).filter_map(|l| l.split('\t').next()) {
        if let Ok(text) = std::fs::read_to_string(dir.join(file))
            && assert_agrees(file, &text)
        {
            accepted += 1;
        }
    }
    assert!(accepted >= 80, "only {accepted} corpus files read directly");
}

#[test]
fn borrows_plain_strings_and_decodes_escaped_ones() {
    let text = fixture("text_unicode_escaped.json");
    let Ok((object, entries)) = read(&text) else {
        panic!("read directly");
    };
    assert!(matches!(object, Cow::Borrowed("whatsapp_business_account")));
    let ChangeData::Messages(v) = &entries[0].changes[0].data else {
        panic!("a messages change");
    };
    let MessageContent::Text(t) = &v.messages[0].content else {
        panic!("a text message");
    };
    assert!(matches!(t.body, Cow::Owned(_)), "escaped body decoded");
    assert!(!t.body.contains('\\'));
    assert!(matches!(v.messages[0].id, Cow::Borrowed(_)));
}

const TEXT: &str = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},"contacts":[{"profile":{"name":"Ana"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.A","timestamp":"1749416383","type":"text","text":{"body":"Hi"}}]},"field":"messages"}]}]}"#;

#[test]
fn edge_cases_agree_or_fall_back() {
    assert!(read(TEXT).is_ok());
    let variants = [
        // Read here, the same as serde reads them.
        (TEXT.replace(":", " :\n\t").replace(",", " , "), Ok(())),
        (
            TEXT.replace(r#""timestamp":"1749416383""#, r#""timestamp":1749416383"#),
            Ok(()),
        ),
        (
            TEXT.replace(r#""timestamp":"1749416383""#, r#""timestamp":" 17 ""#),
            Ok(()),
        ),
        (
            TEXT.replace(
                r#""type":"text","#,
                r#""type":"text","context":{"from":"1","id":"wamid.B"},"#,
            ),
            Ok(()),
        ),
        (
            TEXT.replace(
                r#""messaging_product":"whatsapp""#,
                r#""extra":[1,-2.5e3,true,null,{"a":[]},"\ud83d\ude00"]"#,
            ),
            Ok(()),
        ),
        (
            TEXT.replace(r#""metadata":{"#, r#""metadata":{"x":"\u0041","#),
            Ok(()),
        ),
        (
            TEXT.replace(
                r#""text":{"body":"Hi"}"#,
                r#""text":{"body":"Hi","extra":1}"#,
            ),
            Ok(()),
        ),
        (
            TEXT.replace(r#""wa_id":"16505551234""#, r#""wa_id":null"#),
            Ok(()),
        ),
        (
            TEXT.replace(r#""profile":{"name":"Ana"},"#, r#""profile":null,"#),
            Ok(()),
        ),
        (
            TEXT.replace(r#""type":"text""#, r#""type":"request_welcome""#),
            Ok(()),
        ),
        (format!("  {TEXT}\n"), Ok(())),
        // A BSUID sender (2026): read here, with or without `from`.
        (
            TEXT.replace(
                r#""from":"16505551234","#,
                r#""from_user_id":"US.1","from_parent_user_id":"US.ENT.1","#,
            ),
            Ok(()),
        ),
        (
            TEXT.replace(
                r#""id":"wamid.A","#,
                r#""id":"wamid.A","from_user_id":null,"#,
            ),
            Ok(()),
        ),
        (
            TEXT.replace(r#""id":"wamid.A","#, r#""id":"wamid.A","from_user_id":7,"#),
            Err(Unread),
        ),
        // Left to serde: forms this reader does not read, what serde refuses, broken JSON.
        (
            TEXT.replace(r#""wa_id":"16505551234""#, r#""wa_id":16505551234"#),
            Err(Unread),
        ),
        (TEXT.replace(r#""id":"1""#, r#""id":1"#), Err(Unread)),
        (
            TEXT.replace(r#""from":"16505551234""#, r#""from":16505551234"#),
            Err(Unread),
        ),
        (
            TEXT.replace(r#""metadata":{"#, r#""metadata":null,"m":{"#),
            Ok(()),
        ),
        (
            TEXT.replace(r#""id":"wamid.A""#, r#""id":"wamid.A","id":"wamid.B""#),
            Err(Unread),
        ),
        (
            TEXT.replace(
                r#""field":"messages""#,
                r#""field":"messages","field":"messages""#,
            ),
            Err(Unread),
        ),
        (
            TEXT.replace(
                r#""field":"messages""#,
                r#""field":"message_template_status_update""#,
            ),
            Err(Refused),
        ),
        (
            TEXT.replace(r#""field":"messages""#, r#""field":"m\u0065ssages""#),
            Err(Unread),
        ),
        (
            TEXT.replace(r#""text":{"body":"Hi"}"#, r#""\u0074ext":{"body":"Hi"}"#),
            Err(Unread),
        ),
        (
            TEXT.replace(r#""type":"text""#, r#""type":"image""#),
            Err(Refused),
        ),
        (
            TEXT.replace(r#""type":"text""#, r#""type":"hologram""#),
            Err(Refused),
        ),
        (
            TEXT.replace(r#""timestamp":"1749416383""#, r#""timestamp":"soon""#),
            Err(Refused),
        ),
        (
            TEXT.replace(r#""timestamp":"1749416383""#, r#""timestamp":-1"#),
            Err(Refused),
        ),
        (
            TEXT.replace(r#""body":"Hi""#, "\"body\":\"H\u{1}i\""),
            Err(Refused),
        ),
        (
            TEXT.replace(r#""body":"Hi""#, r#""body":"Hi","#),
            Err(Unread),
        ),
        (TEXT.replace("}]}]}", "}]}],}"), Err(Unread)),
        (
            TEXT.replace(r#""contacts":["#, r#""contacts":null,"c":["#),
            Err(Unread),
        ),
        (
            TEXT.replace(r#""messages":["#, r#""messages":{},"m":["#),
            Err(Unread),
        ),
        (
            TEXT.replace(r#""wa_id":"16505551234""#, r#""wa_id":nope"#),
            Err(Unread),
        ),
        (
            TEXT.replace(r#""profile":{"name":"Ana"},"#, r#""profile":nul,"#),
            Err(Unread),
        ),
        (TEXT.replace(":", ":\u{b}"), Err(Unread)),
        (TEXT.replace(":", ":\u{c}"), Err(Unread)),
        (format!("{TEXT}x"), Err(Unread)),
        (format!("\u{feff}{TEXT}"), Err(Unread)),
        (TEXT[..TEXT.len() - 1].to_owned(), Err(Unread)),
        (
            TEXT.replace(
                r#""messaging_product":"whatsapp""#,
                &format!("\"deep\":{}{}", "[".repeat(40), "]".repeat(40)),
            ),
            Err(Unread),
        ),
    ];
    for (i, (text, expected)) in variants.iter().enumerate() {
        let got = agreement(&format!("variant {i}"), text);
        assert_eq!(got, *expected, "variant {i}: {text}");
    }
}

const STATUS: &str = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},"statuses":[{"id":"wamid.S","status":"read","timestamp":"1749416500","recipient_id":"16505551234","recipient_user_id":"US.1","biz_opaque_callback_data":"order-7","pricing":{"billable":false,"pricing_model":"PMP","type":"free_customer_service","category":"service"}}]},"field":"messages"}]}]}"#;

#[test]
fn status_edge_cases_agree_or_fall_back() {
    let Ok((_, entries)) = read(STATUS) else {
        panic!("read directly");
    };
    let ChangeData::Messages(v) = &entries[0].changes[0].data else {
        panic!("a messages change");
    };
    let Item::Ok(status) = &v.statuses[0] else {
        panic!("a typed status");
    };
    assert_eq!(status.status, StatusKind::Read);
    assert_eq!(
        status.pricing.as_ref().and_then(|p| p.billable),
        Some(false)
    );
    let pricing = r#""pricing":{"billable":false,"pricing_model":"PMP","type":"free_customer_service","category":"service"}"#;
    let variants = [
        // Read here (or handed whole to serde), the same as serde reads them.
        (STATUS.replace(pricing, r#""pricing":null"#), Ok(())),
        (STATUS.replace(r#""billable":false"#, r#""billable":null"#), Ok(())),
        (STATUS.replace(r#""billable":false"#, r#""billable":true,"x":[1]"#), Ok(())),
        (STATUS.replace(r#""category":"service""#, r#""category":"brand_new""#), Ok(())),
        (STATUS.replace(r#""status":"read""#, r#""status":"re\u0061d""#), Ok(())),
        (STATUS.replace(r#""status":"read""#, r#""status":"played""#), Ok(())),
        (STATUS.replace(r#""timestamp":"1749416500""#, r#""timestamp":1749416500"#), Ok(())),
        (STATUS.replace(r#""recipient_user_id":"US.1","#, r#""recipient_type":"group","#), Ok(())),
        (STATUS.replace(r#""biz_opaque_callback_data":"order-7""#, r#""biz_opaque_callback_data":null"#), Ok(())),
        (STATUS.replace(r#""status":"read","#, r#""status":"failed","errors":[{"code":131026,"title":"Message undeliverable"}],"#), Ok(())),
        (STATUS.replace(r#""status":"read","#, r#""status":"sent","conversation":{"id":"c1","origin":{"type":"utility"}},"#), Ok(())),
        (STATUS.replace(r#""status":"read","#, r#""status":"read","unknown":{"a":1},"#), Ok(())),
        (STATUS.replace(r#""statuses":[{"#, r#""statuses":[{"id":"wamid.T","status":"sent","timestamp":"1","recipient_id":"2"},{"#), Ok(())),
        // A send to a BSUID without a shareable phone number: no `recipient_id` (2026).
        (STATUS.replace(r#""recipient_id":"16505551234","#, ""), Ok(())),
        (STATUS.replace(r#""recipient_user_id":"US.1","#, r#""recipient_user_id":"US.1","recipient_parent_user_id":"US.ENT.1","#), Ok(())),
        (STATUS.replace(r#""recipient_user_id":"US.1","#, r#""recipient_user_id":"US.1","parent_recipient_user_id":"US.ENT.1","#), Ok(())),
        (STATUS.replace(r#""recipient_user_id":"US.1","#, r#""recipient_user_id":"US.1","parent_user_id":"US.ENT.1","#), Ok(())),
        // Left to serde, or refused by it too.
        (STATUS.replace(pricing, r#""pricing":[true,"PMP","regular","utility"]"#), Err(Unread)),
        (STATUS.replace(r#""billable":false"#, r#""billable":"false""#), Err(Unread)),
        (STATUS.replace(r#""billable":false"#, r#""billable":fals"#), Err(Unread)),
        (STATUS.replace(r#""status":"read""#, r#""status":"read","status":"sent""#), Err(Unread)),
        (STATUS.replace(r#""recipient_id":"16505551234""#, r#""recipient_id":16505551234"#), Err(Unread)),
        (STATUS.replace(r#""id":"wamid.S","#, ""), Err(Refused)),
        (STATUS.replace(r#""timestamp":"1749416500""#, r#""timestamp":"later""#), Err(Refused)),
        (STATUS.replace(r#""status":"read","#, r#""status":"read","errors":{},"#), Err(Refused)),
    ];
    for (i, (text, expected)) in variants.iter().enumerate() {
        let got = agreement(&format!("status variant {i}"), text);
        assert_eq!(got, *expected, "status variant {i}: {text}");
    }
}

/// A body with one byte inserted, removed or replaced by something JSON cares about.
fn mutated() -> impl Strategy<Value = String> {
    let names = [
        "text.json",
        "batched.json",
        "image.json",
        "status_failed.json",
        "status_sent_pmp.json",
        "text_unicode_escaped.json",
        "context_forwarded.json",
        "bsuid_only_sender.json",
    ];
    let bodies: Vec<String> = names.iter().map(|n| fixture(n)).collect();
    let pieces = [
        "\"", "\\", ",", ":", "{", "}", "[", "]", " ", "null", "1", "-", "\\u00e9", "\u{1}",
        "\"x\":1,", "é", "nul", "\u{b}",
    ];
    (
        0..bodies.len(),
        any::<prop::sample::Index>(),
        0..3u8,
        0..pieces.len(),
    )
        .prop_map(move |(b, at, how, piece)| {
            let body = &bodies[b];
            let mut at = at.index(body.len());
            while !body.is_char_boundary(at) {
                at -= 1;
            }
            let rest = body[at..].chars().next().map_or(0, char::len_utf8);
            match how {
                0 => format!("{}{}{}", &body[..at], pieces[piece], &body[at..]),
                1 => format!("{}{}", &body[..at], &body[at + rest..]),
                _ => format!("{}{}{}", &body[..at], pieces[piece], &body[at + rest..]),
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn mutated_bodies_agree_with_serde(text in mutated()) {
        let (direct, serde) = both(&text);
        match direct {
            Ok(direct) => prop_assert_eq!(Some(direct), serde),
            Err(Refused) => prop_assert_eq!(serde, None),
            Err(Unread) => {}
        }
    }
}
