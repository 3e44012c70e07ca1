//! Media: upload bytes, send them by id, download them back (streamed, SHA-256 checked), send a local
//! file in one call, and delete.
//!
//! ```sh
//! cargo run --example media
//! ```

#[path = "support/mod.rs"]
mod support;

use whatsapp_cloud::MediaId;
use whatsapp_cloud::endpoint::media::MediaKind;
use whatsapp_cloud::message::{Image, SendMessage};

/// A 1x1 PNG (a single white pixel), enough for Meta's image checks.
const PIXEL_PNG: [u8; 69] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xDE, 0x00, 0x00, 0x00, 0x0C, 0x49, 0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8, 0xFF, 0xFF, 0x3F,
    0x00, 0x05, 0xFE, 0x02, 0xFE, 0xDC, 0xCC, 0x59, 0xE7, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E,
    0x44, 0xAE, 0x42, 0x60, 0x82,
];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = support::target().await?;
    let client = &target.client;

    // Upload: the MIME type and size are checked against Meta's table first.
    let uploaded = client.upload_media(PIXEL_PNG.to_vec(), "image/png").await?;
    println!(
        "uploaded {} bytes of image/png as media {}",
        PIXEL_PNG.len(),
        uploaded.id
    );

    // Send it by id.
    let sent = client
        .send(&SendMessage::new(
            target.to.as_str(),
            Image::from_id(uploaded.id.clone()).caption("A very small picture"),
        ))
        .await?;
    println!(
        "sent image: {}",
        sent.message_id().map_or("?", |id| id.as_str())
    );

    // Download it back, streamed into any AsyncWrite and checked against Meta's SHA-256.
    let mut downloaded = Vec::new();
    let done = client
        .download_media(uploaded.id.clone(), &mut downloaded)
        .await?;
    println!(
        "downloaded {} bytes ({}), sha256 {}, identical to the upload: {}",
        done.bytes_written,
        done.mime_type.as_deref().unwrap_or("?"),
        done.sha256,
        downloaded == PIXEL_PNG
    );

    // A local file in one call: upload, then send by id.
    let path = std::env::temp_dir().join(format!("whatsapp-cloud-menu-{}.pdf", std::process::id()));
    tokio::fs::write(&path, b"%PDF-1.4\n% today's menu\n%%EOF\n").await?;
    let local = client
        .send_local_media(
            target.to.as_str(),
            &path,
            MediaKind::Document,
            Some("Today's menu"),
        )
        .await;
    tokio::fs::remove_file(&path).await?;
    let local = local?;
    println!(
        "sent local document as media {}: {}",
        local.media_id,
        local.response.message_id().map_or("?", |id| id.as_str())
    );

    // A type Meta does not take is refused before any upload.
    match client.upload_media(b"GIF89a".to_vec(), "image/gif").await {
        Err(whatsapp_cloud::Error::Validation(e)) => println!("refused before uploading: {e}"),
        other => println!("unexpected: {other:?}"),
    }

    let deleted = client
        .delete_media(MediaId::from(uploaded.id.as_str()))
        .await?;
    println!("deleted media {}: {}", uploaded.id, deleted.success);
    target.print_sent().await;
    Ok(())
}
