//! Send throughput: `client.send` of a text message against a hand-written raw `reqwest` POST of the
//! same JSON (serialize, bearer header, send, read the body, parse it), both to one loopback HTTP
//! server started here, which answers as Meta's `POST /<PHONE_NUMBER_ID>/messages` does.
//!
//! Run: `cargo bench --bench send -- --warm-up-time 1 --measurement-time 3`
//! (`SEND_BENCH_SECS=10` lengthens each alternating run, 4 seconds by default).
//!
//! Two pairs, each with one sender (sequential) and with 32 concurrent senders on a multi-thread
//! runtime:
//! - ours (pacing off) against the raw POST: prints `raw/ours`, the time per message of the raw
//!   POST over ours (1.0: the SDK costs nothing next to the HTTP client), once with the client's
//!   default 30-second request timeout on both sides and once with no timeout on either (ours over
//!   `reqwest::Client::new()` through `ClientBuilder::http_client`): a timeout is a tokio timer per
//!   request, which costs the same on both sides but is not the SDK's;
//! - ours with a send policy (a `SendGuard` over the in-memory window tracker and opt-out store,
//!   the recipient's window open) against ours without: prints the policy's overhead in %.
//!
//! After criterion's groups, each pair runs in alternating batches for a few seconds and three
//! ratios are printed: the median over neighbouring pairs of batches of their ratio (each pair ran
//! under the same load: the steadiest on a shared machine), the ratio of their fastest batches and
//! that of their median batches. All are steadier than the quotient of two criterion estimates
//! taken seconds apart.

mod support;

use axum::Router;
use axum::routing::post;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde::{Deserialize, Serialize};
use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;
use tokio::task::JoinSet;
use whatsapp_cloud::Client;
use whatsapp_cloud::client::SharedPolicy;
use whatsapp_cloud::message::{Message, SendMessage};
use whatsapp_cloud::policy::{
    InMemoryOptOutStore, InMemoryWindowTracker, SendGuard, UserKey, WindowTracker, block_on,
};

const TOKEN: &str = "EAAG-bench-token";
const PHONE_NUMBER_ID: &str = "106540352242922";
const TO: &str = "16315551234";
const TEXT: &str = "Your order #1234 has shipped and arrives on Thursday.";
const CONCURRENCY: usize = 32;
/// Messages each sender sends per batch.
const PER_SENDER: usize = 8;

/// Meta's answer to a send.
const ANSWER: &str = r#"{"messaging_product":"whatsapp","contacts":[{"input":"16315551234","wa_id":"16315551234"}],"messages":[{"id":"wamid.HBgLMTYzMTU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"}]}"#;

/// The loopback server: one thread of its own, so both sides meet the same server.
fn start_server() -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let app = Router::new().route(
                "/{version}/{phone}/messages",
                post(|body: axum::body::Bytes| async move {
                    black_box(body.len());
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        ANSWER,
                    )
                }),
            );
            tx.send(support::serve(app).await).expect("send");
            // The server task runs as long as this runtime does.
            std::future::pending::<()>().await;
        });
    });
    rx.recv().expect("server address")
}

/// The text message as a hand-written client would serialize it.
#[derive(Serialize)]
struct RawText<'a> {
    messaging_product: &'a str,
    recipient_type: &'a str,
    to: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    text: RawBody<'a>,
}

#[derive(Serialize)]
struct RawBody<'a> {
    body: &'a str,
}

/// The message's JSON as the raw POST sends it.
fn raw_json() -> Vec<u8> {
    serde_json::to_vec(&RawText {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: TO,
        kind: "text",
        text: RawBody { body: TEXT },
    })
    .expect("raw: serialized")
}

/// The part of the answer a hand-written client reads.
#[derive(Deserialize)]
struct RawAnswer {
    messages: Vec<RawSent>,
}

#[derive(Deserialize)]
struct RawSent {
    id: String,
}

/// One way of sending the message.
#[derive(Clone)]
enum Sender {
    Ours(Client, Arc<SendMessage>),
    Raw(reqwest::Client, Arc<str>),
}

impl Sender {
    /// Sends the message once; returns the accepted id's length.
    async fn send(&self) -> usize {
        match self {
            Sender::Ours(client, message) => {
                let sent = client.send(&**message).await.expect("ours: sent");
                sent.message_id().map_or(0, |id| id.as_str().len())
            }
            Sender::Raw(http, url) => {
                let response = http
                    .post(&**url)
                    .bearer_auth(TOKEN)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(raw_json())
                    .send()
                    .await
                    .expect("raw: sent");
                assert!(response.status().is_success(), "raw: status");
                let body = response.bytes().await.expect("raw: body");
                let answer: RawAnswer = serde_json::from_slice(&body).expect("raw: parsed");
                answer.messages.first().map_or(0, |m| m.id.len())
            }
        }
    }

    /// Sends `n` messages one after the other.
    async fn sequential(&self, n: usize) -> usize {
        let mut total = 0;
        for _ in 0..n {
            total += self.send().await;
        }
        total
    }

