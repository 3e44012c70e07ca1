//! The sans-IO core sent by a plain closure: no tokio, no reqwest.
//!
//! Every API call is a value that builds an `http::Request` and parses an `http::Response`, so any HTTP
//! client can carry it. This example speaks HTTP/1.1 over `std::net::TcpStream` to a tiny local stand-in
//! for Meta's API (Meta itself needs TLS: put your own client, such as ureq or curl, in the closure).
//!
//! ```sh
//! cargo run --example custom_transport --no-default-features
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
use whatsapp_cloud::message::{Message, SendMessage};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = TcpListener::bind("127.0.0.1:0")?;
    let base_url = format!("http://{}", server.local_addr()?);
    let fake = std::thread::spawn(move || serve_one(&server));

    let ctx = ApiContext::new("EAAG-example-token", "106540352242922").with_base_url(&base_url)?;
    let send = SendMessage::new("+16315551234", Message::text("Sent without tokio."));

    let sent = send.send_with(&ctx, |request| http1_roundtrip(&request))?;
    println!(
        "request went to {}",
        fake.join().map_err(|_| "fake server panicked")??
    );
    println!(
        "accepted as {}",
        sent.message_id().map_or("?", |id| id.as_str())
    );
    Ok(())
}

/// The transport: any function from `http::Request<Vec<u8>>` to `http::Response<impl AsRef<[u8]>>`.
fn http1_roundtrip(request: &http::Request<Vec<u8>>) -> std::io::Result<http::Response<Vec<u8>>> {
    let authority = request
        .uri()
        .authority()
        .ok_or_else(|| std::io::Error::other("request URI has no host"))?;
    let mut stream = TcpStream::connect(authority.as_str())?;
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    write!(
        stream,
        "{} {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        request.method(),
        path,
        authority
    )?;
    for (name, value) in request.headers() {
        stream.write_all(name.as_str().as_bytes())?;
        stream.write_all(b": ")?;
        stream.write_all(value.as_bytes())?;
        stream.write_all(b"\r\n")?;
    }
    write!(stream, "Content-Length: {}\r\n\r\n", request.body().len())?;
    stream.write_all(request.body())?;

    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {status_line:?}")))?;
    let mut builder = http::Response::builder().status(status);
    for (name, value) in read_headers(&mut reader)? {
        builder = builder.header(name, value);
    }
    let mut body = Vec::new();
    reader.read_to_end(&mut body)?;
    builder.body(body).map_err(std::io::Error::other)
}

/// Reads HTTP/1.1 header lines up to the blank line.
fn read_headers(reader: &mut impl BufRead) -> std::io::Result<Vec<(String, String)>> {
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            return Ok(headers);
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
}

/// Answers one request like Meta's send endpoint and returns the path it was sent to.
fn serve_one(server: &TcpListener) -> std::io::Result<String> {
    let (stream, _) = server.accept()?;
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let content_length = read_headers(&mut reader)?
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0usize);
    let mut body = vec![0; content_length];
    reader.read_exact(&mut body)?;
    let answer = r#"{"messaging_product":"whatsapp","contacts":[{"input":"+16315551234","wa_id":"16315551234"}],"messages":[{"id":"wamid.HBgLMTYzMTU1NTEyMzQVAgARGBI"}]}"#;
    let mut stream = reader.into_inner();
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        answer.len(),
        answer
    )?;
    Ok(request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("?")
        .to_owned())
}
