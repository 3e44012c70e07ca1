//! The axum receiver end to end, without a socket: a signed POST through the router (body limit,
//! signature, parse, dedup, queue, a worker running the handler, the answer), for one message and
//! for a batch of 1,000 (Meta's largest), each handler reading its event back.
//!
//! Run: `cargo bench --bench axum_webhook -- --warm-up-time 1 --measurement-time 3`.
//! The dedup store answers "first seen" at once, so every run takes the full path and the figure is
//! the receiver's own cost, not a store's.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::convert::Infallible;
use std::hint::black_box;
use tower::ServiceExt as _;
use whatsapp_cloud::axum::{Incoming, Route, WebhookRouter};
use whatsapp_cloud::policy::{BoxFuture, DedupKey, Deduplicator, Delivery, StoreError};
use whatsapp_cloud::testing::webhook::DeliveryBuilder;
use whatsapp_cloud::webhook::{Event, SIGNATURE_HEADER};

const SECRET: &str = "bench-app-secret";

/// Every key is new: the full path on every run.
struct AlwaysFirst;

impl Deduplicator for AlwaysFirst {
    fn check<'a>(&'a self, _: &'a DedupKey, _: u64) -> BoxFuture<'a, Result<Delivery, StoreError>> {
        Box::pin(async { Ok(Delivery::First) })
    }
    fn forget<'a>(&'a self, _: &'a DedupKey) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async { Ok(()) })
    }
}

async fn handler(incoming: Incoming) -> Result<(), Infallible> {
    if let Event::Message(m) = incoming.event() {
        black_box(m.text());
    }
    Ok(())
}

fn delivery(messages: usize) -> (Vec<u8>, String) {
    let mut builder = DeliveryBuilder::new("102290129340398", "106540352242922");
    for i in 0..messages {
        builder = builder.text("16315551234", "Maria", &format!("message number {i}"));
    }
    builder.build().signed(SECRET)
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let router = runtime.block_on(async {
        WebhookRouter::builder()
            .handler(handler)
            .deduplicator(AlwaysFirst)
            .queue_capacity(1024)
            .route("/webhook", Route::new(SECRET, "token").expect("a route"))
            .build()
            .expect("a router")
            .into_router()
    });
    let mut group = c.benchmark_group("axum_receiver");
    for messages in [1, 1000] {
        let (body, signature) = delivery(messages);
        group.throughput(Throughput::Elements(messages as u64));
        group.bench_function(format!("{messages}_messages"), |b| {
            b.iter(|| {
                let request = Request::post("/webhook")
                    .header(SIGNATURE_HEADER, signature.as_str())
                    .body(Body::from(body.clone()))
                    .expect("a request");
                let response = runtime
                    .block_on(router.clone().oneshot(request))
                    .expect("an answer");
                assert_eq!(response.status(), StatusCode::OK);
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
