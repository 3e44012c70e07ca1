//! The `redis` feature against a real redis-server (`WHATSAPP_TEST_REDIS_URL`, started by
//! `.ci/run`): replicas sharing dedup, windows, opt-outs and the send budget.

#![cfg(feature = "redis")]

mod redis_common;

use redis_common::{batch, namespace, now, replica, url};
use std::sync::Arc;
use std::time::Duration;
use whatsapp_cloud::Error;
use whatsapp_cloud::error::Refusal;
use whatsapp_cloud::message::{SendMessage, Template};
use whatsapp_cloud::policy::{
    DedupKey, Deduplicator, Delivery, Intent, Keywords, OptOutStore, Outgoing, PacingConfig,
    SendGuard, SharedAdmission, SharedPacer, Source, UserKey, WindowTracker,
};
use whatsapp_cloud::redis::RedisState;
use whatsapp_cloud::testing::FakeCloudApi;
use whatsapp_cloud::testing::webhook::DeliveryBuilder;
use whatsapp_cloud::webhook::Payload;

/// Processes `body` once on `state` as a webhook handler would; returns the keys it processed.
async fn process(state: &RedisState, body: &[u8]) -> Vec<String> {
    let payload = Payload::from_slice(body).unwrap();
    let seen = state.deduplicator();
    let guard = SendGuard::new(state.window_tracker(), state.opt_out_store());
    let mut processed = Vec::new();
    for event in payload.events() {
        let key = DedupKey::of_event(&event).unwrap();
        if seen.check_event(&event, now()).await.is_first() {
            guard.observe(&event, &Keywords::default()).await.unwrap();
            processed.push(key.to_string());
        }
    }
    processed
}

fn keys_of(body: &[u8]) -> Vec<String> {
    let payload = Payload::from_slice(body).unwrap();
    let mut keys: Vec<String> = payload
        .events()
        .map(|e| DedupKey::of_event(&e).unwrap().to_string())
        .collect();
    keys.sort();
    keys
}

#[tokio::test]
#[ignore = "needs a Redis server: set WHATSAPP_TEST_REDIS_URL (started by .ci/run)"]
async fn four_replicas_process_a_delivery_and_its_redelivery_exactly_once() {
    let ns = namespace("four");
    let delivery = batch();
    let body = Arc::new(delivery.body().to_vec());
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let state = replica(&ns).await;
        for _ in 0..2 {
            let (state, body) = (state.clone(), body.clone());
            tasks.push(tokio::spawn(async move { process(&state, &body).await }));
        }
    }
    let mut processed = Vec::new();
    for task in tasks {
        processed.extend(task.await.unwrap());
    }
    processed.sort();
    assert_eq!(processed, keys_of(&body));
    assert_eq!(processed.len(), 12);

    // The stores were fed: every sender's window is open, the STOP is seen, by a fifth replica.
    let other = replica(&ns).await;
    let guard = SendGuard::new(other.window_tracker(), other.opt_out_store());
    for i in 0..10 {
        let user = UserKey::phone(format!("1650555{i:04}"));
        assert_eq!(guard.check(&user, &Outgoing::FreeForm, now()).await, Ok(()));
    }
    let stopped = UserKey::phone("16505550003");
    assert!(other.opt_out_store().is_opted_out(&stopped).await.unwrap());
    assert!(
        !other
            .opt_out_store()
            .is_opted_out(&UserKey::phone("16505550004"))
            .await
            .unwrap()
    );
}

#[tokio::test]
#[ignore = "needs a Redis server: set WHATSAPP_TEST_REDIS_URL (started by .ci/run)"]
async fn four_processes_process_a_delivery_and_its_redelivery_exactly_once() {
    let ns = namespace("processes");
    let delivery = batch();
    let file = std::env::temp_dir().join(format!("{ns}.json"));
    std::fs::write(&file, delivery.body()).unwrap();
    let exe = example("replica");
    let children: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(&exe)
                .args([url().as_str(), ns.as_str(), file.to_str().unwrap(), "2"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut processed = Vec::new();
    let mut duplicates = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "replica failed: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for line in stdout.lines() {
            match line.split_once(' ') {
                Some(("processed", key)) => processed.push(key.to_owned()),
                Some(("duplicate", _)) => duplicates += 1,
                _ => panic!("unexpected line {line:?}"),
            }
        }
    }
    std::fs::remove_file(&file).ok();
    processed.sort();
    assert_eq!(processed, keys_of(delivery.body()));
    assert_eq!(duplicates, 12 * 8 - 12);
    let state = replica(&ns).await;
    assert!(
        state
            .opt_out_store()
            .is_opted_out(&UserKey::phone("16505550003"))
            .await
            .unwrap()
    );
}

/// The example binary built next to this test (built first when missing).
fn example(name: &str) -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(|d| d.parent()).unwrap();
    let path = dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !path.exists() {
        let status = std::process::Command::new(env!("CARGO"))
            .args(["build", "--all-features", "--example", name])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(status.success(), "building example {name} failed");
    }
    path
}