    /// `CONCURRENCY` senders, each sending `per_sender` messages one after the other.
    async fn concurrent(&self, per_sender: usize) -> usize {
        let mut set = JoinSet::new();
        for _ in 0..CONCURRENCY {
            let sender = self.clone();
            set.spawn(async move { sender.sequential(per_sender).await });
        }
        let mut total = 0;
        while let Some(n) = set.join_next().await {
            total += n.expect("sender task");
        }
        total
    }
}

/// How the senders run.
#[derive(Clone, Copy)]
enum Mode {
    Sequential,
    Concurrent,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Sequential => "1 sender",
            Mode::Concurrent => "32 senders",
        }
    }

    /// Messages per batch.
    fn batch(self) -> usize {
        match self {
            Mode::Sequential => 64,
            Mode::Concurrent => CONCURRENCY * PER_SENDER,
        }
    }

    /// Sends `iters` messages (rounded up to whole rounds of the mode) and returns the time taken
    /// for `iters`.
    fn time(self, rt: &Runtime, sender: &Sender, iters: u64) -> Duration {
        let iters = usize::try_from(iters).unwrap_or(usize::MAX).max(1);
        rt.block_on(async {
            let start = Instant::now();
            let n = match self {
                Mode::Sequential => sender.sequential(iters).await,
                Mode::Concurrent => sender.concurrent(iters.div_ceil(CONCURRENCY)).await,
            };
            black_box(n);
            let sent = match self {
                Mode::Sequential => iters,
                Mode::Concurrent => iters.div_ceil(CONCURRENCY) * CONCURRENCY,
            };
            start.elapsed().mul_f64(iters as f64 / sent as f64)
        })
    }

    /// The time per message of one batch, in nanoseconds.
    fn batch_ns(self, rt: &Runtime, sender: &Sender) -> f64 {
        let n = self.batch();
        self.time(rt, sender, n as u64).as_nanos() as f64 / n as f64
    }
}

/// Two senders' per-message times (ns) from alternating batches.
struct Alternated {
    /// `a`'s batches, sorted.
    a: Vec<f64>,
    /// `b`'s batches, sorted.
    b: Vec<f64>,
    /// The median over pairs of neighbouring batches of `b`'s time over `a`'s: the two batches of a
    /// pair ran under the same conditions, so this resists a machine whose load comes and goes.
    paired: f64,
}

