//! The one timing test of the Redis feature (asked for by the shared-budget requirement): four
//! clients, each with its own Redis connection, share one budget of 20 messages per second. In a
//! test binary of its own so that no other test competes for the CPU while it counts.

#![cfg(feature = "redis")]

mod redis_common;

use redis_common::{namespace, replica};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use whatsapp_cloud::Client;
use whatsapp_cloud::message::{Message, SendMessage};
use whatsapp_cloud::policy::PacingConfig;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Four clients, each with its own Redis connection, share 20 messages per second: over three
/// seconds each second sees 20 ± 1 arrivals at the (fake) Cloud API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a Redis server: set WHATSAPP_TEST_REDIS_URL (started by .ci/run)"]
async fn four_senders_share_twenty_messages_per_second() {
    let ns = namespace("budget");
    let server = MockServer::start().await;
    let arrivals = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let seen = arrivals.clone();
    Mock::given(method("POST"))
        .and(path("/v25.0/PN1/messages"))
        .respond_with(move |_: &wiremock::Request| {
            seen.lock().unwrap().push(Instant::now());
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "messaging_product": "whatsapp",
                "contacts": [{"input": "x", "wa_id": "x"}],
                "messages": [{"id": "wamid.OK"}]
            }))
        })
        .mount(&server)
        .await;
    let config = PacingConfig::default().messages_per_second(20).unwrap();
    // Each sender first sends once (its connections are then open), then all start together.
    let ready = Arc::new(tokio::sync::Barrier::new(4));
    let started = Arc::new(Mutex::new(None::<Instant>));
    let mut senders = Vec::new();
    for s in 0..4 {
        let state = replica(&ns).await;
        let client = Client::builder()
            .access_token("TOKEN")
            .phone_number_id("PN1")
            .api_version("v25.0")
            .base_url(server.uri())
            .pacing(config.clone())
            .shared_pacer(state.pacer(config.clone()))
            .build()
            .unwrap();
        let (ready, started) = (ready.clone(), started.clone());
        senders.push(tokio::spawn(async move {
            let warm_up = SendMessage::new(format!("1651{s}000000"), Message::text("hi"));
            client.send(&warm_up).await.unwrap();
            ready.wait().await;
            let start = *started.lock().unwrap().get_or_insert_with(Instant::now);
            let mut n = 0u32;
            while start.elapsed() < Duration::from_millis(3_300) {
                let to = format!("1650{s}{n:06}");
                client
                    .send(&SendMessage::new(to, Message::text("hi")))
                    .await
                    .unwrap();
                n += 1;
            }
        }));
    }
    for sender in senders {
        sender.await.unwrap();
    }
    let start = started.lock().unwrap().unwrap();
    let arrivals: Vec<Instant> = arrivals
        .lock()
        .unwrap()
        .iter()
        .copied()
        .filter(|at| *at >= start)
        .collect();
    let first = *arrivals.iter().min().unwrap();
    let mut per_second = BTreeMap::new();
    for at in &arrivals {
        let second = (*at - first).as_secs();
        if second < 3 {
            *per_second.entry(second).or_insert(0u32) += 1;
        }
    }
    println!("arrivals per second: {per_second:?}");
    assert_eq!(per_second.len(), 3, "{per_second:?}");
    for (second, count) in per_second {
        assert!((19..=21).contains(&count), "second {second}: {count} sends");
    }
}
