//! Pacing accuracy: a bulk send at 80 messages per second (the default pacing) to a loopback server
//! that notes when each message arrives; prints the steady rate and the busiest second, counted in
//! whole seconds from the first arrival and over any one-second window (which also catches two
//! half-busy seconds side by side).
//!
//! Run: `cargo bench --bench pacing` (about 10 seconds; `PACING_BENCH_MESSAGES` sets how many
//! messages, 800 by default).

mod support;

use axum::Router;
use axum::routing::post;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use whatsapp_cloud::Client;
use whatsapp_cloud::message::{Message, SendMessage};
use whatsapp_cloud::policy::PacingConfig;

const RATE: u32 = 80;
const ANSWER: &str = r#"{"messaging_product":"whatsapp","contacts":[{"input":"1","wa_id":"1"}],"messages":[{"id":"wamid.bench"}]}"#;

async fn start_server(arrivals: Arc<Mutex<Vec<Instant>>>) -> SocketAddr {
    let app = Router::new().route(
        "/{version}/{phone}/messages",
        post(move |_body: axum::body::Bytes| {
            let arrivals = arrivals.clone();
            async move {
                if let Ok(mut arrivals) = arrivals.lock() {
                    arrivals.push(Instant::now());
                }
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    ANSWER,
                )
            }
        }),
    );
    support::serve(app).await
}

/// The most arrivals within any one second (a window starting at each arrival).
fn busiest_second(arrivals: &[Instant]) -> usize {
    let mut end = 0;
    let mut most = 0;
    for (start, at) in arrivals.iter().enumerate() {
        while end < arrivals.len() && arrivals[end].duration_since(*at) < Duration::from_secs(1) {
            end += 1;
        }
        most = most.max(end - start);
    }
    most
}

/// The most arrivals within one of the whole seconds counted from the first arrival.
fn busiest_counted_second(arrivals: &[Instant]) -> usize {
    let Some(first) = arrivals.first() else {
        return 0;
    };
    let mut counts = std::collections::HashMap::<u64, usize>::new();
    for at in arrivals {
        *counts
            .entry(at.duration_since(*first).as_secs())
            .or_default() += 1;
    }
    counts.into_values().max().unwrap_or(0)
}

fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    let messages: usize = std::env::var("PACING_BENCH_MESSAGES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(800);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let arrivals = Arc::new(Mutex::new(Vec::with_capacity(messages)));
        let addr = start_server(arrivals.clone()).await;
        let client = Client::builder()
            .access_token("EAAG-bench-token")
            .phone_number_id("106540352242922")
            .base_url(format!("http://{addr}/"))
            .pacing(
                PacingConfig::default()
                    .messages_per_second(RATE)
                    .expect("rate"),
            )
            .build()
            .expect("client");
        // One message per recipient: only the number's throughput paces them.
        let batch = (0..messages)
            .map(|i| SendMessage::new(format!("1631555{i:04}"), Message::text("Sale today!")));
        let started = Instant::now();
        let results = client.send_batch(batch).await;
        let elapsed = started.elapsed();
        let failed = results.iter().filter(|r| r.is_err()).count();
        let mut arrivals = arrivals.lock().expect("arrivals").clone();
        arrivals.sort();
        let (Some(first), Some(last)) = (arrivals.first(), arrivals.last()) else {
            println!("pacing: no message arrived ({failed} failed)");
            return;
        };
        let span = last.duration_since(*first).as_secs_f64();
        println!(
            "pacing at {RATE}/s: {} messages arrived in {:.2} s ({failed} failed; the batch took \
             {:.2} s): steady rate {:.1}/s (first to last arrival), busiest second {} (whole seconds \
             from the first arrival), {} (any one-second window)",
            arrivals.len(),
            span,
            elapsed.as_secs_f64(),
            (arrivals.len() - 1) as f64 / span,
            busiest_counted_second(&arrivals),
            busiest_second(&arrivals)
        );
    });
}
