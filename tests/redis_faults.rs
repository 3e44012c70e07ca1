//! Faults: the test starts its own redis-server, stops it mid-run and starts it again on the same
//! port. Dedup fails open, a marketing send whose opt-out cannot be read and a free-form send whose
//! window cannot be read are refused with typed errors (the latter configurable), pacing falls
//! back to a local share, and the connection comes back by itself. Nothing hangs or panics.

#![cfg(feature = "redis")]

mod redis_common;

use redis_common::{namespace, now, url};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;
use whatsapp_cloud::error::Refusal;
use whatsapp_cloud::message::{Message, SendMessage, Template};
use whatsapp_cloud::policy::{
    DedupKey, Deduplicator, Delivery, Intent, OptOutStore, PacingConfig, SendGuard, Source,
    UserKey, WindowTracker,
};
use whatsapp_cloud::redis::RedisState;
use whatsapp_cloud::testing::FakeCloudApi;
use whatsapp_cloud::{Client, Error};

/// A redis-server this test owns, killed when dropped.
struct Server {
    port: u16,
    child: Option<Child>,
}

fn redis_server() -> PathBuf {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join("redis-server"))
        .find(|p| p.is_file())
        .expect("redis-server is on PATH (.ci/redis.sh installs it)")
}

impl Server {
    fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut server = Self { port, child: None };
        server.restart();
        server
    }

    fn restart(&mut self) {
        let child = Command::new(redis_server())
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
        for _ in 0..100 {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("redis-server did not start on port {}", self.port);
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Waits (bounded) for `call`, which must not hang whatever the server does.
async fn bounded<T>(call: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), call)
        .await
        .expect("a Redis call was not bounded by its timeout")
}

#[tokio::test]
#[ignore = "needs a Redis server: set WHATSAPP_TEST_REDIS_URL (started by .ci/run)"]
async fn redis_stopped_and_restarted_mid_run() {
    // Run with the other Redis tests (CI), though this one starts a server of its own.
    let _ = url();
    let mut server = Server::start();
    let state = RedisState::builder(server.url())
        .namespace(namespace("faults"))
        .timeout(Duration::from_millis(300))
        .connect_timeout(Duration::from_millis(500))
        .connect()
        .await
        .unwrap();
    let seen = state.deduplicator();
    let (ana, bob) = (UserKey::phone("16505551234"), UserKey::phone("16505550000"));
    let t = now() - 60;
    state
        .window_tracker()
        .record_inbound(&bob, t)
        .await
        .unwrap();
    state
        .opt_out_store()
        .record(&ana, Intent::Resume, Source::Manual, t)
        .await
        .unwrap();
    assert!(
        seen.check(&DedupKey::message("wamid.A"), t)
            .await
            .unwrap()
            .is_first()
    );

    let fake = FakeCloudApi::start().await;
    let config = PacingConfig::default().messages_per_second(40).unwrap();
    let client = |allow_free_form: bool| -> Client {
        let guard = SendGuard::new(state.window_tracker(), state.opt_out_store())
            .allow_free_form_on_window_error(allow_free_form);
        fake.client_builder()
            .send_policy(Arc::new(guard))
            .pacing(config.clone())
            .shared_pacer(state.pacer(config.clone()))
            .build()
            .unwrap()
    };
    let (strict, lenient) = (client(false), client(true));
    let marketing = || SendMessage::new("16505551234", Template::new("sale", "en_US").marketing());
    let text = || SendMessage::new("16505550000", Message::text("hi"));
    bounded(strict.send(&marketing())).await.unwrap();
    bounded(strict.send(&text())).await.unwrap();
    assert_eq!(fake.sent_messages().await.len(), 2);

    server.stop();

    // Dedup fails open: the item is processed (a duplicate is better than a loss).
    let key = DedupKey::message("wamid.A");
    let err = bounded(seen.check(&key, t)).await.unwrap_err();
    assert!(err.to_string().contains(&server.url()), "{err}");
    assert_eq!(bounded(seen.check_or_first(&key, t)).await, Delivery::First);
    // A marketing send whose opt-out cannot be read is refused.
    let err = bounded(strict.send(&marketing())).await.unwrap_err();
    assert!(
        matches!(&err, Error::Refused(Refusal::OptOutUnavailable { template, .. }) if template == "sale"),
        "{err:?}"
    );
    // A free-form send whose window cannot be read is refused by default...
    let err = bounded(strict.send(&text())).await.unwrap_err();
    assert!(
        matches!(&err, Error::Refused(Refusal::WindowUnavailable { recipient, .. }) if recipient == "16505550000"),
        "{err:?}"
    );
    // ...or sent when configured so; pacing falls back to the local share.
    bounded(lenient.send(&text())).await.unwrap();
    bounded(lenient.send(&SendMessage::new(
        "16505550000",
        Template::new("receipt", "en_US"),
    )))
    .await
    .unwrap();
    assert_eq!(fake.sent_messages().await.len(), 4);

    server.restart();

    // The connection manager reconnects by itself: a later call succeeds (the server kept nothing).
    let mut back = false;
    for _ in 0..50 {
        if bounded(seen.check(&key, t)).await.is_ok() {
            back = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(back, "no call succeeded after the restart");
    bounded(
        state
            .opt_out_store()
            .record(&ana, Intent::OptOut, Source::Keyword, t + 1),
    )
    .await
    .unwrap();
    let err = bounded(strict.send(&marketing())).await.unwrap_err();
    assert!(
        matches!(err, Error::Refused(Refusal::OptedOut { .. })),
        "{err:?}"
    );
    bounded(state.window_tracker().record_inbound(&bob, t))
        .await
        .unwrap();
    bounded(strict.send(&text())).await.unwrap();
    assert_eq!(fake.sent_messages().await.len(), 5);
}
