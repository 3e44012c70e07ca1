//! Media streaming memory: the process's peak resident memory while a 100 MiB document is uploaded
//! from a file and downloaded into a sink through the client, against a loopback server that
//! streams too (it never holds a whole body). For contrast, the same upload from bytes held in
//! memory (`upload_media`).
//!
//! Run: `cargo bench --bench media_memory` (Linux: reads the peak from `/proc/self/status` and
//! resets it between steps through `/proc/self/clear_refs`).

mod support;

use axum::Router;
use axum::body::Body;
use axum::routing::{get, post};
use bytes::Bytes;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use std::hint::black_box;
use std::io::Write;
use std::net::SocketAddr;
use whatsapp_cloud::Client;
use whatsapp_cloud::endpoint::media::DownloadSource;

const CHUNK: usize = 64 * 1024;
/// 100 MiB: Meta's limit for a document.
const SIZE: usize = 100 * 1024 * 1024;

/// The document's bytes: one pseudo-random 64 KiB chunk, repeated.
fn chunk() -> Bytes {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let bytes: Vec<u8> = (0..CHUNK)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect();
    Bytes::from(bytes)
}

async fn start_server(chunk: Bytes) -> SocketAddr {
    let app = Router::new()
        .route(
            "/{version}/{phone}/media",
            post(|body: Body| async move {
                // Read and drop the multipart body chunk by chunk.
                let mut stream = body.into_data_stream();
                let mut n = 0usize;
                while let Some(Ok(part)) = stream.next().await {
                    n += part.len();
                }
                black_box(n);
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    r#"{"id":"1227829768162607"}"#,
                )
            }),
        )
        .route(
            "/media/document",
            get(move || {
                let chunk = chunk.clone();
                async move {
                    let stream = futures_util::stream::iter(
                        (0..SIZE / CHUNK).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
                    );
                    (
                        [
                            (
                                axum::http::header::CONTENT_TYPE,
                                "application/pdf".to_owned(),
                            ),
                            (axum::http::header::CONTENT_LENGTH, SIZE.to_string()),
                        ],
                        Body::from_stream(stream),
                    )
                }
            }),
        );
    support::serve(app).await
}

/// A line of `/proc/self/status`, in KiB.
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| {
            line.strip_prefix(field)?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// Resets the peak resident memory to the current one; returns the current one, in KiB.
fn reset_peak() -> u64 {
    // "5" resets the peak RSS (Linux 4.0 and later).
    if std::fs::write("/proc/self/clear_refs", "5").is_err() {
        eprintln!("could not reset the peak RSS: figures below are peaks since the start");
    }
    status_kib("VmRSS:")
}

fn report(what: &str, before_kib: u64) {
    let peak = status_kib("VmHWM:");
    println!(
        "{what}: peak RSS {:.1} MiB, {:+.1} MiB over the {:.1} MiB before",
        peak as f64 / 1024.0,
        (peak as f64 - before_kib as f64) / 1024.0,
        before_kib as f64 / 1024.0
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    let chunk = chunk();
    let mut hasher = Sha256::new();
    let path =
        std::env::temp_dir().join(format!("whatsapp-cloud-bench-{}.pdf", std::process::id()));
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("temp file"));
        for _ in 0..SIZE / CHUNK {
            file.write_all(&chunk).expect("write");
            hasher.update(&chunk);
        }
        file.flush().expect("flush");
    }
    let sha256 = hex::encode(hasher.finalize());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let addr = start_server(chunk).await;
        let client = Client::builder()
            .access_token("EAAG-bench-token")
            .phone_number_id("106540352242922")
            .base_url(format!("http://{addr}/"))
            .build()
            .expect("client");
        // Warm up the connection pool and the runtime's threads with a small upload.
        client
            .upload_media(vec![0u8; 1024], "application/pdf")
            .await
            .expect("warm-up upload");
        println!("100 MiB document through the client:");

        let before = reset_peak();
        let uploaded = client
            .upload_media_file(&path, Some("application/pdf"))
            .await
            .expect("upload");
        black_box(uploaded);
        report("  upload_media_file (streamed from disk)", before);

        let before = reset_peak();
        let mut sink = tokio::io::sink();
        let source =
            DownloadSource::url(format!("http://{addr}/media/document")).with_sha256(&sha256);
        let done = client
            .download_media(source, &mut sink)
            .await
            .expect("download");
        assert_eq!(
            done.bytes_written, SIZE as u64,
            "the whole document arrived"
        );
        report("  download_media (streamed, SHA-256 checked)", before);

        let before = reset_peak();
        let bytes = std::fs::read(&path).expect("read");
        let uploaded = client
            .upload_media(bytes, "application/pdf")
            .await
            .expect("upload from memory");
        black_box(uploaded);
        report(
            "  for contrast, upload_media (the bytes read into memory first)",
            before,
        );
    });
    let _ = std::fs::remove_file(&path);
}
