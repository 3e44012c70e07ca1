//! Webhook throughput: verify + parse + iterate events (reading each message's id and text body),
//! against the machine's limit
//! (keyed HMAC-SHA256 of the body + `serde_json::from_slice::<IgnoredAny>`) and against
//! `serde_json::from_slice::<serde_json::Value>`.
//!
//! Run: `cargo bench --bench webhook -- --warm-up-time 1 --measurement-time 3`.
//! After each group it prints `limit/ours` measured in alternating batches (see
//! [`interleaved_ratio`]): on a shared machine that ratio is steadier than the quotient of two
//! criterion estimates taken seconds apart.
//! The corpus group reads `$WHATSAPP_CONFORMANCE_DIR` and is skipped (with a note) when unset.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::hint::black_box;
use std::time::{Duration, Instant};
use whatsapp_cloud::webhook::{self, Payload, SignatureVerifier};

#[path = "support/webhook_sides.rs"]
mod sides;
use sides::{batch_ns, limit, ours};

const SECRET: &str = "bench-app-secret";

fn value(body: &[u8]) -> usize {
    match serde_json::from_slice::<serde_json::Value>(body).expect("json") {
        serde_json::Value::Object(m) => m.len(),
        _ => 0,
    }
}

/// Criterion measures each function in turn, seconds apart, and on a shared machine the speed
/// drifts in between: this VM has spells where everything runs about 1.5× slower, and they hurt
/// the parse more than the hash. This runs ours and the limit in alternating batches for three
/// seconds and prints the ratio of their fastest batches (the machine undisturbed: the figure the
/// README reports, steady from run to run) and of their median batches (which moves with the
/// spells).
fn interleaved_ratio(name: &str, signed: &[(Vec<u8>, String, Vec<u8>)]) {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    let verifier = SignatureVerifier::new(SECRET).expect("secret");
    let key = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("key");
    let (mut ours_ns, mut limit_ns) = (Vec::new(), Vec::new());
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline || ours_ns.len() < 21 {
        ours_ns.push(batch_ns(signed.len(), || {
            signed
                .iter()
                .map(|(body, header, _)| ours(&verifier, black_box(body), header))
                .sum()
        }));
        limit_ns.push(batch_ns(signed.len(), || {
            signed
                .iter()
                .map(|(body, _, digest)| limit(&key, black_box(body), digest))
                .sum()
        }));
    }
    ours_ns.sort_by(f64::total_cmp);
    limit_ns.sort_by(f64::total_cmp);
    let median = |v: &[f64]| v[v.len() / 2];
    println!(
        "{name}: limit/ours = {:.3} by the fastest batches (ours {:.0} ns, limit {:.0} ns per \
         body), {:.3} by the median ones (ours {:.0} ns, limit {:.0} ns); {} alternating batches",
        limit_ns[0] / ours_ns[0],
        ours_ns[0],
        limit_ns[0],
        median(&limit_ns) / median(&ours_ns),
        median(&ours_ns),
        median(&limit_ns),
        ours_ns.len()
    );
}

fn group(c: &mut Criterion, name: &str, bodies: &[Vec<u8>]) {
    let verifier = SignatureVerifier::new(SECRET).expect("secret");
    let key = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("key");
    let signed: Vec<(Vec<u8>, String, Vec<u8>)> = bodies
        .iter()
        .map(|b| {
            let header = webhook::sign(SECRET, b);
            let digest = hex::decode(&header["sha256=".len()..]).expect("hex");
            (b.clone(), header, digest)
        })
        .collect();
    let total: usize = bodies.iter().map(Vec::len).sum();
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function(BenchmarkId::new("ours_verify_parse_events", total), |b| {
        b.iter(|| {
            signed
                .iter()
                .map(|(body, header, _)| ours(&verifier, black_box(body), header))
                .sum::<usize>()
        })
    });
    g.bench_function(BenchmarkId::new("limit_hmac_ignoredany", total), |b| {
        b.iter(|| {
            signed
                .iter()
                .map(|(body, _, digest)| limit(&key, black_box(body), digest))
                .sum::<usize>()
        })
    });
    g.bench_function(BenchmarkId::new("serde_json_value", total), |b| {
        b.iter(|| {
            signed
                .iter()
                .map(|(body, _, _)| value(black_box(body)))
                .sum::<usize>()
        })
    });
    g.finish();
    interleaved_ratio(name, &signed);
}

fn text_delivery(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/webhooks/text.json"
    );
    let body = std::fs::read(path).expect("fixture");
    group(c, "text_delivery", &[body]);
}

fn corpus(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("WHATSAPP_CONFORMANCE_DIR") else {
        println!("note: WHATSAPP_CONFORMANCE_DIR is not set; skipping the corpus benchmark");
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let index = std::fs::read_to_string(dir.join("INDEX.tsv")).expect("INDEX.tsv");
    let bodies: Vec<Vec<u8>> = index
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let webhook = cols.get(2).is_some_and(|t| {
                t.split_whitespace().any(|t| {
                    t.starts_with("msg:") || t.starts_with("status:") || t.starts_with("field:")
                })
            });
            (webhook && cols.get(1) == Some(&"yes")).then(|| cols[0].to_owned())
        })
        .filter_map(|f| std::fs::read(dir.join(f)).ok())
        .filter(|b| Payload::from_slice(b).is_ok())
        .collect();
    group(c, "corpus", &bodies);
}

criterion_group!(benches, text_delivery, corpus);
criterion_main!(benches);
