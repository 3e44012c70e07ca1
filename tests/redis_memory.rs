//! Memory per tracked user on a real redis-server: users with a phone number and a BSUID and an
//! open window, then the same users with an opt-out too. Prints the figures (run with
//! `--nocapture`); set `WHATSAPP_REDIS_MEMORY_USERS` to change the number of users (100,000).

#![cfg(feature = "redis")]

mod redis_common;

use futures_util::StreamExt;
use redis_common::{namespace, now, url};
use whatsapp_cloud::policy::{Intent, OptOutStore, Source, UserKey, WindowTracker};
use whatsapp_cloud::redis::RedisState;

fn user(i: u64) -> UserKey {
    UserKey::user_id(format!("US.{}", 13_491_208_655_302_741_918u64 - i))
        .with_phone(format!("1{}", 6_505_000_000 + i))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a Redis server: set WHATSAPP_TEST_REDIS_URL (started by .ci/run)"]
async fn memory_per_user_stays_within_150_bytes() {
    let users: u64 = std::env::var("WHATSAPP_REDIS_MEMORY_USERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let state = RedisState::builder(url())
        .namespace(namespace("memory"))
        .expected_users(users)
        .connect()
        .await
        .unwrap();
    let t = now() - 60;
    let windows = state.window_tracker();
    futures_util::stream::iter(0..users)
        .map(|i| {
            let windows = windows.clone();
            async move { windows.record_inbound(&user(i), t).await }
        })
        .buffer_unordered(64)
        .for_each(|r| async move { r.unwrap() })
        .await;
    let window_only = state.user_memory_usage().await.unwrap() as f64 / users as f64;
    let opt_outs = state.opt_out_store();
    futures_util::stream::iter(0..users)
        .map(|i| {
            let opt_outs = opt_outs.clone();
            async move {
                opt_outs
                    .record(&user(i), Intent::OptOut, Source::Keyword, t)
                    .await
            }
        })
        .buffer_unordered(64)
        .for_each(|r| async move { r.unwrap() })
        .await;
    let with_opt_out = state.user_memory_usage().await.unwrap() as f64 / users as f64;
    println!(
        "MEMORY USAGE per user over {users} users (phone + BSUID): window {window_only:.1} B, window + opt-out {with_opt_out:.1} B"
    );
    assert!(window_only <= 150.0, "{window_only} bytes per user");
    assert!(with_opt_out <= 150.0, "{with_opt_out} bytes per user");
    // Spot check: the data is really there.
    assert!(
        windows
            .state(&user(7), now())
            .await
            .unwrap()
            .allows_free_form()
    );
    assert!(opt_outs.is_opted_out(&user(users - 1)).await.unwrap());
}
