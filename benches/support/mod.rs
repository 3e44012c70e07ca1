//! The loopback server the send, pacing and media benches talk to.

use std::net::SocketAddr;

/// Serves `app` on a free loopback port, in a task of the current runtime; returns the address.
pub async fn serve(app: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    addr
}
