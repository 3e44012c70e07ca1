//! The webhook figure of `benches/webhook.rs` (verify + parse + read a 536-byte text delivery, as a
//! fraction of the machine's limit), measured the same way for a peer crate: `whatsapp` 0.8.1.
//!
//! Run: `cargo bench --manifest-path benches/peers/Cargo.toml`.
//!
//! The peer has no signature check, so its side does the same keyed HMAC-SHA256 check as the limit
//! (what a handler using it must add), then `serde_json::from_slice` into its
//! `NotificationPayload` and reads each message's id and text body, as ours does. Ours, the peer and
//! the limit run in alternating batches in one process; the fastest batch of each is the machine
//! undisturbed, and the printed ratios are `limit / side`.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::hint::black_box;
use std::time::{Duration, Instant};
use whatsapp_cloud::webhook::{self, SignatureVerifier};

#[path = "../../support/webhook_sides.rs"]
mod sides;
use sides::{batch_ns, limit, ours};

const SECRET: &str = "bench-app-secret";

fn peer(key: &Hmac<Sha256>, body: &[u8], digest: &[u8]) -> usize {
    let mut mac = key.clone();
    mac.update(body);
    mac.verify_slice(digest).expect("signed");
    let payload: whatsapp::models::webhooks::NotificationPayload =
        serde_json::from_slice(body).expect("peer parse");
    let mut n = 0;
    for entry in &payload.entry {
        for change in &entry.changes {
            for m in change.value.messages.iter().flatten() {
                n += m.id.len();
                if let Some(text) = &m.text {
                    n += text.body.len();
                }
                n += 1;
            }
        }
    }
    n
}

fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/webhooks/text.json"
    );
    let body = std::fs::read(path).expect("fixture");
    let header = webhook::sign(SECRET, &body);
    let digest = hex::decode(&header["sha256=".len()..]).expect("hex");
    let verifier = SignatureVerifier::new(SECRET).expect("secret");
    let key = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("key");
    // Both sides read the same message: a parse that skipped the text would not count.
    assert_eq!(
        ours(&verifier, &body, &header),
        peer(&key, &body, &digest),
        "ours and the peer read the same id and text"
    );

    let (mut o, mut p, mut l) = (Vec::new(), Vec::new(), Vec::new());
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline || o.len() < 21 {
        o.push(batch_ns(1, || ours(&verifier, black_box(&body), &header)));
        p.push(batch_ns(1, || peer(&key, black_box(&body), &digest)));
        l.push(batch_ns(1, || limit(&key, black_box(&body), &digest)));
    }
    for v in [&mut o, &mut p, &mut l] {
        v.sort_by(f64::total_cmp);
    }
    let median = |v: &[f64]| v[v.len() / 2];
    println!(
        "text delivery ({} bytes), {} alternating batches of each side:",
        body.len(),
        o.len()
    );
    println!(
        "| side | limit / side (fastest batches) | (median batches) | fastest batch, per body |"
    );
    println!("|---|---|---|---|");
    for (name, v) in [
        ("whatsapp-cloud", &o),
        ("whatsapp 0.8.1 + HMAC check", &p),
        ("the limit", &l),
    ] {
        println!(
            "| {name} | {:.3} | {:.3} | {:.0} ns |",
            l[0] / v[0],
            median(&l) / median(v),
            v[0]
        );
    }
}
