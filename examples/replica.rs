//! One replica of a webhook receiver whose state lives in Redis (feature `redis`): it reads a
//! delivery body from a file, processes it `times` times at once (a delivery and Meta's
//! redeliveries), and prints one line per item: `processed <key>` when this replica was the first
//! to see it anywhere, `duplicate <key>` otherwise. First-seen items feed the window and opt-out
//! stores.
//!
//! ```text
//! cargo run --features redis --example replica -- redis://127.0.0.1:6379/ my-namespace body.json 2
//! ```
//!
//! The Redis tests start it four times at once to check that every item is processed exactly
//! once across processes.

use std::time::SystemTime;
use whatsapp_cloud::policy::{Deduplicator, Keywords, SendGuard, unix_seconds};
use whatsapp_cloud::redis::RedisState;
use whatsapp_cloud::webhook::Payload;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, namespace, file, rest @ ..] = &args[..] else {
        return Err("usage: replica <redis-url> <namespace> <delivery-file> [times]".into());
    };
    let times: usize = rest.first().map_or(Ok(1), |t| t.parse())?;
    let body = std::fs::read(file)?;
    let state = RedisState::builder(url.as_str())
        .namespace(namespace.as_str())
        .connect()
        .await?;
    let runs = (0..times).map(|_| {
        let state = state.clone();
        let body = body.clone();
        tokio::spawn(async move { process(&state, &body).await })
    });
    let mut lines = Vec::new();
    for run in runs.collect::<Vec<_>>() {
        lines.extend(run.await??);
    }
    for line in lines {
        println!("{line}");
    }
    Ok(())
}

/// Processes one delivery; returns a line per item.
async fn process(state: &RedisState, body: &[u8]) -> Result<Vec<String>, String> {
    let payload = Payload::from_slice(body).map_err(|e| e.to_string())?;
    let seen = state.deduplicator();
    let guard = SendGuard::new(state.window_tracker(), state.opt_out_store());
    let keywords = Keywords::default();
    let now = unix_seconds(SystemTime::now());
    let mut lines = Vec::new();
    for event in payload.events() {
        let Some(key) = whatsapp_cloud::policy::DedupKey::of_event(&event) else {
            continue;
        };
        if seen.check_event(&event, now).await.is_first() {
            guard
                .observe(&event, &keywords)
                .await
                .map_err(|e| e.to_string())?;
            lines.push(format!("processed {key}"));
        } else {
            lines.push(format!("duplicate {key}"));
        }
    }
    Ok(lines)
}
