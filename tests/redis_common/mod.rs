//! What the Redis tests share: the server's URL, a fresh namespace per test, a replica, a delivery.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};
use whatsapp_cloud::policy::unix_seconds;
use whatsapp_cloud::redis::RedisState;
use whatsapp_cloud::testing::webhook::{Delivery, DeliveryBuilder};

/// The test server's URL; a test run with `--include-ignored` without it fails here.
pub fn url() -> String {
    std::env::var("WHATSAPP_TEST_REDIS_URL").unwrap_or_else(|_| {
        panic!("WHATSAPP_TEST_REDIS_URL is not set: start a redis-server and set it (.ci/run does)")
    })
}

/// A namespace no other test (or earlier run) uses, so tests run in parallel on one server.
pub fn namespace(test: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    format!(
        "test-{test}-{}-{nanos}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A replica: its own connection to the test server, in `namespace`.
pub async fn replica(namespace: &str) -> RedisState {
    RedisState::builder(url())
        .namespace(namespace)
        .expected_users(1_000)
        .connect()
        .await
        .expect("the test Redis server answers")
}

pub fn now() -> u64 {
    unix_seconds(SystemTime::now())
}

pub fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// A batched delivery stamped now: texts from ten users (one of them STOP), and statuses.
pub fn batch() -> Delivery {
    let mut builder = DeliveryBuilder::new("WABA1", "PN1").timestamp(now() - 5);
    for i in 0..10 {
        let body = if i == 3 { "STOP" } else { "hello" };
        builder = builder.text(&format!("1650555{i:04}"), "User", body);
    }
    builder
        .status("wamid.OUT1", "delivered", "16505550001")
        .status("wamid.OUT1", "read", "16505550001")
        .build()
}
