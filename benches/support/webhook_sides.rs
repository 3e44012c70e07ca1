//! The two sides every webhook comparison measures, shared by `benches/webhook.rs` and the peer
//! bench in `benches/peers/`: ours (verify + parse + read) and the machine's limit, and the batch
//! timer that alternates them.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::hint::black_box;
use std::time::Instant;
use whatsapp_cloud::webhook::{Event, MessageContent, Payload, SignatureVerifier};

/// Ours: verify the signature header, parse the payload, read each message's id and text body.
pub fn ours(verifier: &SignatureVerifier, body: &[u8], header: &str) -> usize {
    verifier.verify(body, Some(header)).expect("signed");
    let payload = Payload::from_slice(body).expect("envelope");
    let mut n = 0;
    for event in payload.events() {
        if let Event::Message(m) = &event {
            // What a handler does: read the id and the content (the text body), so a lazy parse
            // cannot make the number look better than it is.
            n += m.id().len();
            if let MessageContent::Text(t) = m.content() {
                n += t.body.len();
            }
        }
        n += 1;
    }
    n
}

/// The limit: a keyed HMAC-SHA256 check of the body and a look at every byte of its JSON.
pub fn limit(key: &Hmac<Sha256>, body: &[u8], digest: &[u8]) -> usize {
    let mut mac = key.clone();
    mac.update(body);
    mac.verify_slice(digest).expect("signed");
    serde_json::from_slice::<serde::de::IgnoredAny>(body).expect("json");
    body.len()
}

/// The fastest per-body time of `f` over one batch, in nanoseconds.
pub fn batch_ns(bodies: usize, mut f: impl FnMut() -> usize) -> f64 {
    const RUNS: u32 = 64;
    let start = Instant::now();
    let mut n = 0;
    for _ in 0..RUNS {
        n += f();
    }
    black_box(n);
    start.elapsed().as_nanos() as f64 / f64::from(RUNS) / bodies as f64
}
