//! Runs every example that needs no credentials and checks what it prints.
//!
//! `cargo test` builds the examples next to this test; when they are missing (a filtered run such as
//! `cargo test --test examples`), they are built first.

use std::path::PathBuf;
use std::process::Command;

fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary has a path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("test binaries live in target/<profile>/deps");
    let path = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !path.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--all-features", "--example", name])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building example {name} failed");
    }
    path
}

/// Runs an example offline (credentials removed from the environment) and returns its stdout.
fn run(name: &str, args: &[&str]) -> String {
    let output = Command::new(example(name))
        .args(args)
        .env_remove("WHATSAPP_ACCESS_TOKEN")
        .env_remove("WHATSAPP_PHONE_NUMBER_ID")
        .env_remove("WHATSAPP_RECIPIENT")
        .output()
        .unwrap_or_else(|e| panic!("example {name} could not start: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "example {name} failed with {}\nstdout:\n{stdout}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn assert_contains_all(name: &str, output: &str, expected: &[&str]) {
    for line in expected {
        assert!(
            output.contains(line),
            "example {name} did not print {line:?}; it printed:\n{output}"
        );
    }
}

#[test]
fn demo_walks_through_the_sdk_offline() {
    let out = run("demo", &[]);
    assert_contains_all(
        "demo",
        &out,
        &[
            "No credentials set: using a fake Cloud API",
            "✓ right token: 200 with the challenge \"1158201444\" echoed",
            "✓ wrong token: 403",
            "✓ signed delivery accepted: 200 (1 new, 0 duplicate)",
            "✓ tampered body refused: 401",
            "✓ Meta's redelivery acknowledged and skipped: 0 new, 1 duplicate",
            "free-form allowed = true",
            "✓ plain reply: accepted as wamid.",
            "✓ template order_confirmation with two body parameters: accepted as wamid.",
            "✓ three reply buttons: accepted as wamid.",
            "✓ two-section support menu list: accepted as wamid.",
            "✓ image with caption: accepted as wamid.",
            "✓ PDF invoice with filename and caption: accepted as wamid.",
            "✓ location with name and address: accepted as wamid.",
            "✓ template appointment_reminder: image header, two body parameters, quick-reply payload: accepted as wamid.",
            "✓ a fourth button is refused before sending: interactive.action.buttons has 4 items, the limit is 3",
            "Button { id: \"track_order\", title: \"Track my order\" } from 16315551234 -> replied with text",
            "OptedOut from 16315551234 -> replied with text",
            "✓ marketing template refused locally: 16315551234 opted out of marketing messages",
            "↻ attempt 1 failed (WhatsApp API error 130429",
            "✓ text after Meta answered 130429 once: accepted as wamid.",
            "✓ free-form refused before the network: the 24-hour customer service window for 16315559876 is closed",
            "✓ template order_confirmation sent instead: wamid.",
            "✓ Flow message sent with flow token booking-42: accepted as wamid.",
            "✓ tampered request refused: 421",
            "the client decrypts (inverted IV): screen \"CONFIRM\" with 3 slots",
            "✓ confirmation answered with SUCCESS and params",
            "✓ a request with a wrong signature refused: 432",
            "nfm_reply with flow token \"booking-42\" and appointment \"A-1042\"",
            "The fake Cloud API received 16 messages and 3 read receipts.",
        ],
    );
    assert!(!out.contains('✗'), "a demo step failed:\n{out}");
}

#[test]
fn send_text_sends_and_quotes() {
    let out = run("send_text", &[]);
    assert_contains_all(
        "send_text",
        &out,
        &[
            "sent text: wamid.",
            "sent reply quoting wamid.",
            r#""text":{"body":"Hi! Your order #1042 has shipped."}"#,
            r#""context":{"message_id":"wamid."#,
        ],
    );
}

#[test]
fn send_template_sends_both_templates() {
    let out = run("send_template", &[]);
    assert_contains_all(
        "send_template",
        &out,
        &[
            "order_confirmation: wamid.",
            "(accepted)",
            "appointment_reminder: wamid.",
            r#""parameters":[{"payload":"CONFIRM_APPOINTMENT_8812","type":"payload"}],"sub_type":"quick_reply""#,
        ],
    );
}

#[test]
fn interactive_sends_buttons_and_a_list_and_refuses_a_fourth_button() {
    let out = run("interactive", &[]);
    assert_contains_all(
        "interactive",
        &out,
        &[
            "buttons: wamid.",
            "list: wamid.",
            "refused before sending: interactive.action.buttons has 4 items, the limit is 3",
        ],
    );
}

#[test]
fn custom_transport_sends_through_a_closure() {
    let out = run("custom_transport", &[]);
    assert_contains_all(
        "custom_transport",
        &out,
        &[
            "request went to /v26.0/106540352242922/messages",
            "accepted as wamid.HBgLMTYzMTU1NTEyMzQVAgARGBI",
        ],
    );
}

#[test]
fn webhook_server_routes_each_tenant() {
    let out = run("webhook_server", &[]);
    assert_contains_all(
        "webhook_server",
        &out,
        &[
            "acme: handshake answered \"4242\"",
            "acme: signed delivery -> 200",
            "acme: redelivery -> 200 (skipped)",
            "acme: delivery signed with another tenant's secret -> 401",
            "[acme/support] Text(\"Hello?\") from 16315551234 -> replied with interactive",
            "globex: handshake answered \"4242\"",
            "globex: signed delivery -> 200",
            "globex: redelivery -> 200 (skipped)",
            "globex: delivery signed with another tenant's secret -> 401",
            "[globex/sales] Text(\"Hello?\") from 16315551234 -> replied with interactive",
            "unknown tenant -> 404",
            "fake API: 1 message(s) sent from 106540352242922",
            "fake API: 1 message(s) sent from 209876543210987",
        ],
    );
}

#[test]
fn media_uploads_sends_downloads_and_deletes() {
    let out = run("media", &[]);
    assert_contains_all(
        "media",
        &out,
        &[
            "uploaded 69 bytes of image/png as media fake-media-",
            "sent image: wamid.",
            "downloaded 69 bytes (image/png), sha256 cae9206a9083dd9d4653e108d9de731be0f7554e93b849bf3f17517a7b8cb878, identical to the upload: true",
            "sent local document as media fake-media-",
            "refused before uploading: type is \"image/gif\"",
            "deleted media fake-media-1: true",
            r#""image":{"caption":"A very small picture","id":"fake-media-1"}"#,
            r#""caption":"Today's menu""#,
        ],
    );
}

#[test]
fn flow_endpoint_answers_encrypted_flow_requests() {
    let out = run("flow_endpoint", &[]);
    assert_contains_all(
        "flow_endpoint",
        &out,
        &[
            "-----BEGIN PUBLIC KEY-----",
            "init -> 200, reply identical to the independent implementation's: true",
            "ping -> 200, reply identical to the independent implementation's: true",
            "error_notification -> 200, reply identical to the independent implementation's: true",
            "back -> 200, reply identical to the independent implementation's: true",
            "data_exchange -> 200, reply identical to the independent implementation's: true",
            "data_exchange -> 427 {\"error_msg\":\"This booking is already complete\"}",
            "tampered request -> 421",
            "wrong signature -> 432",
        ],
    );
}

#[test]
fn operations_subscribes_sets_the_pin_blocks_and_creates_a_qr_code() {
    let out = run("operations", &[]);
    assert_contains_all(
        "operations",
        &out,
        &[
            "subscribed app 670843887433847; account webhooks go to https://hooks.example.com/whatsapp",
            "two-step verification PIN set",
            "blocked 16315551234",
            "not blocked +16315550000: error 131047 (OutsideWindow)",
            "request-level error: BlockFailed",
            "QR code FAKEQR1 opens https://wa.me/message/FAKEQR1 (image https://scontent.example.com/fake-qr/FAKEQR1.svg)",
        ],
    );
    assert!(!out.contains("204816"), "the PIN was printed:\n{out}");
}

#[test]
fn calling_connects_answers_and_ends_calls_on_the_fake() {
    let out = run("calling", &[]);
    assert_contains_all(
        "calling",
        &out,
        &[
            "calling enabled",
            "permission before: no_permission",
            "permission after: permanent",
            "business call ringing: wacid.FAKE",
            "business call terminated",
            "user call wacid.HBgLMTQwODU1NTEyMzQVAgARGCAyODRQ with an SDP offer of",
            "user call accepted",
            "user call terminated",
            "free-form reply allowed after the call: true",
            "call actions: connect, terminate, pre_accept, accept, terminate",
        ],
    );
}

#[test]
fn groups_creates_matches_the_webhook_and_sends() {
    let out = run("groups", &[]);
    assert_contains_all(
        "groups",
        &out,
        &[
            "create accepted as request fake-request-",
            "webhook signature (X-Hub-Signature-256) verified",
            "order-1042 -> group fake-group-",
            "created, invite link https://chat.whatsapp.com/FakeInvite",
            "requests still waiting: 0",
            "text sent to the group: wamid.",
            "the fake recorded 1 message(s), to fake-group-",
            "with recipient_type \"group\"",
        ],
    );
}