#[tokio::test]
#[ignore = "needs a Redis server: set WHATSAPP_TEST_REDIS_URL (started by .ci/run)"]
async fn a_stop_seen_by_one_replica_refuses_marketing_from_another() {
    let ns = namespace("stop");
    let a = replica(&ns).await;
    let b = replica(&ns).await;
    let stop = DeliveryBuilder::new("WABA1", "PN1")
        .timestamp(now() - 5)
        .text("16505551234", "Ana", "STOP")
        .build();
    assert_eq!(process(&a, stop.body()).await.len(), 1);

    let fake = FakeCloudApi::start().await;
    let guard = SendGuard::new(b.window_tracker(), b.opt_out_store());
    let client = fake
        .client_builder()
        .send_policy(Arc::new(guard))
        .build()
        .unwrap();
    let err = client
        .send(&SendMessage::new(
            "+1 650 555 1234",
            Template::new("summer_sale", "en_US").marketing(),
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Refused(Refusal::OptedOut { template, .. }) if template == "summer_sale"),
        "{err:?}"
    );
    assert!(fake.requests().await.is_empty());
    // The user's window is open (the STOP was an inbound message): free-form still goes out.
    client
        .send(&SendMessage::new(
            "16505551234",
            whatsapp_cloud::message::Message::text("Done: no more offers."),
        ))
        .await
        .unwrap();
    assert_eq!(fake.sent_messages().await.len(), 1);
}