/// Runs `a` and `b` in alternating batches (a b b a, so that neither always goes first) for
/// `SEND_BENCH_SECS` seconds (4 unless set).
fn alternate(rt: &Runtime, mode: Mode, a: &Sender, b: &Sender) -> Alternated {
    let secs = std::env::var("SEND_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let (mut a_ns, mut b_ns) = (Vec::new(), Vec::new());
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut ratios = Vec::new();
    while Instant::now() < deadline || a_ns.len() < 21 {
        let (a_batch, b_batch) = if a_ns.len() % 2 == 0 {
            let a_batch = mode.batch_ns(rt, a);
            (a_batch, mode.batch_ns(rt, b))
        } else {
            let b_batch = mode.batch_ns(rt, b);
            (mode.batch_ns(rt, a), b_batch)
        };
        a_ns.push(a_batch);
        b_ns.push(b_batch);
        ratios.push(b_batch / a_batch);
    }
    a_ns.sort_by(f64::total_cmp);
    b_ns.sort_by(f64::total_cmp);
    ratios.sort_by(f64::total_cmp);
    Alternated {
        paired: median(&ratios),
        a: a_ns,
        b: b_ns,
    }
}

fn median(v: &[f64]) -> f64 {
    v[v.len() / 2]
}

fn listing() -> bool {
    std::env::args().any(|a| a == "--list" || a == "--test")
}

/// Prints `raw/ours` by neighbouring, the fastest and the median batches.
fn ratio_raw_ours(rt: &Runtime, mode: Mode, label: &str, ours: &Sender, raw: &Sender) {
    let Alternated {
        a: ours_ns,
        b: raw_ns,
        paired,
    } = alternate(rt, mode, ours, raw);
    println!(
        "send, {}, {label}: raw/ours = {paired:.3} by neighbouring batches (median), {:.3} by the \
         fastest batches (ours {:.1} µs, raw {:.1} µs per message), {:.3} by the median ones (ours \
         {:.1} µs, raw {:.1} µs); {} alternating batches of {} messages",
        mode.name(),
        raw_ns[0] / ours_ns[0],
        ours_ns[0] / 1e3,
        raw_ns[0] / 1e3,
        median(&raw_ns) / median(&ours_ns),
        median(&ours_ns) / 1e3,
        median(&raw_ns) / 1e3,
        ours_ns.len(),
        mode.batch()
    );
}

/// Prints the send policy's overhead by neighbouring, the fastest and the median batches.
fn policy_overhead(rt: &Runtime, mode: Mode, guarded: &Sender, plain: &Sender) {
    let Alternated {
        a: plain_ns,
        b: guarded_ns,
        paired,
    } = alternate(rt, mode, plain, guarded);
    println!(
        "send policy, {}: overhead {:+.1}% by neighbouring batches (median), {:+.1}% by the fastest \
         batches (with {:.1} µs, without {:.1} µs per message), {:+.1}% by the median ones (with \
         {:.1} µs, without {:.1} µs); {} alternating batches of {} messages",
        mode.name(),
        (paired - 1.0) * 100.0,
        (guarded_ns[0] / plain_ns[0] - 1.0) * 100.0,
        guarded_ns[0] / 1e3,
        plain_ns[0] / 1e3,
        (median(&guarded_ns) / median(&plain_ns) - 1.0) * 100.0,
        median(&guarded_ns) / 1e3,
        median(&plain_ns) / 1e3,
        guarded_ns.len(),
        mode.batch()
    );
}

/// The senders compared.
struct Setup {
    rt: Runtime,
    /// Ours as built by default: a 30-second timeout on each request.
    ours: Sender,
    /// The raw POST over a reqwest client with the same timeouts as ours.
    raw: Sender,
    /// Ours with the send policy.
    guarded: Sender,
    /// Ours over `reqwest::Client::new()` (no timeout).
    ours_bare: Sender,
    /// The raw POST over `reqwest::Client::new()`.
    raw_bare: Sender,
}

fn setup() -> Setup {
    let addr = start_server();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let base = format!("http://{addr}/");
    let client = {
        let _guard = rt.enter();
        Client::builder()
            .access_token(TOKEN)
            .phone_number_id(PHONE_NUMBER_ID)
            .base_url(&base)
            .without_pacing()
            .build()
            .expect("client")
    };
    let message = Arc::new(SendMessage::new(TO, Message::text(TEXT)));
    assert_eq!(
        serde_json::to_vec(&*message).expect("our body"),
        raw_json(),
        "both sides send the same JSON"
    );
    let windows = InMemoryWindowTracker::default();
    let key = UserKey::phone(TO);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    block_on(windows.record_inbound(&key, now)).expect("window opened");
    let policy: SharedPolicy = Arc::new(SendGuard::new(windows, InMemoryOptOutStore::new()));
    let url: Arc<str> = Arc::from(format!(
        "{base}{}/{PHONE_NUMBER_ID}/messages",
        client.context().api_version()
    ));
    // Ours over a reqwest client without a timeout, as `reqwest::Client::new()` is.
    let bare = Client::builder()
        .access_token(TOKEN)
        .phone_number_id(PHONE_NUMBER_ID)
        .base_url(&base)
        .without_pacing()
        .http_client(reqwest::Client::new())
        .build()
        .expect("client");
    Setup {
        rt,
        guarded: Sender::Ours(client.with_send_policy(Some(policy)), message.clone()),
        ours: Sender::Ours(client, message.clone()),
        raw: Sender::Raw(
            reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .connect_timeout(Duration::from_secs(10))
                .build()
                .expect("raw client"),
            url.clone(),
        ),
        ours_bare: Sender::Ours(bare, message),
        raw_bare: Sender::Raw(reqwest::Client::new(), url),
    }
}

/// `SEND_BENCH_PROFILE=ours|raw|policy|ours_bare|raw_bare`: only that side, 32 senders, for 5 seconds (to profile it,
/// say under `perf stat` or `perf record`); prints the messages sent.
fn profile_one_side(s: &Setup, side: &str) {
    let sender = match side {
        "raw" => &s.raw,
        "policy" => &s.guarded,
        "ours_bare" => &s.ours_bare,
        "raw_bare" => &s.raw_bare,
        _ => &s.ours,
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut sent = 0;
    while Instant::now() < deadline {
        Mode::Concurrent.time(&s.rt, sender, Mode::Concurrent.batch() as u64);
        sent += Mode::Concurrent.batch();
    }
    println!("{side}: {sent} messages");
}

fn bench(c: &mut Criterion) {
    let s = setup();
    if let Ok(side) = std::env::var("SEND_BENCH_PROFILE") {
        profile_one_side(&s, &side);
        return;
    }
    for mode in [Mode::Sequential, Mode::Concurrent] {
        let mut g = c.benchmark_group(format!("send/{}", mode.name()));
        g.throughput(Throughput::Elements(1));
        for (name, sender) in [
            ("ours", &s.ours),
            ("raw_reqwest", &s.raw),
            ("ours_send_policy", &s.guarded),
        ] {
            g.bench_function(name, |b| {
                b.iter_custom(|iters| mode.time(&s.rt, sender, iters))
            });
        }
        g.finish();
    }
    if listing() {
        return;
    }
    for mode in [Mode::Sequential, Mode::Concurrent] {
        ratio_raw_ours(&s.rt, mode, "30 s timeout on both", &s.ours, &s.raw);
        ratio_raw_ours(
            &s.rt,
            mode,
            "no timeout on either",
            &s.ours_bare,
            &s.raw_bare,
        );
    }
    for mode in [Mode::Sequential, Mode::Concurrent] {
        policy_overhead(&s.rt, mode, &s.guarded, &s.ours);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