#[tokio::test]
#[ignore = "needs a Redis server: set WHATSAPP_TEST_REDIS_URL (started by .ci/run)"]
async fn a_window_opened_through_a_phone_number_is_found_through_the_bsuid_on_another_replica() {
    let ns = namespace("window");
    let a = replica(&ns).await;
    let b = replica(&ns).await;
    let (phone, bsuid) = ("16505551234", "US.13491208655302741918");
    let t = now() - 60;
    a.window_tracker()
        .record_inbound(&UserKey::phone(phone), t)
        .await
        .unwrap();
    let by_bsuid = UserKey::user_id(bsuid);
    assert_eq!(b.window_tracker().window(&by_bsuid).await.unwrap(), None);
    // A send to both ids (or an event carrying both) links them, on any replica.
    b.window_tracker()
        .record_outbound(&by_bsuid.clone().with_phone(phone), t + 1)
        .await
        .unwrap();
    let state = a.window_tracker().state(&by_bsuid, now()).await.unwrap();
    assert_eq!(state.closes_at(), Some(t + 24 * 60 * 60));

    // A webhook carrying both ids (`from` and the contact's `user_id`) links them too.
    let delivery = DeliveryBuilder::new("WABA1", "PN1")
        .timestamp(t)
        .text("16505550042", "Bob", "hi")
        .build();
    process(&a, delivery.body()).await;
    let contact: serde_json::Value = serde_json::from_slice(delivery.body()).unwrap();
    let bob = contact["entry"][0]["changes"][0]["value"]["contacts"][0]["user_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let state = b
        .window_tracker()
        .state(&UserKey::user_id(bob), now())
        .await
        .unwrap();
    assert!(state.allows_free_form());
}

#[tokio::test]
#[ignore = "needs a Redis server: set WHATSAPP_TEST_REDIS_URL (started by .ci/run)"]
async fn store_rules_hold_on_the_server() {
    let ns = namespace("rules");
    let a = replica(&ns).await;
    let b = replica(&ns).await;
    let t = now() - 100;
    let ana = UserKey::user_id("US.1").with_phone("16505551234");

    // Dedup: first seen wins, forget works across replicas.
    let key = DedupKey::message("wamid.X");
    assert_eq!(
        a.deduplicator().check(&key, t).await.unwrap(),
        Delivery::First
    );
    assert_eq!(
        b.deduplicator().check(&key, t).await.unwrap(),
        Delivery::Duplicate
    );
    b.deduplicator().forget(&key).await.unwrap();
    assert_eq!(
        a.deduplicator().check(&key, t).await.unwrap(),
        Delivery::First
    );

    // Windows: timestamps only move forward.
    a.window_tracker().record_inbound(&ana, t).await.unwrap();
    b.window_tracker()
        .record_inbound(&ana, t - 50)
        .await
        .unwrap();
    let window = a.window_tracker().window(&ana).await.unwrap().unwrap();
    assert_eq!(window.last_inbound(), Some(t));

    // Opt-outs: the latest by event time wins, written in reverse order by two replicas.
    b.opt_out_store()
        .record(&ana, Intent::Resume, Source::Keyword, t + 10)
        .await
        .unwrap();
    a.opt_out_store()
        .record(&ana, Intent::OptOut, Source::UserPreferences, t)
        .await
        .unwrap();
    let status = a.opt_out_store().status(&ana).await.unwrap().unwrap();
    assert_eq!((status.intent, status.at), (Intent::Resume, t + 10));
    a.opt_out_store()
        .record(
            &UserKey::phone("+1 650-555-1234"),
            Intent::OptOut,
            Source::Keyword,
            t + 20,
        )
        .await
        .unwrap();
    assert!(
        b.opt_out_store()
            .is_opted_out(&UserKey::user_id("US.1"))
            .await
            .unwrap()
    );

    // Rename: a new BSUID carries window and opt-out over; the number still finds the user.
    let renamed = UserKey::user_id("US.2");
    b.window_tracker().rename(&ana, &renamed).await.unwrap();
    b.opt_out_store().rename(&ana, &renamed).await.unwrap();
    assert!(a.opt_out_store().is_opted_out(&renamed).await.unwrap());
    assert_eq!(
        a.window_tracker()
            .window(&renamed)
            .await
            .unwrap()
            .unwrap()
            .last_inbound(),
        Some(t)
    );
    assert!(
        a.opt_out_store()
            .is_opted_out(&UserKey::phone("16505551234"))
            .await
            .unwrap()
    );
    assert_eq!(
        a.window_tracker()
            .window(&UserKey::user_id("US.1"))
            .await
            .unwrap(),
        None
    );

    // Concurrent writers on one user: no update is lost.
    let mut tasks = Vec::new();
    for i in 0..40u64 {
        let state = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            let user = UserKey::user_id("US.3").with_phone("16505550003");
            state.window_tracker().record_inbound(&user, t + i).await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let user = UserKey::phone("16505550003");
    let window = b.window_tracker().window(&user).await.unwrap().unwrap();
    assert_eq!(window.last_inbound(), Some(t + 39));
}

#[tokio::test]
#[ignore = "needs a Redis server: set WHATSAPP_TEST_REDIS_URL (started by .ci/run)"]
async fn the_shared_pacer_keeps_one_budget_and_pair_back_off() {
    let ns = namespace("pacer");
    let a = replica(&ns).await;
    let b = replica(&ns).await;
    let config = PacingConfig::default().messages_per_second(10).unwrap();
    let (pa, pb) = (a.pacer(config.clone()), b.pacer(config));
    // One budget across replicas: 10 per second, so the third slot is ~200 ms away.
    let mut waits = Vec::new();
    for (i, p) in [&pa, &pb, &pa].into_iter().enumerate() {
        match p
            .admit("PN1", &format!("1650555000{i}"), true)
            .await
            .unwrap()
        {
            SharedAdmission::SendIn(w) => waits.push(w),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(waits[0], Duration::ZERO);
    assert!(
        waits[1] > Duration::from_millis(50) && waits[1] <= Duration::from_millis(100),
        "{waits:?}"
    );
    assert!(
        waits[2] > Duration::from_millis(150) && waits[2] <= Duration::from_millis(200),
        "{waits:?}"
    );
    // Another number has its own budget.
    assert_eq!(
        pb.admit("PN2", "16505550000", true).await.unwrap(),
        SharedAdmission::SendIn(Duration::ZERO)
    );
    // A 131056 holds the recipient back 4^n seconds on every replica; a success ends it.
    assert_eq!(
        pa.pair_rate_limited("PN2", "+1 650 555 0009")
            .await
            .unwrap(),
        Duration::from_secs(1)
    );
    assert_eq!(
        pb.pair_rate_limited("PN2", "16505550009").await.unwrap(),
        Duration::from_secs(4)
    );
    match pb.admit("PN2", "16505550009", true).await.unwrap() {
        SharedAdmission::RetryIn(w) => assert!(w > Duration::from_secs(3), "{w:?}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        pb.admit("PN2", "16505550009", false).await.unwrap(),
        SharedAdmission::SendIn(_)
    ));
    pa.accepted("PN2", "16505550009").await.unwrap();
    assert_eq!(
        pa.pair_rate_limited("PN2", "16505550009").await.unwrap(),
        Duration::from_secs(1)
    );
    // Admitted by this pacer while backed off: its success clears the back-off too.
    assert_eq!(
        pb.pair_rate_limited("PN2", "16505550009").await.unwrap(),
        Duration::from_secs(4)
    );
    assert!(matches!(
        pb.admit("PN2", "16505550009", false).await.unwrap(),
        SharedAdmission::SendIn(_)
    ));
    pb.accepted("PN2", "16505550009").await.unwrap();
    assert_eq!(
        pb.pair_rate_limited("PN2", "16505550009").await.unwrap(),
        Duration::from_secs(1)
    );
}

#[test]
#[ignore = "needs a Redis server: set WHATSAPP_TEST_REDIS_URL (started by .ci/run)"]
fn the_webhook_server_example_keeps_its_state_in_redis_with_redis_url() {
    // Twice: the second run must not take the first run's messages for redeliveries.
    for _ in 0..2 {
        let out = std::process::Command::new(example("webhook_server"))
            .env("REDIS_URL", url())
            .env_remove("WHATSAPP_ACCESS_TOKEN")
            .env_remove("WHATSAPP_PHONE_NUMBER_ID")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for line in [
            "/webhook/whatsapp/acme/support: state in Redis",
            "acme: signed delivery -> 200",
            "acme: redelivery -> 200 (skipped)",
            "fake API: 1 message(s) sent from 106540352242922",
        ] {
            assert!(stdout.contains(line), "no {line:?} in:\n{stdout}");
        }
    }
}
